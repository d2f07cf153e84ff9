// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition of a metrics snapshot, in the Prometheus text format or in
 * OpenMetrics. The two differ in the metadata lines (OpenMetrics names a
 * counter's family without _total, has an info type and UNIT lines) and in
 * the closing "# EOF"; the samples are the same.
 */
#include <stdio.h>
#include <string.h>
#include "outputs/exposition.h"
#include "base/decode.h"
#include "base/names.h"
#include "probes/attach.h"

enum mtype { M_COUNTER, M_GAUGE, M_HISTOGRAM, M_INFO };

/* One metric family. `name` is the family's name: without _total or _info. */
struct family {
	const char *name;
	enum mtype type;
	const char *unit;	/* OpenMetrics UNIT, or NULL; the name ends with it */
	const char *help;
};

static const struct family F_BUILD = { "gfntop_build", M_INFO, NULL,
	"gfntop's version and the libbpf it runs with." };
static const struct family F_PLATFORM = { "gfntop_platform", M_INFO, NULL,
	"The host: kernel release, kvm_amd's SEV parameters, the SEV firmware API version (empty if unknown)." };
static const struct family F_SNAPSHOT = { "gfntop_last_snapshot_timestamp_seconds", M_GAUGE, "seconds",
	"When these values were taken (once per interval, on the event thread), in seconds since the epoch." };
static const struct family F_PROBES = { "gfntop_probes", M_GAUGE, NULL,
	"Probes by family and state (ok: attached; missing: not in this kernel or unloaded; refused; unsupported)." };
static const struct family F_OPS = { "gfntop_operations", M_COUNTER, NULL,
	"Operations traced, by probe family and operation." };
static const struct family F_PAGES = { "gfntop_pages", M_COUNTER, NULL,
	"Guest pages covered by the operations traced." };
static const struct family F_ERRORS = { "gfntop_errors", M_COUNTER, NULL,
	"Failed operations, by errno name (none: a firmware failure only) and firmware status name (none: no firmware failure)." };
static const struct family F_DURATION = { "gfntop_operation_duration_seconds", M_HISTOGRAM, "seconds",
	"Duration of the operations traced with a duration (entry to exit)." };
static const struct family F_LOST = { "gfntop_lost_events", M_COUNTER, NULL,
	"Events the kernel could not queue (ring buffer full)." };
static const struct family F_STARTED = { "gfntop_launches_started", M_COUNTER, NULL,
	"SNP launches started (LAUNCH_START succeeded)." };
static const struct family F_FINISHED = { "gfntop_launches_finished", M_COUNTER, NULL,
	"SNP launches finished (LAUNCH_FINISH succeeded)." };
static const struct family F_LFAIL = { "gfntop_launch_failures", M_COUNTER, NULL,
	"SNP launches that failed, by the failing step, its errno name and the firmware status name (none: no firmware failure)." };
static const struct family F_ABORTED = { "gfntop_launches_aborted", M_COUNTER, NULL,
	"SNP launches whose VMM exited during the launch, by the last step done." };
static const struct family F_VM_OPS = { "gfntop_vm_operations", M_COUNTER, NULL,
	"Operations traced per VM (opt-in, --metrics-vms), by VMM command and pid; vm_pid other: the VMs beyond the cap." };
static const struct family F_VM_PAGES = { "gfntop_vm_pages", M_COUNTER, NULL,
	"Guest pages covered per VM (opt-in, --metrics-vms)." };
static const struct family F_VM_ERRORS = { "gfntop_vm_errors", M_COUNTER, NULL,
	"Failed operations per VM (opt-in, --metrics-vms)." };
static const struct family F_VM_RETIRED = { "gfntop_vms_retired", M_COUNTER, NULL,
	"Per-VM series retired because their VMM exited (opt-in, --metrics-vms)." };

static const char *const type_names[] = {
	[M_COUNTER] = "counter", [M_GAUGE] = "gauge", [M_HISTOGRAM] = "histogram", [M_INFO] = "info",
};

static const char *sample_suffix(enum mtype t)
{
	return t == M_COUNTER ? "_total" : t == M_INFO ? "_info" : "";
}

static void header(struct textbuf *tb, const struct family *f, enum expo_format fmt)
{
	const char *suffix = sample_suffix(f->type);

	if (fmt == EXPO_OPENMETRICS) {
		tb_printf(tb, "# TYPE %s %s\n", f->name, type_names[f->type]);
		if (f->unit)
			tb_printf(tb, "# UNIT %s %s\n", f->name, f->unit);
		tb_printf(tb, "# HELP %s %s\n", f->name, f->help);
	} else {
		/* the text format names samples, and has no info type: an info metric is a gauge */
		tb_printf(tb, "# HELP %s%s %s\n", f->name, suffix, f->help);
		tb_printf(tb, "# TYPE %s%s %s\n", f->name, suffix,
			  f->type == M_INFO ? "gauge" : type_names[f->type]);
	}
}

struct lbl {
	const char *k, *v;
};

static void labels(struct textbuf *tb, const struct lbl *l, int n)
{
	if (!n)
		return;
	tb_putc(tb, '{');
	for (int i = 0; i < n; i++) {
		if (i)
			tb_putc(tb, ',');
		tb_puts(tb, l[i].k);
		tb_puts(tb, "=\"");
		tb_label_value(tb, l[i].v, strlen(l[i].v));
		tb_putc(tb, '"');
	}
	tb_putc(tb, '}');
}

static void sample(struct textbuf *tb, const struct family *f, const char *suffix, const struct lbl *l,
		   int n, uint64_t v)
{
	tb_puts(tb, f->name);
	tb_puts(tb, suffix ? suffix : sample_suffix(f->type));
	labels(tb, l, n);
	tb_putc(tb, ' ');
	tb_u64(tb, v);
	tb_putc(tb, '\n');
}

/* ---- label values ---- */

static const char *errno_label(int32_t err, char *buf, size_t len)
{
	if (!err)
		return "none";
	return fmt_err(buf, len, -(long long)err);
}

static const char *fw_label(int32_t fw, char *buf, size_t len)
{
	const char *name;

	if (fw == CNT_NO_FW)
		return "none";
	name = decode_sev_ret(fw);
	if (name)
		return name;
	snprintf(buf, len, "0x%x", (unsigned int)fw);
	return buf;
}

/* ---- the families ---- */

static void info(struct textbuf *tb, const struct family *f, const struct expo_info *in, enum expo_format fmt)
{
	struct lbl l[EXPO_MAX_LABELS];

	for (int i = 0; i < in->n; i++)
		l[i] = (struct lbl){ in->l[i].name, in->l[i].value };
	header(tb, f, fmt);
	sample(tb, f, NULL, l, in->n, 1);
}

static void probes(struct textbuf *tb, const struct metrics_snapshot *s, enum expo_format fmt)
{
	header(tb, &F_PROBES, fmt);
	for (int fam = 1; fam < FAM_COUNT; fam++) {
		if (!s->family_used[fam])
			continue;
		for (int st = 0; st < EXPO_PROBE_STATES; st++) {
			struct lbl l[] = { { "family", family_name(fam) }, { "state", probe_state_name(st) } };

			sample(tb, &F_PROBES, NULL, l, 2, s->probes[fam][st]);
		}
	}
}

/* the (family, op) pairs shown: those a probe of the run produces, and any that counted */
static bool op_shown(const struct cnt_op *o)
{
	return o->registered || o->ops;
}

static void op_counter(struct textbuf *tb, const struct counters *c, const struct family *f,
		       size_t field, enum expo_format fmt)
{
	header(tb, f, fmt);
	for (int fam = 0; fam < FAM_COUNT; fam++)
		for (int op = 0; op < OP_COUNT; op++) {
			const struct cnt_op *o = &c->op[fam][op];
			struct lbl l[] = { { "family", family_name(fam) }, { "op", op_name(op) } };
			uint64_t v;

			if (!op_shown(o))
				continue;
			memcpy(&v, (const char *)o + field, sizeof(v));
			sample(tb, f, NULL, l, 2, v);
		}
}

static void errors(struct textbuf *tb, const struct counters *c, enum expo_format fmt)
{
	char eb[32], fb[16];

	header(tb, &F_ERRORS, fmt);
	for (int i = 0; i < c->nerrors; i++) {
		const struct cnt_fail *e = &c->errors[i];
		struct lbl l[] = { { "family", family_name(e->family) }, { "op", op_name(e->op) },
				   { "errno", errno_label(e->err, eb, sizeof(eb)) },
				   { "fw_status", fw_label(e->fw, fb, sizeof(fb)) } };

		sample(tb, &F_ERRORS, NULL, l, 4, e->n);
	}
	if (c->errors_other) {
		struct lbl l[] = { { "family", "other" }, { "op", "other" }, { "errno", "other" },
				   { "fw_status", "other" } };

		sample(tb, &F_ERRORS, NULL, l, 4, c->errors_other);
	}
}

static void durations(struct textbuf *tb, const struct counters *c, enum expo_format fmt)
{
	header(tb, &F_DURATION, fmt);
	for (int fam = 0; fam < FAM_COUNT; fam++)
		for (int op = 0; op < OP_COUNT; op++) {
			const struct cnt_op *o = &c->op[fam][op];
			uint64_t cum = 0;

			/* operations without a duration (tracepoints) have no histogram */
			if (!o->timed && !o->registered_dur)
				continue;
			for (unsigned int b = 0; b < CNT_BUCKETS; b++) {
				char le[FMT_SECONDS_LEN];
				struct lbl l[] = { { "family", family_name(fam) }, { "op", op_name(op) }, { "le", le } };

				cum += o->hist[b];
				/* le in seconds, exactly: the bucket's inclusive bound in ns */
				if (b == CNT_BUCKETS - 1)
					strcpy(le, "+Inf");
				else
					fmt_seconds(le, cnt_bucket_le(b));
				sample(tb, &F_DURATION, "_bucket", l, 3, cum);
			}
			struct lbl l[] = { { "family", family_name(fam) }, { "op", op_name(op) } };

			tb_puts(tb, F_DURATION.name);
			tb_puts(tb, "_sum");
			labels(tb, l, 2);
			tb_putc(tb, ' ');
			tb_seconds(tb, o->dur_ns);
			tb_putc(tb, '\n');
			sample(tb, &F_DURATION, "_count", l, 2, o->timed);
		}
}

static void launches(struct textbuf *tb, const struct counters *c, enum expo_format fmt)
{
	char eb[32], fb[16];

	header(tb, &F_STARTED, fmt);
	sample(tb, &F_STARTED, NULL, NULL, 0, c->launches_started);
	header(tb, &F_FINISHED, fmt);
	sample(tb, &F_FINISHED, NULL, NULL, 0, c->launches_finished);
	header(tb, &F_LFAIL, fmt);
	for (int i = 0; i < c->nlaunch_fails; i++) {
		const struct cnt_fail *e = &c->launch_fails[i];
		struct lbl l[] = { { "step", cnt_step_name(e->op) }, { "errno", errno_label(e->err, eb, sizeof(eb)) },
				   { "fw_status", fw_label(e->fw, fb, sizeof(fb)) } };

		sample(tb, &F_LFAIL, NULL, l, 3, e->n);
	}
	if (c->launch_fails_other) {
		struct lbl l[] = { { "step", "other" }, { "errno", "other" }, { "fw_status", "other" } };

		sample(tb, &F_LFAIL, NULL, l, 3, c->launch_fails_other);
	}
	header(tb, &F_ABORTED, fmt);
	for (int st = CNT_STEP_START; st <= CNT_STEP_VMSA; st++) {
		struct lbl l[] = { { "step", cnt_step_name(st) } };

		sample(tb, &F_ABORTED, NULL, l, 1, c->launches_aborted[st]);
	}
}

static void vm_family(struct textbuf *tb, const struct counters *c, const struct family *f, size_t field,
		      enum expo_format fmt)
{
	header(tb, f, fmt);
	for (int i = 0; i <= c->nvms; i++) {
		const struct cnt_vm *v = i < c->nvms ? &c->vms[i] : &c->vm_other;
		char pid[16];

		if (i < c->nvms)
			snprintf(pid, sizeof(pid), "%u", v->vm_pid);
		for (int fam = 0; fam < FAM_COUNT; fam++) {
			const struct cnt_vm_family *vf = &v->fam[fam];
			struct lbl l[] = { { "vmm", i < c->nvms ? v->comm : "other" },
					   { "vm_pid", i < c->nvms ? pid : "other" },
					   { "family", family_name(fam) } };
			uint64_t val;

			if (!vf->ops)
				continue;
			memcpy(&val, (const char *)vf + field, sizeof(val));
			sample(tb, f, NULL, l, 3, val);
		}
	}
}

void expo_render(struct textbuf *tb, const struct metrics_snapshot *s, enum expo_format fmt)
{
	const struct counters *c = s->c;

	info(tb, &F_BUILD, &s->build, fmt);
	info(tb, &F_PLATFORM, &s->platform, fmt);
	header(tb, &F_SNAPSHOT, fmt);
	tb_puts(tb, F_SNAPSHOT.name);
	tb_putc(tb, ' ');
	tb_seconds(tb, s->taken_ns);
	tb_putc(tb, '\n');
	probes(tb, s, fmt);
	op_counter(tb, c, &F_OPS, offsetof(struct cnt_op, ops), fmt);
	op_counter(tb, c, &F_PAGES, offsetof(struct cnt_op, pages), fmt);
	errors(tb, c, fmt);
	durations(tb, c, fmt);
	header(tb, &F_LOST, fmt);
	sample(tb, &F_LOST, NULL, NULL, 0, c->lost);
	launches(tb, c, fmt);
	if (c->max_vms) {
		vm_family(tb, c, &F_VM_OPS, offsetof(struct cnt_vm_family, ops), fmt);
		vm_family(tb, c, &F_VM_PAGES, offsetof(struct cnt_vm_family, pages), fmt);
		vm_family(tb, c, &F_VM_ERRORS, offsetof(struct cnt_vm_family, errors), fmt);
		header(tb, &F_VM_RETIRED, fmt);
		sample(tb, &F_VM_RETIRED, NULL, NULL, 0, c->vms_retired);
	}
	if (fmt == EXPO_OPENMETRICS)
		tb_puts(tb, "# EOF\n");
}

const char *expo_content_type(enum expo_format f)
{
	return f == EXPO_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8" :
				       "text/plain; version=0.0.4; charset=utf-8";
}

void expo_info_add(struct expo_info *i, const char *name, const char *value)
{
	if (i->n == EXPO_MAX_LABELS)
		return;
	snprintf(i->l[i->n].name, sizeof(i->l[i->n].name), "%s", name);
	snprintf(i->l[i->n].value, sizeof(i->l[i->n].value), "%s", value ? value : "");
	i->n++;
}
