/* SPDX-License-Identifier: MIT */
/*
 * sysline.c - the syslog header of a log line
 *
 * A hand-written scanner rather than a regular expression: every line of a
 * log passes through here, and the forms are few and fixed.  All character
 * tests are ASCII-only so that the result never depends on the locale.
 */
#include <stdio.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/sysline.h"
#include "sysline_impl.h"

/* The cursor over one line. */
struct scan {
	const char *s;
	size_t len;
	size_t pos;
};

static bool
scan_peek(const struct scan *sc, char c)
{
	return sc->pos < sc->len && sc->s[sc->pos] == c;
}

static bool
scan_char(struct scan *sc, char c)
{
	if (!scan_peek(sc, c))
		return false;
	sc->pos++;
	return true;
}

/* scan_digits - read exactly n digits into *value */
static bool
scan_digits(struct scan *sc, int n, int *value)
{
	int v = 0;

	if (sc->pos + (size_t)n > sc->len)
		return false;
	for (int i = 0; i < n; i++) {
		char c = sc->s[sc->pos + (size_t)i];

		if (!ascii_isdigit((unsigned char)c))
			return false;
		v = v * 10 + (c - '0');
	}
	sc->pos += (size_t)n;
	*value = v;
	return true;
}

/* scan_token - a run of bytes up to the next blank */
static struct span
scan_token(struct scan *sc)
{
	size_t start = sc->pos;

	while (sc->pos < sc->len && !ascii_isblank((unsigned char)sc->s[sc->pos]))
		sc->pos++;
	return span_make(sc->s + start, sc->pos - start);
}

static bool
scan_blanks(struct scan *sc)
{
	size_t start = sc->pos;

	while (sc->pos < sc->len && ascii_isblank((unsigned char)sc->s[sc->pos]))
		sc->pos++;
	return sc->pos > start;
}

int64_t
sysline_days_from_civil(int64_t year, int month, int day)
{
	/* Shift the year to start in March so that the leap day is last. */
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static bool
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static bool
valid_date(int year, int month, int day)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return false;
	return month != 2 || day <= 28 || is_leap(year);
}

/*
 * The date last read by sysline_date_days() in this thread: most lines
 * of a log share their date with the line before, so its check and its
 * day count are reused when the ten bytes "YYYY-MM-DD" are the same.
 * Only a valid date is stored.
 */
static _Thread_local struct {
	char text[SYSLINE_DATE_LEN];
	bool valid;
	int64_t days;
} last_date;

bool
sysline_date_days(const char *s, size_t len, int64_t *days)
{
	struct scan sc = {s, len, 0};
	int year, month, day;

	if (len >= SYSLINE_DATE_LEN && last_date.valid &&
	    memcmp(s, last_date.text, SYSLINE_DATE_LEN) == 0) {
		*days = last_date.days;
		return true;
	}
	if (!scan_digits(&sc, 4, &year) || !scan_char(&sc, '-') ||
	    !scan_digits(&sc, 2, &month) || !scan_char(&sc, '-') ||
	    !scan_digits(&sc, 2, &day) || !valid_date(year, month, day))
		return false;
	memcpy(last_date.text, s, SYSLINE_DATE_LEN);
	last_date.days = sysline_days_from_civil(year, month, day);
	last_date.valid = true;
	*days = last_date.days;
	return true;
}

/* check_clock - the time of day in range; second 60 becomes 59 */
static bool
check_clock(int hour, int min, int *sec)
{
	/* Second 60 is a leap second, which syslog daemons may print; it is
	 * read as second 59 so that the date stays the same. */
	if (hour > 23 || min > 59 || *sec > 60)
		return false;
	if (*sec == 60)
		*sec = 59;
	return true;
}

/* set_wall - combine date and time of day; false if out of range */
static bool
set_wall(struct logtime *t, int year, int month, int day, int hour, int min,
	 int sec)
{
	if (!valid_date(year, month, day) || !check_clock(hour, min, &sec))
		return false;
	t->wall = sysline_days_from_civil(year, month, day) * 86400 +
		  hour * 3600 + min * 60 + sec;
	return true;
}

/* scan_clock - "HH:MM:SS" */
static bool
scan_clock(struct scan *sc, int *hour, int *min, int *sec)
{
	return scan_digits(sc, 2, hour) && scan_char(sc, ':') &&
	       scan_digits(sc, 2, min) && scan_char(sc, ':') &&
	       scan_digits(sc, 2, sec);
}

/* scan_fraction - ".d" to ".ddddddddd", kept to microseconds */
static void
scan_fraction(struct scan *sc, struct logtime *t)
{
	int digits = 0;
	int32_t usec = 0;

	if (!scan_peek(sc, '.') && !scan_peek(sc, ','))
		return;
	if (sc->pos + 1 >= sc->len ||
	    !ascii_isdigit((unsigned char)sc->s[sc->pos + 1]))
		return;
	sc->pos++;
	while (sc->pos < sc->len && ascii_isdigit((unsigned char)sc->s[sc->pos])) {
		if (digits < 6)
			usec = usec * 10 + (sc->s[sc->pos] - '0');
		digits++;
		sc->pos++;
	}
	for (; digits < 6; digits++)
		usec *= 10;
	t->usec = usec;
}

/* scan_offset - "Z", "+03:00", "+0300", or nothing */
static bool
scan_offset(struct scan *sc, struct logtime *t)
{
	int sign, hh, mm;

	if (scan_char(sc, 'Z') || scan_char(sc, 'z')) {
		t->has_offset = true;
		t->offset_min = 0;
		return true;
	}
	if (!scan_peek(sc, '+') && !scan_peek(sc, '-'))
		return true;

	sign = sc->s[sc->pos] == '-' ? -1 : 1;
	sc->pos++;
	if (!scan_digits(sc, 2, &hh))
		return false;
	scan_char(sc, ':');
	if (!scan_digits(sc, 2, &mm) || hh > 23 || mm > 59)
		return false;
	t->has_offset = true;
	t->offset_min = (int16_t)(sign * (hh * 60 + mm));
	return true;
}

/* scan_rfc3339 - "YYYY-MM-DDTHH:MM:SS[.frac][offset]" */
static bool
scan_rfc3339(struct scan *sc, struct logtime *t)
{
	int64_t days;
	int hour, min, sec;

	if (!sysline_date_days(sc->s + sc->pos, sc->len - sc->pos, &days))
		return false;
	sc->pos += SYSLINE_DATE_LEN;
	if (!scan_char(sc, 'T') && !scan_char(sc, 't'))
		return false;
	if (!scan_clock(sc, &hour, &min, &sec))
		return false;
	scan_fraction(sc, t);
	if (!scan_offset(sc, t) || !check_clock(hour, min, &sec))
		return false;
	t->wall = days * 86400 + hour * 3600 + min * 60 + sec;
	return true;
}

size_t
sysline_parse_rfc3339_general(const char *s, size_t len, struct logtime *t)
{
	struct scan sc = {s, len, 0};

	memset(t, 0, sizeof *t);
	return scan_rfc3339(&sc, t) ? sc.pos : 0;
}

/* scan_month - an English month abbreviation, any ASCII case */
static int
scan_month(struct scan *sc)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";

	if (sc->pos + 3 > sc->len)
		return 0;
	for (int m = 0; m < 12; m++) {
		if (ascii_casecmp_n(sc->s + sc->pos, names + m * 3, 3)) {
			sc->pos += 3;
			return m + 1;
		}
	}
	return 0;
}

/* reference_limit - the reference moment in wall seconds */
static int64_t
reference_limit(const struct sysline_year *ref)
{
	int next_year = ref->month == 12 ? ref->year + 1 : ref->year;
	int next_month = ref->month == 12 ? 1 : ref->month + 1;

	if (ref->limit != 0)
		return ref->limit;
	return sysline_days_from_civil(next_year, next_month, 1) * 86400 - 1;
}

/* scan_bsd - "Mmm dd HH:MM:SS" with a space- or zero-padded day */
static bool
scan_bsd(struct scan *sc, const struct sysline_year *ref, struct logtime *t)
{
	int month, day, hour, min, sec, year;

	month = scan_month(sc);
	if (month == 0 || !scan_char(sc, ' '))
		return false;
	scan_char(sc, ' ');
	if (!scan_digits(sc, 2, &day) && !scan_digits(sc, 1, &day))
		return false;
	if (!scan_char(sc, ' ') || !scan_clock(sc, &hour, &min, &sec))
		return false;
	scan_fraction(sc, t);

	/* A date after the reference belongs to the year before. */
	year = ref->year;
	if (!set_wall(t, year, month, day == 29 && month == 2 ? 28 : day,
		      hour, min, sec))
		return false;
	if (t->wall > reference_limit(ref) + SYSLINE_YEAR_SLACK)
		year--;
	t->year_inferred = true;

	/* 29 February in a year that lacks it: the line is from the latest
	 * leap year before. */
	while (month == 2 && day == 29 && !is_leap(year))
		year--;
	return set_wall(t, year, month, day, hour, min, sec);
}

/* scan_priority - optional "<0>" to "<191>" */
static void
scan_priority(struct scan *sc)
{
	size_t start = sc->pos;
	int digits = 0;

	if (!scan_char(sc, '<'))
		return;
	while (sc->pos < sc->len && ascii_isdigit((unsigned char)sc->s[sc->pos]) &&
	       digits < 3) {
		sc->pos++;
		digits++;
	}
	if (digits == 0 || !scan_char(sc, '>'))
		sc->pos = start;
}

/* set_program - split the tag into program and daemon */
static void
set_program(struct sysline *out, struct span program)
{
	const char *slash = NULL;

	out->program = program;
	for (size_t i = 0; i < program.len; i++)
		if (program.ptr[i] == '/')
			slash = program.ptr + i;
	if (slash == NULL)
		out->daemon = program;
	else
		out->daemon = span_make(slash + 1,
					program.len - (size_t)(slash + 1 - program.ptr));
}

/* scan_tag - "PROGRAM[PID]: " or "PROGRAM: " */
static bool
scan_tag(struct scan *sc, struct sysline *out)
{
	const char *start = sc->s + sc->pos, *end = sc->s + sc->len;
	const char *p = start, *slash = NULL;

	/* One pass finds the end of the program name and its last "/". */
	for (; p < end; p++) {
		char c = *p;

		if (c == '[' || c == ':' || ascii_isblank((unsigned char)c))
			break;
		if (c == '/')
			slash = p;
	}
	if (p == start)
		return false;
	out->program = span_make(start, (size_t)(p - start));
	out->daemon = slash == NULL ? out->program
				    : span_make(slash + 1, (size_t)(p - slash - 1));
	sc->pos = (size_t)(p - sc->s);

	out->pid = span_make(NULL, 0);
	if (scan_char(sc, '[')) {
		size_t pid_start = sc->pos;

		while (sc->pos < sc->len && sc->s[sc->pos] != ']' &&
		       !ascii_isblank((unsigned char)sc->s[sc->pos]))
			sc->pos++;
		if (!scan_char(sc, ']'))
			return false;
		out->pid = span_make(sc->s + pid_start, sc->pos - pid_start - 1);
	}
	if (!scan_char(sc, ':'))
		return false;
	scan_char(sc, ' ');
	return true;
}

/* skip_solaris_id - drop "[ID 197553 mail.info] " before the message */
static void
skip_solaris_id(struct scan *sc)
{
	size_t start = sc->pos;

	if (sc->pos + 4 > sc->len || memcmp(sc->s + sc->pos, "[ID ", 4) != 0)
		return;
	while (sc->pos < sc->len && sc->s[sc->pos] != ']')
		sc->pos++;
	if (!scan_char(sc, ']') || !scan_char(sc, ' '))
		sc->pos = start;
}

/* skip_structured_data - RFC 5424 "-" or one or more "[...]" elements */
static bool
skip_structured_data(struct scan *sc)
{
	if (scan_char(sc, '-'))
		return true;
	while (scan_peek(sc, '[')) {
		/* Inside an element, "]" may be escaped as "\]". */
		sc->pos++;
		while (sc->pos < sc->len && sc->s[sc->pos] != ']') {
			if (sc->s[sc->pos] == '\\' && sc->pos + 1 < sc->len)
				sc->pos++;
			sc->pos++;
		}
		if (!scan_char(sc, ']'))
			return false;
	}
	return true;
}

/* parse_rfc5424 - "1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]" */
static bool
parse_rfc5424(struct scan *sc, struct sysline *out)
{
	struct span app, procid;

	if (!scan_char(sc, '1') || !scan_char(sc, ' '))
		return false;
	if (!scan_rfc3339(sc, &out->time) || !scan_char(sc, ' '))
		return false;
	out->host = scan_token(sc);
	if (!scan_char(sc, ' '))
		return false;
	app = scan_token(sc);
	if (!scan_char(sc, ' '))
		return false;
	procid = scan_token(sc);
	if (!scan_char(sc, ' '))
		return false;
	scan_token(sc); /* MSGID */
	if (!scan_char(sc, ' ') || !skip_structured_data(sc))
		return false;
	scan_char(sc, ' ');

	set_program(out, app);
	out->pid = span_equal(procid, "-") ? span_make(NULL, 0) : procid;
	/* A UTF-8 byte order mark may start the message. */
	if (sc->pos + 3 <= sc->len &&
	    memcmp(sc->s + sc->pos, "\xef\xbb\xbf", 3) == 0)
		sc->pos += 3;
	out->message = span_make(sc->s + sc->pos, sc->len - sc->pos);
	return app.len > 0 && !span_equal(app, "-");
}

bool
sysline_parse_general(const char *line, size_t len,
		      const struct sysline_year *ref, struct sysline *out)
{
	struct scan sc = {line, len, 0};
	size_t after_pri;

	memset(out, 0, sizeof *out);
	scan_priority(&sc);
	after_pri = sc.pos;
	if (sc.pos > 0) {
		if (parse_rfc5424(&sc, out))
			return true;

		/* Not RFC 5424: start over after the priority. */
		memset(out, 0, sizeof *out);
		sc.pos = after_pri;
	}
	if (sc.pos < sc.len && ascii_isdigit((unsigned char)sc.s[sc.pos])) {
		if (!scan_rfc3339(&sc, &out->time))
			return false;
	} else if (!scan_bsd(&sc, ref, &out->time)) {
		return false;
	}
	if (!scan_blanks(&sc))
		return false;

	/* FreeBSD syslogd -v -v writes "<mail.info>" before the host. */
	if (scan_peek(&sc, '<')) {
		scan_token(&sc);
		if (!scan_blanks(&sc))
			return false;
	}
	out->host = scan_token(&sc);
	if (out->host.len == 0 || !scan_blanks(&sc))
		return false;
	if (!scan_tag(&sc, out))
		return false;
	skip_solaris_id(&sc);
	out->message = span_make(sc.s + sc.pos, sc.len - sc.pos);
	return true;
}

/*
 * The fast path.  Nearly every line of a log has the header shape of the
 * line before, and most share its date and minute.  The functions below
 * read only the common shapes ("YYYY-MM-DDTHH:MM:SS[.frac][offset]" and
 * "Mmm dd HH:MM:SS[.frac]", one space, the host, one space,
 * "PROGRAM[PID]: "; and RFC 5424's "<PRI>1 STAMP HOST APP PROCID MSGID -
 * MESSAGE"), with pointers, and reuse the wall seconds of the last
 * minute they read.  For any other shape they give up, and
 * sysline_parse_general() reads the line from its start.  On the shapes
 * they accept, both give the same fields; tests/unit/test_sysline_fast.c
 * compares them on every line it has.
 */

/* The steps of the fast path are inlined into each caller (the header,
 * and a stamp alone).  As calls, they cost the header of an RFC 3339
 * line about 30 instructions more, on top of about 430. */
#if defined(__GNUC__)
#define INLINE_ALWAYS inline __attribute__((always_inline))
#else
#define INLINE_ALWAYS inline
#endif

/* Bytes of "YYYY-MM-DDTHH:MM:" and of "Mmm dd HH:MM:". */
#define RFC3339_MINUTE_LEN 17
#define BSD_MINUTE_LEN 13

/* The last RFC 3339 minute read in this thread, and its wall seconds. */
static _Thread_local struct {
	char text[RFC3339_MINUTE_LEN];
	bool valid;
	int64_t wall;
} last_rfc3339;

/*
 * The last BSD minute read in this thread, with the reference it was
 * dated with: its wall seconds in the reference year and in the year
 * before, and the latest wall time that stays in the reference year.
 * February 29 is never kept, so both years have the date.
 */
static _Thread_local struct {
	char text[BSD_MINUTE_LEN];
	bool valid;
	struct sysline_year ref;
	int64_t wall;
	int64_t wall_before;
	int64_t limit;
} last_bsd;

/* two_digits - the number written by the two digits at p, or -1 */
static int
two_digits(const char *p)
{
	if (!ascii_isdigit((unsigned char)p[0]) ||
	    !ascii_isdigit((unsigned char)p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Bytes of a word of the scans below, and that word's masks. */
#define WORD_BYTES 8
#define WORD_ONES UINT64_C(0x0101010101010101)
#define WORD_HIGHS UINT64_C(0x8080808080808080)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Bytes 1 to 6 of a word: the digits of fraction_digits(). */
#define FRACTION_MASK UINT64_C(0x00ffffffffffff00)

/*
 * fraction_digits - the number written by the six digits at q + 1 into
 * *value, false when one of them is no digit.  The 8 bytes q[0] to q[7]
 * are read as one word, whose first byte is its lowest (little-endian).  A
 * byte is a digit when its high half is 3 both as it is and plus 6.
 * Only a byte from 0xfa up carries into the next when 6 is added, and
 * such a byte fails the first test.  The digits, moved to bytes 2 to 7
 * with zeros before them, are then summed in pairs, fours and eights.
 */
static bool
fraction_digits(const char *q, int32_t *value)
{
	const uint64_t highs = WORD_ONES * 0xf0 & FRACTION_MASK;
	const uint64_t zeros = WORD_ONES * '0' & FRACTION_MASK;
	uint64_t w, d;

	memcpy(&w, q, sizeof w);
	w &= FRACTION_MASK;
	if ((w & highs) != zeros ||
	    ((w + (WORD_ONES * 6 & FRACTION_MASK)) & highs) != zeros)
		return false;

	d = (w - zeros) << 8;
	d = (d * 10 + (d >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
	d = (d * 100 + (d >> 16)) & UINT64_C(0x0000ffff0000ffff);
	d = (d * 10000 + (d >> 32)) & UINT64_C(0xffffffff);
	*value = (int32_t)d;
	return true;
}
#else
/* fraction_digits - the number written by the six digits at q + 1 into
 * *value; false when one of them is no digit */
static bool
fraction_digits(const char *q, int32_t *value)
{
	int32_t v = 0;

	for (int i = 1; i <= 6; i++) {
		if (!ascii_isdigit((unsigned char)q[i]))
			return false;
		v = v * 10 + (q[i] - '0');
	}
	*value = v;
	return true;
}
#endif

/* fast_rfc3339_minute - the wall seconds of "YYYY-MM-DDTHH:MM:" at s
 * (RFC3339_MINUTE_LEN bytes); false when s does not start with one */
static INLINE_ALWAYS bool
fast_rfc3339_minute(const char *s, int64_t *wall)
{
	int64_t days;
	int hour, min;

	if (last_rfc3339.valid &&
	    memcmp(s, last_rfc3339.text, RFC3339_MINUTE_LEN) == 0) {
		*wall = last_rfc3339.wall;
		return true;
	}
	if (!sysline_date_days(s, RFC3339_MINUTE_LEN, &days) ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return false;
	hour = two_digits(s + 11);
	min = two_digits(s + 14);
	if (hour < 0 || hour > 23 || min < 0 || min > 59)
		return false;

	memcpy(last_rfc3339.text, s, RFC3339_MINUTE_LEN);
	last_rfc3339.wall = days * 86400 + hour * 3600 + min * 60;
	last_rfc3339.valid = true;
	*wall = last_rfc3339.wall;
	return true;
}

/* same_reference - do two references date a BSD stamp alike? */
static bool
same_reference(const struct sysline_year *a, const struct sysline_year *b)
{
	return a->year == b->year && a->month == b->month &&
	       a->limit == b->limit;
}

/* fast_bsd_minute - read "Mmm dd HH:MM:" or "Mmm  d HH:MM:" at s
 * (BSD_MINUTE_LEN bytes) into last_bsd.  Returns false for any other
 * start and for 29 February. */
static bool
fast_bsd_minute(const char *s, const struct sysline_year *ref)
{
	struct scan sc = {s, 3, 0};
	int month, day, hour, min, minute;

	if (last_bsd.valid && memcmp(s, last_bsd.text, BSD_MINUTE_LEN) == 0 &&
	    same_reference(&last_bsd.ref, ref))
		return true;
	if (s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
		return false;
	month = scan_month(&sc);
	if (s[4] == ' ')
		day = ascii_isdigit((unsigned char)s[5]) ? s[5] - '0' : -1;
	else
		day = two_digits(s + 4);
	hour = two_digits(s + 7);
	min = two_digits(s + 10);
	if (month == 0 || day < 0 || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || (month == 2 && day == 29) ||
	    !valid_date(ref->year, month, day))
		return false;

	minute = hour * 3600 + min * 60;
	memcpy(last_bsd.text, s, BSD_MINUTE_LEN);
	last_bsd.ref = *ref;
	last_bsd.wall =
	    sysline_days_from_civil(ref->year, month, day) * 86400 + minute;
	last_bsd.wall_before =
	    sysline_days_from_civil(ref->year - 1, month, day) * 86400 + minute;
	last_bsd.limit = reference_limit(ref) + SYSLINE_YEAR_SLACK;
	last_bsd.valid = true;
	return true;
}

/* fast_seconds - "SS" and an optional fraction at *p, as scan_clock()
 * and scan_fraction() read them; second 60 becomes 59 */
static INLINE_ALWAYS bool
fast_seconds(const char **p, const char *end, int *sec, int32_t *usec)
{
	const char *q = *p;
	int32_t u = 0;
	int digits = 0;

	if (end - q < 2 || (*sec = two_digits(q)) < 0 || *sec > 60)
		return false;
	if (*sec == 60)
		*sec = 59;
	q += 2;

	*usec = 0;
	if (end - q < 2 || (q[0] != '.' && q[0] != ',') ||
	    !ascii_isdigit((unsigned char)q[1])) {
		*p = q;
		return true;
	}

	/* Microseconds, as most syslog daemons write them. */
	if (end - q > 7 && fraction_digits(q, usec) &&
	    !ascii_isdigit((unsigned char)q[7])) {
		*p = q + 7;
		return true;
	}
	for (q++; q < end && ascii_isdigit((unsigned char)*q); q++) {
		if (digits < 6)
			u = u * 10 + (*q - '0');
		digits++;
	}
	for (; digits < 6; digits++)
		u *= 10;
	*usec = u;
	*p = q;
	return true;
}

/* The last numeric offset read in this thread: its bytes ("+HH:MM" or
 * "+HHMM") and minutes.  Most lines of a log repeat the offset of the
 * line before, and the same bytes always read the same. */
static _Thread_local struct {
	char text[6];
	size_t len;		/* 0 before the first */
	int16_t minutes;
	uint64_t word;		/* text as the first bytes of a word */
	uint64_t mask;		/* 0xff in the bytes of word that hold
				 * text, else 0 */
} last_offset;

/* same_offset - does the text at q (up to end) start with the bytes of
 * last_offset?  Where 8 bytes can be read, one masked compare of a word
 * decides, in either byte order. */
static INLINE_ALWAYS bool
same_offset(const char *q, const char *end)
{
	uint64_t w;

	if (last_offset.len == 0)
		return false;
	if (end - q >= WORD_BYTES) {
		memcpy(&w, q, sizeof w);
		return ((w ^ last_offset.word) & last_offset.mask) == 0;
	}
	return (size_t)(end - q) >= last_offset.len &&
	       memcmp(q, last_offset.text, last_offset.len) == 0;
}

/* keep_offset - remember the len bytes at text, which read as minutes */
static void
keep_offset(const char *text, size_t len, int16_t minutes)
{
	unsigned char bytes[WORD_BYTES] = {0}, mask[WORD_BYTES] = {0};

	memcpy(last_offset.text, text, len);
	last_offset.len = len;
	last_offset.minutes = minutes;
	memcpy(bytes, text, len);
	memset(mask, 0xff, len);
	memcpy(&last_offset.word, bytes, sizeof last_offset.word);
	memcpy(&last_offset.mask, mask, sizeof last_offset.mask);
}

/* fast_offset - "Z", "+HH:MM", "+HHMM" or nothing at *p, as
 * scan_offset() reads it */
static INLINE_ALWAYS bool
fast_offset(const char **p, const char *end, struct logtime *t)
{
	const char *start = *p, *q = *p;
	int sign, hh, mm;

	if (same_offset(q, end)) {
		t->has_offset = true;
		t->offset_min = last_offset.minutes;
		*p = q + last_offset.len;
		return true;
	}

	if (q < end && (*q == 'Z' || *q == 'z')) {
		t->has_offset = true;
		t->offset_min = 0;
		*p = q + 1;
		return true;
	}
	if (q == end || (*q != '+' && *q != '-'))
		return true;

	sign = *q == '-' ? -1 : 1;
	q++;
	if (end - q < 2 || (hh = two_digits(q)) < 0)
		return false;
	q += 2;
	if (q < end && *q == ':')
		q++;
	if (end - q < 2 || (mm = two_digits(q)) < 0 || hh > 23 || mm > 59)
		return false;
	t->has_offset = true;
	t->offset_min = (int16_t)(sign * (hh * 60 + mm));
	*p = q + 2;

	keep_offset(start, (size_t)(*p - start), t->offset_min);
	return true;
}

/* up_to - 0x80 in each byte of w that is at most c (below 0x80), else
 * 0.  A byte below 0x80 plus 0x7f - c reaches 0x80 just when it is above
 * c.  No carry crosses a byte, so every byte's result is exact.  Bytes
 * from 0x80 up are above c and are masked by ~w. */
static inline uint64_t
up_to(uint64_t w, unsigned char c)
{
	return ~((w & ~WORD_HIGHS) + WORD_ONES * (0x7fu - c)) & ~w &
	       WORD_HIGHS;
}

/*
 * program_end - the first "[", ":" or blank from p on, or end; *slash
 * becomes the last "/" before it, and stays as it was without one.
 * Lower-case letters, most of a program name, are above every byte
 * looked for, so whole words of 8 bytes are tested for a byte up to "["
 * and only those bytes are looked at.
 */
static const char *
program_end(const char *p, const char *end, const char **slash)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - p >= WORD_BYTES) {
		uint64_t w, low;

		memcpy(&w, p, sizeof w);
		/* The word's first byte is its lowest (little-endian). */
		for (low = up_to(w, '['); low != 0; low &= low - 1) {
			const char *q = p + __builtin_ctzll(low) / 8;
			unsigned char c = (unsigned char)*q;

			if (c == '[' || c == ':' || ascii_isblank(c))
				return q;
			if (c == '/')
				*slash = q;
		}
		p += WORD_BYTES;
	}
#endif
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c > '[')
			continue;
		if (c == '[' || c == ':' || ascii_isblank(c))
			break;
		if (c == '/')
			*slash = p;
	}
	return p;
}

/* next_blank - the first space or tab from p on, or end */
static const char *
next_blank(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Whole words first: a blank is at most " ", as are the other
	 * control bytes, which are looked at one by one. */
	while (end - p >= WORD_BYTES) {
		uint64_t w, low;

		memcpy(&w, p, sizeof w);
		for (low = up_to(w, ' '); low != 0; low &= low - 1) {
			const char *q = p + __builtin_ctzll(low) / 8;

			if (*q == ' ' || *q == '\t')
				return q;
		}
		p += WORD_BYTES;
	}
#endif
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/*
 * skip_digits - the first byte from p on that is no ASCII digit, or end.
 * A byte is a digit when, less '0', it is at most 9: up_to() tests all 8
 * bytes of a word at once, for the pid's few digits.
 */
static const char *
skip_digits(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (end - p >= WORD_BYTES) {
		uint64_t w, other;

		memcpy(&w, p, sizeof w);
		/* Bytes of 0x80 and up have their high bit set before and
		 * after the xor, and up_to() counts such bytes as above 9.
		 * The word's first byte is its lowest (little-endian). */
		other = ~up_to(w ^ WORD_ONES * '0', 9) & WORD_HIGHS;
		if (other != 0)
			return p + __builtin_ctzll(other) / 8;
		p += WORD_BYTES;
	}
#endif
	while (p < end && ascii_isdigit((unsigned char)*p))
		p++;
	return p;
}

/* fast_rest - " HOST PROGRAM[PID]: MESSAGE" from p, the end of the
 * stamp, with single spaces and no Solaris id; false for anything else */
static bool
fast_rest(const char *p, const char *end, struct sysline *out)
{
	const char *start, *slash = NULL;

	if (end - p < 2 || p[0] != ' ' || p[1] == '<' ||
	    ascii_isblank((unsigned char)p[1]))
		return false;
	start = ++p;
	p = next_blank(p, end);
	out->host = span_make(start, (size_t)(p - start));
	if (end - p < 2 || p[0] != ' ' || ascii_isblank((unsigned char)p[1]))
		return false;

	/* The program name and its last "/", as scan_tag() reads them. */
	start = ++p;
	p = program_end(p, end, &slash);
	if (p == start)
		return false;
	out->program = span_make(start, (size_t)(p - start));
	out->daemon = slash == NULL ? out->program
				    : span_make(slash + 1, (size_t)(p - slash - 1));

	out->pid = span_make(NULL, 0);
	if (p < end && *p == '[') {
		/* Digits first: the pid is a number on nearly every line. */
		start = ++p;
		p = skip_digits(p, end);
		while (p < end && *p != ']' && !ascii_isblank((unsigned char)*p))
			p++;
		if (p == end || *p != ']')
			return false;
		out->pid = span_make(start, (size_t)(p - start));
		p++;
	}
	if (p == end || *p != ':')
		return false;
	p++;
	if (p < end && *p == ' ')
		p++;

	/* A "[" may start a Solaris id, which the general path skips. */
	if (p < end && *p == '[')
		return false;
	out->message = span_make(p, (size_t)(end - p));
	return true;
}

/* fast_field - read the run of bytes from *p up to the next space into
 * *out and move *p past that space.  False when the run is empty or
 * ends in a tab or at the end of the line. */
static bool
fast_field(const char **p, const char *end, struct span *out)
{
	const char *start = *p, *q = next_blank(*p, end);

	if (q == start || q == end || *q != ' ')
		return false;
	*out = span_make(start, (size_t)(q - start));
	*p = q + 1;
	return true;
}

/*
 * fast_rfc5424_rest - read " HOST APP PROCID MSGID - MESSAGE" from p, the
 * end of the stamp of an RFC 5424 line, as parse_rfc5424() does.  Each
 * field must be non-empty and end in one space, and there must be no
 * structured data; any other line gives false.
 */
static bool
fast_rfc5424_rest(const char *p, const char *end, struct sysline *out)
{
	struct span app, procid, msgid;
	const char *slash = NULL;

	if (p == end || *p != ' ')
		return false;
	p++;
	if (!fast_field(&p, end, &out->host) || !fast_field(&p, end, &app) ||
	    !fast_field(&p, end, &procid) || !fast_field(&p, end, &msgid))
		return false;
	if (p == end || *p != '-' || span_equal(app, "-"))
		return false;
	p++;
	if (p < end && *p == ' ')
		p++;
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;

	for (size_t i = 0; i < app.len; i++)
		if (app.ptr[i] == '/')
			slash = app.ptr + i;
	out->program = app;
	out->daemon = slash == NULL
			  ? app
			  : span_make(slash + 1,
				      (size_t)(app.ptr + app.len - slash - 1));
	out->pid = span_equal(procid, "-") ? span_make(NULL, 0) : procid;
	out->message = span_make(p, (size_t)(end - p));
	return true;
}

/*
 * fast_priority_stamp - the start of the stamp after the priority
 * "<PRI>" of line, when the general path reads the stamp from there too,
 * else NULL.  That is RFC 5424's "<PRI>1 " before an RFC 3339 stamp, with
 * *rfc5424 set, or "<PRI>" right before a BSD or RFC 3339 stamp, which
 * syslog daemons that keep the priority write.
 */
static const char *
fast_priority_stamp(const char *line, const char *end, bool *rfc5424)
{
	const char *p = line + 1;

	while (p < end && p - line <= 3 && ascii_isdigit((unsigned char)*p))
		p++;
	if (p == line + 1 || end - p <= 3 + RFC3339_MINUTE_LEN || p[0] != '>')
		return NULL;
	*rfc5424 = p[1] == '1' && p[2] == ' ';
	if (*rfc5424)
		return ascii_isdigit((unsigned char)p[3]) ? p + 3 : NULL;

	/* The general path tries RFC 5424's version first, which needs
	 * "1 " after the priority, and then reads the stamp after it. */
	if (ascii_isalpha((unsigned char)p[1]) ||
	    ascii_isdigit((unsigned char)p[1]))
		return p + 1;
	return NULL;
}

/* parse_fast - sysline_parse() of the common shapes: 1 parsed, 0 not a
 * syslog line, -1 unsure (the general path must read the line) */
static int
parse_fast(const char *line, size_t len, const struct sysline_year *ref,
	   struct sysline *out)
{
	const char *end = line + len, *stamp = line, *p;
	bool rfc5424 = false;
	struct logtime t = {0};
	int64_t minute;
	int sec;

	/* A line that starts with a digit must be an RFC 3339 stamp, whose
	 * date ends with "T" in its eleventh byte. */
	if (len > 0 && ascii_isdigit((unsigned char)line[0]) &&
	    (len <= 10 || (line[10] != 'T' && line[10] != 't')))
		return 0;

	/* A priority is read only before RFC 5424's version and stamp,
	 * and right before a BSD or RFC 3339 stamp.  The general path
	 * reads any other line with a priority. */
	if (len > 0 && line[0] == '<') {
		stamp = fast_priority_stamp(line, end, &rfc5424);
		if (stamp == NULL)
			return -1;
	}

	if (end - stamp > RFC3339_MINUTE_LEN &&
	    ascii_isdigit((unsigned char)stamp[0])) {
		p = stamp + RFC3339_MINUTE_LEN;
		if (!fast_rfc3339_minute(stamp, &minute) ||
		    !fast_seconds(&p, end, &sec, &t.usec) ||
		    !fast_offset(&p, end, &t))
			return -1;
		t.wall = minute + sec;
	} else if (end - stamp > BSD_MINUTE_LEN &&
		   ascii_isalpha((unsigned char)stamp[0])) {
		p = stamp + BSD_MINUTE_LEN;
		if (!fast_bsd_minute(stamp, ref) ||
		    !fast_seconds(&p, end, &sec, &t.usec))
			return -1;
		t.wall = last_bsd.wall + sec;
		if (t.wall > last_bsd.limit)
			t.wall = last_bsd.wall_before + sec;
		t.year_inferred = true;
	} else {
		return -1;
	}

	/* The general path reads the stamp as far, and then needs a blank.
	 * Without one the line is no syslog line: a CSV row of Exchange's
	 * tracking log starts with a stamp and a comma. */
	if (p == end || (*p != ' ' && *p != '\t'))
		return 0;
	if (rfc5424 ? !fast_rfc5424_rest(p, end, out)
		    : !fast_rest(p, end, out))
		return -1;
	out->time = t;
	return 1;
}

size_t
sysline_parse_rfc3339(const char *s, size_t len, struct logtime *t)
{
	const char *p = s + RFC3339_MINUTE_LEN;
	int64_t minute;
	int sec;

	/* The stamp of the fast path of a whole line, alone: Exchange
	 * writes one on every row. */
	memset(t, 0, sizeof *t);
	if (len > RFC3339_MINUTE_LEN && ascii_isdigit((unsigned char)s[0]) &&
	    fast_rfc3339_minute(s, &minute) &&
	    fast_seconds(&p, s + len, &sec, &t->usec) &&
	    fast_offset(&p, s + len, t)) {
		t->wall = minute + sec;
		return (size_t)(p - s);
	}
	return sysline_parse_rfc3339_general(s, len, t);
}

bool
sysline_parse(const char *line, size_t len, const struct sysline_year *ref,
	      struct sysline *out)
{
	int fast = parse_fast(line, len, ref, out);

	if (fast >= 0)
		return fast == 1;
	return sysline_parse_general(line, len, ref, out);
}

void
sysline_year_from_time(struct sysline_year *ref, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL) {
		sysline_year_end(ref, 1970);
		return;
	}
	ref->year = tm.tm_year + 1900;
	ref->month = tm.tm_mon + 1;
	ref->limit = sysline_days_from_civil(ref->year, ref->month, tm.tm_mday) *
			     86400 +
		     tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

void
sysline_year_end(struct sysline_year *ref, int year)
{
	ref->year = year;
	ref->month = 12;
	ref->limit = 0;
}

char *
logtime_format(const struct logtime *t, char *buf, size_t len)
{
	int64_t days = t->wall >= 0 ? t->wall / 86400 : (t->wall - 86399) / 86400;
	int64_t secs = t->wall - days * 86400;
	/* Invert sysline_days_from_civil (same March-based era arithmetic). */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int day = (int)(doy - (153 * mp + 2) / 5 + 1);
	int month = (int)(mp < 10 ? mp + 3 : mp - 9);
	int64_t year = yoe + era * 400 + (month <= 2);
	char zone[8] = "";

	if (t->has_offset) {
		int off = t->offset_min < 0 ? -t->offset_min : t->offset_min;

		if (off == 0)
			snprintf(zone, sizeof zone, "Z");
		else
			snprintf(zone, sizeof zone, "%c%02d:%02d",
				 t->offset_min < 0 ? '-' : '+', off / 60,
				 off % 60);
	}
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%s", (long long)year,
		 month, day, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60), zone);
	return buf;
}
