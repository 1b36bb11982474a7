/* SPDX-License-Identifier: MIT */
/*
 * workqueue.c - a bounded, blocking first-in first-out queue of pointers
 *
 * A ring of capacity slots under one mutex, with one condition variable
 * for "not full" and one for "not empty".  The count of items and the
 * closed flag are atomics, so that a popper may spin on them without the
 * mutex before it sleeps (workqueue_spin()).  Failures of the pthread
 * calls on a valid, initialised object cannot happen in this use, so only
 * the initialisation is checked, and a failure there ends the program
 * like running out of memory.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "bouncelog/diag.h"
#include "bouncelog/workqueue.h"
#include "bouncelog/xalloc.h"

/* How long a pop spins before it sleeps, in nanoseconds. */
#define SPIN_NS 500000

struct workqueue {
	pthread_mutex_t lock;
	pthread_cond_t not_full;
	pthread_cond_t not_empty;
	void **items;
	size_t capacity;
	size_t head;	/* index of the oldest item */

	/* Changed under lock, and read without it while a pop spins. */
	_Atomic size_t count;
	_Atomic bool closed;

	bool spin;	/* see workqueue_spin() */
};

/* cpu_pause - tell the processor that this is a wait loop */
static inline void
cpu_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* now_ns - a monotonic clock in nanoseconds */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* spin_while_empty - wait up to SPIN_NS while q is empty and open,
 * without the lock.  The caller then takes the lock and checks again. */
static void
spin_while_empty(struct workqueue *q)
{
	int64_t until = 0;

	for (unsigned k = 0;; k++) {
		if (atomic_load_explicit(&q->count, memory_order_relaxed) > 0 ||
		    atomic_load_explicit(&q->closed, memory_order_relaxed))
			return;
		if (k % 64 == 0) {
			int64_t t = now_ns();

			if (until == 0)
				until = t + SPIN_NS;
			else if (t >= until)
				return;
		}
		cpu_pause();
	}
}

struct workqueue *
workqueue_new(size_t capacity)
{
	struct workqueue *q = xcalloc(1, sizeof *q);

	q->capacity = capacity > 0 ? capacity : 1;
	q->items = xcalloc(q->capacity, sizeof *q->items);
	if (pthread_mutex_init(&q->lock, NULL) != 0 ||
	    pthread_cond_init(&q->not_full, NULL) != 0 ||
	    pthread_cond_init(&q->not_empty, NULL) != 0) {
		diag_error("cannot create a thread queue");
		abort();
	}
	return q;
}

void
workqueue_free(struct workqueue *q)
{
	if (q == NULL)
		return;
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->lock);
	free(q->items);
	free(q);
}

void
workqueue_push(struct workqueue *q, void *item)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == q->capacity)
		pthread_cond_wait(&q->not_full, &q->lock);
	q->items[(q->head + q->count) % q->capacity] = item;
	q->count++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

void
workqueue_spin(struct workqueue *q, bool on)
{
	q->spin = on;
}

void *
workqueue_pop(struct workqueue *q)
{
	void *item = NULL;

	if (q->spin)
		spin_while_empty(q);
	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->count > 0) {
		item = q->items[q->head];
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->lock);
	return item;
}

size_t
workqueue_length(struct workqueue *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->count;
	pthread_mutex_unlock(&q->lock);
	return n;
}

void
workqueue_close(struct workqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}
