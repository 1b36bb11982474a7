/* SPDX-License-Identifier: MIT */
/*
 * run.c - read every input, tally it and write the report
 *
 * The pipeline for each line is reader -> syslog header -> extractor ->
 * sink -> tally.  Every line read lands in exactly one counter of struct
 * input_stats, so lines = recognized + unrecognized for every input.
 * With one job the sink is the tally itself; with more, run_parallel.c
 * parses inputs in other threads and replays their results here in
 * input order, so the tally sees the same calls either way.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bouncelog/classify.h"
#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/escape.h"
#include "bouncelog/i18n.h"
#include "bouncelog/logzone.h"
#include "bouncelog/output.h"
#include "bouncelog/inputs.h"
#include "bouncelog/progress.h"
#include "bouncelog/route.h"
#include "bouncelog/reader.h"
#include "bouncelog/reason.h"
#include "bouncelog/report.h"
#include "bouncelog/run.h"
#include "bouncelog/sysline.h"
#include "bouncelog/tally.h"
#include "bouncelog/threshold.h"
#include "bouncelog/timerange.h"
#include "run_impl.h"
#include "bouncelog/xalloc.h"

/* Characters of an unrecognized line that -v shows.  Each takes at most
 * 4 bytes: a UTF-8 sequence, or a NUL written as \x00. */
#define SHOW_CHARS 200

/* note_unknown - show an unrecognized line with -v */
static void
note_unknown(struct input_stats *in, const struct reader_line *line,
	     const char *why)
{
	uint64_t seen = in->unknown + in->bad_header;
	char shown[SHOW_CHARS * 4 + 1];
	size_t len, used = 0;

	if (diag_verbosity() < 1 ||
	    (diag_verbosity() < 2 && seen > RUN_SHOW_UNKNOWN))
		return;

	/* Cut at a character boundary.  diag escapes what is unsafe, but a
	 * NUL would end the text, so it is written here as diag writes the
	 * other control bytes. */
	len = escape_text_bytes(line->text, line->len, SHOW_CHARS);
	for (size_t i = 0; i < len; i++) {
		if (line->text[i] == '\0') {
			memcpy(shown + used, "\\x00", 4);
			used += 4;
		} else {
			shown[used++] = line->text[i];
		}
	}
	shown[used] = '\0';
	diag_emit(DIAG_INFO, in->name, line->number, 0, "%s: %s", why, shown);
}

/* count_format - charge a line to the format that took it */
static void
count_format(struct input_stats *in, int format, enum extract_result result)
{
	struct input_format *f;

	if (format < 0 || (size_t)format >= in->nformats)
		return;
	f = &in->formats[format];
	if (result == EXTRACT_INFO || result == EXTRACT_EVENT)
		f->recognized++;
	else if (result == EXTRACT_UNKNOWN)
		f->unknown++;
	else if (result == EXTRACT_LIMIT)
		f->limit_hits++;
}

/*
 * place_line - count where a line lies relative to the time range; true
 * when its events are counted.  With a range, a line without a timestamp
 * cannot be placed, so its events only serve as context.
 */
static bool
place_line(const struct timerange *range, struct input_stats *in,
	   const struct route_result *res)
{
	if (!res->has_time) {
		in->untimed++;
		return !timerange_active(range);
	}

	/* Without a bound every time is inside; most runs have none. */
	if (!timerange_active(range))
		return true;
	switch (timerange_place(range, &res->time)) {
	case TIMERANGE_BEFORE:
		in->before_range++;
		return false;
	case TIMERANGE_AFTER:
		in->after_range++;
		return false;
	case TIMERANGE_INSIDE:
		break;
	}
	return true;
}

/* The span of the line times that an input passed to its sink so far,
 * in UTC seconds. */
struct passed_times {
	bool any;
	int64_t first;
	int64_t last;
};

/* pass_time - hand a line's time to the sink unless it lies within the
 * times passed before, which the tally would ignore (tally_saw_time()).
 * Those times were passed earlier on the same sink, so the tally has
 * seen them when it gets this one. */
static void
pass_time(const struct run_sink *sink, struct passed_times *passed,
	  const struct logtime *time)
{
	int64_t utc = logzone_utc(time);

	if (passed->any && utc >= passed->first && utc <= passed->last)
		return;
	if (!passed->any || utc < passed->first)
		passed->first = utc;
	if (!passed->any || utc > passed->last)
		passed->last = utc;
	passed->any = true;
	sink->time(sink->arg, time);
}

/* pass_event - hand an event to the sink, marked as outside the range
 * when its line is not counted */
static void
pass_event(const struct run_sink *sink, struct event *ev, bool counted,
	   const struct reader_line *line)
{
	ev->outside_range = !counted;
	sink->event(sink->arg, ev, span_make(line->text, line->len));
}

/* classify_line - route one line, count it and pass on what it found */
static void
classify_line(struct router *r, const struct run_sink *sink,
	      struct passed_times *passed, struct input_stats *in,
	      const struct timerange *range, const struct sysline_year *year,
	      const struct reader_line *line)
{
	struct route_result res;
	struct event ev;
	bool counted;

	in->lines++;
	if (line->truncated) {
		in->truncated++;
		if (in->truncated <= RUN_WARN_TRUNCATED)
			diag_emit(DIAG_WARNING, in->name, line->number, 0,
				  _("line of %llu bytes cut to %zu bytes"),
				  (unsigned long long)line->full_len,
				  line->len);
	}

	router_line(r, line->text, line->len, year, &ev, &res);
	counted = place_line(range, in, &res);
	if (res.has_time && counted)
		pass_time(sink, passed, &res.time);
	count_format(in, res.format, res.result);

	switch (res.result) {
	case EXTRACT_NO_HEADER:
		in->bad_header++;
		note_unknown(in, line, _("no header of a known log format"));
		return;
	case EXTRACT_FOREIGN:
		in->foreign++;
		return;
	case EXTRACT_UNKNOWN:
		in->unknown++;
		note_unknown(in, line, res.note ? res.note : _("unrecognized"));
		return;
	case EXTRACT_LIMIT:
		in->limit_hits++;
		if (in->limit_hits <= RUN_WARN_LIMIT)
			diag_emit(
			    DIAG_ERROR, in->name, line->number, 0,
			    _("line not classified: a pattern hit its PCRE2 "
			      "match limit; check the rules in the pattern "
			      "file"));
		return;
	case EXTRACT_INFO:
		in->recognized++;
		return;
	case EXTRACT_EVENT:
		/* A line may hold several events; it counts as one line. */
		in->recognized++;
		pass_event(sink, &ev, counted, line);
		while (router_more(r, &ev))
			pass_event(sink, &ev, counted, line);
		return;
	}
}

/* main_format - the format with most recognized lines, or "none" */
static const char *
main_format(const struct input_stats *in)
{
	const char *name = "none";
	uint64_t best = 0;

	for (size_t i = 0; i < in->nformats; i++) {
		if (in->formats[i].recognized > best) {
			best = in->formats[i].recognized;
			name = in->formats[i].name;
		}
	}
	return name;
}

/* report_progress - pass the lines and bytes read since the last report
 * on to the progress line */
static void
report_progress(struct progress *progress, const struct reader *rd,
		uint64_t *unreported, uint64_t *reported)
{
	uint64_t bytes = reader_raw_bytes(rd);

	progress_count(progress, *unreported, bytes - *reported);
	progress_tick(progress);
	*unreported = 0;
	*reported = bytes;
}

bool
run_parse_input(struct router *r, const struct run_sink *sink,
		const char *path, const struct options *opts,
		struct progress *progress, struct input_stats *in)
{
	struct reader_line line;
	struct sysline_year year;
	struct passed_times passed = {0};
	struct reader *rd;
	enum reader_result rc;
	uint64_t unreported = 0, reported = 0;
	bool silent;

	memset(in, 0, sizeof *in);
	in->name = (char *)path;
	in->encoding = "plain";
	in->format = "none";
	in->nformats = router_format_count(r);
	for (size_t i = 0; i < in->nformats; i++)
		in->formats[i].name = router_format_name(r, i);

	rd = reader_open(path);
	if (rd == NULL) {
		in->errors = 1;
		return false;
	}

	/* BSD timestamps lack a year: take it from --year, else from the
	 * file's modification time, else from the current time. */
	inputs_year_reference(&year, reader_mtime(rd), opts->year);

	router_begin_input(r);
	while ((rc = reader_next(rd, &line)) == READER_LINE) {
		classify_line(r, sink, &passed, in, &opts->range, &year,
			      &line);
		if (++unreported == PROGRESS_STEP_LINES)
			report_progress(progress, rd, &unreported, &reported);
	}
	report_progress(progress, rd, &unreported, &reported);
	if (rc == READER_ERROR)
		in->errors++;

	in->encoding = reader_encoding(rd);
	in->format = main_format(in);
	in->unrecognized = in->foreign + in->unknown + in->bad_header +
			   in->limit_hits;
	if (in->limit_hits > RUN_WARN_LIMIT)
		diag_emit(
		    DIAG_ERROR, path, 0, 0,
		    _("%llu lines in all hit a PCRE2 match limit and were "
		      "not classified"),
		    (unsigned long long)in->limit_hits);

	/* A report of zeros from the wrong file, or from a log whose month
	 * names are not English, looks like a quiet day, so warn.  -v lists
	 * the lines of mail servers that match no rule, but not the lines of
	 * other programs. */
	silent = in->lines > 0 && in->recognized == 0 && rc != READER_ERROR;
	if (silent && in->unknown + in->bad_header == 0)
		diag_emit(DIAG_WARNING, path, 0, 0,
			  P_("its %llu line comes from a program that is not "
			     "a mail server",
			     "none of its %llu lines comes from a mail server",
			     in->lines),
			  (unsigned long long)in->lines);
	else if (silent && diag_verbosity() == 0)
		diag_emit(DIAG_WARNING, path, 0, 0,
			  P_("its %llu line is not a mail log line of a known "
			     "format; -v shows it",
			     "none of its %llu lines is a mail log line of a "
			     "known format; -v shows them",
			     in->lines),
			  (unsigned long long)in->lines);
	reader_close(rd);
	return rc != READER_ERROR;
}

void
run_tally_time(void *tally, const struct logtime *time)
{
	tally_saw_time(tally, time);
}

void
run_tally_event(void *tally, const struct event *ev, struct span line)
{
	if (ev->outside_range)
		tally_learn(tally, ev);
	else
		tally_add(tally, ev, line);
}

/* read_input - tally one file in this thread; false when it failed or
 * was damaged */
static bool
read_input(struct router *r, struct tally *t, const char *path,
	   const struct options *opts, struct progress *progress)
{
	struct run_sink sink = {run_tally_time, run_tally_event, t};
	struct input_stats in;
	bool ok = run_parse_input(r, &sink, path, opts, progress, &in);

	tally_add_input(t, &in);
	return ok;
}

/*
 * inflate_in_thread - should a gzip input be inflated by a thread of its
 * own?  Only with more than one job.  With one input on two cores, the
 * parsing thread and the main thread already keep both busy.  With
 * ISA-L, a third thread then costs more in switches than it saves: the
 * 1 GiB Postfix bench log took 2.0 to 2.1 s of wall time without it and
 * 2.4 s with it.  zlib inflates that log in 1.8 s of CPU, as much as the
 * parsing, and then the thread pays (2.6 s against 3.1 s).  So the
 * thread runs when a job is left over for it, or with zlib.
 */
static bool
inflate_in_thread(const struct options *opts)
{
	int jobs = run_jobs(opts);
	int busy = (opts->nfiles < jobs ? opts->nfiles : jobs) + 1;

	if (jobs <= 1)
		return false;
	return jobs > busy || strcmp(reader_inflate_engine(), "zlib") == 0;
}

/*
 * read_once - copy opts to once with only the inputs to read, in their
 * order, into an allocated file list: one for each file named.  same_as
 * is filled as inputs_find_same() fills it.  Each other input is warned
 * about now, before any input is read.
 */
static void
read_once(const struct options *opts, int *same_as, struct options *once)
{
	*once = *opts;
	once->files = xcalloc((size_t)opts->nfiles + 1, sizeof *once->files);
	once->nfiles = 0;
	inputs_find_same(opts->files, opts->nfiles, same_as);
	for (int i = 0; i < opts->nfiles; i++) {
		if (same_as[i] < 0) {
			once->files[once->nfiles++] = opts->files[i];
			continue;
		}
		inputs_warn_same(opts->files[i], opts->files[same_as[i]]);
	}
}

/* add_not_read - list in t the inputs that read_once() left out, with
 * the input read in their place */
static void
add_not_read(struct tally *t, const struct options *opts, const int *same_as)
{
	for (int i = 0; i < opts->nfiles; i++) {
		struct input_stats in;

		if (same_as[i] < 0)
			continue;
		memset(&in, 0, sizeof in);
		in.name = opts->files[i];
		in.same_as = opts->files[same_as[i]];
		in.format = "none";
		in.encoding = "plain";
		tally_add_input(t, &in);
	}
}

int
run(const struct options *opts, FILE *out)
{
	struct output_set *outputs;
	struct router *r;
	struct tally *t;
	const char **order;
	struct progress *progress;
	struct options once;
	int *same_as;
	int status = EXIT_OK;
	int parallel;

	if (opts->classify)
		return run_classify(opts, out);
	if (opts->merge)
		return run_merge(opts, out);
	if (codes_init() != 0)
		return EXIT_INPUT;
	r = router_open(opts->log_format, opts->pattern_dir);
	if (r == NULL)
		return EXIT_INPUT;
	/* Rules from --patterns are read now, so that their errors come
	 * before any input is read.  With parsing threads, the built-in
	 * ones, which the unit tests check, are read by the first
	 * classification in the main thread, while a parsing thread reads
	 * the first lines. */
	if (opts->pattern_dir != NULL || run_jobs(opts) == 1
		? classify_init(opts->pattern_dir) != 0
		: reasons_init() != 0) {
		router_close(r);
		return EXIT_INPUT;
	}
	outputs = output_set_open(opts, out);
	if (outputs == NULL) {
		router_close(r);
		return EXIT_INPUT;
	}

	/* A file named twice is read once, and rotated files may be given
	 * in any order: read the oldest first. */
	same_as = xcalloc((size_t)opts->nfiles + 1, sizeof *same_as);
	read_once(opts, same_as, &once);
	order = xcalloc((size_t)once.nfiles + 1, sizeof *order);
	inputs_sort(r, once.files, once.nfiles, once.year, order);

	t = tally_new();
	output_set_attach(outputs, t);
	tally_set_range(t, &opts->range);
	progress = progress_start(stderr, opts->verbosity >= 0,
				  inputs_total_size(order, once.nfiles));
	reader_set_threads(inflate_in_thread(&once));
	parallel = run_jobs(&once) > 1
		       ? run_parallel(&once, order, progress, t)
		       : -1;
	if (parallel == 0)
		status = EXIT_INPUT;
	for (int i = 0; parallel < 0 && i < once.nfiles; i++)
		if (!read_input(r, t, order[i], &once, progress))
			status = EXIT_INPUT;
	progress_finish(progress);
	add_not_read(t, opts, same_as);
	free(order);
	free(once.files);
	free(same_as);
	tally_warn_limits(t);

	if (output_set_finish(outputs, t) != 0)
		status = EXIT_INPUT;

	/* Any error diagnostic, such as a pattern rule that failed to
	 * compile and was skipped, makes the exit status 1.  It takes
	 * precedence over a --fail-on condition, whose counts are then
	 * incomplete. */
	if (diag_error_count() > 0)
		status = EXIT_INPUT;
	if (threshold_report(&opts->fail_on, t) > 0 && status == EXIT_OK)
		status = EXIT_THRESHOLD;
	tally_free(t);
	router_close(r);
	return status;
}
