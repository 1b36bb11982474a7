/* SPDX-License-Identifier: MIT */
/*
 * extract_postfix_impl.h - the "key=value, " fields of a Postfix delivery
 *
 * A delivery line logs "relay=..., delay=..., delays=..., dsn=..." and
 * sometimes "orig_to=<...>" between to= and status=.  The extractor
 * reads the three values it uses in one pass with postfix_fields_read();
 * postfix_field_value() reads one key in a pass of its own.  Both split
 * the fields the same way and take the first item of a key, so they
 * agree on every input, which the unit tests check.
 */
#ifndef BOUNCELOG_EXTRACT_POSTFIX_IMPL_H
#define BOUNCELOG_EXTRACT_POSTFIX_IMPL_H

#include "bouncelog/span.h"

/* The values that a delivery's fields give; each absent when no item
 * has its key. */
struct postfix_fields {
	struct span relay;
	struct span dsn;
	struct span orig_to;
};

/*
 * The value of the first item "key=value" of fields, a run of items
 * separated by "," and the blanks after it, or an absent span.  The
 * value points into fields.
 */
struct span postfix_field_value(struct span fields, const char *key);

/* Set *out to postfix_field_value() of relay, dsn and orig_to, in one
 * pass over fields. */
void postfix_fields_read(struct span fields, struct postfix_fields *out);

#endif
