/* SPDX-License-Identifier: MIT */
/*
 * test_namemask.c - unit tests of the masking of names in reply texts
 *
 * One table of texts with the text that the classifier's phrases then
 * see: names, IPv4 addresses and URLs masked, and words, codes,
 * Exchange tags and sentences kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/namemask.h"
#include "check.h"

struct mask_case {
	const char *name;
	const char *text;
	const char *want;
};

static const struct mask_case cases[] = {
    {"host name", "451 4.4.0 dane.example.net: try later",
     "451 4.4.0 []: try later"},
    {"after equals sign", "name=dane.example.net failed",
     "name=[] failed"},
    {"two labels", "relay via tls.net refused", "relay via [] refused"},
    {"upper case name", "MX.EXAMPLE.COM said no", "[] said no"},
    {"sentence end dot", "checked by spf.example.org.",
     "checked by []."},
    {"hyphen and underscore", "_dmarc.mail-gw.example.com policy",
     "[] policy"},
    {"IPv4 address", "client 192.0.2.25 blocked", "client [] blocked"},
    {"https URL", "see https://dns.example.com/help?x=tls now",
     "see [] now"},
    {"URL in brackets", "see <http://spam.example/a> ok", "see <[]> ok"},
    {"enhanced code kept", "550 5.7.1 denied", "550 5.7.1 denied"},
    {"version kept", "Exim 4.97.1 here", "Exim 4.97.1 here"},
    {"exchange tag kept", "RESOLVER.ADR.RecipNotFound; not found",
     "RESOLVER.ADR.RecipNotFound; not found"},
    {"capitalised sentence kept", "TLS failed.Please retry",
     "TLS failed.Please retry"},
    {"lower-case sentence kept", "try again later.thanks",
     "try again later.thanks"},
    {"upper-case exchange tag kept", "RESOLVER.ADR.RECIPNOTFOUND",
     "RESOLVER.ADR.RECIPNOTFOUND"},
    {"mixed-case name", "MX.Example.COM said no", "[] said no"},
    {"country code", "relay tls.example.de down", "relay [] down"},
    {"generic domain", "from dns.example.email", "from []"},
    {"one-letter top label kept", "e.g. starttls", "e.g. starttls"},
    {"digit top label kept", "mx.example.123 tls", "mx.example.123 tls"},
    {"double dot kept", "a..example.com", "a..example.com"},
    {"five digit groups kept", "1.2.3.4.5 dane", "1.2.3.4.5 dane"},
    {"word with digits kept", "x5si7 - gsmtp", "x5si7 - gsmtp"},
    {"IPv6 with a gap", "endpoint 2001:db8:4779::7dc:25 refused",
     "endpoint [] refused"},
    {"IPv6 in brackets and a port", "connect to [2001:db8::bad]:25: timeout",
     "connect to [[]]:25: timeout"},
    {"IPv6 of eight groups", "from 2001:0db8:0:0:0:ff00:42:8329.",
     "from []."},
    {"IPv6 before a colon", "host fe80::1: refused", "host []: refused"},
    {"IPv6 gap first", "bound to ::1 only", "bound to [] only"},
    {"clock time kept", "at 10:06:40 dead", "at 10:06:40 dead"},
    {"seven groups kept", "1:2:3:4:5:6:7 x", "1:2:3:4:5:6:7 x"},
    {"two gaps kept", "1::2::3 x", "1::2::3 x"},
    {"five-digit group kept", "2001:db8::12345 x", "2001:db8::12345 x"},
    {"no group after the gap kept", "std::vector and a::", "std::vector and a::"},
    {"gap last kept", "fe80:: x", "fe80:: x"},
    {"joined by a colon kept", "id:2001:db8::1", "id:2001:db8::1"},
    {"address literal", "user@[IPv6:2001:db8::bad] rejected",
     "user@[IPv6:[]] rejected"},
    {"address literal tag in lower case", "client ipv6:2001:db8::dead:bad helo",
     "client ipv6:[] helo"},
    {"tag inside a word kept", "xIPv6:2001:db8::1", "xIPv6:2001:db8::1"},
    {"colon after a blank", "to :2001:db8::1 x", "to :[] x"},
    {"colon after a bracket", "[fe80::1]:2001:db8::2 x", "[[]]:[] x"},
    {"colon first", ":2001:db8::1 x", ":[] x"},
    {"run of two addresses kept", "2001:db8::1::2 x", "2001:db8::1::2 x"},
    {"port after eight groups", "was 2001:db8:1:2:3:4:5:6:25",
     "was []"},
    {"port after seven groups and a gap", "was 2001:db8:1:2:3:4::5:25",
     "was []"},
    {"port of five digits", "was 2001:db8::1:65535 x", "was [] x"},
    {"five digits inside kept", "2001:db8::12345:1 x", "2001:db8::12345:1 x"},
    {"five hex digits last kept", "2001:db8::abcde x", "2001:db8::abcde x"},
    {"nine groups with a gap kept", "1:2:3:4:5:6:7::8:9 x",
     "1:2:3:4:5:6:7::8:9 x"},
    {"dots after an address", "at fe80::1... x", "at []... x"},
    {"dot and hyphen after an address", "at fe80::1.- x", "at [].- x"},
    {"IPv4 tail kept", "at ::ffff:192.0.2.1 x", "at ::ffff:[] x"},
    {"followed by a word kept", "2001:db8::1x", "2001:db8::1x"},
    {"empty", "", ""},
};

static void
test_mask_cases(void **state)
{
	char out[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct mask_case *c = &cases[i];
		size_t n = namemask_apply(out, c->text, strlen(c->text));

		check_str(c->name, "text", out, c->want);
		check_int(c->name, "length", (long long)n,
			  (long long)strlen(c->want));
	}
	finish_cases();
}

/* Every label length from 1 to 64, so LABEL_MAX is on both sides. */
static void
test_label_lengths(void **state)
{
	char text[128], out[128], name[32];

	(void)state;
	for (size_t len = 1; len <= 64; len++) {
		memset(text, 'a', len);
		memcpy(text + len, ".example", 9);
		namemask_apply(out, text, strlen(text));
		snprintf(name, sizeof name, "label of %zu bytes", len);
		check_str(name, "text", out, len <= 63 ? "[]" : text);
	}
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_cases),
		cmocka_unit_test(test_label_lengths),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("namemask", tests, NULL, NULL);
}
