/* SPDX-License-Identifier: MIT */
/*
 * report_html.c - the HTML report: one self-contained file for a browser
 * or a mail attachment
 *
 * The document needs nothing from outside itself: the style sheet is
 * inline, the charts are inline SVG, and no script is used.  Its
 * Content-Security-Policy forbids scripts and every remote load, so even
 * a fault in the escaping could not run code or send a request.  Log text
 * is written only as element content through html_escape().
 *
 * This file writes the document frame and the summary; the other
 * sections are in report_html_sections.c and the charts in
 * report_html_chart.c.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "bouncelog/html.h"
#include "bouncelog/i18n.h"
#include "report_html_impl.h"

/* The style sheet, from data/report.css (built in by tools/embed.py). */
extern const char report_css[];

/* Scripts, plugins, frames, forms and remote loads are all refused;
 * only the inline style sheet and data: images may load. */
#define HTML_CSP                                                              \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "      \
	"base-uri 'none'; form-action 'none'"

void
html_text(FILE *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

void
html_count(FILE *out, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, n);

	for (int i = 0; i < len; i++) {
		/* U+202F NARROW NO-BREAK SPACE before each group of three. */
		if (i > 0 && (len - i) % 3 == 0)
			fputs("\xe2\x80\xaf", out);
		putc(digits[i], out);
	}
}

void
html_percent(FILE *out, uint64_t part, uint64_t whole)
{
	char number[32];

	if (whole == 0) {
		fputs("\xe2\x80\x93", out);	/* en dash: no share */
		return;
	}
	report_format_percent(number, sizeof number,
			      100.0 * (double)part / (double)whole, i18n_lang());
	/* The same message as the text report's: Turkish puts the sign
	 * first. */
	fprintf(out, _("%s%%"), number);
}

void
html_th(FILE *out, const char *label, bool numeric)
{
	fputs(numeric ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">",
	      out);
	html_text(out, label);
	fputs("</th>", out);
}

void
html_th_key(FILE *out, const char *key, size_t len)
{
	fputs("<th scope=\"row\" class=\"key\">", out);
	html_escape(out, key, len);
	fputs("</th>", out);
}

void
html_td_count(FILE *out, uint64_t n)
{
	fputs("<td class=\"n\">", out);
	html_count(out, n);
	fputs("</td>", out);
}

void
html_example(FILE *out, const char *line)
{
	fputs("<pre class=\"log\">", out);
	html_text(out, line);

	/* The tally keeps TALLY_EXAMPLE_MAX bytes of a line, so a kept line
	 * of that length was most likely cut. */
	if (strlen(line) >= TALLY_EXAMPLE_MAX)
		fputs("\xe2\x80\xa6", out);
	fputs("</pre>\n", out);
}

/* write_period - "FIRST to LAST" of the timestamps read, or a note */
static void
write_period(FILE *out, const struct tally *t)
{
	char first[48], last[48];

	if (!t->have_time) {
		html_text(out, report_no_period(t));
		return;
	}
	fputs("<time>", out);
	html_text(out, logtime_format(&t->first, first, sizeof first));
	fputs("</time> \xe2\x80\x93 <time>", out);
	html_text(out, logtime_format(&t->last, last, sizeof last));
	fputs("</time>", out);
}

static void
write_head(FILE *out, const struct tally *t, const struct report_options *opts)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n",
		lang_code(opts->lang));
	fputs("<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"" HTML_CSP
	      "\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<meta name=\"generator\" content=\"bouncelog " BOUNCELOG_VERSION
	      "\">\n<title>",
	      out);
	html_text(out, _("Mail delivery failures"));
	if (t->have_time) {
		char first[48], last[48];

		/* The title is plain text: no <time> elements here. */
		fputs(", ", out);
		html_text(out, logtime_format(&t->first, first, sizeof first));
		fputs(" \xe2\x80\x93 ", out);
		html_text(out, logtime_format(&t->last, last, sizeof last));
	}
	fputs("</title>\n<style>\n", out);
	fputs(report_css, out);
	fputs("</style>\n</head>\n<body>\n", out);
}

/* nav_link - one entry of the table of contents */
static void
nav_link(FILE *out, const char *id, const char *label)
{
	fprintf(out, "<li><a href=\"#%s\">", id);
	html_text(out, label);
	fputs("</a></li>\n", out);
}

static void
write_header(FILE *out, const struct tally *t)
{
	fputs("<header>\n<h1>", out);
	html_text(out, _("Mail delivery failures"));
	fputs("</h1>\n<p>", out);
	html_text(out, _("Period:"));
	putc(' ', out);
	write_period(out, t);
	fputs("</p>\n", out);
	report_html_range(out, t);
	fputs("</header>\n<nav aria-label=\"", out);
	html_text(out, _("Contents"));
	fputs("\">\n<ul>\n", out);
	nav_link(out, "summary", _("Summary"));
	nav_link(out, "timeline", _("Failures over time"));
	nav_link(out, "reasons", _("Failure reasons"));
	nav_link(out, "domains", _("Recipient domains"));
	nav_link(out, "out4", _("Temporary delivery failures"));
	nav_link(out, "out5", _("Permanent delivery failures"));
	nav_link(out, "in4", _("Inbound rejections, temporary"));
	nav_link(out, "in5", _("Inbound rejections, permanent"));
	nav_link(out, "inputs", _("Inputs"));
	fputs("</ul>\n</nav>\n<main>\n", out);
}

/* card - one key figure of the summary */
static void
card(FILE *out, const char *label, uint64_t value)
{
	fputs("<div><dt>", out);
	html_text(out, label);
	fputs("</dt><dd>", out);
	html_count(out, value);
	fputs("</dd></div>\n", out);
}

/* total_row - a row of the totals table, with an optional note */
static void
total_row(FILE *out, const char *label, uint64_t value, const char *note)
{
	fputs("<tr><th scope=\"row\">", out);
	html_text(out, label);
	fputs("</th>", out);
	html_td_count(out, value);
	fputs("<td>", out);
	html_text(out, note);
	fputs("</td></tr>\n", out);
}

/* count_note - a note with one number, from a translated format */
static const char *
count_note(char *buf, size_t len, const char *format, uint64_t n)
{
	snprintf(buf, len, format, n);
	return buf;
}

/* write_dropped - the queue tracker's drops, shown as in the text report
 * only when a dropped queue id had deferred recipients */
static void
write_dropped(FILE *out, const struct tally *t)
{
	uint64_t pending;
	uint64_t dropped = tally_queue_dropped(t, &pending);
	char note[160];

	if (pending == 0)
		return;
	total_row(out, _("queue ids dropped"), dropped,
		  count_note(note, sizeof note,
			     _("%" PRIu64 " with deferred recipients"),
			     pending));
}

static void
write_totals(FILE *out, const struct tally *t)
{
	char note[160];

	fputs("<table>\n<caption>", out);
	html_text(out, _("Totals"));
	fputs("</caption>\n<thead><tr>", out);
	html_th(out, _("Outcome"), false);
	html_th(out, _("Count"), true);
	html_th(out, _("Note"), false);
	fputs("</tr></thead>\n<tbody>\n", out);
	total_row(out, _("delivered"), t->delivered, "");
	total_row(out, _("deferred"), t->deferred,
		  count_note(note, sizeof note,
			     _("attempts, to %" PRIu64 " recipients"),
			     t->deferred_unique));
	if (t->soft_bounced > 0)
		total_row(out, _("soft bounces"), t->soft_bounced,
			  _("counted among the deferrals"));
	total_row(out, _("bounced"), t->bounced, "");
	total_row(out, _("expired"), t->expired,
		  count_note(note, sizeof note,
			     _("recipients of %" PRIu64 " messages"),
			     t->expired_messages));
	total_row(out, _("rejected inbound"), t->rejected,
		  count_note(note, sizeof note,
			     _("plus %" PRIu64 " warnings not enforced"),
			     t->reject_warnings));
	total_row(out, _("forwarded"), t->forwarded, "");
	total_row(out, _("notifications sent"), t->notifications, "");
	total_row(out, _("address probes"), t->probes_ok,
		  count_note(note, sizeof note,
			     _("deliverable; %" PRIu64 " undeliverable"),
			     t->probes_failed));
	total_row(out, _("code mismatches"), t->code_mismatches,
		  t->code_mismatches ? _("status field and reply text differ")
				     : "");
	write_dropped(out, t);
	fputs("</tbody>\n</table>\n", out);
}

/* class_row - a row of the failures-by-class table, linked to its part */
static void
class_row(FILE *out, const char *id, const char *label, const char *cls,
	  uint64_t count, uint64_t failures)
{
	fputs("<tr><th scope=\"row\">", out);
	if (id != NULL)
		fprintf(out, "<a href=\"#%s\">", id);
	html_text(out, label);
	fputs(id != NULL ? "</a></th><td>" : "</th><td>", out);
	html_text(out, cls);
	fputs("</td>", out);
	html_td_count(out, count);
	fputs("<td class=\"n\">", out);
	html_percent(out, count, failures);
	fputs("</td></tr>\n", out);
}

static void
write_class_table(FILE *out, const struct tally *t)
{
	fputs("<table>\n<caption>", out);
	html_text(out, _("Failures by class"));
	fputs("</caption>\n<thead><tr>", out);
	html_th(out, _("Failure"), false);
	html_th(out, _("Reply class"), false);
	html_th(out, _("Count"), true);
	html_th(out, _("Share"), true);
	fputs("</tr></thead>\n<tbody>\n", out);
	class_row(out, "out4", _("deferred"), "4xx", t->outbound[0].count,
		  t->failures);
	class_row(out, "out5", _("bounced"), "5xx", t->outbound[1].count,
		  t->failures);
	class_row(out, NULL, _("expired"), "\xe2\x80\x93", t->expired,
		  t->failures);
	class_row(out, "in4", _("rejected inbound, temporary"), "4xx",
		  t->inbound[0].count, t->failures);
	class_row(out, "in5", _("rejected inbound, permanent"), "5xx",
		  t->inbound[1].count, t->failures);
	fputs("</tbody>\n<tfoot><tr><th scope=\"row\">", out);
	html_text(out, _("all failures"));
	fputs("</th><td></td>", out);
	html_td_count(out, t->failures);
	fputs("<td class=\"n\">", out);
	html_percent(out, t->failures, t->failures);
	fputs("</td></tr></tfoot>\n</table>\n", out);
}

static void
write_summary(FILE *out, const struct tally *t)
{
	fputs("<section id=\"summary\">\n<h2>", out);
	html_text(out, _("Summary"));
	fputs("</h2>\n<dl class=\"cards\">\n", out);
	card(out, _("Failures"), t->failures);
	card(out, _("Delivered"), t->delivered);
	card(out, _("Deferred"), t->deferred);
	card(out, _("Bounced"), t->bounced);
	card(out, _("Expired"), t->expired);
	card(out, _("Rejected inbound"), t->rejected);
	fputs("</dl>\n<div class=\"tables\">\n", out);
	write_totals(out, t);
	write_class_table(out, t);
	fputs("</div>\n</section>\n", out);
}

/* input_formats - "postfix 12, exim 3" when more than one format took
 * lines of the input, else its main format */
static void
input_formats(FILE *out, const struct input_stats *in)
{
	size_t used = 0;
	bool first = true;

	for (size_t i = 0; i < in->nformats; i++)
		used += in->formats[i].recognized + in->formats[i].unknown > 0;
	if (used < 2) {
		html_text(out, in->format);
		return;
	}
	for (size_t i = 0; i < in->nformats; i++) {
		const struct input_format *f = &in->formats[i];

		if (f->recognized + f->unknown == 0)
			continue;
		fputs(first ? "" : ", ", out);
		html_text(out, f->name);
		putc(' ', out);
		html_count(out, f->recognized + f->unknown);
		first = false;
	}
}

/* The line counters of struct input_stats, in table order. */
static const struct {
	const char *label;
	size_t offset;
} line_columns[] = {
	{N_("Lines"), offsetof(struct input_stats, lines)},
	{N_("Recognized"), offsetof(struct input_stats, recognized)},
	{N_("Other programs"), offsetof(struct input_stats, foreign)},
	{N_("Unknown"), offsetof(struct input_stats, unknown)},
	{N_("Without header"), offsetof(struct input_stats, bad_header)},
	{N_("Over a pattern limit"), offsetof(struct input_stats, limit_hits)},
	{N_("Cut at 1 MiB"), offsetof(struct input_stats, truncated)},
	{N_("Read errors"), offsetof(struct input_stats, errors)},
};

#define LINE_COLUMNS (sizeof line_columns / sizeof line_columns[0])

static uint64_t
line_count(const struct input_stats *in, size_t column)
{
	const char *base = (const char *)in;
	uint64_t value;

	memcpy(&value, base + line_columns[column].offset, sizeof value);
	return value;
}

/*
 * write_inputs - every input with its line accounting: recognized lines
 * and the four kinds of unrecognized ones add up to the lines read
 */
static void
write_inputs(FILE *out, const struct tally *t)
{
	uint64_t sums[LINE_COLUMNS] = {0};

	fputs("<section id=\"inputs\">\n<h2>", out);
	html_text(out, _("Inputs"));
	fputs("</h2>\n<p>", out);
	html_text(out, _("Every line read is either recognized or counted in "
			 "one of the columns for other programs, unknown "
			 "lines, lines without a header and lines over a "
			 "pattern limit."));
	fputs("</p>\n<div class=\"wide\">\n<table>\n<thead><tr>", out);
	html_th(out, _("File"), false);
	html_th(out, _("Log format"), false);
	html_th(out, _("Encoding"), false);
	for (size_t c = 0; c < LINE_COLUMNS; c++)
		html_th(out, _(line_columns[c].label), true);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input_stats *in = &t->inputs[i];

		fputs("<tr>", out);
		html_th_key(out, in->name, strlen(in->name));
		if (in->same_as != NULL) {
			fprintf(out, "<td colspan=\"%zu\" class=\"muted\">",
				2 + LINE_COLUMNS);
			html_text(out, _("not read"));
			fputs(": ", out);
			html_text(out, _("the same file was read as"));
			putc(' ', out);
			html_text(out, in->same_as);
			fputs("</td></tr>\n", out);
			continue;
		}
		fputs("<td>", out);
		input_formats(out, in);
		fputs("</td><td>", out);
		html_text(out, in->encoding);
		fputs("</td>", out);
		for (size_t c = 0; c < LINE_COLUMNS; c++) {
			html_td_count(out, line_count(in, c));
			sums[c] += line_count(in, c);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n<tfoot><tr><th scope=\"row\">", out);
	html_text(out, _("all inputs"));
	fputs("</th><td></td><td></td>", out);
	for (size_t c = 0; c < LINE_COLUMNS; c++)
		html_td_count(out, sums[c]);
	fputs("</tr></tfoot>\n</table>\n</div>\n</section>\n", out);
}

static void
write_timeline(FILE *out, const struct tally *t)
{
	fputs("<section id=\"timeline\">\n<h2>", out);
	html_text(out, _("Failures over time"));
	fputs("</h2>\n", out);
	html_chart_timeline(out, &t->timeline);
	fputs("</section>\n", out);
}

static int
html_write(FILE *out, const struct tally *t, const struct report_options *opts)
{
	write_head(out, t, opts);
	write_header(out, t);
	write_summary(out, t);
	write_timeline(out, t);
	html_write_reasons(out, t, opts);
	html_write_domains(out, t, opts);
	html_write_classes(out, t, opts);
	write_inputs(out, t);
	fputs("</main>\n<footer class=\"muted\">", out);
	html_text(out, _("Written by bouncelog"));
	fputs(" " BOUNCELOG_VERSION "</footer>\n</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_html = {
	.name = "html",
	.write = html_write,
};
