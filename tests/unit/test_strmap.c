/* SPDX-License-Identifier: MIT */
/*
 * test_strmap.c - unit tests of the bounded hash map
 *
 * The map uses open addressing with backward-shift deletion, so the
 * removal tests check after every single removal that each remaining key
 * is still found with its own value and each removed key is gone.
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

#include "bouncelog/hash.h"
#include "bouncelog/strmap.h"
#include "check.h"

/* Length of a string literal, counting embedded NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* key_text - the test key for number i */
static size_t
key_text(char *buf, size_t size, size_t i)
{
	return (size_t)snprintf(buf, size, "key-%zu@example.com", i);
}

/* A small generator with a fixed seed, so that failures repeat. */
static uint64_t rng_state;

static uint32_t
rng_next(void)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(rng_state >> 33);
}

/* shuffle - Fisher-Yates over order[0..n) */
static void
shuffle(size_t *order, size_t n, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_next() % i;
		size_t tmp = order[i - 1];

		order[i - 1] = order[j];
		order[j] = tmp;
	}
}

/* fill - add keys 0..n-1 with their number as the value */
static struct strmap *
fill(size_t n, size_t max_keys)
{
	struct strmap *map = strmap_new(sizeof(size_t), max_keys);
	char key[64];

	for (size_t i = 0; i < n; i++) {
		size_t len = key_text(key, sizeof key, i);
		size_t *value = strmap_get_or_add(map, key, len);

		assert_non_null(value);
		assert_int_equal(*value, 0);
		*value = i;
	}
	return map;
}

static void
test_many_keys(void **state)
{
	struct strmap *map = fill(10000, 100000);
	char key[64];

	(void)state;
	check_int("10000 keys", "count", (long long)strmap_count(map), 10000);
	for (size_t i = 0; i < 10000; i++) {
		size_t len = key_text(key, sizeof key, i);
		size_t *value = strmap_get(map, key, len);

		if (value == NULL)
			note_mismatch("10000 keys: %s: got absent, want %zu",
				      key, i);
		else
			check_int(key, "value", (long long)*value,
				  (long long)i);
	}
	for (size_t i = 10000; i < 10100; i++) {
		size_t len = key_text(key, sizeof key, i);

		if (strmap_get(map, key, len) != NULL)
			note_mismatch("10000 keys: %s: got present, want "
				      "absent",
				      key);
	}

	/* Adding an existing key returns its block and adds nothing. */
	key_text(key, sizeof key, 1234);
	check_int("10000 keys", "existing value",
		  (long long)*(size_t *)strmap_get_or_add(map, key,
							  strlen(key)),
		  1234);
	check_int("10000 keys", "count after re-add",
		  (long long)strmap_count(map), 10000);
	strmap_free(map);
	finish_cases();
}

struct binary_key {
	const char *name;
	const char *key;
	size_t len;
};

/* Keys that differ only after a NUL byte, or only in length. */
static const struct binary_key binary_keys[] = {
	{"a", LIT("a")},
	{"a NUL b", LIT("a\0b")},
	{"a NUL c", LIT("a\0c")},
	{"a NUL", LIT("a\0")},
	{"NUL", LIT("\0")},
	{"empty", LIT("")},
	{"high bytes", LIT("\xc4\xb0\xff")},
};

static void
test_binary_keys(void **state)
{
	struct strmap *map = strmap_new(sizeof(int), 100);
	struct strmap_entry *entries;
	bool seen[ARRAY_LEN(binary_keys)] = {false};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(binary_keys); i++) {
		int *value = strmap_get_or_add(map, binary_keys[i].key,
					       binary_keys[i].len);

		assert_non_null(value);
		check_int(binary_keys[i].name, "new value", *value, 0);
		*value = (int)i + 1;
	}
	check_int("binary keys", "count", (long long)strmap_count(map),
		  (long long)ARRAY_LEN(binary_keys));
	for (size_t i = 0; i < ARRAY_LEN(binary_keys); i++) {
		int *value = strmap_get(map, binary_keys[i].key,
					binary_keys[i].len);

		if (value == NULL)
			note_mismatch("%s: got absent, want present",
				      binary_keys[i].name);
		else
			check_int(binary_keys[i].name, "value", *value,
				  (long long)i + 1);
	}

	/* strmap_entries() lists each key once, with NUL bytes and length. */
	entries = strmap_entries(map);
	for (size_t e = 0; e < strmap_count(map); e++) {
		int k = *(int *)entries[e].value - 1;

		if (k < 0 || (size_t)k >= ARRAY_LEN(binary_keys) || seen[k]) {
			note_mismatch("entries: got value %d, want a new key",
				      k + 1);
			continue;
		}
		seen[k] = true;
		check_int(binary_keys[k].name, "entry length",
			  (long long)entries[e].key_len,
			  (long long)binary_keys[k].len);
		check_int(binary_keys[k].name, "entry bytes equal",
			  entries[e].key_len == binary_keys[k].len &&
				  memcmp(entries[e].key, binary_keys[k].key,
					 binary_keys[k].len) == 0,
			  true);
		check_int(binary_keys[k].name, "entry terminated",
			  entries[e].key[entries[e].key_len], '\0');
	}
	free(entries);
	strmap_free(map);
	finish_cases();
}

static void
test_max_keys(void **state)
{
	struct strmap *map = strmap_new(sizeof(int), 3);
	int *value;

	(void)state;
	assert_non_null(strmap_get_or_add(map, LIT("one")));
	assert_non_null(strmap_get_or_add(map, LIT("two")));
	value = strmap_get_or_add(map, LIT("three"));
	assert_non_null(value);
	*value = 3;

	/* A full map rejects a new key, and existing keys still work. */
	assert_null(strmap_get_or_add(map, LIT("four")));
	assert_null(strmap_get(map, LIT("four")));
	assert_int_equal(strmap_count(map), 3);
	value = strmap_get_or_add(map, LIT("three"));
	assert_non_null(value);
	assert_int_equal(*value, 3);

	/* Removing one key makes room for one more. */
	assert_true(strmap_remove(map, LIT("one")));
	assert_non_null(strmap_get_or_add(map, LIT("four")));
	assert_null(strmap_get_or_add(map, LIT("five")));
	assert_int_equal(strmap_count(map), 3);
	strmap_free(map);
}

static void
test_max_keys_zero(void **state)
{
	struct strmap *map = strmap_new(sizeof(int), 0);

	(void)state;
	assert_null(strmap_get_or_add(map, LIT("one")));
	assert_int_equal(strmap_count(map), 0);
	strmap_free(map);
}

static void
test_remove_and_add_again(void **state)
{
	struct strmap *map = strmap_new(64, 10);
	unsigned char *value;
	unsigned char zeros[64] = {0};

	(void)state;
	value = strmap_get_or_add(map, LIT("example.com"));
	assert_non_null(value);
	assert_memory_equal(value, zeros, sizeof zeros);
	memset(value, 0xab, 64);

	assert_true(strmap_remove(map, LIT("example.com")));
	assert_null(strmap_get(map, LIT("example.com")));
	assert_int_equal(strmap_count(map), 0);
	assert_false(strmap_remove(map, LIT("example.com")));
	assert_false(strmap_remove(map, LIT("example.net")));

	/* The new block starts zeroed again. */
	value = strmap_get_or_add(map, LIT("example.com"));
	assert_non_null(value);
	assert_memory_equal(value, zeros, sizeof zeros);
	assert_int_equal(strmap_count(map), 1);
	strmap_free(map);
}

static void
test_entries_count(void **state)
{
	struct strmap *map = fill(500, 1000);
	struct strmap_entry *entries;
	bool seen[500] = {false};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < 500; i += 2) {
		char key[64];
		size_t len = key_text(key, sizeof key, i);

		assert_true(strmap_remove(map, key, len));
	}
	assert_int_equal(strmap_count(map), 250);

	entries = strmap_entries(map);
	for (size_t e = 0; e < strmap_count(map); e++) {
		size_t k = *(size_t *)entries[e].value;
		char key[64];
		size_t len = key_text(key, sizeof key, k);

		assert_true(k < 500);
		assert_int_equal(k % 2, 1);
		assert_false(seen[k]);
		seen[k] = true;
		assert_int_equal(entries[e].key_len, len);
		assert_memory_equal(entries[e].key, key, len);
		n++;
	}
	assert_int_equal(n, 250);
	free(entries);

	/* An empty map gives an array too. */
	strmap_free(map);
	map = strmap_new(sizeof(int), 10);
	entries = strmap_entries(map);
	assert_non_null(entries);
	free(entries);
	strmap_free(map);
}

/* check_contents - key i (i < n) is in map exactly when present[i] */
static void
check_contents(const char *name, const struct strmap *map, const bool *present,
	       size_t n)
{
	char key[64];

	for (size_t i = 0; i < n; i++) {
		size_t len = key_text(key, sizeof key, i);
		size_t *value = strmap_get(map, key, len);

		if (present[i] && value == NULL)
			note_mismatch("%s: %s: got absent, want present", name,
				      key);
		else if (!present[i] && value != NULL)
			note_mismatch("%s: %s: got present, want absent", name,
				      key);
		else if (value != NULL && *value != i)
			note_mismatch("%s: %s: got value %zu, want %zu", name,
				      key, *value, i);
	}
}

struct removal_case {
	const char *name;
	size_t keys;
	uint64_t seed;
};

static const struct removal_case removal_cases[] = {
	{"31 keys in one table", 31, 1},
	{"100 keys", 100, 2},
	{"1000 keys seed 3", 1000, 3},
	{"1000 keys seed 4", 1000, 4},
};

/*
 * Remove keys in a random order with a fixed seed.  After each removal,
 * every other key must still be reachable.  Half of the cases add the
 * removed keys back, which reuses the shifted slots.
 */
static void
test_random_removal(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(removal_cases); c++) {
		const struct removal_case *rc = &removal_cases[c];
		struct strmap *map = fill(rc->keys, rc->keys);
		size_t *order = calloc(rc->keys, sizeof *order);
		bool *present = calloc(rc->keys, sizeof *present);
		char key[64];

		assert_non_null(order);
		assert_non_null(present);
		for (size_t i = 0; i < rc->keys; i++) {
			order[i] = i;
			present[i] = true;
		}
		shuffle(order, rc->keys, rc->seed);

		for (size_t r = 0; r < rc->keys && mismatch_count() == 0; r++) {
			size_t len = key_text(key, sizeof key, order[r]);

			check_int(rc->name, "removed",
				  strmap_remove(map, key, len), true);
			present[order[r]] = false;
			check_int(rc->name, "count",
				  (long long)strmap_count(map),
				  (long long)(rc->keys - r - 1));
			check_contents(rc->name, map, present, rc->keys);

			/* Put every third key back at once. */
			if (r % 3 == 0 && rc->seed % 2 == 0) {
				size_t *value;

				value = strmap_get_or_add(map, key, len);

				assert_non_null(value);
				check_int(rc->name, "re-added value",
					  (long long)*value, 0);
				*value = order[r];
				assert_true(strmap_remove(map, key, len));
			}
		}
		check_int(rc->name, "final count", (long long)strmap_count(map),
			  0);
		free(order);
		free(present);
		strmap_free(map);
	}
	finish_cases();
}

/* fnv1a - the 64-bit FNV-1a hash, which strmap.c uses for home slots */
static uint64_t
fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/*
 * Keys whose home slot in the first 64-slot table is 62 or 63, so their
 * probe run wraps past the end of the table.  If strmap.c changes its
 * hash, the keys merely stop clustering and the test still passes.
 */
static void
test_clustered_removal(void **state)
{
	enum { CLUSTER = 24 };
	size_t ids[CLUSTER], order[CLUSTER];
	bool present[CLUSTER];
	struct strmap *map = strmap_new(sizeof(size_t), 100);
	char key[64];
	size_t found = 0;

	(void)state;
	for (size_t i = 0; found < CLUSTER; i++) {
		size_t len = key_text(key, sizeof key, i);

		if ((fnv1a(key, len) & 63) >= 62)
			ids[found++] = i;
	}
	for (size_t k = 0; k < CLUSTER; k++) {
		size_t len = key_text(key, sizeof key, ids[k]);
		size_t *value = strmap_get_or_add(map, key, len);

		assert_non_null(value);
		*value = ids[k];
		order[k] = k;
		present[k] = true;
	}
	shuffle(order, CLUSTER, 5);

	for (size_t r = 0; r < CLUSTER; r++) {
		size_t len = key_text(key, sizeof key, ids[order[r]]);

		check_int("clustered", "removed", strmap_remove(map, key, len),
			  true);
		present[order[r]] = false;
		for (size_t k = 0; k < CLUSTER; k++) {
			size_t klen = key_text(key, sizeof key, ids[k]);
			size_t *value = strmap_get(map, key, klen);

			if (present[k] != (value != NULL))
				note_mismatch("clustered: after %zu removals: "
					      "%s: got %s, want %s",
					      r + 1, key,
					      value ? "present" : "absent",
					      present[k] ? "present"
							 : "absent");
			else if (value != NULL && *value != ids[k])
				note_mismatch("clustered: %s: got value %zu, "
					      "want %zu",
					      key, *value, ids[k]);
		}
	}
	strmap_free(map);
	finish_cases();
}

/* The key of a value stays at its address while the table grows, and
 * odd value sizes keep the key after the whole value block. */
static void
test_key_of_value(void **state)
{
	struct strmap *map = strmap_new(13, 10000);
	const char *first_key;
	unsigned char *first;
	char buf[64];
	size_t len;

	(void)state;
	first = strmap_get_or_add(map, LIT("first.example"));
	assert_non_null(first);
	memset(first, 0xff, 13);
	first_key = strmap_key(map, first, &len);
	assert_int_equal(len, strlen("first.example"));
	assert_memory_equal(first_key, "first.example", len + 1);

	for (size_t i = 0; i < 5000; i++) {
		size_t n = key_text(buf, sizeof buf, i);
		void *v = strmap_get_or_add(map, buf, n);

		assert_non_null(v);
		assert_string_equal(strmap_key(map, v, NULL), buf);
	}
	assert_ptr_equal(strmap_get(map, LIT("first.example")), first);
	assert_ptr_equal(strmap_key(map, first, NULL), first_key);
	assert_string_equal(first_key, "first.example");
	strmap_free(map);
}

/*
 * The _hashed forms, given each key's hash_bytes(), behave as the plain
 * ones: run the same additions, lookups and removals on two maps, one
 * through each, and compare every result.  strmap_value() finds the
 * value of each key that strmap_key() gives.
 */
static void
test_hashed_same(void **state)
{
	struct strmap *plain = strmap_new(sizeof(size_t), 3000);
	struct strmap *hashed = strmap_new(sizeof(size_t), 3000);
	char key[64];

	(void)state;
	rng_state = 5;
	for (size_t i = 0; i < 40000; i++) {
		size_t len = key_text(key, sizeof key, rng_next() % 5000);
		uint64_t h = hash_bytes(key, len);
		size_t *p, *q;

		switch (rng_next() % 3) {
		case 0:
			p = strmap_get_or_add(plain, key, len);
			q = strmap_get_or_add_hashed(hashed, key, len, h);
			check_int(key, "added", p != NULL, q != NULL);
			if (p != NULL && q != NULL)
				*p = *q = i;
			break;
		case 1:
			p = strmap_get(plain, key, len);
			q = strmap_get_hashed(hashed, key, len, h);
			check_int(key, "found", p != NULL, q != NULL);
			if (p != NULL && q != NULL)
				check_int(key, "value", (long long)*q,
					  (long long)*p);
			break;
		default:
			check_int(key, "removed",
				  strmap_remove_hashed(hashed, key, len, h),
				  strmap_remove(plain, key, len));
			break;
		}
		q = strmap_get(hashed, key, len);
		check_int(key, "present", q != NULL,
			  strmap_get(plain, key, len) != NULL);
		if (q != NULL)
			assert_ptr_equal(
			    strmap_value(hashed, strmap_key(hashed, q, NULL)),
			    q);
	}
	check_int("hashed", "count", (long long)strmap_count(hashed),
		  (long long)strmap_count(plain));
	strmap_free(plain);
	strmap_free(hashed);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_key_of_value),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_max_keys),
		cmocka_unit_test(test_max_keys_zero),
		cmocka_unit_test(test_remove_and_add_again),
		cmocka_unit_test(test_entries_count),
		cmocka_unit_test(test_random_removal),
		cmocka_unit_test(test_clustered_removal),
		cmocka_unit_test(test_hashed_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
