/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - fuzz target: the JSON parser and the summary reader
 *
 * The input is any bytes, read as a JSON text and as a summary for
 * --merge.  The target checks:
 *	- json_parse() accepts exactly the texts that the independent
 *	  parser in fuzz/json.c accepts, and both give the same tree: the
 *	  same types, decoded strings and keys in order, and the same
 *	  integers;
 *	- a rejected text has an error message and an offset inside the
 *	  text;
 *	- summary_parse() fails only after an error diagnostic.  When it
 *	  reads a tally, the JSON report of that tally is read back without
 *	  error, and the report of what was read back is the same report:
 *	  writing and reading a summary loses nothing;
 *	- the text report of a tally read is valid UTF-8 without control
 *	  bytes other than LF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/json.h"
#include "bouncelog/reason.h"
#include "bouncelog/report.h"
#include "bouncelog/summary.h"
#include "bouncelog/tally.h"
#include "harness.h"
#include "json.h"

/* The name the inputs are read under, as --merge would name a file. */
#define INPUT_NAME "fuzz.json"

static const struct report_writer *json_writer;
static const struct report_writer *text_writer;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	FUZZ_CHECK(codes_init() == 0, "codes_init failed: %s",
		   fuzz_diag_last());
	FUZZ_CHECK(reasons_init() == 0, "reasons_init failed: %s",
		   fuzz_diag_last());
	json_writer = report_writer_find("json");
	text_writer = report_writer_find("text");
	FUZZ_CHECK(json_writer != NULL && text_writer != NULL,
		   "the json or text report writer is missing");
	return 0;
}

/* check_same_tree - the library's value against the reference's */
static void
check_same_tree(const struct json_value *got, const struct fuzz_json *want,
		const char *where)
{
	static const enum fuzz_json_type types[] = {
	    [JSON_NULL] = FUZZ_JSON_NULL,     [JSON_FALSE] = FUZZ_JSON_FALSE,
	    [JSON_TRUE] = FUZZ_JSON_TRUE,     [JSON_NUMBER] = FUZZ_JSON_NUMBER,
	    [JSON_STRING] = FUZZ_JSON_STRING, [JSON_ARRAY] = FUZZ_JSON_ARRAY,
	    [JSON_OBJECT] = FUZZ_JSON_OBJECT,
	};

	FUZZ_CHECK(types[got->type] == want->type,
		   "%s: type %d, reference type %d", where, (int)got->type,
		   (int)want->type);
	switch (got->type) {
	case JSON_NUMBER:
		FUZZ_CHECK(got->is_uint == want->is_uint &&
			       (!got->is_uint ||
				got->as.uint_value == want->uint_value),
			   "%s: number differs from the reference", where);
		break;
	case JSON_STRING:
		FUZZ_CHECK(got->len == want->string_len &&
			       memcmp(got->as.string, want->string, got->len) ==
				   0 &&
			       got->as.string[got->len] == '\0',
			   "%s: string differs from the reference", where);
		break;
	case JSON_ARRAY:
		FUZZ_CHECK(got->len == want->nitems,
			   "%s: %zu items, reference %zu", where, got->len,
			   want->nitems);
		for (size_t i = 0; i < got->len; i++)
			check_same_tree(&got->as.items[i], want->items[i],
					where);
		break;
	case JSON_OBJECT:
		FUZZ_CHECK(got->len == want->nitems,
			   "%s: %zu members, reference %zu", where, got->len,
			   want->nitems);
		for (size_t i = 0; i < got->len; i++) {
			const struct json_member *m = &got->as.members[i];

			FUZZ_CHECK(
			    m->key_len == want->key_lens[i] &&
				memcmp(m->key, want->keys[i], m->key_len) == 0,
			    "%s: key %zu differs from the reference", where, i);
			check_same_tree(&m->value, want->items[i], where);
		}
		break;
	default:
		break;
	}
}

/* check_parser - json_parse() against the reference parser */
static void
check_parser(const char *text, size_t len)
{
	char ref_error[FUZZ_JSON_ERROR_MAX];
	struct fuzz_json *want = fuzz_json_parse(text, len, ref_error);
	struct json_error error;
	struct json_doc *got = json_parse(text, len, &error);

	FUZZ_CHECK((got != NULL) == (want != NULL),
		   "json_parse %s, the reference %s (%s / %s)",
		   got ? "accepted" : "rejected",
		   want ? "accepted" : "rejected", got ? "" : error.message,
		   want ? "" : ref_error);
	if (got != NULL)
		check_same_tree(json_root(got), want, "tree");
	else
		FUZZ_CHECK(error.message[0] != '\0' && error.offset <= len,
			   "rejected with offset %zu of %zu and message "
			   "\"%s\"",
			   error.offset, len, error.message);
	json_free(got);
	fuzz_json_free(want);
}

/* write_report - a report of t in memory, NUL-terminated */
static char *
write_report(const struct report_writer *writer, const struct tally *t,
	     size_t *len)
{
	struct report_options opts = {.lang = LANG_EN,
				      .top = REPORT_TOP_DEFAULT};
	struct fuzz_memout out;

	fuzz_memout_open(&out);
	FUZZ_CHECK(writer->write(out.fp, t, &opts) == 0, "the %s writer failed",
		   writer->name);
	fuzz_memout_close(&out);
	*len = out.len;
	return out.buf;
}

/* check_summary - read the input as a summary and write it back */
static void
check_summary(const char *text, size_t len)
{
	unsigned long errors = fuzz_diag_errors();
	struct tally *t = summary_parse(text, len, INPUT_NAME), *again;
	char *first, *second, *report;
	size_t first_len, second_len, report_len;

	if (t == NULL) {
		FUZZ_CHECK(fuzz_diag_errors() > errors,
			   "summary_parse failed without an error");
		return;
	}

	first = write_report(json_writer, t, &first_len);
	errors = fuzz_diag_errors();
	again = summary_parse(first, first_len, INPUT_NAME);
	FUZZ_CHECK(again != NULL,
		   "the JSON report of a summary read was "
		   "rejected: %s",
		   fuzz_diag_last());
	FUZZ_CHECK(fuzz_diag_errors() == errors,
		   "reading a written summary gave an error");
	second = write_report(json_writer, again, &second_len);
	FUZZ_CHECK(first_len == second_len &&
		       memcmp(first, second, first_len) == 0,
		   "a summary written, read and written again changed");

	report = write_report(text_writer, t, &report_len);
	fuzz_check_safe_text("text report", report, report_len, true);

	free(report);
	free(second);
	free(first);
	tally_free(again);
	tally_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;

	check_parser(text, size);
	check_summary(text, size);
	return 0;
}
