/* SPDX-License-Identifier: MIT */
/*
 * test_pattern_recognise.c - recognisers and prefilters agree with PCRE2
 *
 * The built-in Postfix and Exim patterns are loaded three times each:
 * as in use, without the recognisers of src/pattern_recognise.c, and
 * without both the recognisers and the prefilters.  The prefilters are
 * the start bytes and required literals (see
 * pattern_set_use_prefilters()), so in the third set PCRE2 alone runs
 * every rule that applies.  Every line is matched by all
 * three: from its start and from after each of its first blanks (where
 * an Exim message line starts after the time), and a Postfix message
 * also with the daemon of its syslog header.  Result, rule, number of
 * groups and every capture offset must be equal.  The lines come from
 * every file under fixtures/, from the public corpus when it is present
 * (BOUNCELOG_CORPUS, else the folder that tests/corpus.py reads by
 * default), and from lines generated and then damaged byte by byte.
 * The captures of each match are also read by group number, as the
 * extractors read them (pattern_capture_by()), and compared with those
 * read by name.  So are the captures of the built-in Sendmail,
 * OpenSMTPD and Exchange rules, on each line from its start and on its
 * syslog message.
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

#include "bouncelog/pattern.h"
#include "bouncelog/sysline.h"
#include "check.h"

extern const char postfix_pat[];
extern const size_t postfix_pat_len;
extern const char exim_pat[];
extern const size_t exim_pat_len;
extern const char sendmail_pat[];
extern const size_t sendmail_pat_len;
extern const char opensmtpd_pat[];
extern const size_t opensmtpd_pat_len;
extern const char exchange_pat[];
extern const size_t exchange_pat_len;

/* Damaged copies made of each generated delivery line. */
#define MUTATIONS 400

/* Blanks of a line after which it is matched again. */
#define SUFFIXES 6

/* The pattern sets of one format. */
struct pair {
	const char *format;
	struct pattern_set *with;
	struct pattern_set *without;	/* no recognisers */
	struct pattern_set *plain;	/* no recognisers, no prefilters */
};

/* Both formats and what the comparison has seen. */
struct state {
	struct pair pairs[2];
	struct pattern_set *others[3];	/* Sendmail, OpenSMTPD, Exchange */
	unsigned long named;	/* matches of others[] read both ways */
	unsigned long subjects;	  /* compared */
	unsigned long recognised; /* matched by a rule with a recogniser */
};

/* load_pair - the built-in patterns in text, three times */
static bool
load_pair(struct pair *p, const char *format, const char *text, size_t len)
{
	p->format = format;
	p->with = pattern_set_parse(text, len, format);
	p->without = pattern_set_parse(text, len, format);
	p->plain = pattern_set_parse(text, len, format);
	if (p->with == NULL || p->without == NULL || p->plain == NULL)
		return false;
	pattern_set_use_recognisers(p->without, false);
	pattern_set_use_recognisers(p->plain, false);
	pattern_set_use_prefilters(p->plain, false);
	return true;
}

static int
setup_state(void **state)
{
	struct state *st = calloc(1, sizeof *st);

	if (st == NULL ||
	    !load_pair(&st->pairs[0], "postfix", postfix_pat, postfix_pat_len) ||
	    !load_pair(&st->pairs[1], "exim", exim_pat, exim_pat_len))
		return -1;
	st->others[0] = pattern_set_parse(sendmail_pat, sendmail_pat_len,
					  "sendmail");
	st->others[1] = pattern_set_parse(opensmtpd_pat, opensmtpd_pat_len,
					  "opensmtpd");
	st->others[2] = pattern_set_parse(exchange_pat, exchange_pat_len,
					  "exchange");
	for (size_t i = 0; i < ARRAY_LEN(st->others); i++)
		if (st->others[i] == NULL)
			return -1;
	*state = st;
	return 0;
}

static int
teardown_state(void **state)
{
	struct state *st = *state;

	for (size_t i = 0; i < ARRAY_LEN(st->pairs); i++) {
		pattern_set_free(st->pairs[i].with);
		pattern_set_free(st->pairs[i].without);
		pattern_set_free(st->pairs[i].plain);
	}
	for (size_t i = 0; i < ARRAY_LEN(st->others); i++)
		pattern_set_free(st->others[i]);
	free(st);
	return 0;
}

/* compare_results - the match of set a against that of set b, named
 * by label */
static void
compare_results(const char *where, const char *label, enum pattern_result ra,
		const struct pattern_match *a, enum pattern_result rb,
		const struct pattern_match *b)
{
	char what[96];

	snprintf(what, sizeof what, "%s result", label);
	check_int(where, what, ra, rb);
	if (ra != PATTERN_MATCH || rb != PATTERN_MATCH)
		return;
	snprintf(what, sizeof what, "%s rule line", label);
	check_int(where, what, (long long)pattern_rule_line(a->rule),
		  (long long)pattern_rule_line(b->rule));
	snprintf(what, sizeof what, "%s groups", label);
	check_int(where, what, a->ngroups, b->ngroups);
	for (unsigned g = 0; g < 2 * a->ngroups && g < 2 * b->ngroups; g++) {
		snprintf(what, sizeof what, "%s offset %u", label, g);
		check_int(where, what, (long long)a->ovector[g],
			  (long long)b->ovector[g]);
	}
}

/* Every group name of the built-in extractor rules, and one that none
 * has. */
static const char *const group_names[] = {
    "action", "client", "errno", "fields", "flag", "from", "host",
    "id", "orig", "qid", "stage", "status", "strerror", "temp",
    "text", "to", "arg1", "arg2", "client_addr", "client_host", "newqid",
    "ruleset", "stat", "agent", "command", "result", "sid", "component",
    "verb", "none",
};

/* compare_names - each capture of m read by number, as the extractors
 * read it, against the capture read by name */
static void
compare_names(const char *where, const struct pattern_match *m)
{
	for (size_t k = 0; k < ARRAY_LEN(group_names); k++) {
		struct pattern_name n =
		    pattern_rule_name(m->rule, group_names[k]);
		struct span by_name = pattern_capture(m, group_names[k]);
		struct span by_number = pattern_capture_by(m, n);
		char what[64];

		snprintf(what, sizeof what, "capture %s start", group_names[k]);
		check_int(where, what,
			  by_number.ptr != NULL ? by_number.ptr - m->subject
						: -1,
			  by_name.ptr != NULL ? by_name.ptr - m->subject : -1);
		snprintf(what, sizeof what, "capture %s length",
			 group_names[k]);
		check_int(where, what, (long long)by_number.len,
			  (long long)by_name.len);
	}
}

/* compare_subject - match s with the sets of p and note any
 * difference */
static void
compare_subject(struct state *st, const struct pair *p, const char *where,
		const char *daemon, const char *s, size_t len)
{
	struct span d = span_make(daemon, strlen(daemon));
	struct pattern_match a, b, c;
	enum pattern_result ra, rb, rc;
	char label[64];

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
	ra = pattern_set_match(p->with, d, s, len, &a);
	rb = pattern_set_match(p->without, d, s, len, &b);
	rc = pattern_set_match(p->plain, d, s, len, &c);
	st->subjects++;
	if (ra == PATTERN_MATCH && pattern_rule_recognised(a.rule))
		st->recognised++;

	if (ra == PATTERN_MATCH)
		compare_names(where, &a);
	snprintf(label, sizeof label, "%s recognisers", p->format);
	compare_results(where, label, ra, &a, rb, &b);
	snprintf(label, sizeof label, "%s prefilters", p->format);
	compare_results(where, label, rb, &b, rc, &c);
}

/* compare_everywhere - s with both formats and a fixed daemon */
static void
compare_everywhere(struct state *st, const char *where, const char *s,
		   size_t len)
{
	compare_subject(st, &st->pairs[0], where, "smtp", s, len);
	compare_subject(st, &st->pairs[1], where, "exim", s, len);
}

/* compare_other_names - the captures of the line s in each set of
 * others[], read both ways */
static void
compare_other_names(struct state *st, const char *where, struct span daemon,
		    const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(st->others); i++) {
		struct pattern_match m;

		memset(&m, 0, sizeof m);
		if (pattern_set_match(st->others[i], daemon, s, len, &m) !=
		    PATTERN_MATCH)
			continue;
		compare_names(where, &m);
		st->named++;
	}
}

/* compare_line - every way the line is matched */
static void
compare_line(struct state *st, const char *where, const char *line,
	     size_t len)
{
	struct sysline_year ref;
	struct sysline hdr;
	size_t starts = 0;

	for (size_t i = 0; i <= len && starts < SUFFIXES; i++) {
		if (i > 0 && line[i - 1] != ' ')
			continue;
		compare_everywhere(st, where, line + i, len - i);
		starts++;
	}

	sysline_year_end(&ref, 2024);
	if (sysline_parse(line, len, &ref, &hdr) && hdr.daemon.ptr != NULL) {
		char daemon[64];

		snprintf(daemon, sizeof daemon, "%.*s",
			 (int)(hdr.daemon.len < 63 ? hdr.daemon.len : 63),
			 hdr.daemon.ptr);
		compare_subject(st, &st->pairs[0], where, daemon,
				hdr.message.ptr, hdr.message.len);
		compare_other_names(st, where, hdr.daemon, hdr.message.ptr,
				    hdr.message.len);
	}
	compare_other_names(st, where, span_make("", 0), line, len);
}

/* compare_each - compare_line() as a check_each_line() callback */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	compare_line(arg, where, text, len);
}

/* count_recognised - rules of set that have a recogniser, each of one
 * of the kinds listed (NULL-terminated) */
static size_t
count_recognised(const struct pattern_set *set, const char *const *kinds)
{
	size_t n = 0;

	for (size_t i = 0; i < pattern_set_rule_count(set); i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		bool listed = false;

		if (!pattern_rule_recognised(rule))
			continue;
		for (size_t k = 0; kinds[k] != NULL; k++)
			listed = listed ||
				 strcmp(pattern_rule_kind(rule), kinds[k]) == 0;
		assert_true(listed);
		n++;
	}
	return n;
}

/* test_builtin_rules_recognised - the built-in rules have their
 * recognisers; a failure means that a rule in patterns/postfix.pat or
 * patterns/exim.pat changed and src/pattern_recognise.c must follow */
static void
test_builtin_rules_recognised(void **state)
{
	struct state *st = *state;
	static const char *const postfix_kinds[] = {
	    "delivery", "sender", "removed", "notification", "info", NULL};
	static const char *const exim_kinds[] = {
	    "arrival", "delivery", "info", "failed", "deferred", "removed",
	    "reject", NULL};

	assert_int_equal(count_recognised(st->pairs[0].with, postfix_kinds),
			 12);
	assert_int_equal(count_recognised(st->pairs[1].with, exim_kinds), 10);
}

/* test_fixtures_same - every line of fixtures/ */
static void
test_fixtures_same(void **state)
{
	struct state *p = *state;
	const char *dir = getenv("BOUNCELOG_FIXTURES");

	assert_non_null(dir);
	p->subjects = p->recognised = p->named = 0;
	assert_true(check_each_line(dir, compare_each, p) > 20);
	print_message("# %lu subjects, %lu matched by recognised rules, "
		      "%lu by other formats\n",
		      p->subjects, p->recognised, p->named);
	assert_true(p->recognised > 1000);
	assert_true(p->named > 100);
	finish_cases();
}

/* test_corpus_same - every line of the public corpus, when present */
static void
test_corpus_same(void **state)
{
	struct state *p = *state;
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);

	if (dir == NULL) {
		skip();
		return;
	}
	p->subjects = p->recognised = 0;
	assert_true(check_each_line(dir, compare_each, p) > 0);
	print_message("# %lu subjects, %lu matched by recognised rules\n",
		      p->subjects, p->recognised);
	assert_true(p->recognised > 0);
	finish_cases();
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x2545f4914f6cdd1dU};

static unsigned
rng_below(unsigned n)
{
	return check_rng_below(&rng, n);
}

/* Pieces of delivery lines: recipients, fields and endings, some of
 * them already of shapes that the recogniser leaves to PCRE2. */
static const char *const recipients[] = {
    "<a@example.com>", "<>", "<a, b@example.com>", "<a@example.com",
    "a@example.com", "", "<a b@example.com>", "<a>x@example.com>",
};
static const char *const fields[] = {
    "relay=mx.example.com[192.0.2.1]:25, ", "delay=1.2, ",
    "delays=0.1/0/0.5/0.6, ", "dsn=5.1.1, ", "orig_to=<b@example.com>, ",
    "relay=none, ", "tls=yes, ", "status=odd, ", "x_y=, ", "relay=a,b, ",
    "Bad=1, ", "dsn=2.0.0,", "conn_use=2, ",
};
static const char *const endings[] = {
    "status=sent (250 2.0.0 Ok: queued as 3F2A1B)",
    "status=bounced (host mx said: 550 5.1.1 unknown (in reply to RCPT))",
    "status=deferred (connect to mx[192.0.2.1]:25: Connection refused",
    "status=sent", "status=SENT-x ()", "status=sent x", "status=",
    "status=sent (", "status=deferred (a\nb)", "status=sent\n",
    "status=sent (ok)\n", "status=bounced (a, status=sent (b)",
};
static const char interesting[] = ",<> ()=:\n\t\r_-aZ5";

/* Pieces of Exim message lines. */
static const char *const exim_ids[] = {
    "1tDIJu-0000C4-MV", "1tDIJu-0000C4MVabc-01AB", "1tDIJu-0000C4-M",
    "1tDIJu_0000C4-MV", "1tDIJu-0000C4MVabc-01A",
};
static const char *const exim_flags[] = {
    "<= ", "(= ", "=> ", "-> ", ">> ", "*> ", "** ", "== ", "Completed",
    "<=", "=>  ", "Completed QT=2s",
};
static const char *const exim_addresses[] = {
    "a@example.com", "<>", "\"john smith\"@example.org", "\"open@x y",
    "a@example.com <orig@example.org>", "a@example.com <orig",
    "a@example.com <o>x", "", " ", "a@[IPv6:2001:db8::1]",
    "a@[IPv6:2001:db8::1", "a:b@example.com", "a\"b\"c@x",
};

/* Pieces of Exim's deferral and failure lines: the fields after the
 * address, and the endings of each. */
static const char *const exim_fields[] = {
    " R=dnslookup", " T=remote_smtp", " H=mx.example.com [192.0.2.1]:25*",
    " I=[192.0.2.9]:25", " X=TLS1.3:TLS_AES_256_GCM_SHA384:256", " CV=yes",
    " DN=\"C=US, O=x\"", " PRDR", " K", " L-", " DS", " F=<a@example.com>",
    " C=\"250 ok\" (n)", " x", " defer", " H=mx (x) [192.0.2.1]:2a",
    " L.x", " X=a:b", " Kx", " R=\"a: b", " H=x [y]:25*x", " L*", " TFO",
    "  R=a", " H=h:", "\tT=t",
};
static const char *const exim_defer_ends[] = {
    (" defer (-44) H=mx.example.com [2001:db8::1]: SMTP error from remote "
     "mail server after RCPT TO:<a@example.com>: 451 4.7.1 try later"),
    " defer (110): Connection timed out H=mx1.example.org [192.0.2.1]",
    " defer (111): Connection refused", " defer (0): x: y",
    " defer (-53): retry time not reached for any host",
    " defer (-1) DT=1s: text",
    " defer (11): Resource H=h [192.0.2.1] DT=2s: text", " defer (12)",
    " defer (7) H=x DT=3s", " defer (x y)", " defer (99)x",
    " defer (5): a DT=1s: b", " defer (5) DT=: x", " defer (08): x",
    " defer (-44) H=a: b H=c: d", " defer (3):  H= DT=x:",
    " defer ( defer (2)", " defer (4): a DT=b:  c", " defer (-2) DT=a",
    " defer (9) DT=:: x", " defer (1): H=x", " defer (1) H=x DT=y: z",
};
static const char *const exim_fail_ends[] = {
    (": SMTP error from remote mail server after RCPT TO:<a@example.com>: "
     "550 5.1.1 unknown DT=2s"),
    " : Unrouteable address", ": text DT=", ": t DT=1s x", " :bad",
    ": reason", ": a: b DT=c", ":  DT=x", " : ", ": DT=1", ":x",
    " routing yielded no host", " mua_wrapper forced failure",
    " is set but recipients were rejected", ": a DT=b\tc",
};
static const char *const exim_rests[] = {
    "", " R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1]",
    " H=mx [192.0.2.1] C=\"250 OK\"", " QT=1s", "\tx",
    " defer (-44): SMTP error from remote mail server after RCPT TO",
    ": 550 5.1.1 unknown user", " : Unrouteable address", "x y",
    " routing yielded no host",
};

/* make_postfix_line - one generated Postfix delivery line into buf */
static size_t
make_postfix_line(char *buf, size_t size)
{
	static const char *const qids[] = {"3F2A1B0C9D", "ABCD", "1234567890ab",
					   "NOQUEUE", "a1b2c"};
	size_t n = 0;
	unsigned nfields = rng_below(8);

	n += (size_t)snprintf(buf + n, size - n, "%s: to=%s, ",
			      qids[rng_below(ARRAY_LEN(qids))],
			      recipients[rng_below(ARRAY_LEN(recipients))]);
	for (unsigned i = 0; i < nfields && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s",
				      fields[rng_below(ARRAY_LEN(fields))]);
	if (n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s",
				      endings[rng_below(ARRAY_LEN(endings))]);
	return n < size ? n : size - 1;
}

/* Exim lines without a message id. */
static const char *const exim_others[] = {
    "Start queue run: pid=1234", "End queue run: pid=1234 -qf",
    "Start queue run: pid", "End queue run:pid=1",
    "no host name found for IP address 192.0.2.1",
    "no host name found for IP address", "no MAIL in SMTP connection from x",
    "no IP address found for host mx.example.com",
    "SMTP call from x dropped: too many syntax or protocol errors",
};

/* make_exim_line - one generated Exim message line into buf, or now
 * and then a line without a message id */
static size_t
make_exim_line(char *buf, size_t size)
{
	unsigned second = rng_below(2 * ARRAY_LEN(exim_rests));
	int n;

	if (rng_below(8) == 0)
		return (size_t)snprintf(
		    buf, size, "%s",
		    exim_others[rng_below(ARRAY_LEN(exim_others))]);
	n = snprintf(buf, size, "%s %s%s%s%s",
			 exim_ids[rng_below(ARRAY_LEN(exim_ids))],
			 exim_flags[rng_below(ARRAY_LEN(exim_flags))],
			 exim_addresses[rng_below(ARRAY_LEN(exim_addresses))],
			 exim_rests[rng_below(ARRAY_LEN(exim_rests))],
			 second < ARRAY_LEN(exim_rests) ? exim_rests[second]
							: "");

	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Pieces of Exim's rejection lines: the start, the fields and the
 * rest after them. */
static const char *const reject_starts[] = {
    "", "1tDIJu-0000C4-MV ", "DS ", "1tDIJu-0000C4-MV DS ", "1tDIJu-0000C4-MV",
    "x ", "DS",
};
static const char *const reject_fields[] = {
    "H=mx.example.com [192.0.2.1]:25", "H=(helo) [192.0.2.1]:5 I=[192.0.2.9]:25",
    "U=user", "H=", "U=a F=<a@example.com>", "H=x rejected RCPT <a@b>:",
    "H=a F=<> temporarily", "X=y", "H=a b  c",
};
static const char *const reject_rests[] = {
    " rejected RCPT <a@example.com>: relay not permitted",
    " temporarily rejected RCPT <a@example.com>: greylisted",
    " rejected RCPT a@example.com", " rejected RCPT a@example.com: x",
    " rejected RCPT <a@example.com>", " rejected RCPT <a@example.com> x",
    " rejected RCPT <a@example.com", " rejected RCPT a:b", " rejected RCPT ",
    " rejected RCPT <>: x", " rejected MAIL <a@example.com>: x",
    " rejected after DATA: x", " temporarily rejected RCPT a@b:x",
    " rejected RCPT a@b\n", " rejected RCPT <a>: b rejected RCPT <c>",
    " rejected RCPT a<b", " rejected RCPT a@b:  x",
};

/* make_exim_reject - one generated Exim rejection line into buf */
static size_t
make_exim_reject(char *buf, size_t size)
{
	unsigned second = rng_below(2 * ARRAY_LEN(reject_rests));
	int n = snprintf(buf, size, "%s%s%s%s",
			 reject_starts[rng_below(ARRAY_LEN(reject_starts))],
			 reject_fields[rng_below(ARRAY_LEN(reject_fields))],
			 reject_rests[rng_below(ARRAY_LEN(reject_rests))],
			 second < ARRAY_LEN(reject_rests) ? reject_rests[second]
							  : "");

	return (size_t)n < size ? (size_t)n : size - 1;
}

/* make_exim_result - one generated Exim deferral or failure line into
 * buf, mostly of the shapes the rules expect */
static size_t
make_exim_result(char *buf, size_t size)
{
	static const char *const addresses[] = {
	    "a@example.com", "a@example.com <orig@example.org>",
	    "\"john smith\"@example.org", "a@[IPv6:2001:db8::1]", "mua_wrapper",
	    "a:b@example.com", "a@example.com <o>x", "a@x <b",
	};
	bool defer = rng_below(2) == 0;
	size_t n = (size_t)snprintf(buf, size, "1tDIJu-0000C4-MV %s%s",
				    defer ? "== " : "** ",
				    addresses[rng_below(ARRAY_LEN(addresses))]);

	for (unsigned i = rng_below(5); i > 0 && n < size; i--)
		n += (size_t)snprintf(
		    buf + n, size - n, "%s",
		    exim_fields[rng_below(ARRAY_LEN(exim_fields))]);
	if (rng_below(8) == 0)
		defer = !defer;
	if (n < size)
		n += (size_t)snprintf(
		    buf + n, size - n, "%s",
		    defer ? exim_defer_ends[rng_below(ARRAY_LEN(exim_defer_ends))]
			  : exim_fail_ends[rng_below(ARRAY_LEN(exim_fail_ends))]);
	return n < size ? n : size - 1;
}

/* Postfix messages of other shapes, with the daemon that logs them:
 * each starts with a word, a queue id or NOQUEUE, as the start bytes
 * and the literals of the rules for that daemon expect. */
static const struct {
	const char *daemon;
	const char *message;
} postfix_others[] = {
    {"smtpd", "connect from unknown[192.0.2.1]"},
    {"smtpd", "disconnect from unknown[192.0.2.1] ehlo=1 mail=1 quit=1"},
    {"smtpd", "C8DC6FD214: client=unknown[192.0.2.1]"},
    {"smtpd", "NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 "
	      "<a@example.com>: Relay access denied; from=<b@example.org> "
	      "to=<a@example.com> proto=ESMTP helo=<x>"},
    {"smtpd", "NOQUEUE: milter-reject: END-OF-MESSAGE from x[192.0.2.1]: "
	      "5.7.1 rejected; from=<a@b> to=<c@d>"},
    {"smtpd", "warning: hostname x does not resolve to address 192.0.2.1"},
    {"smtpd", "Anonymous TLS connection established from x[192.0.2.1]"},
    {"smtpd", "lost connection after DATA from unknown[192.0.2.1]"},
    {"cleanup", "C8DC6FD214: message-id=<1@example.com>"},
    {"cleanup", "C8DC6FD214: reject: header Subject: x from y[192.0.2.1]; "
		"from=<a@b> to=<c@d> proto=ESMTP: 5.7.1 no"},
    {"qmgr", "C8DC6FD214: from=<a@example.com>, size=1194, nrcpt=2 "
	     "(queue active)"},
    {"qmgr", "C8DC6FD214: removed"},
    {"qmgr", "C8DC6FD214: removed\n"},
    {"qmgr", "C8DC6FD214: from=<>, size=0, nrcpt=1"},
    {"smtpd", "NOQUEUE: client=unknown[192.0.2.1]"},
    {"cleanup", "C8DC6FD214: resent-message-id=<2@example.com>"},
    {"postscreen", "PASS NEW [192.0.2.1]:1620"},
    {"qmgr", "C8DC6FD214: from=<a@example.com>, status=expired, returned "
	     "to sender"},
    {"postscreen", "CONNECT from [192.0.2.1]:1620 to [192.0.2.2]:25"},
    {"postscreen", "PASS OLD [192.0.2.1]:1620"},
    {"bounce", "C8DC6FD214: sender non-delivery notification: D9E1F2"},
    {"bounce", "C8DC6FD214: postmaster delivery status notification: A1"},
    {"bounce", "C8DC6FD214: sender delay notification: D9E1F2\n"},
    {"bounce", "C8DC6FD214: sender delay notification: D9E1F2 x"},
    {"bounce", "C8DC6FD214: sender notification: D9E1F2"},
    {"bounce", "C8DC6FD214: postmaster delay notification: "},
    {"pickup", "C8DC6FD214: uid=1000 from=<lara>"},
    {"pickup", "C8DC6FD214: uid=0 from=<root@example.com>"},
    {"pickup", "C8DC6FD214: uid= from=<lara>"},
    {"pickup", "C8DC6FD214: uid=1000from=<lara>"},
    {"smtp", "Trusted TLS connection established to mx.example.com"
	     "[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"},
    {"smtp", "Verified TLS connection established to mx.example.com"
	     "[192.0.2.1]:25: TLSv1.2"},
    {"smtp", "Untrusted TLS connection established to mx.example.com"},
    {"smtp", "C8DC6FD214: Untrusted TLS connection established to x"},
    {"smtp", "Trusted TLS connection established"},
    {"smtpd", "Anonymous TLS connection  established from x"},
    {"anvil", "statistics: max connection rate 3/60s for (smtp:192.0.2.1) "
	      "at Nov 19 10:06:41"},
    {"scache", "statistics: start interval Nov 19 10:06:41"},
    {"anvil", "statistics:max cache size 2"},
    {"master", "daemon started -- version 3.7.11"},
};

/* make_postfix_other - one of postfix_others into buf; its daemon in
 * *daemon */
static size_t
make_postfix_other(char *buf, size_t size, const char **daemon)
{
	unsigned i = rng_below(ARRAY_LEN(postfix_others));
	int n = snprintf(buf, size, "%s", postfix_others[i].message);

	*daemon = postfix_others[i].daemon;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* mutate - damage buf (len bytes, room for size) once; the new length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	return check_mutate(&rng, buf, len, size, interesting, SIZE_MAX);
}

/* test_generated_same - generated delivery lines and damaged copies */
static void
test_generated_same(void **state)
{
	struct state *st = *state;
	char line[1024], copy[1024], where[64];

	st->subjects = st->recognised = 0;
	for (unsigned i = 0; i < 800; i++) {
		size_t len;

		if (i % 4 == 0)
			len = make_postfix_line(line, sizeof line);
		else if (i % 4 == 1)
			len = make_exim_line(line, sizeof line);
		else if (i % 4 == 2)
			len = make_exim_result(line, sizeof line);
		else
			len = make_exim_reject(line, sizeof line);

		snprintf(where, sizeof where, "generated %u", i);
		compare_everywhere(st, where, line, len);
		for (unsigned k = 0; k < MUTATIONS; k++) {
			size_t n = len;

			memcpy(copy, line, len);
			for (unsigned m = rng_below(3) + 1; m > 0; m--)
				n = mutate(copy, n, sizeof copy);
			snprintf(where, sizeof where, "generated %u, damage %u",
				 i, k);
			compare_everywhere(st, where, copy, n);
		}
	}
	print_message("# %lu subjects, %lu matched by recognised rules\n",
		      st->subjects, st->recognised);
	assert_true(st->recognised > 10000);
	assert_true(st->recognised < st->subjects / 2);
	finish_cases();
}

/* test_generated_others_same - generated Postfix lines of other daemons
 * and damaged copies, matched with their daemon */
static void
test_generated_others_same(void **state)
{
	struct state *st = *state;
	char line[1024], copy[1024], where[64];
	const char *daemon;

	st->subjects = st->recognised = 0;
	for (unsigned i = 0; i < 100; i++) {
		size_t len = make_postfix_other(line, sizeof line, &daemon);

		snprintf(where, sizeof where, "other %u", i);
		compare_subject(st, &st->pairs[0], where, daemon, line, len);
		for (unsigned k = 0; k < MUTATIONS; k++) {
			size_t n = len;

			memcpy(copy, line, len);
			for (unsigned m = rng_below(3) + 1; m > 0; m--)
				n = mutate(copy, n, sizeof copy);
			snprintf(where, sizeof where, "other %u, damage %u", i,
				 k);
			compare_subject(st, &st->pairs[0], where, daemon, copy,
					n);
		}
	}
	print_message("# %lu subjects, %lu matched by recognised rules\n",
		      st->subjects, st->recognised);
	assert_true(st->recognised > 1000);
	finish_cases();
}

/* count_starts - rules of set whose start bytes leave out the byte c */
static size_t
count_starts(const struct pattern_set *set, unsigned char c)
{
	size_t n = 0;

	for (size_t i = 0; i < pattern_set_rule_count(set); i++)
		if (!pattern_rule_starts(pattern_set_rule(set, i), c))
			n++;
	return n;
}

/* test_builtin_prefilters - most built-in rules have start bytes, so
 * the comparisons above test them.  A failure means that the start
 * bytes are no longer found. */
static void
test_builtin_prefilters(void **state)
{
	struct state *st = *state;

	assert_true(count_starts(st->pairs[0].with, '\x01') > 40);
	assert_true(count_starts(st->pairs[1].with, '\x01') > 30);
	assert_true(count_starts(st->pairs[0].with, 'C') > 15);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin_rules_recognised),
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	    cmocka_unit_test(test_generated_same),
	    cmocka_unit_test(test_generated_others_same),
	    cmocka_unit_test(test_builtin_prefilters),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("pattern_recognise", tests, ARRAY_LEN(tests),
				     setup_state, teardown_state,
				     test_corpus_same);
}
