/* SPDX-License-Identifier: MIT */
/*
 * escape.h - writing log-derived bytes safely
 *
 * Log lines carry text chosen by strangers: addresses, host names, remote
 * replies.  These functions write such bytes so that they cannot break
 * the output format or drive a terminal.
 */
#ifndef BOUNCELOG_ESCAPE_H
#define BOUNCELOG_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Length of the valid UTF-8 sequence at s (1 to 4), or 0 when s[0..len)
 * does not start with one (overlong forms and surrogates are invalid).
 */
size_t utf8_sequence_len(const unsigned char *s, size_t len);

/*
 * True when the valid UTF-8 sequence s of n bytes is a bidirectional
 * control: U+061C, U+200E, U+200F, U+202A to U+202E or U+2066 to U+2069.
 * Such a character reorders the text around it on screen, so a hostile
 * reply could make a report line read differently from its bytes.
 */
bool utf8_is_bidi_control(const unsigned char *s, size_t n);

/*
 * Copy s (len bytes) into dst as valid UTF-8: each byte that is not part
 * of a valid sequence becomes U+FFFD, as escape_json() writes it, so two
 * copies are equal exactly when their JSON strings are.  The copy ends
 * before the first character that does not fit in size - 1 bytes and is
 * NUL-terminated (size must be at least 1).  Other bytes, NUL included,
 * are copied as they are.  Returns the length of the copy.
 */
size_t utf8_repair(char *dst, size_t size, const char *s, size_t len);

/* Copy as utf8_repair() does and lower-case the ASCII capitals of the
 * copy, in one pass when s is ASCII.  Domain and host keys are made so. */
size_t utf8_repair_lower(char *dst, size_t size, const char *s, size_t len);

/*
 * True when a (alen bytes) and b (blen bytes) are equal once each
 * invalid byte is read as U+FFFD, which is when escape_json() writes the
 * same string for both, however long they are.
 */
bool utf8_repaired_equal(const char *a, size_t alen, const char *b,
			 size_t blen);

/*
 * Write s as a JSON string, with the quotes.  Control bytes become
 * \u00XX escapes and invalid UTF-8 bytes U+FFFD, so the output is valid
 * JSON (RFC 8259) for any input.
 */
void escape_json(FILE *out, const char *s, size_t len);

/*
 * Write s for a terminal or a mail body: valid UTF-8 is kept except the
 * C1 controls and the bidirectional controls; those, C0 controls, DEL and
 * invalid bytes become "?".  At most
 * max_width characters are written (0 means no limit); a cut string ends
 * in "...".
 */
void escape_text(FILE *out, const char *s, size_t len, size_t max_width);

/*
 * Write at most width characters of s as escape_text() does, and return
 * the number of bytes of s they took, so that a caller can wrap text.
 */
size_t escape_text_prefix(FILE *out, const char *s, size_t len, size_t width);

/* Bytes of s that its first width characters take. */
size_t escape_text_bytes(const char *s, size_t len, size_t width);

/*
 * Display width of s as escape_text() would print it (characters).
 * NOTE: every character counts as one column.  That is right for Latin,
 * Turkish and Cyrillic text, but East Asian wide characters take two
 * columns on a terminal and combining marks none, so a table key that
 * holds them misaligns; a wcwidth()-like table here would fix it.
 */
size_t escape_text_width(const char *s, size_t len);

#endif
