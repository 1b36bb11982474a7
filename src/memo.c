/* SPDX-License-Identifier: MIT */
/*
 * memo.c - a bounded cache of results keyed by byte strings
 *
 * The slots of one set are adjacent.  Each slot records the key's hash,
 * its length and the tick of its last use; the key and value bytes live
 * in one arena allocated at creation.  Keys are hashed with hash_quick():
 * a set has MEMO_WAYS slots whatever the keys, so keys chosen to collide
 * can only cause misses, and a lookup never takes longer.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/memo.h"
#include "bouncelog/xalloc.h"

/* Alignment of the values in the arena, enough for any scalar type. */
#define MEMO_ALIGN 16

/* round_up - n rounded up to a multiple of MEMO_ALIGN */
static size_t
round_up(size_t n)
{
	return (n + MEMO_ALIGN - 1) / MEMO_ALIGN * MEMO_ALIGN;
}

struct memo_slot {
	uint64_t hash;
	uint64_t used;	/* tick of the last get or put; 0 when empty */
	size_t len;
};

struct memo {
	struct memo_slot *slots;
	unsigned char *arena;	/* per slot: key bytes, then the value at
				 * value_at, aligned for any type */
	size_t nsets;		/* a power of two */
	size_t key_max;
	size_t value_size;
	size_t value_at;	/* key_max rounded up to MEMO_ALIGN */
	size_t stride;		/* bytes of the arena per slot */
	uint64_t tick;
	uint64_t hits;
	uint64_t misses;
};

struct memo *
memo_new(size_t slots, size_t key_max, size_t value_size)
{
	struct memo *m = xcalloc(1, sizeof *m);
	size_t nsets = 1;

	while (nsets * MEMO_WAYS < slots)
		nsets *= 2;
	m->nsets = nsets;
	m->key_max = key_max;
	m->value_size = value_size;
	m->value_at = round_up(key_max);
	m->stride = m->value_at + round_up(value_size);
	m->slots = xcalloc(nsets * MEMO_WAYS, sizeof *m->slots);
	m->arena = xreallocarray(NULL, nsets * MEMO_WAYS, m->stride);
	return m;
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m->arena);
	free(m);
}

/* slot_key - the key bytes of slot i */
static unsigned char *
slot_key(const struct memo *m, size_t i)
{
	return m->arena + i * m->stride;
}

/* find - the slot of the set of h that contains key, or -1 */
static long
find(const struct memo *m, uint64_t h, const void *key, size_t len)
{
	size_t first = (size_t)(h & (m->nsets - 1)) * MEMO_WAYS;

	for (size_t i = first; i < first + MEMO_WAYS; i++) {
		const struct memo_slot *s = &m->slots[i];

		if (s->used != 0 && s->hash == h && s->len == len &&
		    (len == 0 || memcmp(slot_key(m, i), key, len) == 0))
			return (long)i;
	}
	return -1;
}

const void *
memo_get(struct memo *m, const void *key, size_t len)
{
	uint64_t h;
	long i;

	if (len > m->key_max) {
		m->misses++;
		return NULL;
	}
	h = hash_quick(key, len);
	i = find(m, h, key, len);
	if (i < 0) {
		m->misses++;
		return NULL;
	}
	m->hits++;
	m->slots[i].used = ++m->tick;
	return slot_key(m, (size_t)i) + m->value_at;
}

/* victim - the slot of h's set to overwrite: an empty one, else the
 * least recently used */
static size_t
victim(const struct memo *m, uint64_t h)
{
	size_t first = (size_t)(h & (m->nsets - 1)) * MEMO_WAYS;
	size_t best = first;

	for (size_t i = first; i < first + MEMO_WAYS; i++)
		if (m->slots[i].used < m->slots[best].used)
			best = i;
	return best;
}

bool
memo_put(struct memo *m, const void *key, size_t len, const void *value)
{
	uint64_t h;
	long found;
	size_t i;

	if (len > m->key_max)
		return false;
	h = hash_quick(key, len);
	found = find(m, h, key, len);
	i = found >= 0 ? (size_t)found : victim(m, h);

	m->slots[i].hash = h;
	m->slots[i].len = len;
	m->slots[i].used = ++m->tick;
	if (len > 0)
		memcpy(slot_key(m, i), key, len);
	memcpy(slot_key(m, i) + m->value_at, value, m->value_size);
	return true;
}

uint64_t
memo_hits(const struct memo *m)
{
	return m->hits;
}

uint64_t
memo_misses(const struct memo *m)
{
	return m->misses;
}
