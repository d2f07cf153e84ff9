/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for kernel and firmware codes (KERNEL.md §5): errno (with the
 * kernel-internal 512-531), SEV firmware status, SEV/PSP command ids, KVM_SEV
 * ioctl command ids, SNP page types, RMPUPDATE / PSMASH / PVALIDATE codes.
 *
 * Every table is constant data; nothing here allocates or keeps state, so all
 * functions are thread-safe. Unknown values never crash and never vanish:
 * decode_* returns NULL, and the fmt_* helpers print a raw number instead.
 * Name lookups (*_from_name) are exact and case-sensitive; a NULL name is
 * unknown, and on failure the output is left untouched.
 */
#ifndef GFNTOP_DECODE_H
#define GFNTOP_DECODE_H

#include <stddef.h>

/*
 * errno (x86-64 = asm-generic): 1..133 with the kernel's primary names (EAGAIN,
 * not EWOULDBLOCK; EDEADLK, not EDEADLOCK) and include/linux/errno.h 512..531.
 * 5 -> "EIO"; NULL for e <= 0 and for unassigned numbers (41, 58, 520, > 531).
 */
const char *decode_errno(long e);
/*
 * "EIO" -> 5. Also accepts the uapi aliases EWOULDBLOCK (11) and EDEADLOCK (35),
 * and "E<n>" (decimal digits only, 0 < n <= LONG_MAX) -> n, the raw form that
 * fmt_err prints. 0 ok, -1 unknown.
 */
int decode_errno_from_name(const char *name, long *e);
/*
 * The CSV 'err' column for a kernel return value: "" when ret >= 0, else the
 * name of -ret, else "E<n>" with n = -ret (computed without overflow, so
 * LLONG_MIN gives "E9223372036854775808"). Truncated to len - 1 characters and
 * always NUL-terminated; returns buf, or a constant "" if buf is NULL or len 0.
 */
const char *fmt_err(char *buf, size_t len, long long ret);

/*
 * SEV firmware status (enum sev_ret_code, include/uapi/linux/psp-sev.h, 7.3),
 * without the SEV_RET_ prefix: 0x16 -> "INVALID_PARAM", 0x03 -> "INVALID_CONFIG",
 * -1 -> "NO_FW_CALL" (kernel-defined: the firmware was not called).
 */
const char *decode_sev_ret(long code);
/* Inverse of decode_sev_ret; also accepts the uapi's misspelt alias "INAVLID_CONFIG" (3). */
int decode_sev_ret_from_name(const char *name, long *code);

/*
 * SEV/PSP command ids (enum sev_cmd, include/linux/psp-sev.h, 7.3) without the
 * SEV_CMD_ prefix: legacy SEV 0x01..0x61, SNP 0x81..0xCE, SEV-TIO 0xD0..0xD5.
 * 0xA1 -> "SNP_LAUNCH_UPDATE", 0x31 -> "LAUNCH_UPDATE_DATA".
 */
const char *decode_psp_cmd(unsigned long cmd);
/* Inverse of decode_psp_cmd; also accepts "0x<hex digits>" (either case of digit, no sign or space). */
int decode_psp_cmd_from_name(const char *name, unsigned long *cmd);
/* The name, or "0x<hex>" in lowercase; truncation and return value as for fmt_err. */
const char *fmt_psp_cmd(char *buf, size_t len, unsigned long cmd);

/*
 * KVM_MEMORY_ENCRYPT_OP command ids (enum sev_cmd_id, arch/x86/include/uapi/asm/kvm.h),
 * full uAPI names: 101 -> "KVM_SEV_SNP_LAUNCH_UPDATE". 0..22 and 100..103.
 */
const char *decode_kvm_sev_cmd(unsigned long id);
/* Inverse of decode_kvm_sev_cmd ("KVM_SEV_SNP_LAUNCH_UPDATE" -> 101), e.g. for command-line filters. */
int decode_kvm_sev_cmd_from_name(const char *name, unsigned long *id);

/*
 * SNP page types: 1 NORMAL, 2 VMSA, 3 ZERO, 4 UNMEASURED, 5 SECRETS, 6 CPUID
 * (KVM_SEV_SNP_PAGE_TYPE_* of the uapi; VMSA only as the kernel-internal
 * SNP_PAGE_TYPE_VMSA, which KVM itself uses for the vCPU save areas).
 */
const char *decode_page_type(unsigned long t);
int decode_page_type_from_name(const char *name, unsigned long *t);

/* Raw RMPUPDATE result (KERNEL.md §5.4): 0 SUCCESS, 1 FAIL_INPUT, 2 FAIL_PERMISSION, 3 FAIL_INUSE, 4 FAIL_OVERLAP. */
const char *decode_rmpupdate_ret(long code);
/* Raw PSMASH result: 0 SUCCESS, 1 FAIL_INPUT, 2 FAIL_PERMISSION, 3 FAIL_INUSE, 4 FAIL_BADADDR. */
const char *decode_psmash_ret(long code);
/* PVALIDATE result: 0 SUCCESS, 1 FAIL_INPUT, 6 FAIL_SIZEMISMATCH, 255 FAIL_NOUPDATE (software-defined, CF=1). */
const char *decode_pvalidate_ret(long code);

/* ---- The tables themselves: listing (completion, --help), generic lookup, self-checks ---- */

/* One row of a table. */
struct decode_row {
	long code;
	const char *name;
};

/* Which table. */
enum decode_table {
	DECODE_ERRNO,
	DECODE_SEV_RET,
	DECODE_PSP_CMD,
	DECODE_KVM_SEV_CMD,
	DECODE_PAGE_TYPE,
	DECODE_RMPUPDATE,
	DECODE_PSMASH,
	DECODE_PVALIDATE,
	DECODE_NTABLES
};

/* The rows of table t (in code order) and their count in *n (n may be NULL); NULL and 0 for a bad t. */
const struct decode_row *decode_table_rows(enum decode_table t, size_t *n);
/* A short title for table t ("errno", "sev_ret", ...); NULL for a bad t. */
const char *decode_table_title(enum decode_table t);
/* The generic lookup behind every decode_*: the name of code in table t, or NULL. */
const char *decode_lookup(enum decode_table t, long code);
/* The generic inverse behind every *_from_name (names and the table's aliases, no numeric forms): 0 ok, -1 unknown. */
int decode_lookup_name(enum decode_table t, const char *name, long *code);
/* Problems in n rows: pairs with the same code, pairs with the same name, NULL or empty names. 0 = sound. */
int decode_rows_problems(const struct decode_row *rows, size_t n);
/* Problems in every table (as decode_rows_problems) and in the alias lists (an alias that names a primary
 * name of its table, repeats another alias, or points at a code its table lacks). 0 = sound. */
int decode_table_check(void);

#endif
