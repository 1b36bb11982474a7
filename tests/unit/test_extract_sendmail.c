/* SPDX-License-Identifier: MIT */
/*
 * test_extract_sendmail.c - unit tests of the Sendmail extractor
 *
 * Each case is a whole log line, read as the first line of an input.  It
 * is parsed with sysline_parse() and classified by the extractor on the
 * built-in patterns, and every field of the resulting event is compared.
 * A field that a case leaves out must be absent.  Lines that hold several
 * events (a recipient list, an expiry notice) list the events that
 * extractor_more() must return after the first.  Sequences of lines check
 * that an expiry logged on several lines counts once.  meson runs this
 * program once more under tr_TR.UTF-8.
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

/* Most events after the first that a case lists. */
#define MORE_MAX 4

/* The syslog header of most cases, read with the reference 2026-12. */
#define HDR "May  6 08:15:03 mx1 "
#define SM HDR "sm-mta[4713]: "
#define QID "446FF1qA004711"
#define CTL "ctladdr=<alice@example.com> (1000/1000), "
#define TIMES "delay=00:00:02, xdelay=00:00:02, "
#define MX_ORG "relay=mx.example.org. [198.51.100.7], "

/* The reason texts used by several cases. */
#define GREYLISTED                                                           \
	"451 4.7.1 <carol@example.net>: Recipient address rejected: "         \
	"Greylisted, try again later"
#define RELAY_DENIED                                                         \
	"550 5.7.1 <h@example.net>... Relaying denied. Proper authentication " \
	"required."

/* A later event of the same line: its type and the fields that differ. */
struct more_event {
	enum event_type type;
	const char *to;
};

struct extract_case {
	const char *name;
	const char *line;
	enum extract_result want_result;
	/* The fields below are compared only for EXTRACT_EVENT. */
	struct event_want want;
	struct more_event want_more[MORE_MAX];	/* ends at a NULL to, unless
						 * the type is not DELIVERY */
	size_t want_more_count;
};

static const struct extract_case extract_cases[] = {
	/* Deliveries. */
	{.name = "sent with reply",
	 .line = SM QID ": to=<bob@example.org>, " CTL TIMES "mailer=esmtp, "
		 "pri=122345, " MX_ORG "dsn=2.0.0, stat=Sent (4Vx9Yz1AbcD "
		 "Message accepted for delivery)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "bob@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "4Vx9Yz1AbcD Message accepted for delivery",
	 .want.enh = "2.0.0"},
	{.name = "bounced user unknown",
	 .line = SM QID ": to=<nobody@example.org>, " CTL TIMES
		 "mailer=esmtp, pri=122345, " MX_ORG "dsn=5.1.1, "
		 "stat=User unknown",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = QID,
	 .want.to = "nobody@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "User unknown",
	 .want.enh = "5.1.1"},
	{.name = "deferred with remote reply",
	 .line = SM QID ": to=<carol@example.net>, " CTL TIMES
		 "mailer=esmtp, pri=122345, relay=mx.example.net. "
		 "[203.0.113.5], dsn=4.7.1, stat=Deferred: " GREYLISTED,
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = QID,
	 .want.to = "carol@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "203.0.113.5", .want.text = GREYLISTED,
	 .want.enh = "4.7.1", .want.reply_code = 451,
	 .want.reply_enh = "4.7.1"},
	{.name = "deferred, host without address",
	 .line = SM "446I2BqB006001: to=<dave@example.net>, " TIMES
		 "mailer=esmtp, pri=30812, relay=mail.example.net., "
		 "dsn=4.0.0, stat=Deferred: Connection timed out with "
		 "mail.example.net.",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "446I2BqB006001",
	 .want.to = "dave@example.net", .want.remote_host = "mail.example.net",
	 .want.text = "Connection timed out with mail.example.net.",
	 .want.enh = "4.0.0"},
	{.name = "deferred without text",
	 .line = SM QID ": to=<dave@example.net>, " TIMES "mailer=esmtp, "
		 "pri=30812, dsn=4.0.0, stat=Deferred",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = QID,
	 .want.to = "dave@example.net", .want.enh = "4.0.0"},
	{.name = "local mailer sent",
	 .line = SM "446FF3qA004713: to=<alice@example.com>, "
		 "delay=00:00:01, xdelay=00:00:00, mailer=local, pri=31456, "
		 "dsn=2.0.0, stat=Sent",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = "446FF3qA004713",
	 .want.to = "alice@example.com", .want.remote_host = "local",
	 .want.enh = "2.0.0"},
	{.name = "fields out of order",
	 .line = SM QID ": to=<a@example.net>, dsn=5.2.2, "
		 "relay=mx.example.net. [203.0.113.5], mailer=esmtp, "
		 "delay=00:00:01, "
		 "stat=Service unavailable",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = QID,
	 .want.to = "a@example.net", .want.remote_host = "mx.example.net",
	 .want.remote_addr = "203.0.113.5", .want.text = "Service unavailable",
	 .want.enh = "5.2.2"},
	{.name = "three recipients",
	 .line = SM QID ": to=<a@example.org>,<b@example.org>,c@example.net, "
		 CTL TIMES "mailer=esmtp, pri=122345, " MX_ORG "dsn=2.0.0, "
		 "stat=Sent (Ok: queued as 9F2E1C0042)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "a@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "Ok: queued as 9F2E1C0042", .want.enh = "2.0.0",
	 .want_more = {{EVENT_DELIVERY, "b@example.org"},
		       {EVENT_DELIVERY, "c@example.net"}},
	 .want_more_count = 2},
	{.name = "list split with [more]",
	 .line = SM QID ": to=<a@example.org>,<b@example.org>, [more], "
		 TIMES "mailer=esmtp, pri=122345, " MX_ORG "dsn=4.3.2, "
		 "stat=Deferred: 421 4.3.2 Too busy",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = QID,
	 .want.to = "a@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "421 4.3.2 Too busy",
	 .want.enh = "4.3.2", .want.reply_code = 421, .want.reply_enh = "4.3.2",
	 .want_more = {{EVENT_DELIVERY, "b@example.org"}},
	 .want_more_count = 1},
	{.name = "pipe recipient with a comma",
	 .line = SM QID ": to=\"|/usr/bin/procmail -a x, y\", "
		 "ctladdr=<bob@example.com> (1001/1001), " TIMES
		 "mailer=prog, pri=30000, dsn=2.0.0, stat=Sent",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "\"|/usr/bin/procmail -a x, y\"",
	 .want.remote_host = "prog",
	 .want.enh = "2.0.0"},
	{.name = "queued is not an outcome",
	 .line = SM QID ": to=<a@example.org>, delay=00:00:00, mailer=esmtp, "
		 "pri=30000, stat=queued",
	 .want_result = EXTRACT_INFO},
	{.name = "address literal relay",
	 .line = SM QID ": to=<a@example.com>, " TIMES "mailer=relay, "
		 "pri=30000, relay=[192.0.2.44] [192.0.2.44], dsn=5.0.0, "
		 "stat=Service unavailable",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = QID,
	 .want.to = "a@example.com", .want.remote_host = "192.0.2.44",
	 .want.remote_addr = "192.0.2.44", .want.text = "Service unavailable",
	 .want.enh = "5.0.0"},
	{.name = "IPv6 relay",
	 .line = SM QID ": to=<a@example.com>, " TIMES "mailer=esmtp, "
		 "pri=30000, relay=mx6.example.com. [IPv6:2001:db8::25], "
		 "dsn=2.0.0, stat=Sent (ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "a@example.com", .want.remote_host = "mx6.example.com",
	 .want.remote_addr = "2001:db8::25", .want.text = "ok",
	 .want.enh = "2.0.0"},
	{.name = "no dsn field, failure text",
	 .line = HDR "sendmail[22495]: e6FFrpW22493: to=<j@example.net>, "
		 "delay=00:00:00, xdelay=00:00:00, mailer=esmtp, "
		 "stat=Host unknown (Name server: example.net.: host not "
		 "found)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = "e6FFrpW22493",
	 .want.to = "j@example.net",
	 .want.text = "Host unknown (Name server: example.net.: host not "
		      "found)"},
	{.name = "data format error",
	 .line = SM QID ": to=<a@example.org>, " TIMES "mailer=esmtp, "
		 "pri=30000, " MX_ORG "dsn=5.6.0, stat=Data format error",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = QID,
	 .want.to = "a@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "Data format error",
	 .want.enh = "5.6.0"},
	{.name = "expired recipient",
	 .line = SM QID ": to=<a@example.org>, delay=5+00:00:39, "
		 "mailer=esmtp, pri=9630812, dsn=4.4.7, stat=Cannot send "
		 "message for 5 days",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_EXPIRED, .want.qid = QID,
	 .want.to = "a@example.org",
	 .want.text = "Cannot send message for 5 days", .want.enh = "4.4.7"},
	{.name = "dsn class 4 without Deferred",
	 .line = SM QID ": to=<a@example.org>, " TIMES "mailer=esmtp, "
		 "pri=30000, " MX_ORG "dsn=4.2.2, stat=Over quota",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = QID,
	 .want.to = "a@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "Over quota",
	 .want.enh = "4.2.2"},
	{.name = "queue id too short",
	 .line = SM "AB12CD: to=<a@example.org>, " TIMES "mailer=esmtp, "
		 "dsn=2.0.0, stat=Sent",
	 .want_result = EXTRACT_UNKNOWN},

	/* Senders and notifications. */
	{.name = "sender",
	 .line = SM QID ": from=<alice@example.com>, size=2345, class=0, "
		 "nrcpts=3, msgid=<20240506081500.ABC123@example.com>, "
		 "proto=ESMTP, daemon=MTA-v4, relay=client.example.com "
		 "[192.0.2.10]",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_SENDER,
	 .want.qid = QID, .want.from = "alice@example.com"},
	{.name = "null sender",
	 .line = SM QID ": from=<>, size=2345, class=0, nrcpts=1, "
		 "msgid=<x@example.com>, proto=ESMTP, daemon=MTA-v4, "
		 "relay=mx.example.net [203.0.113.5]",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_SENDER,
	 .want.qid = QID, .want.from = ""},
	{.name = "sender without brackets",
	 .line = HDR "sm-msp-queue[812]: 446I2BqB006001: from=root, size=812, "
		 "class=0, nrcpts=1, msgid=<y@example.com>, "
		 "relay=root@localhost",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_SENDER,
	 .want.qid = "446I2BqB006001", .want.from = "root"},
	{.name = "DSN notification",
	 .line = SM QID ": 446FF3qA004713: DSN: User unknown",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_NOTIFICATION,
	 .want.qid = QID, .want.text = "User unknown"},
	{.name = "delay warning",
	 .line = SM QID ": 446FF3qA004713: DSN: Warning: could not send "
		 "message for past 4 hours",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_NOTIFICATION,
	 .want.qid = QID,
	 .want.text = "Warning: could not send message for past 4 hours"},
	{.name = "return to sender",
	 .line = SM QID ": 446FF3qA004713: return to sender: User unknown",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_NOTIFICATION,
	 .want.qid = QID, .want.text = "User unknown"},
	{.name = "expiry notice",
	 .line = SM "446I2BqB006001: 44BE2oqB009100: DSN: Cannot send message "
		 "for 5 days",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_EXPIRED,
	 .want.qid = "446I2BqB006001",
	 .want.text = "Cannot send message for 5 days",
	 .want_more = {{EVENT_NOTIFICATION, NULL}}, .want_more_count = 1},
	/* The event output lists an expiry's codes, so its reply is found
	 * while parsing, as a failure's is. */
	{.name = "expiry with the host's reply",
	 .line = SM "446I2BqB006001: 44BE2oqB009100: DSN: delivery time "
		 "expired 452 4.2.2 mailbox full",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_EXPIRED,
	 .want.qid = "446I2BqB006001",
	 .want.text = "delivery time expired 452 4.2.2 mailbox full",
	 .want.reply_enh = "4.2.2",
	 .want_more = {{EVENT_NOTIFICATION, NULL}}, .want_more_count = 1},
	{.name = "expiry by sender notify",
	 .line = SM "446I2BqB006001: 44BE2oqB009100: sender notify: Cannot "
		 "send message for 5 days",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_EXPIRED,
	 .want.qid = "446I2BqB006001",
	 .want.text = "Cannot send message for 5 days",
	 .want_more = {{EVENT_NOTIFICATION, NULL}}, .want_more_count = 1},

	/* Inbound rejections. */
	{.name = "check_rcpt reject",
	 .line = HDR "sm-acceptingconnections[27713]: s1P819mk027713: "
		 "ruleset=check_rcpt, arg1=<h@example.net>, "
		 "relay=client.example.org [203.0.113.9], reject=" RELAY_DENIED,
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "s1P819mk027713", .want.to = "h@example.net",
	 .want.client_host = "client.example.org",
	 .want.client_addr = "203.0.113.9", .want.stage = "RCPT",
	 .want.text = RELAY_DENIED, .want.reply_code = 550,
	 .want.reply_enh = "5.7.1"},
	{.name = "reject from a forged name",
	 .line = SM "s1NLaDQT022248: ruleset=check_rcpt, arg1=<d@example.net>, "
		 "relay=int0.example.org [203.0.113.19] (may be forged), "
		 "reject=553 5.1.8 <d@example.net>... Domain of sender "
		 "address s@example.org does not exist",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "s1NLaDQT022248", .want.to = "d@example.net",
	 .want.client_host = "int0.example.org",
	 .want.client_addr = "203.0.113.19", .want.stage = "RCPT",
	 .want.text = "553 5.1.8 <d@example.net>... Domain of sender address "
		      "s@example.org does not exist",
	 .want.reply_code = 553, .want.reply_enh = "5.1.8"},
	{.name = "reject from an address only",
	 .line = SM "s1N706jo003992: ruleset=check_rcpt, arg1=<j@example.com>, "
		 "relay=[198.51.100.226], reject=450 4.4.0 <j@example.com>... "
		 "Relaying temporarily denied",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "s1N706jo003992", .want.to = "j@example.com",
	 .want.client_host = "", .want.client_addr = "198.51.100.226",
	 .want.stage = "RCPT",
	 .want.text = "450 4.4.0 <j@example.com>... Relaying temporarily "
		      "denied",
	 .want.reply_code = 450, .want.reply_enh = "4.4.0"},
	{.name = "check_mail reject",
	 .line = SM QID ": ruleset=check_mail, arg1=<s@example.net>, "
		 "relay=client.example.net [192.0.2.30], reject=553 5.1.8 "
		 "<s@example.net>... Domain of sender address s@example.net "
		 "does not exist",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = QID, .want.from = "s@example.net",
	 .want.client_host = "client.example.net",
	 .want.client_addr = "192.0.2.30", .want.stage = "MAIL",
	 .want.text = "553 5.1.8 <s@example.net>... Domain of sender address "
		      "s@example.net does not exist",
	 .want.reply_code = 553, .want.reply_enh = "5.1.8"},
	{.name = "check_relay reject without queue id",
	 .line = SM "ruleset=check_relay, arg1=host.example.com, "
		 "arg2=192.0.2.123, relay=host.example.com [192.0.2.123] "
		 "(may be forged), reject=421 4.3.2 Connection rate limit "
		 "exceeded.",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.client_host = "host.example.com",
	 .want.client_addr = "192.0.2.123", .want.stage = "CONNECT",
	 .want.text = "421 4.3.2 Connection rate limit exceeded.",
	 .want.reply_code = 421, .want.reply_enh = "4.3.2"},
	{.name = "check_relay reject without relay",
	 .line = SM "NOQUEUE: ruleset=check_relay, arg1=[192.0.2.77], "
		 "arg2=192.0.2.77, reject=554 5.7.1 Access denied",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.client_host = "",
	 .want.client_addr = "192.0.2.77", .want.stage = "CONNECT",
	 .want.text = "554 5.7.1 Access denied", .want.reply_code = 554,
	 .want.reply_enh = "5.7.1"},
	{.name = "unknown ruleset keeps its name",
	 .line = SM QID ": ruleset=check_local, arg1=<a@example.com>, "
		 "relay=[192.0.2.8], reject=550 5.7.0 No",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = QID, .want.client_host = "",
	 .want.client_addr = "192.0.2.8",
	 .want.stage = "check_local", .want.text = "550 5.7.0 No",
	 .want.reply_code = 550, .want.reply_enh = "5.7.0"},
	{.name = "milter rejects a recipient",
	 .line = SM "446JPUqD007100: Milter: to=<x@example.com>, reject=550 "
		 "5.7.1 Recipient blocked by policy",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "446JPUqD007100", .want.to = "x@example.com",
	 .want.stage = "RCPT",
	 .want.text = "550 5.7.1 Recipient blocked by policy",
	 .want.reply_code = 550, .want.reply_enh = "5.7.1"},
	{.name = "milter rejects the message",
	 .line = SM "446JPUqD007100: Milter: data, reject=554 5.7.1 Spam "
		 "message rejected",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "446JPUqD007100", .want.stage = "END-OF-MESSAGE",
	 .want.text = "554 5.7.1 Spam message rejected", .want.reply_code = 554,
	 .want.reply_enh = "5.7.1"},
	{.name = "milter rejects the connection",
	 .line = SM "NOQUEUE: Milter: connect: host=bad.example.net, "
		 "addr=203.0.113.66, reject=554 5.7.1 Blocked",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "NOQUEUE", .want.client_host = "bad.example.net",
	 .want.client_addr = "203.0.113.66", .want.stage = "CONNECT",
	 .want.text = "554 5.7.1 Blocked", .want.reply_code = 554,
	 .want.reply_enh = "5.7.1"},
	{.name = "tcpwrappers rejection",
	 .line = SM "NOQUEUE: tcpwrappers (bad.example.net, 203.0.113.66) "
		 "rejection",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.client_host = "bad.example.net",
	 .want.client_addr = "203.0.113.66", .want.stage = "CONNECT",
	 .want.text = "tcpwrappers (bad.example.net, 203.0.113.66) rejection"},
	{.name = "user error at RCPT",
	 .line = "May  6 08:15:03 <mail.notice> mx1 sm-mta[2794]: "
		 "55HIbcGI002794: "
		 "<baduser@example.com>... User unknown",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.qid = "55HIbcGI002794", .want.to = "baduser@example.com",
	 .want.stage = "RCPT", .want.text = "User unknown"},

	/* Lines with nothing to count. */
	{.name = "ruleset discard",
	 .line = SM QID ": ruleset=check_mail, arg1=<s@example.net>, "
		 "relay=[192.0.2.8], discard",
	 .want_result = EXTRACT_INFO},
	{.name = "lost input channel",
	 .line = SM "446JPUqD007100: lost input channel from bad.example.net "
		 "[203.0.113.66] to MTA after rcpt",
	 .want_result = EXTRACT_INFO},
	{.name = "did not issue MAIL",
	 .line = SM "v26LtRA0020949: host.example.org [192.0.2.194] (may be "
		 "forged) did not issue MAIL/EXPN/VRFY/ETRN during connection "
		 "to MTA",
	 .want_result = EXTRACT_INFO},
	{.name = "timeout waiting for input",
	 .line = SM QID ": timeout waiting for input from client.example.org "
		 "during server cmd read",
	 .want_result = EXTRACT_INFO},
	{.name = "AUTH server",
	 .line = SM QID ": AUTH=server, relay=client.example.com [192.0.2.10], "
		 "authid=alice, mech=PLAIN, bits=0",
	 .want_result = EXTRACT_INFO},
	{.name = "AUTH failure",
	 .line = SM "06I02CNi016764: AUTH failure (LOGIN): authentication "
		 "failure (-13) SASL(-13): authentication failure: checkpass "
		 "failed, user=user@example.com, relay=[192.0.2.3]",
	 .want_result = EXTRACT_INFO},
	{.name = "STARTTLS client",
	 .line = SM "STARTTLS=client, relay=mx.example.org., version=TLSv1.3, "
		 "verify=OK, cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
	 .want_result = EXTRACT_INFO},
	{.name = "possible SMTP attack",
	 .line = SM "s1GNXHYB005133: [192.0.2.78]: possible SMTP attack: "
		 "command=AUTH, count=5",
	 .want_result = EXTRACT_INFO},
	{.name = "EXPN rejected",
	 .line = SM "s1NKIkZa093301: [192.0.2.76]: EXPN root [rejected]",
	 .want_result = EXTRACT_INFO},
	{.name = "pre-greeting traffic",
	 .line = SM "s1R9r60D044307: rejecting commands from  [192.0.2.9] due "
		 "to pre-greeting traffic after 0 seconds",
	 .want_result = EXTRACT_INFO},
	{.name = "daemon start",
	 .line = SM "starting daemon (8.17.1.9): SMTP+queueing@00:30:00",
	 .want_result = EXTRACT_INFO},
	{.name = "no process id",
	 .line = HDR "sm-mta: " QID ": to=<a@example.org>, " TIMES
		 "mailer=esmtp, pri=30000, dsn=2.0.0, stat=Sent",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "a@example.org", .want.enh = "2.0.0"},
	{.name = "rfc3339 header",
	 .line = "2024-05-06T08:15:03.123456+02:00 mx1 sendmail[4713]: " QID
		 ": to=<a@example.org>, " TIMES "mailer=esmtp, pri=30000, "
		 MX_ORG "dsn=2.0.0, stat=Sent (ok)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = QID,
	 .want.to = "a@example.org", .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "ok",
	 .want.enh = "2.0.0"},
	{.name = "unknown message",
	 .line = SM QID ": something new happened",
	 .want_result = EXTRACT_UNKNOWN},
	{.name = "postfix sendmail is not sendmail",
	 .line = HDR "postfix/sendmail[1201]: fatal: usage error",
	 .want_result = EXTRACT_FOREIGN},
	{.name = "program with sendmail inside",
	 .line = HDR "sendmail-wrapper[1]: " QID ": to=<a@example.org>, "
		 TIMES "mailer=esmtp, dsn=2.0.0, stat=Sent",
	 .want_result = EXTRACT_FOREIGN},
};

/* check_event - every field of ev against the case */
static void
check_event(const struct extract_case *c, const struct event *ev,
	    const struct sysline *hdr)
{
	check_event_fields(c->name, ev, &c->want);
	check_int(c->name, "soft_bounce", ev->soft_bounce, false);
	check_int(c->name, "warning_only", ev->warning_only, false);
	check_int(c->name, "wall", ev->time.wall, hdr->time.wall);
}

/* check_more - the events after the first, then the end of the line */
static void
check_more(struct extractor *x, const struct extract_case *c,
	   const struct sysline *hdr, const struct event *first)
{
	struct extract_line line = {0};
	struct event ev;
	size_t got = 0;
	char what[32];

	line.text = hdr->message.ptr;
	line.len = hdr->message.len;
	line.hdr = hdr;
	line.has_time = true;
	line.time = hdr->time;
	while (extractor_more(x, &line, &ev)) {
		snprintf(what, sizeof what, "event %zu", got + 2);
		if (got < c->want_more_count) {
			const struct more_event *w = &c->want_more[got];

			check_str(c->name, what, type_names[ev.type],
				  type_names[w->type]);
			if (w->type == EVENT_DELIVERY) {
				check_span(c->name, what, ev.recipient, w->to);
				check_int(c->name, "same status", ev.status,
					  first->status);
			}
			check_span(c->name, "same queue id", ev.queue_id,
				   c->want.qid);
			check_span(c->name, "same text", ev.text, c->want.text);
			check_int(c->name, "same wall", ev.time.wall,
				  hdr->time.wall);
		}
		if (++got > MORE_MAX)
			break;
	}
	check_int(c->name, "events after the first", (long long)got,
		  (long long)c->want_more_count);
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

		extractor_reset(x);
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
		if (got == EXTRACT_EVENT && c->want_result == EXTRACT_EVENT) {
			check_event(c, &ev, &hdr);
			check_more(x, c, &hdr, &ev);
		}
		free(line);
	}
	finish_cases();
}

/* Lines of an expired message.  QID2 is another message. */
#define QID2 "446FF1qA004712"
#define EXPIRED_RCPT(qid)                                                    \
	SM qid ": to=<a@example.org>, delay=5+00:00:39, mailer=esmtp, "      \
	"pri=9630812, dsn=4.4.7, stat=Cannot send message for 5 days"
#define DEFERRED_RCPT(qid)                                                   \
	SM qid ": to=<a@example.org>, " TIMES "mailer=esmtp, pri=30000, "    \
	MX_ORG "dsn=4.0.0, stat=Deferred: Connection refused"
#define NOTICE(qid, kind)                                                    \
	SM qid ": 446FF1qB004800: " kind ": Cannot send message for 5 days"

/* Maximum number of lines in a sequence and of events from one line. */
#define SEQ_LINES 3
#define SEQ_EVENTS 2

/* One line of a sequence and the types of the events it gives. */
struct seq_line {
	const char *line;
	size_t want_count;
	enum event_type want[SEQ_EVENTS];
};

struct seq_case {
	const char *name;
	struct seq_line lines[SEQ_LINES];	/* ends at a NULL line */
};

static const struct seq_case seq_cases[] = {
	{"expired recipient, then its notice",
	 {{EXPIRED_RCPT(QID), 1, {EVENT_DELIVERY}},
	  {NOTICE(QID, "DSN"), 1, {EVENT_NOTIFICATION}}}},
	{"two recipients, then the notice",
	 {{EXPIRED_RCPT(QID), 1, {EVENT_DELIVERY}},
	  {EXPIRED_RCPT(QID), 1, {EVENT_DELIVERY}},
	  {NOTICE(QID, "DSN"), 1, {EVENT_NOTIFICATION}}}},
	{"notice, then a copy to the postmaster",
	 {{NOTICE(QID, "DSN"), 2, {EVENT_EXPIRED, EVENT_NOTIFICATION}},
	  {NOTICE(QID, "postmaster notify"), 1, {EVENT_NOTIFICATION}}}},
	{"deferred recipient, then the notice",
	 {{DEFERRED_RCPT(QID), 1, {EVENT_DELIVERY}},
	  {NOTICE(QID, "DSN"), 2, {EVENT_EXPIRED, EVENT_NOTIFICATION}}}},
	{"expired recipient of another message",
	 {{EXPIRED_RCPT(QID), 1, {EVENT_DELIVERY}},
	  {NOTICE(QID2, "DSN"), 2, {EVENT_EXPIRED, EVENT_NOTIFICATION}}}},
};

/* classify_seq_line - one line of a sequence against its events */
static void
classify_seq_line(struct extractor *x, const char *name,
		  const struct seq_line *want)
{
	const struct sysline_year ref = {2026, 12, 0};
	struct extract_line in = {0};
	struct sysline hdr;
	struct event ev;
	size_t got = 0;
	char what[32];

	if (!sysline_parse(want->line, strlen(want->line), &ref, &hdr)) {
		note_mismatch("%s: header: got a parse failure, want a header",
			      name);
		return;
	}
	in.hdr = &hdr;
	if (extractor_line(x, &hdr, &ev) == EXTRACT_EVENT) {
		do {
			snprintf(what, sizeof what, "event %zu", got + 1);
			if (got < want->want_count)
				check_str(name, what, type_names[ev.type],
					  type_names[want->want[got]]);
			got++;
		} while (got <= SEQ_EVENTS && extractor_more(x, &in, &ev));
	}
	check_int(name, "events", (long long)got, (long long)want->want_count);
}

/* An expiry logged per recipient and again by the notice, or by two
 * notices, is counted once; each notice is still a notification. */
static void
test_expiry_counted_once(void **state)
{
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(seq_cases); i++) {
		const struct seq_case *c = &seq_cases[i];

		extractor_reset(x);
		for (size_t k = 0; k < SEQ_LINES && c->lines[k].line; k++) {
			char name[96];

			snprintf(name, sizeof name, "%s, line %zu", c->name,
				 k + 1);
			classify_seq_line(x, name, &c->lines[k]);
		}
	}
	finish_cases();
}

/* A new input starts without the expired queue ids of the last one. */
static void
test_expiry_new_input(void **state)
{
	static const struct seq_line first = {EXPIRED_RCPT(QID), 1,
					      {EVENT_DELIVERY}};
	static const struct seq_line notice = {
		NOTICE(QID, "DSN"), 2, {EVENT_EXPIRED, EVENT_NOTIFICATION}};
	struct extractor *x = *state;

	extractor_reset(x);
	classify_seq_line(x, "new input, line 1", &first);
	extractor_reset(x);
	classify_seq_line(x, "new input, line 2", &notice);
	finish_cases();
}

/* A long line without stat= fails the delivery rule in linear time, so
 * it is unknown, not cut off at a PCRE2 limit. */
static void
test_long_line_without_stat(void **state)
{
	struct extractor *x = *state;
	const struct sysline_year ref = {2026, 12, 0};
	static const char head[] = SM QID ": to=<a@example.net>";
	static const char field[] = ", a=b";
	size_t repeat = 30000;
	size_t len = strlen(head) + repeat * strlen(field);
	char *line = malloc(len);
	struct sysline hdr;
	struct event ev;
	size_t pos = strlen(head);

	assert_non_null(line);
	memcpy(line, head, pos);
	for (size_t i = 0; i < repeat; i++, pos += strlen(field))
		memcpy(line + pos, field, strlen(field));
	assert_true(sysline_parse(line, len, &ref, &hdr));
	assert_int_equal(extractor_line(x, &hdr, &ev), EXTRACT_UNKNOWN);
	free(line);
}

/* A line with no more events must not repeat the previous line's. */
static void
test_more_after_info(void **state)
{
	struct extractor *x = *state;
	const struct sysline_year ref = {2026, 12, 0};
	static const char *const lines[] = {
		SM QID ": to=<a@example.org>,<b@example.org>, " TIMES
		"mailer=esmtp, pri=1, dsn=2.0.0, stat=Sent",
		SM QID ": lost input channel from x.example.org [192.0.2.1] "
		"to MTA after rcpt",
	};
	struct extract_line line = {0};
	struct sysline hdr;
	struct event ev;

	assert_true(sysline_parse(lines[0], strlen(lines[0]), &ref, &hdr));
	assert_int_equal(extractor_line(x, &hdr, &ev), EXTRACT_EVENT);
	assert_true(sysline_parse(lines[1], strlen(lines[1]), &ref, &hdr));
	assert_int_equal(extractor_line(x, &hdr, &ev), EXTRACT_INFO);
	line.hdr = &hdr;
	assert_false(extractor_more(x, &line, &ev));
}

static void
test_extractor_registry(void **state)
{
	struct extractor *x = *state;

	assert_non_null(extractor_find("sendmail"));
	assert_null(extractor_find("Sendmail"));
	assert_string_equal(extractor_name(x), "sendmail");
}

static int
setup_extractor(void **state)
{
	return setup_named_extractor(state, "sendmail");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_extract_cases,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_expiry_counted_once,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_expiry_new_input,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_long_line_without_stat,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_more_after_info,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_extractor_registry,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("extract_sendmail", tests, ARRAY_LEN(tests));
}
