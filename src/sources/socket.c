// SPDX-License-Identifier: GPL-2.0
/* A viewer's end of the viewers' protocol: connect, hello, then messages checked and handed on. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "sources/socket.h"
#include "base/names.h"

#define HELLO_WAIT_MS 5000
#define MAX_FUNC_IDS FUNC_TABLE_SIZE

/* where a snapshot is: which record types may come next */
enum snap_part { SP_NONE, SP_VM, SP_ROW, SP_LAUNCH, SP_RECENT, SP_FAILURES };

struct socket_source {
	int fd;
	struct socket_callbacks cb;
	void *ctx;
	struct wire_hello hello;
	uint16_t func_map[MAX_FUNC_IDS];	/* the recorder's function id -> ours; 0: not announced */
	bool in_snap;
	enum snap_part part;
	struct wire_snap_begin snap;	/* what the snapshot said it holds ... */
	uint32_t got[SP_FAILURES + 1];	/* ... and what came */
	bool ended, stopped;
	char why[256];
	_Alignas(8) char msg[WIRE_MAX_MSG + 1];
};

static int end(struct socket_source *ss, bool stopped, const char *fmt, const char *arg)
{
	if (!ss->ended) {
		ss->ended = true;
		ss->stopped = stopped;
		snprintf(ss->why, sizeof(ss->why), fmt, arg);
	}
	return -1;
}

static int broke(struct socket_source *ss, const char *what)
{
	return end(ss, false, "the recorder broke the viewers' protocol: %s", what);
}

/* a function name as the kernel and traces spell them: letters, digits, _ . : - */
static bool name_ok(const char *s, size_t n)
{
	size_t len = strnlen(s, n);

	return len > 0 && len < n && len <= FUNC_NAME_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == len;
}

/* an event from the recorder: checked, its function id made ours */
static int take_event(struct socket_source *ss, struct gfn_event *e)
{
	char err[128];

	if (wire_check_event(e, err, sizeof(err)))
		return broke(ss, err);
	if (e->func_id) {
		if (e->func_id >= MAX_FUNC_IDS || !ss->func_map[e->func_id]) {
			snprintf(err, sizeof(err), "an event of function id %u, never announced", e->func_id);
			return broke(ss, err);
		}
		e->func_id = ss->func_map[e->func_id];
	}
	return 0;
}

static int take_funcs(struct socket_source *ss, const char *recs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct wire_func f;
		int id;

		memcpy(&f, recs + (size_t)i * sizeof(f), sizeof(f));
		if (f.id == 0 || f.id >= MAX_FUNC_IDS || !name_ok(f.name, sizeof(f.name)))
			return broke(ss, "a malformed function name");
		id = func_intern(f.name, strlen(f.name));
		if (id <= 0)
			return broke(ss, "more function names than this viewer holds");
		ss->func_map[f.id] = (uint16_t)id;
	}
	return 0;
}

/* the next part of a snapshot, in order */
static int snap_step(struct socket_source *ss, enum snap_part part, uint32_t n)
{
	const uint32_t want[] = { [SP_VM] = ss->snap.nvms, [SP_ROW] = ss->snap.nrows,
				  [SP_LAUNCH] = ss->snap.nlaunches, [SP_RECENT] = ss->snap.nrecent,
				  [SP_FAILURES] = ss->snap.nfailures };

	if (!ss->in_snap || part < ss->part)
		return broke(ss, "snapshot records out of order");
	ss->part = part;
	if (ss->got[part] + n > want[part])
		return broke(ss, "more snapshot records than it announced");
	ss->got[part] += n;
	return 0;
}

static int handle(struct socket_source *ss, size_t len)
{
	struct wire_hdr h;
	const char *recs = ss->msg + sizeof(h);
	char err[160];
	int events = 0;

	if (wire_check(ss->msg, len, WD_TO_VIEWER, err, sizeof(err)))
		return broke(ss, err);
	memcpy(&h, ss->msg, sizeof(h));
	if (ss->in_snap && h.type != W_SNAP_VM && h.type != W_SNAP_ROW && h.type != W_SNAP_LAUNCH &&
	    h.type != W_SNAP_RECENT && h.type != W_SNAP_FAILURES && h.type != W_SNAP_END && h.type != W_FUNCS)
		return broke(ss, "a message inside a snapshot");
	switch (h.type) {
	case W_HELLO:
		return broke(ss, "a second hello");
	case W_FUNCS:
		return take_funcs(ss, recs, h.count);
	case W_EVENTS:
		for (uint32_t i = 0; i < h.count; i++) {
			struct gfn_event e;

			memcpy(&e, recs + (size_t)i * sizeof(e), sizeof(e));
			if (take_event(ss, &e))
				return -1;
			if (ss->cb.event(ss->ctx, &e))
				return end(ss, false, "%s", "the viewer stopped reading");
			events++;
		}
		return events;
	case W_MISSED: {
		struct wire_missed m;

		memcpy(&m, recs, sizeof(m));
		if (ss->cb.missed)
			ss->cb.missed(ss->ctx, &m);
		return 0;
	}
	case W_SNAP_BEGIN:
		memcpy(&ss->snap, recs, sizeof(ss->snap));
		if (ss->snap.nvms > 1u << 20 || ss->snap.nrows > 1u << 20 || ss->snap.nlaunches > 1u << 20 ||
		    ss->snap.nrecent > 1u << 20 || ss->snap.nfailures > 1u << 20)
			return broke(ss, "an impossible snapshot");
		ss->in_snap = true;
		ss->part = SP_VM;
		memset(ss->got, 0, sizeof(ss->got));
		ss->cb.snap_begin(ss->ctx, &ss->snap);
		return 0;
	case W_SNAP_VM:
		if (snap_step(ss, SP_VM, h.count))
			return -1;
		for (uint32_t i = 0; i < h.count; i++) {
			struct wire_vm v;

			memcpy(&v, recs + (size_t)i * sizeof(v), sizeof(v));
			v.comm[sizeof(v.comm) - 1] = '\0';
			ss->cb.snap_vm(ss->ctx, &v);
		}
		return 0;
	case W_SNAP_ROW:
		if (snap_step(ss, SP_ROW, h.count))
			return -1;
		for (uint32_t i = 0; i < h.count; i++) {
			struct wire_row r;

			memcpy(&r, recs + (size_t)i * sizeof(r), sizeof(r));
			if (r.op >= OP_COUNT || r.family >= FAM_COUNT)
				return broke(ss, "a snapshot row of an unknown op");
			ss->cb.snap_row(ss->ctx, &r);
		}
		return 0;
	case W_SNAP_LAUNCH:
		if (snap_step(ss, SP_LAUNCH, h.count))
			return -1;
		for (uint32_t i = 0; i < h.count; i++) {
			struct wire_launch l;

			memcpy(&l, recs + (size_t)i * sizeof(l), sizeof(l));
			l.cause[sizeof(l.cause) - 1] = '\0';
			if (take_event(ss, &l.fail) || (l.chain_has & 1 && take_event(ss, &l.populate)) ||
			    (l.chain_has & 2 && take_event(ss, &l.post)) || (l.chain_has & 4 && take_event(ss, &l.psp)) ||
			    (l.chain_has & 8 && take_event(ss, &l.rmp)))
				return -1;
			ss->cb.snap_launch(ss->ctx, &l);
		}
		return 0;
	case W_SNAP_RECENT:
	case W_SNAP_FAILURES:
		if (snap_step(ss, h.type == W_SNAP_RECENT ? SP_RECENT : SP_FAILURES, h.count))
			return -1;
		for (uint32_t i = 0; i < h.count; i++) {
			struct gfn_event e;

			memcpy(&e, recs + (size_t)i * sizeof(e), sizeof(e));
			if (take_event(ss, &e))
				return -1;
			ss->cb.snap_event(ss->ctx, &e, h.type == W_SNAP_FAILURES);
		}
		return 0;
	case W_SNAP_END:
		if (!ss->in_snap)
			return broke(ss, "a snapshot's end without its beginning");
		if (ss->got[SP_VM] != ss->snap.nvms || ss->got[SP_ROW] != ss->snap.nrows ||
		    ss->got[SP_LAUNCH] != ss->snap.nlaunches || ss->got[SP_RECENT] != ss->snap.nrecent ||
		    ss->got[SP_FAILURES] != ss->snap.nfailures)
			return broke(ss, "fewer snapshot records than it announced");
		ss->in_snap = false;
		ss->cb.snap_end(ss->ctx);
		return 0;
	case W_RETIRE:
		for (uint32_t i = 0; i < h.count; i++) {
			struct wire_retire r;

			memcpy(&r, recs + (size_t)i * sizeof(r), sizeof(r));
			if (ss->cb.retire)
				ss->cb.retire(ss->ctx, r.kind, r.vm_pid, r.vm_id);
		}
		return 0;
	case W_BYE: {
		struct wire_bye b;
		char text[sizeof(b.text)];

		memcpy(&b, recs, sizeof(b));
		b.text[sizeof(b.text) - 1] = '\0';
		snprintf(text, sizeof(text), "%s", b.text);
		return end(ss, b.reason == WB_STOPPING, "the recorder said: %s", text);
	}
	}
	return broke(ss, "an unexpected message");
}

/* one message, or 0 bytes when none is waiting; -1 when the connection ended */
static ssize_t receive(struct socket_source *ss)
{
	struct iovec iov = { ss->msg, sizeof(ss->msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(ss->fd, &mh, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0)
		return end(ss, false, "the connection to the recorder broke: %s", strerror(errno));
	if (n == 0)
		return end(ss, false, "%s", "the recorder closed the connection");
	if ((mh.msg_flags & MSG_TRUNC) || (size_t)n > WIRE_MAX_MSG)
		return broke(ss, "a message longer than the protocol allows");
	return n;
}

int socket_poll(struct socket_source *ss, int timeout_ms)
{
	struct pollfd p = { .fd = ss->fd, .events = POLLIN };
	int events = 0;

	if (ss->ended)
		return -1;
	if (timeout_ms > 0 && poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
		return end(ss, false, "poll: %s", strerror(errno));
	/* bounded: a flood of messages never keeps the viewer from its keys and intervals */
	for (int i = 0; i < 4096; i++) {
		ssize_t n = receive(ss);
		int r;

		if (n <= 0)
			return n < 0 ? -1 : events;
		r = handle(ss, (size_t)n);
		if (r < 0)
			return -1;
		events += r;
	}
	return events;
}

struct socket_source *socket_open(const char *path, bool snapshot, const struct socket_callbacks *cb,
				  void *ctx, char *err, size_t errlen)
{
	struct socket_source *ss = calloc(1, sizeof(*ss));
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct wire_client_hello ch = { .proto = WIRE_VERSION, .flags = snapshot ? WC_SNAPSHOT : 0 };
	struct wire_hdr h = { WIRE_MAGIC, WIRE_VERSION, W_CLIENT_HELLO, 1, sizeof(ch) };
	char out[sizeof(h) + sizeof(ch)];
	struct pollfd p;
	ssize_t n;

	if (!ss) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ss->cb = *cb;
	ss->ctx = ctx;
	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "%s: a socket path of at most %zu bytes", path, sizeof(a.sun_path) - 1);
		goto fail_free;
	}
	memcpy(a.sun_path, path, strlen(path));
	ss->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (ss->fd < 0 || connect(ss->fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		snprintf(err, errlen, "%s: cannot connect to a recorder: %s%s", path, strerror(e),
			 e == EACCES ? " (viewers must be root or in group gfntop)" :
			 e == ENOENT || e == ECONNREFUSED ? " (is gfntop record running?)" : "");
		goto fail;
	}
	/* the recorder speaks first */
	p = (struct pollfd){ .fd = ss->fd, .events = POLLIN };
	if (poll(&p, 1, HELLO_WAIT_MS) != 1 || (n = receive(ss)) <= 0) {
		snprintf(err, errlen, "%s: no hello from the recorder%s%s", path, ss->ended ? ": " : "", ss->why);
		goto fail;
	}
	memcpy(&h, ss->msg, sizeof(h) < (size_t)n ? sizeof(h) : (size_t)n);
	if (wire_check(ss->msg, (size_t)n, WD_TO_VIEWER, ss->why, sizeof(ss->why)) ||
	    (h.type != W_HELLO && h.type != W_BYE)) {
		snprintf(err, errlen, "%s: not a gfntop recorder: %s", path, ss->why[0] ? ss->why : "no hello");
		goto fail;
	}
	if (h.type == W_BYE) {
		handle(ss, (size_t)n);
		snprintf(err, errlen, "%s: %s", path, ss->why);
		goto fail;
	}
	memcpy(&ss->hello, ss->msg + sizeof(h), sizeof(ss->hello));
	if (ss->hello.proto != WIRE_VERSION || ss->hello.event_size != sizeof(struct gfn_event)) {
		snprintf(err, errlen, "%s: the recorder speaks protocol %u with %u-byte events; this viewer %u with %zu",
			 path, ss->hello.proto, ss->hello.event_size, WIRE_VERSION, sizeof(struct gfn_event));
		goto fail;
	}
	ss->hello.version[sizeof(ss->hello.version) - 1] = '\0';
	ss->hello.kernel[sizeof(ss->hello.kernel) - 1] = '\0';
	ss->hello.probes[sizeof(ss->hello.probes) - 1] = '\0';
	ss->hello.dir[sizeof(ss->hello.dir) - 1] = '\0';
	h = (struct wire_hdr){ WIRE_MAGIC, WIRE_VERSION, W_CLIENT_HELLO, 1, sizeof(ch) };
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), &ch, sizeof(ch));
	if (send(ss->fd, out, sizeof(out), MSG_NOSIGNAL) != (ssize_t)sizeof(out)) {
		snprintf(err, errlen, "%s: cannot say hello: %s", path, strerror(errno));
		goto fail;
	}
	ss->why[0] = '\0';
	return ss;
fail:
	if (ss->fd >= 0)
		close(ss->fd);
fail_free:
	free(ss);
	return NULL;
}

const struct wire_hello *socket_hello(const struct socket_source *ss)
{
	return &ss->hello;
}

int socket_fd(const struct socket_source *ss)
{
	return ss->fd;
}

bool socket_ended(const struct socket_source *ss)
{
	return ss->ended;
}

const char *socket_why(const struct socket_source *ss)
{
	return ss->why;
}

bool socket_stopped(const struct socket_source *ss)
{
	return ss->stopped;
}

void socket_close(struct socket_source *ss)
{
	if (!ss)
		return;
	close(ss->fd);
	free(ss);
}
