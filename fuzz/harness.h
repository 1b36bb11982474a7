/* SPDX-License-Identifier: MIT */
/*
 * harness.h - checks shared by the fuzz targets
 *
 * A fuzz target must stop on a broken invariant as loudly as on a crash,
 * so that libFuzzer saves the input and the replay test fails.
 * fuzz_fail() prints the broken invariant on stderr and calls abort().
 * The UTF-8 checks here are written apart from src/escape.c, from the
 * byte-sequence grammar of RFC 3629 section 4, so that a fault in the
 * library's decoder cannot hide itself.
 *
 * The diagnostic sink installed by fuzz_diag_capture() replaces stderr
 * output: it checks that every diagnostic is one safe line, counts the
 * lines by level and keeps the last one for failure messages.
 */
#ifndef BOUNCELOG_FUZZ_HARNESS_H
#define BOUNCELOG_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bouncelog/span.h"

/* Print "invariant failed: MESSAGE" on stderr and abort. */
void fuzz_fail(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Fail with the formatted message unless cond holds. */
#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                  \
		if (!(cond))                                                  \
			fuzz_fail(__VA_ARGS__);                               \
	} while (0)

/*
 * Length (1 to 4) of the well-formed UTF-8 sequence at s[0..len), or 0
 * when s does not start with one.  len must be at least 1.
 */
size_t fuzz_utf8_length(const unsigned char *s, size_t len);

/* True when s[0..len) is well-formed UTF-8. */
bool fuzz_utf8_valid(const unsigned char *s, size_t len);

/*
 * True when the well-formed sequence s of n bytes encodes a bidirectional
 * control (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
 * decoded here apart from the library's byte comparison.
 */
bool fuzz_is_bidi_control(const unsigned char *s, size_t n);

/*
 * Fail unless s[0..len) is well-formed UTF-8 without C0 controls, DEL,
 * C1 controls (U+0080 to U+009F) or bidirectional controls.  what names the text in the message.
 * When allow_newline is set, LF is accepted, so that a whole report can
 * be checked at once.
 */
void fuzz_check_safe_text(const char *what, const char *s, size_t len,
			  bool allow_newline);

/* Fail unless span s is absent or lies inside base[0..len). */
void fuzz_check_span(const char *what, struct span s, const char *base,
		     size_t len);

/* A date and time read from a formatted stamp. */
struct fuzz_stamp {
	int year, month, day, hour, min, sec;
	bool has_offset;
	int offset_min;
};

/* True for a leap year of the proleptic Gregorian calendar. */
bool fuzz_is_leap(int year);

/*
 * Parse "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+HH:MM", "-HH:MM" or
 * nothing, as logtime_format() writes it: RFC 3339 section 5.6 with the
 * offset optional (doc/json-schema.md).  Second 60 is rejected because
 * the parser reads a leap second as 59.  Returns false for anything
 * else, including an invalid date.
 */
bool fuzz_parse_stamp(const char *s, struct fuzz_stamp *out);

/* A memory stream (open_memstream) and the buffer it fills. */
struct fuzz_memout {
	FILE *fp;
	char *buf;	/* owned by the caller after fuzz_memout_close() */
	size_t len;
};

/* Open m; fails the run when the stream cannot be made. */
void fuzz_memout_open(struct fuzz_memout *m);

/* Close the stream, leaving buf (NUL-terminated) and len set; fails the
 * run when a write failed. */
void fuzz_memout_close(struct fuzz_memout *m);

/*
 * Send diagnostics to a checking sink instead of stderr.  Every line
 * must start with "bouncelog: ", fit DIAG_LINE_MAX and pass
 * fuzz_check_safe_text().  Call once, from the target's initializer.
 */
void fuzz_diag_capture(void);

/* Diagnostic lines received by the sink, by level, since the start. */
unsigned long fuzz_diag_errors(void);
unsigned long fuzz_diag_lines(void);

/* The last diagnostic line received, or "" when there was none. */
const char *fuzz_diag_last(void);

#endif
