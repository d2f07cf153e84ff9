/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace reader's state: the limits it holds every row to, the current
 * row's fields, and struct reader, which each of the reader's pieces reads
 * and advances (reader.c says which piece is where). A header of its own
 * because they all work on it; nothing outside the reader includes it, the
 * rest of gfntop sees trace/reader.h.
 */
#ifndef GFNTOP_CSV_READER_H
#define GFNTOP_CSV_READER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "trace/csv_names.h"

#define FIELD_MAX 4096
#define ROW_MAX (64 * 1024)
#define MAX_COLS 256
#define READ_CHUNK (1 << 20)
/*
 * The longest line split_plain() takes, its line end aside. Not above
 * FIELD_MAX (and so below ROW_MAX): a plain line cannot break a limit, and
 * the state machine, which gets every longer line, is the one to report them.
 */
#define PLAIN_MAX FIELD_MAX

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define unlikely(x) __builtin_expect(!!(x), 0)

/* The schema-v1 columns, in the order of the header the writer emits. */
enum col {
	C_TS_NS, C_CPU, C_PID, C_COMM, C_VM_PID, C_VM_ID, C_FAMILY, C_OP, C_FUNC, C_ITER_ID,
	C_AS_ID, C_SLOT, C_GFN_START, C_GFN_END, C_NPAGES, C_HVA_START, C_HVA_END, C_DUR_NS,
	C_RET, C_ERR, C_FW_ERROR, C_FW_NAME, C_PSP_CMD, C_PAGE_TYPE, C_COUNT,
};

/* a field of the current row, and a cell: the field of a known column */
struct field {
	const char *s;
	size_t len;
};

struct reader;
typedef int split_fn(struct reader *r, const char *p, const char *lim);

/* the masks of the 64 bytes at base, bit i for base[i] (see scan_blocks(), csv_split.c) */
struct block {
	const char *base;	/* NULL: none */
	unsigned long long commas, stops;
};

struct reader {
	const char *name;
	/* input: a file descriptor, or memory */
	int fd;
	const char *mem;
	size_t memlen, mempos;
	char *chunk;		/* the bytes at hand: in a READ_CHUNK buffer, or the memory itself */
	size_t pos, len;
	bool eof;
	int read_errno;		/* a read error met early, for csv_refill() to report in turn */
	const volatile sig_atomic_t *stop;	/* set: stop between rows and while waiting for input */
	/* position of the next byte */
	unsigned long line, col;
	/*
	 * The current row's fields: in the input (a plain row) or in row[] (the
	 * state machine's copy). Where a plain row's fields start follows from
	 * the fields; the state machine records it in fline/fcol.
	 */
	int nfields;
	struct field field[MAX_COLS + 64];	/* a vector splitter may run 64 past */
	bool plain;
	split_fn *split;	/* csv_pick_splitter() */
	struct block blk;	/* of the vector splitters; invalid once the bytes at hand move */
	const char *row_start;
	unsigned long row_line, row_col;
	unsigned long fline[MAX_COLS], fcol[MAX_COLS];
	char row[ROW_MAX];
	size_t row_used;
	/* header: the row index of each known column, -1 if absent */
	int map[C_COUNT];
	int ncols;
	/*
	 * The cells, indexed by enum col: the fields themselves when the header
	 * is in schema order (as the writer's is), else a copy in that order.
	 */
	bool in_order;
	struct field *cells;
	struct field sorted[C_COUNT];
	struct name_cache families, ops, funcs, triples, psp_cmds, page_types;
	char *err;
	size_t errlen;
};

#endif
