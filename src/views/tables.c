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

static void vm_label(const struct agg_vm *v, char *pid, size_t plen, char *id, size_t ilen)
{
	if (v->vm_pid)
		snprintf(pid, plen, "%" PRIu32, v->vm_pid);
	else
		snprintf(pid, plen, "-");
	if (v->vm_id)
		snprintf(id, ilen, "%016" PRIx64, v->vm_id);
	else
		snprintf(id, ilen, "-");
}

/* VMs in a stable order: by VMM pid, then vm_id */
static int cmp_vm(const void *x, const void *y, const struct agg *a)
{
	const struct agg_vm *v = &a->vms[*(const int *)x], *w = &a->vms[*(const int *)y];

	if (v->vm_pid != w->vm_pid)
		return v->vm_pid < w->vm_pid ? -1 : 1;
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

static void stats_cells(const struct stats *s, char *buf, size_t len)
{
	char p50[16], p99[16];

	snprintf(buf, len, "%10" PRIu64 " %10" PRIu64 " %7" PRIu64 " %8s %8s", s->ops, s->pages, s->errors,
		 fmt_duration(p50, sizeof(p50), stats_quantile(s, 0.50)),
		 fmt_duration(p99, sizeof(p99), stats_quantile(s, 0.99)));
}

void view_vm_table(const struct agg *a, enum agg_period p, line_fn fn, void *ctx)
{
	int order[AGG_MAX_VMS];
	char line[256], cells[96], pid[16], id[20], comm[GFN_COMM_LEN * 4];

	for (int i = 0; i < a->nvms; i++)
		order[i] = i;
	sort_agg = a;
	qsort(order, (size_t)a->nvms, sizeof(int), cmp_vm_q);

	snprintf(line, sizeof(line), "%8s %-16s %-16s %10s %10s %7s %8s %8s", "VMM_PID", "COMM", "VM_ID",
		 "OPS", "PAGES", "ERRORS", "P50", "P99");
	fn(ctx, line);
	for (int k = 0; k < a->nvms; k++) {
		const struct agg_vm *v = &a->vms[order[k]];
		const struct stats *st = &v->s[agg_period_of(a, p)];

		if (p == AGG_INTERVAL && !st->ops)
			continue;
		vm_label(v, pid, sizeof(pid), id, sizeof(id));
		sanitize_term(comm, sizeof(comm), v->comm[0] ? v->comm : "-", sizeof(v->comm));
		stats_cells(st, cells, sizeof(cells));
		snprintf(line, sizeof(line), "%8s %-16s %-16s %s", pid, comm, id, cells);
		fn(ctx, line);
	}
}

void view_slot_table(const struct agg *a, enum agg_period p, line_fn fn, void *ctx)
{
	static int order[AGG_MAX_ROWS];
	char line[256], cells[96], pid[16], id[20], slot[16], as[8];

	for (int i = 0; i < a->nrows; i++)
		order[i] = i;
	sort_agg = a;
	qsort(order, (size_t)a->nrows, sizeof(int), cmp_row_q);

	snprintf(line, sizeof(line), "%8s %-16s %3s %5s %-16s %10s %10s %7s %8s %8s", "VMM_PID", "VM_ID",
		 "AS", "SLOT", "OP", "OPS", "PAGES", "ERRORS", "P50", "P99");
	fn(ctx, line);
	for (int k = 0; k < a->nrows; k++) {
		const struct agg_row *r = &a->rows[order[k]];
		const struct stats *st = &r->s[agg_period_of(a, p)];

		if (p == AGG_INTERVAL && !st->ops)
			continue;
		vm_label(&a->vms[r->vm], pid, sizeof(pid), id, sizeof(id));
		if (r->slot >= 0) {
			snprintf(slot, sizeof(slot), "%d", r->slot);
			snprintf(as, sizeof(as), "%u", r->as_id);
		} else {
			snprintf(slot, sizeof(slot), "-");
			snprintf(as, sizeof(as), "-");
		}
		stats_cells(st, cells, sizeof(cells));
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
		struct agg_vm v = { .vm_pid = l->vm_pid, .vm_id = l->vm_id };

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
