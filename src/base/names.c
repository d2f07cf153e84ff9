// SPDX-License-Identifier: GPL-2.0
/* Family and operation names (the CSV's 'family' and 'op' vocabularies) and the function-name table. */
#include <string.h>
#include "base/names.h"

static const char *const family_names[FAM_COUNT] = {
	[FAM_NONE] = "",
	[FAM_SNP] = "snp",
	[FAM_SNP_RFC] = "snp-rfc",
	[FAM_PSP] = "psp",
	[FAM_RMP] = "rmp",
	[FAM_MMU] = "mmu",
	[FAM_ATTR] = "attr",
	[FAM_TP] = "tp",
};

static const char *const op_names[OP_COUNT] = {
	[OP_NONE] = "",
	[OP_UNMAP] = "unmap",
	[OP_AGE] = "age",
	[OP_TEST_AGE] = "test_age",
	[OP_SET_SPTE] = "set_spte",
	[OP_NOTIFIER] = "notifier",
	[OP_HANDLER] = "handler",
	[OP_ATTR_PRE] = "attr_pre",
	[OP_ATTR_POST] = "attr_post",
	[OP_GMEM_INVALIDATE] = "gmem_invalidate",
	[OP_POPULATE] = "populate",
	[OP_POST_POPULATE] = "post_populate",
	[OP_LAUNCH_START] = "launch_start",
	[OP_LAUNCH_UPDATE] = "launch_update",
	[OP_LAUNCH_FINISH] = "launch_finish",
	[OP_UPDATE_VMSA] = "update_vmsa",
	[OP_PAGE_RECLAIM] = "page_reclaim",
	[OP_SEV_IOCTL] = "sev_ioctl",
	[OP_HVA_RANGE] = "hva_range",
	[OP_PSP_CMD] = "psp_cmd",
	[OP_RMP_PRIVATE] = "rmp_private",
	[OP_RMP_SHARED] = "rmp_shared",
	[OP_RMPUPDATE] = "rmpupdate",
	[OP_PSMASH] = "psmash",
	[OP_GMEM_PREPARE] = "gmem_prepare",
	[OP_TP_UNMAP_HVA] = "tp_unmap_hva",
	[OP_TP_AGE_HVA] = "tp_age_hva",
	[OP_TP_TEST_AGE_HVA] = "tp_test_age_hva",
	[OP_TP_SET_ATTR] = "tp_set_attr",
	[OP_TP_RMP_FAULT] = "tp_rmp_fault",
	[OP_LOST] = "lost",
};

static int lookup(const char *const *names, int n, const char *name, size_t len)
{
	for (int i = 1; i < n; i++)
		if (names[i] && strlen(names[i]) == len && !memcmp(names[i], name, len))
			return i;
	return -1;
}

const char *family_name(unsigned int family)
{
	return family < FAM_COUNT ? family_names[family] : "?";
}

int family_from_name(const char *name, size_t len)
{
	return lookup(family_names, FAM_COUNT, name, len);
}

const char *op_name(unsigned int op)
{
	return op < OP_COUNT && op_names[op] ? op_names[op] : "?";
}

int op_from_name(const char *name, size_t len)
{
	return lookup(op_names, OP_COUNT, name, len);
}

/* ---- function names: open addressing over a fixed pool, no allocation ---- */

#define FUNC_HASH_SIZE (FUNC_TABLE_SIZE * 2)

static char func_pool[FUNC_TABLE_SIZE][FUNC_NAME_MAX + 1];
static unsigned short func_hash[FUNC_HASH_SIZE];	/* 0 = empty, else id */
static unsigned int func_count = 1;			/* id 0 is "" */

static unsigned int hash_name(const char *s, size_t len)
{
	unsigned int h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

int func_intern(const char *name, size_t len)
{
	unsigned int h;

	if (len == 0)
		return 0;
	if (len > FUNC_NAME_MAX)
		return -1;
	for (h = hash_name(name, len) % FUNC_HASH_SIZE;; h = (h + 1) % FUNC_HASH_SIZE) {
		unsigned int id = func_hash[h];

		if (!id)
			break;
		if (!strncmp(func_pool[id], name, len) && func_pool[id][len] == '\0')
			return (int)id;
	}
	if (func_count >= FUNC_TABLE_SIZE)
		return -1;
	memcpy(func_pool[func_count], name, len);
	func_pool[func_count][len] = '\0';
	func_hash[h] = (unsigned short)func_count;
	return (int)func_count++;
}

const char *func_name(unsigned int id)
{
	return id < func_count ? func_pool[id] : "";
}

void func_table_reset(void)
{
	memset(func_hash, 0, sizeof(func_hash));
	func_count = 1;
}
