/* SPDX-License-Identifier: MIT */
/*
 * threshold.h - the --fail-on conditions on a finished tally
 *
 * A condition compares one measured value with a number:
 *
 *	CONDITION = METRIC OPERATOR NUMBER
 *	OPERATOR  = ">" | ">=" | "<" | "<=" | "==" | "=" | "!="
 *
 * Blanks around the parts are ignored, names ignore ASCII case, and "_"
 * may replace "-" in a name.  A count takes a whole number; a rate takes
 * a percentage from 0% to 100% with at most 6 decimals, such as 2.5%.
 * Counts (the JSON report's totals):
 *	delivered, deferred, deferred-recipients, soft-bounced, bounced,
 *	expired, expired-messages, rejected, reject-warnings, forwarded,
 *	notifications
 *	failures	deferrals, bounces, expiries and inbound rejections
 *	reason:NAME	failures of one reason, such as reason:blocked
 *	code:CODE	failures with a reply code (code:550) or an enhanced
 *			code (code:5.7.1)
 *	class:4xx	temporary failures, deliveries and rejections;
 *			class:5xx the permanent ones
 *	domain:NAME	failures for one recipient domain
 * Rates, of recipients with a final status (delivered, bounced or
 * expired) or of delivery attempts:
 *	bounce-rate	bounced / (delivered + bounced + expired)
 *	failure-rate	(bounced + expired) / (delivered + bounced + expired)
 *	deferral-rate	deferred / (delivered + deferred + bounced)
 * A rate whose denominator is 0 is undefined, and a condition on it does
 * not hold.  Rates are compared exactly, without rounding.
 */
#ifndef BOUNCELOG_THRESHOLD_H
#define BOUNCELOG_THRESHOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncelog/reason.h"

/* Maximum number of conditions in one run, and maximum size of one
 * condition in bytes with its terminator. */
#define THRESHOLD_MAX 32
#define THRESHOLD_TEXT_MAX 256

/* Size of a buffer for threshold_describe() and for parse errors. */
#define THRESHOLD_MESSAGE_MAX 1024

enum threshold_metric {
	METRIC_TOTAL,		/* a count of the totals, see total */
	METRIC_FAILURES,
	METRIC_REASON,
	METRIC_REPLY_CODE,
	METRIC_ENHANCED_CODE,
	METRIC_CLASS,
	METRIC_DOMAIN,
	METRIC_BOUNCE_RATE,
	METRIC_FAILURE_RATE,
	METRIC_DEFERRAL_RATE,
};

enum threshold_operator {
	THRESHOLD_GT,
	THRESHOLD_GE,
	THRESHOLD_LT,
	THRESHOLD_LE,
	THRESHOLD_EQ,
	THRESHOLD_NE,
};

/* One parsed condition. */
struct threshold {
	char text[THRESHOLD_TEXT_MAX];	/* as written, blanks removed */
	char name[THRESHOLD_TEXT_MAX];	/* the metric as written, such as
					 * "reason:blocked" */
	enum threshold_metric metric;
	size_t total;			/* METRIC_TOTAL: which count */
	enum reason reason;		/* METRIC_REASON */
	char key[THRESHOLD_TEXT_MAX];	/* METRIC_REPLY_CODE and
					 * METRIC_ENHANCED_CODE: the code;
					 * METRIC_DOMAIN: the lower-cased
					 * domain */
	int reply_class;		/* METRIC_CLASS: 4 or 5 */
	enum threshold_operator op;
	uint64_t value;			/* a count, or a rate in millionths
					 * of a percent */
};

struct threshold_list {
	struct threshold items[THRESHOLD_MAX];
	size_t count;
};

/* A condition's measured value. */
struct threshold_result {
	bool holds;
	bool defined;		/* false for a rate with no denominator */
	uint64_t value;		/* a count, or a rate's numerator */
	uint64_t denominator;	/* rates only */
};

struct tally;

/*
 * Parse text, one or more conditions separated by commas, and append them
 * to *list.  Returns true, or false with a message in error (of size
 * error_len) that names the condition and what is wrong with it; *list
 * may then hold some of the conditions.
 */
bool threshold_parse(const char *text, struct threshold_list *list,
		     char *error, size_t error_len);

/* Measure the condition th on t and decide whether it holds. */
void threshold_check(const struct threshold *th, const struct tally *t,
		     struct threshold_result *out);

/*
 * Describe a measured value for a message into buf of size len, such as
 * "bounce-rate is 7.33% (11 of 150)" or "deferred is 1204".  Returns buf.
 */
char *threshold_describe(const struct threshold *th,
			 const struct threshold_result *res, char *buf,
			 size_t len);

/*
 * Check every condition of list on t and print a notice on stderr through
 * diag for each one that holds, with its measured value.  Returns the
 * number of conditions that hold.
 */
size_t threshold_report(const struct threshold_list *list,
			const struct tally *t);

#endif
