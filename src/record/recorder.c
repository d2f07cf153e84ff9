// SPDX-License-Identifier: GPL-2.0
/* The recorder's event path and its ticks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "record/recorder.h"
#include "base/safe_file.h"
#include "record/log.h"
#include "record/server.h"

static void on_incident(void *ctx, const struct incident *inc)
{
	struct recorder *r = ctx;

	incident_write(&r->incidents, inc, &r->s.launches);
}

int recorder_open(struct recorder *r, const struct recorder_config *cfg, uint64_t now_ns)
{
	struct session_config scfg = { .mode = CSV_DIRECT, .counters = cfg->counters,
				       .counters_vms = cfg->counters_vms };
	char err[4608];

	*r = (struct recorder){ .cfg = *cfg, .dirfd = -1, .incidents = { .dirfd = -1 } };
	if (session_open(&r->s, &scfg))
		return -1;
	/* made if missing, in its parent opened without symlinks; then opened a component at a time */
	if (access(cfg->dir, F_OK) && errno == ENOENT) {
		const char *name;
		int parent = safe_parent_open(cfg->dir, &name, err, sizeof(err));

		if (parent < 0 || (mkdirat(parent, name, 0700) && errno != EEXIST)) {
			if (parent >= 0)
				snprintf(err, sizeof(err), "%s: cannot create: %s", cfg->dir, strerror(errno));
			log_line(LOGL_ERR, "%s", err);
			if (parent >= 0)
				close(parent);
			goto fail;
		}
		close(parent);
	}
	r->dirfd = safe_dir_open(cfg->dir, err, sizeof(err));
	if (r->dirfd < 0) {
		log_line(LOGL_ERR, "%s", err);
		goto fail;
	}
	if (incident_store_open(&r->incidents, r->dirfd, cfg->dir, &cfg->incident_keep, err, sizeof(err))) {
		log_line(LOGL_ERR, "%s", err);
		goto fail;
	}
	r->flight = flight_new(&cfg->flight, on_incident, r);
	if (!r->flight) {
		log_line(LOGL_ERR, "cannot allocate the flight recorder (%u VMs x %u events)",
			 cfg->flight.max_vms, cfg->flight.ring_events);
		goto fail;
	}
	if (!cfg->no_trace) {
		struct rotor_config rc = {
			.dirfd = r->dirfd, .dir = cfg->dir, .max_bytes = cfg->rotate_bytes,
			.max_age_ns = cfg->rotate_ns, .keep = cfg->keep,
			.before_close = cfg->check_lost, .ctx = cfg->lost_ctx,
		};

		r->rot = rotor_open(&rc, now_ns, err, sizeof(err));
		if (!r->rot) {
			log_line(LOGL_ERR, "%s", err);
			goto fail;
		}
	}
	return 0;
fail:
	flight_free(r->flight);
	r->flight = NULL;
	incident_store_close(&r->incidents);
	if (r->dirfd >= 0)
		close(r->dirfd);
	session_close(&r->s, false);
	return -1;
}

int recorder_event(void *ctx, struct gfn_event *e)
{
	struct recorder *r = ctx;

	r->events++;
	if (e->ts_ns > r->last_ts)
		r->last_ts = e->ts_ns;
	flight_due(r->flight, e->ts_ns);	/* a window that ended before this event does not get it */
	session_event(&r->s, e);
	flight_add(r->flight, e);
	if (r->rot)
		rotor_write(r->rot, e, e->ts_ns);
	if (r->srv)
		server_event(r->srv, e);
	return 0;
}

static void on_retire(void *ctx, const struct agg_vm *v)
{
	struct recorder *r = ctx;

	r->retired++;
	if (r->srv)
		server_retire(r->srv, v->kind, v->kind == AGG_NO_VM ? v->task_pid : v->vm_pid, v->vm_id);
}

void recorder_tick(struct recorder *r, uint64_t now_ns)
{
	if (r->rot)
		rotor_tick(r->rot, now_ns);
	flight_due(r->flight, now_ns);
	if (r->cfg.alive) {
		uint64_t before = now_ns > r->cfg.retire_after_ns ? now_ns - r->cfg.retire_after_ns : 0;

		agg_mark_exited(r->s.agg, r->cfg.alive, now_ns);
		launch_reap(&r->s.launches, r->cfg.alive);
		/* a table three quarters full retires every exited VM at once */
		if (r->s.agg->nvms > AGG_MAX_VMS * 3 / 4 || r->s.agg->nrows > AGG_MAX_ROWS * 3 / 4)
			before = now_ns;
		session_retire(&r->s, before, on_retire, r);
		flight_retire(r->flight, r->cfg.alive);
	}
	agg_interval_reset(r->s.agg);
}

void recorder_reopen(struct recorder *r, uint64_t now_ns)
{
	if (r->rot)
		rotor_rotate(r->rot, now_ns);
}

int recorder_close(struct recorder *r)
{
	int rc = 0;

	flight_due(r->flight, UINT64_MAX);
	if (r->rot && rotor_close(r->rot))
		rc = 1;
	rotor_free(r->rot);
	r->rot = NULL;
	flight_free(r->flight);
	r->flight = NULL;
	incident_store_close(&r->incidents);
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
	session_close(&r->s, true);
	return rc;
}
