/* SPDX-License-Identifier: MIT */
/*
 * fuzz_codes_table.c - fuzz target: loading a table of SMTP codes
 *
 * The input is a code table in the TSV form that codes_load() reads (see
 * include/bouncelog/codes.h).  The initializer loads the built-in table
 * first, so a failed load has a table to leave unchanged.  The target
 * checks:
 *	- codes_load() returns 0 or -1, and -1 only after an error
 *	  diagnostic.  It reports at most CODES_LOAD_ERRORS_MAX errors, plus
 *	  one line when it stops at that limit;
 *	- after -1 the table in use is the one before, entry for entry;
 *	- after 0 the table has entries in strictly increasing key order,
 *	  each found by its key, with a known kind, a source, English and
 *	  Turkish text, valid UTF-8 without control bytes in every field,
 *	  and a see column that names an entry or is empty;
 *	- the lookups by reply code and by enhanced code return an entry
 *	  whose key is one of the keys they are documented to try.
 */
#include <stdio.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "harness.h"

/* Codes looked up after a successful load. */
static const int reply_samples[] = {250, 421, 450, 547, 550, 599};
static const struct enh_status enh_samples[] = {
	{5, 1, 1}, {4, 4, 7}, {2, 0, 0}, {5, 999, 999}, {4, 7, 0},
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	FUZZ_CHECK(codes_init() == 0, "the built-in code table is invalid: %s",
		   fuzz_diag_last());
	return 0;
}

/* check_field - one column of an entry */
static void
check_field(const char *key, const char *what, const char *text,
	    bool may_be_empty)
{
	/* key may be the text checked here, so it may be NULL too. */
	FUZZ_CHECK(text != NULL, "entry \"%s\": %s is NULL",
		   key != NULL ? key : "(null)", what);
	FUZZ_CHECK(may_be_empty || text[0] != '\0', "entry \"%s\": empty %s",
		   key, what);
	fuzz_check_safe_text(what, text, strlen(text), false);
}

/* see_resolves - does see name an entry, directly or as "X.s.d"? */
static bool
see_resolves(const char *see)
{
	unsigned cls, subject, detail;
	char any_class[32];
	int end = 0;

	if (codes_find(see) != NULL)
		return true;
	if (sscanf(see, "%1u.%3u.%3u%n", &cls, &subject, &detail, &end) != 3 ||
	    see[end] != '\0')
		return false;
	snprintf(any_class, sizeof any_class, "X.%u.%u", subject, detail);
	return codes_find(any_class) != NULL;
}

/* check_table - the table in use after a successful load */
static void
check_table(void)
{
	FUZZ_CHECK(codes_count() > 0, "a table without entries was loaded");
	FUZZ_CHECK(codes_at(codes_count()) == NULL,
		   "codes_at(count) is not NULL");
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_entry *e = codes_at(i);

		FUZZ_CHECK(e != NULL && e->key != NULL, "entry %zu is NULL", i);
		FUZZ_CHECK(i == 0 || strcmp(codes_at(i - 1)->key, e->key) < 0,
			   "key \"%s\" after \"%s\"", e->key,
			   codes_at(i - 1)->key);
		FUZZ_CHECK(codes_find(e->key) == e,
			   "codes_find(\"%s\") does not return its entry",
			   e->key);
		FUZZ_CHECK(e->kind >= CODE_REPLY && e->kind <= CODE_ENHANCED,
			   "entry \"%s\": kind %d", e->key, (int)e->kind);
		check_field(e->key, "key", e->key, false);
		check_field(e->key, "source", e->source, false);
		check_field(e->key, "see", e->see, true);
		check_field(e->key, "English text", e->text[LANG_EN], false);
		check_field(e->key, "Turkish text", e->text[LANG_TR], false);
		FUZZ_CHECK(e->see[0] == '\0' || see_resolves(e->see),
			   "entry \"%s\": see \"%s\" names no entry", e->key,
			   e->see);
	}
}

/* is_one_of - does the entry's key equal one of the keys? */
static bool
is_one_of(const struct code_entry *e, const char *const keys[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e->key, keys[i]) == 0)
			return true;
	return false;
}

/* check_lookups - codes_reply() and codes_enhanced() on fixed codes */
static void
check_lookups(void)
{
	char k[4][32];

	for (size_t i = 0; i < sizeof reply_samples / sizeof reply_samples[0];
	     i++) {
		const struct code_entry *e = codes_reply(reply_samples[i]);
		const char *const keys[] = {k[0], k[1]};

		snprintf(k[0], sizeof k[0], "%d", reply_samples[i]);
		snprintf(k[1], sizeof k[1], "%dyz", reply_samples[i] / 100);
		FUZZ_CHECK(e == NULL || is_one_of(e, keys, 2),
			   "codes_reply(%d) returned \"%s\"", reply_samples[i],
			   e->key);
		FUZZ_CHECK(e == NULL || strcmp(e->key, k[0]) != 0 ||
				   e->kind == CODE_REPLY,
			   "codes_reply(%d) returned a non-reply entry",
			   reply_samples[i]);
	}
	for (size_t i = 0; i < sizeof enh_samples / sizeof enh_samples[0];
	     i++) {
		const struct enh_status *st = &enh_samples[i];
		const struct code_entry *e = codes_enhanced(st);
		const char *const keys[] = {k[0], k[1], k[2], k[3]};

		snprintf(k[0], sizeof k[0], "%u.%u.%u", (unsigned)st->cls,
			 (unsigned)st->subject, (unsigned)st->detail);
		snprintf(k[1], sizeof k[1], "X.%u.%u", (unsigned)st->subject,
			 (unsigned)st->detail);
		snprintf(k[2], sizeof k[2], "X.%u.0", (unsigned)st->subject);
		snprintf(k[3], sizeof k[3], "X.0.0");
		FUZZ_CHECK(e == NULL || is_one_of(e, keys, 4),
			   "codes_enhanced(%s) returned \"%s\"", k[0], e->key);
		(void)codes_text(e, LANG_TR);
		(void)codes_enh_class(st);
		(void)codes_enh_subject(st);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long errors = fuzz_diag_errors();
	size_t count_before = codes_count();
	const struct code_entry *first_before = codes_at(0);
	int rc;

	rc = codes_load((const char *)data, size, "fuzz.tsv");
	FUZZ_CHECK(rc == 0 || rc == -1, "codes_load returned %d", rc);
	if (rc == -1) {
		FUZZ_CHECK(fuzz_diag_errors() > errors,
			   "codes_load failed without an error");
		FUZZ_CHECK(fuzz_diag_errors() - errors <=
				   CODES_LOAD_ERRORS_MAX + 1,
			   "codes_load reported %lu errors",
			   fuzz_diag_errors() - errors);
		FUZZ_CHECK(codes_count() == count_before &&
				   codes_at(0) == first_before,
			   "a failed load changed the table in use");
		return 0;
	}
	FUZZ_CHECK(fuzz_diag_errors() == errors,
		   "codes_load succeeded after an error: %s", fuzz_diag_last());
	check_table();
	check_lookups();
	return 0;
}
