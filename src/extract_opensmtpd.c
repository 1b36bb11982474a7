/* SPDX-License-Identifier: MIT */
/*
 * extract_opensmtpd.c - OpenSMTPD log lines to events
 *
 * The rules in patterns/opensmtpd.pat find the line shapes; this file turns
 * their named captures into events.  Rule kinds and the captures each one
 * uses:
 *	delivery	agent, fields, and for the format before 6.4 also
 *			result and qid
 *	reject		sid, command, text
 *	connect		sid, client_host, client_addr
 *	disconnect	sid
 *	info		(none; the line is recognised and not counted)
 *
 * A rejection line names neither the client nor its address.  The
 * session id joins it to the session's "smtp connected" line, and this
 * back end keeps that line's client in a table of OPENSMTPD_SESSIONS
 * slots.  The queue id of a delivery is its envelope id (one recipient
 * each), so a deferral and the later result of the same recipient are
 * joined by it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"

extern const char opensmtpd_pat[];
extern const size_t opensmtpd_pat_len;

/*
 * Slots of the session table, a power of two.  A session's slot is chosen
 * by its id.  A newer session that lands in a taken slot replaces the
 * older one, so the older one's later rejections count without a
 * client.  A mail server rarely has more than a few hundred sessions open
 * at once.
 */
#define OPENSMTPD_SESSIONS 1024

/* Maximum lengths of a kept client host name and address; longer ones
 * are cut. */
#define OPENSMTPD_HOST_MAX 255
#define OPENSMTPD_ADDR_MAX 63

static const char *const kinds[] = {
	"delivery", "reject", "connect", "disconnect", "info",
};

/* Rule kinds, in the order of kinds[]. */
enum opensmtpd_kind {
	KIND_DELIVERY,
	KIND_REJECT,
	KIND_CONNECT,
	KIND_DISCONNECT,
	KIND_INFO,
	KIND_COUNT
};

/* The captures the extractor reads, in the order of group_names[]. */
enum opensmtpd_group {
	GROUP_SID,
	GROUP_CLIENT_HOST,
	GROUP_CLIENT_ADDR,
	GROUP_FIELDS,
	GROUP_AGENT,
	GROUP_RESULT,
	GROUP_QID,
	GROUP_COMMAND,
	GROUP_TEXT,
	GROUP_COUNT
};

static const char *const group_names[GROUP_COUNT] = {
	"sid", "client_host", "client_addr", "fields", "agent",
	"result", "qid", "command", "text",
};

/* One rule as the extractor reads it, found once: its kind and the
 * groups of each capture name, so that a line compares no names. */
struct opensmtpd_rule {
	enum opensmtpd_kind kind;
	struct pattern_name groups[GROUP_COUNT];
};

struct session {
	uint64_t id;
	bool used;
	size_t host_len;
	size_t addr_len;
	char host[OPENSMTPD_HOST_MAX];
	char addr[OPENSMTPD_ADDR_MAX];
};

struct opensmtpd_state {
	struct session sessions[OPENSMTPD_SESSIONS];

	/* One entry per rule of the extractor's set, in file order, made
	 * at the first line that matches and kept across inputs. */
	struct opensmtpd_rule *rules;
};

/* SMTP commands by their first word, with the stage name they give. */
static const char *const commands[] = {
	"HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
	"RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP", "WIZ", "ETRN",
};

static int
opensmtpd_check(const struct pattern_set *set)
{
	return pattern_set_check_kinds(set, "opensmtpd", kinds, KIND_COUNT);
}

static void *
opensmtpd_state_new(void)
{
	return xcalloc(1, sizeof(struct opensmtpd_state));
}

static void
opensmtpd_state_reset(void *state)
{
	struct opensmtpd_state *st = state;

	for (size_t i = 0; i < OPENSMTPD_SESSIONS; i++)
		st->sessions[i].used = false;
}

static void
opensmtpd_state_free(void *state)
{
	struct opensmtpd_state *st = state;

	if (st == NULL)
		return;
	free(st->rules);
	free(st);
}

/* kind_of - the kind of a rule.  opensmtpd_check() has rejected a set
 * with an unknown kind. */
static enum opensmtpd_kind
kind_of(const struct pattern_rule *rule)
{
	size_t k = pattern_rule_kind_index(rule, kinds, KIND_COUNT);

	return k < KIND_COUNT ? (enum opensmtpd_kind)k : KIND_INFO;
}

/* read_rules - the kind and groups of every rule of set, into st */
static void
read_rules(struct opensmtpd_state *st, const struct pattern_set *set)
{
	size_t n = pattern_set_rule_count(set);

	st->rules = xcalloc(n, sizeof *st->rules);
	for (size_t i = 0; i < n; i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		struct opensmtpd_rule *r = &st->rules[i];

		r->kind = kind_of(rule);
		pattern_rule_names(rule, group_names, GROUP_COUNT, r->groups);
	}
}

/* capture - the group of m's rule named by g, as pattern_capture() with
 * its name would read it; r is the entry of m->rule */
static inline struct span
capture(const struct opensmtpd_rule *r, const struct pattern_match *m,
	enum opensmtpd_group g)
{
	return pattern_capture_by(m, r->groups[g]);
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

/* span_ieq - ASCII case-insensitive comparison with a C string */
static bool
span_ieq(struct span s, const char *text)
{
	size_t n = strlen(text);

	return s.ptr != NULL && s.len == n && ascii_casecmp_n(s.ptr, text, n);
}

/* contains_loop - the text mentions a mail loop, in any ASCII case */
static bool
contains_loop(struct span s)
{
	for (size_t i = 0; i + 4 <= s.len; i++)
		if (ascii_casecmp_n(s.ptr + i, "loop", 4))
			return true;
	return false;
}

/* parse_hex_id - a 16-digit session id; false when s is not one */
static bool
parse_hex_id(struct span s, uint64_t *id)
{
	uint64_t v = 0;

	if (s.len != 16)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		int c = (unsigned char)s.ptr[i];
		int d;

		if (ascii_isdigit(c))
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*id = v;
	return true;
}

/* session_slot - the slot for session id */
static struct session *
session_slot(struct opensmtpd_state *st, uint64_t id)
{
	uint64_t h = (id ^ id >> 29) * UINT64_C(0x9e3779b97f4a7c15);

	return &st->sessions[(h >> 40) & (OPENSMTPD_SESSIONS - 1)];
}

/* copy_cut - copy s into buf of size max, cut to fit; returns length */
static size_t
copy_cut(char *buf, size_t max, struct span s)
{
	size_t n = s.len < max ? s.len : max;

	if (n > 0)
		memcpy(buf, s.ptr, n);
	return n;
}

static void
session_open(struct opensmtpd_state *st, const struct opensmtpd_rule *r,
	     const struct pattern_match *m)
{
	struct session *s;
	uint64_t id;

	if (!parse_hex_id(capture(r, m, GROUP_SID), &id))
		return;
	s = session_slot(st, id);
	s->id = id;
	s->used = true;
	s->host_len = copy_cut(s->host, sizeof s->host,
			       capture(r, m, GROUP_CLIENT_HOST));
	s->addr_len = copy_cut(s->addr, sizeof s->addr,
			       capture(r, m, GROUP_CLIENT_ADDR));
}

static void
session_close(struct opensmtpd_state *st, const struct opensmtpd_rule *r,
	      const struct pattern_match *m)
{
	struct session *s;
	uint64_t id;

	if (!parse_hex_id(capture(r, m, GROUP_SID), &id))
		return;
	s = session_slot(st, id);
	if (s->used && s->id == id)
		s->used = false;
}

/*
 * field_rest - the text after "key=" in a run of fields, to the end of
 * the run, or absent.  The key must start the run or follow a blank.
 */
static struct span
field_rest(struct span fields, const char *key)
{
	size_t klen = strlen(key);

	for (size_t pos = 0; pos + klen < fields.len; pos++) {
		if ((pos == 0 || fields.ptr[pos - 1] == ' ') &&
		    memcmp(fields.ptr + pos, key, klen) == 0 &&
		    fields.ptr[pos + klen] == '=') {
			size_t start = pos + klen + 1;

			return span_make(fields.ptr + start,
					 fields.len - start);
		}
	}
	return span_make(NULL, 0);
}

/*
 * value_of - one value at the start of rest: "quoted", <angled> or a bare
 * word.  With comma_separated (the format before 6.4) a bare value runs
 * to the next ", " or to a blank before the next "key=", so it may hold
 * blanks ("relay=mx.example.org [192.0.2.1]").  A quoted value without
 * its closing quote, as in a line that syslog cut short, runs to the end
 * of the line.
 */
static struct span
value_of(struct span rest, bool comma_separated)
{
	const char *end;
	size_t i = 0;

	if (rest.len > 0 && (rest.ptr[0] == '"' || rest.ptr[0] == '<')) {
		char close = rest.ptr[0] == '"' ? '"' : '>';

		end = memchr(rest.ptr + 1, close, rest.len - 1);
		if (end == NULL && close == '"')
			return span_make(rest.ptr + 1, rest.len - 1);
		if (end == NULL)
			return rest;
		if (close == '"')
			return span_make(rest.ptr + 1,
					 (size_t)(end - rest.ptr - 1));
		return span_make(rest.ptr, (size_t)(end - rest.ptr + 1));
	}
	while (i < rest.len) {
		if (comma_separated && rest.ptr[i] == ',' &&
		    i + 1 < rest.len && rest.ptr[i + 1] == ' ')
			break;
		if (rest.ptr[i] == ' ') {
			size_t k = i + 1;

			if (!comma_separated)
				break;
			while (k < rest.len &&
			       (ascii_islower((unsigned char)rest.ptr[k]) ||
				rest.ptr[k] == '_'))
				k++;
			if (k > i + 1 && k < rest.len && rest.ptr[k] == '=')
				break;
		}
		i++;
	}
	return span_make(rest.ptr, i);
}

/* field - the value of key in fields, or absent */
static struct span
field(struct span fields, const char *key, bool comma_separated)
{
	struct span rest = field_rest(fields, key);

	if (!span_present(rest))
		return rest;
	return value_of(rest, comma_separated);
}

/* stat_text - stat= is the last field: the rest of the line, without
 * its quotes.  A line cut short lacks the closing quote, and the opening
 * one is dropped all the same, so that the text starts with its code. */
static struct span
stat_text(struct span fields)
{
	struct span rest = trim(field_rest(fields, "stat"));

	if (rest.len > 0 && rest.ptr[0] == '"') {
		rest = span_make(rest.ptr + 1, rest.len - 1);
		if (rest.len > 0 && rest.ptr[rest.len - 1] == '"')
			rest.len--;
	}
	return rest;
}

/*
 * split_relay - "198.51.100.7 (mx.example.org)" (6.4 and later) or
 * "mx.example.org [198.51.100.7]" (earlier) into host and address.  A
 * missing or unknown name gives the address as the host.
 */
static void
split_relay(struct span relay, struct span *host, struct span *addr)
{
	const char *open = memchr(relay.ptr, '(', relay.len);
	const char *bracket = memchr(relay.ptr, '[', relay.len);
	const char *close;

	*host = relay;
	*addr = span_make(NULL, 0);
	if (open != NULL) {
		close = memchr(open, ')',
			       relay.len - (size_t)(open - relay.ptr));
		*addr = trim(span_make(relay.ptr, (size_t)(open - relay.ptr)));
		*host = close ? span_make(open + 1, (size_t)(close - open - 1))
			      : span_make(NULL, 0);
	} else if (bracket != NULL) {
		close = memchr(bracket, ']',
			       relay.len - (size_t)(bracket - relay.ptr));
		*host = trim(span_make(relay.ptr,
				       (size_t)(bracket - relay.ptr)));
		if (close != NULL)
			*addr = span_make(bracket + 1,
					  (size_t)(close - bracket - 1));
	}
	if ((!span_present(*host) || host->len == 0 ||
	     span_equal(*host, "<unknown>")) && span_present(*addr))
		*host = *addr;
}

/*
 * delivery_status - map result= to an outcome; false for unknown words.
 * A loop is a permanent failure; when the stat does not mention the loop,
 * the text is the word "Loop" of the result field.
 */
static bool
delivery_status(struct span result, struct event *ev)
{
	if (span_ieq(result, "Ok")) {
		ev->status = STATUS_SENT;
	} else if (span_ieq(result, "TempFail")) {
		ev->status = STATUS_DEFERRED;
	} else if (span_ieq(result, "PermFail")) {
		ev->status = STATUS_BOUNCED;
	} else if (span_ieq(result, "Loop")) {
		ev->status = STATUS_BOUNCED;
		if (!contains_loop(ev->text))
			ev->text = result;
	} else if (span_ieq(result, "Expire") || span_ieq(result, "Expired")) {
		ev->status = STATUS_EXPIRED;
	} else {
		return false;
	}
	return true;
}

static enum extract_result
convert_delivery(const struct opensmtpd_rule *r, const struct pattern_match *m,
		 struct event *ev)
{
	struct span fields = capture(r, m, GROUP_FIELDS);
	struct span agent = capture(r, m, GROUP_AGENT);
	bool old = span_present(capture(r, m, GROUP_RESULT));
	struct span result = old ? capture(r, m, GROUP_RESULT)
				 : field(fields, "result", false);
	struct span rcpt = strip_angles(field(fields, "rcpt", old));
	struct span relay = field(fields, "relay", old);

	/* "smtpctl remove" takes an envelope out of the queue. */
	if (span_ieq(result, "Remove")) {
		event_init(ev, EVENT_REMOVED);
		ev->queue_id = capture(r, m, GROUP_QID);
		return span_present(ev->queue_id) ? EXTRACT_EVENT
						  : EXTRACT_UNKNOWN;
	}

	event_init(ev, EVENT_DELIVERY);
	ev->queue_id = old ? capture(r, m, GROUP_QID)
			   : field(fields, "evpid", false);
	ev->sender = strip_angles(field(fields, "from", old));
	ev->recipient = strip_angles(field(fields, "to", old));

	/* Only "smtpctl remove" logs an envelope's end, but every line names
	 * the sender and an envelope has one recipient, so the tally needs
	 * the envelope only while it is deferred. */
	ev->track_while_deferred = true;
	if (!span_equal(rcpt, "-") && rcpt.len > 0 &&
	    !(rcpt.len == ev->recipient.len &&
	      memcmp(rcpt.ptr, ev->recipient.ptr, rcpt.len) == 0))
		ev->orig_recipient = rcpt;
	ev->text = stat_text(fields);
	if (ev->text.len == 0)
		ev->text = span_make(NULL, 0);
	if (!span_present(ev->queue_id) || !span_present(ev->recipient) ||
	    !delivery_status(result, ev))
		return EXTRACT_UNKNOWN;

	/* Local deliveries name no relay, so the agent ("mda", or the method
	 * of the format before 6.4) is the remote host, as Postfix's
	 * "relay=local" is. */
	if (span_present(relay) && relay.len > 0 && !span_equal(relay, "-"))
		split_relay(relay, &ev->remote_host, &ev->remote_addr);
	else if (span_equal(agent, "mda"))
		ev->remote_host = agent;
	else if (span_equal(agent, "delivery"))
		ev->remote_host = field(fields, "method", true);
	return EXTRACT_EVENT;
}

/* command_word - the first word of an SMTP command, ended by ' ' or ':' */
static struct span
command_word(struct span cmd)
{
	size_t i = 0;

	while (i < cmd.len && cmd.ptr[i] != ' ' && cmd.ptr[i] != ':')
		i++;
	return span_make(cmd.ptr, i);
}

/* command_address - the <address> argument of MAIL FROM or RCPT TO */
static struct span
command_address(struct span cmd)
{
	const char *open = memchr(cmd.ptr, '<', cmd.len);
	const char *close;

	if (open == NULL)
		return span_make(NULL, 0);
	close = memchr(open, '>', cmd.len - (size_t)(open - cmd.ptr));
	if (close == NULL)
		return span_make(NULL, 0);
	return span_make(open + 1, (size_t)(close - open - 1));
}

/*
 * command_stage - the stage of a failed command, in the upper case
 * Postfix uses: an empty command is a filter's rejection at CONNECT and
 * "." the end of the message.  Unknown commands keep their own word.
 */
static struct span
command_stage(struct span cmd)
{
	struct span word = command_word(cmd);

	if (cmd.len == 0)
		return span_make("CONNECT", 7);
	if (span_equal(cmd, "."))
		return span_make("END-OF-MESSAGE", 14);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (span_ieq(word, commands[i]))
			return span_make(commands[i], strlen(commands[i]));
	return word;
}

static enum extract_result
convert_reject(struct opensmtpd_state *st, const struct opensmtpd_rule *r,
	       const struct pattern_match *m, struct event *ev)
{
	struct span cmd = trim(capture(r, m, GROUP_COMMAND));
	struct session *s;
	uint64_t id;

	event_init(ev, EVENT_REJECT);
	ev->stage = command_stage(cmd);
	if (span_equal(ev->stage, "AUTH"))
		return EXTRACT_INFO;
	ev->text = trim(capture(r, m, GROUP_TEXT));
	if (span_equal(ev->stage, "RCPT"))
		ev->recipient = command_address(cmd);
	else if (span_equal(ev->stage, "MAIL"))
		ev->sender = command_address(cmd);

	if (parse_hex_id(capture(r, m, GROUP_SID), &id)) {
		s = session_slot(st, id);
		if (s->used && s->id == id) {
			ev->client_host = span_make(s->host, s->host_len);
			ev->client_addr = span_make(s->addr, s->addr_len);
		}
	}
	if (span_equal(ev->client_host, "<unknown>"))
		ev->client_host = span_make("", 0);
	return EXTRACT_EVENT;
}

static enum extract_result
opensmtpd_convert(struct opensmtpd_state *st, const struct opensmtpd_rule *r,
		  const struct pattern_match *m, struct event *ev)
{
	switch (r->kind) {
	case KIND_DELIVERY:
		return convert_delivery(r, m, ev);
	case KIND_REJECT:
		return convert_reject(st, r, m, ev);
	case KIND_CONNECT:
		session_open(st, r, m);
		break;
	case KIND_DISCONNECT:
		session_close(st, r, m);
		break;
	default:
		break;
	}
	return EXTRACT_INFO;
}

/* opensmtpd_line - OpenSMTPD logs only through syslog */
static enum extract_result
opensmtpd_line(struct extractor *x, struct extract_line *in,
	       struct event *ev)
{
	const struct sysline *hdr = in->hdr;
	struct opensmtpd_state *st = extractor_state(x);
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
	return opensmtpd_convert(st, &st->rules[pattern_rule_index(m.rule)], &m,
				 ev);
}

const struct extractor_backend extract_opensmtpd = {
	.name = "opensmtpd",
	.builtin = opensmtpd_pat,
	.builtin_len = &opensmtpd_pat_len,
	.syslog = true,
	.check = opensmtpd_check,
	.state_new = opensmtpd_state_new,
	.state_reset = opensmtpd_state_reset,
	.state_free = opensmtpd_state_free,
	.line = opensmtpd_line,
};
