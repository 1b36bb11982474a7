/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sysline.c - fuzz target: the syslog header parser
 *
 * The input is one log line.  sysline_parse() reads it twice, with two
 * fixed reference dates for year inference: the end of 2026, and
 * 1 March 2026 00:30 as the modification time of a file.  On success:
 *	- host, program, daemon, pid and message lie inside the line, the
 *	  program is not empty, the daemon is the program's last "/"
 *	  component and the message runs to the end of the line;
 *	- microseconds and the UTC offset are in range, and a year is
 *	  inferred only for a stamp without offset;
 *	- an inferred year is the reference year, or the year before when
 *	  the date would lie more than SYSLINE_YEAR_SLACK seconds after the
 *	  reference (29 February goes back to a leap year);
 *	- logtime_format() writes a valid RFC 3339 date and time (without
 *	  offset when the log gave none), and a line made with that stamp
 *	  parses back to the same wall time and offset;
 *	- both references give the same result, except for inferred years;
 *	- sysline_parse_general(), the scanner without the fast path, gives
 *	  the same result and the same fields.
 */
#include <stdio.h>
#include <string.h>

#include "bouncelog/sysline.h"
#include "harness.h"
#include "sysline_impl.h"

/* Room for any logtime_format() result: a 4-digit year and an offset
 * need 26 bytes. */
#define STAMP_SIZE 64

/* The year of the fixed references. */
#define REFERENCE_YEAR 2026

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_spans - every part of the header lies where it should */
static void
check_spans(const struct sysline *h, const char *line, size_t len)
{
	struct span p = h->program, d = h->daemon;

	fuzz_check_span("host", h->host, line, len);
	fuzz_check_span("program", p, line, len);
	fuzz_check_span("daemon", d, line, len);
	fuzz_check_span("pid", h->pid, line, len);
	fuzz_check_span("message", h->message, line, len);

	FUZZ_CHECK(h->host.ptr != NULL, "host is absent");
	FUZZ_CHECK(p.ptr != NULL && p.len > 0, "program is empty");
	FUZZ_CHECK(d.ptr != NULL && d.ptr >= p.ptr &&
			   d.ptr + d.len == p.ptr + p.len,
		   "daemon is not the end of the program");
	FUZZ_CHECK(memchr(d.ptr, '/', d.len) == NULL,
		   "daemon \"%.*s\" contains '/'", (int)d.len, d.ptr);
	FUZZ_CHECK(d.ptr == p.ptr || d.ptr[-1] == '/',
		   "daemon does not start after a '/'");
	FUZZ_CHECK(h->message.ptr != NULL &&
			   h->message.ptr + h->message.len == line + len,
		   "message does not run to the end of the line");
}

/* check_time - ranges, and the stamp formats and parses back */
static void
check_time(const struct logtime *t, struct fuzz_stamp *c)
{
	char stamp[STAMP_SIZE], again[STAMP_SIZE + 32];
	struct sysline_year ref;
	struct sysline back;

	FUZZ_CHECK(t->usec >= 0 && t->usec <= 999999, "usec %d",
		   (int)t->usec);
	FUZZ_CHECK(!t->has_offset || (t->offset_min >= -(23 * 60 + 59) &&
				      t->offset_min <= 23 * 60 + 59),
		   "offset %d minutes", (int)t->offset_min);
	FUZZ_CHECK(!(t->has_offset && t->year_inferred),
		   "inferred year on a stamp with an offset");

	logtime_format(t, stamp, sizeof stamp);
	FUZZ_CHECK(fuzz_parse_stamp(stamp, c), "invalid RFC 3339 stamp \"%s\"",
		   stamp);
	FUZZ_CHECK(c->has_offset == t->has_offset,
		   "stamp \"%s\" for has_offset %d", stamp, t->has_offset);

	snprintf(again, sizeof again, "%s host prog: m", stamp);
	sysline_year_end(&ref, REFERENCE_YEAR);
	FUZZ_CHECK(sysline_parse(again, strlen(again), &ref, &back),
		   "formatted stamp \"%s\" does not parse", stamp);
	FUZZ_CHECK(back.time.wall == t->wall,
		   "stamp \"%s\" parses to wall %lld, want %lld", stamp,
		   (long long)back.time.wall, (long long)t->wall);
	FUZZ_CHECK(back.time.has_offset == t->has_offset &&
			   back.time.offset_min == t->offset_min,
		   "stamp \"%s\" parses to offset %d, want %d", stamp,
		   (int)back.time.offset_min, (int)t->offset_min);
}

/* check_year - the rule of struct sysline_year for a year-less stamp */
static void
check_year(const struct logtime *t, const struct fuzz_stamp *c,
	   const struct sysline_year *ref, int64_t limit)
{
	int64_t in_ref_year;

	if (!t->year_inferred)
		return;
	FUZZ_CHECK(t->wall <= limit + SYSLINE_YEAR_SLACK,
		   "inferred date %04d-%02d-%02d lies after the reference",
		   c->year, c->month, c->day);
	if (c->month == 2 && c->day == 29) {
		FUZZ_CHECK(fuzz_is_leap(c->year) && c->year <= ref->year,
			   "29 February dated in %d", c->year);
		return;
	}
	in_ref_year = sysline_days_from_civil(ref->year, c->month, c->day) *
			      86400 +
		      c->hour * 3600 + c->min * 60 + c->sec;
	FUZZ_CHECK(c->year == (in_ref_year <= limit + SYSLINE_YEAR_SLACK
				       ? ref->year
				       : ref->year - 1),
		   "date %02d-%02d dated in %d", c->month, c->day, c->year);
}

/* same_span - the same offset and length in the line */
static bool
same_span(struct span a, struct span b)
{
	return a.ptr == b.ptr && a.len == b.len;
}

/* check_general - the general scanner agrees with sysline_parse(),
 * which returned ok and *h */
static void
check_general(const char *line, size_t len, const struct sysline_year *ref,
	      bool ok, const struct sysline *h)
{
	struct sysline g;
	bool general = sysline_parse_general(line, len, ref, &g);

	FUZZ_CHECK(general == ok, "general scanner gives %d, fast path %d",
		   general, ok);
	if (!ok || !general)
		return;
	FUZZ_CHECK(g.time.wall == h->time.wall && g.time.usec == h->time.usec &&
			   g.time.offset_min == h->time.offset_min &&
			   g.time.has_offset == h->time.has_offset &&
			   g.time.year_inferred == h->time.year_inferred,
		   "general scanner gives another time");
	FUZZ_CHECK(same_span(g.host, h->host) &&
			   same_span(g.program, h->program) &&
			   same_span(g.daemon, h->daemon) &&
			   same_span(g.pid, h->pid) &&
			   same_span(g.message, h->message),
		   "general scanner gives other fields");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct sysline_year refs[2];
	int64_t limits[2];
	struct sysline out[2];
	bool ok[2];
	struct fuzz_stamp c;

	sysline_year_end(&refs[0], REFERENCE_YEAR);
	limits[0] = sysline_days_from_civil(REFERENCE_YEAR + 1, 1, 1) * 86400 - 1;
	refs[1].year = REFERENCE_YEAR;
	refs[1].month = 3;
	refs[1].limit = sysline_days_from_civil(REFERENCE_YEAR, 3, 1) * 86400 +
			30 * 60;
	limits[1] = refs[1].limit;

	for (int i = 0; i < 2; i++) {
		ok[i] = sysline_parse(line, size, &refs[i], &out[i]);
		check_general(line, size, &refs[i], ok[i], &out[i]);
		if (!ok[i])
			continue;
		check_spans(&out[i], line, size);
		check_time(&out[i].time, &c);
		check_year(&out[i].time, &c, &refs[i], limits[i]);
	}

	FUZZ_CHECK(ok[0] == ok[1], "parse result depends on the reference");
	if (!ok[0])
		return 0;
	FUZZ_CHECK(same_span(out[0].host, out[1].host) &&
			   same_span(out[0].program, out[1].program) &&
			   same_span(out[0].pid, out[1].pid) &&
			   same_span(out[0].message, out[1].message),
		   "header fields depend on the reference");
	FUZZ_CHECK(out[0].time.year_inferred ||
			   out[0].time.wall == out[1].time.wall,
		   "time without inferred year depends on the reference");
	return 0;
}
