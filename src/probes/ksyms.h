/* SPDX-License-Identifier: GPL-2.0 */
/* One pass over /proc/kallsyms and ftrace's available_filter_functions for a set of function names. */
#ifndef GFNTOP_KSYMS_H
#define GFNTOP_KSYMS_H

#include <stdbool.h>

struct ksym_query {
	const char *name;	/* in: plain function name */
	bool in_kallsyms;	/* out: a text symbol of that name, or with a compiler suffix */
	char sym[160];		/* out: the kallsyms name to use for a kprobe (may carry .constprop.0 etc.) */
	int traceable;		/* out: 1 listed in available_filter_functions, 0 not, -1 unknown */
};

/* Fills the queries. Returns 0, or -1 if kallsyms cannot be read. `root` prefixes paths (tests). */
int ksyms_scan(struct ksym_query *q, int n, const char *root);

/* Compares a symbol with a plain name, ignoring a compiler suffix (.constprop.0, .isra.0, .part.0, .cold). */
bool ksym_matches(const char *sym, const char *name, bool *exact);

/* kprobes exist in this kernel (a kprobe PMU or tracefs kprobe_events) */
bool kernel_has_kprobes(const char *root);

/* The tracefs directory, or NULL if tracefs is not mounted. */
const char *tracefs_dir(const char *root);

#endif
