// SPDX-License-Identifier: GPL-2.0
/* -r: a recorded trace through the same session as a live run, then the TUI or batch text. */
#include <stdio.h>
#include "cli/cli.h"
#include "trace/reader.h"

int run_replay(const struct options *o)
{
	static struct session s;
	struct session_config cfg = session_config_of(o, CSV_ATOMIC);
	struct run_source src = { .streaming = false, .trace = o->csv_path };
	char err[4608];
	int rc;

	/* --metrics-textfile: the counters of the whole trace, written once at the end */
	if (exports_open(o))
		return EXIT_RUNTIME;
	if (session_open(&s, &cfg) || exports_start()) {
		exports_close(&s, NULL, false);
		session_close(&s, false);
		return EXIT_RUNTIME;
	}
	rc = csv_replay_file(o->replay_path, session_event, &s, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "gfntop: %s\n", err);
		session_finish_csv(&s, false);	/* nothing half-written */
		exports_close(&s, NULL, false);
		session_free_tables(&s);
		return EXIT_USAGE;
	}
	rc = session_finish_csv(&s, true);
	if (exports_close(&s, NULL, true))
		rc = EXIT_RUNTIME;
	if (!use_tui(o) || tui_loop(&s, &src, o))
		print_summary(o, text_out(o), &s, o->replay_path, NULL);
	session_free_tables(&s);
	return rc;
}
