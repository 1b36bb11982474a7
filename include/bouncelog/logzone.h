/* SPDX-License-Identifier: MIT */
/*
 * logzone.h - the UTC offset of a log timestamp
 *
 * Many logs (BSD syslog, Exim, Sendmail) write local time without an
 * offset.  A program that needs an instant, such as an event stream or a
 * Prometheus timestamp, must assume a time zone for them.  logzone takes
 * the local time zone of the process (TZ, else /etc/localtime), because
 * the log was most likely written on a machine in the same zone.
 * A wall time that the zone skips or repeats (a daylight saving change)
 * gets the offset in force one offset-length earlier, which is one of
 * the two possible readings.
 */
#ifndef BOUNCELOG_LOGZONE_H
#define BOUNCELOG_LOGZONE_H

#include <stdint.h>

#include "bouncelog/sysline.h"

/* The UTC offset of t in minutes: its own when it has one, else the
 * local time zone's at that wall time. */
int logzone_offset_min(const struct logtime *t);

/* t with an offset: a copy of t, given logzone_offset_min() if it had
 * none. */
struct logtime logzone_with_offset(const struct logtime *t);

/* The span of wall time around the one asked for last, per thread, and
 * its offset: a log's lines come minute after minute, and the C
 * library's conversion reads the zone and takes a lock on every call.
 * The span is empty while low == high. */
struct logzone_span {
	int64_t low, high;	/* [low, high) in wall seconds */
	int offset_min;
};
extern _Thread_local struct logzone_span logzone_kept;

/* The offset of wall, kept in logzone_kept with the span around it. */
int logzone_keep(int64_t wall);

/* The local zone's offset in minutes at the wall time wall (seconds). */
static inline int
logzone_local_offset_min(int64_t wall)
{
	if (wall >= logzone_kept.low && wall < logzone_kept.high)
		return logzone_kept.offset_min;
	return logzone_keep(wall);
}

/* UTC seconds of t, using logzone_offset_min().  Inline, since it runs
 * for every line of a log. */
static inline int64_t
logzone_utc(const struct logtime *t)
{
	if (t->has_offset)
		return t->wall - (int64_t)t->offset_min * 60;
	return t->wall - (int64_t)logzone_local_offset_min(t->wall) * 60;
}

/*
 * Forget the offset that logzone_offset_min() keeps, per thread, for the
 * span of wall time (an hour or a minute) asked for last.  A program that changes TZ while it
 * runs, as the unit test does, calls it after tzset(); bouncelog reads TZ
 * once.
 */
void logzone_forget(void);

#endif
