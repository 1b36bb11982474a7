/* SPDX-License-Identifier: MIT */
/*
 * json.c - a strict JSON parser for checking the reports in fuzz targets
 *
 * A recursive-descent parser over the grammar of RFC 8259 sections 2 to
 * 8.  Each parse function stops at the first error and records it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/xalloc.h"
#include "harness.h"
#include "json.h"

struct parser {
	const unsigned char *s;
	size_t len;
	size_t pos;
	char *error;	/* FUZZ_JSON_ERROR_MAX bytes; set on the first error */
	bool failed;
};

/* A growing byte buffer for decoded strings. */
struct buffer {
	char *data;
	size_t len;
	size_t cap;
};

static struct fuzz_json *parse_value(struct parser *p, int depth);

/* parse_error - record the first error with its byte offset */
static void
parse_error(struct parser *p, const char *what)
{
	if (p->failed)
		return;
	p->failed = true;
	snprintf(p->error, FUZZ_JSON_ERROR_MAX, "byte offset %zu: %s", p->pos,
		 what);
}

static void
buffer_add(struct buffer *b, const void *bytes, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* buffer_add_code_point - append cp (at most U+10FFFF) as UTF-8 */
static void
buffer_add_code_point(struct buffer *b, unsigned long cp)
{
	unsigned char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (unsigned char)(0xf0 | cp >> 18);
		out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buffer_add(b, out, n);
}

static void
skip_whitespace(struct parser *p)
{
	while (p->pos < p->len &&
	       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static bool
accept(struct parser *p, char c)
{
	if (p->pos < p->len && p->s[p->pos] == (unsigned char)c) {
		p->pos++;
		return true;
	}
	return false;
}

static bool
is_digit(struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

/* parse_hex4 - the four hex digits of a \u escape, or -1 */
static long
parse_hex4(struct parser *p)
{
	long value = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p->s[p->pos + (size_t)i];
		int digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return -1;
		value = value * 16 + digit;
	}
	p->pos += 4;
	return value;
}

/* parse_unicode_escape - the rest of "\uXXXX", with a surrogate pair */
static bool
parse_unicode_escape(struct parser *p, struct buffer *b)
{
	long cp = parse_hex4(p), low;

	if (cp < 0) {
		parse_error(p, "invalid \\u escape");
		return false;
	}
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		parse_error(p, "low surrogate without a high surrogate");
		return false;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!accept(p, '\\') || !accept(p, 'u') ||
		    (low = parse_hex4(p)) < 0 || low < 0xdc00 || low > 0xdfff) {
			parse_error(p, "high surrogate without a low surrogate");
			return false;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	buffer_add_code_point(b, (unsigned long)cp);
	return true;
}

/* parse_escape - the byte after a backslash and what follows it */
static bool
parse_escape(struct parser *p, struct buffer *b)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *hit;

	if (p->pos == p->len) {
		parse_error(p, "unterminated escape");
		return false;
	}
	if (p->s[p->pos] == 'u') {
		p->pos++;
		return parse_unicode_escape(p, b);
	}
	hit = p->s[p->pos] != '\0' ? strchr(from, p->s[p->pos]) : NULL;
	if (hit == NULL) {
		parse_error(p, "invalid escape");
		return false;
	}
	buffer_add(b, &to[hit - from], 1);
	p->pos++;
	return true;
}

/* parse_string_bytes - a string after its opening quote, decoded */
static bool
parse_string_bytes(struct parser *p, struct buffer *b)
{
	buffer_add(b, "", 0);
	for (;;) {
		unsigned char c;
		size_t n;

		if (p->pos == p->len) {
			parse_error(p, "unterminated string");
			return false;
		}
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return true;
		}
		if (c == '\\') {
			p->pos++;
			if (!parse_escape(p, b))
				return false;
			continue;
		}
		if (c < 0x20) {
			parse_error(p, "raw control byte in a string");
			return false;
		}
		n = fuzz_utf8_length(p->s + p->pos, p->len - p->pos);
		if (n == 0) {
			parse_error(p, "invalid UTF-8 in a string");
			return false;
		}
		buffer_add(b, p->s + p->pos, n);
		p->pos += n;
	}
}

static struct fuzz_json *
new_value(enum fuzz_json_type type)
{
	struct fuzz_json *v = xcalloc(1, sizeof *v);

	v->type = type;
	return v;
}

static struct fuzz_json *
parse_string(struct parser *p)
{
	struct buffer b = {NULL, 0, 0};
	struct fuzz_json *v;

	if (!parse_string_bytes(p, &b)) {
		free(b.data);
		return NULL;
	}
	v = new_value(FUZZ_JSON_STRING);
	v->string = b.data;
	v->string_len = b.len;
	return v;
}

/* parse_digits - one or more digits; false when there are none */
static bool
parse_digits(struct parser *p)
{
	if (!is_digit(p))
		return false;
	while (is_digit(p))
		p->pos++;
	return true;
}

static struct fuzz_json *
parse_number(struct parser *p)
{
	size_t start = p->pos;
	bool negative = accept(p, '-');
	bool integer = true;
	struct fuzz_json *v;
	uint64_t value = 0;

	/* "0" or a digit run without a leading zero. */
	if (accept(p, '0')) {
		if (is_digit(p)) {
			parse_error(p, "leading zero in a number");
			return NULL;
		}
	} else if (!parse_digits(p)) {
		parse_error(p, "invalid number");
		return NULL;
	}
	if (accept(p, '.')) {
		integer = false;
		if (!parse_digits(p)) {
			parse_error(p, "no digit after the decimal point");
			return NULL;
		}
	}
	if (accept(p, 'e') || accept(p, 'E')) {
		integer = false;
		if (!accept(p, '+'))
			accept(p, '-');
		if (!parse_digits(p)) {
			parse_error(p, "no digit in the exponent");
			return NULL;
		}
	}

	v = new_value(FUZZ_JSON_NUMBER);
	if (!negative && integer) {
		v->is_uint = true;
		for (size_t i = start; i < p->pos; i++) {
			unsigned digit = p->s[i] - '0';

			if (value > (UINT64_MAX - digit) / 10) {
				v->is_uint = false;
				break;
			}
			value = value * 10 + digit;
		}
		v->uint_value = value;
	}
	return v;
}

/* add_item - append value (and key, for objects) to v */
static void
add_item(struct fuzz_json *v, struct fuzz_json *item, struct buffer *key)
{
	v->items = xreallocarray(v->items, v->nitems + 1, sizeof *v->items);
	v->items[v->nitems] = item;
	if (key != NULL) {
		v->keys = xreallocarray(v->keys, v->nitems + 1,
					sizeof *v->keys);
		v->key_lens = xreallocarray(v->key_lens, v->nitems + 1,
					    sizeof *v->key_lens);
		v->keys[v->nitems] = key->data;
		v->key_lens[v->nitems] = key->len;
	}
	v->nitems++;
}

/* has_key - is the decoded key already in object v? */
static bool
has_key(const struct fuzz_json *v, const struct buffer *key)
{
	for (size_t i = 0; i < v->nitems; i++)
		if (v->key_lens[i] == key->len &&
		    memcmp(v->keys[i], key->data, key->len) == 0)
			return true;
	return false;
}

/* parse_member - "KEY": VALUE inside an object */
static bool
parse_member(struct parser *p, struct fuzz_json *v, int depth)
{
	struct buffer key = {NULL, 0, 0};
	struct fuzz_json *item;

	skip_whitespace(p);
	if (!accept(p, '"')) {
		parse_error(p, "expected a key");
		return false;
	}
	if (!parse_string_bytes(p, &key)) {
		free(key.data);
		return false;
	}
	if (has_key(v, &key)) {
		parse_error(p, "duplicate key");
		free(key.data);
		return false;
	}
	skip_whitespace(p);
	if (!accept(p, ':')) {
		parse_error(p, "expected ':' after a key");
		free(key.data);
		return false;
	}
	item = parse_value(p, depth + 1);
	if (item == NULL) {
		free(key.data);
		return false;
	}
	add_item(v, item, &key);
	return true;
}

/* parse_container - an array or object after its opening bracket */
static struct fuzz_json *
parse_container(struct parser *p, bool object, int depth)
{
	struct fuzz_json *v = new_value(object ? FUZZ_JSON_OBJECT
					       : FUZZ_JSON_ARRAY);
	char close = object ? '}' : ']';

	if (depth >= FUZZ_JSON_DEPTH_MAX) {
		parse_error(p, "nested too deeply");
		fuzz_json_free(v);
		return NULL;
	}
	skip_whitespace(p);
	if (accept(p, close))
		return v;

	do {
		if (object) {
			if (!parse_member(p, v, depth))
				goto fail;
		} else {
			struct fuzz_json *item = parse_value(p, depth + 1);

			if (item == NULL)
				goto fail;
			add_item(v, item, NULL);
		}
		skip_whitespace(p);
	} while (accept(p, ','));

	if (!accept(p, close)) {
		parse_error(p, object ? "expected ',' or '}'"
				      : "expected ',' or ']'");
		goto fail;
	}
	return v;

fail:
	fuzz_json_free(v);
	return NULL;
}

/* parse_literal - null, true or false */
static struct fuzz_json *
parse_literal(struct parser *p, const char *word, enum fuzz_json_type type)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) {
		parse_error(p, "invalid literal");
		return NULL;
	}
	p->pos += n;
	return new_value(type);
}

static struct fuzz_json *
parse_value(struct parser *p, int depth)
{
	skip_whitespace(p);
	if (p->pos == p->len) {
		parse_error(p, "expected a value");
		return NULL;
	}
	switch (p->s[p->pos]) {
	case '{':
		p->pos++;
		return parse_container(p, true, depth);
	case '[':
		p->pos++;
		return parse_container(p, false, depth);
	case '"':
		p->pos++;
		return parse_string(p);
	case 'n':
		return parse_literal(p, "null", FUZZ_JSON_NULL);
	case 't':
		return parse_literal(p, "true", FUZZ_JSON_TRUE);
	case 'f':
		return parse_literal(p, "false", FUZZ_JSON_FALSE);
	default:
		return parse_number(p);
	}
}

struct fuzz_json *
fuzz_json_parse(const char *text, size_t len, char error[FUZZ_JSON_ERROR_MAX])
{
	struct parser p = {(const unsigned char *)text, len, 0, error, false};
	struct fuzz_json *v;

	error[0] = '\0';
	v = parse_value(&p, 0);
	if (v == NULL)
		return NULL;
	skip_whitespace(&p);
	if (p.pos != p.len) {
		parse_error(&p, "text after the value");
		fuzz_json_free(v);
		return NULL;
	}
	return v;
}

void
fuzz_json_free(struct fuzz_json *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->nitems; i++) {
		fuzz_json_free(v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->key_lens);
	free(v->string);
	free(v);
}

const struct fuzz_json *
fuzz_json_get(const struct fuzz_json *v, const char *key)
{
	size_t n = strlen(key);

	if (v == NULL || v->type != FUZZ_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->nitems; i++)
		if (v->key_lens[i] == n && memcmp(v->keys[i], key, n) == 0)
			return v->items[i];
	return NULL;
}

const struct fuzz_json *
fuzz_json_at(const struct fuzz_json *v, size_t i)
{
	if (v == NULL || v->type != FUZZ_JSON_ARRAY || i >= v->nitems)
		return NULL;
	return v->items[i];
}
