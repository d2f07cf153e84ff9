/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel BTF (vmlinux + modules): find a function's or tracepoint's prototype and render it. */
#ifndef GFNTOP_BTF_INDEX_H
#define GFNTOP_BTF_INDEX_H

#include <stddef.h>

struct btf_index;

struct func_proto_info {
	char module[64];	/* "vmlinux" or the module holding it */
	char params[256];	/* "struct kvm *,struct kvm_gfn_range *" */
	char ret[64];		/* "bool", "int", "void" */
	int ret_kind;		/* enum gfn_ret_kind */
	int nparams;
};

/* Opens /sys/kernel/btf/vmlinux (or `dir`/vmlinux for tests); NULL with a message if absent. */
struct btf_index *btf_index_open(const char *dir, char *err, size_t errlen);
void btf_index_close(struct btf_index *bi);

/* 0 and *out filled if FUNC `name` exists in vmlinux or a loaded module's BTF; -1 if not. */
int btf_index_func(struct btf_index *bi, const char *name, struct func_proto_info *out);
/* Same for tracepoint `name` (without group): its btf_trace_<name> typedef, minus the leading void *. */
int btf_index_tracepoint(struct btf_index *bi, const char *name, struct func_proto_info *out);

#endif
