/* SPDX-License-Identifier: MIT */
/*
 * test_csv_writer.c - unit tests of the CSV writer: quoting, the formula
 * guard and unsafe bytes
 *
 * Each case writes one cell into a memory stream and compares the bytes
 * written.  A second test reads hostile cells back with csv_split(), to
 * show that every record stays one line with the cells intact.  The
 * tests run again under tr_TR.UTF-8, whose decimal separator is ",".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/csv.h"
#include "bouncelog/csv_writer.h"
#include "check.h"

/* Shorthand for U+FFFD in the expected output. */
#define FFFD "\xef\xbf\xbd"

struct cell_case {
	const char *name;
	const char *input;
	size_t len;		/* 0: strlen(input) */
	bool excel;
	const char *want;	/* the cell as written, without a separator */
};

static const struct cell_case cell_cases[] = {
	{"plain", "mx.example.net", 0, false, "mx.example.net"},
	{"empty", "", 0, false, ""},
	{"comma quoted", "Invoice 2024-0117, overdue", 0, false,
	 "\"Invoice 2024-0117, overdue\""},
	{"comma unquoted for excel", "a,b", 0, true, "a,b"},
	{"semicolon quoted for excel", "a;b", 0, true, "\"a;b\""},
	{"semicolon unquoted", "a;b", 0, false, "a;b"},
	{"double quote doubled", "say \"hi\"", 0, false,
	 "\"say \"\"hi\"\"\""},
	{"only a double quote", "\"", 0, false, "\"\"\"\""},
	{"leading equals guarded", "=cmd|' /C calc'!A0", 0, false,
	 "\"'=cmd|' /C calc'!A0\""},
	{"leading plus guarded", "+1+1", 0, false, "\"'+1+1\""},
	{"leading minus guarded", "-2+3", 0, false, "\"'-2+3\""},
	{"leading at guarded", "@SUM(1)", 0, false, "\"'@SUM(1)\""},
	{"leading tab guarded and replaced", "\t=1", 0, false,
	 "\"'" FFFD "=1\""},
	{"leading CR guarded and replaced", "\r=1", 0, false,
	 "\"'" FFFD "=1\""},
	{"equals later not guarded", "a=b", 0, false, "a=b"},
	{"blank then equals not guarded", " =1", 0, false, " =1"},
	{"guard with comma", "=A1,B1", 0, false, "\"'=A1,B1\""},
	{"guard with quote", "=\"x\"", 0, false, "\"'=\"\"x\"\"\""},
	{"LF replaced", "a\nb", 0, false, "a" FFFD "b"},
	{"CRLF replaced", "a\r\nb", 0, false, "a" FFFD FFFD "b"},
	{"NUL replaced", "a\0b", 3, false, "a" FFFD "b"},
	{"escape replaced", "\x1b[31mred", 0, false, FFFD "[31mred"},
	{"right-to-left override replaced", "a\xe2\x80\xae" "b", 0, false,
	 "a" FFFD "b"},
	{"DEL replaced", "a\x7f", 0, false, "a" FFFD},
	{"C1 CSI replaced", "a\xc2\x9b" "2J", 0, false, "a" FFFD "2J"},
	{"invalid byte replaced", "a\xff" "b", 0, false, "a" FFFD "b"},
	{"lone continuation replaced", "\x80", 0, false, FFFD},
	{"overlong replaced", "\xc0\xaf", 0, false, FFFD FFFD},
	{"truncated sequence replaced", "\xe2\x82", 0, false, FFFD FFFD},
	{"UTF-8 kept", "\xc5\x9f\xc4\xb1k \xe2\x82\xac", 0, false,
	 "\xc5\x9f\xc4\xb1k \xe2\x82\xac"},
	{"NBSP kept", "a\xc2\xa0" "b", 0, false, "a\xc2\xa0" "b"},
	{"html kept", "<script>alert(1)</script>", 0, false,
	 "<script>alert(1)</script>"},
};

/* memout - a memory stream and its buffer */
struct memout {
	FILE *fp;
	char *buf;
	size_t len;
};

static void
memout_open(struct memout *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	assert_non_null(m->fp);
}

static void
memout_close(struct memout *m)
{
	assert_int_equal(fclose(m->fp), 0);
}

static void
test_cell_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cell_cases); i++) {
		const struct cell_case *c = &cell_cases[i];
		size_t len = c->len ? c->len : strlen(c->input);
		char *input = copy_exact(c->input, len);
		struct csv_writer w;
		struct memout m;
		const char *cell;

		memout_open(&m);
		csv_writer_begin(&w, m.fp, c->excel);
		csv_writer_text(&w, input, len);
		memout_close(&m);

		/* Skip the byte order mark of the Excel dialect. */
		cell = m.buf;
		if (c->excel && strncmp(cell, "\xef\xbb\xbf", 3) == 0)
			cell += 3;
		check_str(c->name, "cell", cell, c->want);
		free(m.buf);
		free(input);
	}
	finish_cases();
}

/* A record: separators between cells, CRLF at the end, numbers bare. */
static void
test_records(void **state)
{
	struct csv_writer w;
	struct memout m;

	(void)state;
	memout_open(&m);
	csv_writer_begin(&w, m.fp, false);
	csv_writer_str(&w, "domain");
	csv_writer_str(&w, "count");
	csv_writer_end_record(&w);
	csv_writer_str(&w, "-");
	csv_writer_uint(&w, 18446744073709551615u);
	csv_writer_str(&w, NULL);
	csv_writer_end_record(&w);
	memout_close(&m);
	check_str("rfc 4180", "text", m.buf,
		  "domain,count\r\n\"'-\",18446744073709551615,\r\n");
	free(m.buf);

	memout_open(&m);
	csv_writer_begin(&w, m.fp, true);
	csv_writer_uint(&w, 1500);
	csv_writer_str(&w, "a;b");
	csv_writer_end_record(&w);
	memout_close(&m);
	check_str("excel", "text", m.buf, "\xef\xbb\xbf" "1500;\"a;b\"\r\n");
	free(m.buf);
	finish_cases();
}

/* Hostile cells read back with the CSV parser: one record of the same
 * number of cells, each the cell made safe. */
static void
test_round_trip(void **state)
{
	static const char *const cells[] = {
		"=cmd|' /C calc'!A0", "a,\"b\"\r\nc", "@SUM(1)", "\x1b]0;x\x07",
		"\xff\xfe", "plain",
	};
	static const char *const want[] = {
		"'=cmd|' /C calc'!A0", "a,\"b\"" FFFD FFFD "c", "'@SUM(1)",
		FFFD "]0;x" FFFD, FFFD FFFD, "plain",
	};
	struct csv_writer w;
	struct csv_record rec;
	struct memout m;
	char *buf;

	(void)state;
	memout_open(&m);
	csv_writer_begin(&w, m.fp, false);
	for (size_t i = 0; i < ARRAY_LEN(cells); i++)
		csv_writer_str(&w, cells[i]);
	csv_writer_end_record(&w);
	memout_close(&m);

	/* The record is one line: its only line break is the final CRLF. */
	assert_true(m.len >= 2);
	check_int("round trip", "line end",
		  memcmp(m.buf + m.len - 2, "\r\n", 2), 0);
	check_int("round trip", "inner line breaks",
		  (long long)(strcspn(m.buf, "\r\n") == m.len - 2), 1);

	buf = malloc(m.len);
	assert_non_null(buf);
	check_int("round trip", "parse",
		  csv_split(m.buf, m.len - 2, buf, &rec), CSV_OK);
	check_int("round trip", "cells", (long long)rec.count,
		  (long long)ARRAY_LEN(cells));
	for (size_t i = 0; i < rec.count && i < ARRAY_LEN(want); i++)
		check_span("round trip", cells[i], rec.fields[i], want[i]);
	free(buf);
	free(m.buf);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cell_cases),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("csv_writer", tests, ARRAY_LEN(tests));
}
