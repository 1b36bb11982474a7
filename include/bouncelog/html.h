/* SPDX-License-Identifier: MIT */
/*
 * html.h - writing untrusted text into HTML
 *
 * Log lines carry text chosen by strangers, and a remote server's reply
 * may contain "<script>", "</svg>" or "javascript:".  html_escape() writes
 * such text so that it stays text: the output is safe in the content of
 * an HTML element, of an inline SVG element, and inside a quoted
 * attribute value.  It is never safe inside <script> or <style>, in an
 * unquoted attribute value, or as a URL; the HTML report puts no
 * log-derived text in those places.
 */
#ifndef BOUNCELOG_HTML_H
#define BOUNCELOG_HTML_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write s (len bytes, any values) as HTML text:
 *  - "&", "<", ">", '"' and "'" become character references;
 *  - C0 controls (NUL, tab and newline too), DEL, the C1 controls
 *    U+0080 to U+009F, and each byte that does not start a valid UTF-8
 *    sequence become the four characters "\xNN" (NN the byte in hex,
 *    each byte of a C1 control on its own);
 *  - the bidirectional formatting characters U+061C, U+200E, U+200F,
 *    U+202A to U+202E and U+2066 to U+2069 become "\u" and four hex
 *    digits, so that they cannot reorder the text around them;
 *  - all other valid UTF-8 is kept.
 */
void html_escape(FILE *out, const char *s, size_t len);

/*
 * Write at most max_chars characters of s as html_escape() does.  A cut
 * string ends in an ellipsis (U+2026), which counts as one of the
 * max_chars.  A character is one UTF-8 sequence or one invalid byte,
 * whatever its escaped form.  max_chars 0 means no limit.
 */
void html_escape_cut(FILE *out, const char *s, size_t len, size_t max_chars);

/* Characters in s, counted as html_escape_cut() counts them. */
size_t html_char_count(const char *s, size_t len);

#endif
