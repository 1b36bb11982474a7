/* SPDX-License-Identifier: MIT */
/*
 * inflate_engine.h - the inflate step of the gzip reader, with zlib or
 * ISA-L behind it
 *
 * One engine inflates one gzip member (RFC 1952) at a time: it parses
 * the header, inflates the deflate data and checks the CRC-32 and length
 * in the trailer.  reader_gzip.c frames the members, reads the input and
 * writes the diagnostics, so both engines share that code.  The build
 * links one engine: inflate_isal.c when meson found ISA-L (-Disal), else
 * inflate_zlib.c.
 *
 * An engine hands back every input byte after the trailer of a finished
 * member in next_in/avail_in, so the caller finds the next member or the
 * trailing garbage at its offset.  Before an error, how many bytes an
 * engine has read ahead differs between zlib and ISA-L, and so does the
 * byte offset that the caller reports for the damage.
 */
#ifndef BOUNCELOG_INFLATE_ENGINE_H
#define BOUNCELOG_INFLATE_ENGINE_H

#include <stddef.h>

/* The buffers of one inflate_engine_run() call, advanced by it. */
struct inflate_buffers {
	const unsigned char *next_in;
	size_t avail_in;  /* at most UINT32_MAX */
	unsigned char *next_out;
	size_t avail_out; /* at most UINT32_MAX */
};

enum inflate_result {
	INFLATE_OK,    /* progress, or more input or output space needed */
	INFLATE_END,   /* the member ended and its trailer matched */
	INFLATE_ERROR, /* damaged data: see inflate_engine_fault() */
};

struct inflate_engine;

/*
 * Allocate an engine ready for the first member.  Running out of memory
 * ends the program.  Returns NULL only when the library cannot be set up
 * (zlib's header and library differ), with the reason in *error.
 */
struct inflate_engine *inflate_engine_new(const char **error);

/* Prepare for the next member after INFLATE_END. */
void inflate_engine_reset(struct inflate_engine *engine);

/*
 * Inflate from io->next_in into io->next_out until one of them runs out
 * or the member ends.  INFLATE_OK with no input consumed and no output
 * written means that the engine needs more input after the unused bytes
 * before it can go on.  After INFLATE_ERROR, call only
 * inflate_engine_fault() and inflate_engine_free().
 */
enum inflate_result inflate_engine_run(struct inflate_engine *engine,
				       struct inflate_buffers *io);

/* Kinds of damage, named the same whichever engine found them. */
enum inflate_fault {
	INFLATE_FAULT_HEADER,	/* not a gzip header, or a header flag or
				 * header CRC-16 is wrong */
	INFLATE_FAULT_METHOD,	/* compression method other than deflate */
	INFLATE_FAULT_BLOCK,	/* block type, stored length or code table */
	INFLATE_FAULT_CODE,	/* a code or distance inside a block */
	INFLATE_FAULT_CRC,	/* trailer CRC-32 differs from the data's */
	INFLATE_FAULT_LENGTH,	/* trailer length differs from the data's */
	INFLATE_FAULT_OTHER,	/* any other library error */
};

/* The kind of damage behind the last INFLATE_ERROR. */
enum inflate_fault inflate_engine_fault(const struct inflate_engine *engine);

/* The translated reason for a fault, such as "CRC-32 mismatch". */
const char *inflate_fault_reason(enum inflate_fault fault);

/*
 * Whole input bytes that the engine has consumed but not yet decoded,
 * held in its bit buffer or in a buffer of its own, for placing damage:
 * the fault lies before them.  Always 0 for zlib, which hands back whole
 * bytes it read ahead.
 */
size_t inflate_engine_buffered(const struct inflate_engine *engine);

/* Free the engine; accepts NULL. */
void inflate_engine_free(struct inflate_engine *engine);

/* "zlib" or "isa-l": the engine this build links. */
extern const char inflate_engine_name[];

#endif
