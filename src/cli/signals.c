// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: flags the run loops poll; nothing else happens in a handler.
 * Installed first thing in main(), before the options are parsed or a probe
 * loaded, so that no signal meets the default action (death, with whatever
 * was half done) at any point of a run.
 *
 *   SIGINT, SIGTERM  stop (stop_requested)
 *   SIGHUP           with a trace file (-w FILE): reopen it, for logrotate
 *                    (reopen_requested), and never stop; without one: stop,
 *                    like a terminal's hang-up stops top, unless SIGHUP was
 *                    ignored when gfntop started (nohup)
 *   SIGPIPE          ignored: a write to a closed pipe fails with EPIPE and
 *                    is reported like any failed write
 *
 * SA_RESTART: a signal never makes a write to the terminal or the trace fail
 * with EINTR; the waits that must notice a signal (epoll, ncurses' key read,
 * the reader's poll on a pipe) are never restarted anyway.
 */
#include <signal.h>
#include <stddef.h>
#include "cli/cli.h"

volatile sig_atomic_t stop_requested, reopen_requested;
/* 0 until the options say what SIGHUP means: a SIGHUP before that is kept in reopen_requested */
static volatile sig_atomic_t hup_stops;
static bool hup_ignored_at_start;

static void on_signal(int sig)
{
	if (sig == SIGHUP) {
		reopen_requested = 1;
		if (hup_stops)
			stop_requested = 1;
	} else {
		stop_requested = 1;
	}
}

void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART }, old;
	static bool installed;

	if (installed)		/* a command may call it again: SIGHUP's first disposition stays known */
		return;
	installed = true;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, &old);
	hup_ignored_at_start = old.sa_handler == SIG_IGN;
	signal(SIGPIPE, SIG_IGN);
}

void signals_set_hup_reopens(bool reopens)
{
	hup_stops = !reopens && !hup_ignored_at_start;
	if (hup_stops && reopen_requested)
		stop_requested = 1;
}
