/* SPDX-License-Identifier: MIT */
/*
 * report_range.c - the requested time range in the text, JSON and HTML
 * reports
 *
 * Every function here writes nothing when no range was requested, so
 * reports without -d, --since or --until stay as they were.  Bounds are
 * written as local RFC 3339 times with the zone's offset.
 */
#include <inttypes.h>
#include <string.h>

#include "bouncelog/escape.h"
#include "bouncelog/html.h"
#include "bouncelog/i18n.h"
#include "report_html_impl.h"
#include "report_impl.h"

/* sum_outside - lines before and after the range and without a time, over
 * all inputs */
static void
sum_outside(const struct tally *t, uint64_t *before, uint64_t *after,
	    uint64_t *untimed)
{
	*before = *after = *untimed = 0;
	for (size_t i = 0; i < t->ninputs; i++) {
		*before += t->inputs[i].before_range;
		*after += t->inputs[i].after_range;
		*untimed += t->inputs[i].untimed;
	}
}

/* text_field - a header label padded to the column of the values, as
 * the text report pads "Period:" */
static void
text_field(FILE *out, const char *label)
{
	size_t width = escape_text_width(label, strlen(label));

	fputs(label, out);
	for (; width < REPORT_FIELD_WIDTH - 1; width++)
		putc(' ', out);
	putc(' ', out);
}

void
report_text_range(FILE *out, const struct tally *t)
{
	const struct timerange *range = &t->range;
	char since[TIMERANGE_TEXT_MAX], until[TIMERANGE_TEXT_MAX];
	uint64_t before, after, untimed;

	if (!timerange_active(range))
		return;
	timerange_format(&range->since, since, sizeof since);
	timerange_format(&range->until, until, sizeof until);
	text_field(out, _("Range:"));
	if (range->has_since && range->has_until)
		fprintf(out, _("%s to %s"), since, until);
	else if (range->has_since)
		/* TRANSLATORS: a time range without an end. */
		fprintf(out, _("since %s"), since);
	else
		/* TRANSLATORS: a time range without a start; the time
		 * itself is not in the range. */
		fprintf(out, _("before %s"), until);
	putc('\n', out);

	sum_outside(t, &before, &after, &untimed);
	text_field(out, _("Outside:"));
	fprintf(out,
		P_("%" PRIu64 " line before the range, %" PRIu64
		   " after it, %" PRIu64 " without a timestamp",
		   "%" PRIu64 " lines before the range, %" PRIu64
		   " after it, %" PRIu64 " without a timestamp",
		   before),
		before, after, untimed);
	putc('\n', out);
}

void
report_text_input_range(FILE *out, const struct tally *t,
			const struct input_stats *in)
{
	if (!timerange_active(&t->range))
		return;
	fputs("    ", out);
	fprintf(out,
		_("outside the range: %" PRIu64 " before, %" PRIu64
		  " after, %" PRIu64 " without a timestamp"),
		in->before_range, in->after_range, in->untimed);
	putc('\n', out);
}

/* json_bound - a bound as a JSON string, or null for an open end */
static void
json_bound(FILE *out, bool present, const struct timerange_bound *bound)
{
	char text[TIMERANGE_TEXT_MAX];

	if (present)
		fprintf(out, "\"%s\"", timerange_format(bound, text, sizeof text));
	else
		fputs("null", out);
}

void
report_json_range(FILE *out, const struct tally *t)
{
	const struct timerange *range = &t->range;
	uint64_t before, after, untimed;

	if (!timerange_active(range))
		return;
	sum_outside(t, &before, &after, &untimed);
	fputs("\"range\": {\"since\": ", out);
	json_bound(out, range->has_since, &range->since);
	fputs(", \"until\": ", out);
	json_bound(out, range->has_until, &range->until);
	fprintf(out,
		", \"lines_before\": %" PRIu64 ", \"lines_after\": %" PRIu64
		", \"lines_untimed\": %" PRIu64 "},\n  ",
		before, after, untimed);
}

void
report_json_input_range(FILE *out, const struct tally *t,
			const struct input_stats *in)
{
	if (!timerange_active(&t->range))
		return;
	fprintf(out,
		"\"before_range\": %" PRIu64 ", \"after_range\": %" PRIu64
		", \"untimed\": %" PRIu64 ", ",
		in->before_range, in->after_range, in->untimed);
}

/*
 * html_times - the translated format fmt with each "%s" replaced by the
 * next of times as a <time> element, so that a translation may put the
 * times where its word order needs them
 */
static void
html_times(FILE *out, const char *fmt, const char *const *times)
{
	const char *next;

	while ((next = strstr(fmt, "%s")) != NULL) {
		html_escape(out, fmt, (size_t)(next - fmt));
		fputs("<time>", out);
		html_text(out, *times++);
		fputs("</time>", out);
		fmt = next + 2;
	}
	html_text(out, fmt);
}

void
report_html_range(FILE *out, const struct tally *t)
{
	const struct timerange *range = &t->range;
	char since[TIMERANGE_TEXT_MAX], until[TIMERANGE_TEXT_MAX];
	char outside[160];
	uint64_t before, after, untimed;

	if (!timerange_active(range))
		return;
	timerange_format(&range->since, since, sizeof since);
	timerange_format(&range->until, until, sizeof until);
	fputs("<p>", out);
	html_text(out, _("Range:"));
	putc(' ', out);
	/* The same words as the text report's header. */
	if (range->has_since && range->has_until)
		html_times(out, _("%s to %s"),
			   (const char *const[]){since, until});
	else if (range->has_since)
		html_times(out, _("since %s"), (const char *const[]){since});
	else
		html_times(out, _("before %s"), (const char *const[]){until});
	fputs(". ", out);

	sum_outside(t, &before, &after, &untimed);
	snprintf(outside, sizeof outside,
		 P_("Outside it: %" PRIu64 " line before, %" PRIu64
		    " after, %" PRIu64 " without a timestamp.",
		    "Outside it: %" PRIu64 " lines before, %" PRIu64
		    " after, %" PRIu64 " without a timestamp.",
		    before),
		 before, after, untimed);
	html_text(out, outside);
	fputs("</p>\n", out);
}
