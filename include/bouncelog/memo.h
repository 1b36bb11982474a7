/* SPDX-License-Identifier: MIT */
/*
 * memo.h - a bounded cache of results keyed by byte strings
 *
 * A memo remembers the value computed for a key, so that a pure function
 * that is costly to evaluate (the classifier's regular expressions) runs
 * once per distinct input.  It is set associative: a key may live in one
 * of MEMO_WAYS slots chosen by its hash, and a new key replaces the least
 * recently used of them.  Keys are compared in full, so a hit always
 * returns the value stored for exactly these bytes.
 *
 * The keys and values live in an arena of a size chosen apart from the
 * number of slots, in records as long as each key.  So the memo keeps as
 * many entries as it has slots when the keys are short, and as many as
 * fit the arena when they are long.  The arena is a ring: a new record
 * takes the place of the oldest, whose entry is forgotten.
 *
 * Memory is fixed when the memo is made: the arena and a small header
 * per slot, allocated once.  Nothing is allocated per lookup.  Keys
 * longer than key_max are never stored.
 *
 * A memo is not locked; each thread uses its own.
 */
#ifndef BOUNCELOG_MEMO_H
#define BOUNCELOG_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Slots a key can occupy. */
#define MEMO_WAYS 4

struct memo;

/*
 * Make a memo of at least slots slots (rounded up to a power of two and
 * to MEMO_WAYS) with an arena of about arena_size bytes, for keys of at
 * most key_max bytes and values of value_size bytes.  A record takes the
 * key and the value, each rounded up to 16 bytes.  The arena has room
 * for at least one record of key_max bytes.  Owned; freed with memo_free().
 */
struct memo *memo_new(size_t slots, size_t arena_size, size_t key_max,
		      size_t value_size);

/* Free m; accepts NULL. */
void memo_free(struct memo *m);

/*
 * The value stored for the len bytes at key, or NULL.  The pointer is
 * borrowed and valid until the next memo_get() or memo_put() on m: a
 * lookup may move the entry it finds.
 */
const void *memo_get(struct memo *m, const void *key, size_t len);

/*
 * Store a copy of value (value_size bytes) for the key, replacing the
 * least recently used entry of its set when the set is full, or the
 * key's own entry when it is stored already.  Returns false, storing
 * nothing, when len exceeds key_max.
 */
bool memo_put(struct memo *m, const void *key, size_t len, const void *value);

/* Lookups that found a value, and lookups that did not. */
uint64_t memo_hits(const struct memo *m);
uint64_t memo_misses(const struct memo *m);

#endif
