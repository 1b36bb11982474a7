/* SPDX-License-Identifier: MIT */
/*
 * test_escape.c - unit tests of UTF-8 checks and safe output of log bytes
 *
 * escape_json() and escape_text() write into an open_memstream() stream,
 * and the bytes are compared with the wanted output.  Mismatches print
 * both sides with non-printable bytes as \xNN.
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
#include "check.h"

/* Length of a string literal, counting embedded NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* show - bytes as printable ASCII with \xNN for the rest (and "\") */
static const char *
show(const char *s, size_t len, char *buf, size_t size)
{
	size_t used = 0;

	for (size_t i = 0; i < len && used + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[used++] = (char)c;
		else
			used += (size_t)snprintf(buf + used, size - used,
						 "\\x%02x", c);
	}
	buf[used] = '\0';
	return buf;
}

static void
check_bytes(const char *name, const char *what, const char *got,
	    size_t got_len, const char *want, size_t want_len)
{
	char got_shown[512], want_shown[512];

	if (got_len == want_len && memcmp(got, want, got_len) == 0)
		return;
	note_mismatch("%s: %s: got \"%s\", want \"%s\"", name, what,
		      show(got, got_len, got_shown, sizeof got_shown),
		      show(want, want_len, want_shown, sizeof want_shown));
}

/* An output stream in memory.  Its bytes are valid after capture_end(). */
struct capture {
	FILE *fp;
	char *data;
	size_t len;
};

static void
capture_begin(struct capture *cap)
{
	cap->data = NULL;
	cap->len = 0;
	cap->fp = open_memstream(&cap->data, &cap->len);
	assert_non_null(cap->fp);
}

static void
capture_end(struct capture *cap)
{
	assert_int_equal(fclose(cap->fp), 0);
	cap->fp = NULL;
}

struct utf8_case {
	const char *name;
	const char *input;
	size_t len;
	size_t want;
};

static const struct utf8_case utf8_cases[] = {
	{"ascii letter", LIT("A"), 1},
	{"ascii NUL", LIT("\0"), 1},
	{"ascii DEL", LIT("\x7f"), 1},
	{"two bytes e acute", LIT("\xc3\xa9"), 2},
	{"two bytes dotted capital I", LIT("\xc4\xb0"), 2},
	{"two bytes smallest", LIT("\xc2\x80"), 2},
	{"three bytes euro", LIT("\xe2\x82\xac"), 3},
	{"three bytes smallest", LIT("\xe0\xa0\x80"), 3},
	{"three bytes before surrogates", LIT("\xed\x9f\xbf"), 3},
	{"three bytes after surrogates", LIT("\xee\x80\x80"), 3},
	{"four bytes emoji", LIT("\xf0\x9f\x98\x80"), 4},
	{"four bytes largest", LIT("\xf4\x8f\xbf\xbf"), 4},
	{"sequence then more", LIT("\xc3\xa9xyz"), 2},
	{"overlong c0 80", LIT("\xc0\x80"), 0},
	{"overlong c1 bf", LIT("\xc1\xbf"), 0},
	{"overlong e0 80 80", LIT("\xe0\x80\x80"), 0},
	{"overlong e0 9f bf", LIT("\xe0\x9f\xbf"), 0},
	{"overlong f0 80 80 80", LIT("\xf0\x80\x80\x80"), 0},
	{"overlong f0 8f bf bf", LIT("\xf0\x8f\xbf\xbf"), 0},
	{"surrogate ed a0 80", LIT("\xed\xa0\x80"), 0},
	{"surrogate ed bf bf", LIT("\xed\xbf\xbf"), 0},
	{"past U+10FFFF", LIT("\xf4\x90\x80\x80"), 0},
	{"lead f5", LIT("\xf5\x80\x80\x80"), 0},
	{"lead ff", LIT("\xff"), 0},
	{"lone continuation", LIT("\x80"), 0},
	{"truncated two", LIT("\xc3"), 0},
	{"truncated three", LIT("\xe2\x82"), 0},
	{"truncated four", LIT("\xf0\x9f\x98"), 0},
	{"ascii instead of continuation", LIT("\xc3\x28"), 0},
	{"bad third byte", LIT("\xe2\x82\x28"), 0},
	{"bad fourth byte", LIT("\xf0\x9f\x98\x28"), 0},
};

static void
test_utf8_sequence_len_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		char *input = copy_exact(c->input, c->len);

		check_int(c->name, "length",
			  (long long)utf8_sequence_len(
				  (const unsigned char *)input, c->len),
			  (long long)c->want);
		free(input);
	}
	finish_cases();
}

struct json_case {
	const char *name;
	const char *input;
	size_t len;
	const char *want;
};

static const struct json_case json_cases[] = {
	{"plain", LIT("a@example.com"), "\"a@example.com\""},
	{"empty", LIT(""), "\"\""},
	{"quotes", LIT("say \"hi\""), "\"say \\\"hi\\\"\""},
	{"backslash", LIT("a\\b"), "\"a\\\\b\""},
	{"slash kept", LIT("a/b"), "\"a/b\""},
	{"newline and tab", LIT("a\nb\tc"), "\"a\\u000ab\\u0009c\""},
	{"carriage return", LIT("a\r"), "\"a\\u000d\""},
	{"NUL byte", LIT("a\0b"), "\"a\\u0000b\""},
	{"unit separator", LIT("\x1f"), "\"\\u001f\""},
	{"escape sequence", LIT("\x1b[31m"), "\"\\u001b[31m\""},
	{"DEL", LIT("x\x7fy"), "\"x\\u007fy\""},
	{"invalid byte ff", LIT("a\xff" "b"), "\"a\\ufffdb\""},
	{"overlong NUL", LIT("\xc0\x80"), "\"\\ufffd\\ufffd\""},
	{"surrogate", LIT("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""},
	{"truncated at end", LIT("ok\xe2\x82"), "\"ok\\ufffd\\ufffd\""},
	{"turkish letters kept", LIT("\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f\xc4\x9e"
				     "\xc4\x9f"),
	 "\"\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f\xc4\x9e\xc4\x9f\""},
	{"euro and emoji kept", LIT("\xe2\x82\xac\xf0\x9f\x98\x80"),
	 "\"\xe2\x82\xac\xf0\x9f\x98\x80\""},
	{"C1 control kept as UTF-8", LIT("\xc2\x9b"), "\"\xc2\x9b\""},
	{"number text", LIT("delay=1.5"), "\"delay=1.5\""},
};

static void
test_escape_json_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(json_cases); i++) {
		const struct json_case *c = &json_cases[i];
		char *input = copy_exact(c->input, c->len);
		struct capture cap;

		capture_begin(&cap);
		escape_json(cap.fp, input, c->len);
		capture_end(&cap);
		check_bytes(c->name, "json", cap.data, cap.len, c->want,
			    strlen(c->want));
		free(cap.data);
		free(input);
	}
	finish_cases();
}

struct repair_case {
	const char *name;
	const char *input;
	size_t len;
	size_t size;		/* of the output buffer */
	const char *want;
};

static const struct repair_case repair_cases[] = {
	{"plain", LIT("abc"), 16, "abc"},
	{"invalid byte", LIT("a\xff" "b"), 16, "a\xef\xbf\xbd" "b"},
	{"two invalid bytes", LIT("\x94\x9a"), 16,
	 "\xef\xbf\xbd\xef\xbf\xbd"},
	{"truncated at end", LIT("ok\xe2\x82"), 16,
	 "ok\xef\xbf\xbd\xef\xbf\xbd"},
	{"valid kept", LIT("\xc4\xb0\xe2\x82\xac"), 16,
	 "\xc4\xb0\xe2\x82\xac"},
	{"cut before a character", LIT("ab\xe2\x82\xac"), 5, "ab"},
	{"cut before a replacement", LIT("abc\xff"), 5, "abc"},
	{"cut fits exactly", LIT("a\xff"), 5, "a\xef\xbf\xbd"},
	{"size one", LIT("abc"), 1, ""},
	{"cut inside ASCII", LIT("abcdef"), 4, "abc"},
	{"ASCII then invalid", LIT("abc\xff" "d"), 16,
	 "abc\xef\xbf\xbd" "d"},
};

static void
test_utf8_repair_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(repair_cases); i++) {
		const struct repair_case *c = &repair_cases[i];
		char *input = copy_exact(c->input, c->len);
		char *out = malloc(c->size);
		size_t n;

		assert_non_null(out);
		n = utf8_repair(out, c->size, input, c->len);
		check_bytes(c->name, "copy", out, n, c->want, strlen(c->want));
		check_int(c->name, "terminated", out[n], 0);
		free(out);
		free(input);
	}
	finish_cases();
}

/* Pairs written as one JSON string by escape_json(), and pairs not. */
static void
test_utf8_repaired_equal_cases(void **state)
{
	static const struct {
		const char *name;
		const char *a;
		size_t alen;
		const char *b;
		size_t blen;
		bool want;
	} cases[] = {
	    {"same bytes", LIT("abc"), LIT("abc"), true},
	    {"other invalid byte", LIT("a\xff"), LIT("a\xfe"), true},
	    {"invalid byte and U+FFFD", LIT("a\xff"), LIT("a\xef\xbf\xbd"),
	     true},
	    {"cut sequence", LIT("\xe2\x82"), LIT("\x94\x9a"), true},
	    {"one and two invalid bytes", LIT("\xff"), LIT("\xff\xff"),
	     false},
	    {"prefix", LIT("ab"), LIT("abc"), false},
	    {"invalid byte and letter", LIT("a\xff"), LIT("a?"), false},
	    {"NUL counts", LIT("a\0b"), LIT("a\0c"), false},
	    {"empty", LIT(""), LIT(""), true},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *a = copy_exact(cases[i].a, cases[i].alen);
		char *b = copy_exact(cases[i].b, cases[i].blen);

		check_int(cases[i].name, "a, b",
			  utf8_repaired_equal(a, cases[i].alen, b,
					      cases[i].blen),
			  cases[i].want);
		check_int(cases[i].name, "b, a",
			  utf8_repaired_equal(b, cases[i].blen, a,
					      cases[i].alen),
			  cases[i].want);
		free(a);
		free(b);
	}
	finish_cases();
}

/* reference_repair - utf8_repair() one character at a time, without a
 * size limit; dst has room for 3 * len + 1 bytes */
static size_t
reference_repair(char *dst, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		size_t k = utf8_sequence_len((const unsigned char *)s + i,
					     len - i);

		if (k == 0) {
			memcpy(dst + n, "\xef\xbf\xbd", 3);
			n += 3;
			i++;
		} else {
			memcpy(dst + n, s + i, k);
			n += k;
			i += k;
		}
	}
	dst[n] = '\0';
	return n;
}

/* random_text - len bytes of ASCII runs, valid sequences and invalid
 * bytes, from a fixed generator */
static void
random_text(char *buf, size_t len, uint32_t *state)
{
	static const char *const pieces[] = {
	    "a", "Z", "7", " ", "\xc4\xb0", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80", "\xff", "\x80", "\xe2\x82", "\0",
	};
	size_t n = 0;

	while (n < len) {
		const char *p;
		size_t k;

		*state = *state * 1103515245u + 12345u;
		p = pieces[(*state >> 16) % ARRAY_LEN(pieces)];
		k = p[0] == '\0' ? 1 : strlen(p);
		if (k > len - n)
			k = len - n;
		memcpy(buf + n, p, k);
		n += k;
	}
}

/* The ASCII fast paths of utf8_repair() and utf8_repaired_equal() give
 * what a character-by-character copy gives, at every size limit. */
static void
test_utf8_repair_random(void **state)
{
	uint32_t rng = 1;
	char a[64], b[64], ra[200], rb[200], out[200];

	(void)state;
	for (unsigned t = 0; t < 3000; t++) {
		size_t alen = t % 40, blen, na, nb;
		char name[48];

		random_text(a, alen, &rng);
		blen = t % 3 == 0 ? alen : (t / 3) % 40;
		if (t % 3 == 0)
			memcpy(b, a, alen);
		else
			random_text(b, blen, &rng);
		na = reference_repair(ra, a, alen);
		nb = reference_repair(rb, b, blen);
		snprintf(name, sizeof name, "random text %u", t);

		for (size_t size = 1; size <= na + 1; size++) {
			size_t n = utf8_repair(out, size, a, alen);
			size_t want = 0;

			/* The reference copy cut before the first character
			 * that does not fit. */
			for (size_t i = 0; i < na;) {
				size_t w = (unsigned char)ra[i] < 0x80 ? 1
					   : (unsigned char)ra[i] < 0xe0 ? 2
					   : (unsigned char)ra[i] < 0xf0 ? 3
									 : 4;

				if (i + w > size - 1)
					break;
				i += w;
				want = i;
			}
			check_bytes(name, "cut copy", out, n, ra, want);
		}
		check_int(name, "equal",
			  utf8_repaired_equal(a, alen, b, blen),
			  na == nb && memcmp(ra, rb, na) == 0);
	}
	finish_cases();
}

/* lower_copy - utf8_repair() and then ASCII capitals lowered, the two
 * steps that utf8_repair_lower() does in one */
static size_t
lower_copy(char *dst, size_t size, const char *s, size_t len)
{
	size_t n = utf8_repair(dst, size, s, len);

	for (size_t i = 0; i < n; i++)
		if (dst[i] >= 'A' && dst[i] <= 'Z')
			dst[i] = (char)(dst[i] - 'A' + 'a');
	return n;
}

/* lower_matches - utf8_repair_lower() of s gives what lower_copy() does
 * at every size limit */
static void
lower_matches(const char *name, const char *s, size_t len)
{
	char got[300], want[300];

	for (size_t size = 1; size <= len + 2 && size <= sizeof got; size++) {
		size_t n = utf8_repair_lower(got, size, s, len);
		size_t m = lower_copy(want, size, s, len);

		check_bytes(name, "lowered copy", got, n + 1, want, m + 1);
	}
}

/*
 * utf8_repair_lower() lowers the ASCII run in the same pass as it copies
 * it, and hands the rest to utf8_repair(): compare it with the two steps
 * apart on domains and hosts as logs write them and on random text.
 */
static void
test_utf8_repair_lower(void **state)
{
	static const char *const names[] = {
	    "", "example.com", "Example.COM", "MX1.Mail.Example.NET",
	    "gmail-smtp-in.l.google.com", "[192.0.2.17]", "(unknown)",
	    "B\xc3\xbc" "cher.Example", "\xc4\xb0STANBUL.example.TR",
	    "xn--bcher-kva.EXAMPLE", "Bad\xff.Example.ORG",
	    "cut\xe2\x82.Example", "Mixed\x80" "CASE\xf0\x9f\x98\x80Z",
	};
	uint32_t rng = 7;
	char text[280];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		lower_matches(names[i], names[i], strlen(names[i]));
	for (unsigned t = 0; t < 600; t++) {
		char name[32];
		size_t len = t % 270;

		random_text(text, len, &rng);
		snprintf(name, sizeof name, "random text %u", t);
		lower_matches(name, text, len);
	}
	finish_cases();
}

/* repaired_same - the expected result of utf8_repaired_equal(): true
 * when the utf8_repair() copies of a and b are the same bytes */
static bool
repaired_same(const char *a, size_t alen, const char *b, size_t blen)
{
	static char ra[4 * 4096], rb[4 * 4096];
	size_t na = utf8_repair(ra, sizeof ra, a, alen);
	size_t nb = utf8_repair(rb, sizeof rb, b, blen);

	return na == nb && memcmp(ra, rb, na) == 0;
}

/* check_equal - utf8_repaired_equal() of a and b against their copies */
static void
check_equal(const char *name, const char *a, size_t alen, const char *b,
	    size_t blen)
{
	check_int(name, "equal", utf8_repaired_equal(a, alen, b, blen),
		  repaired_same(a, alen, b, blen));
}

/*
 * check_line - the word-at-a-time paths on one log line: lowering it,
 * and comparing it with the previous line, with its own repaired copy,
 * and with copies changed at one byte near the word boundaries
 */
static void
check_line(const char *name, const char *line, size_t len, const char *prev,
	   size_t prev_len)
{
	static const size_t at[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 40};
	static const char bytes[] = {'x', 'X', '\xff', '\xc3', '\0'};
	char copy[4096], repaired[4 * 4096];
	size_t n;

	lower_matches(name, line, len);
	check_equal(name, line, len, prev, prev_len);
	n = utf8_repair(repaired, sizeof repaired, line, len);
	check_equal(name, repaired, n, line, len);
	check_equal(name, line, len, repaired, n);
	if (len > sizeof copy)
		return;
	for (size_t k = 0; k < ARRAY_LEN(at); k++) {
		for (size_t m = 0; m < sizeof bytes; m++) {
			memcpy(copy, line, len);
			if (at[k] >= len)
				break;
			copy[at[k]] = bytes[m];
			check_equal(name, repaired, n, copy, len);
			check_equal(name, copy, len, line, len);
			check_equal(name, copy, at[k] + 1, line, len);
		}
	}
}

/*
 * Lines of real logs, some with invalid UTF-8 and control bytes: the
 * word-at-a-time loops of utf8_repair_lower() and utf8_repaired_equal()
 * give what the byte-by-byte copies give.
 */
static void
test_fixture_lines(void **state)
{
	static const char *const files[] = {
	    "exim/mainlog-4.97.log", "postfix/sample.log",
	    "hostile/invalid-utf8-repeats.log", "hostile/html-injection.log",
	    "hostile/formula-cells.log", "hostile/c1-in-verbose.log",
	    "hostile/exchange-then-postfix.log",
	};
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	size_t lines = 0;

	(void)state;
	assert_non_null(dir);
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char path[4096], prev[4096] = "", name[4200];
		char *line = NULL;
		size_t cap = 0, prev_len = 0;
		ssize_t len;
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		f = fopen(path, "rb");
		assert_non_null(f);
		while ((len = getline(&line, &cap, f)) > 0) {
			snprintf(name, sizeof name, "%s line %zu", files[i],
				 ++lines);
			check_line(name, line, (size_t)len, prev, prev_len);
			prev_len = (size_t)len < sizeof prev ? (size_t)len
							     : sizeof prev;
			memcpy(prev, line, prev_len);
		}
		free(line);
		fclose(f);
	}
	assert_true(lines > 550);
	finish_cases();
}

/* Every byte value alone gives valid JSON of the expected shape. */
static void
test_escape_json_all_bytes(void **state)
{
	(void)state;
	for (int b = 0; b < 256; b++) {
		char input = (char)b;
		char name[32], want[16];
		struct capture cap;

		if (b == '"' || b == '\\')
			snprintf(want, sizeof want, "\"\\%c\"", b);
		else if (b < 0x20 || b == 0x7f)
			snprintf(want, sizeof want, "\"\\u%04x\"", b);
		else if (b < 0x80)
			snprintf(want, sizeof want, "\"%c\"", b);
		else
			snprintf(want, sizeof want, "\"\\ufffd\"");
		snprintf(name, sizeof name, "byte 0x%02x", b);

		capture_begin(&cap);
		escape_json(cap.fp, &input, 1);
		capture_end(&cap);
		check_bytes(name, "json", cap.data, cap.len, want,
			    strlen(want));
		free(cap.data);
	}
	finish_cases();
}

struct text_case {
	const char *name;
	const char *input;
	size_t len;
	size_t max_width;
	const char *want;
};

static const struct text_case text_cases[] = {
	{"plain", LIT("550 5.1.1 unknown"), 0, "550 5.1.1 unknown"},
	{"empty", LIT(""), 0, ""},
	{"terminal colour sequence", LIT("\x1b[31mred\x1b[0m"), 0,
	 "?[31mred?[0m"},
	{"C1 control sequence introducer", LIT("a\xc2\x9b" "31mb"), 0,
	 "a?31mb"},
	{"C1 first", LIT("\xc2\x80"), 0, "?"},
	{"no-break space kept", LIT("a\xc2\xa0" "b"), 0, "a\xc2\xa0" "b"},
	{"newline and tab", LIT("a\nb\tc"), 0, "a?b?c"},
	{"NUL byte", LIT("a\0b"), 0, "a?b"},
	{"DEL", LIT("a\x7f"), 0, "a?"},
	{"invalid bytes", LIT("a\xff\xfe" "b"), 0, "a??b"},
	{"overlong slash", LIT("\xc0\xaf"), 0, "??"},
	{"turkish letters kept", LIT("\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f"), 0,
	 "\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f"},
	{"cut ascii", LIT("abcdefghij"), 8, "abcde..."},
	{"exact fit", LIT("abcdefgh"), 8, "abcdefgh"},
	{"one over", LIT("abcdefghi"), 8, "abcde..."},
	{"cut counts characters", LIT("\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f\xc4\x9e"
				      "\xc4\x9f\xc4\xb0\xc4\xb1"),
	 7, "\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f..."},
	{"cut with replaced bytes",
	 LIT("\x1b\x1b\x1b\x1b\x1b\x1b"), 5, "??..."},
	{"width 4", LIT("abcdef"), 4, "a..."},
	{"width 3", LIT("abcdef"), 3, "..."},
	{"no limit", LIT("abcdefghijklmnopqrstuvwxyz"), 0,
	 "abcdefghijklmnopqrstuvwxyz"},
};

static void
test_escape_text_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(text_cases); i++) {
		const struct text_case *c = &text_cases[i];
		char *input = copy_exact(c->input, c->len);
		struct capture cap;

		capture_begin(&cap);
		escape_text(cap.fp, input, c->len, c->max_width);
		capture_end(&cap);
		check_bytes(c->name, "text", cap.data, cap.len, c->want,
			    strlen(c->want));
		free(cap.data);
		free(input);
	}
	finish_cases();
}

/*
 * The documented limit applies to every width: at most max_width
 * characters, and a cut string ends in "..." when the width leaves room
 * for it.
 */
static void
test_escape_text_width_limit(void **state)
{
	static const char *const inputs[] = {
		"abcdef",
		"\x1b[31mred",
		"\xc4\xb0\xc4\xb1\xc5\x9e\xc5\x9f\xc4\x9e\xc4\x9f",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
		size_t len = strlen(inputs[i]);
		size_t full = escape_text_width(inputs[i], len);

		for (size_t width = 1; width <= full + 1; width++) {
			struct capture cap;
			char name[192], shown[128];
			size_t got;

			capture_begin(&cap);
			escape_text(cap.fp, inputs[i], len, width);
			capture_end(&cap);
			got = escape_text_width(cap.data, cap.len);
			snprintf(name, sizeof name, "\"%s\" width %zu",
				 show(inputs[i], len, shown, sizeof shown),
				 width);
			if (got > width)
				note_mismatch("%s: got %zu characters \"%s\", "
					      "want at most %zu",
					      name, got,
					      show(cap.data, cap.len, shown,
						   sizeof shown),
					      width);
			if (full > width && width >= 3 &&
			    (cap.len < 3 ||
			     memcmp(cap.data + cap.len - 3, "...", 3) != 0))
				note_mismatch("%s: got \"%s\", want an ending "
					      "\"...\"",
					      name,
					      show(cap.data, cap.len, shown,
						   sizeof shown));
			free(cap.data);
		}
	}
	finish_cases();
}

struct width_case {
	const char *name;
	const char *input;
	size_t len;
	size_t want;
};

static const struct width_case width_cases[] = {
	{"ascii", LIT("abc"), 3},
	{"empty", LIT(""), 0},
	{"two-byte letters", LIT("\xc4\xb0\xc4\xb1"), 2},
	{"invalid bytes count one each", LIT("\xff\xfe"), 2},
	{"control bytes count one each", LIT("\x1b["), 2},
	{"four-byte emoji", LIT("\xf0\x9f\x98\x80"), 1},
	{"truncated sequence", LIT("\xe2\x82"), 2},
};

static void
test_escape_text_width_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(width_cases); i++) {
		const struct width_case *c = &width_cases[i];
		char *input = copy_exact(c->input, c->len);

		check_int(c->name, "width",
			  (long long)escape_text_width(input, c->len),
			  (long long)c->want);
		free(input);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_sequence_len_cases),
		cmocka_unit_test(test_utf8_repair_cases),
		cmocka_unit_test(test_utf8_repaired_equal_cases),
		cmocka_unit_test(test_utf8_repair_random),
		cmocka_unit_test(test_utf8_repair_lower),
		cmocka_unit_test(test_fixture_lines),
		cmocka_unit_test(test_escape_json_cases),
		cmocka_unit_test(test_escape_json_all_bytes),
		cmocka_unit_test(test_escape_text_cases),
		cmocka_unit_test(test_escape_text_width_limit),
		cmocka_unit_test(test_escape_text_width_cases),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
