/* SPDX-License-Identifier: MIT */
/*
 * extract_sendmail.c - Sendmail log lines to events
 *
 * The rules in patterns/sendmail.pat find the line shapes; this file turns
 * their named captures into events.  Rule kinds and the captures each one
 * uses:
 *	delivery	qid, to, fields, stat
 *	sender		qid, from
 *	notification	qid, text
 *	reject		qid, ruleset, arg1, arg2, client, client_host,
 *			client_addr, to, from, text
 *	info		(none; the line is recognised and not counted)
 *
 * One delivery line may list several recipients ("to=<a>,<b>"); each gets
 * its own event through sendmail_more().  A notification that reports
 * the message's expiry ("Cannot send message for 5 days") gives an expiry
 * and then a notification.  When a delivery line has already reported the
 * expiry of that queue id's recipients, or an earlier notice the expiry
 * of the message, the notification is all it gives, so that an expiry is
 * counted once.  Those queue ids are kept in a table of EXPIRED_SLOTS
 * slots.  Sendmail logs no removal line, so its sender and delivery
 * events carry end_unlogged: the tally's queue tracker ends a message an
 * hour after its last line once a recipient had a final status and none
 * is deferred.  Sendmail logs every recipient's status in one delivery
 * attempt, so no later line is expected then.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"

extern const char sendmail_pat[];
extern const size_t sendmail_pat_len;

static const char *const kinds[] = {
	"delivery", "sender", "notification", "reject", "info",
};

/* Rule kinds, in the order of kinds[]. */
enum sendmail_kind {
	KIND_DELIVERY,
	KIND_SENDER,
	KIND_NOTIFICATION,
	KIND_REJECT,
	KIND_INFO,
	KIND_COUNT
};

/* The captures the extractor reads, in the order of group_names[]. */
enum sendmail_group {
	GROUP_QID,
	GROUP_TO,
	GROUP_FROM,
	GROUP_FIELDS,
	GROUP_STAT,
	GROUP_TEXT,
	GROUP_RULESET,
	GROUP_ARG1,
	GROUP_ARG2,
	GROUP_CLIENT,
	GROUP_CLIENT_HOST,
	GROUP_CLIENT_ADDR,
	GROUP_COUNT
};

static const char *const group_names[GROUP_COUNT] = {
	"qid", "to", "from", "fields", "stat", "text", "ruleset",
	"arg1", "arg2", "client", "client_host", "client_addr",
};

/* One rule as the extractor reads it, found once: its kind and the
 * groups of each capture name, so that a line compares no names. */
struct sendmail_rule {
	enum sendmail_kind kind;
	struct pattern_name groups[GROUP_COUNT];
};

/*
 * Slots of the table of expired queue ids, a power of two.  A queue id's
 * slot is chosen by a hash of the id.  A newer id that lands in a taken
 * slot replaces the older one, whose next expiry notice then counts the
 * expiry once more.  The size is an estimate: an id is needed only until
 * its message's notices are logged, which follow the message's last
 * delivery lines.
 */
#define EXPIRED_SLOTS 256

/* Maximum length of a queue id kept in the table; the shipped rules take
 * 8 to 20 letters and digits.  Longer ids are not kept. */
#define QID_MAX 20

/* Maximum length of the syslog host kept with a queue id: a queue id
 * names a message of one host only.  An expiry logged by a host with a
 * longer name is not kept either. */
#define HOST_MAX 64

struct expired_qid {
	size_t len;		/* 0 for a free slot */
	char qid[QID_MAX];
	size_t host_len;
	char host[HOST_MAX];
};

struct sendmail_state {
	/* Events of the current line that sendmail_more() has yet to
	 * return. */
	struct event base;	/* the first event of the line */
	struct span rest;	/* recipients not yet returned */
	bool notify;		/* an expiry still owes its notification */

	/* Queue ids whose expiry has been counted, with their hosts, and
	 * the host of the line being converted. */
	struct expired_qid expired[EXPIRED_SLOTS];
	struct span host;

	/* One entry per rule of the extractor's set, in file order, made
	 * at the first line that matches and kept across inputs. */
	struct sendmail_rule *rules;
};

/* SMTP stage of a rejection, by ruleset or milter step. */
static const struct {
	const char *name;
	const char *stage;
} stages[] = {
	{"check_relay", "CONNECT"},	{"connect", "CONNECT"},
	{"tcpwrappers", "CONNECT"},	{"check_helo", "HELO"},
	{"helo", "HELO"},		{"check_mail", "MAIL"},
	{"from", "MAIL"},		{"envfrom", "MAIL"},
	{"check_rcpt", "RCPT"},		{"tls_rcpt", "RCPT"},
	{"check_compat", "RCPT"},	{"to", "RCPT"},
	{"rcpt", "RCPT"},		{"envrcpt", "RCPT"},
	{"check_data", "DATA"},		{"check_eoh", "END-OF-MESSAGE"},
	{"check_eom", "END-OF-MESSAGE"}, {"data", "END-OF-MESSAGE"},
	{"eoh", "END-OF-MESSAGE"},	{"eom", "END-OF-MESSAGE"},
	{"header", "END-OF-MESSAGE"},	{"body", "END-OF-MESSAGE"},
	{"check_etrn", "ETRN"},		{"check_expn", "EXPN"},
	{"check_vrfy", "VRFY"},
};

static int
sendmail_check(const struct pattern_set *set)
{
	return pattern_set_check_kinds(set, "sendmail", kinds, KIND_COUNT);
}

static void *
sendmail_state_new(void)
{
	return xcalloc(1, sizeof(struct sendmail_state));
}

/* sendmail_state_reset - forget the input, but keep the table of rules,
 * which depends on the pattern set alone */
static void
sendmail_state_reset(void *state)
{
	struct sendmail_state *st = state;
	struct sendmail_rule *rules = st->rules;

	memset(st, 0, sizeof *st);
	st->rules = rules;
}

static void
sendmail_state_free(void *state)
{
	struct sendmail_state *st = state;

	if (st == NULL)
		return;
	free(st->rules);
	free(st);
}

/* kind_of - the kind of a rule.  sendmail_check() has rejected a set
 * with an unknown kind. */
static enum sendmail_kind
kind_of(const struct pattern_rule *rule)
{
	size_t k = pattern_rule_kind_index(rule, kinds, KIND_COUNT);

	return k < KIND_COUNT ? (enum sendmail_kind)k : KIND_INFO;
}

/* read_rules - the kind and groups of every rule of set, into st */
static void
read_rules(struct sendmail_state *st, const struct pattern_set *set)
{
	size_t n = pattern_set_rule_count(set);

	st->rules = xcalloc(n, sizeof *st->rules);
	for (size_t i = 0; i < n; i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		struct sendmail_rule *r = &st->rules[i];

		r->kind = kind_of(rule);
		pattern_rule_names(rule, group_names, GROUP_COUNT, r->groups);
	}
}

/* capture - the group of m's rule named by g, as pattern_capture() with
 * its name would read it; r is the entry of m->rule */
static inline struct span
capture(const struct sendmail_rule *r, const struct pattern_match *m,
	enum sendmail_group g)
{
	return pattern_capture_by(m, r->groups[g]);
}

/* line_reset - forget the events of the previous line */
static void
line_reset(struct sendmail_state *st)
{
	memset(&st->base, 0, sizeof st->base);
	st->rest = span_make(NULL, 0);
	st->notify = false;
}

/* expired_slot - the table slot of queue id qid of the line's host
 * (FNV-1a hash of both) */
static struct expired_qid *
expired_slot(struct sendmail_state *st, struct span qid)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < qid.len; i++)
		h = (h ^ (unsigned char)qid.ptr[i]) * 16777619u;
	for (size_t i = 0; i < st->host.len; i++)
		h = (h ^ (unsigned char)st->host.ptr[i]) * 16777619u;
	return &st->expired[h & (EXPIRED_SLOTS - 1)];
}

/* expired_keeps - can the table hold qid and the line's host? */
static bool
expired_keeps(const struct sendmail_state *st, struct span qid)
{
	return span_present(qid) && qid.len > 0 && qid.len <= QID_MAX &&
	       st->host.len <= HOST_MAX;
}

/* expired_mark - remember that the expiry of qid has been counted */
static void
expired_mark(struct sendmail_state *st, struct span qid)
{
	struct expired_qid *slot;

	if (!expired_keeps(st, qid))
		return;
	slot = expired_slot(st, qid);
	memcpy(slot->qid, qid.ptr, qid.len);
	slot->len = qid.len;
	if (st->host.len > 0)
		memcpy(slot->host, st->host.ptr, st->host.len);
	slot->host_len = st->host.len;
}

/* expired_seen - has the expiry of qid of the line's host been counted? */
static bool
expired_seen(struct sendmail_state *st, struct span qid)
{
	struct expired_qid *slot;

	if (!expired_keeps(st, qid))
		return false;
	slot = expired_slot(st, qid);
	return slot->len == qid.len &&
	       memcmp(slot->qid, qid.ptr, qid.len) == 0 &&
	       slot->host_len == st->host.len &&
	       (st->host.len == 0 ||
		memcmp(slot->host, st->host.ptr, st->host.len) == 0);
}

/* starts_with - s begins with the C string prefix */
static bool
starts_with(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.ptr != NULL && s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

/* trim - s without blanks at either end */
static struct span
trim(struct span s)
{
	while (s.len > 0 && ascii_isblank((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len > 0 && ascii_isblank((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

/* strip_angles - "<a@b>" to "a@b" */
static struct span
strip_angles(struct span s)
{
	if (s.len >= 2 && s.ptr[0] == '<' && s.ptr[s.len - 1] == '>')
		return span_make(s.ptr + 1, s.len - 2);
	return s;
}

/*
 * field_value - the value of "key=" in a "k=v, k=v, " run, or absent.
 * Values run to the next ", ", so "relay=mx.example.org. [192.0.2.1]"
 * keeps its blank.
 */
static struct span
field_value(struct span fields, const char *key)
{
	size_t klen = strlen(key);
	size_t pos = 0;

	while (pos < fields.len) {
		const char *item = fields.ptr + pos;
		size_t rest = fields.len - pos;
		size_t item_len = 0;

		while (item_len < rest &&
		       !(item[item_len] == ',' && item_len + 1 < rest &&
			 item[item_len + 1] == ' '))
			item_len++;
		if (item_len > klen && memcmp(item, key, klen) == 0 &&
		    item[klen] == '=')
			return span_make(item + klen + 1, item_len - klen - 1);
		pos += item_len + 2;
	}
	return span_make(NULL, 0);
}

/* drop_final_dot - "mx.example.org." to "mx.example.org" */
static struct span
drop_final_dot(struct span s)
{
	if (s.len > 1 && s.ptr[s.len - 1] == '.')
		s.len--;
	return s;
}

/* drop_ipv6_tag - "IPv6:2001:db8::1" to "2001:db8::1" */
static struct span
drop_ipv6_tag(struct span s)
{
	if (s.len > 5 && ascii_casecmp_n(s.ptr, "IPv6:", 5))
		return span_make(s.ptr + 5, s.len - 5);
	return s;
}

/*
 * split_relay - "host [addr]", "host", "[addr] [addr]" or "[addr]", each
 * with an optional " (may be forged)", into host and address.  A name
 * that is an address literal gives an empty host, as Postfix's "unknown"
 * does.
 */
static void
split_relay(struct span relay, struct span *host, struct span *addr)
{
	struct span name;
	struct span rest;
	const char *open;
	const char *close = NULL;
	size_t i = 0;

	*host = span_make(NULL, 0);
	*addr = span_make(NULL, 0);
	relay = trim(relay);
	if (relay.len == 0)
		return;

	while (i < relay.len && relay.ptr[i] != ' ')
		i++;
	name = span_make(relay.ptr, i);
	rest = span_make(relay.ptr + i, relay.len - i);
	open = memchr(rest.ptr, '[', rest.len);
	if (open != NULL)
		close = memchr(open, ']', rest.len - (size_t)(open - rest.ptr));
	if (close != NULL)
		*addr = drop_ipv6_tag(span_make(open + 1,
						(size_t)(close - open - 1)));

	if (name.len >= 2 && name.ptr[0] == '[' &&
	    name.ptr[name.len - 1] == ']') {
		if (!span_present(*addr))
			*addr = drop_ipv6_tag(span_make(name.ptr + 1,
							name.len - 2));
		*host = span_make("", 0);
		return;
	}
	*host = drop_final_dot(name);
}

/*
 * next_recipient - take the next address from a "to=" list such as
 * "<a@x>,<b@y>, [more]".  Commas inside double quotes ("|prog a,b") do
 * not split.  Returns false when the list has no more addresses.
 */
static bool
next_recipient(struct span *list, struct span *out)
{
	while (list->len > 0) {
		size_t i = 0;
		bool quoted = false;
		struct span item;

		while (i < list->len && (quoted || list->ptr[i] != ',')) {
			if (list->ptr[i] == '"')
				quoted = !quoted;
			i++;
		}
		item = trim(span_make(list->ptr, i));
		if (i < list->len)
			i++;
		list->ptr += i;
		list->len -= i;

		if (item.len >= 6 &&
		    memcmp(item.ptr + item.len - 6, "[more]", 6) == 0)
			item = trim(span_make(item.ptr, item.len - 6));
		item = strip_angles(item);
		if (item.len > 0) {
			*out = item;
			return true;
		}
	}
	return false;
}

/*
 * delivery_status - set the outcome from stat= and dsn=.  "Sent (...)"
 * and "Deferred: ..." name it, with the reply inside; "queued" is no
 * outcome (false).  Any other stat is a failure whose class the dsn
 * gives: Sendmail writes its own short text there ("User unknown",
 * "Service unavailable") and the remote reply only on deferrals.
 */
static bool
delivery_status(struct span stat, struct event *ev)
{
	static const char *const expired[] = {"Cannot send message for ",
					      "delivery time expired"};

	if (span_equal(stat, "queued"))
		return false;
	if (starts_with(stat, "Sent")) {
		struct span text = trim(span_make(stat.ptr + 4, stat.len - 4));

		ev->status = STATUS_SENT;
		if (text.len >= 2 && text.ptr[0] == '(' &&
		    text.ptr[text.len - 1] == ')')
			ev->text = span_make(text.ptr + 1, text.len - 2);
		else if (text.len > 0)
			ev->text = text;
		return true;
	}
	if (starts_with(stat, "Deferred")) {
		struct span text = span_make(stat.ptr + 8, stat.len - 8);

		ev->status = STATUS_DEFERRED;
		if (text.len > 0 && text.ptr[0] == ':')
			text = span_make(text.ptr + 1, text.len - 1);
		text = trim(text);
		if (text.len > 0)
			ev->text = text;
		return true;
	}

	ev->text = stat;
	for (size_t i = 0; i < sizeof expired / sizeof expired[0]; i++) {
		if (starts_with(stat, expired[i])) {
			ev->status = STATUS_EXPIRED;
			return true;
		}
	}
	if (ev->enh.cls == 2)
		ev->status = STATUS_SENT;
	else if (ev->enh.cls == 4)
		ev->status = STATUS_DEFERRED;
	else
		ev->status = STATUS_BOUNCED;
	return true;
}

/* smtp_mailer - one of the mailers of Sendmail's smtp.m4, which send
 * over SMTP to a remote host */
static bool
smtp_mailer(struct span mailer)
{
	static const char *const names[] = {"smtp", "esmtp", "smtp8", "dsmtp",
					    "relay"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (span_equal(mailer, names[i]))
			return true;
	return false;
}

static enum extract_result
convert_delivery(struct sendmail_state *st, const struct sendmail_rule *r,
		 const struct pattern_match *m, struct event *ev)
{
	struct span fields = capture(r, m, GROUP_FIELDS);
	struct span relay = field_value(fields, "relay");
	struct span dsn = field_value(fields, "dsn");
	struct span list = capture(r, m, GROUP_TO);
	struct span mailer = field_value(fields, "mailer");

	event_init(ev, EVENT_DELIVERY);
	ev->queue_id = capture(r, m, GROUP_QID);
	ev->end_unlogged = true;
	if (span_present(dsn))
		status_parse_enhanced(dsn.ptr, dsn.len, &ev->enh);
	if (!delivery_status(trim(capture(r, m, GROUP_STAT)), ev))
		return EXTRACT_INFO;

	/* Local mailers log no relay; name the mailer instead, as Postfix
	 * names its local transport.  An SMTP mailer without a relay never
	 * reached a host. */
	if (span_present(relay))
		split_relay(relay, &ev->remote_host, &ev->remote_addr);
	else if (!smtp_mailer(mailer))
		ev->remote_host = mailer;
	if (ev->remote_host.len == 0 && span_present(ev->remote_addr))
		ev->remote_host = ev->remote_addr;

	if (!next_recipient(&list, &ev->recipient))
		return EXTRACT_UNKNOWN;
	/* NOTE: a recipient given up after its message's expiry notice still
	 * counts, although the notice has charged the recipients that were
	 * deferred.  Only the order "delivery lines, then notice" is
	 * deduplicated. */
	if (ev->status == STATUS_EXPIRED)
		expired_mark(st, ev->queue_id);
	st->base = *ev;
	st->rest = list;
	return EXTRACT_EVENT;
}

/* stage_of - the SMTP stage for a ruleset or milter step */
static struct span
stage_of(struct span name)
{
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
		if (span_equal(name, stages[i].name))
			return span_make(stages[i].stage,
					 strlen(stages[i].stage));
	return name;
}

static enum extract_result
convert_reject(const struct sendmail_rule *r, const struct pattern_match *m,
	       struct event *ev)
{
	struct span ruleset = capture(r, m, GROUP_RULESET);
	struct span arg1 = strip_angles(trim(capture(r, m, GROUP_ARG1)));
	struct span client = capture(r, m, GROUP_CLIENT);

	event_init(ev, EVENT_REJECT);
	ev->queue_id = capture(r, m, GROUP_QID);
	ev->text = capture(r, m, GROUP_TEXT);
	ev->recipient = capture(r, m, GROUP_TO);
	ev->sender = capture(r, m, GROUP_FROM);
	ev->client_host = capture(r, m, GROUP_CLIENT_HOST);
	ev->client_addr = capture(r, m, GROUP_CLIENT_ADDR);
	if (span_present(client))
		split_relay(client, &ev->client_host, &ev->client_addr);

	if (span_present(ruleset)) {
		ev->stage = stage_of(ruleset);
	} else if (span_present(ev->recipient)) {
		ev->stage = span_make("RCPT", 4);
	}

	/* arg1 is the address the ruleset checked; check_relay's arg1 and
	 * arg2 are the client's name and address. */
	if (span_present(arg1) && span_equal(ev->stage, "RCPT") &&
	    !span_present(ev->recipient))
		ev->recipient = arg1;
	else if (span_present(arg1) && span_equal(ev->stage, "MAIL") &&
		 !span_present(ev->sender))
		ev->sender = arg1;
	else if (span_equal(ruleset, "check_relay") &&
		 !span_present(ev->client_host) && !span_present(client)) {
		split_relay(arg1, &ev->client_host, &ev->client_addr);
		if (span_present(capture(r, m, GROUP_ARG2)))
			ev->client_addr = capture(r, m, GROUP_ARG2);
	}
	if (span_equal(ev->client_host, "<unknown>"))
		ev->client_host = span_make("", 0);
	return EXTRACT_EVENT;
}

/*
 * convert_notification - a DSN line; an expiry notice is first an expiry
 * of the original queue id, and its notification follows from
 * sendmail_more().  It is only a notification when the expiry of that
 * queue id has been counted already.
 */
static enum extract_result
convert_notification(struct sendmail_state *st, const struct sendmail_rule *r,
		     const struct pattern_match *m, struct event *ev)
{
	struct span text = capture(r, m, GROUP_TEXT);
	struct span qid = capture(r, m, GROUP_QID);
	bool expired = starts_with(text, "Cannot send message for ") ||
		       starts_with(text, "delivery time expired");

	if (expired && expired_seen(st, qid))
		expired = false;
	else if (expired)
		expired_mark(st, qid);
	event_init(ev, expired ? EVENT_EXPIRED : EVENT_NOTIFICATION);
	ev->queue_id = qid;
	ev->text = text;
	if (expired) {
		st->base = *ev;
		st->base.type = EVENT_NOTIFICATION;
		st->notify = true;
	}
	return EXTRACT_EVENT;
}

static enum extract_result
sendmail_convert(struct sendmail_state *st, const struct sendmail_rule *r,
		 const struct pattern_match *m, struct event *ev)
{
	switch (r->kind) {
	case KIND_DELIVERY:
		return convert_delivery(st, r, m, ev);
	case KIND_REJECT:
		return convert_reject(r, m, ev);
	case KIND_NOTIFICATION:
		return convert_notification(st, r, m, ev);
	case KIND_SENDER:
		event_init(ev, EVENT_SENDER);
		ev->queue_id = capture(r, m, GROUP_QID);
		ev->end_unlogged = true;
		ev->sender = capture(r, m, GROUP_FROM);
		return EXTRACT_EVENT;
	default:
		return EXTRACT_INFO;
	}
}

/* sendmail_line - Sendmail logs only through syslog */
static enum extract_result
sendmail_line(struct extractor *x, struct extract_line *in, struct event *ev)
{
	struct sendmail_state *st = extractor_state(x);
	const struct sysline *hdr = in->hdr;
	struct pattern_match m;

	line_reset(st);
	if (hdr == NULL)
		return EXTRACT_UNKNOWN;
	st->host = hdr->host.ptr != NULL ? hdr->host : span_make(NULL, 0);
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
	return sendmail_convert(st, &st->rules[pattern_rule_index(m.rule)], &m,
				ev);
}

/* sendmail_more - the next recipient of a delivery line, or the
 * notification of an expiry line */
static bool
sendmail_more(struct extractor *x, struct extract_line *in, struct event *ev)
{
	struct sendmail_state *st = extractor_state(x);
	struct span rcpt;

	(void)in;
	if (st->notify) {
		st->notify = false;
		*ev = st->base;
		return true;
	}
	if (!next_recipient(&st->rest, &rcpt))
		return false;
	*ev = st->base;
	ev->recipient = rcpt;
	ev->repeat = true;
	return true;
}

const struct extractor_backend extract_sendmail = {
	.name = "sendmail",
	.builtin = sendmail_pat,
	.builtin_len = &sendmail_pat_len,
	.syslog = true,
	.check = sendmail_check,
	.state_new = sendmail_state_new,
	.state_reset = sendmail_state_reset,
	.state_free = sendmail_state_free,
	.line = sendmail_line,
	.more = sendmail_more,
};
