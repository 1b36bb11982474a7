/* SPDX-License-Identifier: MIT */
/*
 * fuzz_classify.c - fuzz target: the bounce classifier
 *
 * The first input byte chooses the event (a deferral, bounce, expiry,
 * rejection at some SMTP stage, or a bare text as --classify reads it)
 * and the remote host; the rest is the reason text.  The target runs
 * reply_analyze() and the built-in rule set over it and checks:
 *	- a failure always gets a reason, never REASON_NONE or a value out
 *	  of range, and REASON_DELIVERED only for a bare text with a 2xx
 *	  reply, or a 2.x.x code and no reply code, and with no code of
 *	  class 4 or 5 anywhere: not as reply code, enhanced code or nested
 *	  reply (in a log event the log's failed status outweighs any
 *	  success code in the text);
 *	- the kind is the reason table's, softened only where classify.h
 *	  allows it (a deferral, or notaccept that is not permanent);
 *	- the protocol class comes from the reply code when there is one,
 *	  and class_mismatch is set exactly when the reply code and the
 *	  enhanced code are of different classes;
 *	- evidence and provider are NUL-terminated printable ASCII, and the
 *	  cause lies inside the text;
 *	- the result depends only on the text bytes: classifying the same
 *	  bytes again, from a copy in a buffer of exactly their length,
 *	  gives the same classification;
 *	- matching ignores ASCII case: the text with its ASCII letters in
 *	  upper case gets the same reason.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/classify.h"
#include "bouncelog/codes.h"
#include "bouncelog/event.h"
#include "bouncelog/reason.h"
#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct classify_rules *rules;

/* Remote hosts tried, so that provider detection by host takes part. */
static const char *const hosts[] = {
	"",
	"gmail-smtp-in.l.google.com",
	"example-com.mail.protection.outlook.com",
	"mta7.am0.yahoodns.net",
	"mx.yandex.ru",
	"mx.example.net",
	"mx00.t-online.de",
	"mx1.mail.icloud.com",
};

/* The events tried: the low three bits of the first byte. */
enum shape {
	SHAPE_TEXT,		/* classify_text(), as --classify does */
	SHAPE_DEFERRED,
	SHAPE_BOUNCED,
	SHAPE_EXPIRED,
	SHAPE_REJECT_RCPT,
	SHAPE_REJECT_DATA,
	SHAPE_REJECT_CONN,
	SHAPE_REJECT_TEMPORARY,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	FUZZ_CHECK(codes_init() == 0, "codes_init failed: %s",
		   fuzz_diag_last());
	FUZZ_CHECK(reasons_init() == 0, "reasons_init failed: %s",
		   fuzz_diag_last());
	rules = classify_rules_load(NULL, NULL);
	FUZZ_CHECK(rules != NULL, "the built-in rules failed to load: %s",
		   fuzz_diag_last());
	return 0;
}

/* classify - build the event of shape over text and classify it */
static void
classify(enum shape shape, const char *host, const char *text, size_t len,
	 struct event *ev)
{
	if (shape == SHAPE_TEXT) {
		classify_text(rules, text, len, ev);
		return;
	}

	if (shape >= SHAPE_REJECT_RCPT) {
		static const char *const stages[] = { "RCPT", "DATA",
						      "CONNECT", "RCPT" };

		event_init(ev, EVENT_REJECT);
		ev->stage = span_make(stages[shape - SHAPE_REJECT_RCPT], strlen(stages[shape - SHAPE_REJECT_RCPT]));
		ev->temporary = shape == SHAPE_REJECT_TEMPORARY;
	} else {
		static const enum delivery_status statuses[] = {
			STATUS_DEFERRED, STATUS_BOUNCED, STATUS_EXPIRED
		};

		event_init(ev, EVENT_DELIVERY);
		ev->status = statuses[shape - SHAPE_DEFERRED];
		ev->remote_host = span_make(host, strlen(host));
	}
	ev->text = span_make(text, len);
	reply_analyze(ev);
	classify_event_with(rules, ev);
}

/* check_printable - s is NUL-terminated within max bytes, ASCII 0x20-0x7e */
static void
check_printable(const char *what, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	FUZZ_CHECK(len < max, "%s is not NUL-terminated", what);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(s[i] >= 0x20 && s[i] <= 0x7e,
			   "%s has byte 0x%02x at %zu", what,
			   (unsigned char)s[i], i);
}

/* check_result - the invariants of one classification */
static void
check_result(enum shape shape, const struct event *ev, const char *text,
	     size_t len)
{
	const struct classification *c = &ev->classification;
	enum bounce_kind table_kind;
	const struct enh_status *enh;
	bool deferral = shape == SHAPE_DEFERRED;

	FUZZ_CHECK(c->reason > REASON_NONE && c->reason < REASON_COUNT,
		   "reason %d out of range", (int)c->reason);

	if (c->reason == REASON_DELIVERED) {
		bool success_code = ev->reply_code >= 200 &&
				    ev->reply_code < 300;
		bool success_enh = ev->reply_code == 0 &&
				   event_enhanced(ev)->cls == 2;

		FUZZ_CHECK(shape == SHAPE_TEXT, "a failed log event delivered");
		FUZZ_CHECK(success_code || success_enh,
			   "delivered without a 2xx reply or 2.x.x code");
		FUZZ_CHECK(ev->reply_enh.cls != 4 && ev->reply_enh.cls != 5 &&
				   ev->enh.cls != 4 && ev->enh.cls != 5,
			   "delivered with a %d.x.x code", event_enhanced(ev)->cls);
		FUZZ_CHECK(c->cause.ptr == NULL,
			   "delivered with a nested 4xx or 5xx reply");
		FUZZ_CHECK(c->kind == KIND_NONE, "delivered with a kind");
	} else {
		table_kind = reason_kind(c->reason);
		FUZZ_CHECK(c->kind == table_kind ||
				   (c->kind == KIND_SOFT &&
				    table_kind == KIND_HARD &&
				    (deferral ||
				     (c->reason == REASON_NOTACCEPT &&
				      c->cls != 5))),
			   "kind %s for %s", bounce_kind_name(c->kind),
			   reason_name(c->reason));
	}

	if (ev->reply_code != 0)
		FUZZ_CHECK(c->cls == ev->reply_code / 100,
			   "class %d with reply code %d", c->cls,
			   ev->reply_code);
	FUZZ_CHECK(c->cls == 0 || (c->cls >= 2 && c->cls <= 5),
		   "class %d out of range", c->cls);

	enh = enh_status_present(&ev->reply_enh) ? &ev->reply_enh : &ev->enh;
	FUZZ_CHECK(c->class_mismatch == (ev->reply_code != 0 && enh->cls != 0 &&
					 ev->reply_code / 100 != enh->cls),
		   "class_mismatch %d for reply %d and class %d",
		   c->class_mismatch, ev->reply_code, enh->cls);

	check_printable("evidence", c->evidence, sizeof c->evidence);
	check_printable("provider", c->provider, sizeof c->provider);
	fuzz_check_span("cause", c->cause, text, len);
}

/* same_result - two classifications agree in every field but cause's
 * address, whose offset into its text must agree instead */
static bool
same_result(const struct event *a, const char *text_a, const struct event *b,
	    const char *text_b)
{
	const struct classification *x = &a->classification;
	const struct classification *y = &b->classification;

	if (x->reason != y->reason || x->kind != y->kind || x->cls != y->cls ||
	    x->class_mismatch != y->class_mismatch ||
	    x->expired != y->expired || x->stage != y->stage ||
	    strcmp(x->evidence, y->evidence) != 0 ||
	    strcmp(x->provider, y->provider) != 0)
		return false;
	if ((x->cause.ptr == NULL) != (y->cause.ptr == NULL))
		return false;
	if (x->cause.ptr == NULL)
		return true;
	return x->cause.len == y->cause.len &&
	       x->cause.ptr - text_a == y->cause.ptr - text_b;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum shape shape;
	const char *host, *text;
	char *copy;
	size_t len;
	struct event first, again, upper;

	if (size == 0)
		return 0;
	shape = (enum shape)(data[0] & 7);
	host = hosts[(data[0] >> 3) % (sizeof hosts / sizeof hosts[0])];
	text = (const char *)data + 1;
	len = size - 1;

	/* A copy of exactly len bytes lets AddressSanitizer catch a read past
	 * the text; malloc(0) may return NULL, so keep one byte. */
	copy = malloc(len > 0 ? len : 1);
	FUZZ_CHECK(copy != NULL, "out of memory");
	memcpy(copy, text, len);

	classify(shape, host, copy, len, &first);
	check_result(shape, &first, copy, len);

	classify(shape, host, text, len, &again);
	FUZZ_CHECK(same_result(&first, copy, &again, text),
		   "a second run gave %s (%s), the first %s (%s)",
		   reason_name(again.classification.reason),
		   again.classification.evidence,
		   reason_name(first.classification.reason),
		   first.classification.evidence);

	for (size_t i = 0; i < len; i++)
		if (copy[i] >= 'a' && copy[i] <= 'z')
			copy[i] = (char)(copy[i] - 'a' + 'A');
	classify(shape, host, copy, len, &upper);
	check_result(shape, &upper, copy, len);
	FUZZ_CHECK(upper.classification.reason == first.classification.reason,
		   "upper case gave %s (%s), lower case %s (%s)",
		   reason_name(upper.classification.reason),
		   upper.classification.evidence,
		   reason_name(first.classification.reason),
		   first.classification.evidence);

	free(copy);
	return 0;
}
