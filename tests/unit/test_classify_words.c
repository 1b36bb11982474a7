/* SPDX-License-Identifier: MIT */
/*
 * test_classify_words.c - the classifier's text helpers give the same
 * result 8 bytes at a time as one byte at a time
 *
 * classify_squeeze() copies runs that stay the same a word at a time,
 * and classify_next_4_or_5() tests a word at a time for the first byte
 * of a nested reply.  Every text goes through both ways: the squeezed
 * length and every byte, the final NUL included, must be equal, and so
 * must every position that classify_next_4_or_5() gives from the start
 * to the end.  The texts are every line of fixtures/ and of the public
 * corpus when it is present.  Each line is also read from its second to
 * its eighth byte on, so that words start at every offset.  Generated
 * texts add blanks, control bytes, DEL, bytes above 0x7f, digits and
 * letters, some of them longer than CLASSIFY_TEXT_MAX.
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

#include "check.h"
#include "classify_impl.h"

/* Generated texts, and the longest one. */
#define GENERATED 20000
#define GENERATED_MAX (CLASSIFY_TEXT_MAX + 600)

/* Room for a squeezed text and its NUL. */
static char by_words[CLASSIFY_TEXT_MAX + 1];
static char by_bytes[CLASSIFY_TEXT_MAX + 1];

/* compare_text - squeeze text both ways; returns 1 for one comparison */
static unsigned long
compare_text(const char *where, const char *text, size_t len)
{
	char *copy = copy_exact(text, len);
	size_t a = classify_squeeze(by_words, copy, len, true);
	size_t b = classify_squeeze(by_bytes, copy, len, false);

	check_int(where, "length", (long long)a, (long long)b);
	if (a == b && memcmp(by_words, by_bytes, a + 1) != 0)
		note_mismatch("%s: bytes differ", where);

	/* Every "4" and "5" in turn, up to the end. */
	for (size_t from = 0;; from = a + 1) {
		a = classify_next_4_or_5(copy, from, len, true);
		b = classify_next_4_or_5(copy, from, len, false);
		check_int(where, "next 4 or 5", (long long)a, (long long)b);
		if (a != b || a >= len)
			break;
	}
	check_int(where, "past the end",
		  (long long)classify_next_4_or_5(copy, len + 1, len, true),
		  (long long)len);
	free(copy);
	return 1;
}

/* compare_each - a check_each_line() callback: compare a line from its
 * first 8 offsets, counting the comparisons in *arg */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	unsigned long *n = arg;

	for (size_t skip = 0; skip < 8 && skip <= len; skip++)
		*n += compare_text(where, text + skip, len - skip);
}

/* test_fixtures_same - every line of fixtures/ */
static void
test_fixtures_same(void **state)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	unsigned long n = 0;

	(void)state;
	assert_non_null(dir);
	check_each_line(dir, compare_each, &n);
	print_message("# %lu texts\n", n);
	assert_true(n > 10000);
	finish_cases();
}

/* test_corpus_same - every line of the public corpus, when present */
static void
test_corpus_same(void **state)
{
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);
	unsigned long n = 0;

	(void)state;
	if (dir == NULL) {
		skip();
		return;
	}
	check_each_line(dir, compare_each, &n);
	print_message("# %lu texts\n", n);
	assert_true(n > 0);
	finish_cases();
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x6a09e667f3bcc909U};

static unsigned
rng_below(unsigned n)
{
	return check_rng_below(&rng, n);
}

/* Bytes of generated texts: letters most often, then the space. */
static const char alphabet[] =
    "aaaaaaaaaaaabcde      \t\r\001\037\177\200\377 .45345";

/* test_generated_same - generated texts, short and past the limit */
static void
test_generated_same(void **state)
{
	static char text[GENERATED_MAX];
	char where[64];
	unsigned long n = 0;

	(void)state;
	for (unsigned i = 0; i < GENERATED; i++) {
		size_t len = i % 10 == 0
				 ? CLASSIFY_TEXT_MAX - 300 + rng_below(900)
				 : rng_below(80);

		for (size_t k = 0; k < len; k++)
			text[k] = alphabet[rng_below(sizeof alphabet - 1)];
		snprintf(where, sizeof where, "generated %u", i);
		n += compare_text(where, text, len);
	}
	print_message("# %lu texts\n", n);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	    cmocka_unit_test(test_generated_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("classify_words", tests, ARRAY_LEN(tests),
				     NULL, NULL,
				     test_corpus_same);
}
