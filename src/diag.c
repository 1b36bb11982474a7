/* SPDX-License-Identifier: MIT */
/*
 * diag.c - one-line diagnostics on stderr, with a replaceable sink
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/escape.h"

static diag_sink_fn diag_sink;
static void *diag_sink_arg;
static int diag_level_shown;
static unsigned long diag_errors;
static unsigned long diag_warnings;

/* This thread's capture, set by diag_capture_thread(). */
static _Thread_local diag_sink_fn thread_capture;
static _Thread_local void *thread_capture_arg;

void
diag_set_sink(diag_sink_fn sink, void *arg)
{
	diag_sink = sink;
	diag_sink_arg = arg;
}

void
diag_set_verbosity(int verbosity)
{
	diag_level_shown = verbosity;
}

int
diag_verbosity(void)
{
	return diag_level_shown;
}

unsigned long
diag_error_count(void)
{
	return diag_errors;
}

unsigned long
diag_warning_count(void)
{
	return diag_warnings;
}

void
diag_reset_counts(void)
{
	diag_errors = 0;
	diag_warnings = 0;
}

/* append_escape - append byte c as \xNN; returns the new length */
static size_t
append_escape(char *buf, size_t used, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	buf[used++] = '\\';
	buf[used++] = 'x';
	buf[used++] = hex[c >> 4];
	buf[used++] = hex[c & 15];
	return used;
}

/* The longest step of append_safe(): a 3-byte bidirectional control
 * written as three \xNN escapes. */
#define DIAG_STEP_MAX 12

/* The mark of a cut line, and its length. */
#define DIAG_CUT "..."
#define DIAG_CUT_LEN 3

/*
 * append_safe - append text, writing control bytes (C0, DEL and the C1
 * range U+0080..U+009F), bidirectional controls and bytes that are not
 * valid UTF-8 as \xNN, so that a diagnostic can neither move a terminal's
 * cursor, reorder the line nor break a UTF-8 reader
 *
 * The line stays within DIAG_LINE_MAX bytes and its NUL within
 * DIAG_LINE_MAX + 1.  Text that does not fit is cut and marked once
 * with "...", and the texts appended after a cut are dropped.
 */
static size_t
append_safe(char *buf, size_t used, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text);
	size_t i = 0;
	bool cut = used >= DIAG_CUT_LEN && memcmp(buf + used - DIAG_CUT_LEN,
						  DIAG_CUT, DIAG_CUT_LEN) == 0;

	/* After a cut, later texts such as the message would read as if
	 * they followed the cut text. */
	if (cut && used + DIAG_STEP_MAX + DIAG_CUT_LEN > DIAG_LINE_MAX)
		return used;

	while (i < len &&
	       used + DIAG_STEP_MAX + DIAG_CUT_LEN <= DIAG_LINE_MAX) {
		size_t n = utf8_sequence_len(p + i, len - i);
		bool c1 = n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0;
		bool bidi = utf8_is_bidi_control(p + i, n);

		if (n == 0 || c1 || bidi || p[i] < 0x20 || p[i] == 0x7f) {
			for (size_t k = 0; k < (n > 1 ? n : 1); k++)
				used = append_escape(buf, used, p[i + k]);
			i += n > 1 ? n : 1;
			continue;
		}
		memcpy(buf + used, p + i, n);
		used += n;
		i += n;
	}
	if (i < len) {
		memcpy(buf + used, DIAG_CUT, DIAG_CUT_LEN);
		used += DIAG_CUT_LEN;
	}
	buf[used] = '\0';
	return used;
}

/*
 * starts_upper - whether a message starts with an upper-case letter:
 * ASCII, Latin-1 (U+00C0..U+00DE but U+00D7) or Turkish Ğ, İ and Ş, so
 * that the style rule holds for translations too
 */
static bool
starts_upper(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	if (ascii_isupper(p[0]))
		return true;
	if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97)
		return true;
	return (p[0] == 0xc4 && (p[1] == 0x9e || p[1] == 0xb0)) ||
	       (p[0] == 0xc5 && p[1] == 0x9e);
}

/* default_sink - write the line to stderr */
static void
default_sink(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

/* count_and_filter - count a diagnostic; false when its level is hidden */
static bool
count_and_filter(enum diag_level level)
{
	if (level == DIAG_ERROR)
		diag_errors++;
	else if (level == DIAG_WARNING)
		diag_warnings++;
	return !((level == DIAG_WARNING && diag_level_shown < 0) ||
		 (level == DIAG_INFO && diag_level_shown <= 0));
}

/* deliver - hand a finished line to the sink */
static void
deliver(enum diag_level level, const char *line)
{
	if (diag_sink != NULL)
		diag_sink(level, line, diag_sink_arg);
	else
		default_sink(level, line, NULL);
}

/* format_line - the finished diagnostic line in out */
static void
format_line(char out[DIAG_LINE_MAX + 4], enum diag_level level,
	    const char *file, unsigned long line, unsigned long col,
	    const char *fmt, va_list ap)
{
	char msg[DIAG_LINE_MAX];
	char num[64];
	size_t used;

	vsnprintf(msg, sizeof msg, fmt, ap);
	used = append_safe(out, 0, "bouncelog: ");
	if (file != NULL) {
		used = append_safe(out, used, file);
		if (line > 0) {
			snprintf(num, sizeof num, ":%lu", line);
			used = append_safe(out, used, num);
		}
		if (line > 0 && col > 0) {
			snprintf(num, sizeof num, ":%lu", col);
			used = append_safe(out, used, num);
		}
		used = append_safe(out, used, ": ");
	}
	if (level == DIAG_WARNING)
		used = append_safe(out, used, "warning: ");
	append_safe(out, used, msg);
}

void
diag_vemit(enum diag_level level, const char *file, unsigned long line,
	   unsigned long col, const char *fmt, va_list ap)
{
	char out[DIAG_LINE_MAX + 4];

	/* Messages follow one style, in every language: lower case start,
	 * no final period.  tests/po_check.py checks the translations. */
	assert(fmt[0] != '\0');
	assert(!starts_upper(fmt));
	assert(fmt[strlen(fmt) - 1] != '.');
	assert(fmt[strlen(fmt) - 1] != '\n');

	/* A captured line is counted when it is replayed. */
	if (thread_capture != NULL) {
		format_line(out, level, file, line, col, fmt, ap);
		thread_capture(level, out, thread_capture_arg);
		return;
	}
	if (!count_and_filter(level))
		return;
	format_line(out, level, file, line, col, fmt, ap);
	deliver(level, out);
}

void
diag_capture_thread(diag_sink_fn capture, void *arg)
{
	thread_capture = capture;
	thread_capture_arg = arg;
}

void
diag_replay(enum diag_level level, const char *line)
{
	if (count_and_filter(level))
		deliver(level, line);
}

void
diag_forward(enum diag_level level, const char *line)
{
	if (thread_capture != NULL)
		thread_capture(level, line, thread_capture_arg);
	else
		diag_replay(level, line);
}

void
diag_emit(enum diag_level level, const char *file, unsigned long line,
	  unsigned long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vemit(level, file, line, col, fmt, ap);
	va_end(ap);
}
