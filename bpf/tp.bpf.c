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

const volatile struct gfn_tp_cfg tp_cfg[TPP_COUNT] = {};

/*
 * task_flags: current->flags. A BTF raw tracepoint reads it with a plain load
 * through bpf_get_current_task_btf(); a classic tracepoint program needs a
 * probe read (BPF_CORE_READ), a helper call dearer by a good part of the
 * program's cost.
 */
static __always_inline int tp_emit(u32 which, u64 start, u64 end, unsigned int task_flags)
{
	const volatile struct gfn_tp_cfg *cfg = &tp_cfg[which];
	u32 vm_pid = 0;
	struct gfn_event *e;

	if (!(task_flags & PF_KTHREAD))
		vm_pid = bpf_get_current_pid_tgid() >> 32;
	if (!pid_wanted(vm_pid))
		return 0;

	e = ev_reserve(bpf_ktime_get_ns(), cfg->family, cfg->op, cfg->func_id);
	if (!e)
		return 0;
	ev_set_hva_pages(e, start, end);
	if (vm_pid) {
		e->vm_pid = vm_pid;
		e->flags |= EVF_VM_PID;
	}
	ev_submit(e);
	return 0;
}

static __always_inline unsigned int btf_task_flags(void)
{
	return bpf_get_current_task_btf()->flags;
}

static __always_inline unsigned int probed_task_flags(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, flags);
}

SEC("tp_btf/kvm_unmap_hva_range")
int BPF_PROG(tp_btf_unmap_hva_range, unsigned long start, unsigned long end)
{
	return tp_emit(TPP_UNMAP_HVA, start, end, btf_task_flags());
}

SEC("tp_btf/kvm_age_hva")
int BPF_PROG(tp_btf_age_hva, unsigned long start, unsigned long end)
{
	return tp_emit(TPP_AGE_HVA, start, end, btf_task_flags());
}

SEC("tp_btf/kvm_test_age_hva")
int BPF_PROG(tp_btf_test_age_hva, unsigned long hva)
{
	return tp_emit(TPP_TEST_AGE_HVA, hva, hva + 1, btf_task_flags());
}

SEC("tracepoint/kvm/kvm_unmap_hva_range")
int tp_unmap_hva_range(struct trace_event_raw_kvm_unmap_hva_range *ctx)
{
	return tp_emit(TPP_UNMAP_HVA, ctx->start, ctx->end, probed_task_flags());
}

SEC("tracepoint/kvm/kvm_age_hva")
int tp_age_hva(struct trace_event_raw_kvm_age_hva *ctx)
{
	return tp_emit(TPP_AGE_HVA, ctx->start, ctx->end, probed_task_flags());
}

SEC("tracepoint/kvm/kvm_test_age_hva")
int tp_test_age_hva(struct trace_event_raw_kvm_test_age_hva *ctx)
{
	return tp_emit(TPP_TEST_AGE_HVA, ctx->hva, ctx->hva + 1, probed_task_flags());
}
