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

/*
 * Set by the signal handlers (signals.c): SIGINT/SIGTERM stop; SIGHUP sets
 * reopen_requested, and stops too unless signals_set_hup_reopens(true) said
 * there is a trace file to reopen. install_signals() is main()'s first call.
 */
extern volatile sig_atomic_t stop_requested, reopen_requested;
void install_signals(void);
void signals_set_hup_reopens(bool reopens);

/* -w FILE names a file (not '-'): SIGHUP reopens it, and the recording outlives its terminal. */
bool records_to_file(const struct options *o);
/*
 * After text went to `out`: 0, or the errno of a failed write (a closed
 * pipe, a hung-up terminal), said on stderr. `err`: the writer's own
 * verdict (batch_summary()'s), 0 to ask the stream.
 */
int text_failed(FILE *out, int err);

/* kernel.c: what the run modes on the kernel share */
bool pid_alive(uint32_t pid);		/* does process pid exist? */
bool has_bpf_privileges(void);
/* kagg_fams: the families counted in the kernel (sources/kagg.h), 0 for none */
int setup_probes(struct probe_set *ps, const struct options *o, unsigned int families,
		 unsigned int kagg_fams);
/*
 * The probes of -P attached (the tp family if none of them could be), what
 * failed said, `probes` set to the summary ("snp 0/7 ... tp 3/3"). Returns 0,
 * or -1 with the reason printed.
 */
int attach_probes(struct probe_set *ps, const struct options *o, unsigned int kagg_fams,
		  char *probes, size_t probes_len);
/* Every capability given up for good, once the probes are attached. */
int drop_privileges(void);

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

/*
 * exports.c: batch text or JSON, and the metrics outputs. The two print_
 * return 0, or the errno of a failed write (for text_failed()).
 */
int print_interval(const struct options *o, FILE *out, const struct session *s, unsigned long n, double secs);
/* replayed: the trace file of a replay, NULL for a live run */
int print_summary(const struct options *o, FILE *out, const struct session *s, const char *replayed,
		  const char *probes);
/* the same for another source: JSON's "source" and its name, batch text's title */
int print_source_summary(const struct options *o, FILE *out, const struct session *s, const char *source,
			 const char *name, const char *title, const char *probes);
/* Opens --metrics / --metrics-textfile (before privileges are dropped). 0, or -1 with the reason printed. */
int exports_open(const struct options *o);
/* A live run, once the session is open: the probes' series, and the first snapshot. */
void exports_begin(struct session *s, const struct probe_set *ps);
int exports_start(void);	/* the metrics threads, after privileges are dropped */
void exports_interval(struct session *s, const struct probe_set *ps);	/* once per interval */
/*
 * commit: the last snapshot published and written; else only stopped (a
 * failed replay writes nothing). 0, or -1 if the textfile could not be written.
 */
int exports_close(struct session *s, const struct probe_set *ps, bool commit);

/* The run modes without a command. Each returns the exit status. */
int run_live(const struct options *o);		/* live.c */
int run_list(const struct options *o);		/* live.c: --list-probes */
int run_replay(const struct options *o);	/* replay.c: -r */
int run_record(int argc, char **argv);		/* record.c: gfntop record */
int run_connect(const struct options *o);	/* connect.c: --connect, a recorder's view */

/*
 * Where a run's events come from, as the run loops see it: the kernel's ring
 * buffer (live.c), a recorder's socket (connect.c) or a trace already read
 * (replay.c). The loops (batch_loop.c, tui_loop.c) know nothing else of it,
 * and the views below them nothing at all.
 */
struct run_source {
	bool streaming;		/* events keep coming (intervals, rates); false: a trace read whole */
	/*
	 * Hands what arrived to the session, waiting up to timeout_ms for it.
	 * Returns >= 0, or < 0 when the source failed (it printed why).
	 */
	int (*poll)(struct run_source *src, int timeout_ms);
	/* The work of one interval, before it is shown. */
	void (*interval)(struct run_source *src, struct session *s);
	const char *probes;	/* the header's probe summary, or NULL */
	const char *trace;	/* the trace the header names, or NULL */
	bool ended;		/* no more events will come (the recorder stopped) */
};

/*
 * What every live interval does, whatever shows it (live.c): SIGHUP's reopen
 * (the old file first gets the events queued and lost before it), loss
 * turned into a row, probes of unloaded modules, VMMs gone mid-launch, the
 * trace checked (deleted under us?) and flushed. A write failure ends the
 * run (s->write_failed); a refused reopen too (stop_requested, s->failed),
 * the rest still going to the old file.
 */
void interval_work(struct session *s, struct live_source *ls, struct probe_set *ps,
		   char *probes, size_t probes_len);

/*
 * batch_loop.c: text per interval to *out until -n, a signal, or the source's
 * end; returns the exit status. When the text output fails, a run that
 * records to a file goes on without it (*out set to NULL, s->failed), any
 * other stops.
 */
int batch_loop(struct session *s, struct run_source *src, const struct options *o, FILE **out);

/* tui_loop.c: the live view on a terminal (unless -b) */
bool use_tui(const struct options *o);
/*
 * The interactive loop over a source. Returns 0 when the user quit (or the
 * source ended), -1 when the terminal cannot do the TUI (the caller prints
 * batch text instead), TUI_HUNG_UP when the terminal went away (a recording
 * to a file goes on without it; anything else was told to stop).
 */
#define TUI_HUNG_UP 1
int tui_loop(struct session *s, struct run_source *src, const struct options *o);

#endif
