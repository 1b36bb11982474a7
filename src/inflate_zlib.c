/* SPDX-License-Identifier: MIT */
/*
 * inflate_zlib.c - the inflate engine on zlib's inflate()
 *
 * zlib parses the gzip header and checks the trailer itself (windowBits
 * 16 + MAX_WBITS).  It names a fault only in z_stream.msg, so the
 * engine maps those texts, as zlib 1.2.13 words them, to the faults
 * both engines share.
 */
#include <stdlib.h>
#include <string.h>

/* next_in of a const pointer, without a cast */
#define ZLIB_CONST
#include <zlib.h>

#include "bouncelog/xalloc.h"
#include "inflate_engine.h"

/* windowBits for inflateInit2(): the largest window, gzip wrapper only. */
#define ZLIB_GZIP_WINDOW_BITS (16 + MAX_WBITS)

const char inflate_engine_name[] = "zlib";

struct inflate_engine {
	z_stream stream;
	enum inflate_fault fault;
};

/* zlib's messages for damaged gzip data, and the fault each one is. */
static const struct {
	const char *message;
	enum inflate_fault fault;
} zlib_faults[] = {
    {"incorrect header check", INFLATE_FAULT_HEADER},
    {"unknown header flags set", INFLATE_FAULT_HEADER},
    {"header crc mismatch", INFLATE_FAULT_HEADER},
    {"invalid window size", INFLATE_FAULT_HEADER},
    {"unknown compression method", INFLATE_FAULT_METHOD},
    {"invalid block type", INFLATE_FAULT_BLOCK},
    {"invalid stored block lengths", INFLATE_FAULT_BLOCK},
    {"too many length or distance symbols", INFLATE_FAULT_BLOCK},
    {"invalid code lengths set", INFLATE_FAULT_BLOCK},
    {"invalid bit length repeat", INFLATE_FAULT_BLOCK},
    {"invalid code -- missing end-of-block", INFLATE_FAULT_BLOCK},
    {"invalid literal/lengths set", INFLATE_FAULT_BLOCK},
    {"invalid distances set", INFLATE_FAULT_BLOCK},
    {"invalid literal/length code", INFLATE_FAULT_CODE},
    {"invalid distance code", INFLATE_FAULT_CODE},
    {"invalid distance too far back", INFLATE_FAULT_CODE},
    {"incorrect data check", INFLATE_FAULT_CRC},
    {"incorrect length check", INFLATE_FAULT_LENGTH},
};

/* zlib's allocator, with the program's out-of-memory rule */
static voidpf
zlib_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return xreallocarray(NULL, items, size);
}

static void
zlib_free(voidpf opaque, voidpf ptr)
{
	(void)opaque;
	free(ptr);
}

struct inflate_engine *
inflate_engine_new(const char **error)
{
	struct inflate_engine *engine = xcalloc(1, sizeof *engine);
	int ret;

	engine->stream.zalloc = zlib_alloc;
	engine->stream.zfree = zlib_free;

	/* Fails only when the zlib header and library do not match. */
	ret = inflateInit2(&engine->stream, ZLIB_GZIP_WINDOW_BITS);
	if (ret != Z_OK) {
		*error = zError(ret);
		free(engine);
		return NULL;
	}
	return engine;
}

void
inflate_engine_reset(struct inflate_engine *engine)
{
	inflateReset(&engine->stream);
}

/* zlib_fault - the fault that zlib's message names */
static enum inflate_fault
zlib_fault(const char *message)
{
	if (message == NULL)
		return INFLATE_FAULT_OTHER;
	for (size_t i = 0; i < sizeof zlib_faults / sizeof zlib_faults[0]; i++)
		if (strcmp(message, zlib_faults[i].message) == 0)
			return zlib_faults[i].fault;
	return INFLATE_FAULT_OTHER;
}

enum inflate_result
inflate_engine_run(struct inflate_engine *engine, struct inflate_buffers *io)
{
	z_stream *zs = &engine->stream;
	int ret;

	zs->next_in = io->next_in;
	zs->avail_in = (uInt)io->avail_in;
	zs->next_out = io->next_out;
	zs->avail_out = (uInt)io->avail_out;

	ret = inflate(zs, Z_NO_FLUSH);

	io->next_in = zs->next_in;
	io->avail_in = zs->avail_in;
	io->next_out = zs->next_out;
	io->avail_out = zs->avail_out;

	/* Z_BUF_ERROR only means that no progress was possible. */
	if (ret == Z_STREAM_END)
		return INFLATE_END;
	if (ret == Z_OK || ret == Z_BUF_ERROR)
		return INFLATE_OK;
	engine->fault = zlib_fault(zs->msg);
	return INFLATE_ERROR;
}

enum inflate_fault
inflate_engine_fault(const struct inflate_engine *engine)
{
	return engine->fault;
}

size_t
inflate_engine_buffered(const struct inflate_engine *engine)
{
	(void)engine;
	return 0;
}

void
inflate_engine_free(struct inflate_engine *engine)
{
	if (engine == NULL)
		return;
	inflateEnd(&engine->stream);
	free(engine);
}
