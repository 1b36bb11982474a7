/* SPDX-License-Identifier: MIT */
/*
 * test_pattern_gate.c - the gate of a rule never rejects a subject that
 * its regular expression matches
 *
 * First, the reader on expressions written for it: the place and words
 * it must find, and the constructs it must reject.  Then PCRE2 matches
 * every rule of every built-in pattern file, and the expressions above,
 * against subjects made to pass and to fail their gates.  The subjects
 * are lines of fixtures/, the gate's own words after a queue id, and
 * damaged copies of both.  Wherever a gate rejects a subject, PCRE2
 * must find no match.  The tests of test_pattern_recognise.c compare
 * whole pattern sets with and without the prefilters, gates included.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pattern_gate.h"
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

/* One expression and the gate the reader must find: words joined by
 * "|", or NULL when it must find none. */
struct read_case {
	const char *regex;
	enum pattern_gate_at at;
	const char *words;
};

static const struct read_case read_cases[] = {
    {"^(?<qid>[0-9A-Za-z]{5,}): to=(?:<(?<to>[^>]*)>|(?<to>[^,\\s]*)), ",
     PATTERN_GATE_QID, "to="},
    {"^[0-9A-Za-z]{5,}: uid=\\d+ from=", PATTERN_GATE_QID, "uid="},
    {"^(?<qid>[0-9A-Za-z]{5,}): removed$", PATTERN_GATE_QID, "removed"},
    {"^[0-9A-Za-z]{5,}: (?:resent-)?message-id=", PATTERN_GATE_QID, ""},
    {"^(?:NOQUEUE|[0-9A-Za-z]{5,}): client=", PATTERN_GATE_QID, "client="},
    {"^(?<qid>NOQUEUE|[0-9A-Za-z]{5,}): lost", PATTERN_GATE_QID, "lost"},
    {"^(?:(?<qid>[0-9A-Za-z]{5,}): )?(?:warning|error): ",
     PATTERN_GATE_QID_OPTIONAL, "warning|error"},
    {"^(?:NOQUEUE: |[0-9A-Za-z]{5,}: )?reject: ", PATTERN_GATE_QID_OPTIONAL,
     "reject: "},
    {"^(?:(?<qid>NOQUEUE|[0-9A-Za-z]{5,}): )?(?<action>reject|"
     "reject_warning|milter-reject|proxy-reject): ",
     PATTERN_GATE_QID_OPTIONAL, "reject|reject_w|milter-r|proxy-re"},
    {"^(?:connect|disconnect) from ", PATTERN_GATE_START,
     "connect|disconne"},
    {"^(?:Start|End) queue run: pid=", PATTERN_GATE_START, "Start|End"},
    {"^Envelope-(?:from|to): <", PATTERN_GATE_START, "Envelope"},
    {"^abc?d", PATTERN_GATE_START, "ab"},
    {"^ab*", PATTERN_GATE_START, "a"},
    {"^ab+", PATTERN_GATE_START, "a"},
    {"^(a|bc)+x", PATTERN_GATE_START, NULL},
    {"^x", PATTERN_GATE_START, "x"},
    {"^[0-9A-Za-z]{5,}: x[]|(]y", PATTERN_GATE_QID, "x"},
    {"^[0-9A-Za-z]{5,}: x[^]\\]]y", PATTERN_GATE_QID, "x"},
    {"^[0-9A-Za-z]{5,}: x(?=y)", PATTERN_GATE_QID, "x"},
    {"^[0-9A-Za-z]{5,}: (?=y)x", PATTERN_GATE_QID, ""},
    {"^[0-9A-Za-z]{5,}: (?<=: )x", PATTERN_GATE_QID, ""},

    /* Refused: nothing to test, or a construct the reader does not
     * follow. */
    {"^", PATTERN_GATE_START, NULL},
    {"^a{2}", PATTERN_GATE_START, NULL},
    {"^(?i)abc", PATTERN_GATE_START, NULL},
    {"^ab(?i)c", PATTERN_GATE_START, NULL},
    {"^abc|def", PATTERN_GATE_START, NULL},
    {"^(?:abc|def)?x", PATTERN_GATE_START, NULL},
    {"^(?:abc|)x", PATTERN_GATE_START, NULL},
    {"^(?:a|b|c|d|e|f|g|h|i)x", PATTERN_GATE_START, NULL},
    {"^(?:a.|b)x", PATTERN_GATE_START, NULL},
    {"^[0-9A-Za-z]{5,}: ?x", PATTERN_GATE_QID, NULL},
    {"^[0-9A-Za-z]{5,}:+ x", PATTERN_GATE_QID, NULL},
    {"^(?:(?<qid>[0-9A-Za-z]{5,}): )?[a-z]", PATTERN_GATE_QID, NULL},
    {"^\\Qa|b\\E", PATTERN_GATE_START, NULL},
    {"^ab(*SKIP)c", PATTERN_GATE_START, NULL},
    {"^a\\c(|b", PATTERN_GATE_START, NULL},
    {"^[0-9A-Za-z]{5,}: x[(]|y", PATTERN_GATE_QID, NULL},
    {"^[0-9A-Za-z]{5,}: x[[:alpha:]]", PATTERN_GATE_QID, NULL},
    {"^[0-9A-Za-z]{5,}: x(?#a)", PATTERN_GATE_QID, NULL},
    {"^abc[\\E](]|x[\\E])]", PATTERN_GATE_START, NULL},
    {"^(?<qid>[0-9A-Za-z]{5,}): [\\E](]|x[\\E])]", PATTERN_GATE_QID,
     NULL},
    {"^\xc3\xa9?x", PATTERN_GATE_START, NULL},
    {"[0-9A-Za-z]{5,}: x", PATTERN_GATE_QID, NULL},
    {"^[0-9A-Za-z]{4,}: x", PATTERN_GATE_QID, NULL},
};

/* word_len - the bytes of word k of gate: those its mask compares */
static size_t
word_len(const struct pattern_gate *gate, unsigned k)
{
	unsigned char mask[sizeof gate->mask[k]];
	size_t n = 0;

	memcpy(mask, &gate->mask[k], sizeof mask);
	while (n < sizeof mask && mask[n] == 0xff)
		n++;
	return n;
}

/* words_of - the gate's words joined by "|" into buf */
static const char *
words_of(const struct pattern_gate *gate, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < gate->nwords && n + 10 < size; k++) {
		if (k > 0)
			buf[n++] = '|';
		memcpy(buf + n, &gate->head[k], word_len(gate, k));
		n += word_len(gate, k);
		buf[n] = '\0';
	}
	return buf;
}

static void
test_read(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(read_cases); i++) {
		const struct read_case *c = &read_cases[i];
		struct pattern_gate gate;
		bool found = pattern_gate_read(c->regex, strlen(c->regex), &gate);
		char words[128];

		check_int(c->regex, "found", found, c->words != NULL);
		if (!found || c->words == NULL)
			continue;
		check_int(c->regex, "place", gate.at, c->at);
		check_str(c->regex, "words",
			  words_of(&gate, words, sizeof words), c->words);
	}
	finish_cases();
}

/* Subjects collected from the fixtures, each a copy of exact length. */
struct subjects {
	char **text;
	size_t *len;
	size_t n, cap;
};

static void
add_subject(struct subjects *s, const char *text, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->text = realloc(s->text, s->cap * sizeof *s->text);
		s->len = realloc(s->len, s->cap * sizeof *s->len);
		assert_non_null(s->text);
		assert_non_null(s->len);
	}
	s->text[s->n] = copy_exact(text, len);
	s->len[s->n++] = len;
}

/* Lines kept from fixtures/: enough of every format, few enough for a
 * run under valgrind. */
#define FIXTURE_LINES 6000

/* collect - a line, and what follows each of its first blanks (the
 * message of a syslog line starts after its fourth or fifth) */
static void
collect(void *arg, const char *where, const char *text, size_t len)
{
	struct subjects *s = arg;
	size_t blanks = 0;

	(void)where;
	if (s->n >= FIXTURE_LINES)
		return;
	add_subject(s, text, len);
	for (size_t i = 0; i < len && blanks < 6; i++) {
		if (text[i] != ' ')
			continue;
		blanks++;
		add_subject(s, text + i + 1, len - i - 1);
	}
}

/* What the comparison of one expression has seen. */
struct tally {
	unsigned long rejected;	/* subjects the gate refused */
	unsigned long passed;
	unsigned long matched;	/* passed, and PCRE2 matched */
};

/* try_subject - a subject the gate refuses must not match */
static void
try_subject(const char *regex, const struct pattern_gate *gate,
	    pcre2_code *code, pcre2_match_data *md, const char *text,
	    size_t len, struct tally *t)
{
	struct recognise_memo memo;
	char *copy = copy_exact(text, len);
	int rc;

	recognise_memo_init(&memo);
	rc = pcre2_match(code, (PCRE2_SPTR)copy, len, 0, 0, md, NULL);
	if (pattern_gate_pass(gate, copy, len, &memo)) {
		t->passed++;
		t->matched += rc > 0;
	} else {
		t->rejected++;
		if (rc != PCRE2_ERROR_NOMATCH)
			note_mismatch("%s: subject \"%.*s\" refused by the gate, "
				      "PCRE2 gives %d",
				      regex, (int)len, copy, rc);
	}
	free(copy);
}

/* Damaged copies of each subject made from a gate's words. */
#define MUTATIONS 24

/* try_generated - subjects made of the gate's words after a queue id,
 * at the start, and damaged */
static void
try_generated(const char *regex, const struct pattern_gate *gate,
	      pcre2_code *code, pcre2_match_data *md, struct check_rng *rng,
	      struct tally *t)
{
	static const char *const starts[] = {"C7A000DEB2: ", "NOQUEUE: ",
					     "ABCD: ", "A1b2C3d4e5f:  ", ""};
	static const char *const tails[] = {"", " from <a@b>", ": x", "$",
					    "\n"};
	static const char bytes[] = "aZ09 :<>=-_()[]|\n\xc3\xa9";

	for (unsigned k = 0; k <= gate->nwords; k++) {
		char word[PATTERN_GATE_HEAD + 1] = "";

		if (k < gate->nwords)
			memcpy(word, &gate->head[k], word_len(gate, k));
		for (size_t i = 0; i < ARRAY_LEN(starts); i++) {
			for (size_t j = 0; j < ARRAY_LEN(tails); j++) {
				char buf[128];
				int n = snprintf(buf, sizeof buf, "%s%s%s",
						 starts[i], word, tails[j]);

				try_subject(regex, gate, code, md, buf,
					    (size_t)n, t);
				for (int m = 0; m < MUTATIONS; m++) {
					char copy[128];
					size_t len;

					memcpy(copy, buf, (size_t)n);
					len = check_mutate(rng, copy, (size_t)n,
							   sizeof copy, bytes,
							   SIZE_MAX);
					try_subject(regex, gate, code, md,
						    copy, len, t);
				}
			}
		}
	}
}

/* try_regex - compare the gate of regex (len bytes) with PCRE2 */
static void
try_regex(const char *regex, size_t len, const struct subjects *s,
	  struct check_rng *rng, struct tally *all, unsigned *gated)
{
	struct pattern_gate gate;
	pcre2_code *code;
	pcre2_match_data *md;
	int errcode;
	PCRE2_SIZE erroffset;
	char name[160];

	if (!pattern_gate_read(regex, len, &gate))
		return;
	(*gated)++;
	snprintf(name, sizeof name, "%.*s", (int)(len < 120 ? len : 120),
		 regex);
	code = pcre2_compile((PCRE2_SPTR)regex, len, PCRE2_DUPNAMES, &errcode,
			     &erroffset, NULL);
	assert_non_null(code);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	assert_non_null(md);
	for (size_t i = 0; i < s->n; i++)
		try_subject(name, &gate, code, md, s->text[i], s->len[i], all);
	try_generated(name, &gate, code, md, rng, all);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
}

/* try_pattern_file - every rule of the pattern file text: its fourth
 * field and what follows is the expression */
static void
try_pattern_file(const char *text, size_t len, const struct subjects *s,
		 struct check_rng *rng, struct tally *all, unsigned *gated)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (eol == NULL)
			eol = end;
		if (eol - p > 5 && memcmp(p, "rule ", 5) == 0) {
			for (int field = 0; field < 3 && q < eol; field++) {
				while (q < eol && *q != ' ' && *q != '\t')
					q++;
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
			}
			try_regex(q, (size_t)(eol - q), s, rng, all, gated);
		}
		p = eol + 1;
	}
}

static void
test_never_refuses_a_match(void **state)
{
	static const struct {
		const char *text;
		const size_t *len;
	} files[] = {
	    {postfix_pat, &postfix_pat_len},   {exim_pat, &exim_pat_len},
	    {sendmail_pat, &sendmail_pat_len}, {opensmtpd_pat, &opensmtpd_pat_len},
	    {exchange_pat, &exchange_pat_len},
	};
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	struct subjects s = {0};
	struct check_rng rng = {UINT64_C(0x9e3779b97f4a7c15)};
	struct tally all = {0};
	unsigned gated = 0, builtin;

	(void)state;
	assert_non_null(dir);
	assert_true(check_each_line(dir, collect, &s) > 20);
	for (size_t i = 0; i < ARRAY_LEN(files); i++)
		try_pattern_file(files[i].text, *files[i].len, &s, &rng, &all,
				 &gated);
	builtin = gated;
	for (size_t i = 0; i < ARRAY_LEN(read_cases); i++)
		try_regex(read_cases[i].regex, strlen(read_cases[i].regex), &s,
			  &rng, &all, &gated);
	print_message("# %u gated expressions (%u built in), %zu fixture "
		      "subjects: %lu refused, %lu passed, %lu of them "
		      "matched\n",
		      gated, builtin, s.n, all.rejected, all.passed,
		      all.matched);

	/* The comparison tests something only when the gates refuse many
	 * subjects and pass some that match. */
	assert_true(builtin > 40);
	assert_true(all.rejected > 100000);
	assert_true(all.matched > 1000);
	for (size_t i = 0; i < s.n; i++)
		free(s.text[i]);
	free(s.text);
	free(s.len);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_never_refuses_a_match),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("pattern_gate", tests, NULL, NULL);
}
