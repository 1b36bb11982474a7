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

#endif
