/* SPDX-License-Identifier: MIT */
/*
 * logzone.c - the UTC offset of a log timestamp
 */
#include <time.h>

#include "bouncelog/logzone.h"

/* Offsets beyond this many minutes are not a time zone's (UTC-12 to
 * UTC+14 are the real extremes). */
#define LOGZONE_OFFSET_MAX (18 * 60)

/* local_offset - the local zone's offset in seconds at UTC moment utc,
 * or 0 when the C library cannot convert it */
static int64_t
local_offset(int64_t utc)
{
	time_t when = (time_t)utc;
	struct tm tm;
	int64_t wall;

	if ((int64_t)when != utc || localtime_r(&when, &tm) == NULL)
		return 0;

	/* The wall time read as UTC, minus the moment, is the offset. */
	wall = sysline_days_from_civil((int64_t)tm.tm_year + 1900,
				       tm.tm_mon + 1, tm.tm_mday) * 86400 +
	       tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return wall - utc;
}

int
logzone_offset_min(const struct logtime *t)
{
	int64_t guess, off;

	if (t->has_offset)
		return t->offset_min;

	/* Take the offset at the wall time read as UTC, then the offset at
	 * the moment that this first guess gives. */
	guess = local_offset(t->wall);
	off = local_offset(t->wall - guess);
	if (off > LOGZONE_OFFSET_MAX * 60 || off < -LOGZONE_OFFSET_MAX * 60)
		return 0;
	return (int)(off / 60);
}

struct logtime
logzone_with_offset(const struct logtime *t)
{
	struct logtime out = *t;

	if (!out.has_offset) {
		out.offset_min = (int16_t)logzone_offset_min(t);
		out.has_offset = true;
	}
	return out;
}

int64_t
logzone_utc(const struct logtime *t)
{
	return t->wall - (int64_t)logzone_offset_min(t) * 60;
}
