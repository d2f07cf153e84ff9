// SPDX-License-Identifier: GPL-2.0
/* The recorder's tables as snapshot messages. */
#include <string.h>
#include "record/snapshot.h"
#include "sources/wire.h"

_Static_assert(WIRE_HIST_BUCKETS == HIST_BUCKETS, "the wire's histograms are the model's");
_Static_assert(WIRE_PAGE_TYPES == LAUNCH_PAGE_TYPES, "the wire's page types are the model's");

/* one message being filled */
struct batch {
	wire_put_fn put;
	void *ctx;
	unsigned int type;
	uint32_t n;
	int rc;
	_Alignas(8) char buf[WIRE_MAX_MSG];
};

static int flush(struct batch *b)
{
	if (b->n && !b->rc)
		b->rc = b->put(b->ctx, b->type, b->buf, b->n);
	b->n = 0;
	return b->rc;
}

/* room for one more record of `type`, flushing what is there first when needed */
static void *slot(struct batch *b, unsigned int type)
{
	if (b->type != type || b->n == wire_per_msg(type)) {
		flush(b);
		b->type = type;
	}
	return b->buf + (size_t)b->n++ * wire_rec_size(type);
}

static void stats_out(struct wire_stats *w, const struct stats *s)
{
	w->ops = s->ops;
	w->pages = s->pages;
	w->errors = s->errors;
	w->timed = s->timed;
	memcpy(w->hist, s->hist, sizeof(w->hist));
}

static uint32_t ring_held(unsigned long long n, unsigned int size)
{
	return (uint32_t)(n < size ? n : size);
}

size_t snapshot_max_bytes(void)
{
	static const struct { unsigned int type; size_t n; } parts[] = {
		{ W_SNAP_BEGIN, 1 }, { W_SNAP_VM, AGG_MAX_VMS }, { W_SNAP_ROW, AGG_MAX_ROWS },
		{ W_SNAP_LAUNCH, LAUNCH_MAX_VMS }, { W_SNAP_RECENT, RECENT_EVENTS },
		{ W_SNAP_FAILURES, RECENT_FAILURES }, { W_SNAP_END, 1 },
	};
	size_t bytes = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t per = wire_per_msg(parts[i].type), msgs = (parts[i].n + per - 1) / per;

		/* each message: its header, and the queue's 4-byte length in front of it */
		bytes += parts[i].n * wire_rec_size(parts[i].type) + msgs * (sizeof(struct wire_hdr) + 4);
	}
	return bytes;
}

int snapshot_encode(const struct session *s, wire_put_fn put, void *ctx)
{
	static struct batch b;
	const struct agg *a = s->agg;
	const struct recent *r = &s->recent;
	uint32_t nrecent = ring_held(r->nev, RECENT_EVENTS), nfail = ring_held(r->nfail, RECENT_FAILURES);
	struct wire_snap_begin begin = {
		.events = a->events[AGG_TOTAL], .lost = a->lost[AGG_TOTAL], .overflow = a->overflow[AGG_TOTAL],
		.first_ts = a->first_ts, .last_ts = a->last_ts, .nvms = (uint32_t)a->nvms,
		.nrows = (uint32_t)a->nrows, .nlaunches = (uint32_t)s->launches.n,
		.nrecent = nrecent, .nfailures = nfail,
	};
	struct wire_snap_end end = { 0 };

	b.put = put;
	b.ctx = ctx;
	b.n = 0;
	b.rc = 0;
	memcpy(slot(&b, W_SNAP_BEGIN), &begin, sizeof(begin));
	for (int i = 0; i < a->nvms; i++) {
		const struct agg_vm *v = &a->vms[i];
		struct wire_vm *w = slot(&b, W_SNAP_VM);

		memset(w, 0, sizeof(*w));
		w->kind = v->kind;
		w->vm_pid = v->kind == AGG_NO_VM ? v->task_pid : v->vm_pid;
		w->comm_is_vmm = v->comm_is_vmm;
		w->comm_final = v->comm_final;
		w->vm_id = v->vm_id;
		w->last_ts = v->last_ts;
		w->exited_ns = v->exited_ns;
		memcpy(w->comm, v->comm, sizeof(w->comm));
		stats_out(&w->total, &v->s[AGG_TOTAL]);
	}
	for (int i = 0; i < a->nrows; i++) {
		const struct agg_row *row = &a->rows[i];
		struct wire_row *w = slot(&b, W_SNAP_ROW);

		memset(w, 0, sizeof(*w));
		w->kind = a->vms[row->vm].kind;
		w->vm_pid = w->kind == AGG_NO_VM ? a->vms[row->vm].task_pid : a->vms[row->vm].vm_pid;
		w->vm_id = a->vms[row->vm].vm_id;
		w->as_id = row->as_id;
		w->slot = row->slot;
		w->op = row->op;
		w->family = row->family;
		w->has_gfn = row->has_gfn;
		w->min_gfn = row->min_gfn;
		stats_out(&w->total, &row->s[AGG_TOTAL]);
	}
	for (int i = 0; i < s->launches.n; i++) {
		const struct launch *l = &s->launches.vms[i];
		struct wire_launch *w = slot(&b, W_SNAP_LAUNCH);

		memset(w, 0, sizeof(*w));
		w->vm_pid = l->vm_pid;
		w->vm_id = l->vm_id;
		w->state = l->state;
		w->start_ts = l->start_ts;
		w->finish_ts = l->finish_ts;
		w->last_ts = l->last_ts;
		w->update_calls = l->update_calls;
		w->partial_calls = l->partial_calls;
		for (int t = 0; t < WIRE_PAGE_TYPES; t++) {
			w->by_type[t].pages = l->by_type[t].pages;
			w->by_type[t].calls = l->by_type[t].calls;
			w->by_type[t].ns = l->by_type[t].ns;
		}
		w->chain_has = (l->chain.has_populate ? 1u : 0) | (l->chain.has_post ? 2u : 0) |
			       (l->chain.has_psp ? 4u : 0) | (l->chain.has_rmp ? 8u : 0);
		w->chain_iter = l->chain.iter_id;
		w->fail = l->fail;
		w->populate = l->chain.populate;
		w->post = l->chain.post;
		w->psp = l->chain.psp;
		w->rmp = l->chain.rmp;
		_Static_assert(sizeof(w->cause) == sizeof(l->cause), "cause text");
		memcpy(w->cause, l->cause, sizeof(w->cause));
		w->cause[sizeof(w->cause) - 1] = '\0';
	}
	for (uint32_t i = nrecent; i > 0; i--)		/* oldest first */
		memcpy(slot(&b, W_SNAP_RECENT), recent_event(r, i - 1), sizeof(struct gfn_event));
	for (uint32_t i = nfail; i > 0; i--)
		memcpy(slot(&b, W_SNAP_FAILURES), recent_failure(r, i - 1), sizeof(struct gfn_event));
	memcpy(slot(&b, W_SNAP_END), &end, sizeof(end));
	return flush(&b);
}
