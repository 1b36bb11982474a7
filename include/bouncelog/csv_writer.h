/* SPDX-License-Identifier: MIT */
/*
 * csv_writer.h - write comma-separated values (RFC 4180) for spreadsheets
 *
 * Records end in CRLF.  A cell is quoted when it contains the separator
 * or a double quote, or when the formula guard below prefixed it.  A
 * double quote inside a quoted cell is doubled.  No cell contains CR or
 * LF, which RFC 4180 would allow inside quotes, because the first rule
 * below replaces them, so every record is one line for line-based tools.
 *
 * Text cells carry bytes chosen by strangers (addresses, replies), so
 * csv_writer_text() makes them safe before quoting them:
 *	- a byte that does not start a valid UTF-8 sequence, a C0 control
 *	  (tab, CR and LF included), DEL, a C1 control (U+0080 to U+009F)
 *	  and a bidirectional control (see utf8_is_bidi_control()) are each
 *	  written as U+FFFD, so the file is valid UTF-8, every record is one
 *	  line and no cell reorders the text around it;
 *	- a cell whose first byte is "=", "+", "-", "@", tab or CR is
 *	  prefixed with an apostrophe "'", so that a spreadsheet shows it
 *	  as text instead of evaluating it as a formula (a leading tab or
 *	  CR is also replaced by the first rule).  The apostrophe is part
 *	  of the cell's value as a reader of the file sees it.
 * Numbers written with csv_writer_uint() are never prefixed and never
 * use a locale's digit grouping or decimal comma.
 *
 * The Excel dialect uses ";" as the separator and starts the file with a
 * UTF-8 byte order mark, which Excel needs to read UTF-8 and which is
 * what it expects where the list separator is ";" (Turkish, German).
 */
#ifndef BOUNCELOG_CSV_WRITER_H
#define BOUNCELOG_CSV_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The apostrophe written before a cell that could start a formula. */
#define CSV_FORMULA_GUARD '\''

struct csv_writer {
	FILE *out;		/* borrowed */
	char separator;		/* ',' or ';' */
	bool in_record;		/* a cell of the current record was written */
};

/*
 * Start a CSV document on out: the RFC 4180 dialect, or with excel the
 * ";" separator and a byte order mark, which is written now.
 */
void csv_writer_begin(struct csv_writer *w, FILE *out, bool excel);

/* Write the text cell s (len bytes, any bytes), made safe as above. */
void csv_writer_text(struct csv_writer *w, const char *s, size_t len);

/* csv_writer_text() of a NUL-terminated string; NULL is an empty cell. */
void csv_writer_str(struct csv_writer *w, const char *s);

/* Write a number cell in decimal ASCII digits. */
void csv_writer_uint(struct csv_writer *w, uint64_t value);

/* End the current record with CRLF. */
void csv_writer_end_record(struct csv_writer *w);

#endif
