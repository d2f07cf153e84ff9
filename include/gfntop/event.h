/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event record of gfntop.
 *
 * BPF programs fill it in the ring buffer, the live source converts its
 * timestamp to wall-clock time, the CSV reader rebuilds it from a trace, and
 * every consumer (aggregation, CSV writer, batch text, TUI) reads only this.
 * It is included by BPF code (compiled with clang -target bpf) and by
 * userspace, so it uses only fixed-width types and no kernel headers.
 */
#ifndef GFNTOP_EVENT_H
#define GFNTOP_EVENT_H

#ifdef __bpf__
/* the BPF side gets __u64 & co. from <linux/types.h> via bpf/kernel_types.h */
#else
#include <linux/types.h>
#endif

/* Probe families (DESIGN.md §2). The order is the order of -P and --list-probes. */
enum gfn_family {
	FAM_NONE = 0,
	FAM_SNP,
	FAM_SNP_RFC,
	FAM_PSP,
	FAM_RMP,
	FAM_MMU,
	FAM_ATTR,
	FAM_TP,
	FAM_COUNT,
};

/*
 * Operations (the CSV 'op' column). Names live in src/base/names.c; the numeric
 * values are internal (never written to a trace), so rows may be appended
 * anywhere, but keep the groups together for readability.
 */
enum gfn_op {
	OP_NONE = 0,
	/* mmu family */
	OP_UNMAP,
	OP_AGE,
	OP_TEST_AGE,
	OP_SET_SPTE,
	OP_NOTIFIER,
	OP_HANDLER,	/* a --handler FUNC given on the command line */
	/* attr family */
	OP_ATTR_PRE,
	OP_ATTR_POST,
	OP_GMEM_INVALIDATE,
	/* snp / snp-rfc families */
	OP_POPULATE,
	OP_POST_POPULATE,
	OP_LAUNCH_START,
	OP_LAUNCH_UPDATE,
	OP_LAUNCH_FINISH,
	OP_UPDATE_VMSA,
	OP_PAGE_RECLAIM,
	OP_SEV_IOCTL,
	OP_HVA_RANGE,
	/* psp / rmp families */
	OP_PSP_CMD,
	OP_RMP_PRIVATE,
	OP_RMP_SHARED,
	OP_RMPUPDATE,
	OP_PSMASH,
	OP_GMEM_PREPARE,
	/* tp family */
	OP_TP_UNMAP_HVA,
	OP_TP_AGE_HVA,
	OP_TP_TEST_AGE_HVA,
	OP_TP_SET_ATTR,
	OP_TP_RMP_FAULT,
	/* synthesized by userspace: ret = number of events the kernel could not queue */
	OP_LOST,
	OP_COUNT,
};

/* Which optional fields of a record hold a value (an empty CSV cell otherwise). */
enum gfn_event_flags {
	EVF_DUR       = 1 << 0,	/* dur_ns */
	EVF_SLOT      = 1 << 1,	/* slot and as_id */
	EVF_GFN       = 1 << 2,	/* gfn_start, gfn_end */
	EVF_HVA       = 1 << 3,	/* hva_start, hva_end */
	EVF_FW        = 1 << 4,	/* fw_error */
	EVF_PSP_CMD   = 1 << 5,	/* psp_cmd */
	EVF_PAGE_TYPE = 1 << 6,	/* page_type */
	EVF_VM_PID    = 1 << 7,	/* vm_pid */
	EVF_VM_ID     = 1 << 8,	/* vm_id */
	EVF_RET       = 1 << 9,	/* ret (tracepoints have none) */
	EVF_NPAGES    = 1 << 10,	/* npages */
	EVF_TASK      = 1 << 11,	/* cpu, pid, comm */
	/*
	 * Already counted in the kernel's aggregates (include/gfntop/kagg.h): a
	 * row that crossed the ring buffer only to be seen (a VM's first event of
	 * a row, a failure, a sample for the recent-events view). The model
	 * notes it without counting it again; it is never written to a trace.
	 */
	EVF_AGGREGATED = 1 << 12,
};

#define GFN_COMM_LEN 16

/*
 * 128 bytes, naturally aligned, no implicit padding (checked by a static
 * assertion in userspace). Keep it that size: it is what every event costs
 * in the ring buffer.
 */
struct gfn_event {
	__u64 ts_ns;		/* start; BPF: CLOCK_MONOTONIC; consumers: ns since the epoch */
	__u64 dur_ns;
	__u64 vm_id;		/* keyed hash of the struct kvm address, never the address */
	__u64 iter_id;		/* links handler calls to the iterator call that made them; 0 = none */
	__u64 gfn_start;
	__u64 gfn_end;		/* exclusive */
	__u64 hva_start;
	__u64 hva_end;		/* exclusive */
	__u64 npages;
	__s64 ret;
	__u32 cpu;
	__u32 pid;		/* thread-group id of the task that ran the operation */
	__u32 vm_pid;		/* VMM pid from kvm->userspace_pid */
	__s32 fw_error;
	__u32 psp_cmd;
	__u16 func_id;		/* index into the function-name table (src/base/names.c) */
	__u16 flags;		/* enum gfn_event_flags */
	__u8 family;		/* enum gfn_family */
	__u8 op;		/* enum gfn_op */
	__u8 page_type;
	__u8 reserved0;
	__u16 slot;
	__u16 as_id;
	char comm[GFN_COMM_LEN];
};

#endif /* GFNTOP_EVENT_H */
