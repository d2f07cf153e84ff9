// SPDX-License-Identifier: GPL-2.0
/*
 * The tp family: KVM's own tracepoints, the probes that work where neither
 * fentry nor kprobes do. Each tracepoint has a BTF raw-tracepoint program
 * (preferred: cheapest) and a classic tracepoint program (fallback).
 *
 * These tracepoints carry no struct kvm, so the VM is inferred from the task:
 * a user task invalidating its own mappings is the VMM; a kernel thread
 * (kswapd, khugepaged) leaves vm_pid empty.
 */
#include "gfntop.bpf.h"
#include "kagg.bpf.h"

const volatile struct gfn_tp_cfg tp_cfg[TPP_COUNT] = {};

/*
 * task_flags and tgid: current->flags and ->tgid. A BTF raw tracepoint reads
 * them with plain loads through bpf_get_current_task_btf(); a classic
 * tracepoint program needs a probe read (BPF_CORE_READ) and
 * bpf_get_current_pid_tgid(), helper calls dearer by a good part of the
 * program's cost.
 */
static __always_inline int tp_emit(u32 which, u64 start, u64 end, unsigned int task_flags, u32 tgid)
{
	const volatile struct gfn_tp_cfg *cfg = &tp_cfg[which];
	enum kagg_verdict v = KAGG_QUEUE;
	u32 vm_pid = 0;
	struct gfn_event *e;

	if (!(task_flags & PF_KTHREAD))
		vm_pid = tgid;
	if (!pid_wanted(vm_pid))
		return 0;
	if (kagg_on(cfg->family)) {
		/*
		 * a user task's event is its VMM's own (pid == vm_pid): KAGG_OWN;
		 * a kernel thread's is its own (KAGG_TASK, its tgid in vm_pid)
		 */
		struct gfn_agg_key k = { .vm_pid = tgid, .op = cfg->op, .family = cfg->family,
					 .kflags = vm_pid ? KAGG_OWN : KAGG_TASK };

		v = kagg_count_tp(&k, hva_pages(start, end));
		if (v == KAGG_COUNTED)
			return 0;
	}

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		if (v != KAGG_SAMPLE)
			count_lost();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	ev_init(e, bpf_ktime_get_ns(), cfg->family, cfg->op, cfg->func_id);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	ev_set_hva_pages(e, start, end);
	if (vm_pid) {
		e->vm_pid = vm_pid;
		e->flags |= EVF_VM_PID;
	}
	if (v != KAGG_QUEUE)
		e->flags |= EVF_AGGREGATED;
	ev_submit(e);
	return 0;
}

static __always_inline unsigned int probed_task_flags(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, flags);
}

#define PROBED_TASK probed_task_flags(), (u32)(bpf_get_current_pid_tgid() >> 32)

SEC("tp_btf/kvm_unmap_hva_range")
int BPF_PROG(tp_btf_unmap_hva_range, unsigned long start, unsigned long end)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return tp_emit(TPP_UNMAP_HVA, start, end, t->flags, (u32)t->tgid);
}

SEC("tp_btf/kvm_age_hva")
int BPF_PROG(tp_btf_age_hva, unsigned long start, unsigned long end)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return tp_emit(TPP_AGE_HVA, start, end, t->flags, (u32)t->tgid);
}

SEC("tp_btf/kvm_test_age_hva")
int BPF_PROG(tp_btf_test_age_hva, unsigned long hva)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return tp_emit(TPP_TEST_AGE_HVA, hva, hva + 1, t->flags, (u32)t->tgid);
}

SEC("tracepoint/kvm/kvm_unmap_hva_range")
int tp_unmap_hva_range(struct trace_event_raw_kvm_unmap_hva_range *ctx)
{
	return tp_emit(TPP_UNMAP_HVA, ctx->start, ctx->end, PROBED_TASK);
}

SEC("tracepoint/kvm/kvm_age_hva")
int tp_age_hva(struct trace_event_raw_kvm_age_hva *ctx)
{
	return tp_emit(TPP_AGE_HVA, ctx->start, ctx->end, PROBED_TASK);
}

SEC("tracepoint/kvm/kvm_test_age_hva")
int tp_test_age_hva(struct trace_event_raw_kvm_test_age_hva *ctx)
{
	return tp_emit(TPP_TEST_AGE_HVA, ctx->hva, ctx->hva + 1, PROBED_TASK);
}
