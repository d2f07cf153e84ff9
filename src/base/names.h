/* SPDX-License-Identifier: GPL-2.0 */
/* Names of families and operations, and the table of kernel-function names events refer to. */
#ifndef GFNTOP_NAMES_H
#define GFNTOP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include "gfntop/event.h"

const char *family_name(unsigned int family);		/* "mmu"; "?" if out of range */
int family_from_name(const char *name, size_t len);	/* enum gfn_family, or -1 */
const char *op_name(unsigned int op);			/* "unmap"; "?" if out of range */
int op_from_name(const char *name, size_t len);		/* enum gfn_op, or -1 */

/*
 * Function names: live events carry a func_id assigned by the attach engine,
 * replayed events get one by interning the trace's 'func' cell. Bounded:
 * func_intern() returns -1 when the table is full or the name too long.
 */
#define FUNC_NAME_MAX 127
#define FUNC_TABLE_SIZE 4096
int func_intern(const char *name, size_t len);
const char *func_name(unsigned int id);			/* "" for 0 or unknown ids */
/*
 * Forgets every name: the ids handed out so far mean nothing any more. The
 * table is the process's (every event's func_id refers to it), so only what
 * reads unrelated traces one after another in one process needs this: the
 * fuzzer, between inputs, whose names would otherwise pile up to the limit.
 */
void func_table_reset(void);

/* An operation that failed: negative errno, firmware status, or lost events. Inline: every event asks. */
static inline bool event_failed(const struct gfn_event *e)
{
	if (e->op == OP_LOST)
		return true;
	if ((e->flags & EVF_RET) && e->ret < 0)
		return true;
	/* -1 is the kernel's "firmware not called", not a firmware failure */
	return (e->flags & EVF_FW) && e->fw_error > 0;
}

#endif
