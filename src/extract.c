/* SPDX-License-Identifier: MIT */
/*
 * extract.c - the extractor registry and the steps every format shares
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bouncelog/classify.h"
#include "bouncelog/diag.h"
#include "bouncelog/extract.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"

const struct extractor_backend *const extractor_backends[] = {
	&extract_postfix,
	&extract_exim,
	&extract_sendmail,
	&extract_opensmtpd,
	&extract_exchange,
	NULL,
};

struct extractor {
	const struct extractor_backend *backend;
	struct pattern_set *patterns;
	void *state;
	bool defer_analysis;	/* see extractor_defer_analysis() */
	bool defer_reply;	/* see extractor_defer_reply() */
	struct extract_kept kept;	/* the last event's analysis */
};

const struct extractor_backend *
extractor_find(const char *name)
{
	for (size_t i = 0; extractor_backends[i] != NULL; i++)
		if (strcmp(extractor_backends[i]->name, name) == 0)
			return extractor_backends[i];
	return NULL;
}

/* load_patterns - the built-in set, or NAME.pat from dir if it is there */
static struct pattern_set *
load_patterns(const struct extractor_backend *backend, const char *dir)
{
	struct pattern_set *set;
	char *path;
	size_t len;

	if (dir == NULL) {
		char name[64];

		snprintf(name, sizeof name, "(built-in)/%s.pat", backend->name);
		return pattern_set_parse(backend->builtin, *backend->builtin_len,
					 name);
	}
	len = strlen(dir) + strlen(backend->name) + 6;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s.pat", dir, backend->name);

	/* A directory with files for only some formats leaves the others
	 * their built-in rules; a missing directory is an error. */
	if (access(path, F_OK) != 0 && errno == ENOENT &&
	    access(dir, F_OK) == 0) {
		free(path);
		return load_patterns(backend, NULL);
	}
	set = pattern_set_load(path);
	free(path);
	return set;
}

/* check_set - the set is for this back end and has what it needs */
static bool
check_set(const struct extractor_backend *backend, struct pattern_set *set)
{
	if (strcmp(pattern_set_format(set), backend->name) != 0) {
		diag_emit(
		    DIAG_ERROR, pattern_set_name(set), 0, 0,
		    _("pattern file is for format \"%s\", expected \"%s\""),
		    pattern_set_format(set), backend->name);
		return false;
	}
	if (backend->syslog && !pattern_set_has_program(set)) {
		diag_emit(DIAG_ERROR, pattern_set_name(set), 0, 0,
			  _("missing or invalid \"program REGEX\" line"));
		return false;
	}
	return backend->check(set) == 0;
}

struct extractor *
extractor_open(const struct extractor_backend *backend, const char *pattern_dir)
{
	struct pattern_set *set = load_patterns(backend, pattern_dir);
	struct extractor *x;

	if (set == NULL)
		return NULL;
	if (!check_set(backend, set)) {
		pattern_set_free(set);
		return NULL;
	}
	x = xcalloc(1, sizeof *x);
	x->backend = backend;
	x->patterns = set;
	x->state = backend->state_new ? backend->state_new() : NULL;
	return x;
}

void
extractor_close(struct extractor *x)
{
	if (x == NULL)
		return;
	if (x->backend->state_free != NULL)
		x->backend->state_free(x->state);
	pattern_set_free(x->patterns);
	free(x);
}

const char *
extractor_name(const struct extractor *x)
{
	return x->backend->name;
}

const struct extractor_backend *
extractor_backend(const struct extractor *x)
{
	return x->backend;
}

struct pattern_set *
extractor_patterns(struct extractor *x)
{
	return x->patterns;
}

void *
extractor_state(struct extractor *x)
{
	return x->state;
}

void
extractor_reset(struct extractor *x)
{
	if (x->backend->state_reset != NULL)
		x->backend->state_reset(x->state);
}

void
extractor_forget(struct extractor *x)
{
	if (x->backend->state_free != NULL)
		x->backend->state_free(x->state);
	x->state = x->backend->state_new ? x->backend->state_new() : NULL;
}

bool
extractor_owns_program(struct extractor *x, struct span program)
{
	return x->backend->syslog &&
	       pattern_set_program_matches(x->patterns, program);
}

void
extract_analyze_event(struct event *ev)
{
	if (event_reply_read(ev))
		reply_analyze(ev);
	classify_event(ev);
}

void
extract_classify_event(struct event *ev)
{
	if (!ev->reply_analyzed && event_reply_read(ev))
		reply_analyze(ev);
	classify_event(ev);
}

/* place_in - the offset of span s in text, or SIZE_MAX when s is absent
 * or does not lie inside text */
static size_t
place_in(struct span s, struct span text)
{
	if (s.ptr == NULL || text.ptr == NULL || s.ptr < text.ptr ||
	    s.len > text.len || (size_t)(s.ptr - text.ptr) > text.len - s.len)
		return SIZE_MAX;
	return (size_t)(s.ptr - text.ptr);
}

/* keep - record the analysis of ev in *k; a reply or cause outside the
 * text is not kept, so a repeat finds it again */
static void
keep(struct extract_kept *k, const struct event *ev, bool classified)
{
	struct span cause = ev->classification.cause;

	k->reply_at = place_in(ev->reply, ev->text);
	k->reply_len = ev->reply.len;
	k->reply = ev->reply_analyzed &&
		   (ev->reply.ptr == NULL || k->reply_at != SIZE_MAX);
	k->reply_code = ev->reply_code;
	k->reply_enh = ev->reply_enh;
	k->cause_at = place_in(cause, ev->text);
	k->cause_len = cause.len;
	k->classified = classified &&
			(cause.ptr == NULL || k->cause_at != SIZE_MAX);
	k->classification = ev->classification;
}

/* at_in - the span of len bytes at offset at in text, absent for at
 * SIZE_MAX */
static struct span
at_in(struct span text, size_t at, size_t len)
{
	return at == SIZE_MAX ? span_make(NULL, 0)
			      : span_make(text.ptr + at, len);
}

void
extract_analyze_kept(struct extract_kept *k, struct event *ev, bool reply,
		     bool classify)
{
	bool take = ev->repeat;

	if (reply && !ev->reply_analyzed && event_reply_read(ev)) {
		if (take && k->reply) {
			ev->reply = at_in(ev->text, k->reply_at, k->reply_len);
			ev->reply_code = k->reply_code;
			ev->reply_enh = k->reply_enh;
			ev->reply_analyzed = true;
		} else {
			reply_analyze(ev);
		}
	}
	if (classify && take && k->classified) {
		ev->classification = k->classification;
		ev->classification.cause =
		    at_in(ev->text, k->cause_at, k->cause_len);
	} else if (classify) {
		classify_event(ev);
	}
	keep(k, ev, classify);
}

void
extractor_defer_reply(struct extractor *x, bool on)
{
	x->defer_reply = on;
}

void
extractor_defer_analysis(struct extractor *x, bool on)
{
	x->defer_analysis = on;
}

/* finish_event - the steps after a back end filled an event */
static void
finish_event(struct extractor *x, const struct extract_line *line,
	     struct event *ev)
{
	if (!ev->has_time && line->has_time) {
		ev->time = line->time;
		ev->has_time = true;
	}
	ev->format = x->backend->name;
	ev->log_host = line->hdr != NULL ? line->hdr->host : span_make(NULL, 0);
	ev->may_repeat = x->backend->more != NULL;
	if (ev->may_repeat)
		extract_analyze_kept(&x->kept, ev,
				     !x->defer_analysis || !x->defer_reply,
				     !x->defer_analysis);
	else if (!x->defer_analysis)
		extract_analyze_event(ev);
	else if (!x->defer_reply && event_reply_read(ev))
		reply_analyze(ev);
}

enum extract_result
extractor_classify(struct extractor *x, struct extract_line *line,
		   struct event *ev)
{
	enum extract_result result;

	if (line->hdr != NULL && !line->has_time) {
		line->has_time = true;
		line->time = line->hdr->time;
	}
	result = x->backend->line(x, line, ev);
	if (result == EXTRACT_EVENT)
		finish_event(x, line, ev);
	return result;
}

bool
extractor_more(struct extractor *x, struct extract_line *line,
	       struct event *ev)
{
	if (x->backend->more == NULL || !x->backend->more(x, line, ev))
		return false;
	finish_event(x, line, ev);
	return true;
}

enum extract_result
extractor_line(struct extractor *x, const struct sysline *hdr, struct event *ev)
{
	struct extract_line line = {0};

	if (!extractor_owns_program(x, hdr->program))
		return EXTRACT_FOREIGN;
	line.text = hdr->message.ptr;
	line.len = hdr->message.len;
	line.hdr = hdr;
	return extractor_classify(x, &line, ev);
}
