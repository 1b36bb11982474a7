/* SPDX-License-Identifier: MIT */
/*
 * timeline.c - failures per time bucket, for charts of failures over time
 */
#include <string.h>

#include "bouncelog/logzone.h"
#include "bouncelog/timeline.h"

/*
 * Bucket boundaries are counted from Monday 0001-01-01 00:00 of the
 * proleptic Gregorian calendar.  That is a whole number of weeks before
 * Monday 1970-01-05, so week buckets start on a Monday, and no bucket can
 * start before year 1: every bucket start prints as an RFC 3339 time,
 * which has a 4-digit year.
 */
#define ORIGIN_WALL INT64_C(-62135596800)

/* 10000-01-01 00:00, the first time after every 4-digit year. */
#define END_WALL INT64_C(253402300800)

/*
 * The widest bucket: 4096 weeks.  Times are clamped to the 4-digit years
 * (see bucket_number()), and 200 buckets of 4096 weeks span more than
 * those 9999 years, so the width never grows past it.
 */
#define WIDTH_MAX (INT64_C(4096) * 604800)

/* The bucket widths before doubling, in seconds; each divides the next. */
static const int64_t width_ladder[] = {
	60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400, 604800,
};

void
timeline_init(struct timeline *tl)
{
	memset(tl, 0, sizeof *tl);
	tl->width = TIMELINE_WIDTH_MIN;
}

/* floor_div - a / b rounded towards minus infinity, for b > 0 */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

static int64_t
next_width(int64_t width)
{
	size_t n = sizeof width_ladder / sizeof width_ladder[0];

	for (size_t i = 0; i + 1 < n; i++)
		if (width_ladder[i] == width)
			return width_ladder[i + 1];
	return width * 2;
}

/*
 * bucket_number - the bucket of a UTC time, counted from the origin.  A
 * time outside years 1 to 9999 in the timeline's zone (a broken clock or
 * a forged stamp) is counted at the nearest end of that range.
 */
static int64_t
bucket_number(const struct timeline *tl, int64_t utc)
{
	int64_t shift = (int64_t)tl->offset_min * 60;
	int64_t wall;

	if (utc < ORIGIN_WALL - shift)
		wall = ORIGIN_WALL;
	else if (utc >= END_WALL - shift)
		wall = END_WALL - 1;
	else
		wall = utc + shift;
	return floor_div(wall - ORIGIN_WALL, tl->width);
}

/*
 * coarsen - move to the next width.  Bucket b of width w lies in bucket
 * floor(b / k) of width k * w, so old buckets merge into new ones in
 * order.  A new bucket never lies after the old ones it takes, so the
 * merge can work in place.
 */
static void
coarsen(struct timeline *tl)
{
	int64_t wider = next_width(tl->width);
	int64_t k = wider / tl->width;
	int64_t first = floor_div(tl->first, k);
	int64_t last = floor_div(tl->first + (int64_t)tl->nbuckets - 1, k);

	for (size_t i = 0; i < tl->nbuckets; i++) {
		size_t j = (size_t)(floor_div(tl->first + (int64_t)i, k) - first);
		uint64_t moved[TIMELINE_SERIES];

		memcpy(moved, tl->counts[i], sizeof moved);
		memset(tl->counts[i], 0, sizeof tl->counts[i]);
		for (int s = 0; s < TIMELINE_SERIES; s++)
			tl->counts[j][s] += moved[s];
	}
	tl->width = wider;
	tl->first = first;
	tl->nbuckets = (size_t)(last - first + 1);
}

/* reach - the index of the bucket holding t, after making room for it */
static size_t
reach(struct timeline *tl, const struct logtime *t)
{
	int64_t utc = logzone_utc(t);
	int64_t number, low, high;

	/* A time without an offset is local time (logzone.h), so the
	 * buckets of its timeline start at local midnight too. */
	if (tl->nbuckets == 0) {
		tl->offset_min = logzone_offset_min(t);
		tl->has_offset = t->has_offset;
		tl->first = bucket_number(tl, utc);
		tl->nbuckets = 1;
		return 0;
	}

	/* Widen until the old buckets and the new one fit. */
	for (;;) {
		int64_t last = tl->first + (int64_t)tl->nbuckets - 1;

		number = bucket_number(tl, utc);
		low = number < tl->first ? number : tl->first;
		high = number > last ? number : last;
		if (high - low < TIMELINE_BUCKETS_MAX)
			break;
		coarsen(tl);
	}

	if (number < tl->first) {
		size_t shift = (size_t)(tl->first - number);

		memmove(tl->counts[shift], tl->counts[0],
			tl->nbuckets * sizeof tl->counts[0]);
		memset(tl->counts[0], 0, shift * sizeof tl->counts[0]);
		tl->first = number;
		tl->nbuckets += shift;
	} else if (number >= tl->first + (int64_t)tl->nbuckets) {
		tl->nbuckets = (size_t)(number - tl->first + 1);
	}
	return (size_t)(number - tl->first);
}

void
timeline_cover(struct timeline *tl, const struct logtime *t)
{
	(void)reach(tl, t);
}

void
timeline_add(struct timeline *tl, const struct logtime *t,
	     enum timeline_series s)
{
	if ((unsigned)s >= TIMELINE_SERIES)
		return;
	if (t == NULL) {
		tl->untimed[s]++;
		return;
	}
	tl->counts[reach(tl, t)][s]++;
}

/* add_sat - a + b, or UINT64_MAX when that overflows */
static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void
timeline_add_count(struct timeline *tl, const struct logtime *t,
		   enum timeline_series s, uint64_t n)
{
	uint64_t *count;

	if ((unsigned)s >= TIMELINE_SERIES)
		return;
	count = t == NULL ? &tl->untimed[s] : &tl->counts[reach(tl, t)][s];
	*count = add_sat(*count, n);
}

void
timeline_merge(struct timeline *dst, const struct timeline *src)
{
	struct logtime first, last;

	for (int s = 0; s < TIMELINE_SERIES; s++)
		dst->untimed[s] = add_sat(dst->untimed[s], src->untimed[s]);
	if (src->nbuckets == 0)
		return;

	/* Make room for src's span first, then widen to its width, so
	 * that each bucket of src falls into one bucket of dst. */
	first = timeline_bucket_start(src, 0);
	last = timeline_bucket_start(src, src->nbuckets - 1);
	last.wall += src->width - 1;
	timeline_cover(dst, &first);
	timeline_cover(dst, &last);
	while (dst->width < src->width)
		coarsen(dst);

	for (size_t i = 0; i < src->nbuckets; i++) {
		struct logtime start = timeline_bucket_start(src, i);

		for (int s = 0; s < TIMELINE_SERIES; s++)
			if (src->counts[i][s] > 0)
				timeline_add_count(dst, &start,
						   (enum timeline_series)s,
						   src->counts[i][s]);
	}
}

bool
timeline_width_valid(int64_t width)
{
	int64_t w = TIMELINE_WIDTH_MIN;

	while (w < width && w < WIDTH_MAX)
		w = next_width(w);
	return w == width;
}

struct logtime
timeline_bucket_start(const struct timeline *tl, size_t i)
{
	struct logtime t;

	memset(&t, 0, sizeof t);
	t.wall = ORIGIN_WALL + (tl->first + (int64_t)i) * tl->width;
	t.offset_min = (int16_t)tl->offset_min;
	t.has_offset = tl->has_offset;
	return t;
}

uint64_t
timeline_bucket_total(const struct timeline *tl, size_t i)
{
	uint64_t sum = 0;

	for (int s = 0; s < TIMELINE_SERIES; s++)
		sum += tl->counts[i][s];
	return sum;
}

uint64_t
timeline_series_total(const struct timeline *tl, enum timeline_series s)
{
	uint64_t sum = tl->untimed[s];

	for (size_t i = 0; i < tl->nbuckets; i++)
		sum += tl->counts[i][s];
	return sum;
}
