/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readers for the signatures of the snp, snp-rfc, psp and rmp families
 * (KERNEL.md §1, §2). Included by slots.bpf.c. `ext` is per-call scratch:
 * what must be read at entry because the call changes it (the ioctl's
 * parameters, the firmware status before the call).
 *
 * Host physical frame numbers (pfn) are never recorded: gfn, hva and page
 * counts are.
 */
#ifndef GFNTOP_SHAPES_SNP_H
#define GFNTOP_SHAPES_SNP_H

#include "gfntop.bpf.h"

#define EXT_CMD_BAD	(~0ULL)		/* ext[0] of an ioctl whose command could not be read */
#define EXT_PARAMS	(1ULL << 32)	/* ext[0]: LAUNCH_UPDATE parameters are in ext[1..3] */

static __always_inline const struct kvm *snp_shape_kvm(u8 shape, const u64 *args)
{
	switch (shape) {
	case SHAPE_SEV_IOCTL:
	case SHAPE_GMEM_POPULATE:
	case SHAPE_POST_POPULATE6:
	case SHAPE_POST_POPULATE5:
	case SHAPE_KVM_SEV_CMD:
	case SHAPE_KVM_PFN:
	case SHAPE_GMEM_PREPARE:
	case SHAPE_GMEM_MAKE_PRIVATE:
	case SHAPE_HVA_RANGE_OP:
		return (const struct kvm *)args[0];
	}
	return NULL;
}

static __always_inline const struct sev_gmem_populate_args *populate_args(u8 shape, const u64 *args)
{
	return (const struct sev_gmem_populate_args *)(shape == SHAPE_POST_POPULATE6 ? args[5] : args[4]);
}

/* At entry: what the call will change. */
static __always_inline void snp_shape_enter(u8 shape, const u64 *args, u64 *ext)
{
	struct uapi_kvm_sev_cmd cmd = {};
	struct uapi_kvm_sev_snp_launch_update params = {};
	const struct sev_gmem_populate_args *pa;

	switch (shape) {
	case SHAPE_SEV_IOCTL:
		if (bpf_probe_read_user(&cmd, sizeof(cmd), (const void *)args[1])) {
			ext[0] = EXT_CMD_BAD;
			break;
		}
		ext[0] = cmd.id;
		if (cmd.id == KVM_SEV_SNP_LAUNCH_UPDATE &&
		    !bpf_probe_read_user(&params, sizeof(params), (const void *)cmd.data)) {
			ext[0] |= EXT_PARAMS;
			ext[1] = params.gfn_start;
			ext[2] = params.uaddr;
			ext[3] = (params.len & 0x00ffffffffffffffULL) | ((u64)params.type << 56);
		}
		break;
	case SHAPE_POST_POPULATE6:
	case SHAPE_POST_POPULATE5:
		pa = populate_args(shape, args);
		ext[0] = BPF_CORE_READ(pa, type);
		ext[1] = (u32)BPF_CORE_READ(pa, fw_error);
		break;
	}
}

/*
 * The memslot (address space 0) that holds gfn: a bounded walk of KVM's
 * gfn-ordered rb-tree of memslots, as kvm's own search_memslots() does.
 */
static __always_inline void set_slot_of_gfn(struct gfn_event *e, const struct kvm *kvm, u64 gfn)
{
	const struct kvm_memslots *slots = BPF_CORE_READ(kvm, memslots[0]);
	const struct rb_node *node;
	u64 node_off;
	int idx;

	if (!slots || !bpf_core_field_exists(slots->gfn_tree))
		return;
	idx = BPF_CORE_READ(slots, node_idx) & 1;
	node_off = bpf_core_field_offset(struct kvm_memory_slot, gfn_node) +
		   idx * bpf_core_type_size(struct rb_node);
	node = BPF_CORE_READ(slots, gfn_tree.rb_node);
	for (int depth = 0; depth < 48 && node; depth++) {	/* a red-black tree of <= 32767 slots */
		const struct kvm_memory_slot *ms = (const void *)((u64)node - node_off);
		u64 base = BPF_CORE_READ(ms, base_gfn);

		if (gfn < base) {
			node = BPF_CORE_READ(node, rb_left);
		} else if (gfn >= base + BPF_CORE_READ(ms, npages)) {
			node = BPF_CORE_READ(node, rb_right);
		} else {
			e->slot = (u16)BPF_CORE_READ(ms, id);
			e->as_id = 0;
			e->flags |= EVF_SLOT;
			return;
		}
	}
}

static __always_inline void set_gfns(struct gfn_event *e, u64 gfn, u64 n)
{
	e->gfn_start = gfn;
	e->gfn_end = gfn + n;
	e->npages = n;
	e->flags |= EVF_GFN | EVF_NPAGES;
}

static __always_inline void set_fw(struct gfn_event *e, s32 fw, u32 psp_cmd)
{
	e->fw_error = fw;
	e->psp_cmd = psp_cmd;
	e->flags |= EVF_FW | EVF_PSP_CMD;
}

static __always_inline u64 level_pages(u64 level)
{
	return level == PG_LEVEL_2M ? 512 : level == PG_LEVEL_1G ? 262144 : 1;
}

static __always_inline void fill_sev_ioctl(struct gfn_event *e, const u64 *args, const u64 *ext)
{
	u32 id = (u32)ext[0], fw = 0;
	u64 len;

	if (ext[0] == EXT_CMD_BAD)
		return;
	e->op = id == KVM_SEV_SNP_LAUNCH_START ? OP_LAUNCH_START :
		id == KVM_SEV_SNP_LAUNCH_UPDATE ? OP_LAUNCH_UPDATE :
		id == KVM_SEV_SNP_LAUNCH_FINISH ? OP_LAUNCH_FINISH : OP_SEV_IOCTL;
	/* the firmware status KVM copied back into the caller's struct kvm_sev_cmd */
	if (!bpf_probe_read_user(&fw, sizeof(fw), (const void *)(args[1] + __builtin_offsetof(struct uapi_kvm_sev_cmd, error))) &&
	    id >= KVM_SEV_SNP_LAUNCH_START && id <= KVM_SEV_SNP_LAUNCH_FINISH)
		set_fw(e, (s32)fw, 0xA0 + (id - KVM_SEV_SNP_LAUNCH_START));
	if (!(ext[0] & EXT_PARAMS))
		return;
	len = ext[3] & 0x00ffffffffffffffULL;
	set_gfns(e, ext[1], len >> PAGE_SHIFT);
	set_slot_of_gfn(e, (const struct kvm *)args[0], ext[1]);
	e->page_type = (u8)(ext[3] >> 56);
	e->flags |= EVF_PAGE_TYPE;
	if (ext[2])
		ev_set_hva(e, ext[2], ext[2] + len);
}

/* At exit: the event's fields for this shape. */
static __always_inline void snp_shape_fill(u8 shape, struct gfn_event *e, const u64 *args, const u64 *ext)
{
	const struct sev_gmem_populate_args *pa;
	const struct kvm_sev_cmd *sc;
	const struct rmp_state *rs;
	u64 n;
	s32 fw;

	switch (shape) {
	case SHAPE_SEV_IOCTL:
		fill_sev_ioctl(e, args, ext);
		break;
	case SHAPE_GMEM_POPULATE:
		set_gfns(e, args[1], args[3]);
		set_slot_of_gfn(e, (const struct kvm *)args[0], args[1]);
		if (args[2])
			ev_set_hva(e, args[2], args[2] + (args[3] << PAGE_SHIFT));
		break;
	case SHAPE_POST_POPULATE6:
	case SHAPE_POST_POPULATE5:
		n = shape == SHAPE_POST_POPULATE6 ? 1ULL << (args[4] & 31) : 1;
		set_gfns(e, args[1], n);
		set_slot_of_gfn(e, (const struct kvm *)args[0], args[1]);
		e->page_type = (u8)ext[0];
		e->flags |= EVF_PAGE_TYPE;
		/*
		 * fw_error is only written when the firmware is called; otherwise it holds
		 * whatever was there (it lives on snp_launch_update's stack). Record it
		 * for a failure that changed it: that is the firmware's answer.
		 */
		pa = populate_args(shape, args);
		fw = BPF_CORE_READ(pa, fw_error);
		if (e->ret < 0 && (u32)fw != (u32)ext[1])
			set_fw(e, fw, SEV_CMD_SNP_LAUNCH_UPDATE);
		break;
	case SHAPE_KVM_SEV_CMD:
		sc = (const struct kvm_sev_cmd *)args[1];
		set_fw(e, (s32)BPF_CORE_READ(sc, error),
		       e->op == OP_LAUNCH_START ? 0xA0 : e->op == OP_LAUNCH_FINISH ? 0xA2 : 0xA1);
		break;
	case SHAPE_PSP_CMD:
		e->psp_cmd = (u32)args[0];
		e->flags |= EVF_PSP_CMD;
		if (args[2] && !bpf_probe_read_kernel(&fw, sizeof(fw), (const void *)args[2])) {
			e->fw_error = fw;
			e->flags |= EVF_FW;
		}
		break;
	case SHAPE_RMP_PRIVATE:
		set_gfns(e, args[1] >> PAGE_SHIFT, level_pages(args[2]));
		break;
	case SHAPE_RMP_SHARED:
		e->npages = level_pages(args[1]);
		e->flags |= EVF_NPAGES;
		break;
	case SHAPE_RMPUPDATE:
		rs = (const struct rmp_state *)args[1];
		n = BPF_CORE_READ(rs, pagesize) ? 512 : 1;
		if (BPF_CORE_READ(rs, assigned))
			set_gfns(e, BPF_CORE_READ(rs, gpa) >> PAGE_SHIFT, n);
		else {
			e->npages = n;
			e->flags |= EVF_NPAGES;
		}
		break;
	case SHAPE_GMEM_PREPARE:
		set_gfns(e, args[2], 1);
		break;
	case SHAPE_PFN_RANGE:
		e->npages = args[1] > args[0] ? args[1] - args[0] : 0;
		e->flags |= EVF_NPAGES;
		break;
	case SHAPE_GMEM_MAKE_PRIVATE:
		set_gfns(e, args[1], args[3]);
		break;
	case SHAPE_PFN_COUNT:
		e->npages = args[1];
		e->flags |= EVF_NPAGES;
		break;
	case SHAPE_HVA_RANGE_OP:
		ev_set_hva_pages(e, args[1], args[2]);
		break;
	}
}

#endif /* GFNTOP_SHAPES_SNP_H */
