/* SPDX-License-Identifier: MIT */
/*
 * main.c - bouncelog: which mail is failing, where, and why
 *
 * Only sets up the process and maps the result to an exit status; the
 * work is in libbouncelog.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bouncelog/classify.h"
#include "bouncelog/cli.h"
#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/output.h"
#include "bouncelog/reader.h"
#include "bouncelog/run.h"

/*
 * hold_fd - put the root directory, open for reading, on the descriptor
 * fd when it is closed; true when it was.  A file that bouncelog opens
 * could otherwise take the number: a report meant for a closed standard
 * output would be written into an output's temporary file, and "-" or
 * /dev/fd/N would read one of bouncelog's own files.  A write to it
 * still fails with EBADF, and a path that leads to it (/dev/stdout,
 * /dev/stdin) names a directory, which is refused as an input or an
 * output.
 */
static bool
hold_fd(int fd)
{
	int got;

	if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
		return false;
	got = open("/", O_RDONLY | O_DIRECTORY);
	if (got >= 0 && got != fd) {
		dup2(got, fd);
		close(got);
	}
	return true;
}

/* hold_named_fds - hold_fd() for each input that names a descriptor as
 * /dev/fd/N or /proc/self/fd/N, which then names a directory */
static void
hold_named_fds(int argc, char **argv)
{
	static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};

	for (int i = 1; i < argc; i++) {
		for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0];
		     k++) {
			size_t len = strlen(prefixes[k]);
			char *end;
			long fd;

			if (strncmp(argv[i], prefixes[k], len) != 0)
				continue;
			errno = 0;
			fd = strtol(argv[i] + len, &end, 10);
			if (errno == 0 && *end == '\0' && end != argv[i] + len &&
			    fd > STDERR_FILENO && fd < 1024)
				hold_fd((int)fd);
		}
	}
}

int
main(int argc, char **argv)
{
	struct options opts;
	enum lang lang;
	bool translated;
	int status;

	/* Before anything is opened.  "-" on a closed standard input still
	 * fails with EBADF, not with the directory's error. */
	if (hold_fd(STDIN_FILENO))
		reader_stdin_closed();
	hold_fd(STDOUT_FILENO);
	hold_fd(STDERR_FILENO);
	hold_named_fds(argc, argv);

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
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int err = errno;

		if (output_stream_closed(stdout))
			return status;

		/* A write that failed before this flush left no errno; an
		 * empty write finds the cause again, as EBADF for a closed
		 * standard output. */
		if (err == 0 && write(STDOUT_FILENO, "", 0) < 0)
			err = errno;
		if (err == 0)
			err = EIO;
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
