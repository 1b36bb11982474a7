/* SPDX-License-Identifier: MIT */
/*
 * test_pattern.c - unit tests of pattern files and rule matching
 *
 * Pattern files are given as text to pattern_set_parse(), except for the
 * loading tests, which write files into a fresh temporary directory.
 * Diagnostics go to a capturing sink, and each case lists the exact lines
 * it expects: a missing line and an extra line both fail the case.
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

#include "bouncelog/diag.h"
#include "bouncelog/pattern.h"
#include "check.h"

/* Diagnostics captured since the last capture_reset(). */
#define CAPTURE_MAX 8

static struct {
	char lines[CAPTURE_MAX][DIAG_LINE_MAX];
	size_t count;
} captured;

static void
capture_sink(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	if (captured.count < CAPTURE_MAX)
		snprintf(captured.lines[captured.count], DIAG_LINE_MAX, "%s",
			 line);
	captured.count++;
}

static void
capture_reset(void)
{
	memset(&captured, 0, sizeof captured);
}

/* check_diags - the captured lines must be exactly want[], in order */
static void
check_diags(const char *name, const char *const *want)
{
	size_t nwant = 0;

	while (nwant < 4 && want[nwant] != NULL)
		nwant++;
	for (size_t i = 0; i < nwant || i < captured.count; i++) {
		const char *got = i < captured.count && i < CAPTURE_MAX
					  ? captured.lines[i]
					  : NULL;

		check_str(name, "diagnostic", got, i < nwant ? want[i] : NULL);
	}
}

static int
setup_capture(void **state)
{
	(void)state;
	capture_reset();
	diag_set_sink(capture_sink, NULL);
	return 0;
}

static int
teardown_capture(void **state)
{
	(void)state;
	diag_set_sink(NULL, NULL);
	return 0;
}

/* Eight capture groups, to build rules at the group limit. */
#define G8 "(a)(a)(a)(a)(a)(a)(a)(a)"

#define HEAD "format demo\nprogram ^demo(?:/\\S+)?$\n"

struct parse_case {
	const char *name;
	const char *text;
	bool want_set;
	const char *want_format;
	size_t want_rules;
	const char *want_diags[4];	/* NULL-terminated */
	/* One match to try on the set: daemon, subject and the rule kind. */
	const char *probe_subject;
	const char *want_kind;		/* NULL: no rule matches */
};

static const struct parse_case parse_cases[] = {
	{"comments and blank lines",
	 "# demo patterns\n\nformat demo\n   # indented comment\n"
	 "program ^demo(?:/\\S+)?$\n\nrule alpha smtp,lmtp ^a(?<n>\\d+)\n"
	 "rule beta * ^b$\n",
	 true, "demo", 2, {NULL}, "b", "beta"},
	{"CRLF line ends",
	 "# demo\r\nformat demo\r\nprogram ^demo(?:/\\S+)?$\r\n"
	 "rule alpha smtp ^a\r\nrule beta * ^b$\r\n",
	 true, "demo", 2, {NULL}, "b", "beta"},
	{"no final newline", HEAD "rule beta * ^b$", true, "demo", 1, {NULL},
	 "b", "beta"},
	{"blank before directive",
	 HEAD "  \trule beta * ^b$\n", true, "demo", 1,
	 {NULL}, "b", "beta"},
	{"missing format", "program ^demo$\nrule beta * ^b$\n", false, NULL, 0,
	 {"bouncelog: demo.pat: missing \"format NAME\" line"}, NULL, NULL},
	{"empty format name",
	 "format\nprogram ^demo$\nrule beta * ^b$\n", false,
	 NULL, 0, {"bouncelog: demo.pat: missing \"format NAME\" line"}, NULL,
	 NULL},
	{"empty file", "", false, NULL, 0,
	 {"bouncelog: demo.pat: missing \"format NAME\" line"}, NULL, NULL},
	/* Formats read only from their own files need no program line. */
	{"missing program", "format demo\nrule beta * ^b$\n", true, "demo", 1,
	 {NULL}, "b", "beta"},
	{"bad program regex", "format demo\nprogram ^(demo\nrule beta * ^b$\n",
	 false, NULL, 0,
	 {"bouncelog: demo.pat:2:15: missing closing parenthesis"}, NULL, NULL},
	{"bad rule skipped", HEAD "rule alpha * ^(a\nrule beta * ^b$\n", true,
	 "demo", 1, {"bouncelog: demo.pat:3:17: missing closing parenthesis"},
	 "b", "beta"},
	{"column of closing parenthesis",
	 HEAD "rule alpha * a)b\nrule beta * ^b$\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3:15: unmatched closing parenthesis"}, "b",
	 "beta"},
	{"column after extra blanks",
	 HEAD "rule   alpha\t*   a{2,1}b\nrule beta * ^b$\n", true, "demo", 1,
	 {"bouncelog: demo.pat:3:23: numbers out of order in {} quantifier"},
	 "b", "beta"},
	{"column of indented rule",
	 HEAD "  rule alpha * ab[c\nrule beta * ^b$\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3:20: missing terminating ] for character "
	  "class"},
	 "b", "beta"},
	{"bad rule with CRLF", "format demo\r\nprogram ^demo$\r\n"
	 "rule alpha * ^(a\r\nrule beta * ^b$\r\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3:17: missing closing parenthesis"}, "b",
	 "beta"},
	{"first match wins", HEAD "rule first * ^b\nrule second * ^b$\n", true,
	 "demo", 2, {NULL}, "b", "first"},
	{"unknown directive", HEAD "filter x\nrule beta * ^b$\n", true, "demo",
	 1,
	 {"bouncelog: demo.pat:3:1: unknown directive \"filter\"; expected "
	  "format, program or rule"},
	 "b", "beta"},
	{"directive names are case-sensitive", HEAD "  Rule beta * ^b$\n"
	 "rule beta * ^b$\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3:3: unknown directive \"Rule\"; expected "
	  "format, program or rule"},
	 "b", "beta"},
	{"rule without regex", HEAD "rule alpha *\nrule alpha * \n"
	 "rule beta * ^b$\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3: rule needs a kind, a daemon list and a "
	  "regular expression",
	  "bouncelog: demo.pat:4: rule needs a kind, a daemon list and a "
	  "regular expression"},
	 "b", "beta"},
	{"no usable rule", HEAD "rule alpha * ^(a\n", false, NULL, 0,
	 {"bouncelog: demo.pat:3:17: missing closing parenthesis",
	  "bouncelog: demo.pat: no usable rule"},
	 NULL, NULL},
	{"32 groups rejected", HEAD "rule many * " G8 G8 G8 G8 "\n"
	 "rule beta * ^b$\n",
	 true, "demo", 1,
	 {"bouncelog: demo.pat:3: rule has 32 capture groups; at most 31 are "
	  "allowed"},
	 "b", "beta"},
	{"31 groups kept",
	 HEAD "rule many * " G8 G8 G8 "(a)(a)(a)(a)(a)(a)(a)\n",
	 true, "demo", 1, {NULL}, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "many"},
};

static void
test_parse_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct pattern_set *set;
		struct pattern_match m;

		capture_reset();
		set = pattern_set_parse(c->text, strlen(c->text), "demo.pat");
		check_diags(c->name, c->want_diags);
		check_int(c->name, "set returned", set != NULL, c->want_set);
		if (set == NULL)
			continue;

		check_str(c->name, "format", pattern_set_format(set),
			  c->want_format);
		check_str(c->name, "name", pattern_set_name(set), "demo.pat");
		check_int(c->name, "rules",
			  (long long)pattern_set_rule_count(set),
			  (long long)c->want_rules);
		if (pattern_set_match(set, span_make("smtp", 4),
				      c->probe_subject,
				      strlen(c->probe_subject),
				      &m) == PATTERN_MATCH)
			check_str(c->name, "matching rule",
				  pattern_rule_kind(m.rule), c->want_kind);
		else
			check_str(c->name, "matching rule", NULL, c->want_kind);
		pattern_set_free(set);
	}
	finish_cases();
}

static void
test_rule_accessors(void **state)
{
	static const char text[] = "# demo\nformat demo\nprogram ^demo$\n\n"
				   "rule alpha smtp ^a\nrule bad * (\n"
				   "rule beta * ^b\n";
	struct pattern_set *set;

	(void)state;
	set = pattern_set_parse(text, strlen(text), "demo.pat");
	assert_non_null(set);
	assert_int_equal(pattern_set_rule_count(set), 2);
	assert_string_equal(pattern_rule_kind(pattern_set_rule(set, 0)),
			    "alpha");
	assert_int_equal(pattern_rule_line(pattern_set_rule(set, 0)), 5);
	assert_string_equal(pattern_rule_kind(pattern_set_rule(set, 1)),
			    "beta");
	assert_int_equal(pattern_rule_line(pattern_set_rule(set, 1)), 7);
	assert_int_equal(captured.count, 1);
	pattern_set_free(set);
}

/* An extractor's kinds: a rule's kind is found by its place among them,
 * and a set with a kind outside them is reported rule by rule. */
static void
test_rule_kinds_checked(void **state)
{
	static const char text[] = "format demo\nprogram ^demo$\n"
				   "rule delivery * ^a\nrule bogus * ^b\n"
				   "rule info * ^c\nrule (?<x>a) * ^d\n";
	static const char *const kinds[] = {"delivery", "info"};
	static const char *const names[] = {"x", "none"};
	static const char *const want[] = {
	    "bouncelog: demo.pat:4: unknown rule kind \"bogus\" for format "
	    "demo",
	    "bouncelog: demo.pat:6: unknown rule kind \"(?<x>a)\" for format "
	    "demo",
	    NULL,
	};
	struct pattern_name groups[2];
	struct pattern_set *set;

	(void)state;
	set = pattern_set_parse(text, strlen(text), "demo.pat");
	assert_non_null(set);
	assert_int_equal(pattern_set_rule_count(set), 4);
	assert_int_equal(pattern_rule_kind_index(pattern_set_rule(set, 0),
						 kinds, 2), 0);
	assert_int_equal(pattern_rule_kind_index(pattern_set_rule(set, 1),
						 kinds, 2), 2);
	assert_int_equal(pattern_rule_kind_index(pattern_set_rule(set, 2),
						 kinds, 2), 1);
	assert_int_equal(pattern_set_check_kinds(set, "demo", kinds, 1), -1);
	capture_reset();
	assert_int_equal(pattern_set_check_kinds(set, "demo", kinds, 2), -1);
	check_diags("check kinds", want);

	/* The regular expression of the last rule has no group: its
	 * kind is the text "(?<x>a)", and no name has groups. */
	pattern_rule_names(pattern_set_rule(set, 3), names, 2, groups);
	assert_int_equal(groups[0].groups, 0);
	assert_int_equal(groups[1].groups, 0);
	pattern_set_free(set);
	finish_cases();
}

static const char daemon_text[] =
	"format demo\n"
	"program ^demo$\n"
	"rule smtp-only smtp,lmtp ^x(?<n>\\d)\n"
	"rule any * ^x\n"
	"rule local-only local ^y\n"
	"rule pipe-only ,pipe,, ^z\n";

struct daemon_case {
	const char *name;
	const char *daemon;	/* NULL: absent span */
	const char *subject;
	const char *want_kind;	/* NULL: no match */
};

static const struct daemon_case daemon_cases[] = {
	{"first daemon of list", "smtp", "x1", "smtp-only"},
	{"second daemon of list", "lmtp", "x1", "smtp-only"},
	{"daemon not listed", "local", "x1", "any"},
	{"longer name not listed", "smtpd", "x1", "any"},
	{"prefix not listed", "smt", "x1", "any"},
	{"case differs", "SMTP", "x1", "any"},
	{"listed alone", "local", "y", "local-only"},
	{"rule for another daemon", "smtp", "y", NULL},
	{"empty list items skipped", "pipe", "z", "pipe-only"},
	{"empty daemon", "", "z", NULL},
	{"absent daemon star rule", NULL, "x1", "any"},
	{"absent daemon listed rule", NULL, "y", NULL},
	{"no rule matches", "smtp", "q", NULL},
};

static void
test_daemon_lists(void **state)
{
	struct pattern_set *set;

	(void)state;
	set = pattern_set_parse(daemon_text, strlen(daemon_text), "demo.pat");
	assert_non_null(set);
	for (size_t i = 0; i < ARRAY_LEN(daemon_cases); i++) {
		const struct daemon_case *c = &daemon_cases[i];
		struct span daemon = c->daemon
					     ? span_make(c->daemon,
							 strlen(c->daemon))
					     : span_make(NULL, 0);
		struct pattern_match m;

		if (pattern_set_match(set, daemon, c->subject,
				      strlen(c->subject), &m) == PATTERN_MATCH)
			check_str(c->name, "rule", pattern_rule_kind(m.rule),
				  c->want_kind);
		else
			check_str(c->name, "rule", NULL, c->want_kind);
	}
	pattern_set_free(set);
	finish_cases();
}

static const char capture_text[] =
	"format demo\n"
	"program ^demo$\n"
	"rule to * ^to=(?:<(?<addr>[^>]*)>|(?<addr>[^,\\s]+))"
	"(?:, (?<opt>orig))?(?<empty>)$\n"
	"rule last * ^" G8 G8 G8 "(a)(a)(a)(a)(a)(a)(?<last>z)$\n";

struct capture_case {
	const char *name;
	const char *subject;
	const char *group;
	const char *want;	/* NULL: absent */
};

static const struct capture_case capture_cases[] = {
	{"duplicate name first branch", "to=<a@example.com>", "addr",
	 "a@example.com"},
	{"duplicate name second branch", "to=b@example.com", "addr",
	 "b@example.com"},
	{"empty first branch", "to=<>", "addr", ""},
	{"optional group absent", "to=<a@example.com>", "opt", NULL},
	{"optional group present", "to=<a@example.com>, orig", "opt", "orig"},
	{"empty group present", "to=b@example.com", "empty", ""},
	{"unknown name", "to=b@example.com", "nope", NULL},
	{"31st group", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaz", "last", "z"},
};

static void
test_captures(void **state)
{
	struct pattern_set *set;

	(void)state;
	set = pattern_set_parse(capture_text, strlen(capture_text), "demo.pat");
	assert_non_null(set);
	assert_int_equal(pattern_set_rule_count(set), 2);
	for (size_t i = 0; i < ARRAY_LEN(capture_cases); i++) {
		const struct capture_case *c = &capture_cases[i];
		struct pattern_match m;

		if (pattern_set_match(set, span_make("smtp", 4), c->subject,
				      strlen(c->subject), &m) != PATTERN_MATCH) {
			note_mismatch("%s: got no match, want a match",
				      c->name);
			continue;
		}
		check_span(c->name, c->group, pattern_capture(&m, c->group),
			   c->want);
	}
	pattern_set_free(set);
	finish_cases();
}

struct program_case {
	const char *name;
	const char *program;
	bool want;
};

/* Run in this order, so that a stale cached result would show. */
static const struct program_case program_cases[] = {
	{"first call", "demo/smtp", true},
	{"same program again", "demo/smtp", true},
	{"same length, other name", "demx/smtp", false},
	{"back to the first", "demo/smtp", true},
	{"other program", "dovecot", false},
	{"other program again", "dovecot", false},
	{"bare name", "demo", true},
	{"trailing space", "demo ", false},
	{"prefix only", "dem", false},
	{"empty", "", false},
};

static void
test_program_cache(void **state)
{
	static const char text[] = "format demo\nprogram ^demo(?:/\\S+)?$\n"
				   "rule any * ^\n";
	struct pattern_set *set;
	char long_ok[201], long_bad[201];

	(void)state;
	set = pattern_set_parse(text, strlen(text), "demo.pat");
	assert_non_null(set);
	for (size_t i = 0; i < ARRAY_LEN(program_cases); i++) {
		const struct program_case *c = &program_cases[i];

		struct span program = span_make(c->program, strlen(c->program));

		check_int(c->name, "matches",
			  pattern_set_program_matches(set, program), c->want);
	}

	/* 200-byte names bypass the cache, so each call runs the regex. */
	memset(long_ok, 'x', 200);
	memcpy(long_ok, "demo/", 5);
	memcpy(long_bad, long_ok, 200);
	long_bad[0] = 'z';
	check_int("long name", "matches",
		  pattern_set_program_matches(set, span_make(long_ok, 200)),
		  true);
	check_int("long name, other first byte", "matches",
		  pattern_set_program_matches(set, span_make(long_bad, 200)),
		  false);
	check_int("long name again", "matches",
		  pattern_set_program_matches(set, span_make(long_ok, 200)),
		  true);
	check_int("short after long", "matches",
		  pattern_set_program_matches(set, span_make("dovecot", 7)),
		  false);
	pattern_set_free(set);
	finish_cases();
}

/* A regular expression and the literal that every match must contain,
 * or NULL when the scan must not claim one. */
static const struct literal_case {
	const char *name;
	const char *regex;
	const char *want;
} literal_cases[] = {
    {"postfix delivery",
     "^(?<qid>[0-9A-Za-z]{5,}): to=(?:<(?<to>[^>]*)>|(?<to>[^,\\s]*)), "
     "(?<fields>(?:[a-z_]+=[^,]*, )*?)status=(?<status>[A-Za-z-]+)",
     "status="},
    {"plain words", "^connect from ", "connect from "},
    {"escaped dot", "^queue\\.full now", "queue.full now"},
    {"quantified byte dropped", "^abcdx?yz", "abcd"},
    {"counted repeat", "^ab{2,3}cdef", "cdef"},
    {"class ends a run", "^abc[de]fghi", "fghi"},
    {"class with bracket first", "^ab[]x]cd", "ab"},
    {"class escape ends a run", "^abc\\sdefg", "defg"},
    {"group ends a run", "^ab(?:c|d)efg", "efg"},
    {"optional group", "^xy(?:zz)?wvu", "wvu"},
    {"top-level alternation", "^abc|^def", NULL},
    {"caseless option", "^(?i)abcdef", NULL},
    {"caseless in a group", "^(?i:abc)defgh", NULL},
    {"quoted text", "^\\Qa.b\\Ecdef", NULL},
    {"verb", "(*UTF)^abcdef", NULL},
    {"backreference", "^(a)\\1bcdef", NULL},
    {"hex escape", "^ab\\x41cdef", NULL},
    {"nested class", "^ab[[:alpha:]]cdef", NULL},
    {"control escape in a class", "^ab[\\c]xyz]cdef", "cdef"},
    {"control escape of brackets", "^(?:ab\\c(|cd\\c))efgh", "efgh"},
    {"class with \\E first", "x[\\E]abcd]", NULL},
    {"class with \\Q\\E first", "^abc[\\Q\\E](]|x[\\E])]", NULL},
    {"brace before a group", "ab{(}cd)", NULL},
    {"brace before a class", "ab{[}cdef]", NULL},
    {"brace before a bar", "xyz{|q}", NULL},
    {"brace before an option", "abc{(?i)}defg", NULL},
    {"brace without a number", "abcd{,2}efgh", NULL},
    {"one byte only", "^a.b.c", NULL},
    {"lookahead", "^ab(?=de)fghi", "fghi"},
    {"part of every branch", "^(?<a>reject|milter-reject|x_reject_y): ",
     "reject"},
    {"longer than the runs", "^ab(?:xreject|rejecty)cd", "reject"},
    {"nested branches", "^(?:a(?:bcdef|xbcdefy)|zzbcdefzz)", "bcdef"},
    {"short common part", "^(?:xab|yab)cd", "cd"},
    {"branch without a literal", "^(?:reject|[a-z]+)cd", "cd"},
    {"optional branches", "^(?:reject|rejected)?cd", "cd"},
    {"repeated branches", "^(?:reject|rejected)+cd", "cd"},
    {"lookahead branches", "^(?=rejected)cd", "cd"},
    {"lookbehind branches", "^(?<!rejected)cd", "cd"},
    {"negative lookahead", "^(?!rejected)cd", "cd"},
    {"empty branch", "^(?:reject|)cd", "cd"},
};

static void
test_required_literal(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(literal_cases); i++) {
		const struct literal_case *c = &literal_cases[i];
		char text[512];
		struct pattern_set *set;
		struct span got;

		snprintf(text, sizeof text,
			 "format demo\nprogram ^demo$\nrule any * %s\n",
			 c->regex);
		set = pattern_set_parse(text, strlen(text), "demo.pat");
		if (set == NULL) {
			note_mismatch("%s: pattern file rejected", c->name);
			continue;
		}
		got = pattern_rule_literal(pattern_set_rule(set, 0));
		check_span(c->name, "literal", got, c->want);
		pattern_set_free(set);
	}
	finish_cases();
}

/* A regular expression, a byte, and whether a match may start with it. */
static const struct start_case {
	const char *regex;
	unsigned char c;
	bool want;
} start_cases[] = {
    {"^connect", 'c', true},
    {"^connect", 'C', true},
    {"^connect", 'x', false},
    {"^(?i)connect", 'C', true},
    {"^(?i:c)onnect", 'C', true},
    {"^(?:connect|disconnect) ", 'd', true},
    {"^(?:connect|disconnect) ", 'e', false},
    {"^x?abc", 'x', true},
    {"^x?abc", 'a', true},
    {"^x?abc", 'b', false},
    {"^[0-9]{5,}: ", '5', true},
    {"^[0-9]{5,}: ", 'a', false},
    {"^\\s*abc", ' ', true},
    {"^\\s*abc", 'a', true},
    {"^a|b", 'x', true},
    {"^a|^b", 'a', true},
    {"^a|^b", 'b', true},
    {"(?m)^abc", 'x', true},
    {"x^abc", 'q', true},
    {"^$", 'x', true},
    {"^a?", 'x', true},
    {"^\\Qa.b\\E", 'a', true},
    {"^\\Qa.b\\E", '.', false},
    /* PCRE2 reports both cases of one letter as one caseless first
     * byte, and no flag shows that it is caseless. */
    {"^[Ss]tatus=", 's', true},
    {"^[Ss]tatus=", 'S', true},
    {"^(?:NOQUEUE|noqueue): ", 'n', true},
    {"^(?:Na|nb)", 'n', true},
    {"^(?:Na|nb)", 'o', false},
};

/* test_start_bytes - the bytes that a match can start with */
static void
test_start_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(start_cases); i++) {
		const struct start_case *c = &start_cases[i];
		char text[512], name[64];
		struct pattern_set *set;

		snprintf(text, sizeof text,
			 "format demo\nprogram ^demo$\nrule any * %s\n",
			 c->regex);
		snprintf(name, sizeof name, "%s with %c", c->regex, c->c);
		set = pattern_set_parse(text, strlen(text), "demo.pat");
		if (set == NULL) {
			note_mismatch("%s: pattern file rejected", name);
			continue;
		}
		check_int(name, "starts",
			  pattern_rule_starts(pattern_set_rule(set, 0), c->c),
			  c->want);
		pattern_set_free(set);
	}
	finish_cases();
}

/*
 * A subject that no match of a rule can start with gives the result the
 * regular expression gives: a later rule's match, and for an empty
 * subject only a rule that can match nothing.
 */
static void
test_start_bytes_skip_rule(void **state)
{
	static const char text[] = "format demo\nprogram ^demo$\n"
				   "rule first * ^(?i)connect\n"
				   "rule second * ^c\n"
				   "rule third * ^x?\n";
	static const char *const subjects[] = {"CONNECT", "connect", "cx", "",
					       "yz"};
	static const char *const kinds[] = {"first", "first", "second",
					    "third", "third"};
	struct pattern_set *set;

	(void)state;
	set = pattern_set_parse(text, strlen(text), "demo.pat");
	assert_non_null(set);
	for (size_t i = 0; i < ARRAY_LEN(subjects); i++) {
		struct pattern_match m;

		assert_int_equal(pattern_set_match(set, span_make("smtp", 4),
						   subjects[i],
						   strlen(subjects[i]), &m),
				 PATTERN_MATCH);
		check_str(subjects[i], "kind", pattern_rule_kind(m.rule),
			  kinds[i]);
	}
	pattern_set_free(set);
	finish_cases();
}

/*
 * A subject that lacks a rule's literal must give the result the
 * regular expression gives, here a later rule's match.
 */
static void
test_literal_skips_rule(void **state)
{
	static const char text[] = "format demo\nprogram ^demo$\n"
				   "rule first * ^(?<a>\\w+): status=(?<s>\\w+)\n"
				   "rule second * ^(?<a>\\w+): \n";
	struct pattern_set *set;
	struct pattern_match m;
	const char *with = "AB12C: status=sent";
	const char *without = "AB12C: removed";

	(void)state;
	set = pattern_set_parse(text, strlen(text), "demo.pat");
	assert_non_null(set);
	check_span("with literal", "literal",
		   pattern_rule_literal(pattern_set_rule(set, 0)), ": status=");
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), with,
					   strlen(with), &m),
			 PATTERN_MATCH);
	check_str("with literal", "kind", pattern_rule_kind(m.rule), "first");
	check_span("with literal", "status", pattern_capture(&m, "s"), "sent");
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), without,
					   strlen(without), &m),
			 PATTERN_MATCH);
	check_str("without literal", "kind", pattern_rule_kind(m.rule),
		  "second");
	pattern_set_free(set);
	finish_cases();
}

/*
 * Nested quantifiers backtrack exponentially on a near miss.  The match
 * limit must stop the attempt, count it and report no match.
 */
static void
test_match_limit(void **state)
{
	static const char slow[] = "format demo\nprogram ^demo$\n"
				   "rule slow * ^(a+)+$\n";
	static const char slow_then_other[] = "format demo\nprogram ^demo$\n"
					      "rule slow * ^(a+)+$\n"
					      "rule other * ^a\n";
	static const char subject[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
	struct pattern_set *set;
	struct pattern_match m;

	(void)state;
	set = pattern_set_parse(slow, strlen(slow), "demo.pat");
	assert_non_null(set);
	assert_int_equal(pattern_set_limit_hits(set), 0);
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), subject,
					   strlen(subject), &m),
			 PATTERN_LIMIT);
	assert_int_equal(pattern_set_limit_hits(set), 1);
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), subject,
					   strlen(subject), &m),
			 PATTERN_LIMIT);
	assert_int_equal(pattern_set_limit_hits(set), 2);

	/* A short subject still matches normally. */
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), "aaa", 3,
					   &m),
			 PATTERN_MATCH);
	assert_int_equal(pattern_set_limit_hits(set), 2);
	pattern_set_free(set);

	/* A limit stops the search, so a looser later rule cannot take the
	 * line. */
	set = pattern_set_parse(slow_then_other, strlen(slow_then_other),
				"demo.pat");
	assert_non_null(set);
	assert_int_equal(pattern_set_match(set, span_make("smtp", 4), subject,
					   strlen(subject), &m),
			 PATTERN_LIMIT);
	assert_int_equal(pattern_set_limit_hits(set), 1);
	pattern_set_free(set);
}

/* A fresh directory for the loading tests, removed by the teardown. */
static char temp_dir[64];

static int
setup_temp_dir(void **state)
{
	setup_capture(state);
	snprintf(temp_dir, sizeof temp_dir, "/tmp/bouncelog-pattern-XXXXXX");
	return mkdtemp(temp_dir) != NULL ? 0 : -1;
}

static int
teardown_temp_dir(void **state)
{
	static const char *const names[] = {"demo.pat", "big.pat"};
	char path[128];

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		snprintf(path, sizeof path, "%s/%s", temp_dir, names[i]);
		unlink(path);
	}
	rmdir(temp_dir);
	return teardown_capture(state);
}

/* write_file - write text to name in temp_dir and return its path */
static void
write_file(const char *name, const char *text, size_t len, char *path,
	   size_t size)
{
	FILE *fp;

	snprintf(path, size, "%s/%s", temp_dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
test_load_file(void **state)
{
	static const char text[] = HEAD "rule beta * ^b$\n";
	struct pattern_set *set;
	char path[128];

	(void)state;
	write_file("demo.pat", text, strlen(text), path, sizeof path);
	set = pattern_set_load(path);
	assert_non_null(set);
	assert_string_equal(pattern_set_name(set), path);
	assert_string_equal(pattern_set_format(set), "demo");
	assert_int_equal(pattern_set_rule_count(set), 1);
	assert_int_equal(captured.count, 0);
	pattern_set_free(set);
}

static void
test_load_missing_file(void **state)
{
	char path[128], want[256];

	(void)state;
	snprintf(path, sizeof path, "%s/absent.pat", temp_dir);
	snprintf(want, sizeof want, "bouncelog: %s: No such file or directory",
		 path);
	assert_null(pattern_set_load(path));
	assert_int_equal(captured.count, 1);
	assert_string_equal(captured.lines[0], want);
}

static void
test_load_directory(void **state)
{
	char want[256];

	(void)state;
	snprintf(want, sizeof want, "bouncelog: %s: Is a directory", temp_dir);
	assert_null(pattern_set_load(temp_dir));
	assert_int_equal(captured.count, 1);
	assert_string_equal(captured.lines[0], want);
}

static void
test_load_too_large(void **state)
{
	size_t len = PATTERN_FILE_MAX + 1;
	char *text = malloc(len);
	char path[128], want[256];

	(void)state;
	assert_non_null(text);
	memset(text, '#', len);
	for (size_t i = 79; i < len; i += 80)
		text[i] = '\n';
	write_file("big.pat", text, len, path, sizeof path);
	free(text);

	snprintf(want, sizeof want,
		 "bouncelog: %s: pattern file larger than %d bytes", path,
		 PATTERN_FILE_MAX);
	assert_null(pattern_set_load(path));
	assert_int_equal(captured.count, 1);
	assert_string_equal(captured.lines[0], want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_cases, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_rule_accessors,
						setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_rule_kinds_checked,
						setup_capture,
						teardown_capture),
		cmocka_unit_test(test_daemon_lists),
		cmocka_unit_test(test_captures),
		cmocka_unit_test(test_program_cache),
		cmocka_unit_test(test_required_literal),
		cmocka_unit_test(test_literal_skips_rule),
		cmocka_unit_test(test_start_bytes),
		cmocka_unit_test(test_start_bytes_skip_rule),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test_setup_teardown(test_load_file, setup_temp_dir,
						teardown_temp_dir),
		cmocka_unit_test_setup_teardown(test_load_missing_file,
						setup_temp_dir,
						teardown_temp_dir),
		cmocka_unit_test_setup_teardown(test_load_directory,
						setup_temp_dir,
						teardown_temp_dir),
		cmocka_unit_test_setup_teardown(test_load_too_large,
						setup_temp_dir,
						teardown_temp_dir),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
