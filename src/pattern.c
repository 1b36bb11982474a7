/* SPDX-License-Identifier: MIT */
/*
 * pattern.c - extractor patterns loaded from data files
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <stdint.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/pattern.h"
#include "bouncelog/strmap.h"
#include "bouncelog/xalloc.h"
#include "pattern_gate.h"
#include "pattern_recognise.h"
#include "regex_jit.h"
#include "regex_scan.h"

/* Maximum length of a program name whose match result is cached, and
 * how many recent program names are remembered. */
#define PROGRAM_CACHE_MAX 128
#define PROGRAM_CACHE_SIZE 8

/* Longest required literal kept per rule. */
#define PATTERN_LITERAL_MAX 32

/* Recent daemon names whose rule lists are found without hashing. */
#define DAEMON_RECENT 8
#define DAEMON_RECENT_NAME_MAX 32

struct pattern_rule {
	char *kind;
	char **daemons;		/* NULL for "*" */
	size_t ndaemons;
	pcre2_code *code;
	enum regex_jit jit;	/* see regex_jit.h */
	unsigned long line;

	/* Bytes that every match contains (see required_literal()), so a
	 * subject without them is skipped without running the rule. */
	char literal[PATTERN_LITERAL_MAX];
	size_t literal_len;	/* 0 when the rule has none */
	size_t literal_anchor;	/* its rarest byte, see ascii_contains() */

	/* The bytes that a match can start with (see start_bytes()), a
	 * bit for each; all bits when has_start is false.  They are found
	 * when a daemon's rule list is first built, from regex. */
	bool start_known;
	bool has_start;
	uint64_t start[4];
	char *regex;
	size_t regex_len;

	/* A hand-written matcher that gives the same result on the lines
	 * it knows (pattern_recognise.h), or NULL. */
	pattern_recogniser recognise;
	bool recognise_first;	/* it rejects most lines at their start */

	/* A test of a few bytes at the start that every match passes
	 * (pattern_gate.h), or none. */
	bool has_gate;
	struct pattern_gate gate;

	/* The steps that try_rule() runs, in this order.  set_steps()
	 * sets them from the fields above and the set's switches. */
	bool step_gate;
	bool step_early;	/* the recogniser */
	bool step_literal;
	bool step_late;		/* the recogniser */

	/* PCRE2's table of named groups, read once so that
	 * pattern_capture() needs no library call: nnames entries of
	 * name_entry bytes, each a big-endian group number and a
	 * NUL-terminated name, sorted by name. */
	const unsigned char *names;
	uint32_t nnames;
	uint32_t name_entry;

	size_t index;		/* its place in the set's file order */
};

struct pattern_set {
	char *name;
	char *format;
	pcre2_code *program;
	enum regex_jit program_jit;
	struct pattern_rule *rules;
	size_t nrules;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	size_t limit_bytes;	/* the subject length that the limits of
				 * mctx were set for; SIZE_MAX before */
	pcre2_jit_stack *jit_stack;
	unsigned long limit_hits;
	bool recognisers_off;	/* see pattern_set_use_recognisers() */
	bool prefilters_off;	/* see pattern_set_use_prefilters() */

	/* daemon name -> struct rule_list, built on first use */
	struct strmap *by_daemon;

	/* Lines of a log cycle through a few program names. */
	struct program_cache {
		char name[PROGRAM_CACHE_MAX];
		size_t len;
		bool result;
	} programs[PROGRAM_CACHE_SIZE];
	size_t nprograms;
	size_t next_program;	/* the entry replaced next */

	/* The same for the per-daemon rule lists. */
	struct daemon_recent {
		char name[DAEMON_RECENT_NAME_MAX];
		size_t len;
		const struct rule_list *list;
	} daemons[DAEMON_RECENT];
	size_t ndaemons;
	size_t next_daemon;
};

/* Distinct daemon names whose rule lists are cached; others scan. */
#define DAEMON_CACHE_MAX 1024

/* The entry of rule_list.class_of for an empty subject; bytes 0 to 255
 * have their own entries. */
#define FIRST_EMPTY 256

/*
 * The rules that apply to one daemon, in file order, without those
 * that cannot match a subject of the first byte (see start_bytes()).
 * Bytes with the same rules share a class: the rules for a subject
 * starting with byte c are index[first[k]] to index[first[k + 1] - 1],
 * with k = class_of[c].
 */
struct rule_list {
	uint16_t *class_of;	/* FIRST_EMPTY + 1 entries */
	uint32_t *first;	/* one more than the number of classes */
	uint32_t *index;
};

/* JIT stack sizes in bytes; matches beyond the maximum count as limit hits. */
#define JIT_STACK_START (32 * 1024)
#define JIT_STACK_MAX (1024 * 1024)

/* compile - compile one regular expression; NULL after a diagnostic */
static pcre2_code *
compile(const struct pattern_set *set, unsigned long line, size_t column,
	const char *regex, size_t len)
{
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE erroffset;
	PCRE2_UCHAR msg[256];

	code = pcre2_compile((PCRE2_SPTR)regex, len, PCRE2_DUPNAMES, &errcode,
			     &erroffset, NULL);
	if (code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		diag_emit(DIAG_ERROR, set->name, line,
			  (unsigned long)(column + erroffset + 1), "%s", (char *)msg);
		return NULL;
	}

	return code;
}

/* next_word - split off the next blank-separated word of a directive */
static size_t
next_word(const char *s, size_t len, size_t *pos)
{
	size_t start;

	while (*pos < len && ascii_isblank((unsigned char)s[*pos]))
		(*pos)++;
	start = *pos;
	while (*pos < len && !ascii_isblank((unsigned char)s[*pos]))
		(*pos)++;
	return start;
}

/* parse_daemons - "smtp,lmtp" into an array; "*" gives NULL */
static void
parse_daemons(struct pattern_rule *rule, const char *s, size_t len)
{
	size_t start = 0;

	rule->daemons = NULL;
	rule->ndaemons = 0;
	if (len == 1 && s[0] == '*')
		return;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (i > start) {
			rule->daemons = xreallocarray(rule->daemons,
						      rule->ndaemons + 1,
						      sizeof *rule->daemons);
			rule->daemons[rule->ndaemons++] =
				xstrndup(s + start, i - start);
		}
		start = i + 1;
	}
}

/* groups_fit - reject a rule with more groups than a match keeps */
static bool
groups_fit(const struct pattern_set *set, unsigned long lineno,
	   const pcre2_code *code)
{
	uint32_t groups = 0;

	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups < PATTERN_GROUPS_MAX)
		return true;
	diag_emit(DIAG_ERROR, set->name, lineno, 0,
		  _("rule has %u capture groups; at most %d are allowed"),
		  (unsigned)groups, PATTERN_GROUPS_MAX - 1);
	return false;
}

/*
 * Required literals.  A rule's regular expression is scanned at its top
 * level for runs of plain bytes that every match must contain, such as
 * "status=" in "^(?<qid>...): to=... status=(?<status>...)".  The scan
 * is conservative: it gives up on a top-level alternation, on option
 * settings such as "(?i)" (which could make a run match other bytes), on
 * \Q quoting, on verbs such as "(*UTF)" and on nested character
 * classes.  Groups, classes, escapes that stand for classes and bytes
 * followed by a quantifier end a run and are not part of any.
 */

/* Escapes of one letter that stand for a class or an assertion.  Other
 * letter and digit escapes (\x41, \cA, \k<name>, \1, \Q) take
 * more bytes, so the scan gives up on them. */
#define ONE_BYTE_ESCAPES "dDsSwWbBhHvVRXAzZGKntrfea"

/* literal_state - the longest run found so far and the current run */
struct literal_state {
	char best[PATTERN_LITERAL_MAX];
	size_t best_len;
	char run[PATTERN_LITERAL_MAX];
	size_t run_len;
};

/* literal_end_run - the current run ends: keep it if it is the longest */
static void
literal_end_run(struct literal_state *st)
{
	if (st->run_len > st->best_len) {
		memcpy(st->best, st->run, st->run_len);
		st->best_len = st->run_len;
	}
	st->run_len = 0;
}

/* literal_add - one byte that the match must contain after the run */
static void
literal_add(struct literal_state *st, char c)
{
	if (st->run_len == PATTERN_LITERAL_MAX)
		literal_end_run(st);
	st->run[st->run_len++] = c;
}

/* skip_group - the index after the ")" that closes the group opened at
 * s[i], or 0 when the group cannot be read safely */
static size_t
skip_group(const char *s, size_t len, size_t i)
{
	int depth = 0;

	while (i < len) {
		if (s[i] == '\\') {
			if (i + 1 < len && s[i + 1] == 'Q')
				return 0;
			i = regex_escape_end(s, len, i);
		} else if (s[i] == '[') {
			i = regex_class_end(s, len, i);
			if (i == 0)
				return 0;
		} else if (s[i] == '(') {
			if (i + 1 < len && s[i + 1] == '*')
				return 0;
			if (i + 2 < len && s[i + 1] == '?' &&
			    !regex_opens_group(s[i + 2]))
				return 0;
			depth++;
			i++;
		} else if (s[i] == ')') {
			i++;
			if (--depth == 0)
				return i;
		} else {
			i++;
		}
	}
	return 0;
}

/* count_end - the index after "{N}", "{N,}" or "{N,M}" at s[i], or 0
 * for any other text after "{" */
static size_t
count_end(const char *s, size_t len, size_t i)
{
	size_t digits = 0;

	for (i++; i < len && ascii_isdigit((unsigned char)s[i]); i++)
		digits++;
	if (digits == 0 || i == len)
		return 0;
	if (s[i] == ',')
		for (i++; i < len && ascii_isdigit((unsigned char)s[i]); i++)
			;
	return i < len && s[i] == '}' ? i + 1 : 0;
}

/* is_quantifier - does c repeat or make optional what comes before? */
static bool
is_quantifier(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/* Deepest nesting of groups whose branches are read for a literal. */
#define LITERAL_DEPTH_MAX 4

/* Shortest literal taken from a group.  Two bytes common to all
 * branches, such as the "**" of a flag, are so frequent in log lines
 * that searching for them costs more than it saves. */
#define GROUP_LITERAL_MIN 3

static size_t required_literal(const char *regex, size_t len,
			       char out[PATTERN_LITERAL_MAX], int depth);

/* group_content - the length of the opening of the group at s[i] when
 * every match of the group is a match of its content ("(", "(?:",
 * "(?>", "(?|" and named groups), else 0 */
static size_t
group_content(const char *s, size_t len, size_t i)
{
	if (i + 1 >= len || s[i + 1] != '?')
		return 1;
	if (i + 2 >= len)
		return 0;
	if (s[i + 2] == ':' || s[i + 2] == '>' || s[i + 2] == '|')
		return 3;
	if (s[i + 2] == '<' && i + 3 < len && s[i + 3] != '=' &&
	    s[i + 3] != '!') {
		const char *close = memchr(s + i + 3, '>', len - i - 3);

		return close != NULL ? (size_t)(close - s) - i + 1 : 0;
	}
	return 0;
}

/* branch_end - the index of the "|" or the end that closes the branch
 * starting at s[i] inside a group's content of len bytes, or 0 when the
 * content cannot be read safely */
static size_t
branch_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != '|') {
		if (s[i] == '\\')
			i = regex_escape_end(s, len, i);
		else if (s[i] == '[')
			i = regex_class_end(s, len, i);
		else if (s[i] == '(')
			i = skip_group(s, len, i);
		else
			i++;
		if (i == 0 || i > len)
			return 0;
	}
	return i;
}

/* common_part - the longest run of bytes that both a and b contain,
 * into a; its length */
static size_t
common_part(char *a, size_t alen, const char *b, size_t blen)
{
	size_t best = 0, at = 0;

	for (size_t i = 0; i < alen; i++)
		for (size_t j = 0; j < blen; j++) {
			size_t n = 0;

			while (i + n < alen && j + n < blen &&
			       a[i + n] == b[j + n])
				n++;
			if (n > best) {
				best = n;
				at = i;
			}
		}
	memmove(a, a + at, best);
	return best;
}

/*
 * group_literal - the longest run of bytes that every match of the
 * group at regex[i] (ending before regex[end]) contains: each branch
 * has a required literal, and a run of bytes common to all of them is
 * in any match.  Its length, 0 when none is known.
 */
static size_t
group_literal(const char *regex, size_t i, size_t end,
	      char out[PATTERN_LITERAL_MAX], int depth)
{
	size_t open = group_content(regex, end, i), from, n = 0;
	bool first = true;

	if (open == 0 || depth >= LITERAL_DEPTH_MAX)
		return 0;
	from = i + open;
	end--;			/* the closing ")" */
	for (;;) {
		size_t stop = branch_end(regex, end, from);
		char branch[PATTERN_LITERAL_MAX];
		size_t blen;

		if (stop == 0)
			return 0;
		blen = required_literal(regex + from, stop - from, branch,
					depth + 1);
		if (blen == 0)
			return 0;
		if (first)
			memcpy(out, branch, blen);
		n = first ? blen : common_part(out, n, branch, blen);
		first = false;
		if (n < GROUP_LITERAL_MIN)
			return 0;
		if (stop == end)
			return n;
		from = stop + 1;
	}
}

/*
 * required_literal - find the longest run of bytes that every match of
 * regex contains; its length, 0 when none of at least 2 bytes is known.
 * depth counts the groups that the scan has entered.
 */
static size_t
required_literal(const char *regex, size_t len, char out[PATTERN_LITERAL_MAX],
		 int depth)
{
	struct literal_state st;
	size_t i = 0;

	memset(&st, 0, sizeof st);
	while (i < len) {
		char c = regex[i];

		if (c == '|')
			return 0;
		if (c == '(') {
			size_t end = skip_group(regex, len, i);

			if (end == 0)
				return 0;
			literal_end_run(&st);
			if (end == len || !is_quantifier(regex[end])) {
				st.run_len = group_literal(regex, i, end,
							   st.run, depth);
				literal_end_run(&st);
			}
			i = end;
		} else if (c == '[') {
			i = regex_class_end(regex, len, i);
			if (i == 0)
				return 0;
			literal_end_run(&st);
		} else if (is_quantifier(c)) {
			/* The byte before may be absent or repeated. */
			if (st.run_len > 0)
				st.run_len--;
			literal_end_run(&st);
			if (c == '{') {
				/* A "{" that starts no count is a byte, and
				 * what follows it is read as usual; so is
				 * "{,2}" from PCRE2 10.43 on.  The scan gives
				 * up rather than tell them apart. */
				i = count_end(regex, len, i);
				if (i == 0)
					return 0;
			} else {
				i++;
			}
		} else if (c == '\\') {
			if (i + 1 >= len)
				return 0;
			if (!ascii_isalnum((unsigned char)regex[i + 1]))
				literal_add(&st, regex[i + 1]);
			else if (strchr(ONE_BYTE_ESCAPES, regex[i + 1]) != NULL)
				literal_end_run(&st);
			else
				return 0;
			i += 2;
		} else if (c == '.' || c == '^' || c == '$') {
			literal_end_run(&st);
			i++;
		} else {
			literal_add(&st, c);
			i++;
		}
	}
	literal_end_run(&st);
	if (st.best_len < 2)
		return 0;
	memcpy(out, st.best, st.best_len);
	return st.best_len;
}

/*
 * Start bytes.  A rule whose regular expression is anchored (every
 * top-level branch starts with "^") matches only at the start of the
 * subject.  Without its leading "^", the expression X matches there
 * whenever the rule does, because "^" is true at offset 0.  PCRE2 works
 * out for X the code unit or the set of code units that every match
 * starts with (the table it uses itself to skip start positions).  A
 * subject whose first byte is not among them cannot match the rule.
 */

/* set_bit - add byte c to a 256-bit set */
static void
set_bit(uint64_t set[4], unsigned char c)
{
	set[c >> 6] |= (uint64_t)1 << (c & 63);
}

/* has_bit - is byte c in the set? */
static inline bool
has_bit(const uint64_t set[4], unsigned char c)
{
	return (set[c >> 6] >> (c & 63)) & 1;
}

/* first_units - the start bytes of code into set.  False when PCRE2 has
 * none or the expression can match an empty string. */
static bool
first_units(const pcre2_code *code, uint64_t set[4])
{
	uint32_t type = 0, unit = 0, empty = 1;
	const uint8_t *map = NULL;

	if (pcre2_pattern_info(code, PCRE2_INFO_MATCHEMPTY, &empty) != 0 ||
	    empty != 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return false;
	memset(set, 0, 4 * sizeof *set);
	if (type == 1) {
		/* A caseless first letter is kept as one case.  An option
		 * inside the expression makes it caseless, and so does
		 * PCRE2 when the branches start with both cases of one
		 * letter ("^[Ss]", "^(?:Na|nb)"), which no flag reports: so
		 * both cases of a letter are added.  Other bytes have no
		 * other case in PCRE2's default tables, but are not relied
		 * on. */
		if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) !=
			0 ||
		    unit > 127)
			return false;
		set_bit(set, (unsigned char)unit);
		if (ascii_isalpha((unsigned char)unit))
			set_bit(set, (unsigned char)(unit ^ 0x20));
		return true;
	}
	if (type != 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &map) != 0 ||
	    map == NULL)
		return false;
	for (unsigned c = 0; c < 256; c++)
		if ((map[c / 8] >> (c % 8)) & 1)
			set_bit(set, (unsigned char)c);
	return true;
}

/* start_bytes - fill rule->start, once, when the rule's expression is
 * anchored by a leading "^" */
static void
start_bytes(struct pattern_rule *rule)
{
	const char *regex = rule->regex;
	size_t len = rule->regex_len;
	uint32_t options = 0;
	pcre2_code *rest;
	int errcode;
	PCRE2_SIZE erroffset;

	if (rule->start_known)
		return;
	rule->start_known = true;
	rule->has_start = false;
	if (len < 2 || regex[0] != '^' || strchr("*+?{", regex[1]) != NULL ||
	    pcre2_pattern_info(rule->code, PCRE2_INFO_ALLOPTIONS, &options) !=
		0 ||
	    (options & PCRE2_ANCHORED) == 0)
		return;
	rest = pcre2_compile((PCRE2_SPTR)regex + 1, len - 1, PCRE2_DUPNAMES,
			     &errcode, &erroffset, NULL);
	if (rest == NULL)
		return;
	rule->has_start = first_units(rest, rule->start);
	if (!rule->has_start)
		memset(rule->start, 0xff, sizeof rule->start);
	pcre2_code_free(rest);
}

/* read_names - keep the rule's table of named groups */
static void
read_names(struct pattern_rule *rule)
{
	PCRE2_SPTR table = NULL;

	rule->nnames = 0;
	rule->name_entry = 0;
	rule->names = NULL;
	if (pcre2_pattern_info(rule->code, PCRE2_INFO_NAMECOUNT,
			       &rule->nnames) != 0 ||
	    pcre2_pattern_info(rule->code, PCRE2_INFO_NAMEENTRYSIZE,
			       &rule->name_entry) != 0 ||
	    pcre2_pattern_info(rule->code, PCRE2_INFO_NAMETABLE, &table) != 0 ||
	    table == NULL)
		rule->nnames = 0;
	rule->names = table;
}

/*
 * set_steps - what try_rule() runs for rule.  The gate and the literal
 * are prefilters.  A recogniser gives PCRE2's result, so one that
 * rejects most lines at their start runs before the search for the
 * literal, and so does one behind a gate, which has already rejected
 * most lines.
 */
static void
set_steps(const struct pattern_set *set, struct pattern_rule *rule)
{
	bool recognise = rule->recognise != NULL && !set->recognisers_off;

	rule->step_gate = rule->has_gate && !set->prefilters_off;
	rule->step_early = recognise && (rule->recognise_first ||
					 rule->step_gate);
	rule->step_literal = rule->literal_len > 0 && !set->prefilters_off;
	rule->step_late = recognise && !rule->step_early;
}

/* parse_rule - "rule KIND DAEMONS REGEX"; false if skipped */
static bool
parse_rule(struct pattern_set *set, unsigned long lineno, const char *s,
	   size_t len, size_t pos)
{
	struct pattern_rule rule;
	size_t kind_at, daemons_at, kind_len, daemons_len;

	memset(&rule, 0, sizeof rule);
	kind_at = next_word(s, len, &pos);
	kind_len = pos - kind_at;
	daemons_at = next_word(s, len, &pos);
	daemons_len = pos - daemons_at;
	while (pos < len && ascii_isblank((unsigned char)s[pos]))
		pos++;
	if (kind_len == 0 || daemons_len == 0 || pos == len) {
		diag_emit(DIAG_ERROR, set->name, lineno, 0,
			  _("rule needs a kind, a daemon list and a regular "
			    "expression"));
		return false;
	}

	rule.code = compile(set, lineno, pos, s + pos, len - pos);
	if (rule.code == NULL)
		return false;
	if (!groups_fit(set, lineno, rule.code)) {
		pcre2_code_free(rule.code);
		return false;
	}
	rule.kind = xstrndup(s + kind_at, kind_len);
	rule.line = lineno;
	rule.jit = regex_jit_first();
	rule.literal_len = required_literal(s + pos, len - pos, rule.literal, 0);
	rule.literal_anchor = ascii_rare_index(rule.literal, rule.literal_len);
	rule.regex = xstrndup(s + pos, len - pos);
	rule.regex_len = len - pos;
	memset(rule.start, 0xff, sizeof rule.start);
	rule.recognise = pattern_recogniser_find(s + pos, len - pos,
						 &rule.recognise_first);
	rule.has_gate = pattern_gate_read(s + pos, len - pos, &rule.gate);
	set_steps(set, &rule);
	read_names(&rule);
	parse_daemons(&rule, s + daemons_at, daemons_len);

	rule.index = set->nrules;
	set->rules = xreallocarray(set->rules, set->nrules + 1,
				   sizeof *set->rules);
	set->rules[set->nrules++] = rule;
	return true;
}

/* parse_line - one directive; returns false on a fatal error */
static bool
parse_line(struct pattern_set *set, unsigned long lineno, const char *s,
	   size_t len)
{
	size_t pos = 0, word_at, word_len, rest;
	const char *nul;

	word_at = next_word(s, len, &pos);
	word_len = pos - word_at;
	if (word_len == 0 || s[word_at] == '#')
		return true;

	/* Names are kept as C strings, so a NUL byte would cut them. */
	nul = memchr(s, '\0', len);
	if (nul != NULL) {
		diag_emit(DIAG_ERROR, set->name, lineno,
			  (unsigned long)(nul - s) + 1,
			  _("invalid NUL byte; the line was skipped"));
		return true;
	}

	rest = pos;
	while (rest < len && ascii_isblank((unsigned char)s[rest]))
		rest++;

	if (word_len == 6 && memcmp(s + word_at, "format", 6) == 0) {
		free(set->format);
		set->format = xstrndup(s + rest, len - rest);
	} else if (word_len == 7 && memcmp(s + word_at, "program", 7) == 0) {
		pcre2_code_free(set->program);
		set->program = compile(set, lineno, rest, s + rest, len - rest);
		if (set->program == NULL)
			return false;
		set->program_jit = regex_jit_first();
	} else if (word_len == 4 && memcmp(s + word_at, "rule", 4) == 0) {
		/* A bad rule is skipped; the others still work. */
		parse_rule(set, lineno, s, len, pos);
	} else {
		diag_emit(
		    DIAG_ERROR, set->name, lineno, word_at + 1,
		    _("unknown directive \"%.*s\"; expected format, program "
		      "or rule"),
		    (int)(word_len > 40 ? 40 : word_len), s + word_at);
	}
	return true;
}

/* set_finish - allocate match state once all rules are known */
static bool
set_finish(struct pattern_set *set)
{
	if (set->format == NULL || set->format[0] == '\0') {
		diag_emit(DIAG_ERROR, set->name, 0, 0,
			  _("missing \"format NAME\" line"));
		return false;
	}
	if (set->nrules == 0) {
		diag_emit(DIAG_ERROR, set->name, 0, 0, _("no usable rule"));
		return false;
	}

	set->md = pcre2_match_data_create(PATTERN_GROUPS_MAX, NULL);
	set->mctx = pcre2_match_context_create(NULL);
	set->limit_bytes = SIZE_MAX;
	set->jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX,
						NULL);
	if (set->md == NULL || set->mctx == NULL) {
		diag_error(_("out of memory"));
		return false;
	}
	if (set->jit_stack != NULL)
		pcre2_jit_stack_assign(set->mctx, NULL, set->jit_stack);
	set->by_daemon = strmap_new(sizeof(struct rule_list), DAEMON_CACHE_MAX);
	return true;
}

struct pattern_set *
pattern_set_parse(const char *text, size_t len, const char *name)
{
	struct pattern_set *set = xcalloc(1, sizeof *set);
	unsigned long lineno = 0;
	size_t start = 0;
	bool ok = true;

	set->name = xstrdup(name);
	while (ok && start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t line_len = end - start;

		lineno++;
		if (line_len > 0 && text[start + line_len - 1] == '\r')
			line_len--;
		ok = parse_line(set, lineno, text + start, line_len);
		start = end + 1;
	}
	if (!ok || !set_finish(set)) {
		pattern_set_free(set);
		return NULL;
	}
	return set;
}

struct pattern_set *
pattern_set_load(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *text;
	size_t len;
	struct pattern_set *set;

	if (fp == NULL) {
		diag_emit(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	text = xmalloc(PATTERN_FILE_MAX + 1);
	len = fread(text, 1, PATTERN_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		diag_emit(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		set = NULL;
	} else if (len > PATTERN_FILE_MAX) {
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("pattern file larger than %d bytes"),
			  PATTERN_FILE_MAX);
		set = NULL;
	} else {
		set = pattern_set_parse(text, len, path);
	}
	fclose(fp);
	free(text);
	return set;
}

/* free_daemon_cache - release the per-daemon rule lists */
static void
free_daemon_cache(struct strmap *map)
{
	struct strmap_entry *e;

	if (map == NULL)
		return;
	e = strmap_entries(map);
	for (size_t i = 0; i < strmap_count(map); i++) {
		struct rule_list *list = e[i].value;

		free(list->class_of);
		free(list->first);
		free(list->index);
	}
	free(e);
	strmap_free(map);
}

void
pattern_set_free(struct pattern_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->nrules; i++) {
		struct pattern_rule *rule = &set->rules[i];

		for (size_t d = 0; d < rule->ndaemons; d++)
			free(rule->daemons[d]);
		free(rule->daemons);
		free(rule->kind);
		free(rule->regex);
		pcre2_code_free(rule->code);
	}
	free(set->rules);
	free_daemon_cache(set->by_daemon);
	pcre2_code_free(set->program);
	pcre2_match_data_free(set->md);
	pcre2_match_context_free(set->mctx);
	pcre2_jit_stack_free(set->jit_stack);
	free(set->format);
	free(set->name);
	free(set);
}

const char *
pattern_set_format(const struct pattern_set *set)
{
	return set->format;
}

size_t
pattern_set_rule_count(const struct pattern_set *set)
{
	return set->nrules;
}

unsigned long
pattern_set_limit_hits(const struct pattern_set *set)
{
	return set->limit_hits;
}

/* set_limits - scale the match and depth limits to the subject length,
 * unless they were set for that length last */
static void
set_limits(struct pattern_set *set, size_t len)
{
	size_t bytes = len > PATTERN_FILE_MAX * 16 ? PATTERN_FILE_MAX * 16 : len;

	if (bytes == set->limit_bytes)
		return;
	set->limit_bytes = bytes;
	pcre2_set_match_limit(set->mctx, (uint32_t)(PATTERN_MATCH_LIMIT +
						    PATTERN_MATCH_PER_BYTE * bytes));
	pcre2_set_depth_limit(set->mctx, (uint32_t)(PATTERN_DEPTH_LIMIT +
						    PATTERN_DEPTH_PER_BYTE * bytes));
}

/* run - one match attempt, with the limits for len: on a match the
 * number of leading capture pairs that pcre2_match() set (at least 1), 0
 * for no match, -1 for a limit or another error.  Most lines are matched
 * by a recogniser and never come here, so the limits are set here. */
static int
run(struct pattern_set *set, pcre2_code *code, enum regex_jit *jit,
    const char *subject, size_t len)
{
	int rc;

	set_limits(set, len);

	/* pcre2_jit_match() skips the checks of pcre2_match() that do not
	 * apply to JIT code; both honour the match limit of mctx. */
	if (regex_jit_ready(code, jit))
		rc = pcre2_jit_match(code, (PCRE2_SPTR)subject, len, 0, 0,
				     set->md, set->mctx);
	else
		rc = pcre2_match(code, (PCRE2_SPTR)subject, len, 0, 0,
				 set->md, set->mctx);

	/* rc 0 means the ovector was too small: all its pairs are set. */
	if (rc == 0)
		return PATTERN_GROUPS_MAX;
	if (rc > 0)
		return rc;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	set->limit_hits++;
	return -1;
}

bool
pattern_set_has_program(const struct pattern_set *set)
{
	return set->program != NULL;
}

bool
pattern_set_program_matches(struct pattern_set *set, struct span program)
{
	struct program_cache *entry;
	bool result;

	if (set->program == NULL)
		return false;
	for (size_t i = 0; i < set->nprograms; i++) {
		entry = &set->programs[i];
		if (program.len == entry->len &&
		    memcmp(program.ptr, entry->name, program.len) == 0)
			return entry->result;
	}

	result = run(set, set->program, &set->program_jit, program.ptr,
		     program.len) > 0;
	if (program.len <= PROGRAM_CACHE_MAX) {
		entry = &set->programs[set->next_program];
		set->next_program = (set->next_program + 1) % PROGRAM_CACHE_SIZE;
		if (set->nprograms < PROGRAM_CACHE_SIZE)
			set->nprograms++;
		memcpy(entry->name, program.ptr, program.len);
		entry->len = program.len;
		entry->result = result;
	}
	return result;
}

/* rule_applies - does the rule's daemon list include daemon? */
static bool
rule_applies(const struct pattern_rule *rule, struct span daemon)
{
	if (rule->daemons == NULL)
		return true;
	for (size_t i = 0; i < rule->ndaemons; i++)
		if (span_equal(daemon, rule->daemons[i]))
			return true;
	return false;
}

/* rule_starts - can a match of the rule start a subject whose first
 * byte is c, or that is empty (c == FIRST_EMPTY)? */
static bool
rule_starts(const struct pattern_rule *rule, unsigned c)
{
	return c == FIRST_EMPTY ? !rule->has_start
				: has_bit(rule->start, (unsigned char)c);
}

/* first_byte_rules - a bit for each of the n rules that can match a
 * subject of the first byte c, into sig (words of 64 bits) */
static void
first_byte_rules(struct pattern_set *set, const uint32_t *rules, size_t n,
		 unsigned c, uint64_t *sig)
{
	for (size_t k = 0; k < n; k++)
		if (rule_starts(&set->rules[rules[k]], c))
			sig[k / 64] |= (uint64_t)1 << (k % 64);
}

/*
 * split_by_first_byte - fill list with the n rules (indices in file
 * order) for each first byte.  Bytes that leave the same rules form one
 * class, so that a log's few kinds of lines share a few short lists.
 */
static void
split_by_first_byte(struct pattern_set *set, struct rule_list *list,
		    const uint32_t *rules, size_t n)
{
	size_t words = n / 64 + 1, nclasses = 0, total = 0;
	uint64_t *sig = xcalloc((FIRST_EMPTY + 1) * words, sizeof *sig);
	uint16_t rep[FIRST_EMPTY + 1];

	for (size_t k = 0; k < n; k++)
		start_bytes(&set->rules[rules[k]]);

	/* One class for each different set of rules. */
	list->class_of = xcalloc(FIRST_EMPTY + 1, sizeof *list->class_of);
	for (unsigned c = 0; c <= FIRST_EMPTY; c++) {
		uint64_t *mine = sig + c * words;
		size_t k;

		first_byte_rules(set, rules, n, c, mine);
		for (k = 0; k < nclasses; k++)
			if (memcmp(mine, sig + rep[k] * words,
				   words * sizeof *sig) == 0)
				break;
		if (k == nclasses)
			rep[nclasses++] = (uint16_t)c;
		list->class_of[c] = (uint16_t)k;
	}

	/* The rules of each class, one class after the other. */
	list->first = xcalloc(nclasses + 1, sizeof *list->first);
	list->index = xcalloc(nclasses * n + 1, sizeof *list->index);
	for (size_t k = 0; k < nclasses; k++) {
		const uint64_t *bits = sig + rep[k] * words;

		list->first[k] = (uint32_t)total;
		for (size_t r = 0; r < n; r++)
			if ((bits[r / 64] >> (r % 64)) & 1)
				list->index[total++] = rules[r];
	}
	list->first[nclasses] = (uint32_t)total;
	list->index = xreallocarray(list->index, total + 1,
				    sizeof *list->index);
	free(sig);
}

/* build_rules_for - the cached rule list of daemon, built on first use;
 * NULL when the cache is full */
static const struct rule_list *
build_rules_for(struct pattern_set *set, struct span daemon)
{
	struct rule_list *list = strmap_get(set->by_daemon, daemon.ptr,
					    daemon.len);
	uint32_t *rules;
	size_t n = 0;

	if (list != NULL)
		return list;
	list = strmap_get_or_add(set->by_daemon, daemon.ptr, daemon.len);
	if (list == NULL)
		return NULL;
	rules = xcalloc(set->nrules + 1, sizeof *rules);
	for (size_t i = 0; i < set->nrules; i++)
		if (rule_applies(&set->rules[i], daemon))
			rules[n++] = (uint32_t)i;
	split_by_first_byte(set, list, rules, n);
	free(rules);
	return list;
}

/* rules_for - build_rules_for(), with the recent daemon names found
 * without hashing; the lists never move once built */
static const struct rule_list *
rules_for(struct pattern_set *set, struct span daemon)
{
	struct daemon_recent *entry;
	const struct rule_list *list;

	for (size_t i = 0; i < set->ndaemons; i++) {
		entry = &set->daemons[i];
		if (daemon.len == entry->len &&
		    memcmp(daemon.ptr, entry->name, daemon.len) == 0)
			return entry->list;
	}

	list = build_rules_for(set, daemon);
	if (list != NULL && daemon.len <= DAEMON_RECENT_NAME_MAX) {
		entry = &set->daemons[set->next_daemon];
		set->next_daemon = (set->next_daemon + 1) % DAEMON_RECENT;
		if (set->ndaemons < DAEMON_RECENT)
			set->ndaemons++;
		memcpy(entry->name, daemon.ptr, daemon.len);
		entry->len = daemon.len;
		entry->list = list;
	}
	return list;
}

/*
 * recognise - the rule's recogniser on subject: PATTERN_MATCH with *m
 * filled, PATTERN_NOMATCH, or PATTERN_LIMIT when it is unsure and PCRE2
 * has to run (a recogniser never gives a limit hit).
 */
static enum pattern_result
recognise(const struct pattern_rule *rule, const char *subject, size_t len,
	  struct recognise_memo *memo, struct pattern_match *m)
{
	switch (rule->recognise(subject, len, memo, m->ovector, &m->ngroups)) {
	case RECOGNISE_MATCH:
		m->rule = rule;
		m->subject = subject;
		return PATTERN_MATCH;
	case RECOGNISE_NOMATCH:
		return PATTERN_NOMATCH;
	case RECOGNISE_UNSURE:
		break;
	}
	return PATTERN_LIMIT;
}

/* try_rule - run rule i; fills *m on a match */
static enum pattern_result
try_rule(struct pattern_set *set, size_t i, const char *subject, size_t len,
	 struct recognise_memo *memo, struct pattern_match *m)
{
	struct pattern_rule *rule = &set->rules[i];
	enum pattern_result known;
	PCRE2_SIZE *ov;
	uint32_t count;
	int rc;

	/* NOTE: a subject that fails the gate cannot match, and PCRE2
	 * would fail at its first bytes, so no limit is missed. */
	if (rule->step_gate &&
	    !pattern_gate_pass(&rule->gate, subject, len, memo))
		return PATTERN_NOMATCH;
	if (rule->step_early) {
		known = recognise(rule, subject, len, memo, m);
		if (known != PATTERN_LIMIT)
			return known;
	}

	/* NOTE: a subject that lacks the rule's literal cannot match, so
	 * the rule is not run and cannot hit a limit on that subject. */
	if (rule->step_literal &&
	    !ascii_contains(subject, len, rule->literal, rule->literal_len,
			    rule->literal_anchor))
		return PATTERN_NOMATCH;
	if (rule->step_late) {
		known = recognise(rule, subject, len, memo, m);
		if (known != PATTERN_LIMIT)
			return known;
	}
	rc = run(set, rule->code, &rule->jit, subject, len);
	if (rc < 0)
		return PATTERN_LIMIT;
	if (rc == 0)
		return PATTERN_NOMATCH;

	/* Pairs past rc were not written by this match: never read them. */
	ov = pcre2_get_ovector_pointer(set->md);
	count = (uint32_t)rc;
	if (count > PATTERN_GROUPS_MAX)
		count = PATTERN_GROUPS_MAX;
	m->rule = rule;
	m->subject = subject;
	m->ngroups = count;
	for (uint32_t g = 0; g < 2 * count; g++)
		m->ovector[g] = ov[g];
	return PATTERN_MATCH;
}

/* rule_may_match - the test of rule i for a subject of the first byte
 * c when no rule list is at hand (no daemon, or a full cache) */
static bool
rule_may_match(struct pattern_set *set, size_t i, struct span daemon,
	       unsigned c)
{
	struct pattern_rule *rule = &set->rules[i];

	if (!rule_applies(rule, daemon))
		return false;
	if (set->prefilters_off)
		return true;
	start_bytes(rule);
	return rule_starts(rule, c);
}

enum pattern_result
pattern_set_match(struct pattern_set *set, struct span daemon,
		  const char *subject, size_t len, struct pattern_match *m)
{
	const struct rule_list *list = NULL;
	unsigned c = len > 0 ? (unsigned char)subject[0] : FIRST_EMPTY;
	size_t j = 0, n = set->nrules;
	struct recognise_memo memo;

	if (daemon.ptr != NULL && !set->prefilters_off)
		list = rules_for(set, daemon);
	if (list != NULL) {
		j = list->first[list->class_of[c]];
		n = list->first[list->class_of[c] + 1];
	}

	/* NOTE: the rules that cannot start with the subject's first
	 * byte are not in its list.  They are not run, so they cannot hit
	 * a limit on that subject. */
	recognise_memo_init(&memo);
	for (; j < n; j++) {
		size_t i = list != NULL ? list->index[j] : j;
		enum pattern_result rc;

		if (list == NULL && !rule_may_match(set, i, daemon, c))
			continue;
		rc = try_rule(set, i, subject, len, &memo, m);
		if (rc != PATTERN_NOMATCH)
			return rc;
	}
	return PATTERN_NOMATCH;
}

void
pattern_set_use_recognisers(struct pattern_set *set, bool on)
{
	set->recognisers_off = !on;
	for (size_t i = 0; i < set->nrules; i++)
		set_steps(set, &set->rules[i]);
}

void
pattern_set_use_prefilters(struct pattern_set *set, bool on)
{
	set->prefilters_off = !on;
	for (size_t i = 0; i < set->nrules; i++)
		set_steps(set, &set->rules[i]);
}

bool
pattern_rule_starts(const struct pattern_rule *rule, unsigned char c)
{
	struct pattern_rule copy;

	if (rule->start_known)
		return has_bit(rule->start, c);
	copy = *rule;
	start_bytes(&copy);
	return has_bit(copy.start, c);
}

bool
pattern_rule_recognised(const struct pattern_rule *rule)
{
	return rule->recognise != NULL;
}

const struct pattern_rule *
pattern_set_rule(const struct pattern_set *set, size_t i)
{
	return &set->rules[i];
}

const char *
pattern_set_name(const struct pattern_set *set)
{
	return set->name;
}

const char *
pattern_rule_kind(const struct pattern_rule *rule)
{
	return rule->kind;
}

unsigned long
pattern_rule_line(const struct pattern_rule *rule)
{
	return rule->line;
}

struct span
pattern_rule_literal(const struct pattern_rule *rule)
{
	if (rule->literal_len == 0)
		return span_make(NULL, 0);
	return span_make(rule->literal, rule->literal_len);
}

/* name_is - does the NUL-terminated name at entry equal name? */
static bool
name_is(const unsigned char *entry, const char *name)
{
	size_t i = 0;

	while (entry[i] != '\0' && entry[i] == (unsigned char)name[i])
		i++;
	return entry[i] == (unsigned char)name[i];
}

size_t
pattern_rule_index(const struct pattern_rule *rule)
{
	return rule->index;
}

struct pattern_name
pattern_rule_name(const struct pattern_rule *rule, const char *name)
{
	struct pattern_name n = {0};

	/* groups_fit() keeps every group number below 32. */
	for (uint32_t k = 0; k < rule->nnames; k++) {
		const unsigned char *e = rule->names + (size_t)k * rule->name_entry;
		unsigned group = ((unsigned)e[0] << 8) | e[1];

		if (group < PATTERN_GROUPS_MAX && name_is(e + 2, name))
			n.groups |= UINT32_C(1) << group;
	}
	return n;
}

void
pattern_rule_names(const struct pattern_rule *rule, const char *const *names,
		   size_t n, struct pattern_name *groups)
{
	for (size_t g = 0; g < n; g++)
		groups[g] = pattern_rule_name(rule, names[g]);
}

size_t
pattern_rule_kind_index(const struct pattern_rule *rule,
			const char *const *kinds, size_t n)
{
	size_t k = 0;

	while (k < n && strcmp(rule->kind, kinds[k]) != 0)
		k++;
	return k;
}

int
pattern_set_check_kinds(const struct pattern_set *set, const char *format,
			const char *const *kinds, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < set->nrules; i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);

		if (pattern_rule_kind_index(rule, kinds, n) < n)
			continue;
		diag_emit(DIAG_ERROR, set->name, rule->line, 0,
			  _("unknown rule kind \"%s\" for format %s"),
			  rule->kind, format);
		rc = -1;
	}
	return rc;
}

/* pattern_capture_by() in pattern.h marks an unset group as PCRE2 does. */
_Static_assert(PCRE2_UNSET == PATTERN_UNSET,
	       "PATTERN_UNSET must be PCRE2's mark of an unset group");

struct span
pattern_capture(const struct pattern_match *m, const char *name)
{
	const struct pattern_rule *rule = m->rule;

	/* Entries with the same name are next to each other, in group
	 * order; with duplicate names, the first group that took part
	 * wins. */
	for (uint32_t k = 0; k < rule->nnames; k++) {
		const unsigned char *e = rule->names + (size_t)k * rule->name_entry;
		unsigned group = ((unsigned)e[0] << 8) | e[1];

		if (!name_is(e + 2, name))
			continue;
		if (group >= m->ngroups || m->ovector[2 * group] == PCRE2_UNSET)
			continue;
		return span_make(m->subject + m->ovector[2 * group],
				 m->ovector[2 * group + 1] -
					 m->ovector[2 * group]);
	}
	return span_make(NULL, 0);
}
