/* SPDX-License-Identifier: MIT */
/*
 * test_progress.c - unit tests of the progress line's text and threshold
 *
 * The drawing itself needs a terminal and a clock; tests/progress.py runs
 * it under script(1).  Here the pure parts are checked with tables: when
 * the line is shown, and how bytes, rates and the time left are written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/progress.h"
#include "check.h"

#define MIB (UINT64_C(1024) * 1024)
#define GIB (MIB * 1024)

struct visible_case {
	const char *name;
	uint64_t total;
	uint64_t elapsed_ms;
	bool want;
};

static const struct visible_case visible_cases[] = {
	{"small and quick", 10 * MIB, 0, false},
	{"small after 1999 ms", 10 * MIB, 1999, false},
	{"small after 2000 ms", 10 * MIB, 2000, true},
	{"unknown size after 2000 ms", 0, 2000, true},
	{"unknown size at start", 0, 0, false},
	{"just under 64 MiB", 64 * MIB - 1, 0, false},
	{"64 MiB at start", 64 * MIB, 0, true},
	{"1 GiB at start", GIB, 0, true},
};

static void
test_visible_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(visible_cases); i++) {
		const struct visible_case *c = &visible_cases[i];

		check_int(c->name, "visible",
			  progress_visible(c->total, c->elapsed_ms), c->want);
	}
	finish_cases();
}

struct format_case {
	const char *name;
	uint64_t bytes, total, lines, elapsed_ms;
	const char *want;
};

static const struct format_case format_cases[] = {
	{"bytes at start", 512, 0, 3, 0, "bouncelog: 512 B read"},
	{"unknown total", 3 * MIB / 2, 0, 9000, 3000,
	 "bouncelog: 1.5 MiB read, 3000 lines/s"},
	{"known total at start", 256 * 1024, 70 * MIB, 256, 0,
	 "bouncelog: 256.0 KiB of 70.0 MiB (0%)"},
	{"third of a file", GIB, 3 * GIB, 2436000, 3000,
	 "bouncelog: 1.0 GiB of 3.0 GiB (33%), 812k lines/s, 0:06 left"},
	{"minutes left", 100 * MIB, 1000 * MIB, 500000, 10000,
	 "bouncelog: 100.0 MiB of 1000.0 MiB (10%), 50k lines/s, 1:30 left"},
	{"hours left", 1 * GIB, 101 * GIB, 20000000, 40000,
	 "bouncelog: 1.0 GiB of 101.0 GiB (0%), 500k lines/s, 1:06:40 left"},
	{"millions of lines", 2 * GIB, 4 * GIB, 123000000, 10000,
	 "bouncelog: 2.0 GiB of 4.0 GiB (50%), 12.3M lines/s, 0:10 left"},
	{"file grew while read", 80 * MIB, 64 * MIB, 1000, 1000,
	 "bouncelog: 80.0 MiB of 64.0 MiB (100%), 1000 lines/s, 0:00 left"},
	{"terabytes", 3 * 1024 * GIB, 6 * 1024 * GIB, 100, 1000,
	 "bouncelog: 3.0 TiB of 6.0 TiB (50%), 100 lines/s, 0:01 left"},
	{"nothing read yet", 0, 64 * MIB, 0, 2500,
	 "bouncelog: 0 B of 64.0 MiB (0%), 0 lines/s"},
	{"more than 99 hours left", 1 * MIB, 1024 * GIB, 10, 1000,
	 "bouncelog: 1.0 MiB of 1.0 TiB (0%), 10 lines/s, >99:59:59 left"},
	{"rate beyond any real one", GIB, 2 * GIB, UINT64_C(20000000000), 1000,
	 "bouncelog: 1.0 GiB of 2.0 GiB (50%), >9999M lines/s, 0:01 left"},
};

static void
test_format_cases(void **state)
{
	char buf[PROGRESS_COLUMNS + 1];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
		const struct format_case *c = &format_cases[i];

		check_str(c->name, "text",
			  progress_format(buf, sizeof buf, c->bytes, c->total,
					  c->lines, c->elapsed_ms),
			  c->want);
	}
	finish_cases();
}

/* The widest values must still fit in PROGRESS_COLUMNS. */
static void
test_format_widest(void **state)
{
	char buf[256];

	(void)state;
	progress_format(buf, sizeof buf, UINT64_MAX / 2, UINT64_MAX, UINT64_MAX,
			1);
	assert_true(strlen(buf) <= PROGRESS_COLUMNS);
	progress_format(buf, sizeof buf, 1, UINT64_MAX, 1, UINT64_MAX / 2);
	assert_true(strlen(buf) <= PROGRESS_COLUMNS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible_cases),
		cmocka_unit_test(test_format_cases),
		cmocka_unit_test(test_format_widest),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
