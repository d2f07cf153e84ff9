// SPDX-License-Identifier: GPL-2.0
/* Fixed rings of recent events and failures: no allocation per event. */
#include "model/recent.h"
#include "base/names.h"

void recent_add(struct recent *r, const struct gfn_event *e)
{
	r->ev[r->nev++ % RECENT_EVENTS] = *e;
	if (event_failed(e))
		r->fail[r->nfail++ % RECENT_FAILURES] = *e;
}

const struct gfn_event *recent_event(const struct recent *r, unsigned long long i)
{
	if (i >= r->nev || i >= RECENT_EVENTS)
		return NULL;
	return &r->ev[(r->nev - 1 - i) % RECENT_EVENTS];
}

const struct gfn_event *recent_failure(const struct recent *r, unsigned long long i)
{
	if (i >= r->nfail || i >= RECENT_FAILURES)
		return NULL;
	return &r->fail[(r->nfail - 1 - i) % RECENT_FAILURES];
}
