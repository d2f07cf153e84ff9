// SPDX-License-Identifier: GPL-2.0
/*
 * The live run and --list-probes: the probes attached (kernel.c), the ring
 * buffer and the kernel's aggregates drained into the session, the
 * capabilities dropped, and the kernel as the run source of the batch and TUI
 * loops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "cli/cli.h"
#include "base/sanitize.h"
#include "probes/attach.h"
#include "sources/kagg.h"
#include "sources/live.h"
#include "outputs/json.h"

/*
 * SIGHUP with a trace file: logrotate moved it away (or not: then nothing
 * changes). What happened before the signal belongs to the old file: the
 * events queued in the ring and the loss counted so far go there first.
 * A refused reopen ends the run, and the rest still goes to the old file.
 */
static void reopen_trace(struct session *s, struct live_source *ls)
{
	live_poll(ls, 0);
	live_check_lost(ls);
	if (s->write_failed || csv_reopen(s->csv, s->cfg.force) == 0)
		return;
	if (csv_error(s->csv)) {
		s->write_failed = true;		/* said when the session closes the trace */
	} else {
		term_message(stderr, csv_strerror(s->csv));
		s->failed = true;
		stop_requested = 1;
	}
}

/* Once per interval: was the trace deleted, or replaced, under us? */
static void check_trace(struct session *s)
{
	int rc = csv_check(s->csv);

	if (rc == CSV_RECREATED) {
		term_message(stderr, csv_strerror(s->csv));
		s->failed = true;	/* the rows it held are gone: the exit status says so */
	} else if (rc < 0) {
		s->write_failed = true;	/* said when the session closes the trace */
	}
}

/* the work of each live interval (cli.h) */
void interval_work(struct session *s, struct live_source *ls, struct probe_set *ps,
		   char *probes, size_t probes_len)
{
	if (reopen_requested) {
		reopen_requested = 0;
		if (s->csv)
			reopen_trace(s, ls);
	}
	live_check_lost(ls);
	if (probes_check_modules(ps, stderr))
		probes_summary(ps, probes, probes_len);
	launch_reap(&s->launches, pid_alive);
	exports_interval(s, ps);
	if (s->csv && !s->write_failed)
		check_trace(s);
	if (s->csv && csv_flush(s->csv))
		s->write_failed = true;
}

/*
 * Can this process still read a BPF map once it has dropped every
 * capability? Not where kernel.unprivileged_bpf_disabled closes the whole
 * bpf() system call to the unprivileged (kernels before 6.5), only map
 * creation and program loads: a child drops its capabilities and tries.
 */
static bool map_reads_unprivileged(void)
{
	FILE *f = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
	int disabled = 1, fd, status = 1;
	pid_t pid;

	if (f) {
		if (fscanf(f, "%d", &disabled) != 1)
			disabled = 1;
		fclose(f);
	}
	if (!disabled)
		return true;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gfntop_probe", 4, 4, 1, NULL);
	if (fd < 0)
		return false;
	pid = fork();
	if (pid == 0) {
		__u32 key = 0, val;

		_exit(drop_privileges() == 0 && bpf_map_lookup_elem(fd, &key, &val) == 0 ? 0 : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(fd);
	return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * The families counted in the kernel (bpf/kagg.bpf.h): the high-rate ones,
 * when no trace is written and every event counts alike (no -e). Off with
 * GFNTOP_KAGG=0 (the tests and benchmarks compare both paths), and where the
 * maps could not be read once the capabilities are dropped.
 */
static unsigned int kagg_families(const struct options *o)
{
	const char *env = getenv("GFNTOP_KAGG");

	if (o->csv_path || o->errors_only || (env && !strcmp(env, "0")))
		return 0;
	if (!map_reads_unprivileged()) {
		if (o->verbose)
			fprintf(stderr, "gfntop: this kernel lets no unprivileged process read BPF maps: "
				"every event is queued\n");
		return 0;
	}
	return 1u << FAM_MMU | 1u << FAM_ATTR | 1u << FAM_TP;
}

int run_list(const struct options *o)
{
	struct probe_set ps;

	if (!has_bpf_privileges()) {
		fprintf(stderr, "gfntop: --list-probes loads BPF programs: run as root, or give gfntop "
			"CAP_BPF and CAP_PERFMON\n");
		return EXIT_RUNTIME;
	}
	if (setup_probes(&ps, o, o->families, 0))
		return EXIT_RUNTIME;
	if (stop_requested) {
		probes_destroy(&ps);
		fprintf(stderr, "gfntop: interrupted while attaching probes\n");
		return EXIT_RUNTIME;
	}
	if (o->json)
		json_probes(stdout, &ps);
	else
		probes_print(&ps, stdout);
	probes_destroy(&ps);
	return text_failed(stdout, 0) ? EXIT_RUNTIME : 0;
}

/* The kernel as a run source: the ring buffer, and the interval work of live.c. */
struct kernel_source {
	struct run_source src;
	struct live_source *ls;
	struct kagg_source *kagg;	/* the kernel's aggregates; NULL when every event is queued */
	struct probe_set *ps;
	char probes[256];
};

static int kernel_poll(struct run_source *src, int timeout_ms)
{
	struct kernel_source *k = (struct kernel_source *)src;
	int n = live_poll(k->ls, timeout_ms);

	if (n < 0 && n != -ECANCELED && !stop_requested)
		fprintf(stderr, "gfntop: reading the ring buffer failed: %s\n", strerror(-n));
	return n == -ECANCELED ? 0 : n;	/* ECANCELED: the session stopped it (write_failed) */
}

static void kernel_interval(struct run_source *src, struct session *s)
{
	struct kernel_source *k = (struct kernel_source *)src;
	int err;

	if (k->kagg && (err = kagg_read(k->kagg)))
		fprintf(stderr, "gfntop: reading the kernel's aggregates failed: %s\n", strerror(-err));
	interval_work(s, k->ls, k->ps, k->probes, sizeof(k->probes));
}

int run_live(const struct options *o)
{
	static struct probe_set ps;
	static struct session s;
	static struct kernel_source k = {
		.src = { .streaming = true, .poll = kernel_poll, .interval = kernel_interval },
	};
	char err[512];
	unsigned int kagg_fams;
	FILE *out = text_out(o);
	int rc = 0, err_rc, tui = -1;

	if (!has_bpf_privileges()) {
		fprintf(stderr, "gfntop: live tracing needs privileges: run as root, or give gfntop "
			"CAP_BPF and CAP_PERFMON (replay with -r needs none)\n");
		return EXIT_RUNTIME;
	}
	kagg_fams = kagg_families(o);
	if (attach_probes(&ps, o, kagg_fams, k.probes, sizeof(k.probes)))
		return EXIT_RUNTIME;
	if (stop_requested) {	/* a signal while the probes loaded: nothing was recorded */
		probes_destroy(&ps);
		fprintf(stderr, "gfntop: interrupted while attaching probes; nothing recorded\n");
		return EXIT_RUNTIME;
	}

	struct session_config cfg = session_config_of(o, CSV_DIRECT);

	/* before the trace is created: a port in use leaves nothing behind */
	if (exports_open(o)) {
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	if (session_open(&s, &cfg)) {
		exports_close(&s, &ps, false);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	exports_begin(&s, &ps);
	k.ls = live_open(probes_events_fd(&ps), probes_lost_counter(&ps), session_event, &s, err, sizeof(err));
	if (!k.ls) {
		term_message(stderr, err);
		exports_close(&s, &ps, false);
		session_finish_csv(&s, false);	/* recording never began: the trace is removed */
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	k.ps = &ps;
	k.src.probes = k.probes;
	k.src.trace = o->csv_path;
	if (kagg_fams) {
		struct kagg_maps m;

		probes_kagg(&ps, &m.cache_fd, &m.rows_fd, &m.hist_fd, (const volatile unsigned long long **)&m.full,
			    (volatile long long **)&m.samples);
		k.kagg = kagg_open(&m, session_counts, &s, err, sizeof(err));
		if (!k.kagg) {
			term_message(stderr, err);
			live_close(k.ls);
			exports_close(&s, &ps, false);
			session_finish_csv(&s, false);
			probes_destroy(&ps);
			return EXIT_RUNTIME;
		}
	}
	if (drop_privileges() || exports_start()) {
		kagg_close(k.kagg);
		live_close(k.ls);
		exports_close(&s, &ps, false);
		session_finish_csv(&s, false);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "gfntop: tracing (probes %s); interrupt to stop\n", k.probes);

	if (use_tui(o))
		tui = tui_loop(&s, &k.src, o);
	if (tui == TUI_HUNG_UP) {
		out = NULL;	/* the terminal is gone: a recording to a file goes on without it */
		s.failed = true;	/* as when batch text fails: the exit status says the view was lost */
	}
	/* no TUI, or a terminal that cannot do it (batch text), or one that hung up */
	if (tui != 0 && !stop_requested && !s.write_failed)
		rc = batch_loop(&s, &k.src, o, &out);
	/* stop new events, drain what the kernel queued, then account for loss */
	probes_detach(&ps);
	if (!s.write_failed)
		live_poll(k.ls, 0);
	live_check_lost(k.ls);
	if (k.kagg && (err_rc = kagg_read(k.kagg)))
		fprintf(stderr, "gfntop: reading the kernel's aggregates failed: %s\n", strerror(-err_rc));
	live_close(k.ls);
	if (exports_close(&s, &ps, true))
		rc = EXIT_RUNTIME;
	if (session_finish_csv(&s, true))
		rc = EXIT_RUNTIME;
	if (out) {
		int werr = print_summary(o, out, &s, NULL, k.probes);

		if (k.kagg && !o->json)
			fprintf(out, "note: %llu events counted in the kernel (no trace written)\n",
				(unsigned long long)kagg_counted(k.kagg));
		if (k.kagg && kagg_table_full(k.kagg) && !o->json)
			fprintf(out, "note: %llu events were counted from queued rows: the kernel's "
				"aggregation maps were full\n", (unsigned long long)kagg_table_full(k.kagg));
		if (text_failed(out, werr))
			rc = EXIT_RUNTIME;
	}
	if (s.failed)
		rc = EXIT_RUNTIME;
	kagg_close(k.kagg);
	k.kagg = NULL;
	probes_destroy(&ps);
	session_free_tables(&s);
	return rc;
}
