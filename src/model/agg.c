// SPDX-License-Identifier: GPL-2.0
/* Aggregation of events into fixed-size per-VM and per-VM x slot x op tables. */
#include <string.h>
#include <sys/mman.h>
#include "model/agg.h"
#include "base/names.h"

/*
 * Mapped, not calloc()ed: the entries' alignment (a cache line) holds, and
 * the pages no entry uses are never touched.
 */
struct agg *agg_new(void)
{
	void *a = mmap(NULL, sizeof(struct agg), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return a == MAP_FAILED ? NULL : a;
}

void agg_free(struct agg *a)
{
	if (a)
		munmap(a, sizeof(*a));
}

/*
 * Buckets: values 0..3 exactly; above, four buckets per power of two.
 * For v with highest set bit p >= 2: 4 + (p - 2) * 4 + the two bits below p.
 */
unsigned int hist_bucket(uint64_t v)
{
	unsigned int p;

	if (v < 4)
		return (unsigned int)v;
	p = 63u - (unsigned int)__builtin_clzll(v);
	return 4 + (p - 2) * 4 + (unsigned int)((v >> (p - 2)) & 3);
}

uint64_t hist_bucket_upper(unsigned int b)
{
	unsigned int p, sub;

	if (b < 4)
		return b;
	p = (b - 4) / 4 + 2;
	sub = (b - 4) % 4;
	/* bucket holds [(4 + sub) << (p - 2), (5 + sub) << (p - 2)) */
	if (p == 63 && sub == 3)
		return UINT64_MAX;
	return ((uint64_t)(5 + sub) << (p - 2)) - 1;
}

uint64_t stats_quantile(const struct stats *s, double q)
{
	uint64_t want, seen = 0;

	if (!s->timed)
		return 0;
	want = (uint64_t)(q * (double)s->timed + 0.999999);
	if (want < 1)
		want = 1;
	for (unsigned int b = 0; b < HIST_BUCKETS; b++) {
		seen += s->hist[b];
		if (seen >= want)
			return hist_bucket_upper(b);
	}
	return hist_bucket_upper(HIST_BUCKETS - 1);
}

static uint32_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

#define ROW_INDEX_BITS 13	/* AGG_MAX_ROWS + 1 fits */

/*
 * A row's key, one to one: vm below AGG_MAX_VMS (8 bits), slot + 1 below
 * 2^17, so 49 bits, and ROW_INDEX_BITS to spare. The hash table holds it: a
 * probe compares it there, without a load from the row.
 */
static uint64_t row_key(int vm, uint16_t as_id, int32_t slot, uint8_t op)
{
	return (uint64_t)vm << 41 | (uint64_t)as_id << 25 | (uint64_t)(uint32_t)(slot + 1) << 8 | op;
}

static int row_index_of(struct agg *a, int vm, uint16_t as_id, int32_t slot, uint8_t op, uint8_t family)
{
	const uint32_t size = AGG_MAX_ROWS * 2;
	uint64_t key = row_key(vm, as_id, slot, op);

	for (uint32_t h = mix(key) % size;; h = (h + 1) % size) {
		uint64_t entry = a->row_hash[h];
		int i;

		if (!entry) {
			if (a->nrows == AGG_MAX_ROWS)
				return -1;
			i = a->nrows++;
			a->rows[i] = (struct agg_row){ .vm = (uint16_t)vm, .as_id = as_id, .slot = slot,
						       .op = op, .family = family };
			a->row_hash[h] = key << ROW_INDEX_BITS | (uint64_t)(i + 1);
			return i;
		}
		if (entry >> ROW_INDEX_BITS == key)
			return (int)(entry & ((1U << ROW_INDEX_BITS) - 1)) - 1;
	}
}

static int row_index(struct agg *a, int vm, const struct gfn_event *e)
{
	bool slotted = e->flags & EVF_SLOT;

	return row_index_of(a, vm, slotted ? e->as_id : 0, slotted ? e->slot : -1, e->op, e->family);
}

/* ---- VM identity (agg.h: one VM, one entry) ---- */

#define VM_HASH_SIZE (AGG_MAX_VMS * 4)

static uint32_t vm_key_hash(uint32_t pid, uint64_t id, bool no_vm)
{
	return mix(id ^ ((uint64_t)pid << 32) ^ (no_vm ? 0x9e3779b97f4a7c15ULL : 0)) % VM_HASH_SIZE;
}

/* The slot holding a key, or the empty one where it goes (there always is one: agg.h). */
static const struct agg_vm_slot *vm_slot_c(const struct agg *a, uint32_t pid, uint64_t id, bool no_vm)
{
	for (uint32_t h = vm_key_hash(pid, id, no_vm);; h = (h + 1) % VM_HASH_SIZE) {
		const struct agg_vm_slot *s = &a->vm_hash[h];

		if (!s->vm || (s->pid == pid && s->vm_id == id && s->no_vm == no_vm))
			return s;
	}
}

static struct agg_vm_slot *vm_slot(struct agg *a, uint32_t pid, uint64_t id, bool no_vm)
{
	return (struct agg_vm_slot *)vm_slot_c(a, pid, id, no_vm);
}

static void slot_set(struct agg_vm_slot *s, uint32_t pid, uint64_t id, bool no_vm, int vm)
{
	s->pid = pid;
	s->vm_id = id;
	s->no_vm = no_vm;
	s->vm = (uint16_t)(vm + 1);
}

static int vm_new(struct agg *a, enum agg_vm_kind kind, uint32_t pid, uint64_t id, uint32_t task)
{
	struct agg_vm *v;

	if (a->nvms == AGG_MAX_VMS)
		return -1;
	v = &a->vms[a->nvms];
	memset(v, 0, sizeof(*v));
	v->kind = (uint8_t)kind;
	v->vm_pid = pid;
	v->vm_id = id;
	v->task_pid = task;
	return a->nvms++;
}

/*
 * An event that names neither VM nor VMM, run by a task whose pid is a known
 * VMM, is that VMM's (its PSP commands, say); of any other task (a kernel
 * thread), the task's. Returns the VMM's pid, or 0 for the task's own entry.
 */
static uint32_t vmm_of_task(const struct agg *a, uint32_t task)
{
	return task && vm_slot_c(a, task, 0, false)->vm ? task : 0;
}

/*
 * The key of VMM pid, made if missing: then its events that name no VM have
 * no entry yet (VM_SLOT_LATER), unless the VMM's task was seen acting for no
 * VM before: that entry was the VMM's all along, and becomes its AGG_VMM one.
 */
static struct agg_vm_slot *vmm_key(struct agg *a, uint32_t pid)
{
	struct agg_vm_slot *s = vm_slot(a, pid, 0, false);
	const struct agg_vm_slot *t;

	if (s->vm)
		return s;
	slot_set(s, pid, 0, false, 0);
	s->vm = VM_SLOT_LATER;
	t = vm_slot_c(a, pid, 0, true);
	if (t->vm && a->vms[t->vm - 1].kind == AGG_NO_VM) {
		struct agg_vm *v = &a->vms[t->vm - 1];

		v->kind = AGG_VMM;
		v->vm_pid = pid;
		v->task_pid = 0;
		s->vm = t->vm;	/* t stays, never asked again: vmm_of_task() finds s first */
	}
	return s;
}

/* VMM pid (its key made) has one VM more, vm: where its events that name no VM go now. */
static void vmm_add_vm(struct agg *a, uint32_t pid, int vm)
{
	struct agg_vm_slot *vmm = vmm_key(a, pid);

	if (!vmm->vms_of_pid)
		vmm->vm = (uint16_t)(vm + 1);	/* its first VM: they go to it */
	else if (vmm->vm != VM_SLOT_LATER && vmm->vm - 1 != vm && a->vms[vmm->vm - 1].kind == AGG_VM)
		vmm->vm = VM_SLOT_LATER;	/* a second one: they cannot be told apart */
	if (vmm->vms_of_pid < UINT8_MAX)
		vmm->vms_of_pid++;
}

/* The entry of VM (pid, id), 0 each when unknown; task: the task that ran it, 0 when unknown. */
static int vm_index_of(struct agg *a, uint32_t pid, uint64_t id, uint32_t task)
{
	struct agg_vm_slot *s, *vmm;
	int i;

	if (!pid && !id) {
		pid = vmm_of_task(a, task);
		if (!pid) {	/* no VM known: the task, in an entry of its own */
			s = vm_slot(a, task, 0, true);
			if (s->vm)
				return s->vm - 1;
			i = vm_new(a, AGG_NO_VM, 0, 0, task);
			if (i >= 0)
				slot_set(s, task, 0, true, i);
			return i;
		}
	}
	s = vm_slot(a, pid, id, false);
	if (s->vm && s->vm != VM_SLOT_LATER)
		return s->vm - 1;	/* every event but a VM's or a VMM's first */
	if (!id) {		/* the VMM's key, and no entry for its events yet */
		if (!s->vm && a->nvms == AGG_MAX_VMS)
			return -1;	/* full: no key without an entry (the index stays below half full) */
		s = vmm_key(a, pid);
		if (s->vm != VM_SLOT_LATER)
			return s->vm - 1;	/* its task's entry, just taken over */
		i = vm_new(a, AGG_VMM, pid, 0, 0);
		if (i >= 0)
			s->vm = (uint16_t)(i + 1);
		return i;
	}
	/* a VM seen for the first time */
	if (a->nvms == AGG_MAX_VMS) {	/* full: only an entry its VMM's events made can be it */
		const struct agg_vm_slot *k = pid ? vm_slot_c(a, pid, 0, false) : NULL;

		if (!k || !k->vm || k->vm == VM_SLOT_LATER || k->vms_of_pid)
			return -1;
	}
	vmm = pid ? vmm_key(a, pid) : NULL;
	if (vmm && vmm->vm != VM_SLOT_LATER && !vmm->vms_of_pid) {
		i = vmm->vm - 1;	/* its VMM's events came first: their entry becomes the VM */
		a->vms[i].kind = AGG_VM;
		a->vms[i].vm_id = id;
	} else {
		i = vm_new(a, AGG_VM, pid, id, 0);
		if (i < 0)
			return -1;
	}
	if (pid)
		vmm_add_vm(a, pid, i);
	slot_set(vm_slot(a, pid, id, false), pid, id, false, i);	/* s may have been taken meanwhile */
	return i;
}

static int vm_index(struct agg *a, const struct gfn_event *e)
{
	return vm_index_of(a, (e->flags & EVF_VM_PID) ? e->vm_pid : 0, (e->flags & EVF_VM_ID) ? e->vm_id : 0,
			   (e->flags & EVF_TASK) ? e->pid : 0);
}

int agg_find_vm(const struct agg *a, const struct gfn_event *e)
{
	uint32_t pid = (e->flags & EVF_VM_PID) ? e->vm_pid : 0;
	uint64_t id = (e->flags & EVF_VM_ID) ? e->vm_id : 0;
	const struct agg_vm_slot *s;

	if (!pid && !id) {
		uint32_t task = (e->flags & EVF_TASK) ? e->pid : 0;

		pid = vmm_of_task(a, task);
		if (!pid)
			s = vm_slot_c(a, task, 0, true);
		else
			s = vm_slot_c(a, pid, 0, false);
	} else {
		s = vm_slot_c(a, pid, id, false);
	}
	return s->vm && s->vm != VM_SLOT_LATER ? s->vm - 1 : -1;
}

void agg_reindex(struct agg *a)
{
	memset(a->vm_hash, 0, sizeof(a->vm_hash));
	memset(a->row_hash, 0, sizeof(a->row_hash));
	for (int i = 0; i < a->nvms; i++) {
		const struct agg_vm *v = &a->vms[i];

		if (v->kind != AGG_VM)
			continue;
		if (v->vm_pid)
			vmm_add_vm(a, v->vm_pid, i);
		slot_set(vm_slot(a, v->vm_pid, v->vm_id, false), v->vm_pid, v->vm_id, false, i);
	}
	for (int i = 0; i < a->nvms; i++)	/* a VMM's own entry, once it has one, takes its events */
		if (a->vms[i].kind == AGG_VMM)
			vmm_key(a, a->vms[i].vm_pid)->vm = (uint16_t)(i + 1);
	for (int i = 0; i < a->nvms; i++) {
		const struct agg_vm *v = &a->vms[i];

		if (v->kind == AGG_NO_VM)
			slot_set(vm_slot(a, v->task_pid, 0, true), v->task_pid, 0, true, i);
	}
	for (int i = 0; i < a->nrows; i++) {
		const struct agg_row *r = &a->rows[i];
		uint64_t key = row_key(r->vm, r->as_id, r->slot, r->op);
		uint32_t h = mix(key) % (AGG_MAX_ROWS * 2);

		while (a->row_hash[h])
			h = (h + 1) % (AGG_MAX_ROWS * 2);
		a->row_hash[h] = key << ROW_INDEX_BITS | (uint64_t)(i + 1);
	}
}

/* What one event adds to a table entry, worked out once and applied to all four of them. */
struct delta {
	uint64_t pages;
	bool failed;
	bool timed;
	unsigned int bucket;
};

static inline void count_period(struct stats *s, const struct delta *d)
{
	s->ops++;
	s->pages += d->pages;
	s->errors += d->failed;
	if (d->timed) {
		s->timed++;
		s->hist[d->bucket]++;
	}
}

/* the periods of one entry: the total, and the interval unless there is only one */
static inline void count(const struct agg *a, struct stats s[2], const struct delta *d)
{
	count_period(&s[AGG_TOTAL], d);
	if (!a->one_period)
		count_period(&s[AGG_INTERVAL], d);
}

/* The VM's command (its VMM's own, once seen) and latest event. */
static void note_vm(struct agg_vm *v, const struct gfn_event *e)
{
	if ((e->flags & EVF_TASK) && !v->comm_final) {
		bool own = (e->flags & EVF_VM_PID) && e->pid == e->vm_pid;

		if (own || !v->comm[0]) {
			memcpy(v->comm, e->comm, sizeof(v->comm));
			v->comm[sizeof(v->comm) - 1] = '\0';
			v->comm_is_vmm = own;
			v->comm_final = own && v->comm[0];
		}
	}
	if (e->ts_ns > v->last_ts)
		v->last_ts = e->ts_ns;
}

/* a ts_ns of 0 is a time like any other (a hand-made trace starts there): have_ts says "none yet" */
static void note_ts(struct agg *a, uint64_t ts)
{
	if (!a->have_ts || ts < a->first_ts)
		a->first_ts = ts;
	if (!a->have_ts || ts > a->last_ts)
		a->last_ts = ts;
	a->have_ts = true;
}

/* a count that cannot wrap: a hostile trace's lost rows of INT64_MAX each stop at UINT64_MAX */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/*
 * An event the kernel has already counted (EVF_AGGREGATED): what it tells
 * beyond the counts — its VM's command, its time, that its VM and row exist —
 * is taken; nothing is counted.
 */
static void agg_note(struct agg *a, const struct gfn_event *e)
{
	int vm = vm_index(a, e);

	note_ts(a, e->ts_ns);
	if (vm < 0)
		return;
	note_vm(&a->vms[vm], e);
	row_index(a, vm, e);
}

/*
 * The kernel's aggregates (sources/kagg.c): what a row gained since the last
 * read, counted as the events it stands for would have been.
 */
void agg_add_counts(struct agg *a, const struct gfn_counts *c)
{
	const struct gfn_agg_key *k = &c->key;
	bool slotted = k->kflags & KAGG_SLOT;
	struct stats *ss[2];
	int vm, row;

	if (!c->ops && !c->timed && c->min_gfn == UINT64_MAX)
		return;
	if (c->ops) {
		note_ts(a, c->ts_ns);
		a->events[AGG_INTERVAL] += c->ops;
		a->events[AGG_TOTAL] += c->ops;
	}
	/* KAGG_TASK: a kernel thread's events, its tgid in vm_pid (bpf/tp.bpf.c) */
	vm = k->kflags & KAGG_TASK ? vm_index_of(a, 0, 0, k->vm_pid) : vm_index_of(a, k->vm_pid, k->vm_id, 0);
	row = vm < 0 ? -1 : row_index_of(a, vm, slotted ? k->as_id : 0, slotted ? k->slot : -1, k->op,
					  k->family);
	if (row < 0) {
		a->overflow[AGG_INTERVAL] += c->ops;
		a->overflow[AGG_TOTAL] += c->ops;
	}
	if (vm < 0)
		return;
	if (c->ops && c->ts_ns > a->vms[vm].last_ts)
		a->vms[vm].last_ts = c->ts_ns;
	ss[0] = a->vms[vm].s;
	ss[1] = row < 0 ? NULL : a->rows[row].s;
	for (int i = 0; i < 2 && ss[i]; i++) {
		for (int p = AGG_TOTAL; p <= (a->one_period ? AGG_TOTAL : AGG_INTERVAL); p++) {
			struct stats *s = &ss[i][p];

			s->ops += c->ops;
			s->pages += c->pages;
			s->errors += c->errors;
			if (c->bucket >= 0 && c->bucket < HIST_BUCKETS) {
				s->timed += c->timed;
				s->hist[c->bucket] += (uint32_t)c->timed;
			}
		}
	}
	if (row >= 0 && c->min_gfn != UINT64_MAX &&
	    (!a->rows[row].has_gfn || c->min_gfn < a->rows[row].min_gfn)) {
		a->rows[row].min_gfn = c->min_gfn;
		a->rows[row].has_gfn = true;
	}
}

void agg_add(struct agg *a, const struct gfn_event *e)
{
	struct delta d = {
		.pages = (e->flags & EVF_NPAGES) ? e->npages : 0,
		.failed = event_failed(e),
		.timed = (e->flags & EVF_DUR) != 0,
		.bucket = (e->flags & EVF_DUR) ? hist_bucket(e->dur_ns) : 0,
	};
	int vm, row;

	if (e->flags & EVF_AGGREGATED) {
		agg_note(a, e);
		return;
	}
	note_ts(a, e->ts_ns);
	if (e->op == OP_LOST) {
		uint64_t n = (e->flags & EVF_RET) && e->ret > 0 ? (uint64_t)e->ret : 0;

		a->lost[AGG_INTERVAL] = sat_add(a->lost[AGG_INTERVAL], n);
		a->lost[AGG_TOTAL] = sat_add(a->lost[AGG_TOTAL], n);
		return;
	}
	a->events[AGG_INTERVAL]++;
	a->events[AGG_TOTAL]++;

	vm = vm_index(a, e);
	if (vm < 0) {
		a->overflow[AGG_INTERVAL]++;
		a->overflow[AGG_TOTAL]++;
		return;
	}
	struct agg_vm *v = &a->vms[vm];

	note_vm(v, e);
	count(a, v->s, &d);

	row = row_index(a, vm, e);
	if (row < 0) {
		a->overflow[AGG_INTERVAL]++;
		a->overflow[AGG_TOTAL]++;
		return;
	}
	count(a, a->rows[row].s, &d);
	if ((e->flags & EVF_GFN) && (!a->rows[row].has_gfn || e->gfn_start < a->rows[row].min_gfn)) {
		a->rows[row].min_gfn = e->gfn_start;
		a->rows[row].has_gfn = true;
	}
}

void agg_reset(struct agg *a)
{
	bool one_period = a->one_period;

	memset(a, 0, sizeof(*a));
	a->one_period = one_period;
}

void agg_interval_reset(struct agg *a)
{
	for (int i = 0; i < a->nvms; i++)
		memset(&a->vms[i].s[AGG_INTERVAL], 0, sizeof(struct stats));
	for (int i = 0; i < a->nrows; i++)
		memset(&a->rows[i].s[AGG_INTERVAL], 0, sizeof(struct stats));
	a->events[AGG_INTERVAL] = 0;
	a->lost[AGG_INTERVAL] = 0;
	a->overflow[AGG_INTERVAL] = 0;
}

/* ---- retirement ---- */

int agg_mark_exited(struct agg *a, bool (*alive)(uint32_t pid), uint64_t now_ns)
{
	int n = 0;

	for (int i = 0; i < a->nvms; i++) {
		struct agg_vm *v = &a->vms[i];
		uint32_t pid = v->kind == AGG_NO_VM ? v->task_pid : v->vm_pid;	/* a kernel thread may end too */

		if (pid && !v->exited_ns && !alive(pid)) {
			v->exited_ns = now_ns ? now_ns : 1;
			n++;
		}
	}
	return n;
}

int agg_exited(const struct agg *a)
{
	int n = 0;

	for (int i = 0; i < a->nvms; i++)
		n += a->vms[i].exited_ns != 0;
	return n;
}

int agg_retire(struct agg *a, uint64_t marked_before,
	       void (*fn)(void *ctx, const struct agg_vm *v), void *ctx)
{
	int16_t to[AGG_MAX_VMS];	/* old VM index -> new, -1: retired */
	int n = 0, nv = 0, nr = 0;

	for (int i = 0; i < a->nvms; i++) {
		const struct agg_vm *v = &a->vms[i];

		if (v->exited_ns && v->exited_ns <= marked_before) {
			if (fn)
				fn(ctx, v);
			to[i] = -1;
			n++;
		} else {
			to[i] = (int16_t)nv++;
		}
	}
	if (!n)
		return 0;
	/* compact both tables in place, keeping the order of what stays */
	for (int i = 0; i < a->nrows; i++) {
		int16_t vm = to[a->rows[i].vm];

		if (vm < 0)
			continue;
		if (nr != i)
			a->rows[nr] = a->rows[i];
		a->rows[nr++].vm = (uint16_t)vm;
	}
	for (int i = 0; i < a->nvms; i++)
		if (to[i] >= 0 && to[i] != i)
			a->vms[to[i]] = a->vms[i];
	memset(&a->vms[nv], 0, (size_t)(a->nvms - nv) * sizeof(a->vms[0]));
	memset(&a->rows[nr], 0, (size_t)(a->nrows - nr) * sizeof(a->rows[0]));
	a->nvms = nv;
	a->nrows = nr;
	agg_reindex(a);
	return n;
}

int agg_vm_entry(struct agg *a, uint8_t kind, uint32_t pid, uint64_t vm_id, bool find_only)
{
	int i;

	/* by identity, not by where an event would go: a snapshot names each entry as it is */
	for (i = 0; i < a->nvms; i++) {
		const struct agg_vm *v = &a->vms[i];

		if (v->kind == kind && (kind == AGG_NO_VM ? v->task_pid == pid : v->vm_pid == pid && v->vm_id == vm_id))
			return i;
	}
	if (find_only || kind > AGG_NO_VM || (kind == AGG_VM && !vm_id))
		return -1;
	i = vm_new(a, kind, kind == AGG_NO_VM ? 0 : pid, kind == AGG_VM ? vm_id : 0, kind == AGG_NO_VM ? pid : 0);
	if (i >= 0)
		agg_reindex(a);	/* rare (a snapshot): the index from the entries, as they are */
	return i;
}

int agg_row_entry(struct agg *a, int vm, uint16_t as_id, int32_t slot, uint8_t op, uint8_t family)
{
	if (vm < 0 || vm >= a->nvms)
		return -1;
	return row_index_of(a, vm, as_id, slot, op, family);
}
