/* SPDX-License-Identifier: MIT */
/*
 * output.h - where one run writes its report, more reports and events
 *
 * One run reads the logs once and can write several outputs:
 *	- the report in --format, to standard output or to --output FILE;
 *	- one more report per --report=FORMAT:FILE;
 *	- the event stream of --events=FILE.
 * FORMAT is a report writer's name.  "csv.TABLE" picks a CSV table, and
 * "csv" alone takes the table of --csv-table.  "csv.events" is the event
 * stream as CSV.  A FILE of "-" is standard output, which at most
 * one output may use.
 *
 * Every FILE is written through atomic_file.h: it appears complete when
 * the run ends, or is left as it was.  Event streams are written while
 * the logs are read; reports at the end.  An output that cannot be
 * created is reported when the run starts and the others are still
 * written; the run then ends with status 1.
 */
#ifndef BOUNCELOG_OUTPUT_H
#define BOUNCELOG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bouncelog/tally.h"

/* Most --report options in one run. */
#define OUTPUT_REPORTS_MAX 16

struct options;

/* A report format as named on the command line. */
struct output_format {
	const char *writer;	/* a report writer's name; static */
	int csv_table;		/* enum report_csv_table of "csv.TABLE", or
				 * -1 to take --csv-table's */
};

/* One --report option. */
struct output_report {
	struct output_format format;
	const char *path;	/* "-" for standard output; borrowed */
};

/*
 * Parse a FORMAT word into *out.  Returns false after a diagnostic that
 * lists the valid words.
 */
bool output_parse_format(const char *spec, struct output_format *out);

/* Parse a --report value "FORMAT:FILE" into *out (FILE is borrowed).
 * Returns false after a diagnostic. */
bool output_parse_report(const char *arg, struct output_report *out);

/*
 * Check that the outputs of opts fit together: at most one goes to
 * standard output, no FILE is named twice, and --pseudonym-key and
 * --show-addresses come with an event output.  Returns false after a
 * diagnostic.
 */
bool output_check(const struct options *opts);

struct output_set;

/*
 * Open every output of opts; "-" is the stream out.  Loads the
 * pseudonym key when there is an event output.  An output that cannot
 * be opened, or that names one of the input files, is reported and left
 * out.  Returns an owned set, or NULL after diagnostics when the key
 * could not be loaded or no output could be opened.
 */
struct output_set *output_set_open(const struct options *opts, FILE *out);

/* Send the failures counted by t to the event outputs, if any. */
void output_set_attach(struct output_set *set, struct tally *t);

/*
 * Write the reports of the finished tally t, put every file in place and
 * free the set.  Returns 0, or -1 when an output failed here or could
 * not be opened (each failure was reported).
 */
int output_set_finish(struct output_set *set, const struct tally *t)
	__attribute__((warn_unused_result));

/*
 * True when fp, after a write error, is a pipe or socket whose reading
 * end was closed, as when the report is piped into head(1).  The
 * program ignores SIGPIPE, so such a write fails with EPIPE instead of
 * ending the process.  That is not an error of bouncelog, so it is not
 * reported and leaves the exit status alone.
 */
bool output_stream_closed(FILE *fp);

#endif
