/* SPDX-License-Identifier: MIT */
/*
 * topk.h - a mergeable Space-Saving summary of the most frequent keys
 *
 * A summary counts keys (byte strings, which may contain NUL) in at most
 * `capacity` counters, so its memory is bounded whatever the number of
 * distinct keys.  It is the Space-Saving algorithm of Metwally, Agrawal
 * and El Abbadi ("Efficient computation of frequent and top-k elements in
 * data streams", ICDT 2005): when all counters are taken, a new key takes
 * over the counter with the lowest count and inherits that count as its
 * error.  Two summaries merge as Agarwal et al. show for the equivalent
 * Misra-Gries summary ("Mergeable summaries", PODS 2012): counts of a key
 * add, a key missing from one side is charged that side's floor, and the
 * `capacity` largest counters are kept.
 *
 * Guarantees, with N = topk_total() and floor = topk_floor():
 *	- a listed key's true count lies in [count - error, count];
 *	- a key that is not listed occurred at most floor times;
 *	- every error is at most floor, and every count at least floor;
 *	- while fewer than capacity distinct keys were added, every count is
 *	  exact and floor is 0;
 *	- when every summary merged in had the same capacity k, floor is at
 *	  most N / k, so every key that occurred more than N / k times is
 *	  listed.  Summaries of other capacities keep the first three
 *	  guarantees, and the error of a merge is at most the sum of the
 *	  floors merged.
 * Counts saturate at UINT64_MAX instead of wrapping.
 *
 * Ties are broken by key (byte order), never by hash value or insertion
 * order, so the same additions and merges always give the same counters.
 */
#ifndef BOUNCELOG_TOPK_H
#define BOUNCELOG_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest capacity of a summary; a restored one must fit it too. */
#define TOPK_CAPACITY_MAX 1000000

/* Maximum key length in bytes.  topk_add() cuts longer keys, and
 * topk_restore() rejects them. */
#define TOPK_KEY_MAX 65535

/* Maximum length of the message of topk_restore(), with NUL. */
#define TOPK_ERROR_MAX 160

struct topk;

/* One counter: a key, the count (an upper bound) and its error. */
struct topk_item {
	const char *key;	/* borrowed; NUL-terminated, may contain NUL */
	size_t key_len;
	uint64_t count;
	uint64_t error;
};

/* Create an empty summary of 1 to TOPK_CAPACITY_MAX counters; owned,
 * freed with topk_free(). */
struct topk *topk_new(size_t capacity);

/* Free s; accepts NULL. */
void topk_free(struct topk *s);

/* Count n more occurrences of key; the key is copied when kept. */
void topk_add(struct topk *s, const char *key, size_t len, uint64_t n);

/*
 * topk_add() with the key's hash given, for a key counted in several
 * summaries or maps: len must be at most TOPK_KEY_MAX and h must be
 * hash_bytes(key, len).
 */
void topk_add_hashed(struct topk *s, const char *key, size_t len, uint64_t h,
		     uint64_t n);

/*
 * Merge src into dst, as if dst had also seen everything src saw.  dst
 * keeps its capacity; src is unchanged and must not be dst.
 */
void topk_merge(struct topk *dst, const struct topk *src);

/*
 * Rebuild a summary from its parts, as topk_items() and the accessors
 * below give them (a written summary read back).  Returns the summary, or
 * NULL with a message in error when the parts break a guarantee above:
 * capacity out of range, more items than capacity, a key listed twice,
 * an error above its count or above floor, a count below floor, or
 * lower bounds (count - error) that add up to more than total.
 */
struct topk *topk_restore(size_t capacity, uint64_t total, uint64_t floor,
			  const struct topk_item *items, size_t n,
			  char error[TOPK_ERROR_MAX]);

/* The number of counters s may hold. */
size_t topk_capacity(const struct topk *s);

/* The number of counters in use (keys listed). */
size_t topk_count(const struct topk *s);

/* The sum of all occurrences added, merged sums included. */
uint64_t topk_total(const struct topk *s);

/* The most times a key that is not listed can have occurred. */
uint64_t topk_floor(const struct topk *s);

/* Find key; on success set *count and *error (either may be NULL). */
bool topk_get(const struct topk *s, const char *key, size_t len,
	      uint64_t *count, uint64_t *error);

/*
 * The counters sorted by count (largest first), then by key in byte
 * order, as a new array of topk_count() items that the caller frees.
 * The keys are borrowed and valid until s changes.
 */
struct topk_item *topk_items(const struct topk *s, size_t *n);

#endif
