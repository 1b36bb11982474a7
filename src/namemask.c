/* SPDX-License-Identifier: MIT */
/*
 * namemask.c - hide host names, IP addresses and URLs in a reply text
 */
#include <stdbool.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/namemask.h"

/* The longest label of a DNS name (RFC 1035). */
#define LABEL_MAX 63

/*
 * Top-level domains of three or more letters that end a name: the
 * generic ones of RFC 1591, some newer ones, the names that RFC 2606
 * reserves (example, invalid, localhost, test), and names in private
 * use on local networks.  Every two-letter label counts as a country
 * code.
 */
static const char *const generic_tlds[] = {
    "arpa",	 "biz",	     "cloud",	"com",	"corp",	 "dev",
    "edu",	 "email",    "example", "gov",	"home",	 "info",
    "int",	 "internal", "invalid", "lan",	"local", "localdomain",
    "localhost", "mil",	     "mobi",	"name", "net",	 "online",
    "org",	 "pro",	     "site",	"tech", "test",	 "xyz",
};

/* is_name_byte - a byte of a name run: letter, digit, '.', '-' or '_' */
static bool
is_name_byte(unsigned char c)
{
	return ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* is_url_end - a byte that ends a URL */
static bool
is_url_end(unsigned char c)
{
	return c == ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
	       c < 0x20 || c == 0x7f;
}

/* url_length - the length of the URL at s, or 0 when none starts there */
static size_t
url_length(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && ascii_isalpha((unsigned char)s[i]))
		i++;
	if (i == 0 || len - i < 3 || memcmp(s + i, "://", 3) != 0)
		return 0;
	i += 3;
	while (i < len && !is_url_end((unsigned char)s[i]))
		i++;
	return i;
}

/* ends_token - whether a token ends before s[i]: at the end of the
 * text or before a byte that cannot continue a word or a name.  Dots and
 * hyphens with no name byte after them end a sentence or a clause, as
 * trim_run() drops them from a host name. */
static bool
ends_token(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == '.' || s[i] == '-'))
		i++;
	return i == len || !is_name_byte((unsigned char)s[i]);
}

/* is_address - whether groups of an IPv6 address make one: eight, or
 * at most seven with "::" (gap) and a group after it (RFC 4291, section
 * 2.2) */
static bool
is_address(size_t groups, bool gap, size_t after_gap)
{
	return gap ? after_gap > 0 && groups <= 7 : groups == 8;
}

/*
 * ipv6_length - the length of the IPv6 address at s, with the port that
 * may follow it, or 0 when none starts there.  An address is groups of 1
 * to 4 hexadecimal digits joined by ":" (see is_address()).  Exchange
 * writes the port after the address ("2001:db8::1:25"), so a last group
 * of up to 5 decimal digits after a whole address is taken as its port.
 * The whole run of groups and colons must be the address, or the address
 * and its port, but for one ":" at its end that no group or ":" follows
 * ("2001:db8::1: refused").  Clock times ("10:06:40") have
 * neither eight groups nor "::", and "a::" in prose has no group after
 * its "::".
 */
static size_t
ipv6_length(const char *s, size_t len)
{
	size_t i = 0, groups = 0, after_gap = 0, digits = 0;
	bool gap = false, decimal = false;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = true;
		i = 2;
	}
	while (i < len) {
		size_t start = i;
		bool dec = true;

		/* Only a port, the last group, has five digits. */
		if (digits == 5)
			return 0;
		for (; i < len && i - start < 5; i++) {
			unsigned char c = (unsigned char)s[i];

			if (!ascii_isxdigit(c))
				break;
			dec = dec && ascii_isdigit(c);
		}
		if (i == start)
			break;
		digits = i - start;
		decimal = dec;
		if ((i < len && ascii_isxdigit((unsigned char)s[i])) ||
		    (digits == 5 && !decimal))
			return 0;
		groups++;
		after_gap += gap;
		if (len - i >= 2 && s[i] == ':' && s[i + 1] == ':') {
			if (gap)
				return 0;
			gap = true;
			i += 2;
		} else if (len - i >= 2 && s[i] == ':' &&
			   ascii_isxdigit((unsigned char)s[i + 1])) {
			i++;
		} else {
			break;
		}
	}

	/* A whole address, or one and a port.  When any group came after
	 * the gap, the last one, the port, did. */
	if (!(digits < 5 && is_address(groups, gap, after_gap)) &&
	    !(groups > 0 && decimal &&
	      is_address(groups - 1, gap, after_gap - (after_gap > 0))))
		return 0;
	return ends_token(s, len, i) ? i : 0;
}

/* joined_tag - whether the ":" before s[i] ends "IPv6", the tag of an
 * address literal ("[IPv6:2001:db8::1]", RFC 5321, section 4.1.3),
 * in any case, with no name byte before it */
static bool
joined_tag(const char *s, size_t i)
{
	return i >= 5 && ascii_casecmp_n(s + i - 5, "IPv6", 4) &&
	       (i == 5 || !is_name_byte((unsigned char)s[i - 6]));
}

/* One label of a run, by the kinds of bytes in it. */
struct label {
	const char *text;
	size_t len;
	bool letter, digit, other;
};

/* read_label - the label at s, which ends at a dot or at end */
static struct label
read_label(const char *s, const char *end)
{
	struct label l = {.text = s};

	while (s + l.len < end && s[l.len] != '.') {
		unsigned char c = (unsigned char)s[l.len++];

		l.letter = l.letter || ascii_isalpha(c);
		l.digit = l.digit || ascii_isdigit(c);
		l.other = l.other || !ascii_isalnum(c);
	}
	return l;
}

/* is_tld - whether the label l can end a name: two letters, or one of
 * generic_tlds in any case */
static bool
is_tld(const struct label *l)
{
	if (l->digit || l->other || l->len < 2)
		return false;
	if (l->len == 2)
		return true;
	for (size_t i = 0; i < sizeof generic_tlds / sizeof *generic_tlds; i++)
		if (strlen(generic_tlds[i]) == l->len &&
		    ascii_casecmp_n(l->text, generic_tlds[i], l->len))
			return true;
	return false;
}

/* is_masked_run - whether the run s[0..len) of name bytes is a name or
 * an IPv4 address, by the rules in namemask.h */
static bool
is_masked_run(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	size_t labels = 0, digit_labels = 0;
	struct label l = {0};

	for (;;) {
		l = read_label(p, end);
		if (l.len == 0 || l.len > LABEL_MAX)
			return false;
		labels++;
		if (l.digit && !l.letter && !l.other && l.len <= 3)
			digit_labels++;
		p += l.len;
		if (p == end)
			break;
		p++; /* the dot */
	}
	if (labels == 4 && digit_labels == 4)
		return true;

	/* l is the last label: the top-level domain. */
	return labels >= 2 && is_tld(&l);
}

/* trim_run - drop the dots and hyphens that end a sentence or a clause
 * from both ends of the run s[*from..*to) */
static void
trim_run(const char *s, size_t *from, size_t *to)
{
	while (*from < *to && (s[*from] == '.' || s[*from] == '-'))
		(*from)++;
	while (*to > *from && (s[*to - 1] == '.' || s[*to - 1] == '-'))
		(*to)--;
}

size_t
namemask_apply(char *out, const char *in, size_t len)
{
	size_t n = 0, i = 0;
	const size_t token_len = strlen(NAMEMASK_TOKEN);

	while (i < len) {
		size_t whole, end = i, from, to;

		/* A URL or a run starts only after a byte of another kind. */
		if (i > 0 && is_name_byte((unsigned char)in[i - 1])) {
			out[n++] = in[i++];
			continue;
		}
		/* An IPv6 address or a URL is masked whole.  An address that
		 * a ":" joins to a word before it is part of something
		 * longer, unless the word is the tag of an address literal,
		 * and one after "::" is part of a longer run of groups. */
		whole = i > 1 && in[i - 1] == ':' &&
				(is_name_byte((unsigned char)in[i - 2]) ||
				 in[i - 2] == ':') &&
				!joined_tag(in, i)
			    ? 0
			    : ipv6_length(in + i, len - i);
		if (whole == 0)
			whole = url_length(in + i, len - i);
		if (whole > 0) {
			memcpy(out + n, NAMEMASK_TOKEN, token_len);
			n += token_len;
			i += whole;
			continue;
		}
		while (end < len && is_name_byte((unsigned char)in[end]))
			end++;
		if (end == i) {
			out[n++] = in[i++];
			continue;
		}

		from = i;
		to = end;
		trim_run(in, &from, &to);
		memcpy(out + n, in + i, from - i);
		n += from - i;
		if (to > from && to - from >= token_len &&
		    is_masked_run(in + from, to - from)) {
			memcpy(out + n, NAMEMASK_TOKEN, token_len);
			n += token_len;
		} else {
			memcpy(out + n, in + from, to - from);
			n += to - from;
		}
		memcpy(out + n, in + to, end - to);
		n += end - to;
		i = end;
	}
	out[n] = '\0';
	return n;
}
