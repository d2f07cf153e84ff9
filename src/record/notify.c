// SPDX-License-Identifier: GPL-2.0
/* sd_notify(3) without libsystemd: a datagram to $NOTIFY_SOCKET (a path, or '@' for an abstract name). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "record/notify.h"

static struct sockaddr_un addr;
static socklen_t addr_len;
static uint64_t watchdog_ns;

void notify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	const char *wd = getenv("WATCHDOG_USEC");
	const char *wd_pid = getenv("WATCHDOG_PID");
	size_t n;

	addr_len = 0;
	if (path && (path[0] == '/' || path[0] == '@') && (n = strlen(path)) < sizeof(addr.sun_path)) {
		memset(&addr, 0, sizeof(addr));
		addr.sun_family = AF_UNIX;
		memcpy(addr.sun_path, path, n);
		if (path[0] == '@')
			addr.sun_path[0] = '\0';	/* abstract namespace */
		addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	/* the watchdog is ours only if WATCHDOG_PID is unset or names this process */
	if (wd && (!wd_pid || strtol(wd_pid, NULL, 10) == getpid()))
		watchdog_ns = strtoull(wd, NULL, 10) * 1000ULL / 2;
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int notify_send(const char *state)
{
	int fd, rc = 0;

	if (!addr_len)
		return 0;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

uint64_t notify_watchdog_ns(void)
{
	return watchdog_ns;
}
