// SPDX-License-Identifier: GPL-2.0
/*
 * CSV trace writer. Rows are formatted by hand into a large buffer (no printf
 * on the hot path) and written with write(2) at interval boundaries, when the
 * buffer fills, and on exit. The buffer only ever holds whole rows, so when a
 * write fails part-way the file is truncated back to the end of the last
 * whole row that reached it: a trace on disk is always valid.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace/writer.h"
#include "base/decode.h"
#include "base/names.h"
#include "base/sanitize.h"

#define BUF_SIZE (1 << 20)
#define ROW_MAX 2048		/* far above the longest possible row */

struct csv_writer {
	int fd;
	bool is_stdout;
	enum csv_mode mode;
	char path[4096];
	char tmp_path[4096];	/* CSV_ATOMIC: where rows go until commit */
	unsigned long long committed;	/* bytes of whole rows in the file */
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
 * A text cell. Control characters and bytes that are not valid UTF-8 become
 * '?', so the trace is valid UTF-8 with one row per line. A cell that a
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
		unsigned char c = (unsigned char)s[i];
		size_t seq = utf8_seq_len(s + i, len - i);

		if (c < 0x20 || c == 0x7f || seq == 0) {
			clean[n++] = '?';
			i++;
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

static int fail(struct csv_writer *w, int err, const char *what)
{
	if (!w->err) {
		w->err = err;
		snprintf(w->msg, sizeof(w->msg), "%s: %s: %s", w->path, what, strerror(err));
	}
	return -err;
}

/* O_NOFOLLOW refuses a symlink in the last component; O_EXCL refuses anything existing. */
static int create_exclusive(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

static int claim(const char *path, bool force, char *err, size_t errlen)
{
	struct stat st;
	int fd = create_exclusive(path);

	if (fd >= 0 || errno != EEXIST)
		goto out;
	if (lstat(path, &st) != 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s: is a symbolic link; refusing to write through it", path);
		return -1;
	}
	if (!force) {
		snprintf(err, errlen, "%s: file exists; use --force to replace it", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file; refusing to replace it", path);
		return -1;
	}
	/* replace: remove the old file, then create afresh (still O_EXCL|O_NOFOLLOW, so a
	 * symlink planted in between is refused, not followed) */
	if (unlink(path) && errno != ENOENT) {
		snprintf(err, errlen, "%s: cannot replace: %s", path, strerror(errno));
		return -1;
	}
	fd = create_exclusive(path);
out:
	if (fd < 0)
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
	return fd;
}

struct csv_writer *csv_open(const char *path, bool force, enum csv_mode mode, char *err, size_t errlen)
{
	struct csv_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->mode = mode;
	if (!strcmp(path, "-")) {
		w->is_stdout = true;
		w->fd = STDOUT_FILENO;
		snprintf(w->path, sizeof(w->path), "<stdout>");
		return w;
	}
	w->fd = claim(path, force, err, errlen);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}
	if (mode == CSV_ATOMIC) {
		/* the claimed name stays empty until commit renames the finished file over it */
		char dir[4096];
		int tfd;

		close(w->fd);
		snprintf(dir, sizeof(dir), "%s", path);
		snprintf(w->tmp_path, sizeof(w->tmp_path), "%s/.gfntop-XXXXXX", dirname(dir));
		tfd = mkostemp(w->tmp_path, O_CLOEXEC);	/* O_EXCL, mode 0600 */
		if (tfd < 0) {
			snprintf(err, errlen, "%s: cannot create a temporary file: %s", w->tmp_path, strerror(errno));
			unlink(path);
			free(w);
			return NULL;
		}
		w->fd = tfd;
	}
	return w;
}

int csv_flush(struct csv_writer *w)
{
	size_t off = 0;

	if (w->err)
		return -w->err;
	while (off < w->used) {
		ssize_t n = write(w->fd, w->buf + off, w->used - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			/* drop the partial rows so the file ends on a row boundary */
			if (!w->is_stdout && ftruncate(w->fd, (off_t)w->committed) == 0)
				lseek(w->fd, (off_t)w->committed, SEEK_SET);
			w->used = 0;
			return fail(w, e, "write failed; the trace was cut back to its last complete row");
		}
		off += (size_t)n;
	}
	w->committed += w->used;
	w->used = 0;
	return 0;
}

int csv_begin(struct csv_writer *w)
{
	memcpy(w->buf, CSV_HEADER "\n", sizeof(CSV_HEADER));
	w->used = sizeof(CSV_HEADER);
	return csv_flush(w);
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

int csv_reopen(struct csv_writer *w, bool force)
{
	char err[4300];
	struct stat st;
	int fd;

	if (w->is_stdout || w->mode != CSV_DIRECT)
		return 0;
	if (csv_flush(w))
		return -w->err;
	fsync(w->fd);
	close(w->fd);
	/* an empty regular file in our place is logrotate's "create": take it over */
	if (!force && lstat(w->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		force = true;
	fd = claim(w->path, force, err, sizeof(err));
	if (fd < 0) {
		w->fd = -1;
		w->err = EEXIST;
		snprintf(w->msg, sizeof(w->msg), "%s (reopening after SIGHUP)", err);
		return -w->err;
	}
	w->fd = fd;
	w->committed = 0;
	return csv_begin(w);
}

int csv_close(struct csv_writer *w, bool commit)
{
	int err;

	if (!w)
		return 0;
	err = commit ? csv_flush(w) : 0;
	if (w->fd < 0)		/* lost at a failed reopen; already reported */
		return err ? err : -w->err;
	if (!w->is_stdout && fsync(w->fd) && commit && !err && errno != EINVAL)
		err = fail(w, errno, "fsync failed");
	if (!w->is_stdout && close(w->fd) && commit && !err)
		err = fail(w, errno, "close failed");
	if (w->mode == CSV_ATOMIC && !w->is_stdout) {
		if (commit && !err && rename(w->tmp_path, w->path))
			err = fail(w, errno, "cannot move the finished trace into place");
		if (!commit || err) {
			unlink(w->tmp_path);
			unlink(w->path);	/* the empty placeholder claimed at open */
		}
	}
	return err;
}

void csv_free(struct csv_writer *w)
{
	free(w);
}

const char *csv_strerror(const struct csv_writer *w)
{
	return w->msg;
}

unsigned long long csv_bytes(const struct csv_writer *w)
{
	return w->committed + w->used;
}

const char *csv_path(const struct csv_writer *w)
{
	return w->path;
}
