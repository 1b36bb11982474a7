/* SPDX-License-Identifier: MIT */
/*
 * ascii.c - the caseless substring search of ascii.h
 */
#include <string.h>

#include "bouncelog/ascii.h"

/* next_byte - the first byte c in [from, last], or NULL */
static const char *
next_byte(const char *from, const char *last, int c)
{
	return from <= last ? memchr(from, c, (size_t)(last - from) + 1)
			    : NULL;
}

const char *
ascii_casefind(const char *s, size_t len, const struct ascii_needle *needle)
{
	size_t n = needle->len, anchor = needle->anchor;
	int lower, upper;
	const char *last, *at_lower, *at_upper;

	if (n == 0 || n > len)
		return NULL;
	if (anchor >= n)
		anchor = 0;

	/*
	 * A match that starts at s[i] has the anchor byte at s[i + anchor],
	 * and i runs from 0 to len - n.  A letter is looked for in both
	 * cases, and the nearer of the two is tried first, so candidates
	 * come in order of i and the first match found is the first
	 * occurrence.
	 */
	lower = ascii_tolower((unsigned char)needle->text[anchor]);
	upper = ascii_islower(lower) ? lower - ('a' - 'A') : lower;
	last = s + anchor + (len - n);
	at_lower = next_byte(s + anchor, last, lower);
	at_upper = upper != lower ? next_byte(s + anchor, last, upper) : NULL;
	while (at_lower != NULL || at_upper != NULL) {
		const char *p = at_lower;

		if (p == NULL || (at_upper != NULL && at_upper < p))
			p = at_upper;

		if (ascii_casecmp_n(p - anchor, needle->text, n))
			return p - anchor;
		if (p == at_lower)
			at_lower = next_byte(p + 1, last, lower);
		else
			at_upper = next_byte(p + 1, last, upper);
	}
	return NULL;
}
