/* SPDX-License-Identifier: MIT */
/*
 * extract_check.h - event checks shared by the extractor unit tests
 *
 * The tables name the values of the extractor's enums, so that check_str()
 * prints a mismatch as "got BOUNCED, want DEFERRED".  A case table embeds
 * a struct event_want, and check_event_fields() compares the fields that
 * most formats fill.  Each test then checks the fields of its own format.
 */
#ifndef BOUNCELOG_TEST_EXTRACT_CHECK_H
#define BOUNCELOG_TEST_EXTRACT_CHECK_H

#include "bouncelog/extract.h"
#include "bouncelog/sysline.h"

/* Names of enum extract_result, enum event_type and enum delivery_status. */
extern const char *const result_names[];
extern const char *const type_names[];
extern const char *const status_names[];

/* The expected fields of one event. */
struct event_want {
	enum event_type type;
	enum delivery_status status;	/* EVENT_DELIVERY only */
	const char *qid;		/* NULL: absent, for every span */
	const char *to;
	const char *orig_to;
	const char *from;
	const char *remote_host;
	const char *remote_addr;
	const char *client_host;
	const char *client_addr;
	const char *stage;
	const char *text;
	const char *enh;		/* dsn=, NULL or "none" if absent */
	int reply_code;
	const char *reply_enh;		/* NULL or "none" when absent */
};

/*
 * Format st as "C.S.D" in buf and return buf, or return "none" when st
 * is absent.
 */
const char *format_enh_code(const struct enh_status *st,
			    char buf[ENH_STATUS_LEN]);

/*
 * Note a mismatch when the reply of ev was found while parsing and is
 * never read, or the other way round (event_reply_read()): parsing
 * leaves the reply of another event.  Returns ev when its reply was
 * found, else *copy, a copy of ev with the reply found, so that a case
 * can still check what the text gives.
 */
const struct event *check_reply_found(const char *name,
				      const struct event *ev,
				      struct event *copy);

/*
 * Note a mismatch for each field of ev that differs from want: the
 * type, the status when want->type is EVENT_DELIVERY, the spans from
 * queue_id to text, the log's enhanced code (as "dsn"), the reply code
 * and the reply's enhanced code, through check_reply_found().  The
 * caller checks the other fields, such as the flags, the time and the
 * component.
 */
void check_event_fields(const char *name, const struct event *ev,
			const struct event_want *want);

/*
 * Parse the syslog line text of len bytes into *hdr with the reference
 * year 2026 and month 12, and classify it with extractor_line().  *ev is
 * first filled with 0xa5 bytes, so a field the extractor does not set is
 * not zero by chance.  Return the result, or EXTRACT_NO_HEADER when the
 * header does not parse.
 */
enum extract_result classify_sysline(struct extractor *x, const char *text,
				     size_t len, struct sysline *hdr,
				     struct event *ev);

/*
 * Open the extractor of the format name with the built-in patterns and
 * store it in *state, for use as a cmocka group or test setup.  Return 0,
 * or -1 when the format is not registered or the extractor does not open.
 */
int setup_named_extractor(void **state, const char *name);

/* Close the extractor that setup_named_extractor() stored in *state. */
int teardown_extractor(void **state);

#endif
