// SPDX-License-Identifier: GPL-2.0
/* The recorder's log lines: stderr, with syslog priorities when it is the journal. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "record/log.h"
#include "base/sanitize.h"

static bool to_journal;

void log_init(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	/* systemd sets JOURNAL_STREAM=DEV:INODE of the stream it connected to stderr */
	to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
		     st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

static void vlog(enum log_level level, const char *fmt, va_list ap)
{
	char raw[1024], safe[1024];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	sanitize_term(safe, sizeof(safe), raw, sizeof(raw));
	if (to_journal)
		fprintf(stderr, "<%d>gfntop: %s\n", (int)level, safe);
	else
		fprintf(stderr, "gfntop: %s\n", safe);
	fflush(stderr);
}

void log_line(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((uint64_t)now.tv_sec == l->window_s && l->window_s) {
		l->suppressed++;
		return;
	}
	l->window_s = (uint64_t)now.tv_sec;
	if (l->suppressed) {
		log_line(level, "(%lu more like the next line in the last seconds were not logged)",
			 l->suppressed);
		l->suppressed = 0;
	}
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void log_limited_flush(struct log_limit *l, enum log_level level)
{
	if (l->suppressed)
		log_line(level, "(%lu more lines like the last were not logged)", l->suppressed);
	l->suppressed = 0;
}
