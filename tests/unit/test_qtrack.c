/* SPDX-License-Identifier: MIT */
/*
 * test_qtrack.c - unit tests of the bounded queue-id tracker
 *
 * The tracker must stay within its limits on any input, keep the messages
 * seen most recently when it has to drop some, and never lose track of a
 * recipient while there is room.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bouncelog/qtrack.h"
#include "check.h"

static struct span
text(const char *s)
{
	return span_make(s, strlen(s));
}

/* qid - a queue id made from a number, in a static buffer */
static struct span
qid(unsigned long n)
{
	static char buf[32];

	snprintf(buf, sizeof buf, "Q%010lX", n);
	return text(buf);
}

static void
test_find_create_forget(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m;

	(void)state;
	assert_null(qtrack_find(q, text("4F1A2B3C4D"), 100, false));
	m = qtrack_find(q, text("4F1A2B3C4D"), 100, true);
	assert_non_null(m);
	assert_int_equal(m->last_seen, 100);
	assert_ptr_equal(qtrack_find(q, text("4F1A2B3C4D"), 200, false), m);
	assert_int_equal(m->last_seen, 200);

	/* An earlier time (out-of-order files) never moves last_seen back. */
	qtrack_find(q, text("4F1A2B3C4D"), 50, false);
	assert_int_equal(m->last_seen, 200);

	assert_int_equal(qtrack_messages(q), 1);
	qtrack_forget(q, text("4F1A2B3C4D"));
	assert_int_equal(qtrack_messages(q), 0);
	assert_null(qtrack_find(q, text("4F1A2B3C4D"), 300, false));
	qtrack_forget(q, text("not-there"));
	qtrack_free(q);
}

static void
test_unusable_ids(void **state)
{
	struct qtrack *q = qtrack_new();
	char long_id[QTRACK_ID_MAX + 2];

	(void)state;
	memset(long_id, 'A', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	assert_null(qtrack_find(q, text(long_id), 1, true));
	assert_null(qtrack_find(q, span_make(NULL, 0), 1, true));
	assert_null(qtrack_find(q, text(""), 1, true));
	long_id[QTRACK_ID_MAX] = '\0';
	assert_non_null(qtrack_find(q, text(long_id), 1, true));
	assert_int_equal(qtrack_messages(q), 1);
	qtrack_free(q);
}

static void
test_sender_cut(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m = qtrack_find(q, text("4F1A2B3C4D"), 1, true);
	char sender[QTRACK_SENDER_MAX * 2];

	(void)state;
	memset(sender, 's', sizeof sender);
	qtrack_set_sender(q, m, span_make(sender, sizeof sender));
	assert_int_equal(strlen(m->sender), QTRACK_SENDER_MAX);
	qtrack_set_sender(q, m, text("alice@example.net"));
	assert_string_equal(m->sender, "alice@example.net");
	qtrack_set_sender(q, m, text(""));
	assert_string_equal(m->sender, "");
	qtrack_free(q);
}

/* Messages of one sender share its copy, which outlives each of them. */
static void
test_sender_shared(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *a, *b;

	(void)state;
	a = qtrack_find(q, text("AAAAAAAAAA"), 1, true);
	qtrack_set_sender(q, a, text("news@example.com"));
	b = qtrack_find(q, text("BBBBBBBBBB"), 1, true);
	qtrack_set_sender(q, b, text("news@example.com"));
	a = qtrack_find(q, text("AAAAAAAAAA"), 1, false);
	assert_ptr_equal(a->sender, b->sender);

	qtrack_forget(q, text("AAAAAAAAAA"));
	b = qtrack_find(q, text("BBBBBBBBBB"), 1, false);
	assert_string_equal(b->sender, "news@example.com");
	qtrack_set_sender(q, b, text("other@example.com"));
	assert_string_equal(b->sender, "other@example.com");
	qtrack_free(q);
}

static void
test_recipients(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m = qtrack_find(q, text("4F1A2B3C4D"), 1, true);
	int tag_a, tag_b;
	struct qtrack_rcpt *a, *b;
	bool added;

	(void)state;
	assert_null(qtrack_rcpt_find(m, text("a@example.com")));
	a = qtrack_rcpt(q, m, text("a@example.com"), &tag_a, &added);
	assert_non_null(a);
	assert_true(added);
	assert_ptr_equal(qtrack_rcpt_find(m, text("a@example.com")), a);
	assert_false(a->pending);
	a->pending = true;
	b = qtrack_rcpt(q, m, text("b@example.com"), &tag_b, &added);
	assert_true(added);
	assert_ptr_equal(b->tag, &tag_b);

	/* The same address again is the same recipient, with its state. */
	a = qtrack_rcpt(q, m, text("a@example.com"), &tag_b, &added);
	assert_false(added);
	assert_true(a->pending);
	assert_ptr_equal(a->tag, &tag_a);
	assert_ptr_equal(qtrack_rcpt_find(m, text("a@example.com")), a);
	assert_null(qtrack_rcpt_find(m, text("c@example.com")));
	assert_int_equal(qtrack_recipients(q), 2);

	qtrack_forget(q, text("4F1A2B3C4D"));
	assert_int_equal(qtrack_recipients(q), 0);
	qtrack_free(q);
}

static void
test_pending(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m = qtrack_find(q, text("4F1A2B3C4D"), 1, true);
	struct qtrack_rcpt *a, *b;
	bool added;

	(void)state;
	assert_false(qtrack_pending(m));
	qtrack_rcpt(q, m, text("a@example.com"), NULL, &added);
	b = qtrack_rcpt(q, m, text("b@example.com"), NULL, &added);

	/* Adding b may move a, so look a up again. */
	a = qtrack_rcpt(q, m, text("a@example.com"), NULL, &added);
	assert_false(added);
	assert_false(qtrack_pending(m));

	/* The last recipient of the message counts too. */
	b->pending = true;
	assert_true(qtrack_pending(m));
	a->pending = true;
	b->pending = false;
	assert_true(qtrack_pending(m));
	a->pending = false;
	assert_false(qtrack_pending(m));
	qtrack_free(q);
}

static void
test_recipients_per_message_limit(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m = qtrack_find(q, text("4F1A2B3C4D"), 1, true);
	char addr[64];
	bool added;

	(void)state;
	for (int i = 0; i < QTRACK_MSG_RCPTS_MAX; i++) {
		snprintf(addr, sizeof addr, "u%d@example.com", i);
		assert_non_null(qtrack_rcpt(q, m, text(addr), NULL, &added));
	}
	assert_null(qtrack_rcpt(q, m, text("one-more@example.com"), NULL,
				&added));
	assert_false(added);
	assert_int_equal(m->nrcpts, QTRACK_MSG_RCPTS_MAX);
	qtrack_free(q);
}

static void
test_eviction_keeps_recent(void **state)
{
	struct qtrack *q = qtrack_new();
	unsigned long total = QTRACK_MESSAGES_MAX + QTRACK_MESSAGES_MAX / 2;

	(void)state;

	/* Four messages per second: none is idle for QTRACK_IDLE_MAX, so
	 * the tracker drops the oldest quarter each time it is full. */
	assert_true(total / 4 < QTRACK_IDLE_MAX);
	for (unsigned long i = 0; i < total; i++)
		assert_non_null(qtrack_find(q, qid(i), (int64_t)i / 4, true));
	assert_true(qtrack_messages(q) <= QTRACK_MESSAGES_MAX);
	assert_true(qtrack_messages(q) >= QTRACK_MESSAGES_MAX / 2);

	/* The newest messages are all still there; the first one is not. */
	for (unsigned long i = total - QTRACK_MESSAGES_MAX / 2; i < total; i++)
		if (qtrack_find(q, qid(i), (int64_t)total / 4, false) == NULL)
			fail_msg("message %lu of the newest half was dropped", i);
	assert_null(qtrack_find(q, qid(0), (int64_t)total / 4, false));
	assert_int_equal(qtrack_dropped(q, NULL),
			 total - qtrack_messages(q));
	qtrack_free(q);
}

static void
test_eviction_drops_stale(void **state)
{
	struct qtrack *q = qtrack_new();
	int64_t late = 10 * QTRACK_IDLE_MAX;

	(void)state;
	for (unsigned long i = 0; i < QTRACK_MESSAGES_MAX; i++)
		assert_non_null(qtrack_find(q, qid(i), 0, true));

	/* Every message is now idle for longer than QTRACK_IDLE_MAX: all
	 * of them go. */
	assert_non_null(qtrack_find(q, qid(QTRACK_MESSAGES_MAX), late, true));
	assert_int_equal(qtrack_messages(q), 1);
	assert_int_equal(qtrack_dropped(q, NULL), QTRACK_MESSAGES_MAX);
	qtrack_free(q);
}

/* A message idle for QTRACK_IDLE_MAX is dropped as log time moves on,
 * long before the table is full, and the drop is counted with its
 * deferral. */
static void
test_idle_messages_dropped(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m;
	uint64_t pending = 99;
	bool added;

	(void)state;
	m = qtrack_find(q, text("DEFERRED01"), 1000, true);
	assert_non_null(m);
	assert_non_null(qtrack_rcpt(q, m, text("a@example.com"), NULL, &added));
	m->rcpts[0].pending = true;
	assert_non_null(qtrack_find(q, text("SENTONLY02"), 1000, true));
	assert_non_null(qtrack_find(q, text("ACTIVE0003"), 1000, true));

	/* Within the limit, nothing goes. */
	assert_non_null(qtrack_find(q, text("ACTIVE0003"),
				    1000 + QTRACK_IDLE_MAX, false));
	assert_int_equal(qtrack_messages(q), 3);
	assert_int_equal(qtrack_dropped(q, &pending), 0);
	assert_int_equal(pending, 0);

	/* An hour later, the two idle messages go; the active one stays. */
	assert_non_null(qtrack_find(q, text("ACTIVE0003"),
				    1000 + QTRACK_IDLE_MAX + QTRACK_SWEEP_EVERY,
				    false));
	assert_int_equal(qtrack_messages(q), 1);
	assert_null(qtrack_find(q, text("DEFERRED01"), 0, false));
	assert_null(qtrack_find(q, text("SENTONLY02"), 0, false));
	assert_int_equal(qtrack_recipients(q), 0);
	assert_int_equal(qtrack_dropped(q, &pending), 2);
	assert_int_equal(pending, 1);

	/* A message forgotten at its end is not counted as dropped. */
	qtrack_forget(q, text("ACTIVE0003"));
	assert_int_equal(qtrack_messages(q), 0);
	assert_int_equal(qtrack_dropped(q, NULL), 2);
	qtrack_free(q);
}

/* Beyond QTRACK_DORMANT_MAX messages not logged for a day, the ones seen
 * longest ago are dropped.  A message logged within the day is kept and
 * does not count toward the limit. */
static void
test_dormant_messages_capped(void **state)
{
	struct qtrack *q = qtrack_new();
	unsigned long n = QTRACK_DORMANT_MAX + 2;
	int64_t now = 1000 + (int64_t)n + QTRACK_DORMANT_AFTER;
	struct qtrack_msg *m;
	uint64_t pending = 99;
	bool added;

	(void)state;
	for (unsigned long i = 0; i < n; i++)
		assert_non_null(qtrack_find(q, qid(i), 1000 + (int64_t)i, true));
	m = qtrack_find(q, qid(0), 1000, false);
	assert_non_null(m);
	assert_non_null(qtrack_rcpt(q, m, text("a@example.com"), NULL, &added));
	m->rcpts[0].pending = true;

	/* The last 100 messages are not dormant yet, so the others are
	 * fewer than the limit and stay. */
	assert_non_null(qtrack_find(q, text("RECENT0001"), now - 100, true));
	assert_int_equal(qtrack_messages(q), n + 1);
	assert_int_equal(qtrack_dropped(q, NULL), 0);

	/* An hour later all n are dormant: the two seen first go. */
	assert_non_null(qtrack_find(q, text("RECENT0001"),
				    now - 100 + QTRACK_SWEEP_EVERY, false));
	assert_int_equal(qtrack_messages(q), QTRACK_DORMANT_MAX + 1);
	assert_null(qtrack_find(q, qid(0), 0, false));
	assert_null(qtrack_find(q, qid(1), 0, false));
	assert_non_null(qtrack_find(q, qid(2), 0, false));
	assert_non_null(qtrack_find(q, qid(n - 1), 0, false));
	assert_int_equal(qtrack_dropped(q, &pending), 2);
	assert_int_equal(pending, 1);
	assert_int_equal(qtrack_recipients(q), 0);
	qtrack_free(q);
}

/* A settled message whose end is not logged is forgotten after
 * QTRACK_QUIET_END without being counted as dropped, unless a recipient
 * is still deferred. */
static void
test_quiet_end(void **state)
{
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m;
	struct qtrack_rcpt *r;
	int64_t later = 1000 + QTRACK_QUIET_END + QTRACK_SWEEP_EVERY;
	bool added;

	(void)state;
	m = qtrack_find(q, text("SETTLED001"), 1000, true);
	m->end_unlogged = true;
	m->settled = true;
	m = qtrack_find(q, text("DEFERRED02"), 1000, true);
	m->end_unlogged = true;
	m->settled = true;
	r = qtrack_rcpt(q, m, text("a@example.com"), NULL, &added);
	r->pending = true;
	m = qtrack_find(q, text("UNSETTLED3"), 1000, true);
	m->end_unlogged = true;
	m = qtrack_find(q, text("ENDLOGGED4"), 1000, true);
	m->settled = true;

	/* Only the settled message without a deferred recipient ends. */
	assert_non_null(qtrack_find(q, text("LATEST0005"), later, true));
	assert_null(qtrack_find(q, text("SETTLED001"), 0, false));
	assert_non_null(qtrack_find(q, text("DEFERRED02"), 0, false));
	assert_non_null(qtrack_find(q, text("UNSETTLED3"), 0, false));
	assert_non_null(qtrack_find(q, text("ENDLOGGED4"), 0, false));
	assert_int_equal(qtrack_messages(q), 4);
	assert_int_equal(qtrack_dropped(q, NULL), 0);
	qtrack_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_create_forget),
		cmocka_unit_test(test_unusable_ids),
		cmocka_unit_test(test_sender_cut),
		cmocka_unit_test(test_sender_shared),
		cmocka_unit_test(test_recipients),
		cmocka_unit_test(test_pending),
		cmocka_unit_test(test_recipients_per_message_limit),
		cmocka_unit_test(test_eviction_keeps_recent),
		cmocka_unit_test(test_eviction_drops_stale),
		cmocka_unit_test(test_idle_messages_dropped),
		cmocka_unit_test(test_dormant_messages_capped),
		cmocka_unit_test(test_quiet_end),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("qtrack", tests, NULL, NULL);
}
