/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe table (DESIGN.md §2) as data: one row per (family, kernel
 * function or tracepoint), and the signature variants the BPF programs know.
 * Detection and attach (attach.c) walk these tables; adding a kernel function
 * is adding a row, and only a new signature needs a new variant and shape.
 */
#ifndef GFNTOP_PROBE_TABLE_H
#define GFNTOP_PROBE_TABLE_H

#include <stdbool.h>
#include "gfntop/event.h"
#include "gfntop/probe_abi.h"

/* Signature classes a row may have; each has one or more variants below. */
enum sig_class {
	SIG_GFN_HANDLER,	/* per-slot gfn-range handler */
	SIG_MN_INVALIDATE,
	SIG_MN_YOUNG,
	SIG_MN_TEST_YOUNG,
	SIG_TP_HVA_RANGE,
	SIG_TP_HVA,
	SIG_SEV_IOCTL,
	SIG_GMEM_POPULATE,
	SIG_POST_POPULATE,
	SIG_KVM_SEV_CMD,
	SIG_KVM_PFN,
	SIG_PSP_CMD,
	SIG_RMP_PRIVATE,
	SIG_RMP_SHARED,
	SIG_RMPUPDATE,
	SIG_PFN,
	SIG_GMEM_PREPARE,
	SIG_PFN_RANGE,
	SIG_GMEM_MAKE_PRIVATE,
	SIG_PFN_COUNT,
	SIG_HVA_RANGE_OP,
};

struct probe_def {
	unsigned char family;	/* enum gfn_family */
	unsigned char op;	/* enum gfn_op */
	const char *target;	/* function name, or tracepoint "kvm:name" */
	unsigned char sig;	/* enum sig_class */
	bool starts_iter;	/* its calls group the handler calls they make (iter_id) */
	int tp_prog;		/* tracepoints: enum gfn_tp_prog; -1 for functions */
};

/*
 * A variant: the BTF prototype (parameter types, comma-separated, as
 * btf_proto_params() renders them; tracepoints without their leading
 * `void *`) that a shape of the BPF programs can read.
 */
struct sig_variant {
	unsigned char sig;
	unsigned char shape;	/* enum gfn_shape */
	const char *params;
	const char *note;	/* which kernels have it, for --list-probes -v */
};

extern const struct probe_def probe_table[];
extern const int probe_table_len;
extern const struct sig_variant sig_variants[];
extern const int sig_variants_len;

static inline bool probe_is_tracepoint(const struct probe_def *d)
{
	return d->tp_prog >= 0;
}

#endif
