/* SPDX-License-Identifier: MIT */
/*
 * reader_gzip.c - gzip back end of the reader
 *
 * Inflates the gzip members (RFC 1952) of one input with an inflate
 * engine (zlib or ISA-L, see inflate_engine.h) straight into the reader's
 * buffer, and reads concatenated members as one stream.
 * When a member ends, the next two bytes decide what follows: 1f 8b starts
 * another member, and anything else (zero padding, junk) is read to the end
 * of the input, counted and reported in one warning.
 *
 * A member cut short, a damaged one and a failed CRC-32 or length check
 * are errors.  Their message names the byte offset in the compressed input
 * where the engine stopped, and the engine's reason.
 * The bytes inflated before the damage are still returned.
 *
 * Without a thread, read() inflates straight into the caller's buffer.
 * With reader_set_threads(true), a thread of its own inflates the next
 * blocks of READER_BUF_SIZE bytes while the reader's caller parses, so
 * the two overlap on two processors, and read() copies them out.  A block
 * carries the diagnostics made while it was inflated, and they are passed
 * on when the block is first read, so the output is the same whether a
 * thread inflates or not.
 *
 * Memory: the engine's state with its 32 KiB window (allocated through
 * xalloc, so exhaustion ends the program), GZIP_IN_SIZE bytes of input
 * and, with a thread, GZIP_BLOCKS blocks of READER_BUF_SIZE bytes.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/reader.h"
#include "bouncelog/workqueue.h"
#include "bouncelog/xalloc.h"
#include "inflate_engine.h"
#include "reader_backend.h"

/* Compressed bytes requested from the raw input per read. */
#define GZIP_IN_SIZE (64 * 1024)

/* Blocks in use with an inflating thread: one being read, the others
 * inflated ahead. */
#define GZIP_BLOCKS 4

/* A diagnostic made while a block was inflated. */
struct gzip_diag {
	enum diag_level level;
	char *line;	/* owned */
};

/* Inflated bytes, or the end of the data. */
struct gzip_block {
	char data[READER_BUF_SIZE];
	ssize_t result;		/* bytes in data, or 0 at the end, or -1
				 * after an error */
	size_t pos;		/* bytes of data already read */
	struct gzip_diag *diags;
	size_t ndiags;
	bool diags_passed;	/* passed on by the reading thread */
};

/* Whether gzip_open() starts an inflating thread. */
static bool use_threads;

enum gzip_phase {
	GZIP_MEMBER,  /* inside a member */
	GZIP_BETWEEN, /* a member ended, and the bytes after it are unread */
	GZIP_DONE,    /* end of the input */
	GZIP_FAILED,  /* an error has been reported */
};

struct gzip_state {
	struct reader_input *in;
	struct inflate_engine *engine; /* NULL when it failed to start */
	struct inflate_buffers io;	/* in_buf and the block being filled */
	bool need_input;	/* the engine made no progress on io */
	enum gzip_phase phase;
	uint64_t in_total; /* raw bytes read so far */
	unsigned char in_buf[GZIP_IN_SIZE];

	struct gzip_block *current;	/* being read, or NULL */
	struct gzip_block *blocks;	/* GZIP_BLOCKS, or NULL without thread */
	bool threaded;
	pthread_t thread;
	struct workqueue *empty;	/* blocks for the thread to fill */
	struct workqueue *full;		/* blocks for the reader */
};

/* gzip_match - look for the gzip magic bytes */
static bool
gzip_match(const unsigned char *head, size_t len)
{
	return len >= 2 && head[0] == 0x1f && head[1] == 0x8b;
}

static bool start_thread(struct gzip_state *gz);

static void *
gzip_open(struct reader_input *in)
{
	struct gzip_state *gz = xcalloc(1, sizeof *gz);
	const char *error = NULL;

	gz->in = in;
	gz->io.next_in = gz->in_buf;
	gz->phase = GZIP_MEMBER;

	gz->engine = inflate_engine_new(&error);
	if (gz->engine == NULL) {
		diag_emit(DIAG_ERROR, in->name, 0, 0,
			  _("%s initialization failed: %s"),
			  inflate_engine_name, error);
		gz->phase = GZIP_FAILED;
	}
	if (use_threads)
		(void)start_thread(gz);
	return gz;
}

/* gzip_position - offset in the raw input of the next unused byte */
static uint64_t
gzip_position(const struct gzip_state *gz)
{
	return gz->in_total - gz->io.avail_in;
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
	struct inflate_buffers *io = &gz->io;
	ssize_t n;

	if (io->avail_in > 0 && io->next_in != gz->in_buf)
		memmove(gz->in_buf, io->next_in, io->avail_in);
	io->next_in = gz->in_buf;

	n = reader_input_read(gz->in, gz->in_buf + io->avail_in,
			      GZIP_IN_SIZE - io->avail_in);
	if (n > 0) {
		io->avail_in += (size_t)n;
		gz->in_total += (uint64_t)n;
	}
	return n;
}

/* gzip_skip_garbage - read the non-gzip rest of the input and warn once */
static void
gzip_skip_garbage(struct gzip_state *gz)
{
	uint64_t start = gzip_position(gz);
	uint64_t count;
	ssize_t n;

	do {
		gz->io.avail_in = 0;
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
	struct inflate_buffers *io = &gz->io;
	ssize_t n = 0;

	/* Reads may be short, as on a pipe, so loop for both magic bytes. */
	while (io->avail_in < 2) {
		n = gzip_fill(gz);
		if (n <= 0)
			break;
	}
	if (n < 0) {
		gz->phase = GZIP_FAILED;
		return;
	}

	if (io->avail_in == 0) {
		gz->phase = GZIP_DONE;
	} else if (gzip_match(io->next_in, io->avail_in)) {
		inflate_engine_reset(gz->engine);
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
 * gzip_report_damage - the engine rejected the data
 *
 * The offset is where the engine stopped.  It may lie some bytes after
 * the damaged bit because an engine reads whole bytes ahead into its bit
 * buffer: zlib up to a few, ISA-L up to 8 and, near the end of its input,
 * a few hundred into a buffer of its own.  A changed bit that still
 * decodes is noticed later, at worst by the CRC-32 check at the end of
 * the member.
 */
static void
gzip_report_damage(struct gzip_state *gz)
{
	enum inflate_fault fault = inflate_engine_fault(gz->engine);
	uint64_t at = gzip_position(gz) - inflate_engine_buffered(gz->engine);

	/* A checksum that differs at the member's end means that data
	 * before it decoded without error but wrong, so lines read from it
	 * may be garbage. */
	if (fault == INFLATE_FAULT_CRC || fault == INFLATE_FAULT_LENGTH)
		diag_emit(DIAG_ERROR, gz->in->name, 0, 0,
			  _("invalid gzip data at byte offset %" PRIu64
			    " (%s); the lines before it were read, but the "
			    "damage lies earlier in the member and may have "
			    "garbled some of them; the rest of the file was "
			    "skipped, check it with gzip -t"),
			  at, inflate_fault_reason(fault));
	else
		diag_emit(DIAG_ERROR, gz->in->name, 0, 0,
			  _("invalid gzip data at byte offset %" PRIu64
			    " (%s); the lines before it were read, the rest "
			    "of the file was skipped"),
			  at, inflate_fault_reason(fault));
	gz->phase = GZIP_FAILED;
}

/* gzip_run - run the engine once and follow its result */
static void
gzip_run(struct gzip_state *gz)
{
	size_t avail_in = gz->io.avail_in;
	size_t avail_out = gz->io.avail_out;

	switch (inflate_engine_run(gz->engine, &gz->io)) {
	case INFLATE_END:
		gz->phase = GZIP_BETWEEN;
		break;
	case INFLATE_ERROR:
		gzip_report_damage(gz);
		break;
	case INFLATE_OK:
		gz->need_input = gz->io.avail_in == avail_in &&
				 gz->io.avail_out == avail_out;
		break;
	}
}

/* gzip_inflate_step - run the engine once, reading input first when it
 * is empty or the engine needs more */
static void
gzip_inflate_step(struct gzip_state *gz)
{
	struct inflate_buffers *io = &gz->io;
	ssize_t n;

	if (io->avail_in == 0 || gz->need_input) {
		gz->need_input = false;
		n = gzip_fill(gz);
		if (n < 0) {
			gz->phase = GZIP_FAILED;
			return;
		}
		/* At the end of the input, the engine may still hold decoded
		 * bytes that did not fit the last output buffer: drain them
		 * before calling the member truncated. */
		if (n == 0) {
			size_t before = io->avail_out;

			gzip_run(gz);
			if (gz->phase == GZIP_MEMBER && io->avail_out == before)
				gzip_report_truncated(gz);
			return;
		}
	}
	gzip_run(gz);
}

/* gzip_inflate - inflate up to size bytes into buf; the count, or 0 at
 * the end, or -1 after an error was reported */
static ssize_t
gzip_inflate(struct gzip_state *gz, char *buf, size_t size)
{
	struct inflate_buffers *io = &gz->io;
	size_t produced;

	io->next_out = (unsigned char *)buf;
	io->avail_out = size;

	/* Stop at the first output, so a later error cannot hide it. */
	while (io->avail_out == size) {
		if (gz->phase == GZIP_BETWEEN)
			gzip_next_member(gz);
		if (gz->phase == GZIP_DONE || gz->phase == GZIP_FAILED)
			break;
		gzip_inflate_step(gz);
	}

	produced = size - io->avail_out;
	if (produced > 0)
		return (ssize_t)produced;
	return gz->phase == GZIP_FAILED ? -1 : 0;
}

/* capture_diag - keep a diagnostic of the inflating thread in its block */
static void
capture_diag(enum diag_level level, const char *line, void *arg)
{
	struct gzip_block *b = arg;

	b->diags = xreallocarray(b->diags, b->ndiags + 1, sizeof *b->diags);
	b->diags[b->ndiags].level = level;
	b->diags[b->ndiags].line = xstrdup(line);
	b->ndiags++;
}

/* block_reset - an empty block, its diagnostics freed */
static void
block_reset(struct gzip_block *b)
{
	for (size_t i = 0; i < b->ndiags; i++)
		free(b->diags[i].line);
	free(b->diags);
	b->diags = NULL;
	b->ndiags = 0;
	b->diags_passed = false;
	b->result = 0;
	b->pos = 0;
}

/* fill_block - inflate the next block in the inflating thread, keeping
 * its diagnostics */
static void
fill_block(struct gzip_state *gz, struct gzip_block *b)
{
	block_reset(b);
	diag_capture_thread(capture_diag, b);
	b->result = gzip_inflate(gz, b->data, sizeof b->data);
	diag_capture_thread(NULL, NULL);
}

/* inflater - the thread body: fill blocks until the data ends or the
 * reader closes the queue of empty blocks */
static void *
inflater(void *arg)
{
	struct gzip_state *gz = arg;
	struct gzip_block *b;

	while ((b = workqueue_pop(gz->empty)) != NULL) {
		fill_block(gz, b);
		workqueue_push(gz->full, b);
		if (b->result <= 0)
			break;
	}
	return NULL;
}

const char *
reader_inflate_engine(void)
{
	return inflate_engine_name;
}

void
reader_set_threads(bool on)
{
	use_threads = on;
}

bool
reader_uses_threads(void)
{
	return use_threads;
}

/* start_thread - start the inflating thread; false when it cannot be
 * started, and the reader then inflates as it reads */
static bool
start_thread(struct gzip_state *gz)
{
	gz->blocks = xcalloc(GZIP_BLOCKS, sizeof *gz->blocks);
	gz->empty = workqueue_new(GZIP_BLOCKS);
	gz->full = workqueue_new(GZIP_BLOCKS);
	for (size_t i = 0; i < GZIP_BLOCKS; i++)
		workqueue_push(gz->empty, &gz->blocks[i]);
	gz->threaded = true;
	if (pthread_create(&gz->thread, NULL, inflater, gz) == 0)
		return true;

	gz->threaded = false;
	workqueue_free(gz->empty);
	workqueue_free(gz->full);
	gz->empty = gz->full = NULL;
	free(gz->blocks);
	gz->blocks = NULL;
	return false;
}

static ssize_t
gzip_read(void *state, char *buf, size_t size)
{
	struct gzip_state *gz = state;
	struct gzip_block *b;
	size_t n;

	/* Without a thread, the data is inflated straight into buf, and its
	 * diagnostics are written as they are made. */
	if (!gz->threaded)
		return gzip_inflate(gz, buf, size);

	if (gz->current == NULL)
		gz->current = workqueue_pop(gz->full);
	b = gz->current;

	/* The diagnostics come out where the block's data starts, as they
	 * did when the block was inflated. */
	if (!b->diags_passed) {
		for (size_t i = 0; i < b->ndiags; i++)
			diag_forward(b->diags[i].level, b->diags[i].line);
		b->diags_passed = true;
	}
	if (b->result <= 0)
		return b->result;

	n = (size_t)b->result - b->pos;
	if (n > size)
		n = size;
	memcpy(buf, b->data + b->pos, n);
	b->pos += n;
	if (b->pos == (size_t)b->result) {
		workqueue_push(gz->empty, b);
		gz->current = NULL;
	}
	return (ssize_t)n;
}

static void
gzip_close(void *state)
{
	struct gzip_state *gz = state;

	if (gz == NULL)
		return;
	if (gz->threaded) {
		/* A thread waiting for an empty block ends; one that has
		 * pushed its last block has ended already. */
		workqueue_close(gz->empty);
		pthread_join(gz->thread, NULL);
		workqueue_free(gz->empty);
		workqueue_free(gz->full);
	}
	for (size_t i = 0; gz->blocks != NULL && i < GZIP_BLOCKS; i++)
		block_reset(&gz->blocks[i]);
	free(gz->blocks);
	inflate_engine_free(gz->engine);
	free(gz);
}

const struct reader_backend reader_gzip_backend = {
    .name = "gzip",
    .match = gzip_match,
    .open = gzip_open,
    .read = gzip_read,
    .close = gzip_close,
};
