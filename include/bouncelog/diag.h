/* SPDX-License-Identifier: MIT */
/*
 * diag.h - one-line diagnostics on stderr, with a replaceable sink
 *
 * Every diagnostic is one line of the form
 *	bouncelog: message
 *	bouncelog: FILE: message
 *	bouncelog: FILE:LINE: message
 *	bouncelog: FILE:LINE:COL: message
 * with "warning: " before the message for warnings.  Control bytes (C0,
 * DEL, C1) and bytes that are not valid UTF-8 in the file name or message
 * are written as \xNN, so that a hostile file name or log line can neither
 * start a new line nor move a terminal's cursor.  Messages
 * start in lower case and carry no final period or newline.
 *
 * The sink receives the finished line without its newline; tests install
 * their own sink to assert on diagnostics.  diag keeps counters of errors
 * and warnings so that the caller can choose the exit status.
 */
#ifndef BOUNCELOG_DIAG_H
#define BOUNCELOG_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

/* Maximum length of a diagnostic line; longer ones are cut and end in "...". */
#define DIAG_LINE_MAX 1024

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_INFO, /* shown only with -v */
	DIAG_NOTICE, /* a result the user asked for, such as a --fail-on
		      * condition that is met: shown even with -q, and
		      * counted neither as an error nor as a warning */
};

typedef void (*diag_sink_fn)(enum diag_level level, const char *line,
			     void *arg);

/* Install a sink; NULL restores the default, which writes to stderr. */
void diag_set_sink(diag_sink_fn sink, void *arg);

/* 0 shows errors and warnings; >0 adds DIAG_INFO lines; <0 (-q) hides
 * warnings.  Errors are always shown. */
void diag_set_verbosity(int verbosity);
int diag_verbosity(void);

/* Counters since the last diag_reset_counts(); hidden warnings count too. */
unsigned long diag_error_count(void);
unsigned long diag_warning_count(void);
void diag_reset_counts(void);

/*
 * Emit a diagnostic.  file may be NULL (no location); line 0 omits the line
 * and col 0 omits the column.
 */
void diag_emit(enum diag_level level, const char *file, unsigned long line,
	       unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void diag_vemit(enum diag_level level, const char *file, unsigned long line,
		unsigned long col, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/*
 * Send the calling thread's diagnostics to capture, formatted but neither
 * counted nor filtered by level, instead of to the sink; NULL restores
 * the normal path.  A thread that parses input for another thread
 * captures its lines and passes them on with diag_replay(), so that
 * they come out in input order.  Other threads are not affected.
 */
void diag_capture_thread(diag_sink_fn capture, void *arg);

/* Count, filter and write a line captured by diag_capture_thread(), as
 * diag_emit() would have.  Call it from one thread at a time. */
void diag_replay(enum diag_level level, const char *line);

/* Pass on a line captured in another thread as if the calling thread
 * had emitted it: to its own capture when it has one, else as
 * diag_replay() does. */
void diag_forward(enum diag_level level, const char *line);

#define diag_error(...) diag_emit(DIAG_ERROR, NULL, 0, 0, __VA_ARGS__)

#endif
