/* SPDX-License-Identifier: MIT */
/*
 * strmap.c - a bounded hash map from byte strings to fixed-size values
 *
 * Open addressing with linear probing and backward-shift deletion, so no
 * tombstones build up in a long run.  The table is kept at most half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/hash.h"
#include "bouncelog/strmap.h"
#include "bouncelog/xalloc.h"

struct slot {
	char *key;		/* NULL for an empty slot */
	size_t key_len;
	uint64_t hash;
	void *value;
};

struct strmap {
	struct slot *slots;
	size_t capacity;	/* a power of two */
	size_t count;
	size_t value_size;
	size_t max_keys;
};

/* hash - the keyed hash, so that log content cannot choose collisions */
static uint64_t
hash(const char *key, size_t len)
{
	return hash_bytes(key, len);
}

struct strmap *
strmap_new(size_t value_size, size_t max_keys)
{
	struct strmap *map = xcalloc(1, sizeof *map);

	map->capacity = 64;
	map->slots = xcalloc(map->capacity, sizeof *map->slots);
	map->value_size = value_size;
	map->max_keys = max_keys;
	return map;
}

void
strmap_free(struct strmap *map)
{
	if (map == NULL)
		return;
	for (size_t i = 0; i < map->capacity; i++) {
		free(map->slots[i].key);
		free(map->slots[i].value);
	}
	free(map->slots);
	free(map);
}

/* find - the slot holding key, or the empty slot where it would go */
static size_t
find(const struct strmap *map, const char *key, size_t len, uint64_t h)
{
	size_t mask = map->capacity - 1;
	size_t i = (size_t)h & mask;

	while (map->slots[i].key != NULL) {
		const struct slot *s = &map->slots[i];

		if (s->hash == h && s->key_len == len &&
		    memcmp(s->key, key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
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
		if (old[i].key == NULL)
			continue;
		map->slots[find(map, old[i].key, old[i].key_len, old[i].hash)] =
			old[i];
	}
	free(old);
}

void *
strmap_get(const struct strmap *map, const char *key, size_t len)
{
	size_t i = find(map, key, len, hash(key, len));

	return map->slots[i].key != NULL ? map->slots[i].value : NULL;
}

void *
strmap_get_or_add(struct strmap *map, const char *key, size_t len)
{
	uint64_t h = hash(key, len);
	size_t i = find(map, key, len, h);
	struct slot *s;

	if (map->slots[i].key != NULL)
		return map->slots[i].value;
	if (map->count >= map->max_keys)
		return NULL;
	if ((map->count + 1) * 2 > map->capacity) {
		grow(map);
		i = find(map, key, len, h);
	}

	s = &map->slots[i];
	s->key = xstrndup(key, len);
	s->key_len = len;
	s->hash = h;
	s->value = xcalloc(1, map->value_size);
	map->count++;
	return s->value;
}

bool
strmap_remove(struct strmap *map, const char *key, size_t len)
{
	size_t mask = map->capacity - 1;
	size_t i = find(map, key, len, hash(key, len));
	size_t j;

	if (map->slots[i].key == NULL)
		return false;
	free(map->slots[i].key);
	free(map->slots[i].value);
	memset(&map->slots[i], 0, sizeof map->slots[i]);
	map->count--;

	/* Shift later members of the probe run back into the hole. */
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (map->slots[j].key == NULL)
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
		if (map->slots[i].key == NULL)
			continue;
		out[n].key = map->slots[i].key;
		out[n].key_len = map->slots[i].key_len;
		out[n].value = map->slots[i].value;
		n++;
	}
	return out;
}
