/* SPDX-License-Identifier: GPL-2.0 */
/* Text from the kernel or a trace is untrusted: make it safe for a CSV cell or a terminal. */
#ifndef GFNTOP_SANITIZE_H
#define GFNTOP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if the bytes there are not valid UTF-8. */
size_t utf8_seq_len(const char *s, size_t n);

/* True if all n bytes at s are valid UTF-8 (utf8_seq_len() over and over, quicker on ASCII). */
bool utf8_valid(const char *s, size_t n);

/*
 * True if the valid UTF-8 sequence of seq bytes at s must not reach a
 * terminal as it is: C0 and C1 controls, DEL, and the invisible characters
 * that reorder or hide text (bidi overrides and isolates, zero-width and
 * other format characters, line and paragraph separators).
 */
bool term_unsafe_char(const char *s, size_t seq);

/*
 * Copies at most srclen bytes of src into dst (always NUL-terminated),
 * replacing what term_unsafe_char() names and invalid UTF-8 with '?', so no
 * escape sequence or reordering can reach a terminal. Returns dst.
 */
char *sanitize_term(char *dst, size_t dstlen, const char *src, size_t srclen);

/* "gfntop: MSG" and a newline on f, MSG sanitized (it names files, quotes cells). */
void term_message(FILE *f, const char *msg);

#endif
