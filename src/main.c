/* SPDX-License-Identifier: MIT */
/*
 * main.c - bouncelog: which mail is failing, where, and why
 *
 * Only sets up the process and maps the result to an exit status; the
 * work is in libbouncelog.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "bouncelog/classify.h"
#include "bouncelog/cli.h"
#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/run.h"

int
main(int argc, char **argv)
{
	struct options opts;
	int status;

	/* Messages follow the locale; numbers in reports never do. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	switch (cli_parse(argc, argv, cli_lang_from_env(), &opts)) {
	case CLI_DONE:
		status = EXIT_OK;
		break;
	case CLI_ERROR:
		return EXIT_USAGE;
	case CLI_RUN:
	default:
		diag_set_verbosity(opts.verbosity);
		status = run(&opts, stdout);
		codes_free();
		classify_free();
		reasons_free();
		break;
	}

	/* A full disk or a closed pipe must not pass silently. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		diag_error("cannot write to standard output: %s",
			   strerror(errno));
		return EXIT_INPUT;
	}
	return status;
}
