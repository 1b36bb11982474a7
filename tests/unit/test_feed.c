/* SPDX-License-Identifier: MIT */
/*
 * test_feed.c - unit tests of the feed batch's copies of events
 *
 * An event's spans point into its line or into an extractor's storage,
 * and both are reused after feed_add_event().  Each test fills every span
 * of an event (each field of EVENT_SPAN_FIELDS and classification.cause),
 * records it, overwrites the line and the storage, and checks that the
 * replayed event still has the original bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/feed.h"
#include "check.h"

/* The name of every span field, and where it sits in an event. */
struct span_field {
	const char *name;
	size_t offset;
};

#define SPAN_FIELD(name) {#name, offsetof(struct event, name)},

static const struct span_field span_fields[] = {
	EVENT_SPAN_FIELDS(SPAN_FIELD)
	{"classification.cause", offsetof(struct event, classification.cause)},
};

static struct span *
field_span(struct event *ev, const struct span_field *f)
{
	return (struct span *)((char *)ev + f->offset);
}

/* The event and line of the one record replayed. */
struct replayed {
	int events;
	struct event ev;
	struct span line;
};

static void
on_time(void *arg, const struct logtime *time)
{
	(void)arg;
	(void)time;
	fail_msg("a time record was replayed, but none was added");
}

static void
on_event(void *arg, struct event *ev, struct span line)
{
	struct replayed *r = arg;

	r->events++;
	r->ev = *ev;
	r->line = line;
}

static void
on_diag(void *arg, enum diag_level level, const char *line)
{
	(void)arg;
	(void)level;
	fail_msg("a diagnostic was replayed, but none was added: %s", line);
}

static const struct feed_ops ops = {on_time, on_event, on_diag};

/* replay_one - add ev and line to a new batch and wipe line and storage.
 * Then replay the batch into *r, and return it for the caller to free. */
static struct feed_batch *
replay_one(const struct event *ev, char *line, size_t line_len,
	   char *storage, size_t storage_len, struct replayed *r)
{
	struct feed_batch *b = feed_new(0);

	assert_true(feed_add_event(b, ev, span_make(line, line_len)));
	memset(line, 'x', line_len);
	memset(storage, 'x', storage_len);
	memset(r, 0, sizeof *r);
	feed_replay(b, &ops, r);
	assert_int_equal(r->events, 1);
	return b;
}

static void
test_spans_outside_line_copied(void **state)
{
	char line[] = "a log line";
	char storage[1024];
	size_t used = 0;
	struct event ev;
	struct replayed r;
	struct feed_batch *b;

	(void)state;
	event_init(&ev, EVENT_DELIVERY);
	for (size_t i = 0; i < ARRAY_LEN(span_fields); i++) {
		size_t len = strlen(span_fields[i].name);

		assert_true(used + len <= sizeof storage);
		memcpy(storage + used, span_fields[i].name, len);
		*field_span(&ev, &span_fields[i]) =
		    span_make(storage + used, len);
		used += len;
	}

	b = replay_one(&ev, line, strlen(line), storage, sizeof storage, &r);
	check_span("outside the line", "line", r.line, "a log line");
	for (size_t i = 0; i < ARRAY_LEN(span_fields); i++)
		check_span("outside the line", span_fields[i].name,
			   *field_span(&r.ev, &span_fields[i]),
			   span_fields[i].name);
	feed_free(b);
	finish_cases();
}

/* The classifier reads where the reply starts inside the text, so a
 * reply must stay at its offset in the text's copy, with the text outside
 * the line (an Exim cause from an earlier line) and inside it. */
static void
test_reply_stays_inside_text(void **state)
{
	static const char text[] =
	    "SMTP error from remote mail server after RCPT TO:<a@b.example>: "
	    "550 5.1.1 user unknown";
	char storage[sizeof text];
	char line[sizeof text + 16];
	size_t reply_at = strlen(text) - strlen("550 5.1.1 user unknown");
	struct event ev;
	struct replayed r;
	struct feed_batch *b;

	(void)state;
	for (int in_line = 0; in_line < 2; in_line++) {
		char *base = in_line ? line + 16 : storage;

		memcpy(line, "2026-12-05 12:00", 16);
		memcpy(base, text, sizeof text);
		event_init(&ev, EVENT_DELIVERY);
		ev.text = span_make(base, strlen(text));
		ev.reply = span_make(base + reply_at, strlen(text) - reply_at);

		b = replay_one(&ev, line, sizeof line - 1, storage,
			       sizeof storage, &r);
		check_span(in_line ? "text in the line" : "text outside",
			   "text", r.ev.text, text);
		check_span(in_line ? "text in the line" : "text outside",
			   "reply", r.ev.reply, "550 5.1.1 user unknown");
		check_int(in_line ? "text in the line" : "text outside",
			  "reply offset", (long long)(r.ev.reply.ptr - r.ev.text.ptr),
			  (long long)reply_at);
		feed_free(b);
	}
	finish_cases();
}

static void
test_spans_inside_line_moved(void **state)
{
	char line[1024];
	char storage[1] = {0};
	size_t used = 0;
	struct event ev;
	struct replayed r;
	struct feed_batch *b;

	(void)state;
	event_init(&ev, EVENT_REJECT);
	for (size_t i = 0; i < ARRAY_LEN(span_fields); i++) {
		size_t len = strlen(span_fields[i].name);

		assert_true(used + len + 1 <= sizeof line);
		memcpy(line + used, span_fields[i].name, len);
		*field_span(&ev, &span_fields[i]) = span_make(line + used, len);
		line[used + len] = ' ';
		used += len + 1;
	}

	b = replay_one(&ev, line, used, storage, sizeof storage, &r);
	for (size_t i = 0; i < ARRAY_LEN(span_fields); i++) {
		struct span s = *field_span(&r.ev, &span_fields[i]);

		check_span("inside the line", span_fields[i].name, s,
			   span_fields[i].name);
		check_int(span_fields[i].name, "inside the replayed line",
			  s.ptr >= r.line.ptr &&
			      s.ptr + s.len <= r.line.ptr + r.line.len,
			  true);
	}
	feed_free(b);
	finish_cases();
}

static void
test_absent_spans_stay_absent(void **state)
{
	char line[] = "a log line";
	char storage[1] = {0};
	struct event ev;
	struct replayed r;
	struct feed_batch *b;

	(void)state;
	event_init(&ev, EVENT_NOTIFICATION);
	b = replay_one(&ev, line, strlen(line), storage, sizeof storage, &r);
	for (size_t i = 0; i < ARRAY_LEN(span_fields); i++)
		check_span("absent", span_fields[i].name,
			   *field_span(&r.ev, &span_fields[i]), NULL);
	feed_free(b);
	finish_cases();
}

/* A batch that skips the classification replays every other field: the
 * spans, as they were, and the fields before and after the
 * classification.  Its cause is left out: one longer than a batch's
 * arena would not fit otherwise. */
static void
test_skipped_classification(void **state)
{
	static char cause[FEED_ARENA + 10];
	char line[] = "a log line";
	char storage[1024];
	size_t used = 0;
	struct event ev;
	struct replayed r;
	struct feed_batch *b = feed_new(0);

	(void)state;
	event_init(&ev, EVENT_DELIVERY);
	for (size_t i = 0; i + 1 < ARRAY_LEN(span_fields); i++) {
		size_t len = strlen(span_fields[i].name);

		assert_true(used + len <= sizeof storage);
		memcpy(storage + used, span_fields[i].name, len);
		*field_span(&ev, &span_fields[i]) =
		    span_make(storage + used, len);
		used += len;
	}
	ev.status = STATUS_BOUNCED;
	ev.reply_code = 550;
	ev.outside_range = true;
	ev.classification.reason = REASON_USERUNKNOWN;
	ev.classification.cause = span_make(cause, sizeof cause);

	feed_skip_classification(b);
	check_int("skipped classification", "added",
		  feed_add_event(b, &ev, span_make(line, strlen(line))), true);
	memset(storage, 'x', sizeof storage);
	memset(&r, 0, sizeof r);
	feed_replay(b, &ops, &r);
	check_int("skipped classification", "events", r.events, 1);
	check_span("skipped classification", "line", r.line, "a log line");
	for (size_t i = 0; i + 1 < ARRAY_LEN(span_fields); i++)
		check_span("skipped classification", span_fields[i].name,
			   *field_span(&r.ev, &span_fields[i]),
			   span_fields[i].name);
	check_int("skipped classification", "status", r.ev.status,
		  STATUS_BOUNCED);
	check_int("skipped classification", "reply code", r.ev.reply_code,
		  550);
	check_int("skipped classification", "outside range",
		  r.ev.outside_range, true);
	feed_free(b);

	/* The same event with its classification does not fit. */
	b = feed_new(0);
	check_int("whole event", "added",
		  feed_add_event(b, &ev, span_make(line, strlen(line))), false);
	feed_free(b);
	finish_cases();
}

/* The events of a full batch, replayed in order: record i has the line
 * "line i" and a sender of (i * 37) % 700 + 1 bytes, all 's' but its
 * first byte, which is i. */
struct filled {
	int events;
	bool bad;
};

static void
on_filled(void *arg, struct event *ev, struct span line)
{
	struct filled *f = arg;
	char want[32];
	size_t len = (size_t)(f->events * 37) % 700 + 1;

	snprintf(want, sizeof want, "line %d", f->events);
	if (line.len != strlen(want) || memcmp(line.ptr, want, line.len) != 0 ||
	    ev->sender.len != len ||
	    ev->sender.ptr[0] != (char)f->events ||
	    ev->sender.ptr[len] != '\0' ||
	    ev->sender.ptr[len - 1] != (len == 1 ? (char)f->events : 's'))
		f->bad = true;
	f->events++;
}

static const struct feed_ops filled_ops = {on_time, on_filled, on_diag};

/* Events are added until one does not fit, with senders of many lengths,
 * so that in some batch the line fits and the sender does not.  Every
 * event added must replay whole, and the one refused must fit a fresh
 * batch of feed_event_size(). */
static void
test_full_batch_replays_whole(void **state)
{
	static char storage[701];
	struct event ev;
	int batches = 0;

	(void)state;
	memset(storage, 's', sizeof storage);
	for (int first = 0; batches < 40; batches++) {
		struct feed_batch *b = feed_new(0);
		struct filled f = {first, false};
		char line[32];
		int i = first;

		event_init(&ev, EVENT_DELIVERY);
		for (;; i++) {
			size_t len = (size_t)(i * 37) % 700 + 1;

			snprintf(line, sizeof line, "line %d", i);
			storage[0] = (char)i;
			ev.sender = span_make(storage, len);
			if (!feed_add_event(b, &ev,
					    span_make(line, strlen(line))))
				break;
		}
		check_int("full batch", "events", (long long)feed_count(b),
			  i - first);
		feed_replay(b, &filled_ops, &f);
		check_int("full batch", "replayed", f.events, i);
		check_int("full batch", "intact", f.bad, false);
		feed_free(b);

		b = feed_new(feed_event_size(&ev, span_make(line, strlen(line))));
		check_int("refused event", "fits a fresh batch",
			  feed_add_event(b, &ev, span_make(line, strlen(line))),
			  true);
		feed_free(b);
		first = i;
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spans_outside_line_copied),
		cmocka_unit_test(test_reply_stays_inside_text),
		cmocka_unit_test(test_spans_inside_line_moved),
		cmocka_unit_test(test_absent_spans_stay_absent),
		cmocka_unit_test(test_full_batch_replays_whole),
		cmocka_unit_test(test_skipped_classification),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
