/* SPDX-License-Identifier: MIT */
/*
 * event.c - what an extractor found in one log line
 *
 * The helpers here are shared by every format: locating the remote reply
 * inside a reason text and reading its codes.
 */
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/event.h"

void
event_init(struct event *ev, enum event_type type)
{
	memset(ev, 0, sizeof *ev);
	ev->type = type;
}

const struct enh_status *
event_enhanced(const struct event *ev)
{
	return enh_status_present(&ev->enh) ? &ev->enh : &ev->reply_enh;
}

bool
event_codes_disagree(const struct event *ev)
{
	if (enh_status_present(&ev->enh) && enh_status_present(&ev->reply_enh) &&
	    !enh_status_equal(&ev->enh, &ev->reply_enh))
		return true;
	return enh_status_present(&ev->enh) && ev->reply_code != 0 &&
	       ev->reply_code / 100 != ev->enh.cls;
}

bool
event_is_failure(const struct event *ev)
{
	if (ev->type == EVENT_REJECT)
		return true;
	return ev->type == EVENT_DELIVERY &&
	       (ev->status == STATUS_DEFERRED || ev->status == STATUS_BOUNCED ||
		ev->status == STATUS_EXPIRED);
}

bool
event_reply_read(const struct event *ev)
{
	return event_is_failure(ev) || ev->type == EVENT_EXPIRED;
}

int
event_failure_class(const struct event *ev)
{
	const struct enh_status *enh = event_enhanced(ev);

	if (ev->type == EVENT_DELIVERY)
		return ev->status == STATUS_DEFERRED ? 4 : 5;
	if (ev->reply_code >= 400)
		return ev->reply_code / 100;
	if (ev->temporary)
		return 4;
	if (enh->cls == 4 || enh->cls == 5)
		return enh->cls;
	return 5;
}

/*
 * Wrappers and URL markers are found without regard to ASCII case, as
 * the classifier's phrases are, whatever case a relay rewrote them in
 * and whatever the locale.  Each needle's anchor is its rarest byte.
 *
 * Texts that MTAs put before a remote server's reply.  The first
 * POSTFIX_WRAPPERS entries of wrappers[] are Postfix's.  Exchange's
 * "responded with: \"421 ...\"" is not one of them: the reply is the
 * status that Exchange gives (451 4.4.0), and the quoted reply of the
 * next hop is its cause, which the classifier finds on its own.
 */
#define POSTFIX_WRAPPERS 3

static const struct ascii_needle wrappers[] = {
	ASCII_NEEDLE(" said: ", 5),
	ASCII_NEEDLE(" refused to talk to me: ", 22),
	ASCII_NEEDLE(" refused to start TLS: ", 21),
	ASCII_NEEDLE("Remote Server returned '", 23), /* Exchange's report */
	ASCII_NEEDLE("stat=Deferred: ", 4), /* Sendmail, after "dsn=4.0.0, " */
};

/* Texts that start a reason and come before the reply. */
static const char *const leading_wrappers[] = {
	"Deferred: ",		/* Sendmail's stat= of a deferral */
};

/*
 * Texts after which Exim names the SMTP command that failed, as in "SMTP
 * error from remote mail server after RCPT TO:<a@example.com>: 550 ...".
 * The reply follows the ": " that ends the command.  Old Exim logs put
 * "host NAME [ADDR]: " between the command and the reply.
 */
static const struct ascii_needle command_wrappers[] = {
	ASCII_NEEDLE("SMTP error from remote mail server after ", 3),
	ASCII_NEEDLE("SMTP error from remote mailer after ", 3),
	ASCII_NEEDLE("LMTP error after ", 3),
};

/* Every command wrapper contains this text, so a text without it has
 * none of them and needs one search instead of three. */
static const struct ascii_needle command_word = ASCII_NEEDLE("MTP error ", 2);

static const struct ascii_needle colon_blank = ASCII_NEEDLE(": ", 0);
static const struct ascii_needle bracket_colon = ASCII_NEEDLE("]: ", 0);
static const struct ascii_needle url_scheme = ASCII_NEEDLE("://", 0);
static const struct ascii_needle url_www = ASCII_NEEDLE("www.", 3);

/* after_command - the reply after an Exim command wrapper, or NULL */
static const char *
after_command(const char *text, size_t len)
{
	const char *end = text + len;
	size_t count = sizeof command_wrappers / sizeof command_wrappers[0];

	if (ascii_casefind(text, len, &command_word) == NULL)
		return NULL;
	for (size_t w = 0; w < count; w++) {
		const char *p = ascii_casefind(text, len, &command_wrappers[w]);
		const char *colon;

		if (p == NULL)
			continue;
		p += command_wrappers[w].len;
		colon = ascii_casefind(p, (size_t)(end - p), &colon_blank);
		if (colon == NULL)
			return NULL;
		p = colon + 2;

		if ((size_t)(end - p) > 5 && ascii_casecmp_n(p, "host ", 5)) {
			colon = ascii_casefind(p, (size_t)(end - p),
					       &bracket_colon);
			if (colon != NULL)
				p = colon + 3;
		}
		return p;
	}
	return NULL;
}

/* in_url - does the blank-separated token around text[pos] look like a
 * URL, whose numbers are never codes? */
static bool
in_url(const char *text, size_t pos)
{
	size_t start = pos;

	while (start > 0 && !ascii_isblank((unsigned char)text[start - 1]))
		start--;
	return ascii_casefind(text + start, pos - start, &url_scheme) != NULL ||
	       ascii_casefind(text + start, pos - start, &url_www) != NULL ||
	       memchr(text + start, '/', pos - start) != NULL;
}

/* Words after which a dotted number is a software version
 * ("Exim 4.97.1", "Postfix 3.7.11"), never a status code. */
static const char *const product_names[] = {
	"exim ", "postfix ", "sendmail ", "version ", "release ", "ver. ",
};

/* after_product_name - does one of product_names end at text[pos]? */
static bool
after_product_name(const char *text, size_t pos)
{
	for (size_t i = 0; i < sizeof product_names / sizeof product_names[0];
	     i++) {
		size_t k = strlen(product_names[i]);

		if (pos >= k && ascii_casecmp_n(text + pos - k,
						product_names[i], k))
			return true;
	}
	return false;
}

/*
 * find_loose_enhanced - an enhanced code elsewhere in the text.  With
 * hashed, only the qmail form "#5.1.1" after a blank, "(" or "[" counts;
 * otherwise a code after a blank, "(", "[", "<" or a quote.  A code must
 * not continue a longer dotted number ("4.16.55.1"), follow "v" or "=",
 * sit inside a URL, follow a product name, or have a subject above 7
 * (RFC 3463 defines subjects 0 to 7).
 */
static bool
find_loose_enhanced(const char *text, size_t len, bool hashed,
		    struct enh_status *out)
{
	for (size_t i = 0; i < len; i++) {
		size_t at = hashed ? i + 1 : i;
		char before;

		if (hashed && text[i] != '#')
			continue;
		if (at >= len || (text[at] != '2' && text[at] != '4' &&
				  text[at] != '5'))
			continue;
		before = i > 0 ? text[i - 1] : ' ';
		if (!ascii_isblank((unsigned char)before) && before != '(' &&
		    before != '[' &&
		    (hashed || (before != '<' && before != '"' &&
				before != '\'')))
			continue;
		if (in_url(text, i) || after_product_name(text, i))
			continue;
		if (status_parse_enhanced(text + at, len - at, out) > 0 &&
		    out->subject <= 7)
			return true;
	}
	memset(out, 0, sizeof *out);
	return false;
}

/* skip_leading - the text after "smtp; " (a DSN's Diagnostic-Code
 * field), one of leading_wrappers, or the "#" of Exchange's report form
 * "#550 5.1.1 RESOLVER... ##", when the text starts with it */
static const char *
skip_leading(const char *text, size_t *len)
{
	size_t n = 0;

	if (*len >= 5 && ascii_casecmp_n(text, "smtp;", 5))
		n = 5;
	if (*len >= 4 && text[0] == '#' &&
	    status_parse_reply(text + 1, *len - 1) != 0)
		n = 1;
	for (size_t i = 0; n == 0 && i < sizeof leading_wrappers /
						 sizeof leading_wrappers[0];
	     i++) {
		size_t k = strlen(leading_wrappers[i]);

		if (*len >= k && ascii_casecmp_n(text, leading_wrappers[i], k))
			n = k;
	}
	text += n;
	*len -= n;
	while (n > 0 && *len > 0 && ascii_isblank((unsigned char)*text)) {
		text++;
		(*len)--;
	}
	return text;
}

/*
 * quoted_reply - the reply that Amazon SES and WorkMail quote after
 * their own enhanced code: "5.1.0 - Unknown address error 550-'5.1.1
 * ...'".  Returns where the reply code starts, or NULL.
 */
static const char *
quoted_reply(const char *text, size_t len)
{
	struct enh_status st;

	if (status_parse_enhanced(text, len, &st) == 0)
		return NULL;
	for (size_t i = 1; i + 5 <= len; i++) {
		if ((text[i + 3] != '-' && text[i + 3] != ' ') ||
		    text[i + 4] != '\'' || text[i - 1] != ' ')
			continue;
		if (status_parse_reply(text + i, len - i) != 0)
			return text + i;
	}
	return NULL;
}

/*
 * only_postfix_wrappers - can no wrapper but Postfix's occur in text?
 * Exchange's contains a "'" and Sendmail's an "=", so a text with
 * neither has none of them.
 */
static bool
only_postfix_wrappers(const char *text, size_t len)
{
	return memchr(text, '\'', len) == NULL && memchr(text, '=', len) == NULL;
}

void
reply_analyze(struct event *ev)
{
	reply_analyze_as(ev, true);
}

void
reply_analyze_as(struct event *ev, bool quick)
{
	const char *text = ev->text.ptr;
	size_t len = ev->text.len;
	const char *said = NULL;
	bool may_wrap;
	size_t skip;

	ev->reply = span_make(NULL, 0);
	ev->reply_code = 0;
	memset(&ev->reply_enh, 0, sizeof ev->reply_enh);
	ev->reply_analyzed = true;
	if (text == NULL)
		return;

	/* Postfix: "host mx.example.com[192.0.2.1] said: 550 5.1.1 ..."
	 * and, for a rejected greeting, "... refused to talk to me: 554 ...";
	 * Exchange and Amazon SES quote the remote reply inside their own
	 * status.  Exim's command wrappers come first, because the remote
	 * text after them may itself contain " said: ". */
	text = skip_leading(text, &len);
	said = after_command(text, len);
	if (said == NULL)
		said = quoted_reply(text, len);
	if (said != NULL) {
		len -= (size_t)(said - text);
		text = said;
	}

	/* Every wrapper contains a ":" or a "'", so a text with neither
	 * needs no search for them. */
	may_wrap = said == NULL && (memchr(text, ':', len) != NULL ||
				    memchr(text, '\'', len) != NULL);

	/* A text that starts with its own reply code stays the reply when
	 * Postfix's wrappers occur in it, so only the others can change
	 * it, and a text without them needs no search. */
	if (quick && may_wrap && status_parse_reply(text, len) != 0 &&
	    only_postfix_wrappers(text, len))
		may_wrap = false;
	for (size_t w = 0;
	     may_wrap && said == NULL && w < sizeof wrappers / sizeof wrappers[0];
	     w++) {
		said = ascii_casefind(text, len, &wrappers[w]);

		/* A text that starts with its own reply code is the reply
		 * when Postfix's wrappers occur inside it: there they quote
		 * another server (an address probe's answer in a reject),
		 * which is the cause.  Exchange's wrappers quote the reply
		 * that matters, so they are always followed. */
		if (said != NULL && w < POSTFIX_WRAPPERS &&
		    status_parse_reply(text, len) != 0) {
			said = text;
			break;
		}
		if (said != NULL) {
			skip = (size_t)(said - text) + wrappers[w].len;
			text += skip;
			len -= skip;
			break;
		}
	}

	ev->reply_code = status_parse_reply(text, len);
	if (ev->reply_code != 0 || said != NULL)
		ev->reply = span_make(text, len);

	/* The enhanced code follows the reply code, or comes first. */
	if (ev->reply_code != 0) {
		size_t pos = 4 <= len ? 4 : len;

		while (pos < len && ascii_isblank((unsigned char)text[pos]))
			pos++;
		if (pos < len && (text[pos] == '#' || text[pos] == '\''))
			pos++;
		if (status_parse_enhanced(text + pos, len - pos,
					  &ev->reply_enh) > 0)
			return;
	} else if (status_parse_enhanced(text, len, &ev->reply_enh) > 0) {
		return;
	}

	/* qmail and others put it in the text: "(#5.1.1)", "#5.7.1".  Then
	 * take any code set apart by blanks, as in "Rejected - 5.7.1 [BL23]". */
	if (find_loose_enhanced(text, len, true, &ev->reply_enh) ||
	    find_loose_enhanced(text, len, false, &ev->reply_enh))
		return;
}

void
event_split_host(struct span value, struct span *host, struct span *addr)
{
	const char *open = value.ptr ? memchr(value.ptr, '[', value.len) : NULL;
	const char *close;

	*host = value;
	*addr = span_make(NULL, 0);
	if (open == NULL)
		return;
	close = memchr(open, ']', value.len - (size_t)(open - value.ptr));
	if (close == NULL)
		return;
	*host = span_make(value.ptr, (size_t)(open - value.ptr));
	*addr = span_make(open + 1, (size_t)(close - open - 1));
}

struct span
event_domain(struct span address)
{
	for (size_t i = address.len; i > 0; i--)
		if (address.ptr[i - 1] == '@')
			return span_make(address.ptr + i, address.len - i);
	return span_make(NULL, 0);
}
