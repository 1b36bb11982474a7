/* SPDX-License-Identifier: MIT */
/*
 * status.h - SMTP reply codes and enhanced status codes
 *
 * A reply code is the three-digit number of RFC 5321 section 4.2 (first
 * digit 2 to 5).  An enhanced status code is class.subject.detail of
 * RFC 3463: class 2, 4 or 5, then subject and detail of 1 to 3 digits each
 * ("5.01.1" parses as 5.1.1).  These parsers work on
 * byte spans, never depend on the locale, and reject anything else.
 */
#ifndef BOUNCELOG_STATUS_H
#define BOUNCELOG_STATUS_H

#include <stdbool.h>
#include <stddef.h>

/* Longest formatted enhanced code, "5.999.999", with its NUL. */
#define ENH_STATUS_LEN 10

struct enh_status {
	unsigned char cls;	 /* 2, 4 or 5; 0 when absent */
	unsigned short subject;	 /* 0 to 999 */
	unsigned short detail;	 /* 0 to 999 */
};

static inline bool
enh_status_present(const struct enh_status *st)
{
	return st->cls != 0;
}

/*
 * Parse an enhanced status code at the start of s (len bytes).  The code
 * must end at len or before a byte that is not a digit or letter, and not
 * before a dot followed by a digit: "5.1.1", "5.1.1:" and "5.1.1." (the end
 * of a sentence) parse, while "5.1.1.2", "5.1.1a" and "10.1.1" do not.
 * Returns the number of bytes consumed, or 0 when s does not start with a
 * code (then *out is cleared).
 */
size_t status_parse_enhanced(const char *s, size_t len, struct enh_status *out);

/*
 * Find the first enhanced status code in s that is set apart: preceded by
 * the start, a blank, "(", "[", "#", "<", "=" or "-" (as in "550-5.7.1").
 * Returns true and fills *out; *pos (may be NULL) gets its offset.
 */
bool status_find_enhanced(const char *s, size_t len, struct enh_status *out,
			  size_t *pos);

/*
 * Parse a reply code at the start of s: three digits, the first 2 to 5,
 * followed by the end, a blank or "-".  Returns the code or 0.
 */
int status_parse_reply(const char *s, size_t len);

/* Write st as "C.S.D" into buf (ENH_STATUS_LEN bytes); returns buf. */
char *status_format_enhanced(const struct enh_status *st,
			     char buf[ENH_STATUS_LEN]);

/*
 * Write code as snprintf(buf, ENH_STATUS_LEN, "%03d") does, cut to fit
 * in the same way, and return buf.  The tally keys every failure so.
 */
char *status_format_reply(int code, char buf[ENH_STATUS_LEN]);

/* Compare two codes: equal when class, subject and detail are all equal. */
static inline bool
enh_status_equal(const struct enh_status *a, const struct enh_status *b)
{
	return a->cls == b->cls && a->subject == b->subject &&
	       a->detail == b->detail;
}

#endif
