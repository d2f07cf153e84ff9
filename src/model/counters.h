/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters for exporters (Prometheus, the textfile collector): what every
 * traced operation adds, since the start, never reset and never capped by
 * VM churn, unlike the aggregation tables (agg.c), which the TUI resets and
 * which keep one row per VM x slot x op. Only bounded keys: family x op,
 * failures by errno and firmware status, launch outcomes by step; per-VM
 * counters only when asked for (max_vms), capped, with an overflow entry, and
 * retired once their VMM has exited.
 *
 * Fixed-size tables allocated once; no allocation per event. The struct is
 * plain data: a snapshot is a copy (counters_copy), read by another thread.
 */
#ifndef GFNTOP_COUNTERS_H
#define GFNTOP_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gfntop/event.h"
#include "base/sink.h"

struct launch;

/*
 * Duration buckets: le = 4^k - 1 ns for k = 4..18 (255 ns .. 68.7 s), then
 * +Inf. Each bound is the upper bound of a bucket of the log-linear histogram
 * (agg.c, hist_bucket_upper), so a count per log-linear bucket maps into
 * these exactly.
 */
#define CNT_BUCKETS 16
#define CNT_FIRST_POW4 4

/* firmware status of a failure that has none (the firmware was not called or did not fail) */
#define CNT_NO_FW INT32_MIN

#define CNT_MAX_ERRORS 256		/* distinct family x op x errno x firmware status */
#define CNT_MAX_LAUNCH_FAILS 64		/* distinct step x errno x firmware status */
#define CNT_MAX_VMS_LIMIT 4096		/* the most --metrics-vms may ask for */

struct cnt_op {
	uint64_t ops;
	uint64_t pages;
	uint64_t errors;
	uint64_t timed;			/* ops with a duration: the histogram's count */
	uint64_t dur_ns;		/* their sum */
	uint64_t hist[CNT_BUCKETS];	/* not cumulative */
	bool registered;		/* a probe of this family and op is attached: shown at 0 */
	bool registered_dur;		/* ... and it measures durations: its histogram too */
};

/* one failure kind: of an operation (errors), or of a launch step (launch_fails) */
struct cnt_fail {
	uint8_t family;			/* errors only */
	uint8_t op;			/* the operation, or the launch step */
	int32_t err;			/* errno (positive); 0: none (a firmware failure only) */
	int32_t fw;			/* firmware status, or CNT_NO_FW */
	uint64_t n;
};

struct cnt_vm_family {
	uint64_t ops, pages, errors;
};

struct cnt_vm {
	uint32_t vm_pid;
	bool comm_is_vmm;		/* comm came from the VMM's own thread group */
	bool exited;			/* its VMM is gone: shown once more, then retired */
	char comm[GFN_COMM_LEN];
	struct cnt_vm_family fam[FAM_COUNT];
};

/* launch steps, in order; also the step an aborted launch had reached */
enum cnt_step { CNT_STEP_START, CNT_STEP_UPDATE, CNT_STEP_VMSA, CNT_STEP_FINISH, CNT_STEPS };

struct counters {
	struct cnt_op op[FAM_COUNT][OP_COUNT];
	uint64_t lost;				/* events the kernel could not queue */

	struct cnt_fail errors[CNT_MAX_ERRORS];
	int nerrors;
	uint64_t errors_other;			/* failures of kinds beyond the table */
	uint16_t error_hash[CNT_MAX_ERRORS * 2];	/* 0 empty, else index + 1 */

	uint64_t launches_started, launches_finished;
	uint64_t launches_aborted[CNT_STEPS];	/* by the step reached */
	struct cnt_fail launch_fails[CNT_MAX_LAUNCH_FAILS];
	int nlaunch_fails;
	uint64_t launch_fails_other;

	/* per VM, when max_vms > 0 */
	int max_vms;
	int nvms;
	struct cnt_vm vm_other;			/* VMs beyond max_vms: the overflow series */
	uint64_t vms_retired;
	uint16_t vm_hash[CNT_MAX_VMS_LIMIT * 2];	/* 0 empty, else index + 1 */
	struct cnt_vm vms[CNT_MAX_VMS_LIMIT];	/* only the first nvms are copied */
};

/* max_vms: per-VM counters for that many VMs at once (0: none; at most CNT_MAX_VMS_LIMIT). */
struct counters *counters_new(int max_vms);
void counters_free(struct counters *c);
/*
 * A probe of (family, op) is attached: its series are shown from the start,
 * at 0 (a counter that appears with its first increase hides that increase
 * from PromQL's increase()); with_duration: its duration histogram too.
 */
void counters_register(struct counters *c, unsigned int family, unsigned int op, bool with_duration);
/*
 * One event. An event the kernel already counted (EVF_AGGREGATED: it crossed
 * to be seen, a failure or a VM's first event) adds only what the kernel's
 * aggregates lack: its failure's errno and firmware status, its VM's command.
 */
void counters_add(struct counters *c, const struct gfn_event *e);
/*
 * What the kernel's aggregates gained (sources/kagg.c). Their histogram
 * holds no sum of durations: a bucket's count adds its midpoint times the
 * count to the sum (within 12.5% of the truth; the buckets themselves are exact).
 */
void counters_add_counts(struct counters *c, const struct gfn_counts *k);
/* A launch changed state (the launch table's on_change): started, finished, failed, aborted. */
void counters_launch(struct counters *c, const struct launch *l, int from_state);
/*
 * Once per interval: per-VM entries whose VMM has exited (alive(pid) false)
 * are marked, and those marked at the previous call are retired. So a VM's
 * last counts are shown for one interval after its exit. Returns how many retired.
 */
int counters_reap(struct counters *c, bool (*alive)(uint32_t pid));
/* dst = src, copying only the used part of the per-VM table. */
void counters_copy(struct counters *dst, const struct counters *src);

/* The bucket of a duration, and the inclusive upper bound of bucket b in ns (UINT64_MAX: +Inf). */
unsigned int cnt_bucket(uint64_t ns);
uint64_t cnt_bucket_le(unsigned int b);
/* The step of a launch op (OP_LAUNCH_START ...), or -1. */
int cnt_step_of_op(unsigned int op);
const char *cnt_step_name(unsigned int step);	/* "launch_start", ... */

#endif
