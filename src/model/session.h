/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session: what every event goes through, whatever its source (live
 * kernel or replayed trace) — the pid and error filters, aggregation, SNP
 * launch sessions, the recent-event rings and, with -w, the trace writer.
 * Its own file so that the benchmarks (bench/src/pipeline.c) drive exactly
 * the path the program runs.
 */
#ifndef GFNTOP_SESSION_H
#define GFNTOP_SESSION_H

#include <stdbool.h>
#include "model/agg.h"
#include "trace/writer.h"
#include "model/launch.h"
#include "model/recent.h"
#include "model/counters.h"

/* What the session needs of the command line (the cli layer fills it in). */
struct session_config {
	const unsigned int *pids;	/* -p: keep only VMs of these VMM pids ... */
	int npids;
	bool filter_pids;		/* ... here (a replay); a live run filters in the kernel */
	bool errors_only;		/* -e */
	bool one_period;		/* a replay: the interval is the whole trace */
	bool counters;			/* keep the exporters' counters (--metrics, --metrics-textfile) */
	int counters_vms;		/* ... with per-VM counters for that many VMs (--metrics-vms) */
	const char *csv_path;		/* -w FILE, or NULL */
	bool force;			/* --force */
	enum csv_mode mode;
	const struct stat *keep;	/* never write the trace over this file (the one replayed) */
};

struct session {
	struct agg *agg;
	struct launch_table launches;
	struct recent recent;		/* for the TUI's event and error views */
	struct counters *counters;	/* NULL unless cfg.counters */
	struct csv_writer *csv;
	struct session_config cfg;
	bool write_failed;		/* the trace can no longer be written: the run ends */
	bool failed;			/* the run went on, but must end with status 1 (said when it happened) */
};

/*
 * Aggregation, launch sessions and, with -w, the trace (its header row written
 * and flushed: for a live run, that means recording has begun). Prints why
 * and returns -1 on failure. `s` is large: give it static storage.
 */
int session_open(struct session *s, const struct session_config *cfg);
/* The event callback of every source (an event_fn); non-zero: stop, the trace cannot be complete. */
int session_event(void *ctx, struct gfn_event *e);
/*
 * The aggregates callback (a counts_fn) of the kernel's aggregates source. A
 * live run aggregates in the kernel only where the session would count every
 * event alike: no -w, no -e (the pid filter is the kernel's own).
 */
void session_counts(void *ctx, const struct gfn_counts *c);
/*
 * Retires the VMs marked exited at or before marked_before (agg_retire), and
 * their launches with them; fn (may be NULL) is told of each. Returns how many.
 */
int session_retire(struct session *s, uint64_t marked_before,
		   void (*fn)(void *ctx, const struct agg_vm *v), void *ctx);
/* Closes the trace (with CSV_ATOMIC, `commit` false discards it); prints a failure, returns 0 or 1. */
int session_finish_csv(struct session *s, bool commit);
/* session_finish_csv(s, commit), then frees the tables (session_free_tables). */
int session_close(struct session *s, bool commit);
/* Frees the aggregation tables and counters (after session_finish_csv). */
void session_free_tables(struct session *s);

#endif
