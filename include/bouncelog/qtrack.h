/* SPDX-License-Identifier: MIT */
/*
 * qtrack.h - bounded memory of queued messages, keyed by queue id
 *
 * A mail log names a message's sender once (Postfix's qmgr line) and its
 * recipients on later lines; an expiry names neither.  qtrack keeps, per
 * queue id, the sender and which recipients are still deferred, so that
 * the tally can join them.
 *
 * Memory is bounded whatever the input: at most QTRACK_MESSAGES_MAX
 * messages, QTRACK_RCPTS_MAX recipients in all and QTRACK_MSG_RCPTS_MAX per
 * message; queue ids longer than QTRACK_ID_MAX are not tracked; senders are
 * cut to QTRACK_SENDER_MAX bytes; recipients are kept as a 64-bit hash and
 * an opaque tag.  A message not seen for QTRACK_IDLE_MAX seconds of log
 * time is dropped, because its end was not logged (a lost "removed" line,
 * a log that stops or a file that is missing).  Of the dormant messages,
 * not seen for QTRACK_DORMANT_AFTER, only the QTRACK_DORMANT_MAX seen last
 * are kept.  When the table is full, the idle messages are dropped, and
 * if none is, the oldest quarter is.  A message whose log writes no end
 * is forgotten QTRACK_QUIET_END after its last line, once settled.
 * qtrack_dropped() counts the messages dropped before their end.  Work
 * per call is amortised constant, except for a pass over the table once
 * per QTRACK_SWEEP_EVERY seconds of log time.  A message with room for 16
 * recipients or more finds them through a hash index, and every message
 * counts its pending recipients.
 *
 * A message costs about 190 bytes with one recipient, 24 bytes per
 * further recipient (28 from 16 of them on, with the index), and its
 * sender once per distinct sender (see doc/memory.md).
 *
 * NOTE: log time is taken as it comes.  A single line timed more than
 * QTRACK_IDLE_MAX ahead of the others, such as one with a wrong year,
 * drops every message tracked so far.  The drops are counted.
 */
#ifndef BOUNCELOG_QTRACK_H
#define BOUNCELOG_QTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "bouncelog/span.h"

#define QTRACK_MESSAGES_MAX 200000
#define QTRACK_RCPTS_MAX 2000000
#define QTRACK_MSG_RCPTS_MAX 10000
#define QTRACK_ID_MAX 64
#define QTRACK_SENDER_MAX 255
/* Postfix returns a message after maximal_queue_lifetime (default 5
 * days), so a message not logged for 6 days has ended unlogged, or is on
 * hold. */
#define QTRACK_IDLE_MAX (6 * 86400)
/*
 * A message not logged for a day is dormant.  By default the MTAs retry a
 * deferred message, and log the attempt, far more often: Postfix waits at
 * most maximal_backoff_time (4000 seconds), and Exim's default retry rule
 * at most 6 hours.  So a dormant message is on hold or has ended
 * unlogged.  Only the QTRACK_DORMANT_MAX dormant messages seen last are
 * kept.  This bounds what a log of lost ends, or of independent days
 * joined, costs: about 150 bytes per message, an estimate from the sizes
 * in doc/memory.md.
 */
#define QTRACK_DORMANT_AFTER 86400
#define QTRACK_DORMANT_MAX 5000
/*
 * Sendmail logs no end of a message, but logs the statuses of all its
 * recipients in one delivery attempt.  So a message marked end_unlogged
 * that is settled, has no deferred recipient and was not logged for
 * QTRACK_QUIET_END seconds has ended.  It is forgotten without being
 * counted as dropped.
 */
#define QTRACK_QUIET_END 3600
#define QTRACK_SWEEP_EVERY 3600	/* seconds of log time between sweeps */

struct qtrack;

struct qtrack_rcpt {
	uint64_t hash;		/* of the address bytes */
	void *tag;		/* the caller's, e.g. the domain's counters */
	bool pending;		/* deferred, with no final status yet */
	uint8_t reason;		/* the caller's: the last deferral's reason
				 * (an enum reason); 0 until set */
};

struct qtrack_msg {
	const char *sender;	/* interned, shared by the messages of one
				 * sender; NULL until known */
	int64_t last_seen;	/* UTC seconds */
	struct qtrack_rcpt *rcpts;
	uint16_t nrcpts;	/* at most QTRACK_MSG_RCPTS_MAX */
	uint16_t npending;	/* recipients pending; see qtrack_set_pending() */
	uint16_t cap;		/* at most QTRACK_MSG_RCPTS_MAX rounded up
				 * to a power of two */
	bool end_unlogged;	/* the caller's: the log writes no end of
				 * this message */
	bool settled;		/* the caller's: a recipient had a final
				 * status */
};

/* Create an empty tracker; owned, freed with qtrack_free(). */
struct qtrack *qtrack_new(void);
void qtrack_free(struct qtrack *q);

/*
 * The message with queue id qid, seen at now (UTC seconds), or NULL.  With
 * create, a new message is added, after dropping old ones if the table is
 * full.  Messages idle for QTRACK_IDLE_MAX before now may be dropped
 * first.  The pointer is valid until the next qtrack_find() or
 * qtrack_forget().
 */
struct qtrack_msg *qtrack_find(struct qtrack *q, struct span qid, int64_t now,
			       bool create);

/*
 * Switch the cache of recently found messages on (the default) or off,
 * and empty it.  With it, a queue id found recently is found again
 * without hashing it; the results are the same either way.  Tests switch
 * it off to compare.
 */
void qtrack_use_recent(struct qtrack *q, bool on);

/* Forget the message with queue id qid, if tracked. */
void qtrack_forget(struct qtrack *q, struct span qid);

/* Record the sender of m; the address is copied once for all the messages
 * of that sender (cut at QTRACK_SENDER_MAX bytes or a NUL). */
void qtrack_set_sender(struct qtrack *q, struct qtrack_msg *m,
		       struct span sender);

/*
 * The recipient addr of m, added with tag when new (*added is then true).
 * NULL when m or the whole tracker has no room for another recipient.
 * The pointer is valid until the next call for m, which may move m's
 * recipients.
 */
struct qtrack_rcpt *qtrack_rcpt(struct qtrack *q, struct qtrack_msg *m,
				struct span addr, void *tag, bool *added);

/* The recipient addr of m if tracked, else NULL. */
struct qtrack_rcpt *qtrack_rcpt_find(struct qtrack_msg *m, struct span addr);

/*
 * Mark recipient r of m deferred with no final status yet, or not.  m
 * counts its pending recipients, so that qtrack_pending() does not read
 * them all: a final status for each recipient of a message of many then
 * costs constant time.  Set r->pending only through this call.
 */
static inline void
qtrack_set_pending(struct qtrack_msg *m, struct qtrack_rcpt *r, bool pending)
{
	if (pending && !r->pending)
		m->npending++;
	else if (!pending && r->pending)
		m->npending--;
	r->pending = pending;
}

/* True when a recipient of m is deferred with no final status yet. */
bool qtrack_pending(const struct qtrack_msg *m);

/* Messages tracked, and recipients tracked in all. */
uint64_t qtrack_messages(const struct qtrack *q);
uint64_t qtrack_recipients(const struct qtrack *q);

/*
 * Messages dropped before their end (idle, or to make room), with the
 * number of those that still had a deferred recipient in *pending unless
 * pending is NULL.  A later expiry of such a message is counted under the
 * domain "(unknown)", and its later lines are not joined to its sender.
 */
uint64_t qtrack_dropped(const struct qtrack *q, uint64_t *pending);

#endif
