// SPDX-License-Identifier: GPL-2.0
/* The viewers' protocol: the table of message types and the checks both ends run. */
#include <stdio.h>
#include <string.h>
#include "sources/wire.h"

_Static_assert(sizeof(struct wire_hdr) == 16, "wire header");
_Static_assert(sizeof(struct gfn_event) == 128, "event record");
_Static_assert(sizeof(struct wire_hello) == 640, "hello");
_Static_assert(sizeof(struct wire_client_hello) == 32, "client hello");
_Static_assert(sizeof(struct wire_func) == 132, "func");
_Static_assert(sizeof(struct wire_vm) == 1088, "vm");
_Static_assert(sizeof(struct wire_row) == 1072, "row");
_Static_assert(sizeof(struct wire_launch) == 1224, "launch");

static const struct wire_type_row {
	const char *name;
	size_t size;
	uint32_t min, max;		/* records per message */
	unsigned int dirs;
} types[W_NTYPES] = {
	[W_HELLO] = { "HELLO", sizeof(struct wire_hello), 1, 1, WD_TO_VIEWER },
	[W_CLIENT_HELLO] = { "CLIENT_HELLO", sizeof(struct wire_client_hello), 1, 1, WD_TO_RECORDER },
	[W_FUNCS] = { "FUNCS", sizeof(struct wire_func), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_EVENTS] = { "EVENTS", sizeof(struct gfn_event), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_MISSED] = { "MISSED", sizeof(struct wire_missed), 1, 1, WD_TO_VIEWER },
	[W_SNAP_BEGIN] = { "SNAP_BEGIN", sizeof(struct wire_snap_begin), 1, 1, WD_TO_VIEWER },
	[W_SNAP_VM] = { "SNAP_VM", sizeof(struct wire_vm), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_SNAP_ROW] = { "SNAP_ROW", sizeof(struct wire_row), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_SNAP_LAUNCH] = { "SNAP_LAUNCH", sizeof(struct wire_launch), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_SNAP_RECENT] = { "SNAP_RECENT", sizeof(struct gfn_event), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_SNAP_FAILURES] = { "SNAP_FAILURES", sizeof(struct gfn_event), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_SNAP_END] = { "SNAP_END", sizeof(struct wire_snap_end), 1, 1, WD_TO_VIEWER },
	[W_RETIRE] = { "RETIRE", sizeof(struct wire_retire), 1, UINT32_MAX, WD_TO_VIEWER },
	[W_BYE] = { "BYE", sizeof(struct wire_bye), 1, 1, WD_TO_VIEWER },
};

size_t wire_rec_size(unsigned int type)
{
	return type > 0 && type < W_NTYPES ? types[type].size : 0;
}

const char *wire_type_name(unsigned int type)
{
	return type > 0 && type < W_NTYPES ? types[type].name : "unknown";
}

int wire_check(const void *msg, size_t len, enum wire_dir dir, char *err, size_t errlen)
{
	struct wire_hdr h;
	const struct wire_type_row *t;

	if (len < sizeof(h)) {
		snprintf(err, errlen, "a message of %zu bytes, shorter than a header", len);
		return -1;
	}
	memcpy(&h, msg, sizeof(h));
	if (h.magic != WIRE_MAGIC) {
		snprintf(err, errlen, "not gfntop's protocol (magic 0x%08x)", h.magic);
		return -1;
	}
	if (h.version != WIRE_VERSION) {
		snprintf(err, errlen, "protocol version %u, this gfntop speaks %u", h.version, WIRE_VERSION);
		return -1;
	}
	if (h.type == 0 || h.type >= W_NTYPES) {
		snprintf(err, errlen, "unknown message type %u", h.type);
		return -1;
	}
	t = &types[h.type];
	if (!(t->dirs & dir)) {
		snprintf(err, errlen, "%s may not be sent this way", t->name);
		return -1;
	}
	if (h.rec_size != t->size) {
		snprintf(err, errlen, "%s records of %u bytes, not %zu", t->name, h.rec_size, t->size);
		return -1;
	}
	if (h.count < t->min || h.count > t->max || h.count > wire_per_msg(h.type)) {
		snprintf(err, errlen, "%s with %u records", t->name, h.count);
		return -1;
	}
	if (len != sizeof(h) + (size_t)h.count * t->size) {
		snprintf(err, errlen, "%s of %zu bytes, not the %zu its %u records make", t->name, len,
			 sizeof(h) + (size_t)h.count * t->size, h.count);
		return -1;
	}
	return 0;
}

int wire_terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

#define KNOWN_FLAGS (EVF_DUR | EVF_SLOT | EVF_GFN | EVF_HVA | EVF_FW | EVF_PSP_CMD | EVF_PAGE_TYPE | \
		     EVF_VM_PID | EVF_VM_ID | EVF_RET | EVF_NPAGES | EVF_TASK)

int wire_check_event(struct gfn_event *e, char *err, size_t errlen)
{
	if (e->family >= FAM_COUNT || e->op >= OP_COUNT || e->op == OP_NONE) {
		snprintf(err, errlen, "an event of family %u, op %u", e->family, e->op);
		return -1;
	}
	if (e->flags & ~KNOWN_FLAGS) {
		snprintf(err, errlen, "an event with unknown flags 0x%x", e->flags);
		return -1;
	}
	e->comm[GFN_COMM_LEN - 1] = '\0';
	return 0;
}
