// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark peer: loads bare_recorder.bpf.c with one of its two programs,
 * prints "ready" once attached, and until SIGINT/SIGTERM consumes the ring
 * buffer counting records - nothing else. At exit it drains what is queued and
 * prints "records=N lost=N".
 *
 *   record        no wake-ups; the consumer drains the ring every 10 ms
 *   record128     the same with 128-byte records (gfntop's size)
 *   record-wake   the kernel's default wake-up; the consumer sleeps in poll
 *   empty         the program does nothing; nothing to consume
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bare_recorder.skel.h"

static volatile sig_atomic_t stop;
static unsigned long long records;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int count(void *ctx, void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	records++;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "record";
	struct bare_recorder_bpf *skel;
	struct ring_buffer *rb = NULL;
	int big = !strcmp(mode, "record128");
	int wake = !strcmp(mode, "record-wake");
	int record = big || wake || !strcmp(mode, "record");

	if (!record && strcmp(mode, "empty")) {
		fprintf(stderr, "usage: bare_recorder [record|record128|record-wake|empty]\n");
		return 2;
	}
	skel = bare_recorder_bpf__open();
	if (!skel) {
		fprintf(stderr, "bare_recorder: open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->wake = wake;
	bpf_program__set_autoload(skel->progs.record, record && !big);
	bpf_program__set_autoload(skel->progs.record128, big);
	bpf_program__set_autoload(skel->progs.empty, !record);
	if (bare_recorder_bpf__load(skel) || bare_recorder_bpf__attach(skel)) {
		fprintf(stderr, "bare_recorder: load/attach: %s\n", strerror(errno));
		return 1;
	}
	if (record) {
		rb = ring_buffer__new(bpf_map__fd(skel->maps.records), count, NULL, NULL);
		if (!rb) {
			fprintf(stderr, "bare_recorder: ring buffer: %s\n", strerror(errno));
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (!rb)
			pause();
		else if (wake)
			ring_buffer__poll(rb, 100);
		else if (usleep(10000) == 0 || errno == EINTR)
			ring_buffer__consume(rb);
	}
	bare_recorder_bpf__detach(skel);
	if (rb)
		ring_buffer__consume(rb);
	printf("records=%llu lost=%llu\n", records, (unsigned long long)skel->bss->lost);
	ring_buffer__free(rb);
	bare_recorder_bpf__destroy(skel);
	return 0;
}
