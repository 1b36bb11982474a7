/* SPDX-License-Identifier: MIT */
/*
 * summary_impl.h - the state and helpers shared by the summary readers
 *
 * summary.c reads the file, the inputs, totals and per-domain table;
 * summary_failures.c reads the failure reasons and the classes.  Every
 * helper that finds something wrong reports it with summary_fail() and returns
 * false or NULL, and the callers stop at the first error.
 */
#ifndef BOUNCELOG_SUMMARY_IMPL_H
#define BOUNCELOG_SUMMARY_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bouncelog/json.h"
#include "tally_impl.h"

/* Maximum length of the member path kept for messages; a longer one is
 * cut. */
#define SUMMARY_PATH_MAX 200

struct loader {
	const char *file;	/* the summary's name, for messages */
	const char *text;	/* the decoded text, for line and column */
	size_t len;
	struct tally *t;	/* the tally being filled */
	char path[SUMMARY_PATH_MAX];	/* member being read, such as
					 * "outbound[1].domains" */
	size_t path_len;
};

/* A count member and where it goes in a struct. */
struct count_field {
	const char *name;
	size_t offset;		/* of a uint64_t */
};

/*
 * Report what is wrong with v, which is member (or, when member is NULL,
 * the value at the current path), as "invalid summary" with its place.
 * Returns false.
 */
bool summary_fail(struct loader *ld, const struct json_value *v, const char *member,
	  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Append ".member" or "[index]" (index >= 0) to the path; returns the
 * length to give back to summary_path_pop(). */
size_t summary_path_push(struct loader *ld, const char *member, long index);
void summary_path_pop(struct loader *ld, size_t len);

/* The member of object obj of the given type, or NULL after an error
 * when it is missing or of another type. */
const struct json_value *summary_get(struct loader *ld, const struct json_value *obj,
			     const char *member, enum json_type type);

/* A count: v must be a non-negative integer below 2^64. */
bool summary_count(struct loader *ld, const struct json_value *v,
	      const char *member, uint64_t *out);

/* The count member of obj. */
bool summary_get_count(struct loader *ld, const struct json_value *obj,
	       const char *member, uint64_t *out);

/* Read each of the n count fields of obj into the struct at base. */
bool summary_get_counts(struct loader *ld, const struct json_value *obj, void *base,
		const struct count_field *fields, size_t n);

/* A string without NUL bytes of at most max bytes, as a C string. */
const char *summary_text(struct loader *ld, const struct json_value *v,
		    const char *member, size_t max);

/* A key of a breakdown: any bytes, at most SUMMARY_KEY_MAX of them. */
bool summary_key(struct loader *ld, const struct json_value *v,
	    const char *member);

/*
 * Check that key is a code key the tally writes: three digits, an
 * enhanced status code in the form of status_format_enhanced(), or
 * TALLY_OTHER_KEY.
 */
bool summary_code_key_valid(const char *key, size_t len);

/* Read an array of up to TALLY_EXAMPLES distinct example lines into
 * examples (and, when reasons is not NULL, their reasons from the array
 * member reasons_member of obj). */
bool summary_get_examples(struct loader *ld, const struct json_value *obj,
		  char *examples[TALLY_EXAMPLES],
		  unsigned char reasons[TALLY_EXAMPLES],
		  const char *reasons_member);

/* Read the failure reasons and the class objects (summary_failures.c). */
bool summary_read_reasons(struct loader *ld, const struct json_value *root);
bool summary_read_classes(struct loader *ld, const struct json_value *root);

#endif
