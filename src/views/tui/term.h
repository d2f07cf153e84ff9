/* SPDX-License-Identifier: GPL-2.0 */
/* The only code that talks to the terminal (ncursesw): paint lines, read keys. */
#ifndef GFNTOP_TUI_TERM_H
#define GFNTOP_TUI_TERM_H

#include "views/tui/model.h"

int term_open(void);			/* 0, or -1 if the terminal cannot be used */
void term_close(void);
void term_size(int *rows, int *cols);
void term_paint(const struct tui_screen *s);
/* A key translated for tui_key() (TK_* or a character), or -1 after timeout_ms without one. */
int term_key(int timeout_ms);

#endif
