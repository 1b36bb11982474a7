/* SPDX-License-Identifier: MIT */
/*
 * report.h - report writers, one back end per output format
 *
 * A writer prints a finished tally to a stream.  Writers are listed in a
 * NULL-terminated registry and found by the --format word.  They never
 * print log-derived bytes as they are: text output replaces control bytes
 * and invalid UTF-8, JSON output escapes them, CSV and Prometheus output
 * replace them with U+FFFD (see csv_writer.h and prom.h).
 */
#ifndef BOUNCELOG_REPORT_H
#define BOUNCELOG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bouncelog/lang.h"
#include "bouncelog/tally.h"

/* Default number of rows in "top" tables. */
#define REPORT_TOP_DEFAULT 10

/* The tables of the CSV report, chosen with --csv-table. */
enum report_csv_table {
	CSV_TABLE_CODES,	/* reply and enhanced codes (the default) */
	CSV_TABLE_REASONS,
	CSV_TABLE_DOMAINS,
	CSV_TABLE_HOSTS,
	CSV_TABLE_SENDERS,
	CSV_TABLE_EVENTS,	/* one row per failure, written while the
				 * logs are read (see events.h) */
	CSV_TABLE_COUNT
};

/* How much the text report shows, chosen with --detail. */
enum report_detail {
	REPORT_DETAIL_NORMAL,	/* the default: every section, advice and an
				 * example per reason and per code */
	REPORT_DETAIL_SUMMARY,	/* the period, the inputs' line counts, the
				 * totals and each reason with its label */
	REPORT_DETAIL_FULL,	/* also every kept example, and --top
				 * domains and hosts per reason */
};

struct report_options {
	enum lang lang;
	unsigned top;		/* rows per top table */
	enum report_detail detail;	/* text report only */
	enum report_csv_table csv_table;
	bool csv_excel;		/* ";" separator and a byte order mark */
	bool color;		/* colour the text report (see color.h) */
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

/* The name of a CSV table ("codes"), and the table called name (len
 * bytes); the lookup returns false when there is none. */
const char *report_csv_table_name(enum report_csv_table table);
bool report_csv_table_find(const char *name, size_t len,
			   enum report_csv_table *out);

/* The --detail level called name ("summary"); false when there is none. */
bool report_detail_find(const char *name, enum report_detail *out);

/* The JSON schema version written by the json writer. */
#define REPORT_JSON_SCHEMA_VERSION 2

#endif
