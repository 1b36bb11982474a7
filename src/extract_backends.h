/* SPDX-License-Identifier: MIT */
/*
 * extract_backends.h - the extractor back ends, for the registry
 */
#ifndef BOUNCELOG_EXTRACT_BACKENDS_H
#define BOUNCELOG_EXTRACT_BACKENDS_H

#include "bouncelog/extract.h"

extern const struct extractor_backend extract_postfix;

#endif
