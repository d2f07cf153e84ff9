// SPDX-License-Identifier: GPL-2.0
/* Decode tables against the kernel's values (KERNEL.md §5), and unknown values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "decode.h"

static void errno_names(void **state)
{
	static const struct { long e; const char *name; } want[] = {
		{ EPERM, "EPERM" }, { EIO, "EIO" }, { EAGAIN, "EAGAIN" }, { EFAULT, "EFAULT" },
		{ EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" }, { EDEADLK, "EDEADLK" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EHWPOISON, "EHWPOISON" },
		{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
		{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
		{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" }, { 521, "EBADHANDLE" }, { 522, "ENOTSYNC" },
		{ 523, "EBADCOOKIE" }, { 524, "ENOTSUPP" }, { 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" },
		{ 527, "EBADTYPE" }, { 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" }, { 530, "ERECALLCONFLICT" },
		{ 531, "ENOGRACE" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		long back;

		assert_non_null(decode_errno(want[i].e));
		assert_string_equal(decode_errno(want[i].e), want[i].name);
		assert_int_equal(decode_errno_from_name(want[i].name, &back), 0);
		assert_int_equal(back, want[i].e);
	}
	assert_null(decode_errno(0));
	assert_null(decode_errno(-5));
	assert_null(decode_errno(520));	/* a hole in include/linux/errno.h */
	assert_null(decode_errno(600));
}

static void err_column(void **state)
{
	char buf[32];
	long e;

	(void)state;
	assert_string_equal(fmt_err(buf, sizeof(buf), -5), "EIO");
	assert_string_equal(fmt_err(buf, sizeof(buf), -512), "ERESTARTSYS");
	assert_string_equal(fmt_err(buf, sizeof(buf), -600), "E600");
	assert_string_equal(fmt_err(buf, sizeof(buf), 0), "");
	assert_string_equal(fmt_err(buf, sizeof(buf), 1), "");
	assert_string_equal(fmt_err(buf, 3, -524), "EN");	/* truncated, terminated */
	assert_int_equal(decode_errno_from_name("E600", &e), 0);
	assert_int_equal(e, 600);
	assert_int_equal(decode_errno_from_name("EBOGUS", &e), -1);
	assert_int_equal(decode_errno_from_name("E", &e), -1);
	assert_int_equal(decode_errno_from_name("E-3", &e), -1);
}

static void round_trips_over_every_code(void **state)
{
	(void)state;
	for (long c = -1; c < 600; c++) {
		const char *n;
		long back;
		unsigned long ub;

		if ((n = decode_errno(c))) {
			assert_int_equal(decode_errno_from_name(n, &back), 0);
			assert_int_equal(back, c);
		}
		if ((n = decode_sev_ret(c))) {
			assert_int_equal(decode_sev_ret_from_name(n, &back), 0);
			assert_int_equal(back, c);
		}
		if (c >= 0 && (n = decode_psp_cmd((unsigned long)c))) {
			assert_int_equal(decode_psp_cmd_from_name(n, &ub), 0);
			assert_int_equal(ub, c);
		}
		if (c >= 0 && (n = decode_page_type((unsigned long)c))) {
			assert_int_equal(decode_page_type_from_name(n, &ub), 0);
			assert_int_equal(ub, c);
		}
	}
	assert_int_equal(decode_table_check(), 0);
}

static void firmware_status(void **state)
{
	long c;

	(void)state;
	assert_string_equal(decode_sev_ret(-1), "NO_FW_CALL");
	assert_string_equal(decode_sev_ret(0), "SUCCESS");
	assert_string_equal(decode_sev_ret(0x03), "INVALID_CONFIG");
	assert_string_equal(decode_sev_ret(0x07), "POLICY_FAILURE");
	assert_string_equal(decode_sev_ret(0x0b), "BAD_MEASUREMENT");
	assert_string_equal(decode_sev_ret(0x16), "INVALID_PARAM");
	assert_string_equal(decode_sev_ret(0x27), "INVALID_KEY");
	assert_string_equal(decode_sev_ret(0x28), "SHUTDOWN_INCOMPLETE");
	assert_string_equal(decode_sev_ret(0x3a), "IN_USE");
	assert_string_equal(decode_sev_ret(0x3f), "SEV_STATUS_RESPONSE_TOO_LARGE");
	assert_null(decode_sev_ret(0x1e));	/* unassigned */
	assert_null(decode_sev_ret(0x40));
	assert_null(decode_sev_ret(-2));
	assert_int_equal(decode_sev_ret_from_name("INVALID_PARAM", &c), 0);
	assert_int_equal(c, 22);
}

static void psp_commands(void **state)
{
	char buf[32];
	unsigned long c;

	(void)state;
	assert_string_equal(decode_psp_cmd(0xa0), "SNP_LAUNCH_START");
	assert_string_equal(decode_psp_cmd(0xa1), "SNP_LAUNCH_UPDATE");
	assert_string_equal(decode_psp_cmd(0xa2), "SNP_LAUNCH_FINISH");
	assert_string_equal(decode_psp_cmd(0xc7), "SNP_PAGE_RECLAIM");
	assert_string_equal(decode_psp_cmd(0x81), "SNP_INIT");
	assert_string_equal(decode_psp_cmd(0x31), "LAUNCH_UPDATE_DATA");
	assert_string_equal(decode_psp_cmd(0x91), "SNP_ACTIVATE");
	assert_null(decode_psp_cmd(0xff));
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0xff), "0xff");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0xa1), "SNP_LAUNCH_UPDATE");
	assert_int_equal(decode_psp_cmd_from_name("0xff", &c), 0);
	assert_int_equal(c, 0xff);
	assert_int_equal(decode_psp_cmd_from_name("0x", &c), -1);
	assert_int_equal(decode_psp_cmd_from_name("0xzz", &c), -1);
	assert_int_equal(decode_psp_cmd_from_name("SNP_BOGUS", &c), -1);
	assert_string_equal(fmt_psp_cmd(buf, 4, 0xa1), "SNP");
}

static void kvm_ids_page_types_rmp_codes(void **state)
{
	unsigned long t;

	(void)state;
	assert_string_equal(decode_kvm_sev_cmd(100), "KVM_SEV_SNP_LAUNCH_START");
	assert_string_equal(decode_kvm_sev_cmd(101), "KVM_SEV_SNP_LAUNCH_UPDATE");
	assert_string_equal(decode_kvm_sev_cmd(102), "KVM_SEV_SNP_LAUNCH_FINISH");
	assert_string_equal(decode_kvm_sev_cmd(103), "KVM_SEV_SNP_ENABLE_REQ_CERTS");
	assert_string_equal(decode_kvm_sev_cmd(22), "KVM_SEV_INIT2");
	assert_null(decode_kvm_sev_cmd(99));

	assert_string_equal(decode_page_type(1), "NORMAL");
	assert_string_equal(decode_page_type(2), "VMSA");
	assert_string_equal(decode_page_type(3), "ZERO");
	assert_string_equal(decode_page_type(4), "UNMEASURED");
	assert_string_equal(decode_page_type(5), "SECRETS");
	assert_string_equal(decode_page_type(6), "CPUID");
	assert_null(decode_page_type(0));
	assert_null(decode_page_type(7));
	assert_int_equal(decode_page_type_from_name("cpuid", &t), -1);	/* exact, case-sensitive */

	assert_string_equal(decode_rmpupdate_ret(2), "FAIL_PERMISSION");
	assert_string_equal(decode_rmpupdate_ret(4), "FAIL_OVERLAP");
	assert_null(decode_rmpupdate_ret(5));
	assert_string_equal(decode_psmash_ret(3), "FAIL_INUSE");
	assert_string_equal(decode_psmash_ret(4), "FAIL_BADADDR");
	assert_string_equal(decode_pvalidate_ret(6), "FAIL_SIZEMISMATCH");
	assert_string_equal(decode_pvalidate_ret(255), "FAIL_NOUPDATE");
	assert_null(decode_pvalidate_ret(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_names),
		cmocka_unit_test(err_column),
		cmocka_unit_test(round_trips_over_every_code),
		cmocka_unit_test(firmware_status),
		cmocka_unit_test(psp_commands),
		cmocka_unit_test(kvm_ids_page_types_rmp_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
