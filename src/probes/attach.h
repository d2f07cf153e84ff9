/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach engine: detection (BTF, kallsyms, ftrace), choice of program
 * variant and attach method per probe, load with fallback, attach, and an
 * honest record of every probe's outcome.
 */
#ifndef GFNTOP_PROBES_H
#define GFNTOP_PROBES_H

#include <stdbool.h>
#include <stdio.h>
#include "probes/btf_index.h"
#include "probes/probe_table.h"

/* How one probe is attached. Each function method is a pair of programs. */
enum attach_method {
	METHOD_FENTRY,		/* fentry + fexit */
	METHOD_KPROBE,		/* kprobe + kretprobe */
	METHOD_TP_BTF,		/* BTF raw tracepoint */
	METHOD_TRACEPOINT,	/* classic tracepoint */
	METHOD_COUNT,
};

enum probe_state {
	STATE_OK,
	STATE_MISSING,		/* not in this kernel, or inlined */
	STATE_REFUSED,		/* the kernel refused every method tried */
	STATE_UNSUPPORTED,	/* present, but no method gfntop has can trace it here */
};

#define MAX_PROBES 64

struct probe {
	struct probe_def def;		/* a copy: --handler rows are made at run time */
	char target[128];
	int func_id;

	/* detection */
	bool found;			/* BTF prototype found */
	struct func_proto_info proto;
	int shape;			/* enum gfn_shape of the matching variant */
	bool in_kallsyms;
	char ksym[160];
	int traceable;			/* 1 / 0 / -1 unknown */
	bool no_kprobes;		/* the kernel has none: say so if everything else fails */

	/* plan: methods to try in order, and why each earlier one failed */
	int methods[2];
	int nmethods;
	int method_idx;
	int slot;			/* program pool slot, functions only */

	/* outcome */
	enum probe_state state;
	char reason[256];
	struct bpf_link *links[2];
};

struct engine_config {
	const unsigned int *pids;	/* -p, in-kernel filter */
	int npids;
	unsigned long long vm_key[2];	/* per-run key of the vm_id hash */
	size_t ringbuf_bytes;
	unsigned int kagg_families;	/* 1 << enum gfn_family: counted in the kernel (bpf/kagg.bpf.h) */
	int verbose;
	const char *btf_dir;		/* NULL = /sys/kernel/btf */
};

struct probe_set {
	struct probe probes[MAX_PROBES];
	int n;
	struct gfntop_bpf *skel;
	struct btf_index *btf;
	struct engine_config cfg;
};

/*
 * Builds the probe list for the selected families (mask of 1 << enum
 * gfn_family, 0 = all) plus extra handler functions, detects, loads and
 * attaches. Returns 0 (check probes_attached()), or -1 with a message in err
 * when the kernel cannot be used at all (no BTF, no privileges).
 */
int probes_setup(struct probe_set *ps, unsigned int families, const char *const *handlers,
		 int nhandlers, const struct engine_config *cfg, char *err, size_t errlen);
int probes_attached(const struct probe_set *ps);
void probes_print(const struct probe_set *ps, FILE *out);
/*
 * The rows --list-probes prints, one per program (fentry and fexit are two):
 * the probe, its kind ("fentry", "kprobe", "tracepoint", ...) and its state.
 */
typedef void (*probe_row_fn)(void *ctx, const struct probe *p, const char *kind, enum probe_state st);
void probes_each_row(const struct probe_set *ps, probe_row_fn fn, void *ctx);
/* "mmu 5/5 tp 3/3": families with their attached/total probe counts */
void probes_summary(const struct probe_set *ps, char *buf, size_t len);
/* A sentence naming what is missing, for the "nothing could attach" exit. */
void probes_explain_none(const struct probe_set *ps, char *buf, size_t len);
/*
 * Probes in a module that has been unloaded since they attached (kprobes do
 * not pin a module; fentry does): marks them missing with the reason, prints
 * one line per module to `out`, and returns how many probes it marked.
 */
int probes_check_modules(struct probe_set *ps, FILE *out);
/* Detaches every probe; the maps stay readable until probes_destroy(). */
void probes_detach(struct probe_set *ps);
void probes_destroy(struct probe_set *ps);

int probes_events_fd(const struct probe_set *ps);
/* The kernel's count of events lost (ring buffer full), readable without a syscall. */
const volatile unsigned long long *probes_lost_counter(const struct probe_set *ps);

/* The kernel's aggregates (bpf/kagg.bpf.h), for sources/kagg.c; the counters are memory-mapped. */
void probes_kagg(const struct probe_set *ps, int *cache_fd, int *rows_fd, int *hist_fd,
		 const volatile unsigned long long **full, volatile long long **samples);

const char *probe_state_name(enum probe_state s);
/* A probe's state as --list-probes shows it: ok only when attached (a probe that loaded but did not attach is refused). */
enum probe_state probe_effective_state(const struct probe *p);

#endif
