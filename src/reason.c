/* SPDX-License-Identifier: MIT */
/*
 * reason.c - why a delivery failed: the reason ids and their texts
 *
 * The module owns one reason table at a time: a private copy of the TSV
 * text cut into NUL-terminated fields, and one row per reason that points
 * into it.  reasons_load() builds the new table completely before it
 * replaces the one in use, so a failed load changes nothing.  Problems
 * are reported as "NAME:LINE: message", or "NAME:LINE:COL: message" for
 * a bad byte.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "bouncelog/escape.h"
#include "bouncelog/i18n.h"
#include "bouncelog/reason.h"
#include "bouncelog/xalloc.h"

/* The data/reasons.tsv file, built into the program by tools/embed.py. */
extern const char reasons_tsv[];
extern const size_t reasons_tsv_len;

#define REASON_COLUMNS 6

static const char reasons_header[] =
    "id\tkind\tlabel_en\tlabel_tr\tadvice_en\tadvice_tr";

/* The ids, in enum order; the JSON report and --classify print them. */
static const char *const reason_names[REASON_COUNT] = {
    [REASON_NONE] = "",
    [REASON_GREYLISTED] = "greylisted",
    [REASON_SUPPRESSED] = "suppressed",
    [REASON_MAILBOXFULL] = "mailboxfull",
    [REASON_EMAILTOOLARGE] = "emailtoolarge",
    [REASON_TOOMANYRECIPIENTS] = "toomanyrecipients",
    [REASON_RATELIMITED] = "ratelimited",
    [REASON_REQUIREPTR] = "requireptr",
    [REASON_AUTHFAILURE] = "authfailure",
    [REASON_FAILEDSTARTTLS] = "failedstarttls",
    [REASON_VIRUSDETECTED] = "virusdetected",
    [REASON_SPAMDETECTED] = "spamdetected",
    [REASON_BLOCKED] = "blocked",
    [REASON_BADREPUTATION] = "badreputation",
    [REASON_NORELAYING] = "norelaying",
    [REASON_REJECTED] = "rejected",
    [REASON_SUSPEND] = "suspend",
    [REASON_HASMOVED] = "hasmoved",
    [REASON_USERUNKNOWN] = "userunknown",
    [REASON_HOSTUNKNOWN] = "hostunknown",
    [REASON_NOTACCEPT] = "notaccept",
    [REASON_FILTERED] = "filtered",
    [REASON_NOTCOMPLIANTRFC] = "notcompliantrfc",
    [REASON_CONTENTERROR] = "contenterror",
    [REASON_POLICYVIOLATION] = "policyviolation",
    [REASON_SECURITYERROR] = "securityerror",
    [REASON_MAILLOOP] = "mailloop",
    [REASON_DNSERROR] = "dnserror",
    [REASON_CONNECTIONERROR] = "connectionerror",
    [REASON_NETWORKERROR] = "networkerror",
    [REASON_SYSTEMFULL] = "systemfull",
    [REASON_SYSTEMERROR] = "systemerror",
    [REASON_EXPIRED] = "expired",
    [REASON_MAILERERROR] = "mailererror",
    [REASON_SYNTAXERROR] = "syntaxerror",
    [REASON_ONHOLD] = "onhold",
    [REASON_UNDEFINED] = "undefined",
    [REASON_DELIVERED] = "delivered",
};

static const char *const kind_names[] = {
    [KIND_NONE] = "none",
    [KIND_SOFT] = "soft",
    [KIND_HARD] = "hard",
};

static const char *const stage_names[STAGE_COUNT] = {
    [STAGE_NONE] = "",	   [STAGE_CONN] = "CONN",
    [STAGE_HELO] = "HELO", [STAGE_STARTTLS] = "STARTTLS",
    [STAGE_AUTH] = "AUTH", [STAGE_MAIL] = "MAIL",
    [STAGE_RCPT] = "RCPT", [STAGE_DATA] = "DATA",
};

struct reason_row {
	enum bounce_kind kind;
	const char *label[LANG_COUNT];
	const char *advice[LANG_COUNT];
};

struct reason_table {
	char *text; /* copy of the TSV, cut into fields */
	struct reason_row rows[REASON_COUNT];
	bool loaded;
};

static struct reason_table reasons_table;

/* Position in the text being loaded, for diagnostics. */
struct load_ctx {
	const char *name;
	unsigned long line;
};

/* check_bytes - valid UTF-8 without control bytes other than tab */
static bool
check_bytes(const struct load_ctx *ctx, const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, n;

	while (i < len) {
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
			diag_emit(DIAG_ERROR, ctx->name, ctx->line, i + 1,
				  _("invalid control character 0x%02x"), s[i]);
			return false;
		}
		n = utf8_sequence_len(s + i, len - i);
		if (n == 0) {
			diag_emit(DIAG_ERROR, ctx->name, ctx->line, i + 1,
				  _("invalid UTF-8"));
			return false;
		}
		i += n;
	}
	return true;
}

/* split_fields - cut line at tabs; returns the number of columns */
static size_t
split_fields(char *line, char *fields[REASON_COLUMNS])
{
	size_t count = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (count < REASON_COLUMNS)
			fields[count] = p;
		count++;
		if (tab == NULL)
			return count;
		*tab = '\0';
		p = tab + 1;
	}
}

/* parse_kind - "hard", "soft" or "none" */
static bool
parse_kind(const char *word, enum bounce_kind *kind)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
		if (strcmp(word, kind_names[i]) == 0) {
			*kind = (enum bounce_kind)i;
			return true;
		}
	}
	return false;
}

/* parse_row - one data line into the row of the next expected reason */
static bool
parse_row(const struct load_ctx *ctx, char *line, enum reason expected,
	  struct reason_row *row)
{
	char *f[REASON_COLUMNS];
	size_t n = split_fields(line, f);

	if (n != REASON_COLUMNS) {
		diag_emit(DIAG_ERROR, ctx->name, ctx->line, 0,
			  _("expected %d tab-separated columns, found %zu"),
			  REASON_COLUMNS, n);
		return false;
	}
	if (expected >= REASON_COUNT ||
	    strcmp(f[0], reason_names[expected]) != 0) {
		diag_emit(DIAG_ERROR, ctx->name, ctx->line, 1,
			  _("reason \"%s\" is not the next in the fixed order; "
			    "expected \"%s\""),
			  f[0],
			  expected < REASON_COUNT ? reason_names[expected]
						  : "(end of table)");
		return false;
	}
	if (!parse_kind(f[1], &row->kind)) {
		diag_emit(DIAG_ERROR, ctx->name, ctx->line, 0,
			  _("invalid kind \"%s\"; use hard, soft or none"),
			  f[1]);
		return false;
	}
	for (size_t i = 2; i < REASON_COLUMNS; i++) {
		if (f[i][0] == '\0') {
			diag_emit(DIAG_ERROR, ctx->name, ctx->line, 0,
				  _("empty column %zu for reason \"%s\""),
				  i + 1, f[0]);
			return false;
		}
	}
	row->label[LANG_EN] = f[2];
	row->label[LANG_TR] = f[3];
	row->advice[LANG_EN] = f[4];
	row->advice[LANG_TR] = f[5];
	return true;
}

/* parse_table - fill table from its own copy of the text */
static bool
parse_table(struct reason_table *table, const char *name)
{
	struct load_ctx ctx = {name, 0};
	enum reason next = REASON_NONE + 1;
	bool header = false;
	char *p = table->text;

	while (*p != '\0' || !header) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		ctx.line++;
		if (nl != NULL)
			*nl = '\0';
		if (len > 0 && p[len - 1] == '\r')
			p[--len] = '\0';
		if (!check_bytes(&ctx, p, len))
			return false;

		if (!header) {
			if (strcmp(p, reasons_header) != 0) {
				diag_emit(DIAG_ERROR, name, ctx.line, 0,
					  _("missing header line \"%s\""),
					  "id, kind, label_en, label_tr, "
					  "advice_en, advice_tr");
				return false;
			}
			header = true;
		} else if (len > 0 && p[0] != '#') {
			if (!parse_row(&ctx, p, next, &table->rows[next]))
				return false;
			next++;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (next != REASON_COUNT) {
		diag_emit(DIAG_ERROR, name, 0, 0,
			  _("reason \"%s\" is missing from the table"),
			  reason_names[next]);
		return false;
	}
	return true;
}

int
reasons_load(const char *tsv, size_t len, const char *name)
{
	struct reason_table table;

	memset(&table, 0, sizeof table);
	if (memchr(tsv, '\0', len) != NULL) {
		diag_emit(DIAG_ERROR, name, 0, 0, _("invalid NUL byte"));
		return -1;
	}
	table.text = xstrndup(tsv, len);
	if (!parse_table(&table, name)) {
		free(table.text);
		return -1;
	}
	table.loaded = true;
	free(reasons_table.text);
	reasons_table = table;
	return 0;
}

int
reasons_init(void)
{
	if (reasons_table.loaded)
		return 0;
	return reasons_load(reasons_tsv, reasons_tsv_len,
			    "(built-in)/reasons.tsv");
}

void
reasons_free(void)
{
	free(reasons_table.text);
	memset(&reasons_table, 0, sizeof reasons_table);
}

const char *
reason_name(enum reason r)
{
	if ((unsigned)r >= REASON_COUNT)
		return "";
	return reason_names[r];
}

bool
reason_lookup(const char *name, size_t len, enum reason *out)
{
	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++) {
		if (strlen(reason_names[r]) == len &&
		    memcmp(reason_names[r], name, len) == 0) {
			*out = (enum reason)r;
			return true;
		}
	}
	return false;
}

enum bounce_kind
reason_kind(enum reason r)
{
	if (!reasons_table.loaded || r <= REASON_NONE || r >= REASON_COUNT)
		return r == REASON_DELIVERED ? KIND_NONE : KIND_SOFT;
	return reasons_table.rows[r].kind;
}

const char *
reason_label(enum reason r, enum lang lang)
{
	if (!reasons_table.loaded || r <= REASON_NONE || r >= REASON_COUNT ||
	    (unsigned)lang >= LANG_COUNT)
		return "";
	return reasons_table.rows[r].label[lang];
}

const char *
reason_advice(enum reason r, enum lang lang)
{
	if (!reasons_table.loaded || r <= REASON_NONE || r >= REASON_COUNT ||
	    (unsigned)lang >= LANG_COUNT)
		return "";
	return reasons_table.rows[r].advice[lang];
}

const char *
bounce_kind_name(enum bounce_kind kind)
{
	if ((unsigned)kind >= sizeof kind_names / sizeof kind_names[0])
		return "";
	return kind_names[kind];
}

const char *
smtp_stage_name(enum smtp_stage stage)
{
	if ((unsigned)stage >= STAGE_COUNT)
		return "";
	return stage_names[stage];
}
