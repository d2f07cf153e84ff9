// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics outputs' life cycle, and the triple buffer between the event
 * thread (one producer) and the threads that render (consumers, serialised
 * by cons_lock, which the producer never takes).
 *
 * Three snapshots: the producer fills `back`, then swaps it into `middle`
 * with the FRESH bit; a consumer that sees FRESH swaps its `front` into
 * `middle` and reads what it got. No snapshot is ever written while a
 * consumer reads it, and the producer never waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "outputs/metrics_internal.h"
#include "probes/attach.h"

_Static_assert(STATE_UNSUPPORTED + 1 == EXPO_PROBE_STATES, "every probe state has a gauge");

const struct metrics_snapshot *metrics_take(struct metrics *m)
{
	if (atomic_load_explicit(&m->middle, memory_order_acquire) & SNAP_FRESH) {
		unsigned int prev = atomic_exchange_explicit(&m->middle, m->front, memory_order_acq_rel);

		m->front = prev & ~SNAP_FRESH;
	}
	return &m->snap[m->front];
}

static void free_metrics(struct metrics *m)
{
	for (int i = 0; i < 3; i++)
		counters_free(m->snap[i].c);
	for (int f = 0; f < 2; f++)
		tb_free(&m->text[f]);
	tb_free(&m->file_text);
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	if (m->dir_fd >= 0)
		close(m->dir_fd);
	if (m->wake_fd >= 0)
		close(m->wake_fd);
	pthread_mutex_destroy(&m->cons_lock);
	free(m);
}

struct metrics *metrics_open(const struct metrics_config *cfg, char *err, size_t errlen)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	m->listen_fd = m->dir_fd = m->wake_fd = -1;
	pthread_mutex_init(&m->cons_lock, NULL);
	m->back = 0;
	atomic_init(&m->middle, 1u);
	m->front = 2;
	atomic_init(&m->stop, false);
	for (int i = 0; i < 3; i++) {
		m->snap[i].c = counters_new(cfg->max_vms);
		if (!m->snap[i].c) {
			snprintf(err, errlen, "metrics: out of memory");
			free_metrics(m);
			return NULL;
		}
	}
	if ((cfg->listen && metrics_http_bind(m, cfg->listen, err, errlen)) ||
	    (cfg->textfile_dir && metrics_textfile_open(m, cfg->textfile_dir, err, errlen))) {
		free_metrics(m);
		return NULL;
	}
	return m;
}

const char *metrics_url(const struct metrics *m)
{
	return m->url;
}

void metrics_set_info(struct metrics *m, const struct expo_info *build, const struct expo_info *platform)
{
	m->build = *build;
	m->platform = *platform;
}

void metrics_register_probes(struct counters *c, const struct probe_set *ps)
{
	for (int i = 0; i < ps->n; i++) {
		const struct probe *p = &ps->probes[i];

		if (probe_effective_state(p) == STATE_OK)
			counters_register(c, p->def.family, p->def.op, !probe_is_tracepoint(&p->def));
	}
}

void metrics_publish(struct metrics *m, const struct counters *c, const struct probe_set *ps)
{
	struct metrics_snapshot *s = &m->snap[m->back];
	struct timespec now;
	unsigned int prev;

	counters_copy(s->c, c);
	memset(s->probes, 0, sizeof(s->probes));
	memset(s->family_used, 0, sizeof(s->family_used));
	for (int i = 0; ps && i < ps->n; i++) {
		const struct probe *p = &ps->probes[i];

		s->probes[p->def.family][probe_effective_state(p)]++;
		s->family_used[p->def.family] = true;
	}
	s->build = m->build;
	s->platform = m->platform;
	clock_gettime(CLOCK_REALTIME, &now);
	s->taken_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	s->generation = ++m->generation;

	prev = atomic_exchange_explicit(&m->middle, m->back | SNAP_FRESH, memory_order_acq_rel);
	m->back = prev & ~SNAP_FRESH;
	if (m->wake_fd >= 0) {
		uint64_t one = 1;
		/* a non-blocking eventfd: never waits, and coalesces while the writer is busy */
		ssize_t r = write(m->wake_fd, &one, sizeof(one));

		(void)r;	/* only EAGAIN, at a counter of 2^64 - 2: the writer is woken anyway */
	}
}

int metrics_start(struct metrics *m, char *err, size_t errlen)
{
	if (m->listen_fd >= 0 && metrics_http_start(m, err, errlen))
		return -1;
	if (m->dir_fd >= 0 && metrics_textfile_start(m, err, errlen)) {
		metrics_http_stop(m);
		return -1;
	}
	return 0;
}

int metrics_close(struct metrics *m)
{
	int rc = 0;

	if (!m)
		return 0;
	metrics_http_stop(m);
	if (m->dir_fd >= 0)
		rc = metrics_textfile_stop(m);
	free_metrics(m);
	return rc;
}
