/* SPDX-License-Identifier: MIT */
/*
 * regex_scan.h - steps over the parts of a PCRE2 expression that the
 * literal readers skip
 *
 * The readers of required literals (pattern.c, classify_literals.c) and
 * of gates (pattern_gate.c) walk an expression's text without compiling
 * it.  Each must step over escapes and character classes exactly as PCRE2
 * reads them, or a bracket inside one would be taken for structure.
 */
#ifndef BOUNCELOG_REGEX_SCAN_H
#define BOUNCELOG_REGEX_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * regex_escape_end - the index after the escape whose backslash is at
 * s[i] (len bytes in all).  "\cX" takes the byte X, whatever it is, as
 * the character to control, so it is 3 bytes; every other escape counts
 * 2 here.  A caller that reads longer escapes ("\x{...}", "\Q...\E")
 * must check for them first.
 */
size_t regex_escape_end(const char *s, size_t len, size_t i);

/*
 * regex_class_end - the index after the "]" that closes the class opened
 * by the "[" at s[i], or 0 when the class cannot be read with certainty.
 * That is so when it does not end or contains a "[", a "\Q" or a "\E":
 * a POSIX class such as "[:alpha:]" contains a "]", and after a "\E" a
 * first "]" is a byte of the class.
 */
size_t regex_class_end(const char *s, size_t len, size_t i);

/* regex_opens_group - true when "(?" followed by c opens a group or
 * names one, false for an option setting, a comment, a condition and a
 * call by number such as "(?1)" or "(?R)" */
bool regex_opens_group(char c);

#endif
