/* SPDX-License-Identifier: MIT */
/*
 * memo.c - a bounded cache of results keyed by byte strings
 *
 * The slots of one set are adjacent.  Each slot records the key's hash,
 * its length, the tick of its last use and where its record starts in
 * the arena.  Keys are hashed with hash_quick(): a set has MEMO_WAYS
 * slots whatever the keys, so keys chosen to collide can only cause
 * misses, and a lookup never takes longer.
 *
 * The arena is a ring of records, each the key and then the value, both
 * rounded up to MEMO_ALIGN.  A record is written at the head, which only
 * moves forward.  Positions count bytes since the memo was made, so the
 * byte at position p lies at p modulo the ring's size.  A record that
 * would cross the ring's end starts at the next lap instead.  Writing at
 * position p overwrites what was written at p - size, so a record at a is
 * whole while head - a <= size, and a slot whose record is not whole is
 * empty.  A hit on a record in the older half of the ring copies it to
 * the head, so an entry in use survives the turns of the ring while one
 * not used is overwritten.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/memo.h"
#include "bouncelog/xalloc.h"

/* Alignment of the records in the arena, and so of the values, enough for
 * any scalar type. */
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
	uint64_t at;	/* position of the record */
	size_t len;	/* of the key */
};

struct memo {
	struct memo_slot *slots;
	unsigned char *arena;	/* the ring of records */
	size_t arena_size;	/* a multiple of MEMO_ALIGN */
	uint64_t head;		/* position of the next record */
	size_t nsets;		/* a power of two */
	size_t key_max;
	size_t value_size;
	uint64_t tick;
	uint64_t hits;
	uint64_t misses;
};

struct memo *
memo_new(size_t slots, size_t arena_size, size_t key_max, size_t value_size)
{
	struct memo *m = xcalloc(1, sizeof *m);
	size_t nsets = 1;
	size_t record_max = round_up(key_max) + round_up(value_size);

	while (nsets * MEMO_WAYS < slots)
		nsets *= 2;
	m->nsets = nsets;
	m->key_max = key_max;
	m->value_size = value_size;
	m->arena_size = round_up(arena_size);
	if (m->arena_size < record_max)
		m->arena_size = record_max;
	m->slots = xcalloc(nsets * MEMO_WAYS, sizeof *m->slots);
	m->arena = xmalloc(m->arena_size);
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

/* record_size - the bytes of the record of a key of len bytes */
static size_t
record_size(const struct memo *m, size_t len)
{
	return round_up(len) + round_up(m->value_size);
}

/* record - the record at position at: the key, then the value at
 * round_up() of the key's length */
static unsigned char *
record(const struct memo *m, uint64_t at)
{
	return m->arena + (size_t)(at % m->arena_size);
}

/* whole - true when the record at position at was not overwritten */
static bool
whole(const struct memo *m, uint64_t at)
{
	return m->head - at <= m->arena_size;
}

/* reserve - the position of a new record of size bytes, at the head or
 * at the start of the next lap, and move the head past it */
static uint64_t
reserve(struct memo *m, size_t size)
{
	size_t offset = (size_t)(m->head % m->arena_size);
	uint64_t at;

	if (offset + size > m->arena_size)
		m->head += m->arena_size - offset;
	at = m->head;
	m->head += size;
	return at;
}

/* find - the slot of the set of h that contains key, or -1 */
static long
find(const struct memo *m, uint64_t h, const void *key, size_t len)
{
	size_t first = (size_t)(h & (m->nsets - 1)) * MEMO_WAYS;

	for (size_t i = first; i < first + MEMO_WAYS; i++) {
		const struct memo_slot *s = &m->slots[i];

		if (s->used != 0 && s->hash == h && s->len == len &&
		    whole(m, s->at) &&
		    (len == 0 || memcmp(record(m, s->at), key, len) == 0))
			return (long)i;
	}
	return -1;
}

/* refresh - copy the record of slot s to the head when it lies in the
 * older half of the ring.  The copy may overwrite part of the record it
 * copies, so the bytes are moved, not copied. */
static void
refresh(struct memo *m, struct memo_slot *s)
{
	size_t size;
	uint64_t at;

	if (m->head - s->at <= m->arena_size / 2)
		return;
	size = record_size(m, s->len);
	at = reserve(m, size);
	memmove(record(m, at), record(m, s->at), size);
	s->at = at;
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
	refresh(m, &m->slots[i]);
	return record(m, m->slots[i].at) + round_up(len);
}

/* victim - the slot of h's set to overwrite: an empty one or one whose
 * record was overwritten, else the least recently used */
static size_t
victim(const struct memo *m, uint64_t h)
{
	size_t first = (size_t)(h & (m->nsets - 1)) * MEMO_WAYS;
	size_t best = first;

	for (size_t i = first; i < first + MEMO_WAYS; i++) {
		if (m->slots[i].used == 0 || !whole(m, m->slots[i].at))
			return i;
		if (m->slots[i].used < m->slots[best].used)
			best = i;
	}
	return best;
}

bool
memo_put(struct memo *m, const void *key, size_t len, const void *value)
{
	struct memo_slot *s;
	uint64_t h;
	long found;

	if (len > m->key_max)
		return false;
	h = hash_quick(key, len);
	found = find(m, h, key, len);
	if (found >= 0) {
		s = &m->slots[found];
	} else {
		s = &m->slots[victim(m, h)];
		s->hash = h;
		s->len = len;
		s->at = reserve(m, record_size(m, len));
		if (len > 0)
			memcpy(record(m, s->at), key, len);
	}
	s->used = ++m->tick;
	memcpy(record(m, s->at) + round_up(len), value, m->value_size);
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
