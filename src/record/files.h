/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder's own files in a directory it holds open: time-stamped names
 * that sort in time order, and the oldest removed beyond a count or a total
 * size. Used for the rotated traces and for the incident files. Only names
 * of the form PREFIX<time>...SUFFIX that are regular files are ever counted
 * or removed; nothing is followed through a symbolic link.
 */
#ifndef GFNTOP_RECORD_FILES_H
#define GFNTOP_RECORD_FILES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Opens (creating it 0700 if `create`) the directory `name` in parent_fd,
 * refusing a symbolic link. fd or -errno. (A directory named by a whole
 * path: base/safe_file.h's safe_dir_open, which checks every component.)
 */
int dir_open(int parent_fd, const char *name, int create);

/* "20261125T031502.123456Z" for ns since the epoch (UTC); buf of at least 24 bytes. */
void utc_stamp(char *buf, size_t len, uint64_t ns);

struct keep_limits {
	unsigned long files;	/* 0: no limit on the number */
	uint64_t bytes;		/* 0: no limit on the total size */
};

/*
 * Removes the oldest files named PREFIX...SUFFIX in dirfd (name order is time
 * order) until at most lim->files remain and they hold at most lim->bytes
 * together. `current` (a name, or NULL) is never removed and counts toward
 * both. Returns how many were removed, or -errno.
 */
int prune_files(int dirfd, const char *prefix, const char *suffix, const char *current,
		const struct keep_limits *lim);

#endif
