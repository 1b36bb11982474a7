/* SPDX-License-Identifier: MIT */
/*
 * test_tally_domains.c - the tally's cache of recipient domains agrees
 * with looking each domain up
 *
 * tally_domain_slot() keeps the counters found for recent domains;
 * tally_domain_slot_general() looks the domain's key up every time.  Two
 * tallies are given the same addresses, one through each.  Every result
 * must be the entry of the same key.  Each entry found is counted, and at
 * the end both domain maps must hold the same keys with the same counts.  The addresses are the words with an "@" of every line of
 * fixtures/ and of the public corpus, damaged copies of them, and more
 * generated domains than the map keeps, so that later ones go to
 * "(other)".
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

#include "bouncelog/strmap.h"
#include "bouncelog/tally.h"
#include "check.h"
#include "tally_impl.h"

/* Damaged copies made of each address. */
#define MUTATIONS 4

/* The tally given the addresses through the cache, and the one given
 * them through the general lookup. */
struct pair {
	struct tally *cached;
	struct tally *general;
	unsigned long asked;	/* addresses compared */
};

/* compare - one address in both tallies, from a buffer of exactly its
 * size, so that AddressSanitizer catches a read past it */
static void
compare(struct pair *p, const char *where, const char *text, size_t len)
{
	char *copy = copy_exact(text, len);
	struct span address = span_make(copy, len);
	struct domain_stat *got = tally_domain_slot(p->cached, address);
	struct domain_stat *want =
	    tally_domain_slot_general(p->general, address);

	check_str(where, "domain", got->name, want->name);
	got->delivered++;
	want->delivered++;
	p->asked++;
	free(copy);
}

/* check_maps - both domain maps hold the same keys with the same counts */
static void
check_maps(struct pair *p)
{
	struct strmap *a = p->cached->domains, *b = p->general->domains;
	struct strmap_entry *e = strmap_entries(b);

	check_int("maps", "keys", (long long)strmap_count(a),
		  (long long)strmap_count(b));
	for (size_t i = 0; i < strmap_count(b); i++) {
		const struct domain_stat *want = e[i].value;
		const struct domain_stat *got =
		    strmap_get(a, e[i].key, e[i].key_len);

		check_int(e[i].key, "present", got != NULL, 1);
		if (got != NULL)
			check_int(e[i].key, "delivered", (long long)got->delivered,
				  (long long)want->delivered);
	}
	free(e);
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x9e3779b97f4a7c15U};

/* Bytes that change a domain's key: case, separators, broken UTF-8. */
static const char interesting[] = "@.-AZaz09\x80\xc3\xa9\xff";

/* mutate - damage buf (len bytes, room for size) once; the new length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	return check_mutate(&rng, buf, len, size, interesting, SIZE_MAX);
}

/* is_stop - a byte that ends a word with an address */
static bool
is_stop(char c)
{
	return c == ' ' || c == '<' || c == '>' || c == ',' || c == '=' ||
	       c == '\t';
}

/* compare_each - every word with an "@" of a line, and damaged copies
 * of it (a check_each_line() callback) */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	struct pair *p = arg;
	char buf[160];

	for (size_t i = 0; i < len; i++) {
		size_t start = i, end = i;

		if (text[i] != '@')
			continue;
		while (start > 0 && !is_stop(text[start - 1]))
			start--;
		while (end < len && !is_stop(text[end]))
			end++;
		compare(p, where, text + start, end - start);
		if (end - start < sizeof buf - 1) {
			for (int k = 0; k < MUTATIONS; k++) {
				size_t n;

				memcpy(buf, text + start, end - start);
				n = mutate(buf, end - start, sizeof buf);
				compare(p, where, buf, n);
			}
		}
		i = end;
	}
}

static void
pair_open(struct pair *p)
{
	p->cached = tally_new();
	p->general = tally_new();
	p->asked = 0;
}

static void
pair_close(struct pair *p)
{
	tally_free(p->cached);
	tally_free(p->general);
}

/* each_folder - the addresses of every line under dir */
static void
each_folder(const char *dir)
{
	struct pair p;

	pair_open(&p);
	assert_true(check_each_line(dir, compare_each, &p) > 0);
	print_message("# %lu addresses, %zu domains\n", p.asked,
		      strmap_count(p.general->domains));
	assert_true(p.asked > 1000);
	check_maps(&p);
	pair_close(&p);
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

/* compare_no_domain - addresses without a domain, and no address, twice
 * each, in both orders */
static void
compare_no_domain(struct pair *p)
{
	for (int k = 0; k < 2; k++) {
		struct domain_stat *got, *want;

		got = tally_domain_slot(p->cached, span_make(NULL, 0));
		want = tally_domain_slot_general(p->general,
						 span_make(NULL, 0));
		check_str("no address", "domain", got->name, want->name);
		got->delivered++;
		want->delivered++;
		compare(p, "no domain", "u", 1);
		compare(p, "empty domain", "u@", 2);
		compare(p, "empty", "", 0);
	}
}

/* Generated domains: more than TALLY_KEYS_MAX distinct ones, each asked
 * twice in a row and then again later, domains around the longest that
 * the cache keeps, and addresses without a domain and no address, before
 * and after the map is full. */
static void
test_generated_same(void **state)
{
	struct pair p;
	char addr[160];

	(void)state;
	pair_open(&p);
	compare_no_domain(&p);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < TALLY_KEYS_MAX + 200; i += 1 + round * 96) {
			int n = snprintf(addr, sizeof addr, "u@d%d.example", i);

			compare(&p, "generated", addr, (size_t)n);
			compare(&p, "generated", addr, (size_t)n);
		}
	}
	for (size_t len = TALLY_DOMAIN_MEMO_MAX - 4;
	     len < TALLY_DOMAIN_MEMO_MAX + 4; len++) {
		memset(addr, 'x', sizeof addr);
		memcpy(addr, "u@", 2);
		compare(&p, "long", addr, len + 2);
		addr[2] = 'X';
		compare(&p, "long", addr, len + 2);
	}
	compare_no_domain(&p);
	assert_true(strmap_get(p.general->domains, TALLY_OTHER_KEY,
			       strlen(TALLY_OTHER_KEY)) != NULL);
	check_maps(&p);
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
	return check_run_with_corpus("tally_domains", tests, ARRAY_LEN(tests),
				     NULL, NULL, test_corpus_same);
}
