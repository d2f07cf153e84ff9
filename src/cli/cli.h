/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cli layer's own shared parts: exit codes, the signal flags, and the
 * run modes that main() dispatches to (one file each).
 */
#ifndef GFNTOP_CLI_H
#define GFNTOP_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include "cli/options.h"
#include "model/session.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

struct live_source;
struct probe_set;

/* Set by the signal handlers (signals.c): SIGINT/SIGTERM stop, SIGHUP reopens the trace. */
extern volatile sig_atomic_t stop_requested, reopen_requested;
void install_signals(void);

/* Where text goes: stdout, unless the trace itself is being written there. */
FILE *text_out(const struct options *o);
/* What the session takes from the command line. */
struct session_config session_config_of(const struct options *o, enum csv_mode mode);

/*
 * The commands (commands.c): `gfntop NAME ...` runs run(argc, argv) with
 * argv[0] = NAME; it returns the exit status.
 */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;	/* for --help: "[OPTIONS]" */
	const char *summary;
};
const struct command *command_find(const char *name);	/* NULL: not a command */
void commands_usage(FILE *out);				/* the commands' lines of --help */

/* The run modes without a command. Each returns the exit status. */
int run_live(const struct options *o);		/* live.c */
int run_list(const struct options *o);		/* live.c: --list-probes */
int run_replay(const struct options *o);	/* replay.c: -r */

/*
 * What every live interval does, whatever shows it (live.c): SIGHUP's reopen,
 * loss turned into a row, probes of unloaded modules, VMMs gone mid-launch,
 * the trace flushed. A write failure ends the run (s->write_failed).
 */
void interval_work(struct session *s, struct live_source *ls, struct probe_set *ps,
		   char *probes, size_t probes_len);

/* tui_loop.c: the live view on a terminal (unless -b) */
bool use_tui(const struct options *o);
/*
 * The interactive loop over a live source (ls set) or a replayed trace (ls
 * NULL). Returns 0 when the user quit, -1 when the terminal cannot do the TUI
 * (the caller prints batch text instead).
 */
int tui_loop(struct session *s, struct live_source *ls, struct probe_set *ps, char *probes,
	     size_t probes_len, const struct options *o);

#endif
