/* SPDX-License-Identifier: MIT */
/*
 * tally_impl.h - the tally's layout, shared by tally.c and the reports
 *
 * Reports read these fields directly; only tally.c writes them.
 */
#ifndef BOUNCELOG_TALLY_IMPL_H
#define BOUNCELOG_TALLY_IMPL_H

#include "bouncelog/qtrack.h"
#include "bouncelog/strmap.h"
#include "bouncelog/tally.h"
#include "bouncelog/timeline.h"
#include "bouncelog/topk.h"

/* Per recipient domain. */
struct domain_stat {
	const char *name;	/* the key of this entry in its map (see
				 * strmap_key()), for expiries that reach the
				 * domain through the queue tracker */
	uint64_t delivered;
	uint64_t deferred;
	uint64_t bounced;
	uint64_t expired;
	uint64_t rejected;
};

/* Per code, host or sender: a count and a few examples. */
struct code_stat {
	uint64_t count;
	char *examples[TALLY_EXAMPLES];		/* owned; NULL when unused */
	unsigned char example_reasons[TALLY_EXAMPLES];	/* enum reason of
							 * each example */
};

/* Failures of one reason, over both directions. */
struct reason_stat {
	uint64_t count;
	uint64_t deferred;		/* deferral attempts */
	uint64_t bounced;
	uint64_t expired;		/* expiries, Exim's retry timeouts too */
	uint64_t rejected;		/* inbound rejections */
	struct topk *domains;		/* recipient domains; NULL until the
					 * first one */
	struct topk *hosts;		/* remote hosts, outbound */
	struct topk *clients;		/* SMTP clients, inbound */
	char *examples[TALLY_EXAMPLES];	/* owned; NULL when unused */
};

/* Slots of class_stat.subjects: X.0 to X.7 by number, then these. */
enum subject_slot {
	SUBJECT_OTHER = 8,	/* an enhanced code with an unregistered subject */
	SUBJECT_NONE = 9,	/* no enhanced code at all */
	SUBJECT_SLOTS = 10,
};

/* Failures of one reply class (4 or 5) in one direction. */
struct class_stat {
	uint64_t count;
	uint64_t subjects[SUBJECT_SLOTS];	/* see enum subject_slot */
	struct strmap *reply_codes;	/* "550" -> struct code_stat */
	struct strmap *enh_codes;	/* "5.1.1" -> struct code_stat */
	struct topk *domains;		/* recipient domains */
	struct topk *hosts;		/* remote hosts or clients */
	struct topk *senders;		/* sender addresses */
	struct strmap *stages;		/* rejections: "RCPT" -> uint64_t */
	struct strmap *components;	/* "QUEUE.Expired" -> uint64_t, for
					 * failures that name one */
};

/* Slots of the cache of recipient domains, as a power of two, and the
 * longest domain that it keeps, in bytes. */
#define TALLY_DOMAIN_MEMO_BITS 8
#define TALLY_DOMAIN_MEMO_SLOTS (1 << TALLY_DOMAIN_MEMO_BITS)
#define TALLY_DOMAIN_MEMO_MAX 48

/* A recipient domain as logged, with its counters in tally.domains. */
struct tally_domain_memo {
	struct domain_stat *stat;	/* NULL for an empty slot */
	size_t len;
	char name[TALLY_DOMAIN_MEMO_MAX];
};

/*
 * The numbers of the log hosts, for the queue tracker's keys: queue ids
 * are unique only within one host's queue.  The first host seen is 0, and
 * hosts beyond QUEUE_HOSTS_MAX share the last number.
 */
#define QUEUE_HOSTS_MAX 65535
#define QUEUE_HOST_MEMO_MAX 64		/* bytes of the last host kept */
#define QUEUE_KEY_PREFIX 3		/* 0x01 and a 16-bit host number */

struct queue_hosts {
	struct strmap *numbers;		/* log host -> uint32_t number */
	bool have_last;
	uint32_t last_number;		/* of the host in last */
	size_t last_len;
	char last[QUEUE_HOST_MEMO_MAX];
	char key[QUEUE_KEY_PREFIX + QTRACK_ID_MAX];
};

struct tally {
	uint64_t delivered;
	uint64_t forwarded;
	uint64_t deferred;		/* deferral attempts */
	uint64_t deferred_unique;	/* recipients deferred at least once */
	uint64_t soft_bounced;		/* deferrals that were SOFTBOUNCE */
	uint64_t bounced;
	uint64_t expired;		/* recipients given up on */
	uint64_t expired_messages;
	uint64_t rejected;
	uint64_t reject_warnings;
	uint64_t notifications;
	uint64_t probes_ok;
	uint64_t probes_failed;
	uint64_t code_mismatches;	/* status field and reply disagree */
	uint64_t untracked;		/* deliveries whose queue id was not kept */
	uint64_t queue_dropped;		/* queue ids dropped before their end by
					 * the trackers of merged tallies and
					 * summaries; see tally_queue_dropped() */
	uint64_t queue_dropped_pending;	/* of those, with deferred recipients */

	struct strmap *reply_codes;	/* over failures: "550" -> uint64_t */
	struct strmap *enh_codes;	/* over failures: "5.1.1" -> uint64_t */
	struct strmap *domains;		/* recipient domain -> struct domain_stat */
	struct tally_domain_memo domain_memo[TALLY_DOMAIN_MEMO_SLOTS];
					/* entries of domains by the domain
					 * as logged; see tally_domain_slot() */
	struct domain_stat *no_domain[2];
					/* the entries of an address without a
					 * domain, [0] without an address;
					 * NULL until first used */
	struct qtrack *queue;		/* senders and deferred recipients */
	struct queue_hosts queue_hosts;	/* see queue_key() in tally.c */
	struct strmap *context_domains;	/* domain -> struct domain_stat,
					 * never reported: the tags of
					 * recipients deferred outside the
					 * time range */

	struct class_stat outbound[2];	/* [0] 4xx, [1] 5xx delivery failures */
	struct class_stat inbound[2];	/* [0] 4xx, [1] 5xx rejections */

	uint64_t failures;		/* the sum of reasons[].count */
	struct reason_stat reasons[REASON_COUNT];	/* by enum reason */

	struct timeline timeline;	/* failures over time, by series */
	struct timerange range;		/* the range requested; both ends
					 * open when none was */

	bool have_time;
	struct logtime first;
	struct logtime last;
	int64_t first_utc;		/* logzone_utc() of first and of last, */
	int64_t last_utc;		/* which every line compares with */
	int64_t newest_utc;

	struct input_stats *inputs;
	size_t ninputs;
	size_t inputs_allocated;
	char **names;			/* format and encoding names of the
					 * inputs, owned, each once */
	size_t nnames;

	struct tally_sink sink;		/* failure is NULL when none */
};

/*
 * Helpers shared by tally.c, tally_merge.c and summary.c.
 *
 * tally_slot() returns the value for key in an exact breakdown map,
 * added zeroed when new, or the value of TALLY_OTHER_KEY once the map
 * has TALLY_KEYS_MAX other keys.
 */
void *tally_slot(struct strmap *map, const char *key, size_t len);

/*
 * The reported counters of the domain of a recipient address: the entry
 * of t->domains under the domain's key (lower-cased, cut and repaired as
 * every key is), added when new, or the "(other)" entry once the map is
 * full.  tally_domain_slot() keeps the entry found for each domain of up
 * to TALLY_DOMAIN_MEMO_MAX bytes in t->domain_memo, and those of the two
 * keys of an address without a domain in t->no_domain.  That is exact
 * because the key depends only on the domain's bytes, and entries of
 * t->domains are never removed or moved.  tally_domain_slot_general()
 * always looks the key up.
 */
struct domain_stat *tally_domain_slot(struct tally *t, struct span address);
struct domain_stat *tally_domain_slot_general(struct tally *t,
					      struct span address);

/* *dst += n, saturating at UINT64_MAX. */
void tally_add_count(uint64_t *dst, uint64_t n);

/*
 * True when the kept example and s (len bytes) are the same example as
 * the JSON report writes it (utf8_repaired_equal()).  The --merge reader
 * rejects a repeated example, so a tally never keeps two that are.
 */
bool tally_same_example(const char *kept, const char *s, size_t len);

/*
 * Copy example into the first free slot of examples, with its reason in
 * the same slot of reasons (NULL when the examples have no reasons),
 * unless it is kept already (tally_same_example()) or every slot is taken.  Unlike the examples
 * of tally_add(), it is not cut, so that a merge keeps the text.
 */
void tally_copy_example(char *examples[TALLY_EXAMPLES],
			unsigned char reasons[TALLY_EXAMPLES],
			const char *example, enum reason reason);

#endif
