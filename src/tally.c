/* SPDX-License-Identifier: MIT */
/*
 * tally.c - counts of deliveries, failures and rejections for the reports
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/escape.h"
#include "bouncelog/hash.h"
#include "bouncelog/i18n.h"
#include "bouncelog/logzone.h"
#include "bouncelog/xalloc.h"
#include "shortkey.h"
#include "tally_impl.h"

/* Keys per exact breakdown map: TALLY_KEYS_MAX plus TALLY_OTHER_KEY. */
#define BREAKDOWN_KEYS (TALLY_KEYS_MAX + 1)

/* Maximum length of a kept domain, host or sender key. */
#define KEY_MAX 255

/*
 * A table key with its hash, made once per event and counted in every
 * table that the event reaches: a recipient domain goes to the domain
 * map and to two summaries.
 */
struct key {
	char buf[KEY_MAX + 1];
	size_t len;
	uint64_t hash;		/* hash_bytes() of buf */
};

static void
class_init(struct class_stat *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->reply_codes = strmap_new(sizeof(struct code_stat), BREAKDOWN_KEYS);
	cs->enh_codes = strmap_new(sizeof(struct code_stat), BREAKDOWN_KEYS);
	cs->domains = topk_new(TALLY_TOP_CAPACITY);
	cs->hosts = topk_new(TALLY_TOP_CAPACITY);
	cs->senders = topk_new(TALLY_TOP_CAPACITY);
	cs->stages = strmap_new(sizeof(uint64_t), BREAKDOWN_KEYS);
	cs->components = strmap_new(sizeof(uint64_t), BREAKDOWN_KEYS);
}

/* free_examples - release the example lines held by a code map */
static void
free_examples(struct strmap *map)
{
	struct strmap_entry *e = strmap_entries(map);

	for (size_t i = 0; i < strmap_count(map); i++) {
		struct code_stat *cs = e[i].value;

		for (int k = 0; k < TALLY_EXAMPLES; k++)
			free(cs->examples[k]);
	}
	free(e);
	strmap_free(map);
}

static void
class_free(struct class_stat *cs)
{
	free_examples(cs->reply_codes);
	free_examples(cs->enh_codes);
	topk_free(cs->domains);
	topk_free(cs->hosts);
	topk_free(cs->senders);
	strmap_free(cs->stages);
	strmap_free(cs->components);
}

struct tally *
tally_new(void)
{
	struct tally *t = xcalloc(1, sizeof *t);

	t->reply_codes = strmap_new(sizeof(uint64_t), BREAKDOWN_KEYS);
	t->enh_codes = strmap_new(sizeof(uint64_t), BREAKDOWN_KEYS);
	t->domains = strmap_new(sizeof(struct domain_stat), BREAKDOWN_KEYS);
	t->queue = qtrack_new();
	t->queue_hosts.numbers = strmap_new(sizeof(uint32_t), QUEUE_HOSTS_MAX);
	timeline_init(&t->timeline);
	t->context_domains = strmap_new(sizeof(struct domain_stat),
					BREAKDOWN_KEYS);
	for (int i = 0; i < 2; i++) {
		class_init(&t->outbound[i]);
		class_init(&t->inbound[i]);
	}
	return t;
}

/* reason_free - release what the breakdowns of one reason hold */
static void
reason_free(struct reason_stat *rs)
{
	topk_free(rs->domains);
	topk_free(rs->hosts);
	topk_free(rs->clients);
	for (int k = 0; k < TALLY_EXAMPLES; k++)
		free(rs->examples[k]);
}

void
tally_free(struct tally *t)
{
	if (t == NULL)
		return;
	qtrack_free(t->queue);
	strmap_free(t->queue_hosts.numbers);
	strmap_free(t->reply_codes);
	strmap_free(t->enh_codes);
	strmap_free(t->domains);
	strmap_free(t->context_domains);
	for (int r = 0; r < REASON_COUNT; r++)
		reason_free(&t->reasons[r]);
	for (int i = 0; i < 2; i++) {
		class_free(&t->outbound[i]);
		class_free(&t->inbound[i]);
	}
	for (size_t i = 0; i < t->ninputs; i++) {
		free(t->inputs[i].name);
		free(t->inputs[i].same_as);
	}
	free(t->inputs);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t);
}

/*
 * clean_key - copy s into buf as valid UTF-8 (utf8_repair()), at most
 * KEY_MAX bytes; returns the length.  Keys are stored in the form that
 * the JSON report writes, so that two keys never become one string in
 * it, which the --merge reader rejects as a key listed twice.
 */
static size_t
clean_key(struct span s, char buf[KEY_MAX + 1])
{
	return utf8_repair(buf, KEY_MAX + 1, s.ptr, s.len);
}

/* lower_key - clean_key() lower-cased (ASCII only); returns the length */
static size_t
lower_key(struct span s, char buf[KEY_MAX + 1])
{
	return utf8_repair_lower(buf, KEY_MAX + 1, s.ptr, s.len);
}

/* slot_hashed - tally_slot() of a key whose hash_bytes() is h */
static void *
slot_hashed(struct strmap *map, const char *key, size_t len, uint64_t h)
{
	void *v = strmap_get_hashed(map, key, len, h);

	if (v != NULL)
		return v;

	/* Maps hold one key more than TALLY_KEYS_MAX, kept for "(other)". */
	if (strmap_count(map) < TALLY_KEYS_MAX)
		return strmap_get_or_add_hashed(map, key, len, h);
	return strmap_get_or_add(map, TALLY_OTHER_KEY, strlen(TALLY_OTHER_KEY));
}

void *
tally_slot(struct strmap *map, const char *key, size_t len)
{
	return slot_hashed(map, key, len, hash_bytes(key, len));
}

/* make_key - key (fallback when empty) cut to KEY_MAX bytes into buf,
 * lower-cased when fold is set; returns its length */
static size_t
make_key(struct span key, const char *fallback, bool fold,
	 char buf[KEY_MAX + 1])
{
	size_t n;

	if (key.ptr == NULL || key.len == 0) {
		n = strlen(fallback);
		memcpy(buf, fallback, n + 1);
	} else if (fold) {
		n = lower_key(key, buf);
	} else {
		n = clean_key(key, buf);
	}
	return n;
}

/* key_set - set k to key (fallback when empty) as make_key() makes it,
 * with its hash */
static void
key_set(struct key *k, struct span key, const char *fallback, bool fold)
{
	k->len = make_key(key, fallback, fold, k->buf);
	k->hash = hash_bytes(k->buf, k->len);
}

/* domain_key - set k to the key of a recipient address's domain */
static void
domain_key(struct key *k, struct span address)
{
	key_set(k, event_domain(address),
		address.ptr ? "(local)" : "(unknown)", true);
}

/* count_key - count key (fallback when empty) in an exact map of at most
 * TALLY_KEYS_MAX keys; fold case if asked */
static void
count_key(struct strmap *map, struct span key, const char *fallback,
	  bool fold)
{
	char buf[KEY_MAX + 1];
	size_t n = make_key(key, fallback, fold, buf);

	(*(uint64_t *)tally_slot(map, buf, n))++;
}

/* count_top - count a key in a summary */
static void
count_top(struct topk *s, const struct key *k)
{
	topk_add_hashed(s, k->buf, k->len, k->hash, 1);
}

/* domain_slot_key - the per-domain counters of a domain key in map */
static struct domain_stat *
domain_slot_key(struct strmap *map, const struct key *k)
{
	struct domain_stat *d = slot_hashed(map, k->buf, k->len, k->hash);

	if (d->name == NULL)
		d->name = strmap_key(map, d, NULL);
	return d;
}

/* domain_slot_in - the per-domain counters of a recipient address in
 * map */
static struct domain_stat *
domain_slot_in(struct strmap *map, struct span address)
{
	struct key k;

	domain_key(&k, address);
	return domain_slot_key(map, &k);
}

struct domain_stat *
tally_domain_slot_general(struct tally *t, struct span address)
{
	return domain_slot_in(t->domains, address);
}

struct domain_stat *
tally_domain_slot(struct tally *t, struct span address)
{
	struct span domain = event_domain(address);
	struct tally_domain_memo *m;
	struct domain_stat *d;
	struct key k;
	uint64_t h;

	/* Without a domain the key is "(local)", or "(unknown)" without
	 * an address. */
	if (domain.ptr == NULL || domain.len == 0) {
		struct domain_stat **f = &t->no_domain[address.ptr != NULL];

		if (*f == NULL)
			*f = domain_slot_in(t->domains, address);
		return *f;
	}
	if (domain.len > TALLY_DOMAIN_MEMO_MAX)
		return domain_slot_in(t->domains, address);

	h = shortkey_slot_hash(domain.ptr, domain.len);
	m = &t->domain_memo[h >> (64 - TALLY_DOMAIN_MEMO_BITS)];
	if (m->stat != NULL && m->len == domain.len &&
	    shortkey_equal(m->name, domain.ptr, domain.len))
		return m->stat;

	/* domain_key() without a second search for the "@": the domain is
	 * not empty, so its fallback is never used. */
	key_set(&k, domain, "(local)", true);
	d = domain_slot_key(t->domains, &k);
	m->stat = d;
	m->len = domain.len;
	memcpy(m->name, domain.ptr, domain.len);
	return d;
}

/* domain_slot - the reported per-domain counters of a recipient address */
static struct domain_stat *
domain_slot(struct tally *t, struct span address)
{
	return tally_domain_slot(t, address);
}

/* counted_domain - the reported counters of the domain that a tracked
 * recipient's tag names, which may be an entry of t->context_domains */
static struct domain_stat *
counted_domain(struct tally *t, const struct domain_stat *tag)
{
	size_t n = strlen(tag->name);
	struct domain_stat *d = tally_slot(t->domains, tag->name, n);

	if (d->name == NULL)
		d->name = strmap_key(t->domains, d, NULL);
	return d;
}

/* example_len - the bytes of line kept as an example: up to a NUL,
 * which xstrndup() would stop at, and at most TALLY_EXAMPLE_MAX */
static size_t
example_len(struct span line)
{
	size_t n = line.len > TALLY_EXAMPLE_MAX ? TALLY_EXAMPLE_MAX : line.len;

	return line.ptr != NULL ? strnlen(line.ptr, n) : 0;
}

/* examples_full - true when every slot of examples is taken.  Then a
 * line changes nothing whether or not it is kept already, so it need
 * not be compared with them. */
static bool
examples_full(char *const examples[TALLY_EXAMPLES])
{
	for (int k = 0; k < TALLY_EXAMPLES; k++)
		if (examples[k] == NULL)
			return false;
	return true;
}

/* add_example - keep the start of line as an example, if there is room
 * and it is not kept already (the events of one line share it) */
static void
add_example(struct code_stat *cs, struct span line, enum reason reason)
{
	size_t n;

	if (examples_full(cs->examples))
		return;
	n = example_len(line);
	for (int k = 0; k < TALLY_EXAMPLES; k++) {
		if (cs->examples[k] != NULL) {
			if (tally_same_example(cs->examples[k], line.ptr, n))
				return;
			continue;
		}
		cs->examples[k] = xstrndup(line.ptr, n);
		cs->example_reasons[k] = (unsigned char)reason;
		return;
	}
}

static void
count_code(struct strmap *global, struct strmap *per_class, const char *key,
	   struct span line, enum reason reason)
{
	size_t len = strlen(key);
	uint64_t h = hash_bytes(key, len);
	struct code_stat *cs = slot_hashed(per_class, key, len, h);

	(*(uint64_t *)slot_hashed(global, key, len, h))++;
	cs->count++;
	add_example(cs, line, reason);
}

/* keep_example - keep the start of line in a reason's examples, once */
static void
keep_example(char *examples[TALLY_EXAMPLES], struct span line)
{
	size_t n;

	if (examples_full(examples))
		return;
	n = example_len(line);
	for (int k = 0; k < TALLY_EXAMPLES; k++) {
		if (examples[k] == NULL) {
			examples[k] = xstrndup(line.ptr, n);
			return;
		}
		if (tally_same_example(examples[k], line.ptr, n))
			return;
	}
}

/* reason_top - a reason's breakdown summary, made on first use */
static struct topk *
reason_top(struct topk **s)
{
	if (*s == NULL)
		*s = topk_new(TALLY_REASON_TOP_CAPACITY);
	return *s;
}

/* notify - give a counted failure to the sink, if there is one */
static void
notify(struct tally *t, const struct event *ev, enum reason reason,
       enum tally_outcome what, struct span domain, struct span host)
{
	struct tally_failure f;

	if (t->sink.failure == NULL)
		return;
	f.outcome = what;
	f.ev = ev;
	f.sender = ev->sender;
	f.recipient = ev->recipient;
	f.domain = domain;
	f.host = span_present(host) && host.len > 0 ? host : span_make(NULL, 0);
	f.reason = reason;
	if (what == TALLY_REJECTED)
		f.cls = event_failure_class(ev);
	else
		f.cls = what == TALLY_DEFERRED ? 4 : 5;
	t->sink.failure(t->sink.ctx, &f);
}

/* count_time - one failure of ev in the timeline */
static void
count_time(struct tally *t, const struct event *ev, enum tally_outcome what)
{
	static const enum timeline_series series[] = {
		[TALLY_DEFERRED] = TIMELINE_DEFERRED,
		[TALLY_BOUNCED] = TIMELINE_BOUNCED,
		[TALLY_EXPIRED] = TIMELINE_EXPIRED,
		[TALLY_REJECTED] = TIMELINE_REJECTED_PERM,
	};
	enum timeline_series s = series[what];

	if (what == TALLY_REJECTED && event_failure_class(ev) == 4)
		s = TIMELINE_REJECTED_TEMP;
	timeline_add(&t->timeline, ev->has_time ? &ev->time : NULL, s);
}

/*
 * Keys of one failure.  domain is the recipient domain as the event
 * names it, and host the remote host (outbound) or client (inbound),
 * which may be absent.  Each key is the form that the tables keep.
 */
struct failure_keys {
	struct span domain;
	struct key domain_key;
	struct span host;
	struct key host_key;
};

/* failure_keys_set - fill fk for a failure of recipient domain domain
 * (never empty) and host host */
static void
failure_keys_set(struct failure_keys *fk, struct span domain,
		 struct span host)
{
	fk->domain = domain;
	key_set(&fk->domain_key, domain, "(unknown)", true);
	fk->host = host;
	key_set(&fk->host_key, host, "(none)", true);
}

/*
 * count_reason - one failure of reason, logged by ev, with the keys fk
 */
static void
count_reason(struct tally *t, const struct event *ev, enum reason reason,
	     enum tally_outcome what, const struct failure_keys *fk,
	     struct span line)
{
	struct span domain = fk->domain, host = fk->host;

	struct reason_stat *rs;

	if (reason <= REASON_NONE || reason >= REASON_COUNT)
		reason = REASON_UNDEFINED;
	rs = &t->reasons[reason];
	t->failures++;
	rs->count++;
	switch (what) {
	case TALLY_DEFERRED:
		rs->deferred++;
		break;
	case TALLY_BOUNCED:
		rs->bounced++;
		break;
	case TALLY_EXPIRED:
		rs->expired++;
		break;
	case TALLY_REJECTED:
		rs->rejected++;
		break;
	}
	count_top(reason_top(&rs->domains), &fk->domain_key);
	if (span_present(host) && host.len > 0)
		count_top(reason_top(what == TALLY_REJECTED ? &rs->clients
							    : &rs->hosts),
			  &fk->host_key);
	if (line.ptr != NULL)
		keep_example(rs->examples, line);
	count_time(t, ev, what);
	notify(t, ev, reason, what, domain, host);
}

/* recipient_domain - the key under which ev's recipient domain counts */
static struct span
recipient_domain(const struct event *ev)
{
	struct span domain = event_domain(ev->recipient);

	if (domain.ptr != NULL && domain.len > 0)
		return domain;
	return ev->recipient.ptr ? span_make("(local)", 7)
				 : span_make("(unknown)", 9);
}

/* record_failure - count a deferral, bounce or rejection in its class,
 * with the keys fk */
static void
record_failure(struct tally *t, struct class_stat *cs, const struct event *ev,
	       const struct failure_keys *fk, struct span line)
{
	struct key sender;

	const struct enh_status *enh = event_enhanced(ev);
	enum reason reason = ev->classification.reason;
	char key[ENH_STATUS_LEN];

	cs->count++;
	if (!enh_status_present(enh))
		cs->subjects[SUBJECT_NONE]++;
	else if (enh->subject < SUBJECT_OTHER)
		cs->subjects[enh->subject]++;
	else
		cs->subjects[SUBJECT_OTHER]++;
	if (ev->reply_code != 0) {
		count_code(t->reply_codes, cs->reply_codes,
			   status_format_reply(ev->reply_code, key), line,
			   reason);
	}
	if (enh_status_present(enh))
		count_code(t->enh_codes, cs->enh_codes,
			   status_format_enhanced(enh, key), line, reason);
	if (event_codes_disagree(ev))
		t->code_mismatches++;

	/* Domains and host names ignore case; local parts and stages may
	 * not, so senders and stages are kept as logged. */
	count_top(cs->domains, &fk->domain_key);
	count_top(cs->hosts, &fk->host_key);
	if (ev->sender.ptr != NULL && ev->sender.len == 0)
		key_set(&sender, span_make("<>", 2), "<>", false);
	else
		key_set(&sender, ev->sender, "(unknown)", false);
	count_top(cs->senders, &sender);
	if (span_present(ev->stage))
		count_key(cs->stages, ev->stage, "(none)", false);
	if (span_present(ev->component))
		count_key(cs->components, ev->component, "(none)", false);
}

/*
 * queue_may_add - whether ev may add its message to the queue tracker.
 * A message tracked only while deferred is added by the deferral of a
 * named recipient and by no other event.
 */
static bool
queue_may_add(const struct event *ev)
{
	if (!ev->track_while_deferred)
		return true;
	return ev->type == EVENT_DELIVERY && ev->status == STATUS_DEFERRED &&
	       span_present(ev->recipient);
}

/* host_number - the number of a log host, given in the order first
 * seen.  A line without a host, such as one of Exim's own main log, is
 * taken as the first host's, as a server that logs both ways writes. */
static uint32_t
host_number(struct queue_hosts *qh, struct span host)
{
	size_t before = strmap_count(qh->numbers);
	uint32_t *number;

	if (host.len == 0)
		return 0;
	number = strmap_get_or_add(qh->numbers, host.ptr, host.len);
	if (number == NULL)
		return QUEUE_HOSTS_MAX;
	if (strmap_count(qh->numbers) > before)
		*number = (uint32_t)before;
	return *number;
}

/*
 * queue_key_numbered - the queue tracker's key of ev's message.  A central
 * syslog server logs the queues of several hosts, and two hosts may use
 * one queue id for different messages.  For the first log host seen and
 * for lines without a host, the key is the queue id, so a log of one host
 * keeps its keys.  For the other hosts, it is 0x01, the host's number in
 * 16 bits and the queue id.  There, a queue id longer than QTRACK_ID_MAX -
 * QUEUE_KEY_PREFIX bytes gives an empty key, which the tracker does not
 * track.
 */
static struct span
queue_key_numbered(struct tally *t, const struct event *ev)
{
	struct queue_hosts *qh = &t->queue_hosts;
	struct span host = ev->log_host, qid = ev->queue_id;
	uint32_t number;

	if (host.ptr == NULL)
		host.len = 0;
	if (qh->have_last && host.len == qh->last_len &&
	    (host.len == 0 || shortkey_equal(host.ptr, qh->last, host.len))) {
		number = qh->last_number;
	} else {
		number = host_number(qh, host);
		qh->have_last = host.len <= sizeof qh->last;
		if (qh->have_last) {
			memcpy(qh->last, host.ptr != NULL ? host.ptr : "",
			       host.len);
			qh->last_len = host.len;
			qh->last_number = number;
		}
	}

	if (number == 0)
		return qid;
	if (qid.ptr == NULL || qid.len > QTRACK_ID_MAX - QUEUE_KEY_PREFIX)
		return span_make(NULL, 0);
	qh->key[0] = 0x01;
	qh->key[1] = (char)(number >> 8);
	qh->key[2] = (char)(number & 0xff);
	memcpy(qh->key + QUEUE_KEY_PREFIX, qid.ptr, qid.len);
	return span_make(qh->key, QUEUE_KEY_PREFIX + qid.len);
}

/* queue_key - queue_key_numbered(), with the common case in line: no
 * host, or the first host again, whose key is the queue id */
static inline struct span
queue_key(struct tally *t, const struct event *ev)
{
	const struct queue_hosts *qh = &t->queue_hosts;
	size_t len = ev->log_host.ptr != NULL ? ev->log_host.len : 0;

	if (len == 0 ||
	    (qh->have_last && qh->last_number == 0 && len == qh->last_len &&
	     shortkey_equal(ev->log_host.ptr, qh->last, len)))
		return ev->queue_id;
	return queue_key_numbered(t, ev);
}

/* queue_find - the tracked message of ev's queue id, or NULL; create
 * adds it when queue_may_add() allows */
static struct qtrack_msg *
queue_find(struct tally *t, const struct event *ev, bool create)
{
	struct qtrack_msg *m;

	if (span_equal(ev->queue_id, "NOQUEUE"))
		return NULL;
	m = qtrack_find(t->queue, queue_key(t, ev), logzone_utc(&ev->time),
			create && queue_may_add(ev));
	if (m != NULL && ev->end_unlogged)
		m->end_unlogged = true;
	return m;
}

/* add_deferral - count a deferral of ev's recipient.  domain is the
 * counters of its domain. */
static void
add_deferral(struct tally *t, struct qtrack_msg *m, const struct event *ev,
	     struct domain_stat *domain)
{
	struct qtrack_rcpt *r = NULL;
	bool added = false;

	t->deferred++;
	if (ev->soft_bounce)
		t->soft_bounced++;
	domain->deferred++;

	/* Without tracking, count every deferral as a new recipient. */
	if (m != NULL && span_present(ev->recipient))
		r = qtrack_rcpt(t->queue, m, ev->recipient, domain, &added);

	/* A recipient deferred only outside the time range so far has a
	 * context tag; its first deferral inside the range counts it. */
	if (r != NULL && !added && r->tag != domain) {
		r->tag = domain;
		added = true;
	}
	if (r == NULL || added)
		t->deferred_unique++;
	if (r != NULL) {
		qtrack_set_pending(m, r, true);
		r->reason = (uint8_t)ev->classification.reason;
	}
}

/*
 * expiry_reason - an expiry's reason: a specific cause found in its own
 * text, else the reason of the recipient's last deferral, else expired
 */
static enum reason
expiry_reason(struct qtrack_msg *m, const struct event *ev)
{
	enum reason own = ev->classification.reason;
	struct qtrack_rcpt *r = NULL;

	if (own != REASON_EXPIRED && own != REASON_ONHOLD &&
	    own != REASON_UNDEFINED && own != REASON_NONE)
		return own;
	if (m != NULL && span_present(ev->recipient))
		r = qtrack_rcpt_find(m, ev->recipient);
	if (r != NULL && r->reason != REASON_NONE)
		return (enum reason)r->reason;
	return REASON_EXPIRED;
}

/*
 * settle - a final status for a recipient that may have been deferred.
 * A message tracked only while deferred is forgotten once none of its
 * recipients is.  Any other message is marked settled, which lets the
 * tracker end one whose end is not logged (QTRACK_QUIET_END).
 */
static void
settle(struct tally *t, struct qtrack_msg *m, const struct event *ev)
{
	struct qtrack_rcpt *r;

	if (m == NULL || !span_present(ev->recipient))
		return;
	m->settled = true;
	r = qtrack_rcpt_find(m, ev->recipient);
	if (r != NULL)
		qtrack_set_pending(m, r, false);
	if (ev->track_while_deferred && !qtrack_pending(m))
		qtrack_forget(t->queue, queue_key(t, ev));
}

static void
add_delivery(struct tally *t, const struct event *ev, struct span line)
{
	struct qtrack_msg *q = queue_find(t, ev, true);
	struct event joined;
	struct failure_keys fk;

	if (q == NULL && span_present(ev->queue_id) && queue_may_add(ev))
		t->untracked++;

	/* A failure counts with its message's sender, and its domain and
	 * host keys serve every table it reaches.  Other statuses need
	 * neither, and most deliveries succeed. */
	if (ev->status == STATUS_DEFERRED || ev->status == STATUS_BOUNCED ||
	    ev->status == STATUS_EXPIRED) {
		joined = *ev;
		if (q != NULL && q->sender != NULL &&
		    !span_present(joined.sender))
			joined.sender = span_make(q->sender, strlen(q->sender));
		failure_keys_set(&fk, recipient_domain(ev), ev->remote_host);
	}

	switch (ev->status) {
	case STATUS_SENT:
		t->delivered++;
		domain_slot(t, ev->recipient)->delivered++;
		settle(t, q, ev);
		break;
	case STATUS_FORWARDED:
		t->forwarded++;
		settle(t, q, ev);
		break;
	case STATUS_PROBE_OK:
		t->probes_ok++;
		break;
	case STATUS_PROBE_FAIL:
		t->probes_failed++;
		break;
	case STATUS_DEFERRED:
		add_deferral(t, q, ev,
			     domain_slot_key(t->domains, &fk.domain_key));
		record_failure(t, &t->outbound[0], &joined, &fk, line);
		count_reason(t, &joined, ev->classification.reason,
			     TALLY_DEFERRED, &fk, line);
		break;
	case STATUS_BOUNCED:
		t->bounced++;
		domain_slot_key(t->domains, &fk.domain_key)->bounced++;
		record_failure(t, &t->outbound[1], &joined, &fk, line);
		count_reason(t, &joined, ev->classification.reason,
			     ev->classification.expired ? TALLY_EXPIRED
							: TALLY_BOUNCED,
			     &fk, line);

		/* Last, because settling may forget q, and joined.sender
		 * with it. */
		settle(t, q, ev);
		break;
	case STATUS_EXPIRED:
		t->expired++;
		domain_slot_key(t->domains, &fk.domain_key)->expired++;
		count_reason(t, &joined, expiry_reason(q, ev), TALLY_EXPIRED,
			     &fk, line);
		settle(t, q, ev);
		break;
	}
}

/*
 * add_expiry - charge a message's expiry to its still-deferred
 * recipients, each with the reason of its last deferral
 */
static void
add_expiry(struct tally *t, const struct event *ev, struct span line)
{
	struct qtrack_msg *m = queue_find(t, ev, false);
	struct event joined = *ev;
	uint64_t charged = 0;

	if (m != NULL && m->sender != NULL && !span_present(joined.sender))
		joined.sender = span_make(m->sender, strlen(m->sender));
	t->expired_messages++;
	for (uint32_t i = 0; m != NULL && i < m->nrcpts; i++) {
		struct qtrack_rcpt *r = &m->rcpts[i];
		struct domain_stat *domain;
		struct failure_keys fk;
		enum reason reason = r->reason != REASON_NONE
					     ? (enum reason)r->reason
					     : REASON_EXPIRED;

		if (!r->pending)
			continue;
		qtrack_set_pending(m, r, false);
		domain = counted_domain(t, r->tag);
		domain->expired++;
		charged++;
		failure_keys_set(&fk,
				 span_make(domain->name, strlen(domain->name)),
				 span_make(NULL, 0));
		count_reason(t, &joined, reason, TALLY_EXPIRED, &fk, line);
	}
	/* The deferrals were in an earlier file, or not logged at all. */
	if (charged == 0) {
		struct failure_keys fk;

		domain_slot(t, span_make(NULL, 0))->expired++;
		charged = 1;
		failure_keys_set(&fk, span_make("(unknown)", 9),
				 span_make(NULL, 0));
		count_reason(t, &joined, REASON_EXPIRED, TALLY_EXPIRED, &fk,
			     line);
	}
	t->expired += charged;
}

static void
add_reject(struct tally *t, const struct event *ev, struct span line)
{
	struct span host = ev->client_host;
	int cls = event_failure_class(ev);
	struct failure_keys fk;

	if (ev->warning_only) {
		t->reject_warnings++;
		return;
	}
	/* A rejection before RCPT (CONNECT, HELO, postscreen) names no
	 * recipient, so it counts under "(unknown)". The domain table then
	 * adds up to the rejections, as the class summaries do. */
	if (!span_present(host) || host.len == 0 || span_equal(host, "unknown"))
		host = ev->client_addr;
	failure_keys_set(&fk, recipient_domain(ev), host);
	t->rejected++;
	domain_slot_key(t->domains, &fk.domain_key)->rejected++;
	record_failure(t, &t->inbound[cls == 4 ? 0 : 1], ev, &fk, line);
	count_reason(t, ev, ev->classification.reason, TALLY_REJECTED, &fk,
		     line);
}

void
tally_add(struct tally *t, const struct event *ev, struct span line)
{
	struct qtrack_msg *q;

	switch (ev->type) {
	case EVENT_DELIVERY:
		add_delivery(t, ev, line);
		break;
	case EVENT_REJECT:
		add_reject(t, ev, line);
		break;
	case EVENT_SENDER:
		q = queue_find(t, ev, true);
		if (q != NULL && span_present(ev->sender))
			qtrack_set_sender(t->queue, q, ev->sender);
		break;
	case EVENT_EXPIRED:
		add_expiry(t, ev, line);
		break;
	case EVENT_REMOVED:
		qtrack_forget(t->queue, queue_key(t, ev));
		break;
	case EVENT_NOTIFICATION:
		t->notifications++;
		break;
	}
}

/* learn_deferral - track a deferred recipient without counting it */
static void
learn_deferral(struct tally *t, const struct event *ev)
{
	struct qtrack_msg *m = queue_find(t, ev, true);
	struct qtrack_rcpt *r;
	bool added;

	if (m == NULL || !span_present(ev->recipient))
		return;

	/* A recipient first seen here gets a context tag, so that no
	 * domain appears in the report for a line outside the range. */
	r = qtrack_rcpt(t->queue, m, ev->recipient,
			domain_slot_in(t->context_domains, ev->recipient),
			&added);
	if (r == NULL)
		return;
	qtrack_set_pending(m, r, true);
	r->reason = (uint8_t)ev->classification.reason;
}

/* learn_expiry - an expiry outside the range settles its recipients */
static void
learn_expiry(struct tally *t, const struct event *ev)
{
	struct qtrack_msg *m = queue_find(t, ev, false);

	for (uint32_t i = 0; m != NULL && i < m->nrcpts; i++)
		qtrack_set_pending(m, &m->rcpts[i], false);
}

void
tally_learn(struct tally *t, const struct event *ev)
{
	struct qtrack_msg *q;

	switch (ev->type) {
	case EVENT_DELIVERY:
		if (ev->status == STATUS_DEFERRED)
			learn_deferral(t, ev);
		else if (ev->status != STATUS_PROBE_OK &&
			 ev->status != STATUS_PROBE_FAIL)
			settle(t, queue_find(t, ev, false), ev);
		break;
	case EVENT_SENDER:
		q = queue_find(t, ev, true);
		if (q != NULL && span_present(ev->sender))
			qtrack_set_sender(t->queue, q, ev->sender);
		break;
	case EVENT_EXPIRED:
		learn_expiry(t, ev);
		break;
	case EVENT_REMOVED:
		qtrack_forget(t->queue, queue_key(t, ev));
		break;
	case EVENT_REJECT:
	case EVENT_NOTIFICATION:
		break;
	}
}

void
tally_set_range(struct tally *t, const struct timerange *range)
{
	t->range = *range;
}

void
tally_set_sink(struct tally *t, const struct tally_sink *sink)
{
	if (sink != NULL)
		t->sink = *sink;
	else
		memset(&t->sink, 0, sizeof t->sink);
}

void
tally_saw_time(struct tally *t, const struct logtime *time)
{
	int64_t utc = logzone_utc(time);

	/* Each time kept as first or last was given to the timeline, whose
	 * buckets only ever widen, so a time between them changes nothing.
	 * Nearly every line's time is such a time. */
	if (t->have_time && utc >= t->first_utc && utc <= t->last_utc)
		return;

	if (!t->have_time || utc < t->first_utc) {
		t->first = *time;
		t->first_utc = utc;
	}
	if (!t->have_time || utc > t->last_utc) {
		t->last = *time;
		t->last_utc = utc;
	}
	if (!t->have_time || utc > t->newest_utc)
		t->newest_utc = utc;
	t->have_time = true;
	timeline_cover(&t->timeline, time);
}

/* intern - the tally's copy of name, made once per distinct name */
static const char *
intern(struct tally *t, const char *name)
{
	for (size_t i = 0; i < t->nnames; i++)
		if (strcmp(t->names[i], name) == 0)
			return t->names[i];
	t->names = xreallocarray(t->names, t->nnames + 1, sizeof *t->names);
	t->names[t->nnames] = xstrdup(name);
	return t->names[t->nnames++];
}

void
tally_add_input(struct tally *t, const struct input_stats *in)
{
	struct input_stats *copy;

	/* Doubled, since a glob may name thousands of inputs. */
	if (t->ninputs == t->inputs_allocated) {
		t->inputs_allocated =
		    t->inputs_allocated ? 2 * t->inputs_allocated : 8;
		t->inputs = xreallocarray(t->inputs, t->inputs_allocated,
					  sizeof *t->inputs);
	}
	copy = &t->inputs[t->ninputs++];
	*copy = *in;
	copy->name = xstrdup(in->name);
	if (in->summary != NULL)
		copy->summary = intern(t, in->summary);
	if (in->same_as != NULL)
		copy->same_as = xstrdup(in->same_as);
	copy->format = intern(t, in->format);
	copy->encoding = intern(t, in->encoding);
	for (size_t i = 0; i < in->nformats; i++)
		copy->formats[i].name = intern(t, in->formats[i].name);
}

void
tally_warn_limits(const struct tally *t)
{
	uint64_t pending;
	uint64_t dropped = qtrack_dropped(t->queue, &pending);

	/* A message dropped without a deferred recipient changes a count
	 * only if its queue id is logged again, after QTRACK_IDLE_MAX. */
	if (pending == 0)
		return;
	diag_emit(DIAG_WARNING, NULL, 0, 0,
		  _("messages dropped by the queue tracker before their "
		    "end: %llu (not logged for %d days, past its limit of "
		    "%d messages not logged for a day, or past its limit "
		    "of %d messages), %llu of them with deferred "
		    "recipients; later expiries of those count under the "
		    "domain (unknown)"),
		  (unsigned long long)dropped, QTRACK_IDLE_MAX / 86400,
		  QTRACK_DORMANT_MAX, QTRACK_MESSAGES_MAX,
		  (unsigned long long)pending);
}
