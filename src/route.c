/* SPDX-License-Identifier: MIT */
/*
 * route.c - send each line to the extractor of its log format
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/route.h"
#include "bouncelog/xalloc.h"
#include "shortkey.h"

/*
 * Program names kept with the format that owns them.  A mail log names
 * a handful of programs ("postfix/smtpd", "postfix/qmgr"), and matching
 * each format's "program" rule costs more than the rest of the routing,
 * so each name is matched once and its owner kept.  The owner depends
 * only on the name's bytes and the formats' rules, which do not change
 * while the router is open.  The names sit in an open-addressed table,
 * so two names never take each other's place.  Once every slot is taken,
 * the table is emptied and fills again.
 */
#define OWNER_BITS 6
#define OWNER_SLOTS (1 << OWNER_BITS)
#define OWNER_NAME_MAX 48

struct owner_slot {
	uint8_t len;		/* bytes of name; 0 for an empty slot */
	int8_t format;		/* the owner's index, or -1 for none */
	char name[OWNER_NAME_MAX];
};

_Static_assert(ROUTE_FORMATS_MAX <= INT8_MAX,
	       "a format's index must fit in owner_slot.format");

struct router {
	struct extractor *formats[ROUTE_FORMATS_MAX];
	const struct extractor_backend *backends[ROUTE_FORMATS_MAX];
					/* of formats, read on every line */
	size_t count;
	int whole_input;	/* format that claimed the input, or -1 */
	int last_native;	/* format of the previous headerless line */
	bool used_kept_state;	/* see router_used_kept_state() */

	/* The line last classified, for router_more(). */
	int last_format;	/* or -1 */
	struct extract_line last_line;
	struct sysline last_hdr;

	struct owner_slot owners[OWNER_SLOTS];	/* see router_program_owner() */
	size_t nowners;				/* slots taken */
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
		r->formats[r->count] = x;
		r->backends[r->count] = b;
		r->count++;
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
router_defer_reply(struct router *r, bool on)
{
	for (size_t i = 0; i < r->count; i++)
		extractor_defer_reply(r->formats[i], on);
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

/* owner_general - the first format that owns program, or -1, from each
 * format's "program" rule */
static int
owner_general(struct router *r, struct span program)
{
	for (size_t k = 0; k < r->count; k++)
		if (extractor_owns_program(r->formats[k], program))
			return (int)k;
	return -1;
}

/*
 * owner_slot_of - the slot of the name of len bytes (1 to
 * OWNER_NAME_MAX) at p: its own, or the empty one where it would go,
 * which needs the table not to be full
 */
static struct owner_slot *
owner_slot_of(struct router *r, const char *p, size_t len)
{
	size_t i = shortkey_slot_hash(p, len) >> (64 - OWNER_BITS);

	for (;;) {
		struct owner_slot *s = &r->owners[i];

		if (s->len == 0 ||
		    (s->len == len && shortkey_equal(s->name, p, len)))
			return s;
		i = (i + 1) & (OWNER_SLOTS - 1);
	}
}

/* program_owner - router_program_owner(), inlined in router_line() */
static inline int
program_owner(struct router *r, struct span program)
{
	size_t len = program.len;
	struct owner_slot *s;

	if (program.ptr == NULL || len == 0 || len > OWNER_NAME_MAX)
		return owner_general(r, program);
	s = owner_slot_of(r, program.ptr, len);
	if (s->len != 0)
		return s->format;

	/* A name not kept yet.  A full table is emptied first, so that
	 * owner_slot_of() always finds an empty slot. */
	if (r->nowners == OWNER_SLOTS - 1) {
		memset(r->owners, 0, sizeof r->owners);
		r->nowners = 0;
		s = owner_slot_of(r, program.ptr, len);
	}
	s->format = (int8_t)owner_general(r, program);
	s->len = (uint8_t)len;
	memcpy(s->name, program.ptr, len);
	r->nowners++;
	return s->format;
}

int
router_program_owner(struct router *r, struct span program)
{
	return program_owner(r, program);
}

/* classify - hand the line to format i */
static inline void
classify(struct router *r, int i, struct extract_line *line,
	 struct event *ev, struct route_result *out)
{
	const struct extractor_backend *b = r->backends[i];

	out->format = i;
	if (b->keeps_state)
		r->used_kept_state = true;
	out->result = extractor_classify(r->formats[i], line, ev);
	out->has_time = line->has_time;
	out->time = line->time;
	out->note = line->note;

	/* Only a format that logs several events on a line needs the line
	 * again, in router_more(). */
	if (b->more == NULL)
		return;
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
		const struct extractor_backend *b = r->backends[i];

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
		i = program_owner(r, hdr.program);
		if (i >= 0) {
			classify(r, i, &line, ev, out);
			return;
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
	if (r->backends[i]->whole_input)
		r->whole_input = i;
	r->last_native = i;
	classify(r, i, &line, ev, out);
}
