/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for kernel and firmware codes (KERNEL.md §5): errno (including the
 * kernel-internal 512-531), SEV firmware status, PSP command ids, KVM_SEV
 * ioctl command ids, SNP page types, RMPUPDATE / PSMASH / PVALIDATE codes.
 * Lookups return NULL for unknown values; the fmt_* helpers never fail and
 * print unknown values as raw numbers, so nothing is lost or crashes.
 */
#ifndef GFNTOP_DECODE_H
#define GFNTOP_DECODE_H

#include <stddef.h>

const char *decode_errno(long e);			/* 5 -> "EIO"; NULL for unknown or e <= 0 */
int decode_errno_from_name(const char *name, long *e);	/* "EIO" or "E<n>"; 0 ok, -1 unknown */
const char *fmt_err(char *buf, size_t len, long long ret);	/* CSV 'err': "" if ret >= 0, name, or "E<n>" */

const char *decode_sev_ret(long code);			/* 0x16 -> "INVALID_PARAM", -1 -> "NO_FW_CALL" */
int decode_sev_ret_from_name(const char *name, long *code);
const char *decode_psp_cmd(unsigned long cmd);		/* 0xA1 -> "SNP_LAUNCH_UPDATE" */
int decode_psp_cmd_from_name(const char *name, unsigned long *cmd);	/* also "0x<hex>" */
const char *fmt_psp_cmd(char *buf, size_t len, unsigned long cmd);	/* name or "0x<hex>" */
const char *decode_kvm_sev_cmd(unsigned long id);	/* 101 -> "KVM_SEV_SNP_LAUNCH_UPDATE" */
const char *decode_page_type(unsigned long t);		/* 6 -> "CPUID" */
int decode_page_type_from_name(const char *name, unsigned long *t);
const char *decode_rmpupdate_ret(long code);		/* 2 -> "FAIL_PERMISSION" */
const char *decode_psmash_ret(long code);
const char *decode_pvalidate_ret(long code);

/* Consistency of every table: the number of duplicate codes or names found (0 = sound). */
int decode_table_check(void);

#endif
