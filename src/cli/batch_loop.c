// SPDX-License-Identifier: GPL-2.0
/*
 * Batch text (like top -b) over a streaming source: every -d the source's
 * interval work, then the interval's tables, until -n intervals, a signal,
 * a write failure or the end of the source.
 */
#include <stdio.h>
#include <time.h>
#include "cli/cli.h"

int batch_loop(struct session *s, struct run_source *src, const struct options *o)
{
	FILE *out = text_out(o);
	unsigned long interval = 0;
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop_requested && !s->write_failed) {
		double elapsed, due = o->delay_s;
		int wait_ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (elapsed >= due || reopen_requested || src->ended) {
			src->interval(src, s);
			if (s->write_failed)
				break;
			if (elapsed < due && !src->ended)
				continue;	/* a reopen between intervals */
			print_interval(o, out, s, ++interval, elapsed);
			agg_interval_reset(s->agg);
			t0 = now;
			if (src->ended || (o->iterations && interval >= (unsigned long)o->iterations))
				break;
			continue;
		}
		wait_ms = (int)((due - elapsed) * 1000) + 1;
		if (wait_ms > 100)
			wait_ms = 100;	/* the longest an event waits in the ring without a wake-up */
		if (src->poll(src, wait_ms) < 0 && !stop_requested && !s->write_failed)
			return EXIT_RUNTIME;
	}
	return 0;
}
