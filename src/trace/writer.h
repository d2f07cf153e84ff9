/* SPDX-License-Identifier: GPL-2.0 */
/* The trace writer: CSV schema version 1 (DESIGN.md §4), buffered, never a half row on disk. */
#ifndef GFNTOP_CSV_H
#define GFNTOP_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "gfntop/event.h"

#define CSV_HEADER "ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot," \
		   "gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"

struct csv_writer;

enum csv_mode {
	CSV_DIRECT,	/* rows appear in FILE as they are flushed (live: tail -f works) */
	CSV_ATOMIC,	/* FILE appears complete or not at all (replay re-export) */
};

/*
 * Creates FILE ('-' = stdout) with mode 0600, refusing an existing file
 * unless `force`, and never following a symlink. NULL with a message on error.
 */
struct csv_writer *csv_open(const char *path, bool force, enum csv_mode mode, char *err, size_t errlen);
/* Writes and flushes the header row. */
int csv_begin(struct csv_writer *w);
/* Appends one row (buffered). Returns 0, or -errno once a flush has failed. */
int csv_write(struct csv_writer *w, const struct gfn_event *e);
/* Pushes buffered rows to the file; on failure cuts it back to its last complete row. */
int csv_flush(struct csv_writer *w);
/*
 * SIGHUP (logrotate): flushes and closes FILE, then creates it afresh with a
 * new header. An existing file in its place is refused unless `force` or it is
 * empty (logrotate's "create" made it); never followed if a symlink. No-op
 * for stdout. Returns 0 or -errno (message in csv_strerror).
 */
int csv_reopen(struct csv_writer *w, bool force);
/* Flushes and closes; with CSV_ATOMIC, `commit` false discards the file. Returns 0 or -errno. */
int csv_close(struct csv_writer *w, bool commit);
void csv_free(struct csv_writer *w);
/* The last error as a sentence naming the file. */
const char *csv_strerror(const struct csv_writer *w);
unsigned long long csv_bytes(const struct csv_writer *w);
const char *csv_path(const struct csv_writer *w);

/* Formats one row into buf (no newline handling needed by callers); returns its length. For tests. */
size_t csv_format_row(char *buf, size_t len, const struct gfn_event *e);

#endif
