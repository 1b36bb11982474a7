/* SPDX-License-Identifier: MIT */
/*
 * test_prom.c - unit tests of the Prometheus text format helpers
 *
 * Label values are log-derived: each case writes one value into a
 * memory stream and compares the bytes written, quotes included.  The
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

#include "bouncelog/prom.h"
#include "check.h"

#define FFFD "\xef\xbf\xbd"

struct label_case {
	const char *name;
	const char *input;
	size_t len;		/* 0: strlen(input) */
	const char *want;
};

static const struct label_case label_cases[] = {
	{"plain", "example.com", 0, "\"example.com\""},
	{"empty", "", 0, "\"\""},
	{"backslash", "a\\b", 0, "\"a\\\\b\""},
	{"double quote", "say \"hi\"", 0, "\"say \\\"hi\\\"\""},
	{"line feed", "a\nb", 0, "\"a\\nb\""},
	{"carriage return replaced", "a\rb", 0, "\"a" FFFD "b\""},
	{"tab replaced", "a\tb", 0, "\"a" FFFD "b\""},
	{"NUL replaced", "a\0b", 3, "\"a" FFFD "b\""},
	{"escape replaced", "\x1b[2J", 0, "\"" FFFD "[2J\""},
	{"DEL replaced", "\x7f", 0, "\"" FFFD "\""},
	{"C1 replaced", "\xc2\x9b", 0, "\"" FFFD "\""},
	{"invalid replaced", "\xff\xfe", 0, "\"" FFFD FFFD "\""},
	{"surrogate replaced", "\xed\xa0\x80", 0, "\"" FFFD FFFD FFFD "\""},
	{"UTF-8 kept", "\xc3\xa7\xc4\x9f", 0, "\"\xc3\xa7\xc4\x9f\""},
	{"braces and comma kept", "a},b=\"c", 0, "\"a},b=\\\"c\""},
	{"formula kept", "=cmd|' /C calc'!A0", 0, "\"=cmd|' /C calc'!A0\""},
};

struct name_case {
	const char *name;
	bool metric;
	bool label;
};

static const struct name_case name_cases[] = {
	{"bouncelog_failures_total", true, true},
	{"a:b", true, false},
	{"_x", true, true},
	{"__reserved", true, false},
	{"9lives", false, false},
	{"", false, false},
	{"has-dash", false, false},
	{"has space", false, false},
	{"caf\xc3\xa9", false, false},
};

static void
test_label_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(label_cases); i++) {
		const struct label_case *c = &label_cases[i];
		size_t len = c->len ? c->len : strlen(c->input);
		char *input = copy_exact(c->input, len);
		char *buf = NULL;
		size_t size = 0;
		FILE *fp = open_memstream(&buf, &size);

		assert_non_null(fp);
		prom_label_value(fp, input, len);
		assert_int_equal(fclose(fp), 0);
		check_str(c->name, "value", buf, c->want);
		free(buf);
		free(input);
	}
	finish_cases();
}

static void
test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(name_cases); i++) {
		const struct name_case *c = &name_cases[i];

		check_int(c->name, "metric name",
			  prom_valid_metric_name(c->name), c->metric);
		check_int(c->name, "label name", prom_valid_label_name(c->name),
			  c->label);
	}
	finish_cases();
}

/* A family with samples, as node_exporter reads them. */
static void
test_family(void **state)
{
	struct prom_label labels[2] = {
		prom_label_str("direction", "outbound"),
		{"domain", "a\"b\nc", 5},
	};
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	(void)state;
	assert_non_null(fp);
	prom_family(fp, "bouncelog_x_total", "counter", "Help with \\ and\n.");
	prom_sample(fp, "bouncelog_x_total", labels, 2, 1234567);
	prom_sample(fp, "bouncelog_x_total", NULL, 0, 0);
	prom_sample_int(fp, "bouncelog_t_seconds", NULL, 0, -5);
	assert_int_equal(fclose(fp), 0);
	check_str("family", "text", buf,
		  "# HELP bouncelog_x_total Help with \\\\ and\\n.\n"
		  "# TYPE bouncelog_x_total counter\n"
		  "bouncelog_x_total{direction=\"outbound\","
		  "domain=\"a\\\"b\\nc\"} 1234567\n"
		  "bouncelog_x_total 0\n"
		  "bouncelog_t_seconds -5\n");
	free(buf);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_values),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("prom", tests, ARRAY_LEN(tests));
}
