/* SPDX-License-Identifier: MIT */
/*
 * classify.h - a reason for every failure, from data-driven rules
 *
 * A rule set is read from two rule files, providers.pat (mail providers
 * and their own meanings of codes and tags) and reasons.pat (phrase
 * families, defaults per enhanced code, SMTP stage and reply code); both
 * are built into the program, and --patterns=DIR replaces either with
 * DIR/NAME.pat.  doc/reasons.md describes the file format and the
 * evidence strings.
 *
 * Classifying a failure takes its reason text, the reply code and
 * enhanced code that reply_analyze() found, the remote host, the SMTP
 * stage and the log's status.  Evidence is weighed in a fixed order,
 * and the first level that gives a reason decides:
 *	1. a rule of the provider detected by remote host or by a tag;
 *	2. a strong phrase;
 *	3. a strong enhanced code;
 *	4. a stage default that applies to permanent replies;
 *	5. a weak phrase;
 *	6. a weak enhanced code;
 *	7. any other stage default;
 *	8. the reply code alone;
 *	9. onhold when there is a code or a letter or digit of text, else
 *	   undefined.
 * Within levels 2 and 5 the reason first in enum reason wins; elsewhere
 * the first matching rule in file order.  Weak evidence cannot give the
 * reasons named by a "content" line before the DATA stage.  A nested
 * reply's codes (the cause) are tried before the outer reply's.  A
 * code of class 4 or 5 anywhere (reply code, enhanced code, nested
 * reply), a failed log status or a reply code of class 3 means that
 * no level gives delivered.
 *
 * Phrases see a normalized copy of the text, cut to CLASSIFY_TEXT_MAX
 * bytes: addresses and "host[address]" tokens are masked, so that a
 * recipient called spam@ or a host called blocked.example cannot decide
 * the reason.  Phrases, but not provider tags, also see bare host names,
 * IPv4 addresses and URLs masked (namemask.h).  Continuation codes of
 * multi-line replies are removed and blank runs become one space.
 * Matching never depends on the locale.
 *
 * A rule set keeps scratch buffers for matching and caches of results,
 * so one set must not be used by two threads at once.
 */
#ifndef BOUNCELOG_CLASSIFY_H
#define BOUNCELOG_CLASSIFY_H

#include <stddef.h>

#include "bouncelog/event.h"
#include "bouncelog/reason.h"

/* Bytes of a reason text that phrases and provider tags are matched on;
 * the rest is ignored. */
#define CLASSIFY_TEXT_MAX 4096

/* Largest rule file read, in bytes. */
#define CLASSIFY_FILE_MAX (1024 * 1024)

/* Names of the rule files, in the order they are read. */
#define CLASSIFY_FILES                                                         \
	{                                                                      \
		"providers", "reasons"                                         \
	}

struct classify_rules;

/* An empty rule set; owned, freed with classify_rules_free(). */
struct classify_rules *classify_rules_new(void);
void classify_rules_free(struct classify_rules *rules);

/*
 * Parse the rule file held in text (len bytes) into rules.  name appears
 * in diagnostics, and its last path component without ".pat" must equal
 * the file's "format" line.  A bad directive or regular expression is
 * reported as "NAME:LINE:COL: message" and skipped.  Returns 0 when
 * every line was valid, else -1 (the valid rules are still added).
 */
int classify_rules_add(struct classify_rules *rules, const char *text,
		       size_t len, const char *name);

/*
 * The built-in rule files, or DIR/NAME.pat for those that DIR holds.
 * Returns a rule set (owned), or NULL after diagnostics when a file
 * cannot be read.  *errors (may be NULL) gets the number of files with
 * invalid lines.
 */
struct classify_rules *classify_rules_load(const char *dir, int *errors);

/* Rules and provider patterns in the set. */
size_t classify_rules_count(const struct classify_rules *rules);

/*
 * Load the reason table and the rules (built-in, or from dir) as the
 * default set used by classify_event().  Returns 0, or -1 after
 * diagnostics when the table or a rule file cannot be used.  Invalid
 * lines of a rule file are reported and skipped; the caller sees them
 * in diag_error_count().
 */
int classify_init(const char *dir);

/*
 * Load the calling thread's default set from the folder given to
 * classify_init(), which must have succeeded first.  Each thread that
 * calls classify_event() has its own set; threads other than the one
 * that called classify_init() call this first.  The files were checked
 * by classify_init(), so the caller may discard diagnostics.  Returns 0,
 * or -1 when a file can no longer be read.
 */
int classify_thread_init(void);

/* Release the calling thread's default set. */
void classify_thread_free(void);

/* Release the default set of the calling thread and the folder name;
 * classify_event() then loads the built-in one. */
void classify_free(void);

/*
 * Fill ev->classification for a failure (a deferred, bounced or expired
 * delivery, or a rejection) after reply_analyze(); a sent delivery gets
 * REASON_DELIVERED and other events an empty classification (all zero).
 * The whole classification is written, whatever it held before.  Uses
 * the default set, which is the built-in one when classify_init() was
 * not called.
 */
void classify_event(struct event *ev);

/* The same with a given rule set. */
void classify_event_with(struct classify_rules *rules, struct event *ev);

/*
 * Classify text (len bytes) as one SMTP response with no log context:
 * *ev is reset, its text set, reply_analyze() run and the result
 * classified.  The protocol class comes from the codes alone.  The text
 * must stay valid as long as *ev is used.
 */
void classify_text(struct classify_rules *rules, const char *text, size_t len,
		   struct event *ev);

#endif
