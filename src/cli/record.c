// SPDX-License-Identifier: GPL-2.0
/*
 * `gfntop record`: the always-on recorder as a run mode. In the foreground
 * (systemd Type=notify, or simple; it never forks): the probes attached
 * once, the recorder (record/) opened, the capabilities dropped, then one
 * poll loop over the ring buffer (and the viewers' socket) with a tick every
 * -d. With -r, a recorded trace runs through the same recorder instead.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/record_options.h"
#include "probes/attach.h"
#include "record/log.h"
#include "record/notify.h"
#include "record/recorder.h"
#include "record/server.h"
#include "sources/live.h"
#include "trace/reader.h"

static uint64_t realtime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static struct recorder_config recorder_config_of(const struct record_options *o)
{
	return (struct recorder_config){
		.dir = o->dir, .no_trace = o->no_trace,
		.counters = o->common.metrics_listen || o->common.metrics_textfile,
		.counters_vms = o->common.metrics_vms,
		.rotate_bytes = o->rotate_bytes, .rotate_ns = o->rotate_ns,
		.keep = { .files = o->keep_files, .bytes = o->keep_bytes },
		.flight = { .ring_events = o->flight_events, .after_ns = (uint64_t)(o->incident_after_s * 1e9),
			    .max_vms = 64, .max_pending = 8 },
		.incident_keep = { .files = o->incident_files, .bytes = o->incident_bytes },
		.retire_after_ns = (uint64_t)(o->retire_after_s * 1e9),
	};
}

/* -r: the trace's events through the recorder; its clock is theirs. */
static int record_replay(const struct record_options *o)
{
	static struct recorder rec;
	struct recorder_config cfg = recorder_config_of(o);
	char err[4608];
	int rc;

	if (recorder_open(&rec, &cfg, 0))
		return EXIT_RUNTIME;
	rc = csv_replay_file(o->replay_path, recorder_event, &rec, err, sizeof(err));
	if (rc < 0)
		log_line(LOGL_ERR, "%s", err);
	if (recorder_close(&rec))
		return EXIT_RUNTIME;
	log_line(LOGL_INFO, "replayed %llu events through the recorder: %llu incidents",
		 (unsigned long long)rec.events, (unsigned long long)rec.incidents.written);
	return rc < 0 ? EXIT_USAGE : 0;
}

/* before a trace file closes: the kernel's loss so far goes into it */
static void check_lost(void *ctx)
{
	struct live_source **ls = ctx;

	if (*ls)
		live_check_lost(*ls);
}

static int record_live(const struct record_options *o)
{
	static struct probe_set ps;
	static struct recorder rec;
	static struct live_source *ls;
	static struct pollfd pfds[1 + 1 + 1024];
	struct recorder_config cfg = recorder_config_of(o);
	struct utsname uts;
	uint64_t tick_ns = (uint64_t)(o->common.delay_s * 1e9), next_tick, watchdog, next_watchdog;
	char probes[256], err[512], status[512];
	int rc = 0;

	if (!has_bpf_privileges()) {
		log_line(LOGL_ERR, "the recorder loads BPF programs: run it as root, or with CAP_BPF and "
			 "CAP_PERFMON (replaying a trace with -r needs none)");
		return EXIT_RUNTIME;
	}
	/* every event, not the kernel's aggregates: the flight recorder and the trace need each one */
	if (attach_probes(&ps, &o->common, 0, probes, sizeof(probes)))
		return EXIT_RUNTIME;
	cfg.alive = pid_alive;
	cfg.check_lost = check_lost;
	cfg.lost_ctx = &ls;
	if (exports_open(&o->common)) {		/* binds before the capabilities go */
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	if (recorder_open(&rec, &cfg, realtime_ns())) {
		exports_close(NULL, &ps, false);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	exports_begin(&rec.s, &ps);
	ls = live_open(probes_events_fd(&ps), probes_lost_counter(&ps), recorder_event, &rec, err, sizeof(err));
	if (!ls) {
		log_line(LOGL_ERR, "%s", err);
		exports_close(&rec.s, &ps, false);
		recorder_close(&rec);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	uname(&uts);
	if (o->socket_path) {
		struct server_config sc = {
			.path = o->socket_path, .max_viewers = o->max_viewers, .backlog_events = o->viewer_backlog,
			.group = "gfntop", .kernel = uts.release, .probes = probes, .dir = o->dir,
			.no_trace = o->no_trace, .start_ns = realtime_ns(),
		};

		/* before the capabilities go: handing the socket to the group needs CAP_CHOWN */
		rec.srv = server_open(&sc, &rec.s);
		if (!rec.srv)
			rc = EXIT_RUNTIME;
	}
	if (rc || drop_privileges() || exports_start()) {
		exports_close(&rec.s, &ps, false);
		server_close(rec.srv);
		rec.srv = NULL;
		live_close(ls);
		recorder_close(&rec);
		probes_destroy(&ps);
		return EXIT_RUNTIME;
	}
	log_line(LOGL_INFO, "recording (probes %s) in %s%s%s%s", probes, o->dir,
		 o->no_trace ? " (no trace: incidents only)" : "", o->socket_path ? "; viewers: " : "",
		 o->socket_path ? o->socket_path : "");
	snprintf(status, sizeof(status), "READY=1\nSTATUS=recording, probes %s", probes);
	notify_send(status);

	watchdog = notify_watchdog_ns();
	next_tick = monotonic_ns() + tick_ns;
	next_watchdog = watchdog ? monotonic_ns() + watchdog : UINT64_MAX;
	while (!stop_requested) {
		uint64_t now = monotonic_ns(), until = next_tick < next_watchdog ? next_tick : next_watchdog;
		int wait_ms = until > now ? (int)((until - now) / 1000000) + 1 : 0, n = 1;

		pfds[0] = (struct pollfd){ .fd = live_fd(ls), .events = POLLIN };
		if (rec.srv)
			n += server_pollfds(rec.srv, pfds + 1, (int)(sizeof(pfds) / sizeof(pfds[0])) - 1);
		if (wait_ms > 100)
			wait_ms = 100;	/* the longest an event waits in the ring without a wake-up */
		if (poll(pfds, (nfds_t)n, wait_ms) < 0 && errno != EINTR) {
			log_line(LOGL_ERR, "poll: %s", strerror(errno));
			rc = EXIT_RUNTIME;
			break;
		}
		if (live_poll(ls, 0) < 0 && !stop_requested) {
			log_line(LOGL_ERR, "reading the ring buffer failed");
			rc = EXIT_RUNTIME;
			break;
		}
		if (rec.srv)
			server_work(rec.srv, pfds + 1, n - 1, realtime_ns());
		if (reopen_requested) {
			reopen_requested = 0;
			recorder_reopen(&rec, realtime_ns());
		}
		now = monotonic_ns();
		if (now >= next_tick) {
			live_check_lost(ls);
			if (probes_check_modules(&ps, stderr))
				probes_summary(&ps, probes, sizeof(probes));
			recorder_tick(&rec, realtime_ns());
			exports_interval(&rec.s, &ps);
			next_tick = now + tick_ns;
		}
		if (now >= next_watchdog) {
			notify_send("WATCHDOG=1");
			next_watchdog = now + watchdog;
		}
	}

	notify_send("STOPPING=1");
	/* stop new events, drain what the kernel queued, then account for loss */
	probes_detach(&ps);
	live_poll(ls, 0);
	live_check_lost(ls);
	server_close(rec.srv);		/* what is queued for the viewers, then BYE */
	rec.srv = NULL;
	if (exports_close(&rec.s, &ps, true))
		rc = EXIT_RUNTIME;
	if (recorder_close(&rec))
		rc = EXIT_RUNTIME;
	log_line(LOGL_INFO, "stopped: %llu events recorded, %llu incidents", (unsigned long long)rec.events,
		 (unsigned long long)rec.incidents.written);
	live_close(ls);
	ls = NULL;
	probes_destroy(&ps);
	return rc;
}

int run_record(int argc, char **argv)
{
	struct record_options o;
	char err[512];

	install_signals();	/* first: a SIGTERM during start-up ends it cleanly */
	log_init();
	notify_init();
	switch (record_options_parse(argc, argv, &o, err, sizeof(err), stdout)) {
	case OPT_EXIT_OK:
		return 0;
	case OPT_ERROR:
		fprintf(stderr, "gfntop record: %s\n", err);
		return EXIT_USAGE;
	case OPT_RUN:
		break;
	}
	return o.replay_path ? record_replay(&o) : record_live(&o);
}
