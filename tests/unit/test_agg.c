// SPDX-License-Identifier: GPL-2.0
/* Aggregation: per-VM and per-VM x slot x op counts, latency quantiles, intervals, bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "model/agg.h"
#include "gfntop/kagg.h"
#include "base/names.h"
#include "views/tables.h"

static struct gfn_event ev(uint32_t vm_pid, uint64_t vm_id, int slot, uint8_t op, uint64_t pages,
			   int64_t ret, uint64_t dur)
{
	struct gfn_event e = { .ts_ns = 1000, .vm_pid = vm_pid, .vm_id = vm_id, .op = op,
			       .npages = pages, .ret = ret, .dur_ns = dur, .pid = vm_pid,
			       .flags = EVF_TASK | EVF_NPAGES | EVF_RET };

	if (vm_pid)
		e.flags |= EVF_VM_PID;
	if (vm_id)
		e.flags |= EVF_VM_ID;
	if (slot >= 0) {
		e.slot = (uint16_t)slot;
		e.flags |= EVF_SLOT;
	}
	if (dur)
		e.flags |= EVF_DUR;
	strcpy(e.comm, "qemu");
	return e;
}

static void counts_per_vm_and_slot(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e;

	(void)state;
	for (int i = 0; i < 10; i++) {
		e = ev(100, 0xaa, i % 2, OP_UNMAP, 4, 0, 1000);
		agg_add(a, &e);
	}
	e = ev(100, 0xaa, 1, OP_UNMAP, 4, -5, 1000);	/* one failure */
	agg_add(a, &e);
	e = ev(200, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);	/* another VM, no slot, no duration */
	agg_add(a, &e);

	assert_int_equal(a->nvms, 2);
	assert_int_equal(a->vms[0].vm_pid, 100);
	assert_int_equal(a->vms[0].s[AGG_TOTAL].ops, 11);
	assert_int_equal(a->vms[0].s[AGG_TOTAL].pages, 44);
	assert_int_equal(a->vms[0].s[AGG_TOTAL].errors, 1);
	assert_string_equal(a->vms[0].comm, "qemu");
	assert_int_equal(a->nrows, 3);
	assert_int_equal(a->rows[0].slot, 0);
	assert_int_equal(a->rows[0].s[AGG_TOTAL].ops, 5);
	assert_int_equal(a->rows[1].s[AGG_TOTAL].ops, 6);
	assert_int_equal(a->rows[1].s[AGG_TOTAL].errors, 1);
	assert_int_equal(a->rows[2].slot, -1);
	assert_int_equal(a->vms[1].s[AGG_TOTAL].timed, 0);
	assert_int_equal(stats_quantile(&a->vms[1].s[AGG_TOTAL], 0.5), 0);
	agg_free(a);
}

static void lost_is_counted_not_a_vm(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e = { .ts_ns = 1, .op = OP_LOST, .ret = 42, .flags = EVF_RET };

	(void)state;
	agg_add(a, &e);
	assert_int_equal(a->lost[AGG_TOTAL], 42);
	assert_int_equal(a->lost[AGG_INTERVAL], 42);
	assert_int_equal(a->nvms, 0);
	assert_int_equal(a->events[AGG_TOTAL], 0);
	agg_interval_reset(a);
	assert_int_equal(a->lost[AGG_INTERVAL], 0);
	assert_int_equal(a->lost[AGG_TOTAL], 42);
	agg_free(a);
}

static void quantiles_within_a_quarter(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e;
	uint64_t p50, p99;

	(void)state;
	/* 98 fast ops of 1000 ns and 2 slow ones of 1 ms: p50 ~ 1 us, p99 ~ 1 ms */
	for (int i = 0; i < 100; i++) {
		e = ev(1, 1, 0, OP_UNMAP, 1, 0, i < 98 ? 1000 : 1000000);
		agg_add(a, &e);
	}
	p50 = stats_quantile(&a->vms[0].s[AGG_TOTAL], 0.50);
	p99 = stats_quantile(&a->vms[0].s[AGG_TOTAL], 0.99);
	assert_true(p50 >= 1000 && p50 <= 1250);
	assert_true(p99 >= 1000000 && p99 <= 1250000);
	agg_free(a);
}

static void buckets_are_monotonic_and_cover_values(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 100000; v += 7) {
		unsigned int b = hist_bucket(v);

		assert_true(b < HIST_BUCKETS);
		assert_true(hist_bucket_upper(b) >= v);
		if (b > 0)
			assert_true(hist_bucket_upper(b - 1) < v);
	}
	assert_true(hist_bucket(UINT64_MAX) < HIST_BUCKETS);
	assert_int_equal(hist_bucket_upper(hist_bucket(UINT64_MAX)), UINT64_MAX);
}

static void interval_reset_keeps_totals(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e = ev(7, 7, 0, OP_AGE, 2, 0, 10);

	(void)state;
	agg_add(a, &e);
	agg_interval_reset(a);
	agg_add(a, &e);
	assert_int_equal(a->vms[0].s[AGG_INTERVAL].ops, 1);
	assert_int_equal(a->vms[0].s[AGG_TOTAL].ops, 2);
	assert_int_equal(a->rows[0].s[AGG_INTERVAL].pages, 2);
	assert_int_equal(a->rows[0].s[AGG_TOTAL].pages, 4);
	agg_free(a);
}

static void tables_are_bounded(void **state)
{
	struct agg *a = agg_new();

	(void)state;
	for (uint32_t i = 1; i <= AGG_MAX_VMS + 10; i++) {
		struct gfn_event e = ev(i, 0, 0, OP_UNMAP, 1, 0, 0);

		agg_add(a, &e);
	}
	assert_int_equal(a->nvms, AGG_MAX_VMS);
	assert_int_equal(a->overflow[AGG_TOTAL], 10);
	assert_int_equal(a->events[AGG_TOTAL], AGG_MAX_VMS + 10);
	/* full: events of thousands more VMs, VMMs and tasks add no key to the index (it would fill) */
	for (uint32_t i = 1; i <= 20000; i++) {
		struct gfn_event vm = ev(100000 + i, i, 0, OP_UNMAP, 1, 0, 0);
		struct gfn_event vmm = ev(200000 + i, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);
		struct gfn_event task = ev(0, 0, -1, OP_TP_AGE_HVA, 1, 0, 0);

		task.pid = 300000 + i;
		agg_add(a, &vm);
		agg_add(a, &vmm);
		agg_add(a, &task);
	}
	assert_int_equal(a->nvms, AGG_MAX_VMS);
	assert_int_equal(a->overflow[AGG_TOTAL], 10 + 3 * 20000);
	agg_free(a);
}

struct lines {
	char text[8][256];
	int n;
};

static void keep_line(void *ctx, const char *line)
{
	struct lines *l = ctx;

	if (l->n < 8)
		strcpy(l->text[l->n++], line);
}

static void vm_view_sanitizes_comm(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e = ev(5, 0, 0, OP_UNMAP, 1, 0, 0);
	struct lines l = { 0 };

	(void)state;
	strcpy(e.comm, "ev\x1b]0;pwn\a");
	agg_add(a, &e);
	view_vm_table(a, AGG_TOTAL, 0, keep_line, &l);
	assert_int_equal(l.n, 3);	/* header, the VM, TOTAL */
	assert_non_null(strstr(l.text[0], "VMM_PID"));
	assert_non_null(strstr(l.text[1], "ev?]0;pwn?"));
	assert_null(strchr(l.text[1], '\x1b'));
	agg_free(a);
}

/* a table's lines, all of them */
struct all_lines {
	char text[256][256];
	int n;
};

static void keep_all(void *ctx, const char *line)
{
	struct all_lines *l = ctx;

	assert_true(l->n < 256);
	strcpy(l->text[l->n++], line);
}

static void same_tables(const struct agg *a, enum agg_period pa, const struct agg *b, enum agg_period pb)
{
	static struct all_lines la, lb;

	for (int t = 0; t < 2; t++) {
		la.n = lb.n = 0;
		(t ? view_slot_table : view_vm_table)(a, pa, 0, keep_all, &la);
		(t ? view_slot_table : view_vm_table)(b, pb, 0, keep_all, &lb);
		assert_int_equal(la.n, lb.n);
		for (int i = 0; i < la.n; i++)
			assert_string_equal(la.text[i], lb.text[i]);
	}
}

/*
 * A replay's agg counts the totals only (one_period): its tables, of either
 * period, are those of an agg that counts both and was never reset.
 */
static void one_period_reads_as_both(void **state)
{
	struct agg *both = agg_new(), *one = agg_new();

	(void)state;
	one->one_period = true;
	for (int i = 0; i < 500; i++) {
		uint64_t vm_id = i % 5 ? 0xaa + (uint64_t)(i % 3) : 0;
		struct gfn_event e = ev(100 + i % 3, vm_id, i % 7 - 1, (uint8_t)(1 + i % 4), (uint64_t)i,
					i % 11 ? 0 : -5, (uint64_t)(i * 37 % 5000));

		agg_add(both, &e);
		agg_add(one, &e);
	}
	for (int p = 0; p < 2; p++) {
		same_tables(both, AGG_TOTAL, one, (enum agg_period)p);
		same_tables(both, AGG_INTERVAL, one, (enum agg_period)p);
		assert_int_equal(one->events[p], both->events[p]);
	}
	assert_int_equal(agg_period_of(one, AGG_INTERVAL), AGG_TOTAL);
	assert_int_equal(agg_period_of(both, AGG_INTERVAL), AGG_INTERVAL);
	assert_int_equal(one->vms[0].s[AGG_INTERVAL].ops, 0);	/* not counted */
	agg_free(both);
	agg_free(one);
}

/* the VM x address space x slot x op rows stay apart at the edges of each: the row key is one to one */
static void rows_keyed_apart(void **state)
{
	static const int slots[] = { -1, 0, 1, 255, 256, 65534, 65535 };
	static const uint16_t as_ids[] = { 0, 1, 65535 };
	static const uint8_t ops[] = { 1, OP_TP_UNMAP_HVA, 255 };
	struct agg *a = agg_new();
	int n = 0;

	(void)state;
	for (int round = 0; round < 2; round++) {
		for (uint32_t vm = 1; vm <= 3; vm++)
			for (size_t s = 0; s < 7; s++)
				for (size_t as = 0; as < 3; as++)
					for (size_t o = 0; o < 3; o++) {
						struct gfn_event e = ev(vm, 0, slots[s], ops[o], 1, 0, 0);

						e.as_id = as_ids[as];
						agg_add(a, &e);
						n += !round;
					}
		assert_int_equal(a->nvms, 3);
		/* no slot: one row per VM and op, whatever the as_id */
		assert_int_equal(a->nrows, 3 * (6 * 3 + 1) * 3);
	}
	for (int i = 0; i < a->nrows; i++) {
		const struct agg_row *r = &a->rows[i];

		assert_int_equal(r->s[AGG_TOTAL].ops, r->slot < 0 ? 2 * 3 : 2);
		for (int j = 0; j < i; j++)
			assert_false(a->rows[j].vm == r->vm && a->rows[j].slot == r->slot &&
				     a->rows[j].as_id == r->as_id && a->rows[j].op == r->op);
	}
	assert_int_equal(a->events[AGG_TOTAL], 2 * n);
	agg_free(a);
}


/* The kernel's histogram bucket (include/gfntop/kagg.h, compiled for BPF too) is the model's. */
static void kernel_buckets_are_the_models(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 4096; v++)
		assert_int_equal(gfn_hist_bucket(v), hist_bucket(v));
	for (int p = 2; p < 64; p++)
		for (int d = -3; d <= 3; d++) {
			uint64_t v = (1ULL << p) + (uint64_t)(int64_t)d;

			assert_int_equal(gfn_hist_bucket(v), hist_bucket(v));
			assert_true(gfn_hist_bucket(v) < HIST_BUCKETS);
		}
	assert_int_equal(gfn_hist_bucket(UINT64_MAX), hist_bucket(UINT64_MAX));
}

/*
 * What bpf/kagg.bpf.h does with an event, in the test: its key, and sums per
 * key and per (key, bucket) since the start; `shown` marks keys whose first
 * event crossed the ring buffer.
 */
#define KEYS 1024
struct fake_kernel {
	struct gfn_agg_key key[KEYS];
	struct gfn_agg_val now[KEYS], seen[KEYS];
	uint64_t hist[KEYS][HIST_BUCKETS], hist_seen[KEYS][HIST_BUCKETS];
	int n;
};

static int fake_count(struct fake_kernel *k, const struct gfn_event *e, bool *fresh)
{
	struct gfn_agg_key key = { 0 };
	int i;

	if (e->flags & EVF_VM_ID)
		key.vm_id = e->vm_id;
	if (e->flags & EVF_VM_PID) {
		key.vm_pid = e->vm_pid;
		if (e->pid == e->vm_pid)
			key.kflags |= KAGG_OWN;
	} else if (!(e->flags & EVF_VM_ID)) {	/* a kernel thread's tracepoint event (bpf/tp.bpf.c) */
		key.vm_pid = e->pid;
		key.kflags |= KAGG_TASK;
	}
	if (e->flags & EVF_SLOT) {
		key.slot = e->slot;
		key.as_id = e->as_id;
		key.kflags |= KAGG_SLOT;
	}
	key.op = e->op;
	key.family = e->family;
	for (i = 0; i < k->n && memcmp(&k->key[i], &key, sizeof(key)); i++)
		;
	*fresh = i == k->n;
	if (*fresh) {
		assert_true(k->n < KEYS);
		k->key[k->n] = key;
		k->now[k->n].min_gfn = k->seen[k->n].min_gfn = UINT64_MAX;
		k->n++;
	}
	k->now[i].ops++;
	k->now[i].pages += (e->flags & EVF_NPAGES) ? e->npages : 0;
	k->now[i].errors += event_failed(e);
	if ((e->flags & EVF_GFN) && e->gfn_start < k->now[i].min_gfn)
		k->now[i].min_gfn = e->gfn_start;
	if (e->flags & EVF_DUR)
		k->hist[i][gfn_hist_bucket(e->dur_ns)]++;
	return i;
}

/* what sources/kagg.c hands on at a read */
static void fake_read(struct fake_kernel *k, struct agg *a)
{
	for (int i = 0; i < k->n; i++) {
		struct gfn_counts c = { .key = k->key[i], .bucket = -1, .ts_ns = 2000,
					.ops = k->now[i].ops - k->seen[i].ops,
					.pages = k->now[i].pages - k->seen[i].pages,
					.errors = k->now[i].errors - k->seen[i].errors,
					.min_gfn = k->now[i].min_gfn };

		agg_add_counts(a, &c);
		k->seen[i] = k->now[i];
		for (int b = 0; b < HIST_BUCKETS; b++) {
			if (k->hist[i][b] == k->hist_seen[i][b])
				continue;
			c = (struct gfn_counts){ .key = k->key[i], .bucket = b, .ts_ns = 2000,
						 .min_gfn = UINT64_MAX,
						 .timed = k->hist[i][b] - k->hist_seen[i][b] };
			agg_add_counts(a, &c);
			k->hist_seen[i][b] = k->hist[i][b];
		}
	}
}

/*
 * The same events counted one by one, and counted "in the kernel" (the
 * first of each key and every failure shown with EVF_AGGREGATED, the rest
 * only in the sums read at each interval): the same tables, interval after
 * interval and in total, VM commands included.
 */
static void kernel_counts_are_events(void **state)
{
	static struct fake_kernel k;
	struct agg *direct = agg_new(), *kernel = agg_new();

	(void)state;
	for (int interval = 0; interval < 4; interval++) {
		for (int i = 0; i < 700; i++) {
			int j = interval * 700 + i;
			uint64_t vm_id = j % 5 ? 0xaa + (uint64_t)(j % 3) : 0;
			struct gfn_event e = ev(100 + j % 3, vm_id, j % 7 - 1, (uint8_t)(1 + j % 4),
						(uint64_t)(j % 9), j % 11 ? 0 : -5, (uint64_t)(j * 37 % 50000));
			bool fresh;

			e.family = FAM_MMU;
			if (j % 4) {
				e.gfn_start = (uint64_t)(1000 - j % 500);
				e.flags |= EVF_GFN;
			}
			if (j % 13 == 0) {	/* not the VMM's own thread: the command must not stick */
				e.pid = 7;
				strcpy(e.comm, "kswapd0");
			}
			if (j % 17 == 0) {	/* kernel threads acting for no known VM, each its own */
				e = ev(0, 0, -1, OP_TP_AGE_HVA, 1, 0, 0);
				e.family = FAM_TP;
				e.pid = 7 + (uint32_t)(j % 2);
				strcpy(e.comm, j % 2 ? "kdamond.0" : "kswapd0");
			}
			agg_add(direct, &e);
			fake_count(&k, &e, &fresh);
			if (fresh || event_failed(&e)) {
				e.flags |= EVF_AGGREGATED;
				agg_add(kernel, &e);
			}
		}
		fake_read(&k, kernel);
		same_tables(direct, AGG_INTERVAL, kernel, AGG_INTERVAL);
		same_tables(direct, AGG_TOTAL, kernel, AGG_TOTAL);
		for (int p = 0; p < 2; p++) {
			assert_int_equal(direct->events[p], kernel->events[p]);
			assert_int_equal(direct->overflow[p], kernel->overflow[p]);
		}
		assert_int_equal(direct->nrows, kernel->nrows);
		for (int r = 0; r < direct->nrows; r++)
			for (int q = 0; q < kernel->nrows; q++)
				if (direct->rows[r].vm == kernel->rows[q].vm && direct->rows[r].slot == kernel->rows[q].slot &&
				    direct->rows[r].op == kernel->rows[q].op) {
					assert_int_equal(direct->rows[r].has_gfn, kernel->rows[q].has_gfn);
					assert_int_equal(direct->rows[r].min_gfn, kernel->rows[q].min_gfn);
					assert_memory_equal(direct->rows[r].s[AGG_TOTAL].hist,
							    kernel->rows[q].s[AGG_TOTAL].hist,
							    sizeof(direct->rows[r].s[AGG_TOTAL].hist));
				}
		agg_interval_reset(direct);
		agg_interval_reset(kernel);
	}
	assert_int_equal(direct->first_ts, kernel->first_ts);
	agg_free(direct);
	agg_free(kernel);
}

/* what an event of task `task` in a kernel thread (no VM known) looks like */
static struct gfn_event kthread_ev(uint32_t task, const char *comm)
{
	struct gfn_event e = ev(0, 0, -1, OP_TP_AGE_HVA, 1, 0, 0);

	e.flags &= (uint16_t)~EVF_RET;
	e.pid = task;
	strcpy(e.comm, comm);
	return e;
}

static int vm_of(const struct agg *a, uint32_t pid, uint64_t id)
{
	int found = -1;

	for (int i = 0; i < a->nvms; i++)
		if (a->vms[i].kind != AGG_NO_VM && a->vms[i].vm_pid == pid && a->vms[i].vm_id == id) {
			assert_int_equal(found, -1);	/* never two entries for one identity */
			found = i;
		}
	return found;
}

/* a VMM's tracepoint rows (pid only) and its mmu rows (pid and vm_id) are one VM, in either order */
static void tracepoint_rows_join_their_vm(void **state)
{
	for (int order = 0; order < 2; order++) {
		struct agg *a = agg_new();
		struct gfn_event tp = ev(188, 0, -1, OP_TP_UNMAP_HVA, 4, 0, 0);
		struct gfn_event mmu = ev(188, 0x6c45, 0, OP_UNMAP, 4, 0, 2000);
		int vm;

		(void)state;
		for (int i = 0; i < 3; i++) {
			agg_add(a, order ? &mmu : &tp);
			agg_add(a, order ? &tp : &mmu);
		}
		assert_int_equal(a->nvms, 1);
		vm = vm_of(a, 188, 0x6c45);
		assert_int_equal(vm, 0);
		assert_int_equal(a->vms[vm].kind, AGG_VM);
		assert_int_equal(a->vms[vm].s[AGG_TOTAL].ops, 6);
		assert_int_equal(a->vms[vm].s[AGG_TOTAL].pages, 24);
		assert_int_equal(a->nrows, 2);	/* its rows stay apart: tp_unmap_hva and slot 0 unmap */
		for (int r = 0; r < a->nrows; r++) {
			assert_int_equal(a->rows[r].vm, vm);
			assert_int_equal(a->rows[r].s[AGG_TOTAL].ops, 3);
		}
		agg_free(a);
	}
}

/*
 * A VMM with two VMs: its tracepoint rows go to its only VM while it has one;
 * once a second one shows, they cannot be told apart and go to an entry of
 * the VMM's own (VM_ID unknown). Another VMM stays apart throughout.
 */
static void a_vmm_with_two_vms(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event tp = ev(300, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);
	struct gfn_event vm1 = ev(300, 0x1, 0, OP_UNMAP, 1, 0, 0), vm2 = ev(300, 0x2, 0, OP_UNMAP, 1, 0, 0);
	struct gfn_event other = ev(301, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);
	int vmm;

	(void)state;
	agg_add(a, &vm1);
	agg_add(a, &tp);
	agg_add(a, &other);
	assert_int_equal(a->vms[vm_of(a, 300, 0x1)].s[AGG_TOTAL].ops, 2);
	agg_add(a, &vm2);
	agg_add(a, &tp);
	agg_add(a, &tp);
	assert_int_equal(a->nvms, 4);
	assert_int_equal(a->vms[vm_of(a, 300, 0x1)].s[AGG_TOTAL].ops, 2);
	assert_int_equal(a->vms[vm_of(a, 300, 0x2)].s[AGG_TOTAL].ops, 1);
	vmm = vm_of(a, 300, 0);
	assert_true(vmm >= 0);
	assert_int_equal(a->vms[vmm].kind, AGG_VMM);
	assert_int_equal(a->vms[vmm].s[AGG_TOTAL].ops, 2);
	assert_int_equal(a->vms[vm_of(a, 301, 0)].kind, AGG_VMM);
	assert_int_equal(a->vms[vm_of(a, 301, 0)].s[AGG_TOTAL].ops, 1);

	/* the index built again from the entries leads every event where it led before */
	agg_reindex(a);
	agg_add(a, &tp);
	agg_add(a, &vm1);
	agg_add(a, &vm2);
	agg_add(a, &other);
	assert_int_equal(a->nvms, 4);
	assert_int_equal(a->vms[vmm].s[AGG_TOTAL].ops, 3);
	assert_int_equal(a->vms[vm_of(a, 300, 0x1)].s[AGG_TOTAL].ops, 3);
	assert_int_equal(a->vms[vm_of(a, 300, 0x2)].s[AGG_TOTAL].ops, 2);
	assert_int_equal(a->vms[vm_of(a, 301, 0)].s[AGG_TOTAL].ops, 2);
	agg_free(a);
}

/* kernel threads acting for no known VM: one entry per task, never a VM; their mmu rows are the VM's */
static void kernel_threads_are_not_vms(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event k1 = kthread_ev(192, "kdamond.0"), k2 = kthread_ev(77, "kswapd0");
	struct gfn_event aged = ev(188, 0x6c45, 1, OP_AGE, 2, 0, 1000);	/* the same kdamond, through struct kvm */

	(void)state;
	aged.pid = 192;
	strcpy(aged.comm, "kdamond.0");
	for (int i = 0; i < 5; i++)
		agg_add(a, &k1);
	agg_add(a, &k2);
	agg_add(a, &aged);
	assert_int_equal(a->nvms, 3);
	for (int i = 0; i < 2; i++) {
		const struct agg_vm *v = &a->vms[i];

		assert_int_equal(v->kind, AGG_NO_VM);
		assert_int_equal(v->vm_pid, 0);
		assert_int_equal(v->vm_id, 0);
	}
	assert_int_equal(a->vms[0].task_pid, 192);
	assert_string_equal(a->vms[0].comm, "kdamond.0");
	assert_int_equal(a->vms[0].s[AGG_TOTAL].ops, 5);
	assert_int_equal(a->vms[1].task_pid, 77);
	assert_string_equal(a->vms[1].comm, "kswapd0");
	assert_int_equal(a->vms[2].kind, AGG_VM);
	assert_int_equal(a->vms[2].vm_pid, 188);
	assert_string_equal(a->vms[2].comm, "kdamond.0");	/* until the VMM's own thread is seen */
	agg_reindex(a);
	agg_add(a, &k2);
	assert_int_equal(a->nvms, 3);
	assert_int_equal(a->vms[1].s[AGG_TOTAL].ops, 2);
	agg_free(a);
}

/*
 * An event that names no VM, run by a task that is a known VMM (a PSP command
 * of QEMU, say), is that VMM's, whether the task was seen before its VMM or
 * after; it is not a kernel thread.
 */
static void a_vmms_own_task_is_not_a_kernel_thread(void **state)
{
	for (int order = 0; order < 2; order++) {
		struct agg *a = agg_new();
		struct gfn_event psp = kthread_ev(4000, "qemu-vm0");
		struct gfn_event mmu = ev(4000, 0x6c45, 0, OP_UNMAP, 1, 0, 1000);
		struct gfn_event tp = ev(4000, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);

		(void)state;
		psp.op = OP_PSP_CMD;
		agg_add(a, order ? &mmu : &psp);
		agg_add(a, order ? &psp : &tp);
		agg_add(a, order ? &tp : &mmu);
		agg_add(a, &psp);
		assert_int_equal(a->nvms, 1);
		assert_int_equal(a->vms[0].kind, AGG_VM);
		assert_int_equal(a->vms[0].vm_pid, 4000);
		assert_int_equal(a->vms[0].vm_id, 0x6c45);
		assert_int_equal(a->vms[0].task_pid, 0);
		assert_int_equal(a->vms[0].s[AGG_TOTAL].ops, 4);
		assert_int_equal(agg_find_vm(a, &psp), 0);
		assert_int_equal(agg_find_vm(a, &tp), 0);
		agg_reindex(a);
		agg_add(a, &psp);
		assert_int_equal(a->nvms, 1);
		assert_int_equal(a->vms[0].s[AGG_TOTAL].ops, 5);
		agg_free(a);
	}
}

/* a viewer's tables from a recorder's snapshot: entries named by kind, pid and vm_id, as they are */
static void entries_by_identity(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event k = kthread_ev(192, "kdamond.0"), tp = ev(300, 0, -1, OP_TP_UNMAP_HVA, 1, 0, 0);
	struct gfn_event mmu = ev(188, 0x6c45, 0, OP_UNMAP, 1, 0, 0);
	int kt, vmm, vm;

	(void)state;
	kt = agg_vm_entry(a, AGG_NO_VM, 192, 0, false);
	vmm = agg_vm_entry(a, AGG_VMM, 300, 0, false);
	vm = agg_vm_entry(a, AGG_VM, 188, 0x6c45, false);
	assert_int_equal(a->nvms, 3);
	assert_int_equal(a->vms[kt].task_pid, 192);
	assert_int_equal(a->vms[kt].vm_pid, 0);
	assert_int_equal(agg_vm_entry(a, AGG_NO_VM, 192, 0, true), kt);
	assert_int_equal(agg_vm_entry(a, AGG_VMM, 192, 0, true), -1);	/* not a VMM of that pid */
	assert_int_equal(agg_vm_entry(a, AGG_VM, 188, 0x6c45, true), vm);
	assert_int_equal(agg_vm_entry(a, 7, 188, 0x6c45, false), -1);	/* no such kind */
	/* events go where the snapshot's entries are */
	agg_add(a, &k);
	agg_add(a, &tp);
	agg_add(a, &mmu);
	assert_int_equal(a->nvms, 3);
	assert_int_equal(a->vms[kt].s[AGG_TOTAL].ops, 1);
	assert_int_equal(a->vms[vmm].s[AGG_TOTAL].ops, 1);
	assert_int_equal(a->vms[vm].s[AGG_TOTAL].ops, 1);
	agg_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_per_vm_and_slot),
		cmocka_unit_test(lost_is_counted_not_a_vm),
		cmocka_unit_test(quantiles_within_a_quarter),
		cmocka_unit_test(buckets_are_monotonic_and_cover_values),
		cmocka_unit_test(interval_reset_keeps_totals),
		cmocka_unit_test(tables_are_bounded),
		cmocka_unit_test(vm_view_sanitizes_comm),
		cmocka_unit_test(one_period_reads_as_both),
		cmocka_unit_test(rows_keyed_apart),
		cmocka_unit_test(kernel_buckets_are_the_models),
		cmocka_unit_test(kernel_counts_are_events),
		cmocka_unit_test(tracepoint_rows_join_their_vm),
		cmocka_unit_test(a_vmm_with_two_vms),
		cmocka_unit_test(kernel_threads_are_not_vms),
		cmocka_unit_test(a_vmms_own_task_is_not_a_kernel_thread),
		cmocka_unit_test(entries_by_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
