/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Views: pure functions from the aggregate state to lines of text. Batch
 * mode prints them; the TUI paints them. Nothing here knows about terminals
 * or files, and every string that came from the kernel or a trace is
 * sanitized before it is put into a line.
 */
#ifndef GFNTOP_VIEW_H
#define GFNTOP_VIEW_H

#include <stddef.h>
#include "model/agg.h"

typedef void (*line_fn)(void *ctx, const char *line);

/*
 * The line before the entries of kernel threads acting for no known VM (their
 * tracepoint events name no VM), which come after the VMs; their first column
 * is the thread's own pid.
 */
#define VIEW_NO_VM_GROUP "  -- kernel threads acting for no known VM (PID: the thread's own) --"

/*
 * One line per VM: VMM pid, comm, vm_id, ops, pages, errors, p50, p99; a
 * header line first, a TOTAL line last. With rate_secs > 0, ops, pages and
 * errors per second over that many seconds. An interval's table (p is
 * AGG_INTERVAL) leaves out the VMs idle in it.
 */
void view_vm_table(const struct agg *a, enum agg_period p, double rate_secs, line_fn fn, void *ctx);
/* One line per VM x address space x slot x op, as view_vm_table (no TOTAL line). */
void view_slot_table(const struct agg *a, enum agg_period p, double rate_secs, line_fn fn, void *ctx);
/* Adds s to sum (counts and histogram). */
void stats_sum(struct stats *sum, const struct stats *s);

struct launch_table;
/* One line per VM with SNP launch activity, plus a "cause:" line under a failed one. Nothing if none. */
void view_launch_table(const struct launch_table *t, line_fn fn, void *ctx);

/* "850ns", "1.2us", "35ms", "2.10s"; "-" for 0 (no data) */
char *fmt_duration(char *buf, size_t len, uint64_t ns);

#endif
