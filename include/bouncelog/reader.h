/* SPDX-License-Identifier: MIT */
/*
 * reader.h - streaming line reader for plain and gzip logs
 *
 * A reader turns one input (a file, or "-" for standard input) into lines.
 * gzip is detected from the magic bytes 1f 8b, never from the file name;
 * concatenated gzip members (as "cat a.gz b.gz" produces) are read as one
 * stream.  Lines end at LF; a CR before the LF is removed; the last line
 * may lack its LF.  NUL bytes stay in the line and are counted in len.
 *
 * Memory is bounded by READER_BUF_SIZE plus the longest line kept, which
 * is at most READER_LINE_MAX bytes, plus about 100 KiB of inflate state
 * and compressed input for gzip.  The rest of a longer line is skipped (and
 * counted in full_len), so a huge line never merges with its neighbours
 * and is never lost from the line count.
 *
 * A stream that starts with a UTF-16 byte order mark (after gzip
 * decompression) gives one error.  Its lines are then counted at UTF-16
 * line feeds and returned empty, and the input ends with READER_ERROR.
 *
 * Errors (open or read failures, a damaged or truncated gzip stream, a
 * regular file that shrank below the bytes already read) are reported
 * through diag with the input name and the byte offset in the raw file,
 * and reader_next() then returns READER_ERROR once; the lines delivered
 * before the damage stay valid.  A file whose path names another file,
 * or none, when its end is reached (rotation while it was read) and an
 * empty file read from a descriptor get a warning and end with
 * READER_EOF.
 */
#ifndef BOUNCELOG_READER_H
#define BOUNCELOG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Bytes requested from the file or from zlib per read. */
#define READER_BUF_SIZE (256 * 1024)

/* Maximum length of a kept line; longer lines are cut to it. */
#define READER_LINE_MAX (1024 * 1024)

struct reader;

struct reader_line {
	const char *text;	 /* borrowed; valid until the next call; NUL at len */
	size_t len;		 /* bytes kept, without LF and CR */
	uint64_t full_len;	 /* length before cutting; > len when truncated */
	unsigned long number;	 /* 1-based line number */
	uint64_t offset;	 /* offset of the line in the decompressed stream */
	bool truncated;		 /* longer than READER_LINE_MAX */
};

enum reader_result {
	READER_ERROR = -1, /* diagnosed; later calls return READER_EOF */
	READER_EOF = 0,
	READER_LINE = 1,
};

/*
 * Open path ("-" is standard input, which is not closed).  A FIFO or
 * other stream is read as it comes.  On failure, or for a directory,
 * prints "bouncelog: PATH: " and the cause, with what to do when that is
 * known, and returns NULL.  The reader is owned by the caller and freed
 * with reader_close().
 */
struct reader *reader_open(const char *path);

/*
 * Note that standard input was closed when the program started, so that
 * "-" fails with EBADF although number 0 now refers to another file.
 */
void reader_stdin_closed(void);

/*
 * Open an in-memory stream of len bytes, shown under name in diagnostics.
 * data is borrowed and must outlive the reader.  Used by tests and fuzzers.
 */
struct reader *reader_open_memory(const void *data, size_t len,
				  const char *name);

/* Fetch the next line into *line; see enum reader_result. */
enum reader_result reader_next(struct reader *r, struct reader_line *line);

/*
 * Read up to size decoded bytes (gzip decompressed) into buf, for an
 * input that is not read as lines, such as a JSON summary.  Returns the
 * count, which may be short, 0 at the end, or -1 once after an error
 * that was reported as for reader_next(); later calls return 0.  A
 * reader is read either with reader_read() or with reader_next(), never
 * with both.
 */
ssize_t reader_read(struct reader *r, void *buf, size_t size);

/* The name given at open time, for diagnostics and reports. */
const char *reader_name(const struct reader *r);

/* "plain" or "gzip"; known once the first reader_next() call returned. */
const char *reader_encoding(const struct reader *r);

/* Modification time of a regular file, or (time_t)-1 for pipes, stdin
 * and memory streams. */
time_t reader_mtime(const struct reader *r);

/* Bytes read so far from the file, standard input or memory stream,
 * before decompression: for progress against the file's size. */
uint64_t reader_raw_bytes(const struct reader *r);

/* True when a read or decompression error has been reported. */
bool reader_failed(const struct reader *r);

/* Close and free r; accepts NULL. */
void reader_close(struct reader *r);

/*
 * With on, gzip inputs opened later are inflated by a thread of their
 * own, ahead of the lines being read; the lines and diagnostics are the
 * same either way.  Off by default.  Call it before starting threads
 * that open readers.
 */
void reader_set_threads(bool on);

/* Whether reader_set_threads() turned the inflating threads on. */
bool reader_uses_threads(void);

/*
 * The library that inflates gzip input in this build: "isa-l" when it
 * was built with ISA-L (meson option isal), else "zlib".  The byte
 * offsets of gzip damage can differ between the two, and ISA-L can
 * return some bytes of its own buffers before a distance too far back.
 */
const char *reader_inflate_engine(void);

#endif
