/* SPDX-License-Identifier: GPL-2.0 */
/* The live source: events from the kernel's ring buffer, and loss turned into op=lost rows. */
#ifndef GFNTOP_SOURCE_LIVE_H
#define GFNTOP_SOURCE_LIVE_H

#include <stdint.h>
#include "base/sink.h"

struct live_source;

struct live_source *live_open(int events_fd, const volatile unsigned long long *lost,
			      event_fn fn, void *ctx, char *err, size_t errlen);
/* Waits up to timeout_ms, then hands every queued event to fn. Returns events handled, or -errno
 * (-ECANCELED when fn asked to stop). */
int live_poll(struct live_source *ls, int timeout_ms);
/* A descriptor that polls readable when events are queued (for a poll loop over several sources). */
int live_fd(const struct live_source *ls);
/* Emits one op=lost row (ret = count) if the kernel dropped events since the last call. */
void live_check_lost(struct live_source *ls);
void live_close(struct live_source *ls);
/* ns to add to a CLOCK_MONOTONIC timestamp to get ns since the epoch */
int64_t live_clock_offset(void);

#endif
