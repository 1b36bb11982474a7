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
#include "shortkey.h"

/* The capacity of a message's recipients doubles up to the first power of
 * two at or above QTRACK_MSG_RCPTS_MAX, which must fit in its uint16_t. */
_Static_assert(QTRACK_MSG_RCPTS_MAX <= 32768,
	       "a message's recipient capacity must fit in 16 bits");

/*
 * Slots of the cache of recently found messages, as a power of two.  The
 * lines of a message come close together, so a lookup of a queue id
 * often finds it here without hashing it or searching the table.
 */
#define RECENT_BITS 6
#define RECENT_SLOTS (1 << RECENT_BITS)

/*
 * A message found recently, with its queue id and the id's hash_bytes().
 * A message's entry stays at one address until its removal, which empties
 * its slot, so a slot whose id matches points at that id's message.
 */
struct recent {
	struct qtrack_msg *m;	/* NULL for an empty slot */
	uint64_t hash;
	size_t len;
	char id[QTRACK_ID_MAX];
};

/* The references to an interned sender, and its key's hash, with which
 * the last release removes it without hashing it again. */
struct sender_ref {
	uint32_t refs;
	uint64_t hash;
};

struct qtrack {
	struct strmap *messages;	/* queue id -> struct qtrack_msg */
	struct strmap *senders;		/* sender -> struct sender_ref;
					 * messages share one copy */
	uint64_t rcpts;			/* recipients tracked in all */
	int64_t next_sweep;		/* log time of the next idle sweep */
	bool swept;			/* next_sweep is set */
	uint64_t dropped;		/* messages forgotten before their end */
	uint64_t dropped_pending;	/* of those, with deferred recipients */

	/* Messages found recently, by queue id; see struct recent. */
	struct recent recent[RECENT_SLOTS];
	bool use_recent;	/* see qtrack_use_recent() */
};

struct qtrack *
qtrack_new(void)
{
	struct qtrack *q = xcalloc(1, sizeof *q);

	q->messages = strmap_new(sizeof(struct qtrack_msg), QTRACK_MESSAGES_MAX);
	q->senders = strmap_new(sizeof(struct sender_ref), QTRACK_MESSAGES_MAX);
	q->use_recent = true;
	return q;
}

void
qtrack_use_recent(struct qtrack *q, bool on)
{
	q->use_recent = on;
	memset(q->recent, 0, sizeof q->recent);
}

/* recent_slot - the slot of the cache for the queue id of len bytes (1
 * to QTRACK_ID_MAX) at id */
static struct recent *
recent_slot(struct qtrack *q, const char *id, size_t len)
{
	return &q->recent[shortkey_slot_hash(id, len) >> (64 - RECENT_BITS)];
}

/* recent_is - true when slot r contains the message of queue id qid */
static bool
recent_is(const struct recent *r, struct span qid)
{
	return r->m != NULL && r->len == qid.len &&
	       shortkey_equal(r->id, qid.ptr, qid.len);
}

/* recent_forget - empty the slot of queue id key, whose message is
 * about to be removed */
static void
recent_forget(struct qtrack *q, const char *key, size_t len)
{
	struct recent *r;

	if (len == 0 || len > QTRACK_ID_MAX)
		return;
	r = recent_slot(q, key, len);
	if (recent_is(r, span_make(key, len)))
		r->m = NULL;
}

/* release_sender - drop one reference to an interned sender */
static void
release_sender(struct qtrack *q, const char *sender)
{
	size_t len;
	struct sender_ref *ref;

	if (sender == NULL)
		return;

	/* sender is the key of its counter, so no lookup is needed, and
	 * the counter keeps the key's hash for the removal. */
	ref = strmap_value(q->senders, sender);
	if (--ref->refs == 0) {
		/* The key is sender itself: copy its length first. */
		(void)strmap_key(q->senders, ref, &len);
		strmap_remove_hashed(q->senders, sender, len, ref->hash);
	}
}

/* msg_clear - release what m, of queue id key, owns, before m is
 * removed */
static void
msg_clear(struct qtrack *q, struct qtrack_msg *m, const char *key,
	  size_t len)
{
	recent_forget(q, key, len);
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
	msg_clear(q, m, key, len);
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
	msg_clear(q, m, key, len);
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
		msg_clear(q, e[i].value, e[i].key, e[i].key_len);
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

/* remember - keep m, of queue id qid with hash h, in slot r */
static void
remember(struct recent *r, struct span qid, uint64_t h, struct qtrack_msg *m)
{
	r->m = m;
	r->hash = h;
	r->len = qid.len;
	memcpy(r->id, qid.ptr, qid.len);
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
 * or NULL, and set *h to the hash of qid.  A message in the cache is
 * returned without hashing.  With create, a message not found is added,
 * after an eviction when the table is full.
 */
static struct qtrack_msg *
lookup(struct qtrack *q, struct span qid, int64_t now, bool create,
       uint64_t *h)
{
	struct recent *r = recent_slot(q, qid.ptr, qid.len);
	struct qtrack_msg *m;

	if (q->use_recent && recent_is(r, qid)) {
		*h = r->hash;
		return r->m;
	}
	*h = hash_bytes(qid.ptr, qid.len);

	/* With room for another message nothing is evicted, so one call
	 * finds qid or adds it.  A lookup first would search the table
	 * twice for every new message. */
	if (create && !full(q))
		m = strmap_get_or_add_hashed(q->messages, qid.ptr, qid.len, *h);
	else
		m = strmap_get_hashed(q->messages, qid.ptr, qid.len, *h);
	if (m == NULL && create) {
		if (full(q))
			evict(q, now);
		m = strmap_get_or_add_hashed(q->messages, qid.ptr, qid.len, *h);
	}
	if (m != NULL && q->use_recent)
		remember(r, qid, *h, m);
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
	m = lookup(q, qid, now, create, &h);
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
	m = lookup(q, qid, 0, false, &h);
	if (m == NULL)
		return;
	msg_clear(q, m, qid.ptr, qid.len);
	strmap_remove_hashed(q->messages, qid.ptr, qid.len, h);
}

void
qtrack_set_sender(struct qtrack *q, struct qtrack_msg *m, struct span sender)
{
	size_t len = sender.len > QTRACK_SENDER_MAX ? QTRACK_SENDER_MAX
						    : sender.len;
	const char *key = sender.ptr != NULL ? sender.ptr : "";
	struct sender_ref *ref;
	uint64_t h;

	/* Like strndup(), stop at a NUL byte, because callers take the
	 * sender's length with strlen(). */
	len = sender.ptr != NULL ? strnlen(sender.ptr, len) : 0;
	h = hash_bytes(key, len);
	ref = strmap_get_or_add_hashed(q->senders, key, len, h);

	/* The map has room for a sender per message, so this cannot fail,
	 * but keep the old sender if it does. */
	if (ref == NULL)
		return;
	ref->refs++;
	ref->hash = h;
	release_sender(q, m->sender);
	m->sender = strmap_key(q->senders, ref, NULL);
}

/* hash_address - the keyed hash of the address bytes */
static uint64_t
hash_address(struct span addr)
{
	return hash_bytes(addr.ptr, addr.len);
}

/*
 * A message with room for INDEX_MIN recipients or more keeps an index of
 * them after its array, in the same allocation.  The index has 2 * cap
 * slots of 16 bits, each 0 or one more than a recipient's position, placed
 * by its hash with linear probing.  At most half the slots are used and
 * the hash is keyed, so a lookup probes few slots whatever the addresses.
 * A smaller message is searched, which costs less than an index.
 */
#define INDEX_MIN 16

_Static_assert(QTRACK_MSG_RCPTS_MAX < UINT16_MAX,
	       "a recipient's position plus one must fit in an index slot");

/* rcpt_index - the index of m's recipients, or NULL when it has none */
static uint16_t *
rcpt_index(const struct qtrack_msg *m)
{
	if (m->cap < INDEX_MIN)
		return NULL;
	return (uint16_t *)(m->rcpts + m->cap);
}

/* index_slot - the slot of the index of m where a search for hash h
 * ends: the one of its recipient, or the empty one where it would go */
static uint16_t *
index_slot(const struct qtrack_msg *m, uint16_t *index, uint64_t h)
{
	size_t mask = (size_t)m->cap * 2 - 1;
	size_t i = (size_t)(h >> 32) & mask;

	while (index[i] != 0 && m->rcpts[index[i] - 1].hash != h)
		i = (i + 1) & mask;
	return &index[i];
}

/* rcpt_find - the recipient of m whose address hashes to h, or NULL */
static struct qtrack_rcpt *
rcpt_find(struct qtrack_msg *m, uint64_t h)
{
	uint16_t *index = rcpt_index(m), *slot;

	if (index != NULL) {
		slot = index_slot(m, index, h);
		return *slot != 0 ? &m->rcpts[*slot - 1] : NULL;
	}
	for (uint32_t i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].hash == h)
			return &m->rcpts[i];
	return NULL;
}

/* grow - double the room of m for recipients, and index them anew when
 * the room needs an index.  The cost per recipient is amortised
 * constant. */
static void
grow(struct qtrack_msg *m)
{
	size_t size;
	uint16_t *index;

	m->cap = (uint16_t)(m->cap ? m->cap * 2 : 1);
	size = (size_t)m->cap * sizeof *m->rcpts;
	if (m->cap >= INDEX_MIN)
		size += (size_t)m->cap * 2 * sizeof *index;
	m->rcpts = xrealloc(m->rcpts, size);
	index = rcpt_index(m);
	if (index == NULL)
		return;
	memset(index, 0, (size_t)m->cap * 2 * sizeof *index);
	for (uint32_t i = 0; i < m->nrcpts; i++)
		*index_slot(m, index, m->rcpts[i].hash) = (uint16_t)(i + 1);
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
	if (m->nrcpts == m->cap)
		grow(m);
	r = &m->rcpts[m->nrcpts++];
	if (rcpt_index(m) != NULL)
		*index_slot(m, rcpt_index(m), h) = (uint16_t)m->nrcpts;
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
	return m->npending > 0;
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
