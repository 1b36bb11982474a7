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

/* format_code - "C.S.D", or "none" for an absent code */
static const char *
format_code(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	if (!enh_status_present(st))
		return "none";
	return status_format_enhanced(st, buf);
}

static const char *const result_names[] = {
	[EXTRACT_NO_HEADER] = "NO_HEADER",
	[EXTRACT_FOREIGN] = "FOREIGN",
	[EXTRACT_UNKNOWN] = "UNKNOWN",
	[EXTRACT_LIMIT] = "LIMIT",
	[EXTRACT_INFO] = "INFO",
	[EXTRACT_EVENT] = "EVENT",
};

static const char *const type_names[] = {
	[EVENT_DELIVERY] = "DELIVERY",
	[EVENT_REJECT] = "REJECT",
	[EVENT_SENDER] = "SENDER",
	[EVENT_EXPIRED] = "EXPIRED",
	[EVENT_REMOVED] = "REMOVED",
	[EVENT_NOTIFICATION] = "NOTIFICATION",
};

static const char *const status_names[] = {
	[STATUS_SENT] = "SENT",
	[STATUS_FORWARDED] = "FORWARDED",
	[STATUS_DEFERRED] = "DEFERRED",
	[STATUS_BOUNCED] = "BOUNCED",
	[STATUS_EXPIRED] = "EXPIRED",
	[STATUS_PROBE_OK] = "PROBE_OK",
	[STATUS_PROBE_FAIL] = "PROBE_FAIL",
};

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
	enum event_type want_type;
	enum delivery_status want_status;	/* EVENT_DELIVERY only */
	const char *want_qid;		/* NULL: absent, for every span */
	const char *want_to;
	const char *want_orig_to;
	const char *want_from;
	const char *want_remote_host;
	const char *want_remote_addr;
	const char *want_stage;
	const char *want_text;
	int want_reply_code;
	const char *want_reply_enh;	/* NULL or "none" when absent */
};

static const struct extract_case extract_cases[] = {
	/* SMTP relay results. */
	{.name = "mta sent",
	 .line = MTA "from=<alice@example.com> to=<bob@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Ok\" stat=\"250 2.0.0 Ok: "
		 "queued as 9F2E1C0042\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = EVP,
	 .want_to = "bob@example.org", .want_from = "alice@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0"},
	{.name = "mta bounced",
	 .line = MTA "from=<alice@example.com> to=<nobody@example.org> "
		 "rcpt=<-> " ORG_RELAY " delay=2s result=\"PermFail\" "
		 "stat=\"" USER_UNKNOWN "\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "nobody@example.org", .want_from = "alice@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1"},
	{.name = "mta deferred",
	 .line = MTA "from=<bob@example.com> to=<carol@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"TempFail\" stat=\"" GREYLISTED "\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = EVP,
	 .want_to = "carol@example.net", .want_from = "bob@example.com",
	 .want_remote_host = "mx.example.net",
	 .want_remote_addr = "203.0.113.5", .want_text = GREYLISTED,
	 .want_reply_code = 451, .want_reply_enh = "4.7.1"},
	{.name = "mta loop",
	 .line = MTA "from=<bob@example.com> to=<list@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"PermFail\" stat=\"Loop detected\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "list@example.net", .want_from = "bob@example.com",
	 .want_remote_host = "mx.example.net",
	 .want_remote_addr = "203.0.113.5", .want_text = "Loop detected"},
	{.name = "result Loop marks its text",
	 .line = MTA "from=<bob@example.com> to=<list@example.net> rcpt=<-> "
		 "source=\"192.0.2.5\" relay=\"203.0.113.5 (mx.example.net)\" "
		 "delay=1s result=\"Loop\" stat=\"\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "list@example.net", .want_from = "bob@example.com",
	 .want_remote_host = "mx.example.net",
	 .want_remote_addr = "203.0.113.5", .want_text = "Loop"},
	{.name = "relay without a name",
	 .line = MTA "from=<> to=<bob@example.org> rcpt=<alias@example.com> "
		 "source=\"-\" relay=\"198.51.100.9 (<unknown>)\" delay=3s "
		 "result=\"TempFail\" stat=\"Connection refused\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = EVP,
	 .want_to = "bob@example.org", .want_orig_to = "alias@example.com",
	 .want_from = "", .want_remote_host = "198.51.100.9",
	 .want_remote_addr = "198.51.100.9", .want_text = "Connection refused"},
	{.name = "trailing blanks after stat",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Ok\" stat=\"250 2.0.0 OK\"   ",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = EVP,
	 .want_to = "b@example.org", .want_from = "a@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = "250 2.0.0 OK",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0"},
	{.name = "stat without closing quote",
	 .line = MTA "from=<alice@example.com> to=<nobody@example.org> "
		 "rcpt=<-> " ORG_RELAY " delay=2s result=\"PermFail\" "
		 "stat=\"550 5.1.1 <nobody@example.org>: Recipient address "
		 "rejected: User unknown in virt",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "nobody@example.org", .want_from = "alice@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "550 5.1.1 <nobody@example.org>: Recipient address "
		      "rejected: User unknown in virt",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1"},
	{.name = "stat of a lone quote",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"TempFail\" stat=\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = EVP,
	 .want_to = "b@example.org", .want_from = "a@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7"},
	{.name = "relay without closing quote",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 "relay=\"198.51.100.7 (mx.example.org) delay=2s "
		 "result=PermFail stat=550 5.1.1 User unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "b@example.org", .want_from = "a@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "550 5.1.1 User unknown", .want_reply_code = 550,
	 .want_reply_enh = "5.1.1"},
	{.name = "unknown result word",
	 .line = MTA "from=<a@example.com> to=<b@example.org> rcpt=<-> "
		 ORG_RELAY " delay=2s result=\"Bounce\" stat=\"x\"",
	 .want_result = EXTRACT_UNKNOWN},

	/* Local delivery. */
	{.name = "mda delivered",
	 .line = MDA "from=<dave@example.net> to=<alice@example.com> "
		 "rcpt=<alice@example.com> user=alice delay=0s result=Ok "
		 "stat=Delivered",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = EVP,
	 .want_to = "alice@example.com", .want_from = "dave@example.net",
	 .want_remote_host = "mda", .want_text = "Delivered"},
	{.name = "mda deferred",
	 .line = MDA "from=<dave@example.net> to=<erin@example.com> "
		 "rcpt=<info@example.com> user=erin delay=0s result=TempFail "
		 "stat=Error (\"dovecot-lda\" exited with status: 75)",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = EVP,
	 .want_to = "erin@example.com", .want_orig_to = "info@example.com",
	 .want_from = "dave@example.net", .want_remote_host = "mda",
	 .want_text = "Error (\"dovecot-lda\" exited with status: 75)"},
	{.name = "mda bounced without rcpt",
	 .line = MDA "from=<> to=<bob@example.com> user=bob delay=1s "
		 "result=PermFail stat=Permanent failure in user lookup",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = EVP,
	 .want_to = "bob@example.com", .want_from = "",
	 .want_remote_host = "mda",
	 .want_text = "Permanent failure in user lookup"},

	/* The format before 6.4. */
	{.name = "old relay sent",
	 .line = OS "relay: Ok for " EVP ": session=" SID ", "
		 "from=<alice@example.com>, to=<bob@example.org>, rcpt=<->, "
		 "source=192.0.2.5, relay=mx.example.org [198.51.100.7], "
		 "delay=2s, stat=250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = EVP,
	 .want_to = "bob@example.org", .want_from = "alice@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "250 2.0.0 Ok: queued as 9F2E1C0042",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0"},
	{.name = "old relay without comma before delay",
	 .line = OS "relay: TempFail for " EVP ": from=<alice@example.com>, "
		 "to=<bob@example.org>, relay=mx.example.org [198.51.100.7] "
		 "delay=2s, stat=421 4.7.0 Try again later",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = EVP,
	 .want_to = "bob@example.org", .want_from = "alice@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "421 4.7.0 Try again later", .want_reply_code = 421,
	 .want_reply_enh = "4.7.0"},
	{.name = "old expiry",
	 .line = OS "relay: Expire for 84e6f01c55ee66ff: from=<bob@example.com>"
		 ", to=<frank@example.net>, rcpt=<->, delay=4d, stat=Envelope "
		 "expired",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_EXPIRED, .want_qid = "84e6f01c55ee66ff",
	 .want_to = "frank@example.net", .want_from = "bob@example.com",
	 .want_text = "Envelope expired"},
	{.name = "removed by the administrator",
	 .line = OS "relay: Remove for 84e6f01c55ee66ff: from=<bob@example.com>"
		 ", to=<frank@example.net>, rcpt=<->, delay=2d, stat=Removed "
		 "by administrator",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REMOVED,
	 .want_qid = "84e6f01c55ee66ff"},
	{.name = "old local delivery",
	 .line = OS "delivery: TempFail for 73d5f90b44dd55ee: "
		 "from=<dave@example.net>, to=<erin@example.com>, user=erin, "
		 "method=mbox, delay=0s, stat=Error (mailbox full)",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = "73d5f90b44dd55ee",
	 .want_to = "erin@example.com", .want_from = "dave@example.net",
	 .want_remote_host = "mbox", .want_text = "Error (mailbox full)"},

	/* Inbound rejections, without a known session. */
	{.name = "rejected recipient",
	 .line = OS SID " smtp failed-command command=\"RCPT "
		 "TO:<ghost@example.com>\" result=\"550 Invalid recipient: "
		 "<ghost@example.com>\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "ghost@example.com", .want_stage = "RCPT",
	 .want_text = "550 Invalid recipient: <ghost@example.com>",
	 .want_reply_code = 550},
	{.name = "rejection without closing quote",
	 .line = OS SID " smtp failed-command command=\"RCPT "
		 "TO:<ghost@example.com>\" result=\"550 5.1.1 Invalid "
		 "recipient: <ghost@exa  ",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "ghost@example.com", .want_stage = "RCPT",
	 .want_text = "550 5.1.1 Invalid recipient: <ghost@exa",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1"},
	{.name = "rejected sender",
	 .line = OS SID " smtp failed-command command=\"MAIL "
		 "FROM:<s@example.net> SIZE=1024\" result=\"553 5.1.8 Sender "
		 "domain does not exist\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_from = "s@example.net", .want_stage = "MAIL",
	 .want_text = "553 5.1.8 Sender domain does not exist",
	 .want_reply_code = 553, .want_reply_enh = "5.1.8"},
	{.name = "filter rejects at connect",
	 .line = OS SID " smtp failed-command command=\"\" result=\"550 no "
		 "rDNS please fix\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_stage = "CONNECT", .want_text = "550 no rDNS please fix",
	 .want_reply_code = 550},
	{.name = "greylisted at DATA",
	 .line = OS SID " smtp failed-command command=\"DATA\" result=\"451 "
		 "Try again later\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_stage = "DATA", .want_text = "451 Try again later",
	 .want_reply_code = 451},
	{.name = "rejected at end of message",
	 .line = OS SID " smtp failed-command command=\".\" result=\"554 5.7.1 "
		 "Message rejected as spam\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_stage = "END-OF-MESSAGE",
	 .want_text = "554 5.7.1 Message rejected as spam",
	 .want_reply_code = 554, .want_reply_enh = "5.7.1"},
	{.name = "lower-case command",
	 .line = OS SID " smtp failed-command command=\"rcpt "
		 "to:<x@example.com> \" result=\"550 Invalid recipient\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "x@example.com", .want_stage = "RCPT",
	 .want_text = "550 Invalid recipient", .want_reply_code = 550},
	{.name = "event= form",
	 .line = OS SID " smtp event=failed-command command=\"HELO x\" "
		 "result=\"501 5.5.4 Invalid domain name\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_stage = "HELO", .want_text = "501 5.5.4 Invalid domain name",
	 .want_reply_code = 501, .want_reply_enh = "5.5.4"},
	{.name = "unknown command keeps its word",
	 .line = OS SID " smtp failed-command command=\"XCLIENT a\" "
		 "result=\"500 5.5.1 Invalid command\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_stage = "XCLIENT", .want_text = "500 5.5.1 Invalid command",
	 .want_reply_code = 500, .want_reply_enh = "5.5.1"},
	{.name = "failed AUTH is not a rejection",
	 .line = OS SID " smtp failed-command command=\"AUTH LOGIN\" "
		 "result=\"503 5.5.1 Invalid command: Command not supported\"",
	 .want_result = EXTRACT_INFO},
	{.name = "old failed command",
	 .line = OS "smtp-in: Failed command on session 1f55bdcdf16e28a3: "
		 "\"MAIL FROM:<root@example.com>  \" => 421 4.3.0: Temporary "
		 "Error",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_from = "root@example.com", .want_stage = "MAIL",
	 .want_text = "421 4.3.0: Temporary Error", .want_reply_code = 421,
	 .want_reply_enh = "4.3.0"},

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
	char buf[ENH_STATUS_LEN];

	check_str(c->name, "type", type_names[ev->type],
		  type_names[c->want_type]);
	if (c->want_type == EVENT_DELIVERY)
		check_str(c->name, "status", status_names[ev->status],
			  status_names[c->want_status]);
	check_span(c->name, "queue id", ev->queue_id, c->want_qid);
	check_span(c->name, "recipient", ev->recipient, c->want_to);
	check_span(c->name, "orig recipient", ev->orig_recipient,
		   c->want_orig_to);
	check_span(c->name, "sender", ev->sender, c->want_from);
	check_span(c->name, "remote host", ev->remote_host,
		   c->want_remote_host);
	check_span(c->name, "remote addr", ev->remote_addr,
		   c->want_remote_addr);
	check_span(c->name, "client host", ev->client_host, NULL);
	check_span(c->name, "client addr", ev->client_addr, NULL);
	check_span(c->name, "stage", ev->stage, c->want_stage);
	check_span(c->name, "text", ev->text, c->want_text);
	check_str(c->name, "dsn", format_code(&ev->enh, buf), "none");
	check_int(c->name, "reply code", ev->reply_code, c->want_reply_code);
	check_str(c->name, "reply enhanced", format_code(&ev->reply_enh, buf),
		  c->want_reply_enh ? c->want_reply_enh : "none");
	check_int(c->name, "wall", ev->time.wall, hdr->time.wall);
}

/* classify - parse a line of len bytes and classify it */
static enum extract_result
classify(struct extractor *x, const char *text, size_t len,
	 struct sysline *hdr, struct event *ev)
{
	const struct sysline_year ref = {2026, 12, 0};

	if (!sysline_parse(text, len, &ref, hdr))
		return EXTRACT_NO_HEADER;
	memset(ev, 0xa5, sizeof *ev);
	return extractor_line(x, hdr, ev);
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

		got = classify(x, line, len, &hdr, &ev);
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
		got = classify(x, s->line, strlen(s->line), &hdr, &ev);
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
			  result_names[classify(x, FAILED(S2),
					       strlen(FAILED(S2)), &hdr, &ev)],
			  "EVENT");
		check_span("before reset", "client addr", ev.client_addr,
			   "203.0.113.66");
		extractor_reset(x);
		check_str("reset", "result",
			  result_names[classify(x, FAILED(S2),
					       strlen(FAILED(S2)), &hdr, &ev)],
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
	const struct extractor_backend *backend = extractor_find("opensmtpd");
	struct extractor *x;

	if (backend == NULL)
		return -1;
	x = extractor_open(backend, NULL);
	if (x == NULL)
		return -1;
	*state = x;
	return 0;
}

static int
teardown_extractor(void **state)
{
	extractor_close(*state);
	return 0;
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
