/* SPDX-License-Identifier: MIT */
/*
 * test_json.c - unit tests of the strict JSON parser
 *
 * Valid texts are checked by printing the parsed tree back in a compact
 * canonical form (strings with every byte outside printable ASCII as \xNN)
 * and comparing it with the expected form.  Invalid texts must be rejected
 * with the expected byte offset and message.  Every text is parsed from
 * an exact-size heap copy, so a read past its end is caught by the
 * sanitizers.
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

#include "bouncelog/json.h"
#include "check.h"

/* Length of a string literal, counting embedded NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* A bounded output buffer for the canonical form. */
struct out {
	char text[512];
	size_t len;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->text + o->len, sizeof o->text - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= sizeof o->text)
		o->len = sizeof o->text - 1;
}

static void
put_bytes(struct out *o, const char *s, size_t len)
{
	put(o, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			put(o, "%c", c);
		else
			put(o, "\\x%02x", c);
	}
	put(o, "\"");
}

/* canonical - v as compact text: numbers as u:VALUE or n (not uint) */
static void
canonical(struct out *o, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL:
		put(o, "null");
		break;
	case JSON_FALSE:
		put(o, "false");
		break;
	case JSON_TRUE:
		put(o, "true");
		break;
	case JSON_NUMBER:
		if (v->is_uint)
			put(o, "u:%llu", (unsigned long long)v->as.uint_value);
		else
			put(o, "n");
		break;
	case JSON_STRING:
		put_bytes(o, v->as.string, v->len);
		break;
	case JSON_ARRAY:
		put(o, "[");
		for (size_t i = 0; i < v->len; i++) {
			put(o, i ? "," : "");
			canonical(o, &v->as.items[i]);
		}
		put(o, "]");
		break;
	case JSON_OBJECT:
		put(o, "{");
		for (size_t i = 0; i < v->len; i++) {
			put(o, i ? "," : "");
			put_bytes(o, v->as.members[i].key,
				  v->as.members[i].key_len);
			put(o, ":");
			canonical(o, &v->as.members[i].value);
		}
		put(o, "}");
		break;
	}
}

/* parse_copy - json_parse() of an exact-size copy of text */
static struct json_doc *
parse_copy(const char *text, size_t len, struct json_error *error)
{
	char *copy = copy_exact(text, len);
	struct json_doc *doc = json_parse(copy, len, error);

	free(copy);
	return doc;
}

static void
test_valid_texts(void **state)
{
	static const struct {
		const char *name;
		const char *text;
		size_t len;
		const char *want;
	} cases[] = {
	    {"null", LIT("null"), "null"},
	    {"true with blanks", LIT(" \t\r\ntrue \n"), "true"},
	    {"false", LIT("false"), "false"},
	    {"zero", LIT("0"), "u:0"},
	    {"uint max", LIT("18446744073709551615"), "u:18446744073709551615"},
	    {"above uint max", LIT("18446744073709551616"), "n"},
	    {"negative", LIT("-1"), "n"},
	    {"negative zero", LIT("-0"), "n"},
	    {"fraction", LIT("1.5"), "n"},
	    {"exponent", LIT("1e3"), "n"},
	    {"signed exponent", LIT("2E-3"), "n"},
	    {"empty string", LIT("\"\""), "\"\""},
	    {"escapes", LIT("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
	     "\"\\x22\\x5c/\\x08\\x0c\\x0a\\x0d\\x09\""},
	    {"nul escape", LIT("\"a\\u0000b\""), "\"a\\x00b\""},
	    {"two-byte escape", LIT("\"\\u00e9\""), "\"\\xc3\\xa9\""},
	    {"surrogate pair", LIT("\"\\ud83d\\ude00\""),
	     "\"\\xf0\\x9f\\x98\\x80\""},
	    {"raw UTF-8", LIT("\"\xc3\xa7\xe2\x82\xac\xf0\x9f\x98\x80\""),
	     "\"\\xc3\\xa7\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\""},
	    {"empty containers", LIT("[{}, []]"), "[{},[]]"},
	    {"object", LIT("{\"a\": 1, \"b\": [true, null], \"c\": {}}"),
	     "{\"a\":u:1,\"b\":[true,null],\"c\":{}}"},
	    {"keys differing in NUL", LIT("{\"a\": 1, \"a\\u0000\": 2}"),
	     "{\"a\":u:1,\"a\\x00\":u:2}"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct json_error error;
		struct json_doc *doc =
		    parse_copy(cases[i].text, cases[i].len, &error);
		struct out o = {{0}, 0};

		if (doc == NULL) {
			note_mismatch("%s: got error at %zu: %s, want %s",
				      cases[i].name, error.offset,
				      error.message, cases[i].want);
			continue;
		}
		canonical(&o, json_root(doc));
		check_str(cases[i].name, "tree", o.text, cases[i].want);
		json_free(doc);
	}
	finish_cases();
}

static void
test_invalid_texts(void **state)
{
	static const struct {
		const char *name;
		const char *text;
		size_t len;
		long long offset;
		const char *want;
	} cases[] = {
	    {"empty", LIT(""), 0,
	     "unexpected end of the text; expected a value"},
	    {"blank", LIT("  "), 2,
	     "unexpected end of the text; expected a value"},
	    {"byte order mark", LIT("\xef\xbb\xbf{}"), 0,
	     "a byte order mark is not allowed before JSON text; remove "
	     "the first 3 bytes"},
	    {"two values", LIT("1 2"), 2,
	     "text after the end of the JSON value"},
	    {"trailing comma in array", LIT("[1,]"), 3,
	     "invalid value: expected a string, number, object, array, "
	     "true, false or null"},
	    {"trailing comma in object", LIT("{\"a\":1,}"), 7,
	     "expected a string as the key of an object member"},
	    {"missing colon", LIT("{\"a\" 1}"), 5,
	     "expected ':' after the key of an object member"},
	    {"unclosed array", LIT("[1 2]"), 3,
	     "expected ',' or ']' after an array item"},
	    {"unclosed object", LIT("{\"a\":1"), 6,
	     "expected ',' or '}' after an object member"},
	    {"non-string key", LIT("{1:2}"), 1,
	     "expected a string as the key of an object member"},
	    {"duplicate key", LIT("{\"a\":1,\"b\":2,\"a\":3}"), 13,
	     "duplicate key in an object"},
	    {"duplicate escaped key", LIT("{\"a\":1,\"\\u0061\":2}"), 7,
	     "duplicate key in an object"},
	    {"leading zero", LIT("01"), 0, "invalid number: a leading zero"},
	    {"bare minus", LIT("-"), 0,
	     "invalid value: expected a string, number, object, array, "
	     "true, false or null"},
	    {"plus sign", LIT("+1"), 0,
	     "invalid value: expected a string, number, object, array, "
	     "true, false or null"},
	    {"no fraction digit", LIT("1."), 0,
	     "invalid number: no digit after the decimal point"},
	    {"no exponent digit", LIT("1e+"), 0,
	     "invalid number: no digit in the exponent"},
	    {"bad literal", LIT("nul"), 0,
	     "invalid literal; expected true, false or null"},
	    {"capital literal", LIT("True"), 0,
	     "invalid value: expected a string, number, object, array, "
	     "true, false or null"},
	    {"unterminated string", LIT("\"abc"), 0, "unterminated string"},
	    {"string ends in backslash", LIT("\"abc\\"), 4,
	     "unterminated string"},
	    {"raw newline", LIT("\"a\nb\""), 2,
	     "control byte in a string; it must be written as a \\u "
	     "escape"},
	    {"raw NUL", LIT("\"a\0b\""), 2,
	     "control byte in a string; it must be written as a \\u "
	     "escape"},
	    {"bad escape", LIT("\"\\x41\""), 1,
	     "invalid escape in a string; use one of \\\" \\\\ \\/ \\b \\f "
	     "\\n \\r \\t \\uXXXX"},
	    {"short unicode escape", LIT("\"\\u12\""), 1,
	     "invalid \\u escape: four hex digits must follow \\u"},
	    {"lone low surrogate", LIT("\"\\udc00\""), 1,
	     "invalid \\u escape: a low surrogate without a high surrogate "
	     "before it"},
	    {"lone high surrogate", LIT("\"\\ud800x\""), 1,
	     "invalid \\u escape: a high surrogate without a low surrogate "
	     "after it"},
	    {"high then high", LIT("\"\\ud800\\ud800\""), 1,
	     "invalid \\u escape: a high surrogate without a low surrogate "
	     "after it"},
	    {"invalid UTF-8 byte", LIT("[\"ok\", \"a\xff\"]"), 9,
	     "invalid UTF-8 in a string"},
	    {"overlong UTF-8", LIT("\"\xc0\xaf\""), 1,
	     "invalid UTF-8 in a string"},
	    {"encoded surrogate", LIT("\"\xed\xa0\x80\""), 1,
	     "invalid UTF-8 in a string"},
	    {"truncated UTF-8", LIT("\"\xe2\x82\""), 1,
	     "invalid UTF-8 in a string"},
	    {"UTF-8 outside a string", LIT("[\xc3\xa9]"), 1,
	     "invalid value: expected a string, number, object, array, "
	     "true, false or null"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct json_error error;
		struct json_doc *doc =
		    parse_copy(cases[i].text, cases[i].len, &error);

		check_int(cases[i].name, "rejected", doc == NULL, 1);
		check_int(cases[i].name, "offset", (long long)error.offset,
			  cases[i].offset);
		check_str(cases[i].name, "message", error.message,
			  cases[i].want);
		json_free(doc);
	}
	finish_cases();
}

/* nested - depth arrays around 0, with blanks between the brackets */
static char *
nested(size_t depth, size_t *len)
{
	char *text = malloc(4 * depth + 2);
	size_t n = 0;

	assert_non_null(text);
	for (size_t i = 0; i < depth; i++) {
		text[n++] = '[';
		text[n++] = ' ';
	}
	text[n++] = '0';
	for (size_t i = 0; i < depth; i++) {
		text[n++] = ' ';
		text[n++] = ']';
	}
	*len = n;
	return text;
}

/* numbers - "[0,0,...]" with count zeros */
static char *
numbers(size_t count, size_t *len)
{
	char *text = malloc(2 * count + 2);
	size_t n = 0;

	assert_non_null(text);
	text[n++] = '[';
	for (size_t i = 0; i < count; i++) {
		text[n++] = '0';
		text[n++] = i + 1 < count ? ',' : ']';
	}
	*len = n;
	return text;
}

/*
 * A text built at a size around a parser limit.  A text within the limit
 * must parse to a root of want_items items; one past it must be rejected
 * at want_offset with want_error.
 */
struct limit_case {
	const char *name;
	char *(*build)(size_t count, size_t *len);
	size_t count;
	const char *want_error;		/* NULL when the text is valid */
	long long want_offset;
	long long want_items;
};

static void
test_limit_cases(void **state)
{
	static const struct limit_case cases[] = {
	    {"depth at the limit", nested, JSON_DEPTH_MAX, NULL, 0, 1},
	    {"depth past the limit", nested, JSON_DEPTH_MAX + 1,
	     "arrays and objects nested too deeply", 2 * JSON_DEPTH_MAX, 0},
	    /* A far deeper text stops at the limit, without deep
	     * recursion. */
	    {"depth of a million", nested, 1000000,
	     "arrays and objects nested too deeply", 2 * JSON_DEPTH_MAX, 0},
	    /* The array counts as one value besides its items. */
	    {"values at the limit", numbers, JSON_VALUES_MAX - 1, NULL, 0,
	     JSON_VALUES_MAX - 1},
	    {"values past the limit", numbers, JSON_VALUES_MAX,
	     "too many values", 2 * (JSON_VALUES_MAX - 1) + 1, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct limit_case *c = &cases[i];
		struct json_error error = {0};
		size_t len;
		char *text = c->build(c->count, &len);
		struct json_doc *doc = parse_copy(text, len, &error);

		if (c->want_error == NULL) {
			check_str(c->name, "error", doc ? NULL : error.message,
				  NULL);
			if (doc != NULL)
				check_int(c->name, "items",
					  (long long)json_root(doc)->len,
					  c->want_items);
		} else {
			check_int(c->name, "rejected", doc == NULL, 1);
			check_int(c->name, "offset", (long long)error.offset,
				  c->want_offset);
			check_str(c->name, "message", error.message,
				  c->want_error);
		}
		json_free(doc);
		free(text);
	}
	finish_cases();
}

static void
test_get_member(void **state)
{
	static const char text[] = "{\"count\": 3, \"rows\": [], \"k\": \"v\"}";
	struct json_error error;
	struct json_doc *doc = json_parse(text, strlen(text), &error);
	const struct json_value *root, *v;

	(void)state;
	assert_non_null(doc);
	root = json_root(doc);
	v = json_get(root, "count");
	assert_non_null(v);
	assert_int_equal(v->type, JSON_NUMBER);
	assert_true(v->is_uint);
	assert_int_equal(v->as.uint_value, 3);
	assert_int_equal(v->offset, 10);
	v = json_get(root, "rows");
	assert_non_null(v);
	assert_int_equal(v->type, JSON_ARRAY);
	assert_int_equal(v->len, 0);
	assert_null(json_get(root, "missing"));
	assert_null(json_get(root, "coun"));
	assert_null(json_get(v, "count"));
	assert_string_equal(json_type_name(JSON_OBJECT), "an object");
	json_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_texts),
	    cmocka_unit_test(test_invalid_texts),
	    cmocka_unit_test(test_limit_cases),
	    cmocka_unit_test(test_get_member),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
