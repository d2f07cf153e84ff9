/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's plain-row splitters: a line with no quote, no NUL and
 * no CR but a CRLF line end's, whole in the bytes at hand, is split where it
 * lies and its fields point into the input. split_plain() is inline in
 * csv_read_row(), once a row; the splitter it calls through r->split is the
 * one csv_pick_splitter() chose for the replay (csv_split.c).
 */
#ifndef GFNTOP_CSV_SPLIT_H
#define GFNTOP_CSV_SPLIT_H

#include "trace/csv_reader.h"

enum { PLAIN_ROW, PLAIN_NOT, PLAIN_SHORT };	/* split; not plain; needs more input first */

/* the splitter a replay uses: the widest one this build and this CPU have */
split_fn *csv_pick_splitter(void);

/*
 * Splits the line at the read position if it is plain: it ends with LF or
 * CRLF within the bytes at hand and PLAIN_MAX bytes, and has no quote, other
 * CR or NUL and at most MAX_COLS fields. Fields then point into the input.
 * On anything but PLAIN_ROW nothing has been consumed.
 */
static inline int split_plain(struct reader *r)
{
	size_t avail = r->len - r->pos;
	const char *p;

	if (!avail)
		return PLAIN_SHORT;
	p = r->chunk + r->pos;
	r->field[0].s = p;
	return r->split(r, p, p + (avail < PLAIN_MAX ? avail : PLAIN_MAX));
}

#endif
