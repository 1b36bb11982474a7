/* SPDX-License-Identifier: MIT */
/*
 * codes.c - the table of SMTP reply codes and enhanced status codes
 *
 * The module owns one table at a time: a private copy of the TSV text, cut
 * into NUL-terminated fields in place, and an array of entries in key order
 * that point into that copy.  codes_load() builds a new table completely
 * before it replaces the one in use, so a failed load changes nothing.
 * Every problem in the text is reported as "NAME:LINE: message", or
 * "NAME:LINE:COL: message" for a bad byte, up to CODES_LOAD_ERRORS_MAX
 * errors per load.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/escape.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"

/* The data/codes.tsv file, built into the program by tools/embed.py. */
extern const char codes_tsv[];
extern const size_t codes_tsv_len;

#define CODES_COLUMNS 6

/*
 * Size of a key built from a struct enh_status, whose fields can hold up to
 * 65535 although a parsed code stops at 999: "X.65535.65535" and its NUL.
 */
#define CODES_KEY_SIZE 16

static const char codes_header[] = "key\tkind\tsource\tsee\ten\ttr";

static const char *const codes_kind_names[] = {
	[CODE_REPLY] = "reply",
	[CODE_ALIAS] = "alias",
	[CODE_CLASS] = "class",
	[CODE_SUBJECT] = "subject",
	[CODE_ENHANCED] = "enhanced",
};

/* Example keys for the message about a key that does not fit its kind. */
static const char *const codes_key_forms[] = {
	[CODE_REPLY] = "a reply code such as 550 or a reply class such as 5yz",
	[CODE_ALIAS] = "three digits such as 510, the first 2, 4 or 5",
	[CODE_CLASS] = "an enhanced class such as 5.X.X",
	[CODE_SUBJECT] = "an enhanced subject such as X.1.X",
	[CODE_ENHANCED] = "an enhanced code such as X.1.1 or 4.4.7",
};

/* Parts of an enhanced key written as "X" (see parse_enh_key). */
#define WILD_CLASS 1u
#define WILD_SUBJECT 2u
#define WILD_DETAIL 4u

struct code_table {
	char *text;		    /* copy of the TSV, cut into fields */
	struct code_entry *entries; /* in key order */
	unsigned long *lines;	    /* input line of each entry */
	size_t count;
	size_t cap;
};

/* Position in the text being loaded, for diagnostics. */
struct load_ctx {
	const char *name;
	unsigned long line;
	unsigned errors;
};

static struct code_table codes_table;
static bool codes_builtin; /* codes_table contains the built-in table */

/* load_error - report an error at the current line, and at col unless 0 */
static void __attribute__((format(printf, 3, 4)))
load_error(struct load_ctx *ctx, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vemit(DIAG_ERROR, ctx->name, ctx->line, col, fmt, ap);
	va_end(ap);
	ctx->errors++;
}

/* table_free - release a table and reset it to empty */
static void
table_free(struct code_table *table)
{
	free(table->text);
	free(table->entries);
	free(table->lines);
	memset(table, 0, sizeof *table);
}

/* compare_entry - bsearch comparison of a key with an entry */
static int
compare_entry(const void *key, const void *entry)
{
	return strcmp(key, ((const struct code_entry *)entry)->key);
}

/* table_find - exact lookup in a table, or NULL */
static const struct code_entry *
table_find(const struct code_table *table, const char *key)
{
	if (table->count == 0)
		return NULL;
	return bsearch(key, table->entries, table->count,
		       sizeof table->entries[0], compare_entry);
}

/* check_line_bytes - reject control characters other than tab (C0, DEL
 * and C1) and bad UTF-8, which a report would have to escape */
static bool
check_line_bytes(struct load_ctx *ctx, const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, n;

	while (i < len) {
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
			load_error(ctx, i + 1,
				   _("invalid control character 0x%02x"), s[i]);
			return false;
		}
		n = utf8_sequence_len(s + i, len - i);
		if (n == 0) {
			load_error(ctx, i + 1, _("invalid UTF-8"));
			return false;
		}
		if (n == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0) {
			load_error(ctx, i + 1,
				   _("invalid control character U+%04X"),
				   (unsigned)(s[i + 1]));
			return false;
		}
		i += n;
	}
	return true;
}

/* split_fields - cut line at tabs and return the number of columns */
static size_t
split_fields(char *line, char *fields[CODES_COLUMNS])
{
	size_t count = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (count < CODES_COLUMNS)
			fields[count] = p;
		count++;
		if (tab == NULL)
			return count;
		*tab = '\0';
		p = tab + 1;
	}
}

/* parse_kind - look up a kind by name, false when unknown */
static bool
parse_kind(const char *name, enum code_kind *kind)
{
	for (size_t i = 0;
	     i < sizeof codes_kind_names / sizeof *codes_kind_names; i++) {
		if (strcmp(name, codes_kind_names[i]) == 0) {
			*kind = (enum code_kind)i;
			return true;
		}
	}
	return false;
}

/*
 * parse_enh_key - parse "c.s.d" in which whole parts may be "X"
 *
 * Each "X" part is replaced by the digit 2 and the result must parse as an
 * enhanced status code and format back to the same text, which rejects
 * leading zeros and stray bytes.  *wild gets the WILD_* bits of the X parts.
 */
static bool
parse_enh_key(const char *key, struct enh_status *st, unsigned *wild)
{
	char digits[ENH_STATUS_LEN], formatted[ENH_STATUS_LEN];
	size_t len = strlen(key), part = 0;

	if (len >= sizeof digits)
		return false;
	memcpy(digits, key, len + 1);
	*wild = 0;

	for (size_t i = 0; i < len; i++) {
		bool starts = i == 0 || key[i - 1] == '.';
		bool ends = key[i + 1] == '.' || key[i + 1] == '\0';

		if (key[i] == '.')
			part++;
		else if (key[i] == 'X' && starts && ends && part < 3) {
			digits[i] = '2';
			*wild |= 1u << part;
		}
	}

	if (status_parse_enhanced(digits, len, st) != len)
		return false;
	status_format_enhanced(st, formatted);
	return strcmp(formatted, digits) == 0;
}

/* key_fits_kind - does key have the form that codes.h gives for kind? */
static bool
key_fits_kind(const char *key, enum code_kind kind)
{
	struct enh_status st;
	unsigned wild;
	size_t len = strlen(key);

	switch (kind) {
	case CODE_REPLY:
		if (len == 3 && key[0] >= '2' && key[0] <= '5' &&
		    strcmp(key + 1, "yz") == 0)
			return true;
		return len == 3 && status_parse_reply(key, len) != 0;
	case CODE_ALIAS:
		return len == 3 && status_parse_reply(key, len) != 0 &&
		       key[0] != '3';
	case CODE_CLASS:
		return parse_enh_key(key, &st, &wild) &&
		       wild == (WILD_SUBJECT | WILD_DETAIL);
	case CODE_SUBJECT:
		return parse_enh_key(key, &st, &wild) &&
		       wild == (WILD_CLASS | WILD_DETAIL);
	case CODE_ENHANCED:
		return parse_enh_key(key, &st, &wild) &&
		       (wild == 0 || wild == WILD_CLASS);
	}
	return false;
}

/* see_is_code - is see an enhanced code "c.s.d" or a reply code "550"? */
static bool
see_is_code(const char *see, struct enh_status *st)
{
	unsigned wild;
	size_t len = strlen(see);

	if (parse_enh_key(see, st, &wild))
		return wild == 0;
	memset(st, 0, sizeof *st);
	return len == 3 && status_parse_reply(see, len) != 0;
}

/* check_see - check the see column, which an alias fills with its code */
static bool
check_see(struct load_ctx *ctx, const struct code_entry *e)
{
	struct enh_status st;
	char want[ENH_STATUS_LEN];

	if (e->see[0] != '\0' && !see_is_code(e->see, &st)) {
		load_error(ctx, 0,
			   _("invalid see column \"%s\"; expected an enhanced "
			     "code such as 5.7.8 or a reply code such as 550"),
			   e->see);
		return false;
	}
	if (e->kind != CODE_ALIAS)
		return true;

	snprintf(want, sizeof want, "%c.%c.%c", e->key[0], e->key[1],
		 e->key[2]);
	if (e->see[0] == '\0') {
		load_error(ctx, 0,
			   _("empty see column for alias \"%s\"; expected %s"),
			   e->key, want);
		return false;
	}
	if (strcmp(e->see, want) != 0) {
		load_error(ctx, 0,
			   _("see column \"%s\" does not match alias \"%s\"; "
			     "expected %s"),
			   e->see, e->key, want);
		return false;
	}
	return true;
}

/* check_order - the key must sort after the previous entry's key */
static bool
check_order(struct load_ctx *ctx, const struct code_table *table,
	    const char *key)
{
	const char *prev;
	int cmp;

	if (table->count == 0)
		return true;
	prev = table->entries[table->count - 1].key;
	cmp = strcmp(key, prev);
	if (cmp == 0) {
		load_error(ctx, 0,
			   _("duplicate key \"%s\"; first defined on line %lu"),
			   key, table->lines[table->count - 1]);
		return false;
	}
	if (cmp < 0) {
		load_error(ctx, 0,
			   _("key \"%s\" must come before \"%s\"; keep the "
			     "entries sorted in byte order (LC_ALL=C sort)"),
			   key, prev);
		return false;
	}
	return true;
}

/* parse_entry - check the columns of one line and fill *e */
static bool
parse_entry(struct load_ctx *ctx, const struct code_table *table,
	    char *fields[CODES_COLUMNS], struct code_entry *e)
{
	e->key = fields[0];
	e->source = fields[2];
	e->see = fields[3];
	e->text[LANG_EN] = fields[4];
	e->text[LANG_TR] = fields[5];

	if (!parse_kind(fields[1], &e->kind)) {
		load_error(
		    ctx, 0,
		    _("unknown kind \"%s\"; expected reply, alias, class, "
		      "subject or enhanced"),
		    fields[1]);
		return false;
	}
	if (!key_fits_kind(e->key, e->kind)) {
		load_error(ctx, 0,
			   _("invalid key \"%s\" for kind %s; expected %s"),
			   e->key, codes_kind_names[e->kind],
			   codes_key_forms[e->kind]);
		return false;
	}
	if (!check_order(ctx, table, e->key))
		return false;

	if (e->source[0] == '\0') {
		load_error(ctx, 0, _("empty source column for key \"%s\""),
			   e->key);
		return false;
	}
	if (!check_see(ctx, e))
		return false;
	if (e->text[LANG_EN][0] == '\0') {
		load_error(ctx, 0, _("empty English text for key \"%s\""),
			   e->key);
		return false;
	}
	if (e->text[LANG_TR][0] == '\0') {
		load_error(ctx, 0, _("empty Turkish text for key \"%s\""),
			   e->key);
		return false;
	}
	return true;
}

/* table_append - add a checked entry at the end of the table */
static void
table_append(struct code_table *table, const struct code_entry *e,
	     unsigned long line)
{
	if (table->count == table->cap) {
		table->cap = table->cap == 0 ? 64 : table->cap * 2;
		table->entries = xreallocarray(table->entries, table->cap,
					       sizeof table->entries[0]);
		table->lines = xreallocarray(table->lines, table->cap,
					     sizeof table->lines[0]);
	}
	table->entries[table->count] = *e;
	table->lines[table->count] = line;
	table->count++;
}

/* load_line - check one line after the header and keep its entry */
static void
load_line(struct load_ctx *ctx, struct code_table *table, char *line,
	  size_t len)
{
	char *fields[CODES_COLUMNS];
	struct code_entry e;
	size_t columns;

	if (!check_line_bytes(ctx, line, len))
		return;
	if (len == 0 || line[0] == '#')
		return;

	columns = split_fields(line, fields);
	if (columns != CODES_COLUMNS) {
		load_error(ctx, 0,
			   _("expected %d tab-separated columns, found %zu"),
			   CODES_COLUMNS, columns);
		return;
	}
	if (parse_entry(ctx, table, fields, &e))
		table_append(table, &e, ctx->line);
}

/*
 * check_links - every see must name an entry of the table
 *
 * An enhanced code resolves through its own key or its "X.s.d" key, the
 * way codes_enhanced() would find it without falling back further.
 */
static void
check_links(struct load_ctx *ctx, const struct code_table *table)
{
	for (size_t i = 0;
	     i < table->count && ctx->errors < CODES_LOAD_ERRORS_MAX; i++) {
		const struct code_entry *e = &table->entries[i];
		struct enh_status st;
		char any_class[CODES_KEY_SIZE];

		if (e->see[0] == '\0')
			continue;
		if (table_find(table, e->see) != NULL)
			continue;
		if (see_is_code(e->see, &st) && enh_status_present(&st)) {
			snprintf(any_class, sizeof any_class, "X.%u.%u",
				 (unsigned)st.subject, (unsigned)st.detail);
			if (table_find(table, any_class) != NULL)
				continue;
		}
		ctx->line = table->lines[i];
		load_error(ctx, 0,
			   _("see column \"%s\" has no entry in the table"),
			   e->see);
	}
}

/* check_header - the first line must name the six columns in order */
static void
check_header(struct load_ctx *ctx, const char *line, size_t len)
{
	if (len == sizeof codes_header - 1 && strcmp(line, codes_header) == 0)
		return;
	load_error(ctx, 0,
		   _("invalid header; expected the columns key, kind, source, "
		     "see, en and tr separated by tabs"));
}

/* load_text - parse the lines of text (NUL-terminated, len bytes) */
static void
load_text(struct load_ctx *ctx, struct code_table *table, char *text,
	  size_t len)
{
	char *p = text, *end = text + len;

	while (p < end && ctx->errors < CODES_LOAD_ERRORS_MAX) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = (size_t)((nl != NULL ? nl : end) - p);

		p[line_len] = '\0';
		ctx->line++;
		if (ctx->line == 1)
			check_header(ctx, p, line_len);
		else
			load_line(ctx, table, p, line_len);
		p += line_len + 1;
	}
}

int
codes_load(const char *tsv, size_t len, const char *name)
{
	struct code_table table = {0};
	struct load_ctx ctx = {name, 0, 0};

	if (len == 0) {
		diag_emit(DIAG_ERROR, name, 0, 0, _("missing header line"));
		return -1;
	}

	table.text = xstrndup(tsv, len);
	load_text(&ctx, &table, table.text, len);
	if (ctx.errors == 0 && table.count == 0)
		diag_emit(DIAG_ERROR, name, 0, 0, _("no entries in the table"));

	/* A rejected line would make every link to it fail as well. */
	if (ctx.errors == 0)
		check_links(&ctx, &table);

	if (ctx.errors >= CODES_LOAD_ERRORS_MAX)
		diag_emit(DIAG_ERROR, name, 0, 0,
			  _("too many errors; stopped after %u"), ctx.errors);
	if (ctx.errors > 0 || table.count == 0) {
		table_free(&table);
		return -1;
	}

	table_free(&codes_table);
	codes_table = table;
	codes_builtin = false;
	return 0;
}

int
codes_init(void)
{
	if (codes_builtin)
		return 0;
	if (codes_load(codes_tsv, codes_tsv_len, "data/codes.tsv") != 0)
		return -1;
	codes_builtin = true;
	return 0;
}

void
codes_free(void)
{
	table_free(&codes_table);
	codes_builtin = false;
}

size_t
codes_count(void)
{
	return codes_table.count;
}

const struct code_entry *
codes_at(size_t i)
{
	return i < codes_table.count ? &codes_table.entries[i] : NULL;
}

const struct code_entry *
codes_find(const char *key)
{
	if (key == NULL)
		return NULL;
	return table_find(&codes_table, key);
}

const struct code_entry *
codes_reply(int code)
{
	const struct code_entry *e;
	char key[8];

	if (code < 200 || code > 599)
		return NULL;

	/* An alias only shares the digits of a reply code, not its meaning. */
	snprintf(key, sizeof key, "%d", code);
	e = codes_find(key);
	if (e != NULL && e->kind == CODE_REPLY)
		return e;

	snprintf(key, sizeof key, "%dyz", code / 100);
	return codes_find(key);
}

const struct code_entry *
codes_enhanced(const struct enh_status *st)
{
	const struct code_entry *e;
	char key[CODES_KEY_SIZE];

	if (st == NULL || !enh_status_present(st))
		return NULL;

	snprintf(key, sizeof key, "%u.%u.%u", (unsigned)st->cls,
		 (unsigned)st->subject, (unsigned)st->detail);
	e = codes_find(key);
	if (e != NULL)
		return e;
	snprintf(key, sizeof key, "X.%u.%u", (unsigned)st->subject,
		 (unsigned)st->detail);
	e = codes_find(key);
	if (e != NULL)
		return e;
	snprintf(key, sizeof key, "X.%u.0", (unsigned)st->subject);
	e = codes_find(key);
	if (e != NULL)
		return e;
	return codes_find("X.0.0");
}

const struct code_entry *
codes_enh_class(const struct enh_status *st)
{
	char key[CODES_KEY_SIZE];

	if (st == NULL || !enh_status_present(st))
		return NULL;
	snprintf(key, sizeof key, "%u.X.X", (unsigned)st->cls);
	return codes_find(key);
}

const struct code_entry *
codes_enh_subject(const struct enh_status *st)
{
	char key[CODES_KEY_SIZE];

	if (st == NULL || !enh_status_present(st))
		return NULL;
	snprintf(key, sizeof key, "X.%u.X", (unsigned)st->subject);
	return codes_find(key);
}

const char *
codes_text(const struct code_entry *e, enum lang lang)
{
	if (e == NULL)
		return "";
	if ((unsigned)lang >= LANG_COUNT || e->text[lang][0] == '\0')
		return e->text[LANG_EN];
	return e->text[lang];
}
