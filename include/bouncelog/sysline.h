/* SPDX-License-Identifier: MIT */
/*
 * sysline.h - the syslog header of a log line
 *
 * Splits "TIMESTAMP HOST PROGRAM[PID]: MESSAGE" into its parts.  Accepted
 * timestamp forms:
 *	Dec  4 06:25:01			 BSD, space-padded day
 *	Dec 04 06:25:01			 BSD, zero-padded day (Postfix maillog_file)
 *	2026-12-04T06:25:01		 RFC 3339 without offset (local time)
 *	2026-12-04T06:25:01.123456Z	 RFC 3339, fraction of 1 to 9 digits
 *	2026-12-04T06:25:01+03:00	 rsyslog's default on Debian 12
 *	2026-12-04T06:25:01+0300	 journalctl -o short-iso
 * each optionally preceded by a "<PRI>" priority; RFC 5424 lines
 * ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG") are read too.  A
 * FreeBSD "<facility.level>" before the host and a Solaris
 * "[ID n facility.level]" before the message are skipped.  Month names are
 * English only and matched without regard to ASCII case.
 *
 * BSD timestamps carry no year; the caller supplies a reference date (see
 * struct sysline_year) and the year is inferred from it.
 */
#ifndef BOUNCELOG_SYSLINE_H
#define BOUNCELOG_SYSLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bouncelog/span.h"

struct logtime {
	int64_t wall;		/* seconds since 1970 of the wall clock, read
				 * as if it were UTC */
	int32_t usec;		/* microseconds, 0 to 999999 */
	int16_t offset_min;	/* UTC offset in minutes, if has_offset */
	bool has_offset;	/* false for BSD and offset-less stamps */
	bool year_inferred;	/* the year came from struct sysline_year */
};

/*
 * Reference for year inference: the moment the file was last written, in
 * local time, or the current time for standard input.  A BSD timestamp is
 * dated in the reference year unless that would put it more than
 * SYSLINE_YEAR_SLACK seconds after the reference, in which case it
 * belongs to the year before: a file last written on 3 January 2027 that
 * starts on 31 December holds 31 December 2026.  No line can be written
 * after its file's modification time, so this rule is exact for files
 * that span less than a year, unless the file was copied without keeping
 * its modification time (then use --year).
 */
struct sysline_year {
	int year;
	int month;		/* 1 to 12 */
	int64_t limit;		/* wall seconds of the reference; 0 means the
				 * end of month in year */
};

/* Tolerance for clocks and buffering between a line and its file's
 * modification time, in seconds. */
#define SYSLINE_YEAR_SLACK 3600

struct sysline {
	struct logtime time;
	struct span host;
	struct span program;	/* "postfix/submission/smtpd" */
	struct span daemon;	/* last "/" component: "smtpd" */
	struct span pid;	/* digits inside [], or absent */
	struct span message;	/* text after "PROGRAM[PID]: " */
};

/* Set *ref from a time value (local time). */
void sysline_year_from_time(struct sysline_year *ref, time_t t);

/* Set *ref to the last second of year (for --year). */
void sysline_year_end(struct sysline_year *ref, int year);

/*
 * Parse the header of line (len bytes, not NUL-terminated as far as this
 * function is concerned).  Returns true and fills *out on success; false
 * when the header is not recognised (out is then unspecified).
 */
bool sysline_parse(const char *line, size_t len, const struct sysline_year *ref,
		   struct sysline *out);

/*
 * Parse an RFC 3339 time at the start of s, such as
 * "2024-05-06T08:12:01.123Z" (fraction and offset optional, as in the
 * syslog forms above), into *t.  Returns the number of bytes read, or 0
 * when s does not start with such a time.
 */
size_t sysline_parse_rfc3339(const char *s, size_t len, struct logtime *t);

/* Bytes of a date "YYYY-MM-DD". */
#define SYSLINE_DATE_LEN 10

/*
 * Read the date "YYYY-MM-DD" at the start of s (len bytes) and set *days
 * to its days since 1970-01-01.  Returns false when s does not start
 * with a valid date.  The last valid date is kept per thread, so a line
 * with the same date as the line before costs one comparison.
 */
bool sysline_date_days(const char *s, size_t len, int64_t *days);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1 to 12). */
int64_t sysline_days_from_civil(int64_t year, int month, int day);

/* Convert t to UTC seconds: wall minus offset; wall when no offset. */
static inline int64_t
logtime_utc(const struct logtime *t)
{
	return t->wall - (t->has_offset ? (int64_t)t->offset_min * 60 : 0);
}

/*
 * Format t as RFC 3339 ("2026-12-04T06:25:01+03:00"; no offset suffix
 * when the log gave none) into buf of size len.  Returns buf.
 */
char *logtime_format(const struct logtime *t, char *buf, size_t len);

#endif
