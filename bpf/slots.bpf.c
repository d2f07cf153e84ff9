// SPDX-License-Identifier: GPL-2.0
/*
 * The pool of generic entry/exit program pairs. The attach engine points
 * slot N at one kernel function (bpf_program__set_attach_target, or a kprobe
 * by name) and fills slot_cfg[N] before load; every program of the pool is
 * the same code with a different constant N, so the verifier sees one
 * shape per program (the others are dead branches on a frozen constant).
 *
 * Entry stashes the start time and arguments per (thread, slot); exit reads
 * them back, so fentry/fexit and kprobe/kretprobe share all the logic.
 */
#include "gfntop.bpf.h"
#include "shapes_mmu.bpf.h"
#include "shapes_snp.bpf.h"
#include "kagg.bpf.h"

const volatile struct gfn_slot_cfg slot_cfg[GFN_SLOTS] = {};

struct call_key {
	u32 tid;
	u32 slot;
};

struct call_state {
	u64 ts;
	u64 args[6];
	u64 iter_id;
	u64 ext[4];		/* shape-specific values read at entry */
	const struct kvm *kvm;
	u32 vm_pid;
	u32 pad;
};

/* calls in flight: entry → exit */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct call_key);
	__type(value, struct call_state);
} calls SEC(".maps");

/* the iterator call (e.g. one MMU-notifier invalidation) a thread is inside */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, u64);
} cur_iter SEC(".maps");

__u64 iter_seq = 0;

static __always_inline s64 ret_value(u8 kind, u64 raw)
{
	switch (kind) {
	case RET_BOOL:
		return (u8)raw ? 1 : 0;
	case RET_S32:
		return (s32)raw;
	case RET_U32:
		return (u32)raw;
	default:
		return (s64)raw;
	}
}

static __always_inline int slot_enter(u32 slot, const u64 *args)
{
	const volatile struct gfn_slot_cfg *cfg = &slot_cfg[slot];
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call_key key = { .tid = tid, .slot = slot };
	struct call_state st = {};
	u64 *iter;

	st.kvm = mmu_shape_kvm(cfg->shape, args) ?: snp_shape_kvm(cfg->shape, args);
	st.vm_pid = kvm_vm_pid(st.kvm);
	if (!pid_wanted(st.vm_pid))
		return 0;

	for (int i = 0; i < 6; i++)
		st.args[i] = args[i];
	snp_shape_enter(cfg->shape, args, st.ext);
	if (cfg->starts_iter) {
		st.iter_id = __sync_fetch_and_add(&iter_seq, 1) + 1;
		bpf_map_update_elem(&cur_iter, &tid, &st.iter_id, BPF_ANY);
	} else {
		iter = bpf_map_lookup_elem(&cur_iter, &tid);
		st.iter_id = iter ? *iter : 0;
	}
	st.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&calls, &key, &st, BPF_ANY);
	return 0;
}

/* What an exit adds to the record: duration, return value, VM and the shape's fields. */
static __always_inline void slot_fill(struct gfn_event *e, const volatile struct gfn_slot_cfg *cfg,
				      const struct call_state *st, u64 now, u64 raw_ret)
{
	e->dur_ns = now - st->ts;
	e->flags |= EVF_DUR;
	if (cfg->ret_kind != RET_NONE) {
		e->ret = ret_value(cfg->ret_kind, raw_ret);
		e->flags |= EVF_RET;
	}
	e->iter_id = st->iter_id;
	ev_set_vm(e, st->kvm, st->vm_pid);
	mmu_shape_fill(cfg->shape, e, st->args);
	snp_shape_fill(cfg->shape, e, st->args, st->ext);
}

static __always_inline int slot_exit(u32 slot, u64 raw_ret)
{
	const volatile struct gfn_slot_cfg *cfg = &slot_cfg[slot];
	u64 now = bpf_ktime_get_ns();
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct call_key key = { .tid = tid, .slot = slot };
	struct call_state *stp, st;
	struct gfn_event *e;

	stp = bpf_map_lookup_elem(&calls, &key);
	if (!stp)
		return 0;	/* entry was filtered out, or ran before we attached */
	st = *stp;
	bpf_map_delete_elem(&calls, &key);
	if (cfg->starts_iter)
		bpf_map_delete_elem(&cur_iter, &tid);

	if (kagg_on(cfg->family)) {
		/* counted in the kernel: the event is built on the stack, queued only if it must be */
		struct gfn_event ev = {};
		enum kagg_verdict v;

		ev_init(&ev, st.ts, cfg->family, cfg->op, cfg->func_id);
		slot_fill(&ev, cfg, &st, now, raw_ret);
		v = kagg_count_event(&ev);
		if (v != KAGG_COUNTED) {
			if (v != KAGG_QUEUE)
				ev.flags |= EVF_AGGREGATED;
			ev_queue(&ev, v != KAGG_SAMPLE);
		}
		return 0;
	}
	e = ev_reserve(st.ts, cfg->family, cfg->op, cfg->func_id);
	if (!e)
		return 0;
	slot_fill(e, cfg, &st, now, raw_ret);
	ev_submit(e);
	return 0;
}

static __always_inline void tracing_args(u64 *ctx, u64 *args)
{
	for (int i = 0; i < 6; i++)
		bpf_get_func_arg(ctx, i, &args[i]);	/* leaves 0 past the last argument */
}

#define DEFINE_SLOT(n)								\
SEC("fentry")									\
int BPF_PROG(slot_fentry_##n)							\
{										\
	u64 args[6] = {};							\
	tracing_args(ctx, args);						\
	return slot_enter(n, args);						\
}										\
SEC("fexit")									\
int BPF_PROG(slot_fexit_##n)							\
{										\
	u64 ret = 0;								\
	bpf_get_func_ret(ctx, &ret);						\
	return slot_exit(n, ret);						\
}										\
SEC("kprobe")									\
int BPF_KPROBE(slot_kprobe_##n)							\
{										\
	u64 args[6] = { PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx),			\
			PT_REGS_PARM3(ctx), PT_REGS_PARM4(ctx),			\
			PT_REGS_PARM5(ctx), PT_REGS_PARM6(ctx) };		\
	return slot_enter(n, args);						\
}										\
SEC("kretprobe")								\
int BPF_KRETPROBE(slot_kretprobe_##n)						\
{										\
	return slot_exit(n, PT_REGS_RC(ctx));					\
}

DEFINE_SLOT(0)  DEFINE_SLOT(1)  DEFINE_SLOT(2)  DEFINE_SLOT(3)
DEFINE_SLOT(4)  DEFINE_SLOT(5)  DEFINE_SLOT(6)  DEFINE_SLOT(7)
DEFINE_SLOT(8)  DEFINE_SLOT(9)  DEFINE_SLOT(10) DEFINE_SLOT(11)
DEFINE_SLOT(12) DEFINE_SLOT(13) DEFINE_SLOT(14) DEFINE_SLOT(15)
DEFINE_SLOT(16) DEFINE_SLOT(17) DEFINE_SLOT(18) DEFINE_SLOT(19)
DEFINE_SLOT(20) DEFINE_SLOT(21) DEFINE_SLOT(22) DEFINE_SLOT(23)
DEFINE_SLOT(24) DEFINE_SLOT(25) DEFINE_SLOT(26) DEFINE_SLOT(27)
DEFINE_SLOT(28) DEFINE_SLOT(29) DEFINE_SLOT(30) DEFINE_SLOT(31)
DEFINE_SLOT(32) DEFINE_SLOT(33) DEFINE_SLOT(34) DEFINE_SLOT(35)
DEFINE_SLOT(36) DEFINE_SLOT(37) DEFINE_SLOT(38) DEFINE_SLOT(39)
