/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder as a source: a viewer's end of the viewers' protocol
 * (sources/wire.h). Events go to an event_fn like every other source's;
 * what only a recorder sends (its hello, a snapshot of its tables, a VM it
 * retired, events the viewer missed, its goodbye) goes to callbacks of its
 * own. Everything the recorder sends is checked before anything is handed
 * on; a message that breaks the protocol ends the source with the reason.
 */
#ifndef GFNTOP_SOURCE_SOCKET_H
#define GFNTOP_SOURCE_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include "base/sink.h"
#include "sources/wire.h"

struct socket_callbacks {
	event_fn event;
	void (*missed)(void *ctx, const struct wire_missed *m);
	/* a snapshot: begin, then its records in this order, then end */
	void (*snap_begin)(void *ctx, const struct wire_snap_begin *b);
	void (*snap_vm)(void *ctx, const struct wire_vm *v);
	void (*snap_row)(void *ctx, const struct wire_row *r);
	void (*snap_launch)(void *ctx, const struct wire_launch *l);
	void (*snap_event)(void *ctx, const struct gfn_event *e, bool failure);
	void (*snap_end)(void *ctx);
	void (*retire)(void *ctx, uint8_t kind, uint32_t vm_pid, uint64_t vm_id);	/* as struct wire_retire */
};

struct socket_source;

/*
 * Connects to the recorder at path, reads its hello and says hello, asking
 * for a snapshot first if `snapshot`. NULL with the reason in err.
 */
struct socket_source *socket_open(const char *path, bool snapshot, const struct socket_callbacks *cb,
				  void *ctx, char *err, size_t errlen);
/* The recorder's hello (its strings NUL-terminated). */
const struct wire_hello *socket_hello(const struct socket_source *ss);
/* Readable when messages are waiting. */
int socket_fd(const struct socket_source *ss);
/*
 * Waits up to timeout_ms, then handles every message waiting. Returns the
 * events handed on, or -1 when the source has ended (socket_why says why:
 * the recorder stopped, the connection broke, a message broke the protocol).
 */
int socket_poll(struct socket_source *ss, int timeout_ms);
bool socket_ended(const struct socket_source *ss);
/* Why it ended; "" while it has not. */
const char *socket_why(const struct socket_source *ss);
/* True if it ended the ordinary way: the recorder said it was stopping. */
bool socket_stopped(const struct socket_source *ss);
void socket_close(struct socket_source *ss);

#endif
