/* SPDX-License-Identifier: MIT */
/*
 * report.c - the report writer registry and shared helpers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "report_impl.h"

const struct report_writer *const report_writers[] = {
	&report_text,
	&report_json,
	&report_html,
	&report_csv,
	&report_prometheus,
	NULL,
};

static const char *const csv_table_names[CSV_TABLE_COUNT] = {
	[CSV_TABLE_CODES] = "codes",
	[CSV_TABLE_REASONS] = "reasons",
	[CSV_TABLE_DOMAINS] = "domains",
	[CSV_TABLE_HOSTS] = "hosts",
	[CSV_TABLE_SENDERS] = "senders",
	[CSV_TABLE_EVENTS] = "events",
};

const struct report_writer *
report_writer_find(const char *name)
{
	for (size_t i = 0; report_writers[i] != NULL; i++)
		if (strcmp(report_writers[i]->name, name) == 0)
			return report_writers[i];
	return NULL;
}

const char *
report_csv_table_name(enum report_csv_table table)
{
	return table < CSV_TABLE_COUNT ? csv_table_names[table] : "";
}

bool
report_csv_table_find(const char *name, size_t len, enum report_csv_table *out)
{
	for (int i = 0; i < CSV_TABLE_COUNT; i++) {
		if (strlen(csv_table_names[i]) == len &&
		    memcmp(csv_table_names[i], name, len) == 0) {
			*out = (enum report_csv_table)i;
			return true;
		}
	}
	return false;
}

bool
report_detail_find(const char *name, enum report_detail *out)
{
	static const char *const names[] = {
		[REPORT_DETAIL_NORMAL] = "normal",
		[REPORT_DETAIL_SUMMARY] = "summary",
		[REPORT_DETAIL_FULL] = "full",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], name) == 0) {
			*out = (enum report_detail)i;
			return true;
		}
	}
	return false;
}

static int
row_compare(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = memcmp(x->key, y->key, n);
	if (c != 0)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

struct row *
report_rows(const struct strmap *map, enum row_value kind, size_t *n)
{
	struct strmap_entry *e = strmap_entries(map);
	struct row *rows;

	*n = strmap_count(map);
	rows = xcalloc(*n + 1, sizeof *rows);
	for (size_t i = 0; i < *n; i++) {
		rows[i].key = e[i].key;
		rows[i].key_len = e[i].key_len;
		rows[i].value = e[i].value;
		if (kind == ROW_COUNT)
			rows[i].count = *(const uint64_t *)e[i].value;
		else if (kind == ROW_CODE)
			rows[i].count =
				((const struct code_stat *)e[i].value)->count;
		else
			rows[i].count = report_domain_failures(e[i].value);
	}
	free(e);
	qsort(rows, *n, sizeof *rows, row_compare);
	return rows;
}

struct row *
report_top_rows(const struct topk *s, size_t *n)
{
	struct topk_item *items;
	struct row *rows;

	if (s == NULL) {
		*n = 0;
		return xcalloc(1, sizeof *rows);
	}
	items = topk_items(s, n);
	rows = xcalloc(*n + 1, sizeof *rows);
	for (size_t i = 0; i < *n; i++) {
		rows[i].key = items[i].key;
		rows[i].key_len = items[i].key_len;
		rows[i].count = items[i].count;
		rows[i].error = items[i].error;
	}
	free(items);
	return rows;
}

uint64_t
report_rows_max_error(const struct row *rows, size_t n, size_t top)
{
	uint64_t max = 0;

	for (size_t i = 0; i < n && i < top; i++)
		if (rows[i].error > max)
			max = rows[i].error;
	return max;
}

uint64_t
report_domain_failures(const struct domain_stat *d)
{
	return d->deferred + d->bounced + d->expired + d->rejected;
}

const char *
report_code_text(const char *key, enum lang lang)
{
	struct enh_status st;

	if (status_parse_enhanced(key, strlen(key), &st) > 0)
		return codes_text(codes_enhanced(&st), lang);
	if (status_parse_reply(key, strlen(key)) != 0)
		return codes_text(codes_reply(status_parse_reply(key,
								   strlen(key))),
				  lang);
	return "";
}

const char *
report_no_period(const struct tally *t)
{
	if (timerange_active(&t->range))
		return _("no timestamped lines inside the range");
	return _("no timestamped lines");
}

size_t
report_reason_order(const struct tally *t, enum reason order[REASON_COUNT])
{
	size_t n = 0;

	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++)
		if (t->reasons[r].count > 0)
			order[n++] = (enum reason)r;

	/* Insertion sort: at most REASON_COUNT entries, stable by id. */
	for (size_t i = 1; i < n; i++) {
		enum reason r = order[i];
		size_t j = i;

		while (j > 0 &&
		       t->reasons[order[j - 1]].count < t->reasons[r].count) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = r;
	}
	return n;
}

char *
report_format_percent(char *buf, size_t len, double value, enum lang lang)
{
	char point = lang == LANG_TR ? ',' : '.';

	snprintf(buf, len, "%.1f", value);

	/* A program that embeds the library may have set LC_NUMERIC. */
	for (char *p = buf; *p != '\0'; p++)
		if (*p == '.' || *p == ',')
			*p = point;
	return buf;
}
