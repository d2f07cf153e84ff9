// SPDX-License-Identifier: GPL-2.0
/* Per-VM event rings and the incidents they feed. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "record/flight.h"
#include "base/names.h"

struct ring {
	struct gfn_event *ev;
	uint64_t *seq;			/* arrival number of each event: merges the two rings */
	uint64_t n;			/* events ever added; the ring holds the last ring_events */
};

struct pending {
	struct incident inc;
	struct gfn_event *buf;		/* capacity: both rings and ring_events more */
	size_t cap;
	bool used;
	struct fvm *vm;
};

struct fvm {
	uint32_t pid;			/* 0: free */
	uint64_t last_seq;		/* for choosing which VM to drop when full */
	struct ring ring[2];		/* 0 launch-related, 1 the rest */
	struct pending *open;		/* the incident collecting now */
};

struct flight {
	struct flight_config cfg;
	incident_fn on_incident;
	void *ctx;
	struct fvm *vms;
	uint32_t *index;		/* open addressing by pid: 0 empty, else vm + 1 */
	unsigned int index_size;
	struct pending *pending;
	uint64_t seq;
	void *pool;
	size_t pool_bytes;
	struct flight_stats st;
};

static bool launch_family(unsigned int family)
{
	return family == FAM_SNP || family == FAM_SNP_RFC || family == FAM_PSP || family == FAM_RMP ||
	       family == FAM_ATTR;
}

bool flight_triggers(const struct gfn_event *e)
{
	return e->op != OP_LOST && launch_family(e->family) && event_failed(e);
}

/* the VMM an event belongs to, or 0 */
static uint32_t owner(const struct gfn_event *e)
{
	if (e->flags & EVF_VM_PID)
		return e->vm_pid;
	/* PSP and RMP work inside a VMM's ioctl carries no struct kvm: the task is the VMM */
	if (launch_family(e->family) && (e->flags & EVF_TASK))
		return e->pid;
	return 0;
}

struct flight *flight_new(const struct flight_config *cfg, incident_fn on_incident, void *ctx)
{
	struct flight *f = calloc(1, sizeof(*f));
	size_t per_ring, per_pending;
	char *p;

	if (!f || !cfg->ring_events || !cfg->max_vms || !cfg->max_pending)
		goto fail;
	f->cfg = *cfg;
	f->on_incident = on_incident;
	f->ctx = ctx;
	f->index_size = cfg->max_vms * 2;
	f->vms = calloc(cfg->max_vms, sizeof(*f->vms));
	f->index = calloc(f->index_size, sizeof(*f->index));
	f->pending = calloc(cfg->max_pending, sizeof(*f->pending));
	if (!f->vms || !f->index || !f->pending)
		goto fail;
	/* one mapping for every ring and incident buffer: pages are touched only as they fill */
	per_ring = (size_t)cfg->ring_events * (sizeof(struct gfn_event) + sizeof(uint64_t));
	per_pending = (size_t)cfg->ring_events * 3 * sizeof(struct gfn_event);
	f->pool_bytes = per_ring * 2 * cfg->max_vms + per_pending * cfg->max_pending;
	f->pool = mmap(NULL, f->pool_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (f->pool == MAP_FAILED) {
		f->pool = NULL;
		goto fail;
	}
	p = f->pool;
	for (unsigned int i = 0; i < cfg->max_vms; i++) {
		for (int r = 0; r < 2; r++) {
			f->vms[i].ring[r].ev = (struct gfn_event *)p;
			p += (size_t)cfg->ring_events * sizeof(struct gfn_event);
			f->vms[i].ring[r].seq = (uint64_t *)p;
			p += (size_t)cfg->ring_events * sizeof(uint64_t);
		}
	}
	for (unsigned int i = 0; i < cfg->max_pending; i++) {
		f->pending[i].buf = (struct gfn_event *)p;
		f->pending[i].cap = (size_t)cfg->ring_events * 3;
		p += per_pending;
	}
	return f;
fail:
	flight_free(f);
	return NULL;
}

void flight_free(struct flight *f)
{
	if (!f)
		return;
	if (f->pool)
		munmap(f->pool, f->pool_bytes);
	free(f->vms);
	free(f->index);
	free(f->pending);
	free(f);
}

static unsigned int hash_pid(const struct flight *f, uint32_t pid)
{
	return (pid * 2654435761u) % f->index_size;
}

static void index_rebuild(struct flight *f)
{
	memset(f->index, 0, f->index_size * sizeof(*f->index));
	for (unsigned int i = 0; i < f->cfg.max_vms; i++) {
		unsigned int h;

		if (!f->vms[i].pid)
			continue;
		for (h = hash_pid(f, f->vms[i].pid); f->index[h]; h = (h + 1) % f->index_size)
			;
		f->index[h] = i + 1;
	}
}

static void release(struct fvm *v)
{
	v->pid = 0;
	v->ring[0].n = v->ring[1].n = 0;
}

/* a free VM slot: an unused one, else the least recently active one without an open incident */
static struct fvm *take_slot(struct flight *f)
{
	struct fvm *best = NULL;

	for (unsigned int i = 0; i < f->cfg.max_vms; i++) {
		struct fvm *v = &f->vms[i];

		if (!v->pid)
			return v;
		if (!v->open && (!best || v->last_seq < best->last_seq))
			best = v;
	}
	if (best) {
		release(best);
		f->st.evicted++;
		f->st.vms--;
	}
	return best;
}

static struct fvm *vm_of(struct flight *f, uint32_t pid)
{
	unsigned int h;
	struct fvm *v;

	for (h = hash_pid(f, pid); f->index[h]; h = (h + 1) % f->index_size) {
		v = &f->vms[f->index[h] - 1];
		if (v->pid == pid)
			return v;
	}
	v = take_slot(f);
	if (!v)
		return NULL;
	v->pid = pid;
	f->st.vms++;
	index_rebuild(f);	/* a new VM is rare next to its events; the index stays tombstone-free */
	return v;
}

static void ring_add(struct ring *r, unsigned int size, const struct gfn_event *e, uint64_t seq)
{
	unsigned int i = (unsigned int)(r->n++ % size);

	r->ev[i] = *e;
	r->seq[i] = seq;
}

/* The two rings, oldest first, merged by arrival into buf. */
static size_t merge_rings(const struct fvm *v, unsigned int size, struct gfn_event *buf)
{
	uint64_t held[2], next[2];
	size_t n = 0;

	for (int r = 0; r < 2; r++) {
		held[r] = v->ring[r].n < size ? v->ring[r].n : size;
		next[r] = v->ring[r].n - held[r];	/* the oldest held, as an ever-added count */
	}
	while (next[0] < v->ring[0].n || next[1] < v->ring[1].n) {
		int r;

		if (next[0] >= v->ring[0].n)
			r = 1;
		else if (next[1] >= v->ring[1].n)
			r = 0;
		else
			r = v->ring[0].seq[next[0] % size] < v->ring[1].seq[next[1] % size] ? 0 : 1;
		buf[n++] = v->ring[r].ev[next[r] % size];
		next[r]++;
	}
	return n;
}

static void close_incident(struct flight *f, struct pending *p)
{
	p->inc.ev = p->buf;
	f->on_incident(f->ctx, &p->inc);
	p->used = false;
	if (p->vm)
		p->vm->open = NULL;
	p->vm = NULL;
}

static void open_incident(struct flight *f, struct fvm *v, const struct gfn_event *e)
{
	struct pending *p = NULL, *oldest = NULL;

	for (unsigned int i = 0; i < f->cfg.max_pending && !p; i++) {
		if (!f->pending[i].used)
			p = &f->pending[i];
		else if (!oldest || f->pending[i].inc.deadline_ns < oldest->inc.deadline_ns)
			oldest = &f->pending[i];
	}
	if (!p) {
		close_incident(f, oldest);	/* a storm of failures: the oldest is written as it is */
		f->st.closed_early++;
		p = oldest;
	}
	p->used = true;
	p->vm = v;
	v->open = p;
	p->inc = (struct incident){ .pid = v->pid, .trigger = *e, .deadline_ns = e->ts_ns + f->cfg.after_ns };
	p->inc.n = p->inc.before = merge_rings(v, f->cfg.ring_events, p->buf);
	f->st.incidents++;
}

void flight_add(struct flight *f, const struct gfn_event *e)
{
	uint32_t pid = owner(e);
	struct fvm *v;

	if (!pid || !(v = vm_of(f, pid)))
		return;
	v->last_seq = ++f->seq;
	ring_add(&v->ring[launch_family(e->family) ? 0 : 1], f->cfg.ring_events, e, f->seq);
	if (v->open) {
		struct pending *p = v->open;

		if (p->inc.n < p->cap)
			p->buf[p->inc.n++] = *e;
		else
			p->inc.after_dropped++;
	} else if (flight_triggers(e)) {
		open_incident(f, v, e);	/* the rings hold e already: it ends the "before" part */
	}
}

void flight_due(struct flight *f, uint64_t now_ns)
{
	for (unsigned int i = 0; i < f->cfg.max_pending; i++)
		if (f->pending[i].used && f->pending[i].inc.deadline_ns <= now_ns)
			close_incident(f, &f->pending[i]);
}

int flight_retire(struct flight *f, bool (*alive)(uint32_t pid))
{
	int n = 0;

	for (unsigned int i = 0; i < f->cfg.max_vms; i++) {
		struct fvm *v = &f->vms[i];

		if (!v->pid || v->open || alive(v->pid))
			continue;
		release(v);
		f->st.vms--;
		n++;
	}
	if (n)
		index_rebuild(f);
	return n;
}

void flight_stats(const struct flight *f, struct flight_stats *st)
{
	*st = f->st;
}
