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
/*
 * What an entry of the VM table stands for. An event names its VM by the VMM's
 * pid and by the keyed hash of its struct kvm (vm_id), each when known: probes
 * that read struct kvm know both; KVM's tracepoints carry no struct kvm, so
 * bpf/tp.bpf.c takes the VMM from the task (pid only), and in a kernel thread
 * (kswapd, kdamond) knows neither.
 */
enum agg_vm_kind {
	AGG_VM,		/* one VM: vm_id known (and vm_pid, unless 0) */
	AGG_VMM,	/* events of VMM vm_pid that name no VM: it has none known yet, or several */
	AGG_NO_VM,	/* a task (task_pid) acting for no known VM: a kernel thread */
};

struct agg_vm {
	uint32_t vm_pid;		/* 0: unknown */
	bool comm_is_vmm;		/* comm came from the VMM's own thread group */
	bool comm_final;		/* comm_is_vmm and comm not empty: no event changes it */
	uint8_t kind;			/* enum agg_vm_kind */
	uint32_t task_pid;		/* AGG_NO_VM: the task (0: unknown); else 0 */
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

/*
 * A key of the VM index: (vm_pid, vm_id) of an AGG_VM entry; (vm_pid, 0) of a
 * VMM, which leads to its only VM, to its AGG_VMM entry, or to none yet
 * (VM_SLOT_LATER) once the VMM has several VMs; (task_pid, 0, no_vm) of a task.
 */
struct agg_vm_slot {
	uint64_t vm_id;
	uint32_t pid;
	uint16_t vm;		/* 0 empty, else index + 1, or VM_SLOT_LATER */
	uint8_t no_vm;
	uint8_t vms_of_pid;	/* a VMM's key: how many AGG_VM entries have its pid (saturates) */
};
#define VM_SLOT_LATER 0xffff

struct agg {
	struct agg_vm vms[AGG_MAX_VMS];
	int nvms;
	struct agg_row rows[AGG_MAX_ROWS];
	int nrows;
	struct agg_vm_slot vm_hash[AGG_MAX_VMS * 4];	/* at most 2 keys per entry: never half full */
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
/*
 * One VM, one entry: an event of VMM P that names no VM (a tracepoint's) goes
 * to P's only VM; P's first such events, seen before that VM, make an AGG_VMM
 * entry that the VM then takes over. A VMM with several VMs keeps its events
 * that name none in an AGG_VMM entry of their own: they cannot be told apart.
 */
void agg_free(struct agg *a);
/* One event; one flagged EVF_AGGREGATED is noted (VM, row, command, time), not counted. */
void agg_add(struct agg *a, const struct gfn_event *e);
/* The kernel's aggregates: what one row gained since the last read (sources/kagg.c). */
void agg_add_counts(struct agg *a, const struct gfn_counts *c);
void agg_interval_reset(struct agg *a);
/* Forgets everything counted (the TUI's 'r'); the tables keep their mode (one_period). */
void agg_reset(struct agg *a);
/* The entry an event like e goes to now, or -1 if none has been made for it yet. */
int agg_find_vm(const struct agg *a, const struct gfn_event *e);
/* Builds the hash indexes again from the entries (after entries were moved or removed). */
void agg_reindex(struct agg *a);

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
 * Entries by identity, for a viewer loading a recorder's snapshot (or retiring
 * what the recorder retired): kind (enum agg_vm_kind), the VMM's pid (for
 * AGG_NO_VM the thread's) and vm_id. The index, made if missing unless
 * `find_only`; -1 if absent (find_only), the kind unknown or the table full.
 */
int agg_vm_entry(struct agg *a, uint8_t kind, uint32_t pid, uint64_t vm_id, bool find_only);
int agg_row_entry(struct agg *a, int vm, uint16_t as_id, int32_t slot, uint8_t op, uint8_t family);

/* Latency at quantile q (0..1) in ns, as the upper bound of its bucket; 0 if nothing timed. */
uint64_t stats_quantile(const struct stats *s, double q);
unsigned int hist_bucket(uint64_t v);
uint64_t hist_bucket_upper(unsigned int b);

#endif
