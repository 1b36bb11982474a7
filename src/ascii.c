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

/*
 * The printable ASCII bytes from the most to the least frequent in mail
 * log text.  Made by counting every byte (newlines left out) of the log
 * files of fixtures/ and of public Postfix, Exim, Sendmail, OpenSMTPD
 * and Exchange sample logs, about 600 kB in all, and sorting by count.
 * The space, "0", "e" and "1" lead; "=" is about as frequent as "x",
 * because every Postfix delivery line carries five to seven "key="
 * fields.  Other bytes (controls, bytes >= 0x80) count as rarer than
 * all of these.  Only the order matters, and only for speed.
 */
static const char by_frequency[] =
    " 0e1.to2sr:aminl3d-459cp=x,f76Tuvy[]8g@bh<C>A\"/SERHPLM()OD_NBkIFqUw"
    "*+jZz%QXGJV\\K;#Y{}W'?|&!`$~^";

/* rarity - higher for a rarer byte */
static size_t
rarity(unsigned char c)
{
	const char *at = c != 0 ? strchr(by_frequency, c) : NULL;

	return at != NULL ? (size_t)(at - by_frequency) : sizeof by_frequency;
}

size_t
ascii_rare_index(const char *s, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++)
		if (rarity((unsigned char)s[i]) >
		    rarity((unsigned char)s[best]))
			best = i;
	return best;
}
