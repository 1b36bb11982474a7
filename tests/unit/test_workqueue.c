/* SPDX-License-Identifier: MIT */
/*
 * test_workqueue.c - unit tests of the thread queue and the feed batches
 *
 * The queue tests run real threads: producers push numbered items into
 * queues smaller than the item count, so pushes must wait, and the
 * consumer checks that every item arrives once and in order.  The feed
 * tests check that a replayed event points at copies with the original
 * bytes, wherever the original spans pointed.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bouncelog/feed.h"
#include "bouncelog/workqueue.h"
#include "check.h"

#define ITEMS 20000

/* A producer's queue and the numbers it pushes, from first upwards. */
struct producer {
	struct workqueue *q;
	uintptr_t first;
	bool close;
};

static void *
produce(void *arg)
{
	struct producer *p = arg;

	for (uintptr_t i = 0; i < ITEMS; i++)
		workqueue_push(p->q, (void *)(p->first + i));
	if (p->close)
		workqueue_close(p->q);
	return NULL;
}

/* Every capacity, with the popper sleeping at once or spinning first. */
static void
test_queue_order(void **state)
{
	size_t capacities[] = {1, 2, 7, 64};

	(void)state;
	for (size_t c = 0; c < 2 * ARRAY_LEN(capacities); c++) {
		size_t capacity = capacities[c % ARRAY_LEN(capacities)];
		bool spin = c >= ARRAY_LEN(capacities);
		struct workqueue *q = workqueue_new(capacity);
		struct producer p = {q, 1, true};
		pthread_t thread;
		uintptr_t want = 1;
		void *item;

		workqueue_spin(q, spin);
		assert_int_equal(pthread_create(&thread, NULL, produce, &p), 0);
		while ((item = workqueue_pop(q)) != NULL) {
			if ((uintptr_t)item != want)
				note_mismatch("capacity %zu, spin %d: got "
					      "item %lu, want %lu",
					      capacity, spin,
					      (unsigned long)(uintptr_t)item,
					      (unsigned long)want);
			want = (uintptr_t)item + 1;
		}
		check_int("order", "items received", (long long)(want - 1),
			  ITEMS);
		assert_int_equal(pthread_join(thread, NULL), 0);
		workqueue_free(q);
	}
	finish_cases();
}

/* Items this far apart in time, in microseconds, outlast a pop's spin
 * of half a millisecond, so the popper also goes to sleep. */
#define SLOW_GAP_US 700
#define SLOW_ITEMS 40

static void *
produce_slowly(void *arg)
{
	struct producer *p = arg;
	struct timespec gap = {0, SLOW_GAP_US * 1000L};

	for (uintptr_t i = 0; i < SLOW_ITEMS; i++) {
		nanosleep(&gap, NULL);
		workqueue_push(p->q, (void *)(p->first + i));
	}
	nanosleep(&gap, NULL);
	workqueue_close(p->q);
	return NULL;
}

/* A spinning popper gets every item of a slow producer in order, and the
 * end of the queue while it waits for more. */
static void
test_queue_spin_slow(void **state)
{
	struct workqueue *q = workqueue_new(2);
	struct producer p = {q, 1, true};
	pthread_t thread;
	uintptr_t want = 1;
	void *item;

	(void)state;
	workqueue_spin(q, true);
	assert_int_equal(pthread_create(&thread, NULL, produce_slowly, &p), 0);
	while ((item = workqueue_pop(q)) != NULL) {
		if ((uintptr_t)item != want)
			note_mismatch("slow producer: got item %lu, want %lu",
				      (unsigned long)(uintptr_t)item,
				      (unsigned long)want);
		want = (uintptr_t)item + 1;
	}
	check_int("slow producer", "items received", (long long)(want - 1),
		  SLOW_ITEMS);
	assert_null(workqueue_pop(q));
	assert_int_equal(pthread_join(thread, NULL), 0);
	workqueue_free(q);
	finish_cases();
}

static void
test_queue_two_producers(void **state)
{
	struct workqueue *q = workqueue_new(3);
	struct producer a = {q, 1, false};
	struct producer b = {q, 1000001, false};
	pthread_t ta, tb;
	uintptr_t next_a = 1, next_b = 1000001;

	(void)state;
	assert_int_equal(pthread_create(&ta, NULL, produce, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, produce, &b), 0);

	/* Each producer's items keep their own order. */
	for (int i = 0; i < 2 * ITEMS; i++) {
		uintptr_t item = (uintptr_t)workqueue_pop(q);

		if (item == next_a)
			next_a++;
		else if (item == next_b)
			next_b++;
		else
			note_mismatch("two producers: got item %lu out of "
				      "order",
				      (unsigned long)item);
	}
	assert_int_equal(pthread_join(ta, NULL), 0);
	assert_int_equal(pthread_join(tb, NULL), 0);

	/* Closed and empty: a pop returns at once. */
	workqueue_close(q);
	assert_null(workqueue_pop(q));
	workqueue_free(q);
	finish_cases();
}

static void
test_queue_close_drains(void **state)
{
	struct workqueue *q = workqueue_new(4);
	int a, b;

	(void)state;
	workqueue_push(q, &a);
	workqueue_push(q, &b);
	workqueue_close(q);
	assert_ptr_equal(workqueue_pop(q), &a);
	assert_ptr_equal(workqueue_pop(q), &b);
	assert_null(workqueue_pop(q));
	assert_null(workqueue_pop(q));
	workqueue_free(q);
}

/* What a replay delivered, in order. */
struct replayed {
	char log[4096];
	size_t used;
};

static void
note(struct replayed *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
note(struct replayed *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r->used += (size_t)vsnprintf(r->log + r->used, sizeof r->log - r->used,
				     fmt, ap);
	va_end(ap);
}

static void
replay_time(void *arg, const struct logtime *time)
{
	note(arg, "time %lld;", (long long)time->wall);
}

static void
replay_event(void *arg, struct event *ev, struct span line)
{
	note(arg, "event %.*s|%.*s|%.*s|%s|%zu;", (int)line.len, line.ptr,
	     (int)ev->recipient.len, ev->recipient.ptr, (int)ev->stage.len,
	     ev->stage.ptr, ev->sender.ptr == NULL ? "absent" : "present",
	     ev->sender.len);
}

static void
replay_diag(void *arg, enum diag_level level, const char *line)
{
	note(arg, "diag %d %s;", (int)level, line);
}

static void
test_feed_replay(void **state)
{
	static const struct feed_ops ops = {replay_time, replay_event,
					    replay_diag};
	struct feed_batch *b = feed_new(0);
	struct replayed got;
	char line[] = "Q1: to=<a@example.net>, status=bounced";
	char stage[] = "RCPT";
	struct logtime time = {0};
	struct event ev;

	(void)state;
	memset(&got, 0, sizeof got);
	event_init(&ev, EVENT_DELIVERY);
	ev.recipient = span_make(line + 8, 13);	/* inside the line */
	ev.stage = span_make(stage, 4);		/* elsewhere */
	ev.sender = span_make(line, 0);		/* present but empty */
	time.wall = 42;

	assert_true(feed_add_time(b, &time));
	assert_true(feed_add_event(b, &ev, span_make(line, strlen(line))));
	assert_true(feed_add_diag(b, DIAG_WARNING, "bouncelog: x: warning"));

	/* The originals change; the batch keeps its copies. */
	memset(line, 'z', strlen(line));
	memset(stage, 'z', 4);
	feed_replay(b, &ops, &got);
	assert_string_equal(got.log,
			    "time 42;"
			    "event Q1: to=<a@example.net>, status=bounced|"
			    "a@example.net|RCPT|present|0;"
			    "diag 1 bouncelog: x: warning;");
	assert_int_equal(feed_count(b), 3);
	feed_free(b);
}

static void
test_feed_full(void **state)
{
	struct feed_batch *b = feed_new(0);
	struct logtime time = {0};
	char *big = malloc(FEED_ARENA + 10);
	struct event ev;
	size_t n = 0;

	(void)state;
	assert_non_null(big);
	while (feed_add_time(b, &time))
		n++;
	assert_int_equal(n, FEED_RECORDS);
	feed_free(b);

	/* A line larger than the arena needs a batch made for it. */
	memset(big, 'x', FEED_ARENA + 10);
	event_init(&ev, EVENT_REJECT);
	ev.text = span_make(big + 5, 3);
	b = feed_new(0);
	assert_false(feed_add_event(b, &ev, span_make(big, FEED_ARENA + 10)));
	feed_free(b);
	b = feed_new(feed_event_size(&ev, span_make(big, FEED_ARENA + 10)));
	assert_true(feed_add_event(b, &ev, span_make(big, FEED_ARENA + 10)));
	feed_free(b);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_order),
		cmocka_unit_test(test_queue_spin_slow),
		cmocka_unit_test(test_queue_two_producers),
		cmocka_unit_test(test_queue_close_drains),
		cmocka_unit_test(test_feed_replay),
		cmocka_unit_test(test_feed_full),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("workqueue", tests, NULL, NULL);
}
