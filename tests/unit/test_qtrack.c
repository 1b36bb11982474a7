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
#include <stdlib.h>
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
	qtrack_set_pending(m, a, true);
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

	/* The last recipient of the message counts too, and setting a
	 * recipient twice counts it once. */
	qtrack_set_pending(m, b, true);
	qtrack_set_pending(m, b, true);
	assert_true(qtrack_pending(m));
	qtrack_set_pending(m, a, true);
	qtrack_set_pending(m, b, false);
	assert_true(qtrack_pending(m));
	qtrack_set_pending(m, a, false);
	qtrack_set_pending(m, a, false);
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
	qtrack_set_pending(m, &m->rcpts[0], true);
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
	qtrack_set_pending(m, &m->rcpts[0], true);

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
	qtrack_set_pending(m, r, true);
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

/* Bytes of queue ids. */
static const char id_bytes[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";

/*
 * log_qid - the queue id of a Postfix or Exim log line, or an absent
 * span: the word after "]: " that ends with ":", or else the first word
 * of 16 or 23 bytes with a "-" after the sixth, as Exim's ids have
 */
static struct span
log_qid(const char *line)
{
	const char *p = strstr(line, "]: ");
	size_t n;

	if (p != NULL) {
		p += 3;
		n = strspn(p, id_bytes);
		return n >= 8 && p[n] == ':' ? span_make(p, n)
					     : span_make(NULL, 0);
	}
	for (p = line; *p != '\0'; p += n + 1) {
		n = strcspn(p, " ");
		if ((n == 16 || n == 23) && p[6] == '-' &&
		    strspn(p, id_bytes) == n)
			return span_make(p, n);
		if (p[n] == '\0')
			break;
	}
	return span_make(NULL, 0);
}

/* state_equal - check that m1 of q1 and m2 of q2 are the same message
 * state: both absent, or the same sender, recipients and time */
static void
state_equal(const char *name, const struct qtrack_msg *m1,
	    const struct qtrack_msg *m2)
{
	check_int(name, "found", m1 != NULL, m2 != NULL);
	if (m1 == NULL || m2 == NULL)
		return;
	check_str(name, "sender", m1->sender, m2->sender);
	check_int(name, "recipients", m1->nrcpts, m2->nrcpts);
	check_int(name, "last seen", m1->last_seen, m2->last_seen);
}

/* replay - apply the queue ids of a fixture log to q1, and to q2, which
 * has no cache of recent messages and looks another message up before
 * each step */
static size_t
replay(const char *file, struct qtrack *q1, struct qtrack *q2)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	char path[4096], line[8192];
	size_t steps = 0;
	int64_t now = 1000;
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "rb");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		struct span id = log_qid(line);
		const char *from = strstr(line, "from=<");
		const char *exim_from = strstr(line, " <= ");
		struct qtrack_msg *m1, *m2;
		char name[64];
		bool added;

		if (!span_present(id))
			continue;
		snprintf(name, sizeof name, "%s step %zu", file, ++steps);
		now += 7;
		(void)qtrack_find(q2, text("ZZZZZZZZZZ"), now, true);
		if (strstr(line, ": removed") != NULL ||
		    strstr(line, " Completed") != NULL) {
			qtrack_forget(q1, id);
			qtrack_forget(q2, id);
			state_equal(name, qtrack_find(q1, id, now, false),
				    qtrack_find(q2, id, now, false));
			continue;
		}
		m1 = qtrack_find(q1, id, now, true);
		m2 = qtrack_find(q2, id, now, true);
		state_equal(name, m1, m2);
		if (m1 == NULL || m2 == NULL)
			continue;
		if (from != NULL || exim_from != NULL) {
			struct span sender = text(from != NULL ? from + 6
							       : exim_from + 4);

			sender.len = strcspn(sender.ptr, "> \n");
			qtrack_set_sender(q1, m1, sender);
			qtrack_set_sender(q2, m2, sender);
		}
		if (strstr(line, "deferred") != NULL ||
		    strstr(line, " == ") != NULL) {
			qtrack_rcpt(q1, m1, text(line), NULL, &added);
			qtrack_rcpt(q2, m2, text(line), NULL, &added);
		}
		state_equal(name, qtrack_find(q1, id, now, false),
			    qtrack_find(q2, id, now, false));
	}
	fclose(f);
	check_int(file, "messages", (long long)qtrack_messages(q1) + 1,
		  (long long)qtrack_messages(q2));
	return steps;
}

/*
 * qtrack_find() and qtrack_forget() take a message found recently from
 * a cache, without hashing its id again.  Replay the queue ids of real
 * logs on a tracker and on one without the cache, and compare the
 * messages after every step.
 */
static void
test_last_found_same(void **state)
{
	static const char *const files[] = {
	    "postfix/sample.log", "postfix/statuses.log",
	    "postfix/queue-ids.log", "exim/mainlog-4.97.log",
	};
	size_t steps = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		struct qtrack *q1 = qtrack_new(), *q2 = qtrack_new();

		qtrack_use_recent(q2, false);
		steps += replay(files[i], q1, q2);
		qtrack_free(q1);
		qtrack_free(q2);
	}
	assert_true(steps > 400);
	finish_cases();
}

/* any_pending - whether a recipient of m is pending, read one by one */
static bool
any_pending(const struct qtrack_msg *m)
{
	for (uint32_t i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].pending)
			return true;
	return false;
}

static void
test_pending_count(void **state)
{
	/* 3,000 recipients, each set and cleared at random: the count
	 * behind qtrack_pending() must agree with the recipients. */
	struct qtrack *q = qtrack_new();
	struct qtrack_msg *m = qtrack_find(q, text("4F1A2B3C4D"), 1, true);
	char addr[32];
	uint64_t x = 0x2545f4914f6cdd1du;
	bool added;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		snprintf(addr, sizeof addr, "r%d@example.com", i);
		assert_non_null(qtrack_rcpt(q, m, text(addr), NULL, &added));
	}
	for (int step = 0; step < 100000; step++) {
		struct qtrack_rcpt *r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = &m->rcpts[x % m->nrcpts];
		qtrack_set_pending(m, r, (x >> 32) % 4 == 0);
		if (qtrack_pending(m) != any_pending(m))
			note_mismatch("pending count: step %d: got %d, want %d",
				      step, qtrack_pending(m), any_pending(m));
	}
	for (uint32_t i = 0; i < m->nrcpts; i++)
		qtrack_set_pending(m, &m->rcpts[i], false);
	assert_false(qtrack_pending(m));
	finish_cases();
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
		cmocka_unit_test(test_pending_count),
		cmocka_unit_test(test_recipients_per_message_limit),
		cmocka_unit_test(test_eviction_keeps_recent),
		cmocka_unit_test(test_eviction_drops_stale),
		cmocka_unit_test(test_idle_messages_dropped),
		cmocka_unit_test(test_dormant_messages_capped),
		cmocka_unit_test(test_quiet_end),
		cmocka_unit_test(test_last_found_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("qtrack", tests, NULL, NULL);
}
