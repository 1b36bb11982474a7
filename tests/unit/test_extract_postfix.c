/* SPDX-License-Identifier: MIT */
/*
 * test_extract_postfix.c - unit tests of the Postfix extractor
 *
 * Each case is a whole log line.  It is parsed with sysline_parse() and
 * classified by the extractor on the built-in patterns, and every field
 * of the resulting event is compared.  A field that a case leaves out
 * must be absent.  meson runs this program once more under tr_TR.UTF-8, so the
 * cases include status words in both ASCII cases and "1.5"-style numbers.
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
#include "bouncelog/sysline.h"
#include "check.h"
#include "extract_check.h"

/* The syslog header of most cases, read with the reference 2026-12. */
#define HDR "Dec  4 06:25:01 mx1 "
#define DELAYS "delay=1.5, delays=0.1/0/0.5/0.9"

/* The reason texts used by several cases. */
#define USER_UNKNOWN                                                         \
	"host mx.example.net[192.0.2.2] said: 550 5.1.1 <u@example.net>: "    \
	"Recipient address rejected: User unknown (in reply to RCPT TO "      \
	"command)"
#define TIMED_OUT                                                            \
	"connect to mx.example.org[192.0.2.26]:25: Connection timed out"

struct extract_case {
	const char *name;
	const char *line;
	enum extract_result want_result;
	/* The fields below are compared only for EXTRACT_EVENT. */
	struct event_want want;
	bool want_soft_bounce;
	bool want_warning_only;
};

static const struct extract_case extract_cases[] = {
	/* Deliveries by each delivery agent. */
	{.name = "smtp sent",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=2.0.0, "
		 "status=sent (250 2.0.0 Ok: queued as 9A8B7C6D5E)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1",
	 .want.text = "250 2.0.0 Ok: queued as 9A8B7C6D5E", .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "smtp bounced with nested parentheses",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=bounced (" USER_UNKNOWN ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "192.0.2.2", .want.text = USER_UNKNOWN,
	 .want.enh = "5.1.1",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "smtp deferred, relay none",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.org>, "
		 "relay=none, delay=300, delays=0.1/0/300/0, dsn=4.4.1, "
		 "status=deferred (" TIMED_OUT ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26", .want.text = TIMED_OUT,
	 .want.enh = "4.4.1", .want.reply_code = 0, .want.reply_enh = "none"},
	{.name = "smtp SOFTBOUNCE",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=SOFTBOUNCE (" USER_UNKNOWN ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want_soft_bounce = true,
	 .want.qid = "4F1A2B3C4D", .want.to = "u@example.net",
	 .want.remote_host = "mx.example.net", .want.remote_addr = "192.0.2.2",
	 .want.text = USER_UNKNOWN, .want.enh = "5.1.1", .want.reply_code = 550,
	 .want.reply_enh = "5.1.1"},
	/* Every other status word folds ASCII case, so this one should too. */
	{.name = "smtp softbounce in lower case",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=softbounce (" USER_UNKNOWN ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want_soft_bounce = true,
	 .want.qid = "4F1A2B3C4D", .want.to = "u@example.net",
	 .want.remote_host = "mx.example.net", .want.remote_addr = "192.0.2.2",
	 .want.text = USER_UNKNOWN, .want.enh = "5.1.1", .want.reply_code = 550,
	 .want.reply_enh = "5.1.1"},
	{.name = "smtp BOUNCED in upper case",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=BOUNCED (" USER_UNKNOWN ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "192.0.2.2", .want.text = USER_UNKNOWN,
	 .want.enh = "5.1.1",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "smtp expired",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.org>, "
		 "relay=none, delay=432000, delays=432000/0/0/0, dsn=4.4.1, "
		 "status=expired (" TIMED_OUT ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_EXPIRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26", .want.text = TIMED_OUT,
	 .want.enh = "4.4.1", .want.reply_code = 0, .want.reply_enh = "none"},
	{.name = "smtp EXPIRED in upper case",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.org>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=EXPIRED",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_EXPIRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.org", .want.enh = "4.4.1",
	 .want.reply_enh = "none"},
	{.name = "probe deliverable",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=2.1.5, "
		 "status=deliverable (250 2.1.5 Ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_PROBE_OK, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1", .want.text = "250 2.1.5 Ok",
	 .want.enh = "2.1.5",
	 .want.reply_code = 250, .want.reply_enh = "2.1.5"},
	{.name = "probe undeliverable",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=undeliverable (" USER_UNKNOWN ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_PROBE_FAIL, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "192.0.2.2", .want.text = USER_UNKNOWN,
	 .want.enh = "5.1.1",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "probe UNDELIVERABLE in upper case",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=none, " DELAYS ", dsn=5.1.1, status=UNDELIVERABLE",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_PROBE_FAIL, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.net", .want.enh = "5.1.1",
	 .want.reply_enh = "none"},
	{.name = "probe DELIVERABLE in upper case",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=2.1.5, status=DELIVERABLE",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_PROBE_OK, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.enh = "2.1.5",
	 .want.reply_enh = "none"},
	{.name = "local forwarded",
	 .line = HDR "postfix/local[3001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "orig_to=<alias@example.com>, relay=local, " DELAYS
		 ", dsn=2.0.0, status=sent (forwarded as 5F1A2B3C4E)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_FORWARDED, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.orig_to = "alias@example.com",
	 .want.remote_host = "local", .want.text = "forwarded as 5F1A2B3C4E",
	 .want.enh = "2.0.0", .want.reply_enh = "none"},
	{.name = "local mailbox",
	 .line = HDR "postfix/local[3003]: 4F1A2B3C4D: "
		 "to=<root@mx1.example.com>, orig_to=<root>, relay=local, "
		 DELAYS ", dsn=2.0.0, status=sent (delivered to mailbox)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "root@mx1.example.com", .want.orig_to = "root",
	 .want.remote_host = "local", .want.text = "delivered to mailbox",
	 .want.enh = "2.0.0", .want.reply_enh = "none"},
	{.name = "lmtp over a socket",
	 .line = HDR "postfix/lmtp[3002]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mail.example.com[private/dovecot-lmtp], " DELAYS
		 ", dsn=2.0.0, status=sent (250 2.0.0 <a@example.com> Saved)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mail.example.com",
	 .want.remote_addr = "private/dovecot-lmtp",
	 .want.text = "250 2.0.0 <a@example.com> Saved", .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "virtual bounced",
	 .line = HDR "postfix/virtual[3004]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=virtual, " DELAYS ", dsn=5.2.2, status=bounced "
		 "(cannot update mailbox /var/mail/a for user a. error writing "
		 "message: File too large)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "virtual",
	 .want.text = "cannot update mailbox /var/mail/a for user a. error "
		      "writing message: File too large",
	 .want.enh = "5.2.2", .want.reply_enh = "none"},
	{.name = "pipe sent",
	 .line = HDR "postfix/pipe[3005]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=dovecot, " DELAYS ", dsn=2.0.0, status=sent "
		 "(delivered via dovecot service)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "dovecot",
	 .want.text = "delivered via dovecot service", .want.enh = "2.0.0",
	 .want.reply_enh = "none"},
	{.name = "error agent deferred",
	 .line = HDR "postfix/error[3006]: 4F1A2B3C4D: to=<b@example.org>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=deferred (delivery "
		 "temporarily suspended: " TIMED_OUT ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "b@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26",
	 .want.text = "delivery temporarily suspended: " TIMED_OUT,
	 .want.enh = "4.4.1", .want.reply_enh = "none"},
	{.name = "retry agent deferred, host in text",
	 .line = HDR "postfix/retry[3007]: 4F1A2B3C4D: to=<b@example.org>, "
		 "relay=none, " DELAYS ", dsn=4.7.0, status=deferred (host "
		 "mx.example.org[192.0.2.26] said: 421 4.7.0 Try again later)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "b@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26",
	 .want.text = "host mx.example.org[192.0.2.26] said: 421 4.7.0 Try "
		      "again later",
	 .want.enh = "4.7.0",
	 .want.reply_code = 421, .want.reply_enh = "4.7.0"},

	/* Field order, extra fields and address forms. */
	{.name = "fields out of order",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "dsn=5.7.1, " DELAYS ", relay=mx.example.com[192.0.2.1]:25, "
		 "status=bounced (host mx.example.com[192.0.2.1] said: "
		 "554 5.7.1 rejected)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1",
	 .want.text = "host mx.example.com[192.0.2.1] said: 554 5.7.1 rejected",
	 .want.enh = "5.7.1",
	 .want.reply_code = 554, .want.reply_enh = "5.7.1"},
	{.name = "tls field before dsn",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", tls=TLSv1.3, "
		 "dsn=2.0.0, status=sent (250 2.0.0 Ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1", .want.text = "250 2.0.0 Ok",
	 .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "to without angle brackets",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=a@example.com, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=2.0.0, "
		 "status=sent (250 2.0.0 Ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1", .want.text = "250 2.0.0 Ok",
	 .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "missing closing parenthesis",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<u@example.net>, "
		 "relay=mx.example.net[192.0.2.2]:25, " DELAYS ", dsn=5.1.1, "
		 "status=bounced (host mx.example.net[192.0.2.2] said: "
		 "550 5.1.1 unknown user (in reply to RCPT TO command",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "u@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "192.0.2.2",
	 .want.text = "host mx.example.net[192.0.2.2] said: 550 5.1.1 unknown "
		      "user (in reply to RCPT TO command",
	 .want.enh = "5.1.1",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "IPv6 relay",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[2001:db8::25]:25, " DELAYS
		 ", dsn=4.2.2, status=deferred (host "
		 "mx.example.com[2001:db8::25] said: 452-4.2.2 The email "
		 "account is over quota. 452 4.2.2 Please retry later)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "2001:db8::25",
	 .want.text = "host mx.example.com[2001:db8::25] said: 452-4.2.2 The "
		      "email account is over quota. 452 4.2.2 Please retry "
		      "later",
	 .want.enh = "4.2.2",
	 .want.reply_code = 452, .want.reply_enh = "4.2.2"},
	{.name = "dsn and reply disagree",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=5.0.0, "
		 "status=bounced (host mx.example.com[192.0.2.1] said: "
		 "550 5.7.1 policy)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1",
	 .want.text = "host mx.example.com[192.0.2.1] said: 550 5.7.1 policy",
	 .want.enh = "5.0.0",
	 .want.reply_code = 550, .want.reply_enh = "5.7.1"},
	{.name = "short queue id",
	 .line = HDR "postfix/smtp[2001]: 3B5C1: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=deferred ("
		 TIMED_OUT ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "3B5C1",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26", .want.text = TIMED_OUT,
	 .want.enh = "4.4.1", .want.reply_enh = "none"},
	{.name = "long queue id",
	 .line = HDR "postfix/smtp[2001]: 4Lz9Yq1RZGz9sWN: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=deferred ("
		 TIMED_OUT ")",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "4Lz9Yq1RZGz9sWN",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "192.0.2.26", .want.text = TIMED_OUT,
	 .want.enh = "4.4.1", .want.reply_enh = "none"},
	{.name = "queue id too short",
	 .line = HDR "postfix/smtp[2001]: 3B5C: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=deferred ("
		 TIMED_OUT ")",
	 .want_result = EXTRACT_UNKNOWN},
	{.name = "unknown status word",
	 .line = HDR "postfix/smtp[2001]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=postponed (later)",
	 .want_result = EXTRACT_UNKNOWN},

	/* The queue manager, the bounce daemon and postsuper. */
	{.name = "qmgr sender",
	 .line = HDR "postfix/qmgr[1001]: 4F1A2B3C4D: from=<s@example.org>, "
		 "size=1234, nrcpt=2 (queue active)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_SENDER,
	 .want.qid = "4F1A2B3C4D", .want.from = "s@example.org",
	 .want.enh = "none", .want.reply_enh = "none"},
	{.name = "qmgr null sender",
	 .line = HDR "postfix/qmgr[1001]: 4F1A2B3C4D: from=<>, size=2345, "
		 "nrcpt=1 (queue active)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_SENDER,
	 .want.qid = "4F1A2B3C4D", .want.from = "", .want.enh = "none",
	 .want.reply_enh = "none"},
	{.name = "qmgr expired",
	 .line = HDR "postfix/qmgr[1001]: 4F1A2B3C4D: from=<s@example.org>, "
		 "status=expired, returned to sender",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_EXPIRED,
	 .want.qid = "4F1A2B3C4D", .want.from = "s@example.org",
	 .want.enh = "none", .want.reply_enh = "none"},
	{.name = "qmgr force-expired",
	 .line = HDR "postfix/qmgr[1001]: 4F1A2B3C4D: from=<s@example.org>, "
		 "status=force-expired, returned to sender",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_EXPIRED,
	 .want.qid = "4F1A2B3C4D", .want.from = "s@example.org",
	 .want.enh = "none", .want.reply_enh = "none"},
	{.name = "qmgr removed",
	 .line = HDR "postfix/qmgr[1001]: 4F1A2B3C4D: removed",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REMOVED,
	 .want.qid = "4F1A2B3C4D", .want.enh = "none",
	 .want.reply_enh = "none"},
	{.name = "postsuper removed",
	 .line = HDR "postfix/postsuper[1501]: 4F1A2B3C4D: removed",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REMOVED,
	 .want.qid = "4F1A2B3C4D", .want.enh = "none",
	 .want.reply_enh = "none"},
	{.name = "bounce notification",
	 .line = HDR "postfix/bounce[1002]: 4F1A2B3C4D: sender non-delivery "
		 "notification: 5F1A2B3C4E",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_NOTIFICATION,
	 .want.qid = "4F1A2B3C4D", .want.enh = "none",
	 .want.reply_enh = "none"},
	{.name = "delay notification",
	 .line = HDR "postfix/bounce[1002]: 4F1A2B3C4D: sender delay "
		 "notification: 5F1A2B3C4E",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_NOTIFICATION,
	 .want.qid = "4F1A2B3C4D", .want.enh = "none",
	 .want.reply_enh = "none"},

	/* Inbound rejections. */
	{.name = "reject at RCPT",
	 .line = HDR "postfix/smtpd[4001]: NOQUEUE: reject: RCPT from "
		 "unknown[192.0.2.10]: 554 5.7.1 <h@example.com>: Relay access "
		 "denied; from=<s@example.org> to=<h@example.com> proto=ESMTP "
		 "helo=<client.example.org>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.to = "h@example.com",
	 .want.from = "s@example.org", .want.client_host = "unknown",
	 .want.client_addr = "192.0.2.10", .want.stage = "RCPT",
	 .want.text = "554 5.7.1 <h@example.com>: Relay access denied",
	 .want.enh = "none", .want.reply_code = 554, .want.reply_enh = "5.7.1"},
	{.name = "reject at CONNECT",
	 .line = HDR "postfix/smtpd[4001]: NOQUEUE: reject: CONNECT from "
		 "unknown[192.0.2.11]: 554 5.7.1 Service unavailable; Client "
		 "host [192.0.2.11] blocked using zen.example.net; proto=SMTP",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.client_host = "unknown",
	 .want.client_addr = "192.0.2.11", .want.stage = "CONNECT",
	 .want.text = "554 5.7.1 Service unavailable; Client host [192.0.2.11] "
		      "blocked using zen.example.net",
	 .want.enh = "none", .want.reply_code = 554, .want.reply_enh = "5.7.1"},
	{.name = "reject at HELO",
	 .line = HDR "postfix/smtpd[4001]: NOQUEUE: reject: HELO from "
		 "client.example.org[192.0.2.12]: 504 5.5.2 <localhost>: Helo "
		 "command rejected: need fully-qualified hostname; proto=SMTP "
		 "helo=<localhost>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.client_host = "client.example.org",
	 .want.client_addr = "192.0.2.12", .want.stage = "HELO",
	 .want.text = "504 5.5.2 <localhost>: Helo command rejected: need "
		      "fully-qualified hostname",
	 .want.enh = "none", .want.reply_code = 504, .want.reply_enh = "5.5.2"},
	{.name = "reject at DATA",
	 .line = HDR "postfix/smtpd[4002]: 4F1A2B3C4D: reject: DATA from "
		 "mail.example.net[192.0.2.40]: 550 5.7.1 Message rejected; "
		 "from=<s@example.net> to=<r@example.com> proto=ESMTP "
		 "helo=<mail.example.net>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "4F1A2B3C4D", .want.to = "r@example.com",
	 .want.from = "s@example.net", .want.client_host = "mail.example.net",
	 .want.client_addr = "192.0.2.40", .want.stage = "DATA",
	 .want.text = "550 5.7.1 Message rejected", .want.enh = "none",
	 .want.reply_code = 550, .want.reply_enh = "5.7.1"},
	{.name = "reject at END-OF-MESSAGE",
	 .line = HDR "postfix/smtpd[4002]: 4F1A2B3C4D: reject: END-OF-MESSAGE "
		 "from mail.example.net[192.0.2.40]: 452 4.3.1 Insufficient "
		 "system storage; from=<s@example.net> to=<r@example.com> "
		 "proto=ESMTP helo=<mail.example.net>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "4F1A2B3C4D", .want.to = "r@example.com",
	 .want.from = "s@example.net", .want.client_host = "mail.example.net",
	 .want.client_addr = "192.0.2.40", .want.stage = "END-OF-MESSAGE",
	 .want.text = "452 4.3.1 Insufficient system storage",
	 .want.enh = "none", .want.reply_code = 452, .want.reply_enh = "4.3.1"},
	{.name = "null sender in reject",
	 .line = HDR "postfix/smtpd[4001]: NOQUEUE: reject: RCPT from "
		 "unknown[192.0.2.10]: 550 5.1.1 <x@example.com>: Recipient "
		 "address rejected: User unknown; from=<> to=<x@example.com> "
		 "proto=ESMTP helo=<client.example.org>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.to = "x@example.com", .want.from = "",
	 .want.client_host = "unknown", .want.client_addr = "192.0.2.10",
	 .want.stage = "RCPT",
	 .want.text = "550 5.1.1 <x@example.com>: Recipient address rejected: "
		      "User unknown",
	 .want.enh = "none", .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "postscreen reject",
	 .line = HDR "postfix/postscreen[4004]: NOQUEUE: reject: RCPT from "
		 "[192.0.2.50]:51234: 550 5.7.1 Service unavailable; client "
		 "[192.0.2.50] blocked using zen.example.net; "
		 "from=<s@example.org>, to=<r@example.com>, proto=ESMTP, "
		 "helo=<x.example.org>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.to = "r@example.com",
	 .want.from = "s@example.org", .want.client_host = "",
	 .want.client_addr = "192.0.2.50", .want.stage = "RCPT",
	 .want.text = "550 5.7.1 Service unavailable; client [192.0.2.50] "
		      "blocked using zen.example.net",
	 .want.enh = "none", .want.reply_code = 550, .want.reply_enh = "5.7.1"},
	{.name = "milter reject, enhanced code only",
	 .line = HDR "postfix/cleanup[4003]: 4F1A2B3C4D: milter-reject: "
		 "END-OF-MESSAGE from mail.example.net[192.0.2.40]: 5.7.1 Spam "
		 "message rejected; from=<s@example.net> to=<r@example.com> "
		 "proto=ESMTP helo=<mail.example.net>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "4F1A2B3C4D", .want.to = "r@example.com",
	 .want.from = "s@example.net", .want.client_host = "mail.example.net",
	 .want.client_addr = "192.0.2.40", .want.stage = "END-OF-MESSAGE",
	 .want.text = "5.7.1 Spam message rejected", .want.enh = "none",
	 .want.reply_code = 0, .want.reply_enh = "5.7.1"},
	{.name = "reject_warning",
	 .line = HDR "postfix/smtpd[4001]: NOQUEUE: reject_warning: RCPT from "
		 "unknown[192.0.2.10]: 450 4.7.1 Client host rejected: cannot "
		 "find your hostname, [192.0.2.10]; from=<s@example.org> "
		 "to=<r@example.com> proto=ESMTP helo=<client.example.org>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want_warning_only = true, .want.qid = "NOQUEUE",
	 .want.to = "r@example.com", .want.from = "s@example.org",
	 .want.client_host = "unknown", .want.client_addr = "192.0.2.10",
	 .want.stage = "RCPT",
	 .want.text = "450 4.7.1 Client host rejected: cannot find your "
		      "hostname, [192.0.2.10]",
	 .want.enh = "none", .want.reply_code = 450, .want.reply_enh = "4.7.1"},
	{.name = "header_checks reject",
	 .line = HDR "postfix/cleanup[4003]: 4F1A2B3C4D: reject: header "
		 "Subject: win 1.5 million from mail.example.net[192.0.2.40]; "
		 "from=<s@example.net> to=<r@example.com> proto=ESMTP "
		 "helo=<mail.example.net>: 5.7.1 Message content rejected",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "4F1A2B3C4D", .want.to = "r@example.com",
	 .want.from = "s@example.net", .want.client_host = "mail.example.net",
	 .want.client_addr = "192.0.2.40", .want.stage = "header",
	 .want.text = "5.7.1 Message content rejected", .want.enh = "none",
	 .want.reply_code = 0, .want.reply_enh = "5.7.1"},

	/* Program names of several instances and services. */
	{.name = "instance postfix-out",
	 .line = HDR "postfix-out/smtp[2002]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=2.0.0, "
		 "status=sent (250 2.0.0 Ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1", .want.text = "250 2.0.0 Ok",
	 .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "submission service",
	 .line = HDR "postfix/submission/smtpd[4005]: NOQUEUE: reject: RCPT "
		 "from unknown[192.0.2.10]: 554 5.7.1 <h@example.com>: Relay "
		 "access denied; from=<s@example.org> to=<h@example.com> "
		 "proto=ESMTP helo=<client.example.org>",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.to = "h@example.com",
	 .want.from = "s@example.org", .want.client_host = "unknown",
	 .want.client_addr = "192.0.2.10", .want.stage = "RCPT",
	 .want.text = "554 5.7.1 <h@example.com>: Relay access denied",
	 .want.enh = "none", .want.reply_code = 554, .want.reply_enh = "5.7.1"},
	{.name = "port-numbered service",
	 .line = HDR "postfix/10025/smtpd[4006]: connect from "
		 "mail.example.net[192.0.2.40]",
	 .want_result = EXTRACT_INFO},
	{.name = "rfc5424 header",
	 .line = "<22>1 2026-12-04T06:25:01.123+01:00 mx1 postfix/smtp 2001 "
		 "- - 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=mx.example.com[192.0.2.1]:25, " DELAYS ", dsn=2.0.0, "
		 "status=sent (250 2.0.0 Ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "4F1A2B3C4D",
	 .want.to = "a@example.com", .want.remote_host = "mx.example.com",
	 .want.remote_addr = "192.0.2.1", .want.text = "250 2.0.0 Ok",
	 .want.enh = "2.0.0",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},

	/* Lines with nothing to count, and other programs. */
	{.name = "smtpd connect",
	 .line = HDR "postfix/smtpd[4001]: connect from unknown[192.0.2.10]",
	 .want_result = EXTRACT_INFO},
	{.name = "smtpd client line",
	 .line = HDR "postfix/smtpd[4001]: 4F1A2B3C4D: "
		 "client=unknown[192.0.2.10]",
	 .want_result = EXTRACT_INFO},
	{.name = "warning line",
	 .line = HDR "postfix/smtpd[4001]: warning: hostname x.example.org "
		 "does not resolve to address 192.0.2.10",
	 .want_result = EXTRACT_INFO},
	{.name = "master start",
	 .line = HDR "postfix/master[900]: daemon started -- version 3.7.11, "
		 "configuration /etc/postfix",
	 .want_result = EXTRACT_INFO},
	{.name = "dovecot line",
	 .line = HDR "dovecot: imap-login: Login: user=<a@example.com>, "
		 "method=PLAIN, rip=192.0.2.60",
	 .want_result = EXTRACT_FOREIGN},
	{.name = "program with postfix inside",
	 .line = HDR "notpostfix/smtp[1]: 4F1A2B3C4D: to=<a@example.com>, "
		 "relay=none, " DELAYS ", dsn=4.4.1, status=deferred (x)",
	 .want_result = EXTRACT_FOREIGN},
	{.name = "unknown smtpd message",
	 .line = HDR "postfix/smtpd[4001]: something unexpected happened",
	 .want_result = EXTRACT_UNKNOWN},
};

/* check_event - every field of ev against the case */
static void
check_event(const struct extract_case *c, const struct event *ev,
	    const struct sysline *hdr)
{
	check_event_fields(c->name, ev, &c->want);
	check_int(c->name, "soft_bounce", ev->soft_bounce, c->want_soft_bounce);
	check_int(c->name, "warning_only", ev->warning_only,
		  c->want_warning_only);

	/* The event carries the line's time. */
	check_int(c->name, "wall", ev->time.wall, hdr->time.wall);
	check_int(c->name, "offset", ev->time.offset_min,
		  hdr->time.offset_min);
}

static void
test_extract_cases(void **state)
{
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(extract_cases); i++) {
		const struct extract_case *c = &extract_cases[i];
		size_t len = strlen(c->line);
		char *line = copy_exact(c->line, len);
		struct sysline hdr;
		struct event ev;
		enum extract_result got;

		got = classify_sysline(x, line, len, &hdr, &ev);
		if (got == EXTRACT_NO_HEADER) {
			note_mismatch("%s: header: got a parse failure, want "
				      "a header",
				      c->name);
			free(line);
			continue;
		}

		check_str(c->name, "result", result_names[got],
			  result_names[c->want_result]);
		if (got == EXTRACT_EVENT && c->want_result == EXTRACT_EVENT)
			check_event(c, &ev, &hdr);
		free(line);
	}
	finish_cases();
}

/* Lines alternate between programs, as in a real log. */
static void
test_program_alternation(void **state)
{
	struct extractor *x = *state;
	const struct sysline_year ref = {2026, 12, 0};
	static const char *const lines[] = {
		HDR "dovecot: imap-login: Login: user=<a@example.com>",
		HDR "postfix/qmgr[1001]: 4F1A2B3C4D: removed",
		HDR "dovecot: imap-login: Login: user=<a@example.com>",
		HDR "postfix/qmgr[1001]: 4F1A2B3C4D: removed",
		HDR "postfix/qmgr[1001]: 4F1A2B3C4D: removed",
	};
	static const enum extract_result want[] = {
		EXTRACT_FOREIGN, EXTRACT_EVENT, EXTRACT_FOREIGN,
		EXTRACT_EVENT, EXTRACT_EVENT,
	};

	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		struct sysline hdr;
		struct event ev;
		char name[32];

		snprintf(name, sizeof name, "line %zu", i + 1);
		assert_true(sysline_parse(lines[i], strlen(lines[i]), &ref,
					  &hdr));
		check_str(name, "result", result_names[extractor_line(x, &hdr,
								       &ev)],
			  result_names[want[i]]);
	}
	finish_cases();
}

static void
test_extractor_registry(void **state)
{
	struct extractor *x = *state;

	assert_non_null(extractor_find("postfix"));
	assert_null(extractor_find("Postfix"));
	assert_null(extractor_find("exim-not-here"));
	assert_string_equal(extractor_name(x), "postfix");
}

static int
setup_extractor(void **state)
{
	return setup_named_extractor(state, "postfix");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_extract_cases,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_program_alternation,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_extractor_registry,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("extract_postfix", tests, ARRAY_LEN(tests));
}
