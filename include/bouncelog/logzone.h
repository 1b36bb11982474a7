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

/* UTC seconds of t, using logzone_offset_min(). */
int64_t logzone_utc(const struct logtime *t);

#endif
