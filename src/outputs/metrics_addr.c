// SPDX-License-Identifier: GPL-2.0
/* --metrics ADDR:PORT: numeric addresses only (no name lookups), loopback unless one is given. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "outputs/metrics.h"

static int parse_port(const char *s, unsigned int *port)
{
	char *end;
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > 65535)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

int metrics_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon, *port_s;
	size_t hn;
	unsigned int port;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		hn = (size_t)(close - s - 1);
		port_s = close + 2;
		if (hn == 0 || hn >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hn);
		host[hn] = '\0';
		if (parse_port(port_s, &port) || inet_pton(AF_INET6, host, &v6->sin6_addr) != 1)
			return -1;
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return 0;
	}
	colon = strrchr(s, ':');
	if (!colon) {
		host[0] = '\0';		/* "9435": loopback */
		port_s = s;
	} else {
		hn = (size_t)(colon - s);
		if (hn >= sizeof(host) || memchr(s, ':', hn))
			return -1;	/* an IPv6 address needs its brackets */
		memcpy(host, s, hn);
		host[hn] = '\0';
		port_s = colon + 1;
	}
	if (parse_port(port_s, &port))
		return -1;
	v4->sin_family = AF_INET;
	v4->sin_port = htons((uint16_t)port);
	if (!host[0] || !strcmp(host, "localhost"))
		v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &v4->sin_addr) != 1)
		return -1;
	*len = sizeof(*v4);
	return 0;
}
