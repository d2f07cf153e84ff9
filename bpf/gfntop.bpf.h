/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every gfntop BPF program shares: the maps and load-time settings
 * (defined once in common.bpf.c and linked in by `bpftool gen object`),
 * and the small inline helpers that reserve, fill and submit one event.
 */
#ifndef GFNTOP_BPF_H
#define GFNTOP_BPF_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "gfntop/event.h"
#include "gfntop/probe_abi.h"

/* libbpf 1.1 stops at PARM5; x86-64 passes the sixth argument in r9 */
#ifndef PT_REGS_PARM6
#define PT_REGS_PARM6(x) (((const struct pt_regs *)(x))->r9)
#endif

/* ---- maps (defined in common.bpf.c, declared extern everywhere else) ---- */

#ifdef GFNTOP_DEFINE_MAPS
#define GFNTOP_MAP
#else
#define GFNTOP_MAP extern
#endif

GFNTOP_MAP struct events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

/* -p: VMM pids to keep (only consulted when filter_pids is set) */
GFNTOP_MAP struct pid_filter_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GFN_MAX_PID_FILTER);
	__type(key, u32);
	__type(value, u8);
} pid_filter SEC(".maps");

/* ---- load-time settings (common.bpf.c) ---- */

extern const volatile bool filter_pids;
extern const volatile __u64 vm_key[2];		/* per-run key of the vm_id hash */
extern const volatile __u64 wakeup_bytes;	/* wake the consumer once this much is queued */

/*
 * Events that found the ring buffer full; userspace turns its increase into
 * op=lost rows. A global in .bss, which libbpf memory-maps: userspace reads it
 * without a bpf() syscall, so it can drop every capability once attached.
 */
extern __u64 lost_count;

static __always_inline bool pid_wanted(u32 pid)
{
	if (!filter_pids)
		return true;
	return bpf_map_lookup_elem(&pid_filter, &pid) != NULL;
}

/* SipHash-2-4 of one 64-bit word: vm_id must not reveal the struct kvm address. */
#define SIPROUND(v0, v1, v2, v3) do {				\
	v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0;	\
	v0 = (v0 << 32) | (v0 >> 32);				\
	v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;	\
	v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;	\
	v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2;	\
	v2 = (v2 << 32) | (v2 >> 32);				\
} while (0)

static __always_inline u64 vm_hash(const void *kvm)
{
	u64 m = (u64)kvm, b = 8ULL << 56;
	u64 v0 = vm_key[0] ^ 0x736f6d6570736575ULL;
	u64 v1 = vm_key[1] ^ 0x646f72616e646f6dULL;
	u64 v2 = vm_key[0] ^ 0x6c7967656e657261ULL;
	u64 v3 = vm_key[1] ^ 0x7465646279746573ULL;

	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (v0 ^ v1 ^ v2 ^ v3) | 1;	/* never 0: 0 means "no VM" */
}

static __always_inline u32 kvm_vm_pid(const struct kvm *kvm)
{
	if (!kvm || !bpf_core_field_exists(kvm->userspace_pid))
		return 0;
	return (u32)BPF_CORE_READ(kvm, userspace_pid);
}

static __always_inline void count_lost(void)
{
	__sync_fetch_and_add(&lost_count, 1);
}

/* The fields every event has but the command (filled only when the event is queued). */
static __always_inline void ev_init(struct gfn_event *e, u64 ts, u8 family, u8 op, u16 func_id)
{
	e->ts_ns = ts;
	e->family = family;
	e->op = op;
	e->func_id = func_id;
	e->flags = EVF_TASK;
	e->cpu = bpf_get_smp_processor_id();
	e->pid = bpf_get_current_pid_tgid() >> 32;
}

/* Reserve and zero one record with the fields every event has. */
static __always_inline struct gfn_event *ev_reserve(u64 ts, u8 family, u8 op, u16 func_id)
{
	struct gfn_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost();
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	ev_init(e, ts, family, op, func_id);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* what one event occupies in the ring buffer: the record and the kernel's 8-byte header */
#define EV_RING_BYTES (sizeof(struct gfn_event) + 8)

/*
 * Submit without waking the consumer, except once each time the queued data
 * crosses a multiple of wakeup_bytes (a power of two): batched wake-ups. Not
 * "whenever at least wakeup_bytes are queued": a consumer that lags (a slow
 * disk, a busy CPU) would then be woken by every event, at several
 * microseconds each, just when the host is busiest. A crossing missed in a
 * race with another CPU is caught at the next multiple, or by the consumer's
 * poll timeout.
 */
static __always_inline u64 ev_wake_flag(void)
{
	u64 queued = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	bool crossed = queued >= wakeup_bytes && (queued & (wakeup_bytes - 1)) < EV_RING_BYTES;

	return crossed ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void ev_submit(struct gfn_event *e)
{
	bpf_ringbuf_submit(e, ev_wake_flag());
}

/* Queue a record built elsewhere (on the stack); a failure counts as loss if `loss`. */
static __always_inline void ev_queue(struct gfn_event *e, bool loss)
{
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_ringbuf_output(&events, e, sizeof(*e), ev_wake_flag()) && loss)
		count_lost();
}

static __always_inline void ev_set_vm(struct gfn_event *e, const struct kvm *kvm, u32 vm_pid)
{
	if (!kvm)
		return;
	e->vm_id = vm_hash(kvm);
	e->flags |= EVF_VM_ID;
	if (vm_pid) {
		e->vm_pid = vm_pid;
		e->flags |= EVF_VM_PID;
	}
}

static __always_inline void ev_set_hva(struct gfn_event *e, u64 start, u64 end)
{
	e->hva_start = start;
	e->hva_end = end;
	e->flags |= EVF_HVA;
}

/* pages spanned by the host-virtual range [start, end) */
static __always_inline u64 hva_pages(u64 start, u64 end)
{
	if (end <= start)
		return 0;
	return ((end + 4095) >> PAGE_SHIFT) - (start >> PAGE_SHIFT);
}

/* a host-virtual range and the pages it spans */
static __always_inline void ev_set_hva_pages(struct gfn_event *e, u64 start, u64 end)
{
	ev_set_hva(e, start, end);
	e->npages = hva_pages(start, end);
	e->flags |= EVF_NPAGES;
}

#endif /* GFNTOP_BPF_H */
