/* SPDX-License-Identifier: MIT */
/*
 * lang.h - report languages
 */
#ifndef BOUNCELOG_LANG_H
#define BOUNCELOG_LANG_H

#include <stdbool.h>
#include <stddef.h>

enum lang {
	LANG_EN,
	LANG_TR,
	LANG_COUNT
};

/* The ISO 639-1 code of lang ("en", "tr"), as --lang takes it. */
const char *lang_code(enum lang lang);

/* Set *out from an exact ISO 639-1 code; false for any other text. */
bool lang_parse_code(const char *code, enum lang *out)
	__attribute__((warn_unused_result));

/*
 * Set *out from the language part of a locale name or a LANGUAGE entry
 * of len bytes, such as "tr", "tr_TR.UTF-8" or "en_GB@euro"; false when
 * it names a language that bouncelog has no text in.
 */
bool lang_parse_locale(const char *name, size_t len, enum lang *out)
	__attribute__((warn_unused_result));

#endif
