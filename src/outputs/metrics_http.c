// SPDX-License-Identifier: GPL-2.0
/*
 * The /metrics endpoint, served by libmicrohttpd (Debian's libmicrohttpd12):
 * one internal thread polling every connection with epoll, so no client can
 * hold a thread; at most METRICS_MAX_CONNECTIONS connections, and
 * METRICS_MAX_PER_IP from one address (more are closed at once); a
 * connection idle for METRICS_IDLE_TIMEOUT_S is closed; a request whose
 * headers do not fit in METRICS_CONN_MEMORY is answered with an error and
 * closed. The listening socket is made here, before the capabilities are
 * dropped, and handed to the daemon, whose thread starts after.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "outputs/metrics_internal.h"

int metrics_http_bind(struct metrics *m, const char *listen_addr, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;
	char host[INET6_ADDRSTRLEN];
	unsigned int port;

	if (metrics_parse_addr(listen_addr, &ss, &len)) {
		snprintf(err, errlen, "--metrics: invalid address '%s' (PORT, ADDR:PORT or [ADDR6]:PORT)", listen_addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "--metrics %s: socket: %s", listen_addr, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128)) {
		snprintf(err, errlen, "--metrics %s: %s", listen_addr, strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		snprintf(m->url, sizeof(m->url), "http://[%s]:%u/metrics", host, port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		snprintf(m->url, sizeof(m->url), "http://%s:%u/metrics", host, port);
	}
	m->listen_fd = fd;
	return 0;
}

/* ---- requests ---- */

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned int status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);	/* the connection holds its own reference */
	return ret;
}

/* The response for the latest snapshot in format f, rendered once per generation (cons_lock held). */
static struct MHD_Response *exposition(struct metrics *m, enum expo_format f)
{
	const struct metrics_snapshot *s = metrics_take(m);
	struct MHD_Response *r;

	if (!s->generation)
		return NULL;
	if (m->resp[f] && m->resp_gen[f] == s->generation)
		return m->resp[f];
	tb_reset(&m->text[f]);
	expo_render(&m->text[f], s, f);
	if (m->text[f].failed)
		return NULL;
	r = MHD_create_response_from_buffer(m->text[f].len, m->text[f].p, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, expo_content_type(f));
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept");
	if (m->resp[f])
		MHD_destroy_response(m->resp[f]);	/* connections still sending it keep theirs */
	m->resp[f] = r;
	m->resp_gen[f] = s->generation;
	return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	static int seen;	/* marks a request whose headers were looked at */
	struct metrics *m = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	enum expo_format f;

	(void)version;
	(void)upload_data;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!*con_cls) {
		/*
		 * The headers are in. A GET with a body is refused at once (its body
		 * is never read); otherwise the reply comes on the next call, once
		 * the request is complete, so that the connection can be kept alive.
		 */
		const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		*con_cls = &seen;
		if ((len && strcmp(len, "0")) ||
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
			return reply_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, "a GET has no body\n");
		return MHD_YES;
	}
	*upload_size = 0;
	if (!strcmp(url, "/"))
		return reply_text(conn, MHD_HTTP_OK, "gfntop: the metrics are at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(conn, MHD_HTTP_NOT_FOUND, "not found; the metrics are at /metrics\n");
	f = expo_negotiate(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	pthread_mutex_lock(&m->cons_lock);
	r = exposition(m, f);
	ret = r ? MHD_queue_response(conn, MHD_HTTP_OK, r) : MHD_NO;
	pthread_mutex_unlock(&m->cons_lock);
	if (!r)
		return reply_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot yet\n");
	return ret;
}

int metrics_http_start(struct metrics *m, char *err, size_t errlen)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
			     (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL);
	sigset_t all, old;

	/* the daemon's thread takes no signal: SIGINT, SIGTERM and SIGHUP are the event thread's */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	m->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, m,
				     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)m->listen_fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_MAX_CONNECTIONS,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)METRICS_MAX_PER_IP,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_IDLE_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_CONN_MEMORY,
				     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!m->daemon) {
		snprintf(err, errlen, "--metrics: cannot start the HTTP server (libmicrohttpd)");
		return -1;
	}
	m->listen_fd = -1;	/* the daemon's now: it closes it when stopped */
	return 0;
}

void metrics_http_stop(struct metrics *m)
{
	if (m->daemon) {
		MHD_stop_daemon(m->daemon);
		m->daemon = NULL;
	}
	for (int f = 0; f < 2; f++)
		if (m->resp[f]) {
			MHD_destroy_response(m->resp[f]);
			m->resp[f] = NULL;
		}
}
