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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash24_vectors),
		cmocka_unit_test(test_hash_bytes),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
