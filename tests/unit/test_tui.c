// SPDX-License-Identifier: GPL-2.0
/* The TUI's view model: lines for given states, keys, selection, narrow terminals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "views/tui/internal.h"

static struct agg agg;
static struct launch_table launches;
static struct recent recent;
static struct tui_data data = { .agg = &agg, .launches = &launches, .recent = &recent, .kernel = "6.12",
				.probes = "mmu 8/9 tp 3/3" };
static struct tui_state st;
static struct tui_screen scr;

static void feed(uint32_t pid, uint64_t vmid, const char *comm, uint8_t op, int slot, int64_t ret, uint64_t n)
{
	struct gfn_event e = { .ts_ns = 1000, .vm_pid = pid, .vm_id = vmid, .pid = pid, .op = op, .ret = ret,
			       .npages = n, .dur_ns = 2000, .gfn_start = 0x10, .gfn_end = 0x10 + n,
			       .flags = EVF_TASK | EVF_VM_PID | EVF_VM_ID | EVF_RET | EVF_NPAGES | EVF_DUR | EVF_GFN };

	if (slot >= 0) {
		e.slot = (uint16_t)slot;
		e.flags |= EVF_SLOT;
	}
	strncpy(e.comm, comm, sizeof(e.comm) - 1);
	agg_add(&agg, &e);
	launch_add(&launches, &e);
	recent_add(&recent, &e);
}

static int reset(void **state)
{
	(void)state;
	memset(&agg, 0, sizeof(agg));
	launch_init(&launches);
	memset(&recent, 0, sizeof(recent));
	tui_state_init(&st, 1.0);
	st.cumulative = true;
	return 0;
}

static const char *screen_has(const char *text)
{
	for (int i = 0; i < scr.n; i++)
		if (strstr(scr.line[i].text, text))
			return scr.line[i].text;
	return NULL;
}

static int line_of(const char *text)
{
	for (int i = 0; i < scr.n; i++)
		if (strstr(scr.line[i].text, text))
			return i;
	return -1;
}

static void draw(int rows, int cols)
{
	tui_sync(&st, &data);
	tui_render(&st, &data, &scr, rows, cols);
}

static void empty_host(void **state)
{
	(void)state;
	draw(24, 80);
	assert_int_equal(scr.n, 24);
	assert_non_null(screen_has("gfntop - VMs - kernel 6.12"));
	assert_non_null(screen_has("probes mmu 8/9 tp 3/3"));
	assert_non_null(screen_has("(no VM seen yet)"));
	assert_non_null(screen_has("q quit"));
}

static void healthy_vm_and_selection_follows_the_item(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++)
		feed(100, 0xa, "qemu-a", OP_UNMAP, 0, 0, 4);
	feed(200, 0xb, "qemu-b", OP_UNMAP, 1, 0, 1);
	draw(24, 100);
	assert_true(line_of("qemu-a") < line_of("qemu-b"));		/* sorted by ops */
	assert_int_equal(scr.line[line_of("qemu-a")].attr, TA_SELECTED);	/* first row selected */
	tui_key(&st, &data, TK_DOWN);
	draw(24, 100);
	assert_int_equal(scr.line[line_of("qemu-b")].attr, TA_SELECTED);
	for (int i = 0; i < 10; i++)		/* qemu-b overtakes: order changes, selection stays on it */
		feed(200, 0xb, "qemu-b", OP_UNMAP, 1, 0, 1);
	draw(24, 100);
	assert_true(line_of("qemu-b") < line_of("qemu-a"));
	assert_int_equal(scr.line[line_of("qemu-b")].attr, TA_SELECTED);
	tui_key(&st, &data, 'I');		/* inverted: qemu-a first again */
	draw(24, 100);
	assert_true(line_of("qemu-a") < line_of("qemu-b"));
	assert_non_null(screen_has("(inverted)"));
}

static void drill_down_and_back(void **state)
{
	(void)state;
	feed(100, 0xa, "qemu-a", OP_UNMAP, 3, 0, 4);
	tui_key(&st, &data, TK_ENTER);
	draw(24, 100);
	assert_non_null(screen_has("memslots"));
	assert_non_null(screen_has("   0     3 unmap            0x10 "));
	tui_key(&st, &data, TK_ENTER);
	draw(24, 100);
	assert_non_null(screen_has("VM 100 slot 3 unmap"));
	assert_non_null(screen_has("0x10-0x14"));
	tui_key(&st, &data, TK_ESC);
	tui_key(&st, &data, TK_BACK);
	draw(24, 100);
	assert_non_null(screen_has("gfntop - VMs"));
}

static void failing_launch_in_every_view(void **state)
{
	struct gfn_event post = { .op = OP_POST_POPULATE, .family = FAM_SNP, .iter_id = 2, .ret = -EIO,
				  .fw_error = 0x16, .psp_cmd = 0xa1, .page_type = 6, .gfn_start = 0x80e,
				  .gfn_end = 0x80f, .vm_pid = 300, .vm_id = 0xc,
				  .flags = EVF_RET | EVF_FW | EVF_PSP_CMD | EVF_PAGE_TYPE | EVF_GFN | EVF_VM_PID | EVF_VM_ID };

	(void)state;
	feed(300, 0xc, "qemu-snp", OP_LAUNCH_START, -1, 0, 0);
	agg_add(&agg, &post);
	launch_add(&launches, &post);
	recent_add(&recent, &post);
	post.op = OP_LAUNCH_UPDATE;	/* the ioctl itself, same iter_id: it names the chain */
	post.flags &= (uint16_t)~(EVF_FW | EVF_PSP_CMD);
	post.flags |= EVF_TASK;
	strcpy(post.comm, "qemu-snp");
	agg_add(&agg, &post);
	launch_add(&launches, &post);
	recent_add(&recent, &post);
	draw(24, 140);
	assert_non_null(screen_has("FAILED launch_update gfn 0x80e CPUID: EIO, fw INVALID_PARAM"));
	assert_int_equal(scr.line[line_of("qemu-snp")].attr, TA_SELECTED);
	tui_key(&st, &data, 'e');
	draw(24, 140);
	assert_non_null(screen_has("likely cause: firmware rejected the CPUID page (INVALID_PARAM)"));
	assert_non_null(screen_has("post_populate"));
	assert_non_null(screen_has("fw INVALID_PARAM SNP_LAUNCH_UPDATE"));
	tui_key(&st, &data, 'L');
	draw(24, 140);
	assert_non_null(screen_has("SNP launches"));
	assert_non_null(screen_has("likely cause: firmware rejected the CPUID page"));
}

static void narrow_terminal(void **state)
{
	(void)state;
	draw(23, 80);
	assert_int_equal(scr.n, 1);
	assert_string_equal(scr.line[0].text, "gfntop needs at least 80x24 (this terminal is 80x23)");
	draw(24, 79);
	assert_non_null(screen_has("this terminal is 79x24"));
	draw(24, 80);
	assert_int_equal(scr.n, 24);
	for (int i = 0; i < scr.n; i++)		/* nothing is wider than the screen once painted... */
		assert_true(strlen(scr.line[i].text) < TUI_LINE_BYTES);
}

static void help_is_generated_from_the_key_table(void **state)
{
	(void)state;
	tui_key(&st, &data, '?');
	draw(40, 100);
	for (int i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].name && !screen_has(tui_keys[i].help))
			fail_msg("help lacks '%s'", tui_keys[i].help);
	tui_key(&st, &data, 'x');	/* any key leaves the help */
	assert_int_equal(st.view, TV_VMS);
}

static void prompts_filter_pid_delay(void **state)
{
	(void)state;
	feed(100, 0xa, "qemu-a", OP_UNMAP, 0, 0, 4);
	feed(200, 0xb, "other", OP_UNMAP, 0, 0, 4);
	tui_key(&st, &data, '/');
	tui_key(&st, &data, 'o');
	tui_key(&st, &data, 't');	/* incremental: applies as typed */
	draw(24, 100);
	assert_non_null(screen_has("other"));
	assert_null(screen_has("qemu-a"));
	tui_key(&st, &data, TK_ESC);
	tui_key(&st, &data, '/');
	tui_key(&st, &data, TK_BACK);
	tui_key(&st, &data, TK_BACK);
	tui_key(&st, &data, TK_ENTER);
	tui_key(&st, &data, 'p');
	tui_key(&st, &data, '1');
	tui_key(&st, &data, '0');
	tui_key(&st, &data, '0');
	tui_key(&st, &data, TK_ENTER);
	draw(24, 100);
	assert_non_null(screen_has("qemu-a"));
	assert_null(screen_has("other"));
	tui_key(&st, &data, 'd');
	tui_key(&st, &data, '2');
	tui_key(&st, &data, TK_ENTER);
	assert_true(st.delay == 2.0);
	tui_key(&st, &data, 'Z');
	draw(24, 100);
	assert_non_null(screen_has("FROZEN (recording continues)"));
}

static void hostile_comm_is_defused(void **state)
{
	(void)state;
	feed(100, 0xa, "a\x1b]0;x\a", OP_UNMAP, 0, 0, 1);
	draw(24, 100);
	assert_non_null(screen_has("a?]0;x?"));
	for (int i = 0; i < scr.n; i++)
		assert_null(strchr(scr.line[i].text, '\x1b'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(empty_host, reset),
		cmocka_unit_test_setup(healthy_vm_and_selection_follows_the_item, reset),
		cmocka_unit_test_setup(drill_down_and_back, reset),
		cmocka_unit_test_setup(failing_launch_in_every_view, reset),
		cmocka_unit_test_setup(narrow_terminal, reset),
		cmocka_unit_test_setup(help_is_generated_from_the_key_table, reset),
		cmocka_unit_test_setup(prompts_filter_pid_delay, reset),
		cmocka_unit_test_setup(hostile_comm_is_defused, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
