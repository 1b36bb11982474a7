/* SPDX-License-Identifier: MIT */
/*
 * report_html_chart.c - the HTML report's charts, drawn as inline SVG
 *
 * Charts scale with the page through their viewBox; coordinates are in
 * viewBox units.  Each chart is an image with a title for screen readers,
 * and every number it shows is also in a table beside it.  The series of
 * the timeline differ in fill pattern as well as colour, so the chart
 * reads in black and white and for readers who cannot tell the colours
 * apart.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/html.h"
#include "bouncelog/i18n.h"
#include "report_html_impl.h"

/* The timeline's viewBox and plot margins. */
#define TL_WIDTH 800
#define TL_HEIGHT 290
#define TL_LEFT 60
#define TL_RIGHT 14
#define TL_TOP 12
#define TL_BOTTOM 46

/* At most this many labels on the time axis and gridlines on the count
 * axis, so that labels never overlap. */
#define TL_TIME_LABELS 8
#define TL_COUNT_LINES 5

/* Bars are at most this wide (1/48 of the plot), so that a short period
 * of a few buckets does not look like a long one; they are then centred. */
#define TL_SLOTS_MIN 48

/* Room kept between a time label's centre and the plot's right end, so
 * that a date label is not cut off. */
#define TL_LABEL_MARGIN 30

/* The bar chart's viewBox width, row height, and the space for labels
 * (left) and values (right). */
#define BAR_WIDTH 800
#define BAR_ROW 24
#define BAR_LABEL 250
#define BAR_VALUE 80

/* The label intervals of the time axis, in seconds: one is used when it
 * is a multiple of the bucket width. */
static const int64_t label_steps[] = {
	60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
	2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400,
	182 * 86400, 364 * 86400,
};

const char *
html_series_label(enum timeline_series s)
{
	switch (s) {
	case TIMELINE_DEFERRED:
		return _("deferred (4xx)");
	case TIMELINE_BOUNCED:
		return _("bounced (5xx)");
	case TIMELINE_EXPIRED:
		return _("expired");
	case TIMELINE_REJECTED_TEMP:
		return _("rejected inbound (4xx)");
	case TIMELINE_REJECTED_PERM:
		return _("rejected inbound (5xx)");
	case TIMELINE_SERIES:
		break;
	}
	return "";
}

/* coord - a coordinate with one decimal, whatever the locale */
static void
coord(FILE *out, double v)
{
	long long tenths = (long long)(v * 10.0 + (v < 0 ? -0.5 : 0.5));

	if (tenths < 0) {
		putc('-', out);
		tenths = -tenths;
	}
	fprintf(out, "%lld.%lld", tenths / 10, tenths % 10);
}

/* nice_step - the smallest of 1, 2, 5 times a power of ten that covers
 * max in at most lines steps */
static uint64_t
nice_step(uint64_t max, uint64_t lines)
{
	static const uint64_t mantissas[] = {1, 2, 5};

	for (uint64_t base = 1;; base *= 10) {
		for (size_t m = 0; m < 3; m++)
			if (mantissas[m] * base * lines >= max)
				return mantissas[m] * base;
		if (base > UINT64_MAX / 100)
			return base * 10;
	}
}

/*
 * write_patterns - one fill pattern per series: a colour and, except
 * for the first, lines or dots drawn over it
 */
static void
write_patterns(FILE *out)
{
	static const char *const marks[TIMELINE_SERIES] = {
		"",
		"<path class=\"hatch\" d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\"/>",
		"<circle class=\"dot\" cx=\"3\" cy=\"3\" r=\"1.2\"/>",
		"<path class=\"hatch\" d=\"M0,3 h6\"/>",
		"<path class=\"hatch\" d=\"M0,0 l6,6 M6,0 l-6,6\"/>",
	};

	fputs("<defs>\n", out);
	for (int s = 0; s < TIMELINE_SERIES; s++)
		fprintf(out,
			"<pattern id=\"bl-s%d\" width=\"6\" height=\"6\" "
			"patternUnits=\"userSpaceOnUse\"><rect class=\"s%d\" "
			"width=\"6\" height=\"6\"/>%s</pattern>\n",
			s, s, marks[s]);
	fputs("</defs>\n", out);
}

/* duration - a bucket width as "15 min", "3 h" or "7 d" */
static const char *
duration(int64_t seconds, char *buf, size_t len)
{
	if (seconds % 86400 == 0)
		snprintf(buf, len, _("%lld d"), (long long)(seconds / 86400));
	else if (seconds % 3600 == 0)
		snprintf(buf, len, _("%lld h"), (long long)(seconds / 3600));
	else
		snprintf(buf, len, _("%lld min"), (long long)(seconds / 60));
	return buf;
}

/* bucket_time - the start of bucket i as "YYYY-MM-DD HH:MM" */
static const char *
bucket_time(const struct timeline *tl, size_t i, char *buf, size_t len)
{
	struct logtime start = timeline_bucket_start(tl, i);
	char stamp[48];

	logtime_format(&start, stamp, sizeof stamp);
	snprintf(buf, len, "%.10s %.5s", stamp, stamp + 11);
	return buf;
}

/* label_every - how many buckets apart the time labels are */
static int64_t
label_every(const struct timeline *tl)
{
	size_t n = sizeof label_steps / sizeof label_steps[0];

	for (size_t i = 0; i < n; i++) {
		int64_t k = label_steps[i] / tl->width;

		if (label_steps[i] % tl->width != 0 || k < 1)
			continue;
		if ((int64_t)tl->nbuckets <= k * TL_TIME_LABELS)
			return k;
	}
	return ((int64_t)tl->nbuckets + TL_TIME_LABELS - 1) / TL_TIME_LABELS;
}

/* Where the timeline's bars go, in viewBox units. */
struct plot {
	double left;		/* left edge of the first bar */
	double bar_w;		/* width of one bucket */
	double height;		/* height of the plot area */
	uint64_t top;		/* count at the top of the plot area */
};

/* write_count_axis - gridlines and labels of the count axis */
static void
write_count_axis(FILE *out, uint64_t step, uint64_t top, double plot_h)
{
	for (uint64_t v = 0; v <= top; v += step) {
		double y = TL_TOP + plot_h - plot_h * (double)v / (double)top;

		fprintf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"",
			TL_LEFT, TL_WIDTH - TL_RIGHT);
		coord(out, y);
		fputs("\" y2=\"", out);
		coord(out, y);
		fprintf(out, "\"/><text x=\"%d\" y=\"", TL_LEFT - 6);
		coord(out, y + 4);
		fputs("\" text-anchor=\"end\">", out);
		html_count(out, v);
		fputs("</text>\n", out);
	}
}

/*
 * write_time_axis - a label every few buckets, on multiples of the label
 * interval.  Labels a day or more apart show the date alone; others show
 * the time, and the date below it when the date changes.
 */
static void
write_time_axis(FILE *out, const struct timeline *tl, const struct plot *p)
{
	int64_t every = label_every(tl);
	bool dates_only = every * tl->width % 86400 == 0;
	char last_date[16] = "", when[32];
	int y = TL_HEIGHT - TL_BOTTOM;
	bool labelled = false;

	fprintf(out, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		     "y2=\"%d\"/>\n",
		TL_LEFT, TL_WIDTH - TL_RIGHT, y, y);
	for (size_t i = 0; i < tl->nbuckets; i++) {
		int64_t number = tl->first + (int64_t)i;
		double x = p->left + p->bar_w * (double)i;

		if (((number % every) + every) % every != 0)
			continue;
		if (labelled && x > TL_WIDTH - TL_RIGHT - TL_LABEL_MARGIN)
			break;
		labelled = true;
		bucket_time(tl, i, when, sizeof when);
		fputs("<line class=\"axis\" x1=\"", out);
		coord(out, x);
		fputs("\" x2=\"", out);
		coord(out, x);
		fprintf(out, "\" y1=\"%d\" y2=\"%d\"/>\n<text x=\"", y, y + 5);
		coord(out, x);
		fprintf(out, "\" y=\"%d\" text-anchor=\"middle\">", y + 18);
		if (dates_only) {
			html_escape(out, when, 10);
		} else {
			html_escape(out, when + 11, 5);
			if (strncmp(last_date, when, 10) != 0) {
				fputs("<tspan x=\"", out);
				coord(out, x);
				fputs("\" dy=\"15\">", out);
				html_escape(out, when, 10);
				fputs("</tspan>", out);
				snprintf(last_date, sizeof last_date, "%.10s",
					 when);
			}
		}
		fputs("</text>\n", out);
	}
}

/* write_bucket - the stacked bars of one bucket, with a tooltip */
static void
write_bucket(FILE *out, const struct timeline *tl, size_t i,
	     const struct plot *p)
{
	uint64_t total = timeline_bucket_total(tl, i);
	double x = p->left + p->bar_w * (double)i, base = TL_TOP + p->height;
	double w = p->bar_w >= 4 ? p->bar_w - 1 : p->bar_w;
	char when[32];

	if (total == 0)
		return;
	fputs("<g><title>", out);
	html_text(out, bucket_time(tl, i, when, sizeof when));
	fputs(": ", out);
	html_count(out, total);
	for (int s = 0; s < TIMELINE_SERIES; s++) {
		if (tl->counts[i][s] == 0)
			continue;
		putc('\n', out);
		html_text(out, html_series_label((enum timeline_series)s));
		fputs(": ", out);
		html_count(out, tl->counts[i][s]);
	}
	fputs("</title>", out);
	for (int s = 0; s < TIMELINE_SERIES; s++) {
		double h = p->height * (double)tl->counts[i][s] /
			   (double)p->top;

		if (tl->counts[i][s] == 0)
			continue;
		base -= h;
		fputs("<rect x=\"", out);
		coord(out, x);
		fputs("\" y=\"", out);
		coord(out, base);
		fputs("\" width=\"", out);
		coord(out, w);
		fputs("\" height=\"", out);
		coord(out, h);
		fprintf(out, "\" fill=\"url(#bl-s%d)\"/>", s);
	}
	fputs("</g>\n", out);
}

/* write_legend - the series with their pattern and total */
static void
write_legend(FILE *out, const struct timeline *tl)
{
	fputs("<ul class=\"legend\">\n", out);
	for (int s = 0; s < TIMELINE_SERIES; s++) {
		fprintf(out,
			"<li><svg viewBox=\"0 0 12 12\" aria-hidden=\"true\">"
			"<rect width=\"12\" height=\"12\" fill=\"url(#bl-s%d)\"/>"
			"</svg>",
			s);
		html_text(out, html_series_label((enum timeline_series)s));
		fputs(": ", out);
		html_count(out, timeline_series_total(tl,
						      (enum timeline_series)s));
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

/* write_timeline_table - the non-empty buckets, behind a disclosure */
static void
write_timeline_table(FILE *out, const struct timeline *tl)
{
	char when[32];

	fputs("<details>\n<summary>", out);
	html_text(out, _("Numbers per time bucket"));
	fputs("</summary>\n<table>\n<thead><tr>", out);
	html_th(out, _("From"), false);
	for (int s = 0; s < TIMELINE_SERIES; s++)
		html_th(out, html_series_label((enum timeline_series)s), true);
	html_th(out, _("Total"), true);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < tl->nbuckets; i++) {
		if (timeline_bucket_total(tl, i) == 0)
			continue;
		fputs("<tr><th scope=\"row\">", out);
		html_text(out, bucket_time(tl, i, when, sizeof when));
		fputs("</th>", out);
		for (int s = 0; s < TIMELINE_SERIES; s++)
			html_td_count(out, tl->counts[i][s]);
		html_td_count(out, timeline_bucket_total(tl, i));
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</details>\n", out);
}

/* write_caption - the bucket width, the zone, and untimed failures */
static void
write_caption(FILE *out, const struct timeline *tl)
{
	char width[32], zone[16], text[256];
	uint64_t untimed = 0;

	for (int s = 0; s < TIMELINE_SERIES; s++)
		untimed += tl->untimed[s];
	duration(tl->width, width, sizeof width);
	snprintf(zone, sizeof zone, "UTC%c%02d:%02d",
		 tl->offset_min < 0 ? '-' : '+', abs(tl->offset_min) / 60,
		 abs(tl->offset_min) % 60);
	if (tl->has_offset)
		snprintf(text, sizeof text,
			 _("Failures per %s, stacked by kind. Times are in "
			   "%s."),
			 width, zone);
	else
		snprintf(text, sizeof text,
			 _("Failures per %s, stacked by kind. Times are as "
			   "logged."),
			 width);
	fputs("<figcaption>", out);
	html_text(out, text);
	if (untimed > 0) {
		putc(' ', out);
		html_text(out, _("Failures without a time, not drawn:"));
		putc(' ', out);
		html_count(out, untimed);
		putc('.', out);
	}
	fputs("</figcaption>\n", out);
}

void
html_chart_timeline(FILE *out, const struct timeline *tl)
{
	double plot_w = TL_WIDTH - TL_LEFT - TL_RIGHT;
	size_t slots = tl->nbuckets > TL_SLOTS_MIN ? tl->nbuckets : TL_SLOTS_MIN;
	struct plot p;
	uint64_t max = 0, step;

	for (size_t i = 0; i < tl->nbuckets; i++)
		if (timeline_bucket_total(tl, i) > max)
			max = timeline_bucket_total(tl, i);
	if (max == 0) {
		fputs("<p>", out);
		html_text(out, tl->nbuckets == 0
				       ? _("No timestamped lines were read.")
				       : _("No failures in this period."));
		fputs("</p>\n", out);
		return;
	}
	step = nice_step(max, TL_COUNT_LINES);
	p.top = (max + step - 1) / step * step;
	p.height = TL_HEIGHT - TL_TOP - TL_BOTTOM;
	p.bar_w = plot_w / (double)slots;
	p.left = TL_LEFT + (plot_w - p.bar_w * (double)tl->nbuckets) / 2;

	fprintf(out, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		     "role=\"img\" aria-labelledby=\"timeline-title\">\n"
		     "<title id=\"timeline-title\">",
		TL_WIDTH, TL_HEIGHT);
	html_text(out, _("Failures over time, stacked by kind"));
	fputs("</title>\n<desc>", out);
	html_text(out, _("The numbers are in the table below the chart."));
	fputs("</desc>\n", out);
	write_patterns(out);
	write_count_axis(out, step, p.top, p.height);
	for (size_t i = 0; i < tl->nbuckets; i++)
		write_bucket(out, tl, i, &p);
	write_time_axis(out, tl, &p);
	fputs("</svg>\n", out);
	write_caption(out, tl);
	fputs("</figure>\n", out);
	write_legend(out, tl);
	write_timeline_table(out, tl);
}

void
html_chart_bars(FILE *out, const char *id, const char *title,
		const struct html_bar *bars, size_t n)
{
	double room = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
	uint64_t max = 0;

	if (n > HTML_CHART_BARS_MAX)
		n = HTML_CHART_BARS_MAX;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	if (n == 0 || max == 0)
		return;

	fprintf(out, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %zu\" "
		     "role=\"img\" aria-labelledby=\"%s-title\">\n"
		     "<title id=\"%s-title\">",
		BAR_WIDTH, n * BAR_ROW + 8, id, id);
	html_text(out, title);
	fputs("</title>\n<desc>", out);
	html_text(out, _("The numbers are in the table below the chart."));
	fputs("</desc>\n", out);
	for (size_t i = 0; i < n; i++) {
		double len = room * (double)bars[i].value / (double)max;
		size_t y = 4 + i * BAR_ROW;

		if (len < 1)
			len = 1;
		fputs("<g><title>", out);
		html_escape(out, bars[i].label, bars[i].label_len);
		fputs(": ", out);
		html_count(out, bars[i].value);
		fprintf(out, "</title><text x=\"%d\" y=\"%zu\" "
			     "text-anchor=\"end\">",
			BAR_LABEL - 8, y + 16);
		html_escape_cut(out, bars[i].label, bars[i].label_len,
				HTML_LABEL_CHARS);
		fprintf(out, "</text><rect class=\"bar\" x=\"%d\" y=\"%zu\" "
			     "height=\"%d\" width=\"",
			BAR_LABEL, y + 3, BAR_ROW - 6);
		coord(out, len);
		fputs("\"/><text x=\"", out);
		coord(out, BAR_LABEL + len + 6);
		fprintf(out, "\" y=\"%zu\">", y + 16);
		html_count(out, bars[i].value);
		fputs("</text></g>\n", out);
	}
	fputs("</svg>\n</figure>\n", out);
}
