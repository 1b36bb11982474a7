/* SPDX-License-Identifier: MIT */
/*
 * workqueue.h - a bounded, blocking first-in first-out queue of pointers
 *
 * One or more threads push items and one or more threads pop them, in
 * the order they were pushed.  A push waits while the queue is at its
 * capacity, which bounds the memory that a fast producer can tie up; a
 * pop waits while the queue is empty and open.  After workqueue_close()
 * pops drain what is left and then return NULL, and pushes are not
 * allowed.  The queue never owns the items.
 */
#ifndef BOUNCELOG_WORKQUEUE_H
#define BOUNCELOG_WORKQUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct workqueue;

/* Make a queue for at most capacity items (at least 1).  Owned; freed
 * with workqueue_free() once no thread uses it. */
struct workqueue *workqueue_new(size_t capacity);

/* Free q; accepts NULL.  Items still queued are not freed. */
void workqueue_free(struct workqueue *q);

/* Append item (not NULL), waiting while q is full.  Not allowed after
 * workqueue_close(). */
void workqueue_push(struct workqueue *q, void *item);

/*
 * Let workqueue_pop() spin for up to half a millisecond before it sleeps
 * on an empty queue (off by default).  A sleeping popper costs the
 * pushing thread a system call to wake it for each item.  Spinning pays
 * only while the popping thread has a processor of its own: call it
 * before any thread uses q.
 */
void workqueue_spin(struct workqueue *q, bool on);

/* Remove and return the oldest item, waiting while q is empty and open.
 * Returns NULL once q is closed and empty. */
void *workqueue_pop(struct workqueue *q);

/* The number of items in q now; another thread may change it at once. */
size_t workqueue_length(struct workqueue *q);

/* Mark the end of the items: waiting and later pops return NULL once the
 * queue is empty. */
void workqueue_close(struct workqueue *q);

#endif
