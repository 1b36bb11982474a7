/* SPDX-License-Identifier: MIT */
/*
 * test_route_owner.c - the router's kept program owners agree with
 * asking every format
 *
 * router_program_owner() keeps the owner of each syslog program name it
 * has seen.  Its result must be the first format whose
 * extractor_owns_program() is true, which the test computes with
 * extractors of its own, opened in the router's order.  The names come
 * from the syslog headers of every line of fixtures/ and of the public
 * corpus, with damaged copies of each.  Generated names add many of one
 * length, which take each other's slots and come back, and names longer
 * than the router keeps.
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

/* Damaged copies made of each program name. */
#define MUTATIONS 6

/* A router and the extractors that compute its owners directly. */
struct pair {
	struct router *r;
	struct extractor *x[ROUTE_FORMATS_MAX];
	size_t count;
	unsigned long asked;	/* names compared */
	unsigned long owned;	/* of them, owned by a format */
};

/* pair_open - a router for log_format and its extractors, in the order
 * that router_open() takes the back ends */
static void
pair_open(struct pair *p, const char *log_format)
{
	bool all = strcmp(log_format, "auto") == 0;

	memset(p, 0, sizeof *p);
	p->r = router_open(log_format, NULL);
	assert_non_null(p->r);
	for (size_t i = 0; extractor_backends[i] != NULL; i++) {
		const struct extractor_backend *b = extractor_backends[i];

		if (!all && strcmp(b->name, log_format) != 0)
			continue;
		p->x[p->count] = extractor_open(b, NULL);
		assert_non_null(p->x[p->count]);
		p->count++;
	}
	assert_int_equal(p->count, router_format_count(p->r));
}

static void
pair_close(struct pair *p)
{
	for (size_t i = 0; i < p->count; i++)
		extractor_close(p->x[i]);
	router_close(p->r);
}

/* owner_of - the first of the pair's extractors that owns program */
static int
owner_of(struct pair *p, struct span program)
{
	for (size_t i = 0; i < p->count; i++)
		if (extractor_owns_program(p->x[i], program))
			return (int)i;
	return -1;
}

/* compare - ask both about the len bytes at name, from a buffer of
 * exactly that size, so that AddressSanitizer catches a read past it */
static void
compare(struct pair *p, const char *where, const char *name, size_t len)
{
	char *copy = copy_exact(name, len);
	struct span program = span_make(copy, len);
	int want = owner_of(p, program);

	check_int(where, "owner", router_program_owner(p->r, program), want);
	p->asked++;
	if (want >= 0)
		p->owned++;
	free(copy);
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x9e3779b97f4a7c15U};

static unsigned
rng_below(unsigned n)
{
	return check_rng_below(&rng, n);
}

/* Bytes of program names. */
static const char interesting[] = "/-_.ximpostfdcqgrle0";

/* mutate - damage buf (len bytes, room for size) once; the new length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	return check_mutate(&rng, buf, len, size, interesting, SIZE_MAX);
}

/* compare_each - the program of a line, and damaged copies of it, in
 * both routers (a check_each_line() callback) */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	static const struct sysline_year ref = {2026, 12, 0};
	struct pair *pairs = arg;
	struct sysline hdr;
	char buf[128];

	if (!sysline_parse(text, len, &ref, &hdr))
		return;
	for (int k = 0; k < 2; k++) {
		struct span prog = hdr.program;

		compare(&pairs[k], where, prog.ptr, prog.len);
		if (prog.len >= sizeof buf - 1)
			continue;
		for (int m = 0; m < MUTATIONS; m++) {
			size_t n;

			memcpy(buf, prog.ptr, prog.len);
			n = mutate(buf, prog.len, sizeof buf);
			compare(&pairs[k], where, buf, n);

			/* The real name again, whose slot the damaged one
			 * may have taken. */
			compare(&pairs[k], where, prog.ptr, prog.len);
		}
	}
}

/* each_folder - compare the programs of every line under dir in a router
 * of every format and in a Postfix one */
static void
each_folder(const char *dir)
{
	struct pair pairs[2];

	pair_open(&pairs[0], "auto");
	pair_open(&pairs[1], "postfix");
	assert_true(check_each_line(dir, compare_each, pairs) > 0);
	print_message("# %lu names, %lu owned (all formats); %lu, %lu "
		      "(postfix)\n",
		      pairs[0].asked, pairs[0].owned, pairs[1].asked,
		      pairs[1].owned);

	/* Both results (owned and not owned) must occur, or the test compares
	 * little. */
	for (int k = 0; k < 2; k++) {
		assert_true(pairs[k].owned > 0);
		assert_true(pairs[k].owned < pairs[k].asked);
	}
	pair_close(&pairs[0]);
	pair_close(&pairs[1]);
}

static void
test_fixtures_same(void **state)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");

	(void)state;
	assert_non_null(dir);
	each_folder(dir);
	finish_cases();
}

static void
test_corpus_same(void **state)
{
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);

	(void)state;
	assert_non_null(dir);
	each_folder(dir);
	finish_cases();
}

/* Generated names: 1,000 random ones of 8 to 20 bytes, half of them
 * Postfix's, looked up in three rounds, so that they take each other's
 * slots.  Then the longest names kept, longer ones and the empty name. */
static void
test_generated_same(void **state)
{
	static char names[1000][24];
	static size_t lens[1000];
	struct pair p;
	char name[160];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		size_t n = 8 + rng_below(13);

		for (size_t k = 0; k < n; k++)
			names[i][k] = interesting[rng_below(sizeof interesting
							    - 1)];
		if (i % 2 == 0)
			memcpy(names[i], "postfix/", 8);
		lens[i] = n;
	}
	pair_open(&p, "auto");
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < ARRAY_LEN(names); i++)
			compare(&p, "generated", names[i], lens[i]);
	for (size_t len = 40; len < sizeof name; len++) {
		memset(name, 'x', sizeof name);
		memcpy(name, "postfix/", 8);
		compare(&p, "long", name, len);
		compare(&p, "long", name, len);
	}
	compare(&p, "empty", "", 0);
	compare(&p, "empty", "", 0);
	assert_true(p.owned > 0);
	assert_true(p.owned < p.asked);
	pair_close(&p);
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

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("route_owner", tests, ARRAY_LEN(tests),
				     NULL, NULL, test_corpus_same);
}
