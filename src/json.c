/* SPDX-License-Identifier: MIT */
/*
 * json.c - a strict, bounded JSON parser
 *
 * Recursive descent over the grammar of RFC 8259 sections 2 to 8.  The
 * items of an array or object being read are collected in a growing
 * buffer of that level, then copied into the arena when the closing
 * bracket is reached, so that the tree has no spare room.  The first
 * error stops the parse and is recorded with its byte offset.
 */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/escape.h"
#include "bouncelog/i18n.h"
#include "bouncelog/json.h"
#include "bouncelog/xalloc.h"

/* Bytes of an arena block; a larger request gets a block of its own. */
#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

struct json_doc {
	struct arena_block *blocks;
	struct json_value root;
};

struct parser {
	const unsigned char *s;
	size_t len;
	size_t pos;
	size_t values; /* values read so far */
	struct json_doc *doc;
	struct json_error *error;
	bool failed;
};

/* A growing buffer of decoded bytes or of items being collected. */
struct buffer {
	unsigned char *data;
	size_t len;
	size_t cap;
};

static bool parse_value(struct parser *p, struct json_value *v, int depth);

/* arena_alloc - size bytes from doc's arena, aligned for any type */
static void *
arena_alloc(struct json_doc *doc, size_t size)
{
	struct arena_block *b = doc->blocks;
	size_t align = alignof(max_align_t);

	size = (size + align - 1) / align * align;
	if (b == NULL || b->size - b->used < size) {
		size_t block = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = xmalloc(sizeof *b + block);
		b->size = block;
		b->used = 0;
		b->next = doc->blocks;
		doc->blocks = b;
	}
	b->used += size;
	return b->data + b->used - size;
}

/* fail - record the first error at offset */
static bool
fail(struct parser *p, size_t offset, const char *message)
{
	if (!p->failed) {
		p->failed = true;
		p->error->offset = offset;
		snprintf(p->error->message, sizeof p->error->message, "%s",
			 message);
	}
	return false;
}

static void
buffer_add(struct buffer *b, const void *bytes, size_t n)
{
	if (b->cap - b->len < n) {
		b->cap = b->cap ? b->cap : 64;
		while (b->cap - b->len < n)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
}

/* buffer_to_arena - a copy of the buffer's bytes in the arena, with a
 * NUL added when terminate is set */
static void *
buffer_to_arena(struct json_doc *doc, const struct buffer *b, bool terminate)
{
	unsigned char *copy = arena_alloc(doc, b->len + terminate);

	if (b->len > 0)
		memcpy(copy, b->data, b->len);
	if (terminate)
		copy[b->len] = '\0';
	return copy;
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
accept(struct parser *p, unsigned char c)
{
	if (p->pos < p->len && p->s[p->pos] == c) {
		p->pos++;
		return true;
	}
	return false;
}

static bool
at_digit(const struct parser *p)
{
	return p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

/* add_code_point - append cp (at most U+10FFFF, not a surrogate) as
 * UTF-8 */
static void
add_code_point(struct buffer *b, unsigned long cp)
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

/* parse_hex4 - the four hex digits of a \u escape at pos, or -1 */
static long
parse_hex4(struct parser *p)
{
	long value = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		unsigned char c = p->s[p->pos + i];
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

/* parse_unicode_escape - the rest of "\uXXXX" at pos, which is after the
 * 'u', and a second escape when the first is a high surrogate */
static bool
parse_unicode_escape(struct parser *p, struct buffer *b, size_t start)
{
	long cp = parse_hex4(p), low;

	if (cp < 0)
		return fail(p, start,
			    _("invalid \\u escape: four hex digits "
			      "must follow \\u"));
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, start,
			    _("invalid \\u escape: a low surrogate "
			      "without a high surrogate before it"));
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!accept(p, '\\') || !accept(p, 'u') ||
		    (low = parse_hex4(p)) < 0 || low < 0xdc00 || low > 0xdfff)
			return fail(p, start,
				    _("invalid \\u escape: a high surrogate "
				      "without a low surrogate after it"));
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	add_code_point(b, (unsigned long)cp);
	return true;
}

/* parse_escape - the escape whose backslash is at pos - 1 */
static bool
parse_escape(struct parser *p, struct buffer *b)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	size_t start = p->pos - 1;
	const char *hit;

	if (p->pos == p->len)
		return fail(p, start, _("unterminated string"));
	if (accept(p, 'u'))
		return parse_unicode_escape(p, b, start);
	hit = p->s[p->pos] != '\0' ? strchr(from, p->s[p->pos]) : NULL;
	if (hit == NULL)
		return fail(p, start,
			    _("invalid escape in a string; use one "
			      "of \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
			      "\\uXXXX"));
	buffer_add(b, &to[hit - from], 1);
	p->pos++;
	return true;
}

/* parse_string_bytes - the string whose opening quote is at pos - 1,
 * decoded into b */
static bool
parse_string_bytes(struct parser *p, struct buffer *b)
{
	size_t start = p->pos - 1;

	for (;;) {
		unsigned char c;
		size_t n;

		if (p->pos == p->len)
			return fail(p, start, _("unterminated string"));
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
		if (c < 0x20)
			return fail(p, p->pos,
				    _("control byte in a string; "
				      "it must be written as a "
				      "\\u escape"));
		n = utf8_sequence_len(p->s + p->pos, p->len - p->pos);
		if (n == 0)
			return fail(p, p->pos, _("invalid UTF-8 in a string"));
		buffer_add(b, p->s + p->pos, n);
		p->pos += n;
	}
}

static bool
parse_string(struct parser *p, struct json_value *v)
{
	struct buffer b = {NULL, 0, 0};
	bool ok = parse_string_bytes(p, &b);

	if (ok) {
		v->type = JSON_STRING;
		v->len = b.len;
		v->as.string = buffer_to_arena(p->doc, &b, true);
	}
	free(b.data);
	return ok;
}

/* parse_digits - one or more digits; false when there is none */
static bool
parse_digits(struct parser *p)
{
	if (!at_digit(p))
		return false;
	while (at_digit(p))
		p->pos++;
	return true;
}

/* number_value - the value of the digits s[0..len) when it fits */
static bool
number_value(const unsigned char *s, size_t len, uint64_t *out)
{
	uint64_t value = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned digit = (unsigned)(s[i] - '0');

		if (value > (UINT64_MAX - digit) / 10)
			return false;
		value = value * 10 + digit;
	}
	*out = value;
	return true;
}

static bool
parse_number(struct parser *p, struct json_value *v)
{
	size_t start = p->pos;
	bool negative = accept(p, '-');
	bool integer = true;

	if (accept(p, '0')) {
		if (at_digit(p))
			return fail(p, start,
				    _("invalid number: a leading "
				      "zero"));
	} else if (!parse_digits(p)) {
		return fail(p, start,
			    _("invalid value: expected a string, "
			      "number, object, array, true, false "
			      "or null"));
	}
	if (accept(p, '.')) {
		integer = false;
		if (!parse_digits(p))
			return fail(p, start,
				    _("invalid number: no digit "
				      "after the decimal point"));
	}
	if (accept(p, 'e') || accept(p, 'E')) {
		integer = false;
		if (!accept(p, '+'))
			(void)accept(p, '-');
		if (!parse_digits(p))
			return fail(p, start,
				    _("invalid number: no digit in "
				      "the exponent"));
	}

	v->type = JSON_NUMBER;
	v->is_uint =
	    !negative && integer &&
	    number_value(p->s + start, p->pos - start, &v->as.uint_value);
	return true;
}

/* Key of an object member with its offset, for the duplicate check. */
struct key_ref {
	const char *key;
	size_t len;
	size_t offset;
};

static int
key_ref_compare(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* check_unique_keys - fail at the second occurrence of a repeated key;
 * sorting keeps this O(n log n) for objects of many members */
static bool
check_unique_keys(struct parser *p, const struct json_member *m, size_t n,
		  const size_t *key_offsets)
{
	struct key_ref *refs;
	bool ok = true;

	if (n < 2)
		return true;
	refs = xreallocarray(NULL, n, sizeof *refs);
	for (size_t i = 0; i < n; i++) {
		refs[i].key = m[i].key;
		refs[i].len = m[i].key_len;
		refs[i].offset = key_offsets[i];
	}
	qsort(refs, n, sizeof *refs, key_ref_compare);
	for (size_t i = 1; i < n && ok; i++)
		if (refs[i].len == refs[i - 1].len &&
		    memcmp(refs[i].key, refs[i - 1].key, refs[i].len) == 0)
			ok = fail(p, refs[i].offset,
				  _("duplicate key in an object"));
	free(refs);
	return ok;
}

/* parse_member - "KEY": VALUE, appended to members and key_offsets */
static bool
parse_member(struct parser *p, struct buffer *members,
	     struct buffer *key_offsets, int depth)
{
	struct buffer key = {NULL, 0, 0};
	struct json_member m;
	size_t offset;

	skip_whitespace(p);
	offset = p->pos;
	if (!accept(p, '"'))
		return fail(p, offset,
			    _("expected a string as the key of an "
			      "object member"));
	if (!parse_string_bytes(p, &key)) {
		free(key.data);
		return false;
	}
	m.key = buffer_to_arena(p->doc, &key, true);
	m.key_len = key.len;
	free(key.data);

	skip_whitespace(p);
	if (!accept(p, ':'))
		return fail(p, p->pos,
			    _("expected ':' after the key of an "
			      "object member"));
	if (!parse_value(p, &m.value, depth + 1))
		return false;
	buffer_add(members, &m, sizeof m);
	buffer_add(key_offsets, &offset, sizeof offset);
	return true;
}

/* parse_object - the object whose '{' is at pos - 1 */
static bool
parse_object(struct parser *p, struct json_value *v, int depth)
{
	struct buffer members = {NULL, 0, 0}, offsets = {NULL, 0, 0};
	bool ok = true;

	skip_whitespace(p);
	if (!accept(p, '}')) {
		do {
			ok = parse_member(p, &members, &offsets, depth);
			skip_whitespace(p);
		} while (ok && accept(p, ','));
		if (ok && !accept(p, '}'))
			ok = fail(p, p->pos,
				  _("expected ',' or '}' after an "
				    "object member"));
	}

	v->type = JSON_OBJECT;
	v->len = members.len / sizeof(struct json_member);
	if (ok)
		ok = check_unique_keys(p, (const void *)members.data, v->len,
				       (const void *)offsets.data);
	if (ok)
		v->as.members = buffer_to_arena(p->doc, &members, false);
	free(members.data);
	free(offsets.data);
	return ok;
}

/* parse_array - the array whose '[' is at pos - 1 */
static bool
parse_array(struct parser *p, struct json_value *v, int depth)
{
	struct buffer items = {NULL, 0, 0};
	bool ok = true;

	skip_whitespace(p);
	if (!accept(p, ']')) {
		do {
			struct json_value item;

			ok = parse_value(p, &item, depth + 1);
			if (ok)
				buffer_add(&items, &item, sizeof item);
			skip_whitespace(p);
		} while (ok && accept(p, ','));
		if (ok && !accept(p, ']'))
			ok = fail(p, p->pos,
				  _("expected ',' or ']' after an "
				    "array item"));
	}

	v->type = JSON_ARRAY;
	v->len = items.len / sizeof(struct json_value);
	if (ok)
		v->as.items = buffer_to_arena(p->doc, &items, false);
	free(items.data);
	return ok;
}

/* parse_literal - null, true or false */
static bool
parse_literal(struct parser *p, struct json_value *v, const char *word,
	      enum json_type type)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, p->pos,
			    _("invalid literal; expected true, "
			      "false or null"));
	p->pos += n;
	v->type = type;
	return true;
}

static bool
parse_value(struct parser *p, struct json_value *v, int depth)
{
	skip_whitespace(p);
	memset(v, 0, sizeof *v);
	v->offset = p->pos;
	if (p->pos == p->len)
		return fail(p, p->pos,
			    _("unexpected end of the text; "
			      "expected a value"));
	if (++p->values > JSON_VALUES_MAX)
		return fail(p, p->pos, _("too many values"));

	switch (p->s[p->pos]) {
	case '{':
	case '[':
		if (depth >= JSON_DEPTH_MAX)
			return fail(p, p->pos,
				    _("arrays and objects nested "
				      "too deeply"));
		p->pos++;
		return p->s[p->pos - 1] == '{' ? parse_object(p, v, depth)
					       : parse_array(p, v, depth);
	case '"':
		p->pos++;
		return parse_string(p, v);
	case 'n':
		return parse_literal(p, v, "null", JSON_NULL);
	case 't':
		return parse_literal(p, v, "true", JSON_TRUE);
	case 'f':
		return parse_literal(p, v, "false", JSON_FALSE);
	default:
		return parse_number(p, v);
	}
}

struct json_doc *
json_parse(const char *text, size_t len, struct json_error *error)
{
	struct json_doc *doc = xcalloc(1, sizeof *doc);
	struct parser p = {
	    (const unsigned char *)text, len, 0, 0, doc, error, false};

	memset(error, 0, sizeof *error);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		fail(&p, 0,
		     _("a byte order mark is not allowed before JSON "
		       "text; remove the first 3 bytes"));
	else if (parse_value(&p, &doc->root, 0)) {
		skip_whitespace(&p);
		if (p.pos != p.len)
			fail(&p, p.pos,
			     _("text after the end of the JSON "
			       "value"));
	}
	if (p.failed) {
		json_free(doc);
		return NULL;
	}
	return doc;
}

void
json_free(struct json_doc *doc)
{
	if (doc == NULL)
		return;
	while (doc->blocks != NULL) {
		struct arena_block *next = doc->blocks->next;

		free(doc->blocks);
		doc->blocks = next;
	}
	free(doc);
}

const struct json_value *
json_root(const struct json_doc *doc)
{
	return &doc->root;
}

const struct json_value *
json_get(const struct json_value *v, const char *key)
{
	size_t n = strlen(key);

	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->len; i++)
		if (v->as.members[i].key_len == n &&
		    memcmp(v->as.members[i].key, key, n) == 0)
			return &v->as.members[i].value;
	return NULL;
}

const char *
json_type_name(enum json_type type)
{
	switch (type) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
	case JSON_TRUE:
		return _("a boolean");
	case JSON_NUMBER:
		return _("a number");
	case JSON_STRING:
		return _("a string");
	case JSON_ARRAY:
		return _("an array");
	case JSON_OBJECT:
		return _("an object");
	}
	return "?";
}
