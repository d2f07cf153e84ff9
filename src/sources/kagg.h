/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's aggregates as a source (include/gfntop/kagg.h): the per-CPU
 * maps read once per interval, summed over CPUs, and what each row gained
 * since the last read handed to a counts_fn. Together with the rows that
 * still cross the ring buffer (sources/live.c), the model gets the same
 * counts as if every event had been queued.
 */
#ifndef GFNTOP_SOURCE_KAGG_H
#define GFNTOP_SOURCE_KAGG_H

#include <stddef.h>
#include <stdint.h>
#include "base/sink.h"

/* rows sampled per read for the recent-events view (the kernel's kagg_samples) */
#define KAGG_SAMPLES_PER_READ 256

struct kagg_source;

struct kagg_maps {
	int cache_fd;				/* kagg_cache */
	int rows_fd;				/* kagg_rows */
	int hist_fd;				/* kagg_hist */
	const volatile uint64_t *full;		/* kagg_full, memory-mapped */
	volatile int64_t *samples;		/* kagg_samples, memory-mapped */
};

struct kagg_source *kagg_open(const struct kagg_maps *m, counts_fn fn, void *ctx, char *err,
			      size_t errlen);
/* Reads both maps and hands on every change; refills the sample budget. 0, or -errno. */
int kagg_read(struct kagg_source *ks);
/* Operations counted in the kernel and handed on so far. */
uint64_t kagg_counted(const struct kagg_source *ks);
/* Events the kernel could not count because a map was full (they were queued as rows). */
uint64_t kagg_table_full(const struct kagg_source *ks);
void kagg_close(struct kagg_source *ks);

#endif
