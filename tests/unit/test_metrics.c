// SPDX-License-Identifier: GPL-2.0
/*
 * The exporters' counters (model/counters.c) and the metrics outputs
 * (outputs/): counts by family x op, failures by errno and firmware status,
 * launches by result and step through the launch table's hook, per-VM caps,
 * overflow and retirement, duration buckets against the log-linear
 * histogram, the exposition in both formats with hostile label values,
 * content negotiation, the snapshot hand-over, the textfile (never through a
 * symbolic link) and the HTTP endpoint on a loopback port.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "model/agg.h"
#include "model/counters.h"
#include "model/launch.h"
#include "outputs/exposition.h"
#include "outputs/metrics_internal.h"
#include "outputs/textbuf.h"

static struct gfn_event ev(uint8_t family, uint8_t op, uint32_t vm_pid, int64_t ret, uint64_t dur, uint64_t pages)
{
	struct gfn_event e = { .family = family, .op = op, .vm_pid = vm_pid, .pid = vm_pid, .ret = ret,
			       .dur_ns = dur, .npages = pages, .flags = EVF_RET | EVF_NPAGES | EVF_TASK };

	if (vm_pid)
		e.flags |= EVF_VM_PID;
	if (dur)
		e.flags |= EVF_DUR;
	strcpy(e.comm, "qemu");
	return e;
}

static void add(struct counters *c, struct gfn_event e)
{
	counters_add(c, &e);
}

static void counts_by_family_and_op(void **state)
{
	struct counters *c = counters_new(0);
	struct gfn_event lost = { .op = OP_LOST, .ret = 7, .flags = EVF_RET };

	(void)state;
	for (int i = 0; i < 10; i++)
		add(c, ev(FAM_MMU, OP_UNMAP, 100, 0, 1000, 4));
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 100, 0, 0, 1));
	counters_add(c, &lost);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].ops, 10);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].pages, 40);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].timed, 10);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].dur_ns, 10000);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].hist[cnt_bucket(1000)], 10);
	assert_int_equal(c->op[FAM_TP][OP_TP_UNMAP_HVA].timed, 0);
	assert_int_equal(c->lost, 7);
	assert_int_equal(c->nvms, 0);	/* no per-VM counters unless asked for */
	counters_free(c);
}

static void buckets_are_log_linear_bounds(void **state)
{
	(void)state;
	for (unsigned int b = 0; b + 1 < CNT_BUCKETS; b++) {
		uint64_t le = cnt_bucket_le(b);

		/* each bound closes a bucket of agg.c's histogram: counts per bucket map exactly */
		assert_int_equal(hist_bucket_upper(hist_bucket(le)), le);
		assert_int_equal(cnt_bucket(le), b);
		assert_int_equal(cnt_bucket(le + 1), b + 1);
	}
	assert_int_equal(cnt_bucket(0), 0);
	assert_int_equal(cnt_bucket(UINT64_MAX), CNT_BUCKETS - 1);
	assert_true(cnt_bucket_le(CNT_BUCKETS - 1) == UINT64_MAX);
}

static void failures_by_errno_and_firmware(void **state)
{
	struct counters *c = counters_new(0);
	struct gfn_event fw = ev(FAM_SNP, OP_POST_POPULATE, 42, -EIO, 500, 1);
	struct gfn_event no_fw_call = ev(FAM_PSP, OP_PSP_CMD, 42, -ETIMEDOUT, 500, 0);
	struct gfn_event fw_only = ev(FAM_PSP, OP_PSP_CMD, 42, 0, 500, 0);

	(void)state;
	fw.fw_error = 0x16;
	fw.flags |= EVF_FW;
	no_fw_call.fw_error = -1;	/* the kernel's "firmware not called": no firmware status */
	no_fw_call.flags |= EVF_FW;
	fw_only.fw_error = 0x3;
	fw_only.flags |= EVF_FW;
	counters_add(c, &fw);
	counters_add(c, &fw);
	counters_add(c, &no_fw_call);
	counters_add(c, &fw_only);
	add(c, ev(FAM_MMU, OP_UNMAP, 42, 1, 500, 1));	/* "flush needed": not a failure */
	assert_int_equal(c->nerrors, 3);
	assert_int_equal(c->errors[0].err, EIO);
	assert_int_equal(c->errors[0].fw, 0x16);
	assert_int_equal(c->errors[0].n, 2);
	assert_int_equal(c->errors[1].err, ETIMEDOUT);
	assert_int_equal(c->errors[1].fw, CNT_NO_FW);
	assert_int_equal(c->errors[2].err, 0);
	assert_int_equal(c->errors[2].fw, 3);
	assert_int_equal(c->op[FAM_PSP][OP_PSP_CMD].errors, 2);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].errors, 0);
	counters_free(c);
}

static void error_kinds_are_bounded(void **state)
{
	struct counters *c = counters_new(0);

	(void)state;
	for (int i = 1; i <= CNT_MAX_ERRORS + 10; i++)
		add(c, ev(FAM_SNP, OP_SEV_IOCTL, 42, -i - 1000, 0, 0));
	add(c, ev(FAM_SNP, OP_SEV_IOCTL, 42, -1001, 0, 0));	/* a known kind still counts as itself */
	assert_int_equal(c->nerrors, CNT_MAX_ERRORS);
	assert_int_equal(c->errors_other, 10);
	assert_int_equal(c->errors[0].n, 2);
	counters_free(c);
}

/* the kernel's aggregates (no trace written): counts, histogram buckets, and the failures that cross */
static void kernel_aggregates(void **state)
{
	struct counters *c = counters_new(4);
	struct gfn_counts k = { .key = { .family = FAM_MMU, .op = OP_UNMAP, .vm_pid = 100 }, .ops = 5,
				.pages = 20, .errors = 1, .bucket = -1 };
	struct gfn_counts h = { .key = k.key, .bucket = (int)hist_bucket(1000), .timed = 5 };
	struct gfn_event crossed = ev(FAM_MMU, OP_UNMAP, 100, -EINTR, 1000, 4);

	(void)state;
	crossed.flags |= EVF_AGGREGATED;	/* the failure the kernel counted, crossing to be seen */
	counters_add(c, &crossed);
	counters_add_counts(c, &k);
	counters_add_counts(c, &h);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].ops, 5);	/* not 6: the crossing event is not counted again */
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].pages, 20);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].errors, 1);
	assert_int_equal(c->nerrors, 1);			/* ... but its errno is */
	assert_int_equal(c->errors[0].err, EINTR);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].timed, 5);
	assert_int_equal(c->op[FAM_MMU][OP_UNMAP].hist[cnt_bucket(1000)], 5);
	/* the sum from the bucket's midpoint: 1000 ns is in [896, 1023] */
	assert_true(c->op[FAM_MMU][OP_UNMAP].dur_ns >= 5 * 896 && c->op[FAM_MMU][OP_UNMAP].dur_ns <= 5 * 1023);
	assert_int_equal(c->nvms, 1);
	assert_int_equal(c->vms[0].fam[FAM_MMU].ops, 5);
	assert_string_equal(c->vms[0].comm, "qemu");
	counters_free(c);
}

static bool alive_set[1000];

static bool alive(uint32_t pid)
{
	return pid < 1000 && alive_set[pid];
}

static void per_vm_capped_and_retired(void **state)
{
	struct counters *c = counters_new(2);
	struct gfn_event kswapd = ev(FAM_MMU, OP_UNMAP, 300, 0, 100, 2);

	(void)state;
	memset(alive_set, 1, sizeof(alive_set));
	kswapd.pid = 77;	/* another task's event: its comm names the VM only until the VMM's own is seen */
	strcpy(kswapd.comm, "kswapd0");
	counters_add(c, &kswapd);
	add(c, ev(FAM_MMU, OP_UNMAP, 100, 0, 100, 2));
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 300, 0, 0, 1));
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 500, 0, 0, 1));	/* beyond the cap of 2 */
	assert_int_equal(c->nvms, 2);
	assert_int_equal(c->vms[0].vm_pid, 300);
	assert_string_equal(c->vms[0].comm, "qemu");
	assert_int_equal(c->vms[0].fam[FAM_MMU].ops, 1);
	assert_int_equal(c->vms[0].fam[FAM_TP].ops, 1);
	assert_int_equal(c->vm_other.fam[FAM_TP].ops, 1);

	alive_set[300] = false;
	assert_int_equal(counters_reap(c, alive), 0);	/* marked: shown once more */
	assert_true(c->vms[0].exited);
	assert_int_equal(c->nvms, 2);
	assert_int_equal(counters_reap(c, alive), 1);	/* then retired */
	assert_int_equal(c->nvms, 1);
	assert_int_equal(c->vms[0].vm_pid, 100);
	assert_int_equal(c->vms_retired, 1);
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 500, 0, 0, 1));	/* the freed entry takes a new VM */
	add(c, ev(FAM_MMU, OP_UNMAP, 100, 0, 100, 2));	/* found again after the rehash */
	assert_int_equal(c->nvms, 2);
	assert_int_equal(c->vms[0].fam[FAM_MMU].ops, 2);
	assert_int_equal(c->vms[1].vm_pid, 500);
	counters_free(c);
}

/* ---- launches, through the launch table's on_change hook ---- */

static void on_change(void *ctx, const struct launch *l, enum launch_state from)
{
	counters_launch(ctx, l, (int)from);
}

static void launch_ev(struct launch_table *t, uint8_t op, uint64_t iter, int64_t ret, uint32_t pid)
{
	struct gfn_event e = { .family = FAM_SNP, .op = op, .iter_id = iter, .ret = ret, .vm_pid = pid,
			       .vm_id = pid, .flags = EVF_RET | EVF_VM_PID | EVF_VM_ID };

	launch_add(t, &e);
}

static void launches_by_result_and_step(void **state)
{
	static struct launch_table t;
	struct counters *c = counters_new(0);
	struct gfn_event post = { .family = FAM_SNP, .op = OP_POST_POPULATE, .iter_id = 12, .ret = -EIO,
				  .fw_error = 0x16, .page_type = 6, .flags = EVF_RET | EVF_FW | EVF_PAGE_TYPE };

	(void)state;
	launch_init(&t);
	t.on_change = on_change;
	t.on_change_ctx = c;
	/* VM 1: finishes; the inner snp_launch_start and the ioctl both say START: one launch */
	launch_ev(&t, OP_LAUNCH_START, 1, 0, 1);
	launch_ev(&t, OP_LAUNCH_START, 1, 0, 1);
	launch_ev(&t, OP_LAUNCH_UPDATE, 2, 0, 1);
	launch_ev(&t, OP_LAUNCH_FINISH, 3, 0, 1);
	/* VM 2: LAUNCH_UPDATE fails, the firmware rejected the CPUID page */
	launch_ev(&t, OP_LAUNCH_START, 11, 0, 2);
	launch_add(&t, &post);
	launch_ev(&t, OP_LAUNCH_UPDATE, 12, -EIO, 2);
	launch_ev(&t, OP_LAUNCH_UPDATE, 13, -EIO, 2);	/* after the first failure: not counted again */
	/* VM 3: its VMM exits during the update */
	launch_ev(&t, OP_LAUNCH_START, 21, 0, 3);
	launch_ev(&t, OP_LAUNCH_UPDATE, 22, 0, 3);
	memset(alive_set, 1, sizeof(alive_set));
	alive_set[3] = false;
	launch_reap(&t, alive);

	assert_int_equal(c->launches_started, 3);
	assert_int_equal(c->launches_finished, 1);
	assert_int_equal(c->nlaunch_fails, 1);
	assert_int_equal(c->launch_fails[0].op, CNT_STEP_UPDATE);
	assert_int_equal(c->launch_fails[0].err, EIO);
	assert_int_equal(c->launch_fails[0].fw, 0x16);
	assert_int_equal(c->launch_fails[0].n, 1);
	assert_int_equal(c->launches_aborted[CNT_STEP_UPDATE], 1);
	counters_free(c);
}

/* ---- the exposition ---- */

static struct metrics_snapshot snapshot(struct counters *c)
{
	struct metrics_snapshot s = { .c = c, .taken_ns = 1500000000ULL, .generation = 1 };

	expo_info_add(&s.build, "version", "0.1.0");
	expo_info_add(&s.platform, "kernel", "6.12.0");
	s.family_used[FAM_TP] = true;
	s.probes[FAM_TP][0] = 3;
	return s;
}

static void expect_line(const char *text, const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (strncmp(text, want + 1, strlen(want + 1)) && !strstr(text, want))
		fail_msg("no line '%s' in:\n%s", line, text);
}

static void exposition_text_and_openmetrics(void **state)
{
	struct counters *c = counters_new(4);
	struct metrics_snapshot s;
	struct textbuf tb = { 0 };
	struct gfn_event e = ev(FAM_MMU, OP_UNMAP, 100, -EIO, 1000, 4);

	(void)state;
	counters_register(c, FAM_TP, OP_TP_AGE_HVA, false);
	counters_register(c, FAM_MMU, OP_AGE, true);
	counters_add(c, &e);
	/* a hostile command: quote, backslash, newline, an escape sequence, invalid UTF-8 */
	e = ev(FAM_TP, OP_TP_UNMAP_HVA, 200, 0, 0, 1);
	memcpy(e.comm, "q\"\\\n\x1b[2J\xff", 10);
	counters_add(c, &e);
	s = snapshot(c);

	expo_render(&tb, &s, EXPO_PROMETHEUS);
	assert_false(tb.failed);
	expect_line(tb.p, "# TYPE gfntop_operations_total counter");
	expect_line(tb.p, "gfntop_operations_total{family=\"mmu\",op=\"unmap\"} 1");
	expect_line(tb.p, "gfntop_operations_total{family=\"tp\",op=\"tp_age_hva\"} 0");	/* registered: at 0 */
	expect_line(tb.p, "gfntop_errors_total{family=\"mmu\",op=\"unmap\",errno=\"EIO\",fw_status=\"none\"} 1");
	expect_line(tb.p, "gfntop_operation_duration_seconds_bucket{family=\"mmu\",op=\"unmap\",le=\"0.000001023\"} 1");
	expect_line(tb.p, "gfntop_operation_duration_seconds_bucket{family=\"mmu\",op=\"unmap\",le=\"+Inf\"} 1");
	expect_line(tb.p, "gfntop_operation_duration_seconds_sum{family=\"mmu\",op=\"unmap\"} 0.000001");
	expect_line(tb.p, "gfntop_operation_duration_seconds_count{family=\"mmu\",op=\"age\"} 0");
	assert_null(strstr(tb.p, "op=\"tp_age_hva\",le="));	/* a tracepoint has no duration */
	expect_line(tb.p, "# TYPE gfntop_build_info gauge");
	expect_line(tb.p, "gfntop_build_info{version=\"0.1.0\"} 1");
	expect_line(tb.p, "gfntop_probes{family=\"tp\",state=\"ok\"} 3");
	expect_line(tb.p, "gfntop_last_snapshot_timestamp_seconds 1.5");
	expect_line(tb.p, "gfntop_vm_operations_total{vmm=\"q\\\"\\\\\\n\xef\xbf\xbd[2J\xef\xbf\xbd\",vm_pid=\"200\",family=\"tp\"} 1");
	assert_null(strstr(tb.p, "# EOF"));
	assert_null(strstr(tb.p, "\x1b"));

	tb_reset(&tb);
	expo_render(&tb, &s, EXPO_OPENMETRICS);
	expect_line(tb.p, "# TYPE gfntop_operations counter");
	expect_line(tb.p, "# TYPE gfntop_build info");
	expect_line(tb.p, "# UNIT gfntop_operation_duration_seconds seconds");
	expect_line(tb.p, "gfntop_operations_total{family=\"mmu\",op=\"unmap\"} 1");
	assert_int_equal(strcmp(tb.p + tb.len - 6, "# EOF\n"), 0);
	tb_free(&tb);
	counters_free(c);
}

static void negotiation(void **state)
{
	static const struct {
		const char *accept;
		enum expo_format want;
	} cases[] = {
		{ NULL, EXPO_PROMETHEUS },
		{ "", EXPO_PROMETHEUS },
		{ "*/*", EXPO_PROMETHEUS },
		{ "text/plain", EXPO_PROMETHEUS },
		/* what Prometheus 2.x sends */
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
		  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", EXPO_OPENMETRICS },
		{ "application/openmetrics-text", EXPO_OPENMETRICS },
		{ "APPLICATION/OpenMetrics-Text ; Version=\"1.0.0\"", EXPO_OPENMETRICS },
		{ "application/openmetrics-text;version=2.0.0", EXPO_PROMETHEUS },	/* a version we do not speak */
		{ "application/openmetrics-text;q=0", EXPO_PROMETHEUS },
		{ "application/openmetrics-text;q=0.4, text/plain;q=0.5", EXPO_PROMETHEUS },
		{ "text/plain;q=0.5, application/openmetrics-text;q=0.5", EXPO_OPENMETRICS },
		{ "application/openmetrics-text;q=1.5", EXPO_PROMETHEUS },		/* not a quality */
		{ "application/openmetrics-text;x=\"a,b\";q=0.9, text/plain;q=0.1", EXPO_OPENMETRICS },
		{ "application/openmetrics-text;x=\"unterminated", EXPO_PROMETHEUS },
		{ ",,, ;;; /// ===", EXPO_PROMETHEUS },
		{ "application/json", EXPO_PROMETHEUS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (expo_negotiate(cases[i].accept) != cases[i].want)
			fail_msg("Accept '%s': wrong format", cases[i].accept ? cases[i].accept : "(none)");
}

static void json_and_label_escapes(void **state)
{
	struct textbuf tb = { 0 };

	(void)state;
	tb_json_string(&tb, "a\"b\\c\n\t\x01\x7f\xc3\xa9\xff\xe2\x82", 64);
	assert_string_equal(tb.p, "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	tb_reset(&tb);
	tb_label_value(&tb, "x\"y\\z\nw\r", 64);
	assert_string_equal(tb.p, "x\\\"y\\\\z\\nw\xef\xbf\xbd");
	tb_reset(&tb);
	tb_seconds(&tb, 0);
	tb_putc(&tb, ' ');
	tb_seconds(&tb, 1);
	tb_putc(&tb, ' ');
	tb_seconds(&tb, 68719476735ULL);
	assert_string_equal(tb.p, "0 0.000000001 68.719476735");
	tb_free(&tb);
}

static void addresses(void **state)
{
	static const char *const good[] = { "9435", ":9435", "127.0.0.1:0", "0.0.0.0:65535", "[::1]:9435",
					    "[::]:1", "localhost:9435" };
	static const char *const bad[] = { "", ":", "9435x", "65536", "-1", "host:9435", "::1:9435",
					   "[::1]9435", "[]:1", "1.2.3:80", "127.0.0.1:", "[::1]:" };
	struct sockaddr_storage ss;
	socklen_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (metrics_parse_addr(good[i], &ss, &len))
			fail_msg("'%s' refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!metrics_parse_addr(bad[i], &ss, &len))
			fail_msg("'%s' accepted", bad[i]);
	metrics_parse_addr("9435", &ss, &len);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), INADDR_LOOPBACK);	/* loopback by default */
}

/* ---- the snapshot hand-over, the textfile, the endpoint ---- */

static struct metrics *open_metrics(const char *listen, const char *dir)
{
	struct metrics_config cfg = { .listen = listen, .textfile_dir = dir };
	char err[512];
	struct metrics *m = metrics_open(&cfg, err, sizeof(err));

	if (!m)
		fail_msg("metrics_open: %s", err);
	return m;
}

static void triple_buffer(void **state)
{
	struct metrics *m = open_metrics(NULL, NULL);
	struct counters *c = counters_new(0);

	(void)state;
	assert_int_equal(metrics_take(m)->generation, 0);	/* nothing published yet */
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 1, 0, 0, 1));
	metrics_publish(m, c, NULL);
	assert_int_equal(metrics_take(m)->generation, 1);
	assert_int_equal(metrics_take(m)->c->op[FAM_TP][OP_TP_UNMAP_HVA].ops, 1);
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 1, 0, 0, 1));
	metrics_publish(m, c, NULL);
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 1, 0, 0, 1));
	metrics_publish(m, c, NULL);	/* two publishes without a take: the consumer gets the latest */
	assert_int_equal(metrics_take(m)->generation, 3);
	assert_int_equal(metrics_take(m)->c->op[FAM_TP][OP_TP_UNMAP_HVA].ops, 3);
	metrics_close(m);
	counters_free(c);
}

static void textfile_never_through_a_symlink(void **state)
{
	char dir[] = "/tmp/gfntop-unit-textfile.XXXXXX", path[128], victim[128], buf[64];
	struct counters *c = counters_new(0);
	struct metrics *m;
	struct stat st;
	char err[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/gfntop.prom", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	fputs("untouched\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, path), 0);
	m = open_metrics(NULL, dir);
	assert_int_equal(metrics_start(m, err, sizeof(err)), 0);
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 1, 0, 0, 1));
	metrics_publish(m, c, NULL);
	assert_int_equal(metrics_close(m), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));		/* the link was replaced, not followed */
	assert_int_equal(st.st_mode & 0777, 0644);
	f = fopen(victim, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "untouched\n");
	f = fopen(path, "r");
	assert_non_null(f);
	fclose(f);
	unlink(path);
	unlink(victim);
	assert_int_equal(rmdir(dir), 0);		/* no temporary file left behind */
	counters_free(c);
}

static int port_of(const struct metrics *m)
{
	const char *colon = strrchr(metrics_url(m), ':');

	return atoi(colon + 1);
}

static size_t http_get(int port, const char *request, char *resp, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t got = 0;
	ssize_t n;

	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	while (got + 1 < len && (n = read(fd, resp + got, len - 1 - got)) > 0)
		got += (size_t)n;
	resp[got] = '\0';
	close(fd);
	return got;
}

static void http_endpoint(void **state)
{
	static char resp[65536];
	struct metrics *m = open_metrics("127.0.0.1:0", NULL);
	struct counters *c = counters_new(0);
	char err[256];
	int port = port_of(m);

	(void)state;
	assert_int_equal(metrics_start(m, err, sizeof(err)), 0);
	http_get(port, "GET /metrics HTTP/1.0\r\n\r\n", resp, sizeof(resp));
	assert_non_null(strstr(resp, " 503 "));	/* nothing published yet */
	add(c, ev(FAM_TP, OP_TP_UNMAP_HVA, 1, 0, 0, 1));
	metrics_publish(m, c, NULL);
	http_get(port, "GET /metrics HTTP/1.0\r\n\r\n", resp, sizeof(resp));
	assert_non_null(strstr(resp, "HTTP/1.0 200 OK") ?: strstr(resp, "HTTP/1.1 200 OK"));
	assert_non_null(strstr(resp, "text/plain; version=0.0.4"));
	assert_non_null(strstr(resp, "\ngfntop_operations_total{family=\"tp\",op=\"tp_unmap_hva\"} 1\n"));
	http_get(port, "GET /metrics HTTP/1.0\r\nAccept: application/openmetrics-text\r\n\r\n", resp, sizeof(resp));
	assert_non_null(strstr(resp, "application/openmetrics-text; version=1.0.0"));
	assert_non_null(strstr(resp, "\n# EOF\n"));
	http_get(port, "POST /metrics HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc", resp, sizeof(resp));
	assert_non_null(strstr(resp, " 405 "));
	http_get(port, "GET /other HTTP/1.0\r\n\r\n", resp, sizeof(resp));
	assert_non_null(strstr(resp, " 404 "));
	http_get(port, "GET /metrics HTTP/1.0\r\nContent-Length: 5\r\n\r\nabcde", resp, sizeof(resp));
	assert_non_null(strstr(resp, " 413 "));
	http_get(port, "garbage\r\n\r\n", resp, sizeof(resp));
	if (*resp && !strstr(resp, " 400 "))	/* a bad request line: answered 400, or closed */
		fail_msg("garbage got: %.80s", resp);
	metrics_close(m);
	counters_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_by_family_and_op),
		cmocka_unit_test(buckets_are_log_linear_bounds),
		cmocka_unit_test(failures_by_errno_and_firmware),
		cmocka_unit_test(error_kinds_are_bounded),
		cmocka_unit_test(kernel_aggregates),
		cmocka_unit_test(per_vm_capped_and_retired),
		cmocka_unit_test(launches_by_result_and_step),
		cmocka_unit_test(exposition_text_and_openmetrics),
		cmocka_unit_test(negotiation),
		cmocka_unit_test(json_and_label_escapes),
		cmocka_unit_test(addresses),
		cmocka_unit_test(triple_buffer),
		cmocka_unit_test(textfile_never_through_a_symlink),
		cmocka_unit_test(http_endpoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
