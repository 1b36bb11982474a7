/* SPDX-License-Identifier: MIT */
/*
 * test_sysline_fast.c - the header scanner's fast path agrees with its
 * general path
 *
 * sysline_parse() reads the common header shapes itself and reuses the
 * minute of the line before; sysline_parse_general() reads every line
 * from its start.  Every line is parsed by both with several reference
 * dates, in file order so that the kept minute is used as it is in a run.
 * The result and every field must be equal: the wall time, microseconds,
 * offset, inferred year, and the place and length of host, program,
 * daemon, pid and message.  The lines come from every file under
 * fixtures/, from the public corpus when it is present, and from
 * generated headers of every accepted form and many rejected ones, each
 * also damaged byte by byte.  The RFC 3339 stamp at the start of each
 * line is also read alone both ways (sysline_parse_rfc3339()).
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

#include "bouncelog/sysline.h"
#include "check.h"
#include "sysline_impl.h"

/* Generated lines, and damaged copies made of each. */
#define GENERATED 6000
#define MUTATIONS 12

/* What the comparison has seen. */
struct tally {
	unsigned long lines;  /* compared */
	unsigned long parsed; /* accepted by both */
	unsigned long bsd;    /* of them, with an inferred year */
	unsigned long rfc5424; /* of them, starting "<22>1 " */
	unsigned long stamps;  /* lines whose start was read as a stamp */
	unsigned long stamps_read; /* of them, read as one by both */
};

/* The references of year inference: the end of a leap year, the end of
 * the year after, and a file last written on 1 March 2026 at 00:30, so
 * that later dates fall into the year before. */
static struct sysline_year refs[3];

static void
init_refs(void)
{
	sysline_year_end(&refs[0], 2024);
	sysline_year_end(&refs[1], 2025);
	refs[2].year = 2026;
	refs[2].month = 3;
	refs[2].limit = sysline_days_from_civil(2026, 3, 1) * 86400 + 30 * 60;
}

/* check_place - the same span of the line: both absent, or the same
 * offset and length */
static void
check_place(const char *where, const char *what, const char *line,
	    struct span got, struct span want)
{
	char name[64];

	snprintf(name, sizeof name, "%s null", what);
	check_int(where, name, got.ptr == NULL, want.ptr == NULL);
	if (got.ptr == NULL || want.ptr == NULL)
		return;
	snprintf(name, sizeof name, "%s offset", what);
	check_int(where, name, got.ptr - line, want.ptr - line);
	snprintf(name, sizeof name, "%s length", what);
	check_int(where, name, (long long)got.len, (long long)want.len);
}

/* compare_one - parse one line both ways with one reference.  The line
 * is copied into a buffer of its exact length, so AddressSanitizer
 * catches a read past its end. */
static void
compare_one(struct tally *t, const char *where, const char *text, size_t len,
	    const struct sysline_year *ref)
{
	char *line = copy_exact(text, len);
	struct sysline a, b;
	bool ra, rb;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	ra = sysline_parse(line, len, ref, &a);
	rb = sysline_parse_general(line, len, ref, &b);
	t->lines++;
	check_int(where, "result", ra, rb);
	if (ra && rb) {
		t->parsed++;
		t->bsd += b.time.year_inferred;
		t->rfc5424 += len > 6 && memcmp(line, "<22>1 ", 6) == 0;
		check_int(where, "wall", a.time.wall, b.time.wall);
		check_int(where, "usec", a.time.usec, b.time.usec);
		check_int(where, "offset", a.time.offset_min,
			  b.time.offset_min);
		check_int(where, "has offset", a.time.has_offset,
			  b.time.has_offset);
		check_int(where, "year inferred", a.time.year_inferred,
			  b.time.year_inferred);
		check_place(where, "host", line, a.host, b.host);
		check_place(where, "program", line, a.program, b.program);
		check_place(where, "daemon", line, a.daemon, b.daemon);
		check_place(where, "pid", line, a.pid, b.pid);
		check_place(where, "message", line, a.message, b.message);
	}
	free(line);
}

/* compare_stamp - read the RFC 3339 stamp at the start of text both
 * ways (sysline_parse_rfc3339() and its general path) */
static void
compare_stamp(struct tally *t, const char *where, const char *text,
	      size_t len)
{
	char *s = copy_exact(text, len);
	struct logtime a, b;
	size_t na = sysline_parse_rfc3339(s, len, &a);
	size_t nb = sysline_parse_rfc3339_general(s, len, &b);

	t->stamps++;
	check_int(where, "stamp length", (long long)na, (long long)nb);
	if (na > 0 && nb > 0) {
		t->stamps_read++;
		check_int(where, "stamp wall", a.wall, b.wall);
		check_int(where, "stamp usec", a.usec, b.usec);
		check_int(where, "stamp offset", a.offset_min, b.offset_min);
		check_int(where, "stamp has offset", a.has_offset,
			  b.has_offset);
		check_int(where, "stamp year inferred", a.year_inferred,
			  b.year_inferred);
	}
	free(s);
}

/* compare_line - the line with every reference */
static void
compare_line(struct tally *t, const char *where, const char *line,
	     size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(refs); i++)
		compare_one(t, where, line, len, &refs[i]);
	compare_stamp(t, where, line, len);
}

/* compare_each - compare_line() as a check_each_line() callback */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	compare_line(arg, where, text, len);
}

/* test_fixtures_same - every line of fixtures/ and of the sysline fuzz
 * target's seed corpus */
static void
test_fixtures_same(void **state)
{
	struct tally t = {0};
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	const char *root = getenv("BOUNCELOG_SOURCE");
	char path[4096];

	(void)state;
	assert_non_null(dir);
	assert_non_null(root);
	assert_true(check_each_line(dir, compare_each, &t) > 20);
	snprintf(path, sizeof path, "%s/fuzz/corpus/sysline", root);
	assert_true(check_each_line(path, compare_each, &t) > 10);
	print_message("# %lu lines, %lu parsed, %lu with an inferred year\n",
		      t.lines, t.parsed, t.bsd);
	assert_true(t.parsed > 1000);
	assert_true(t.bsd > 100);
	finish_cases();
}

/* test_corpus_same - every line of the public corpus, when present */
static void
test_corpus_same(void **state)
{
	struct tally t = {0};
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);

	(void)state;
	if (dir == NULL) {
		skip();
		return;
	}
	assert_true(check_each_line(dir, compare_each, &t) > 0);
	print_message("# %lu lines, %lu parsed, %lu with an inferred year\n",
		      t.lines, t.parsed, t.bsd);
	assert_true(t.parsed > 0);
	finish_cases();
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x9e3779b97f4a7c15U};

static unsigned
rng_below(unsigned n)
{
	return check_rng_below(&rng, n);
}

/* Pieces of generated headers, most of them valid, some of shapes that
 * only the general path reads, and some that no path accepts. */
static const char *const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
    "Sep", "Oct", "Nov", "Dec", "DEC", "feb", "Foo", "Ja",
};
static const char *const fractions[] = {
    ".348898", "", ".5", ",123", ".1234567891", ".", ".x",
    /* Six digits and their neighbours, for the word that reads them. */
    ".999999", ",000000", ".09:999", ".12/456", ".12345:", ".1234\xff" "6",
    ".\xf9\xfa" "1234", ".123456/", ".123456:",
};
static const char *const offsets[] = {
    "+03:00", "", "Z", "z", "-0530", "+24:00", "+03", "-00:60", "+0",
};
static const char *const priorities[] = {
    "", "<22>", "<191>", "<1x>",
};
static const char *const hosts[] = {
    "mx1", "mail.example.com", "<mail.info> mx1", "", "h\tx",
};
static const char *const separators[] = {
    " ", "  ", "\t", "",
};
static const char *const tags[] = {
    "postfix/smtp[5199]:", "postfix/submission/smtpd[9]:", "sshd:",
    "a[]:", "prog[12:", "prog[1 2]:", "/x[1]:", "x/[2]:", "p:x", "[1]:",
    "postfix/qmgr[77]", "exim[3]: ", "p[1]:\t",
    /* Names longer than a word of 8 bytes, with the bytes that the word
     * scan must stop at in every position of a word. */
    "postfix/cleanup[13118]:", "postfix-out/smtp[5199]:", "opendkim[17685]:",
    "abcdefgh[1]:", "abcdefg/[1]:", "abcdefghijklmnop:", "a/b/c/d/e/f/g/h/i[2]:",
    "Postfix_2.Out/SMTP-9[4]:", "longprogram\tname[1]:", "longprogram name:",
    "prog\xc3\xa9nomm/smtp[1]:", "abcdefghijklmno\x7f/x[1]:",
    "abcdefghijklmn\\/z:",
    /* Pids of 8 digits and more, which fill the word of the digit scan,
     * and pids with a byte of another kind at each place in it. */
    "p[12345678]:", "p[123456789012]:", "p[1234567x]:", "p[x1]:",
    "p[1\xb1]:", "p[12/]:", "p[123456\x00]:", "p[9",
};
static const char *const messages[] = {
    " 4F1A2B3C4D: to=<a@example.com>, status=sent", "", " ",
    " [ID 197553 mail.info] x", " [ID x", " [x] y", "x",
};

/* The stamp of the current run of lines, kept from line to line so that
 * most lines share their minute with the line before. */
struct stamp {
	bool bsd;
	int year, month, day, hour, min;
	char t;	     /* "T" or "t" */
	int padding; /* BSD day: 0 space, 1 zero, 2 none */
};

/* next_stamp - keep the minute mostly, or pick another */
static void
next_stamp(struct stamp *s)
{
	static const int days[] = {1, 4, 9, 28, 29, 30, 31, 0, 15};

	if (s->year != 0 && rng_below(8) != 0)
		return;
	s->bsd = rng_below(2) == 0;
	s->year = 2023 + (int)rng_below(5);
	s->month = 1 + (int)rng_below(13);
	s->day = days[rng_below(ARRAY_LEN(days))];
	s->hour = (int)rng_below(25);
	s->min = rng_below(10) == 0 ? 60 : (int)rng_below(60);
	s->t = rng_below(8) == 0 ? 't' : 'T';
	s->padding = (int)rng_below(3);
}

/* pick - the index of a piece: the first, the usual one, three times
 * in four, else any */
static unsigned
pick(size_t count)
{
	return rng_below(4) != 0 ? 0 : rng_below((unsigned)count);
}

/* make_stamp - the stamp s with a random second, fraction and offset
 * into buf; returns its length */
static size_t
make_stamp(const struct stamp *s, char *buf, size_t size)
{
	int sec = rng_below(20) == 0 ? 60 + (int)rng_below(2)
				     : (int)rng_below(60);
	unsigned m = s->month <= 12 && rng_below(10) != 0
			 ? (unsigned)s->month - 1
			 : rng_below(ARRAY_LEN(months));
	const char *fraction = fractions[pick(ARRAY_LEN(fractions))];
	int n;

	if (s->bsd)
		n = snprintf(buf, size,
			     s->padding == 0   ? "%s %2d %02d:%02d:%02d%s"
			     : s->padding == 1 ? "%s %02d %02d:%02d:%02d%s"
					       : "%s %d %02d:%02d:%02d%s",
			     months[m], s->day, s->hour, s->min, sec, fraction);
	else
		n = snprintf(buf, size, "%04d-%02d-%02d%c%02d:%02d:%02d%s%s",
			     s->year, s->month, s->day, s->t, s->hour, s->min,
			     sec, fraction, offsets[pick(ARRAY_LEN(offsets))]);
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* make_line - one generated line with the stamp s into buf */
static size_t
make_line(const struct stamp *s, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s",
			 priorities[pick(ARRAY_LEN(priorities))]);

	n += (int)make_stamp(s, buf + n, size - (size_t)n);
	n += snprintf(buf + n, size - (size_t)n, "%s%s%s%s%s",
		      separators[pick(ARRAY_LEN(separators))],
		      hosts[pick(ARRAY_LEN(hosts))],
		      separators[pick(ARRAY_LEN(separators))],
		      tags[pick(ARRAY_LEN(tags))],
		      messages[pick(ARRAY_LEN(messages))]);
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Pieces of RFC 5424 headers after the priority and before the stamp,
 * and between the host and the message. */
static const char *const versions[] = {"1 ", "1  ", "2 ", "1\t", "1"};
static const char *const apps[] = {
    "postfix/smtpd", "postfix/submission/smtpd", "-", "", "a\tb", "exim",
};
static const char *const procids[] = {"27549", "-", "", "1 2"};
static const char *const msgids[] = {"-", "ID47", ""};
static const char *const elements[] = {
    "- ", "-", "[x y=\"z\"] ", "-x ", "[a][b\\]] ", "[open ", "- \xef\xbb\xbf",
    "- \xef\xbb",
};

/* make_rfc5424 - one generated RFC 5424 line with the stamp s into buf */
static size_t
make_rfc5424(const struct stamp *s, char *buf, size_t size)
{
	struct stamp rfc3339 = *s;
	int n;

	rfc3339.bsd = rng_below(10) == 0;
	n = snprintf(buf, size, "%s%s",
		     rng_below(8) == 0 ? priorities[rng_below(4)] : "<22>",
		     versions[pick(ARRAY_LEN(versions))]);
	n += (int)make_stamp(&rfc3339, buf + n, size - (size_t)n);
	n += snprintf(buf + n, size - (size_t)n, "%s%s%s%s%s%s%s%s%s%s",
		      separators[pick(ARRAY_LEN(separators))],
		      hosts[pick(ARRAY_LEN(hosts))],
		      separators[pick(ARRAY_LEN(separators))],
		      apps[pick(ARRAY_LEN(apps))],
		      separators[pick(ARRAY_LEN(separators))],
		      procids[pick(ARRAY_LEN(procids))],
		      separators[pick(ARRAY_LEN(separators))],
		      msgids[pick(ARRAY_LEN(msgids))],
		      separators[pick(ARRAY_LEN(separators))],
		      elements[pick(ARRAY_LEN(elements))]);
	n += snprintf(buf + n, size - (size_t)n, "%s",
		      messages[pick(ARRAY_LEN(messages))]);
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Bytes that the scanner looks at, for damaged copies. */
static const char interesting[] = " \t:.,+-Zz<>[]/T09a";

/* mutate - damage buf (len bytes, room for size) once in its first 48
 * bytes, where the header is; returns the new length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	return check_mutate(&rng, buf, len, size, interesting, 48);
}

/* test_generated_same - generated lines and damaged copies */
static void
test_generated_same(void **state)
{
	struct tally t = {0};
	struct stamp s = {0};
	char line[512], copy[512], where[64];

	(void)state;
	for (unsigned i = 0; i < GENERATED; i++) {
		size_t len;

		next_stamp(&s);
		len = i % 4 == 3 ? make_rfc5424(&s, line, sizeof line)
				 : make_line(&s, line, sizeof line);
		snprintf(where, sizeof where, "generated %u", i);
		compare_line(&t, where, line, len);
		for (unsigned k = 0; k < MUTATIONS; k++) {
			size_t n = len;

			memcpy(copy, line, len);
			for (unsigned m = rng_below(2) + 1; m > 0; m--)
				n = mutate(copy, n, sizeof copy);
			snprintf(where, sizeof where, "generated %u, damage %u",
				 i, k);
			compare_line(&t, where, copy, n);

			/* The undamaged line again, whose minute the
			 * damaged one may have replaced. */
			compare_line(&t, where, line, len);
		}
	}
	print_message("# %lu lines, %lu parsed, %lu with an inferred year, "
		      "%lu of RFC 5424, %lu of %lu starts read as a stamp\n",
		      t.lines, t.parsed, t.bsd, t.rfc5424, t.stamps_read,
		      t.stamps);
	assert_true(t.parsed > t.lines / 20);
	assert_true(t.bsd > t.parsed / 5);
	assert_true(t.rfc5424 > t.parsed / 50);
	assert_true(t.stamps_read > t.stamps / 20);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	    cmocka_unit_test(test_generated_same),
	};

	init_refs();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("sysline_fast", tests, ARRAY_LEN(tests),
				     NULL, NULL,
				     test_corpus_same);
}
