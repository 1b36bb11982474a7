/* SPDX-License-Identifier: MIT */
/*
 * classify_rules.c - read the classifier's rule files
 *
 * One directive per line; blank lines and lines starting with "#" are
 * ignored.  Words are separated by blanks and a regular expression is
 * the rest of its line.  doc/reasons.md gives the grammar:
 *
 *	format NAME			"providers" or "reasons": the file
 *	content REASON...		reasons only DATA-stage weak evidence
 *					gives
 *	provider NAME host|text REGEX	how a provider is recognised
 *	on PROVIDER CODES REASON TAG [REGEX]
 *	phrase REASON strong|weak LANG REGEX
 *	code CODES REASON strong|weak [reply=LIST] [stage=LIST]
 *	stage STAGE REASON strong|weak [reply=LIST]
 *	reply CODES REASON
 *
 * Every problem is reported as "NAME:LINE:COL: message" (with PCRE2's
 * text for a regular expression) and its line is skipped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "classify_impl.h"

/* The rule files built into the program by tools/embed.py. */
extern const char providers_pat[];
extern const size_t providers_pat_len;
extern const char reasons_pat[];
extern const size_t reasons_pat_len;

/* Maximum bytes of a directive's word that a message quotes. */
#define QUOTE_MAX 40

/* A line being parsed: its words so far and where it is. */
struct line_ctx {
	const char *name;   /* the file, for diagnostics */
	const char *format; /* its format, or NULL before the line */
	bool format_line;   /* a format line was read, valid or not */
	unsigned long line;
	const char *s;
	size_t len;
	size_t pos; /* next byte to read */
};

/* line_error - a diagnostic at byte col (0-based) of the line */
static void __attribute__((format(printf, 3, 4)))
line_error(const struct line_ctx *ctx, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vemit(DIAG_ERROR, ctx->name, ctx->line, col + 1, fmt, ap);
	va_end(ap);
}

/* next_word - the next blank-separated word; *at gets its offset */
static struct span
next_word(struct line_ctx *ctx, size_t *at)
{
	size_t start;

	while (ctx->pos < ctx->len &&
	       ascii_isblank((unsigned char)ctx->s[ctx->pos]))
		ctx->pos++;
	start = ctx->pos;
	while (ctx->pos < ctx->len &&
	       !ascii_isblank((unsigned char)ctx->s[ctx->pos]))
		ctx->pos++;
	*at = start;
	return span_make(ctx->s + start, ctx->pos - start);
}

/* rest_of_line - the text after the blanks that follow the last word */
static struct span
rest_of_line(struct line_ctx *ctx, size_t *at)
{
	while (ctx->pos < ctx->len &&
	       ascii_isblank((unsigned char)ctx->s[ctx->pos]))
		ctx->pos++;
	*at = ctx->pos;
	return span_make(ctx->s + ctx->pos, ctx->len - ctx->pos);
}

/* word_missing - report a missing word named what at the end of line */
static bool
word_missing(const struct line_ctx *ctx, struct span word, const char *what)
{
	if (word.len > 0)
		return false;
	/* TRANSLATORS: %s names a field of a rule, such as "reason". */
	line_error(ctx, ctx->len, _("missing %s"), _(what));
	return true;
}

/* has_non_ascii - does the span hold a byte of 0x80 or more? */
static bool
has_non_ascii(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] >= 0x80)
			return true;
	return false;
}

/*
 * compile - a caseless regular expression, and in *lits the texts of
 * which its matches contain one; NULL after a diagnostic.  A
 * pattern with non-ASCII characters is compiled in UTF mode with Unicode
 * properties, so that "ü" matches "Ü"; PCRE2_MATCH_INVALID_UTF keeps
 * subjects that are not valid UTF-8 safe to match.  ASCII patterns work
 * on bytes, where caseless matching folds only A-Z.
 */
static pcre2_code *
compile(const struct line_ctx *ctx, struct span re, size_t at,
	struct classify_literals *lits, enum regex_jit *jit)
{
	uint32_t options = PCRE2_CASELESS;
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE erroffset;
	PCRE2_UCHAR msg[256];

	if (has_non_ascii(re))
		options |= PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	classify_literals_read(lits, re.ptr, re.len,
			       (options & PCRE2_UTF) != 0);
	code = pcre2_compile((PCRE2_SPTR)re.ptr, re.len, options, &errcode,
			     &erroffset, NULL);
	if (code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		line_error(ctx, at + erroffset, "%s", (char *)msg);
		return NULL;
	}
	*jit = regex_jit_first();
	return code;
}

/* parse_number - digits of s[*i..len) up to 999; -1 when none or more */
static int
parse_number(const char *s, size_t len, size_t *i)
{
	int value = 0;
	size_t start = *i;

	while (*i < len && ascii_isdigit((unsigned char)s[*i])) {
		if (*i - start == 3)
			return -1;
		value = value * 10 + (s[*i] - '0');
		(*i)++;
	}
	return *i == start ? -1 : value;
}

/* parse_range - "*", "N" or "N-M" of an enhanced code part */
static bool
parse_range(const char *s, size_t len, size_t *i, unsigned short *lo,
	    unsigned short *hi)
{
	int a, b;

	if (*i < len && s[*i] == '*') {
		(*i)++;
		*lo = 0;
		*hi = 999;
		return true;
	}
	a = parse_number(s, len, i);
	if (a < 0)
		return false;
	b = a;
	if (*i < len && s[*i] == '-') {
		(*i)++;
		b = parse_number(s, len, i);
		if (b < a)
			return false;
	}
	*lo = (unsigned short)a;
	*hi = (unsigned short)b;
	return true;
}

/* parse_reply_pattern - "550", "55x" or "5xx" */
static bool
parse_reply_pattern(struct span w, struct code_pattern *p)
{
	unsigned lo = 0, hi = 0;
	bool wild = false;

	if (w.len != 3 || w.ptr[0] < '2' || w.ptr[0] > '5')
		return false;
	for (size_t i = 0; i < 3; i++) {
		char c = w.ptr[i];

		if (c == 'x' || c == 'X') {
			if (i == 0)
				return false;
			wild = true;
			lo = lo * 10;
			hi = hi * 10 + 9;
		} else if (ascii_isdigit((unsigned char)c) && !wild) {
			lo = lo * 10 + (unsigned)(c - '0');
			hi = hi * 10 + (unsigned)(c - '0');
		} else {
			return false;
		}
	}
	p->form = CODE_REPLY;
	p->lo[0] = (unsigned short)lo;
	p->hi[0] = (unsigned short)hi;
	return true;
}

/* parse_code_pattern - "*", a reply pattern or an enhanced pattern */
static bool
parse_code_pattern(struct span w, struct code_pattern *p)
{
	size_t i = 2;

	memset(p, 0, sizeof *p);
	if (w.len == 1 && w.ptr[0] == '*') {
		p->form = CODE_ANY;
		return true;
	}
	if (parse_reply_pattern(w, p))
		return true;
	if (w.len < 5 || w.ptr[1] != '.')
		return false;
	if (w.ptr[0] == 'X')
		p->cls = 0;
	else if (w.ptr[0] == '2' || w.ptr[0] == '4' || w.ptr[0] == '5')
		p->cls = (unsigned char)(w.ptr[0] - '0');
	else
		return false;
	if (!parse_range(w.ptr, w.len, &i, &p->lo[0], &p->hi[0]) ||
	    i >= w.len || w.ptr[i] != '.')
		return false;
	i++;
	if (!parse_range(w.ptr, w.len, &i, &p->lo[1], &p->hi[1]))
		return false;
	p->form = CODE_ENH;
	return i == w.len;
}

bool
code_pattern_matches(const struct code_pattern *p, int reply,
		     const struct enh_status *enh)
{
	switch (p->form) {
	case CODE_ANY:
		return true;
	case CODE_REPLY:
		return reply >= p->lo[0] && reply <= p->hi[0];
	case CODE_ENH:
		return enh != NULL && enh->cls != 0 &&
		       (p->cls == 0 || p->cls == enh->cls) &&
		       enh->subject >= p->lo[0] && enh->subject <= p->hi[0] &&
		       enh->detail >= p->lo[1] && enh->detail <= p->hi[1];
	}
	return false;
}

/* word_reason - the reason named by word, or an error */
static bool
word_reason(const struct line_ctx *ctx, struct span w, size_t at,
	    enum reason *out)
{
	if (reason_lookup(w.ptr, w.len, out))
		return true;
	line_error(ctx, at, _("unknown reason \"%.*s\""),
		   (int)(w.len > QUOTE_MAX ? QUOTE_MAX : w.len), w.ptr);
	return false;
}

/* word_level - "strong" or "weak" */
static bool
word_level(const struct line_ctx *ctx, struct span w, size_t at, bool *strong)
{
	if (span_equal(w, "strong") || span_equal(w, "weak")) {
		*strong = span_equal(w, "strong");
		return true;
	}
	line_error(ctx, at, _("invalid level \"%.*s\"; use strong or weak"),
		   (int)(w.len > QUOTE_MAX ? QUOTE_MAX : w.len), w.ptr);
	return false;
}

/* word_code - a code pattern, or an error */
static bool
word_code(const struct line_ctx *ctx, struct span w, size_t at,
	  struct code_pattern *p)
{
	if (parse_code_pattern(w, p))
		return true;
	line_error(
	    ctx, at,
	    _("invalid code \"%.*s\"; use *, a reply code such as 550 or "
	      "5xx, or an enhanced code such as 5.1.1, X.7.* or "
	      "5.7.606-649"),
	    (int)(w.len > QUOTE_MAX ? QUOTE_MAX : w.len), w.ptr);
	return false;
}

/* stage_lookup - the stage called w */
static bool
stage_lookup(struct span w, enum smtp_stage *out)
{
	for (int s = STAGE_NONE + 1; s < STAGE_COUNT; s++) {
		if (span_equal(w, smtp_stage_name((enum smtp_stage)s))) {
			*out = (enum smtp_stage)s;
			return true;
		}
	}
	return false;
}

/* parse_condition - "reply=550,553" or "stage=CONN,HELO" into rule */
static bool
parse_condition(const struct line_ctx *ctx, struct span w, size_t at,
		bool stages_allowed, struct rule *rule)
{
	bool is_reply = w.len > 6 && memcmp(w.ptr, "reply=", 6) == 0;
	bool is_stage =
	    stages_allowed && w.len > 6 && memcmp(w.ptr, "stage=", 6) == 0;
	size_t start = 6;

	if (!is_reply && !is_stage) {
		line_error(ctx, at,
			   _("invalid condition \"%.*s\"; expected "
			     "reply=CODES%s"),
			   (int)(w.len > QUOTE_MAX ? QUOTE_MAX : w.len), w.ptr,
			   stages_allowed ? " or stage=STAGES" : "");
		return false;
	}
	for (size_t i = start; i <= w.len; i++) {
		struct span item;
		enum smtp_stage stage;

		if (i < w.len && w.ptr[i] != ',')
			continue;
		item = span_make(w.ptr + start, i - start);
		if (is_stage && stage_lookup(item, &stage)) {
			rule->stages |= 1u << stage;
		} else if (is_reply && rule->nreplies < CLASSIFY_CODES_MAX &&
			   parse_reply_pattern(
			       item, &rule->replies[rule->nreplies])) {
			rule->nreplies++;
		} else {
			line_error(
			    ctx, at + start,
			    is_stage ? _("invalid stage \"%.*s\"")
				     : _("invalid reply code \"%.*s\""),
			    (int)(item.len > QUOTE_MAX ? QUOTE_MAX : item.len),
			    item.ptr);
			return false;
		}
		start = i + 1;
	}
	return true;
}

/* parse_conditions - the optional words after a code or stage rule */
static bool
parse_conditions(struct line_ctx *ctx, bool stages_allowed, struct rule *rule)
{
	size_t at;
	struct span w;

	while ((w = next_word(ctx, &at)).len > 0)
		if (!parse_condition(ctx, w, at, stages_allowed, rule))
			return false;
	return true;
}

/* list_add - append a copy of rule to list */
static void
list_add(struct classify_rules *rules, struct rule_list *list,
	 const struct rule *rule)
{
	list->items =
	    xreallocarray(list->items, list->count + 1, sizeof *list->items);
	list->items[list->count] = *rule;
	list->items[list->count].order = rules->order++;
	list->count++;
}

void
rule_clear(struct rule *rule)
{
	pcre2_code_free(rule->re);
	rule->re = NULL;
}

/* provider_find - the index of the provider called w, or -1 */
static int
provider_find(const struct classify_rules *rules, struct span w)
{
	for (size_t i = 0; i < rules->nproviders; i++)
		if (span_equal(w, rules->providers[i]))
			return (int)i;
	return -1;
}

/* valid_name - letters, digits and "-", 1 to max - 1 bytes */
static bool
valid_name(struct span w, size_t max)
{
	if (w.len == 0 || w.len >= max)
		return false;
	for (size_t i = 0; i < w.len; i++)
		if (!ascii_isalnum((unsigned char)w.ptr[i]) && w.ptr[i] != '-')
			return false;
	return true;
}

/* parse_provider - "provider NAME host|text REGEX" */
static bool
parse_provider(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t name_at, how_at, re_at;
	struct span name = next_word(ctx, &name_at);
	struct span how = next_word(ctx, &how_at);
	struct span re = rest_of_line(ctx, &re_at);
	struct provider_match m;
	int index;

	if (word_missing(ctx, name, N_("provider name")) ||
	    word_missing(ctx, how, N_("\"host\" or \"text\"")) ||
	    word_missing(ctx, re, N_("regular expression")))
		return false;
	if (!valid_name(name, CLASSIFY_PROVIDER_MAX)) {
		line_error(ctx, name_at,
			   _("invalid provider name; use up to %d "
			     "letters, digits and \"-\""),
			   CLASSIFY_PROVIDER_MAX - 1);
		return false;
	}
	if (!span_equal(how, "host") && !span_equal(how, "text")) {
		line_error(ctx, how_at, _("expected \"host\" or \"text\""));
		return false;
	}
	index = provider_find(rules, name);
	if (index < 0 && rules->nproviders == CLASSIFY_PROVIDERS_MAX) {
		line_error(ctx, name_at, _("more than %d providers"),
			   CLASSIFY_PROVIDERS_MAX);
		return false;
	}

	m.re = compile(ctx, re, re_at, &m.literals, &m.jit);
	if (m.re == NULL)
		return false;
	if (index < 0) {
		index = (int)rules->nproviders++;
		memcpy(rules->providers[index], name.ptr, name.len);
		rules->providers[index][name.len] = '\0';
	}
	m.provider = index;
	m.by_host = span_equal(how, "host");
	rules->detect = xreallocarray(rules->detect, rules->ndetect + 1,
				      sizeof *rules->detect);
	rules->detect[rules->ndetect++] = m;
	return true;
}

/* valid_tag - "-", "*" or a literal label */
static bool
valid_tag(struct span w)
{
	if (w.len == 0 || w.len >= CLASSIFY_TAG_MAX)
		return false;
	for (size_t i = 0; i < w.len; i++) {
		char c = w.ptr[i];

		if (!ascii_isalnum((unsigned char)c) && c != '-' && c != '.' &&
		    c != '_' && c != '#' && c != '*')
			return false;
	}
	return true;
}

/* parse_on - "on PROVIDER CODES REASON TAG [REGEX]" */
static bool
parse_on(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t p_at, c_at, r_at, t_at, re_at;
	struct span prov = next_word(ctx, &p_at);
	struct span codes = next_word(ctx, &c_at);
	struct span reason = next_word(ctx, &r_at);
	struct span tag = next_word(ctx, &t_at);
	struct span re = rest_of_line(ctx, &re_at);
	struct rule rule;

	memset(&rule, 0, sizeof rule);
	rule.type = RULE_ON;
	rule.strong = true;
	if (word_missing(ctx, prov, N_("provider name")) ||
	    word_missing(ctx, codes, N_("codes")) ||
	    word_missing(ctx, reason, N_("reason")) ||
	    word_missing(ctx, tag, N_("tag")))
		return false;
	rule.provider = provider_find(rules, prov);
	if (rule.provider < 0) {
		line_error(ctx, p_at,
			   _("unknown provider \"%.*s\"; declare it "
			     "with a provider line first"),
			   (int)(prov.len > QUOTE_MAX ? QUOTE_MAX : prov.len),
			   prov.ptr);
		return false;
	}
	if (!word_code(ctx, codes, c_at, &rule.code) ||
	    !word_reason(ctx, reason, r_at, &rule.reason))
		return false;
	if (!valid_tag(tag) ||
	    (span_equal(tag, "-") && rule.code.form == CODE_ANY) ||
	    (span_equal(tag, "*") && re.len == 0)) {
		line_error(ctx, t_at,
			   _("invalid tag; use \"-\" (the code, when "
			     "CODES is not *), \"*\" (the match of REGEX) or a "
			     "label of up to %d letters, digits and \"-._#\""),
			   CLASSIFY_TAG_MAX - 1);
		return false;
	}
	if (rule.code.form == CODE_ANY && re.len == 0) {
		line_error(ctx, c_at,
			   _("a rule for any code needs a regular "
			     "expression"));
		return false;
	}
	memcpy(rule.tag, tag.ptr, tag.len);
	if (re.len > 0 &&
	    (rule.re = compile(ctx, re, re_at, &rule.literals, &rule.jit)) ==
		NULL)
		return false;
	list_add(rules, &rules->on, &rule);
	return true;
}

/* parse_phrase - "phrase REASON LEVEL LANG REGEX" */
static bool
parse_phrase(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t r_at, l_at, g_at, re_at;
	struct span reason = next_word(ctx, &r_at);
	struct span level = next_word(ctx, &l_at);
	struct span lang = next_word(ctx, &g_at);
	struct span re = rest_of_line(ctx, &re_at);
	struct rule rule;

	memset(&rule, 0, sizeof rule);
	rule.type = RULE_PHRASE;
	if (word_missing(ctx, reason, N_("reason")) ||
	    word_missing(ctx, level, N_("level")) ||
	    word_missing(ctx, lang, N_("language")) ||
	    word_missing(ctx, re, N_("regular expression")))
		return false;
	if (!word_reason(ctx, reason, r_at, &rule.reason) ||
	    !word_level(ctx, level, l_at, &rule.strong))
		return false;
	if (lang.len < 2 || lang.len > 3 ||
	    !ascii_islower((unsigned char)lang.ptr[0]) ||
	    !ascii_islower((unsigned char)lang.ptr[1]) ||
	    (lang.len == 3 && !ascii_islower((unsigned char)lang.ptr[2]))) {
		line_error(ctx, g_at,
			   _("invalid language \"%.*s\"; use a "
			     "lower-case ISO 639 code such as en or tr"),
			   (int)(lang.len > QUOTE_MAX ? QUOTE_MAX : lang.len),
			   lang.ptr);
		return false;
	}
	memcpy(rule.lang, lang.ptr, lang.len);
	if ((rule.re = compile(ctx, re, re_at, &rule.literals, &rule.jit)) ==
	    NULL)
		return false;
	list_add(rules, &rules->phrases, &rule);
	return true;
}

/* parse_code - "code CODES REASON LEVEL [reply=...] [stage=...]" */
static bool
parse_code(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t c_at, r_at, l_at;
	struct span codes = next_word(ctx, &c_at);
	struct span reason = next_word(ctx, &r_at);
	struct span level = next_word(ctx, &l_at);
	struct rule rule;

	memset(&rule, 0, sizeof rule);
	rule.type = RULE_CODE;
	if (word_missing(ctx, codes, N_("enhanced code")) ||
	    word_missing(ctx, reason, N_("reason")) ||
	    word_missing(ctx, level, N_("level")))
		return false;
	if (!word_code(ctx, codes, c_at, &rule.code) ||
	    !word_reason(ctx, reason, r_at, &rule.reason) ||
	    !word_level(ctx, level, l_at, &rule.strong) ||
	    !parse_conditions(ctx, true, &rule))
		return false;
	if (rule.code.form != CODE_ENH) {
		line_error(ctx, c_at,
			   _("a code rule needs an enhanced code such "
			     "as 5.1.1 or X.7.*"));
		return false;
	}
	list_add(rules, &rules->codes, &rule);
	return true;
}

/* parse_stage - "stage STAGE REASON LEVEL [reply=...]" */
static bool
parse_stage(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t s_at, r_at, l_at;
	struct span stage = next_word(ctx, &s_at);
	struct span reason = next_word(ctx, &r_at);
	struct span level = next_word(ctx, &l_at);
	struct rule rule;

	memset(&rule, 0, sizeof rule);
	rule.type = RULE_STAGE;
	if (word_missing(ctx, stage, N_("stage")) ||
	    word_missing(ctx, reason, N_("reason")) ||
	    word_missing(ctx, level, N_("level")))
		return false;
	if (!stage_lookup(stage, &rule.stage)) {
		line_error(ctx, s_at,
			   _("unknown stage \"%.*s\"; use CONN, HELO, "
			     "STARTTLS, AUTH, MAIL, RCPT or DATA"),
			   (int)(stage.len > QUOTE_MAX ? QUOTE_MAX : stage.len),
			   stage.ptr);
		return false;
	}
	if (!word_reason(ctx, reason, r_at, &rule.reason) ||
	    !word_level(ctx, level, l_at, &rule.strong) ||
	    !parse_conditions(ctx, false, &rule))
		return false;
	list_add(rules, &rules->stages, &rule);
	return true;
}

/* parse_reply - "reply CODES REASON" */
static bool
parse_reply(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t c_at, r_at, x_at;
	struct span codes = next_word(ctx, &c_at);
	struct span reason = next_word(ctx, &r_at);
	struct span extra;
	struct rule rule;

	memset(&rule, 0, sizeof rule);
	rule.type = RULE_REPLY;
	if (word_missing(ctx, codes, N_("reply code")) ||
	    word_missing(ctx, reason, N_("reason")))
		return false;
	if (!parse_reply_pattern(codes, &rule.code)) {
		line_error(ctx, c_at,
			   _("invalid reply code \"%.*s\"; use 550, "
			     "55x or 5xx"),
			   (int)(codes.len > QUOTE_MAX ? QUOTE_MAX : codes.len),
			   codes.ptr);
		return false;
	}
	if (!word_reason(ctx, reason, r_at, &rule.reason))
		return false;
	extra = next_word(ctx, &x_at);
	if (extra.len > 0) {
		line_error(ctx, x_at, _("unexpected word after the reason"));
		return false;
	}
	list_add(rules, &rules->replies, &rule);
	return true;
}

/* parse_content - "content REASON..." */
static bool
parse_content(struct classify_rules *rules, struct line_ctx *ctx)
{
	size_t at;
	struct span w;
	enum reason r;
	bool any = false;

	while ((w = next_word(ctx, &at)).len > 0) {
		if (!word_reason(ctx, w, at, &r))
			return false;
		rules->content |= UINT64_C(1) << r;
		any = true;
	}
	if (!any)
		line_error(ctx, ctx->len, _("missing reason"));
	return any;
}

/* The directives and the file each belongs in. */
static const struct directive {
	const char *word;
	const char *file;
	bool (*parse)(struct classify_rules *, struct line_ctx *);
} directives[] = {
    {"provider", "providers", parse_provider},
    {"on", "providers", parse_on},
    {"content", "reasons", parse_content},
    {"phrase", "reasons", parse_phrase},
    {"code", "reasons", parse_code},
    {"stage", "reasons", parse_stage},
    {"reply", "reasons", parse_reply},
};

/* parse_format - "format NAME", which must be the file's own name */
static bool
parse_format(struct line_ctx *ctx, const char *expected)
{
	size_t at;
	struct span w = next_word(ctx, &at);

	ctx->format_line = true;
	if (!span_equal(w, "providers") && !span_equal(w, "reasons")) {
		line_error(ctx, at,
			   _("invalid format; use providers or reasons"));
		return false;
	}
	if (!span_equal(w, expected)) {
		line_error(ctx, at,
			   _("format \"%.*s\" does not match the file "
			     "name; expected \"%s\""),
			   (int)w.len, w.ptr, expected);
		return false;
	}
	ctx->format = expected;
	return true;
}

/* parse_line - one directive; false after a diagnostic */
static bool
parse_line(struct classify_rules *rules, struct line_ctx *ctx,
	   const char *expected)
{
	size_t at;
	struct span w = next_word(ctx, &at);

	if (w.len == 0 || w.ptr[0] == '#')
		return true;
	if (span_equal(w, "format"))
		return parse_format(ctx, expected);
	for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++) {
		const struct directive *d = &directives[i];

		if (!span_equal(w, d->word))
			continue;
		if (ctx->format == NULL) {
			line_error(ctx, at, _("\"%s\" before the format line"),
				   d->word);
			return false;
		}
		if (strcmp(d->file, ctx->format) != 0) {
			line_error(ctx, at, _("\"%s\" belongs in %s.pat"),
				   d->word, d->file);
			return false;
		}
		return d->parse(rules, ctx);
	}
	line_error(ctx, at, _("unknown directive \"%.*s\""),
		   (int)(w.len > QUOTE_MAX ? QUOTE_MAX : w.len), w.ptr);
	return false;
}

/* compare_phrase - strong before weak, then by reason, then file order */
static int
compare_phrase(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	if (x->strong != y->strong)
		return x->strong ? -1 : 1;
	if (x->reason != y->reason)
		return x->reason < y->reason ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* file_format - the format a file name implies: its last component
 * without ".pat" */
static void
file_format(const char *name, char *buf, size_t size)
{
	const char *base = strrchr(name, '/');
	size_t len;

	base = base ? base + 1 : name;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".pat") == 0)
		len -= 4;
	if (len >= size)
		len = size - 1;
	memcpy(buf, base, len);
	buf[len] = '\0';
}

int
classify_rules_add(struct classify_rules *rules, const char *text, size_t len,
		   const char *name)
{
	struct line_ctx ctx;
	char expected[32];
	size_t start = 0;
	int rc = 0;

	/* New rules can change any cached result. */
	memo_free(rules->decisions);
	memo_free(rules->generic);
	memo_free(rules->host_matches);
	memo_free(rules->front);
	rules->decisions = NULL;
	rules->generic = NULL;
	rules->host_matches = NULL;
	rules->front = NULL;

	memset(&ctx, 0, sizeof ctx);
	ctx.name = name;
	file_format(name, expected, sizeof expected);
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;

		ctx.line++;
		ctx.s = text + start;
		ctx.len = end - start;
		ctx.pos = 0;
		if (ctx.len > 0 && ctx.s[ctx.len - 1] == '\r')
			ctx.len--;
		if (!parse_line(rules, &ctx, expected))
			rc = -1;
		start = end + 1;
	}
	if (!ctx.format_line) {
		diag_emit(DIAG_ERROR, name, 0, 0,
			  _("missing \"format %s\" line"), expected);
		rc = -1;
	}
	if (rules->phrases.count > 1)
		qsort(rules->phrases.items, rules->phrases.count,
		      sizeof *rules->phrases.items, compare_phrase);
	return rc;
}

struct classify_rules *
classify_rules_new(void)
{
	struct classify_rules *rules = xcalloc(1, sizeof *rules);

	rules->md = pcre2_match_data_create(CLASSIFY_GROUPS, NULL);
	rules->mctx = pcre2_match_context_create(NULL);
	rules->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	/* Without match state no regular expression is tried, so only
	 * codes decide; classify.c checks md. */
	if (rules->md == NULL || rules->mctx == NULL) {
		diag_error(_("out of memory for the classifier's match state"));
		pcre2_match_data_free(rules->md);
		rules->md = NULL;
		return rules;
	}
	if (rules->jit_stack != NULL)
		pcre2_jit_stack_assign(rules->mctx, NULL, rules->jit_stack);
	pcre2_set_match_limit(rules->mctx, CLASSIFY_MATCH_LIMIT);
	pcre2_set_depth_limit(rules->mctx, CLASSIFY_DEPTH_LIMIT);
	return rules;
}

/* list_free - release the rules of a list */
static void
list_free(struct rule_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		rule_clear(&list->items[i]);
	free(list->items);
}

void
classify_rules_free(struct classify_rules *rules)
{
	if (rules == NULL)
		return;
	for (size_t i = 0; i < rules->ndetect; i++)
		pcre2_code_free(rules->detect[i].re);
	free(rules->detect);
	list_free(&rules->on);
	list_free(&rules->phrases);
	list_free(&rules->codes);
	list_free(&rules->stages);
	list_free(&rules->replies);
	pcre2_match_data_free(rules->md);
	pcre2_match_context_free(rules->mctx);
	pcre2_jit_stack_free(rules->jit_stack);
	memo_free(rules->decisions);
	memo_free(rules->generic);
	memo_free(rules->host_matches);
	memo_free(rules->front);
	free(rules);
}

size_t
classify_rules_count(const struct classify_rules *rules)
{
	return rules->ndetect + rules->on.count + rules->phrases.count +
	       rules->codes.count + rules->stages.count + rules->replies.count;
}

/* read_file - the whole file at path, or NULL after a diagnostic */
static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *text;

	if (fp == NULL) {
		diag_emit(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	text = xmalloc(CLASSIFY_FILE_MAX + 1);
	*len = fread(text, 1, CLASSIFY_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		diag_emit(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		free(text);
		text = NULL;
	} else if (*len > CLASSIFY_FILE_MAX) {
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("rule file larger than %d bytes"),
			  CLASSIFY_FILE_MAX);
		free(text);
		text = NULL;
	}
	fclose(fp);
	return text;
}

/* load_one - add the built-in file called name, or DIR/NAME.pat; -1
 * when it cannot be read, 1 when it has invalid lines, else 0 */
static int
load_one(struct classify_rules *rules, const char *dir, const char *name,
	 const char *builtin, size_t builtin_len)
{
	char path[4096];
	char *text;
	size_t len;
	int rc;

	if (dir != NULL) {
		snprintf(path, sizeof path, "%s/%s.pat", dir, name);

		/* As with the extractor patterns, a directory that lacks this
		 * file leaves the built-in one in use. */
		if (access(path, F_OK) == 0 || errno != ENOENT ||
		    access(dir, F_OK) != 0) {
			if ((text = read_file(path, &len)) == NULL)
				return -1;
			rc = classify_rules_add(rules, text, len, path);
			free(text);
			return rc == 0 ? 0 : 1;
		}
	}
	snprintf(path, sizeof path, "(built-in)/%s.pat", name);
	return classify_rules_add(rules, builtin, builtin_len, path) == 0 ? 0
									  : 1;
}

struct classify_rules *
classify_rules_load(const char *dir, int *errors)
{
	struct classify_rules *rules = classify_rules_new();
	int a, b;

	a = load_one(rules, dir, "providers", providers_pat, providers_pat_len);
	b = a < 0
		? -1
		: load_one(rules, dir, "reasons", reasons_pat, reasons_pat_len);
	if (errors != NULL)
		*errors = (a > 0) + (b > 0);
	if (a < 0 || b < 0) {
		classify_rules_free(rules);
		return NULL;
	}
	return rules;
}
