/* SPDX-License-Identifier: MIT */
/*
 * pattern_recognise.h - hand-written matchers for built-in extractor rules
 *
 * Most lines of a Postfix log that carry a result are delivery lines,
 * and their rule is the costliest regular expression run on every such
 * line.  Most of the other Postfix lines (qmgr's sender lines, smtpd's
 * connections) have a few simple shapes, which PCRE2 matched only after
 * the rules before had failed.  Exim's rules start with the message id and a flag ("<=", "=>",
 * "**"), and every line is tried against several of them in turn.  A
 * recogniser reads such lines directly.
 *
 * A recogniser belongs to one regular expression, byte for byte, as
 * pattern.c compiles it (PCRE2_DUPNAMES, no other option).  For a subject
 * it returns RECOGNISE_MATCH with the capture offsets that pcre2_match()
 * would set, RECOGNISE_NOMATCH when the line lacks the fixed start that
 * every match of the expression begins with, or RECOGNISE_UNSURE, and
 * the caller then runs PCRE2 as before.  It matches only lines on which
 * the regular expression does little backtracking, and rejects only at
 * a fixed start, both far below the match and depth limits of
 * pattern.h, so PCRE2 could not have stopped at a limit on them.
 *
 * tests/unit/test_pattern_recognise.c and the "recognise" fuzz target
 * run both on every line they have and compare the results.
 */
#ifndef BOUNCELOG_PATTERN_RECOGNISE_H
#define BOUNCELOG_PATTERN_RECOGNISE_H

#include <stdbool.h>
#include <stddef.h>

enum recognise_result {
	RECOGNISE_UNSURE, /* run the regular expression */
	RECOGNISE_MATCH,
	RECOGNISE_NOMATCH,
};

/*
 * Facts about one subject that the recognisers read once for all the
 * rules tried on it.  The caller resets it with recognise_memo_init()
 * for each subject.
 */
struct recognise_memo {
	int exim_id;	/* length of the Exim message id it starts with, 0
			 * when none, -1 before it was read */
	int exim_flag;	/* the word after "ID " (pattern_recognise.c) */
	size_t exim_end; /* the position after that word */
	bool qid_read;	/* qid_end is set */
	size_t qid_end;	/* see recognise_qid() */
};

static inline void
recognise_memo_init(struct recognise_memo *memo)
{
	memo->exim_id = -1;
	memo->qid_read = false;
}

/*
 * recognise_qid - the length of the Postfix queue id that subject (len
 * bytes) starts with, or 0 when it starts with none.  A queue id is a
 * run of at least 5 of [0-9A-Za-z] followed by ": ".  It is read once
 * per subject, and memo keeps it.
 */
size_t recognise_qid_read(const char *subject, size_t len,
			  struct recognise_memo *memo);

static inline size_t
recognise_qid(const char *subject, size_t len, struct recognise_memo *memo)
{
	return memo->qid_read ? memo->qid_end
			      : recognise_qid_read(subject, len, memo);
}

/*
 * A recogniser.  On RECOGNISE_MATCH, *pairs is what pcre2_match() returns
 * (one more than the highest group set) and ovector contains 2 * *pairs
 * offsets into subject as pcre2_match() sets them, with PCRE2_UNSET
 * for groups that did not take part.  ovector has room for
 * PATTERN_GROUPS_MAX pairs.  Otherwise neither is written.  memo belongs
 * to subject.
 */
typedef enum recognise_result (*pattern_recogniser)(
    const char *subject, size_t len, struct recognise_memo *memo,
    size_t *ovector, unsigned *pairs);

/* The recogniser of the "delivery" rule of patterns/postfix.pat. */
enum recognise_result recognise_postfix_delivery(const char *subject,
						 size_t len,
						 struct recognise_memo *memo,
						 size_t *ovector,
						 unsigned *pairs);

/*
 * Return the recogniser of the regular expression regex (len bytes), or
 * NULL when it has none.  *first is set when the recogniser rejects most
 * lines sooner than the search for the rule's literal, so that it runs
 * first.  Either order gives the same result.
 */
pattern_recogniser pattern_recogniser_find(const char *regex, size_t len,
					   bool *first);

#endif
