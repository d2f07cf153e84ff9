/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SNP launch sessions: per VM, a state machine over the launch ioctls
 * (START → UPDATE by page type → VMSA → FINISH). On the first failure it
 * keeps the whole chain of that ioctl (ioctl → populate → post_populate →
 * PSP command → RMP update, linked by iter_id) and states the most likely
 * cause in words (KERNEL.md §5.5). Fixed-size tables, no allocation per event.
 */
#ifndef GFNTOP_LAUNCH_H
#define GFNTOP_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gfntop/event.h"

enum launch_state {
	LAUNCH_NONE,
	LAUNCH_STARTED,
	LAUNCH_UPDATING,
	LAUNCH_VMSA,
	LAUNCH_FINISHED,
	LAUNCH_FAILED,
	LAUNCH_ABORTED,		/* the VMM went away in the middle of the launch */
};

#define LAUNCH_PAGE_TYPES 8
#define LAUNCH_MAX_VMS 64
#define LAUNCH_PENDING 64	/* ioctls whose inner events arrived before the ioctl itself */

struct launch_type {
	uint64_t pages, calls, ns;
};

/* The events of one ioctl that explain it: kept for the first failure. */
struct launch_chain {
	uint64_t iter_id;
	bool has_populate, has_post, has_psp, has_rmp;
	struct gfn_event populate;	/* kvm_gmem_populate */
	struct gfn_event post;		/* the first failing sev_gmem_post_populate, else the last */
	struct gfn_event psp;		/* the failing PSP command, else the last */
	struct gfn_event rmp;		/* the failing RMP update, else the last */
};

struct launch {
	uint32_t vm_pid;
	uint64_t vm_id;
	enum launch_state state;
	uint64_t start_ts, finish_ts, last_ts;
	uint64_t update_calls, partial_calls;	/* a partial UPDATE is progress, not failure */
	struct launch_type by_type[LAUNCH_PAGE_TYPES];
	/* the first failure */
	struct gfn_event fail;		/* the failing ioctl (or launch step) */
	struct launch_chain chain;
	char cause[320];
};

struct launch_table {
	struct launch vms[LAUNCH_MAX_VMS];
	int n;
	struct launch_chain pending[LAUNCH_PENDING];	/* by iter_id, round robin */
	unsigned int next_pending;
	/*
	 * Called after a launch changed state, with the state it left (the
	 * exporters' counters, model/counters.c); NULL: nobody listens. Set it
	 * after launch_init().
	 */
	void (*on_change)(void *ctx, const struct launch *l, enum launch_state from);
	void *on_change_ctx;
};

void launch_init(struct launch_table *t);
void launch_add(struct launch_table *t, const struct gfn_event *e);
/*
 * Live mode, once per interval: a launch still in progress whose VMM process
 * no longer exists (alive(pid) false) ends as aborted. Returns how many ended.
 */
int launch_reap(struct launch_table *t, bool (*alive)(uint32_t pid));
/* A VM retired from the tables (agg_retire): its launch goes too, making room. */
void launch_forget(struct launch_table *t, uint32_t vm_pid, uint64_t vm_id);

/* "FAILED launch_update gfn 0x80e CPUID: EIO, fw INVALID_PARAM (0x16), SNP_LAUNCH_UPDATE" */
void launch_state_line(const struct launch *l, char *buf, size_t len);
const char *launch_state_name(enum launch_state s);

#endif
