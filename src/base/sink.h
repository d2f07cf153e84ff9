/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every source hands its events to. The kernel's ring buffer, a trace
 * file and (later) a recorder's socket all call one of these per event, so the
 * consumers never know which of them fed it.
 */
#ifndef GFNTOP_BASE_SINK_H
#define GFNTOP_BASE_SINK_H

#include <stdint.h>
#include "gfntop/event.h"
#include "gfntop/kagg.h"

/* Called once per event; a non-zero return stops the source. */
typedef int (*event_fn)(void *ctx, struct gfn_event *e);

/*
 * What a source of aggregates (the kernel's maps, sources/kagg.c) hands on:
 * what one row gained since the source's last call. Either counts (bucket
 * < 0) or `timed` more durations in one histogram bucket (ops, pages and
 * errors 0): the kernel keeps the histogram in a map of its own.
 */
struct gfn_counts {
	struct gfn_agg_key key;
	uint64_t ops;
	uint64_t pages;
	uint64_t errors;
	uint64_t min_gfn;	/* the row's lowest gfn so far; UINT64_MAX: none */
	int bucket;		/* >= 0: a histogram bucket, with `timed` durations more */
	uint64_t timed;
	uint64_t ts_ns;		/* ns since the epoch: when the source read them */
};

typedef void (*counts_fn)(void *ctx, const struct gfn_counts *c);

#endif
