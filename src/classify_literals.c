/* SPDX-License-Identifier: MIT */
/*
 * classify_literals.c - texts that every match of a classifier pattern
 * contains, read from the pattern, so that a text without any of them
 * skips the match
 *
 * The reading is conservative: it understands a subset of PCRE2's syntax
 * (literal bytes, escaped punctuation, classes, the common escapes,
 * groups, lookarounds and quantifiers) and gives up on anything else,
 * which leaves the pattern without literals, so it always runs.
 */
#include <stdint.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "classify_impl.h"
#include "regex_scan.h"

/* The state of one reading.  bail stops it for good. */
struct reader {
	const char *s;
	size_t len;
	size_t i;
	bool utf;
	bool bail;
};

/* set_min_len - the length of the shortest text of a set; 0 when empty */
static size_t
set_min_len(const struct classify_literals *set)
{
	size_t min = 0;

	for (size_t k = 0; k < set->count; k++)
		if (k == 0 || set->len[k] < min)
			min = set->len[k];
	return min;
}

/* set_better - does a give fewer false candidates than b?  Longer texts
 * first, then fewer of them; an empty set is never better. */
static bool
set_better(const struct classify_literals *a, const struct classify_literals *b)
{
	size_t la = set_min_len(a), lb = set_min_len(b);

	if (a->count == 0)
		return false;
	if (b->count == 0)
		return true;
	return la > lb || (la == lb && a->count < b->count);
}

/* set_add_all - append the texts of from to to; false when they do not
 * fit */
static bool
set_add_all(struct classify_literals *to, const struct classify_literals *from)
{
	if (to->count + from->count > CLASSIFY_LITERALS_MAX)
		return false;
	for (size_t k = 0; k < from->count; k++) {
		memcpy(to->text[to->count], from->text[k], from->len[k]);
		to->len[to->count] = from->len[k];
		to->anchor[to->count] = from->anchor[k];
		to->count++;
	}
	return true;
}

/* A run of literal bytes that a match contains in this order. */
struct run {
	char text[CLASSIFY_LITERAL_LEN];
	size_t len;
};

/* run_flush - offer the run as a one-text set to best, then empty it */
static void
run_flush(struct run *run, struct classify_literals *best)
{
	size_t min = set_min_len(best);

	/* The test of set_better() for a set of one text. */
	if (run->len > 0 &&
	    (best->count == 0 || run->len > min ||
	     (run->len == min && best->count > 1))) {
		best->count = 1;
		memcpy(best->text[0], run->text, run->len);
		best->len[0] = (unsigned char)run->len;
		best->anchor[0] = (unsigned char)ascii_rare_index(run->text,
								 run->len);
	}
	run->len = 0;
}

/* run_append - add byte c; a full run is offered first, because any
 * part of a required text is required too */
static void
run_append(struct run *run, char c, struct classify_literals *best)
{
	if (run->len == sizeof run->text)
		run_flush(run, best);
	run->text[run->len++] = c;
}

static void read_alternation(struct reader *r, struct classify_literals *out);

/* skip_class - move past a "[...]" class, or bail when it cannot be
 * read with certainty (regex_class_end()) */
static void
skip_class(struct reader *r)
{
	size_t end = regex_class_end(r->s, r->len, r->i);

	if (end == 0)
		r->bail = true;
	else
		r->i = end;
}

/* read_number - decimal digits at r->i, or -1 when there are none */
static long
read_number(struct reader *r)
{
	long n = -1;

	while (r->i < r->len && ascii_isdigit((unsigned char)r->s[r->i])) {
		n = (n < 0 ? 0 : n * 10) + (r->s[r->i] - '0');
		if (n > 100000)
			n = 100000;
		r->i++;
	}
	return n;
}

/* read_quantifier - the least count of the quantifier at r->i: 1 when
 * there is none.  A "{" that is no quantifier stops the reading. */
static long
read_quantifier(struct reader *r)
{
	long min = 1;

	if (r->i >= r->len)
		return 1;
	switch (r->s[r->i]) {
	case '?':
	case '*':
		min = 0;
		r->i++;
		break;
	case '+':
		r->i++;
		break;
	case '{':
		r->i++;
		min = read_number(r);
		if (min < 0) {
			r->bail = true;
			return 0;
		}
		if (r->i < r->len && r->s[r->i] == ',') {
			r->i++;
			(void)read_number(r);
		}
		if (r->i >= r->len || r->s[r->i] != '}') {
			r->bail = true;
			return 0;
		}
		r->i++;
		break;
	default:
		return 1;
	}

	/* Lazy and possessive forms need the same count. */
	if (r->i < r->len && (r->s[r->i] == '?' || r->s[r->i] == '+'))
		r->i++;
	return min;
}

/* read_group - a group at "(": its texts in *set when a match of it
 * contains one; an empty set for lookarounds, which only look */
static void
read_group(struct reader *r, struct classify_literals *set)
{
	const char *s = r->s + r->i;
	size_t left = r->len - r->i;
	bool looks = false;

	set->count = 0;
	if (left >= 3 && s[1] == '?' && s[2] == ':') {
		r->i += 3;
	} else if (left >= 3 && s[1] == '?' && (s[2] == '=' || s[2] == '!')) {
		r->i += 3;
		looks = true;
	} else if (left >= 4 && s[1] == '?' && s[2] == '<' &&
		   (s[3] == '=' || s[3] == '!')) {
		r->i += 4;
		looks = true;
	} else if (left >= 2 && (s[1] == '?' || s[1] == '*')) {
		/* Options, names, verbs and the rest: not read. */
		r->bail = true;
		return;
	} else {
		r->i += 1;
	}

	read_alternation(r, set);
	if (r->bail || r->i >= r->len || r->s[r->i] != ')') {
		r->bail = true;
		return;
	}
	r->i++;
	if (looks)
		set->count = 0;
}

/* Escapes that match one byte of a class or assert a position. */
static const char class_escapes[] = "bBdDwWsShHvVAzZGRX";

/* read_sequence - the best set of one branch, up to "|" or ")" */
static void
read_sequence(struct reader *r, struct classify_literals *best)
{
	struct run run;

	run.len = 0;
	best->count = 0;
	while (!r->bail && r->i < r->len && r->s[r->i] != '|' &&
	       r->s[r->i] != ')') {
		unsigned char c = (unsigned char)r->s[r->i];
		bool literal = false;
		struct classify_literals group;
		size_t atom_end;
		long min;

		group.count = 0;
		if (c == '\\') {
			unsigned char e = r->i + 1 < r->len
					      ? (unsigned char)r->s[r->i + 1]
					      : 0;

			/* A backslash before ASCII punctuation quotes it. */
			if (e != 0 && e < 0x80 && !ascii_isalnum(e)) {
				literal = true;
				c = e;
			} else if (e == 0 || strchr(class_escapes, e) == NULL) {
				r->bail = true;
				break;
			}
			r->i += 2;
		} else if (c == '[') {
			skip_class(r);
		} else if (c == '(') {
			read_group(r, &group);
		} else if (c == '*' || c == '+' || c == '?' || c == '{') {
			r->bail = true;
			break;
		} else {
			/* In UTF mode "k" and "s" also match the Kelvin sign
			 * and the long s, which an ASCII search would miss. */
			literal = c != '.' && c != '^' && c != '$' && c < 0x80 &&
				  !(r->utf && (ascii_tolower(c) == 'k' ||
					       ascii_tolower(c) == 's'));
			r->i++;
		}
		if (r->bail)
			break;

		atom_end = r->i;
		min = read_quantifier(r);
		if (r->bail)
			break;
		if (literal && min > 0) {
			run_append(&run, (char)c, best);

			/* After "b" in "ab+c" the next byte may be another
			 * "b", so a repeated byte ends the run. */
			if (r->i != atom_end)
				run_flush(&run, best);
			continue;
		}
		run_flush(&run, best);
		if (min > 0 && set_better(&group, best))
			*best = group;
	}
	run_flush(&run, best);
}

/* read_alternation - the texts of branches separated by "|": one of
 * each branch's, or none when some branch has none */
static void
read_alternation(struct reader *r, struct classify_literals *out)
{
	struct classify_literals branch;
	bool none = false;

	out->count = 0;
	for (;;) {
		read_sequence(r, &branch);
		if (r->bail)
			break;
		if (branch.count == 0 || !set_add_all(out, &branch))
			none = true;
		if (r->i < r->len && r->s[r->i] == '|') {
			r->i++;
			continue;
		}
		break;
	}
	if (none || r->bail)
		out->count = 0;
}

void
classify_literals_read(struct classify_literals *out, const char *re,
		       size_t len, bool utf)
{
	struct reader r = {.s = re, .len = len, .i = 0, .utf = utf,
			   .bail = false};

	memset(out, 0, sizeof *out);
	read_alternation(&r, out);
	if (r.bail || r.i != len)
		out->count = 0;
}

/* pair_bit - the bit of the pair a, b.  Setting 0x20 folds ASCII case
 * (and some other bytes together, which only costs a search). */
static unsigned
pair_bit(unsigned char a, unsigned char b)
{
	return (unsigned)((a | 0x20) & 0x7f) << 7 | (unsigned)((b | 0x20) & 0x7f);
}

void
classify_pairs_build(struct classify_pairs *pairs, const char *s, size_t len)
{
	memset(pairs, 0, sizeof *pairs);
	for (size_t i = 1; i < len; i++) {
		unsigned bit = pair_bit((unsigned char)s[i - 1],
					(unsigned char)s[i]);

		pairs->bits[bit >> 6] |= UINT64_C(1) << (bit & 63);
	}
}

/* pairs_allow - may a text with these pairs contain the n bytes at
 * needle?  Each pair of the needle occurs in the text where it does. */
static bool
pairs_allow(const struct classify_pairs *pairs, const char *needle, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		unsigned bit = pair_bit((unsigned char)needle[i - 1],
					(unsigned char)needle[i]);

		if ((pairs->bits[bit >> 6] & UINT64_C(1) << (bit & 63)) == 0)
			return false;
	}
	return true;
}

bool
classify_literals_may_match(const struct classify_literals *lits,
			    const char *s, size_t len,
			    const struct classify_pairs *pairs)
{
	if (lits->count == 0)
		return true;
	for (size_t k = 0; k < lits->count; k++) {
		struct ascii_needle needle = {lits->text[k], lits->len[k],
					      lits->anchor[k]};

		if (pairs != NULL &&
		    !pairs_allow(pairs, lits->text[k], lits->len[k]))
			continue;
		if (ascii_casefind(s, len, &needle) != NULL)
			return true;
	}
	return false;
}
