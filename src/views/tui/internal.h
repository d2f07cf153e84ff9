/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the TUI's views (model.c) and its key actions (keys.c). */
#ifndef GFNTOP_TUI_INTERNAL_H
#define GFNTOP_TUI_INTERNAL_H

#include "views/tui/model.h"

/* Keys, as the painter translates them from the terminal. */
enum {
	TK_UP = 0x101, TK_DOWN, TK_PGUP, TK_PGDN, TK_HOME, TK_END, TK_ENTER, TK_BACK, TK_ESC,
	TK_RESIZE,	/* not a key: the terminal changed size, repaint */
};

struct tui_key_binding {
	int key;		/* the key, or 0 for a second name of the previous row's action */
	const char *name;	/* as shown in the help */
	const char *help;
	void (*act)(struct tui_state *s, const struct tui_data *d);
};

extern const struct tui_key_binding tui_keys[];
extern const int tui_nkeys;

/* The VMs the VM table shows, filtered and sorted as the state says. Returns how many. */
int tui_vm_list(const struct tui_state *s, const struct tui_data *d, int *idx, int max);
/* The rows (VM x slot x op) of the selected VM, in order. */
int tui_slot_list(const struct tui_state *s, const struct tui_data *d, int *idx, int max);
/* Events of the selected VM and slot (TV_EVENTS) or failures (TV_ERRORS), newest first. */
int tui_event_list(const struct tui_state *s, const struct tui_data *d, const struct gfn_event **out, int max);
/* The selected VM entry's index, or -1; is v the selected one; select v. */
int tui_vm_index(const struct tui_state *s, const struct tui_data *d);
bool tui_vm_selected(const struct tui_state *s, const struct agg_vm *v);
void tui_vm_select(struct tui_state *s, const struct agg_vm *v);

#define TUI_SORT_COLUMNS 7

#endif
