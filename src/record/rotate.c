// SPDX-License-Identifier: GPL-2.0
/* Rotation of the recorder's trace over the CSV writer (trace/writer.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record/rotate.h"
#include "record/log.h"
#include "trace/writer.h"

#define ROW_MAX_BYTES 2048		/* no row is longer (trace/writer.c's ROW_MAX) */
#define RETRY_NS (5ULL * 1000000000)	/* after a write failure, a new file this often */
#define NAME_PREFIX "trace-"
#define NAME_SUFFIX ".csv"

struct rotor {
	struct rotor_config cfg;
	struct csv_writer *w;		/* NULL after a failure, until a new file works */
	char name[64];			/* the current file's name in cfg.dir */
	uint64_t opened_ns;
	uint64_t unwritten;		/* events since the failure, not in any file */
	uint64_t unwritten_since_ns;
	uint64_t retry_ns;
	uint64_t rows, files;
	uint64_t last_name_ns;		/* names only ever sort later, whatever the clocks say */
	bool lazy;			/* the first file waits for the first row (a replay: its time) */
	bool closing;			/* in before_close: rows go to the closing file */
	char dir[4096];
};

/*
 * A new file named by the time, later than the last one's name; a name taken
 * (a restart in the same microsecond) moves on by 1 us.
 */
static struct csv_writer *create_next(struct rotor *r, uint64_t now_ns, char *err, size_t errlen)
{
	if (r->last_name_ns && now_ns < r->last_name_ns + 1000)
		now_ns = r->last_name_ns + 1000;
	for (int tries = 0; tries < 1000; tries++, now_ns += 1000) {
		const struct csv_open_opts opts = { .mode = CSV_DIRECT };
		char stamp[32], path[4200];
		struct csv_writer *w;

		utc_stamp(stamp, sizeof(stamp), now_ns);
		snprintf(r->name, sizeof(r->name), NAME_PREFIX "%s" NAME_SUFFIX, stamp);
		snprintf(path, sizeof(path), "%s/%s", r->dir, r->name);
		/* in the directory opened once: nothing on the way to it is looked up again */
		w = csv_open_at(r->cfg.dirfd, r->name, path, &opts, err, errlen);
		if (!w) {
			if (strstr(err, "file exists"))
				continue;
			return NULL;
		}
		if (csv_begin(w)) {
			snprintf(err, errlen, "%s", csv_strerror(w));
			csv_close(w, false);	/* a file without its header goes */
			csv_free(w);
			return NULL;
		}
		r->files++;
		r->last_name_ns = now_ns;
		return w;
	}
	snprintf(err, errlen, "%s: no free file name", r->dir);
	return NULL;
}

static void prune(struct rotor *r)
{
	int n = prune_files(r->cfg.dirfd, NAME_PREFIX, NAME_SUFFIX, r->w ? r->name : NULL, &r->cfg.keep);

	if (n < 0)
		log_line(LOGL_WARN, "%s: cannot list old traces: %s", r->dir, strerror(-n));
}

struct rotor *rotor_open(const struct rotor_config *cfg, uint64_t now_ns, char *err, size_t errlen)
{
	struct rotor *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	snprintf(r->dir, sizeof(r->dir), "%s", cfg->dir);
	if (!now_ns) {
		r->lazy = true;
		return r;
	}
	r->w = create_next(r, now_ns, err, errlen);
	if (!r->w) {
		free(r);
		return NULL;
	}
	r->opened_ns = now_ns;
	prune(r);
	return r;
}

/* The failure is logged once; the file keeps its complete rows. */
static void broke(struct rotor *r, uint64_t now_ns)
{
	log_line(LOGL_ERR, "%s; recording goes on without a trace, a new file is tried every %llus",
		 csv_strerror(r->w), (unsigned long long)(RETRY_NS / 1000000000ULL));
	csv_close(r->w, true);
	csv_free(r->w);
	r->w = NULL;
	r->name[0] = '\0';
	r->unwritten_since_ns = now_ns;
	r->retry_ns = now_ns + RETRY_NS;
}

static void write_row(struct rotor *r, const struct gfn_event *e, uint64_t now_ns)
{
	if (r->lazy) {
		char err[4400];

		r->lazy = false;
		r->w = create_next(r, now_ns, err, sizeof(err));
		if (!r->w) {
			log_line(LOGL_ERR, "%s", err);
			r->unwritten_since_ns = now_ns;
			r->retry_ns = now_ns + RETRY_NS;
		} else {
			r->opened_ns = now_ns;
			prune(r);
		}
	}
	if (!r->w) {
		r->unwritten++;
		return;
	}
	if (csv_write(r->w, e)) {
		broke(r, now_ns);
		r->unwritten++;
		return;
	}
	r->rows++;
}

/* The first row of a file after a failure: how many events no file holds. */
static void write_unwritten(struct rotor *r, uint64_t now_ns)
{
	struct gfn_event lost = { .ts_ns = r->unwritten_since_ns, .op = OP_LOST, .flags = EVF_RET };

	if (!r->unwritten)
		return;
	lost.ret = (int64_t)r->unwritten;
	log_line(LOGL_NOTICE, "%s/%s: recording to a trace again; %llu events were not written (an op=lost row says so)",
		 r->dir, r->name, (unsigned long long)r->unwritten);
	r->unwritten = 0;
	write_row(r, &lost, now_ns);
}

bool rotor_due(const struct rotor *r, uint64_t now_ns)
{
	if (!r->w)
		return false;
	if (r->cfg.max_age_ns && now_ns >= r->opened_ns + r->cfg.max_age_ns)
		return true;
	/* room for this row and for the lost row before_close may add */
	return r->cfg.max_bytes && csv_bytes(r->w) + 2 * ROW_MAX_BYTES > r->cfg.max_bytes;
}

void rotor_rotate(struct rotor *r, uint64_t now_ns)
{
	char err[4400];
	struct csv_writer *next;

	r->lazy = false;
	if (r->w) {
		int rc;

		if (r->cfg.before_close && !r->closing) {
			r->closing = true;
			r->cfg.before_close(r->cfg.ctx);
			r->closing = false;
		}
		if (!r->w)
			goto next;	/* it failed meanwhile */
		rc = csv_close(r->w, true);
		if (rc)
			log_line(LOGL_ERR, "%s", csv_strerror(r->w));
		csv_free(r->w);
		r->w = NULL;
		if (rc) {
			r->unwritten_since_ns = now_ns;
			r->retry_ns = now_ns + RETRY_NS;
			return;
		}
	}
next:
	next = create_next(r, now_ns, err, sizeof(err));
	if (!next) {
		if (!r->unwritten_since_ns || r->retry_ns <= now_ns)
			log_line(LOGL_ERR, "%s", err);
		r->name[0] = '\0';
		if (!r->unwritten)
			r->unwritten_since_ns = now_ns;
		r->retry_ns = now_ns + RETRY_NS;
		return;
	}
	r->w = next;
	r->opened_ns = now_ns;
	write_unwritten(r, now_ns);
	prune(r);
}

void rotor_write(struct rotor *r, const struct gfn_event *e, uint64_t now_ns)
{
	if (!r->closing && rotor_due(r, now_ns))
		rotor_rotate(r, now_ns);
	write_row(r, e, now_ns);
}

void rotor_tick(struct rotor *r, uint64_t now_ns)
{
	if (r->lazy)
		return;
	if (!r->w) {
		if (now_ns >= r->retry_ns)
			rotor_rotate(r, now_ns);
		return;
	}
	if (rotor_due(r, now_ns)) {
		rotor_rotate(r, now_ns);	/* old enough: an idle host gets its hourly file too */
		return;
	}
	if (csv_flush(r->w)) {
		broke(r, now_ns);
		return;
	}
	/* deleted under the recorder: made again (said); its name taken by another file: a new one */
	switch (csv_check(r->w)) {
	case 0:
		break;
	case CSV_RECREATED:
		log_line(LOGL_WARN, "%s", csv_strerror(r->w));
		break;
	default:
		log_line(LOGL_ERR, "%s; going on in a new file", csv_strerror(r->w));
		csv_close(r->w, true);
		csv_free(r->w);
		r->w = NULL;
		rotor_rotate(r, now_ns);
		break;
	}
}

int rotor_close(struct rotor *r)
{
	int rc = 0;

	if (!r)
		return 0;
	if (r->w) {
		if (csv_close(r->w, true)) {
			log_line(LOGL_ERR, "%s", csv_strerror(r->w));
			rc = -1;
		}
		csv_free(r->w);
		r->w = NULL;
	}
	if (r->unwritten) {
		log_line(LOGL_ERR, "%llu events were not written to any trace", (unsigned long long)r->unwritten);
		rc = -1;
	}
	return rc;
}

void rotor_free(struct rotor *r)
{
	free(r);
}

const char *rotor_current(const struct rotor *r)
{
	return r->name;
}

uint64_t rotor_rows(const struct rotor *r)
{
	return r->rows;
}

uint64_t rotor_files(const struct rotor *r)
{
	return r->files;
}
