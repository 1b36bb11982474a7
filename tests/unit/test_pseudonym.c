/* SPDX-License-Identifier: MIT */
/*
 * test_pseudonym.c - unit tests of address pseudonyms and their keys
 *
 * The pseudonym of a message under the key 00 01 .. 0f is the SipHash
 * reference vector of that message, so these tests tie pseudonym_make()
 * to the published algorithm.  Key files are written to a temporary
 * directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/diag.h"
#include "bouncelog/pseudonym.h"
#include "check.h"

static struct {
	char line[DIAG_LINE_MAX + 1];
	int count;
	int warnings;
} captured;

static void
capture_sink(enum diag_level level, const char *line, void *arg)
{
	(void)arg;
	snprintf(captured.line, sizeof captured.line, "%s", line);
	captured.count++;
	captured.warnings += level == DIAG_WARNING;
}

static void
reference_key(struct pseudonym_key *key)
{
	for (size_t i = 0; i < sizeof key->bytes; i++)
		key->bytes[i] = (unsigned char)i;
}

static void
test_reference_vectors(void **state)
{
	static const char msg[] = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"
				  "\x0a\x0b\x0c\x0d\x0e";
	struct pseudonym_key key;
	char buf[PSEUDONYM_LEN];

	(void)state;
	reference_key(&key);
	check_str("empty", "pseudonym", pseudonym_make(&key, "", 0, buf),
		  "726fdb47dd0e0e31");
	check_str("15 bytes", "pseudonym", pseudonym_make(&key, msg, 15, buf),
		  "a129ca6149be45e5");
	finish_cases();
}

/* ASCII letters fold to lower case; other bytes are kept. */
static void
test_folding(void **state)
{
	struct pseudonym_key key;
	char a[PSEUDONYM_LEN], b[PSEUDONYM_LEN];
	char upper[600], lower[600];

	(void)state;
	reference_key(&key);
	pseudonym_make(&key, "Bob@Example.COM", 15, a);
	pseudonym_make(&key, "bob@example.com", 15, b);
	check_str("ascii case", "pseudonym", a, b);

	pseudonym_make(&key, "\xc3\x87@x", 4, a);
	pseudonym_make(&key, "\xc3\xa7@x", 4, b);
	check_int("non-ascii case", "differs", strcmp(a, b) != 0, 1);

	/* Longer than the stack buffer of the folding step. */
	memset(upper, 'A', sizeof upper);
	memset(lower, 'a', sizeof lower);
	pseudonym_make(&key, upper, sizeof upper, a);
	pseudonym_make(&key, lower, sizeof lower, b);
	check_str("long address", "pseudonym", a, b);
	finish_cases();
}

/* write_key - a key file of n bytes with mode; returns its path */
static const char *
write_key(const char *dir, size_t n, mode_t mode)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/key", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (size_t i = 0; i < n; i++)
		putc((int)(i * 7 + 3), fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void
test_key_files(void **state)
{
	char dir[] = "/tmp/bouncelog-key-XXXXXX";
	struct pseudonym_key k1, k2, ref;
	char a[PSEUDONYM_LEN], b[PSEUDONYM_LEN], want[256];
	const char *path;

	(void)state;
	assert_non_null(mkdtemp(dir));
	diag_set_sink(capture_sink, NULL);
	reference_key(&ref);

	/* The same file gives the same key, which is not the raw bytes. */
	path = write_key(dir, 16, 0600);
	check_int("16 bytes", "load", pseudonym_key_load(path, &k1), 0);
	check_int("16 bytes", "load again", pseudonym_key_load(path, &k2), 0);
	check_int("16 bytes", "same key",
		  memcmp(k1.bytes, k2.bytes, sizeof k1.bytes), 0);
	pseudonym_make(&k1, "bob@example.com", 15, a);
	pseudonym_make(&ref, "bob@example.com", 15, b);
	check_int("16 bytes", "differs from another key", strcmp(a, b) != 0,
		  1);
	check_int("16 bytes", "diagnostics", captured.count, 0);

	/* One more byte is another key. */
	path = write_key(dir, 17, 0600);
	check_int("17 bytes", "load", pseudonym_key_load(path, &k2), 0);
	check_int("17 bytes", "other key",
		  memcmp(k1.bytes, k2.bytes, sizeof k1.bytes) != 0, 1);

	/* A service's group may read the key; every user may not. */
	path = write_key(dir, 32, 0640);
	check_int("group readable", "load", pseudonym_key_load(path, &k2), 0);
	check_int("group readable", "warnings", captured.warnings, 0);
	path = write_key(dir, 32, 0644);
	check_int("world readable", "load", pseudonym_key_load(path, &k2), 0);
	check_int("world readable", "warnings", captured.warnings, 1);

	path = write_key(dir, 15, 0600);
	check_int("15 bytes", "load", pseudonym_key_load(path, &k2), -1);
	snprintf(want, sizeof want,
		 "bouncelog: %s: the pseudonym key file holds 15 bytes and "
		 "needs at least 16; make one with 'head -c 32 /dev/urandom > "
		 "FILE'",
		 path);
	check_str("15 bytes", "message", captured.line, want);

	path = write_key(dir, PSEUDONYM_KEY_FILE_MAX + 1, 0600);
	check_int("too large", "load", pseudonym_key_load(path, &k2), -1);
	unlink(path);
	check_int("missing", "load", pseudonym_key_load(path, &k2), -1);
	snprintf(want, sizeof want,
		 "bouncelog: %s: cannot read the pseudonym key: No such file "
		 "or directory",
		 path);
	check_str("missing", "message", captured.line, want);

	rmdir(dir);
	diag_set_sink(NULL, NULL);
	diag_reset_counts();
	finish_cases();
}

static void
test_random_key(void **state)
{
	struct pseudonym_key k1, k2;

	(void)state;
	assert_int_equal(pseudonym_key_random(&k1), 0);
	assert_int_equal(pseudonym_key_random(&k2), 0);
	assert_true(memcmp(k1.bytes, k2.bytes, sizeof k1.bytes) != 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_vectors),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_random_key),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("pseudonym", tests, NULL, NULL);
}
