/* SPDX-License-Identifier: MIT */
/*
 * output_checks.c - checks of the CSV, Prometheus and event outputs
 * shared by the fuzz targets
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/csv.h"
#include "harness.h"
#include "json.h"
#include "output_checks.h"

/* Families a Prometheus exposition may declare in one check. */
#define FAMILIES_MAX 64

/* check_record - one CSV record (without its CRLF); returns its fields */
static size_t
check_record(const char *what, const char *s, size_t len, size_t line)
{
	struct csv_record rec;
	char *buf = malloc(len + 1);

	FUZZ_CHECK(buf != NULL, "out of memory");
	fuzz_check_safe_text(what, s, len, false);
	FUZZ_CHECK(csv_split(s, len, buf, &rec) == CSV_OK,
		   "%s: record %zu does not parse", what, line);
	for (size_t i = 0; i < rec.count; i++) {
		struct span f = rec.fields[i];

		FUZZ_CHECK(f.len == 0 || !strchr("=+-@", f.ptr[0]) ||
				   f.ptr[0] == '\0',
			   "%s: record %zu, field %zu starts a formula", what,
			   line, i);
	}
	free(buf);
	return rec.count;
}

void
fuzz_check_csv_document(const char *what, const char *s, size_t len)
{
	size_t fields = 0;
	size_t line = 1;

	FUZZ_CHECK(len >= 2 && memcmp(s + len - 2, "\r\n", 2) == 0,
		   "%s: does not end in CRLF", what);
	while (len > 0) {
		const char *end = memchr(s, '\n', len);
		size_t n;

		FUZZ_CHECK(end != NULL && end > s && end[-1] == '\r',
			   "%s: record %zu does not end in CRLF", what, line);
		n = check_record(what, s, (size_t)(end - 1 - s), line);
		if (line == 1)
			fields = n;
		FUZZ_CHECK(n == fields, "%s: record %zu has %zu fields, want %zu",
			   what, line, n, fields);
		len -= (size_t)(end + 1 - s);
		s = end + 1;
		line++;
	}
}

/* name_len - length of the metric name at the start of s */
static size_t
name_len(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && (ascii_isalnum((unsigned char)s[n]) || s[n] == '_' ||
			   s[n] == ':'))
		n++;
	FUZZ_CHECK(n > 0 && !ascii_isdigit((unsigned char)s[0]),
		   "prometheus: a line starts without a metric name");
	return n;
}

/* skip_labels - the bytes of "{...}" at s, checking its values */
static size_t
skip_labels(const char *s, size_t len)
{
	size_t i = 1;

	while (i < len && s[i] != '}') {
		for (; i < len && s[i] != '='; i++)
			FUZZ_CHECK(ascii_isalnum((unsigned char)s[i]) ||
					   s[i] == '_',
				   "prometheus: invalid label name");
		FUZZ_CHECK(i + 1 < len && s[i + 1] == '"',
			   "prometheus: label value not quoted");
		for (i += 2; i < len && s[i] != '"'; i++) {
			FUZZ_CHECK(s[i] != '@', "prometheus: '@' in a label");
			if (s[i] != '\\')
				continue;
			FUZZ_CHECK(i + 1 < len && (s[i + 1] == '\\' ||
						   s[i + 1] == '"' ||
						   s[i + 1] == 'n'),
				   "prometheus: invalid escape in a label");
			i++;
		}
		FUZZ_CHECK(i < len, "prometheus: label value not closed");
		i++;
		if (i < len && s[i] == ',')
			i++;
	}
	FUZZ_CHECK(i < len, "prometheus: labels not closed");
	return i + 1;
}

/* declared - whether name (n bytes) had a TYPE line */
static bool
declared(char families[][128], size_t count, const char *name, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(families[i]) == n && memcmp(families[i], name, n) == 0)
			return true;
	return false;
}

void
fuzz_check_prometheus(const char *s, size_t len)
{
	static char families[FAMILIES_MAX][128];
	size_t count = 0;

	fuzz_check_safe_text("prometheus", s, len, true);
	FUZZ_CHECK(len > 0 && s[len - 1] == '\n',
		   "prometheus: no final line feed");
	while (len > 0) {
		const char *end = memchr(s, '\n', len);
		size_t line = (size_t)(end - s);

		if (line > 7 && memcmp(s, "# TYPE ", 7) == 0) {
			size_t n = name_len(s + 7, line - 7);
			bool counter = line - 7 - n == 8 &&
				       memcmp(s + 7 + n, " counter", 8) == 0;
			bool gauge = line - 7 - n == 6 &&
				     memcmp(s + 7 + n, " gauge", 6) == 0;

			FUZZ_CHECK(counter || gauge, "prometheus: bad TYPE line");
			FUZZ_CHECK(!counter || (n > 6 && memcmp(s + 7 + n - 6,
								"_total", 6) == 0),
				   "prometheus: a counter lacks _total");
			FUZZ_CHECK(count < FAMILIES_MAX && n < 128,
				   "prometheus: too many families");
			memcpy(families[count], s + 7, n);
			families[count++][n] = '\0';
		} else if (line > 7 && memcmp(s, "# HELP ", 7) == 0) {
			name_len(s + 7, line - 7);
		} else {
			size_t n = name_len(s, line);
			size_t i = n;

			FUZZ_CHECK(declared(families, count, s, n),
				   "prometheus: a sample before its TYPE line");
			if (i < line && s[i] == '{')
				i += skip_labels(s + i, line - i);
			FUZZ_CHECK(i + 1 < line && s[i] == ' ',
				   "prometheus: no value after a sample name");
			for (i++; i < line; i++)
				FUZZ_CHECK(ascii_isdigit((unsigned char)s[i]) ||
						   s[i] == '-',
					   "prometheus: a value is not an "
					   "integer");
		}
		len -= line + 1;
		s = end + 1;
	}
}

void
fuzz_check_event_json(const char *s, size_t len, size_t fields)
{
	char error[FUZZ_JSON_ERROR_MAX];
	struct fuzz_json *v;

	FUZZ_CHECK(len > 0 && s[len - 1] == '\n' &&
			   memchr(s, '\n', len) == s + len - 1,
		   "event record is not one line");
	v = fuzz_json_parse(s, len - 1, error);
	FUZZ_CHECK(v != NULL, "event record is not valid JSON: %s", error);
	FUZZ_CHECK(v->type == FUZZ_JSON_OBJECT && v->nitems == fields,
		   "event record is not an object of %zu fields", fields);
	fuzz_json_free(v);
}
