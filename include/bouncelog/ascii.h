/* SPDX-License-Identifier: MIT */
/*
 * ascii.h - locale-independent character classes for the parsers
 *
 * Log parsing must give the same result under every locale.  <ctype.h>
 * follows LC_CTYPE (and is undefined for negative char values), and
 * strcasecmp() folds "I" to dotless "ı" under tr_TR, so the parsers use
 * these ASCII-only helpers instead.  Bytes >= 0x80 belong to no class.
 */
#ifndef BOUNCELOG_ASCII_H
#define BOUNCELOG_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline bool
ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool
ascii_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
ascii_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool
ascii_isalpha(int c)
{
	return ascii_isupper(c) || ascii_islower(c);
}

static inline bool
ascii_isalnum(int c)
{
	return ascii_isalpha(c) || ascii_isdigit(c);
}

static inline bool
ascii_isxdigit(int c)
{
	return ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Space or horizontal tab; CR and LF never occur inside a line. */
static inline bool
ascii_isblank(int c)
{
	return c == ' ' || c == '\t';
}

static inline int
ascii_tolower(int c)
{
	return ascii_isupper(c) ? c + ('a' - 'A') : c;
}

/* Compare n bytes ignoring ASCII case only; returns true when equal. */
static inline bool
ascii_casecmp_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_tolower((unsigned char)a[i]) !=
		    ascii_tolower((unsigned char)b[i]))
			return false;
	return true;
}

/*
 * A fixed text to search for without regard to ASCII case.  anchor is
 * the index of the byte that ascii_casefind() looks for with memchr()
 * before it compares the rest: a byte that is rare in log text (a colon,
 * an "=", an uncommon letter) gives few candidates.  Any index in
 * [0, len) gives the same result, so the choice only affects speed; an
 * index outside it is taken as 0.
 */
struct ascii_needle {
	const char *text;
	size_t len;
	size_t anchor;
};

/* An ascii_needle for a string literal. */
#define ASCII_NEEDLE(literal, anchor_index)                                  \
	{ (literal), sizeof(literal) - 1, (anchor_index) }

/* Find the first occurrence of needle in s[0..len), ignoring ASCII case
 * only; returns NULL when there is none. */
const char *ascii_casefind(const char *s, size_t len,
			   const struct ascii_needle *needle);

/*
 * Return the index of the byte of s[0..n) that is rarest in mail log
 * text, the first of equally rare ones, or 0 when n is 0.  The ranking is
 * fixed (see ascii.c), so the choice depends on s alone.
 */
size_t ascii_rare_index(const char *s, size_t n);

/* ascii_equal_n - memcmp() == 0 for short strings, without a call */
static inline bool
ascii_equal_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/*
 * Return the first place in s[0..len) where the n bytes at needle
 * occur, compared exactly, or NULL when there is none (n is at least
 * 1).  memchr() looks for needle[k] (k below n), and the rest is compared
 * only where that byte occurs, because a match at s[i] has it at
 * s[i + k].  k changes the speed, never the result.  Pass
 * ascii_rare_index(needle, n) so that memchr() stops at few places.
 */
static inline const char *
ascii_find(const char *s, size_t len, const char *needle, size_t n, size_t k)
{
	const char *from = s + k, *last;

	if (n > len)
		return NULL;
	last = s + k + (len - n);
	while (from <= last) {
		const char *p = memchr(from, needle[k],
				       (size_t)(last - from) + 1);

		if (p == NULL)
			return NULL;
		if (ascii_equal_n(p - k, needle, n))
			return p - k;
		from = p + 1;
	}
	return NULL;
}

/* True when s[0..len) contains the n bytes at needle; k as for
 * ascii_find(). */
static inline bool
ascii_contains(const char *s, size_t len, const char *needle, size_t n,
	       size_t k)
{
	return ascii_find(s, len, needle, n, k) != NULL;
}

#endif
