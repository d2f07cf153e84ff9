// SPDX-License-Identifier: GPL-2.0
/*
 * Ring-buffer consumer. The BPF side wakes us only when a good part of the
 * buffer is queued (batched wake-ups), so every poll is followed by an
 * explicit consume: what arrived without a wake-up is drained at the latest
 * one poll timeout later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "sources/live.h"
#include "base/names.h"

struct live_source {
	struct ring_buffer *rb;
	const volatile unsigned long long *lost;
	uint64_t lost_seen;
	int64_t offset;
	event_fn fn;
	void *ctx;
	int stop;		/* fn asked to stop */
};

int64_t live_clock_offset(void)
{
	struct timespec m1, r, m2;
	int64_t best = 0, best_gap = INT64_MAX;

	/* bracket CLOCK_REALTIME between two CLOCK_MONOTONIC reads; keep the tightest */
	for (int i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &m1);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &m2);
		int64_t a = m1.tv_sec * 1000000000LL + m1.tv_nsec;
		int64_t b = m2.tv_sec * 1000000000LL + m2.tv_nsec;
		int64_t real = r.tv_sec * 1000000000LL + r.tv_nsec;

		if (b - a < best_gap) {
			best_gap = b - a;
			best = real - (a + (b - a) / 2);
		}
	}
	return best;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct live_source *ls = ctx;
	struct gfn_event e;

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.ts_ns += (uint64_t)ls->offset;
	if (ls->fn(ls->ctx, &e)) {
		ls->stop = 1;
		return -ECANCELED;
	}
	return 0;
}

struct live_source *live_open(int events_fd, const volatile unsigned long long *lost,
			      event_fn fn, void *ctx, char *err, size_t errlen)
{
	struct live_source *ls = calloc(1, sizeof(*ls));

	if (!ls) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ls->lost = lost;
	ls->fn = fn;
	ls->ctx = ctx;
	ls->offset = live_clock_offset();
	ls->rb = ring_buffer__new(events_fd, on_sample, ls, NULL);
	if (!ls->rb) {
		snprintf(err, errlen, "cannot open the ring buffer: %s", strerror(errno));
		live_close(ls);
		return NULL;
	}
	return ls;
}

int live_poll(struct live_source *ls, int timeout_ms)
{
	int n = ring_buffer__poll(ls->rb, timeout_ms);

	/* wake-ups are batched: what arrived without one is drained here */
	if (n >= 0 || n == -EINTR)
		n = ring_buffer__consume(ls->rb);
	if (ls->stop)
		return -ECANCELED;
	return n == -EINTR ? 0 : n;
}

int live_fd(const struct live_source *ls)
{
	return ring_buffer__epoll_fd(ls->rb);
}

void live_check_lost(struct live_source *ls)
{
	uint64_t total = *ls->lost;
	struct gfn_event e;
	struct timespec now;

	if (total <= ls->lost_seen)
		return;
	memset(&e, 0, sizeof(e));
	clock_gettime(CLOCK_REALTIME, &now);
	e.ts_ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	e.op = OP_LOST;
	e.ret = (int64_t)(total - ls->lost_seen);
	e.flags = EVF_RET;
	ls->lost_seen = total;
	ls->fn(ls->ctx, &e);
}

void live_close(struct live_source *ls)
{
	if (!ls)
		return;
	ring_buffer__free(ls->rb);
	free(ls);
}
