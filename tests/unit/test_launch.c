// SPDX-License-Identifier: GPL-2.0
/*
 * SNP launch sessions over recorded-shape event sequences: the rows gfntop
 * writes for one LAUNCH_UPDATE ioctl arrive in exit order (RMP, PSP,
 * post_populate, populate, then the ioctl). One test per failure class of
 * KERNEL.md §5.5, plus success and partial progress.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "model/launch.h"

static struct launch_table t;

static struct gfn_event ev(uint8_t family, uint8_t op, uint64_t iter, int64_t ret)
{
	struct gfn_event e = { .ts_ns = 1000000000ULL * iter, .dur_ns = 1000, .family = family, .op = op,
			       .iter_id = iter, .ret = ret, .flags = EVF_RET | EVF_DUR };

	if (family == FAM_SNP) {	/* these carry the struct kvm */
		e.vm_pid = 42;
		e.vm_id = 0xabc;
		e.flags |= EVF_VM_PID | EVF_VM_ID;
	}
	return e;
}

static void feed(struct gfn_event e)
{
	launch_add(&t, &e);
}

static void ioctl(uint8_t op, uint64_t iter, int64_t ret, uint64_t gfn, uint64_t npages, uint8_t type)
{
	struct gfn_event e = ev(FAM_SNP, op, iter, ret);

	if (npages) {
		e.gfn_start = gfn;
		e.gfn_end = gfn + npages;
		e.npages = npages;
		e.page_type = type;
		e.flags |= EVF_GFN | EVF_NPAGES | EVF_PAGE_TYPE;
	}
	feed(e);
}

static void post_populate(uint64_t iter, int64_t ret, uint64_t gfn, uint8_t type, int fw)
{
	struct gfn_event e = ev(FAM_SNP, OP_POST_POPULATE, iter, ret);

	e.gfn_start = gfn;
	e.gfn_end = gfn + 1;
	e.npages = 1;
	e.page_type = type;
	e.flags |= EVF_GFN | EVF_NPAGES | EVF_PAGE_TYPE;
	if (fw >= 0) {
		e.fw_error = fw;
		e.psp_cmd = 0xa1;
		e.flags |= EVF_FW | EVF_PSP_CMD;
	}
	feed(e);
}

static void psp(uint64_t iter, int64_t ret, int fw)
{
	struct gfn_event e = ev(FAM_PSP, OP_PSP_CMD, iter, ret);

	e.psp_cmd = 0xa1;
	e.fw_error = fw;
	e.flags |= EVF_PSP_CMD | EVF_FW;
	feed(e);
}

static const struct launch *vm(void)
{
	assert_int_equal(t.n, 1);
	assert_int_equal(t.vms[0].vm_pid, 42);
	return &t.vms[0];
}

static int setup(void **state)
{
	(void)state;
	launch_init(&t);
	ioctl(OP_LAUNCH_START, 1, 0, 0, 0, 0);
	return 0;
}

static void expect_failure(const char *line_part, const char *cause_part)
{
	char line[400];
	const struct launch *l = vm();

	assert_int_equal(l->state, LAUNCH_FAILED);
	launch_state_line(l, line, sizeof(line));
	if (!strstr(line, line_part))
		fail_msg("state line '%s' lacks '%s'", line, line_part);
	if (!strstr(l->cause, cause_part))
		fail_msg("cause '%s' lacks '%s'", l->cause, cause_part);
}

static void success(void **state)
{
	char line[400];

	(void)state;
	post_populate(2, 0, 0x100, 1, 0);
	feed((struct gfn_event){ .family = FAM_SNP, .op = OP_POPULATE, .iter_id = 2, .ret = 4,
				 .flags = EVF_RET });
	ioctl(OP_LAUNCH_UPDATE, 2, 0, 0x100, 4, 1);
	ioctl(OP_LAUNCH_UPDATE, 3, 0, 0x80e, 1, 6);
	ioctl(OP_UPDATE_VMSA, 4, 0, 0, 0, 0);
	assert_int_equal(vm()->state, LAUNCH_VMSA);
	ioctl(OP_LAUNCH_FINISH, 5, 0, 0, 0, 0);
	assert_int_equal(vm()->state, LAUNCH_FINISHED);
	assert_int_equal(vm()->by_type[1].pages, 4);
	assert_int_equal(vm()->by_type[6].pages, 1);
	assert_int_equal(vm()->partial_calls, 0);
	launch_state_line(vm(), line, sizeof(line));
	assert_string_equal(line, "FINISHED 4.0s, 5 pages");
}

static void cpuid_invalid_param(void **state)
{
	(void)state;
	psp(2, -EIO, 0x16);
	post_populate(2, -EIO, 0x80e, 6, 0x16);
	feed((struct gfn_event){ .family = FAM_SNP, .op = OP_POPULATE, .iter_id = 2, .ret = -EIO,
				 .vm_pid = 42, .vm_id = 0xabc, .flags = EVF_RET | EVF_VM_PID | EVF_VM_ID });
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x80e, 1, 6);
	expect_failure("FAILED launch_update gfn 0x80e CPUID: EIO, fw INVALID_PARAM (0x16), SNP_LAUNCH_UPDATE",
		       "firmware rejected the CPUID page (INVALID_PARAM)");
	assert_true(vm()->chain.has_psp && vm()->chain.has_post && vm()->chain.has_populate);
}

static void other_firmware_rejection(void **state)
{
	(void)state;
	post_populate(2, -EIO, 0x200, 1, 0x1a);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x200, 1, 1);
	expect_failure("fw INVALID_PAGE_STATE (0x1a)", "the firmware rejected the page (INVALID_PAGE_STATE)");
}

static void eexist_already_populated(void **state)
{
	(void)state;
	post_populate(2, -EEXIST, 0x300, 1, -1);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x300, 4, 1);
	expect_failure("FAILED launch_update gfn 0x300 NORMAL: EIO", "already private/populated (EEXIST inside)");
}

static void no_private_attribute(void **state)
{
	(void)state;
	feed((struct gfn_event){ .family = FAM_SNP, .op = OP_POPULATE, .iter_id = 2, .ret = -EINVAL,
				 .flags = EVF_RET });
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x400, 4, 1);
	expect_failure("gfn 0x400", "lacks the PRIVATE memory attribute");
}

static void rmpupdate_failure(void **state)
{
	(void)state;
	feed(ev(FAM_RMP, OP_RMP_PRIVATE, 2, -EFAULT));
	post_populate(2, -EFAULT, 0x500, 1, -1);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x500, 1, 1);
	expect_failure("gfn 0x500", "RMPUPDATE failed making the page private");
}

static void psp_timeout(void **state)
{
	(void)state;
	psp(2, -ETIMEDOUT, 0);
	post_populate(2, -ETIMEDOUT, 0x600, 1, -1);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x600, 1, 1);
	expect_failure("FAILED launch_update gfn 0x600 NORMAL: EIO", "the PSP command timed out");
}

static void dead_psp(void **state)
{
	(void)state;
	psp(2, -EBUSY, 0);
	post_populate(2, -EBUSY, 0x700, 1, -1);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x700, 1, 1);
	expect_failure("gfn 0x700", "the PSP is dead");
}

static void partial_progress_is_not_failure(void **state)
{
	char line[400];

	(void)state;
	feed((struct gfn_event){ .family = FAM_SNP, .op = OP_POPULATE, .iter_id = 2, .ret = 3,
				 .flags = EVF_RET });
	ioctl(OP_LAUNCH_UPDATE, 2, 0, 0x800, 8, 1);	/* returned 0 with len left: call again */
	assert_int_equal(vm()->state, LAUNCH_UPDATING);
	assert_int_equal(vm()->partial_calls, 1);
	assert_int_equal(vm()->by_type[1].pages, 3);
	launch_state_line(vm(), line, sizeof(line));
	assert_non_null(strstr(line, "UPDATE 3 pages"));
	assert_non_null(strstr(line, "(partial progress)"));
}

static void sev_disabled_at_start(void **state)
{
	(void)state;
	launch_init(&t);
	ioctl(OP_LAUNCH_START, 1, -ENOTTY, 0, 0, 0);
	expect_failure("FAILED launch_start: ENOTTY", "SEV is disabled in kvm_amd");
}

static void first_failure_is_kept(void **state)
{
	(void)state;
	post_populate(2, -EEXIST, 0x300, 1, -1);
	ioctl(OP_LAUNCH_UPDATE, 2, -EIO, 0x300, 4, 1);
	ioctl(OP_LAUNCH_UPDATE, 3, -EINVAL, 0x900, 4, 1);	/* a later failure */
	expect_failure("gfn 0x300", "EEXIST inside");
}

static bool never_alive(uint32_t pid)
{
	(void)pid;
	return false;
}

static bool always_alive(uint32_t pid)
{
	(void)pid;
	return true;
}

static void vmm_killed_mid_launch_is_aborted(void **state)
{
	char line[400];

	(void)state;
	feed((struct gfn_event){ .family = FAM_SNP, .op = OP_POPULATE, .iter_id = 2, .ret = 8,
				 .flags = EVF_RET });
	ioctl(OP_LAUNCH_UPDATE, 2, 0, 0x100, 8, 1);
	assert_int_equal(launch_reap(&t, always_alive), 0);
	assert_int_equal(vm()->state, LAUNCH_UPDATING);
	assert_int_equal(launch_reap(&t, never_alive), 1);
	assert_int_equal(vm()->state, LAUNCH_ABORTED);
	launch_state_line(vm(), line, sizeof(line));
	assert_string_equal(line, "ABORTED after 8 pages");
	assert_non_null(strstr(vm()->cause, "the VMM (pid 42) exited during the launch, after LAUNCH_UPDATE"));
	ioctl(OP_LAUNCH_FINISH, 3, 0, 0, 0, 0);		/* nothing after an abort changes it */
	assert_int_equal(vm()->state, LAUNCH_ABORTED);
	assert_int_equal(launch_reap(&t, never_alive), 0);	/* reaped once */
}

static void finished_launch_is_not_reaped(void **state)
{
	(void)state;
	ioctl(OP_LAUNCH_FINISH, 2, 0, 0, 0, 0);
	assert_int_equal(launch_reap(&t, never_alive), 0);
	assert_int_equal(vm()->state, LAUNCH_FINISHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(success, setup),
		cmocka_unit_test_setup(cpuid_invalid_param, setup),
		cmocka_unit_test_setup(other_firmware_rejection, setup),
		cmocka_unit_test_setup(eexist_already_populated, setup),
		cmocka_unit_test_setup(no_private_attribute, setup),
		cmocka_unit_test_setup(rmpupdate_failure, setup),
		cmocka_unit_test_setup(psp_timeout, setup),
		cmocka_unit_test_setup(dead_psp, setup),
		cmocka_unit_test_setup(partial_progress_is_not_failure, setup),
		cmocka_unit_test_setup(sev_disabled_at_start, setup),
		cmocka_unit_test_setup(first_failure_is_kept, setup),
		cmocka_unit_test_setup(vmm_killed_mid_launch_is_aborted, setup),
		cmocka_unit_test_setup(finished_launch_is_not_reaped, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
