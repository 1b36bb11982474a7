/* SPDX-License-Identifier: MIT */
/*
 * route.c - send each line to the extractor of its log format
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/route.h"
#include "bouncelog/xalloc.h"

struct router {
	struct extractor *formats[ROUTE_FORMATS_MAX];
	size_t count;
	int whole_input;	/* format that claimed the input, or -1 */
	int last_native;	/* format of the previous headerless line */
	bool used_kept_state;	/* see router_used_kept_state() */

	/* The line last classified, for router_more(). */
	int last_format;	/* or -1 */
	struct extract_line last_line;
	struct sysline last_hdr;
};

struct router *
router_open(const char *log_format, const char *pattern_dir)
{
	struct router *r = xcalloc(1, sizeof *r);
	bool all = strcmp(log_format, "auto") == 0;

	for (size_t i = 0; extractor_backends[i] != NULL; i++) {
		const struct extractor_backend *b = extractor_backends[i];
		struct extractor *x;

		if (!all && strcmp(b->name, log_format) != 0)
			continue;
		if (r->count == ROUTE_FORMATS_MAX)
			break;
		x = extractor_open(b, pattern_dir);
		if (x == NULL) {
			router_close(r);
			return NULL;
		}
		r->formats[r->count++] = x;
	}
	if (r->count == 0) {
		diag_error(_("unknown log format '%s'"), log_format);
		router_close(r);
		return NULL;
	}
	router_begin_input(r);
	return r;
}

void
router_close(struct router *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->count; i++)
		extractor_close(r->formats[i]);
	free(r);
}

size_t
router_format_count(const struct router *r)
{
	return r->count;
}

const char *
router_format_name(const struct router *r, size_t i)
{
	return extractor_name(r->formats[i]);
}

void
router_begin_input(struct router *r)
{
	r->whole_input = -1;
	r->last_native = -1;
	r->last_format = -1;
	r->used_kept_state = false;
	for (size_t i = 0; i < r->count; i++)
		extractor_reset(r->formats[i]);
}

void
router_defer_analysis(struct router *r, bool on)
{
	for (size_t i = 0; i < r->count; i++)
		extractor_defer_analysis(r->formats[i], on);
}

void
router_forget(struct router *r)
{
	for (size_t i = 0; i < r->count; i++)
		extractor_forget(r->formats[i]);
	router_begin_input(r);
}

bool
router_used_kept_state(const struct router *r)
{
	return r->used_kept_state;
}

/* classify - hand the line to format i */
static void
classify(struct router *r, int i, struct extract_line *line,
	 struct event *ev, struct route_result *out)
{
	out->format = i;
	if (extractor_backend(r->formats[i])->keeps_state)
		r->used_kept_state = true;
	out->result = extractor_classify(r->formats[i], line, ev);
	out->has_time = line->has_time;
	out->time = line->time;
	out->note = line->note;

	r->last_format = i;
	r->last_line = *line;
	if (line->hdr != NULL) {
		r->last_hdr = *line->hdr;
		r->last_line.hdr = &r->last_hdr;
	}
}

bool
router_more(struct router *r, struct event *ev)
{
	if (r->last_format < 0)
		return false;
	return extractor_more(r->formats[r->last_format], &r->last_line, ev);
}

/* sniff - the first format that claims a headerless line, or -1 */
static int
sniff(const struct router *r, const char *text, size_t len)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct extractor_backend *b =
			extractor_backend(r->formats[i]);

		if (b->sniff != NULL && b->sniff(text, len))
			return (int)i;
	}
	return -1;
}

void
router_line(struct router *r, const char *text, size_t len,
	    const struct sysline_year *year, struct event *ev,
	    struct route_result *out)
{
	struct extract_line line = {text, len, NULL, year, false, {0}, NULL};
	struct sysline hdr;
	int i;

	memset(out, 0, sizeof *out);
	out->format = -1;
	r->last_format = -1;

	/* A syslog line goes to the format that owns its program, even in
	 * an input that a file format has claimed, because files are often
	 * concatenated (cat MSGTRK*.LOG mail.log). */
	if (sysline_parse(text, len, year, &hdr)) {
		line.hdr = &hdr;
		r->last_native = -1;
		for (size_t k = 0; k < r->count; k++) {
			if (extractor_owns_program(r->formats[k], hdr.program)) {
				classify(r, (int)k, &line, ev, out);
				return;
			}
		}
		out->result = EXTRACT_FOREIGN;
		out->has_time = true;
		out->time = hdr.time;
		return;
	}

	/* The rest of an input that a file format claimed is its own. */
	if (r->whole_input >= 0) {
		classify(r, r->whole_input, &line, ev, out);
		return;
	}

	/* A format's own file format, or a continuation line of it. */
	i = sniff(r, text, len);
	if (i < 0 && r->last_native >= 0 && len > 0 &&
	    ascii_isblank((unsigned char)text[0]))
		i = r->last_native;
	if (i < 0) {
		out->result = EXTRACT_NO_HEADER;
		return;
	}
	if (extractor_backend(r->formats[i])->whole_input)
		r->whole_input = i;
	r->last_native = i;
	classify(r, i, &line, ev, out);
}
