/* SPDX-License-Identifier: MIT */
/*
 * topk.c - a mergeable Space-Saving summary of the most frequent keys
 *
 * The counters live in one array.  A min-heap of counter indices finds the
 * counter to take over in O(log capacity), and an open-addressing index of
 * counter indices (linear probing, backward-shift deletion, at most three
 * quarters full) finds a key's counter.  The heap orders by count, then by
 * key in reverse byte order, so that of the lowest counts the largest key
 * goes first: what is left is always a prefix of the order of topk_items().
 *
 * The keys live in one buffer per summary, each in a record with a NUL
 * after it.  The record of a key that is taken over stays in the buffer,
 * dead.  When the buffer is full and dead bytes make up an eighth of the
 * live ones, the live records move down over them.  Otherwise the buffer
 * grows.  So the buffer of a full summary holds 1.125 to 1.25 times its
 * live records, where one malloc() chunk per key takes about 1.6 times a
 * key of 20 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/topk.h"
#include "bouncelog/xalloc.h"

/* Slots of a new index; the index doubles when it would be more than
 * three quarters full. */
#define INDEX_MIN 16

/* Bytes of the first key buffer. */
#define KEYS_MIN 64

/* A counter's key is its offset in the key buffer and its length, in one
 * 64-bit word: the offset in the upper 48 bits, the length in the lower
 * 16. */
#define KEY_LEN_BITS 16
#define KEY_LEN_MASK (((uint64_t)1 << KEY_LEN_BITS) - 1)

_Static_assert(TOPK_KEY_MAX <= KEY_LEN_MASK,
	       "a key's length must fit in KEY_LEN_BITS");

/*
 * Each key in the buffer is a record: a 32-bit tag, the key, and a NUL.
 * The tag of a live record is its counter's position.  A record whose key
 * was taken over is dead, and its tag is TAG_DEAD with the key's length.
 */
#define KEY_TAG_SIZE 4
#define TAG_DEAD 0x80000000u

_Static_assert(TOPK_CAPACITY_MAX < TAG_DEAD && TOPK_KEY_MAX < TAG_DEAD,
	       "a tag holds a counter position or a length below TAG_DEAD");

/*
 * One counter, 32 bytes, plus 4 in the heap and 5 to 11 in the index.
 * Counter positions fit in 32 bits because capacity is at most
 * TOPK_CAPACITY_MAX, and the index is at most 2^21 slots, so 32 bits of
 * the hash choose a key's slot.
 */
struct counter {
	uint64_t count;
	uint64_t error;
	uint64_t key;	   /* offset << KEY_LEN_BITS | length */
	uint32_t hash;	   /* the low 32 bits of hash_bytes() of the key */
	uint32_t heap_pos; /* where this counter is in the heap */
};

struct topk {
	size_t capacity;
	size_t n;	  /* counters in use */
	size_t allocated; /* counters allocated, <= capacity */
	struct counter *counters;
	uint32_t *heap;	   /* n counter indices */
	uint32_t *index;   /* counter index + 1; 0 is empty */
	size_t index_size; /* a power of two */
	char *keys;	   /* the key buffer */
	size_t keys_size;  /* bytes allocated */
	size_t keys_used;  /* bytes written, dead ones included */
	size_t keys_dead;  /* bytes of dead records since the last compaction */
	uint64_t total;
	uint64_t floor;
};

/* add_sat - a + b, or UINT64_MAX when that overflows */
static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* key_compare - byte order, a shorter key before its extensions */
static int
key_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* counter_key - the key of c, in s's key buffer */
static const char *
counter_key(const struct topk *s, const struct counter *c)
{
	return s->keys + (c->key >> KEY_LEN_BITS);
}

/* counter_len - the length of c's key */
static size_t
counter_len(const struct counter *c)
{
	return (size_t)(c->key & KEY_LEN_MASK);
}

struct topk *
topk_new(size_t capacity)
{
	struct topk *s = xcalloc(1, sizeof *s);

	if (capacity < 1)
		capacity = 1;
	if (capacity > TOPK_CAPACITY_MAX)
		capacity = TOPK_CAPACITY_MAX;
	s->capacity = capacity;
	s->index_size = INDEX_MIN;
	s->index = xcalloc(s->index_size, sizeof *s->index);
	return s;
}

void
topk_free(struct topk *s)
{
	if (s == NULL)
		return;
	free(s->counters);
	free(s->heap);
	free(s->index);
	free(s->keys);
	free(s);
}

/* index_fill - put every counter into the emptied index; the keys are
 * distinct, so each takes the first empty slot from its own */
static void
index_fill(struct topk *s)
{
	size_t mask = s->index_size - 1;

	memset(s->index, 0, s->index_size * sizeof *s->index);
	for (size_t c = 0; c < s->n; c++) {
		size_t i = (size_t)s->counters[c].hash & mask;

		while (s->index[i] != 0)
			i = (i + 1) & mask;
		s->index[i] = (uint32_t)c + 1;
	}
}

/* tag_read - the tag of the key record at offset at */
static uint32_t
tag_read(const struct topk *s, size_t at)
{
	uint32_t tag;

	memcpy(&tag, s->keys + at, sizeof tag);
	return tag;
}

/* tag_write - set the tag of the key record at offset at */
static void
tag_write(struct topk *s, size_t at, uint32_t tag)
{
	memcpy(s->keys + at, &tag, sizeof tag);
}

/*
 * keys_compact - drop the dead records of the key buffer by moving every
 * live one down, in one pass over the buffer.  A live record's tag names
 * its counter, which gives the length and learns the new offset; a dead
 * record's tag gives its length.  The index and the heap hold counter
 * positions, so they stay as they are.
 */
static void
keys_compact(struct topk *s)
{
	size_t at = 0, used = 0;

	while (at < s->keys_used) {
		uint32_t tag = tag_read(s, at);
		size_t len, size;
		struct counter *c;

		if (tag & TAG_DEAD) {
			at += KEY_TAG_SIZE + (tag & ~TAG_DEAD) + 1;
			continue;
		}
		c = &s->counters[tag];
		len = counter_len(c);
		size = KEY_TAG_SIZE + len + 1;
		memmove(s->keys + used, s->keys + at, size);
		c->key = (uint64_t)(used + KEY_TAG_SIZE) << KEY_LEN_BITS | len;
		used += size;
		at += size;
	}
	s->keys_used = used;
	s->keys_dead = 0;
}

/*
 * keys_reserve - room for need more bytes in the key buffer.  When dead
 * bytes are at least an eighth of the live ones, the live records move
 * down over them.  When that leaves too little room, the buffer grows to
 * hold the bytes in use, need, and an eighth of the live bytes more.  So
 * a full summary whose keys are taken over keeps a buffer of 1.125 to
 * 1.25 times its live bytes, and each compaction, which costs O(bytes in
 * use), comes after new records of at least an eighth of them.
 */
static void
keys_reserve(struct topk *s, size_t need)
{
	size_t live = s->keys_used - s->keys_dead;
	size_t size;

	if (s->keys_used + need <= s->keys_size)
		return;
	if (s->keys_dead > 0 && s->keys_dead >= live / 8) {
		keys_compact(s);
		if (s->keys_used + need <= s->keys_size)
			return;
	}
	size = s->keys_used + need + live / 8;
	if (size < KEYS_MIN)
		size = KEYS_MIN;
	s->keys = xrealloc(s->keys, size);
	s->keys_size = size;
}

/* keys_record_size - the bytes of a record of a key of len bytes */
static size_t
keys_record_size(size_t len)
{
	return KEY_TAG_SIZE + len + 1;
}

/* keys_write - set the key of counter number i to a copy of key, in a
 * record at the end of the buffer, where keys_reserve() made room */
static void
keys_write(struct topk *s, size_t i, const char *key, size_t len)
{
	size_t at = s->keys_used;

	tag_write(s, at, (uint32_t)i);
	memcpy(s->keys + at + KEY_TAG_SIZE, key, len);
	s->keys[at + KEY_TAG_SIZE + len] = '\0';
	s->keys_used += keys_record_size(len);
	s->counters[i].key = (uint64_t)(at + KEY_TAG_SIZE) << KEY_LEN_BITS | len;
}

/* keys_kill - mark the record of counter c's key dead */
static void
keys_kill(struct topk *s, const struct counter *c)
{
	size_t len = counter_len(c);

	tag_write(s, (size_t)(c->key >> KEY_LEN_BITS) - KEY_TAG_SIZE,
		  TAG_DEAD | (uint32_t)len);
	s->keys_dead += keys_record_size(len);
}

/* index_find - the index slot of key, or the empty slot it would take */
static size_t
index_find(const struct topk *s, const char *key, size_t len, uint64_t h)
{
	size_t mask = s->index_size - 1;
	size_t i = (size_t)h & mask;

	while (s->index[i] != 0) {
		const struct counter *c = &s->counters[s->index[i] - 1];

		if (c->hash == (uint32_t)h && counter_len(c) == len &&
		    memcmp(counter_key(s, c), key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* index_grow - double the index and re-insert every counter */
static void
index_grow(struct topk *s)
{
	free(s->index);
	s->index_size *= 2;
	s->index = xcalloc(s->index_size, sizeof *s->index);
	index_fill(s);
}

/* index_remove - drop the slot of counter c, shifting its run back */
static void
index_remove(struct topk *s, const struct counter *c)
{
	size_t mask = s->index_size - 1;
	size_t i = index_find(s, counter_key(s, c), counter_len(c), c->hash);
	size_t j = i;

	s->index[i] = 0;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (s->index[j] == 0)
			break;
		home = (size_t)s->counters[s->index[j] - 1].hash & mask;
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		s->index[i] = s->index[j];
		s->index[j] = 0;
		i = j;
	}
}

/* heap_before - true when counter a is taken over before counter b */
static bool
heap_before(const struct topk *s, size_t a, size_t b)
{
	const struct counter *x = &s->counters[a], *y = &s->counters[b];

	if (x->count != y->count)
		return x->count < y->count;
	return key_compare(counter_key(s, x), counter_len(x),
			   counter_key(s, y), counter_len(y)) > 0;
}

static void
heap_set(struct topk *s, size_t pos, size_t counter)
{
	s->heap[pos] = (uint32_t)counter;
	s->counters[counter].heap_pos = (uint32_t)pos;
}

/* heap_down - move the counter at pos toward the leaves as needed */
static void
heap_down(struct topk *s, size_t pos)
{
	size_t c = s->heap[pos];

	for (;;) {
		size_t child = 2 * pos + 1;

		if (child >= s->n)
			break;
		if (child + 1 < s->n &&
		    heap_before(s, s->heap[child + 1], s->heap[child]))
			child++;
		if (!heap_before(s, s->heap[child], c))
			break;
		heap_set(s, pos, s->heap[child]);
		pos = child;
	}
	heap_set(s, pos, c);
}

/* heap_up - move the counter at pos toward the root as needed */
static void
heap_up(struct topk *s, size_t pos)
{
	size_t c = s->heap[pos];

	while (pos > 0) {
		size_t parent = (pos - 1) / 2;

		if (!heap_before(s, c, s->heap[parent]))
			break;
		heap_set(s, pos, s->heap[parent]);
		pos = parent;
	}
	heap_set(s, pos, c);
}

/* reserve - make room for one more counter, up to capacity */
static void
reserve(struct topk *s)
{
	if (s->n < s->allocated)
		return;
	s->allocated = s->allocated ? s->allocated * 2 : 8;
	if (s->allocated > s->capacity)
		s->allocated = s->capacity;
	s->counters =
	    xreallocarray(s->counters, s->allocated, sizeof *s->counters);
	s->heap = xreallocarray(s->heap, s->allocated, sizeof *s->heap);
}

/* append - add a counter at the end of the array and of the heap.  The
 * caller has checked that key is absent and that there is room. */
static void
append(struct topk *s, const char *key, size_t len, uint64_t h, uint64_t count,
       uint64_t error)
{
	struct counter *c;

	reserve(s);
	if ((s->n + 1) * 4 > s->index_size * 3)
		index_grow(s);
	keys_reserve(s, keys_record_size(len));
	c = &s->counters[s->n];
	keys_write(s, s->n, key, len);
	c->hash = (uint32_t)h;
	c->count = count;
	c->error = error;
	s->index[index_find(s, key, len, h)] = (uint32_t)s->n + 1;
	s->heap[s->n] = (uint32_t)s->n;
	c->heap_pos = (uint32_t)s->n;
	s->n++;
	heap_up(s, s->n - 1);
}

/* take_over - give the lowest counter to key.  Its count becomes the
 * floor, because the key it held may have occurred that often. */
static void
take_over(struct topk *s, const char *key, size_t len, uint64_t h, uint64_t n)
{
	size_t victim = s->heap[0];
	struct counter *c = &s->counters[victim];

	/* Room for the new key first: a compaction moves the old key's
	 * record while it is live. */
	keys_reserve(s, keys_record_size(len));
	index_remove(s, c);
	if (c->count > s->floor)
		s->floor = c->count;
	keys_kill(s, c);
	keys_write(s, victim, key, len);
	c->hash = (uint32_t)h;
	c->error = s->floor;
	c->count = add_sat(s->floor, n);
	s->index[index_find(s, key, len, h)] = (uint32_t)victim + 1;
	heap_down(s, 0);
}

void
topk_add(struct topk *s, const char *key, size_t len, uint64_t n)
{
	if (len > TOPK_KEY_MAX)
		len = TOPK_KEY_MAX;
	topk_add_hashed(s, key, len, hash_bytes(key, len), n);
}

void
topk_add_hashed(struct topk *s, const char *key, size_t len, uint64_t h,
		uint64_t n)
{
	size_t slot = index_find(s, key, len, h);

	s->total = add_sat(s->total, n);
	if (s->index[slot] != 0) {
		struct counter *c = &s->counters[s->index[slot] - 1];

		c->count = add_sat(c->count, n);
		heap_down(s, c->heap_pos);
		return;
	}

	/* An unlisted key may have occurred floor times already. */
	if (s->n < s->capacity)
		append(s, key, len, h, add_sat(s->floor, n), s->floor);
	else
		take_over(s, key, len, h, n);
}

static int
item_compare(const void *a, const void *b)
{
	const struct topk_item *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return key_compare(x->key, x->key_len, y->key, y->key_len);
}

struct topk_item *
topk_items(const struct topk *s, size_t *n)
{
	struct topk_item *items = xcalloc(s->n + 1, sizeof *items);

	for (size_t i = 0; i < s->n; i++) {
		items[i].key = counter_key(s, &s->counters[i]);
		items[i].key_len = counter_len(&s->counters[i]);
		items[i].count = s->counters[i].count;
		items[i].error = s->counters[i].error;
	}
	qsort(items, s->n, sizeof *items, item_compare);
	*n = s->n;
	return items;
}

/*
 * combine - the counters of the merge of a and b: a key missing from one
 * side is charged that side's floor, both as count and as error
 */
static struct topk_item *
combine(const struct topk *a, const struct topk *b, size_t *n)
{
	struct topk_item *items = xcalloc(a->n + b->n + 1, sizeof *items);
	size_t k = 0;

	for (size_t i = 0; i < a->n; i++) {
		const struct counter *c = &a->counters[i];
		uint64_t count = b->floor, error = b->floor;

		(void)topk_get(b, counter_key(a, c), counter_len(c), &count,
			       &error);
		items[k].key = counter_key(a, c);
		items[k].key_len = counter_len(c);
		items[k].count = add_sat(c->count, count);
		items[k].error = add_sat(c->error, error);
		k++;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct counter *c = &b->counters[i];

		if (topk_get(a, counter_key(b, c), counter_len(c), NULL, NULL))
			continue;
		items[k].key = counter_key(b, c);
		items[k].key_len = counter_len(c);
		items[k].count = add_sat(c->count, a->floor);
		items[k].error = add_sat(c->error, a->floor);
		k++;
	}
	*n = k;
	return items;
}

/*
 * topk_merge - why the bounds of topk.h hold afterwards: a combined count
 * is at least the true count, because a key missing from a side occurred
 * at most that side's floor there, and the same floor is added to its
 * error.  Every combined count is at least floor(dst) + floor(src), the
 * new floor's start, and a key that is dropped has a combined count of
 * at most the new floor.  Take two summaries of capacity k whose counts
 * add up to at most their totals and that are full when their floor is
 * above 0, as adding and merging keep them.  Then the k largest combined
 * counts add up to at most N = total(dst) + total(src), because the
 * combined counts exceed the counts by one floor for each key missing
 * from a side, and the dropped counts, each at least the sum of the
 * floors, make up for it.  So the new floor is at most N / k.
 */
void
topk_merge(struct topk *dst, const struct topk *src)
{
	struct topk *old;
	struct topk_item *items;
	size_t n, keep;
	uint64_t floor = add_sat(dst->floor, src->floor);

	/* Combine into a fresh summary, because the items borrow the old
	 * one's keys until they are copied. */
	old = xmalloc(sizeof *old);
	*old = *dst;
	items = combine(old, src, &n);
	qsort(items, n, sizeof *items, item_compare);

	/* Keys past the capacity go; the largest of them sets the floor. */
	keep = n < dst->capacity ? n : dst->capacity;
	if (keep < n && items[keep].count > floor)
		floor = items[keep].count;

	dst->n = 0;
	dst->allocated = 0;
	dst->counters = NULL;
	dst->heap = NULL;
	dst->index_size = INDEX_MIN;
	dst->index = xcalloc(dst->index_size, sizeof *dst->index);
	dst->keys = NULL;
	dst->keys_size = 0;
	dst->keys_used = 0;
	dst->keys_dead = 0;
	dst->floor = floor;
	dst->total = add_sat(old->total, src->total);
	for (size_t i = 0; i < keep; i++)
		append(dst, items[i].key, items[i].key_len,
		       hash_bytes(items[i].key, items[i].key_len),
		       items[i].count, items[i].error);
	free(items);
	topk_free(old);
}

/* restore_check - the guarantees of one restored item, or a message */
static bool
restore_check(const struct topk *s, const struct topk_item *it,
	      uint64_t *lower_sum, char error[TOPK_ERROR_MAX])
{
	if (it->key_len > TOPK_KEY_MAX) {
		snprintf(error, TOPK_ERROR_MAX,
			 "a key of %zu bytes is longer than %d", it->key_len,
			 TOPK_KEY_MAX);
		return false;
	}
	if (topk_get(s, it->key, it->key_len, NULL, NULL)) {
		snprintf(error, TOPK_ERROR_MAX, "a key is listed twice");
		return false;
	}
	if (it->error > it->count || it->error > s->floor) {
		snprintf(error, TOPK_ERROR_MAX,
			 "an error of %llu is above its count %llu or above "
			 "the floor %llu",
			 (unsigned long long)it->error,
			 (unsigned long long)it->count,
			 (unsigned long long)s->floor);
		return false;
	}
	if (it->count < s->floor) {
		snprintf(error, TOPK_ERROR_MAX,
			 "a count of %llu is below the floor %llu",
			 (unsigned long long)it->count,
			 (unsigned long long)s->floor);
		return false;
	}
	*lower_sum = add_sat(*lower_sum, it->count - it->error);
	return true;
}

struct topk *
topk_restore(size_t capacity, uint64_t total, uint64_t floor,
	     const struct topk_item *items, size_t n,
	     char error[TOPK_ERROR_MAX])
{
	struct topk *s;
	uint64_t lower_sum = 0;

	if (capacity < 1 || capacity > TOPK_CAPACITY_MAX) {
		snprintf(error, TOPK_ERROR_MAX,
			 "capacity %zu is not between 1 and %d", capacity,
			 TOPK_CAPACITY_MAX);
		return NULL;
	}
	if (n > capacity) {
		snprintf(error, TOPK_ERROR_MAX,
			 "%zu keys are more than the capacity %zu", n,
			 capacity);
		return NULL;
	}

	s = topk_new(capacity);
	s->floor = floor;
	s->total = total;
	for (size_t i = 0; i < n; i++) {
		if (!restore_check(s, &items[i], &lower_sum, error)) {
			topk_free(s);
			return NULL;
		}
		append(s, items[i].key, items[i].key_len,
		       hash_bytes(items[i].key, items[i].key_len),
		       items[i].count, items[i].error);
	}
	if (lower_sum > total) {
		snprintf(error, TOPK_ERROR_MAX,
			 "the keys occurred at least %llu times, more than "
			 "the total %llu",
			 (unsigned long long)lower_sum,
			 (unsigned long long)total);
		topk_free(s);
		return NULL;
	}
	return s;
}

size_t
topk_capacity(const struct topk *s)
{
	return s->capacity;
}

size_t
topk_count(const struct topk *s)
{
	return s->n;
}

uint64_t
topk_total(const struct topk *s)
{
	return s->total;
}

uint64_t
topk_floor(const struct topk *s)
{
	return s->floor;
}

bool
topk_get(const struct topk *s, const char *key, size_t len, uint64_t *count,
	 uint64_t *error)
{
	size_t slot = index_find(s, key, len, hash_bytes(key, len));
	const struct counter *c;

	if (s->index[slot] == 0)
		return false;
	c = &s->counters[s->index[slot] - 1];
	if (count != NULL)
		*count = c->count;
	if (error != NULL)
		*error = c->error;
	return true;
}
