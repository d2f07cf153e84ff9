/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metrics for Prometheus: an HTTP endpoint (--metrics ADDR:PORT, /metrics)
 * and node_exporter's textfile collector (--metrics-textfile DIR).
 *
 * The event thread owns the counters (model/counters.c). Once per interval
 * it calls metrics_publish(), which copies them into a snapshot and hands it
 * over with one atomic exchange (a triple buffer): it never takes a lock and
 * never waits for the HTTP side. The HTTP server (libmicrohttpd, one internal
 * thread with epoll, bounded connections, per-IP limit, idle timeout and
 * per-connection memory) and the textfile writer render the latest snapshot
 * on their own threads, so a slow or hostile client, or a slow disk, costs
 * the event path nothing. A scrape renders at most once per snapshot and
 * format: O(series).
 *
 * The order of calls, for a live run and for `gfntop record`:
 *   metrics_open()      binds the listener, opens the directory (before the
 *                       capabilities are dropped: a port below 1024 works)
 *   metrics_register_probes(), metrics_publish()   the first snapshot
 *   metrics_start()     starts the threads (after the capabilities are
 *                       dropped: threads created before keep them)
 *   metrics_publish()   once per interval, on the event thread
 *   metrics_close()     a last textfile write; stops the threads
 */
#ifndef GFNTOP_OUTPUTS_METRICS_H
#define GFNTOP_OUTPUTS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include "model/counters.h"
#include "outputs/exposition.h"

struct probe_set;
struct metrics;

struct metrics_config {
	const char *listen;		/* --metrics ADDR:PORT, or NULL */
	const char *textfile_dir;	/* --metrics-textfile DIR, or NULL */
	int max_vms;			/* --metrics-vms: the counters' per-VM cap (the snapshots' size) */
};

#define METRICS_TEXTFILE_NAME "gfntop.prom"
/* the HTTP server's bounds (the manual says them too) */
#define METRICS_MAX_CONNECTIONS 64
#define METRICS_MAX_PER_IP 16
#define METRICS_IDLE_TIMEOUT_S 10
#define METRICS_CONN_MEMORY (16 * 1024)

/*
 * "9435", ":9435" (loopback), "127.0.0.1:9435", "0.0.0.0:9435", "[::1]:9435",
 * "[::]:9435", "localhost:9435"; port 0 picks a free one. 0, or -1 if it
 * does not parse (no name lookups).
 */
int metrics_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/* Binds and opens; NULL with the reason in err. */
struct metrics *metrics_open(const struct metrics_config *cfg, char *err, size_t errlen);
/* "http://127.0.0.1:9435/metrics" (the bound port), or "" without a listener. */
const char *metrics_url(const struct metrics *m);
/* The build and platform info metrics (platform.c fills them). */
void metrics_set_info(struct metrics *m, const struct expo_info *build, const struct expo_info *platform);
/* The (family, op) series of every attached probe, shown from the start at 0. */
void metrics_register_probes(struct counters *c, const struct probe_set *ps);
/* A snapshot of c and of the probes' states (ps may be NULL: a replay). Never blocks. */
void metrics_publish(struct metrics *m, const struct counters *c, const struct probe_set *ps);
/* Starts the threads; -1 with the reason in err. */
int metrics_start(struct metrics *m, char *err, size_t errlen);
/* Writes the last snapshot to the textfile, stops the threads, frees m. 0, or -1 if that write failed. */
int metrics_close(struct metrics *m);

/* build: version, libbpf; platform: kernel, machine, kvm_amd's sev/sev_es/sev_snp, sev_api */
void metrics_platform_info(struct expo_info *build, struct expo_info *platform);

#endif
