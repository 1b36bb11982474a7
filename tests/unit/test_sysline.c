/* SPDX-License-Identifier: MIT */
/*
 * test_sysline.c - unit tests of the syslog header parser
 *
 * Each case is a whole log line with a reference date for the year of BSD
 * timestamps.  The wanted time is a civil date, and the wall clock is
 * checked against sysline_days_from_civil(), which a separate test checks
 * day by day from 1600 to 2400.  Lines are copied into buffers of exactly
 * their length, so a read past the end shows up under AddressSanitizer.
 * meson runs this program once more under tr_TR.UTF-8.
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

#include <cmocka.h>

#include "bouncelog/sysline.h"
#include "check.h"

/* parse_text - sysline_parse() on a copy of the C string line */
static bool
parse_text(const char *line, int ref_year, int ref_month, struct sysline *out,
	   char **copy)
{
	struct sysline_year ref = {ref_year, ref_month, 0};
	size_t len = strlen(line);

	*copy = copy_exact(line, len);
	return sysline_parse(*copy, len, &ref, out);
}

/* A time of day on a civil date, as the case tables write it. */
struct civil {
	int year, month, day, hour, min, sec;
};

static int64_t
civil_wall(const struct civil *c)
{
	return sysline_days_from_civil(c->year, c->month, c->day) * 86400 +
	       c->hour * 3600 + c->min * 60 + c->sec;
}

/* The message of most cases. */
#define MSG "4F1A2B3C4D: to=<a@example.com>, relay=none, delay=1.5, status=sent"

struct header_case {
	const char *name;
	const char *line;
	int ref_year, ref_month;
	struct civil want_time;
	int want_usec;
	bool want_has_offset;
	int want_offset_min;
	bool want_year_inferred;
	const char *want_host;
	const char *want_program;
	const char *want_daemon;
	const char *want_pid;		/* NULL: absent */
	const char *want_message;
};

static const struct header_case header_cases[] = {
	{"bsd space-padded day", "Dec  4 06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd zero-padded day", "Dec 04 06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd two-digit day", "Nov 30 23:59:59 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 11, 30, 23, 59, 59}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd upper-case month", "DEC  4 06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd lower-case month", "dec  4 06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd mixed-case month", "sEp  1 00:00:00 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 9, 1, 0, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd upper-case JUN", "JUN 15 12:00:00 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 6, 15, 12, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"bsd fraction 1.5 style",
	 "Dec  4 06:25:01.5 mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 500000, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 no offset",
	 "2026-12-04T06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 Z", "2026-12-04T06:25:01Z mx1 postfix/smtp[2001]: " MSG, 2026,
	 12, {2026, 12, 4, 6, 25, 1}, 0, true, 0, false, "mx1", "postfix/smtp",
	 "smtp", "2001", MSG},
	{"rfc3339 +03:00",
	 "2026-12-04T06:25:01+03:00 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, 180, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 +0300",
	 "2026-12-04T06:25:01+0300 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, 180, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 -05:00",
	 "2026-12-04T06:25:01-05:00 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, -300, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 +05:30",
	 "2026-12-04T06:25:01+05:30 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, 330, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 1 digit",
	 "2026-12-04T06:25:01.1Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 100000, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 2 digits",
	 "2026-12-04T06:25:01.12Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 120000, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 3 digits",
	 "2026-12-04T06:25:01.123Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 123000, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 4 digits",
	 "2026-12-04T06:25:01.1234Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 123400, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 5 digits",
	 "2026-12-04T06:25:01.12345Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 123450, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 6 digits",
	 "2026-12-04T06:25:01.123456+03:00 mx1 postfix/smtp[2001]: " MSG, 2026,
	 12, {2026, 12, 4, 6, 25, 1}, 123456, true, 180, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 7 digits",
	 "2026-12-04T06:25:01.1234567Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 123456, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 8 digits",
	 "2026-12-04T06:25:01.12345678Z mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 123456, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc3339 fraction 9 digits",
	 "2026-12-04T06:25:01.123456789-05:00 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 123456, true, -300, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"priority before bsd",
	 "<22>Dec  4 06:25:01 mx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"priority before rfc3339",
	 "<22>2026-12-04T06:25:01+01:00 mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, true, 60, false, "mx1", "postfix/smtp",
	 "smtp", "2001", MSG},
	{"rfc5424",
	 "<22>1 2026-12-04T06:25:01.123+01:00 mx1 postfix/smtp 2001 - - "
	 MSG, 2026, 12, {2026, 12, 4, 6, 25, 1}, 123000, true, 60, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc5424 nil procid",
	 "<22>1 2026-12-04T06:25:01Z mx1 postfix/qmgr - - - " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, true, 0, false, "mx1", "postfix/qmgr",
	 "qmgr", NULL, MSG},
	{"rfc5424 structured data",
	 "<22>1 2026-12-04T06:25:01Z mx1 postfix/smtp 2001 ID47 "
	 "[origin ip=\"192.0.2.5\" note=\"a\\]b\"][meta x=\"1\"] " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"rfc5424 byte order mark",
	 "<22>1 2026-12-04T06:25:01Z mx1 postfix/smtp 2001 - - "
	 "\xef\xbb\xbf" MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, true, 0, false, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"freebsd facility before host",
	 "Dec  4 06:25:01 <mail.info> mx1 postfix/smtp[2001]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "postfix/smtp",
	 "smtp", "2001", MSG},
	{"solaris message id",
	 "Dec  4 06:25:01 mx1 postfix/smtp[2001]: [ID 197553 mail.info] " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"service name in program",
	 "Dec  4 06:25:01 mx1 postfix/submission/smtpd[4005]: connect from x",
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/submission/smtpd", "smtpd", "4005", "connect from x"},
	{"instance name in program",
	 "Dec  4 06:25:01 mx1 postfix-out/smtp[2002]: " MSG, 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "postfix-out/smtp",
	 "smtp", "2002", MSG},
	{"program without slash",
	 "Dec  4 06:25:01 mx1 postfix[123]: starting the Postfix mail system",
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "postfix",
	 "postfix", "123", "starting the Postfix mail system"},
	{"program without pid",
	 "Dec  4 06:25:01 mx1 dovecot: imap-login: Login: user=<a@example.com>",
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "dovecot",
	 "dovecot", NULL, "imap-login: Login: user=<a@example.com>"},
	{"empty message", "Dec  4 06:25:01 mx1 postfix/smtp[2001]:", 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "postfix/smtp",
	 "smtp", "2001", ""},
	{"tab after timestamp", "Dec  4 06:25:01\tmx1 postfix/smtp[2001]: " MSG,
	 2026, 12, {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "2001", MSG},
	{"year: december read in january",
	 "Dec 31 23:59:59 mx1 postfix/smtp[1]: x",
	 2027, 1, {2026, 12, 31, 23, 59, 59}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
	{"year: same month", "Dec 04 06:25:01 mx1 postfix/smtp[1]: x", 2026, 12,
	 {2026, 12, 4, 6, 25, 1}, 0, false, 0, true, "mx1", "postfix/smtp",
	 "smtp", "1", "x"},
	{"year: january read in january",
	 "Jan  1 00:00:00 mx1 postfix/smtp[1]: x",
	 2027, 1, {2027, 1, 1, 0, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
	{"year: earlier month",
	 "Mar 15 10:00:00 mx1 postfix/smtp[1]: x", 2027, 6,
	 {2027, 3, 15, 10, 0, 0}, 0, false, 0, true, "mx1", "postfix/smtp",
	 "smtp", "1", "x"},
	{"year: feb 29 in leap year", "Feb 29 12:00:00 mx1 postfix/smtp[1]: x",
	 2028, 3, {2028, 2, 29, 12, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
	{"year: feb 29 after a leap year",
	 "Feb 29 12:00:00 mx1 postfix/smtp[1]: x",
	 2027, 3, {2024, 2, 29, 12, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
	{"year: feb 29 read in january",
	 "Feb 29 12:00:00 mx1 postfix/smtp[1]: x",
	 2028, 1, {2024, 2, 29, 12, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
	/* 2100 is not a leap year, so the latest 29 February is in 2096. */
	{"year: feb 29 across 2100", "Feb 29 12:00:00 mx1 postfix/smtp[1]: x",
	 2101, 3, {2096, 2, 29, 12, 0, 0}, 0, false, 0, true, "mx1",
	 "postfix/smtp", "smtp", "1", "x"},
};

static void
test_header_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(header_cases); i++) {
		const struct header_case *c = &header_cases[i];
		struct sysline hdr;
		char *copy;
		bool ok;

		ok = parse_text(c->line, c->ref_year, c->ref_month, &hdr,
				&copy);
		check_int(c->name, "parsed", ok, true);
		if (ok) {
			check_int(c->name, "wall", hdr.time.wall,
				  civil_wall(&c->want_time));
			check_int(c->name, "usec", hdr.time.usec, c->want_usec);
			check_int(c->name, "has_offset", hdr.time.has_offset,
				  c->want_has_offset);
			check_int(c->name, "offset_min", hdr.time.offset_min,
				  c->want_offset_min);
			check_int(c->name, "year_inferred",
				  hdr.time.year_inferred,
				  c->want_year_inferred);
			check_span(c->name, "host", hdr.host, c->want_host);
			check_span(c->name, "program", hdr.program,
				   c->want_program);
			check_span(c->name, "daemon", hdr.daemon,
				   c->want_daemon);
			check_span(c->name, "pid", hdr.pid, c->want_pid);
			check_span(c->name, "message", hdr.message,
				   c->want_message);
		}
		free(copy);
	}
	finish_cases();
}

struct reject_case {
	const char *name;
	const char *line;
};

static const struct reject_case reject_cases[] = {
	{"unknown month", "Foo  4 06:25:01 mx1 postfix/smtp[1]: x"},
	{"colon after month", "Jan: 1 06:25:01 mx1 postfix/smtp[1]: x"},
	{"month only", "Jan"},
	{"empty line", ""},
	{"priority only", "<22>"},
	{"day 32", "Dec 32 06:25:01 mx1 postfix/smtp[1]: x"},
	{"day 0", "Dec 00 06:25:01 mx1 postfix/smtp[1]: x"},
	{"missing seconds", "Dec  4 06:25 mx1 postfix/smtp[1]: x"},
	{"minute 61", "Dec  4 06:61:01 mx1 postfix/smtp[1]: x"},
	{"hour 25 bsd", "Dec  4 25:00:00 mx1 postfix/smtp[1]: x"},
	{"missing closing bracket", "Dec  4 06:25:01 mx1 postfix/smtp[2001: x"},
	{"no colon after tag", "Dec  4 06:25:01 mx1 postfix/smtp[2001] x"},
	{"no colon after program", "Dec  4 06:25:01 mx1 postfix/smtp x"},
	{"host only", "Dec  4 06:25:01 mx1"},
	{"no host", "Dec  4 06:25:01 "},
	{"month 13", "2026-13-01T00:00:00 mx1 postfix/smtp[1]: x"},
	{"month 0", "2026-00-01T00:00:00 mx1 postfix/smtp[1]: x"},
	{"hour 25", "2026-12-04T25:00:00 mx1 postfix/smtp[1]: x"},
	{"30 february", "2026-02-30T00:00:00 mx1 postfix/smtp[1]: x"},
	{"29 february, common year",
	 "2026-02-29T00:00:00 mx1 postfix/smtp[1]: x"},
	{"offset hour 24", "2026-12-04T06:25:01+24:00 mx1 postfix/smtp[1]: x"},
	{"offset cut short", "2026-12-04T06:25:01+03:0 mx1 postfix/smtp[1]: x"},
	{"space instead of T", "2026-12-04 06:25:01 mx1 postfix/smtp[1]: x"},
	{"two-digit year", "26-12-04T06:25:01 mx1 postfix/smtp[1]: x"},
	{"rfc3339 without host", "2026-12-04T06:25:01Z"},
};

static void
test_reject_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(reject_cases); i++) {
		const struct reject_case *c = &reject_cases[i];
		struct sysline hdr;
		char *copy;

		check_int(c->name, "parsed",
			  parse_text(c->line, 2026, 12, &hdr, &copy), false);
		free(copy);
	}
	finish_cases();
}

/*
 * sysline_days_from_civil() against a day counter walked one day at a
 * time from 1970-01-01, forward to 2400 and backward to 1600.
 */
static bool
is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
month_days(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* check_day - compare one date's day number (10 mismatches at most) */
static void
check_day(int year, int month, int day, int64_t want)
{
	int64_t got = sysline_days_from_civil(year, month, day);

	if (got != want && mismatch_count() < 10)
		note_mismatch("%04d-%02d-%02d: days: got %lld, want %lld", year,
			      month, day, (long long)got, (long long)want);
}

static void
test_days_from_civil_walk(void **state)
{
	int year = 1970, month = 1, day = 1;
	int64_t count = 0;

	(void)state;
	while (year <= 2400) {
		check_day(year, month, day, count);
		count++;
		if (++day > month_days(year, month)) {
			day = 1;
			if (++month > 12) {
				month = 1;
				year++;
			}
		}
	}

	year = 1969, month = 12, day = 31, count = -1;
	while (year >= 1600) {
		check_day(year, month, day, count);
		count--;
		if (--day == 0) {
			if (--month == 0) {
				month = 12;
				year--;
			}
			day = month_days(year, month);
		}
	}
	finish_cases();
}

struct days_case {
	const char *name;
	int year, month, day;
	int64_t want;
};

static const struct days_case days_cases[] = {
	{"epoch", 1970, 1, 1, 0},
	{"day before epoch", 1969, 12, 31, -1},
	{"leap day 2000", 2000, 2, 29, 11016},
	{"december 2026", 2026, 12, 4, 20791},
	{"year 2100 march", 2100, 3, 1, 47541},
	{"year 1600", 1600, 1, 1, -135140},
};

static void
test_days_from_civil_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(days_cases); i++) {
		const struct days_case *c = &days_cases[i];

		check_int(c->name, "days",
			  sysline_days_from_civil(c->year, c->month, c->day),
			  c->want);
	}
	finish_cases();
}

struct format_case {
	const char *name;
	const char *line;
	const char *want;
	long long want_utc_minus_wall;	/* seconds */
};

static const struct format_case format_cases[] = {
	{"offset +03:00", "2026-12-04T06:25:01+03:00 mx1 p: x",
	 "2026-12-04T06:25:01+03:00", -10800},
	{"offset Z",
	 "2026-12-04T06:25:01Z mx1 p: x", "2026-12-04T06:25:01Z", 0},
	{"no offset", "2026-12-04T06:25:01 mx1 p: x", "2026-12-04T06:25:01", 0},
	{"offset -05:00", "2026-12-04T06:25:01-05:00 mx1 p: x",
	 "2026-12-04T06:25:01-05:00", 18000},
	{"offset +05:30", "2026-12-04T06:25:01+05:30 mx1 p: x",
	 "2026-12-04T06:25:01+05:30", -19800},
	{"compact offset written with colon",
	 "2026-12-04T06:25:01+0300 mx1 p: x",
	 "2026-12-04T06:25:01+03:00", -10800},
	{"fraction dropped", "2026-12-04T06:25:01.5Z mx1 p: x",
	 "2026-12-04T06:25:01Z", 0},
	{"bsd stamp", "Dec  4 06:25:01 mx1 p: x", "2026-12-04T06:25:01", 0},
	{"leap day",
	 "2024-02-29T23:59:59Z mx1 p: x", "2024-02-29T23:59:59Z", 0},
	{"before 1970", "1969-12-31T23:59:59Z mx1 p: x", "1969-12-31T23:59:59Z",
	 0},
	{"year 2100",
	 "2100-03-01T00:00:00Z mx1 p: x", "2100-03-01T00:00:00Z", 0},
};

struct date_case {
	const char *name;
	const char *text;
	bool want_ok;
	int year, month, day;	/* when want_ok */
};

/* In this order, so that each date follows the one before: a repeated
 * date comes from the per-thread memory, and an invalid date after a
 * valid one must not take its value. */
static const struct date_case date_cases[] = {
	{"first date", "2024-11-19T10:06:45", true, 2024, 11, 19},
	{"same date again", "2024-11-19 10:06:46", true, 2024, 11, 19},
	{"next day", "2024-11-20", true, 2024, 11, 20},
	{"leap day", "2024-02-29", true, 2024, 2, 29},
	{"no leap day", "2023-02-29", false, 0, 0, 0},
	{"month 13", "2024-13-01", false, 0, 0, 0},
	{"day 0", "2024-11-00", false, 0, 0, 0},
	{"letter in year", "2O24-11-20", false, 0, 0, 0},
	{"slash", "2024/11/20", false, 0, 0, 0},
	{"too short", "2024-11-2", false, 0, 0, 0},
	{"back to the leap day", "2024-02-29", true, 2024, 2, 29},
	{"prefix of the last date", "2024-02-2", false, 0, 0, 0},
};

static void
test_date_days_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(date_cases); i++) {
		const struct date_case *c = &date_cases[i];
		size_t len = strlen(c->text);
		char *copy = malloc(len);
		int64_t days = -1;
		bool ok;

		assert_non_null(copy);
		memcpy(copy, c->text, len);
		ok = sysline_date_days(copy, len, &days);
		check_int(c->name, "valid", ok, c->want_ok);
		if (ok && c->want_ok)
			check_int(c->name, "days", days,
				  sysline_days_from_civil(c->year, c->month,
							  c->day));
		free(copy);
	}
	finish_cases();
}

static void
test_format_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		struct sysline hdr;
		char buf[64];
		char *copy;

		if (!parse_text(c->line, 2026, 12, &hdr, &copy)) {
			note_mismatch("%s: got a parse failure, want a header",
				      c->name);
			free(copy);
			continue;
		}
		check_str(c->name, "formatted",
			  logtime_format(&hdr.time, buf, sizeof buf), c->want);
		check_int(c->name, "utc minus wall",
			  logtime_utc(&hdr.time) - hdr.time.wall,
			  c->want_utc_minus_wall);
		free(copy);
	}
	finish_cases();
}

/* A short buffer gets a cut, terminated string. */
static void
test_format_short_buffer(void **state)
{
	struct logtime t = {0};
	char buf[12];

	(void)state;
	t.wall = sysline_days_from_civil(2026, 12, 4) * 86400;
	memset(buf, 'x', sizeof buf);
	assert_ptr_equal(logtime_format(&t, buf, 11), buf);
	assert_string_equal(buf, "2026-12-04");
	assert_int_equal(buf[11], 'x');
}

struct year_ref_case {
	const char *name;
	struct civil time;	/* in UTC, which the test sets as TZ */
	int want_year, want_month;
};

static const struct year_ref_case year_ref_cases[] = {
	{"new year", {2027, 1, 1, 0, 0, 0}, 2027, 1},
	{"new year's eve", {2026, 12, 31, 23, 59, 59}, 2026, 12},
	{"leap day", {2028, 2, 29, 12, 0, 0}, 2028, 2},
};

/* Inference against a reference moment inside the month, not its end. */
struct year_limit_case {
	const char *name;
	const char *line;
	struct civil reference;	/* when the file was last written */
	int want_year;
};

static const struct year_limit_case year_limit_cases[] = {
	{"limit: earlier day same month", "Dec  3 12:00:00 h postfix/smtp[1]: x",
	 {2026, 12, 4, 12, 0, 0}, 2026},
	{"limit: later day same month", "Dec 31 23:59:59 h postfix/smtp[1]: x",
	 {2026, 12, 4, 12, 0, 0}, 2025},
	{"limit: within the slack", "Dec  4 12:59:00 h postfix/smtp[1]: x",
	 {2026, 12, 4, 12, 0, 0}, 2026},
	{"limit: beyond the slack", "Dec  4 13:00:01 h postfix/smtp[1]: x",
	 {2026, 12, 4, 12, 0, 0}, 2025},
	{"limit: new year's day", "Jan  1 00:00:01 h postfix/smtp[1]: x",
	 {2027, 1, 3, 8, 0, 0}, 2027},
	{"limit: new year's eve", "Dec 31 23:59:59 h postfix/smtp[1]: x",
	 {2027, 1, 3, 8, 0, 0}, 2026},
};

static void
test_year_limit_cases(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < ARRAY_LEN(year_limit_cases); i++) {
		const struct year_limit_case *c = &year_limit_cases[i];
		struct sysline_year ref;
		struct sysline hdr;
		char buf[64];

		sysline_year_from_time(&ref, (time_t)civil_wall(&c->reference));
		if (!sysline_parse(c->line, strlen(c->line), &ref, &hdr)) {
			note_mismatch("%s: got a rejected header, want year %d",
				      c->name, c->want_year);
			continue;
		}
		logtime_format(&hdr.time, buf, sizeof buf);
		check_int(c->name, "year", atoi(buf), c->want_year);
	}
	finish_cases();
}

static void
test_year_from_time(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < ARRAY_LEN(year_ref_cases); i++) {
		const struct year_ref_case *c = &year_ref_cases[i];
		struct sysline_year ref;

		sysline_year_from_time(&ref, (time_t)civil_wall(&c->time));
		check_int(c->name, "year", ref.year, c->want_year);
		check_int(c->name, "month", ref.month, c->want_month);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_cases),
		cmocka_unit_test(test_reject_cases),
		cmocka_unit_test(test_days_from_civil_walk),
		cmocka_unit_test(test_days_from_civil_cases),
		cmocka_unit_test(test_date_days_cases),
		cmocka_unit_test(test_format_cases),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_year_from_time),
		cmocka_unit_test(test_year_limit_cases),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("sysline", tests, ARRAY_LEN(tests));
}
