/* SPDX-License-Identifier: MIT */
/*
 * reader_gzip.c - gzip back end of the reader
 *
 * Inflates the gzip members (RFC 1952) of one input with zlib, straight
 * into the reader's buffer, and reads concatenated members as one stream.
 * When a member ends, the next two bytes decide what follows: 1f 8b starts
 * another member, and anything else (zero padding, junk) is read to the end
 * of the input, counted and reported in one warning.
 *
 * A member cut short, a damaged one and a failed CRC-32 or length check
 * are errors.  Their message names the byte offset in the compressed input.
 * The bytes inflated before the damage are still returned.
 *
 * Memory: the inflate state with its 32 KiB window (allocated through
 * xalloc, so exhaustion ends the program) plus GZIP_IN_SIZE bytes of input.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "reader_backend.h"

/* Compressed bytes requested from the raw input per read. */
#define GZIP_IN_SIZE (64 * 1024)

/* windowBits for inflateInit2(): the largest window, gzip wrapper only. */
#define GZIP_WINDOW_BITS (16 + MAX_WBITS)

enum gzip_phase {
	GZIP_MEMBER,  /* inside a member */
	GZIP_BETWEEN, /* a member ended, and the bytes after it are unread */
	GZIP_DONE,    /* end of the input */
	GZIP_FAILED,  /* an error has been reported */
};

struct gzip_state {
	struct reader_input *in;
	z_stream stream;
	enum gzip_phase phase;
	uint64_t in_total; /* raw bytes read so far */
	unsigned char in_buf[GZIP_IN_SIZE];
};

/* gzip_match - look for the gzip magic bytes */
static bool
gzip_match(const unsigned char *head, size_t len)
{
	return len >= 2 && head[0] == 0x1f && head[1] == 0x8b;
}

/* gzip_zalloc - zlib's allocator, with the program's out-of-memory rule */
static voidpf
gzip_zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return xreallocarray(NULL, items, size);
}

static void
gzip_zfree(voidpf opaque, voidpf ptr)
{
	(void)opaque;
	free(ptr);
}

static void *
gzip_open(struct reader_input *in)
{
	struct gzip_state *gz = xcalloc(1, sizeof *gz);
	int ret;

	gz->in = in;
	gz->stream.zalloc = gzip_zalloc;
	gz->stream.zfree = gzip_zfree;
	gz->stream.next_in = gz->in_buf;
	gz->phase = GZIP_MEMBER;

	/* Fails only when the zlib header and library do not match. */
	ret = inflateInit2(&gz->stream, GZIP_WINDOW_BITS);
	if (ret != Z_OK) {
		diag_emit(DIAG_ERROR, in->name, 0, 0,
			  _("zlib initialization failed: %s"), zError(ret));
		gz->phase = GZIP_FAILED;
	}
	return gz;
}

/* gzip_position - offset in the raw input of the next unused byte */
static uint64_t
gzip_position(const struct gzip_state *gz)
{
	return gz->in_total - gz->stream.avail_in;
}

/*
 * gzip_fill - move the unused input to the front of in_buf and read more
 * after it
 *
 * Returns the count read, 0 at the end of the input or -1 on a read error.
 */
static ssize_t
gzip_fill(struct gzip_state *gz)
{
	z_stream *zs = &gz->stream;
	ssize_t n;

	if (zs->avail_in > 0 && zs->next_in != gz->in_buf)
		memmove(gz->in_buf, zs->next_in, zs->avail_in);
	zs->next_in = gz->in_buf;

	n = reader_input_read(gz->in, gz->in_buf + zs->avail_in,
			      GZIP_IN_SIZE - zs->avail_in);
	if (n > 0) {
		zs->avail_in += (uInt)n;
		gz->in_total += (uint64_t)n;
	}
	return n;
}

/* gzip_skip_garbage - read the non-gzip rest of the input and warn once */
static void
gzip_skip_garbage(struct gzip_state *gz)
{
	z_stream *zs = &gz->stream;
	uint64_t start = gzip_position(gz);
	uint64_t count;
	ssize_t n;

	do {
		zs->avail_in = 0;
		n = gzip_fill(gz);
	} while (n > 0);
	if (n < 0) {
		gz->phase = GZIP_FAILED;
		return;
	}

	count = gz->in_total - start;
	diag_emit(DIAG_WARNING, gz->in->name, 0, 0,
		  P_("ignored %" PRIu64 " byte of trailing garbage at byte "
		     "offset %" PRIu64,
		     "ignored %" PRIu64 " bytes of trailing garbage at byte "
		     "offset %" PRIu64,
		     count),
		  count, start);
	gz->phase = GZIP_DONE;
}

/*
 * gzip_next_member - start the next member if the input goes on with the
 * gzip magic, or else set the phase to DONE or FAILED
 */
static void
gzip_next_member(struct gzip_state *gz)
{
	z_stream *zs = &gz->stream;
	ssize_t n = 0;

	/* Reads may be short, as on a pipe, so loop for both magic bytes. */
	while (zs->avail_in < 2) {
		n = gzip_fill(gz);
		if (n <= 0)
			break;
	}
	if (n < 0) {
		gz->phase = GZIP_FAILED;
		return;
	}

	if (zs->avail_in == 0) {
		gz->phase = GZIP_DONE;
	} else if (gzip_match(zs->next_in, zs->avail_in)) {
		inflateReset(zs);
		gz->phase = GZIP_MEMBER;
	} else {
		gzip_skip_garbage(gz);
	}
}

/* gzip_report_truncated - the input ended inside a member */
static void
gzip_report_truncated(struct gzip_state *gz)
{
	diag_emit(DIAG_ERROR, gz->in->name, 0, 0,
		  _("gzip data truncated at byte offset %" PRIu64
		    "; the lines before it were read, check whether the "
		    "file is complete"),
		  gz->in_total);
	gz->phase = GZIP_FAILED;
}

/*
 * gzip_report_damage - inflate() rejected the data
 *
 * The offset is where zlib noticed the damage.  It may lie a few bytes
 * after the damaged bit because zlib reads whole bytes ahead into its bit
 * buffer.  A changed bit that still decodes is noticed later, at worst by
 * the CRC-32 check at the end of the member.
 */
static void
gzip_report_damage(struct gzip_state *gz, int ret)
{
	const char *reason = gz->stream.msg;

	if (reason == NULL)
		reason = zError(ret);
	diag_emit(DIAG_ERROR, gz->in->name, 0, 0,
		  _("invalid gzip data at byte offset %" PRIu64
		    " (%s); the lines before it were read, the rest of the "
		    "file was skipped"),
		  gzip_position(gz), reason);
	gz->phase = GZIP_FAILED;
}

/* gzip_inflate_step - feed inflate() once, reading input when it is empty */
static void
gzip_inflate_step(struct gzip_state *gz)
{
	z_stream *zs = &gz->stream;
	ssize_t n;
	int ret;

	if (zs->avail_in == 0) {
		n = gzip_fill(gz);
		if (n < 0) {
			gz->phase = GZIP_FAILED;
			return;
		}
		/* At the end of the input, zlib may still hold decoded bytes
		 * that did not fit the last output buffer: drain them before
		 * calling the member truncated. */
		if (n == 0) {
			uInt before = zs->avail_out;

			ret = inflate(zs, Z_NO_FLUSH);
			if (ret == Z_STREAM_END)
				gz->phase = GZIP_BETWEEN;
			else if (ret != Z_OK && ret != Z_BUF_ERROR)
				gzip_report_damage(gz, ret);
			else if (zs->avail_out == before)
				gzip_report_truncated(gz);
			return;
		}
	}

	/* Z_BUF_ERROR only means that more input is needed. */
	ret = inflate(zs, Z_NO_FLUSH);
	if (ret == Z_STREAM_END)
		gz->phase = GZIP_BETWEEN;
	else if (ret != Z_OK && ret != Z_BUF_ERROR)
		gzip_report_damage(gz, ret);
}

static ssize_t
gzip_read(void *state, char *buf, size_t size)
{
	struct gzip_state *gz = state;
	z_stream *zs = &gz->stream;
	size_t produced;

	zs->next_out = (Bytef *)buf;
	zs->avail_out = (uInt)size;

	/* Stop at the first output, so a later error cannot hide it. */
	while (zs->avail_out == size) {
		if (gz->phase == GZIP_BETWEEN)
			gzip_next_member(gz);
		if (gz->phase == GZIP_DONE || gz->phase == GZIP_FAILED)
			break;
		gzip_inflate_step(gz);
	}

	produced = size - zs->avail_out;
	if (produced > 0)
		return (ssize_t)produced;
	return gz->phase == GZIP_FAILED ? -1 : 0;
}

static void
gzip_close(void *state)
{
	struct gzip_state *gz = state;

	if (gz == NULL)
		return;
	inflateEnd(&gz->stream);
	free(gz);
}

const struct reader_backend reader_gzip_backend = {
    .name = "gzip",
    .match = gzip_match,
    .open = gzip_open,
    .read = gzip_read,
    .close = gzip_close,
};
