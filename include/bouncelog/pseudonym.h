/* SPDX-License-Identifier: MIT */
/*
 * pseudonym.h - stable pseudonyms for mail addresses
 *
 * An event stream sent to a log pipeline should not carry who mailed
 * whom, yet a postmaster still wants to see that the same recipient
 * failed ten times.  A pseudonym is SipHash-2-4 of the address, ASCII
 * letters folded to lower case, under a secret 128-bit key, written as
 * 16 lower-case hex digits.  The same address gives the same pseudonym
 * under the same key.  Without the key, an address can only be found by
 * guessing both the address and the key.
 *
 * The key comes from a file (--pseudonym-key), so that pseudonyms stay
 * the same across runs and hosts that share the file, or else from the
 * system's random source for one run.
 */
#ifndef BOUNCELOG_PSEUDONYM_H
#define BOUNCELOG_PSEUDONYM_H

#include <stddef.h>

#include "bouncelog/hash.h"

/* Minimum and maximum size of a key file, in bytes. */
#define PSEUDONYM_KEY_FILE_MIN 16
#define PSEUDONYM_KEY_FILE_MAX 4096

/* Size of a pseudonym: 16 hex digits and a NUL. */
#define PSEUDONYM_LEN 17

struct pseudonym_key {
	unsigned char bytes[HASH_KEY_LEN];
};

/*
 * Read the key from the file at path.  The file contains 16 to 4096 bytes
 * of any kind (for example "head -c 32 /dev/urandom"); the key is derived
 * from all of them, so a trailing newline is part of the secret.
 * Returns 0, or -1 after a diagnostic when the file cannot be read or
 * has too few or too many bytes.  A regular file that every user may
 * read gets a warning.
 */
int pseudonym_key_load(const char *path, struct pseudonym_key *key)
	__attribute__((warn_unused_result));

/* Draw a key from /dev/urandom.  Returns 0, or -1 after a diagnostic. */
int pseudonym_key_random(struct pseudonym_key *key)
	__attribute__((warn_unused_result));

/* Write the pseudonym of the address s (len bytes) into buf; returns buf. */
char *pseudonym_make(const struct pseudonym_key *key, const char *s,
		     size_t len, char buf[PSEUDONYM_LEN]);

#endif
