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

/* wall_offset_min - the local zone's offset in minutes at the wall time
 * wall, as logzone_offset_min() gives it */
static int
wall_offset_min(int64_t wall)
{
	/* Take the offset at the wall time read as UTC, then the offset at
	 * the moment that this first guess gives. */
	int64_t guess = local_offset(wall);
	int64_t off = local_offset(wall - guess);

	if (off > LOGZONE_OFFSET_MAX * 60 || off < -LOGZONE_OFFSET_MAX * 60)
		return 0;
	return (int)(off / 60);
}

_Thread_local struct logzone_span logzone_kept;

void
logzone_forget(void)
{
	logzone_kept.low = logzone_kept.high = 0;
}

/* floor_to - wall rounded down to a multiple of step */
static int64_t
floor_to(int64_t wall, int64_t step)
{
	return (wall >= 0 ? wall / step : -((step - 1 - wall) / step)) * step;
}

/*
 * The span kept is the hour around wall when both ends of that hour have
 * the same offset, else the minute around it when its ends agree.  No
 * zone of the tz database changes its offset twice within an hour, so a
 * span whose ends agree has that offset throughout.  A minute with a
 * change in it is worked out second by second and not kept.
 */
int
logzone_keep(int64_t wall)
{
	static const int64_t spans[] = {3600, 60};

	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		int64_t low = floor_to(wall, spans[i]);
		int first = wall_offset_min(low);

		if (wall_offset_min(low + spans[i] - 1) != first)
			continue;
		logzone_kept.low = low;
		logzone_kept.high = low + spans[i];
		logzone_kept.offset_min = first;
		return first;
	}
	return wall_offset_min(wall);
}

int
logzone_offset_min(const struct logtime *t)
{
	if (t->has_offset)
		return t->offset_min;
	return logzone_local_offset_min(t->wall);
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
