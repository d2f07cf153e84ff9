// SPDX-License-Identifier: GPL-2.0
/* The session: one path for every event, from any source, to every consumer. */
#include <stdio.h>
#include "model/session.h"
#include "base/names.h"
#include "base/sanitize.h"

int session_event(void *ctx, struct gfn_event *e)
{
	struct session *s = ctx;

	if (s->cfg.filter_pids && e->op != OP_LOST) {
		bool keep = false;

		for (int i = 0; i < s->cfg.npids && !keep; i++)
			keep = (e->flags & EVF_VM_PID) && e->vm_pid == s->cfg.pids[i];
		if (!keep)
			return 0;
	}
	if (s->cfg.errors_only && !event_failed(e))
		return 0;
	agg_add(s->agg, e);
	if (s->counters)
		counters_add(s->counters, e);
	launch_add(&s->launches, e);
	recent_add(&s->recent, e);
	/* a row the kernel counted crossed only to be seen: a trace holds every event or none */
	if (s->csv && !(e->flags & EVF_AGGREGATED) && csv_write(s->csv, e)) {
		s->write_failed = true;
		return 1;	/* stop: the trace can no longer be complete */
	}
	return 0;
}

void session_counts(void *ctx, const struct gfn_counts *c)
{
	struct session *s = ctx;

	agg_add_counts(s->agg, c);
	if (s->counters)
		counters_add_counts(s->counters, c);
}

struct retire_ctx {
	struct session *s;
	void (*fn)(void *ctx, const struct agg_vm *v);
	void *ctx;
};

static void retire_one(void *ctx, const struct agg_vm *v)
{
	struct retire_ctx *r = ctx;

	launch_forget(&r->s->launches, v->vm_pid, v->vm_id);
	if (r->fn)
		r->fn(r->ctx, v);
}

int session_retire(struct session *s, uint64_t marked_before,
		   void (*fn)(void *ctx, const struct agg_vm *v), void *ctx)
{
	struct retire_ctx r = { s, fn, ctx };

	return agg_retire(s->agg, marked_before, retire_one, &r);
}

int session_finish_csv(struct session *s, bool commit)
{
	int rc = 0;

	if (!s->csv)
		return 0;
	if (csv_close(s->csv, commit) || s->write_failed) {
		term_message(stderr, csv_strerror(s->csv));
		rc = 1;
	}
	csv_free(s->csv);
	s->csv = NULL;
	return rc;
}

static void launch_changed(void *ctx, const struct launch *l, enum launch_state from)
{
	counters_launch(ctx, l, (int)from);
}

void session_free_tables(struct session *s)
{
	agg_free(s->agg);
	s->agg = NULL;
	counters_free(s->counters);
	s->counters = NULL;
}

int session_open(struct session *s, const struct session_config *cfg)
{
	char err[4608];

	*s = (struct session){ .cfg = *cfg };
	launch_init(&s->launches);
	s->agg = agg_new();
	if (cfg->counters) {
		s->counters = counters_new(cfg->counters_vms);
		s->launches.on_change = launch_changed;
		s->launches.on_change_ctx = s->counters;
	}
	if (!s->agg || (cfg->counters && !s->counters)) {
		fprintf(stderr, "gfntop: out of memory\n");
		session_free_tables(s);
		return -1;
	}
	/* a replay never starts a new interval: its interval counters would repeat the totals */
	s->agg->one_period = cfg->one_period;
	if (!cfg->csv_path)
		return 0;
	struct csv_open_opts opts = { .force = cfg->force, .mode = cfg->mode, .keep = cfg->keep };

	s->csv = csv_open_opts(cfg->csv_path, &opts, err, sizeof(err));
	if (!s->csv) {
		term_message(stderr, err);
	} else if (csv_begin(s->csv)) {
		term_message(stderr, csv_strerror(s->csv));
		session_finish_csv(s, false);	/* removes what was created */
	} else {
		return 0;
	}
	session_free_tables(s);
	return -1;
}

int session_close(struct session *s, bool commit)
{
	int rc = session_finish_csv(s, commit);

	session_free_tables(s);
	return rc;
}
