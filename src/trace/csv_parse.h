/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's number parsers, decimal and hex, and load8(), which
 * they, the comm copy and the name hash share. In a header and inline, the
 * hot ones ALWAYS_INLINE: the conversion (csv_convert.c) parses a dozen
 * numbers a row, each where it is used.
 */
#ifndef GFNTOP_CSV_PARSE_H
#define GFNTOP_CSV_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "trace/csv_reader.h"	/* ALWAYS_INLINE */

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
static inline int parse_u64_checked(const char *s, size_t len, unsigned long long max, unsigned long long *out)
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

#endif
