/* SPDX-License-Identifier: MIT */
/*
 * inflate_isal.c - the inflate engine on ISA-L's isal_inflate()
 *
 * With crc_flag ISAL_GZIP, ISA-L (2.30) parses the gzip header, inflates
 * and checks the CRC-32 and length of the trailer, and a member has
 * ended when block_state is ISAL_BLOCK_FINISH.  Then, and after a
 * failed trailer check, ISA-L has given back in next_in/avail_in every
 * byte after the trailer, even those it had buffered inside its state.
 *
 * ISA-L returns one code, ISAL_INCORRECT_CHECKSUM, for a wrong header
 * CRC-16, a wrong trailer CRC-32 and a wrong trailer length.  To name
 * the fault as zlib does, the engine keeps the last 8 input bytes it
 * consumed, which at a failed trailer check are the trailer, and
 * compares them with the CRC-32 and length that ISA-L computed.
 *
 * ISA-L 2.30 also rejects a valid header CRC-16 (flag FHCRC) when the
 * header arrives in more than one isal_inflate() call, and may then
 * misread the data after it.  So the engine holds back a header with
 * FHCRC until it has all of it, and the caller reads more input.
 *
 * ISA-L 2.30 reports a distance too far back only after its fast decoder
 * has written the copy.  So on such damaged data some bytes of its own
 * buffers follow the last good byte, where zlib stops at that byte.
 * Either way the file is reported as damaged.  On a
 * cut member ISA-L can end a byte or so before zlib, whose bit reader
 * decodes the last bits that ISA-L still holds.
 *
 * Memory: the inflate state is about 60 KiB (its own 32 KiB window and
 * decoding tables), allocated through xalloc.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>

#include "bouncelog/xalloc.h"
#include "inflate_engine.h"

/* The gzip trailer: CRC-32, then the length modulo 2^32, little-endian. */
#define GZIP_TRAILER_SIZE 8

/* The fixed part of a gzip header, and its flag bits (RFC 1952). */
#define GZIP_FIXED_HEADER_SIZE 10
#define GZIP_FLAG_FHCRC 0x02
#define GZIP_FLAG_FEXTRA 0x04
#define GZIP_FLAG_FNAME 0x08
#define GZIP_FLAG_FCOMMENT 0x10
#define GZIP_FLAGS_RESERVED 0xe0

/* Maximum size of a header with FHCRC that the engine holds back to pass
 * in one piece, because the caller's input buffer is 64 KiB. */
#define ISAL_HEADER_HOLD_MAX (64 * 1024)

const char inflate_engine_name[] = "isa-l";

struct inflate_engine {
	struct inflate_state state;
	unsigned char last_in[GZIP_TRAILER_SIZE]; /* last bytes consumed */
	size_t last_in_len;
	bool at_header; /* no byte of the member passed to ISA-L yet */
	enum inflate_fault fault; /* of the last INFLATE_ERROR */
};

struct inflate_engine *
inflate_engine_new(const char **error)
{
	struct inflate_engine *engine = xcalloc(1, sizeof *engine);

	(void)error;
	isal_inflate_init(&engine->state);
	engine->state.crc_flag = ISAL_GZIP;
	engine->at_header = true;
	return engine;
}

void
inflate_engine_reset(struct inflate_engine *engine)
{
	isal_inflate_reset(&engine->state);
	engine->state.crc_flag = ISAL_GZIP;
	engine->last_in_len = 0;
	engine->at_header = true;
}

/* skip_string - the offset after the NUL that ends the string at pos,
 * or 0 when the NUL is not in the n bytes */
static size_t
skip_string(const unsigned char *in, size_t n, size_t pos)
{
	const unsigned char *nul;

	if (pos >= n)
		return 0;
	nul = memchr(in + pos, '\0', n - pos);
	return nul == NULL ? 0 : (size_t)(nul - in) + 1;
}

/*
 * isal_header_complete - whether the n bytes at in hold the whole member
 * header, or the header has no FHCRC and may come in pieces
 */
static bool
isal_header_complete(const unsigned char *in, size_t n)
{
	size_t end = GZIP_FIXED_HEADER_SIZE;
	unsigned flags;

	if (n < 4)
		return false;
	flags = in[3];
	if (!(flags & GZIP_FLAG_FHCRC))
		return true;

	if (flags & GZIP_FLAG_FEXTRA) {
		if (n < end + 2)
			return false;
		end += 2 + ((size_t)in[end] | (size_t)in[end + 1] << 8);
	}
	if ((flags & GZIP_FLAG_FNAME) && (end = skip_string(in, n, end)) == 0)
		return false;
	if ((flags & GZIP_FLAG_FCOMMENT) &&
	    (end = skip_string(in, n, end)) == 0)
		return false;
	return n >= end + 2;
}

/* isal_keep_last_in - keep the last bytes of the n consumed from in */
static void
isal_keep_last_in(struct inflate_engine *engine, const unsigned char *in,
		  size_t n)
{
	size_t keep;

	if (n >= GZIP_TRAILER_SIZE) {
		memcpy(engine->last_in, in + n - GZIP_TRAILER_SIZE,
		       GZIP_TRAILER_SIZE);
		engine->last_in_len = GZIP_TRAILER_SIZE;
		return;
	}

	/* Shift the older bytes left to make room for the n new ones. */
	keep = engine->last_in_len + n > GZIP_TRAILER_SIZE
		   ? GZIP_TRAILER_SIZE - n
		   : engine->last_in_len;
	memmove(engine->last_in, engine->last_in + engine->last_in_len - keep,
		keep);
	memcpy(engine->last_in + keep, in, n);
	engine->last_in_len = keep + n;
}

/* read_le32 - the little-endian 32-bit number at p */
static uint32_t
read_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* isal_checksum_fault - which check failed for ISAL_INCORRECT_CHECKSUM */
static enum inflate_fault
isal_checksum_fault(const struct inflate_engine *engine)
{
	const struct inflate_state *st = &engine->state;

	/* Before the trailer, the checksum is the header's CRC-16. */
	if (st->block_state != ISAL_BLOCK_FINISH &&
	    st->block_state != ISAL_CHECKSUM_CHECK)
		return INFLATE_FAULT_HEADER;
	if (engine->last_in_len < GZIP_TRAILER_SIZE)
		return INFLATE_FAULT_OTHER;
	if (read_le32(engine->last_in) != st->crc)
		return INFLATE_FAULT_CRC;
	return INFLATE_FAULT_LENGTH;
}

/* isal_fault - the fault that an isal_inflate() error code names */
static enum inflate_fault
isal_fault(const struct inflate_engine *engine, int ret)
{
	switch (ret) {
	case ISAL_INVALID_WRAPPER:
		return INFLATE_FAULT_HEADER;
	case ISAL_UNSUPPORTED_METHOD:
		return INFLATE_FAULT_METHOD;
	case ISAL_INVALID_BLOCK:
		return INFLATE_FAULT_BLOCK;
	case ISAL_INVALID_SYMBOL:
	case ISAL_INVALID_LOOKBACK:
		return INFLATE_FAULT_CODE;
	case ISAL_INCORRECT_CHECKSUM:
		return isal_checksum_fault(engine);
	default:
		return INFLATE_FAULT_OTHER;
	}
}

enum inflate_result
inflate_engine_run(struct inflate_engine *engine, struct inflate_buffers *io)
{
	struct inflate_state *st = &engine->state;
	int ret;

	/* NOTE: a header with FHCRC longer than ISAL_HEADER_HOLD_MAX is
	 * passed in pieces, and ISA-L rejects it as an invalid header. */
	if (engine->at_header) {
		if (!isal_header_complete(io->next_in, io->avail_in) &&
		    io->avail_in < ISAL_HEADER_HOLD_MAX)
			return INFLATE_OK;

		/* RFC 1952 makes a header with reserved flags an error,
		 * as zlib does, but ISA-L 2.30 ignores them. */
		if (io->avail_in >= 4 &&
		    (io->next_in[3] & GZIP_FLAGS_RESERVED) != 0) {
			engine->fault = INFLATE_FAULT_HEADER;
			return INFLATE_ERROR;
		}
		engine->at_header = false;
	}

	/* On damaged data, ISA-L 2.30 can return bytes that depend on the
	 * output space past what it has written.  Cleared first, that space
	 * gives the same bytes whatever the buffer held before: earlier
	 * lines, or memory never written. */
	memset(io->next_out, 0, io->avail_out);

	/* isal_inflate() does not write through next_in. */
	st->next_in = (uint8_t *)(uintptr_t)io->next_in;
	st->avail_in = (uint32_t)io->avail_in;
	st->next_out = io->next_out;
	st->avail_out = (uint32_t)io->avail_out;

	ret = isal_inflate(st);

	/* At the end of a member ISA-L may move next_in back, giving
	 * buffered bytes back, so only a forward move consumed input. */
	if (st->next_in > io->next_in)
		isal_keep_last_in(engine, io->next_in,
				  (size_t)(st->next_in - io->next_in));
	io->next_in = st->next_in;
	io->avail_in = st->avail_in;
	io->next_out = st->next_out;
	io->avail_out = st->avail_out;

	if (ret < 0 || ret == ISAL_NEED_DICT) {
		engine->fault = isal_fault(engine, ret);
		return INFLATE_ERROR;
	}
	if (st->block_state == ISAL_BLOCK_FINISH)
		return INFLATE_END;
	return INFLATE_OK;
}

enum inflate_fault
inflate_engine_fault(const struct inflate_engine *engine)
{
	return engine->fault;
}

size_t
inflate_engine_buffered(const struct inflate_engine *engine)
{
	const struct inflate_state *st = &engine->state;

	/* ISA-L checks the CRC-32 after it has read the length after it,
	 * which takes no part in the fault. */
	if (engine->fault == INFLATE_FAULT_CRC)
		return GZIP_TRAILER_SIZE / 2;
	return (size_t)st->tmp_in_size + (size_t)st->read_in_length / 8;
}

void
inflate_engine_free(struct inflate_engine *engine)
{
	free(engine);
}
