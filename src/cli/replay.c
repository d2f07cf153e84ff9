// SPDX-License-Identifier: GPL-2.0
/*
 * -r: a recorded trace through the same session as a live run, then the TUI
 * or batch text. The trace is opened before anything is written: with -w,
 * the output is refused when it is the trace itself under another name (a
 * ./ spelling, a symlink, a hard link), which only the file's identity tells.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/sanitize.h"
#include "trace/reader.h"

/* The trace to read ('-': stdin), and what it is; -1 with the reason said. */
static int open_input(const char *path, struct stat *st)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	char msg[4200];

	if (fd < 0 || fstat(fd, st)) {
		snprintf(msg, sizeof(msg), "%s: cannot open: %s", path, strerror(errno));
		term_message(stderr, msg);
		if (fd > STDIN_FILENO)
			close(fd);
		return -1;
	}
	return fd;
}

static int replay(const struct options *o, int fd, const struct stat *st)
{
	static struct session s;
	struct session_config cfg = session_config_of(o, CSV_ATOMIC);
	struct run_source src = { .streaming = false, .trace = o->csv_path };
	char err[4608];
	int rc, tui = -1;

	if (o->csv_path && S_ISREG(st->st_mode) && csv_names_file(o->csv_path, st)) {
		snprintf(err, sizeof(err), "refusing to write the trace being replayed ('%s' is '%s')",
			 o->csv_path, o->replay_path);
		term_message(stderr, err);
		return EXIT_USAGE;
	}
	cfg.keep = S_ISREG(st->st_mode) ? st : NULL;	/* and if it gets that name meanwhile */
	/* --metrics-textfile: the counters of the whole trace, written once at the end */
	if (exports_open(o))
		return EXIT_RUNTIME;
	if (session_open(&s, &cfg) || exports_start()) {
		exports_close(&s, NULL, false);
		session_close(&s, false);
		return EXIT_RUNTIME;
	}
	rc = csv_replay_opened(o->replay_path, fd, &stop_requested, session_event, &s, err, sizeof(err));
	if (rc < 0) {
		if (rc == CSV_INTERRUPTED)
			snprintf(err, sizeof(err), "interrupted while reading %s%s", o->replay_path,
				 records_to_file(o) ? "; nothing written" : "");
		term_message(stderr, err);
		session_finish_csv(&s, false);	/* nothing half-written */
		exports_close(&s, NULL, false);
		session_free_tables(&s);
		return rc == CSV_INTERRUPTED ? EXIT_RUNTIME : EXIT_USAGE;
	}
	rc = session_finish_csv(&s, true);
	if (exports_close(&s, NULL, true))
		rc = EXIT_RUNTIME;
	if (use_tui(o))
		tui = tui_loop(&s, &src, o);
	if (tui == -1 &&	/* no TUI, or a terminal that cannot do it: batch text */
	    text_failed(text_out(o), print_summary(o, text_out(o), &s, o->replay_path, NULL)))
		rc = EXIT_RUNTIME;
	session_free_tables(&s);
	return rc;
}

int run_replay(const struct options *o)
{
	struct stat st;
	int fd = open_input(o->replay_path, &st), rc;

	if (fd < 0)
		return EXIT_USAGE;
	rc = replay(o, fd, &st);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}
