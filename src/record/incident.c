// SPDX-License-Identifier: GPL-2.0
/* Incident files and their log lines. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "record/incident.h"
#include "record/log.h"
#include "base/decode.h"
#include "base/names.h"
#include "trace/writer.h"

#define SUFFIX ".csv"

int incident_store_open(struct incident_store *st, int parent_fd, const char *parent,
			const struct keep_limits *keep, char *err, size_t errlen)
{
	*st = (struct incident_store){ .keep = *keep };
	snprintf(st->dir, sizeof(st->dir), "%s/incidents", parent);
	st->dirfd = dir_open(parent_fd, "incidents", 1);
	if (st->dirfd < 0) {
		snprintf(err, errlen, "%s: %s", st->dir, strerror(-st->dirfd));
		return -1;
	}
	return 0;
}

void incident_store_close(struct incident_store *st)
{
	if (st->dirfd >= 0)
		close(st->dirfd);
	st->dirfd = -1;
}

static bool is_ioctl_step(unsigned int op)
{
	return op == OP_LAUNCH_START || op == OP_LAUNCH_UPDATE || op == OP_UPDATE_VMSA ||
	       op == OP_LAUNCH_FINISH || op == OP_SEV_IOCTL;
}

static const struct launch *failed_launch(const struct launch_table *lt, uint32_t pid,
					  const struct gfn_event *e)
{
	for (int i = 0; lt && i < lt->n; i++) {
		const struct launch *l = &lt->vms[i];

		if (l->vm_pid == pid && l->state == LAUNCH_FAILED && !memcmp(&l->fail, e, sizeof(*e)))
			return l;
	}
	return NULL;
}

/* "launch_update (sev_mem_enc_ioctl) failed: EIO, fw INVALID_PARAM (0x16), SNP_LAUNCH_UPDATE, gfn 0x80e slot 3" */
static void decode_failure(const struct gfn_event *e, char *buf, size_t len)
{
	char err[32], cmd[32];
	size_t used;

	used = (size_t)snprintf(buf, len, "%s (%s) failed", op_name(e->op), func_name(e->func_id));
	if ((e->flags & EVF_RET) && e->ret < 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ": %s", fmt_err(err, sizeof(err), e->ret));
	if ((e->flags & EVF_FW) && e->fw_error > 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", fw %s (0x%x)",
					 decode_sev_ret(e->fw_error) ?: "?", (unsigned int)e->fw_error);
	if ((e->flags & EVF_PSP_CMD) && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", %s", fmt_psp_cmd(cmd, sizeof(cmd), e->psp_cmd));
	if ((e->flags & EVF_GFN) && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", gfn 0x%" PRIx64, (uint64_t)e->gfn_start);
	if ((e->flags & EVF_SLOT) && used < len)
		snprintf(buf + used, len - used, " slot %u", e->slot);
}

const struct gfn_event *incident_explain(const struct incident *inc, const struct launch_table *lt,
					 char *cause, size_t len)
{
	const struct gfn_event *primary = &inc->trigger;
	const struct launch *l;

	for (size_t i = inc->before ? inc->before - 1 : 0; i < inc->n; i++) {
		if (is_ioctl_step(inc->ev[i].op) && event_failed(&inc->ev[i])) {
			primary = &inc->ev[i];
			break;
		}
	}
	l = failed_launch(lt, inc->pid, primary);
	if (l) {
		char state[320];

		launch_state_line(l, state, sizeof(state));
		snprintf(cause, len, "%s; likely cause: %s", state, l->cause);
	} else {
		decode_failure(primary, cause, len);
	}
	return primary;
}

/* the launch's chain events that the rings no longer held: written first, they are the oldest */
static int write_missing_chain(struct csv_writer *w, const struct incident *inc, const struct launch *l)
{
	const struct gfn_event *chain[4] = {
		l->chain.has_populate ? &l->chain.populate : NULL, l->chain.has_post ? &l->chain.post : NULL,
		l->chain.has_psp ? &l->chain.psp : NULL, l->chain.has_rmp ? &l->chain.rmp : NULL,
	};

	for (int c = 0; c < 4; c++) {
		bool held = false;

		if (!chain[c])
			continue;
		for (size_t i = 0; i < inc->n && !held; i++)
			held = !memcmp(&inc->ev[i], chain[c], sizeof(*chain[c]));
		if (!held && csv_write(w, chain[c]))
			return -1;
	}
	return 0;
}

int incident_write(struct incident_store *st, const struct incident *inc, const struct launch_table *lt)
{
	char stamp[32], name[256], path[4400], cause[1024], err[4608];
	const struct gfn_event *primary = incident_explain(inc, lt, cause, sizeof(cause));
	const struct launch *l = failed_launch(lt, inc->pid, primary);
	struct csv_writer *w;
	int rc = 0, n;

	utc_stamp(stamp, sizeof(stamp), inc->trigger.ts_ns);
	snprintf(name, sizeof(name), "%s-%u-%s" SUFFIX, stamp, inc->pid, op_name(primary->op));
	snprintf(path, sizeof(path), "%s/%s", st->dir, name);
	w = csv_open_at(st->dirfd, name, path, &(struct csv_open_opts){ .mode = CSV_ATOMIC }, err, sizeof(err));
	if (!w) {
		st->failed++;
		log_line(LOGL_ERR, "incident: VM %u: %s; the file could not be written: %s", inc->pid, cause, err);
		return -1;
	}
	if (csv_begin(w) || (l && write_missing_chain(w, inc, l)))
		rc = -1;
	for (size_t i = 0; i < inc->n && !rc; i++)
		rc = csv_write(w, &inc->ev[i]) ? -1 : 0;
	if (csv_close(w, rc == 0) || rc) {
		st->failed++;
		log_line(LOGL_ERR, "incident: VM %u: %s; the file could not be written: %s", inc->pid, cause,
			 csv_strerror(w));
		csv_free(w);
		return -1;
	}
	csv_free(w);
	st->written++;
	snprintf(st->last, sizeof(st->last), "%s", name);
	log_line(LOGL_ERR, "incident: VM %u: %s; %zu events (%zu before the failure%s) in %s", inc->pid, cause,
		 inc->n, inc->before ? inc->before - 1 : 0,
		 inc->after_dropped ? ", the window's later events cut short" : "", path);
	n = prune_files(st->dirfd, "", SUFFIX, name, &st->keep);
	if (n > 0)
		log_line(LOGL_NOTICE, "incidents: removed the %d oldest (--incident-keep)", n);
	return 0;
}
