// SPDX-License-Identifier: GPL-2.0
/* UTF-8 validation and terminal-safe copies. */
#include <stdbool.h>
#include <stdint.h>
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

char *sanitize_term(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t o = 0, i = 0;

	if (!dstlen)
		return dst;
	srclen = strnlen(src, srclen);
	while (i < srclen && o + 1 < dstlen) {
		unsigned char c = (unsigned char)src[i];
		size_t seq = utf8_seq_len(src + i, srclen - i);
		/* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
		bool c1 = seq == 2 && c == 0xc2 && (unsigned char)src[i + 1] < 0xa0;

		if (c < 0x20 || c == 0x7f || !seq || c1) {
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
