/* SPDX-License-Identifier: MIT */
/*
 * json.h - a strict, bounded JSON parser
 *
 * json_parse() reads one JSON text (RFC 8259) into a read-only tree.  It
 * rejects everything the grammar does not allow, such as trailing commas,
 * leading zeros, raw control bytes in strings and invalid UTF-8
 * (overlong forms and encoded surrogates included).  It also rejects what
 * the RFC leaves to the parser and no bouncelog summary contains: a byte
 * order mark, lone UTF-16 surrogates in \u escapes, a key that occurs
 * twice in one object, nesting deeper than JSON_DEPTH_MAX and more than
 * JSON_VALUES_MAX values.  Strings are decoded to UTF-8 and may contain
 * NUL (from \u0000), so their length is explicit.
 *
 * Memory is one arena per document: about 40 bytes per value plus the
 * decoded strings, so at most about 40 * JSON_VALUES_MAX bytes plus the
 * input's length.  Callers bound the input's length.  Recursion is at most
 * JSON_DEPTH_MAX calls deep.
 */
#ifndef BOUNCELOG_JSON_H
#define BOUNCELOG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Maximum nesting depth of arrays and objects. */
#define JSON_DEPTH_MAX 64

/* Maximum number of values (members' values, items, scalars) in a text. */
#define JSON_VALUES_MAX 4000000

/* Maximum size of a parse error message, with NUL. */
#define JSON_ERROR_MAX 128

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_member;

/* One value of the tree; everything it points to is in the arena. */
struct json_value {
	enum json_type type;
	bool is_uint;		/* NUMBER: a non-negative integer < 2^64,
				 * without fraction or exponent */
	size_t offset;		/* byte offset of the value in the text */
	size_t len;		/* STRING: bytes without the added NUL;
				 * ARRAY: items; OBJECT: members */
	union {
		const char *string;		/* STRING: decoded UTF-8 */
		uint64_t uint_value;		/* NUMBER, when is_uint */
		const struct json_value *items;	/* ARRAY, in text order */
		const struct json_member *members; /* OBJECT, in text order */
	} as;
};

struct json_member {
	const char *key;	/* decoded UTF-8 with a NUL added */
	size_t key_len;
	struct json_value value;
};

/* Why a text was rejected: the first error and where it was found. */
struct json_error {
	size_t offset;		/* byte offset of the offending byte */
	char message[JSON_ERROR_MAX];
};

struct json_doc;

/*
 * Parse text[0..len).  Returns the document (owned, freed with
 * json_free()) or NULL with *error set.
 */
struct json_doc *json_parse(const char *text, size_t len,
			    struct json_error *error);

/* Free doc and every value in it; accepts NULL. */
void json_free(struct json_doc *doc);

/* The top-level value of doc. */
const struct json_value *json_root(const struct json_doc *doc);

/* The value of member key of an object, or NULL when v is not an object
 * or has no such member. */
const struct json_value *json_get(const struct json_value *v,
				  const char *key);

/* The name of a type, such as "an object", for messages. */
const char *json_type_name(enum json_type type);

#endif
