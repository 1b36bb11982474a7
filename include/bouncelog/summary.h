/* SPDX-License-Identifier: MIT */
/*
 * summary.h - read a JSON summary back into a tally
 *
 * A summary is the output of --format=json (doc/json-schema.md), as a
 * plain or gzip file.  summary_load() reads one into a new tally, which
 * tally_merge() can then add to others: this is how --merge combines the
 * summaries of many servers or days.
 *
 * The reader is strict.  The text must be valid JSON (json.h) of at most
 * SUMMARY_SIZE_MAX bytes after decompression, with schema version
 * REPORT_JSON_SCHEMA_VERSION, every member the schema lists, and counts
 * that agree with each other where the schema says they do (lines =
 * recognized + unrecognized, a reason's count = its deferrals, bounces,
 * expiries and rejections, the bounds of each top-list summary, no more
 * queue_ids_dropped_deferred than queue_ids_dropped).  Only the totals
 * queue_ids_dropped and queue_ids_dropped_deferred may be missing, and
 * then count 0, because summaries written before they were added lack
 * them.  Members the schema does not list are ignored, because a later bouncelog may
 * add some within the same schema version.  Texts that depend on the
 * report language (labels, advice, descriptions) and the derived
 * "reasons" object are not read: the merged report writes them again.
 *
 * Errors are reported through diag as
 *	bouncelog: FILE:LINE:COL: invalid summary: PATH: MESSAGE (byte offset N)
 * where PATH names the member, such as outbound[1].domains.items[3].count,
 * and the offset counts bytes of the decompressed text.
 */
#ifndef BOUNCELOG_SUMMARY_H
#define BOUNCELOG_SUMMARY_H

#include "bouncelog/tally.h"

/* Largest summary read, in bytes after decompression. */
#define SUMMARY_SIZE_MAX (64 * 1024 * 1024)

/* Longest key of a breakdown read, in bytes: a 255-byte key whose bytes
 * were not UTF-8 is written with 3 bytes for each of them. */
#define SUMMARY_KEY_MAX 1024

/* Longest example line read, in bytes, for the same reason. */
#define SUMMARY_EXAMPLE_MAX (3 * TALLY_EXAMPLE_MAX)

/*
 * Read the summary at path ("-" is standard input) into a new tally,
 * owned by the caller.  Each input of the summary is marked with path as
 * its summary, unless it already names the summary it came from.
 * Returns NULL after one error diagnostic.
 */
struct tally *summary_load(const char *path);

/* Parse the len bytes of text as a summary read from path; the same as
 * summary_load() without the file.  For tests and fuzzers. */
struct tally *summary_parse(const char *text, size_t len, const char *path);

#endif
