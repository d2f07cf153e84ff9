// SPDX-License-Identifier: GPL-2.0
/* Code → name tables as data, with one lookup each way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"

struct code_name {
	long code;
	const char *name;
};

#define TABLE(t) { t, sizeof(t) / sizeof(t[0]) }

/* include/uapi/asm-generic/errno-base.h, errno.h (x86-64) and include/linux/errno.h */
static const struct code_name errnos[] = {
	{ 1, "EPERM" }, { 2, "ENOENT" }, { 3, "ESRCH" }, { 4, "EINTR" }, { 5, "EIO" },
	{ 6, "ENXIO" }, { 7, "E2BIG" }, { 8, "ENOEXEC" }, { 9, "EBADF" }, { 10, "ECHILD" },
	{ 11, "EAGAIN" }, { 12, "ENOMEM" }, { 13, "EACCES" }, { 14, "EFAULT" }, { 15, "ENOTBLK" },
	{ 16, "EBUSY" }, { 17, "EEXIST" }, { 18, "EXDEV" }, { 19, "ENODEV" }, { 20, "ENOTDIR" },
	{ 21, "EISDIR" }, { 22, "EINVAL" }, { 23, "ENFILE" }, { 24, "EMFILE" }, { 25, "ENOTTY" },
	{ 26, "ETXTBSY" }, { 27, "EFBIG" }, { 28, "ENOSPC" }, { 29, "ESPIPE" }, { 30, "EROFS" },
	{ 31, "EMLINK" }, { 32, "EPIPE" }, { 33, "EDOM" }, { 34, "ERANGE" }, { 35, "EDEADLK" },
	{ 36, "ENAMETOOLONG" }, { 37, "ENOLCK" }, { 38, "ENOSYS" }, { 39, "ENOTEMPTY" },
	{ 40, "ELOOP" }, { 42, "ENOMSG" }, { 43, "EIDRM" }, { 44, "ECHRNG" }, { 45, "EL2NSYNC" },
	{ 46, "EL3HLT" }, { 47, "EL3RST" }, { 48, "ELNRNG" }, { 49, "EUNATCH" }, { 50, "ENOCSI" },
	{ 51, "EL2HLT" }, { 52, "EBADE" }, { 53, "EBADR" }, { 54, "EXFULL" }, { 55, "ENOANO" },
	{ 56, "EBADRQC" }, { 57, "EBADSLT" }, { 59, "EBFONT" }, { 60, "ENOSTR" }, { 61, "ENODATA" },
	{ 62, "ETIME" }, { 63, "ENOSR" }, { 64, "ENONET" }, { 65, "ENOPKG" }, { 66, "EREMOTE" },
	{ 67, "ENOLINK" }, { 68, "EADV" }, { 69, "ESRMNT" }, { 70, "ECOMM" }, { 71, "EPROTO" },
	{ 72, "EMULTIHOP" }, { 73, "EDOTDOT" }, { 74, "EBADMSG" }, { 75, "EOVERFLOW" },
	{ 76, "ENOTUNIQ" }, { 77, "EBADFD" }, { 78, "EREMCHG" }, { 79, "ELIBACC" }, { 80, "ELIBBAD" },
	{ 81, "ELIBSCN" }, { 82, "ELIBMAX" }, { 83, "ELIBEXEC" }, { 84, "EILSEQ" }, { 85, "ERESTART" },
	{ 86, "ESTRPIPE" }, { 87, "EUSERS" }, { 88, "ENOTSOCK" }, { 89, "EDESTADDRREQ" },
	{ 90, "EMSGSIZE" }, { 91, "EPROTOTYPE" }, { 92, "ENOPROTOOPT" }, { 93, "EPROTONOSUPPORT" },
	{ 94, "ESOCKTNOSUPPORT" }, { 95, "EOPNOTSUPP" }, { 96, "EPFNOSUPPORT" }, { 97, "EAFNOSUPPORT" },
	{ 98, "EADDRINUSE" }, { 99, "EADDRNOTAVAIL" }, { 100, "ENETDOWN" }, { 101, "ENETUNREACH" },
	{ 102, "ENETRESET" }, { 103, "ECONNABORTED" }, { 104, "ECONNRESET" }, { 105, "ENOBUFS" },
	{ 106, "EISCONN" }, { 107, "ENOTCONN" }, { 108, "ESHUTDOWN" }, { 109, "ETOOMANYREFS" },
	{ 110, "ETIMEDOUT" }, { 111, "ECONNREFUSED" }, { 112, "EHOSTDOWN" }, { 113, "EHOSTUNREACH" },
	{ 114, "EALREADY" }, { 115, "EINPROGRESS" }, { 116, "ESTALE" }, { 117, "EUCLEAN" },
	{ 118, "ENOTNAM" }, { 119, "ENAVAIL" }, { 120, "EISNAM" }, { 121, "EREMOTEIO" },
	{ 122, "EDQUOT" }, { 123, "ENOMEDIUM" }, { 124, "EMEDIUMTYPE" }, { 125, "ECANCELED" },
	{ 126, "ENOKEY" }, { 127, "EKEYEXPIRED" }, { 128, "EKEYREVOKED" }, { 129, "EKEYREJECTED" },
	{ 130, "EOWNERDEAD" }, { 131, "ENOTRECOVERABLE" }, { 132, "ERFKILL" }, { 133, "EHWPOISON" },
	/* kernel-internal: never seen by userspace, but returned by functions gfntop traces */
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
	{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" }, { 521, "EBADHANDLE" }, { 522, "ENOTSYNC" },
	{ 523, "EBADCOOKIE" }, { 524, "ENOTSUPP" }, { 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" },
	{ 527, "EBADTYPE" }, { 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" }, { 530, "ERECALLCONFLICT" },
	{ 531, "ENOGRACE" },
};

/* enum sev_ret_code, include/uapi/linux/psp-sev.h (7.3), plus the kernel's -1 */
static const struct code_name sev_rets[] = {
	{ -1, "NO_FW_CALL" }, { 0x00, "SUCCESS" }, { 0x01, "INVALID_PLATFORM_STATE" },
	{ 0x02, "INVALID_GUEST_STATE" }, { 0x03, "INVALID_CONFIG" }, { 0x04, "INVALID_LEN" },
	{ 0x05, "ALREADY_OWNED" }, { 0x06, "INVALID_CERTIFICATE" }, { 0x07, "POLICY_FAILURE" },
	{ 0x08, "INACTIVE" }, { 0x09, "INVALID_ADDRESS" }, { 0x0a, "BAD_SIGNATURE" },
	{ 0x0b, "BAD_MEASUREMENT" }, { 0x0c, "ASID_OWNED" }, { 0x0d, "INVALID_ASID" },
	{ 0x0e, "WBINVD_REQUIRED" }, { 0x0f, "DFFLUSH_REQUIRED" }, { 0x10, "INVALID_GUEST" },
	{ 0x11, "INVALID_COMMAND" }, { 0x12, "ACTIVE" }, { 0x13, "HWSEV_RET_PLATFORM" },
	{ 0x14, "HWSEV_RET_UNSAFE" }, { 0x15, "UNSUPPORTED" }, { 0x16, "INVALID_PARAM" },
	{ 0x17, "RESOURCE_LIMIT" }, { 0x18, "SECURE_DATA_INVALID" }, { 0x19, "INVALID_PAGE_SIZE" },
	{ 0x1a, "INVALID_PAGE_STATE" }, { 0x1b, "INVALID_MDATA_ENTRY" }, { 0x1c, "INVALID_PAGE_OWNER" },
	{ 0x1d, "AEAD_OFLOW" }, { 0x1f, "EXIT_RING_BUFFER" }, { 0x20, "RMP_INIT_REQUIRED" },
	{ 0x21, "BAD_SVN" }, { 0x22, "BAD_VERSION" }, { 0x23, "SHUTDOWN_REQUIRED" },
	{ 0x24, "UPDATE_FAILED" }, { 0x25, "RESTORE_REQUIRED" }, { 0x26, "RMP_INITIALIZATION_FAILED" },
	{ 0x27, "INVALID_KEY" }, { 0x28, "SHUTDOWN_INCOMPLETE" }, { 0x30, "INCORRECT_BUFFER_LENGTH" },
	{ 0x31, "EXPAND_BUFFER_LENGTH_REQUEST" }, { 0x32, "SPDM_REQUEST" }, { 0x33, "SPDM_ERROR" },
	{ 0x35, "SEV_STATUS_ERR_IN_DEV_CONN" }, { 0x36, "SEV_STATUS_INVALID_DEV_CTX" },
	{ 0x37, "SEV_STATUS_INVALID_TDI_CTX" }, { 0x38, "SEV_STATUS_INVALID_TDI" },
	{ 0x39, "SEV_STATUS_RECLAIM_REQUIRED" }, { 0x3a, "IN_USE" },
	{ 0x3b, "SEV_STATUS_INVALID_DEV_STATE" }, { 0x3c, "SEV_STATUS_INVALID_TDI_STATE" },
	{ 0x3d, "SEV_STATUS_DEV_CERT_CHANGED" }, { 0x3e, "SEV_STATUS_RESYNC_REQ" },
	{ 0x3f, "SEV_STATUS_RESPONSE_TOO_LARGE" },
};

/* enum sev_cmd, include/linux/psp-sev.h (7.3) */
static const struct code_name psp_cmds[] = {
	{ 0x001, "INIT" }, { 0x002, "SHUTDOWN" }, { 0x003, "FACTORY_RESET" },
	{ 0x004, "PLATFORM_STATUS" }, { 0x005, "PEK_GEN" }, { 0x006, "PEK_CSR" },
	{ 0x007, "PEK_CERT_IMPORT" }, { 0x008, "PDH_CERT_EXPORT" }, { 0x009, "PDH_GEN" },
	{ 0x00a, "DF_FLUSH" }, { 0x00b, "DOWNLOAD_FIRMWARE" }, { 0x00c, "GET_ID" },
	{ 0x00d, "INIT_EX" }, { 0x00e, "NOP" },
	{ 0x020, "DECOMMISSION" }, { 0x021, "ACTIVATE" }, { 0x022, "DEACTIVATE" },
	{ 0x023, "GUEST_STATUS" },
	{ 0x030, "LAUNCH_START" }, { 0x031, "LAUNCH_UPDATE_DATA" }, { 0x032, "LAUNCH_UPDATE_VMSA" },
	{ 0x033, "LAUNCH_MEASURE" }, { 0x034, "LAUNCH_UPDATE_SECRET" }, { 0x035, "LAUNCH_FINISH" },
	{ 0x036, "ATTESTATION_REPORT" },
	{ 0x040, "SEND_START" }, { 0x041, "SEND_UPDATE_DATA" }, { 0x042, "SEND_UPDATE_VMSA" },
	{ 0x043, "SEND_FINISH" }, { 0x044, "SEND_CANCEL" },
	{ 0x050, "RECEIVE_START" }, { 0x051, "RECEIVE_UPDATE_DATA" }, { 0x052, "RECEIVE_UPDATE_VMSA" },
	{ 0x053, "RECEIVE_FINISH" },
	{ 0x060, "DBG_DECRYPT" }, { 0x061, "DBG_ENCRYPT" },
	{ 0x081, "SNP_INIT" }, { 0x082, "SNP_SHUTDOWN" }, { 0x083, "SNP_PLATFORM_STATUS" },
	{ 0x084, "SNP_DF_FLUSH" }, { 0x085, "SNP_INIT_EX" }, { 0x086, "SNP_SHUTDOWN_EX" },
	{ 0x090, "SNP_DECOMMISSION" }, { 0x091, "SNP_ACTIVATE" }, { 0x092, "SNP_GUEST_STATUS" },
	{ 0x093, "SNP_GCTX_CREATE" }, { 0x094, "SNP_GUEST_REQUEST" }, { 0x095, "SNP_ACTIVATE_EX" },
	{ 0x0a0, "SNP_LAUNCH_START" }, { 0x0a1, "SNP_LAUNCH_UPDATE" }, { 0x0a2, "SNP_LAUNCH_FINISH" },
	{ 0x0b0, "SNP_DBG_DECRYPT" }, { 0x0b1, "SNP_DBG_ENCRYPT" }, { 0x0b2, "SNP_VERIFY_MITIGATION" },
	{ 0x0c0, "SNP_PAGE_SWAP_OUT" }, { 0x0c1, "SNP_PAGE_SWAP_IN" }, { 0x0c2, "SNP_PAGE_MOVE" },
	{ 0x0c3, "SNP_PAGE_MD_INIT" }, { 0x0c6, "SNP_PAGE_SET_STATE" }, { 0x0c7, "SNP_PAGE_RECLAIM" },
	{ 0x0c8, "SNP_PAGE_UNSMASH" }, { 0x0c9, "SNP_CONFIG" }, { 0x0ca, "SNP_DOWNLOAD_FIRMWARE_EX" },
	{ 0x0cb, "SNP_COMMIT" }, { 0x0cd, "SNP_VLEK_LOAD" }, { 0x0ce, "SNP_FEATURE_INFO" },
	{ 0x0d0, "TIO_DEV_CREATE" }, { 0x0d1, "TIO_DEV_RECLAIM" }, { 0x0d2, "TIO_DEV_CONNECT" },
	{ 0x0d3, "TIO_DEV_DISCONNECT" }, { 0x0d4, "TIO_DEV_STATUS" }, { 0x0d5, "TIO_DEV_MEASUREMENTS" },
};

/* enum sev_cmd_id, arch/x86/include/uapi/asm/kvm.h */
static const struct code_name kvm_sev_cmds[] = {
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

/* KVM_SEV_SNP_PAGE_TYPE_* (uapi) and the kernel-internal SNP_PAGE_TYPE_VMSA */
static const struct code_name page_types[] = {
	{ 1, "NORMAL" }, { 2, "VMSA" }, { 3, "ZERO" }, { 4, "UNMEASURED" }, { 5, "SECRETS" }, { 6, "CPUID" },
};

static const struct code_name rmpupdate_rets[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" },
	{ 4, "FAIL_OVERLAP" },
};

static const struct code_name psmash_rets[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 2, "FAIL_PERMISSION" }, { 3, "FAIL_INUSE" },
	{ 4, "FAIL_BADADDR" },
};

static const struct code_name pvalidate_rets[] = {
	{ 0, "SUCCESS" }, { 1, "FAIL_INPUT" }, { 6, "FAIL_SIZEMISMATCH" }, { 255, "FAIL_NOUPDATE" },
};

struct table {
	const struct code_name *rows;
	size_t n;
};

static const struct table tables[] = {
	TABLE(errnos), TABLE(sev_rets), TABLE(psp_cmds), TABLE(kvm_sev_cmds), TABLE(page_types),
	TABLE(rmpupdate_rets), TABLE(psmash_rets), TABLE(pvalidate_rets),
};

static const char *by_code(const struct code_name *t, size_t n, long code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

static int by_name(const struct code_name *t, size_t n, const char *name, long *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*code = t[i].code;
			return 0;
		}
	return -1;
}

#define LOOKUP(t, code) by_code(t, sizeof(t) / sizeof(t[0]), code)
#define REVERSE(t, name, out) by_name(t, sizeof(t) / sizeof(t[0]), name, out)

const char *decode_errno(long e)
{
	return e > 0 ? LOOKUP(errnos, e) : NULL;
}

/* digits only, no sign, fits a long */
static int parse_number(const char *s, int base, long *out)
{
	char *end;
	long v;

	if (!*s || !strchr(base == 16 ? "0123456789abcdefABCDEF" : "0123456789", *s))
		return -1;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int decode_errno_from_name(const char *name, long *e)
{
	if (!REVERSE(errnos, name, e))
		return 0;
	return name[0] == 'E' && !parse_number(name + 1, 10, e) && *e > 0 ? 0 : -1;
}

const char *fmt_err(char *buf, size_t len, long long ret)
{
	const char *name = ret < 0 ? decode_errno((long)-ret) : NULL;

	if (!len)
		return buf;
	if (ret >= 0)
		buf[0] = '\0';
	else if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "E%llu", 0ULL - (unsigned long long)ret);
	return buf;
}

const char *decode_sev_ret(long code)
{
	return LOOKUP(sev_rets, code);
}

int decode_sev_ret_from_name(const char *name, long *code)
{
	return REVERSE(sev_rets, name, code);
}

const char *decode_psp_cmd(unsigned long cmd)
{
	return cmd <= 0xffff ? LOOKUP(psp_cmds, (long)cmd) : NULL;
}

int decode_psp_cmd_from_name(const char *name, unsigned long *cmd)
{
	long v;

	if (!REVERSE(psp_cmds, name, &v) ||
	    ((name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) && !parse_number(name + 2, 16, &v))) {
		*cmd = (unsigned long)v;
		return 0;
	}
	return -1;
}

const char *fmt_psp_cmd(char *buf, size_t len, unsigned long cmd)
{
	const char *name = decode_psp_cmd(cmd);

	if (!len)
		return buf;
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%lx", cmd);
	return buf;
}

const char *decode_kvm_sev_cmd(unsigned long id)
{
	return id <= 0xffff ? LOOKUP(kvm_sev_cmds, (long)id) : NULL;
}

const char *decode_page_type(unsigned long t)
{
	return t <= 0xff ? LOOKUP(page_types, (long)t) : NULL;
}

int decode_page_type_from_name(const char *name, unsigned long *t)
{
	long v;

	if (REVERSE(page_types, name, &v))
		return -1;
	*t = (unsigned long)v;
	return 0;
}

const char *decode_rmpupdate_ret(long code)
{
	return LOOKUP(rmpupdate_rets, code);
}

const char *decode_psmash_ret(long code)
{
	return LOOKUP(psmash_rets, code);
}

const char *decode_pvalidate_ret(long code)
{
	return LOOKUP(pvalidate_rets, code);
}

int decode_table_check(void)
{
	int problems = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < tables[t].n; i++)
			for (size_t j = i + 1; j < tables[t].n; j++)
				problems += (tables[t].rows[i].code == tables[t].rows[j].code) +
					    !strcmp(tables[t].rows[i].name, tables[t].rows[j].name);
	return problems;
}
