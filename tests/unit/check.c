/* SPDX-License-Identifier: MIT */
/*
 * check.c - case checks and locale runs shared by the unit tests
 *
 * Mismatches go to stdout as TAP comments because cmocka's print_error()
 * writes to stderr, which meson keeps apart from the TAP results.
 */
#include <dirent.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bouncelog/reader.h"
#include "check.h"

/* Mismatches noted in the running test. */
static int mismatches;

void
note_mismatch(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	mismatches++;
}

void
check_int(const char *name, const char *what, long long got, long long want)
{
	if (got != want)
		note_mismatch("%s: %s: got %lld, want %lld", name, what, got,
			      want);
}

void
check_str(const char *name, const char *what, const char *got, const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return;
	note_mismatch("%s: %s: got %s%s%s, want %s%s%s", name, what,
		      got ? "\"" : "", got ? got : "(none)", got ? "\"" : "",
		      want ? "\"" : "", want ? want : "(none)",
		      want ? "\"" : "");
}

void
check_span(const char *name, const char *what, struct span got,
	   const char *want)
{
	if (want == NULL && got.ptr == NULL)
		return;
	if (want != NULL && span_equal(got, want))
		return;
	if (got.ptr == NULL)
		note_mismatch("%s: %s: got (absent), want \"%s\"", name, what,
			      want);
	else if (want == NULL)
		note_mismatch("%s: %s: got \"%.*s\", want (absent)", name, what,
			      (int)got.len, got.ptr);
	else
		note_mismatch("%s: %s: got \"%.*s\", want \"%s\"", name, what,
			      (int)got.len, got.ptr, want);
}

int
mismatch_count(void)
{
	return mismatches;
}

void
finish_cases(void)
{
	int count = mismatches;

	mismatches = 0;
	if (count > 0)
		fail_msg("%d mismatches, listed above", count);
}

char *
copy_exact(const char *s, size_t len)
{
	char *p = malloc(len > 0 ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* turkish_requested - does LC_ALL request the Turkish run? */
static bool
turkish_requested(void)
{
	const char *requested = getenv("LC_ALL");

	return requested != NULL && strcmp(requested, "tr_TR.UTF-8") == 0;
}

/*
 * The Turkish run proves something only if the program really runs in
 * that locale, where the decimal point is "," and "I" does not fold to
 * "i".
 */
void
test_locale_applied(void **state)
{
	char number[16];

	(void)state;
	assert_string_equal(setlocale(LC_ALL, NULL), "tr_TR.UTF-8");
	snprintf(number, sizeof number, "%.1f", 1.5);
	assert_string_equal(number, "1,5");
}

int
run_locale_tests(const char *group, const struct CMUnitTest *tests,
		 size_t count)
{
	if (count == 0 || tests[count - 1].test_func != test_locale_applied) {
		printf("Bail out! %s: the last test is not "
		       "test_locale_applied\n",
		       group);
		return 1;
	}

	/* A missing locale is a skip, never a pass. */
	if (setlocale(LC_ALL, "") == NULL && turkish_requested()) {
		printf("1..0 # SKIP tr_TR.UTF-8 locale not installed\n");
		return 0;
	}
	if (!turkish_requested())
		count--;
	return _cmocka_run_group_tests(group, tests, count, NULL, NULL);
}

/* each_line_of_file - call fn for every line of the log at path */
static void
each_line_of_file(const char *path, check_line_fn *fn, void *arg)
{
	struct reader *r = reader_open(path);
	struct reader_line line;
	char where[4200];

	if (r == NULL)
		return;
	while (reader_next(r, &line) == READER_LINE) {
		snprintf(where, sizeof where, "%s:%lu", path, line.number);
		fn(arg, where, line.text, line.len);
	}
	reader_close(r);
}

size_t
check_each_line(const char *dir, check_line_fn *fn, void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t files = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += check_each_line(path, fn, arg);
		} else if (S_ISREG(st.st_mode)) {
			each_line_of_file(path, fn, arg);
			files++;
		}
	}
	closedir(d);
	return files;
}

const char *
check_corpus_dir(char *path, size_t size)
{
	const char *dir = getenv("BOUNCELOG_CORPUS");
	const char *root = getenv("BOUNCELOG_SOURCE");
	struct stat st;

	if (dir == NULL && root != NULL) {
		snprintf(path, size, "%s/../shared/corpus", root);
		dir = path;
	}
	if (dir == NULL || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return dir;
}

int
check_run_with_corpus(const char *group, const struct CMUnitTest *tests,
		      size_t count, CMFixtureFunction setup,
		      CMFixtureFunction teardown, CMUnitTestFunction corpus_test)
{
	struct CMUnitTest *run = calloc(count + 1, sizeof *run);
	char path[4096];
	size_t n = 0;
	int rc;

	if (run == NULL)
		return 1;
	for (size_t i = 0; i < count; i++) {
		if (tests[i].test_func == corpus_test &&
		    check_corpus_dir(path, sizeof path) == NULL) {
			printf("# %s: no public log corpus found "
			       "(BOUNCELOG_CORPUS), %s left out\n",
			       group, tests[i].name);
			continue;
		}
		run[n++] = tests[i];
	}
	rc = _cmocka_run_group_tests(group, run, n, setup, teardown);
	free(run);
	return rc;
}

unsigned
check_rng_below(struct check_rng *rng, unsigned n)
{
	rng->state ^= rng->state << 13;
	rng->state ^= rng->state >> 7;
	rng->state ^= rng->state << 17;
	return (unsigned)(rng->state % n);
}

size_t
check_mutate(struct check_rng *rng, char *buf, size_t len, size_t size,
	     const char *bytes, size_t window)
{
	size_t nbytes = strlen(bytes);
	size_t span = len < window ? len : window;
	size_t at = span > 0 ? check_rng_below(rng, (unsigned)span) : 0;

	switch (check_rng_below(rng, 4)) {
	case 0: /* delete a byte */
		if (len > 0) {
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
		}
		break;
	case 1: /* insert a byte */
		if (len + 1 < size) {
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = bytes[check_rng_below(rng, (unsigned)nbytes)];
			len++;
		}
		break;
	case 2: /* replace a byte */
		if (len > 0)
			buf[at] = bytes[check_rng_below(rng, (unsigned)nbytes)];
		break;
	default: /* cut buf here */
		len = at;
	}
	return len;
}
