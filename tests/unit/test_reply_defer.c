/* SPDX-License-Identifier: MIT */
/*
 * test_reply_defer.c - an event's reply and classification do not depend
 * on which thread found the reply
 *
 * With one input, the parsing thread leaves the classification to the
 * main thread, and finds each reply itself or leaves that too
 * (router_defer_reply()), as the main thread keeps up or falls behind.
 * Two routers read every line of fixtures/ and of the public corpus:
 * one finds the replies that are read (event_reply_read()), one leaves
 * them.  Each event of both is then finished with
 * extract_classify_event(), as the main thread does, and its reply
 * (code, enhanced code, place in the text) and classification must be
 * the same.
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

#include "bouncelog/classify.h"
#include "bouncelog/extract.h"
#include "bouncelog/route.h"
#include "bouncelog/sysline.h"
#include "check.h"

/* The two routers and what the comparison has seen. */
struct pair {
	struct router *found;	/* finds each reply as it parses */
	struct router *left;	/* leaves the replies to the caller */
	unsigned long events;
	unsigned long replies;	/* events with a reply code */
	unsigned long failures; /* events with a reason */
};

/* offset_in - the place of span s in text t, or -1 when s is absent */
static long long
offset_in(struct span s, struct span t)
{
	return s.ptr == NULL ? -1 : (long long)(s.ptr - t.ptr);
}

/* compare_events - finish both events as the main thread does, then
 * compare them */
static void
compare_events(struct pair *p, const char *where, struct event *a,
	       struct event *b)
{
	const struct classification *ca = &a->classification;
	const struct classification *cb = &b->classification;

	check_int(where, "found first", a->reply_analyzed, event_reply_read(a));
	check_int(where, "left first", b->reply_analyzed, false);
	extract_classify_event(a);
	extract_classify_event(b);

	check_int(where, "reply code", a->reply_code, b->reply_code);
	check_int(where, "reply class", a->reply_enh.cls, b->reply_enh.cls);
	check_int(where, "reply subject", a->reply_enh.subject,
		  b->reply_enh.subject);
	check_int(where, "reply detail", a->reply_enh.detail,
		  b->reply_enh.detail);
	check_int(where, "reply at", offset_in(a->reply, a->text),
		  offset_in(b->reply, b->text));
	check_int(where, "reply length", (long long)a->reply.len,
		  (long long)b->reply.len);
	check_int(where, "reason", ca->reason, cb->reason);
	check_int(where, "kind", ca->kind, cb->kind);
	check_int(where, "class", ca->cls, cb->cls);
	check_int(where, "stage", ca->stage, cb->stage);
	check_str(where, "evidence", ca->evidence, cb->evidence);
	check_str(where, "provider", ca->provider, cb->provider);
	check_int(where, "cause at", offset_in(ca->cause, a->text),
		  offset_in(cb->cause, b->text));
	p->events++;
	p->replies += a->reply_code != 0;
	p->failures += ca->reason != REASON_NONE &&
		       ca->reason != REASON_DELIVERED;
}

/* compare_line - one line through both routers (a check_each_line()
 * callback) */
static void
compare_line(void *arg, const char *where, const char *text, size_t len)
{
	static const struct sysline_year year = {2026, 12, 0};
	struct pair *p = arg;
	struct route_result ra, rb;
	struct event a, b;
	bool more_a, more_b;

	router_line(p->found, text, len, &year, &a, &ra);
	router_line(p->left, text, len, &year, &b, &rb);
	check_int(where, "result", ra.result, rb.result);
	if (ra.result != EXTRACT_EVENT || rb.result != EXTRACT_EVENT)
		return;
	do {
		compare_events(p, where, &a, &b);
		more_a = router_more(p->found, &a);
		more_b = router_more(p->left, &b);
		check_int(where, "more", more_a, more_b);
	} while (more_a && more_b);
}

/* each_folder - every line under dir, with routers of every format */
static void
each_folder(const char *dir)
{
	struct pair p = {0};

	p.found = router_open("auto", NULL);
	p.left = router_open("auto", NULL);
	assert_non_null(p.found);
	assert_non_null(p.left);
	router_defer_analysis(p.found, true);
	router_defer_analysis(p.left, true);
	router_defer_reply(p.left, true);
	assert_true(check_each_line(dir, compare_line, &p) > 0);
	print_message("# %lu events, %lu with a reply code, %lu failures\n",
		      p.events, p.replies, p.failures);

	/* The comparison tests something only with replies and failures. */
	assert_true(p.replies > 100);
	assert_true(p.failures > 100);
	router_close(p.found);
	router_close(p.left);
}

static void
test_fixtures_same(void **state)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");

	(void)state;
	assert_non_null(dir);
	each_folder(dir);
	finish_cases();
}

static void
test_corpus_same(void **state)
{
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);

	(void)state;
	assert_non_null(dir);
	each_folder(dir);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("reply_defer", tests, ARRAY_LEN(tests),
				     NULL, NULL, test_corpus_same);
}
