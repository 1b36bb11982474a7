/* SPDX-License-Identifier: MIT */
/*
 * fuzz_escape.c - fuzz target: writing log-derived bytes safely
 *
 * The input is any bytes.  The target checks:
 *	- utf8_sequence_len() agrees at every offset with the UTF-8 grammar
 *	  of RFC 3629 (fuzz_utf8_length in harness.c);
 *	- escape_json() writes one valid JSON string (RFC 8259, valid
 *	  UTF-8) that decodes to the input with each byte that does not
 *	  start a valid sequence replaced by U+FFFD;
 *	- escape_text() writes valid UTF-8 without C0 controls, DEL, C1
 *	  controls or bidirectional controls.  Valid characters are kept,
 *	  and each unsafe or invalid one becomes "?".  A second call takes its maximum width from the
 *	  first input byte and escapes the rest.  A text longer than that
 *	  width is cut to that many characters, ending in "...";
 *	- escape_text_width(), escape_text_bytes() and escape_text_prefix()
 *	  agree with that character count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/escape.h"
#include "harness.h"
#include "json.h"

/* Widths tried: the first input byte modulo this, 0 meaning no limit. */
#define WIDTH_RANGE 24

/* One character of escape_text() output, in the reference model. */
struct text_char {
	size_t len;	/* input bytes it takes */
	bool keep;	/* written as is; else as "?" */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* next_char - the reference for one escape_text() character */
static struct text_char
next_char(const unsigned char *s, size_t len)
{
	struct text_char c;

	c.len = fuzz_utf8_length(s, len);
	c.keep = c.len > 0;
	if (c.len == 0)
		c.len = 1;
	if (c.len == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		c.keep = false;
	if (c.len == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		c.keep = false;
	if (c.len > 0 && fuzz_is_bidi_control(s, c.len))
		c.keep = false;
	return c;
}

/* count_chars - characters in s as escape_text() counts them */
static size_t
count_chars(const unsigned char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; n++)
		i += next_char(s + i, len - i).len;
	return n;
}

/*
 * expect_text - the reference output of escape_text_prefix(s, width):
 * the first width characters; *used gets the input bytes they take
 */
static void
expect_text(FILE *out, const unsigned char *s, size_t len, size_t width,
	    size_t *used)
{
	size_t i = 0;

	for (size_t n = 0; i < len && n < width; n++) {
		struct text_char c = next_char(s + i, len - i);

		if (c.keep)
			fwrite(s + i, 1, c.len, out);
		else
			fputc('?', out);
		i += c.len;
	}
	*used = i;
}

/* check_utf8_len - utf8_sequence_len() against the reference */
static void
check_utf8_len(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t got = utf8_sequence_len(s + i, len - i);
		size_t want = fuzz_utf8_length(s + i, len - i);

		FUZZ_CHECK(got == want,
			   "utf8_sequence_len at offset %zu (byte 0x%02x): %zu, "
			   "want %zu",
			   i, s[i], got, want);
	}
}

/* check_json - escape_json() output decodes to the expected bytes */
static void
check_json(const unsigned char *s, size_t len)
{
	static const unsigned char replacement[] = {0xef, 0xbf, 0xbd};
	char error[FUZZ_JSON_ERROR_MAX];
	struct fuzz_memout out, want;
	struct fuzz_json *v;

	fuzz_memout_open(&out);
	escape_json(out.fp, (const char *)s, len);
	fuzz_memout_close(&out);

	fuzz_memout_open(&want);
	for (size_t i = 0; i < len;) {
		size_t n = fuzz_utf8_length(s + i, len - i);

		if (n == 0) {
			fwrite(replacement, 1, sizeof replacement, want.fp);
			n = 1;
		} else {
			fwrite(s + i, 1, n, want.fp);
		}
		i += n;
	}
	fuzz_memout_close(&want);

	v = fuzz_json_parse(out.buf, out.len, error);
	FUZZ_CHECK(v != NULL, "escape_json output is not valid JSON: %s",
		   error);
	FUZZ_CHECK(v->type == FUZZ_JSON_STRING,
		   "escape_json output is not a JSON string");
	FUZZ_CHECK(v->string_len == want.len &&
			   memcmp(v->string, want.buf, want.len) == 0,
		   "escape_json output decodes to %zu bytes that differ from "
		   "the %zu expected",
		   v->string_len, want.len);
	fuzz_json_free(v);
	free(out.buf);
	free(want.buf);
}

/* check_text - escape_text() with max_width against the reference */
static void
check_text(const unsigned char *s, size_t len, size_t max_width)
{
	size_t chars = count_chars(s, len);
	bool cut = max_width > 0 && chars > max_width;
	struct fuzz_memout out, want;
	size_t used;

	fuzz_memout_open(&out);
	escape_text(out.fp, (const char *)s, len, max_width);
	fuzz_memout_close(&out);

	fuzz_memout_open(&want);
	if (cut && max_width <= 3) {
		fwrite("...", 1, max_width, want.fp);
	} else {
		expect_text(want.fp, s, len, cut ? max_width - 3 : chars,
			    &used);
		if (cut)
			fputs("...", want.fp);
	}
	fuzz_memout_close(&want);

	fuzz_check_safe_text("escape_text output", out.buf, out.len, false);
	FUZZ_CHECK(out.len == want.len &&
			   memcmp(out.buf, want.buf, want.len) == 0,
		   "escape_text width %zu: wrote %zu bytes that differ from "
		   "the %zu expected",
		   max_width, out.len, want.len);
	free(out.buf);
	free(want.buf);
}

/* check_widths - the width helpers agree with the reference count */
static void
check_widths(const unsigned char *s, size_t len, size_t width)
{
	const char *text = (const char *)s;
	struct fuzz_memout out, want;
	size_t got_used, want_used;

	FUZZ_CHECK(escape_text_width(text, len) == count_chars(s, len),
		   "escape_text_width %zu, want %zu",
		   escape_text_width(text, len), count_chars(s, len));

	fuzz_memout_open(&out);
	got_used = escape_text_prefix(out.fp, text, len, width);
	fuzz_memout_close(&out);
	fuzz_memout_open(&want);
	expect_text(want.fp, s, len, width, &want_used);
	fuzz_memout_close(&want);

	FUZZ_CHECK(got_used == want_used,
		   "escape_text_prefix width %zu took %zu bytes, want %zu",
		   width, got_used, want_used);
	FUZZ_CHECK(escape_text_bytes(text, len, width) == want_used,
		   "escape_text_bytes width %zu: %zu, want %zu", width,
		   escape_text_bytes(text, len, width), want_used);
	FUZZ_CHECK(out.len == want.len &&
			   memcmp(out.buf, want.buf, want.len) == 0,
		   "escape_text_prefix width %zu wrote other bytes", width);
	free(out.buf);
	free(want.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_utf8_len(data, size);
	check_json(data, size);
	check_text(data, size, 0);
	if (size > 0) {
		size_t width = data[0] % WIDTH_RANGE;

		check_text(data + 1, size - 1, width);
		check_widths(data + 1, size - 1, width);
	}
	return 0;
}
