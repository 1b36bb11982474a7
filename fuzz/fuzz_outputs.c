/* SPDX-License-Identifier: MIT */
/*
 * fuzz_outputs.c - fuzz target: CSV cells, Prometheus label values and
 * event records built from any bytes
 *
 * The input is any bytes.  The target checks:
 *	- csv_writer_text() writes one cell that csv_split() reads back as
 *	  exactly one field, equal to the input with each unsafe unit
 *	  (invalid UTF-8, C0 control, DEL, C1 control, bidirectional
 *	  control) replaced by U+FFFD,
 *	  after an apostrophe when the input starts with "=", "+", "-",
 *	  "@", tab or CR.  The cell is valid UTF-8 with no control byte, and
 *	  no field value starts a formula without the apostrophe.  In the
 *	  Excel dialect the cell is quoted exactly when it contains ";" or
 *	  a double quote or was guarded;
 *	- prom_label_value() writes a quoted value with no raw line feed
 *	  whose only escapes are \\, \" and \n, and that decodes to the
 *	  input with each unsafe unit other than LF replaced by U+FFFD;
 *	- an event record whose sender, recipient, hosts, queue id and text
 *	  are pieces of the input is one line of valid JSON with every field
 *	  of the schema, and one CSV record of as many cells
 *	  (output_checks.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/csv.h"
#include "bouncelog/csv_writer.h"
#include "bouncelog/events.h"
#include "bouncelog/prom.h"
#include "bouncelog/reason.h"
#include "harness.h"
#include "output_checks.h"

/* Fields of an event record, as doc/events-schema.md lists them. */
#define EVENT_FIELDS 24

/* The byte that splits the input into the parts of an event. */
#define PART_SEPARATOR '|'

static const char replacement[] = "\xef\xbf\xbd";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (reasons_init() != 0)
		fuzz_fail("the built-in reason table does not load");
	return 0;
}

/* unit_kept - input bytes of the unit at s and whether they are written
 * as they are (else as U+FFFD); lf_kept keeps a line feed */
static size_t
unit_kept(const unsigned char *s, size_t len, bool lf_kept, bool *kept)
{
	size_t n = fuzz_utf8_length(s, len);

	*kept = n > 0;
	if (n == 0)
		return 1;
	if (n == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		*kept = lf_kept && s[0] == '\n';
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		*kept = false;
	if (n > 1 && fuzz_is_bidi_control(s, n))
		*kept = false;
	return n;
}

/* expect_safe - the reference: s with unsafe units replaced */
static void
expect_safe(FILE *out, const unsigned char *s, size_t len, bool lf_kept)
{
	for (size_t i = 0; i < len;) {
		bool kept;
		size_t n = unit_kept(s + i, len - i, lf_kept, &kept);

		if (kept)
			fwrite(s + i, 1, n, out);
		else
			fputs(replacement, out);
		i += n;
	}
}

static bool
guarded(const unsigned char *s, size_t len)
{
	return len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
}

/* check_csv_cell - one cell in the RFC 4180 dialect */
static void
check_csv_cell(const unsigned char *s, size_t len)
{
	struct fuzz_memout out, want;
	struct csv_writer w;
	struct csv_record rec;
	char *buf;

	fuzz_memout_open(&out);
	csv_writer_begin(&w, out.fp, false);
	csv_writer_text(&w, (const char *)s, len);
	fuzz_memout_close(&out);

	fuzz_memout_open(&want);
	if (guarded(s, len))
		putc('\'', want.fp);
	expect_safe(want.fp, s, len, false);
	fuzz_memout_close(&want);

	fuzz_check_safe_text("CSV cell", out.buf, out.len, false);
	buf = malloc(out.len + 1);
	FUZZ_CHECK(buf != NULL, "out of memory");
	FUZZ_CHECK(csv_split(out.buf, out.len, buf, &rec) == CSV_OK,
		   "CSV cell does not parse");
	FUZZ_CHECK(rec.count == 1, "CSV cell reads as %zu fields", rec.count);
	FUZZ_CHECK(rec.fields[0].len == want.len &&
			   memcmp(rec.fields[0].ptr, want.buf, want.len) == 0,
		   "CSV cell reads back as %zu bytes that differ from the %zu "
		   "expected",
		   rec.fields[0].len, want.len);
	FUZZ_CHECK(rec.fields[0].len == 0 ||
			   !guarded((const unsigned char *)rec.fields[0].ptr,
				    rec.fields[0].len) ||
			   rec.fields[0].ptr[0] == '\'',
		   "CSV cell starts a formula");
	free(buf);
	free(out.buf);
	free(want.buf);
}

/* check_excel_cell - one cell in the Excel dialect, after its BOM */
static void
check_excel_cell(const unsigned char *s, size_t len)
{
	struct fuzz_memout out;
	struct csv_writer w;
	bool special = guarded(s, len) || memchr(s, ';', len) != NULL ||
		       memchr(s, '"', len) != NULL;
	const char *cell;
	size_t cell_len;

	fuzz_memout_open(&out);
	csv_writer_begin(&w, out.fp, true);
	csv_writer_text(&w, (const char *)s, len);
	fuzz_memout_close(&out);

	FUZZ_CHECK(out.len >= 3 && memcmp(out.buf, "\xef\xbb\xbf", 3) == 0,
		   "Excel CSV lacks its byte order mark");
	cell = out.buf + 3;
	cell_len = out.len - 3;
	fuzz_check_safe_text("Excel CSV cell", cell, cell_len, false);
	FUZZ_CHECK((cell_len > 0 && cell[0] == '"') == special,
		   "Excel CSV cell quoted: %d, want %d",
		   cell_len > 0 && cell[0] == '"', special);
	free(out.buf);
}

/* decode_label - undo the three escapes of a label value; fails on any
 * other escape or a raw line feed */
static void
decode_label(const char *s, size_t len, FILE *out)
{
	FUZZ_CHECK(len >= 2 && s[0] == '"' && s[len - 1] == '"',
		   "label value is not quoted");
	for (size_t i = 1; i < len - 1; i++) {
		FUZZ_CHECK(s[i] != '\n', "raw line feed in a label value");
		FUZZ_CHECK(s[i] != '"', "unescaped quote in a label value");
		if (s[i] != '\\') {
			putc(s[i], out);
			continue;
		}
		FUZZ_CHECK(i + 1 < len - 1 && strchr("\\\"n", s[i + 1]) &&
				   s[i + 1] != '\0',
			   "invalid escape in a label value");
		i++;
		putc(s[i] == 'n' ? '\n' : s[i], out);
	}
}

static void
check_label(const unsigned char *s, size_t len)
{
	struct fuzz_memout out, got, want;

	fuzz_memout_open(&out);
	prom_label_value(out.fp, (const char *)s, len);
	fuzz_memout_close(&out);

	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)out.buf, out.len),
		   "label value is not valid UTF-8");
	fuzz_memout_open(&got);
	decode_label(out.buf, out.len, got.fp);
	fuzz_memout_close(&got);
	fuzz_memout_open(&want);
	expect_safe(want.fp, s, len, true);
	fuzz_memout_close(&want);
	FUZZ_CHECK(got.len == want.len &&
			   memcmp(got.buf, want.buf, want.len) == 0,
		   "label value decodes to %zu bytes that differ from the %zu "
		   "expected",
		   got.len, want.len);
	free(out.buf);
	free(got.buf);
	free(want.buf);
}

/* next_part - the next piece of the input up to PART_SEPARATOR */
static struct span
next_part(const char **p, const char *end)
{
	const char *sep = memchr(*p, PART_SEPARATOR, (size_t)(end - *p));
	struct span s = span_make(*p, (size_t)((sep ? sep : end) - *p));

	*p = sep ? sep + 1 : end;
	return s;
}

/* build_failure - an event and failure made of pieces of the input */
static void
build_failure(const unsigned char *data, size_t size, struct event *ev,
	      struct tally_failure *f)
{
	const char *p = (const char *)data;
	const char *end = p + size;

	event_init(ev, size % 2 ? EVENT_REJECT : EVENT_DELIVERY);
	ev->status = STATUS_BOUNCED;
	ev->format = "postfix";
	ev->time.wall = (int64_t)(size * 7919);
	ev->time.usec = (int32_t)(size % 3 ? 0 : size % 1000000);
	ev->time.has_offset = size % 5 == 0;
	ev->queue_id = next_part(&p, end);
	ev->sender = next_part(&p, end);
	ev->recipient = next_part(&p, end);
	ev->remote_host = ev->client_host = next_part(&p, end);
	ev->remote_addr = ev->client_addr = next_part(&p, end);
	ev->log_host = next_part(&p, end);
	ev->stage = next_part(&p, end);
	ev->text = span_make(p, (size_t)(end - p));
	ev->reply_code = size % 7 ? 0 : 550;

	memset(f, 0, sizeof *f);
	f->outcome = ev->type == EVENT_REJECT ? TALLY_REJECTED : TALLY_BOUNCED;
	f->ev = ev;
	f->sender = ev->sender;
	f->recipient = ev->recipient;
	f->domain = event_domain(ev->recipient);
	f->reason = (enum reason)(size % REASON_COUNT);
	f->cls = 5;
}

static void
check_event_record(const unsigned char *data, size_t size, bool show)
{
	struct events_options opts = {show, {{0}}};
	struct fuzz_memout out;
	struct tally_failure f;
	struct csv_writer w;
	struct event ev;

	build_failure(data, size, &ev, &f);
	fuzz_memout_open(&out);
	events_write_json(out.fp, &f, &opts);
	fuzz_memout_close(&out);
	fuzz_check_event_json(out.buf, out.len, EVENT_FIELDS);
	free(out.buf);

	/* A header and a record: both have EVENT_FIELDS fields. */
	fuzz_memout_open(&out);
	csv_writer_begin(&w, out.fp, false);
	events_csv_header(&w);
	events_write_csv(&w, &f, &opts);
	fuzz_memout_close(&out);
	fuzz_check_csv_document("CSV event record", out.buf, out.len);
	FUZZ_CHECK(memchr(out.buf, ',', out.len) != NULL,
		   "CSV event header has no separator");
	free(out.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_csv_cell(data, size);
	check_excel_cell(data, size);
	check_label(data, size);
	check_event_record(data, size, false);
	check_event_record(data, size, true);
	return 0;
}
