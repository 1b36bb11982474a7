/* SPDX-License-Identifier: MIT */
/*
 * lang.h - report languages
 */
#ifndef BOUNCELOG_LANG_H
#define BOUNCELOG_LANG_H

enum lang {
	LANG_EN,
	LANG_TR,
	LANG_COUNT
};

#endif
