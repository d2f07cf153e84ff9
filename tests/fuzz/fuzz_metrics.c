// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what a metrics client or a VMM controls. The Accept
 * header's parser (expo_negotiate) gets the input as a header value; the
 * label-value and JSON-string escapes get it as a VMM's command, and their
 * output must be valid UTF-8 with nothing unescaped that would end a label
 * value, a line or a JSON string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "outputs/exposition.h"
#include "outputs/textbuf.h"
#include "base/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct textbuf tb;
	char *s = malloc(size + 1);
	enum expo_format f;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	f = expo_negotiate(s);
	if (f != EXPO_PROMETHEUS && f != EXPO_OPENMETRICS)
		abort();

	tb_reset(&tb);
	tb_label_value(&tb, s, size);
	if (tb.failed || (tb.len && (!utf8_valid(tb.p, tb.len) || memchr(tb.p, '\n', tb.len))))
		abort();
	for (size_t i = 0; i < tb.len; i++) {
		if (tb.p[i] == '\\') {
			if (++i == tb.len || !strchr("\\\"n", tb.p[i]))
				abort();	/* only \\, \" and \n */
		} else if (tb.p[i] == '"' || (unsigned char)tb.p[i] < 0x20) {
			abort();
		}
	}

	tb_reset(&tb);
	tb_json_string(&tb, s, size);
	if (tb.failed || !utf8_valid(tb.p, tb.len) || tb.len < 2 || tb.p[0] != '"' || tb.p[tb.len - 1] != '"')
		abort();
	for (size_t i = 1; i + 1 < tb.len; i++) {
		if (tb.p[i] == '\\')
			i++;	/* an escape: the next byte is its letter */
		else if (tb.p[i] == '"' || (unsigned char)tb.p[i] < 0x20)
			abort();
	}
	free(s);
	return 0;
}
