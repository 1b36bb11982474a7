/* SPDX-License-Identifier: MIT */
/*
 * test_tally_range.c - unit tests of what the tally learns outside a range
 *
 * Events on lines outside the requested time range go to tally_learn(),
 * which counts nothing but keeps what later events need.  Each case feeds
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

/* Whether a step's event goes to tally_learn() or to tally_add(). */
enum step_kind {
	STEP_END,	/* no more steps */
	STEP_LEARN,
	STEP_COUNT,
};

/*
 * One event of a case.  addr is the recipient of a delivery or a
 * rejection and the sender of EVENT_SENDER; NULL leaves it absent, and so
 * does a NULL qid for the queue id.
 */
struct step {
	enum step_kind kind;
	enum event_type type;
	const char *qid;
	const char *addr;
	enum delivery_status status;
	enum reason reason;
	int reply_code;
};

/* What a check reads from the tally after the steps. */
enum field {
	FIELD_END,		/* no more checks */
	FIELD_DELIVERED,
	FIELD_DEFERRED,
	FIELD_DEFERRED_UNIQUE,
	FIELD_BOUNCED,
	FIELD_EXPIRED,
	FIELD_EXPIRED_MESSAGES,
	FIELD_REJECTED,
	FIELD_NOTIFICATIONS,
	FIELD_PROBES_FAILED,
	FIELD_FAILURES,
	FIELD_OUTBOUND_4XX,	/* outbound[0].count */
	FIELD_DOMAINS,		/* keys of the per-domain table */
	FIELD_REPLY_CODES,	/* keys of the reply code table */
	FIELD_QUEUED,		/* messages the queue tracker keeps */
	FIELD_REASON_COUNT,	/* reasons[reason].count */
	FIELD_REASON_DEFERRED,	/* reasons[reason].deferred */
	FIELD_REASON_EXPIRED,	/* reasons[reason].expired */
	FIELD_DOMAIN_EXPIRED,	/* expiries of domain key, -1 when absent */
	FIELD_SENDER_5XX,	/* count of sender key among the 5xx
				 * failures, -1 when absent */
	FIELD_SENDER_5XX_ERROR,	/* its error, -1 when absent */
};

static const char *const field_names[] = {
	[FIELD_END] = "",
	[FIELD_DELIVERED] = "delivered",
	[FIELD_DEFERRED] = "deferred",
	[FIELD_DEFERRED_UNIQUE] = "deferred_unique",
	[FIELD_BOUNCED] = "bounced",
	[FIELD_EXPIRED] = "expired",
	[FIELD_EXPIRED_MESSAGES] = "expired_messages",
	[FIELD_REJECTED] = "rejected",
	[FIELD_NOTIFICATIONS] = "notifications",
	[FIELD_PROBES_FAILED] = "probes_failed",
	[FIELD_FAILURES] = "failures",
	[FIELD_OUTBOUND_4XX] = "outbound 4xx count",
	[FIELD_DOMAINS] = "domains",
	[FIELD_REPLY_CODES] = "reply codes",
	[FIELD_QUEUED] = "queued messages",
	[FIELD_REASON_COUNT] = "reason count",
	[FIELD_REASON_DEFERRED] = "reason deferred",
	[FIELD_REASON_EXPIRED] = "reason expired",
	[FIELD_DOMAIN_EXPIRED] = "domain expired",
	[FIELD_SENDER_5XX] = "5xx sender count",
	[FIELD_SENDER_5XX_ERROR] = "5xx sender error",
};

/* A check: field (of reason, or of key) must equal want. */
struct want {
	enum field field;
	enum reason reason;
	const char *key;
	long long want;
};

#define STEPS_MAX 6
#define WANTS_MAX 9

struct range_case {
	const char *name;
	struct step steps[STEPS_MAX];	/* up to the first STEP_END */
	struct want wants[WANTS_MAX];	/* up to the first FIELD_END */
};

/* Steps and checks that several cases share. */
#define LEARN_DEFERRAL(qid, rcpt, reason)                                   \
	{STEP_LEARN, EVENT_DELIVERY, qid, rcpt, STATUS_DEFERRED, reason, 0}
#define COUNT_DEFERRAL(qid, rcpt, reason)                                   \
	{STEP_COUNT, EVENT_DELIVERY, qid, rcpt, STATUS_DEFERRED, reason, 0}
#define LEARN_MESSAGE(type, qid, sender)                                    \
	{STEP_LEARN, type, qid, sender, STATUS_SENT, REASON_NONE, 0}
#define COUNT_MESSAGE(type, qid, sender)                                    \
	{STEP_COUNT, type, qid, sender, STATUS_SENT, REASON_NONE, 0}
#define WANT(field, value) {field, REASON_NONE, NULL, value}
#define WANT_REASON(field, reason, value) {field, reason, NULL, value}
#define WANT_KEY(field, key, value) {field, REASON_NONE, key, value}

static const struct range_case range_cases[] = {
	{"learnt deferral joins expiry",
	 {LEARN_DEFERRAL("4A1B", "u2@full.example", REASON_MAILBOXFULL),
	  COUNT_MESSAGE(EVENT_EXPIRED, "4A1B", NULL)},
	 {WANT(FIELD_DEFERRED, 0), WANT(FIELD_DEFERRED_UNIQUE, 0),
	  WANT(FIELD_EXPIRED, 1), WANT(FIELD_EXPIRED_MESSAGES, 1),
	  WANT_REASON(FIELD_REASON_EXPIRED, REASON_MAILBOXFULL, 1),
	  WANT_REASON(FIELD_REASON_DEFERRED, REASON_MAILBOXFULL, 0),
	  WANT_KEY(FIELD_DOMAIN_EXPIRED, "full.example", 1),
	  WANT(FIELD_DOMAINS, 1)}},
	{"learnt deferral adds no domain",
	 {LEARN_DEFERRAL("4A1B", "u2@full.example", REASON_MAILBOXFULL)},
	 {WANT(FIELD_DOMAINS, 0), WANT(FIELD_FAILURES, 0),
	  WANT(FIELD_OUTBOUND_4XX, 0)}},
	{"counted deferral after learnt",
	 {LEARN_DEFERRAL("4A1B", "u1@slow.example", REASON_GREYLISTED),
	  COUNT_DEFERRAL("4A1B", "u1@slow.example", REASON_CONNECTIONERROR),
	  COUNT_DEFERRAL("4A1B", "u1@slow.example", REASON_CONNECTIONERROR)},
	 {WANT(FIELD_DEFERRED, 2), WANT(FIELD_DEFERRED_UNIQUE, 1),
	  WANT_REASON(FIELD_REASON_COUNT, REASON_GREYLISTED, 0),
	  WANT_REASON(FIELD_REASON_DEFERRED, REASON_CONNECTIONERROR, 2)}},
	/* No recipient was still deferred, so the expiry counts one
	 * recipient of an unknown domain. */
	{"learnt delivery settles",
	 {LEARN_DEFERRAL("4A1B", "u1@slow.example", REASON_GREYLISTED),
	  {STEP_LEARN, EVENT_DELIVERY, "4A1B", "u1@slow.example", STATUS_SENT,
	   REASON_NONE, 0},
	  COUNT_MESSAGE(EVENT_EXPIRED, "4A1B", NULL)},
	 {WANT(FIELD_DELIVERED, 0), WANT(FIELD_EXPIRED, 1),
	  WANT_REASON(FIELD_REASON_EXPIRED, REASON_EXPIRED, 1),
	  WANT_REASON(FIELD_REASON_COUNT, REASON_GREYLISTED, 0),
	  WANT_KEY(FIELD_DOMAIN_EXPIRED, "slow.example", -1),
	  WANT_KEY(FIELD_DOMAIN_EXPIRED, "(unknown)", 1)}},
	{"learnt expiry counts nothing",
	 {LEARN_DEFERRAL("4A1B", "u2@full.example", REASON_MAILBOXFULL),
	  LEARN_MESSAGE(EVENT_EXPIRED, "4A1B", NULL)},
	 {WANT(FIELD_EXPIRED_MESSAGES, 0)}},
	{"learnt expiry settles",
	 {LEARN_DEFERRAL("4A1B", "u2@full.example", REASON_MAILBOXFULL),
	  LEARN_MESSAGE(EVENT_EXPIRED, "4A1B", NULL),
	  COUNT_MESSAGE(EVENT_EXPIRED, "4A1B", NULL)},
	 {WANT_REASON(FIELD_REASON_COUNT, REASON_MAILBOXFULL, 0),
	  WANT_KEY(FIELD_DOMAIN_EXPIRED, "(unknown)", 1)}},
	{"learnt removal forgets",
	 {LEARN_DEFERRAL("4A1B", "u2@full.example", REASON_MAILBOXFULL),
	  LEARN_MESSAGE(EVENT_REMOVED, "4A1B", NULL)},
	 {WANT(FIELD_QUEUED, 0)}},
	{"learnt sender joins bounce",
	 {LEARN_MESSAGE(EVENT_SENDER, "5B2C", "billing@shop.example"),
	  {STEP_COUNT, EVENT_DELIVERY, "5B2C", "cem@example.net",
	   STATUS_BOUNCED, REASON_USERUNKNOWN, 0}},
	 {WANT_KEY(FIELD_SENDER_5XX, "billing@shop.example", 1),
	  WANT_KEY(FIELD_SENDER_5XX_ERROR, "billing@shop.example", 0),
	  WANT(FIELD_BOUNCED, 1)}},
	{"learnt events count nothing",
	 {{STEP_LEARN, EVENT_REJECT, NULL, "erol@example.org", STATUS_SENT,
	   REASON_NONE, 554},
	  LEARN_MESSAGE(EVENT_NOTIFICATION, NULL, NULL),
	  {STEP_LEARN, EVENT_DELIVERY, "6C3D", "bora@example.org",
	   STATUS_SENT, REASON_NONE, 0},
	  {STEP_LEARN, EVENT_DELIVERY, "6C3D", "cem@example.net",
	   STATUS_BOUNCED, REASON_USERUNKNOWN, 0},
	  {STEP_LEARN, EVENT_DELIVERY, "6C3D", "p@example.net",
	   STATUS_PROBE_FAIL, REASON_NONE, 0}},
	 {WANT(FIELD_REJECTED, 0), WANT(FIELD_NOTIFICATIONS, 0),
	  WANT(FIELD_DELIVERED, 0), WANT(FIELD_BOUNCED, 0),
	  WANT(FIELD_PROBES_FAILED, 0), WANT(FIELD_FAILURES, 0),
	  WANT(FIELD_DOMAINS, 0), WANT(FIELD_REPLY_CODES, 0)}},
};

/* step_event - the event of step s */
static struct event
step_event(const struct step *s)
{
	struct event ev;

	event_init(&ev, s->type);
	if (s->qid != NULL)
		ev.queue_id = span_make(s->qid, strlen(s->qid));
	if (s->addr != NULL && s->type == EVENT_SENDER)
		ev.sender = span_make(s->addr, strlen(s->addr));
	else if (s->addr != NULL)
		ev.recipient = span_make(s->addr, strlen(s->addr));
	if (s->type == EVENT_DELIVERY)
		ev.status = s->status;
	ev.classification.reason = s->reason;
	ev.reply_code = s->reply_code;
	return ev;
}

/* domain_expired - the expiries counted for domain, or -1 when the
 * report has no such domain */
static long long
domain_expired(const struct tally *t, const char *domain)
{
	const struct domain_stat *d =
		strmap_get(t->domains, domain, strlen(domain));

	return d != NULL ? (long long)d->expired : -1;
}

/* sender_5xx - the count (or, with error set, the error) of sender among
 * the 5xx delivery failures, or -1 when the summary lacks it */
static long long
sender_5xx(const struct tally *t, const char *sender, bool error)
{
	uint64_t count = 0, err = 0;

	if (!topk_get(t->outbound[1].senders, sender, strlen(sender), &count,
		      &err))
		return -1;
	return (long long)(error ? err : count);
}

/* field_value - what check w reads from t */
static long long
field_value(const struct tally *t, const struct want *w)
{
	const struct reason_stat *r = &t->reasons[w->reason];

	switch (w->field) {
	case FIELD_END:
		break;
	case FIELD_DELIVERED:
		return (long long)t->delivered;
	case FIELD_DEFERRED:
		return (long long)t->deferred;
	case FIELD_DEFERRED_UNIQUE:
		return (long long)t->deferred_unique;
	case FIELD_BOUNCED:
		return (long long)t->bounced;
	case FIELD_EXPIRED:
		return (long long)t->expired;
	case FIELD_EXPIRED_MESSAGES:
		return (long long)t->expired_messages;
	case FIELD_REJECTED:
		return (long long)t->rejected;
	case FIELD_NOTIFICATIONS:
		return (long long)t->notifications;
	case FIELD_PROBES_FAILED:
		return (long long)t->probes_failed;
	case FIELD_FAILURES:
		return (long long)t->failures;
	case FIELD_OUTBOUND_4XX:
		return (long long)t->outbound[0].count;
	case FIELD_DOMAINS:
		return (long long)strmap_count(t->domains);
	case FIELD_REPLY_CODES:
		return (long long)strmap_count(t->reply_codes);
	case FIELD_QUEUED:
		return (long long)qtrack_messages(t->queue);
	case FIELD_REASON_COUNT:
		return (long long)r->count;
	case FIELD_REASON_DEFERRED:
		return (long long)r->deferred;
	case FIELD_REASON_EXPIRED:
		return (long long)r->expired;
	case FIELD_DOMAIN_EXPIRED:
		return domain_expired(t, w->key);
	case FIELD_SENDER_5XX:
		return sender_5xx(t, w->key, false);
	case FIELD_SENDER_5XX_ERROR:
		return sender_5xx(t, w->key, true);
	}
	fail_msg("check of unknown field %d", (int)w->field);
	return -1;
}

static void
test_range_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(range_cases); i++) {
		const struct range_case *c = &range_cases[i];
		struct tally *t = tally_new();

		for (int k = 0; k < STEPS_MAX && c->steps[k].kind != STEP_END;
		     k++) {
			struct event ev = step_event(&c->steps[k]);

			if (c->steps[k].kind == STEP_LEARN)
				tally_learn(t, &ev);
			else
				tally_add(t, &ev, span_make(LINE, strlen(LINE)));
		}
		for (int k = 0; k < WANTS_MAX && c->wants[k].field != FIELD_END;
		     k++)
			check_int(c->name, field_names[c->wants[k].field],
				  field_value(t, &c->wants[k]),
				  c->wants[k].want);
		tally_free(t);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_cases),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("tally_range", tests, NULL, NULL);
}
