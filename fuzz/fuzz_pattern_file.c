/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pattern_file.c - fuzz target: the pattern-file parser
 *
 * The input is the text of a pattern file (see include/bouncelog/
 * pattern.h).  Diagnostics go to the checking sink of harness.c, so each
 * must be one line without control bytes.  The target checks:
 *	- pattern_set_parse() returns NULL only after an error diagnostic;
 *	- a returned set has a non-empty format name and at least one rule.
 *	  Each rule has a kind and a line number inside the file, and the
 *	  line numbers increase in file order;
 *	- matching a few fixed Postfix messages returns a known result; a
 *	  match names one of the set's rules, and every capture group and
 *	  named capture lies inside the subject;
 *	- a result of PATTERN_LIMIT raises pattern_set_limit_hits().
 */
#include <string.h>

#include "bouncelog/pattern.h"
#include "harness.h"

/* A daemon name and the message after "PROGRAM[PID]: ". */
struct sample {
	const char *daemon;
	const char *message;
};

static const struct sample samples[] = {
	{"smtp", "4F9D1234AB: to=<user@example.com>, relay=mx.example.com"
		 "[192.0.2.1]:25, delay=1.2, dsn=5.1.1, status=bounced (host "
		 "mx.example.com[192.0.2.1] said: 550 5.1.1 unknown user)"},
	{"smtpd", "NOQUEUE: reject: RCPT from unknown[198.51.100.7]: 554 "
		  "5.7.1 Service unavailable; from=<a@b.example> "
		  "to=<c@d.example> proto=ESMTP helo=<x>"},
	{"qmgr", "4F9D1234AB: from=<sender@example.org>, size=1234, nrcpt=1 "
		 "(queue active)"},
	{"qmgr", "4F9D1234AB: removed"},
	{"local", ""},
	{"", "\xff\xfe (((((((((((((((((((((((((((((((aaaaaaaaaaaaaaaaaaaaaa"},
};

/* Program names tried against the "program" line. */
static const char *const programs[] = {
	"postfix/smtp", "postfix-out/submission/smtpd", "exim", "", "sendmail",
};

/* Named captures that the Postfix back end reads. */
static const char *const capture_names[] = {
	"qid", "to", "fields", "status", "text", "action",
	"stage", "client", "from", "no-such-group",
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	return 0;
}

/* count_lines - lines in the file, the last one with or without LF */
static unsigned long
count_lines(const uint8_t *data, size_t size)
{
	unsigned long n = 0;

	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n')
			n++;
	return size > 0 && data[size - 1] != '\n' ? n + 1 : n;
}

/* check_rules - kinds and line numbers */
static void
check_rules(const struct pattern_set *set, unsigned long lines)
{
	unsigned long prev = 0;

	FUZZ_CHECK(pattern_set_format(set) != NULL &&
			   pattern_set_format(set)[0] != '\0',
		   "set without a format name");
	FUZZ_CHECK(pattern_set_rule_count(set) > 0, "set without rules");
	for (size_t i = 0; i < pattern_set_rule_count(set); i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		unsigned long line = pattern_rule_line(rule);

		FUZZ_CHECK(pattern_rule_kind(rule) != NULL &&
				   pattern_rule_kind(rule)[0] != '\0',
			   "rule %zu (line %lu) has an empty kind", i, line);
		FUZZ_CHECK(line > prev && line <= lines,
			   "rule %zu on line %lu after line %lu, file of %lu "
			   "lines",
			   i, line, prev, lines);
		prev = line;
	}
}

/* rule_index - the position of rule in set, or the rule count */
static size_t
rule_index(const struct pattern_set *set, const struct pattern_rule *rule)
{
	size_t i;

	for (i = 0; i < pattern_set_rule_count(set); i++)
		if (pattern_set_rule(set, i) == rule)
			break;
	return i;
}

/* check_match - the groups of a successful match */
static void
check_match(const struct pattern_set *set, const struct pattern_match *m,
	    const char *subject, size_t len)
{
	FUZZ_CHECK(rule_index(set, m->rule) < pattern_set_rule_count(set),
		   "match names a rule that is not in the set");
	FUZZ_CHECK(m->subject == subject, "match has another subject");
	FUZZ_CHECK(m->ngroups >= 1 && m->ngroups <= PATTERN_GROUPS_MAX,
		   "match with %u groups", m->ngroups);
	for (unsigned g = 0; g < m->ngroups; g++) {
		size_t start = m->ovector[2 * g], end = m->ovector[2 * g + 1];

		if (g > 0 && start == (size_t)-1)
			continue;
		FUZZ_CHECK(start <= end && end <= len,
			   "group %u at %zu..%zu of a %zu-byte subject", g,
			   start, end, len);
	}
	for (size_t i = 0; i < sizeof capture_names / sizeof capture_names[0];
	     i++)
		fuzz_check_span(capture_names[i],
				pattern_capture(m, capture_names[i]), subject,
				len);
}

/* check_samples - match the fixed messages and program names */
static void
check_samples(struct pattern_set *set)
{
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		const struct sample *s = &samples[i];
		struct span daemon = span_make(s->daemon, strlen(s->daemon));
		size_t len = strlen(s->message);
		unsigned long hits = pattern_set_limit_hits(set);
		struct pattern_match m;
		enum pattern_result rc;

		rc = pattern_set_match(set, daemon, s->message, len, &m);
		FUZZ_CHECK(rc == PATTERN_NOMATCH || rc == PATTERN_MATCH ||
				   rc == PATTERN_LIMIT,
			   "pattern_set_match returned %d", (int)rc);
		if (rc == PATTERN_MATCH)
			check_match(set, &m, s->message, len);
		FUZZ_CHECK((rc == PATTERN_LIMIT) ==
				   (pattern_set_limit_hits(set) > hits),
			   "result %d, limit hits %lu before and %lu after",
			   (int)rc, hits, pattern_set_limit_hits(set));
	}
	for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
		struct span p = span_make(programs[i], strlen(programs[i]));

		/* Twice, so that the cached result is used as well. */
		FUZZ_CHECK(pattern_set_program_matches(set, p) ==
				   pattern_set_program_matches(set, p),
			   "program \"%s\" matches only once", programs[i]);
		if (!pattern_set_has_program(set))
			FUZZ_CHECK(!pattern_set_program_matches(set, p),
				   "program \"%s\" matches a set without a "
				   "program line",
				   programs[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long errors = fuzz_diag_errors();
	struct pattern_set *set;

	set = pattern_set_parse((const char *)data, size, "fuzz.pat");
	if (set == NULL) {
		FUZZ_CHECK(fuzz_diag_errors() > errors,
			   "pattern_set_parse returned NULL without an error");
		return 0;
	}
	check_rules(set, count_lines(data, size));
	check_samples(set);
	pattern_set_free(set);
	return 0;
}
