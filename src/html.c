/* SPDX-License-Identifier: MIT */
/*
 * html.c - writing untrusted text into HTML
 */
#include <stdbool.h>

#include "bouncelog/escape.h"
#include "bouncelog/html.h"

/* decode - the code point of a valid UTF-8 sequence of n bytes */
static unsigned long
decode(const unsigned char *p, size_t n)
{
	unsigned long cp = p[0] & (n == 1 ? 0x7f : 0x3f >> (n - 1));

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

/* put_unit - write one character (or one invalid byte) of n bytes */
static void
put_unit(FILE *out, const unsigned char *p, size_t n)
{
	unsigned long cp;

	if (n == 0) {
		fprintf(out, "\\x%02x", p[0]);
		return;
	}
	cp = decode(p, n);
	if (cp < 0x20 || cp == 0x7f) {
		fprintf(out, "\\x%02x", p[0]);
		return;
	}
	if (cp >= 0x80 && cp <= 0x9f) {
		fprintf(out, "\\x%02x\\x%02x", p[0], p[1]);
		return;
	}
	if (utf8_is_bidi_control(p, n)) {
		fprintf(out, "\\u%04lx", cp);
		return;
	}
	switch (cp) {
	case '&':
		fputs("&amp;", out);
		return;
	case '<':
		fputs("&lt;", out);
		return;
	case '>':
		fputs("&gt;", out);
		return;
	case '"':
		fputs("&quot;", out);
		return;
	case '\'':
		fputs("&#39;", out);
		return;
	}
	fwrite(p, 1, n, out);
}

/* unit_len - bytes of the character at p: 1 for an invalid byte */
static size_t
unit_len(const unsigned char *p, size_t len, size_t *seq)
{
	*seq = utf8_sequence_len(p, len);
	return *seq == 0 ? 1 : *seq;
}

void
html_escape(FILE *out, const char *s, size_t len)
{
	html_escape_cut(out, s, len, 0);
}

size_t
html_char_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0, seq;

	for (size_t i = 0; i < len; count++)
		i += unit_len(p + i, len - i, &seq);
	return count;
}

void
html_escape_cut(FILE *out, const char *s, size_t len, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	bool cut = max_chars > 0 && html_char_count(s, len) > max_chars;
	size_t keep = cut ? max_chars - 1 : (size_t)-1;
	size_t i = 0, seq;

	for (size_t shown = 0; i < len && shown < keep; shown++) {
		size_t n = unit_len(p + i, len - i, &seq);

		put_unit(out, p + i, seq);
		i += n;
	}
	if (cut)
		fputs("\xe2\x80\xa6", out);
}
