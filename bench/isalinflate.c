/* SPDX-License-Identifier: MIT */
/*
 * isalinflate.c - in-process ISA-L inflate throughput, the counterpart
 * of zinflate.c for builds with ISA-L
 *
 * Usage: isalinflate FILE.gz
 *
 * Reads FILE.gz in 1 MiB blocks and inflates every gzip member with
 * isal_inflate() (crc_flag ISAL_GZIP, so the header is parsed and the
 * CRC-32 and length are checked) into a 256 KiB buffer that is thrown
 * away.  Prints one line to standard output in zinflate's format:
 *
 *	OUTPUT_BYTES SECONDS CPU_SECONDS MB_PER_S isa-l
 *
 * Exits with 1 and a message on standard error when the file cannot be
 * read or is not valid gzip.
 *
 * NOTE: ISA-L 2.30 checks a header CRC-16 (flag FHCRC) only when the
 * header arrives in one piece.  So this tool rejects such a header that
 * spans two 1 MiB blocks, which bouncelog's reader accepts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <isa-l/igzip_lib.h>

#define IN_SIZE (1u << 20)
#define OUT_SIZE (256u << 10)

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* inflate_file - inflate every member of f; returns 0 or -1 */
static int
inflate_file(FILE *f, const char *name, unsigned long long *total)
{
	static unsigned char in[IN_SIZE], out[OUT_SIZE];
	static struct inflate_state st;
	bool at_end = false;

	isal_inflate_init(&st);
	st.crc_flag = ISAL_GZIP;

	while (!at_end || st.avail_in > 0) {
		int rc;

		if (st.avail_in == 0) {
			size_t n = fread(in, 1, sizeof in, f);

			if (n == 0) {
				at_end = true;
				continue;
			}
			st.next_in = in;
			st.avail_in = (uint32_t)n;
		}

		st.next_out = out;
		st.avail_out = sizeof out;
		rc = isal_inflate(&st);
		*total += sizeof out - st.avail_out;
		if (rc < 0) {
			fprintf(stderr,
				"isalinflate: %s: invalid gzip data: ISA-L "
				"error %d\n",
				name, rc);
			return -1;
		}

		/* A concatenated file has one member after another; the
		 * bytes after a member's trailer stay in next_in. */
		if (st.block_state == ISAL_BLOCK_FINISH) {
			unsigned char *next_in = st.next_in;
			uint32_t avail_in = st.avail_in;

			isal_inflate_reset(&st);
			st.crc_flag = ISAL_GZIP;
			st.next_in = next_in;
			st.avail_in = avail_in;
		}
	}

	if (ferror(f)) {
		fprintf(stderr, "isalinflate: %s: %s\n", name,
			strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long total = 0;
	double start, cpu_start, seconds, cpu;
	FILE *f;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: isalinflate FILE.gz\n");
		return 2;
	}
	start = now(CLOCK_MONOTONIC);
	cpu_start = now(CLOCK_PROCESS_CPUTIME_ID);
	f = fopen(argv[1], "rb");
	if (f == NULL) {
		fprintf(stderr, "isalinflate: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	rc = inflate_file(f, argv[1], &total);
	fclose(f);
	if (rc != 0)
		return 1;

	seconds = now(CLOCK_MONOTONIC) - start;
	cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
	printf("%llu %.6f %.6f %.1f isa-l\n", total, seconds, cpu,
	       seconds > 0 ? (double)total / seconds / 1e6 : 0.0);
	return 0;
}
