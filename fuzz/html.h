/* SPDX-License-Identifier: MIT */
/*
 * html.h - a structure check of the HTML report, for the fuzz targets
 *
 * The HTML report writes log text only as escaped element content, so
 * every "<" in a report must start one of the report's own tags and every
 * "&" one of the five references that html_escape() writes.  The check
 * follows the tags with a stack: a report whose log text opened, closed
 * or escaped an element fails it.
 */
#ifndef BOUNCELOG_FUZZ_HTML_H
#define BOUNCELOG_FUZZ_HTML_H

#include <stddef.h>

/*
 * Fail (see harness.h) unless s[0..len):
 *  - starts with "<!DOCTYPE html>" and uses only the report's elements;
 *  - closes every element it opens, in order ("<meta>" and "/>" aside);
 *  - has no "<" inside a tag and no ">" outside one;
 *  - has no "&" outside the references &amp; &lt; &gt; &quot; &#39;.
 * what names the document in messages.
 */
void fuzz_check_html(const char *what, const char *s, size_t len);

#endif
