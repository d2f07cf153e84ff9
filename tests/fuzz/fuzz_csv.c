// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace reader under hostile input. Every event it
 * accepts is written by the trace writer and read back: that must succeed,
 * and after the first write (which may clean text cells) writing and reading
 * again must give the same event — the round trip `-r FILE -w OUT` relies on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/writer.h"
#include "trace/reader.h"
#include "base/names.h"

struct capture {
	struct gfn_event ev;
	int n;
};

static int capture(void *ctx, struct gfn_event *e)
{
	struct capture *c = ctx;

	c->ev = *e;
	c->n++;
	return 0;
}

/* write e as a one-row trace and read it back into *out; abort if gfntop cannot read its own output */
static void rewrite(const struct gfn_event *e, struct gfn_event *out)
{
	static char text[8192];
	char err[512];
	size_t n = (size_t)snprintf(text, sizeof(text), "%s\n", CSV_HEADER);
	struct capture c = { .n = 0 };

	n += csv_format_row(text + n, sizeof(text) - n, e);
	if (csv_replay_mem("rewrite", text, n, capture, &c, err, sizeof(err)) != 0 || c.n != 1) {
		fprintf(stderr, "gfntop cannot read its own row: %s\n%.*s", err, (int)n, text);
		abort();
	}
	*out = c.ev;
}

static int round_trip(void *ctx, struct gfn_event *e)
{
	struct gfn_event once, twice;

	(void)ctx;
	rewrite(e, &once);
	rewrite(&once, &twice);
	if (memcmp(&once, &twice, sizeof(once)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	/*
	 * Each input is a trace of its own, read as by a process of its own: the
	 * function-name table starts empty. (Left full by earlier inputs, a name
	 * that the writer cleans found no slot when read back: a false crash
	 * after ~1.1M runs.) Within one input the table cannot fill: at -max_len
	 * 65536 an input holds at most ~2200 rows of distinct names (29 bytes the
	 * shortest), below FUNC_TABLE_SIZE / 2, so every cleaned name fits too.
	 */
	func_table_reset();
	csv_replay_mem("fuzz.csv", (const char *)data, size, round_trip, NULL, err, sizeof(err));
	return 0;
}
