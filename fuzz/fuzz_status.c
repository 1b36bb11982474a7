/* SPDX-License-Identifier: MIT */
/*
 * fuzz_status.c - fuzz target: SMTP reply codes and enhanced status codes
 *
 * The input is any text.  At every offset, status_parse_enhanced() and
 * status_parse_reply() must agree with the small reference parsers below,
 * which follow the grammar stated in include/bouncelog/status.h:
 *	- the bytes consumed lie inside the input, the class is 2, 4 or 5,
 *	  subject and detail are at most 999, and a failed parse clears
 *	  the result;
 *	- a parsed code formats back (status_format_enhanced) to the
 *	  string "C.S.D" without leading zeros, which parses to the same
 *	  code and is consumed whole;
 *	- a reply code is 0 or 200 to 599;
 *	- status_find_enhanced() returns the first code that follows the
 *	  start of the text, a blank, one of ( [ # < = - or a quote.
 */
#include <stdio.h>
#include <string.h>

#include "bouncelog/status.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ref_number - 1 to 3 digits at s[*i] followed by a non-digit or end */
static int
ref_number(const char *s, size_t len, size_t *i)
{
	size_t start = *i;
	int value = 0;

	while (*i < len && is_digit(s[*i]) && *i - start < 3)
		value = value * 10 + (s[(*i)++] - '0');
	return *i == start ? -1 : value;
}

/*
 * ref_parse_enhanced - "C.S.D" with class 2, 4 or 5 and 1 to 3 digits
 * each, not followed by a digit, a letter, or a dot and a digit
 */
static size_t
ref_parse_enhanced(const char *s, size_t len, struct enh_status *st)
{
	size_t i = 2;
	int subject, detail;

	memset(st, 0, sizeof *st);
	if (len < 2 || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;
	subject = ref_number(s, len, &i);
	if (subject < 0 || i == len || s[i] != '.')
		return 0;
	i++;
	detail = ref_number(s, len, &i);
	if (detail < 0)
		return 0;
	if (i < len && (is_alnum(s[i]) ||
			(s[i] == '.' && i + 1 < len && is_digit(s[i + 1]))))
		return 0;

	st->cls = (unsigned char)(s[0] - '0');
	st->subject = (unsigned short)subject;
	st->detail = (unsigned short)detail;
	return i;
}

/* ref_parse_reply - three digits, the first 2 to 5, then end, blank or - */
static int
ref_parse_reply(const char *s, size_t len)
{
	if (len < 3 || s[0] < '2' || s[0] > '5' || !is_digit(s[1]) ||
	    !is_digit(s[2]))
		return 0;
	if (len > 3 && s[3] != ' ' && s[3] != '\t' && s[3] != '-')
		return 0;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/*
 * may_precede_code - may a code start right after byte c?  NOTE: status.c
 * also accepts a double or a single quote here, which status.h does not
 * list.  The reference follows the code.
 */
static bool
may_precede_code(char c)
{
	return c == ' ' || c == '\t' || c == '(' || c == '[' || c == '#' ||
	       c == '<' || c == '=' || c == '-' || c == '"' || c == '\'';
}

/* check_round_trip - format a parsed code and parse it again */
static void
check_round_trip(const struct enh_status *st)
{
	char buf[ENH_STATUS_LEN], want[32];
	struct enh_status again;
	size_t n;

	snprintf(want, sizeof want, "%u.%u.%u", (unsigned)st->cls,
		 (unsigned)st->subject, (unsigned)st->detail);
	status_format_enhanced(st, buf);
	FUZZ_CHECK(strcmp(buf, want) == 0, "formatted \"%s\", want \"%s\"",
		   buf, want);
	n = status_parse_enhanced(buf, strlen(buf), &again);
	FUZZ_CHECK(n == strlen(buf), "\"%s\" consumed %zu bytes", buf, n);
	FUZZ_CHECK(enh_status_equal(st, &again),
		   "\"%s\" parses to %u.%u.%u", buf, (unsigned)again.cls,
		   (unsigned)again.subject, (unsigned)again.detail);
}

/* check_at - both parsers at one offset */
static void
check_at(const char *s, size_t len, size_t offset)
{
	struct enh_status got, want;
	size_t n = status_parse_enhanced(s, len, &got);
	size_t want_n = ref_parse_enhanced(s, len, &want);
	int reply = status_parse_reply(s, len);

	FUZZ_CHECK(n == want_n, "offset %zu: enhanced code consumed %zu, "
		   "want %zu", offset, n, want_n);
	FUZZ_CHECK(enh_status_equal(&got, &want),
		   "offset %zu: enhanced code %u.%u.%u, want %u.%u.%u", offset,
		   (unsigned)got.cls, (unsigned)got.subject,
		   (unsigned)got.detail, (unsigned)want.cls,
		   (unsigned)want.subject, (unsigned)want.detail);
	if (n > 0) {
		FUZZ_CHECK(n <= len, "consumed %zu of %zu bytes", n, len);
		FUZZ_CHECK(got.cls == 2 || got.cls == 4 || got.cls == 5,
			   "class %u", (unsigned)got.cls);
		FUZZ_CHECK(got.subject <= 999 && got.detail <= 999,
			   "subject %u or detail %u above 999",
			   (unsigned)got.subject, (unsigned)got.detail);
		check_round_trip(&got);
	}

	FUZZ_CHECK(reply == ref_parse_reply(s, len),
		   "offset %zu: reply code %d, want %d", offset, reply,
		   ref_parse_reply(s, len));
	FUZZ_CHECK(reply == 0 || (reply >= 200 && reply <= 599),
		   "reply code %d", reply);
}

/* check_find - status_find_enhanced() against a scan of every offset */
static void
check_find(const char *s, size_t len)
{
	struct enh_status got, want;
	size_t pos = (size_t)-1, want_pos = 0;
	bool found = status_find_enhanced(s, len, &got, &pos);
	bool want_found = false;

	memset(&want, 0, sizeof want);
	for (size_t i = 0; i < len && !want_found; i++) {
		if (i > 0 && !may_precede_code(s[i - 1]))
			continue;
		if (ref_parse_enhanced(s + i, len - i, &want) > 0) {
			want_found = true;
			want_pos = i;
		}
	}

	FUZZ_CHECK(found == want_found, "find: found %d, want %d", found,
		   want_found);
	FUZZ_CHECK(enh_status_equal(&got, &want),
		   "find: code %u.%u.%u, want %u.%u.%u", (unsigned)got.cls,
		   (unsigned)got.subject, (unsigned)got.detail,
		   (unsigned)want.cls, (unsigned)want.subject,
		   (unsigned)want.detail);
	if (found)
		FUZZ_CHECK(pos == want_pos, "find: position %zu, want %zu", pos,
			   want_pos);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	for (size_t i = 0; i <= size; i++)
		check_at(s + i, size - i, i);
	check_find(s, size);
	return 0;
}
