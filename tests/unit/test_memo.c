/* SPDX-License-Identifier: MIT */
/*
 * test_memo.c - unit tests of the bounded result cache
 *
 * A memo may forget a key, but it must never return a value stored for
 * other bytes.  The tests check exact hits, replacement of the least
 * recently used key of a full set, the key length limit and the
 * alignment of the values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/memo.h"
#include "check.h"

/* Length of a string literal, counting embedded NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* get_int - the int stored for a C string key, or -1 */
static int
get_int(struct memo *m, const char *key)
{
	const int *v = memo_get(m, key, strlen(key));

	return v != NULL ? *v : -1;
}

/* put_int - store an int for a C string key */
static void
put_int(struct memo *m, const char *key, int value)
{
	assert_true(memo_put(m, key, strlen(key), &value));
}

static void
test_round_trip(void **state)
{
	struct memo *m = memo_new(64, 32, sizeof(int));

	(void)state;
	assert_int_equal(get_int(m, "550 5.1.1 user unknown"), -1);
	put_int(m, "550 5.1.1 user unknown", 7);
	put_int(m, "452 4.2.2 mailbox full", 9);
	assert_int_equal(get_int(m, "550 5.1.1 user unknown"), 7);
	assert_int_equal(get_int(m, "452 4.2.2 mailbox full"), 9);
	assert_int_equal(memo_hits(m), 2);
	assert_int_equal(memo_misses(m), 1);

	/* Storing a key again replaces its value in place. */
	put_int(m, "550 5.1.1 user unknown", 8);
	assert_int_equal(get_int(m, "550 5.1.1 user unknown"), 8);
	memo_free(m);
}

static void
test_similar_keys(void **state)
{
	struct memo *m = memo_new(64, 32, sizeof(int));
	const int *v;
	int one = 1, two = 2, three = 3, four = 4;

	(void)state;
	assert_true(memo_put(m, LIT("ab"), &one));
	assert_true(memo_put(m, LIT("ab\0"), &two));
	assert_true(memo_put(m, LIT("abc"), &three));
	assert_true(memo_put(m, "", 0, &four));

	v = memo_get(m, LIT("ab"));
	assert_non_null(v);
	assert_int_equal(*v, 1);
	v = memo_get(m, LIT("ab\0"));
	assert_non_null(v);
	assert_int_equal(*v, 2);
	v = memo_get(m, LIT("abc"));
	assert_non_null(v);
	assert_int_equal(*v, 3);
	v = memo_get(m, "", 0);
	assert_non_null(v);
	assert_int_equal(*v, 4);
	assert_null(memo_get(m, LIT("a")));
	assert_null(memo_get(m, LIT("Ab")));
	memo_free(m);
}

static void
test_key_too_long(void **state)
{
	struct memo *m = memo_new(16, 4, sizeof(int));
	int value = 5;

	(void)state;
	assert_true(memo_put(m, LIT("abcd"), &value));
	assert_false(memo_put(m, LIT("abcde"), &value));
	assert_null(memo_get(m, LIT("abcde")));
	assert_non_null(memo_get(m, LIT("abcd")));
	memo_free(m);
}

static void
test_least_recently_used(void **state)
{
	/* One set: every key competes for the same MEMO_WAYS slots. */
	struct memo *m = memo_new(1, 16, sizeof(int));
	char key[16];

	(void)state;
	for (int i = 0; i < MEMO_WAYS; i++) {
		snprintf(key, sizeof key, "key%d", i);
		put_int(m, key, i);
	}
	for (int i = 0; i < MEMO_WAYS; i++) {
		snprintf(key, sizeof key, "key%d", i);
		assert_int_equal(get_int(m, key), i);
	}

	/* key0 was used last of all but the others; touch it again so that
	 * key1 becomes the least recently used. */
	assert_int_equal(get_int(m, "key0"), 0);
	put_int(m, "new", 99);
	assert_int_equal(get_int(m, "key1"), -1);
	assert_int_equal(get_int(m, "key0"), 0);
	assert_int_equal(get_int(m, "new"), 99);
	for (int i = 2; i < MEMO_WAYS; i++) {
		snprintf(key, sizeof key, "key%d", i);
		assert_int_equal(get_int(m, key), i);
	}
	memo_free(m);
}

static void
test_many_keys_never_wrong(void **state)
{
	struct memo *m = memo_new(256, 32, sizeof(int));
	char key[32];
	int found = 0;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "reply %d", i);
		put_int(m, key, i);
	}
	for (int i = 0; i < 5000; i++) {
		int got;

		snprintf(key, sizeof key, "reply %d", i);
		got = get_int(m, key);
		if (got >= 0 && got != i)
			note_mismatch("many keys: %s: got %d, want %d", key,
				      got, i);
		found += got >= 0;
	}

	/* The last keys stored fill the table; older ones were replaced. */
	if (found > 256 || found < 128)
		note_mismatch("many keys: got %d kept, want 128 to 256", found);
	finish_cases();
	memo_free(m);
}

static void
test_value_alignment(void **state)
{
	struct memo *m = memo_new(8, 5, sizeof(uint64_t) * 3);
	uint64_t value[3] = {1, 2, 3};
	const uint64_t *got;

	(void)state;
	assert_true(memo_put(m, LIT("odd"), value));
	got = memo_get(m, LIT("odd"));
	assert_non_null(got);
	assert_int_equal((uintptr_t)got % 16, 0);
	assert_memory_equal(got, value, sizeof value);
	memo_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_similar_keys),
		cmocka_unit_test(test_key_too_long),
		cmocka_unit_test(test_least_recently_used),
		cmocka_unit_test(test_many_keys_never_wrong),
		cmocka_unit_test(test_value_alignment),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("memo", tests, NULL, NULL);
}
