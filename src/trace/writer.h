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
struct stat;

enum csv_mode {
	CSV_DIRECT,	/* rows appear in FILE as they are flushed (live: tail -f works) */
	CSV_ATOMIC,	/* FILE appears complete or not at all (replay re-export) */
};

struct csv_open_opts {
	bool force;			/* replace an existing regular file (never a symlink) */
	enum csv_mode mode;
	const struct stat *keep;	/* never write over this file (the trace being replayed) */
};

/*
 * Creates FILE ('-' = stdout) with mode 0600, refusing an existing file
 * unless `force`, and never following a symlink, in its last component or
 * in a directory on the way (base/safe_file.h: the directory is opened once
 * and every later file is created relative to it). CSV_DIRECT files are
 * written with O_APPEND. NULL with a message on error.
 */
struct csv_writer *csv_open(const char *path, bool force, enum csv_mode mode, char *err, size_t errlen);
struct csv_writer *csv_open_opts(const char *path, const struct csv_open_opts *o, char *err, size_t errlen);
/*
 * The same for file `name` in the open directory dirfd (which the writer
 * dups, so the caller keeps its own): a recorder that opened its directory
 * once creates each rotated file this way. `shown` names it in messages.
 */
struct csv_writer *csv_open_at(int dirfd, const char *name, const char *shown,
			       const struct csv_open_opts *o, char *err, size_t errlen);
/* True if `path` names the file st describes (any spelling, symlink or hard link); stdout for "-". */
bool csv_names_file(const char *path, const struct stat *st);

/* Writes and flushes the header row. */
int csv_begin(struct csv_writer *w);
/* Appends one row (buffered). Returns 0, or -errno once a flush has failed. */
int csv_write(struct csv_writer *w, const struct gfn_event *e);
/*
 * Pushes buffered rows to the file. A file found shorter than what was
 * written to it (logrotate's copytruncate) begins again with a header row,
 * after the last complete row it still holds. When a write fails, the file
 * keeps every complete row that reached it, and the error is sticky.
 */
int csv_flush(struct csv_writer *w);
/*
 * Once per interval: is the file still there? A file that still has a name
 * (in its place, or renamed by a rotation that sent no SIGHUP) is written on.
 * A file deleted under the writer is created afresh with a header (its rows
 * are gone: CSV_RECREATED, said in csv_strerror, the error not sticky); if
 * another file has taken its name, or it cannot be created, that is an error
 * (-errno, sticky). 0 when nothing happened, and always for stdout.
 */
#define CSV_RECREATED 1
int csv_check(struct csv_writer *w);
/*
 * SIGHUP (logrotate): if FILE still names the file being written, nothing
 * changes. Otherwise FILE is created afresh with a new header and, once that
 * worked, the old file is flushed, synced and closed. An existing file in
 * its place is refused unless `force` or it is empty (logrotate's "create"
 * made it); a symlink never. On a refusal the old file stays the one being
 * written, so the caller can still write the rest to it, and the error is
 * not sticky. The caller hands the old file its own loss first (drain the
 * source, write its op=lost rows). No-op for stdout and CSV_ATOMIC.
 * Returns 0 or -errno (message in csv_strerror).
 */
int csv_reopen(struct csv_writer *w, bool force);
/*
 * Flushes and closes. CSV_ATOMIC: `commit` moves the finished file into
 * place, false discards it (and an existing file is left as it was).
 * CSV_DIRECT: false removes the file (recording never began). 0 or -errno.
 */
int csv_close(struct csv_writer *w, bool commit);
void csv_free(struct csv_writer *w);
/* The sticky write error (errno), 0 while the trace can still be written. */
int csv_error(const struct csv_writer *w);
/* The last error (or notice) as a sentence naming the file. */
const char *csv_strerror(const struct csv_writer *w);
unsigned long long csv_bytes(const struct csv_writer *w);
const char *csv_path(const struct csv_writer *w);

/* Formats one row into buf (no newline handling needed by callers); returns its length. For tests. */
size_t csv_format_row(char *buf, size_t len, const struct gfn_event *e);

#endif
