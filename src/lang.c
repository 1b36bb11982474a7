/* SPDX-License-Identifier: MIT */
/*
 * lang.c - report languages
 */
#include <string.h>

#include "bouncelog/lang.h"

static const char *const lang_codes[LANG_COUNT] = {"en", "tr"};

const char *
lang_code(enum lang lang)
{
	return (unsigned)lang < LANG_COUNT ? lang_codes[lang] : lang_codes[0];
}

bool
lang_parse_code(const char *code, enum lang *out)
{
	for (int i = 0; i < LANG_COUNT; i++) {
		if (strcmp(code, lang_codes[i]) == 0) {
			*out = (enum lang)i;
			return true;
		}
	}
	return false;
}

bool
lang_parse_locale(const char *name, size_t len, enum lang *out)
{
	/* The language ends at the territory, codeset or modifier. */
	size_t lang_len = 0;

	while (lang_len < len && strchr("_.@", name[lang_len]) == NULL)
		lang_len++;
	for (int i = 0; i < LANG_COUNT; i++) {
		if (lang_len == strlen(lang_codes[i]) &&
		    memcmp(name, lang_codes[i], lang_len) == 0) {
			*out = (enum lang)i;
			return true;
		}
	}
	return false;
}
