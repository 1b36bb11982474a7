/* SPDX-License-Identifier: MIT */
/*
 * pattern_gate.h - a cheap test that a subject can match a rule at all
 *
 * Most Postfix rules start with a queue id and the word after it:
 * "^(?<qid>[0-9A-Za-z]{5,}): from=<...".  Each line of a Postfix log is
 * tried against several such rules before one matches, and each failed
 * rule used to cost a search of the whole line for its literal.  A gate
 * is read from the start of the rule's expression once, when the rule is
 * loaded.  It tests a few bytes at a known place: the subject must start
 * with a queue id and ": " followed by one of a few words, or start with
 * one of those words.
 *
 * The gate is a necessary condition.  When pattern_gate_pass() is
 * false, the expression cannot match the subject, and PCRE2 fails at
 * its first bytes, far below any match or depth limit, so it could not
 * have stopped at a limit either.  When it is true, nothing is known and
 * the rule runs as before.  pattern_gate_read() rejects every
 * expression that it cannot read with certainty (see pattern_gate.c).
 */
#ifndef BOUNCELOG_PATTERN_GATE_H
#define BOUNCELOG_PATTERN_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pattern_recognise.h"

/* Words of one gate.  Only the first PATTERN_GATE_HEAD bytes of a word
 * are compared: the start of a necessary start is still necessary. */
#define PATTERN_GATE_WORDS 8
#define PATTERN_GATE_HEAD 8

/* The place where the words must be found. */
enum pattern_gate_at {
	PATTERN_GATE_START,	/* at the start of the subject */
	PATTERN_GATE_QID,	/* after a queue id and ": " */
	PATTERN_GATE_QID_OPTIONAL, /* either of the two */
};

struct pattern_gate {
	uint8_t at;		/* an enum pattern_gate_at */
	uint8_t nwords;		/* 0: the place alone is tested */
	/* Each word's bytes in the memory order of a uint64_t, 0 past
	 * its end, and the mask of the bytes that are compared (1 to
	 * 8). */
	uint64_t head[PATTERN_GATE_WORDS];
	uint64_t mask[PATTERN_GATE_WORDS];
};

/*
 * pattern_gate_read - the gate of regex (len bytes, compiled with
 * PCRE2_DUPNAMES and no other option) into *gate.  False when the
 * expression has none: it starts in another way, or contains a
 * construct that the reader does not follow (an option setting, "\Q",
 * a verb, a class inside a class, an alternative at the top level).
 */
bool pattern_gate_read(const char *regex, size_t len,
		       struct pattern_gate *gate);

/* pattern_gate_word - does one of the gate's words start at s[at]? */
static inline bool
pattern_gate_word(const struct pattern_gate *gate, const char *s, size_t len,
		  size_t at)
{
	uint64_t w = 0;

	/* Bytes past the subject stay 0 and no word contains a NUL, so a
	 * word longer than the rest of the subject fails. */
	if (len - at >= sizeof w)
		memcpy(&w, s + at, sizeof w);
	else
		memcpy(&w, s + at, len - at);
	for (unsigned k = 0; k < gate->nwords; k++)
		if ((w & gate->mask[k]) == gate->head[k])
			return true;
	return false;
}

/*
 * pattern_gate_pass - can a subject of len bytes match the expression
 * that gate was read from?  memo belongs to subject.
 */
static inline bool
pattern_gate_pass(const struct pattern_gate *gate, const char *subject,
		  size_t len, struct recognise_memo *memo)
{
	size_t q;

	if (gate->at == PATTERN_GATE_START)
		return pattern_gate_word(gate, subject, len, 0);
	q = recognise_qid(subject, len, memo);
	if (gate->at == PATTERN_GATE_QID)
		return q > 0 && (gate->nwords == 0 ||
				 pattern_gate_word(gate, subject, len, q + 2));
	return pattern_gate_word(gate, subject, len, 0) ||
	       (q > 0 && pattern_gate_word(gate, subject, len, q + 2));
}

#endif
