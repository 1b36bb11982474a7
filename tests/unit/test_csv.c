/* SPDX-License-Identifier: MIT */
/*
 * test_csv.c - unit tests of the CSV record splitter
 *
 * Every record is copied into a buffer of exactly its length, so that a
 * read past the end shows up under AddressSanitizer and valgrind.  Each
 * case lists the fields it expects, joined with "|" for a compact table;
 * no case has a "|" inside a field.  Generated records are also split by
 * a model written one byte at a time, and every result, count and field
 * must be the same.
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

#include "bouncelog/csv.h"
#include "check.h"

struct split_case {
	const char *name;
	const char *record;
	enum csv_result want_result;
	size_t want_count;
	const char *want_fields;	/* fields joined with "|" */
};

static const struct split_case split_cases[] = {
	{"plain fields", "a,b,c", CSV_OK, 3, "a|b|c"},
	{"empty record is one field", "", CSV_OK, 1, ""},
	{"empty fields", ",,", CSV_OK, 3, "||"},
	{"trailing comma", "a,", CSV_OK, 2, "a|"},
	{"leading comma", ",a", CSV_OK, 2, "|a"},
	{"quoted comma", "x,\"Invoice 2024-0117, overdue\",y", CSV_OK, 3,
	 "x|Invoice 2024-0117, overdue|y"},
	{"doubled quotes", "\"Meeting notes \"\"draft\"\"\",z", CSV_OK, 2,
	 "Meeting notes \"draft\"|z"},
	{"only a doubled quote", "\"\"\"\"", CSV_OK, 1, "\""},
	{"quoted empty field", "\"\",a", CSV_OK, 2, "|a"},
	{"quoted last field", "a,\"b\"", CSV_OK, 2, "a|b"},
	{"quoted line break", "\"a\r\nb\",c", CSV_OK, 2, "a\r\nb|c"},
	{"quote inside unquoted field", "ab\"c,d", CSV_OK, 2, "ab\"c|d"},
	{"blank kept", " a , b ", CSV_OK, 2, " a | b "},
	{"semicolons are data", "a;b,c;d", CSV_OK, 2, "a;b|c;d"},
	{"unclosed quote", "a,\"b,c", CSV_OPEN_QUOTE, 1, "a"},
	{"unclosed after doubled quote", "\"a\"\"", CSV_OPEN_QUOTE, 0, ""},
	{"data after closing quote", "\"a\"b,c", CSV_BAD_QUOTE, 0, ""},
	{"blank after closing quote", "\"a\" ,c", CSV_BAD_QUOTE, 0, ""},
	{"high bytes", "\xc3\xa7,\xff", CSV_OK, 2, "\xc3\xa7|\xff"},
};

static const char *const result_names[] = {
	[CSV_OK] = "OK",
	[CSV_OPEN_QUOTE] = "OPEN_QUOTE",
	[CSV_BAD_QUOTE] = "BAD_QUOTE",
	[CSV_TOO_MANY] = "TOO_MANY",
};

/* check_fields - compare the fields read with the "|"-joined want */
static void
check_fields(const char *name, const struct csv_record *rec, size_t count,
	     const char *want)
{
	const char *p = want;

	for (size_t i = 0; i < count && i < rec->count; i++) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char what[32];
		char *one = malloc(n + 1);

		assert_non_null(one);
		memcpy(one, p, n);
		one[n] = '\0';
		snprintf(what, sizeof what, "field %zu", i);
		check_span(name, what, rec->fields[i], one);
		free(one);
		p = bar ? bar + 1 : p + n;
	}
}

static void
test_split_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		size_t len = strlen(c->record);
		char *text = copy_exact(c->record, len);
		char *buf = malloc(len + 1);
		struct csv_record rec;
		enum csv_result rc;

		assert_non_null(buf);
		rc = csv_split(text, len, buf, &rec);

		check_str(c->name, "result", result_names[rc],
			  result_names[c->want_result]);
		check_int(c->name, "count", (long long)rec.count,
			  (long long)c->want_count);
		check_fields(c->name, &rec, c->want_count, c->want_fields);
		free(text);
		free(buf);
	}
	finish_cases();
}

/* A record of exactly CSV_FIELDS_MAX fields splits; one more does not. */
static void
test_split_field_limit(void **state)
{
	char text[2 * CSV_FIELDS_MAX + 2];
	char buf[sizeof text];
	struct csv_record rec;
	size_t len;

	(void)state;
	memset(text, ',', sizeof text);
	len = CSV_FIELDS_MAX - 1;
	check_str("limit", "result at the maximum",
		  result_names[csv_split(text, len, buf, &rec)], "OK");
	check_int("limit", "count at the maximum", (long long)rec.count,
		  CSV_FIELDS_MAX);
	check_str("limit", "result over the maximum",
		  result_names[csv_split(text, len + 1, buf, &rec)],
		  "TOO_MANY");
	check_int("limit", "count over the maximum", (long long)rec.count,
		  CSV_FIELDS_MAX);
	finish_cases();
}

/* Only values with a doubled quote are decoded into buf; the others
 * point into text. */
static void
test_split_field_storage(void **state)
{
	const char *record = "plain,\"quoted\",\"a \"\"b\"\"\"";
	size_t len = strlen(record);
	char *text = copy_exact(record, len);
	char *buf = malloc(len + 1);
	struct csv_record rec;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(csv_split(text, len, buf, &rec), CSV_OK);
	assert_int_equal(rec.count, 3);
	assert_ptr_equal(rec.fields[0].ptr, text);
	assert_ptr_equal(rec.fields[1].ptr, text + 7);
	assert_ptr_equal(rec.fields[2].ptr, buf);
	free(text);
	free(buf);
}

static void
test_result_text(void **state)
{
	(void)state;
	check_str("text", "open quote", csv_result_text(CSV_OPEN_QUOTE),
		  "quoted field not closed");
	check_str("text", "too many", csv_result_text(CSV_TOO_MANY),
		  "too many fields");
	finish_cases();
}

/*
 * reference_split - csv_split() written the plain way, one byte at a
 * time, as the test's model: a field that starts with a quote runs to
 * the first quote not followed by another, and every other field to the
 * next comma.
 */
static enum csv_result
reference_split(const char *text, size_t len, char *buf,
		struct csv_record *rec)
{
	size_t pos = 0, n = 0;

	rec->count = 0;
	for (;;) {
		const char *from;
		size_t flen = 0;

		if (rec->count == CSV_FIELDS_MAX)
			return CSV_TOO_MANY;
		if (pos < len && text[pos] == '"') {
			from = buf + n;
			for (pos++;; pos++) {
				if (pos == len)
					return CSV_OPEN_QUOTE;
				if (text[pos] != '"') {
					buf[n++] = text[pos];
					flen++;
				} else if (pos + 1 < len && text[pos + 1] == '"') {
					buf[n++] = '"';
					flen++;
					pos++;
				} else {
					break;
				}
			}
			pos++;
			if (pos < len && text[pos] != ',')
				return CSV_BAD_QUOTE;
		} else {
			from = text + pos;
			while (pos < len && text[pos] != ',') {
				pos++;
				flen++;
			}
		}
		rec->fields[rec->count++] = span_make(from, flen);
		if (pos >= len)
			return CSV_OK;
		pos++;
	}
}

/* Bytes of generated records: the separators, and bytes next to them
 * in value (a comma is 0x2c, a quote 0x22). */
static const char record_bytes[] = ",,,,\"\"ab -+!#\x7f\x80\xac\xa2";

/* test_split_same_as_reference - csv_split() against the model on
 * generated records of 0 to 300 bytes, many with about 64 fields */
static void
test_split_same_as_reference(void **state)
{
	struct check_rng rng = {UINT64_C(0x2545f4914f6cdd1d)};
	static struct csv_record got, want;
	char text[300], buf_got[300], buf_want[300], name[32];
	unsigned long split = 0, too_many = 0;

	(void)state;
	for (unsigned i = 0; i < 40000; i++) {
		size_t len = check_rng_below(&rng, sizeof text + 1);
		unsigned commas = check_rng_below(&rng, 4);
		enum csv_result rg, rw;
		char *copy;

		for (size_t k = 0; k < len; k++) {
			unsigned r = check_rng_below(&rng, 16);

			/* Mostly plain bytes, with commas more often in
			 * some records so that they reach the limit. */
			text[k] = r < commas * 3 ? ','
						 : record_bytes[check_rng_below(
						       &rng, sizeof record_bytes - 1)];
		}
		copy = copy_exact(text, len);
		rg = csv_split(copy, len, buf_got, &got);
		rw = reference_split(copy, len, buf_want, &want);
		snprintf(name, sizeof name, "record %u", i);
		check_int(name, "result", rg, rw);
		check_int(name, "count", (long long)got.count,
			  (long long)want.count);
		for (size_t f = 0; f < got.count && f < want.count; f++) {
			check_int(name, "field length",
				  (long long)got.fields[f].len,
				  (long long)want.fields[f].len);
			if (got.fields[f].len == want.fields[f].len &&
			    memcmp(got.fields[f].ptr, want.fields[f].ptr,
				   got.fields[f].len) != 0)
				note_mismatch("%s: field %zu differs", name, f);
		}
		split += rw == CSV_OK;
		too_many += rw == CSV_TOO_MANY;
		free(copy);
	}
	print_message("# %lu records split, %lu with too many fields\n", split,
		      too_many);
	assert_true(split > 5000);
	assert_true(too_many > 1000);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_cases),
		cmocka_unit_test(test_split_field_limit),
		cmocka_unit_test(test_split_field_storage),
		cmocka_unit_test(test_split_same_as_reference),
		cmocka_unit_test(test_result_text),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("csv", tests, ARRAY_LEN(tests));
}
