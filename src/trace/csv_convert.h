/* SPDX-License-Identifier: GPL-2.0 */
/* The trace reader's rows into event records (csv_convert.c). */
#ifndef GFNTOP_CSV_CONVERT_H
#define GFNTOP_CSV_CONVERT_H

#include "trace/csv_reader.h"
#include "base/sink.h"

/*
 * The replay of the trace r reads: the header, then each row converted and
 * handed to fn. 0 at the end of the trace, fn's non-zero value, or -1 with
 * the message in r->err.
 */
int csv_replay_rows(struct reader *r, event_fn fn, void *ctx);

#endif
