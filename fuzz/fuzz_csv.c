/* SPDX-License-Identifier: MIT */
/*
 * fuzz_csv.c - fuzz target: the CSV record splitter of Exchange logs
 *
 * The input is one record.  The target checks:
 *	- the result is a known enum csv_result with a description, and at
 *	  most CSV_FIELDS_MAX fields were filled;
 *	- every field lies inside the record or inside the caller's buffer
 *	  of len bytes;
 *	- a record without a double quote splits exactly at its commas;
 *	- a record that splits is written back with every field quoted and
 *	  each double quote doubled (RFC 4180), and that text splits into
 *	  the same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/csv.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_field - span f lies in text[0..len) or buf[0..len) */
static void
check_field(size_t i, struct span f, const char *text, const char *buf,
	    size_t len)
{
	bool in_text, in_buf;

	if (f.len == 0)
		return;
	FUZZ_CHECK(f.ptr != NULL, "field %zu has length %zu and no bytes", i,
		   f.len);
	in_text = f.ptr >= text && f.len <= len &&
		  (size_t)(f.ptr - text) <= len - f.len;
	in_buf = f.ptr >= buf && f.len <= len &&
		 (size_t)(f.ptr - buf) <= len - f.len;
	FUZZ_CHECK(in_text || in_buf, "field %zu lies outside the record", i);
}

/* check_plain - without quotes, the fields are the text between commas */
static void
check_plain(const char *text, size_t len, const struct csv_record *rec)
{
	size_t start = 0, n = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != ',')
			continue;
		FUZZ_CHECK(n < rec->count, "fewer fields than commas");
		FUZZ_CHECK(rec->fields[n].len == i - start &&
				   memcmp(rec->fields[n].ptr, text + start,
					  i - start) == 0,
			   "field %zu differs from the text between commas", n);
		n++;
		start = i + 1;
	}
	FUZZ_CHECK(n == rec->count, "%zu fields for %zu comma-separated ones",
		   rec->count, n);
}

/* quote_all - write rec back with every field quoted; returns the length */
static size_t
quote_all(const struct csv_record *rec, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->count; i++) {
		if (i > 0)
			out[n++] = ',';
		out[n++] = '"';
		for (size_t k = 0; k < rec->fields[i].len; k++) {
			char c = rec->fields[i].ptr[k];

			if (c == '"')
				out[n++] = '"';
			out[n++] = c;
		}
		out[n++] = '"';
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *buf, *quoted, *buf2;
	struct csv_record *rec, *again;
	enum csv_result result;
	size_t qlen;

	buf = malloc(size + 1);
	rec = malloc(sizeof *rec);
	again = malloc(sizeof *again);
	FUZZ_CHECK(buf != NULL && rec != NULL && again != NULL,
		   "out of memory");

	result = csv_split(text, size, buf, rec);
	FUZZ_CHECK(result == CSV_OK || result == CSV_OPEN_QUOTE ||
			   result == CSV_BAD_QUOTE || result == CSV_TOO_MANY,
		   "unknown result %d", (int)result);
	FUZZ_CHECK(csv_result_text(result) != NULL &&
			   csv_result_text(result)[0] != '\0',
		   "result %d has no description", (int)result);
	FUZZ_CHECK(rec->count <= CSV_FIELDS_MAX, "%zu fields", rec->count);
	for (size_t i = 0; i < rec->count; i++)
		check_field(i, rec->fields[i], text, buf, size);

	if (result == CSV_OK && memchr(text, '"', size) == NULL)
		check_plain(text, size, rec);

	if (result == CSV_OK) {
		/* Each byte may double and each field adds two quotes and a
		 * comma. */
		quoted = malloc(2 * size + 3 * rec->count + 1);
		FUZZ_CHECK(quoted != NULL, "out of memory");
		qlen = quote_all(rec, quoted);
		buf2 = malloc(qlen + 1);
		FUZZ_CHECK(buf2 != NULL, "out of memory");

		FUZZ_CHECK(csv_split(quoted, qlen, buf2, again) == CSV_OK,
			   "the quoted record does not split");
		FUZZ_CHECK(again->count == rec->count,
			   "the quoted record has %zu fields, the record %zu",
			   again->count, rec->count);
		for (size_t i = 0; i < rec->count; i++)
			FUZZ_CHECK(again->fields[i].len == rec->fields[i].len &&
					   (rec->fields[i].len == 0 ||
					    memcmp(again->fields[i].ptr,
						   rec->fields[i].ptr,
						   rec->fields[i].len) == 0),
				   "field %zu changed when quoted", i);
		free(buf2);
		free(quoted);
	}

	free(again);
	free(rec);
	free(buf);
	return 0;
}
