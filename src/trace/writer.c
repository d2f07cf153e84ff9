// SPDX-License-Identifier: GPL-2.0
/*
 * CSV trace writer. Rows are formatted by hand into a large buffer (no printf
 * on the hot path) and written with write(2) at interval boundaries, when the
 * buffer fills, and on exit. A trace on disk is always valid: when a write
 * fails part-way the file is cut back to the end of the last complete row
 * that reached it; a file truncated under the writer (logrotate's
 * copytruncate) begins again with a header; a deleted one is created again.
 * Files are created relative to their directory, opened once without
 * following a symlink (base/safe_file.h).
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace/writer.h"
#include "base/decode.h"
#include "base/names.h"
#include "base/safe_file.h"
#include "base/sanitize.h"

#define BUF_SIZE (1 << 20)
#define ROW_MAX 2048		/* far above the longest possible row */

struct csv_writer {
	int fd;			/* the file being written; -1 once lost */
	int dirfd;		/* the directory it is in; -1 for stdout */
	bool is_stdout;
	bool seekable;		/* a regular file: it can be cut back to its last complete row */
	enum csv_mode mode;
	bool force;
	bool existed;		/* CSV_ATOMIC: a file had the name at open; a failure leaves it as it was */
	char path[4096];	/* as given, for messages */
	char name[256];		/* its last component, in dirfd */
	struct safe_tmp tmp;	/* CSV_ATOMIC: where rows go until commit */
	dev_t dev;		/* the file being written */
	ino_t ino;
	unsigned long long size;	/* bytes of whole rows in it, the header included */
	int err;		/* first write error, sticky */
	char msg[4400];
	size_t used;
	char buf[BUF_SIZE];
};

/* ---- formatting ---- */

struct out {
	char *p, *end;
};

static void put_char(struct out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

/* n bytes at once, when they fit (they always do within ROW_MAX; put_char's rule otherwise) */
static void put_mem(struct out *o, const char *s, size_t n)
{
	if ((size_t)(o->end - o->p) >= n) {
		/* cells are short: a loop beats a call to memcpy */
		for (size_t i = 0; i < n; i++)
			o->p[i] = s[i];
		o->p += n;
	} else {
		while (n--)
			put_char(o, *s++);
	}
}

/* decimal, two digits per division: timestamps have 19 of them in every row */
static void put_u64(struct out *o, unsigned long long v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24], *t = tmp + sizeof(tmp);

	while (v >= 100) {
		unsigned int d = (unsigned int)(v % 100) * 2;

		v /= 100;
		*--t = pairs[d + 1];
		*--t = pairs[d];
	}
	if (v >= 10) {
		*--t = pairs[v * 2 + 1];
		*--t = pairs[v * 2];
	} else {
		*--t = (char)('0' + v);
	}
	put_mem(o, t, (size_t)(tmp + sizeof(tmp) - t));
}

static void put_s64(struct out *o, long long v)
{
	if (v < 0) {
		put_char(o, '-');
		put_u64(o, 0ULL - (unsigned long long)v);
	} else {
		put_u64(o, (unsigned long long)v);
	}
}

static void put_hex(struct out *o, unsigned long long v, int min_digits, bool prefix)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[18], *t = tmp + sizeof(tmp);

	do
		*--t = digits[v & 15];
	while ((v >>= 4));
	while (tmp + sizeof(tmp) - t < min_digits)
		*--t = '0';
	if (prefix) {
		*--t = 'x';
		*--t = '0';
	}
	put_mem(o, t, (size_t)(tmp + sizeof(tmp) - t));
}

/* -12, +3.5: a plain decimal that a spreadsheet shows as a number, not a formula */
static bool is_number(const char *s)
{
	size_t digits;

	s += *s == '-' || *s == '+';
	digits = strspn(s, "0123456789");
	s += digits;
	if (*s == '.')
		s++, digits += strspn(s, "0123456789"), s += strspn(s, "0123456789");
	return digits && !*s;
}

/*
 * A text cell. Control characters, the invisible ones that reorder or hide
 * text (term_unsafe_char()) and bytes that are not valid UTF-8 become '?',
 * so the trace is valid UTF-8 with one row per line that reads as it is. A cell that a
 * spreadsheet would evaluate as a formula (leading = + - @, after any
 * protective quotes already there) gets one more leading "'"; the reader
 * removes exactly one, so every value round-trips.
 */
static void put_text_slow(struct out *o, const char *s, size_t maxlen)
{
	char clean[256];
	size_t n = 0, i = 0, len = strnlen(s, maxlen);
	bool quote;
	const char *q;

	while (i < len && n < sizeof(clean) - 1) {
		size_t seq = utf8_seq_len(s + i, len - i);

		if (seq == 0 || term_unsafe_char(s + i, seq)) {
			clean[n++] = '?';
			i += seq ? seq : 1;
			continue;
		}
		if (n + seq >= sizeof(clean) - 1)
			break;
		memcpy(clean + n, s + i, seq);
		n += seq;
		i += seq;
	}
	clean[n] = '\0';

	quote = strpbrk(clean, ",\"") != NULL;
	if (quote)
		put_char(o, '"');
	q = clean + strspn(clean, "'");
	if (*q && strchr("=+-@", *q) && !is_number(clean))
		put_char(o, '\'');
	for (const char *c = clean; *c; c++) {
		if (*c == '"')
			put_char(o, '"');
		put_char(o, *c);
	}
	if (quote)
		put_char(o, '"');
}

/*
 * Bytes a text cell can hold as they are: printable ASCII but the CSV
 * specials. Nearly every cell (comm, family, op, func, error and command
 * names) is made of these only, and takes the fast path below.
 */
static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != ',' && c != '"';
}

/* what makes put_text_slow() consider the spreadsheet guard (a leading quote may hide one) */
static bool formula_start(char c)
{
	return c == '\'' || c == '=' || c == '+' || c == '-' || c == '@';
}

/* A text cell: copied as it is when nothing in it needs put_text_slow()'s care. */
static void put_text(struct out *o, const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n] && plain_byte((unsigned char)s[n]))
		n++;
	/* whole string plain, not truncated by put_text_slow's 255 bytes, no formula guard needed */
	if ((n == maxlen || !s[n]) && n < 255 && !(n && formula_start(s[0])))
		put_mem(o, s, n);
	else
		put_text_slow(o, s, maxlen);
}

/* the err column: fmt_err()'s text (EIO, E600), formatted without printf (once per row) */
static void put_err(struct out *o, long long ret)
{
	unsigned long long mag = 0ULL - (unsigned long long)ret;
	const char *name;

	if (ret >= 0)
		return;
	name = mag <= (unsigned long long)LONG_MAX ? decode_errno((long)mag) : NULL;
	if (name) {
		put_text(o, name, 64);
	} else {
		put_char(o, 'E');
		put_u64(o, mag);
	}
}

/* the psp_cmd column: fmt_psp_cmd()'s text (SNP_LAUNCH_UPDATE, 0x3f), without printf */
static void put_psp_cmd(struct out *o, unsigned long cmd)
{
	const char *name = decode_psp_cmd(cmd);

	if (name)
		put_text(o, name, 64);
	else
		put_hex(o, cmd, 1, true);
}

size_t csv_format_row(char *buf, size_t len, const struct gfn_event *e)
{
	struct out o = { buf, buf + len };
	unsigned int f = e->flags;

#define SEP() put_char(&o, ',')
	put_u64(&o, e->ts_ns); SEP();
	if (f & EVF_TASK)
		put_u64(&o, e->cpu);
	SEP();
	if (f & EVF_TASK)
		put_u64(&o, e->pid);
	SEP();
	if (f & EVF_TASK)
		put_text(&o, e->comm, sizeof(e->comm));
	SEP();
	if (f & EVF_VM_PID)
		put_u64(&o, e->vm_pid);
	SEP();
	if (f & EVF_VM_ID)
		put_hex(&o, e->vm_id, 16, false);
	SEP();
	put_text(&o, family_name(e->family), 32); SEP();
	put_text(&o, op_name(e->op), 32); SEP();
	put_text(&o, func_name(e->func_id), FUNC_NAME_MAX); SEP();
	if (e->iter_id)
		put_u64(&o, e->iter_id);
	SEP();
	if (f & EVF_SLOT)
		put_u64(&o, e->as_id);
	SEP();
	if (f & EVF_SLOT)
		put_u64(&o, e->slot);
	SEP();
	if (f & EVF_GFN)
		put_hex(&o, e->gfn_start, 1, true);
	SEP();
	if (f & EVF_GFN)
		put_hex(&o, e->gfn_end, 1, true);
	SEP();
	if (f & EVF_NPAGES)
		put_u64(&o, e->npages);
	SEP();
	if (f & EVF_HVA)
		put_hex(&o, e->hva_start, 1, true);
	SEP();
	if (f & EVF_HVA)
		put_hex(&o, e->hva_end, 1, true);
	SEP();
	if (f & EVF_DUR)
		put_u64(&o, e->dur_ns);
	SEP();
	if (f & EVF_RET)
		put_s64(&o, e->ret);
	SEP();
	if ((f & EVF_RET) && e->op != OP_LOST)
		put_err(&o, e->ret);
	SEP();
	if (f & EVF_FW) {
		const char *name = decode_sev_ret(e->fw_error);

		put_s64(&o, e->fw_error);
		SEP();
		if (name)
			put_text(&o, name, 64);
		else
			put_hex(&o, (unsigned int)e->fw_error, 1, true);
	} else {
		SEP();
	}
	SEP();
	if (f & EVF_PSP_CMD)
		put_psp_cmd(&o, e->psp_cmd);
	SEP();
	if (f & EVF_PAGE_TYPE) {
		const char *name = decode_page_type(e->page_type);

		if (name)
			put_text(&o, name, 32);
		else
			put_u64(&o, e->page_type);
	}
#undef SEP
	put_char(&o, '\n');
	return (size_t)(o.p - buf);
}

/* ---- the file ---- */

#define HEADER_LINE CSV_HEADER "\n"
#define HEADER_LEN (sizeof(HEADER_LINE) - 1)

static int fail(struct csv_writer *w, int err, const char *what)
{
	if (!w->err) {
		w->err = err;
		snprintf(w->msg, sizeof(w->msg), "%s: %s: %s", w->path, what, strerror(err));
	}
	return -err;
}

/* A write failed: the sticky error, and a message that says what the output now holds. */
static int fail_write(struct csv_writer *w, int err)
{
	const char *left = "";

	if (w->err)
		return -w->err;
	if (w->mode == CSV_ATOMIC && !w->is_stdout)
		left = w->existed ? "; the re-export was abandoned and the file left as it was"
				  : "; the re-export was abandoned and the file not created";
	else if (w->seekable)
		left = "; the trace ends with the last complete row that reached it";
	w->err = err;
	snprintf(w->msg, sizeof(w->msg), "%s: write failed: %s%s", w->path, strerror(err), left);
	return -err;
}

/*
 * A write of `len` bytes failed after `off` of them reached the file: cut
 * the file back to the end of the last complete row among them, so that it
 * keeps every row that is whole on disk and no part of one.
 */
static void cut_back(struct csv_writer *w, const char *p, size_t off)
{
	size_t keep = off;
	off_t end;

	while (keep && p[keep - 1] != '\n')
		keep--;
	w->size += keep;
	if (!w->seekable || keep == off)
		return;
	end = lseek(w->fd, 0, SEEK_CUR);	/* after the bytes written (O_APPEND: the end) */
	if (end >= (off_t)(off - keep) && ftruncate(w->fd, end - (off_t)(off - keep)) == 0)
		lseek(w->fd, end - (off_t)(off - keep), SEEK_SET);
}

/* Writes len bytes at the end of the file. 0, or -errno after cut_back(). */
static int append(struct csv_writer *w, const char *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(w->fd, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			cut_back(w, p, off);
			return -e;
		}
		off += (size_t)n;
	}
	w->size += len;
	return 0;
}

static int write_header(struct csv_writer *w)
{
	int rc = append(w, HEADER_LINE, HEADER_LEN);

	return rc ? fail_write(w, -rc) : 0;
}

/* Where the last complete row ends among the first `size` bytes of the file (0: none). */
static off_t last_row_end(int fd, off_t size)
{
	char chunk[4096];
	off_t pos = size, floor = size > 2 * ROW_MAX ? size - 2 * ROW_MAX : 0;

	while (pos > floor) {
		size_t n = pos - floor < (off_t)sizeof(chunk) ? (size_t)(pos - floor) : sizeof(chunk);
		ssize_t got = pread(fd, chunk, n, pos - (off_t)n);

		if (got != (ssize_t)n)
			return 0;
		for (size_t i = n; i > 0; i--)
			if (chunk[i - 1] == '\n')
				return pos - (off_t)n + (off_t)i;
		pos -= (off_t)n;
	}
	return 0;
}

/*
 * The file is shorter than what was written to it: logrotate's copytruncate
 * (or anyone's truncate) copied it away and emptied it. It goes on from its
 * last complete row; emptied, or left with less than the header, it begins
 * again with the header. With O_APPEND the next rows land at its new end.
 */
static int restart_truncated(struct csv_writer *w, off_t size)
{
	off_t keep = size ? last_row_end(w->fd, size) : 0;

	if (keep < (off_t)HEADER_LEN)
		keep = 0;
	if (keep != size && ftruncate(w->fd, keep))
		return fail(w, errno, "cannot cut back a trace truncated under gfntop");
	w->size = (unsigned long long)keep;
	return keep ? 0 : write_header(w);
}

/* A trace file of our own (not stdout, not a re-export's temporary file). */
static bool own_file(const struct csv_writer *w)
{
	return w->mode == CSV_DIRECT && !w->is_stdout && w->fd >= 0;
}

int csv_flush(struct csv_writer *w)
{
	struct stat st;
	int rc;

	if (w->err)
		return -w->err;
	if (!w->used)
		return 0;
	/* truncated since the last flush? */
	if (own_file(w) && fstat(w->fd, &st) == 0) {
		if ((unsigned long long)st.st_size < w->size && restart_truncated(w, st.st_size))
			return -w->err;
		if ((unsigned long long)st.st_size > w->size)
			w->size = (unsigned long long)st.st_size;	/* someone else appended */
	}
	rc = append(w, w->buf, w->used);
	/*
	 * Truncated while these rows were written (before them: they are the
	 * file, without a header; after them: they are gone)? Write them again
	 * after a header: a row in both the copy and the file beats a row in neither.
	 */
	if (!rc && own_file(w) && fstat(w->fd, &st) == 0 && (unsigned long long)st.st_size < w->size) {
		if (ftruncate(w->fd, 0) == 0) {
			w->size = 0;
			rc = write_header(w);
			if (!rc)
				rc = append(w, w->buf, w->used);
		}
	}
	w->used = 0;
	if (rc)
		return fail_write(w, -rc);
	return 0;
}

int csv_begin(struct csv_writer *w)
{
	return w->err ? -w->err : write_header(w);
}

int csv_write(struct csv_writer *w, const struct gfn_event *e)
{
	if (w->err)
		return -w->err;
	if (BUF_SIZE - w->used < ROW_MAX && csv_flush(w))
		return -w->err;
	w->used += csv_format_row(w->buf + w->used, ROW_MAX, e);
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* the file now being written: its identity, and whether it can be cut back */
static void adopt(struct csv_writer *w, int fd)
{
	struct stat st;

	w->fd = fd;
	w->size = 0;
	if (fstat(fd, &st) == 0) {
		w->dev = st.st_dev;
		w->ino = st.st_ino;
		w->seekable = S_ISREG(st.st_mode);
	}
}

bool csv_names_file(const char *path, const struct stat *st)
{
	struct stat out;

	if (!strcmp(path, "-"))
		return fstat(STDOUT_FILENO, &out) == 0 && S_ISREG(out.st_mode) && same_file(&out, st);
	return stat(path, &out) == 0 && same_file(&out, st);
}

/* CSV_ATOMIC: the name may be taken only by a regular file, and only with force */
static int check_replaceable(struct csv_writer *w, char *err, size_t errlen)
{
	struct stat st;

	if (fstatat(w->dirfd, w->name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", w->path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(err, errlen, "%s: is a symbolic link; refusing to write through it", w->path);
	else if (!w->force)
		snprintf(err, errlen, "%s: file exists; use --force to replace it", w->path);
	else if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "%s: not a regular file; refusing to replace it", w->path);
	else
		return w->existed = true, 0;
	return -1;
}

static bool is_kept(const struct csv_open_opts *o, int dirfd, const char *name)
{
	struct stat st;

	return o->keep && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, o->keep);
}

static struct csv_writer *new_writer(const char *shown, const struct csv_open_opts *o, char *err, size_t errlen)
{
	struct csv_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->fd = w->dirfd = w->tmp.fd = -1;
	w->mode = o->mode;
	w->force = o->force;
	snprintf(w->path, sizeof(w->path), "%s", shown);
	return w;
}

struct csv_writer *csv_open_at(int dirfd, const char *name, const char *shown,
			       const struct csv_open_opts *o, char *err, size_t errlen)
{
	struct csv_writer *w = new_writer(shown ? shown : name, o, err, errlen);
	int fd;

	if (!w)
		return NULL;
	if (!*name || strchr(name, '/') || strlen(name) >= sizeof(w->name)) {
		snprintf(err, errlen, "%s: not a file name", w->path);
		goto fail;
	}
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (w->dirfd < 0) {
		snprintf(err, errlen, "%s: %s", w->path, strerror(errno));
		goto fail;
	}
	if (is_kept(o, w->dirfd, name)) {
		snprintf(err, errlen, "%s: is the trace being read (the same file by another name); "
			 "refusing to write it", w->path);
		goto fail;
	}
	if (o->mode == CSV_ATOMIC) {
		/* the name is only taken at commit: until then an existing file stays as it is */
		if (check_replaceable(w, err, errlen))
			goto fail;
		if (safe_tmp_open(w->dirfd, &w->tmp, err, errlen))
			goto fail;
		adopt(w, w->tmp.fd);
		return w;
	}
	fd = safe_create_at(w->dirfd, name, w->path, o->force, O_RDWR | O_APPEND, err, errlen);
	if (fd < 0)
		goto fail;
	adopt(w, fd);
	return w;
fail:
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w);
	return NULL;
}

struct csv_writer *csv_open_opts(const char *path, const struct csv_open_opts *o, char *err, size_t errlen)
{
	struct csv_writer *w;
	const char *name;
	struct stat st;
	int dirfd;

	if (!strcmp(path, "-")) {
		if (o->keep && fstat(STDOUT_FILENO, &st) == 0 && same_file(&st, o->keep)) {
			snprintf(err, errlen, "<stdout>: is the trace being read; refusing to write it");
			return NULL;
		}
		w = new_writer("<stdout>", o, err, errlen);
		if (w) {
			w->is_stdout = true;
			adopt(w, STDOUT_FILENO);
		}
		return w;
	}
	dirfd = safe_parent_open(path, &name, err, errlen);
	if (dirfd < 0)
		return NULL;
	w = csv_open_at(dirfd, name, path, o, err, errlen);
	close(dirfd);
	return w;
}

struct csv_writer *csv_open(const char *path, bool force, enum csv_mode mode, char *err, size_t errlen)
{
	struct csv_open_opts o = { .force = force, .mode = mode };

	return csv_open_opts(path, &o, err, errlen);
}

int csv_check(struct csv_writer *w)
{
	struct stat st;
	char err[4300];
	int fd;

	if (w->err)
		return -w->err;
	if (!own_file(w) || fstat(w->fd, &st) || st.st_nlink > 0)
		return 0;	/* still has a name: in place, or renamed by a rotation */
	if (fstatat(w->dirfd, w->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		w->err = EEXIST;
		snprintf(w->msg, sizeof(w->msg), "%s: the trace was deleted while being written and another "
			 "file now has its name; recording stopped", w->path);
		return -w->err;
	}
	fd = safe_create_at(w->dirfd, w->name, w->path, false, O_RDWR | O_APPEND, err, sizeof(err));
	if (fd < 0) {
		w->err = errno;
		snprintf(w->msg, sizeof(w->msg), "the trace was deleted while being written and cannot be "
			 "created again: %s", err);
		return -w->err;
	}
	close(w->fd);
	adopt(w, fd);
	if (write_header(w))
		return -w->err;
	snprintf(w->msg, sizeof(w->msg), "%s: the trace was deleted while being written (the rows it held "
		 "are gone); recording goes on in a new file of that name", w->path);
	return CSV_RECREATED;
}

int csv_reopen(struct csv_writer *w, bool force)
{
	char err[4300];
	struct stat st;
	int fd;

	if (w->is_stdout || w->mode != CSV_DIRECT)
		return 0;
	if (csv_flush(w))
		return -w->err;
	if (fstatat(w->dirfd, w->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (st.st_dev == w->dev && st.st_ino == w->ino)
			return 0;	/* nothing was rotated: this is still the file */
		/* an empty regular file in our place is logrotate's "create": take it over */
		if (S_ISREG(st.st_mode) && st.st_size == 0)
			force = true;
	}
	fd = safe_create_at(w->dirfd, w->name, w->path, force, O_RDWR | O_APPEND, err, sizeof(err));
	if (fd < 0) {
		int e = errno;

		snprintf(w->msg, sizeof(w->msg), "%s (reopening after SIGHUP; the rows so far are in the "
			 "file that had the name)", err);
		return -e;
	}
	fsync(w->fd);
	close(w->fd);
	adopt(w, fd);
	return write_header(w);
}

int csv_close(struct csv_writer *w, bool commit)
{
	struct stat st;
	int err;

	if (!w)
		return 0;
	err = commit ? csv_flush(w) : 0;
	if (w->is_stdout)
		return err;
	if (w->mode == CSV_ATOMIC) {
		if (!commit || err) {
			safe_tmp_discard(w->dirfd, &w->tmp);
		} else if ((err = safe_tmp_commit(w->dirfd, &w->tmp, w->name, w->force)) == -EEXIST) {
			snprintf(w->msg, sizeof(w->msg), "%s: file exists (it appeared while the trace was being "
				 "written); nothing written", w->path);
			w->err = EEXIST;
		} else if (err) {
			fail(w, -err, "cannot move the finished trace into place");
		}
	} else if (w->fd >= 0) {
		if (commit && fsync(w->fd) && !err && errno != EINVAL)
			err = fail(w, errno, "fsync failed");
		/* recording never began: remove what open created, if the name is still ours */
		if (!commit && fstatat(w->dirfd, w->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_dev == w->dev && st.st_ino == w->ino)
			unlinkat(w->dirfd, w->name, 0);
		if (close(w->fd) && commit && !err)
			err = fail(w, errno, "close failed");
	}
	w->fd = -1;
	close(w->dirfd);
	w->dirfd = -1;
	return err;
}

void csv_free(struct csv_writer *w)
{
	free(w);
}

int csv_error(const struct csv_writer *w)
{
	return w->err;
}

const char *csv_strerror(const struct csv_writer *w)
{
	return w->msg;
}

unsigned long long csv_bytes(const struct csv_writer *w)
{
	return w->size + w->used;
}

const char *csv_path(const struct csv_writer *w)
{
	return w->path;
}
