/* SPDX-License-Identifier: MIT */
/*
 * test_topk.c - unit tests of the Space-Saving summary
 *
 * The streams are skewed (a Zipf-like law over KEYS keys, drawn with a
 * fixed seed) and far longer than the capacity, so keys are taken over
 * all the time.  Each test keeps the exact count of every key beside the
 * summary and checks every guarantee of topk.h against it: the bounds of
 * each listed key, the floor for each unlisted key, and floor <= N / k.
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
#include "bouncelog/topk.h"
#include "check.h"

/* Distinct keys of the skewed streams, and items drawn per stream. */
#define KEYS 2000
#define STREAM_LEN 50000
#define CAPACITY 50

/* A small generator with a fixed seed, so that failures repeat. */
static uint64_t rng_state;

static uint32_t
rng_next(void)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(rng_state >> 33);
}

/* key_text - the key of number i */
static size_t
key_text(char *buf, size_t size, size_t i)
{
	return (size_t)snprintf(buf, size, "d%zu.example", i);
}

/* key_number - the number of a key made by key_text() */
static size_t
key_number(const char *key)
{
	return (size_t)strtoul(key + 1, NULL, 10);
}

/*
 * feed_skewed - add STREAM_LEN keys to s, key r drawn with weight
 * 1 / (r + 1) where r is the key's rank; reversed ranks the keys from
 * the end, so that two streams have different heavy keys.  Adds the
 * exact counts to truth.
 */
static void
feed_skewed(struct topk *s, uint64_t truth[KEYS], uint64_t seed, bool reversed)
{
	static double cumulative[KEYS];
	double sum = 0;

	for (size_t r = 0; r < KEYS; r++) {
		sum += 1.0 / (double)(r + 1);
		cumulative[r] = sum;
	}
	rng_state = seed;
	for (size_t i = 0; i < STREAM_LEN; i++) {
		double x = (double)rng_next() / 2147483648.0 * sum;
		size_t lo = 0, hi = KEYS - 1;
		size_t key;
		char buf[32];

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (cumulative[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		key = reversed ? KEYS - 1 - lo : lo;
		truth[key]++;
		topk_add(s, buf, key_text(buf, sizeof buf, key), 1);
	}
}

/*
 * check_bounds - every guarantee of topk.h for s against the exact
 * counts in truth; same_capacity asks for floor <= N / capacity too
 */
static void
check_bounds(const char *name, const struct topk *s, const uint64_t truth[KEYS],
	     bool same_capacity)
{
	uint64_t n_total = 0, floor = topk_floor(s);
	bool listed[KEYS] = {false};
	struct topk_item *items;
	size_t n;

	for (size_t i = 0; i < KEYS; i++)
		n_total += truth[i];
	check_int(name, "total", (long long)topk_total(s), (long long)n_total);

	items = topk_items(s, &n);
	for (size_t i = 0; i < n; i++) {
		size_t key = key_number(items[i].key);
		uint64_t want = truth[key];

		listed[key] = true;
		if (items[i].count - items[i].error > want ||
		    items[i].count < want)
			note_mismatch("%s: %s: true count %llu outside [%llu, "
				      "%llu]",
				      name, items[i].key,
				      (unsigned long long)want,
				      (unsigned long long)(items[i].count -
							   items[i].error),
				      (unsigned long long)items[i].count);
		if (items[i].error > floor || items[i].count < floor)
			note_mismatch("%s: %s: count %llu error %llu against "
				      "floor %llu",
				      name, items[i].key,
				      (unsigned long long)items[i].count,
				      (unsigned long long)items[i].error,
				      (unsigned long long)floor);
	}
	free(items);

	for (size_t key = 0; key < KEYS; key++)
		if (!listed[key] && truth[key] > floor)
			note_mismatch("%s: unlisted key %zu: true count %llu "
				      "above the floor %llu",
				      name, key, (unsigned long long)truth[key],
				      (unsigned long long)floor);
	if (same_capacity && floor > n_total / topk_capacity(s))
		note_mismatch("%s: floor %llu above N / k = %llu", name,
			      (unsigned long long)floor,
			      (unsigned long long)(n_total / topk_capacity(s)));
}

static void
test_exact_below_capacity(void **state)
{
	struct topk *s = topk_new(10);
	static const struct {
		const char *key;
		uint64_t n;
	} adds[] = {
	    {"b", 2}, {"a", 1}, {"c", 5}, {"a", 3}, {"", 1}, {"b", 1},
	};
	static const struct {
		const char *key;
		long long count;
	} want[] = {{"c", 5}, {"a", 4}, {"b", 3}, {"", 1}};
	struct topk_item *items;
	size_t n;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(adds); i++)
		topk_add(s, adds[i].key, strlen(adds[i].key), adds[i].n);
	items = topk_items(s, &n);
	check_int("exact", "items", (long long)n, (long long)ARRAY_LEN(want));
	for (size_t i = 0; i < n && i < ARRAY_LEN(want); i++) {
		check_str("exact", "key", items[i].key, want[i].key);
		check_int(want[i].key, "count", (long long)items[i].count,
			  want[i].count);
		check_int(want[i].key, "error", (long long)items[i].error, 0);
	}
	check_int("exact", "floor", (long long)topk_floor(s), 0);
	check_int("exact", "total", (long long)topk_total(s), 13);
	free(items);
	topk_free(s);
	finish_cases();
}

/* Of equal lowest counts, the largest key is taken over first. */
static void
test_take_over_order(void **state)
{
	struct topk *s = topk_new(2);
	uint64_t count = 0, error = 0;

	(void)state;
	topk_add(s, "a", 1, 1);
	topk_add(s, "b", 1, 1);
	topk_add(s, "c", 1, 1);
	check_int("take over", "a listed", topk_get(s, "a", 1, NULL, NULL), 1);
	check_int("take over", "b listed", topk_get(s, "b", 1, NULL, NULL), 0);
	check_int("take over", "c listed", topk_get(s, "c", 1, &count, &error),
		  1);
	check_int("take over", "c count", (long long)count, 2);
	check_int("take over", "c error", (long long)error, 1);
	check_int("take over", "floor", (long long)topk_floor(s), 1);
	topk_free(s);
	finish_cases();
}

static void
test_skewed_stream_bound(void **state)
{
	static uint64_t truth[KEYS];
	struct topk *s = topk_new(CAPACITY);
	struct topk_item *items;
	uint64_t sum = 0;
	size_t n;

	(void)state;
	memset(truth, 0, sizeof truth);
	feed_skewed(s, truth, 1, false);
	check_bounds("skewed", s, truth, true);

	/* Without merges the counts add up to the stream length. */
	items = topk_items(s, &n);
	check_int("skewed", "counters", (long long)n, CAPACITY);
	for (size_t i = 0; i < n; i++)
		sum += items[i].count;
	check_int("skewed", "sum of counts", (long long)sum, STREAM_LEN);
	check_str("skewed", "heaviest key", n ? items[0].key : NULL,
		  "d0.example");
	if (topk_floor(s) == 0)
		note_mismatch("skewed: floor is 0, so no key was taken over");
	free(items);
	topk_free(s);
	finish_cases();
}

/* check_same_items - a and b list the same counters */
static void
check_same_items(const char *name, const struct topk *a, const struct topk *b)
{
	struct topk_item *x, *y;
	size_t nx, ny;

	x = topk_items(a, &nx);
	y = topk_items(b, &ny);
	check_int(name, "items", (long long)nx, (long long)ny);
	for (size_t i = 0; i < nx && i < ny; i++) {
		check_str(name, "key", x[i].key, y[i].key);
		check_int(x[i].key, "count", (long long)x[i].count,
			  (long long)y[i].count);
		check_int(x[i].key, "error", (long long)x[i].error,
			  (long long)y[i].error);
	}
	check_int(name, "floor", (long long)topk_floor(a),
		  (long long)topk_floor(b));
	free(x);
	free(y);
}

static void
test_merge_two(void **state)
{
	static uint64_t truth[KEYS];
	struct topk *a = topk_new(CAPACITY), *b = topk_new(CAPACITY);
	struct topk *a2 = topk_new(CAPACITY), *b2 = topk_new(CAPACITY);
	static uint64_t scratch[KEYS];

	(void)state;
	memset(truth, 0, sizeof truth);
	feed_skewed(a, truth, 2, false);
	feed_skewed(b, truth, 3, true);
	feed_skewed(a2, scratch, 2, false);
	feed_skewed(b2, scratch, 3, true);

	topk_merge(a, b);
	check_bounds("merge a+b", a, truth, true);
	check_int("merge a+b", "counters", (long long)topk_count(a), CAPACITY);

	/* The merge is symmetric: b + a lists the same counters. */
	topk_merge(b2, a2);
	check_same_items("merge b+a", a, b2);

	topk_free(a);
	topk_free(b);
	topk_free(a2);
	topk_free(b2);
	finish_cases();
}

/* Eight parts merged one after another keep the bound of one summary. */
static void
test_merge_many(void **state)
{
	static uint64_t truth[KEYS];
	struct topk *all = topk_new(CAPACITY);

	(void)state;
	memset(truth, 0, sizeof truth);
	for (uint64_t part = 0; part < 8; part++) {
		struct topk *s = topk_new(CAPACITY);

		feed_skewed(s, truth, 10 + part, part % 2 == 1);
		topk_merge(all, s);
		topk_free(s);
	}
	check_bounds("merge of 8", all, truth, true);

	/* Counting on after merges keeps every guarantee. */
	feed_skewed(all, truth, 99, false);
	check_bounds("add after merges", all, truth, true);
	topk_free(all);
	finish_cases();
}

/* A summary of a smaller capacity keeps the bounds of each key. */
static void
test_merge_smaller_capacity(void **state)
{
	static uint64_t truth[KEYS];
	struct topk *big = topk_new(CAPACITY), *small = topk_new(7);

	(void)state;
	memset(truth, 0, sizeof truth);
	feed_skewed(big, truth, 4, false);
	feed_skewed(small, truth, 5, true);
	topk_merge(big, small);
	check_bounds("capacity 7 into 50", big, truth, false);
	feed_skewed(big, truth, 6, true);
	check_bounds("adds after it", big, truth, false);
	topk_free(big);
	topk_free(small);
	finish_cases();
}

/* Two summaries below capacity whose keys fit merge exactly. */
static void
test_merge_exact(void **state)
{
	struct topk *a = topk_new(4), *b = topk_new(4);
	uint64_t count = 0, error = 0;

	(void)state;
	topk_add(a, "x", 1, 3);
	topk_add(a, "y", 1, 1);
	topk_add(b, "y", 1, 2);
	topk_add(b, "z", 1, 5);
	topk_merge(a, b);
	check_int("exact merge", "counters", (long long)topk_count(a), 3);
	check_int("exact merge", "y", topk_get(a, "y", 1, &count, &error), 1);
	check_int("exact merge", "y count", (long long)count, 3);
	check_int("exact merge", "y error", (long long)error, 0);
	check_int("exact merge", "floor", (long long)topk_floor(a), 0);
	check_int("exact merge", "total", (long long)topk_total(a), 11);

	/* One more key than fits: the smallest goes and sets the floor. */
	topk_add(b, "w", 1, 1);
	topk_add(b, "v", 1, 2);
	topk_merge(a, b);
	check_int("full merge", "counters", (long long)topk_count(a), 4);
	check_int("full merge", "w listed", topk_get(a, "w", 1, NULL, NULL), 0);
	check_int("full merge", "floor", (long long)topk_floor(a), 1);
	topk_free(a);
	topk_free(b);
	finish_cases();
}

static void
test_saturation(void **state)
{
	struct topk *s = topk_new(1);
	uint64_t count = 0;

	(void)state;
	topk_add(s, "k", 1, UINT64_MAX);
	topk_add(s, "k", 1, 5);
	check_int("saturation", "k", topk_get(s, "k", 1, &count, NULL), 1);
	if (count != UINT64_MAX)
		note_mismatch("saturation: count %llu, want UINT64_MAX",
			      (unsigned long long)count);
	if (topk_total(s) != UINT64_MAX)
		note_mismatch("saturation: total %llu, want UINT64_MAX",
			      (unsigned long long)topk_total(s));
	topk_free(s);
	finish_cases();
}

static void
test_restore_round_trip(void **state)
{
	static uint64_t truth[KEYS];
	struct topk *s = topk_new(CAPACITY), *back;
	char error[TOPK_ERROR_MAX] = "";
	struct topk_item *items;
	size_t n;

	(void)state;
	feed_skewed(s, truth, 7, false);
	items = topk_items(s, &n);
	back = topk_restore(topk_capacity(s), topk_total(s), topk_floor(s),
			    items, n, error);
	check_str("restore", "error", back ? NULL : error, NULL);
	if (back != NULL) {
		check_same_items("restore", s, back);
		check_int("restore", "total", (long long)topk_total(back),
			  (long long)topk_total(s));
		check_int("restore", "capacity", (long long)topk_capacity(back),
			  CAPACITY);
	}
	free(items);
	topk_free(s);
	topk_free(back);
	finish_cases();
}

static void
test_restore_invalid(void **state)
{
	static const struct {
		const char *name;
		size_t capacity;
		uint64_t total, floor;
		struct topk_item items[3];
		size_t n;
		const char *want;
	} cases[] = {
	    {"zero capacity",
	     0,
	     0,
	     0,
	     {{0}},
	     0,
	     "capacity 0 is not between 1 and 1000000"},
	    {"too many",
	     1,
	     2,
	     0,
	     {{"a", 1, 1, 0}, {"b", 1, 1, 0}},
	     2,
	     "2 keys are more than the capacity 1"},
	    {"twice",
	     2,
	     2,
	     0,
	     {{"a", 1, 1, 0}, {"a", 1, 1, 0}},
	     2,
	     "a key is listed twice"},
	    {"error above count",
	     2,
	     5,
	     3,
	     {{"a", 1, 2, 3}},
	     1,
	     "an error of 3 is above its count 2 or above the floor 3"},
	    {"error above floor",
	     2,
	     5,
	     1,
	     {{"a", 1, 4, 2}},
	     1,
	     "an error of 2 is above its count 4 or above the floor 1"},
	    {"count below floor",
	     2,
	     5,
	     3,
	     {{"a", 1, 2, 0}},
	     1,
	     "a count of 2 is below the floor 3"},
	    {"lower bounds above total",
	     2,
	     3,
	     0,
	     {{"a", 1, 2, 0}, {"b", 1, 2, 0}},
	     2,
	     "the keys occurred at least 4 times, more than the total 3"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char error[TOPK_ERROR_MAX] = "";
		struct topk *s = topk_restore(cases[i].capacity, cases[i].total,
					      cases[i].floor, cases[i].items,
					      cases[i].n, error);

		check_int(cases[i].name, "rejected", s == NULL, 1);
		check_str(cases[i].name, "message", error, cases[i].want);
		topk_free(s);
	}
	finish_cases();
}

/*
 * topk_add_hashed() with the key's hash_bytes() counts as topk_add()
 * does: feed the same skewed stream, with take-overs and ties, to one
 * summary through each and compare the counters.
 */
static void
test_add_hashed_same(void **state)
{
	struct topk *plain = topk_new(CAPACITY), *hashed = topk_new(CAPACITY);
	char key[32];

	(void)state;
	rng_state = 11;
	for (size_t i = 0; i < STREAM_LEN; i++) {
		size_t r = rng_next() % KEYS * (rng_next() % KEYS) / KEYS;
		size_t len = key_text(key, sizeof key, r);

		topk_add(plain, key, len, 1 + i % 3);
		topk_add_hashed(hashed, key, len, hash_bytes(key, len),
				1 + i % 3);
	}
	check_same_items("hashed", plain, hashed);

	/* A key counted through its hash is found by topk_get(), which
	 * hashes it again. */
	for (size_t r = 0; r < KEYS; r++) {
		size_t len = key_text(key, sizeof key, r);
		uint64_t want = 0, got = 0;

		check_int(key, "listed",
			  topk_get(hashed, key, len, &got, NULL),
			  topk_get(plain, key, len, &want, NULL));
		check_int(key, "count", (long long)got, (long long)want);
	}
	check_int("hashed", "floor", (long long)topk_floor(hashed),
		  (long long)topk_floor(plain));
	check_int("hashed", "total", (long long)topk_total(hashed),
		  (long long)topk_total(plain));
	if (topk_floor(plain) == 0)
		note_mismatch("hashed: floor is 0, so no key was taken over");
	topk_free(plain);
	topk_free(hashed);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_below_capacity),
	    cmocka_unit_test(test_take_over_order),
	    cmocka_unit_test(test_skewed_stream_bound),
	    cmocka_unit_test(test_merge_two),
	    cmocka_unit_test(test_merge_many),
	    cmocka_unit_test(test_merge_smaller_capacity),
	    cmocka_unit_test(test_merge_exact),
	    cmocka_unit_test(test_saturation),
	    cmocka_unit_test(test_restore_round_trip),
	    cmocka_unit_test(test_restore_invalid),
	    cmocka_unit_test(test_add_hashed_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("topk", tests, NULL, NULL);
}
