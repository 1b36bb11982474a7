/* SPDX-License-Identifier: MIT */
/*
 * status.c - SMTP reply codes and enhanced status codes
 */
#include <stdio.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/status.h"

/* parse_number - read 1 to 3 digits at s[*i]; returns -1 on no digits */
static int
parse_number(const char *s, size_t len, size_t *i)
{
	int value = 0;
	size_t start = *i;

	while (*i < len && ascii_isdigit((unsigned char)s[*i])) {
		if (*i - start == 3)
			return -1;
		value = value * 10 + (s[*i] - '0');
		(*i)++;
	}
	return *i == start ? -1 : value;
}

size_t
status_parse_enhanced(const char *s, size_t len, struct enh_status *out)
{
	size_t i = 1;
	int subject, detail;

	memset(out, 0, sizeof *out);
	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;

	i = 2;
	subject = parse_number(s, len, &i);
	if (subject < 0 || i >= len || s[i] != '.')
		return 0;
	i++;
	detail = parse_number(s, len, &i);
	if (detail < 0)
		return 0;

	/* A trailing ".digit" or letter means this was something else. */
	if (i < len && (ascii_isalnum((unsigned char)s[i]) ||
			(s[i] == '.' && i + 1 < len &&
			 ascii_isdigit((unsigned char)s[i + 1]))))
		return 0;

	out->cls = (unsigned char)(s[0] - '0');
	out->subject = (unsigned short)subject;
	out->detail = (unsigned short)detail;
	return i;
}

/* is_code_boundary - may an enhanced code start right after byte c? */
static bool
is_code_boundary(char c)
{
	return ascii_isblank((unsigned char)c) || c == '(' || c == '[' ||
	       c == '#' || c == '<' || c == '=' || c == '-' || c == '"' ||
	       c == '\'';
}

bool
status_find_enhanced(const char *s, size_t len, struct enh_status *out,
		     size_t *pos)
{
	for (size_t i = 0; i + 5 <= len; i++) {
		if (s[i] != '2' && s[i] != '4' && s[i] != '5')
			continue;
		if (i > 0 && !is_code_boundary(s[i - 1]))
			continue;
		if (status_parse_enhanced(s + i, len - i, out) > 0) {
			if (pos != NULL)
				*pos = i;
			return true;
		}
	}
	memset(out, 0, sizeof *out);
	return false;
}

int
status_parse_reply(const char *s, size_t len)
{
	if (len < 3 || s[0] < '2' || s[0] > '5' ||
	    !ascii_isdigit((unsigned char)s[1]) ||
	    !ascii_isdigit((unsigned char)s[2]))
		return 0;
	if (len > 3 && !ascii_isblank((unsigned char)s[3]) && s[3] != '-')
		return 0;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* put_decimal - write v (below 1000) at p in decimal without leading
 * zeros, and return the end */
static char *
put_decimal(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * status_format_enhanced - the text of snprintf("%u.%u.%u"), written
 * digit by digit because the tally formats the code of every failure.
 * Parsed codes never exceed 999; the modulus keeps any value to three
 * digits, so the text fits ENH_STATUS_LEN.
 */
char *
status_format_enhanced(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	char *p = buf;

	p = put_decimal(p, (unsigned)st->cls % 10);
	*p++ = '.';
	p = put_decimal(p, (unsigned)st->subject % 1000);
	*p++ = '.';
	p = put_decimal(p, (unsigned)st->detail % 1000);
	*p = '\0';
	return buf;
}

char *
status_format_reply(int code, char buf[ENH_STATUS_LEN])
{
	/* Reply codes have three digits, so this is the common case. */
	if (code >= 0 && code <= 999) {
		buf[0] = (char)('0' + code / 100);
		buf[1] = (char)('0' + code / 10 % 10);
		buf[2] = (char)('0' + code % 10);
		buf[3] = '\0';
		return buf;
	}
	snprintf(buf, ENH_STATUS_LEN, "%03d", code);
	return buf;
}
