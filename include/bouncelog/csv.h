/* SPDX-License-Identifier: MIT */
/*
 * csv.h - split a record of comma-separated values (RFC 4180)
 *
 * A record is a list of fields separated by commas.  A field that starts
 * with a double quote is quoted: it ends at the next lone double quote,
 * and inside it a comma, CR or LF is data and two double quotes are one.
 * Any other field is unquoted and ends at the next comma.  A double quote
 * inside an unquoted field is kept as data, as most CSV readers do,
 * although RFC 4180 forbids it.  An empty record is one empty field, and
 * a record ending in a comma has an empty last field.
 *
 * The parser works on bytes and never depends on the locale.  It does
 * not allocate: a field is a span into the record, except a quoted field
 * with a doubled quote, which is decoded into a buffer that the caller
 * supplies.
 */
#ifndef BOUNCELOG_CSV_H
#define BOUNCELOG_CSV_H

#include <stddef.h>

#include "bouncelog/span.h"

/* Maximum number of fields in one record; a longer one is rejected. */
#define CSV_FIELDS_MAX 64

enum csv_result {
	CSV_OK,
	CSV_OPEN_QUOTE,		/* the record ends inside a quoted field */
	CSV_BAD_QUOTE,		/* a closing quote is followed by a byte
				 * other than a comma */
	CSV_TOO_MANY,		/* more than CSV_FIELDS_MAX fields */
};

struct csv_record {
	struct span fields[CSV_FIELDS_MAX];	/* present, maybe empty */
	size_t count;
};

/*
 * Split the record text (len bytes, without its line end) into *rec.
 * buf must have room for len bytes: the values of quoted fields with a
 * doubled quote are decoded there, so field spans point into text or
 * into buf and stay valid as long as both do.  Returns CSV_OK, or the
 * first error found; after an error *rec contains the fields read before
 * it.
 */
enum csv_result csv_split(const char *text, size_t len, char *buf,
			  struct csv_record *rec);

/* Return the English description of result, for diagnostics. */
const char *csv_result_text(enum csv_result result);

#endif
