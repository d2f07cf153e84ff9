// SPDX-License-Identifier: GPL-2.0
/*
 * What the run modes share, out of main.c so that the unit tests and
 * benchmarks, which link everything but main.o, link.
 */
#include <errno.h>
#include <string.h>
#include "cli/cli.h"

FILE *text_out(const struct options *o)
{
	return o->csv_path && !strcmp(o->csv_path, "-") ? stderr : stdout;
}

struct session_config session_config_of(const struct options *o, enum csv_mode mode)
{
	return (struct session_config){
		.pids = o->pids, .npids = o->npids, .filter_pids = o->replay_path && o->npids > 0,
		.errors_only = o->errors_only, .one_period = o->replay_path != NULL,
		.csv_path = o->csv_path, .force = o->force, .mode = mode,
		.counters = o->metrics_listen || o->metrics_textfile, .counters_vms = o->metrics_vms,
	};
}

bool records_to_file(const struct options *o)
{
	return o->csv_path && strcmp(o->csv_path, "-");
}

int text_failed(FILE *out, int err)
{
	if (!err) {
		errno = 0;
		if (fflush(out) == 0 && !ferror(out))
			return 0;
		err = errno ? errno : EIO;
	}
	fprintf(stderr, "gfntop: cannot write to %s: %s\n", out == stderr ? "standard error" : "standard output",
		strerror(err));
	return err;
}
