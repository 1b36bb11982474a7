/* SPDX-License-Identifier: MIT */
/*
 * test_queue_end.c - unit tests of when the tally forgets a message whose
 * log writes no end
 *
 * Exchange's message tracking log has no row that ends a message for all
 * of its recipients, so the tally keeps a message in the queue tracker
 * only while one of its recipients is deferred, and so does it for
 * OpenSMTPD's envelopes of one recipient each.  Sendmail logs no end
 * either, so the tracker ends a message an hour after its last line once
 * a recipient had a final status and none is deferred.  Each test reads
 * a fixture log (the first argument or else the BOUNCELOG_FIXTURES
 * variable names the fixture folder) with the real reader and extractor,
 * feeds every event to a tally, and checks after chosen lines which
 * messages and recipients the tracker keeps.  The stories of the logs
 * are in the README.md files beside them and in the notes of their truth
 * files.
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
#include "bouncelog/sysline.h"
#include "bouncelog/tally.h"
#include "check.h"
#include "tally_impl.h"

static const char *fixture_dir;

/* What the tracker contains after one line of a fixture. */
struct after_line {
	unsigned long line;
	const char *row;	/* the line's story, for messages */
	uint64_t messages;
	uint64_t recipients;
};

/* A fixture, its format, and what the tally counts from it. */
struct queue_case {
	const char *file;	/* under the fixture folder */
	const char *format;
	bool syslog;		/* lines have a syslog header */
	const struct after_line *wants;
	size_t nwants;
	uint64_t deferred, deferred_unique;
};

static const struct after_line exchange_wants[] = {
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

static const struct after_line sendmail_wants[] = {
	{1, "from= of alice's message", 1, 0},
	{3, "bob sent, carol deferred", 1, 1},
	{5, "dan's message sent at once", 2, 1},
	{6, "from= of fay's message, queued", 3, 1},
	{7, "carol deferred again; dan's message ended", 2, 1},
	{8, "fay's message: gil unknown", 2, 1},
	{9, "carol sent, still a tracked recipient", 2, 1},
	{10, "from= of hal's message; two messages ended", 1, 0},
};

/* Each OpenSMTPD envelope has one recipient; only deferred ones are
 * kept. */
static const struct after_line opensmtpd_wants[] = {
	{9, "bob delivered", 0, 0},
	{16, "erin deferred", 1, 1},
	{17, "erin delivered", 0, 0},
	{45, "gina deferred", 1, 1},
	{49, "gina delivered", 0, 0},
	{59, "h deferred", 1, 1},
	{63, "full bounced, another envelope", 1, 1},
	{65, "an envelope expired, never deferred here", 1, 1},
	{93, "h still deferred at the end", 1, 1},
};

static const struct queue_case cases[] = {
	{"exchange/deferred-end.LOG", "exchange", false, exchange_wants,
	 ARRAY_LEN(exchange_wants), 8, 6},
	{"sendmail/quiet-end.log", "sendmail", true, sendmail_wants,
	 ARRAY_LEN(sendmail_wants), 2, 1},
	{"opensmtpd/maillog.log", "opensmtpd", true, opensmtpd_wants,
	 ARRAY_LEN(opensmtpd_wants), 3, 3},
};

/* feed_line - feed every event of one line to t and return the
 * extractor's result, EXTRACT_NO_HEADER when a syslog header does not
 * parse, or EXTRACT_FOREIGN for another program's syslog line */
static enum extract_result
feed_line(struct extractor *x, struct tally *t, const struct reader_line *rl,
	  bool syslog)
{
	static const struct sysline_year year = {2026, 12, 0};
	struct span text = span_make(rl->text, rl->len);
	struct extract_line in;
	struct sysline hdr;
	struct event ev;
	enum extract_result rc;

	memset(&in, 0, sizeof in);
	in.text = rl->text;
	in.len = rl->len;
	/* As extractor_line() does, a syslog line is classified by its
	 * message, after its program is checked. */
	if (syslog) {
		if (!sysline_parse(rl->text, rl->len, &year, &hdr))
			return EXTRACT_NO_HEADER;
		if (!extractor_owns_program(x, hdr.program))
			return EXTRACT_FOREIGN;
		in.text = hdr.message.ptr;
		in.len = hdr.message.len;
		in.hdr = &hdr;
		in.year = &year;
	}
	rc = extractor_classify(x, &in, &ev);
	if (rc != EXTRACT_EVENT)
		return rc;
	tally_add(t, &ev, text);
	while (extractor_more(x, &in, &ev))
		tally_add(t, &ev, text);
	return rc;
}

/* run_case - read c's fixture into a new tally, checking the tracker */
static void
run_case(const struct queue_case *c)
{
	char path[4096];
	struct extractor *x = extractor_open(extractor_find(c->format), NULL);
	struct tally *t = tally_new();
	struct reader *r;
	struct reader_line rl;
	size_t next = 0;

	assert_non_null(x);
	snprintf(path, sizeof path, "%s/%s", fixture_dir, c->file);
	r = reader_open(path);
	if (r == NULL)
		fail_msg("cannot open the fixture %s", path);

	while (reader_next(r, &rl) == READER_LINE) {
		enum extract_result rc = feed_line(x, t, &rl, c->syslog);

		check_int(c->file, "line read as event, info or other program",
			  rc == EXTRACT_EVENT || rc == EXTRACT_INFO ||
				  rc == EXTRACT_FOREIGN,
			  1);
		if (next < c->nwants && c->wants[next].line == rl.number) {
			check_int(c->wants[next].row, "tracked messages",
				  (long long)qtrack_messages(t->queue),
				  (long long)c->wants[next].messages);
			check_int(c->wants[next].row, "tracked recipients",
				  (long long)qtrack_recipients(t->queue),
				  (long long)c->wants[next].recipients);
			next++;
		}
	}
	check_int(c->file, "lines checked", (long long)next,
		  (long long)c->nwants);

	/* A recipient deferred again while its message is kept counts once,
	 * and no message was dropped before its end. */
	check_int(c->file, "deferrals", (long long)t->deferred,
		  (long long)c->deferred);
	check_int(c->file, "deferred recipients",
		  (long long)t->deferred_unique, (long long)c->deferred_unique);
	check_int(c->file, "dropped messages",
		  (long long)qtrack_dropped(t->queue, NULL), 0);

	reader_close(r);
	tally_free(t);
	extractor_close(x);
}

static void
test_exchange_deferred_end(void **state)
{
	(void)state;
	run_case(&cases[0]);
	finish_cases();
}

static void
test_sendmail_quiet_end(void **state)
{
	(void)state;
	run_case(&cases[1]);
	finish_cases();
}

static void
test_opensmtpd_deferred_only(void **state)
{
	(void)state;
	run_case(&cases[2]);
	finish_cases();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_deferred_end),
		cmocka_unit_test(test_sendmail_quiet_end),
		cmocka_unit_test(test_opensmtpd_deferred_only),
	};

	fixture_dir = argc > 1 ? argv[1] : getenv("BOUNCELOG_FIXTURES");
	if (fixture_dir == NULL) {
		fprintf(stderr, "usage: %s FIXTURE-DIR (or set "
				"BOUNCELOG_FIXTURES)\n",
			argv[0]);
		return 2;
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("queue_end", tests, NULL, NULL);
}
