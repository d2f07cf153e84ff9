/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The viewers' protocol (version 1): how a recorder (`gfntop record`) and its
 * viewers (`gfntop --connect`) talk over its Unix socket. Described for users
 * in gfntop(8), "VIEWER PROTOCOL".
 *
 * A SOCK_SEQPACKET connection: every message is one datagram of at most
 * WIRE_MAX_MSG bytes, a 16-byte header then `count` records of the fixed
 * size its type prescribes; the message's length must be exactly that. All
 * integers are in the host's byte order (the socket is local). Each end
 * checks everything the other sends: a message that breaks a rule ends the
 * connection.
 *
 *   recorder                              viewer
 *   HELLO (who it is, what it records) ->
 *                                      <- CLIENT_HELLO (version, wants a snapshot)
 *   FUNCS (function names by id)       ->    (again whenever new ids appear)
 *   SNAP_BEGIN .. SNAP_END (its tables, if asked: the totals since it started)
 *   EVENTS, RETIRE, MISSED, SNAP_*     ->    (in the order they happened)
 *   BYE (it is stopping, or refuses)   ->
 *
 * A viewer that falls behind (its queue in the recorder is full) misses
 * events: none are queued for it until its queue has drained; then it gets
 * MISSED (how many) and a snapshot of the recorder's tables, from which it
 * carries on with exact totals. The recorder never waits for a viewer.
 */
#ifndef GFNTOP_WIRE_H
#define GFNTOP_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "gfntop/event.h"

#define WIRE_MAGIC 0x574e4647u		/* "GFNW" in the first four bytes */
#define WIRE_VERSION 1
#define WIRE_MAX_MSG 65536
#define WIRE_HIST_BUCKETS 252		/* as model/agg.h's HIST_BUCKETS */
#define WIRE_FUNC_NAME 128

struct wire_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;			/* enum wire_type */
	uint32_t count;			/* records that follow */
	uint32_t rec_size;		/* each record's size: the type's, exactly */
};

enum wire_type {
	W_HELLO = 1,		/* recorder -> viewer, 1 record */
	W_CLIENT_HELLO,		/* viewer -> recorder, 1 record */
	W_FUNCS,		/* struct wire_func */
	W_EVENTS,		/* struct gfn_event */
	W_MISSED,		/* 1 struct wire_missed */
	W_SNAP_BEGIN,		/* 1 struct wire_snap_begin */
	W_SNAP_VM,		/* struct wire_vm */
	W_SNAP_ROW,		/* struct wire_row */
	W_SNAP_LAUNCH,		/* struct wire_launch */
	W_SNAP_RECENT,		/* struct gfn_event, oldest first */
	W_SNAP_FAILURES,	/* struct gfn_event, oldest first */
	W_SNAP_END,		/* 1 struct wire_snap_end */
	W_RETIRE,		/* struct wire_retire */
	W_BYE,			/* 1 struct wire_bye */
	W_NTYPES,
};

enum wire_hello_flags { WH_NO_TRACE = 1 };
enum wire_client_flags { WC_SNAPSHOT = 1 };

struct wire_hello {
	uint32_t proto;			/* WIRE_VERSION */
	uint32_t event_size;		/* sizeof(struct gfn_event) */
	uint32_t recorder_pid;
	uint32_t flags;			/* enum wire_hello_flags */
	uint64_t start_ns;		/* when it started recording, ns since the epoch */
	uint64_t events;		/* events it has received so far */
	char version[32];		/* "0.1.0" */
	char kernel[64];		/* its kernel release */
	char probes[256];		/* "snp 0/7 ... tp 3/3" */
	char dir[256];			/* where it records */
};

struct wire_client_hello {
	uint32_t proto;			/* WIRE_VERSION */
	uint32_t flags;			/* enum wire_client_flags */
	uint64_t reserved[3];		/* 0 */
};

struct wire_func {
	uint32_t id;			/* as events' func_id carry it */
	char name[WIRE_FUNC_NAME];	/* NUL-terminated */
};

struct wire_missed {
	uint64_t missed;		/* since the last MISSED */
	uint64_t total;			/* since the connection began */
};

struct wire_snap_begin {
	uint64_t events, lost, overflow;	/* the tables' totals */
	uint64_t first_ts, last_ts;
	uint32_t nvms, nrows, nlaunches, nrecent, nfailures;	/* the records that follow, by type */
	uint32_t pad;
};

struct wire_stats {
	uint64_t ops, pages, errors, timed;
	uint32_t hist[WIRE_HIST_BUCKETS];
};

/*
 * An entry of the recorder's VM table is named by (kind, vm_pid, vm_id):
 * kind is enum agg_vm_kind (model/agg.h); for AGG_NO_VM, a kernel thread
 * acting for no known VM, vm_pid holds the thread's own pid.
 */
struct wire_vm {
	uint32_t vm_pid;
	uint8_t comm_is_vmm, comm_final, kind, pad;
	uint64_t vm_id;
	uint64_t last_ts;
	uint64_t exited_ns;
	char comm[GFN_COMM_LEN];
	struct wire_stats total;
};

struct wire_row {
	uint32_t vm_pid;		/* the VM it belongs to: a SNAP_VM record before it */
	uint16_t as_id;
	uint8_t op, family;
	uint64_t vm_id;
	int32_t slot;			/* -1: none */
	uint8_t has_gfn, kind, pad[2];	/* kind: of its VM, as in struct wire_vm */
	uint64_t min_gfn;
	struct wire_stats total;
};

#define WIRE_PAGE_TYPES 8

struct wire_launch {
	uint32_t vm_pid;
	uint32_t state;			/* enum launch_state */
	uint64_t vm_id;
	uint64_t start_ts, finish_ts, last_ts, update_calls, partial_calls;
	struct { uint64_t pages, calls, ns; } by_type[WIRE_PAGE_TYPES];
	uint32_t chain_has;		/* bits: 1 populate, 2 post_populate, 4 PSP, 8 RMP */
	uint32_t pad;
	uint64_t chain_iter;
	struct gfn_event fail, populate, post, psp, rmp;
	char cause[320];		/* NUL-terminated */
};

struct wire_snap_end {
	uint64_t reserved;
};

struct wire_retire {
	uint32_t vm_pid;		/* named as in struct wire_vm */
	uint8_t kind, pad[3];
	uint64_t vm_id;
};

enum wire_bye_reason { WB_STOPPING = 1, WB_REFUSED, WB_PROTOCOL };

struct wire_bye {
	uint32_t reason;		/* enum wire_bye_reason */
	char text[124];			/* NUL-terminated */
};

/* Which end may send a type. */
enum wire_dir { WD_TO_VIEWER = 1, WD_TO_RECORDER = 2 };

/* The record size of a type, 0 if the type is unknown. */
size_t wire_rec_size(unsigned int type);
const char *wire_type_name(unsigned int type);
/*
 * Checks a received message of len bytes against the rules: magic, version,
 * a known type this direction may carry, its exact record size, a count its
 * type allows, the length. 0, or -1 with the broken rule in err.
 */
int wire_check(const void *msg, size_t len, enum wire_dir dir, char *err, size_t errlen);
/* Records of one type that fit in a message. */
static inline uint32_t wire_per_msg(unsigned int type)
{
	return (uint32_t)((WIRE_MAX_MSG - sizeof(struct wire_hdr)) / wire_rec_size(type));
}
/* Checks an event from the other end: known family and op, known flags, comm terminated. 0 or -1. */
int wire_check_event(struct gfn_event *e, char *err, size_t errlen);
/* True if s holds a NUL within n bytes. */
int wire_terminated(const char *s, size_t n);

#endif
