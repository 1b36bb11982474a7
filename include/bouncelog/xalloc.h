/* SPDX-License-Identifier: MIT */
/*
 * xalloc.h - allocation wrappers that end the program on exhaustion
 *
 * bouncelog is a command-line tool, so running out of memory is fatal in
 * exactly one place: these wrappers print "bouncelog: out of memory" to
 * stderr and exit with status 1.  Every other module may assume that an
 * allocation through them succeeded.
 */
#ifndef BOUNCELOG_XALLOC_H
#define BOUNCELOG_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);

/* Resize an array of count elements of size bytes, checking the product. */
void *xreallocarray(void *ptr, size_t count, size_t size);

char *xstrdup(const char *s);

/* Copy len bytes of s into a new NUL-terminated string; s may hold NULs. */
char *xstrndup(const char *s, size_t len);

#endif
