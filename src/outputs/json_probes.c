// SPDX-License-Identifier: GPL-2.0
/* --list-probes --json: the probe table's rows, as --list-probes prints them. */
#include <string.h>
#include "outputs/json.h"
#include "outputs/textbuf.h"
#include "base/names.h"
#include "probes/attach.h"

struct rows {
	struct textbuf tb;
	bool first;
};

static void str_member(struct textbuf *tb, const char *k, const char *v, size_t max, bool comma)
{
	if (comma)
		tb_putc(tb, ',');
	tb_json_string(tb, k, strlen(k));
	tb_putc(tb, ':');
	tb_json_string(tb, v, max);
}

static void row(void *ctx, const struct probe *p, const char *kind, enum probe_state st)
{
	struct rows *r = ctx;

	if (!r->first)
		tb_putc(&r->tb, ',');
	r->first = false;
	tb_putc(&r->tb, '{');
	str_member(&r->tb, "family", family_name(p->def.family), 32, false);
	str_member(&r->tb, "target", p->target, sizeof(p->target), true);
	str_member(&r->tb, "kind", kind, 32, true);
	str_member(&r->tb, "state", probe_state_name(st), 32, true);
	str_member(&r->tb, "reason", p->reason, sizeof(p->reason), true);
	tb_puts(&r->tb, ",\"attached\":");
	tb_puts(&r->tb, st == STATE_OK ? "true" : "false");
	tb_putc(&r->tb, '}');
}

void json_probes(FILE *out, const struct probe_set *ps)
{
	struct rows r = { .first = true };
	char summary[256];

	probes_summary(ps, summary, sizeof(summary));
	tb_printf(&r.tb, "{\"type\":\"probes\",\"schema\":%d,\"summary\":", JSON_SCHEMA_VERSION);
	tb_json_string(&r.tb, summary, sizeof(summary));
	tb_puts(&r.tb, ",\"probes\":[");
	probes_each_row(ps, row, &r);
	tb_puts(&r.tb, "]}\n");
	if (r.tb.failed)
		fputs("{\"type\":\"error\",\"error\":\"out of memory\"}\n", out);
	else
		fwrite(r.tb.p, 1, r.tb.len, out);
	fflush(out);
	tb_free(&r.tb);
}
