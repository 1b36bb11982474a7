/* SPDX-License-Identifier: MIT */
/*
 * run_merge.c - combine JSON summaries into one report (--merge)
 *
 * Each summary is read into a tally of its own and added to the result
 * with tally_merge(), so a damaged file is skipped whole and leaves no
 * partial counts behind.  The report lists the inputs of every summary
 * that was read.  The summaries that were skipped are named in one error
 * at the end, and they make the exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/output.h"
#include "bouncelog/reason.h"
#include "bouncelog/report.h"
#include "bouncelog/run.h"
#include "bouncelog/summary.h"
#include "bouncelog/tally.h"
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

int
run_merge(const struct options *opts, FILE *out)
{
	struct output_set *outputs;
	struct tally *all;
	bool *skipped;
	int nskipped = 0, status = EXIT_OK;

	if (codes_init() != 0 || reasons_init() != 0)
		return EXIT_INPUT;
	outputs = output_set_open(opts, out);
	if (outputs == NULL)
		return EXIT_INPUT;

	all = tally_new();
	skipped = xcalloc((size_t)opts->nfiles + 1, sizeof *skipped);
	for (int i = 0; i < opts->nfiles; i++) {
		struct tally *t = summary_load(opts->files[i]);

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
	free(skipped);
	tally_free(all);
	return status;
}
