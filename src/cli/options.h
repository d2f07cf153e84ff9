/* SPDX-License-Identifier: GPL-2.0 */
/* The command line (DESIGN.md §3): parsed into one plain struct, no side effects. */
#ifndef GFNTOP_OPTIONS_H
#define GFNTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MAX_PIDS 64
#define MAX_HANDLERS 8

struct options {
	bool batch;			/* -b */
	double delay_s;			/* -d, default 1 */
	long iterations;		/* -n, 0 = until interrupted */
	unsigned int pids[MAX_PIDS];	/* -p */
	int npids;
	unsigned int families;		/* -P, bit per enum gfn_family; 0 = all */
	const char *handlers[MAX_HANDLERS];	/* --handler */
	int nhandlers;
	const char *csv_path;		/* -w */
	bool force;			/* --force */
	const char *replay_path;	/* -r */
	bool errors_only;		/* -e */
	bool list_probes;		/* --list-probes */
	int verbose;			/* -v */
	size_t ringbuf_bytes;		/* --ringbuf-size, 0 = default */
	bool json;			/* --json: batch output and --list-probes as JSON */
	const char *metrics_listen;	/* --metrics ADDR:PORT */
	const char *metrics_textfile;	/* --metrics-textfile DIR */
	int metrics_vms;		/* --metrics-vms N: per-VM series, 0 = none */
	bool help;			/* -h: usage printed */
	const char *connect_path;	/* --connect: a recorder's socket, NULL: the kernel */
};

/* The recorder's socket (gfntop record --socket, gfntop --connect) */
#define DEFAULT_SOCKET "/run/gfntop/gfntop.sock"

enum opt_result {
	OPT_RUN = 0,	/* go on with the parsed options */
	OPT_EXIT_OK,	/* --help or --version printed; exit 0 */
	OPT_ERROR,	/* message in err; exit 2 */
};

/* Parses argv; --help/--version text goes to `out`. Re-entrant (resets getopt). */
enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen, void *out /* FILE * */);

/* The parsers of -p, -P and --ringbuf-size, for the recorder's options (0 ok, -1 bad). */
int option_pids(const char *arg, struct options *o);
int option_families(const char *arg, unsigned int *mask);
int option_ringbuf_size(const char *arg, size_t *bytes);

#define DEFAULT_RINGBUF_BYTES (16u << 20)

#endif
