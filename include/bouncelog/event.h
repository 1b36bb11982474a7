/* SPDX-License-Identifier: MIT */
/*
 * event.h - what an extractor found in one log line
 *
 * Every log format's extractor fills the same struct event, so that code
 * resolution, counting and reports never depend on the format.  Spans
 * point into the current line.  A value that had to be decoded (a CSV
 * field with a doubled quote, the SMTP stage a Sendmail ruleset name is
 * mapped to) or was logged on an earlier line (an SMTP session's
 * recipient or client) points into the extractor's own storage.  Either way
 * they are valid only until the next line is read; the tally copies what
 * it keeps.
 */
#ifndef BOUNCELOG_EVENT_H
#define BOUNCELOG_EVENT_H

#include <stdbool.h>

#include "bouncelog/reason.h"
#include "bouncelog/span.h"
#include "bouncelog/status.h"
#include "bouncelog/sysline.h"

enum event_type {
	EVENT_DELIVERY,		/* the result of one recipient's delivery */
	EVENT_REJECT,		/* an inbound SMTP or content rejection */
	EVENT_SENDER,		/* a queued message's envelope sender */
	EVENT_EXPIRED,		/* a message returned after its queue lifetime */
	EVENT_REMOVED,		/* a message left the queue */
	EVENT_NOTIFICATION,	/* a bounce or delay notice was generated */
};

enum delivery_status {
	STATUS_SENT,		/* accepted by the next hop or mailbox */
	STATUS_FORWARDED,	/* re-queued under a new id (alias expansion) */
	STATUS_DEFERRED,	/* temporary failure; will be retried */
	STATUS_BOUNCED,		/* permanent failure */
	STATUS_EXPIRED,		/* given up after the queue lifetime */
	STATUS_PROBE_OK,	/* address verification: deliverable */
	STATUS_PROBE_FAIL,	/* address verification: undeliverable */
};

/*
 * The span fields of struct event, as X(name) in the order of the struct.
 * The struct declares its spans from this list, and feed.c copies each
 * of them, so a new span field of an event must be added here.  Their
 * meanings:
 *	log_host	the host in the line's syslog header; absent without
 *			a header
 *	recipient	envelope recipient
 *	orig_recipient	the recipient before alias expansion
 *	sender		envelope sender; "" is the null sender
 *	remote_host	the host that replied, for deliveries
 *	client_host	the SMTP client, for rejections
 *	stage		SMTP stage of a rejection: RCPT, DATA
 *	text		the whole reason text
 *	component	the MTA's own name for the failing step, such as
 *			Exchange's "RESOLVER.ADR.RecipNotFound"
 *	reply		the remote reply inside text, filled by
 *			reply_analyze()
 */
#define EVENT_SPAN_FIELDS(X)                                               \
	X(log_host)                                                         \
	X(queue_id)                                                         \
	X(recipient)                                                        \
	X(orig_recipient)                                                   \
	X(sender)                                                           \
	X(remote_host)                                                      \
	X(remote_addr)                                                      \
	X(client_host)                                                      \
	X(client_addr)                                                      \
	X(stage)                                                            \
	X(text)                                                             \
	X(component)                                                        \
	X(reply)

#define EVENT_SPAN_MEMBER(name) struct span name;

struct event {
	enum event_type type;
	enum delivery_status status;	/* EVENT_DELIVERY only */
	bool soft_bounce;		/* a bounce turned into a deferral */
	bool warning_only;		/* a rejection logged but not enforced */
	bool temporary;			/* the log calls a rejection temporary
					 * (Exim "temporarily rejected") */
	bool retry_expired;		/* a bounce because the retry time ran
					 * out (Exim "retry timeout exceeded");
					 * text is then the last deferral's
					 * when the log has it */
	bool track_while_deferred;	/* the log names the sender on every
					 * row and never logs the message's
					 * end (Exchange, OpenSMTPD), so the
					 * queue tracker keeps the message
					 * only while a recipient of it is
					 * deferred */
	bool end_unlogged;		/* the log never writes the message's
					 * end (Sendmail), so the queue
					 * tracker ends it an hour after its
					 * last line, once a recipient had a
					 * final status and none is
					 * deferred */

	struct logtime time;
	bool has_time;			/* time is set: by the back end, or
					 * from the line's header once the
					 * event is finished */
	const char *format;		/* name of the log format whose
					 * extractor found the event; static,
					 * set with log_host after the back end */

	/* Every span field, as EVENT_SPAN_FIELDS lists them. */
	EVENT_SPAN_FIELDS(EVENT_SPAN_MEMBER)

	/* The log's own status field (Postfix dsn=), if any. */
	struct enh_status enh;

	/* Filled by reply_analyze(), with reply above: the code of the
	 * remote reply inside text.  Parsing fills them only for the
	 * events of event_reply_read(). */
	int reply_code;			/* 0 when the text has none */
	struct enh_status reply_enh;
	bool reply_analyzed;		/* reply_analyze() ran on the event */

	/* Filled by classify_event() for failures (see classify.h). */
	struct classification classification;

	/* Set by run.c: the line lies outside the requested time range, so
	 * the tally only learns from the event (tally_learn()). */
	bool outside_range;

	/* Set by a back end's more(): the event is the one before it, of
	 * the same line, with another recipient.  Every other field has the
	 * same value, and every other span the same bytes.  So the reply's
	 * analysis, the classification and the copy of the line are taken
	 * over from that event, and one line of many recipients costs time
	 * linear in its length. */
	bool repeat;

	/* Set by extract.c: the event's format has more than one event per
	 * line, so the next event may repeat this one.  Only such events
	 * keep their analysis for a repeat, which other formats do not pay
	 * for. */
	bool may_repeat;
};

/* Reset *ev to an empty event of the given type. */
void event_init(struct event *ev, enum event_type type);

/* The enhanced code to count: the log's own field, else the reply's. */
const struct enh_status *event_enhanced(const struct event *ev);

/* True when the status field and the reply text give different codes. */
bool event_codes_disagree(const struct event *ev);

/*
 * True for the events that get a reason and are counted as failures: a
 * deferred, bounced or expired delivery, and a rejection.
 */
bool event_is_failure(const struct event *ev);

/*
 * True for the events whose reply is read: the failures, whose codes are
 * counted and classified, and a message's expiry, whose codes the event
 * output lists.  Parsing finds the reply of these only.
 */
bool event_reply_read(const struct event *ev);

/*
 * Reply class of a failure: 4 (temporary) or 5 (permanent).  Deliveries
 * take it from their outcome (a deferral is temporary whatever code the
 * text quotes); rejections from the reply code, else 4 when the log calls
 * the rejection temporary, else the enhanced code, else 5.
 */
int event_failure_class(const struct event *ev);

/*
 * Find the remote reply in ev->text and fill reply, reply_code and
 * reply_enh.  The reply starts after an MTA's wrapper ("host H[A] said: "
 * in Postfix, "SMTP error from remote mail server after CMD: " in Exim,
 * "Remote Server returned '" in Exchange, the quote after an Amazon SES
 * status), after "smtp; " or "Deferred: " at the start, or at the start
 * of the text when it begins with a code.  The reply code is only ever
 * taken where the reply starts, never from "[550]", "#550", a URL or an
 * address.  The enhanced code is the one right after the reply code,
 * else a qmail "#5.1.1", else the first that stands alone after a blank,
 * "(", "[", "<" or a quote, outside URLs and longer dotted numbers.  A
 * class that differs from the reply code's is kept as found.
 */
void reply_analyze(struct event *ev);

/*
 * reply_analyze() with its shortcut (quick) or without: the same result
 * either way.  The unit tests compare both.
 */
void reply_analyze_as(struct event *ev, bool quick);

/*
 * Split "host[addr]" or "host[addr]:port" into host and addr; a value
 * without brackets is all host.  "[addr]:port" gives an empty host.
 */
void event_split_host(struct span value, struct span *host, struct span *addr);

/* The domain of an address: the bytes after the last "@", or absent. */
struct span event_domain(struct span address);

#endif
