/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the attach engine (src/probes/attach.c) and the BPF
 * programs: which shapes of kernel function the generic programs understand,
 * and the per-slot configuration set in .rodata before load.
 *
 * A "slot" is one pair of generic programs (fentry+fexit, or kprobe+kretprobe)
 * that the attach engine points at one kernel function. What the pair reads
 * from the function's arguments is chosen by the slot's shape, which the
 * engine picked by matching the function's BTF prototype (src/probes/probe_table.c).
 */
#ifndef GFNTOP_PROBE_ABI_H
#define GFNTOP_PROBE_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Number of generic program pairs of each kind (fentry/fexit and kprobe/kretprobe). */
#define GFN_SLOTS 40

/* Signatures the generic programs know how to read. */
enum gfn_shape {
	SHAPE_NONE = 0,
	/* (struct kvm *, struct kvm_gfn_range * [, void *data]) -> bool/int */
	SHAPE_GFN_HANDLER,
	/* kvm_mmu_notifier_invalidate_range_start(struct mmu_notifier *, const struct mmu_notifier_range *) */
	SHAPE_MN_INVALIDATE,
	/* kvm_mmu_notifier_clear_{flush_,}young(struct mmu_notifier *, struct mm_struct *, ulong start, ulong end) */
	SHAPE_MN_YOUNG,
	/* kvm_mmu_notifier_test_young(struct mmu_notifier *, struct mm_struct *, ulong address) */
	SHAPE_MN_TEST_YOUNG,
	/* snp: sev_mem_enc_ioctl(struct kvm *, void __user *argp) */
	SHAPE_SEV_IOCTL,
	/* snp: kvm_gmem_populate(struct kvm *, gfn_t, void __user *src, long npages, ...) (6 or 7 args) */
	SHAPE_GMEM_POPULATE,
	/* snp: sev_gmem_post_populate 6.x (kvm, gfn, pfn, src, int order, void *opaque) */
	SHAPE_POST_POPULATE6,
	/* snp: sev_gmem_post_populate 7.x (kvm, gfn, pfn, struct page *, void *opaque) */
	SHAPE_POST_POPULATE5,
	/* snp: snp_launch_start/update_vmsa/finish(struct kvm *, struct kvm_sev_cmd *) */
	SHAPE_KVM_SEV_CMD,
	/* snp: snp_page_reclaim(struct kvm *, u64 pfn) */
	SHAPE_KVM_PFN,
	/* psp: __sev_do_cmd_locked(int cmd, void *data, int *psp_ret) */
	SHAPE_PSP_CMD,
	/* rmp: rmp_make_private(u64 pfn, u64 gpa, enum pg_level, u32 asid, bool immutable) */
	SHAPE_RMP_PRIVATE,
	/* rmp: rmp_make_shared(u64 pfn, enum pg_level) */
	SHAPE_RMP_SHARED,
	/* rmp: rmpupdate(u64 pfn, struct rmp_state *) */
	SHAPE_RMPUPDATE,
	/* rmp: psmash(u64 pfn) */
	SHAPE_PFN,
	/* rmp: sev_gmem_prepare(struct kvm *, kvm_pfn_t, gfn_t, int max_order) */
	SHAPE_GMEM_PREPARE,
	/* rmp: sev_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end) */
	SHAPE_PFN_RANGE,
	/* rmp: sev_gmem_make_private(struct kvm *, gfn_t, kvm_pfn_t, kvm_pfn_t nr_pages) (7.3) */
	SHAPE_GMEM_MAKE_PRIVATE,
	/* rmp: sev_gmem_make_shared(kvm_pfn_t, kvm_pfn_t nr_pages) (7.3) */
	SHAPE_PFN_COUNT,
	/* snp-rfc: kvm_vm_do_hva_range_op(struct kvm *, ulong start, ulong end, handler, void *) */
	SHAPE_HVA_RANGE_OP,
	/* tracepoints (not pooled: each has its own program) */
	SHAPE_TP_HVA_RANGE,	/* (ulong start, ulong end) */
	SHAPE_TP_HVA,		/* (ulong hva) */
	SHAPE_COUNT,
};

/* How to turn the raw return register into the kernel's value. */
enum gfn_ret_kind {
	RET_NONE = 0,	/* void */
	RET_BOOL,	/* bool: low byte only */
	RET_S32,	/* int */
	RET_U32,	/* unsigned int */
	RET_S64,	/* long */
	RET_U64,	/* unsigned long */
};

struct gfn_slot_cfg {
	__u8 shape;	/* enum gfn_shape; SHAPE_NONE = slot unused */
	__u8 op;	/* enum gfn_op */
	__u8 family;	/* enum gfn_family */
	__u8 ret_kind;	/* enum gfn_ret_kind */
	__u16 func_id;	/* written into every event of this slot */
	__u8 starts_iter; /* 1: this function is an iterator; its calls get a new iter_id */
	__u8 pad;
};

/* Fixed program ids of the tracepoint programs (index into gfn_tp_cfg). */
enum gfn_tp_prog {
	TPP_UNMAP_HVA = 0,
	TPP_AGE_HVA,
	TPP_TEST_AGE_HVA,
	TPP_COUNT,
};

struct gfn_tp_cfg {
	__u16 func_id;
	__u8 family;
	__u8 op;
};

#define GFN_MAX_PID_FILTER 64

#endif /* GFNTOP_PROBE_ABI_H */
