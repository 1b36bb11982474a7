/* SPDX-License-Identifier: MIT */
/*
 * fuzz_recognise.c - fuzz target: hand-written recognisers against PCRE2
 *
 * The input is a log of one or more lines.  The initializer loads the
 * built-in Postfix patterns twice, with the recognisers of
 * src/pattern_recognise.c and without.  Each line is matched by both as
 * it stands, and its message after a syslog header with that header's
 * daemon and as if an smtp daemon had logged it.  The target checks that
 * both give the same result, rule, number of groups and capture
 * offsets.
 */
#include <stdint.h>
#include <string.h>

#include "bouncelog/pattern.h"
#include "bouncelog/sysline.h"
#include "harness.h"

extern const char postfix_pat[];
extern const size_t postfix_pat_len;

static struct pattern_set *with;
static struct pattern_set *without;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	with = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	without = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	FUZZ_CHECK(with != NULL && without != NULL,
		   "the built-in Postfix patterns failed to load: %s",
		   fuzz_diag_last());
	pattern_set_use_recognisers(without, false);
	return 0;
}

/* compare - match s with both sets; they must agree */
static void
compare(struct span daemon, const char *s, size_t len)
{
	struct pattern_match a, b;
	enum pattern_result ra = pattern_set_match(with, daemon, s, len, &a);
	enum pattern_result rb = pattern_set_match(without, daemon, s, len, &b);

	FUZZ_CHECK(ra == rb, "result %d with recognisers, %d without",
		   (int)ra, (int)rb);
	if (ra != PATTERN_MATCH)
		return;
	FUZZ_CHECK(a.rule == b.rule ||
			   pattern_rule_line(a.rule) == pattern_rule_line(b.rule),
		   "rule of line %lu with recognisers, %lu without",
		   pattern_rule_line(a.rule), pattern_rule_line(b.rule));
	FUZZ_CHECK(a.ngroups == b.ngroups, "%u groups with recognisers, %u without",
		   a.ngroups, b.ngroups);
	for (unsigned g = 0; g < 2 * a.ngroups; g++)
		FUZZ_CHECK(a.ovector[g] == b.ovector[g],
			   "offset %u: %zu with recognisers, %zu without", g,
			   a.ovector[g], b.ovector[g]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sysline_year ref;
	size_t start = 0;

	sysline_year_end(&ref, 2024);
	while (start < size) {
		const char *nl = memchr(text + start, '\n', size - start);
		size_t len = nl != NULL ? (size_t)(nl - text) - start
					: size - start;
		const char *line = text + start;
		struct sysline hdr;

		compare(span_make("smtp", 4), line, len);
		if (sysline_parse(line, len, &ref, &hdr)) {
			compare(hdr.daemon, hdr.message.ptr, hdr.message.len);
			compare(span_make("smtp", 4), hdr.message.ptr,
				hdr.message.len);
		}
		start += len + 1;
	}
	return 0;
}
