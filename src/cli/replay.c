// SPDX-License-Identifier: GPL-2.0
/* -r: a recorded trace through the same session as a live run, then the TUI or batch text. */
#include <stdio.h>
#include "cli/cli.h"
#include "trace/reader.h"
#include "views/batch.h"

int run_replay(const struct options *o)
{
	static struct session s;
	struct session_config cfg = session_config_of(o, CSV_ATOMIC);
	struct run_source src = { .streaming = false, .trace = o->csv_path };
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
	if (!use_tui(o) || tui_loop(&s, &src, o))
		batch_summary(text_out(o), s.agg, &s.launches, title, NULL);
	agg_free(s.agg);
	return rc;
}
