// SPDX-License-Identifier: GPL-2.0
/* Monotonic counters for exporters: family x op, failures, launches, and per VM on request. */
#include <string.h>
#include <sys/mman.h>
#include "model/counters.h"
#include "model/agg.h"
#include "model/launch.h"
#include "base/names.h"

/* Mapped, like the aggregation tables: the per-VM pages nothing uses are never touched. */
struct counters *counters_new(int max_vms)
{
	struct counters *c;

	if (max_vms < 0 || max_vms > CNT_MAX_VMS_LIMIT)
		return NULL;
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	c->max_vms = max_vms;
	return c;
}

void counters_free(struct counters *c)
{
	if (c)
		munmap(c, sizeof(*c));
}

void counters_register(struct counters *c, unsigned int family, unsigned int op, bool with_duration)
{
	if (family >= FAM_COUNT || op >= OP_COUNT)
		return;
	c->op[family][op].registered = true;
	c->op[family][op].registered_dur |= with_duration;
}

/* ---- duration buckets ---- */

unsigned int cnt_bucket(uint64_t ns)
{
	unsigned int p;

	if (ns < (1ULL << (2 * CNT_FIRST_POW4)))
		return 0;
	p = 63u - (unsigned int)__builtin_clzll(ns);	/* >= 8 */
	p = (p - 2 * CNT_FIRST_POW4) / 2 + 1;		/* 4^(k-1) <= ns < 4^k: bucket of 4^k - 1 */
	return p < CNT_BUCKETS - 1 ? p : CNT_BUCKETS - 1;
}

uint64_t cnt_bucket_le(unsigned int b)
{
	if (b >= CNT_BUCKETS - 1)
		return UINT64_MAX;
	return (1ULL << (2 * (CNT_FIRST_POW4 + b))) - 1;
}

/* ---- launch steps ---- */

static const struct {
	unsigned int op;
	const char *name;
} steps[CNT_STEPS] = {
	[CNT_STEP_START] = { OP_LAUNCH_START, "launch_start" },
	[CNT_STEP_UPDATE] = { OP_LAUNCH_UPDATE, "launch_update" },
	[CNT_STEP_VMSA] = { OP_UPDATE_VMSA, "update_vmsa" },
	[CNT_STEP_FINISH] = { OP_LAUNCH_FINISH, "launch_finish" },
};

int cnt_step_of_op(unsigned int op)
{
	for (int s = 0; s < CNT_STEPS; s++)
		if (steps[s].op == op)
			return s;
	return -1;
}

const char *cnt_step_name(unsigned int step)
{
	return step < CNT_STEPS ? steps[step].name : "?";
}

/* ---- failures ---- */

static uint32_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* What a failing event is counted as: its errno (0 if none) and its firmware status. */
static void failure_of(const struct gfn_event *e, int32_t *err, int32_t *fw)
{
	*err = (e->flags & EVF_RET) && e->ret < 0 && e->ret >= -INT32_MAX ? (int32_t)-e->ret :
	       (e->flags & EVF_RET) && e->ret < 0 ? INT32_MAX : 0;
	/* -1 is the kernel's "firmware not called" and 0 success: neither is a firmware failure */
	*fw = (e->flags & EVF_FW) && e->fw_error > 0 ? e->fw_error : CNT_NO_FW;
}

static void count_error(struct counters *c, const struct gfn_event *e)
{
	int32_t err, fw;
	const uint32_t size = CNT_MAX_ERRORS * 2;

	failure_of(e, &err, &fw);
	for (uint32_t h = mix((uint64_t)e->family << 56 ^ (uint64_t)e->op << 48 ^
			      (uint64_t)(uint32_t)err << 24 ^ (uint32_t)fw) % size;; h = (h + 1) % size) {
		int i = c->error_hash[h] - 1;
		struct cnt_fail *f;

		if (i < 0) {
			if (c->nerrors == CNT_MAX_ERRORS) {
				c->errors_other++;
				return;
			}
			i = c->nerrors++;
			c->errors[i] = (struct cnt_fail){ .family = e->family, .op = e->op, .err = err, .fw = fw };
			c->error_hash[h] = (uint16_t)(i + 1);
		}
		f = &c->errors[i];
		if (f->family == e->family && f->op == e->op && f->err == err && f->fw == fw) {
			f->n++;
			return;
		}
	}
}

/* ---- per VM ---- */

static void rehash_vms(struct counters *c)
{
	const uint32_t size = (uint32_t)c->max_vms * 2;

	memset(c->vm_hash, 0, size * sizeof(c->vm_hash[0]));
	for (int i = 0; i < c->nvms; i++) {
		uint32_t h = mix(c->vms[i].vm_pid) % size;

		while (c->vm_hash[h])
			h = (h + 1) % size;
		c->vm_hash[h] = (uint16_t)(i + 1);
	}
}

static struct cnt_vm *vm_of(struct counters *c, uint32_t pid)
{
	const uint32_t size = (uint32_t)c->max_vms * 2;

	for (uint32_t h = mix(pid) % size;; h = (h + 1) % size) {
		int i = c->vm_hash[h] - 1;

		if (i < 0) {
			if (c->nvms == c->max_vms)
				return &c->vm_other;
			i = c->nvms++;
			c->vms[i] = (struct cnt_vm){ .vm_pid = pid };
			c->vm_hash[h] = (uint16_t)(i + 1);
			return &c->vms[i];
		}
		if (c->vms[i].vm_pid == pid)
			return &c->vms[i];
	}
}

static void count_vm(struct counters *c, const struct gfn_event *e, uint64_t pages, bool failed,
		     bool counted)
{
	struct cnt_vm *v = vm_of(c, e->vm_pid);
	struct cnt_vm_family *f = &v->fam[e->family];

	if (!counted) {
		f->ops++;
		f->pages += pages;
		f->errors += failed;
	}
	/* the VMM's own command names the VM; another task's (kswapd) only until it is seen */
	if ((e->flags & EVF_TASK) && v != &c->vm_other && !v->comm_is_vmm) {
		bool own = e->pid == e->vm_pid;

		if (own || !v->comm[0]) {
			memcpy(v->comm, e->comm, sizeof(v->comm));
			v->comm[sizeof(v->comm) - 1] = '\0';
			v->comm_is_vmm = own && v->comm[0];
		}
	}
}

int counters_reap(struct counters *c, bool (*alive)(uint32_t pid))
{
	int kept = 0, retired = 0;

	for (int i = 0; i < c->nvms; i++) {
		struct cnt_vm *v = &c->vms[i];

		if (v->exited) {
			retired++;
			continue;
		}
		if (!alive(v->vm_pid))
			v->exited = true;
		if (kept != i)
			c->vms[kept] = *v;
		kept++;
	}
	if (retired) {
		c->nvms = kept;
		c->vms_retired += (uint64_t)retired;
		rehash_vms(c);
	}
	return retired;
}

/* ---- events ---- */

void counters_add(struct counters *c, const struct gfn_event *e)
{
	struct cnt_op *o;
	uint64_t pages;
	bool failed;

	if (e->op == OP_LOST) {
		if ((e->flags & EVF_RET) && e->ret > 0)
			c->lost += (uint64_t)e->ret;
		return;
	}
	if (e->family >= FAM_COUNT || e->op >= OP_COUNT)
		return;
	o = &c->op[e->family][e->op];
	pages = (e->flags & EVF_NPAGES) ? e->npages : 0;
	failed = event_failed(e);
	if (e->flags & EVF_AGGREGATED) {
		/* counted by the kernel (counters_add_counts): only what its counts lack */
		if (failed)
			count_error(c, e);
		if (c->max_vms && (e->flags & EVF_VM_PID) && e->vm_pid)
			count_vm(c, e, pages, failed, true);
		return;
	}
	o->ops++;
	o->pages += pages;
	if (e->flags & EVF_DUR) {
		o->timed++;
		o->dur_ns += e->dur_ns;
		o->hist[cnt_bucket(e->dur_ns)]++;
	}
	if (failed) {
		o->errors++;
		count_error(c, e);
	}
	if (c->max_vms && (e->flags & EVF_VM_PID) && e->vm_pid)
		count_vm(c, e, pages, failed, false);
}

void counters_add_counts(struct counters *c, const struct gfn_counts *k)
{
	struct cnt_op *o;

	if (k->key.family >= FAM_COUNT || k->key.op >= OP_COUNT)
		return;
	o = &c->op[k->key.family][k->key.op];
	if (k->bucket >= 0) {
		unsigned int b = (unsigned int)k->bucket;
		uint64_t hi = hist_bucket_upper(b), lo = b < 4 ? b : hist_bucket_upper(b - 1) + 1;

		if (b >= HIST_BUCKETS)
			return;
		o->timed += k->timed;
		o->hist[cnt_bucket(hi)] += k->timed;
		o->dur_ns += k->timed * (lo / 2 + hi / 2);
		return;
	}
	o->ops += k->ops;
	o->pages += k->pages;
	o->errors += k->errors;
	if (c->max_vms && k->key.vm_pid) {
		struct cnt_vm_family *f = &vm_of(c, k->key.vm_pid)->fam[k->key.family];

		f->ops += k->ops;
		f->pages += k->pages;
		f->errors += k->errors;
	}
}

/* ---- launches ---- */

static void count_launch_failure(struct counters *c, const struct launch *l)
{
	const struct gfn_event *where = &l->fail;
	int step = cnt_step_of_op(l->fail.op);
	int32_t err, fw;

	/* the firmware status of the failing page, as the launch table shows it */
	if (l->chain.has_post && (l->chain.post.flags & EVF_RET) && l->chain.post.ret < 0)
		where = &l->chain.post;
	failure_of(&l->fail, &err, &fw);
	if (fw == CNT_NO_FW)
		fw = (where->flags & EVF_FW) && where->fw_error > 0 ? where->fw_error : CNT_NO_FW;
	if (step < 0)
		return;
	for (int i = 0; i < c->nlaunch_fails; i++) {
		struct cnt_fail *f = &c->launch_fails[i];

		if (f->op == step && f->err == err && f->fw == fw) {
			f->n++;
			return;
		}
	}
	if (c->nlaunch_fails == CNT_MAX_LAUNCH_FAILS) {
		c->launch_fails_other++;
		return;
	}
	c->launch_fails[c->nlaunch_fails++] = (struct cnt_fail){ .op = (uint8_t)step, .err = err, .fw = fw, .n = 1 };
}

void counters_launch(struct counters *c, const struct launch *l, int from)
{
	switch (l->state) {
	case LAUNCH_STARTED:
		if (from == LAUNCH_NONE || from >= LAUNCH_FINISHED)
			c->launches_started++;
		break;
	case LAUNCH_FINISHED:
		c->launches_finished++;
		break;
	case LAUNCH_FAILED:
		count_launch_failure(c, l);
		break;
	case LAUNCH_ABORTED:
		c->launches_aborted[from == LAUNCH_STARTED ? CNT_STEP_START :
				    from == LAUNCH_VMSA ? CNT_STEP_VMSA : CNT_STEP_UPDATE]++;
		break;
	default:
		break;
	}
}

void counters_copy(struct counters *dst, const struct counters *src)
{
	memcpy(dst, src, offsetof(struct counters, vms));
	memcpy(dst->vms, src->vms, (size_t)src->nvms * sizeof(src->vms[0]));
}
