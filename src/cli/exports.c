// SPDX-License-Identifier: GPL-2.0
/*
 * What the run modes print and export beside the trace: batch text or its
 * JSON twin (--json), and the metrics (--metrics, --metrics-textfile), whose
 * life cycle follows outputs/metrics.h: opened before the capabilities are
 * dropped, started after, published once per interval on the event thread.
 */
#include <errno.h>
#include <stdio.h>
#include "cli/cli.h"
#include "outputs/json.h"
#include "outputs/metrics.h"
#include "views/batch.h"

static struct metrics *metrics;		/* NULL: no metrics output */

/* after JSON went out: 0, or the errno of the write that failed (text_failed() says it) */
static int json_status(FILE *out)
{
	if (!ferror(out) && fflush(out) == 0)
		return 0;
	return errno ? errno : EIO;
}

int print_interval(const struct options *o, FILE *out, const struct session *s, unsigned long n, double secs)
{
	if (!o->json)
		return batch_interval(out, s->agg, &s->launches, n, secs);
	errno = 0;
	json_interval(out, s->agg, &s->launches, n, secs);
	return json_status(out);
}

int print_source_summary(const struct options *o, FILE *out, const struct session *s, const char *source,
			 const char *name, const char *title, const char *probes)
{
	if (o->json) {
		errno = 0;
		json_summary(out, s->agg, &s->launches, source, name, probes);
		return json_status(out);
	}
	return batch_summary(out, s->agg, &s->launches, title, probes);
}

int print_summary(const struct options *o, FILE *out, const struct session *s, const char *replayed,
		  const char *probes)
{
	char title[4200];

	if (o->json) {
		errno = 0;
		json_summary(out, s->agg, &s->launches, replayed ? "replay" : "live", replayed, probes);
		return json_status(out);
	}
	if (replayed)
		snprintf(title, sizeof(title), "replay of %s", replayed);
	return batch_summary(out, s->agg, &s->launches, replayed ? title : "summary", probes);
}

int exports_open(const struct options *o)
{
	struct metrics_config cfg = { .listen = o->metrics_listen, .textfile_dir = o->metrics_textfile,
				      .max_vms = o->metrics_vms };
	struct expo_info build, platform;
	char err[4200];

	if (!cfg.listen && !cfg.textfile_dir)
		return 0;
	metrics = metrics_open(&cfg, err, sizeof(err));
	if (!metrics) {
		fprintf(stderr, "gfntop: %s\n", err);
		return -1;
	}
	metrics_platform_info(&build, &platform);
	metrics_set_info(metrics, &build, &platform);
	return 0;
}

void exports_begin(struct session *s, const struct probe_set *ps)
{
	if (!metrics)
		return;
	/* the series of every attached probe exist, at 0, from the first scrape */
	metrics_register_probes(s->counters, ps);
	metrics_publish(metrics, s->counters, ps);
}

int exports_start(void)
{
	char err[512];

	if (!metrics)
		return 0;
	if (metrics_start(metrics, err, sizeof(err))) {
		fprintf(stderr, "gfntop: %s\n", err);
		return -1;
	}
	if (*metrics_url(metrics))
		fprintf(stderr, "gfntop: metrics at %s\n", metrics_url(metrics));
	return 0;
}

/* a VMM's pid still in use (EPERM: it exists, we may not signal it) */
static bool alive(uint32_t pid)
{
	return pid_alive(pid);
}

void exports_interval(struct session *s, const struct probe_set *ps)
{
	if (!metrics)
		return;
	counters_reap(s->counters, alive);
	metrics_publish(metrics, s->counters, ps);
}

int exports_close(struct session *s, const struct probe_set *ps, bool commit)
{
	int rc;

	if (!metrics)
		return 0;
	if (commit)
		metrics_publish(metrics, s->counters, ps);	/* what was drained at the end */
	rc = metrics_close(metrics);
	metrics = NULL;
	return rc;
}
