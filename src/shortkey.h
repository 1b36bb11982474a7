/* SPDX-License-Identifier: MIT */
/*
 * shortkey.h - hashing and comparison of short byte strings for the small
 * caches in front of a general lookup
 *
 * The router keeps the owner of each program name in an open-addressed
 * table, and the tally the counters of recent recipient domains in
 * direct-mapped slots, both placed by shortkey_slot_hash().  The hash
 * reads the first and the last 8 bytes of a string, so it costs the same
 * for any length.  It is not keyed, because both tables are small and
 * bounded, and a slot only saves a lookup.  shortkey_equal() confirms
 * every hit on the whole string, so a collision costs time, never a wrong
 * result.
 */
#ifndef BOUNCELOG_SHORTKEY_H
#define BOUNCELOG_SHORTKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The 8 bytes at p as one number. */
static inline uint64_t
shortkey_load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* The n bytes (0 to 7) at p as one number, the first byte lowest. */
static inline uint64_t
shortkey_load_short(const char *p, size_t n)
{
	uint64_t w = 0;

	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return w;
}

/*
 * A hash of the len bytes at p whose top bits pick a slot.  The last
 * bytes of a name, which tell "postfix/smtp" from "postfix/qmgr", are
 * the high bytes of the last word: they are folded down before the
 * multiplication carries every bit to the top.
 */
static inline uint64_t
shortkey_slot_hash(const char *p, size_t len)
{
	uint64_t h;

	if (len >= 8)
		h = shortkey_load8(p) ^
		    shortkey_load8(p + len - 8) * UINT64_C(0xff51afd7ed558ccd);
	else
		h = shortkey_load_short(p, len);
	h ^= len;
	h ^= h >> 32;
	return h * UINT64_C(0x9e3779b97f4a7c15);
}

/* True when the len bytes at a and at b are the same. */
static inline bool
shortkey_equal(const char *a, const char *b, size_t len)
{
	size_t i;

	if (len < 8)
		return shortkey_load_short(a, len) == shortkey_load_short(b, len);

	/* Whole words, then the last 8 bytes, which may overlap the last
	 * word compared. */
	for (i = 0; i + 8 < len; i += 8)
		if (shortkey_load8(a + i) != shortkey_load8(b + i))
			return false;
	return shortkey_load8(a + len - 8) == shortkey_load8(b + len - 8);
}

#endif
