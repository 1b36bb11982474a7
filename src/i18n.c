/* SPDX-License-Identifier: MIT */
/*
 * i18n.c - translated user-visible text
 *
 * glibc's gettext picks a catalogue from LANGUAGE only while the
 * LC_MESSAGES locale is not "C", and from LC_MESSAGES otherwise, so a
 * Turkish locale would have to be installed for the usual route to work.
 * Instead, Turkish sets LC_MESSAGES to C.UTF-8, which glibc 2.35 and
 * later has built in, and LANGUAGE to "tr".  The catalogue is bound with
 * UTF-8 output, so the text does not depend on LC_CTYPE either; LC_CTYPE
 * is set to the same UTF-8 locale only so that the C library's own
 * messages (strerror) keep their Turkish letters.
 */
#include <locale.h>
#include <stdlib.h>

#ifdef BOUNCELOG_NLS
#include <libintl.h>
#endif

#include "bouncelog/i18n.h"

#ifndef BOUNCELOG_LOCALEDIR
#define BOUNCELOG_LOCALEDIR "/usr/local/share/locale"
#endif

static enum lang current_lang = LANG_EN;

const char *
i18n_localedir(void)
{
	const char *dir = getenv(I18N_LOCALEDIR_ENV);

	return dir != NULL && dir[0] != '\0' ? dir : BOUNCELOG_LOCALEDIR;
}

bool
i18n_built(void)
{
#ifdef BOUNCELOG_NLS
	return true;
#else
	return false;
#endif
}

const char *
i18n_gettext(const char *msgid)
{
#ifdef BOUNCELOG_NLS
	if (current_lang != LANG_EN)
		return dgettext(I18N_DOMAIN, msgid);
#endif
	return msgid;
}

const char *
i18n_ngettext(const char *singular, const char *plural, unsigned long n)
{
#ifdef BOUNCELOG_NLS
	if (current_lang != LANG_EN)
		return dngettext(I18N_DOMAIN, singular, plural, n);
#endif
	return n == 1 ? singular : plural;
}

enum lang
i18n_lang(void)
{
	return current_lang;
}

#ifdef BOUNCELOG_NLS
/* set_utf8_messages - a UTF-8 locale that is not "C" for LC_MESSAGES */
static bool
set_utf8_messages(void)
{
	/* Debian names the built-in locale C.utf8; "C.UTF-8" is normalized
	 * to it, other systems may know only the full Turkish name. */
	static const char *const names[] = {"C.UTF-8", "C.utf8", "tr_TR.UTF-8",
					    "en_US.UTF-8"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (setlocale(LC_MESSAGES, names[i]) != NULL) {
			setlocale(LC_CTYPE, names[i]);
			return true;
		}
	}
	return false;
}

/* catalogue_loaded - whether the domain has a catalogue for the
 * current LANGUAGE: gettext returns a catalogue's header for "" */
static bool
catalogue_loaded(void)
{
	const char *header = dgettext(I18N_DOMAIN, "");

	return header != NULL && header[0] != '\0';
}
#endif

/* use_english - _() returns its argument; the C library speaks English */
static void
use_english(void)
{
	current_lang = LANG_EN;
#ifdef BOUNCELOG_NLS
	setlocale(LC_MESSAGES, "C");
	setlocale(LC_CTYPE, "C");
#endif
}

bool
i18n_set_lang(enum lang lang)
{
	if (lang == LANG_EN || (unsigned)lang >= LANG_COUNT) {
		use_english();
		return lang == LANG_EN;
	}

#ifdef BOUNCELOG_NLS
	/* LANGUAGE first: the setlocale() after it also makes gettext
	 * forget the translations that it looked up before. */
	if (setenv("LANGUAGE", lang_code(lang), 1) != 0 ||
	    !set_utf8_messages()) {
		use_english();
		return false;
	}
	bindtextdomain(I18N_DOMAIN, i18n_localedir());
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	if (!catalogue_loaded()) {
		use_english();
		return false;
	}
	current_lang = lang;
	return true;
#else
	use_english();
	return false;
#endif
}
