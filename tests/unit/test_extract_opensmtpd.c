/* SPDX-License-Identifier: MIT */
/*
 * test_extract_opensmtpd.c - unit tests of the OpenSMTPD extractor
 *
 * Each case is a whole log line.  It is parsed with sysline_parse() and
 * classified by the extractor on the built-in patterns, and every field
 * of the resulting event is compared.  A field that a case leaves out
 * must be absent.  Further tests join rejections to their session's
 * client, and check that the router gives "smtpd" to OpenSMTPD and
 * "postfix/smtpd" to Postfix.  meson runs this program once more under
 * tr_TR.UTF-8.
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
#include "bouncelog/route.h"
#include "bouncelog/sysline.h"
#include "check.h"
#include "extract_check.h"

#define HDR "May  6 08:15:03 mx1 "
#define OS HDR "smtpd[3101]: "
#define SID "7a1c0e61aa55bb66"
#define EVP "4f2a9c11a0b1c2d3"
#define MTA OS SID " mta delivery evpid=" EVP " "
#define MDA OS "7a1c0f9988776655 mda delivery evpid=" EVP " "
#define ORG_RELAY "source=\"192.0.2.5\" relay=\"198.51.100.7 (mx.example.org)\""

#define USER_UNKNOWN                                                         \
	"550 5.1.1 <nobody@example.org>: Recipient address rejected: User "   \
	"unknown in virtual mailbox table"
#define GREYLISTED                                                           \
	"451 4.7.1 <carol@example.net>: Recipient address rejected: "         \
	"Greylisted"

struct extract_case {
	const char *name;
	const char *line;
	enum extract_result want_result;
	/* The fields below are compared only for EXTRACT_EVENT. */
	struct event_want want;
};

static const struct extract_case extract_cases[] = {
	/* SMTP relay results. */
	{.name = "mta sent",
	 .line = MTA "from=<alice@example.com> to=<bob@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Ok\" stat=\"250 2.0.0 Ok: "
		 "queued as 9F2E1C0042\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = EVP,
	 .want.to = "bob@example.org", .want.from = "alice@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "mta bounced",
	 .line = MTA "from=<alice@example.com> to=<nobody@example.org> "
		 "rcpt=<-> " ORG_RELAY " delay=2s result=\"PermFail\" "
		 "stat=\"" USER_UNKNOWN "\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "nobody@example.org", .want.from = "alice@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = USER_UNKNOWN,
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "mta deferred",
	 .line = MTA "from=<bob@example.com> to=<carol@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"TempFail\" stat=\"" GREYLISTED "\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = EVP,
	 .want.to = "carol@example.net", .want.from = "bob@example.com",
	 .want.remote_host = "mx.example.net",
	 .want.remote_addr = "203.0.113.5", .want.text = GREYLISTED,
	 .want.reply_code = 451, .want.reply_enh = "4.7.1"},
	{.name = "mta loop",
	 .line = MTA "from=<bob@example.com> to=<list@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"PermFail\" stat=\"Loop detected\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "list@example.net", .want.from = "bob@example.com",
	 .want.remote_host = "mx.example.net",
	 .want.remote_addr = "203.0.113.5", .want.text = "Loop detected"},
	{.name = "result Loop marks its text",
	 .line = MTA "from=<bob@example.com> to=<list@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"Loop\" stat=\"\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "list@example.net", .want.from = "bob@example.com",
	 .want.remote_host = "mx.example.net",
	 .want.remote_addr = "203.0.113.5", .want.text = "Loop"},
	{.name = "relay without a name",
	 .line = MTA "from=<> to=<bob@example.org> rcpt=<alias@example.com> "
		 "source=\"-\" relay=\"198.51.100.9 (<unknown>)\" delay=3s "
		 "result=\"TempFail\" stat=\"Connection refused\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = EVP,
	 .want.to = "bob@example.org", .want.orig_to = "alias@example.com",
	 .want.from = "", .want.remote_host = "198.51.100.9",
	 .want.remote_addr = "198.51.100.9", .want.text = "Connection refused"},
	{.name = "trailing blanks after stat",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Ok\" stat=\"250 2.0.0 OK\"   ",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = EVP,
	 .want.to = "b@example.org", .want.from = "a@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7", .want.text = "250 2.0.0 OK",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "stat without closing quote",
	 .line = MTA "from=<alice@example.com> to=<nobody@example.org> "
		 "rcpt=<-> " ORG_RELAY " delay=2s result=\"PermFail\" "
		 "stat=\"550 5.1.1 <nobody@example.org>: Recipient address "
		 "rejected: User unknown in virt",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "nobody@example.org", .want.from = "alice@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "550 5.1.1 <nobody@example.org>: Recipient address "
		      "rejected: User unknown in virt",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "stat of a lone quote",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"TempFail\" stat=\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = EVP,
	 .want.to = "b@example.org", .want.from = "a@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7"},
	{.name = "relay without closing quote",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 "relay=\"198.51.100.7 (mx.example.org) delay=2s "
		 "result=PermFail stat=550 5.1.1 User unknown",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "b@example.org", .want.from = "a@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "550 5.1.1 User unknown", .want.reply_code = 550,
	 .want.reply_enh = "5.1.1"},
	{.name = "unknown result word",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Bounce\" stat=\"x\"",
	 .want_result = EXTRACT_UNKNOWN},

	/* Local delivery. */
	{.name = "mda delivered",
	 .line = MDA "from=<dave@example.net> to=<alice@example.com> "
		 "rcpt=<alice@example.com> user=alice delay=0s result=Ok "
		 "stat=Delivered",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = EVP,
	 .want.to = "alice@example.com", .want.from = "dave@example.net",
	 .want.remote_host = "mda", .want.text = "Delivered"},
	{.name = "mda deferred",
	 .line = MDA "from=<dave@example.net> to=<erin@example.com> "
		 "rcpt=<info@example.com> user=erin delay=0s result=TempFail "
		 "stat=Error (\"dovecot-lda\" exited with status: 75)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = EVP,
	 .want.to = "erin@example.com", .want.orig_to = "info@example.com",
	 .want.from = "dave@example.net", .want.remote_host = "mda",
	 .want.text = "Error (\"dovecot-lda\" exited with status: 75)"},
	{.name = "mda bounced without rcpt",
	 .line = MDA "from=<> to=<bob@example.com> user=bob delay=1s "
		 "result=PermFail stat=Permanent failure in user lookup",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_BOUNCED, .want.qid = EVP,
	 .want.to = "bob@example.com", .want.from = "",
	 .want.remote_host = "mda",
	 .want.text = "Permanent failure in user lookup"},

	/* The format before 6.4. */
	{.name = "old relay sent",
	 .line = OS "relay: Ok for " EVP ": session=" SID ", "
		 "from=<alice@example.com>, to=<bob@example.org>, rcpt=<->, "
		 "source=192.0.2.5, relay=mx.example.org [198.51.100.7], "
		 "delay=2s, stat=250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_SENT, .want.qid = EVP,
	 .want.to = "bob@example.org", .want.from = "alice@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want.reply_code = 250, .want.reply_enh = "2.0.0"},
	{.name = "old relay without comma before delay",
	 .line = OS "relay: TempFail for " EVP ": from=<alice@example.com>, "
		 "to=<bob@example.org>, relay=mx.example.org [198.51.100.7] "
		 "delay=2s, stat=421 4.7.0 Try again later",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = EVP,
	 .want.to = "bob@example.org", .want.from = "alice@example.com",
	 .want.remote_host = "mx.example.org",
	 .want.remote_addr = "198.51.100.7",
	 .want.text = "421 4.7.0 Try again later", .want.reply_code = 421,
	 .want.reply_enh = "4.7.0"},
	{.name = "old expiry",
	 .line = OS "relay: Expire for 84e6f01c55ee66ff: from=<bob@example.com>"
		 ", to=<frank@example.net>, rcpt=<->, delay=4d, stat=Envelope "
		 "expired",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_EXPIRED, .want.qid = "84e6f01c55ee66ff",
	 .want.to = "frank@example.net", .want.from = "bob@example.com",
	 .want.text = "Envelope expired"},
	{.name = "removed by the administrator",
	 .line = OS "relay: Remove for 84e6f01c55ee66ff: from=<bob@example.com>"
		 ", to=<frank@example.net>, rcpt=<->, delay=2d, stat=Removed "
		 "by administrator",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REMOVED,
	 .want.qid = "84e6f01c55ee66ff"},
	{.name = "old local delivery",
	 .line = OS "delivery: TempFail for 73d5f90b44dd55ee: "
		 "from=<dave@example.net>, to=<erin@example.com>, user=erin, "
		 "method=mbox, delay=0s, stat=Error (mailbox full)",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_DELIVERY,
	 .want.status = STATUS_DEFERRED, .want.qid = "73d5f90b44dd55ee",
	 .want.to = "erin@example.com", .want.from = "dave@example.net",
	 .want.remote_host = "mbox", .want.text = "Error (mailbox full)"},

	/* Inbound rejections, without a known session. */
	{.name = "rejected recipient",
	 .line = OS SID " smtp failed-command command=\"RCPT "
		 "TO:<ghost@example.com>\" result=\"550 Invalid recipient: "
		 "<ghost@example.com>\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.to = "ghost@example.com", .want.stage = "RCPT",
	 .want.text = "550 Invalid recipient: <ghost@example.com>",
	 .want.reply_code = 550},
	{.name = "rejection without closing quote",
	 .line = OS SID " smtp failed-command command=\"RCPT "
		 "TO:<ghost@example.com>\" result=\"550 5.1.1 Invalid "
		 "recipient: <ghost@exa  ",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.to = "ghost@example.com", .want.stage = "RCPT",
	 .want.text = "550 5.1.1 Invalid recipient: <ghost@exa",
	 .want.reply_code = 550, .want.reply_enh = "5.1.1"},
	{.name = "rejected sender",
	 .line = OS SID " smtp failed-command command=\"MAIL "
		 "FROM:<s@example.net> SIZE=1024\" result=\"553 5.1.8 Sender "
		 "domain does not exist\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.from = "s@example.net", .want.stage = "MAIL",
	 .want.text = "553 5.1.8 Sender domain does not exist",
	 .want.reply_code = 553, .want.reply_enh = "5.1.8"},
	{.name = "filter rejects at connect",
	 .line = OS SID " smtp failed-command command=\"\" result=\"550 no "
		 "rDNS please fix\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.stage = "CONNECT", .want.text = "550 no rDNS please fix",
	 .want.reply_code = 550},
	{.name = "greylisted at DATA",
	 .line = OS SID " smtp failed-command command=\"DATA\" result=\"451 "
		 "Try again later\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.stage = "DATA", .want.text = "451 Try again later",
	 .want.reply_code = 451},
	{.name = "rejected at end of message",
	 .line = OS SID " smtp failed-command command=\".\" result=\"554 5.7.1 "
		 "Message rejected as spam\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.stage = "END-OF-MESSAGE",
	 .want.text = "554 5.7.1 Message rejected as spam",
	 .want.reply_code = 554, .want.reply_enh = "5.7.1"},
	{.name = "lower-case command",
	 .line = OS SID " smtp failed-command command=\"rcpt "
		 "to:<x@example.com> \" result=\"550 Invalid recipient\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.to = "x@example.com", .want.stage = "RCPT",
	 .want.text = "550 Invalid recipient", .want.reply_code = 550},
	{.name = "event= form",
	 .line = OS SID " smtp event=failed-command command=\"HELO x\" "
		 "result=\"501 5.5.4 Invalid domain name\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.stage = "HELO", .want.text = "501 5.5.4 Invalid domain name",
	 .want.reply_code = 501, .want.reply_enh = "5.5.4"},
	{.name = "unknown command keeps its word",
	 .line = OS SID " smtp failed-command command=\"XCLIENT a\" "
		 "result=\"500 5.5.1 Invalid command\"",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.stage = "XCLIENT", .want.text = "500 5.5.1 Invalid command",
	 .want.reply_code = 500, .want.reply_enh = "5.5.1"},
	{.name = "failed AUTH is not a rejection",
	 .line = OS SID " smtp failed-command command=\"AUTH LOGIN\" "
		 "result=\"503 5.5.1 Invalid command: Command not supported\"",
	 .want_result = EXTRACT_INFO},
	{.name = "old failed command",
	 .line = OS "smtp-in: Failed command on session 1f55bdcdf16e28a3: "
		 "\"MAIL FROM:<root@example.com>  \" => 421 4.3.0: Temporary "
		 "Error",
	 .want_result = EXTRACT_EVENT, .want.type = EVENT_REJECT,
	 .want.from = "root@example.com", .want.stage = "MAIL",
	 .want.text = "421 4.3.0: Temporary Error", .want.reply_code = 421,
	 .want.reply_enh = "4.3.0"},

	/* Lines with nothing to count. */
	{.name = "smtp connected",
	 .line = OS SID " smtp connected address=192.0.2.10 "
		 "host=client.example.com",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp tls",
	 .line = OS SID " smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp message",
	 .line = OS SID " smtp message msgid=4f2a9c11 size=2345 nrcpt=2 "
		 "proto=ESMTP",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp envelope",
	 .line = OS SID " smtp envelope evpid=" EVP " from=<a@example.com> "
		 "to=<b@example.org>",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp authentication",
	 .line = OS SID " smtp authentication user=bar result=permfail",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp bad-input",
	 .line = OS SID " smtp bad-input result=\"500 5.5.1 Invalid command: "
		 "Pipelining not supported\"",
	 .want_result = EXTRACT_INFO},
	{.name = "smtp disconnected",
	 .line = OS SID " smtp disconnected reason=quit",
	 .want_result = EXTRACT_INFO},
	{.name = "mta connecting",
	 .line = OS SID " mta connecting address=smtp://198.51.100.7:25 "
		 "host=mx.example.org",
	 .want_result = EXTRACT_INFO},
	{.name = "mta disconnected",
	 .line = OS SID " mta disconnected reason=quit messages=1",
	 .want_result = EXTRACT_INFO},
	{.name = "mta error",
	 .line = OS SID " mta error reason=Connection refused",
	 .want_result = EXTRACT_INFO},
	{.name = "no MX found",
	 .line = OS "smtp-out: No MX found for [connector:[]->[relay:"
		 "example.net,smtp],0x0]",
	 .want_result = EXTRACT_INFO},
	{.name = "start",
	 .line = OS "info: OpenSMTPD 6.8.0p2 starting",
	 .want_result = EXTRACT_INFO},
	{.name = "old accepted message",
	 .line = OS "smtp-in: Accepted message 4296f490 on session "
		 "08d856b172f69c5c: from=<root@example.com>, "
		 "to=<ddp@example.com>, size=1746, ndest=1, proto=ESMTP",
	 .want_result = EXTRACT_INFO},
	{.name = "unknown session event",
	 .line = OS SID " smtp weird-event x=y",
	 .want_result = EXTRACT_UNKNOWN},
	{.name = "postfix smtpd is not OpenSMTPD",
	 .line = HDR "postfix/smtpd[4001]: connect from unknown[192.0.2.10]",
	 .want_result = EXTRACT_FOREIGN},
	{.name = "program with smtpd inside",
	 .line = HDR "smtpd-filter[4001]: " SID " smtp connected "
		 "address=192.0.2.10 host=client.example.com",
	 .want_result = EXTRACT_FOREIGN},
};

/* check_event - every field of ev against the case */
static void
check_event(const struct extract_case *c, const struct event *ev,
	    const struct sysline *hdr)
{
	check_event_fields(c->name, ev, &c->want);
	check_int(c->name, "wall", ev->time.wall, hdr->time.wall);
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
		check_str(c->name, "result", result_names[got],
			  result_names[c->want_result]);
		if (got == EXTRACT_EVENT && c->want_result == EXTRACT_EVENT)
			check_event(c, &ev, &hdr);
		free(line);
	}
	finish_cases();
}

/* One step of a session: a line, and the client its rejection names. */
struct session_step {
	const char *line;
	enum extract_result want_result;
	const char *want_client_host;	/* for rejections */
	const char *want_client_addr;
};

#define S1 "5df87c903d709659"
#define S2 "5df87c972116a049"
#define S3 "08d856b172f69c5c"
#define FAILED(sid)                                                          \
	OS sid " smtp failed-command command=\"RCPT TO:<x@example.com>\" "    \
	       "result=\"550 Invalid recipient\""

static const struct session_step session_steps[] = {
	{OS S1 " smtp connected address=192.0.2.10 host=client.example.com",
	 EXTRACT_INFO, NULL, NULL},
	{OS S2 " smtp connected address=203.0.113.66 host=<unknown>",
	 EXTRACT_INFO, NULL, NULL},
	{FAILED(S1), EXTRACT_EVENT, "client.example.com", "192.0.2.10"},
	{FAILED(S2), EXTRACT_EVENT, "", "203.0.113.66"},
	{OS S1 " smtp disconnected reason=quit", EXTRACT_INFO, NULL, NULL},
	{FAILED(S1), EXTRACT_EVENT, NULL, NULL},
	{OS "smtp-in: New session " S3 " from host old.example.org "
	    "[192.0.2.44]",
	 EXTRACT_INFO, NULL, NULL},
	{OS "smtp-in: Failed command on session " S3 ": \"RCPT "
	    "TO:<x@example.com>\" => 550 Invalid recipient",
	 EXTRACT_EVENT, "old.example.org", "192.0.2.44"},
	{OS "smtp-in: Closing session " S3, EXTRACT_INFO, NULL, NULL},
	{FAILED(S3), EXTRACT_EVENT, NULL, NULL},
};

static void
test_session_join(void **state)
{
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(session_steps); i++) {
		const struct session_step *s = &session_steps[i];
		struct sysline hdr;
		struct event ev;
		enum extract_result got;
		char name[32];

		snprintf(name, sizeof name, "step %zu", i + 1);
		got = classify_sysline(x, s->line, strlen(s->line), &hdr, &ev);
		check_str(name, "result", result_names[got],
			  result_names[s->want_result]);
		if (got != EXTRACT_EVENT)
			continue;
		check_span(name, "client host", ev.client_host,
			   s->want_client_host);
		check_span(name, "client addr", ev.client_addr,
			   s->want_client_addr);
	}

	/* A new input drops the sessions of the previous one. */
	{
		struct sysline hdr;
		struct event ev;

		check_str("reset", "result",
			  result_names[classify_sysline(x, FAILED(S2),
							strlen(FAILED(S2)),
							&hdr, &ev)],
			  "EVENT");
		check_span("before reset", "client addr", ev.client_addr,
			   "203.0.113.66");
		extractor_reset(x);
		check_str("reset", "result",
			  result_names[classify_sysline(x, FAILED(S2),
							strlen(FAILED(S2)),
							&hdr, &ev)],
			  "EVENT");
		check_span("after reset", "client addr", ev.client_addr, NULL);
	}
	finish_cases();
}

/* Program names that look alike must reach the right format. */
static void
test_program_routing(void **state)
{
	static const struct {
		const char *line;
		const char *want_format;	/* NULL: another program */
	} cases[] = {
		{HDR "postfix/smtpd[4001]: connect from x.example.org"
		     "[192.0.2.1]", "postfix"},
		{HDR "postfix/submission/smtpd[4001]: connect from "
		     "x.example.org[192.0.2.1]", "postfix"},
		{OS SID " smtp connected address=192.0.2.1 host=x.example.org",
		 "opensmtpd"},
		{HDR "smtpd: " SID " smtp disconnected reason=quit",
		 "opensmtpd"},
		{HDR "sm-mta[4713]: starting daemon (8.17.1.9): SMTP",
		 "sendmail"},
		{HDR "sendmail[4713]: starting daemon (8.15.2): SMTP",
		 "sendmail"},
		{HDR "sm-msp-queue[812]: starting daemon (8.17.1.9): "
		     "queueing@00:30:00", "sendmail"},
		{HDR "postfix/sendmail[1201]: fatal: usage error", "postfix"},
		{HDR "dovecot: imap-login: Login: user=<a@example.com>", NULL},
		{HDR "smtpd-filter[1]: something", NULL},
	};
	const struct sysline_year ref = {2026, 12, 0};
	struct router *r = router_open("auto", NULL);

	(void)state;
	assert_non_null(r);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct route_result res;
		struct event ev;
		const char *got;

		router_line(r, cases[i].line, strlen(cases[i].line), &ref, &ev,
			    &res);
		got = NULL;
		if (res.format >= 0)
			got = router_format_name(r, (size_t)res.format);
		check_str(cases[i].line, "format", got, cases[i].want_format);
		check_int(cases[i].line, "recognized",
			  res.result == EXTRACT_INFO ||
				  res.result == EXTRACT_EVENT,
			  cases[i].want_format != NULL);
	}
	router_close(r);
	finish_cases();
}

static void
test_extractor_registry(void **state)
{
	struct extractor *x = *state;

	assert_non_null(extractor_find("opensmtpd"));
	assert_null(extractor_find("OpenSMTPD"));
	assert_string_equal(extractor_name(x), "opensmtpd");
}

static int
setup_extractor(void **state)
{
	return setup_named_extractor(state, "opensmtpd");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_extract_cases,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_session_join,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_program_routing),
		cmocka_unit_test_setup_teardown(test_extractor_registry,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("extract_opensmtpd", tests, ARRAY_LEN(tests));
}
