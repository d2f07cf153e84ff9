/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder's log: one line per message on stderr, which systemd hands to
 * the journal. When stderr is the journal ($JOURNAL_STREAM names it), each
 * line starts with its syslog priority ("<3>"), so `journalctl -p err` finds
 * incidents and failures. Lines are sanitized: they may quote a trace.
 */
#ifndef GFNTOP_RECORD_LOG_H
#define GFNTOP_RECORD_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level { LOGL_ERR = 3, LOGL_WARN = 4, LOGL_NOTICE = 5, LOGL_INFO = 6 };

/* Decides once whether stderr is the journal. */
void log_init(void);
void log_line(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A message that a client or the kernel can make happen at any rate: at
 * most one line per `class` and second; the next line says how many were
 * not written.
 */
struct log_limit {
	uint64_t window_s;	/* the second of the last line */
	unsigned long suppressed;
};
void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Says how many lines were held back since the last one (at the end of a run). */
void log_limited_flush(struct log_limit *l, enum log_level level);

#endif
