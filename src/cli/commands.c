// SPDX-License-Identifier: GPL-2.0
/*
 * gfntop's commands, bpftool style: `gfntop COMMAND [OPTIONS]`. Without a
 * command (the first argument is an option, or there is none) gfntop is the
 * live view, a replay (-r) or --list-probes (main.c). One row per command:
 * the row dispatches it and writes its line of --help.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const struct command commands[] = {
	/* { "name", run_name, "ARGS", "what it does" }, in the order --help lists them */
	{ "record", run_record, "[OPTIONS]", "the always-on recorder (systemd): rotated traces, incidents, viewers" },
	{ 0 },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void commands_usage(FILE *out)
{
	if (!commands[0].name)
		return;
	fputs("\nCommands (gfntop COMMAND --help for their options):\n", out);
	for (const struct command *c = commands; c->name; c++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", c->name, c->args);
		fprintf(out, "  gfntop %-28s%s\n", head, c->summary);
	}
}
