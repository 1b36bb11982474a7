/* SPDX-License-Identifier: MIT */
/*
 * test_memo.c - unit tests of the bounded result cache
 *
 * A memo may forget a key, but it must never return a value stored for
 * other bytes, or an older value of the same key.  The tests check exact
 * hits, replacement of the least recently used key of a full set, the key
 * length limit and the alignment of the values.  They also check an arena
 * with room for fewer keys than the slots, a key in use that outlives the
 * turns of the arena, and random stores and lookups against a plain model.
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
	struct memo *m = memo_new(64, 64 * 48, 32, sizeof(int));

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
	struct memo *m = memo_new(64, 64 * 48, 32, sizeof(int));
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
	struct memo *m = memo_new(16, 16 * 32, 4, sizeof(int));
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
	struct memo *m = memo_new(1, MEMO_WAYS * 32, 16, sizeof(int));
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
	struct memo *m = memo_new(256, 256 * 48, 32, sizeof(int));
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
	struct memo *m = memo_new(8, 8 * 48, 5, sizeof(uint64_t) * 3);
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

static void
test_arena_smaller_than_slots(void **state)
{
	/* Records of 32 bytes (a 14-byte key and an int), 15 of which fit
	 * the arena, while the slots could hold 256. */
	struct memo *m = memo_new(256, 15 * 32, 32, sizeof(int));
	char key[32];
	int found = 0;

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "arena key %03d", i);
		put_int(m, key, i);
	}
	for (int i = 99; i >= 0; i--) {
		int got;

		snprintf(key, sizeof key, "arena key %03d", i);
		got = get_int(m, key);
		if (got >= 0 && got != i)
			note_mismatch("small arena: %s: got %d", key, got);
		if (got >= 0 && i < 85)
			note_mismatch("small arena: %s was overwritten but "
				      "found", key);
		found += got >= 0;
	}
	if (found < 8 || found > 15)
		note_mismatch("small arena: got %d kept, want 8 to 15", found);
	assert_int_equal(get_int(m, "arena key 099"), 99);
	finish_cases();
	memo_free(m);
}

static void
test_key_in_use_survives(void **state)
{
	/* The arena has room for 8 records.  A key looked up between the
	 * stores of new ones is moved to the head before the ring reaches
	 * it. */
	struct memo *m = memo_new(256, 8 * 32, 32, sizeof(int));
	char key[32];

	(void)state;
	put_int(m, "in use", -7);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "passing %d", i);
		put_int(m, key, i);
		if (get_int(m, "in use") != -7)
			note_mismatch("key in use lost after %d stores", i + 1);
	}
	assert_int_equal(get_int(m, "passing 0"), -1);
	assert_int_equal(get_int(m, "passing 999"), 999);
	finish_cases();
	memo_free(m);
}

static void
test_long_key_small_arena(void **state)
{
	/* An arena requested smaller than one record of key_max bytes gets
	 * room for one. */
	struct memo *m = memo_new(4, 0, 100, sizeof(int));
	char key[101];
	int value = 42;
	const int *got;

	(void)state;
	memset(key, 'k', sizeof key);
	assert_true(memo_put(m, key, 100, &value));
	got = memo_get(m, key, 100);
	assert_non_null(got);
	assert_int_equal(*got, 42);
	assert_false(memo_put(m, key, 101, &value));
	memo_free(m);
}

/* The next number of a xorshift generator: the same sequence every run. */
static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Keys of the model test: lengths 0 to MODEL_KEY_MAX, few letters, so
 * that many share a prefix. */
#define MODEL_KEYS 300
#define MODEL_KEY_MAX 100

/* model_has - true when key k has the bytes of an earlier key */
static bool
model_has(char keys[][MODEL_KEY_MAX], const size_t *lens, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (lens[j] == lens[k] && memcmp(keys[j], keys[k], lens[k]) == 0)
			return true;
	return false;
}

static void
test_against_model(void **state)
{
	/* Records of 16 to 128 bytes in an arena of 2000: the ring turns
	 * many times, records cross its end and slots are reused. */
	struct memo *m = memo_new(64, 2000, MODEL_KEY_MAX, sizeof(uint64_t));
	static char keys[MODEL_KEYS][MODEL_KEY_MAX];
	size_t lens[MODEL_KEYS];
	uint64_t model[MODEL_KEYS] = {0};	/* last value stored; 0: none */
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t hits = 0;

	(void)state;
	for (size_t k = 0; k < MODEL_KEYS; k++) {
		lens[k] = (size_t)(next_random(&x) % (MODEL_KEY_MAX + 1));
		for (size_t i = 0; i < lens[k]; i++)
			keys[k][i] = "ab\0c"[next_random(&x) % 4];
		if (model_has(keys, lens, k))
			k--;	/* the same bytes as an earlier key: draw again */
	}

	for (uint64_t step = 1; step <= 200000; step++) {
		size_t k = (size_t)(next_random(&x) % MODEL_KEYS);
		const uint64_t *got;

		if (next_random(&x) % 3 == 0) {
			assert_true(memo_put(m, keys[k], lens[k], &step));
			model[k] = step;
			continue;
		}
		got = memo_get(m, keys[k], lens[k]);
		if (got == NULL)
			continue;
		hits++;
		if (*got != model[k] || model[k] == 0)
			note_mismatch("model: key %zu of %zu bytes at step %llu:"
				      " got %llu, want %llu",
				      k, lens[k], (unsigned long long)step,
				      (unsigned long long)*got,
				      (unsigned long long)model[k]);
	}
	if (hits < 10000)
		note_mismatch("model: only %zu hits", hits);
	assert_int_equal(memo_hits(m), hits);
	finish_cases();
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
		cmocka_unit_test(test_arena_smaller_than_slots),
		cmocka_unit_test(test_key_in_use_survives),
		cmocka_unit_test(test_long_key_small_arena),
		cmocka_unit_test(test_against_model),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("memo", tests, NULL, NULL);
}
