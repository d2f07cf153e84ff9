// SPDX-License-Identifier: GPL-2.0
/*
 * The TUI's views as pure functions of (state, data) → lines. Every string
 * that came from the kernel or a trace goes through sanitize_term() here.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "views/tui/internal.h"
#include "base/decode.h"
#include "base/names.h"
#include "base/sanitize.h"
#include "views/tables.h"

void tui_state_init(struct tui_state *s, double delay)
{
	memset(s, 0, sizeof(*s));
	s->view = TV_VMS;
	s->sort_col = 3;	/* ops */
	s->delay = delay;
	s->sel_slot = -1;
}

/* ---- lists shared with the key actions ---- */

static const struct tui_state *sort_state;
static const struct tui_data *sort_data;

/*
 * The counters a view reads: the sort's follow the 'c' key, the tables' show
 * a replay's totals. A replay's agg may count only the totals (agg_period_of()).
 */
static enum agg_period period(const struct tui_state *s, const struct tui_data *d)
{
	return agg_period_of(d->agg, s->cumulative ? AGG_TOTAL : AGG_INTERVAL);
}

static enum agg_period shown(const struct tui_state *s, const struct tui_data *d)
{
	return agg_period_of(d->agg, s->cumulative || d->replay ? AGG_TOTAL : AGG_INTERVAL);
}

/* the VM table's sortable columns: pid, comm, launch, ops, pages, errors, p99 */
static int cmp_vm(const void *x, const void *y)
{
	const struct agg_vm *a = &sort_data->agg->vms[*(const int *)x], *b = &sort_data->agg->vms[*(const int *)y];
	enum agg_period p = period(sort_state, sort_data);
	const struct stats *sa = &a->s[p], *sb = &b->s[p];
	int c = 0;

	switch (sort_state->sort_col) {
	case 0: c = (a->vm_pid > b->vm_pid) - (a->vm_pid < b->vm_pid); break;
	case 1: c = strcmp(a->comm, b->comm); break;
	case 2: c = (a->vm_id > b->vm_id) - (a->vm_id < b->vm_id); break;
	case 3: c = (sa->ops < sb->ops) - (sa->ops > sb->ops); break;	/* biggest first */
	case 4: c = (sa->pages < sb->pages) - (sa->pages > sb->pages); break;
	case 5: c = (sa->errors < sb->errors) - (sa->errors > sb->errors); break;
	default: {
		uint64_t pa = stats_quantile(sa, 0.99), pb = stats_quantile(sb, 0.99);

		c = (pa < pb) - (pa > pb);
	}
	}
	if (!c)	/* stable: by pid, then vm_id */
		c = a->vm_pid != b->vm_pid ? (a->vm_pid > b->vm_pid) - (a->vm_pid < b->vm_pid) :
		    (a->vm_id > b->vm_id) - (a->vm_id < b->vm_id);
	return sort_state->invert ? -c : c;
}

int tui_vm_list(const struct tui_state *s, const struct tui_data *d, int *idx, int max)
{
	int n = 0;

	for (int i = 0; i < d->agg->nvms && n < max; i++) {
		const struct agg_vm *v = &d->agg->vms[i];
		char pid[16];

		if (s->pid_filter && v->vm_pid != s->pid_filter)
			continue;
		snprintf(pid, sizeof(pid), "%" PRIu32, v->vm_pid);
		if (s->filter[0] && !strstr(v->comm, s->filter) && !strstr(pid, s->filter))
			continue;
		idx[n++] = i;
	}
	sort_state = s;
	sort_data = d;
	qsort(idx, (size_t)n, sizeof(int), cmp_vm);
	return n;
}

bool tui_vm_selected(const struct tui_state *s, const struct agg_vm *v)
{
	return s->sel_valid && v->vm_pid == s->sel_pid && v->vm_id == s->sel_vmid && v->kind == s->sel_kind &&
	       v->task_pid == s->sel_task;
}

void tui_vm_select(struct tui_state *s, const struct agg_vm *v)
{
	s->sel_pid = v->vm_pid;
	s->sel_vmid = v->vm_id;
	s->sel_kind = v->kind;
	s->sel_task = v->task_pid;
	s->sel_valid = true;
}

int tui_vm_index(const struct tui_state *s, const struct tui_data *d)
{
	for (int i = 0; i < d->agg->nvms; i++)
		if (tui_vm_selected(s, &d->agg->vms[i]))
			return i;
	return -1;
}

int tui_slot_list(const struct tui_state *s, const struct tui_data *d, int *idx, int max)
{
	int vm = tui_vm_index(s, d), n = 0;

	for (int i = 0; i < d->agg->nrows && n < max; i++)
		if (d->agg->rows[i].vm == vm)
			idx[n++] = i;
	/* by as, slot, op: a stable order for the eye */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			const struct agg_row *a = &d->agg->rows[idx[j - 1]], *b = &d->agg->rows[idx[j]];
			/* slot -1 ("no memslot") sorts first: shift slot + 1, never a negative value */
			uint64_t ka = ((uint64_t)a->as_id << 40) | ((uint64_t)(uint32_t)(a->slot + 1) << 8) | a->op;
			uint64_t kb = ((uint64_t)b->as_id << 40) | ((uint64_t)(uint32_t)(b->slot + 1) << 8) | b->op;
			int t;

			if (ka <= kb)
				break;
			t = idx[j], idx[j] = idx[j - 1], idx[j - 1] = t;
		}
	return n;
}

int tui_event_list(const struct tui_state *s, const struct tui_data *d, const struct gfn_event **out, int max)
{
	int n = 0, vm = tui_vm_index(s, d);

	for (unsigned long long i = 0; n < max; i++) {
		const struct gfn_event *e = s->view == TV_ERRORS ? recent_failure(d->recent, i) :
					    recent_event(d->recent, i);

		if (!e)
			break;
		if (s->view == TV_EVENTS) {
			int32_t slot = (e->flags & EVF_SLOT) ? e->slot : -1;

			if (agg_find_vm(d->agg, e) != vm || slot != s->sel_slot || e->op != s->sel_op)
				continue;
		}
		out[n++] = e;
	}
	return n;
}

/* ---- lines ---- */

static void add(struct tui_screen *o, unsigned char attr, const char *fmt, ...)
{
	va_list ap;

	if (o->n >= TUI_MAX_LINES || o->n >= o->rows)
		return;
	va_start(ap, fmt);
	vsnprintf(o->line[o->n].text, TUI_LINE_BYTES, fmt, ap);
	va_end(ap);
	o->line[o->n++].attr = attr;
}

static const char *view_names[] = {
	[TV_VMS] = "VMs", [TV_SLOTS] = "memslots", [TV_EVENTS] = "events", [TV_ERRORS] = "errors",
	[TV_HIST] = "latency histogram", [TV_LAUNCHES] = "SNP launches", [TV_HELP] = "help",
};

static void header(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	char size[32] = "";

	if (d->trace)
		snprintf(size, sizeof(size), " (%.1f KiB)", (double)d->trace_bytes / 1024);
	add(o, TA_TITLE, "gfntop - %s - kernel %s - %s%s", view_names[s->view], d->kernel ? d->kernel : "?",
	    d->replay ? "REPLAY" : s->frozen ? "FROZEN (recording continues)" : "RUNNING",
	    s->cumulative ? ", cumulative" : "");
	static const char *const sort_names[TUI_SORT_COLUMNS] = {
		"VMM_PID", "COMM", "VM_ID", "OPS", "PAGES", "ERRORS", "P99",
	};
	char safe_filter[sizeof(s->filter) * 4];

	sanitize_term(safe_filter, sizeof(safe_filter), s->filter, sizeof(s->filter));
	add(o, TA_STATUS, "probes %s | %.0f ev/s | lost %" PRIu64 " | trace %s%s | sort: %s%s%s%s%s",
	    d->probes && *d->probes ? d->probes : "-", d->events_per_s, d->agg->lost[AGG_TOTAL],
	    d->trace ? d->trace : "-", size, sort_names[s->sort_col], s->invert ? " (inverted)" : "",
	    s->pid_filter ? " | pid filter on" : "", s->filter[0] ? " | filter: " : "", safe_filter);
}

static void vms(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	static int idx[AGG_MAX_VMS];
	int n = tui_vm_list(s, d, idx, AGG_MAX_VMS);
	int launch_w = o->cols - 69 > 8 ? o->cols - 69 : 8;
	bool rates = !s->cumulative && !d->replay;

	add(o, TA_HEADER, "%7s %-15s %-*s %9s %10s %6s %7s %7s", "VMM_PID", "COMM", launch_w, "LAUNCH",
	    rates ? "OPS/S" : "OPS", rates ? "PAGES/S" : "PAGES", "ERRORS", "P50", "P99");
	if (!n)
		add(o, TA_NORMAL, "  (no VM seen yet%s)", s->filter[0] || s->pid_filter ? " that matches the filter" : "");
	for (int k = 0; k < n; k++) {
		const struct agg_vm *v = &d->agg->vms[idx[k]];
		const struct stats *st = &v->s[shown(s, d)];
		char comm[64], launch[320] = "-", p50[16], p99[16], pid[16];
		double div = rates && s->delay > 0 ? s->delay : 1;
		bool sel = tui_vm_selected(s, v);

		for (int i = 0; d->launches && i < d->launches->n; i++)
			if (d->launches->vms[i].vm_pid == v->vm_pid && d->launches->vms[i].vm_id == v->vm_id)
				launch_state_line(&d->launches->vms[i], launch, sizeof(launch));
		sanitize_term(comm, sizeof(comm), v->comm[0] ? v->comm : "-", sizeof(v->comm));
		snprintf(pid, sizeof(pid), v->vm_pid ? "%" PRIu32 : "-", v->vm_pid);
		add(o, sel ? TA_SELECTED : st->errors ? TA_ERROR : TA_NORMAL,
		    "%7s %-15.15s %-*.*s %9.0f %10.0f %6" PRIu64 " %7s %7s", pid, comm, launch_w, launch_w, launch,
		    (double)st->ops / div, (double)st->pages / div, st->errors,
		    fmt_duration(p50, sizeof(p50), stats_quantile(st, 0.5)),
		    fmt_duration(p99, sizeof(p99), stats_quantile(st, 0.99)));
	}
}

static void slots(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	static int idx[AGG_MAX_ROWS];
	int n = tui_slot_list(s, d, idx, AGG_MAX_ROWS);

	add(o, TA_HEADER, "VM %" PRIu32 " %016" PRIx64 " - Enter: recent events of the slot, Esc: back",
	    s->sel_pid, s->sel_vmid);
	add(o, TA_HEADER, "%4s %5s %-16s %-12s %10s %10s %6s %7s %7s", "AS", "SLOT", "OP", "BASE GFN", "OPS", "PAGES",
	    "ERRORS", "P50", "P99");
	for (int k = 0; k < n; k++) {
		const struct agg_row *r = &d->agg->rows[idx[k]];
		const struct stats *st = &r->s[shown(s, d)];
		char slot[12] = "-", as[8] = "-", base[24] = "-", p50[16], p99[16];
		bool sel = r->slot == s->sel_slot && r->as_id == s->sel_as && r->op == s->sel_op;

		if (r->slot >= 0) {
			snprintf(slot, sizeof(slot), "%d", r->slot);
			snprintf(as, sizeof(as), "%u", r->as_id);
		}
		if (r->has_gfn)
			snprintf(base, sizeof(base), "0x%" PRIx64, r->min_gfn);
		add(o, sel ? TA_SELECTED : st->errors ? TA_ERROR : TA_NORMAL,
		    "%4s %5s %-16s %-12s %10" PRIu64 " %10" PRIu64 " %6" PRIu64 " %7s %7s", as, slot, op_name(r->op), base,
		    st->ops, st->pages, st->errors, fmt_duration(p50, sizeof(p50), stats_quantile(st, 0.5)),
		    fmt_duration(p99, sizeof(p99), stats_quantile(st, 0.99)));
	}
}

static void event_line(struct tui_screen *o, const struct gfn_event *e, bool sel, bool show_vm)
{
	char err[32] = "", fw[48] = "", psp[40] = "", gfn[48] = "-", comm[64], func[160], dur[16], pt[16] = "";

	fmt_err(err, sizeof(err), (e->flags & EVF_RET) ? e->ret : 0);
	if ((e->flags & EVF_FW) && e->fw_error > 0)
		snprintf(fw, sizeof(fw), " fw %s", decode_sev_ret(e->fw_error) ?: "?");
	if (e->flags & EVF_PSP_CMD)
		snprintf(psp, sizeof(psp), " %s", fmt_psp_cmd(psp + 20, 20, e->psp_cmd));
	if (e->flags & EVF_GFN)
		snprintf(gfn, sizeof(gfn), "0x%" PRIx64 "-0x%" PRIx64, (uint64_t)e->gfn_start, (uint64_t)e->gfn_end);
	else if (e->flags & EVF_HVA)
		snprintf(gfn, sizeof(gfn), "hva 0x%" PRIx64, (uint64_t)e->hva_start);
	if ((e->flags & EVF_PAGE_TYPE) && decode_page_type(e->page_type))
		snprintf(pt, sizeof(pt), " %s", decode_page_type(e->page_type));
	sanitize_term(comm, sizeof(comm), e->comm, sizeof(e->comm));
	sanitize_term(func, sizeof(func), func_name(e->func_id), FUNC_NAME_MAX);
	if (show_vm)
		add(o, sel ? TA_SELECTED : event_failed(e) ? TA_ERROR : TA_NORMAL, "%7" PRIu32 " %-14s %-28.28s %-22s %6s %-6s%s%s%s",
		    e->vm_pid, op_name(e->op), func, gfn, fmt_duration(dur, sizeof(dur), e->dur_ns), err, pt, fw, psp);
	else
		add(o, sel ? TA_SELECTED : event_failed(e) ? TA_ERROR : TA_NORMAL, "%-15.15s %-28.28s %-22s %6s %5" PRId64 " %-6s%s%s%s",
		    comm, func, gfn, fmt_duration(dur, sizeof(dur), e->dur_ns), (int64_t)e->ret, err, pt, fw, psp);
}

static void events(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	static const struct gfn_event *ev[RECENT_EVENTS];
	int n = tui_event_list(s, d, ev, RECENT_EVENTS);

	if (s->view == TV_EVENTS) {
		add(o, TA_HEADER, "VM %" PRIu32 " slot %d %s - the most recent events, newest first", s->sel_pid,
		    s->sel_slot, op_name(s->sel_op));
		add(o, TA_HEADER, "%-15s %-28s %-22s %6s %5s %s", "COMM", "FUNC", "GFN RANGE", "DUR", "RET", "ERR");
	} else {
		add(o, TA_HEADER, "the most recent failures, newest first (%d)", n);
		for (int i = 0; d->launches && i < d->launches->n; i++) {
			const struct launch *l = &d->launches->vms[i];
			char line[320];

			if (l->state != LAUNCH_FAILED && l->state != LAUNCH_ABORTED)
				continue;
			launch_state_line(l, line, sizeof(line));
			add(o, TA_ERROR, "VM %" PRIu32 ": %s", l->vm_pid, line);
			add(o, TA_NORMAL, "  likely cause: %s", l->cause);
		}
		add(o, TA_HEADER, "%7s %-14s %-28s %-22s %6s %s", "VMM_PID", "OP", "FUNC", "GFN RANGE", "DUR", "ERR");
	}
	if (!n)
		add(o, TA_NORMAL, "  (none)");
	for (int k = 0; k < n && o->n < o->rows - 1; k++)
		event_line(o, ev[k], k == s->sel_index, s->view == TV_ERRORS);
}

static void histogram(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	const struct stats *st = NULL;
	uint64_t log2[64] = { 0 }, max = 0;
	int vm = tui_vm_index(s, d), top = -1, bottom = 64;

	for (int i = 0; vm >= 0 && i < d->agg->nrows && s->back[s->depth - 1] == TV_SLOTS; i++) {
		const struct agg_row *r = &d->agg->rows[i];

		if (r->vm == vm && r->slot == s->sel_slot && r->as_id == s->sel_as && r->op == s->sel_op)
			st = &r->s[AGG_TOTAL];
	}
	if (!st && vm >= 0)
		st = &d->agg->vms[vm].s[AGG_TOTAL];
	add(o, TA_HEADER, "log2 latency of VM %" PRIu32 "%s (since start)", s->sel_pid,
	    st && s->back[s->depth - 1] == TV_SLOTS ? ", selected memslot row" : "");
	if (!st || !st->timed) {
		add(o, TA_NORMAL, "  (no durations: tracepoint rows have none)");
		return;
	}
	for (unsigned int b = 0; b < HIST_BUCKETS; b++) {
		uint64_t up = hist_bucket_upper(b);
		int l = up ? 63 - __builtin_clzll(up) : 0;

		log2[l] += st->hist[b];
	}
	for (int l = 0; l < 64; l++)
		if (log2[l]) {
			max = log2[l] > max ? log2[l] : max;
			top = l;
			bottom = l < bottom ? l : bottom;
		}
	for (int l = bottom; l <= top; l++) {
		char lo[16], hi[16], bar[64];
		int w = (int)(log2[l] * 40 / (max ? max : 1));

		memset(bar, '#', (size_t)w);
		bar[w] = '\0';
		add(o, TA_NORMAL, "%8s - %-8s | %-40s %" PRIu64, fmt_duration(lo, sizeof(lo), l ? 1ULL << l : 1),
		    fmt_duration(hi, sizeof(hi), (2ULL << l) - 1), bar, log2[l]);
	}
}

static void launches(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o)
{
	(void)s;
	add(o, TA_HEADER, "SNP launches: START, UPDATE by page type, VMSA, FINISH");
	if (!d->launches || !d->launches->n) {
		add(o, TA_NORMAL, "  (no SNP launch seen)");
		return;
	}
	for (int i = 0; i < d->launches->n; i++) {
		const struct launch *l = &d->launches->vms[i];
		char line[320];

		launch_state_line(l, line, sizeof(line));
		add(o, l->state >= LAUNCH_FAILED ? TA_ERROR : TA_HEADER, "VM %" PRIu32 " %016" PRIx64 ": %s", l->vm_pid,
		    l->vm_id, line);
		for (int t = 0; t < LAUNCH_PAGE_TYPES; t++) {
			const struct launch_type *lt = &l->by_type[t];
			char dur[16];

			if (!lt->calls)
				continue;
			add(o, TA_NORMAL, "  UPDATE %-10s %6" PRIu64 " calls %8" PRIu64 " pages %8s %8.1f MiB/s",
			    t == 2 ? "VMSA" : decode_page_type((unsigned long)t) ?: "?", lt->calls, lt->pages,
			    fmt_duration(dur, sizeof(dur), lt->ns),
			    lt->ns ? (double)lt->pages * 4096 / (1 << 20) / ((double)lt->ns / 1e9) : 0.0);
		}
		if (l->state == LAUNCH_FAILED || l->state == LAUNCH_ABORTED)
			add(o, TA_NORMAL, "  likely cause: %s", l->cause);
	}
}

static void help(struct tui_screen *o)
{
	add(o, TA_HEADER, "keys (any key returns)");
	for (int i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].name)	/* unnamed rows are second keys for the row above */
			add(o, TA_NORMAL, "  %-12s %s", tui_keys[i].name, tui_keys[i].help);
}

void tui_render(const struct tui_state *s, const struct tui_data *d, struct tui_screen *o, int rows, int cols)
{
	o->rows = rows < TUI_MAX_LINES ? rows : TUI_MAX_LINES;
	o->cols = cols;
	o->n = 0;
	if (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS) {
		add(o, TA_ERROR, "gfntop needs at least %dx%d (this terminal is %dx%d)", TUI_MIN_COLS, TUI_MIN_ROWS,
		    cols, rows);
		return;
	}
	o->rows--;	/* the last row is the prompt / key hint */
	header(s, d, o);
	switch (s->view) {
	case TV_VMS: vms(s, d, o); break;
	case TV_SLOTS: slots(s, d, o); break;
	case TV_EVENTS:
	case TV_ERRORS: events(s, d, o); break;
	case TV_HIST: histogram(s, d, o); break;
	case TV_LAUNCHES: launches(s, d, o); break;
	case TV_HELP: help(o); break;
	}
	while (o->n < o->rows)
		add(o, TA_NORMAL, "%s", "");
	o->rows++;
	if (s->prompt != PROMPT_NONE)
		add(o, TA_STATUS, "%s: %s_", s->prompt == PROMPT_FILTER ? "filter (comm or pid)" :
		    s->prompt == PROMPT_PID ? "VMM pid (empty: all)" : "delay in seconds", s->input);
	else
		add(o, TA_STATUS, "q quit  Enter drill in  Esc back  e errors  L launches  H histogram  h help");
}
