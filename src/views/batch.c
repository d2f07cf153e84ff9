// SPDX-License-Identifier: GPL-2.0
/* Batch text output (like top -b): the same views as the TUI, printed. */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include "views/batch.h"
#include "model/launch.h"
#include "base/sanitize.h"
#include "views/tables.h"

static void print_line(void *ctx, const char *line)
{
	fputs(line, ctx);
	fputc('\n', ctx);
}

static void print_tables(FILE *out, const struct agg *a, const struct launch_table *l, enum agg_period p)
{
	view_vm_table(a, p, 0, print_line, out);
	fputc('\n', out);
	if (l && l->n) {
		view_launch_table(l, print_line, out);
		fputc('\n', out);
	}
	view_slot_table(a, p, 0, print_line, out);
	fputc('\n', out);
}

/* 0, or the errno of the write that failed (the stream keeps its error flag) */
static int flushed(FILE *out)
{
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	return errno ? errno : EIO;
}

int batch_interval(FILE *out, const struct agg *a, const struct launch_table *l, unsigned long n, double secs)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", localtime_r(&now, &tm));
	fprintf(out, "gfntop interval %lu at %s (%.2fs): %" PRIu64 " events, %" PRIu64 " lost\n",
		n, when, secs, a->events[AGG_INTERVAL], a->lost[AGG_INTERVAL]);
	print_tables(out, a, l, AGG_INTERVAL);
	return flushed(out);
}

int batch_summary(FILE *out, const struct agg *a, const struct launch_table *l, const char *title,
		   const char *probes)
{
	char safe[512];
	double span = a->last_ts > a->first_ts ? (double)(a->last_ts - a->first_ts) / 1e9 : 0;

	sanitize_term(safe, sizeof(safe), title, 400);
	fprintf(out, "gfntop %s: %" PRIu64 " events, %" PRIu64 " lost, %.3fs from first to last event",
		safe, a->events[AGG_TOTAL], a->lost[AGG_TOTAL], span);
	if (probes && *probes)
		fprintf(out, "; probes %s", probes);
	fputc('\n', out);
	if (a->overflow[AGG_TOTAL])
		fprintf(out, "note: %" PRIu64 " events counted only in the totals (more than %d VMs or %d "
			"VM x slot x op rows)\n", a->overflow[AGG_TOTAL], AGG_MAX_VMS, AGG_MAX_ROWS);
	print_tables(out, a, l, AGG_TOTAL);
	return flushed(out);
}
