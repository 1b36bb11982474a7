/* SPDX-License-Identifier: MIT */
/*
 * test_run_times.c - unit tests of the line times that an input passes
 *
 * run_parse_input() passes a line's time to its sink only when it lies
 * outside the times it passed before for that input, because
 * tally_saw_time() ignores the others.  One test checks which times of a
 * small log are passed.  The other reads every fixture log both ways:
 * through run_parse_input() and with every line's time given to the
 * tally, and checks that the two tallies keep the same times and the
 * same timeline.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/cli.h"
#include "bouncelog/inputs.h"
#include "bouncelog/reader.h"
#include "bouncelog/route.h"
#include "bouncelog/tally.h"
#include "check.h"
#include "run_impl.h"
#include "tally_impl.h"

/* The UTC seconds of the times a sink was given, in order. */
struct passed {
	int64_t utc[16];
	size_t n;
};

static void
record_time(void *arg, const struct logtime *time)
{
	struct passed *p = arg;

	assert_true(p->n < ARRAY_LEN(p->utc));
	p->utc[p->n++] = logtime_utc(time);
}

static void
ignore_event(void *arg, const struct event *ev, struct span line)
{
	(void)arg;
	(void)ev;
	(void)line;
}

/* write_log - a temporary file holding text; its path goes to path */
static void
write_log(char *path, size_t size, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, size, "%s/bouncelog-times-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/*
 * The first time is passed, then each time before the earliest or after
 * the latest passed so far.  A time in the same second as one passed,
 * or between two, is not: that includes a time written in another zone
 * that falls in the span, and a fraction of a second passed already.
 */
static void
test_times_passed(void **state)
{
	static const char text[] =
	    "2024-11-19T10:00:05.100000+00:00 mx1 postfix/qmgr[1]: "
	    "4AB12: removed\n"
	    "2024-11-19T10:00:05.900000+00:00 mx1 postfix/qmgr[1]: "
	    "4AB13: removed\n"
	    "2024-11-19T10:00:07+00:00 mx1 postfix/qmgr[1]: 4AB14: removed\n"
	    "2024-11-19T10:00:06+00:00 mx1 postfix/qmgr[1]: 4AB15: removed\n"
	    "2024-11-19T10:00:01+00:00 mx1 postfix/qmgr[1]: 4AB16: removed\n"
	    "2024-11-19T13:00:06+03:00 mx1 postfix/qmgr[1]: 4AB17: removed\n"
	    "not a log line\n"
	    "2024-11-19T10:00:07.500000Z mx1 postfix/qmgr[1]: 4AB18: removed\n"
	    "2024-11-19T10:00:09+00:00 mx1 postfix/qmgr[1]: 4AB19: removed\n";
	const int64_t day = INT64_C(1732010400); /* 2024-11-19T10:00:00Z */
	const int64_t want[] = {day + 5, day + 7, day + 1, day + 9};
	char path[256];
	struct options opts;
	struct passed passed = {{0}, 0};
	struct run_sink sink = {record_time, ignore_event, &passed};
	struct input_stats in;
	struct router *r = router_open("auto", NULL);

	(void)state;
	assert_non_null(r);
	write_log(path, sizeof path, text);
	memset(&opts, 0, sizeof opts);
	opts.year = 2024;

	check_int("passed times", "input read",
		  run_parse_input(r, &sink, path, &opts, NULL, &in), true);
	check_int("passed times", "lines", (long long)in.lines, 9);
	check_int("passed times", "count", (long long)passed.n,
		  (long long)ARRAY_LEN(want));
	for (size_t i = 0; i < passed.n && i < ARRAY_LEN(want); i++)
		check_int("passed times", "UTC seconds", passed.utc[i], want[i]);

	unlink(path);
	router_close(r);
	finish_cases();
}

/* every_time - give the time of every line of path to t, as the router
 * reads it */
static void
every_time(struct router *r, const char *path, struct tally *t)
{
	struct reader *rd = reader_open(path);
	struct sysline_year year;
	struct reader_line line;
	struct route_result res;
	struct event ev;

	assert_non_null(rd);
	inputs_year_reference(&year, reader_mtime(rd), 2024);
	router_begin_input(r);
	while (reader_next(rd, &line) == READER_LINE) {
		router_line(r, line.text, line.len, &year, &ev, &res);
		if (res.has_time)
			tally_saw_time(t, &res.time);
		while (res.result == EXTRACT_EVENT && router_more(r, &ev))
			;
	}
	reader_close(rd);
}

/* same_logtime - do two times have the same fields? */
static bool
same_logtime(const struct logtime *a, const struct logtime *b)
{
	return a->wall == b->wall && a->usec == b->usec &&
	       a->offset_min == b->offset_min &&
	       a->has_offset == b->has_offset &&
	       a->year_inferred == b->year_inferred;
}

/* compare_log - read path both ways and compare what the tallies keep */
static void
compare_log(struct router *r, const char *path)
{
	struct options opts;
	struct input_stats in;
	struct tally *passed = tally_new(), *every = tally_new();
	struct run_sink sink = {run_tally_time, ignore_event, passed};

	memset(&opts, 0, sizeof opts);
	opts.year = 2024;
	(void)run_parse_input(r, &sink, path, &opts, NULL, &in);
	every_time(r, path, every);

	check_int(path, "have time", passed->have_time, every->have_time);
	if (every->have_time) {
		check_int(path, "first", same_logtime(&passed->first,
						      &every->first), true);
		check_int(path, "last", same_logtime(&passed->last,
						     &every->last), true);
		check_int(path, "newest", passed->newest_utc,
			  every->newest_utc);
	}
	check_int(path, "timeline",
		  memcmp(&passed->timeline, &every->timeline,
			 sizeof every->timeline) == 0,
		  true);
	tally_free(passed);
	tally_free(every);
}

/* The fixture logs of every format keep the same times and timeline
 * either way.  Fewer than 21 files read means the folders moved, which
 * fails the test. */
static void
test_fixture_times_kept(void **state)
{
	static const char *const dirs[] = {"postfix",	"exim",	 "exchange",
					   "sendmail",	"opensmtpd", "mixed",
					   "hostile",	"timerange"};
	const char *root = getenv("BOUNCELOG_FIXTURES");
	struct router *r;
	int logs = 0;

	(void)state;
	assert_non_null(root);
	r = router_open("auto", NULL);
	assert_non_null(r);
	for (size_t d = 0; d < ARRAY_LEN(dirs); d++) {
		char dir[512];
		DIR *dp;
		struct dirent *de;

		snprintf(dir, sizeof dir, "%s/%s", root, dirs[d]);
		dp = opendir(dir);
		if (dp == NULL)
			continue;
		while ((de = readdir(dp)) != NULL) {
			char path[1024];

			struct stat st;

			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			if (de->d_name[0] == '.' || stat(path, &st) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			compare_log(r, path);
			logs++;
		}
		closedir(dp);
	}
	check_int("fixtures", "logs read", logs > 20, true);
	router_close(r);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times_passed),
		cmocka_unit_test(test_fixture_times_kept),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("run_times", tests, NULL, NULL);
}
