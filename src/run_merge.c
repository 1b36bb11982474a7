/* SPDX-License-Identifier: MIT */
/*
 * run_merge.c - combine JSON summaries into one report (--merge)
 *
 * Each summary is read into a tally of its own and added to the result
 * with tally_merge(), so a damaged file is skipped whole and leaves no
 * partial counts behind.  The report lists the inputs of every summary
 * that was read.  The summaries that were skipped are named in one error
 * at the end, and they make the exit status 1.  A summary named twice,
 * by any path, is read once, and the report lists the second name as
 * not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/inputs.h"
#include "bouncelog/output.h"
#include "bouncelog/reason.h"
#include "bouncelog/report.h"
#include "bouncelog/run.h"
#include "bouncelog/summary.h"
#include "bouncelog/tally.h"
#include "bouncelog/threshold.h"
#include "bouncelog/xalloc.h"

/* report_skipped - name the skipped summaries, as many as fit a line */
static void
report_skipped(const struct options *opts, const bool *skipped, int nskipped)
{
	char names[DIAG_LINE_MAX / 2];
	size_t used = 0;

	names[0] = '\0';
	for (int i = 0; i < opts->nfiles && used < sizeof names; i++) {
		if (!skipped[i])
			continue;
		used +=
		    (size_t)snprintf(names + used, sizeof names - used, "%s%s",
				     used ? ", " : "", opts->files[i]);
	}
	diag_error(_("%d of %d summaries were skipped and are not in the "
		     "report: %s"),
		   nskipped, opts->nfiles, names);
}

/* not_read - warn that the summary at path is the same file as the
 * summary first, and list path in t as not read */
static void
not_read(struct tally *t, const char *path, const char *first)
{
	struct input_stats in;

	inputs_warn_same(path, first);
	memset(&in, 0, sizeof in);
	in.name = (char *)path;
	in.same_as = (char *)first;
	in.format = "none";
	in.encoding = "plain";
	tally_add_input(t, &in);
}

int
run_merge(const struct options *opts, FILE *out)
{
	struct output_set *outputs;
	struct tally *all;
	bool *skipped;
	int *same_as;
	int nskipped = 0, status = EXIT_OK;

	if (codes_init() != 0 || reasons_init() != 0)
		return EXIT_INPUT;
	outputs = output_set_open(opts, out);
	if (outputs == NULL)
		return EXIT_INPUT;

	all = tally_new();
	skipped = xcalloc((size_t)opts->nfiles + 1, sizeof *skipped);
	same_as = xcalloc((size_t)opts->nfiles + 1, sizeof *same_as);
	inputs_find_same(opts->files, opts->nfiles, same_as);
	for (int i = 0; i < opts->nfiles; i++) {
		struct tally *t;

		/* A summary named twice would count its mail twice. */
		if (same_as[i] >= 0) {
			not_read(all, opts->files[i], opts->files[same_as[i]]);
			continue;
		}
		t = summary_load(opts->files[i]);

		if (t == NULL) {
			skipped[i] = true;
			nskipped++;
			continue;
		}
		tally_merge(all, t);
		tally_free(t);
	}
	if (nskipped > 0)
		report_skipped(opts, skipped, nskipped);

	if (output_set_finish(outputs, all) != 0 || diag_error_count() > 0)
		status = EXIT_INPUT;

	/* As for logs, an error takes precedence over a --fail-on
	 * condition, whose counts then miss the summaries skipped. */
	if (threshold_report(&opts->fail_on, all) > 0 && status == EXIT_OK)
		status = EXIT_THRESHOLD;
	free(same_as);
	free(skipped);
	tally_free(all);
	return status;
}
