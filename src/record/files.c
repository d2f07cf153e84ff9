// SPDX-License-Identifier: GPL-2.0
/* Directories held open, time-stamped names, and pruning the oldest files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "record/files.h"

int dir_open(int parent_fd, const char *name, int create)
{
	int fd;

	if (create && mkdirat(parent_fd, name, 0700) && errno != EEXIST)
		return -errno;
	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void utc_stamp(char *buf, size_t len, uint64_t ns)
{
	time_t s = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char day[24];

	gmtime_r(&s, &tm);
	strftime(day, sizeof(day), "%Y%m%dT%H%M%S", &tm);
	snprintf(buf, len, "%s.%06luZ", day, (unsigned long)(ns % 1000000000ULL / 1000));
}

struct entry {
	char *name;
	uint64_t bytes;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int prune_files(int dirfd, const char *prefix, const char *suffix, const char *current,
		const struct keep_limits *lim)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	int removed = 0, fd = dup(dirfd);
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)) ||
		    !ends_with(de->d_name, suffix))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			struct entry *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n].name = strdup(de->d_name);
		if (!v[n].name)
			break;
		v[n].bytes = (uint64_t)st.st_size;
		total += v[n].bytes;
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0, left = n; i < n; i++) {
		if (!((lim->files && left > lim->files) || (lim->bytes && total > lim->bytes)))
			break;
		if (current && !strcmp(v[i].name, current))
			continue;	/* never the file being written (it sorts last anyway) */
		if (unlinkat(dirfd, v[i].name, 0) == 0)
			removed++;
		left--;		/* one that cannot be removed is passed over, not retried */
		total -= v[i].bytes;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return removed;
}
