/* SPDX-License-Identifier: MIT */
/*
 * report_prometheus.c - the counts as metrics for node_exporter's
 * textfile collector
 *
 * doc/metrics.md lists every metric.  Counters end in "_total" and count
 * over the inputs of the run, so they grow while a log file grows and
 * start again when it is rotated, which Prometheus treats as a counter
 * reset.  Label values from the logs are bounded: reply and enhanced
 * codes and recipient domains are each cut to the --top largest rows,
 * and the rest is summed under "(other)".  No label ever contains
 * an address.  Reasons and outcomes are fixed lists and are written with
 * zero counts too, so that every series exists from the first scrape.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/logzone.h"
#include "bouncelog/prom.h"
#include "report_impl.h"

static const char *const outcomes[] = {"deferred", "bounced", "expired",
					"rejected"};

/* sample0 - a sample without labels */
static void
sample0(FILE *out, const char *name, uint64_t value)
{
	prom_sample(out, name, NULL, 0, value);
}

/* sample1 - a sample with one label */
static void
sample1(FILE *out, const char *name, const char *label, const char *value,
	uint64_t count)
{
	struct prom_label l = prom_label_str(label, value);

	prom_sample(out, name, &l, 1, count);
}

static void
write_inputs(FILE *out, const struct tally *t)
{
	static const char *const results[] = {
		"recognized", "other_program", "unknown", "bad_header",
		"limit_hit",
	};
	uint64_t lines[5] = {0}, truncated = 0, errors = 0;

	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input_stats *in = &t->inputs[i];

		lines[0] += in->recognized;
		lines[1] += in->foreign;
		lines[2] += in->unknown;
		lines[3] += in->bad_header;
		lines[4] += in->limit_hits;
		truncated += in->truncated;
		errors += in->errors;
	}
	prom_family(out, "bouncelog_input_lines_total", "counter",
		    "Log lines read, by how they were recognized.");
	for (size_t i = 0; i < 5; i++)
		sample1(out, "bouncelog_input_lines_total", "result",
			results[i], lines[i]);
	prom_family(out, "bouncelog_input_truncated_lines_total", "counter",
		    "Log lines cut at the maximum line length.");
	sample0(out, "bouncelog_input_truncated_lines_total", truncated);
	prom_family(out, "bouncelog_input_errors_total", "counter",
		    "Inputs that could not be read or were damaged.");
	sample0(out, "bouncelog_input_errors_total", errors);
}

static void
write_deliveries(FILE *out, const struct tally *t)
{
	prom_family(out, "bouncelog_deliveries_total", "counter",
		    "Delivery status lines, by status; deferred counts "
		    "attempts, the others recipients.");
	sample1(out, "bouncelog_deliveries_total", "status", "sent",
		t->delivered);
	sample1(out, "bouncelog_deliveries_total", "status", "forwarded",
		t->forwarded);
	sample1(out, "bouncelog_deliveries_total", "status", "deferred",
		t->deferred);
	sample1(out, "bouncelog_deliveries_total", "status", "bounced",
		t->bounced);
	sample1(out, "bouncelog_deliveries_total", "status", "expired",
		t->expired);

	prom_family(out, "bouncelog_deferred_recipients_total", "counter",
		    "Recipients deferred at least once.");
	sample0(out, "bouncelog_deferred_recipients_total", t->deferred_unique);
	prom_family(out, "bouncelog_soft_bounces_total", "counter",
		    "Deferrals that Postfix's soft_bounce turned from "
		    "bounces.");
	sample0(out, "bouncelog_soft_bounces_total", t->soft_bounced);
	prom_family(out, "bouncelog_expired_messages_total", "counter",
		    "Messages returned after their queue lifetime.");
	sample0(out, "bouncelog_expired_messages_total", t->expired_messages);
	prom_family(out, "bouncelog_rejections_total", "counter",
		    "Inbound SMTP and content rejections.");
	sample0(out, "bouncelog_rejections_total", t->rejected);
	prom_family(out, "bouncelog_reject_warnings_total", "counter",
		    "Rejections logged as warnings only (warn_if_reject).");
	sample0(out, "bouncelog_reject_warnings_total", t->reject_warnings);
	prom_family(out, "bouncelog_notifications_total", "counter",
		    "Bounce and delay notices generated.");
	sample0(out, "bouncelog_notifications_total", t->notifications);
	prom_family(out, "bouncelog_probes_total", "counter",
		    "Address verification probes, by result.");
	sample1(out, "bouncelog_probes_total", "result", "deliverable",
		t->probes_ok);
	sample1(out, "bouncelog_probes_total", "result", "undeliverable",
		t->probes_failed);
	prom_family(out, "bouncelog_code_mismatches_total", "counter",
		    "Failures whose status field and reply text give different "
		    "codes.");
	sample0(out, "bouncelog_code_mismatches_total", t->code_mismatches);
}

/* write_dropped - write the messages that the queue tracker forgot
 * before their end, split by whether a recipient was still deferred */
static void
write_dropped(FILE *out, const struct tally *t)
{
	uint64_t pending;
	uint64_t dropped = tally_queue_dropped(t, &pending);

	prom_family(out, "bouncelog_queue_ids_dropped_total", "counter",
		    "Messages that the queue tracker forgot before the log "
		    "ended them, by whether a recipient was still deferred.");
	sample1(out, "bouncelog_queue_ids_dropped_total", "deferred", "yes",
		pending);
	sample1(out, "bouncelog_queue_ids_dropped_total", "deferred", "no",
		dropped - pending);
}

/* write_failures - failures by direction and reply class */
static void
write_failures(FILE *out, const struct tally *t)
{
	prom_family(out, "bouncelog_failures_total", "counter",
		    "Delivery failures (outbound) and rejections (inbound), by "
		    "reply class.");
	for (int in = 0; in < 2; in++) {
		for (int c = 0; c < 2; c++) {
			const struct class_stat *cs =
				in ? &t->inbound[c] : &t->outbound[c];
			struct prom_label l[2] = {
				prom_label_str("direction",
					       in ? "inbound" : "outbound"),
				prom_label_str("class", c ? "5xx" : "4xx"),
			};

			prom_sample(out, "bouncelog_failures_total", l, 2,
				    cs->count);
		}
	}
}

/* reason_outcome - failures of rs with outcome o (index in outcomes[]) */
static uint64_t
reason_outcome(const struct reason_stat *rs, size_t o)
{
	const uint64_t values[] = {rs->deferred, rs->bounced, rs->expired,
				   rs->rejected};

	return values[o];
}

static void
write_reasons(FILE *out, const struct tally *t)
{
	prom_family(out, "bouncelog_failure_reasons_total", "counter",
		    "Failures by reason (doc/reasons.md), the reason's kind "
		    "and outcome.");
	/* "delivered" too: a bounce whose reply is a success code gets it. */
	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++) {
		for (size_t o = 0; o < 4; o++) {
			struct prom_label l[3] = {
				prom_label_str("reason",
					       reason_name((enum reason)r)),
				prom_label_str("kind",
					       bounce_kind_name(reason_kind(
						       (enum reason)r))),
				prom_label_str("outcome", outcomes[o]),
			};

			prom_sample(out, "bouncelog_failure_reasons_total", l,
				    3, reason_outcome(&t->reasons[r], o));
		}
	}
}

/*
 * write_code_rows - the top rows of one class's code map, then the rest
 * summed under "(other)" (with the tally's own "(other)" row)
 */
static void
write_code_rows(FILE *out, const char *name, const struct strmap *map,
		bool inbound, int cls, unsigned top)
{
	size_t n;
	struct row *rows = report_rows(map, ROW_CODE, &n);
	struct prom_label l[3] = {
		prom_label_str("direction", inbound ? "inbound" : "outbound"),
		prom_label_str("class", cls == 4 ? "4xx" : "5xx"),
		prom_label_str("code", TALLY_OTHER_KEY),
	};
	uint64_t other = 0;
	size_t written = 0;

	for (size_t i = 0; i < n; i++) {
		if (written == top ||
		    strcmp(rows[i].key, TALLY_OTHER_KEY) == 0) {
			other += rows[i].count;
			continue;
		}
		l[2].value = rows[i].key;
		l[2].len = rows[i].key_len;
		prom_sample(out, name, l, 3, rows[i].count);
		written++;
	}
	if (other > 0) {
		l[2] = prom_label_str("code", TALLY_OTHER_KEY);
		prom_sample(out, name, l, 3, other);
	}
	free(rows);
}

static void
write_codes(FILE *out, const struct tally *t, unsigned top)
{
	static const char *const names[2] = {
		"bouncelog_failure_reply_codes_total",
		"bouncelog_failure_enhanced_codes_total",
	};

	prom_family(out, names[0], "counter",
		    "Failures by SMTP reply code; the largest codes of each "
		    "class, the rest as (other).");
	for (int in = 0; in < 2; in++)
		for (int c = 0; c < 2; c++)
			write_code_rows(out, names[0],
					(in ? t->inbound : t->outbound)[c]
						.reply_codes,
					in, 4 + c, top);
	prom_family(out, names[1], "counter",
		    "Failures by enhanced status code (RFC 3463); the largest "
		    "codes of each class, the rest as (other).");
	for (int in = 0; in < 2; in++)
		for (int c = 0; c < 2; c++)
			write_code_rows(out, names[1],
					(in ? t->inbound : t->outbound)[c]
						.enh_codes,
					in, 4 + c, top);
}

/* domain_outcome - failures of d with outcome o (index in outcomes[]) */
static uint64_t
domain_outcome(const struct domain_stat *d, size_t o)
{
	const uint64_t values[] = {d->deferred, d->bounced, d->expired,
				   d->rejected};

	return values[o];
}

/* write_domain - the four outcome samples of one domain label */
static void
write_domain(FILE *out, const char *key, size_t len,
	     const uint64_t counts[4])
{
	for (size_t o = 0; o < 4; o++) {
		struct prom_label l[2] = {
			{"domain", key, len},
			prom_label_str("outcome", outcomes[o]),
		};

		prom_sample(out, "bouncelog_domain_failures_total", l, 2,
			    counts[o]);
	}
}

/* write_domains - the top recipient domains by failures, the rest as
 * "(other)" */
static void
write_domains(FILE *out, const struct tally *t, unsigned top)
{
	size_t n;
	struct row *rows = report_rows(t->domains, ROW_DOMAIN, &n);
	uint64_t other[4] = {0};
	bool any_other = false;
	size_t written = 0;

	prom_family(out, "bouncelog_domain_failures_total", "counter",
		    "Failures by recipient domain and outcome; the domains "
		    "with most failures, the rest as (other).");
	for (size_t i = 0; i < n && rows[i].count > 0; i++) {
		const struct domain_stat *d = rows[i].value;
		uint64_t counts[4];

		for (size_t o = 0; o < 4; o++)
			counts[o] = domain_outcome(d, o);
		if (written == top ||
		    strcmp(rows[i].key, TALLY_OTHER_KEY) == 0) {
			for (size_t o = 0; o < 4; o++)
				other[o] += counts[o];
			any_other = true;
			continue;
		}
		write_domain(out, rows[i].key, rows[i].key_len, counts);
		written++;
	}
	if (any_other)
		write_domain(out, TALLY_OTHER_KEY, strlen(TALLY_OTHER_KEY),
			     other);
	free(rows);
}

/* write_period - the first and last log timestamps, when there are any */
static void
write_period(FILE *out, const struct tally *t)
{
	if (!t->have_time)
		return;
	prom_family(out, "bouncelog_log_first_timestamp_seconds", "gauge",
		    "Time of the oldest log line read, in seconds since 1970; "
		    "local time when the log gives no offset.");
	prom_sample_int(out, "bouncelog_log_first_timestamp_seconds", NULL, 0,
			logzone_utc(&t->first));
	prom_family(out, "bouncelog_log_last_timestamp_seconds", "gauge",
		    "Time of the newest log line read, in seconds since 1970; "
		    "local time when the log gives no offset.");
	prom_sample_int(out, "bouncelog_log_last_timestamp_seconds", NULL, 0,
			logzone_utc(&t->last));
}

static int
prometheus_write(FILE *out, const struct tally *t,
		 const struct report_options *opts)
{
	prom_family(out, "bouncelog_build_info", "gauge",
		    "The version of bouncelog that wrote these metrics; always "
		    "1.");
	sample1(out, "bouncelog_build_info", "version", BOUNCELOG_VERSION, 1);
	write_inputs(out, t);
	write_deliveries(out, t);
	write_dropped(out, t);
	write_failures(out, t);
	write_reasons(out, t);
	write_codes(out, t, opts->top);
	write_domains(out, t, opts->top);
	write_period(out, t);
	return ferror(out) ? -1 : 0;
}

const struct report_writer report_prometheus = {
	.name = "prometheus",
	.write = prometheus_write,
};
