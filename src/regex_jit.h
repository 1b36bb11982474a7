/* SPDX-License-Identifier: MIT */
/*
 * regex_jit.h - PCRE2's JIT for an expression, compiled when it first runs
 *
 * The extractor rules (pattern.c) and the classifier's expressions
 * (classify.c) are compiled when their files are read, so that a syntax
 * error is reported at once.  The JIT compiles each only before its
 * first match: a log of one format runs few of the built-in rules, and
 * the classifier runs only the phrases whose literals a reply contains.
 * Compiling them all took most of the start-up.  An expression belongs
 * to one thread's rules, so no other thread reads it while the JIT
 * changes it.  Include after <pcre2.h>.
 */
#ifndef BOUNCELOG_REGEX_JIT_H
#define BOUNCELOG_REGEX_JIT_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Whether an expression runs as JIT code. */
enum regex_jit {
	REGEX_JIT_UNTRIED,	/* JIT wanted, not compiled yet */
	REGEX_JIT_YES,		/* compiled: pcre2_jit_match() runs it */
	REGEX_JIT_NO		/* the interpreter runs it */
};

/*
 * regex_jit_first - the state of an expression just compiled.
 * BOUNCELOG_PCRE2_JIT=0 selects the interpreter, because valgrind cannot
 * follow JIT code and reports false errors in it.
 */
static inline enum regex_jit
regex_jit_first(void)
{
	const char *v = getenv("BOUNCELOG_PCRE2_JIT");

	return v == NULL || strcmp(v, "0") != 0 ? REGEX_JIT_UNTRIED
						 : REGEX_JIT_NO;
}

/*
 * regex_jit_ready - compile code by the JIT on its first run; true when
 * pcre2_jit_match() may run it.  Without JIT support, or memory for it,
 * the interpreter runs the code, and the JIT is not tried again.
 */
static inline bool
regex_jit_ready(pcre2_code *code, enum regex_jit *state)
{
	if (*state == REGEX_JIT_UNTRIED)
		*state = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0
			     ? REGEX_JIT_YES
			     : REGEX_JIT_NO;
	return *state == REGEX_JIT_YES;
}

#endif
