/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readers for the signatures of the mmu family (and of every other
 * gfn-range handler): where the struct kvm is, and what goes into the event.
 * Included by slots.bpf.c; `args` are the function's first six arguments as
 * captured at entry (fentry: bpf_get_func_arg, kprobe: registers).
 */
#ifndef GFNTOP_SHAPES_MMU_H
#define GFNTOP_SHAPES_MMU_H

#include "gfntop.bpf.h"

/* struct kvm embeds its struct mmu_notifier: container_of, with a CO-RE offset */
static __always_inline const struct kvm *kvm_from_notifier(u64 mn)
{
	if (!mn)
		return NULL;
	return (const struct kvm *)(mn - bpf_core_field_offset(struct kvm, mmu_notifier));
}

/* (struct kvm *kvm, struct kvm_gfn_range *range, ...): one memslot, one gfn range */
static __always_inline void fill_gfn_range(struct gfn_event *e, const struct kvm_gfn_range *r)
{
	const struct kvm_memory_slot *ms = BPF_CORE_READ(r, slot);
	u64 start = BPF_CORE_READ(r, start);
	u64 end = BPF_CORE_READ(r, end);

	e->gfn_start = start;
	e->gfn_end = end;
	e->npages = end > start ? end - start : 0;
	e->flags |= EVF_GFN | EVF_NPAGES;
	if (!ms)
		return;

	e->slot = (u16)BPF_CORE_READ(ms, id);
	if (bpf_core_field_exists(ms->as_id))
		e->as_id = BPF_CORE_READ(ms, as_id);
	e->flags |= EVF_SLOT;

	u64 base = BPF_CORE_READ(ms, base_gfn);
	u64 uaddr = BPF_CORE_READ(ms, userspace_addr);

	/* the host-virtual alias of the range, for slots that have one */
	if (uaddr && start >= base)
		ev_set_hva(e, uaddr + ((start - base) << PAGE_SHIFT),
			   uaddr + ((end - base) << PAGE_SHIFT));
}


static __always_inline const struct kvm *mmu_shape_kvm(u8 shape, const u64 *args)
{
	switch (shape) {
	case SHAPE_GFN_HANDLER:
		return (const struct kvm *)args[0];
	case SHAPE_MN_INVALIDATE:
	case SHAPE_MN_YOUNG:
	case SHAPE_MN_TEST_YOUNG:
		return kvm_from_notifier(args[0]);
	}
	return NULL;
}

static __always_inline void mmu_shape_fill(u8 shape, struct gfn_event *e, const u64 *args)
{
	const struct mmu_notifier_range *nr;

	switch (shape) {
	case SHAPE_GFN_HANDLER:
		fill_gfn_range(e, (const struct kvm_gfn_range *)args[1]);
		break;
	case SHAPE_MN_INVALIDATE:
		nr = (const struct mmu_notifier_range *)args[1];
		ev_set_hva_pages(e, BPF_CORE_READ(nr, start), BPF_CORE_READ(nr, end));
		break;
	case SHAPE_MN_YOUNG:
		ev_set_hva_pages(e, args[2], args[3]);
		break;
	case SHAPE_MN_TEST_YOUNG:
		/* KVM walks [address, address + 1) */
		ev_set_hva_pages(e, args[2], args[2] + 1);
		break;
	}
}

#endif /* GFNTOP_SHAPES_MMU_H */
