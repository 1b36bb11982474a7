/* SPDX-License-Identifier: MIT */
/*
 * classify.c - a reason for every failure, from data-driven rules
 *
 * The rules are read by classify_rules.c; this file prepares the text,
 * finds the stage, the provider and a nested reply, and weighs the
 * evidence in the order that classify.h gives.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/namemask.h"
#include "bouncelog/xalloc.h"
#include "classify_impl.h"

/* The evidence of one failure.  NOTE: decisions are cached under the
 * fields copied into struct decision_head and the normalized text, and
 * those of decide_generic() under struct generic_head and the masked
 * text, so a field that decide() starts to read must be copied there
 * too. */
struct input {
	const char *raw; /* the reason text as logged */
	size_t raw_len;
	size_t len;	       /* of the normalized text in rules->text */
	int reply_code;	       /* 0 when none */
	struct enh_status enh; /* the reply's, else the log's */
	int cause_code;	       /* of a nested reply; 0 when none */
	struct enh_status cause_enh;
	struct span host; /* the remote host; absent for rejections */
	enum smtp_stage stage;
	int provider; /* index, or -1 */
	bool failed;  /* a code or the log says the delivery failed
		       * (failure_evidence()), so a success code in the
		       * text explains nothing */
};

/* rule_allowed - may a rule that gives reason decide for in?  Whichever
 * rule file contains such a rule, a failure is never delivered, and
 * neither is a reply of a class other than 2 (such as "354"). */
static bool
rule_allowed(const struct input *in, enum reason reason)
{
	if (reason != REASON_DELIVERED)
		return true;
	return !in->failed &&
	       (in->reply_code == 0 || in->reply_code / 100 == 2);
}

/* The default rule set of classify_event(), one per thread because a
 * set keeps scratch buffers and caches, and the folder its files come
 * from (NULL for the built-in ones), set by classify_init(). */
static _Thread_local struct classify_rules *default_rules;
static char *default_dir;

/* is_address_stop - a byte that ends an address token */
static bool
is_address_stop(char c)
{
	return c == ' ' || c == '<' || c == '>' || c == '(' || c == ')' ||
	       c == '[' || c == ']' || c == '"' || c == '\'' || c == ',' ||
	       c == ';' || c == ':' || c == '=';
}

/* is_host_byte - a byte of a host name */
static bool
is_host_byte(char c)
{
	return ascii_isalnum((unsigned char)c) || c == '.' || c == '-' ||
	       c == '_';
}

/* replace - put the text repl in place of s[from..to) of a string of *n
 * bytes; repl is never longer than the part it replaces */
static void
replace(char *s, size_t *n, size_t from, size_t to, const char *repl)
{
	size_t k = strlen(repl);

	memcpy(s + from, repl, k);
	memmove(s + from + k, s + to, *n - to);
	*n -= to - from - k;
	s[*n] = '\0';
}

/* mask_addresses - "<spam@example.com>" becomes "<@>", so that an
 * address never reads as a phrase */
static void
mask_addresses(char *s, size_t *n)
{
	const char *at = memchr(s, '@', *n);

	while (at != NULL) {
		size_t i = (size_t)(at - s), l = i, r = i + 1;

		while (l > 0 && !is_address_stop(s[l - 1]))
			l--;
		while (r < *n && !is_address_stop(s[r]))
			r++;
		while (r > i + 1 && s[r - 1] == '.')
			r--;
		replace(s, n, l, r, "@");

		/* The search goes on after the "@" that replaced the address. */
		at = memchr(s + l + 1, '@', *n - (l + 1));
	}
}

/* mask_hosts - "mx.example.com[192.0.2.1]" becomes "[]"; a bracket after
 * a blank ("[TSS04]", "Client host [192.0.2.1]") stays */
static void
mask_hosts(char *s, size_t *n)
{
	size_t from = 1; /* where the search for the next "[" starts */
	const char *open;

	while (from < *n && (open = memchr(s + from, '[', *n - from)) != NULL) {
		size_t i = (size_t)(open - s), l = i, close;
		bool dotted = false;

		from = i + 1;
		if (!is_host_byte(s[i - 1]))
			continue;
		while (l > 0 && is_host_byte(s[l - 1])) {
			dotted = dotted || s[l - 1] == '.';
			l--;
		}
		for (close = i + 1; close < *n && close - i < 64; close++)
			if (s[close] == ']' || s[close] == ' ')
				break;
		if (!dotted || close >= *n || s[close] != ']')
			continue;
		replace(s, n, l, close + 1, "[]");
		from = l + 2;
	}
}

/* is_continuation - does the token at s (len bytes) repeat the reply
 * code as a continuation line starts ("550-5.7.1", "550-")? */
static bool
is_continuation(const char *s, size_t len, int reply_code)
{
	unsigned code = (unsigned)reply_code % 1000;

	/* Digits by hand: this runs for every word of a failure's text. */
	if (reply_code == 0 || len < 4 || s[3] != '-')
		return false;
	return s[0] == (char)('0' + code / 100) &&
	       s[1] == (char)('0' + code / 10 % 10) &&
	       s[2] == (char)('0' + code % 10);
}

/* drop_continuations - remove the code prefixes of a joined multi-line
 * reply after its first line, so that a phrase broken over two lines
 * still reads as one */
static void
drop_continuations(char *s, size_t *n, int reply_code)
{
	size_t out = 0, i = 0;
	bool first = true;

	/* Without a reply code no word is dropped. */
	if (reply_code == 0) {
		while (*n > 0 && s[*n - 1] == ' ')
			(*n)--;
		s[*n] = '\0';
		return;
	}

	while (i < *n) {
		size_t end = i, next;
		struct enh_status st;

		while (end < *n && s[end] != ' ')
			end++;
		next = end < *n ? end + 1 : end;
		if (!first && is_continuation(s + i, end - i, reply_code)) {
			/* "554-Bad DNS PTR": keep the word after the prefix. */
			if (end - i == 4 ||
			    status_parse_enhanced(s + i + 4, end - i - 4, &st) > 0) {
				i = next;
				continue;
			}
			i += 4;
		}

		/* "550 5.7.1" in the middle: the last line of the reply. */
		if (!first && end - i == 3 && reply_code != 0 &&
		    status_parse_reply(s + i, 3) == reply_code && next < *n &&
		    status_parse_enhanced(s + next, *n - next, &st) > 0) {
			i = next;
			continue;
		}
		if (out != i)
			memmove(s + out, s + i, next - i);
		out += next - i;
		i = next;
		first = false;
	}
	while (out > 0 && s[out - 1] == ' ')
		out--;
	*n = out;
	s[out] = '\0';
}

/* Bytes of one word of classify_squeeze(), and that word's masks. */
#define WORD_BYTES 8
#define WORD_ONES UINT64_C(0x0101010101010101)
#define WORD_HIGHS UINT64_C(0x8080808080808080)

/* equal_bytes - 0x80 in each byte of w that equals c, else 0.  No carry
 * crosses a byte, so the result is exact for every byte. */
static uint64_t
equal_bytes(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (WORD_ONES * c);

	return ~(((x & ~WORD_HIGHS) + ~WORD_HIGHS) | x) & WORD_HIGHS;
}

/* control_bytes - 0x80 in each byte of w below 0x20, else 0 */
static uint64_t
control_bytes(uint64_t w)
{
	return ~((w & ~WORD_HIGHS) + WORD_ONES * 0x60) & ~w & WORD_HIGHS;
}

/*
 * plain_word - can the 8 bytes at in be copied as they are to out + n?
 * They can when none is a control byte or DEL, and every space follows
 * a byte that is no blank: in the word, or out[n - 1] for the first.
 * The word's first byte is its lowest (little-endian).
 */
static bool
plain_word(const char *out, size_t n, const char *in)
{
	uint64_t w, space, before;

	memcpy(&w, in, sizeof w);
	space = equal_bytes(w, ' ');
	before = (space << 8) | (n == 0 || out[n - 1] == ' ' ? 0x80 : 0);
	return (control_bytes(w) | equal_bytes(w, 0x7f) | (space & before)) ==
	       0;
}

size_t
classify_squeeze(char *out, const char *in, size_t len, bool by_words)
{
	size_t n = 0, i = 0, bytewise_until = 0;

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	by_words = false;
#endif
	while (i < len && n < CLASSIFY_TEXT_MAX) {
		unsigned char c;

		/* Most words of a reply are copied 8 bytes at once.  After a
		 * word that is not plain, its bytes go one at a time. */
		if (by_words && i >= bytewise_until && len - i >= WORD_BYTES &&
		    CLASSIFY_TEXT_MAX - n >= WORD_BYTES) {
			if (plain_word(out, n, in + i)) {
				memcpy(out + n, in + i, WORD_BYTES);
				n += WORD_BYTES;
				i += WORD_BYTES;
				continue;
			}
			bytewise_until = i + WORD_BYTES;
		}

		/* Control bytes, DEL and the space are blanks. */
		c = (unsigned char)in[i++];
		if (c > ' ' && c != 0x7f)
			out[n++] = (char)c;
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	out[n] = '\0';
	return n;
}

size_t
classify_next_4_or_5(const char *s, size_t from, size_t len, bool by_words)
{
	size_t i = from;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (by_words && i < len && len - i >= WORD_BYTES) {
		uint64_t w, found;

		memcpy(&w, s + i, sizeof w);
		found = equal_bytes(w, '4') | equal_bytes(w, '5');
		if (found != 0)
			return i + (size_t)__builtin_ctzll(found) / 8;
		i += WORD_BYTES;
	}
#else
	(void)by_words;
#endif
	while (i < len && s[i] != '4' && s[i] != '5')
		i++;
	return i < len ? i : len;
}

/*
 * normalize - the text that phrases see: control bytes and blank runs
 * become one space, then addresses and host[address] tokens are masked
 * and continuation codes dropped
 */
static size_t
normalize(char *out, const char *in, size_t len, int reply_code)
{
	size_t n = classify_squeeze(out, in, len, true);

	mask_addresses(out, &n);
	mask_hosts(out, &n);
	drop_continuations(out, &n, reply_code);
	return n;
}

/* The SMTP stage named by a log's stage field, by its first word. */
static const struct {
	const char *word;
	enum smtp_stage stage;
} stage_words[] = {
    {"CONNECT", STAGE_CONN},	   {"CONN", STAGE_CONN},
    {"connection", STAGE_CONN},	   {"greeting", STAGE_CONN},
    {"EHLO", STAGE_HELO},	   {"HELO", STAGE_HELO},
    {"LHLO", STAGE_HELO},	   {"STARTTLS", STAGE_STARTTLS},
    {"AUTH", STAGE_AUTH},	   {"MAIL", STAGE_MAIL},
    {"RCPT", STAGE_RCPT},	   {"DATA", STAGE_DATA},
    {"after DATA", STAGE_DATA},	   {"END-OF-MESSAGE", STAGE_DATA},
    {"BDAT", STAGE_DATA},	   {"header", STAGE_DATA},
    {"body", STAGE_DATA},	   {"mime-header", STAGE_DATA},
    {"nested-header", STAGE_DATA}, {"MIME", STAGE_DATA},
    {"DKIM", STAGE_DATA},	   {"local_scan()", STAGE_DATA},
    {"non-SMTP", STAGE_DATA},
};

/*
 * Words that begin most stage markers.  A marker is searched for only
 * when its group's word occurs in the text, because a text without the
 * word cannot contain the marker.  So the result is the same as that of
 * searching every marker, with fewer searches.
 */
enum marker_group {
	GROUP_IN_REPLY,
	GROUP_AFTER,
	GROUP_REFUSED,
	MARKER_GROUPS,
	GROUP_NONE = MARKER_GROUPS, /* searched always */
};

static const struct ascii_needle marker_group_words[MARKER_GROUPS] = {
    ASCII_NEEDLE("in reply to ", 7),
    ASCII_NEEDLE("after ", 1),
    ASCII_NEEDLE("refused to ", 2),
};

/* Texts that name the command a reply was sent for (Postfix "in reply
 * to", Exim "after"), searched in this order.  Each begins with the word
 * of its group. */
static const struct {
	struct ascii_needle marker;
	enum smtp_stage stage;
	enum marker_group group;
} stage_markers[] = {
    {ASCII_NEEDLE("in reply to RCPT TO", 5), STAGE_RCPT, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to MAIL FROM", 5), STAGE_MAIL, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to end of DATA", 5), STAGE_DATA, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to DATA", 5), STAGE_DATA, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to BDAT", 12), STAGE_DATA, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to EHLO", 5), STAGE_HELO, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to HELO", 5), STAGE_HELO, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to LHLO", 5), STAGE_HELO, GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to STARTTLS", 5), STAGE_STARTTLS,
     GROUP_IN_REPLY},
    {ASCII_NEEDLE("in reply to AUTH", 5), STAGE_AUTH, GROUP_IN_REPLY},
    {ASCII_NEEDLE("refused to talk to me", 14), STAGE_CONN, GROUP_REFUSED},
    {ASCII_NEEDLE("refused to start TLS", 2), STAGE_STARTTLS, GROUP_REFUSED},
    {ASCII_NEEDLE("initial server greeting", 11), STAGE_CONN, GROUP_NONE},
    {ASCII_NEEDLE("SASL authentication failed", 20), STAGE_AUTH,
     GROUP_NONE},
    {ASCII_NEEDLE("after RCPT TO", 8), STAGE_RCPT, GROUP_AFTER},
    {ASCII_NEEDLE("after pipelined RCPT TO", 6), STAGE_RCPT, GROUP_AFTER},
    {ASCII_NEEDLE("after MAIL FROM", 1), STAGE_MAIL, GROUP_AFTER},
    {ASCII_NEEDLE("after pipelined MAIL FROM", 6), STAGE_MAIL, GROUP_AFTER},
    {ASCII_NEEDLE("after end of data", 1), STAGE_DATA, GROUP_AFTER},
    {ASCII_NEEDLE("after DATA", 1), STAGE_DATA, GROUP_AFTER},
    {ASCII_NEEDLE("after pipelined DATA", 6), STAGE_DATA, GROUP_AFTER},
    {ASCII_NEEDLE("after BDAT", 6), STAGE_DATA, GROUP_AFTER},
    {ASCII_NEEDLE("after initial connection", 1), STAGE_CONN, GROUP_AFTER},
    {ASCII_NEEDLE("after EHLO", 1), STAGE_HELO, GROUP_AFTER},
    {ASCII_NEEDLE("after HELO", 1), STAGE_HELO, GROUP_AFTER},
    {ASCII_NEEDLE("after STARTTLS", 1), STAGE_STARTTLS, GROUP_AFTER},
    {ASCII_NEEDLE("after AUTH", 1), STAGE_AUTH, GROUP_AFTER},
};

/* find_stage - the stage from the log's field, else from the text */
static enum smtp_stage
find_stage(struct span field, const char *text, size_t len)
{
	signed char present[MARKER_GROUPS] = {-1, -1, -1}; /* -1: unknown */
	size_t n;

	for (size_t i = 0; field.ptr != NULL &&
			   i < sizeof stage_words / sizeof stage_words[0];
	     i++) {
		n = strlen(stage_words[i].word);
		if (field.len >= n &&
		    ascii_casecmp_n(field.ptr, stage_words[i].word, n) &&
		    (field.len == n || field.ptr[n] == ' '))
			return stage_words[i].stage;
	}
	for (size_t i = 0;
	     text != NULL && i < sizeof stage_markers / sizeof stage_markers[0];
	     i++) {
		enum marker_group g = stage_markers[i].group;

		if (g != GROUP_NONE && present[g] < 0)
			present[g] = ascii_casefind(text, len,
						    &marker_group_words[g]) !=
				     NULL;
		if (g != GROUP_NONE && present[g] == 0)
			continue;
		if (ascii_casefind(text, len, &stage_markers[i].marker) != NULL)
			return stage_markers[i].stage;
	}
	return STAGE_NONE;
}

/* Texts after which a server quotes another server's reply. */
static const char *const cause_markers[] = {
    "said: ",  "responded with: \"", "responded with: ",
    "Error: ", "returned '",	     "error ",
};

/* nested_at - a reply that starts at s[i]: a 4xx or 5xx code, then a
 * blank or "-", then (after an optional quote) an enhanced code unless
 * the code follows one of cause_markers */
static bool
nested_at(const char *s, size_t len, size_t i, int *code,
	  struct enh_status *enh)
{
	size_t p = i + 4;
	bool marked = false;

	if (i + 4 > len || (s[i] != '4' && s[i] != '5'))
		return false;
	if (i > 0 &&
	    (ascii_isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
	     s[i - 1] == '#' || s[i - 1] == '[' || s[i - 1] == '='))
		return false;
	*code = status_parse_reply(s + i, len - i);
	if (*code == 0 || len - i < 4)
		return false;
	for (size_t m = 0; m < sizeof cause_markers / sizeof cause_markers[0];
	     m++) {
		size_t k = strlen(cause_markers[m]);

		marked = marked ||
			 (i >= k && ascii_casecmp_n(s + i - k, cause_markers[m],
						    k));
	}
	if (p < len && (s[p] == '\'' || s[p] == '"'))
		p++;
	if (p < len && status_parse_enhanced(s + p, len - p, enh) > 0)
		return true;
	memset(enh, 0, sizeof *enh);
	return marked;
}

/* find_cause - a reply nested inside ev's reply, such as another
 * server's reply that Exchange quotes inside its own */
static void
find_cause(const struct event *ev, struct input *in, struct span *cause)
{
	const char *s = ev->text.ptr;
	size_t len = ev->text.len, from = 0;

	*cause = span_make(NULL, 0);
	if (s == NULL)
		return;

	/* Start after the first code of the reply, or of the text. */
	if (span_present(ev->reply))
		from = (size_t)(ev->reply.ptr - s) + 4;
	else if (len >= 5 && status_parse_enhanced(s, len, &in->cause_enh) > 0)
		from = 5;

	/* nested_at() rejects a byte other than "4" or "5" first, so only
	 * those bytes are tried. */
	for (size_t i = classify_next_4_or_5(s, from, len, true); i < len;
	     i = classify_next_4_or_5(s, i + 1, len, true)) {
		char open, close;
		size_t end = len;

		if (!nested_at(s, len, i, &in->cause_code, &in->cause_enh))
			continue;
		open = i > 0 ? s[i - 1] : ' ';
		close = open == '<' ? '>' : open;

		/* "<421 4.4.2 ...>" and quoted replies lose their closer. */
		if ((open == '<' || open == '"' || open == '\'') &&
		    s[end - 1] == close)
			end--;
		*cause = span_make(s + i, end - i);
		return;
	}
	in->cause_code = 0;
	memset(&in->cause_enh, 0, sizeof in->cause_enh);
}

/*
 * run - one match of re on s; >0 on a match.  A text that lacks every
 * literal of re (lits) cannot match, so PCRE2 is not called for it: 0 is
 * what PCRE2 would give, or an error that counts as no match too.
 * pairs are those of s, or NULL.
 */
static int
run(struct classify_rules *rules, pcre2_code *re, enum regex_jit *jit,
    const struct classify_literals *lits, const char *s, size_t len,
    const struct classify_pairs *pairs)
{
	if (rules->md == NULL)
		return 0;
	if (!rules->uncached &&
	    !classify_literals_may_match(lits, s, len, pairs))
		return 0;

	/* pcre2_jit_match() skips the checks that JIT code does not
	 * need. */
	if (regex_jit_ready(re, jit))
		return pcre2_jit_match(re, (PCRE2_SPTR)s, len, 0, 0,
				       rules->md, rules->mctx);
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, rules->md,
			   rules->mctx);
}

/* first_host_match - the index in rules->detect of the first provider
 * pattern that matches the remote host name, or ndetect */
static size_t
first_host_match(struct classify_rules *rules, const struct input *in)
{
	if (in->host.len == 0)
		return rules->ndetect;
	classify_pairs_build(&rules->host_pairs, in->host.ptr, in->host.len);
	for (size_t i = 0; i < rules->ndetect; i++) {
		struct provider_match *m = &rules->detect[i];

		if (m->by_host &&
		    run(rules, m->re, &m->jit, &m->literals, in->host.ptr,
			in->host.len, &rules->host_pairs) > 0)
			return i;
	}
	return rules->ndetect;
}

/* first_text_match - the index of the first provider pattern before
 * limit that matches the normalized text, or limit */
static size_t
first_text_match(struct classify_rules *rules, const struct input *in,
		 size_t limit)
{
	for (size_t i = 0; i < limit; i++) {
		struct provider_match *m = &rules->detect[i];

		if (!m->by_host &&
		    run(rules, m->re, &m->jit, &m->literals, rules->text,
			in->len, &rules->text_pairs) > 0)
			return i;
	}
	return limit;
}

/* host_match - first_host_match(), remembered per host name */
static size_t
host_match(struct classify_rules *rules, const struct input *in)
{
	const size_t *known;
	size_t found;

	if (in->host.len == 0)
		return rules->ndetect;
	if (rules->uncached)
		return first_host_match(rules, in);
	if (rules->host_matches == NULL)
		rules->host_matches =
		    memo_new(CLASSIFY_HOST_SLOTS, CLASSIFY_HOST_ARENA,
			     CLASSIFY_HOST_KEY_MAX, sizeof found);
	known = memo_get(rules->host_matches, in->host.ptr, in->host.len);
	if (known != NULL)
		return *known;
	found = first_host_match(rules, in);
	memo_put(rules->host_matches, in->host.ptr, in->host.len, &found);
	return found;
}

/* set_result - the decision and its evidence */
static void __attribute__((format(printf, 3, 4)))
set_result(struct classification *out, enum reason reason, const char *fmt, ...)
{
	va_list ap;

	out->reason = reason;
	va_start(ap, fmt);
	vsnprintf(out->evidence, sizeof out->evidence, fmt, ap);
	va_end(ap);
}

/* match_label - the part of the text that a provider rule's "*" tag
 * names: group 1 when set, else the whole match, with bytes outside
 * [A-Za-z0-9._#-] replaced */
static void
match_label(struct classify_rules *rules, char *buf, size_t size)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rules->md);
	uint32_t pairs = pcre2_get_ovector_count(rules->md);
	size_t from = ov[0], to = ov[1], n = 0;

	if (pairs > 1 && ov[2] != PCRE2_UNSET) {
		from = ov[2];
		to = ov[3];
	}
	for (size_t i = from; i < to && n + 1 < size; i++) {
		char c = rules->text[i];

		buf[n++] = ascii_isalnum((unsigned char)c) || c == '.' ||
				   c == '-' || c == '_' || c == '#'
			       ? c
			       : '_';
	}
	buf[n] = '\0';
}

/* code_label - the code that a provider rule's "-" tag names */
static void
code_label(const struct rule *rule, const struct input *in, char *buf,
	   size_t size)
{
	char enh[ENH_STATUS_LEN];

	if (rule->code.form == CODE_REPLY) {
		int code =
		    code_pattern_matches(&rule->code, in->cause_code, NULL)
			? in->cause_code
			: in->reply_code;

		snprintf(buf, size, "%03d", code % 1000);
		return;
	}
	if (code_pattern_matches(&rule->code, 0, &in->cause_enh))
		status_format_enhanced(&in->cause_enh, enh);
	else
		status_format_enhanced(&in->enh, enh);
	snprintf(buf, size, "%s", enh);
}

/* codes_fit - does a rule's code pattern match the cause or the reply? */
static bool
codes_fit(const struct rule *rule, const struct input *in)
{
	return code_pattern_matches(&rule->code, in->cause_code,
				    &in->cause_enh) ||
	       code_pattern_matches(&rule->code, in->reply_code, &in->enh);
}

/* try_provider - level 1: the detected provider's own rules */
static bool
try_provider(struct classify_rules *rules, const struct input *in,
	     struct classification *out)
{
	char label[CLASSIFY_TAG_MAX];

	for (size_t i = 0; in->provider >= 0 && i < rules->on.count; i++) {
		struct rule *r = &rules->on.items[i];

		if (r->provider != in->provider || !codes_fit(r, in) ||
		    !rule_allowed(in, r->reason))
			continue;
		if (r->re != NULL &&
		    run(rules, r->re, &r->jit, &r->literals, rules->text,
			in->len, &rules->text_pairs) <= 0)
			continue;
		if (strcmp(r->tag, "*") == 0)
			match_label(rules, label, sizeof label);
		else if (strcmp(r->tag, "-") == 0)
			code_label(r, in, label, sizeof label);
		else
			snprintf(label, sizeof label, "%s", r->tag);
		set_result(out, r->reason, "provider:%s:%s",
			   rules->providers[r->provider], label);
		return true;
	}
	return false;
}

/* vetoed - weak evidence may not give a content reason before DATA */
static bool
vetoed(const struct classify_rules *rules, const struct input *in,
       enum reason reason)
{
	return (rules->content & (UINT64_C(1) << reason)) != 0 &&
	       in->stage != STAGE_NONE && in->stage != STAGE_DATA;
}

/* try_phrases - levels 2 and 5: the first phrase of the level that
 * matches, in reason order */
static bool
try_phrases(struct classify_rules *rules, const struct input *in, bool strong,
	    struct classification *out)
{
	for (size_t i = 0; i < rules->phrases.count; i++) {
		struct rule *r = &rules->phrases.items[i];

		if (r->strong != strong || !rule_allowed(in, r->reason) ||
		    (!strong && vetoed(rules, in, r->reason)))
			continue;
		if (run(rules, r->re, &r->jit, &r->literals, rules->phrase_text,
			rules->phrase_len, &rules->phrase_pairs) <= 0)
			continue;
		set_result(out, r->reason, "phrase:%s:%s",
			   reason_name(r->reason), r->lang);
		return true;
	}
	return false;
}

/* conditions_hold - the reply= and stage= conditions of a rule */
static bool
conditions_hold(const struct rule *r, const struct input *in)
{
	bool reply_ok = r->nreplies == 0;

	for (size_t k = 0; k < r->nreplies; k++)
		reply_ok =
		    reply_ok ||
		    code_pattern_matches(&r->replies[k], in->reply_code, NULL);
	return reply_ok && (r->stages == 0 || (r->stages & (1u << in->stage)));
}

/* find_code_rule - the first code rule for enh; NULL when none */
static const struct rule *
find_code_rule(const struct classify_rules *rules, const struct input *in,
	       const struct enh_status *enh)
{
	if (enh->cls == 0 || (enh->cls == 2 && in->failed))
		return NULL;
	for (size_t i = 0; i < rules->codes.count; i++) {
		const struct rule *r = &rules->codes.items[i];

		if (code_pattern_matches(&r->code, 0, enh) &&
		    rule_allowed(in, r->reason) && conditions_hold(r, in))
			return r;
	}
	return NULL;
}

/*
 * try_codes - levels 3 and 6: the cause's enhanced code, then the
 * reply's.  A rule that gives onhold decides nothing, and at level 6 a
 * content reason before DATA is skipped.
 */
static bool
try_codes(const struct classify_rules *rules, const struct input *in,
	  bool strong, struct classification *out)
{
	const struct enh_status *codes[] = {&in->cause_enh, &in->enh};
	char buf[ENH_STATUS_LEN];

	for (size_t k = 0; k < 2; k++) {
		const struct rule *r = find_code_rule(rules, in, codes[k]);

		if (r == NULL || r->strong != strong ||
		    r->reason == REASON_ONHOLD ||
		    (!strong && vetoed(rules, in, r->reason)))
			continue;
		set_result(out, r->reason, "code:%s",
			   status_format_enhanced(codes[k], buf));
		return true;
	}
	return false;
}

/* try_stages - levels 4 and 7: the first stage default that applies */
static bool
try_stages(const struct classify_rules *rules, const struct input *in,
	   bool strong, struct classification *out)
{
	for (size_t i = 0; in->stage != STAGE_NONE && i < rules->stages.count;
	     i++) {
		const struct rule *r = &rules->stages.items[i];

		if (r->strong != strong || r->stage != in->stage ||
		    !rule_allowed(in, r->reason) || !conditions_hold(r, in))
			continue;
		set_result(out, r->reason, "stage:%s",
			   smtp_stage_name(in->stage));
		return true;
	}
	return false;
}

/* try_replies - level 8: the cause's reply code, then the reply's.  An
 * onhold rule is kept as the result only when no other rule fits. */
static bool
try_replies(const struct classify_rules *rules, const struct input *in,
	    struct classification *out)
{
	const int codes[] = {in->cause_code, in->reply_code};

	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; codes[k] != 0 && i < rules->replies.count;
		     i++) {
			const struct rule *r = &rules->replies.items[i];

			if (!code_pattern_matches(&r->code, codes[k], NULL) ||
			    !rule_allowed(in, r->reason))
				continue;
			set_result(out, r->reason, "reply:%03d",
				   codes[k] % 1000);
			if (r->reason != REASON_ONHOLD)
				return true;
			break;
		}
	}
	return out->reason == REASON_ONHOLD;
}

/* is_success - a 2xx reply, or a 2.x.x code with no reply code, when
 * no code in the text and no log status shows that the delivery failed */
static bool
is_success(const struct input *in, struct classification *out)
{
	char buf[ENH_STATUS_LEN];

	if (in->failed)
		return false;
	if (in->reply_code >= 200 && in->reply_code < 300) {
		set_result(out, REASON_DELIVERED, "reply:%03d", in->reply_code);
		return true;
	}
	if (in->reply_code == 0 && in->enh.cls == 2) {
		set_result(out, REASON_DELIVERED, "code:%s",
			   status_format_enhanced(&in->enh, buf));
		return true;
	}
	return false;
}

/* has_word - does the text hold a letter or digit?  Punctuation alone
 * ("-", "()") is no usable text.  Bytes above 0x7f count as letters. */
static bool
has_word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (ascii_isalnum((unsigned char)s[i]) ||
		    (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/*
 * decide_generic - levels 2 to 9, after the provider's rules gave
 * nothing.  Reads only the fields of struct generic_head and
 * rules->phrase_text (see generic_key()); out's reason and evidence must
 * still be empty.
 */
static void
decide_generic(struct classify_rules *rules, const struct input *in,
	       bool text_has_word, struct classification *out)
{
	/* About a hundred phrases read phrase_text, so its pairs pay for
	 * themselves; the few provider patterns search without them. */
	classify_pairs_build(&rules->phrase_pairs, rules->phrase_text,
			     rules->phrase_len);
	if (try_phrases(rules, in, true, out) ||
	    try_codes(rules, in, true, out) ||
	    try_stages(rules, in, true, out) ||
	    try_phrases(rules, in, false, out) ||
	    try_codes(rules, in, false, out) ||
	    try_stages(rules, in, false, out) || try_replies(rules, in, out))
		return;

	if (in->reply_code != 0 || in->enh.cls != 0 || text_has_word)
		set_result(out, REASON_ONHOLD, "%s", "");
	else
		set_result(out, REASON_UNDEFINED, "%s", "");
}

/*
 * What decide_generic() reads besides the phrase text.  Fixed-width
 * fields with no padding, so equal evidence gives equal keys.
 */
struct generic_head {
	int32_t reply_code;
	int32_t cause_code;
	uint16_t enh[3];	/* class, subject, detail */
	uint16_t cause_enh[3];
	uint16_t stage;
	uint16_t failed;	/* struct input's failed, 0 or 1 */
	uint16_t has_word;	/* has_word() of the normalized text */
	uint16_t unused;	/* always 0 */
};

_Static_assert(sizeof(struct generic_head) == 28,
	       "struct generic_head must have no padding");

/* The cached result of decide_generic(). */
struct generic_result {
	enum reason reason;
	char evidence[CLASSIFY_EVIDENCE_MAX];
};

/* generic_key - the key of decide_generic()'s evidence in
 * rules->generic_key; returns its length, or 0 when the key does not fit
 * (such texts are not cached) */
static size_t
generic_key(struct classify_rules *rules, const struct input *in,
	    bool text_has_word)
{
	struct generic_head head;

	if (sizeof head + rules->phrase_len > sizeof rules->generic_key)
		return 0;
	memset(&head, 0, sizeof head);
	head.reply_code = in->reply_code;
	head.cause_code = in->cause_code;
	head.enh[0] = in->enh.cls;
	head.enh[1] = in->enh.subject;
	head.enh[2] = in->enh.detail;
	head.cause_enh[0] = in->cause_enh.cls;
	head.cause_enh[1] = in->cause_enh.subject;
	head.cause_enh[2] = in->cause_enh.detail;
	head.stage = (uint16_t)in->stage;
	head.failed = in->failed;
	head.has_word = text_has_word;
	memcpy(rules->generic_key, &head, sizeof head);
	memcpy(rules->generic_key + sizeof head, rules->phrase_text,
	       rules->phrase_len);
	return sizeof head + rules->phrase_len;
}

/*
 * decide_generic_cached - decide_generic(), or its result for the same
 * key.  Replies that differ only in host names, IPv4 addresses and URLs
 * (a queue id inside a host name, a tracking link) share one entry.
 * That is exact: the key contains everything decide_generic() reads, and
 * the phrases match rules->phrase_text, where those parts are masked
 * already.  The provider's rules, which see the text unmasked, never
 * come here.
 */
static void
decide_generic_cached(struct classify_rules *rules, const struct input *in,
		      struct classification *out)
{
	bool text_has_word = has_word(rules->text, in->len);
	size_t key_len;
	const struct generic_result *known;
	struct generic_result fresh;

	if (rules->uncached) {
		decide_generic(rules, in, text_has_word, out);
		return;
	}
	key_len = generic_key(rules, in, text_has_word);
	if (rules->generic == NULL)
		rules->generic =
		    memo_new(CLASSIFY_GENERIC_SLOTS, CLASSIFY_GENERIC_ARENA,
			     CLASSIFY_GENERIC_KEY_MAX, sizeof fresh);
	known = key_len > 0
		    ? memo_get(rules->generic, rules->generic_key, key_len)
		    : NULL;
	if (known != NULL) {
		out->reason = known->reason;
		memcpy(out->evidence, known->evidence, sizeof out->evidence);
		return;
	}

	decide_generic(rules, in, text_has_word, out);
	if (key_len == 0)
		return;
	memset(&fresh, 0, sizeof fresh);
	fresh.reason = out->reason;
	memcpy(fresh.evidence, out->evidence, sizeof fresh.evidence);
	memo_put(rules->generic, rules->generic_key, key_len, &fresh);
}

/* decide - weigh the evidence in the order of classify.h */
static void
decide(struct classify_rules *rules, const struct input *in,
       struct classification *out)
{
	if (is_success(in, out) || try_provider(rules, in, out))
		return;

	/* A word inside a host name, address or URL is no phrase. */
	rules->phrase_len =
	    namemask_apply(rules->phrase_text, rules->text, in->len);
	decide_generic_cached(rules, in, out);
}

/* is_failure_class - class 4 (transient) or 5 (permanent) */
static bool
is_failure_class(int cls)
{
	return cls == 4 || cls == 5;
}

/*
 * failure_evidence - the class of failure that some code or the log
 * gives, or 0: the reply code, the enhanced code, the log's status, a
 * nested reply's code or enhanced code, in that order.  Any of them
 * outweighs a success code elsewhere, which is why a text like
 * ": 451 2.1.4 ..." or "250 5.1.1 ..." is never delivered.
 */
static int
failure_evidence(const struct input *in, int log_class)
{
	if (is_failure_class(in->reply_code / 100))
		return in->reply_code / 100;
	if (is_failure_class(in->enh.cls))
		return in->enh.cls;
	if (is_failure_class(log_class))
		return log_class;
	if (is_failure_class(in->cause_code / 100))
		return in->cause_code / 100;
	return is_failure_class(in->cause_enh.cls) ? in->cause_enh.cls : 0;
}

/* protocol_class - from the reply code, else the enhanced code unless
 * it is a success code that failure_evidence() outweighs, else the
 * failure evidence (0 for none) */
static unsigned char
protocol_class(const struct input *in, int log_class)
{
	int failure = failure_evidence(in, log_class);

	if (in->reply_code != 0)
		return (unsigned char)(in->reply_code / 100);
	if (in->enh.cls != 0 && (in->enh.cls != 2 || failure == 0))
		return in->enh.cls;
	return (unsigned char)failure;
}

/* log_class - the class the log's status gives, or 0 */
static int
log_class(const struct event *ev)
{
	if (ev->type == EVENT_REJECT)
		return event_failure_class(ev);
	if (ev->type != EVENT_DELIVERY)
		return 0;
	switch (ev->status) {
	case STATUS_DEFERRED:
		return 4;
	case STATUS_BOUNCED:
	case STATUS_EXPIRED:
	case STATUS_PROBE_FAIL:
		return 5;
	default:
		return 0;
	}
}

/* kind_of - the reason's kind; notaccept is hard only when permanent,
 * and a deferral is never hard */
static enum bounce_kind
kind_of(enum reason reason, unsigned char cls, bool deferral)
{
	enum bounce_kind kind = reason_kind(reason);

	if (kind == KIND_HARD && reason == REASON_NOTACCEPT && cls != 5)
		return KIND_SOFT;
	if (kind == KIND_HARD && deferral)
		return KIND_SOFT;
	return kind;
}

/*
 * A decision depends only on the normalized text and the fields of
 * struct decision_head, so it is cached under those bytes.  The head has
 * fixed-width fields and no padding, so equal evidence gives equal keys.
 */
struct decision_head {
	int32_t reply_code;
	int32_t cause_code;
	int32_t host_match;	/* first_host_match() */
	uint16_t enh[3];	/* class, subject, detail */
	uint16_t cause_enh[3];
	uint16_t stage;
	uint16_t failed;	/* struct input's failed, 0 or 1 */
};

_Static_assert(sizeof(struct decision_head) <= CLASSIFY_KEY_HEAD,
	       "CLASSIFY_KEY_HEAD must hold a decision head");

/* The cached part of a classification. */
struct decision {
	int provider;
	enum reason reason;
	char evidence[CLASSIFY_EVIDENCE_MAX];
};

/* decision_key - the cache key of in's evidence in rules->key; returns
 * its length */
static size_t
decision_key(struct classify_rules *rules, const struct input *in,
	     size_t host_index)
{
	struct decision_head head;

	memset(&head, 0, sizeof head);
	head.reply_code = in->reply_code;
	head.cause_code = in->cause_code;
	head.host_match = (int32_t)host_index;
	head.enh[0] = in->enh.cls;
	head.enh[1] = in->enh.subject;
	head.enh[2] = in->enh.detail;
	head.cause_enh[0] = in->cause_enh.cls;
	head.cause_enh[1] = in->cause_enh.subject;
	head.cause_enh[2] = in->cause_enh.detail;
	head.stage = (uint16_t)in->stage;
	head.failed = in->failed;
	memcpy(rules->key, &head, sizeof head);
	memcpy(rules->key + sizeof head, rules->text, in->len);
	return sizeof head + in->len;
}

/*
 * decide_cached - detect the provider and decide, or take both from the
 * cache.  The regular expressions are pure functions of the key, so a
 * cached result equals a fresh one.
 */
static void
decide_cached(struct classify_rules *rules, struct input *in,
	      struct classification *out)
{
	size_t host_index = host_match(rules, in);
	size_t key_len = decision_key(rules, in, host_index);
	const struct decision *known;
	struct decision fresh;
	size_t first;

	if (rules->decisions == NULL)
		rules->decisions =
		    memo_new(CLASSIFY_DECISION_SLOTS, CLASSIFY_DECISION_ARENA,
			     CLASSIFY_DECISION_KEY_MAX, sizeof fresh);
	known = rules->uncached
		    ? NULL
		    : memo_get(rules->decisions, rules->key, key_len);
	if (known != NULL) {
		in->provider = known->provider;
		out->reason = known->reason;
		memcpy(out->evidence, known->evidence, sizeof out->evidence);
		return;
	}

	/* The provider's patterns read rules->text from here on. */
	classify_pairs_build(&rules->text_pairs, rules->text, in->len);
	first = first_text_match(rules, in, host_index);
	in->provider = first < rules->ndetect ? rules->detect[first].provider
					      : -1;
	decide(rules, in, out);

	memset(&fresh, 0, sizeof fresh);
	fresh.provider = in->provider;
	fresh.reason = out->reason;
	memcpy(fresh.evidence, out->evidence, sizeof fresh.evidence);
	if (!rules->uncached)
		memo_put(rules->decisions, rules->key, key_len, &fresh);
}

_Static_assert(sizeof((struct classification *)0)->provider ==
		   sizeof((struct classify_rules *)0)->providers[0],
	       "a provider name must fit the classification");

/* copy_name - copy a provider's name into a classification, whose field
 * has the size of the rule set's names */
static void
copy_name(char *to, const char *name)
{
	memcpy(to, name, strlen(name) + 1);
}

/* classify_input - gather the evidence of ev and decide */
static void
classify_input(struct classify_rules *rules, struct event *ev, int cls_hint,
	       bool deferral)
{
	struct classification *out = &ev->classification;
	struct input in;

	memset(out, 0, sizeof *out);
	memset(&in, 0, sizeof in);
	in.raw = ev->text.ptr;
	in.raw_len = ev->text.ptr ? ev->text.len : 0;
	in.reply_code = ev->reply_code;
	in.enh = enh_status_present(&ev->reply_enh) ? ev->reply_enh : ev->enh;
	if (ev->type == EVENT_DELIVERY)
		in.host = ev->remote_host;
	find_cause(ev, &in, &out->cause);
	in.stage = find_stage(ev->stage, in.raw, in.raw_len);
	in.len = normalize(rules->text, in.raw ? in.raw : "", in.raw_len,
			   in.reply_code);
	out->cls = protocol_class(&in, cls_hint);
	in.failed = failure_evidence(&in, cls_hint) != 0;

	decide_cached(rules, &in, out);
	out->stage = in.stage;
	out->class_mismatch = in.reply_code != 0 && in.enh.cls != 0 &&
			      in.reply_code / 100 != in.enh.cls;
	if (in.provider >= 0)
		copy_name(out->provider, rules->providers[in.provider]);
	out->kind = kind_of(out->reason, out->cls, deferral);
}

/* A classification in the front cache, its cause as an offset into the
 * event's text. */
struct front_value {
	struct classification out;
	size_t cause_at;	/* SIZE_MAX when there is no cause */
	size_t cause_len;
};

/* key_put - append n bytes to the key being built, when they fit */
static bool
key_put(unsigned char *key, size_t *len, const void *bytes, size_t n)
{
	if (n > CLASSIFY_FRONT_KEY_MAX - *len)
		return false;
	memcpy(key + *len, bytes, n);
	*len += n;
	return true;
}

/* key_span - append a span's length and bytes, or a length that no span
 * has for an absent one */
static bool
key_span(unsigned char *key, size_t *len, struct span s)
{
	uint32_t n = s.ptr == NULL ? UINT32_MAX : (uint32_t)s.len;

	if (s.ptr != NULL && s.len >= UINT32_MAX)
		return false;
	return key_put(key, len, &n, sizeof n) &&
	       (s.ptr == NULL || key_put(key, len, s.ptr, s.len));
}

/* key_enh - append an enhanced code field by field (the struct has
 * padding, whose bytes are not set) */
static bool
key_enh(unsigned char *key, size_t *len, const struct enh_status *e)
{
	uint16_t v[3] = {e->cls, e->subject, e->detail};

	return key_put(key, len, v, sizeof v);
}

/*
 * front_key - the key of ev in rules->front_key: every field of the
 * event that classify_event_with() reads, directly or through
 * classify_input(), find_cause(), find_stage(), log_class() and
 * event_failure_class().  The reply is kept as its place in the text,
 * since the cause is found after it.  Returns the key's length, or 0
 * when it does not fit or the reply lies outside the text.
 */
static size_t
front_key(struct classify_rules *rules, const struct event *ev)
{
	unsigned char *key = rules->front_key;
	unsigned char flags[4] = {(unsigned char)ev->type,
				  (unsigned char)ev->status, ev->temporary,
				  ev->retry_expired};
	int32_t code = ev->reply_code;
	uint32_t reply[2] = {UINT32_MAX, 0};
	size_t len = 0;

	if (ev->reply.ptr != NULL) {
		if (ev->text.ptr == NULL || ev->reply.ptr < ev->text.ptr ||
		    ev->reply.len > ev->text.len ||
		    (size_t)(ev->reply.ptr - ev->text.ptr) >
			ev->text.len - ev->reply.len)
			return 0;
		reply[0] = (uint32_t)(ev->reply.ptr - ev->text.ptr);
		reply[1] = (uint32_t)ev->reply.len;
	}
	if (!key_put(key, &len, flags, sizeof flags) ||
	    !key_put(key, &len, &code, sizeof code) ||
	    !key_put(key, &len, reply, sizeof reply) ||
	    !key_enh(key, &len, &ev->enh) ||
	    !key_enh(key, &len, &ev->reply_enh) ||
	    !key_span(key, &len, ev->stage) ||
	    !key_span(key, &len, ev->type == EVENT_DELIVERY
					? ev->remote_host
					: span_make(NULL, 0)) ||
	    !key_span(key, &len, ev->text))
		return 0;
	return len;
}

/* front_get - the cached classification of ev into its classification;
 * false when there is none */
static bool
front_get(struct classify_rules *rules, struct event *ev, size_t key_len)
{
	const struct front_value *v;

	if (rules->front == NULL)
		rules->front =
		    memo_new(CLASSIFY_FRONT_SLOTS, CLASSIFY_FRONT_ARENA,
			     CLASSIFY_FRONT_KEY_MAX, sizeof(struct front_value));
	v = memo_get(rules->front, rules->front_key, key_len);
	if (v == NULL)
		return false;
	ev->classification = v->out;
	ev->classification.cause =
	    v->cause_at == SIZE_MAX
		? span_make(NULL, 0)
		: span_make(ev->text.ptr + v->cause_at, v->cause_len);
	return true;
}

/* front_put - cache the classification of ev under the key made by
 * front_key(); its cause lies in its text */
static void
front_put(struct classify_rules *rules, const struct event *ev,
	  size_t key_len)
{
	struct front_value v;
	const struct span *cause = &ev->classification.cause;

	memset(&v, 0, sizeof v);
	v.out = ev->classification;
	v.out.cause = span_make(NULL, 0);
	v.cause_at = cause->ptr != NULL ? (size_t)(cause->ptr - ev->text.ptr)
					: SIZE_MAX;
	v.cause_len = cause->len;
	memo_put(rules->front, rules->front_key, key_len, &v);
}

/* classify_failure - classify_event_with() of a failure, uncached */
static void
classify_failure(struct classify_rules *rules, struct event *ev)
{
	struct classification *out = &ev->classification;
	bool expired;

	classify_input(rules, ev, log_class(ev),
		       ev->type == EVENT_DELIVERY &&
			   ev->status == STATUS_DEFERRED);

	/* An expiry keeps a specific cause found in its text.  Otherwise
	 * its reason is "expired", which the tally may still replace with
	 * the reason of the recipient's last deferral. */
	expired = ev->retry_expired ||
		  (ev->type == EVENT_DELIVERY && ev->status == STATUS_EXPIRED);
	out->expired = expired;
	if (expired &&
	    (out->reason == REASON_ONHOLD || out->reason == REASON_UNDEFINED)) {
		set_result(out, REASON_EXPIRED, "%s", "status:expired");
		out->kind = kind_of(REASON_EXPIRED, out->cls, false);
	}
}

void
classify_event_with(struct classify_rules *rules, struct event *ev)
{
	struct classification *out = &ev->classification;
	size_t key_len;

	memset(out, 0, sizeof *out);
	if (ev->type == EVENT_DELIVERY &&
	    (ev->status == STATUS_SENT || ev->status == STATUS_FORWARDED)) {
		out->reason = REASON_DELIVERED;
		out->kind = KIND_NONE;
		out->cls = 2;
		return;
	}
	if (!event_is_failure(ev))
		return;

	/* A failure whose inputs were classified before gets the same
	 * result: the text's normalization and searches are skipped. */
	key_len = rules->uncached ? 0 : front_key(rules, ev);
	if (key_len > 0 && front_get(rules, ev, key_len))
		return;
	classify_failure(rules, ev);
	if (key_len > 0)
		front_put(rules, ev, key_len);
}

void
classify_text(struct classify_rules *rules, const char *text, size_t len,
	      struct event *ev)
{
	event_init(ev, EVENT_NOTIFICATION);
	ev->text = span_make(text, len);
	reply_analyze(ev);
	classify_input(rules, ev, 0, false);
}

int
classify_init(const char *dir)
{
	struct classify_rules *rules;

	if (reasons_init() != 0)
		return -1;
	rules = classify_rules_load(dir, NULL);
	if (rules == NULL)
		return -1;
	classify_rules_free(default_rules);
	default_rules = rules;
	free(default_dir);
	default_dir = dir != NULL ? xstrdup(dir) : NULL;
	return 0;
}

int
classify_thread_init(void)
{
	if (default_rules != NULL)
		return 0;
	default_rules = classify_rules_load(default_dir, NULL);
	return default_rules != NULL ? 0 : -1;
}

void
classify_thread_free(void)
{
	classify_rules_free(default_rules);
	default_rules = NULL;
}

void
classify_free(void)
{
	classify_thread_free();
	free(default_dir);
	default_dir = NULL;
}

void
classify_event(struct event *ev)
{
	/* The built-in rules are checked by the unit tests, so a lazy load
	 * has no errors to report. */
	if (default_rules == NULL) {
		(void)reasons_init();
		default_rules = classify_rules_load(NULL, NULL);
	}
	if (default_rules != NULL)
		classify_event_with(default_rules, ev);
	else
		memset(&ev->classification, 0, sizeof ev->classification);
}
