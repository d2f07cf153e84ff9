// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace pipeline benchmark: gfntop's own consumers fed from memory, so
 * that only their cost is measured (bench/pipeline.sh runs it).
 *
 *   pipeline agg N          agg_add alone
 *   pipeline session N      the whole per-event path without a trace:
 *                           session_event (filters, aggregation, SNP launch
 *                           sessions, recent-event rings)
 *   pipeline csv N FILE     the same with -w FILE: the trace writer included;
 *                           also how bench/ makes its large traces
 *   pipeline replay FILE    csv_replay_file into session_event: gfntop -r
 *                           without exec, option parsing and the summary
 *   pipeline rss N          session_event over N events, printing the
 *                           resident set at 10^3, 10^4, ... events
 *
 * Each prints key=value facts on one line, among them allocs= and printfs=:
 * heap allocations and printf-family calls made inside the timed loop,
 * counted by the wrappers below (malloc & co. are replaced; the printf family
 * is wrapped with ld's --wrap, see the Makefile). The hot paths promise zero.
 *
 * The events are a fixed mix modelled on what gfntop records during an SNP
 * launch on a busy host: KVM tracepoint rows, MMU-notifier calls and their
 * per-slot handlers, aging, LAUNCH_UPDATE ioctls, post_populate and PSP
 * commands, with a few failures (known and unknown errnos, firmware errors),
 * spread over 4 VMs and 8 memslots each.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "model/agg.h"
#include "base/names.h"
#include "model/session.h"
#include "trace/reader.h"

/* ---- counting allocations and printf calls inside the measured window ---- */

static bool counting;
static unsigned long long n_allocs, n_printfs;

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);

void *malloc(size_t size)
{
	n_allocs += counting;
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	n_allocs += counting;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	n_allocs += counting;
	return __libc_realloc(p, size);
}

void free(void *p)
{
	__libc_free(p);
}

int __real_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __real_vsprintf(char *buf, const char *fmt, va_list ap);

#define WRAP_VARIADIC(decl, call)		\
	decl					\
	{					\
		va_list ap;			\
		int r;				\
						\
		n_printfs += counting;		\
		va_start(ap, fmt);		\
		r = call;			\
		va_end(ap);			\
		return r;			\
	}

WRAP_VARIADIC(int __wrap_snprintf(char *buf, size_t len, const char *fmt, ...),
	      __real_vsnprintf(buf, len, fmt, ap))
WRAP_VARIADIC(int __wrap_sprintf(char *buf, const char *fmt, ...), __real_vsprintf(buf, fmt, ap))
WRAP_VARIADIC(int __wrap_fprintf(FILE *f, const char *fmt, ...), __real_vfprintf(f, fmt, ap))
WRAP_VARIADIC(int __wrap_printf(const char *fmt, ...), __real_vfprintf(stdout, fmt, ap))
/* _FORTIFY_SOURCE builds (Ubuntu's default) call these instead */
WRAP_VARIADIC(int __wrap___snprintf_chk(char *buf, size_t len, int flag, size_t slen, const char *fmt, ...),
	      ((void)flag, (void)slen, __real_vsnprintf(buf, len, fmt, ap)))
WRAP_VARIADIC(int __wrap___sprintf_chk(char *buf, int flag, size_t slen, const char *fmt, ...),
	      ((void)flag, (void)slen, __real_vsprintf(buf, fmt, ap)))
WRAP_VARIADIC(int __wrap___fprintf_chk(FILE *f, int flag, const char *fmt, ...),
	      ((void)flag, __real_vfprintf(f, fmt, ap)))
WRAP_VARIADIC(int __wrap___printf_chk(int flag, const char *fmt, ...),
	      ((void)flag, __real_vfprintf(stdout, fmt, ap)))

int __wrap_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	n_printfs += counting;
	return __real_vsnprintf(buf, len, fmt, ap);
}

int __wrap_vsprintf(char *buf, const char *fmt, va_list ap)
{
	n_printfs += counting;
	return __real_vsprintf(buf, fmt, ap);
}

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	n_printfs += counting;
	return __real_vfprintf(f, fmt, ap);
}

static void window_open(void)
{
	n_allocs = n_printfs = 0;
	counting = true;
}

static void window_close(void)
{
	counting = false;
}

/* ---- the event mix ---- */

#define MIX_EVENTS 65536	/* a power of two: the loop wraps with a mask */
#define VMS 4
#define SLOTS 8

static struct gfn_event mix[MIX_EVENTS];

struct shape {
	unsigned int weight;		/* per mille */
	unsigned char family, op;
	const char *func;
	unsigned int flags;		/* beyond EVF_TASK */
	long long ret;			/* 0: success */
	int fw_error;
	unsigned int psp_cmd;
	unsigned char page_type;
};

static const struct shape shapes[] = {
	{ 400, FAM_TP, OP_TP_UNMAP_HVA, "kvm:kvm_unmap_hva_range", EVF_VM_PID | EVF_HVA | EVF_NPAGES },
	{ 200, FAM_MMU, OP_NOTIFIER, "kvm_mmu_notifier_invalidate_range_start",
	  EVF_VM_PID | EVF_VM_ID | EVF_HVA | EVF_NPAGES | EVF_DUR | EVF_RET },
	{ 250, FAM_MMU, OP_UNMAP, "kvm_unmap_gfn_range",
	  EVF_VM_PID | EVF_VM_ID | EVF_SLOT | EVF_GFN | EVF_NPAGES | EVF_DUR | EVF_RET },
	{ 50, FAM_MMU, OP_AGE, "kvm_age_gfn",
	  EVF_VM_PID | EVF_VM_ID | EVF_SLOT | EVF_GFN | EVF_NPAGES | EVF_DUR | EVF_RET },
	{ 50, FAM_MMU, OP_TEST_AGE, "kvm_test_age_gfn",
	  EVF_VM_PID | EVF_VM_ID | EVF_SLOT | EVF_GFN | EVF_NPAGES | EVF_DUR | EVF_RET },
	{ 30, FAM_PSP, OP_PSP_CMD, "__sev_do_cmd_locked",
	  EVF_DUR | EVF_RET | EVF_FW | EVF_PSP_CMD, 0, 0, 0x95 /* SNP_LAUNCH_UPDATE */ },
	{ 10, FAM_SNP, OP_LAUNCH_UPDATE, "sev_mem_enc_ioctl",
	  EVF_VM_PID | EVF_VM_ID | EVF_SLOT | EVF_GFN | EVF_NPAGES | EVF_HVA | EVF_DUR | EVF_RET | EVF_FW |
	  EVF_PSP_CMD | EVF_PAGE_TYPE, -5 /* EIO */, 0, 0x95, 1 },
	{ 5, FAM_SNP, OP_POST_POPULATE, "sev_gmem_post_populate",
	  EVF_VM_PID | EVF_VM_ID | EVF_GFN | EVF_NPAGES | EVF_DUR | EVF_RET | EVF_FW | EVF_PAGE_TYPE,
	  -5, 0x16 /* INVALID_PARAM */, 0, 6 /* CPUID */ },
	{ 5, FAM_MMU, OP_UNMAP, "kvm_unmap_gfn_range",	/* an errno without a name: E600 */
	  EVF_VM_PID | EVF_VM_ID | EVF_SLOT | EVF_GFN | EVF_NPAGES | EVF_DUR | EVF_RET, -600 },
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const struct shape *pick_shape(void)
{
	unsigned int r = next_rand() % 1000, acc = 0;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		acc += shapes[i].weight;
		if (r < acc)
			return &shapes[i];
	}
	return &shapes[0];
}

static void build_mix(void)
{
	uint64_t ts = 1795578698000000000ULL;

	for (unsigned int i = 0; i < MIX_EVENTS; i++) {
		const struct shape *sh = pick_shape();
		struct gfn_event *e = &mix[i];
		unsigned int vm = next_rand() % VMS, slot = next_rand() % SLOTS;
		uint64_t gfn = ((uint64_t)slot << 18) + next_rand() % (1u << 18);
		uint64_t pages = 1 + next_rand() % 8;

		memset(e, 0, sizeof(*e));
		ts += 200 + next_rand() % 2000;
		e->ts_ns = ts;
		e->family = sh->family;
		e->op = sh->op;
		e->func_id = (uint16_t)func_intern(sh->func, strlen(sh->func));
		e->flags = (uint16_t)(EVF_TASK | sh->flags);
		e->cpu = next_rand() % 2;
		e->pid = 4000 + vm;
		snprintf(e->comm, sizeof(e->comm), "qemu-vm%u", vm);
		e->vm_pid = 4000 + vm;
		e->vm_id = 0x6c452f528375ff00ULL + vm;
		e->iter_id = i / 3 + 1;
		e->slot = (uint16_t)slot;
		e->gfn_start = gfn;
		e->gfn_end = gfn + pages;
		e->npages = pages;
		e->hva_start = 0x7f0000000000ULL + (gfn << 12);
		e->hva_end = e->hva_start + (pages << 12);
		e->dur_ns = 300 + next_rand() % (1u << (8 + next_rand() % 12));
		e->ret = sh->ret;
		e->fw_error = sh->fw_error;
		e->psp_cmd = sh->psp_cmd;
		e->page_type = sh->page_type;
	}
}

/* event i of an endless stream: the mix, shifted in time each lap */
static struct gfn_event *event_at(uint64_t i)
{
	struct gfn_event *e = &mix[i & (MIX_EVENTS - 1)];

	if (i >= MIX_EVENTS && (i & (MIX_EVENTS - 1)) == 0) {
		for (unsigned int k = 0; k < MIX_EVENTS; k++)
			mix[k].ts_ns += 200000000ULL;	/* a lap later; outside the per-event cost */
	}
	return e;
}

/* ---- measurements ---- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long rss_kib(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (unsigned long)(sysconf(_SC_PAGESIZE) / 1024);
}

static void report(const char *what, uint64_t n, double secs, const char *extra)
{
	printf("bench=%s events=%llu seconds=%.6f events_per_s=%.0f ns_per_event=%.2f allocs=%llu printfs=%llu%s\n",
	       what, (unsigned long long)n, secs, (double)n / secs, secs * 1e9 / (double)n, n_allocs, n_printfs,
	       extra ? extra : "");
}

static int bench_agg(uint64_t n)
{
	struct agg *a = agg_new();
	double t0, t1;

	if (!a)
		return 1;
	window_open();
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++)
		agg_add(a, event_at(i));
	t1 = now_s();
	window_close();
	if (a->events[AGG_TOTAL] != n) {
		fprintf(stderr, "pipeline: aggregated %llu of %llu events\n",
			(unsigned long long)a->events[AGG_TOTAL], (unsigned long long)n);
		return 1;
	}
	report("agg", n, t1 - t0, NULL);
	agg_free(a);
	return 0;
}

static struct session_config opts;
static struct session sess;

static int bench_session(const char *what, uint64_t n, const char *csv_path)
{
	char extra[128] = "";
	double t0, t1;

	opts = (struct session_config){ .csv_path = csv_path, .force = true, .mode = CSV_DIRECT };
	if (session_open(&sess, &opts))
		return 1;
	window_open();
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		if (session_event(&sess, event_at(i)))
			break;
	}
	if (sess.csv && csv_flush(sess.csv))
		sess.write_failed = true;
	t1 = now_s();
	window_close();
	if (sess.csv)
		snprintf(extra, sizeof(extra), " bytes=%llu", csv_bytes(sess.csv));
	if (session_close(&sess, true) || sess.agg)
		return 1;
	report(what, n, t1 - t0, extra);
	return 0;
}

static int bench_replay(const char *path)
{
	char err[4608], extra[64];
	double t0, t1;
	FILE *f;
	long bytes;

	opts = (struct session_config){ .one_period = true, .mode = CSV_ATOMIC };
	if (session_open(&sess, &opts))
		return 1;
	window_open();
	t0 = now_s();
	int rc = csv_replay_file(path, session_event, &sess, err, sizeof(err));
	t1 = now_s();
	window_close();
	if (rc) {
		fprintf(stderr, "pipeline: %s\n", err);
		return 1;
	}
	f = fopen(path, "r");
	bytes = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (f)
		fclose(f);
	snprintf(extra, sizeof(extra), " bytes=%ld mb_per_s=%.1f", bytes, (double)bytes / 1e6 / (t1 - t0));
	report("replay", sess.agg->events[AGG_TOTAL] + sess.agg->lost[AGG_TOTAL], t1 - t0, extra);
	session_close(&sess, true);
	return 0;
}

static int bench_rss(uint64_t n)
{
	uint64_t next = 1000;

	opts = (struct session_config){ .mode = CSV_DIRECT };
	if (session_open(&sess, &opts))
		return 1;
	printf("bench=rss events=0 rss_kib=%lu\n", rss_kib());
	for (uint64_t i = 0; i < n; i++) {
		session_event(&sess, event_at(i));
		if (i + 1 == next || i + 1 == n) {
			printf("bench=rss events=%llu rss_kib=%lu\n", (unsigned long long)(i + 1), rss_kib());
			next *= 10;
		}
	}
	session_close(&sess, true);
	return 0;
}

static uint64_t count_arg(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);	/* 1e7 reads as well as 10000000 */
	if (errno || *end || v < 1 || v > 1e12) {
		fprintf(stderr, "pipeline: bad count '%s'\n", s);
		exit(2);
	}
	return (uint64_t)v;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	build_mix();
	if (!strcmp(mode, "agg") && argc == 3)
		return bench_agg(count_arg(argv[2]));
	if (!strcmp(mode, "session") && argc == 3)
		return bench_session("session", count_arg(argv[2]), NULL);
	if (!strcmp(mode, "csv") && argc == 4)
		return bench_session("csv", count_arg(argv[2]), argv[3]);
	if (!strcmp(mode, "replay") && argc == 3)
		return bench_replay(argv[2]);
	if (!strcmp(mode, "rss") && argc == 3)
		return bench_rss(count_arg(argv[2]));
	fprintf(stderr, "usage: pipeline agg N | session N | csv N FILE | replay FILE | rss N\n");
	return 2;
}
