// SPDX-License-Identifier: GPL-2.0
/* Option parsing: every option of DESIGN.md §3, and the errors a user can make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "gfntop/event.h"
#include "cli/options.h"

static enum opt_result parse(struct options *o, char *err, const char *first, ...)
{
	char *argv[32] = { "gfntop" };
	int argc = 1;
	va_list ap;
	FILE *devnull = fopen("/dev/null", "w");
	enum opt_result r;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	err[0] = '\0';
	r = options_parse(argc, argv, o, err, 256, devnull);
	fclose(devnull);
	return r;
}

static void defaults(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, NULL), OPT_RUN);
	assert_false(o.batch);
	assert_true(o.delay_s == 1.0);
	assert_int_equal(o.iterations, 0);
	assert_int_equal(o.families, 0);
	assert_null(o.csv_path);
}

static void every_option(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-b", "-d", "0.5", "-n", "3", "-p", "12,34", "-P", "mmu,tp",
			       "--handler", "kvm_foo", "-w", "t.csv", "--force", "-e", "-v",
			       "--ringbuf-size", "64K", NULL), OPT_RUN);
	assert_true(o.batch);
	assert_true(o.delay_s == 0.5);
	assert_int_equal(o.iterations, 3);
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[0], 12);
	assert_int_equal(o.pids[1], 34);
	assert_int_equal(o.families, (1u << FAM_MMU) | (1u << FAM_TP));
	assert_int_equal(o.nhandlers, 1);
	assert_string_equal(o.handlers[0], "kvm_foo");
	assert_string_equal(o.csv_path, "t.csv");
	assert_true(o.force && o.errors_only);
	assert_int_equal(o.verbose, 1);
	assert_int_equal(o.ringbuf_bytes, 65536);

	assert_int_equal(parse(&o, err, "--batch", "--delay=2", "--iterations=1", "--pid=1",
			       "--probes=snp-rfc", "--csv=-", "--errors-only", NULL), OPT_RUN);
	assert_int_equal(o.families, 1u << FAM_SNP_RFC);
	assert_string_equal(o.csv_path, "-");
	assert_int_equal(parse(&o, err, "-r", "trace.csv", "-w", "out.csv", "-e", "-p", "7", NULL), OPT_RUN);
	assert_string_equal(o.replay_path, "trace.csv");
	assert_int_equal(parse(&o, err, "--list-probes", "-P", "tp", NULL), OPT_RUN);
	assert_true(o.list_probes);
}

static void help_and_version_exit_ok(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-h", NULL), OPT_EXIT_OK);
	assert_int_equal(parse(&o, err, "--version", NULL), OPT_EXIT_OK);
}

static void expect_error(const char *want, const char *a, const char *b, const char *c)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, a, b, c, NULL), OPT_ERROR);
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
}

static void errors(void **state)
{
	(void)state;
	expect_error("invalid delay '0'", "-d", "0", NULL);
	expect_error("invalid delay 'x'", "-d", "x", NULL);
	expect_error("invalid delay 'nan'", "-d", "nan", NULL);
	expect_error("invalid iteration count '-1'", "-n", "-1", NULL);
	expect_error("invalid iteration count '0'", "-n", "0", NULL);
	expect_error("invalid pid list '1,'", "-p", "1,", NULL);
	expect_error("invalid pid list 'a'", "-p", "a", NULL);
	expect_error("invalid pid list '0'", "-p", "0", NULL);
	expect_error("invalid probe family list 'mmu,bogus'", "-P", "mmu,bogus", NULL);
	expect_error("invalid function name 'a;b'", "--handler", "a;b", NULL);
	expect_error("needs a value", "-w", NULL, NULL);
	expect_error("unknown option '--bogus'", "--bogus", NULL, NULL);
	expect_error("unexpected argument 'extra'", "extra", NULL, NULL);
	expect_error("--force only applies with -w", "--force", NULL, NULL);
	expect_error("cannot be combined", "--list-probes", "-r", "x");
	expect_error("-P and --handler select kernel probes", "-r", "x", "-Ptp");
	expect_error("refusing to write the trace being replayed", "-r", "t", "-wt");
	expect_error("invalid ring buffer size '1000'", "--ringbuf-size", "1000", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(every_option),
		cmocka_unit_test(help_and_version_exit_ok),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
