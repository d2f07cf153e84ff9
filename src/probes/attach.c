// SPDX-License-Identifier: GPL-2.0
/*
 * The attach engine.
 *
 * 1. Detection: for every probe of the selected families, find its BTF
 *    prototype, match it against the signature variants, look it up in
 *    kallsyms (inlined? suffixed name for kprobes?) and in ftrace's list of
 *    traceable functions. The outcome is either a final state (missing,
 *    unsupported) or a list of attach methods to try, best first.
 * 2. Load: all probes go into one BPF object at their current method. The
 *    kernel may refuse a whole program type (fentry gets EPERM on some hosts,
 *    and one refused program fails the whole object), so when the load fails
 *    each probe is tried alone, method by method, to find what this kernel
 *    accepts; a method refused with EPERM is not tried again for other probes.
 * 3. Attach: every surviving probe is attached; a failure is recorded, never
 *    fatal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/attach.h"
#include "base/decode.h"
#include "probes/ksyms.h"
#include "base/names.h"
#include "gfntop.skel.h"

static const char *const method_kinds[METHOD_COUNT][2] = {
	[METHOD_FENTRY] = { "fentry", "fexit" },
	[METHOD_KPROBE] = { "kprobe", "kretprobe" },
	[METHOD_TP_BTF] = { "tracepoint", NULL },
	[METHOD_TRACEPOINT] = { "tracepoint", NULL },
};

static const char *const method_names[METHOD_COUNT] = {
	[METHOD_FENTRY] = "fentry",
	[METHOD_KPROBE] = "kprobe",
	[METHOD_TP_BTF] = "tp_btf",
	[METHOD_TRACEPOINT] = "tracepoint",
};

/* The programs of tp.bpf.c, by enum gfn_tp_prog. */
static const struct {
	const char *btf_prog;
	const char *classic_prog;
} tp_progs[TPP_COUNT] = {
	[TPP_UNMAP_HVA] = { "tp_btf_unmap_hva_range", "tp_unmap_hva_range" },
	[TPP_AGE_HVA] = { "tp_btf_age_hva", "tp_age_hva" },
	[TPP_TEST_AGE_HVA] = { "tp_btf_test_age_hva", "tp_test_age_hva" },
};

static const char *const state_names[] = {
	[STATE_OK] = "ok",
	[STATE_MISSING] = "missing",
	[STATE_REFUSED] = "refused",
	[STATE_UNSUPPORTED] = "unsupported",
};

const char *probe_state_name(enum probe_state s)
{
	return state_names[s];
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int libbpf_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void add_reason(struct probe *p, const char *fmt, ...)
{
	size_t used = strlen(p->reason);
	va_list ap;

	if (used && used + 2 < sizeof(p->reason)) {
		strcat(p->reason, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(p->reason + used, sizeof(p->reason) - used, fmt, ap);
	va_end(ap);
}

static const char *errname(int err)
{
	static char buf[32];
	const char *n = decode_errno(err < 0 ? -err : err);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "error %d", err);
	return buf;
}

static void finish(struct probe *p, enum probe_state s, const char *fmt, ...)
{
	va_list ap;

	p->state = s;
	p->nmethods = 0;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
		va_end(ap);
	}
}

/* Still to be attached: state stays STATE_OK until something final happens. */
static bool pending(const struct probe *p)
{
	return p->state == STATE_OK && !p->links[0] && p->method_idx < p->nmethods;
}

/*
 * GFNTOP_METHODS=kprobe,tracepoint (a comma list of fentry, kprobe, tp_btf,
 * tracepoint) restricts the attach methods tried: how the tests exercise
 * fallbacks on kernels where the preferred method works.
 */
static bool method_allowed(int m)
{
	const char *env = getenv("GFNTOP_METHODS");
	size_t n = strlen(method_names[m]);

	if (!env || !*env)
		return true;
	for (const char *p = env; *p; p += strcspn(p, ","), p += *p == ',') {
		if (strncmp(p, method_names[m], n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

static void add_method(struct probe *p, int m)
{
	if (method_allowed(m))
		p->methods[p->nmethods++] = m;
	else
		add_reason(p, "%s: disabled by GFNTOP_METHODS", method_names[m]);
}

/* ---- building the list ---- */

static struct probe *add_probe(struct probe_set *ps, const struct probe_def *def)
{
	struct probe *p;

	if (ps->n >= MAX_PROBES)
		return NULL;
	p = &ps->probes[ps->n++];
	memset(p, 0, sizeof(*p));
	p->def = *def;
	snprintf(p->target, sizeof(p->target), "%s", def->target);
	p->def.target = p->target;
	p->func_id = func_intern(p->target, strlen(p->target));
	p->slot = -1;
	p->traceable = -1;
	return p;
}

static const struct sig_variant *match_variant(const struct probe *p)
{
	for (int i = 0; i < sig_variants_len; i++)
		if (sig_variants[i].sig == p->def.sig && !strcmp(sig_variants[i].params, p->proto.params))
			return &sig_variants[i];
	return NULL;
}

static void detect_tracepoint(struct probe_set *ps, struct probe *p)
{
	const char *name = strchr(p->target, ':') ? strchr(p->target, ':') + 1 : p->target;
	const char *tfs = tracefs_dir(NULL);
	char path[512];
	const struct sig_variant *v;

	p->found = btf_index_tracepoint(ps->btf, name, &p->proto) == 0;
	if (p->found) {
		v = match_variant(p);
		if (!v) {
			finish(p, STATE_UNSUPPORTED, "tracepoint arguments (%s) match no known variant",
			       p->proto.params);
			return;
		}
		p->shape = v->shape;
		add_method(p, METHOD_TP_BTF);
	}
	if (tfs) {
		snprintf(path, sizeof(path), "%s/events/%.*s/%s", tfs,
			 (int)(name - p->target - 1), p->target, name);
		if (access(path, F_OK) == 0)
			add_method(p, METHOD_TRACEPOINT);
	}
	if (!p->nmethods && !p->reason[0])
		finish(p, STATE_MISSING, "no such tracepoint in this kernel%s",
		       tfs ? "" : " (no BTF entry; tracefs not mounted)");
	else if (!p->nmethods)
		finish(p, STATE_UNSUPPORTED, NULL);
}

static void detect_functions(struct probe_set *ps, int first)
{
	struct ksym_query q[MAX_PROBES];
	int idx[MAX_PROBES], n = 0, next_slot = 0;
	bool have_ksyms, have_kprobes = kernel_has_kprobes(NULL);

	for (int i = first; i < ps->n; i++)
		if (!probe_is_tracepoint(&ps->probes[i].def)) {
			idx[n] = i;
			q[n++].name = ps->probes[i].target;
		}
	have_ksyms = ksyms_scan(q, n, NULL) == 0;

	for (int i = 0; i < ps->n; i++)
		if (ps->probes[i].slot >= next_slot)
			next_slot = ps->probes[i].slot + 1;

	for (int k = 0; k < n; k++) {
		struct probe *p = &ps->probes[idx[k]];
		const struct sig_variant *v;

		p->found = btf_index_func(ps->btf, p->target, &p->proto) == 0;
		p->in_kallsyms = have_ksyms ? q[k].in_kallsyms : p->found;
		snprintf(p->ksym, sizeof(p->ksym), "%s", q[k].sym[0] ? q[k].sym : p->target);
		p->traceable = q[k].traceable;

		if (!p->found && !p->in_kallsyms) {
			finish(p, STATE_MISSING, "not in BTF or kallsyms");
			continue;
		}
		if (p->found && !p->in_kallsyms) {
			finish(p, STATE_MISSING, "inlined (in BTF, no symbol in kallsyms)");
			continue;
		}
		if (!p->found) {
			finish(p, STATE_UNSUPPORTED, "not in BTF: its prototype cannot be checked");
			continue;
		}
		v = match_variant(p);
		if (!v) {
			finish(p, STATE_UNSUPPORTED, "prototype (%s) matches no known variant",
			       p->proto.params);
			continue;
		}
		if (p->traceable == 0) {
			finish(p, STATE_UNSUPPORTED, "not traceable (absent from available_filter_functions)");
			continue;
		}
		if (next_slot >= GFN_SLOTS) {
			finish(p, STATE_UNSUPPORTED, "no free program slot (at most %d functions)", GFN_SLOTS);
			continue;
		}
		p->shape = v->shape;
		p->slot = next_slot++;
		add_method(p, METHOD_FENTRY);
		if (have_kprobes)
			add_method(p, METHOD_KPROBE);
		else
			p->no_kprobes = true;
		if (!p->nmethods)
			finish(p, STATE_UNSUPPORTED, NULL);
	}
}

/* ---- loading ---- */

static struct bpf_program *prog(struct gfntop_bpf *skel, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return bpf_object__find_program_by_name(skel->obj, name);
}

/* The one or two programs that implement probe p's current method. */
static void probe_progs(struct gfntop_bpf *skel, const struct probe *p, struct bpf_program *out[2])
{
	out[0] = out[1] = NULL;
	switch (p->methods[p->method_idx]) {
	case METHOD_FENTRY:
		out[0] = prog(skel, "slot_fentry_%d", p->slot);
		out[1] = prog(skel, "slot_fexit_%d", p->slot);
		break;
	case METHOD_KPROBE:
		out[0] = prog(skel, "slot_kprobe_%d", p->slot);
		out[1] = prog(skel, "slot_kretprobe_%d", p->slot);
		break;
	case METHOD_TP_BTF:
		out[0] = prog(skel, "%s", tp_progs[p->def.tp_prog].btf_prog);
		break;
	case METHOD_TRACEPOINT:
		out[0] = prog(skel, "%s", tp_progs[p->def.tp_prog].classic_prog);
		break;
	}
}

static void configure(struct gfntop_bpf *skel, const struct probe *p)
{
	struct bpf_program *progs[2];

	probe_progs(skel, p, progs);
	for (int i = 0; i < 2; i++) {
		if (!progs[i])
			continue;
		bpf_program__set_autoload(progs[i], true);
		if (p->methods[p->method_idx] == METHOD_FENTRY)
			bpf_program__set_attach_target(progs[i], 0, p->target);
	}
	if (probe_is_tracepoint(&p->def)) {
		skel->rodata->tp_cfg[p->def.tp_prog] = (struct gfn_tp_cfg){
			.func_id = (__u16)p->func_id, .family = p->def.family, .op = p->def.op,
		};
	} else {
		skel->rodata->slot_cfg[p->slot] = (struct gfn_slot_cfg){
			.shape = (__u8)p->shape, .op = p->def.op, .family = p->def.family,
			.ret_kind = (__u8)p->proto.ret_kind, .func_id = (__u16)p->func_id,
			.starts_iter = p->def.starts_iter,
		};
	}
}

/* Opens and loads the BPF object with the given probes at their current methods. */
static struct gfntop_bpf *load(const struct probe_set *ps, struct probe *const *items, int n,
			       size_t ringbuf, int *err)
{
	struct gfntop_bpf *skel = gfntop_bpf__open();
	struct bpf_program *pr;

	if (!skel) {
		*err = -errno;
		return NULL;
	}
	bpf_object__for_each_program(pr, skel->obj)
		bpf_program__set_autoload(pr, false);
	bpf_map__set_max_entries(skel->maps.events, (__u32)ringbuf);
	skel->rodata->filter_pids = ps->cfg.npids > 0;
	skel->rodata->vm_key[0] = ps->cfg.vm_key[0];
	skel->rodata->vm_key[1] = ps->cfg.vm_key[1];
	skel->rodata->wakeup_bytes = ringbuf / 16;	/* a power of two: ev_submit() relies on it */
	skel->rodata->kagg_families = ps->cfg.kagg_families;
	for (int i = 0; i < n; i++)
		configure(skel, items[i]);

	*err = gfntop_bpf__load(skel);
	if (*err) {
		gfntop_bpf__destroy(skel);
		return NULL;
	}
	for (int i = 0; i < ps->cfg.npids; i++) {
		__u8 one = 1;

		bpf_map__update_elem(skel->maps.pid_filter, &ps->cfg.pids[i], sizeof(__u32),
				     &one, sizeof(one), BPF_ANY);
	}
	return skel;
}

static int attach(struct gfntop_bpf *skel, struct probe *p)
{
	struct bpf_program *progs[2];
	int method = p->methods[p->method_idx];

	probe_progs(skel, p, progs);
	for (int i = 0; i < 2; i++) {
		if (!progs[i])
			continue;
		if (method == METHOD_KPROBE)
			p->links[i] = bpf_program__attach_kprobe(progs[i], i == 1, p->ksym);
		else
			p->links[i] = bpf_program__attach(progs[i]);
		if (!p->links[i]) {
			int err = -errno;

			/* a pair is all or nothing: an entry without its exit would leak state */
			for (int j = 0; j < i; j++) {
				bpf_link__destroy(p->links[j]);
				p->links[j] = NULL;
			}
			return err ? err : -EINVAL;
		}
	}
	return 0;
}

static void detach(struct probe *p)
{
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(p->links[i]);
		p->links[i] = NULL;
	}
}

/* Loads and attaches p alone, then undoes it: does this kernel accept p's current method? */
static int trial(const struct probe_set *ps, struct probe *p)
{
	struct probe *one[1] = { p };
	int err;
	struct gfntop_bpf *skel = load(ps, one, 1, 4096, &err);

	if (!skel)
		return err;
	err = attach(skel, p);
	detach(p);
	gfntop_bpf__destroy(skel);
	return err;
}

/*
 * Finds, for every pending probe, a method this kernel accepts (or gives it
 * up as refused). A method refused with EPERM is a policy of the kernel, not
 * of one function: it is not tried again.
 */
static void isolate(struct probe_set *ps, int refused[METHOD_COUNT])
{
	for (int i = 0; i < ps->n; i++) {
		struct probe *p = &ps->probes[i];

		while (pending(p)) {
			int m = p->methods[p->method_idx];
			int err = refused[m] ? refused[m] : trial(ps, p);

			if (!err)
				break;
			if (err == -EPERM)
				refused[m] = err;
			add_reason(p, "%s refused: %s", method_names[m], errname(err));
			if (++p->method_idx == p->nmethods) {
				p->state = STATE_REFUSED;
				if (p->no_kprobes)
					add_reason(p, "kprobe: this kernel has no kprobes");
			}
		}
	}
}

static int m_of(const struct probe *p)
{
	return p->methods[p->method_idx];
}

/* The reason column of an attached probe: where it is and what was matched; fallbacks keep their history. */
static void describe_success(struct probe *p)
{
	int m = m_of(p);
	const char *how = m == METHOD_TP_BTF ? "BTF raw tracepoint" :
			  m == METHOD_TRACEPOINT ? "classic tracepoint" : p->proto.params;
	const char *where = p->proto.module[0] ? p->proto.module : "tracefs";

	if (p->method_idx == 0) {
		p->reason[0] = '\0';	/* notes about fallbacks that were not needed */
		add_reason(p, "%s: %s", where, how);
	} else {
		add_reason(p, "using %s (%s: %s)", method_names[m], where, how);
	}
}

static int load_and_attach(struct probe_set *ps)
{
	int refused[METHOD_COUNT] = { 0 };
	struct probe *items[MAX_PROBES];
	int n, err = 0;

	for (int round = 0; round < 3; round++) {
		n = 0;
		for (int i = 0; i < ps->n; i++)
			if (pending(&ps->probes[i]))
				items[n++] = &ps->probes[i];
		if (!n)
			return 0;
		ps->skel = load(ps, items, n, ps->cfg.ringbuf_bytes, &err);
		if (ps->skel)
			break;
		if (ps->cfg.verbose)
			fprintf(stderr, "gfntop: loading %d probes together failed (%s); trying each alone\n",
				n, errname(err));
		isolate(ps, refused);
	}
	if (!ps->skel)
		return err;

	for (int i = 0; i < n; i++) {
		struct probe *p = items[i];

		err = attach(ps->skel, p);
		if (err) {
			add_reason(p, "%s attach refused: %s", method_names[m_of(p)], errname(err));
			p->state = STATE_REFUSED;
		} else {
			describe_success(p);
		}
	}
	return 0;
}

/* ---- the public face ---- */

int probes_setup(struct probe_set *ps, unsigned int families, const char *const *handlers,
		 int nhandlers, const struct engine_config *cfg, char *err, size_t errlen)
{
	memset(ps, 0, sizeof(*ps));
	ps->cfg = *cfg;
	if (!ps->cfg.ringbuf_bytes)
		ps->cfg.ringbuf_bytes = 16u << 20;
	libbpf_set_print(cfg->verbose ? libbpf_verbose : libbpf_quiet);

	ps->btf = btf_index_open(cfg->btf_dir, err, errlen);
	if (!ps->btf)
		return -1;

	for (int i = 0; i < probe_table_len; i++)
		if (!families || (families & (1u << probe_table[i].family)))
			add_probe(ps, &probe_table[i]);
	for (int i = 0; i < nhandlers; i++) {
		struct probe_def d = {
			.family = FAM_MMU, .op = OP_HANDLER, .target = handlers[i],
			.sig = SIG_GFN_HANDLER, .tp_prog = -1,
		};
		bool dup = false;

		for (int j = 0; j < ps->n; j++)
			dup |= !strcmp(ps->probes[j].target, handlers[i]);
		if (!dup)
			add_probe(ps, &d);
	}

	for (int i = 0; i < ps->n; i++)
		if (probe_is_tracepoint(&ps->probes[i].def))
			detect_tracepoint(ps, &ps->probes[i]);
	detect_functions(ps, 0);

	if (load_and_attach(ps) == -EPERM && !probes_attached(ps) && geteuid() != 0) {
		snprintf(err, errlen, "permission denied loading BPF programs: run as root, or give "
			 "gfntop CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE");
		return -1;
	}
	return 0;
}

int probes_check_modules(struct probe_set *ps, FILE *out)
{
	char path[128], reported[MAX_PROBES][64];
	int n = 0, nreported = 0;

	for (int i = 0; i < ps->n; i++) {
		struct probe *p = &ps->probes[i];
		const char *mod = p->proto.module;
		bool seen = false;

		if (p->state != STATE_OK || !p->links[0] || !mod[0] || !strcmp(mod, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "/sys/module/%s", mod);
		if (access(path, F_OK) == 0)
			continue;
		detach(p);
		finish(p, STATE_MISSING, "module %s was unloaded while attached", mod);
		n++;
		for (int k = 0; k < nreported; k++)
			seen |= !strcmp(reported[k], mod);
		if (!seen && nreported < MAX_PROBES) {
			snprintf(reported[nreported++], sizeof(reported[0]), "%s", mod);
			fprintf(out, "gfntop: module %s was unloaded: its probes are gone\n", mod);
		}
	}
	return n;
}

int probes_attached(const struct probe_set *ps)
{
	int n = 0;

	for (int i = 0; i < ps->n; i++)
		n += ps->probes[i].state == STATE_OK && ps->probes[i].links[0];
	return n;
}

void probes_each_row(const struct probe_set *ps, probe_row_fn fn, void *ctx)
{
	for (int i = 0; i < ps->n; i++) {
		const struct probe *p = &ps->probes[i];
		int m = p->nmethods ? p->methods[p->method_idx < p->nmethods ? p->method_idx : 0] :
			probe_is_tracepoint(&p->def) ? METHOD_TP_BTF : METHOD_FENTRY;
		enum probe_state st = probe_effective_state(p);

		if (p->state == STATE_REFUSED && p->nmethods)
			m = p->methods[0];	/* show the preferred method; the reason lists the rest */
		for (int k = 0; k < 2 && method_kinds[m][k]; k++)
			fn(ctx, p, method_kinds[m][k], st);
	}
}

static void print_row(void *ctx, const struct probe *p, const char *kind, enum probe_state st)
{
	fprintf(ctx, "%-8s %-42s %-10s %-11s %s\n", family_name(p->def.family), p->target, kind,
		state_names[st], p->reason);
}

void probes_print(const struct probe_set *ps, FILE *out)
{
	fprintf(out, "%-8s %-42s %-10s %-11s %s\n", "FAMILY", "TARGET", "KIND", "STATE", "REASON");
	probes_each_row(ps, print_row, out);
}

enum probe_state probe_effective_state(const struct probe *p)
{
	return p->state == STATE_OK && !p->links[0] ? STATE_REFUSED : p->state;
}

void probes_summary(const struct probe_set *ps, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int f = 1; f < FAM_COUNT; f++) {
		int total = 0, ok = 0;

		for (int i = 0; i < ps->n; i++) {
			if (ps->probes[i].def.family != f)
				continue;
			total++;
			ok += ps->probes[i].state == STATE_OK && ps->probes[i].links[0];
		}
		if (total && used < len)
			used += snprintf(buf + used, len - used, "%s%s %d/%d", used ? " " : "",
					 family_name(f), ok, total);
	}
}

void probes_explain_none(const struct probe_set *ps, char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "no probe could attach:");

	for (int i = 0; i < ps->n && used < len; i++)
		used += snprintf(buf + used, len - used, "\n  %s %s: %s (%s)", family_name(ps->probes[i].def.family),
				 ps->probes[i].target, state_names[ps->probes[i].state], ps->probes[i].reason);
}

void probes_detach(struct probe_set *ps)
{
	for (int i = 0; i < ps->n; i++)
		detach(&ps->probes[i]);
}

void probes_destroy(struct probe_set *ps)
{
	probes_detach(ps);
	gfntop_bpf__destroy(ps->skel);
	ps->skel = NULL;
	btf_index_close(ps->btf);
	ps->btf = NULL;
}

int probes_events_fd(const struct probe_set *ps)
{
	return bpf_map__fd(ps->skel->maps.events);
}

const volatile unsigned long long *probes_lost_counter(const struct probe_set *ps)
{
	return (const volatile unsigned long long *)&ps->skel->bss->lost_count;
}

void probes_kagg(const struct probe_set *ps, int *cache_fd, int *rows_fd, int *hist_fd,
		 const volatile unsigned long long **full, volatile long long **samples)
{
	*cache_fd = bpf_map__fd(ps->skel->maps.kagg_cache);
	*rows_fd = bpf_map__fd(ps->skel->maps.kagg_rows);
	*hist_fd = bpf_map__fd(ps->skel->maps.kagg_hist);
	*full = (const volatile unsigned long long *)&ps->skel->bss->kagg_full;
	*samples = (volatile long long *)&ps->skel->bss->kagg_samples;
}
