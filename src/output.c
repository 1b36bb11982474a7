/* SPDX-License-Identifier: MIT */
/*
 * output.c - where one run writes its report, more reports and events
 */
#include <poll.h>
#include <stdlib.h>
#if defined(__has_include)
#if __has_include(<stdio_ext.h>)
#include <stdio_ext.h>
#define HAVE_FSETLOCKING 1
#endif
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncelog/atomic_file.h"
#include "bouncelog/cli.h"
#include "bouncelog/color.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/events.h"
#include "bouncelog/output.h"
#include "bouncelog/report.h"
#include "bouncelog/xalloc.h"

/* The report, every --report and --events. */
#define OUTPUTS_MAX (OUTPUT_REPORTS_MAX + 2)

/* Room for the lists of format and table names in a message. */
#define NAMES_MAX 256

struct output {
	const char *path;	/* NULL for standard output */
	const struct report_writer *writer;	/* NULL for an event stream */
	struct report_options ropts;
	bool csv_events;	/* an event stream written as CSV */
	struct csv_writer csv;	/* its writer */
	struct atomic_file *file;	/* NULL for standard output */
	FILE *fp;
};

struct output_set {
	struct output outs[OUTPUTS_MAX];
	size_t n;
	bool failed;		/* an output could not be opened */
	struct events_options events;
};

/* list_writers - "text, json, ..." from the writer registry */
static void
list_writers(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; report_writers[i] != NULL && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "",
					 report_writers[i]->name);
}

/* list_tables - "codes, reasons, ..." */
static void
list_tables(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < CSV_TABLE_COUNT && used < len; i++)
		used += (size_t)snprintf(
			buf + used, len - used, "%s%s", i ? ", " : "",
			report_csv_table_name((enum report_csv_table)i));
}

bool
output_parse_format(const char *spec, struct output_format *out)
{
	const char *dot = strchr(spec, '.');
	size_t len = dot ? (size_t)(dot - spec) : strlen(spec);
	char names[NAMES_MAX];
	enum report_csv_table table;

	out->writer = NULL;
	out->csv_table = -1;
	for (size_t i = 0; report_writers[i] != NULL; i++)
		if (strlen(report_writers[i]->name) == len &&
		    strncmp(report_writers[i]->name, spec, len) == 0)
			out->writer = report_writers[i]->name;
	if (out->writer == NULL) {
		list_writers(names, sizeof names);
		diag_error(_("invalid report format '%s'; use one of: %s"),
			   spec, names);
		return false;
	}
	if (dot == NULL)
		return true;

	if (strcmp(out->writer, "csv") != 0 ||
	    !report_csv_table_find(dot + 1, strlen(dot + 1), &table)) {
		list_tables(names, sizeof names);
		diag_error(_("invalid report format '%s'; only csv takes a "
			     "table, as in csv.TABLE, where TABLE is one of: "
			     "%s"),
			   spec, names);
		return false;
	}
	out->csv_table = (int)table;
	return true;
}

bool
output_parse_report(const char *arg, struct output_report *out)
{
	const char *colon = strchr(arg, ':');
	char *spec;
	bool ok;

	if (colon == NULL || colon[1] == '\0') {
		diag_error(_("invalid --report value '%s'; use FORMAT:FILE, "
			     "such as prometheus:/var/lib/prometheus/"
			     "node-exporter/bouncelog.prom"),
			   arg);
		return false;
	}
	spec = xstrndup(arg, (size_t)(colon - arg));
	ok = output_parse_format(spec, &out->format);
	free(spec);
	out->path = colon + 1;
	return ok;
}

/* is_stdout - whether an output path names standard output */
static bool
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* format_is_events - whether a format is the CSV event stream */
static bool
format_is_events(const struct output_format *f, const struct options *opts)
{
	int table = f->csv_table >= 0 ? f->csv_table : (int)opts->csv_table;

	return strcmp(f->writer, "csv") == 0 && table == CSV_TABLE_EVENTS;
}

/* check_classify - --classify writes its verdicts, nothing else */
static bool
check_classify(const struct options *opts)
{
	if (opts->nreports > 0 || opts->events != NULL ||
	    opts->output != NULL) {
		diag_error(_("--report, --events and --output cannot be used "
			   "with --classify"));
		return false;
	}
	if (strcmp(opts->format, "text") != 0 &&
	    strcmp(opts->format, "json") != 0) {
		diag_error(_("--classify writes text or json, not %s"),
			   opts->format);
		return false;
	}
	return true;
}

/* collect_paths - the path of every output, NULL for the report on
 * standard output; returns their number */
static size_t
collect_paths(const struct options *opts, const char *paths[OUTPUTS_MAX])
{
	size_t n = 0;

	paths[n++] = opts->output;
	for (size_t i = 0; i < opts->nreports; i++)
		paths[n++] = opts->reports[i].path;
	if (opts->events != NULL)
		paths[n++] = opts->events;
	return n;
}

/* has_events - whether some output is an event stream */
static bool
has_events(const struct options *opts)
{
	struct output_format primary = {opts->format, opts->format_table};

	if (opts->events != NULL || format_is_events(&primary, opts))
		return true;
	for (size_t i = 0; i < opts->nreports; i++)
		if (format_is_events(&opts->reports[i].format, opts))
			return true;
	return false;
}

/* base_of - the last part of path, after its last "/" */
static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* same_folder - do a and b, files that do not exist yet, have one
 * name in one folder? */
static bool
same_folder(const char *a, const char *b)
{
	char *dir_a, *dir_b;
	struct stat da, db;
	bool same;

	if (strcmp(base_of(a), base_of(b)) != 0)
		return false;
	dir_a = atomic_file_dir(a);
	dir_b = atomic_file_dir(b);
	same = stat(dir_a, &da) == 0 && stat(dir_b, &db) == 0 &&
	       da.st_dev == db.st_dev && da.st_ino == db.st_ino;
	free(dir_a);
	free(dir_b);
	return same;
}

/*
 * same_output - do the output paths a and b name one file?  Every output
 * file is written to a temporary file that is then renamed over it, links
 * followed, so of two outputs to one file only the last would be kept.
 * Regular files are compared by device and inode, and files that do not
 * exist yet by folder and name.  A device or FIFO is written directly and
 * compared by name only, so that /dev/stdout and /dev/stderr stay apart
 * when both go to one terminal.
 */
static bool
same_output(const char *a, const char *b)
{
	char *target_a, *target_b;
	struct stat st_a, st_b;
	bool has_a, has_b, same;

	if (strcmp(a, b) == 0)
		return true;

	/* Compared as the writer will replace them: a dangling link is the
	 * file it names. */
	target_a = atomic_file_target(a);
	target_b = atomic_file_target(b);
	has_a = stat(target_a, &st_a) == 0;
	has_b = stat(target_b, &st_b) == 0;
	if (has_a && has_b)
		same = S_ISREG(st_a.st_mode) && S_ISREG(st_b.st_mode) &&
		       st_a.st_dev == st_b.st_dev && st_a.st_ino == st_b.st_ino;
	else
		same = !has_a && !has_b && same_folder(target_a, target_b);
	free(target_a);
	free(target_b);
	return same;
}

/* same_as_stdout - the output path of paths[0..n) that names the file or
 * pipe that standard output is on, as "> FILE" makes it, or NULL.  A
 * terminal or another device is not compared: /dev/stderr may share it. */
static const char *
same_as_stdout(const char *const *paths, size_t n)
{
	struct stat out, st;

	if (fstat(STDOUT_FILENO, &out) != 0 ||
	    !(S_ISREG(out.st_mode) || S_ISFIFO(out.st_mode)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (is_stdout(paths[i]) || stat(paths[i], &st) != 0)
			continue;
		if (st.st_dev == out.st_dev && st.st_ino == out.st_ino)
			return paths[i];
	}
	return NULL;
}

bool
output_check(const struct options *opts)
{
	const char *paths[OUTPUTS_MAX];
	const char *shared;
	size_t n, on_stdout = 0;

	if (opts->classify)
		return check_classify(opts);

	n = collect_paths(opts, paths);
	for (size_t i = 0; i < n; i++) {
		on_stdout += is_stdout(paths[i]);
		for (size_t k = 0; k < i && !is_stdout(paths[i]); k++) {
			if (paths[k] == NULL || !same_output(paths[i], paths[k]))
				continue;
			if (strcmp(paths[i], paths[k]) == 0)
				diag_error(_("'%s' is named by two outputs; give "
					     "each output its own file"),
					   paths[i]);
			else
				diag_error(_("'%s' and '%s' name the same file; "
					     "give each output its own file"),
					   paths[k], paths[i]);
			return false;
		}
	}
	if (on_stdout > 1) {
		diag_error(_("only one output can go to standard output; send "
			     "the report to a file with --output=FILE, or drop "
			     "it with --output=/dev/null"));
		return false;
	}
	shared = on_stdout == 1 ? same_as_stdout(paths, n) : NULL;
	if (shared != NULL) {
		diag_error(_("standard output and '%s' name the same file; give "
			     "each output its own file"),
			   shared);
		return false;
	}
	if (!has_events(opts) &&
	    (opts->pseudonym_key != NULL || opts->show_addresses)) {
		diag_error(_("--pseudonym-key and --show-addresses apply to "
			     "event output; add --events=FILE or a csv.events "
			     "report"));
		return false;
	}
	return true;
}

/* same_as_input - the input that path names as well, or NULL; "-" is
 * the file on standard input */
static const char *
same_as_input(const char *path, const struct options *opts)
{
	struct stat out, in;

	if (stat(path, &out) != 0 || !S_ISREG(out.st_mode))
		return NULL;
	for (int i = 0; i < opts->nfiles; i++) {
		if (strcmp(opts->files[i], "-") == 0
			? fstat(STDIN_FILENO, &in) != 0
			: stat(opts->files[i], &in) != 0)
			continue;
		if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return opts->files[i];
	}
	return NULL;
}

/* open_one - open an output to path (NULL or "-": out); false after a
 * diagnostic */
static bool
open_one(struct output *o, const char *path, const struct options *opts,
	 FILE *out)
{
	const char *input;

	if (is_stdout(path)) {
		o->path = NULL;
		o->fp = out;
		return true;
	}
	o->path = path;
	input = same_as_input(path, opts);
	if (input != NULL) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("is also the input %s; "
			  "choose another output file"), input);
		return false;
	}
	o->file = atomic_file_open(path);
	if (o->file == NULL)
		return false;
	o->fp = atomic_file_stream(o->file);
	return true;
}

/* add_output - open one output of format f, or an event stream as JSON
 * Lines when f is NULL */
static void
add_output(struct output_set *set, const struct output_format *f,
	   const char *path, const struct options *opts, FILE *out)
{
	struct output *o = &set->outs[set->n];

	memset(o, 0, sizeof *o);
	o->ropts.lang = opts->lang;
	o->ropts.top = opts->top;
	o->ropts.detail = opts->detail;
	o->ropts.csv_excel = opts->csv_excel;
	if (f != NULL) {
		enum report_csv_table table = opts->csv_table;

		if (f->csv_table >= 0)
			table = (enum report_csv_table)f->csv_table;
		o->ropts.csv_table = table;
		o->csv_events = format_is_events(f, opts);
		if (!o->csv_events)
			o->writer = report_writer_find(f->writer);
	}
	if (!open_one(o, path, opts, out)) {
		set->failed = true;
		return;
	}
	o->ropts.color = color_enabled(opts->color, fileno(o->fp));
	if (o->csv_events) {
		csv_writer_begin(&o->csv, o->fp, opts->csv_excel);
		events_csv_header(&o->csv);
	}
	set->n++;
}

/* load_key - the pseudonym key of the event outputs */
static int
load_key(struct output_set *set, const struct options *opts)
{
	set->events.show_addresses = opts->show_addresses;
	if (opts->pseudonym_key != NULL)
		return pseudonym_key_load(opts->pseudonym_key,
					  &set->events.key);
	return pseudonym_key_random(&set->events.key);
}

struct output_set *
output_set_open(const struct options *opts, FILE *out)
{
	struct output_set *set = xcalloc(1, sizeof *set);
	struct output_format primary = {opts->format, opts->format_table};

	if (has_events(opts) && load_key(set, opts) != 0) {
		free(set);
		return NULL;
	}

	add_output(set, &primary, opts->output, opts, out);
	for (size_t i = 0; i < opts->nreports; i++)
		add_output(set, &opts->reports[i].format,
			   opts->reports[i].path, opts, out);
	if (opts->events != NULL)
		add_output(set, NULL, opts->events, opts, out);

	if (set->n == 0) {
		free(set);
		return NULL;
	}
	return set;
}

/* write_failure - the tally sink: one record to every event stream */
static void
write_failure(void *ctx, const struct tally_failure *f)
{
	struct output_set *set = ctx;

	for (size_t i = 0; i < set->n; i++) {
		struct output *o = &set->outs[i];

		if (o->csv_events)
			events_write_csv(&o->csv, f, &set->events);
		else if (o->writer == NULL)
			events_write_json(o->fp, f, &set->events);
	}
}

void
output_set_attach(struct output_set *set, struct tally *t)
{
	struct tally_sink sink = {write_failure, set};

	for (size_t i = 0; i < set->n; i++) {
		if (set->outs[i].writer == NULL) {
			tally_set_sink(t, &sink);
			return;
		}
	}
}

bool
output_stream_closed(FILE *fp)
{
	struct pollfd p = {.fd = fileno(fp), .events = POLLOUT};
	struct stat st;

	if (p.fd < 0 || fstat(p.fd, &st) != 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return false;

	/* Linux flags the writing end of a pipe without a reader with
	 * POLLERR, and a socket shut down by its peer with POLLHUP.
	 * NOTE: tested on Linux only; another system that flags neither
	 * gets the diagnostic and status 1 for a closed pipe. */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

/* finish_one - write a report and put its file in place; 0 or -1 */
static int
finish_one(struct output *o, const struct tally *t)
{
	int rc = 0;

#ifdef HAVE_FSETLOCKING
	/* Only this thread writes the report, after every other thread
	 * ended.  The writers call putc() and fputs() for each piece, and
	 * once a program has started a thread, each call takes the
	 * stream's lock: more than half of the time of writing a JSON
	 * report. */
	__fsetlocking(o->fp, FSETLOCKING_BYCALLER);
#endif
	if (o->writer != NULL && o->writer->write(o->fp, t, &o->ropts) != 0)
		rc = -1;
	if (o->file == NULL) {
		if (fflush(o->fp) != 0 || ferror(o->fp))
			return output_stream_closed(o->fp) ? 0 : -1;
		return rc;
	}

	/* The commit reports a write error that the writer saw, too. */
	if (atomic_file_commit(o->file) != 0)
		rc = -1;
	o->file = NULL;
	return rc;
}

int
output_set_finish(struct output_set *set, const struct tally *t)
{
	int rc = set->failed ? -1 : 0;

	for (size_t i = 0; i < set->n; i++)
		if (finish_one(&set->outs[i], t) != 0)
			rc = -1;
	free(set);
	return rc;
}
