/* SPDX-License-Identifier: MIT */
/*
 * run.h - read every input, tally it and write the report
 */
#ifndef BOUNCELOG_RUN_H
#define BOUNCELOG_RUN_H

#include <stdio.h>

#include "bouncelog/cli.h"

/* Unrecognized lines shown per input with -v; -vv shows all. */
#define RUN_SHOW_UNKNOWN 10

/* Warnings about cut lines, and errors about lines that hit a pattern
 * limit, per input before they are only counted. */
#define RUN_WARN_TRUNCATED 5
#define RUN_WARN_LIMIT 10

/* Most threads that parse inputs at once (--jobs). */
#define RUN_JOBS_MAX 64

/* Feed batches that a parsing thread may have ready for one input before
 * it waits for the tally to take them. */
#define RUN_BATCHES_AHEAD 3

/*
 * Run the report described by opts and write its outputs (output.h),
 * with out as standard output.  Returns an exit status: EXIT_OK, or
 * EXIT_INPUT when an input could not be read or was damaged (the report
 * is still written), an output could not be written, or the patterns
 * failed.
 */
int run(const struct options *opts, FILE *out);

/*
 * Classify each of opts->files as an SMTP response, or each line of
 * standard input when there is none, and write one verdict per input to
 * out (see run_classify.c for the format).  Returns EXIT_OK, or
 * EXIT_INPUT when standard input, a rule file or the output failed.
 */
int run_classify(const struct options *opts, FILE *out);

/*
 * Read each of opts->files as a JSON summary (--format=json output, plain
 * or gzip), add them up and write one report in opts->format to out.  A
 * summary that cannot be read is reported and skipped.  Returns EXIT_OK,
 * or EXIT_INPUT when a summary was skipped or the report failed.
 */
int run_merge(const struct options *opts, FILE *out);

#endif
