// SPDX-License-Identifier: GPL-2.0
/*
 * The plain-row splitters (csv_split.h): the portable one, and SSE2, AVX2
 * and AVX-512 ones, picked at run time by what the CPU has. A file of their
 * own because they are the bulk of the reader's code and decide nothing: a
 * row is split exactly as the state machine would split it, or left to it.
 * The reader calls them through a pointer, so being apart costs no call.
 */
#include <stdbool.h>
#include "trace/csv_split.h"

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

split_fn *csv_pick_splitter(void)
{
	int k = SPLIT_COUNT - 1;

	if (split_forced >= 0)
		return splitters[split_forced].fn;
	while (!splitter_usable((enum splitter)k))
		k--;
	return splitters[k].fn;
}
