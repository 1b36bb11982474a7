/* SPDX-License-Identifier: MIT */
/*
 * test_tally_range.c - unit tests of what the tally learns outside a range
 *
 * Events on lines outside the requested time range go to tally_learn(),
 * which counts nothing but keeps what later events need.  Each test feeds
 * hand-built events, some learnt and some counted, and checks the
 * counters and breakdowns that tally_impl.h exposes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/tally.h"
#include "bouncelog/topk.h"
#include "check.h"
#include "tally_impl.h"

#define LINE "a log line"

/* delivery - a delivery event of queue id qid to rcpt */
static struct event
delivery(const char *qid, const char *rcpt, enum delivery_status status,
	 enum reason reason)
{
	struct event ev;

	event_init(&ev, EVENT_DELIVERY);
	ev.status = status;
	ev.queue_id = span_make(qid, strlen(qid));
	ev.recipient = span_make(rcpt, strlen(rcpt));
	ev.classification.reason = reason;
	return ev;
}

/* message_event - an event about a whole message: sender, expiry or
 * removal */
static struct event
message_event(enum event_type type, const char *qid, const char *sender)
{
	struct event ev;

	event_init(&ev, type);
	ev.queue_id = span_make(qid, strlen(qid));
	if (sender != NULL)
		ev.sender = span_make(sender, strlen(sender));
	return ev;
}

static void
add(struct tally *t, const struct event *ev)
{
	tally_add(t, ev, span_make(LINE, strlen(LINE)));
}

/* domain_expired - the expiries counted for domain, or -1 when the
 * report has no such domain */
static long long
domain_expired(struct tally *t, const char *domain)
{
	const struct domain_stat *d =
		strmap_get(t->domains, domain, strlen(domain));

	return d != NULL ? (long long)d->expired : -1;
}

static void
test_learnt_deferral_joins_expiry(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u2@full.example", STATUS_DEFERRED,
		      REASON_MAILBOXFULL);
	tally_learn(t, &ev);
	ev = message_event(EVENT_EXPIRED, "4A1B", NULL);
	add(t, &ev);

	assert_int_equal(t->deferred, 0);
	assert_int_equal(t->deferred_unique, 0);
	assert_int_equal(t->expired, 1);
	assert_int_equal(t->expired_messages, 1);
	assert_int_equal(t->reasons[REASON_MAILBOXFULL].expired, 1);
	assert_int_equal(t->reasons[REASON_MAILBOXFULL].deferred, 0);
	assert_int_equal(domain_expired(t, "full.example"), 1);
	assert_int_equal(strmap_count(t->domains), 1);
	tally_free(t);
}

static void
test_learnt_deferral_adds_no_domain(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u2@full.example", STATUS_DEFERRED,
		      REASON_MAILBOXFULL);
	tally_learn(t, &ev);

	assert_int_equal(strmap_count(t->domains), 0);
	assert_int_equal(t->failures, 0);
	assert_int_equal(t->outbound[0].count, 0);
	tally_free(t);
}

static void
test_counted_deferral_after_learnt(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u1@slow.example", STATUS_DEFERRED,
		      REASON_GREYLISTED);
	tally_learn(t, &ev);
	ev = delivery("4A1B", "u1@slow.example", STATUS_DEFERRED,
		      REASON_CONNECTIONERROR);
	add(t, &ev);
	add(t, &ev);

	assert_int_equal(t->deferred, 2);
	assert_int_equal(t->deferred_unique, 1);
	assert_int_equal(t->reasons[REASON_GREYLISTED].count, 0);
	assert_int_equal(t->reasons[REASON_CONNECTIONERROR].deferred, 2);
	tally_free(t);
}

static void
test_learnt_delivery_settles(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u1@slow.example", STATUS_DEFERRED,
		      REASON_GREYLISTED);
	tally_learn(t, &ev);
	ev = delivery("4A1B", "u1@slow.example", STATUS_SENT, REASON_NONE);
	tally_learn(t, &ev);
	ev = message_event(EVENT_EXPIRED, "4A1B", NULL);
	add(t, &ev);

	/* No recipient was still deferred, so the expiry counts one
	 * recipient of an unknown domain. */
	assert_int_equal(t->delivered, 0);
	assert_int_equal(t->expired, 1);
	assert_int_equal(t->reasons[REASON_EXPIRED].expired, 1);
	assert_int_equal(t->reasons[REASON_GREYLISTED].count, 0);
	assert_int_equal(domain_expired(t, "slow.example"), -1);
	assert_int_equal(domain_expired(t, "(unknown)"), 1);
	tally_free(t);
}

static void
test_learnt_expiry_settles(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u2@full.example", STATUS_DEFERRED,
		      REASON_MAILBOXFULL);
	tally_learn(t, &ev);
	ev = message_event(EVENT_EXPIRED, "4A1B", NULL);
	tally_learn(t, &ev);
	assert_int_equal(t->expired_messages, 0);

	add(t, &ev);
	assert_int_equal(t->reasons[REASON_MAILBOXFULL].count, 0);
	assert_int_equal(domain_expired(t, "(unknown)"), 1);
	tally_free(t);
}

static void
test_learnt_removal_forgets(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	ev = delivery("4A1B", "u2@full.example", STATUS_DEFERRED,
		      REASON_MAILBOXFULL);
	tally_learn(t, &ev);
	ev = message_event(EVENT_REMOVED, "4A1B", NULL);
	tally_learn(t, &ev);
	assert_int_equal(qtrack_messages(t->queue), 0);
	tally_free(t);
}

static void
test_learnt_sender_joins_bounce(void **state)
{
	struct tally *t = tally_new();
	struct event ev;
	uint64_t count = 0, error = 0;

	(void)state;
	ev = message_event(EVENT_SENDER, "5B2C", "billing@shop.example");
	tally_learn(t, &ev);
	ev = delivery("5B2C", "cem@example.net", STATUS_BOUNCED,
		      REASON_USERUNKNOWN);
	add(t, &ev);

	assert_true(topk_get(t->outbound[1].senders, "billing@shop.example",
			     strlen("billing@shop.example"), &count, &error));
	assert_int_equal(count, 1);
	assert_int_equal(error, 0);
	assert_int_equal(t->bounced, 1);
	tally_free(t);
}

static void
test_learnt_events_count_nothing(void **state)
{
	struct tally *t = tally_new();
	struct event ev;

	(void)state;
	event_init(&ev, EVENT_REJECT);
	ev.recipient = span_make("erol@example.org", 16);
	ev.reply_code = 554;
	tally_learn(t, &ev);
	event_init(&ev, EVENT_NOTIFICATION);
	tally_learn(t, &ev);
	ev = delivery("6C3D", "bora@example.org", STATUS_SENT, REASON_NONE);
	tally_learn(t, &ev);
	ev = delivery("6C3D", "cem@example.net", STATUS_BOUNCED,
		      REASON_USERUNKNOWN);
	tally_learn(t, &ev);
	ev = delivery("6C3D", "p@example.net", STATUS_PROBE_FAIL, REASON_NONE);
	tally_learn(t, &ev);

	assert_int_equal(t->rejected, 0);
	assert_int_equal(t->notifications, 0);
	assert_int_equal(t->delivered, 0);
	assert_int_equal(t->bounced, 0);
	assert_int_equal(t->probes_failed, 0);
	assert_int_equal(t->failures, 0);
	assert_int_equal(strmap_count(t->domains), 0);
	assert_int_equal(strmap_count(t->reply_codes), 0);
	tally_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learnt_deferral_joins_expiry),
		cmocka_unit_test(test_learnt_deferral_adds_no_domain),
		cmocka_unit_test(test_counted_deferral_after_learnt),
		cmocka_unit_test(test_learnt_delivery_settles),
		cmocka_unit_test(test_learnt_expiry_settles),
		cmocka_unit_test(test_learnt_removal_forgets),
		cmocka_unit_test(test_learnt_sender_joins_bounce),
		cmocka_unit_test(test_learnt_events_count_nothing),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("tally_range", tests, NULL, NULL);
}
