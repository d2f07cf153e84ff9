// SPDX-License-Identifier: GPL-2.0
/*
 * Batch text (like top -b) over a streaming source: every -d the source's
 * interval work, then the interval's tables, until -n intervals, a signal,
 * a write failure or the end of the source.
 */
#include <stdio.h>
#include <time.h>
#include "cli/cli.h"
#include "base/sanitize.h"

/*
 * The text output failed (a closed pipe, a hung-up terminal): the run ends
 * with status 1 whatever happens, and stops unless it records to a file,
 * which goes on without text. Returns where text goes from now on: nowhere.
 */
static FILE *lose_text(struct session *s, const struct options *o)
{
	char msg[4200];

	s->failed = true;
	if (!records_to_file(o)) {
		stop_requested = 1;
		return NULL;
	}
	snprintf(msg, sizeof(msg), "recording to %s goes on without text output", o->csv_path);
	term_message(stderr, msg);
	return NULL;
}

int batch_loop(struct session *s, struct run_source *src, const struct options *o, FILE **out)
{
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
			if (s->write_failed || stop_requested)
				break;
			if (elapsed < due && !src->ended)
				continue;	/* a reopen between intervals */
			++interval;
			if (*out && text_failed(*out, print_interval(o, *out, s, interval, elapsed)))
				*out = lose_text(s, o);
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
