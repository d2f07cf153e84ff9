// SPDX-License-Identifier: GPL-2.0
/*
 * The ncursesw painter. Lines arrive sanitized and laid out by the view
 * model; this file maps attributes to colours (or to bold/reverse on a
 * monochrome terminal), clips to the width without splitting a UTF-8
 * character, and translates keys.
 */
#include <curses.h>
#include <locale.h>
#include <string.h>
#include "views/tui/term.h"
#include "views/tui/internal.h"
#include "base/sanitize.h"

static bool colours;

int term_open(void)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return -1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	colours = has_colors() && start_color() == OK;
	if (colours) {
		use_default_colors();
		init_pair(1, COLOR_BLACK, COLOR_CYAN);	/* title and status */
		init_pair(2, COLOR_RED, -1);		/* failures */
		init_pair(3, COLOR_GREEN, -1);		/* column headers */
	}
	return 0;
}

void term_close(void)
{
	endwin();
}

void term_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

static attr_t attr_of(unsigned char a)
{
	switch (a) {
	case TA_TITLE:
	case TA_STATUS:
		return colours ? COLOR_PAIR(1) : A_REVERSE;
	case TA_HEADER:
		return colours ? (COLOR_PAIR(3) | A_BOLD) : A_BOLD;
	case TA_SELECTED:
		return A_REVERSE;
	case TA_ERROR:
		return colours ? COLOR_PAIR(2) : A_BOLD;
	}
	return A_NORMAL;
}

/* bytes of s that fit in `cols` columns (one per character: the model writes no wide ones) */
static int fit(const char *s, int cols)
{
	int bytes = 0, used = 0, len = (int)strlen(s);

	while (bytes < len && used < cols) {
		size_t n = utf8_seq_len(s + bytes, (size_t)(len - bytes));

		bytes += n ? (int)n : 1;
		used++;
	}
	return bytes;
}

void term_paint(const struct tui_screen *s)
{
	erase();
	for (int i = 0; i < s->n && i < s->rows; i++) {
		attr_t a = attr_of(s->line[i].attr);

		attron(a);
		mvaddnstr(i, 0, s->line[i].text, fit(s->line[i].text, s->cols));
		if (a != A_NORMAL)	/* bars run the full width */
			for (int x = getcurx(stdscr); x < s->cols && getcury(stdscr) == i; x++)
				addch(' ');
		attroff(a);
	}
	refresh();
}

int term_key(int timeout_ms)
{
	int c;

	timeout(timeout_ms);
	c = getch();
	switch (c) {
	case ERR: return -1;
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_ENTER: case '\n': case '\r': return TK_ENTER;
	case KEY_BACKSPACE: case 127: case 8: return TK_BACK;
	case 27: return TK_ESC;
	case KEY_RESIZE: return TK_RESIZE;
	}
	return c;
}
