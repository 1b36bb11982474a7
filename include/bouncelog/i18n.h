/* SPDX-License-Identifier: MIT */
/*
 * i18n.h - translated user-visible text
 *
 * _("text") marks a string that is shown to people (report headings,
 * labels, messages, help) and returns its translation in the language
 * chosen with i18n_set_lang().  N_("text") marks a string in a static
 * table for extraction only; translate it with _() where it is printed.
 * P_("one", "many", n) picks the singular or plural form for the count n
 * and translates it.  Machine-readable output (JSON keys, CSV headers,
 * metric names) is never translated.
 *
 * Translations come from the "bouncelog" gettext domain (po/LANG.po, built
 * into bouncelog.mo) through dgettext, so a program that embeds
 * libbouncelog keeps its own text domain.  Until i18n_set_lang() selects
 * another language, and in a build without NLS, _() returns its argument.
 *
 * The language is selected by the program, not by the locale: Turkish
 * works with any installed locale, even C.UTF-8 only, and the C rules for
 * numbers, sorting and character classes stay in force for parsing.
 */
#ifndef BOUNCELOG_I18N_H
#define BOUNCELOG_I18N_H

#include <stdbool.h>

#include "bouncelog/lang.h"

/* The gettext domain, which is also the catalogue's file name. */
#define I18N_DOMAIN "bouncelog"

/* Environment variable that names the catalogue folder in place of the
 * installed one (LOCALEDIR/LANG/LC_MESSAGES/bouncelog.mo); the tests use
 * it to run the program uninstalled. */
#define I18N_LOCALEDIR_ENV "BOUNCELOG_LOCALEDIR"

/*
 * Translate msgid into the current language.  The result is borrowed and
 * stays valid for the life of the process.
 */
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));

/* Translate the form of singular or plural that the count n takes. */
const char *i18n_ngettext(const char *singular, const char *plural,
			  unsigned long n)
	__attribute__((format_arg(1), format_arg(2)));

#define _(text) i18n_gettext(text)
#define N_(text) (text)
#define P_(singular, plural, n) \
	i18n_ngettext(singular, plural, (unsigned long)(n))

/*
 * Select the language of _() and P_() for the whole process.  For
 * Turkish this binds the text domain with UTF-8 output and sets
 * LC_MESSAGES and LC_CTYPE to C.UTF-8 (or another UTF-8 locale when that
 * is missing) and LANGUAGE to "tr", which gettext needs to pick a catalogue
 * in a locale that is not "C"; for English it sets LC_MESSAGES and
 * LC_CTYPE to "C".  No other locale category is touched.
 *
 * Returns false when Turkish was asked for but no catalogue could be
 * loaded (a build without NLS, no UTF-8 locale at all, or a missing
 * bouncelog.mo); the text then stays English.  Call it before any
 * translated text is printed, and not while other threads run.
 */
bool i18n_set_lang(enum lang lang) __attribute__((warn_unused_result));

/* The language selected by the last successful i18n_set_lang(). */
enum lang i18n_lang(void);

/* Whether this build translates at all (meson -Dnls). */
bool i18n_built(void);

/* The folder searched for catalogues: $BOUNCELOG_LOCALEDIR or the
 * installed one. */
const char *i18n_localedir(void);

#endif
