/* SPDX-License-Identifier: MIT */
/*
 * harness.c - checks shared by the fuzz targets
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "harness.h"

static unsigned long diag_errors;
static unsigned long diag_lines;
static char diag_last[DIAG_LINE_MAX + 8];

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("invariant failed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * RFC 3629 section 4: after the lead byte, each trail byte is 80..bf,
 * except the first trail byte after e0 (a0..bf), ed (80..9f), f0 (90..bf)
 * and f4 (80..8f), which rule out overlong forms, surrogates and code
 * points past U+10FFFF.
 */
size_t
fuzz_utf8_length(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] <= 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;

	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;

	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool
fuzz_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = fuzz_utf8_length(s + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

bool
fuzz_is_bidi_control(const unsigned char *s, size_t n)
{
	unsigned long cp = s[0] & (n == 1 ? 0x7f : 0x3f >> (n - 1));

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void
fuzz_check_safe_text(const char *what, const char *s, size_t len,
		     bool allow_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = fuzz_utf8_length(p + i, len - i);

		FUZZ_CHECK(n > 0, "%s: invalid UTF-8 byte 0x%02x at offset %zu",
			   what, p[i], i);
		if (n == 1 && p[i] == '\n' && allow_newline) {
			i++;
			continue;
		}
		FUZZ_CHECK(!(n == 1 && (p[i] < 0x20 || p[i] == 0x7f)),
			   "%s: control byte 0x%02x at offset %zu", what, p[i],
			   i);
		FUZZ_CHECK(!(n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0),
			   "%s: C1 control U+00%02X at offset %zu", what,
			   p[i + 1], i);
		FUZZ_CHECK(!fuzz_is_bidi_control(p + i, n),
			   "%s: bidirectional control at offset %zu", what, i);
		i += n;
	}
}

void
fuzz_check_span(const char *what, struct span s, const char *base,
		size_t len)
{
	volatile unsigned char sum = 0;

	if (s.ptr == NULL) {
		FUZZ_CHECK(s.len == 0, "%s: absent span with length %zu", what,
			   s.len);
		return;
	}

	/* Read every byte first, so that AddressSanitizer names a span into
	 * freed or unallocated memory as such. */
	for (size_t i = 0; i < s.len; i++)
		sum += (unsigned char)s.ptr[i];
	(void)sum;
	FUZZ_CHECK(s.ptr >= base && s.ptr <= base + len,
		   "%s: span starts outside the line (offset %td of %zu)",
		   what, s.ptr - base, len);
	FUZZ_CHECK(s.len <= (size_t)(base + len - s.ptr),
		   "%s: span of %zu bytes at offset %td ends past the line "
		   "of %zu bytes",
		   what, s.len, s.ptr - base, len);
}

bool
fuzz_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	return month == 2 && fuzz_is_leap(year) ? 29 : days[month - 1];
}

/* read_number - exactly n digits at s */
static bool
read_number(const char *s, int n, int *value)
{
	*value = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*value = *value * 10 + (s[i] - '0');
	}
	return true;
}

bool
fuzz_parse_stamp(const char *s, struct fuzz_stamp *c)
{
	size_t len = strlen(s);
	int hh, mm;

	if (len < 19 || !read_number(s, 4, &c->year) || s[4] != '-' ||
	    !read_number(s + 5, 2, &c->month) || s[7] != '-' ||
	    !read_number(s + 8, 2, &c->day) || s[10] != 'T' ||
	    !read_number(s + 11, 2, &c->hour) || s[13] != ':' ||
	    !read_number(s + 14, 2, &c->min) || s[16] != ':' ||
	    !read_number(s + 17, 2, &c->sec))
		return false;
	if (c->month < 1 || c->month > 12 || c->day < 1 ||
	    c->day > days_in_month(c->year, c->month) || c->hour > 23 ||
	    c->min > 59 || c->sec > 59)
		return false;

	c->has_offset = len > 19;
	c->offset_min = 0;
	if (len == 19 || (len == 20 && s[19] == 'Z'))
		return true;
	if (len != 25 || (s[19] != '+' && s[19] != '-') ||
	    !read_number(s + 20, 2, &hh) || s[22] != ':' ||
	    !read_number(s + 23, 2, &mm) || hh > 23 || mm > 59)
		return false;
	c->offset_min = (s[19] == '-' ? -1 : 1) * (hh * 60 + mm);
	return true;
}

void
fuzz_memout_open(struct fuzz_memout *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	FUZZ_CHECK(m->fp != NULL, "open_memstream failed");
}

void
fuzz_memout_close(struct fuzz_memout *m)
{
	FUZZ_CHECK(fclose(m->fp) == 0, "writing to a memory stream failed");
	m->fp = NULL;
}

/* check_diag_line - the sink: every diagnostic is one safe line */
static void
check_diag_line(enum diag_level level, const char *line, void *arg)
{
	size_t len = strlen(line);

	(void)arg;
	diag_lines++;
	if (level == DIAG_ERROR)
		diag_errors++;
	FUZZ_CHECK(len <= DIAG_LINE_MAX,
		   "diagnostic of %zu bytes is longer than DIAG_LINE_MAX", len);
	memcpy(diag_last, line, len + 1);

	FUZZ_CHECK(strncmp(line, "bouncelog: ", 11) == 0,
		   "diagnostic without the \"bouncelog: \" prefix: %s", line);
	fuzz_check_safe_text("diagnostic", line, len, false);
}

void
fuzz_diag_capture(void)
{
	diag_set_sink(check_diag_line, NULL);
}

unsigned long
fuzz_diag_errors(void)
{
	return diag_errors;
}

unsigned long
fuzz_diag_lines(void)
{
	return diag_lines;
}

const char *
fuzz_diag_last(void)
{
	return diag_last;
}
