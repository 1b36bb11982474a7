/* SPDX-License-Identifier: MIT */
/*
 * timerange.c - the range of log times that a report covers
 *
 * Bounds are converted once, when they are parsed, to both an instant and
 * a local wall-clock reading, so that placing a log line costs two
 * integer comparisons.  Local time comes from mktime(3) and localtime_r(3)
 * under the zone of TZ.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/i18n.h"
#include "bouncelog/logzone.h"
#include "bouncelog/timerange.h"

#define USEC_PER_SEC INT64_C(1000000)

/* The fields of a bound as written. */
struct bound_text {
	int year, month, day, hour, min, sec;
	int32_t usec;
	bool has_time;
	bool has_offset;
	int offset_min;
};

/* digits - read exactly n digits at *p into *value */
static bool
digits(const char **p, int n, int *value)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!ascii_isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return true;
}

static bool
leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

/* read_date - "YYYY-MM-DD", not checked */
static bool
read_date(const char **p, struct bound_text *b)
{
	return digits(p, 4, &b->year) && *(*p)++ == '-' &&
	       digits(p, 2, &b->month) && *(*p)++ == '-' &&
	       digits(p, 2, &b->day);
}

/* check_date - a date that exists, in the years supported */
static bool
check_date(const struct bound_text *b, const char **error)
{
	*error = N_("invalid date");
	if (b->month < 1 || b->month > 12 || b->day < 1 ||
	    b->day > days_in_month(b->year, b->month))
		return false;
	*error = N_("year out of range; use a year from 1970 to 9999");
	return b->year >= 1970;
}

/* scan_date - "YYYY-MM-DD", checked */
static bool
scan_date(const char **p, struct bound_text *b, const char **error)
{
	if (!read_date(p, b)) {
		*error = N_("expected a date as YYYY-MM-DD");
		return false;
	}
	return check_date(b, error);
}

/* scan_fraction - ".d" to ".ddddddddd" after the seconds, kept to
 * microseconds */
static bool
scan_fraction(const char **p, struct bound_text *b)
{
	int n = 0;

	if (**p != '.')
		return true;
	(*p)++;
	while (ascii_isdigit((unsigned char)**p)) {
		if (n < 6)
			b->usec = b->usec * 10 + (**p - '0');
		n++;
		(*p)++;
	}
	for (int k = n; k < 6; k++)
		b->usec *= 10;
	return n >= 1 && n <= 9;
}

/* scan_clock - "HH:MM", "HH:MM:SS" or "HH:MM:SS.frac", checked */
static bool
scan_clock(const char **p, struct bound_text *b, const char **error)
{
	*error = N_("expected a time of day as HH:MM or HH:MM:SS after the "
		    "date");
	if (!digits(p, 2, &b->hour) || *(*p)++ != ':' ||
	    !digits(p, 2, &b->min))
		return false;
	if (**p == ':') {
		(*p)++;
		if (!digits(p, 2, &b->sec) || !scan_fraction(p, b))
			return false;
	}
	*error = N_("invalid time of day");
	if (b->hour > 23 || b->min > 59 || b->sec > 60)
		return false;

	/* A leap second reads as second 59, as in log lines. */
	if (b->sec == 60)
		b->sec = 59;
	b->has_time = true;
	return true;
}

/* scan_offset - "Z", "+HH:MM", "+HHMM" or nothing */
static bool
scan_offset(const char **p, struct bound_text *b, const char **error)
{
	int sign, hh, mm;

	*error = N_("invalid UTC offset; use Z, +HH:MM or -HH:MM");
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		b->has_offset = true;
		return true;
	}
	if (**p != '+' && **p != '-')
		return true;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &hh))
		return false;
	if (**p == ':')
		(*p)++;
	if (!digits(p, 2, &mm) || hh > 23 || mm > 59)
		return false;
	b->has_offset = true;
	b->offset_min = sign * (hh * 60 + mm);
	return true;
}

/* scan_bound - the whole text of a bound into *b */
static bool
scan_bound(const char *text, struct bound_text *b, const char **error)
{
	const char *p = text;

	memset(b, 0, sizeof *b);
	if (!scan_date(&p, b, error))
		return false;
	if (*p == '\0')
		return true;
	if (*p != 'T' && *p != 't' && *p != ' ') {
		*error = N_("expected \"T\" or a space between date and time");
		return false;
	}
	p++;
	if (!scan_clock(&p, b, error) || !scan_offset(&p, b, error))
		return false;
	*error = N_("unexpected text after the time");
	return *p == '\0';
}

/* wall_seconds - the wall-clock reading of tm in seconds, as if UTC */
static int64_t
wall_seconds(const struct tm *tm)
{
	return sysline_days_from_civil(tm->tm_year + 1900, tm->tm_mon + 1,
				       tm->tm_mday) *
		       86400 +
	       tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

/* local_wall - the local wall-clock reading of the instant t, in seconds
 * read as if UTC */
static bool
local_wall(int64_t t, int64_t *wall)
{
	time_t when = (time_t)t;
	struct tm tm;

	if ((int64_t)when != t || localtime_r(&when, &tm) == NULL)
		return false;
	*wall = wall_seconds(&tm);
	return true;
}

/* No zone is more than this far from UTC (UTC-12 to UTC+14 are the real
 * extremes), so the first instant at or after a wall-clock reading lies
 * within this many seconds of the reading taken as UTC. */
#define ZONE_REACH (16 * 3600)

/*
 * first_instant_at - the first instant whose local wall-clock reading is
 * at or after wall, found by bisection.  For a reading that the zone
 * skips, this is the moment the clocks jump.
 */
static bool
first_instant_at(int64_t wall, int64_t *out)
{
	int64_t low = wall - ZONE_REACH, high = wall + ZONE_REACH, w;

	while (high - low > 1) {
		int64_t mid = low + (high - low) / 2;

		if (!local_wall(mid, &w))
			return false;
		if (w >= wall)
			high = mid;
		else
			low = mid;
	}
	*out = high;
	return true;
}

/*
 * set_bound - *out for the instant t plus usec.  Its wall-clock reading is
 * that of t, except at the moment the clocks jump forward.  There, when
 * logzone reads a log time in the skipped span as at or after t, the
 * reading is the first skipped one.  So such a log time falls on the same
 * side of the bound as the instant that events show it at.
 */
static bool
set_bound(int64_t t, int32_t usec, struct timerange_bound *out,
	  const char **error)
{
	int64_t wall, before;

	if (!local_wall(t, &wall) || !local_wall(t - 1, &before)) {
		*error = N_("time out of range for this system");
		return false;
	}
	if (usec == 0 && before + 1 < wall &&
	    before + 1 - (int64_t)logzone_keep(before + 1) * 60 >= t)
		wall = before + 1;
	out->utc_us = t * USEC_PER_SEC + usec;
	out->wall_us = wall * USEC_PER_SEC + usec;
	return true;
}

/*
 * local_bound - the bound of a local date and time.  mktime() turns day 0
 * and the day after the last of a month into days of the months beside
 * it, as timerange_parse_day() needs.  A local time that the zone skips
 * is the moment the clocks jump, which is the first instant whose local
 * time is at or after it.  mktime() would move it forward by the length
 * of the gap instead.  Of the two instants of a local time that the zone
 * repeats, mktime() picks one.
 */
static bool
local_bound(int year, int month, int day, int hour, int min, int sec,
	    int32_t usec, struct timerange_bound *out, const char **error)
{
	int64_t wall = sysline_days_from_civil(year, month, day) * 86400 +
		       hour * 3600 + min * 60 + sec;
	struct tm tm = {0};
	int64_t t;

	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	errno = 0;
	t = (int64_t)mktime(&tm);
	if (t == -1 && errno != 0) {
		*error = N_("time out of range for this system");
		return false;
	}
	if (wall_seconds(&tm) != wall) {
		/* No instant has this reading, so take the jump. */
		if (!first_instant_at(wall, &t)) {
			*error = N_("time out of range for this system");
			return false;
		}
		usec = 0;
	}
	return set_bound(t, usec, out, error);
}

/* instant_bound - the bound of a date and time with a UTC offset */
static bool
instant_bound(const struct bound_text *b, struct timerange_bound *out,
	      const char **error)
{
	int64_t wall = sysline_days_from_civil(b->year, b->month, b->day) *
			       86400 +
		       b->hour * 3600 + b->min * 60 + b->sec;

	return set_bound(wall - (int64_t)b->offset_min * 60, b->usec, out,
			 error);
}

bool
timerange_parse_bound(const char *text, struct timerange_bound *out,
		      const char **error)
{
	struct bound_text b;

	tzset();
	if (!scan_bound(text, &b, error))
		return false;
	if (b.has_offset)
		return instant_bound(&b, out, error);
	return local_bound(b.year, b.month, b.day, b.hour, b.min, b.sec,
			   b.usec, out, error);
}

bool
timerange_parse_day(const char *text, time_t now, struct timerange *range,
		    const char **error)
{
	struct bound_text b;
	struct tm tm;

	tzset();
	memset(&b, 0, sizeof b);
	if (strcmp(text, "today") == 0 || strcmp(text, "yesterday") == 0) {
		if (localtime_r(&now, &tm) == NULL) {
			*error = N_("the current time is out of range");
			return false;
		}
		b.year = tm.tm_year + 1900;
		b.month = tm.tm_mon + 1;
		b.day = tm.tm_mday - (text[0] == 'y');
	} else {
		const char *p = text;

		if (!read_date(&p, &b) || *p != '\0') {
			*error = N_("expected today, yesterday or a date as "
				    "YYYY-MM-DD");
			return false;
		}
		if (!check_date(&b, error))
			return false;
	}

	/* mktime() turns day 0 into the last day of the month before, and
	 * the day after the last into the first of the next. */
	range->has_since = true;
	range->has_until = true;
	return local_bound(b.year, b.month, b.day, 0, 0, 0, 0, &range->since,
			   error) &&
	       local_bound(b.year, b.month, b.day + 1, 0, 0, 0, 0,
			   &range->until, error);
}

enum timerange_place
timerange_place(const struct timerange *range, const struct logtime *t)
{
	int64_t key, since, until;

	if (t->has_offset) {
		key = logtime_utc(t) * USEC_PER_SEC + t->usec;
		since = range->since.utc_us;
		until = range->until.utc_us;
	} else {
		key = t->wall * USEC_PER_SEC + t->usec;
		since = range->since.wall_us;
		until = range->until.wall_us;
	}
	if (range->has_since && key < since)
		return TIMERANGE_BEFORE;
	if (range->has_until && key >= until)
		return TIMERANGE_AFTER;
	return TIMERANGE_INSIDE;
}

/* floor_div - a / b rounded down, for b > 0 */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

char *
timerange_format(const struct timerange_bound *bound, char *buf, size_t len)
{
	int64_t secs = floor_div(bound->utc_us, USEC_PER_SEC), wall;
	int64_t offset = local_wall(secs, &wall) ? wall - secs : 0;
	int64_t printed = offset % 60 == 0
				  ? bound->utc_us + offset * USEC_PER_SEC
				  : bound->utc_us;
	struct logtime t = {0};
	char clock[TIMERANGE_TEXT_MAX], fraction[8] = "", zone[8] = "Z";
	int32_t usec;

	t.wall = floor_div(printed, USEC_PER_SEC);
	usec = (int32_t)(printed - t.wall * USEC_PER_SEC);
	logtime_format(&t, clock, sizeof clock);
	if (usec != 0)
		snprintf(fraction, sizeof fraction, ".%06d", (int)usec);
	if (offset % 60 == 0 && offset != 0)
		snprintf(zone, sizeof zone, "%c%02d:%02d",
			 offset < 0 ? '-' : '+', (int)(llabs(offset) / 3600),
			 (int)(llabs(offset) / 60 % 60));
	snprintf(buf, len, "%s%s%s", clock, fraction, zone);
	return buf;
}
