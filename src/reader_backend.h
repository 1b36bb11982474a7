/* SPDX-License-Identifier: MIT */
/*
 * reader_backend.h - raw input and decoding back ends of the reader
 *
 * reader.c opens the raw input (a file descriptor or a memory stream),
 * peeks at its first READER_PEEK_SIZE bytes and picks the first back end
 * in reader_backends[] whose match() accepts them.  The back end decodes
 * the raw input into the reader's line buffer.  Back ends get the raw
 * bytes only through reader_input_read(), which returns the peeked bytes
 * first, so detection consumes nothing.
 *
 * A back end reports its own errors through diag, with the input name and,
 * for damaged data, the byte offset in the raw input.
 */
#ifndef BOUNCELOG_READER_BACKEND_H
#define BOUNCELOG_READER_BACKEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bytes examined to choose a back end; 2 covers the gzip magic 1f 8b. */
#define READER_PEEK_SIZE 2

/* The raw bytes of one input, before decoding. */
struct reader_input {
	const char *name;	   /* borrowed from the reader */
	int fd;			   /* -1 for a memory stream */
	const unsigned char *data; /* memory stream, borrowed */
	size_t data_len;
	size_t data_pos;
	unsigned char peek[READER_PEEK_SIZE];
	size_t peek_len; /* bytes peeked, fewer at the end of the input */
	size_t peek_pos; /* peeked bytes already returned */
	/* Bytes read from the descriptor or memory.  An inflating thread
	 * counts them while the parsing thread reads the count for its
	 * progress line. */
	_Atomic uint64_t raw_bytes;
	bool named;	    /* fd was opened from the path name */
	bool end_checked;   /* the end-of-file checks have run */
};

/*
 * Read up to size raw bytes into buf, retrying after EINTR.  Returns the
 * count (possibly short), 0 at the end of the input, or -1 after printing
 * "bouncelog: NAME: read failed at byte offset N: strerror; ...".  At the end of a regular file it checks
 * the file once: a file now shorter than the bytes read was truncated
 * while it was read, which is an error (-1), and a path that names
 * another file, or none, gets a warning that the file was rotated.
 */
ssize_t reader_input_read(struct reader_input *in, void *buf, size_t size)
    __attribute__((warn_unused_result));

struct reader_backend {
	/* Encoding name returned by reader_encoding(). */
	const char *name;

	/* True when the first len bytes of the input (len < READER_PEEK_SIZE
	 * only for a shorter input) are in this encoding. */
	bool (*match)(const unsigned char *head, size_t len);

	/* Allocate the decoding state.  in is borrowed and outlives it.
	 * Never returns NULL: running out of memory ends the program, and
	 * the first read() reports any other failure. */
	void *(*open)(struct reader_input *in);

	/* Decode up to size bytes (at most READER_BUF_SIZE) into buf.
	 * Returns the count, 0 at the end, or -1 after the error has been
	 * reported.  Bytes decoded before an error are returned first and
	 * the -1 comes on the next call.  Not called again after 0 or -1. */
	ssize_t (*read)(void *state, char *buf, size_t size);

	/* Free the state; accepts NULL. */
	void (*close)(void *state);
};

extern const struct reader_backend reader_plain_backend;
extern const struct reader_backend reader_gzip_backend;

#endif
