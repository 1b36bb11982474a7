/* SPDX-License-Identifier: MIT */
/*
 * feed.c - the results of parsing part of an input, kept for the tally
 *
 * Records sit in a fixed array; events and diagnostic lines are copied
 * into an arena that never moves, so the pointers made while adding stay
 * valid until the batch is freed.  An event is stored as a struct event
 * whose spans point at copies in the arena: the line is copied once, a
 * span inside the line is moved onto that copy, and a span elsewhere (in
 * an extractor's own storage) gets a copy of its own.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/feed.h"
#include "bouncelog/xalloc.h"

enum feed_kind {
	FEED_TIME,
	FEED_EVENT,
	FEED_DIAG,
};

struct feed_record {
	unsigned char kind;	/* enum feed_kind */
	unsigned char level;	/* FEED_DIAG: enum diag_level */
	struct logtime time;	/* FEED_TIME */
	size_t at;		/* FEED_EVENT, FEED_DIAG: arena offset */
	size_t line_at;		/* FEED_EVENT: arena offset of the line,
				 * shared by the events of one line */
	size_t len;		/* FEED_EVENT: bytes of the line, which
				 * may contain NUL bytes */
};

struct feed_batch {
	struct feed_record *records;
	size_t count;
	char *arena;
	size_t used;
	size_t cap;
	bool skip_classification;	/* see feed_skip_classification() */
	size_t last_event;	/* the record of the last event; SIZE_MAX
				 * while there is none */
};

#define EVENT_SPAN_OFFSET(name) offsetof(struct event, name),

/* The span fields of struct event: those of EVENT_SPAN_FIELDS, and the
 * one of its classification (see struct classification). */
static const size_t event_spans[] = {
	EVENT_SPAN_FIELDS(EVENT_SPAN_OFFSET)
	offsetof(struct event, classification.cause),
};

#define NSPANS (sizeof event_spans / sizeof event_spans[0])

struct feed_batch *
feed_new(size_t arena_min)
{
	struct feed_batch *b = xcalloc(1, sizeof *b);

	b->cap = arena_min > FEED_ARENA ? arena_min : FEED_ARENA;
	b->records = xreallocarray(NULL, FEED_RECORDS, sizeof *b->records);
	b->arena = xmalloc(b->cap);
	b->last_event = SIZE_MAX;
	return b;
}

void
feed_free(struct feed_batch *b)
{
	if (b == NULL)
		return;
	free(b->records);
	free(b->arena);
	free(b);
}

void
feed_skip_classification(struct feed_batch *b)
{
	b->skip_classification = true;
}

size_t
feed_count(const struct feed_batch *b)
{
	return b->count;
}

/* outside - true when s has bytes that are not inside line.  The offset
 * of s from the line's start is taken as unsigned, so a span before the
 * line wraps to a large offset and fails the same test as one after it. */
static bool
outside(struct span s, struct span line)
{
	uintptr_t off = (uintptr_t)s.ptr - (uintptr_t)line.ptr;

	return s.ptr != NULL && (line.ptr == NULL || off > line.len ||
				 s.len > line.len - off);
}

/* aligned - n rounded up for a struct event */
static size_t
aligned(size_t n)
{
	size_t a = alignof(struct event);

	return (n + a - 1) / a * a;
}

size_t
feed_event_size(const struct event *ev, struct span line)
{
	size_t need = alignof(struct event) + sizeof *ev + line.len + 1;

	for (size_t i = 0; i < NSPANS; i++) {
		const struct span *s =
		    (const struct span *)((const char *)ev + event_spans[i]);

		if (outside(*s, line))
			need += s->len + 1;
	}
	return need;
}

/* arena_copy - copy len bytes and a NUL into the arena; the copy */
static char *
arena_copy(struct feed_batch *b, const char *from, size_t len)
{
	char *to = b->arena + b->used;

	if (len > 0)
		memcpy(to, from, len);
	to[len] = '\0';
	b->used += len + 1;
	return to;
}

/* add_span - move *s onto text, the arena's copy of line, when it
 * points into line, else copy it into the arena.  false, with the arena
 * unchanged, when it does not fit. */
static inline bool
add_span(struct feed_batch *b, struct span *s, struct span line,
	 const char *text)
{
	if (!outside(*s, line)) {
		if (s->ptr != NULL)
			s->ptr = text + (s->ptr - line.ptr);
		return true;
	}
	if (s->len >= b->cap - b->used)
		return false;
	s->ptr = arena_copy(b, s->ptr, s->len);
	return true;
}

/* Most spans are absent, so each is tested for that first, in line. */
#define EVENT_SPAN_ADD(name)                                                \
	if (copy->name.ptr != NULL && !add_span(b, &copy->name, line, text)) \
		return false;

/* add_spans - add_span() for every span of copy, as event_spans lists
 * them, written out field by field, which costs less than a loop over
 * their offsets.  false when they do not fit; the caller then takes the
 * record back. */
static bool
add_spans(struct feed_batch *b, struct event *copy, struct span line,
	  const char *text)
{
	struct span text_was = copy->text, reply = copy->reply;

	/* The reply lies inside the text, and the classifier reads where it
	 * starts in it, so it follows the text's copy even when the text
	 * lies outside the line and is copied on its own. */
	copy->reply = span_make(NULL, 0);
	EVENT_SPAN_FIELDS(EVENT_SPAN_ADD)
	if (!b->skip_classification)
		EVENT_SPAN_ADD(classification.cause)
	if (reply.ptr == NULL)
		return true;
	if (!outside(reply, text_was)) {
		copy->reply = span_make(copy->text.ptr +
					    (reply.ptr - text_was.ptr),
					reply.len);
		return true;
	}
	copy->reply = reply;
	return add_span(b, &copy->reply, line, text);
}

/* copy_unclassified - copy every field of ev but its classification */
static void
copy_unclassified(struct event *copy, const struct event *ev)
{
	const size_t from = offsetof(struct event, classification);
	const size_t to = from + sizeof ev->classification;

	memcpy(copy, ev, from);
	memcpy((char *)copy + to, (const char *)ev + to, sizeof *ev - to);
}

/* moved - span s of ev, which lies inside ev's text, moved onto to, a
 * copy of that text */
static struct span
moved(struct span s, const struct event *ev, struct span to)
{
	if (s.ptr == NULL)
		return s;
	return span_make(to.ptr + (s.ptr - ev->text.ptr), s.len);
}

/* repeatable - true when ev, a repeat, can take over the copies of prev,
 * the batch's copy of the event before it.  Its reply and cause must lie
 * inside its text, which prev's copy of the text then contains too. */
static bool
repeatable(const struct event *ev, const struct event *prev)
{
	return ev->repeat && ev->text.len == prev->text.len &&
	       !outside(ev->reply, ev->text) &&
	       !outside(ev->classification.cause, ev->text);
}

/*
 * add_repeat - record ev, a repeat of the batch's last event, whose line
 * it shares.  Only the recipient is copied, when it lies outside the
 * line; every other span takes over the last event's copy.  So the
 * events of one line of many recipients take room and time linear in
 * its length.  false when ev does not fit or cannot take them over; the
 * batch is then as before the call.
 */
static bool
add_repeat(struct feed_batch *b, const struct event *ev, struct span line)
{
	const struct feed_record *last = &b->records[b->last_event];
	const struct event *prev = (const struct event *)(b->arena + last->at);
	size_t was = b->used, start = aligned(b->used);
	struct event *copy;
	struct span recipient = ev->recipient, classified;
	const char *text = b->arena + last->line_at;

	if (!repeatable(ev, prev) || start > b->cap ||
	    b->cap - start <= sizeof *copy + recipient.len)
		return false;
	b->used = start + sizeof *copy;
	copy = (struct event *)(b->arena + start);
	classified = moved(ev->classification.cause, ev, prev->text);
	if (b->skip_classification)
		copy_unclassified(copy, ev);
	else
		*copy = *ev;
#define EVENT_SPAN_TAKE(name) copy->name = prev->name;
	EVENT_SPAN_FIELDS(EVENT_SPAN_TAKE)
#undef EVENT_SPAN_TAKE
	copy->reply = moved(ev->reply, ev, prev->text);
	if (!b->skip_classification)
		copy->classification.cause = classified;
	copy->recipient = recipient;
	if (!add_span(b, &copy->recipient, line, text)) {
		b->used = was;
		return false;
	}

	b->records[b->count].kind = FEED_EVENT;
	b->records[b->count].at = start;
	b->records[b->count].line_at = last->line_at;
	b->records[b->count].len = line.len;
	b->last_event = b->count;
	b->count++;
	return true;
}

/*
 * One pass: the event and its line are copied first, then the spans, each
 * checked for room as it is copied.  When something does not fit, used
 * goes back to where it was, so the batch is as before the call (bytes
 * past used are never read).
 */
bool
feed_add_event(struct feed_batch *b, const struct event *ev, struct span line)
{
	size_t was = b->used, start = aligned(b->used);
	struct event *copy;
	char *text;

	if (b->count == FEED_RECORDS)
		return false;
	if (ev->repeat && b->last_event != SIZE_MAX &&
	    add_repeat(b, ev, line))
		return true;
	if (start > b->cap || b->cap - start <= sizeof *copy + line.len)
		return false;

	b->used = start + sizeof *copy;
	copy = (struct event *)(b->arena + start);
	if (b->skip_classification)
		copy_unclassified(copy, ev);
	else
		*copy = *ev;
	text = arena_copy(b, line.ptr != NULL ? line.ptr : "", line.len);
	if (!add_spans(b, copy, line, text)) {
		b->used = was;
		return false;
	}

	b->records[b->count].kind = FEED_EVENT;
	b->records[b->count].at = start;
	b->records[b->count].line_at = (size_t)(text - b->arena);
	b->records[b->count].len = line.len;
	b->last_event = b->count;
	b->count++;
	return true;
}

bool
feed_add_time(struct feed_batch *b, const struct logtime *time)
{
	if (b->count == FEED_RECORDS)
		return false;
	b->records[b->count].kind = FEED_TIME;
	b->records[b->count].time = *time;
	b->count++;
	return true;
}

bool
feed_add_diag(struct feed_batch *b, enum diag_level level, const char *line)
{
	size_t len = strlen(line);

	if (b->count == FEED_RECORDS || b->used + len + 1 > b->cap)
		return false;
	b->records[b->count].kind = FEED_DIAG;
	b->records[b->count].level = (unsigned char)level;
	b->records[b->count].at = b->used;
	arena_copy(b, line, len);
	b->count++;
	return true;
}

void
feed_replay(struct feed_batch *b, const struct feed_ops *ops, void *arg)
{
	for (size_t i = 0; i < b->count; i++) {
		const struct feed_record *r = &b->records[i];
		struct event *ev;

		switch ((enum feed_kind)r->kind) {
		case FEED_TIME:
			ops->time(arg, &r->time);
			break;
		case FEED_EVENT:
			ev = (struct event *)(b->arena + r->at);
			ops->event(arg, ev,
				   span_make(b->arena + r->line_at, r->len));
			break;
		case FEED_DIAG:
			ops->diag(arg, (enum diag_level)r->level,
				  b->arena + r->at);
			break;
		}
	}
}
