/* SPDX-License-Identifier: MIT */
/*
 * hash.h - a keyed hash for tables whose keys come from log lines
 *
 * Addresses, domains and queue ids in a log are chosen by strangers, so
 * an unkeyed hash would let them send many keys to one slot and make
 * every lookup slow.  hash_bytes() is SipHash-1-3 under a key drawn from
 * the system's random source when the program starts, so which keys
 * collide cannot be known in advance.  Hash values differ between runs:
 * nothing that is printed may depend on them.
 */
#ifndef BOUNCELOG_HASH_H
#define BOUNCELOG_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The keyed 64-bit hash of len bytes at data. */
uint64_t hash_bytes(const void *data, size_t len);

/*
 * A faster hash of len bytes at data, for a cache of bounded size, where
 * keys that collide cost only a miss: a set-associative cache with a
 * fixed number of slots per hash value.  It is seeded by the same
 * per-run key, but it is not built to resist chosen collisions, so a
 * table whose probe chains grow with the collisions must use
 * hash_bytes().
 */
uint64_t hash_quick(const void *data, size_t len);

/* Bytes of a key given to hash_siphash24(). */
#define HASH_KEY_LEN 16

/*
 * Compute SipHash-2-4 of len bytes at data under the caller's key.  The
 * first 8 key bytes are k0 and the next 8 are k1, each read little-endian.
 * The result is the 64-bit value whose little-endian bytes are the
 * output of the reference implementation (tests/unit/test_hash.c checks
 * its test vectors).  Unlike hash_bytes(), the same key gives the same
 * value in every run, so the value may be printed, as a pseudonym is.
 */
uint64_t hash_siphash24(const unsigned char key[HASH_KEY_LEN],
			const void *data, size_t len);

/* The same with SipHash-1-3, the function hash_bytes() computes under
 * its own key; for tests. */
uint64_t hash_siphash13(const unsigned char key[HASH_KEY_LEN],
			const void *data, size_t len);

#endif
