/* SPDX-License-Identifier: MIT */
/*
 * exchange_impl.h - state shared by the parts of the Exchange back end
 *
 * extract_exchange.c reads the CSV framing of every Exchange log (the
 * "#" header lines, the column list, the rows) and the logs that describe
 * messages: message tracking logs and Exchange Online message trace
 * exports.  exchange_smtp.c reads the SMTP protocol logs, which describe
 * sessions and need a memory of each session's commands.
 */
#ifndef BOUNCELOG_EXCHANGE_IMPL_H
#define BOUNCELOG_EXCHANGE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/csv.h"
#include "bouncelog/extract.h"

/* The columns the back end reads, wherever a file puts them. */
enum exchange_column {
	COL_DATE_TIME,
	COL_CLIENT_IP,
	COL_SERVER_IP,
	COL_SERVER_HOSTNAME,
	COL_SOURCE,
	COL_EVENT_ID,
	COL_INTERNAL_MESSAGE_ID,
	COL_MESSAGE_ID,
	COL_RECIPIENT_ADDRESS,
	COL_RECIPIENT_STATUS,
	COL_SENDER_ADDRESS,
	COL_ORIGINAL_SERVER_IP,
	COL_SESSION_ID,		/* SMTP protocol logs */
	COL_LOCAL_ENDPOINT,
	COL_REMOTE_ENDPOINT,
	COL_EVENT,
	COL_DATA,
	COL_TRACE_STATUS,	/* message trace: Delivered, Failed, ... */
	COLUMNS
};

/* The kind of Exchange log that the current rows belong to. */
enum exchange_log {
	LOG_UNKNOWN,		/* no header or column list read yet */
	LOG_TRACKING,		/* message tracking log */
	LOG_SMTP_SEND,		/* SMTP send protocol log */
	LOG_SMTP_RECEIVE,	/* SMTP receive protocol log */
	LOG_SMTP,		/* a protocol log of unknown direction */
	LOG_TRACE,		/* message trace (Get-MessageTrace) */
	LOG_TRACE_SUMMARY,	/* message trace enhanced summary report */
	LOG_OTHER,		/* another Exchange log, such as the
				 * connectivity log: rows are not read */
};

/* Maximum size of a diagnostic note about a row, with its NUL. */
#define EXCHANGE_NOTE_MAX 160

/* The separator between the items of a ";"-separated field. */
enum exchange_split {
	SPLIT_NONE,		/* one recipient: the whole field is its */
	SPLIT_SHARED,		/* one status for all: each gets it all */
	SPLIT_EVERY,		/* at every ";", as between addresses */
	SPLIT_STATUS,		/* at ";" followed by a reply code or an
				 * enhanced code */
};

/* The recipients of the current row that more() has yet to return. */
struct exchange_walk {
	size_t left;			/* 0 when the row is done */
	bool summary;			/* items are "address##events" */
	enum delivery_status status;	/* tracking rows: every recipient's */
	enum exchange_split split;
	bool limit;			/* a rule hit a PCRE2 limit */
	struct span rcpts;		/* the rest of recipient-address */
	struct span statuses;		/* the rest of recipient-status */
	struct event base;		/* the fields every recipient shares */
	struct event shared;		/* SPLIT_SHARED: the first recipient's
					 * event, which the others repeat, so
					 * that the status is read once */
	bool have_shared;		/* shared is set */
};

struct exchange_sessions;

/* Tracking subjects ("EVENT-ID SOURCE") with the kind that the rules
 * gave each: a log has few of them, so each is matched once. */
#define EXCHANGE_KINDS 8
#define EXCHANGE_KIND_SUBJECT_MAX 32

struct exchange_kind {
	char subject[EXCHANGE_KIND_SUBJECT_MAX];
	size_t len;
	const char *kind;		/* NULL when no rule matched */
};

struct exchange_state {
	enum exchange_log log;
	bool log_from_header;		/* #Log-type named the log */
	int column[COLUMNS];		/* field index, or -1 */
	size_t nfields;			/* fields per row; 0 before a column
					 * list */

	/* The current row: decoded quoted fields live in buf. */
	char *buf;
	size_t buf_size;
	struct csv_record row;

	/* Scratch text that events point into, valid until the next row. */
	char *scratch;
	size_t scratch_size;

	/* Scratch text for checking the rest of a row's recipients while
	 * an event points into scratch. */
	char *check;
	size_t check_size;

	struct logtime time;		/* the current row's date-time */
	bool has_time;			/* false without a date-time column */
	struct exchange_walk walk;
	char note[EXCHANGE_NOTE_MAX];
	struct exchange_sessions *sessions;	/* NULL until a protocol
						 * log row is read */
	struct exchange_kind kinds[EXCHANGE_KINDS];
	unsigned nkinds;		/* entries of kinds in use */
	unsigned next_kind;		/* the entry to replace next */
};

/* The field of column col in the current row, or an absent span. */
struct span exchange_field(const struct exchange_state *st,
			   enum exchange_column col);

/*
 * The address of an endpoint without its port: "192.0.2.1:25" and
 * "[2001:db8::1]:25" give "192.0.2.1" and "2001:db8::1".  A value with
 * several colons and no brackets is an IPv6 address without a port and
 * is returned whole.
 */
struct span exchange_endpoint_addr(struct span endpoint);

/*
 * Read an ISO 8601 UTC time such as "2024-05-06T08:12:01.123Z" into *t,
 * with offset 0.  An explicit offset ("+03:00") is kept; a time without
 * a zone is taken as UTC, as Exchange writes every time in UTC.
 * Returns false when s is not such a time.
 */
bool exchange_parse_time(struct span s, struct logtime *t);

/*
 * Classify a row of an SMTP protocol log (st->log is LOG_SMTP_SEND,
 * LOG_SMTP_RECEIVE or LOG_SMTP).  Fills *ev for EXTRACT_EVENT.
 */
enum extract_result exchange_smtp_row(struct extractor *x,
				      struct exchange_state *st,
				      struct event *ev);

/* Forget every SMTP session (a new input), and free the memory. */
void exchange_smtp_reset(struct exchange_state *st);
void exchange_smtp_free(struct exchange_state *st);

#endif
