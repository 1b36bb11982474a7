/* SPDX-License-Identifier: MIT */
/*
 * tally.h - counts of deliveries, failures and rejections for the reports
 *
 * The tally receives events in log order and keeps every count the
 * reports print.  It joins a queue id's sender (Postfix logs it once, on
 * the qmgr line) to that message's delivery lines, tracks which
 * recipients are still deferred, and charges an expiry to them.
 *
 * Failures are also counted per reason (see classify.h), with the
 * recipient domains, hosts and a few examples of each reason.  An expiry
 * takes the reason of its recipient's last deferral when the queue
 * tracker still has it.
 *
 * Memory is bounded.  Recipient domains, remote hosts, SMTP clients and
 * senders of failures can have any number of distinct keys, so they are
 * counted in Space-Saving summaries (topk.h) of TALLY_TOP_CAPACITY
 * counters per class and TALLY_REASON_TOP_CAPACITY per reason.  A key
 * that takes more than 1/capacity of its breakdown's failures is always
 * listed, and each count carries its possible error.  The other
 * breakdowns (codes, stages, components and the per-domain table) are
 * exact for TALLY_KEYS_MAX distinct keys, and later keys are counted
 * under "(other)".  Keys are cut at 255 bytes, the queue tracker has the
 * limits given in qtrack.h and forgets a message when Postfix removes it
 * or after QTRACK_IDLE_MAX seconds of log time without a line,
 * example lines are cut at a NUL and to TALLY_EXAMPLE_MAX bytes, and
 * failures over time are counted in the fixed buckets of timeline.h.
 * Keys are kept as valid UTF-8, with U+FFFD for each invalid byte as
 * the JSON report writes it.  Examples are kept as logged but compared
 * in that form, so neither repeats in that report.
 */
#ifndef BOUNCELOG_TALLY_H
#define BOUNCELOG_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "bouncelog/event.h"
#include "bouncelog/span.h"
#include "bouncelog/timerange.h"

#define TALLY_KEYS_MAX 50000
#define TALLY_TOP_CAPACITY 10000	/* counters per summary of a class */
#define TALLY_REASON_TOP_CAPACITY 1000	/* counters per summary of a reason */
#define TALLY_EXAMPLES 3		/* example lines kept per code */
#define TALLY_EXAMPLE_MAX 400		/* bytes kept of an example line */

/* The key under which values beyond TALLY_KEYS_MAX are counted in the
 * exact breakdowns. */
#define TALLY_OTHER_KEY "(other)"

/* Most log formats counted apart per input. */
#define INPUT_FORMATS_MAX 8

/* Lines of one log format within an input. */
struct input_format {
	const char *name;
	uint64_t recognized;
	uint64_t unknown;
	uint64_t limit_hits;
};

/* Line counts of one input. */
struct input_stats {
	char *name;
	const char *summary;	/* the JSON summary that --merge read this
				 * input's counts from, or NULL */
	char *same_as;		/* an earlier input that names the same
				 * file, which was read instead of this
				 * one; NULL for an input that was read */
	const char *format;	/* the format with most recognized lines, or
				 * "none" */
	struct input_format formats[INPUT_FORMATS_MAX];
	size_t nformats;
	const char *encoding;	/* "plain" or "gzip" */
	uint64_t lines;
	uint64_t recognized;
	uint64_t unrecognized;	/* foreign + unknown + bad_header + limit_hits */
	uint64_t foreign;	/* lines of other programs */
	uint64_t unknown;	/* the format's own lines that no rule matched */
	uint64_t bad_header;	/* no syslog header could be read */
	uint64_t truncated;	/* lines cut at the reader's maximum */
	uint64_t limit_hits;	/* lines whose match stopped at a PCRE2 limit */
	uint64_t errors;	/* read or decompression errors */
	uint64_t before_range;	/* lines timed before the requested range */
	uint64_t after_range;	/* lines timed at or after its end */
	uint64_t untimed;	/* lines without a timestamp */
};

struct tally;

/* The outcome a failure was counted as. */
enum tally_outcome {
	TALLY_DEFERRED,		/* a delivery attempt failed temporarily */
	TALLY_BOUNCED,		/* a delivery failed permanently */
	TALLY_EXPIRED,		/* a recipient was given up on */
	TALLY_REJECTED,		/* an inbound SMTP or content rejection */
};

/*
 * One failure as the tally counted it, given to the sink.  Every span is
 * valid only during the call.
 */
struct tally_failure {
	enum tally_outcome outcome;
	const struct event *ev;	/* the event counted; for an expiry that
				 * the queue tracker charged to a deferred
				 * recipient, the message's expiry event */
	struct span sender;	/* the envelope sender, taken from the
				 * queue tracker when the line lacks it;
				 * absent when unknown, "" for <> */
	struct span recipient;	/* the address, or absent when the tally
				 * kept only its domain */
	struct span domain;	/* the recipient domain as the domains table
				 * counts it, such as "example.com" or
				 * "(unknown)" */
	struct span host;	/* the remote host (outbound) or client
				 * (inbound); absent when none */
	enum reason reason;	/* the reason counted (an expiry takes its
				 * last deferral's) */
	int cls;		/* 4 for a deferral or a temporary
				 * rejection, else 5 */
};

/* Receives every failure counted: deferrals, bounces, expiries and
 * rejections, in the order of the log. */
struct tally_sink {
	void (*failure)(void *ctx, const struct tally_failure *f);
	void *ctx;
};

/* Create an empty tally; owned, freed with tally_free(). */
struct tally *tally_new(void);
void tally_free(struct tally *t);

/*
 * Count one event.  line is the whole log line, kept (cut) as an example
 * for failures.  Spans in ev are copied where they are kept.
 */
void tally_add(struct tally *t, const struct event *ev, struct span line);

/* Send every failure counted from now on to sink (copied); NULL stops. */
void tally_set_sink(struct tally *t, const struct tally_sink *sink);

/*
 * Learn what later events need from an event that is not counted because
 * its line lies outside the requested time range.  That is a queue id's
 * sender, which recipients are deferred with the reason of their last
 * deferral, and which have a final status.  An expiry inside the range is
 * then charged to recipients deferred before it.
 */
void tally_learn(struct tally *t, const struct event *ev);

/* Record the requested time range (copied) for the report header. */
void tally_set_range(struct tally *t, const struct timerange *range);

/*
 * Record that a line with a timestamp was read (for the period covered).
 * Only the earliest and the latest time in UTC seconds count, so a time
 * that lies between two times recorded before, or equals one of them,
 * changes nothing.
 */
void tally_saw_time(struct tally *t, const struct logtime *time);

/* Append an input's statistics; the tally keeps copies of its name and
 * of the summary, format and encoding names. */
void tally_add_input(struct tally *t, const struct input_stats *in);

/*
 * Warn on stderr (diag.h) about what the tally's limits changed: the
 * messages that the queue tracker dropped before their end while they
 * had deferred recipients, whose later expiries could not be charged to
 * those recipients.  The
 * exact breakdowns and the summaries show their own limits in the
 * report ("(other)", and the possible error of each count).
 */
void tally_warn_limits(const struct tally *t);

/*
 * Add everything src counted to dst, as if dst had also read src's
 * inputs.  Every count adds exactly, saturating at UINT64_MAX.  The exact
 * breakdowns add key by key, heaviest keys first, and keys past
 * TALLY_KEYS_MAX go under "(other)".  The Space-Saving summaries merge
 * with topk_merge() and the timelines with timeline_merge().  Examples
 * fill free slots in order, the period widens to cover both, and copies
 * of src's inputs follow dst's.  src is
 * unchanged and must not be dst.
 *
 * NOTE: the queue trackers are not merged, so a deferral counted in src
 * is not charged to an expiry that dst reads later, and a sender logged
 * in one part is not joined to deliveries in another.  Merged tallies of
 * the parts of one log therefore equal the tally of the whole log in
 * every count except those joins (deferred_recipients, expired and the
 * senders of failures).  The queue ids that src's tracker dropped are
 * added to dst's count of them (tally_queue_dropped()).
 */
void tally_merge(struct tally *dst, const struct tally *src);

/*
 * Queue ids that a queue tracker dropped before their end (qtrack.h):
 * those of t's own tracker plus those of the tallies and summaries merged
 * into t.  Sets *pending, unless pending is NULL, to how many of them
 * still had a deferred recipient.  Both saturate at UINT64_MAX.
 */
uint64_t tally_queue_dropped(const struct tally *t, uint64_t *pending);

#endif
