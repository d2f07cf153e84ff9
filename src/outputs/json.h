/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON twins of the text outputs (bpftool -j style), for scripts: batch mode
 * with --json prints one object per line (NDJSON), one per interval and one
 * for the summary; --list-probes --json prints one object with the probes.
 * The schemas are in the manual (JSON OUTPUT). Every string is escaped
 * (RFC 8259) and valid UTF-8 whatever the kernel or a trace held; numbers are
 * integers (ns, counts) unless the name says seconds; unknown is null.
 */
#ifndef GFNTOP_OUTPUTS_JSON_H
#define GFNTOP_OUTPUTS_JSON_H

#include <stdio.h>
#include "model/agg.h"

struct launch_table;
struct probe_set;

#define JSON_SCHEMA_VERSION 1

/* {"type":"interval",...}: the interval's VMs, launches and slot rows, as batch_interval prints them. */
void json_interval(FILE *out, const struct agg *a, const struct launch_table *l, unsigned long n, double secs);
/*
 * {"type":"summary",...}: the totals. source: "live" or "replay"; trace: the
 * replayed file (or NULL); probes: "mmu 5/5 tp 3/3" (or NULL).
 */
void json_summary(FILE *out, const struct agg *a, const struct launch_table *l, const char *source,
		  const char *trace, const char *probes);
/* {"type":"probes","probes":[{family,target,kind,state,reason},...]}: what --list-probes prints. */
void json_probes(FILE *out, const struct probe_set *ps);

#endif
