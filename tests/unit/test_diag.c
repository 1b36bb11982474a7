/* SPDX-License-Identifier: MIT */
/*
 * test_diag.c - unit tests of the length limit of diagnostic lines
 *
 * A file name or a message may contain bytes that diag writes as \xNN
 * escapes, four bytes for one.  These cases fill the file name or the
 * message with such bytes, at every alignment against DIAG_LINE_MAX.
 * The captured line must have at most DIAG_LINE_MAX bytes and one "..."
 * where it was cut, and no text that came after the cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/diag.h"
#include "check.h"

/* U+202E RIGHT-TO-LEFT OVERRIDE, the longest escape: 12 bytes. */
#define BIDI "\xe2\x80\xae"

/* Texts of up to about three lines' worth of bytes. */
#define TEXT_MAX (3 * DIAG_LINE_MAX)

static char captured[2 * DIAG_LINE_MAX];
static size_t captured_count;

/* capture_line - the diag sink of these tests */
static void
capture_line(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	snprintf(captured, sizeof captured, "%s", line);
	captured_count++;
}

/* fill_text - pad bytes of 'a', then copies of unit up to TEXT_MAX */
static void
fill_text(char *text, size_t pad, const char *unit)
{
	size_t used = pad, unit_len = strlen(unit);

	memset(text, 'a', pad);
	while (used + unit_len < TEXT_MAX) {
		memcpy(text + used, unit, unit_len);
		used += unit_len;
	}
	text[used] = '\0';
}

/* count_cuts - occurrences of "..." in line */
static int
count_cuts(const char *line)
{
	int count = 0;

	for (const char *p = strstr(line, "..."); p != NULL;
	     p = strstr(p + 3, "..."))
		count++;
	return count;
}

/* check_line - the captured line of case name is cut once and bounded */
static void
check_line(const char *name)
{
	check_int(name, "lines", (long long)captured_count, 1);
	check_int(name, "length within DIAG_LINE_MAX",
		  strlen(captured) <= DIAG_LINE_MAX, true);
	check_int(name, "cut marks", count_cuts(captured), 1);
	check_int(name, "ends with the cut mark",
		  strcmp(captured + strlen(captured) - 3, "...") == 0, true);
}

static void
test_long_file_name(void **state)
{
	static const char *const units[] = {BIDI, "\x01", "\xff", "\xc2\x85",
					    "\xf0\x9f\x98\x80", "x"};
	static char text[TEXT_MAX];
	char name[64];

	(void)state;
	diag_set_sink(capture_line, NULL);
	for (size_t u = 0; u < ARRAY_LEN(units); u++) {
		for (size_t pad = 0; pad < 16; pad++) {
			fill_text(text, pad, units[u]);
			snprintf(name, sizeof name, "file name, unit %zu, pad %zu",
				 u, pad);
			captured_count = 0;
			diag_emit(DIAG_WARNING, text, 12, 34,
				  "message after the name");
			check_line(name);
			check_int(name, "message dropped after the cut",
				  strstr(captured, "message") == NULL, true);
		}
	}
	diag_set_sink(NULL, NULL);
	finish_cases();
}

static void
test_long_message(void **state)
{
	static char text[TEXT_MAX];
	char name[64];

	(void)state;
	diag_set_sink(capture_line, NULL);
	for (size_t pad = 0; pad < 16; pad++) {
		fill_text(text, pad, BIDI);
		snprintf(name, sizeof name, "message, pad %zu", pad);
		captured_count = 0;
		diag_emit(DIAG_ERROR, "input.log", 0, 0, "invalid value '%s'",
			  text);
		check_line(name);
		check_int(name, "file name kept",
			  strncmp(captured, "bouncelog: input.log: invalid",
				  29) == 0,
			  true);
	}
	diag_set_sink(NULL, NULL);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_file_name),
		cmocka_unit_test(test_long_message),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
