/* SPDX-License-Identifier: MIT */
/*
 * test_extract_exim.c - unit tests of the Exim extractor
 *
 * Each case of the table is a whole log line: a line of Exim's own log
 * file, or a syslog line, which is parsed with sysline_parse() first.  Each
 * case gets a new extractor with the built-in patterns.  Every field of
 * the resulting event is compared, and a field that a case leaves out
 * must be absent.  Further tests feed sequences of lines to check what
 * the extractor remembers between lines and between inputs: the cause of
 * a deferral, the host of a failed connection, bounce messages, syslog
 * copies of a rejection and the reject log's header dump.  meson runs
 * this program once more under tr_TR.UTF-8.
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

/* The extractor keeps this many deferral causes (EXIM_CAUSES_MAX). */
#define CAUSES_MAX 100000

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

/* Line prefixes: Exim's time, with a 4.96 and a 4.97 message id. */
#define T "2024-03-04 10:00:01 "
#define ID16 "1rhA6F-0004zz-2a"
#define ID23 "1rhA6F-00000004zzX-2aQz"
#define SYSLOG "Mar  4 10:00:09 mx1 "

/* Reason texts used by several cases. */
#define USER_UNKNOWN                                                         \
	"SMTP error from remote mail server after RCPT TO:<u@example.org>: "  \
	"550 5.1.1 <u@example.org>: Recipient address rejected: User unknown"
#define GREYLISTED                                                           \
	"SMTP error from remote mail server after RCPT TO:<g@example.net>: "  \
	"451 4.7.1 <g@example.net>: Recipient address rejected: Greylisted"
#define MULTI_LINE                                                           \
	"SMTP error from remote mail server after RCPT TO:<m@example.org>: "  \
	"550-5.7.1 This mailbox is disabled\\n550-5.7.1 see "                 \
	"https://support.example.org/x\\n550 5.7.1 for more information"

struct exim_case {
	const char *name;
	const char *line;
	bool syslog;			/* parse a syslog header first */
	enum extract_result want_result;
	/* The fields below are compared only for EXTRACT_EVENT. */
	enum event_type want_type;
	enum delivery_status want_status;	/* EVENT_DELIVERY only */
	bool want_temporary;
	const char *want_qid;		/* NULL: absent, for every span */
	const char *want_to;
	const char *want_orig_to;
	const char *want_from;
	const char *want_remote_host;
	const char *want_remote_addr;
	const char *want_client_host;
	const char *want_client_addr;
	const char *want_stage;
	const char *want_text;
	int want_reply_code;
	const char *want_reply_enh;	/* NULL when absent */
	const char *want_time;		/* RFC 3339, as logtime_format() */
	int want_usec;
};

static const struct exim_case exim_cases[] = {
	/* Arrivals, both id lengths and the base 36 variant. */
	{.name = "arrival, 16-character id",
	 .line = T ID16 " <= alice@example.com H=client.example.com "
		 "[192.0.2.5] P=esmtps S=2345 id=a1@example.com",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = ID16, .want_from = "alice@example.com",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "arrival, 23-character id, millisec, offset and pid",
	 .line = "2024-03-04 10:00:01.712 +0100 [4711] " ID23
		 " <= bob@example.com U=bob P=local S=300",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = ID23, .want_from = "bob@example.com",
	 .want_time = "2024-03-04T10:00:01+01:00", .want_usec = 712000},
	{.name = "arrival, negative offset",
	 .line = "2024-03-04 10:00:01 -0330 " ID16 " <= bob@example.com "
		 "U=bob P=local S=300",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = ID16, .want_from = "bob@example.com",
	 .want_time = "2024-03-04T10:00:01-03:30"},
	{.name = "arrival, base 36 id",
	 .line = T "1RHA6F-0004ZZ-2A <= carol@example.com U=carol P=local S=1",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = "1RHA6F-0004ZZ-2A", .want_from = "carol@example.com",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "fakereject arrival",
	 .line = T ID16 " (= b2@example.org H=mx.example.org [198.51.100.3] "
		 "P=esmtp S=800",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = ID16, .want_from = "b2@example.org",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce generated by Exim",
	 .line = T ID23 " <= <> R=" ID16 " U=Debian-exim P=local S=2100",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_NOTIFICATION,
	 .want_qid = ID23, .want_time = "2024-03-04T10:00:01"},
	{.name = "null sender without R=",
	 .line = T ID16 " <= <> U=root P=local S=300",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_SENDER,
	 .want_qid = ID16, .want_from = "", .want_time = "2024-03-04T10:00:01"},

	/* Deliveries. */
	{.name = "delivered, first address",
	 .line = T ID16 " => ok1@example.net R=dnslookup T=remote_smtp "
		 "H=mx.example.net [198.51.100.7] X=TLS1.3:TLS_AES_256_GCM_"
		 "SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as 4Vx9Yz1AbcD\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "ok1@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "250 2.0.0 Ok: queued as 4Vx9Yz1AbcD",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered, further address over IPv6 on a reused link",
	 .line = T ID23 " -> b@example.net F=<s@example.com> R=dnslookup "
		 "T=remote_smtp H=mx6.example.net [2001:db8::25]:25* "
		 "C=\"250 OK\" QT=1s DT=0.2s",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID23,
	 .want_to = "b@example.net", .want_from = "s@example.com",
	 .want_remote_host = "mx6.example.net",
	 .want_remote_addr = "2001:db8::25", .want_text = "250 OK",
	 .want_reply_code = 250, .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered locally, original address",
	 .line = T ID16 " => alice <alice@example.com> R=local_user "
		 "T=local_file",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16, .want_to = "alice",
	 .want_orig_to = "alice@example.com",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "cutthrough delivery",
	 .line = T ID16 " >> c@example.org R=dnslookup T=remote_smtp "
		 "H=mx.example.org [198.51.100.9] C=\"250 2.0.0 OK\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "c@example.org", .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.9", .want_text = "250 2.0.0 OK",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered, quoted local part with a blank",
	 .line = T ID16 " => \"john smith\"@example.com R=dnslookup "
		 "T=remote_smtp H=mx.example.com [192.0.2.1] C=\"250 OK\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "\"john smith\"@example.com",
	 .want_remote_host = "mx.example.com", .want_remote_addr = "192.0.2.1",
	 .want_text = "250 OK", .want_reply_code = 250,
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered, host known only by its address",
	 .line = T ID16 " => ok@example.net R=dnslookup T=remote_smtp "
		 "H=[198.51.100.7]:25 C=\"250 OK\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "ok@example.net", .want_remote_host = "198.51.100.7",
	 .want_remote_addr = "198.51.100.7", .want_text = "250 OK",
	 .want_reply_code = 250, .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered, peer DN holds sender and reply tags",
	 .line = T ID16 " => ok@example.net F=<s@example.com> R=dnslookup "
		 "T=remote_smtp H=mx.example.net [198.51.100.7] CV=yes "
		 "DN=\"O=Example, F=<ceo@example.org> C=550 x,CN=mx\" "
		 "C=\"250 2.0.0 OK\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "ok@example.net", .want_from = "s@example.com",
	 .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7", .want_text = "250 2.0.0 OK",
	 .want_reply_code = 250, .want_reply_enh = "2.0.0",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "delivered, quote inside the peer DN fakes no sender",
	 .line = T ID16 " => ok@example.net R=dnslookup T=remote_smtp "
		 "H=mx.example.net [198.51.100.7] DN=\"/CN=a\" "
		 "F=<ceo@example.org> x\" C=\"250 OK\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_SENT, .want_qid = ID16,
	 .want_to = "ok@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7", .want_text = "250 OK",
	 .want_reply_code = 250, .want_time = "2024-03-04T10:00:01"},
	{.name = "suppressed delivery is not a delivery",
	 .line = T ID16 " *> d@example.org R=dnslookup T=remote_smtp",
	 .want_result = EXTRACT_INFO},

	/* Permanent failures: the "**" grammar. */
	{.name = "bounce, 4.96 colon after the host",
	 .line = T ID16 " ** u@example.org R=dnslookup T=remote_smtp "
		 "H=mx.example.org [198.51.100.7]: " USER_UNKNOWN,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "u@example.org", .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, port then colon, DT at the end",
	 .line = T ID23 " ** u@example.org F=<s@example.com> "
		 "P=<s@example.com> R=dnslookup T=remote_smtp "
		 "H=mx.example.org [198.51.100.7]:25 I=[192.0.2.5]:53912: "
		 USER_UNKNOWN " DT=0.000s",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID23,
	 .want_to = "u@example.org", .want_from = "s@example.com",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, space colon space",
	 .line = T ID23 " ** c@example.com R=client T=send_to_server "
		 "H=mx.example.com [192.0.2.9] : SMTP error from remote mail "
		 "server after RCPT TO:<c@example.com>: 550 Perm error",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID23,
	 .want_to = "c@example.com", .want_remote_host = "mx.example.com",
	 .want_remote_addr = "192.0.2.9",
	 .want_text = "SMTP error from remote mail server after "
		      "RCPT TO:<c@example.com>: 550 Perm error",
	 .want_reply_code = 550, .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, TLS peer DN with commas glued to the colon",
	 .line = T ID16 " ** molly@example.org R=dnslookup T=remote_smtp "
		 "H=mail.example.org [198.51.100.3] X=TLS1.2:ECDHE_RSA_AES_"
		 "256_GCM_SHA384:256 CV=yes DN=\"C=US,O=Example,CN=mail."
		 "example.org\": SMTP error from remote mail server after end "
		 "of data: 554 5.2.0 Recipient Mailbox Full [504]",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "molly@example.org",
	 .want_remote_host = "mail.example.org",
	 .want_remote_addr = "198.51.100.3",
	 .want_text = "SMTP error from remote mail server after end of data: "
		      "554 5.2.0 Recipient Mailbox Full [504]",
	 .want_reply_code = 554, .want_reply_enh = "5.2.0",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, peer DN holds a sender tag",
	 .line = T ID16 " ** u@example.net R=dnslookup T=remote_smtp "
		 "H=mx.example.net [198.51.100.7] X=TLS1.3:TLS_AES_256_GCM_"
		 "SHA384:256 CV=yes DN=\"C=US,O=Example, F=<ceo@example.org> "
		 "Inc,CN=mx.example.net\": SMTP error from remote mail server "
		 "after RCPT TO:<u@example.net>: 550 5.1.1 unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "u@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "SMTP error from remote mail server after "
		      "RCPT TO:<u@example.net>: 550 5.1.1 unknown",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, host known only by its address",
	 .line = T ID16 " ** u1@example.net R=dnslookup T=remote_smtp "
		 "H=[198.51.100.7]: " USER_UNKNOWN,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "u1@example.net", .want_remote_host = "198.51.100.7",
	 .want_remote_addr = "198.51.100.7", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, HELO name and address, no host name",
	 .line = T ID16 " ** u3@example.net R=dnslookup T=remote_smtp "
		 "H=(helo.example) [198.51.100.8]: " USER_UNKNOWN,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "u3@example.net", .want_remote_host = "198.51.100.8",
	 .want_remote_addr = "198.51.100.8", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, IPv6 address literal as the domain",
	 .line = T ID16 " ** user@[IPv6:2001:db8::1] R=literal "
		 "T=remote_smtp H=[2001:db8::1]: SMTP error from remote mail "
		 "server after RCPT TO:<user@[IPv6:2001:db8::1]>: 550 5.1.1 "
		 "unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "user@[IPv6:2001:db8::1]",
	 .want_remote_host = "2001:db8::1", .want_remote_addr = "2001:db8::1",
	 .want_text = "SMTP error from remote mail server after RCPT "
		      "TO:<user@[IPv6:2001:db8::1]>: 550 5.1.1 unknown",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, quoted local part with a blank",
	 .line = T ID16 " ** \"john smith\"@example.com R=dnslookup "
		 "T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from "
		 "remote mail server after RCPT TO:<\"john smith\"@example."
		 "com>: 550 5.1.1 unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "\"john smith\"@example.com",
	 .want_remote_host = "mx.example.com", .want_remote_addr = "192.0.2.1",
	 .want_text = "SMTP error from remote mail server after RCPT "
		      "TO:<\"john smith\"@example.com>: 550 5.1.1 unknown",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, quoted local part with a colon, parent address",
	 .line = T ID16 " ** \"a:b\"@example.com <list@example.com>: "
		 "Unrouteable address",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "\"a:b\"@example.com", .want_orig_to = "list@example.com",
	 .want_text = "Unrouteable address",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, multi-line reply joined with a backslash-n",
	 .line = T ID16 " ** m@example.org R=dnslookup T=remote_smtp "
		 "H=mx.example.org [198.51.100.7]: " MULTI_LINE,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "m@example.org", .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = MULTI_LINE,
	 .want_reply_code = 550, .want_reply_enh = "5.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce at MAIL FROM names the sender in the command",
	 .line = T ID16 " ** r1@example.net R=dnslookup T=remote_smtp "
		 "H=mx.example.net [198.51.100.8]: SMTP error from remote "
		 "mail server after pipelined MAIL FROM:<s@example.com> "
		 "SIZE=1356: 550 5.7.1 Sender address rejected: Access denied",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "r1@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.8",
	 .want_text = "SMTP error from remote mail server after pipelined "
		      "MAIL FROM:<s@example.com> SIZE=1356: 550 5.7.1 Sender "
		      "address rejected: Access denied",
	 .want_reply_code = 550, .want_reply_enh = "5.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, old wording with the host in the text",
	 .line = T ID16 " ** u@example.org R=dnslookup T=remote_smtp: SMTP "
		 "error from remote mailer after RCPT TO:<u@example.org>: host "
		 "mx.example.org [198.51.100.7]: 550 5.1.1 unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "u@example.org", .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "SMTP error from remote mailer after "
		      "RCPT TO:<u@example.org>: host mx.example.org "
		      "[198.51.100.7]: 550 5.1.1 unknown",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, colons inside the reply",
	 .line = T ID16 " ** v@example.org R=dnslookup T=remote_smtp "
		 "H=mx.example.org [198.51.100.7] : SMTP error from remote "
		 "mail server after end of data: 550 5.7.1 Rejected: spam: "
		 "score 12: see https://example.org/why DT=0.044s",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "v@example.org", .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "SMTP error from remote mail server after end of data: "
		      "550 5.7.1 Rejected: spam: score 12: see "
		      "https://example.org/why",
	 .want_reply_code = 550, .want_reply_enh = "5.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce of a routing failure with a parent address",
	 .line = T ID16 " ** list@example.com <owner@example.com>: "
		 "Unrouteable address",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "list@example.com", .want_orig_to = "owner@example.com",
	 .want_text = "Unrouteable address",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, LMTP error",
	 .line = T ID23 " ** userx@example.com R=smartuser T=lmtp : LMTP "
		 "error after RCPT TO:<userx@example.com>: 550 5.1.1 No such "
		 "user",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID23,
	 .want_to = "userx@example.com",
	 .want_text = "LMTP error after RCPT TO:<userx@example.com>: 550 "
		      "5.1.1 No such user",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "bounce, routing yielded a local delivery",
	 .line = T ID16 " ** file@example.com routing yielded a local "
		 "delivery",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_BOUNCED, .want_qid = ID16,
	 .want_to = "file@example.com",
	 .want_text = "routing yielded a local delivery",
	 .want_time = "2024-03-04T10:00:01"},

	/* Deferrals: the "==" grammar. */
	{.name = "deferral, 4.96 without DT",
	 .line = T ID16 " == g@example.net R=dnslookup T=remote_smtp "
		 "defer (-44) H=mx.example.net [198.51.100.8]: " GREYLISTED,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "g@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.8", .want_text = GREYLISTED,
	 .want_reply_code = 451, .want_reply_enh = "4.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, DT before the reason",
	 .line = T ID23 " == g@example.net R=dnslookup T=remote_smtp "
		 "defer (-44) H=mx.example.net [198.51.100.8]:25 "
		 "I=[192.0.2.5]:35420 DT=0.000s: " GREYLISTED,
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID23,
	 .want_to = "g@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.8", .want_text = GREYLISTED,
	 .want_reply_code = 451, .want_reply_enh = "4.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, system error only",
	 .line = T ID16 " == someone@example.net R=dnslookup T=remote_smtp "
		 "defer (111): Connection refused",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "someone@example.net", .want_text = "Connection refused",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, system error, host, then Exim's message",
	 .line = T ID16 " == e@example.net R=dnslookup T=remote_smtp "
		 "defer (110): Connection timed out H=mx.example.net "
		 "[198.51.100.8]: SMTP timeout after RCPT TO:<e@example.net>",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "e@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.8",
	 .want_text = "SMTP timeout after RCPT TO:<e@example.net>",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, local quota",
	 .line = T ID16 " == bob@example.com R=local_user T=local_delivery "
		 "defer (-22): mailbox is full (MTA-imposed quota exceeded "
		 "while writing to /var/mail/bob)",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "bob@example.com",
	 .want_text = "mailbox is full (MTA-imposed quota exceeded while "
		      "writing to /var/mail/bob)",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, IPv6 host with a port",
	 .line = T ID23 " == h@example.net R=dnslookup T=remote_smtp "
		 "defer (-44) H=mx6.example.net [2001:db8::25]:25 DT=1.2s: "
		 "SMTP error from remote mail server after RCPT "
		 "TO:<h@example.net>: 452 4.2.2 Mailbox full",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID23,
	 .want_to = "h@example.net", .want_remote_host = "mx6.example.net",
	 .want_remote_addr = "2001:db8::25",
	 .want_text = "SMTP error from remote mail server after RCPT "
		      "TO:<h@example.net>: 452 4.2.2 Mailbox full",
	 .want_reply_code = 452, .want_reply_enh = "4.2.2",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, old wording with the host in the text",
	 .line = "2004-03-04 10:00:01 1B2c3D-0001aB-3c == a@example.net "
		 "R=dnslookup T=remote_smtp defer (-44): SMTP error from "
		 "remote mailer after RCPT TO:<a@example.net>: host "
		 "mx.example.net [198.51.100.7]: 451 4.7.1 greylisted, try "
		 "later",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = "1B2c3D-0001aB-3c",
	 .want_to = "a@example.net", .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7",
	 .want_text = "SMTP error from remote mailer after "
		      "RCPT TO:<a@example.net>: host mx.example.net "
		      "[198.51.100.7]: 451 4.7.1 greylisted, try later",
	 .want_reply_code = 451, .want_reply_enh = "4.7.1",
	 .want_time = "2004-03-04T10:00:01"},
	{.name = "deferral, Exim's error code and a message with colons",
	 .line = T ID16 " == r3.b@example.net R=r3 defer (-1): not now: "
		 "try later",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "r3.b@example.net", .want_text = "not now: try later",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, IPv6 host known only by its address",
	 .line = T ID16 " == u2@example.net R=dnslookup T=remote_smtp "
		 "defer (-44) H=[2001:db8::1]:25: SMTP error from remote mail "
		 "server after RCPT TO:<u2@example.net>: 450 4.2.0 try later",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "u2@example.net", .want_remote_host = "2001:db8::1",
	 .want_remote_addr = "2001:db8::1",
	 .want_text = "SMTP error from remote mail server after RCPT "
		      "TO:<u2@example.net>: 450 4.2.0 try later",
	 .want_reply_code = 450, .want_reply_enh = "4.2.0",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, quoted local part with a blank",
	 .line = T ID16 " == \"john smith\"@example.com R=dnslookup "
		 "T=remote_smtp defer (111): Connection refused",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "\"john smith\"@example.com",
	 .want_text = "Connection refused",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "deferral, routing, retry time not reached",
	 .line = T ID16 " == busy@example.net routing defer (-52): retry "
		 "time not reached",
	 .want_result = EXTRACT_INFO},
	{.name = "deferral, no host tried",
	 .line = T ID16 " == x@example.net R=all T=smtp defer (-54): retry "
		 "time not reached for any host for 'example.net'",
	 .want_result = EXTRACT_INFO},
	{.name = "deferral forced by the router",
	 .line = T ID16 " == r3.a@example.net R=r3 defer (-1): not just now",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_DELIVERY,
	 .want_status = STATUS_DEFERRED, .want_qid = ID16,
	 .want_to = "r3.a@example.net", .want_text = "not just now",
	 .want_time = "2024-03-04T10:00:01"},

	/* The message leaves the queue. */
	{.name = "completed",
	 .line = T ID16 " Completed",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REMOVED,
	 .want_qid = ID16, .want_time = "2024-03-04T10:00:01"},
	{.name = "completed with queue time",
	 .line = T ID23 " Completed QT=5s",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REMOVED,
	 .want_qid = ID23, .want_time = "2024-03-04T10:00:01"},
	{.name = "frozen",
	 .line = T ID16 " Frozen (delivery error message)",
	 .want_result = EXTRACT_INFO},

	/* Inbound rejections. */
	{.name = "rejected RCPT with a reply",
	 .line = T "H=mx.example.net [192.0.2.10] U=root F=<dave@example.net> "
		 "rejected RCPT <nosuchuser@example.com>: 550 5.1.1 "
		 "<nosuchuser@example.com>: Recipient address rejected: User "
		 "unknown",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "nosuchuser@example.com", .want_from = "dave@example.net",
	 .want_client_host = "mx.example.net", .want_client_addr = "192.0.2.10",
	 .want_stage = "RCPT",
	 .want_text = "550 5.1.1 <nosuchuser@example.com>: Recipient address "
		      "rejected: User unknown",
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "temporarily rejected RCPT without a code",
	 .line = T "H=(helo.example.org) [203.0.113.67] F=<a@example.net> "
		 "temporarily rejected RCPT <y@example.com>: greylisted",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_temporary = true, .want_to = "y@example.com",
	 .want_from = "a@example.net", .want_client_addr = "203.0.113.67",
	 .want_stage = "RCPT", .want_text = "greylisted",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected RCPT, IPv6 client, TLS fields",
	 .line = T "H=mail6.example.net [2001:db8::66]:51234 "
		 "X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=no F=<a@example.net> "
		 "rejected RCPT <b@example.com>: relay not permitted",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "b@example.com", .want_from = "a@example.net",
	 .want_client_host = "mail6.example.net",
	 .want_client_addr = "2001:db8::66", .want_stage = "RCPT",
	 .want_text = "relay not permitted",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected RCPT, client DN holds a sender tag",
	 .line = T "H=mail6.example.net [2001:db8::66]:51234 "
		 "X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=yes "
		 "DN=\"CN=client, F=<ceo@example.org>\" F=<a@example.net> "
		 "rejected RCPT <b@example.com>: relay not permitted",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "b@example.com", .want_from = "a@example.net",
	 .want_client_host = "mail6.example.net",
	 .want_client_addr = "2001:db8::66", .want_stage = "RCPT",
	 .want_text = "relay not permitted",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected RCPT, old form without angle brackets",
	 .line = "2013-06-15 11:19:33 [2249] H=([203.0.113.95]) "
		 "[203.0.113.95]:52391 I=[192.0.2.4]:25 F=spam@example.org "
		 "rejected RCPT some@example.com: rejected found in dnsbl",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_to = "some@example.com", .want_from = "spam@example.org",
	 .want_client_addr = "203.0.113.95", .want_stage = "RCPT",
	 .want_text = "rejected found in dnsbl",
	 .want_time = "2013-06-15T11:19:33"},
	{.name = "rejected MAIL",
	 .line = T "H=[192.0.2.77] rejected MAIL <spammer@example.org>: 550 "
		 "5.7.1 Sender address blacklisted",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_from = "spammer@example.org", .want_client_addr = "192.0.2.77",
	 .want_stage = "MAIL",
	 .want_text = "550 5.7.1 Sender address blacklisted",
	 .want_reply_code = 550, .want_reply_enh = "5.7.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected after DATA, with a message id",
	 .line = T ID16 " H=mail.example.org [198.51.100.20]:41234 "
		 "I=[192.0.2.1]:25 F=<x@example.org> rejected after DATA: "
		 "This message contains a virus (Eicar-Test-Signature)",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_qid = ID16, .want_from = "x@example.org",
	 .want_client_host = "mail.example.org",
	 .want_client_addr = "198.51.100.20", .want_stage = "after DATA",
	 .want_text = "This message contains a virus (Eicar-Test-Signature)",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected EHLO with invalid syntax",
	 .line = T "rejected EHLO from [192.0.2.78]: syntactically invalid "
		 "argument(s): _",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_client_addr = "192.0.2.78", .want_stage = "EHLO",
	 .want_text = "syntactically invalid argument(s): _",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected HELO by an ACL, HELO name is an address",
	 .line = T "H=([192.0.2.80]) [203.0.113.80] rejected HELO "
		 "[192.0.2.80]: 550 5.7.1 Forged HELO",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_client_addr = "203.0.113.80", .want_stage = "HELO",
	 .want_text = "550 5.7.1 Forged HELO", .want_reply_code = 550,
	 .want_reply_enh = "5.7.1", .want_time = "2024-03-04T10:00:01"},
	{.name = "temporarily rejected connection",
	 .line = T "H=bad.example.net [203.0.113.66]:18146 temporarily "
		 "rejected connection in \"connect\" ACL: \"Host is "
		 "ratelimited\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_temporary = true, .want_client_host = "bad.example.net",
	 .want_client_addr = "203.0.113.66", .want_stage = "connection",
	 .want_text = "\"Host is ratelimited\"",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "synchronization error rejects the connection",
	 .line = T "[13314] SMTP protocol synchronization error (input sent "
		 "without waiting for greeting): rejected connection from "
		 "H=[203.0.113.5]:25936 I=[192.0.2.1]:25 input=\"GET /\"",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_client_addr = "203.0.113.5", .want_stage = "connection",
	 .want_text = "SMTP protocol synchronization error (input sent "
		      "without waiting for greeting)",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "rejected by local_scan",
	 .line = T ID16 " F=<x@example.net> H=(example.net) [203.0.113.9] "
		 "P=esmtp rejected by local_scan(): Rejected: hits=7.5",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_qid = ID16, .want_from = "x@example.net",
	 .want_client_addr = "203.0.113.9", .want_stage = "local_scan()",
	 .want_text = "Rejected: hits=7.5",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "daemon refuses a connection",
	 .line = T "Connection from [203.0.113.7] refused: too many "
		 "connections",
	 .want_result = EXTRACT_EVENT, .want_type = EVENT_REJECT,
	 .want_temporary = true, .want_client_addr = "203.0.113.7",
	 .want_stage = "connection", .want_text = "too many connections",
	 .want_time = "2024-03-04T10:00:01"},

	/* Lines with nothing to count. */
	{.name = "sender verify failure before a rejection",
	 .line = T "H=mx.example.net [192.0.2.10] sender verify fail for "
		 "<s@example.net>: Unrouteable address",
	 .want_result = EXTRACT_INFO},
	{.name = "authenticator failure",
	 .line = T "dovecot_login authenticator failed for (User) "
		 "[192.0.2.79]:55379: 535 Incorrect authentication data "
		 "(set_id=u@example.com)",
	 .want_result = EXTRACT_INFO},
	{.name = "queue run",
	 .line = T "Start queue run: pid=12762",
	 .want_result = EXTRACT_INFO},
	{.name = "panic log line with a message id",
	 .line = T ID16 " DKIM: signing failed: RSA_LONG_LINE",
	 .want_result = EXTRACT_INFO},
	{.name = "continuation line of the main log",
	 .line = " Suggested action: use keep_environment.",
	 .want_result = EXTRACT_INFO},
	{.name = "unknown line",
	 .line = T "something Exim never writes",
	 .want_result = EXTRACT_UNKNOWN},

	/* Syslog and journal wrappers. */
	{.name = "syslog with Exim's own time",
	 .line = SYSLOG "exim[4711]: 2024-03-04 10:00:01 " ID16 " ** "
		 "u@example.org R=dnslookup T=remote_smtp H=mx.example.org "
		 "[198.51.100.7]: " USER_UNKNOWN,
	 .syslog = true, .want_result = EXTRACT_EVENT,
	 .want_type = EVENT_DELIVERY, .want_status = STATUS_BOUNCED,
	 .want_qid = ID16, .want_to = "u@example.org",
	 .want_remote_host = "mx.example.org",
	 .want_remote_addr = "198.51.100.7", .want_text = USER_UNKNOWN,
	 .want_reply_code = 550, .want_reply_enh = "5.1.1",
	 .want_time = "2024-03-04T10:00:01"},
	{.name = "syslog without Exim's time, program exim4",
	 .line = SYSLOG "exim4[4712]: " ID23 " => ok@example.net "
		 "R=dnslookup T=remote_smtp H=mx.example.net [198.51.100.7] "
		 "C=\"250 OK\"",
	 .syslog = true, .want_result = EXTRACT_EVENT,
	 .want_type = EVENT_DELIVERY, .want_status = STATUS_SENT,
	 .want_qid = ID23, .want_to = "ok@example.net",
	 .want_remote_host = "mx.example.net",
	 .want_remote_addr = "198.51.100.7", .want_text = "250 OK",
	 .want_reply_code = 250, .want_time = "2024-03-04T10:00:09"},
	{.name = "syslog time with an offset wins over Exim's",
	 .line = "2024-03-04T10:00:09.5+01:00 mx1 exim[4711]: 2024-03-04 "
		 "10:00:01 " ID16 " Completed",
	 .syslog = true, .want_result = EXTRACT_EVENT,
	 .want_type = EVENT_REMOVED, .want_qid = ID16,
	 .want_time = "2024-03-04T10:00:09+01:00", .want_usec = 500000},
	{.name = "syslog with Exim's pid",
	 .line = SYSLOG "exim[8001]: [8001] " ID16 " Completed",
	 .syslog = true, .want_result = EXTRACT_EVENT,
	 .want_type = EVENT_REMOVED, .want_qid = ID16,
	 .want_time = "2024-03-04T10:00:09"},
	{.name = "syslog, first piece of a split line",
	 .line = SYSLOG "exim[4711]: [1\\2] 2024-03-04 10:00:01 Warning: "
		 "purging the environment.",
	 .syslog = true, .want_result = EXTRACT_INFO},
	{.name = "syslog, later piece of a split line",
	 .line = SYSLOG "exim[4711]: [2\\2]  Suggested action: use "
		 "keep_environment.",
	 .syslog = true, .want_result = EXTRACT_INFO},
	{.name = "syslog, later piece split for length",
	 .line = SYSLOG "exim[4711]: [2/2] ailbox is disabled",
	 .syslog = true, .want_result = EXTRACT_INFO},
	{.name = "journal excerpt without a syslog time",
	 .line = "mail.example.com exim[3751842]: 2021-07-17 23:20:49 "
		 "plain_server authenticator failed for ([192.0.2.17]) "
		 "[192.0.2.27]: 535 Incorrect authentication data",
	 .want_result = EXTRACT_INFO},
	{.name = "syslog-ng time without T, then the tag",
	 .line = "2016-04-01 11:08:00 info exim[8001]: [8001] no MAIL in "
		 "SMTP connection from (User) [192.0.2.29]:20042 D=0.349s",
	 .want_result = EXTRACT_INFO},
	{.name = "syslog-ng time without T, another program",
	 .line = "2016-04-01 11:08:00 mx1 dovecot[88]: imap-login: Login: "
		 "user=<a@example.com>",
	 .want_result = EXTRACT_FOREIGN},
};

/* format_code - "C.S.D", or NULL for an absent code */
static const char *
format_code(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	return enh_status_present(st) ? status_format_enhanced(st, buf) : NULL;
}

static void
check_event(const struct exim_case *c, const struct event *ev)
{
	char buf[ENH_STATUS_LEN];
	char when[40];

	check_str(c->name, "type", type_names[ev->type],
		  type_names[c->want_type]);
	if (ev->type == EVENT_DELIVERY)
		check_str(c->name, "status", status_names[ev->status],
			  status_names[c->want_status]);
	check_int(c->name, "temporary", ev->temporary, c->want_temporary);
	check_span(c->name, "queue id", ev->queue_id, c->want_qid);
	check_span(c->name, "recipient", ev->recipient, c->want_to);
	check_span(c->name, "orig recipient", ev->orig_recipient,
		   c->want_orig_to);
	check_span(c->name, "sender", ev->sender, c->want_from);
	check_span(c->name, "remote host", ev->remote_host,
		   c->want_remote_host);
	check_span(c->name, "remote addr", ev->remote_addr,
		   c->want_remote_addr);
	check_span(c->name, "client host", ev->client_host,
		   c->want_client_host);
	check_span(c->name, "client addr", ev->client_addr,
		   c->want_client_addr);
	check_span(c->name, "stage", ev->stage, c->want_stage);
	check_span(c->name, "text", ev->text, c->want_text);
	check_int(c->name, "reply code", ev->reply_code, c->want_reply_code);
	check_str(c->name, "reply enhanced", format_code(&ev->reply_enh, buf),
		  c->want_reply_enh);
	check_str(c->name, "log status", format_code(&ev->enh, buf), NULL);
	check_str(c->name, "time", logtime_format(&ev->time, when, sizeof when),
		  c->want_time);
	check_int(c->name, "usec", ev->time.usec, c->want_usec);
}

/* classify - one line, as a syslog line or a line of Exim's own files */
static enum extract_result
classify(struct extractor *x, const char *text, size_t len, bool syslog,
	 struct event *ev)
{
	static const struct sysline_year ref = {2024, 12, 0};
	struct extract_line line = {text, len, NULL, &ref, false, {0}, NULL};
	struct sysline hdr;

	if (!syslog)
		return extractor_classify(x, &line, ev);
	if (!sysline_parse(text, len, &ref, &hdr))
		return EXTRACT_NO_HEADER;
	return extractor_line(x, &hdr, ev);
}

/* open_exim - an Exim extractor with the built-in patterns and no state */
static struct extractor *
open_exim(void)
{
	const struct extractor_backend *backend = extractor_find("exim");
	struct extractor *x;

	assert_non_null(backend);
	x = extractor_open(backend, NULL);
	assert_non_null(x);
	return x;
}

/* Each case gets a new extractor, because the causes of deferrals and
 * the ids of bounce messages outlive extractor_reset(). */
static void
test_exim_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(exim_cases); i++) {
		const struct exim_case *c = &exim_cases[i];
		size_t len = strlen(c->line);
		char *line = copy_exact(c->line, len);
		struct extractor *x = open_exim();
		struct event ev;
		enum extract_result got;

		memset(&ev, 0xa5, sizeof ev);
		got = classify(x, line, len, c->syslog, &ev);
		check_str(c->name, "result", result_names[got],
			  result_names[c->want_result]);
		if (got == EXTRACT_EVENT && c->want_result == EXTRACT_EVENT)
			check_event(c, &ev);
		extractor_close(x);
		free(line);
	}
	finish_cases();
}

/* One line of a sequence and what it must give. */
struct step {
	const char *line;
	enum extract_result want_result;
	const char *want_text;		/* EXTRACT_EVENT only */
	int want_reply_code;
	const char *want_reply_enh;
	const char *want_remote_host;
	const char *want_sender;
};

/* run_steps - feed lines in order to a new extractor and check each */
static void
run_steps(const char *name, const struct step *steps, size_t count)
{
	struct extractor *x = open_exim();

	for (size_t i = 0; i < count; i++) {
		const struct step *s = &steps[i];
		size_t len = strlen(s->line);
		char *line = copy_exact(s->line, len);
		char what[64], buf[ENH_STATUS_LEN];
		struct event ev;
		enum extract_result got;

		snprintf(what, sizeof what, "%s, line %zu", name, i + 1);
		memset(&ev, 0xa5, sizeof ev);
		got = classify(x, line, len, false, &ev);
		check_str(what, "result", result_names[got],
			  result_names[s->want_result]);
		if (got == EXTRACT_EVENT && s->want_result == EXTRACT_EVENT) {
			check_span(what, "text", ev.text, s->want_text);
			check_int(what, "reply code", ev.reply_code,
				  s->want_reply_code);
			check_str(what, "reply enhanced",
				  format_code(&ev.reply_enh, buf),
				  s->want_reply_enh);
			check_span(what, "remote host", ev.remote_host,
				   s->want_remote_host);
			check_span(what, "sender", ev.sender, s->want_sender);
		}
		free(line);
	}
	extractor_close(x);
}

/* A code-less final failure takes the cause of the last deferral. */
static void
test_inherited_cause(void **state)
{
	static const struct step greylisted[] = {
	    {T ID16 " == g@example.net R=dnslookup T=remote_smtp defer (-44) "
		    "H=mx.example.net [198.51.100.8]: " GREYLISTED,
	     EXTRACT_EVENT, GREYLISTED, 451, "4.7.1", "mx.example.net", NULL},
	    {T ID16 " == g@example.net routing defer (-52): retry time not "
		    "reached",
	     EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
	    {T ID16 " ** g@example.net: retry timeout exceeded", EXTRACT_EVENT,
	     GREYLISTED, 451, "4.7.1", "mx.example.net", NULL},
	    /* The cause is used once. */
	    {T ID16 " ** g@example.net: retry timeout exceeded", EXTRACT_EVENT,
	     "retry timeout exceeded", 0, NULL, NULL, NULL},
	};
	static const struct step refused[] = {
		{T ID23 " H=mx.example.org [198.51.100.9] Connection refused",
		 EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
		{T ID23 " == d@example.org R=dnslookup T=remote_smtp defer "
		 "(111): Connection refused",
		 EXTRACT_EVENT, "Connection refused", 0, NULL, "mx.example.org",
		 NULL},
		{T ID23 " ** d@example.org: retry timeout exceeded",
		 EXTRACT_EVENT, "Connection refused", 0, NULL, "mx.example.org",
		 NULL},
	};
	static const struct step other_recipient[] = {
	    {T ID16 " == a@example.net R=dnslookup T=remote_smtp defer (-44) "
		    "H=mx.example.net [198.51.100.8]: " GREYLISTED,
	     EXTRACT_EVENT, GREYLISTED, 451, "4.7.1", "mx.example.net", NULL},
	    {T ID16 " ** b@example.net R=dnslookup T=remote_smtp: all hosts "
		    "for 'example.net' have been failing for a long time (and "
		    "retry time not reached)",
	     EXTRACT_EVENT,
	     "all hosts for 'example.net' have been failing "
	     "for a long time (and retry time not reached)",
	     0, NULL, NULL, NULL},
	    /* Another message with the same recipient. */
	    {T ID23 " ** a@example.net: Unrouteable address", EXTRACT_EVENT,
	     "Unrouteable address", 0, NULL, NULL, NULL},
	    /* A failure with its own code keeps it. */
	    {T ID16 " ** a@example.net R=dnslookup T=remote_smtp "
		    "H=mx.example.org [198.51.100.7]: " USER_UNKNOWN,
	     EXTRACT_EVENT, USER_UNKNOWN, 550, "5.1.1", "mx.example.org", NULL},
	};
	static const struct step delivered[] = {
	    {T ID16 " == g@example.net R=dnslookup T=remote_smtp defer (-44) "
		    "H=mx.example.net [198.51.100.8]: " GREYLISTED,
	     EXTRACT_EVENT, GREYLISTED, 451, "4.7.1", "mx.example.net", NULL},
	    {T ID16 " => g@example.net R=dnslookup T=remote_smtp "
		    "H=mx.example.net [198.51.100.8] C=\"250 OK\"",
	     EXTRACT_EVENT, "250 OK", 250, NULL, "mx.example.net", NULL},
	    {T ID16 " ** g@example.net: retry timeout exceeded", EXTRACT_EVENT,
	     "retry timeout exceeded", 0, NULL, NULL, NULL},
	};
	(void)state;
	run_steps("greylisted", greylisted, ARRAY_LEN(greylisted));
	run_steps("refused", refused, ARRAY_LEN(refused));
	run_steps("other recipient", other_recipient,
		  ARRAY_LEN(other_recipient));
	run_steps("delivered", delivered, ARRAY_LEN(delivered));
	finish_cases();
}

/* A host_failure line names the host of the failures with its error. */
static void
test_last_host(void **state)
{
	static const struct step batch[] = {
		{T ID16 " <= alice@example.com U=alice P=local S=1843",
		 EXTRACT_EVENT, NULL, 0, NULL, NULL, "alice@example.com"},
		{T ID16 " H=mx.example.net [198.51.100.7] Connection refused",
		 EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
		/* Every address of the delivery gets the host. */
		{T ID16 " == a@example.net R=dnslookup T=remote_smtp defer "
		 "(111): Connection refused",
		 EXTRACT_EVENT, "Connection refused", 0, NULL, "mx.example.net",
		 NULL},
		{T ID16 " == b@example.net R=dnslookup T=remote_smtp defer "
		 "(111): Connection refused",
		 EXTRACT_EVENT, "Connection refused", 0, NULL, "mx.example.net",
		 NULL},
		/* Failures with another reason never reached that host. */
		{T ID16 " ** c@nonexistent.example: Unrouteable address",
		 EXTRACT_EVENT, "Unrouteable address", 0, NULL, NULL, NULL},
		{T ID16 " ** d@example.org R=local_user T=appendfile: mailbox "
		 "is full",
		 EXTRACT_EVENT, "mailbox is full", 0, NULL, NULL, NULL},
		/* Another message with the same error. */
		{T ID23 " == e@example.net R=dnslookup T=remote_smtp defer "
		 "(111): Connection refused",
		 EXTRACT_EVENT, "Connection refused", 0, NULL, NULL, NULL},
	};
	static const struct step address_only[] = {
		{T ID16 " H=[198.51.100.9]:25 Connection timed out",
		 EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
		{T ID16 " == a@example.org R=dnslookup T=remote_smtp defer "
		 "(110): Connection timed out",
		 EXTRACT_EVENT, "Connection timed out", 0, NULL, "198.51.100.9",
		 NULL},
	};

	(void)state;
	run_steps("batch", batch, ARRAY_LEN(batch));
	run_steps("address only", address_only, ARRAY_LEN(address_only));
	finish_cases();
}

/* classify_str - classify a NUL-terminated line of Exim's own files */
static enum extract_result
classify_str(struct extractor *x, const char *text, struct event *ev)
{
	memset(ev, 0xa5, sizeof *ev);
	return classify(x, text, strlen(text), false, ev);
}

/* A deferral in one input and the final failure in the next, as with
 * rotated files given oldest first, are joined. */
static void
test_cause_across_inputs(void **state)
{
	static const char defer[] = T ID16 " == g@example.net R=dnslookup "
		"T=remote_smtp defer (-44) H=mx.example.net [198.51.100.8]: "
		GREYLISTED;
	static const char fail[] = T ID16 " ** g@example.net: retry timeout "
		"exceeded";
	struct extractor *x = *state;
	struct event ev;

	extractor_reset(x);
	assert_int_equal(classify_str(x, defer, &ev), EXTRACT_EVENT);
	extractor_reset(x);
	assert_int_equal(classify_str(x, fail, &ev), EXTRACT_EVENT);
	check_span("next input", "text", ev.text, GREYLISTED);
	check_int("next input", "reply code", ev.reply_code, 451);
	check_span("next input", "remote host", ev.remote_host,
		   "mx.example.net");
	finish_cases();
}

/* The remembered host and the reject log's header state are per input. */
static void
test_state_per_input(void **state)
{
	static const char refused[] = T ID16 " H=mx.example.net "
		"[198.51.100.7] Connection refused";
	static const char defer[] = T ID16 " == a@example.net R=dnslookup "
		"T=remote_smtp defer (111): Connection refused";
	static const char reject[] = T ID16 " H=mail.example.org "
		"[198.51.100.20] F=<x@example.org> rejected after DATA: 550 "
		"5.7.1 spam";
	static const char header[] = "Envelope-from: <x@example.org>";
	struct extractor *x = *state;
	struct event ev;

	extractor_reset(x);
	assert_int_equal(classify_str(x, refused, &ev), EXTRACT_INFO);
	extractor_reset(x);
	assert_int_equal(classify_str(x, defer, &ev), EXTRACT_EVENT);
	check_span("host of the last input", "remote host", ev.remote_host,
		   NULL);

	extractor_reset(x);
	assert_int_equal(classify_str(x, reject, &ev), EXTRACT_EVENT);
	extractor_reset(x);
	check_int("header after the last input", "result",
		  classify_str(x, header, &ev), EXTRACT_UNKNOWN);
	finish_cases();
}

/* count_events - classify syslog lines in order and count the events */
static int
count_events(struct extractor *x, const char *const *lines, size_t count)
{
	int events = 0;

	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(lines[i]);
		char *line = copy_exact(lines[i], len);
		struct event ev;

		events += classify(x, line, len, true, &ev) == EXTRACT_EVENT;
		free(line);
	}
	return events;
}

/* The syslog copies of one rejection count once, per Exim process. */
static void
test_syslog_duplicates(void **state)
{
#define REJECT_A SYSLOG "exim[101]: " T "H=a.example.net [203.0.113.1] " \
	"F=<s1@example.net> rejected RCPT <x1@example.com>: relay not "      \
	"permitted"
#define REJECT_B SYSLOG "exim[102]: " T "H=b.example.net [203.0.113.2] " \
	"F=<s2@example.net> rejected RCPT <x2@example.com>: relay not "      \
	"permitted"
	static const char *const sequential[] = {REJECT_A, REJECT_A, REJECT_B,
						 REJECT_B};
	static const char *const interleaved[] = {REJECT_A, REJECT_B,
						  REJECT_A, REJECT_B};
	static const char *const repeated[] = {REJECT_A, REJECT_A, REJECT_A};
	struct extractor *x = *state;
	char lines[65][160];
	const char *many[130];

	extractor_reset(x);
	check_int("sequential", "events",
		  count_events(x, sequential, ARRAY_LEN(sequential)), 2);
	extractor_reset(x);
	check_int("interleaved", "events",
		  count_events(x, interleaved, ARRAY_LEN(interleaved)), 2);
	/* A third copy is a new rejection. */
	extractor_reset(x);
	check_int("repeated", "events",
		  count_events(x, repeated, ARRAY_LEN(repeated)), 2);
	/* The first copy is forgotten at the end of an input. */
	extractor_reset(x);
	count_events(x, repeated, 1);
	extractor_reset(x);
	check_int("next input", "events", count_events(x, repeated, 1), 1);

	/* 64 processes, all first copies before all second copies. */
	for (size_t i = 0; i < ARRAY_LEN(lines); i++)
		snprintf(lines[i], sizeof lines[i],
			 SYSLOG "exim[%zu]: " T "H=[203.0.113.9] rejected "
				"RCPT <x%zu@example.com>: relay not permitted",
			 1000 + i, i);
	for (size_t i = 0; i < 64; i++)
		many[i] = many[64 + i] = lines[i];
	extractor_reset(x);
	check_int("64 processes", "events", count_events(x, many, 128), 64);

	/* With a 65th process, the oldest first copy is forgotten, so its
	 * second copy counts; the others are still found. */
	for (size_t i = 0; i < 65; i++)
		many[i] = lines[i];
	for (size_t i = 1; i < 65; i++)
		many[64 + i] = lines[i];
	many[129] = lines[0];
	extractor_reset(x);
	check_int("65 processes", "events", count_events(x, many, 130), 66);
	finish_cases();
#undef REJECT_A
#undef REJECT_B
}

/* The table of causes drops the oldest entry when it is full. */
static void
test_cause_table_cap(void **state)
{
	struct extractor *x = *state;
	char line[256];
	struct event ev;
	int len;

	extractor_reset(x);
	for (int i = 0; i <= CAUSES_MAX; i++) {
		len = snprintf(line, sizeof line,
			       T ID23 " == r%d@example.net R=dnslookup "
			       "T=remote_smtp defer (-44) H=mx.example.net "
			       "[198.51.100.8]: 451 4.7.1 Try later", i);
		assert_int_equal(classify(x, line, (size_t)len, false, &ev),
				 EXTRACT_EVENT);
	}

	len = snprintf(line, sizeof line,
		       T ID23 " ** r0@example.net: retry timeout exceeded");
	assert_int_equal(classify(x, line, (size_t)len, false, &ev),
			 EXTRACT_EVENT);
	check_span("oldest", "text", ev.text, "retry timeout exceeded");

	len = snprintf(line, sizeof line,
		       T ID23 " ** r%d@example.net: retry timeout exceeded",
		       CAUSES_MAX);
	assert_int_equal(classify(x, line, (size_t)len, false, &ev),
			 EXTRACT_EVENT);
	check_span("newest", "text", ev.text, "451 4.7.1 Try later");
	finish_cases();
}

/* Causes forgotten after a delivery leave room for new ones, so an old
 * deferral outlives any number of deferrals that were delivered. */
static void
test_cause_table_reuse(void **state)
{
	struct extractor *x = *state;
	char line[256];
	struct event ev;
	int len;

	extractor_reset(x);
	len = snprintf(line, sizeof line,
		       T ID16 " == stuck@example.org R=dnslookup "
		       "T=remote_smtp defer (-44) H=mx.example.org "
		       "[198.51.100.9]: 452 4.2.2 mailbox full");
	assert_int_equal(classify(x, line, (size_t)len, false, &ev),
			 EXTRACT_EVENT);
	for (int i = 0; i < CAUSES_MAX; i++) {
		len = snprintf(line, sizeof line,
			       T ID23 " == g%d@example.net R=dnslookup "
			       "T=remote_smtp defer (-44) H=mx.example.net "
			       "[198.51.100.8]: 451 4.7.1 Try later", i);
		assert_int_equal(classify(x, line, (size_t)len, false, &ev),
				 EXTRACT_EVENT);
		len = snprintf(line, sizeof line,
			       T ID23 " => g%d@example.net R=dnslookup "
			       "T=remote_smtp H=mx.example.net "
			       "[198.51.100.8] C=\"250 OK\"", i);
		assert_int_equal(classify(x, line, (size_t)len, false, &ev),
				 EXTRACT_EVENT);
	}

	len = snprintf(line, sizeof line,
		       T ID16 " ** stuck@example.org: retry timeout exceeded");
	assert_int_equal(classify(x, line, (size_t)len, false, &ev),
			 EXTRACT_EVENT);
	check_span("old deferral", "text", ev.text,
		   "452 4.2.2 mailbox full");
	check_span("old deferral", "remote host", ev.remote_host,
		   "mx.example.org");
	finish_cases();
}

/* build_line - prefix, then part repeated count times, then suffix */
static char *
build_line(const char *prefix, const char *part, size_t count,
	   const char *suffix, size_t *len)
{
	size_t np = strlen(prefix), nr = strlen(part), ns = strlen(suffix);
	char *line = malloc(np + nr * count + ns);
	char *p = line;

	assert_non_null(line);
	memcpy(p, prefix, np);
	p += np;
	for (size_t i = 0; i < count; i++, p += nr)
		memcpy(p, part, nr);
	memcpy(p, suffix, ns);
	*len = np + nr * count + ns;
	return line;
}

/* Long lines that almost fit a rule fail without hitting a PCRE2 limit. */
static void
test_long_lines(void **state)
{
	static const struct {
		const char *name, *prefix, *part, *suffix;
		size_t count;
		enum extract_result want;
	} cases[] = {
		{"failure tags without a reason", T ID16 " ** a@example.com",
		 " X=y", "", 50000, EXTRACT_UNKNOWN},
		{"failure hosts without a reason", T ID16 " ** a@example.com",
		 " H=mx [192.0.2.1]:25", " no separator", 20000,
		 EXTRACT_UNKNOWN},
		{"failure with many tags", T ID16 " ** a@example.com",
		 " X=y", ": 550 5.1.1 unknown DT=1s", 50000, EXTRACT_EVENT},
		{"deferral with many fields", T ID16 " == a@example.com",
		 " R=x", " defer (-44): x H=y", 50000, EXTRACT_EVENT},
		{"deferral without defer", T ID16 " == a@example.com", " R=x",
		 "", 50000, EXTRACT_UNKNOWN},
		{"client without rejected", T "H=", "a ", "accepted", 100000,
		 EXTRACT_UNKNOWN},
		{"failure address of open literals", T ID16 " ** ", "[a",
		 ": x", 50000, EXTRACT_EVENT},
		{"deferral address of open quotes", T ID16 " == ", "\"a",
		 " defer (-44): x", 50000, EXTRACT_EVENT},
	};
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len;
		char *line = build_line(cases[i].prefix, cases[i].part,
					cases[i].count, cases[i].suffix, &len);
		struct event ev;

		extractor_reset(x);
		check_str(cases[i].name, "result",
			  result_names[classify(x, line, len, false, &ev)],
			  result_names[cases[i].want]);
		free(line);
	}
	finish_cases();
}

/* A bounce message's own failures are charged to the null sender. */
static void
test_bounce_of_bounce(void **state)
{
	static const struct step steps[] = {
		{T ID23 " <= <> R=" ID16 " U=Debian-exim P=local S=1827",
		 EXTRACT_EVENT, NULL, 0, NULL, NULL, NULL},
		{T ID23 " ** blocked@example.com: Unrouteable address",
		 EXTRACT_EVENT, "Unrouteable address", 0, NULL, NULL, ""},
		{T ID23 " Frozen (delivery error message)",
		 EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
		{T ID23 " Completed", EXTRACT_EVENT, NULL, 0, NULL, NULL, NULL},
		/* After Completed the id is forgotten. */
		{T ID23 " ** late@example.com: Unrouteable address",
		 EXTRACT_EVENT, "Unrouteable address", 0, NULL, NULL, NULL},
	};

	(void)state;
	run_steps("bounce of a bounce", steps, ARRAY_LEN(steps));
	finish_cases();
}

/* The reject log: header lines belong to the rejection before them. */
static void
test_reject_log_headers(void **state)
{
	static const struct step steps[] = {
	    {"P Received: from mail.example.org", EXTRACT_UNKNOWN, NULL, 0,
	     NULL, NULL, NULL},
	    {T ID16 " H=mail.example.org [198.51.100.20] "
		    "F=<x@example.org> rejected after DATA: 550 5.7.1 spam",
	     EXTRACT_EVENT, "550 5.7.1 spam", 550, "5.7.1", NULL,
	     "x@example.org"},
	    {"Envelope-from: <x@example.org>", EXTRACT_INFO, NULL, 0, NULL,
	     NULL, NULL},
	    {"Envelope-to: <a@example.com>", EXTRACT_INFO, NULL, 0, NULL, NULL,
	     NULL},
	    {"    <b@example.com>", EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
	    {"P Received: from mail.example.org ([198.51.100.20])",
	     EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
	    {"\tby mx1.example.com with esmtp (Exim 4.96)", EXTRACT_INFO, NULL,
	     0, NULL, NULL, NULL},
	    {"F From: X <x@example.org>", EXTRACT_INFO, NULL, 0, NULL, NULL,
	     NULL},
	    {"  Subject: offer", EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
	    {"*** truncated ***", EXTRACT_INFO, NULL, 0, NULL, NULL, NULL},
	    {T "Start queue run: pid=1", EXTRACT_INFO, NULL, 0, NULL, NULL,
	     NULL},
	    {"T To: a@example.com", EXTRACT_UNKNOWN, NULL, 0, NULL, NULL, NULL},
	};

	(void)state;
	run_steps("reject log", steps, ARRAY_LEN(steps));
	finish_cases();
}

/* Which headerless lines the format claims. */
static void
test_sniff(void **state)
{
	static const struct {
		const char *line;
		bool want;
	} cases[] = {
		{T ID16 " Completed", true},
		{"2024-03-04 10:00:01", true},
		{"2024-03-04 10:00:01.123 [77] x", true},
		{"2024-03-04 10:00:01 +0100 x", true},
		{"Envelope-from: <a@example.com>", true},
		{"F From: a@example.com", true},
		{"*** truncated ***", true},
		{"host exim[12]: 2024-03-04 10:00:01 x", true},
		{"2024-03-04T10:00:01 mx1 exim[12]: x", false},
		{"2024-02-30 10:00:01 x", false},
		{"2024-03-04 24:00:01 x", false},
		{"2024-03-04 10:00:01x", false},
		{"X From: a@example.com", false},
		{"F nothing here", false},
		{"# failJSON: {}", false},
		{"", false},
	};
	const struct extractor_backend *b = extractor_backend(*state);

	assert_non_null(b->sniff);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len = strlen(cases[i].line);
		char *line = copy_exact(cases[i].line, len);

		check_int(cases[i].line, "sniff", b->sniff(line, len),
			  cases[i].want);
		free(line);
	}
	finish_cases();
}

/* A mail.log mixes Exim with other programs; each goes to its format. */
static void
test_mixed_routing(void **state)
{
	static const struct {
		const char *line;
		enum extract_result want;
		const char *want_format;
	} lines[] = {
		{SYSLOG "postfix/qmgr[1001]: 4F1A2B3C4D: removed",
		 EXTRACT_EVENT, "postfix"},
		{SYSLOG "exim[4711]: 2024-03-04 10:00:01 " ID16 " Completed",
		 EXTRACT_EVENT, "exim"},
		{SYSLOG "dovecot: imap-login: Login: user=<a@example.com>",
		 EXTRACT_FOREIGN, NULL},
		{T ID16 " Completed", EXTRACT_EVENT, "exim"},
		{" Suggested action: use keep_environment.", EXTRACT_INFO,
		 "exim"},
		{"not a log line", EXTRACT_NO_HEADER, NULL},
	};
	struct router *r = router_open("auto", NULL);
	const struct sysline_year ref = {2024, 12, 0};

	(void)state;
	assert_non_null(r);
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		struct route_result res;
		struct event ev;

		router_line(r, lines[i].line, strlen(lines[i].line), &ref, &ev,
			    &res);
		check_str(lines[i].line, "result", result_names[res.result],
			  result_names[lines[i].want]);
		check_str(lines[i].line, "format",
			  res.format < 0
			      ? NULL
			      : router_format_name(r, (size_t)res.format),
			  lines[i].want_format);
	}
	router_close(r);
	finish_cases();
}

static int
setup_extractor(void **state)
{
	const struct extractor_backend *backend = extractor_find("exim");
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
		cmocka_unit_test(test_exim_cases),
		cmocka_unit_test(test_inherited_cause),
		cmocka_unit_test(test_last_host),
		cmocka_unit_test_setup_teardown(test_cause_across_inputs,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_state_per_input,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_syslog_duplicates,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_cause_table_cap,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_cause_table_reuse,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_bounce_of_bounce),
		cmocka_unit_test(test_reject_log_headers),
		cmocka_unit_test_setup_teardown(test_long_lines,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_sniff, setup_extractor,
						teardown_extractor),
		cmocka_unit_test(test_mixed_routing),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("extract_exim", tests, ARRAY_LEN(tests));
}
