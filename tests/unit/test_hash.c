/* SPDX-License-Identifier: MIT */
/*
 * test_hash.c - unit tests of the keyed hashes
 *
 * hash_siphash24() is checked against the test vectors of the SipHash
 * reference implementation (key 00 01 .. 0f, message 00 01 .. n-1),
 * written as the 64-bit little-endian value of the output bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/hash.h"
#include "check.h"

struct vector {
	size_t len;
	uint64_t want;
};

static const struct vector vectors[] = {
	{0, 0x726fdb47dd0e0e31u},
	{1, 0x74f839c593dc67fdu},
	{2, 0x0d6c8009d9a94f5au},
	{3, 0x85676696d7fb7e2du},
	{7, 0xab0200f58b01d137u},
	{8, 0x93f5f5799a932462u},
	{15, 0xa129ca6149be45e5u},
	{63, 0x958a324ceb064572u},
};

static void
test_siphash24_vectors(void **state)
{
	unsigned char key[HASH_KEY_LEN];
	unsigned char msg[64];

	(void)state;
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < ARRAY_LEN(vectors); i++) {
		char name[32];
		char got[20], want[20];

		snprintf(name, sizeof name, "%zu bytes", vectors[i].len);
		snprintf(got, sizeof got, "%016llx",
			 (unsigned long long)hash_siphash24(key, msg,
							    vectors[i].len));
		snprintf(want, sizeof want, "%016llx",
			 (unsigned long long)vectors[i].want);
		check_str(name, "siphash-2-4", got, want);
	}
	finish_cases();
}

/* reference_round - one SipRound, written out plainly */
static void
reference_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = v[1] << 13 | v[1] >> 51;
	v[1] ^= v[0];
	v[0] = v[0] << 32 | v[0] >> 32;
	v[2] += v[3];
	v[3] = v[3] << 16 | v[3] >> 48;
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = v[3] << 21 | v[3] >> 43;
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = v[1] << 17 | v[1] >> 47;
	v[1] ^= v[2];
	v[2] = v[2] << 32 | v[2] >> 32;
}

/* reference_siphash - SipHash-c-d as its paper describes it, reading
 * one byte at a time, to check the word loads of src/hash.c */
static uint64_t
reference_siphash(const unsigned char key[HASH_KEY_LEN], int c, int d,
		  const unsigned char *msg, size_t len)
{
	uint64_t k[2] = {0, 0}, v[4];
	size_t words = len / 8 + 1;

	for (int i = 15; i >= 0; i--)
		k[i / 8] = k[i / 8] << 8 | key[i];
	v[0] = k[0] ^ 0x736f6d6570736575u;
	v[1] = k[1] ^ 0x646f72616e646f6du;
	v[2] = k[0] ^ 0x6c7967656e657261u;
	v[3] = k[1] ^ 0x7465646279746573u;
	for (size_t w = 0; w < words; w++) {
		uint64_t m = 0;

		/* The last word contains the remaining bytes and the
		 * length in its top byte. */
		for (size_t b = 0; b < 8; b++) {
			size_t at = w * 8 + b;
			uint64_t byte = at < len ? msg[at] : 0;

			if (w == words - 1 && b == 7)
				byte = len & 0xff;
			m |= byte << (8 * b);
		}
		v[3] ^= m;
		for (int r = 0; r < c; r++)
			reference_round(v);
		v[0] ^= m;
	}
	v[2] ^= 0xff;
	for (int r = 0; r < d; r++)
		reference_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* test_siphash_reference - both variants equal the byte-wise reference
 * for every length from 0 to 80 bytes, at every start offset modulo 8,
 * under several keys */
static void
test_siphash_reference(void **state)
{
	unsigned char key[HASH_KEY_LEN];
	unsigned char buf[96];

	(void)state;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	for (unsigned k = 0; k < 4; k++) {
		for (size_t i = 0; i < sizeof key; i++)
			key[i] = (unsigned char)(i * (k + 3) + k * 101);
		for (size_t len = 0; len <= 80; len++) {
			for (size_t at = 0; at < 8; at++) {
				char name[48];

				snprintf(name, sizeof name,
					 "key %u, %zu bytes at %zu", k, len, at);
				check_int(name, "siphash-1-3",
					  (long long)hash_siphash13(key, buf + at,
								    len),
					  (long long)reference_siphash(
					      key, 1, 3, buf + at, len));
				check_int(name, "siphash-2-4",
					  (long long)hash_siphash24(key, buf + at,
								    len),
					  (long long)reference_siphash(
					      key, 2, 4, buf + at, len));
			}
		}
	}
	finish_cases();
}

/* The per-run hash is stable within a run and depends on every byte. */
static void
test_hash_bytes(void **state)
{
	(void)state;
	assert_true(hash_bytes("example.com", 11) ==
		    hash_bytes("example.com", 11));
	assert_true(hash_bytes("example.com", 11) !=
		    hash_bytes("example.con", 11));
	assert_true(hash_bytes("", 0) != hash_bytes("\0", 1));
}

/* test_hash_quick_bytes - the quick hash is the same for the same bytes
 * at any address, and changes when any bit of a key from 0 to 80 bytes
 * flips or the key grows by a zero byte */
static void
test_hash_quick_bytes(void **state)
{
	unsigned char buf[96], copy[96];

	(void)state;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	for (size_t len = 0; len <= 80; len++) {
		uint64_t h = hash_quick(buf, len);

		for (size_t at = 1; at < 8; at++) {
			memcpy(copy + at, buf, len);
			assert_true(hash_quick(copy + at, len) == h);
		}
		memcpy(copy, buf, len);
		copy[len] = 0;
		assert_true(hash_quick(copy, len + 1) != h);
		for (size_t bit = 0; bit < 8 * len; bit++) {
			copy[bit / 8] ^= (unsigned char)(1u << bit % 8);
			if (hash_quick(copy, len) == h)
				fail_msg("%zu bytes: flipping bit %zu keeps "
					 "the hash", len, bit);
			copy[bit / 8] ^= (unsigned char)(1u << bit % 8);
		}
	}
}

/* test_hash_quick_spread - keys that differ in a few digits, as queue
 * ids and addresses do, spread evenly over the sets that the low bits
 * choose and over those that the high bits choose */
static void
test_hash_quick_spread(void **state)
{
	enum { KEYS = 200000, SETS = 4096 };
	static unsigned low[SETS], high[SETS];
	unsigned max_low = 0, max_high = 0;

	(void)state;
	for (unsigned k = 0; k < KEYS; k++) {
		char key[64];
		int len = snprintf(key, sizeof key,
				   "user%u@mail%u.example.com", k, k % 97);
		uint64_t h = hash_quick(key, (size_t)len);

		low[h % SETS]++;
		high[h >> 52]++;
	}
	for (unsigned i = 0; i < SETS; i++) {
		max_low = low[i] > max_low ? low[i] : max_low;
		max_high = high[i] > max_high ? high[i] : max_high;
	}

	/* The mean is about 49 keys a set, so a set of 100 is 7 standard
	 * deviations out.  A hash that ignored a digit would put hundreds
	 * in one set. */
	assert_true(max_low < 100);
	assert_true(max_high < 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash24_vectors),
		cmocka_unit_test(test_siphash_reference),
		cmocka_unit_test(test_hash_bytes),
		cmocka_unit_test(test_hash_quick_bytes),
		cmocka_unit_test(test_hash_quick_spread),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
