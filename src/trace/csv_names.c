// SPDX-License-Identifier: GPL-2.0
/*
 * The name caches (csv_names.h): NAME_CACHE_SLOTS slots a cache, a name in
 * one of the NAME_CACHE_PROBES slots from its hash on. Out of line, a call
 * from the conversion: csv_cache_get() for each name a row holds (one for
 * family, op and func where the row is plain), csv_cache_put() only on a
 * miss.
 */
#include <stdbool.h>
#include <string.h>
#include "trace/csv_names.h"
#include "trace/csv_parse.h"	/* load8() */

/* the slot a name's search starts at: from its length and its first and last word (or bytes) */
static unsigned int name_hash(const char *s, size_t len)
{
	unsigned long long h = len;

	if (len >= 8)
		h ^= load8(s) * 0x9e3779b97f4a7c15ULL ^ load8(s + len - 8);
	else
		h ^= (unsigned long long)(unsigned char)s[0] << 8 ^
		     (unsigned long long)(unsigned char)s[len / 2] << 16 ^
		     (unsigned long long)(unsigned char)s[len - 1] << 24;
	return (unsigned int)((h * 0x9e3779b97f4a7c15ULL) >> 32) % NAME_CACHE_SLOTS;
}

/* a == b over n bytes: a few word compares, cheaper than a call for a name */
static ALWAYS_INLINE bool same_name(const char *a, const char *b, size_t n)
{
	unsigned int x, y, x2, y2;

	if (n >= 8) {
		/* whole words, the last one overlapping the one before */
		for (size_t i = 0; i + 8 < n; i += 8)
			if (load8(a + i) != load8(b + i))
				return false;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4) {
		memcpy(&x, a, 4), memcpy(&y, b, 4);
		memcpy(&x2, a + n - 4, 4), memcpy(&y2, b + n - 4, 4);
		return x == y && x2 == y2;
	}
	/* 1 to 3 bytes: these three cover them all */
	return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/*
 * The id cached for these bytes, or -1. A name is in one of the
 * NAME_CACHE_PROBES slots from its hash on, and no slot is emptied once
 * used: the search ends at an empty one.
 */
int csv_cache_get(const struct name_cache *nc, const char *s, size_t len)
{
	unsigned int h;

	if (!len || len > NAME_CACHE_TEXT)
		return -1;
	h = name_hash(s, len);
	for (unsigned int i = 0; i < NAME_CACHE_PROBES; i++) {
		const struct name_slot *slot = &nc->slot[(h + i) % NAME_CACHE_SLOTS];

		if (!slot->len)
			break;
		if (slot->len == len && same_name(slot->text, s, len))
			return slot->id;
	}
	return -1;
}

/* into the first empty slot of the name's, else in place of the first one */
void csv_cache_put(struct name_cache *nc, const char *s, size_t len, int id)
{
	struct name_slot *slot;
	unsigned int h;

	if (!len || len > NAME_CACHE_TEXT)
		return;
	h = name_hash(s, len);
	slot = &nc->slot[h];
	for (unsigned int i = 0; i < NAME_CACHE_PROBES; i++)
		if (!nc->slot[(h + i) % NAME_CACHE_SLOTS].len) {
			slot = &nc->slot[(h + i) % NAME_CACHE_SLOTS];
			break;
		}
	memcpy(slot->text, s, len);
	slot->len = len;
	slot->id = id;
}
