// SPDX-License-Identifier: GPL-2.0
/*
 * SNP launch sessions. Inner events of an ioctl (post_populate, PSP command,
 * RMP update, populate) leave the kernel before the ioctl's own row does, so
 * they wait in a small table keyed by iter_id until their ioctl arrives and
 * names the VM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model/launch.h"
#include "base/decode.h"
#include "base/names.h"

#define PAGE_SIZE 4096ULL

/* ---- causes, as data: the first rule that matches explains the failure (KERNEL.md §5.5) ---- */

enum step { STEP_IOCTL, STEP_POPULATE, STEP_POST, STEP_PSP, STEP_RMP };

#define ANY_ERR 0
#define FW_ANY (-1000)
#define FW_NONZERO (-1001)

struct cause_rule {
	int ioctl_errno;	/* of the failing launch step; ANY_ERR = any */
	enum step step;		/* the chain element the rule looks at */
	int inner_errno;	/* that element failed with it; ANY_ERR = any failure (STEP_IOCTL: ignored) */
	int fw;			/* its firmware status: a value, FW_ANY or FW_NONZERO */
	int page_type;		/* 0 = any */
	const char *text;	/* may hold one %s: the firmware status name */
};

static const struct cause_rule cause_rules[] = {
	{ EIO, STEP_POST, ANY_ERR, 0x16, 6,
	  "firmware rejected the CPUID page (INVALID_PARAM): the CPUID values the VMM supplied do not "
	  "match what the CPU allows; KVM copied the corrected page back to the VMM" },
	{ EIO, STEP_PSP, ETIMEDOUT, FW_ANY, 0,
	  "EIO with fw_error 0: the PSP command timed out and the kernel disabled the PSP; every later "
	  "command fails with EBUSY until the ccp driver is reloaded" },
	{ EIO, STEP_PSP, EBUSY, FW_ANY, 0,
	  "the PSP is dead after an earlier command timed out (EBUSY); reload the ccp driver or reboot" },
	{ EIO, STEP_PSP, ENODEV, FW_ANY, 0, "there is no PSP (ENODEV): SEV-SNP is not available on this host" },
	{ EIO, STEP_POST, ANY_ERR, FW_NONZERO, 0,
	  "the firmware rejected the page (%s); KVM reclaimed it and stopped the launch" },
	{ EIO, STEP_RMP, ANY_ERR, FW_ANY, 0,
	  "RMPUPDATE failed making the page private (EFAULT inside); the raw RMPUPDATE code is in dmesg" },
	{ EIO, STEP_POST, EEXIST, FW_ANY, 0,
	  "EIO with fw_error 0: the firmware was not called; the page was already private/populated "
	  "(EEXIST inside): it was faulted in or populated before this LAUNCH_UPDATE" },
	{ EIO, STEP_POST, EINVAL, FW_ANY, 0,
	  "EIO with fw_error 0: the firmware was not called; the RMP lookup of the page failed, or (6.10) "
	  "the page is already assigned (EINVAL inside)" },
	{ EIO, STEP_POPULATE, EINVAL, FW_ANY, 0,
	  "EIO with fw_error 0: the firmware was not called; the gfn lacks the PRIVATE memory attribute "
	  "(set it with KVM_SET_MEMORY_ATTRIBUTES before LAUNCH_UPDATE) (EINVAL inside)" },
	{ EIO, STEP_POST, EFAULT, FW_ANY, 0,
	  "EIO with fw_error 0: copying the source page from the VMM failed (EFAULT inside)" },
	{ EIO, STEP_POPULATE, EFAULT, FW_ANY, 0,
	  "EIO with fw_error 0: the memslot has no guest_memfd, or pinning the source page failed (EFAULT inside)" },
	{ EIO, STEP_POPULATE, EEXIST, FW_ANY, 0,
	  "EIO with fw_error 0: the guest_memfd folio was already prepared (EEXIST inside)" },
	{ EIO, STEP_POPULATE, EINTR, FW_ANY, 0, "EIO: a signal was pending while populating (EINTR inside)" },
	{ EIO, STEP_POPULATE, ENOMEM, FW_ANY, 0, "EIO: out of memory while populating (ENOMEM inside)" },
	{ EIO, STEP_IOCTL, 0, FW_ANY, 0,
	  "EIO from the first page of kvm_gmem_populate; the inner cause was not recorded "
	  "(trace the snp, psp and rmp families to see it)" },
	{ EINVAL, STEP_IOCTL, 0, FW_ANY, 0,
	  "KVM rejected the command: the VM is not SNP, LAUNCH_START was not done, len/flags/type are "
	  "invalid, uaddr is not page-aligned, or the memslot at gfn_start has no guest_memfd" },
	{ ENOTTY, STEP_IOCTL, 0, FW_ANY, 0,
	  "SEV is disabled in kvm_amd (sev=0 or no SEV hardware), or the VMM and the kernel disagree "
	  "on the command set" },
	{ EFAULT, STEP_IOCTL, 0, FW_ANY, 0, "copying the command or its parameters from or to the VMM failed" },
	{ EPERM, STEP_IOCTL, 0, FW_ANY, 0, "an SNP VM received a pre-SNP SEV command" },
	{ EBUSY, STEP_IOCTL, 0, FW_ANY, 0, "a vCPU was being created during the launch step (EBUSY)" },
	{ ANY_ERR, STEP_IOCTL, 0, FW_NONZERO, 0, "the firmware failed the command (%s)" },
};

static bool chain_has(const struct launch_chain *c, enum step s, const struct gfn_event **ev)
{
	switch (s) {
	case STEP_POPULATE:
		*ev = &c->populate;
		return c->has_populate;
	case STEP_POST:
		*ev = &c->post;
		return c->has_post;
	case STEP_PSP:
		*ev = &c->psp;
		return c->has_psp;
	case STEP_RMP:
		*ev = &c->rmp;
		return c->has_rmp;
	case STEP_IOCTL:
		break;
	}
	return false;
}

static bool fw_matches(const struct gfn_event *e, int fw)
{
	if (fw == FW_ANY)
		return true;
	if (!(e->flags & EVF_FW))
		return false;
	return fw == FW_NONZERO ? e->fw_error > 0 : e->fw_error == fw;
}

static void explain(struct launch *l)
{
	const struct gfn_event *io = &l->fail;
	int ioctl_errno = (io->flags & EVF_RET) && io->ret < 0 ? (int)-io->ret : 0;

	for (size_t i = 0; i < sizeof(cause_rules) / sizeof(cause_rules[0]); i++) {
		const struct cause_rule *r = &cause_rules[i];
		const struct gfn_event *ev = io;
		char fw[48];

		if (r->ioctl_errno && r->ioctl_errno != ioctl_errno)
			continue;
		if (r->step != STEP_IOCTL) {
			if (!chain_has(&l->chain, r->step, &ev) || !(ev->flags & EVF_RET) || ev->ret >= 0)
				continue;
			if (r->inner_errno && -ev->ret != r->inner_errno)
				continue;
		}
		if (!fw_matches(ev, r->fw))
			continue;
		if (r->page_type && !((ev->flags & EVF_PAGE_TYPE) && ev->page_type == r->page_type))
			continue;
		snprintf(fw, sizeof(fw), "%s", (ev->flags & EVF_FW) && decode_sev_ret(ev->fw_error) ?
			 decode_sev_ret(ev->fw_error) : "unknown status");
		snprintf(l->cause, sizeof(l->cause), r->text, fw);
		return;
	}
	snprintf(l->cause, sizeof(l->cause), "no known cause matches this failure");
}

/* ---- the tables ---- */

void launch_init(struct launch_table *t)
{
	memset(t, 0, sizeof(*t));
}

static struct launch *vm_launch(struct launch_table *t, const struct gfn_event *e)
{
	uint32_t pid = (e->flags & EVF_VM_PID) ? e->vm_pid : 0;
	uint64_t id = (e->flags & EVF_VM_ID) ? e->vm_id : 0;

	for (int i = 0; i < t->n; i++)
		if (t->vms[i].vm_pid == pid && t->vms[i].vm_id == id)
			return &t->vms[i];
	if (t->n == LAUNCH_MAX_VMS)
		return NULL;
	t->vms[t->n] = (struct launch){ .vm_pid = pid, .vm_id = id };
	return &t->vms[t->n++];
}

static struct launch_chain *pending(struct launch_table *t, uint64_t iter_id, bool create)
{
	struct launch_chain *c;

	if (!iter_id)
		return NULL;
	for (int i = 0; i < LAUNCH_PENDING; i++)
		if (t->pending[i].iter_id == iter_id)
			return &t->pending[i];
	if (!create)
		return NULL;
	c = &t->pending[t->next_pending++ % LAUNCH_PENDING];
	memset(c, 0, sizeof(*c));
	c->iter_id = iter_id;
	return c;
}

/* keep the first failure of each kind, else the latest event */
static void keep(struct gfn_event *slot, bool *has, const struct gfn_event *e)
{
	bool slot_failed = *has && (slot->flags & EVF_RET) && slot->ret < 0;

	if (!slot_failed) {
		*slot = *e;
		*has = true;
	}
}

static void collect(struct launch_table *t, const struct gfn_event *e)
{
	struct launch_chain *c = pending(t, e->iter_id, true);

	if (!c)
		return;
	switch (e->op) {
	case OP_POPULATE:
		keep(&c->populate, &c->has_populate, e);
		break;
	case OP_POST_POPULATE:
		keep(&c->post, &c->has_post, e);
		break;
	case OP_PSP_CMD:
		if (!(c->has_psp && c->psp.fw_error > 0))
			keep(&c->psp, &c->has_psp, e);
		break;
	default:	/* rmp family */
		keep(&c->rmp, &c->has_rmp, e);
		break;
	}
}

static void fail(struct launch_table *t, struct launch *l, const struct gfn_event *e)
{
	struct launch_chain *c = pending(t, e->iter_id, false);

	l->state = LAUNCH_FAILED;
	l->fail = *e;
	if (c)
		l->chain = *c;
	explain(l);
}

static void changed(const struct launch_table *t, const struct launch *l, enum launch_state from)
{
	if (t->on_change && l->state != from)
		t->on_change(t->on_change_ctx, l, from);
}

static bool is_launch_step(unsigned int op)
{
	return op == OP_LAUNCH_START || op == OP_LAUNCH_UPDATE || op == OP_UPDATE_VMSA ||
	       op == OP_LAUNCH_FINISH;
}

void launch_add(struct launch_table *t, const struct gfn_event *e)
{
	struct launch *l;
	const struct launch_chain *c;
	enum launch_state from;
	uint64_t pages;

	if (e->family == FAM_PSP || e->family == FAM_RMP ||
	    (e->family == FAM_SNP && (e->op == OP_POPULATE || e->op == OP_POST_POPULATE))) {
		collect(t, e);
		return;
	}
	if (!is_launch_step(e->op) || !(e->flags & EVF_RET))
		return;
	l = vm_launch(t, e);
	if (!l || l->state == LAUNCH_FAILED || l->state == LAUNCH_ABORTED)
		return;		/* the first failure is kept; later steps do not overwrite it */
	l->last_ts = e->ts_ns;
	from = l->state;
	if (e->ret < 0) {
		fail(t, l, e);
		changed(t, l, from);
		return;
	}
	switch (e->op) {
	case OP_LAUNCH_START:
		l->state = LAUNCH_STARTED;
		l->start_ts = e->ts_ns;
		break;
	case OP_LAUNCH_UPDATE:
		l->state = LAUNCH_UPDATING;
		l->update_calls++;
		/* pages done: what kvm_gmem_populate returned, else what was asked */
		c = pending(t, e->iter_id, false);
		pages = c && c->has_populate && c->populate.ret >= 0 ? (uint64_t)c->populate.ret :
			(e->flags & EVF_NPAGES) ? e->npages : 0;
		if ((e->flags & EVF_NPAGES) && pages < e->npages)
			l->partial_calls++;
		if (e->page_type < LAUNCH_PAGE_TYPES) {
			l->by_type[e->page_type].pages += pages;
			l->by_type[e->page_type].calls++;
			l->by_type[e->page_type].ns += e->dur_ns;
		}
		break;
	case OP_UPDATE_VMSA:
		l->state = LAUNCH_VMSA;
		l->by_type[2].calls++;	/* SNP_PAGE_TYPE_VMSA */
		l->by_type[2].ns += e->dur_ns;
		break;
	case OP_LAUNCH_FINISH:
		l->state = LAUNCH_FINISHED;
		l->finish_ts = e->ts_ns + e->dur_ns;
		break;
	}
	changed(t, l, from);
}

int launch_reap(struct launch_table *t, bool (*alive)(uint32_t pid))
{
	int n = 0;

	for (int i = 0; i < t->n; i++) {
		struct launch *l = &t->vms[i];
		enum launch_state from = l->state;

		if (l->state < LAUNCH_STARTED || l->state > LAUNCH_VMSA || !l->vm_pid || alive(l->vm_pid))
			continue;
		snprintf(l->cause, sizeof(l->cause), "the VMM (pid %u) exited during the launch, after %s",
			 l->vm_pid, l->state == LAUNCH_STARTED ? "LAUNCH_START" :
			 l->state == LAUNCH_UPDATING ? "LAUNCH_UPDATE" : "the VMSA update");
		l->state = LAUNCH_ABORTED;
		changed(t, l, from);
		n++;
	}
	return n;
}

void launch_forget(struct launch_table *t, uint32_t vm_pid, uint64_t vm_id)
{
	for (int i = 0; i < t->n; i++) {
		if (t->vms[i].vm_pid != vm_pid || t->vms[i].vm_id != vm_id)
			continue;
		memmove(&t->vms[i], &t->vms[i + 1], (size_t)(t->n - i - 1) * sizeof(t->vms[0]));
		t->n--;
		return;
	}
}

/* ---- presentation ---- */

static const char *const state_names[] = {
	[LAUNCH_NONE] = "-", [LAUNCH_STARTED] = "STARTED", [LAUNCH_UPDATING] = "UPDATE",
	[LAUNCH_VMSA] = "VMSA", [LAUNCH_FINISHED] = "FINISHED", [LAUNCH_FAILED] = "FAILED",
	[LAUNCH_ABORTED] = "ABORTED",
};

const char *launch_state_name(enum launch_state s)
{
	return state_names[s];
}

void launch_state_line(const struct launch *l, char *buf, size_t len)
{
	uint64_t pages = 0, ns = 0;
	const struct gfn_event *where = &l->fail;
	size_t used;
	char err[32], cmd[32];

	for (int i = 0; i < LAUNCH_PAGE_TYPES; i++) {
		pages += l->by_type[i].pages;
		ns += l->by_type[i].ns;
	}
	switch (l->state) {
	case LAUNCH_FAILED:
		if (l->chain.has_post && (l->chain.post.flags & EVF_RET) && l->chain.post.ret < 0)
			where = &l->chain.post;	/* the failing page */
		used = (size_t)snprintf(buf, len, "FAILED %s", op_name(l->fail.op));
		if ((where->flags & EVF_GFN) && used < len)
			used += (size_t)snprintf(buf + used, len - used, " gfn 0x%llx", (unsigned long long)where->gfn_start);
		if ((where->flags & EVF_SLOT) && used < len)
			used += (size_t)snprintf(buf + used, len - used, " slot %u", where->slot);
		if ((where->flags & EVF_PAGE_TYPE) && decode_page_type(where->page_type) && used < len)
			used += (size_t)snprintf(buf + used, len - used, " %s", decode_page_type(where->page_type));
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, ": %s", fmt_err(err, sizeof(err), l->fail.ret));
		if ((where->flags & EVF_FW) && where->fw_error > 0 && used < len)
			used += (size_t)snprintf(buf + used, len - used, ", fw %s (0x%x)",
						 decode_sev_ret(where->fw_error) ?: "?", (unsigned int)where->fw_error);
		if ((where->flags & EVF_PSP_CMD) && used < len)
			snprintf(buf + used, len - used, ", %s", fmt_psp_cmd(cmd, sizeof(cmd), where->psp_cmd));
		break;
	case LAUNCH_FINISHED:
		snprintf(buf, len, "FINISHED %.1fs, %llu pages", l->finish_ts > l->start_ts && l->start_ts ?
			 (double)(l->finish_ts - l->start_ts) / 1e9 : 0.0, (unsigned long long)pages);
		break;
	case LAUNCH_ABORTED:
		snprintf(buf, len, "ABORTED after %llu pages", (unsigned long long)pages);
		break;
	case LAUNCH_UPDATING:
		snprintf(buf, len, "UPDATE %llu pages, %.1f MiB/s%s", (unsigned long long)pages,
			 ns ? (double)(pages * PAGE_SIZE) / (1 << 20) / ((double)ns / 1e9) : 0.0,
			 l->partial_calls ? " (partial progress)" : "");
		break;
	default:
		snprintf(buf, len, "%s", state_names[l->state]);
		break;
	}
}
