/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder's trace: schema-v1 files DIR/trace-<UTC time>.csv, a new one
 * when the current one would grow past a size or is older than an age, or on
 * SIGHUP; the oldest removed beyond --keep. Every file is a complete trace
 * (header, whole rows): rotation happens between rows.
 *
 * A write failure (disk full) does not stop the recorder: the file is cut
 * back to its last complete row and closed, the events that follow are
 * counted, and a new file is tried every few seconds; its first row after the
 * header is an op=lost row with that count, so every file accounts for what
 * it is missing.
 */
#ifndef GFNTOP_RECORD_ROTATE_H
#define GFNTOP_RECORD_ROTATE_H

#include <stdbool.h>
#include <stdint.h>
#include "gfntop/event.h"
#include "record/files.h"

struct rotor_config {
	int dirfd;			/* the directory (dir_open), kept by the caller */
	const char *dir;		/* its name, for paths and messages */
	uint64_t max_bytes;		/* 0: no size limit */
	uint64_t max_age_ns;		/* 0: no age limit */
	struct keep_limits keep;
	/*
	 * Called before a file is closed, so that what belongs in it still
	 * goes there (the kernel's loss count as an op=lost row): rows written
	 * meanwhile go to the closing file.
	 */
	void (*before_close)(void *ctx);
	void *ctx;
};

struct rotor;

/*
 * Creates the first file, named by now_ns; with now_ns 0 (a replay, whose
 * clock is its events') at the first row, named by its time. NULL with a
 * message on failure.
 */
struct rotor *rotor_open(const struct rotor_config *cfg, uint64_t now_ns, char *err, size_t errlen);
/* Appends one row, first starting a new file if it could cross max_bytes. */
void rotor_write(struct rotor *r, const struct gfn_event *e, uint64_t now_ns);
/* True when the file is old enough, or the next row could make it too large: rotate first. */
bool rotor_due(const struct rotor *r, uint64_t now_ns);
/* Closes the current file (complete) and starts the next; prunes. */
void rotor_rotate(struct rotor *r, uint64_t now_ns);
/* Once per tick: rotates a file that is due, else pushes rows to it; after a failure, tries a new file. */
void rotor_tick(struct rotor *r, uint64_t now_ns);
/* Flushes and closes the last file. Returns 0, or -1 if the trace is not complete (logged). */
int rotor_close(struct rotor *r);
void rotor_free(struct rotor *r);

/* For the viewers' hello and the status line: the current file's name, or "" while failing. */
const char *rotor_current(const struct rotor *r);
/* rows written and files started since rotor_open (the lost rows of failures included) */
uint64_t rotor_rows(const struct rotor *r);
uint64_t rotor_files(const struct rotor *r);

#endif
