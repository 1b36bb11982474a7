/* SPDX-License-Identifier: MIT */
/*
 * report_text.c - the plain-text report, for cron mail and terminals
 *
 * Lines stay within 80 columns: example log lines are wrapped at spaces and
 * cut after EXAMPLE_LINES rows.  Every log-derived string goes
 * through escape_text(), so a hostile reply cannot send terminal control
 * sequences.  Headings and labels are translated, so every width, pad
 * and underline is counted in characters of the text as printed, never
 * in bytes: a Turkish "ğ" takes two bytes and one column.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/color.h"
#include "bouncelog/escape.h"
#include "bouncelog/i18n.h"
#include "report_impl.h"

/* Widths of the key column in tables, in characters. */
#define KEY_WIDTH 40

/* Example lines are wrapped to end by this column, after the label. */
#define EXAMPLE_END 80
#define EXAMPLE_INDENT 6
#define EXAMPLE_LINES 4

/* Examples printed per code; the JSON report and --detail=full show
 * all that were kept (TALLY_EXAMPLES). */
#define TEXT_EXAMPLES 1

/* Domains and hosts named per reason (--top of them with --detail=full),
 * and the width that the label, advice and those lists are wrapped at. */
#define REASON_TOP 3
#define WRAP_WIDTH 78

/* Column where the values of "Period:" and "Inputs:" start. */
#define FIELD_WIDTH REPORT_FIELD_WIDTH

/* Width of the label column of the totals. */
#define TOTAL_WIDTH 26

/* Columns of the count and the percentage in tables. */
#define COUNT_WIDTH 10
#define PERCENT_WIDTH 6

/* text_width - display width of a translated label or heading */
static size_t
text_width(const char *text)
{
	return escape_text_width(text, strlen(text));
}

/* pad - spaces from column shown up to column width */
static void
pad(FILE *out, size_t shown, size_t width)
{
	for (; shown < width; shown++)
		putc(' ', out);
}

/* put_left - text, then spaces up to width columns */
static void
put_left(FILE *out, const char *text, size_t width)
{
	fputs(text, out);
	pad(out, text_width(text), width);
}

/* put_right - spaces, then text ending at column width */
static void
put_right(FILE *out, const char *text, size_t width)
{
	pad(out, text_width(text), width);
	fputs(text, out);
}

/*
 * shown_key - the text shown for a table key: the tally's placeholders
 * for a missing value, such as "(unknown)", in the report language, and
 * any other key as it is
 */
static const char *
shown_key(const char *key, size_t *len)
{
	static const char *const placeholders[] = {
		/* TRANSLATORS: placeholders in the tables for an address,
		 * host, stage or program that the log did not give, and for
		 * the keys past a table's limit. */
		N_("(unknown)"), N_("(local)"), N_("(none)"), N_("(other)"),
	};

	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0];
	     i++) {
		if (*len == strlen(placeholders[i]) &&
		    memcmp(key, placeholders[i], *len) == 0) {
			key = _(placeholders[i]);
			*len = strlen(key);
			break;
		}
	}
	return key;
}

/* Whether the report being written is coloured; set by text_write(). */
static bool text_color;

/* paint - an SGR sequence when the report is coloured, else "" */
static const char *
paint(const char *sgr)
{
	return text_color ? sgr : "";
}

/* put_key - a log-derived key, padded to width characters */
static void
put_key(FILE *out, const char *key, size_t len, size_t width)
{
	size_t shown;

	key = shown_key(key, &len);
	shown = escape_text_width(key, len);
	escape_text(out, key, len, width);
	for (; shown < width; shown++)
		putc(' ', out);
}

/* underline - a row of c as wide as title */
static void
underline(FILE *out, const char *title, int c)
{
	for (size_t i = text_width(title); i > 0; i--)
		putc(c, out);
	putc('\n', out);
}

/* put_tail - the last width characters of s, after "..." when cut, so
 * that a long path keeps its file name */
static void
put_tail(FILE *out, const char *s, size_t width)
{
	size_t len = strlen(s), shown = escape_text_width(s, len), skip;

	if (shown <= width) {
		escape_text(out, s, len, 0);
		return;
	}
	skip = escape_text_bytes(s, len, shown - (width - 3));
	fputs("...", out);
	escape_text(out, s + skip, len - skip, 0);
}

static void
heading(FILE *out, const char *title)
{
	fprintf(out, "\n%s%s%s\n", paint(COLOR_BOLD), title,
		paint(COLOR_RESET));
	underline(out, title, '-');
}

/* field - a label such as "Period:" padded to the values' column */
static void
field(FILE *out, const char *label)
{
	put_left(out, label, FIELD_WIDTH - 1);
	putc(' ', out);
}

/* list_item - one entry of a list separated by ", " */
static void
list_item(FILE *out, bool *first, const char *fmt, uint64_t value)
{
	if (!*first)
		fputs(", ", out);
	fprintf(out, fmt, value);
	*first = false;
}

static void
write_period(FILE *out, const struct tally *t)
{
	char first[48], last[48];

	field(out, _("Period:"));
	if (!t->have_time) {
		fprintf(out, "%s\n", report_no_period(t));
		return;
	}
	/* TRANSLATORS: the period that the report covers; both are RFC 3339
	 * times, such as 2024-11-19T00:03:12+03:00. */
	fprintf(out, _("%s to %s"),
		logtime_format(&t->first, first, sizeof first),
		logtime_format(&t->last, last, sizeof last));
	putc('\n', out);
}

/* write_formats - lines per log format, when more than one took any, a
 * format on each line so that the list fits 80 columns however many
 * formats an input mixes */
static void
write_formats(FILE *out, const struct input_stats *in)
{
	size_t used = 0;

	for (size_t i = 0; i < in->nformats; i++)
		used += in->formats[i].recognized + in->formats[i].unknown > 0;
	if (used < 2)
		return;
	fprintf(out, "    %s\n", _("by format:"));
	for (size_t i = 0; i < in->nformats; i++) {
		const struct input_format *f = &in->formats[i];

		if (f->recognized + f->unknown == 0)
			continue;
		fprintf(out, "      %s: ", f->name);
		/* TRANSLATORS: lines of one log format in one input file. */
		fprintf(out, _("%" PRIu64 " recognized, %" PRIu64 " unknown"),
			f->recognized, f->unknown);
		putc('\n', out);
	}
}

/* write_read_as - the rest of the entry of an input that was not read,
 * after its name: the name that was read, on a line of its own that
 * fits 80 columns */
static void
write_read_as(FILE *out, const struct input_stats *in)
{
	/* TRANSLATORS: the name of the input that was read instead follows
	 * on the line. */
	const char *label = _("the same file was read as");
	size_t used = 4 + text_width(label) + 1;

	fputs(" (", out);
	fputs(_("not read"), out);
	fputs(")\n    ", out);
	fputs(label, out);
	putc(' ', out);
	escape_text(out, in->same_as, strlen(in->same_as),
		    used < 60 ? 80 - used : 20);
	putc('\n', out);
}

static void
write_inputs(FILE *out, const struct tally *t, enum report_detail detail)
{
	uint64_t lines = 0, recognized = 0, unrecognized = 0, errors = 0;
	uint64_t repeated = 0;

	for (size_t i = 0; i < t->ninputs; i++) {
		lines += t->inputs[i].lines;
		recognized += t->inputs[i].recognized;
		unrecognized += t->inputs[i].unrecognized;
		errors += t->inputs[i].errors;
		repeated += t->inputs[i].same_as != NULL;
	}
	bool first = true;

	field(out, _("Inputs:"));
	list_item(out, &first,
		  P_("%" PRIu64 " file", "%" PRIu64 " files", t->ninputs),
		  t->ninputs);
	list_item(out, &first,
		  P_("%" PRIu64 " line", "%" PRIu64 " lines", lines), lines);
	list_item(out, &first, _("%" PRIu64 " recognized"), recognized);
	list_item(out, &first, _("%" PRIu64 " not recognized"), unrecognized);
	list_item(out, &first,
		  P_("%" PRIu64 " error", "%" PRIu64 " errors", errors),
		  errors);
	putc('\n', out);

	/* On a line of its own, so that the summary shows it too. */
	if (repeated > 0) {
		field(out, "");
		fprintf(out,
			P_("%" PRIu64 " not read: it names a file read "
			   "already",
			   "%" PRIu64 " not read: each names a file read "
			   "already",
			   repeated),
			repeated);
		putc('\n', out);
	}
	if (detail == REPORT_DETAIL_SUMMARY)
		return;

	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input_stats *in = &t->inputs[i];

		/* A merged input also names its summary; both fit a line. */
		fputs("  ", out);
		if (in->summary != NULL) {
			put_tail(out, in->summary, 30);
			fputs(": ", out);
		}
		escape_text(out, in->name, strlen(in->name),
			    in->summary != NULL ? 30 : 60);
		if (in->same_as != NULL) {
			write_read_as(out, in);
			continue;
		}
		fprintf(out, " (%s, %s)\n", in->format, in->encoding);
		write_formats(out, in);
		fputs("    ", out);
		/* TRANSLATORS: how the lines of one input file were counted;
		 * "other programs" are syslog lines of programs that are not
		 * mail servers. */
		fprintf(out,
			P_("%" PRIu64 " line: %" PRIu64 " recognized, %" PRIu64
			   " other programs, %" PRIu64 " unknown, %" PRIu64
			   " without header",
			   "%" PRIu64 " lines: %" PRIu64 " recognized, %" PRIu64
			   " other programs, %" PRIu64 " unknown, %" PRIu64
			   " without header",
			   in->lines),
			in->lines, in->recognized, in->foreign, in->unknown,
			in->bad_header);
		putc('\n', out);
		report_text_input_range(out, t, in);
		if (in->errors || in->truncated || in->limit_hits) {
			bool first_item = true;

			fputs("    ", out);
			list_item(out, &first_item,
				  P_("%" PRIu64 " read error",
				     "%" PRIu64 " read errors", in->errors),
				  in->errors);
			list_item(out, &first_item,
				  P_("%" PRIu64 " line cut at 1 MiB",
				     "%" PRIu64 " lines cut at 1 MiB",
				     in->truncated),
				  in->truncated);
			list_item(out, &first_item,
				  _("%" PRIu64 " over a pattern limit"),
				  in->limit_hits);
			putc('\n', out);
		}
	}
}

static void
total(FILE *out, const char *label, uint64_t value, const char *note)
{
	fputs("  ", out);
	put_left(out, label, TOTAL_WIDTH);
	fprintf(out, " %10" PRIu64 "%s%s\n", value, note[0] ? "  " : "", note);
}

/* write_dropped - the queue tracker's drops, when there were any */
static void
write_dropped(FILE *out, const struct tally *t)
{
	uint64_t pending;
	uint64_t dropped = tally_queue_dropped(t, &pending);
	char note[160];

	if (pending == 0)
		return;
	/* TRANSLATORS: a note after the number of queue ids that the
	 * queue tracker forgot before their end. */
	snprintf(note, sizeof note, _("%" PRIu64 " with deferred recipients"),
		 pending);
	total(out, _("queue ids dropped"), dropped, note);
}

static void
write_totals(FILE *out, const struct tally *t)
{
	char note[160];

	heading(out, _("Totals"));
	total(out, _("delivered"), t->delivered, "");
	/* TRANSLATORS: a note after the number of deferrals: how many
	 * delivery attempts that number counts, and how many recipients. */
	snprintf(note, sizeof note,
		 P_("attempts; %" PRIu64 " recipient",
		    "attempts; %" PRIu64 " recipients", t->deferred_unique),
		 t->deferred_unique);
	if (t->soft_bounced) {
		size_t used = strlen(note);

		/* TRANSLATORS: appended to the note above. */
		snprintf(note + used, sizeof note - used,
			 P_(", %" PRIu64 " soft bounce",
			    ", %" PRIu64 " soft bounces", t->soft_bounced),
			 t->soft_bounced);
	}
	total(out, _("deferred"), t->deferred, note);
	total(out, _("bounced"), t->bounced, "");
	snprintf(note, sizeof note,
		 P_("recipients of %" PRIu64 " message",
		    "recipients of %" PRIu64 " messages", t->expired_messages),
		 t->expired_messages);
	total(out, _("expired"), t->expired, note);
	snprintf(note, sizeof note,
		 P_("plus %" PRIu64 " warning not enforced",
		    "plus %" PRIu64 " warnings not enforced",
		    t->reject_warnings),
		 t->reject_warnings);
	total(out, _("rejected inbound"), t->rejected, note);
	total(out, _("forwarded"), t->forwarded, "");
	total(out, _("notifications sent"), t->notifications, "");
	/* TRANSLATORS: a note after the number of address verification
	 * probes that found the address deliverable. */
	snprintf(note, sizeof note, _("deliverable, %" PRIu64 " undeliverable"),
		 t->probes_failed);
	total(out, _("address probes"), t->probes_ok, note);
	total(out, _("code mismatches"), t->code_mismatches,
	      t->code_mismatches ? _("dsn= and reply text differ") : "");
	write_dropped(out, t);
}

/* more - "(N more)" after a table cut at --top */
static void
more(FILE *out, const char *indent, size_t n)
{
	fputs(indent, out);
	/* TRANSLATORS: rows left out of a table that shows the top ones. */
	fprintf(out, _("(%zu more)"), n);
	putc('\n', out);
}

/* write_table - the first top rows under title, then how many more */
static void
write_table(FILE *out, const char *title, const struct row *rows, size_t n,
	    unsigned top)
{
	if (n > 0)
		fprintf(out, "  %s:\n", title);
	for (size_t i = 0; i < n && i < top; i++) {
		fputs("    ", out);
		put_key(out, rows[i].key, rows[i].key_len, KEY_WIDTH);
		fprintf(out, " %10" PRIu64 "\n", rows[i].count);
	}
	if (n > top)
		more(out, "    ", n - top);
}

/* write_estimate_note - print by how much the counts shown may be too
 * high, when a summary had to estimate them */
static void
write_estimate_note(FILE *out, const struct row *rows, size_t n,
		    unsigned top)
{
	uint64_t error = report_rows_max_error(rows, n, top);

	/* TRANSLATORS: after a top table whose counts a Space-Saving
	 * summary estimated; the number is the largest possible error. */
	if (error > 0)
		fprintf(out, _("    (estimated: a count may be up to %" PRIu64
			       " too high)\n"),
			error);
}

/* write_counts - a top table of a uint64_t map */
static void
write_counts(FILE *out, const char *title, const struct strmap *map,
	     unsigned top)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_COUNT, &n);

	write_table(out, title, rows, n, top);
	free(rows);
}

/* write_top - a top table of a Space-Saving summary */
static void
write_top(FILE *out, const char *title, const struct topk *s, unsigned top)
{
	size_t n;
	struct row *rows = report_top_rows(s, &n);

	write_table(out, title, rows, n, top);
	write_estimate_note(out, rows, n, top);
	free(rows);
}

/* put_percent - part of all as a percentage with one decimal, right
 * aligned in PERCENT_WIDTH columns, written as the report language
 * writes it ("12.5%", "%12,5") */
static void
put_percent(FILE *out, uint64_t part, uint64_t all)
{
	char number[32], text[48];

	report_format_percent(number, sizeof number,
			      100.0 * (double)part / (double)all, i18n_lang());
	/* TRANSLATORS: a percentage; %s is the number, such as 12.5.
	 * Turkish puts the sign first. */
	snprintf(text, sizeof text, _("%s%%"), number);
	put_right(out, text, PERCENT_WIDTH);
}

/* domains_header - the title of a domain table and the names of its
 * count and percentage columns */
static void
domains_header(FILE *out)
{
	const char *title = _("Top recipient domains");
	size_t col = 2 + text_width(title) + 1;

	fprintf(out, "  %s:", title);
	if (col >= 4 + KEY_WIDTH)
		putc(' ', out);
	pad(out, col, 4 + KEY_WIDTH);
	/* TRANSLATORS: column names over the count of failures of a
	 * recipient domain and its share of the delivery attempts to it. */
	put_right(out, _("failures"), COUNT_WIDTH);
	fprintf(out, "  %s\n", _("of attempts"));
}

/* write_domains - top recipient domains of a class with failure rate */
static void
write_domains(FILE *out, const struct tally *t, const struct class_stat *cs,
	      unsigned top)
{
	size_t n;
	struct row *rows = report_top_rows(cs->domains, &n);

	if (n > 0)
		domains_header(out);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct domain_stat *d =
			strmap_get(t->domains, rows[i].key, rows[i].key_len);
		uint64_t all = d ? d->delivered + d->deferred + d->bounced +
					   d->expired
				 : 0;

		fputs("    ", out);
		put_key(out, rows[i].key, rows[i].key_len, KEY_WIDTH);
		fprintf(out, " %10" PRIu64, rows[i].count);
		if (all > 0) {
			fputs("  ", out);
			put_percent(out, rows[i].count, all);
		}
		putc('\n', out);
	}
	if (n > top)
		more(out, "    ", n - top);
	write_estimate_note(out, rows, n, top);
	free(rows);
}

/* write_example - the message part of a log line, wrapped at spaces */
static void
write_example(FILE *out, const char *line)
{
	size_t len = strlen(line);
	const char *tag_end = strstr(line, "]: ");
	/* TRANSLATORS: before an example log line; keep it short. */
	const char *label = _("e.g.");
	size_t indent = EXAMPLE_INDENT + text_width(label) + 1;
	size_t width, pos = 0;

	/* A label longer than the half line would leave no room. */
	if (indent > EXAMPLE_END / 2)
		indent = EXAMPLE_END / 2;
	width = EXAMPLE_END - indent;

	/* The syslog header says nothing about the failure; skip it. */
	if (tag_end != NULL && tag_end - line < 200)
		pos = (size_t)(tag_end - line) + 3;

	for (int row = 0; row < EXAMPLE_LINES && pos < len; row++) {
		size_t chunk;

		while (row > 0 && pos < len && line[pos] == ' ')
			pos++;
		if (pos == len)
			break;
		chunk = escape_text_bytes(line + pos, len - pos, width);

		if (row == 0)
			fprintf(out, "%*s%s ", EXAMPLE_INDENT, "", label);
		else
			pad(out, 0, indent);
		if (row == EXAMPLE_LINES - 1 && pos + chunk < len) {
			escape_text(out, line + pos, len - pos, width);
			putc('\n', out);
			return;
		}

		/* Break after the last space, unless that leaves little. */
		if (pos + chunk < len) {
			size_t cut = chunk;

			while (cut > width / 2 && line[pos + cut - 1] != ' ')
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

	int per_code = TEXT_EXAMPLES;

	if (opts->detail == REPORT_DETAIL_FULL) {
		with_examples = opts->top;
		per_code = TALLY_EXAMPLES;
	}
	if (n > 0)
		fprintf(out, "  %s:\n", title);
	for (size_t i = 0; i < n && i < opts->top; i++) {
		const struct code_stat *cs = rows[i].value;

		/* Escape codes like every other key, although --merge
		 * checks them. */
		fputs("    ", out);
		put_key(out, rows[i].key, rows[i].key_len, 9);
		fprintf(out, " %8" PRIu64 "  ", rows[i].count);
		escape_text(out, report_code_text(rows[i].key, opts->lang),
			    strlen(report_code_text(rows[i].key, opts->lang)),
			    56);
		putc('\n', out);
		for (int k = 0; i < with_examples && k < per_code; k++) {
			if (cs->examples[k] == NULL)
				break;
			write_example(out, cs->examples[k]);
		}
	}
	if (n > opts->top)
		more(out, "    ", n - opts->top);
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
	fprintf(out, "  %s:\n", _("By enhanced status subject"));
	for (int s = 0; s < SUBJECT_SLOTS; s++) {
		struct enh_status st = {5, (unsigned short)s, 0};
		const char *text;

		if (cs->subjects[s] == 0)
			continue;
		if (s < SUBJECT_OTHER) {
			text = codes_text(codes_enh_subject(&st), lang);
			fprintf(out, "    X.%d  ", s);
		} else {
			text = s == SUBJECT_OTHER
				   ? _("(unregistered subject)")
				   : _("(no enhanced status code)");
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
		/* TRANSLATORS: a section of the report that has no entries. */
		fprintf(out, "  %s\n", _("none"));
		return;
	}
	write_subjects(out, cs, opts->lang);
	write_codes(out, _("Reply codes"), cs->reply_codes, opts, 0);
	write_codes(out, _("Enhanced status codes"), cs->enh_codes, opts, 3);
	if (inbound) {
		/* TRANSLATORS: the SMTP command (CONNECT, HELO, MAIL, RCPT,
		 * DATA) at which a client was rejected. */
		write_counts(out, _("SMTP stages"), cs->stages, opts->top);
		write_top(out, _("Top recipient domains"), cs->domains,
			     opts->top);
		write_top(out, _("Top clients"), cs->hosts, opts->top);
	} else {
		write_domains(out, t, cs, opts->top);
		write_top(out, _("Top remote hosts"), cs->hosts, opts->top);
	}
	write_top(out, _("Top senders"), cs->senders, opts->top);
	/* TRANSLATORS: the mail server's programs that logged the
	 * failures, such as smtp or local for Postfix. */
	write_counts(out, _("Top components"), cs->components, opts->top);
}

/*
 * write_wrapped - text after a first-line prefix, wrapped at spaces to
 * WRAP_WIDTH columns; continuation lines are indented like the text
 */
static void
write_wrapped(FILE *out, const char *prefix, const char *text)
{
	size_t indent = text_width(prefix);
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

/* label_prefix - "    LABEL " in buf, the start of a labelled line in
 * the list of reasons */
static const char *
label_prefix(char *buf, size_t len, const char *label)
{
	snprintf(buf, len, "    %s ", label);
	return buf;
}

/* write_label_wrapped - "    LABEL text", wrapped like write_wrapped() */
static void
write_label_wrapped(FILE *out, const char *label, const char *text)
{
	char prefix[96];

	write_wrapped(out, label_prefix(prefix, sizeof prefix, label), text);
}

/* write_top_inline - "    LABEL key count, key count" of a summary, at
 * most limit entries, wrapped like write_wrapped().  A count that may be
 * too high is shown as "up to COUNT". */
static void
write_top_inline(FILE *out, const char *label, const struct topk *s,
		 size_t limit)
{
	char prefix[96];
	size_t n, indent, col;
	struct row *rows;

	if (s == NULL || topk_count(s) == 0)
		return;
	label_prefix(prefix, sizeof prefix, label);
	indent = col = text_width(prefix);
	rows = report_top_rows(s, &n);
	fputs(prefix, out);
	for (size_t i = 0; i < n && i < limit; i++) {
		char count[64];
		size_t key_len = rows[i].key_len;
		const char *key = shown_key(rows[i].key, &key_len);
		size_t width;

		/* TRANSLATORS: before a count that a Space-Saving summary
		 * estimated, which may be too high; keep the spaces. */
		snprintf(count, sizeof count, "%s%" PRIu64 "%s",
			 rows[i].error > 0 ? _(" up to ") : " ", rows[i].count,
			 i + 1 < n && i + 1 < limit ? "," : "");
		width = escape_text_width(key, key_len);
		if (width > KEY_WIDTH)
			width = KEY_WIDTH;
		width += text_width(count);
		if (col > indent && col + 1 + width > WRAP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putc(' ', out);
			col++;
		}
		escape_text(out, key, key_len, KEY_WIDTH);
		fputs(count, out);
		col += width;
	}
	if (n > limit) {
		char rest[48];

		snprintf(rest, sizeof rest, _("(%zu more)"), n - limit);
		if (col + 1 + text_width(rest) > WRAP_WIDTH)
			fprintf(out, "\n%*s", (int)indent, "");
		else
			putc(' ', out);
		fputs(rest, out);
	}
	putc('\n', out);
	free(rows);
}

/* write_reason_events - "3 deferred, 1 bounced" for the kinds seen */
static void
write_reason_events(FILE *out, const struct reason_stat *rs)
{
	/* TRANSLATORS: what became of the mail that failed for one
	 * reason, listed as "14 deferred, 2 expired". */
	const struct {
		const char *format;
		uint64_t count;
	} kinds[] = {
	    {N_("%" PRIu64 " deferred"), rs->deferred},
	    {N_("%" PRIu64 " bounced"), rs->bounced},
	    {N_("%" PRIu64 " expired"), rs->expired},
	    {N_("%" PRIu64 " rejected inbound"), rs->rejected},
	};
	bool first = true;

	fputs("    ", out);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].count > 0)
			list_item(out, &first, _(kinds[i].format),
				  kinds[i].count);
	putc('\n', out);
}

/* write_reasons - failures per reason, with what to do about each */
static void
write_reasons(FILE *out, const struct tally *t,
	      const struct report_options *opts)
{
	enum reason order[REASON_COUNT];
	size_t n = report_reason_order(t, order);
	bool full = opts->detail == REPORT_DETAIL_FULL;
	size_t limit = full ? opts->top : REASON_TOP;
	int examples = full ? TALLY_EXAMPLES : 1;
	char title[160];

	snprintf(title, sizeof title,
		 P_("Failure reasons: %" PRIu64 " failure",
		    "Failure reasons: %" PRIu64 " failures", t->failures),
		 t->failures);
	heading(out, title);
	if (n == 0) {
		fprintf(out, "  %s\n", _("none"));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct reason_stat *rs = &t->reasons[order[i]];
		enum bounce_kind kind = reason_kind(order[i]);
		char kind_text[16];

		/* The reason and kind are identifiers, as in --classify and
		 * the JSON report, so they stay untranslated.  The kind is
		 * padded before colouring, so that the SGR sequences take no
		 * room in the column. */
		snprintf(kind_text, sizeof kind_text, "%-4s",
			 bounce_kind_name(kind));
		bool gap = i > 0 && opts->detail != REPORT_DETAIL_SUMMARY;

		fprintf(out, "%s  %-18s %s%s%s %10" PRIu64 "  ", gap ? "\n" : "",
			reason_name(order[i]),
			paint(kind == KIND_HARD ? COLOR_RED : COLOR_YELLOW),
			kind_text, paint(COLOR_RESET), rs->count);
		put_percent(out, rs->count, t->failures);
		putc('\n', out);
		write_wrapped(out, "    ", reason_label(order[i], opts->lang));
		if (opts->detail == REPORT_DETAIL_SUMMARY)
			continue;
		write_reason_events(out, rs);
		/* TRANSLATORS: labels in the list of failure reasons; the
		 * text after each is wrapped and indented to line up. */
		write_label_wrapped(out, _("Advice:"),
				    reason_advice(order[i], opts->lang));
		write_top_inline(out, _("Domains:"), rs->domains, limit);
		write_top_inline(out, _("Hosts:"), rs->hosts, limit);
		write_top_inline(out, _("Clients:"), rs->clients, limit);
		for (int k = 0; k < examples && rs->examples[k] != NULL; k++)
			write_example(out, rs->examples[k]);
	}
}

static int
text_write(FILE *out, const struct tally *t, const struct report_options *opts)
{
	const char *name = _("bouncelog report");
	char title[160];

	text_color = opts->color;
	fprintf(out, "%s%s%s\n", paint(COLOR_BOLD), name, paint(COLOR_RESET));
	underline(out, name, '=');
	write_period(out, t);
	report_text_range(out, t);
	write_inputs(out, t, opts->detail);
	write_totals(out, t);
	write_reasons(out, t, opts);
	if (opts->detail == REPORT_DETAIL_SUMMARY)
		return ferror(out) ? -1 : 0;

	snprintf(title, sizeof title,
		 P_("Temporary delivery failures (4xx): %" PRIu64 " deferral",
		    "Temporary delivery failures (4xx): %" PRIu64 " deferrals",
		    t->outbound[0].count),
		 t->outbound[0].count);
	write_class(out, t, &t->outbound[0], title, false, opts);
	snprintf(title, sizeof title,
		 P_("Permanent delivery failures (5xx): %" PRIu64 " bounce",
		    "Permanent delivery failures (5xx): %" PRIu64 " bounces",
		    t->outbound[1].count),
		 t->outbound[1].count);
	write_class(out, t, &t->outbound[1], title, false, opts);
	snprintf(title, sizeof title,
		 _("Inbound rejections, temporary (4xx): %" PRIu64),
		 t->inbound[0].count);
	write_class(out, t, &t->inbound[0], title, true, opts);
	snprintf(title, sizeof title,
		 _("Inbound rejections, permanent (5xx): %" PRIu64),
		 t->inbound[1].count);
	write_class(out, t, &t->inbound[1], title, true, opts);
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_text = {
	.name = "text",
	.write = text_write,
};
