/* SPDX-License-Identifier: MIT */
/*
 * extract_backends.h - the extractor back ends, for the registry
 */
#ifndef BOUNCELOG_EXTRACT_BACKENDS_H
#define BOUNCELOG_EXTRACT_BACKENDS_H

#include "bouncelog/extract.h"

extern const struct extractor_backend extract_postfix;
extern const struct extractor_backend extract_exim;
extern const struct extractor_backend extract_sendmail;
extern const struct extractor_backend extract_opensmtpd;
extern const struct extractor_backend extract_exchange;

#endif
