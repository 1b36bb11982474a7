/* SPDX-License-Identifier: MIT */
/*
 * route.h - send each line to the extractor of its log format
 *
 * A router holds one extractor per log format in use: all registered
 * formats for --log-format=auto, or the one named.  For each line it
 * reads the syslog header and hands the line to the format whose program
 * name matches (a mail.log mixes Postfix, Exim and other programs), or,
 * for a line without a syslog header, to the first format whose sniff
 * function claims it (Exim's main log, Exchange's CSV).  A format that
 * claims a whole input, such as a CSV file with a header, then receives
 * every later line of that input that has no syslog header; syslog lines
 * still go to their own format.  Lines that start with a blank right
 * after a line of a format's own file format are its continuation lines.
 */
#ifndef BOUNCELOG_ROUTE_H
#define BOUNCELOG_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncelog/event.h"
#include "bouncelog/extract.h"
#include "bouncelog/sysline.h"

/* Most formats a router can hold. */
#define ROUTE_FORMATS_MAX 8

struct router;

struct route_result {
	enum extract_result result;
	int format;		/* index of the format that took the line,
				 * or -1 (no header, another program) */
	bool has_time;
	struct logtime time;
	const char *note;	/* why an EXTRACT_UNKNOWN line was not
				 * understood, or NULL; valid until the
				 * next line */
};

/*
 * Open a router for log_format ("auto" or a back end's name), with
 * patterns from pattern_dir (NULL for the built-in ones).  NULL after
 * diagnostics.
 */
struct router *router_open(const char *log_format, const char *pattern_dir);

void router_close(struct router *r);

/* Number of formats held, and the name of format i. */
size_t router_format_count(const struct router *r);
const char *router_format_name(const struct router *r, size_t i);

/* Forget what was learnt about the previous input, except the state
 * that a format keeps across inputs (see extractor_backend.keeps_state). */
void router_begin_input(struct router *r);

/* Leave the reply analysis and classification of events to the caller,
 * for every format (see extractor_defer_analysis()). */
void router_defer_analysis(struct router *r, bool on);

/* extractor_defer_reply() for every format of r. */
void router_defer_reply(struct router *r, bool on);

/* Forget everything, as if r had just been opened. */
void router_forget(struct router *r);

/* True when, since router_begin_input(), a line went to a format that
 * keeps state across inputs: the input may then read differently after
 * another. */
bool router_used_kept_state(const struct router *r);

/*
 * The index of the format that owns the syslog program name program:
 * the first whose extractor_owns_program() is true, or -1 when none
 * does.  The owner of each name of up to 48 bytes is kept, so a name
 * seen before costs a comparison instead of a match of every format's
 * "program" rule.
 */
int router_program_owner(struct router *r, struct span program);

/* Classify one line; fills *ev when out->result is EXTRACT_EVENT. */
void router_line(struct router *r, const char *text, size_t len,
		 const struct sysline_year *year, struct event *ev,
		 struct route_result *out);

/*
 * Fetch the next event of the line last given to router_line(), for
 * formats that log several events on one line.  Call it after an
 * EXTRACT_EVENT result and again while it returns true, before the next
 * router_line() and while the line's text is still valid.
 */
bool router_more(struct router *r, struct event *ev);

#endif
