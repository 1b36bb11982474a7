/* SPDX-License-Identifier: MIT */
/*
 * color.h - whether the text report is coloured, and its colours
 *
 * --color=auto (the default) colours the report only when standard output
 * is a terminal, NO_COLOR is unset or empty, and TERM is not "dumb".
 * --color=always and --color=never decide alone, so an explicit option
 * overrides NO_COLOR.  The example program at no-color.org does the same:
 * it reads NO_COLOR first and lets options turn colour back on.  Colours
 * are ECMA-48 SGR sequences, which take no column on a terminal.
 */
#ifndef BOUNCELOG_COLOR_H
#define BOUNCELOG_COLOR_H

#include <stdbool.h>

enum color_mode {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

/* SGR sequences of the text report. */
#define COLOR_BOLD "\033[1m"
#define COLOR_RED "\033[31m"
#define COLOR_YELLOW "\033[33m"
#define COLOR_RESET "\033[0m"

/* Parse "auto", "always" or "never" into *mode; false for other text. */
bool color_parse(const char *text, enum color_mode *mode);

/* True when output on the descriptor fd is to be coloured in mode. */
bool color_enabled(enum color_mode mode, int fd);

#endif
