/* SPDX-License-Identifier: MIT */
/*
 * pattern.h - extractor patterns loaded from data files
 *
 * A pattern file is UTF-8 text, one directive per line; blank lines and
 * lines starting with "#" are ignored:
 *
 *	format NAME			 the extractor these rules are for
 *	program REGEX			 which syslog program names belong to
 *					 this format (matched against the
 *					 whole tag, e.g. "postfix/smtpd");
 *					 formats read only from their own
 *					 files have none
 *	rule KIND DAEMONS REGEX		 a rule: KIND is the kind of event the
 *					 extractor makes from a match,
 *					 DAEMONS a comma-separated list of
 *					 daemon names or "*", REGEX the rest
 *					 of the line (PCRE2 syntax)
 *
 * Rules are tried in file order and the first match wins.  Regular
 * expressions work on bytes (no UTF mode), so any input is safe to match.
 * They are compiled when the file is read.  Where PCRE2 has a JIT, it
 * compiles each when it first runs, else the interpreter runs them.
 * Every match runs under a match limit and a depth limit of
 * PATTERN_*_LIMIT plus PATTERN_*_PER_BYTE for each byte of the subject, so
 * that the work a pathological pattern or line can cause grows at most
 * linearly with the input.  Named capture groups are the contract between
 * a rule and its extractor (see doc/patterns.md).
 *
 * A rule that fails to compile is reported as "FILE:LINE:COL: message"
 * with PCRE2's text and skipped; loading fails only when the file cannot
 * be read, has no format line, has an invalid program line, or has no rule
 * left.
 */
#ifndef BOUNCELOG_PATTERN_H
#define BOUNCELOG_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncelog/span.h"

/* Limits of one match (see pcre2_set_match_limit(3)): a base plus an
 * allowance per subject byte, so a long line of plain text still matches
 * while exponential backtracking stops early. */
#define PATTERN_MATCH_LIMIT 200000
#define PATTERN_MATCH_PER_BYTE 8
#define PATTERN_DEPTH_LIMIT 2000
#define PATTERN_DEPTH_PER_BYTE 2

/* Largest pattern file read, in bytes. */
#define PATTERN_FILE_MAX (4 * 1024 * 1024)

/* Most capture groups a rule may use. */
#define PATTERN_GROUPS_MAX 32

struct pattern_set;
struct pattern_rule;

/* The result of a successful match: captures by group number. */
struct pattern_match {
	const struct pattern_rule *rule;
	const char *subject;
	size_t ovector[2 * PATTERN_GROUPS_MAX];
	unsigned ngroups;	/* groups set by the match, including 0 */
};

/*
 * Parse a pattern file held in text (len bytes) and compile its rules.
 * name appears in diagnostics.  Returns the set (owned, freed with
 * pattern_set_free) or NULL after diagnostics.
 */
struct pattern_set *pattern_set_parse(const char *text, size_t len,
				      const char *name);

/* Read and parse the file at path; NULL after a diagnostic. */
struct pattern_set *pattern_set_load(const char *path);

void pattern_set_free(struct pattern_set *set);

/* The name given by the "format" line. */
const char *pattern_set_format(const struct pattern_set *set);

/* Number of rules compiled. */
size_t pattern_set_rule_count(const struct pattern_set *set);

/* True when the file has a valid "program" line. */
bool pattern_set_has_program(const struct pattern_set *set);

/* True when the syslog program name belongs to this format (false when
 * the set has no "program" line). */
bool pattern_set_program_matches(struct pattern_set *set, struct span program);

enum pattern_result {
	PATTERN_NOMATCH,
	PATTERN_MATCH,
	PATTERN_LIMIT,		/* a rule gave up at a limit */
};

/*
 * Try the rules that apply to daemon (all rules with "*" and those listing
 * it) on subject, in file order, skipping those whose start bytes (see
 * pattern_rule_starts()) or required literal (see pattern_rule_literal())
 * rule out subject.  Returns PATTERN_MATCH and fills *m on the
 * first match.  When a rule hits a limit, the later rules are not tried,
 * because one of them could be a looser rule that would misfile the line;
 * the result is PATTERN_LIMIT and the counter returned by
 * pattern_set_limit_hits() goes up.
 */
enum pattern_result pattern_set_match(struct pattern_set *set,
				      struct span daemon, const char *subject,
				      size_t len, struct pattern_match *m);

unsigned long pattern_set_limit_hits(const struct pattern_set *set);

/*
 * Switch the hand-written recognisers of built-in rules on (the default)
 * or off.  A rule whose regular expression is byte for byte one that
 * src/pattern_recognise.c knows is matched by hand on the lines of the
 * shape it reads, with the same result, and by PCRE2 on the others.
 * Tests and fuzz targets switch them off to compare.
 */
void pattern_set_use_recognisers(struct pattern_set *set, bool on);

/*
 * Switch the prefilters on (the default) or off: the start bytes of an
 * anchored rule (see pattern_rule_starts()) and its required literal
 * (see pattern_rule_literal()).  With them off, every rule that applies
 * to the daemon is run.  Tests and fuzz targets switch them off to
 * compare.
 */
void pattern_set_use_prefilters(struct pattern_set *set, bool on);

/*
 * False when no match of the rule can start with the byte c: the rule
 * is anchored with "^" and PCRE2 found the bytes that its matches start
 * with.  A subject that starts otherwise, or is empty, is not matched
 * against the rule, which therefore cannot hit a limit on it.
 */
bool pattern_rule_starts(const struct pattern_rule *rule, unsigned char c);

/* True when the rule has a hand-written recogniser. */
bool pattern_rule_recognised(const struct pattern_rule *rule);

/* Rule i in file order, for i < pattern_set_rule_count(). */
const struct pattern_rule *pattern_set_rule(const struct pattern_set *set,
					    size_t i);

/* The name given when the set was loaded (a path or a built-in name). */
const char *pattern_set_name(const struct pattern_set *set);

/* The KIND word of a rule, and where it was defined. */
const char *pattern_rule_kind(const struct pattern_rule *rule);
unsigned long pattern_rule_line(const struct pattern_rule *rule);

/*
 * Bytes that every match of the rule contains, found by reading its
 * regular expression, or an absent span when none are known.  A subject
 * without them is not matched against the rule, which therefore cannot
 * hit a limit on it.  Valid as long as the set.
 */
struct span pattern_rule_literal(const struct pattern_rule *rule);

/*
 * The capture named name in m, or an absent span when the rule has no such
 * group or the group did not take part in the match.
 */
struct span pattern_capture(const struct pattern_match *m, const char *name);

/*
 * The groups of one rule that carry one name, a bit for each group
 * number, so that a capture is read without comparing names.  An
 * extractor finds them once per rule with pattern_rule_name().
 */
struct pattern_name {
	uint32_t groups;	/* bit g for group g; 0 when none */
};

/* The place of a rule in its set's file order, below
 * pattern_set_rule_count(), for tables an extractor keeps per rule. */
size_t pattern_rule_index(const struct pattern_rule *rule);

/* The groups of rule named name (none when it has no such group). */
struct pattern_name pattern_rule_name(const struct pattern_rule *rule,
				      const char *name);

/* Set groups[g] to pattern_rule_name(rule, names[g]) for each of the n
 * names. */
void pattern_rule_names(const struct pattern_rule *rule,
			const char *const *names, size_t n,
			struct pattern_name *groups);

/* Return the place of the rule's kind among the n words of kinds, or n
 * when it is none of them. */
size_t pattern_rule_kind_index(const struct pattern_rule *rule,
			       const char *const *kinds, size_t n);

/*
 * Check that every rule of set has one of the n kinds, for the extractor
 * of format.  Each rule with another kind is reported as an error with
 * its file and line.  Returns 0, or -1 when a rule was reported.
 */
int pattern_set_check_kinds(const struct pattern_set *set,
			    const char *format, const char *const *kinds,
			    size_t n);

/* The offset of a group that did not take part in a match (PCRE2's
 * PCRE2_UNSET). */
#define PATTERN_UNSET (~(size_t)0)

/*
 * pattern_capture() by the groups that pattern_rule_name() found for
 * m->rule: the same span, the first group that took part winning when
 * several carry the name.  Inline, because an extractor reads several
 * captures of every line.
 */
static inline struct span
pattern_capture_by(const struct pattern_match *m, struct pattern_name name)
{
	uint32_t left = name.groups;

	while (left != 0) {
		/* The lowest bit set: the lowest group of the name. */
#if defined(__GNUC__)
		unsigned group = (unsigned)__builtin_ctz(left);
#else
		unsigned group = 0;

		while ((left & (UINT32_C(1) << group)) == 0)
			group++;
#endif
		left &= left - 1;
		if (group >= m->ngroups || m->ovector[2 * group] == PATTERN_UNSET)
			continue;
		return span_make(m->subject + m->ovector[2 * group],
				 m->ovector[2 * group + 1] -
					 m->ovector[2 * group]);
	}
	return span_make(NULL, 0);
}

#endif
