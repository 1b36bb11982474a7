/* SPDX-License-Identifier: MIT */
/*
 * pseudonym.c - stable pseudonyms for mail addresses
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/pseudonym.h"
#include "bouncelog/xalloc.h"

/*
 * The fixed key under which a key file's bytes are condensed to a key.
 * It is public: the secret is the file's content.
 */
static const unsigned char derive_key[HASH_KEY_LEN] = "bouncelog-pseudo";

/* Addresses up to this length are folded on the stack. */
#define FOLD_STACK 512

/* store64 - v as eight little-endian bytes */
static void
store64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* derive - the key from the n bytes of a key file: two SipHash-2-4
 * values of the bytes, each followed by a different tag byte */
static void
derive(const unsigned char *data, size_t n, struct pseudonym_key *key)
{
	unsigned char *buf = xmalloc(n + 1);

	memcpy(buf, data, n);
	buf[n] = 0;
	store64(key->bytes, hash_siphash24(derive_key, buf, n + 1));
	buf[n] = 1;
	store64(key->bytes + 8, hash_siphash24(derive_key, buf, n + 1));
	free(buf);
}

/* read_all - up to max + 1 bytes of fd into buf; the count, or -1 */
static ssize_t
read_all(int fd, unsigned char *buf, size_t max)
{
	size_t got = 0;

	while (got <= max) {
		ssize_t n = read(fd, buf + got, max + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
pseudonym_key_load(const char *path, struct pseudonym_key *key)
{
	unsigned char buf[PSEUDONYM_KEY_FILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("cannot read the pseudonym "
			  "key: %s"), strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & S_IROTH) != 0)
		diag_emit(DIAG_WARNING, path, 0, 0,
			  _("the pseudonym key can be read by every user; "
			    "remove that with chmod o-r"));
	n = read_all(fd, buf, PSEUDONYM_KEY_FILE_MAX);
	if (n < 0) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("cannot read the pseudonym "
			  "key: %s"), strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (n > PSEUDONYM_KEY_FILE_MAX) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("the pseudonym key file is "
			  "larger than %d bytes; is it the right file?"),
			  PSEUDONYM_KEY_FILE_MAX);
		return -1;
	}
	if (n < PSEUDONYM_KEY_FILE_MIN) {
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("the pseudonym key file holds %zd bytes and needs "
			    "at least %d; make one with "
			    "'head -c 32 /dev/urandom > FILE'"),
			  n, PSEUDONYM_KEY_FILE_MIN);
		return -1;
	}
	derive(buf, (size_t)n, key);
	memset(buf, 0, sizeof buf);
	return 0;
}

int
pseudonym_key_random(struct pseudonym_key *key)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read_all(fd, key->bytes, sizeof key->bytes - 1);
		close(fd);
	}
	if (n != (ssize_t)sizeof key->bytes) {
		diag_emit(DIAG_ERROR, "/dev/urandom", 0, 0, _("cannot draw a "
			  "pseudonym key: %s; give one with --pseudonym-key"),
			  n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	return 0;
}

char *
pseudonym_make(const struct pseudonym_key *key, const char *s, size_t len,
	       char buf[PSEUDONYM_LEN])
{
	char stack[FOLD_STACK] = {0};
	char *fold = len <= sizeof stack ? stack : xmalloc(len);
	uint64_t h;

	for (size_t i = 0; i < len; i++)
		fold[i] = (char)ascii_tolower((unsigned char)s[i]);
	h = hash_siphash24(key->bytes, fold, len);
	if (fold != stack)
		free(fold);
	snprintf(buf, PSEUDONYM_LEN, "%016" PRIx64, h);
	return buf;
}
