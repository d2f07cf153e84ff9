// SPDX-License-Identifier: GPL-2.0
/*
 * Safe creation of output files (safe_file.h). The directory walk is done by
 * hand, a component at a time, rather than with openat2(RESOLVE_NO_SYMLINKS):
 * it is as strict, works on every kernel, and says which component was the
 * symbolic link.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/safe_file.h"

/* a directory whose entries someone but its owner may rename, remove or plant */
static bool others_may_write(const struct stat *st)
{
	bool sticky_root = (st->st_mode & S_ISVTX) && st->st_uid == 0;

	return (st->st_mode & (S_IWGRP | S_IWOTH)) && !sticky_root;
}

/* why component `comp` of `dir` could not be opened as a directory */
static void explain(int at, const char *comp, const char *dir, int err_no, char *err, size_t errlen)
{
	struct stat st;

	if (fstatat(at, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		snprintf(err, errlen, "%s: '%s' on the way is a symbolic link; refusing to follow it",
			 dir, comp);
	else
		snprintf(err, errlen, "%s: cannot open '%s' as a directory: %s", dir, comp, strerror(err_no));
}

int safe_dir_open(const char *dir, char *err, size_t errlen)
{
	char copy[4096], *save = NULL, *comp;
	struct stat st;
	int fd, next;

	if (snprintf(copy, sizeof(copy), "%s", dir) >= (int)sizeof(copy)) {
		snprintf(err, errlen, "%.64s...: path too long", dir);
		return -1;
	}
	fd = open(dir[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", dir, strerror(errno));
		return -1;
	}
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (!strcmp(comp, "."))
			continue;
		/* O_PATH|O_DIRECTORY|O_NOFOLLOW: a symlink is not a directory, ENOTDIR */
		next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			explain(fd, comp, dir, errno, err, errlen);
			close(fd);
			return -1;
		}
		close(fd);
		fd = next;
	}
	/* a readable descriptor where allowed: fsync() of the directory after a rename */
	next = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (next >= 0) {
		close(fd);
		fd = next;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	if (others_may_write(&st)) {
		snprintf(err, errlen, "%s: users other than its owner may write this directory (mode %04o); "
			 "refusing to create files in it (such a directory is used only if it is sticky "
			 "and root's, like /tmp)", dir, (unsigned int)(st.st_mode & 07777));
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int safe_parent_open(const char *path, const char **name, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	*name = slash ? slash + 1 : path;
	if (!**name || !strcmp(*name, ".") || !strcmp(*name, "..")) {
		snprintf(err, errlen, "%s: not a file name", path);
		return -1;
	}
	if (!slash)
		return safe_dir_open(".", err, errlen);
	if (slash == path)
		return safe_dir_open("/", err, errlen);
	if ((size_t)(slash - path) >= sizeof(dir)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return -1;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return safe_dir_open(dir, err, errlen);
}

/* flags: O_RDWR for O_WRONLY, O_APPEND */
static int create_exclusive(int dirfd, const char *name, int flags)
{
	int access = (flags & O_ACCMODE) == O_RDWR ? O_RDWR : O_WRONLY;

	flags &= ~O_ACCMODE;
	return openat(dirfd, name, access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | flags, 0600);
}

int safe_create_at(int dirfd, const char *name, const char *shown, bool replace, int flags,
		   char *err, size_t errlen)
{
	struct stat st;
	int fd = create_exclusive(dirfd, name, flags), e;

	if (fd >= 0 || errno != EEXIST)
		goto out;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		e = errno;
		snprintf(err, errlen, "%s: cannot create: %s", shown, strerror(e));
		errno = e;
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s: is a symbolic link; refusing to write through it", shown);
		errno = ELOOP;
		return -1;
	}
	if (!replace) {
		snprintf(err, errlen, "%s: file exists; use --force to replace it", shown);
		errno = EEXIST;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file; refusing to replace it", shown);
		errno = EEXIST;
		return -1;
	}
	if (unlinkat(dirfd, name, 0) && errno != ENOENT) {
		e = errno;
		snprintf(err, errlen, "%s: cannot replace: %s", shown, strerror(e));
		errno = e;
		return -1;
	}
	fd = create_exclusive(dirfd, name, flags);
out:
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: cannot create: %s", shown, strerror(e));
		errno = e;
	}
	return fd;
}

/* ---- temporary files ---- */

static void random_name(char *buf, size_t len)
{
	unsigned long long r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r ^= (unsigned long long)getpid() << 32 ^ (unsigned long long)(uintptr_t)buf;
	snprintf(buf, len, ".gfntop-%016llx", r);
}

int safe_tmp_open(int dirfd, struct safe_tmp *t, char *err, size_t errlen)
{
	*t = (struct safe_tmp){ .fd = -1 };
	/* anonymous only if it can be linked in later: that needs /proc */
	if (access("/proc/self/fd", X_OK) == 0) {
		t->fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
		if (t->fd >= 0) {
			t->anonymous = true;
			return 0;
		}
	}
	for (int tries = 0; tries < 16 && t->fd < 0; tries++) {
		random_name(t->name, sizeof(t->name));
		t->fd = create_exclusive(dirfd, t->name, 0);
		if (t->fd < 0 && errno != EEXIST)
			break;
	}
	if (t->fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
		t->name[0] = '\0';
		return -1;
	}
	return 0;
}

/* the anonymous file under a fresh temporary name of its own (it then is a named one) */
static int link_named(int dirfd, struct safe_tmp *t, const char *src)
{
	for (int tries = 0; tries < 16; tries++) {
		random_name(t->name, sizeof(t->name));
		if (linkat(AT_FDCWD, src, dirfd, t->name, AT_SYMLINK_FOLLOW) == 0) {
			t->anonymous = false;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	t->name[0] = '\0';
	return -errno;
}

/* the named temporary file to `name`: in place of a file there only if `replace` */
static int rename_named(int dirfd, const char *tmp, const char *name, bool replace)
{
	if (replace)
		return renameat(dirfd, tmp, dirfd, name) ? -errno : 0;
	if (renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* a file system without RENAME_NOREPLACE: a hard link never replaces either */
	if (linkat(dirfd, tmp, dirfd, name, 0))
		return -errno;
	unlinkat(dirfd, tmp, 0);
	return 0;
}

int safe_tmp_commit(int dirfd, struct safe_tmp *t, const char *name, bool replace)
{
	char src[64];
	int rc = 0;

	if (fsync(t->fd) && errno != EINVAL)
		rc = -errno;
	if (!rc && t->anonymous) {
		snprintf(src, sizeof(src), "/proc/self/fd/%d", t->fd);
		/* a link never replaces: straight to the name, or to a name of its own first */
		if (!replace)
			rc = linkat(AT_FDCWD, src, dirfd, name, AT_SYMLINK_FOLLOW) ? -errno : 0;
		else
			rc = link_named(dirfd, t, src);
		if (rc || !replace)
			goto done;
	}
	if (!rc)
		rc = rename_named(dirfd, t->name, name, replace);
	if (!rc)
		t->name[0] = '\0';
done:
	if (rc) {
		safe_tmp_discard(dirfd, t);
		return rc;
	}
	close(t->fd);		/* the data is synced: nothing close() could still report */
	t->fd = -1;
	fsync(dirfd);		/* the new name survives a crash (EBADF for an O_PATH descriptor: fine) */
	return 0;
}

void safe_tmp_discard(int dirfd, struct safe_tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (!t->anonymous && t->name[0])
		unlinkat(dirfd, t->name, 0);
	t->name[0] = '\0';
}
