/* SPDX-License-Identifier: MIT */
/*
 * csv.c - split a record of comma-separated values (RFC 4180)
 */
#include <stdbool.h>
#include <string.h>

#include "bouncelog/csv.h"
#include "bouncelog/i18n.h"

/* quoted_field - read a quoted field starting at text[*pos] == '"' */
static enum csv_result
quoted_field(const char *text, size_t len, size_t *pos, char **out,
	     struct span *field)
{
	size_t start = *pos + 1;
	size_t i = start;
	bool doubled = false;

	/* The closing quote is the first one not followed by another. */
	for (;;) {
		const char *quote = memchr(text + i, '"', len - i);

		if (quote == NULL)
			return CSV_OPEN_QUOTE;
		i = (size_t)(quote - text) + 1;
		if (i < len && text[i] == '"') {
			doubled = true;
			i++;
			continue;
		}
		break;
	}

	/* Without a doubled quote the value is the text between quotes;
	 * with one, a copy keeps one quote of each pair. */
	if (!doubled) {
		*field = span_make(text + start, i - 1 - start);
	} else {
		char *value = *out;
		size_t n = 0;

		for (size_t k = start; k < i - 1; k++) {
			value[n++] = text[k];
			if (text[k] == '"')
				k++;
		}
		*out += n;
		*field = span_make(value, n);
	}
	*pos = i;
	if (i < len && text[i] != ',')
		return CSV_BAD_QUOTE;
	return CSV_OK;
}

enum csv_result
csv_split(const char *text, size_t len, char *buf, struct csv_record *rec)
{
	size_t pos = 0;
	char *out = buf;

	rec->count = 0;
	for (;;) {
		struct span field;

		if (rec->count == CSV_FIELDS_MAX)
			return CSV_TOO_MANY;
		if (pos < len && text[pos] == '"') {
			enum csv_result rc =
				quoted_field(text, len, &pos, &out, &field);

			if (rc != CSV_OK)
				return rc;
		} else {
			size_t end = pos;

			/* Many fields are empty: no call to memchr() for
			 * them. */
			if (end < len && text[end] != ',') {
				const char *comma =
					memchr(text + end, ',', len - end);

				end = comma ? (size_t)(comma - text) : len;
			}
			field = span_make(text + pos, end - pos);
			pos = end;
		}
		rec->fields[rec->count++] = field;

		/* pos is now at the end or at the comma after the field. */
		if (pos >= len)
			return CSV_OK;
		pos++;
	}
}

const char *
csv_result_text(enum csv_result result)
{
	switch (result) {
	case CSV_OK:
		return _("valid");
	case CSV_OPEN_QUOTE:
		return _("quoted field not closed");
	case CSV_BAD_QUOTE:
		return _("data after a closing quote");
	case CSV_TOO_MANY:
		return _("too many fields");
	}
	return _("invalid");
}
