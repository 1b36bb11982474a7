/* SPDX-License-Identifier: MIT */
/*
 * strmap.c - a bounded hash map from byte strings to fixed-size values
 *
 * Open addressing with linear probing and backward-shift deletion, so no
 * tombstones build up in a long run.  The table is kept at most three
 * quarters full, where linear probing takes about 2.5 probes for a hit
 * and 8.5 for a miss (Knuth's estimates for random hashing).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/strmap.h"
#include "bouncelog/xalloc.h"

/*
 * Each entry is one allocation: the value block, padded to a multiple of
 * 8 bytes, then the key's length and the key with a NUL added.  A slot
 * holds only the hash and the entry, so the table costs 16 bytes per slot
 * and every key costs one malloc() chunk instead of two.
 */
struct slot {
	uint64_t hash;
	unsigned char *entry;	/* NULL for an empty slot */
};

struct strmap {
	struct slot *slots;
	size_t capacity;	/* a power of two */
	size_t count;
	size_t value_size;
	size_t key_offset;	/* of the key length within an entry */
	size_t max_keys;
};

/* hash - the keyed hash, so that log content cannot choose collisions */
static uint64_t
hash(const char *key, size_t len)
{
	return hash_bytes(key, len);
}

static size_t
entry_key_len(const struct strmap *map, const unsigned char *entry)
{
	size_t len;

	memcpy(&len, entry + map->key_offset, sizeof len);
	return len;
}

static char *
entry_key(const struct strmap *map, unsigned char *entry)
{
	return (char *)entry + map->key_offset + sizeof(size_t);
}

struct strmap *
strmap_new(size_t value_size, size_t max_keys)
{
	struct strmap *map = xcalloc(1, sizeof *map);

	map->capacity = 64;
	map->slots = xcalloc(map->capacity, sizeof *map->slots);
	map->value_size = value_size;
	map->key_offset = (value_size + 7) & ~(size_t)7;
	map->max_keys = max_keys;
	return map;
}

void
strmap_free(struct strmap *map)
{
	if (map == NULL)
		return;
	for (size_t i = 0; i < map->capacity; i++)
		free(map->slots[i].entry);
	free(map->slots);
	free(map);
}

/* find - the slot holding key, or the empty slot where it would go */
static size_t
find(const struct strmap *map, const char *key, size_t len, uint64_t h)
{
	size_t mask = map->capacity - 1;
	size_t i = (size_t)h & mask;

	while (map->slots[i].entry != NULL) {
		const struct slot *s = &map->slots[i];

		if (s->hash == h && entry_key_len(map, s->entry) == len &&
		    memcmp(entry_key(map, s->entry), key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* find_free - the empty slot where an entry of hash h goes, for keys
 * known to be absent */
static size_t
find_free(const struct strmap *map, uint64_t h)
{
	size_t mask = map->capacity - 1;
	size_t i = (size_t)h & mask;

	while (map->slots[i].entry != NULL)
		i = (i + 1) & mask;
	return i;
}

/* grow - double the table and re-insert every key */
static void
grow(struct strmap *map)
{
	struct slot *old = map->slots;
	size_t old_capacity = map->capacity;

	map->capacity *= 2;
	map->slots = xcalloc(map->capacity, sizeof *map->slots);
	for (size_t i = 0; i < old_capacity; i++) {
		if (old[i].entry == NULL)
			continue;
		map->slots[find_free(map, old[i].hash)] = old[i];
	}
	free(old);
}

void *
strmap_get(const struct strmap *map, const char *key, size_t len)
{
	return strmap_get_hashed(map, key, len, hash(key, len));
}

void *
strmap_get_hashed(const struct strmap *map, const char *key, size_t len,
		  uint64_t h)
{
	return map->slots[find(map, key, len, h)].entry;
}

void *
strmap_get_or_add(struct strmap *map, const char *key, size_t len)
{
	return strmap_get_or_add_hashed(map, key, len, hash(key, len));
}

void *
strmap_get_or_add_hashed(struct strmap *map, const char *key, size_t len,
			 uint64_t h)
{
	size_t i = find(map, key, len, h);
	unsigned char *entry;

	if (map->slots[i].entry != NULL)
		return map->slots[i].entry;
	if (map->count >= map->max_keys)
		return NULL;
	if ((map->count + 1) * 4 > map->capacity * 3) {
		grow(map);
		i = find_free(map, h);
	}

	/* The value block starts zeroed and the key ends with a NUL.  Not
	 * calloc(): glibc's calloc() skips the per-thread cache of freed
	 * chunks that malloc() takes from, and the queue tracker adds and
	 * removes an entry for every message. */
	entry = xmalloc(map->key_offset + sizeof len + len + 1);
	memset(entry, 0, map->key_offset);
	memcpy(entry + map->key_offset, &len, sizeof len);
	memcpy(entry_key(map, entry), key, len);
	entry_key(map, entry)[len] = '\0';
	map->slots[i].hash = h;
	map->slots[i].entry = entry;
	map->count++;
	return entry;
}

const char *
strmap_key(const struct strmap *map, const void *value, size_t *len)
{
	unsigned char *entry = (unsigned char *)value;

	if (len != NULL)
		*len = entry_key_len(map, entry);
	return entry_key(map, entry);
}

void *
strmap_value(const struct strmap *map, const char *key)
{
	return (char *)key - sizeof(size_t) - map->key_offset;
}

bool
strmap_remove(struct strmap *map, const char *key, size_t len)
{
	return strmap_remove_hashed(map, key, len, hash(key, len));
}

bool
strmap_remove_hashed(struct strmap *map, const char *key, size_t len,
		     uint64_t h)
{
	size_t mask = map->capacity - 1;
	size_t i = find(map, key, len, h);
	size_t j;

	if (map->slots[i].entry == NULL)
		return false;
	free(map->slots[i].entry);
	memset(&map->slots[i], 0, sizeof map->slots[i]);
	map->count--;

	/* Shift later members of the probe run back into the hole. */
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (map->slots[j].entry == NULL)
			break;
		home = (size_t)map->slots[j].hash & mask;
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		map->slots[i] = map->slots[j];
		memset(&map->slots[j], 0, sizeof map->slots[j]);
		i = j;
	}
	return true;
}

size_t
strmap_count(const struct strmap *map)
{
	return map->count;
}

struct strmap_entry *
strmap_entries(const struct strmap *map)
{
	struct strmap_entry *out = xcalloc(map->count + 1, sizeof *out);
	size_t n = 0;

	for (size_t i = 0; i < map->capacity; i++) {
		unsigned char *entry = map->slots[i].entry;

		if (entry == NULL)
			continue;
		out[n].key = entry_key(map, entry);
		out[n].key_len = entry_key_len(map, entry);
		out[n].value = entry;
		n++;
	}
	return out;
}
