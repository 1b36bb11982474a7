/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cli_values.c - fuzz target: --since, --until, -d and --fail-on
 *
 * The input is one option value; bytes from the first NUL on are ignored,
 * as a command line cannot hold them.  The same text goes to
 * timerange_parse_bound(), timerange_parse_day() and threshold_parse():
 *	- a failure comes with a message that starts in lower case and, as
 *	  diag prints it, is one safe line (the message quotes the value,
 *	  which may hold any byte but NUL);
 *	- a bound lies within the years 1969 to 10000, its wall-clock reading
 *	  differs from the instant by whole seconds and at most 26 hours, and
 *	  its text from timerange_format() parses back to the same instant;
 *	- a day starts on the hour of the local clock (at midnight unless a
 *	  daylight-saving change skips it) and lasts from 22 to 26 hours;
 *	- a parsed condition is non-empty text without blanks or commas, a
 *	  rate's value is at most 100%, and it can be checked on an empty
 *	  tally, with the notices of those that are met printed by diag as
 *	  safe lines.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "bouncelog/tally.h"
#include "bouncelog/threshold.h"
#include "bouncelog/timerange.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define USEC INT64_C(1000000)
#define HOUR_US (3600 * USEC)

/* Instants of 1969-01-01 and 10001-01-01 UTC, in microseconds. */
#define EARLIEST_US (INT64_C(-31536000) * USEC)
#define LATEST_US (INT64_C(253433923200) * USEC)

/* check_message - a parse error starts in lower case; the checking
 * sink checks the line that diag makes of it */
static void
check_message(const char *what, const char *message)
{
	unsigned long lines = fuzz_diag_lines();

	FUZZ_CHECK(message != NULL && message[0] != '\0',
		   "%s: failed without a message", what);
	FUZZ_CHECK(message[0] < 'A' || message[0] > 'Z',
		   "%s: message starts in upper case: %s", what, message);
	diag_error("invalid value: %s", message);
	FUZZ_CHECK(fuzz_diag_lines() == lines + 1,
		   "%s: the message was not printed as one line", what);
}

static void
check_bound(const char *text)
{
	struct timerange_bound bound, again;
	char formatted[TIMERANGE_TEXT_MAX];
	const char *error = NULL;
	int64_t offset;

	if (!timerange_parse_bound(text, &bound, &error)) {
		check_message("bound", error);
		return;
	}
	offset = bound.wall_us - bound.utc_us;
	FUZZ_CHECK(bound.utc_us >= EARLIEST_US && bound.utc_us < LATEST_US,
		   "bound %s: instant %lld out of range", text,
		   (long long)bound.utc_us);
	FUZZ_CHECK(offset % USEC == 0 && llabs(offset) <= 26 * HOUR_US,
		   "bound %s: wall clock %lld us from the instant", text,
		   (long long)offset);

	timerange_format(&bound, formatted, sizeof formatted);
	FUZZ_CHECK(timerange_parse_bound(formatted, &again, &error),
		   "bound %s: formatted as %s, which does not parse: %s", text,
		   formatted, error);
	FUZZ_CHECK(again.utc_us == bound.utc_us,
		   "bound %s: %s parses to another instant", text, formatted);
}

static void
check_day(const char *text)
{
	struct timerange range;
	const char *error = NULL;
	int64_t length;

	/* 2026-12-04T12:00:00Z, so that today and yesterday are fixed. */
	if (!timerange_parse_day(text, (time_t)1796385600, &range, &error)) {
		check_message("day", error);
		return;
	}
	length = range.until.utc_us - range.since.utc_us;
	FUZZ_CHECK(range.has_since && range.has_until,
		   "day %s: an end is open", text);
	FUZZ_CHECK(length >= 22 * HOUR_US && length <= 26 * HOUR_US,
		   "day %s: %lld us long", text, (long long)length);
	FUZZ_CHECK(range.since.wall_us % HOUR_US == 0,
		   "day %s: does not start on the hour", text);
}

static void
check_conditions(const char *text, struct tally *t)
{
	struct threshold_list list;
	char error[THRESHOLD_MESSAGE_MAX];

	memset(&list, 0, sizeof list);
	if (!threshold_parse(text, &list, error, sizeof error)) {
		check_message("condition", error);
		return;
	}
	FUZZ_CHECK(list.count >= 1 && list.count <= THRESHOLD_MAX,
		   "conditions %s: %zu parsed", text, list.count);
	for (size_t i = 0; i < list.count; i++) {
		const struct threshold *th = &list.items[i];
		struct threshold_result res;
		char measured[THRESHOLD_MESSAGE_MAX];

		FUZZ_CHECK(th->text[0] != '\0' &&
			   strpbrk(th->text, " \t,") == NULL,
			   "conditions %s: item %zu is '%s'", text, i,
			   th->text);
		FUZZ_CHECK(th->metric < METRIC_BOUNCE_RATE ||
			   th->value <= UINT64_C(100000000),
			   "conditions %s: rate above 100%%", text);
		threshold_check(th, t, &res);
		threshold_describe(th, &res, measured, sizeof measured);
		FUZZ_CHECK(strchr(measured, '\0') < measured + sizeof measured - 1,
			   "conditions %s: description cut", text);
	}
	threshold_report(&list, t);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct tally *t;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	t = tally_new();
	check_bound(text);
	check_day(text);
	check_conditions(text, t);
	tally_free(t);
	free(text);
	return 0;
}
