/* SPDX-License-Identifier: MIT */
/*
 * dayshift.c - stream a log several times as consecutive days, for
 * measuring memory on long inputs without writing them to disk
 *
 * Usage: dayshift DAYS FILE
 *
 * Writes FILE to standard output DAYS times.  Copy k (from 0) has the
 * date of every line's timestamp moved k days later.  The date is an
 * RFC 3339 one ("YYYY-MM-DDT...") or a BSD syslog one ("Nov 19 ...",
 * shifted in the calendar of 2024).  It may follow a syslog priority
 * ("<22>") and an RFC 5424 version ("1 ").  Each word of 10 to 17 letters and
 * digits with at least one digit and one upper-case letter (a Postfix
 * queue id, short or long) has its first character moved k places among
 * the digits or letters of its case, so that queue ids of one copy
 * almost never repeat those of another (copies 0 and 10 have the same
 * ids).  Other timestamps are copied unchanged.  Exits with 1 and a message
 * on standard error when FILE cannot be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES (1u << 20)
#define BSD_YEAR 2024

/* days_from_civil - days since 1970-01-01 of a proleptic Gregorian date */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* civil_from_days - the inverse of days_from_civil */
static void
civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n, long *out)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* shift_iso - move a "YYYY-MM-DDT" date days later, in place */
static void
shift_iso(char *p, size_t len, long days)
{
	long y, m, d;
	char buf[32];

	if (len < 11 || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    !digits(p, 4, &y) || !digits(p + 5, 2, &m) ||
	    !digits(p + 8, 2, &d))
		return;
	civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return;
	snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y % 10000, m % 100,
		 d % 100);
	memcpy(p, buf, 10);
}

/* shift_bsd - move a "Mmm DD " date days later, in place; the year is
 * not logged, so the calendar of BSD_YEAR is used */
static void
shift_bsd(char *p, size_t len, long days)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	long y, m, d;
	const char *at;
	char buf[32];

	if (len < 7 || p[3] != ' ' || p[6] != ' ' ||
	    (at = strstr(months, (char[]){p[0], p[1], p[2], 0})) == NULL ||
	    (at - months) % 3 != 0)
		return;
	if (!digits(p + 5, 1, &d) ||
	    (p[4] != ' ' && !digits(p + 4, 2, &d)))
		return;
	m = (at - months) / 3 + 1;
	civil_from_days(days_from_civil(BSD_YEAR, m, d) + days, &y, &m, &d);
	snprintf(buf, sizeof buf, "%.3s %2ld", months + 3 * (m - 1), d % 100);
	memcpy(p, buf, 6);
}

/* shift_date - move the date of a line's timestamp days later, in
 * place, after a syslog priority "<N>" and an RFC 5424 version "1 " */
static void
shift_date(char *line, size_t len, long days)
{
	size_t i = 0;

	if (days == 0)
		return;
	if (len > 0 && line[0] == '<') {
		while (i < len && i < 5 && line[i] != '>')
			i++;
		if (i == len || line[i] != '>')
			return;
		i++;
		if (i + 1 < len && line[i] == '1' && line[i + 1] == ' ')
			i += 2;
	}
	if (i < len && line[i] >= '0' && line[i] <= '9')
		shift_iso(line + i, len - i, days);
	else
		shift_bsd(line + i, len - i, days);
}

static int
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/* rotate - c moved k places within its class (digit, upper or lower) */
static char
rotate(int c, int k)
{
	if (c >= '0' && c <= '9')
		return (char)('0' + (c - '0' + k) % 10);
	if (c >= 'A' && c <= 'Z')
		return (char)('A' + (c - 'A' + k) % 26);
	return (char)('a' + (c - 'a' + k) % 26);
}

/* rotate_ids - rotate the first character of each word that looks like
 * a queue id by k, in place */
static void
rotate_ids(char *line, size_t len, int k)
{
	size_t i = 0;

	while (k != 0 && i < len) {
		size_t j = i;
		int upper = 0, digit = 0;

		for (; j < len && is_alnum((unsigned char)line[j]); j++) {
			upper |= line[j] >= 'A' && line[j] <= 'Z';
			digit |= line[j] >= '0' && line[j] <= '9';
		}
		if (j - i >= 10 && j - i <= 17 && upper && digit &&
		    (j == len || line[j] != '.'))
			line[i] = rotate((unsigned char)line[i], k);
		i = j > i ? j : i + 1;
	}
}

int
main(int argc, char **argv)
{
	char *line;
	long days;

	if (argc != 3 || (days = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: dayshift DAYS FILE\n");
		return 1;
	}
	line = malloc(LINE_MAX_BYTES);
	if (line == NULL)
		return 1;
	for (long k = 0; k < days; k++) {
		FILE *in = fopen(argv[2], "r");

		if (in == NULL) {
			fprintf(stderr, "dayshift: %s: %s\n", argv[2],
				strerror(errno));
			return 1;
		}
		while (fgets(line, LINE_MAX_BYTES, in) != NULL) {
			size_t len = strlen(line);

			shift_date(line, len, k);
			rotate_ids(line, len, (int)(k % 10));
			fwrite(line, 1, len, stdout);
		}
		fclose(in);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
