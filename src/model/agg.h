/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aggregation: per VM, and per VM x address space x memslot x operation.
 * Fixed-size tables allocated once; no allocation per event. Every counter
 * exists twice: for the current interval and since the start (or reset),
 * unless one_period is set.
 */
#ifndef GFNTOP_AGG_H
#define GFNTOP_AGG_H

#include <stdbool.h>
#include <stdint.h>
#include "gfntop/event.h"
#include "base/sink.h"

#define AGG_MAX_VMS 256
#define AGG_MAX_ROWS 4096
#define HIST_BUCKETS GFN_HIST_BUCKETS	/* log-linear: 4 sub-buckets per power of two, <= 25% error */

struct stats {
	uint64_t ops;
	uint64_t pages;
	uint64_t errors;
	uint64_t timed;		/* ops with a duration (in the histogram) */
	uint32_t hist[HIST_BUCKETS];
};

/* the totals first: an entry's key and its total counters then share a cache line */
enum agg_period { AGG_TOTAL, AGG_INTERVAL };

/*
 * An event updates one VM and one row: each starts on a cache line, which
 * holds what every event reads and the counters of the totals; the rest is
 * the histograms (and the interval, unless one_period).
 */
struct agg_vm {
	uint32_t vm_pid;		/* 0: unknown */
	bool comm_is_vmm;		/* comm came from the VMM's own thread group */
	bool comm_final;		/* comm_is_vmm and comm not empty: no event changes it */
	uint64_t vm_id;			/* 0: unknown */
	uint64_t last_ts;
	uint64_t exited_ns;		/* when its VMM was found gone (agg_mark_exited); 0: running */
	struct stats s[2];		/* by enum agg_period */
	char comm[GFN_COMM_LEN];	/* the VMM's command, once seen */
} __attribute__((aligned(64)));

struct agg_row {
	uint16_t vm;			/* index into vms */
	uint16_t as_id;
	int32_t slot;			/* -1: the operation has no memslot */
	uint8_t op;
	uint8_t family;
	bool has_gfn;
	uint64_t min_gfn;		/* the lowest gfn this row touched */
	struct stats s[2];
} __attribute__((aligned(64)));

struct agg {
	struct agg_vm vms[AGG_MAX_VMS];
	int nvms;
	struct agg_row rows[AGG_MAX_ROWS];
	int nrows;
	uint16_t vm_hash[AGG_MAX_VMS * 2];	/* 0 empty, else index + 1 */
	/* 0 empty, else a row's key (row_key() in agg.c) above ROW_INDEX_BITS bits of index + 1 */
	uint64_t row_hash[AGG_MAX_ROWS * 2];
	uint64_t events[2];
	uint64_t lost[2];		/* events the kernel could not queue */
	uint64_t overflow[2];		/* events counted only in totals: a table was full */
	uint64_t first_ts, last_ts;	/* of the events seen, when have_ts */
	bool have_ts;
	/*
	 * Only the totals are counted: a replay, where nothing is ever reset,
	 * so that the interval is the whole trace too. Read entries through
	 * agg_period_of(), which then gives AGG_TOTAL for either period.
	 */
	bool one_period;
};

/* the period whose counters in a's entries hold period p */
static inline enum agg_period agg_period_of(const struct agg *a, enum agg_period p)
{
	return a->one_period ? AGG_TOTAL : p;
}

struct agg *agg_new(void);
void agg_free(struct agg *a);
/* One event; one flagged EVF_AGGREGATED is noted (VM, row, command, time), not counted. */
void agg_add(struct agg *a, const struct gfn_event *e);
/* The kernel's aggregates: what one row gained since the last read (sources/kagg.c). */
void agg_add_counts(struct agg *a, const struct gfn_counts *c);
void agg_interval_reset(struct agg *a);
/* Forgets everything counted (the TUI's 'r'); the tables keep their mode (one_period). */
void agg_reset(struct agg *a);

/*
 * Retirement, so that tables bounded in size hold correct rows over any
 * number of VM lifetimes: VMs (with a known VMM pid) whose VMM no longer
 * exists (alive(pid) false) are marked at now_ns; agg_retire() then removes
 * the VMs marked at or before `marked_before` with all their rows, telling
 * fn (may be NULL) of each first. Call it after an interval was shown, so
 * that a VM's last interval is always reported. Both return how many VMs.
 */
int agg_mark_exited(struct agg *a, bool (*alive)(uint32_t pid), uint64_t now_ns);
int agg_retire(struct agg *a, uint64_t marked_before,
	       void (*fn)(void *ctx, const struct agg_vm *v), void *ctx);
/* VMs marked exited and not yet retired */
int agg_exited(const struct agg *a);

/*
 * Entries by key, for a viewer loading a recorder's snapshot (or retiring
 * what the recorder retired): the index, made if missing unless `find_only`;
 * -1 if absent (find_only) or the table is full.
 */
int agg_vm_entry(struct agg *a, uint32_t vm_pid, uint64_t vm_id, bool find_only);
int agg_row_entry(struct agg *a, int vm, uint16_t as_id, int32_t slot, uint8_t op, uint8_t family);

/* Latency at quantile q (0..1) in ns, as the upper bound of its bucket; 0 if nothing timed. */
uint64_t stats_quantile(const struct stats *s, double q);
unsigned int hist_bucket(uint64_t v);
uint64_t hist_bucket_upper(unsigned int b);

#endif
