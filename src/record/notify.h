/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systemd's readiness protocol (sd_notify(3)), written by hand: one datagram
 * per state change to the socket $NOTIFY_SOCKET names. Without it (not under
 * systemd, or Type=simple) every call does nothing.
 */
#ifndef GFNTOP_RECORD_NOTIFY_H
#define GFNTOP_RECORD_NOTIFY_H

#include <stdint.h>

/* Reads $NOTIFY_SOCKET and $WATCHDOG_USEC (and unsets them, so no child inherits them). */
void notify_init(void);
/* "READY=1", "STOPPING=1", "STATUS=..."; several lines at once are allowed. Returns 0 or -errno. */
int notify_send(const char *state);
/* Half the watchdog interval in ns, 0 when systemd runs no watchdog: send "WATCHDOG=1" this often. */
uint64_t notify_watchdog_ns(void);

#endif
