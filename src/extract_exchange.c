/* SPDX-License-Identifier: MIT */
/*
 * extract_exchange.c - Microsoft Exchange logs to events
 *
 * Exchange writes its logs as CSV files (RFC 4180) in UTF-8 with a byte
 * order mark and CRLF line ends, with "#Software", "#Version",
 * "#Log-type", "#Date" and "#Fields" header lines, and every time in UTC.
 * The back end claims a whole input from its first line and maps the
 * columns by the "#Fields" line, never by position: Exchange 2010 writes
 * 26 columns, 2013 to 2019 write 30.  A later "#Fields" line, as in
 * concatenated files, maps the rows after it.  The rules of
 * patterns/exchange.pat are matched against one value of a row; DAEMONS
 * names which value, and these are the rule kinds for each:
 *	tracking	"EVENT-ID SOURCE" of a message tracking row, such as
 *			"FAIL ROUTING": delivered, deferred, bounced,
 *			notification, info
 *	status		one recipient's status text: component (the group
 *			"component" is the Exchange step that failed)
 *	trace		the Status of an Exchange Online message trace row:
 *			delivered, deferred, bounced, info
 *	smtpsend, smtpreceive	"EVENT DATA" of an SMTP protocol log row:
 *			command, reply, auth_reply, info (see
 *			exchange_smtp.c)
 * A message tracking row lists its recipients in recipient-address and
 * their statuses, in the same order, in recipient-status, both separated
 * by ";": line() returns the first recipient's event and more() the
 * others.  The EAC enhanced summary report packs every recipient's event
 * list into recipient_status ("a@example.com##Receive, Fail;..."); its
 * last event is matched against the tracking rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "exchange_impl.h"
#include "extract_backends.h"

extern const char exchange_pat[];
extern const size_t exchange_pat_len;

/* Maximum length of an event-id or source copied into a rule subject. */
#define WORD_MAX 64

static const char *const kinds[] = {
	"delivered", "deferred", "bounced", "notification", "component",
	"command", "reply", "auth_reply", "info",
};

/* Column names of every supported file, compared without regard to ASCII
 * case and with "_" equal to "-". */
static const struct column_name {
	const char *name;
	size_t len;	/* of name: most names differ from a field in length */
	enum exchange_column column;
} column_names[] = {
#define COLUMN(name, column) {name, sizeof name - 1, column}
	COLUMN("date-time", COL_DATE_TIME),
	COLUMN("date-time-utc", COL_DATE_TIME),	 /* EAC extended report */
	COLUMN("origin-timestamp-utc", COL_DATE_TIME), /* EAC summary report */
	COLUMN("Received", COL_DATE_TIME),		 /* Get-MessageTrace */
	COLUMN("client-ip", COL_CLIENT_IP),
	COLUMN("FromIP", COL_CLIENT_IP),
	COLUMN("server-ip", COL_SERVER_IP),
	COLUMN("ToIP", COL_SERVER_IP),
	COLUMN("server-hostname", COL_SERVER_HOSTNAME),
	COLUMN("source", COL_SOURCE),
	COLUMN("event-id", COL_EVENT_ID),
	COLUMN("internal-message-id", COL_INTERNAL_MESSAGE_ID),
	COLUMN("MessageTraceId", COL_INTERNAL_MESSAGE_ID),
	COLUMN("message-id", COL_MESSAGE_ID),
	COLUMN("MessageId", COL_MESSAGE_ID),
	COLUMN("recipient-address", COL_RECIPIENT_ADDRESS),
	COLUMN("RecipientAddress", COL_RECIPIENT_ADDRESS),
	COLUMN("recipient-status", COL_RECIPIENT_STATUS),
	COLUMN("sender-address", COL_SENDER_ADDRESS),
	COLUMN("SenderAddress", COL_SENDER_ADDRESS),
	COLUMN("original-server-ip", COL_ORIGINAL_SERVER_IP),
	COLUMN("session-id", COL_SESSION_ID),
	COLUMN("local-endpoint", COL_LOCAL_ENDPOINT),
	COLUMN("remote-endpoint", COL_REMOTE_ENDPOINT),
	COLUMN("event", COL_EVENT),
	COLUMN("data", COL_DATA),
	COLUMN("Status", COL_TRACE_STATUS),
#undef COLUMN
};

/* Column lists for rows read before any "#Fields" line, by field count:
 * Exchange 2013 to 2019, Exchange 2010, and the SMTP protocol logs. */
static const char fields_2013[] =
	"date-time,client-ip,client-hostname,server-ip,server-hostname,"
	"source-context,connector-id,source,event-id,internal-message-id,"
	"message-id,network-message-id,recipient-address,recipient-status,"
	"total-bytes,recipient-count,related-recipient-address,reference,"
	"message-subject,sender-address,return-path,message-info,"
	"directionality,tenant-id,original-client-ip,original-server-ip,"
	"custom-data,transport-traffic-type,log-id,schema-version";
static const char fields_2010[] =
	"date-time,client-ip,client-hostname,server-ip,server-hostname,"
	"source-context,connector-id,source,event-id,internal-message-id,"
	"message-id,recipient-address,recipient-status,total-bytes,"
	"recipient-count,related-recipient-address,reference,"
	"message-subject,sender-address,return-path,message-info,"
	"directionality,tenant-id,original-client-ip,original-server-ip,"
	"custom-data";
static const char fields_smtp[] =
	"date-time,connector-id,session-id,sequence-number,local-endpoint,"
	"remote-endpoint,event,data,context";

static const char bom[] = "\xef\xbb\xbf";

static int
exchange_check(const struct pattern_set *set)
{
	return pattern_set_check_kinds(set, "exchange", kinds, sizeof kinds / sizeof kinds[0]);
}

/* span_starts - does s start with the C string prefix? */
static bool
span_starts(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.ptr != NULL && s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

/* contains - does s contain the C string needle? */
static bool
contains(struct span s, const char *needle)
{
	size_t n = strlen(needle);

	if (s.ptr == NULL || n == 0)
		return s.ptr != NULL;
	return ascii_contains(s.ptr, s.len, needle, n,
			      ascii_rare_index(needle, n));
}

/* skip_bom - s without a leading UTF-8 byte order mark */
static struct span
skip_bom(struct span s)
{
	if (span_starts(s, bom))
		return span_make(s.ptr + 3, s.len - 3);
	return s;
}

/* name_equal - a column name against a table entry ("_" equals "-") */
static bool
name_equal(struct span name, const struct column_name *entry)
{
	size_t n = entry->len;

	if (name.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int a = ascii_tolower((unsigned char)name.ptr[i]);
		int b = ascii_tolower((unsigned char)entry->name[i]);

		if (a == '_')
			a = '-';
		if (a != b)
			return false;
	}
	return true;
}

/* column_lookup - the column a name stands for, or COLUMNS */
static enum exchange_column
column_lookup(struct span name)
{
	for (size_t i = 0; i < sizeof column_names / sizeof column_names[0];
	     i++)
		if (name_equal(name, &column_names[i]))
			return column_names[i].column;
	return COLUMNS;
}

static void *
exchange_state_new(void)
{
	struct exchange_state *st = xcalloc(1, sizeof *st);

	for (int c = 0; c < COLUMNS; c++)
		st->column[c] = -1;
	return st;
}

/* forget_columns - back to the state before any header */
static void
forget_columns(struct exchange_state *st)
{
	st->log = LOG_UNKNOWN;
	st->log_from_header = false;
	st->nfields = 0;
	for (int c = 0; c < COLUMNS; c++)
		st->column[c] = -1;
}

static void
exchange_state_reset(void *state)
{
	struct exchange_state *st = state;

	forget_columns(st);
	st->walk.left = 0;
	exchange_smtp_reset(st);
}

static void
exchange_state_free(void *state)
{
	struct exchange_state *st = state;

	if (st == NULL)
		return;
	exchange_smtp_free(st);
	free(st->buf);
	free(st->scratch);
	free(st->check);
	free(st);
}

/* grow - make *buf hold at least size bytes */
static char *
grow(char **buf, size_t *have, size_t size)
{
	if (*have < size) {
		*buf = xrealloc(*buf, size);
		*have = size;
	}
	return *buf;
}

struct span
exchange_field(const struct exchange_state *st, enum exchange_column col)
{
	int i = st->column[col];

	if (i < 0 || (size_t)i >= st->row.count)
		return span_make(NULL, 0);
	return st->row.fields[i];
}

bool
exchange_parse_time(struct span s, struct logtime *t)
{
	if (s.ptr == NULL || s.len == 0 ||
	    sysline_parse_rfc3339(s.ptr, s.len, t) != s.len)
		return false;
	if (!t->has_offset) {
		t->has_offset = true;
		t->offset_min = 0;
	}
	return true;
}

/* infer_log - the log that a column list describes */
static enum exchange_log
infer_log(const struct exchange_state *st)
{
	if (st->column[COL_EVENT_ID] >= 0)
		return LOG_TRACKING;
	if (st->column[COL_SESSION_ID] >= 0 && st->column[COL_EVENT] >= 0)
		return LOG_SMTP;
	if (st->column[COL_TRACE_STATUS] >= 0)
		return LOG_TRACE;
	if (st->column[COL_RECIPIENT_STATUS] >= 0 &&
	    st->column[COL_RECIPIENT_ADDRESS] < 0)
		return LOG_TRACE_SUMMARY;
	return LOG_OTHER;
}

/* map_columns - take the column list from a record of names */
static void
map_columns(struct exchange_state *st, const struct csv_record *names)
{
	for (int c = 0; c < COLUMNS; c++)
		st->column[c] = -1;
	for (size_t i = 0; i < names->count; i++) {
		enum exchange_column c = column_lookup(names->fields[i]);

		if (c != COLUMNS && st->column[c] < 0)
			st->column[c] = (int)i;
	}
	st->nfields = names->count;
	if (!st->log_from_header)
		st->log = infer_log(st);
}

/* set_columns - take the column list from the text of a "#Fields" line;
 * false when it is not a valid CSV record */
static bool
set_columns(struct exchange_state *st, const char *text, size_t len)
{
	struct csv_record names;

	grow(&st->scratch, &st->scratch_size, len + 1);
	if (csv_split(text, len, st->scratch, &names) != CSV_OK)
		return false;
	map_columns(st, &names);
	return true;
}

/* log_type - the log named by a "#Log-type" value */
static enum exchange_log
log_type(struct span value)
{
	if (span_equal(value, "Message Tracking Log"))
		return LOG_TRACKING;
	if (span_equal(value, "SMTP Send Protocol Log"))
		return LOG_SMTP_SEND;
	if (span_equal(value, "SMTP Receive Protocol Log"))
		return LOG_SMTP_RECEIVE;
	return LOG_OTHER;
}

/* header_line - "#Name: value" lines and PowerShell's "#TYPE" line */
static enum extract_result
header_line(struct exchange_state *st, struct span line)
{
	const char *colon = memchr(line.ptr, ':', line.len);
	struct span name, value;

	if (span_starts(line, "#TYPE "))
		return EXTRACT_INFO;
	if (colon == NULL) {
		snprintf(st->note, sizeof st->note, "%s",
			 _("header line without ':'"));
		return EXTRACT_UNKNOWN;
	}
	name = span_make(line.ptr + 1, (size_t)(colon - line.ptr - 1));
	value = span_make(colon + 1, line.len - (size_t)(colon + 1 - line.ptr));
	while (value.len > 0 && ascii_isblank((unsigned char)value.ptr[0])) {
		value.ptr++;
		value.len--;
	}

	/* A new header starts another file's lines, as after "cat". */
	if (span_equal(name, "Software")) {
		forget_columns(st);
		return EXTRACT_INFO;
	}
	if (span_equal(name, "Version") || span_equal(name, "Date"))
		return EXTRACT_INFO;
	if (span_equal(name, "Log-type")) {
		st->log = log_type(value);
		st->log_from_header = true;
		return EXTRACT_INFO;
	}
	if (span_equal(name, "Fields")) {
		if (set_columns(st, value.ptr, value.len))
			return EXTRACT_INFO;
		snprintf(st->note, sizeof st->note,
			 _("#Fields line is not a valid CSV record"));
		return EXTRACT_UNKNOWN;
	}
	snprintf(st->note, sizeof st->note, "%s", _("unknown header line"));
	return EXTRACT_UNKNOWN;
}

/* guess_columns - a column list for rows read before any "#Fields"
 * line, from the number of fields; false when none fits */
static bool
guess_columns(struct exchange_state *st, size_t count)
{
	const char *list;

	if (count == 30)
		list = fields_2013;
	else if (count == 26)
		list = fields_2010;
	else if (count == 9)
		list = fields_smtp;
	else
		return false;
	return set_columns(st, list, strlen(list));
}

/* split_row - read the line into st->row; false after a note.
 * NOTE: a quoted field with a line break, which RFC 4180 allows, arrives
 * as two lines that are each counted as unknown.  Joining them would
 * need the first part kept in the state until the next call. */
static bool
split_row(struct exchange_state *st, struct span line)
{
	enum csv_result rc;

	grow(&st->buf, &st->buf_size, line.len + 1);
	rc = csv_split(line.ptr, line.len, st->buf, &st->row);
	if (rc != CSV_OK) {
		snprintf(st->note, sizeof st->note, _("invalid CSV row: %s"),
			 csv_result_text(rc));
		return false;
	}
	return true;
}

/* names_column - whether name is one of the names of column c.  The
 * names in column_names differ from each other, so this is
 * column_lookup(name) == c without comparing name with every entry. */
static bool
names_column(struct span name, enum exchange_column c)
{
	for (size_t i = 0; i < sizeof column_names / sizeof column_names[0];
	     i++)
		if (column_names[i].column == c &&
		    name_equal(name, &column_names[i]))
			return true;
	return false;
}

/* is_header_row - a row of column names, as message trace exports start */
static bool
is_header_row(const struct exchange_state *st)
{
	return st->row.count >= 3 &&
	       names_column(st->row.fields[0], COL_DATE_TIME);
}

/* ---------------------------------------------------------------------
 * Message tracking rows
 */

/* enhanced_length - bytes of "C.S.D" at s (subject and detail of 1 to 3
 * digits), or 0 */
static size_t
enhanced_length(const char *s, size_t len)
{
	size_t i = 2;

	if (len < 5 || !ascii_isdigit((unsigned char)s[0]) || s[1] != '.')
		return 0;
	for (int part = 0; part < 2; part++) {
		size_t start = i;

		while (i < len && i - start < 3 &&
		       ascii_isdigit((unsigned char)s[i]))
			i++;
		if (i == start)
			return 0;
		if (part == 0 && (i >= len || s[i++] != '.'))
			return 0;
	}
	return i;
}

/* starts_like_status - does s start with a reply code ("550 ") or an
 * enhanced code ("5.1.1", "2.1.5Recipient")? */
static bool
starts_like_status(const char *s, size_t len)
{
	if (status_parse_reply(s, len) != 0)
		return true;
	return len > 0 && (s[0] == '2' || s[0] == '4' || s[0] == '5') &&
	       enhanced_length(s, len) > 0;
}

/* next_item - the next ";"-separated item of *rest, which advances */
static struct span
next_item(struct span *rest, enum exchange_split split)
{
	struct span item = *rest;

	if (rest->ptr == NULL)
		return *rest;
	for (size_t i = 0; split >= SPLIT_EVERY && i < rest->len; i++) {
		const char *after = rest->ptr + i + 1;
		size_t left = rest->len - i - 1;

		if (rest->ptr[i] != ';')
			continue;
		if (split == SPLIT_STATUS && !starts_like_status(after, left))
			continue;
		item.len = i;
		*rest = span_make(after, left);
		return item;
	}
	*rest = span_make(NULL, 0);
	return item;
}

/* count_items - the number of items next_item() would return */
static size_t
count_items(struct span s, enum exchange_split split)
{
	size_t n = 0;

	while (s.ptr != NULL) {
		next_item(&s, split);
		n++;
	}
	return n;
}

/* choose_split - how to split statuses so they line up with n
 * recipients.  Exchange joins the statuses of a row with ";", but a
 * status text may contain ";" too ("; not found", a URL with ";id=5").
 * So the field is split only where the next piece starts like a status,
 * and only when that gives exactly n pieces that all do.  Otherwise the
 * field is taken as one status that applies to every recipient. */
static enum exchange_split
choose_split(struct span statuses, size_t n)
{
	if (n <= 1)
		return SPLIT_NONE;
	if (statuses.ptr != NULL &&
	    starts_like_status(statuses.ptr, statuses.len) &&
	    count_items(statuses, SPLIT_STATUS) == n)
		return SPLIT_STATUS;
	return SPLIT_SHARED;
}

/* normalize_status - "250 2.1.5Recipient OK", as some Exchange servers
 * write it, becomes "250 2.1.5 Recipient OK" in *buf, so that the
 * enhanced code is separate from the text.  Other texts are returned
 * unchanged. */
static struct span
normalize_status(char **buf, size_t *size, struct span s)
{
	size_t code;
	char *out;

	if (s.ptr == NULL || s.len < 10 ||
	    status_parse_reply(s.ptr, s.len) == 0 || s.ptr[3] != ' ')
		return s;
	code = enhanced_length(s.ptr + 4, s.len - 4);
	if (code == 0 || 4 + code >= s.len ||
	    !ascii_isalpha((unsigned char)s.ptr[4 + code]))
		return s;

	out = grow(buf, size, s.len + 1);
	memcpy(out, s.ptr, 4 + code);
	out[4 + code] = ' ';
	memcpy(out + 5 + code, s.ptr + 4 + code, s.len - 4 - code);
	return span_make(out, s.len + 1);
}

/* find_component - the Exchange step named in a status, if a rule of
 * kind component finds one; *limit is set when a rule hit a PCRE2 limit */
static struct span
find_component(struct extractor *x, struct span status, bool *limit)
{
	struct pattern_match m;
	enum pattern_result rc;

	*limit = false;
	if (status.ptr == NULL || status.len == 0)
		return span_make(NULL, 0);
	rc = pattern_set_match(extractor_patterns(x), span_make("status", 6),
			       status.ptr, status.len, &m);
	*limit = rc == PATTERN_LIMIT;
	if (rc != PATTERN_MATCH ||
	    strcmp(pattern_rule_kind(m.rule), "component") != 0)
		return span_make(NULL, 0);
	return pattern_capture(&m, "component");
}

/* attempted_endpoint - the address in "The last endpoint attempted was
 * 198.51.100.20:25", which a deferral names when no host replied */
static struct span
attempted_endpoint(struct span text)
{
	static const char lead[] = "last endpoint attempted was ";
	size_t n = sizeof lead - 1, i, end;
	const char *at;

	/* memchr() looks for the "w" of "was", rare in a status. */
	if (text.ptr == NULL || text.len <= n)
		return span_make(NULL, 0);
	at = ascii_find(text.ptr, text.len - 1, lead, n,
			(size_t)(strchr(lead, 'w') - lead));
	if (at == NULL)
		return span_make(NULL, 0);
	i = (size_t)(at - text.ptr);
	end = i + n;
	while (end < text.len && !ascii_isblank((unsigned char)text.ptr[end]))
		end++;

	/* The endpoint may end a sentence. */
	if (end > i + n && text.ptr[end - 1] == '.')
		end--;
	return exchange_endpoint_addr(span_make(text.ptr + i + n, end - i - n));
}

/* trim - s without blanks at either end */
static struct span
trim(struct span s)
{
	while (s.len > 0 && ascii_isblank((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len > 0 && ascii_isblank((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

/* present_or_absent - an empty field counts as absent */
static struct span
present_or_absent(struct span s)
{
	return s.len > 0 ? s : span_make(NULL, 0);
}

/* recipient_event - the event of one recipient of a tracking row; sets
 * st->walk.limit when a status rule hit a PCRE2 limit */
static void
recipient_event(struct extractor *x, struct exchange_state *st,
		struct span rcpt, struct span status, struct event *ev)
{
	struct span endpoint;
	bool limit;

	*ev = st->walk.base;
	ev->status = st->walk.status;
	ev->recipient = present_or_absent(trim(rcpt));
	ev->text = present_or_absent(
		normalize_status(&st->scratch, &st->scratch_size, status));
	ev->component = find_component(x, ev->text, &limit);
	st->walk.limit = st->walk.limit || limit;

	endpoint = attempted_endpoint(ev->text);
	if (endpoint.len > 0) {
		ev->remote_host = endpoint;
		ev->remote_addr = endpoint;
	}
}

/* row_base - the fields of a message row that every recipient shares */
static void
row_base(struct exchange_state *st, struct event *ev, enum event_type type)
{
	struct span sender = exchange_field(st, COL_SENDER_ADDRESS);
	struct span addr = exchange_field(st, COL_SERVER_IP);

	event_init(ev, type);
	ev->time = st->time;
	ev->has_time = st->has_time;

	/* No row ends a message for all its recipients.  Each recipient
	 * ends with its own DELIVER, SEND or FAIL row, in any order and
	 * in rows of one or more recipients.  A DSN row starts a new
	 * message, the notice, under an id of its own.  Every row names
	 * the sender, so the tally needs a message only while one of its
	 * recipients is deferred, and forgets it at the final status of
	 * the last one. */
	ev->track_while_deferred = true;
	ev->queue_id = present_or_absent(
		exchange_field(st, COL_INTERNAL_MESSAGE_ID));
	if (ev->queue_id.ptr == NULL)
		ev->queue_id =
			present_or_absent(exchange_field(st, COL_MESSAGE_ID));

	/* Exchange writes the null sender as "<>". */
	ev->sender = span_equal(sender, "<>") ? span_make(sender.ptr, 0)
					      : present_or_absent(sender);

	/* server-hostname is the next hop for SMTP events and this server
	 * for the others, which is where those failed. */
	ev->remote_host =
		present_or_absent(exchange_field(st, COL_SERVER_HOSTNAME));
	if (addr.len == 0)
		addr = exchange_field(st, COL_ORIGINAL_SERVER_IP);
	ev->remote_addr = present_or_absent(addr);
	if (ev->remote_host.ptr == NULL)
		ev->remote_host = ev->remote_addr;
}

/* rule_kind - the kind of the first rule for daemon matching subject,
 * or NULL; *limit is set when a rule hit a PCRE2 limit */
static const char *
rule_kind(struct extractor *x, const char *daemon, const char *subject,
	  size_t len, bool *limit)
{
	struct pattern_match m;

	*limit = false;
	switch (pattern_set_match(extractor_patterns(x),
				  span_make(daemon, strlen(daemon)), subject,
				  len, &m)) {
	case PATTERN_MATCH:
		return pattern_rule_kind(m.rule);
	case PATTERN_LIMIT:
		*limit = true;
		return NULL;
	case PATTERN_NOMATCH:
		break;
	}
	return NULL;
}

/*
 * tracking_kind - rule_kind() of a tracking subject, kept in st->kinds.
 * The rules are fixed and a match depends on the subject alone, so a
 * kept kind is what the rules would give again.  A result at a PCRE2
 * limit is not kept, so that each such row counts its limit hit.
 */
static const char *
tracking_kind(struct extractor *x, struct exchange_state *st,
	      const char *subject, size_t len, bool *limit)
{
	struct exchange_kind *k;
	const char *kind;

	*limit = false;
	for (unsigned i = 0; i < st->nkinds; i++) {
		k = &st->kinds[i];
		if (k->len == len && memcmp(k->subject, subject, len) == 0)
			return k->kind;
	}

	kind = rule_kind(x, "tracking", subject, len, limit);
	if (*limit || len > EXCHANGE_KIND_SUBJECT_MAX)
		return kind;
	k = &st->kinds[st->next_kind];
	st->next_kind = (st->next_kind + 1) % EXCHANGE_KINDS;
	if (st->nkinds < EXCHANGE_KINDS)
		st->nkinds++;
	memcpy(k->subject, subject, len);
	k->len = len;
	k->kind = kind;
	return kind;
}

/* outcome - the delivery status of a rule kind; false for other kinds */
static bool
outcome(const char *kind, enum delivery_status *status)
{
	if (kind_is(kind, "delivered"))
		*status = STATUS_SENT;
	else if (kind_is(kind, "deferred"))
		*status = STATUS_DEFERRED;
	else if (kind_is(kind, "bounced"))
		*status = STATUS_BOUNCED;
	else
		return false;
	return true;
}

/* tracking_subject - "EVENT-ID SOURCE" in buf, upper-cased, as the
 * tracking rules see it */
static size_t
tracking_subject(struct span event_id, struct span source,
		 char buf[2 * WORD_MAX + 2])
{
	size_t n = 0;

	for (size_t i = 0; i < event_id.len && i < WORD_MAX; i++) {
		int c = (unsigned char)event_id.ptr[i];

		buf[n++] = (char)(ascii_islower(c) ? c - ('a' - 'A') : c);
	}
	buf[n++] = ' ';
	for (size_t i = 0; i < source.len && i < WORD_MAX; i++)
		buf[n++] = source.ptr[i];
	buf[n] = '\0';
	return n;
}

static enum extract_result
walk_first(struct extractor *x, struct exchange_state *st, struct event *ev);

static enum extract_result
tracking_row(struct extractor *x, struct exchange_state *st,
	     struct event *ev)
{
	struct span event_id = exchange_field(st, COL_EVENT_ID);
	struct span rcpts = exchange_field(st, COL_RECIPIENT_ADDRESS);
	struct exchange_walk *w = &st->walk;
	char subject[2 * WORD_MAX + 2];
	size_t len;
	const char *kind;
	bool limit;

	len = tracking_subject(event_id, exchange_field(st, COL_SOURCE),
			       subject);
	kind = tracking_kind(x, st, subject, len, &limit);
	if (limit)
		return EXTRACT_LIMIT;
	if (kind == NULL) {
		snprintf(
		    st->note, sizeof st->note,
		    _("no rule for event-id \"%.*s\""),
		    (int)(event_id.len < WORD_MAX ? event_id.len : WORD_MAX),
		    event_id.ptr ? event_id.ptr : "");
		return EXTRACT_UNKNOWN;
	}
	if (kind_is(kind, "notification")) {
		row_base(st, ev, EVENT_NOTIFICATION);
		return EXTRACT_EVENT;
	}
	if (!outcome(kind, &w->status))
		return EXTRACT_INFO;

	row_base(st, &w->base, EVENT_DELIVERY);
	w->summary = false;
	w->rcpts = rcpts.len > 0 ? rcpts : span_make(NULL, 0);
	w->statuses = exchange_field(st, COL_RECIPIENT_STATUS);
	w->left = rcpts.len > 0 ? count_items(rcpts, SPLIT_EVERY) : 1;
	w->split = choose_split(w->statuses, w->left);
	return walk_first(x, st, ev);
}

/* summary_outcome - the address and outcome of one "address##Receive,
 * Fail" item of an EAC summary report; false when its last event is not
 * an outcome.  *limit is set when a tracking rule hit a PCRE2 limit. */
static bool
summary_outcome(struct extractor *x, struct span item, struct span *address,
		enum delivery_status *status, bool *limit)
{
	char subject[2 * WORD_MAX + 2];
	struct span last;
	const char *kind;
	size_t len;

	*limit = false;
	*address = item;
	for (size_t i = 0; i + 1 < item.len; i++) {
		if (item.ptr[i] == '#' && item.ptr[i + 1] == '#') {
			address->len = i;
			break;
		}
	}
	if (address->len == item.len)
		return false;

	/* The events are listed in order; the last is the outcome. */
	last = trim(span_make(item.ptr + address->len + 2,
			      item.len - address->len - 2));
	for (size_t i = last.len; i > 0; i--) {
		char c = last.ptr[i - 1];

		if (c == ',' || ascii_isblank((unsigned char)c)) {
			last = span_make(last.ptr + i, last.len - i);
			break;
		}
	}
	len = tracking_subject(last, span_make("", 0), subject);
	kind = rule_kind(x, "tracking", subject, len, limit);
	return kind != NULL && outcome(kind, status);
}

/* summary_item - the event of one item of an EAC summary report; false
 * when its last event is not an outcome.  Sets st->walk.limit when a
 * rule hit a PCRE2 limit. */
static bool
summary_item(struct extractor *x, struct exchange_state *st,
	     struct span item, struct event *ev)
{
	struct span address;
	enum delivery_status status;
	bool limit;

	if (!summary_outcome(x, item, &address, &status, &limit)) {
		st->walk.limit = st->walk.limit || limit;
		return false;
	}
	*ev = st->walk.base;
	ev->status = status;
	ev->recipient = present_or_absent(trim(address));
	return true;
}

/* walk_next - the event of the next recipient of the row; false when
 * every recipient has had its event */
static bool
walk_next(struct extractor *x, struct exchange_state *st, struct event *ev)
{
	struct exchange_walk *w = &st->walk;

	while (w->left > 0) {
		struct span rcpt = next_item(&w->rcpts, SPLIT_EVERY);
		struct span status;

		w->left--;
		if (w->summary) {
			if (summary_item(x, st, rcpt, ev))
				return true;
			continue;
		}

		/* A shared status gives every recipient the same event but
		 * for its address. */
		if (w->split == SPLIT_SHARED && w->have_shared) {
			*ev = w->shared;
			ev->recipient = present_or_absent(trim(rcpt));
			ev->repeat = true;
			return true;
		}

		/* The last recipient takes whatever statuses are left. */
		if (w->split == SPLIT_SHARED || w->left == 0)
			status = w->statuses;
		else
			status = next_item(&w->statuses, w->split);
		recipient_event(x, st, rcpt, status, ev);
		if (w->split == SPLIT_SHARED) {
			w->shared = *ev;
			w->have_shared = true;
		}
		return true;
	}
	return false;
}

/* rest_hits_limit - true when a rule hits a PCRE2 limit on a recipient
 * of the row that more() has yet to return.  Statuses are normalized
 * into st->check, because the event already returned may point into
 * st->scratch. */
static bool
rest_hits_limit(struct extractor *x, struct exchange_state *st)
{
	struct exchange_walk w = st->walk;
	struct span address, status;
	enum delivery_status outcome_status;
	bool limit = false;

	/* A shared status was matched already, for the first recipient. */
	if (!w.summary && w.split == SPLIT_SHARED)
		return false;
	while (w.left > 0 && !limit) {
		struct span item = next_item(&w.rcpts, SPLIT_EVERY);

		w.left--;
		if (w.summary) {
			summary_outcome(x, item, &address, &outcome_status,
					&limit);
			continue;
		}
		status = w.left == 0 ? w.statuses
				     : next_item(&w.statuses, w.split);
		status = normalize_status(&st->check, &st->check_size, status);
		find_component(x, status, &limit);
	}
	return limit;
}

/* walk_first - the first event of a row's walk.  A PCRE2 limit on any
 * recipient fails the whole row, as a limit fails a line of the other
 * formats, so the other recipients are checked here and more() never
 * meets a limit. */
static enum extract_result
walk_first(struct extractor *x, struct exchange_state *st, struct event *ev)
{
	struct exchange_walk *w = &st->walk;
	bool found;

	w->limit = false;
	w->have_shared = false;
	found = walk_next(x, st, ev);
	if (w->limit || rest_hits_limit(x, st)) {
		w->left = 0;
		return EXTRACT_LIMIT;
	}
	return found ? EXTRACT_EVENT : EXTRACT_INFO;
}

/* ---------------------------------------------------------------------
 * Exchange Online message trace exports
 */

/* parse_us_time - "5/6/2024 8:15:02 AM", the en-US form in which
 * PowerShell's Export-Csv writes a message trace's Received time (UTC).
 * NOTE: other cultures write the day first, which cannot be distinguished
 * from the month; such files need an export with an ISO 8601 time. */
static bool
parse_us_time(struct span s, struct logtime *t)
{
	static const char separators[] = "// ::";
	int v[6] = {0};
	size_t i = 0;
	bool pm = false;
	char iso[40];
	int n;

	for (int field = 0; field < 6; field++) {
		size_t start = i, width = field == 2 ? 4 : 2;

		while (i < s.len && i - start < width &&
		       ascii_isdigit((unsigned char)s.ptr[i]))
			v[field] = v[field] * 10 + (s.ptr[i++] - '0');
		if (i == start || (field == 2 && i - start != 4))
			return false;
		if (field < 5 &&
		    (i >= s.len || s.ptr[i++] != separators[field]))
			return false;
	}

	/* A 12-hour clock ends in " AM" or " PM"; 12 AM is midnight. */
	if (i < s.len) {
		if (s.len - i != 3 || s.ptr[i] != ' ' || v[3] < 1 || v[3] > 12)
			return false;
		pm = ascii_casecmp_n(s.ptr + i + 1, "PM", 2);
		if (!pm && !ascii_casecmp_n(s.ptr + i + 1, "AM", 2))
			return false;
		v[3] = v[3] % 12 + (pm ? 12 : 0);
	}

	/* The RFC 3339 parser checks the ranges. */
	n = snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", v[2],
		     v[0], v[1], v[3], v[4], v[5]);
	return n > 0 && (size_t)n < sizeof iso &&
	       sysline_parse_rfc3339(iso, (size_t)n, t) == (size_t)n;
}

static enum extract_result
trace_row(struct extractor *x, struct exchange_state *st, struct event *ev)
{
	struct span status = exchange_field(st, COL_TRACE_STATUS);
	enum delivery_status outcome_status;
	const char *kind;
	bool limit;

	kind = rule_kind(x, "trace", status.ptr ? status.ptr : "", status.len,
			 &limit);
	if (limit)
		return EXTRACT_LIMIT;
	if (kind == NULL) {
		snprintf(st->note, sizeof st->note,
			 _("no rule for message trace status"));
		return EXTRACT_UNKNOWN;
	}
	if (!outcome(kind, &outcome_status))
		return EXTRACT_INFO;
	row_base(st, ev, EVENT_DELIVERY);
	ev->status = outcome_status;
	ev->recipient =
		present_or_absent(exchange_field(st, COL_RECIPIENT_ADDRESS));
	return EXTRACT_EVENT;
}

static enum extract_result
summary_row(struct extractor *x, struct exchange_state *st,
	    struct event *ev)
{
	struct exchange_walk *w = &st->walk;
	struct span items = exchange_field(st, COL_RECIPIENT_STATUS);

	row_base(st, &w->base, EVENT_DELIVERY);
	w->summary = true;
	w->rcpts = items.len > 0 ? items : span_make(NULL, 0);
	w->left = items.len > 0 ? count_items(items, SPLIT_EVERY) : 0;
	return walk_first(x, st, ev);
}

/* ---------------------------------------------------------------------
 * Lines and rows
 */

/* row_time - the row's date-time into st->time and the line's time; a
 * column list without date-time leaves the row without a time */
static bool
row_time(struct exchange_state *st, struct extract_line *in)
{
	struct span value = exchange_field(st, COL_DATE_TIME);

	st->has_time = false;
	if (st->column[COL_DATE_TIME] < 0)
		return true;
	if (!exchange_parse_time(value, &st->time) &&
	    !parse_us_time(value, &st->time)) {
		snprintf(st->note, sizeof st->note, "%s",
			 _("invalid date-time"));
		return false;
	}
	st->has_time = true;
	in->has_time = true;
	in->time = st->time;
	return true;
}

static enum extract_result
data_row(struct extractor *x, struct exchange_state *st,
	 struct extract_line *in, struct span line, struct event *ev)
{
	if (!split_row(st, line))
		return EXTRACT_UNKNOWN;
	if (is_header_row(st)) {
		map_columns(st, &st->row);
		return EXTRACT_INFO;
	}
	if (st->nfields == 0 && !guess_columns(st, st->row.count)) {
		snprintf(st->note, sizeof st->note,
			 P_("row of %zu field before any #Fields line",
			    "row of %zu fields before any #Fields line",
			    st->row.count),
			 st->row.count);
		return EXTRACT_UNKNOWN;
	}
	if (st->row.count != st->nfields) {
		snprintf(st->note, sizeof st->note,
			 P_("row has %zu field, the column list names %zu",
			    "row has %zu fields, the column list names %zu",
			    st->row.count),
			 st->row.count, st->nfields);
		return EXTRACT_UNKNOWN;
	}
	if (!row_time(st, in))
		return EXTRACT_UNKNOWN;

	switch (st->log) {
	case LOG_TRACKING:
		return tracking_row(x, st, ev);
	case LOG_SMTP_SEND:
	case LOG_SMTP_RECEIVE:
	case LOG_SMTP:
		return exchange_smtp_row(x, st, ev);
	case LOG_TRACE:
		return trace_row(x, st, ev);
	case LOG_TRACE_SUMMARY:
		return summary_row(x, st, ev);
	case LOG_UNKNOWN:
	case LOG_OTHER:
		break;
	}
	snprintf(st->note, sizeof st->note,
		 _("rows of this Exchange log type are not read"));
	return EXTRACT_UNKNOWN;
}

static enum extract_result
exchange_line(struct extractor *x, struct extract_line *in, struct event *ev)
{
	struct exchange_state *st = extractor_state(x);
	struct span line = skip_bom(span_make(in->text, in->len));
	enum extract_result result;

	st->walk.left = 0;
	st->note[0] = '\0';
	if (line.len > 0 && line.ptr[0] == '#')
		result = header_line(st, line);
	else
		result = data_row(x, st, in, line, ev);
	if (result == EXTRACT_UNKNOWN && st->note[0] != '\0')
		in->note = st->note;
	return result;
}

static bool
exchange_more(struct extractor *x, struct extract_line *in, struct event *ev)
{
	(void)in;
	return walk_next(x, extractor_state(x), ev);
}

/* ---------------------------------------------------------------------
 * Recognising an Exchange file by its first line
 */

/* headerless_row - a row without a header, as grep or a log shipper
 * leaves it: an ISO 8601 UTC time and 30, 26 or 9 fields, the last
 * with a protocol log event ("+", "-", ">", "<" or "*") */
static bool
headerless_row(const char *text, size_t len)
{
	struct logtime t;
	struct csv_record rec;
	size_t at = sysline_parse_rfc3339(text, len, &t);
	bool ok = false;
	char *buf;

	if (at == 0 || at >= len || text[at] != ',' || !t.has_offset)
		return false;
	buf = xmalloc(len + 1);
	if (csv_split(text, len, buf, &rec) == CSV_OK) {
		struct span event = rec.count == 9 ? rec.fields[6]
						   : span_make(NULL, 0);

		ok = rec.count == 30 || rec.count == 26 ||
		     (event.len == 1 && memchr("+-<>*", event.ptr[0], 5));
	}
	free(buf);
	return ok;
}

static bool
exchange_sniff(const char *text, size_t len)
{
	struct span line = span_make(text, len);
	struct span rest = skip_bom(line);
	bool had_bom = rest.len < line.len;

	if (span_starts(rest, "#Software: Microsoft Exchange") ||
	    span_starts(rest, "#Fields: date-time,"))
		return true;
	if (had_bom && (span_starts(rest, "#Software:") ||
			span_starts(rest, "#Version:") ||
			span_starts(rest, "#Log-type:") ||
			span_starts(rest, "#Fields:")))
		return true;

	/* Message trace exports start with a row of column names, after
	 * the "#TYPE" line of Windows PowerShell's Export-Csv.
	 * NOTE: the type name of a message trace row was not checked on a
	 * real export; any "#TYPE" line naming "MessageTrace" is claimed. */
	if (span_starts(rest, "#TYPE ") && contains(rest, "MessageTrace"))
		return true;
	if (span_starts(rest, "\"Received\",\"SenderAddress\",") ||
	    span_starts(rest, "Received,SenderAddress,") ||
	    span_starts(rest, "date_time_utc,") ||
	    span_starts(rest, "\"date_time_utc\",") ||
	    span_starts(rest, "origin_timestamp_utc,") ||
	    span_starts(rest, "\"origin_timestamp_utc\","))
		return true;
	return headerless_row(rest.ptr, rest.len);
}

const struct extractor_backend extract_exchange = {
	.name = "exchange",
	.builtin = exchange_pat,
	.builtin_len = &exchange_pat_len,
	.syslog = false,
	.sniff = exchange_sniff,
	.whole_input = true,
	.check = exchange_check,
	.state_new = exchange_state_new,
	.state_reset = exchange_state_reset,
	.state_free = exchange_state_free,
	.line = exchange_line,
	.more = exchange_more,
};
