/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's rows (csv_rows.c): the next one, where each of its
 * fields starts, and the messages that point there.
 */
#ifndef GFNTOP_CSV_ROWS_H
#define GFNTOP_CSV_ROWS_H

#include "trace/csv_reader.h"

/* "NAME:LINE:COL: " and the message into r->err; returns -1 */
__attribute__((cold)) int csv_fail_at(struct reader *r, unsigned long line, unsigned long col,
				      const char *fmt, ...);
/* where field i of the current row starts */
void csv_field_pos(const struct reader *r, int i, unsigned long *line, unsigned long *col);
/* Reads one row. Returns 1 with a row, 0 at the end of input, -1 on error. */
int csv_read_row(struct reader *r);

#endif
