/* SPDX-License-Identifier: MIT */
/*
 * extract.c - the extractor registry and the steps every format shares
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/diag.h"
#include "bouncelog/extract.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"

const struct extractor_backend *const extractor_backends[] = {
	&extract_postfix,
	NULL,
};

struct extractor {
	const struct extractor_backend *backend;
	struct pattern_set *patterns;
};

const struct extractor_backend *
extractor_find(const char *name)
{
	for (size_t i = 0; extractor_backends[i] != NULL; i++)
		if (strcmp(extractor_backends[i]->name, name) == 0)
			return extractor_backends[i];
	return NULL;
}

/* load_patterns - the built-in set, or NAME.pat from dir */
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
	set = pattern_set_load(path);
	free(path);
	return set;
}

struct extractor *
extractor_open(const struct extractor_backend *backend, const char *pattern_dir)
{
	struct pattern_set *set = load_patterns(backend, pattern_dir);
	struct extractor *x;

	if (set == NULL)
		return NULL;
	if (strcmp(pattern_set_format(set), backend->name) != 0) {
		diag_emit(DIAG_ERROR, pattern_set_name(set), 0, 0,
			  "pattern file is for format \"%s\", expected \"%s\"",
			  pattern_set_format(set), backend->name);
		pattern_set_free(set);
		return NULL;
	}
	if (backend->check(set) != 0) {
		pattern_set_free(set);
		return NULL;
	}
	x = xcalloc(1, sizeof *x);
	x->backend = backend;
	x->patterns = set;
	return x;
}

enum extract_result
extractor_line(struct extractor *x, const struct sysline *hdr, struct event *ev)
{
	struct pattern_match m;
	enum extract_result result;

	if (!pattern_set_program_matches(x->patterns, hdr->program))
		return EXTRACT_FOREIGN;
	switch (pattern_set_match(x->patterns, hdr->daemon, hdr->message.ptr,
				  hdr->message.len, &m)) {
	case PATTERN_NOMATCH:
		return EXTRACT_UNKNOWN;
	case PATTERN_LIMIT:
		return EXTRACT_LIMIT;
	case PATTERN_MATCH:
		break;
	}

	result = x->backend->convert(&m, hdr, ev);
	if (result == EXTRACT_EVENT) {
		ev->time = hdr->time;
		reply_analyze(ev);
	}
	return result;
}

const char *
extractor_name(const struct extractor *x)
{
	return x->backend->name;
}

void
extractor_close(struct extractor *x)
{
	if (x == NULL)
		return;
	pattern_set_free(x->patterns);
	free(x);
}
