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
 * an opaque tag.  When the table is full, messages not seen for
 * QTRACK_AGE seconds of log time are dropped, and if none is that old,
 * the oldest quarter is.  Work per call is amortised constant, except for
 * the linear search of one message's recipients.
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
#define QTRACK_AGE (6 * 86400)	/* Postfix gives up after 5 days by default */

struct qtrack;

struct qtrack_rcpt {
	uint64_t hash;		/* of the address bytes */
	void *tag;		/* the caller's, e.g. the domain's counters */
	bool pending;		/* deferred, with no final status yet */
	uint8_t reason;		/* the caller's: the last deferral's reason
				 * (an enum reason); 0 until set */
};

struct qtrack_msg {
	char *sender;		/* owned; NULL until known */
	int64_t last_seen;	/* UTC seconds */
	struct qtrack_rcpt *rcpts;
	uint32_t nrcpts;
	uint32_t cap;
};

/* Create an empty tracker; owned, freed with qtrack_free(). */
struct qtrack *qtrack_new(void);
void qtrack_free(struct qtrack *q);

/*
 * The message with queue id qid, seen at now (UTC seconds), or NULL.  With
 * create, a new message is added, after dropping old ones if the table is
 * full.  The pointer is valid until the next call that may create or
 * forget messages.
 */
struct qtrack_msg *qtrack_find(struct qtrack *q, struct span qid, int64_t now,
			       bool create);

/* Forget the message with queue id qid, if tracked. */
void qtrack_forget(struct qtrack *q, struct span qid);

/* Record the sender of m; the address is copied (cut if long). */
void qtrack_set_sender(struct qtrack_msg *m, struct span sender);

/*
 * The recipient addr of m, added with tag when new (*added is then true).
 * NULL when m or the whole tracker has no room for another recipient.
 */
struct qtrack_rcpt *qtrack_rcpt(struct qtrack *q, struct qtrack_msg *m,
				struct span addr, void *tag, bool *added);

/* The recipient addr of m if tracked, else NULL. */
struct qtrack_rcpt *qtrack_rcpt_find(struct qtrack_msg *m, struct span addr);

/* Messages tracked, and recipients tracked in all. */
uint64_t qtrack_messages(const struct qtrack *q);
uint64_t qtrack_recipients(const struct qtrack *q);

#endif
