/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flight recorder: per VM, bounded rings of its last events in memory,
 * so that when a launch step (or any snp, snp-rfc, psp, rmp or attr event)
 * fails, what led to it is still there. A failure opens an incident: the
 * VM's events from before it, then its events for `after_ns` more (the rest
 * of the failing ioctl's chain and what the VMM did next), handed to
 * on_incident when that window closes.
 *
 * Two rings per VM, each of ring_events: one for the launch-related families
 * (snp, snp-rfc, psp, rmp, attr) and one for everything else, so that MMU
 * traffic never pushes a launch's START out before its failing UPDATE.
 * A VM is its VMM's pid (vm_pid; for the PSP and RMP events of an ioctl,
 * which carry no VM, the pid of the task that ran them: the VMM). Memory is
 * allocated once; nothing is allocated per event.
 */
#ifndef GFNTOP_RECORD_FLIGHT_H
#define GFNTOP_RECORD_FLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gfntop/event.h"

struct flight_config {
	unsigned int ring_events;	/* per VM and ring */
	uint64_t after_ns;		/* how long an incident collects after its first failure */
	unsigned int max_vms;		/* VMs with rings; beyond, the least recently active is dropped */
	unsigned int max_pending;	/* incidents collecting at once; beyond, the oldest closes early */
};

struct incident {
	uint32_t pid;			/* the VMM */
	struct gfn_event trigger;	/* the first failure */
	const struct gfn_event *ev;	/* the VM's events in the order they arrived, the trigger at before - 1 */
	size_t n, before;
	uint64_t after_dropped;		/* events of the window that did not fit */
	uint64_t deadline_ns;
};

typedef void (*incident_fn)(void *ctx, const struct incident *inc);

struct flight;

/* NULL if the memory cannot be had. */
struct flight *flight_new(const struct flight_config *cfg, incident_fn on_incident, void *ctx);
void flight_free(struct flight *f);
/* An event, in arrival order. */
void flight_add(struct flight *f, const struct gfn_event *e);
/* Closes every incident whose window ended by now_ns (all of them for UINT64_MAX). */
void flight_due(struct flight *f, uint64_t now_ns);
/* Drops the rings of VMs whose VMM is gone (and that have no incident open). Returns how many. */
int flight_retire(struct flight *f, bool (*alive)(uint32_t pid));
/* Does this event open an incident? (It failed, in a launch-related family.) */
bool flight_triggers(const struct gfn_event *e);

struct flight_stats {
	unsigned int vms;		/* with rings now */
	uint64_t incidents;		/* opened */
	uint64_t closed_early;		/* closed before their window ended: too many at once */
	uint64_t evicted;		/* VMs whose rings were taken for another (table full) */
};
void flight_stats(const struct flight *f, struct flight_stats *st);

#endif
