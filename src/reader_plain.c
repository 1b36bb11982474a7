/* SPDX-License-Identifier: MIT */
/*
 * reader_plain.c - plain-text back end of the reader
 *
 * Passes the raw bytes through unchanged.  It matches every input, so it
 * must stay last in the back-end registry.  Read errors are reported by
 * reader_input_read().
 */
#include "reader_backend.h"

/* plain_match - accept any input, including an empty one */
static bool
plain_match(const unsigned char *head, size_t len)
{
	(void)head;
	(void)len;
	return true;
}

/* plain_open - the raw input is all the state needed */
static void *
plain_open(struct reader_input *in)
{
	return in;
}

static ssize_t
plain_read(void *state, char *buf, size_t size)
{
	return reader_input_read(state, buf, size);
}

/* plain_close - the input belongs to the reader */
static void
plain_close(void *state)
{
	(void)state;
}

const struct reader_backend reader_plain_backend = {
    .name = "plain",
    .match = plain_match,
    .open = plain_open,
    .read = plain_read,
    .close = plain_close,
};
