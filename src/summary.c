/* SPDX-License-Identifier: MIT */
/*
 * summary.c - read a JSON summary back into a tally
 *
 * The file is read whole (it is small next to the logs it summarizes),
 * parsed with the strict parser of json.c, and walked member by member.
 * The walk keeps the path of the member being read, so that an error
 * names it as well as its line, column and byte offset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/logzone.h"
#include "bouncelog/reader.h"
#include "bouncelog/status.h"
#include "bouncelog/report.h"
#include "bouncelog/summary.h"
#include "bouncelog/xalloc.h"
#include "summary_impl.h"

/* Maximum length of a log format or encoding name read. */
#define NAME_MAX_LEN 32

/* Maximum length of an input name read, in bytes. */
#define INPUT_NAME_MAX 4096

/* position - the 1-based line and column (in bytes) of offset */
static void
position(const char *text, size_t offset, unsigned long *line,
	 unsigned long *col)
{
	size_t line_start = 0;

	*line = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			line_start = i + 1;
		}
	}
	*col = (unsigned long)(offset - line_start) + 1;
}

bool
summary_fail(struct loader *ld, const struct json_value *v, const char *member,
	     const char *fmt, ...)
{
	char message[DIAG_LINE_MAX];
	unsigned long line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	position(ld->text, v->offset, &line, &col);
	diag_emit(DIAG_ERROR, ld->file, line, col,
		  _("invalid summary: %s%s%s: %s (byte offset %zu)"), ld->path,
		  member != NULL && ld->path_len > 0 ? "." : "",
		  member != NULL ? member : "", message, v->offset);
	return false;
}

size_t
summary_path_push(struct loader *ld, const char *member, long index)
{
	size_t old = ld->path_len;
	size_t room = sizeof ld->path - old;
	int n;

	if (index >= 0)
		n = snprintf(ld->path + old, room, "[%ld]", index);
	else
		n = snprintf(ld->path + old, room, "%s%s", old > 0 ? "." : "",
			     member);
	ld->path_len =
	    n > 0 && (size_t)n < room ? old + (size_t)n : sizeof ld->path - 1;
	return old;
}

void
summary_path_pop(struct loader *ld, size_t len)
{
	ld->path_len = len;
	ld->path[len] = '\0';
}

const struct json_value *
summary_get(struct loader *ld, const struct json_value *obj, const char *member,
	    enum json_type type)
{
	const struct json_value *v = json_get(obj, member);

	if (v == NULL) {
		summary_fail(ld, obj, member, _("missing"));
		return NULL;
	}
	if (v->type != type) {
		summary_fail(ld, v, member, _("expected %s, got %s"),
			     json_type_name(type), json_type_name(v->type));
		return NULL;
	}
	return v;
}

bool
summary_count(struct loader *ld, const struct json_value *v, const char *member,
	      uint64_t *out)
{
	if (v->type == JSON_NUMBER && !v->is_uint)
		return summary_fail(ld, v, member,
				    _("expected a count (an integer from 0 "
				      "to 18446744073709551615), got a "
				      "negative, fractional or larger "
				      "number"));
	if (v->type != JSON_NUMBER)
		return summary_fail(ld, v, member,
				    _("expected a count (an integer from 0 "
				      "to 18446744073709551615), got %s"),
				    json_type_name(v->type));
	*out = v->as.uint_value;
	return true;
}

bool
summary_get_count(struct loader *ld, const struct json_value *obj,
		  const char *member, uint64_t *out)
{
	const struct json_value *v = json_get(obj, member);

	if (v == NULL)
		return summary_fail(ld, obj, member, _("missing"));
	return summary_count(ld, v, member, out);
}

bool
summary_get_counts(struct loader *ld, const struct json_value *obj, void *base,
		   const struct count_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!summary_get_count(
			ld, obj, fields[i].name,
			(uint64_t *)((char *)base + fields[i].offset)))
			return false;
	return true;
}

const char *
summary_text(struct loader *ld, const struct json_value *v, const char *member,
	     size_t max)
{
	if (v->type != JSON_STRING) {
		summary_fail(ld, v, member, _("expected a string, got %s"),
			     json_type_name(v->type));
		return NULL;
	}
	if (strlen(v->as.string) != v->len) {
		summary_fail(ld, v, member,
			     _("a NUL character is not allowed "
			       "here"));
		return NULL;
	}
	if (v->len > max) {
		summary_fail(ld, v, member, _("longer than %zu bytes"), max);
		return NULL;
	}
	return v->as.string;
}

bool
summary_key(struct loader *ld, const struct json_value *v, const char *member)
{
	if (v->type != JSON_STRING)
		return summary_fail(ld, v, member,
				    _("expected a string, got %s"),
				    json_type_name(v->type));
	if (v->len > SUMMARY_KEY_MAX)
		return summary_fail(ld, v, member, _("longer than %d bytes"),
				    SUMMARY_KEY_MAX);
	return true;
}

/* read_example_reasons - the reason of each of n examples */
static bool
read_example_reasons(struct loader *ld, const struct json_value *obj,
		     const char *member, size_t n,
		     unsigned char reasons[TALLY_EXAMPLES])
{
	const struct json_value *list =
	    summary_get(ld, obj, member, JSON_ARRAY);

	if (list == NULL)
		return false;
	if (list->len != n)
		return summary_fail(ld, list, member,
				    _("%zu reasons for %zu examples"),
				    list->len, n);
	for (size_t i = 0; i < n; i++) {
		const struct json_value *v = &list->as.items[i];
		enum reason r;

		if (v->type != JSON_STRING ||
		    !reason_lookup(v->as.string, v->len, &r) ||
		    r == REASON_NONE)
			return summary_fail(ld, v, member,
					    _("item %zu is not a known reason "
					      "id"),
					    i);
		reasons[i] = (unsigned char)r;
	}
	return true;
}

bool
summary_get_examples(struct loader *ld, const struct json_value *obj,
		     char *examples[TALLY_EXAMPLES],
		     unsigned char reasons[TALLY_EXAMPLES],
		     const char *reasons_member)
{
	const struct json_value *list =
	    summary_get(ld, obj, "examples", JSON_ARRAY);
	unsigned char why[TALLY_EXAMPLES] = {0};

	if (list == NULL)
		return false;
	if (list->len > TALLY_EXAMPLES)
		return summary_fail(ld, list, "examples",
				    _("%zu examples, more than %d"), list->len,
				    TALLY_EXAMPLES);
	if (reasons != NULL &&
	    !read_example_reasons(ld, obj, reasons_member, list->len, why))
		return false;

	for (size_t i = 0; i < list->len; i++) {
		const struct json_value *v = &list->as.items[i];
		const char *text =
		    summary_text(ld, v, "examples", SUMMARY_EXAMPLE_MAX);

		if (text == NULL)
			return false;
		for (size_t k = 0; k < i; k++)
			if (strcmp(examples[k], text) == 0)
				return summary_fail(ld, v, "examples",
						    _("example %zu repeats "
						      "example %zu"),
						    i, k);
		tally_copy_example(examples, reasons, text, why[i]);
	}
	return true;
}

/* read_version - the schema version, which must be the one written */
static bool
read_version(struct loader *ld, const struct json_value *root)
{
	uint64_t version;

	if (!summary_get_count(ld, root, "schema_version", &version))
		return false;
	if (version == REPORT_JSON_SCHEMA_VERSION)
		return true;
	if (version < REPORT_JSON_SCHEMA_VERSION)
		return summary_fail(
		    ld, json_get(root, "schema_version"), "schema_version",
		    _("version %llu has no top-list "
		      "summaries to merge; write the summary "
		      "again with this bouncelog, which "
		      "reads version %d"),
		    (unsigned long long)version, REPORT_JSON_SCHEMA_VERSION);
	return summary_fail(
	    ld, json_get(root, "schema_version"), "schema_version",
	    _("unknown version %llu; this bouncelog reads "
	      "version %d, so merge with the bouncelog that "
	      "wrote the summary"),
	    (unsigned long long)version, REPORT_JSON_SCHEMA_VERSION);
}

/* read_time - an RFC 3339 time as logtime_format() writes it */
static bool
read_time(struct loader *ld, const struct json_value *period,
	  const char *member, struct logtime *out)
{
	const struct json_value *v =
	    summary_get(ld, period, member, JSON_STRING);

	if (v == NULL)
		return false;
	if (sysline_parse_rfc3339(v->as.string, v->len, out) != v->len)
		return summary_fail(ld, v, member,
				    _("expected an RFC 3339 time such as "
				      "2026-12-04T06:25:01+03:00"));
	return true;
}

static const char *const series_names[TIMELINE_SERIES] = {
    "deferred",		  "bounced", "expired", "rejected_temporary",
    "rejected_permanent",
};

/* read_series_counts - an array of TIMELINE_SERIES counts */
static bool
read_series_counts(struct loader *ld, const struct json_value *v,
		   const char *member, uint64_t counts[TIMELINE_SERIES])
{
	if (v->type != JSON_ARRAY || v->len != TIMELINE_SERIES)
		return summary_fail(ld, v, member,
				    _("expected an array of %d counts"),
				    TIMELINE_SERIES);
	for (size_t s = 0; s < TIMELINE_SERIES; s++)
		if (!summary_count(ld, &v->as.items[s], member, &counts[s]))
			return false;
	return true;
}

/* check_series_names - the series member names the known series */
static bool
check_series_names(struct loader *ld, const struct json_value *tl)
{
	const struct json_value *names =
	    summary_get(ld, tl, "series", JSON_ARRAY);

	if (names == NULL)
		return false;
	for (size_t s = 0; s < TIMELINE_SERIES; s++)
		if (names->len != TIMELINE_SERIES ||
		    names->as.items[s].type != JSON_STRING ||
		    strcmp(names->as.items[s].as.string, series_names[s]) != 0)
			return summary_fail(ld, names, "series",
					    _("expected [\"deferred\", "
					      "\"bounced\", \"expired\", "
					      "\"rejected_temporary\", "
					      "\"rejected_permanent\"]"));
	return true;
}

/* read_buckets - count the buckets of a timeline from first on */
static bool
read_buckets(struct loader *ld, const struct json_value *buckets,
	     const struct logtime *first, int64_t width)
{
	struct timeline *tl = &ld->t->timeline;
	struct logtime end = *first;

	/* Reach both ends first, so that the width grows as it did when
	 * the timeline was counted. */
	end.wall += width * (int64_t)buckets->len - 1;
	timeline_cover(tl, first);
	timeline_cover(tl, &end);
	for (size_t i = 0; i < buckets->len; i++) {
		struct logtime start = *first;
		uint64_t counts[TIMELINE_SERIES];

		start.wall += width * (int64_t)i;
		if (!read_series_counts(ld, &buckets->as.items[i], "buckets",
					counts))
			return false;
		for (int s = 0; s < TIMELINE_SERIES; s++)
			if (counts[s] > 0)
				timeline_add_count(tl, &start,
						   (enum timeline_series)s,
						   counts[s]);
	}
	if (tl->width != width || tl->nbuckets != buckets->len ||
	    timeline_bucket_start(tl, 0).wall != first->wall)
		return summary_fail(ld, buckets, "buckets",
				    _("the buckets do not start on a multiple "
				      "of the width, or need another width"));
	return true;
}

/* read_timeline_parts - the members of the timeline object */
static bool
read_timeline_parts(struct loader *ld, const struct json_value *tl)
{
	const struct json_value *first_v = json_get(tl, "first");
	const struct json_value *untimed, *buckets;
	uint64_t counts[TIMELINE_SERIES], width;
	struct logtime first;

	if (!summary_get_count(ld, tl, "width", &width))
		return false;
	if (width > INT64_MAX || !timeline_width_valid((int64_t)width))
		return summary_fail(ld, json_get(tl, "width"), "width",
				    _("%llu seconds is not a bucket width of "
				      "this bouncelog"),
				    (unsigned long long)width);
	if (!check_series_names(ld, tl))
		return false;
	untimed = summary_get(ld, tl, "untimed", JSON_ARRAY);
	if (untimed == NULL ||
	    !read_series_counts(ld, untimed, "untimed", counts))
		return false;
	for (int s = 0; s < TIMELINE_SERIES; s++)
		timeline_add_count(&ld->t->timeline, NULL,
				   (enum timeline_series)s, counts[s]);

	buckets = summary_get(ld, tl, "buckets", JSON_ARRAY);
	if (buckets == NULL)
		return false;
	if (first_v == NULL)
		return summary_fail(ld, tl, "first", _("missing"));
	if (first_v->type == JSON_NULL && buckets->len == 0)
		return true;
	if (buckets->len > TIMELINE_BUCKETS_MAX)
		return summary_fail(ld, buckets, "buckets",
				    _("%zu buckets, more than %d"),
				    buckets->len, TIMELINE_BUCKETS_MAX);
	return read_time(ld, tl, "first", &first) &&
	       read_buckets(ld, buckets, &first, (int64_t)width);
}

/* read_timeline - failures per time bucket; read before the period, so
 * that the timeline's zone is that of its first bucket */
static bool
read_timeline(struct loader *ld, const struct json_value *root)
{
	const struct json_value *tl =
	    summary_get(ld, root, "timeline", JSON_OBJECT);
	size_t mark;
	bool ok;

	if (tl == NULL)
		return false;
	mark = summary_path_push(ld, "timeline", -1);
	ok = read_timeline_parts(ld, tl);
	summary_path_pop(ld, mark);
	return ok;
}

/* check_timeline_total - the timeline counts every failure once */
static bool
check_timeline_total(struct loader *ld, const struct json_value *root)
{
	uint64_t sum = 0;

	for (int s = 0; s < TIMELINE_SERIES; s++)
		tally_add_count(&sum,
				timeline_series_total(&ld->t->timeline,
						      (enum timeline_series)s));
	if (sum != ld->t->failures)
		return summary_fail(ld, json_get(root, "timeline"), "timeline",
				    _("it counts %llu failures, not the %llu "
				      "of failure_reasons"),
				    (unsigned long long)sum,
				    (unsigned long long)ld->t->failures);
	return true;
}

static bool
read_period(struct loader *ld, const struct json_value *root)
{
	const struct json_value *period = json_get(root, "period");
	struct logtime first, last;
	size_t mark;
	bool ok;

	if (period == NULL)
		return summary_fail(ld, root, "period", _("missing"));
	if (period->type == JSON_NULL)
		return true;
	if (period->type != JSON_OBJECT)
		return summary_fail(ld, period, "period",
				    _("expected an object or null, got %s"),
				    json_type_name(period->type));

	mark = summary_path_push(ld, "period", -1);
	ok = read_time(ld, period, "first", &first) &&
	     read_time(ld, period, "last", &last);
	summary_path_pop(ld, mark);
	if (!ok)
		return false;
	if (logzone_utc(&first) > logzone_utc(&last))
		return summary_fail(ld, period, "period",
				    _("first is later than last"));
	tally_saw_time(ld->t, &first);
	tally_saw_time(ld->t, &last);
	return true;
}

/* valid_name - a log format or encoding name: 1 to NAME_MAX_LEN bytes
 * of lower-case ASCII letters, digits, '-' and '_' */
static bool
valid_name(const char *s, size_t len)
{
	if (len == 0 || len > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

/* get_name - a member that must be a valid_name() */
static const char *
get_name(struct loader *ld, const struct json_value *obj, const char *member)
{
	const struct json_value *v = summary_get(ld, obj, member, JSON_STRING);

	if (v == NULL)
		return NULL;
	if (!valid_name(v->as.string, v->len)) {
		summary_fail(ld, v, member,
			     _("expected a name of 1 to %d lower-case letters, "
			       "digits, '-' or '_'"),
			     NAME_MAX_LEN);
		return NULL;
	}
	return v->as.string;
}

static const struct count_field format_fields[] = {
    {"recognized", offsetof(struct input_format, recognized)},
    {"unknown", offsetof(struct input_format, unknown)},
    {"limit_hits", offsetof(struct input_format, limit_hits)},
};

/* read_formats - the lines of each log format of an input */
static bool
read_formats(struct loader *ld, const struct json_value *input,
	     struct input_stats *in)
{
	const struct json_value *formats =
	    summary_get(ld, input, "formats", JSON_OBJECT);
	size_t mark;
	bool ok = true;

	if (formats == NULL)
		return false;
	if (formats->len > INPUT_FORMATS_MAX)
		return summary_fail(ld, formats, "formats",
				    _("%zu log formats, more than %d"),
				    formats->len, INPUT_FORMATS_MAX);

	mark = summary_path_push(ld, "formats", -1);
	for (size_t i = 0; i < formats->len && ok; i++) {
		const struct json_member *m = &formats->as.members[i];
		struct input_format *f = &in->formats[i];
		size_t item;

		if (!valid_name(m->key, m->key_len)) {
			ok = summary_fail(ld, &m->value, NULL,
					  _("\"%s\" is not a log format name"),
					  m->key);
			break;
		}
		if (m->value.type != JSON_OBJECT) {
			ok = summary_fail(ld, &m->value, m->key,
					  _("expected an object, got %s"),
					  json_type_name(m->value.type));
			break;
		}
		f->name = m->key;
		in->nformats++;
		item = summary_path_push(ld, m->key, -1);
		ok = summary_get_counts(ld, &m->value, f, format_fields,
					sizeof format_fields /
					    sizeof format_fields[0]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

static const struct count_field input_fields[] = {
    {"lines", offsetof(struct input_stats, lines)},
    {"recognized", offsetof(struct input_stats, recognized)},
    {"unrecognized", offsetof(struct input_stats, unrecognized)},
    {"other_program", offsetof(struct input_stats, foreign)},
    {"unknown", offsetof(struct input_stats, unknown)},
    {"bad_header", offsetof(struct input_stats, bad_header)},
    {"truncated_lines", offsetof(struct input_stats, truncated)},
    {"limit_hits", offsetof(struct input_stats, limit_hits)},
    {"errors", offsetof(struct input_stats, errors)},
};

/* check_input_sums - the line accounting of doc/json-schema.md */
static bool
check_input_sums(struct loader *ld, const struct json_value *input,
		 const struct input_stats *in)
{
	uint64_t recognized = 0, unknown = 0, limit_hits = 0;

	if (in->lines != in->recognized + in->unrecognized ||
	    in->lines < in->recognized)
		return summary_fail(ld, input, NULL,
				    _("lines is not recognized + "
				      "unrecognized"));
	if (in->unrecognized !=
	    in->foreign + in->unknown + in->bad_header + in->limit_hits)
		return summary_fail(ld, input, NULL,
				    _("unrecognized is not other_program + "
				      "unknown + bad_header + limit_hits"));
	for (size_t i = 0; i < in->nformats; i++) {
		recognized += in->formats[i].recognized;
		unknown += in->formats[i].unknown;
		limit_hits += in->formats[i].limit_hits;
	}
	if (recognized != in->recognized || unknown != in->unknown ||
	    limit_hits != in->limit_hits)
		return summary_fail(ld, input, "formats",
				    _("the formats do not add up to the "
				      "input's recognized, unknown and "
				      "limit_hits"));
	return true;
}

/* not_read_is_empty - has an input that was not read all its counts 0
 * and no log format? */
static bool
not_read_is_empty(const struct input_stats *in)
{
	for (size_t i = 0; i < sizeof input_fields / sizeof input_fields[0];
	     i++) {
		uint64_t value;

		memcpy(&value, (const char *)in + input_fields[i].offset,
		       sizeof value);
		if (value != 0)
			return false;
	}
	return in->nformats == 0 && strcmp(in->format, "none") == 0;
}

/* read_input - one object of inputs[] */
static bool
read_input(struct loader *ld, const struct json_value *input)
{
	const struct json_value *name, *summary, *same_as;
	struct input_stats in;

	memset(&in, 0, sizeof in);
	if (input->type != JSON_OBJECT)
		return summary_fail(ld, input, NULL,
				    _("expected an object, got %s"),
				    json_type_name(input->type));
	name = summary_get(ld, input, "name", JSON_STRING);
	if (name == NULL ||
	    summary_text(ld, name, "name", INPUT_NAME_MAX) == NULL)
		return false;
	in.name = (char *)name->as.string;

	/* An input of a merged summary keeps the first summary it was
	 * read from. */
	in.summary = ld->file;
	summary = json_get(input, "summary");
	if (summary != NULL) {
		in.summary =
		    summary_text(ld, summary, "summary", INPUT_NAME_MAX);
		if (in.summary == NULL)
			return false;
	}

	/* An input that named the same file as another one was not read,
	 * and the lines of that file are counted under the other one. */
	same_as = json_get(input, "same_as");
	if (same_as != NULL) {
		in.same_as = (char *)summary_text(ld, same_as, "same_as",
						  INPUT_NAME_MAX);
		if (in.same_as == NULL)
			return false;
	}

	in.format = get_name(ld, input, "format");
	in.encoding = get_name(ld, input, "encoding");
	if (in.format == NULL || in.encoding == NULL ||
	    !summary_get_counts(ld, input, &in, input_fields,
				sizeof input_fields / sizeof input_fields[0]) ||
	    !read_formats(ld, input, &in) || !check_input_sums(ld, input, &in))
		return false;
	if (in.same_as != NULL && !not_read_is_empty(&in))
		return summary_fail(ld, input, "same_as",
				    _("an input that was not read has no "
				      "lines, errors or log formats"));
	tally_add_input(ld->t, &in);
	return true;
}

static bool
read_inputs(struct loader *ld, const struct json_value *root)
{
	const struct json_value *inputs =
	    summary_get(ld, root, "inputs", JSON_ARRAY);
	size_t mark;
	bool ok = true;

	if (inputs == NULL)
		return false;
	mark = summary_path_push(ld, "inputs", -1);
	for (size_t i = 0; i < inputs->len && ok; i++) {
		size_t item = summary_path_push(ld, NULL, (long)i);

		ok = read_input(ld, &inputs->as.items[i]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

static const struct count_field total_fields[] = {
    {"delivered", offsetof(struct tally, delivered)},
    {"deferred", offsetof(struct tally, deferred)},
    {"deferred_recipients", offsetof(struct tally, deferred_unique)},
    {"soft_bounced", offsetof(struct tally, soft_bounced)},
    {"bounced", offsetof(struct tally, bounced)},
    {"expired", offsetof(struct tally, expired)},
    {"expired_messages", offsetof(struct tally, expired_messages)},
    {"rejected", offsetof(struct tally, rejected)},
    {"reject_warnings", offsetof(struct tally, reject_warnings)},
    {"forwarded", offsetof(struct tally, forwarded)},
    {"notifications", offsetof(struct tally, notifications)},
    {"probes_deliverable", offsetof(struct tally, probes_ok)},
    {"probes_undeliverable", offsetof(struct tally, probes_failed)},
    {"code_mismatches", offsetof(struct tally, code_mismatches)},
};

/* optional_count - the count member of obj, or 0 when it is missing */
static bool
optional_count(struct loader *ld, const struct json_value *obj,
	       const char *member, uint64_t *out)
{
	const struct json_value *v = json_get(obj, member);

	*out = 0;
	return v == NULL || summary_count(ld, v, member, out);
}

/*
 * read_dropped - the queue ids dropped by the tracker.  Summaries written
 * before these members were added lack them, and count none.
 */
static bool
read_dropped(struct loader *ld, const struct json_value *totals)
{
	struct tally *t = ld->t;

	if (!optional_count(ld, totals, "queue_ids_dropped", &t->queue_dropped) ||
	    !optional_count(ld, totals, "queue_ids_dropped_deferred",
			    &t->queue_dropped_pending))
		return false;
	if (t->queue_dropped_pending > t->queue_dropped)
		return summary_fail(
		    ld, json_get(totals, "queue_ids_dropped_deferred"),
		    "queue_ids_dropped_deferred",
		    _("greater than queue_ids_dropped, which includes these "
		      "messages"));
	return true;
}

static bool
read_totals(struct loader *ld, const struct json_value *root)
{
	const struct json_value *totals =
	    summary_get(ld, root, "totals", JSON_OBJECT);
	size_t mark;
	bool ok;

	if (totals == NULL)
		return false;
	mark = summary_path_push(ld, "totals", -1);
	ok = summary_get_counts(ld, totals, ld->t, total_fields,
				sizeof total_fields / sizeof total_fields[0]) &&
	     read_dropped(ld, totals);
	summary_path_pop(ld, mark);
	return ok;
}

bool
summary_code_key_valid(const char *key, size_t len)
{
	struct enh_status st;
	char canonical[ENH_STATUS_LEN];

	if (len == strlen(TALLY_OTHER_KEY) &&
	    memcmp(key, TALLY_OTHER_KEY, len) == 0)
		return true;
	if (len == 3)
		return key[0] >= '0' && key[0] <= '9' && key[1] >= '0' &&
		       key[1] <= '9' && key[2] >= '0' && key[2] <= '9';
	if (status_parse_enhanced(key, len, &st) != len)
		return false;
	status_format_enhanced(&st, canonical);
	return strlen(canonical) == len && memcmp(canonical, key, len) == 0;
}

/* read_code_counts - {"550": 3, ...} into an exact map */
static bool
read_code_counts(struct loader *ld, const struct json_value *root,
		 const char *member, struct strmap *map)
{
	const struct json_value *codes =
	    summary_get(ld, root, member, JSON_OBJECT);
	size_t mark;
	bool ok = true;

	if (codes == NULL)
		return false;
	mark = summary_path_push(ld, member, -1);
	for (size_t i = 0; i < codes->len && ok; i++) {
		const struct json_member *m = &codes->as.members[i];
		uint64_t n;

		if (m->key_len > SUMMARY_KEY_MAX)
			ok = summary_fail(ld, &m->value, NULL,
					  _("a key is longer than %d bytes"),
					  SUMMARY_KEY_MAX);
		else if (!summary_code_key_valid(m->key, m->key_len))
			ok = summary_fail(ld, &m->value, NULL,
					  _("the key \"%.*s\" is not a reply "
					    "code or an enhanced status code"),
					  (int)m->key_len, m->key);
		else
			ok = summary_count(ld, &m->value, m->key, &n);
		if (ok)
			tally_add_count(tally_slot(map, m->key, m->key_len), n);
	}
	summary_path_pop(ld, mark);
	return ok;
}

static const struct count_field domain_fields[] = {
    {"delivered", offsetof(struct domain_stat, delivered)},
    {"deferred", offsetof(struct domain_stat, deferred)},
    {"bounced", offsetof(struct domain_stat, bounced)},
    {"expired", offsetof(struct domain_stat, expired)},
    {"rejected", offsetof(struct domain_stat, rejected)},
};

/* read_domain - one object of the per-domain table */
static bool
read_domain(struct loader *ld, const struct json_value *v)
{
	const struct json_value *key;
	struct domain_stat d, *slot;

	memset(&d, 0, sizeof d);
	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	key = json_get(v, "domain");
	if (key == NULL)
		return summary_fail(ld, v, "domain", _("missing"));
	if (!summary_key(ld, key, "domain") ||
	    !summary_get_counts(ld, v, &d, domain_fields,
				sizeof domain_fields / sizeof domain_fields[0]))
		return false;

	if (strmap_get(ld->t->domains, key->as.string, key->len) != NULL)
		return summary_fail(ld, key, "domain",
				    _("the domain is listed twice"));

	/* Past TALLY_KEYS_MAX domains this is the slot of "(other)". */
	slot = tally_slot(ld->t->domains, key->as.string, key->len);
	if (slot->name == NULL)
		slot->name = strmap_key(ld->t->domains, slot, NULL);
	tally_add_count(&slot->delivered, d.delivered);
	tally_add_count(&slot->deferred, d.deferred);
	tally_add_count(&slot->bounced, d.bounced);
	tally_add_count(&slot->expired, d.expired);
	tally_add_count(&slot->rejected, d.rejected);
	return true;
}

static bool
read_domains(struct loader *ld, const struct json_value *root)
{
	const struct json_value *domains =
	    summary_get(ld, root, "domains", JSON_ARRAY);
	size_t mark;
	bool ok = true;

	if (domains == NULL)
		return false;
	mark = summary_path_push(ld, "domains", -1);
	for (size_t i = 0; i < domains->len && ok; i++) {
		size_t item = summary_path_push(ld, NULL, (long)i);

		ok = read_domain(ld, &domains->as.items[i]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

struct tally *
summary_parse(const char *text, size_t len, const char *path)
{
	struct loader ld = {path, text, len, NULL, "", 0};
	struct json_error error;
	struct json_doc *doc = json_parse(text, len, &error);
	const struct json_value *root;
	unsigned long line, col;
	bool ok;

	if (doc == NULL) {
		position(text, error.offset, &line, &col);
		diag_emit(DIAG_ERROR, path, line, col,
			  _("invalid JSON: %s (byte offset %zu)"),
			  error.message, error.offset);
		return NULL;
	}

	root = json_root(doc);
	ld.t = tally_new();
	if (root->type != JSON_OBJECT)
		ok = summary_fail(&ld, root, NULL,
				  _("expected a JSON object, got %s"),
				  json_type_name(root->type));
	else
		ok = read_version(&ld, root) && read_timeline(&ld, root) &&
		     read_period(&ld, root) && read_inputs(&ld, root) &&
		     read_totals(&ld, root) &&
		     read_code_counts(&ld, root, "reply_codes",
				      ld.t->reply_codes) &&
		     read_code_counts(&ld, root, "enhanced_codes",
				      ld.t->enh_codes) &&
		     read_domains(&ld, root) &&
		     summary_read_reasons(&ld, root) &&
		     summary_read_classes(&ld, root) &&
		     check_timeline_total(&ld, root);
	json_free(doc);
	if (!ok) {
		tally_free(ld.t);
		return NULL;
	}
	return ld.t;
}

/* read_text - the whole decoded text of path, or NULL after an error */
static char *
read_text(const char *path, size_t *len)
{
	struct reader *r = reader_open(path);
	size_t cap = 64 * 1024;
	char *text;
	ssize_t n;

	if (r == NULL)
		return NULL;
	text = xmalloc(cap);
	*len = 0;

	/* Read one byte past the limit, to tell a summary of exactly
	 * SUMMARY_SIZE_MAX bytes from a larger file. */
	for (;;) {
		if (*len == cap) {
			if (cap > SUMMARY_SIZE_MAX)
				break;
			cap = cap * 2 > SUMMARY_SIZE_MAX ? SUMMARY_SIZE_MAX + 1
							 : cap * 2;
			text = xrealloc(text, cap);
		}
		n = reader_read(r, text + *len, cap - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	reader_close(r);
	if (n < 0) {
		free(text);
		return NULL;
	}
	if (*len > SUMMARY_SIZE_MAX) {
		diag_emit(DIAG_ERROR, path, 0, 0,
			  _("larger than %d MiB, so it is not read as a "
			    "summary"),
			  SUMMARY_SIZE_MAX / (1024 * 1024));
		free(text);
		return NULL;
	}
	return text;
}

struct tally *
summary_load(const char *path)
{
	struct tally *t;
	size_t len;
	char *text = read_text(path, &len);

	if (text == NULL)
		return NULL;
	t = summary_parse(text, len, path);
	free(text);
	return t;
}
