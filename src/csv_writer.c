/* SPDX-License-Identifier: MIT */
/*
 * csv_writer.c - write comma-separated values (RFC 4180) for spreadsheets
 */
#include <inttypes.h>
#include <string.h>

#include "bouncelog/csv_writer.h"
#include "bouncelog/escape.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

void
csv_writer_begin(struct csv_writer *w, FILE *out, bool excel)
{
	w->out = out;
	w->separator = excel ? ';' : ',';
	w->in_record = false;
	if (excel)
		fputs("\xef\xbb\xbf", out);
}

/* start_cell - the separator before every cell but a record's first */
static void
start_cell(struct csv_writer *w)
{
	if (w->in_record)
		putc(w->separator, w->out);
	w->in_record = true;
}

/* safe_len - bytes of the unit at p that are kept as they are, or 0 when
 * the unit is written as U+FFFD (it then takes *skip bytes) */
static size_t
safe_len(const unsigned char *p, size_t len, size_t *skip)
{
	size_t n = utf8_sequence_len(p, len);

	*skip = n == 0 ? 1 : n;
	if (n == 0)
		return 0;
	if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
		return 0;
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	if (utf8_is_bidi_control(p, n))
		return 0;
	return n;
}

/* needs_quotes - whether the cell, once made safe, must be quoted: CR
 * and LF are replaced, so only the separator and a double quote count */
static bool
needs_quotes(const struct csv_writer *w, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == w->separator || s[i] == '"')
			return true;
	return false;
}

/* starts_formula - whether a spreadsheet could read the cell as a
 * formula, judged by its first byte */
static bool
starts_formula(const char *s, size_t len)
{
	if (len == 0)
		return false;
	switch (s[0]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return true;
	}
	return false;
}

void
csv_writer_text(struct csv_writer *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool guard = starts_formula(s, len);
	bool quote = guard || needs_quotes(w, s, len);
	size_t i = 0;

	start_cell(w);
	if (quote)
		putc('"', w->out);
	if (guard)
		putc(CSV_FORMULA_GUARD, w->out);

	while (i < len) {
		size_t skip;
		size_t n = safe_len(p + i, len - i, &skip);

		if (n == 0)
			fputs(replacement, w->out);
		else if (p[i] == '"')
			fputs("\"\"", w->out);
		else
			fwrite(p + i, 1, n, w->out);
		i += skip;
	}

	if (quote)
		putc('"', w->out);
}

void
csv_writer_str(struct csv_writer *w, const char *s)
{
	csv_writer_text(w, s ? s : "", s ? strlen(s) : 0);
}

void
csv_writer_uint(struct csv_writer *w, uint64_t value)
{
	start_cell(w);
	fprintf(w->out, "%" PRIu64, value);
}

void
csv_writer_end_record(struct csv_writer *w)
{
	fputs("\r\n", w->out);
	w->in_record = false;
}
