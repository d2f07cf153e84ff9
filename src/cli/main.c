// SPDX-License-Identifier: GPL-2.0
/*
 * gfntop: a command from the table in commands.c (`gfntop record ...`), or
 * else the command line parsed and one run mode. Each mode joins a source
 * (the kernel, or a replayed trace) to the session (model/) and shows it
 * (views/); sources only produce events, and views never know which source
 * fed them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "base/sanitize.h"

static void die_usage(const char *msg)
{
	term_message(stderr, msg);
	exit(EXIT_USAGE);
}

/* No command: the live view, a replay or --list-probes. */
static int run_view(int argc, char **argv)
{
	struct options o;
	char err[512];

	switch (options_parse(argc, argv, &o, err, sizeof(err), stdout)) {
	case OPT_EXIT_OK:
		if (o.help)
			commands_usage(stdout);
		return 0;
	case OPT_ERROR:
		die_usage(err);
		break;
	case OPT_RUN:
		break;
	}
	signals_set_hup_reopens(records_to_file(&o));
	if (o.replay_path)
		return run_replay(&o);
	if (o.connect_path)
		return run_connect(&o);
	if (o.list_probes)
		return run_list(&o);
	return run_live(&o);
}

int main(int argc, char **argv)
{
	const struct command *c;

	install_signals();	/* before anything else: no signal meets the default action */
	c = argc > 1 ? command_find(argv[1]) : NULL;
	if (c)
		return c->run(argc - 1, argv + 1);
	return run_view(argc, argv);
}
