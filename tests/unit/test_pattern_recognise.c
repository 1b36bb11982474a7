/* SPDX-License-Identifier: MIT */
/*
 * test_pattern_recognise.c - hand-written recognisers agree with PCRE2
 *
 * The built-in Postfix patterns are loaded twice, once with the
 * recognisers of src/pattern_recognise.c and once without.  Every line
 * is matched by both: the message after the syslog header with its
 * daemon, and the whole line and the message as if an smtp daemon had
 * logged them.  Result, rule, number of groups and every capture offset
 * must be equal.  The lines come from every file under fixtures/, from
 * the public corpus when it is present (BOUNCELOG_CORPUS, else the
 * folder that tests/corpus.py reads by default), and from delivery
 * lines generated and then damaged byte by byte.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "bouncelog/pattern.h"
#include "bouncelog/reader.h"
#include "bouncelog/sysline.h"
#include "check.h"
#include "pattern_recognise.h"

extern const char postfix_pat[];
extern const size_t postfix_pat_len;

/* Damaged copies made of each generated delivery line. */
#define MUTATIONS 400

/* The two pattern sets and what the comparison has seen. */
struct pair {
	struct pattern_set *with;
	struct pattern_set *without;
	unsigned long subjects; /* compared */
	unsigned long recognised; /* taken by a recogniser */
};

static int
setup_pair(void **state)
{
	struct pair *p = calloc(1, sizeof *p);

	if (p == NULL)
		return -1;
	p->with = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	p->without = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	if (p->with == NULL || p->without == NULL)
		return -1;
	pattern_set_use_recognisers(p->without, false);
	*state = p;
	return 0;
}

static int
teardown_pair(void **state)
{
	struct pair *p = *state;

	pattern_set_free(p->with);
	pattern_set_free(p->without);
	free(p);
	return 0;
}

/* recognised_by_hand - does the delivery recogniser take the subject? */
static bool
recognised_by_hand(const char *s, size_t len)
{
	size_t ovector[2 * PATTERN_GROUPS_MAX];
	unsigned pairs;

	return recognise_postfix_delivery(s, len, ovector, &pairs) ==
	       RECOGNISE_MATCH;
}

/* compare_subject - match s with both sets and note any difference */
static void
compare_subject(struct pair *p, const char *where, const char *daemon,
		const char *s, size_t len)
{
	struct span d = span_make(daemon, strlen(daemon));
	struct pattern_match a, b;
	enum pattern_result ra, rb;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	ra = pattern_set_match(p->with, d, s, len, &a);
	rb = pattern_set_match(p->without, d, s, len, &b);
	p->subjects++;
	if (recognised_by_hand(s, len))
		p->recognised++;

	check_int(where, "result", ra, rb);
	if (ra != PATTERN_MATCH || rb != PATTERN_MATCH)
		return;
	check_int(where, "rule line", (long long)pattern_rule_line(a.rule),
		  (long long)pattern_rule_line(b.rule));
	check_int(where, "groups", a.ngroups, b.ngroups);
	for (unsigned g = 0; g < 2 * a.ngroups && g < 2 * b.ngroups; g++)
		check_int(where, "offset", (long long)a.ovector[g],
			  (long long)b.ovector[g]);
}

/* compare_line - every way the line is matched */
static void
compare_line(struct pair *p, const char *where, const char *line, size_t len)
{
	struct sysline_year ref;
	struct sysline hdr;

	sysline_year_end(&ref, 2024);
	compare_subject(p, where, "smtp", line, len);
	if (!sysline_parse(line, len, &ref, &hdr))
		return;
	compare_subject(p, where, "smtp", hdr.message.ptr, hdr.message.len);
	if (hdr.daemon.ptr != NULL) {
		char daemon[64];

		snprintf(daemon, sizeof daemon, "%.*s",
			 (int)(hdr.daemon.len < 63 ? hdr.daemon.len : 63),
			 hdr.daemon.ptr);
		compare_subject(p, where, daemon, hdr.message.ptr,
				hdr.message.len);
	}
}

/* compare_file - every line of the log at path, plain or gzip */
static void
compare_file(struct pair *p, const char *path)
{
	struct reader *r = reader_open(path);
	struct reader_line line;
	char where[4200];

	if (r == NULL)
		return;
	while (reader_next(r, &line) == READER_LINE) {
		snprintf(where, sizeof where, "%s:%lu", path, line.number);
		compare_line(p, where, line.text, line.len);
	}
	reader_close(r);
}

/* compare_tree - every file under dir; returns the number of files */
static size_t
compare_tree(struct pair *p, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t files = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += compare_tree(p, path);
		} else if (S_ISREG(st.st_mode)) {
			compare_file(p, path);
			files++;
		}
	}
	closedir(d);
	return files;
}

/* test_builtin_rule_recognised - the built-in delivery rule has its
 * recogniser; a failure means that patterns/postfix.pat changed the
 * rule and src/pattern_recognise.c must follow */
static void
test_builtin_rule_recognised(void **state)
{
	struct pair *p = *state;
	size_t recognised = 0;

	for (size_t i = 0; i < pattern_set_rule_count(p->with); i++) {
		const struct pattern_rule *rule = pattern_set_rule(p->with, i);

		if (pattern_rule_recognised(rule)) {
			assert_string_equal(pattern_rule_kind(rule), "delivery");
			recognised++;
		}
	}
	assert_int_equal(recognised, 1);
}

/* test_fixtures_same - every line of fixtures/ */
static void
test_fixtures_same(void **state)
{
	struct pair *p = *state;
	const char *dir = getenv("BOUNCELOG_FIXTURES");

	assert_non_null(dir);
	p->subjects = p->recognised = 0;
	assert_true(compare_tree(p, dir) > 20);
	print_message("# %lu subjects, %lu taken by the recogniser\n",
		      p->subjects, p->recognised);
	assert_true(p->recognised > 100);
	finish_cases();
}

/* test_corpus_same - every line of the public corpus, when present */
static void
test_corpus_same(void **state)
{
	struct pair *p = *state;
	const char *dir = getenv("BOUNCELOG_CORPUS");
	const char *root = getenv("BOUNCELOG_SOURCE");
	char path[4096];
	struct stat st;

	if (dir == NULL && root != NULL) {
		snprintf(path, sizeof path, "%s/../shared/corpus", root);
		dir = path;
	}
	if (dir == NULL || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		skip();
		return;
	}
	p->subjects = p->recognised = 0;
	assert_true(compare_tree(p, dir) > 0);
	print_message("# %lu subjects, %lu taken by the recogniser\n",
		      p->subjects, p->recognised);
	assert_true(p->recognised > 0);
	finish_cases();
}

/* A deterministic generator (xorshift64). */
static uint64_t rng_state = 0x2545f4914f6cdd1dU;

static unsigned
rng_below(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
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

/* make_line - one generated delivery line into buf */
static size_t
make_line(char *buf, size_t size)
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

/* mutate - damage buf (len bytes, room for size) once; returns the new
 * length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	size_t at = len > 0 ? rng_below((unsigned)len) : 0;

	switch (rng_below(4)) {
	case 0: /* delete a byte */
		if (len > 0) {
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
		}
		break;
	case 1: /* insert a byte that matters to the rule */
		if (len + 1 < size) {
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = interesting[rng_below(sizeof interesting - 1)];
			len++;
		}
		break;
	case 2: /* replace a byte */
		if (len > 0)
			buf[at] = interesting[rng_below(sizeof interesting - 1)];
		break;
	default: /* cut the line */
		len = at;
	}
	return len;
}

/* test_generated_same - generated delivery lines and damaged copies */
static void
test_generated_same(void **state)
{
	struct pair *p = *state;
	char line[1024], copy[1024], where[64];

	p->subjects = p->recognised = 0;
	for (unsigned i = 0; i < 200; i++) {
		size_t len = make_line(line, sizeof line);

		snprintf(where, sizeof where, "generated %u", i);
		compare_subject(p, where, "smtp", line, len);
		for (unsigned k = 0; k < MUTATIONS; k++) {
			size_t n = len;

			memcpy(copy, line, len);
			for (unsigned m = rng_below(3) + 1; m > 0; m--)
				n = mutate(copy, n, sizeof copy);
			snprintf(where, sizeof where, "generated %u, damage %u",
				 i, k);
			compare_subject(p, where, "smtp", copy, n);
		}
	}
	print_message("# %lu subjects, %lu taken by the recogniser\n",
		      p->subjects, p->recognised);
	assert_true(p->recognised > 1000);
	assert_true(p->recognised < p->subjects);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin_rule_recognised),
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	    cmocka_unit_test(test_generated_same),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("pattern_recognise", tests,
					   setup_pair, teardown_pair);
}
