/* SPDX-License-Identifier: MIT */
/*
 * events.h - one record per failure, for log pipelines
 *
 * --events writes one JSON object per line (JSON Lines) for every
 * deferral, bounce, expiry and inbound rejection that the tally counts,
 * in log order, as the logs are read.  The CSV events table has the same
 * fields as columns.  doc/events-schema.md defines every field.
 *
 * Addresses are written as pseudonyms (see pseudonym.h), and in clear
 * only with show_addresses, which also adds the log's reason text, since
 * replies usually quote the address.  Every string from the log goes
 * through escape_json() or csv_writer_text(), so each record is valid
 * JSON, or one valid CSV record, for any input bytes.
 */
#ifndef BOUNCELOG_EVENTS_H
#define BOUNCELOG_EVENTS_H

#include <stdbool.h>
#include <stdio.h>

#include "bouncelog/csv_writer.h"
#include "bouncelog/pseudonym.h"
#include "bouncelog/tally.h"

struct events_options {
	bool show_addresses;		/* addresses and texts in clear */
	struct pseudonym_key key;	/* for the pseudonyms */
};

/* Write f as one JSON object and a newline. */
void events_write_json(FILE *out, const struct tally_failure *f,
		       const struct events_options *opts);

/* Write the header record of the CSV events table. */
void events_csv_header(struct csv_writer *w);

/* Write f as one record of the CSV events table. */
void events_write_csv(struct csv_writer *w, const struct tally_failure *f,
		      const struct events_options *opts);

#endif
