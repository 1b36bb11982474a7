/* SPDX-License-Identifier: MIT */
/*
 * check.h - case checks and locale runs shared by the unit tests
 *
 * A table-driven test compares each field of each case with check_int(),
 * check_str() or check_span().  A mismatch does not stop the test: it is
 * printed on stdout as the TAP comment "# CASE: FIELD: got ..., want ..."
 * and counted, so one run lists every wrong field.  The test then ends
 * with finish_cases(), which fails it when the count is not zero.
 *
 * The count is one per program and is reset only by finish_cases().
 * NOTE: a test that fails through a cmocka assertion after noting a
 * mismatch leaves the count to the next test that calls finish_cases(),
 * so that test fails too.  A per-test setup that resets the count would
 * fix this.
 *
 * The tests of the parsers run a second time under LC_ALL=tr_TR.UTF-8.
 * run_locale_tests() applies the locale and runs such a group.
 */
#ifndef BOUNCELOG_TEST_CHECK_H
#define BOUNCELOG_TEST_CHECK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bouncelog/span.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Print "# " and the formatted text as one line on stdout, where meson's
 * TAP log keeps it beside the result, and count one mismatch.  The text
 * has no final newline and should read "CASE: FIELD: got ..., want ...".
 */
void note_mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Note a mismatch unless got equals want. */
void check_int(const char *name, const char *what, long long got,
	       long long want);

/*
 * Note a mismatch unless got and want are equal strings.  NULL means
 * "none": two NULLs are equal, and a NULL side prints as (none), without
 * quotes, to tell it from a string.
 */
void check_str(const char *name, const char *what, const char *got,
	       const char *want);

/*
 * Note a mismatch unless the span got contains exactly the bytes of
 * want.  A NULL want means absent: it matches only an absent span, and
 * either absent side prints as (absent).
 */
void check_span(const char *name, const char *what, struct span got,
		const char *want);

/* Return the number of mismatches noted since the last finish_cases(). */
int mismatch_count(void);

/*
 * Reset the count of mismatches and fail the running test when it was
 * not zero.  Call it at the end of every test that uses the checks above.
 */
void finish_cases(void);

/*
 * Return a copy of the first len bytes of s in a heap buffer of exactly
 * len bytes, without a terminator, so that AddressSanitizer and valgrind
 * catch a read past the end.  A zero len still gets a 1-byte buffer.  The
 * caller frees the copy.  An allocation failure fails the running test.
 */
char *copy_exact(const char *s, size_t len);

/*
 * Check that the program runs in tr_TR.UTF-8, where the decimal point is
 * ",".  Register it as the last test of a group run by run_locale_tests().
 */
void test_locale_applied(void **state);

/*
 * Apply the locale from the environment, then run the array of count
 * tests as the TAP group named group and return cmocka's result.  The
 * last test must be test_locale_applied, which runs only when LC_ALL is
 * tr_TR.UTF-8.  When that locale is requested but not installed, print
 * the plan "1..0 # SKIP tr_TR.UTF-8 locale not installed" and return 0
 * without running any test, so that a missing locale is a skip, never a
 * pass.  When the last test is another one, print "Bail out!" and return
 * 1.
 */
int run_locale_tests(const char *group, const struct CMUnitTest *tests,
		     size_t count);

/* A function that check_each_line() calls for each line; where names
 * the line as "PATH:NUMBER". */
typedef void check_line_fn(void *arg, const char *where, const char *text,
			   size_t len);

/*
 * Read every regular file under dir and its subfolders, plain or gzip,
 * with the project's reader, and call fn for each line.  Files and
 * folders whose names start with "." are left out.  Returns the number
 * of files read; 0 when dir cannot be opened.
 */
size_t check_each_line(const char *dir, check_line_fn *fn, void *arg);

/*
 * Return the folder of public log samples: $BOUNCELOG_CORPUS, else the
 * corpus folder next to the source tree ($BOUNCELOG_SOURCE), written into
 * path.  NULL when neither is a folder.
 */
const char *check_corpus_dir(char *path, size_t size);

/*
 * Run a group of tests like cmocka_run_group_tests_name(), but leave out
 * corpus_test when check_corpus_dir() finds no corpus, and print a TAP
 * comment that names it.  cmocka writes a skipped test as
 * "not ok # SKIP", which meson counts as a failure, so a fresh checkout
 * without the corpus would fail.
 */
int check_run_with_corpus(const char *group, const struct CMUnitTest *tests,
			  size_t count, CMFixtureFunction setup,
			  CMFixtureFunction teardown,
			  CMUnitTestFunction corpus_test);

/* A deterministic generator of test data (xorshift64); the state must
 * not be 0. */
struct check_rng {
	uint64_t state;
};

/* Return the next number below n (n > 0). */
unsigned check_rng_below(struct check_rng *rng, unsigned n);

/*
 * Damage buf (len bytes, room for size) once within its first window
 * bytes (SIZE_MAX for all of it): delete a byte, insert one of the
 * bytes of the string bytes, replace a byte by one of them, or cut buf
 * there.  Returns the new length.  The same generator state gives the
 * same damage, so a failing case can be found again.
 */
size_t check_mutate(struct check_rng *rng, char *buf, size_t len,
		    size_t size, const char *bytes, size_t window);

#endif
