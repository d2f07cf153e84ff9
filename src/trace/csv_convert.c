// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader's rows into event records: the header's map from column
 * to field, each known cell converted strictly (numbers, hex, text, names),
 * and the loop that hands every event on. The loop is here rather than with
 * the entry points so that the conversion is inline in it.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "trace/csv_convert.h"
#include "trace/csv_names.h"
#include "trace/csv_parse.h"
#include "trace/csv_rows.h"
#include "trace/csv_split.h"
#include "trace/reader.h"
#include "base/decode.h"
#include "base/names.h"
#include "base/sanitize.h"

/* the header's name of each enum col */
static const char *const col_names[C_COUNT] = {
	"ts_ns", "cpu", "pid", "comm", "vm_pid", "vm_id", "family", "op", "func", "iter_id",
	"as_id", "slot", "gfn_start", "gfn_end", "npages", "hva_start", "hva_end", "dur_ns",
	"ret", "err", "fw_error", "fw_name", "psp_cmd", "page_type",
};

/* ---- values ---- */

/* c: one of r->cells */
static __attribute__((cold, noinline)) int bad(struct reader *r, const struct field *c, const char *what)
{
	int k = (int)(c - r->cells);	/* enum col */
	char shown[48];
	unsigned long line, col;

	sanitize_term(shown, sizeof(shown), c->s, c->len);
	csv_field_pos(r, r->map[k], &line, &col);
	return csv_fail_at(r, line, col, "column '%s': %s '%s%s'",
			   col_names[k], what, shown, c->len >= sizeof(shown) ? "..." : "");
}

/* undo the writer's spreadsheet guard: one leading quote before '*[=+-@] */
static void unguard(struct field *c)
{
	size_t q = 0;

	while (q < c->len && c->s[q] == '\'')
		q++;
	if (q && q < c->len && strchr("=+-@", c->s[q]))
		c->s++, c->len--;
}

static int text_field(struct reader *r, struct field *c, char *dst, size_t cap)
{
	unguard(c);
	if (!utf8_valid(c->s, c->len))
		return bad(r, c, "invalid UTF-8 in");
	if (c->len >= cap)
		return bad(r, c, "value too long");
	memcpy(dst, c->s, c->len);
	dst[c->len] = '\0';
	return 0;
}

/* the end of the memory the current row's cells are in: the bytes at hand, or the row copy */
static const char *cells_end(const struct reader *r)
{
	return r->plain ? r->chunk + r->len : r->row + sizeof(r->row);
}

_Static_assert(GFN_COMM_LEN == 16, "comm_field() copies two words");

/*
 * text_field() into a comm, without its calls where the cell is short ASCII
 * without a guard quote (nearly every one) and the 16 bytes from its start
 * are at hand: those, the bytes past the cell masked off, are the comm.
 */
static ALWAYS_INLINE int comm_field(struct reader *r, struct field *c, char *dst, const char *end)
{
	if (SWAR && c->len < GFN_COMM_LEN && end - c->s >= 16 && c->s[0] != '\'') {
		unsigned long long lo = load8(c->s), hi = load8(c->s + 8);

		if (c->len < 8)
			lo &= (1ULL << (8 * c->len)) - 1, hi = 0;
		else
			hi &= (1ULL << (8 * (c->len - 8))) - 1;
		if (!((lo | hi) & 0x8080808080808080ULL)) {
			memcpy(dst, &lo, 8);
			memcpy(dst + 8, &hi, 8);
			return 0;
		}
	}
	return text_field(r, c, dst, GFN_COMM_LEN);
}

/* ---- names ---- */

/* enum gfn_family of a cell, or -1 */
static int family_id(struct reader *r, const struct field *c)
{
	int id = csv_cache_get(&r->families, c->s, c->len);

	if (id < 0 && (id = family_from_name(c->s, c->len)) >= 0)
		csv_cache_put(&r->families, c->s, c->len, id);
	return id;
}

/* enum gfn_op of a cell, or -1 */
static int op_id(struct reader *r, const struct field *c)
{
	int id = csv_cache_get(&r->ops, c->s, c->len);

	if (id < 0 && (id = op_from_name(c->s, c->len)) >= 0)
		csv_cache_put(&r->ops, c->s, c->len, id);
	return id;
}

/* the function-name id of the func cell, or -1 with the message in r->err */
static int func_id(struct reader *r, struct field *c)
{
	const char *raw = c->s;
	size_t rawlen = c->len;
	char text[FUNC_NAME_MAX + 1];
	int id = csv_cache_get(&r->funcs, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	id = func_intern(text, c->len);	/* a cell holds no NUL: c->len is strlen(text) */
	if (id < 0)
		return bad(r, c, "too many distinct function names at");
	csv_cache_put(&r->funcs, raw, rawlen, id);
	return id;
}

/*
 * The psp_cmd cell (a name, or "0x<hex>") as a command id, or -1 with the
 * message in r->err. Launch and PSP rows all carry one, and the full lookup
 * is a string compare against each name of the table.
 */
static long long psp_cmd_id(struct reader *r, struct field *c)
{
	const char *raw = c->s;
	size_t rawlen = c->len;
	char text[FUNC_NAME_MAX + 1];
	unsigned long cmd;
	int id = csv_cache_get(&r->psp_cmds, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	if (decode_psp_cmd_from_name(text, &cmd) || cmd > 0xffffffffUL)
		return bad(r, c, "unknown PSP command");
	if (cmd <= 0x7fffffffUL)	/* what an id holds; a larger raw 0x value is looked up each time */
		csv_cache_put(&r->psp_cmds, raw, rawlen, (int)cmd);
	return (long long)cmd;
}

/* the page_type cell (a name or a number up to 255) as a page type, or -1 with the message in r->err */
static int page_type_id(struct reader *r, struct field *c)
{
	const char *raw = c->s;
	size_t rawlen = c->len;
	char text[FUNC_NAME_MAX + 1];
	unsigned long t;
	unsigned long long u;
	int id = csv_cache_get(&r->page_types, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	if (decode_page_type_from_name(text, &t)) {
		if (parse_u64(c->s, c->len, cells_end(r), 255, &u))
			return bad(r, c, "unknown page type");
		t = (unsigned long)u;
	}
	csv_cache_put(&r->page_types, raw, rawlen, (int)t);
	return (int)t;
}

/*
 * family, op and func into *e. Where they are adjacent cells of a plain row
 * (as the writer's are), one lookup for the three, keyed by the bytes from
 * the family cell to the end of the func cell: plain cells hold no comma, so
 * the commas in the key tell the three apart, and a trace has few triples.
 */
static int names(struct reader *r, struct field *cell, struct gfn_event *e)
{
	const char *from = cell[C_FAMILY].s, *to = cell[C_FUNC].s + cell[C_FUNC].len;
	bool adjacent = r->plain && cell[C_OP].s == from + cell[C_FAMILY].len + 1 &&
			cell[C_FUNC].s == cell[C_OP].s + cell[C_OP].len + 1;
	int family = 0, op, func;

	if (adjacent) {
		int id = csv_cache_get(&r->triples, from, (size_t)(to - from));

		if (id >= 0) {
			e->family = (__u8)id;
			e->op = (__u8)(id >> 8);
			e->func_id = (__u16)(id >> 16);
			return 0;
		}
	}
	if (cell[C_FAMILY].len && (family = family_id(r, &cell[C_FAMILY])) < 0)
		return bad(r, &cell[C_FAMILY], "unknown family");
	op = op_id(r, &cell[C_OP]);
	if (op < 0)
		return bad(r, &cell[C_OP], cell[C_OP].len ? "unknown operation" : "missing value");
	func = func_id(r, &cell[C_FUNC]);
	if (func < 0)
		return -1;
	e->family = (__u8)family;
	e->op = (__u8)op;
	e->func_id = (__u16)func;
	/* ids: family and op below 256, func below FUNC_TABLE_SIZE */
	if (adjacent)
		csv_cache_put(&r->triples, from, (size_t)(to - from), family | op << 8 | func << 16);
	return 0;
}

/* Converts the current row into *e. */
static int convert_row(struct reader *r, struct gfn_event *e)
{
	/* copied, not memset(): gcc makes that a rep stos, slow to start */
	static const struct gfn_event empty;
	struct field *cell = r->cells;
	const char *end = cells_end(r);
	unsigned long long u;
	long long sv;

	*e = empty;
	if (!r->in_order)
		for (int k = 0; k < C_COUNT; k++)
			cell[k] = r->field[r->map[k]];

#define EMPTY(k) (cell[k].len == 0)
#define U64(k, max, dst) do {						\
		if (unlikely(parse_u64(cell[k].s, cell[k].len, end, max, &u))) \
			return bad(r, &cell[k], "invalid number");	\
		(dst) = u;						\
	} while (0)
#define HEX(k, dst) do {						\
		if (unlikely(parse_hex(cell[k].s, cell[k].len, end, true, &u))) \
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
		if (comm_field(r, &cell[C_COMM], e->comm, end))
			return -1;
	}
	if (!EMPTY(C_VM_PID)) {
		U64(C_VM_PID, 0xffffffffULL, e->vm_pid);
		e->flags |= EVF_VM_PID;
	}
	if (!EMPTY(C_VM_ID)) {
		if (cell[C_VM_ID].len != 16 || parse_hex(cell[C_VM_ID].s, 16, end, false, &u))
			return bad(r, &cell[C_VM_ID], "invalid vm_id (16 hex digits)");
		e->vm_id = u;
		e->flags |= EVF_VM_ID;
	}

	if (names(r, cell, e))
		return -1;
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
		if (parse_s64(cell[C_RET].s, cell[C_RET].len, end, &sv))
			return bad(r, &cell[C_RET], "invalid number");
		e->ret = sv;
		e->flags |= EVF_RET;
	}
	/* a lost row's ret is how many events: a count, never negative, never left out */
	if (unlikely(e->op == OP_LOST) && (EMPTY(C_RET) || e->ret < 0))
		return bad(r, &cell[C_RET], EMPTY(C_RET) ? "a lost row needs its count; missing value"
							  : "a lost row's count cannot be negative:");
	if (!EMPTY(C_FW_ERROR)) {
		if (parse_s64(cell[C_FW_ERROR].s, cell[C_FW_ERROR].len, end, &sv) || sv < -2147483648LL ||
		    sv > 2147483647LL)
			return bad(r, &cell[C_FW_ERROR], "invalid number");
		e->fw_error = (__s32)sv;
		e->flags |= EVF_FW;
	}
	if (!EMPTY(C_PSP_CMD)) {
		long long cmd = psp_cmd_id(r, &cell[C_PSP_CMD]);

		if (cmd < 0)
			return -1;
		e->psp_cmd = (__u32)cmd;
		e->flags |= EVF_PSP_CMD;
	}
	if (!EMPTY(C_PAGE_TYPE)) {
		int t = page_type_id(r, &cell[C_PAGE_TYPE]);

		if (t < 0)
			return -1;
		e->page_type = (__u8)t;
		e->flags |= EVF_PAGE_TYPE;
	}
#undef EMPTY
#undef U64
#undef HEX
	return 0;
}

/* a UTF-8 byte-order mark, which spreadsheets write before the first header name */
#define BOM "\xef\xbb\xbf"

/*
 * Does header field `name` name column k? Spaces and tabs around it and
 * letter case do not matter (" TS_NS" is ts_ns), as spreadsheets and hand
 * edits leave them.
 */
static bool names_column(const char *name, size_t len, int k)
{
	const char *want = col_names[k];
	size_t n = strlen(want);

	while (len && (*name == ' ' || *name == '\t'))
		name++, len--;
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	return len == n && !strncasecmp(name, want, n);
}

static int read_header(struct reader *r)
{
	int rc = csv_read_row(r);

	if (rc == 0)
		return csv_fail_at(r, 1, 1, "empty trace: no header row");
	if (rc < 0)
		return -1;
	for (int k = 0; k < C_COUNT; k++)
		r->map[k] = -1;
	for (int i = 0; i < r->nfields; i++) {
		const char *name = r->field[i].s;
		size_t len = r->field[i].len;

		if (i == 0 && len >= 3 && !memcmp(name, BOM, 3))
			name += 3, len -= 3;
		for (int k = 0; k < C_COUNT; k++) {
			unsigned long line, col;

			if (!names_column(name, len, k))
				continue;
			if (r->map[k] >= 0) {
				csv_field_pos(r, i, &line, &col);
				return csv_fail_at(r, line, col, "duplicate column '%s' in the header",
						   col_names[k]);
			}
			r->map[k] = i;
		}
	}
	for (int k = 0; k < C_COUNT; k++)
		if (r->map[k] < 0)
			return csv_fail_at(r, 1, 1, "missing required column '%s' (not a gfntop schema-v1 trace?)",
					   col_names[k]);
	r->ncols = r->nfields;
	r->in_order = true;
	for (int k = 0; k < C_COUNT; k++)
		r->in_order &= r->map[k] == k;
	r->cells = r->in_order ? r->field : r->sorted;
	return 0;
}

/* an empty line: accepted at the end of a trace (an editor's or a spreadsheet's last newline) */
static bool blank_row(const struct reader *r)
{
	return r->nfields == 1 && r->field[0].len == 0;
}

static int replay_rows(struct reader *r, event_fn fn, void *ctx)
{
	unsigned long blank_line = 0;	/* the first of the empty lines so far, if any */
	struct gfn_event e;
	int rc;

	r->line = 1;
	r->col = 1;
	r->err[0] = '\0';
	r->split = csv_pick_splitter();
	if (read_header(r))
		return -1;
	while ((rc = csv_read_row(r)) > 0) {
		if (r->stop && *r->stop)
			return CSV_INTERRUPTED;
		if (unlikely(blank_row(r))) {
			if (!blank_line)
				blank_line = r->line - 1;
			continue;
		}
		if (unlikely(blank_line))
			return csv_fail_at(r, blank_line, 1, "empty line inside the trace (only trailing ones "
					   "are accepted)");
		if (r->nfields != r->ncols)
			return csv_fail_at(r, r->line - 1, 1, "row has %d fields, the header has %d",
					   r->nfields, r->ncols);
		if (convert_row(r, &e))
			return -1;
		rc = fn(ctx, &e);
		if (rc)
			return rc;
	}
	return rc;
}

int csv_replay_rows(struct reader *r, event_fn fn, void *ctx)
{
	int rc = replay_rows(r, fn, ctx);

	/* a read cut short by the stop flag is no read error */
	return r->stop && *r->stop && rc < 0 ? CSV_INTERRUPTED : rc;
}
