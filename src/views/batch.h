/* SPDX-License-Identifier: GPL-2.0 */
/* Batch mode: the views printed as plain text, one block per interval and a final summary. */
#ifndef GFNTOP_BATCH_H
#define GFNTOP_BATCH_H

#include <stdio.h>
#include "model/agg.h"

struct launch_table;

/* Each returns 0, or the errno of a failed write (a closed pipe, a hung-up terminal). */
int batch_interval(FILE *out, const struct agg *a, const struct launch_table *l, unsigned long n, double secs);
/* `title` says what is summarized: "summary" for live runs, "replay of FILE" for replays. */
int batch_summary(FILE *out, const struct agg *a, const struct launch_table *l, const char *title,
		   const char *probes);

#endif
