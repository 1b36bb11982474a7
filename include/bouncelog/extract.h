/* SPDX-License-Identifier: MIT */
/*
 * extract.h - turn a log line into an event, one back end per log format
 *
 * An extractor owns a pattern set (the built-in one, or NAME.pat from a
 * directory given by the user), optional per-input state, and a back end
 * that turns a line into a struct event.  Back ends are listed in a
 * NULL-terminated registry and found by name; adding a format is one
 * source file, one pattern file and one registry line.
 *
 * A line reaches a back end in one of two ways: as a syslog line whose
 * program name matched the pattern file's "program" line (Postfix, and
 * Exim when it logs to syslog), or as a line of the format's own file
 * format that its sniff function claimed (Exim's main log, Exchange's
 * message tracking CSV).
 */
#ifndef BOUNCELOG_EXTRACT_H
#define BOUNCELOG_EXTRACT_H

#include <stdbool.h>

#include "bouncelog/event.h"
#include "bouncelog/pattern.h"
#include "bouncelog/sysline.h"

enum extract_result {
	EXTRACT_NO_HEADER,	/* no format could read the line's header */
	EXTRACT_FOREIGN,	/* another program's syslog line */
	EXTRACT_UNKNOWN,	/* this format's line, but no rule matched */
	EXTRACT_LIMIT,		/* a rule gave up at a PCRE2 limit */
	EXTRACT_INFO,		/* recognised; nothing to count */
	EXTRACT_EVENT,		/* recognised; *ev is filled */
};

/* One line as a back end receives it. */
struct extract_line {
	const char *text;		/* the whole line, len bytes */
	size_t len;
	const struct sysline *hdr;	/* syslog header, or NULL for a line
					 * of the format's own file format */
	const struct sysline_year *year; /* for year-less timestamps */

	/* Set by the back end when it read the line's time. */
	bool has_time;
	struct logtime time;

	/* Optionally set by the back end for EXTRACT_UNKNOWN: why the line
	 * was not understood, shown with -v.  Valid until the next line. */
	const char *note;
};

struct extractor;

struct extractor_backend {
	const char *name;		/* also the --log-format word */
	const char *builtin;		/* the default pattern file's text */
	const size_t *builtin_len;
	bool syslog;			/* the pattern file needs "program" */

	/*
	 * True when a line without a syslog header belongs to this format's
	 * own file format.  whole_input: once claimed, every later line of
	 * the input goes to this back end (a CSV file with a header).  NULL
	 * for formats that are only logged through syslog.
	 */
	bool (*sniff)(const char *text, size_t len);
	bool whole_input;

	/*
	 * Check that every rule's kind is one this back end understands;
	 * print "FILE:LINE: message" for the others.  Returns 0 or -1.
	 */
	int (*check)(const struct pattern_set *set);

	/* Per-input state, or NULL: made at open, reset before each input. */
	bool keeps_state;		/* state_reset() keeps part of the state
					 * for the next input (Exim's last
					 * deferral per address), so an input
					 * is read differently after another */
	void *(*state_new)(void);
	void (*state_reset)(void *state);
	void (*state_free)(void *state);

	/*
	 * Classify one line.  For EXTRACT_EVENT, *ev is filled (spans into
	 * in->text, or into the back end's state as event.h allows); the
	 * caller then sets ev->time from the header if the back end left it
	 * unset, and runs reply_analyze().
	 */
	enum extract_result (*line)(struct extractor *x,
				    struct extract_line *in,
				    struct event *ev);

	/*
	 * Optional, for formats that log several events on one line (an
	 * Exchange message tracking row lists several recipients).  After
	 * line() returned EXTRACT_EVENT, the caller calls more() with the
	 * same line, and again after each true result, until it returns
	 * false.  Each true result fills *ev like line() does.  NULL when a
	 * line never contains more than one event.  The line is counted
	 * once.
	 */
	bool (*more)(struct extractor *x, struct extract_line *in,
		     struct event *ev);
};

extern const struct extractor_backend *const extractor_backends[];

/* The back end called name, or NULL. */
const struct extractor_backend *extractor_find(const char *name);

/*
 * Open the extractor for backend.  With pattern_dir NULL the built-in
 * patterns are used, else pattern_dir/NAME.pat.  NULL after diagnostics.
 */
struct extractor *extractor_open(const struct extractor_backend *backend,
				 const char *pattern_dir);

void extractor_close(struct extractor *x);

const char *extractor_name(const struct extractor *x);
const struct extractor_backend *extractor_backend(const struct extractor *x);

/* The pattern set and per-input state, for the back end's own use. */
struct pattern_set *extractor_patterns(struct extractor *x);
void *extractor_state(struct extractor *x);

/*
 * Leave out, with on, the classification that otherwise finishes each
 * event, so that another thread can do it with
 * extract_classify_event().  The reply is still found in the text
 * (reply_analyze()) unless extractor_defer_reply() leaves it out too.
 * Off after extractor_open().
 */
void extractor_defer_analysis(struct extractor *x, bool on);

/*
 * Leave out, with on, the reply analysis too while the classification
 * is deferred, so that the thread that classifies finds the reply as
 * well.  The parsing thread switches it as the other thread keeps up or
 * falls behind.  Off after extractor_open().
 */
void extractor_defer_reply(struct extractor *x, bool on);

/* Find the reply in ev's text when it is read (event_reply_read()) and
 * classify the event: the last steps of every event, which depend on
 * nothing but the event. */
void extract_analyze_event(struct event *ev);

/* The steps that extractor_defer_analysis() and extractor_defer_reply()
 * leave out: find the reply where it is read unless that was done
 * (ev->reply_analyzed), and classify ev. */
void extract_classify_event(struct event *ev);

/*
 * The analysis of the last event passed through extract_analyze_kept(),
 * which a repeat of it (ev->repeat) takes over instead of reading its
 * text again.  The reply and the cause are kept as places in the text,
 * because a repeat's text has the same bytes but may lie elsewhere, such
 * as in a feed batch.  Zeroed, it has nothing to take over.
 */
struct extract_kept {
	bool reply;		/* reply_code, reply_enh and reply_at are set */
	bool classified;	/* classification and cause_at are set */
	int reply_code;
	struct enh_status reply_enh;
	size_t reply_at;	/* in the text; SIZE_MAX for no reply */
	size_t reply_len;
	struct classification classification;
	size_t cause_at;	/* in the text; SIZE_MAX for no cause */
	size_t cause_len;
};

/*
 * Find the reply in ev's text when reply is true, it is read and not
 * found yet, and classify ev when classify is true, as
 * extract_classify_event() does, but take over what *k kept when ev is a
 * repeat.  Then keep ev's analysis in *k.  Callers pass only events that
 * a repeat may follow (ev->may_repeat), since keeping costs the others
 * instructions for nothing.
 */
void extract_analyze_kept(struct extract_kept *k, struct event *ev,
			  bool reply, bool classify);

/* Reset the per-input state before a new input. */
void extractor_reset(struct extractor *x);

/* Drop all state, what state_reset() keeps included, as if x had just
 * been opened. */
void extractor_forget(struct extractor *x);

/* True when a syslog program name belongs to this format. */
bool extractor_owns_program(struct extractor *x, struct span program);

/*
 * Classify a parsed syslog line; EXTRACT_FOREIGN when its program is not
 * this format's.  Fills *ev when returning EXTRACT_EVENT.
 */
enum extract_result extractor_line(struct extractor *x,
				   const struct sysline *hdr,
				   struct event *ev);

/*
 * Classify a line that has no syslog header, in the format's own file
 * format, or in line->hdr's syslog form when it is set.  line->has_time
 * and line->time report the line's time when the back end found one.
 */
enum extract_result extractor_classify(struct extractor *x,
				       struct extract_line *line,
				       struct event *ev);

/*
 * Fetch the next event of the line last classified by this extractor,
 * after an EXTRACT_EVENT result or a true return.  Returns false when the
 * line has no more events; otherwise *ev is filled and finished as by
 * extractor_classify().
 */
bool extractor_more(struct extractor *x, struct extract_line *line,
		    struct event *ev);

#endif
