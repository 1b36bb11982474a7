/* SPDX-License-Identifier: MIT */
/*
 * inputs.c - the reading order and the year reference of the inputs
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/inputs.h"
#include "bouncelog/logzone.h"
#include "bouncelog/reader.h"
#include "bouncelog/xalloc.h"

/* One input while sorting. */
struct input_key {
	int index;		/* place given on the command line */
	int64_t first_us;	/* first timestamp, UTC microseconds */
};

void
inputs_year_reference(struct sysline_year *ref, time_t mtime, int fixed_year)
{
	/* No line can be written after its file's modification time. */
	sysline_year_from_time(ref, mtime != (time_t)-1 ? mtime : time(NULL));
	if (fixed_year != 0)
		sysline_year_end(ref, fixed_year);
}

/* drop_diagnostic - a diag sink that shows nothing */
static void
drop_diagnostic(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)line;
	(void)arg;
}

/* utc_microseconds - t as UTC microseconds; a time without an offset is
 * local time of the zone of TZ, as logzone.h reads it */
static int64_t
utc_microseconds(const struct logtime *t)
{
	return logzone_utc(t) * INT64_C(1000000) + t->usec;
}

bool
inputs_read_once(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return true;
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

/* identify - read the device and inode of the file that path names, or
 * of standard input for "-"; false when it cannot be examined */
static bool
identify(const char *path, struct stat *st)
{
	if (strcmp(path, "-") == 0)
		return fstat(STDIN_FILENO, st) == 0;
	return stat(path, st) == 0;
}

/* One input while looking for files named twice. */
struct input_id {
	int index;	/* place given on the command line */
	dev_t dev;
	ino_t ino;
	bool stdin_at;	/* "-" on a regular file: read from the
			 * offset of standard input, not from the start */
};

/* compare_ids - by file, then by place, so that the first input to name
 * a file comes first among those that name it */
static int
compare_ids(const void *a, const void *b)
{
	const struct input_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

int
inputs_find_same(char *const *files, int nfiles, int *same_as)
{
	struct input_id *ids = xcalloc((size_t)nfiles + 1, sizeof *ids);
	size_t n = 0;
	int found = 0;

	for (int i = 0; i < nfiles; i++) {
		struct stat st;

		same_as[i] = -1;
		if (!identify(files[i], &st))
			continue;
		ids[n].index = i;
		ids[n].dev = st.st_dev;
		ids[n].ino = st.st_ino;
		ids[n].stdin_at = strcmp(files[i], "-") == 0 &&
				  S_ISREG(st.st_mode);
		n++;
	}

	/* Sorted by file, the inputs that name one file are neighbours.
	 * A glob may give thousands of inputs, so no pair is compared. */
	qsort(ids, n, sizeof *ids, compare_ids);
	for (size_t start = 0, end; start < n; start = end) {
		size_t read = start;

		for (end = start + 1; end < n && ids[end].dev == ids[start].dev &&
				      ids[end].ino == ids[start].ino;
		     end++)
			;

		/* A path reads a regular file from its start, but "-" reads
		 * it from the offset of standard input, which may be past the
		 * start or not readable.  So a path is read in its place. */
		while (read + 1 < end && ids[read].stdin_at)
			read++;
		for (size_t k = start; k < end; k++) {
			if (k == read)
				continue;
			same_as[ids[k].index] = ids[read].index;
			found++;
		}
	}
	free(ids);
	return found;
}

void
inputs_warn_same(const char *path, const char *read)
{
	if (strcmp(path, read) == 0)
		diag_emit(DIAG_WARNING, path, 0, 0,
			  _("is named twice; it is read only once"));
	else
		diag_emit(DIAG_WARNING, path, 0, 0,
			  _("is the same file as %s; it is read only once"),
			  read);
}

/* is_regular_file - true for a path that can be read twice */
static bool
is_regular_file(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

uint64_t
inputs_total_size(const char *const *paths, int nfiles)
{
	uint64_t total = 0;

	for (int i = 0; i < nfiles; i++) {
		struct stat st;

		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return 0;
		total += (uint64_t)st.st_size;
	}
	return total;
}

/* first_time - the first timestamp of the regular file path, as the
 * report reads it; false when there is none within the peek limits */
static bool
first_time(struct router *r, const char *path, int fixed_year,
	   int64_t *first_us)
{
	struct reader *rd = reader_open(path);
	struct reader_line line;
	struct sysline_year year;
	struct route_result res;
	struct event ev;
	bool found = false;

	if (rd == NULL)
		return false;
	inputs_year_reference(&year, reader_mtime(rd), fixed_year);
	router_begin_input(r);
	while (reader_next(rd, &line) == READER_LINE) {
		router_line(r, line.text, line.len, &year, &ev, &res);
		if (res.has_time) {
			*first_us = utc_microseconds(&res.time);
			found = true;
			break;
		}
		if (line.number >= INPUTS_PEEK_LINES ||
		    line.offset >= INPUTS_PEEK_BYTES)
			break;
	}
	reader_close(rd);
	return found;
}

static int
compare_keys(const void *a, const void *b)
{
	const struct input_key *x = a, *y = b;

	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

void
inputs_sort(struct router *r, char *const *files, int nfiles, int fixed_year,
	    const char **order)
{
	struct input_key *keys = xcalloc((size_t)nfiles + 1, sizeof *keys);
	bool *sorted = xcalloc((size_t)nfiles + 1, sizeof *sorted);
	size_t nkeys = 0;
	size_t next = 0;

	/* Inputs that keep their place go there now; the others are
	 * peeked at with diagnostics hidden. */
	diag_set_sink(drop_diagnostic, NULL);
	for (int i = 0; i < nfiles; i++) {
		order[i] = files[i];
		if (is_regular_file(files[i]) &&
		    first_time(r, files[i], fixed_year, &keys[nkeys].first_us)) {
			keys[nkeys++].index = i;
			sorted[i] = true;
		}
	}
	diag_set_sink(NULL, NULL);

	/* The lines read ahead must leave no state behind, not even the
	 * state that a format keeps from one input to the next. */
	router_forget(r);

	/* Fill the places of the sorted inputs in ascending order. */
	qsort(keys, nkeys, sizeof *keys, compare_keys);
	for (int i = 0; i < nfiles; i++)
		if (sorted[i])
			order[i] = files[keys[next++].index];
	free(sorted);
	free(keys);
}
