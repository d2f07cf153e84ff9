// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel functions and tracepoints gfntop traces, per family.
 * Facts per kernel version: ../shared/KERNEL.md §3.4, §4, §7.
 */
#include "probe_table.h"

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
	{ SIG_TP_HVA, SHAPE_TP_HVA, "long unsigned int", "all" },
};
const int sig_variants_len = sizeof(sig_variants) / sizeof(sig_variants[0]);
