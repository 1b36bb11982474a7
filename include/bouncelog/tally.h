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
 * Memory is bounded: each breakdown keeps at most TALLY_KEYS_MAX distinct
 * keys (TALLY_REASON_KEYS_MAX for the breakdowns of one reason; later
 * keys are counted under "(other)") of at most 255 bytes, the
 * queue tracker has the limits given in qtrack.h and forgets a message
 * when Postfix removes it, example lines are cut to TALLY_EXAMPLE_MAX
 * bytes, and failures over time are counted in the fixed buckets of
 * timeline.h.
 */
#ifndef BOUNCELOG_TALLY_H
#define BOUNCELOG_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "bouncelog/event.h"
#include "bouncelog/span.h"

#define TALLY_KEYS_MAX 50000
#define TALLY_REASON_KEYS_MAX 5000	/* keys per breakdown of one reason */
#define TALLY_EXAMPLES 3		/* example lines kept per code */
#define TALLY_EXAMPLE_MAX 400		/* bytes kept of an example line */

/* The key under which values beyond TALLY_KEYS_MAX are counted. */
#define TALLY_OTHER_KEY "(other)"

/* Most log formats counted apart per input. */
#define INPUT_FORMATS_MAX 8

/* Lines of one log format within an input. */
struct input_format {
	const char *name;	/* static */
	uint64_t recognized;
	uint64_t unknown;
	uint64_t limit_hits;
};

/* Line counts of one input. */
struct input_stats {
	char *name;		/* owned */
	const char *format;	/* the format with most recognized lines, or
				 * "none"; static */
	struct input_format formats[INPUT_FORMATS_MAX];
	size_t nformats;
	const char *encoding;	/* "plain" or "gzip"; static */
	uint64_t lines;
	uint64_t recognized;
	uint64_t unrecognized;	/* foreign + unknown + bad_header + limit_hits */
	uint64_t foreign;	/* lines of other programs */
	uint64_t unknown;	/* the format's own lines that no rule matched */
	uint64_t bad_header;	/* no syslog header could be read */
	uint64_t truncated;	/* lines cut at the reader's maximum */
	uint64_t limit_hits;	/* lines whose match stopped at a PCRE2 limit */
	uint64_t errors;	/* read or decompression errors */
};

struct tally;

/* Create an empty tally; owned, freed with tally_free(). */
struct tally *tally_new(void);
void tally_free(struct tally *t);

/*
 * Count one event.  line is the whole log line, kept (cut) as an example
 * for failures.  Spans in ev are copied where they are kept.
 */
void tally_add(struct tally *t, const struct event *ev, struct span line);

/* Record that a line with a timestamp was read (for the period covered). */
void tally_saw_time(struct tally *t, const struct logtime *time);

/* Append an input's statistics; name is copied. */
void tally_add_input(struct tally *t, const struct input_stats *in);

#endif
