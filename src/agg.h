/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aggregation: per VM, and per VM x address space x memslot x operation.
 * Fixed-size tables allocated once; no allocation per event. Every counter
 * exists twice: for the current interval and since the start (or reset).
 */
#ifndef GFNTOP_AGG_H
#define GFNTOP_AGG_H

#include <stdbool.h>
#include <stdint.h>
#include "gfntop/event.h"

#define AGG_MAX_VMS 256
#define AGG_MAX_ROWS 4096
#define HIST_BUCKETS 252	/* log-linear: 4 sub-buckets per power of two, <= 25% error */

struct stats {
	uint64_t ops;
	uint64_t pages;
	uint64_t errors;
	uint64_t timed;		/* ops with a duration (in the histogram) */
	uint32_t hist[HIST_BUCKETS];
};

enum agg_period { AGG_INTERVAL, AGG_TOTAL };

struct agg_vm {
	uint32_t vm_pid;		/* 0: unknown */
	uint64_t vm_id;			/* 0: unknown */
	char comm[GFN_COMM_LEN];	/* the VMM's command, once seen */
	bool comm_is_vmm;		/* comm came from the VMM's own thread group */
	uint64_t last_ts;
	struct stats s[2];		/* by enum agg_period */
};

struct agg_row {
	uint16_t vm;			/* index into vms */
	uint16_t as_id;
	int32_t slot;			/* -1: the operation has no memslot */
	uint8_t op;
	uint8_t family;
	bool has_gfn;
	uint64_t min_gfn;		/* the lowest gfn this row touched */
	struct stats s[2];
};

struct agg {
	struct agg_vm vms[AGG_MAX_VMS];
	int nvms;
	struct agg_row rows[AGG_MAX_ROWS];
	int nrows;
	uint16_t vm_hash[AGG_MAX_VMS * 2];	/* 0 empty, else index + 1 */
	uint16_t row_hash[AGG_MAX_ROWS * 2];
	uint64_t events[2];
	uint64_t lost[2];		/* events the kernel could not queue */
	uint64_t overflow[2];		/* events counted only in totals: a table was full */
	uint64_t first_ts, last_ts;
};

struct agg *agg_new(void);
void agg_free(struct agg *a);
void agg_add(struct agg *a, const struct gfn_event *e);
void agg_interval_reset(struct agg *a);

/* Latency at quantile q (0..1) in ns, as the upper bound of its bucket; 0 if nothing timed. */
uint64_t stats_quantile(const struct stats *s, double q);
unsigned int hist_bucket(uint64_t v);
uint64_t hist_bucket_upper(unsigned int b);

#endif
