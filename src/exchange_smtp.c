/* SPDX-License-Identifier: MIT */
/*
 * exchange_smtp.c - Exchange SMTP protocol logs to events
 *
 * A protocol log row is one step of an SMTP session: "+" connect, "-"
 * disconnect, ">" a line this server sent, "<" a line it received, "*"
 * information.  In a receive log the client sends the commands ("<") and
 * this server replies (">"); in a send log the roles are swapped.  A reply
 * row does not name the command it replies to.  So the back end keeps,
 * per session id, the commands still waiting for a reply in the order
 * they were sent (clients pipeline them), and the sender of the last
 * MAIL FROM.
 * A final failure reply (4xx or 5xx, without the "-" of a continued
 * reply) becomes
 *	in a receive log, an inbound rejection of the client at
 *	remote-endpoint, at the stage of the command it answers;
 *	in a send log, a failed delivery (deferred for 4xx, bounced for 5xx)
 *	to the recipient of the RCPT TO it answers, or of the whole message,
 *	without a recipient, for other commands.
 * Rules (DAEMONS smtpsend or smtpreceive) are matched against "EVENT DATA",
 * such as "> 535 5.7.3 Authentication unsuccessful".  Kinds:
 *	command		a command: group verb, and from (MAIL) or to (RCPT)
 *	reply		a final reply line: group text, whose code decides
 *	auth_reply	a final reply to AUTH, whatever the session shows
 *	info		recognised, nothing to count
 *
 * Memory is bounded: SESSIONS_MAX sessions (when all are in use, the one
 * idle longest is forgotten), PENDING_MAX commands waiting per session
 * (the oldest is dropped), and verbs and addresses cut at VERB_MAX and
 * ADDRESS_MAX bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "exchange_impl.h"

#define SESSIONS_MAX 256
#define PENDING_MAX 16
#define VERB_MAX 24
#define ADDRESS_MAX 256
#define SESSION_ID_MAX 40

struct command {
	char verb[VERB_MAX];		/* upper-cased; "" when none */
	size_t verb_len;
	char address[ADDRESS_MAX];	/* the RCPT TO recipient, if any */
	size_t address_len;
};

struct session {
	char id[SESSION_ID_MAX];
	size_t id_len;			/* 0 for a free slot */
	uint64_t used;			/* clock of its last row */
	char sender[ADDRESS_MAX];
	size_t sender_len;
	bool has_sender;
	struct command current;		/* answered by the last reply */
	struct command pending[PENDING_MAX];
	unsigned head, count;
};

struct exchange_sessions {
	struct session slots[SESSIONS_MAX];
	uint64_t clock;

	/* Copies that the current event points into. */
	struct command answered;
	char sender[ADDRESS_MAX];
};

void
exchange_smtp_reset(struct exchange_state *st)
{
	if (st->sessions != NULL)
		memset(st->sessions, 0, sizeof *st->sessions);
}

void
exchange_smtp_free(struct exchange_state *st)
{
	free(st->sessions);
	st->sessions = NULL;
}

/* copy_cut - copy at most max - 1 bytes of s to buf; returns the length */
static size_t
copy_cut(char *buf, size_t max, struct span s)
{
	size_t n = s.len < max - 1 ? s.len : max - 1;

	if (n > 0)
		memcpy(buf, s.ptr, n);
	buf[n] = '\0';
	return n;
}

/* session_find - the session with id, made (forgetting the one idle
 * longest when all are in use) when create is set; NULL otherwise */
static struct session *
session_find(struct exchange_sessions *ss, struct span id, bool create)
{
	struct session *free_slot = NULL, *oldest = &ss->slots[0];

	if (id.len == 0 || id.len >= SESSION_ID_MAX)
		return NULL;
	ss->clock++;
	for (size_t i = 0; i < SESSIONS_MAX; i++) {
		struct session *s = &ss->slots[i];

		if (s->id_len == id.len && memcmp(s->id, id.ptr, id.len) == 0) {
			s->used = ss->clock;
			return s;
		}
		if (s->id_len == 0 && free_slot == NULL)
			free_slot = s;
		if (s->used < oldest->used)
			oldest = s;
	}
	if (!create)
		return NULL;
	if (free_slot == NULL)
		free_slot = oldest;
	memset(free_slot, 0, sizeof *free_slot);
	free_slot->id_len = copy_cut(free_slot->id, SESSION_ID_MAX, id);
	free_slot->used = ss->clock;
	return free_slot;
}

/* push_command - a command sent and still waiting for its reply */
static void
push_command(struct session *s, const struct pattern_match *m)
{
	struct span verb = pattern_capture(m, "verb");
	struct span from = pattern_capture(m, "from");
	struct command *c;

	if (from.ptr != NULL) {
		s->sender_len = copy_cut(s->sender, ADDRESS_MAX, from);
		s->has_sender = true;
	}

	/* Drop the oldest when a client pipelines more than fit. */
	if (s->count == PENDING_MAX) {
		s->head = (s->head + 1) % PENDING_MAX;
		s->count--;
	}
	c = &s->pending[(s->head + s->count) % PENDING_MAX];
	s->count++;
	c->verb_len = copy_cut(c->verb, VERB_MAX, verb);
	for (size_t i = 0; i < c->verb_len; i++)
		c->verb[i] = (char)(ascii_islower((unsigned char)c->verb[i])
					    ? c->verb[i] - ('a' - 'A')
					    : c->verb[i]);
	c->address_len = copy_cut(c->address, ADDRESS_MAX,
				  pattern_capture(m, "to"));
}

/* pop_command - the command a final reply is for: the oldest waiting,
 * else the one the previous reply was for (after "354", the reply at the
 * end of the message data is for DATA) */
static const struct command *
pop_command(struct session *s)
{
	if (s->count > 0) {
		s->current = s->pending[s->head];
		s->head = (s->head + 1) % PENDING_MAX;
		s->count--;
	}
	return &s->current;
}

struct span
exchange_endpoint_addr(struct span endpoint)
{
	const char *colon;

	if (endpoint.len == 0)
		return span_make(NULL, 0);
	if (endpoint.ptr[0] == '[') {
		const char *close = memchr(endpoint.ptr, ']', endpoint.len);

		if (close != NULL)
			return span_make(endpoint.ptr + 1,
					 (size_t)(close - endpoint.ptr - 1));
		return endpoint;
	}
	colon = memchr(endpoint.ptr, ':', endpoint.len);
	if (colon == NULL ||
	    memchr(colon + 1, ':', endpoint.len -
				   (size_t)(colon + 1 - endpoint.ptr)) != NULL)
		return endpoint;
	return span_make(endpoint.ptr, (size_t)(colon - endpoint.ptr));
}

/* endpoint_port - the number after the last ":", or -1 */
static long
endpoint_port(struct span endpoint)
{
	long port = 0;
	size_t i = endpoint.len;

	while (i > 0 && ascii_isdigit((unsigned char)endpoint.ptr[i - 1]))
		i--;
	if (i == 0 || i == endpoint.len || endpoint.ptr[i - 1] != ':' ||
	    endpoint.len - i > 5)
		return -1;
	for (; i < endpoint.len; i++)
		port = port * 10 + (endpoint.ptr[i] - '0');
	return port;
}

/* is_receive - true for a receive log.  A log without a #Log-type line
 * is read as a receive log when this server's port is the lower one,
 * because a server listens on a well-known port and a client sends from
 * a high one. */
static bool
is_receive(const struct exchange_state *st)
{
	long local, remote;

	if (st->log != LOG_SMTP)
		return st->log == LOG_SMTP_RECEIVE;
	local = endpoint_port(exchange_field(st, COL_LOCAL_ENDPOINT));
	remote = endpoint_port(exchange_field(st, COL_REMOTE_ENDPOINT));
	return local < 0 || remote < 0 || local <= remote;
}

/* row_subject - "EVENT DATA" in st->scratch */
static size_t
row_subject(struct exchange_state *st)
{
	struct span event = exchange_field(st, COL_EVENT);
	struct span data = exchange_field(st, COL_DATA);
	size_t n = event.len + 1 + data.len;
	char *out;

	if (st->scratch_size < n + 1) {
		st->scratch = xrealloc(st->scratch, n + 1);
		st->scratch_size = n + 1;
	}
	out = st->scratch;
	if (event.len > 0)
		memcpy(out, event.ptr, event.len);
	out[event.len] = ' ';
	if (data.len > 0)
		memcpy(out + event.len + 1, data.ptr, data.len);
	out[n] = '\0';
	return n;
}

/* failure_event - the event of a 4xx or 5xx reply to command c */
static void
failure_event(struct exchange_state *st, const struct session *s,
	      const struct command *c, bool receive, int code,
	      struct span text, struct event *ev)
{
	struct exchange_sessions *ss = st->sessions;
	struct span remote = exchange_field(st, COL_REMOTE_ENDPOINT);
	struct span peer = exchange_endpoint_addr(remote);
	bool rcpt;

	ss->answered = *c;
	rcpt = span_equal(span_make(ss->answered.verb, ss->answered.verb_len),
			  "RCPT");
	event_init(ev, receive ? EVENT_REJECT : EVENT_DELIVERY);
	ev->time = st->time;
	ev->has_time = st->has_time;
	ev->text = text;
	if (rcpt && ss->answered.address_len > 0)
		ev->recipient = span_make(ss->answered.address,
					  ss->answered.address_len);
	if (s != NULL && s->has_sender) {
		copy_cut(ss->sender, ADDRESS_MAX,
			 span_make(s->sender, s->sender_len));
		ev->sender = span_make(ss->sender, s->sender_len);
	}

	if (receive) {
		ev->client_addr = peer;
		ev->stage = ss->answered.verb_len > 0
				    ? span_make(ss->answered.verb,
						ss->answered.verb_len)
				    : span_make("CONNECT", 7);
		return;
	}
	ev->status = code >= 500 ? STATUS_BOUNCED : STATUS_DEFERRED;
	ev->remote_host = peer;
	ev->remote_addr = peer;
}

/* in_data - the capture of the subject's data part as a span of the
 * row's own data field, so that the event points into the line */
static struct span
in_data(const struct exchange_state *st, struct span capture)
{
	struct span event = exchange_field(st, COL_EVENT);
	struct span data = exchange_field(st, COL_DATA);
	const char *start = st->scratch + event.len + 1;

	if (capture.ptr == NULL || capture.ptr < start ||
	    capture.ptr + capture.len > start + data.len)
		return capture;
	return span_make(data.ptr + (capture.ptr - start), capture.len);
}

/* reply_row - a final reply: match it to its command, count a failure */
static enum extract_result
reply_row(struct exchange_state *st, struct session *s,
	  const struct pattern_match *m, bool receive, struct event *ev)
{
	struct span text = in_data(st, pattern_capture(m, "text"));
	int code = status_parse_reply(text.ptr ? text.ptr : "", text.len);
	struct command none = {0};
	const struct command *c = s != NULL ? pop_command(s) : &none;

	if (strcmp(pattern_rule_kind(m->rule), "auth_reply") == 0) {
		none = *c;
		none.verb_len = copy_cut(none.verb, VERB_MAX,
					 span_make("AUTH", 4));
		none.address_len = 0;
		c = &none;
	}
	if (code < 400)
		return EXTRACT_INFO;
	failure_event(st, s, c, receive, code, text, ev);
	return EXTRACT_EVENT;
}

enum extract_result
exchange_smtp_row(struct extractor *x, struct exchange_state *st,
		  struct event *ev)
{
	struct span id = exchange_field(st, COL_SESSION_ID);
	struct span event = exchange_field(st, COL_EVENT);
	bool receive = is_receive(st);
	const char *daemon = receive ? "smtpreceive" : "smtpsend";
	struct pattern_match m;
	const char *kind;
	size_t len;

	if (st->sessions == NULL)
		st->sessions = xcalloc(1, sizeof *st->sessions);
	len = row_subject(st);
	switch (pattern_set_match(extractor_patterns(x),
				  span_make(daemon, strlen(daemon)),
				  st->scratch, len, &m)) {
	case PATTERN_LIMIT:
		return EXTRACT_LIMIT;
	case PATTERN_NOMATCH:
		snprintf(st->note, sizeof st->note,
			 _("no %s rule for this protocol log row"), daemon);
		return EXTRACT_UNKNOWN;
	case PATTERN_MATCH:
		break;
	}

	/* A session starts and ends afresh, even if its id comes back. */
	if (span_equal(event, "+") || span_equal(event, "-")) {
		struct session *s = session_find(st->sessions, id, false);

		if (s != NULL)
			s->id_len = 0;
	}

	kind = pattern_rule_kind(m.rule);
	if (strcmp(kind, "command") == 0) {
		struct session *s = session_find(st->sessions, id, true);

		if (s != NULL)
			push_command(s, &m);
		return EXTRACT_INFO;
	}
	if (strcmp(kind, "reply") == 0 || strcmp(kind, "auth_reply") == 0)
		return reply_row(st, session_find(st->sessions, id, true), &m,
				 receive, ev);
	return EXTRACT_INFO;
}
