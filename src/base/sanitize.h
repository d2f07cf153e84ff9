/* SPDX-License-Identifier: GPL-2.0 */
/* Text from the kernel or a trace is untrusted: make it safe for a CSV cell or a terminal. */
#ifndef GFNTOP_SANITIZE_H
#define GFNTOP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if the bytes there are not valid UTF-8. */
size_t utf8_seq_len(const char *s, size_t n);

/* True if all n bytes at s are valid UTF-8 (utf8_seq_len() over and over, quicker on ASCII). */
bool utf8_valid(const char *s, size_t n);

/*
 * Copies at most srclen bytes of src into dst (always NUL-terminated),
 * replacing C0/C1 control characters, DEL and invalid UTF-8 with '?', so no
 * escape sequence can reach a terminal. Returns dst.
 */
char *sanitize_term(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif
