/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel aggregation (kagg): the maps the BPF programs count high-rate
 * events into when no full trace is written, as both sides see them.
 *
 * Per VM x address space x memslot x operation, the kernel keeps what the
 * userspace model keeps per row (src/model/agg.c): operations, pages, errors,
 * the lowest gfn, and the log-linear duration histogram. Userspace reads the
 * maps once per interval (src/sources/kagg.c) and hands the differences to
 * the model, which cannot tell them from counted events.
 *
 * Included by BPF code and by userspace: fixed-width types only.
 */
#ifndef GFNTOP_KAGG_H
#define GFNTOP_KAGG_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* one bucket per value 0..3, then four per power of two (src/model/agg.c: hist_bucket) */
#define GFN_HIST_BUCKETS 252

/* gfn_agg_key.kflags */
enum gfn_agg_kflags {
	KAGG_SLOT = 1 << 0,	/* slot and as_id are set (the event had EVF_SLOT) */
	/*
	 * The event ran in the VMM's own thread group (pid == vm_pid). Not a row
	 * of the model: it makes the first such event of a row a new key, so that
	 * its row crosses the ring buffer and names the VM by its VMM's command,
	 * as the first own event does when every event is streamed.
	 */
	KAGG_OWN = 1 << 1,
	/*
	 * A kernel thread's event, which names no VM: vm_pid holds the thread's
	 * tgid, so that the model keeps each thread apart as it does when every
	 * event is streamed (src/model/agg.h, AGG_NO_VM).
	 */
	KAGG_TASK = 1 << 2,
};

/* 24 bytes; every byte set (the padding too): it is a hash key */
struct gfn_agg_key {
	__u64 vm_id;		/* 0: none (EVF_VM_ID unset) */
	__u32 vm_pid;		/* 0: none (EVF_VM_PID unset) */
	__u16 slot;
	__u16 as_id;
	__u8 op;		/* enum gfn_op */
	__u8 family;		/* enum gfn_family */
	__u8 kflags;		/* enum gfn_agg_kflags */
	__u8 pad[5];
};

/* per CPU, per key: sums since the maps were created */
struct gfn_agg_val {
	__u64 ops;
	__u64 pages;		/* of events with EVF_NPAGES */
	__u64 errors;		/* events that failed (event_failed()) */
	__u64 min_gfn;		/* the lowest gfn_start of events with EVF_GFN; ~0: none yet */
};

/* the histogram: one counter per key and bucket that occurs (sparse) */
struct gfn_agg_hkey {
	struct gfn_agg_key key;
	__u32 bucket;
	__u32 pad;
};

/*
 * The histogram bucket of a duration, in plain C that the BPF backend
 * compiles too (no count-leading-zeros instruction there). Must equal
 * hist_bucket() of the model (a unit test holds them together).
 */
static inline __u32 gfn_hist_bucket(__u64 v)
{
	__u64 x = v;
	__u32 p = 0;

	if (v < 4)
		return (__u32)v;
	if (x >> 32) { x >>= 32; p += 32; }
	if (x >> 16) { x >>= 16; p += 16; }
	if (x >> 8) { x >>= 8; p += 8; }
	if (x >> 4) { x >>= 4; p += 4; }
	if (x >> 2) { x >>= 2; p += 2; }
	if (x >> 1) p += 1;
	return 4 + (p - 2) * 4 + (__u32)((v >> (p - 2)) & 3);
}

#endif /* GFNTOP_KAGG_H */
