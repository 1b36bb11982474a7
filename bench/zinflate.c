/* SPDX-License-Identifier: MIT */
/*
 * zinflate.c - in-process zlib inflate throughput, the benchmark's
 * upper bound for reading a gzip log
 *
 * Usage: zinflate FILE.gz
 *
 * Reads FILE.gz in 1 MiB blocks and inflates every gzip member into a
 * 256 KiB buffer that is thrown away, the least work any gzip reader
 * must do.  Prints one line to standard output:
 *
 *	OUTPUT_BYTES SECONDS CPU_SECONDS MB_PER_S zlib=VERSION
 *
 * where SECONDS is wall time, CPU_SECONDS the process's CPU time and
 * MB_PER_S decompressed bytes (10^6) per second of wall time, the
 * throughput bench/run compares bouncelog's gzip reading with.
 * Exits with 1 and a message on standard error when the file cannot be
 * read or is not valid gzip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

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
	z_stream zs;
	int rc = Z_OK;

	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		fprintf(stderr, "zinflate: %s: inflateInit2 failed\n", name);
		return -1;
	}

	for (;;) {
		if (zs.avail_in == 0) {
			size_t n = fread(in, 1, sizeof in, f);

			if (n == 0)
				break;
			zs.next_in = in;
			zs.avail_in = (uInt)n;
		}

		zs.next_out = out;
		zs.avail_out = sizeof out;
		rc = inflate(&zs, Z_NO_FLUSH);
		*total += sizeof out - zs.avail_out;

		/* A concatenated file has one member after another. */
		if (rc == Z_STREAM_END) {
			if (inflateReset(&zs) != Z_OK)
				break;
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			fprintf(stderr, "zinflate: %s: invalid gzip data: %s\n",
				name, zs.msg ? zs.msg : "unknown error");
			inflateEnd(&zs);
			return -1;
		}
	}

	inflateEnd(&zs);
	if (ferror(f)) {
		fprintf(stderr, "zinflate: %s: %s\n", name, strerror(errno));
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
		fprintf(stderr, "usage: zinflate FILE.gz\n");
		return 2;
	}
	start = now(CLOCK_MONOTONIC);
	cpu_start = now(CLOCK_PROCESS_CPUTIME_ID);
	f = fopen(argv[1], "rb");
	if (f == NULL) {
		fprintf(stderr, "zinflate: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	rc = inflate_file(f, argv[1], &total);
	fclose(f);
	if (rc != 0)
		return 1;

	seconds = now(CLOCK_MONOTONIC) - start;
	cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
	printf("%llu %.6f %.6f %.1f zlib=%s\n", total, seconds, cpu,
	       seconds > 0 ? (double)total / seconds / 1e6 : 0.0,
	       zlibVersion());
	return 0;
}
