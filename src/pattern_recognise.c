/* SPDX-License-Identifier: MIT */
/*
 * pattern_recognise.c - hand-written matchers for built-in extractor rules
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdbool.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "pattern_recognise.h"

/*
 * The delivery rule of patterns/postfix.pat.  Its groups, by number:
 * 1 qid, 2 to (in angle brackets), 3 to (bare), 4 fields, 5 status,
 * 6 text.
 */
static const char delivery_regex[] =
    "^(?<qid>[0-9A-Za-z]{5,}): to=(?:<(?<to>[^>]*)>|(?<to>[^,\\s]*)), "
    "(?<fields>(?:[a-z_]+=[^,]*, )*?)status=(?<status>[A-Za-z-]+)"
    "(?: \\((?<text>.*))?$";

/* Most "key=value, " fields before status= that the recogniser reads;
 * lines with more go through PCRE2, so that the backtracking of the
 * lazy field group stays far below the limits. */
#define DELIVERY_FIELDS_MAX 64

/* is_space - PCRE2's \s without UCP: tab, LF, VT, FF, CR and space */
static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* is_key_byte - [a-z_] */
static bool
is_key_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

enum tail {
	TAIL_NO,     /* the rest cannot match at this position */
	TAIL_MATCH,
	TAIL_UNSURE, /* a newline is involved: leave it to PCRE2 */
};

/*
 * delivery_tail - match "status=(?<status>[A-Za-z-]+)(?: \((?<text>.*))?$"
 * at s[p]; on TAIL_MATCH, *status_end is the end of the status word and
 * *text_at the start of the text, or 0 when there is none.
 *
 * The status word is a maximal run, because a shorter one would be
 * followed by a letter or "-", which neither " (" nor the end accepts.
 * ".*" stops at a newline and "$" also matches before a final newline,
 * so any newline after the status word makes the result unsure.
 */
static enum tail
delivery_tail(const char *s, size_t len, size_t p, size_t *status_end,
	      size_t *text_at)
{
	size_t e = p + 7;

	if (len - p < 7 || memcmp(s + p, "status=", 7) != 0)
		return TAIL_NO;
	while (e < len && (ascii_isalpha((unsigned char)s[e]) || s[e] == '-'))
		e++;
	if (e == p + 7)
		return TAIL_NO;
	*status_end = e;
	*text_at = 0;
	if (e == len)
		return TAIL_MATCH;
	if (memchr(s + e, '\n', len - e) != NULL)
		return TAIL_UNSURE;
	if (len - e >= 2 && s[e] == ' ' && s[e + 1] == '(') {
		*text_at = e + 2;
		return TAIL_MATCH;
	}
	return TAIL_NO;
}

/*
 * delivery_to - the recipient after "to=" at s[p]: "<...>" up to the
 * first ">", else a run of bytes other than "," and \s.  Either must be
 * followed by ", ".  Returns the position after ", ", or 0 when the
 * line is not of that shape.  *angle is true when the first group took
 * the recipient.
 *
 * A recipient in angle brackets followed by ", " decides: [^>]* can only
 * end at the first ">".  PCRE2 would try the bare form only if the rest
 * of the line failed, and then the caller is unsure anyway.
 */
static size_t
delivery_to(const char *s, size_t len, size_t p, size_t *from, size_t *to,
	    bool *angle)
{
	if (p < len && s[p] == '<') {
		const char *close = memchr(s + p + 1, '>', len - p - 1);

		if (close == NULL)
			return 0;
		*from = p + 1;
		*to = (size_t)(close - s);
		*angle = true;
		p = *to + 1;
	} else {
		*from = p;
		while (p < len && s[p] != ',' && !is_space((unsigned char)s[p]))
			p++;
		*to = p;
		*angle = false;
	}
	if (len - p < 2 || s[p] != ',' || s[p + 1] != ' ')
		return 0;
	return p + 2;
}

/* delivery_field - the position after the "key=value, " field at s[p],
 * or 0 when none starts there */
static size_t
delivery_field(const char *s, size_t len, size_t p)
{
	size_t k = p;
	const char *comma;

	while (k < len && is_key_byte((unsigned char)s[k]))
		k++;
	if (k == p || k == len || s[k] != '=')
		return 0;
	comma = memchr(s + k + 1, ',', len - k - 1);
	if (comma == NULL || (size_t)(comma - s) + 1 >= len || comma[1] != ' ')
		return 0;
	return (size_t)(comma - s) + 2;
}

/* set_pair - the offsets of group g */
static void
set_pair(size_t *ovector, unsigned g, size_t from, size_t to)
{
	ovector[2 * g] = from;
	ovector[2 * g + 1] = to;
}

/*
 * recognise_postfix_delivery - the delivery rule.  The queue id is a maximal
 * run of letters and digits, since ":" cannot continue it.  Each field
 * is deterministic as well: the key is a maximal [a-z_] run before "=",
 * and the value ends at the first ",".  The lazy field group tries zero
 * fields first, then one more at a time, so the first position from
 * which the status tail matches gives PCRE2's match.
 */
enum recognise_result
recognise_postfix_delivery(const char *s, size_t len, size_t *ovector,
			   unsigned *pairs)
{
	size_t qid_end = 0, to_from, to_to, fields, p;
	size_t status_end, text_at;
	bool angle;

	while (qid_end < len && ascii_isalnum((unsigned char)s[qid_end]))
		qid_end++;
	if (qid_end < 5 || len - qid_end < 5 ||
	    memcmp(s + qid_end, ": to=", 5) != 0)
		return RECOGNISE_UNSURE;
	fields = delivery_to(s, len, qid_end + 5, &to_from, &to_to, &angle);
	if (fields == 0)
		return RECOGNISE_UNSURE;

	p = fields;
	for (unsigned n = 0;; n++) {
		enum tail t = delivery_tail(s, len, p, &status_end, &text_at);

		if (t == TAIL_MATCH)
			break;
		if (t == TAIL_UNSURE || n == DELIVERY_FIELDS_MAX)
			return RECOGNISE_UNSURE;
		p = delivery_field(s, len, p);
		if (p == 0)
			return RECOGNISE_UNSURE;
	}

	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, qid_end);
	if (angle) {
		set_pair(ovector, 2, to_from, to_to);
		set_pair(ovector, 3, PCRE2_UNSET, PCRE2_UNSET);
	} else {
		set_pair(ovector, 2, PCRE2_UNSET, PCRE2_UNSET);
		set_pair(ovector, 3, to_from, to_to);
	}
	set_pair(ovector, 4, fields, p);
	set_pair(ovector, 5, p + 7, status_end);
	*pairs = 6;
	if (text_at != 0) {
		set_pair(ovector, 6, text_at, len);
		*pairs = 7;
	}
	return RECOGNISE_MATCH;
}

/* The recognisers, by the regular expression each stands for. */
static const struct {
	const char *regex;
	size_t len;
	pattern_recogniser recognise;
} recognisers[] = {
    {delivery_regex, sizeof delivery_regex - 1, recognise_postfix_delivery},
};

pattern_recogniser
pattern_recogniser_find(const char *regex, size_t len)
{
	for (size_t i = 0; i < sizeof recognisers / sizeof recognisers[0]; i++)
		if (len == recognisers[i].len &&
		    memcmp(regex, recognisers[i].regex, len) == 0)
			return recognisers[i].recognise;
	return NULL;
}
