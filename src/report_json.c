/* SPDX-License-Identifier: MIT */
/*
 * report_json.c - the versioned JSON summary (see doc/json-schema.md)
 *
 * Keys are fixed English words in every language; only descriptions follow
 * --lang.  Counts are JSON integers.  All log-derived strings go through
 * escape_json(), so the document is valid JSON for any input bytes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/escape.h"
#include "report_impl.h"

/* put_u64 - value in decimal, as "%" PRIu64 writes it.  A large report
 * has hundreds of thousands of numbers, most of one or two digits, and
 * putc() per digit costs far less than a fprintf() or fwrite() call. */
static void
put_u64(FILE *out, uint64_t value)
{
	char buf[20];		/* the digits of UINT64_MAX */
	size_t n = sizeof buf;

	do {
		buf[--n] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	for (; n < sizeof buf; n++)
		putc(buf[n], out);
}

static void
key(FILE *out, const char *name)
{
	putc('"', out);
	fputs(name, out);
	fputs("\": ", out);
}

static void
str(FILE *out, const char *s)
{
	escape_json(out, s, strlen(s));
}

static void
num(FILE *out, const char *name, uint64_t value, bool last)
{
	key(out, name);
	put_u64(out, value);
	fputs(last ? "" : ", ", out);
}

/* write_formats - the lines each log format took, for formats that
 * took any */
static void
write_formats(FILE *out, const struct input_stats *in)
{
	bool first = true;

	key(out, "formats");
	fputs("{", out);
	for (size_t i = 0; i < in->nformats; i++) {
		const struct input_format *f = &in->formats[i];

		if (f->recognized + f->unknown + f->limit_hits == 0)
			continue;
		fputs(first ? "" : ", ", out);
		str(out, f->name);
		fputs(": {", out);
		num(out, "recognized", f->recognized, false);
		num(out, "unknown", f->unknown, false);
		num(out, "limit_hits", f->limit_hits, true);
		fputs("}", out);
		first = false;
	}
	fputs("}", out);
}

static void
write_inputs(FILE *out, const struct tally *t)
{
	key(out, "inputs");
	fputs("[", out);
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input_stats *in = &t->inputs[i];

		fputs(i ? ",\n    {" : "\n    {", out);
		key(out, "name");
		str(out, in->name);
		fputs(", ", out);
		if (in->summary != NULL) {
			key(out, "summary");
			str(out, in->summary);
			fputs(", ", out);
		}
		if (in->same_as != NULL) {
			key(out, "same_as");
			str(out, in->same_as);
			fputs(", ", out);
		}
		key(out, "format");
		str(out, in->format);
		fputs(", ", out);
		key(out, "encoding");
		str(out, in->encoding);
		fputs(", ", out);
		num(out, "lines", in->lines, false);
		num(out, "recognized", in->recognized, false);
		num(out, "unrecognized", in->unrecognized, false);
		num(out, "other_program", in->foreign, false);
		num(out, "unknown", in->unknown, false);
		num(out, "bad_header", in->bad_header, false);
		num(out, "truncated_lines", in->truncated, false);
		num(out, "limit_hits", in->limit_hits, false);
		num(out, "errors", in->errors, false);
		report_json_input_range(out, t, in);
		write_formats(out, in);
		fputs("}", out);
	}
	fputs(t->ninputs ? "\n  ],\n  " : "],\n  ", out);
}

static void
write_totals(FILE *out, const struct tally *t)
{
	uint64_t pending;
	uint64_t dropped = tally_queue_dropped(t, &pending);

	key(out, "totals");
	fputs("{", out);
	num(out, "delivered", t->delivered, false);
	num(out, "deferred", t->deferred, false);
	num(out, "deferred_recipients", t->deferred_unique, false);
	num(out, "soft_bounced", t->soft_bounced, false);
	num(out, "bounced", t->bounced, false);
	num(out, "expired", t->expired, false);
	num(out, "expired_messages", t->expired_messages, false);
	num(out, "rejected", t->rejected, false);
	num(out, "reject_warnings", t->reject_warnings, false);
	num(out, "forwarded", t->forwarded, false);
	num(out, "notifications", t->notifications, false);
	num(out, "probes_deliverable", t->probes_ok, false);
	num(out, "probes_undeliverable", t->probes_failed, false);
	num(out, "code_mismatches", t->code_mismatches, false);
	num(out, "queue_ids_dropped", dropped, false);
	num(out, "queue_ids_dropped_deferred", pending, true);
	fputs("},\n  ", out);
}

/* write_map - {"key": count, ...} sorted by count */
static void
write_map(FILE *out, const char *name, const struct strmap *map)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_COUNT, &n);

	key(out, name);
	fputs("{", out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		escape_json(out, rows[i].key, rows[i].key_len);
		fputs(": ", out);
		put_u64(out, rows[i].count);
	}
	fputs("}", out);
	free(rows);
}

/* write_list - [{"FIELD": key, "count": n}, ...] of every key of an
 * exact map */
static void
write_list(FILE *out, const char *name, const char *field,
	   const struct strmap *map)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_COUNT, &n);

	key(out, name);
	fputs("[", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", {" : "{", out);
		key(out, field);
		escape_json(out, rows[i].key, rows[i].key_len);
		fputs(", \"count\": ", out);
		put_u64(out, rows[i].count);
		putc('}', out);
	}
	fputs("]", out);
	free(rows);
}

/*
 * write_top - every counter of a Space-Saving summary, in the mergeable
 * form doc/json-schema.md describes.  A NULL summary is written as an
 * empty one of the given capacity.
 */
static void
write_top(FILE *out, const char *name, const char *field,
	  const struct topk *s, size_t capacity)
{
	size_t n;
	struct row *rows = report_top_rows(s, &n);

	key(out, name);
	fprintf(out, "{\"capacity\": %zu, \"total\": %" PRIu64
		", \"unlisted_max\": %" PRIu64 ", \"items\": [",
		s ? topk_capacity(s) : capacity, s ? topk_total(s) : 0,
		s ? topk_floor(s) : 0);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", {" : "{", out);
		key(out, field);
		escape_json(out, rows[i].key, rows[i].key_len);
		fputs(", \"count\": ", out);
		put_u64(out, rows[i].count);
		fputs(", \"error\": ", out);
		put_u64(out, rows[i].error);
		putc('}', out);
	}
	fputs("]}", out);
	free(rows);
}

static void
write_codes(FILE *out, const char *name, const struct strmap *map,
	    const struct report_options *opts)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);

	key(out, name);
	fputs("[", out);
	for (size_t i = 0; i < n; i++) {
		const struct code_stat *cs = rows[i].value;

		fputs(i ? ",\n        {" : "\n        {", out);
		key(out, "code");
		str(out, rows[i].key);
		fprintf(out, ", \"count\": %" PRIu64 ", ", rows[i].count);
		key(out, "description");
		str(out, report_code_text(rows[i].key, opts->lang));
		fputs(", ", out);
		key(out, "examples");
		fputs("[", out);
		for (int k = 0; k < TALLY_EXAMPLES && cs->examples[k]; k++) {
			if (k)
				fputs(", ", out);
			str(out, cs->examples[k]);
		}
		fputs("], ", out);
		key(out, "example_reasons");
		fputs("[", out);
		for (int k = 0; k < TALLY_EXAMPLES && cs->examples[k]; k++) {
			if (k)
				fputs(", ", out);
			str(out, reason_name(cs->example_reasons[k]));
		}
		fputs("]}", out);
	}
	fputs("]", out);
	free(rows);
}

static void
write_class(FILE *out, const struct class_stat *cs, int cls, bool inbound,
	    const struct report_options *opts)
{
	fprintf(out, "{\"class\": \"%dxx\", \"count\": %" PRIu64 ",\n      ",
		cls, cs->count);
	key(out, "subjects");
	fputs("{", out);
	for (int s = 0, first = 1; s < SUBJECT_SLOTS; s++) {
		if (cs->subjects[s] == 0)
			continue;
		fputs(first ? "" : ", ", out);
		if (s < SUBJECT_OTHER)
			fprintf(out, "\"X.%d\": ", s);
		else
			fprintf(out, "\"%s\": ",
				s == SUBJECT_OTHER ? "other" : "none");
		fprintf(out, "%" PRIu64, cs->subjects[s]);
		first = 0;
	}
	fputs("},\n      ", out);
	write_codes(out, "reply_codes", cs->reply_codes, opts);
	fputs(",\n      ", out);
	write_codes(out, "enhanced_codes", cs->enh_codes, opts);
	fputs(",\n      ", out);
	write_top(out, "domains", "domain", cs->domains, TALLY_TOP_CAPACITY);
	fputs(",\n      ", out);
	write_top(out, inbound ? "clients" : "hosts", "host", cs->hosts,
		  TALLY_TOP_CAPACITY);
	fputs(",\n      ", out);
	write_top(out, "senders", "sender", cs->senders, TALLY_TOP_CAPACITY);
	if (inbound) {
		fputs(",\n      ", out);
		write_list(out, "stages", "stage", cs->stages);
	}
	fputs(",\n      ", out);
	write_list(out, "components", "component", cs->components);
	fputs("}", out);
}

static void
write_domains(FILE *out, const struct tally *t)
{
	size_t n;
	struct row *rows = report_rows(t->domains, ROW_DOMAIN, &n);

	key(out, "domains");
	fputs("[", out);
	for (size_t i = 0; i < n; i++) {
		const struct domain_stat *d = rows[i].value;

		fputs(i ? ",\n    {" : "\n    {", out);
		key(out, "domain");
		escape_json(out, rows[i].key, rows[i].key_len);
		fputs(", ", out);
		num(out, "delivered", d->delivered, false);
		num(out, "deferred", d->deferred, false);
		num(out, "bounced", d->bounced, false);
		num(out, "expired", d->expired, false);
		num(out, "rejected", d->rejected, true);
		fputs("}", out);
	}
	fputs(n ? "\n  ]" : "]", out);
	free(rows);
}

/* write_reason_map - {"reason": count, ...}, most failures first */
static void
write_reason_map(FILE *out, const struct tally *t)
{
	enum reason order[REASON_COUNT];
	size_t n = report_reason_order(t, order);

	key(out, "reasons");
	fputs("{", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s\"%s\": %" PRIu64, i ? ", " : "",
			reason_name(order[i]), t->reasons[order[i]].count);
	fputs("}", out);
}

/* write_reason - one object of failure_reasons */
static void
write_reason(FILE *out, enum reason r, const struct reason_stat *rs,
	     const struct report_options *opts)
{
	fputs("{", out);
	key(out, "reason");
	str(out, reason_name(r));
	fputs(", ", out);
	key(out, "kind");
	str(out, bounce_kind_name(reason_kind(r)));
	fputs(", ", out);
	num(out, "count", rs->count, false);
	num(out, "deferred", rs->deferred, false);
	num(out, "bounced", rs->bounced, false);
	num(out, "expired", rs->expired, false);
	num(out, "rejected", rs->rejected, true);
	fputs(",\n      ", out);
	key(out, "label");
	str(out, reason_label(r, opts->lang));
	fputs(", ", out);
	key(out, "advice");
	str(out, reason_advice(r, opts->lang));
	fputs(",\n      ", out);
	write_top(out, "domains", "domain", rs->domains,
		  TALLY_REASON_TOP_CAPACITY);
	fputs(",\n      ", out);
	write_top(out, "hosts", "host", rs->hosts, TALLY_REASON_TOP_CAPACITY);
	fputs(",\n      ", out);
	write_top(out, "clients", "host", rs->clients,
		  TALLY_REASON_TOP_CAPACITY);
	fputs(",\n      ", out);
	key(out, "examples");
	fputs("[", out);
	for (int k = 0; k < TALLY_EXAMPLES && rs->examples[k]; k++) {
		if (k)
			fputs(", ", out);
		str(out, rs->examples[k]);
	}
	fputs("]}", out);
}

/* write_reasons - failure_reasons: one object per reason with failures */
static void
write_reasons(FILE *out, const struct tally *t,
	      const struct report_options *opts)
{
	enum reason order[REASON_COUNT];
	size_t n = report_reason_order(t, order);

	key(out, "failure_reasons");
	fputs("[", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		write_reason(out, order[i], &t->reasons[order[i]], opts);
	}
	fputs(n ? "\n  ]" : "]", out);
}

/* write_series_counts - [n, n, ...] of the TIMELINE_SERIES counts */
static void
write_series_counts(FILE *out, const uint64_t counts[TIMELINE_SERIES])
{
	fputs("[", out);
	for (int s = 0; s < TIMELINE_SERIES; s++) {
		fputs(s ? ", " : "", out);
		put_u64(out, counts[s]);
	}
	fputs("]", out);
}

/* write_timeline - failures per time bucket, one bucket per line */
static void
write_timeline(FILE *out, const struct timeline *tl)
{
	char first[48];

	key(out, "timeline");
	fprintf(out, "{\"width\": %" PRId64 ", ", tl->width);
	key(out, "first");
	if (tl->nbuckets > 0) {
		struct logtime start = timeline_bucket_start(tl, 0);

		fprintf(out, "\"%s\", ",
			logtime_format(&start, first, sizeof first));
	} else {
		fputs("null, ", out);
	}
	key(out, "series");
	fputs("[\"deferred\", \"bounced\", \"expired\", "
	      "\"rejected_temporary\", \"rejected_permanent\"], ",
	      out);
	key(out, "untimed");
	write_series_counts(out, tl->untimed);
	fputs(", ", out);
	key(out, "buckets");
	fputs("[", out);
	for (size_t i = 0; i < tl->nbuckets; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		write_series_counts(out, tl->counts[i]);
	}
	fputs(tl->nbuckets ? "\n  ]}" : "]}", out);
}

static int
json_write(FILE *out, const struct tally *t, const struct report_options *opts)
{
	char first[48], last[48];

	fprintf(out, "{\n  \"schema_version\": %d,\n  ",
		REPORT_JSON_SCHEMA_VERSION);
	key(out, "generator");
	fputs("{\"name\": \"bouncelog\", ", out);
	key(out, "version");
	str(out, BOUNCELOG_VERSION);
	fputs("},\n  ", out);
	key(out, "language");
	str(out, lang_code(opts->lang));
	fputs(",\n  ", out);
	key(out, "period");
	if (t->have_time)
		fprintf(out, "{\"first\": \"%s\", \"last\": \"%s\"}",
			logtime_format(&t->first, first, sizeof first),
			logtime_format(&t->last, last, sizeof last));
	else
		fputs("null", out);
	fputs(",\n  ", out);
	report_json_range(out, t);

	write_inputs(out, t);
	write_totals(out, t);
	write_map(out, "reply_codes", t->reply_codes);
	fputs(",\n  ", out);
	write_map(out, "enhanced_codes", t->enh_codes);
	fputs(",\n  ", out);
	write_reason_map(out, t);
	fputs(",\n  ", out);
	write_domains(out, t);
	fputs(",\n  ", out);
	write_reasons(out, t, opts);
	fputs(",\n  ", out);

	key(out, "outbound");
	fputs("[\n    ", out);
	write_class(out, &t->outbound[0], 4, false, opts);
	fputs(",\n    ", out);
	write_class(out, &t->outbound[1], 5, false, opts);
	fputs("\n  ],\n  ", out);
	key(out, "inbound");
	fputs("[\n    ", out);
	write_class(out, &t->inbound[0], 4, true, opts);
	fputs(",\n    ", out);
	write_class(out, &t->inbound[1], 5, true, opts);
	fputs("\n  ],\n  ", out);
	write_timeline(out, &t->timeline);
	fputs("\n}\n", out);
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_json = {
	.name = "json",
	.write = json_write,
};
