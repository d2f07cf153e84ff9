/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The viewers' socket of the recorder: a Unix SOCK_SEQPACKET socket (mode
 * 0660, group gfntop if that group exists) that any number of viewers, up to
 * max_viewers, attach to (`gfntop --connect`). Each peer's credentials are
 * checked (SO_PEERCRED, SO_PEERGROUPS): root, the recorder's own user, or a
 * member of the group. Every viewer gets the recorder's events through a
 * queue of its own, bounded: one that cannot keep up misses events, never
 * slows the recorder, and catches up from a snapshot of its tables
 * (sources/wire.h). A client that breaks the protocol, stays silent, or
 * leaves, is dropped and logged (rate-limited); nothing it does reaches
 * the recorder's event path.
 */
#ifndef GFNTOP_RECORD_SERVER_H
#define GFNTOP_RECORD_SERVER_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include "gfntop/event.h"
#include "model/session.h"

struct server_config {
	const char *path;
	unsigned int max_viewers;
	unsigned int backlog_events;	/* per viewer, before it misses events */
	const char *group;		/* the group whose members may attach, if it exists */
	/* for the hello */
	const char *kernel, *probes, *dir;
	bool no_trace;
	uint64_t start_ns;
};

struct viewer_server;

/*
 * Creates the socket (a stale one left by a crash is replaced; a live
 * recorder's, or anything that is not a socket, is refused). Needs the
 * privilege to hand it to the group: call before dropping capabilities.
 * `s` is the session whose tables snapshots are made of. NULL, logged, on failure.
 */
struct viewer_server *server_open(const struct server_config *cfg, const struct session *s);
/* Fills up to max pollfds (the socket, each viewer); returns how many. */
int server_pollfds(struct viewer_server *srv, struct pollfd *pfds, int max);
/* After poll: new viewers, their messages, sending what is queued. */
void server_work(struct viewer_server *srv, const struct pollfd *pfds, int n, uint64_t now_ns);
/* An event of the recorder, for every viewer. */
void server_event(struct viewer_server *srv, const struct gfn_event *e);
/* A VM retired from the recorder's tables: its viewers retire it too. */
/* kind, vm_pid, vm_id: as struct wire_vm names an entry */
void server_retire(struct viewer_server *srv, uint8_t kind, uint32_t vm_pid, uint64_t vm_id);
/* Sends what the viewers' queues hold, as far as their sockets take it now. */
void server_flush(struct viewer_server *srv);
/* Says BYE to every viewer, closes them and removes the socket. */
void server_close(struct viewer_server *srv);

struct server_stats {
	unsigned int viewers;		/* attached now */
	uint64_t accepted, refused, dropped;	/* connections: in, refused (credentials, full), dropped (protocol, silence) */
	uint64_t missed;		/* events viewers missed, all together */
	uint64_t snapshots;		/* sent */
};
void server_stats(const struct viewer_server *srv, struct server_stats *st);

#endif
