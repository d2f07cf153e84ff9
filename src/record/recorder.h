/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder (`gfntop record`): one path for every event, whatever feeds
 * it (the kernel, or a trace replayed through it): the session's tables
 * (model/), the flight recorder and its incidents, the rotating trace, and
 * the viewers. Time is the events' own (ns since the epoch), and the
 * caller's clock at ticks, so a replayed trace runs through exactly what a
 * live one does.
 */
#ifndef GFNTOP_RECORD_RECORDER_H
#define GFNTOP_RECORD_RECORDER_H

#include <stdbool.h>
#include <stdint.h>
#include "model/session.h"
#include "record/flight.h"
#include "record/incident.h"
#include "record/rotate.h"

struct viewer_server;

struct recorder_config {
	const char *dir;		/* traces and incidents */
	bool no_trace;			/* aggregates, flight recorder and incidents only */
	bool counters;			/* the exporters' counters (--metrics) ... */
	int counters_vms;		/* ... per VM for this many VMs */
	uint64_t rotate_bytes, rotate_ns;
	struct keep_limits keep;	/* rotated traces */
	struct flight_config flight;
	struct keep_limits incident_keep;
	uint64_t retire_after_ns;	/* an exited VMM's VMs stay this long */
	bool (*alive)(uint32_t pid);	/* does a VMM still run? NULL: never retire (a replay) */
	/* before a trace file closes: the kernel's loss so far, as an op=lost row into it */
	void (*check_lost)(void *ctx);
	void *lost_ctx;
};

struct recorder {
	struct recorder_config cfg;
	struct session s;
	int dirfd;
	struct rotor *rot;		/* NULL with no_trace */
	struct flight *flight;
	struct incident_store incidents;
	struct viewer_server *srv;	/* the viewers' socket, NULL: none (the caller opens it) */
	uint64_t events, retired;
	uint64_t last_ts;		/* the newest event's time */
};

/*
 * Opens DIR (made 0700 if missing), the first trace file (named by now_ns;
 * 0: by the first event's time) and the incident directory. 0 or -1 (logged).
 */
int recorder_open(struct recorder *r, const struct recorder_config *cfg, uint64_t now_ns);
/* The event_fn every source feeds. Never asks the source to stop. */
int recorder_event(void *ctx, struct gfn_event *e);
/* Every tick (-d): rows pushed to the file, rotation by age, incidents whose window closed, retirement. */
void recorder_tick(struct recorder *r, uint64_t now_ns);
/* SIGHUP: a new trace file now. */
void recorder_reopen(struct recorder *r, uint64_t now_ns);
/* Writes every open incident as it is, closes the trace. 0, or 1 if the trace is incomplete. */
int recorder_close(struct recorder *r);

#endif
