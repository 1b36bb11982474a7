/* SPDX-License-Identifier: MIT */
/*
 * test_timeline.c - unit tests of the failures-over-time buckets
 *
 * The table cases feed times and check the width, the number of buckets,
 * the first bucket's start and every count.  The random test feeds many
 * times in a random order and checks, against a count made here from the
 * final width, that no failure moved to the wrong bucket while the
 * timeline grew.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/timeline.h"
#include "check.h"

#define DAY 86400
/* 2026-11-19T00:00:00 as wall seconds. */
#define NOV19 1795046400

struct feed {
	int64_t wall;		/* INT64_MIN ends the list */
	int offset_min;
	bool has_offset;
	enum timeline_series series;
	bool cover;		/* timeline_cover() instead of _add() */
};

struct bucket_want {
	size_t index;		/* (size_t)-1 ends the list */
	enum timeline_series series;
	uint64_t count;
};

struct timeline_case {
	const char *name;
	struct feed feeds[8];
	int64_t want_width;
	size_t want_buckets;
	const char *want_start;		/* bucket 0, by logtime_format() */
	struct bucket_want want[6];
};

#define END_FEED {INT64_MIN, 0, false, 0, false}
#define END_WANT {(size_t)-1, 0, 0}
#define AT(wall, series) {(wall), 0, false, (series), false}
#define COVER(wall) {(wall), 0, false, 0, true}

static const struct timeline_case cases[] = {
	{"one failure",
	 {AT(NOV19 + 3725, TIMELINE_BOUNCED), END_FEED},
	 60, 1, "2026-11-19T01:02:00",
	 {{0, TIMELINE_BOUNCED, 1}, END_WANT}},
	{"minutes apart",
	 {AT(NOV19 + 10, TIMELINE_DEFERRED), AT(NOV19 + 50, TIMELINE_DEFERRED),
	  AT(NOV19 + 190, TIMELINE_REJECTED_TEMP), END_FEED},
	 60, 4, "2026-11-19T00:00:00",
	 {{0, TIMELINE_DEFERRED, 2}, {3, TIMELINE_REJECTED_TEMP, 1},
	  {1, TIMELINE_DEFERRED, 0}, END_WANT}},
	{"earlier time shifts buckets",
	 {AT(NOV19 + 600, TIMELINE_EXPIRED), AT(NOV19 + 60, TIMELINE_BOUNCED),
	  END_FEED},
	 60, 10, "2026-11-19T00:01:00",
	 {{0, TIMELINE_BOUNCED, 1}, {9, TIMELINE_EXPIRED, 1}, END_WANT}},
	{"200 minutes fit",
	 {AT(NOV19, TIMELINE_DEFERRED), AT(NOV19 + 199 * 60, TIMELINE_DEFERRED),
	  END_FEED},
	 60, 200, "2026-11-19T00:00:00",
	 {{0, TIMELINE_DEFERRED, 1}, {199, TIMELINE_DEFERRED, 1}, END_WANT}},
	{"201 minutes widen",
	 {AT(NOV19, TIMELINE_DEFERRED), AT(NOV19 + 200 * 60, TIMELINE_BOUNCED),
	  END_FEED},
	 300, 41, "2026-11-19T00:00:00",
	 {{0, TIMELINE_DEFERRED, 1}, {40, TIMELINE_BOUNCED, 1}, END_WANT}},
	{"two days in quarter hours",
	 {AT(NOV19 + 3 * 60, TIMELINE_DEFERRED),
	  AT(NOV19 + 14 * 60, TIMELINE_DEFERRED),
	  AT(NOV19 + 2 * DAY - 1, TIMELINE_REJECTED_PERM), END_FEED},
	 900, 192, "2026-11-19T00:00:00",
	 {{0, TIMELINE_DEFERRED, 2}, {191, TIMELINE_REJECTED_PERM, 1},
	  END_WANT}},
	{"cover widens without counting",
	 {COVER(NOV19), AT(NOV19 + DAY / 2, TIMELINE_BOUNCED),
	  COVER(NOV19 + DAY - 1), END_FEED},
	 900, 96, "2026-11-19T00:00:00",
	 {{48, TIMELINE_BOUNCED, 1}, {0, TIMELINE_BOUNCED, 0},
	  {95, TIMELINE_BOUNCED, 0}, END_WANT}},
	{"days start at local midnight",
	 {{NOV19 + 1800, 180, true, TIMELINE_DEFERRED, false},
	  {NOV19 + 150 * DAY, 180, true, TIMELINE_BOUNCED, false},
	  {NOV19 + 10 * DAY - 3 * 3600, 0, true, TIMELINE_EXPIRED, false},
	  END_FEED},
	 DAY, 151, "2026-11-19T00:00:00+03:00",
	 {{0, TIMELINE_DEFERRED, 1}, {150, TIMELINE_BOUNCED, 1},
	  {10, TIMELINE_EXPIRED, 1}, END_WANT}},
	{"weeks start on Monday",
	 {AT(NOV19, TIMELINE_DEFERRED), AT(NOV19 + 3 * 365 * DAY,
					   TIMELINE_DEFERRED),
	  END_FEED},
	 7 * DAY, 157, "2026-11-16T00:00:00",
	 {{0, TIMELINE_DEFERRED, 1}, {156, TIMELINE_DEFERRED, 1}, END_WANT}},
};

static void
feed_case(struct timeline *tl, const struct timeline_case *c)
{
	for (size_t f = 0; f < ARRAY_LEN(c->feeds); f++) {
		const struct feed *in = &c->feeds[f];
		struct logtime t = {0};

		if (in->wall == INT64_MIN)
			break;
		t.wall = in->wall;
		t.offset_min = (int16_t)in->offset_min;
		t.has_offset = in->has_offset;
		if (in->cover)
			timeline_cover(tl, &t);
		else
			timeline_add(tl, &t, in->series);
	}
}

static void
test_timeline_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct timeline_case *c = &cases[i];
		struct timeline tl;
		struct logtime start;
		char buf[48];

		timeline_init(&tl);
		feed_case(&tl, c);
		check_int(c->name, "width", tl.width, c->want_width);
		check_int(c->name, "buckets", (long long)tl.nbuckets,
			  (long long)c->want_buckets);
		start = timeline_bucket_start(&tl, 0);
		check_str(c->name, "first start",
			  logtime_format(&start, buf, sizeof buf),
			  c->want_start);
		for (size_t w = 0; w < ARRAY_LEN(c->want); w++) {
			const struct bucket_want *b = &c->want[w];
			char what[64];

			if (b->index == (size_t)-1)
				break;
			snprintf(what, sizeof what, "bucket %zu series %d",
				 b->index, (int)b->series);
			check_int(c->name, what,
				  b->index < tl.nbuckets
					  ? (long long)tl.counts[b->index]
								[b->series]
					  : -1,
				  (long long)b->count);
		}
	}
	finish_cases();
}

static void
test_untimed(void **state)
{
	struct timeline tl;
	struct logtime t = {.wall = NOV19};

	(void)state;
	timeline_init(&tl);
	timeline_add(&tl, NULL, TIMELINE_EXPIRED);
	check_int("untimed only", "buckets", (long long)tl.nbuckets, 0);
	check_int("untimed only", "untimed", (long long)tl.untimed[
						     TIMELINE_EXPIRED], 1);
	timeline_add(&tl, &t, TIMELINE_EXPIRED);
	check_int("untimed and timed", "series total",
		  (long long)timeline_series_total(&tl, TIMELINE_EXPIRED), 2);
	check_int("untimed and timed", "bucket total",
		  (long long)timeline_bucket_total(&tl, 0), 1);
	timeline_add(&tl, &t, TIMELINE_SERIES);
	check_int("invalid series", "bucket total",
		  (long long)timeline_bucket_total(&tl, 0), 1);
	finish_cases();
}

/* Years 1 and 9999 in one timeline: the width grows past a week without
 * overflow and both ends stay counted. */
static void
test_extreme_years(void **state)
{
	struct timeline tl;
	struct logtime low = {.wall = -62135596800LL};	/* 0001-01-01 */
	struct logtime high = {.wall = 253402300799LL};	/* 9999-12-31 */
	char buf[48];
	struct logtime start;

	(void)state;
	timeline_init(&tl);
	timeline_add(&tl, &high, TIMELINE_BOUNCED);
	timeline_add(&tl, &low, TIMELINE_DEFERRED);
	assert_true(tl.nbuckets <= TIMELINE_BUCKETS_MAX);
	assert_true(tl.width > 7 * DAY);
	check_int("extreme", "deferred",
		  (long long)timeline_series_total(&tl, TIMELINE_DEFERRED), 1);
	check_int("extreme", "bounced",
		  (long long)tl.counts[tl.nbuckets - 1][TIMELINE_BOUNCED], 1);
	check_int("extreme", "first bucket",
		  (long long)tl.counts[0][TIMELINE_DEFERRED], 1);
	start = timeline_bucket_start(&tl, 0);
	logtime_format(&start, buf, sizeof buf);
	check_str("extreme", "first start", buf, "0001-01-01T00:00:00");
	finish_cases();
}

/* Times whose wall clock in the timeline's zone falls outside years 1 to
 * 9999 are counted at the nearest end, so that no bucket starts at a
 * time without a 4-digit year, and the width stops at 4096 weeks. */
static void
test_years_outside_range(void **state)
{
	struct timeline tl;
	/* The zone comes from the first time: 12 hours west of UTC. */
	struct logtime west = {.wall = -62135560800LL, .offset_min = -720,
			       .has_offset = true};	/* 0001-01-01T10:00 */
	/* 0001-01-01T00:00+14:00 is 0000-12-30T22:00 at 12 hours west. */
	struct logtime east = {.wall = -62135596800LL, .offset_min = 840,
			       .has_offset = true};
	/* 9999-12-31T23:59:59-23:59 is in year 10000 at 12 hours west. */
	struct logtime late = {.wall = 253402300799LL, .offset_min = -1439,
			       .has_offset = true};
	struct logtime start;
	char buf[48];

	(void)state;
	timeline_init(&tl);
	timeline_add(&tl, &west, TIMELINE_BOUNCED);
	timeline_add(&tl, &east, TIMELINE_DEFERRED);
	timeline_add(&tl, &late, TIMELINE_EXPIRED);

	check_int("outside", "width", tl.width, 4096LL * 7 * DAY);
	check_int("outside", "early in the first bucket",
		  (long long)tl.counts[0][TIMELINE_DEFERRED], 1);
	check_int("outside", "late in the last bucket",
		  (long long)tl.counts[tl.nbuckets - 1][TIMELINE_EXPIRED], 1);
	start = timeline_bucket_start(&tl, 0);
	logtime_format(&start, buf, sizeof buf);
	check_str("outside", "first start", buf, "0001-01-01T00:00:00-12:00");
	start = timeline_bucket_start(&tl, tl.nbuckets - 1);
	check_int("outside", "last start before year 10000",
		  start.wall < 253402300800LL, 1);

	check_int("outside", "4096 weeks valid",
		  timeline_width_valid(4096LL * 7 * DAY), 1);
	check_int("outside", "8192 weeks invalid",
		  timeline_width_valid(8192LL * 7 * DAY), 0);
	finish_cases();
}

/* next_random - a fixed linear congruential sequence, so runs repeat */
static uint64_t
next_random(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return *seed >> 33;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

/* Every failure lands in the bucket that contains its time at the final
 * width, whatever the order the times came in. */
static void
test_random_order(void **state)
{
	enum { FEEDS = 5000 };
	static struct logtime times[FEEDS];
	static uint64_t want[TIMELINE_BUCKETS_MAX][TIMELINE_SERIES];
	struct timeline tl;
	uint64_t seed = 42;
	int64_t start0;

	(void)state;
	for (int round = 0; round < 4; round++) {
		/* Spans from about an hour to about two years. */
		int64_t span = (int64_t)3600 << (round * 4);

		timeline_init(&tl);
		memset(want, 0, sizeof want);
		for (int i = 0; i < FEEDS; i++) {
			times[i].wall = NOV19 + (int64_t)(next_random(&seed) %
							  (uint64_t)span) -
					span / 2;
			timeline_add(&tl, &times[i],
				     (enum timeline_series)(i % TIMELINE_SERIES));
			assert_true(tl.nbuckets <= TIMELINE_BUCKETS_MAX);
		}
		start0 = timeline_bucket_start(&tl, 0).wall;
		for (int i = 0; i < FEEDS; i++) {
			int64_t b = floor_div(times[i].wall - start0, tl.width);

			assert_true(b >= 0 && b < (int64_t)tl.nbuckets);
			want[b][i % TIMELINE_SERIES]++;
		}
		for (size_t b = 0; b < tl.nbuckets; b++)
			for (int s = 0; s < TIMELINE_SERIES; s++)
				if (tl.counts[b][s] != want[b][s])
					note_mismatch("round %d: bucket %zu "
						      "series %d: got %llu, "
						      "want %llu",
						      round, b, s,
						      (unsigned long long)
							      tl.counts[b][s],
						      (unsigned long long)
							      want[b][s]);
		/* Growing must stop at the first width that fits. */
		check_int("random", "width no wider than needed",
			  tl.width == TIMELINE_WIDTH_MIN ||
				  tl.nbuckets * 7 > TIMELINE_BUCKETS_MAX,
			  1);
	}
	finish_cases();
}

/* check_same_timeline - every field and bucket of got against want */
static void
check_same_timeline(const char *name, const struct timeline *got,
		    const struct timeline *want)
{
	check_int(name, "width", got->width, want->width);
	check_int(name, "first", got->first, want->first);
	check_int(name, "buckets", (long long)got->nbuckets,
		  (long long)want->nbuckets);
	check_int(name, "offset", got->offset_min, want->offset_min);
	for (size_t b = 0; b < got->nbuckets && b < want->nbuckets; b++)
		for (int s = 0; s < TIMELINE_SERIES; s++)
			if (got->counts[b][s] != want->counts[b][s])
				note_mismatch("%s: bucket %zu series %d: got "
					      "%llu, want %llu", name, b, s,
					      (unsigned long long)
						      got->counts[b][s],
					      (unsigned long long)
						      want->counts[b][s]);
	for (int s = 0; s < TIMELINE_SERIES; s++)
		check_int(name, "untimed", (long long)got->untimed[s],
			  (long long)want->untimed[s]);
}

/* Merging the timelines of two halves of the times gives the timeline
 * of all of them, whether the halves need the same width or not. */
static void
test_merge(void **state)
{
	enum { FEEDS = 3000 };
	static const int64_t spans[] = {3600, 86400, 40 * 86400};
	uint64_t seed = 7;

	(void)state;
	for (size_t round = 0; round < 3; round++) {
		struct timeline all, first_half, second_half, merged;
		char name[32];

		timeline_init(&all);
		timeline_init(&first_half);
		timeline_init(&second_half);
		timeline_init(&merged);
		for (int i = 0; i < FEEDS; i++) {
			struct logtime t = {0};
			enum timeline_series s =
				(enum timeline_series)(i % TIMELINE_SERIES);

			/* The second half spans ten times more. */
			t.wall = NOV19 + (int64_t)(next_random(&seed) %
						   (uint64_t)spans[round]);
			if (i >= FEEDS / 2)
				t.wall = NOV19 + (t.wall - NOV19) * 10;
			t.offset_min = 180;
			t.has_offset = true;
			timeline_add(&all, &t, s);
			timeline_add(i < FEEDS / 2 ? &first_half : &second_half,
				     &t, s);
		}
		timeline_add(&all, NULL, TIMELINE_EXPIRED);
		timeline_add(&second_half, NULL, TIMELINE_EXPIRED);

		timeline_merge(&merged, &first_half);
		timeline_merge(&merged, &second_half);
		snprintf(name, sizeof name, "merge round %zu", round);
		check_same_timeline(name, &merged, &all);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_cases),
		cmocka_unit_test(test_untimed),
		cmocka_unit_test(test_extreme_years),
		cmocka_unit_test(test_years_outside_range),
		cmocka_unit_test(test_random_order),
		cmocka_unit_test(test_merge),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
