/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TUI's view model: plain C, no terminal. The UI state plus what the views
 * read go in; lines of text with an attribute each come out (tui_render), and
 * keys change the state (tui_key, driven by the table in keys.c). The ncurses
 * painter (term.c) only paints these lines, so every view is unit-testable.
 */
#ifndef GFNTOP_TUI_MODEL_H
#define GFNTOP_TUI_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "model/agg.h"
#include "model/launch.h"
#include "model/recent.h"

enum tui_view { TV_VMS, TV_SLOTS, TV_EVENTS, TV_ERRORS, TV_HIST, TV_LAUNCHES, TV_HELP };

/* What the views read. */
struct tui_data {
	const struct agg *agg;
	const struct launch_table *launches;
	const struct recent *recent;
	const char *kernel;		/* "6.18.44" */
	const char *probes;		/* "mmu 0/9 tp 3/3" */
	const char *trace;		/* -w FILE, or NULL */
	unsigned long long trace_bytes;
	double events_per_s;
	bool replay;
};

enum tui_prompt { PROMPT_NONE, PROMPT_FILTER, PROMPT_PID, PROMPT_DELAY };

struct tui_state {
	enum tui_view view;
	enum tui_view back[8];		/* Esc/Backspace returns along this */
	int depth;
	int sort_col;			/* a column of the VM table */
	bool invert;
	char filter[48];		/* '/': comm or pid contains this */
	unsigned int pid_filter;	/* 'p': 0 = all */
	enum tui_prompt prompt;
	char input[48];			/* what is being typed at a prompt */
	bool frozen, cumulative, quit, reset;
	double delay;
	/* the selection follows the item, not the row */
	uint32_t sel_pid;		/* the selected VM entry: its vm_pid, vm_id, kind and task_pid */
	uint64_t sel_vmid;
	uint8_t sel_kind;
	uint32_t sel_task;
	int32_t sel_slot;
	uint16_t sel_as;
	uint8_t sel_op;
	int sel_index;			/* in the event and error lists (newest = 0) */
	bool sel_valid;			/* sel_pid/sel_vmid name a VM */
};

enum tui_attr { TA_NORMAL, TA_TITLE, TA_HEADER, TA_SELECTED, TA_ERROR, TA_STATUS };

#define TUI_MAX_LINES 256
#define TUI_LINE_BYTES 1024

struct tui_line {
	char text[TUI_LINE_BYTES];
	unsigned char attr;
};

struct tui_screen {
	int rows, cols, n;
	struct tui_line line[TUI_MAX_LINES];
};

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

void tui_state_init(struct tui_state *s, double delay);
/* Lays out the current view for a rows x cols terminal (below 80x24: a message saying so). */
void tui_render(const struct tui_state *s, const struct tui_data *d, struct tui_screen *out, int rows, int cols);
/* Makes the selection name a visible item (the first row when it names none, or a filtered-out one). */
void tui_sync(struct tui_state *s, const struct tui_data *d);
/* Applies one key (ncurses codes); returns false if the key means nothing here. */
bool tui_key(struct tui_state *s, const struct tui_data *d, int key);

#endif
