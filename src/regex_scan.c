/* SPDX-License-Identifier: MIT */
/*
 * regex_scan.c - steps over the parts of a PCRE2 expression that the
 * literal readers skip
 */
#include <string.h>

#include "regex_scan.h"

size_t
regex_escape_end(const char *s, size_t len, size_t i)
{
	return i + 1 < len && s[i + 1] == 'c' ? i + 3 : i + 2;
}

size_t
regex_class_end(const char *s, size_t len, size_t i)
{
	i++;
	if (i < len && s[i] == '^')
		i++;

	/* A "]" first in the class is one of its bytes. */
	if (i < len && s[i] == ']')
		i++;
	while (i < len) {
		if (s[i] == ']')
			return i + 1;
		if (s[i] == '[')
			return 0;
		if (s[i] == '\\') {
			/* PCRE2 skips "\E" and "\Q\E" at the start of a
			 * class, and a "]" after them is then a byte of
			 * it. */
			if (i + 1 < len && (s[i + 1] == 'Q' || s[i + 1] == 'E'))
				return 0;
			i = regex_escape_end(s, len, i);
		} else {
			i++;
		}
	}
	return 0;
}

bool
regex_opens_group(char c)
{
	return c != '\0' && strchr(":<=!>|P'", c) != NULL;
}
