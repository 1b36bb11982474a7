/* SPDX-License-Identifier: MIT */
/*
 * fuzz_recognise.c - fuzz target: recognisers and prefilters against PCRE2
 *
 * The input is a log of one or more lines.  The initializer loads the
 * built-in Postfix and Exim patterns twice each: as in use, and without
 * the recognisers of src/pattern_recognise.c and the prefilters of
 * src/pattern.c, so that PCRE2 alone runs every rule.  Each line is matched by both
 * sets of each format from its start and from after each of its first
 * blanks, and a Postfix message after a syslog header also with that
 * header's daemon.  The target checks that both give the same result,
 * rule, number of groups and capture offsets.
 */
#include <stdint.h>
#include <string.h>

#include "bouncelog/pattern.h"
#include "bouncelog/sysline.h"
#include "harness.h"

extern const char postfix_pat[];
extern const size_t postfix_pat_len;
extern const char exim_pat[];
extern const size_t exim_pat_len;

/* Blanks of a line after which it is matched again. */
#define SUFFIXES 6

/* The sets of Postfix ([0]) and Exim ([1]) as in use and with PCRE2
 * alone. */
static struct pattern_set *with[2];
static struct pattern_set *without[2];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_diag_capture();
	with[0] = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	without[0] = pattern_set_parse(postfix_pat, postfix_pat_len, "postfix");
	with[1] = pattern_set_parse(exim_pat, exim_pat_len, "exim");
	without[1] = pattern_set_parse(exim_pat, exim_pat_len, "exim");
	for (size_t i = 0; i < 2; i++) {
		FUZZ_CHECK(with[i] != NULL && without[i] != NULL,
			   "the built-in patterns failed to load: %s",
			   fuzz_diag_last());
		pattern_set_use_recognisers(without[i], false);
		pattern_set_use_prefilters(without[i], false);
	}
	return 0;
}

/* compare - match s with both sets of format f; they must agree */
static void
compare(size_t f, struct span daemon, const char *s, size_t len)
{
	struct pattern_match a, b;
	enum pattern_result ra = pattern_set_match(with[f], daemon, s, len, &a);
	enum pattern_result rb =
	    pattern_set_match(without[f], daemon, s, len, &b);

	FUZZ_CHECK(ra == rb, "result %d with recognisers, %d without",
		   (int)ra, (int)rb);
	if (ra != PATTERN_MATCH)
		return;
	FUZZ_CHECK(pattern_rule_line(a.rule) == pattern_rule_line(b.rule),
		   "rule of line %lu with recognisers, %lu without",
		   pattern_rule_line(a.rule), pattern_rule_line(b.rule));
	FUZZ_CHECK(a.ngroups == b.ngroups,
		   "%u groups with recognisers, %u without", a.ngroups,
		   b.ngroups);
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
		size_t starts = 0;

		for (size_t i = 0; i <= len && starts < SUFFIXES; i++) {
			if (i > 0 && line[i - 1] != ' ')
				continue;
			compare(0, span_make("smtp", 4), line + i, len - i);
			compare(1, span_make("exim", 4), line + i, len - i);
			starts++;
		}
		if (sysline_parse(line, len, &ref, &hdr))
			compare(0, hdr.daemon, hdr.message.ptr,
				hdr.message.len);
		start += len + 1;
	}
	return 0;
}
