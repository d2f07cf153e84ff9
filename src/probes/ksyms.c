// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a function survived as a separate symbol (not inlined), under which
 * name a kprobe must use, and whether ftrace can patch it. Both files are
 * large and slow to read under emulation, so each is read once for all names.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "probes/ksyms.h"

bool ksym_matches(const char *sym, const char *name, bool *exact)
{
	size_t n = strlen(name);

	if (strncmp(sym, name, n))
		return false;
	*exact = sym[n] == '\0';
	return *exact || sym[n] == '.';
}

static void path_in(char *buf, size_t len, const char *root, const char *path)
{
	snprintf(buf, len, "%s%s", root ? root : "", path);
}

const char *tracefs_dir(const char *root)
{
	static char dir[256];
	static const char *const candidates[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		char probe[300];

		path_in(dir, sizeof(dir), root, candidates[i]);
		snprintf(probe, sizeof(probe), "%s/events", dir);
		if (access(probe, F_OK) == 0)
			return dir;
	}
	return NULL;
}

bool kernel_has_kprobes(const char *root)
{
	char path[300];
	const char *tfs = tracefs_dir(root);

	path_in(path, sizeof(path), root, "/sys/bus/event_source/devices/kprobe/type");
	if (access(path, F_OK) == 0)
		return true;
	if (tfs) {
		snprintf(path, sizeof(path), "%s/kprobe_events", tfs);
		return access(path, F_OK) == 0;
	}
	return false;
}

/* Records `sym` for every query it matches; an exact name wins over a suffixed one. */
static void offer(struct ksym_query *q, int n, const char *sym, bool kallsyms)
{
	bool exact;

	for (int i = 0; i < n; i++) {
		if (!ksym_matches(sym, q[i].name, &exact))
			continue;
		if (!kallsyms) {
			q[i].traceable = 1;
			continue;
		}
		if (strstr(sym, ".cold"))
			continue;	/* a split-off cold part, not the function's entry */
		if (!q[i].in_kallsyms || exact)
			snprintf(q[i].sym, sizeof(q[i].sym), "%s", sym);
		q[i].in_kallsyms = true;
	}
}

int ksyms_scan(struct ksym_query *q, int n, const char *root)
{
	char path[300], line[512];
	const char *tfs;
	FILE *f;

	for (int i = 0; i < n; i++) {
		q[i].in_kallsyms = false;
		q[i].sym[0] = '\0';
		q[i].traceable = -1;
	}

	path_in(path, sizeof(path), root, "/proc/kallsyms");
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char type, sym[256];

		/* "ffffffffc0a1b2c0 t kvm_age_gfn\t[kvm]" */
		if (sscanf(line, "%*s %c %255s", &type, sym) == 2 && (type == 't' || type == 'T'))
			offer(q, n, sym, true);
	}
	fclose(f);

	tfs = tracefs_dir(root);
	if (!tfs)
		return 0;
	snprintf(path, sizeof(path), "%s/available_filter_functions", tfs);
	f = fopen(path, "re");
	if (!f)
		return 0;
	for (int i = 0; i < n; i++)
		q[i].traceable = 0;
	while (fgets(line, sizeof(line), f)) {
		char sym[256];

		if (sscanf(line, "%255s", sym) == 1)
			offer(q, n, sym, false);
	}
	fclose(f);
	return 0;
}
