/* SPDX-License-Identifier: MIT */
/*
 * test_status.c - unit tests of SMTP reply codes and enhanced status codes
 *
 * Every input is copied into a buffer of exactly its length, so that a
 * parser reading past the end shows up under AddressSanitizer and
 * valgrind.  The program applies the locale from the environment first;
 * meson runs it once more under tr_TR.UTF-8, where the result must not
 * change.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/status.h"
#include "check.h"

/* format_code - "C.S.D", or "none" for an absent code */
static const char *
format_code(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	if (!enh_status_present(st))
		return "none";
	return status_format_enhanced(st, buf);
}

struct enhanced_case {
	const char *name;
	const char *input;
	size_t want_len;	/* bytes consumed, or 0 for no code */
	const char *want_code;	/* "none" when not a code */
};

static const struct enhanced_case enhanced_cases[] = {
	{"plain 5.1.1", "5.1.1", 5, "5.1.1"},
	{"three-digit detail", "4.7.650", 7, "4.7.650"},
	{"three-digit detail 133", "5.7.133", 7, "5.7.133"},
	{"success 2.0.0", "2.0.0", 5, "2.0.0"},
	{"before colon", "5.1.1:", 5, "5.1.1"},
	{"before parenthesis", "5.1.1)", 5, "5.1.1"},
	{"before space", "5.1.1 ", 5, "5.1.1"},
	{"before text", "4.2.2 Mailbox full", 5, "4.2.2"},
	{"before angle bracket", "5.7.1>", 5, "5.7.1"},
	{"three-digit subject", "5.100.1", 7, "5.100.1"},
	{"largest", "4.999.999", 9, "4.999.999"},
	{"sentence end dot", "5.1.1. Next", 5, "5.1.1"},
	{"fourth part", "5.1.1.2", 0, "none"},
	{"letter after", "5.1.1a", 0, "none"},
	{"digit glued to letter", "5.1.1Z", 0, "none"},
	{"two-digit class", "10.1.1", 0, "none"},
	{"class 3", "3.1.1", 0, "none"},
	{"class 6", "6.1.1", 0, "none"},
	{"class 1 like 1.5", "1.5.0", 0, "none"},
	{"four-digit subject", "5.1234.1", 0, "none"},
	{"four-digit detail", "5.1.1234", 0, "none"},
	{"empty subject", "5..1", 0, "none"},
	{"empty", "", 0, "none"},
	{"missing detail", "5.1.", 0, "none"},
	{"two parts", "5.1", 0, "none"},
	{"letter subject", "5.a.1", 0, "none"},
	{"leading space", " 5.1.1", 0, "none"},
	{"comma instead of dot", "5,1,1", 0, "none"},
};

static void
test_parse_enhanced_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(enhanced_cases); i++) {
		const struct enhanced_case *c = &enhanced_cases[i];
		size_t len = strlen(c->input);
		char *input = copy_exact(c->input, len);
		struct enh_status st;
		char buf[ENH_STATUS_LEN];
		size_t got;

		memset(&st, 0xff, sizeof st);
		got = status_parse_enhanced(input, len, &st);
		check_int(c->name, "consumed", (long long)got,
			  (long long)c->want_len);
		check_str(c->name, "code", format_code(&st, buf), c->want_code);
		free(input);
	}
	finish_cases();
}

/* The length argument is the end: bytes after it must not be read. */
struct bounded_case {
	const char *name;
	const char *input;
	size_t len;
	size_t want_len;
	const char *want_code;
};

static const struct bounded_case bounded_cases[] = {
	{"cut before fourth part", "5.1.1.2", 5, 5, "5.1.1"},
	{"cut before letter", "5.1.1a", 5, 5, "5.1.1"},
	{"cut inside detail", "5.1.23", 5, 5, "5.1.2"},
	{"cut inside subject", "5.12.1", 4, 0, "none"},
	{"cut to zero", "5.1.1", 0, 0, "none"},
};

static void
test_parse_enhanced_bounded(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bounded_cases); i++) {
		const struct bounded_case *c = &bounded_cases[i];
		char *input = copy_exact(c->input, c->len);
		struct enh_status st;
		char buf[ENH_STATUS_LEN];

		check_int(c->name, "consumed",
			  (long long)status_parse_enhanced(input, c->len, &st),
			  (long long)c->want_len);
		check_str(c->name, "code", format_code(&st, buf), c->want_code);
		free(input);
	}
	finish_cases();
}

struct find_case {
	const char *name;
	const char *input;
	bool want_found;
	size_t want_pos;
	const char *want_code;
};

static const struct find_case find_cases[] = {
	{"qmail hash in parentheses", "(#5.1.1)", true, 2, "5.1.1"},
	{"multi-line reply", "550-5.7.1 [192.0.2.1] blocked", true, 4,
	 "5.7.1"},
	{"after reply code", "550 5.1.1 <a@example.com>: unknown", true, 4,
	 "5.1.1"},
	{"glued to letter", "x5.1.1", false, 0, "none"},
	{"glued to digit", "version 15.1.1 is out", false, 0, "none"},
	{"inside dotted number", "1.5.1.1", false, 0, "none"},
	{"in brackets", "[4.4.1]", true, 1, "4.4.1"},
	{"in angle brackets", "<4.4.1>", true, 1, "4.4.1"},
	{"after equals", "dsn=4.4.1", true, 4, "4.4.1"},
	{"after tab", "code\t4.2.2", true, 5, "4.2.2"},
	{"at start", "5.7.1 Spam message rejected", true, 0, "5.7.1"},
	{"second candidate", "5.1.1.2 then 5.7.1", true, 13, "5.7.1"},
	{"three-digit detail", "abc 4.7.650", true, 4, "4.7.650"},
	{"none in text", "Connection timed out", false, 0, "none"},
	{"only a reply code", "550 Requested action not taken", false, 0,
	 "none"},
	{"empty", "", false, 0, "none"},
};

static void
test_find_enhanced_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(find_cases); i++) {
		const struct find_case *c = &find_cases[i];
		size_t len = strlen(c->input);
		char *input = copy_exact(c->input, len);
		struct enh_status st;
		char buf[ENH_STATUS_LEN];
		size_t pos = 12345;
		bool found;

		found = status_find_enhanced(input, len, &st, &pos);
		check_int(c->name, "found", found, c->want_found);
		if (c->want_found)
			check_int(c->name, "position", (long long)pos,
				  (long long)c->want_pos);
		check_str(c->name, "code", format_code(&st, buf), c->want_code);

		/* The position pointer is optional. */
		found = status_find_enhanced(input, len, &st, NULL);
		check_int(c->name, "found without position", found,
			  c->want_found);
		free(input);
	}
	finish_cases();
}

struct reply_case {
	const char *name;
	const char *input;
	int want_code;
};

static const struct reply_case reply_cases[] = {
	{"bare 550", "550", 550},
	{"continuation line", "250-", 250},
	{"before text", "550 5.1.1 User unknown", 550},
	{"before tab", "421\tService not available", 421},
	{"class 2", "220", 220},
	{"four digits", "5500", 0},
	{"class 6", "650", 0},
	{"class 1", "199", 0},
	{"two digits", "55", 0},
	{"letter inside", "55a", 0},
	{"before colon", "550:", 0},
	{"decimal like 1.5", "1.5", 0},
	{"empty", "", 0},
};

static void
test_parse_reply_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
		const struct reply_case *c = &reply_cases[i];
		size_t len = strlen(c->input);
		char *input = copy_exact(c->input, len);

		check_int(c->name, "reply code", status_parse_reply(input, len),
			  c->want_code);
		free(input);
	}
	finish_cases();
}

/* Every code that parses formats back to the bytes it was parsed from. */
static void
test_format_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(enhanced_cases); i++) {
		const struct enhanced_case *c = &enhanced_cases[i];
		struct enh_status st, again;
		char buf[ENH_STATUS_LEN];
		char want[ENH_STATUS_LEN];

		if (c->want_len == 0)
			continue;
		snprintf(want, sizeof want, "%.*s", (int)c->want_len, c->input);
		(void)status_parse_enhanced(c->input, strlen(c->input), &st);
		check_str(c->name, "formatted",
			  status_format_enhanced(&st, buf), want);
		check_int(c->name, "reparsed length",
			  (long long)status_parse_enhanced(buf, strlen(buf),
							   &again),
			  (long long)c->want_len);
		check_int(c->name, "reparsed equal",
			  enh_status_equal(&st, &again), true);
	}
	finish_cases();
}

struct format_case {
	const char *name;
	struct enh_status code;
	const char *want;
};

static const struct format_case format_cases[] = {
	{"zeros", {2, 0, 0}, "2.0.0"},
	{"large detail", {4, 7, 650}, "4.7.650"},
	{"widest", {5, 999, 999}, "5.999.999"},
};

static void
test_format_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		char buf[ENH_STATUS_LEN];
		char *got = status_format_enhanced(&c->code, buf);

		check_int(c->name, "returns buf", got == buf, true);
		check_str(c->name, "formatted", got, c->want);
	}
	finish_cases();
}

/* format_matches - status_format_enhanced() of (cls, subject, detail)
 * is the text that snprintf() makes of the same numbers */
static void
format_matches(unsigned cls, unsigned subject, unsigned detail)
{
	struct enh_status st = {(unsigned char)cls, (unsigned short)subject,
				(unsigned short)detail};
	char got[ENH_STATUS_LEN], want[ENH_STATUS_LEN];

	snprintf(want, sizeof want, "%u.%u.%u", cls % 10, subject % 1000,
		 detail % 1000);
	status_format_enhanced(&st, got);
	assert_string_equal(got, want);
}

/*
 * The digits are written by hand, so compare them with snprintf() for
 * every class digit and every subject and detail below 1000 (the other
 * one at a few values of each width), and for values the modulus cuts.
 */
static void
test_format_matches_printf(void **state)
{
	static const unsigned other[] = {0, 1, 9, 10, 42, 99, 100, 507, 999};
	static const unsigned wide[] = {1000, 1001, 1234, 9999, 65535};

	(void)state;
	for (unsigned cls = 0; cls < 10; cls++) {
		for (unsigned v = 0; v < 1000; v++) {
			for (size_t k = 0; k < ARRAY_LEN(other); k++) {
				format_matches(cls, v, other[k]);
				format_matches(cls, other[k], v);
			}
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(wide); i++) {
		format_matches(5, wide[i], 1);
		format_matches(4, 7, wide[i]);
		format_matches(5, wide[i], wide[i]);
	}
	for (unsigned cls = 10; cls < 256; cls++)
		format_matches(cls, 1, 1);
}

/*
 * status_format_reply() writes codes of three digits by hand and gives
 * the others to snprintf(): compare both with snprintf() around and
 * across the edges, and at values that are cut to fit.
 */
static void
test_format_reply_matches_printf(void **state)
{
	static const int far[] = {INT_MIN, INT_MIN + 1, -123456789, 99999999,
				  123456789, INT_MAX};

	(void)state;
	for (int code = -1100; code <= 10100; code++) {
		char got[ENH_STATUS_LEN], want[ENH_STATUS_LEN];

		snprintf(want, sizeof want, "%03d", code);
		assert_string_equal(status_format_reply(code, got), want);
	}
	for (size_t i = 0; i < ARRAY_LEN(far); i++) {
		char got[ENH_STATUS_LEN], want[ENH_STATUS_LEN];

		snprintf(want, sizeof want, "%03d", far[i]);
		assert_string_equal(status_format_reply(far[i], got), want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_enhanced_cases),
		cmocka_unit_test(test_parse_enhanced_bounded),
		cmocka_unit_test(test_find_enhanced_cases),
		cmocka_unit_test(test_parse_reply_cases),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_cases),
		cmocka_unit_test(test_format_matches_printf),
		cmocka_unit_test(test_format_reply_matches_printf),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("status", tests, ARRAY_LEN(tests));
}
