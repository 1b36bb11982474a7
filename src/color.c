/* SPDX-License-Identifier: MIT */
/*
 * color.c - whether the text report is coloured
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bouncelog/color.h"

bool
color_parse(const char *text, enum color_mode *mode)
{
	if (strcmp(text, "auto") == 0)
		*mode = COLOR_AUTO;
	else if (strcmp(text, "always") == 0)
		*mode = COLOR_ALWAYS;
	else if (strcmp(text, "never") == 0)
		*mode = COLOR_NEVER;
	else
		return false;
	return true;
}

bool
color_enabled(enum color_mode mode, int fd)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if (no_color != NULL && no_color[0] != '\0')
		return false;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}
