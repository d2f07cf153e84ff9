// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics-textfile DIR: the exposition written to DIR/gfntop.prom for
 * node_exporter's textfile collector, on a thread of its own (a slow disk
 * never holds the event thread). Each write goes to a new temporary file in
 * DIR (a name the collector ignores: it reads only *.prom), created with
 * O_EXCL|O_NOFOLLOW, then fsync and rename over gfntop.prom: the collector
 * reads either the old file or the new one, whole, and no symbolic link is
 * ever followed (rename replaces a link, it does not write through it).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outputs/metrics_internal.h"

int metrics_textfile_open(struct metrics *m, const char *dir, char *err, size_t errlen)
{
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	m->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (m->dir_fd < 0) {
		snprintf(err, errlen, "--metrics-textfile %s: %s", dir, strerror(errno));
		return -1;
	}
	m->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->wake_fd < 0) {
		snprintf(err, errlen, "--metrics-textfile: eventfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One write of the text to DIR/gfntop.prom; 0, or -1 with errno set. */
static int write_file(struct metrics *m, const struct textbuf *t)
{
	char tmp[64];
	int fd = -1, saved;

	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		unsigned int r;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (unsigned int)getpid() ^ (unsigned int)tries;
		snprintf(tmp, sizeof(tmp), "." METRICS_TEXTFILE_NAME ".%08x.tmp", r);
		fd = openat(m->dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	/* 0644 whatever the umask: the collector runs as its own user */
	if (fchmod(fd, 0644) || write_all(fd, t->p, t->len) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(m->dir_fd, tmp, m->dir_fd, METRICS_TEXTFILE_NAME))
		goto fail;
	fsync(m->dir_fd);	/* the rename itself, durably */
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(m->dir_fd, tmp, 0);
	errno = saved;
	return -1;
}

/*
 * Writes the latest snapshot if it is not in the file yet (or the last write
 * failed); 0, or -1. A failure is reported once, and a recovery too.
 */
static int write_latest(struct metrics *m)
{
	const struct metrics_snapshot *s;
	int rc = 0;

	pthread_mutex_lock(&m->cons_lock);
	s = metrics_take(m);
	if (s->generation && (s->generation != m->written_gen || m->write_failed)) {
		tb_reset(&m->file_text);
		expo_render(&m->file_text, s, EXPO_PROMETHEUS);
		m->written_gen = s->generation;
	} else {
		s = NULL;
	}
	pthread_mutex_unlock(&m->cons_lock);
	if (!s)
		return 0;	/* nothing new */
	if (m->file_text.failed) {
		errno = ENOMEM;
		rc = -1;
	} else {
		rc = write_file(m, &m->file_text);
	}
	if (rc && !m->write_failed)
		fprintf(stderr, "gfntop: --metrics-textfile: cannot write %s/%s: %s\n", m->dir,
			METRICS_TEXTFILE_NAME, strerror(errno));
	else if (!rc && m->write_failed)
		fprintf(stderr, "gfntop: --metrics-textfile: %s/%s written again\n", m->dir, METRICS_TEXTFILE_NAME);
	m->write_failed = rc != 0;
	return rc;
}

static void *writer(void *arg)
{
	struct metrics *m = arg;

	for (;;) {
		struct pollfd p = { .fd = m->wake_fd, .events = POLLIN };
		uint64_t n;

		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if (read(m->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
			break;
		if (atomic_load(&m->stop))
			break;
		write_latest(m);
	}
	return NULL;
}

int metrics_textfile_start(struct metrics *m, char *err, size_t errlen)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&m->writer, NULL, writer, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		snprintf(err, errlen, "--metrics-textfile: cannot start its thread: %s", strerror(rc));
		return -1;
	}
	m->writer_running = true;
	return 0;
}

int metrics_textfile_stop(struct metrics *m)
{
	if (m->writer_running) {
		uint64_t one = 1;
		ssize_t r;

		atomic_store(&m->stop, true);
		r = write(m->wake_fd, &one, sizeof(one));
		(void)r;
		pthread_join(m->writer, NULL);
		m->writer_running = false;
	}
	/* the last snapshot, on this thread: it is in the file when gfntop exits */
	return write_latest(m);
}
