/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the command line
 *
 *	bouncelog [OPTION]... [FILE]...
 *	bouncelog --merge [OPTION]... FILE.json...
 *	bouncelog --classify [OPTION]... [TEXT]...
 *
 * This contract is relied on by users' scripts: options are only added,
 * never renamed or given a new meaning.
 */
#ifndef BOUNCELOG_CLI_H
#define BOUNCELOG_CLI_H

#include <stdbool.h>

#include "bouncelog/color.h"
#include "bouncelog/lang.h"
#include "bouncelog/output.h"
#include "bouncelog/report.h"
#include "bouncelog/threshold.h"
#include "bouncelog/timerange.h"

/* The input read when no FILE is given. */
#define CLI_DEFAULT_INPUT "/var/log/mail.log"

/* Exit statuses, documented in the manual and the README. */
enum exit_status {
	EXIT_OK = 0,		/* report written */
	EXIT_INPUT = 1,		/* an input was unreadable or damaged, or
				 * the report could not be written */
	EXIT_USAGE = 2,		/* invalid command line */
	EXIT_THRESHOLD = 3,	/* report written, and a --fail-on condition
				 * is met; EXIT_INPUT takes precedence */
};

struct options {
	const char *format;	/* report writer name: "text", "json" */
	const char *log_format;	/* "auto" or an extractor name */
	const char *pattern_dir; /* NULL for the built-in patterns */
	enum lang lang;
	unsigned top;
	enum report_detail detail;	/* --detail of the text report */
	int year;		/* --year for BSD timestamps; 0 from mtime */
	struct timerange range;	/* -d, --since and --until; both ends open
				 * when none was given */
	const char *day;	/* the -d value, borrowed from argv, or NULL */
	struct threshold_list fail_on;	/* --fail-on conditions */
	enum color_mode color;	/* --color */
	int verbosity;
	int jobs;		/* --jobs: parsing threads; 0 for the
				 * number of processors */
	bool classify;		/* --classify: files are SMTP responses to
				 * classify; none means standard input */
	bool merge;		/* --merge: files are JSON summaries */
	char **files;		/* borrowed from argv */
	int nfiles;

	/* Outputs (output.h); paths are borrowed from argv. */
	int format_table;	/* the table of --format=csv.TABLE, or -1 */
	enum report_csv_table csv_table;	/* --csv-table */
	bool csv_excel;		/* --csv-excel */
	const char *output;	/* --output; NULL for standard output */
	struct output_report reports[OUTPUT_REPORTS_MAX];	/* --report */
	size_t nreports;
	const char *events;	/* --events, or NULL */
	const char *pseudonym_key;	/* --pseudonym-key, or NULL */
	bool show_addresses;	/* --show-addresses */
};

enum cli_result {
	CLI_RUN,		/* options are valid; run the report */
	CLI_DONE,		/* --help or --version was printed */
	CLI_ERROR,		/* a usage error was reported */
};

/*
 * Parse argv into *opts.  Usage errors are reported on stderr with a hint
 * to --help; --help and --version print to stdout.  env_lang is the
 * language chosen by the environment (see cli_lang_from_env).
 */
enum cli_result cli_parse(int argc, char **argv, enum lang env_lang,
			  struct options *opts);

/*
 * The language of messages and reports that the environment asks for, by
 * gettext's rules: none (English) when the message locale (the first of
 * LC_ALL, LC_MESSAGES and LANG that is set) is unset, "C" or "POSIX";
 * else the first language in LANGUAGE's colon-separated list that
 * bouncelog has text in; else the message locale's language; else
 * English.
 */
enum lang cli_lang_from_env(void);

/*
 * The language of the last valid --lang option in argv, or env_lang.
 * main() selects it before cli_parse(), so that help and usage errors are
 * in that language too.  argv may be permuted, as cli_parse() does.
 */
enum lang cli_lang_from_args(int argc, char **argv, enum lang env_lang);

#endif
