/* SPDX-License-Identifier: MIT */
/*
 * sysline_impl.h - the general path of the syslog header scanner
 *
 * sysline_parse() reads the common header shapes itself and hands every
 * other line to sysline_parse_general(), which reads every form that
 * sysline.h lists.  Both give the same result and fields on every line;
 * the unit tests call the general path to compare them.
 */
#ifndef BOUNCELOG_SYSLINE_IMPL_H
#define BOUNCELOG_SYSLINE_IMPL_H

#include "bouncelog/sysline.h"

/* sysline_parse() without its fast path. */
bool sysline_parse_general(const char *line, size_t len,
			   const struct sysline_year *ref, struct sysline *out);

/* sysline_parse_rfc3339() without its fast path. */
size_t sysline_parse_rfc3339_general(const char *s, size_t len,
				     struct logtime *t);

#endif
