/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's name caches: one for each name column and one for the
 * family-op-func triple (csv_convert.c). Apart from the conversion because
 * they know nothing of cells or rows: bytes in, an id out.
 */
#ifndef GFNTOP_CSV_NAMES_H
#define GFNTOP_CSV_NAMES_H

#include <stddef.h>
#include "base/names.h"	/* FUNC_NAME_MAX */

/*
 * Names repeat from row to row: a small cache from a cell's bytes to the id
 * the full lookup gave them. Only successes are kept, so a hit gives exactly
 * what the lookup would have.
 */
#define NAME_CACHE_SLOTS 64
#define NAME_CACHE_PROBES 4
#define NAME_CACHE_TEXT (FUNC_NAME_MAX + 1)	/* a func cell may carry a guard quote */

struct name_slot {
	size_t len;		/* 0: empty slot */
	int id;
	char text[NAME_CACHE_TEXT];
};

struct name_cache {
	struct name_slot slot[NAME_CACHE_SLOTS];
};

/* the id cached for these bytes, or -1 */
int csv_cache_get(const struct name_cache *nc, const char *s, size_t len);
/* keeps id for these bytes, in place of an older name if their slots are full */
void csv_cache_put(struct name_cache *nc, const char *s, size_t len, int id);

#endif
