/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics exposition: a snapshot of the counters rendered in the
 * Prometheus text format (0.0.4) or in OpenMetrics 1.0.0, whichever the
 * scraper asks for (expo_negotiate). Pure functions of the snapshot: the HTTP
 * server and the textfile writer (metrics.c) call them on their own thread.
 *
 * Names follow the Prometheus guides for exporters: a gfntop_ prefix, base
 * units (_seconds), _total on counters, _info for versions; labels are
 * bounded (no gfn, hva, slot or pid unless per-VM series were asked for). The
 * list of metrics is in the manual (METRICS).
 */
#ifndef GFNTOP_OUTPUTS_EXPOSITION_H
#define GFNTOP_OUTPUTS_EXPOSITION_H

#include <stdint.h>
#include "gfntop/event.h"
#include "model/counters.h"
#include "outputs/textbuf.h"

enum expo_format {
	EXPO_PROMETHEUS,	/* text/plain; version=0.0.4 */
	EXPO_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
};

#define EXPO_MAX_LABELS 8
#define EXPO_PROBE_STATES 4	/* enum probe_state: ok, missing, refused, unsupported */

struct expo_label {
	char name[32];
	char value[160];
};

/* the labels of an info metric (gfntop_build_info, gfntop_platform_info) */
struct expo_info {
	struct expo_label l[EXPO_MAX_LABELS];
	int n;
};

/* What one exposition shows: a copy taken on the event thread (metrics.c). */
struct metrics_snapshot {
	struct counters *c;
	/* probes of each family by state; family_used: the run has probes of that family */
	uint32_t probes[FAM_COUNT][EXPO_PROBE_STATES];
	bool family_used[FAM_COUNT];
	struct expo_info build, platform;
	uint64_t taken_ns;		/* when, in ns since the epoch */
	uint64_t generation;		/* 1, 2, ...: a new one per publish */
};

/* Appends the whole exposition of s to tb (OpenMetrics ends with "# EOF"). */
void expo_render(struct textbuf *tb, const struct metrics_snapshot *s, enum expo_format f);
/* The Content-Type header of a format. */
const char *expo_content_type(enum expo_format f);
/*
 * The format for an HTTP Accept header (NULL: none): OpenMetrics when the
 * client accepts application/openmetrics-text (version 1.0.0 or 0.0.1, or
 * none given) with a higher quality than the text format, else the text
 * format. Untrusted input: any bytes, any length.
 */
enum expo_format expo_negotiate(const char *accept);
/* Adds a label to an info metric (ignored when full; the value is cut to fit). */
void expo_info_add(struct expo_info *i, const char *name, const char *value);

#endif
