/* SPDX-License-Identifier: MIT */
/*
 * run_impl.h - the steps of run.c shared with run_parallel.c
 */
#ifndef BOUNCELOG_RUN_IMPL_H
#define BOUNCELOG_RUN_IMPL_H

#include <stdbool.h>

#include "bouncelog/cli.h"
#include "bouncelog/event.h"
#include "bouncelog/progress.h"
#include "bouncelog/route.h"
#include "bouncelog/tally.h"

/* The destination of parsing results, in line order: the times of lines
 * that tally_saw_time() could still learn from, and each event with its
 * whole line.  The pointers passed are valid only during the call. */
struct run_sink {
	void (*time)(void *arg, const struct logtime *time);
	void (*event)(void *arg, const struct event *ev, struct span line);
	void *arg;
};

/*
 * Parse the input at path with r and pass its results to sink, with the
 * --year and time range of opts.  The lines and bytes read are counted
 * on progress, which may be NULL.  The events of lines outside the range
 * are passed with outside_range set, and their times are not passed.  Nor
 * is a time between two times passed before for the input, in UTC
 * seconds, since tally_saw_time() would ignore it: on a busy server,
 * nearly every line shares the second of a line before it.
 * *in gets the input's line counts; in->name borrows path.  Diagnostics
 * go through diag as they arise.  Returns false when the input could not
 * be read or was damaged.
 */
bool run_parse_input(struct router *r, const struct run_sink *sink,
		     const char *path, const struct options *opts,
		     struct progress *progress, struct input_stats *in);

/* The sink functions that count into a struct tally, passed as arg.  An
 * event outside the range is only learnt from (tally_learn()). */
void run_tally_time(void *tally, const struct logtime *time);
void run_tally_event(void *tally, const struct event *ev, struct span line);

/* The number of threads that parse inputs: opts->jobs, or the number of
 * online processors when it is 0, at most RUN_JOBS_MAX. */
int run_jobs(const struct options *opts);

/*
 * Parse the opts->nfiles paths of files (opts->files in reading order)
 * in run_jobs(opts) threads and tally the results into t in that order,
 * as the loop in run() does in one thread.  The workers count what they
 * read on progress (may be NULL), and the calling thread redraws it
 * between batches.  Returns 1, or 0 when an
 * input could not be read or was damaged, or -1 when no thread could be
 * started and t is unchanged.
 */
int run_parallel(const struct options *opts, const char *const *files,
		 struct progress *progress, struct tally *t);

#endif
