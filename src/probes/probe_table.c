// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel functions and tracepoints gfntop traces, per family.
 * Facts per kernel version: ../shared/KERNEL.md §3.4, §4, §7.
 */
#include "probes/probe_table.h"

#define FN(fam, op_, name, sig_, iter) \
	{ .family = fam, .op = op_, .target = name, .sig = sig_, .starts_iter = iter, .tp_prog = -1 }
#define TP(op_, name, sig_, prog) \
	{ .family = FAM_TP, .op = op_, .target = name, .sig = sig_, .tp_prog = prog }

const struct probe_def probe_table[] = {
	/* mmu: the MMU-notifier entries (iterators) ... */
	FN(FAM_MMU, OP_NOTIFIER, "kvm_mmu_notifier_invalidate_range_start", SIG_MN_INVALIDATE, true),
	FN(FAM_MMU, OP_NOTIFIER, "kvm_mmu_notifier_clear_flush_young", SIG_MN_YOUNG, true),
	FN(FAM_MMU, OP_NOTIFIER, "kvm_mmu_notifier_clear_young", SIG_MN_YOUNG, true),
	FN(FAM_MMU, OP_NOTIFIER, "kvm_mmu_notifier_test_young", SIG_MN_TEST_YOUNG, true),
	/* ... and the per-slot handlers they call (6.1: kvm_unmap_gfn_range directly;
	 * 6.8+: kvm_mmu_unmap_gfn_range, which calls kvm_unmap_gfn_range) */
	FN(FAM_MMU, OP_UNMAP, "kvm_mmu_unmap_gfn_range", SIG_GFN_HANDLER, false),
	FN(FAM_MMU, OP_UNMAP, "kvm_unmap_gfn_range", SIG_GFN_HANDLER, false),
	FN(FAM_MMU, OP_AGE, "kvm_age_gfn", SIG_GFN_HANDLER, false),
	FN(FAM_MMU, OP_TEST_AGE, "kvm_test_age_gfn", SIG_GFN_HANDLER, false),
	FN(FAM_MMU, OP_SET_SPTE, "kvm_set_spte_gfn", SIG_GFN_HANDLER, false),	/* <= 6.9 */

	/* snp: the SNP launch path of mainline 6.10+ (KERNEL.md §2). The ioctl is the
	 * iterator: populate, post_populate, PSP and RMP calls it makes share its iter_id. */
	FN(FAM_SNP, OP_SEV_IOCTL, "sev_mem_enc_ioctl", SIG_SEV_IOCTL, true),
	FN(FAM_SNP, OP_POPULATE, "kvm_gmem_populate", SIG_GMEM_POPULATE, false),
	FN(FAM_SNP, OP_POST_POPULATE, "sev_gmem_post_populate", SIG_POST_POPULATE, false),
	FN(FAM_SNP, OP_LAUNCH_START, "snp_launch_start", SIG_KVM_SEV_CMD, false),
	FN(FAM_SNP, OP_UPDATE_VMSA, "snp_launch_update_vmsa", SIG_KVM_SEV_CMD, false),
	FN(FAM_SNP, OP_LAUNCH_FINISH, "snp_launch_finish", SIG_KVM_SEV_CMD, false),
	FN(FAM_SNP, OP_PAGE_RECLAIM, "snp_page_reclaim", SIG_KVM_PFN, false),

	/* snp-rfc: the out-of-tree SNP host series v7-v11 (KERNEL.md §1) */
	FN(FAM_SNP_RFC, OP_HVA_RANGE, "kvm_vm_do_hva_range_op", SIG_HVA_RANGE_OP, true),
	FN(FAM_SNP_RFC, OP_LAUNCH_UPDATE, "snp_launch_update_gfn_handler", SIG_GFN_HANDLER, false),
	FN(FAM_SNP_RFC, OP_LAUNCH_UPDATE, "sev_launch_update_gfn_handler", SIG_GFN_HANDLER, false),

	/* psp: every firmware command, with its status */
	FN(FAM_PSP, OP_PSP_CMD, "__sev_do_cmd_locked", SIG_PSP_CMD, false),

	/* rmp: RMP transitions (vmlinux) and the guest_memfd hooks of kvm-amd */
	FN(FAM_RMP, OP_RMP_PRIVATE, "rmp_make_private", SIG_RMP_PRIVATE, false),
	FN(FAM_RMP, OP_RMP_SHARED, "rmp_make_shared", SIG_RMP_SHARED, false),
	FN(FAM_RMP, OP_RMPUPDATE, "rmpupdate", SIG_RMPUPDATE, false),
	FN(FAM_RMP, OP_PSMASH, "psmash", SIG_PFN, false),
	FN(FAM_RMP, OP_GMEM_PREPARE, "sev_gmem_prepare", SIG_GMEM_PREPARE, false),		/* <= 7.2 */
	FN(FAM_RMP, OP_GMEM_INVALIDATE, "sev_gmem_invalidate", SIG_PFN_RANGE, false),	/* <= 7.2 */
	FN(FAM_RMP, OP_GMEM_PREPARE, "sev_gmem_make_private", SIG_GMEM_MAKE_PRIVATE, false),	/* 7.3 */
	FN(FAM_RMP, OP_GMEM_INVALIDATE, "sev_gmem_make_shared", SIG_PFN_COUNT, false),	/* 7.3 */
	FN(FAM_RMP, OP_GMEM_INVALIDATE, "sev_gmem_invalidate_range", SIG_GFN_HANDLER, false),	/* 7.2+ */

	/* tp: KVM's tracepoints, for kernels that refuse fentry and have no kprobes */
	TP(OP_TP_UNMAP_HVA, "kvm:kvm_unmap_hva_range", SIG_TP_HVA_RANGE, TPP_UNMAP_HVA),
	TP(OP_TP_AGE_HVA, "kvm:kvm_age_hva", SIG_TP_HVA_RANGE, TPP_AGE_HVA),
	TP(OP_TP_TEST_AGE_HVA, "kvm:kvm_test_age_hva", SIG_TP_HVA, TPP_TEST_AGE_HVA),
};
const int probe_table_len = sizeof(probe_table) / sizeof(probe_table[0]);

const struct sig_variant sig_variants[] = {
	{ SIG_GFN_HANDLER, SHAPE_GFN_HANDLER, "struct kvm *,struct kvm_gfn_range *",
	  "every mainline kernel" },
	{ SIG_GFN_HANDLER, SHAPE_GFN_HANDLER, "struct kvm *,struct kvm_gfn_range *,void *",
	  "RFC-era kvm_hva_range_op_t handlers (SNP host v7-v11)" },
	{ SIG_MN_INVALIDATE, SHAPE_MN_INVALIDATE, "struct mmu_notifier *,struct mmu_notifier_range *",
	  "5.0+" },
	{ SIG_MN_YOUNG, SHAPE_MN_YOUNG,
	  "struct mmu_notifier *,struct mm_struct *,long unsigned int,long unsigned int", "all" },
	{ SIG_MN_TEST_YOUNG, SHAPE_MN_TEST_YOUNG,
	  "struct mmu_notifier *,struct mm_struct *,long unsigned int", "all" },
	{ SIG_TP_HVA_RANGE, SHAPE_TP_HVA_RANGE, "long unsigned int,long unsigned int", "all" },
	{ SIG_SEV_IOCTL, SHAPE_SEV_IOCTL, "struct kvm *,void *", "all" },
	{ SIG_GMEM_POPULATE, SHAPE_GMEM_POPULATE,
	  "struct kvm *,gfn_t,void *,long int,kvm_gmem_populate_cb,void *", "6.10-7.1" },
	{ SIG_GMEM_POPULATE, SHAPE_GMEM_POPULATE,
	  "struct kvm *,gfn_t,void *,long int,bool,kvm_gmem_populate_cb,void *", "7.2+" },
	{ SIG_POST_POPULATE, SHAPE_POST_POPULATE6,
	  "struct kvm *,gfn_t,kvm_pfn_t,void *,int,void *", "6.10-6.19" },
	{ SIG_POST_POPULATE, SHAPE_POST_POPULATE5,
	  "struct kvm *,gfn_t,kvm_pfn_t,struct page *,void *", "7.0+" },
	{ SIG_KVM_SEV_CMD, SHAPE_KVM_SEV_CMD, "struct kvm *,struct kvm_sev_cmd *", "6.10+" },
	{ SIG_KVM_PFN, SHAPE_KVM_PFN, "struct kvm *,u64", "6.10+" },
	{ SIG_PSP_CMD, SHAPE_PSP_CMD, "int,void *,int *", "all" },
	{ SIG_RMP_PRIVATE, SHAPE_RMP_PRIVATE, "u64,u64,enum pg_level,u32,bool", "6.10+" },
	{ SIG_RMP_SHARED, SHAPE_RMP_SHARED, "u64,enum pg_level", "6.10+" },
	{ SIG_RMPUPDATE, SHAPE_RMPUPDATE, "u64,struct rmp_state *", "6.10+" },
	{ SIG_PFN, SHAPE_PFN, "u64", "6.10+" },
	{ SIG_GMEM_PREPARE, SHAPE_GMEM_PREPARE, "struct kvm *,kvm_pfn_t,gfn_t,int", "6.10-7.2" },
	{ SIG_PFN_RANGE, SHAPE_PFN_RANGE, "kvm_pfn_t,kvm_pfn_t", "6.10-7.2" },
	{ SIG_GMEM_MAKE_PRIVATE, SHAPE_GMEM_MAKE_PRIVATE, "struct kvm *,gfn_t,kvm_pfn_t,kvm_pfn_t", "7.3" },
	{ SIG_PFN_COUNT, SHAPE_PFN_COUNT, "kvm_pfn_t,kvm_pfn_t", "7.3" },
	{ SIG_HVA_RANGE_OP, SHAPE_HVA_RANGE_OP,
	  "struct kvm *,long unsigned int,long unsigned int,kvm_hva_range_op_t,void *", "SNP host RFC v7-v11" },
	{ SIG_TP_HVA, SHAPE_TP_HVA, "long unsigned int", "all" },
};
const int sig_variants_len = sizeof(sig_variants) / sizeof(sig_variants[0]);
