/* SPDX-License-Identifier: MIT */
/*
 * run_classify.c - bouncelog --classify: one verdict per SMTP response
 *
 * Each TEXT argument, or each line of standard input when there is none,
 * is classified as one SMTP response with no log context.  The text
 * output has one line per input with the tab-separated fields reply
 * code, enhanced code, reason, kind and evidence, each empty when there
 * is none; the JSON output has one object per line (JSON Lines).
 */
#include <string.h>

#include "bouncelog/classify.h"
#include "bouncelog/diag.h"
#include "bouncelog/escape.h"
#include "bouncelog/output.h"
#include "bouncelog/reader.h"
#include "bouncelog/run.h"

/* The output stream and format of the verdicts. */
struct verdict_out {
	FILE *out;
	bool json;
	enum lang lang;
};

/* class_name - the protocol class as a word, or NULL */
static const char *
class_name(unsigned char cls)
{
	switch (cls) {
	case 2:
		return "success";
	case 4:
		return "temporary";
	case 5:
		return "permanent";
	default:
		return NULL;
	}
}

/* json_string - "key": "value" or "key": null, after a separator */
static void
json_string(FILE *out, const char *key, const char *value, size_t len)
{
	fprintf(out, ", \"%s\": ", key);
	if (value == NULL)
		fputs("null", out);
	else
		escape_json(out, value, len);
}

/* json_cstr - json_string() for a C string; "" counts as null */
static void
json_cstr(FILE *out, const char *key, const char *value)
{
	json_string(out, key, value && value[0] ? value : NULL,
		    value ? strlen(value) : 0);
}

static void
write_json(const struct verdict_out *v, const struct event *ev,
	   const char *reply, const char *enh)
{
	const struct classification *c = &ev->classification;
	FILE *out = v->out;

	fputs("{\"input\": ", out);
	escape_json(out, ev->text.ptr, ev->text.len);
	json_cstr(out, "reply_code", reply);
	json_cstr(out, "enhanced_code", enh);
	json_cstr(out, "reason", reason_name(c->reason));
	json_cstr(out, "kind", bounce_kind_name(c->kind));
	json_cstr(out, "evidence", c->evidence);
	json_cstr(out, "class", class_name(c->cls));
	fprintf(out, ", \"class_mismatch\": %s",
		c->class_mismatch ? "true" : "false");
	json_cstr(out, "stage", smtp_stage_name(c->stage));
	json_cstr(out, "provider", c->provider);
	json_string(out, "cause", c->cause.ptr, c->cause.len);
	json_cstr(out, "label", reason_label(c->reason, v->lang));
	json_cstr(out, "advice", reason_advice(c->reason, v->lang));
	fputs("}\n", out);
}

/* write_verdict - classify one text and print the result */
static void
write_verdict(const struct verdict_out *v, struct classify_rules *rules,
	      const char *text, size_t len)
{
	struct event ev;
	char reply[8] = "", enh[ENH_STATUS_LEN] = "";

	classify_text(rules, text, len, &ev);
	if (ev.reply_code != 0)
		snprintf(reply, sizeof reply, "%03u",
			 (unsigned)ev.reply_code % 1000);
	if (enh_status_present(&ev.reply_enh))
		status_format_enhanced(&ev.reply_enh, enh);
	if (v->json) {
		write_json(v, &ev, reply, enh);
		return;
	}
	fprintf(v->out, "%s\t%s\t%s\t%s\t%s\n", reply, enh,
		reason_name(ev.classification.reason),
		bounce_kind_name(ev.classification.kind),
		ev.classification.evidence);
}

/* classify_input - every line of standard input; false on a read error */
static bool
classify_input(const struct verdict_out *v, struct classify_rules *rules)
{
	struct reader *rd = reader_open("-");
	struct reader_line line;
	enum reader_result rc;

	if (rd == NULL)
		return false;
	while ((rc = reader_next(rd, &line)) == READER_LINE)
		write_verdict(v, rules, line.text, line.len);
	reader_close(rd);
	return rc != READER_ERROR;
}

int
run_classify(const struct options *opts, FILE *out)
{
	struct verdict_out v = {out, strcmp(opts->format, "json") == 0,
				opts->lang};
	struct classify_rules *rules;
	int status = EXIT_OK;

	if (reasons_init() != 0)
		return EXIT_INPUT;
	rules = classify_rules_load(opts->pattern_dir, NULL);
	if (rules == NULL)
		return EXIT_INPUT;

	if (opts->nfiles == 0) {
		if (!classify_input(&v, rules))
			status = EXIT_INPUT;
	}
	for (int i = 0; i < opts->nfiles; i++)
		write_verdict(&v, rules, opts->files[i],
			      strlen(opts->files[i]));

	/* A rule that failed to compile was skipped and reported. */
	if ((ferror(out) && !output_stream_closed(out)) ||
	    diag_error_count() > 0)
		status = EXIT_INPUT;
	classify_rules_free(rules);
	return status;
}
