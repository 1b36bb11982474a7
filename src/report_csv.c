/* SPDX-License-Identifier: MIT */
/*
 * report_csv.c - one table of the report as CSV, for spreadsheets
 *
 * The table is chosen with --csv-table; the first record names the
 * columns in fixed English snake_case words, whatever --lang is.  Tables
 * hold every row the tally kept, not only the top rows, because a
 * spreadsheet can sort and filter them.  Only the description, label and
 * advice columns follow --lang.  csv_writer.h describes the quoting and
 * the guard against formulas.
 *
 * The events table is a stream written while the logs are read (see
 * events.h); asked for it, this writer writes only its header record.
 */
#include <stdlib.h>

#include "bouncelog/csv_writer.h"
#include "bouncelog/events.h"
#include "report_impl.h"

/* header - the first record: the column names */
static void
header(struct csv_writer *w, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++)
		csv_writer_str(w, names[i]);
	csv_writer_end_record(w);
}

/* class_cells - the direction and class columns of a class's rows */
static void
class_cells(struct csv_writer *w, bool inbound, int cls)
{
	csv_writer_str(w, inbound ? "inbound" : "outbound");
	csv_writer_str(w, cls == 4 ? "4xx" : "5xx");
}

/* code_rows - one row per code of a class's reply or enhanced codes */
static void
code_rows(struct csv_writer *w, const struct strmap *map, bool inbound,
	  int cls, const char *type, const struct report_options *opts)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);

	for (size_t i = 0; i < n; i++) {
		class_cells(w, inbound, cls);
		csv_writer_str(w, type);
		csv_writer_text(w, rows[i].key, rows[i].key_len);
		csv_writer_uint(w, rows[i].count);
		csv_writer_str(w, report_code_text(rows[i].key, opts->lang));
		csv_writer_end_record(w);
	}
	free(rows);
}

static void
write_codes(struct csv_writer *w, const struct tally *t,
	    const struct report_options *opts)
{
	static const char *const names[] = {
		"direction", "class", "type", "code", "count", "description",
		NULL,
	};

	header(w, names);
	for (int in = 0; in < 2; in++) {
		for (int c = 0; c < 2; c++) {
			const struct class_stat *cs =
				in ? &t->inbound[c] : &t->outbound[c];

			code_rows(w, cs->reply_codes, in, 4 + c, "reply", opts);
			code_rows(w, cs->enh_codes, in, 4 + c, "enhanced",
				  opts);
		}
	}
}

static void
write_reasons(struct csv_writer *w, const struct tally *t,
	      const struct report_options *opts)
{
	static const char *const names[] = {
		"reason", "kind", "count", "deferred", "bounced", "expired",
		"rejected", "label", "advice", NULL,
	};
	enum reason order[REASON_COUNT];
	size_t n = report_reason_order(t, order);

	header(w, names);
	for (size_t i = 0; i < n; i++) {
		const struct reason_stat *rs = &t->reasons[order[i]];

		csv_writer_str(w, reason_name(order[i]));
		csv_writer_str(w, bounce_kind_name(reason_kind(order[i])));
		csv_writer_uint(w, rs->count);
		csv_writer_uint(w, rs->deferred);
		csv_writer_uint(w, rs->bounced);
		csv_writer_uint(w, rs->expired);
		csv_writer_uint(w, rs->rejected);
		csv_writer_str(w, reason_label(order[i], opts->lang));
		csv_writer_str(w, reason_advice(order[i], opts->lang));
		csv_writer_end_record(w);
	}
}

static void
write_domains(struct csv_writer *w, const struct tally *t)
{
	static const char *const names[] = {
		"domain", "failures", "delivered", "deferred", "bounced",
		"expired", "rejected", NULL,
	};
	size_t n;
	struct row *rows = report_rows(t->domains, ROW_DOMAIN, &n);

	header(w, names);
	for (size_t i = 0; i < n; i++) {
		const struct domain_stat *d = rows[i].value;

		csv_writer_text(w, rows[i].key, rows[i].key_len);
		csv_writer_uint(w, rows[i].count);
		csv_writer_uint(w, d->delivered);
		csv_writer_uint(w, d->deferred);
		csv_writer_uint(w, d->bounced);
		csv_writer_uint(w, d->expired);
		csv_writer_uint(w, d->rejected);
		csv_writer_end_record(w);
	}
	free(rows);
}

/*
 * write_breakdown - rows "direction,class,KEY,count,error" of the hosts
 * or senders of each class.  A host is the remote server of a delivery
 * or the client of a rejection.  The Space-Saving summaries that count
 * them give each count's possible error; the true count lies in
 * [count - error, count].
 */
static void
write_breakdown(struct csv_writer *w, const struct tally *t, bool hosts)
{
	const char *names[] = {
		"direction", "class", hosts ? "host" : "sender", "count",
		"error", NULL,
	};

	header(w, names);
	for (int in = 0; in < 2; in++) {
		for (int c = 0; c < 2; c++) {
			const struct class_stat *cs =
				in ? &t->inbound[c] : &t->outbound[c];
			size_t n;
			struct row *rows = report_top_rows(
				hosts ? cs->hosts : cs->senders, &n);

			for (size_t i = 0; i < n; i++) {
				class_cells(w, in, 4 + c);
				csv_writer_text(w, rows[i].key,
						rows[i].key_len);
				csv_writer_uint(w, rows[i].count);
				csv_writer_uint(w, rows[i].error);
				csv_writer_end_record(w);
			}
			free(rows);
		}
	}
}

static int
csv_write(FILE *out, const struct tally *t, const struct report_options *opts)
{
	struct csv_writer w;

	csv_writer_begin(&w, out, opts->csv_excel);
	switch (opts->csv_table) {
	case CSV_TABLE_CODES:
	case CSV_TABLE_COUNT:
		write_codes(&w, t, opts);
		break;
	case CSV_TABLE_REASONS:
		write_reasons(&w, t, opts);
		break;
	case CSV_TABLE_DOMAINS:
		write_domains(&w, t);
		break;
	case CSV_TABLE_HOSTS:
		write_breakdown(&w, t, true);
		break;
	case CSV_TABLE_SENDERS:
		write_breakdown(&w, t, false);
		break;
	case CSV_TABLE_EVENTS:
		events_csv_header(&w);
		break;
	}
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_csv = {
	.name = "csv",
	.write = csv_write,
};
