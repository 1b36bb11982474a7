/* SPDX-License-Identifier: MIT */
/*
 * strmap.h - a bounded hash map from byte strings to fixed-size values
 *
 * Keys are copied on insertion and may contain any bytes.  Each value is a
 * zero-initialised block of value_size bytes stored beside its key.  The
 * map holds at most max_keys keys: once full, strmap_get_or_add() returns
 * NULL for a new key, and the caller counts the value elsewhere, so that a
 * log with millions of distinct domains cannot exhaust memory.
 */
#ifndef BOUNCELOG_STRMAP_H
#define BOUNCELOG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap;

struct strmap_entry {
	const char *key;	/* NUL-terminated copy; may contain NULs */
	size_t key_len;
	void *value;
};

/* Create a map; owned by the caller, freed with strmap_free(). */
struct strmap *strmap_new(size_t value_size, size_t max_keys);

void strmap_free(struct strmap *map);

/* The value block for key, or NULL when absent. */
void *strmap_get(const struct strmap *map, const char *key, size_t len);

/* The value block for key, added zeroed when new; NULL when full. */
void *strmap_get_or_add(struct strmap *map, const char *key, size_t len);

/*
 * The key of value, a block that strmap_get() or strmap_get_or_add()
 * returned from map, with its length in *len unless len is NULL.  The key
 * stays valid, at the same address, until it is removed or the map is
 * freed.
 */
const char *strmap_key(const struct strmap *map, const void *value,
		       size_t *len);

/*
 * Return the value block whose key strmap_key() returned as key, without
 * hashing.  key must be such a pointer of map and still valid.
 */
void *strmap_value(const struct strmap *map, const char *key);

/* Remove key; returns true when it was present. */
bool strmap_remove(struct strmap *map, const char *key, size_t len);

/*
 * The same with the key's hash given: h must be hash_bytes(key, len),
 * under which every map of the run files key.  A caller that looks one
 * key up in several maps, or more than once, hashes it only once.
 */
void *strmap_get_hashed(const struct strmap *map, const char *key, size_t len,
			uint64_t h);
void *strmap_get_or_add_hashed(struct strmap *map, const char *key,
			       size_t len, uint64_t h);
bool strmap_remove_hashed(struct strmap *map, const char *key, size_t len,
			  uint64_t h);

size_t strmap_count(const struct strmap *map);

/*
 * All entries, in no particular order, as a new array of strmap_count()
 * elements (owned by the caller; free() it).  Entries stay valid until the
 * map changes.
 */
struct strmap_entry *strmap_entries(const struct strmap *map);

#endif
