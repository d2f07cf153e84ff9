// SPDX-License-Identifier: GPL-2.0
/* The text tables shared by batch mode and the TUI. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "views/tables.h"
#include "model/launch.h"
#include "base/names.h"
#include "base/sanitize.h"

char *fmt_duration(char *buf, size_t len, uint64_t ns)
{
	if (!ns)
		snprintf(buf, len, "-");
	else if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", (double)ns / 1e9);
	return buf;
}

/* VMM pid, VM_ID: "-" when unknown; a kernel thread's row shows its own pid */
static void vm_label(const struct agg_vm *v, char *pid, size_t plen, char *id, size_t ilen)
{
	uint32_t shown = v->kind == AGG_NO_VM ? v->task_pid : v->vm_pid;

	if (shown)
		snprintf(pid, plen, "%" PRIu32, shown);
	else
		snprintf(pid, plen, "-");
	if (v->vm_id)
		snprintf(id, ilen, "%016" PRIx64, v->vm_id);
	else
		snprintf(id, ilen, "-");
}

/* VMs in a stable order: VMs (and VMMs) before kernel threads, then by pid, then vm_id */
static int cmp_vm(const void *x, const void *y, const struct agg *a)
{
	const struct agg_vm *v = &a->vms[*(const int *)x], *w = &a->vms[*(const int *)y];
	bool kv = v->kind == AGG_NO_VM, kw = w->kind == AGG_NO_VM;
	uint32_t pv = kv ? v->task_pid : v->vm_pid, pw = kw ? w->task_pid : w->vm_pid;

	if (kv != kw)
		return kv ? 1 : -1;
	if (pv != pw)
		return pv < pw ? -1 : 1;
	return v->vm_id < w->vm_id ? -1 : v->vm_id > w->vm_id;
}

static const struct agg *sort_agg;	/* qsort has no context argument */

static int cmp_vm_q(const void *x, const void *y)
{
	return cmp_vm(x, y, sort_agg);
}

static int cmp_row_q(const void *x, const void *y)
{
	const struct agg_row *r = &sort_agg->rows[*(const int *)x], *s = &sort_agg->rows[*(const int *)y];
	int vx = r->vm, vy = s->vm;
	int c = cmp_vm(&vx, &vy, sort_agg);

	if (c)
		return c;
	if (r->as_id != s->as_id)
		return r->as_id < s->as_id ? -1 : 1;
	if (r->slot != s->slot)
		return r->slot < s->slot ? -1 : 1;
	return (int)r->op - (int)s->op;
}

/* ops, pages, errors (as counts, or per second over rate_secs when it is > 0), p50, p99 */
static void stats_cells(const struct stats *s, double rate_secs, char *buf, size_t len)
{
	char p50[16], p99[16];

	if (rate_secs > 0)
		snprintf(buf, len, "%10.1f %10.1f %7.1f", (double)s->ops / rate_secs, (double)s->pages / rate_secs,
			 (double)s->errors / rate_secs);
	else
		snprintf(buf, len, "%10" PRIu64 " %10" PRIu64 " %7" PRIu64, s->ops, s->pages, s->errors);
	snprintf(buf + strlen(buf), len - strlen(buf), " %8s %8s",
		 fmt_duration(p50, sizeof(p50), stats_quantile(s, 0.50)),
		 fmt_duration(p99, sizeof(p99), stats_quantile(s, 0.99)));
}

void stats_sum(struct stats *sum, const struct stats *s)
{
	sum->ops += s->ops;
	sum->pages += s->pages;
	sum->errors += s->errors;
	sum->timed += s->timed;
	for (int b = 0; b < HIST_BUCKETS; b++)
		sum->hist[b] += s->hist[b];
}

/* the entries a table shows, in order; an interval's table leaves out those idle in it */
static int table_order(const struct agg *a, enum agg_period p, int *order)
{
	int n = 0;

	for (int i = 0; i < a->nvms; i++)
		if (p != AGG_INTERVAL || a->vms[i].s[agg_period_of(a, p)].ops)
			order[n++] = i;
	sort_agg = a;
	qsort(order, (size_t)n, sizeof(int), cmp_vm_q);
	return n;
}

void view_vm_table(const struct agg *a, enum agg_period p, double rate_secs, line_fn fn, void *ctx)
{
	static struct stats total;
	int order[AGG_MAX_VMS], n = table_order(a, p, order);
	char line[256], cells[96], pid[16], id[20], comm[GFN_COMM_LEN * 4];
	bool rates = rate_secs > 0, group = false;

	snprintf(line, sizeof(line), "%8s %-16s %-16s %10s %10s %7s %8s %8s", "VMM_PID", "COMM", "VM_ID",
		 rates ? "OPS/S" : "OPS", rates ? "PAGES/S" : "PAGES", rates ? "ERRS/S" : "ERRORS", "P50", "P99");
	fn(ctx, line);
	memset(&total, 0, sizeof(total));
	for (int k = 0; k < n; k++) {
		const struct agg_vm *v = &a->vms[order[k]];
		const struct stats *st = &v->s[agg_period_of(a, p)];

		if (v->kind == AGG_NO_VM && !group) {
			fn(ctx, VIEW_NO_VM_GROUP);
			group = true;
		}
		vm_label(v, pid, sizeof(pid), id, sizeof(id));
		sanitize_term(comm, sizeof(comm), v->comm[0] ? v->comm : "-", sizeof(v->comm));
		stats_cells(st, rate_secs, cells, sizeof(cells));
		snprintf(line, sizeof(line), "%8s %-16s %-16s %s", pid, comm, id, cells);
		fn(ctx, line);
		stats_sum(&total, st);
	}
	if (n) {
		stats_cells(&total, rate_secs, cells, sizeof(cells));
		snprintf(line, sizeof(line), "%8s %-16s %-16s %s", "TOTAL", "", "", cells);
		fn(ctx, line);
	}
}

void view_slot_table(const struct agg *a, enum agg_period p, double rate_secs, line_fn fn, void *ctx)
{
	static int order[AGG_MAX_ROWS];
	char line[256], cells[96], pid[16], id[20], slot[16], as[8];
	bool rates = rate_secs > 0, group = false;
	int n = 0;

	for (int i = 0; i < a->nrows; i++)
		if (p != AGG_INTERVAL || a->rows[i].s[agg_period_of(a, p)].ops)
			order[n++] = i;
	sort_agg = a;
	qsort(order, (size_t)n, sizeof(int), cmp_row_q);

	snprintf(line, sizeof(line), "%8s %-16s %3s %5s %-16s %10s %10s %7s %8s %8s", "VMM_PID", "VM_ID",
		 "AS", "SLOT", "OP", rates ? "OPS/S" : "OPS", rates ? "PAGES/S" : "PAGES", rates ? "ERRS/S" : "ERRORS",
		 "P50", "P99");
	fn(ctx, line);
	for (int k = 0; k < n; k++) {
		const struct agg_row *r = &a->rows[order[k]];
		const struct stats *st = &r->s[agg_period_of(a, p)];

		if (a->vms[r->vm].kind == AGG_NO_VM && !group) {
			fn(ctx, VIEW_NO_VM_GROUP);
			group = true;
		}
		vm_label(&a->vms[r->vm], pid, sizeof(pid), id, sizeof(id));
		if (r->slot >= 0) {
			snprintf(slot, sizeof(slot), "%d", r->slot);
			snprintf(as, sizeof(as), "%u", r->as_id);
		} else {
			snprintf(slot, sizeof(slot), "-");
			snprintf(as, sizeof(as), "-");
		}
		stats_cells(st, rate_secs, cells, sizeof(cells));
		snprintf(line, sizeof(line), "%8s %-16s %3s %5s %-16s %s", pid, id, as, slot, op_name(r->op), cells);
		fn(ctx, line);
	}
}

void view_launch_table(const struct launch_table *t, line_fn fn, void *ctx)
{
	char line[512], state[320], pid[16], id[20];

	if (!t || !t->n)
		return;
	snprintf(line, sizeof(line), "%8s %-16s %s", "VMM_PID", "VM_ID", "SNP LAUNCH");
	fn(ctx, line);
	for (int i = 0; i < t->n; i++) {
		const struct launch *l = &t->vms[i];
		struct agg_vm v = { .kind = AGG_VM, .vm_pid = l->vm_pid, .vm_id = l->vm_id };

		vm_label(&v, pid, sizeof(pid), id, sizeof(id));
		launch_state_line(l, state, sizeof(state));
		snprintf(line, sizeof(line), "%8s %-16s %s", pid, id, state);
		fn(ctx, line);
		if (l->state == LAUNCH_FAILED || l->state == LAUNCH_ABORTED) {
			snprintf(line, sizeof(line), "%8s %-16s cause: %s", "", "", l->cause);
			fn(ctx, line);
		}
	}
}
