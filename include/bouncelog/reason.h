/* SPDX-License-Identifier: MIT */
/*
 * reason.h - why a delivery failed: the reason ids and one classification
 *
 * Every deferral, bounce, expiry and rejection gets one reason id.  The
 * ids are part of the JSON report and of --classify output, so they are
 * fixed here.  Their kind (hard, soft or none), a label and a postmaster's
 * advice in each report language come from data/reasons.tsv.  That file
 * is built into the program and checked at start-up against this list.
 *
 * The enum order is the tie order: when rules of the same evidence level
 * name different reasons, the reason listed first wins, so that a
 * specific cause beats a give-up ("mailbox full: retry timeout exceeded"
 * is mailboxfull, not expired).
 */
#ifndef BOUNCELOG_REASON_H
#define BOUNCELOG_REASON_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/lang.h"
#include "bouncelog/span.h"

enum reason {
	REASON_NONE = 0, /* not classified: not a failure */
	REASON_GREYLISTED,
	REASON_SUPPRESSED,
	REASON_MAILBOXFULL,
	REASON_EMAILTOOLARGE,
	REASON_TOOMANYRECIPIENTS,
	REASON_RATELIMITED,
	REASON_REQUIREPTR,
	REASON_AUTHFAILURE,
	REASON_FAILEDSTARTTLS,
	REASON_VIRUSDETECTED,
	REASON_SPAMDETECTED,
	REASON_BLOCKED,
	REASON_BADREPUTATION,
	REASON_NORELAYING,
	REASON_REJECTED,
	REASON_SUSPEND,
	REASON_HASMOVED,
	REASON_USERUNKNOWN,
	REASON_HOSTUNKNOWN,
	REASON_NOTACCEPT,
	REASON_FILTERED,
	REASON_NOTCOMPLIANTRFC,
	REASON_CONTENTERROR,
	REASON_POLICYVIOLATION,
	REASON_SECURITYERROR,
	REASON_MAILLOOP,
	REASON_DNSERROR,
	REASON_CONNECTIONERROR,
	REASON_NETWORKERROR,
	REASON_SYSTEMFULL,
	REASON_SYSTEMERROR,
	REASON_EXPIRED,
	REASON_MAILERERROR,
	REASON_SYNTAXERROR,
	REASON_ONHOLD,	  /* codes or text, but no decisive evidence */
	REASON_UNDEFINED, /* nothing usable */
	REASON_DELIVERED, /* a success reply */
	REASON_COUNT
};

/* Whether a failure means that the address itself is bad. */
enum bounce_kind {
	KIND_NONE, /* a success */
	KIND_SOFT,
	KIND_HARD,
};

/* The SMTP command or stage that a reply was sent for, when known. */
enum smtp_stage {
	STAGE_NONE,
	STAGE_CONN, /* the greeting, or the connection itself */
	STAGE_HELO, /* EHLO, HELO, LHLO */
	STAGE_STARTTLS,
	STAGE_AUTH,
	STAGE_MAIL,
	STAGE_RCPT,
	STAGE_DATA, /* DATA, BDAT, end of data, header and body checks */
	STAGE_COUNT
};

/* Maximum sizes, with the NUL, of an evidence string such as
 * "provider:microsoft:5.7.606" and of a provider name. */
#define CLASSIFY_EVIDENCE_MAX 64
#define CLASSIFY_PROVIDER_MAX 24

/* The classification of one failure; all zero until classified.
 * NOTE: feed.c copies cause by name, as the only span of this struct, so
 * a new span field must be added to its list too. */
struct classification {
	enum reason reason;
	enum bounce_kind kind;
	unsigned char cls;   /* protocol class: 2, 4 or 5; 0 when
			      * neither a code nor the log gives one */
	bool class_mismatch; /* the reply code and the enhanced code
			      * are of different classes */
	bool expired;	     /* an expiry: the queue lifetime or the
			      * retry time ran out */
	enum smtp_stage stage;
	char evidence[CLASSIFY_EVIDENCE_MAX]; /* "" when none */
	char provider[CLASSIFY_PROVIDER_MAX]; /* "" when none detected */
	struct span cause; /* a reply nested inside the reply, or
			    * absent; points into the event's text */
};

/*
 * Load the built-in reason table.  Returns 0, or -1 after a diagnostic
 * when the table is invalid (a build error, caught by the unit tests).
 * Safe to call more than once.
 */
int reasons_init(void);

/*
 * Parse a reason table in TSV form (columns id, kind, label_en, label_tr,
 * advice_en, advice_tr; a first header line; "#" comment lines; blank
 * lines skipped) and make it the table in use.  The ids must be those of
 * enum reason, in enum order, each once.  name is used in diagnostics of
 * the form "NAME:LINE: message".  Returns 0, or -1 with the table in use
 * unchanged.  The text is copied.
 */
int reasons_load(const char *tsv, size_t len, const char *name);

/* Release the table; the lookups below then give English ids only. */
void reasons_free(void);

/* The id, such as "userunknown"; "" for REASON_NONE or out of range. */
const char *reason_name(enum reason r);

/* The reason called name (len bytes); false when there is none. */
bool reason_lookup(const char *name, size_t len, enum reason *out);

/* The kind from the table; KIND_SOFT when the table is not loaded. */
enum bounce_kind reason_kind(enum reason r);

/* The label and the advice in lang; "" when the table is not loaded. */
const char *reason_label(enum reason r, enum lang lang);
const char *reason_advice(enum reason r, enum lang lang);

/* "hard", "soft" or "none". */
const char *bounce_kind_name(enum bounce_kind kind);

/* "CONN", "HELO", ... or "" for STAGE_NONE. */
const char *smtp_stage_name(enum smtp_stage stage);

#endif
