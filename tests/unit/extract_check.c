/* SPDX-License-Identifier: MIT */
/*
 * extract_check.c - event checks shared by the extractor unit tests
 */
#include <string.h>

#include "check.h"
#include "extract_check.h"

const char *const result_names[] = {
	[EXTRACT_NO_HEADER] = "NO_HEADER",
	[EXTRACT_FOREIGN] = "FOREIGN",
	[EXTRACT_UNKNOWN] = "UNKNOWN",
	[EXTRACT_LIMIT] = "LIMIT",
	[EXTRACT_INFO] = "INFO",
	[EXTRACT_EVENT] = "EVENT",
};

const char *const type_names[] = {
	[EVENT_DELIVERY] = "DELIVERY",
	[EVENT_REJECT] = "REJECT",
	[EVENT_SENDER] = "SENDER",
	[EVENT_EXPIRED] = "EXPIRED",
	[EVENT_REMOVED] = "REMOVED",
	[EVENT_NOTIFICATION] = "NOTIFICATION",
};

const char *const status_names[] = {
	[STATUS_SENT] = "SENT",
	[STATUS_FORWARDED] = "FORWARDED",
	[STATUS_DEFERRED] = "DEFERRED",
	[STATUS_BOUNCED] = "BOUNCED",
	[STATUS_EXPIRED] = "EXPIRED",
	[STATUS_PROBE_OK] = "PROBE_OK",
	[STATUS_PROBE_FAIL] = "PROBE_FAIL",
};

const char *
format_enh_code(const struct enh_status *st, char buf[ENH_STATUS_LEN])
{
	if (!enh_status_present(st))
		return "none";
	return status_format_enhanced(st, buf);
}

/* reply_wanted - the events whose reply some output reads: failures,
 * whose codes are counted, and a message's expiry, whose codes the event
 * output lists.  Spelled out apart from event_reply_read(), so that a
 * change to either shows. */
static bool
reply_wanted(const struct event *ev)
{
	if (ev->type == EVENT_REJECT || ev->type == EVENT_EXPIRED)
		return true;
	return ev->type == EVENT_DELIVERY &&
	       (ev->status == STATUS_DEFERRED || ev->status == STATUS_BOUNCED ||
		ev->status == STATUS_EXPIRED);
}

const struct event *
check_reply_found(const char *name, const struct event *ev,
		  struct event *copy)
{
	check_int(name, "reply read", event_reply_read(ev), reply_wanted(ev));
	check_int(name, "reply found", ev->reply_analyzed, reply_wanted(ev));
	if (ev->reply_analyzed)
		return ev;
	*copy = *ev;
	reply_analyze(copy);
	return copy;
}

void
check_event_fields(const char *name, const struct event *ev,
		   const struct event_want *want)
{
	char buf[ENH_STATUS_LEN];
	struct event analyzed;

	ev = check_reply_found(name, ev, &analyzed);

	check_str(name, "type", type_names[ev->type], type_names[want->type]);
	if (want->type == EVENT_DELIVERY)
		check_str(name, "status", status_names[ev->status],
			  status_names[want->status]);

	check_span(name, "queue id", ev->queue_id, want->qid);
	check_span(name, "recipient", ev->recipient, want->to);
	check_span(name, "orig recipient", ev->orig_recipient, want->orig_to);
	check_span(name, "sender", ev->sender, want->from);
	check_span(name, "remote host", ev->remote_host, want->remote_host);
	check_span(name, "remote addr", ev->remote_addr, want->remote_addr);
	check_span(name, "client host", ev->client_host, want->client_host);
	check_span(name, "client addr", ev->client_addr, want->client_addr);
	check_span(name, "stage", ev->stage, want->stage);
	check_span(name, "text", ev->text, want->text);

	check_str(name, "dsn", format_enh_code(&ev->enh, buf),
		  want->enh ? want->enh : "none");
	check_int(name, "reply code", ev->reply_code, want->reply_code);
	check_str(name, "reply enhanced", format_enh_code(&ev->reply_enh, buf),
		  want->reply_enh ? want->reply_enh : "none");
}

enum extract_result
classify_sysline(struct extractor *x, const char *text, size_t len,
		 struct sysline *hdr, struct event *ev)
{
	const struct sysline_year ref = {2026, 12, 0};

	if (!sysline_parse(text, len, &ref, hdr))
		return EXTRACT_NO_HEADER;
	memset(ev, 0xa5, sizeof *ev);
	return extractor_line(x, hdr, ev);
}

int
setup_named_extractor(void **state, const char *name)
{
	const struct extractor_backend *backend = extractor_find(name);
	struct extractor *x;

	if (backend == NULL)
		return -1;
	x = extractor_open(backend, NULL);
	if (x == NULL)
		return -1;
	*state = x;
	return 0;
}

int
teardown_extractor(void **state)
{
	extractor_close(*state);
	return 0;
}
