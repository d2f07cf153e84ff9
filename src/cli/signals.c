// SPDX-License-Identifier: GPL-2.0
/* Signals: flags the run loops poll; nothing else happens in a handler. */
#include <signal.h>
#include "cli/cli.h"

volatile sig_atomic_t stop_requested, reopen_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen_requested = 1;
	else
		stop_requested = 1;
}

void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* reopen the trace (logrotate) */
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error, reported as such */
}
