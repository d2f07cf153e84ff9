// SPDX-License-Identifier: GPL-2.0
/*
 * --connect: a running recorder as the run source. Its events go through the
 * viewer's own session like the kernel's or a trace's; its snapshots replace
 * the session's tables (the totals since the recorder started, and again
 * after the viewer fell behind and missed events); the VMs it retires leave
 * the viewer's tables after their last interval is shown. The views below
 * know nothing of it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "base/sanitize.h"
#include "sources/socket.h"

struct recorder_source {
	struct run_source src;
	struct socket_source *ss;
	struct session *s;
	uint64_t boundary_ns;		/* the last interval's start: VMs retired before it go */
	uint64_t missed;
	bool quiet;			/* the TUI owns the terminal: no notes on stderr */
	char probes[256], trace[300];
};

static uint64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* ---- what the recorder sends, into the session's tables ---- */

static void stats_in(struct stats *s, const struct wire_stats *w)
{
	s->ops = w->ops;
	s->pages = w->pages;
	s->errors = w->errors;
	s->timed = w->timed;
	memcpy(s->hist, w->hist, sizeof(s->hist));
}

static int on_event(void *ctx, struct gfn_event *e)
{
	return session_event(((struct recorder_source *)ctx)->s, e);
}

static void on_snap_begin(void *ctx, const struct wire_snap_begin *b)
{
	struct recorder_source *r = ctx;
	struct agg *a = r->s->agg;

	agg_reset(a);
	a->events[AGG_TOTAL] = b->events;
	a->lost[AGG_TOTAL] = b->lost;
	a->overflow[AGG_TOTAL] = b->overflow;
	a->first_ts = b->first_ts;
	a->last_ts = b->last_ts;
	launch_init(&r->s->launches);
	memset(&r->s->recent, 0, sizeof(r->s->recent));
}

static void on_snap_vm(void *ctx, const struct wire_vm *w)
{
	struct recorder_source *r = ctx;
	struct agg *a = r->s->agg;
	int i = agg_vm_entry(a, w->kind, w->vm_pid, w->vm_id, false);

	if (i < 0)
		return;
	a->vms[i].comm_is_vmm = w->comm_is_vmm;
	a->vms[i].comm_final = w->comm_final;
	a->vms[i].last_ts = w->last_ts;
	memcpy(a->vms[i].comm, w->comm, sizeof(a->vms[i].comm));
	stats_in(&a->vms[i].s[AGG_TOTAL], &w->total);
	/* not w->exited_ns: the recorder's RETIRE says when it goes */
}

static void on_snap_row(void *ctx, const struct wire_row *w)
{
	struct recorder_source *r = ctx;
	struct agg *a = r->s->agg;
	int vm = agg_vm_entry(a, w->kind, w->vm_pid, w->vm_id, true);
	int i = agg_row_entry(a, vm, w->as_id, w->slot, w->op, w->family);

	if (i < 0)
		return;
	a->rows[i].has_gfn = w->has_gfn != 0;
	a->rows[i].min_gfn = w->min_gfn;
	stats_in(&a->rows[i].s[AGG_TOTAL], &w->total);
}

static void on_snap_launch(void *ctx, const struct wire_launch *w)
{
	struct recorder_source *r = ctx;
	struct launch_table *t = &r->s->launches;
	struct launch *l;

	if (t->n == LAUNCH_MAX_VMS || w->state > LAUNCH_ABORTED)
		return;
	l = &t->vms[t->n++];
	*l = (struct launch){
		.vm_pid = w->vm_pid, .vm_id = w->vm_id, .state = (enum launch_state)w->state,
		.start_ts = w->start_ts, .finish_ts = w->finish_ts, .last_ts = w->last_ts,
		.update_calls = w->update_calls, .partial_calls = w->partial_calls, .fail = w->fail,
		.chain = { .iter_id = w->chain_iter, .has_populate = w->chain_has & 1, .has_post = w->chain_has & 2,
			   .has_psp = w->chain_has & 4, .has_rmp = w->chain_has & 8, .populate = w->populate,
			   .post = w->post, .psp = w->psp, .rmp = w->rmp },
	};
	for (int i = 0; i < LAUNCH_PAGE_TYPES; i++) {
		l->by_type[i].pages = w->by_type[i].pages;
		l->by_type[i].calls = w->by_type[i].calls;
		l->by_type[i].ns = w->by_type[i].ns;
	}
	sanitize_term(l->cause, sizeof(l->cause), w->cause, sizeof(w->cause));
}

static void on_snap_event(void *ctx, const struct gfn_event *e, bool failure)
{
	struct recent *rc = &((struct recorder_source *)ctx)->s->recent;

	if (failure)
		rc->fail[rc->nfail++ % RECENT_FAILURES] = *e;
	else
		rc->ev[rc->nev++ % RECENT_EVENTS] = *e;
}

static void on_snap_end(void *ctx)
{
	(void)ctx;
}

static void on_missed(void *ctx, const struct wire_missed *m)
{
	struct recorder_source *r = ctx;

	r->missed = m->total;
	if (!r->quiet)
		fprintf(stderr, "gfntop: this viewer fell behind the recorder and missed %llu events (%llu in "
			"all); its tables are the recorder's again\n", (unsigned long long)m->missed,
			(unsigned long long)m->total);
}

static void on_retire(void *ctx, uint8_t kind, uint32_t vm_pid, uint64_t vm_id)
{
	struct recorder_source *r = ctx;
	int i = agg_vm_entry(r->s->agg, kind, vm_pid, vm_id, true);

	if (i >= 0 && !r->s->agg->vms[i].exited_ns)
		r->s->agg->vms[i].exited_ns = monotonic_ns();
}

/* ---- the run source ---- */

static int recorder_poll(struct run_source *src, int timeout_ms)
{
	struct recorder_source *r = (struct recorder_source *)src;

	if (socket_poll(r->ss, timeout_ms) < 0)
		src->ended = true;	/* the loops show the last interval, then stop */
	return 0;
}

/* VMs the recorder retired before the last interval began were in that interval's report: they go */
static void recorder_interval(struct run_source *src, struct session *s)
{
	struct recorder_source *r = (struct recorder_source *)src;
	uint64_t now = monotonic_ns();

	session_retire(s, r->boundary_ns, NULL, NULL);
	r->boundary_ns = now;
}

int run_connect(const struct options *o)
{
	static struct session s;
	static struct recorder_source r = {
		.src = { .streaming = true, .poll = recorder_poll, .interval = recorder_interval },
	};
	struct session_config cfg = session_config_of(o, CSV_DIRECT);
	const struct socket_callbacks cb = {
		.event = on_event, .missed = on_missed, .snap_begin = on_snap_begin, .snap_vm = on_snap_vm,
		.snap_row = on_snap_row, .snap_launch = on_snap_launch, .snap_event = on_snap_event,
		.snap_end = on_snap_end, .retire = on_retire,
	};
	char err[512], title[400];
	FILE *out = text_out(o);
	int rc = 0, tui = -1;

	cfg.filter_pids = o->npids > 0;	/* the recorder sends every VM: -p is the viewer's */
	if (session_open(&s, &cfg))
		return EXIT_RUNTIME;
	r.s = &s;
	r.quiet = use_tui(o);
	r.ss = socket_open(o->connect_path, true, &cb, &r, err, sizeof(err));
	if (!r.ss) {
		fprintf(stderr, "gfntop: %s\n", err);
		session_free_tables(&s);
		return EXIT_RUNTIME;
	}
	sanitize_term(r.probes, sizeof(r.probes), socket_hello(r.ss)->probes, sizeof(r.probes));
	snprintf(r.trace, sizeof(r.trace), "recorder %s", o->connect_path);
	r.src.probes = r.probes;
	r.src.trace = r.trace;
	r.boundary_ns = monotonic_ns();
	if (!r.quiet)
		fprintf(stderr, "gfntop: viewing the recorder at %s (probes %s)\n", o->connect_path, r.probes);
	if (use_tui(o))
		tui = tui_loop(&s, &r.src, o);
	if (tui == TUI_HUNG_UP)
		out = NULL;	/* the terminal is gone */
	if (tui != 0 && !stop_requested && out)
		rc = batch_loop(&s, &r.src, o, &out);
	if (socket_ended(r.ss) && !socket_stopped(r.ss)) {
		fprintf(stderr, "gfntop: %s\n", socket_why(r.ss));
		rc = EXIT_RUNTIME;
	} else if (socket_ended(r.ss)) {
		fprintf(stderr, "gfntop: %s\n", socket_why(r.ss));
	}
	if (out) {
		int werr;

		snprintf(title, sizeof(title), "view of the recorder at %s", o->connect_path);
		werr = print_source_summary(o, out, &s, "recorder", o->connect_path, title, r.probes);
		if (r.missed && !o->json)
			fprintf(out, "note: this viewer missed %llu events while behind; the totals are "
				"the recorder's\n", (unsigned long long)r.missed);
		if (text_failed(out, werr))
			rc = EXIT_RUNTIME;
	}
	socket_close(r.ss);
	session_free_tables(&s);
	return rc;
}
