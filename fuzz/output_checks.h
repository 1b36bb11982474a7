/* SPDX-License-Identifier: MIT */
/*
 * output_checks.h - checks of the CSV, Prometheus and event outputs
 * shared by the fuzz targets
 *
 * Each check fails the run (see harness.h) when the output breaks the
 * format's rules; none of them needs the input it was made from.
 */
#ifndef BOUNCELOG_FUZZ_OUTPUT_CHECKS_H
#define BOUNCELOG_FUZZ_OUTPUT_CHECKS_H

#include <stddef.h>

/*
 * Check a CSV document in the RFC 4180 dialect.  Records end in CRLF and
 * contain no other CR or LF and no control byte.  They are valid UTF-8
 * and split into as many fields as the first record, and no field starts
 * with "=", "+", "-" or "@".
 */
void fuzz_check_csv_document(const char *what, const char *s, size_t len);

/*
 * Check a Prometheus text exposition: valid UTF-8 lines ending in LF,
 * each a "# HELP NAME ...", a "# TYPE NAME counter|gauge" or a sample
 * "NAME{LABELS} VALUE" whose family had its TYPE line.  Label values
 * use only the escapes \\, \" and \n, and contain no "@".  Counters end
 * in "_total".
 */
void fuzz_check_prometheus(const char *s, size_t len);

/*
 * Check one JSON Lines event record: a single line of valid JSON that is
 * an object with the given number of members.
 */
void fuzz_check_event_json(const char *s, size_t len, size_t fields);

#endif
