/* SPDX-License-Identifier: GPL-2.0 */
/* `gfntop record`'s command line (DESIGN.md §7), parsed into one plain struct, no side effects. */
#ifndef GFNTOP_RECORD_OPTIONS_H
#define GFNTOP_RECORD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli/options.h"

#define RECORD_DEFAULT_DIR "/var/lib/gfntop"
#define RECORD_DEFAULT_SOCKET DEFAULT_SOCKET

struct record_options {
	struct options common;		/* -P -p --handler --ringbuf-size -v, -d (the tick), --metrics* */
	const char *dir;		/* --dir */
	uint64_t rotate_bytes;		/* --rotate SIZE */
	uint64_t rotate_ns;		/* --rotate DURATION */
	unsigned long keep_files;	/* --keep N */
	uint64_t keep_bytes;		/* --keep SIZE */
	bool no_trace;			/* --no-trace */
	const char *socket_path;	/* --socket; NULL with --no-socket */
	unsigned int flight_events;	/* --flight-events */
	double incident_after_s;	/* --incident-after */
	unsigned long incident_files;	/* --incident-keep N */
	uint64_t incident_bytes;	/* --incident-keep SIZE */
	unsigned int max_viewers;	/* --max-viewers */
	unsigned int viewer_backlog;	/* --viewer-backlog, events */
	double retire_after_s;		/* --retire-after */
	const char *replay_path;	/* -r: a trace through the recorder instead of the kernel */
};

/* argv[0] is "record". Same results as options_parse(); --help text goes to `out`. */
enum opt_result record_options_parse(int argc, char **argv, struct record_options *o,
				     char *err, size_t errlen, void *out /* FILE * */);

/* "256M", "1G", "4096" (bytes); K, M, G, T are powers of 1024. 0 ok, -1 bad. */
int parse_bytes(const char *s, uint64_t *out);
/* "30s", "15m", "1h", "7d" (a number and a unit). 0 ok, -1 bad. */
int parse_duration(const char *s, uint64_t *ns);

#endif
