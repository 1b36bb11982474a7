/* SPDX-License-Identifier: MIT */
/*
 * test_extract_exchange.c - unit tests of the Exchange extractor
 *
 * Each case starts a new input, feeds the lines before it (a header, or
 * the earlier commands of an SMTP session), which must all be
 * recognised, and then classifies its own line.  Every event the line
 * yields, through extractor_classify() and then extractor_more(), is
 * compared field by field; a field a case leaves out must be absent.
 * Lines are copied into buffers of exactly their length, so that a read
 * past the end shows up under AddressSanitizer and valgrind.  meson runs
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
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/extract.h"
#include "bouncelog/route.h"
#include "check.h"
#include "extract_check.h"

#define BOM "\xef\xbb\xbf"
#define FIELDS_2019                                                          \
	"#Fields: date-time,client-ip,client-hostname,server-ip,"            \
	"server-hostname,source-context,connector-id,source,event-id,"       \
	"internal-message-id,message-id,network-message-id,"                 \
	"recipient-address,recipient-status,total-bytes,recipient-count,"    \
	"related-recipient-address,reference,message-subject,"               \
	"sender-address,return-path,message-info,directionality,tenant-id,"  \
	"original-client-ip,original-server-ip,custom-data,"                 \
	"transport-traffic-type,log-id,schema-version"
#define FIELDS_2010                                                          \
	"#Fields: date-time,client-ip,client-hostname,server-ip,"            \
	"server-hostname,source-context,connector-id,source,event-id,"       \
	"internal-message-id,message-id,recipient-address,recipient-status," \
	"total-bytes,recipient-count,related-recipient-address,reference,"   \
	"message-subject,sender-address,return-path,message-info,"           \
	"directionality,tenant-id,original-client-ip,original-server-ip,"    \
	"custom-data"
#define FIELDS_SMTP                                                          \
	"#Fields: date-time,connector-id,session-id,sequence-number,"        \
	"local-endpoint,remote-endpoint,event,data,context"

/* A 30-column row of Exchange 2013 to 2019 and a 26-column row of
 * Exchange 2010, with the columns the cases vary. */
#define ROW19(time, sip, shost, source, event, rcpt, status, sender)        \
	time ",,," sip "," shost ",,," source "," event ",4101,"             \
	"<m1@example.org>,," rcpt "," status ",100,1,,,Subject," sender      \
	",,,Incoming,,,,,Email,,15.02.1544.004"
#define ROW10(time, sip, shost, source, event, rcpt, status, sender)        \
	time ",,," sip "," shost ",,," source "," event ",4101,"             \
	"<m1@example.org>," rcpt "," status ",100,1,,,Subject," sender       \
	",,,Incoming,,,,"

#define T1 "2024-05-06T08:12:01.123Z"
#define NOT_FOUND "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"
#define LOOKUP                                                               \
	"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by " \
	"SMTP address lookup"
#define POLICY                                                               \
	"550 5.7.1 Message rejected, see https://help.example.net/policy;id=5"
#define DEFER_TEXT                                                           \
	"451 4.4.0 Primary target IP address responded with: \"421 4.4.2 "   \
	"Connection dropped due to SocketError.\" Attempted failover to "    \
	"alternate host, but that did not succeed. The last endpoint "      \
	"attempted was 203.0.113.25:25"
#define SMTP_ROW(event, data)                                                \
	T1 ",Internet Send Connector,08DC6DAB12340001,1,192.0.2.5:51234,"    \
	"198.51.100.30:25," event "," data ","
#define RECV_ROW(event, data)                                                \
	T1 ",MBX01\\Default Frontend MBX01,08DA4F7C11473A60,9,"              \
	"192.0.2.5:25,203.0.113.9:53722," event "," data ","

/* The lines before a case's own line. */
static const char *const header_2019[] = {
	BOM "#Software: Microsoft Exchange Server",
	"#Version: 15.02.1544.004",
	"#Log-type: Message Tracking Log",
	"#Date: 2024-05-06T08:00:00.000Z",
	FIELDS_2019,
	NULL,
};
static const char *const header_2010[] = {
	BOM "#Software: Microsoft Exchange Server",
	"#Version: 14.03.0123.003",
	"#Log-type: Message Tracking Log",
	FIELDS_2010,
	NULL,
};
static const char *const header_send[] = {
	BOM "#Software: Microsoft Exchange Server",
	"#Log-type: SMTP Send Protocol Log",
	FIELDS_SMTP,
	SMTP_ROW("+", ""),
	SMTP_ROW("<", "220 mx.example.net ESMTP"),
	SMTP_ROW(">", "EHLO MBX01.example.com"),
	SMTP_ROW("<", "250-mx.example.net"),
	SMTP_ROW("<", "250 PIPELINING"),
	SMTP_ROW(">", "MAIL FROM:<bob@example.com> SIZE=1200"),
	SMTP_ROW(">", "RCPT TO:<carol@example.net>"),
	SMTP_ROW(">", "RCPT TO:<dave@example.net>"),
	SMTP_ROW("<", "250 2.1.0 Sender OK"),
	SMTP_ROW("<", "250 2.1.5 Recipient OK"),
	NULL,
};
static const char *const header_receive[] = {
	BOM "#Software: Microsoft Exchange Server",
	"#Log-type: SMTP Receive Protocol Log",
	FIELDS_SMTP,
	RECV_ROW("+", ""),
	RECV_ROW(">", "220 MBX01.example.com Microsoft ESMTP MAIL Service"),
	RECV_ROW("<", "EHLO client.example.org"),
	RECV_ROW(">", "250 MBX01.example.com Hello"),
	RECV_ROW("<", "MAIL FROM:<eve@example.org>"),
	RECV_ROW(">", "250 2.1.0 Sender OK"),
	RECV_ROW("<", "RCPT TO:<nobody@example.com>"),
	NULL,
};
static const char *const header_trace[] = {
	BOM "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Subject\","
	    "\"Status\",\"ToIP\",\"FromIP\",\"Size\",\"MessageId\","
	    "\"MessageTraceId\"",
	NULL,
};
static const char *const header_summary[] = {
	"origin_timestamp_utc,sender_address,recipient_status,"
	"message_subject,total_bytes,message_id,network_message_id,"
	"original_client_ip,directionality,connector_id,delivery_priority",
	NULL,
};
static const char *const header_changed[] = {
	BOM "#Software: Microsoft Exchange Server",
	"#Log-type: Message Tracking Log",
	FIELDS_2010,
	"#Fields: event-id,recipient-address,date-time,recipient-status",
	NULL,
};

struct want_event {
	enum event_type type;
	enum delivery_status status;	/* EVENT_DELIVERY only */
	const char *qid;		/* NULL: absent, for every span */
	const char *to;
	const char *from;
	const char *remote_host;
	const char *remote_addr;
	const char *client_addr;
	const char *stage;
	const char *text;
	const char *component;
	int reply_code;
	const char *reply_enh;		/* NULL when absent */
};

/* Maximum number of events one case expects from its line. */
#define CASE_EVENTS 3

struct row_case {
	const char *name;
	const char *const *before;	/* NULL-terminated, or NULL */
	const char *line;
	enum extract_result want_result;
	const char *want_note;		/* the start of in->note, or NULL */
	size_t want_count;		/* events, for EXTRACT_EVENT */
	struct want_event want[CASE_EVENTS];
};

static const struct row_case row_cases[] = {
	/* Header lines. */
	{.name = "software line with byte order mark",
	 .line = BOM "#Software: Microsoft Exchange Server",
	 .want_result = EXTRACT_INFO},
	{.name = "fields line",
	 .line = FIELDS_2019,
	 .want_result = EXTRACT_INFO},
	{.name = "unknown header line",
	 .before = header_2019,
	 .line = "#Comment: hello",
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "unknown header line"},
	{.name = "powershell type line",
	 .line = "#TYPE Deserialized.MessageTrace",
	 .want_result = EXTRACT_INFO},

	/* Message tracking rows of Exchange 2019. */
	{.name = "routing fail",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
		       "nobody@example.com", NOT_FOUND, "billing@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "nobody@example.com",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = NOT_FOUND,
		   .component = "RESOLVER.ADR.RecipNotFound",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},
	{.name = "send to two, code without space",
	 .before = header_2019,
	 .line = ROW19(T1, "198.51.100.30", "mx.example.net", "SMTP", "SEND",
		       "carol@example.net;dave@example.net",
		       "250 2.1.5Recipient OK;250 2.1.5Recipient OK",
		       "bob@example.com"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_SENT,
		   .qid = "4101", .to = "carol@example.net",
		   .from = "bob@example.com", .remote_host = "mx.example.net",
		   .remote_addr = "198.51.100.30",
		   .text = "250 2.1.5 Recipient OK", .reply_code = 250,
		   .reply_enh = "2.1.5"},
		  {.type = EVENT_DELIVERY, .status = STATUS_SENT,
		   .qid = "4101", .to = "dave@example.net",
		   .from = "bob@example.com", .remote_host = "mx.example.net",
		   .remote_addr = "198.51.100.30",
		   .text = "250 2.1.5 Recipient OK", .reply_code = 250,
		   .reply_enh = "2.1.5"}}},
	{.name = "queue expiry is a bounce",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "QUEUE", "FAIL", "erin@example.org",
		       "550 4.4.7 QUEUE.Expired; message expired",
		       "bob@example.com"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "erin@example.org",
		   .from = "bob@example.com", .remote_host = "MBX01",
		   .text = "550 4.4.7 QUEUE.Expired; message expired",
		   .component = "QUEUE.Expired", .reply_code = 550,
		   .reply_enh = "4.4.7"}}},
	{.name = "two statuses that contain semicolons",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
		       "ghost@example.com;henry@example.com",
		       LOOKUP ";" LOOKUP, "news@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "ghost@example.com",
		   .from = "news@example.org", .remote_host = "MBX01",
		   .text = LOOKUP,
		   .component = "RESOLVER.ADR.RecipientNotFound",
		   .reply_code = 550, .reply_enh = "5.1.10"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "henry@example.com",
		   .from = "news@example.org", .remote_host = "MBX01",
		   .text = LOOKUP,
		   .component = "RESOLVER.ADR.RecipientNotFound",
		   .reply_code = 550, .reply_enh = "5.1.10"}}},
	{.name = "one status for two recipients",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "DEFER",
		       "gus@example.org;hal@example.org",
		       "452 4.3.1 Insufficient system resources",
		       "cat@example.com"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_DEFERRED,
		   .qid = "4101", .to = "gus@example.org",
		   .from = "cat@example.com", .remote_host = "MBX01",
		   .text = "452 4.3.1 Insufficient system resources",
		   .reply_code = 452, .reply_enh = "4.3.1"},
		  {.type = EVENT_DELIVERY, .status = STATUS_DEFERRED,
		   .qid = "4101", .to = "hal@example.org",
		   .from = "cat@example.com", .remote_host = "MBX01",
		   .text = "452 4.3.1 Insufficient system resources",
		   .reply_code = 452, .reply_enh = "4.3.1"}}},
	{.name = "shared status with a semicolon",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "FAIL",
		       "ann@example.net;bob@example.net",
		       "\"" POLICY "\"", "billing@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "ann@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = POLICY, .reply_code = 550, .reply_enh = "5.7.1"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "bob@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = POLICY, .reply_code = 550, .reply_enh = "5.7.1"}}},
	{.name = "statuses split before enhanced codes",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "FAIL",
		       "ann@example.net;bob@example.net",
		       "5.1.1 unknown;id=5;5.2.2 mailbox full",
		       "billing@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "ann@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "5.1.1 unknown;id=5", .reply_enh = "5.1.1"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "bob@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "5.2.2 mailbox full", .reply_enh = "5.2.2"}}},
	{.name = "fewer statuses than recipients",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "FAIL",
		       "ann@example.net;bob@example.net;cy@example.net",
		       "550 5.1.1 unknown;550 5.2.2 mailbox full",
		       "billing@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 3,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "ann@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "550 5.1.1 unknown;550 5.2.2 mailbox full",
		   .reply_code = 550, .reply_enh = "5.1.1"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "bob@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "550 5.1.1 unknown;550 5.2.2 mailbox full",
		   .reply_code = 550, .reply_enh = "5.1.1"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "cy@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "550 5.1.1 unknown;550 5.2.2 mailbox full",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},
	{.name = "first piece not a status",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "DEFER",
		       "ann@example.net;bob@example.net",
		       "queued;451 4.4.0 retry", "billing@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_DEFERRED,
		   .qid = "4101", .to = "ann@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "queued;451 4.4.0 retry", .reply_enh = "4.4.0"},
		  {.type = EVENT_DELIVERY, .status = STATUS_DEFERRED,
		   .qid = "4101", .to = "bob@example.net",
		   .from = "billing@example.org", .remote_host = "MBX01",
		   .text = "queued;451 4.4.0 retry", .reply_enh = "4.4.0"}}},
	{.name = "deferral quoting the remote reply",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "DEFER", "erin@example.org",
		       "\"451 4.4.0 Primary target IP address responded "
		       "with: \"\"421 4.4.2 Connection dropped due to "
		       "SocketError.\"\" Attempted failover to alternate "
		       "host, but that did not succeed. The last endpoint "
		       "attempted was 203.0.113.25:25\"",
		       "bob@example.com"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_DEFERRED,
		   .qid = "4101", .to = "erin@example.org",
		   .from = "bob@example.com", .remote_host = "203.0.113.25",
		   .remote_addr = "203.0.113.25", .text = DEFER_TEXT,
		   .reply_code = 451, .reply_enh = "4.4.0"}}},
	{.name = "status with a comma in quotes",
	 .before = header_2019,
	 .line = ROW19(T1, "198.51.100.40", "mx.example.org", "SMTP", "FAIL",
		       "mia@example.org",
		       "\"550 5.7.1 Service unavailable, client blocked\"",
		       "<>"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "mia@example.org", .from = "",
		   .remote_host = "mx.example.org",
		   .remote_addr = "198.51.100.40",
		   .text = "550 5.7.1 Service unavailable, client blocked",
		   .reply_code = 550, .reply_enh = "5.7.1"}}},
	{.name = "dsn is a notification",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "DSN", "DSN", "billing@example.org",
		       "", "MicrosoftExchange@example.com"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_NOTIFICATION, .qid = "4101",
		   .from = "MicrosoftExchange@example.com",
		   .remote_host = "MBX01"}}},
	{.name = "receive is info",
	 .before = header_2019,
	 .line = ROW19(T1, "192.0.2.5", "MBX01", "SMTP", "RECEIVE",
		       "a@example.com;b@example.com", "", "c@example.org"),
	 .want_result = EXTRACT_INFO},
	{.name = "lower-case event id",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "STOREDRIVER", "deliver",
		       "a@example.com", "250 2.1.5 Recipient OK",
		       "c@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_SENT,
		   .qid = "4101", .to = "a@example.com",
		   .from = "c@example.org", .remote_host = "MBX01",
		   .text = "250 2.1.5 Recipient OK", .reply_code = 250,
		   .reply_enh = "2.1.5"}}},
	{.name = "unknown event id",
	 .before = header_2019,
	 .line = ROW19(T1, "", "MBX01", "SMTP", "TELEPORT", "a@example.com",
		       "", "c@example.org"),
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "no rule for event-id \"TELEPORT\""},
	{.name = "row with too few fields",
	 .before = header_2019,
	 .line = T1 ",,,,MBX01,,,ROUTING,FAIL,4101",
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "row has 10 fields, the column list names 30"},
	{.name = "row with an unclosed quote",
	 .before = header_2019,
	 .line = T1 ",,,,MBX01,,,ROUTING,FAIL,4101,\"<m1@example.org>",
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "invalid CSV row: quoted field not closed"},
	{.name = "row with an invalid time",
	 .before = header_2019,
	 .line = ROW19("2024-13-06T08:12:01Z", "", "MBX01", "ROUTING",
		       "FAIL", "a@example.com", NOT_FOUND, "c@example.org"),
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "invalid date-time"},
	{.name = "row before any header",
	 .line = T1 ",a,b,c",
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "row of 4 fields before any #Fields line"},

	/* Exchange 2010, a changed column list, and rows without header. */
	{.name = "exchange 2010 fail",
	 .before = header_2010,
	 .line = ROW10(T1, "", "HUB01", "ROUTING", "FAIL", "x@example.com",
		       NOT_FOUND, "y@example.net"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "x@example.com",
		   .from = "y@example.net", .remote_host = "HUB01",
		   .text = NOT_FOUND,
		   .component = "RESOLVER.ADR.RecipNotFound",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},
	{.name = "exchange 2010 row after 2019 fields",
	 .before = header_2019,
	 .line = ROW10(T1, "", "HUB01", "ROUTING", "FAIL", "x@example.com",
		       NOT_FOUND, "y@example.net"),
	 .want_result = EXTRACT_UNKNOWN,
	 .want_note = "row has 26 fields, the column list names 30"},
	{.name = "columns in another order",
	 .before = header_changed,
	 .line = "FAIL,z@example.org," T1 "," NOT_FOUND,
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .to = "z@example.org", .text = NOT_FOUND,
		   .component = "RESOLVER.ADR.RecipNotFound",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},
	{.name = "headerless 30-column row",
	 .line = ROW19(T1, "", "MBX01", "ROUTING", "FAIL", "a@example.com",
		       NOT_FOUND, "c@example.org"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "4101", .to = "a@example.com",
		   .from = "c@example.org", .remote_host = "MBX01",
		   .text = NOT_FOUND,
		   .component = "RESOLVER.ADR.RecipNotFound",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},

	/* SMTP protocol logs. */
	{.name = "send log rejection of a pipelined recipient",
	 .before = header_send,
	 .line = SMTP_ROW("<", "550 5.1.1 <dave@example.net>: User unknown"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .to = "dave@example.net", .from = "bob@example.com",
		   .remote_host = "198.51.100.30",
		   .remote_addr = "198.51.100.30",
		   .text = "550 5.1.1 <dave@example.net>: User unknown",
		   .reply_code = 550, .reply_enh = "5.1.1"}}},
	{.name = "send log continued reply",
	 .before = header_send,
	 .line = SMTP_ROW("<", "550-5.1.1 first line"),
	 .want_result = EXTRACT_INFO},
	{.name = "send log command",
	 .before = header_send,
	 .line = SMTP_ROW(">", "DATA"),
	 .want_result = EXTRACT_INFO},
	{.name = "receive log rejection",
	 .before = header_receive,
	 .line = RECV_ROW(">", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
			       "Recipient not found"),
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_REJECT, .to = "nobody@example.com",
		   .from = "eve@example.org", .client_addr = "203.0.113.9",
		   .stage = "RCPT",
		   .text = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
			   "Recipient not found",
		   .reply_code = 550, .reply_enh = "5.1.10"}}},
	{.name = "headerless authentication failure",
	 .line = "2022-07-20T21:12:06.270Z,EXCHANGE-1\\Default Frontend "
		 "EXCHANGE-1,08DA4F7C11473A60,9,192.0.2.41:25,"
		 "203.0.113.12:53722,>,535 5.7.3 Authentication "
		 "unsuccessful,",
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_REJECT, .client_addr = "203.0.113.12",
		   .stage = "AUTH",
		   .text = "535 5.7.3 Authentication unsuccessful",
		   .reply_code = 535, .reply_enh = "5.7.3"}}},

	/* Exchange Online message trace exports. */
	{.name = "message trace failure",
	 .before = header_trace,
	 .line = "\"5/6/2024 8:15:02 PM\",\"bob@example.com\","
		 "\"erin@example.net\",\"Hi, there\",\"Failed\","
		 "\"198.51.100.9\",\"192.0.2.5\",\"2048\","
		 "\"<x1@example.com>\","
		 "\"5c1a2b3c-1111-2222-3333-444455556666\"",
	 .want_result = EXTRACT_EVENT,
	 .want_count = 1,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "5c1a2b3c-1111-2222-3333-444455556666",
		   .to = "erin@example.net", .from = "bob@example.com",
		   .remote_host = "198.51.100.9",
		   .remote_addr = "198.51.100.9"}}},
	{.name = "message trace expanded",
	 .before = header_trace,
	 .line = "\"5/6/2024 8:15:02 AM\",\"bob@example.com\","
		 "\"team@example.com\",\"x\",\"Expanded\",\"\",\"\",\"1\","
		 "\"<x2@example.com>\",\"5c1a2b3c\"",
	 .want_result = EXTRACT_INFO},
	{.name = "summary report recipients",
	 .before = header_summary,
	 .line = "2024-05-06T08:15:02.1140000Z,bob@example.com,"
		 "\"a@example.net##Receive, Send;b@example.net##Receive, "
		 "Fail;c@example.net##Receive\",Hi,100,<x3@example.com>,"
		 "0c9b8a7d,192.0.2.5,2,,Normal",
	 .want_result = EXTRACT_EVENT,
	 .want_count = 2,
	 .want = {{.type = EVENT_DELIVERY, .status = STATUS_SENT,
		   .qid = "<x3@example.com>", .to = "a@example.net",
		   .from = "bob@example.com"},
		  {.type = EVENT_DELIVERY, .status = STATUS_BOUNCED,
		   .qid = "<x3@example.com>", .to = "b@example.net",
		   .from = "bob@example.com"}}},
};

/* check_event - every field of ev against want */
static void
check_event(const char *name, const struct want_event *want,
	    const struct event *ev)
{
	char buf[ENH_STATUS_LEN];
	struct event analyzed;

	ev = check_reply_found(name, ev, &analyzed);

	check_str(name, "type", type_names[ev->type], type_names[want->type]);
	if (want->type == EVENT_DELIVERY)
		check_str(name, "status", status_names[ev->status],
			  status_names[want->status]);
	check_span(name, "queue id", ev->queue_id, want->qid);
	check_span(name, "recipient", ev->recipient, want->to);
	check_span(name, "sender", ev->sender, want->from);
	check_span(name, "remote host", ev->remote_host, want->remote_host);
	check_span(name, "remote addr", ev->remote_addr, want->remote_addr);
	check_span(name, "client host", ev->client_host, NULL);
	check_span(name, "client addr", ev->client_addr, want->client_addr);
	check_span(name, "stage", ev->stage, want->stage);
	check_span(name, "text", ev->text, want->text);
	check_span(name, "component", ev->component, want->component);
	check_str(name, "log status", format_enh_code(&ev->enh, buf), "none");
	check_int(name, "reply code", ev->reply_code, want->reply_code);
	check_str(name, "reply enhanced", format_enh_code(&ev->reply_enh, buf),
		  want->reply_enh ? want->reply_enh : "none");

	/* Every row's time is UTC, and the event carries it. */
	check_int(name, "has time", ev->has_time, 1);
	check_int(name, "has offset", ev->time.has_offset, 1);
	check_int(name, "offset", ev->time.offset_min, 0);
}

/* classify_copy - classify text from a buffer of exactly its length */
static enum extract_result
classify_copy(struct extractor *x, const char *text, char **copy,
	      struct extract_line *in, struct event *ev)
{
	size_t len = strlen(text);

	*copy = copy_exact(text, len);
	memset(in, 0, sizeof *in);
	in->text = *copy;
	in->len = len;
	memset(ev, 0xa5, sizeof *ev);
	return extractor_classify(x, in, ev);
}

/* feed_before - the lines before a case, each of which must be read */
static void
feed_before(struct extractor *x, const struct row_case *c)
{
	for (size_t i = 0; c->before != NULL && c->before[i] != NULL; i++) {
		struct extract_line in;
		struct event ev;
		char *copy;
		char what[32];
		enum extract_result got =
			classify_copy(x, c->before[i], &copy, &in, &ev);

		snprintf(what, sizeof what, "line %zu before", i + 1);
		if (got != EXTRACT_INFO && got != EXTRACT_EVENT)
			check_str(c->name, what, result_names[got], "INFO");
		free(copy);
	}
}

/* check_note - the start of in->note */
static void
check_note(const struct row_case *c, const struct extract_line *in)
{
	size_t n = c->want_note ? strlen(c->want_note) : 0;

	if (c->want_note == NULL)
		return;
	if (in->note == NULL || strncmp(in->note, c->want_note, n) != 0)
		check_str(c->name, "note", in->note, c->want_note);
}

static void
test_row_cases(void **state)
{
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(row_cases); i++) {
		const struct row_case *c = &row_cases[i];
		struct extract_line in;
		struct event ev;
		size_t count = 0;
		char *copy;
		enum extract_result got;

		extractor_reset(x);
		feed_before(x, c);
		got = classify_copy(x, c->line, &copy, &in, &ev);
		check_str(c->name, "result", result_names[got],
			  result_names[c->want_result]);
		check_note(c, &in);
		while (got == EXTRACT_EVENT) {
			char name[96];

			snprintf(name, sizeof name, "%s, event %zu", c->name,
				 count + 1);
			if (count < c->want_count && count < CASE_EVENTS)
				check_event(name, &c->want[count], &ev);
			count++;
			if (count > CASE_EVENTS ||
			    !extractor_more(x, &in, &ev))
				break;
		}
		if (got == EXTRACT_EVENT)
			check_int(c->name, "events", (long long)count,
				  (long long)c->want_count);
		free(copy);
	}
	finish_cases();
}

/* The row's time becomes the line's and the event's, in UTC. */
static void
test_row_time(void **state)
{
	struct extractor *x = *state;
	struct extract_line in;
	struct event ev;
	char *copy;
	char buf[48];

	extractor_reset(x);
	assert_int_equal(classify_copy(x, ROW19(T1, "", "MBX01", "ROUTING",
						"FAIL", "a@example.com",
						NOT_FOUND, "c@example.org"),
				       &copy, &in, &ev),
			 EXTRACT_EVENT);
	check_int("time", "line has time", in.has_time, 1);
	check_str("time", "line time",
		  logtime_format(&in.time, buf, sizeof buf),
		  "2024-05-06T08:12:01Z");
	check_int("time", "microseconds", in.time.usec, 123000);
	check_str("time", "event time",
		  logtime_format(&ev.time, buf, sizeof buf),
		  "2024-05-06T08:12:01Z");
	free(copy);
	finish_cases();
}

/* The statuses of a row stay in place while more() walks it: a second
 * row starts a new walk, and a row that is not a delivery has none. */
static void
test_more_after_row(void **state)
{
	struct extractor *x = *state;
	struct extract_line in;
	struct event ev;
	char *copy;

	extractor_reset(x);
	feed_before(x, &(struct row_case){.name = "more",
					  .before = header_2019});
	assert_int_equal(classify_copy(x, ROW19(T1, "", "MBX01", "SMTP",
						"RECEIVE", "a@example.com;"
						"b@example.com", "",
						"c@example.org"),
				       &copy, &in, &ev),
			 EXTRACT_INFO);
	check_int("more", "after an info row", extractor_more(x, &in, &ev),
		  0);
	free(copy);
	finish_cases();
}

/*
 * Rules that hit PCRE2's match limit on some values: a status that ends
 * in a run of "a" and a summary report event of many "X".  Nested
 * quantifiers backtrack exponentially on such a near miss.
 */
static const char slow_rules[] =
	"format exchange\n"
	"rule bounced tracking ^FAIL\\s\n"
	"rule info tracking ^RECEIVE\\s\n"
	"rule info tracking ^(X+)+$\n"
	"rule component status (a+)+$\n";

#define SLOW "550 5.1.1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
#define SLOW_EVENT "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
/* Short enough that the extractor would keep its kind. */
#define SLOW_EVENT_ID "XXXXXXXXXXXXXXXXXXXXXXXX"

struct limit_case {
	const char *name;
	const char *const *before;
	const char *line;
	enum extract_result want_result;
	size_t want_count;		/* events, for EXTRACT_EVENT */
};

static const struct limit_case limit_cases[] = {
	{"slow status", header_2019,
	 ROW19(T1, "", "MBX01", "ROUTING", "FAIL", "a@example.com", SLOW,
	       "c@example.org"),
	 EXTRACT_LIMIT, 0},
	{"slow status of the first recipient", header_2019,
	 ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
	       "a@example.com;b@example.com", SLOW ";" NOT_FOUND,
	       "c@example.org"),
	 EXTRACT_LIMIT, 0},
	{"slow status of a later recipient", header_2019,
	 ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
	       "a@example.com;b@example.com;d@example.com",
	       NOT_FOUND ";" NOT_FOUND ";" SLOW, "c@example.org"),
	 EXTRACT_LIMIT, 0},
	{"slow status shared by two", header_2019,
	 ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
	       "a@example.com;b@example.com", SLOW, "c@example.org"),
	 EXTRACT_LIMIT, 0},
	{"slow event id", header_2019,
	 ROW19(T1, "", "MBX01", "S", SLOW_EVENT_ID, "a@example.com",
	       NOT_FOUND, "c@example.org"),
	 EXTRACT_LIMIT, 0},
	{"statuses within the limit", header_2019,
	 ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
	       "a@example.com;b@example.com", NOT_FOUND ";" NOT_FOUND,
	       "c@example.org"),
	 EXTRACT_EVENT, 2},
	{"slow event in a summary report", header_summary,
	 "2024-05-06T08:15:02.1140000Z,bob@example.com,"
	 "\"a@example.net##Receive, Fail;b@example.net##Receive, " SLOW_EVENT
	 "\",Hi,100,<x3@example.com>,0c9b8a7d,192.0.2.5,2,,Normal",
	 EXTRACT_LIMIT, 0},
	{"summary report within the limit", header_summary,
	 "2024-05-06T08:15:02.1140000Z,bob@example.com,"
	 "\"a@example.net##Receive, Fail;b@example.net##Receive\",Hi,100,"
	 "<x3@example.com>,0c9b8a7d,192.0.2.5,2,,Normal",
	 EXTRACT_EVENT, 1},
};

/* A PCRE2 limit on any recipient's rule fails the whole row, as it
 * fails a line of the other formats, and more() then has no event. */
static void
test_limit_cases(void **state)
{
	struct extractor *x = *state;

	for (size_t i = 0; i < ARRAY_LEN(limit_cases); i++) {
		const struct limit_case *c = &limit_cases[i];
		struct row_case before = {.name = c->name,
					  .before = c->before};
		struct extract_line in;
		struct event ev;
		size_t count = 0;
		char *copy;
		enum extract_result got;

		extractor_reset(x);
		feed_before(x, &before);
		got = classify_copy(x, c->line, &copy, &in, &ev);
		check_str(c->name, "result", result_names[got],
			  result_names[c->want_result]);
		if (got == EXTRACT_EVENT)
			count++;
		while (count > 0 && count <= CASE_EVENTS &&
		       extractor_more(x, &in, &ev))
			count++;
		if (got != EXTRACT_EVENT)
			check_int(c->name, "more after the row",
				  extractor_more(x, &in, &ev), 0);
		check_int(c->name, "events", (long long)count,
			  (long long)c->want_count);
		free(copy);

		/* The same row again gives the same result: a limit hit is
		 * not kept as the row's kind. */
		got = classify_copy(x, c->line, &copy, &in, &ev);
		check_str(c->name, "result again", result_names[got],
			  result_names[c->want_result]);
		free(copy);
	}
	finish_cases();
}

/* Sources and event ids of tracking rows, more pairs of them than the
 * extractor keeps the kinds of, and a few that no rule matches. */
static const char *const kind_sources[] = {"SMTP", "STOREDRIVER", "ROUTING",
					   "DSN", "AGENT", "GATEWAY"};
static const char *const kind_events[] = {
    "RECEIVE", "DELIVER", "SEND", "FAIL", "DEFER", "DSN", "AGENTINFO",
    "SUBMIT", "RESOLVE", "EXPAND", "NOSUCHEVENT"};

/* row_outcome - one row's result and every event it yields, as text */
static void
row_outcome(struct extractor *x, const char *line, char *out, size_t size)
{
	struct extract_line in;
	struct event ev;
	char *copy;
	enum extract_result got = classify_copy(x, line, &copy, &in, &ev);
	size_t n = (size_t)snprintf(out, size, "%s", result_names[got]);

	for (size_t count = 0; got == EXTRACT_EVENT && count < CASE_EVENTS;
	     count++) {
		n += (size_t)snprintf(out + n, size - n, " %s/%s",
				      type_names[ev.type],
				      ev.type == EVENT_DELIVERY
					  ? status_names[ev.status]
					  : "-");
		if (!extractor_more(x, &in, &ev))
			break;
	}
	free(copy);
}

/* The kinds of tracking rows are kept between rows: each row of a long
 * run of varied rows gives what it gives to a new extractor. */
static void
test_kinds_kept(void **state)
{
	struct extractor *x = *state;
	struct extractor *fresh = extractor_open(extractor_find("exchange"),
						 NULL);
	char line[1024], got[256], want[256], name[64];
	size_t npairs = ARRAY_LEN(kind_sources) * ARRAY_LEN(kind_events);
	unsigned with_events = 0;

	assert_non_null(fresh);
	extractor_reset(x);
	row_outcome(x, FIELDS_2019, got, sizeof got);
	for (size_t i = 0; i < 8 * npairs; i++) {
		/* A window of 11 pairs that moves on by one every 8 rows:
		 * more pairs than the extractor keeps, so some rows find
		 * their kind kept and others replace one. */
		size_t pair = (i / 8 + i * 7 % 11) % npairs;
		const char *source = kind_sources[pair % ARRAY_LEN(kind_sources)];
		const char *event = kind_events[pair / ARRAY_LEN(kind_sources)];

		snprintf(line, sizeof line,
			 T1 ",,,,MBX01,,,%s,%s,4101,<m1@example.org>,,"
			    "a@example.com;b@example.com," NOT_FOUND
			    ",100,2,,,Subject,c@example.org,,,Incoming,,,,,"
			    "Email,,15.02.1544.004",
			 source, event);
		row_outcome(x, line, got, sizeof got);

		extractor_forget(fresh);
		row_outcome(fresh, FIELDS_2019, want, sizeof want);
		row_outcome(fresh, line, want, sizeof want);

		snprintf(name, sizeof name, "row %zu, %s %s", i, event,
			 source);
		check_str(name, "outcome", got, want);
		with_events += strncmp(got, "EVENT", 5) == 0;
	}
	extractor_close(fresh);

	/* Some rows must be deliveries, or the comparison saw no kind. */
	check_int("kinds kept", "rows with events",
		  with_events > npairs / 4, 1);
	finish_cases();
}

struct sniff_case {
	const char *name;
	const char *line;
	bool want;
};

static const struct sniff_case sniff_cases[] = {
	{"software line", "#Software: Microsoft Exchange Server", true},
	{"software line after bom", BOM "#Software: Microsoft Exchange Server",
	 true},
	{"fields line", "#Fields: date-time,connector-id,session-id", true},
	{"version after bom", BOM "#Version: 15.02.1544.004", true},
	{"version without bom", "#Version: 15.02.1544.004", false},
	{"protocol row", RECV_ROW(">", "535 5.7.3 Authentication unsuccessful"),
	 true},
	{"tracking row", ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
			       "a@example.com", NOT_FOUND, "c@example.org"),
	 true},
	{"row of other width", T1 ",a,b,c", false},
	{"nine fields, no event", T1 ",a,b,c,d,e,f,g,h", false},
	{"message trace header", "\"Received\",\"SenderAddress\","
				 "\"RecipientAddress\"",
	 true},
	{"powershell type line", "#TYPE Deserialized.Data.MessageTrace", true},
	{"other type line", "#TYPE System.Management.Automation.PSCustomObject",
	 false},
	{"exim main log line", "2024-03-04 10:05:12 1rhA6F-0004zz-2a ** "
			       "a@example.org: Unrouteable address",
	 false},
	{"comment", "# a comment", false},
	{"empty", "", false},
};

static void
test_sniff_cases(void **state)
{
	const struct extractor_backend *b = extractor_find("exchange");

	(void)state;
	assert_non_null(b);
	assert_true(b->whole_input);
	for (size_t i = 0; i < ARRAY_LEN(sniff_cases); i++) {
		const struct sniff_case *c = &sniff_cases[i];
		size_t len = strlen(c->line);
		char *copy = copy_exact(c->line, len);

		check_int(c->name, "sniff", b->sniff(copy, len), c->want);
		free(copy);
	}
	finish_cases();
}

/* Through the router, the headerless lines of a claimed input go to
 * Exchange, and each recipient of a row is one event while the line
 * counts once; a syslog line still goes to its own format. */
static void
test_router_more(void **state)
{
	static const char *const lines[] = {
		BOM "#Software: Microsoft Exchange Server",
		"#Log-type: Message Tracking Log",
		FIELDS_2019,
		ROW19(T1, "", "MBX01", "ROUTING", "FAIL",
		      "a@example.com;b@example.com;c@example.com",
		      NOT_FOUND ";" NOT_FOUND ";" NOT_FOUND, "d@example.org"),
		"Dec  4 06:25:01 mx1 postfix/qmgr[1001]: 4F1A2B3C4D: removed",
	};
	static const enum extract_result want[] = {
		EXTRACT_INFO, EXTRACT_INFO, EXTRACT_INFO, EXTRACT_EVENT,
		EXTRACT_EVENT,
	};
	static const char *const want_format[] = {
		"exchange", "exchange", "exchange", "exchange", "postfix",
	};
	const struct sysline_year ref = {2026, 12, 0};
	struct router *r = router_open("auto", NULL);
	size_t events = 0;

	(void)state;
	assert_non_null(r);
	router_begin_input(r);
	for (size_t i = 0; i < ARRAY_LEN(lines); i++) {
		struct route_result res;
		struct event ev;
		const char *format;
		char name[32];

		snprintf(name, sizeof name, "line %zu", i + 1);
		router_line(r, lines[i], strlen(lines[i]), &ref, &ev, &res);
		check_str(name, "result", result_names[res.result],
			  result_names[want[i]]);
		format = res.format >= 0
				 ? router_format_name(r, (size_t)res.format)
				 : NULL;
		check_str(name, "format", format, want_format[i]);
		if (res.result != EXTRACT_EVENT)
			continue;
		events++;
		while (router_more(r, &ev))
			events++;
	}
	check_int("router", "events", (long long)events, 4);
	router_close(r);
	finish_cases();
}

static int
setup_extractor(void **state)
{
	return setup_named_extractor(state, "exchange");
}

/* A directory holding slow_rules as exchange.pat, for the limit test. */
static char slow_dir[64];

static int
setup_slow_extractor(void **state)
{
	const struct extractor_backend *backend = extractor_find("exchange");
	char path[96];
	FILE *fp;
	int rc;

	snprintf(slow_dir, sizeof slow_dir, "/tmp/bouncelog-exchange-XXXXXX");
	if (backend == NULL || mkdtemp(slow_dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/exchange.pat", slow_dir);
	fp = fopen(path, "wb");
	if (fp == NULL)
		return -1;
	rc = fputs(slow_rules, fp);
	if (fclose(fp) != 0 || rc < 0)
		return -1;
	*state = extractor_open(backend, slow_dir);
	return *state != NULL ? 0 : -1;
}

static int
teardown_slow_extractor(void **state)
{
	char path[96];

	extractor_close(*state);
	snprintf(path, sizeof path, "%s/exchange.pat", slow_dir);
	unlink(path);
	rmdir(slow_dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_row_cases,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_row_time, setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_more_after_row,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_kinds_kept,
						setup_extractor,
						teardown_extractor),
		cmocka_unit_test_setup_teardown(test_limit_cases,
						setup_slow_extractor,
						teardown_slow_extractor),
		cmocka_unit_test(test_sniff_cases),
		cmocka_unit_test(test_router_more),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("extract_exchange", tests, ARRAY_LEN(tests));
}
