// SPDX-License-Identifier: GPL-2.0
/*
 * gfntop: options, mode selection, and the session that joins a source
 * (live kernel or replayed trace) to its consumers (aggregation, trace
 * writer, batch text). Sources only produce events; consumers never know
 * which source fed them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include "model/agg.h"
#include "views/batch.h"
#include "trace/writer.h"
#include "model/launch.h"
#include "base/names.h"
#include "cli/options.h"
#include "probes/attach.h"
#include "model/recent.h"
#include "model/session.h"
#include "views/tui/internal.h"
#include "views/tui/term.h"
#include "trace/reader.h"
#include "sources/live.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static volatile sig_atomic_t stop_requested, reopen_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen_requested = 1;
	else
		stop_requested = 1;
}

static void die_usage(const char *msg)
{
	fprintf(stderr, "gfntop: %s\n", msg);
	exit(EXIT_USAGE);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* reopen the trace (logrotate) */
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error, reported as such */
}

/* Where text goes: stdout, unless the trace itself is being written there. */
static FILE *text_out(const struct options *o)
{
	return o->csv_path && !strcmp(o->csv_path, "-") ? stderr : stdout;
}

/* Does process pid still exist? (EPERM: it does, we may not signal it.) */
static bool pid_alive(uint32_t pid)
{
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/*
 * What every live interval does, whatever shows it: SIGHUP's reopen, loss
 * turned into a row, probes of unloaded modules, VMMs gone mid-launch, the
 * trace flushed. A write failure ends the run (s->write_failed).
 */
static void interval_work(struct session *s, struct live_source *ls, struct probe_set *ps,
			  char *probes, size_t probes_len)
{
	if (reopen_requested) {
		reopen_requested = 0;
		if (s->csv && csv_reopen(s->csv, s->cfg.force))
			s->write_failed = true;
	}
	live_check_lost(ls);
	if (probes_check_modules(ps, stderr))
		probes_summary(ps, probes, probes_len);
	launch_reap(&s->launches, pid_alive);
	if (s->csv && csv_flush(s->csv))
		s->write_failed = true;
}

/* What the session takes from the command line. */
static struct session_config session_config_of(const struct options *o, enum csv_mode mode)
{
	return (struct session_config){
		.pids = o->pids, .npids = o->npids, .filter_pids = o->replay_path && o->npids > 0,
		.errors_only = o->errors_only, .one_period = o->replay_path != NULL,
		.csv_path = o->csv_path, .force = o->force, .mode = mode,
	};
}

/* ---- the TUI (on a terminal unless -b) ---- */

static bool use_tui(const struct options *o)
{
	return !o->batch && isatty(STDOUT_FILENO) && !(o->csv_path && !strcmp(o->csv_path, "-"));
}

static void tui_paint(struct tui_state *st, const struct tui_data *d)
{
	static struct tui_screen scr;
	int rows, cols;

	term_size(&rows, &cols);
	tui_sync(st, d);
	tui_render(st, d, &scr, rows, cols);
	term_paint(&scr);
}

/*
 * The interactive loop. Live (ls set): keys are read in short slices between
 * ring-buffer drains, so painting never holds up the consumer; every `delay`
 * the interval work runs and the view repaints unless frozen. Replay: the
 * trace is already read; only keys drive it.
 */
static int tui_loop(struct session *s, struct live_source *ls, struct probe_set *ps, char *probes,
		    size_t probes_len, const struct options *o)
{
	static struct tui_state st;
	struct utsname uts;
	struct tui_data d = { .agg = s->agg, .launches = &s->launches, .recent = &s->recent,
			      .probes = probes, .trace = o->csv_path, .replay = !ls };
	struct timespec t0, now;

	uname(&uts);
	d.kernel = uts.release;
	tui_state_init(&st, o->delay_s);
	st.cumulative = !ls;
	if (term_open())
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tui_paint(&st, &d);
	while (!st.quit && !stop_requested && !s->write_failed) {
		int key = term_key(ls ? 50 : 250);
		double elapsed;

		if (ls && live_poll(ls, 0) < 0 && !s->write_failed)
			break;
		if (key >= 0 && key != TK_RESIZE)
			tui_key(&st, &d, key);
		if (st.reset) {
			st.reset = false;
			agg_reset(s->agg);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (ls && elapsed >= st.delay) {
			interval_work(s, ls, ps, probes, probes_len);
			d.events_per_s = (double)s->agg->events[AGG_INTERVAL] / elapsed;
			d.trace_bytes = s->csv ? csv_bytes(s->csv) : 0;
			if (!st.frozen)
				tui_paint(&st, &d);
			agg_interval_reset(s->agg);
			t0 = now;
		} else if (key >= 0 || !ls) {
			tui_paint(&st, &d);
		}
	}
	term_close();
	return 0;
}

/* ---- replay ---- */

static int run_replay(const struct options *o)
{
	static struct session s;
	struct session_config cfg = session_config_of(o, CSV_ATOMIC);
	char err[4608], title[4200];
	int rc;

	if (session_open(&s, &cfg))
		return EXIT_RUNTIME;
	rc = csv_replay_file(o->replay_path, session_event, &s, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "gfntop: %s\n", err);
		session_finish_csv(&s, false);	/* nothing half-written */
		agg_free(s.agg);
		return EXIT_USAGE;
	}
	rc = session_finish_csv(&s, true);
	snprintf(title, sizeof(title), "replay of %s", o->replay_path);
	if (!use_tui(o) || tui_loop(&s, NULL, NULL, NULL, 0, o))
		batch_summary(text_out(o), s.agg, &s.launches, title, NULL);
	agg_free(s.agg);
	return rc;
}

/* ---- live ---- */

/* Root, or CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) in the effective set. */
static bool has_bpf_privileges(void)
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
static int drop_privileges(void)
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

static int setup_probes(struct probe_set *ps, const struct options *o, unsigned int families)
{
	struct engine_config cfg = {
		.pids = o->pids, .npids = o->npids, .ringbuf_bytes = o->ringbuf_bytes,
		.verbose = o->verbose,
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

static int run_list(const struct options *o)
{
	struct probe_set ps;

	if (!has_bpf_privileges()) {
		fprintf(stderr, "gfntop: --list-probes loads BPF programs: run as root, or give gfntop "
			"CAP_BPF and CAP_PERFMON\n");
		return EXIT_RUNTIME;
	}
	if (setup_probes(&ps, o, o->families))
		return EXIT_RUNTIME;
	probes_print(&ps, stdout);
	probes_destroy(&ps);
	return 0;
}

static int run_live(const struct options *o)
{
	static struct probe_set ps;
	static struct session s;
	struct live_source *ls;
	char err[512], probes[256];
	FILE *out = text_out(o);
	unsigned long interval = 0;
	struct timespec t0, now;
	int rc = 0;

	if (!has_bpf_privileges()) {
		fprintf(stderr, "gfntop: live tracing needs privileges: run as root, or give gfntop "
			"CAP_BPF and CAP_PERFMON (replay with -r needs none)\n");
		return EXIT_RUNTIME;
	}
	if (setup_probes(&ps, o, o->families))
		return EXIT_RUNTIME;
	if (!probes_attached(&ps) && o->families && !(o->families & (1u << FAM_TP))) {
		fprintf(stderr, "gfntop: nothing of -P attached; falling back to the tp family\n");
		probes_destroy(&ps);
		if (setup_probes(&ps, o, o->families | (1u << FAM_TP)))
			return EXIT_RUNTIME;
	}
	if (!probes_attached(&ps)) {
		probes_explain_none(&ps, err, sizeof(err));
		fprintf(stderr, "gfntop: %s\n", err);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	report_failed_families(&ps);
	probes_summary(&ps, probes, sizeof(probes));
	if (o->verbose)
		probes_print(&ps, stderr);

	struct session_config cfg = session_config_of(o, CSV_DIRECT);

	if (session_open(&s, &cfg)) {
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	ls = live_open(probes_events_fd(&ps), probes_lost_counter(&ps), session_event, &s, err, sizeof(err));
	if (!ls) {
		fprintf(stderr, "gfntop: %s\n", err);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	if (drop_privileges()) {
		live_close(ls);
		session_finish_csv(&s, true);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	install_signals();
	fprintf(stderr, "gfntop: tracing (probes %s); interrupt to stop\n", probes);

	if (use_tui(o) && tui_loop(&s, ls, &ps, probes, sizeof(probes), o) == 0)
		goto done;	/* a terminal that cannot do the TUI gets batch text */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop_requested && !s.write_failed) {
		double elapsed, due = o->delay_s;
		int wait_ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (elapsed >= due || reopen_requested) {
			interval_work(&s, ls, &ps, probes, sizeof(probes));
			if (s.write_failed)
				break;
			if (elapsed < due)
				continue;	/* a reopen between intervals */
			batch_interval(out, s.agg, &s.launches, ++interval, elapsed);
			agg_interval_reset(s.agg);
			t0 = now;
			if (o->iterations && interval >= (unsigned long)o->iterations)
				break;
			continue;
		}
		wait_ms = (int)((due - elapsed) * 1000) + 1;
		if (wait_ms > 100)
			wait_ms = 100;	/* the longest an event waits in the ring without a wake-up */
		if (live_poll(ls, wait_ms) < 0 && !stop_requested && !s.write_failed) {
			fprintf(stderr, "gfntop: reading the ring buffer failed\n");
			rc = EXIT_RUNTIME;
			break;
		}
	}

done:
	/* stop new events, drain what the kernel queued, then account for loss */
	probes_detach(&ps);
	if (!s.write_failed)
		live_poll(ls, 0);
	live_check_lost(ls);
	live_close(ls);
	probes_destroy(&ps);
	if (session_finish_csv(&s, true))
		rc = EXIT_RUNTIME;
	batch_summary(out, s.agg, &s.launches, "summary", probes);
	agg_free(s.agg);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	char err[512];

	switch (options_parse(argc, argv, &o, err, sizeof(err), stdout)) {
	case OPT_EXIT_OK:
		return 0;
	case OPT_ERROR:
		die_usage(err);
		break;
	case OPT_RUN:
		break;
	}
	if (o.replay_path)
		return run_replay(&o);
	if (o.list_probes)
		return run_list(&o);
	return run_live(&o);
}
