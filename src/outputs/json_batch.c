// SPDX-License-Identifier: GPL-2.0
/*
 * The batch tables as JSON: the same VMs, launches and VM x slot x op rows,
 * in the same order, as views/tables.c prints them, one object per line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "outputs/json.h"
#include "outputs/textbuf.h"
#include "base/names.h"
#include "model/launch.h"

/* ---- members ---- */

static void key(struct textbuf *tb, const char *k)
{
	if (tb->len && tb->p[tb->len - 1] != '{' && tb->p[tb->len - 1] != '[')
		tb_putc(tb, ',');
	tb_json_string(tb, k, strlen(k));
	tb_putc(tb, ':');
}

static void member_u64(struct textbuf *tb, const char *k, uint64_t v)
{
	key(tb, k);
	tb_u64(tb, v);
}

static void member_str(struct textbuf *tb, const char *k, const char *v, size_t max)
{
	key(tb, k);
	if (v)
		tb_json_string(tb, v, max);
	else
		tb_puts(tb, "null");
}

static void member_null(struct textbuf *tb, const char *k)
{
	key(tb, k);
	tb_puts(tb, "null");
}

/* a value that may be unknown: null when `known` is false */
static void member_opt(struct textbuf *tb, const char *k, bool known, uint64_t v)
{
	if (known)
		member_u64(tb, k, v);
	else
		member_null(tb, k);
}

static void member_seconds(struct textbuf *tb, const char *k, double s)
{
	key(tb, k);
	tb_printf(tb, "%.6f", s);
}

static void open_item(struct textbuf *tb, bool *first)
{
	if (!*first)
		tb_putc(tb, ',');
	*first = false;
	tb_putc(tb, '{');
}

/* ---- the same orders as the text tables ---- */

static const struct agg *sort_agg;	/* qsort has no context argument */

static int cmp_vm_index(int x, int y)
{
	const struct agg_vm *v = &sort_agg->vms[x], *w = &sort_agg->vms[y];

	if (v->vm_pid != w->vm_pid)
		return v->vm_pid < w->vm_pid ? -1 : 1;
	return v->vm_id < w->vm_id ? -1 : v->vm_id > w->vm_id;
}

static int cmp_vm(const void *x, const void *y)
{
	return cmp_vm_index(*(const int *)x, *(const int *)y);
}

static int cmp_row(const void *x, const void *y)
{
	const struct agg_row *r = &sort_agg->rows[*(const int *)x], *s = &sort_agg->rows[*(const int *)y];
	int c = cmp_vm_index(r->vm, s->vm);

	if (c)
		return c;
	if (r->as_id != s->as_id)
		return r->as_id < s->as_id ? -1 : 1;
	if (r->slot != s->slot)
		return r->slot < s->slot ? -1 : 1;
	return (int)r->op - (int)s->op;
}

/* ---- the tables ---- */

static void vm_id_member(struct textbuf *tb, uint64_t id)
{
	char hex[20];

	if (!id) {
		member_null(tb, "vm_id");
		return;
	}
	snprintf(hex, sizeof(hex), "%016" PRIx64, id);
	member_str(tb, "vm_id", hex, sizeof(hex));
}

static void stats_members(struct textbuf *tb, const struct stats *s)
{
	member_u64(tb, "ops", s->ops);
	member_u64(tb, "pages", s->pages);
	member_u64(tb, "errors", s->errors);
	member_u64(tb, "timed", s->timed);
	member_opt(tb, "p50_ns", s->timed, stats_quantile(s, 0.50));
	member_opt(tb, "p99_ns", s->timed, stats_quantile(s, 0.99));
}

static void vms(struct textbuf *tb, const struct agg *a, enum agg_period p)
{
	static int order[AGG_MAX_VMS];
	bool first = true;

	for (int i = 0; i < a->nvms; i++)
		order[i] = i;
	sort_agg = a;
	qsort(order, (size_t)a->nvms, sizeof(int), cmp_vm);
	key(tb, "vms");
	tb_putc(tb, '[');
	for (int k = 0; k < a->nvms; k++) {
		const struct agg_vm *v = &a->vms[order[k]];
		const struct stats *st = &v->s[agg_period_of(a, p)];

		if (p == AGG_INTERVAL && !st->ops)
			continue;
		open_item(tb, &first);
		member_opt(tb, "vm_pid", v->vm_pid, v->vm_pid);
		member_str(tb, "comm", v->comm[0] ? v->comm : NULL, sizeof(v->comm));
		vm_id_member(tb, v->vm_id);
		/* a kernel thread acting for no known VM (model/agg.h AGG_NO_VM): its own pid */
		member_opt(tb, "task_pid", v->kind == AGG_NO_VM && v->task_pid, v->task_pid);
		stats_members(tb, st);
		tb_putc(tb, '}');
	}
	tb_putc(tb, ']');
}

static void slots(struct textbuf *tb, const struct agg *a, enum agg_period p)
{
	static int order[AGG_MAX_ROWS];
	bool first = true;
	char gfn[24];

	for (int i = 0; i < a->nrows; i++)
		order[i] = i;
	sort_agg = a;
	qsort(order, (size_t)a->nrows, sizeof(int), cmp_row);
	key(tb, "slots");
	tb_putc(tb, '[');
	for (int k = 0; k < a->nrows; k++) {
		const struct agg_row *r = &a->rows[order[k]];
		const struct agg_vm *v = &a->vms[r->vm];
		const struct stats *st = &r->s[agg_period_of(a, p)];

		if (p == AGG_INTERVAL && !st->ops)
			continue;
		open_item(tb, &first);
		member_opt(tb, "vm_pid", v->vm_pid, v->vm_pid);
		vm_id_member(tb, v->vm_id);
		member_opt(tb, "task_pid", v->kind == AGG_NO_VM && v->task_pid, v->task_pid);
		member_opt(tb, "as_id", r->slot >= 0, r->as_id);
		member_opt(tb, "slot", r->slot >= 0, (uint64_t)r->slot);
		member_str(tb, "family", family_name(r->family), 32);
		member_str(tb, "op", op_name(r->op), 32);
		snprintf(gfn, sizeof(gfn), "0x%" PRIx64, r->min_gfn);
		member_str(tb, "base_gfn", r->has_gfn ? gfn : NULL, sizeof(gfn));
		stats_members(tb, st);
		tb_putc(tb, '}');
	}
	tb_putc(tb, ']');
}

static void launches(struct textbuf *tb, const struct launch_table *t)
{
	bool first = true;

	key(tb, "launches");
	tb_putc(tb, '[');
	for (int i = 0; t && i < t->n; i++) {
		const struct launch *l = &t->vms[i];
		bool ended_badly = l->state == LAUNCH_FAILED || l->state == LAUNCH_ABORTED;
		char line[320];
		uint64_t pages = 0;

		for (int k = 0; k < LAUNCH_PAGE_TYPES; k++)
			pages += l->by_type[k].pages;
		launch_state_line(l, line, sizeof(line));
		open_item(tb, &first);
		member_opt(tb, "vm_pid", l->vm_pid, l->vm_pid);
		vm_id_member(tb, l->vm_id);
		member_str(tb, "state", launch_state_name(l->state), 16);
		member_str(tb, "description", line, sizeof(line));
		member_str(tb, "cause", ended_badly ? l->cause : NULL, sizeof(l->cause));
		member_u64(tb, "pages", pages);
		member_u64(tb, "update_calls", l->update_calls);
		tb_putc(tb, '}');
	}
	tb_putc(tb, ']');
}

static void counts(struct textbuf *tb, const struct agg *a, enum agg_period p)
{
	member_u64(tb, "events", a->events[p]);
	member_u64(tb, "lost", a->lost[p]);
	member_u64(tb, "overflow", a->overflow[p]);
}

static void emit(FILE *out, struct textbuf *tb)
{
	tb_puts(tb, "}\n");
	if (tb->failed) {
		fputs("{\"type\":\"error\",\"error\":\"out of memory\"}\n", out);
	} else {
		fwrite(tb->p, 1, tb->len, out);
	}
	fflush(out);
	tb_free(tb);
}

static void head(struct textbuf *tb, const char *type)
{
	tb_putc(tb, '{');
	member_str(tb, "type", type, 16);
	member_u64(tb, "schema", JSON_SCHEMA_VERSION);
}

void json_interval(FILE *out, const struct agg *a, const struct launch_table *l, unsigned long n, double secs)
{
	struct textbuf tb = { 0 };
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	head(&tb, "interval");
	member_u64(&tb, "interval", n);
	member_str(&tb, "time", when, sizeof(when));
	member_seconds(&tb, "seconds", secs);
	counts(&tb, a, AGG_INTERVAL);
	vms(&tb, a, AGG_INTERVAL);
	launches(&tb, l);
	slots(&tb, a, AGG_INTERVAL);
	emit(out, &tb);
}

void json_summary(FILE *out, const struct agg *a, const struct launch_table *l, const char *source,
		  const char *trace, const char *probes)
{
	struct textbuf tb = { 0 };

	head(&tb, "summary");
	member_str(&tb, "source", source, 16);
	member_str(&tb, "trace", trace, 4096);
	counts(&tb, a, AGG_TOTAL);
	member_opt(&tb, "first_ts_ns", a->have_ts, a->first_ts);
	member_opt(&tb, "last_ts_ns", a->have_ts, a->last_ts);
	member_seconds(&tb, "span_seconds", a->last_ts > a->first_ts ? (double)(a->last_ts - a->first_ts) / 1e9 : 0);
	member_str(&tb, "probes", probes && *probes ? probes : NULL, 512);
	vms(&tb, a, AGG_TOTAL);
	launches(&tb, l);
	slots(&tb, a, AGG_TOTAL);
	emit(out, &tb);
}
