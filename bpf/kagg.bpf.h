/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel aggregation of the high-rate families (include/gfntop/kagg.h).
 *
 * When no full trace is written, the programs of the families in
 * kagg_families count each event into per-CPU hash maps instead of queueing
 * a 128-byte row; userspace reads the maps once per interval. A row still
 * crosses the ring buffer, flagged EVF_AGGREGATED (counted here, so not
 * counted again), when someone must see it:
 *   - the first event of a key (a new VM, slot or operation: the model learns
 *     the VM's command and the row's first timestamp from it);
 *   - a failure (the error views list each one);
 *   - a sample, while kagg_samples (refilled by userspace every interval) is
 *     positive: the recent-events view.
 * When a map is full, the event is queued as an ordinary row instead (the
 * model counts it) and kagg_full says how often: nothing is lost to a full
 * map, only the saving.
 *
 * The tracepoint programs run with preemption disabled, so their per-CPU
 * counters need no atomic operations; fexit and kretprobe programs may be
 * preempted by another task on the same CPU, so theirs are atomic.
 */
#ifndef GFNTOP_KAGG_BPF_H
#define GFNTOP_KAGG_BPF_H

#include "gfntop.bpf.h"
#include "gfntop/kagg.h"

#define E2BIG 7
#define EEXIST 17

/* rows of the model; twice AGG_MAX_ROWS: a row may exist with and without KAGG_OWN */
#define KAGG_MAX_ROWS 8192
/* (row, bucket) pairs that occur: a dozen or so buckets per timed row */
#define KAGG_MAX_HIST 65536

/* Not preallocated: memory for what is used, not for max_entries on every possible CPU. */
GFNTOP_MAP struct kagg_rows_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, KAGG_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gfn_agg_key);
	__type(value, struct gfn_agg_val);
} kagg_rows SEC(".maps");

GFNTOP_MAP struct kagg_hist_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, KAGG_MAX_HIST);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gfn_agg_hkey);
	__type(value, __u64);
} kagg_hist SEC(".maps");

/*
 * The tracepoints' fast path: a direct-mapped cache of rows per CPU, in an
 * array whose lookup the verifier inlines (no call, no hash of the key in
 * the kernel). A key takes the entry its hash points at if it is free; a
 * key whose entry another holds is counted in kagg_rows instead. Entries are
 * never given back: userspace adds both up per key.
 */
#define KAGG_CACHE_BITS 9
#define KAGG_CACHE (1 << KAGG_CACHE_BITS)

struct kagg_cached {
	struct gfn_agg_key key;
	struct gfn_agg_val val;		/* val.ops == 0: the entry is free */
};

GFNTOP_MAP struct kagg_cache_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KAGG_CACHE);
	__type(key, __u32);
	__type(value, struct kagg_cached);
} kagg_cache SEC(".maps");

/* 1 << enum gfn_family for each family aggregated here; 0: every event is queued */
extern const volatile __u32 kagg_families;
/* events queued as ordinary rows because a kagg map was full */
extern __u64 kagg_full;
/* samples still to queue this interval (userspace sets it; it may go a little below 0) */
extern __s64 kagg_samples;

static __always_inline bool kagg_on(u8 family)
{
	return kagg_families & (1u << family);
}

enum kagg_verdict {
	KAGG_COUNTED,		/* counted here; nothing to queue */
	KAGG_SHOW,		/* counted here; queue the row with EVF_AGGREGATED */
	KAGG_SAMPLE,		/* the same, but a sample: its loss is no loss */
	KAGG_QUEUE,		/* not counted (a map is full): queue it as an ordinary row */
};

/* The counters of key k on this CPU, the entry created if need be; *fresh: it was. */
static __always_inline void *kagg_entry(void *map, const void *k, const void *zero, bool *fresh)
{
	void *v = bpf_map_lookup_elem(map, k);
	long err;

	if (v)
		return v;
	err = bpf_map_update_elem(map, k, zero, BPF_NOEXIST);
	if (err && err != -EEXIST)
		return NULL;		/* -E2BIG: full */
	*fresh |= !err;
	return bpf_map_lookup_elem(map, k);
}

static __always_inline bool kagg_sample(void)
{
	return kagg_samples > 0 && __sync_fetch_and_add(&kagg_samples, -1) > 0;
}

#define KAGG_ADD(atomic, p, n) do {		\
	if (atomic)				\
		__sync_fetch_and_add(p, n);	\
	else					\
		*(p) += (n);			\
} while (0)

/*
 * Counts one event under key k. bucket < 0: the event has no duration.
 * gfn: its gfn_start, or ~0 when it has none. `atomic` is a constant at each
 * call site (the verifier and the compiler see one branch).
 */
static __always_inline enum kagg_verdict kagg_count(const struct gfn_agg_key *k, u64 pages,
						    bool failed, int bucket, u64 gfn, bool atomic)
{
	struct gfn_agg_val zero = { .min_gfn = ~0ULL };
	struct gfn_agg_val *v;
	u64 hzero = 0, *h = NULL;
	bool fresh = false;

	v = kagg_entry(&kagg_rows, k, &zero, &fresh);
	if (!v) {
		__sync_fetch_and_add(&kagg_full, 1);
		return KAGG_QUEUE;
	}
	if (bucket >= 0) {
		struct gfn_agg_hkey hk = { .key = *k, .bucket = (u32)bucket };

		h = kagg_entry(&kagg_hist, &hk, &hzero, &fresh);
		if (!h) {
			__sync_fetch_and_add(&kagg_full, 1);
			return KAGG_QUEUE;	/* the row was not counted yet: nothing to undo */
		}
	}
	KAGG_ADD(atomic, &v->ops, 1);
	KAGG_ADD(atomic, &v->pages, pages);
	if (failed)
		KAGG_ADD(atomic, &v->errors, 1);
	/* a race with a preempting call on this CPU can only keep a higher gfn; benign */
	if (gfn < v->min_gfn)
		v->min_gfn = gfn;
	if (h)
		KAGG_ADD(atomic, h, 1);
	if (fresh || failed)
		return KAGG_SHOW;
	return kagg_sample() ? KAGG_SAMPLE : KAGG_COUNTED;
}

static __always_inline bool kagg_key_eq(const struct gfn_agg_key *a, const struct gfn_agg_key *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2];
}

/*
 * kagg_count() for a tracepoint event (no duration, no gfn, no failure), by
 * the per-CPU cache first. Tracepoint programs run with preemption off: the
 * entry is this program's alone while it runs.
 */
static __always_inline enum kagg_verdict kagg_count_tp(const struct gfn_agg_key *k, u64 pages)
{
	const u64 *w = (const u64 *)k;
	u32 i = (u32)(((w[0] ^ (w[1] * 0x9E3779B97F4A7C15ULL) ^ (w[2] * 0xC2B2AE3D27D4EB4FULL)) *
		       0x165667B19E3779F9ULL) >> (64 - KAGG_CACHE_BITS));
	struct kagg_cached *c = bpf_map_lookup_elem(&kagg_cache, &i);
	bool fresh = false;

	if (!c)
		return kagg_count(k, pages, false, -1, ~0ULL, false);
	if (!c->val.ops) {
		c->key = *k;
		c->val.min_gfn = ~0ULL;
		fresh = true;
	} else if (!kagg_key_eq(&c->key, k)) {
		return kagg_count(k, pages, false, -1, ~0ULL, false);
	}
	c->val.ops++;
	c->val.pages += pages;
	/* the first event of a key on each CPU is shown: a few more rows than needed, no lookup */
	if (fresh)
		return KAGG_SHOW;
	return kagg_sample() ? KAGG_SAMPLE : KAGG_COUNTED;
}

/* An event of a function probe, filled in as it would be queued: counted by its own fields. */
static __always_inline enum kagg_verdict kagg_count_event(const struct gfn_event *e)
{
	struct gfn_agg_key k = {};
	bool failed = ((e->flags & EVF_RET) && e->ret < 0) || ((e->flags & EVF_FW) && e->fw_error > 0);

	if (e->flags & EVF_VM_ID)
		k.vm_id = e->vm_id;
	if (e->flags & EVF_VM_PID) {
		k.vm_pid = e->vm_pid;
		if (e->pid == e->vm_pid)
			k.kflags |= KAGG_OWN;
	}
	if (e->flags & EVF_SLOT) {
		k.slot = e->slot;
		k.as_id = e->as_id;
		k.kflags |= KAGG_SLOT;
	}
	k.op = e->op;
	k.family = e->family;
	return kagg_count(&k, (e->flags & EVF_NPAGES) ? e->npages : 0, failed,
			  (e->flags & EVF_DUR) ? (int)gfn_hist_bucket(e->dur_ns) : -1,
			  (e->flags & EVF_GFN) ? e->gfn_start : ~0ULL, true);
}

#endif /* GFNTOP_KAGG_BPF_H */
