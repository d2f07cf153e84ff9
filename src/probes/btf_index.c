// SPDX-License-Identifier: GPL-2.0
/*
 * Prototypes from kernel BTF. Module BTF is loaded only when a name is not
 * in vmlinux (KVM is a module on distro kernels, built in on others).
 * Prototypes are rendered as comma-separated parameter types with
 * qualifiers dropped and typedef names kept, e.g.
 * "struct kvm *,gfn_t,kvm_pfn_t,void *,int,void *", which is what the
 * variant table in probe_table.c is written in.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "probes/btf_index.h"
#include "gfntop/probe_abi.h"

#define MAX_MODULES 512

struct btf_index {
	char dir[256];
	struct btf *vmlinux;
	bool modules_loaded;
	int nmodules;
	struct {
		char name[64];
		struct btf *btf;
	} modules[MAX_MODULES];
};

struct btf_index *btf_index_open(const char *dir, char *err, size_t errlen)
{
	struct btf_index *bi = calloc(1, sizeof(*bi));
	char path[300];

	if (!bi) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(bi->dir, sizeof(bi->dir), "%s", dir ? dir : "/sys/kernel/btf");
	snprintf(path, sizeof(path), "%s/vmlinux", bi->dir);
	bi->vmlinux = btf__parse(path, NULL);
	if (!bi->vmlinux) {
		snprintf(err, errlen, "kernel has no BTF (%s: %s): gfntop needs a kernel built "
			 "with CONFIG_DEBUG_INFO_BTF=y", path, strerror(errno));
		free(bi);
		return NULL;
	}
	return bi;
}

void btf_index_close(struct btf_index *bi)
{
	if (!bi)
		return;
	for (int i = 0; i < bi->nmodules; i++)
		btf__free(bi->modules[i].btf);
	btf__free(bi->vmlinux);
	free(bi);
}

static void load_modules(struct btf_index *bi)
{
	DIR *d;
	struct dirent *de;

	bi->modules_loaded = true;
	d = opendir(bi->dir);
	if (!d)
		return;
	while ((de = readdir(d)) && bi->nmodules < MAX_MODULES) {
		char path[600];
		struct btf *b;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux") ||
		    strlen(de->d_name) >= sizeof(bi->modules[0].name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", bi->dir, de->d_name);
		b = btf__parse_split(path, bi->vmlinux);
		if (!b)
			continue;
		snprintf(bi->modules[bi->nmodules].name, sizeof(bi->modules[0].name), "%s", de->d_name);
		bi->modules[bi->nmodules++].btf = b;
	}
	closedir(d);
}

/* Finds `name` of `kind`; returns the BTF holding it and sets *id and *module. */
static const struct btf *find(struct btf_index *bi, const char *name, int kind,
			      __s32 *id, const char **module)
{
	*id = btf__find_by_name_kind(bi->vmlinux, name, kind);
	if (*id > 0) {
		*module = "vmlinux";
		return bi->vmlinux;
	}
	if (!bi->modules_loaded)
		load_modules(bi);
	for (int i = 0; i < bi->nmodules; i++) {
		*id = btf__find_by_name_kind(bi->modules[i].btf, name, kind);
		if (*id > 0) {
			*module = bi->modules[i].name;
			return bi->modules[i].btf;
		}
	}
	return NULL;
}

static __u32 skip_qualifiers(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;

	while (id && (t = btf__type_by_id(btf, id)) &&
	       (btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) ||
		btf_kind(t) == BTF_KIND_TYPE_TAG))
		id = t->type;
	return id;
}

static void render_type(const struct btf *btf, __u32 id, char *buf, size_t len)
{
	const struct btf_type *t;
	const char *name;

	id = skip_qualifiers(btf, id);
	if (!id) {
		snprintf(buf, len, "void");
		return;
	}
	t = btf__type_by_id(btf, id);
	name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!t) {
		snprintf(buf, len, "?");
	} else if (btf_is_ptr(t)) {
		__u32 to = skip_qualifiers(btf, t->type);
		const struct btf_type *pt = to ? btf__type_by_id(btf, to) : NULL;
		char inner[96];

		if (pt && btf_is_func_proto(pt)) {
			snprintf(buf, len, "void (*)()");
		} else {
			render_type(btf, t->type, inner, sizeof(inner));
			snprintf(buf, len, "%s *", inner);
		}
	} else if (btf_is_struct(t)) {
		snprintf(buf, len, "struct %s", name && *name ? name : "(anon)");
	} else if (btf_is_union(t)) {
		snprintf(buf, len, "union %s", name && *name ? name : "(anon)");
	} else if (btf_is_enum(t) || btf_kind(t) == BTF_KIND_ENUM64) {
		snprintf(buf, len, "enum %s", name && *name ? name : "(anon)");
	} else {
		snprintf(buf, len, "%s", name && *name ? name : "?");
	}
}

/* How the BPF exit program must read the return register; pointers are never recorded. */
static int ret_kind_of(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;

	for (;;) {
		id = skip_qualifiers(btf, id);
		if (!id)
			return RET_NONE;
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_typedef(t))
			break;
		id = t->type;
	}
	if (btf_is_int(t)) {
		__u8 enc = btf_int_encoding(t);

		if ((enc & BTF_INT_BOOL) || t->size == 1)
			return RET_BOOL;
		if (t->size == 4)
			return (enc & BTF_INT_SIGNED) ? RET_S32 : RET_U32;
		return (enc & BTF_INT_SIGNED) ? RET_S64 : RET_U64;
	}
	if (btf_is_enum(t))
		return RET_S32;
	return RET_NONE;
}

static void describe(const struct btf *btf, const struct btf_type *proto, int skip,
		     const char *module, struct func_proto_info *out)
{
	const struct btf_param *p = btf_params(proto);
	int n = btf_vlen(proto);
	size_t used = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->module, sizeof(out->module), "%s", module);
	for (int i = skip; i < n; i++) {
		char one[128];

		render_type(btf, p[i].type, one, sizeof(one));
		used += snprintf(out->params + used, used < sizeof(out->params) ? sizeof(out->params) - used : 0,
				 "%s%s", i > skip ? "," : "", one);
		if (used >= sizeof(out->params))
			used = sizeof(out->params) - 1;
	}
	out->nparams = n - skip;
	render_type(btf, proto->type, out->ret, sizeof(out->ret));
	out->ret_kind = ret_kind_of(btf, proto->type);
}

int btf_index_func(struct btf_index *bi, const char *name, struct func_proto_info *out)
{
	const char *module;
	__s32 id;
	const struct btf *btf = find(bi, name, BTF_KIND_FUNC, &id, &module);
	const struct btf_type *proto;

	if (!btf)
		return -1;
	proto = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!proto || !btf_is_func_proto(proto))
		return -1;
	describe(btf, proto, 0, module, out);
	return 0;
}

int btf_index_tracepoint(struct btf_index *bi, const char *name, struct func_proto_info *out)
{
	char tname[160];
	const char *module;
	__s32 id;
	const struct btf *btf;
	const struct btf_type *t;

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	btf = find(bi, tname, BTF_KIND_TYPEDEF, &id, &module);
	if (!btf)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);	/* pointer */
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);				/* func proto */
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -1;
	describe(btf, t, 1, module, out);	/* drop the leading `void *__data` */
	return 0;
}
