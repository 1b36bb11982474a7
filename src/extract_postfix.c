/* SPDX-License-Identifier: MIT */
/*
 * extract_postfix.c - Postfix log lines to events
 *
 * The rules in patterns/postfix.pat find the line shapes; this file turns
 * their named captures into events.  Each rule's kind and groups are
 * found once, at the first line that matches (read_rules()).  Rule kinds
 * and the captures each one uses:
 *	delivery	qid, to, fields, status, text (without the closing
 *			parenthesis, which is removed here when present)
 *	reject		qid, action, stage, client, text, from, to
 *	sender		qid, from
 *	expired		qid, from, status
 *	removed		qid
 *	notification	qid
 *	info		(none; the line is recognised and not counted)
 * "fields" is the run of "key=value, " pairs between to= and status=;
 * they are read by name, so their order and any new keys do not matter.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"
#include "extract_postfix_impl.h"

extern const char postfix_pat[];
extern const size_t postfix_pat_len;

static const char *const kinds[] = {
	"delivery", "reject", "sender", "expired",
	"removed", "notification", "info",
};

/* Rule kinds, in the order of kinds[]. */
enum postfix_kind {
	KIND_DELIVERY,
	KIND_REJECT,
	KIND_SENDER,
	KIND_EXPIRED,
	KIND_REMOVED,
	KIND_NOTIFICATION,
	KIND_INFO,
	KIND_COUNT
};

/* The captures the extractor reads, in the order of group_names[]. */
enum postfix_group {
	GROUP_QID,
	GROUP_TO,
	GROUP_FIELDS,
	GROUP_STATUS,
	GROUP_TEXT,
	GROUP_ACTION,
	GROUP_STAGE,
	GROUP_CLIENT,
	GROUP_FROM,
	GROUP_COUNT
};

static const char *const group_names[GROUP_COUNT] = {
	"qid", "to", "fields", "status", "text",
	"action", "stage", "client", "from",
};

/* One rule as the extractor reads it, found once: its kind and the
 * groups of each capture name, so that a line compares no names. */
struct postfix_rule {
	enum postfix_kind kind;
	struct pattern_name groups[GROUP_COUNT];
};

/* The table of rules, one entry per rule of the extractor's set in file
 * order, made at the first line that matches.  Nothing in it depends on
 * the input, so the back end needs no state_reset(). */
struct postfix_state {
	struct postfix_rule *rules;
};

/* kind_of - the kind of a rule.  postfix_check() has rejected a set
 * with an unknown kind. */
static enum postfix_kind
kind_of(const struct pattern_rule *rule)
{
	size_t k = pattern_rule_kind_index(rule, kinds, KIND_COUNT);

	return k < KIND_COUNT ? (enum postfix_kind)k : KIND_INFO;
}

static int
postfix_check(const struct pattern_set *set)
{
	return pattern_set_check_kinds(set, "postfix", kinds, KIND_COUNT);
}

static void *
postfix_state_new(void)
{
	return xcalloc(1, sizeof(struct postfix_state));
}

static void
postfix_state_free(void *state)
{
	struct postfix_state *st = state;

	if (st == NULL)
		return;
	free(st->rules);
	free(st);
}

/* read_rules - the kind and groups of every rule of set, into st */
static void
read_rules(struct postfix_state *st, const struct pattern_set *set)
{
	size_t n = pattern_set_rule_count(set);

	st->rules = xcalloc(n, sizeof *st->rules);
	for (size_t i = 0; i < n; i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		struct postfix_rule *r = &st->rules[i];

		r->kind = kind_of(rule);
		pattern_rule_names(rule, group_names, GROUP_COUNT, r->groups);
	}
}

/* capture - the group of m's rule named by g, as pattern_capture() with
 * its name would read it; r is the entry of m->rule */
static inline struct span
capture(const struct postfix_rule *r, const struct pattern_match *m,
	enum postfix_group g)
{
	return pattern_capture_by(m, r->groups[g]);
}

/* span_ieq - ASCII case-insensitive comparison with a C string */
static bool
span_ieq(struct span s, const char *text)
{
	size_t n = strlen(text);

	return s.ptr != NULL && s.len == n && ascii_casecmp_n(s.ptr, text, n);
}

/* next_item - the "k=v" item of fields at *pos, moving *pos past it,
 * its comma and the blanks after that */
static struct span
next_item(struct span fields, size_t *pos)
{
	const char *item = fields.ptr + *pos;
	size_t rest = fields.len - *pos;
	const char *comma = memchr(item, ',', rest);
	size_t item_len = comma ? (size_t)(comma - item) : rest;

	*pos += item_len + 1;
	while (*pos < fields.len && fields.ptr[*pos] == ' ')
		(*pos)++;
	return span_make(item, item_len);
}

/* item_value - the value of item when it is "key=value" (klen bytes of
 * key), else an absent span */
static struct span
item_value(struct span item, const char *key, size_t klen)
{
	if (item.len > klen && memcmp(item.ptr, key, klen) == 0 &&
	    item.ptr[klen] == '=')
		return span_make(item.ptr + klen + 1, item.len - klen - 1);
	return span_make(NULL, 0);
}

struct span
postfix_field_value(struct span fields, const char *key)
{
	size_t klen = strlen(key);
	size_t pos = 0;

	while (pos < fields.len) {
		struct span value = item_value(next_item(fields, &pos), key,
					       klen);

		if (value.ptr != NULL)
			return value;
	}
	return span_make(NULL, 0);
}

/* take - set *value to the value of item under key, unless an earlier
 * item set it */
static void
take(struct span *value, struct span item, const char *key, size_t klen)
{
	if (value->ptr == NULL)
		*value = item_value(item, key, klen);
}

void
postfix_fields_read(struct span fields, struct postfix_fields *out)
{
	size_t pos = 0;

	out->relay = out->dsn = out->orig_to = span_make(NULL, 0);
	while (pos < fields.len) {
		struct span item = next_item(fields, &pos);

		/* The three keys differ in their first byte, which also
		 * rules out most others (delay=, delays=, conn_use=) at
		 * once. */
		switch (item.ptr[0]) {
		case 'r':
			take(&out->relay, item, "relay", 5);
			break;
		case 'd':
			take(&out->dsn, item, "dsn", 3);
			break;
		case 'o':
			take(&out->orig_to, item, "orig_to", 7);
			break;
		}
	}
}

/* strip_angles - "<a@b>" to "a@b" */
static struct span
strip_angles(struct span s)
{
	if (s.len >= 2 && s.ptr[0] == '<' && s.ptr[s.len - 1] == '>')
		return span_make(s.ptr + 1, s.len - 2);
	return s;
}

/* status_word - map status= to an outcome; false for unknown words */
static bool
status_word(struct span word, struct span text, struct event *ev)
{
	if (span_ieq(word, "SOFTBOUNCE")) {
		ev->status = STATUS_DEFERRED;
		ev->soft_bounce = true;
	} else if (span_ieq(word, "sent")) {
		bool forwarded = text.len >= 13 &&
				 memcmp(text.ptr, "forwarded as ", 13) == 0;

		ev->status = forwarded ? STATUS_FORWARDED : STATUS_SENT;
	} else if (span_ieq(word, "deferred")) {
		ev->status = STATUS_DEFERRED;
	} else if (span_ieq(word, "bounced")) {
		ev->status = STATUS_BOUNCED;
	} else if (span_ieq(word, "expired")) {
		ev->status = STATUS_EXPIRED;
	} else if (span_ieq(word, "deliverable")) {
		ev->status = STATUS_PROBE_OK;
	} else if (span_ieq(word, "undeliverable") ||
		   span_ieq(word, "undeliverable-but-not-cached")) {
		ev->status = STATUS_PROBE_FAIL;
	} else {
		return false;
	}
	return true;
}

/* find_host_in_text - "connect to H[A]:25: ..." when relay=none */
static void
find_host_in_text(struct span text, struct event *ev)
{
	static const char *const lead[] = {"connect to ", "host ",
					   "conversation with ",
					   "lost connection with "};

	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
		size_t n = strlen(lead[i]);

		for (size_t pos = 0; pos + n < text.len; pos++) {
			const char *p = text.ptr + pos;
			const char *end;

			/* The first byte rules out most places without a
			 * call to memcmp(). */
			if (*p != lead[i][0] || memcmp(p, lead[i], n) != 0)
				continue;
			p += n;
			end = p;
			while (end < text.ptr + text.len && *end != ' ' &&
			       *end != ']')
				end++;
			if (end < text.ptr + text.len && *end == ']') {
				event_split_host(span_make(p, (size_t)(end + 1 - p)),
						 &ev->remote_host,
						 &ev->remote_addr);
				return;
			}
		}
	}
}

static enum extract_result
convert_delivery(const struct postfix_rule *r, const struct pattern_match *m,
		 struct event *ev)
{
	struct postfix_fields f;

	postfix_fields_read(capture(r, m, GROUP_FIELDS), &f);
	event_init(ev, EVENT_DELIVERY);
	ev->queue_id = capture(r, m, GROUP_QID);
	ev->recipient = capture(r, m, GROUP_TO);
	ev->orig_recipient = strip_angles(f.orig_to);
	ev->text = capture(r, m, GROUP_TEXT);
	if (ev->text.len > 0 && ev->text.ptr[ev->text.len - 1] == ')')
		ev->text.len--;
	if (!status_word(capture(r, m, GROUP_STATUS), ev->text, ev))
		return EXTRACT_UNKNOWN;
	if (span_present(f.dsn))
		status_parse_enhanced(f.dsn.ptr, f.dsn.len, &ev->enh);

	/* relay=none means no host was reached; the text may name one. */
	if (span_present(f.relay) && !span_equal(f.relay, "none"))
		event_split_host(f.relay, &ev->remote_host, &ev->remote_addr);
	else if (span_present(ev->text))
		find_host_in_text(ev->text, ev);
	return EXTRACT_EVENT;
}

static enum extract_result
convert_reject(const struct postfix_rule *r, const struct pattern_match *m,
	       struct event *ev)
{
	struct span action = capture(r, m, GROUP_ACTION);

	event_init(ev, EVENT_REJECT);
	ev->warning_only = span_equal(action, "reject_warning");
	ev->queue_id = capture(r, m, GROUP_QID);
	ev->stage = capture(r, m, GROUP_STAGE);
	ev->text = capture(r, m, GROUP_TEXT);
	ev->sender = capture(r, m, GROUP_FROM);
	ev->recipient = capture(r, m, GROUP_TO);
	event_split_host(capture(r, m, GROUP_CLIENT), &ev->client_host,
			 &ev->client_addr);
	return EXTRACT_EVENT;
}

static enum extract_result
postfix_convert(const struct postfix_rule *r, const struct pattern_match *m,
		struct event *ev)
{
	switch (r->kind) {
	case KIND_DELIVERY:
		return convert_delivery(r, m, ev);
	case KIND_REJECT:
		return convert_reject(r, m, ev);
	case KIND_SENDER:
		event_init(ev, EVENT_SENDER);
		break;
	case KIND_EXPIRED:
		event_init(ev, EVENT_EXPIRED);
		break;
	case KIND_REMOVED:
		event_init(ev, EVENT_REMOVED);
		break;
	case KIND_NOTIFICATION:
		event_init(ev, EVENT_NOTIFICATION);
		break;
	case KIND_INFO:
	case KIND_COUNT:
		return EXTRACT_INFO;
	}
	ev->queue_id = capture(r, m, GROUP_QID);
	ev->sender = capture(r, m, GROUP_FROM);
	return EXTRACT_EVENT;
}

/* postfix_line - Postfix logs only through syslog */
static enum extract_result
postfix_line(struct extractor *x, struct extract_line *in, struct event *ev)
{
	const struct sysline *hdr = in->hdr;
	struct postfix_state *st = extractor_state(x);
	struct pattern_match m;

	if (hdr == NULL)
		return EXTRACT_UNKNOWN;
	switch (pattern_set_match(extractor_patterns(x), hdr->daemon,
				  hdr->message.ptr, hdr->message.len, &m)) {
	case PATTERN_NOMATCH:
		return EXTRACT_UNKNOWN;
	case PATTERN_LIMIT:
		return EXTRACT_LIMIT;
	case PATTERN_MATCH:
		break;
	}
	if (st->rules == NULL)
		read_rules(st, extractor_patterns(x));
	return postfix_convert(&st->rules[pattern_rule_index(m.rule)], &m, ev);
}

const struct extractor_backend extract_postfix = {
	.name = "postfix",
	.builtin = postfix_pat,
	.builtin_len = &postfix_pat_len,
	.syslog = true,
	.check = postfix_check,
	.state_new = postfix_state_new,
	.state_free = postfix_state_free,
	.line = postfix_line,
};
