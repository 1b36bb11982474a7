/* SPDX-License-Identifier: MIT */
/*
 * report.h - report writers, one back end per output format
 *
 * A writer prints a finished tally to a stream.  Writers are listed in a
 * NULL-terminated registry and found by the --format word.  They never
 * print log-derived bytes as they are: text output replaces control bytes
 * and invalid UTF-8, JSON output escapes them.
 */
#ifndef BOUNCELOG_REPORT_H
#define BOUNCELOG_REPORT_H

#include <stdio.h>

#include "bouncelog/lang.h"
#include "bouncelog/tally.h"

/* Default number of rows in "top" tables. */
#define REPORT_TOP_DEFAULT 10

struct report_options {
	enum lang lang;
	unsigned top;		/* rows per top table */
};

struct report_writer {
	const char *name;
	/* Write the report; returns 0, or -1 when the stream failed. */
	int (*write)(FILE *out, const struct tally *t,
		     const struct report_options *opts);
};

extern const struct report_writer *const report_writers[];

/* The writer called name, or NULL. */
const struct report_writer *report_writer_find(const char *name);

/* The JSON schema version written by the json writer. */
#define REPORT_JSON_SCHEMA_VERSION 1

#endif
