/* SPDX-License-Identifier: GPL-2.0 */
/* The trace reader: a schema-v1 trace read back into event records (the replay source). */
#ifndef GFNTOP_TRACE_READER_H
#define GFNTOP_TRACE_READER_H

#include <signal.h>
#include <stddef.h>
#include "base/sink.h"

/* What a replay returns when *stop was set (by a signal handler) before the end. */
#define CSV_INTERRUPTED (-2)

/*
 * Reads the trace at `path` ('-' = stdin) and calls fn for every row (a
 * regular file as it was when opened: it is mapped, not read).
 * Columns are found by header name; unknown columns are ignored; a missing
 * required column, a malformed value or malformed CSV stops with a message
 * "FILE:LINE:COL: ..." in err and returns -1 (the caller exits 2).
 * Returns 0 at the end of the trace, or fn's non-zero value.
 */
int csv_replay_file(const char *path, event_fn fn, void *ctx, char *err, size_t errlen);
/*
 * The same from a descriptor the caller opened (a regular file is mapped),
 * stopping with CSV_INTERRUPTED between rows, or while waiting for input on
 * a pipe or terminal, once *stop is set (NULL: never). The caller keeps fd.
 */
int csv_replay_opened(const char *name, int fd, const volatile sig_atomic_t *stop, event_fn fn,
		      void *ctx, char *err, size_t errlen);
/* The same from an open descriptor, always with read(2) (csv_replay_file maps regular files). */
int csv_replay_fd(const char *name, int fd, event_fn fn, void *ctx, char *err, size_t errlen);
/* The same over memory (tests, fuzzing); `name` is used in messages. */
int csv_replay_mem(const char *name, const char *data, size_t len, event_fn fn, void *ctx,
		   char *err, size_t errlen);

#endif
