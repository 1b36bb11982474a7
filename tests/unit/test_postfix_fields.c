/* SPDX-License-Identifier: MIT */
/*
 * test_postfix_fields.c - the one-pass read of a Postfix delivery's
 * fields agrees with reading each key by itself
 *
 * postfix_fields_read() finds relay=, dsn= and orig_to= in one pass;
 * postfix_field_value() finds one key per pass.  For every line of
 * fixtures/ and of the public corpus, both read the fields of the line
 * (the text after "to=<...>, "), the whole message, and damaged copies
 * of the fields, and must give each key the same place and length.
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

#include "bouncelog/span.h"
#include "check.h"
#include "extract_postfix_impl.h"

/* Damaged copies made of each line's fields. */
#define MUTATIONS 8

/* Maximum length of fields that are damaged; longer ones are compared
 * only as they are. */
#define FIELDS_MAX 1024

/* What the comparison has seen. */
struct seen {
	unsigned long runs;	/* fields compared */
	unsigned long relay;	/* of them, with a relay= value */
	unsigned long dsn;
	unsigned long orig_to;
};

/* check_same - one key's value from both reads: both absent, or the
 * same offset and length in fields */
static void
check_same(const char *where, const char *key, struct span fields,
	   struct span got, unsigned long *found)
{
	struct span want = postfix_field_value(fields, key);
	char what[64];

	snprintf(what, sizeof what, "%s absent", key);
	check_int(where, what, got.ptr == NULL, want.ptr == NULL);
	if (got.ptr == NULL || want.ptr == NULL)
		return;
	(*found)++;
	snprintf(what, sizeof what, "%s offset", key);
	check_int(where, what, got.ptr - fields.ptr, want.ptr - fields.ptr);
	snprintf(what, sizeof what, "%s length", key);
	check_int(where, what, (long long)got.len, (long long)want.len);
}

/* compare - read fields both ways; the bytes are copied into a buffer of
 * their exact length, so AddressSanitizer catches a read past the end */
static void
compare(struct seen *s, const char *where, const char *text, size_t len)
{
	char *copy = copy_exact(text, len);
	struct span fields = span_make(copy, len);
	struct postfix_fields got;

	postfix_fields_read(fields, &got);
	check_same(where, "relay", fields, got.relay, &s->relay);
	check_same(where, "dsn", fields, got.dsn, &s->dsn);
	check_same(where, "orig_to", fields, got.orig_to, &s->orig_to);
	s->runs++;
	free(copy);
}

/* A deterministic generator of test data. */
static struct check_rng rng = {0x2545f4914f6cdd1dU};

/* Bytes that the split and the keys depend on. */
static const char interesting[] = ", =rdoelaysnig_t<>";

/* mutate - damage buf (len bytes, room for size) once; the new length */
static size_t
mutate(char *buf, size_t len, size_t size)
{
	return check_mutate(&rng, buf, len, size, interesting, SIZE_MAX);
}

/* find - the first place of needle (n bytes) in text (len bytes), or
 * NULL; memmem() is not part of C17 */
static const char *
find(const char *text, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(text + i, needle, n) == 0)
			return text + i;
	return NULL;
}

/* fields_of - the fields of a delivery line, from the ", " after "to=<"
 * to " status=" or, without it, to the end.  false when the line has no
 * "to=<". */
static bool
fields_of(const char *text, size_t len, struct span *out)
{
	const char *to = find(text, len, " to=<", 5);
	const char *start, *end;

	if (to == NULL)
		return false;
	start = find(to, len - (size_t)(to - text), ", ", 2);
	if (start == NULL)
		return false;
	start += 2;
	end = find(start, len - (size_t)(start - text), " status=", 8);
	if (end == NULL)
		end = text + len;
	*out = span_make(start, (size_t)(end - start));
	return true;
}

/* compare_each - compare a line, its fields and damaged copies of
 * them, as a check_each_line() callback */
static void
compare_each(void *arg, const char *where, const char *text, size_t len)
{
	struct seen *s = arg;
	struct span fields;
	char buf[FIELDS_MAX + 2];

	compare(s, where, text, len);
	if (!fields_of(text, len, &fields))
		return;
	compare(s, where, fields.ptr, fields.len);
	if (fields.len > FIELDS_MAX)
		return;
	for (int k = 0; k < MUTATIONS; k++) {
		size_t n;

		memcpy(buf, fields.ptr, fields.len);
		n = mutate(buf, fields.len, sizeof buf);
		compare(s, where, buf, n);
	}
}

/* report - what the comparison saw; a folder without delivery lines
 * compares nothing that matters, so insist on some */
static void
report(const struct seen *s)
{
	print_message("# %lu runs; values: %lu relay, %lu dsn, %lu orig_to\n",
		      s->runs, s->relay, s->dsn, s->orig_to);
	assert_true(s->relay > 0);
	assert_true(s->dsn > 0);
	assert_true(s->orig_to > 0);
}

static void
test_fixtures_same(void **state)
{
	struct seen s = {0};
	const char *dir = getenv("BOUNCELOG_FIXTURES");

	(void)state;
	assert_non_null(dir);
	assert_true(check_each_line(dir, compare_each, &s) > 20);
	report(&s);
	finish_cases();
}

static void
test_corpus_same(void **state)
{
	struct seen s = {0};
	char path[4096];
	const char *dir = check_corpus_dir(path, sizeof path);

	(void)state;
	assert_non_null(dir);
	assert_true(check_each_line(dir, compare_each, &s) > 0);
	report(&s);
	finish_cases();
}

/* Hand-made fields: empty items, repeated keys, keys without "=", a key
 * that is the start of another, and no blank after a comma. */
static void
test_edge_cases(void **state)
{
	static const char *const cases[] = {
	    "",
	    ",",
	    ", , ,",
	    "relay",
	    "relay=",
	    "relay=a, relay=b",
	    "relays=x, relay=y",
	    "dsn=2.0.0,dsn=5.0.0",
	    "orig_to=<a@b>,   relay=none, delay=1",
	    "delay=1, delays=0/0/0/1, dsn=4.4.1, status",
	    "r=1, d=2, o=3, relay=h[1.2.3.4]:25",
	    "orig_to, orig_to=<x>, dsn, dsn=5.1.1",
	};
	struct seen s = {0};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		compare(&s, cases[i], cases[i], strlen(cases[i]));
	assert_int_equal(s.relay, 5);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_same),
	    cmocka_unit_test(test_corpus_same),
	    cmocka_unit_test(test_edge_cases),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return check_run_with_corpus("postfix_fields", tests, ARRAY_LEN(tests),
				     NULL, NULL, test_corpus_same);
}
