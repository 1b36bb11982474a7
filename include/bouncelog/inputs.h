/* SPDX-License-Identifier: MIT */
/*
 * inputs.h - the reading order and the year reference of the inputs
 *
 * A deferral in mail.log.1 and the expiry of the same message in mail.log
 * are joined by queue id only when mail.log.1 is read first.  So the
 * inputs are read in the order of their first timestamp, whatever order
 * they were given in.  The first timestamp is read as the report reads it
 * (the same router, the same year reference), from the first
 * INPUTS_PEEK_LINES lines and INPUTS_PEEK_BYTES bytes of the decoded
 * input.
 *
 * Some inputs keep the place they were given in.  These are inputs that
 * cannot be read twice: standard input "-" and anything else that is not
 * a regular file, such as a pipe from process substitution.  So are
 * files that cannot be opened (the error is reported when the file is
 * read) and files without a timestamp in that prefix.  The other inputs
 * are sorted into the remaining places, oldest first, and inputs with the
 * same first timestamp keep their relative order.
 */
#ifndef BOUNCELOG_INPUTS_H
#define BOUNCELOG_INPUTS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bouncelog/route.h"
#include "bouncelog/sysline.h"

/* True for an input that can be read only once: standard input "-" and
 * anything else that exists and is not a regular file, such as a pipe. */
bool inputs_read_once(const char *path);

/*
 * Find the inputs that name a file that an earlier input names already:
 * the same device and inode, whether through the same path, another
 * path, a link, "-" or /dev/stdin.  Such an input would be counted twice,
 * and a FIFO given twice would wait for a second writer, so it is read
 * once.  same_as[i] becomes the index of the input read in place of input
 * i, or -1 for an input that is read.  That is the first input to name
 * the file, except that a path to a regular file is read rather than "-"
 * for standard input on it, which reads from the offset of standard input.
 * An input that cannot be examined names no file, and reading it reports
 * why.  NOTE: the files are compared once, before any is read, so a path
 * that comes to name another file in between (a rotation at that moment)
 * can still be read twice or not at all.
 * Returns the number of inputs that name a file named before.
 */
int inputs_find_same(char *const *files, int nfiles, int *same_as);

/* Warn that the input path names the same file as the input read, so
 * that it is read only once. */
void inputs_warn_same(const char *path, const char *read);

/* Limits of the search for an input's first timestamp. */
#define INPUTS_PEEK_LINES 1000
#define INPUTS_PEEK_BYTES (4 * 1024 * 1024)

/*
 * Set *ref, the reference date for timestamps without a year, for an
 * input: the end of fixed_year when it is not 0 (--year), else the
 * input's modification time mtime, else the current time when mtime is
 * (time_t)-1 (standard input, pipes).
 */
void inputs_year_reference(struct sysline_year *ref, time_t mtime,
			   int fixed_year);

/*
 * The total size in bytes of the nfiles paths, or 0 when one of them is
 * not a regular file (standard input, a pipe) or cannot be examined, so
 * that the total is unknown.
 */
uint64_t inputs_total_size(const char *const *paths, int nfiles);

/*
 * Fill order[0] to order[nfiles - 1] with the paths of files (borrowed) in
 * the order to read them, as described above.  fixed_year is the --year
 * value or 0.  r reads the timestamps, and its state is reset
 * (router_forget()) before the function returns, so that no line read
 * ahead changes how an earlier input reads.  Diagnostics while peeking
 * are not shown, because reading the input again reports them; they are
 * still counted by diag_error_count().
 */
void inputs_sort(struct router *r, char *const *files, int nfiles,
		 int fixed_year, const char **order);

#endif
