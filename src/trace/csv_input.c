// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader's byte source: a READ_CHUNK buffer that read(2) fills,
 * the start of an unfinished line kept at its front, or the memory the
 * reader was given (a mapped file, a test's buffer), all in one piece.
 * Apart from the rows because it alone knows where the bytes come from: the
 * splitters and the state machine see the bytes at hand (r->chunk, r->pos,
 * r->len) and ask for more.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "trace/csv_input.h"

static int read_error(struct reader *r, int err)
{
	snprintf(r->err, r->errlen, "%s: read error: %s", r->name, strerror(err));
	return -1;
}

/*
 * A pipe or a terminal may keep read(2) waiting, and a signal handler
 * installed with SA_RESTART would not end that wait; poll(2) is never
 * restarted. -1 (errno EINTR) once *r->stop is set.
 */
static int wait_input(struct reader *r)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	while (!*r->stop) {
		if (poll(&p, 1, -1) > 0 || (errno != EINTR && errno != EAGAIN))
			return 0;	/* readable, at its end, or not pollable: read() says which */
	}
	errno = EINTR;
	return -1;
}

/*
 * The next read(2): the `keep` bytes at the read position (the start of a
 * line) move to the front of the buffer and the read fills the rest.
 * Returns what read(2) returned, with errno.
 */
static ssize_t read_more(struct reader *r, size_t keep)
{
	ssize_t n;

	r->blk.base = NULL;
	memmove(r->chunk, r->chunk + r->pos, keep);
	if (r->stop && wait_input(r) < 0) {
		r->pos = 0;
		r->len = keep;
		return -1;
	}
	do
		n = read(r->fd, r->chunk + keep, READ_CHUNK - keep);
	while (n < 0 && errno == EINTR && !(r->stop && *r->stop));
	r->pos = 0;
	r->len = keep + (n > 0 ? (size_t)n : 0);
	return n;
}

int csv_refill(struct reader *r)
{
	ssize_t n;

	if (r->mem) {
		size_t left = r->memlen - r->mempos;

		r->blk.base = NULL;
		r->chunk = (char *)r->mem + r->mempos;
		r->len = left;
		r->pos = 0;
		r->mempos += left;
		r->eof = left == 0;
		return 0;
	}
	if (r->read_errno)
		return read_error(r, r->read_errno);
	n = read_more(r, 0);
	if (n < 0)
		return read_error(r, errno);
	r->eof = n == 0;
	return 0;
}

/*
 * More input for a plain line that runs past the bytes at hand: the start of
 * the line moves to the front of the buffer and the rest of the buffer is
 * filled. True if bytes were added. A read error is kept for csv_refill(): the
 * state machine, which gets the line then, meets it where it always did.
 */
bool csv_more_input(struct reader *r)
{
	size_t tail = r->len - r->pos;
	ssize_t n;

	if (r->eof || r->read_errno)
		return false;
	if (r->mem) {
		/* memory comes in one piece, on the first refill */
		if (tail)
			return false;
		csv_refill(r);
		return r->len > 0;
	}
	n = read_more(r, tail);		/* tail: at most PLAIN_MAX bytes */
	if (n < 0) {
		r->read_errno = errno;
		return false;
	}
	r->eof = n == 0;
	return n > 0;
}
