/* SPDX-License-Identifier: MIT */
/*
 * test_timerange.c - unit tests of the time range bounds and days
 *
 * Each case names the zone it runs in; the test sets TZ and calls tzset()
 * before it.  Wanted instants are written as a civil UTC time, and wanted
 * wall-clock readings as a civil local time, both turned into seconds by
 * sysline_days_from_civil(), which test_sysline checks.  The UTC offsets
 * of the zones on the dates used come from the tz database: Istanbul
 * +03:00 all year since 2016, New York -05:00 in winter and -04:00 in
 * summer, Berlin +01:00 and +02:00 with changes on 31 March and
 * 27 October 2024, Sao Paulo -03:00 and -02:00 with a change at
 * midnight on 4 November 2018.  Lord Howe is +10:30 and +11:00, with
 * changes on 7 April 2024 (from 02:00 back to 01:30) and 6 October 2024
 * (from 02:00 on to 02:30).  Beirut is +02:00 and +03:00, with a change
 * at midnight on 31 March 2024, and New York changes on 10 March 2024 at
 * 07:00 UTC.  meson runs this program once more under tr_TR.UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/logzone.h"
#include "bouncelog/timerange.h"
#include "check.h"

#define USEC INT64_C(1000000)

/* A time of day on a civil date, as the case tables write it. */
struct civil {
	int year, month, day, hour, min, sec;
};

static int64_t
civil_seconds(const struct civil *c)
{
	return sysline_days_from_civil(c->year, c->month, c->day) * 86400 +
	       c->hour * 3600 + c->min * 60 + c->sec;
}

/* use_zone - set TZ; a zone missing from the tz database fails the test,
 * because glibc would silently fall back to UTC */
static void
use_zone(const char *zone)
{
	char path[256];

	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	if (access(path, R_OK) != 0)
		fail_msg("%s not found; install the tzdata package", path);
	setenv("TZ", zone, 1);
	tzset();
	logzone_forget();
}

struct bound_case {
	const char *name;
	const char *zone;
	const char *text;
	struct civil want_utc;
	struct civil want_wall;
	int32_t want_usec;
};

static const struct bound_case bound_cases[] = {
	{"date is local midnight", "Europe/Istanbul", "2024-11-19",
	 {2024, 11, 18, 21, 0, 0}, {2024, 11, 19, 0, 0, 0}, 0},
	{"date and minutes in utc zone", "UTC", "2024-11-19 08:30",
	 {2024, 11, 19, 8, 30, 0}, {2024, 11, 19, 8, 30, 0}, 0},
	{"local time in winter", "America/New_York", "2024-11-19T08:30:15",
	 {2024, 11, 19, 13, 30, 15}, {2024, 11, 19, 8, 30, 15}, 0},
	{"local time in summer", "America/New_York", "2024-07-01 12:00:00",
	 {2024, 7, 1, 16, 0, 0}, {2024, 7, 1, 12, 0, 0}, 0},
	{"leap day", "UTC", "2024-02-29", {2024, 2, 29, 0, 0, 0},
	 {2024, 2, 29, 0, 0, 0}, 0},
	{"z with fraction", "Europe/Istanbul", "2024-11-19T08:30:15.25Z",
	 {2024, 11, 19, 8, 30, 15}, {2024, 11, 19, 11, 30, 15}, 250000},
	{"lower-case t and z", "UTC", "2024-11-19t08:30:00z",
	 {2024, 11, 19, 8, 30, 0}, {2024, 11, 19, 8, 30, 0}, 0},
	{"plus offset", "UTC", "2024-11-19T08:30:15+03:00",
	 {2024, 11, 19, 5, 30, 15}, {2024, 11, 19, 5, 30, 15}, 0},
	{"minus offset without colon", "Europe/Istanbul",
	 "2024-11-19T08:30:15-0500", {2024, 11, 19, 13, 30, 15},
	 {2024, 11, 19, 16, 30, 15}, 0},
	{"space before offset time", "UTC", "2024-11-19 08:30:15+05:30",
	 {2024, 11, 19, 3, 0, 15}, {2024, 11, 19, 3, 0, 15}, 0},
	{"minutes with offset", "UTC", "2024-11-19T08:30Z",
	 {2024, 11, 19, 8, 30, 0}, {2024, 11, 19, 8, 30, 0}, 0},
	{"nine fraction digits", "UTC", "2024-11-19 08:30:15.123456789Z",
	 {2024, 11, 19, 8, 30, 15}, {2024, 11, 19, 8, 30, 15}, 123456},
	{"leap second", "UTC", "2016-12-31T23:59:60Z",
	 {2016, 12, 31, 23, 59, 59}, {2016, 12, 31, 23, 59, 59}, 0},
	{"first day of 1970 east of utc", "Europe/Istanbul", "1970-01-01",
	 {1969, 12, 31, 22, 0, 0}, {1970, 1, 1, 0, 0, 0}, 0},
	/* A local time that the clocks skip is the moment they jump.  Where
	 * logzone reads a log time in the skipped span as after that moment,
	 * the wall-clock reading of the bound is the first skipped one. */
	{"skipped time is the jump", "Europe/Berlin", "2024-03-31 02:30",
	 {2024, 3, 31, 1, 0, 0}, {2024, 3, 31, 2, 0, 0}, 0},
	{"first skipped second", "Europe/Berlin", "2024-03-31 02:00:00",
	 {2024, 3, 31, 1, 0, 0}, {2024, 3, 31, 2, 0, 0}, 0},
	{"skipped time with fraction", "Europe/Berlin",
	 "2024-03-31 02:59:59.75", {2024, 3, 31, 1, 0, 0},
	 {2024, 3, 31, 2, 0, 0}, 0},
	{"local time at the jump", "Europe/Berlin", "2024-03-31 03:00",
	 {2024, 3, 31, 1, 0, 0}, {2024, 3, 31, 2, 0, 0}, 0},
	{"utc time at the jump", "Europe/Berlin", "2024-03-31T01:00:00Z",
	 {2024, 3, 31, 1, 0, 0}, {2024, 3, 31, 2, 0, 0}, 0},
	{"second before the jump", "Europe/Berlin", "2024-03-31 01:59:59",
	 {2024, 3, 31, 0, 59, 59}, {2024, 3, 31, 1, 59, 59}, 0},
	{"skipped half hour", "Australia/Lord_Howe", "2024-10-06 02:15",
	 {2024, 10, 5, 15, 30, 0}, {2024, 10, 6, 2, 0, 0}, 0},
	{"skipped hour west of utc", "America/New_York", "2024-03-10 02:30",
	 {2024, 3, 10, 7, 0, 0}, {2024, 3, 10, 3, 0, 0}, 0},
	{"skipped midnight is the jump", "America/Sao_Paulo", "2018-11-04",
	 {2018, 11, 4, 3, 0, 0}, {2018, 11, 4, 1, 0, 0}, 0},
	/* Of a local time that the clocks repeat, glibc's mktime() takes
	 * the later instant. */
	{"repeated hour", "Europe/Berlin", "2024-10-27 02:30",
	 {2024, 10, 27, 1, 30, 0}, {2024, 10, 27, 2, 30, 0}, 0},
	{"repeated half hour", "Australia/Lord_Howe", "2024-04-07 01:45",
	 {2024, 4, 6, 15, 15, 0}, {2024, 4, 7, 1, 45, 0}, 0},
};

static void
test_bound_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bound_cases); i++) {
		const struct bound_case *c = &bound_cases[i];
		struct timerange_bound b = {0};
		const char *error = NULL;
		bool ok;

		use_zone(c->zone);
		ok = timerange_parse_bound(c->text, &b, &error);
		check_int(c->name, "ok", ok, true);
		check_str(c->name, "error", ok ? NULL : error, NULL);
		check_int(c->name, "utc_us", b.utc_us,
			  civil_seconds(&c->want_utc) * USEC + c->want_usec);
		check_int(c->name, "wall_us", b.wall_us,
			  civil_seconds(&c->want_wall) * USEC + c->want_usec);
	}
	use_zone("UTC");
	finish_cases();
}

/* A text that a parser must reject, with the message it must give. */
struct reject_case {
	const char *text;
	const char *want_error;
};

/* parse_bound, parse_day - a parser's verdict on text alone, the form
 * that check_rejects() takes */
static bool
parse_bound(const char *text, const char **error)
{
	struct timerange_bound b;

	return timerange_parse_bound(text, &b, error);
}

static bool
parse_day(const char *text, const char **error)
{
	struct timerange r;

	return timerange_parse_day(text, 0, &r, error);
}

/* check_rejects - every case of a table is rejected with its message */
static void
check_rejects(const struct reject_case *cases, size_t n,
	      bool (*parse)(const char *text, const char **error))
{
	for (size_t i = 0; i < n; i++) {
		const struct reject_case *c = &cases[i];
		const char *error = NULL;

		check_int(c->text, "ok", parse(c->text, &error), false);
		check_str(c->text, "error", error, c->want_error);
	}
	finish_cases();
}

static const struct reject_case reject_cases[] = {
	{"", "expected a date as YYYY-MM-DD"},
	{"2024", "expected a date as YYYY-MM-DD"},
	{"2024-1-19", "expected a date as YYYY-MM-DD"},
	{"2024/11/19", "expected a date as YYYY-MM-DD"},
	{"today", "expected a date as YYYY-MM-DD"},
	{"2024-13-01", "invalid date"},
	{"2024-00-10", "invalid date"},
	{"2024-11-00", "invalid date"},
	{"2024-11-31", "invalid date"},
	{"2023-02-29", "invalid date"},
	{"1900-02-29", "invalid date"},
	{"1969-12-31", "year out of range; use a year from 1970 to 9999"},
	{"2024-11-19_10:00", "expected \"T\" or a space between date and time"},
	{"2024-11-19 ", "expected a time of day as HH:MM or HH:MM:SS after the "
			"date"},
	{"2024-11-19 8:30", "expected a time of day as HH:MM or HH:MM:SS after "
			    "the date"},
	{"2024-11-19 08", "expected a time of day as HH:MM or HH:MM:SS after "
			  "the date"},
	{"2024-11-19 08:30:", "expected a time of day as HH:MM or HH:MM:SS "
			      "after the date"},
	{"2024-11-19T10:00:00.", "expected a time of day as HH:MM or HH:MM:SS "
				 "after the date"},
	{"2024-11-19T10:00:00.1234567890Z", "expected a time of day as HH:MM "
					    "or HH:MM:SS after the date"},
	{"2024-11-19T10:00:00,5Z", "unexpected text after the time"},
	{"2024-11-19 24:00", "invalid time of day"},
	{"2024-11-19 23:60", "invalid time of day"},
	{"2024-11-19 23:59:61", "invalid time of day"},
	{"2024-11-19T10:00:00+24:00", "invalid UTC offset; use Z, +HH:MM or "
				      "-HH:MM"},
	{"2024-11-19T10:00:00+03", "invalid UTC offset; use Z, +HH:MM or "
				   "-HH:MM"},
	{"2024-11-19T10:00:00+03:60", "invalid UTC offset; use Z, +HH:MM or "
				      "-HH:MM"},
	{"2024-11-19T10:00:00 UTC", "unexpected text after the time"},
	{"2024-11-19T10:00:00Zx", "unexpected text after the time"},
};

static void
test_reject_cases(void **state)
{
	(void)state;
	check_rejects(reject_cases, ARRAY_LEN(reject_cases), parse_bound);
}

struct day_case {
	const char *name;
	const char *zone;
	const char *text;
	struct civil now_utc;
	struct civil want_since_utc;
	struct civil want_until_utc;
	struct civil want_since_wall;
	struct civil want_until_wall;
};

static const struct day_case day_cases[] = {
	{"date", "Europe/Istanbul", "2024-11-19", {2000, 1, 1, 0, 0, 0},
	 {2024, 11, 18, 21, 0, 0}, {2024, 11, 19, 21, 0, 0},
	 {2024, 11, 19, 0, 0, 0}, {2024, 11, 20, 0, 0, 0}},
	{"today after local midnight", "Europe/Istanbul", "today",
	 {2024, 11, 19, 22, 30, 0}, {2024, 11, 19, 21, 0, 0},
	 {2024, 11, 20, 21, 0, 0}, {2024, 11, 20, 0, 0, 0},
	 {2024, 11, 21, 0, 0, 0}},
	{"yesterday after local midnight", "Europe/Istanbul", "yesterday",
	 {2024, 11, 19, 22, 30, 0}, {2024, 11, 18, 21, 0, 0},
	 {2024, 11, 19, 21, 0, 0}, {2024, 11, 19, 0, 0, 0},
	 {2024, 11, 20, 0, 0, 0}},
	{"yesterday across new year", "Europe/Istanbul", "yesterday",
	 {2026, 12, 31, 21, 30, 0}, {2026, 12, 30, 21, 0, 0},
	 {2026, 12, 31, 21, 0, 0}, {2026, 12, 31, 0, 0, 0},
	 {2027, 1, 1, 0, 0, 0}},
	{"yesterday of 1 march in leap year", "UTC", "yesterday",
	 {2024, 3, 1, 6, 0, 0}, {2024, 2, 29, 0, 0, 0}, {2024, 3, 1, 0, 0, 0},
	 {2024, 2, 29, 0, 0, 0}, {2024, 3, 1, 0, 0, 0}},
	{"today west of utc", "America/New_York", "today",
	 {2024, 11, 20, 3, 0, 0}, {2024, 11, 19, 5, 0, 0},
	 {2024, 11, 20, 5, 0, 0}, {2024, 11, 19, 0, 0, 0},
	 {2024, 11, 20, 0, 0, 0}},
	{"day of 23 hours", "Europe/Berlin", "2024-03-31", {2000, 1, 1, 0, 0, 0},
	 {2024, 3, 30, 23, 0, 0}, {2024, 3, 31, 22, 0, 0},
	 {2024, 3, 31, 0, 0, 0}, {2024, 4, 1, 0, 0, 0}},
	{"day of 25 hours", "Europe/Berlin", "2024-10-27", {2000, 1, 1, 0, 0, 0},
	 {2024, 10, 26, 22, 0, 0}, {2024, 10, 27, 23, 0, 0},
	 {2024, 10, 27, 0, 0, 0}, {2024, 10, 28, 0, 0, 0}},
	{"day starting at one o'clock", "America/Sao_Paulo", "2018-11-04",
	 {2000, 1, 1, 0, 0, 0}, {2018, 11, 4, 3, 0, 0},
	 {2018, 11, 5, 2, 0, 0}, {2018, 11, 4, 1, 0, 0},
	 {2018, 11, 5, 0, 0, 0}},
	{"day starting with a skipped midnight", "Asia/Beirut", "2024-03-31",
	 {2000, 1, 1, 0, 0, 0}, {2024, 3, 30, 22, 0, 0},
	 {2024, 3, 31, 21, 0, 0}, {2024, 3, 31, 0, 0, 0},
	 {2024, 4, 1, 0, 0, 0}},
};

static void
test_day_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(day_cases); i++) {
		const struct day_case *c = &day_cases[i];
		struct timerange r = {0};
		const char *error = NULL;
		bool ok;

		use_zone(c->zone);
		ok = timerange_parse_day(c->text,
					 (time_t)civil_seconds(&c->now_utc),
					 &r, &error);
		check_int(c->name, "ok", ok, true);
		check_int(c->name, "has_since", r.has_since, true);
		check_int(c->name, "has_until", r.has_until, true);
		check_int(c->name, "since utc", r.since.utc_us,
			  civil_seconds(&c->want_since_utc) * USEC);
		check_int(c->name, "until utc", r.until.utc_us,
			  civil_seconds(&c->want_until_utc) * USEC);
		check_int(c->name, "since wall", r.since.wall_us,
			  civil_seconds(&c->want_since_wall) * USEC);
		check_int(c->name, "until wall", r.until.wall_us,
			  civil_seconds(&c->want_until_wall) * USEC);
	}
	use_zone("UTC");
	finish_cases();
}

static const struct reject_case day_reject_cases[] = {
	{"tomorrow", "expected today, yesterday or a date as YYYY-MM-DD"},
	{"Today", "expected today, yesterday or a date as YYYY-MM-DD"},
	{"", "expected today, yesterday or a date as YYYY-MM-DD"},
	{"2024-11", "expected today, yesterday or a date as YYYY-MM-DD"},
	{"2024-11-19 10:00", "expected today, yesterday or a date as "
			     "YYYY-MM-DD"},
	{"2024-02-30", "invalid date"},
	{"1969-12-31", "year out of range; use a year from 1970 to 9999"},
};

static void
test_day_reject_cases(void **state)
{
	(void)state;
	check_rejects(day_reject_cases, ARRAY_LEN(day_reject_cases),
		      parse_day);
}

/* A log time: a civil wall clock, microseconds, and an offset or none. */
struct place_case {
	const char *name;
	struct civil wall;
	int32_t usec;
	bool has_offset;
	int offset_min;
	enum timerange_place want;
};

/* The range of 19 November 2024 in Istanbul: from 2024-11-18T21:00Z to
 * 2024-11-19T21:00Z. */
static const struct place_case place_cases[] = {
	{"local start is inside", {2024, 11, 19, 0, 0, 0}, 0, false, 0,
	 TIMERANGE_INSIDE},
	{"local just before start", {2024, 11, 18, 23, 59, 59}, 999999, false,
	 0, TIMERANGE_BEFORE},
	{"local last microsecond", {2024, 11, 19, 23, 59, 59}, 999999, false,
	 0, TIMERANGE_INSIDE},
	{"local end is after", {2024, 11, 20, 0, 0, 0}, 0, false, 0,
	 TIMERANGE_AFTER},
	{"utc start is inside", {2024, 11, 18, 21, 0, 0}, 0, true, 0,
	 TIMERANGE_INSIDE},
	{"utc before start", {2024, 11, 18, 20, 59, 59}, 0, true, 0,
	 TIMERANGE_BEFORE},
	{"utc end is after", {2024, 11, 19, 21, 0, 0}, 0, true, 0,
	 TIMERANGE_AFTER},
	{"same offset as zone", {2024, 11, 19, 23, 30, 0}, 0, true, 180,
	 TIMERANGE_INSIDE},
	{"west offset after end", {2024, 11, 19, 16, 0, 0}, 0, true, -300,
	 TIMERANGE_AFTER},
	{"west offset inside", {2024, 11, 19, 15, 59, 59}, 0, true, -300,
	 TIMERANGE_INSIDE},
	{"east offset before start", {2024, 11, 19, 2, 59, 59}, 0, true, 360,
	 TIMERANGE_BEFORE},
};

static void
test_place_cases(void **state)
{
	struct timerange day = {0}, open_end;
	const char *error = NULL;

	(void)state;
	use_zone("Europe/Istanbul");
	assert_true(timerange_parse_day("2024-11-19", 0, &day, &error));
	open_end = day;
	open_end.has_until = false;
	for (size_t i = 0; i < ARRAY_LEN(place_cases); i++) {
		const struct place_case *c = &place_cases[i];
		struct logtime t = {0};

		t.wall = civil_seconds(&c->wall);
		t.usec = c->usec;
		t.has_offset = c->has_offset;
		t.offset_min = (int16_t)c->offset_min;
		check_int(c->name, "place", timerange_place(&day, &t), c->want);
		check_int(c->name, "place without end",
			  timerange_place(&open_end, &t),
			  c->want == TIMERANGE_AFTER ? TIMERANGE_INSIDE
						     : c->want);
	}
	use_zone("UTC");
	finish_cases();
}

/* A bound at a local time that the clocks skip, in the zone of a daylight
 * saving change, and the span of wall time around it to walk through. */
struct skip_case {
	const char *zone;
	const char *text;
	struct civil from;
	struct civil to;
};

static const struct skip_case skip_cases[] = {
	{"Europe/Berlin", "2024-03-31 02:30", {2024, 3, 31, 1, 0, 0},
	 {2024, 3, 31, 4, 0, 0}},
	{"Australia/Lord_Howe", "2024-10-06 02:15", {2024, 10, 6, 1, 0, 0},
	 {2024, 10, 6, 3, 30, 0}},
	{"America/New_York", "2024-03-10 02:30", {2024, 3, 10, 1, 0, 0},
	 {2024, 3, 10, 4, 0, 0}},
	{"Asia/Beirut", "2024-03-31 00:30", {2024, 3, 30, 23, 0, 0},
	 {2024, 3, 31, 2, 0, 0}},
};

/*
 * A log time without an offset, minute by minute across the change, falls
 * on the same side of a skipped bound as the instant that logzone reads
 * it as, for --since and --until.  This covers log times in the skipped
 * span too, which only a log written in another zone has.
 */
static void
test_skipped_place(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(skip_cases); i++) {
		const struct skip_case *c = &skip_cases[i];
		struct timerange since = {0}, until = {0};
		const char *error = NULL;

		use_zone(c->zone);
		assert_true(timerange_parse_bound(c->text, &since.since, &error));
		since.has_since = true;
		until.until = since.since;
		until.has_until = true;
		for (int64_t wall = civil_seconds(&c->from);
		     wall < civil_seconds(&c->to); wall += 60) {
			struct logtime t = {0};
			char name[96], clock[TIMERANGE_TEXT_MAX];
			bool later;

			t.wall = wall;
			later = logzone_utc(&t) * USEC >= since.since.utc_us;
			snprintf(name, sizeof name, "%s %s at %s", c->zone,
				 c->text, logtime_format(&t, clock, sizeof clock));
			check_int(name, "since", timerange_place(&since, &t),
				  later ? TIMERANGE_INSIDE : TIMERANGE_BEFORE);
			check_int(name, "until", timerange_place(&until, &t),
				  later ? TIMERANGE_AFTER : TIMERANGE_INSIDE);
		}
	}
	use_zone("UTC");
	finish_cases();
}

struct format_case {
	const char *zone;
	const char *text;
	const char *want;
};

static const struct format_case format_cases[] = {
	{"Europe/Istanbul", "2024-11-19", "2024-11-19T00:00:00+03:00"},
	{"Europe/Istanbul", "2024-11-19T00:00:00Z",
	 "2024-11-19T03:00:00+03:00"},
	{"UTC", "2024-11-19T08:30:15.25+01:00", "2024-11-19T07:30:15.250000Z"},
	{"America/New_York", "2024-11-19", "2024-11-19T00:00:00-05:00"},
	{"Asia/Kolkata", "2024-11-19 10:00", "2024-11-19T10:00:00+05:30"},
	{"Europe/Istanbul", "1970-01-01", "1970-01-01T00:00:00+02:00"},
	/* Monrovia kept -00:44:30 until 1972: not whole minutes. */
	{"Africa/Monrovia", "1971-06-01", "1971-06-01T00:44:30Z"},
	/* A skipped local time is written as the moment of the jump. */
	{"Europe/Berlin", "2024-03-31 02:30", "2024-03-31T03:00:00+02:00"},
	{"Europe/Berlin", "2024-03-31T01:00:00Z", "2024-03-31T03:00:00+02:00"},
	{"Australia/Lord_Howe", "2024-10-06 02:15",
	 "2024-10-06T02:30:00+11:00"},
	{"America/New_York", "2024-03-10 02:30", "2024-03-10T03:00:00-04:00"},
	{"Europe/Berlin", "2024-10-27 02:30", "2024-10-27T02:30:00+01:00"},
};

static void
test_format_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		struct timerange_bound b;
		char buf[TIMERANGE_TEXT_MAX];
		const char *error = NULL;

		use_zone(c->zone);
		check_int(c->text, "ok", timerange_parse_bound(c->text, &b, &error),
			  true);
		check_str(c->text, "text",
			  timerange_format(&b, buf, sizeof buf), c->want);
	}
	use_zone("UTC");
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_cases),
		cmocka_unit_test(test_reject_cases),
		cmocka_unit_test(test_day_cases),
		cmocka_unit_test(test_day_reject_cases),
		cmocka_unit_test(test_place_cases),
		cmocka_unit_test(test_skipped_place),
		cmocka_unit_test(test_format_cases),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("timerange", tests, ARRAY_LEN(tests));
}
