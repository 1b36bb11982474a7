/* SPDX-License-Identifier: MIT */
/*
 * pattern_gate.c - a cheap test that a subject can match a rule at all
 *
 * The reader accepts a few exact starts of an expression: a "^" alone,
 * or a "^" and a queue id in one of the forms that patterns/postfix.pat
 * writes.  The words come after that start.  They are either a run of
 * literal bytes or the branches of one group whose branches are all
 * literal.  Any other construct ends the words, and the gate then tests
 * the place alone.
 *
 * A queue id in those forms is "[0-9A-Za-z]{5,}" followed by ":".  The
 * ":" cannot continue the run, so a match takes the whole run of letters
 * and digits that the subject starts with, and needs ": " after it.
 */
#include <string.h>

#include "bouncelog/ascii.h"
#include "pattern_gate.h"
#include "regex_scan.h"

/* The starts that the reader accepts, in the order they are tried.  A
 * start that is a prefix of another comes after it. */
static const struct {
	const char *text;
	enum pattern_gate_at at;
} starts[] = {
    {"^(?<qid>[0-9A-Za-z]{5,}): ", PATTERN_GATE_QID},
    {"^[0-9A-Za-z]{5,}: ", PATTERN_GATE_QID},
    {"^(?:NOQUEUE|[0-9A-Za-z]{5,}): ", PATTERN_GATE_QID},
    {"^(?<qid>NOQUEUE|[0-9A-Za-z]{5,}): ", PATTERN_GATE_QID},
    {"^(?:(?<qid>NOQUEUE|[0-9A-Za-z]{5,}): )?", PATTERN_GATE_QID_OPTIONAL},
    {"^(?:(?<qid>[0-9A-Za-z]{5,}): )?", PATTERN_GATE_QID_OPTIONAL},
    {"^(?:NOQUEUE: |[0-9A-Za-z]{5,}: )?", PATTERN_GATE_QID_OPTIONAL},
    {"^", PATTERN_GATE_START},
};

/* is_literal - true for a byte that matches itself outside a class,
 * with no option set.  Only printable ASCII counts, so a quantifier
 * after it never applies to part of a UTF-8 character. */
static bool
is_literal(char c)
{
	return c >= 0x20 && c < 0x7f && strchr("\\^$.|?*+()[]{}", c) == NULL;
}

/* is_quantifier - true for a byte that makes what comes before it
 * optional or repeated */
static bool
is_quantifier(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/*
 * readable - true when the reader can follow regex.  It must set no
 * option and contain no "\Q" (whose text may contain a bracket), no verb
 * and no nested class, and its brackets must balance.  An alternative
 * at the top level would let a match start elsewhere, so it is rejected.
 */
static bool
readable(const char *regex, size_t len)
{
	size_t depth = 0;

	for (size_t i = 0; i < len;) {
		char c = regex[i];

		if (c == '\\') {
			if (i + 1 < len && (regex[i + 1] == 'Q' || regex[i + 1] == 'E'))
				return false;
			i = regex_escape_end(regex, len, i);
			continue;
		}
		if (c == '[') {
			i = regex_class_end(regex, len, i);
			if (i == 0)
				return false;
			continue;
		}
		if (c == '(') {
			if (i + 1 < len && regex[i + 1] == '*')
				return false;
			if (i + 2 < len && regex[i + 1] == '?' &&
			    !regex_opens_group(regex[i + 2]))
				return false;
			depth++;
		} else if (c == ')') {
			if (depth == 0)
				return false;
			depth--;
		} else if (c == '|' && depth == 0) {
			return false;
		}
		i++;
	}
	return depth == 0;
}

/* add_word - keep the first bytes of the literal bytes w (n of them)
 * as a word */
static bool
add_word(struct pattern_gate *gate, const char *w, size_t n)
{
	unsigned k = gate->nwords;

	if (n == 0 || k == PATTERN_GATE_WORDS)
		return false;
	if (n > PATTERN_GATE_HEAD)
		n = PATTERN_GATE_HEAD;
	gate->head[k] = 0;
	gate->mask[k] = 0;
	memcpy(&gate->head[k], w, n);
	memset(&gate->mask[k], 0xff, n);
	gate->nwords++;
	return true;
}

/* group_body - the index after "(?:", "(?<name>" or a plain "(" at
 * rest[0], or 0 when rest opens no such group */
static size_t
group_body(const char *rest, size_t len)
{
	size_t i = 3;

	if (len < 2 || rest[0] != '(')
		return 0;
	if (rest[1] != '?')
		return rest[1] == '*' ? 0 : 1;
	if (len >= 3 && rest[2] == ':')
		return 3;
	if (len < 4 || rest[2] != '<' ||
	    !(ascii_isalpha((unsigned char)rest[3]) || rest[3] == '_'))
		return 0;
	while (i < len && (ascii_isalnum((unsigned char)rest[i]) || rest[i] == '_'))
		i++;
	return i < len && rest[i] == '>' ? i + 1 : 0;
}

/*
 * read_words - the words that a match of rest must start with: its run
 * of literal bytes, or the branches of the group it starts with when
 * each is a run of literal bytes and the group is not quantified.  A
 * byte before a quantifier is left out.  No word is kept when any
 * branch is empty or other than literal.
 */
static void
read_words(const char *rest, size_t len, struct pattern_gate *gate)
{
	size_t n = 0, i, from;

	while (n < len && is_literal(rest[n]))
		n++;
	if (n > 0) {
		if (n < len && is_quantifier(rest[n]))
			n--;
		add_word(gate, rest, n);
		return;
	}

	i = group_body(rest, len);
	if (i == 0)
		return;
	for (from = i; i < len; i++) {
		if (rest[i] == '|' || rest[i] == ')') {
			if (!add_word(gate, rest + from, i - from))
				break;
			from = i + 1;
			if (rest[i] == ')') {
				if (i + 1 < len && is_quantifier(rest[i + 1]))
					break;
				return;
			}
		} else if (!is_literal(rest[i])) {
			break;
		}
	}
	gate->nwords = 0;
}

bool
pattern_gate_read(const char *regex, size_t len, struct pattern_gate *gate)
{
	memset(gate, 0, sizeof *gate);
	if (!readable(regex, len))
		return false;
	for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
		size_t n = strlen(starts[k].text);

		if (len < n || memcmp(regex, starts[k].text, n) != 0)
			continue;
		if (n < len && is_quantifier(regex[n]))
			return false;
		gate->at = (uint8_t)starts[k].at;
		read_words(regex + n, len - n, gate);
		return gate->nwords > 0 || gate->at == PATTERN_GATE_QID;
	}
	return false;
}
