/* SPDX-License-Identifier: MIT */
/*
 * extract.h - turn a log line into an event, one back end per log format
 *
 * An extractor owns a pattern set (the built-in one, or FORMAT.pat from a
 * directory given by the user) and a back end that turns the named
 * captures of a matching rule into a struct event.  Back ends are listed
 * in a NULL-terminated registry and found by name; adding a format is one
 * source file, one pattern file and one registry line.
 */
#ifndef BOUNCELOG_EXTRACT_H
#define BOUNCELOG_EXTRACT_H

#include "bouncelog/event.h"
#include "bouncelog/pattern.h"
#include "bouncelog/sysline.h"

enum extract_result {
	EXTRACT_FOREIGN,	/* another program's line */
	EXTRACT_UNKNOWN,	/* this format's program, but no rule matched */
	EXTRACT_LIMIT,		/* a rule gave up at a PCRE2 limit */
	EXTRACT_INFO,		/* recognised; nothing to count */
	EXTRACT_EVENT,		/* recognised; *ev is filled */
};

struct extractor_backend {
	const char *name;		/* "postfix"; also the --log-format word */
	const char *builtin;		/* the default pattern file's text */
	const size_t *builtin_len;

	/*
	 * Check that every rule's kind is one this back end understands;
	 * print "FILE:LINE: message" for the others.  Returns 0 or -1.
	 */
	int (*check)(const struct pattern_set *set);

	/* Turn a match into an event or an informational result. */
	enum extract_result (*convert)(const struct pattern_match *m,
				       const struct sysline *hdr,
				       struct event *ev);
};

extern const struct extractor_backend *const extractor_backends[];

/* The back end called name, or NULL. */
const struct extractor_backend *extractor_find(const char *name);

struct extractor;

/*
 * Open the extractor for backend.  With pattern_dir NULL the built-in
 * patterns are used, else pattern_dir/NAME.pat.  NULL after diagnostics.
 */
struct extractor *extractor_open(const struct extractor_backend *backend,
				 const char *pattern_dir);

/* Classify one parsed line; fills *ev when returning EXTRACT_EVENT. */
enum extract_result extractor_line(struct extractor *x,
				   const struct sysline *hdr,
				   struct event *ev);

const char *extractor_name(const struct extractor *x);

void extractor_close(struct extractor *x);

#endif
