/* SPDX-License-Identifier: MIT */
/*
 * ascii.c - the caseless substring search of ascii.h
 */
#include <string.h>

#include "bouncelog/ascii.h"

/* next_byte - the first c in [from, last], or NULL */
static const char *
next_byte(const char *from, const char *last, int c)
{
	return from <= last ? memchr(from, c, (size_t)(last - from) + 1)
			    : NULL;
}

const char *
ascii_casefind(const char *s, size_t len, const struct ascii_needle *needle)
{
	size_t n = needle->len, k = needle->anchor;
	int lower, upper;
	const char *last, *lo, *up;

	if (n == 0 || n > len)
		return NULL;
	if (k >= n)
		k = 0;

	/*
	 * A match that starts at s[i] has the anchor byte at s[i + k], and
	 * i runs from 0 to len - n.  A letter is looked for in both cases,
	 * and the nearer of the two is tried first, so candidates come in
	 * order of i and the first match found is the first occurrence.
	 */
	lower = ascii_tolower((unsigned char)needle->text[k]);
	upper = ascii_islower(lower) ? lower - ('a' - 'A') : lower;
	last = s + k + (len - n);
	lo = next_byte(s + k, last, lower);
	up = upper != lower ? next_byte(s + k, last, upper) : NULL;
	while (lo != NULL || up != NULL) {
		const char *p = up == NULL || (lo != NULL && lo < up) ? lo : up;

		if (ascii_casecmp_n(p - k, needle->text, n))
			return p - k;
		if (p == lo)
			lo = next_byte(p + 1, last, lower);
		else
			up = next_byte(p + 1, last, upper);
	}
	return NULL;
}
