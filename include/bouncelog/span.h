/* SPDX-License-Identifier: MIT */
/*
 * span.h - a borrowed byte range inside a log line
 *
 * Extractors return spans into the current line instead of copies; a span
 * is valid only as long as the line it points into.  An absent field is
 * the span {NULL, 0}, which differs from a present empty field.
 */
#ifndef BOUNCELOG_SPAN_H
#define BOUNCELOG_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct span {
	const char *ptr;
	size_t len;
};

static inline struct span
span_make(const char *ptr, size_t len)
{
	struct span s = {ptr, len};

	return s;
}

static inline bool
span_present(struct span s)
{
	return s.ptr != NULL;
}

/* Byte-exact comparison with a C string. */
static inline bool
span_equal(struct span s, const char *text)
{
	size_t n = strlen(text);

	return s.ptr != NULL && s.len == n && memcmp(s.ptr, text, n) == 0;
}

#endif
