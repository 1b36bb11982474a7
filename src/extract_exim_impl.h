/* SPDX-License-Identifier: MIT */
/*
 * extract_exim_impl.h - parts of the Exim extractor that the unit tests
 * call directly
 */
#ifndef BOUNCELOG_EXTRACT_EXIM_IMPL_H
#define BOUNCELOG_EXTRACT_EXIM_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/span.h"

/*
 * The values of the tags a delivery line's fields may carry, in one pass:
 * values[0] after F= and values[1] after H=, each running to the first
 * quoted tag (NAME="...) or the end, and with reply values[2] after C=,
 * running to the end of fields.  A value is absent when its tag is not
 * at the start of a word; quoted values are skipped whole.  The same as
 * extract_exim_tag_values() with the names "F=", "H=", "C=" and two
 * leading names, written out for speed.
 */
void extract_exim_delivery_tags(struct span fields, bool reply,
				struct span values[3]);

/*
 * Read tag values the general way: values[k] gets the text after the
 * first word of fields that starts with names[k] (at most 4 names).  The
 * first nlead names are looked for only before the first quoted tag, and
 * their values end there.  The others run to the end of fields.
 */
void extract_exim_tag_values(struct span fields, size_t nlead,
			     const char *const *names, struct span *values,
			     size_t count);

#endif
