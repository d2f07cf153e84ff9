// SPDX-License-Identifier: GPL-2.0
/*
 * Trace reader. A small RFC 4180 state machine (quoted fields, "" escapes,
 * LF or CRLF line ends) that tracks line and column for its messages, then a
 * strict conversion of each known column into the event record. Everything
 * is bounded: a field is at most FIELD_MAX bytes, a row ROW_MAX bytes and
 * MAX_COLS columns, so hostile input costs no more memory than a good trace.
 *
 * Almost every row a trace holds is plain: no quotes, no CR except in a CRLF
 * line end, no NUL, short, and whole inside the read buffer. Such a row is
 * split where it lies (split_plain(): with AVX-512, AVX2 or SSE2, the widest
 * the CPU has) and its fields point into the buffer; anything else goes
 * through the state machine, which alone decides on malformed CSV, so its
 * messages are the only ones there are.
 *
 * The pieces, a file each:
 *   csv_reader.h   struct reader and the limits it holds rows to
 *   csv_input.c    the bytes: read(2) into a buffer, or memory (a mapped file)
 *   csv_split.c    plain rows split in place: portable, SSE2, AVX2, AVX-512
 *   csv_rows.c     a row at a time: the split, else the state machine
 *   csv_parse.h    the number parsers, inline
 *   csv_names.c    the name caches
 *   csv_convert.c  the header, each row into an event, the replay loop
 * This file holds the entry points: a trace in memory, on a descriptor, or
 * in a file, which is mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "trace/reader.h"
#include "trace/csv_convert.h"
#include "trace/csv_reader.h"

/* A reader over `len` bytes at `data`, messages naming `name`; NULL (said in err) without memory. */
static struct reader *reader_over(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->name = name;
	r->mem = data;
	r->memlen = len;
	r->fd = -1;
	r->err = err;
	r->errlen = errlen;
	return r;
}

int csv_replay_mem(const char *name, const char *data, size_t len, event_fn fn, void *ctx,
		   char *err, size_t errlen)
{
	struct reader *r = reader_over(name, data ? data : "", len, err, errlen);
	int rc;

	if (!r)
		return -1;
	rc = csv_replay_rows(r, fn, ctx);
	free(r);
	return rc;
}

/*
 * A regular file is replayed from a read-only mapping: the reader then sees
 * the whole trace as one buffer, with no copy out of the page cache (about a
 * sixth of a replay's time). It reads the file as it was when opened; rows
 * appended meanwhile are not read. A file truncated under the mapping makes
 * the next access fault (SIGBUS): the handler jumps back here, and the replay
 * fails with a message, like a read error would.
 */
static sigjmp_buf mapped_fault;
static volatile sig_atomic_t mapped_active;

static void on_mapped_fault(int sig)
{
	if (mapped_active)
		siglongjmp(mapped_fault, 1);
	signal(sig, SIG_DFL);	/* not ours: the default action (core dump) */
	raise(sig);
}

static int replay_mapped(const char *path, int fd, size_t size, const volatile sig_atomic_t *stop,
			 event_fn fn, void *ctx, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = on_mapped_fault }, old;
	struct reader *r;
	void *map;
	int rc;

	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 1;	/* e.g. a file system without mmap: read it instead */
	/* the reader lives outside the jump: a fault must not leak it */
	r = reader_over(path, map, size, err, errlen);
	if (!r) {
		munmap(map, size);
		return -1;
	}
	r->stop = stop;
	madvise(map, size, MADV_SEQUENTIAL);	/* read-ahead on a cold file */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(mapped_fault, 1) == 0) {
		mapped_active = 1;
		rc = csv_replay_rows(r, fn, ctx);
	} else {
		snprintf(err, errlen, "%s: read error: the file was truncated while being read", path);
		rc = -1;
	}
	mapped_active = 0;
	sigaction(SIGBUS, &old, NULL);
	munmap(map, size);
	free(r);
	return rc;
}

static int replay_read(const char *name, int fd, const volatile sig_atomic_t *stop, event_fn fn,
		       void *ctx, char *err, size_t errlen)
{
	struct reader *r = reader_over(name, NULL, 0, err, errlen);
	int rc;

	if (!r)
		return -1;
	if (!(r->chunk = malloc(READ_CHUNK))) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->fd = fd;		/* not memory: input comes from read(2) */
	r->stop = stop;
	rc = csv_replay_rows(r, fn, ctx);
	free(r->chunk);
	free(r);
	return rc;
}

int csv_replay_fd(const char *name, int fd, event_fn fn, void *ctx, char *err, size_t errlen)
{
	return replay_read(name, fd, NULL, fn, ctx, err, errlen);
}

int csv_replay_opened(const char *name, int fd, const volatile sig_atomic_t *stop, event_fn fn,
		      void *ctx, char *err, size_t errlen)
{
	struct stat st;
	int rc = 1;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= SIZE_MAX)
		rc = replay_mapped(name, fd, (size_t)st.st_size, stop, fn, ctx, err, errlen);
	/* a pipe, a terminal, an empty file, or no mapping: read(2) in chunks */
	if (rc == 1)
		rc = replay_read(name, fd, stop, fn, ctx, err, errlen);
	return rc;
}

int csv_replay_file(const char *path, event_fn fn, void *ctx, char *err, size_t errlen)
{
	int fd, rc;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	rc = csv_replay_opened(path, fd, NULL, fn, ctx, err, errlen);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}
