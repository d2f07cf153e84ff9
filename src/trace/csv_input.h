/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's bytes: refilled in csv_input.c, from read(2) or the
 * memory the reader was given, and taken one at a time by the state machine
 * with next_byte() and peek_byte(). Those two are inline, a step of the
 * state machine each; they call out only when the bytes at hand run out.
 */
#ifndef GFNTOP_CSV_INPUT_H
#define GFNTOP_CSV_INPUT_H

#include <stdbool.h>
#include "trace/csv_reader.h"

/* the next bytes, once those at hand are used: 0 (r->eof set at the end), or -1 on a read error */
int csv_refill(struct reader *r);
/* more bytes for a plain line that runs past those at hand; true if bytes were added */
bool csv_more_input(struct reader *r);

/* next byte, or -1 at the end, or -2 on a read error */
static inline int next_byte(struct reader *r)
{
	if (r->pos == r->len) {
		if (r->eof || csv_refill(r))
			return r->eof ? -1 : -2;
		if (r->eof)
			return -1;
	}
	return (unsigned char)r->chunk[r->pos++];
}

static inline int peek_byte(struct reader *r)
{
	int c = next_byte(r);

	if (c >= 0)
		r->pos--;
	return c;
}

#endif
