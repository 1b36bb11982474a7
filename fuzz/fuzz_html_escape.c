/* SPDX-License-Identifier: MIT */
/*
 * fuzz_html_escape.c - fuzz target: writing untrusted text into HTML
 *
 * The input is any bytes.  The target checks:
 *	- html_escape() writes exactly what a reference model of its
 *	  contract (bouncelog/html.h) writes, with the UTF-8 grammar taken
 *	  from harness.c rather than from src/escape.c;
 *	- the output is valid UTF-8 without C0, DEL or C1 controls and
 *	  without "<", ">", '"' or "'", and each "&" starts one of the five
 *	  references the contract names;
 *	- html_escape_cut() with a maximum taken from the first input byte
 *	  writes the model's first characters, and an ellipsis in the last
 *	  place when the text is longer;
 *	- html_char_count() agrees with the model's count.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/html.h"
#include "harness.h"

/* Maximum characters tried: the first input byte modulo this, 0 meaning
 * no limit. */
#define CHARS_RANGE 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* code_point - the value of a well-formed sequence of n bytes */
static unsigned long
code_point(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	unsigned long cp = s[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

/* model_char - the model's output for the character at s; returns the
 * input bytes it takes */
static size_t
model_char(FILE *out, const unsigned char *s, size_t len)
{
	size_t n = fuzz_utf8_length(s, len);
	unsigned long cp;

	if (n == 0) {
		fprintf(out, "\\x%02x", s[0]);
		return 1;
	}
	cp = code_point(s, n);
	if (cp <= 0x1f || cp == 0x7f)
		fprintf(out, "\\x%02x", s[0]);
	else if (cp >= 0x80 && cp <= 0x9f)
		fprintf(out, "\\x%02x\\x%02x", s[0], s[1]);
	else if (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
		 (cp >= 0x202a && cp <= 0x202e) ||
		 (cp >= 0x2066 && cp <= 0x2069))
		fprintf(out, "\\u%04lx", cp);
	else if (cp == '&')
		fputs("&amp;", out);
	else if (cp == '<')
		fputs("&lt;", out);
	else if (cp == '>')
		fputs("&gt;", out);
	else if (cp == '"')
		fputs("&quot;", out);
	else if (cp == '\'')
		fputs("&#39;", out);
	else
		fwrite(s, 1, n, out);
	return n;
}

/* model - the first limit characters of s; returns the number of
 * characters in all of s */
static size_t
model(FILE *out, const unsigned char *s, size_t len, size_t limit)
{
	FILE *null = fopen("/dev/null", "w");
	size_t count = 0;

	FUZZ_CHECK(null != NULL, "cannot open /dev/null");
	for (size_t i = 0; i < len; count++)
		i += model_char(count < limit ? out : null, s + i, len - i);
	fclose(null);
	return count;
}

/* check_safe - the output cannot end text in an element or attribute */
static void
check_safe(const char *s, size_t len)
{
	static const char *const references[] = {"&amp;", "&lt;", "&gt;",
						 "&quot;", "&#39;"};

	fuzz_check_safe_text("html_escape output", s, len, false);
	for (size_t i = 0; i < len; i++) {
		bool known = false;

		FUZZ_CHECK(s[i] != '<' && s[i] != '>' && s[i] != '"' &&
				   s[i] != '\'',
			   "html_escape output byte %zu is '%c'", i, s[i]);
		if (s[i] != '&')
			continue;
		for (size_t r = 0; r < 5; r++)
			known = known ||
				(len - i >= strlen(references[r]) &&
				 memcmp(s + i, references[r],
					strlen(references[r])) == 0);
		FUZZ_CHECK(known, "html_escape output byte %zu: bare \"&\"", i);
	}
}

/* check_escape - html_escape() against the model */
static void
check_escape(const unsigned char *s, size_t len)
{
	struct fuzz_memout out, want;
	size_t count;

	fuzz_memout_open(&out);
	html_escape(out.fp, (const char *)s, len);
	fuzz_memout_close(&out);
	fuzz_memout_open(&want);
	count = model(want.fp, s, len, SIZE_MAX);
	fuzz_memout_close(&want);

	check_safe(out.buf, out.len);
	FUZZ_CHECK(out.len == want.len &&
			   memcmp(out.buf, want.buf, want.len) == 0,
		   "html_escape wrote %zu bytes that differ from the %zu "
		   "expected",
		   out.len, want.len);
	FUZZ_CHECK(html_char_count((const char *)s, len) == count,
		   "html_char_count %zu, want %zu",
		   html_char_count((const char *)s, len), count);
	free(out.buf);
	free(want.buf);
}

/* check_cut - html_escape_cut() with max characters against the model */
static void
check_cut(const unsigned char *s, size_t len, size_t max)
{
	bool cut = max > 0 && html_char_count((const char *)s, len) > max;
	struct fuzz_memout out, want;

	fuzz_memout_open(&want);
	model(want.fp, s, len, cut ? max - 1 : SIZE_MAX);
	if (cut)
		fputs("\xe2\x80\xa6", want.fp);
	fuzz_memout_close(&want);

	fuzz_memout_open(&out);
	html_escape_cut(out.fp, (const char *)s, len, max);
	fuzz_memout_close(&out);

	FUZZ_CHECK(out.len == want.len &&
			   memcmp(out.buf, want.buf, want.len) == 0,
		   "html_escape_cut max %zu wrote %zu bytes that differ from "
		   "the %zu expected",
		   max, out.len, want.len);
	free(out.buf);
	free(want.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_escape(data, size);
	if (size > 0)
		check_cut(data + 1, size - 1, data[0] % CHARS_RANGE);
	return 0;
}
