/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types gfntop's BPF programs touch, declared by hand with
 * preserve_access_index so that every field access is a CO-RE relocation
 * resolved against the running kernel's BTF at load time. Only the fields
 * read are declared; their order and offsets here do not matter.
 *
 * Fields that do not exist in every supported kernel are read behind
 * bpf_core_field_exists() (see KERNEL.md §3.1 and §3.5).
 */
#ifndef GFNTOP_KERNEL_TYPES_H
#define GFNTOP_KERNEL_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <asm/ptrace.h>		/* struct pt_regs (uapi layout) for kprobe programs */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef _Bool bool;
#define true 1
#define false 0

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct rb_node {
	struct rb_node *rb_right;
	struct rb_node *rb_left;
};

struct rb_root {
	struct rb_node *rb_node;
};

struct kvm_memory_slot {
	struct rb_node gfn_node[2];
	u64 base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	short id;
	u16 as_id;		/* since 5.11 */
};

struct kvm_gfn_range {
	struct kvm_memory_slot *slot;
	u64 start;
	u64 end;
};

struct mmu_notifier {
	void *ops;
};

struct mmu_notifier_range {
	unsigned long start;
	unsigned long end;
};

/* 5.17+: memslots in a gfn-ordered rb-tree, two copies of the node, node_idx the live one */
struct kvm_memslots {
	struct rb_root gfn_tree;
	int node_idx;
};

struct kvm {
	struct kvm_memslots *memslots[1];	/* address space 0: where private memory lives */
	struct mmu_notifier mmu_notifier;
	int userspace_pid;	/* since 5.13 (binary stats); guarded */
};

struct task_struct {
	unsigned int flags;
	void *mm;
	int tgid;
};

/* classic tracepoint records, used only when tp_btf is unavailable */
struct trace_entry {
	unsigned short type;
};

struct trace_event_raw_kvm_unmap_hva_range {
	struct trace_entry ent;
	unsigned long start;
	unsigned long end;
};

struct trace_event_raw_kvm_age_hva {
	struct trace_entry ent;
	unsigned long start;
	unsigned long end;
};

struct trace_event_raw_kvm_test_age_hva {
	struct trace_entry ent;
	unsigned long hva;
};

/* kvm-amd's opaque argument of sev_gmem_post_populate (6.10 → 7.3) */
struct sev_gmem_populate_args {
	u8 type;
	int sev_fd;
	int fw_error;
};

/* kernel copy of the ioctl command, passed to snp_launch_* */
struct kvm_sev_cmd {
	u32 id;
	u64 data;
	u32 error;
};

struct rmp_state {
	u64 gpa;
	u8 assigned;
	u8 pagesize;
	u32 asid;
};

#pragma clang attribute pop

/*
 * uAPI layouts (arch/x86/include/uapi/asm/kvm.h), read from user memory: fixed
 * by the ABI, so plain structs, no CO-RE.
 */
struct uapi_kvm_sev_cmd {
	u32 id;
	u32 pad0;
	u64 data;
	u32 error;
	u32 sev_fd;
};

struct uapi_kvm_sev_snp_launch_update {
	u64 gfn_start;
	u64 uaddr;
	u64 len;
	u8 type;
	u8 pad0;
	u16 flags;
	u32 pad1;
	u64 pad2[4];
};

#define KVM_SEV_SNP_LAUNCH_START 100
#define KVM_SEV_SNP_LAUNCH_UPDATE 101
#define KVM_SEV_SNP_LAUNCH_FINISH 102
#define SEV_CMD_SNP_LAUNCH_UPDATE 0xA1
#define PG_LEVEL_2M 2
#define PG_LEVEL_1G 3

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h, unchanged since 2.6 */
#define PAGE_SHIFT 12

#endif /* GFNTOP_KERNEL_TYPES_H */
