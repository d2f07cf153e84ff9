/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files gfntop creates (traces, re-exports, incident files), often as root:
 * never through a symbolic link, in the last component or any directory on
 * the way, and never in a directory that users other than its owner may
 * change. A file is created relative to a directory descriptor opened once,
 * so renaming or swapping a directory on the path afterwards (for a symlink,
 * say, before a SIGHUP reopen) changes nothing: the next file goes where the
 * first one went.
 */
#ifndef GFNTOP_BASE_SAFE_FILE_H
#define GFNTOP_BASE_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Opens directory `dir` one component at a time with O_NOFOLLOW, so a
 * symbolic link anywhere on the path is refused, and refuses a directory
 * that its group or others may write unless it has the sticky bit and
 * belongs to root (like /tmp). A descriptor, or -1 with the reason in err.
 */
int safe_dir_open(const char *dir, char *err, size_t errlen);

/*
 * The directory that holds `path`'s last component (".": the current
 * directory), opened by safe_dir_open(); *name is set to that component, a
 * pointer into path. A path that ends with '/' names no file: -1.
 */
int safe_parent_open(const char *path, const char **name, char *err, size_t errlen);

/*
 * Creates `name` in dirfd: mode 0600, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW,
 * plus `flags` (O_APPEND; O_RDWR in place of O_WRONLY). An existing name is refused unless `replace`,
 * and even then only a regular file is replaced (unlinked, then created
 * afresh, still with O_EXCL: a symlink planted in between is refused, not
 * followed). `shown` names the file in messages. A descriptor, or -1 with
 * the reason in err and errno set.
 */
int safe_create_at(int dirfd, const char *name, const char *shown, bool replace, int flags,
		   char *err, size_t errlen);

/*
 * A file that appears complete or not at all: written in a temporary file of
 * the same directory, then moved to its name. Anonymous (O_TMPFILE) where the
 * file system has it: a process that dies before the commit leaves nothing.
 */
struct safe_tmp {
	int fd;			/* write here; -1: none */
	bool anonymous;		/* O_TMPFILE, linked in at commit through /proc/self/fd */
	char name[32];		/* else its name in the directory, ".gfntop-<random>" */
};

/* 0, or -1 with the reason in err. */
int safe_tmp_open(int dirfd, struct safe_tmp *t, char *err, size_t errlen);
/*
 * Syncs and closes the file and gives it `name`: atomically in place of an
 * existing file when `replace`, else only if the name is still free. Nothing
 * is left on failure. Returns 0 or -errno (-EEXIST: the name was taken).
 */
int safe_tmp_commit(int dirfd, struct safe_tmp *t, const char *name, bool replace);
/* Closes and removes the temporary file. */
void safe_tmp_discard(int dirfd, struct safe_tmp *t);

#endif
