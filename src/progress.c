/* SPDX-License-Identifier: MIT */
/*
 * progress.c - a progress line on the terminal while large inputs are read
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/progress.h"
#include "bouncelog/xalloc.h"

/* Erase the line the cursor is on: carriage return, then ECMA-48 EL. */
#define ERASE_LINE "\r\033[K"

struct progress {
	FILE *stream;
	bool active;		/* enabled, and the stream is a terminal */
	uint64_t total;		/* bytes of all inputs, or 0 */
	_Atomic uint64_t bytes;	/* read from the files so far */
	_Atomic uint64_t lines;
	struct timespec start;

	/* The screen: what is below is used under lock only. */
	pthread_mutex_t lock;
	bool drawn;		/* the line is on the screen */
	bool ever_drawn;
	uint64_t last_draw_ms;	/* elapsed time of the last drawing */
};

/* elapsed_ms - milliseconds since p started */
static uint64_t
elapsed_ms(const struct progress *p)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - p->start.tv_sec) * 1000 +
	     (now.tv_nsec - p->start.tv_nsec) / 1000000;
	return ms > 0 ? (uint64_t)ms : 0;
}

static void
erase(struct progress *p)
{
	if (!p->drawn)
		return;
	fputs(ERASE_LINE, p->stream);
	fflush(p->stream);
	p->drawn = false;
}

/* print_diagnostic - diag's sink while the line may be on the screen:
 * erase it first, so that the diagnostic starts a line of its own */
static void
print_diagnostic(enum diag_level level, const char *line, void *arg)
{
	struct progress *p = arg;

	(void)level;
	pthread_mutex_lock(&p->lock);
	erase(p);
	fprintf(p->stream, "%s\n", line);
	pthread_mutex_unlock(&p->lock);
}

struct progress *
progress_start(FILE *stream, bool enabled, uint64_t total_bytes)
{
	struct progress *p = xcalloc(1, sizeof *p);

	p->stream = stream;
	p->total = total_bytes;
	pthread_mutex_init(&p->lock, NULL);
	atomic_init(&p->bytes, 0);
	atomic_init(&p->lines, 0);
	p->active = enabled && isatty(fileno(stream));
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (p->active)
		diag_set_sink(print_diagnostic, p);
	return p;
}

/* draw - redraw the line if it is due; the caller holds p->lock */
static void
draw(struct progress *p)
{
	char text[PROGRESS_COLUMNS + 1];
	uint64_t ms = elapsed_ms(p);

	if (!progress_visible(p->total, ms))
		return;
	if (p->ever_drawn && ms - p->last_draw_ms < PROGRESS_INTERVAL_MS)
		return;
	progress_format(text, sizeof text,
			atomic_load_explicit(&p->bytes, memory_order_relaxed),
			p->total,
			atomic_load_explicit(&p->lines, memory_order_relaxed),
			ms);
	fprintf(p->stream, "\r%s\033[K", text);
	fflush(p->stream);
	p->drawn = true;
	p->ever_drawn = true;
	p->last_draw_ms = ms;
}

void
progress_count(struct progress *p, uint64_t lines, uint64_t bytes)
{
	if (p == NULL || !p->active)
		return;
	atomic_fetch_add_explicit(&p->lines, lines, memory_order_relaxed);
	atomic_fetch_add_explicit(&p->bytes, bytes, memory_order_relaxed);
}

void
progress_tick(struct progress *p)
{
	if (p == NULL || !p->active)
		return;
	pthread_mutex_lock(&p->lock);
	draw(p);
	pthread_mutex_unlock(&p->lock);
}

void
progress_finish(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->active) {
		diag_set_sink(NULL, NULL);
		erase(p);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

bool
progress_visible(uint64_t total_bytes, uint64_t elapsed_ms)
{
	return total_bytes >= PROGRESS_MIN_BYTES ||
	       elapsed_ms >= PROGRESS_DELAY_MS;
}

/* format_size - bytes in B, KiB, MiB and so on up to EiB */
static void
format_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB"};
	double value = (double)bytes;
	size_t unit = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return;
	}
	value /= 1024;
	while (value >= 1024 && unit + 1 < sizeof units / sizeof units[0]) {
		value /= 1024;
		unit++;
	}
	snprintf(buf, len, "%.1f %s", value, units[unit]);
}

/* format_rate - lines per second as "950", "812k" or "12.3M"; a rate
 * beyond any real one is written as ">9999M" */
static void
format_rate(char *buf, size_t len, uint64_t lines, uint64_t ms)
{
	double rate = (double)lines * 1000.0 / (double)ms;

	if (rate < 10000)
		snprintf(buf, len, "%.0f", rate);
	else if (rate < 10000000)
		snprintf(buf, len, "%.0fk", rate / 1000);
	else if (rate < 10000000000.0)
		snprintf(buf, len, "%.1fM", rate / 1000000);
	else
		snprintf(buf, len, ">9999M");
}

/* format_clock - seconds as "M:SS" or "H:MM:SS" */
static void
format_clock(char *buf, size_t len, uint64_t seconds)
{
	if (seconds < 3600)
		snprintf(buf, len, "%" PRIu64 ":%02" PRIu64, seconds / 60,
			 seconds % 60);
	else
		snprintf(buf, len, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 seconds / 3600, seconds / 60 % 60, seconds % 60);
}

/* Maximum time left that is written out, in seconds: 99:59:59. */
#define DURATION_MAX (100 * 3600 - 1)

/* format_duration - seconds as "M:SS" or "H:MM:SS"; longer than
 * DURATION_MAX as ">99:59:59" */
static void
format_duration(char *buf, size_t len, double seconds)
{
	if (seconds > DURATION_MAX)
		snprintf(buf, len, ">99:59:59");
	else
		format_clock(buf, len, (uint64_t)(seconds + 0.5));
}

char *
progress_format(char *buf, size_t len, uint64_t bytes, uint64_t total_bytes,
		uint64_t lines, uint64_t elapsed_ms)
{
	char done[32], all[32], rate[32], left[32];
	size_t used;

	/* The program name starts the line, untranslated, as in
	 * diagnostics. */
	format_size(done, sizeof done, bytes);
	used = (size_t)snprintf(buf, len, "bouncelog: ");
	if (total_bytes == 0) {
		snprintf(buf + used, len - used, _("%s read"), done);
	} else {
		uint64_t shown = bytes < total_bytes ? bytes : total_bytes;
		int percent = (int)((double)shown * 100.0 / (double)total_bytes);

		format_size(all, sizeof all, total_bytes);
		snprintf(buf + used, len - used, _("%s of %s (%d%%)"), done,
			 all, percent);
	}
	if (elapsed_ms == 0)
		return buf;

	used = strlen(buf);
	format_rate(rate, sizeof rate, lines, elapsed_ms);
	snprintf(buf + used, len - used, _(", %s lines/s"), rate);

	/* The time left assumes that the rest is read at the mean rate. */
	if (total_bytes > 0 && bytes > 0) {
		uint64_t rest = bytes < total_bytes ? total_bytes - bytes : 0;
		double seconds = (double)rest * (double)elapsed_ms / 1000.0 /
				 (double)bytes;

		used = strlen(buf);
		format_duration(left, sizeof left, seconds);
		snprintf(buf + used, len - used, _(", %s left"), left);
	}
	return buf;
}
