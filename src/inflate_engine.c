/* SPDX-License-Identifier: MIT */
/*
 * inflate_engine.c - the reasons shared by both inflate engines
 */
#include "bouncelog/i18n.h"
#include "inflate_engine.h"

const char *
inflate_fault_reason(enum inflate_fault fault)
{
	switch (fault) {
	case INFLATE_FAULT_HEADER:
		return _("invalid header");
	case INFLATE_FAULT_METHOD:
		return _("unknown compression method");
	case INFLATE_FAULT_BLOCK:
		return _("invalid block");
	case INFLATE_FAULT_CODE:
		return _("invalid code");
	case INFLATE_FAULT_CRC:
		return _("CRC-32 mismatch");
	case INFLATE_FAULT_LENGTH:
		return _("length mismatch");
	case INFLATE_FAULT_OTHER:
		break;
	}
	return _("damaged data");
}
