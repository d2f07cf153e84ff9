/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Incident files: DIR/incidents/<UTC time>-<vm_pid>-<step>.csv, each a
 * schema-v1 trace of one VM's events around a failure (flight.h), written
 * whole or not at all (0600, never through a symbolic link), the oldest
 * removed beyond a count and a total size; and one log line per incident
 * with the failure decoded and its likely cause.
 */
#ifndef GFNTOP_RECORD_INCIDENT_H
#define GFNTOP_RECORD_INCIDENT_H

#include <stddef.h>
#include <stdint.h>
#include "record/files.h"
#include "record/flight.h"
#include "model/launch.h"

struct incident_store {
	int dirfd;
	char dir[4096];
	struct keep_limits keep;
	uint64_t written, failed;
	char last[256];		/* the last file's name (tests, status) */
};

/* Opens DIR/incidents (made 0700 if missing). Returns 0, or -1 with a message. */
int incident_store_open(struct incident_store *st, int parent_fd, const char *parent,
			const struct keep_limits *keep, char *err, size_t errlen);
void incident_store_close(struct incident_store *st);

/*
 * The failure an incident is about: the first failing launch step or SEV
 * ioctl of its window, else its first failure. `step` gets its op name and
 * `cause` one line: the decoded failure and, for a failed launch, the cause
 * the launch model found (model/launch.c).
 */
const struct gfn_event *incident_explain(const struct incident *inc, const struct launch_table *lt,
					 char *cause, size_t len);

/* Writes the file and logs its line. Returns 0 or -1 (logged). */
int incident_write(struct incident_store *st, const struct incident *inc, const struct launch_table *lt);

#endif
