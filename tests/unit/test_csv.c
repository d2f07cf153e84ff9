// SPDX-License-Identifier: GPL-2.0
/* CSV trace writer and reader: schema, quoting, spreadsheet guard, round trip, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/writer.h"
#include "base/names.h"
#include "trace/reader.h"

#define MAX_EV 16

struct collect {
	struct gfn_event ev[MAX_EV];
	int n;
};

static int collect_fn(void *ctx, struct gfn_event *e)
{
	struct collect *c = ctx;

	if (c->n < MAX_EV)
		c->ev[c->n++] = *e;
	return 0;
}

static struct gfn_event handler_event(void)
{
	struct gfn_event e = {
		.ts_ns = 1795577518436373710ULL, .dur_ns = 2345, .vm_id = 0x0123456789abcdefULL,
		.iter_id = 77, .gfn_start = 0x40010, .gfn_end = 0x40014, .hva_start = 0x7f1132e10000ULL,
		.hva_end = 0x7f1132e14000ULL, .npages = 4, .ret = 1, .cpu = 1, .pid = 4225, .vm_pid = 4225,
		.family = FAM_MMU, .op = OP_UNMAP, .slot = 1, .as_id = 0,
		.flags = EVF_TASK | EVF_DUR | EVF_SLOT | EVF_GFN | EVF_HVA | EVF_VM_PID | EVF_VM_ID |
			 EVF_RET | EVF_NPAGES,
	};

	strcpy(e.comm, "qemu-system-x86");
	e.func_id = (uint16_t)func_intern("kvm_unmap_gfn_range", strlen("kvm_unmap_gfn_range"));
	return e;
}

static void row_has_exact_columns(void **state)
{
	struct gfn_event e = handler_event();
	char buf[2048];
	size_t n = csv_format_row(buf, sizeof(buf), &e);

	(void)state;
	buf[n] = '\0';
	assert_string_equal(buf, "1795577518436373710,1,4225,qemu-system-x86,4225,0123456789abcdef,mmu,unmap,"
				 "kvm_unmap_gfn_range,77,0,1,0x40010,0x40014,4,0x7f1132e10000,0x7f1132e14000,"
				 "2345,1,,,,,\n");
}

static void failure_row_names_errno_and_firmware(void **state)
{
	struct gfn_event e = { .ts_ns = 5, .ret = -5, .fw_error = 0x16, .psp_cmd = 0xa1, .page_type = 1,
			       .family = FAM_SNP, .op = OP_POST_POPULATE,
			       .flags = EVF_RET | EVF_FW | EVF_PSP_CMD | EVF_PAGE_TYPE };
	char buf[2048];

	(void)state;
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_string_equal(buf, "5,,,,,,snp,post_populate,,,,,,,,,,,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,NORMAL\n");
}

static void lost_row(void **state)
{
	struct gfn_event e = { .ts_ns = 9, .op = OP_LOST, .ret = 12, .flags = EVF_RET };
	char buf[2048];

	(void)state;
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_string_equal(buf, "9,,,,,,,lost,,,,,,,,,,,12,,,,,\n");
}

static void text_is_quoted_guarded_and_cleaned(void **state)
{
	struct gfn_event e = { .ts_ns = 1, .op = OP_UNMAP, .flags = EVF_TASK };
	char buf[2048];

	(void)state;
	strcpy(e.comm, "a,\"b\"");
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_non_null(strstr(buf, ",\"a,\"\"b\"\"\","));

	strcpy(e.comm, "=cmd|x");	/* a formula a spreadsheet would run */
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_non_null(strstr(buf, ",'=cmd|x,"));

	strcpy(e.comm, "-5");		/* a number is left alone */
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_non_null(strstr(buf, ",-5,"));

	strcpy(e.comm, "a\nb\x1b[2J\xff");	/* control bytes, escape, invalid UTF-8 */
	buf[csv_format_row(buf, sizeof(buf), &e)] = '\0';
	assert_non_null(strstr(buf, ",a?b?[2J?,"));
	assert_null(strchr(buf, '\x1b'));
}

static void round_trip(void **state)
{
	struct gfn_event in[4] = { handler_event() };
	static char text[16384];
	char err[256];
	size_t used;
	struct collect c = { 0 };

	(void)state;
	in[1] = (struct gfn_event){ .ts_ns = 5, .ret = -512, .fw_error = -1, .psp_cmd = 0x1234,
				    .page_type = 9, .family = FAM_SNP, .op = OP_LAUNCH_UPDATE,
				    .flags = EVF_RET | EVF_FW | EVF_PSP_CMD | EVF_PAGE_TYPE };
	in[2] = (struct gfn_event){ .ts_ns = 6, .op = OP_LOST, .ret = 3, .flags = EVF_RET };
	in[3] = handler_event();
	strncpy(in[3].comm, "'@x,\"y\"", sizeof(in[3].comm));	/* guard + quotes, still exact after a round trip */
	in[3].flags &= (uint16_t)~(EVF_DUR | EVF_VM_ID);
	in[3].dur_ns = 0;
	in[3].vm_id = 0;

	used = (size_t)snprintf(text, sizeof(text), "%s\n", CSV_HEADER);
	for (int i = 0; i < 4; i++)
		used += csv_format_row(text + used, sizeof(text) - used, &in[i]);
	assert_int_equal(csv_replay_mem("t.csv", text, used, collect_fn, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 4);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(&c.ev[i], &in[i], sizeof(in[i]));
}

static void columns_by_name_unknown_ignored_crlf(void **state)
{
	const char *t = "extra,page_type,psp_cmd,fw_name,fw_error,err,ret,dur_ns,hva_end,hva_start,npages,"
			"gfn_end,gfn_start,slot,as_id,iter_id,func,op,family,vm_id,vm_pid,comm,pid,cpu,ts_ns\r\n"
			"zzz,,,,,,,,0x2000,0x1000,1,,,,,,kvm:kvm_unmap_hva_range,tp_unmap_hva,tp,,42,qemu,42,0,100\r\n";
	char err[256];
	struct collect c = { 0 };

	(void)state;
	assert_int_equal(csv_replay_mem("t.csv", t, strlen(t), collect_fn, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ev[0].ts_ns, 100);
	assert_int_equal(c.ev[0].vm_pid, 42);
	assert_int_equal(c.ev[0].op, OP_TP_UNMAP_HVA);
	assert_int_equal(c.ev[0].hva_start, 0x1000);
	assert_int_equal(c.ev[0].hva_end, 0x2000);
	assert_string_equal(c.ev[0].comm, "qemu");
	assert_string_equal(func_name(c.ev[0].func_id), "kvm:kvm_unmap_hva_range");
}

/* replays `t` and expects failure with a message containing `want` */
static void expect_error(const char *t, const char *want)
{
	char err[512] = "";
	struct collect c = { 0 };

	assert_int_equal(csv_replay_mem("bad.csv", t, strlen(t), collect_fn, &c, err, sizeof(err)), -1);
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
}

#define ROW "1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1000,0x2000,,,,,,,"

static void errors_name_file_line_column(void **state)
{
	(void)state;
	expect_error("", "bad.csv:1:1: empty trace");
	expect_error("ts_ns,cpu\n", "bad.csv:1:1: missing required column 'pid'");
	expect_error(CSV_HEADER ",ts_ns\n", "bad.csv:1:");	/* duplicate */
	expect_error(CSV_HEADER ",ts_ns\n", "duplicate column 'ts_ns'");
	expect_error(CSV_HEADER "\n" ROW "\n1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0xZZ,0x2000,,,,,,,\n",
		     "bad.csv:3:37: column 'hva_start': invalid hex value (0x...) '0xZZ'");
	expect_error(CSV_HEADER "\n1,0,1,\"unterminated,1\n", "bad.csv:2:7: unterminated quoted field");
	expect_error(CSV_HEADER "\n" ROW ",extra\n", "bad.csv:2:1: row has 25 fields, the header has 24");
	expect_error(CSV_HEADER "\nx" ROW "\n", "bad.csv:2:1: column 'ts_ns': invalid number 'x1'");
	expect_error(CSV_HEADER "\n1,0,1,c,1,,tp,bogus,f,,,,,,1,0x1000,0x2000,,,,,,,\n",
		     "column 'op': unknown operation 'bogus'");
	expect_error(CSV_HEADER "\n1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0x1000,0x2000,,-,,,,,\n",
		     "column 'ret': invalid number '-'");
	expect_error(CSV_HEADER "\n1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,99999999999999999999,0x1000,0x2000,,,,,,,\n",
		     "column 'npages': invalid number");
	expect_error(CSV_HEADER "\n1,0,1,c\r1\n", "carriage return not followed by a line feed");
	expect_error(CSV_HEADER "\n1,0,1,c\"d,1\n", "quote inside an unquoted field");
	expect_error(CSV_HEADER "\n1,0,1,comm-longer-than-15,1,,tp,tp_unmap_hva,f,,,,,,1,0x1,0x2,,,,,,,\n",
		     "column 'comm': value too long");
}

static void nul_byte_and_huge_field(void **state)
{
	static char big[8 * 1024];
	char t[] = CSV_HEADER "\n1,0,1,c\0,1\n";

	(void)state;
	{
		char err[256];
		struct collect c = { 0 };

		assert_int_equal(csv_replay_mem("bad.csv", t, sizeof(t) - 1, collect_fn, &c, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "bad.csv:2:8: NUL byte"));
	}
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, CSV_HEADER "\n", sizeof(CSV_HEADER));
	expect_error(big, "field longer than 4096 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_has_exact_columns),
		cmocka_unit_test(failure_row_names_errno_and_firmware),
		cmocka_unit_test(lost_row),
		cmocka_unit_test(text_is_quoted_guarded_and_cleaned),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(columns_by_name_unknown_ignored_crlf),
		cmocka_unit_test(errors_name_file_line_column),
		cmocka_unit_test(nul_byte_and_huge_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
