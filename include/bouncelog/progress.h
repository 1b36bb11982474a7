/* SPDX-License-Identifier: MIT */
/*
 * progress.h - a progress line on the terminal while large inputs are read
 *
 * The line shows the bytes read, the share of the total size when it is
 * known, lines per second and an estimate of the time left:
 *
 *	bouncelog: 1.2 GiB of 3.4 GiB (35%), 812k lines/s, 0:42 left
 *
 * It is drawn on standard error only when that is a terminal and -q was
 * not given, and only for a large input: PROGRESS_MIN_BYTES or more in
 * all, or reading for PROGRESS_DELAY_MS or longer.  It is redrawn at most
 * every PROGRESS_INTERVAL_MS, erased before each diagnostic (which diag
 * writes through a sink installed here), and erased for good before the
 * report is written.  Bytes are those of the files, compressed ones for
 * gzip, so the share and the estimate hold for compressed files too.
 *
 * Any thread may count lines and bytes and redraw the line: a mutex
 * keeps a drawing and a diagnostic from interleaving.
 */
#ifndef BOUNCELOG_PROGRESS_H
#define BOUNCELOG_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_MIN_BYTES (UINT64_C(64) * 1024 * 1024)
#define PROGRESS_DELAY_MS 2000
#define PROGRESS_INTERVAL_MS 250

/* Lines a parsing loop reads between two calls of progress_count(). */
#define PROGRESS_STEP_LINES 256

/* Maximum columns of the line, so that an 80-column terminal never wraps
 * it (which would break the redraw). */
#define PROGRESS_COLUMNS 79

struct progress;

/*
 * Start showing progress on stream (standard error) when enabled and the
 * stream is a terminal.  total_bytes is the size of all inputs, or 0 when
 * unknown.  Returns an owned object, which does nothing when the line is
 * not to be shown; free it with progress_finish().
 */
struct progress *progress_start(FILE *stream, bool enabled,
				uint64_t total_bytes);

/*
 * Add lines read and bytes read from files.  Safe to call from any thread,
 * with atomic additions; accepts NULL.
 */
void progress_count(struct progress *p, uint64_t lines, uint64_t bytes);

/* Redraw the line if it is due; safe from any thread; accepts NULL. */
void progress_tick(struct progress *p);

/* Erase the line, restore diag's default sink and free p; accepts NULL. */
void progress_finish(struct progress *p);

/*
 * True when the line is to be shown for an input of total_bytes (0 when
 * unknown) that has been read for elapsed_ms milliseconds.
 */
bool progress_visible(uint64_t total_bytes, uint64_t elapsed_ms);

/*
 * Format the line without its "\r" and erase sequence into buf of size
 * len (at most PROGRESS_COLUMNS characters): bytes of total_bytes read (0
 * when unknown), lines read, in elapsed_ms milliseconds.  Returns buf.
 */
char *progress_format(char *buf, size_t len, uint64_t bytes,
		      uint64_t total_bytes, uint64_t lines,
		      uint64_t elapsed_ms);

#endif
