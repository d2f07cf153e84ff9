// SPDX-License-Identifier: GPL-2.0
/*
 * Keys: one table binds each key to its action and also generates the help
 * screen (the htop way). Prompts ('/', 'p', 'd') take typed text first.
 */
#include <stdlib.h>
#include <string.h>
#include "views/tui/internal.h"

/* The row `delta` away from cur (-1: nothing selected, take the first), kept inside 0..n-1. */
static int step(int cur, int delta, int n)
{
	int next = cur < 0 ? 0 : cur + delta;

	return next < 0 ? 0 : next >= n ? n - 1 : next;
}

/* Selection follows the item: move to the neighbour of the selected item in the current order. */
static void move(struct tui_state *s, const struct tui_data *d, int delta)
{
	static int idx[AGG_MAX_ROWS];
	int n, cur = -1, next;

	switch (s->view) {
	case TV_VMS:
		n = tui_vm_list(s, d, idx, AGG_MAX_VMS);
		for (int k = 0; k < n && s->sel_valid; k++)
			if (tui_vm_selected(s, &d->agg->vms[idx[k]]))
				cur = k;
		if (!n)
			return;
		next = step(cur, delta, n);
		tui_vm_select(s, &d->agg->vms[idx[next]]);
		break;
	case TV_SLOTS:
		n = tui_slot_list(s, d, idx, AGG_MAX_ROWS);
		for (int k = 0; k < n; k++) {
			const struct agg_row *r = &d->agg->rows[idx[k]];

			if (r->slot == s->sel_slot && r->as_id == s->sel_as && r->op == s->sel_op)
				cur = k;
		}
		if (!n)
			return;
		next = step(cur, delta, n);
		s->sel_slot = d->agg->rows[idx[next]].slot;
		s->sel_as = d->agg->rows[idx[next]].as_id;
		s->sel_op = d->agg->rows[idx[next]].op;
		break;
	case TV_EVENTS:
	case TV_ERRORS:
		s->sel_index += delta;
		if (s->sel_index < 0)
			s->sel_index = 0;
		break;
	default:
		break;
	}
}

static void go(struct tui_state *s, enum tui_view v)
{
	if (s->view == v)
		return;
	if (s->depth < (int)(sizeof(s->back) / sizeof(s->back[0])))
		s->back[s->depth++] = s->view;
	s->view = v;
	s->sel_index = 0;
}

static void act_up(struct tui_state *s, const struct tui_data *d) { move(s, d, -1); }
static void act_down(struct tui_state *s, const struct tui_data *d) { move(s, d, 1); }
static void act_page_up(struct tui_state *s, const struct tui_data *d) { move(s, d, -10); }
static void act_page_down(struct tui_state *s, const struct tui_data *d) { move(s, d, 10); }
static void act_quit(struct tui_state *s, const struct tui_data *d) { (void)d; s->quit = true; }
static void act_invert(struct tui_state *s, const struct tui_data *d) { (void)d; s->invert = !s->invert; }
static void act_freeze(struct tui_state *s, const struct tui_data *d) { (void)d; s->frozen = !s->frozen; }
static void act_cumulative(struct tui_state *s, const struct tui_data *d) { (void)d; s->cumulative = !s->cumulative; }
static void act_reset(struct tui_state *s, const struct tui_data *d) { (void)d; s->reset = true; }
static void act_errors(struct tui_state *s, const struct tui_data *d) { (void)d; go(s, TV_ERRORS); }
static void act_launches(struct tui_state *s, const struct tui_data *d) { (void)d; go(s, TV_LAUNCHES); }
static void act_help(struct tui_state *s, const struct tui_data *d) { (void)d; go(s, TV_HELP); }

static void act_sort_left(struct tui_state *s, const struct tui_data *d)
{
	(void)d;
	s->sort_col = (s->sort_col + TUI_SORT_COLUMNS - 1) % TUI_SORT_COLUMNS;
}

static void act_sort_right(struct tui_state *s, const struct tui_data *d)
{
	(void)d;
	s->sort_col = (s->sort_col + 1) % TUI_SORT_COLUMNS;
}

static void act_histogram(struct tui_state *s, const struct tui_data *d)
{
	(void)d;
	go(s, TV_HIST);
}

static void act_enter(struct tui_state *s, const struct tui_data *d)
{
	if (s->view == TV_VMS) {
		if (!s->sel_valid)
			return;
		s->sel_slot = -2;	/* none yet: the first row gets selected */
		go(s, TV_SLOTS);
		move(s, d, 0);
	} else if (s->view == TV_SLOTS) {
		go(s, TV_EVENTS);
	}
}

static void act_back(struct tui_state *s, const struct tui_data *d)
{
	(void)d;
	if (s->depth > 0) {
		s->view = s->back[--s->depth];
		s->sel_index = 0;
	}
}

static void prompt(struct tui_state *s, enum tui_prompt p)
{
	s->prompt = p;
	s->input[0] = '\0';
	if (p == PROMPT_FILTER)	/* incremental: start from the current filter */
		memcpy(s->input, s->filter, sizeof(s->input));
}

static void act_filter(struct tui_state *s, const struct tui_data *d) { (void)d; prompt(s, PROMPT_FILTER); }
static void act_pid(struct tui_state *s, const struct tui_data *d) { (void)d; prompt(s, PROMPT_PID); }
static void act_delay(struct tui_state *s, const struct tui_data *d) { (void)d; prompt(s, PROMPT_DELAY); }

const struct tui_key_binding tui_keys[] = {
	{ 'q', "q", "quit", act_quit },
	{ TK_UP, "Up / k", "move the selection up", act_up },
	{ 'k', NULL, NULL, act_up },
	{ TK_DOWN, "Down / j", "move the selection down", act_down },
	{ 'j', NULL, NULL, act_down },
	{ TK_PGUP, "PgUp", "move up a page", act_page_up },
	{ TK_PGDN, "PgDn", "move down a page", act_page_down },
	{ TK_ENTER, "Enter", "drill in: VM -> memslots -> recent events", act_enter },
	{ TK_ESC, "Esc / Bksp", "back", act_back },
	{ TK_BACK, NULL, NULL, act_back },
	{ '<', "< >", "sort by the previous / next column", act_sort_left },
	{ '>', NULL, NULL, act_sort_right },
	{ 'I', "I", "invert the sort order", act_invert },
	{ '/', "/", "filter VMs by comm or pid (incremental)", act_filter },
	{ 'p', "p", "show only the VM of one VMM pid", act_pid },
	{ 'e', "e", "errors: the last failures, decoded, with the likely cause", act_errors },
	{ 'H', "H", "log2 latency histogram of the selected row", act_histogram },
	{ 'L', "L", "SNP launch timeline", act_launches },
	{ 'Z', "Z / space", "freeze the view (recording continues)", act_freeze },
	{ ' ', NULL, NULL, act_freeze },
	{ 'c', "c", "interval vs cumulative counts", act_cumulative },
	{ 'r', "r", "reset the counts", act_reset },
	{ 'd', "d", "change the refresh delay", act_delay },
	{ 'h', "h / ?", "this help", act_help },
	{ '?', NULL, NULL, act_help },
};
const int tui_nkeys = sizeof(tui_keys) / sizeof(tui_keys[0]);

/* A key typed at a prompt: edit the text, Enter applies, Esc cancels. */
static void prompt_key(struct tui_state *s, int key)
{
	size_t len = strlen(s->input);

	if (key == TK_ESC) {
		s->prompt = PROMPT_NONE;
		return;
	}
	if (key == TK_BACK) {
		if (len)
			s->input[len - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(s->input)) {
		s->input[len] = (char)key;
		s->input[len + 1] = '\0';
	} else if (key != TK_ENTER) {
		return;
	}
	if (s->prompt == PROMPT_FILTER)	/* applies as typed */
		memcpy(s->filter, s->input, sizeof(s->filter));
	if (key != TK_ENTER)
		return;
	if (s->prompt == PROMPT_PID)
		s->pid_filter = (unsigned int)strtoul(s->input, NULL, 10);
	if (s->prompt == PROMPT_DELAY) {
		double v = strtod(s->input, NULL);

		if (v >= 0.1 && v <= 3600)
			s->delay = v;
	}
	s->prompt = PROMPT_NONE;
}

void tui_sync(struct tui_state *s, const struct tui_data *d)
{
	static int idx[AGG_MAX_VMS];
	int n = tui_vm_list(s, d, idx, AGG_MAX_VMS);

	for (int k = 0; k < n && s->sel_valid; k++)
		if (tui_vm_selected(s, &d->agg->vms[idx[k]]))
			return;
	s->sel_valid = false;
	if (n)
		move(s, d, 0);	/* nothing (visible) selected: the first row */
}

bool tui_key(struct tui_state *s, const struct tui_data *d, int key)
{
	tui_sync(s, d);
	if (s->prompt != PROMPT_NONE) {
		prompt_key(s, key);
		return true;
	}
	if (s->view == TV_HELP) {	/* any key leaves the help */
		act_back(s, d);
		return true;
	}
	for (int i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].key == key) {
			tui_keys[i].act(s, d);
			return true;
		}
	return false;
}
