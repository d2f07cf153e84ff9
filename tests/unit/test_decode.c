// SPDX-License-Identifier: GPL-2.0
/*
 * Decode tables against the kernel's values. The expected lists below are typed
 * from the kernel headers (KERNEL.md §5), and errno 1..133 come from the
 * system's <errno.h> (which on Linux is the kernel uapi), so a wrong or missing
 * row in src/base/decode.c shows up here rather than being read back from itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "base/decode.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The decode function of each table, on a long (unsigned ones only get c >= 0). */
static const char *dec_errno(long c) { return decode_errno(c); }
static const char *dec_sev_ret(long c) { return decode_sev_ret(c); }
static const char *dec_psp(long c) { return decode_psp_cmd((unsigned long)c); }
static const char *dec_kvm(long c) { return decode_kvm_sev_cmd((unsigned long)c); }
static const char *dec_page(long c) { return decode_page_type((unsigned long)c); }
static const char *dec_rmpupdate(long c) { return decode_rmpupdate_ret(c); }
static const char *dec_psmash(long c) { return decode_psmash_ret(c); }
static const char *dec_pvalidate(long c) { return decode_pvalidate_ret(c); }

/*
 * Table t must hold exactly the rows of want: every code in [lo, hi] decodes to
 * its expected name or to NULL when it has none, and the table has no row beyond.
 */
static void expect_exactly(enum decode_table t, const char *(*dec)(long), const struct decode_row *want,
			   size_t n, long lo, long hi)
{
	size_t rows;

	assert_non_null(decode_table_rows(t, &rows));
	assert_int_equal(rows, n);
	for (long c = lo; c <= hi; c++) {
		const char *name = NULL;

		for (size_t i = 0; i < n; i++)
			if (want[i].code == c)
				name = want[i].name;
		if (name) {
			if (!dec(c) || strcmp(dec(c), name))
				fail_msg("%s %ld: got %s, want %s", decode_table_title(t), c,
					 dec(c) ? dec(c) : "NULL", name);
			assert_ptr_equal(decode_lookup(t, c), dec(c));
		} else if (dec(c)) {
			fail_msg("%s %ld: got %s, want NULL", decode_table_title(t), c, dec(c));
		}
	}
}

/* ---- errno ---- */

#define E(x) { x, #x }

/* asm-generic/errno-base.h and errno.h by their macro names, aliases left out */
static const struct decode_row uapi_errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST),
	E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE),
	E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM),
	E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT),
	E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT), E(ENOSTR),
	E(ENODATA), E(ETIME), E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV),
	E(ESRMNT), E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG), E(EOVERFLOW),
	E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX),
	E(ELIBEXEC), E(EILSEQ), E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT),
	E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN),
	E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
	E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED), E(ENOKEY),
	E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
	E(ERFKILL), E(EHWPOISON),
	/* include/linux/errno.h, not visible to userspace */
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
	{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" }, { 521, "EBADHANDLE" }, { 522, "ENOTSYNC" },
	{ 523, "EBADCOOKIE" }, { 524, "ENOTSUPP" }, { 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" },
	{ 527, "EBADTYPE" }, { 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" }, { 530, "ERECALLCONFLICT" },
	{ 531, "ENOGRACE" },
};

static void errno_table_is_the_kernels(void **state)
{
	(void)state;
	/* 131 uapi names (1..133 less the holes 41 and 58) + 19 internal (512..531 less 520) */
	assert_int_equal(N(uapi_errnos), 131 + 19);
	assert_int_equal(EHWPOISON, 133);
	expect_exactly(DECODE_ERRNO, dec_errno, uapi_errnos, N(uapi_errnos), -600, 600);
	assert_null(decode_errno(41));
	assert_null(decode_errno(58));
	assert_null(decode_errno(520));
}

static void errno_names_and_edges(void **state)
{
	(void)state;
	assert_string_equal(decode_errno(5), "EIO");
	assert_string_equal(decode_errno(EWOULDBLOCK), "EAGAIN");
	assert_string_equal(decode_errno(EDEADLOCK), "EDEADLK");
	assert_string_equal(decode_errno(11), "EAGAIN");
	assert_string_equal(decode_errno(35), "EDEADLK");
	assert_string_equal(decode_errno(95), "EOPNOTSUPP");	/* glibc's ENOTSUP is an alias of it */
	assert_string_equal(decode_errno(512), "ERESTARTSYS");
	assert_string_equal(decode_errno(524), "ENOTSUPP");
	assert_string_equal(decode_errno(531), "ENOGRACE");
	assert_null(decode_errno(0));
	assert_null(decode_errno(-1));
	assert_null(decode_errno(-5));
	assert_null(decode_errno(LONG_MIN));
	assert_null(decode_errno(LONG_MAX));
	assert_null(decode_errno(134));
	assert_null(decode_errno(532));
	assert_null(decode_errno(4095));
}

static void errno_from_name(void **state)
{
	long e;

	(void)state;
	assert_int_equal(decode_errno_from_name("EIO", &e), 0);
	assert_int_equal(e, 5);
	assert_int_equal(decode_errno_from_name("ENOGRACE", &e), 0);
	assert_int_equal(e, 531);
	assert_int_equal(decode_errno_from_name("ERESTART_RESTARTBLOCK", &e), 0);
	assert_int_equal(e, 516);
	/* the kernel's aliases parse to the primary code */
	assert_int_equal(decode_errno_from_name("EWOULDBLOCK", &e), 0);
	assert_int_equal(e, 11);
	assert_int_equal(decode_errno_from_name("EDEADLOCK", &e), 0);
	assert_int_equal(e, 35);
	/* the raw form */
	assert_int_equal(decode_errno_from_name("E600", &e), 0);
	assert_int_equal(e, 600);
	assert_int_equal(decode_errno_from_name("E5", &e), 0);
	assert_int_equal(e, 5);
	assert_int_equal(decode_errno_from_name("E9223372036854775807", &e), 0);
	assert_int_equal(e, LONG_MAX);
	/* output untouched on failure; NULL output allowed */
	e = 42;
	static const char *const bad[] = {
		"", "E", "E0", "E-5", "E+5", "E 5", " E5", "E5 ", "E5x", "E0x5", "e5", "eio", "Eio", "EIO ",
		" EIO", "EIO\n", "EBOGUS", "ENOTSUP", "EIOCBRETRY", "E9223372036854775808",
		"E99999999999999999999999", "5", "-5",
	};
	for (size_t i = 0; i < N(bad); i++)
		if (decode_errno_from_name(bad[i], &e) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(e, 42);
	assert_int_equal(decode_errno_from_name(NULL, &e), -1);
	assert_int_equal(decode_errno_from_name("EIO", NULL), 0);
	assert_int_equal(decode_errno_from_name("E77", NULL), 0);
}

static void err_column(void **state)
{
	char buf[32];
	long e;

	(void)state;
	assert_string_equal(fmt_err(buf, sizeof(buf), -5), "EIO");
	assert_string_equal(fmt_err(buf, sizeof(buf), -11), "EAGAIN");
	assert_string_equal(fmt_err(buf, sizeof(buf), -512), "ERESTARTSYS");
	assert_string_equal(fmt_err(buf, sizeof(buf), -531), "ENOGRACE");
	assert_string_equal(fmt_err(buf, sizeof(buf), -520), "E520");
	assert_string_equal(fmt_err(buf, sizeof(buf), -600), "E600");
	assert_string_equal(fmt_err(buf, sizeof(buf), -4095), "E4095");
	assert_string_equal(fmt_err(buf, sizeof(buf), LLONG_MIN), "E9223372036854775808");
	assert_string_equal(fmt_err(buf, sizeof(buf), -LLONG_MAX), "E9223372036854775807");
	assert_string_equal(fmt_err(buf, sizeof(buf), 0), "");
	assert_string_equal(fmt_err(buf, sizeof(buf), 1), "");
	assert_string_equal(fmt_err(buf, sizeof(buf), LLONG_MAX), "");
	assert_ptr_equal(fmt_err(buf, sizeof(buf), -5), buf);

	/* every raw form reads back */
	for (long long ret = -1; ret >= -700; ret--) {
		assert_int_equal(decode_errno_from_name(fmt_err(buf, sizeof(buf), ret), &e), 0);
		assert_int_equal(e, -ret);
	}
	assert_int_equal(decode_errno_from_name(fmt_err(buf, sizeof(buf), -LLONG_MAX), &e), 0);
	assert_int_equal(e, LLONG_MAX);
}

/* A too-small buffer is cut short and still terminated; nothing is written past len. */
static void fmt_truncates_safely(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(fmt_err(buf, 3, -524), "EN");	/* ENOTSUPP */
	assert_int_equal(buf[3], 'X');
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(fmt_err(buf, 1, -5), "");
	assert_int_equal(buf[1], 'X');
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(fmt_err(buf, 4, -600), "E60");
	assert_string_equal(fmt_err(buf, 4, 7), "");
	assert_string_equal(fmt_err(buf, 4, -5), "EIO");	/* exactly fits */
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(fmt_psp_cmd(buf, 4, 0xA1), "SNP");
	assert_int_equal(buf[4], 'X');
	assert_string_equal(fmt_psp_cmd(buf, 3, 0xfff), "0x");
	assert_string_equal(fmt_psp_cmd(buf, 1, 0xfff), "");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0xfff), "0xfff");
	/* no room at all: nothing written, a constant "" back */
	memset(buf, 'X', sizeof(buf));
	assert_string_equal(fmt_err(buf, 0, -5), "");
	assert_string_equal(fmt_psp_cmd(buf, 0, 0xA1), "");
	assert_int_equal(buf[0], 'X');
	assert_string_equal(fmt_err(NULL, 0, -5), "");
	assert_string_equal(fmt_err(NULL, 8, -5), "");
	assert_string_equal(fmt_psp_cmd(NULL, 8, 0xA1), "");
}

/* ---- SEV firmware status: KERNEL.md §5.1 = enum sev_ret_code of 7.3 ---- */

static const struct decode_row kernel_sev_rets[] = {
	{ -1, "NO_FW_CALL" }, { 0x00, "SUCCESS" }, { 0x01, "INVALID_PLATFORM_STATE" },
	{ 0x02, "INVALID_GUEST_STATE" }, { 0x03, "INVALID_CONFIG" }, { 0x04, "INVALID_LEN" },
	{ 0x05, "ALREADY_OWNED" }, { 0x06, "INVALID_CERTIFICATE" }, { 0x07, "POLICY_FAILURE" },
	{ 0x08, "INACTIVE" }, { 0x09, "INVALID_ADDRESS" }, { 0x0A, "BAD_SIGNATURE" },
	{ 0x0B, "BAD_MEASUREMENT" }, { 0x0C, "ASID_OWNED" }, { 0x0D, "INVALID_ASID" },
	{ 0x0E, "WBINVD_REQUIRED" }, { 0x0F, "DFFLUSH_REQUIRED" }, { 0x10, "INVALID_GUEST" },
	{ 0x11, "INVALID_COMMAND" }, { 0x12, "ACTIVE" }, { 0x13, "HWSEV_RET_PLATFORM" },
	{ 0x14, "HWSEV_RET_UNSAFE" }, { 0x15, "UNSUPPORTED" }, { 0x16, "INVALID_PARAM" },
	{ 0x17, "RESOURCE_LIMIT" }, { 0x18, "SECURE_DATA_INVALID" }, { 0x19, "INVALID_PAGE_SIZE" },
	{ 0x1A, "INVALID_PAGE_STATE" }, { 0x1B, "INVALID_MDATA_ENTRY" }, { 0x1C, "INVALID_PAGE_OWNER" },
	{ 0x1D, "AEAD_OFLOW" }, { 0x1F, "EXIT_RING_BUFFER" }, { 0x20, "RMP_INIT_REQUIRED" },
	{ 0x21, "BAD_SVN" }, { 0x22, "BAD_VERSION" }, { 0x23, "SHUTDOWN_REQUIRED" },
	{ 0x24, "UPDATE_FAILED" }, { 0x25, "RESTORE_REQUIRED" }, { 0x26, "RMP_INITIALIZATION_FAILED" },
	{ 0x27, "INVALID_KEY" },
	/* 7.x */
	{ 0x28, "SHUTDOWN_INCOMPLETE" }, { 0x30, "INCORRECT_BUFFER_LENGTH" },
	{ 0x31, "EXPAND_BUFFER_LENGTH_REQUEST" }, { 0x32, "SPDM_REQUEST" }, { 0x33, "SPDM_ERROR" },
	{ 0x35, "SEV_STATUS_ERR_IN_DEV_CONN" }, { 0x36, "SEV_STATUS_INVALID_DEV_CTX" },
	{ 0x37, "SEV_STATUS_INVALID_TDI_CTX" }, { 0x38, "SEV_STATUS_INVALID_TDI" },
	{ 0x39, "SEV_STATUS_RECLAIM_REQUIRED" }, { 0x3A, "IN_USE" },
	{ 0x3B, "SEV_STATUS_INVALID_DEV_STATE" }, { 0x3C, "SEV_STATUS_INVALID_TDI_STATE" },
	{ 0x3D, "SEV_STATUS_DEV_CERT_CHANGED" }, { 0x3E, "SEV_STATUS_RESYNC_REQ" },
	{ 0x3F, "SEV_STATUS_RESPONSE_TOO_LARGE" },
};

static void firmware_status(void **state)
{
	long c;

	(void)state;
	expect_exactly(DECODE_SEV_RET, dec_sev_ret, kernel_sev_rets, N(kernel_sev_rets), -600, 600);
	/* the ones seen in public reports (§5.1) */
	assert_string_equal(decode_sev_ret(0x16), "INVALID_PARAM");
	assert_string_equal(decode_sev_ret(22), "INVALID_PARAM");
	assert_string_equal(decode_sev_ret(0x0B), "BAD_MEASUREMENT");
	assert_string_equal(decode_sev_ret(0x07), "POLICY_FAILURE");
	assert_string_equal(decode_sev_ret(0x03), "INVALID_CONFIG");
	assert_string_equal(decode_sev_ret(-1), "NO_FW_CALL");
	/* unknown */
	assert_null(decode_sev_ret(0x1E));
	assert_null(decode_sev_ret(0x29));
	assert_null(decode_sev_ret(0x2F));
	assert_null(decode_sev_ret(0x34));
	assert_null(decode_sev_ret(0x40));
	assert_null(decode_sev_ret(0xFFFF));
	assert_null(decode_sev_ret(-2));
	assert_null(decode_sev_ret(LONG_MIN));
	assert_null(decode_sev_ret(LONG_MAX));
	/* names */
	assert_int_equal(decode_sev_ret_from_name("INVALID_PARAM", &c), 0);
	assert_int_equal(c, 0x16);
	assert_int_equal(decode_sev_ret_from_name("NO_FW_CALL", &c), 0);
	assert_int_equal(c, -1);
	assert_int_equal(decode_sev_ret_from_name("INAVLID_CONFIG", &c), 0);	/* the uapi's old spelling */
	assert_int_equal(c, 3);
	c = 99;
	assert_int_equal(decode_sev_ret_from_name("SEV_RET_INVALID_PARAM", &c), -1);
	assert_int_equal(decode_sev_ret_from_name("invalid_param", &c), -1);
	assert_int_equal(decode_sev_ret_from_name("0x16", &c), -1);
	assert_int_equal(decode_sev_ret_from_name("", &c), -1);
	assert_int_equal(decode_sev_ret_from_name(NULL, &c), -1);
	assert_int_equal(c, 99);
}

/* ---- SEV/PSP commands: enum sev_cmd, include/linux/psp-sev.h (7.3) ---- */

static const struct decode_row kernel_psp_cmds[] = {
	{ 0x01, "INIT" }, { 0x02, "SHUTDOWN" }, { 0x03, "FACTORY_RESET" }, { 0x04, "PLATFORM_STATUS" },
	{ 0x05, "PEK_GEN" }, { 0x06, "PEK_CSR" }, { 0x07, "PEK_CERT_IMPORT" }, { 0x08, "PDH_CERT_EXPORT" },
	{ 0x09, "PDH_GEN" }, { 0x0A, "DF_FLUSH" }, { 0x0B, "DOWNLOAD_FIRMWARE" }, { 0x0C, "GET_ID" },
	{ 0x0D, "INIT_EX" },
	{ 0x20, "DECOMMISSION" }, { 0x21, "ACTIVATE" }, { 0x22, "DEACTIVATE" }, { 0x23, "GUEST_STATUS" },
	{ 0x30, "LAUNCH_START" }, { 0x31, "LAUNCH_UPDATE_DATA" }, { 0x32, "LAUNCH_UPDATE_VMSA" },
	{ 0x33, "LAUNCH_MEASURE" }, { 0x34, "LAUNCH_UPDATE_SECRET" }, { 0x35, "LAUNCH_FINISH" },
	{ 0x36, "ATTESTATION_REPORT" },
	{ 0x40, "SEND_START" }, { 0x41, "SEND_UPDATE_DATA" }, { 0x42, "SEND_UPDATE_VMSA" },
	{ 0x43, "SEND_FINISH" }, { 0x44, "SEND_CANCEL" },
	{ 0x50, "RECEIVE_START" }, { 0x51, "RECEIVE_UPDATE_DATA" }, { 0x52, "RECEIVE_UPDATE_VMSA" },
	{ 0x53, "RECEIVE_FINISH" },
	{ 0x60, "DBG_DECRYPT" }, { 0x61, "DBG_ENCRYPT" },
	{ 0x81, "SNP_INIT" }, { 0x82, "SNP_SHUTDOWN" }, { 0x83, "SNP_PLATFORM_STATUS" },
	{ 0x84, "SNP_DF_FLUSH" }, { 0x85, "SNP_INIT_EX" }, { 0x86, "SNP_SHUTDOWN_EX" },
	{ 0x90, "SNP_DECOMMISSION" }, { 0x91, "SNP_ACTIVATE" }, { 0x92, "SNP_GUEST_STATUS" },
	{ 0x93, "SNP_GCTX_CREATE" }, { 0x94, "SNP_GUEST_REQUEST" }, { 0x95, "SNP_ACTIVATE_EX" },
	{ 0xA0, "SNP_LAUNCH_START" }, { 0xA1, "SNP_LAUNCH_UPDATE" }, { 0xA2, "SNP_LAUNCH_FINISH" },
	{ 0xB0, "SNP_DBG_DECRYPT" }, { 0xB1, "SNP_DBG_ENCRYPT" }, { 0xB2, "SNP_VERIFY_MITIGATION" },
	{ 0xC0, "SNP_PAGE_SWAP_OUT" }, { 0xC1, "SNP_PAGE_SWAP_IN" }, { 0xC2, "SNP_PAGE_MOVE" },
	{ 0xC3, "SNP_PAGE_MD_INIT" }, { 0xC6, "SNP_PAGE_SET_STATE" }, { 0xC7, "SNP_PAGE_RECLAIM" },
	{ 0xC8, "SNP_PAGE_UNSMASH" }, { 0xC9, "SNP_CONFIG" }, { 0xCA, "SNP_DOWNLOAD_FIRMWARE_EX" },
	{ 0xCB, "SNP_COMMIT" }, { 0xCD, "SNP_VLEK_LOAD" }, { 0xCE, "SNP_FEATURE_INFO" },
	{ 0xD0, "TIO_STATUS" }, { 0xD1, "TIO_INIT" }, { 0xD2, "TIO_DEV_CREATE" },
	{ 0xD3, "TIO_DEV_RECLAIM" }, { 0xD4, "TIO_DEV_CONNECT" }, { 0xD5, "TIO_DEV_DISCONNECT" },
};

static void psp_commands(void **state)
{
	char buf[32], want[32];
	unsigned long c;

	(void)state;
	expect_exactly(DECODE_PSP_CMD, dec_psp, kernel_psp_cmds, N(kernel_psp_cmds), 0, 0x1000);
	assert_string_equal(decode_psp_cmd(0xA1), "SNP_LAUNCH_UPDATE");
	assert_string_equal(decode_psp_cmd(0x31), "LAUNCH_UPDATE_DATA");
	assert_string_equal(decode_psp_cmd(0xC7), "SNP_PAGE_RECLAIM");
	assert_null(decode_psp_cmd(0));
	assert_null(decode_psp_cmd(0x0E));	/* no SEV_CMD_NOP in the kernel's enum */
	assert_null(decode_psp_cmd(0xFF));
	assert_null(decode_psp_cmd(0xA1 + 0x10000UL));	/* no truncation to 16 bits */
	assert_null(decode_psp_cmd(ULONG_MAX));

	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0xC7), "SNP_PAGE_RECLAIM");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0xFF), "0xff");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0x0E), "0xe");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), 0), "0x0");
	assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), ULONG_MAX), "0xffffffffffffffff");

	/* every id prints as its name or 0x<hex>, and reads back */
	for (unsigned long id = 0; id <= 0x1000; id++) {
		const char *name = decode_psp_cmd(id);

		snprintf(want, sizeof(want), "0x%lx", id);
		assert_string_equal(fmt_psp_cmd(buf, sizeof(buf), id), name ? name : want);
		assert_int_equal(decode_psp_cmd_from_name(buf, &c), 0);
		assert_int_equal(c, id);
		assert_int_equal(decode_psp_cmd_from_name(want, &c), 0);	/* the raw form of a known id too */
		assert_int_equal(c, id);
	}
	assert_int_equal(decode_psp_cmd_from_name(fmt_psp_cmd(buf, sizeof(buf), ULONG_MAX), &c), 0);
	assert_int_equal(c, ULONG_MAX);
	assert_int_equal(decode_psp_cmd_from_name("0xA1", &c), 0);
	assert_int_equal(c, 0xA1);
	assert_int_equal(decode_psp_cmd_from_name("0x00c7", &c), 0);
	assert_int_equal(c, 0xC7);
	assert_int_equal(decode_psp_cmd_from_name("SNP_LAUNCH_UPDATE", NULL), 0);

	c = 7;
	static const char *const bad[] = {
		"", "0", "0x", "0X1", "x1", "a1", "A1", "161", "0xg", "0x0x5", "0x-1", "0x+1", "0x 1",
		" 0xa1", "0xa1 ", "0x10000000000000000", "0x1ffffffffffffffff", "snp_launch_update",
		"SEV_CMD_SNP_LAUNCH_UPDATE", "SNP_LAUNCH_UPDATE ", "NOP", "TIO_DEV_STATUS",
	};
	for (size_t i = 0; i < N(bad); i++)
		if (decode_psp_cmd_from_name(bad[i], &c) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(decode_psp_cmd_from_name(NULL, &c), -1);
	assert_int_equal(c, 7);
}

/* ---- KVM_SEV_* ids: enum sev_cmd_id, arch/x86/include/uapi/asm/kvm.h ---- */

static const struct decode_row kernel_kvm_sev_cmds[] = {
	{ 0, "KVM_SEV_INIT" }, { 1, "KVM_SEV_ES_INIT" }, { 2, "KVM_SEV_LAUNCH_START" },
	{ 3, "KVM_SEV_LAUNCH_UPDATE_DATA" }, { 4, "KVM_SEV_LAUNCH_UPDATE_VMSA" },
	{ 5, "KVM_SEV_LAUNCH_SECRET" }, { 6, "KVM_SEV_LAUNCH_MEASURE" }, { 7, "KVM_SEV_LAUNCH_FINISH" },
	{ 8, "KVM_SEV_SEND_START" }, { 9, "KVM_SEV_SEND_UPDATE_DATA" }, { 10, "KVM_SEV_SEND_UPDATE_VMSA" },
	{ 11, "KVM_SEV_SEND_FINISH" }, { 12, "KVM_SEV_RECEIVE_START" },
	{ 13, "KVM_SEV_RECEIVE_UPDATE_DATA" }, { 14, "KVM_SEV_RECEIVE_UPDATE_VMSA" },
	{ 15, "KVM_SEV_RECEIVE_FINISH" }, { 16, "KVM_SEV_GUEST_STATUS" }, { 17, "KVM_SEV_DBG_DECRYPT" },
	{ 18, "KVM_SEV_DBG_ENCRYPT" }, { 19, "KVM_SEV_CERT_EXPORT" },
	{ 20, "KVM_SEV_GET_ATTESTATION_REPORT" }, { 21, "KVM_SEV_SEND_CANCEL" }, { 22, "KVM_SEV_INIT2" },
	{ 100, "KVM_SEV_SNP_LAUNCH_START" }, { 101, "KVM_SEV_SNP_LAUNCH_UPDATE" },
	{ 102, "KVM_SEV_SNP_LAUNCH_FINISH" }, { 103, "KVM_SEV_SNP_ENABLE_REQ_CERTS" },
};

static void kvm_sev_commands(void **state)
{
	unsigned long id;

	(void)state;
	expect_exactly(DECODE_KVM_SEV_CMD, dec_kvm, kernel_kvm_sev_cmds, N(kernel_kvm_sev_cmds), 0, 600);
	assert_string_equal(decode_kvm_sev_cmd(100), "KVM_SEV_SNP_LAUNCH_START");
	assert_string_equal(decode_kvm_sev_cmd(101), "KVM_SEV_SNP_LAUNCH_UPDATE");
	assert_string_equal(decode_kvm_sev_cmd(102), "KVM_SEV_SNP_LAUNCH_FINISH");
	assert_string_equal(decode_kvm_sev_cmd(103), "KVM_SEV_SNP_ENABLE_REQ_CERTS");
	assert_null(decode_kvm_sev_cmd(23));
	assert_null(decode_kvm_sev_cmd(99));
	assert_null(decode_kvm_sev_cmd(104));
	assert_null(decode_kvm_sev_cmd(ULONG_MAX));
	assert_int_equal(decode_kvm_sev_cmd_from_name("KVM_SEV_SNP_LAUNCH_UPDATE", &id), 0);
	assert_int_equal(id, 101);
	assert_int_equal(decode_kvm_sev_cmd_from_name("KVM_SEV_INIT", &id), 0);
	assert_int_equal(id, 0);
	id = 5;
	assert_int_equal(decode_kvm_sev_cmd_from_name("SNP_LAUNCH_UPDATE", &id), -1);
	assert_int_equal(decode_kvm_sev_cmd_from_name("101", &id), -1);
	assert_int_equal(decode_kvm_sev_cmd_from_name(NULL, &id), -1);
	assert_int_equal(id, 5);
}

/* ---- SNP page types and RMP instruction codes ---- */

static const struct decode_row kernel_page_types[] = {
	{ 1, "NORMAL" }, { 2, "VMSA" }, { 3, "ZERO" }, { 4, "UNMEASURED" }, { 5, "SECRETS" }, { 6, "CPUID" },
};
static const struct decode_row apm_rmpupdate[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" }, { 4, "FAIL_OVERLAP" },
};
static const struct decode_row apm_psmash[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" }, { 4, "FAIL_BADADDR" },
};
static const struct decode_row apm_pvalidate[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 6, "FAIL_SIZEMISMATCH" }, { 255, "FAIL_NOUPDATE" },
};

static void page_types(void **state)
{
	unsigned long t;

	(void)state;
	expect_exactly(DECODE_PAGE_TYPE, dec_page, kernel_page_types, N(kernel_page_types), 0, 600);
	assert_string_equal(decode_page_type(2), "VMSA");
	assert_string_equal(decode_page_type(6), "CPUID");
	assert_null(decode_page_type(0));
	assert_null(decode_page_type(7));
	assert_null(decode_page_type(0x101));	/* no truncation to the u8 */
	assert_null(decode_page_type(ULONG_MAX));
	assert_int_equal(decode_page_type_from_name("VMSA", &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(decode_page_type_from_name("SECRETS", &t), 0);
	assert_int_equal(t, 5);
	t = 9;
	assert_int_equal(decode_page_type_from_name("cpuid", &t), -1);	/* exact, case-sensitive */
	assert_int_equal(decode_page_type_from_name("KVM_SEV_SNP_PAGE_TYPE_CPUID", &t), -1);
	assert_int_equal(decode_page_type_from_name("6", &t), -1);
	assert_int_equal(decode_page_type_from_name("", &t), -1);
	assert_int_equal(decode_page_type_from_name(NULL, &t), -1);
	assert_int_equal(t, 9);
}

static void rmp_instruction_codes(void **state)
{
	(void)state;
	expect_exactly(DECODE_RMPUPDATE, dec_rmpupdate, apm_rmpupdate, N(apm_rmpupdate), -600, 600);
	expect_exactly(DECODE_PSMASH, dec_psmash, apm_psmash, N(apm_psmash), -600, 600);
	expect_exactly(DECODE_PVALIDATE, dec_pvalidate, apm_pvalidate, N(apm_pvalidate), -600, 600);
	assert_string_equal(decode_rmpupdate_ret(2), "FAIL_PERMISSION");	/* AMDSEV#245 "ret: 2" */
	assert_string_equal(decode_rmpupdate_ret(4), "FAIL_OVERLAP");
	assert_null(decode_rmpupdate_ret(5));
	assert_null(decode_rmpupdate_ret(-1));
	assert_string_equal(decode_psmash_ret(3), "FAIL_INUSE");
	assert_string_equal(decode_psmash_ret(4), "FAIL_BADADDR");
	assert_null(decode_psmash_ret(5));
	assert_string_equal(decode_pvalidate_ret(1), "FAIL_INPUT");
	assert_string_equal(decode_pvalidate_ret(6), "FAIL_SIZEMISMATCH");
	assert_string_equal(decode_pvalidate_ret(255), "FAIL_NOUPDATE");
	assert_null(decode_pvalidate_ret(2));
	assert_null(decode_pvalidate_ret(4));
	assert_null(decode_pvalidate_ret(256));
}

/* ---- round trips and the tables as such ---- */

/* code -> name -> code -> name over 1..600 (and -600..0) for every table, through each table's own API */
static void round_trips_over_every_code(void **state)
{
	(void)state;
	for (long c = -600; c <= 600; c++) {
		for (unsigned int t = 0; t < DECODE_NTABLES; t++) {
			const char *name = decode_lookup((enum decode_table)t, c);
			long back = c + 1;

			if (!name)
				continue;
			assert_int_equal(decode_lookup_name((enum decode_table)t, name, &back), 0);
			assert_int_equal(back, c);
			assert_string_equal(decode_lookup((enum decode_table)t, back), name);
		}
		if (decode_errno(c)) {
			long e;

			assert_int_equal(decode_errno_from_name(decode_errno(c), &e), 0);
			assert_int_equal(e, c);
		}
		if (decode_sev_ret(c)) {
			long s;

			assert_int_equal(decode_sev_ret_from_name(decode_sev_ret(c), &s), 0);
			assert_int_equal(s, c);
		}
		if (c >= 0) {
			unsigned long u = (unsigned long)c, back;

			if (decode_psp_cmd(u)) {
				assert_int_equal(decode_psp_cmd_from_name(decode_psp_cmd(u), &back), 0);
				assert_int_equal(back, u);
			}
			if (decode_kvm_sev_cmd(u)) {
				assert_int_equal(decode_kvm_sev_cmd_from_name(decode_kvm_sev_cmd(u), &back), 0);
				assert_int_equal(back, u);
			}
			if (decode_page_type(u)) {
				assert_int_equal(decode_page_type_from_name(decode_page_type(u), &back), 0);
				assert_int_equal(back, u);
			}
		}
	}
}

static void tables_are_sound(void **state)
{
	size_t total = 0;

	(void)state;
	assert_int_equal(decode_table_check(), 0);
	/* the same, independently, through the iteration API */
	for (unsigned int t = 0; t < DECODE_NTABLES; t++) {
		size_t n = 0;
		const struct decode_row *rows = decode_table_rows((enum decode_table)t, &n);

		assert_non_null(rows);
		assert_non_null(decode_table_title((enum decode_table)t));
		assert_true(n > 0);
		total += n;
		for (size_t i = 0; i < n; i++) {
			assert_non_null(rows[i].name);
			assert_true(rows[i].name[0] != '\0');
			if (i)	/* kept in code order, which also rules out equal codes */
				assert_true(rows[i - 1].code < rows[i].code);
			for (size_t j = i + 1; j < n; j++) {
				if (!strcmp(rows[i].name, rows[j].name))
					fail_msg("%s: '%s' twice", decode_table_title((enum decode_table)t), rows[i].name);
			}
		}
	}
	assert_int_equal(total, N(uapi_errnos) + N(kernel_sev_rets) + N(kernel_psp_cmds) +
				N(kernel_kvm_sev_cmds) + N(kernel_page_types) + N(apm_rmpupdate) +
				N(apm_psmash) + N(apm_pvalidate));

	/* a bad table id is harmless */
	size_t n = 5;
	long code = 3;

	assert_null(decode_table_rows(DECODE_NTABLES, &n));
	assert_int_equal(n, 0);
	assert_null(decode_table_rows((enum decode_table)-1, NULL));
	assert_null(decode_table_title(DECODE_NTABLES));
	assert_null(decode_lookup(DECODE_NTABLES, 1));
	assert_int_equal(decode_lookup_name(DECODE_NTABLES, "EIO", &code), -1);
	assert_int_equal(code, 3);
	/* aliases belong to their own table only */
	assert_int_equal(decode_lookup_name(DECODE_PSP_CMD, "EWOULDBLOCK", &code), -1);
	assert_int_equal(decode_lookup_name(DECODE_ERRNO, "INAVLID_CONFIG", &code), -1);
}

/* The checker finds what it is meant to find. */
static void table_checker_catches_problems(void **state)
{
	static const struct decode_row good[] = { { 1, "A" }, { 2, "B" }, { 3, "C" } };
	static const struct decode_row same_code[] = { { 1, "A" }, { 2, "B" }, { 1, "C" } };
	static const struct decode_row same_name[] = { { 1, "A" }, { 2, "B" }, { 3, "A" } };
	static const struct decode_row both[] = { { 1, "A" }, { 1, "A" } };
	static const struct decode_row empty_name[] = { { 1, "A" }, { 2, "" } };
	static const struct decode_row null_name[] = { { 1, NULL }, { 2, "B" }, { 3, NULL } };

	(void)state;
	assert_int_equal(decode_rows_problems(good, N(good)), 0);
	assert_int_equal(decode_rows_problems(same_code, N(same_code)), 1);
	assert_int_equal(decode_rows_problems(same_name, N(same_name)), 1);
	assert_int_equal(decode_rows_problems(both, N(both)), 2);
	assert_int_equal(decode_rows_problems(empty_name, N(empty_name)), 1);
	assert_int_equal(decode_rows_problems(null_name, N(null_name)), 2);
	assert_int_equal(decode_rows_problems(NULL, 0), 0);
	assert_int_equal(decode_rows_problems(NULL, 3), 1);
	assert_int_equal(decode_rows_problems(good, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_table_is_the_kernels),
		cmocka_unit_test(errno_names_and_edges),
		cmocka_unit_test(errno_from_name),
		cmocka_unit_test(err_column),
		cmocka_unit_test(fmt_truncates_safely),
		cmocka_unit_test(firmware_status),
		cmocka_unit_test(psp_commands),
		cmocka_unit_test(kvm_sev_commands),
		cmocka_unit_test(page_types),
		cmocka_unit_test(rmp_instruction_codes),
		cmocka_unit_test(round_trips_over_every_code),
		cmocka_unit_test(tables_are_sound),
		cmocka_unit_test(table_checker_catches_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
