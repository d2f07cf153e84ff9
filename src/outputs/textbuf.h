/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable text buffer for the machine-readable outputs (the metrics
 * exposition, JSON), with the escapes their formats need. The memory is kept
 * between uses (tb_reset), so rendering once per interval or per scrape does
 * not allocate once the buffer has grown. An allocation failure is sticky:
 * tb->failed, and later appends do nothing.
 */
#ifndef GFNTOP_OUTPUTS_TEXTBUF_H
#define GFNTOP_OUTPUTS_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

void tb_reset(struct textbuf *tb);		/* empty, memory kept */
void tb_free(struct textbuf *tb);
void tb_put(struct textbuf *tb, const char *s, size_t n);
void tb_puts(struct textbuf *tb, const char *s);
void tb_putc(struct textbuf *tb, char c);
void tb_u64(struct textbuf *tb, uint64_t v);
void tb_i64(struct textbuf *tb, int64_t v);
void tb_printf(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ns as seconds, exactly: 1500 -> "0.0000015", 2000000000 -> "2" */
void tb_seconds(struct textbuf *tb, uint64_t ns);
#define FMT_SECONDS_LEN 32
/* the same into buf (NUL-terminated); returns its length */
size_t fmt_seconds(char buf[FMT_SECONDS_LEN], uint64_t ns);

/*
 * A JSON string, quotes included (RFC 8259): '"' and '\' escaped, control
 * characters as \u00XX (\n, \t ... by their short forms), invalid UTF-8 as
 * U+FFFD, so the output is always valid UTF-8 JSON. Reads at most n bytes
 * and stops at a NUL.
 */
void tb_json_string(struct textbuf *tb, const char *s, size_t n);
/*
 * A label value of the Prometheus and OpenMetrics text formats, without its
 * quotes: '\', '"' and newline escaped as \\, \", \n (the only escapes those
 * formats have); other control characters and invalid UTF-8 as U+FFFD, so
 * every line is one valid UTF-8 line. At most n bytes, up to a NUL.
 */
void tb_label_value(struct textbuf *tb, const char *s, size_t n);

#endif
