/* SPDX-License-Identifier: MIT */
/*
 * feed.h - the results of parsing part of an input, kept for the tally
 *
 * A parsing thread turns lines into three kinds of record: a time seen on
 * a line, an event with its line, and a diagnostic line.  A feed batch
 * keeps them in the order they were made, with copies of every byte they
 * point to, so that another thread can replay them into the tally after
 * the parser's line buffer has moved on.  Replaying a batch makes the same
 * calls, in the same order, that the parser would have made itself.
 *
 * A batch has fixed room, allocated when it is made: FEED_RECORDS records
 * and FEED_ARENA bytes of copied text, or more for one large record.  A
 * repeat (see struct event) shares the copies of the event before it in
 * the batch, so the events of one line keep one copy of it.
 * feed_add_*() return false when the record does not fit; the caller then
 * starts a new batch.  A batch is not locked: one thread fills it, then
 * hands it over.
 */
#ifndef BOUNCELOG_FEED_H
#define BOUNCELOG_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/diag.h"
#include "bouncelog/event.h"
#include "bouncelog/span.h"
#include "bouncelog/sysline.h"

/* Records and bytes of copied text per batch. */
#define FEED_RECORDS 4096
#define FEED_ARENA (256 * 1024)

struct feed_batch;

/* The calls a replay makes, one per record, in order.  The event is the
 * batch's own copy, which event() may change: a batch is replayed once. */
struct feed_ops {
	void (*time)(void *arg, const struct logtime *time);
	void (*event)(void *arg, struct event *ev, struct span line);
	void (*diag)(void *arg, enum diag_level level, const char *line);
};

/* Make an empty batch whose arena has room for at least arena_min bytes.
 * Owned; freed with feed_free(). */
struct feed_batch *feed_new(size_t arena_min);

/* Free b; accepts NULL. */
void feed_free(struct feed_batch *b);

/*
 * Leave the classification out of the events that b records from now on:
 * for a batch whose replay classifies every event again, which
 * classify_event() does whole, so a copy would only be overwritten.  The
 * classification of such a replayed event contains arbitrary bytes
 * until then.  That leaves 120 of the 408 bytes of an event on x86-64
 * uncopied; the event still takes its whole size in the batch.
 */
void feed_skip_classification(struct feed_batch *b);

/* Record a time; false when b is full. */
bool feed_add_time(struct feed_batch *b, const struct logtime *time);

/*
 * Record an event and the line it came from; its spans are copied, so
 * ev and line may be reused after the call.  false when b has no room;
 * feed_event_size() gives the arena bytes that a fresh batch needs.
 */
bool feed_add_event(struct feed_batch *b, const struct event *ev,
		    struct span line);
size_t feed_event_size(const struct event *ev, struct span line);

/* Record a finished diagnostic line (see diag_capture_thread()); false
 * when b is full. */
bool feed_add_diag(struct feed_batch *b, enum diag_level level,
		   const char *line);

/* Number of records in b. */
size_t feed_count(const struct feed_batch *b);

/* Make the calls of ops for every record of b, in order.  The events and
 * lines passed point into b and are valid until b is freed.  Replaying b
 * a second time passes the events as the first replay left them. */
void feed_replay(struct feed_batch *b, const struct feed_ops *ops, void *arg);

#endif
