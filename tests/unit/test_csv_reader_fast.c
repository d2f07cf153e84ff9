// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader's fast path: plain rows split in place (by each splitter:
 * AVX-512, AVX2, SSE2 and the portable one) must give exactly what the
 * byte-by-byte state machine gives, events and errors alike, wherever the
 * read chunks begin and end.
 *
 * The reader is built here a second time, all its pieces included, with
 * its entry points and the functions its pieces share renamed, so that it
 * can be made to use each of its splitters in turn (split_forced) and its
 * own functions (the state machine, the number parsers) can be set side by
 * side. test_csv_reader_portable.c builds this file again with
 * CSV_SCALAR_ONLY: the reader of a build without SSE2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "trace/writer.h"
#include "base/names.h"
#include "base/sanitize.h"
#include "trace/reader.h"

#define csv_replay_mem copy_replay_mem
#define csv_replay_file copy_replay_file
#define csv_replay_fd copy_replay_fd
#define csv_replay_opened copy_replay_opened
/* the functions the copy's pieces share: the program's are linked in too; never #undef'd, the tests use the copy's */
#define csv_refill copy_refill
#define csv_more_input copy_more_input
#define csv_pick_splitter copy_pick_splitter
#define csv_fail_at copy_fail_at
#define csv_field_pos copy_field_pos
#define csv_read_row copy_read_row
#define csv_cache_get copy_cache_get
#define csv_cache_put copy_cache_put
#define csv_replay_rows copy_replay_rows
#include "trace/csv_input.c"
#include "trace/csv_split.c"
#include "trace/csv_rows.c"
#include "trace/csv_names.c"
#include "trace/csv_convert.c"
#include "trace/reader.c"
#undef csv_replay_mem
#undef csv_replay_file
#undef csv_replay_fd
#undef csv_replay_opened

int copy_replay_mem(const char *name, const char *data, size_t len, event_fn fn, void *ctx,
		    char *err, size_t errlen);
int copy_replay_file(const char *path, event_fn fn, void *ctx, char *err, size_t errlen);
int copy_replay_fd(const char *name, int fd, event_fn fn, void *ctx, char *err, size_t errlen);

/* ---- helpers ---- */

struct events {
	struct gfn_event *ev;
	size_t n, cap;
};

static int keep(void *ctx, struct gfn_event *e)
{
	struct events *s = ctx;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
		assert_non_null(s->ev);
	}
	s->ev[s->n++] = *e;
	return 0;
}

struct outcome {
	int rc;
	char err[512];
	struct events ev;
};

/*
 * The program's reader (with the splitter it picks): in memory, from a file
 * read(2) in 1 MiB chunks (csv_replay_fd), the whole file mapped
 * (csv_replay_file), a pipe. Then the copy with each splitter in turn, in
 * memory, from a file and mapped: WAY_SPLIT + 3 * splitter + one of those.
 */
enum way { WAY_MEM, WAY_FILE, WAY_MAPPED, WAY_PIPE, WAY_SPLIT, WAY_COUNT = WAY_SPLIT + 3 * SPLIT_COUNT };

static const char *const input_names[] = { "mem", "file", "mapped" };

static const char *way_name(enum way w)
{
	static char name[64];

	if (w < WAY_SPLIT)
		return w == WAY_PIPE ? "pipe" : input_names[w];
	snprintf(name, sizeof(name), "%s %s", splitters[(w - WAY_SPLIT) / 3].name,
		 input_names[(w - WAY_SPLIT) % 3]);
	return name;
}

/* the splitter way w forces, or -1 */
static int way_splitter(enum way w)
{
	return w < WAY_SPLIT ? -1 : ((int)w - WAY_SPLIT) / 3;
}

/* false for the splitters this build or this CPU lacks */
static bool way_usable(enum way w)
{
	return w < WAY_SPLIT || splitter_usable((enum splitter)way_splitter(w));
}

static char tmp_path[64];

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* the trace on standard input through a pipe, written in pieces of odd sizes: short reads */
static int replay_pipe(const char *data, size_t len, struct outcome *o)
{
	int p[2], saved = dup(STDIN_FILENO), rc, status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t off = 0, piece = 1;

		close(p[0]);
		while (off < len) {
			size_t n = piece < len - off ? piece : len - off;
			ssize_t w = write(p[1], data + off, n);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
			piece = piece * 7 % 70001 + 1;
		}
		_exit(0);
	}
	close(p[1]);
	dup2(p[0], STDIN_FILENO);
	close(p[0]);
	rc = csv_replay_file("-", keep, &o->ev, o->err, sizeof(o->err));
	dup2(saved, STDIN_FILENO);
	close(saved);
	waitpid(pid, &status, 0);
	return rc;
}

static void replay_way(enum way w, const char *data, size_t len, struct outcome *o)
{
	bool copy = w >= WAY_SPLIT;
	int input = copy ? ((int)w - WAY_SPLIT) % 3 : (int)w;

	memset(o, 0, sizeof(*o));
	assert_true(way_usable(w));
	split_forced = way_splitter(w);
	if (w == WAY_PIPE) {
		o->rc = replay_pipe(data, len, o);
	} else if (input == WAY_MEM) {
		o->rc = (copy ? copy_replay_mem : csv_replay_mem)("t.csv", data, len, keep, &o->ev, o->err,
								  sizeof(o->err));
	} else if (input == WAY_FILE) {
		int fd;

		write_file(tmp_path, data, len);
		fd = open(tmp_path, O_RDONLY);
		assert_true(fd >= 0);
		o->rc = (copy ? copy_replay_fd : csv_replay_fd)(tmp_path, fd, keep, &o->ev, o->err,
								sizeof(o->err));
		close(fd);
	} else {
		write_file(tmp_path, data, len);
		o->rc = (copy ? copy_replay_file : csv_replay_file)(tmp_path, keep, &o->ev, o->err,
								    sizeof(o->err));
	}
	split_forced = -1;
}

/* file messages name the file: compare what follows the name */
static const char *after_name(const char *err)
{
	const char *p = strstr(err, ".csv:");

	if (p)
		return p + 4;
	p = strstr(err, "-:");
	return p ? p + 1 : err;
}

static void same_outcome(const struct outcome *a, const struct outcome *b, const char *what)
{
	if (a->rc != b->rc || strcmp(after_name(a->err), after_name(b->err)))
		fail_msg("%s: rc %d '%s' vs rc %d '%s'", what, a->rc, a->err, b->rc, b->err);
	assert_int_equal(a->ev.n, b->ev.n);
	for (size_t i = 0; i < a->ev.n; i++)
		if (memcmp(&a->ev.ev[i], &b->ev.ev[i], sizeof(a->ev.ev[i])))
			fail_msg("%s: event %zu differs", what, i);
}

/* every way of reading `data` gives the same events and the same message; returns the first */
static void all_ways_agree(const char *data, size_t len, struct outcome *first)
{
	struct outcome o;

	replay_way(WAY_MEM, data, len, first);
	for (int w = 1; w < WAY_COUNT; w++) {
		if (!way_usable((enum way)w))
			continue;
		replay_way((enum way)w, data, len, &o);
		same_outcome(first, &o, way_name((enum way)w));
		free(o.ev.ev);
	}
}

/* a deterministic generator, so failures repeat */
static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* a value of random magnitude: short and long numbers both */
static unsigned long long rand_value(void)
{
	unsigned int bits = (unsigned int)(next_rand() % 65);

	return bits == 64 ? next_rand() : next_rand() & ((1ULL << bits) - 1);
}

static const char *const funcs[] = {
	"kvm_unmap_gfn_range", "kvm:kvm_unmap_hva_range", "kvm_mmu_notifier_invalidate_range_start",
	"kvm_age_gfn", "sev_gmem_post_populate", "f", "=formula", "",
};

static const char *const comms[] = {
	"qemu-system-x86", "CPU 0/KVM", "a,b", "say \"hi\"", "=cmd|x", "-5", "'@x", "\xc3\xa9t\xc3\xa9",
	"kdamond.0", "",
};

static struct gfn_event rand_event(void)
{
	struct gfn_event e = { 0 };
	const char *f = funcs[next_rand() % (sizeof(funcs) / sizeof(funcs[0]))];

	e.ts_ns = rand_value();
	e.flags = (uint16_t)(next_rand() & 0xfff);
	e.cpu = (uint32_t)rand_value();
	e.pid = (uint32_t)rand_value();
	e.vm_pid = (uint32_t)rand_value();
	e.vm_id = rand_value();
	e.iter_id = rand_value();
	e.gfn_start = rand_value();
	e.gfn_end = rand_value();
	e.hva_start = rand_value();
	e.hva_end = rand_value();
	e.npages = rand_value();
	e.dur_ns = rand_value();
	e.ret = (long long)rand_value();
	e.fw_error = (int32_t)rand_value();
	e.psp_cmd = (uint32_t)(next_rand() % 0x100);
	e.page_type = (uint8_t)(next_rand() % 8);
	e.slot = (uint16_t)rand_value();
	e.as_id = (uint16_t)(next_rand() % 2);
	e.family = (uint8_t)(next_rand() % FAM_COUNT);
	e.op = (uint8_t)(1 + next_rand() % (OP_COUNT - 1));
	strncpy(e.comm, comms[next_rand() % (sizeof(comms) / sizeof(comms[0]))], sizeof(e.comm) - 1);
	e.func_id = (uint16_t)func_intern(f, strlen(f));
	if (e.op == OP_LOST) {	/* a count: the reader refuses a lost row without one, or a negative one */
		e.flags |= EVF_RET;
		e.ret = (long long)(rand_value() >> 1);
	}
	return e;
}

/* a trace of the writer's rows from random events, at least `min` bytes long */
static char *rand_trace(size_t min, size_t *len)
{
	size_t cap = min + 4096, used;
	char *t = malloc(cap);

	assert_non_null(t);
	used = (size_t)snprintf(t, cap, "%s\n", CSV_HEADER);
	while (used < min) {
		struct gfn_event e = rand_event();

		used += csv_format_row(t + used, cap - used, &e);
	}
	*len = used;
	return t;
}

/* ---- the tests ---- */

/* random rows of every kind (quoted ones among plain ones), a few MiB: every way agrees */
static void every_way_gives_the_same_events(void **state)
{
	size_t len;
	char *t = rand_trace(3 << 20, &len);
	struct outcome o;

	(void)state;
	all_ways_agree(t, len, &o);
	assert_int_equal(o.rc, 0);
	assert_true(o.ev.n > 10000);
	free(o.ev.ev);
	free(t);
}

/* and the writer's rows read back are the events that were written (the round trip) */
static void round_trip_through_every_splitter(void **state)
{
	struct gfn_event in[200];
	static char t[200 * 512];
	size_t used = (size_t)snprintf(t, sizeof(t), "%s\n", CSV_HEADER);
	struct outcome o;

	(void)state;
	for (int i = 0; i < 200; i++) {
		in[i] = rand_event();
		used += csv_format_row(t + used, sizeof(t) - used, &in[i]);
	}
	/* the program's reader, and each splitter in memory */
	for (int w = WAY_MEM; w < WAY_COUNT; w = w == WAY_MEM ? WAY_SPLIT : w + 3) {
		static char again[200 * 512];
		size_t used2 = (size_t)snprintf(again, sizeof(again), "%s\n", CSV_HEADER);
		struct outcome o2;

		if (!way_usable((enum way)w))
			continue;
		/* the first write may clean text cells: a second write and read is a fixed point */
		replay_way((enum way)w, t, used, &o);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.ev.n, 200);
		for (int i = 0; i < 200; i++)
			used2 += csv_format_row(again + used2, sizeof(again) - used2, &o.ev.ev[i]);
		replay_way((enum way)w, again, used2, &o2);
		same_outcome(&o, &o2, "round trip");
		for (int i = 0; i < 200; i++)
			assert_int_equal(o.ev.ev[i].ts_ns, in[i].ts_ns);
		free(o.ev.ev);
		free(o2.ev.ev);
	}
}

#define ROW "1795578698220404028,1,188,kvm_madvise,188,6c452f528375ff2b,mmu,unmap,kvm_unmap_gfn_range," \
	    "2,0,0,0x0,0x4,4,0x7f6628000000,0x7f6628004000,235853,0,,,,,"

/*
 * Rows of exactly `gap` bytes (at least 88): each is PAD_ROW with 0..15
 * bytes of comm and 0..20 digits of iter_id.
 */
#define PAD_ROW "1,0,1,%.*s,1,,tp,tp_unmap_hva,f,%.*s,,,,,1,,,,,,,,,\n"
#define PAD_BASE (sizeof(PAD_ROW) - 1 - 8)	/* less the two %.*s */
#define PAD_MORE 35

static size_t pad_rows(char *t, size_t gap)
{
	size_t m = (gap + PAD_BASE + PAD_MORE - 1) / (PAD_BASE + PAD_MORE), extra, used = 0;

	assert_true(gap >= 88 && m * PAD_BASE <= gap);
	extra = gap - m * PAD_BASE;
	for (size_t i = 0; i < m; i++) {
		size_t x = extra < PAD_MORE ? extra : PAD_MORE, c = x < 15 ? x : 15;

		used += (size_t)sprintf(t + used, PAD_ROW, (int)c, "ccccccccccccccc", (int)(x - c),
					"00000000000000000007" + 20 - (x - c));
		extra -= x;
	}
	assert_int_equal(used, gap);
	return used;
}

/*
 * Rows that straddle the end of the first 1 MiB read, cut at every byte of a
 * plain row, of a quoted one and of a CRLF row, and at a bad value: files
 * (one read after another), memory (one piece) and a pipe agree.
 */
static void rows_across_the_read_chunk_boundary(void **state)
{
	static const char *const tails[] = {
		ROW "\n",
		"1795578698220404028,1,188,\"kvm,madvise\",188,,tp,tp_unmap_hva,\"kvm:kvm_unmap_hva_range\",,,,,,1,"
		"0x4b3000,0x4b4000,,,,,,,\n",
		ROW "\r\n",
		"1795578698220404028,1,188,kvm_madvise,188,,mmu,unmap,f,2,0,0,0x0,0xZZ,4,,,,,,,,,\n",
	};
	const size_t chunk = 1 << 20;
	char *t = malloc(chunk + 8192);

	(void)state;
	assert_non_null(t);
	for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
		size_t tail_len = strlen(tails[k]);

		for (size_t cut = 0; cut <= tail_len; cut += k == 0 ? 1 : 5) {
			size_t used = (size_t)sprintf(t, "%s\n", CSV_HEADER), target = chunk - cut;
			struct outcome o;

			/* the tail row starts `cut` bytes before the end of the first read */
			while (target - used > 400)
				used += (size_t)sprintf(t + used, "%s\n", ROW);
			used += pad_rows(t + used, target - used);
			used += (size_t)sprintf(t + used, "%s%s\n", tails[k], ROW);
			all_ways_agree(t, used, &o);
			if (k == 3) {
				assert_int_equal(o.rc, -1);
				assert_non_null(strstr(o.err, "column 'gfn_end': invalid hex value (0x...) '0xZZ'"));
			} else {
				assert_int_equal(o.rc, 0);
				assert_string_equal(func_name(o.ev.ev[o.ev.n - 2].func_id),
						    k == 1 ? "kvm:kvm_unmap_hva_range" : "kvm_unmap_gfn_range");
			}
			free(o.ev.ev);
		}
	}
	free(t);
}

/* replays one row after the header, with splitter k and with the state machine only */
static void fast_and_slow(const char *row, enum splitter k, struct outcome *fast, struct outcome *slow)
{
	char *t = malloc(strlen(CSV_HEADER) + strlen(row) + 2);
	struct outcome *o[2] = { fast, slow };

	assert_non_null(t);
	sprintf(t, "%s\n%s", CSV_HEADER, row);
	for (int i = 0; i < 2; i++) {
		struct reader *r = calloc(1, sizeof(*r));
		struct gfn_event e;
		int rc;

		assert_non_null(r);
		memset(o[i], 0, sizeof(*o[i]));
		r->name = "t.csv";
		r->mem = t;
		r->memlen = strlen(t);
		r->fd = -1;
		r->err = o[i]->err;
		r->errlen = sizeof(o[i]->err);
		r->line = r->col = 1;
		r->split = splitters[k].fn;
		assert_int_equal(read_header(r), 0);
		rc = i == 0 ? csv_read_row(r) : read_row_slow(r);
		assert_int_equal(rc, 1);
		/* a plain row must have taken the fast path for the comparison to mean anything */
		assert_int_equal(r->plain, i == 0 && !strpbrk(row, "\"") && strchr(row, '\n'));
		o[i]->rc = r->nfields != r->ncols ? -2 : convert_row(r, &e);
		if (o[i]->rc == 0)
			keep(&o[i]->ev, &e);
		free(r);
	}
	free(t);
}

/* The same row split in place and copied by the state machine converts the same, errors included. */
static void plain_rows_convert_as_the_state_machine_does(void **state)
{
	static const char *const rows[] = {
		ROW "\n",
		ROW "\r\n",
		"1,0,1,'=cmd,1,,tp,tp_unmap_hva,'@f,,,,,,1,0x1000,0x2000,,,,,,,\n",
		"1,0,1,\xc3\xa9t\xc3\xa9,1,,tp,tp_unmap_hva,f,,,,,,1,0x1000,0x2000,,,,,,,\n",
		"18446744073709551615,4294967295,0,c,0,ffffffffffffffff,snp,launch_update,f,18446744073709551615,"
		"65535,65535,0xffffffffffffffff,0X0,0,0xABCDEF0123456789,0x1,1,-9223372036854775808,EIO,"
		"-2147483648,,SNP_LAUNCH_UPDATE,VMSA\n",
		"5,,,,,,snp,post_populate,,,,,,,,,,,-5,EIO,22,INVALID_PARAM,0x1234,9\n",
		"9,,,,,,,lost,,,,,,,,,,,12,,,,,\n",
		/* errors, each with its line:column */
		"18446744073709551616,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,f,2,0,0,0xZ,0x4,4,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,f,2,0,0,0x1,0x4,4,0x7f66280000001,0x7f6628004000,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,f,2,0,0,0x1,0x4,4,0x7f662800000g,0x7f6628004000,,,,,,,\n",
		"1,0,1,c,1,6c452f528375ff2,mmu,unmap,f,2,0,0,0x1,0x4,4,,,,,,,,,\n",
		"1,0,1,c,1,6c452f528375ff2bb,mmu,unmap,f,2,0,0,0x1,0x4,4,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,f,2,0,,0x1,0x4,4,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,f,2,0,65536,0x1,0x4,4,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,bogus,f,,,,,,1,,,,,,,,,\n",
		"1,0,1,c,1,,bogus,unmap,f,,,,,,1,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,,f,,,,,,1,,,,,,,,,\n",
		"1,0,1,c,1,,mmu,unmap,\xff,,,,,,1,,,,,,,,,\n",
		"1,0,1,comm-longer-than-15,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,--5,,,,,\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,2147483648,,,\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,NOPE,\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,256\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,\n",
		",0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,\n",
		"1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,,extra\n",
	};

	(void)state;
	for (int k = 0; k < SPLIT_COUNT; k++) {
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) && splitter_usable((enum splitter)k); i++) {
			struct outcome fast, slow;

			fast_and_slow(rows[i], (enum splitter)k, &fast, &slow);
			same_outcome(&fast, &slow, rows[i]);
			free(fast.ev.ev);
			free(slow.ev.ev);
		}
	}
}

/* a bad value on a plain row is reported at its own line and column */
static void error_columns_on_plain_rows(void **state)
{
	char t[1024];
	struct outcome o;

	(void)state;
	/* gfn_start, column 13, starts at byte 48 of the row */
	snprintf(t, sizeof(t), "%s\n%s\n1,0,1,c,1,,mmu,unmap,kvm_unmap_gfn_range,2,0,0,0xq,0x4,4,,,,,,,,,\n",
		 CSV_HEADER, ROW);
	all_ways_agree(t, strlen(t), &o);
	assert_int_equal(o.rc, -1);
	assert_string_equal(after_name(o.err), ":3:48: column 'gfn_start': invalid hex value (0x...) '0xq'");
	free(o.ev.ev);

	/* after a guard quote was taken off the cell before it */
	snprintf(t, sizeof(t), "%s\n1,0,1,'=c,x,,mmu,unmap,f,2,0,0,0x1,0x4,4,,,,,,,,,\n", CSV_HEADER);
	all_ways_agree(t, strlen(t), &o);
	assert_string_equal(after_name(o.err), ":2:11: column 'vm_pid': invalid number 'x'");
	free(o.ev.ev);

	/* CRLF rows, and the last column */
	snprintf(t, sizeof(t), "%s\r\n%s\r\n1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,X\r\n",
		 CSV_HEADER, ROW);
	all_ways_agree(t, strlen(t), &o);
	assert_string_equal(after_name(o.err), ":3:51: column 'page_type': unknown page type 'X'");
	free(o.ev.ev);

	/* a header not in schema order: cells are copied in order, columns still right */
	snprintf(t, sizeof(t), "x,%s\ny,1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,\n"
		 "y,1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,zz,0x1,0x2,,,,,,,\n", CSV_HEADER);
	all_ways_agree(t, strlen(t), &o);
	assert_int_equal(o.ev.n, 1);
	assert_string_equal(after_name(o.err), ":3:37: column 'npages': invalid number 'zz'");
	free(o.ev.ev);
}

/* the limits: long lines, many columns, long fields take the state machine and its messages */
static void limits_are_the_state_machines(void **state)
{
	size_t cap = 1 << 20, used;
	char *t = malloc(cap);
	struct outcome o;

	(void)state;
	assert_non_null(t);

	/* 256 columns (232 unknown ones) is fine, plain */
	used = (size_t)sprintf(t, "%s", CSV_HEADER);
	for (int i = 0; i < 232; i++)
		used += (size_t)sprintf(t + used, ",x%d", i);
	used += (size_t)sprintf(t + used, "\n%s", ROW);
	for (int i = 0; i < 232; i++)
		used += (size_t)sprintf(t + used, ",%d", i);
	used += (size_t)sprintf(t + used, "\n");
	all_ways_agree(t, used, &o);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.ev.n, 1);
	free(o.ev.ev);

	/* 257 in a row */
	used = (size_t)sprintf(t, "%s\n%s", CSV_HEADER, ROW);
	for (int i = 0; i < 233; i++)
		used += (size_t)sprintf(t + used, ",");
	used += (size_t)sprintf(t + used, "\n");
	all_ways_agree(t, used, &o);
	assert_string_equal(after_name(o.err), ":2:382: more than 256 columns");
	free(o.ev.ev);

	/* a valid line longer than PLAIN_MAX: an unknown column of 4096 bytes */
	used = (size_t)sprintf(t, "%s,extra\n%s,", CSV_HEADER, ROW);
	memset(t + used, 'a', 4096);
	used += 4096;
	used += (size_t)sprintf(t + used, "\n%s,b\n", ROW);
	all_ways_agree(t, used, &o);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.ev.n, 2);
	free(o.ev.ev);

	/* one more byte is a field too long, reported at the field's start */
	used = (size_t)sprintf(t, "%s,extra\n%s,", CSV_HEADER, ROW);
	memset(t + used, 'a', 4097);
	used += 4097;
	used += (size_t)sprintf(t + used, "\n");
	all_ways_agree(t, used, &o);
	assert_string_equal(after_name(o.err), ":2:150: field longer than 4096 bytes");
	free(o.ev.ev);

	/* a row over 64 KiB of many fields under the field limit */
	used = (size_t)sprintf(t, "%s", CSV_HEADER);
	for (int i = 0; i < 40; i++)
		used += (size_t)sprintf(t + used, ",x%d", i);
	used += (size_t)sprintf(t + used, "\n%s", ROW);
	for (int i = 0; i < 40; i++) {
		t[used++] = ',';
		memset(t + used, 'b', 2000);
		used += 2000;
	}
	t[used++] = '\n';
	all_ways_agree(t, used, &o);
	assert_non_null(strstr(o.err, "row longer than 65536 bytes"));
	free(o.ev.ev);

	/* quotes, NUL, a lone CR, an unterminated quote at the very end */
	{
		static const char *const bad[] = {
			"1,0,1,c\"d,1\n", "1,0,1,c\rd\n", "1,0,1,\"c\"d,1\n", "1,0,1,\"unterminated",
			"1,0,1,c", "\n" ROW "\n",	/* an empty line, then a row: only trailing ones are accepted */
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			used = (size_t)sprintf(t, "%s\n%s\n%s", CSV_HEADER, ROW, bad[i]);
			all_ways_agree(t, used, &o);
			assert_int_equal(o.rc, -1);
			free(o.ev.ev);
		}
		used = (size_t)sprintf(t, "%s\n1,0,1,c", CSV_HEADER);
		t[used++] = '\0';
		used += (size_t)sprintf(t + used, "d,1\n");
		all_ways_agree(t, used, &o);
		assert_string_equal(after_name(o.err), ":2:8: NUL byte");
		free(o.ev.ev);
	}
	free(t);
}

/*
 * More names than the name caches hold, each over and over, some quoted (a
 * comma in a func name: the state machine's rows, family, op and func looked
 * up apart): every event has the names it was written with, its PSP command
 * and page type too, as names or numbers.
 */
static void names_through_the_caches(void **state)
{
	enum { ROWS = 4000, FUNCS = 300 };
	static struct gfn_event in[ROWS];
	size_t cap = ROWS * 512, used;
	char *t = malloc(cap), name[32];
	struct outcome o;

	(void)state;
	assert_non_null(t);
	used = (size_t)snprintf(t, cap, "%s\n", CSV_HEADER);
	for (int i = 0; i < ROWS; i++) {
		struct gfn_event *e = &in[i];
		unsigned int f = (unsigned int)(next_rand() % FUNCS);

		memset(e, 0, sizeof(*e));
		e->ts_ns = (uint64_t)i + 1;
		e->flags = EVF_PSP_CMD | EVF_PAGE_TYPE;
		e->family = (uint8_t)(next_rand() % FAM_COUNT);
		e->op = (uint8_t)(1 + next_rand() % (OP_COUNT - 2));	/* not OP_LOST */
		snprintf(name, sizeof(name), f % 7 ? "func_%u" : "func,%u", f);
		e->func_id = (uint16_t)func_intern(name, strlen(name));
		e->psp_cmd = (uint32_t)(next_rand() % 0x200);	/* names, and 0x<hex> for the rest */
		e->page_type = (uint8_t)(next_rand() % 12);	/* names, and numbers above 6 */
		used += csv_format_row(t + used, cap - used, e);
	}
	for (int w = 0; w < WAY_COUNT; w++) {
		if (!way_usable((enum way)w))
			continue;
		replay_way((enum way)w, t, used, &o);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.ev.n, ROWS);
		for (int i = 0; i < ROWS; i++) {
			const struct gfn_event *e = &o.ev.ev[i];

			if (e->family != in[i].family || e->op != in[i].op || e->func_id != in[i].func_id ||
			    e->psp_cmd != in[i].psp_cmd || e->page_type != in[i].page_type)
				fail_msg("%s: row %d: %u %u %s %#x %u, want %u %u %s %#x %u", way_name((enum way)w),
					 i, e->family, e->op, func_name(e->func_id), e->psp_cmd, e->page_type,
					 in[i].family, in[i].op, func_name(in[i].func_id), in[i].psp_cmd,
					 in[i].page_type);
		}
		free(o.ev.ev);
	}
	free(t);
}

/* the SWAR number parsers against the digit-by-digit ones, at every length and edge */
static void numbers_match_the_plain_parsers(void **state)
{
	char buf[32];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		unsigned long long v = rand_value(), got = 1, want = 2, max = i % 3 ? ~0ULL : 0xffffffffULL;
		const char *end;
		int len = snprintf(buf, sizeof(buf), i % 2 ? "%llu" : "%llx", v);
		int rc_got, rc_want;

		/* now and then a byte that is no digit, or a digit more */
		if (i % 7 == 0)
			buf[next_rand() % (unsigned int)len] = "x/:@G`g 9"[next_rand() % 9];
		if (i % 11 == 0 && len < 20)
			buf[len++] = '9';
		/* the bytes past the number are at hand (masked off), or not (a loop) */
		end = i % 4 < 2 ? buf + sizeof(buf) : buf + len;
		if (i % 2) {
			rc_got = parse_u64(buf, (size_t)len, end, max, &got);
			rc_want = len > 20 ? -1 : parse_u64_checked(buf, (size_t)len, max, &want);
		} else {
			rc_got = parse_hex(buf, (size_t)len, end, false, &got);
			rc_want = len > 16 || !len ? -1 : 0;
			want = 0;
			for (int k = 0; k < len && !rc_want; k++) {
				unsigned int d = hex_digit[(unsigned char)buf[k]];

				if (!d)
					rc_want = -1;
				want = (want << 4) | (d - 1);
			}
		}
		if (rc_got != rc_want || (!rc_got && got != want))
			fail_msg("'%.*s': %d %llu, want %d %llu", len, buf, rc_got, got, rc_want, want);
	}
	{
		unsigned long long u;

		static const char n20[] = "18446744073709551615,18446744073709551616,4294967296,";
		static const char n19[] = "0000000000000000001,999,0xFFFFFFFFFFFFFFFF,0x1FFFFFFFFFFFFFFFF,0xa,";
		const char *e20 = n20 + sizeof(n20) - 1, *e19 = n19 + sizeof(n19) - 1;

		assert_int_equal(parse_u64(n20, 20, e20, ~0ULL, &u), 0);
		assert_true(u == ~0ULL);
		assert_int_equal(parse_u64(n20 + 21, 20, e20, ~0ULL, &u), -1);
		assert_int_equal(parse_u64(n20 + 42, 10, e20, 0xffffffffULL, &u), -1);
		assert_int_equal(parse_u64(n19, 19, e19, 1, &u), 0);
		assert_true(u == 1);
		/* three digits, then bytes that are no digits: not read as the number's */
		assert_int_equal(parse_u64(n19 + 20, 3, e19, ~0ULL, &u), 0);
		assert_true(u == 999);
		assert_int_equal(parse_hex(n19 + 24, 18, e19, true, &u), 0);
		assert_true(u == ~0ULL);
		assert_int_equal(parse_hex(n19 + 43, 19, e19, true, &u), -1);
		assert_int_equal(parse_hex(n19 + 63, 3, e19, true, &u), 0);
		assert_true(u == 0xa);
	}
}

/* utf8_valid() is utf8_seq_len() over and over */
static void utf8_valid_matches_seq_len(void **state)
{
	char buf[40];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		size_t n = next_rand() % sizeof(buf), at = 0;
		bool want = true;

		for (size_t k = 0; k < n; k++) {
			unsigned long long x = next_rand();

			/* mostly ASCII, some sequences and stray bytes */
			buf[k] = (char)(x % 4 ? x % 0x80 : x >> 8);
		}
		while (at < n && want) {
			size_t seq = utf8_seq_len(buf + at, n - at);

			want = seq != 0;
			at += seq;
		}
		assert_int_equal(utf8_valid(buf, n), want);
	}
}

static int setup(void **state)
{
	int fd;

	(void)state;
	strcpy(tmp_path, "/tmp/gfntop-reader-test.XXXXXX.csv");
	fd = mkstemps(tmp_path, 4);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmp_path);
	return 0;
}

/* a mapped trace cut short under the reader: an error like a read error, never a crash */
static int truncate_at_first(void *ctx, struct gfn_event *e)
{
	size_t *n = ctx;

	(void)e;
	if ((*n)++ == 0)
		assert_int_equal(truncate(tmp_path, 0), 0);
	return 0;
}

static void mapped_file_truncated_while_read(void **state)
{
	size_t used, n = 0, rows = 40000;
	char *t = malloc(rows * (strlen(ROW) + 1) + sizeof(CSV_HEADER) + 1), err[512];
	struct sigaction before, after;
	int rc;

	(void)state;
	assert_non_null(t);
	assert_int_equal(sigaction(SIGBUS, NULL, &before), 0);
	used = (size_t)sprintf(t, "%s\n", CSV_HEADER);
	for (size_t i = 0; i < rows; i++)
		used += (size_t)sprintf(t + used, "%s\n", ROW);
	write_file(tmp_path, t, used);
	rc = csv_replay_file(tmp_path, truncate_at_first, &n, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "the file was truncated while being read"));
	assert_true(n >= 1 && n < rows);
	/* the replay's SIGBUS handler was its own while it ran: the previous one is back */
	assert_int_equal(sigaction(SIGBUS, NULL, &after), 0);
	assert_true(after.sa_handler == before.sa_handler);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_way_gives_the_same_events),
		cmocka_unit_test(round_trip_through_every_splitter),
		cmocka_unit_test(rows_across_the_read_chunk_boundary),
		cmocka_unit_test(plain_rows_convert_as_the_state_machine_does),
		cmocka_unit_test(error_columns_on_plain_rows),
		cmocka_unit_test(limits_are_the_state_machines),
		cmocka_unit_test(names_through_the_caches),
		cmocka_unit_test(numbers_match_the_plain_parsers),
		cmocka_unit_test(utf8_valid_matches_seq_len),
		cmocka_unit_test(mapped_file_truncated_while_read),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
