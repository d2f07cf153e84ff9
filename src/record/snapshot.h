/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot of the recorder's tables in the viewers' protocol (sources/wire.h):
 * SNAP_BEGIN, the VMs, their rows, the launches, the recent events and
 * failures, SNAP_END. What a viewer catches up from.
 */
#ifndef GFNTOP_RECORD_SNAPSHOT_H
#define GFNTOP_RECORD_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include "model/session.h"

/* Hands over one whole message: `count` records of `type`. Non-zero: stop. */
typedef int (*wire_put_fn)(void *ctx, unsigned int type, const void *recs, uint32_t count);

/* The largest snapshot, in message bytes with their headers: what a viewer's queue must hold. */
size_t snapshot_max_bytes(void);
/* Encodes s's tables as messages. 0, or put's non-zero value. */
int snapshot_encode(const struct session *s, wire_put_fn put, void *ctx);

#endif
