// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader's rows, one at a time: split in place where plain
 * (csv_split.c), else taken byte by byte by the RFC 4180 state machine,
 * which alone decides on malformed CSV and so writes every message about
 * it; and the line and column of a field, which the conversion's messages
 * give too. Apart from the conversion because a row here is bytes and
 * fields, not yet columns.
 */
#include <stdarg.h>
#include <stdio.h>
#include "trace/csv_input.h"
#include "trace/csv_rows.h"
#include "trace/csv_split.h"

__attribute__((cold)) int csv_fail_at(struct reader *r, unsigned long line, unsigned long col,
				      const char *fmt, ...)
{
	int n = snprintf(r->err, r->errlen, "%s:%lu:%lu: ", r->name, line, col);
	va_list ap;

	if (n >= 0 && (size_t)n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* where field i of the current row starts */
void csv_field_pos(const struct reader *r, int i, unsigned long *line, unsigned long *col)
{
	if (r->plain) {
		/*
		 * One byte past the end of the field before: unguard() may
		 * have moved a field's start, never its end.
		 */
		const char *start = r->row_start;

		if (i)
			start = r->field[i - 1].s + r->field[i - 1].len + 1;
		*line = r->row_line;
		*col = r->row_col + (unsigned long)(start - r->row_start);
	} else {
		*line = r->fline[i];
		*col = r->fcol[i];
	}
}

/* ---- any row: the state machine ---- */

static int push_byte(struct reader *r, int c, unsigned long fl, unsigned long fc)
{
	int f = r->nfields;

	if (r->field[f].len >= FIELD_MAX)
		return csv_fail_at(r, fl, fc, "field longer than %d bytes", FIELD_MAX);
	if (r->row_used >= ROW_MAX)
		return csv_fail_at(r, fl, fc, "row longer than %d bytes", ROW_MAX);
	r->row[r->row_used++] = (char)c;
	r->field[f].len++;
	return 0;
}

static int start_field(struct reader *r)
{
	if (r->nfields >= MAX_COLS)
		return csv_fail_at(r, r->line, r->col, "more than %d columns", MAX_COLS);
	r->field[r->nfields].s = r->row + r->row_used;
	r->field[r->nfields].len = 0;
	r->fline[r->nfields] = r->line;
	r->fcol[r->nfields] = r->col;
	return 0;
}

/* Reads one row byte by byte. Returns 1 with a row, 0 at the end of input, -1 on error. */
static int read_row_slow(struct reader *r)
{
	int c;

	r->plain = false;
	r->nfields = 0;
	r->row_used = 0;
	c = peek_byte(r);
	if (c == -1)
		return 0;
	if (c == -2)
		return -1;

	for (;;) {		/* one field per iteration */
		unsigned long fl = r->line, fc = r->col;

		if (start_field(r))
			return -1;
		c = next_byte(r);
		r->col++;
		if (c == '"') {
			for (;;) {
				c = next_byte(r);
				r->col++;
				if (c < 0)
					return c == -2 ? -1 : csv_fail_at(r, fl, fc, "unterminated quoted field");
				if (c == '"') {
					if (peek_byte(r) != '"')
						break;
					next_byte(r);
					r->col++;
				} else if (c == '\n') {
					r->line++;
					r->col = 1;
				} else if (c == 0) {
					return csv_fail_at(r, r->line, r->col - 1, "NUL byte");
				}
				if (push_byte(r, c, fl, fc))
					return -1;
			}
			c = next_byte(r);
			r->col++;
			if (c != ',' && c != '\n' && c != '\r' && c != -1)
				return c == -2 ? -1 : csv_fail_at(r, r->line, r->col - 1,
								  "unexpected character after a closing quote");
		} else {
			while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
				if (c == '"')
					return csv_fail_at(r, r->line, r->col - 1, "quote inside an unquoted field");
				if (c == 0)
					return csv_fail_at(r, r->line, r->col - 1, "NUL byte");
				if (push_byte(r, c, fl, fc))
					return -1;
				c = next_byte(r);
				r->col++;
			}
			if (c == -2)
				return -1;
		}
		r->nfields++;
		if (c == ',')
			continue;
		if (c == '\r') {
			if (next_byte(r) != '\n')
				return csv_fail_at(r, r->line, r->col - 1, "carriage return not followed by a line feed");
		}
		r->line++;
		r->col = 1;
		return 1;	/* end of line or of input */
	}
}

/* Reads one row. Returns 1 with a row, 0 at the end of input, -1 on error. */
int csv_read_row(struct reader *r)
{
	for (;;) {
		int rc = split_plain(r);

		if (rc == PLAIN_ROW)
			return 1;
		if (rc == PLAIN_NOT || !csv_more_input(r))
			return read_row_slow(r);
	}
}
