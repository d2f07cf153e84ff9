// SPDX-License-Identifier: GPL-2.0
/*
 * Reader of the kernel's aggregates (include/gfntop/kagg.h, bpf/kagg.bpf.h).
 *
 * The maps hold sums since they were created, per CPU; nothing is ever
 * deleted from them (a read-and-delete would lose what a CPU adds between the
 * two). Each read sums a key's CPUs and compares with what the previous read
 * saw (a shadow table here): the difference is what the row gained. Both
 * maps are read with batched lookups, a few system calls per read whatever
 * the number of rows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "sources/kagg.h"

#define ROWS_MAX 8192		/* bpf/kagg.bpf.h: KAGG_MAX_ROWS */
#define HIST_MAX 65536		/* KAGG_MAX_HIST */
#define CACHE_ENTRIES 512	/* KAGG_CACHE */
#define BATCH 1024		/* keys per lookup call */

/* bpf/kagg.bpf.h: struct kagg_cached */
struct cached {
	struct gfn_agg_key key;
	struct gfn_agg_val val;
};

/* a key's sums as the last read saw them, and as this read finds them (both maps, every CPU) */
struct row_seen {
	struct gfn_agg_key key;
	struct gfn_agg_val seen, now;
	bool used;
};

struct hist_seen {
	struct gfn_agg_hkey key;
	uint64_t n;
	bool used;
};

struct kagg_source {
	struct kagg_maps m;
	counts_fn fn;
	void *ctx;
	int ncpus;
	/* shadows: open addressing, twice the map's entries, never full */
	struct row_seen *rows;
	uint32_t *row_list;		/* the used entries of rows, in the order they came */
	uint32_t nrows;
	uint64_t counted;		/* operations handed on */
	struct hist_seen *hist;
	/* one batch: keys, and each key's values for every possible CPU */
	void *keys;
	void *vals;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_words(const void *p, size_t n)
{
	const uint64_t *w = p;
	uint64_t h = 0;

	for (size_t i = 0; i < n / 8; i++)
		h = mix64(h ^ w[i]);
	return h;
}

static struct row_seen *row_slot(struct kagg_source *ks, const struct gfn_agg_key *k)
{
	const size_t size = 2 * ROWS_MAX;

	for (size_t h = hash_words(k, sizeof(*k)) % size;; h = (h + 1) % size) {
		struct row_seen *r = &ks->rows[h];

		if (!r->used) {
			r->used = true;
			r->key = *k;
			r->seen.min_gfn = r->now.min_gfn = UINT64_MAX;
			ks->row_list[ks->nrows++] = (uint32_t)h;
			return r;
		}
		if (!memcmp(&r->key, k, sizeof(*k)))
			return r;
	}
}

static struct hist_seen *hist_slot(struct kagg_source *ks, const struct gfn_agg_hkey *k)
{
	const size_t size = 2 * HIST_MAX;

	for (size_t h = hash_words(k, sizeof(*k)) % size;; h = (h + 1) % size) {
		struct hist_seen *e = &ks->hist[h];

		if (!e->used) {
			e->used = true;
			e->key = *k;
			return e;
		}
		if (!memcmp(&e->key, k, sizeof(*k)))
			return e;
	}
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* What one CPU counted under key k adds to this read's sums. */
static void row_add(struct kagg_source *ks, const struct gfn_agg_key *k, const struct gfn_agg_val *v)
{
	struct gfn_agg_val *now = &row_slot(ks, k)->now;

	now->ops += v->ops;
	now->pages += v->pages;
	now->errors += v->errors;
	if (v->min_gfn < now->min_gfn)
		now->min_gfn = v->min_gfn;
}

/* Every row that gained since the last read: hands on the difference. */
static void rows_changed(struct kagg_source *ks, uint64_t ts)
{
	for (uint32_t i = 0; i < ks->nrows; i++) {
		struct row_seen *r = &ks->rows[ks->row_list[i]];
		struct gfn_counts c = { .key = r->key, .bucket = -1, .ts_ns = ts, .min_gfn = r->now.min_gfn };

		if (r->now.ops != r->seen.ops || r->now.min_gfn != r->seen.min_gfn) {
			c.ops = r->now.ops - r->seen.ops;
			c.pages = r->now.pages - r->seen.pages;
			c.errors = r->now.errors - r->seen.errors;
			ks->counted += c.ops;
			ks->fn(ks->ctx, &c);
		}
		r->seen = r->now;
		r->now = (struct gfn_agg_val){ .min_gfn = UINT64_MAX };
	}
}

static void hist_changed(struct kagg_source *ks, const struct gfn_agg_hkey *k, const uint64_t *v,
			 uint64_t ts)
{
	struct hist_seen *seen = hist_slot(ks, k);
	struct gfn_counts c = { .key = k->key, .bucket = (int)k->bucket, .ts_ns = ts,
				.min_gfn = UINT64_MAX };
	uint64_t n = 0;

	for (int cpu = 0; cpu < ks->ncpus; cpu++)
		n += v[cpu];
	if (n == seen->n)
		return;
	c.timed = n - seen->n;
	seen->n = n;
	ks->fn(ks->ctx, &c);
}

enum which_map { MAP_CACHE, MAP_ROWS, MAP_HIST };

/* Every entry of one per-CPU map, BATCH keys per call, added to this read's sums. */
static int read_map(struct kagg_source *ks, enum which_map which, uint64_t ts)
{
	static const size_t ksizes[] = { sizeof(__u32), sizeof(struct gfn_agg_key), sizeof(struct gfn_agg_hkey) };
	static const size_t vsizes[] = { sizeof(struct cached), sizeof(struct gfn_agg_val), sizeof(uint64_t) };
	int fd = which == MAP_CACHE ? ks->m.cache_fd : which == MAP_ROWS ? ks->m.rows_fd : ks->m.hist_fd;
	size_t ksize = ksizes[which], vsize = vsizes[which];
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 token = 0;
	bool first = true;

	for (;;) {
		__u32 n = BATCH;
		int err = bpf_map_lookup_batch(fd, first ? NULL : &token, &token, ks->keys, ks->vals, &n,
					       &opts);

		if (err && errno != ENOENT)
			return -errno;
		for (__u32 i = 0; i < n; i++) {
			const void *key = (const char *)ks->keys + i * ksize;
			const char *val = (const char *)ks->vals + i * vsize * (size_t)ks->ncpus;

			switch (which) {
			case MAP_CACHE:
				for (int cpu = 0; cpu < ks->ncpus; cpu++) {
					const struct cached *c = (const void *)(val + (size_t)cpu * vsize);

					if (c->val.ops)
						row_add(ks, &c->key, &c->val);
				}
				break;
			case MAP_ROWS:
				for (int cpu = 0; cpu < ks->ncpus; cpu++)
					row_add(ks, key, (const void *)(val + (size_t)cpu * vsize));
				break;
			case MAP_HIST:
				hist_changed(ks, key, (const void *)val, ts);
				break;
			}
		}
		if (err)
			return 0;	/* ENOENT: that was the last batch */
		first = false;
	}
}

/*
 * The rows first, then the histogram: an event counted between the two
 * reads shows in this interval's histogram and the next one's counts; the
 * totals at the end, read once the probes are detached, are exact.
 */
int kagg_read(struct kagg_source *ks)
{
	uint64_t ts = now_ns();
	int err = read_map(ks, MAP_CACHE, ts);

	if (!err)
		err = read_map(ks, MAP_ROWS, ts);
	if (!err)
		rows_changed(ks, ts);
	if (!err)
		err = read_map(ks, MAP_HIST, ts);
	*ks->m.samples = KAGG_SAMPLES_PER_READ;
	return err;
}

uint64_t kagg_counted(const struct kagg_source *ks)
{
	return ks->counted;
}

uint64_t kagg_table_full(const struct kagg_source *ks)
{
	return *ks->m.full;
}

struct kagg_source *kagg_open(const struct kagg_maps *m, counts_fn fn, void *ctx, char *err,
			      size_t errlen)
{
	struct kagg_source *ks = calloc(1, sizeof(*ks));
	size_t vmax = sizeof(struct cached);	/* the largest of the three values */

	if (!ks) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ks->m = *m;
	ks->fn = fn;
	ks->ctx = ctx;
	ks->ncpus = libbpf_num_possible_cpus();
	if (ks->ncpus <= 0) {
		snprintf(err, errlen, "cannot count the possible CPUs: %s", strerror(-ks->ncpus));
		free(ks);
		return NULL;
	}
	/* calloc of this size maps fresh zero pages: only the slots used become resident */
	ks->rows = calloc(2 * ROWS_MAX, sizeof(*ks->rows));
	ks->row_list = calloc(2 * ROWS_MAX, sizeof(*ks->row_list));
	ks->hist = calloc(2 * HIST_MAX, sizeof(*ks->hist));
	ks->keys = calloc(BATCH, sizeof(struct gfn_agg_hkey));
	ks->vals = calloc((size_t)BATCH * (size_t)ks->ncpus, vmax);
	if (!ks->rows || !ks->row_list || !ks->hist || !ks->keys || !ks->vals) {
		snprintf(err, errlen, "out of memory");
		kagg_close(ks);
		return NULL;
	}
	*ks->m.samples = KAGG_SAMPLES_PER_READ;
	return ks;
}

void kagg_close(struct kagg_source *ks)
{
	if (!ks)
		return;
	free(ks->rows);
	free(ks->row_list);
	free(ks->hist);
	free(ks->keys);
	free(ks->vals);
	free(ks);
}
