// SPDX-License-Identifier: GPL-2.0
/*
 * The viewers' protocol: the checks of sources/wire.c, and the viewer's end
 * (sources/socket.c) against a fake recorder that sends what a broken or
 * hostile one could: each must end the source with the reason, never hand on
 * what it could not check. And the snapshot encoder's largest snapshot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "record/snapshot.h"
#include "sources/socket.h"
#include "sources/wire.h"

static size_t build(char *buf, unsigned int type, uint32_t count, const void *recs)
{
	struct wire_hdr h = { WIRE_MAGIC, WIRE_VERSION, (uint16_t)type, count, (uint32_t)wire_rec_size(type) };

	memcpy(buf, &h, sizeof(h));
	if (recs)
		memcpy(buf + sizeof(h), recs, count * wire_rec_size(type));
	return sizeof(h) + count * wire_rec_size(type);
}

static void checks_every_rule(void **state)
{
	static char buf[WIRE_MAX_MSG + 256];
	char err[160];
	struct wire_hdr h;
	size_t n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	n = build(buf, W_CLIENT_HELLO, 1, NULL);
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), 0);
	assert_int_equal(wire_check(buf, n, WD_TO_VIEWER, err, sizeof(err)), -1);	/* wrong way */
	assert_non_null(strstr(err, "CLIENT_HELLO may not be sent this way"));
	assert_int_equal(wire_check(buf, n - 1, WD_TO_RECORDER, err, sizeof(err)), -1);
	assert_int_equal(wire_check(buf, 3, WD_TO_RECORDER, err, sizeof(err)), -1);
	memcpy(&h, buf, sizeof(h));
	h.magic ^= 1;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "magic"));
	h.magic ^= 1;
	h.version = 2;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "version 2"));
	h.version = WIRE_VERSION;
	h.rec_size = 33;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), -1);
	h.rec_size = 32;
	h.count = 2;	/* a hello is one record */
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n + 32, WD_TO_RECORDER, err, sizeof(err)), -1);
	h.count = 1;
	h.type = 0;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), -1);
	h.type = W_NTYPES;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, n, WD_TO_RECORDER, err, sizeof(err)), -1);
	/* events: as many as fit in a message, not one more */
	n = build(buf, W_EVENTS, wire_per_msg(W_EVENTS), NULL);
	assert_true(n <= WIRE_MAX_MSG);
	assert_int_equal(wire_check(buf, n, WD_TO_VIEWER, err, sizeof(err)), 0);
	n = build(buf, W_EVENTS, wire_per_msg(W_EVENTS) + 1, NULL);
	assert_int_equal(wire_check(buf, n, WD_TO_VIEWER, err, sizeof(err)), -1);
	/* a count whose records would overflow 32 bits of length */
	h = (struct wire_hdr){ WIRE_MAGIC, WIRE_VERSION, W_EVENTS, 0x02000001u, 128 };
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(wire_check(buf, 16 + 128, WD_TO_VIEWER, err, sizeof(err)), -1);
}

static void checks_events(void **state)
{
	struct gfn_event e = { .family = FAM_TP, .op = OP_TP_UNMAP_HVA, .flags = EVF_TASK };
	char err[128];

	(void)state;
	memset(e.comm, 'x', sizeof(e.comm));	/* not terminated: it is made so */
	assert_int_equal(wire_check_event(&e, err, sizeof(err)), 0);
	assert_int_equal(e.comm[GFN_COMM_LEN - 1], '\0');
	e.family = FAM_COUNT;
	assert_int_equal(wire_check_event(&e, err, sizeof(err)), -1);
	e.family = FAM_TP;
	e.op = OP_COUNT;
	assert_int_equal(wire_check_event(&e, err, sizeof(err)), -1);
	e.op = OP_NONE;
	assert_int_equal(wire_check_event(&e, err, sizeof(err)), -1);
	e.op = OP_TP_UNMAP_HVA;
	e.flags = 1 << 15;
	assert_int_equal(wire_check_event(&e, err, sizeof(err)), -1);
}

/* the largest snapshot fits the queue the server reserves for it, and every message fits the protocol */
static int count_bytes(void *ctx, unsigned int type, const void *recs, uint32_t count)
{
	size_t *bytes = ctx;

	(void)recs;
	assert_true(count >= 1 && count <= wire_per_msg(type));
	*bytes += 4 + sizeof(struct wire_hdr) + count * wire_rec_size(type);
	return 0;
}

static void snapshot_bounded(void **state)
{
	static struct session s;
	struct session_config cfg = { 0 };
	size_t bytes = 0;

	(void)state;
	assert_int_equal(session_open(&s, &cfg), 0);
	/* full tables */
	for (uint32_t vm = 1; vm <= AGG_MAX_VMS; vm++) {
		for (int slot = 0; slot < AGG_MAX_ROWS / AGG_MAX_VMS; slot++) {
			struct gfn_event e = { .ts_ns = 1, .vm_pid = vm, .family = FAM_MMU, .op = OP_UNMAP,
					       .slot = (uint16_t)slot, .flags = EVF_VM_PID | EVF_SLOT };

			session_event(&s, &e);
		}
	}
	for (uint32_t vm = 1; vm <= LAUNCH_MAX_VMS; vm++) {
		struct gfn_event e = { .ts_ns = 2, .vm_pid = vm, .family = FAM_SNP, .op = OP_LAUNCH_START,
				       .ret = -5, .flags = EVF_VM_PID | EVF_RET };

		for (int i = 0; i < RECENT_FAILURES; i++)
			session_event(&s, &e);
	}
	assert_int_equal(s.agg->nvms, AGG_MAX_VMS);
	assert_int_equal(s.agg->nrows, AGG_MAX_ROWS);
	assert_int_equal(s.launches.n, LAUNCH_MAX_VMS);
	assert_int_equal(snapshot_encode(&s, count_bytes, &bytes), 0);
	assert_true(bytes <= snapshot_max_bytes());
	assert_true(bytes > snapshot_max_bytes() - 4096);	/* and the bound is not loose */
	session_close(&s, true);
}

/* ---- the viewer's end against a fake recorder ---- */

static char sock_path[108];

struct fake {
	char msg[WIRE_MAX_MSG];
	size_t len;
};

/* A recorder that says hello, reads the viewer's, then sends `n` messages and waits. */
static pid_t fake_recorder(const struct fake *msgs, int n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	pid_t pid;

	snprintf(sock_path, sizeof(sock_path), "/tmp/gfntop-wire-%d.sock", (int)getpid());
	unlink(sock_path);
	memcpy(a.sun_path, sock_path, strlen(sock_path));
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	pid = fork();
	if (pid == 0) {
		static char buf[WIRE_MAX_MSG];
		struct wire_hello h = { .proto = WIRE_VERSION, .event_size = sizeof(struct gfn_event) };
		int c = accept(l, NULL, NULL);

		snprintf(h.probes, sizeof(h.probes), "tp 3/3");
		send(c, buf, build(buf, W_HELLO, 1, &h), 0);
		recv(c, buf, sizeof(buf), 0);
		for (int i = 0; i < n; i++)
			send(c, msgs[i].msg, msgs[i].len, MSG_NOSIGNAL);
		pause();
		_exit(0);
	}
	close(l);
	return pid;
}

static int events_seen;

static int on_event(void *ctx, struct gfn_event *e)
{
	(void)ctx;
	(void)e;
	events_seen++;
	return 0;
}

static void ignore_begin(void *c, const struct wire_snap_begin *b) { (void)c; (void)b; }
static void ignore_vm(void *c, const struct wire_vm *v) { (void)c; (void)v; }
static void ignore_row(void *c, const struct wire_row *r) { (void)c; (void)r; }
static void ignore_launch(void *c, const struct wire_launch *l) { (void)c; (void)l; }
static void ignore_event(void *c, const struct gfn_event *e, bool f) { (void)c; (void)e; (void)f; }
static void ignore_end(void *c) { (void)c; }

static const struct socket_callbacks cbs = {
	.event = on_event, .snap_begin = ignore_begin, .snap_vm = ignore_vm, .snap_row = ignore_row,
	.snap_launch = ignore_launch, .snap_event = ignore_event, .snap_end = ignore_end,
};

/* runs the messages past a viewer; returns socket_why() ("" if it did not end) */
static const char *viewer_verdict(const struct fake *msgs, int n, int *events)
{
	static char why[256];
	pid_t pid = fake_recorder(msgs, n);
	char err[512];
	struct socket_source *ss = socket_open(sock_path, true, &cbs, NULL, err, sizeof(err));

	assert_non_null(ss);
	events_seen = 0;
	for (int i = 0; i < 20 && !socket_ended(ss); i++)
		socket_poll(ss, 50);
	snprintf(why, sizeof(why), "%s", socket_why(ss));
	*events = events_seen;
	socket_close(ss);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
	return why;
}

static void viewer_refuses_a_hostile_recorder(void **state)
{
	static struct fake m[4];
	struct gfn_event e = { .family = FAM_TP, .op = OP_TP_UNMAP_HVA, .func_id = 1 };
	struct wire_func f = { .id = 1 };
	struct wire_snap_begin b = { .nvms = 1 };
	struct wire_vm vm = { .vm_pid = 5 };
	const char *why;
	int events;

	(void)state;
	snprintf(f.name, sizeof(f.name), "kvm:kvm_unmap_hva_range");
	/* announced, then used: accepted */
	m[0].len = build(m[0].msg, W_FUNCS, 1, &f);
	m[1].len = build(m[1].msg, W_EVENTS, 1, &e);
	why = viewer_verdict(m, 2, &events);
	assert_string_equal(why, "");
	assert_int_equal(events, 1);
	/* a function id never announced */
	m[0].len = build(m[0].msg, W_EVENTS, 1, &e);
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "function id 1, never announced"));
	assert_int_equal(events, 0);
	/* a function name with an escape sequence in it */
	memcpy(f.name, "\x1b[2Jevil", 9);
	m[0].len = build(m[0].msg, W_FUNCS, 1, &f);
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "malformed function name"));
	/* an event of an op that does not exist */
	e.func_id = 0;
	e.op = 200;
	m[0].len = build(m[0].msg, W_EVENTS, 1, &e);
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "op 200"));
	assert_int_equal(events, 0);
	/* a snapshot's records out of order, too many, or with an event inside it */
	e.op = OP_TP_UNMAP_HVA;
	m[0].len = build(m[0].msg, W_SNAP_BEGIN, 1, &b);
	m[1].len = build(m[1].msg, W_EVENTS, 1, &e);
	why = viewer_verdict(m, 2, &events);
	assert_non_null(strstr(why, "a message inside a snapshot"));
	struct wire_vm two[2] = { vm, vm };

	m[1].len = build(m[1].msg, W_SNAP_VM, 2, two);
	why = viewer_verdict(m, 2, &events);
	assert_non_null(strstr(why, "more snapshot records than it announced"));
	m[1].len = build(m[1].msg, W_SNAP_END, 1, &(struct wire_snap_end){ 0 });
	why = viewer_verdict(m, 2, &events);
	assert_non_null(strstr(why, "fewer snapshot records"));
	m[0].len = build(m[0].msg, W_SNAP_END, 1, &(struct wire_snap_end){ 0 });
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "end without its beginning"));
	/* a message from the wrong direction, and a truncated one */
	m[0].len = build(m[0].msg, W_CLIENT_HELLO, 1, &(struct wire_client_hello){ 0 });
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "may not be sent this way"));
	m[0].len = build(m[0].msg, W_EVENTS, 1, &e) - 1;
	why = viewer_verdict(m, 1, &events);
	assert_non_null(strstr(why, "broke the viewers' protocol"));
	/* BYE: the ordinary end */
	m[0].len = build(m[0].msg, W_BYE, 1, &(struct wire_bye){ .reason = WB_STOPPING, .text = "stopping" });
	why = viewer_verdict(m, 1, &events);
	assert_string_equal(why, "the recorder said: stopping");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_every_rule),
		cmocka_unit_test(checks_events),
		cmocka_unit_test(snapshot_bounded),
		cmocka_unit_test(viewer_refuses_a_hostile_recorder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
