/* SPDX-License-Identifier: MIT */
/*
 * test_inflate.c - the inflate engine gives the same bytes whatever its
 * output space held before
 *
 * fixtures/reader/lookback.log.gz is damaged so that ISA-L 2.30, before
 * it stops at the damage, returns bytes that depend on the output space
 * it has not written yet.  The reader's buffer contains earlier lines
 * there, or memory never written, so the engine must not let those
 * bytes through.  The test inflates the file as the gzip reader does, in
 * input pieces of 64 KiB and output calls of READER_BUF_SIZE bytes.  It
 * fills the output space with 0x00 before every call, then again with
 * 0xff, and compares the two results.  With zlib they agree as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/reader.h"
#include "check.h"
#include "inflate_engine.h"

/* The input that the gzip reader reads at a time (its GZIP_IN_SIZE). */
#define IN_PIECE (64 * 1024)

/* The output space of one call, as the reader offers it. */
#define OUT_CALL READER_BUF_SIZE

/* The bytes that one pass inflated, and how it ended. */
struct pass {
	unsigned char *data;
	size_t len;
	enum inflate_result result;
	enum inflate_fault fault;
};

/* read_fixture - read the whole of fixtures/reader/NAME into a new
 * buffer */
static unsigned char *
read_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("BOUNCELOG_FIXTURES");
	char path[4096];
	unsigned char *data;
	FILE *f;
	long size;

	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/reader/%s", dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	data = malloc((size_t)size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return data;
}

/*
 * inflate_filled - inflate in[0, len) as the reader does, filling the
 * output space with fill before each call, until the member ends or the
 * engine reports damage
 */
static struct pass
inflate_filled(const unsigned char *in, size_t len, int fill)
{
	struct pass p = {malloc(4 * OUT_CALL), 0, INFLATE_OK, 0};
	unsigned char *out = malloc(OUT_CALL);
	struct inflate_engine *engine = inflate_engine_new(NULL);
	struct inflate_buffers io = {in, 0, NULL, 0};
	size_t fed = 0;

	assert_non_null(p.data);
	assert_non_null(out);
	assert_non_null(engine);
	while (p.result == INFLATE_OK) {
		size_t before_in, produced;

		/* Top the input up to a piece, as the reader refills it. */
		if (io.avail_in < IN_PIECE && fed < len) {
			size_t more = IN_PIECE - io.avail_in;

			if (more > len - fed)
				more = len - fed;
			io.next_in = in + fed - io.avail_in;
			io.avail_in += more;
			fed += more;
		}

		memset(out, fill, OUT_CALL);
		io.next_out = out;
		io.avail_out = OUT_CALL;
		before_in = io.avail_in;
		p.result = inflate_engine_run(engine, &io);
		produced = OUT_CALL - io.avail_out;
		assert_true(p.len + produced <= 4 * OUT_CALL);
		memcpy(p.data + p.len, out, produced);
		p.len += produced;

		/* The input ran out without an end or an error. */
		if (p.result == INFLATE_OK && produced == 0 &&
		    io.avail_in == before_in && fed == len)
			break;
	}
	if (p.result == INFLATE_ERROR)
		p.fault = inflate_engine_fault(engine);
	inflate_engine_free(engine);
	free(out);
	return p;
}

static void
test_damage_ignores_old_output(void **state)
{
	size_t len;
	unsigned char *in = read_fixture("lookback.log.gz", &len);
	struct pass zeros, ones;

	(void)state;
	zeros = inflate_filled(in, len, 0x00);
	ones = inflate_filled(in, len, 0xff);

	/* The damage lies near the end of the first output call. */
	check_int("lookback", "result", zeros.result, INFLATE_ERROR);
	check_int("lookback", "bytes before the damage", zeros.len > 200000,
		  true);
	check_int("lookback", "result with 0xff", ones.result, zeros.result);
	check_int("lookback", "fault with 0xff", ones.fault, zeros.fault);
	check_int("lookback", "length with 0xff", (long long)ones.len,
		  (long long)zeros.len);
	check_int("lookback", "bytes with 0xff",
		  ones.len == zeros.len &&
		      memcmp(ones.data, zeros.data, zeros.len) == 0,
		  true);
	free(zeros.data);
	free(ones.data);
	free(in);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_damage_ignores_old_output),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("inflate", tests, NULL, NULL);
}
