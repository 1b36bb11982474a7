/* SPDX-License-Identifier: MIT */
/*
 * threshold.c - the --fail-on conditions on a finished tally
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/status.h"
#include "bouncelog/threshold.h"
#include "tally_impl.h"

/* A rate's threshold is kept in millionths of a percent. */
#define RATE_SCALE UINT64_C(1000000)
#define RATE_DECIMALS 6

/* The counts of the totals, by the names that conditions use. */
static const struct {
	const char *name;
	size_t offset;		/* of a uint64_t in struct tally */
} totals[] = {
	{"delivered", offsetof(struct tally, delivered)},
	{"deferred", offsetof(struct tally, deferred)},
	{"deferred-recipients", offsetof(struct tally, deferred_unique)},
	{"soft-bounced", offsetof(struct tally, soft_bounced)},
	{"bounced", offsetof(struct tally, bounced)},
	{"expired", offsetof(struct tally, expired)},
	{"expired-messages", offsetof(struct tally, expired_messages)},
	{"rejected", offsetof(struct tally, rejected)},
	{"reject-warnings", offsetof(struct tally, reject_warnings)},
	{"forwarded", offsetof(struct tally, forwarded)},
	{"notifications", offsetof(struct tally, notifications)},
};

/* The metrics other than totals: those with an argument after ":" and
 * the rates. */
static const struct {
	const char *name;
	enum threshold_metric metric;
} metrics[] = {
	{"failures", METRIC_FAILURES},
	{"reason", METRIC_REASON},
	{"code", METRIC_REPLY_CODE},
	{"class", METRIC_CLASS},
	{"domain", METRIC_DOMAIN},
	{"bounce-rate", METRIC_BOUNCE_RATE},
	{"failure-rate", METRIC_FAILURE_RATE},
	{"deferral-rate", METRIC_DEFERRAL_RATE},
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool
is_rate(enum threshold_metric metric)
{
	return metric == METRIC_BOUNCE_RATE || metric == METRIC_FAILURE_RATE ||
	       metric == METRIC_DEFERRAL_RATE;
}

static bool
takes_argument(enum threshold_metric metric)
{
	return metric == METRIC_REASON || metric == METRIC_REPLY_CODE ||
	       metric == METRIC_CLASS || metric == METRIC_DOMAIN;
}

/* fail - format a parse error about the condition text into error;
 * returns false */
static bool __attribute__((format(printf, 4, 5)))
fail(char *error, size_t len, const char *text, const char *fmt, ...)
{
	char detail[THRESHOLD_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	snprintf(error, len, _("condition '%s': %s"), text, detail);
	return false;
}

/* parse_operator - the operator at *p, which is moved past it */
static bool
parse_operator(const char **p, enum threshold_operator *op)
{
	static const struct {
		const char *text;
		enum threshold_operator op;
	} ops[] = {
		{">=", THRESHOLD_GE}, {"<=", THRESHOLD_LE}, {"==", THRESHOLD_EQ},
		{"!=", THRESHOLD_NE}, {">", THRESHOLD_GT},  {"<", THRESHOLD_LT},
		{"=", THRESHOLD_EQ},
	};

	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		size_t n = strlen(ops[i].text);

		if (strncmp(*p, ops[i].text, n) == 0) {
			*p += n;
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

/* parse_count - a whole number without sign */
static bool
parse_count(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!ascii_isdigit((unsigned char)*s))
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* parse_percent - "N%" or "N.DDDDDD%" from 0 to 100, in millionths */
static bool
parse_percent(const char *s, uint64_t *out)
{
	uint64_t whole = 0, fraction = 0;
	int digits = 0, decimals = 0;

	for (; ascii_isdigit((unsigned char)*s) && digits < 4; s++, digits++)
		whole = whole * 10 + (uint64_t)(*s - '0');
	if (digits == 0)
		return false;
	if (*s == '.') {
		for (s++; ascii_isdigit((unsigned char)*s); s++, decimals++) {
			if (decimals == RATE_DECIMALS)
				return false;
			fraction = fraction * 10 + (uint64_t)(*s - '0');
		}
		if (decimals == 0)
			return false;
	}
	if (s[0] != '%' || s[1] != '\0')
		return false;
	for (; decimals < RATE_DECIMALS; decimals++)
		fraction *= 10;
	*out = whole * RATE_SCALE + fraction;
	return *out <= 100 * RATE_SCALE;
}

/* find_metric - set th->metric (and th->total) from the lower-cased name
 * before any ":" */
static bool
find_metric(const char *base, struct threshold *th)
{
	for (size_t i = 0; i < ARRAY_LEN(totals); i++) {
		if (strcmp(base, totals[i].name) == 0) {
			th->metric = METRIC_TOTAL;
			th->total = i;
			return true;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(metrics); i++) {
		if (strcmp(base, metrics[i].name) == 0) {
			th->metric = metrics[i].metric;
			return true;
		}
	}
	return false;
}

/* list_reasons - "greylisted, suppressed, ..." into buf */
static void
list_reasons(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int r = REASON_NONE + 1; r < REASON_DELIVERED && used < len; r++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "",
					 reason_name((enum reason)r));
}

/* parse_argument - the part after ":" of reason:, code:, class: and
 * domain: */
static bool
parse_argument(const char *arg, struct threshold *th, char *error,
	       size_t len)
{
	struct enh_status enh;
	char reasons[THRESHOLD_MESSAGE_MAX];

	switch (th->metric) {
	case METRIC_REASON: {
		/* Reason ids are lower-case ASCII, and the name ignores case
		 * as the metric before it does. */
		char folded[sizeof th->key];
		size_t n = strlen(arg);

		if (n < sizeof folded) {
			for (size_t i = 0; i <= n; i++)
				folded[i] = (char)ascii_tolower(
					(unsigned char)arg[i]);
			if (reason_lookup(folded, n, &th->reason) &&
			    th->reason != REASON_DELIVERED)
				return true;
		}
		list_reasons(reasons, sizeof reasons);
		return fail(error, len, th->text,
			    _("unknown reason '%s'; use one of: %s"), arg,
			    reasons);
	}
	case METRIC_REPLY_CODE:
		if (strlen(arg) == 3 && status_parse_reply(arg, 3) != 0) {
			snprintf(th->key, sizeof th->key, "%s", arg);
			return true;
		}
		if (status_parse_enhanced(arg, strlen(arg), &enh) ==
		    strlen(arg)) {
			th->metric = METRIC_ENHANCED_CODE;
			status_format_enhanced(&enh, th->key);
			return true;
		}
		return fail(error, len, th->text,
			    _("invalid code '%s'; use a reply code such as 550 "
			      "or an enhanced code such as 5.7.1"),
			    arg);
	case METRIC_CLASS:
		if (strlen(arg) == 3 && (ascii_casecmp_n(arg, "4xx", 3) ||
					 ascii_casecmp_n(arg, "5xx", 3))) {
			th->reply_class = arg[0] - '0';
			return true;
		}
		return fail(error, len, th->text,
			    _("invalid class '%s'; use 4xx or 5xx"), arg);
	case METRIC_DOMAIN:
		for (size_t i = 0; arg[i] != '\0'; i++)
			th->key[i] = (char)ascii_tolower((unsigned char)arg[i]);
		th->key[strlen(arg)] = '\0';
		return true;
	default:
		return fail(error, len, th->text,
			    _("'%s' takes no argument after ':'"), th->name);
	}
}

/* parse_name - the metric before the operator, folded in place */
static bool
parse_name(char *name, struct threshold *th, char *error, size_t len)
{
	char *colon = strchr(name, ':');
	char *arg = colon != NULL ? colon + 1 : NULL;

	snprintf(th->name, sizeof th->name, "%s", name);
	if (colon != NULL)
		*colon = '\0';
	for (char *c = name; *c != '\0'; c++)
		*c = *c == '_' ? '-' : (char)ascii_tolower((unsigned char)*c);

	if (!find_metric(name, th))
		return fail(error, len, th->text,
			    _("unknown metric '%s'; use delivered, deferred, "
			      "deferred-recipients, soft-bounced, bounced, "
			      "expired, expired-messages, rejected, "
			      "reject-warnings, forwarded, notifications, "
			      "failures, reason:NAME, code:CODE, class:4xx, "
			      "class:5xx, domain:NAME, bounce-rate, "
			      "failure-rate or deferral-rate"),
			    name);
	if (arg == NULL && takes_argument(th->metric))
		return fail(error, len, th->text,
			    _("'%s' needs an argument, such as reason:blocked, "
			      "code:550, class:5xx or domain:example.com"),
			    name);
	if (arg != NULL && *arg == '\0')
		return fail(error, len, th->text,
			    _("missing argument after '%s:'"), name);
	return arg == NULL || parse_argument(arg, th, error, len);
}

/* parse_value - the number after the operator */
static bool
parse_value(const char *number, struct threshold *th, char *error,
	    size_t len)
{
	bool percent = strchr(number, '%') != NULL;

	if (is_rate(th->metric)) {
		if (!percent)
			return fail(error, len, th->text,
				    _("'%s' is a rate; give a percentage such "
				      "as 5%%"),
				    th->name);
		if (!parse_percent(number, &th->value))
			return fail(error, len, th->text,
				    _("invalid percentage '%s'; use 0%% to "
				      "100%% with at most 6 decimals"),
				    number);
		return true;
	}
	if (percent)
		return fail(error, len, th->text,
			    _("'%s' is a count; give a whole number without "
			      "%%, or use bounce-rate, failure-rate or "
			      "deferral-rate"),
			    th->name);
	if (!parse_count(number, &th->value))
		return fail(error, len, th->text,
			    _("invalid number '%s'; use a whole number such "
			      "as 100"),
			    number);
	return true;
}

/* parse_one - one condition of size n at text, without the commas */
static bool
parse_one(const char *text, size_t n, struct threshold *th, char *error,
	  size_t len)
{
	char name[THRESHOLD_TEXT_MAX];
	const char *p;
	size_t used = 0;

	memset(th, 0, sizeof *th);
	for (size_t i = 0; i < n; i++) {
		if (ascii_isblank((unsigned char)text[i]))
			continue;
		if (used + 1 == sizeof th->text) {
			snprintf(error, len,
				 _("condition longer than %d bytes"),
				 THRESHOLD_TEXT_MAX - 1);
			return false;
		}
		th->text[used++] = text[i];
	}
	th->text[used] = '\0';
	if (used == 0) {
		snprintf(error, len, _("empty condition; give one such as "
				       "bounce-rate>5%%"));
		return false;
	}

	/* The name runs up to the first character of an operator. */
	p = th->text + strcspn(th->text, "<>=!");
	memcpy(name, th->text, (size_t)(p - th->text));
	name[p - th->text] = '\0';
	if (name[0] == '\0' || !parse_operator(&p, &th->op))
		return fail(error, len, th->text,
			    _("expected METRIC OPERATOR NUMBER, such as "
			      "bounce-rate>5%%, with one of the operators >, "
			      ">=, <, <=, == and !="));
	return parse_name(name, th, error, len) &&
	       parse_value(p, th, error, len);
}

bool
threshold_parse(const char *text, struct threshold_list *list, char *error,
		size_t error_len)
{
	const char *start = text;

	for (;;) {
		size_t n = strcspn(start, ",");

		if (list->count == THRESHOLD_MAX) {
			snprintf(error, error_len,
				 _("more than %d conditions"), THRESHOLD_MAX);
			return false;
		}
		if (!parse_one(start, n, &list->items[list->count], error,
			       error_len))
			return false;
		list->count++;
		if (start[n] == '\0')
			return true;
		start += n + 1;
	}
}

/* map_count - the count kept under key in a map of uint64_t, or 0 */
static uint64_t
map_count(const struct strmap *map, const char *key)
{
	const uint64_t *v = strmap_get((struct strmap *)map, key, strlen(key));

	return v != NULL ? *v : 0;
}

/* domain_failures - failures for the recipient domain key, or 0 */
static uint64_t
domain_failures(const struct tally *t, const char *key)
{
	const struct domain_stat *d =
		strmap_get((struct strmap *)t->domains, key, strlen(key));

	if (d == NULL)
		return 0;
	return d->deferred + d->bounced + d->expired + d->rejected;
}

/* measure - a count, or a rate's numerator and denominator */
static void
measure(const struct threshold *th, const struct tally *t,
	struct threshold_result *out)
{
	uint64_t final = t->delivered + t->bounced + t->expired;
	int i = th->reply_class == 4 ? 0 : 1;

	switch (th->metric) {
	case METRIC_TOTAL:
		out->value = *(const uint64_t *)((const char *)t +
						 totals[th->total].offset);
		break;
	case METRIC_FAILURES:
		out->value = t->failures;
		break;
	case METRIC_REASON:
		out->value = t->reasons[th->reason].count;
		break;
	case METRIC_REPLY_CODE:
		out->value = map_count(t->reply_codes, th->key);
		break;
	case METRIC_ENHANCED_CODE:
		out->value = map_count(t->enh_codes, th->key);
		break;
	case METRIC_CLASS:
		out->value = t->outbound[i].count + t->inbound[i].count;
		break;
	case METRIC_DOMAIN:
		out->value = domain_failures(t, th->key);
		break;
	case METRIC_BOUNCE_RATE:
		out->value = t->bounced;
		out->denominator = final;
		break;
	case METRIC_FAILURE_RATE:
		out->value = t->bounced + t->expired;
		out->denominator = final;
		break;
	case METRIC_DEFERRAL_RATE:
		out->value = t->deferred;
		out->denominator = t->delivered + t->deferred + t->bounced;
		break;
	}
}

/* multiply - the 128-bit product of a and b as high and low halves */
static void
multiply(uint64_t a, uint64_t b, uint64_t *high, uint64_t *low)
{
	uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
	uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
	uint64_t lo_lo = a_lo * b_lo, lo_hi = a_lo * b_hi;
	uint64_t hi_lo = a_hi * b_lo, hi_hi = a_hi * b_hi;
	uint64_t middle = (lo_lo >> 32) + (lo_hi & 0xffffffffu) +
			  (hi_lo & 0xffffffffu);

	*low = (middle << 32) | (lo_lo & 0xffffffffu);
	*high = hi_hi + (lo_hi >> 32) + (hi_lo >> 32) + (middle >> 32);
}

/*
 * compare_rate - the sign of numerator / denominator * 100% - threshold,
 * from the cross products, so that no rounding can change a decision
 */
static int
compare_rate(uint64_t numerator, uint64_t denominator, uint64_t threshold)
{
	uint64_t left_high, left_low, right_high, right_low;

	multiply(numerator, 100 * RATE_SCALE, &left_high, &left_low);
	multiply(threshold, denominator, &right_high, &right_low);
	if (left_high != right_high)
		return left_high < right_high ? -1 : 1;
	if (left_low != right_low)
		return left_low < right_low ? -1 : 1;
	return 0;
}

static bool
compare_holds(int sign, enum threshold_operator op)
{
	switch (op) {
	case THRESHOLD_GT:
		return sign > 0;
	case THRESHOLD_GE:
		return sign >= 0;
	case THRESHOLD_LT:
		return sign < 0;
	case THRESHOLD_LE:
		return sign <= 0;
	case THRESHOLD_EQ:
		return sign == 0;
	case THRESHOLD_NE:
		return sign != 0;
	}
	return false;
}

void
threshold_check(const struct threshold *th, const struct tally *t,
		struct threshold_result *out)
{
	int sign;

	memset(out, 0, sizeof *out);
	measure(th, t, out);
	out->defined = !is_rate(th->metric) || out->denominator > 0;
	if (!out->defined)
		return;
	if (is_rate(th->metric))
		sign = compare_rate(out->value, out->denominator, th->value);
	else
		sign = (out->value > th->value) - (out->value < th->value);
	out->holds = compare_holds(sign, th->op);
}

char *
threshold_describe(const struct threshold *th,
		   const struct threshold_result *res, char *buf, size_t len)
{
	if (!is_rate(th->metric))
		snprintf(buf, len, _("%s is %" PRIu64), th->name, res->value);
	else if (!res->defined)
		snprintf(buf, len, _("%s is undefined (0 of 0)"), th->name);
	else
		snprintf(buf, len, _("%s is %.2f%% (%" PRIu64 " of %" PRIu64 ")"),
			 th->name,
			 100.0 * (double)res->value / (double)res->denominator,
			 res->value, res->denominator);
	return buf;
}

size_t
threshold_report(const struct threshold_list *list, const struct tally *t)
{
	size_t held = 0;

	for (size_t i = 0; i < list->count; i++) {
		const struct threshold *th = &list->items[i];
		struct threshold_result res;
		char measured[THRESHOLD_MESSAGE_MAX];

		threshold_check(th, t, &res);
		if (!res.holds)
			continue;
		held++;
		diag_emit(DIAG_NOTICE, NULL, 0, 0,
			  _("--fail-on condition %s is met: %s"), th->text,
			  threshold_describe(th, &res, measured,
					     sizeof measured));
	}
	return held;
}
