// SPDX-License-Identifier: GPL-2.0
/*
 * What every run mode on the kernel needs (the live view, --list-probes,
 * `gfntop record`): privileges checked, the probes attached with the tp
 * family as the fallback, the capabilities dropped once attached, and
 * whether a VMM still runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "cli/cli.h"
#include "base/names.h"
#include "probes/attach.h"

/* Does process pid still exist? (EPERM: it does, we may not signal it.) */
bool pid_alive(uint32_t pid)
{
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* Root, or CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) in the effective set. */
bool has_bpf_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
#define HAS(cap) (data[(cap) / 32].effective & (1u << ((cap) % 32)))
	return HAS(21 /* CAP_SYS_ADMIN */) || (HAS(39 /* CAP_BPF */) && HAS(38 /* CAP_PERFMON */));
#undef HAS
}

/*
 * Once attached, gfntop reads the ring buffer and the loss counter through
 * memory maps and writes its trace as its own user: it needs no capability
 * any more. Drop them all, for good.
 */
int drop_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct none[2] = { 0 };

	for (int cap = 0; cap < 64; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);	/* fails harmlessly past the last one */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_capset, &hdr, none)) {
		fprintf(stderr, "gfntop: cannot drop privileges: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int setup_probes(struct probe_set *ps, const struct options *o, unsigned int families,
			unsigned int kagg_fams)
{
	struct engine_config cfg = {
		.pids = o->pids, .npids = o->npids, .ringbuf_bytes = o->ringbuf_bytes,
		.verbose = o->verbose, .kagg_families = kagg_fams,
		.btf_dir = getenv("GFNTOP_BTF_DIR"),	/* tests: a kernel without BTF */
	};
	char err[512];

	if (getrandom(cfg.vm_key, sizeof(cfg.vm_key), 0) != sizeof(cfg.vm_key)) {
		fprintf(stderr, "gfntop: cannot get a random key: %s\n", strerror(errno));
		return -1;
	}
	if (probes_setup(ps, families, o->handlers, o->nhandlers, &cfg, err, sizeof(err))) {
		fprintf(stderr, "gfntop: %s\n", err);
		return -1;
	}
	return 0;
}

/* One line per family that attached nothing, with the first reason: say what is missing. */
static void report_failed_families(const struct probe_set *ps)
{
	for (int f = 1; f < FAM_COUNT; f++) {
		const struct probe *first = NULL;
		int ok = 0, total = 0;

		for (int i = 0; i < ps->n; i++) {
			if (ps->probes[i].def.family != f)
				continue;
			total++;
			ok += ps->probes[i].state == STATE_OK && ps->probes[i].links[0];
			if (!first && ps->probes[i].state != STATE_MISSING)
				first = &ps->probes[i];
		}
		if (total && !ok)
			fprintf(stderr, "gfntop: %s: 0/%d probes attached%s%s\n", family_name(f), total,
				first ? ": " : " (none of its functions is in this kernel)",
				first ? first->reason : "");
	}
}

int attach_probes(struct probe_set *ps, const struct options *o, unsigned int kagg_fams,
		  char *probes, size_t probes_len)
{
	char err[512];

	if (setup_probes(ps, o, o->families, kagg_fams))
		return -1;
	if (!probes_attached(ps) && o->families && !(o->families & (1u << FAM_TP))) {
		fprintf(stderr, "gfntop: nothing of -P attached; falling back to the tp family\n");
		probes_destroy(ps);
		if (setup_probes(ps, o, o->families | (1u << FAM_TP), kagg_fams))
			return -1;
	}
	if (!probes_attached(ps)) {
		probes_explain_none(ps, err, sizeof(err));
		fprintf(stderr, "gfntop: %s\n", err);
		probes_destroy(ps);
		return -1;
	}
	report_failed_families(ps);
	probes_summary(ps, probes, probes_len);
	if (o->verbose)
		probes_print(ps, stderr);
	return 0;
}
