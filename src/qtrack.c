/* SPDX-License-Identifier: MIT */
/*
 * qtrack.c - bounded memory of queued messages, keyed by queue id
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/qtrack.h"
#include "bouncelog/strmap.h"
#include "bouncelog/xalloc.h"

/* The capacity of a message's recipients doubles up to the first power of
 * two at or above QTRACK_MSG_RCPTS_MAX, which must fit in its uint16_t. */
_Static_assert(QTRACK_MSG_RCPTS_MAX <= 32768,
	       "a message's recipient capacity must fit in 16 bits");

struct qtrack {
	struct strmap *messages;	/* queue id -> struct qtrack_msg */
	struct strmap *senders;		/* sender -> uint32_t references;
					 * messages share one copy */
	uint64_t rcpts;			/* recipients tracked in all */
	int64_t next_sweep;		/* log time of the next idle sweep */
	bool swept;			/* next_sweep is set */
	uint64_t dropped;		/* messages forgotten before their end */
	uint64_t dropped_pending;	/* of those, with deferred recipients */

	/* The message found last, with its queue id and the id's hash.
	 * The lines of one message often follow each other, and then its
	 * id is hashed once.  NULL when unknown, and after any message is
	 * forgotten, because it may have been this one. */
	struct qtrack_msg *last;
	uint64_t last_hash;
	size_t last_len;
	char last_id[QTRACK_ID_MAX];
};

struct qtrack *
qtrack_new(void)
{
	struct qtrack *q = xcalloc(1, sizeof *q);

	q->messages = strmap_new(sizeof(struct qtrack_msg), QTRACK_MESSAGES_MAX);
	q->senders = strmap_new(sizeof(uint32_t), QTRACK_MESSAGES_MAX);
	return q;
}

/* release_sender - drop one reference to an interned sender */
static void
release_sender(struct qtrack *q, const char *sender)
{
	size_t len;
	uint32_t *refs;

	if (sender == NULL)
		return;

	/* sender is the key of its counter, so no lookup is needed. */
	refs = strmap_value(q->senders, sender);
	if (--*refs == 0) {
		/* The key is sender itself: copy its length first. */
		(void)strmap_key(q->senders, refs, &len);
		strmap_remove(q->senders, sender, len);
	}
}

/* msg_clear - release what m owns, before m is removed */
static void
msg_clear(struct qtrack *q, struct qtrack_msg *m)
{
	q->last = NULL;
	q->rcpts -= m->nrcpts;
	free(m->rcpts);
	release_sender(q, m->sender);
	memset(m, 0, sizeof *m);
}

/* end_quietly - forget message m of queue id key at its end, which the
 * log did not write */
static void
end_quietly(struct qtrack *q, struct qtrack_msg *m, const char *key,
	    size_t len)
{
	msg_clear(q, m);
	strmap_remove(q->messages, key, len);
}

/* ended_unlogged - has m ended, though the log wrote no end? */
static bool
ended_unlogged(const struct qtrack_msg *m, int64_t now)
{
	return m->end_unlogged && m->settled &&
	       now - m->last_seen > QTRACK_QUIET_END && !qtrack_pending(m);
}

/* drop - forget message m of queue id key before its end, counting it */
static void
drop(struct qtrack *q, struct qtrack_msg *m, const char *key, size_t len)
{
	q->dropped++;
	if (qtrack_pending(m))
		q->dropped_pending++;
	msg_clear(q, m);
	strmap_remove(q->messages, key, len);
}

void
qtrack_free(struct qtrack *q)
{
	struct strmap_entry *e;

	if (q == NULL)
		return;
	e = strmap_entries(q->messages);
	for (size_t i = 0; i < strmap_count(q->messages); i++)
		msg_clear(q, e[i].value);
	free(e);
	strmap_free(q->messages);
	strmap_free(q->senders);
	free(q);
}

static int
compare_age(const void *a, const void *b)
{
	const struct qtrack_msg *x = ((const struct strmap_entry *)a)->value;
	const struct qtrack_msg *y = ((const struct strmap_entry *)b)->value;

	const struct strmap_entry *ka = a, *kb = b;
	size_t n = ka->key_len < kb->key_len ? ka->key_len : kb->key_len;
	int c;

	if (x->last_seen != y->last_seen)
		return x->last_seen < y->last_seen ? -1 : 1;

	/* Ties go by queue id, so that which messages are dropped does not
	 * depend on the table's layout, which the keyed hash changes from
	 * run to run. */
	c = memcmp(ka->key, kb->key, n);
	if (c != 0)
		return c;
	return (ka->key_len > kb->key_len) - (ka->key_len < kb->key_len);
}

/*
 * evict - drop messages not seen for QTRACK_IDLE_MAX before now, or at
 * least the oldest quarter, so that the next QTRACK_MESSAGES_MAX / 4 additions need
 * no eviction (which keeps the cost per addition amortised constant)
 */
static void
evict(struct qtrack *q, int64_t now)
{
	struct strmap_entry *e = strmap_entries(q->messages);
	size_t n = strmap_count(q->messages);
	size_t quarter = n / 4 + 1;

	qsort(e, n, sizeof *e, compare_age);
	for (size_t i = 0; i < n; i++) {
		struct qtrack_msg *m = e[i].value;

		if (i >= quarter && now - m->last_seen <= QTRACK_IDLE_MAX)
			break;
		/* Keys stay valid until their own removal. */
		drop(q, m, e[i].key, e[i].key_len);
	}
	free(e);
}

/* drop_oldest - drop the count messages of e[0..n) seen longest ago */
static void
drop_oldest(struct qtrack *q, struct strmap_entry *e, size_t n, size_t count)
{
	qsort(e, n, sizeof *e, compare_age);
	for (size_t i = 0; i < count && i < n; i++)
		drop(q, e[i].value, e[i].key, e[i].key_len);
}

/*
 * sweep - forget the messages that ended unlogged, those not seen for
 * QTRACK_IDLE_MAX seconds before now, and the dormant ones seen longest
 * ago beyond QTRACK_DORMANT_MAX, at
 * most once per QTRACK_SWEEP_EVERY seconds of log time, so that messages
 * whose end is never logged do not pile up until the table is full.  The
 * cost is one pass over the table per sweep, and a sort of the dormant
 * messages when there are too many.
 */
static void
sweep(struct qtrack *q, int64_t now)
{
	struct strmap_entry *e;
	size_t n, dormant = 0;

	if (q->swept && now < q->next_sweep)
		return;
	q->swept = true;
	q->next_sweep = now + QTRACK_SWEEP_EVERY;
	n = strmap_count(q->messages);
	if (n == 0)
		return;
	e = strmap_entries(q->messages);
	for (size_t i = 0; i < n; i++) {
		struct qtrack_msg *m = e[i].value;

		/* Keys stay valid until their own removal, so the dormant
		 * entries can be moved to the front of e. */
		if (ended_unlogged(m, now))
			end_quietly(q, m, e[i].key, e[i].key_len);
		else if (now - m->last_seen > QTRACK_IDLE_MAX)
			drop(q, m, e[i].key, e[i].key_len);
		else if (now - m->last_seen > QTRACK_DORMANT_AFTER)
			e[dormant++] = e[i];
	}
	if (dormant > QTRACK_DORMANT_MAX)
		drop_oldest(q, e, dormant, dormant - QTRACK_DORMANT_MAX);
	free(e);
}

/* remember - record m, of queue id qid with hash h, as found last */
static void
remember(struct qtrack *q, struct span qid, uint64_t h, struct qtrack_msg *m)
{
	q->last = m;
	q->last_hash = h;
	q->last_len = qid.len;
	memcpy(q->last_id, qid.ptr, qid.len);
}

/* is_last - true when qid is the id of the message found last */
static bool
is_last(const struct qtrack *q, struct span qid)
{
	return q->last != NULL && qid.len == q->last_len &&
	       memcmp(qid.ptr, q->last_id, qid.len) == 0;
}

/* full - true when another message needs an eviction first */
static bool
full(const struct qtrack *q)
{
	return strmap_count(q->messages) >= QTRACK_MESSAGES_MAX ||
	       q->rcpts >= QTRACK_RCPTS_MAX;
}

/*
 * lookup - find the message of queue id qid (1 to QTRACK_ID_MAX bytes),
 * or NULL, and set *h to the hash of qid.  When qid is the id of the
 * message found last, that message is returned without hashing.
 */
static struct qtrack_msg *
lookup(struct qtrack *q, struct span qid, uint64_t *h)
{
	struct qtrack_msg *m;

	if (is_last(q, qid)) {
		*h = q->last_hash;
		return q->last;
	}
	*h = hash_bytes(qid.ptr, qid.len);
	m = strmap_get_hashed(q->messages, qid.ptr, qid.len, *h);
	if (m != NULL)
		remember(q, qid, *h, m);
	return m;
}

struct qtrack_msg *
qtrack_find(struct qtrack *q, struct span qid, int64_t now, bool create)
{
	struct qtrack_msg *m;
	uint64_t h;

	if (qid.ptr == NULL || qid.len == 0 || qid.len > QTRACK_ID_MAX)
		return NULL;
	sweep(q, now);
	if (is_last(q, qid)) {
		m = q->last;
	} else {
		h = hash_bytes(qid.ptr, qid.len);

		/* With room for another message nothing is evicted, so one
		 * call finds qid or adds it.  A lookup first would search
		 * the table twice for every new message. */
		if (create && !full(q))
			m = strmap_get_or_add_hashed(q->messages, qid.ptr,
						     qid.len, h);
		else
			m = strmap_get_hashed(q->messages, qid.ptr, qid.len, h);
		if (m == NULL && create) {
			if (full(q))
				evict(q, now);
			m = strmap_get_or_add_hashed(q->messages, qid.ptr,
						     qid.len, h);
		}
		if (m != NULL)
			remember(q, qid, h, m);
	}
	if (m != NULL && now > m->last_seen)
		m->last_seen = now;
	return m;
}

void
qtrack_forget(struct qtrack *q, struct span qid)
{
	struct qtrack_msg *m;
	uint64_t h;

	if (qid.ptr == NULL || qid.len == 0 || qid.len > QTRACK_ID_MAX)
		return;
	m = lookup(q, qid, &h);
	if (m == NULL)
		return;
	msg_clear(q, m);
	strmap_remove_hashed(q->messages, qid.ptr, qid.len, h);
}

void
qtrack_set_sender(struct qtrack *q, struct qtrack_msg *m, struct span sender)
{
	size_t len = sender.len > QTRACK_SENDER_MAX ? QTRACK_SENDER_MAX
						    : sender.len;
	uint32_t *refs;

	/* Like strndup(), stop at a NUL byte, because callers take the
	 * sender's length with strlen(). */
	len = sender.ptr != NULL ? strnlen(sender.ptr, len) : 0;
	refs = strmap_get_or_add(q->senders, sender.ptr != NULL ? sender.ptr
								: "",
				 len);

	/* The map has room for a sender per message, so this cannot fail,
	 * but keep the old sender if it does. */
	if (refs == NULL)
		return;
	(*refs)++;
	release_sender(q, m->sender);
	m->sender = strmap_key(q->senders, refs, NULL);
}

/* hash_address - the keyed hash of the address bytes */
static uint64_t
hash_address(struct span addr)
{
	return hash_bytes(addr.ptr, addr.len);
}

/* rcpt_find - the recipient of m whose address hashes to h, or NULL */
static struct qtrack_rcpt *
rcpt_find(struct qtrack_msg *m, uint64_t h)
{
	for (uint32_t i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].hash == h)
			return &m->rcpts[i];
	return NULL;
}

struct qtrack_rcpt *
qtrack_rcpt_find(struct qtrack_msg *m, struct span addr)
{
	/* Most messages never have a recipient deferred, so they track
	 * none, and need no hash. */
	if (m->nrcpts == 0)
		return NULL;
	return rcpt_find(m, hash_address(addr));
}

struct qtrack_rcpt *
qtrack_rcpt(struct qtrack *q, struct qtrack_msg *m, struct span addr,
	    void *tag, bool *added)
{
	uint64_t h = hash_address(addr);
	struct qtrack_rcpt *r = rcpt_find(m, h);

	*added = false;
	if (r != NULL)
		return r;
	if (m->nrcpts >= QTRACK_MSG_RCPTS_MAX || q->rcpts >= QTRACK_RCPTS_MAX)
		return NULL;
	if (m->nrcpts == m->cap) {
		m->cap = (uint16_t)(m->cap ? m->cap * 2 : 1);
		m->rcpts = xreallocarray(m->rcpts, m->cap, sizeof *m->rcpts);
	}
	r = &m->rcpts[m->nrcpts++];
	r->hash = h;
	r->tag = tag;
	r->pending = false;
	r->reason = 0;
	q->rcpts++;
	*added = true;
	return r;
}

bool
qtrack_pending(const struct qtrack_msg *m)
{
	for (uint32_t i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].pending)
			return true;
	return false;
}

uint64_t
qtrack_messages(const struct qtrack *q)
{
	return strmap_count(q->messages);
}

uint64_t
qtrack_recipients(const struct qtrack *q)
{
	return q->rcpts;
}

uint64_t
qtrack_dropped(const struct qtrack *q, uint64_t *pending)
{
	if (pending != NULL)
		*pending = q->dropped_pending;
	return q->dropped;
}
