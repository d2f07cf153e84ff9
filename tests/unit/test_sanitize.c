// SPDX-License-Identifier: GPL-2.0
/*
 * Terminal safety (base/sanitize.c): what reaches a terminal has no control
 * character and none of the invisible ones that reorder or hide text; the
 * rest of UTF-8 is kept as it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "base/sanitize.h"

/* the UTF-8 of code point cp into buf; its length */
static size_t utf8(char *buf, unsigned int cp)
{
	if (cp < 0x80)
		return buf[0] = (char)cp, 1;
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | cp >> 6), buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | cp >> 12), buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | cp >> 18), buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	buf[2] = (char)(0x80 | (cp >> 6 & 0x3f)), buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool unsafe(unsigned int cp)
{
	char b[4];

	return term_unsafe_char(b, utf8(b, cp));
}

static void controls_and_format_characters_are_unsafe(void **state)
{
	static const unsigned int bad[] = {
		0x00, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0xad, 0x61c, 0x200b, 0x200e, 0x200f, 0x2028,
		0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069,
		0x206f, 0xfeff, 0xfff9, 0xfffb, 0xe0001, 0xe0041, 0xe007f,
	};
	static const unsigned int good[] = {
		' ', 'a', '~', 0xa0, 0xe9, 0x3b1, 0x5d0 /* Hebrew alef: right-to-left text itself is fine */,
		0x627, 0x2010, 0x2027, 0x202f, 0x2030, 0x206a - 0x10, 0x4e2d, 0xfffd, 0x1f600, 0xe0080,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(unsafe(bad[i]));
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_false(unsafe(good[i]));
}

static void sanitize_replaces_each_with_one_question_mark(void **state)
{
	char out[64];

	(void)state;
	/* RLO "exe.doc": shown as "?exe.doc", never reversed */
	assert_string_equal(sanitize_term(out, sizeof(out), "a\xe2\x80\xae" "cod.exe", 64), "a?cod.exe");
	assert_string_equal(sanitize_term(out, sizeof(out), "\x1b[2J\xc2\x9b" "1m", 64), "?[2J?1m");
	assert_string_equal(sanitize_term(out, sizeof(out), "x\xf3\xa0\x81\x81y\xef\xbb\xbf", 64), "x?y?");
	assert_string_equal(sanitize_term(out, sizeof(out), "\xc3\xa9t\xc3\xa9 \xd7\x90", 64),
			    "\xc3\xa9t\xc3\xa9 \xd7\x90");
	assert_string_equal(sanitize_term(out, sizeof(out), "bad \xff\xfe", 64), "bad ??");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_and_format_characters_are_unsafe),
		cmocka_unit_test(sanitize_replaces_each_with_one_question_mark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
