/* SPDX-License-Identifier: MIT */
/*
 * test_event.c - unit tests of the format-independent event helpers
 *
 * reply_analyze() gets reason texts as Postfix and other MTAs log them,
 * and the other cases build events by hand.  Texts are copied into buffers of
 * exactly their length, so a read past the end shows up under
 * AddressSanitizer.  meson runs this program once more under tr_TR.UTF-8.
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

#include "bouncelog/event.h"
#include "check.h"

/* format_code - "C.S.D", or "none" for an absent code */
static const char *
format_code(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	if (!enh_status_present(st))
		return "none";
	return status_format_enhanced(st, buf);
}

/* parse_code - parse a code from a case table ("none" is absent) */
static struct enh_status
parse_code(const char *text)
{
	struct enh_status st;

	memset(&st, 0, sizeof st);
	if (strcmp(text, "none") != 0 &&
	    status_parse_enhanced(text, strlen(text), &st) != strlen(text))
		fail_msg("case table code \"%s\" does not parse", text);
	return st;
}

struct reply_case {
	const char *name;
	const char *text;	/* NULL: no text */
	int want_code;
	const char *want_enh;	/* "none" when absent */
	const char *want_reply;	/* NULL: absent */
};

static const struct reply_case reply_cases[] = {
	{"rcpt rejected by remote",
	 "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: "
	 "Recipient address rejected (in reply to RCPT TO command)",
	 550, "5.1.1",
	 "550 5.1.1 <a@example.com>: Recipient address rejected (in reply to "
	 "RCPT TO command)"},
	{"multi-line reply",
	 "host mx.example.com[2001:db8::1] said: 550-5.7.1 [2001:db8::1] Our "
	 "system has detected that this message is likely unsolicited mail. "
	 "550 5.7.1 To reduce the amount of spam - gsmtp (in reply to end of "
	 "DATA command)",
	 550, "5.7.1",
	 "550-5.7.1 [2001:db8::1] Our system has detected that this message is "
	 "likely unsolicited mail. 550 5.7.1 To reduce the amount of spam - "
	 "gsmtp (in reply to end of DATA command)"},
	{"reply code only",
	 "host mx.example.com[192.0.2.1] said: 550 Requested action not taken: "
	 "mailbox unavailable",
	 550, "none",
	 "550 Requested action not taken: mailbox unavailable"},
	{"qmail code in text",
	 "host mx.example.net[192.0.2.3] said: 553 sorry, not in my "
	 "validrcptto list (#5.7.1)",
	 553, "5.7.1", "553 sorry, not in my validrcptto list (#5.7.1)"},
	{"hash right after reply code",
	 "host mx.example.net[192.0.2.3] said: 550 #5.1.0 Address rejected",
	 550, "5.1.0", "550 #5.1.0 Address rejected"},
	{"exchange quoting the next hop's reply",
	 "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 "
	 "Connection dropped.\" Attempted failover to alternate host",
	 451, "4.4.0",
	 "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 "
	 "Connection dropped.\" Attempted failover to alternate host"},
	{"exchange report quoting the next hop",
	 "Remote Server returned '451 4.4.0 Primary target IP address "
	 "responded with: \"421 4.4.2 Connection dropped.\"'",
	 451, "4.4.0",
	 "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 "
	 "Connection dropped.\"'"},
	{"exchange report form with hashes",
	 "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
	 550, "5.1.1", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"},
	{"sendmail deferral after dsn",
	 "dsn=4.0.0, stat=Deferred: 451 4.3.0 Temporary system failure",
	 451, "4.3.0", "451 4.3.0 Temporary system failure"},
	{"sendmail status without reply",
	 "stat=Service unavailable", 0, "none", NULL},
	{"postfix starttls refused",
	 "host mx.example.net[192.0.2.4] refused to start TLS: 454 4.7.0 TLS "
	 "not available due to local problem",
	 454, "4.7.0", "454 4.7.0 TLS not available due to local problem"},
	{"exim version is no code",
	 "451-Greylisted by Exim 4.97.1 451 please retry later", 451, "none",
	 "451-Greylisted by Exim 4.97.1 451 please retry later"},
	{"subject above seven is no code",
	 "550 Rejected by filter 5.12.1 rules", 550, "none",
	 "550 Rejected by filter 5.12.1 rules"},
	{"exchange status with three-digit detail",
	 "550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found", 550, "5.1.10",
	 "550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found"},
	{"connection timed out",
	 "connect to mx.example.org[192.0.2.26]:25: Connection timed out", 0,
	 "none", NULL},
	{"reject text", "554 5.7.1 <h@example.com>: Relay access denied", 554,
	 "5.7.1", "554 5.7.1 <h@example.com>: Relay access denied"},
	{"milter enhanced code only", "5.7.1 Spam message rejected", 0, "5.7.1",
	 NULL},
	{"greeting refused",
	 "host mx.example.org[192.0.2.7] refused to talk to me: 554 5.7.1 "
	 "blocked",
	 554, "5.7.1", "554 5.7.1 blocked"},
	{"greylisting with 1.5 minutes",
	 "host mx.example.com[192.0.2.1] said: 451 4.7.1 Greylisted, retry in "
	 "1.5 minutes (in reply to RCPT TO command)",
	 451, "4.7.1",
	 "451 4.7.1 Greylisted, retry in 1.5 minutes (in reply to RCPT TO "
	 "command)"},
	{"accepted with queue id",
	 "250 2.0.0 Ok: queued as 9A8B7C6D5E", 250, "2.0.0",
	 "250 2.0.0 Ok: queued as 9A8B7C6D5E"},
	{"wrapper without code",
	 "host mx.example.com[192.0.2.1] said: Service closing", 0, "none",
	 "Service closing"},
	{"wrapper then enhanced code only",
	 "host mx.example.com[192.0.2.1] said: 4.2.2 Mailbox full", 0, "4.2.2",
	 "4.2.2 Mailbox full"},
	{"qmail code later after reply code",
	 "host mx.example.com[192.0.2.1] said: 451 Unable to verify (#4.3.0)",
	 451, "4.3.0", "451 Unable to verify (#4.3.0)"},
	{"local mailbox text", "cannot update mailbox /var/mail/a for user a. "
	 "error writing message: File too large",
	 0, "none", NULL},
	{"exim command wrapper",
	 "SMTP error from remote mail server after RCPT TO:<u@example.org>: "
	 "550 5.1.1 <u@example.org>: User unknown",
	 550, "5.1.1", "550 5.1.1 <u@example.org>: User unknown"},
	{"exim command with parameters",
	 "SMTP error from remote mail server after pipelined MAIL "
	 "FROM:<s@example.com> SIZE=1356: 550 5.7.1 Sender rejected",
	 550, "5.7.1", "550 5.7.1 Sender rejected"},
	{"exim reply that quotes said",
	 "SMTP error from remote mail server after end of data: 554 5.7.1 "
	 "the filter said: spam",
	 554, "5.7.1", "554 5.7.1 the filter said: spam"},
	{"exim old wording with the host",
	 "SMTP error from remote mailer after RCPT TO:<u@example.org>: host "
	 "mx.example.org [198.51.100.7]: 550 5.1.1 unknown",
	 550, "5.1.1", "550 5.1.1 unknown"},
	{"exim LMTP wrapper",
	 "LMTP error after RCPT TO:<u@example.com>: 452 4.2.2 Over quota",
	 452, "4.2.2", "452 4.2.2 Over quota"},
	{"exim wrapper without a colon after the command",
	 "SMTP error from remote mail server after end of data", 0, "none",
	 NULL},
	{"exim wrapper in upper case",
	 "SMTP ERROR FROM REMOTE MAIL SERVER AFTER RCPT TO:<KURT@EXAMPLE.ORG>: "
	 "550-THE ADDRESS IS NOT KNOWN HERE. 550 PLEASE CHECK THE SPELLING",
	 550, "none",
	 "550-THE ADDRESS IS NOT KNOWN HERE. 550 PLEASE CHECK THE SPELLING"},
	{"postfix wrapper in upper case",
	 "HOST MX.EXAMPLE.COM[192.0.2.1] SAID: 452 4.2.2 MAILBOX FULL",
	 452, "4.2.2", "452 4.2.2 MAILBOX FULL"},
	{"sendmail deferral in lower case", "deferred: 421 4.4.2 timeout",
	 421, "4.4.2", "421 4.4.2 timeout"},
	{"url in upper case is no code",
	 "host mx.example.com[192.0.2.1] said: Blocked, see HTTP://WWW.EXAMPLE"
	 ".COM/5.7.1", 0, "none", "Blocked, see HTTP://WWW.EXAMPLE.COM/5.7.1"},
	{"empty text", "", 0, "none", NULL},
	{"no text", NULL, 0, "none", NULL},
};

static void
test_reply_analyze_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
		const struct reply_case *c = &reply_cases[i];
		char *text = NULL;
		struct event ev;
		char buf[ENH_STATUS_LEN];

		event_init(&ev, EVENT_DELIVERY);
		if (c->text != NULL) {
			text = copy_exact(c->text, strlen(c->text));
			ev.text = span_make(text, strlen(c->text));
		}

		/* Stale results from an earlier line must be replaced. */
		ev.reply_code = 999;
		ev.reply_enh = parse_code("4.4.4");
		ev.reply = span_make("stale", 5);

		reply_analyze(&ev);
		check_int(c->name, "reply code", ev.reply_code, c->want_code);
		check_str(c->name, "reply enhanced",
			  format_code(&ev.reply_enh, buf), c->want_enh);
		check_span(c->name, "reply", ev.reply, c->want_reply);
		free(text);
	}
	finish_cases();
}

struct disagree_case {
	const char *name;
	const char *enh;	/* the log's own status field */
	int reply_code;
	const char *reply_enh;
	bool want;
};

static const struct disagree_case disagree_cases[] = {
	{"all agree", "5.1.1", 550, "5.1.1", false},
	{"enhanced codes differ", "5.1.1", 550, "5.7.1", true},
	{"class of reply differs", "4.4.1", 550, "none", true},
	{"class 5 field, 450 reply", "5.0.0", 450, "none", true},
	{"no status field", "none", 550, "5.1.1", false},
	{"status field only", "5.1.1", 0, "none", false},
	{"same class, no reply enhanced", "5.1.1", 554, "none", false},
	{"nothing at all", "none", 0, "none", false},
};

static void
test_codes_disagree_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(disagree_cases); i++) {
		const struct disagree_case *c = &disagree_cases[i];
		struct event ev;

		event_init(&ev, EVENT_DELIVERY);
		ev.enh = parse_code(c->enh);
		ev.reply_code = c->reply_code;
		ev.reply_enh = parse_code(c->reply_enh);
		check_int(c->name, "disagree", event_codes_disagree(&ev),
			  c->want);
	}
	finish_cases();
}

struct enhanced_case {
	const char *name;
	const char *enh;
	const char *reply_enh;
	const char *want;
};

static const struct enhanced_case enhanced_cases[] = {
	{"status field wins", "5.1.1", "5.7.1", "5.1.1"},
	{"reply when no field", "none", "5.7.1", "5.7.1"},
	{"neither", "none", "none", "none"},
};

static void
test_event_enhanced_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(enhanced_cases); i++) {
		const struct enhanced_case *c = &enhanced_cases[i];
		struct event ev;
		char buf[ENH_STATUS_LEN];

		event_init(&ev, EVENT_DELIVERY);
		ev.enh = parse_code(c->enh);
		ev.reply_enh = parse_code(c->reply_enh);
		check_str(c->name, "enhanced",
			  format_code(event_enhanced(&ev), buf), c->want);
	}
	finish_cases();
}

struct class_case {
	const char *name;
	enum event_type type;
	enum delivery_status status;
	const char *enh;
	int reply_code;
	const char *reply_enh;
	int want;
	bool temporary;
};

static const struct class_case class_cases[] = {
	{"deferral quoting 550", EVENT_DELIVERY, STATUS_DEFERRED, "5.1.1", 550,
	 "5.1.1", 4, false},
	{"bounce quoting 450", EVENT_DELIVERY, STATUS_BOUNCED, "4.2.2", 450,
	 "4.2.2", 5, false},
	{"bounce without codes", EVENT_DELIVERY, STATUS_BOUNCED, "none", 0,
	 "none", 5, false},
	{"reject 450", EVENT_REJECT, STATUS_SENT, "none", 450, "4.7.1", 4,
	 false},
	{"reject 554", EVENT_REJECT, STATUS_SENT, "none", 554, "5.7.1", 5,
	 false},
	{"reject 4xx code, 5.x.x text", EVENT_REJECT, STATUS_SENT, "none", 421,
	 "5.7.1", 4, false},
	{"milter reject 4.7.1",
	 EVENT_REJECT, STATUS_SENT, "none", 0, "4.7.1", 4, false},
	{"reject status field 4.7.1", EVENT_REJECT, STATUS_SENT, "4.7.1", 0,
	 "none", 4, false},
	{"reject without codes",
	 EVENT_REJECT, STATUS_SENT, "none", 0, "none", 5, false},
	{"temporary reject without codes",
	 EVENT_REJECT, STATUS_SENT, "none", 0, "none", 4, true},
	{"temporary reject, 5.x.x text", EVENT_REJECT, STATUS_SENT, "none", 0,
	 "5.7.1", 4, true},
	{"temporary reject quoting 550", EVENT_REJECT, STATUS_SENT, "none", 550,
	 "5.7.1", 5, true},
};

static void
test_failure_class_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(class_cases); i++) {
		const struct class_case *c = &class_cases[i];
		struct event ev;

		event_init(&ev, c->type);
		ev.status = c->status;
		ev.enh = parse_code(c->enh);
		ev.reply_code = c->reply_code;
		ev.reply_enh = parse_code(c->reply_enh);
		ev.temporary = c->temporary;
		check_int(c->name, "class", event_failure_class(&ev), c->want);
	}
	finish_cases();
}

struct split_case {
	const char *name;
	const char *value;	/* NULL: absent */
	const char *want_host;	/* NULL: absent */
	const char *want_addr;
};

static const struct split_case split_cases[] = {
	{"host, address and port", "mx.example.com[192.0.2.1]:25",
	 "mx.example.com", "192.0.2.1"},
	{"address and port only", "[192.0.2.99]:40000", "", "192.0.2.99"},
	{"IPv6 address", "mx.example.com[2001:db8::25]:25", "mx.example.com",
	 "2001:db8::25"},
	{"host and address", "unknown[192.0.2.10]", "unknown", "192.0.2.10"},
	{"no brackets", "local", "local", NULL},
	{"socket path", "host[private/dovecot-lmtp]", "host",
	 "private/dovecot-lmtp"},
	{"missing closing bracket", "mx.example.com[192.0.2.1",
	 "mx.example.com[192.0.2.1", NULL},
	{"empty value", "", "", NULL},
	{"absent value", NULL, NULL, NULL},
};

static void
test_split_host_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		size_t len = c->value ? strlen(c->value) : 0;
		char *value = c->value ? copy_exact(c->value, len) : NULL;
		struct span host, addr;

		event_split_host(span_make(value, len), &host, &addr);
		check_span(c->name, "host", host, c->want_host);
		check_span(c->name, "addr", addr, c->want_addr);
		free(value);
	}
	finish_cases();
}

struct domain_case {
	const char *name;
	const char *address;	/* NULL: absent */
	const char *want;	/* NULL: absent */
};

static const struct domain_case domain_cases[] = {
	{"plain address", "a@example.com", "example.com"},
	{"quoted local part with @", "\"a@b\"@example.com", "example.com"},
	{"address literal", "a@[192.0.2.1]", "[192.0.2.1]"},
	{"case kept", "A@Example.COM", "Example.COM"},
	{"local name", "root", NULL},
	{"empty", "", NULL},
	{"trailing @", "a@", ""},
	{"absent", NULL, NULL},
};

static void
test_domain_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(domain_cases); i++) {
		const struct domain_case *c = &domain_cases[i];
		size_t len = c->address ? strlen(c->address) : 0;
		char *address = c->address ? copy_exact(c->address, len) : NULL;

		check_span(c->name, "domain",
			   event_domain(span_make(address, len)), c->want);
		free(address);
	}
	finish_cases();
}

static void
test_event_init(void **state)
{
	struct event ev;

	(void)state;
	memset(&ev, 0xa5, sizeof ev);
	event_init(&ev, EVENT_REJECT);
	assert_int_equal(ev.type, EVENT_REJECT);
	assert_null(ev.text.ptr);
	assert_null(ev.recipient.ptr);
	assert_int_equal(ev.reply_code, 0);
	assert_false(enh_status_present(&ev.enh));
	assert_false(ev.warning_only);
	assert_false(ev.soft_bounce);
}

/* Counts of compare_reply_ways(). */
struct reply_tally {
	unsigned long texts;
	unsigned long coded;	/* texts that start with a reply code */
};

/* compare_reply_ways - reply_analyze_as() on text with and without its
 * shortcut; every field it fills must be the same */
static void
compare_reply_ways(struct reply_tally *t, const char *where, const char *s,
		   size_t len)
{
	char *text = copy_exact(s, len);
	struct event quick, plain;
	char a[ENH_STATUS_LEN], b[ENH_STATUS_LEN];

	event_init(&quick, EVENT_DELIVERY);
	quick.text = span_make(text, len);
	plain = quick;
	reply_analyze_as(&quick, true);
	reply_analyze_as(&plain, false);
	check_int(where, "reply code", quick.reply_code, plain.reply_code);
	check_str(where, "reply enhanced", format_code(&quick.reply_enh, a),
		  format_code(&plain.reply_enh, b));
	check_int(where, "reply at",
		  quick.reply.ptr ? quick.reply.ptr - text : -1,
		  plain.reply.ptr ? plain.reply.ptr - text : -1);
	check_int(where, "reply length", (long long)quick.reply.len,
		  (long long)plain.reply.len);
	t->texts++;
	t->coded += status_parse_reply(text, len) != 0;
	free(text);
}

/*
 * compare_line_replies - the line as a whole, and each rest of it that
 * starts with a digit after a byte that is not a digit, as reason texts.
 * The rests include the replies in "said: 550 ..." and C="250 ...".
 */
static void
compare_line_replies(void *arg, const char *where, const char *text,
		     size_t len)
{
	compare_reply_ways(arg, where, text, len);
	for (size_t i = 1; i < len; i++)
		if (text[i] >= '0' && text[i] <= '9' &&
		    !(text[i - 1] >= '0' && text[i - 1] <= '9'))
			compare_reply_ways(arg, where, text + i, len - i);
}

/* Pieces of generated replies: codes, wrappers of every MTA and the
 * bytes that the shortcut looks for. */
static const char *const reply_pieces[] = {
    "250 ", "550 ", "451-", "5.1.1 ", "4.7.0 ", " said: ",
    " refused to talk to me: ", " refused to start TLS: ",
    "Remote Server returned '", "stat=Deferred: ", "smtp; ", "Deferred: ",
    "SMTP error from remote mail server after RCPT TO:<a@b>: ", "'", "=",
    ":", "ok ", "id=1tABCD-000123-AB ", "host mx.example.com[192.0.2.1] ",
    "(#5.7.1) ", "queued as 4ABC",
};

/* test_reply_ways_same - reply_analyze_as() with and without its
 * shortcut on every line of fixtures/ and of the public corpus, and on
 * generated replies */
static void
test_reply_ways_same(void **state)
{
	const char *root = getenv("BOUNCELOG_SOURCE");
	char path[4096];
	struct reply_tally t = {0, 0};
	uint64_t rng = 0x9e3779b97f4a7c15u;

	(void)state;
	assert_non_null(root);
	snprintf(path, sizeof path, "%s/fixtures", root);
	assert_true(check_each_line(path, compare_line_replies, &t) > 20);
	if (check_corpus_dir(path, sizeof path) != NULL)
		(void)check_each_line(path, compare_line_replies, &t);

	for (int n = 0; n < 20000; n++) {
		char text[1024] = "";
		size_t len = 0;
		int pieces = 1 + n % 6;

		for (int k = 0; k < pieces; k++) {
			const char *p;

			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			p = reply_pieces[rng % ARRAY_LEN(reply_pieces)];
			len += (size_t)snprintf(text + len, sizeof text - len,
						"%s", p);
		}
		compare_reply_ways(&t, text, text, len);
	}
	print_message("# %lu texts, %lu starting with a reply code\n",
		      t.texts, t.coded);
	assert_true(t.coded > 1000);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_analyze_cases),
		cmocka_unit_test(test_reply_ways_same),
		cmocka_unit_test(test_codes_disagree_cases),
		cmocka_unit_test(test_event_enhanced_cases),
		cmocka_unit_test(test_failure_class_cases),
		cmocka_unit_test(test_split_host_cases),
		cmocka_unit_test(test_domain_cases),
		cmocka_unit_test(test_event_init),
		cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("event", tests, ARRAY_LEN(tests));
}
