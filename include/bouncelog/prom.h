/* SPDX-License-Identifier: MIT */
/*
 * prom.h - the Prometheus text exposition format, version 0.0.4
 *
 * This is the format that node_exporter's textfile collector reads.  A
 * metric family is a "# HELP" line, a "# TYPE" line and its samples:
 *
 *	# HELP bouncelog_failures_total Delivery failures and rejections.
 *	# TYPE bouncelog_failures_total counter
 *	bouncelog_failures_total{direction="outbound",class="4xx"} 3
 *
 * Label values can be log-derived, so prom_sample() escapes them as the
 * format requires: backslash as \\, double quote as \" and line feed as
 * \n.  It writes U+FFFD for every byte that is not valid UTF-8 and for
 * every other C0 control, DEL, C1 control and bidirectional control
 * (utf8_is_bidi_control()).  Metric and label names
 * are the caller's constants and must match the format's grammar.
 */
#ifndef BOUNCELOG_PROM_H
#define BOUNCELOG_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A label of a sample; value is len bytes, any bytes. */
struct prom_label {
	const char *name;
	const char *value;
	size_t len;
};

/* A label whose value is a NUL-terminated string. */
static inline struct prom_label
prom_label_str(const char *name, const char *value)
{
	struct prom_label l = {name, value, 0};

	while (value[l.len] != '\0')
		l.len++;
	return l;
}

/*
 * Write the "# HELP" and "# TYPE" lines of a family.  type is "counter"
 * or "gauge"; help is English text, escaped as the format requires.
 */
void prom_family(FILE *out, const char *name, const char *type,
		 const char *help);

/* Write one sample line: name, the n labels (none when n is 0), value. */
void prom_sample(FILE *out, const char *name, const struct prom_label *labels,
		 size_t n, uint64_t value);

/* The same with a signed value, for timestamps. */
void prom_sample_int(FILE *out, const char *name,
		     const struct prom_label *labels, size_t n, int64_t value);

/* Write s (len bytes) as a quoted label value. */
void prom_label_value(FILE *out, const char *s, size_t len);

/* True when name matches [a-zA-Z_:][a-zA-Z0-9_:]* (a metric name). */
bool prom_valid_metric_name(const char *name);

/* True when name matches [a-zA-Z_][a-zA-Z0-9_]* and does not start with
 * "__", which the format reserves. */
bool prom_valid_label_name(const char *name);

#endif
