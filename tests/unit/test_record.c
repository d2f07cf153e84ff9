// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder's parts without a kernel: retirement of exited VMs from the
 * bounded tables over 10^4 VM lifetimes, the flight recorder's rings and
 * incidents, pruning of old files, rotation of the trace, and the recorder's
 * option values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/record_options.h"
#include "model/session.h"
#include "record/files.h"
#include "record/flight.h"
#include "record/rotate.h"
#include "trace/reader.h"

static struct gfn_event ev(uint32_t vm_pid, uint64_t vm_id, int slot, uint8_t family, uint8_t op,
			   int64_t ret, uint64_t ts)
{
	struct gfn_event e = { .ts_ns = ts, .vm_pid = vm_pid, .vm_id = vm_id, .family = family,
			       .op = op, .npages = 1, .ret = ret, .pid = vm_pid,
			       .flags = EVF_TASK | EVF_NPAGES | EVF_RET | EVF_VM_PID | EVF_VM_ID };

	if (slot >= 0) {
		e.slot = (uint16_t)slot;
		e.flags |= EVF_SLOT;
	}
	strcpy(e.comm, "qemu");
	return e;
}

/* ---- retirement ---- */

static uint32_t dead_below;	/* pids below this have exited */

static bool alive_fn(uint32_t pid)
{
	return pid >= dead_below;
}

static uint64_t retired_ops;

static void count_retired(void *ctx, const struct agg_vm *v)
{
	(void)ctx;
	retired_ops += v->s[AGG_TOTAL].ops;
}

/*
 * 10^4 VM lifetimes through tables that hold 256 VMs: each VM, retired after
 * its VMM exits, leaves with exactly its own counts, and the VMs still
 * running keep theirs, whatever moved in the tables around them.
 */
static void ten_thousand_lifetimes(void **state)
{
	static struct session s;
	struct session_config cfg = { 0 };
	const uint32_t lifetimes = 10000, live_at_once = 100;
	uint64_t want_retired = 0, ts = 1;

	(void)state;
	assert_int_equal(session_open(&s, &cfg), 0);
	retired_ops = 0;
	dead_below = 0;
	for (uint32_t pid = 1; pid <= lifetimes; pid++) {
		/* pid makes (pid % 7) + 1 events in each of two slots, plus one launch step */
		for (uint32_t i = 0; i < (pid % 7) + 1; i++) {
			struct gfn_event a = ev(pid, pid * 3ULL, 0, FAM_MMU, OP_UNMAP, 0, ts++);
			struct gfn_event b = ev(pid, pid * 3ULL, 1, FAM_MMU, OP_UNMAP, 0, ts++);

			session_event(&s, &a);
			session_event(&s, &b);
		}
		struct gfn_event l = ev(pid, pid * 3ULL, -1, FAM_SNP, OP_LAUNCH_START, 0, ts++);

		session_event(&s, &l);
		if (pid > live_at_once) {	/* the VMM of pid - 100 exits */
			uint32_t gone = pid - live_at_once;

			want_retired += 2 * ((gone % 7) + 1) + 1;
			dead_below = gone + 1;
			agg_mark_exited(s.agg, alive_fn, ts);
			session_retire(&s, ts, count_retired, NULL);
		}
	}
	assert_int_equal(s.agg->overflow[AGG_TOTAL], 0);
	assert_int_equal(retired_ops, want_retired);
	assert_int_equal(s.agg->nvms, live_at_once);
	assert_int_equal(s.agg->nrows, live_at_once * 3);
	assert_true(s.launches.n <= LAUNCH_MAX_VMS);
	/* the VMs still running: exact counts, and their rows found again by key */
	for (int i = 0; i < s.agg->nvms; i++) {
		const struct agg_vm *v = &s.agg->vms[i];
		uint64_t row_ops = 0;

		assert_true(v->vm_pid > lifetimes - live_at_once);
		assert_int_equal(v->vm_id, v->vm_pid * 3ULL);
		assert_int_equal(v->s[AGG_TOTAL].ops, 2 * ((v->vm_pid % 7) + 1) + 1);
		for (int r = 0; r < s.agg->nrows; r++)
			if (s.agg->rows[r].vm == i)
				row_ops += s.agg->rows[r].s[AGG_TOTAL].ops;
		assert_int_equal(row_ops, v->s[AGG_TOTAL].ops);
	}
	/* one more event of a running VM lands in its existing row */
	struct gfn_event more = ev(lifetimes, lifetimes * 3ULL, 1, FAM_MMU, OP_UNMAP, 0, ts++);
	int rows = s.agg->nrows;

	session_event(&s, &more);
	assert_int_equal(s.agg->nrows, rows);
	session_close(&s, true);
}

/* marked, then kept until the caller's cut-off (the interval that shows it) has passed */
static void retire_waits_for_its_time(void **state)
{
	struct agg *a = agg_new();
	struct gfn_event e = ev(5, 0x55, 0, FAM_MMU, OP_UNMAP, 0, 10);

	(void)state;
	agg_add(a, &e);
	dead_below = 6;
	assert_int_equal(agg_mark_exited(a, alive_fn, 1000), 1);
	assert_int_equal(agg_mark_exited(a, alive_fn, 2000), 0);	/* once */
	assert_int_equal(agg_retire(a, 999, NULL, NULL), 0);
	assert_int_equal(a->nvms, 1);
	assert_int_equal(agg_exited(a), 1);
	assert_int_equal(agg_retire(a, 1000, NULL, NULL), 1);
	assert_int_equal(a->nvms, 0);
	assert_int_equal(a->nrows, 0);
	agg_free(a);
}

/* ---- the flight recorder ---- */

static struct {
	int n;
	struct incident inc;
	struct gfn_event ev[4096];
} seen;

static void on_incident(void *ctx, const struct incident *inc)
{
	(void)ctx;
	seen.n++;
	seen.inc = *inc;
	memcpy(seen.ev, inc->ev, inc->n * sizeof(inc->ev[0]));
	seen.inc.ev = seen.ev;
}

static struct flight *new_flight(unsigned int ring, unsigned int vms, unsigned int pending)
{
	struct flight_config cfg = { .ring_events = ring, .after_ns = 1000, .max_vms = vms,
				     .max_pending = pending };

	memset(&seen, 0, sizeof(seen));
	return flight_new(&cfg, on_incident, NULL);
}

/*
 * MMU traffic fills one ring, the launch's events the other: the incident
 * still holds the launch's first step, in arrival order, then the window
 * after the failure; events after the window are not in it.
 */
static void incident_keeps_launch_history(void **state)
{
	struct flight *f = new_flight(16, 4, 2);
	struct gfn_event e;
	uint64_t ts = 1;

	(void)state;
	e = ev(7, 0x77, -1, FAM_SNP, OP_LAUNCH_START, 0, ts++);
	flight_add(f, &e);
	for (int i = 0; i < 100; i++) {
		e = ev(7, 0x77, 0, FAM_MMU, OP_UNMAP, 0, ts++);
		flight_add(f, &e);
	}
	e = ev(7, 0x77, -1, FAM_PSP, OP_PSP_CMD, -5, ts++);
	e.flags &= (uint16_t)~(EVF_VM_PID | EVF_VM_ID);	/* as the kernel sends it: the task is the VMM */
	flight_add(f, &e);
	uint64_t trigger_ts = e.ts_ns;

	e = ev(7, 0x77, -1, FAM_SNP, OP_LAUNCH_UPDATE, -5, ts++);
	flight_add(f, &e);
	assert_int_equal(seen.n, 0);	/* the window is open */
	e = ev(7, 0x77, 0, FAM_MMU, OP_UNMAP, 0, trigger_ts + 500);
	flight_add(f, &e);
	flight_due(f, trigger_ts + 999);
	assert_int_equal(seen.n, 0);
	flight_due(f, trigger_ts + 1000);
	assert_int_equal(seen.n, 1);
	e = ev(7, 0x77, 0, FAM_MMU, OP_UNMAP, 0, trigger_ts + 2000);	/* after the window */
	flight_add(f, &e);

	assert_int_equal(seen.inc.pid, 7);
	assert_int_equal(seen.inc.trigger.op, OP_PSP_CMD);
	/* before: launch_start, the last 16 MMU events, the failing PSP command */
	assert_int_equal(seen.inc.before, 18);
	assert_int_equal(seen.inc.ev[0].op, OP_LAUNCH_START);
	for (size_t i = 1; i < 17; i++)
		assert_int_equal(seen.inc.ev[i].op, OP_UNMAP);
	assert_int_equal(seen.inc.ev[16].ts_ns, 101);	/* the newest MMU events, in order */
	assert_int_equal(seen.inc.ev[17].op, OP_PSP_CMD);
	assert_int_equal(seen.inc.n, 20);
	assert_int_equal(seen.inc.ev[18].op, OP_LAUNCH_UPDATE);
	assert_int_equal(seen.inc.ev[19].ts_ns, trigger_ts + 500);
	for (size_t i = 1; i < seen.inc.n; i++)
		assert_true(seen.inc.ev[i].ts_ns > seen.inc.ev[i - 1].ts_ns);
	flight_free(f);
}

/* only failures of the launch-related families open incidents; lost rows and MMU failures do not */
static void what_triggers(void **state)
{
	struct gfn_event e = ev(1, 1, 0, FAM_MMU, OP_UNMAP, -5, 1);

	(void)state;
	assert_false(flight_triggers(&e));
	e.family = FAM_ATTR;
	assert_true(flight_triggers(&e));
	e.ret = 0;
	assert_false(flight_triggers(&e));
	e = ev(1, 1, -1, FAM_SNP, OP_POST_POPULATE, 0, 1);
	e.flags |= EVF_FW;
	e.fw_error = 0x16;
	assert_true(flight_triggers(&e));
	e.fw_error = -1;	/* the firmware was not called */
	assert_false(flight_triggers(&e));
	e = (struct gfn_event){ .op = OP_LOST, .ret = 5, .flags = EVF_RET };
	assert_false(flight_triggers(&e));
}

/* more VMs than rings: the least recently active loses its rings; one with an open incident never */
static void rings_are_bounded(void **state)
{
	struct flight *f = new_flight(8, 2, 1);
	struct flight_stats st;
	struct gfn_event e;

	(void)state;
	e = ev(1, 1, -1, FAM_SNP, OP_LAUNCH_START, -22, 1);	/* VM 1: an incident opens */
	flight_add(f, &e);
	for (uint32_t pid = 2; pid < 50; pid++) {
		e = ev(pid, pid, 0, FAM_MMU, OP_UNMAP, 0, 2);
		flight_add(f, &e);
	}
	flight_stats(f, &st);
	assert_int_equal(st.vms, 2);
	assert_int_equal(st.evicted, 47);
	e = ev(1, 1, 0, FAM_MMU, OP_UNMAP, 0, 3);	/* still VM 1's window */
	flight_add(f, &e);
	flight_due(f, UINT64_MAX);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.inc.n, 2);
	/* a second incident while the only slot is taken closes the first early */
	e = ev(60, 60, -1, FAM_SNP, OP_LAUNCH_START, -22, 10);
	flight_add(f, &e);
	e = ev(61, 61, -1, FAM_SNP, OP_LAUNCH_START, -22, 11);
	flight_add(f, &e);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.inc.pid, 60);
	flight_stats(f, &st);
	assert_int_equal(st.closed_early, 1);
	/* the window's events beyond its buffer are counted, not kept */
	for (int i = 0; i < 100; i++) {
		e = ev(61, 61, 0, FAM_MMU, OP_UNMAP, 0, 12);
		flight_add(f, &e);
	}
	flight_due(f, UINT64_MAX);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.inc.n, 3 * 8);
	assert_int_equal(seen.inc.after_dropped, 100 - (3 * 8 - 1));
	/* exited VMMs lose their rings */
	dead_below = 1000;
	assert_int_equal(flight_retire(f, alive_fn), 2);
	flight_stats(f, &st);
	assert_int_equal(st.vms, 0);
	flight_free(f);
}

/* ---- files ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/gfntop-unit.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static void touch(int dirfd, const char *name, size_t bytes)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	char buf[1000] = { 0 };

	assert_true(fd >= 0);
	while (bytes) {
		size_t n = bytes < sizeof(buf) ? bytes : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		bytes -= n;
	}
	close(fd);
}

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* the oldest go first, only names of the pattern, never the current file, never through a symlink */
static void prune_oldest_first(void **state)
{
	struct keep_limits by_count = { .files = 2 }, by_size = { .bytes = 2500 };
	int d;

	(void)state;
	make_tmpdir();
	d = dir_open(AT_FDCWD, tmpdir, 0);
	assert_true(d >= 0);
	touch(d, "trace-1.csv", 1000);
	touch(d, "trace-2.csv", 1000);
	touch(d, "trace-3.csv", 1000);
	touch(d, "trace-4.csv", 1000);
	touch(d, "other.csv", 1000);
	assert_int_equal(symlinkat("/etc/passwd", d, "trace-0.csv"), 0);
	assert_int_equal(prune_files(d, "trace-", ".csv", "trace-4.csv", &by_count), 2);
	assert_false(exists(d, "trace-1.csv"));
	assert_false(exists(d, "trace-2.csv"));
	assert_true(exists(d, "trace-3.csv") && exists(d, "trace-4.csv"));
	assert_true(exists(d, "other.csv") && exists(d, "trace-0.csv"));
	touch(d, "trace-5.csv", 1000);
	assert_int_equal(prune_files(d, "trace-", ".csv", "trace-5.csv", &by_size), 1);
	assert_false(exists(d, "trace-3.csv"));
	/* the current file is kept even when it alone is over the limit */
	by_count.files = 1;
	assert_int_equal(prune_files(d, "trace-", ".csv", "trace-4.csv", &by_count), 1);
	assert_true(exists(d, "trace-4.csv"));
	assert_false(exists(d, "trace-5.csv"));
	/* a symlink in place of the directory is refused */
	char link[128];

	snprintf(link, sizeof(link), "%s/link", tmpdir);
	assert_int_equal(symlink(tmpdir, link), 0);
	assert_true(dir_open(AT_FDCWD, link, 1) < 0);
	close(d);
	remove_tmpdir();
}

static void stamp_sorts_in_time_order(void **state)
{
	char a[32], b[32], c[32];

	(void)state;
	utc_stamp(a, sizeof(a), 1764000000123456789ULL);
	assert_string_equal(a, "20251124T160000.123456Z");
	utc_stamp(b, sizeof(b), 1764000000123457789ULL);
	utc_stamp(c, sizeof(c), 1764000001000000000ULL);
	assert_true(strcmp(a, b) < 0 && strcmp(b, c) < 0);
}

/* ---- rotation: every file a complete trace, all rows once, in order ---- */

static uint64_t rows_read, next_ts, last_ts;
static bool in_order;

static int count_row(void *ctx, struct gfn_event *e)
{
	(void)ctx;
	in_order &= e->ts_ns > last_ts;
	last_ts = e->ts_ns;
	rows_read++;
	return 0;
}

static int lost_calls;
static struct rotor *the_rotor;

static void before_close(void *ctx)
{
	/* between the last row written and the one waiting for the new file */
	struct gfn_event lost = { .ts_ns = next_ts - 1, .op = OP_LOST, .ret = 3, .flags = EVF_RET };

	(void)ctx;
	lost_calls++;
	rotor_write(the_rotor, &lost, lost.ts_ns);	/* goes into the closing file */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rotation_by_size_and_age(void **state)
{
	struct rotor_config cfg = { .max_bytes = 65536, .max_age_ns = 1000000, .before_close = before_close };
	char err[4608];
	const uint64_t n = 20000;
	struct dirent *de;
	char *names[256];
	int nnames = 0, d;
	DIR *dir;

	(void)state;
	make_tmpdir();
	d = dir_open(AT_FDCWD, tmpdir, 0);
	cfg.dirfd = d;
	cfg.dir = tmpdir;
	next_ts = 1764000000000000000ULL;
	the_rotor = rotor_open(&cfg, next_ts, err, sizeof(err));
	assert_non_null(the_rotor);
	uint64_t first = next_ts;

	for (uint64_t i = 0; i < n; i++) {
		struct gfn_event e = ev(9, 9, 0, FAM_MMU, OP_UNMAP, 0, next_ts += 2);

		rotor_write(the_rotor, &e, e.ts_ns);
	}
	/* an idle hour: the tick rotates by age */
	uint64_t files = rotor_files(the_rotor);

	next_ts += 2;
	rotor_tick(the_rotor, next_ts + 2000000);
	assert_int_equal(rotor_files(the_rotor), files + 1);
	assert_int_equal(rotor_close(the_rotor), 0);
	rotor_free(the_rotor);
	assert_true(lost_calls >= 5);

	/* read every file back in name order: together, every row once and in order */
	dir = opendir(tmpdir);
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			names[nnames++] = strdup(de->d_name);
	closedir(dir);
	qsort(names, (size_t)nnames, sizeof(names[0]), by_name);
	assert_int_equal(nnames, (int)files + 1);
	rows_read = 0;
	last_ts = first;
	in_order = true;
	for (int i = 0; i < nnames; i++) {
		char path[256];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size <= 65536);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(csv_replay_file(path, count_row, NULL, err, sizeof(err)), 0);
		free(names[i]);
	}
	assert_true(in_order);
	assert_int_equal(rows_read, n + (uint64_t)lost_calls);
	close(d);
	remove_tmpdir();
}

/* ---- option values ---- */

static void sizes_and_durations(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_bytes("256M", &v), 0);
	assert_int_equal(v, 256ULL << 20);
	assert_int_equal(parse_bytes("1G", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(parse_bytes("1.5KiB", &v), 0);
	assert_int_equal(v, 1536);
	assert_int_equal(parse_bytes("4096", &v), 0);
	assert_int_equal(parse_bytes("-1M", &v), -1);
	assert_int_equal(parse_bytes("1X", &v), -1);
	assert_int_equal(parse_bytes("M", &v), -1);
	assert_int_equal(parse_duration("1h", &v), 0);
	assert_int_equal(v, 3600ULL * 1000000000);
	assert_int_equal(parse_duration("1.5s", &v), 0);
	assert_int_equal(v, 1500000000ULL);
	assert_int_equal(parse_duration("7d", &v), 0);
	assert_int_equal(parse_duration("10", &v), -1);
	assert_int_equal(parse_duration("0.1s", &v), -1);
	assert_int_equal(parse_duration("1hh", &v), -1);
}

static enum opt_result rparse(struct record_options *o, char *err, const char *first, ...)
{
	char *argv[64] = { "record" };
	int argc = 1;
	va_list ap;
	FILE *devnull = fopen("/dev/null", "w");
	enum opt_result r;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	err[0] = '\0';
	r = record_options_parse(argc, argv, o, err, 256, devnull);
	fclose(devnull);
	return r;
}

static void record_command_line(void **state)
{
	struct record_options o;
	char err[256];

	(void)state;
	assert_int_equal(rparse(&o, err, NULL), OPT_RUN);
	assert_string_equal(o.dir, "/var/lib/gfntop");
	assert_string_equal(o.socket_path, "/run/gfntop/gfntop.sock");
	assert_int_equal(o.rotate_bytes, 256ULL << 20);
	assert_int_equal(o.rotate_ns, 86400ULL * 1000000000);
	assert_int_equal(o.keep_files, 8);
	assert_int_equal(rparse(&o, err, "--dir", "/x", "--rotate", "1M", "--rotate", "30s", "--keep", "3",
				"--keep", "1G", "--no-trace", "--socket", "/y.sock", "-P", "tp", "-p", "5,6",
				"--flight-events", "64", "--incident-after", "0.5", "--incident-keep", "9",
				"--max-viewers", "2", "--viewer-backlog", "1000", "--retire-after", "0", "-d", "0.2",
				"-v", NULL), OPT_RUN);
	assert_string_equal(o.dir, "/x");
	assert_int_equal(o.rotate_bytes, 1ULL << 20);
	assert_int_equal(o.rotate_ns, 30ULL * 1000000000);
	assert_int_equal(o.keep_files, 3);
	assert_int_equal(o.keep_bytes, 1ULL << 30);
	assert_true(o.no_trace);
	assert_int_equal(o.common.families, 1u << FAM_TP);
	assert_int_equal(o.common.npids, 2);
	assert_int_equal(o.flight_events, 64);
	assert_true(o.incident_after_s == 0.5);
	assert_int_equal(o.incident_files, 9);
	assert_int_equal(o.incident_bytes, 0);
	assert_int_equal(o.max_viewers, 2);
	assert_int_equal(o.viewer_backlog, 1000);
	assert_true(o.retire_after_s == 0);
	assert_true(o.common.delay_s == 0.2);
	assert_int_equal(rparse(&o, err, "--no-socket", NULL), OPT_RUN);
	assert_null(o.socket_path);
	assert_int_equal(rparse(&o, err, "--rotate", "1K", NULL), OPT_ERROR);
	assert_non_null(strstr(err, "invalid --rotate '1K'"));
	assert_int_equal(rparse(&o, err, "--keep", "0", NULL), OPT_ERROR);
	assert_int_equal(rparse(&o, err, "--flight-events", "1", NULL), OPT_ERROR);
	assert_int_equal(rparse(&o, err, "--bogus", NULL), OPT_ERROR);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_int_equal(rparse(&o, err, "-r", "t.csv", "-P", "tp", NULL), OPT_ERROR);
	assert_int_equal(rparse(&o, err, "extra", NULL), OPT_ERROR);
	assert_int_equal(rparse(&o, err, "-h", NULL), OPT_EXIT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_thousand_lifetimes),
		cmocka_unit_test(retire_waits_for_its_time),
		cmocka_unit_test(incident_keeps_launch_history),
		cmocka_unit_test(what_triggers),
		cmocka_unit_test(rings_are_bounded),
		cmocka_unit_test(prune_oldest_first),
		cmocka_unit_test(stamp_sorts_in_time_order),
		cmocka_unit_test(rotation_by_size_and_age),
		cmocka_unit_test(sizes_and_durations),
		cmocka_unit_test(record_command_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
