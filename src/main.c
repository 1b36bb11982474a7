/* SPDX-License-Identifier: MIT */
/*
 * main.c - bouncelog: which mail is failing, where, and why
 *
 * Only sets up the process and maps the result to an exit status; the
 * work is in libbouncelog.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bouncelog/classify.h"
#include "bouncelog/cli.h"
#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/output.h"
#include "bouncelog/run.h"

int
main(int argc, char **argv)
{
	struct options opts;
	enum lang lang;
	bool translated;
	int status;

	/* SIGPIPE would end the process before the files of the other
	 * outputs are put in place, so a closed pipe is found as a write
	 * error instead (output_stream_closed()). */
	signal(SIGPIPE, SIG_IGN);

	/* Only the language of messages follows the environment or --lang;
	 * numbers, sorting and parsing keep the C locale's rules. */
	lang = cli_lang_from_args(argc, argv, cli_lang_from_env());
	translated = i18n_set_lang(lang);

	switch (cli_parse(argc, argv, lang, &opts)) {
	case CLI_DONE:
		status = EXIT_OK;
		break;
	case CLI_ERROR:
		return EXIT_USAGE;
	case CLI_RUN:
	default:
		diag_set_verbosity(opts.verbosity);
		/* Said in English, since the translation is what is missing. */
		if (!translated && i18n_built())
			diag_emit(DIAG_WARNING, NULL, 0, 0,
				  "no Turkish translation (bouncelog.mo) "
				  "found in %s; the messages are in English",
				  i18n_localedir());
		else if (!translated)
			diag_emit(DIAG_WARNING, NULL, 0, 0,
				  "this bouncelog was built without "
				  "translations; the messages are in English");
		status = run(&opts, stdout);
		codes_free();
		classify_free();
		reasons_free();
		break;
	}

	/* A full disk must not pass silently.  A reader that closed the
	 * pipe early, as head(1) does, wanted no more, so that ends the
	 * output quietly and keeps the status. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int err = errno;

		if (output_stream_closed(stdout))
			return status;
		diag_error(_("cannot write to standard output: %s"),
			   strerror(err));
		return EXIT_INPUT;
	}
	if (fclose(stdout) != 0) {
		diag_error(_("cannot write to standard output: %s"),
			   strerror(errno));
		return EXIT_INPUT;
	}
	return status;
}
