// SPDX-License-Identifier: GPL-2.0
/*
 * The live view's loop: keys, repaints and, over a streaming source, its
 * drains and interval work, over the pure view model of views/tui/.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/sanitize.h"
#include "views/tui/internal.h"
#include "views/tui/term.h"

bool use_tui(const struct options *o)
{
	return !o->batch && isatty(STDOUT_FILENO) && !(o->csv_path && !strcmp(o->csv_path, "-"));
}

static void tui_paint(struct tui_state *st, const struct tui_data *d)
{
	static struct tui_screen scr;
	int rows, cols;

	term_size(&rows, &cols);
	tui_sync(st, d);
	tui_render(st, d, &scr, rows, cols);
	term_paint(&scr);
}

/*
 * A terminal that hung up (its window closed, the ssh connection dropped)
 * answers every ioctl with EIO; reads return end of file, so the key loop
 * would spin.
 */
static bool terminal_hung_up(void)
{
	struct termios t;

	return tcgetattr(STDOUT_FILENO, &t) != 0 && errno == EIO;
}

/*
 * A streaming source (the kernel, a recorder): keys are read in short slices
 * between drains of the source, so painting never holds up the consumer;
 * every `delay` the interval work runs and the view repaints unless frozen.
 * A trace read whole: only keys drive it.
 */
int tui_loop(struct session *s, struct run_source *src, const struct options *o)
{
	static struct tui_state st;
	static char trace[1024];
	struct utsname uts;
	bool streaming = src->streaming;
	struct tui_data d = { .agg = s->agg, .launches = &s->launches, .recent = &s->recent,
			      .probes = src->probes, .replay = !streaming };
	struct timespec t0, now;

	if (src->trace)		/* the status line shows it: a file name is text from outside too */
		d.trace = sanitize_term(trace, sizeof(trace), src->trace, sizeof(trace) - 1);
	uname(&uts);
	d.kernel = uts.release;
	tui_state_init(&st, o->delay_s);
	st.cumulative = !streaming;
	if (term_open())
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tui_paint(&st, &d);
	while (!st.quit && !stop_requested && !s->write_failed) {
		int key = term_key(streaming ? 50 : 250);
		double elapsed;

		if (key < 0 && terminal_hung_up()) {	/* one ioctl whenever no key came */
			if (!streaming || !records_to_file(o))
				stop_requested = 1;	/* nothing goes on without the view */
			term_close();
			return TUI_HUNG_UP;
		}
		if (streaming && src->poll(src, 0) < 0 && !s->write_failed)
			break;
		if (key >= 0 && key != TK_RESIZE)
			tui_key(&st, &d, key);
		if (st.reset) {
			st.reset = false;
			agg_reset(s->agg);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (streaming && (elapsed >= st.delay || src->ended)) {
			src->interval(src, s);
			d.events_per_s = (double)s->agg->events[AGG_INTERVAL] / elapsed;
			d.trace_bytes = s->csv ? csv_bytes(s->csv) : 0;
			if (!st.frozen)
				tui_paint(&st, &d);
			agg_interval_reset(s->agg);
			t0 = now;
			if (src->ended)
				break;
		} else if (key >= 0 || !streaming) {
			tui_paint(&st, &d);
		}
	}
	term_close();
	return 0;
}
