/* SPDX-License-Identifier: MIT */
/*
 * escape.c - writing log-derived bytes safely
 */
#include <stdint.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/escape.h"

size_t
utf8_sequence_len(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;

	cp = c & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* U+FFFD in UTF-8, which stands for each invalid byte. */
static const char replacement[] = "\xef\xbf\xbd";

/* The top bit of each byte of a word.  Eight ASCII bytes have none set. */
#define HIGH_BITS 0x8080808080808080u

/* Each byte of a word set to 0x01. */
#define LOW_BYTES 0x0101010101010101u

/* load_word - load the eight bytes at s, in memory order on any host */
static inline uint64_t
load_word(const char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof w);
	return w;
}

/*
 * lower_word - lower-case each byte from 'A' to 'Z' of w, a word of ASCII
 * bytes only.  Adding a value below 0x40 to a byte below 0x80 cannot
 * carry into the next byte, so the top bit of each sum shows whether the
 * byte is at least 'A', or above 'Z'.  A capital then gets 0x20 added,
 * which is 0x80 shifted right by two.
 */
static inline uint64_t
lower_word(uint64_t w)
{
	uint64_t from_a = w + (0x80 - 'A') * LOW_BYTES;
	uint64_t past_z = w + (0x80 - 'Z' - 1) * LOW_BYTES;

	return w | ((from_a & ~past_z & HIGH_BITS) >> 2);
}

/*
 * next_char - the character at s[*i], as utf8_repair() copies it: a
 * valid sequence as it is, an invalid byte as replacement.  Sets *width
 * to its length in the copy, moves *i past it and returns its bytes.
 */
static const char *
next_char(const char *s, size_t len, size_t *i, size_t *width)
{
	size_t k = utf8_sequence_len((const unsigned char *)s + *i, len - *i);
	const char *from = s + *i;

	if (k == 0) {
		*width = sizeof replacement - 1;
		(*i)++;
		return replacement;
	}
	*width = k;
	*i += k;
	return from;
}

/* ascii_run - the number of bytes below 0x80 at the start of s, at most
 * len; each is a character of its own, copied as it is */
static size_t
ascii_run(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t
utf8_repair(char *dst, size_t size, const char *s, size_t len)
{
	size_t i = ascii_run(s, len < size - 1 ? len : size - 1), n = i;

	/* Keys and reply texts are mostly ASCII: copy that run at once. */
	memcpy(dst, s, n);
	while (i < len) {
		size_t at = i, width;
		const char *from = next_char(s, len, &i, &width);

		if (n + width > size - 1) {
			i = at;
			break;
		}
		memcpy(dst + n, from, width);
		n += width;
	}
	dst[n] = '\0';
	return n;
}

size_t
utf8_repair_lower(char *dst, size_t size, const char *s, size_t len)
{
	size_t limit = len < size - 1 ? len : size - 1, i = 0, n;

	/* Keys are mostly ASCII: lower and copy that run in one pass, a
	 * word at a time while it lasts. */
	while (i + 8 <= limit) {
		uint64_t w = load_word(s + i);

		if (w & HIGH_BITS)
			break;
		w = lower_word(w);
		memcpy(dst + i, &w, sizeof w);
		i += 8;
	}
	while (i < limit && (unsigned char)s[i] < 0x80) {
		dst[i] = (char)ascii_tolower((unsigned char)s[i]);
		i++;
	}
	if (i == len || i == limit) {
		dst[i] = '\0';
		return i;
	}

	/* The ASCII run is a prefix of characters of one byte each, so the
	 * rest repairs as it would within the whole. */
	n = i + utf8_repair(dst + i, size - i, s + i, len - i);
	for (; i < n; i++)
		dst[i] = (char)ascii_tolower((unsigned char)dst[i]);
	return n;
}

bool
utf8_repaired_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	/* Equal ASCII bytes are equal characters of width 1: skip them a
	 * word at a time, then one by one. */
	while (i + 8 <= alen && i + 8 <= blen) {
		uint64_t wa = load_word(a + i);

		if (((wa ^ load_word(b + i)) | (wa & HIGH_BITS)) != 0)
			break;
		i += 8;
	}
	j = i;
	while (i < alen && j < blen && (unsigned char)a[i] < 0x80 &&
	       a[i] == b[j]) {
		i++;
		j++;
	}

	/* Two different ASCII bytes are different characters. */
	if (i < alen && j < blen && (unsigned char)a[i] < 0x80 &&
	    (unsigned char)b[j] < 0x80)
		return false;

	/* Both copies are valid UTF-8, so they are equal exactly when they
	 * have the same characters. */
	while (i < alen && j < blen) {
		size_t wa, wb;
		const char *ca = next_char(a, alen, &i, &wa);
		const char *cb = next_char(b, blen, &j, &wb);

		if (wa != wb || memcmp(ca, cb, wa) != 0)
			return false;
	}
	return i == alen && j == blen;
}

/* json_plain - true for a byte that a JSON string contains as it is:
 * printable ASCII other than the quote and the backslash */
static bool
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
escape_json(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	putc('"', out);
	while (i < len) {
		size_t n, run = i;

		/* Most of a report's text is plain: write it in runs. */
		while (run < len && json_plain(p[run]))
			run++;
		if (run > i) {
			fwrite(p + i, 1, run - i, out);
			i = run;
			continue;
		}

		n = utf8_sequence_len(p + i, len - i);
		if (n == 0) {
			fputs("\\ufffd", out);
			i++;
		} else if (n > 1) {
			fwrite(p + i, 1, n, out);
			i += n;
		} else if (p[i] == '"' || p[i] == '\\') {
			putc('\\', out);
			putc(p[i++], out);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i++]);
		} else {
			putc(p[i++], out);
		}
	}
	putc('"', out);
}

bool
utf8_is_bidi_control(const unsigned char *s, size_t n)
{
	if (n == 2)
		return s[0] == 0xd8 && s[1] == 0x9c;
	if (n != 3 || s[0] != 0xe2)
		return false;
	if (s[1] == 0x80)
		return s[2] == 0x8e || s[2] == 0x8f ||
		       (s[2] >= 0xaa && s[2] <= 0xae);
	return s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9;
}

/* text_char - length of the next printed unit and whether it is kept */
static size_t
text_char(const unsigned char *p, size_t len, bool *keep)
{
	size_t n = utf8_sequence_len(p, len);

	*keep = true;
	if (n == 0) {
		*keep = false;
		return 1;
	}
	if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
		*keep = false;
	/* C1 controls U+0080..U+009F are encoded as c2 80..c2 9f. */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		*keep = false;
	if (utf8_is_bidi_control(p, n))
		*keep = false;
	return n;
}

size_t
escape_text_bytes(const char *s, size_t len, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	bool keep;

	for (size_t shown = 0; i < len && shown < width; shown++)
		i += text_char(p + i, len - i, &keep);
	return i;
}

size_t
escape_text_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t width = 0;
	bool keep;

	for (size_t i = 0; i < len; width++)
		i += text_char(p + i, len - i, &keep);
	return width;
}

size_t
escape_text_prefix(FILE *out, const char *s, size_t len, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	bool keep;

	for (size_t shown = 0; i < len && shown < width; shown++) {
		size_t n = text_char(p + i, len - i, &keep);

		if (keep)
			fwrite(p + i, 1, n, out);
		else
			putc('?', out);
		i += n;
	}
	return i;
}

void
escape_text(FILE *out, const char *s, size_t len, size_t max_width)
{
	bool cut = max_width > 0 && escape_text_width(s, len) > max_width;

	/* Below four columns there is room only to show that text was cut. */
	if (cut && max_width <= 3) {
		fwrite("...", 1, max_width, out);
		return;
	}
	escape_text_prefix(out, s, len, cut ? max_width - 3 : (size_t)-1);
	if (cut)
		fputs("...", out);
}
