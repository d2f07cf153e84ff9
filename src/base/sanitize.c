// SPDX-License-Identifier: GPL-2.0
/* UTF-8 validation and terminal-safe copies. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "base/sanitize.h"

size_t utf8_seq_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;
	unsigned int cp;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t w;

		/* ASCII, eight bytes at a time: no byte with the top bit set */
		while (n - i >= 8 && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
			i += 8;
		if (i < n) {
			size_t seq = utf8_seq_len(s + i, n - i);

			if (!seq)
				return false;
			i += seq;
		}
	}
	return true;
}

/* the code point of a valid sequence of seq bytes at s */
static unsigned int code_point(const unsigned char *s, size_t seq)
{
	static const unsigned char lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned int cp = s[0] & lead_mask[seq];

	for (size_t i = 1; i < seq; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/*
 * Characters that are not shown but act: the C1 controls, and the format
 * characters (Unicode general category Cf) that reorder or hide text —
 * bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 * the marks U+200E/U+200F/U+061C, zero-width and invisible operators, the
 * byte-order mark, interlinear annotation, tags — plus the line and
 * paragraph separators. A comm that holds one can make a row read as
 * something it is not.
 */
static const struct { unsigned int lo, hi; } unsafe_ranges[] = {
	{ 0x0080, 0x009f },	/* C1 controls */
	{ 0x00ad, 0x00ad },	/* soft hyphen */
	{ 0x0600, 0x0605 },	/* Arabic number signs */
	{ 0x061c, 0x061c },	/* Arabic letter mark */
	{ 0x06dd, 0x06dd },
	{ 0x070f, 0x070f },
	{ 0x0890, 0x0891 },
	{ 0x08e2, 0x08e2 },
	{ 0x180e, 0x180e },	/* Mongolian vowel separator */
	{ 0x200b, 0x200f },	/* zero width space, non-joiner, joiner; LRM, RLM */
	{ 0x2028, 0x202e },	/* line/paragraph separators; LRE RLE PDF LRO RLO */
	{ 0x2060, 0x2064 },	/* word joiner, invisible operators */
	{ 0x2066, 0x206f },	/* LRI RLI FSI PDI; deprecated format characters */
	{ 0xfeff, 0xfeff },	/* zero width no-break space (BOM) */
	{ 0xfff9, 0xfffb },	/* interlinear annotation */
	{ 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd },
	{ 0x13430, 0x1343f },	/* Egyptian hieroglyph format controls */
	{ 0x1bca0, 0x1bca3 },	/* shorthand format controls */
	{ 0x1d173, 0x1d17a },	/* musical symbol format controls */
	{ 0xe0001, 0xe0001 },	/* language tag */
	{ 0xe0020, 0xe007f },	/* tags */
};

bool term_unsafe_char(const char *s, size_t seq)
{
	unsigned int cp;

	if (seq == 1)
		return (unsigned char)s[0] < 0x20 || s[0] == 0x7f;
	cp = code_point((const unsigned char *)s, seq);
	for (size_t i = 0; i < sizeof(unsafe_ranges) / sizeof(unsafe_ranges[0]); i++)
		if (cp >= unsafe_ranges[i].lo && cp <= unsafe_ranges[i].hi)
			return true;
	return false;
}

char *sanitize_term(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t o = 0, i = 0;

	if (!dstlen)
		return dst;
	srclen = strnlen(src, srclen);
	while (i < srclen && o + 1 < dstlen) {
		size_t seq = utf8_seq_len(src + i, srclen - i);

		if (!seq || term_unsafe_char(src + i, seq)) {
			dst[o++] = '?';
			i += seq ? seq : 1;
			continue;
		}
		if (o + seq >= dstlen)
			break;
		memcpy(dst + o, src + i, seq);
		o += seq;
		i += seq;
	}
	dst[o] = '\0';
	return dst;
}

void term_message(FILE *f, const char *msg)
{
	char safe[8192];

	fprintf(f, "gfntop: %s\n", sanitize_term(safe, sizeof(safe), msg, sizeof(safe) - 1));
}
