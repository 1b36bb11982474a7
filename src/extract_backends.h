/* SPDX-License-Identifier: MIT */
/*
 * extract_backends.h - the extractor back ends, for the registry
 */
#ifndef BOUNCELOG_EXTRACT_BACKENDS_H
#define BOUNCELOG_EXTRACT_BACKENDS_H

#include <stdbool.h>
#include <string.h>

#include "bouncelog/extract.h"

/* Is a rule's kind the word name?  Every line that matches a rule is
 * tested against several names, and the first byte alone rules out most. */
static inline bool
kind_is(const char *kind, const char *name)
{
	return kind[0] == name[0] && strcmp(kind, name) == 0;
}

extern const struct extractor_backend extract_postfix;
extern const struct extractor_backend extract_exim;
extern const struct extractor_backend extract_sendmail;
extern const struct extractor_backend extract_opensmtpd;
extern const struct extractor_backend extract_exchange;

#endif
