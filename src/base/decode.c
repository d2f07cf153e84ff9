// SPDX-License-Identifier: GPL-2.0
/*
 * Code <-> name tables as constant data, with one generic lookup each way
 * (decode_lookup / decode_lookup_name). Values are the kernel's: see the
 * comment above each table for the header it mirrors.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "base/decode.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * include/uapi/asm-generic/errno-base.h and errno.h (x86-64 uses asm-generic):
 * primary names only (EWOULDBLOCK and EDEADLOCK are aliases, see below; 41 and
 * 58 are unassigned). Then include/linux/errno.h: kernel-internal codes that
 * userspace never sees but the functions gfntop traces can return (520 is a hole).
 */
static const struct decode_row errno_rows[] = {
	{ 1, "EPERM" }, { 2, "ENOENT" }, { 3, "ESRCH" }, { 4, "EINTR" }, { 5, "EIO" },
	{ 6, "ENXIO" }, { 7, "E2BIG" }, { 8, "ENOEXEC" }, { 9, "EBADF" }, { 10, "ECHILD" },
	{ 11, "EAGAIN" }, { 12, "ENOMEM" }, { 13, "EACCES" }, { 14, "EFAULT" }, { 15, "ENOTBLK" },
	{ 16, "EBUSY" }, { 17, "EEXIST" }, { 18, "EXDEV" }, { 19, "ENODEV" }, { 20, "ENOTDIR" },
	{ 21, "EISDIR" }, { 22, "EINVAL" }, { 23, "ENFILE" }, { 24, "EMFILE" }, { 25, "ENOTTY" },
	{ 26, "ETXTBSY" }, { 27, "EFBIG" }, { 28, "ENOSPC" }, { 29, "ESPIPE" }, { 30, "EROFS" },
	{ 31, "EMLINK" }, { 32, "EPIPE" }, { 33, "EDOM" }, { 34, "ERANGE" }, { 35, "EDEADLK" },
	{ 36, "ENAMETOOLONG" }, { 37, "ENOLCK" }, { 38, "ENOSYS" }, { 39, "ENOTEMPTY" }, { 40, "ELOOP" },
	{ 42, "ENOMSG" }, { 43, "EIDRM" }, { 44, "ECHRNG" }, { 45, "EL2NSYNC" }, { 46, "EL3HLT" },
	{ 47, "EL3RST" }, { 48, "ELNRNG" }, { 49, "EUNATCH" }, { 50, "ENOCSI" }, { 51, "EL2HLT" },
	{ 52, "EBADE" }, { 53, "EBADR" }, { 54, "EXFULL" }, { 55, "ENOANO" }, { 56, "EBADRQC" },
	{ 57, "EBADSLT" }, { 59, "EBFONT" }, { 60, "ENOSTR" }, { 61, "ENODATA" }, { 62, "ETIME" },
	{ 63, "ENOSR" }, { 64, "ENONET" }, { 65, "ENOPKG" }, { 66, "EREMOTE" }, { 67, "ENOLINK" },
	{ 68, "EADV" }, { 69, "ESRMNT" }, { 70, "ECOMM" }, { 71, "EPROTO" }, { 72, "EMULTIHOP" },
	{ 73, "EDOTDOT" }, { 74, "EBADMSG" }, { 75, "EOVERFLOW" }, { 76, "ENOTUNIQ" }, { 77, "EBADFD" },
	{ 78, "EREMCHG" }, { 79, "ELIBACC" }, { 80, "ELIBBAD" }, { 81, "ELIBSCN" }, { 82, "ELIBMAX" },
	{ 83, "ELIBEXEC" }, { 84, "EILSEQ" }, { 85, "ERESTART" }, { 86, "ESTRPIPE" }, { 87, "EUSERS" },
	{ 88, "ENOTSOCK" }, { 89, "EDESTADDRREQ" }, { 90, "EMSGSIZE" }, { 91, "EPROTOTYPE" },
	{ 92, "ENOPROTOOPT" }, { 93, "EPROTONOSUPPORT" }, { 94, "ESOCKTNOSUPPORT" }, { 95, "EOPNOTSUPP" },
	{ 96, "EPFNOSUPPORT" }, { 97, "EAFNOSUPPORT" }, { 98, "EADDRINUSE" }, { 99, "EADDRNOTAVAIL" },
	{ 100, "ENETDOWN" }, { 101, "ENETUNREACH" }, { 102, "ENETRESET" }, { 103, "ECONNABORTED" },
	{ 104, "ECONNRESET" }, { 105, "ENOBUFS" }, { 106, "EISCONN" }, { 107, "ENOTCONN" },
	{ 108, "ESHUTDOWN" }, { 109, "ETOOMANYREFS" }, { 110, "ETIMEDOUT" }, { 111, "ECONNREFUSED" },
	{ 112, "EHOSTDOWN" }, { 113, "EHOSTUNREACH" }, { 114, "EALREADY" }, { 115, "EINPROGRESS" },
	{ 116, "ESTALE" }, { 117, "EUCLEAN" }, { 118, "ENOTNAM" }, { 119, "ENAVAIL" }, { 120, "EISNAM" },
	{ 121, "EREMOTEIO" }, { 122, "EDQUOT" }, { 123, "ENOMEDIUM" }, { 124, "EMEDIUMTYPE" },
	{ 125, "ECANCELED" }, { 126, "ENOKEY" }, { 127, "EKEYEXPIRED" }, { 128, "EKEYREVOKED" },
	{ 129, "EKEYREJECTED" }, { 130, "EOWNERDEAD" }, { 131, "ENOTRECOVERABLE" }, { 132, "ERFKILL" },
	{ 133, "EHWPOISON" },
	/* include/linux/errno.h */
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
	{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" },
	{ 521, "EBADHANDLE" }, { 522, "ENOTSYNC" }, { 523, "EBADCOOKIE" }, { 524, "ENOTSUPP" },
	{ 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" }, { 527, "EBADTYPE" }, { 528, "EJUKEBOX" },
	{ 529, "EIOCBQUEUED" }, { 530, "ERECALLCONFLICT" }, { 531, "ENOGRACE" },
};

/*
 * enum sev_ret_code, include/uapi/linux/psp-sev.h (7.3) without SEV_RET_; the
 * firmware's codes are 16 bits, -1 is the kernel's own. 0x1E, 0x29-0x2F and 0x34
 * are unassigned.
 */
static const struct decode_row sev_ret_rows[] = {
	{ -1, "NO_FW_CALL" },
	{ 0x00, "SUCCESS" }, { 0x01, "INVALID_PLATFORM_STATE" }, { 0x02, "INVALID_GUEST_STATE" },
	{ 0x03, "INVALID_CONFIG" }, { 0x04, "INVALID_LEN" }, { 0x05, "ALREADY_OWNED" },
	{ 0x06, "INVALID_CERTIFICATE" }, { 0x07, "POLICY_FAILURE" }, { 0x08, "INACTIVE" },
	{ 0x09, "INVALID_ADDRESS" }, { 0x0A, "BAD_SIGNATURE" }, { 0x0B, "BAD_MEASUREMENT" },
	{ 0x0C, "ASID_OWNED" }, { 0x0D, "INVALID_ASID" }, { 0x0E, "WBINVD_REQUIRED" },
	{ 0x0F, "DFFLUSH_REQUIRED" }, { 0x10, "INVALID_GUEST" }, { 0x11, "INVALID_COMMAND" },
	{ 0x12, "ACTIVE" }, { 0x13, "HWSEV_RET_PLATFORM" }, { 0x14, "HWSEV_RET_UNSAFE" },
	{ 0x15, "UNSUPPORTED" }, { 0x16, "INVALID_PARAM" }, { 0x17, "RESOURCE_LIMIT" },
	{ 0x18, "SECURE_DATA_INVALID" },
	/* SNP (explicit values from 6.x on) */
	{ 0x19, "INVALID_PAGE_SIZE" }, { 0x1A, "INVALID_PAGE_STATE" }, { 0x1B, "INVALID_MDATA_ENTRY" },
	{ 0x1C, "INVALID_PAGE_OWNER" }, { 0x1D, "AEAD_OFLOW" }, { 0x1F, "EXIT_RING_BUFFER" },
	{ 0x20, "RMP_INIT_REQUIRED" }, { 0x21, "BAD_SVN" }, { 0x22, "BAD_VERSION" },
	{ 0x23, "SHUTDOWN_REQUIRED" }, { 0x24, "UPDATE_FAILED" }, { 0x25, "RESTORE_REQUIRED" },
	{ 0x26, "RMP_INITIALIZATION_FAILED" }, { 0x27, "INVALID_KEY" },
	/* 7.x, including SEV-TIO */
	{ 0x28, "SHUTDOWN_INCOMPLETE" }, { 0x30, "INCORRECT_BUFFER_LENGTH" },
	{ 0x31, "EXPAND_BUFFER_LENGTH_REQUEST" }, { 0x32, "SPDM_REQUEST" }, { 0x33, "SPDM_ERROR" },
	{ 0x35, "SEV_STATUS_ERR_IN_DEV_CONN" }, { 0x36, "SEV_STATUS_INVALID_DEV_CTX" },
	{ 0x37, "SEV_STATUS_INVALID_TDI_CTX" }, { 0x38, "SEV_STATUS_INVALID_TDI" },
	{ 0x39, "SEV_STATUS_RECLAIM_REQUIRED" }, { 0x3A, "IN_USE" },
	{ 0x3B, "SEV_STATUS_INVALID_DEV_STATE" }, { 0x3C, "SEV_STATUS_INVALID_TDI_STATE" },
	{ 0x3D, "SEV_STATUS_DEV_CERT_CHANGED" }, { 0x3E, "SEV_STATUS_RESYNC_REQ" },
	{ 0x3F, "SEV_STATUS_RESPONSE_TOO_LARGE" },
};

/* enum sev_cmd, include/linux/psp-sev.h (7.3) without SEV_CMD_ */
static const struct decode_row psp_cmd_rows[] = {
	/* platform */
	{ 0x001, "INIT" }, { 0x002, "SHUTDOWN" }, { 0x003, "FACTORY_RESET" }, { 0x004, "PLATFORM_STATUS" },
	{ 0x005, "PEK_GEN" }, { 0x006, "PEK_CSR" }, { 0x007, "PEK_CERT_IMPORT" }, { 0x008, "PDH_CERT_EXPORT" },
	{ 0x009, "PDH_GEN" }, { 0x00A, "DF_FLUSH" }, { 0x00B, "DOWNLOAD_FIRMWARE" }, { 0x00C, "GET_ID" },
	{ 0x00D, "INIT_EX" },
	/* guest */
	{ 0x020, "DECOMMISSION" }, { 0x021, "ACTIVATE" }, { 0x022, "DEACTIVATE" }, { 0x023, "GUEST_STATUS" },
	/* guest launch */
	{ 0x030, "LAUNCH_START" }, { 0x031, "LAUNCH_UPDATE_DATA" }, { 0x032, "LAUNCH_UPDATE_VMSA" },
	{ 0x033, "LAUNCH_MEASURE" }, { 0x034, "LAUNCH_UPDATE_SECRET" }, { 0x035, "LAUNCH_FINISH" },
	{ 0x036, "ATTESTATION_REPORT" },
	/* migration, outgoing and incoming */
	{ 0x040, "SEND_START" }, { 0x041, "SEND_UPDATE_DATA" }, { 0x042, "SEND_UPDATE_VMSA" },
	{ 0x043, "SEND_FINISH" }, { 0x044, "SEND_CANCEL" },
	{ 0x050, "RECEIVE_START" }, { 0x051, "RECEIVE_UPDATE_DATA" }, { 0x052, "RECEIVE_UPDATE_VMSA" },
	{ 0x053, "RECEIVE_FINISH" },
	/* debug */
	{ 0x060, "DBG_DECRYPT" }, { 0x061, "DBG_ENCRYPT" },
	/* SNP */
	{ 0x081, "SNP_INIT" }, { 0x082, "SNP_SHUTDOWN" }, { 0x083, "SNP_PLATFORM_STATUS" },
	{ 0x084, "SNP_DF_FLUSH" }, { 0x085, "SNP_INIT_EX" }, { 0x086, "SNP_SHUTDOWN_EX" },
	{ 0x090, "SNP_DECOMMISSION" }, { 0x091, "SNP_ACTIVATE" }, { 0x092, "SNP_GUEST_STATUS" },
	{ 0x093, "SNP_GCTX_CREATE" }, { 0x094, "SNP_GUEST_REQUEST" }, { 0x095, "SNP_ACTIVATE_EX" },
	{ 0x0A0, "SNP_LAUNCH_START" }, { 0x0A1, "SNP_LAUNCH_UPDATE" }, { 0x0A2, "SNP_LAUNCH_FINISH" },
	{ 0x0B0, "SNP_DBG_DECRYPT" }, { 0x0B1, "SNP_DBG_ENCRYPT" }, { 0x0B2, "SNP_VERIFY_MITIGATION" },
	{ 0x0C0, "SNP_PAGE_SWAP_OUT" }, { 0x0C1, "SNP_PAGE_SWAP_IN" }, { 0x0C2, "SNP_PAGE_MOVE" },
	{ 0x0C3, "SNP_PAGE_MD_INIT" }, { 0x0C6, "SNP_PAGE_SET_STATE" }, { 0x0C7, "SNP_PAGE_RECLAIM" },
	{ 0x0C8, "SNP_PAGE_UNSMASH" }, { 0x0C9, "SNP_CONFIG" }, { 0x0CA, "SNP_DOWNLOAD_FIRMWARE_EX" },
	{ 0x0CB, "SNP_COMMIT" }, { 0x0CD, "SNP_VLEK_LOAD" }, { 0x0CE, "SNP_FEATURE_INFO" },
	/* SEV-TIO (7.x) */
	{ 0x0D0, "TIO_STATUS" }, { 0x0D1, "TIO_INIT" }, { 0x0D2, "TIO_DEV_CREATE" },
	{ 0x0D3, "TIO_DEV_RECLAIM" }, { 0x0D4, "TIO_DEV_CONNECT" }, { 0x0D5, "TIO_DEV_DISCONNECT" },
};

/* enum sev_cmd_id, arch/x86/include/uapi/asm/kvm.h (7.3; INIT2 from 6.10, ENABLE_REQ_CERTS from 7.0) */
static const struct decode_row kvm_sev_cmd_rows[] = {
	{ 0, "KVM_SEV_INIT" }, { 1, "KVM_SEV_ES_INIT" },
	{ 2, "KVM_SEV_LAUNCH_START" }, { 3, "KVM_SEV_LAUNCH_UPDATE_DATA" },
	{ 4, "KVM_SEV_LAUNCH_UPDATE_VMSA" }, { 5, "KVM_SEV_LAUNCH_SECRET" },
	{ 6, "KVM_SEV_LAUNCH_MEASURE" }, { 7, "KVM_SEV_LAUNCH_FINISH" },
	{ 8, "KVM_SEV_SEND_START" }, { 9, "KVM_SEV_SEND_UPDATE_DATA" },
	{ 10, "KVM_SEV_SEND_UPDATE_VMSA" }, { 11, "KVM_SEV_SEND_FINISH" },
	{ 12, "KVM_SEV_RECEIVE_START" }, { 13, "KVM_SEV_RECEIVE_UPDATE_DATA" },
	{ 14, "KVM_SEV_RECEIVE_UPDATE_VMSA" }, { 15, "KVM_SEV_RECEIVE_FINISH" },
	{ 16, "KVM_SEV_GUEST_STATUS" }, { 17, "KVM_SEV_DBG_DECRYPT" }, { 18, "KVM_SEV_DBG_ENCRYPT" },
	{ 19, "KVM_SEV_CERT_EXPORT" }, { 20, "KVM_SEV_GET_ATTESTATION_REPORT" },
	{ 21, "KVM_SEV_SEND_CANCEL" }, { 22, "KVM_SEV_INIT2" },
	{ 100, "KVM_SEV_SNP_LAUNCH_START" }, { 101, "KVM_SEV_SNP_LAUNCH_UPDATE" },
	{ 102, "KVM_SEV_SNP_LAUNCH_FINISH" }, { 103, "KVM_SEV_SNP_ENABLE_REQ_CERTS" },
};

/* KVM_SEV_SNP_PAGE_TYPE_* (uapi) plus SNP_PAGE_TYPE_VMSA (include/linux/psp-sev.h); firmware values */
static const struct decode_row page_type_rows[] = {
	{ 1, "NORMAL" }, { 2, "VMSA" }, { 3, "ZERO" }, { 4, "UNMEASURED" }, { 5, "SECRETS" }, { 6, "CPUID" },
};

/* RMPUPDATE's raw result in EAX (APM vol. 3; mainline names only RMPUPDATE_FAIL_OVERLAP) */
static const struct decode_row rmpupdate_rows[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" }, { 4, "FAIL_OVERLAP" },
};

/* PSMASH's raw result, as psmash() returns it (mainline names only PSMASH_FAIL_INUSE) */
static const struct decode_row psmash_rows[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" }, { 4, "FAIL_BADADDR" },
};

/* PVALIDATE_* of arch/x86/include/asm/sev.h; 255 is the kernel's own for "CF=1, nothing changed" */
static const struct decode_row pvalidate_rows[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 6, "FAIL_SIZEMISMATCH" }, { 255, "FAIL_NOUPDATE" },
};

/* Other spellings the kernel defines for a code: accepted by the name lookups, never printed. */
struct alias {
	enum decode_table table;
	long code;
	const char *name;
};

static const struct alias aliases[] = {
	{ DECODE_ERRNO, 11, "EWOULDBLOCK" },		/* asm-generic/errno.h: #define EWOULDBLOCK EAGAIN */
	{ DECODE_ERRNO, 35, "EDEADLOCK" },		/* asm-generic/errno.h: #define EDEADLOCK EDEADLK */
	{ DECODE_SEV_RET, 0x03, "INAVLID_CONFIG" },	/* the uapi's original, misspelt name (still defined) */
};

struct table {
	const char *title;
	const struct decode_row *rows;
	size_t n;
};

static const struct table tables[DECODE_NTABLES] = {
	[DECODE_ERRNO] = { "errno", errno_rows, ROWS(errno_rows) },
	[DECODE_SEV_RET] = { "sev_ret", sev_ret_rows, ROWS(sev_ret_rows) },
	[DECODE_PSP_CMD] = { "psp_cmd", psp_cmd_rows, ROWS(psp_cmd_rows) },
	[DECODE_KVM_SEV_CMD] = { "kvm_sev_cmd", kvm_sev_cmd_rows, ROWS(kvm_sev_cmd_rows) },
	[DECODE_PAGE_TYPE] = { "page_type", page_type_rows, ROWS(page_type_rows) },
	[DECODE_RMPUPDATE] = { "rmpupdate", rmpupdate_rows, ROWS(rmpupdate_rows) },
	[DECODE_PSMASH] = { "psmash", psmash_rows, ROWS(psmash_rows) },
	[DECODE_PVALIDATE] = { "pvalidate", pvalidate_rows, ROWS(pvalidate_rows) },
};

static const struct table *table_of(enum decode_table t)
{
	return (unsigned int)t < DECODE_NTABLES ? &tables[t] : NULL;
}

/* ---- the generic lookups ---- */

const char *decode_lookup(enum decode_table t, long code)
{
	const struct table *tab = table_of(t);

	for (size_t i = 0; tab && i < tab->n; i++)
		if (tab->rows[i].code == code)
			return tab->rows[i].name;
	return NULL;
}

int decode_lookup_name(enum decode_table t, const char *name, long *code)
{
	const struct table *tab = table_of(t);

	if (!tab || !name)
		return -1;
	for (size_t i = 0; i < tab->n; i++)
		if (!strcmp(tab->rows[i].name, name)) {
			if (code)
				*code = tab->rows[i].code;
			return 0;
		}
	for (size_t i = 0; i < ROWS(aliases); i++)
		if (aliases[i].table == t && !strcmp(aliases[i].name, name)) {
			if (code)
				*code = aliases[i].code;
			return 0;
		}
	return -1;
}

/* An unsigned id as a table code: ids above LONG_MAX match nothing rather than wrapping. */
static const char *lookup_unsigned(enum decode_table t, unsigned long v)
{
	return v <= (unsigned long)LONG_MAX ? decode_lookup(t, (long)v) : NULL;
}

static int lookup_name_unsigned(enum decode_table t, const char *name, unsigned long *out)
{
	long v = 0;

	if (decode_lookup_name(t, name, &v) || v < 0)
		return -1;
	if (out)
		*out = (unsigned long)v;
	return 0;
}

/* The whole of s as digits in base 10 or 16 (at least one; no sign, space or prefix); -1 on overflow. */
static int parse_digits(const char *s, unsigned int base, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a') + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A') + 10;
		else
			return -1;
		if (v > (ULONG_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* ---- errno ---- */

const char *decode_errno(long e)
{
	return e > 0 ? decode_lookup(DECODE_ERRNO, e) : NULL;
}

int decode_errno_from_name(const char *name, long *e)
{
	unsigned long v = 0;

	if (!decode_lookup_name(DECODE_ERRNO, name, e))
		return 0;
	if (!name || name[0] != 'E' || parse_digits(name + 1, 10, &v) || v == 0 || v > (unsigned long)LONG_MAX)
		return -1;
	if (e)
		*e = (long)v;
	return 0;
}

const char *fmt_err(char *buf, size_t len, long long ret)
{
	unsigned long long mag;
	const char *name;

	if (!buf || !len)
		return "";	/* no room for even the terminator */
	if (ret >= 0) {
		buf[0] = '\0';
		return buf;
	}
	mag = 0ULL - (unsigned long long)ret;	/* -ret without overflow at LLONG_MIN */
	name = mag <= (unsigned long long)LONG_MAX ? decode_errno((long)mag) : NULL;
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "E%llu", mag);
	return buf;
}

/* ---- SEV firmware status and commands ---- */

const char *decode_sev_ret(long code)
{
	return decode_lookup(DECODE_SEV_RET, code);
}

int decode_sev_ret_from_name(const char *name, long *code)
{
	return decode_lookup_name(DECODE_SEV_RET, name, code);
}

const char *decode_psp_cmd(unsigned long cmd)
{
	return lookup_unsigned(DECODE_PSP_CMD, cmd);
}

int decode_psp_cmd_from_name(const char *name, unsigned long *cmd)
{
	unsigned long v = 0;

	if (!lookup_name_unsigned(DECODE_PSP_CMD, name, cmd))
		return 0;
	if (!name || name[0] != '0' || name[1] != 'x' || parse_digits(name + 2, 16, &v))
		return -1;
	if (cmd)
		*cmd = v;
	return 0;
}

const char *fmt_psp_cmd(char *buf, size_t len, unsigned long cmd)
{
	const char *name = decode_psp_cmd(cmd);

	if (!buf || !len)
		return "";	/* no room for even the terminator */
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%lx", cmd);
	return buf;
}

const char *decode_kvm_sev_cmd(unsigned long id)
{
	return lookup_unsigned(DECODE_KVM_SEV_CMD, id);
}

int decode_kvm_sev_cmd_from_name(const char *name, unsigned long *id)
{
	return lookup_name_unsigned(DECODE_KVM_SEV_CMD, name, id);
}

/* ---- SNP page types and RMP instructions ---- */

const char *decode_page_type(unsigned long t)
{
	return lookup_unsigned(DECODE_PAGE_TYPE, t);
}

int decode_page_type_from_name(const char *name, unsigned long *t)
{
	return lookup_name_unsigned(DECODE_PAGE_TYPE, name, t);
}

const char *decode_rmpupdate_ret(long code)
{
	return decode_lookup(DECODE_RMPUPDATE, code);
}

const char *decode_psmash_ret(long code)
{
	return decode_lookup(DECODE_PSMASH, code);
}

const char *decode_pvalidate_ret(long code)
{
	return decode_lookup(DECODE_PVALIDATE, code);
}

/* ---- the tables as such ---- */

const struct decode_row *decode_table_rows(enum decode_table t, size_t *n)
{
	const struct table *tab = table_of(t);

	if (n)
		*n = tab ? tab->n : 0;
	return tab ? tab->rows : NULL;
}

const char *decode_table_title(enum decode_table t)
{
	const struct table *tab = table_of(t);

	return tab ? tab->title : NULL;
}

int decode_rows_problems(const struct decode_row *rows, size_t n)
{
	int problems = 0;

	if (!rows)
		return n ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].name || !rows[i].name[0]) {
			problems++;
			continue;
		}
		for (size_t j = i + 1; j < n; j++) {
			problems += rows[i].code == rows[j].code;
			problems += rows[j].name && !strcmp(rows[i].name, rows[j].name);
		}
	}
	return problems;
}

int decode_table_check(void)
{
	int problems = 0;

	for (unsigned int t = 0; t < DECODE_NTABLES; t++)
		problems += decode_rows_problems(tables[t].rows, tables[t].n);
	for (size_t i = 0; i < ROWS(aliases); i++) {
		const struct table *tab = table_of(aliases[i].table);
		int primary = 0;

		if (!tab || !decode_lookup(aliases[i].table, aliases[i].code))
			problems++;
		for (size_t r = 0; tab && r < tab->n; r++)
			primary |= tab->rows[r].name && !strcmp(tab->rows[r].name, aliases[i].name);
		problems += primary;
		for (size_t j = i + 1; j < ROWS(aliases); j++)
			problems += aliases[j].table == aliases[i].table && !strcmp(aliases[j].name, aliases[i].name);
	}
	return problems;
}
