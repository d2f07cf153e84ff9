/* SPDX-License-Identifier: GPL-2.0 */
/* What the metrics files share (metrics.c, metrics_http.c, metrics_textfile.c). */
#ifndef GFNTOP_OUTPUTS_METRICS_INTERNAL_H
#define GFNTOP_OUTPUTS_METRICS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include "outputs/metrics.h"

#define SNAP_FRESH 4u	/* in `middle`: the producer left a snapshot the consumers have not taken */

struct MHD_Daemon;
struct MHD_Response;

struct metrics {
	/* the triple buffer: the producer fills snap[back], consumers read snap[front] */
	struct metrics_snapshot snap[3];
	unsigned int back;		/* the event thread's */
	_Atomic unsigned int middle;	/* index | SNAP_FRESH */
	uint64_t generation;		/* the event thread's: of the last publish */
	struct expo_info build, platform;

	/* the consumers (HTTP thread, textfile thread) share what is below, under cons_lock */
	pthread_mutex_t cons_lock;
	unsigned int front;
	struct textbuf text[2];		/* by enum expo_format */
	struct MHD_Response *resp[2];	/* the rendering of snap[front] (a generation), reused per scrape */
	uint64_t resp_gen[2];

	/* HTTP */
	int listen_fd;			/* -1: none; owned by the daemon once it runs */
	struct MHD_Daemon *daemon;
	char url[96];

	/* textfile */
	int dir_fd;			/* -1: none */
	char dir[4096];
	pthread_t writer;
	bool writer_running;
	int wake_fd;			/* eventfd: a new snapshot, or stop */
	atomic_bool stop;
	uint64_t written_gen;		/* the writer's: the generation in the file */
	bool write_failed;		/* the writer's: the last write failed (reported once) */
	struct textbuf file_text;	/* the writer's */
};

/*
 * The latest snapshot, for a consumer (cons_lock held): takes a fresher one
 * from the producer if there is one. Generation 0: nothing published yet.
 */
const struct metrics_snapshot *metrics_take(struct metrics *m);

int metrics_http_bind(struct metrics *m, const char *listen, char *err, size_t errlen);
int metrics_http_start(struct metrics *m, char *err, size_t errlen);
void metrics_http_stop(struct metrics *m);

int metrics_textfile_open(struct metrics *m, const char *dir, char *err, size_t errlen);
int metrics_textfile_start(struct metrics *m, char *err, size_t errlen);
/* Stops the writer after it wrote the latest snapshot; 0, or -1 if that write failed. */
int metrics_textfile_stop(struct metrics *m);

#endif
