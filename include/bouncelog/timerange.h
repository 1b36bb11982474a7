/* SPDX-License-Identifier: MIT */
/*
 * timerange.h - the range of log times that a report covers
 *
 * A range selects the log lines whose time t satisfies since <= t < until:
 * the start is included, the end is not, and either end may be open.  A
 * bound is an instant.  A log time with a UTC offset (RFC 3339 with "Z" or
 * "+03:00") is compared as the instant it names.  A log time without one
 * (BSD syslog, RFC 3339 without offset, Exim's main log) is local time in
 * the zone of TZ, as the syslog daemon wrote it: it is compared with the
 * bounds read on that zone's wall clock.  So no conversion is needed per
 * line, and in the hour that the end of daylight saving time repeats, a
 * line is in the range when its wall-clock reading is.
 *
 * Bounds are written as
 *	YYYY-MM-DD			 local midnight at the start of the day
 *	YYYY-MM-DD HH:MM[:SS]		 local time ("T" may replace the space)
 *	YYYY-MM-DDTHH:MM:SS[.frac]Z	 RFC 3339; "+03:00", "-0500" also
 * A fraction is kept to microseconds, and second 60 (a leap second) reads
 * as second 59.  Years run from 1970 to 9999.  A local time that a
 * daylight-saving change skips is the moment the clocks jump, which is
 * the first instant whose local time is at or after it, and its fraction
 * is dropped.  For a local time that the change repeats, mktime(3) picks
 * one of the two instants.
 */
#ifndef BOUNCELOG_TIMERANGE_H
#define BOUNCELOG_TIMERANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bouncelog/sysline.h"

/* Size of a buffer for timerange_format(), terminator included:
 * "9999-12-31T23:59:59.999999+14:00". */
#define TIMERANGE_TEXT_MAX 40

/* One end of a range. */
struct timerange_bound {
	int64_t utc_us;		/* microseconds since 1970-01-01 UTC */
	int64_t wall_us;	/* the same instant on the local wall clock,
				 * in microseconds read as if it were UTC.
				 * At the moment the clocks jump forward,
				 * the first skipped reading when logzone
				 * reads skipped log times as after it. */
};

struct timerange {
	bool has_since;
	bool has_until;
	struct timerange_bound since;	/* included */
	struct timerange_bound until;	/* excluded */
};

/* The position of a log time relative to a range. */
enum timerange_place {
	TIMERANGE_INSIDE,
	TIMERANGE_BEFORE,
	TIMERANGE_AFTER,
};

/*
 * Parse a bound in one of the forms above into *out.  Returns true, or
 * false with *error set to a static English message that names what is
 * wrong, such as "invalid date".  The message is marked with N_(), so
 * translate it with _() where it is printed.
 */
bool timerange_parse_bound(const char *text, struct timerange_bound *out,
			   const char **error);

/*
 * Set *range to one local day, from its midnight to the next: "today" and
 * "yesterday" are counted from now, else text is "YYYY-MM-DD".  A day is
 * 23 or 25 hours long when daylight saving time starts or ends in it.
 * Returns true, or false with *error set as for timerange_parse_bound().
 */
bool timerange_parse_day(const char *text, time_t now,
			 struct timerange *range, const char **error);

/* True when at least one end of range is set. */
static inline bool
timerange_active(const struct timerange *range)
{
	return range->has_since || range->has_until;
}

/* Return the position of the log time t; TIMERANGE_INSIDE when range
 * has no bound. */
enum timerange_place timerange_place(const struct timerange *range,
				     const struct logtime *t);

/*
 * Format bound into buf of size len as local RFC 3339 time with the zone's
 * offset at that instant, such as "2024-11-19T00:00:00+03:00".  A fraction
 * is written only when it is not zero.  An offset that is not a whole
 * number of minutes cannot be written, so such a bound is written in UTC
 * with "Z".  Returns buf.
 */
char *timerange_format(const struct timerange_bound *bound, char *buf,
		       size_t len);

#endif
