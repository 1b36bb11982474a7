/* SPDX-License-Identifier: MIT */
/*
 * report_html_sections.c - the HTML report's sections on failure
 * reasons, recipient domains and reply classes
 *
 * The tables hold the same counts as the text report, with more rows
 * (--top applies to each table) and every kept example.  Keys from the
 * log (domains, hosts, senders) are escaped table cells, never links or
 * attribute values.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/html.h"
#include "bouncelog/i18n.h"
#include "report_html_impl.h"

/* Rows of the domain, host and client tables of one reason. */
#define REASON_TOP 5

/* Enhanced codes of a class whose examples are shown. */
#define CODES_WITH_EXAMPLES 3

/* A table column: its heading, and whether it contains numbers. */
struct column {
	const char *label;
	bool numeric;
};

/* table_start - a table with a caption and column headings */
static void
table_start(FILE *out, const char *caption, const struct column *columns,
	    size_t ncolumns)
{
	fputs("<table>\n<caption>", out);
	html_text(out, caption);
	fputs("</caption>\n<thead><tr>", out);
	for (size_t c = 0; c < ncolumns; c++)
		html_th(out, columns[c].label, columns[c].numeric);
	fputs("</tr></thead>\n<tbody>\n", out);
}

/* table_end - close a table, with a footer row when rows were left out */
static void
table_end(FILE *out, size_t shown, size_t all, size_t ncolumns)
{
	fputs("</tbody>\n", out);
	if (all > shown) {
		char more[64];

		snprintf(more, sizeof more, _("%zu more not shown"),
			 all - shown);
		fprintf(out, "<tfoot><tr><td colspan=\"%zu\" class=\"muted\">",
			ncolumns);
		html_text(out, more);
		fputs("</td></tr></tfoot>\n", out);
	}
	fputs("</table>\n", out);
}

/* write_rows - a table of the first top of n rows */
static void
write_rows(FILE *out, const char *caption, const char *key_label,
	   const struct row *rows, size_t n, size_t top)
{
	const struct column columns[] = {{key_label, false},
					 {_("Failures"), true}};

	table_start(out, caption, columns, 2);
	for (size_t i = 0; i < n && i < top; i++) {
		fputs("<tr>", out);
		html_th_key(out, rows[i].key, rows[i].key_len);
		html_td_count(out, rows[i].count);
		fputs("</tr>\n", out);
	}
	table_end(out, n < top ? n : top, n, 2);
}

/* write_counts - the top rows of an exact key -> uint64_t map */
static void
write_counts(FILE *out, const char *caption, const char *key_label,
	     const struct strmap *map, size_t top)
{
	struct row *rows;
	size_t n;

	if (map == NULL || strmap_count(map) == 0)
		return;
	rows = report_rows(map, ROW_COUNT, &n);
	write_rows(out, caption, key_label, rows, n, top);
	free(rows);
}

/* write_top - the top rows of a Space-Saving summary, and by how much
 * its counts may be too high when it had to estimate them */
static void
write_top(FILE *out, const char *caption, const char *key_label,
	  const struct topk *s, size_t top)
{
	struct row *rows;
	uint64_t error;
	size_t n;

	if (s == NULL || topk_count(s) == 0)
		return;
	rows = report_top_rows(s, &n);
	write_rows(out, caption, key_label, rows, n, top);
	error = report_rows_max_error(rows, n, top);
	if (error > 0) {
		char note[96];

		snprintf(note, sizeof note,
			 _("Estimated: a count may be up to %" PRIu64
			   " too high."), error);
		fputs("<p class=\"muted\">", out);
		html_text(out, note);
		fputs("</p>\n", out);
	}
	free(rows);
}

/* write_reason_row - one row of the reasons table */
static void
write_reason_row(FILE *out, const struct tally *t, enum reason r,
		 const struct report_options *opts)
{
	const struct reason_stat *rs = &t->reasons[r];
	const uint64_t counts[] = {rs->deferred, rs->bounced, rs->expired,
				   rs->rejected};

	fprintf(out, "<tr><th scope=\"row\"><a href=\"#r-%s\"><code>",
		reason_name(r));
	html_text(out, reason_name(r));
	fputs("</code></a></th><td>", out);
	html_text(out, bounce_kind_name(reason_kind(r)));
	fputs("</td>", out);
	html_td_count(out, rs->count);
	fputs("<td class=\"n\">", out);
	html_percent(out, rs->count, t->failures);
	fputs("</td>", out);
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
		html_td_count(out, counts[k]);
	fputs("<td>", out);
	html_text(out, reason_label(r, opts->lang));
	fputs("</td></tr>\n", out);
}

/* write_reason_detail - the advice, where a reason struck, and examples */
static void
write_reason_detail(FILE *out, enum reason r, const struct reason_stat *rs,
		    const struct report_options *opts)
{
	fprintf(out, "<article id=\"r-%s\">\n<h3><code>", reason_name(r));
	html_text(out, reason_name(r));
	fputs("</code> \xe2\x80\x93 ", out);
	html_text(out, reason_label(r, opts->lang));
	fputs("</h3>\n<p><strong>", out);
	html_text(out, _("Advice:"));
	fputs("</strong> ", out);
	html_text(out, reason_advice(r, opts->lang));
	fputs("</p>\n<div class=\"tables\">\n", out);
	write_top(out, _("Recipient domains"), _("Domain"), rs->domains,
		  REASON_TOP);
	write_top(out, _("Remote hosts"), _("Host"), rs->hosts, REASON_TOP);
	write_top(out, _("SMTP clients"), _("Client"), rs->clients,
		  REASON_TOP);
	fputs("</div>\n", out);
	for (int k = 0; k < TALLY_EXAMPLES && rs->examples[k] != NULL; k++)
		html_example(out, rs->examples[k]);
	fputs("</article>\n", out);
}

void
html_write_reasons(FILE *out, const struct tally *t,
		   const struct report_options *opts)
{
	const struct column columns[] = {
		{_("Reason"), false},	{_("Kind"), false},
		{_("Failures"), true},	{_("Share"), true},
		{_("Deferred"), true},	{_("Bounced"), true},
		{_("Expired"), true},	{_("Rejected inbound"), true},
		{_("Description"), false},
	};
	enum reason order[REASON_COUNT];
	struct html_bar bars[REASON_COUNT];
	size_t n = report_reason_order(t, order);

	fputs("<section id=\"reasons\">\n<h2>", out);
	html_text(out, _("Failure reasons"));
	fputs("</h2>\n", out);
	if (n == 0) {
		fputs("<p>", out);
		html_text(out, _("No failures."));
		fputs("</p>\n</section>\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bars[i].label = reason_name(order[i]);
		bars[i].label_len = strlen(bars[i].label);
		bars[i].value = t->reasons[order[i]].count;
	}
	html_chart_bars(out, "reasons-chart", _("Failures by reason"), bars,
			n);
	fputs("<div class=\"wide\">\n", out);
	table_start(out, _("Failures by reason"), columns,
		    sizeof columns / sizeof columns[0]);
	for (size_t i = 0; i < n; i++)
		write_reason_row(out, t, order[i], opts);
	table_end(out, n, n, sizeof columns / sizeof columns[0]);
	fputs("</div>\n", out);
	for (size_t i = 0; i < n; i++)
		write_reason_detail(out, order[i], &t->reasons[order[i]], opts);
	fputs("</section>\n", out);
}

/* write_domain_row - one recipient domain with its outcomes */
static void
write_domain_row(FILE *out, const struct row *row)
{
	const struct domain_stat *d = row->value;
	uint64_t attempts = d->delivered + d->deferred + d->bounced +
			    d->expired;

	fputs("<tr>", out);
	html_th_key(out, row->key, row->key_len);
	html_td_count(out, row->count);
	html_td_count(out, d->deferred);
	html_td_count(out, d->bounced);
	html_td_count(out, d->expired);
	html_td_count(out, d->rejected);
	html_td_count(out, d->delivered);
	fputs("<td class=\"n\">", out);
	html_percent(out, d->deferred + d->bounced + d->expired, attempts);
	fputs("</td></tr>\n", out);
}

void
html_write_domains(FILE *out, const struct tally *t,
		   const struct report_options *opts)
{
	const struct column columns[] = {
		{_("Domain"), false},	{_("Failures"), true},
		{_("Deferred"), true},	{_("Bounced"), true},
		{_("Expired"), true},	{_("Rejected inbound"), true},
		{_("Delivered"), true},	{_("Failed outbound attempts"), true},
	};
	struct html_bar bars[HTML_CHART_BARS_MAX];
	size_t n, with_failures = 0, shown;
	struct row *rows = report_rows(t->domains, ROW_DOMAIN, &n);

	fputs("<section id=\"domains\">\n<h2>", out);
	html_text(out, _("Recipient domains"));
	fputs("</h2>\n", out);
	while (with_failures < n && rows[with_failures].count > 0)
		with_failures++;
	if (with_failures == 0) {
		fputs("<p>", out);
		html_text(out, _("No recipient domain had a failure."));
		fputs("</p>\n</section>\n", out);
		free(rows);
		return;
	}
	shown = with_failures < opts->top ? with_failures : opts->top;
	for (size_t i = 0; i < shown && i < HTML_CHART_BARS_MAX; i++) {
		bars[i].label = rows[i].key;
		bars[i].label_len = rows[i].key_len;
		bars[i].value = rows[i].count;
	}
	html_chart_bars(out, "domains-chart",
			_("Recipient domains with most failures"), bars,
			shown < HTML_CHART_BARS_MAX ? shown
						    : HTML_CHART_BARS_MAX);
	fputs("<div class=\"wide\">\n", out);
	table_start(out, _("Recipient domains with most failures"), columns,
		    sizeof columns / sizeof columns[0]);
	for (size_t i = 0; i < shown; i++)
		write_domain_row(out, &rows[i]);
	table_end(out, shown, with_failures,
		  sizeof columns / sizeof columns[0]);
	fputs("</div>\n", out);
	fputs("</section>\n", out);
	free(rows);
}

/* write_subjects - failures by the subject digit of the enhanced code */
static void
write_subjects(FILE *out, const struct class_stat *cs, enum lang lang)
{
	const struct column columns[] = {{_("Subject"), false},
					 {_("Failures"), true},
					 {_("Description"), false}};
	bool any = false;

	for (int s = 0; s < SUBJECT_SLOTS; s++)
		any = any || cs->subjects[s] > 0;
	if (!any)
		return;
	table_start(out, _("By enhanced status subject"), columns, 3);
	for (int s = 0; s < SUBJECT_SLOTS; s++) {
		struct enh_status st = {5, (unsigned short)s, 0};

		if (cs->subjects[s] == 0)
			continue;
		fputs("<tr><th scope=\"row\">", out);
		if (s < SUBJECT_OTHER)
			fprintf(out, "X.%d", s);
		fputs("</th>", out);
		html_td_count(out, cs->subjects[s]);
		fputs("<td>", out);
		if (s < SUBJECT_OTHER)
			html_text(out, codes_text(codes_enh_subject(&st), lang));
		else if (s == SUBJECT_OTHER)
			html_text(out, _("unregistered subject"));
		else
			html_text(out, _("no enhanced status code"));
		fputs("</td></tr>\n", out);
	}
	table_end(out, 0, 0, 3);
}

/* write_codes - reply or enhanced codes with their descriptions */
static void
write_codes(FILE *out, const char *caption, const struct strmap *map,
	    const struct report_options *opts)
{
	const struct column columns[] = {{_("Code"), false},
					 {_("Failures"), true},
					 {_("Description"), false}};
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);

	if (n > 0) {
		table_start(out, caption, columns, 3);
		for (size_t i = 0; i < n && i < opts->top; i++) {
			fputs("<tr>", out);
			html_th_key(out, rows[i].key, rows[i].key_len);
			html_td_count(out, rows[i].count);
			fputs("<td>", out);
			html_text(out, report_code_text(rows[i].key,
							opts->lang));
			fputs("</td></tr>\n", out);
		}
		table_end(out, n < opts->top ? n : opts->top, n, 3);
	}
	free(rows);
}

/* write_code_examples - kept log lines of the most frequent codes */
static void
write_code_examples(FILE *out, const struct strmap *map, enum lang lang)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);

	if (n > 0) {
		fputs("<h3>", out);
		html_text(out, _("Examples"));
		fputs("</h3>\n", out);
	}
	for (size_t i = 0; i < n && i < CODES_WITH_EXAMPLES; i++) {
		const struct code_stat *cs = rows[i].value;

		fputs("<h4><code>", out);
		html_escape(out, rows[i].key, rows[i].key_len);
		fputs("</code> \xe2\x80\x93 ", out);
		html_text(out, report_code_text(rows[i].key, lang));
		fputs("</h4>\n", out);
		for (int k = 0; k < TALLY_EXAMPLES && cs->examples[k]; k++)
			html_example(out, cs->examples[k]);
	}
	free(rows);
}

/* A reply class section: its anchor, title and where its counts are. */
struct class_part {
	const char *id;
	const char *title;
	const struct class_stat *stat;
	bool inbound;
};

static void
write_class(FILE *out, const struct class_part *part,
	    const struct report_options *opts)
{
	const struct class_stat *cs = part->stat;

	fprintf(out, "<section id=\"%s\">\n<h2>", part->id);
	html_text(out, part->title);
	fputs(": ", out);
	html_count(out, cs->count);
	fputs("</h2>\n", out);
	if (cs->count == 0) {
		fputs("<p>", out);
		html_text(out, _("None."));
		fputs("</p>\n</section>\n", out);
		return;
	}
	fputs("<div class=\"tables\">\n", out);
	write_subjects(out, cs, opts->lang);
	write_codes(out, _("Reply codes"), cs->reply_codes, opts);
	write_codes(out, _("Enhanced status codes"), cs->enh_codes, opts);
	fputs("</div>\n<div class=\"tables\">\n", out);
	write_top(out, _("Recipient domains"), _("Domain"), cs->domains,
		  opts->top);
	if (part->inbound)
		write_top(out, _("SMTP clients"), _("Client"), cs->hosts,
			  opts->top);
	else
		write_top(out, _("Remote hosts"), _("Host"), cs->hosts,
			  opts->top);
	write_top(out, _("Senders"), _("Sender"), cs->senders, opts->top);
	if (part->inbound)
		write_counts(out, _("SMTP stages"), _("Stage"), cs->stages,
			     opts->top);
	write_counts(out, _("Components"), _("Component"), cs->components,
		     opts->top);
	fputs("</div>\n", out);
	write_code_examples(out,
			    strmap_count(cs->enh_codes) > 0 ? cs->enh_codes
							    : cs->reply_codes,
			    opts->lang);
	fputs("</section>\n", out);
}

void
html_write_classes(FILE *out, const struct tally *t,
		   const struct report_options *opts)
{
	const struct class_part parts[] = {
		{"out4", _("Temporary delivery failures (4xx)"),
		 &t->outbound[0], false},
		{"out5", _("Permanent delivery failures (5xx)"),
		 &t->outbound[1], false},
		{"in4", _("Inbound rejections, temporary (4xx)"),
		 &t->inbound[0], true},
		{"in5", _("Inbound rejections, permanent (5xx)"),
		 &t->inbound[1], true},
	};

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		write_class(out, &parts[i], opts);
}
