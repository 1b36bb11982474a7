/* SPDX-License-Identifier: MIT */
/*
 * report_text.c - the plain-text report, for cron mail and terminals
 *
 * Lines stay within 80 columns: example log lines are wrapped at spaces and
 * cut after EXAMPLE_LINES rows.  Every log-derived string goes
 * through escape_text(), so a hostile reply cannot send terminal control
 * sequences.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/escape.h"
#include "report_impl.h"

/* Widths of the key column in tables, in characters. */
#define KEY_WIDTH 40

/* Example lines are wrapped at this width, after an 11-column indent. */
#define EXAMPLE_WIDTH 69
#define EXAMPLE_LINES 4

/* Examples printed per code; the JSON report has all that were kept. */
#define TEXT_EXAMPLES 1

/* Domains and hosts named per reason, and the width that the label,
 * advice and those lists are wrapped at. */
#define REASON_TOP 3
#define WRAP_WIDTH 78

/* put_key - a log-derived key, padded to width characters */
static void
put_key(FILE *out, const char *key, size_t len, size_t width)
{
	size_t shown = escape_text_width(key, len);

	escape_text(out, key, len, width);
	for (; shown < width; shown++)
		putc(' ', out);
}

static void
heading(FILE *out, const char *title)
{
	size_t n = strlen(title);

	fprintf(out, "\n%s\n", title);
	for (size_t i = 0; i < n; i++)
		putc('-', out);
	putc('\n', out);
}

static void
write_period(FILE *out, const struct tally *t)
{
	char first[48], last[48];

	if (!t->have_time) {
		fputs("Period:   no timestamped lines\n", out);
		return;
	}
	fprintf(out, "Period:   %s to %s\n",
		logtime_format(&t->first, first, sizeof first),
		logtime_format(&t->last, last, sizeof last));
}

/* write_formats - lines per log format, when more than one took any */
static void
write_formats(FILE *out, const struct input_stats *in)
{
	size_t used = 0;

	for (size_t i = 0; i < in->nformats; i++)
		used += in->formats[i].recognized + in->formats[i].unknown > 0;
	if (used < 2)
		return;
	fputs("    by format:", out);
	for (size_t i = 0; i < in->nformats; i++) {
		const struct input_format *f = &in->formats[i];

		if (f->recognized + f->unknown == 0)
			continue;
		fprintf(out, " %s %" PRIu64 " recognized, %" PRIu64 " unknown;",
			f->name, f->recognized, f->unknown);
	}
	putc('\n', out);
}

static void
write_inputs(FILE *out, const struct tally *t)
{
	uint64_t lines = 0, recognized = 0, unrecognized = 0, errors = 0;

	for (size_t i = 0; i < t->ninputs; i++) {
		lines += t->inputs[i].lines;
		recognized += t->inputs[i].recognized;
		unrecognized += t->inputs[i].unrecognized;
		errors += t->inputs[i].errors;
	}
	fprintf(out,
		"Inputs:   %zu file%s, %" PRIu64 " lines, %" PRIu64
		" recognized, %" PRIu64 " not recognized, %" PRIu64
		" error%s\n",
		t->ninputs, t->ninputs == 1 ? "" : "s", lines, recognized,
		unrecognized, errors, errors == 1 ? "" : "s");

	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input_stats *in = &t->inputs[i];

		fputs("  ", out);
		escape_text(out, in->name, strlen(in->name), 60);
		fprintf(out, " (%s, %s)\n", in->format, in->encoding);
		write_formats(out, in);
		fprintf(out,
			"    %" PRIu64 " lines: %" PRIu64 " recognized, %" PRIu64
			" other programs, %" PRIu64 " unknown, %" PRIu64
			" without header\n",
			in->lines, in->recognized, in->foreign, in->unknown,
			in->bad_header);
		if (in->errors || in->truncated || in->limit_hits)
			fprintf(out,
				"    %" PRIu64 " read errors, %" PRIu64
				" lines cut at 1 MiB, %" PRIu64
				" over a pattern limit\n",
				in->errors, in->truncated, in->limit_hits);
	}
}

static void
total(FILE *out, const char *label, uint64_t value, const char *note)
{
	fprintf(out, "  %-26s %10" PRIu64 "%s%s\n", label, value,
		note[0] ? "  " : "", note);
}

static void
write_totals(FILE *out, const struct tally *t)
{
	char note[96];

	heading(out, "Totals");
	total(out, "delivered", t->delivered, "");
	snprintf(note, sizeof note, "attempts; %" PRIu64 " recipients%s",
		 t->deferred_unique, t->soft_bounced ? "," : "");
	if (t->soft_bounced)
		snprintf(note + strlen(note), sizeof note - strlen(note),
			 " %" PRIu64 " soft bounces", t->soft_bounced);
	total(out, "deferred", t->deferred, note);
	total(out, "bounced", t->bounced, "");
	snprintf(note, sizeof note, "recipients of %" PRIu64 " messages",
		 t->expired_messages);
	total(out, "expired", t->expired, note);
	snprintf(note, sizeof note, "plus %" PRIu64 " warnings not enforced",
		 t->reject_warnings);
	total(out, "rejected inbound", t->rejected, note);
	total(out, "forwarded", t->forwarded, "");
	total(out, "notifications sent", t->notifications, "");
	snprintf(note, sizeof note, "deliverable, %" PRIu64 " undeliverable",
		 t->probes_failed);
	total(out, "address probes", t->probes_ok, note);
	total(out, "code mismatches", t->code_mismatches,
	      t->code_mismatches ? "dsn= and reply text differ" : "");
}

/* write_counts - a top table of a uint64_t map */
static void
write_counts(FILE *out, const char *title, const struct strmap *map,
	     unsigned top)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_COUNT, &n);

	if (n > 0)
		fprintf(out, "  %s:\n", title);
	for (size_t i = 0; i < n && i < top; i++) {
		fputs("    ", out);
		put_key(out, rows[i].key, rows[i].key_len, KEY_WIDTH);
		fprintf(out, " %10" PRIu64 "\n", rows[i].count);
	}
	if (n > top)
		fprintf(out, "    (%zu more)\n", n - top);
	free(rows);
}

/* write_domains - top recipient domains of a class with failure rate */
static void
write_domains(FILE *out, const struct tally *t, const struct class_stat *cs,
	      unsigned top)
{
	size_t n;
	struct row *rows = report_rows(cs->domains, ROW_COUNT, &n);

	if (n > 0)
		fprintf(out, "  Top recipient domains:%*s  failures  of attempts\n",
			KEY_WIDTH - 20, "");
	for (size_t i = 0; i < n && i < top; i++) {
		const struct domain_stat *d =
			strmap_get(t->domains, rows[i].key, rows[i].key_len);
		uint64_t all = d ? d->delivered + d->deferred + d->bounced +
					   d->expired
				 : 0;

		fputs("    ", out);
		put_key(out, rows[i].key, rows[i].key_len, KEY_WIDTH);
		fprintf(out, " %10" PRIu64, rows[i].count);
		if (all > 0)
			fprintf(out, "  %5.1f%%", 100.0 * (double)rows[i].count /
							   (double)all);
		putc('\n', out);
	}
	if (n > top)
		fprintf(out, "    (%zu more)\n", n - top);
	free(rows);
}

/* write_example - the message part of a log line, wrapped at spaces */
static void
write_example(FILE *out, const char *line)
{
	size_t len = strlen(line);
	const char *tag_end = strstr(line, "]: ");
	size_t pos = 0;

	/* The syslog header says nothing about the failure; skip it. */
	if (tag_end != NULL && tag_end - line < 200)
		pos = (size_t)(tag_end - line) + 3;

	for (int row = 0; row < EXAMPLE_LINES && pos < len; row++) {
		size_t chunk;

		while (row > 0 && pos < len && line[pos] == ' ')
			pos++;
		if (pos == len)
			break;
		chunk = escape_text_bytes(line + pos, len - pos, EXAMPLE_WIDTH);

		fputs(row == 0 ? "      e.g. " : "           ", out);
		if (row == EXAMPLE_LINES - 1 && pos + chunk < len) {
			escape_text(out, line + pos, len - pos, EXAMPLE_WIDTH);
			putc('\n', out);
			return;
		}

		/* Break after the last space, unless that leaves little. */
		if (pos + chunk < len) {
			size_t cut = chunk;

			while (cut > EXAMPLE_WIDTH / 2 && line[pos + cut - 1] != ' ')
				cut--;
			if (line[pos + cut - 1] == ' ')
				chunk = cut;
		}
		escape_text(out, line + pos,
			    chunk - (line[pos + chunk - 1] == ' ' ? 1 : 0), 0);
		putc('\n', out);
		pos += chunk;
	}
}

/* write_codes - codes with descriptions, and examples for the first few */
static void
write_codes(FILE *out, const char *title, const struct strmap *map,
	    const struct report_options *opts, unsigned with_examples)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);

	if (n > 0)
		fprintf(out, "  %s:\n", title);
	for (size_t i = 0; i < n && i < opts->top; i++) {
		const struct code_stat *cs = rows[i].value;

		fprintf(out, "    %-9s %8" PRIu64 "  ", rows[i].key,
			rows[i].count);
		escape_text(out, report_code_text(rows[i].key, opts->lang),
			    strlen(report_code_text(rows[i].key, opts->lang)),
			    56);
		putc('\n', out);
		for (int k = 0; i < with_examples && k < TEXT_EXAMPLES; k++) {
			if (cs->examples[k] == NULL)
				break;
			write_example(out, cs->examples[k]);
		}
	}
	if (n > opts->top)
		fprintf(out, "    (%zu more)\n", n - opts->top);
	free(rows);
}

static void
write_subjects(FILE *out, const struct class_stat *cs, enum lang lang)
{
	bool any = false;

	for (int s = 0; s < SUBJECT_SLOTS; s++)
		any = any || cs->subjects[s] > 0;
	if (!any)
		return;
	fputs("  By enhanced status subject:\n", out);
	for (int s = 0; s < SUBJECT_SLOTS; s++) {
		struct enh_status st = {5, (unsigned short)s, 0};
		const char *text;

		if (cs->subjects[s] == 0)
			continue;
		if (s < SUBJECT_OTHER) {
			text = codes_text(codes_enh_subject(&st), lang);
			fprintf(out, "    X.%d  ", s);
		} else {
			text = s == SUBJECT_OTHER ? "(unregistered subject)"
						  : "(no enhanced status code)";
			fputs("         ", out);
		}
		put_key(out, text, strlen(text), KEY_WIDTH - 5);
		fprintf(out, " %10" PRIu64 "\n", cs->subjects[s]);
	}
}

static void
write_class(FILE *out, const struct tally *t, const struct class_stat *cs,
	    const char *title, bool inbound, const struct report_options *opts)
{
	heading(out, title);
	if (cs->count == 0) {
		fputs("  none\n", out);
		return;
	}
	write_subjects(out, cs, opts->lang);
	write_codes(out, "Reply codes", cs->reply_codes, opts, 0);
	write_codes(out, "Enhanced status codes", cs->enh_codes, opts, 3);
	if (inbound) {
		write_counts(out, "SMTP stages", cs->stages, opts->top);
		write_counts(out, "Top recipient domains", cs->domains,
			     opts->top);
		write_counts(out, "Top clients", cs->hosts, opts->top);
	} else {
		write_domains(out, t, cs, opts->top);
		write_counts(out, "Top remote hosts", cs->hosts, opts->top);
	}
	write_counts(out, "Top senders", cs->senders, opts->top);
	write_counts(out, "Top components", cs->components, opts->top);
}

/*
 * write_wrapped - text after a first-line prefix, wrapped at spaces to
 * WRAP_WIDTH columns; continuation lines are indented like the text
 */
static void
write_wrapped(FILE *out, const char *prefix, const char *text)
{
	size_t indent = escape_text_width(prefix, strlen(prefix));
	size_t col = indent, len = strlen(text), pos = 0;

	fputs(prefix, out);
	while (pos < len) {
		size_t end = pos, width;

		while (end < len && text[end] != ' ')
			end++;
		width = escape_text_width(text + pos, end - pos);
		if (col > indent && col + 1 + width > WRAP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putc(' ', out);
			col++;
		}
		escape_text(out, text + pos, end - pos, 0);
		col += width;
		pos = end;
		while (pos < len && text[pos] == ' ')
			pos++;
	}
	putc('\n', out);
}

/* write_top_inline - "label key count, key count" of a count map, at
 * most REASON_TOP entries, wrapped like write_wrapped() */
static void
write_top_inline(FILE *out, const char *label, const struct strmap *map)
{
	size_t n, indent = strlen(label), col = indent;
	struct row *rows;

	if (map == NULL || strmap_count(map) == 0)
		return;
	rows = report_rows(map, ROW_COUNT, &n);
	fputs(label, out);
	for (size_t i = 0; i < n && i < REASON_TOP; i++) {
		char count[24];
		size_t width;

		snprintf(count, sizeof count, " %" PRIu64 "%s", rows[i].count,
			 i + 1 < n && i + 1 < REASON_TOP ? "," : "");
		width = escape_text_width(rows[i].key, rows[i].key_len);
		if (width > KEY_WIDTH)
			width = KEY_WIDTH;
		width += strlen(count);
		if (col > indent && col + 1 + width > WRAP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putc(' ', out);
			col++;
		}
		escape_text(out, rows[i].key, rows[i].key_len, KEY_WIDTH);
		fputs(count, out);
		col += width;
	}
	if (n > REASON_TOP)
		fprintf(out, "%s(%zu more)",
			col + 12 > WRAP_WIDTH ? "\n           " : " ",
			n - REASON_TOP);
	putc('\n', out);
	free(rows);
}

/* write_reason_events - "3 deferred, 1 bounced" for the kinds seen */
static void
write_reason_events(FILE *out, const struct reason_stat *rs)
{
	const struct {
		const char *word;
		uint64_t count;
	} kinds[] = {
		{"deferred", rs->deferred}, {"bounced", rs->bounced},
		{"expired", rs->expired}, {"rejected inbound", rs->rejected},
	};
	bool first = true;

	fputs("    ", out);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i].count == 0)
			continue;
		fprintf(out, "%s%" PRIu64 " %s", first ? "" : ", ",
			kinds[i].count, kinds[i].word);
		first = false;
	}
	putc('\n', out);
}

/* write_reasons - failures per reason, with what to do about each */
static void
write_reasons(FILE *out, const struct tally *t,
	      const struct report_options *opts)
{
	enum reason order[REASON_COUNT];
	size_t n = report_reason_order(t, order);
	char title[80];

	snprintf(title, sizeof title, "Failure reasons: %" PRIu64 " failures",
		 t->failures);
	heading(out, title);
	if (n == 0) {
		fputs("  none\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct reason_stat *rs = &t->reasons[order[i]];

		fprintf(out, "%s  %-18s %-4s %10" PRIu64 "  %5.1f%%\n",
			i ? "\n" : "", reason_name(order[i]),
			bounce_kind_name(reason_kind(order[i])), rs->count,
			100.0 * (double)rs->count / (double)t->failures);
		write_wrapped(out, "    ", reason_label(order[i], opts->lang));
		write_reason_events(out, rs);
		write_wrapped(out, opts->lang == LANG_TR ? "    Öneri: "
							 : "    Advice: ",
			      reason_advice(order[i], opts->lang));
		write_top_inline(out, "    Domains: ", rs->domains);
		write_top_inline(out, "    Hosts: ", rs->hosts);
		write_top_inline(out, "    Clients: ", rs->clients);
		if (rs->examples[0] != NULL)
			write_example(out, rs->examples[0]);
	}
}

static int
text_write(FILE *out, const struct tally *t, const struct report_options *opts)
{
	char title[80];

	fputs("bouncelog report\n================\n", out);
	write_period(out, t);
	write_inputs(out, t);
	write_totals(out, t);
	write_reasons(out, t, opts);

	snprintf(title, sizeof title,
		 "Temporary delivery failures (4xx): %" PRIu64 " deferrals",
		 t->outbound[0].count);
	write_class(out, t, &t->outbound[0], title, false, opts);
	snprintf(title, sizeof title,
		 "Permanent delivery failures (5xx): %" PRIu64 " bounces",
		 t->outbound[1].count);
	write_class(out, t, &t->outbound[1], title, false, opts);
	snprintf(title, sizeof title,
		 "Inbound rejections, temporary (4xx): %" PRIu64,
		 t->inbound[0].count);
	write_class(out, t, &t->inbound[0], title, true, opts);
	snprintf(title, sizeof title,
		 "Inbound rejections, permanent (5xx): %" PRIu64,
		 t->inbound[1].count);
	write_class(out, t, &t->inbound[1], title, true, opts);
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_text = {
	.name = "text",
	.write = text_write,
};
