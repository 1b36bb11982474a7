/* SPDX-License-Identifier: MIT */
/*
 * namemask.h - hide host names, IP addresses and URLs in a reply text
 *
 * A remote reply names hosts and links: "dane.example.net",
 * "name=tls.example.org", "https://dns.example.com/help".  Words inside
 * them say nothing about why the mail failed, so the classifier's
 * phrases see each of them as the mask "[]" instead.
 *
 * A name is a run of letters, digits, '-' and '_' in two or more labels
 * of at most 63 bytes, separated by single dots.  Its last label is a
 * top-level domain: two letters (a country code), or a generic one from
 * a list in namemask.c, in any case.  So Exchange's tags
 * ("RESOLVER.ADR.RecipNotFound") and a sentence after a missing blank
 * ("failed.Please") are left alone, and the result does not depend on
 * letter case.  An IPv4 address is four labels of 1 to 3 digits; codes
 * such as "5.7.1" are kept.  An IPv6 address is eight groups of 1 to 4
 * hexadecimal digits joined by ":", or fewer with one "::" and a group
 * after it ("2001:db8::1", "::1").  Its groups could read as words
 * ("bad", "dead"), and Exchange writes into each reply the last address
 * it tried, with its port ("2001:db8::1:25"), which is masked with it.
 * The whole run of groups and colons must be the address, or the address
 * and its port ("1::2::3" is kept whole).  An address joined by ":" to a
 * word before it is kept, unless the word is the tag of an SMTP address
 * literal ("[IPv6:2001:db8::1]").  A URL
 * starts with letters and "://" and ends at a blank, a quote or an angle
 * bracket.
 *
 * NOTE: a name under a newer generic domain that is not in the list
 * ("relay.example.travel") is not masked, and a sentence that ends in a
 * two-letter word before a missing blank ("failed.No") is.  An IPv6
 * address with an IPv4 tail ("::ffff:192.0.2.1") keeps its groups.
 */
#ifndef BOUNCELOG_NAMEMASK_H
#define BOUNCELOG_NAMEMASK_H

#include <stddef.h>

/* The text that takes the place of each name, address or URL. */
#define NAMEMASK_TOKEN "[]"

/*
 * Copy the len bytes of in to out with each name, IPv4 address and URL
 * replaced by NAMEMASK_TOKEN, and NUL-terminate out.  out has room for
 * len + 1 bytes, which is enough because the token is never longer than
 * what it replaces.  Returns the length of out.  in and out must not
 * overlap.
 */
size_t namemask_apply(char *out, const char *in, size_t len);

#endif
