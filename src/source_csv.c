// SPDX-License-Identifier: GPL-2.0
/*
 * Trace reader. A small RFC 4180 state machine (quoted fields, "" escapes,
 * LF or CRLF line ends) that tracks line and column for its messages, then a
 * strict conversion of each known column into the event record. Everything
 * is bounded: a field is at most FIELD_MAX bytes, a row ROW_MAX bytes and
 * MAX_COLS columns, so hostile input costs no more memory than a good trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "source_csv.h"
#include "decode.h"
#include "names.h"
#include "sanitize.h"

#define FIELD_MAX 4096
#define ROW_MAX (64 * 1024)
#define MAX_COLS 256
#define READ_CHUNK (1 << 20)

/* The schema-v1 columns, in the order of the header the writer emits. */
enum col {
	C_TS_NS, C_CPU, C_PID, C_COMM, C_VM_PID, C_VM_ID, C_FAMILY, C_OP, C_FUNC, C_ITER_ID,
	C_AS_ID, C_SLOT, C_GFN_START, C_GFN_END, C_NPAGES, C_HVA_START, C_HVA_END, C_DUR_NS,
	C_RET, C_ERR, C_FW_ERROR, C_FW_NAME, C_PSP_CMD, C_PAGE_TYPE, C_COUNT,
};

static const char *const col_names[C_COUNT] = {
	"ts_ns", "cpu", "pid", "comm", "vm_pid", "vm_id", "family", "op", "func", "iter_id",
	"as_id", "slot", "gfn_start", "gfn_end", "npages", "hva_start", "hva_end", "dur_ns",
	"ret", "err", "fw_error", "fw_name", "psp_cmd", "page_type",
};

struct reader {
	const char *name;
	/* input: a file descriptor, or memory */
	int fd;
	const char *mem;
	size_t memlen, mempos;
	char *chunk;
	size_t pos, len;
	bool eof;
	/* position of the next byte */
	unsigned long line, col;
	/* the row being assembled */
	char row[ROW_MAX];
	size_t row_used;
	int nfields;
	size_t off[MAX_COLS], flen[MAX_COLS];
	unsigned long fline[MAX_COLS], fcol[MAX_COLS];
	/* header: the row index of each known column, -1 if absent */
	int map[C_COUNT];
	int ncols;
	char *err;
	size_t errlen;
};

static int fail_at(struct reader *r, unsigned long line, unsigned long col, const char *fmt, ...)
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

/* ---- bytes ---- */

static int refill(struct reader *r)
{
	if (r->mem) {
		size_t n = r->memlen - r->mempos;

		r->chunk = (char *)r->mem + r->mempos;
		r->len = n;
		r->pos = 0;
		r->mempos += n;
		r->eof = n == 0;
		return 0;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->chunk, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(r->err, r->errlen, "%s: read error: %s", r->name, strerror(errno));
			return -1;
		}
		r->len = (size_t)n;
		r->pos = 0;
		r->eof = n == 0;
		return 0;
	}
}

/* next byte, or -1 at the end, or -2 on a read error */
static inline int next_byte(struct reader *r)
{
	if (r->pos == r->len) {
		if (r->eof || refill(r))
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

/* ---- one row of fields ---- */

static int push_byte(struct reader *r, int c, unsigned long fl, unsigned long fc)
{
	int f = r->nfields;

	if (r->flen[f] >= FIELD_MAX)
		return fail_at(r, fl, fc, "field longer than %d bytes", FIELD_MAX);
	if (r->row_used >= ROW_MAX)
		return fail_at(r, fl, fc, "row longer than %d bytes", ROW_MAX);
	r->row[r->row_used++] = (char)c;
	r->flen[f]++;
	return 0;
}

static int start_field(struct reader *r)
{
	if (r->nfields >= MAX_COLS)
		return fail_at(r, r->line, r->col, "more than %d columns", MAX_COLS);
	r->off[r->nfields] = r->row_used;
	r->flen[r->nfields] = 0;
	r->fline[r->nfields] = r->line;
	r->fcol[r->nfields] = r->col;
	return 0;
}

/* Reads one row. Returns 1 with a row, 0 at the end of input, -1 on error. */
static int read_row(struct reader *r)
{
	int c;

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
					return c == -2 ? -1 : fail_at(r, fl, fc, "unterminated quoted field");
				if (c == '"') {
					if (peek_byte(r) != '"')
						break;
					next_byte(r);
					r->col++;
				} else if (c == '\n') {
					r->line++;
					r->col = 1;
				} else if (c == 0) {
					return fail_at(r, r->line, r->col - 1, "NUL byte");
				}
				if (push_byte(r, c, fl, fc))
					return -1;
			}
			c = next_byte(r);
			r->col++;
			if (c != ',' && c != '\n' && c != '\r' && c != -1)
				return c == -2 ? -1 : fail_at(r, r->line, r->col - 1,
							       "unexpected character after a closing quote");
		} else {
			while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
				if (c == '"')
					return fail_at(r, r->line, r->col - 1, "quote inside an unquoted field");
				if (c == 0)
					return fail_at(r, r->line, r->col - 1, "NUL byte");
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
				return fail_at(r, r->line, r->col - 1, "carriage return not followed by a line feed");
		}
		r->line++;
		r->col = 1;
		return 1;	/* end of line or of input */
	}
}

/* ---- values ---- */

struct cell {
	const char *s;
	size_t len;
	int col;		/* enum col */
	int idx;		/* field index in the row */
};

static int bad(struct reader *r, const struct cell *c, const char *what)
{
	char shown[48];

	sanitize_term(shown, sizeof(shown), c->s, c->len);
	return fail_at(r, r->fline[c->idx], r->fcol[c->idx], "column '%s': %s '%s%s'",
		       col_names[c->col], what, shown, c->len >= sizeof(shown) ? "..." : "");
}

static int parse_u64(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!len || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_s64(const char *s, size_t len, long long *out)
{
	unsigned long long v;

	if (len && s[0] == '-') {
		if (parse_u64(s + 1, len - 1, 9223372036854775808ULL, &v))
			return -1;
		*out = (long long)(0ULL - v);
		return 0;
	}
	if (parse_u64(s, len, 9223372036854775807ULL, &v))
		return -1;
	*out = (long long)v;
	return 0;
}

static int parse_hex(const char *s, size_t len, bool prefix, unsigned long long *out)
{
	unsigned long long v = 0;

	if (prefix) {
		if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
			return -1;
		s += 2, len -= 2;
	}
	if (!len || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = (v << 4) | (unsigned int)d;
	}
	*out = v;
	return 0;
}

/* undo the writer's spreadsheet guard: one leading quote before '*[=+-@] */
static void unguard(struct cell *c)
{
	size_t q = 0;

	while (q < c->len && c->s[q] == '\'')
		q++;
	if (q && q < c->len && strchr("=+-@", c->s[q]))
		c->s++, c->len--;
}

static int text_field(struct reader *r, struct cell *c, char *dst, size_t cap)
{
	unguard(c);
	for (size_t i = 0; i < c->len;) {
		size_t n = utf8_seq_len(c->s + i, c->len - i);

		if (!n)
			return bad(r, c, "invalid UTF-8 in");
		i += n;
	}
	if (c->len >= cap)
		return bad(r, c, "value too long");
	memcpy(dst, c->s, c->len);
	dst[c->len] = '\0';
	return 0;
}

/* Converts the current row into *e. */
static int convert_row(struct reader *r, struct gfn_event *e)
{
	struct cell cell[C_COUNT];
	unsigned long long u;
	long long sv;
	char text[FUNC_NAME_MAX + 1];

	memset(e, 0, sizeof(*e));
	for (int k = 0; k < C_COUNT; k++) {
		int idx = r->map[k];

		cell[k] = (struct cell){ r->row + r->off[idx], r->flen[idx], k, idx };
	}

#define EMPTY(k) (cell[k].len == 0)
#define U64(k, max, dst) do {						\
		if (parse_u64(cell[k].s, cell[k].len, max, &u))		\
			return bad(r, &cell[k], "invalid number");	\
		(dst) = u;						\
	} while (0)
#define HEX(k, dst) do {						\
		if (parse_hex(cell[k].s, cell[k].len, true, &u))	\
			return bad(r, &cell[k], "invalid hex value (0x...)"); \
		(dst) = u;						\
	} while (0)

	if (EMPTY(C_TS_NS))
		return bad(r, &cell[C_TS_NS], "missing value");
	U64(C_TS_NS, ~0ULL, e->ts_ns);

	if (!EMPTY(C_CPU) || !EMPTY(C_PID) || !EMPTY(C_COMM)) {
		e->flags |= EVF_TASK;
		if (!EMPTY(C_CPU))
			U64(C_CPU, 0xffffffffULL, e->cpu);
		if (!EMPTY(C_PID))
			U64(C_PID, 0xffffffffULL, e->pid);
		if (text_field(r, &cell[C_COMM], e->comm, sizeof(e->comm)))
			return -1;
	}
	if (!EMPTY(C_VM_PID)) {
		U64(C_VM_PID, 0xffffffffULL, e->vm_pid);
		e->flags |= EVF_VM_PID;
	}
	if (!EMPTY(C_VM_ID)) {
		if (parse_hex(cell[C_VM_ID].s, cell[C_VM_ID].len, false, &u))
			return bad(r, &cell[C_VM_ID], "invalid vm_id (16 hex digits)");
		e->vm_id = u;
		e->flags |= EVF_VM_ID;
	}

	if (!EMPTY(C_FAMILY)) {
		int f = family_from_name(cell[C_FAMILY].s, cell[C_FAMILY].len);

		if (f < 0)
			return bad(r, &cell[C_FAMILY], "unknown family");
		e->family = (__u8)f;
	}
	{
		int op = op_from_name(cell[C_OP].s, cell[C_OP].len);

		if (op < 0)
			return bad(r, &cell[C_OP], EMPTY(C_OP) ? "missing value" : "unknown operation");
		e->op = (__u8)op;
	}
	if (text_field(r, &cell[C_FUNC], text, sizeof(text)))
		return -1;
	{
		int id = func_intern(text, strlen(text));

		if (id < 0)
			return bad(r, &cell[C_FUNC], "too many distinct function names at");
		e->func_id = (__u16)id;
	}
	if (!EMPTY(C_ITER_ID))
		U64(C_ITER_ID, ~0ULL, e->iter_id);
	if (!EMPTY(C_AS_ID) || !EMPTY(C_SLOT)) {
		if (EMPTY(C_AS_ID) || EMPTY(C_SLOT))
			return bad(r, &cell[EMPTY(C_AS_ID) ? C_AS_ID : C_SLOT], "as_id and slot go together; missing");
		U64(C_AS_ID, 0xffff, e->as_id);
		U64(C_SLOT, 0xffff, e->slot);
		e->flags |= EVF_SLOT;
	}
	if (!EMPTY(C_GFN_START) || !EMPTY(C_GFN_END)) {
		HEX(C_GFN_START, e->gfn_start);
		HEX(C_GFN_END, e->gfn_end);
		e->flags |= EVF_GFN;
	}
	if (!EMPTY(C_NPAGES)) {
		U64(C_NPAGES, ~0ULL, e->npages);
		e->flags |= EVF_NPAGES;
	}
	if (!EMPTY(C_HVA_START) || !EMPTY(C_HVA_END)) {
		HEX(C_HVA_START, e->hva_start);
		HEX(C_HVA_END, e->hva_end);
		e->flags |= EVF_HVA;
	}
	if (!EMPTY(C_DUR_NS)) {
		U64(C_DUR_NS, ~0ULL, e->dur_ns);
		e->flags |= EVF_DUR;
	}
	if (!EMPTY(C_RET)) {
		if (parse_s64(cell[C_RET].s, cell[C_RET].len, &sv))
			return bad(r, &cell[C_RET], "invalid number");
		e->ret = sv;
		e->flags |= EVF_RET;
	}
	if (!EMPTY(C_FW_ERROR)) {
		if (parse_s64(cell[C_FW_ERROR].s, cell[C_FW_ERROR].len, &sv) || sv < -2147483648LL ||
		    sv > 2147483647LL)
			return bad(r, &cell[C_FW_ERROR], "invalid number");
		e->fw_error = (__s32)sv;
		e->flags |= EVF_FW;
	}
	if (!EMPTY(C_PSP_CMD)) {
		unsigned long cmd;

		if (text_field(r, &cell[C_PSP_CMD], text, sizeof(text)) ||
		    decode_psp_cmd_from_name(text, &cmd) || cmd > 0xffffffffUL)
			return r->err[0] ? -1 : bad(r, &cell[C_PSP_CMD], "unknown PSP command");
		e->psp_cmd = (__u32)cmd;
		e->flags |= EVF_PSP_CMD;
	}
	if (!EMPTY(C_PAGE_TYPE)) {
		unsigned long t;

		if (text_field(r, &cell[C_PAGE_TYPE], text, sizeof(text)))
			return -1;
		if (decode_page_type_from_name(text, &t)) {
			if (parse_u64(cell[C_PAGE_TYPE].s, cell[C_PAGE_TYPE].len, 255, &u))
				return bad(r, &cell[C_PAGE_TYPE], "unknown page type");
			t = (unsigned long)u;
		}
		e->page_type = (__u8)t;
		e->flags |= EVF_PAGE_TYPE;
	}
#undef EMPTY
#undef U64
#undef HEX
	return 0;
}

static int read_header(struct reader *r)
{
	int rc = read_row(r);

	if (rc == 0)
		return fail_at(r, 1, 1, "empty trace: no header row");
	if (rc < 0)
		return -1;
	for (int k = 0; k < C_COUNT; k++)
		r->map[k] = -1;
	for (int i = 0; i < r->nfields; i++) {
		const char *name = r->row + r->off[i];
		size_t len = r->flen[i];

		for (int k = 0; k < C_COUNT; k++) {
			if (strlen(col_names[k]) != len || memcmp(col_names[k], name, len))
				continue;
			if (r->map[k] >= 0)
				return fail_at(r, r->fline[i], r->fcol[i], "duplicate column '%s' in the header",
					       col_names[k]);
			r->map[k] = i;
		}
	}
	for (int k = 0; k < C_COUNT; k++)
		if (r->map[k] < 0)
			return fail_at(r, 1, 1, "missing required column '%s' (not a gfntop schema-v1 trace?)",
				       col_names[k]);
	r->ncols = r->nfields;
	return 0;
}

static int replay(struct reader *r, event_fn fn, void *ctx)
{
	struct gfn_event e;
	int rc;

	r->line = 1;
	r->col = 1;
	r->err[0] = '\0';
	if (read_header(r))
		return -1;
	while ((rc = read_row(r)) > 0) {
		if (r->nfields != r->ncols)
			return fail_at(r, r->line - 1, 1, "row has %d fields, the header has %d",
				       r->nfields, r->ncols);
		if (convert_row(r, &e))
			return -1;
		rc = fn(ctx, &e);
		if (rc)
			return rc;
	}
	return rc;
}

int csv_replay_mem(const char *name, const char *data, size_t len, event_fn fn, void *ctx,
		   char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	int rc;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->name = name;
	r->mem = data ? data : "";
	r->memlen = len;
	r->fd = -1;
	r->err = err;
	r->errlen = errlen;
	rc = replay(r, fn, ctx);
	free(r);
	return rc;
}

int csv_replay_file(const char *path, event_fn fn, void *ctx, char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || !(r->chunk = malloc(READ_CHUNK))) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->name = path;
	r->err = err;
	r->errlen = errlen;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (r->fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		rc = -1;
	} else {
		rc = replay(r, fn, ctx);
		if (r->fd != STDIN_FILENO)
			close(r->fd);
	}
	free(r->chunk);
	free(r);
	return rc;
}
