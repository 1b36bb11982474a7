/* SPDX-License-Identifier: MIT */
/*
 * hash.c - a keyed hash for tables whose keys come from log lines
 *
 * SipHash-1-3 (one compression round per word, three finalisation
 * rounds), the variant that hash tables commonly use for speed, and
 * SipHash-2-4, the slower standard variant, for values that are printed.
 * hash_quick() is a multiply-and-shift hash for bounded caches.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bouncelog/hash.h"

static uint64_t key0, key1;

/* The key is drawn once, by whichever thread hashes first. */
static pthread_once_t keyed = PTHREAD_ONCE_INIT;

static uint64_t
rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

/* load64 - eight bytes as a little-endian word */
static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* load32 - four bytes as a little-endian word */
static inline uint64_t
load32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/*
 * load_tail - the last n < 8 bytes at p as a little-endian word.  Two
 * loads that may overlap cover 4 to 7 bytes.  A byte read twice lands
 * in the same place both times, so OR keeps each byte once.
 */
static inline uint64_t
load_tail(const unsigned char *p, size_t n)
{
	if (n >= 4)
		return load32(p) | load32(p + n - 4) << (8 * (n - 4));
	if (n > 0)
		return (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) |
		       (uint64_t)p[n - 1] << (8 * (n - 1));
	return 0;
}

/* make_key - draw the key from /dev/urandom, else from time and pid */
static void
make_key(void)
{
	unsigned char buf[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	bool ok = false;

	if (fd >= 0) {
		ok = read(fd, buf, sizeof buf) == (ssize_t)sizeof buf;
		close(fd);
	}
	if (ok) {
		key0 = load64(buf);
		key1 = load64(buf + 8);
	} else {
		struct timespec ts;

		/* Weaker, but the tables still work; only the defence
		 * against chosen collisions is lost. */
		clock_gettime(CLOCK_REALTIME, &ts);
		key0 = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^
		       (uint64_t)getpid();
		key1 = (uint64_t)ts.tv_sec * 0xc2b2ae3d27d4eb4fu ^ key0;
	}
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void
sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

/*
 * siphash - SipHash-c-d of len bytes under the key (k0, k1): c rounds per
 * message word, d finalisation rounds.  Inlined into each caller, so
 * that the round loops unroll for its constant c and d.
 */
static inline __attribute__((always_inline)) uint64_t
siphash(uint64_t k0, uint64_t k1, int c, int d, const unsigned char *p,
	size_t len)
{
	struct sip s;
	uint64_t last;
	size_t i;

	s.v0 = k0 ^ 0x736f6d6570736575u;
	s.v1 = k1 ^ 0x646f72616e646f6du;
	s.v2 = k0 ^ 0x6c7967656e657261u;
	s.v3 = k1 ^ 0x7465646279746573u;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t m = load64(p + i);

		s.v3 ^= m;
		for (int r = 0; r < c; r++)
			sip_round(&s);
		s.v0 ^= m;
	}

	/* The last 0 to 7 bytes, with the length in the top byte. */
	last = (uint64_t)len << 56 | load_tail(p + i, len - i);
	s.v3 ^= last;
	for (int r = 0; r < c; r++)
		sip_round(&s);
	s.v0 ^= last;

	s.v2 ^= 0xff;
	for (int r = 0; r < d; r++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t
hash_bytes(const void *data, size_t len)
{
	pthread_once(&keyed, make_key);
	return siphash(key0, key1, 1, 3, data, len);
}

/* mix64 - spread every bit of x over the whole word (the finaliser of
 * MurmurHash3, whose constants are public) */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53u;
	x ^= x >> 33;
	return x;
}

/*
 * hash_quick - about five instructions per 8 bytes where SipHash-1-3
 * takes about eighteen.  Each word is mixed in by a multiply, and a
 * shift carries the high bits down for the next word.  The length and
 * the run's key seed the state.
 */
uint64_t
hash_quick(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h;
	size_t i;

	pthread_once(&keyed, make_key);
	h = key0 ^ (uint64_t)len * 0x9e3779b97f4a7c15u;
	for (i = 0; i + 8 <= len; i += 8) {
		h = (h ^ load64(p + i)) * 0xbf58476d1ce4e5b9u;
		h ^= h >> 31;
	}
	h ^= load_tail(p + i, len - i) ^ key1;
	return mix64(h);
}

uint64_t
hash_siphash13(const unsigned char key[HASH_KEY_LEN], const void *data,
	       size_t len)
{
	return siphash(load64(key), load64(key + 8), 1, 3, data, len);
}

uint64_t
hash_siphash24(const unsigned char key[HASH_KEY_LEN], const void *data,
	       size_t len)
{
	return siphash(load64(key), load64(key + 8), 2, 4, data, len);
}
