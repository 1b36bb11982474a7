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

/*
 * A plain Space-Saving summary that keeps its counters in an array and
 * searches it, with the tie rule of topk.h: of the lowest counts, the
 * largest key is taken over.  The tests below compare the summary's key
 * buffer, index and heap with it.
 */
struct model_counter {
	char *key;
	size_t len;
	uint64_t count;
	uint64_t error;
};

struct model {
	struct model_counter *c;
	size_t n;
	size_t capacity;
	uint64_t floor;
	uint64_t total;
};

/* key_order - byte order, a shorter key before its extensions */
static int
key_order(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* model_add - count n more of key in m, as topk_add() does */
static void
model_add(struct model *m, const char *key, size_t len, uint64_t n)
{
	size_t victim = 0;

	if (len > TOPK_KEY_MAX)
		len = TOPK_KEY_MAX;
	m->total = sat_add(m->total, n);
	for (size_t i = 0; i < m->n; i++) {
		if (m->c[i].len == len && memcmp(m->c[i].key, key, len) == 0) {
			m->c[i].count = sat_add(m->c[i].count, n);
			return;
		}
	}
	if (m->n < m->capacity) {
		victim = m->n++;
		m->c[victim].error = m->floor;
		m->c[victim].count = sat_add(m->floor, n);
	} else {
		for (size_t i = 1; i < m->n; i++) {
			const struct model_counter *x = &m->c[i];
			const struct model_counter *v = &m->c[victim];

			if (x->count < v->count ||
			    (x->count == v->count &&
			     key_order(x->key, x->len, v->key, v->len) > 0))
				victim = i;
		}
		if (m->c[victim].count > m->floor)
			m->floor = m->c[victim].count;
		m->c[victim].error = m->floor;
		m->c[victim].count = sat_add(m->floor, n);
	}
	free(m->c[victim].key);
	m->c[victim].key = copy_exact(key, len);
	m->c[victim].len = len;
}

/* check_model - s lists exactly the counters of m, and finds each key */
static void
check_model(const char *name, const struct topk *s, const struct model *m)
{
	struct topk_item *items;
	size_t n, found = 0;

	check_int(name, "floor", (long long)topk_floor(s), (long long)m->floor);
	check_int(name, "total", (long long)topk_total(s), (long long)m->total);
	items = topk_items(s, &n);
	check_int(name, "counters", (long long)n, (long long)m->n);
	for (size_t i = 0; i < m->n; i++) {
		const struct model_counter *c = &m->c[i];
		uint64_t count = 0, error = 0;

		if (!topk_get(s, c->key, c->len, &count, &error)) {
			note_mismatch("%s: a key of %zu bytes is not listed",
				      name, c->len);
			continue;
		}
		found++;
		if (count != c->count || error != c->error)
			note_mismatch("%s: a key of %zu bytes counts %llu "
				      "(error %llu), want %llu (%llu)",
				      name, c->len, (unsigned long long)count,
				      (unsigned long long)error,
				      (unsigned long long)c->count,
				      (unsigned long long)c->error);
	}

	/* Every listed key is one of the model's, with its NUL kept. */
	for (size_t i = 0; i < n; i++) {
		bool known = false;

		for (size_t k = 0; k < m->n && !known; k++)
			known = m->c[k].len == items[i].key_len &&
				memcmp(m->c[k].key, items[i].key,
				       items[i].key_len) == 0;
		if (!known || items[i].key[items[i].key_len] != '\0')
			note_mismatch("%s: item %zu of %zu bytes is not a key "
				      "of the model with a NUL after it",
				      name, i, items[i].key_len);
	}
	check_int(name, "found", (long long)found, (long long)m->n);
	free(items);
}

static void
model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->c[i].key);
	free(m->c);
}

/*
 * model_key - the bytes of key number id, of a length drawn from id: most
 * keys have 1 to 40 bytes, some a few hundred, and a few several thousand
 * or about TOPK_KEY_MAX, which topk_add() cuts beyond.  The bytes come
 * from "a", "b" and NUL, so that keys share prefixes and differ after a
 * NUL.
 */
static size_t
model_key(char *buf, size_t id)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15u;
	size_t len;

	x = (x ^ x >> 31) * 0xBF58476D1CE4E5B9u;
	x ^= x >> 29;

	switch (x % 16) {
	case 0:
		len = 200 + (x >> 8) % 200;
		break;
	case 1:
		len = id % 2 ? 3000 + (x >> 8) % 5000
			     : TOPK_KEY_MAX - 2 + (x >> 8) % 5;
		break;
	default:
		len = 1 + (x >> 8) % 40;
		break;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = "ab\0"[(x >> (i % 48)) % 3];
	return len;
}

/*
 * A summary checked against the model along a long stream of keys of all
 * lengths, most of which are taken over soon.  So the key buffer fills
 * with dead keys and is compacted many times.  New keys are longer and
 * shorter than the ones they replace, and the index grows with the
 * counters up to the capacity.
 */
static void
test_model_stream(void **state)
{
	static const size_t capacities[] = {1, 7, 64, 300};
	char *buf = malloc(TOPK_KEY_MAX + 8);

	(void)state;
	for (size_t t = 0; t < sizeof capacities / sizeof *capacities; t++) {
		size_t cap = capacities[t];
		struct topk *s = topk_new(cap);
		struct model m = {calloc(cap, sizeof *m.c), 0, cap, 0, 0};
		char name[32];

		snprintf(name, sizeof name, "model %zu", cap);
		rng_state = 100 + cap;
		for (size_t i = 0; i < 6000; i++) {
			/* A skew over 4 * cap keys keeps a few heavy
			 * keys and takes the others over. */
			size_t id = rng_next() % (4 * cap + 1);
			size_t len;
			uint64_t n = 1 + rng_next() % 3;

			id = id * (rng_next() % (4 * cap + 1)) / (4 * cap + 1);
			len = model_key(buf, id + 1000 * t);
			topk_add(s, buf, len, n);
			model_add(&m, buf, len, n);
			if (i % 97 == 0 || i > 5900)
				check_model(name, s, &m);
		}
		check_model(name, s, &m);
		if (m.floor == 0)
			note_mismatch("%s: no key was taken over", name);
		model_free(&m);
		topk_free(s);
	}
	free(buf);
	finish_cases();
}

/*
 * Keys that differ only after a NUL, or by a trailing NUL, are distinct
 * keys, and each is listed with its own length.
 */
static void
test_keys_with_nul(void **state)
{
	static const struct {
		const char *key;
		size_t len;
	} keys[] = {
		{"a", 1}, {"a\0", 2}, {"a\0b", 3}, {"a\0c", 3}, {"\0", 1},
		{"", 0},
	};
	size_t nkeys = sizeof keys / sizeof *keys;
	struct topk *s = topk_new(nkeys);
	struct topk_item *items;
	size_t n;

	(void)state;
	for (size_t i = 0; i < nkeys; i++)
		topk_add(s, keys[i].key, keys[i].len, i + 1);
	for (size_t i = 0; i < nkeys; i++) {
		uint64_t count = 0;

		check_int(keys[i].key, "listed",
			  topk_get(s, keys[i].key, keys[i].len, &count, NULL),
			  1);
		check_int(keys[i].key, "count", (long long)count,
			  (long long)(i + 1));
	}

	/* Largest count first: "" (6), "\0" (5), "a\0c" (4) ... */
	items = topk_items(s, &n);
	check_int("nul", "items", (long long)n, (long long)nkeys);
	for (size_t i = 0; i < n; i++) {
		size_t want = nkeys - 1 - i;

		check_int("nul", "length", (long long)items[i].key_len,
			  (long long)keys[want].len);
		check_int("nul", "same bytes",
			  memcmp(items[i].key, keys[want].key,
				 keys[want].len) == 0,
			  1);
	}
	free(items);
	topk_free(s);
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
	    cmocka_unit_test(test_model_stream),
	    cmocka_unit_test(test_keys_with_nul),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("topk", tests, NULL, NULL);
}
