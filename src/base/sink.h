/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every source hands its events to. The kernel's ring buffer, a trace
 * file and (later) a recorder's socket all call one of these per event, so the
 * consumers never know which of them fed it.
 */
#ifndef GFNTOP_BASE_SINK_H
#define GFNTOP_BASE_SINK_H

#include "gfntop/event.h"

/* Called once per event; a non-zero return stops the source. */
typedef int (*event_fn)(void *ctx, struct gfn_event *e);

#endif
