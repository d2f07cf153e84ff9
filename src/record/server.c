// SPDX-License-Identifier: GPL-2.0
/* The recorder's side of the viewers' protocol: the socket, the peers, their bounded queues. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "record/server.h"
#include "record/log.h"
#include "record/snapshot.h"
#include "base/names.h"
#include "base/version.h"
#include "sources/wire.h"

#define HELLO_TIMEOUT_NS (5ULL * 1000000000)
#define NO_MSG SIZE_MAX
#define KEEP_RESIDENT (1u << 20)	/* a drained queue keeps this much of its memory */
#define MAX_GROUPS 256

/*
 * A viewer's queue: whole messages, each behind its length (4 bytes), in a
 * linear buffer; sent from head, appended at tail; reset when empty. The
 * last EVENTS message stays open for more events until anything else is
 * queued or it is sent.
 */
struct viewer {
	int fd;
	enum { V_FREE, V_HELLO, V_READY } state;
	uint64_t deadline_ns;		/* V_HELLO: it must have said hello by then */
	pid_t pid;
	uid_t uid;
	char *buf;
	size_t head, tail, open, high;
	bool behind;			/* events are not queued until the queue has drained */
	uint64_t missed, missed_total, events;
	uint32_t funcs_known;		/* function ids below this were sent */
};

struct viewer_server {
	struct server_config cfg;
	const struct session *s;
	int lfd;
	dev_t dev;
	ino_t ino;
	struct viewer *v;
	size_t cap, event_limit;
	struct wire_hello hello;
	struct server_stats st;
	struct log_limit refused_log, dropped_log, joined_log;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* ---- the queue ---- */

static size_t used(const struct viewer *v)
{
	return v->tail - v->head;
}

/* room for n more bytes at the tail (moving what is queued to the front if that makes it) */
static char *reserve(struct viewer_server *srv, struct viewer *v, size_t n)
{
	if (v->tail + n <= srv->cap)
		return v->buf + v->tail;
	if (used(v) + n > srv->cap)
		return NULL;
	memmove(v->buf, v->buf + v->head, used(v));
	if (v->open != NO_MSG)
		v->open -= v->head;
	v->tail -= v->head;
	v->head = 0;
	return v->buf + v->tail;
}

static void grew(struct viewer *v)
{
	if (v->tail > v->high)
		v->high = v->tail;
}

/* a whole message of `count` records; 0, or -1 when it does not fit */
static int put(struct viewer_server *srv, struct viewer *v, unsigned int type, const void *recs, uint32_t count)
{
	size_t bytes = sizeof(struct wire_hdr) + (size_t)count * wire_rec_size(type);
	struct wire_hdr h = { .magic = WIRE_MAGIC, .version = WIRE_VERSION, .type = (uint16_t)type,
			      .count = count, .rec_size = (uint32_t)wire_rec_size(type) };
	uint32_t len = (uint32_t)bytes;
	char *p = reserve(srv, v, 4 + bytes);

	if (!p)
		return -1;
	memcpy(p, &len, 4);
	memcpy(p + 4, &h, sizeof(h));
	memcpy(p + 4 + sizeof(h), recs, bytes - sizeof(h));
	v->tail += 4 + bytes;
	v->open = NO_MSG;
	grew(v);
	return 0;
}

static int put_cb(void *ctx, unsigned int type, const void *recs, uint32_t count)
{
	void **pair = ctx;

	return put(pair[0], pair[1], type, recs, count);
}

/* one event into the open EVENTS message, or a new one */
static int put_event(struct viewer_server *srv, struct viewer *v, const struct gfn_event *e)
{
	char *p;

	if (v->open != NO_MSG) {
		struct wire_hdr h;
		uint32_t len;

		memcpy(&h, v->buf + v->open + 4, sizeof(h));
		if (h.count < wire_per_msg(W_EVENTS) && (p = reserve(srv, v, sizeof(*e)))) {
			memcpy(p, e, sizeof(*e));
			v->tail += sizeof(*e);
			h.count++;
			len = (uint32_t)(sizeof(h) + h.count * sizeof(*e));
			memcpy(v->buf + v->open, &len, 4);
			memcpy(v->buf + v->open + 4, &h, sizeof(h));
			grew(v);
			return 0;
		}
	}
	if (put(srv, v, W_EVENTS, e, 1))
		return -1;
	v->open = v->tail - 4 - sizeof(struct wire_hdr) - sizeof(*e);
	return 0;
}

/* FUNCS for the ids the viewer does not know yet */
static int put_funcs(struct viewer_server *srv, struct viewer *v)
{
	static struct wire_func f[512];
	uint32_t n = 0, per = wire_per_msg(W_FUNCS) < 512 ? wire_per_msg(W_FUNCS) : 512;

	if (!v->funcs_known)
		v->funcs_known = 1;	/* id 0 is "no function" */
	for (;; v->funcs_known++) {
		const char *name = func_name(v->funcs_known);

		if (n == per || (!*name && n)) {
			if (put(srv, v, W_FUNCS, f, n))
				return -1;
			n = 0;
		}
		if (!*name)
			return 0;
		memset(&f[n], 0, sizeof(f[n]));
		f[n].id = v->funcs_known;
		snprintf(f[n].name, sizeof(f[n].name), "%s", name);
		n++;
	}
}

static int put_snapshot(struct viewer_server *srv, struct viewer *v)
{
	void *pair[2] = { srv, v };

	if (put_funcs(srv, v) || snapshot_encode(srv->s, put_cb, pair))
		return -1;
	srv->st.snapshots++;
	return 0;
}

/* ---- viewers ---- */

static void drop(struct viewer_server *srv, struct viewer *v, const char *why)
{
	if (!why && v->state == V_HELLO)
		why = "it left before saying hello";
	if (why)
		log_limited(&srv->dropped_log, LOGL_WARN, "viewer pid %d (uid %u) dropped: %s", (int)v->pid,
			    (unsigned int)v->uid, why);
	if (why)
		srv->st.dropped++;
	else
		log_limited(&srv->joined_log, LOGL_INFO, "viewer pid %d left (%llu events sent, %llu missed)",
			    (int)v->pid, (unsigned long long)v->events, (unsigned long long)v->missed_total);
	close(v->fd);
	v->fd = -1;
	v->state = V_FREE;
	v->head = v->tail = v->high = 0;
	v->open = NO_MSG;
	madvise(v->buf, srv->cap, MADV_DONTNEED);	/* its memory goes back */
	if (srv->st.viewers)
		srv->st.viewers--;
}

static void bye(struct viewer_server *srv, struct viewer *v, uint32_t reason, const char *text)
{
	struct wire_bye b = { .reason = reason };

	snprintf(b.text, sizeof(b.text), "%s", text);
	put(srv, v, W_BYE, &b, 1);
}

/* The queue drained: a viewer that missed events is told, and gets the tables to catch up from. */
static void drained(struct viewer_server *srv, struct viewer *v)
{
	v->head = v->tail = 0;
	v->open = NO_MSG;
	if (v->high > KEEP_RESIDENT) {
		madvise(v->buf + KEEP_RESIDENT, srv->cap - KEEP_RESIDENT, MADV_DONTNEED);
		v->high = 0;
	}
	if (v->behind && v->state == V_READY) {
		struct wire_missed m = { .missed = v->missed, .total = v->missed_total };

		v->behind = false;
		v->missed = 0;
		if (put(srv, v, W_MISSED, &m, 1) || put_snapshot(srv, v))
			drop(srv, v, "its snapshot does not fit its queue");
	}
}

/* Sends queued messages until the socket takes no more. */
static void send_queued(struct viewer_server *srv, struct viewer *v)
{
	while (v->state != V_FREE && v->head < v->tail) {
		uint32_t len;
		ssize_t n;

		memcpy(&len, v->buf + v->head, 4);
		if (v->open == v->head)
			v->open = NO_MSG;	/* a message sent is closed */
		n = send(v->fd, v->buf + v->head + 4, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n < 0) {
			drop(srv, v, errno == EPIPE || errno == ECONNRESET ? NULL : strerror(errno));
			return;
		}
		v->head += 4 + len;
		if (v->head == v->tail)
			drained(srv, v);
	}
}

void server_event(struct viewer_server *srv, const struct gfn_event *e)
{
	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++) {
		struct viewer *v = &srv->v[i];

		if (v->state != V_READY)
			continue;
		if (!v->behind && e->func_id >= v->funcs_known && put_funcs(srv, v))
			v->behind = true;
		if (!v->behind && used(v) + sizeof(*e) + sizeof(struct wire_hdr) + 4 > srv->event_limit)
			v->behind = true;
		if (v->behind || put_event(srv, v, e)) {
			v->behind = true;
			v->missed++;
			v->missed_total++;
			srv->st.missed++;
			continue;
		}
		v->events++;
		/* a full message goes out at once: the queue stays short while the ring drains */
		if (v->open == NO_MSG || used(v) >= WIRE_MAX_MSG)
			send_queued(srv, v);
	}
}

void server_retire(struct viewer_server *srv, uint8_t kind, uint32_t vm_pid, uint64_t vm_id)
{
	struct wire_retire r = { .vm_pid = vm_pid, .kind = kind, .vm_id = vm_id };

	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++) {
		struct viewer *v = &srv->v[i];

		/* one that is behind gets the tables after the retirement anyway */
		if (v->state == V_READY && !v->behind && put(srv, v, W_RETIRE, &r, 1))
			v->behind = true;
	}
}

void server_flush(struct viewer_server *srv)
{
	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++)
		if (srv->v[i].state != V_FREE)
			send_queued(srv, &srv->v[i]);
}

/* ---- accepting, and what viewers send ---- */

static bool peer_allowed(struct viewer_server *srv, int fd, struct ucred *cred)
{
	socklen_t len = sizeof(*cred);
	gid_t groups[MAX_GROUPS];
	struct group gr, *g = NULL;
	char grbuf[4096];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, &len))
		return false;
	if (cred->uid == 0 || cred->uid == geteuid())
		return true;
	if (!srv->cfg.group || getgrnam_r(srv->cfg.group, &gr, grbuf, sizeof(grbuf), &g) || !g)
		return false;
	if (cred->gid == g->gr_gid)
		return true;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == g->gr_gid)
			return true;
	return false;
}

static void accept_viewers(struct viewer_server *srv, uint64_t now_ns)
{
	/* bounded per round: a storm of connections never starves the ring buffer */
	for (int round = 0; round < 64; round++) {
		int fd = accept4(srv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct viewer *v = NULL;
		struct ucred cred = { 0 };
		int sndbuf = 4 << 20;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
				log_limited(&srv->refused_log, LOGL_WARN, "accepting a viewer: %s", strerror(errno));
			return;
		}
		if (!peer_allowed(srv, fd, &cred)) {
			srv->st.refused++;
			log_limited(&srv->refused_log, LOGL_WARN, "viewer pid %d (uid %u) refused: not root, "
				    "the recorder's user or a member of group %s", (int)cred.pid,
				    (unsigned int)cred.uid, srv->cfg.group ? srv->cfg.group : "-");
			close(fd);
			continue;
		}
		for (unsigned int i = 0; i < srv->cfg.max_viewers && !v; i++)
			if (srv->v[i].state == V_FREE)
				v = &srv->v[i];
		if (!v) {
			struct wire_hdr h = { WIRE_MAGIC, WIRE_VERSION, W_BYE, 1, sizeof(struct wire_bye) };
			char msg[sizeof(h) + sizeof(struct wire_bye)] = { 0 };
			struct wire_bye b = { .reason = WB_REFUSED };

			snprintf(b.text, sizeof(b.text), "%u viewers attached already (--max-viewers)",
				 srv->cfg.max_viewers);
			memcpy(msg, &h, sizeof(h));
			memcpy(msg + sizeof(h), &b, sizeof(b));
			send(fd, msg, sizeof(msg), MSG_DONTWAIT | MSG_NOSIGNAL);
			srv->st.refused++;
			log_limited(&srv->refused_log, LOGL_WARN, "viewer pid %d refused: %s", (int)cred.pid, b.text);
			close(fd);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		*v = (struct viewer){ .fd = fd, .state = V_HELLO, .deadline_ns = now_ns + HELLO_TIMEOUT_NS,
				      .pid = cred.pid, .uid = cred.uid, .buf = v->buf, .open = NO_MSG };
		srv->hello.events = srv->s->agg->events[AGG_TOTAL];
		put(srv, v, W_HELLO, &srv->hello, 1);
		srv->st.accepted++;
		srv->st.viewers++;
		send_queued(srv, v);
	}
}

static void read_viewer(struct viewer_server *srv, struct viewer *v)
{
	_Alignas(8) char msg[sizeof(struct wire_hdr) + sizeof(struct wire_client_hello)];
	struct iovec iov = { msg, sizeof(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct wire_client_hello ch;
	char err[160];
	ssize_t n = recvmsg(v->fd, &mh, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		drop(srv, v, n < 0 ? strerror(errno) : NULL);	/* 0: it left */
		return;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		drop(srv, v, "a message longer than any it may send");
		return;
	}
	if (wire_check(msg, (size_t)n, WD_TO_RECORDER, err, sizeof(err))) {
		drop(srv, v, err);
		return;
	}
	if (v->state != V_HELLO) {
		drop(srv, v, "a second hello");
		return;
	}
	memcpy(&ch, msg + sizeof(struct wire_hdr), sizeof(ch));
	if (ch.proto != WIRE_VERSION || ch.flags & ~(uint32_t)WC_SNAPSHOT) {
		snprintf(err, sizeof(err), "a hello for protocol %u, flags 0x%x", ch.proto, ch.flags);
		drop(srv, v, err);
		return;
	}
	v->state = V_READY;
	log_limited(&srv->joined_log, LOGL_INFO, "viewer pid %d (uid %u) attached", (int)v->pid, (unsigned int)v->uid);
	if (put_funcs(srv, v) || ((ch.flags & WC_SNAPSHOT) && put_snapshot(srv, v)))
		drop(srv, v, "its first snapshot does not fit its queue");
}

int server_pollfds(struct viewer_server *srv, struct pollfd *pfds, int max)
{
	int n = 0;

	if (max < 1)
		return 0;
	pfds[n++] = (struct pollfd){ .fd = srv->lfd, .events = POLLIN };
	for (unsigned int i = 0; i < srv->cfg.max_viewers && n < max; i++) {
		struct viewer *v = &srv->v[i];

		if (v->state != V_FREE)
			pfds[n++] = (struct pollfd){ .fd = v->fd, .events = POLLIN | (used(v) ? POLLOUT : 0) };
	}
	return n;
}

void server_work(struct viewer_server *srv, const struct pollfd *pfds, int n, uint64_t now_ns)
{
	for (int i = 1; i < n; i++) {
		struct viewer *v = NULL;

		if (!pfds[i].revents)
			continue;
		for (unsigned int j = 0; j < srv->cfg.max_viewers && !v; j++)
			if (srv->v[j].state != V_FREE && srv->v[j].fd == pfds[i].fd)
				v = &srv->v[j];
		if (!v)
			continue;
		if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))
			read_viewer(srv, v);
		if (v->state != V_FREE && (pfds[i].revents & POLLOUT))
			send_queued(srv, v);
	}
	if (n > 0 && (pfds[0].revents & POLLIN))
		accept_viewers(srv, now_ns);
	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++)
		if (srv->v[i].state == V_HELLO && now_ns >= srv->v[i].deadline_ns)
			drop(srv, &srv->v[i], "no hello within 5 s");
	server_flush(srv);
}

/* ---- the socket ---- */

/* bind, replacing a stale socket a crashed recorder left, never anything else */
static int bind_socket(int fd, const struct sockaddr_un *a, const char *path)
{
	struct stat st;
	mode_t old = umask(0117);	/* created 0660, no window with a wider mode */
	int rc = bind(fd, (const struct sockaddr *)a, sizeof(*a));

	if (rc && errno == EADDRINUSE && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		int live = probe >= 0 && connect(probe, (const struct sockaddr *)a, sizeof(*a)) == 0;

		if (probe >= 0)
			close(probe);
		if (live) {
			umask(old);
			log_line(LOGL_ERR, "%s: another recorder is serving this socket", path);
			errno = EADDRINUSE;
			return -1;
		}
		unlink(path);
		rc = bind(fd, (const struct sockaddr *)a, sizeof(*a));
	} else if (rc && errno == EADDRINUSE) {
		umask(old);
		log_line(LOGL_ERR, "%s: exists and is not a socket; refusing to replace it", path);
		return -1;
	}
	umask(old);
	if (rc)
		log_line(LOGL_ERR, "%s: cannot create the viewers' socket: %s", path, strerror(errno));
	return rc;
}

struct viewer_server *server_open(const struct server_config *cfg, const struct session *s)
{
	struct viewer_server *srv = calloc(1, sizeof(*srv));
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct group gr, *g = NULL;
	char grbuf[4096], parent[sizeof(a.sun_path)], *slash;
	struct stat st;

	if (!srv)
		return NULL;
	srv->cfg = *cfg;
	srv->s = s;
	srv->lfd = -1;
	if (strlen(cfg->path) >= sizeof(a.sun_path) || !cfg->max_viewers)
		goto fail;
	snprintf(srv->path, sizeof(srv->path), "%s", cfg->path);
	memcpy(a.sun_path, cfg->path, strlen(cfg->path));
	/* the queue: the events of the backlog, or the biggest snapshot with every function name */
	srv->event_limit = (size_t)cfg->backlog_events * (sizeof(struct gfn_event) + 1) + 4096;
	srv->cap = srv->event_limit + snapshot_max_bytes() +
		   (size_t)FUNC_TABLE_SIZE * (sizeof(struct wire_func) + 1) + 65536;
	srv->v = calloc(cfg->max_viewers, sizeof(*srv->v));
	if (!srv->v)
		goto fail;
	for (unsigned int i = 0; i < cfg->max_viewers; i++) {
		srv->v[i].fd = -1;
		srv->v[i].buf = mmap(NULL, srv->cap, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (srv->v[i].buf == MAP_FAILED) {
			srv->v[i].buf = NULL;
			log_line(LOGL_ERR, "cannot map the viewers' queues (%u of %zu bytes)", cfg->max_viewers, srv->cap);
			goto fail;
		}
	}
	/* its directory: made (0755) if missing, e.g. /run/gfntop outside systemd */
	snprintf(parent, sizeof(parent), "%s", cfg->path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) && errno != EEXIST) {
			log_line(LOGL_ERR, "%s: %s", parent, strerror(errno));
			goto fail;
		}
	}
	srv->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->lfd < 0 || bind_socket(srv->lfd, &a, cfg->path))
		goto fail;
	if (listen(srv->lfd, 128)) {
		log_line(LOGL_ERR, "%s: listen: %s", cfg->path, strerror(errno));
		goto fail;
	}
	if (lstat(cfg->path, &st) == 0) {
		srv->dev = st.st_dev;
		srv->ino = st.st_ino;
	}
	if (cfg->group && getgrnam_r(cfg->group, &gr, grbuf, sizeof(grbuf), &g) == 0 && g &&
	    lchown(cfg->path, (uid_t)-1, g->gr_gid))
		log_line(LOGL_WARN, "%s: cannot hand it to group %s: %s", cfg->path, cfg->group, strerror(errno));
	if (!g)
		srv->cfg.group = NULL;	/* no such group: root and the recorder's user only */
	srv->hello = (struct wire_hello){ .proto = WIRE_VERSION, .event_size = sizeof(struct gfn_event),
					  .recorder_pid = (uint32_t)getpid(),
					  .flags = cfg->no_trace ? WH_NO_TRACE : 0, .start_ns = cfg->start_ns };
	snprintf(srv->hello.version, sizeof(srv->hello.version), "%s", GFNTOP_VERSION);
	snprintf(srv->hello.kernel, sizeof(srv->hello.kernel), "%s", cfg->kernel ? cfg->kernel : "");
	snprintf(srv->hello.probes, sizeof(srv->hello.probes), "%s", cfg->probes ? cfg->probes : "");
	snprintf(srv->hello.dir, sizeof(srv->hello.dir), "%s", cfg->dir ? cfg->dir : "");
	return srv;
fail:
	if (srv->lfd >= 0)
		close(srv->lfd);
	for (unsigned int i = 0; srv->v && i < srv->cfg.max_viewers; i++)
		if (srv->v[i].buf)
			munmap(srv->v[i].buf, srv->cap);
	free(srv->v);
	free(srv);
	return NULL;
}

void server_close(struct viewer_server *srv)
{
	struct stat st;

	if (!srv)
		return;
	/* a second at most for the viewers to take what is queued for them */
	for (int round = 0; round < 20; round++) {
		struct pollfd pfds[1 + 1024];
		int n, waiting = 0;

		server_flush(srv);
		n = server_pollfds(srv, pfds, (int)(sizeof(pfds) / sizeof(pfds[0])));
		for (int i = 1; i < n; i++)
			waiting += (pfds[i].events & POLLOUT) != 0;
		if (!waiting)
			break;
		poll(pfds + 1, (nfds_t)(n - 1), 50);
	}
	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++) {
		struct viewer *v = &srv->v[i];

		if (v->state == V_FREE)
			continue;
		if (v->state != V_FREE) {
			v->head = v->tail = 0;	/* a BYE must get through even to a viewer behind */
			v->open = NO_MSG;
			bye(srv, v, WB_STOPPING, "the recorder is stopping");
			send_queued(srv, v);
		}
		if (v->state != V_FREE)
			drop(srv, v, NULL);
	}
	if (srv->lfd >= 0)
		close(srv->lfd);
	log_limited_flush(&srv->refused_log, LOGL_WARN);
	log_limited_flush(&srv->dropped_log, LOGL_WARN);
	log_limited_flush(&srv->joined_log, LOGL_INFO);
	log_line(LOGL_INFO, "viewers: %llu connections (%llu refused, %llu dropped), %llu events missed, %llu snapshots sent",
		 (unsigned long long)srv->st.accepted, (unsigned long long)srv->st.refused,
		 (unsigned long long)srv->st.dropped, (unsigned long long)srv->st.missed,
		 (unsigned long long)srv->st.snapshots);
	/* the socket goes, if it is still ours */
	if (lstat(srv->path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == srv->dev && st.st_ino == srv->ino)
		unlink(srv->path);
	for (unsigned int i = 0; i < srv->cfg.max_viewers; i++)
		munmap(srv->v[i].buf, srv->cap);
	free(srv->v);
	free(srv);
}

void server_stats(const struct viewer_server *srv, struct server_stats *st)
{
	*st = srv->st;
}
