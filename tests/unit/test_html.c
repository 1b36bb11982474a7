/* SPDX-License-Identifier: MIT */
/*
 * test_html.c - unit tests of writing untrusted text into HTML
 *
 * html_escape() and html_escape_cut() write into an open_memstream()
 * stream and the bytes are compared with the expected output.  A second
 * test escapes every byte value and a stream of random bytes, and checks
 * the output for anything that could end text in HTML: a raw "<", ">",
 * "&" not starting a reference, a quote, a control byte or invalid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/escape.h"
#include "bouncelog/html.h"
#include "check.h"

/* Length of a string literal, counting embedded NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

struct escape_case {
	const char *name;
	const char *input;
	size_t len;
	size_t max_chars;	/* 0: html_escape(), else html_escape_cut() */
	const char *want;
};

static const struct escape_case cases[] = {
	{"plain ascii", LIT("550 5.1.1 user unknown"), 0,
	 "550 5.1.1 user unknown"},
	{"markup", LIT("<script>alert(1)</script>"), 0,
	 "&lt;script&gt;alert(1)&lt;/script&gt;"},
	{"svg end tag", LIT("</svg><img src=x onerror=alert(1)>"), 0,
	 "&lt;/svg&gt;&lt;img src=x onerror=alert(1)&gt;"},
	{"quotes and ampersand", LIT("a\"b'c&d"), 0,
	 "a&quot;b&#39;c&amp;d"},
	{"existing reference escaped again", LIT("&lt;"), 0, "&amp;lt;"},
	{"NUL byte", LIT("a\0b"), 0, "a\\x00b"},
	{"tab newline CR", LIT("a\tb\nc\r"), 0, "a\\x09b\\x0ac\\x0d"},
	{"escape and DEL", LIT("\x1b[31m\x7f"), 0, "\\x1b[31m\\x7f"},
	{"C1 CSI", LIT("\xc2\x9b" "2J"), 0, "\\xc2\\x9b2J"},
	{"raw 0x9b byte", LIT("\x9b" "31m"), 0, "\\x9b31m"},
	{"invalid lead byte", LIT("\xff\xfe"), 0, "\\xff\\xfe"},
	{"overlong slash", LIT("\xc0\xaf"), 0, "\\xc0\\xaf"},
	{"surrogate", LIT("\xed\xa0\x80"), 0, "\\xed\\xa0\\x80"},
	{"truncated sequence at end", LIT("ok\xe2\x82"), 0, "ok\\xe2\\x82"},
	{"right-to-left override", LIT("a\xe2\x80\xae" "b"), 0,
	 "a\\u202eb"},
	{"isolate and mark", LIT("\xe2\x81\xa6\xe2\x80\x8f\xd8\x9c"), 0,
	 "\\u2066\\u200f\\u061c"},
	{"Turkish letters kept", LIT("G\xc3\xb6nderilemedi \xc4\xb0"), 0,
	 "G\xc3\xb6nderilemedi \xc4\xb0"},
	{"emoji kept", LIT("\xf0\x9f\x98\x80"), 0, "\xf0\x9f\x98\x80"},
	{"no-break space kept", LIT("a\xc2\xa0" "b"), 0, "a\xc2\xa0" "b"},
	{"cut ascii", LIT("abcdefgh"), 5, "abcd\xe2\x80\xa6"},
	{"cut exact fit", LIT("abcde"), 5, "abcde"},
	{"cut counts escaped as one", LIT("<<<<<<"), 3,
	 "&lt;&lt;\xe2\x80\xa6"},
	{"cut counts UTF-8 as one", LIT("\xc3\xa9\xc3\xa9\xc3\xa9"), 2,
	 "\xc3\xa9\xe2\x80\xa6"},
	{"cut invalid byte as one", LIT("\xff\xff\xff"), 2,
	 "\\xff\xe2\x80\xa6"},
	{"cut at one", LIT("abc"), 1, "\xe2\x80\xa6"},
	{"empty", LIT(""), 0, ""},
};

/* escape - the output of one case in a heap string; the caller frees */
static char *
escape(const struct escape_case *c, size_t *len)
{
	char *data = NULL;
	FILE *fp = open_memstream(&data, len);

	assert_non_null(fp);
	if (c->max_chars == 0)
		html_escape(fp, c->input, c->len);
	else
		html_escape_cut(fp, c->input, c->len, c->max_chars);
	assert_int_equal(fclose(fp), 0);
	return data;
}

static void
test_escape_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len;
		char *got = escape(&cases[i], &len);

		if (len != strlen(cases[i].want) ||
		    memcmp(got, cases[i].want, len) != 0)
			note_mismatch("%s: got \"%.*s\", want \"%s\"",
				      cases[i].name, (int)len, got,
				      cases[i].want);
		free(got);
	}
	finish_cases();
}

/* unsafe_at - a description of the first unsafe byte of s, or NULL */
static const char *
unsafe_at(const char *s, size_t len, size_t *where)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_len(p + i, len - i);

		*where = i;
		if (n == 0)
			return "invalid UTF-8";
		if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)
			return "C1 control";
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))
			return "control byte";
		if (p[i] == '<' || p[i] == '>' || p[i] == '"' || p[i] == '\'')
			return "markup character";
		if (p[i] == '&' && strncmp(s + i, "&amp;", 5) != 0 &&
		    strncmp(s + i, "&lt;", 4) != 0 &&
		    strncmp(s + i, "&gt;", 4) != 0 &&
		    strncmp(s + i, "&quot;", 6) != 0 &&
		    strncmp(s + i, "&#39;", 5) != 0)
			return "bare ampersand";
		i += n;
	}
	return NULL;
}

/* next_random - a fixed linear congruential sequence, so runs repeat */
static unsigned
next_random(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(*seed >> 33);
}

static void
check_safe(const char *name, const char *input, size_t input_len)
{
	struct escape_case c = {name, input, input_len, 0, ""};
	size_t len, where = 0;
	char *got = escape(&c, &len);
	const char *why = unsafe_at(got, len, &where);

	if (why != NULL)
		note_mismatch("%s: output byte %zu: %s", name, where, why);
	free(got);
}

static void
test_escape_output_safe(void **state)
{
	enum { RANDOM_LEN = 1 << 16 };
	char *random_bytes = malloc(RANDOM_LEN);
	uint64_t seed = 7;

	(void)state;
	assert_non_null(random_bytes);
	for (int b = 0; b < 256; b++) {
		char one = (char)b, name[32];

		snprintf(name, sizeof name, "byte 0x%02x", b);
		check_safe(name, &one, 1);
	}
	for (size_t i = 0; i < RANDOM_LEN; i++)
		random_bytes[i] = (char)next_random(&seed);
	check_safe("random bytes", random_bytes, RANDOM_LEN);

	/* Valid UTF-8 of every length, with C1 and bidi characters. */
	for (size_t i = 0; i + 4 <= RANDOM_LEN; i += 4) {
		unsigned cp = next_random(&seed) % 0x110000;

		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0x202e;
		if (cp < 0x80) {
			random_bytes[i] = (char)cp;
			random_bytes[i + 1] = random_bytes[i + 2] =
				random_bytes[i + 3] = 'a';
		} else if (cp < 0x800) {
			random_bytes[i] = (char)(0xc0 | cp >> 6);
			random_bytes[i + 1] = (char)(0x80 | (cp & 0x3f));
			random_bytes[i + 2] = random_bytes[i + 3] = 'b';
		} else if (cp < 0x10000) {
			random_bytes[i] = (char)(0xe0 | cp >> 12);
			random_bytes[i + 1] = (char)(0x80 | (cp >> 6 & 0x3f));
			random_bytes[i + 2] = (char)(0x80 | (cp & 0x3f));
			random_bytes[i + 3] = 'c';
		} else {
			random_bytes[i] = (char)(0xf0 | cp >> 18);
			random_bytes[i + 1] = (char)(0x80 | (cp >> 12 & 0x3f));
			random_bytes[i + 2] = (char)(0x80 | (cp >> 6 & 0x3f));
			random_bytes[i + 3] = (char)(0x80 | (cp & 0x3f));
		}
	}
	check_safe("random code points", random_bytes, RANDOM_LEN);
	free(random_bytes);
	finish_cases();
}

static void
test_char_count(void **state)
{
	(void)state;
	check_int("ascii", "count", (long long)html_char_count(LIT("abc")), 3);
	check_int("two-byte letters", "count",
		  (long long)html_char_count(LIT("\xc3\xa9\xc4\xb0")), 2);
	check_int("invalid bytes", "count",
		  (long long)html_char_count(LIT("\xff\xe2\x82")), 3);
	check_int("empty", "count", (long long)html_char_count(LIT("")), 0);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_cases),
		cmocka_unit_test(test_escape_output_safe),
		cmocka_unit_test(test_char_count),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
