/* SPDX-License-Identifier: MIT */
/*
 * fuzz_extract_line.c - fuzz target: log lines through every log format
 *
 * The input is a log file of one or more lines.  The initializer opens
 * a router over every registered format with the built-in patterns, as
 * "--log-format=auto" does.  Each input is one new input of the router:
 * its lines are split as the reader splits them, classified and counted
 * the way src/run.c does it, tallied, and reported in JSON and text.
 * The target checks:
 *	- each result is a known one, and the format index is -1 only for
 *	  a line without a known header or of another program;
 *	- a line's time, when set, has microseconds and offset in range
 *	  and formats as a valid RFC 3339 stamp;
 *	- every span of an event that starts inside its line ends inside
 *	  it; a span wholly outside the line points into the extractor's
 *	  own storage (see event.h), and all its bytes are read so that
 *	  the sanitizers catch a dangling one; the reply lies inside the
 *	  text, reply_code is 0 or 200 to 599 and matches the start of the
 *	  reply, and each enhanced code is absent or valid;
 *	- the JSON report is valid JSON (RFC 8259, UTF-8, no duplicate
 *	  keys), its input counts are the ones counted here and satisfy
 *	  lines = recognized + unrecognized, each class's subjects add up
 *	  to its count, and the totals agree with the classes and domains;
 *	- the JSON report is read back as a summary for --merge, and so is
 *	  the report of what was read merged with the tally that wrote it;
 *	- the text report is valid UTF-8 without control bytes other than
 *	  LF;
 *	- the HTML report is valid UTF-8 without control bytes other than
 *	  LF, uses only the report's own elements, nested properly, and
 *	  only the references that html_escape() writes (fuzz/html.h);
 *	- the failures of the timeline, in buckets and untimed, add up to
 *	  the tally's failures, in at most TIMELINE_BUCKETS_MAX buckets;
 *	- the Prometheus report and one CSV table (chosen by the input's
 *	  size) pass the checks of output_checks.h, and every failure
 *	  counted is written as one valid JSON Lines event record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/events.h"
#include "bouncelog/report.h"
#include "bouncelog/route.h"
#include "bouncelog/summary.h"
#include "bouncelog/sysline.h"
#include "bouncelog/tally.h"
#include "bouncelog/xalloc.h"
#include "harness.h"
#include "html.h"
#include "json.h"
#include "tally_impl.h"
#include "output_checks.h"

/* Fields of an event record, as doc/events-schema.md lists them. */
#define EVENT_FIELDS 24

/* Year for stamps without one: the end of this year is the reference. */
#define REFERENCE_YEAR 2026

/* Room for any logtime_format() result. */
#define STAMP_SIZE 64

static struct router *router;
static const struct report_writer *json_writer;
static const struct report_writer *text_writer;
static const struct report_writer *html_writer;
static const struct report_writer *csv_writer;
static const struct report_writer *prometheus_writer;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	FUZZ_CHECK(codes_init() == 0, "codes_init failed: %s",
		   fuzz_diag_last());
	router = router_open("auto", NULL);
	FUZZ_CHECK(router != NULL, "router_open failed: %s", fuzz_diag_last());
	FUZZ_CHECK(router_format_count(router) <= INPUT_FORMATS_MAX,
		   "%zu formats, more than INPUT_FORMATS_MAX",
		   router_format_count(router));
	json_writer = report_writer_find("json");
	text_writer = report_writer_find("text");
	html_writer = report_writer_find("html");
	FUZZ_CHECK(json_writer != NULL && text_writer != NULL &&
			   html_writer != NULL,
		   "the json, text or html report writer is missing");
	csv_writer = report_writer_find("csv");
	prometheus_writer = report_writer_find("prometheus");
	FUZZ_CHECK(csv_writer != NULL && prometheus_writer != NULL,
		   "the csv or prometheus report writer is missing");
	return 0;
}

/* check_time - ranges, and a valid RFC 3339 stamp */
static void
check_time(const char *what, const struct logtime *t)
{
	char stamp[STAMP_SIZE];
	struct fuzz_stamp parsed;

	FUZZ_CHECK(t->usec >= 0 && t->usec <= 999999, "%s: usec %d", what,
		   (int)t->usec);
	FUZZ_CHECK(!t->has_offset || (t->offset_min >= -(23 * 60 + 59) &&
				      t->offset_min <= 23 * 60 + 59),
		   "%s: offset of %d minutes", what, (int)t->offset_min);
	logtime_format(t, stamp, sizeof stamp);
	FUZZ_CHECK(fuzz_parse_stamp(stamp, &parsed),
		   "%s: invalid RFC 3339 stamp \"%s\"", what, stamp);
}

/* check_enhanced - an enhanced code is absent or valid */
static void
check_enhanced(const char *what, const struct enh_status *st)
{
	if (st->cls == 0) {
		FUZZ_CHECK(st->subject == 0 && st->detail == 0,
			   "%s: absent code with subject %u, detail %u", what,
			   (unsigned)st->subject, (unsigned)st->detail);
		return;
	}
	FUZZ_CHECK(st->cls == 2 || st->cls == 4 || st->cls == 5,
		   "%s: class %u", what, (unsigned)st->cls);
	FUZZ_CHECK(st->subject <= 999 && st->detail <= 999,
		   "%s: %u.%u.%u above 999", what, (unsigned)st->cls,
		   (unsigned)st->subject, (unsigned)st->detail);
}

/* outside_line - s points wholly outside line[0..len) */
static bool
outside_line(struct span s, const char *line, size_t len)
{
	uintptr_t p = (uintptr_t)s.ptr;
	uintptr_t base = (uintptr_t)line;

	return s.ptr != NULL && (p < base || p > base + len);
}

/* read_span - read every byte of s, for the sanitizers to check */
static void
read_span(struct span s)
{
	volatile unsigned char sum = 0;

	for (size_t i = 0; i < s.len; i++)
		sum ^= (unsigned char)s.ptr[i];
	(void)sum;
}

/* check_event - an EXTRACT_EVENT result */
static void
check_event(const struct event *ev, const char *line, size_t len)
{
	const struct span spans[] = {
		ev->queue_id,	 ev->recipient,	  ev->orig_recipient,
		ev->sender,	 ev->remote_host, ev->remote_addr,
		ev->client_host, ev->client_addr, ev->stage,
		ev->text,	 ev->component,	  ev->reply,
	};
	static const char *const names[] = {
		"queue_id",    "recipient",   "orig_recipient",
		"sender",      "remote_host", "remote_addr",
		"client_host", "client_addr", "stage",
		"text",	       "component",   "reply",
	};

	FUZZ_CHECK(ev->type >= EVENT_DELIVERY &&
			   ev->type <= EVENT_NOTIFICATION,
		   "event type %d", (int)ev->type);
	FUZZ_CHECK(ev->type != EVENT_DELIVERY ||
			   (ev->status >= STATUS_SENT &&
			    ev->status <= STATUS_PROBE_FAIL),
		   "delivery status %d", (int)ev->status);
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		if (outside_line(spans[i], line, len))
			read_span(spans[i]);
		else
			fuzz_check_span(names[i], spans[i], line, len);
	}
	if (ev->reply.ptr != NULL && ev->text.ptr != NULL)
		fuzz_check_span("reply inside text", ev->reply, ev->text.ptr,
				ev->text.len);

	FUZZ_CHECK(ev->reply_code == 0 ||
			   (ev->reply_code >= 200 && ev->reply_code <= 599),
		   "reply_code %d", ev->reply_code);
	FUZZ_CHECK(ev->reply_code == 0 ||
			   (ev->reply.ptr != NULL &&
			    status_parse_reply(ev->reply.ptr, ev->reply.len) ==
				    ev->reply_code),
		   "reply_code %d does not start the reply", ev->reply_code);
	check_enhanced("enh", &ev->enh);
	check_enhanced("reply_enh", &ev->reply_enh);
	if (ev->has_time)
		check_time("event time", &ev->time);
}

/* count_format - as src/run.c: charge a line to its format */
static void
count_format(struct input_stats *in, int format, enum extract_result result)
{
	struct input_format *f;

	if (format < 0 || (size_t)format >= in->nformats)
		return;
	f = &in->formats[format];
	if (result == EXTRACT_INFO || result == EXTRACT_EVENT)
		f->recognized++;
	else if (result == EXTRACT_UNKNOWN)
		f->unknown++;
	else if (result == EXTRACT_LIMIT)
		f->limit_hits++;
}

/* count_result - as src/run.c: the input counter of a result */
static void
count_result(struct input_stats *in, enum extract_result result)
{
	switch (result) {
	case EXTRACT_NO_HEADER:
		in->bad_header++;
		break;
	case EXTRACT_FOREIGN:
		in->foreign++;
		break;
	case EXTRACT_UNKNOWN:
		in->unknown++;
		break;
	case EXTRACT_LIMIT:
		in->limit_hits++;
		break;
	case EXTRACT_INFO:
	case EXTRACT_EVENT:
		in->recognized++;
		break;
	}
}

/* classify_line - route, check and count one line */
static void
classify_line(struct tally *t, struct input_stats *in,
	      const struct sysline_year *year, const char *line, size_t len)
{
	struct route_result res;
	struct event ev;
	int count = (int)router_format_count(router);

	in->lines++;
	router_line(router, line, len, year, &ev, &res);

	FUZZ_CHECK(res.result >= EXTRACT_NO_HEADER &&
			   res.result <= EXTRACT_EVENT,
		   "line %llu: result %d", (unsigned long long)in->lines,
		   (int)res.result);
	FUZZ_CHECK(res.format >= -1 && res.format < count,
		   "line %llu: format %d of %d", (unsigned long long)in->lines,
		   res.format, count);
	FUZZ_CHECK(res.format >= 0 || res.result == EXTRACT_NO_HEADER ||
			   res.result == EXTRACT_FOREIGN,
		   "line %llu: result %d without a format",
		   (unsigned long long)in->lines, (int)res.result);
	FUZZ_CHECK(res.result != EXTRACT_NO_HEADER || res.format == -1,
		   "line %llu: no header, but format %d",
		   (unsigned long long)in->lines, res.format);

	if (res.has_time) {
		check_time("line time", &res.time);
		tally_saw_time(t, &res.time);
	}
	count_format(in, res.format, res.result);
	count_result(in, res.result);
	if (res.result != EXTRACT_EVENT)
		return;

	/* A line may hold several events; it counts as one line. */
	do {
		check_event(&ev, line, len);
		tally_add(t, &ev, span_make(line, len));
	} while (router_more(router, &ev));
}

/* main_format - as src/run.c: the format with most recognized lines */
static const char *
main_format(const struct input_stats *in)
{
	const char *name = "none";
	uint64_t best = 0;

	for (size_t i = 0; i < in->nformats; i++) {
		if (in->formats[i].recognized > best) {
			best = in->formats[i].recognized;
			name = in->formats[i].name;
		}
	}
	return name;
}

/*
 * read_lines - split data as the reader does: at LF, without a CR before
 * the LF, the last line with or without LF.  Each line is copied into a
 * block of its own size plus a NUL, so AddressSanitizer catches a read
 * past the line.
 */
static void
read_lines(struct tally *t, struct input_stats *in, const uint8_t *data,
	   size_t size)
{
	struct sysline_year year;
	size_t pos = 0;

	sysline_year_end(&year, REFERENCE_YEAR);
	while (pos < size) {
		const uint8_t *lf = memchr(data + pos, '\n', size - pos);
		size_t end = lf != NULL ? (size_t)(lf - data) : size;
		size_t len = end - pos;
		char *line;

		if (lf != NULL && len > 0 && data[end - 1] == '\r')
			len--;
		line = xmalloc(len + 1);
		memcpy(line, data + pos, len);
		line[len] = '\0';
		classify_line(t, in, &year, line, len);
		free(line);
		pos = end + 1;
	}
}

/* get_uint - the integer at key of object v; fails the run if missing */
static uint64_t
get_uint(const struct fuzz_json *v, const char *key)
{
	const struct fuzz_json *n = fuzz_json_get(v, key);

	FUZZ_CHECK(n != NULL && n->type == FUZZ_JSON_NUMBER && n->is_uint,
		   "report: \"%s\" is missing or not a count", key);
	return n->uint_value;
}

/* sum_uint - the sum of key over the objects in array or object v */
static uint64_t
sum_uint(const struct fuzz_json *v, const char *key)
{
	uint64_t sum = 0;

	FUZZ_CHECK(v != NULL && (v->type == FUZZ_JSON_ARRAY ||
				 v->type == FUZZ_JSON_OBJECT),
		   "report: no list to add \"%s\" over", key);
	for (size_t i = 0; i < v->nitems; i++)
		sum += get_uint(v->items[i], key);
	return sum;
}

/* sum_values - the sum of the counts in object v */
static uint64_t
sum_values(const struct fuzz_json *v)
{
	uint64_t sum = 0;

	FUZZ_CHECK(v != NULL && v->type == FUZZ_JSON_OBJECT,
		   "report: subjects is not an object");
	for (size_t i = 0; i < v->nitems; i++) {
		FUZZ_CHECK(v->items[i]->type == FUZZ_JSON_NUMBER &&
				   v->items[i]->is_uint,
			   "report: subject \"%s\" is not a count", v->keys[i]);
		sum += v->items[i]->uint_value;
	}
	return sum;
}

/* check_report_input - the input object against the counts made here */
static void
check_report_input(const struct fuzz_json *doc, const struct input_stats *in)
{
	const struct fuzz_json *inputs = fuzz_json_get(doc, "inputs");
	const struct fuzz_json *r = fuzz_json_at(inputs, 0);
	const struct fuzz_json *formats = fuzz_json_get(r, "formats");
	uint64_t lines, recognized, unrecognized;

	FUZZ_CHECK(r != NULL && inputs->nitems == 1,
		   "report: inputs is not an array of one input");
	lines = get_uint(r, "lines");
	recognized = get_uint(r, "recognized");
	unrecognized = get_uint(r, "unrecognized");
	FUZZ_CHECK(lines == in->lines, "report: %llu lines, want %llu",
		   (unsigned long long)lines, (unsigned long long)in->lines);
	FUZZ_CHECK(recognized == in->recognized &&
			   unrecognized == in->unrecognized,
		   "report: recognized %llu and unrecognized %llu, want %llu "
		   "and %llu",
		   (unsigned long long)recognized,
		   (unsigned long long)unrecognized,
		   (unsigned long long)in->recognized,
		   (unsigned long long)in->unrecognized);
	FUZZ_CHECK(lines == recognized + unrecognized,
		   "report: lines %llu != recognized %llu + unrecognized %llu",
		   (unsigned long long)lines, (unsigned long long)recognized,
		   (unsigned long long)unrecognized);
	FUZZ_CHECK(unrecognized == get_uint(r, "other_program") +
					   get_uint(r, "unknown") +
					   get_uint(r, "bad_header") +
					   get_uint(r, "limit_hits"),
		   "report: unrecognized is not the sum of its parts");
	FUZZ_CHECK(sum_uint(formats, "recognized") == recognized &&
			   sum_uint(formats, "unknown") ==
				   get_uint(r, "unknown") &&
			   sum_uint(formats, "limit_hits") ==
				   get_uint(r, "limit_hits"),
		   "report: the formats do not add up to the input's counts");
}

/* check_report_class - one class object of outbound[] or inbound[] */
static uint64_t
check_report_class(const struct fuzz_json *list, size_t i, const char *name)
{
	const struct fuzz_json *c = fuzz_json_at(list, i);
	const struct fuzz_json *cls = fuzz_json_get(c, "class");
	uint64_t count;

	FUZZ_CHECK(cls != NULL && cls->type == FUZZ_JSON_STRING &&
			   strcmp(cls->string, i == 0 ? "4xx" : "5xx") == 0,
		   "report: %s[%zu] is not the %s class", name, i,
		   i == 0 ? "4xx" : "5xx");
	count = get_uint(c, "count");
	FUZZ_CHECK(sum_values(fuzz_json_get(c, "subjects")) == count,
		   "report: the subjects of %s[%zu] do not add up to its count",
		   name, i);
	return count;
}

/* check_report_totals - totals against the classes and the domains */
static void
check_report_totals(const struct fuzz_json *doc)
{
	const struct fuzz_json *totals = fuzz_json_get(doc, "totals");
	const struct fuzz_json *domains = fuzz_json_get(doc, "domains");
	const struct fuzz_json *out = fuzz_json_get(doc, "outbound");
	const struct fuzz_json *in = fuzz_json_get(doc, "inbound");

	FUZZ_CHECK(get_uint(totals, "deferred") ==
			   check_report_class(out, 0, "outbound"),
		   "report: deferred differs from the outbound 4xx count");
	FUZZ_CHECK(get_uint(totals, "bounced") ==
			   check_report_class(out, 1, "outbound"),
		   "report: bounced differs from the outbound 5xx count");
	FUZZ_CHECK(get_uint(totals, "rejected") ==
			   check_report_class(in, 0, "inbound") +
				   check_report_class(in, 1, "inbound"),
		   "report: rejected differs from the inbound counts");
	FUZZ_CHECK(get_uint(totals, "deferred_recipients") <=
			   get_uint(totals, "deferred"),
		   "report: more deferred recipients than deferrals");

	FUZZ_CHECK(sum_uint(domains, "delivered") ==
			   get_uint(totals, "delivered"),
		   "report: domains do not add up to delivered");
	FUZZ_CHECK(sum_uint(domains, "deferred") ==
			   get_uint(totals, "deferred"),
		   "report: domains do not add up to deferred");
	FUZZ_CHECK(sum_uint(domains, "bounced") == get_uint(totals, "bounced"),
		   "report: domains do not add up to bounced");
	FUZZ_CHECK(sum_uint(domains, "expired") == get_uint(totals, "expired"),
		   "report: domains do not add up to expired");
	FUZZ_CHECK(sum_uint(domains, "rejected") <=
			   get_uint(totals, "rejected"),
		   "report: domains have more rejections than the total");
}

/*
 * check_summary_read - read a JSON report back as --merge does, merge
 * what was read with the tally that wrote it, and read the merged
 * report back too: neither may repeat an example or a key, which the
 * reader rejects.  The fuzz_json target checks that what is read writes
 * the same report, so this check does no more, to keep this target fast.
 */
static void
check_summary_read(const struct tally *source, const char *json, size_t len)
{
	struct report_options opts = {.lang = LANG_EN,
				      .top = REPORT_TOP_DEFAULT};
	struct tally *t = summary_parse(json, len, "fuzz.json");
	struct tally *again;
	struct fuzz_memout out;

	FUZZ_CHECK(t != NULL, "the JSON report was not read back: %s",
		   fuzz_diag_last());
	tally_merge(t, source);

	fuzz_memout_open(&out);
	FUZZ_CHECK(json_writer->write(out.fp, t, &opts) == 0,
		   "the JSON writer failed on a merged tally");
	fuzz_memout_close(&out);
	again = summary_parse(out.buf, out.len, "merged.json");
	FUZZ_CHECK(again != NULL, "the merged JSON report was not read back: %s",
		   fuzz_diag_last());

	tally_free(again);
	free(out.buf);
	tally_free(t);
}

/* check_json_report - write the JSON report and check it */
static void
check_json_report(const struct tally *t, const struct input_stats *in)
{
	struct report_options opts = {.lang = LANG_EN,
				      .top = REPORT_TOP_DEFAULT};
	char error[FUZZ_JSON_ERROR_MAX];
	struct fuzz_memout out;
	struct fuzz_json *doc;

	fuzz_memout_open(&out);
	FUZZ_CHECK(json_writer->write(out.fp, t, &opts) == 0,
		   "the JSON writer failed");
	fuzz_memout_close(&out);

	doc = fuzz_json_parse(out.buf, out.len, error);
	FUZZ_CHECK(doc != NULL, "the JSON report is invalid: %s", error);
	FUZZ_CHECK(get_uint(doc, "schema_version") ==
			   REPORT_JSON_SCHEMA_VERSION,
		   "report: wrong schema_version");
	check_report_input(doc, in);
	check_report_totals(doc);
	fuzz_json_free(doc);
	check_summary_read(t, out.buf, out.len);
	free(out.buf);
}

/* check_text_report - write the text report in Turkish and check it */
static void
check_text_report(const struct tally *t)
{
	struct report_options opts = {.lang = LANG_TR,
				      .top = REPORT_TOP_DEFAULT};
	struct fuzz_memout out;

	fuzz_memout_open(&out);
	FUZZ_CHECK(text_writer->write(out.fp, t, &opts) == 0,
		   "the text writer failed");
	fuzz_memout_close(&out);
	fuzz_check_safe_text("text report", out.buf, out.len, true);
	free(out.buf);
}

/* check_html_report - write the HTML report and check its structure */
static void
check_html_report(const struct tally *t)
{
	struct report_options opts = {.lang = LANG_EN,
				      .top = REPORT_TOP_DEFAULT};
	struct fuzz_memout out;

	fuzz_memout_open(&out);
	FUZZ_CHECK(html_writer->write(out.fp, t, &opts) == 0,
		   "the HTML writer failed");
	fuzz_memout_close(&out);
	fuzz_check_safe_text("HTML report", out.buf, out.len, true);
	fuzz_check_html("HTML report", out.buf, out.len);
	free(out.buf);
}

/* check_timeline - every failure is in the timeline once */
static void
check_timeline(const struct tally *t)
{
	uint64_t sum = 0;

	FUZZ_CHECK(t->timeline.nbuckets <= TIMELINE_BUCKETS_MAX,
		   "timeline: %zu buckets", t->timeline.nbuckets);
	for (int s = 0; s < TIMELINE_SERIES; s++)
		sum += timeline_series_total(&t->timeline,
					     (enum timeline_series)s);
	FUZZ_CHECK(sum == t->failures, "timeline: %llu failures, want %llu",
		   (unsigned long long)sum, (unsigned long long)t->failures);
}

/* check_table_reports - the Prometheus report and one CSV table */
static void
check_table_reports(const struct tally *t, size_t size)
{
	struct report_options opts = {.lang = LANG_EN, .top = 3};
	struct fuzz_memout out;

	fuzz_memout_open(&out);
	FUZZ_CHECK(prometheus_writer->write(out.fp, t, &opts) == 0,
		   "the Prometheus writer failed");
	fuzz_memout_close(&out);
	fuzz_check_prometheus(out.buf, out.len);
	free(out.buf);

	/* The events table is written by the sink, not by this writer. */
	opts.csv_table = (enum report_csv_table)(size % CSV_TABLE_EVENTS);
	fuzz_memout_open(&out);
	FUZZ_CHECK(csv_writer->write(out.fp, t, &opts) == 0,
		   "the CSV writer failed");
	fuzz_memout_close(&out);
	fuzz_check_csv_document("CSV report", out.buf, out.len);
	free(out.buf);
}

/* check_failure_record - the tally sink: write the failure as a JSON
 * Lines record and check it */
static void
check_failure_record(void *ctx, const struct tally_failure *f)
{
	struct events_options opts = {.show_addresses = true};
	struct fuzz_memout out;

	(void)ctx;
	fuzz_memout_open(&out);
	events_write_json(out.fp, f, &opts);
	fuzz_memout_close(&out);
	fuzz_check_event_json(out.buf, out.len, EVENT_FIELDS);
	free(out.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally_sink sink = {check_failure_record, NULL};
	struct input_stats in;
	struct tally *t = tally_new();

	memset(&in, 0, sizeof in);
	in.name = "fuzz-input";
	in.encoding = "plain";
	in.nformats = router_format_count(router);
	for (size_t i = 0; i < in.nformats; i++)
		in.formats[i].name = router_format_name(router, i);

	tally_set_sink(t, &sink);
	router_begin_input(router);
	read_lines(t, &in, data, size);
	in.format = main_format(&in);
	in.unrecognized = in.foreign + in.unknown + in.bad_header +
			  in.limit_hits;
	tally_add_input(t, &in);

	check_json_report(t, &in);
	check_text_report(t);
	check_html_report(t);
	check_timeline(t);
	check_table_reports(t, size);
	tally_free(t);
	return 0;
}
