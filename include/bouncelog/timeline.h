/* SPDX-License-Identifier: MIT */
/*
 * timeline.h - failures per time bucket, for charts of failures over time
 *
 * A timeline counts failures in at most TIMELINE_BUCKETS_MAX consecutive
 * buckets of one width, each split into series (the kind and class of a
 * failure).  The width starts at one minute and grows through the ladder
 * 1, 5, 15 and 30 minutes, 1, 3, 6 and 12 hours, 1 day, 1 week, then
 * doubles, whenever the time covered would need more buckets.  Each width
 * divides the next, and bucket boundaries lie on multiples of the width
 * counted from Monday 0001-01-01 00:00 in the timeline's zone, so growing
 * merges whole buckets and every count stays exact.  The doubling stops
 * at 4096 weeks, enough for any 4-digit year.  A time outside years 1
 * to 9999 counts in the bucket of the nearest end of that range, so
 * every bucket start has a 4-digit year.
 *
 * The zone is the UTC offset of the first time given to the timeline.  A
 * time without an offset, such as a BSD syslog stamp, is local time and
 * has the local zone's offset (logzone.h).  Day and week buckets then
 * start at midnight as the log shows it.  Times are compared in UTC
 * (logzone_utc()), so logs in different zones still line up.
 *
 * Memory is fixed: the struct contains every bucket, whatever the input.
 *
 * NOTE: one stray timestamp far from the others (a clock reset to 1970)
 * widens every bucket to cover the gap, because the buckets always span
 * every time seen.  Trimming such outliers would need a second pass.
 */
#ifndef BOUNCELOG_TIMELINE_H
#define BOUNCELOG_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncelog/sysline.h"

/* Maximum number of buckets; the width grows to keep within it. */
#define TIMELINE_BUCKETS_MAX 200

/* The smallest bucket width, in seconds. */
#define TIMELINE_WIDTH_MIN 60

/* The kind of a failure: its direction, outcome and reply class. */
enum timeline_series {
	TIMELINE_DEFERRED,	 /* outbound, temporary (4xx): a deferral */
	TIMELINE_BOUNCED,	 /* outbound, permanent (5xx): a bounce */
	TIMELINE_EXPIRED,	 /* outbound, given up after retrying */
	TIMELINE_REJECTED_TEMP,	 /* inbound rejection, temporary (4xx) */
	TIMELINE_REJECTED_PERM,	 /* inbound rejection, permanent (5xx) */
	TIMELINE_SERIES
};

struct timeline {
	int64_t width;		/* seconds per bucket */
	int64_t first;		/* number of the first bucket since the
				 * origin; see timeline_bucket_start() */
	size_t nbuckets;	/* buckets in use; 0 until a time is seen */
	int offset_min;		/* the zone: minutes east of UTC */
	bool has_offset;	/* the first time seen carried an offset */
	uint64_t counts[TIMELINE_BUCKETS_MAX][TIMELINE_SERIES];
	uint64_t untimed[TIMELINE_SERIES];	/* failures without a time */
};

/* Reset *tl to an empty timeline of the smallest width. */
void timeline_init(struct timeline *tl);

/*
 * Make the buckets reach time t without counting anything, so that the
 * chart spans the whole period read and not only its failures.
 */
void timeline_cover(struct timeline *tl, const struct logtime *t);

/* Count one failure of series s at time t; NULL t counts it as untimed. */
void timeline_add(struct timeline *tl, const struct logtime *t,
		  enum timeline_series s);

/* Count n failures of series s at time t (NULL: untimed), saturating. */
void timeline_add_count(struct timeline *tl, const struct logtime *t,
			enum timeline_series s, uint64_t n);

/*
 * Add src's counts to dst.  dst widens to src's width at least, and each
 * bucket of src is counted in the bucket of dst that holds its start.
 * When both have the same zone, that bucket holds all of it, so the
 * merge is exact; with different zones, a count may move to the bucket
 * before the one that holds its time.  Totals are always exact.
 */
void timeline_merge(struct timeline *dst, const struct timeline *src);

/* True when width is one a timeline can have: a step of the ladder in
 * the file comment, or a week times a power of two up to 4096. */
bool timeline_width_valid(int64_t width);

/*
 * Start of bucket i (0 <= i < nbuckets) as a logtime in the timeline's
 * zone, ready for logtime_format().
 */
struct logtime timeline_bucket_start(const struct timeline *tl, size_t i);

/* Failures of bucket i, summed over the series. */
uint64_t timeline_bucket_total(const struct timeline *tl, size_t i);

/* Failures of series s, in buckets and untimed. */
uint64_t timeline_series_total(const struct timeline *tl,
			       enum timeline_series s);

#endif
