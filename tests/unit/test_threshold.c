/* SPDX-License-Identifier: MIT */
/*
 * test_threshold.c - unit tests of the --fail-on conditions
 *
 * The grammar is checked with tables of valid conditions, with the fields
 * they parse to, and of invalid ones, with the whole error message.  The
 * decisions are checked on a tally whose counters are set by hand
 * (tally_impl.h exposes its layout), so that every metric has a known
 * value.  The rates there are 4 of 100, 5 of 100 and 30 of 129.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/tally.h"
#include "bouncelog/threshold.h"
#include "check.h"
#include "tally_impl.h"

struct parse_case {
	const char *text;
	const char *want_name;
	enum threshold_metric want_metric;
	const char *want_key;		/* "" when the metric has none */
	enum threshold_operator want_op;
	uint64_t want_value;
};

static const struct parse_case parse_cases[] = {
	{"deferred>1000", "deferred", METRIC_TOTAL, "", THRESHOLD_GT, 1000},
	{"rejected>=10", "rejected", METRIC_TOTAL, "", THRESHOLD_GE, 10},
	{"delivered<1", "delivered", METRIC_TOTAL, "", THRESHOLD_LT, 1},
	{"bounced<=0", "bounced", METRIC_TOTAL, "", THRESHOLD_LE, 0},
	{"expired==2", "expired", METRIC_TOTAL, "", THRESHOLD_EQ, 2},
	{"expired=2", "expired", METRIC_TOTAL, "", THRESHOLD_EQ, 2},
	{"forwarded!=0", "forwarded", METRIC_TOTAL, "", THRESHOLD_NE, 0},
	{" deferred_recipients > 5 ", "deferred_recipients", METRIC_TOTAL, "",
	 THRESHOLD_GT, 5},
	{"EXPIRED-MESSAGES>1", "EXPIRED-MESSAGES", METRIC_TOTAL, "",
	 THRESHOLD_GT, 1},
	{"failures>0", "failures", METRIC_FAILURES, "", THRESHOLD_GT, 0},
	{"reason:blocked>0", "reason:blocked", METRIC_REASON, "", THRESHOLD_GT,
	 0},
	{"code:550>100", "code:550", METRIC_REPLY_CODE, "550", THRESHOLD_GT,
	 100},
	{"code:5.7.1>3", "code:5.7.1", METRIC_ENHANCED_CODE, "5.7.1",
	 THRESHOLD_GT, 3},
	{"class:4xx>50", "class:4xx", METRIC_CLASS, "", THRESHOLD_GT, 50},
	{"class:5XX>=1", "class:5XX", METRIC_CLASS, "", THRESHOLD_GE, 1},
	{"domain:Gmail.COM>9", "domain:Gmail.COM", METRIC_DOMAIN, "gmail.com",
	 THRESHOLD_GT, 9},
	{"bounce-rate>5%", "bounce-rate", METRIC_BOUNCE_RATE, "", THRESHOLD_GT,
	 5000000},
	{"bounce_rate>=0.5%", "bounce_rate", METRIC_BOUNCE_RATE, "",
	 THRESHOLD_GE, 500000},
	{"failure-rate>2.123456%", "failure-rate", METRIC_FAILURE_RATE, "",
	 THRESHOLD_GT, 2123456},
	{"deferral-rate<100%", "deferral-rate", METRIC_DEFERRAL_RATE, "",
	 THRESHOLD_LT, 100000000},
	{"deferral-rate>0%", "deferral-rate", METRIC_DEFERRAL_RATE, "",
	 THRESHOLD_GT, 0},
	{"deferred>18446744073709551606", "deferred", METRIC_TOTAL, "",
	 THRESHOLD_GT, UINT64_C(18446744073709551606)},
};

static void
test_parse_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct threshold_list list = {0};
		char error[THRESHOLD_MESSAGE_MAX] = "";
		const struct threshold *th = &list.items[0];

		check_int(c->text, "ok",
			  threshold_parse(c->text, &list, error, sizeof error),
			  true);
		check_str(c->text, "error", error, "");
		check_int(c->text, "count", (long long)list.count, 1);
		check_str(c->text, "name", th->name, c->want_name);
		check_int(c->text, "metric", th->metric, c->want_metric);
		check_str(c->text, "key", th->key, c->want_key);
		check_int(c->text, "op", th->op, c->want_op);
		check_int(c->text, "value", (long long)th->value,
			  (long long)c->want_value);
	}
	finish_cases();
}

/* A reason name ignores case, as the metric name does. */
static void
test_parse_reason_case(void **state)
{
	static const char *const texts[] = {
		"reason:blocked>0", "REASON:BLOCKED>0", "Reason:Blocked>0"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		struct threshold_list list = {0};
		char error[THRESHOLD_MESSAGE_MAX] = "";

		check_int(texts[i], "ok",
			  threshold_parse(texts[i], &list, error,
					  sizeof error),
			  true);
		check_str(texts[i], "error", error, "");
		check_int(texts[i], "metric", list.items[0].metric,
			  METRIC_REASON);
		check_int(texts[i], "reason", list.items[0].reason,
			  REASON_BLOCKED);
	}
	finish_cases();
}

static void
test_parse_list(void **state)
{
	struct threshold_list list = {0};
	char error[THRESHOLD_MESSAGE_MAX] = "";

	(void)state;
	assert_true(threshold_parse("bounce-rate>5%, deferred>1000", &list,
				    error, sizeof error));
	assert_true(threshold_parse("reason:blocked>0", &list, error,
				    sizeof error));
	assert_int_equal(list.count, 3);
	assert_string_equal(list.items[0].text, "bounce-rate>5%");
	assert_string_equal(list.items[1].text, "deferred>1000");
	assert_string_equal(list.items[2].text, "reason:blocked>0");
	assert_int_equal(list.items[2].reason, REASON_BLOCKED);
}

static void
test_parse_limit(void **state)
{
	struct threshold_list list = {0};
	char error[THRESHOLD_MESSAGE_MAX] = "";

	(void)state;
	for (int i = 0; i < THRESHOLD_MAX; i++)
		assert_true(threshold_parse("deferred>1", &list, error,
					    sizeof error));
	assert_false(threshold_parse("deferred>1", &list, error, sizeof error));
	assert_string_equal(error, "more than 32 conditions");
	assert_int_equal(list.count, THRESHOLD_MAX);
}

struct reject_case {
	const char *text;
	const char *want_error;
};

#define UNKNOWN_METRIC                                                       \
	"unknown metric '%s'; use delivered, deferred, deferred-recipients, " \
	"soft-bounced, bounced, expired, expired-messages, rejected, "        \
	"reject-warnings, forwarded, notifications, failures, reason:NAME, "  \
	"code:CODE, class:4xx, class:5xx, domain:NAME, bounce-rate, "         \
	"failure-rate or deferral-rate"
#define NO_OPERATOR                                                          \
	"expected METRIC OPERATOR NUMBER, such as bounce-rate>5%, with one "  \
	"of the operators >, >=, <, <=, == and !="

static const struct reject_case reject_cases[] = {
	{"", "empty condition; give one such as bounce-rate>5%"},
	{" , deferred>1", "empty condition; give one such as bounce-rate>5%"},
	{"deferred>1,", "empty condition; give one such as bounce-rate>5%"},
	{"deferred", "condition 'deferred': " NO_OPERATOR},
	{">5", "condition '>5': " NO_OPERATOR},
	{"deferred!5", "condition 'deferred!5': " NO_OPERATOR},
	{"deferred=>5", "condition 'deferred=>5': invalid number '>5'; use a "
			"whole number such as 100"},
	{"deferred>", "condition 'deferred>': invalid number ''; use a whole "
		      "number such as 100"},
	{"deferred>-1", "condition 'deferred>-1': invalid number '-1'; use a "
			"whole number such as 100"},
	{"deferred>1.5", "condition 'deferred>1.5': invalid number '1.5'; use "
			 "a whole number such as 100"},
	{"deferred>18446744073709551616",
	 "condition 'deferred>18446744073709551616': invalid number "
	 "'18446744073709551616'; use a whole number such as 100"},
	{"deferred>5%", "condition 'deferred>5%': 'deferred' is a count; give "
			"a whole number without %, or use bounce-rate, "
			"failure-rate or deferral-rate"},
	{"bounces>1", "condition 'bounces>1': unknown metric 'bounces'; use "
		      "delivered, deferred, deferred-recipients, soft-bounced, "
		      "bounced, expired, expired-messages, rejected, "
		      "reject-warnings, forwarded, notifications, failures, "
		      "reason:NAME, code:CODE, class:4xx, class:5xx, "
		      "domain:NAME, bounce-rate, failure-rate or "
		      "deferral-rate"},
	{"bounce-rate>5", "condition 'bounce-rate>5': 'bounce-rate' is a rate; "
			  "give a percentage such as 5%"},
	{"bounce-rate>100.000001%", "condition 'bounce-rate>100.000001%': "
				    "invalid percentage '100.000001%'; use 0% "
				    "to 100% with at most 6 decimals"},
	{"bounce-rate>1.1234567%", "condition 'bounce-rate>1.1234567%': "
				   "invalid percentage '1.1234567%'; use 0% to "
				   "100% with at most 6 decimals"},
	{"bounce-rate>.5%", "condition 'bounce-rate>.5%': invalid percentage "
			    "'.5%'; use 0% to 100% with at most 6 decimals"},
	{"bounce-rate>5.%", "condition 'bounce-rate>5.%': invalid percentage "
			    "'5.%'; use 0% to 100% with at most 6 decimals"},
	{"bounce-rate>5%%", "condition 'bounce-rate>5%%': invalid percentage "
			    "'5%%'; use 0% to 100% with at most 6 decimals"},
	{"bounce-rate>10000%", "condition 'bounce-rate>10000%': invalid "
			       "percentage '10000%'; use 0% to 100% with at "
			       "most 6 decimals"},
	{"reason>0", "condition 'reason>0': 'reason' needs an argument, such "
		     "as reason:blocked, code:550, class:5xx or "
		     "domain:example.com"},
	{"domain:>0", "condition 'domain:>0': missing argument after "
		      "'domain:'"},
	{"deferred:x>0", "condition 'deferred:x>0': 'deferred:x' takes no "
			 "argument after ':'"},
	{"bounce-rate:x>1%", "condition 'bounce-rate:x>1%': 'bounce-rate:x' "
			     "takes no argument after ':'"},
	{"reason:delivered>0",
	 "condition 'reason:delivered>0': unknown reason 'delivered'; use one "
	 "of: greylisted, suppressed, mailboxfull, emailtoolarge, "
	 "toomanyrecipients, ratelimited, requireptr, authfailure, "
	 "failedstarttls, virusdetected, spamdetected, blocked, badreputation, "
	 "norelaying, rejected, suspend, hasmoved, userunknown, hostunknown, "
	 "notaccept, filtered, notcompliantrfc, contenterror, policyviolation, "
	 "securityerror, mailloop, dnserror, connectionerror, networkerror, "
	 "systemfull, systemerror, expired, mailererror, syntaxerror, onhold, "
	 "undefined"},
	{"code:999>0", "condition 'code:999>0': invalid code '999'; use a "
		       "reply code such as 550 or an enhanced code such as "
		       "5.7.1"},
	{"code:5.7.1.1>0", "condition 'code:5.7.1.1>0': invalid code "
			   "'5.7.1.1'; use a reply code such as 550 or an "
			   "enhanced code such as 5.7.1"},
	{"code:550x>0", "condition 'code:550x>0': invalid code '550x'; use a "
			"reply code such as 550 or an enhanced code such as "
			"5.7.1"},
	{"class:3xx>0", "condition 'class:3xx>0': invalid class '3xx'; use "
			"4xx or 5xx"},
	{"class:4>0", "condition 'class:4>0': invalid class '4'; use 4xx or "
		      "5xx"},
};

static void
test_reject_cases(void **state)
{
	char want[THRESHOLD_MESSAGE_MAX];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(reject_cases); i++) {
		const struct reject_case *c = &reject_cases[i];
		struct threshold_list list = {0};
		char error[THRESHOLD_MESSAGE_MAX] = "";

		snprintf(want, sizeof want, "%s", c->want_error);
		check_int(c->text, "ok",
			  threshold_parse(c->text, &list, error, sizeof error),
			  false);
		check_str(c->text, "error", error, want);
	}
	finish_cases();
}

static void
test_reject_unknown_metric(void **state)
{
	struct threshold_list list = {0};
	char error[THRESHOLD_MESSAGE_MAX] = "", want[THRESHOLD_MESSAGE_MAX];

	(void)state;
	assert_false(threshold_parse("rate>1", &list, error, sizeof error));
	snprintf(want, sizeof want, "condition 'rate>1': " UNKNOWN_METRIC,
		 "rate");
	assert_string_equal(error, want);
}

static void
test_reject_long_condition(void **state)
{
	struct threshold_list list = {0};
	char error[THRESHOLD_MESSAGE_MAX] = "";
	char text[THRESHOLD_TEXT_MAX + 8];

	(void)state;
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	assert_false(threshold_parse(text, &list, error, sizeof error));
	assert_string_equal(error, "condition longer than 255 bytes");
}

/* fill_tally - the counts that the decision cases are written against */
static void
fill_tally(struct tally *t)
{
	struct domain_stat *d;

	t->delivered = 95;
	t->bounced = 4;
	t->expired = 1;
	t->deferred = 30;
	t->deferred_unique = 10;
	t->rejected = 10;
	t->failures = 45;
	t->reasons[REASON_BLOCKED].count = 3;
	*(uint64_t *)strmap_get_or_add(t->reply_codes, "550", 3) = 7;
	*(uint64_t *)strmap_get_or_add(t->enh_codes, "5.7.1", 5) = 2;
	t->outbound[0].count = 30;
	t->inbound[0].count = 2;
	t->outbound[1].count = 4;
	t->inbound[1].count = 8;
	d = strmap_get_or_add(t->domains, "example.net", 11);
	d->deferred = 5;
	d->bounced = 2;
	d->expired = 1;
	d->rejected = 1;
	d->delivered = 40;
}

struct decision_case {
	const char *text;
	bool want_holds;
	uint64_t want_value;
	const char *want_description;
};

static const struct decision_case decision_cases[] = {
	{"bounce-rate>4%", false, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate>=4%", true, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate==4%", true, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate!=4%", false, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate>3.999999%", true, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate<4.000001%", true, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"bounce-rate<=3.999999%", false, 4, "bounce-rate is 4.00% (4 of 100)"},
	{"failure-rate>=5%", true, 5, "failure-rate is 5.00% (5 of 100)"},
	{"failure-rate>5%", false, 5, "failure-rate is 5.00% (5 of 100)"},
	{"deferral-rate>23.255813%", true, 30,
	 "deferral-rate is 23.26% (30 of 129)"},
	{"deferral-rate>23.255814%", false, 30,
	 "deferral-rate is 23.26% (30 of 129)"},
	{"deferred>1000", false, 30, "deferred is 30"},
	{"deferred>29", true, 30, "deferred is 30"},
	{"deferred!=30", false, 30, "deferred is 30"},
	{"deferred-recipients=10", true, 10, "deferred-recipients is 10"},
	{"rejected>=10", true, 10, "rejected is 10"},
	{"failures>44", true, 45, "failures is 45"},
	{"reason:blocked>0", true, 3, "reason:blocked is 3"},
	{"reason:greylisted>0", false, 0, "reason:greylisted is 0"},
	{"code:550>=7", true, 7, "code:550 is 7"},
	{"code:5.7.1>2", false, 2, "code:5.7.1 is 2"},
	{"code:551<1", true, 0, "code:551 is 0"},
	{"class:4xx==32", true, 32, "class:4xx is 32"},
	{"class:5XX==12", true, 12, "class:5XX is 12"},
	{"domain:Example.NET==9", true, 9, "domain:Example.NET is 9"},
	{"domain:nowhere.example>0", false, 0, "domain:nowhere.example is 0"},
};

static void
test_decision_cases(void **state)
{
	struct tally *t = tally_new();

	(void)state;
	fill_tally(t);
	for (size_t i = 0; i < ARRAY_LEN(decision_cases); i++) {
		const struct decision_case *c = &decision_cases[i];
		struct threshold_list list = {0};
		struct threshold_result res;
		char error[THRESHOLD_MESSAGE_MAX] = "";
		char text[THRESHOLD_MESSAGE_MAX];

		check_int(c->text, "parsed",
			  threshold_parse(c->text, &list, error, sizeof error),
			  true);
		threshold_check(&list.items[0], t, &res);
		check_int(c->text, "holds", res.holds, c->want_holds);
		check_int(c->text, "defined", res.defined, true);
		check_int(c->text, "value", (long long)res.value,
			  (long long)c->want_value);
		check_str(c->text, "description",
			  threshold_describe(&list.items[0], &res, text,
					     sizeof text),
			  c->want_description);
	}
	tally_free(t);
	finish_cases();
}

static void
test_undefined_rate(void **state)
{
	struct tally *t = tally_new();
	struct threshold_list list = {0};
	struct threshold_result res;
	char error[THRESHOLD_MESSAGE_MAX] = "", text[THRESHOLD_MESSAGE_MAX];

	(void)state;
	assert_true(threshold_parse("bounce-rate<1%", &list, error,
				    sizeof error));
	threshold_check(&list.items[0], t, &res);
	assert_false(res.defined);
	assert_false(res.holds);
	assert_string_equal(threshold_describe(&list.items[0], &res, text,
					       sizeof text),
			    "bounce-rate is undefined (0 of 0)");
	tally_free(t);
}

/* The exact comparison must not overflow: 10^18 of 2 * 10^18 is 50%. */
static void
test_rate_large_counts(void **state)
{
	struct tally *t = tally_new();
	struct threshold_list list = {0};
	struct threshold_result res;
	char error[THRESHOLD_MESSAGE_MAX] = "";

	(void)state;
	t->bounced = UINT64_C(1000000000000000000);
	t->delivered = UINT64_C(1000000000000000000);
	assert_true(threshold_parse("bounce-rate==50%,bounce-rate>49.999999%,"
				    "bounce-rate<50.000001%",
				    &list, error, sizeof error));
	for (size_t i = 0; i < list.count; i++) {
		threshold_check(&list.items[i], t, &res);
		check_int(list.items[i].text, "holds", res.holds, true);
	}
	tally_free(t);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_parse_reason_case),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_limit),
		cmocka_unit_test(test_reject_cases),
		cmocka_unit_test(test_reject_unknown_metric),
		cmocka_unit_test(test_reject_long_condition),
		cmocka_unit_test(test_decision_cases),
		cmocka_unit_test(test_undefined_rate),
		cmocka_unit_test(test_rate_large_counts),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("threshold", tests, NULL, NULL);
}
