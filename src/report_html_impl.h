/* SPDX-License-Identifier: MIT */
/*
 * report_html_impl.h - helpers shared by the parts of the HTML report
 *
 * Every string that reaches the document goes through html_escape(),
 * labels of our own included, because a translation may contain "&" or
 * "<".
 * Attribute values are written only from fixed strings and numbers, never
 * from log-derived text.
 */
#ifndef BOUNCELOG_REPORT_HTML_IMPL_H
#define BOUNCELOG_REPORT_HTML_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report_impl.h"

/* Maximum number of bars in a bar chart; longer lists are cut to their
 * top rows. */
#define HTML_CHART_BARS_MAX 20

/* Characters of a bar label; longer labels are cut with an ellipsis. */
#define HTML_LABEL_CHARS 30

/* Write a NUL-terminated string as HTML text. */
void html_text(FILE *out, const char *s);

/* Write n with its digits grouped by threes with narrow no-break spaces. */
void html_count(FILE *out, uint64_t n);

/* Write part as a percentage of whole with one decimal ("12.5%"). */
void html_percent(FILE *out, uint64_t part, uint64_t whole);

/* Write a column header cell; numeric columns are right-aligned. */
void html_th(FILE *out, const char *label, bool numeric);

/* Write a row header cell holding a log-derived key. */
void html_th_key(FILE *out, const char *key, size_t len);

/* Write a numeric data cell. */
void html_td_count(FILE *out, uint64_t n);

/* Write a log line as a preformatted example that wraps, ending in an
 * ellipsis when it is as long as the tally keeps. */
void html_example(FILE *out, const char *line);

/* One bar of a bar chart: a log-derived or fixed label and its value. */
struct html_bar {
	const char *label;
	size_t label_len;
	uint64_t value;
};

/*
 * Write a horizontal bar chart as an SVG figure.  title names the chart
 * for screen readers and printouts; id is a fixed word that makes the
 * title's element id unique in the document.
 */
void html_chart_bars(FILE *out, const char *id, const char *title,
		     const struct html_bar *bars, size_t n);

/* Write the chart of failures over time with its legend and data table. */
void html_chart_timeline(FILE *out, const struct timeline *tl);

/* The label of a timeline series in the report language. */
const char *html_series_label(enum timeline_series s);

/* Write the sections on reasons, recipient domains and reply classes. */
void html_write_reasons(FILE *out, const struct tally *t,
			const struct report_options *opts);
void html_write_domains(FILE *out, const struct tally *t,
			const struct report_options *opts);
void html_write_classes(FILE *out, const struct tally *t,
			const struct report_options *opts);

#endif
