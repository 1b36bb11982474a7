/* SPDX-License-Identifier: MIT */
/*
 * pattern_recognise.c - hand-written matchers for built-in extractor rules
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "pattern_recognise.h"

/*
 * The delivery rule of patterns/postfix.pat.  Its groups, by number:
 * 1 qid, 2 to (in angle brackets), 3 to (bare), 4 fields, 5 status,
 * 6 text.
 */
static const char delivery_regex[] =
    "^(?<qid>[0-9A-Za-z]{5,}): to=(?:<(?<to>[^>]*)>|(?<to>[^,\\s]*)), "
    "(?<fields>(?:[a-z_]+=[^,]*, )*?)status=(?<status>[A-Za-z-]+)"
    "(?: \\((?<text>.*))?$";

/* Most "key=value, " fields before status= that the recogniser reads;
 * lines with more go through PCRE2, so that the backtracking of the
 * lazy field group stays far below the limits. */
#define DELIVERY_FIELDS_MAX 64

/* is_space - PCRE2's \s without UCP: tab, LF, VT, FF, CR and space */
static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* is_key_byte - [a-z_] */
static bool
is_key_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

enum tail {
	TAIL_NO,     /* the rest cannot match at this position */
	TAIL_MATCH,
	TAIL_UNSURE, /* a newline is involved: leave it to PCRE2 */
};

/*
 * delivery_tail - match "status=(?<status>[A-Za-z-]+)(?: \((?<text>.*))?$"
 * at s[p]; on TAIL_MATCH, *status_end is the end of the status word and
 * *text_at the start of the text, or 0 when there is none.
 *
 * The status word is a maximal run, because a shorter one would be
 * followed by a letter or "-", which neither " (" nor the end accepts.
 * ".*" stops at a newline and "$" also matches before a final newline,
 * so any newline after the status word makes the result unsure.
 */
static enum tail
delivery_tail(const char *s, size_t len, size_t p, size_t *status_end,
	      size_t *text_at)
{
	size_t e = p + 7;

	if (len - p < 7 || memcmp(s + p, "status=", 7) != 0)
		return TAIL_NO;
	while (e < len && (ascii_isalpha((unsigned char)s[e]) || s[e] == '-'))
		e++;
	if (e == p + 7)
		return TAIL_NO;
	*status_end = e;
	*text_at = 0;
	if (e == len)
		return TAIL_MATCH;
	if (memchr(s + e, '\n', len - e) != NULL)
		return TAIL_UNSURE;
	if (len - e >= 2 && s[e] == ' ' && s[e + 1] == '(') {
		*text_at = e + 2;
		return TAIL_MATCH;
	}
	return TAIL_NO;
}

/*
 * delivery_to - the recipient after "to=" at s[p]: "<...>" up to the
 * first ">", else a run of bytes other than "," and \s.  Either must be
 * followed by ", ".  Returns the position after ", ", or 0 when the
 * line is not of that shape.  *angle is true when the first group took
 * the recipient.
 *
 * A recipient in angle brackets followed by ", " decides: [^>]* can only
 * end at the first ">".  PCRE2 would try the bare form only if the rest
 * of the line failed, and then the caller is unsure anyway.
 */
static size_t
delivery_to(const char *s, size_t len, size_t p, size_t *from, size_t *to,
	    bool *angle)
{
	if (p < len && s[p] == '<') {
		const char *close = memchr(s + p + 1, '>', len - p - 1);

		if (close == NULL)
			return 0;
		*from = p + 1;
		*to = (size_t)(close - s);
		*angle = true;
		p = *to + 1;
	} else {
		*from = p;
		while (p < len && s[p] != ',' && !is_space((unsigned char)s[p]))
			p++;
		*to = p;
		*angle = false;
	}
	if (len - p < 2 || s[p] != ',' || s[p + 1] != ' ')
		return 0;
	return p + 2;
}

/* delivery_field - the position after the "key=value, " field at s[p],
 * or 0 when none starts there */
static size_t
delivery_field(const char *s, size_t len, size_t p)
{
	size_t k = p;
	const char *comma;

	while (k < len && is_key_byte((unsigned char)s[k]))
		k++;
	if (k == p || k == len || s[k] != '=')
		return 0;
	comma = memchr(s + k + 1, ',', len - k - 1);
	if (comma == NULL || (size_t)(comma - s) + 1 >= len || comma[1] != ' ')
		return 0;
	return (size_t)(comma - s) + 2;
}

/* 1 for the bytes [0-9A-Za-z], the bytes of a queue id. */
static const unsigned char qid_bytes[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1,
    ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

size_t
recognise_qid_read(const char *s, size_t len, struct recognise_memo *memo)
{
	size_t n = 0;

	while (n < len && qid_bytes[(unsigned char)s[n]])
		n++;
	if (n < 5 || len - n < 2 || s[n] != ':' || s[n + 1] != ' ')
		n = 0;
	memo->qid_end = n;
	memo->qid_read = true;
	return n;
}

/* set_pair - the offsets of group g */
static void
set_pair(size_t *ovector, unsigned g, size_t from, size_t to)
{
	ovector[2 * g] = from;
	ovector[2 * g + 1] = to;
}

/*
 * recognise_postfix_delivery - the delivery rule.  The queue id is a maximal
 * run of letters and digits, since ":" cannot continue it.  Each field
 * is deterministic as well: the key is a maximal [a-z_] run before "=",
 * and the value ends at the first ",".  The lazy field group tries zero
 * fields first, then one more at a time, so the first position from
 * which the status tail matches gives PCRE2's match.
 */
enum recognise_result
recognise_postfix_delivery(const char *s, size_t len,
			   struct recognise_memo *memo, size_t *ovector,
			   unsigned *pairs)
{
	size_t qid_end = recognise_qid(s, len, memo), to_from, to_to, fields, p;
	size_t status_end, text_at;
	bool angle;

	if (qid_end == 0 || len - qid_end < 5 ||
	    memcmp(s + qid_end, ": to=", 5) != 0)
		return RECOGNISE_UNSURE;
	fields = delivery_to(s, len, qid_end + 5, &to_from, &to_to, &angle);
	if (fields == 0)
		return RECOGNISE_UNSURE;

	p = fields;
	for (unsigned n = 0;; n++) {
		enum tail t = delivery_tail(s, len, p, &status_end, &text_at);

		if (t == TAIL_MATCH)
			break;
		if (t == TAIL_UNSURE || n == DELIVERY_FIELDS_MAX)
			return RECOGNISE_UNSURE;
		p = delivery_field(s, len, p);
		if (p == 0)
			return RECOGNISE_UNSURE;
	}

	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, qid_end);
	if (angle) {
		set_pair(ovector, 2, to_from, to_to);
		set_pair(ovector, 3, PCRE2_UNSET, PCRE2_UNSET);
	} else {
		set_pair(ovector, 2, PCRE2_UNSET, PCRE2_UNSET);
		set_pair(ovector, 3, to_from, to_to);
	}
	set_pair(ovector, 4, fields, p);
	set_pair(ovector, 5, p + 7, status_end);
	*pairs = 6;
	if (text_at != 0) {
		set_pair(ovector, 6, text_at, len);
		*pairs = 7;
	}
	return RECOGNISE_MATCH;
}

/*
 * Lines of patterns/postfix.pat that carry no result but are frequent:
 * qmgr's sender and "removed" lines, smtpd's connections and client
 * lines, cleanup's message-id lines, postscreen's CONNECT and PASS
 * lines, the TLS handshakes of smtp and smtpd, pickup's lines, bounce's
 * notifications and the statistics of anvil and scache.  Each recogniser
 * matches the common shape in full and leaves any other line to PCRE2.  A queue id is a maximal run of letters and
 * digits, because the ":" after it cannot continue the run.
 */
static const char postfix_sender_regex[] =
    "^(?<qid>[0-9A-Za-z]{5,}): from=<(?<from>[^>]*)>, size=\\d+, "
    "nrcpt=\\d+";
static const char postfix_removed_regex[] =
    "^(?<qid>[0-9A-Za-z]{5,}): removed$";
static const char postfix_connect_regex[] = "^(?:connect|disconnect) from ";
static const char postfix_client_regex[] =
    "^(?:NOQUEUE|[0-9A-Za-z]{5,}): client=";
static const char postfix_message_id_regex[] =
    "^[0-9A-Za-z]{5,}: (?:resent-)?message-id=";
static const char postfix_postscreen_regex[] =
    "^(?:CONNECT from|PASS (?:NEW|OLD)|DNSBL rank|PREGREET|HANGUP|"
    "DISCONNECT|COMMAND (?:TIME|COUNT|LENGTH) LIMIT|COMMAND PIPELINING|"
    "BARE NEWLINE|NON-SMTP COMMAND|(?:BLACK|WHITE|DENY|ALLOW)LISTED|"
    "WHITELIST VETO|ALLOWLIST VETO|BLACKLISTED|cache )";
static const char postfix_tls_regex[] =
    "^(?:Anonymous|Trusted|Untrusted|Verified) TLS connection established ";
static const char postfix_pickup_regex[] =
    "^[0-9A-Za-z]{5,}: uid=\\d+ from=";
static const char postfix_notification_regex[] =
    "^(?<qid>[0-9A-Za-z]{5,}): (?:sender|postmaster) "
    "(?:non-delivery|delivery status|delay) notification: [0-9A-Za-z]+$";
static const char postfix_statistics_regex[] = "^statistics: ";

/* has_at - do the bytes at s[at..len) start with the C string word? */
static bool
has_at(const char *s, size_t len, size_t at, const char *word)
{
	size_t n = strlen(word);

	return at <= len && len - at >= n && memcmp(s + at, word, n) == 0;
}

/* digits_end - the end of the run of digits at s[p] */
static size_t
digits_end(const char *s, size_t len, size_t p)
{
	while (p < len && ascii_isdigit((unsigned char)s[p]))
		p++;
	return p;
}

/* match_prefix - a match of the first n bytes without groups */
static enum recognise_result
match_prefix(size_t n, size_t *ovector, unsigned *pairs)
{
	set_pair(ovector, 0, 0, n);
	*pairs = 1;
	return RECOGNISE_MATCH;
}

/* match_line_qid - a match of the whole subject (len bytes) whose group
 * 1 is the queue id it starts with (qid bytes) */
static enum recognise_result
match_line_qid(size_t len, size_t qid, size_t *ovector, unsigned *pairs)
{
	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, qid);
	*pairs = 2;
	return RECOGNISE_MATCH;
}

/*
 * recognise_postfix_sender - groups 1 qid, 2 from.  "[^>]*" can only end
 * at the first ">".  The first "\d+" ends where its run of digits ends,
 * because ", nrcpt=" cannot follow a digit.  The last one is greedy and
 * ends the expression, so it takes the whole run.
 */
static enum recognise_result
recognise_postfix_sender(const char *s, size_t len,
			 struct recognise_memo *memo, size_t *ovector,
			 unsigned *pairs)
{
	size_t qid = recognise_qid(s, len, memo), from, close, size, count;
	const char *gt;

	if (qid == 0 || !has_at(s, len, qid, ": from=<"))
		return RECOGNISE_UNSURE;
	from = qid + 8;
	gt = memchr(s + from, '>', len - from);
	if (gt == NULL)
		return RECOGNISE_UNSURE;
	close = (size_t)(gt - s);
	if (!has_at(s, len, close, ">, size="))
		return RECOGNISE_UNSURE;
	size = digits_end(s, len, close + 8);
	if (size == close + 8 || !has_at(s, len, size, ", nrcpt="))
		return RECOGNISE_UNSURE;
	count = digits_end(s, len, size + 8);
	if (count == size + 8)
		return RECOGNISE_UNSURE;

	set_pair(ovector, 0, 0, count);
	set_pair(ovector, 1, 0, qid);
	set_pair(ovector, 2, from, close);
	*pairs = 3;
	return RECOGNISE_MATCH;
}

/* recognise_postfix_removed - group 1 qid; a line with a newline at the
 * end, which "$" also accepts, is left to PCRE2 */
static enum recognise_result
recognise_postfix_removed(const char *s, size_t len,
			  struct recognise_memo *memo, size_t *ovector,
			  unsigned *pairs)
{
	size_t qid = recognise_qid(s, len, memo);

	if (qid == 0 || len != qid + 9 || !has_at(s, len, qid, ": removed"))
		return RECOGNISE_UNSURE;
	return match_line_qid(len, qid, ovector, pairs);
}

/* recognise_postfix_connect - the two words differ in their first byte,
 * so at most one of them matches */
static enum recognise_result
recognise_postfix_connect(const char *s, size_t len,
			  struct recognise_memo *memo, size_t *ovector,
			  unsigned *pairs)
{
	(void)memo;
	if (has_at(s, len, 0, "connect from "))
		return match_prefix(13, ovector, pairs);
	if (has_at(s, len, 0, "disconnect from "))
		return match_prefix(16, ovector, pairs);
	return RECOGNISE_NOMATCH;
}

/* recognise_postfix_client - "NOQUEUE" is itself a run of letters, so
 * both branches end where the run ends */
static enum recognise_result
recognise_postfix_client(const char *s, size_t len,
			 struct recognise_memo *memo, size_t *ovector,
			 unsigned *pairs)
{
	size_t qid = recognise_qid(s, len, memo);

	if (qid == 0 || !has_at(s, len, qid, ": client="))
		return RECOGNISE_UNSURE;
	return match_prefix(qid + 9, ovector, pairs);
}

/* recognise_postfix_message_id - "resent-" is tried first, and the
 * other branch cannot match where it does */
static enum recognise_result
recognise_postfix_message_id(const char *s, size_t len,
			     struct recognise_memo *memo, size_t *ovector,
			     unsigned *pairs)
{
	size_t qid = recognise_qid(s, len, memo);

	if (qid == 0 || !has_at(s, len, qid, ": "))
		return RECOGNISE_UNSURE;
	if (has_at(s, len, qid + 2, "resent-message-id="))
		return match_prefix(qid + 20, ovector, pairs);
	if (has_at(s, len, qid + 2, "message-id="))
		return match_prefix(qid + 13, ovector, pairs);
	return RECOGNISE_UNSURE;
}

/* recognise_postfix_postscreen - the first two branches; no earlier
 * branch starts with the same byte */
static enum recognise_result
recognise_postfix_postscreen(const char *s, size_t len,
			     struct recognise_memo *memo, size_t *ovector,
			     unsigned *pairs)
{
	(void)memo;
	if (has_at(s, len, 0, "CONNECT from"))
		return match_prefix(12, ovector, pairs);
	if (has_at(s, len, 0, "PASS NEW") || has_at(s, len, 0, "PASS OLD"))
		return match_prefix(8, ovector, pairs);
	return RECOGNISE_UNSURE;
}

/* after_word - the position after the first of the n words found at
 * s[at], or 0 when none of them is there */
static size_t
after_word(const char *s, size_t len, size_t at, const char *const *words,
	   size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has_at(s, len, at, words[i]))
			return at + strlen(words[i]);
	return 0;
}

/* recognise_postfix_tls - the four words differ in their first byte, so
 * at most one of them matches */
static enum recognise_result
recognise_postfix_tls(const char *s, size_t len, struct recognise_memo *memo,
		      size_t *ovector, unsigned *pairs)
{
	static const char *const words[] = {"Anonymous", "Trusted",
					    "Untrusted", "Verified"};
	static const char rest[] = " TLS connection established ";
	size_t p = after_word(s, len, 0, words, sizeof words / sizeof words[0]);

	(void)memo;
	if (p == 0 || !has_at(s, len, p, rest))
		return RECOGNISE_NOMATCH;
	return match_prefix(p + sizeof rest - 1, ovector, pairs);
}

/* recognise_postfix_pickup - "\d+" ends where its run of digits ends,
 * because " from=" cannot follow a digit */
static enum recognise_result
recognise_postfix_pickup(const char *s, size_t len,
			 struct recognise_memo *memo, size_t *ovector,
			 unsigned *pairs)
{
	size_t qid = recognise_qid(s, len, memo), uid;

	if (qid == 0 || !has_at(s, len, qid, ": uid="))
		return RECOGNISE_UNSURE;
	uid = digits_end(s, len, qid + 6);
	if (uid == qid + 6 || !has_at(s, len, uid, " from="))
		return RECOGNISE_UNSURE;
	return match_prefix(uid + 6, ovector, pairs);
}

/*
 * recognise_postfix_notification - group 1 qid.  No word of either
 * alternation is a prefix of another, so at most one path fits, and the
 * id after it must be a run of letters and digits to the end of the
 * line.  A line with a newline, which "$" also accepts before the end,
 * is left to PCRE2.
 */
static enum recognise_result
recognise_postfix_notification(const char *s, size_t len,
			       struct recognise_memo *memo, size_t *ovector,
			       unsigned *pairs)
{
	static const char *const whose[] = {": sender ", ": postmaster "};
	static const char *const what[] = {"non-delivery ", "delivery status ",
					   "delay "};
	size_t qid = recognise_qid(s, len, memo), p, id;

	if (qid == 0 || memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;
	p = after_word(s, len, qid, whose, sizeof whose / sizeof whose[0]);
	if (p != 0)
		p = after_word(s, len, p, what, sizeof what / sizeof what[0]);
	if (p == 0 || !has_at(s, len, p, "notification: "))
		return RECOGNISE_UNSURE;

	p += 14;
	for (id = p; id < len && ascii_isalnum((unsigned char)s[id]); id++)
		;
	if (id == p || id != len)
		return RECOGNISE_UNSURE;
	return match_line_qid(len, qid, ovector, pairs);
}

/* recognise_postfix_statistics - the summaries that anvil and scache
 * log */
static enum recognise_result
recognise_postfix_statistics(const char *s, size_t len,
			     struct recognise_memo *memo, size_t *ovector,
			     unsigned *pairs)
{
	(void)memo;
	if (has_at(s, len, 0, "statistics: "))
		return match_prefix(12, ovector, pairs);
	return RECOGNISE_NOMATCH;
}

/*
 * Exim's message id as patterns/exim.pat writes it: 6-11-4 characters
 * since Exim 4.97, else 6-6-2.
 */
#define EXIM_ID                                                                \
	"[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|"                    \
	"[0-9A-Za-z]{6}-[0-9A-Za-z]{2})"

/* Rules of patterns/exim.pat.  Each starts with the message id and a
 * flag; the groups of those recognised in full are listed with their
 * recogniser. */
static const char exim_arrival_regex[] =
    "^(?<id>" EXIM_ID ") (?<flag><=|\\(=) (?<from><>|\\S*)"
    "(?<fields>(?: .*)?)$";
static const char exim_delivery_regex[] =
    "^(?<id>" EXIM_ID ") (?<flag>=>|->|>>|\\*>) "
    "(?<to>(?:\"[^\"]*\"|\\S)++)(?: <(?<orig>[^>]*)>)?(?<fields>(?: .*)?)$";
static const char exim_mua_wrapper_regex[] =
    "^" EXIM_ID " \\*\\* mua_wrapper is set but ";
static const char exim_failed_regex[] =
    "^(?<id>" EXIM_ID ") (?<flag>\\*\\*) "
    "(?<to>(?:\"[^\"]*\"|\\[[^\\[\\]\\s]*\\]|[^\\s:<])++)"
    "(?: <(?<orig>[^>]*)>)?"
    "(?<fields>(?> (?:[A-Za-z][A-Za-z0-9]*=(?:\"[^\"]*\"|(?:[^\\s\":]|:(?! ))*)"
    "(?: \\([^)]*\\))?(?: \\[[^\\]]*\\](?::\\d+)?\\*?)?|"
    "(?:L[-*.]?|K|PRDR|TFO|DS)(?=[ :])))*+)(?: :|:) (?<text>.*?)"
    "(?: DT=\\S+)?$";
static const char exim_failed_routing_regex[] =
    "^(?<id>" EXIM_ID ") (?<flag>\\*\\*) "
    "(?<to>(?:\"[^\"]*\"|\\[[^\\[\\]\\s]*\\]|[^\\s:])++) "
    "(?<text>(?:routing yielded|mua_wrapper forced) .*)$";
static const char exim_deferred_regex[] =
    "^(?<id>" EXIM_ID ") (?<flag>==) (?<to>(?:\"[^\"]*\"|[^\\s<])++)"
    "(?: <(?<orig>[^>]*)>)?(?<fields>(?: (?!defer \\()\\S+)*+) "
    "defer \\((?:(?<errno>[1-9][0-9]*)\\)(?:: (?<strerror>.*?))?|"
    "(?<errno>[^)\\s]*)\\))(?<host> H=.*?)?(?: DT=\\S+)?(?:: (?<text>.*))?$";
static const char exim_removed_regex[] =
    "^(?<id>" EXIM_ID ") Completed(?: QT=\\S+)?$";

/* A byte value repeated in the 8 bytes of a word. */
#define BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/*
 * alnum_word - the 8 bytes at s are all letters or digits.  Each byte
 * below 0x80 is tested in its own lane: adding 0x80 - lo sets its top
 * bit when it is at least lo, adding 0x7f - hi when it is above hi, and
 * neither carries into the next lane.  Setting bit 5 folds upper case
 * to lower case and no other byte into a-z.
 */
static bool
alnum_word(const char *s)
{
	const uint64_t top = BYTES(0x80);
	uint64_t w, lower, digit, alpha;

	memcpy(&w, s, 8);
	if ((w & top) != 0)
		return false;
	digit = (w + BYTES(0x80 - '0')) & ~(w + BYTES(0x7f - '9'));
	lower = w | BYTES(0x20);
	alpha = (lower + BYTES(0x80 - 'a')) & ~(lower + BYTES(0x7f - 'z'));
	return ((digit | alpha) & top) == top;
}

/*
 * exim_id_length - the length of the message id at the start of s, or 0.
 * The two forms exclude each other (byte 13 is a letter or digit in the
 * long form and "-" in the short one), so PCRE2 can take at most one.
 * The dashes are tested first, because they rule out most other lines.
 * Then they are replaced by a digit in a copy, with one more digit
 * after the long form, so that whole words of the copy are tested.
 */
static size_t
exim_id_length(const char *s, size_t len)
{
	char id[24];

	if (len < 16 || s[6] != '-')
		return 0;
	if (len >= 23 && s[18] == '-') {
		memcpy(id, s, 23);
		id[6] = id[18] = id[23] = '0';
		if (alnum_word(id) && alnum_word(id + 8) && alnum_word(id + 16))
			return 23;
	}
	if (s[13] != '-')
		return 0;
	memcpy(id, s, 16);
	id[6] = id[13] = '0';
	return alnum_word(id) && alnum_word(id + 8) ? 16 : 0;
}

/* The words that may follow "ID " in the rules above, each naming the
 * rule it starts.  No word is the start of another, so a line starts
 * with at most one of them. */
enum exim_flag {
	EXIM_FLAG_NONE,
	EXIM_FLAG_ARRIVAL,
	EXIM_FLAG_DELIVERY,
	EXIM_FLAG_FAILED,
	EXIM_FLAG_DEFERRED,
	EXIM_FLAG_COMPLETED,
};

/* A word that may follow the id, with its length and what it starts. */
struct exim_word {
	const char *text;
	size_t len;
	enum exim_flag flag;
};

#define EXIM_WORD(s, flag) {s, sizeof s - 1, flag}

/* The most frequent words of a mail log first; the order changes no
 * result, because a line starts with at most one word. */
static const struct exim_word exim_words[] = {
    EXIM_WORD("=> ", EXIM_FLAG_DELIVERY),
    EXIM_WORD("<= ", EXIM_FLAG_ARRIVAL),
    EXIM_WORD("Completed", EXIM_FLAG_COMPLETED),
    EXIM_WORD("== ", EXIM_FLAG_DEFERRED),
    EXIM_WORD("** ", EXIM_FLAG_FAILED),
    EXIM_WORD("-> ", EXIM_FLAG_DELIVERY),
    EXIM_WORD(">> ", EXIM_FLAG_DELIVERY),
    EXIM_WORD("*> ", EXIM_FLAG_DELIVERY),
    EXIM_WORD("(= ", EXIM_FLAG_ARRIVAL),
};

/* starts_with - do the n bytes at s equal those of word?  The words
 * are a few bytes long, too short for a call to memcmp() to pay. */
static bool
starts_with(const char *s, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != word[i])
			return false;
	return true;
}

/* exim_read_start - the id at the start of s and the word after it,
 * into memo */
static void
exim_read_start(const char *s, size_t len, struct recognise_memo *memo)
{
	size_t id = exim_id_length(s, len);

	memo->exim_id = (int)id;
	memo->exim_flag = EXIM_FLAG_NONE;
	memo->exim_end = 0;
	if (id == 0 || len <= id + 1 || s[id] != ' ')
		return;
	for (size_t i = 0; i < sizeof exim_words / sizeof exim_words[0]; i++) {
		const struct exim_word *w = &exim_words[i];

		if (s[id + 1] == w->text[0] && len - id - 1 >= w->len &&
		    starts_with(s + id + 1, w->text, w->len)) {
			memo->exim_flag = (int)w->flag;
			memo->exim_end = id + 1 + w->len;
			return;
		}
	}
}

/*
 * exim_gate - the position after "ID " and a word that starts the rules
 * of flag, or 0 when the line does not start so.  Every rule above
 * begins with "^", the id, a blank and a fixed word, concatenated with
 * the rest, so a line that fails this test cannot match it.  The id and
 * the word are read once per subject and kept in memo for the next rule.
 */
static size_t
exim_gate(const char *s, size_t len, struct recognise_memo *memo,
	  enum exim_flag flag)
{
	if (memo->exim_id < 0)
		exim_read_start(s, len, memo);
	return memo->exim_flag == (int)flag ? memo->exim_end : 0;
}

/* has_byte - not 0 when one of the 8 bytes of w is c.  A lane of w ^ c
 * is 0 only for c, and subtracting 1 sets its top bit only then or
 * after a lower lane that was 0. */
static uint64_t
has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ BYTES(c);

	return (x - BYTES(1)) & ~x & BYTES(0x80);
}

/* stop_word - not 0 when one of the 8 bytes at s is \s (tab to CR, or
 * a blank) or, with quote, a quote.  The range test works on the low 7
 * bits of each lane, as in alnum_word(), and drops lanes whose top bit
 * is set. */
static uint64_t
stop_word(const char *s, bool quote)
{
	uint64_t w, low, control;

	memcpy(&w, s, 8);
	low = w & BYTES(0x7f);
	control = (low + BYTES(0x80 - '\t')) & ~(low + BYTES(0x7f - '\r')) &
		  ~w & BYTES(0x80);
	return control | has_byte(w, ' ') | (quote ? has_byte(w, '"') : 0);
}

/* run_end - the first \s (or, with quote, quote) at or after s[p], or
 * len.  Addresses are mostly longer than 8 bytes, so whole words are
 * tested first. */
static size_t
run_end(const char *s, size_t len, size_t p, bool quote)
{
	while (len - p >= 8 && stop_word(s + p, quote) == 0)
		p += 8;
	while (p < len && !is_space((unsigned char)s[p]) &&
	       !(quote && s[p] == '"'))
		p++;
	return p;
}

/* exim_fields - the "(?<fields>(?: .*)?)$" that ends a line at s[p]:
 * true when the rest is empty or starts with a blank.  The caller has
 * made sure that the line contains no newline. */
static bool
exim_fields(const char *s, size_t len, size_t p)
{
	return p == len || s[p] == ' ';
}

/*
 * recognise_exim_arrival - groups 1 id, 2 flag, 3 from, 4 fields.  The
 * sender is the maximal run of non-blank bytes: "<>" followed by a blank
 * or the end is that run too, and "\S*" cannot end before a non-blank
 * byte.
 */
static enum recognise_result
recognise_exim_arrival(const char *s, size_t len, struct recognise_memo *memo,
		       size_t *ovector, unsigned *pairs)
{
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_ARRIVAL), q;

	if (p == 0)
		return RECOGNISE_NOMATCH;
	if (memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;
	q = run_end(s, len, p, false);
	if (!exim_fields(s, len, q))
		return RECOGNISE_UNSURE;
	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, p - 4);
	set_pair(ovector, 2, p - 3, p - 1);
	set_pair(ovector, 3, p, q);
	set_pair(ovector, 4, q, len);
	*pairs = 5;
	return RECOGNISE_MATCH;
}

/*
 * recognise_exim_delivery - groups 1 id, 2 flag, 3 to, 4 orig, 5
 * fields.  The address is a possessive run of quoted strings and single
 * non-blank bytes, so it ends at the first blank outside quotes.  A
 * following " <...>" is the original address when a blank or the end
 * follows it.  Otherwise PCRE2 skips the optional group, and the fields
 * start at " <".
 */
static enum recognise_result
recognise_exim_delivery(const char *s, size_t len, struct recognise_memo *memo,
			size_t *ovector, unsigned *pairs)
{
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_DELIVERY), i;
	size_t orig_from = PCRE2_UNSET, orig_to = PCRE2_UNSET;

	if (p == 0)
		return RECOGNISE_NOMATCH;
	if (memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;
	i = run_end(s, len, p, true);
	while (i < len && s[i] == '"') {
		const char *close = memchr(s + i + 1, '"', len - i - 1);

		i = close != NULL ? (size_t)(close - s) + 1 : i + 1;
		i = run_end(s, len, i, true);
	}
	if (i == p)
		return RECOGNISE_UNSURE;
	if (len - i >= 2 && s[i] == ' ' && s[i + 1] == '<') {
		const char *close = memchr(s + i + 2, '>', len - i - 2);

		if (close != NULL &&
		    exim_fields(s, len, (size_t)(close - s) + 1)) {
			orig_from = i + 2;
			orig_to = (size_t)(close - s);
		}
	}
	if (orig_from == PCRE2_UNSET && !exim_fields(s, len, i))
		return RECOGNISE_UNSURE;

	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, p - 4);
	set_pair(ovector, 2, p - 3, p - 1);
	set_pair(ovector, 3, p, i);
	set_pair(ovector, 4, orig_from, orig_to);
	set_pair(ovector, 5, orig_from != PCRE2_UNSET ? orig_to + 1 : i, len);
	*pairs = 6;
	return RECOGNISE_MATCH;
}

/* recognise_exim_removed - group 1 id; " QT=" and a non-blank run may
 * follow "Completed" */
static enum recognise_result
recognise_exim_removed(const char *s, size_t len, struct recognise_memo *memo,
		       size_t *ovector, unsigned *pairs)
{
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_COMPLETED), q;

	if (p == 0)
		return RECOGNISE_NOMATCH;
	if (p != len) {
		if (len - p < 5 || memcmp(s + p, " QT=", 4) != 0)
			return RECOGNISE_UNSURE;
		for (q = p + 4; q < len; q++)
			if (is_space((unsigned char)s[q]))
				return RECOGNISE_UNSURE;
	}
	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, p - 10);
	*pairs = 2;
	return RECOGNISE_MATCH;
}

/* gate_exim_failed - the failure rule for other reasons: a line without
 * "ID ** " cannot match, the others go to PCRE2 */
static enum recognise_result
gate_exim_failed(const char *s, size_t len, struct recognise_memo *memo,
		 size_t *ovector, unsigned *pairs)
{
	(void)ovector;
	(void)pairs;
	return exim_gate(s, len, memo, EXIM_FLAG_FAILED) == 0
		   ? RECOGNISE_NOMATCH
		   : RECOGNISE_UNSURE;
}

/* recognise_exim_mua_wrapper - no groups; the whole expression is a
 * fixed start, so a line without it cannot match */
static enum recognise_result
recognise_exim_mua_wrapper(const char *s, size_t len,
			   struct recognise_memo *memo, size_t *ovector,
			   unsigned *pairs)
{
	static const char rest[] = "mua_wrapper is set but ";
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_FAILED);

	if (p == 0 || !has_at(s, len, p, rest))
		return RECOGNISE_NOMATCH;
	return match_prefix(p + sizeof rest - 1, ovector, pairs);
}

/*
 * exim_address_end - the end of the address at s[p]: a possessive run of
 * quoted strings and single bytes other than \s and "<", so it ends at
 * the first of those outside quotes.  With brackets, a domain literal
 * "[...]" without blanks and brackets inside is one piece too, and ":"
 * also ends the run.  A quote or bracket that is not closed so is a
 * single byte.  The caller has made sure that the line contains no newline.
 */
static size_t
exim_address_end(const char *s, size_t len, size_t p, bool brackets)
{
	while (p < len) {
		unsigned char c = (unsigned char)s[p];

		if (c == '"') {
			const char *close = memchr(s + p + 1, '"', len - p - 1);

			if (close != NULL) {
				p = (size_t)(close - s) + 1;
				continue;
			}
		} else if (c == '[' && brackets) {
			size_t q = p + 1;

			while (q < len && s[q] != '[' && s[q] != ']' &&
			       !is_space((unsigned char)s[q]))
				q++;
			if (q < len && s[q] == ']') {
				p = q + 1;
				continue;
			}
		}
		if (is_space(c) || c == '<' || (c == ':' && brackets))
			break;
		p++;
	}
	return p;
}

/* exim_orig - the end of " <orig>" at s[p], the first ">" closing it,
 * or 0 when none starts there */
static size_t
exim_orig(const char *s, size_t len, size_t p)
{
	const char *close;

	if (!has_at(s, len, p, " <"))
		return 0;
	close = memchr(s + p + 2, '>', len - p - 2);
	return close != NULL ? (size_t)(close - s) + 1 : 0;
}

/* nonblank_end - the end of the run of bytes other than \s at s[p] */
static size_t
nonblank_end(const char *s, size_t len, size_t p)
{
	while (p < len && !is_space((unsigned char)s[p]))
		p++;
	return p;
}

/*
 * deferred_rest - "(?: DT=\S+)?(?:: (?<text>.*))?$" at s[p] of a line
 * without newlines; on a match *text is where the text starts, or
 * PCRE2_UNSET.  A DT= value is a maximal run that reaches the end, or
 * gives back its last byte when that is ":" and a blank follows, for
 * ": " and the text; no shorter run is followed by ": ".
 */
static bool
deferred_rest(const char *s, size_t len, size_t p, size_t *text)
{
	*text = PCRE2_UNSET;
	if (has_at(s, len, p, " DT=")) {
		size_t d = nonblank_end(s, len, p + 4);

		if (d == len && d > p + 4)
			return true;
		if (d < len && s[d] == ' ' && d >= p + 6 && s[d - 1] == ':') {
			*text = d + 1;
			return true;
		}
	}
	if (has_at(s, len, p, ": ")) {
		*text = p + 2;
		return true;
	}
	return p == len;
}

/*
 * deferred_tail - "(?<host> H=.*?)?" and deferred_rest at s[p]; on a
 * match the host in [*host, *host_end), *host PCRE2_UNSET when none,
 * and the text as deferred_rest sets it.  The lazy host stops at the
 * first place where deferred_rest matches, and it matches at the end,
 * so a host that starts here always takes part.
 */
static bool
deferred_tail(const char *s, size_t len, size_t p, size_t *host,
	      size_t *host_end, size_t *text)
{
	*host = PCRE2_UNSET;
	*host_end = PCRE2_UNSET;
	if (has_at(s, len, p, " H=")) {
		size_t h = p + 3;

		while (!deferred_rest(s, len, h, text))
			h++;
		*host = p;
		*host_end = h;
		return true;
	}
	return deferred_rest(s, len, p, text);
}

/* deferred_fields - the end of the possessive run of " word" fields at
 * s[p]: each is a blank and a maximal non-blank run that does not start
 * with "defer (" */
static size_t
deferred_fields(const char *s, size_t len, size_t p)
{
	while (p + 1 < len && s[p] == ' ' && !is_space((unsigned char)s[p + 1]) &&
	       !has_at(s, len, p + 1, "defer ("))
		p = nonblank_end(s, len, p + 1);
	return p;
}

/*
 * recognise_exim_deferred - groups 1 id, 2 flag, 3 to, 4 orig, 5 fields,
 * 6 errno (positive), 7 strerror, 8 errno (other), 9 host, 10 text.
 * The address and the fields are possessive, and an errno of digits
 * ends at ")".  The lazy strerror ends at the first place where the
 * tail matches, which it does at the end.  When the rest fails after
 * " <orig>", PCRE2 would try the line without it: that and any other
 * failure after the flag is left to PCRE2.
 */
static enum recognise_result
recognise_exim_deferred(const char *s, size_t len, struct recognise_memo *memo,
			size_t *ovector, unsigned *pairs)
{
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_DEFERRED);
	size_t to_end, orig_end, f, e, c, host, host_end, text;
	size_t strerror_from = PCRE2_UNSET, strerror_to = PCRE2_UNSET;
	unsigned errno_group = 8;

	if (p == 0)
		return RECOGNISE_NOMATCH;
	if (memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;
	to_end = exim_address_end(s, len, p, false);
	if (to_end == p)
		return RECOGNISE_UNSURE;
	orig_end = exim_orig(s, len, to_end);
	f = deferred_fields(s, len, orig_end != 0 ? orig_end : to_end);
	if (!has_at(s, len, f, " defer ("))
		return RECOGNISE_UNSURE;

	e = f + 8;
	if (e < len && s[e] >= '1' && s[e] <= '9') {
		c = digits_end(s, len, e);
		if (c < len && s[c] == ')')
			errno_group = 6;
	}
	if (errno_group == 8) {
		c = e;
		while (c < len && s[c] != ')' && !is_space((unsigned char)s[c]))
			c++;
		if (c == len || s[c] != ')')
			return RECOGNISE_UNSURE;
	}
	if (errno_group == 6 && has_at(s, len, c + 1, ": ")) {
		strerror_from = c + 3;
		strerror_to = strerror_from;
		while (!deferred_tail(s, len, strerror_to, &host, &host_end,
				      &text))
			strerror_to++;
	} else if (!deferred_tail(s, len, c + 1, &host, &host_end, &text)) {
		return RECOGNISE_UNSURE;
	}

	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, p - 4);
	set_pair(ovector, 2, p - 3, p - 1);
	set_pair(ovector, 3, p, to_end);
	if (orig_end != 0)
		set_pair(ovector, 4, to_end + 2, orig_end - 1);
	else
		set_pair(ovector, 4, PCRE2_UNSET, PCRE2_UNSET);
	set_pair(ovector, 5, orig_end != 0 ? orig_end : to_end, f);
	set_pair(ovector, 6, PCRE2_UNSET, PCRE2_UNSET);
	set_pair(ovector, 8, PCRE2_UNSET, PCRE2_UNSET);
	set_pair(ovector, errno_group, e, c);
	set_pair(ovector, 7, strerror_from, strerror_to);
	set_pair(ovector, 9, host, host_end);
	set_pair(ovector, 10, text, text != PCRE2_UNSET ? len : PCRE2_UNSET);
	*pairs = text != PCRE2_UNSET	    ? 11
		 : host != PCRE2_UNSET	    ? 10
		 : errno_group == 8	    ? 9
		 : strerror_from != PCRE2_UNSET ? 8
					    : 7;
	return RECOGNISE_MATCH;
}

/* failed_keyword - "(?:L[-*.]?|K|PRDR|TFO|DS)(?=[ :])" at s[q]: its
 * end, or 0 */
static size_t
failed_keyword(const char *s, size_t len, size_t q)
{
	static const char *const words[] = {"K", "PRDR", "TFO", "DS"};
	size_t end = 0;

	if (q < len && s[q] == 'L') {
		end = q + 1;
		if (end + 1 < len &&
		    (s[end] == '-' || s[end] == '*' || s[end] == '.') &&
		    (s[end + 1] == ' ' || s[end + 1] == ':'))
			return end + 1;
	}
	for (size_t i = 0; end == 0 && i < sizeof words / sizeof words[0]; i++)
		if (has_at(s, len, q, words[i]))
			end = q + strlen(words[i]);
	return end != 0 && end < len && (s[end] == ' ' || s[end] == ':') ? end
									 : 0;
}

/*
 * failed_tag - one "key=value" field of the failure rule at s[q], with
 * an optional " (...)" and " [...]:port*" after it: its end, or 0.  The
 * key is a maximal run before "=".  The value is a closed quoted string,
 * else a maximal run of bytes other than \s and quotes that contains ":"
 * only when no blank follows.  The item is atomic, so each optional
 * part is taken whenever it matches.
 */
static size_t
failed_tag(const char *s, size_t len, size_t q)
{
	const char *close = NULL;
	size_t v;

	if (q >= len || !ascii_isalpha((unsigned char)s[q]))
		return 0;
	v = q + 1;
	while (v < len && ascii_isalnum((unsigned char)s[v]))
		v++;
	if (v == len || s[v] != '=')
		return 0;
	v++;
	if (v < len && s[v] == '"')
		close = memchr(s + v + 1, '"', len - v - 1);
	if (close != NULL) {
		v = (size_t)(close - s) + 1;
	} else {
		while (v < len && !is_space((unsigned char)s[v]) &&
		       s[v] != '"' &&
		       (s[v] != ':' || v + 1 == len || s[v + 1] != ' '))
			v++;
	}
	if (has_at(s, len, v, " (") &&
	    (close = memchr(s + v + 2, ')', len - v - 2)) != NULL)
		v = (size_t)(close - s) + 1;
	if (has_at(s, len, v, " [") &&
	    (close = memchr(s + v + 2, ']', len - v - 2)) != NULL) {
		v = (size_t)(close - s) + 1;
		if (v + 1 < len && s[v] == ':' &&
		    ascii_isdigit((unsigned char)s[v + 1]))
			v = digits_end(s, len, v + 1);
		if (v < len && s[v] == '*')
			v++;
	}
	return v;
}

/*
 * recognise_exim_failed - groups 1 id, 2 flag, 3 to, 4 orig, 5 fields,
 * 6 text.  The address and the run of fields are possessive, and each
 * field is atomic, so each has one end.  The lazy text stops before a
 * final " DT=" and a non-blank run that reaches the end of the line, and
 * only the last blank of the line can start that.  Lines on which the
 * rest fails after " <orig>" are left to PCRE2, which would try the
 * line without it.
 */
static enum recognise_result
recognise_exim_failed(const char *s, size_t len, struct recognise_memo *memo,
		      size_t *ovector, unsigned *pairs)
{
	size_t p = exim_gate(s, len, memo, EXIM_FLAG_FAILED);
	size_t to_end, orig_end, from, f, t, text_end, blank;

	if (p == 0)
		return RECOGNISE_NOMATCH;
	if (memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;
	to_end = exim_address_end(s, len, p, true);
	if (to_end == p)
		return RECOGNISE_UNSURE;
	orig_end = exim_orig(s, len, to_end);
	from = orig_end != 0 ? orig_end : to_end;
	for (f = from; f < len && s[f] == ' ';) {
		size_t end = failed_tag(s, len, f + 1);

		if (end == 0)
			end = failed_keyword(s, len, f + 1);
		if (end == 0)
			break;
		f = end;
	}
	if (has_at(s, len, f, " : "))
		t = f + 3;
	else if (has_at(s, len, f, ": "))
		t = f + 2;
	else
		return RECOGNISE_UNSURE;

	text_end = len;
	blank = len;
	while (blank > t && !is_space((unsigned char)s[blank - 1]))
		blank--;
	if (blank > t && has_at(s, len, blank - 1, " DT=") && blank + 3 < len)
		text_end = blank - 1;

	set_pair(ovector, 0, 0, len);
	set_pair(ovector, 1, 0, p - 4);
	set_pair(ovector, 2, p - 3, p - 1);
	set_pair(ovector, 3, p, to_end);
	if (orig_end != 0)
		set_pair(ovector, 4, to_end + 2, orig_end - 1);
	else
		set_pair(ovector, 4, PCRE2_UNSET, PCRE2_UNSET);
	set_pair(ovector, 5, from, f);
	set_pair(ovector, 6, t, text_end);
	*pairs = 7;
	return RECOGNISE_MATCH;
}

/* Exim's lines without a message id that carry nothing to count: the
 * queue runner's start and end, and a client without a host name. */
static const char exim_queue_run_regex[] = "^(?:Start|End) queue run: pid=";
static const char exim_session_regex[] =
    "^(?:no MAIL in SMTP connection from |SMTP call from .* dropped: |"
    "SMTP protocol error in |unexpected disconnection while reading SMTP "
    "command from |SMTP command timeout on (?:TLS )?connection from |"
    "SMTP data timeout \\(message abandoned\\) on connection from |"
    "TLS error on connection from |no host name found for IP address |"
    "no IP address found for host |bind of \\[)";

/* recognise_exim_queue_run - the two words differ in their first byte,
 * and the expression is a fixed start */
static enum recognise_result
recognise_exim_queue_run(const char *s, size_t len,
			 struct recognise_memo *memo, size_t *ovector,
			 unsigned *pairs)
{
	static const char start[] = "Start queue run: pid=";
	static const char end[] = "End queue run: pid=";

	(void)memo;
	if (has_at(s, len, 0, start))
		return match_prefix(sizeof start - 1, ovector, pairs);
	if (has_at(s, len, 0, end))
		return match_prefix(sizeof end - 1, ovector, pairs);
	return RECOGNISE_NOMATCH;
}

/* recognise_exim_session - the "no host name" branch only; no branch
 * before it starts with "no h", so PCRE2 takes that branch */
static enum recognise_result
recognise_exim_session(const char *s, size_t len, struct recognise_memo *memo,
		       size_t *ovector, unsigned *pairs)
{
	static const char no_host_name[] = "no host name found for IP address ";

	(void)memo;
	if (has_at(s, len, 0, no_host_name))
		return match_prefix(sizeof no_host_name - 1, ovector, pairs);
	return RECOGNISE_UNSURE;
}

/*
 * The first rejection rule of patterns/exim.pat, for "rejected RCPT".
 * Its groups: 1 id, 2 fields, 3 temp, 4 stage, 5 to (in angle
 * brackets), 6 to (bare), 7 text.
 */
static const char exim_reject_rcpt_regex[] =
    "^(?:(?<id>" EXIM_ID ") )?(?<fields>(?:DS )?[HU]=.*?) "
    "(?<temp>temporarily )?rejected (?<stage>RCPT) "
    "(?:<(?<to>[^>]*)>|(?<to>[^\\s<>:]+))(?:: (?<text>.*))?$";

/* The groups of a match of the rule above, as offsets into the line. */
struct reject_match {
	size_t temp;		/* PCRE2_UNSET without "temporarily " */
	size_t stage;
	size_t to_group;	/* 5 or 6 */
	size_t to_from, to_to;
	size_t text;		/* PCRE2_UNSET without ": text" */
};

/*
 * reject_address - "(?:<(?<to>[^>]*)>|(?<to>[^\s<>:]+))(?:: (?<text>.*))?$"
 * at s[t] of a line without a newline.  "[^>]*" ends at the first ">",
 * and the bare address is a maximal run, because a shorter one would
 * be followed by a byte that neither ": " nor the end accepts.
 */
static bool
reject_address(const char *s, size_t len, size_t t, struct reject_match *r)
{
	size_t end;

	if (t < len && s[t] == '<') {
		const char *close = memchr(s + t + 1, '>', len - t - 1);

		if (close == NULL)
			return false;
		r->to_group = 5;
		r->to_from = t + 1;
		r->to_to = (size_t)(close - s);
		end = r->to_to + 1;
	} else {
		end = t;
		while (end < len && !is_space((unsigned char)s[end]) &&
		       s[end] != '<' && s[end] != '>' && s[end] != ':')
			end++;
		if (end == t)
			return false;
		r->to_group = 6;
		r->to_from = t;
		r->to_to = end;
	}
	r->text = PCRE2_UNSET;
	if (end == len)
		return true;
	if (len - end >= 2 && s[end] == ':' && s[end + 1] == ' ') {
		r->text = end + 2;
		return true;
	}
	return false;
}

/*
 * reject_tail - " (?<temp>temporarily )?rejected (?<stage>RCPT) " and
 * the address at s[p], in the order PCRE2 tries them.  The two forms
 * differ in the byte after the blank, so at most one applies.
 */
static bool
reject_tail(const char *s, size_t len, size_t p, struct reject_match *r)
{
	static const char temp[] = " temporarily rejected RCPT ";
	static const char plain[] = " rejected RCPT ";

	if (has_at(s, len, p, temp)) {
		r->temp = p + 1;
		r->stage = p + sizeof temp - 6;
		return reject_address(s, len, p + sizeof temp - 1, r);
	}
	if (has_at(s, len, p, plain)) {
		r->temp = PCRE2_UNSET;
		r->stage = p + sizeof plain - 6;
		return reject_address(s, len, p + sizeof plain - 1, r);
	}
	return false;
}

/*
 * recognise_exim_reject_rcpt - the fields start after the id and its
 * blank, if the line starts so, with an optional "DS " and "H=" or
 * "U=".  Without the id, the line could match only from its first byte,
 * which is a letter or digit of the id, so neither "DS " nor "H=" or
 * "U=" is there.  The lazy fields then end at the first blank from
 * which the tail matches.  A line with a newline, or one on which no
 * blank works, goes to PCRE2.
 */
static enum recognise_result
recognise_exim_reject_rcpt(const char *s, size_t len,
			   struct recognise_memo *memo, size_t *ovector,
			   unsigned *pairs)
{
	struct reject_match r;
	size_t id, from, q;
	const char *p;

	if (memo->exim_id < 0)
		exim_read_start(s, len, memo);
	id = (size_t)memo->exim_id;
	from = id > 0 && len > id && s[id] == ' ' ? id + 1 : 0;
	q = has_at(s, len, from, "DS ") ? from + 3 : from;
	if (len - q < 2 || (s[q] != 'H' && s[q] != 'U') || s[q + 1] != '=')
		return RECOGNISE_NOMATCH;
	if (memchr(s, '\n', len) != NULL)
		return RECOGNISE_UNSURE;

	for (p = memchr(s + q + 2, ' ', len - q - 2); p != NULL;
	     p = memchr(p + 1, ' ', (size_t)(s + len - p - 1))) {
		if (!reject_tail(s, len, (size_t)(p - s), &r))
			continue;
		for (unsigned g = 1; g < 8; g++)
			set_pair(ovector, g, PCRE2_UNSET, PCRE2_UNSET);
		set_pair(ovector, 0, 0, len);
		if (from > 0)
			set_pair(ovector, 1, 0, id);
		set_pair(ovector, 2, from, (size_t)(p - s));
		if (r.temp != PCRE2_UNSET)
			set_pair(ovector, 3, r.temp, r.temp + 12);
		set_pair(ovector, 4, r.stage, r.stage + 4);
		set_pair(ovector, (unsigned)r.to_group, r.to_from, r.to_to);
		if (r.text != PCRE2_UNSET)
			set_pair(ovector, 7, r.text, len);
		*pairs = r.text != PCRE2_UNSET ? 8 : (unsigned)r.to_group + 1;
		return RECOGNISE_MATCH;
	}
	return RECOGNISE_UNSURE;
}

/* The recognisers, by the regular expression each stands for.  Those of
 * Exim's rules that start with the id read it once per subject, so they
 * reject a line sooner than a search for a literal could. */
static const struct {
	const char *regex;
	size_t len;
	pattern_recogniser recognise;
	bool first;
} recognisers[] = {
    {delivery_regex, sizeof delivery_regex - 1, recognise_postfix_delivery,
     false},
    {postfix_sender_regex, sizeof postfix_sender_regex - 1,
     recognise_postfix_sender, false},
    {postfix_removed_regex, sizeof postfix_removed_regex - 1,
     recognise_postfix_removed, false},
    {postfix_connect_regex, sizeof postfix_connect_regex - 1,
     recognise_postfix_connect, false},
    {postfix_client_regex, sizeof postfix_client_regex - 1,
     recognise_postfix_client, false},
    {postfix_message_id_regex, sizeof postfix_message_id_regex - 1,
     recognise_postfix_message_id, false},
    {postfix_postscreen_regex, sizeof postfix_postscreen_regex - 1,
     recognise_postfix_postscreen, false},
    {postfix_tls_regex, sizeof postfix_tls_regex - 1, recognise_postfix_tls,
     false},
    {postfix_pickup_regex, sizeof postfix_pickup_regex - 1,
     recognise_postfix_pickup, false},
    {postfix_notification_regex, sizeof postfix_notification_regex - 1,
     recognise_postfix_notification, false},
    {postfix_statistics_regex, sizeof postfix_statistics_regex - 1,
     recognise_postfix_statistics, false},
    {exim_arrival_regex, sizeof exim_arrival_regex - 1,
     recognise_exim_arrival, true},
    {exim_delivery_regex, sizeof exim_delivery_regex - 1,
     recognise_exim_delivery, true},
    {exim_mua_wrapper_regex, sizeof exim_mua_wrapper_regex - 1,
     recognise_exim_mua_wrapper, true},
    {exim_failed_regex, sizeof exim_failed_regex - 1, recognise_exim_failed,
     true},
    {exim_failed_routing_regex, sizeof exim_failed_routing_regex - 1,
     gate_exim_failed, true},
    {exim_deferred_regex, sizeof exim_deferred_regex - 1,
     recognise_exim_deferred, true},
    {exim_removed_regex, sizeof exim_removed_regex - 1,
     recognise_exim_removed, true},
    {exim_queue_run_regex, sizeof exim_queue_run_regex - 1,
     recognise_exim_queue_run, false},
    {exim_session_regex, sizeof exim_session_regex - 1,
     recognise_exim_session, false},
    {exim_reject_rcpt_regex, sizeof exim_reject_rcpt_regex - 1,
     recognise_exim_reject_rcpt, true},
};

pattern_recogniser
pattern_recogniser_find(const char *regex, size_t len, bool *first)
{
	*first = false;
	for (size_t i = 0; i < sizeof recognisers / sizeof recognisers[0]; i++) {
		if (len == recognisers[i].len &&
		    memcmp(regex, recognisers[i].regex, len) == 0) {
			*first = recognisers[i].first;
			return recognisers[i].recognise;
		}
	}
	return NULL;
}
