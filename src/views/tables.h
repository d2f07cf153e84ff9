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

/* One line per VM: VMM pid, comm, vm_id, ops, pages, errors, p50, p99. Header line first. */
void view_vm_table(const struct agg *a, enum agg_period p, line_fn fn, void *ctx);
/* One line per VM x address space x slot x op. Header line first. */
void view_slot_table(const struct agg *a, enum agg_period p, line_fn fn, void *ctx);

struct launch_table;
/* One line per VM with SNP launch activity, plus a "cause:" line under a failed one. Nothing if none. */
void view_launch_table(const struct launch_table *t, line_fn fn, void *ctx);

/* "850ns", "1.2us", "35ms", "2.10s"; "-" for 0 (no data) */
char *fmt_duration(char *buf, size_t len, uint64_t ns);

#endif
