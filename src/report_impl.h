/* SPDX-License-Identifier: MIT */
/*
 * report_impl.h - helpers shared by the report writers
 */
#ifndef BOUNCELOG_REPORT_IMPL_H
#define BOUNCELOG_REPORT_IMPL_H

#include "bouncelog/report.h"
#include "bouncelog/strmap.h"
#include "tally_impl.h"

/* Column where the values of the text report's header ("Period:") start. */
#define REPORT_FIELD_WIDTH 10

extern const struct report_writer report_text;
extern const struct report_writer report_json;
extern const struct report_writer report_html;
extern const struct report_writer report_csv;
extern const struct report_writer report_prometheus;

/* The type of map value a sorted row takes its count from. */
enum row_value {
	ROW_COUNT,	/* the value is a uint64_t */
	ROW_CODE,	/* the value is a struct code_stat */
	ROW_DOMAIN,	/* a struct domain_stat, counted by its failures */
};

struct row {
	const char *key;
	size_t key_len;
	uint64_t count;
	uint64_t error;		/* rows of a summary: count - error is the
				 * lowest possible true count; else 0 */
	const void *value;
};

/*
 * The entries of map as rows sorted by count (largest first), then by key
 * in byte order; *n gets the number of rows.  Owned by the caller.
 */
struct row *report_rows(const struct strmap *map, enum row_value kind,
			size_t *n);

/*
 * The counters of a Space-Saving summary as rows, sorted like
 * report_rows(); *n gets the number of rows.  s may be NULL (no rows).
 * Owned by the caller; the keys are borrowed from s.
 */
struct row *report_top_rows(const struct topk *s, size_t *n);

/* The largest error among the first top rows of n. */
uint64_t report_rows_max_error(const struct row *rows, size_t n, size_t top);

/* Failures of a domain: deferrals, bounces, expiries and rejections. */
uint64_t report_domain_failures(const struct domain_stat *d);

/* Human description of a reply or enhanced code key, in lang. */
const char *report_code_text(const char *key, enum lang lang);

/* The note shown for the period when no counted line had a timestamp:
 * with a time range, no line was inside it; translated. */
const char *report_no_period(const struct tally *t);

/*
 * value with one decimal, as the report language writes numbers: "12.5"
 * in English, "12,5" in Turkish, whatever LC_NUMERIC says.  Returns buf.
 * Never use it for JSON, CSV or metrics, which always take ".".
 */
char *report_format_percent(char *buf, size_t len, double value,
			    enum lang lang);

/*
 * The reasons with failures, most failures first, ties in enum reason
 * order (the tie order of the rules); returns their number.
 */
size_t report_reason_order(const struct tally *t,
			   enum reason order[REASON_COUNT]);

/*
 * The requested time range (report_range.c).  Each writes nothing when no
 * range was requested.  report_text_range() writes the "Range:" and
 * "Outside:" lines of the header, report_text_input_range() one line per
 * input.  report_json_range() writes the top-level "range" member and
 * report_json_input_range() the members of an input object, each
 * followed by the separator that the next member needs.
 */
void report_text_range(FILE *out, const struct tally *t);
void report_text_input_range(FILE *out, const struct tally *t,
			     const struct input_stats *in);
void report_json_range(FILE *out, const struct tally *t);
void report_json_input_range(FILE *out, const struct tally *t,
			     const struct input_stats *in);

/* The range and the lines outside it as a paragraph of the HTML report's
 * header; nothing when no range was requested. */
void report_html_range(FILE *out, const struct tally *t);

#endif
