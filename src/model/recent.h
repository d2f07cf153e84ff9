/* SPDX-License-Identifier: GPL-2.0 */
/* The most recent events and failures, in fixed rings: what the TUI's event and error views list. */
#ifndef GFNTOP_RECENT_H
#define GFNTOP_RECENT_H

#include "gfntop/event.h"

#define RECENT_EVENTS 4096
#define RECENT_FAILURES 256

struct recent {
	struct gfn_event ev[RECENT_EVENTS];
	unsigned long long nev;		/* events ever added; the ring holds the last RECENT_EVENTS */
	struct gfn_event fail[RECENT_FAILURES];
	unsigned long long nfail;
};

void recent_add(struct recent *r, const struct gfn_event *e);
/* The i-th newest event (0 = newest), or NULL past what the ring holds. */
const struct gfn_event *recent_event(const struct recent *r, unsigned long long i);
const struct gfn_event *recent_failure(const struct recent *r, unsigned long long i);

#endif
