/* SPDX-License-Identifier: MIT */
/*
 * test_exchange_queue.c - unit tests of when the tally forgets an
 * Exchange message
 *
 * Exchange's message tracking log has no row that ends a message for all
 * of its recipients, so the tally keeps a message in the queue tracker
 * only while one of its recipients is deferred.  The test reads
 * fixtures/exchange/deferred-end.LOG (the first argument or else the
 * BOUNCELOG_FIXTURES variable names the fixture folder) with the real
 * reader and extractor, feeds every event to a tally, and checks after
 * each row which messages and recipients the tracker keeps.  The story
 * of the log is in fixtures/exchange/README.md and in the notes of its
 * truth file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/extract.h"
#include "bouncelog/qtrack.h"
#include "bouncelog/reader.h"
#include "bouncelog/tally.h"
#include "check.h"
#include "tally_impl.h"

static const char *fixture_dir;

/* What the tracker contains after one line of the fixture. */
struct after_line {
	unsigned long line;
	const char *row;	/* the row's story, for messages */
	uint64_t messages;
	uint64_t recipients;
};

static const struct after_line wants[] = {
	{5, "header lines", 0, 0},
	{6, "RECEIVE 7001 ann, bob", 0, 0},
	{7, "DEFER 7001 ann, bob", 1, 2},
	{8, "DEFER 7001 ann again", 1, 2},
	{9, "SEND 7001 ann, bob still deferred", 1, 2},
	{10, "DEFER 7001 bob again", 1, 2},
	{11, "FAIL 7001 bob, expired", 0, 0},
	{12, "DSN 7002, the notice", 0, 0},
	{13, "DEFER 7003 cy", 1, 1},
	{14, "FAIL 7003 cy", 0, 0},
	{15, "DEFER 7004 dee, eve", 1, 2},
	{16, "SEND 7004 dee, eve in one row", 0, 0},
	{17, "DELIVER 7005 fay, never deferred", 0, 0},
	{18, "DEFER 7006 gil, open at the end", 1, 1},
};

/* feed_line - feed every event of one line to t and return the
 * extractor's result */
static enum extract_result
feed_line(struct extractor *x, struct tally *t, const struct reader_line *rl)
{
	struct extract_line in;
	struct event ev;
	enum extract_result rc;
	struct span text = span_make(rl->text, rl->len);

	memset(&in, 0, sizeof in);
	in.text = rl->text;
	in.len = rl->len;
	rc = extractor_classify(x, &in, &ev);
	if (rc != EXTRACT_EVENT)
		return rc;
	tally_add(t, &ev, text);
	while (extractor_more(x, &in, &ev))
		tally_add(t, &ev, text);
	return rc;
}

static void
test_tracker_after_each_row(void **state)
{
	char path[4096];
	struct extractor *x = extractor_open(extractor_find("exchange"), NULL);
	struct tally *t = tally_new();
	struct reader *r;
	struct reader_line rl;
	size_t next = 0;

	(void)state;
	assert_non_null(x);
	snprintf(path, sizeof path, "%s/exchange/deferred-end.LOG",
		 fixture_dir);
	r = reader_open(path);
	if (r == NULL)
		fail_msg("cannot open the fixture %s", path);

	while (reader_next(r, &rl) == READER_LINE) {
		enum extract_result rc = feed_line(x, t, &rl);

		check_int("line result", "event or info",
			  rc == EXTRACT_EVENT || rc == EXTRACT_INFO, 1);
		if (next < sizeof wants / sizeof wants[0] &&
		    wants[next].line == rl.number) {
			check_int(wants[next].row, "tracked messages",
				  (long long)qtrack_messages(t->queue),
				  (long long)wants[next].messages);
			check_int(wants[next].row, "tracked recipients",
				  (long long)qtrack_recipients(t->queue),
				  (long long)wants[next].recipients);
			next++;
		}
	}
	check_int("fixture", "lines checked", (long long)next,
		  (long long)(sizeof wants / sizeof wants[0]));

	/* A recipient deferred again while its message is kept counts once,
	 * and no message was dropped to make room. */
	check_int("fixture", "deferrals", (long long)t->deferred, 8);
	check_int("fixture", "deferred recipients",
		  (long long)t->deferred_unique, 6);
	check_int("fixture", "dropped messages",
		  (long long)qtrack_dropped(t->queue, NULL), 0);

	reader_close(r);
	tally_free(t);
	extractor_close(x);
	finish_cases();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracker_after_each_row),
	};

	fixture_dir = argc > 1 ? argv[1] : getenv("BOUNCELOG_FIXTURES");
	if (fixture_dir == NULL) {
		fprintf(stderr, "usage: %s FIXTURE-DIR (or set "
				"BOUNCELOG_FIXTURES)\n",
			argv[0]);
		return 2;
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("exchange_queue", tests, NULL,
					   NULL);
}
