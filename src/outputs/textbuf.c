// SPDX-License-Identifier: GPL-2.0
/* Growable text buffer and the escapes of JSON and of the metrics text formats. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outputs/textbuf.h"
#include "base/sanitize.h"

static bool grow(struct textbuf *tb, size_t more)
{
	size_t want = tb->len + more + 1, cap = tb->cap ? tb->cap : 4096;
	char *p;

	if (tb->failed)
		return false;
	if (want <= tb->cap)
		return true;
	while (cap < want) {
		if (cap > SIZE_MAX / 2) {
			tb->failed = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(tb->p, cap);
	if (!p) {
		tb->failed = true;
		return false;
	}
	tb->p = p;
	tb->cap = cap;
	return true;
}

void tb_reset(struct textbuf *tb)
{
	tb->len = 0;
	tb->failed = false;
	if (tb->p)
		tb->p[0] = '\0';
}

void tb_free(struct textbuf *tb)
{
	free(tb->p);
	*tb = (struct textbuf){ 0 };
}

void tb_put(struct textbuf *tb, const char *s, size_t n)
{
	if (!grow(tb, n))
		return;
	memcpy(tb->p + tb->len, s, n);
	tb->len += n;
	tb->p[tb->len] = '\0';
}

void tb_puts(struct textbuf *tb, const char *s)
{
	tb_put(tb, s, strlen(s));
}

void tb_putc(struct textbuf *tb, char c)
{
	tb_put(tb, &c, 1);
}

void tb_u64(struct textbuf *tb, uint64_t v)
{
	char buf[24];
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tb_put(tb, buf + i, sizeof(buf) - i);
}

void tb_i64(struct textbuf *tb, int64_t v)
{
	if (v < 0) {
		tb_putc(tb, '-');
		tb_u64(tb, (uint64_t)0 - (uint64_t)v);
	} else {
		tb_u64(tb, (uint64_t)v);
	}
}

void tb_printf(struct textbuf *tb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(tb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(tb->p + tb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tb->len += (size_t)n;
}

size_t fmt_seconds(char buf[FMT_SECONDS_LEN], uint64_t ns)
{
	char frac[9];
	int digits = 9;
	uint64_t f = ns % 1000000000u;
	int n = snprintf(buf, FMT_SECONDS_LEN, "%llu", (unsigned long long)(ns / 1000000000u));

	if (!f)
		return (size_t)n;
	for (int i = 8; i >= 0; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	while (frac[digits - 1] == '0')
		digits--;
	buf[n++] = '.';
	memcpy(buf + n, frac, (size_t)digits);
	n += digits;
	buf[n] = '\0';
	return (size_t)n;
}

void tb_seconds(struct textbuf *tb, uint64_t ns)
{
	char buf[FMT_SECONDS_LEN];

	tb_put(tb, buf, fmt_seconds(buf, ns));
}

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

void tb_json_string(struct textbuf *tb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	n = strnlen(s, n);
	tb_putc(tb, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t seq = utf8_seq_len(s + i, n - i);

		if (!seq) {
			tb_puts(tb, REPLACEMENT);
			i++;
		} else if (c == '"' || c == '\\') {
			tb_putc(tb, '\\');
			tb_putc(tb, (char)c);
			i++;
		} else if (c < 0x20) {
			const char *esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" :
					  c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;

			if (esc) {
				tb_puts(tb, esc);
			} else {
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

				tb_put(tb, u, sizeof(u));
			}
			i++;
		} else {
			size_t run = i + seq;

			/* copy a run of plain characters at once */
			while (run < n) {
				unsigned char d = (unsigned char)s[run];
				size_t l;

				if (d == '"' || d == '\\' || d < 0x20)
					break;
				l = utf8_seq_len(s + run, n - run);
				if (!l)
					break;
				run += l;
			}
			tb_put(tb, s + i, run - i);
			i = run;
		}
	}
	tb_putc(tb, '"');
}

void tb_label_value(struct textbuf *tb, const char *s, size_t n)
{
	n = strnlen(s, n);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t seq = utf8_seq_len(s + i, n - i);

		if (c == '\\' || c == '"') {
			tb_putc(tb, '\\');
			tb_putc(tb, (char)c);
			i++;
		} else if (c == '\n') {
			tb_puts(tb, "\\n");
			i++;
		} else if (!seq || c < 0x20 || c == 0x7f) {
			tb_puts(tb, REPLACEMENT);
			i++;
		} else {
			tb_put(tb, s + i, seq);
			i += seq;
		}
	}
}
