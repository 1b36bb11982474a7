/* SPDX-License-Identifier: MIT */
/*
 * test_tally.c - unit tests of the delivery and failure counts
 *
 * Each case feeds a short sequence of hand-built events to a new tally
 * and compares every counter of struct tally, plus chosen entries of its
 * breakdown maps (tally_impl.h exposes the layout to the reports and to
 * this test).  The test of TALLY_KEYS_MAX runs in a child process, so a
 * crash there fails that test alone.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/codes.h"
#include "bouncelog/report.h"
#include "bouncelog/sysline.h"
#include "bouncelog/tally.h"
#include "tally_impl.h"
#include "check.h"

/* What one step of a case feeds to the tally. */
enum step_kind {
	END,			/* marks the end of a case's steps */
	SENT,
	FORWARDED,
	DEFERRED,
	SOFTBOUNCE,
	BOUNCED,
	PROBE_OK,
	PROBE_FAIL,
	SENDER,			/* addr is the envelope sender */
	EXPIRED,
	REMOVED,
	NOTIFY,
	REJECT,			/* addr is the recipient */
	REJECT_WARNING,
};

struct step {
	enum step_kind kind;
	const char *qid;	/* NULL: absent */
	const char *addr;	/* recipient, or sender for SENDER */
	const char *dsn;	/* NULL: absent */
	int reply_code;
	const char *reply_enh;	/* NULL: absent */
	const char *host;	/* remote host, or client host of a reject */
	const char *client_addr;
	const char *stage;
};

/* A map entry to check: map names are listed in lookup(). */
struct entry_want {
	const char *map;	/* NULL ends the list */
	const char *key;
	long long want;		/* -1: the key must be absent */
};

/* Every counter of struct tally. */
struct counters {
	uint64_t delivered, forwarded, deferred, deferred_unique;
	uint64_t soft_bounced, bounced, expired, expired_messages;
	uint64_t rejected, reject_warnings, notifications;
	uint64_t probes_ok, probes_failed, code_mismatches, untracked;
};

struct tally_case {
	const char *name;
	struct step steps[6];
	struct counters want;
	struct entry_want entries[6];
};

static struct span
text_span(const char *s)
{
	return s ? span_make(s, strlen(s)) : span_make(NULL, 0);
}

static struct enh_status
code(const char *s)
{
	struct enh_status st;

	memset(&st, 0, sizeof st);
	if (s != NULL && status_parse_enhanced(s, strlen(s), &st) != strlen(s))
		fail_msg("case table code \"%s\" does not parse", s);
	return st;
}

/* build_event - the event that a step describes */
static void
build_event(const struct step *s, struct event *ev)
{
	static const struct {
		enum event_type type;
		enum delivery_status status;
	} kinds[] = {
		[SENT] = {EVENT_DELIVERY, STATUS_SENT},
		[FORWARDED] = {EVENT_DELIVERY, STATUS_FORWARDED},
		[DEFERRED] = {EVENT_DELIVERY, STATUS_DEFERRED},
		[SOFTBOUNCE] = {EVENT_DELIVERY, STATUS_DEFERRED},
		[BOUNCED] = {EVENT_DELIVERY, STATUS_BOUNCED},
		[PROBE_OK] = {EVENT_DELIVERY, STATUS_PROBE_OK},
		[PROBE_FAIL] = {EVENT_DELIVERY, STATUS_PROBE_FAIL},
		[SENDER] = {EVENT_SENDER, STATUS_SENT},
		[EXPIRED] = {EVENT_EXPIRED, STATUS_SENT},
		[REMOVED] = {EVENT_REMOVED, STATUS_SENT},
		[NOTIFY] = {EVENT_NOTIFICATION, STATUS_SENT},
		[REJECT] = {EVENT_REJECT, STATUS_SENT},
		[REJECT_WARNING] = {EVENT_REJECT, STATUS_SENT},
	};

	event_init(ev, kinds[s->kind].type);
	ev->status = kinds[s->kind].status;
	ev->soft_bounce = s->kind == SOFTBOUNCE;
	ev->warning_only = s->kind == REJECT_WARNING;
	ev->queue_id = text_span(s->qid);
	if (s->kind == SENDER)
		ev->sender = text_span(s->addr);
	else
		ev->recipient = text_span(s->addr);
	ev->enh = code(s->dsn);
	ev->reply_code = s->reply_code;
	ev->reply_enh = code(s->reply_enh);
	if (s->kind == REJECT || s->kind == REJECT_WARNING) {
		ev->client_host = text_span(s->host);
		ev->client_addr = text_span(s->client_addr);
		ev->stage = text_span(s->stage);
	} else {
		ev->remote_host = text_span(s->host);
	}
	ev->time.wall = sysline_days_from_civil(2026, 12, 4) * 86400;
}

/* count_value - a uint64_t value of map, or a code_stat's count */
static long long
count_value(const struct strmap *map, const char *key, bool code_stat)
{
	void *v = strmap_get(map, key, strlen(key));

	if (v == NULL)
		return -1;
	if (code_stat)
		return (long long)((struct code_stat *)v)->count;
	return (long long)*(uint64_t *)v;
}

/* top_value - the count of key in a summary, or -1 when not listed */
static long long
top_value(const struct topk *s, const char *key)
{
	uint64_t count;

	if (s == NULL || !topk_get(s, key, strlen(key), &count, NULL))
		return -1;
	return (long long)count;
}

/* class_value - "hosts", "senders" and so on of one class_stat */
static long long
class_value(const struct class_stat *cs, const char *field, const char *key)
{
	if (strcmp(field, "count") == 0)
		return (long long)cs->count;
	if (strcmp(field, "reply") == 0)
		return count_value(cs->reply_codes, key, true);
	if (strcmp(field, "enh") == 0)
		return count_value(cs->enh_codes, key, true);
	if (strcmp(field, "domains") == 0)
		return top_value(cs->domains, key);
	if (strcmp(field, "hosts") == 0)
		return top_value(cs->hosts, key);
	if (strcmp(field, "senders") == 0)
		return top_value(cs->senders, key);
	if (strcmp(field, "stages") == 0)
		return count_value(cs->stages, key, false);
	fail_msg("case table names an unknown field \"%s\"", field);
	return -2;
}

/*
 * lookup - the value a case checks.  Maps: "domain.FIELD" (FIELD of
 * struct domain_stat), "all.reply", "all.enh", and "out4.", "out5.",
 * "in4.", "in5." followed by count, reply, enh, domains, hosts, senders
 * or stages.
 */
static long long
lookup(const struct tally *t, const char *map, const char *key)
{
	static const struct {
		const char *prefix;
		size_t offset;
	} classes[] = {
		{"out4.", offsetof(struct tally, outbound)},
		{"out5.", offsetof(struct tally, outbound) +
				  sizeof(struct class_stat)},
		{"in4.", offsetof(struct tally, inbound)},
		{"in5.", offsetof(struct tally, inbound) +
				 sizeof(struct class_stat)},
	};
	const struct domain_stat *d;

	if (strcmp(map, "all.reply") == 0)
		return count_value(t->reply_codes, key, false);
	if (strcmp(map, "all.enh") == 0)
		return count_value(t->enh_codes, key, false);
	for (size_t i = 0; i < ARRAY_LEN(classes); i++) {
		size_t n = strlen(classes[i].prefix);

		if (strncmp(map, classes[i].prefix, n) == 0)
			return class_value(
				(const struct class_stat *)((const char *)t +
							    classes[i].offset),
				map + n, key);
	}
	if (strncmp(map, "domain.", 7) != 0)
		fail_msg("case table names an unknown map \"%s\"", map);

	d = strmap_get(t->domains, key, strlen(key));
	if (d == NULL)
		return -1;
	if (strcmp(map, "domain.delivered") == 0)
		return (long long)d->delivered;
	if (strcmp(map, "domain.deferred") == 0)
		return (long long)d->deferred;
	if (strcmp(map, "domain.bounced") == 0)
		return (long long)d->bounced;
	if (strcmp(map, "domain.expired") == 0)
		return (long long)d->expired;
	if (strcmp(map, "domain.rejected") == 0)
		return (long long)d->rejected;
	fail_msg("case table names an unknown map \"%s\"", map);
	return -2;
}

static void
check_counters(const char *name, const struct tally *t,
	       const struct counters *w)
{
	check_int(name, "delivered", (long long)t->delivered,
		  (long long)w->delivered);
	check_int(name, "forwarded", (long long)t->forwarded,
		  (long long)w->forwarded);
	check_int(name, "deferred", (long long)t->deferred,
		  (long long)w->deferred);
	check_int(name, "deferred_unique", (long long)t->deferred_unique,
		  (long long)w->deferred_unique);
	check_int(name, "soft_bounced", (long long)t->soft_bounced,
		  (long long)w->soft_bounced);
	check_int(name, "bounced", (long long)t->bounced,
		  (long long)w->bounced);
	check_int(name, "expired", (long long)t->expired,
		  (long long)w->expired);
	check_int(name, "expired_messages", (long long)t->expired_messages,
		  (long long)w->expired_messages);
	check_int(name, "rejected", (long long)t->rejected,
		  (long long)w->rejected);
	check_int(name, "reject_warnings", (long long)t->reject_warnings,
		  (long long)w->reject_warnings);
	check_int(name, "notifications", (long long)t->notifications,
		  (long long)w->notifications);
	check_int(name, "probes_ok", (long long)t->probes_ok,
		  (long long)w->probes_ok);
	check_int(name, "probes_failed", (long long)t->probes_failed,
		  (long long)w->probes_failed);
	check_int(name, "code_mismatches", (long long)t->code_mismatches,
		  (long long)w->code_mismatches);
	check_int(name, "untracked", (long long)t->untracked,
		  (long long)w->untracked);
}

#define Q1 "4F1A2B3C4D"
#define Q2 "5F1A2B3C4E"
#define A "a@example.com"
#define B "b@example.net"
#define LINE "Dec  4 06:25:01 mx1 postfix/smtp[2001]: " Q1 ": to=<" A ">"

/* Shorthands for the steps of the case table. */
#define DELIVERY(k, q, to, dsn_code)                                          \
	{.kind = (k), .qid = (q), .addr = (to), .dsn = (dsn_code)}
#define REPLY(k, q, to, dsn_code, reply, reply_code_enh)                      \
	{.kind = (k), .qid = (q), .addr = (to), .dsn = (dsn_code),            \
	 .reply_code = (reply), .reply_enh = (reply_code_enh)}
#define VIA(k, q, to, dsn_code, remote)                                       \
	{.kind = (k), .qid = (q), .addr = (to), .dsn = (dsn_code),            \
	 .host = (remote)}
#define DEFER(q, to) DELIVERY(DEFERRED, q, to, "4.4.1")
#define QUEUE(k, q, from) {.kind = (k), .qid = (q), .addr = (from)}
#define REJECTION(k, q, to, reply, reply_code_enh, client, client_ip, at)     \
	{.kind = (k), .qid = (q), .addr = (to), .reply_code = (reply),        \
	 .reply_enh = (reply_code_enh), .host = (client),                     \
	 .client_addr = (client_ip), .stage = (at)}

static const struct tally_case tally_cases[] = {
	{"one delivery",
	 {REPLY(SENT, Q1, A, "2.0.0", 250, "2.0.0")},
	 {.delivered = 1},
	 {{"domain.delivered", "example.com", 1}, {"out4.count", "", 0},
	  {"out5.count", "", 0}}},
	{"same recipient deferred three times",
	 {DEFER(Q1, A), DEFER(Q1, A),
	  DEFER(Q1, A)},
	 {.deferred = 3, .deferred_unique = 1},
	 {{"domain.deferred", "example.com", 3}, {"out4.count", "", 3},
	  {"out4.enh", "4.4.1", 3}, {"all.enh", "4.4.1", 3},
	  {"out4.domains", "example.com", 3}}},
	{"two recipients deferred",
	 {DEFER(Q1, A), DEFER(Q1, B)},
	 {.deferred = 2, .deferred_unique = 2},
	 {{"domain.deferred", "example.com", 1},
	  {"domain.deferred", "example.net", 1}}},
	{"same recipient in two messages",
	 {DEFER(Q1, A), DEFER(Q2, A)},
	 {.deferred = 2, .deferred_unique = 2},
	 {{0}}},
	{"deferrals without queue id",
	 {DEFER(NULL, A),
	  DEFER(NULL, A)},
	 {.deferred = 2, .deferred_unique = 2},
	 {{0}}},
	{"soft bounce",
	 {REPLY(SOFTBOUNCE, Q1, A, "5.1.1", 550, "5.1.1")},
	 {.deferred = 1, .deferred_unique = 1, .soft_bounced = 1},
	 {{"out4.count", "", 1}, {"out5.count", "", 0},
	  {"out4.enh", "5.1.1", 1}, {"out4.reply", "550", 1},
	  {"domain.bounced", "example.com", 0}}},
	{"bounce",
	 {{.kind = BOUNCED, .qid = Q1, .addr = A, .dsn = "5.1.1",
	   .reply_code = 550, .reply_enh = "5.1.1", .host = "mx.example.com"}},
	 {.bounced = 1},
	 {{"domain.bounced", "example.com", 1}, {"out5.count", "", 1},
	  {"out5.enh", "5.1.1", 1}, {"out5.reply", "550", 1},
	  {"all.reply", "550", 1}, {"out5.hosts", "mx.example.com", 1}}},
	{"sender joined to deferral",
	 {QUEUE(SENDER, Q1, "s@example.org"),
	  DEFER(Q1, A)},
	 {.deferred = 1, .deferred_unique = 1},
	 {{"out4.senders", "s@example.org", 1},
	  {"out4.senders", "(unknown)", -1}}},
	{"deferral without sender line",
	 {DEFER(Q1, A)},
	 {.deferred = 1, .deferred_unique = 1},
	 {{"out4.senders", "(unknown)", 1}}},
	{"null sender joined to bounce",
	 {QUEUE(SENDER, Q1, ""), REPLY(BOUNCED, Q1, A, "5.1.1", 550, "5.1.1")},
	 {.bounced = 1},
	 {{"out5.senders", "<>", 1}, {"out5.senders", "(unknown)", -1}}},
	{"sender forgotten after removal",
	 {QUEUE(SENDER, Q1, "s@example.org"), QUEUE(REMOVED, Q1, NULL),
	  DEFER(Q1, A)},
	 {.deferred = 1, .deferred_unique = 1},
	 {{"out4.senders", "(unknown)", 1},
	  {"out4.senders", "s@example.org", -1}}},
	{"expiry charges deferred recipients",
	 {DEFER(Q1, A), DEFER(Q1, B),
	  QUEUE(EXPIRED, Q1, "s@example.org")},
	 {.deferred = 2, .deferred_unique = 2, .expired = 2,
	  .expired_messages = 1},
	 {{"domain.expired", "example.com", 1},
	  {"domain.expired", "example.net", 1},
	  {"domain.expired", "(unknown)", -1}}},
	{"recipient sent after deferral not charged",
	 {DEFER(Q1, A), DEFER(Q1, B),
	  REPLY(SENT, Q1, B, "2.0.0", 250, "2.0.0"),
	  QUEUE(EXPIRED, Q1, "s@example.org")},
	 {.delivered = 1, .deferred = 2, .deferred_unique = 2, .expired = 1,
	  .expired_messages = 1},
	 {{"domain.expired", "example.com", 1},
	  {"domain.expired", "example.net", 0},
	  {"domain.delivered", "example.net", 1}}},
	{"expiry of unknown message",
	 {QUEUE(EXPIRED, Q2, "s@example.org")},
	 {.expired = 1, .expired_messages = 1},
	 {{"domain.expired", "(unknown)", 1}}},
	{"expiry after removal",
	 {DEFER(Q1, A), QUEUE(REMOVED, Q1, NULL),
	  QUEUE(EXPIRED, Q1, "s@example.org")},
	 {.deferred = 1, .deferred_unique = 1, .expired = 1,
	  .expired_messages = 1},
	 {{"domain.expired", "(unknown)", 1},
	  {"domain.expired", "example.com", 0}}},
	{"removal forgets queue id",
	 {DEFER(Q1, A), QUEUE(REMOVED, Q1, NULL),
	  DEFER(Q1, A)},
	 {.deferred = 2, .deferred_unique = 2},
	 {{0}}},
	{"reject warning counted apart",
	 {REJECTION(REJECT_WARNING, "NOQUEUE", A, 450, "4.7.1", "unknown",
		    "192.0.2.10", "RCPT"),
	  REJECTION(REJECT, "NOQUEUE", A, 554, "5.7.1", "unknown", "192.0.2.10",
		    "RCPT")},
	 {.rejected = 1, .reject_warnings = 1},
	 {{"in4.count", "", 0}, {"in5.count", "", 1},
	  {"domain.rejected", "example.com", 1}}},
	{"reject counted by client address",
	 {REJECTION(REJECT, "NOQUEUE", A, 554, "5.7.1", "unknown", "192.0.2.10",
		    "RCPT"),
	  REJECTION(REJECT, "NOQUEUE", A, 554, "5.7.1", "", "192.0.2.50",
		    "RCPT"),
	  REJECTION(REJECT, "NOQUEUE", NULL, 554, "5.7.1", "Client.Example.ORG",
		    "192.0.2.12", "CONNECT")},
	 {.rejected = 3},
	 {{"in5.hosts", "192.0.2.10", 1}, {"in5.hosts", "192.0.2.50", 1},
	  {"in5.hosts", "client.example.org", 1}, {"in5.stages", "RCPT", 2},
	  {"in5.stages", "CONNECT", 1}, {"in5.domains", "(unknown)", 1}}},
	{"temporary reject",
	 {REJECTION(REJECT, "NOQUEUE", A, 450, "4.7.1", "unknown", "192.0.2.10",
		    "RCPT"),
	  REJECTION(REJECT, Q1, A, 0, "4.7.1", "mail.example.net", "192.0.2.40",
		    "END-OF-MESSAGE")},
	 {.rejected = 2},
	 {{"in4.count", "", 2}, {"in5.count", "", 0},
	  {"in4.enh", "4.7.1", 2}, {"in4.reply", "450", 1}}},
	{"domain case folded",
	 {DELIVERY(SENT, Q1, "a@Example.COM", NULL),
	  DELIVERY(SENT, Q1, "b@example.com", NULL),
	  DEFER(Q2, "c@EXAMPLE.com")},
	 {.delivered = 2, .deferred = 1, .deferred_unique = 1},
	 {{"domain.delivered", "example.com", 2},
	  {"domain.deferred", "example.com", 1},
	  {"domain.delivered", "Example.COM", -1},
	  {"out4.domains", "example.com", 1}}},
	{"only ASCII letters folded",
	 {DELIVERY(SENT, Q1, "a@\xc4\xb0NFO.example", NULL),
	  DELIVERY(SENT, Q1, "b@INFO.example", NULL),
	  DELIVERY(SENT, Q1, "c@info.example", NULL)},
	 {.delivered = 3},
	 {{"domain.delivered", "info.example", 2},
	  {"domain.delivered", "\xc4\xb0nfo.example", 1}}},
	{"local recipient",
	 {DELIVERY(SENT, Q1, "root", NULL),
	  DELIVERY(BOUNCED, Q2, "nobody", "5.1.1")},
	 {.delivered = 1, .bounced = 1},
	 {{"domain.delivered", "(local)", 1}, {"domain.bounced", "(local)", 1},
	  {"out5.domains", "(local)", 1}}},
	{"remote host folded",
	 {VIA(DEFERRED, Q1, A, "4.4.1", "MX.Example.com"),
	  VIA(DEFERRED, Q1, A, "4.4.1", "mx.example.com"),
	  DEFER(Q2, A)},
	 {.deferred = 3, .deferred_unique = 2},
	 {{"out4.hosts", "mx.example.com", 2}, {"out4.hosts", "(none)", 1}}},
	{"forwarded",
	 {DELIVERY(FORWARDED, Q1, A, "2.0.0")},
	 {.forwarded = 1},
	 {{"domain.delivered", "example.com", -1}}},
	{"address probes",
	 {REPLY(PROBE_OK, Q1, A, "2.1.5", 250, "2.1.5"),
	  REPLY(PROBE_FAIL, Q2, B, "5.1.1", 550, "5.1.1")},
	 {.probes_ok = 1, .probes_failed = 1},
	 {{"out5.count", "", 0}}},
	{"notification",
	 {QUEUE(NOTIFY, Q1, NULL)},
	 {.notifications = 1},
	 {{0}}},
	{"invalid UTF-8 in keys",
	 {VIA(BOUNCED, Q1, "u@ex\xff.com", "5.1.1", "mx.ex\xff.com"),
	  VIA(BOUNCED, Q2, "u@ex\xfe.com", "5.1.1", "mx.ex\xfe.com"),
	  VIA(BOUNCED, Q2, "u@ex\xef\xbf\xbd.com", "5.1.1",
	      "mx.ex\xef\xbf\xbd.com")},
	 {.bounced = 3},
	 {{"domain.bounced", "ex\xef\xbf\xbd.com", 3},
	  {"domain.bounced", "ex\xff.com", -1},
	  {"out5.hosts", "mx.ex\xef\xbf\xbd.com", 3},
	  {"out5.hosts", "mx.ex\xfe.com", -1}}},
	{"status field and reply disagree",
	 {REPLY(BOUNCED, Q1, A, "5.0.0", 550, "5.7.1")},
	 {.bounced = 1, .code_mismatches = 1},
	 {{"out5.enh", "5.0.0", 1}, {"out5.enh", "5.7.1", -1}}},
};

static void
test_tally_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tally_cases); i++) {
		const struct tally_case *c = &tally_cases[i];
		struct tally *t = tally_new();

		for (size_t s = 0; s < ARRAY_LEN(c->steps); s++) {
			struct event ev;

			if (c->steps[s].kind == END)
				break;
			build_event(&c->steps[s], &ev);
			tally_add(t, &ev, span_make(LINE, strlen(LINE)));
		}
		check_counters(c->name, t, &c->want);
		for (size_t e = 0; e < ARRAY_LEN(c->entries); e++) {
			const struct entry_want *w = &c->entries[e];
			char what[128];

			if (w->map == NULL)
				break;
			snprintf(what, sizeof what, "%s[\"%s\"]", w->map,
				 w->key);
			check_int(c->name, what, lookup(t, w->map, w->key),
				  w->want);
		}
		tally_free(t);
	}
	finish_cases();
}

/* Examples are kept for the first TALLY_EXAMPLES lines, cut in length. */
static void
test_examples(void **state)
{
	struct tally *t = tally_new();
	struct step bounce = {.kind = BOUNCED, .qid = Q1, .addr = A,
			      .dsn = "5.1.1", .reply_code = 550,
			      .reply_enh = "5.1.1"};
	const struct code_stat *cs;
	char line[TALLY_EXAMPLE_MAX + 100];
	struct event ev;

	(void)state;
	build_event(&bounce, &ev);
	for (int i = 0; i < TALLY_EXAMPLES + 1; i++) {
		memset(line, 'a' + i, sizeof line);
		tally_add(t, &ev, span_make(line, sizeof line));
	}
	cs = strmap_get(t->outbound[1].enh_codes, "5.1.1", 5);
	assert_non_null(cs);
	assert_int_equal(cs->count, TALLY_EXAMPLES + 1);
	for (int i = 0; i < TALLY_EXAMPLES; i++) {
		assert_non_null(cs->examples[i]);
		assert_int_equal(strlen(cs->examples[i]), TALLY_EXAMPLE_MAX);
		assert_int_equal(cs->examples[i][0], 'a' + i);
	}
	tally_free(t);
}

/* Lines that differ only in bytes that are not UTF-8, or only past
 * TALLY_EXAMPLE_MAX bytes, give one JSON string, so they are one
 * example.  The first of them is kept as it was logged. */
static const char *const same_as_json[] = {
    "Dec  4 10:00:04 mx1 postfix/smtp[1]: A1: to=<a@example.net>, "
    "delays=0.05\x94\x94/0.01, status=bounced (550 5.1.1 unknown)",
    "Dec  4 10:00:04 mx1 postfix/smtp[1]: A1: to=<a@example.net>, "
    "delays=0.05\x94\x9a/0.01, status=bounced (550 5.1.1 unknown)",
    "Dec  4 10:00:04 mx1 postfix/smtp[1]: A1: to=<a@example.net>, "
    "delays=0.05\xef\xbf\xbd\xff/0.01, status=bounced (550 5.1.1 unknown)",
};

/* add_lines - count bounce once for each line of lines */
static void
add_lines(struct tally *t, const struct event *bounce,
	  const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tally_add(t, bounce, span_make(lines[i], strlen(lines[i])));
}

static void
test_examples_same_as_json(void **state)
{
	struct step step = {.kind = BOUNCED, .qid = Q1, .addr = A,
			    .dsn = "5.1.1", .reply_code = 550,
			    .reply_enh = "5.1.1"};
	struct tally *t = tally_new(), *a = tally_new(), *b = tally_new();
	char longer[2][TALLY_EXAMPLE_MAX + 20];
	const char *longer_lines[2] = {longer[0], longer[1]};
	const struct code_stat *cs;
	struct event ev;

	(void)state;
	build_event(&step, &ev);
	ev.classification.reason = REASON_USERUNKNOWN;
	add_lines(t, &ev, same_as_json, ARRAY_LEN(same_as_json));
	cs = strmap_get(t->outbound[1].enh_codes, "5.1.1", 5);
	assert_non_null(cs);
	check_int("invalid bytes", "code count", (long long)cs->count, 3);
	check_str("invalid bytes", "code example 0", cs->examples[0],
		  same_as_json[0]);
	check_str("invalid bytes", "code example 1", cs->examples[1], NULL);
	check_str("invalid bytes", "reason example 0",
		  t->reasons[REASON_USERUNKNOWN].examples[0], same_as_json[0]);
	check_str("invalid bytes", "reason example 1",
		  t->reasons[REASON_USERUNKNOWN].examples[1], NULL);

	/* Two lines that differ past the cut, with a sequence cut in two
	 * at TALLY_EXAMPLE_MAX in one of them. */
	for (int i = 0; i < 2; i++) {
		memset(longer[i], 'x', sizeof longer[i] - 1);
		longer[i][sizeof longer[i] - 2] = (char)('a' + i);
		longer[i][sizeof longer[i] - 1] = '\0';
	}
	longer[1][TALLY_EXAMPLE_MAX - 1] = '\xe2';
	longer[1][TALLY_EXAMPLE_MAX] = '\x82';
	longer[0][TALLY_EXAMPLE_MAX - 1] = '\xff';
	tally_add(t, &ev, span_make(longer[0], strlen(longer[0])));
	tally_add(t, &ev, span_make(longer[1], strlen(longer[1])));
	check_int("cut lines", "kept length",
		  (long long)strlen(cs->examples[1]), TALLY_EXAMPLE_MAX);
	check_str("cut lines", "code example 2", cs->examples[2], NULL);

	/* A merge of two tallies, each with one of the lines, keeps one. */
	add_lines(a, &ev, same_as_json, 1);
	add_lines(b, &ev, same_as_json + 1, 2);
	add_lines(b, &ev, longer_lines, 1);
	tally_merge(a, b);
	cs = strmap_get(a->outbound[1].enh_codes, "5.1.1", 5);
	assert_non_null(cs);
	check_str("merge", "code example 0", cs->examples[0], same_as_json[0]);
	check_int("merge", "code example 1 length",
		  cs->examples[1] != NULL ? (long long)strlen(cs->examples[1])
					  : -1,
		  TALLY_EXAMPLE_MAX);
	check_str("merge", "code example 2", cs->examples[2], NULL);
	check_str("merge", "reason example 2",
		  a->reasons[REASON_USERUNKNOWN].examples[2], NULL);
	tally_free(t);
	tally_free(a);
	tally_free(b);
	finish_cases();
}

/* Events of one line (an Exchange row with several recipients) share
 * one example, and failures are counted by the component they name. */
static void
test_components_and_shared_line(void **state)
{
	struct tally *t = tally_new();
	struct step bounce = {.kind = BOUNCED, .qid = Q1, .addr = A,
			      .reply_code = 550, .reply_enh = "4.4.7"};
	const char *line = "one row, two recipients";
	const struct code_stat *cs;
	const uint64_t *n;
	struct event ev;

	(void)state;
	build_event(&bounce, &ev);
	ev.component = span_make("QUEUE.Expired", 13);
	tally_add(t, &ev, span_make(line, strlen(line)));
	tally_add(t, &ev, span_make(line, strlen(line)));
	ev.component = span_make(NULL, 0);
	tally_add(t, &ev, span_make("another row", 11));

	cs = strmap_get(t->outbound[1].enh_codes, "4.4.7", 5);
	assert_non_null(cs);
	check_int("shared line", "count", (long long)cs->count, 3);
	check_str("shared line", "example 1", cs->examples[0], line);
	check_str("shared line", "example 2", cs->examples[1], "another row");
	check_str("shared line", "example 3", cs->examples[2], NULL);
	n = strmap_get(t->outbound[1].components, "QUEUE.Expired", 13);
	check_int("components", "QUEUE.Expired", n ? (long long)*n : -1, 2);
	check_int("components", "keys", (long long)strmap_count(
						t->outbound[1].components),
		  1);
	tally_free(t);
	finish_cases();
}

struct time_case {
	const char *name;
	int64_t wall;
	int offset_min;
	bool has_offset;
};

static void
test_saw_time(void **state)
{
	static const struct time_case times[] = {
		{"second", 2000, 0, false},
		{"first in UTC, written later", 4000, 60, true},
		{"last", 9000, 0, false},
		{"middle", 5000, 0, false},
	};
	struct tally *t = tally_new();

	(void)state;
	assert_false(t->have_time);
	for (size_t i = 0; i < ARRAY_LEN(times); i++) {
		struct logtime lt = {0};

		lt.wall = times[i].wall;
		lt.offset_min = (int16_t)times[i].offset_min;
		lt.has_offset = times[i].has_offset;
		tally_saw_time(t, &lt);
	}
	assert_true(t->have_time);
	assert_int_equal(logtime_utc(&t->first), 4000 - 3600);
	assert_int_equal(t->first.wall, 4000);
	assert_int_equal(t->last.wall, 9000);
	assert_int_equal(t->newest_utc, 9000);
	tally_free(t);
}

/* A failure counts in the timeline under its kind and class at its
 * time, or as untimed without one.  The series add up to the failures. */
static void
test_timeline_series(void **state)
{
	static const struct {
		struct step step;
		int minute;		/* -1: the event has no time */
	} feeds[] = {
		{DEFER(Q1, A), 0},
		{DELIVERY(BOUNCED, Q2, B, "5.1.1"), 5},
		{REJECTION(REJECT, "NOQUEUE", A, 450, "4.7.1", "unknown",
			   "192.0.2.10", "RCPT"), 10},
		{REJECTION(REJECT, "NOQUEUE", A, 554, "5.7.1", "unknown",
			   "192.0.2.10", "RCPT"), 10},
		{QUEUE(EXPIRED, Q1, NULL), 60},
		{DEFER(Q2, B), -1},
	};
	static const struct {
		enum timeline_series series;
		size_t bucket;
		uint64_t in_bucket;
		uint64_t total;
	} want[] = {
		{TIMELINE_DEFERRED, 0, 1, 2},
		{TIMELINE_BOUNCED, 5, 1, 1},
		{TIMELINE_REJECTED_TEMP, 10, 1, 1},
		{TIMELINE_REJECTED_PERM, 10, 1, 1},
		{TIMELINE_EXPIRED, 60, 1, 1},
	};
	struct tally *t = tally_new();
	const struct timeline *tl = &t->timeline;
	uint64_t sum = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(feeds); i++) {
		struct event ev;

		build_event(&feeds[i].step, &ev);
		ev.time.wall += feeds[i].minute * 60;
		ev.has_time = feeds[i].minute >= 0;
		tally_add(t, &ev, span_make(LINE, strlen(LINE)));
	}
	check_int("timeline", "buckets", (long long)tl->nbuckets, 61);
	check_int("timeline", "untimed deferrals",
		  (long long)tl->untimed[TIMELINE_DEFERRED], 1);
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		char what[48];

		snprintf(what, sizeof what, "series %d in bucket %zu",
			 (int)want[i].series, want[i].bucket);
		check_int("timeline", what,
			  want[i].bucket < tl->nbuckets
				  ? (long long)tl->counts[want[i].bucket]
							 [want[i].series]
				  : -1,
			  (long long)want[i].in_bucket);
		snprintf(what, sizeof what, "series %d total",
			 (int)want[i].series);
		check_int("timeline", what,
			  (long long)timeline_series_total(tl, want[i].series),
			  (long long)want[i].total);
	}
	for (int s = 0; s < TIMELINE_SERIES; s++)
		sum += timeline_series_total(tl, (enum timeline_series)s);
	check_int("timeline", "series sum is failures", (long long)sum,
		  (long long)t->failures);
	tally_free(t);
	finish_cases();
}

static void
test_add_input(void **state)
{
	struct tally *t = tally_new();
	char name[] = "/var/log/mail.log";
	struct input_stats in = {0};

	(void)state;
	in.name = name;
	in.format = "postfix";
	in.encoding = "plain";
	in.lines = 10;
	tally_add_input(t, &in);
	name[0] = 'X';
	assert_int_equal(t->ninputs, 1);
	assert_string_equal(t->inputs[0].name, "/var/log/mail.log");
	assert_ptr_not_equal(t->inputs[0].name, name);
	assert_int_equal(t->inputs[0].lines, 10);
	tally_free(t);
}

/*
 * feed_distinct_domains - deliver to TALLY_KEYS_MAX + 5 distinct domains,
 * check the per-domain map and return the number of mismatches
 */
static int
feed_distinct_domains(void)
{
	const long long total = TALLY_KEYS_MAX + 5;
	const char *name = "distinct domains";
	struct tally *t = tally_new();
	struct strmap_entry *entries;
	const struct domain_stat *other;
	long long sum = 0;

	for (long long i = 0; i < total; i++) {
		char addr[64];
		struct event ev;

		snprintf(addr, sizeof addr, "a@d%lld.example.com", i);
		event_init(&ev, EVENT_DELIVERY);
		ev.status = STATUS_SENT;
		ev.recipient = span_make(addr, strlen(addr));
		tally_add(t, &ev, span_make("x", 1));
	}
	check_int(name, "delivered", (long long)t->delivered, total);

	/* At most TALLY_KEYS_MAX domains and the "(other)" key. */
	if (strmap_count(t->domains) > TALLY_KEYS_MAX + 1)
		note_mismatch("%s: keys: got %zu, want at most %d", name,
			      strmap_count(t->domains), TALLY_KEYS_MAX + 1);
	other = strmap_get(t->domains, TALLY_OTHER_KEY,
			   strlen(TALLY_OTHER_KEY));
	if (other == NULL)
		note_mismatch("%s: %s: got absent, want at least 5 deliveries",
			      name, TALLY_OTHER_KEY);
	else if (other->delivered < 5)
		note_mismatch("%s: %s: got %llu deliveries, want at least 5",
			      name, TALLY_OTHER_KEY,
			      (unsigned long long)other->delivered);

	/* No delivery is lost between the named domains and "(other)". */
	entries = strmap_entries(t->domains);
	for (size_t i = 0; i < strmap_count(t->domains); i++)
		sum += (long long)((struct domain_stat *)entries[i].value)
			       ->delivered;
	free(entries);
	check_int(name, "sum over domains", sum, total);
	tally_free(t);
	return mismatch_count();
}

static void
test_other_key(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int failed;

		/* A crash must end the child, not return into cmocka. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		failed = feed_distinct_domains();

		fflush(stdout);
		_exit(failed > 0 ? 3 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		note_mismatch("%d distinct domains: got signal %d (%s), want a "
			      "normal exit",
			      TALLY_KEYS_MAX + 5, WTERMSIG(status),
			      strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3)
		note_mismatch("%d distinct domains: got exit status %d, want 0 "
			      "(a sanitizer report may be on stderr)",
			      TALLY_KEYS_MAX + 5, WEXITSTATUS(status));
	else if (WEXITSTATUS(status) == 3)
		note_mismatch("%d distinct domains: the child process listed "
			      "its mismatches above",
			      TALLY_KEYS_MAX + 5);
	finish_cases();
}

/* What the sink of test_sink() received, as text for easy checks. */
struct sink_seen {
	int count;
	char lines[8][400];
};

/* span_text - a span as text, "-" when absent */
static const char *
span_text(struct span s, char *buf, size_t len)
{
	if (!span_present(s))
		return "-";
	snprintf(buf, len, "%.*s", (int)s.len, s.ptr);
	return buf;
}

static void
record_failure_seen(void *ctx, const struct tally_failure *f)
{
	static const char *const outcomes[] = {"deferred", "bounced",
					       "expired", "rejected"};
	struct sink_seen *seen = ctx;
	char a[64], b[64], c[64], d[64];

	if (seen->count == 8)
		fail_msg("the sink received more than 8 failures");
	snprintf(seen->lines[seen->count++], sizeof seen->lines[0],
		 "%s %s %s %s %s %s %d", outcomes[f->outcome],
		 span_text(f->sender, a, sizeof a),
		 span_text(f->recipient, b, sizeof b),
		 span_text(f->domain, c, sizeof c),
		 span_text(f->host, d, sizeof d), reason_name(f->reason),
		 f->cls);
}

/* The sink gets each failure once, with the sender joined from the
 * queue and an expiry charged to the deferred recipient's domain. */
static void
test_sink(void **state)
{
	static const struct step steps[] = {
		{SENDER, "Q1", "alice@example.com", NULL, 0, NULL, NULL, NULL,
		 NULL},
		{DEFERRED, "Q1", "bob@example.net", "4.2.2", 452, NULL,
		 "mx.example.net", NULL, NULL},
		{SENT, "Q2", "dan@example.net", "2.0.0", 250, NULL, NULL, NULL,
		 NULL},
		{EXPIRED, "Q1", NULL, NULL, 0, NULL, NULL, NULL, NULL},
		{REJECT_WARNING, NULL, "eve@example.org", NULL, 450, NULL,
		 "client.example", "192.0.2.9", "RCPT"},
		{REJECT, NULL, "carol@example.org", NULL, 554, NULL,
		 "client.example", "192.0.2.9", "RCPT"},
		{BOUNCED, "Q3", "frank@example.com", "5.1.1", 550, NULL,
		 "mx.example.com", NULL, NULL},
	};
	static const char *const want[] = {
		"deferred alice@example.com bob@example.net example.net "
		"mx.example.net undefined 4",
		"expired alice@example.com - example.net - expired 5",
		"rejected - carol@example.org example.org client.example "
		"undefined 5",
	};
	struct tally *t = tally_new();
	struct sink_seen seen = {0};
	struct tally_sink sink = {record_failure_seen, &seen};
	struct event ev;

	(void)state;
	tally_set_sink(t, &sink);
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		/* The last step comes after the sink is removed. */
		if (i == ARRAY_LEN(steps) - 1)
			tally_set_sink(t, NULL);
		build_event(&steps[i], &ev);
		tally_add(t, &ev, span_make("a line", 6));
	}
	check_int("sink", "failures", seen.count, (long long)ARRAY_LEN(want));
	for (int i = 0; i < seen.count && i < (int)ARRAY_LEN(want); i++)
		check_str("sink", want[i], seen.lines[i], want[i]);
	check_int("sink", "bounces counted", (long long)t->bounced, 1);
	tally_free(t);
	finish_cases();
}

/* Two parts of a log for the merge tests.  Each part uses its own queue
 * ids, so that no join of a sender or a deferral crosses the parts. */
#define QA1 "A1A1A1A1A1"
#define QA2 "A2A2A2A2A2"
#define QB1 "B1B1B1B1B1"
#define QB2 "B2B2B2B2B2"

static const struct step merge_part_a[] = {
	QUEUE(SENDER, QA1, "s@example.org"),
	VIA(DEFERRED, QA1, A, "4.4.1", "mx.example.com"),
	REPLY(BOUNCED, QA2, B, "5.1.1", 550, "5.1.1"),
	DELIVERY(SENT, QA1, A, "2.0.0"),
	REJECTION(REJECT, NULL, A, 554, "5.7.1", "bad.example.org",
		  "192.0.2.9", "RCPT"),
	QUEUE(EXPIRED, QA1, NULL),
	{.kind = END},
};

static const struct step merge_part_b[] = {
	QUEUE(SENDER, QB1, "t@example.org"),
	VIA(DEFERRED, QB1, B, "4.4.1", "mx.example.net"),
	VIA(DEFERRED, QB1, B, "4.4.1", "mx.example.net"),
	REPLY(BOUNCED, QB2, A, "5.1.1", 550, "5.1.1"),
	REPLY(BOUNCED, QB2, "c@example.com", "5.2.2", 552, "5.2.2"),
	DELIVERY(SENT, QB2, B, "2.0.0"),
	REJECTION(REJECT, NULL, B, 450, "4.7.1", "unknown", "192.0.2.10",
		  "RCPT"),
	QUEUE(NOTIFY, QB2, NULL),
	{.kind = END},
};

/* feed_part - count a part's events, each with its own line and time,
 * and add one input named name */
static void
feed_part(struct tally *t, const struct step *steps, const char *name,
	  int64_t start)
{
	struct input_stats in = {0};
	char input_name[64];
	size_t i;

	for (i = 0; steps[i].kind != END; i++) {
		char line[128];
		struct event ev;

		build_event(&steps[i], &ev);
		ev.classification.reason =
			(enum reason)(REASON_NONE + 1 + i % 5);
		ev.time.wall = start + (int64_t)i * 60;
		tally_saw_time(t, &ev.time);
		snprintf(line, sizeof line, "%s line %zu", name, i);
		tally_add(t, &ev, span_make(line, strlen(line)));
	}

	snprintf(input_name, sizeof input_name, "/var/log/%s.log", name);
	in.name = input_name;
	in.format = "postfix";
	in.encoding = "plain";
	in.nformats = 1;
	in.formats[0].name = "postfix";
	in.formats[0].recognized = i;
	in.lines = in.recognized = i;
	tally_add_input(t, &in);
}

/* json_of - the JSON report of t, as a string the caller frees */
static char *
json_of(const struct tally *t)
{
	struct report_options opts = {.lang = LANG_EN,
				      .top = REPORT_TOP_DEFAULT};
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(report_writer_find("json")->write(out, t, &opts), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* check_same_report - note the first line where two reports differ */
static void
check_same_report(const char *name, const char *got, const char *want)
{
	const char *got_line = got, *want_line = want;
	unsigned line = 1;

	while (*got != '\0' && *got == *want) {
		if (*got == '\n') {
			line++;
			got_line = got + 1;
			want_line = want + 1;
		}
		got++;
		want++;
	}
	if (*got == *want)
		return;
	note_mismatch("%s: line %u: got \"%.*s\", want \"%.*s\"", name,
		      line, (int)strcspn(got_line, "\n"), got_line,
		      (int)strcspn(want_line, "\n"), want_line);
}

/* Merged parts give the report of one tally that saw both parts. */
static void
test_merge_equals_one_tally(void **state)
{
	struct tally *whole = tally_new(), *a = tally_new(), *b = tally_new();
	struct tally *merged = tally_new();
	int64_t day = sysline_days_from_civil(2026, 12, 4) * 86400;
	char *want, *got;

	(void)state;
	assert_int_equal(codes_init(), 0);
	feed_part(whole, merge_part_a, "a", day);
	feed_part(whole, merge_part_b, "b", day + 3600);
	feed_part(a, merge_part_a, "a", day);
	feed_part(b, merge_part_b, "b", day + 3600);

	/* The parts are freed first, so the merged tally must own all. */
	tally_merge(merged, a);
	tally_merge(merged, b);
	tally_free(a);
	tally_free(b);

	want = json_of(whole);
	got = json_of(merged);
	check_same_report("merge of two parts", got, want);
	check_int("merge of two parts", "inputs", (long long)merged->ninputs,
		  2);
	check_int("merge of two parts", "failures", (long long)merged->failures,
		  (long long)whole->failures);
	free(want);
	free(got);
	tally_free(whole);
	tally_free(merged);
	codes_free();
	finish_cases();
}

/* Merging into an empty tally copies every count. */
static void
test_merge_into_empty(void **state)
{
	struct tally *src = tally_new(), *dst = tally_new();
	char *want, *got;

	(void)state;
	assert_int_equal(codes_init(), 0);
	feed_part(src, merge_part_b, "b", 86400);
	tally_merge(dst, src);
	want = json_of(src);
	got = json_of(dst);
	check_same_report("merge into empty", got, want);
	free(want);
	free(got);
	tally_free(src);
	tally_free(dst);
	codes_free();
	finish_cases();
}

/* Counts saturate instead of wrapping around. */
static void
test_merge_saturates(void **state)
{
	struct tally *src = tally_new(), *dst = tally_new();

	(void)state;
	dst->delivered = UINT64_MAX - 1;
	src->delivered = 5;
	dst->outbound[1].subjects[1] = UINT64_MAX;
	src->outbound[1].subjects[1] = 1;
	tally_merge(dst, src);
	if (dst->delivered != UINT64_MAX)
		note_mismatch("saturation: delivered: got %llu, want "
			      "UINT64_MAX",
			      (unsigned long long)dst->delivered);
	if (dst->outbound[1].subjects[1] != UINT64_MAX)
		note_mismatch("saturation: subject X.1: got %llu, want "
			      "UINT64_MAX",
			      (unsigned long long)dst->outbound[1].subjects[1]);
	tally_free(src);
	tally_free(dst);
	finish_cases();
}

/* Times read from fixture logs, in their order. */
struct times {
	struct logtime *items;
	size_t count;
	size_t cap;
};

/* read_times - append the times of the lines of a fixture log */
static void
read_times(const char *file, struct times *times)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	struct sysline_year ref;
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	assert_non_null(dir);
	sysline_year_end(&ref, 2024);
	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		struct sysline sl;

		if (!sysline_parse(line, (size_t)len, &ref, &sl))
			continue;
		if (times->count == times->cap) {
			times->cap = times->cap ? 2 * times->cap : 256;
			times->items = realloc(times->items,
					       times->cap * sizeof *times->items);
			assert_non_null(times->items);
		}
		times->items[times->count++] = sl.time;
	}
	free(line);
	fclose(f);
}

/*
 * check_covers - feed times to a tally and to a timeline that is given
 * every time, in order or reversed.  After each time, the two timelines
 * must be the same, and the tally's first and last times the earliest
 * and latest so far.
 */
static void
check_covers(const char *name, const struct times *times, bool reversed)
{
	struct tally *t = tally_new();
	struct timeline *tl = malloc(sizeof *tl);
	int64_t low = INT64_MAX, high = INT64_MIN;
	size_t mismatches = 0;

	assert_non_null(tl);
	timeline_init(tl);
	for (size_t i = 0; i < times->count; i++) {
		const struct logtime *time =
			&times->items[reversed ? times->count - 1 - i : i];
		int64_t utc = logtime_utc(time);

		tally_saw_time(t, time);
		timeline_cover(tl, time);
		low = utc < low ? utc : low;
		high = utc > high ? utc : high;
		if (t->timeline.width != tl->width ||
		    t->timeline.first != tl->first ||
		    t->timeline.nbuckets != tl->nbuckets ||
		    t->timeline.offset_min != tl->offset_min ||
		    logtime_utc(&t->first) != low ||
		    logtime_utc(&t->last) != high || t->newest_utc != high)
			mismatches++;
	}
	check_int(name, "times with another state", (long long)mismatches, 0);
	assert_true(tl->width > TIMELINE_WIDTH_MIN);
	free(tl);
	tally_free(t);
}

/*
 * tally_saw_time() skips the timeline for a time between the first and
 * the last seen.  The times of real logs go to a tally and to a timeline
 * that is given every time, forwards and backwards, and the two
 * timelines must be equal.  The logs have rotated files out of order,
 * zone offsets, a year's rollover and a jump that widens the buckets.
 */
static void
test_saw_time_covers(void **state)
{
	static const char *const files[] = {
	    "postfix/sample.log", "postfix/timestamps.log",
	    "timerange/offsets.log", "postfix/rollover.log",
	    "timerange/newyear.log", "postfix/multi-instance.log",
	    "exim/syslog.log", "hostile/leap-second.log",
	};
	struct times times = {0};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(files); i++)
		read_times(files[i], &times);
	assert_true(times.count > 600);
	check_covers("in log order", &times, false);
	check_covers("reversed", &times, true);
	free(times.items);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tally_cases),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_examples_same_as_json),
		cmocka_unit_test(test_components_and_shared_line),
		cmocka_unit_test(test_saw_time),
		cmocka_unit_test(test_saw_time_covers),
		cmocka_unit_test(test_timeline_series),
		cmocka_unit_test(test_add_input),
		cmocka_unit_test(test_other_key),
		cmocka_unit_test(test_sink),
		cmocka_unit_test(test_merge_equals_one_tally),
		cmocka_unit_test(test_merge_into_empty),
		cmocka_unit_test(test_merge_saturates),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
