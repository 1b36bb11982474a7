/* SPDX-License-Identifier: MIT */
/*
 * events.c - one record per failure, for log pipelines
 *
 * A failure is first turned into a list of typed fields, in the column
 * order of doc/events-schema.md.  The JSON and CSV encoders then differ
 * only in how they write a field, so the two cannot disagree.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/escape.h"
#include "bouncelog/events.h"
#include "bouncelog/logzone.h"
#include "bouncelog/xalloc.h"

enum field_type {
	FIELD_NULL,
	FIELD_TEXT,	/* s, len bytes */
	FIELD_UINT,	/* n */
	FIELD_BOOL,	/* n is 0 or 1 */
};

struct field {
	enum field_type type;
	const char *s;
	size_t len;
	uint64_t n;
};

enum field_id {
	F_TIME,
	F_OFFSET_ASSUMED,
	F_LOG_FORMAT,
	F_HOST,
	F_QUEUE_ID,
	F_DIRECTION,
	F_OUTCOME,
	F_CLASS,
	F_REPLY_CODE,
	F_ENHANCED_CODE,
	F_REASON,
	F_KIND,
	F_STAGE,
	F_PROVIDER,
	F_EVIDENCE,
	F_SENDER_DOMAIN,
	F_SENDER_HASH,
	F_SENDER,
	F_RECIPIENT_DOMAIN,
	F_RECIPIENT_HASH,
	F_RECIPIENT,
	F_REMOTE_HOST,
	F_REMOTE_ADDR,
	F_TEXT,
	F_COUNT
};

/* Field names: JSON keys and CSV column names; never translated. */
static const char *const field_names[F_COUNT] = {
	[F_TIME] = "time",
	[F_OFFSET_ASSUMED] = "offset_assumed",
	[F_LOG_FORMAT] = "log_format",
	[F_HOST] = "host",
	[F_QUEUE_ID] = "queue_id",
	[F_DIRECTION] = "direction",
	[F_OUTCOME] = "outcome",
	[F_CLASS] = "class",
	[F_REPLY_CODE] = "reply_code",
	[F_ENHANCED_CODE] = "enhanced_code",
	[F_REASON] = "reason",
	[F_KIND] = "kind",
	[F_STAGE] = "stage",
	[F_PROVIDER] = "provider",
	[F_EVIDENCE] = "evidence",
	[F_SENDER_DOMAIN] = "sender_domain",
	[F_SENDER_HASH] = "sender_hash",
	[F_SENDER] = "sender",
	[F_RECIPIENT_DOMAIN] = "recipient_domain",
	[F_RECIPIENT_HASH] = "recipient_hash",
	[F_RECIPIENT] = "recipient",
	[F_REMOTE_HOST] = "remote_host",
	[F_REMOTE_ADDR] = "remote_addr",
	[F_TEXT] = "text",
};

static const char *const outcome_names[] = {
	[TALLY_DEFERRED] = "deferred",
	[TALLY_BOUNCED] = "bounced",
	[TALLY_EXPIRED] = "expired",
	[TALLY_REJECTED] = "rejected",
};

/* The fields of one failure and the storage some of them point into. */
struct record {
	struct field f[F_COUNT];
	char time[64];
	char enhanced[ENH_STATUS_LEN];
	char sender_hash[PSEUDONYM_LEN];
	char recipient_hash[PSEUDONYM_LEN];
	char *sender_domain;		/* owned */
	char *recipient_domain;		/* owned */
};

static void
set_text(struct field *f, const char *s, size_t len)
{
	f->type = s != NULL ? FIELD_TEXT : FIELD_NULL;
	f->s = s;
	f->len = len;
}

static void
set_span(struct field *f, struct span s)
{
	set_text(f, s.ptr, s.len);
}

/* set_str - a C string; NULL and "" are null */
static void
set_str(struct field *f, const char *s)
{
	if (s == NULL || s[0] == '\0')
		f->type = FIELD_NULL;
	else
		set_text(f, s, strlen(s));
}

/* lower_copy - s with ASCII letters in lower case; owned */
static char *
lower_copy(struct span s)
{
	char *copy = xstrndup(s.ptr, s.len);

	for (size_t i = 0; i < s.len; i++)
		copy[i] = (char)ascii_tolower((unsigned char)copy[i]);
	return copy;
}

/*
 * format_time - RFC 3339 with an offset, and microseconds when the log
 * gave a fraction; an offset the log lacked is the local zone's
 */
static void
format_time(const struct logtime *t, char *buf, size_t len)
{
	struct logtime with = logzone_with_offset(t);
	char plain[48];
	size_t date_len;

	logtime_format(&with, plain, sizeof plain);
	if (t->usec == 0) {
		snprintf(buf, len, "%s", plain);
		return;
	}

	/* The offset starts after "YYYY-MM-DDTHH:MM:SS"; the fraction goes
	 * before it. */
	date_len = strcspn(plain + 11, "Z+-") + 11;
	snprintf(buf, len, "%.*s.%06d%s", (int)date_len, plain, (int)t->usec,
		 plain + date_len);
}

/* set_time - the time fields; null when the line had no time */
static void
set_time(struct record *r, const struct event *ev)
{
	if (!ev->has_time)
		return;
	format_time(&ev->time, r->time, sizeof r->time);
	set_str(&r->f[F_TIME], r->time);
	r->f[F_OFFSET_ASSUMED].type = FIELD_BOOL;
	r->f[F_OFFSET_ASSUMED].n = !ev->time.has_offset;
}

/* set_codes - reply code, enhanced code and what classified them */
static void
set_codes(struct record *r, const struct tally_failure *f)
{
	const struct event *ev = f->ev;
	const struct enh_status *enh = event_enhanced(ev);
	const struct classification *c = &ev->classification;

	r->f[F_CLASS].type = FIELD_TEXT;
	r->f[F_CLASS].s = f->cls == 4 ? "4xx" : "5xx";
	r->f[F_CLASS].len = 3;
	if (ev->reply_code != 0) {
		r->f[F_REPLY_CODE].type = FIELD_UINT;
		r->f[F_REPLY_CODE].n = (uint64_t)ev->reply_code;
	}
	if (enh_status_present(enh))
		set_str(&r->f[F_ENHANCED_CODE],
			status_format_enhanced(enh, r->enhanced));
	set_str(&r->f[F_REASON], reason_name(f->reason));
	set_str(&r->f[F_KIND], bounce_kind_name(reason_kind(f->reason)));
	if (span_present(ev->stage) && ev->stage.len > 0)
		set_span(&r->f[F_STAGE], ev->stage);
	else
		set_str(&r->f[F_STAGE], smtp_stage_name(c->stage));
	set_str(&r->f[F_PROVIDER], c->provider);
	set_str(&r->f[F_EVIDENCE], c->evidence);
}

/*
 * set_address - the fields of an address: its domain in field first, its
 * pseudonym in the next one and the address itself in the one after, as
 * enum field_id orders them for senders and recipients
 */
static void
set_address(struct record *r, struct span addr, enum field_id first,
	    char **domain, char *hash, const struct events_options *opts)
{
	struct span d = event_domain(addr);

	if (!span_present(addr))
		return;
	if (span_present(d) && d.len > 0) {
		*domain = lower_copy(d);
		set_text(&r->f[first], *domain, d.len);
	}
	pseudonym_make(&opts->key, addr.ptr, addr.len, hash);
	set_str(&r->f[first + 1], hash);
	if (opts->show_addresses)
		set_span(&r->f[first + 2], addr);
}

/* set_recipient_domain - the domain an expiry was charged to, when the
 * recipient's address is not known; placeholders such as "(unknown)"
 * are null */
static void
set_recipient_domain(struct record *r, struct span domain)
{
	if (r->f[F_RECIPIENT_DOMAIN].type != FIELD_NULL ||
	    !span_present(domain) || domain.len == 0 || domain.ptr[0] == '(')
		return;
	r->recipient_domain = lower_copy(domain);
	set_text(&r->f[F_RECIPIENT_DOMAIN], r->recipient_domain, domain.len);
}

/* set_remote - the remote server of a delivery or client of a
 * rejection */
static void
set_remote(struct record *r, const struct tally_failure *f)
{
	const struct event *ev = f->ev;
	bool inbound = f->outcome == TALLY_REJECTED;

	set_str(&r->f[F_DIRECTION], inbound ? "inbound" : "outbound");
	set_span(&r->f[F_REMOTE_HOST],
		 inbound ? ev->client_host : ev->remote_host);
	set_span(&r->f[F_REMOTE_ADDR],
		 inbound ? ev->client_addr : ev->remote_addr);
}

/* record_fill - the fields of f */
static void
record_fill(struct record *r, const struct tally_failure *f,
	    const struct events_options *opts)
{
	const struct event *ev = f->ev;

	memset(r, 0, sizeof *r);
	set_time(r, ev);
	set_str(&r->f[F_LOG_FORMAT], ev->format);
	set_span(&r->f[F_HOST], ev->log_host);
	set_span(&r->f[F_QUEUE_ID], ev->queue_id);
	set_str(&r->f[F_OUTCOME], outcome_names[f->outcome]);
	set_codes(r, f);
	set_address(r, f->sender, F_SENDER_DOMAIN, &r->sender_domain,
		    r->sender_hash, opts);
	set_address(r, f->recipient, F_RECIPIENT_DOMAIN, &r->recipient_domain,
		    r->recipient_hash, opts);
	set_recipient_domain(r, f->domain);
	set_remote(r, f);
	if (opts->show_addresses)
		set_span(&r->f[F_TEXT], ev->text);
}

static void
record_free(struct record *r)
{
	free(r->sender_domain);
	free(r->recipient_domain);
}

void
events_write_json(FILE *out, const struct tally_failure *f,
		  const struct events_options *opts)
{
	struct record r;

	record_fill(&r, f, opts);
	for (int i = 0; i < F_COUNT; i++) {
		const struct field *v = &r.f[i];

		fprintf(out, "%s\"%s\":", i ? "," : "{", field_names[i]);
		switch (v->type) {
		case FIELD_NULL:
			fputs("null", out);
			break;
		case FIELD_TEXT:
			escape_json(out, v->s, v->len);
			break;
		case FIELD_UINT:
			fprintf(out, "%" PRIu64, v->n);
			break;
		case FIELD_BOOL:
			fputs(v->n ? "true" : "false", out);
			break;
		}
	}
	fputs("}\n", out);
	record_free(&r);
}

void
events_csv_header(struct csv_writer *w)
{
	for (int i = 0; i < F_COUNT; i++)
		csv_writer_str(w, field_names[i]);
	csv_writer_end_record(w);
}

void
events_write_csv(struct csv_writer *w, const struct tally_failure *f,
		 const struct events_options *opts)
{
	struct record r;

	record_fill(&r, f, opts);
	for (int i = 0; i < F_COUNT; i++) {
		const struct field *v = &r.f[i];

		switch (v->type) {
		case FIELD_NULL:
			csv_writer_text(w, "", 0);
			break;
		case FIELD_TEXT:
			csv_writer_text(w, v->s, v->len);
			break;
		case FIELD_UINT:
			csv_writer_uint(w, v->n);
			break;
		case FIELD_BOOL:
			csv_writer_str(w, v->n ? "true" : "false");
			break;
		}
	}
	csv_writer_end_record(w);
	record_free(&r);
}
