/* SPDX-License-Identifier: MIT */
/*
 * reader.c - split a plain or gzip input into lines
 *
 * The reader owns the raw input, the decoding back end and one line buffer
 * of READER_BUF_CAP bytes.  The back end decodes straight into the buffer
 * and reader_next() returns lines that point into it, so a line is copied
 * only when a refill moves the unfinished line to the front of the buffer.
 * Diagnostics for open and read errors are printed here; back ends print
 * their own decoding errors.
 *
 * Logs are read as bytes, which suits ASCII and UTF-8.  A decoded stream
 * that starts with a UTF-16 byte order mark (FF FE or FE FF), as Windows
 * tools may write an Exchange log, is reported once as unsupported.  Its
 * lines are then counted, at each UTF-16 line feed, and returned empty,
 * so that nothing of them is classified, and the input ends with
 * READER_ERROR.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/reader.h"
#include "bouncelog/xalloc.h"
#include "reader_backend.h"

/*
 * Line buffer size.  In normal mode the unfinished line (at most
 * READER_LINE_MAX bytes, or the reader switches to skip mode) plus one
 * read of READER_BUF_SIZE bytes plus a NUL must fit.  In skip mode the
 * buffer contains the kept prefix in [0, READER_LINE_MAX), room for its
 * NUL and a scratch area of READER_BUF_SIZE bytes at READER_SKIP_START.
 */
#define READER_BUF_CAP (READER_LINE_MAX + READER_BUF_SIZE + 2)
#define READER_SKIP_START (READER_LINE_MAX + 1)

/* The text encoding of the decoded stream, known from its first bytes. */
enum reader_text {
	TEXT_UNCHECKED, /* fewer than 2 bytes decoded yet */
	TEXT_BYTES,	/* ASCII, UTF-8 or anything else read as bytes */
	TEXT_UTF16LE,	/* UTF-16 with the byte order mark FF FE */
	TEXT_UTF16BE,	/* UTF-16 with the byte order mark FE FF */
};

/* Back ends in the order they are tried.  Plain matches every input, so
 * it comes last. */
static const struct reader_backend *const reader_backends[] = {
    &reader_gzip_backend,
    &reader_plain_backend,
    NULL,
};

struct reader {
	char *name;
	struct reader_input input;
	bool close_fd; /* false for standard input */
	time_t mtime;
	const struct reader_backend *backend; /* NULL before the first read */
	void *backend_state;

	/* Decoded bytes not yet returned are [start, end).  The bytes in
	 * [start, scan) are known to contain no LF. */
	char *buf;
	size_t start;
	size_t scan;
	size_t end;
	uint64_t offset;      /* stream offset of buf[start] */
	unsigned long number; /* number of the last line returned */

	/* Skip mode: inside a line longer than READER_LINE_MAX. */
	bool skipping;
	uint64_t skip_len; /* bytes of the line seen, LF excluded */
	char skip_last;	   /* the last of those bytes */

	/* UTF-16 or UTF-32 input, whose lines are counted and returned
	 * empty. */
	enum reader_text text;
	size_t unit_size;	   /* of a code unit: 2, or 4 for UTF-32 */
	uint64_t utf16_line_bytes; /* bytes of the line before buf[start] */
	char empty[1];		   /* the text of every UTF-16 line */

	bool input_ended; /* the back end returned 0 or -1 */
	bool failed;	  /* an error has been reported */
	bool finished;	  /* READER_EOF or READER_ERROR returned */
};

/* reader_new - allocate a reader for an open descriptor or memory stream */
static struct reader *
reader_new(const char *name, int fd, const void *data, size_t len)
{
	struct reader *r = xcalloc(1, sizeof *r);

	r->name = xstrdup(name);
	r->input.name = r->name;
	r->input.fd = fd;
	r->input.data = data;
	r->input.data_len = len;
	r->mtime = (time_t)-1;
	r->buf = xmalloc(READER_BUF_CAP);
	return r;
}

/* reader_open_failed - report why path could not be opened */
static void
reader_open_failed(const char *path, int err)
{
	if (err == EACCES || err == EPERM)
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("%s; run bouncelog as a user who may read the "
			    "file, such as a member of its group"),
			  strerror(err));
	else
		diag_emit(DIAG_ERROR, path, 0, 0, "%s", strerror(err));
}

/* Set by reader_stdin_closed(). */
static bool stdin_closed;

void
reader_stdin_closed(void)
{
	stdin_closed = true;
}

struct reader *
reader_open(const char *path)
{
	struct reader *r;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0 && stdin_closed) {
		reader_open_failed(path, EBADF);
		return NULL;
	}
	if (strcmp(path, "-") == 0)
		return reader_new(path, STDIN_FILENO, NULL, 0);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		reader_open_failed(path, errno);
		return NULL;
	}

	/* A directory opens, but read() fails on it with a bare EISDIR. */
	if (fstat(fd, &st) != 0)
		st.st_mode = 0;
	if (S_ISDIR(st.st_mode)) {
		size_t len = strlen(path);

		while (len > 1 && path[len - 1] == '/')
			len--;
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("is a directory, not a log file; name the files "
			    "in it instead, such as %.*s/*.log"),
			  (int)len, path);
		close(fd);
		return NULL;
	}

	r = reader_new(path, fd, NULL, 0);
	r->close_fd = true;
	r->input.named = true;
	if (S_ISREG(st.st_mode)) {
		r->mtime = st.st_mtime;
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	return r;
}

struct reader *
reader_open_memory(const void *data, size_t len, const char *name)
{
	return reader_new(name, -1, data, len);
}

/*
 * reader_input_check_end - check a regular file when read() first
 * returns 0 for it: -1 after reporting that it was truncated while it was
 * read, else 0, with a warning when its path now names another file
 */
static int
reader_input_check_end(struct reader_input *in)
{
	struct stat now, named;
	off_t pos;

	if (in->end_checked)
		return 0;
	in->end_checked = true;
	if (fstat(in->fd, &now) != 0 || !S_ISREG(now.st_mode))
		return 0;

	/* copytruncate rotation, or a file cut by hand.  The lines before
	 * pos were read; whatever the file held after pos is lost here. */
	pos = lseek(in->fd, 0, SEEK_CUR);
	if (pos > now.st_size) {
		diag_emit(DIAG_ERROR, in->name, 0, 0,
			  _("the file was truncated to %jd bytes while it was "
			    "read, at byte offset %jd; the lines before that "
			    "offset were read, later lines were not; run "
			    "bouncelog again when the log is not being "
			    "rotated"),
			  (intmax_t)now.st_size, (intmax_t)pos);
		return -1;
	}

	/* Rotation by renaming: the old file was read to its end, but the
	 * path now names a new file, which this run did not read. */
	if (!in->named)
		return 0;
	if (stat(in->name, &named) != 0)
		diag_emit(DIAG_WARNING, in->name, 0, 0,
			  _("the file was renamed or removed while it was "
			    "read; it was read to its end, at byte offset %jd"),
			  (intmax_t)pos);
	else if (named.st_dev != now.st_dev || named.st_ino != now.st_ino)
		diag_emit(DIAG_WARNING, in->name, 0, 0,
			  _("the file was replaced while it was read, as log "
			    "rotation does; the old file was read to its end, "
			    "at byte offset %jd, and the new one was not; run "
			    "bouncelog again to include it"),
			  (intmax_t)pos);
	return 0;
}

/* reader_input_read_raw - read from the descriptor or memory, no peek */
static ssize_t
reader_input_read_raw(struct reader_input *in, void *buf, size_t size)
{
	ssize_t n;

	if (in->fd < 0) {
		size_t left = in->data_len - in->data_pos;

		if (size > left)
			size = left;
		if (size > 0)
			memcpy(buf, in->data + in->data_pos, size);
		in->data_pos += size;
		in->raw_bytes += size;
		return (ssize_t)size;
	}

	do {
		n = read(in->fd, buf, size);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		diag_emit(DIAG_ERROR, in->name, 0, 0,
			  _("read failed at byte offset %" PRIu64 ": %s; the "
			    "lines before it were read, the rest of the input "
			    "was skipped"),
			  in->raw_bytes, strerror(errno));
	else if (n == 0)
		return reader_input_check_end(in);
	else
		in->raw_bytes += (uint64_t)n;
	return n;
}

ssize_t
reader_input_read(struct reader_input *in, void *buf, size_t size)
{
	size_t left = in->peek_len - in->peek_pos;

	if (left == 0)
		return reader_input_read_raw(in, buf, size);

	if (size > left)
		size = left;
	memcpy(buf, in->peek + in->peek_pos, size);
	in->peek_pos += size;
	return (ssize_t)size;
}

/*
 * reader_start - peek at the first bytes and open the matching back end
 *
 * A read error here selects the plain back end and ends the input, so
 * that reader_next() returns a byte peeked before the error as a line and
 * then READER_ERROR.
 */
static void
reader_start(struct reader *r)
{
	struct reader_input *in = &r->input;
	const struct reader_backend *const *b;
	ssize_t n;

	while (in->peek_len < READER_PEEK_SIZE) {
		n = reader_input_read_raw(in, in->peek + in->peek_len,
					  READER_PEEK_SIZE - in->peek_len);
		if (n < 0) {
			r->failed = true;
			r->input_ended = true;
		}
		if (n <= 0)
			break;
		in->peek_len += (size_t)n;
	}

	for (b = reader_backends; !(*b)->match(in->peek, in->peek_len); b++)
		continue;
	r->backend = *b;
	r->backend_state = r->backend->open(in);

	if (r->input_ended) {
		memcpy(r->buf, in->peek, in->peek_len);
		r->end = in->peek_len;
		in->peek_pos = in->peek_len;
	}
}

/*
 * reader_fill - read more decoded bytes
 *
 * In normal mode the unfinished line moves to the front of the buffer
 * first.  In skip mode the scratch area is reused, because the bytes in it
 * have been counted and are not kept.
 */
static void
reader_fill(struct reader *r)
{
	size_t room;
	ssize_t n;

	if (r->skipping) {
		r->scan = r->end = READER_SKIP_START;
	} else if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}

	room = READER_BUF_CAP - 1 - r->end;
	if (room > READER_BUF_SIZE)
		room = READER_BUF_SIZE;

	n = r->backend->read(r->backend_state, r->buf + r->end, room);
	if (n > 0) {
		r->end += (size_t)n;
		return;
	}
	r->input_ended = true;
	if (n < 0)
		r->failed = true;
}

/* reader_set_line - fill in *line and step over the consumed bytes */
static void
reader_set_line(struct reader *r, struct reader_line *line, char *text,
		uint64_t full_len, uint64_t consumed)
{
	size_t len =
	    full_len > READER_LINE_MAX ? READER_LINE_MAX : (size_t)full_len;

	text[len] = '\0';
	line->text = text;
	line->len = len;
	line->full_len = full_len;
	line->truncated = full_len > READER_LINE_MAX;
	line->number = ++r->number;
	line->offset = r->offset;
	r->offset += consumed;
}

/*
 * reader_emit - return the raw_len bytes at start as a line and step over
 * them and over the LF that follows when has_lf is set
 *
 * The whole line is in the buffer, so a line longer than READER_LINE_MAX
 * is cut here without skip mode.
 */
static enum reader_result
reader_emit(struct reader *r, struct reader_line *line, size_t raw_len,
	    bool has_lf)
{
	char *text = r->buf + r->start;
	size_t full_len = raw_len;

	if (has_lf && full_len > 0 && text[full_len - 1] == '\r')
		full_len--;

	reader_set_line(r, line, text, full_len, raw_len + has_lf);
	r->start += raw_len + has_lf;
	r->scan = r->start;
	return READER_LINE;
}

/*
 * reader_skip_begin - keep the first READER_LINE_MAX bytes of the line at
 * start and count the rest, which is dropped
 */
static void
reader_skip_begin(struct reader *r)
{
	r->skip_len = r->end - r->start;
	r->skip_last = r->buf[r->end - 1];
	memmove(r->buf, r->buf + r->start, READER_LINE_MAX);
	r->start = 0;
	r->scan = r->end = READER_SKIP_START;
	r->skipping = true;
}

/*
 * reader_skip_scan - count the scratch bytes of the line being skipped
 *
 * Returns true with *line set when the line ended at an LF or at the end
 * of the input.
 */
static bool
reader_skip_scan(struct reader *r, struct reader_line *line)
{
	char *from = r->buf + r->scan;
	char *lf = memchr(from, '\n', r->end - r->scan);
	size_t count = lf != NULL ? (size_t)(lf - from) : r->end - r->scan;
	uint64_t full_len;

	if (count > 0) {
		r->skip_len += count;
		r->skip_last = from[count - 1];
	}
	r->scan += count;
	if (lf == NULL && !r->input_ended)
		return false;

	full_len = r->skip_len;
	if (lf != NULL && r->skip_last == '\r')
		full_len--;

	/* The kept prefix starts at buf[0], and its NUL goes into the byte
	 * reserved at READER_LINE_MAX. */
	reader_set_line(r, line, r->buf, full_len, r->skip_len + (lf != NULL));
	r->start = r->scan + (lf != NULL);
	r->scan = r->start;
	r->skipping = false;
	return true;
}

/* reader_finish - return the last line without LF, then the end result */
static enum reader_result
reader_finish(struct reader *r, struct reader_line *line)
{
	if (r->end > r->start)
		return reader_emit(r, line, r->end - r->start, false);

	/* An empty log is valid (just rotated, or a quiet server), but a
	 * report of nothing from it should not look like a complete one.
	 * So is a gzip file of an empty log, which decodes to no byte. */
	if (r->input.fd >= 0 && r->number == 0 && r->offset == 0 &&
	    r->end == 0 && !r->failed)
		diag_emit(DIAG_WARNING, r->name, 0, 0,
			  _("the input is empty, so it adds nothing to the "
			    "report; check that it is the log you meant"));

	r->finished = true;
	return r->failed ? READER_ERROR : READER_EOF;
}

/*
 * reader_check_text - detect and report a UTF-16 or UTF-32 byte order
 * mark at the start of the decoded stream.  Returns false while fewer
 * than 4 bytes are known and more may come.
 *
 * The UTF-32 marks begin with those of UTF-16 (FF FE 00 00) or with two
 * NULs (00 00 FE FF), so they are tested first.  UTF-32 lines are
 * counted as UTF-16 lines are, by code units of 4 bytes.
 */
static bool
reader_check_text(struct reader *r)
{
	const unsigned char *head = (const unsigned char *)r->buf;
	bool utf32 = false;

	if (r->end < 4 && !r->input_ended)
		return false;
	r->text = TEXT_BYTES;
	if (r->end >= 4 && memcmp(head, "\xff\xfe\0\0", 4) == 0) {
		r->text = TEXT_UTF16LE;
		utf32 = true;
	} else if (r->end >= 4 && memcmp(head, "\0\0\xfe\xff", 4) == 0) {
		r->text = TEXT_UTF16BE;
		utf32 = true;
	} else if (r->end >= 2 && head[0] == 0xff && head[1] == 0xfe) {
		r->text = TEXT_UTF16LE;
	} else if (r->end >= 2 && head[0] == 0xfe && head[1] == 0xff) {
		r->text = TEXT_UTF16BE;
	}
	r->unit_size = utf32 ? 4 : 2;
	if (r->text == TEXT_BYTES)
		return true;
	diag_emit(DIAG_ERROR, r->name, 0, 0, "%s",
		  utf32 ? _("input in UTF-32 is not supported, so its lines "
			    "are not read; convert the file to UTF-8, for "
			    "example with iconv -f UTF-32 -t UTF-8")
			: _("input in UTF-16 is not supported, so its lines "
			    "are not read; convert the file to UTF-8, for "
			    "example with iconv -f UTF-16 -t UTF-8"));
	r->failed = true;
	return true;
}

/* reader_utf16_line - return the UTF-16 line that ends at scan, empty */
static enum reader_result
reader_utf16_line(struct reader *r, struct reader_line *line)
{
	uint64_t consumed = r->utf16_line_bytes + (r->scan - r->start);

	r->utf16_line_bytes = 0;
	r->start = r->scan;
	reader_set_line(r, line, r->empty, 0, consumed);
	return READER_LINE;
}

/* unit_is_lf - true when the code unit of size bytes at u is a line
 * feed, in little-endian order when le */
static bool
unit_is_lf(const unsigned char *u, size_t size, bool le)
{
	size_t at = le ? 0 : size - 1;

	for (size_t i = 0; i < size; i++)
		if (u[i] != (i == at ? '\n' : 0))
			return false;
	return true;
}

/*
 * reader_next_utf16 - count the next line of a UTF-16 or UTF-32 input
 *
 * The line's bytes are counted, not kept, so the buffer never contains
 * more than one read and the bytes of a code unit split between two
 * reads.
 */
static enum reader_result
reader_next_utf16(struct reader *r, struct reader_line *line)
{
	for (;;) {
		while (r->end - r->scan >= r->unit_size) {
			bool lf = unit_is_lf(
			    (const unsigned char *)r->buf + r->scan,
			    r->unit_size, r->text == TEXT_UTF16LE);

			r->scan += r->unit_size;
			if (lf)
				return reader_utf16_line(r, line);
		}

		/* The bytes of a last partial unit still belong to the last
		 * line. */
		if (r->input_ended) {
			r->scan = r->end;
			if (r->scan > r->start || r->utf16_line_bytes > 0)
				return reader_utf16_line(r, line);
			r->finished = true;
			return READER_ERROR;
		}

		r->utf16_line_bytes += r->scan - r->start;
		r->start = r->scan;
		reader_fill(r);
	}
}

enum reader_result
reader_next(struct reader *r, struct reader_line *line)
{
	char *lf;

	if (r->finished)
		return READER_EOF;
	if (r->backend == NULL)
		reader_start(r);

	for (;;) {
		if (r->text == TEXT_UNCHECKED && !reader_check_text(r)) {
			reader_fill(r);
			continue;
		}
		if (r->text != TEXT_BYTES)
			return reader_next_utf16(r, line);
		if (r->skipping) {
			if (reader_skip_scan(r, line))
				return READER_LINE;
			reader_fill(r);
			continue;
		}

		lf = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (lf != NULL)
			return reader_emit(
			    r, line, (size_t)(lf - (r->buf + r->start)), true);
		r->scan = r->end;

		/* A refill must leave room for READER_BUF_SIZE bytes. */
		if (r->end - r->start > READER_LINE_MAX && !r->input_ended)
			reader_skip_begin(r);
		else if (r->input_ended)
			return reader_finish(r, line);
		reader_fill(r);
	}
}

ssize_t
reader_read(struct reader *r, void *buf, size_t size)
{
	ssize_t n;

	if (r->finished)
		return 0;
	if (r->backend == NULL)
		reader_start(r);

	/* reader_start() leaves the bytes it peeked in the line buffer when
	 * the input ended while peeking. */
	if (r->end > r->start) {
		n = (ssize_t)(size < r->end - r->start ? size
						       : r->end - r->start);
		memcpy(buf, r->buf + r->start, (size_t)n);
		r->start += (size_t)n;
		return n;
	}
	if (!r->input_ended) {
		n = r->backend->read(r->backend_state, buf,
				     size < READER_BUF_SIZE ? size
							    : READER_BUF_SIZE);
		if (n > 0)
			return n;
		r->input_ended = true;
		r->failed = r->failed || n < 0;
	}
	r->finished = true;
	return r->failed ? -1 : 0;
}

const char *
reader_name(const struct reader *r)
{
	return r->name;
}

const char *
reader_encoding(const struct reader *r)
{
	return r->backend != NULL ? r->backend->name
				  : reader_plain_backend.name;
}

time_t
reader_mtime(const struct reader *r)
{
	return r->mtime;
}

uint64_t
reader_raw_bytes(const struct reader *r)
{
	return r->input.raw_bytes;
}

bool
reader_failed(const struct reader *r)
{
	return r->failed;
}

void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	if (r->backend != NULL)
		r->backend->close(r->backend_state);
	if (r->close_fd)
		(void)close(r->input.fd);
	free(r->buf);
	free(r->name);
	free(r);
}
