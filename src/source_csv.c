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
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "source_csv.h"
#include "decode.h"
#include "names.h"
#include "sanitize.h"

#define FIELD_MAX 4096
#define ROW_MAX (64 * 1024)
#define MAX_COLS 256
#define READ_CHUNK (1 << 20)
/*
 * The longest line split_plain() takes, its line end aside. Not above
 * FIELD_MAX (and so below ROW_MAX): a plain line cannot break a limit, and
 * the state machine, which gets every longer line, is the one to report them.
 */
#define PLAIN_MAX FIELD_MAX

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define unlikely(x) __builtin_expect(!!(x), 0)

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

/*
 * Names repeat from row to row: a small cache from a cell's bytes to the id
 * the full lookup gave them. Only successes are kept, so a hit gives exactly
 * what the lookup would have.
 */
#define NAME_CACHE_SLOTS 64
#define NAME_CACHE_PROBES 4
#define NAME_CACHE_TEXT (FUNC_NAME_MAX + 1)	/* a func cell may carry a guard quote */

struct name_slot {
	size_t len;		/* 0: empty slot */
	int id;
	char text[NAME_CACHE_TEXT];
};

struct name_cache {
	struct name_slot slot[NAME_CACHE_SLOTS];
};

/* a field of the current row, and a cell: the field of a known column */
struct field {
	const char *s;
	size_t len;
};

struct reader;
typedef int split_fn(struct reader *r, const char *p, const char *lim);

/* the masks of the 64 bytes at base, bit i for base[i] (see split_blocks()) */
struct block {
	const char *base;	/* NULL: none */
	unsigned long long commas, stops;
};

struct reader {
	const char *name;
	/* input: a file descriptor, or memory */
	int fd;
	const char *mem;
	size_t memlen, mempos;
	char *chunk;		/* the bytes at hand: in a READ_CHUNK buffer, or the memory itself */
	size_t pos, len;
	bool eof;
	int read_errno;		/* a read error met early, for refill() to report in turn */
	/* position of the next byte */
	unsigned long line, col;
	/*
	 * The current row's fields: in the input (a plain row) or in row[] (the
	 * state machine's copy). Where a plain row's fields start follows from
	 * the fields; the state machine records it in fline/fcol.
	 */
	int nfields;
	struct field field[MAX_COLS + 64];	/* a vector splitter may run 64 past */
	bool plain;
	split_fn *split;	/* pick_splitter() */
	struct block blk;	/* of the vector splitters; invalid once the bytes at hand move */
	const char *row_start;
	unsigned long row_line, row_col;
	unsigned long fline[MAX_COLS], fcol[MAX_COLS];
	char row[ROW_MAX];
	size_t row_used;
	/* header: the row index of each known column, -1 if absent */
	int map[C_COUNT];
	int ncols;
	/*
	 * The cells, indexed by enum col: the fields themselves when the header
	 * is in schema order (as the writer's is), else a copy in that order.
	 */
	bool in_order;
	struct field *cells;
	struct field sorted[C_COUNT];
	struct name_cache families, ops, funcs, triples, psp_cmds, page_types;
	char *err;
	size_t errlen;
};

static __attribute__((cold)) int fail_at(struct reader *r, unsigned long line, unsigned long col, const char *fmt, ...)
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
static void field_pos(const struct reader *r, int i, unsigned long *line, unsigned long *col)
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

/* ---- bytes ---- */

static int read_error(struct reader *r, int err)
{
	snprintf(r->err, r->errlen, "%s: read error: %s", r->name, strerror(err));
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
	do
		n = read(r->fd, r->chunk + keep, READ_CHUNK - keep);
	while (n < 0 && errno == EINTR);
	r->pos = 0;
	r->len = keep + (n > 0 ? (size_t)n : 0);
	return n;
}

static int refill(struct reader *r)
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
 * filled. True if bytes were added. A read error is kept for refill(): the
 * state machine, which gets the line then, meets it where it always did.
 */
static bool more_input(struct reader *r)
{
	size_t tail = r->len - r->pos;
	ssize_t n;

	if (r->eof || r->read_errno)
		return false;
	if (r->mem) {
		/* memory comes in one piece, on the first refill */
		if (tail)
			return false;
		refill(r);
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

/* ---- a plain row, split in place ---- */

enum { PLAIN_ROW, PLAIN_NOT, PLAIN_SHORT };	/* split; not plain; needs more input first */

/* a comma at `at` ends field f and starts the next one, which it returns */
static inline struct field *plain_comma(struct field *f, const char *at)
{
	f->len = (size_t)(at - f->s);
	f[1].s = at + 1;
	return f + 1;
}

/* the line that started at p ends at `at`, in its field f, with a line end of `term` bytes */
static int plain_end(struct reader *r, struct field *f, const char *p, const char *at, size_t term)
{
	f->len = (size_t)(at - f->s);
	r->nfields = (int)(f - r->field) + 1;
	r->plain = true;
	r->row_start = p;
	r->row_line = r->line;
	r->row_col = r->col;
	r->pos = (size_t)(at + term - r->chunk);
	r->line++;
	r->col = 1;
	return PLAIN_ROW;
}

/* a byte at `at` that is not a comma and that a plain field cannot hold */
static int plain_stop(struct reader *r, struct field *f, const char *p, const char *at)
{
	const char *end = r->chunk + r->len;

	if (*at == '\n')
		return plain_end(r, f, p, at, 1);
	if (*at == '\r') {
		if (at + 1 == end)
			return PLAIN_SHORT;
		if (at[1] == '\n')
			return plain_end(r, f, p, at, 2);
	}
	return PLAIN_NOT;	/* a quote, a NUL or a lone CR: the state machine's business */
}

static const unsigned char plain_special[256] = {
	[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, ['\0'] = 1,
};

/*
 * The portable splitter, from s on in the line that started at p, f the
 * field being read (also the vector ones' tail).
 */
static int split_scalar(struct reader *r, struct field *f, const char *p, const char *s,
			const char *lim)
{
	const struct field *last = &r->field[MAX_COLS - 1];

	for (;; s++) {
		while (s < lim && !plain_special[(unsigned char)*s])
			s++;
		if (s == lim)
			return lim == r->chunk + r->len ? PLAIN_SHORT : PLAIN_NOT;
		if (*s != ',')
			return plain_stop(r, f, p, s);
		if (f == last)
			return PLAIN_NOT;	/* one column too many */
		f = plain_comma(f, s);
	}
}

static int split_portable(struct reader *r, const char *p, const char *lim)
{
	return split_scalar(r, r->field, p, p, lim);
}

#if defined(__SSE2__) && !defined(CSV_SCALAR_ONLY)
#define SPLIT_VECTOR 1
#include <immintrin.h>

/*
 * The vector splitters take 64 bytes a round: a mask of the commas and one
 * of the bytes that end a plain line or make it not plain; the commas before
 * the first such byte end fields. The block a line ends in mostly holds the
 * start of the next one, so its masks are kept (r->blk) and the next line
 * begins with them: every byte is classified once. (Rounds of 16 bytes
 * measured slower, for all their less scanning past the line end.)
 */
typedef void classify_fn(const char *s, unsigned long long *commas, unsigned long long *stops);
typedef struct field *commas_fn(struct field *f, const char *s, unsigned long long c);

/* the commas of mask c, bit i for s[i], end fields from f on; returns the field after them */
static ALWAYS_INLINE struct field *commas_loop(struct field *f, const char *s, unsigned long long c)
{
	for (; c; c &= c - 1)
		f = plain_comma(f, s + (unsigned int)__builtin_ctzll(c));
	return f;
}

/* where a vector scan ended: at a stop byte, at the last round before lim, or with too many fields */
enum scan_end { SCAN_STOP, SCAN_TAIL, SCAN_FULL };

struct scan {
	struct field *f;	/* the field being read */
	const char *at;		/* SCAN_STOP: the stop byte; SCAN_TAIL: where split_scalar() goes on */
};

static ALWAYS_INLINE enum scan_end scan_blocks(struct reader *r, const char *p, const char *lim,
					       classify_fn *classify, commas_fn *commas_to_fields,
					       struct scan *sc)
{
	const struct field *last = &r->field[MAX_COLS - 1];
	struct field *f = r->field;
	const char *s = r->blk.base;
	unsigned long long commas, stops, from;

	if (s && p >= s && p - s < 64) {
		/* bytes from p on of a block classified for the line before */
		commas = r->blk.commas;
		stops = r->blk.stops;
		from = ~0ULL << (p - s);
	} else {
		sc->f = f;
		sc->at = p;
		if (lim - p < 64)
			return SCAN_TAIL;
		s = p;
		classify(s, &commas, &stops);
		from = ~0ULL;
	}
	for (;;) {
		unsigned long long c = commas & from, st = stops & from;
		unsigned int k = st ? (unsigned int)__builtin_ctzll(st) : 64;

		if (k < 64)
			c &= (1ULL << k) - 1;
		f = commas_to_fields(f, s, c);
		/* field[] has room for 64 more past the last: one check a round */
		if (f > last)
			return SCAN_FULL;
		sc->f = f;
		if (st) {
			r->blk = (struct block){ .base = s, .commas = commas, .stops = stops };
			sc->at = s + k;
			return SCAN_STOP;
		}
		s += 64;
		if (lim - s < 64) {
			sc->at = s;
			return SCAN_TAIL;
		}
		classify(s, &commas, &stops);
		from = ~0ULL;
	}
}

/*
 * The rest of the line after a vector scan, outside the vector code: its
 * return clears the upper halves of the vector registers (vzeroupper), which
 * a tail call from it would skip, to the cost of all the SSE code after it.
 */
static int scan_done(struct reader *r, const char *p, const char *lim, enum scan_end end,
		     const struct scan *sc)
{
	if (end == SCAN_STOP)
		return plain_stop(r, sc->f, p, sc->at);
	if (end == SCAN_TAIL)
		return split_scalar(r, sc->f, p, sc->at, lim);
	return PLAIN_NOT;
}

static ALWAYS_INLINE unsigned int stops_sse2(__m128i v)
{
	__m128i st = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
					       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
				  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
					       _mm_cmpeq_epi8(v, _mm_setzero_si128())));

	return (unsigned int)_mm_movemask_epi8(st);
}

static ALWAYS_INLINE void classify_sse2(const char *s, unsigned long long *commas,
					unsigned long long *stops)
{
	*commas = *stops = 0;
	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + 16 * i));
		unsigned int c = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));

		*commas |= (unsigned long long)c << (16 * i);
		*stops |= (unsigned long long)stops_sse2(v) << (16 * i);
	}
}

static int split_sse2(struct reader *r, const char *p, const char *lim)
{
	struct scan sc;

	return scan_done(r, p, lim, scan_blocks(r, p, lim, classify_sse2, commas_loop, &sc), &sc);
}

#define AVX2 __attribute__((target("avx2")))

static AVX2 ALWAYS_INLINE unsigned int stops_avx2(__m256i v)
{
	__m256i st = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')),
						     _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r'))),
				     _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
						     _mm256_cmpeq_epi8(v, _mm256_setzero_si256())));

	return (unsigned int)_mm256_movemask_epi8(st);
}

static AVX2 ALWAYS_INLINE void classify_avx2(const char *s, unsigned long long *commas,
					     unsigned long long *stops)
{
	__m256i lo = _mm256_loadu_si256((const __m256i *)s);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(s + 32));
	__m256i comma = _mm256_set1_epi8(',');
	unsigned int c_lo = (unsigned int)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, comma));
	unsigned int c_hi = (unsigned int)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, comma));

	*commas = c_lo | (unsigned long long)c_hi << 32;
	*stops = stops_avx2(lo) | (unsigned long long)stops_avx2(hi) << 32;
}

static AVX2 __attribute__((noinline)) enum scan_end scan_avx2(struct reader *r, const char *p,
							     const char *lim, struct scan *sc)
{
	return scan_blocks(r, p, lim, classify_avx2, commas_loop, sc);
}

static int split_avx2(struct reader *r, const char *p, const char *lim)
{
	struct scan sc;

	return scan_done(r, p, lim, scan_avx2(r, p, lim, &sc), &sc);
}

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi2")))

/* one load and five compares into mask registers a round */
static AVX512 ALWAYS_INLINE void classify_avx512(const char *s, unsigned long long *commas,
						 unsigned long long *stops)
{
	__m512i v = _mm512_loadu_si512((const void *)s);

	*commas = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
	*stops = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) |
		 _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) |
		 _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')) |
		 _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512());
}

static const unsigned char iota64[64] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
	43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
};

/*
 * commas_loop() without the loop over the commas, which costs a dozen
 * instructions each: their offsets packed into bytes (vpcompressb), then eight
 * fields a round, addresses and lengths computed side by side and stored as
 * eight struct field. Lanes past the last comma store garbage past the last
 * field, which later commas or plain_end() write again (field[] has room).
 */
static AVX512 ALWAYS_INLINE struct field *commas_avx512(struct field *f, const char *s,
							unsigned long long c)
{
	/* field i of a round: { start[i], len[i] }, from the two halves */
	const __m512i first4 = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
	const __m512i last4 = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
	const __m512i one = _mm512_set1_epi64(1), base = _mm512_set1_epi64((long long)s);
	__m512i off = _mm512_maskz_compress_epi8(c, _mm512_loadu_si512((const void *)iota64));
	__m512i start = _mm512_set1_epi64((long long)f->s);	/* lane 7: where the next field starts */
	struct field *end = f + __builtin_popcountll(c);

	if (!c)
		return f;
	for (; f < end; f += 8) {
		__m512i at = _mm512_add_epi64(base, _mm512_cvtepu8_epi64(_mm512_castsi512_si128(off)));
		__m512i next = _mm512_add_epi64(at, one);
		__m512i starts = _mm512_alignr_epi64(next, start, 7);
		__m512i lens = _mm512_sub_epi64(at, starts);

		_mm512_storeu_si512((void *)f, _mm512_permutex2var_epi64(starts, first4, lens));
		_mm512_storeu_si512((void *)(f + 4), _mm512_permutex2var_epi64(starts, last4, lens));
		start = next;
		/* the next eight offsets */
		off = _mm512_alignr_epi64(_mm512_setzero_si512(), off, 1);
	}
	/* the field after the last comma: no round stored its start if the commas were a multiple of 8 */
	end->s = s + (64 - __builtin_clzll(c));
	return end;
}

static AVX512 __attribute__((noinline)) enum scan_end scan_avx512(struct reader *r, const char *p,
								 const char *lim, struct scan *sc)
{
	return scan_blocks(r, p, lim, classify_avx512, commas_avx512, sc);
}

static int split_avx512(struct reader *r, const char *p, const char *lim)
{
	struct scan sc;

	return scan_done(r, p, lim, scan_avx512(r, p, lim, &sc), &sc);
}
#else
#define SPLIT_VECTOR 0
#endif

/* the splitters, slowest first; a build without SSE2 has the portable one only */
enum splitter { SPLIT_PORTABLE, SPLIT_SSE2, SPLIT_AVX2, SPLIT_AVX512, SPLIT_COUNT };

static const struct {
	const char *name;
	split_fn *fn;
} splitters[SPLIT_COUNT] = {
	[SPLIT_PORTABLE] = { "portable", split_portable },
#if SPLIT_VECTOR
	[SPLIT_SSE2] = { "sse2", split_sse2 },
	[SPLIT_AVX2] = { "avx2", split_avx2 },
	[SPLIT_AVX512] = { "avx512vbmi2", split_avx512 },
#endif
};

/*
 * Whether this build and this CPU have splitter k. (__builtin_cpu_supports
 * also checks that the kernel saves the registers' state.)
 */
static bool splitter_usable(enum splitter k)
{
	if ((unsigned int)k >= SPLIT_COUNT || !splitters[k].fn)
		return false;
#if SPLIT_VECTOR
	if (k == SPLIT_AVX2)
		return __builtin_cpu_supports("avx2");
	if (k == SPLIT_AVX512)
		return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2");
#endif
	return true;
}

/*
 * The splitter replays use: the widest one the CPU has, unless set (the
 * unit tests, which build this file into themselves, run each one).
 */
static int split_forced = -1;

static split_fn *pick_splitter(void)
{
	int k = SPLIT_COUNT - 1;

	if (split_forced >= 0)
		return splitters[split_forced].fn;
	while (!splitter_usable((enum splitter)k))
		k--;
	return splitters[k].fn;
}

/*
 * Splits the line at the read position if it is plain: it ends with LF or
 * CRLF within the bytes at hand and PLAIN_MAX bytes, and has no quote, other
 * CR or NUL and at most MAX_COLS fields. Fields then point into the input.
 * On anything but PLAIN_ROW nothing has been consumed.
 */
static int split_plain(struct reader *r)
{
	size_t avail = r->len - r->pos;
	const char *p;

	if (!avail)
		return PLAIN_SHORT;
	p = r->chunk + r->pos;
	r->field[0].s = p;
	return r->split(r, p, p + (avail < PLAIN_MAX ? avail : PLAIN_MAX));
}

/* ---- any row: the state machine ---- */

static int push_byte(struct reader *r, int c, unsigned long fl, unsigned long fc)
{
	int f = r->nfields;

	if (r->field[f].len >= FIELD_MAX)
		return fail_at(r, fl, fc, "field longer than %d bytes", FIELD_MAX);
	if (r->row_used >= ROW_MAX)
		return fail_at(r, fl, fc, "row longer than %d bytes", ROW_MAX);
	r->row[r->row_used++] = (char)c;
	r->field[f].len++;
	return 0;
}

static int start_field(struct reader *r)
{
	if (r->nfields >= MAX_COLS)
		return fail_at(r, r->line, r->col, "more than %d columns", MAX_COLS);
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

/* Reads one row. Returns 1 with a row, 0 at the end of input, -1 on error. */
static int read_row(struct reader *r)
{
	for (;;) {
		int rc = split_plain(r);

		if (rc == PLAIN_ROW)
			return 1;
		if (rc == PLAIN_NOT || !more_input(r))
			return read_row_slow(r);
	}
}
/* ---- values ---- */

/* c: one of r->cells */
static __attribute__((cold, noinline)) int bad(struct reader *r, const struct field *c, const char *what)
{
	int k = (int)(c - r->cells);	/* enum col */
	char shown[48];
	unsigned long line, col;

	sanitize_term(shown, sizeof(shown), c->s, c->len);
	field_pos(r, r->map[k], &line, &col);
	return fail_at(r, line, col, "column '%s': %s '%s%s'",
		       col_names[k], what, shown, c->len >= sizeof(shown) ? "..." : "");
}

/*
 * Numbers. Every row has a dozen, timestamps have 19 digits and addresses
 * 12 hex digits: runs of eight digits are taken as one 64-bit word (SWAR)
 * where bytes are little endian. So are the up to seven digits left over, or
 * of a short number (most are), padded with leading zeros, when the eight
 * bytes from their start are at hand: the parsers read up to `end` (the
 * reader's bytes or its row copy), and bytes past the cell never change what
 * they give.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#else
#define SWAR 0
#endif

static ALWAYS_INLINE unsigned long long load8(const char *s)
{
	unsigned long long w;

	memcpy(&w, s, 8);
	return w;
}

/* eight ASCII digits, first digit lowest, as a number; false if a byte is not a digit */
static ALWAYS_INLINE bool eight_digits(unsigned long long w, unsigned long long *out)
{
	const unsigned long long hi = 0xf0f0f0f0f0f0f0f0ULL, zeros = 0x3030303030303030ULL;

	/* each byte 0x30..0x39: high nibble 3, and adding 6 leaves it 3 */
	if ((w & hi) != zeros || ((w + 0x0606060606060606ULL) & hi) != zeros)
		return false;
	w -= zeros;
	w = w * 10 + (w >> 8);		/* pairs of digits, in every other byte */
	w = (((w & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
	     (((w >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >> 32;
	*out = w;
	return true;
}

/*
 * The n (1..7) digits at s as eight with leading zeros (ASCII '0', first
 * digit lowest): the bytes past them, which the load reads, are shifted out.
 */
static ALWAYS_INLINE unsigned long long padded(const char *s, size_t n)
{
	return load8(s) << (8 * (8 - n)) | 0x3030303030303030ULL >> (8 * n);
}

static const unsigned long long tens[8] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };

/* eight ASCII hex digits, first digit lowest, as a number; false if a byte is not one */
static ALWAYS_INLINE bool eight_hex(unsigned long long w, unsigned long long *out)
{
	const unsigned long long ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
	unsigned long long lw, digit, alpha, nib;

	if (w & top)
		return false;
	/*
	 * With every byte below 0x80, bit 7 of a byte of x + (0x80 - lo) is set
	 * when it is >= lo, of x + (0x7f - hi) when it is > hi; no byte carries.
	 */
	lw = w | 0x2020202020202020ULL;		/* letters in lower case */
	digit = (w + ones * (0x80 - '0')) & ~(w + ones * (0x7f - '9'));
	alpha = (lw + ones * (0x80 - 'a')) & ~(lw + ones * (0x7f - 'f'));
	if (((digit | alpha) & top) != top)
		return false;
	/* each byte its digit's value: a letter has bit 6 set and 1..6 below */
	nib = (w & 0x0f0f0f0f0f0f0f0fULL) + 9 * ((w >> 6) & ones);
	/* the first digit is the low byte: gather nibbles, then bytes, then halves */
	nib = ((nib & 0x000f000f000f000fULL) << 4) | ((nib >> 8) & 0x000f000f000f000fULL);
	nib = ((nib & 0x000000ff000000ffULL) << 8) | ((nib >> 16) & 0x000000ff000000ffULL);
	*out = ((nib & 0xffff) << 16) | ((nib >> 32) & 0xffff);
	return true;
}

/* the original digit-by-digit form, exact at the edge of 2^64 */
static int parse_u64_checked(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* a decimal of up to 20 digits, at most max; bytes up to end may be read */
static ALWAYS_INLINE int parse_u64(const char *s, size_t len, const char *end, unsigned long long max,
				   unsigned long long *out)
{
	unsigned long long v = 0, d8;
	size_t i = 0;

	if (!len || len > 20)
		return -1;
	if (len == 20)
		return parse_u64_checked(s, len, max, out);
	/* at most 19 digits, below 10^19: no overflow on the way, one comparison at the end */
	for (; SWAR && len - i >= 8; i += 8) {
		if (!eight_digits(load8(s + i), &d8))
			return -1;
		v = v * 100000000 + d8;
	}
	if (SWAR && i < len && end - (s + i) >= 8) {
		if (!eight_digits(padded(s + i, len - i), &d8))
			return -1;
		v = v * tens[len - i] + d8;
		i = len;
	}
	for (; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static ALWAYS_INLINE int parse_s64(const char *s, size_t len, const char *end, long long *out)
{
	unsigned long long v;

	if (len && s[0] == '-') {
		if (parse_u64(s + 1, len - 1, end, 9223372036854775808ULL, &v))
			return -1;
		*out = (long long)(0ULL - v);
		return 0;
	}
	if (parse_u64(s, len, end, 9223372036854775807ULL, &v))
		return -1;
	*out = (long long)v;
	return 0;
}

/* a hex digit's value plus one; 0 for any other byte */
static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* up to 16 hex digits, after "0x" or "0X" if prefix; bytes up to end may be read */
static ALWAYS_INLINE int parse_hex(const char *s, size_t len, const char *end, bool prefix,
				   unsigned long long *out)
{
	unsigned long long v = 0, lo;

	if (prefix) {
		if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
			return -1;
		s += 2, len -= 2;
	}
	if (!len || len > 16)
		return -1;
	if (SWAR && len >= 8) {
		/* the first eight digits, then the last eight, which overlap them */
		unsigned int rest = 4 * (unsigned int)(len - 8);

		if (!eight_hex(load8(s), &v) || !eight_hex(load8(s + len - 8), &lo))
			return -1;
		if (rest)
			v = (v << rest) | (lo & ((1ULL << rest) - 1));
		*out = v;
		return 0;
	}
	if (SWAR && end - s >= 8) {
		if (!eight_hex(padded(s, len), &v))
			return -1;
		*out = v;
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned int d = hex_digit[(unsigned char)s[i]];

		if (!d)
			return -1;
		v = (v << 4) | (d - 1);
	}
	*out = v;
	return 0;
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

/* the slot a name's search starts at: from its length and its first and last word (or bytes) */
static unsigned int name_hash(const char *s, size_t len)
{
	unsigned long long h = len;

	if (len >= 8)
		h ^= load8(s) * 0x9e3779b97f4a7c15ULL ^ load8(s + len - 8);
	else
		h ^= (unsigned long long)(unsigned char)s[0] << 8 ^
		     (unsigned long long)(unsigned char)s[len / 2] << 16 ^
		     (unsigned long long)(unsigned char)s[len - 1] << 24;
	return (unsigned int)((h * 0x9e3779b97f4a7c15ULL) >> 32) % NAME_CACHE_SLOTS;
}

/* a == b over n bytes: a few word compares, cheaper than a call for a name */
static ALWAYS_INLINE bool same_name(const char *a, const char *b, size_t n)
{
	unsigned int x, y, x2, y2;

	if (n >= 8) {
		/* whole words, the last one overlapping the one before */
		for (size_t i = 0; i + 8 < n; i += 8)
			if (load8(a + i) != load8(b + i))
				return false;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4) {
		memcpy(&x, a, 4), memcpy(&y, b, 4);
		memcpy(&x2, a + n - 4, 4), memcpy(&y2, b + n - 4, 4);
		return x == y && x2 == y2;
	}
	/* 1 to 3 bytes: these three cover them all */
	return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/*
 * The id cached for these bytes, or -1. A name is in one of the
 * NAME_CACHE_PROBES slots from its hash on, and no slot is emptied once
 * used: the search ends at an empty one.
 */
static int cache_get(const struct name_cache *nc, const char *s, size_t len)
{
	unsigned int h;

	if (!len || len > NAME_CACHE_TEXT)
		return -1;
	h = name_hash(s, len);
	for (unsigned int i = 0; i < NAME_CACHE_PROBES; i++) {
		const struct name_slot *slot = &nc->slot[(h + i) % NAME_CACHE_SLOTS];

		if (!slot->len)
			break;
		if (slot->len == len && same_name(slot->text, s, len))
			return slot->id;
	}
	return -1;
}

/* into the first empty slot of the name's, else in place of the first one */
static void cache_put(struct name_cache *nc, const char *s, size_t len, int id)
{
	struct name_slot *slot;
	unsigned int h;

	if (!len || len > NAME_CACHE_TEXT)
		return;
	h = name_hash(s, len);
	slot = &nc->slot[h];
	for (unsigned int i = 0; i < NAME_CACHE_PROBES; i++)
		if (!nc->slot[(h + i) % NAME_CACHE_SLOTS].len) {
			slot = &nc->slot[(h + i) % NAME_CACHE_SLOTS];
			break;
		}
	memcpy(slot->text, s, len);
	slot->len = len;
	slot->id = id;
}

/* enum gfn_family of a cell, or -1 */
static int family_id(struct reader *r, const struct field *c)
{
	int id = cache_get(&r->families, c->s, c->len);

	if (id < 0 && (id = family_from_name(c->s, c->len)) >= 0)
		cache_put(&r->families, c->s, c->len, id);
	return id;
}

/* enum gfn_op of a cell, or -1 */
static int op_id(struct reader *r, const struct field *c)
{
	int id = cache_get(&r->ops, c->s, c->len);

	if (id < 0 && (id = op_from_name(c->s, c->len)) >= 0)
		cache_put(&r->ops, c->s, c->len, id);
	return id;
}

/* the function-name id of the func cell, or -1 with the message in r->err */
static int func_id(struct reader *r, struct field *c)
{
	const char *raw = c->s;
	size_t rawlen = c->len;
	char text[FUNC_NAME_MAX + 1];
	int id = cache_get(&r->funcs, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	id = func_intern(text, c->len);	/* a cell holds no NUL: c->len is strlen(text) */
	if (id < 0)
		return bad(r, c, "too many distinct function names at");
	cache_put(&r->funcs, raw, rawlen, id);
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
	int id = cache_get(&r->psp_cmds, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	if (decode_psp_cmd_from_name(text, &cmd) || cmd > 0xffffffffUL)
		return bad(r, c, "unknown PSP command");
	if (cmd <= 0x7fffffffUL)	/* what an id holds; a larger raw 0x value is looked up each time */
		cache_put(&r->psp_cmds, raw, rawlen, (int)cmd);
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
	int id = cache_get(&r->page_types, raw, rawlen);

	if (id >= 0)
		return id;
	if (text_field(r, c, text, sizeof(text)))
		return -1;
	if (decode_page_type_from_name(text, &t)) {
		if (parse_u64(c->s, c->len, cells_end(r), 255, &u))
			return bad(r, c, "unknown page type");
		t = (unsigned long)u;
	}
	cache_put(&r->page_types, raw, rawlen, (int)t);
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
		int id = cache_get(&r->triples, from, (size_t)(to - from));

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
		cache_put(&r->triples, from, (size_t)(to - from), family | op << 8 | func << 16);
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
		if (parse_hex(cell[C_VM_ID].s, cell[C_VM_ID].len, end, false, &u))
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
		const char *name = r->field[i].s;
		size_t len = r->field[i].len;

		for (int k = 0; k < C_COUNT; k++) {
			unsigned long line, col;

			if (strlen(col_names[k]) != len || memcmp(col_names[k], name, len))
				continue;
			if (r->map[k] >= 0) {
				field_pos(r, i, &line, &col);
				return fail_at(r, line, col, "duplicate column '%s' in the header",
					       col_names[k]);
			}
			r->map[k] = i;
		}
	}
	for (int k = 0; k < C_COUNT; k++)
		if (r->map[k] < 0)
			return fail_at(r, 1, 1, "missing required column '%s' (not a gfntop schema-v1 trace?)",
				       col_names[k]);
	r->ncols = r->nfields;
	r->in_order = true;
	for (int k = 0; k < C_COUNT; k++)
		r->in_order &= r->map[k] == k;
	r->cells = r->in_order ? r->field : r->sorted;
	return 0;
}

static int replay(struct reader *r, event_fn fn, void *ctx)
{
	struct gfn_event e;
	int rc;

	r->line = 1;
	r->col = 1;
	r->err[0] = '\0';
	r->split = pick_splitter();
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

static int replay_mapped(const char *path, int fd, size_t size, event_fn fn, void *ctx, char *err,
			 size_t errlen)
{
	struct sigaction sa = { .sa_handler = on_mapped_fault }, old;
	struct reader *r;
	void *map;
	int rc;

	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 1;	/* e.g. a file system without mmap: read it instead */
	r = calloc(1, sizeof(*r));
	if (!r) {
		munmap(map, size);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	madvise(map, size, MADV_SEQUENTIAL);	/* read-ahead on a cold file */
	r->name = path;
	r->mem = map;
	r->memlen = size;
	r->fd = -1;
	r->err = err;
	r->errlen = errlen;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(mapped_fault, 1) == 0) {
		mapped_active = 1;
		rc = replay(r, fn, ctx);
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

int csv_replay_fd(const char *name, int fd, event_fn fn, void *ctx, char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || !(r->chunk = malloc(READ_CHUNK))) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->name = name;
	r->err = err;
	r->errlen = errlen;
	r->fd = fd;
	rc = replay(r, fn, ctx);
	free(r->chunk);
	free(r);
	return rc;
}

int csv_replay_file(const char *path, event_fn fn, void *ctx, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc = 1;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= SIZE_MAX)
		rc = replay_mapped(path, fd, (size_t)st.st_size, fn, ctx, err, errlen);
	/* a pipe, a terminal, an empty file, or no mapping: read(2) in chunks */
	if (rc == 1)
		rc = csv_replay_fd(path, fd, fn, ctx, err, errlen);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}
