/* SPDX-License-Identifier: MIT */
/*
 * json.h - a strict JSON parser for checking the reports in fuzz targets
 *
 * Parses one JSON text (RFC 8259) into a tree.  It rejects everything the
 * grammar does not allow: trailing commas, leading zeros, raw control
 * bytes in strings, invalid UTF-8 anywhere, lone UTF-16 surrogates in
 * \u escapes, duplicate keys in one object, text after the value, and
 * nesting deeper than FUZZ_JSON_DEPTH_MAX.  Strings are decoded to UTF-8,
 * so a caller can compare them with the bytes that were escaped.
 *
 * Built for the harnesses only: no speed or memory tuning, and a number
 * keeps its value only when it is a non-negative integer below 2^64.
 */
#ifndef BOUNCELOG_FUZZ_JSON_H
#define BOUNCELOG_FUZZ_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Maximum nesting depth of arrays and objects. */
#define FUZZ_JSON_DEPTH_MAX 64

/* Maximum size of the error message of fuzz_json_parse(), with NUL. */
#define FUZZ_JSON_ERROR_MAX 128

enum fuzz_json_type {
	FUZZ_JSON_NULL,
	FUZZ_JSON_FALSE,
	FUZZ_JSON_TRUE,
	FUZZ_JSON_NUMBER,
	FUZZ_JSON_STRING,
	FUZZ_JSON_ARRAY,
	FUZZ_JSON_OBJECT,
};

struct fuzz_json {
	enum fuzz_json_type type;
	char *string;		/* STRING: decoded UTF-8, owned, NUL added */
	size_t string_len;	/* STRING: bytes, without the added NUL */
	bool is_uint;		/* NUMBER: a non-negative integer < 2^64 */
	uint64_t uint_value;	/* NUMBER: the value when is_uint */
	struct fuzz_json **items; /* ARRAY, OBJECT: the values, owned */
	char **keys;		/* OBJECT: decoded keys, owned, NUL added */
	size_t *key_lens;	/* OBJECT: key lengths, without the NUL */
	size_t nitems;		/* ARRAY, OBJECT: number of values */
};

/*
 * Parse text[0..len).  Returns the tree (owned, freed with
 * fuzz_json_free) or NULL with a message of at most FUZZ_JSON_ERROR_MAX
 * bytes in error, which names the byte offset.
 */
struct fuzz_json *fuzz_json_parse(const char *text, size_t len,
				  char error[FUZZ_JSON_ERROR_MAX]);

void fuzz_json_free(struct fuzz_json *value);

/* The value of key in an object, or NULL when v is not an object or
 * lacks the key. */
const struct fuzz_json *fuzz_json_get(const struct fuzz_json *v,
				      const char *key);

/* Item i of an array, or NULL when v is not an array or is shorter. */
const struct fuzz_json *fuzz_json_at(const struct fuzz_json *v, size_t i);

#endif
