/* SPDX-License-Identifier: MIT */
/*
 * test_ascii.c - unit tests of the caseless substring search
 *
 * ascii_casefind(), ascii_contains() and ascii_find() are compared with
 * a plain byte-by-byte search on a table of cases and on every anchor
 * index of every needle, including the one ascii_rare_index() chooses,
 * because the anchor may change the speed but never the result.  Haystacks are
 * copied into buffers of exactly their length, so a read past the end
 * shows up under AddressSanitizer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/ascii.h"
#include "check.h"

/* naive_find - the offset of the first caseless occurrence, or -1 */
static long
naive_find(const char *s, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (ascii_casecmp_n(s + i, needle, n))
			return (long)i;
	return -1;
}

struct find_case {
	const char *name;
	const char *haystack;
	const char *needle;
	long want;		/* offset of the match, -1 for none */
};

static const struct find_case find_cases[] = {
	{"postfix wrapper", "host mx.example.com[192.0.2.1] said: 550 5.1.1",
	 " said: ", 30},
	{"other case", "HOST MX SAID: 550", " said: ", 7},
	{"mixed case anchor", "x SMTP Error From Remote Mail Server After RCPT",
	 "smtp error from remote mail server after ", 2},
	{"first of two", "a said: b said: c", " said: ", 1},
	{"candidate before match", "p: pp: said: ", "said: ", 7},
	{"at the start", "said: 550", "said: ", 0},
	{"at the end", "550 host said: ", "said: ", 9},
	{"whole haystack", "said: ", "said: ", 0},
	{"longer than haystack", "said:", "said: ", -1},
	{"missing", "250 2.0.0 Ok: queued as B69D9B6B60", " said: ", -1},
	{"anchor byte only", "::::", "a:", -1},
	{"non-ASCII bytes", "\xc3\x9c said: \xc3\xa7", " said: ", 2},
	{"no dotless i folding", "SA\xc4\xb0" "D: x", "said: ", -1},
};

static void
test_casefind_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(find_cases); i++) {
		const struct find_case *c = &find_cases[i];
		size_t len = strlen(c->haystack), n = strlen(c->needle);
		char *copy = malloc(len + 1);

		assert_non_null(copy);
		memcpy(copy, c->haystack, len);

		/* Every anchor index, and one past the end, gives the same
		 * result. */
		for (size_t k = 0; k <= n; k++) {
			struct ascii_needle needle = {c->needle, n, k};
			const char *got = ascii_casefind(copy, len, &needle);

			check_int(c->name, "offset",
				  got != NULL ? (long)(got - copy) : -1,
				  c->want);
		}
		check_int(c->name, "naive offset",
			  naive_find(copy, len, c->needle, n), c->want);
		free(copy);
	}
	finish_cases();
}

/* Haystacks built from a small alphabet, so that candidates and partial
 * matches are frequent, against the plain search. */
static void
test_casefind_generated(void **state)
{
	static const char alphabet[] = "aAbB: ";
	static const char *const needles[] = {"ab", "a: b", ": ", "Ab:a",
					      "b", " bA a"};
	unsigned seed = 12345;
	char hay[24];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % (int)sizeof hay);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		for (size_t w = 0; w < ARRAY_LEN(needles); w++) {
			size_t n = strlen(needles[w]);
			long want = naive_find(hay, len, needles[w], n);

			for (size_t k = 0; k < n; k++) {
				struct ascii_needle needle = {needles[w], n, k};
				const char *got =
				    ascii_casefind(hay, len, &needle);

				check_int(needles[w], "offset",
					  got != NULL ? (long)(got - hay) : -1,
					  want);
			}
		}
	}
	finish_cases();
}

/* exact_find - the offset of the first exact occurrence, or -1 */
static long
exact_find(const char *s, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp(s + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* found_at - the offset of what ascii_find() found, or -1 */
static long
found_at(const char *s, const char *found)
{
	return found != NULL ? (long)(found - s) : -1;
}

/* check_contains - ascii_contains() and ascii_find() with every anchor
 * of the needle, and the chosen one, against the plain search */
static void
check_contains(const char *name, const char *s, size_t len,
	       const char *needle)
{
	size_t n = strlen(needle), rare = ascii_rare_index(needle, n);
	long at = exact_find(s, len, needle, n);

	assert_true(rare < n);
	check_int(name, "rare anchor",
		  ascii_contains(s, len, needle, n, rare), at >= 0);
	for (size_t k = 0; k < n; k++) {
		check_int(name, "anchor", ascii_contains(s, len, needle, n, k),
			  at >= 0);
		check_int(name, "offset",
			  found_at(s, ascii_find(s, len, needle, n, k)), at);
	}
}

/* The required literals of the built-in rules and a few others, in
 * haystacks with and without them and with near misses. */
static void
test_contains_cases(void **state)
{
	static const char *const needles[] = {
	    "status=", ": from=<", " H=", " Completed", "rejected ",
	    ": ", "message-id=", " defer (", "SMTP protocol synchronization er",
	    "a", "\303\247a"};
	static const char delivery[] =
	    "B69D9B6B60: to=<a@example.com>, relay=mx[192.0.2.1]:25, "
	    "delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 Ok)";
	static const char *const haystacks[] = {
	    delivery,
	    "B69D9B6B60: to=<a@example.com>, relay=none, status",
	    "1tDIJt-0000C2-MH Completed",
	    "1tDIJt-0000C2-MH => a <a@example.com> R=r T=t H=mx [192.0.2.1]",
	    "H=x rejected RCPT", "status=status=", "", "a", "\303\247a b",
	    "message-id message-id=<x>",
	    "SMTP protocol synchronization error (input sent without waiting)"};

	(void)state;
	for (size_t h = 0; h < ARRAY_LEN(haystacks); h++) {
		size_t len = strlen(haystacks[h]);
		char *copy = malloc(len + 1);

		assert_non_null(copy);
		memcpy(copy, haystacks[h], len);
		for (size_t w = 0; w < ARRAY_LEN(needles); w++)
			check_contains(needles[w], copy, len, needles[w]);
		free(copy);
	}

	/* "=" occurs several times on a Postfix delivery line: not the
	 * byte looked for in "status=". */
	assert_int_not_equal(ascii_rare_index("status=", 7), 6);
	finish_cases();
}

/* Haystacks from a small alphabet against the plain search, so that
 * candidates and partial matches are frequent. */
static void
test_contains_generated(void **state)
{
	static const char alphabet[] = "ab=: ";
	static const char *const needles[] = {"ab", "a=b", ": ", "b=a:",
					      "=", " b= a"};
	unsigned seed = 54321;
	char hay[24];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % (int)sizeof hay);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		for (size_t w = 0; w < ARRAY_LEN(needles); w++)
			check_contains(needles[w], hay, len, needles[w]);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_casefind_cases),
		cmocka_unit_test(test_casefind_generated),
		cmocka_unit_test(test_contains_cases),
		cmocka_unit_test(test_contains_generated),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("ascii", tests, NULL, NULL);
}
