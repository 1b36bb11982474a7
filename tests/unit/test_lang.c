/* SPDX-License-Identifier: MIT */
/*
 * test_lang.c - unit tests of language names and the message language
 *
 * The translation cases read the catalogue built in po/ through
 * $BOUNCELOG_LOCALEDIR, which meson sets; in a build without NLS they
 * check that Turkish is refused and the text stays English.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/i18n.h"
#include "bouncelog/lang.h"
#include "check.h"

static void
test_lang_parse_locale_cases(void **state)
{
	static const struct {
		const char *name;
		const char *locale;
		bool want_ok;
		enum lang want;
	} cases[] = {
		{"bare tr", "tr", true, LANG_TR},
		{"tr_TR.UTF-8", "tr_TR.UTF-8", true, LANG_TR},
		{"tr_CY", "tr_CY", true, LANG_TR},
		{"tr with modifier", "tr@latin", true, LANG_TR},
		{"tr with codeset", "tr.ISO-8859-9", true, LANG_TR},
		{"en_GB", "en_GB.UTF-8", true, LANG_EN},
		{"bare en", "en", true, LANG_EN},
		{"longer code", "tri_XX", false, LANG_EN},
		{"prefix only", "t", false, LANG_EN},
		{"empty", "", false, LANG_EN},
		{"other language", "de_DE.UTF-8", false, LANG_EN},
		{"C locale", "C.UTF-8", false, LANG_EN},
		{"upper case", "TR_TR", false, LANG_EN},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		enum lang got = LANG_EN;
		bool ok = lang_parse_locale(cases[i].locale,
					    strlen(cases[i].locale), &got);

		check_int(cases[i].name, "ok", ok, cases[i].want_ok);
		if (ok)
			check_int(cases[i].name, "lang", got, cases[i].want);
	}
	finish_cases();
}

/* A LANGUAGE entry ends at the colon, which the caller cuts off. */
static void
test_lang_parse_locale_length(void **state)
{
	enum lang got = LANG_EN;

	(void)state;
	assert_true(lang_parse_locale("tr:en", 2, &got));
	assert_int_equal(got, LANG_TR);
	assert_false(lang_parse_locale("tr:en", 1, &got));
}

static void
test_lang_parse_code_cases(void **state)
{
	enum lang got = LANG_COUNT;

	(void)state;
	assert_true(lang_parse_code("tr", &got));
	assert_int_equal(got, LANG_TR);
	assert_true(lang_parse_code("en", &got));
	assert_int_equal(got, LANG_EN);

	/* --lang takes the code alone, and a failure leaves *out as it is. */
	got = LANG_COUNT;
	assert_false(lang_parse_code("tr_TR", &got));
	assert_false(lang_parse_code("TR", &got));
	assert_false(lang_parse_code("", &got));
	assert_int_equal(got, LANG_COUNT);
}

static void
test_lang_code_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < LANG_COUNT; i++) {
		enum lang got = LANG_COUNT;

		assert_true(lang_parse_code(lang_code((enum lang)i), &got));
		assert_int_equal(got, i);
	}
	assert_string_equal(lang_code(LANG_COUNT), "en");
}

/* Turkish text, and back to English; numbers keep the C locale's point. */
static void
test_i18n_turkish_and_back(void **state)
{
	char number[16];

	(void)state;
	assert_string_equal(_("Totals"), "Totals");
	if (!i18n_built()) {
		assert_false(i18n_set_lang(LANG_TR));
		assert_string_equal(_("Totals"), "Totals");
		assert_int_equal(i18n_lang(), LANG_EN);
		return;
	}

	assert_true(i18n_set_lang(LANG_TR));
	assert_int_equal(i18n_lang(), LANG_TR);
	assert_string_equal(_("Totals"), "Toplamlar");
	assert_string_equal(_("Clients:"), "İstemciler:");
	assert_string_equal(P_("%" PRIu64 " file", "%" PRIu64 " files", 1),
			    "%" PRIu64 " dosya");
	assert_string_equal(P_("%" PRIu64 " file", "%" PRIu64 " files", 7),
			    "%" PRIu64 " dosya");
	assert_string_equal(_("no such message in the catalogue"),
			    "no such message in the catalogue");
	assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
	snprintf(number, sizeof number, "%.1f", 1.5);
	assert_string_equal(number, "1.5");

	assert_true(i18n_set_lang(LANG_EN));
	assert_int_equal(i18n_lang(), LANG_EN);
	assert_string_equal(_("Totals"), "Totals");
	assert_string_equal(P_("%" PRIu64 " file", "%" PRIu64 " files", 7),
			    "%" PRIu64 " files");
	assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
}

/* A missing catalogue keeps English and says so. */
static void
test_i18n_missing_catalogue(void **state)
{
	const char *dir = getenv(I18N_LOCALEDIR_ENV);
	char *saved = dir != NULL ? strdup(dir) : NULL;

	(void)state;
	assert_int_equal(setenv(I18N_LOCALEDIR_ENV, "/nonexistent", 1), 0);
	assert_string_equal(i18n_localedir(), "/nonexistent");
	assert_false(i18n_set_lang(LANG_TR));
	assert_int_equal(i18n_lang(), LANG_EN);
	assert_string_equal(_("Totals"), "Totals");

	if (saved != NULL)
		assert_int_equal(setenv(I18N_LOCALEDIR_ENV, saved, 1), 0);
	else
		assert_int_equal(unsetenv(I18N_LOCALEDIR_ENV), 0);
	free(saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_parse_locale_cases),
		cmocka_unit_test(test_lang_parse_locale_length),
		cmocka_unit_test(test_lang_parse_code_cases),
		cmocka_unit_test(test_lang_code_round_trip),
		cmocka_unit_test(test_i18n_missing_catalogue),
		cmocka_unit_test(test_i18n_turkish_and_back),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
