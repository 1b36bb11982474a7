/* SPDX-License-Identifier: MIT */
/*
 * codes.h - the table of SMTP reply codes and enhanced status codes
 *
 * The table is data (data/codes.tsv, built into the program) with an
 * English and a Turkish description for every entry and the document
 * that defines it.  Keys are:
 *	"550"	 a reply code (kind "reply")
 *	"5yz"	 a reply class, used when a code has no entry of its own
 *	"510"	 a dotless copy of an enhanced code found on web lists
 *		 (kind "alias"); see gives the real code, here "5.1.0"
 *	"5.X.X"	 an enhanced class (kind "class")
 *	"X.1.X"	 an enhanced subject (kind "subject")
 *	"X.1.1"	 an enhanced code in any class (kind "enhanced")
 *	"4.4.7"	 an enhanced code whose meaning depends on the class
 * Entries are sorted by key in byte order and keys are unique.
 */
#ifndef BOUNCELOG_CODES_H
#define BOUNCELOG_CODES_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/lang.h"
#include "bouncelog/status.h"

enum code_kind {
	CODE_REPLY,	/* reply code or reply class */
	CODE_ALIAS,	/* dotless enhanced code, not a real reply code */
	CODE_CLASS,	/* enhanced class 2.X.X, 4.X.X, 5.X.X */
	CODE_SUBJECT,	/* enhanced subject X.n.X */
	CODE_ENHANCED,	/* enhanced code X.n.n or c.n.n */
};

/* Errors that one codes_load() call reports before it stops reading. */
#define CODES_LOAD_ERRORS_MAX 20

struct code_entry {
	const char *key;
	enum code_kind kind;
	const char *source;	/* e.g. "RFC 5321", "RFC 3463" */
	const char *see;	/* related code ("5.1.0" for "510"), or "" */
	const char *text[LANG_COUNT];
};

/*
 * Load the built-in table.  Returns 0, or -1 after a diagnostic when the
 * table is invalid (a build error, caught by the unit tests).  Safe to
 * call more than once.
 */
int codes_init(void);

/*
 * Parse a table in TSV form (columns key, kind, source, see, en, tr; a
 * first header line; "#" comment lines).  name is used in diagnostics of
 * the form "NAME:LINE: message".  Returns 0 or -1.  Replaces the table in
 * use; the text is copied.  On -1 the table in use is left unchanged.
 * Blank lines are skipped.  Every line must be valid UTF-8 without control
 * bytes other than tab.  Each see must name an entry of the table, and an
 * alias's see must be its own digits with dots ("510" needs "5.1.0").
 */
int codes_load(const char *tsv, size_t len, const char *name);

/*
 * Release the table; codes_init() may be called again afterwards.  Until
 * then the lookups below find nothing, as they do before codes_init().
 */
void codes_free(void);

/* Number of entries, and entry i in key order (NULL past the end). */
size_t codes_count(void);
const struct code_entry *codes_at(size_t i);

/* Exact lookup by key, or NULL. */
const struct code_entry *codes_find(const char *key);

/*
 * A reply code's entry: "550", else its class "5yz"; NULL if neither.  An
 * alias entry ("547") is skipped in favour of the class, because a server
 * that sends 547 does not mean 5.4.7.  codes_find("547") still returns
 * the alias.
 */
const struct code_entry *codes_reply(int code);

/*
 * An enhanced code's most specific entry: "c.s.d", then "X.s.d", then
 * "X.s.0", then "X.0.0".  NULL when st is NULL or absent (class 0), or
 * when the table lacks all of them.
 */
const struct code_entry *codes_enhanced(const struct enh_status *st);

/* The class entry "c.X.X" and the subject entry "X.s.X", or NULL. */
const struct code_entry *codes_enh_class(const struct enh_status *st);
const struct code_entry *codes_enh_subject(const struct enh_status *st);

/* Text of e in lang, falling back to English; "" for NULL e. */
const char *codes_text(const struct code_entry *e, enum lang lang);

#endif
