/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reader.c - fuzz target: the line reader on an in-memory log file
 *
 * The input is the content of a log file, plain or gzip.  The target
 * decodes it a second time on its own (zlib's inflate() driven member by
 * member, without the reader's buffers) and checks every line that
 * reader_next() returns against those bytes:
 *	- line numbers count up from 1, and each line starts where the
 *	  previous one ended;
 *	- len is full_len cut to READER_LINE_MAX, truncated is set exactly
 *	  when full_len is larger, and text[len] is NUL;
 *	- the text is the decoded bytes at the line's offset, and those
 *	  full_len bytes contain no LF;
 *	- a line ends at LF, at CR LF (the CR is removed) or at the end of
 *	  the data, and only the last line may end without LF;
 *	- the lines cover every decoded byte, so for a plain file the sum of
 *	  full_len plus the line ends is the file size;
 *	- the reader ends with READER_ERROR after an error diagnostic
 *	  exactly when the gzip data is truncated or damaged, and returns
 *	  READER_EOF after that.
 * With the ISA-L engine and damaged or cut data, a line that reaches past
 * the bytes zlib decoded is not compared with them (see check_line()),
 * and the last line may end inside zlib's bytes (see check_line_end()).
 * Decoded data above DECODED_MAX bytes is not kept; for such an input
 * only the checks that need no decoded bytes run.
 *
 * Decoded data that starts with a UTF-16 byte order mark (FF FE or FE FF)
 * is not read as text.  Every line is then empty and ends after a UTF-16
 * line feed, a code unit at an even offset, or at the end of the data, so
 * the lines still cover every byte; and the input ends with READER_ERROR
 * after an error diagnostic.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bouncelog/reader.h"
#include "bouncelog/xalloc.h"
#include "harness.h"

/* Maximum decoded bytes kept for the comparison. */
#define DECODED_MAX (64 * 1024 * 1024)

/* Minimum output room for one inflate() call of the independent
 * decoder.  The buffer at least doubles when it grows. */
#define DECODE_STEP (256 * 1024)

/* The independent decoder's result. */
struct decoded {
	unsigned char *data;
	size_t len;
	size_t cap;
	bool failed;	/* truncated or damaged gzip data */
	bool complete;	/* false when the output passed DECODED_MAX */
};

/* The position reached by the lines read so far. */
struct walk {
	const struct decoded *expect;	/* NULL when not complete */
	unsigned long number;		/* of the previous line */
	uint64_t offset;		/* where the next line starts */
	bool ended_at_end;		/* a line ended without LF */
	bool have_prev;
	uint64_t prev_offset;		/* used when expect is NULL */
	uint64_t prev_full_len;
	bool lenient;			/* damaged data, ISA-L engine */
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	return 0;
}

/* inflate_member - decode the member at in[*pos]; false when it fails */
static bool
inflate_member(z_stream *zs, const uint8_t *in, size_t size, size_t *pos,
	       struct decoded *out)
{
	int ret;

	zs->next_in = (Bytef *)(in + *pos);
	zs->avail_in = (uInt)(size - *pos);
	do {
		if (out->len >= DECODED_MAX) {
			out->complete = false;
			return false;
		}
		if (out->cap - out->len < DECODE_STEP) {
			out->cap = out->len + DECODE_STEP > 2 * out->cap
					   ? out->len + DECODE_STEP
					   : 2 * out->cap;
			out->data = xrealloc(out->data, out->cap);
		}
		zs->next_out = out->data + out->len;
		zs->avail_out = (uInt)(out->cap - out->len);
		ret = inflate(zs, Z_NO_FLUSH);
		out->len = out->cap - zs->avail_out;
	} while (ret == Z_OK);

	/* Z_BUF_ERROR here means the input ended inside the member. */
	if (ret != Z_STREAM_END) {
		out->failed = true;
		return false;
	}
	*pos = size - zs->avail_in;
	return true;
}

/*
 * decode_gzip - decode gzip members while the data goes on with the
 * magic bytes 1f 8b; any other bytes after a member are ignored
 */
static void
decode_gzip(const uint8_t *in, size_t size, struct decoded *out)
{
	z_stream zs;
	size_t pos = 0;

	memset(&zs, 0, sizeof zs);
	FUZZ_CHECK(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK,
		   "inflateInit2 failed");
	while (inflate_member(&zs, in, size, &pos, out)) {
		if (size - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b)
			break;
		inflateReset(&zs);
	}
	inflateEnd(&zs);
}

/* check_line_end - the bytes after a line; returns the bytes consumed */
static uint64_t
check_line_end(struct walk *w, const struct reader_line *line)
{
	const unsigned char *d = w->expect->data;
	size_t dlen = w->expect->len;
	uint64_t end = line->offset + line->full_len;

	if (end == dlen) {
		FUZZ_CHECK(line->full_len > 0,
			   "line %lu: empty line at the end of the data",
			   line->number);
		w->ended_at_end = true;
		return line->full_len;
	}
	/* ISA-L may stop a few bytes short of zlib on damaged or cut data,
	 * so its last line can end anywhere inside zlib's bytes, even
	 * between CR and LF. */
	if (w->lenient &&
	    !(d[end] == '\n' && (line->full_len == 0 || d[end - 1] != '\r')) &&
	    !(d[end] == '\r' && end + 1 < dlen && d[end + 1] == '\n')) {
		w->ended_at_end = true;
		return line->full_len;
	}
	if (d[end] == '\n') {
		FUZZ_CHECK(line->full_len == 0 || d[end - 1] != '\r',
			   "line %lu: CR before LF kept in the line",
			   line->number);
		return line->full_len + 1;
	}
	FUZZ_CHECK(d[end] == '\r' && end + 1 < dlen && d[end + 1] == '\n',
		   "line %lu: ends at byte 0x%02x, not at LF, CR LF or the "
		   "end of the data",
		   line->number, d[end]);
	return line->full_len + 2;
}

/* check_line_bytes - compare a line with the decoded bytes */
static void
check_line_bytes(struct walk *w, const struct reader_line *line)
{
	const unsigned char *d = w->expect->data;
	size_t dlen = w->expect->len;

	FUZZ_CHECK(line->offset <= dlen && line->full_len <= dlen - line->offset,
		   "line %lu: offset %llu + full_len %llu past the %zu "
		   "decoded bytes",
		   line->number, (unsigned long long)line->offset,
		   (unsigned long long)line->full_len, dlen);
	FUZZ_CHECK(memcmp(line->text, d + line->offset, line->len) == 0,
		   "line %lu: text differs from the decoded bytes at offset "
		   "%llu",
		   line->number, (unsigned long long)line->offset);
	FUZZ_CHECK(memchr(d + line->offset, '\n', line->full_len) == NULL,
		   "line %lu: the line's %llu bytes contain LF", line->number,
		   (unsigned long long)line->full_len);
	w->offset += check_line_end(w, line);
}

/* check_line - the checks that need no decoded bytes, then the others */
static void
check_line(struct walk *w, const struct reader_line *line)
{
	uint64_t want_len = line->full_len > READER_LINE_MAX ? READER_LINE_MAX
							     : line->full_len;

	FUZZ_CHECK(!w->ended_at_end, "line %lu after the last line",
		   line->number);
	FUZZ_CHECK(line->number == w->number + 1,
		   "line number %lu after line %lu", line->number, w->number);
	FUZZ_CHECK(line->len == want_len,
		   "line %lu: len %zu, want %llu (full_len %llu)",
		   line->number, line->len, (unsigned long long)want_len,
		   (unsigned long long)line->full_len);
	FUZZ_CHECK(line->truncated == (line->full_len > READER_LINE_MAX),
		   "line %lu: truncated is %d for full_len %llu", line->number,
		   line->truncated, (unsigned long long)line->full_len);
	FUZZ_CHECK(line->text[line->len] == '\0',
		   "line %lu: no NUL after the text", line->number);

	/*
	 * Without decoded bytes: the previous line ended at LF or CR LF.
	 * Not with ISA-L on damaged data: it may decode a header that zlib
	 * rejects into bytes that start with a UTF-16 byte order mark, and
	 * UTF-16 lines advance by other steps.
	 */
	if (w->have_prev && !w->lenient) {
		uint64_t step = line->offset - w->prev_offset;

		FUZZ_CHECK(line->offset > w->prev_offset &&
				   (step == w->prev_full_len + 1 ||
				    step == w->prev_full_len + 2),
			   "line %lu: offset %llu does not follow line %lu at "
			   "offset %llu with full_len %llu",
			   line->number, (unsigned long long)line->offset,
			   w->number, (unsigned long long)w->prev_offset,
			   (unsigned long long)w->prev_full_len);
	}
	w->have_prev = true;
	w->prev_offset = line->offset;
	w->prev_full_len = line->full_len;
	w->number = line->number;

	/*
	 * ISA-L reports a distance too far back only after it has written
	 * the copy, so on damaged data its lines may run past zlib's bytes.
	 * Those lines get only the checks above.
	 */
	if (w->lenient && w->expect != NULL &&
	    line->offset + line->full_len >= w->expect->len)
		w->expect = NULL;

	if (w->expect != NULL) {
		FUZZ_CHECK(line->offset == w->offset,
			   "line %lu: offset %llu, want %llu", line->number,
			   (unsigned long long)line->offset,
			   (unsigned long long)w->offset);
		check_line_bytes(w, line);
	}
}

/* check_end - the result after the last line */
static void
check_end(const struct walk *w, struct reader *r, enum reader_result rc,
	  const struct decoded *want, unsigned long errors_before)
{
	struct reader_line line;
	bool errors = fuzz_diag_errors() > errors_before;

	FUZZ_CHECK(rc == READER_EOF || rc == READER_ERROR,
		   "reader_next returned %d", (int)rc);
	FUZZ_CHECK(reader_next(r, &line) == READER_EOF,
		   "reader_next after the end did not return READER_EOF");
	FUZZ_CHECK((rc == READER_ERROR) == reader_failed(r),
		   "reader_failed() is %d after result %d", reader_failed(r),
		   (int)rc);
	FUZZ_CHECK((rc == READER_ERROR) == errors,
		   "result %d, but error diagnostics: %d (last: %s)", (int)rc,
		   errors, fuzz_diag_last());
	if (w->lenient) {
		FUZZ_CHECK(rc == READER_ERROR,
			   "damaged gzip data read without an error");
		return;
	}
	if (w->expect == NULL)
		return;

	FUZZ_CHECK((rc == READER_ERROR) == want->failed,
		   "reader result %d, independent decoder failed: %d", (int)rc,
		   want->failed);
	FUZZ_CHECK(w->offset == want->len,
		   "lines cover %llu bytes of %zu decoded bytes",
		   (unsigned long long)w->offset, want->len);
}

/* utf16_order - 1 for little-endian, 2 for big-endian UTF-16, else 0 */
static int
utf16_order(const unsigned char *d, size_t len)
{
	if (len >= 2 && d[0] == 0xff && d[1] == 0xfe)
		return 1;
	if (len >= 2 && d[0] == 0xfe && d[1] == 0xff)
		return 2;
	return 0;
}

/* utf16_line_end - offset after the UTF-16 line that starts at pos */
static size_t
utf16_line_end(const unsigned char *d, size_t len, size_t pos, int order)
{
	for (size_t i = pos; i + 2 <= len; i += 2) {
		bool lf = order == 1 ? d[i] == '\n' && d[i + 1] == 0
				     : d[i] == 0 && d[i + 1] == '\n';

		if (lf)
			return i + 2;
	}
	return len;
}

/* check_utf16 - the lines of a UTF-16 input: all empty, each ending at a
 * UTF-16 line feed or at the end, then READER_ERROR */
static void
check_utf16(struct reader *r, const struct decoded *want, int order,
	    unsigned long errors_before)
{
	struct reader_line line;
	enum reader_result rc;
	unsigned long number = 0;
	size_t pos = 0;

	/* Damaged or partly kept gzip data gives no exact line ends. */
	bool exact = want->complete && !want->failed;

	while ((rc = reader_next(r, &line)) == READER_LINE) {
		FUZZ_CHECK(line.number == ++number,
			   "UTF-16 line number %lu, want %lu", line.number,
			   number);
		FUZZ_CHECK(line.len == 0 && line.full_len == 0 &&
				   line.text[0] == '\0',
			   "UTF-16 line %lu is not empty", line.number);
		if (!exact)
			continue;
		FUZZ_CHECK(pos < want->len, "UTF-16 line %lu after the end",
			   line.number);
		FUZZ_CHECK(line.offset == pos,
			   "UTF-16 line %lu: offset %llu, want %zu", line.number,
			   (unsigned long long)line.offset, pos);
		pos = utf16_line_end(want->data, want->len, pos, order);
	}
	FUZZ_CHECK(!exact || pos == want->len,
		   "UTF-16 lines cover %zu of %zu bytes", pos, want->len);
	FUZZ_CHECK(rc == READER_ERROR, "UTF-16 input ended with %d", (int)rc);
	FUZZ_CHECK(fuzz_diag_errors() > errors_before,
		   "UTF-16 input without an error diagnostic");
	FUZZ_CHECK(reader_next(r, &line) == READER_EOF,
		   "reader_next after the end did not return READER_EOF");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	struct decoded want = {NULL, 0, 0, false, true};
	struct walk w;
	struct reader *r;
	struct reader_line line;
	enum reader_result rc;
	unsigned long errors_before = fuzz_diag_errors();
	int order;

	if (gzip) {
		decode_gzip(data, size, &want);
	} else {
		want.data = (unsigned char *)data;
		want.len = size;
	}
	memset(&w, 0, sizeof w);
	w.expect = want.complete ? &want : NULL;
	w.lenient = want.complete && want.failed &&
		    strcmp(reader_inflate_engine(), "isa-l") == 0;

	r = reader_open_memory(data, size, "fuzz-input");
	order = utf16_order(want.data, want.len);
	if (order != 0) {
		check_utf16(r, &want, order, errors_before);
		reader_close(r);
		if (gzip)
			free(want.data);
		return 0;
	}
	while ((rc = reader_next(r, &line)) == READER_LINE)
		check_line(&w, &line);
	FUZZ_CHECK(strcmp(reader_encoding(r), gzip ? "gzip" : "plain") == 0,
		   "encoding %s for an input that starts %s gzip magic",
		   reader_encoding(r), gzip ? "with" : "without");
	check_end(&w, r, rc, &want, errors_before);

	reader_close(r);
	if (gzip)
		free(want.data);
	return 0;
}
