/* SPDX-License-Identifier: MIT */
/*
 * test_classify_cache.c - the classifier's caches never change a result
 *
 * Every text of the labelled sets (the .tsv files in tests/classify)
 * is classified in several log contexts, and so is a set of generated
 * replies that differ only in tracking ids, addresses, host names and
 * URLs.  Each is classified three ways: by a rule set with its caches
 * switched off, and twice by one rule set with caches, in two orders, so
 * that the second pass is served from the caches.  Every field of the
 * three results must be equal.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/classify.h"
#include "bouncelog/memo.h"
#include "bouncelog/reason.h"
#include "bouncelog/status.h"
#include "check.h"
#include "classify_impl.h"

/* Generated replies per template. */
#define VARIANTS 40

/* The log contexts each text is classified in.  A context sets the event
 * type, status, stage field and remote host, the log's own status field
 * (dsn), the flags a log may set, and whether the reply was found
 * first.  The first context classifies the text alone, through
 * classify_text().  Each input of an event that the
 * classifier reads differs between two contexts.  A cache that left one
 * out of its key would therefore serve one context the other's result. */
static const struct context {
	enum event_type type;
	enum delivery_status status;
	const char *stage;
	const char *host;
	bool text_only;
	const char *dsn;
	bool temporary;
	bool retry_expired;
	bool no_reply;
} contexts[] = {
    {EVENT_NOTIFICATION, STATUS_SENT, NULL, NULL, true, NULL, false, false,
     false},
    {EVENT_DELIVERY, STATUS_DEFERRED, NULL, "gmail-smtp-in.l.google.com",
     false, NULL, false, false, false},
    {EVENT_DELIVERY, STATUS_DEFERRED, NULL, "gmail-smtp-in.l.google.com",
     false, "4.4.1", false, false, false},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL, "mx.example.com", false, NULL,
     false, false, false},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL, "mx.example.com", false, "5.1.1",
     false, false, false},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL, "mx.example.com", false, NULL,
     false, true, false},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL, "mx.example.com", false, NULL,
     false, false, true},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL,
     "example-com.mail.protection.outlook.com", false, NULL, false, false,
     false},
    {EVENT_DELIVERY, STATUS_EXPIRED, NULL, NULL, false, NULL, false, false,
     false},
    {EVENT_REJECT, STATUS_SENT, "RCPT", NULL, false, NULL, false, false,
     false},
    {EVENT_REJECT, STATUS_SENT, "RCPT", NULL, false, NULL, true, false,
     false},
    {EVENT_REJECT, STATUS_SENT, "RCPT", "mx.example.com", false, "5.7.1",
     false, false, false},
    {EVENT_REJECT, STATUS_SENT, "CONNECT", NULL, false, NULL, false, false,
     false},
};

/* The texts under test, owned. */
struct texts {
	char **items;
	size_t count;
	size_t cap;
};

static void
texts_add(struct texts *t, const char *s, size_t len)
{
	char *copy;

	if (t->count == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->items = realloc(t->items, t->cap * sizeof *t->items);
		assert_non_null(t->items);
	}
	copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->items[t->count++] = copy;
}

static void
texts_free(struct texts *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->items[i]);
	free(t->items);
}

/* tsv_field - the bytes of column i of a tab-separated line, or NULL
 * when the line has fewer columns */
static const char *
tsv_field(const char *line, int i, size_t *len)
{
	const char *field = line;

	for (int k = 0; k < i; k++) {
		field = strchr(field, '\t');
		if (field == NULL)
			return NULL;
		field++;
	}
	*len = strcspn(field, "\t");
	return field;
}

/* read_tsv - add the "text" column of every row of the labelled set at
 * path; returns the number of rows */
static size_t
read_tsv(struct texts *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	size_t rows = 0, len;
	int column = -1;

	assert_non_null(f);

	/* The header names the columns. */
	assert_non_null(fgets(line, sizeof line, f));
	line[strcspn(line, "\r\n")] = '\0';
	for (int i = 0; column < 0 && tsv_field(line, i, &len) != NULL; i++)
		if (len == 4 && memcmp(tsv_field(line, i, &len), "text", 4) == 0)
			column = i;
	assert_true(column >= 0);

	while (fgets(line, sizeof line, f) != NULL) {
		const char *text;

		line[strcspn(line, "\r\n")] = '\0';
		text = tsv_field(line, column, &len);
		assert_non_null(text);
		texts_add(t, text, len);
		rows++;
	}
	fclose(f);
	return rows;
}

/* read_labelled_sets - the texts of every .tsv file in tests/classify */
static void
read_labelled_sets(struct texts *t)
{
	const char *root = getenv("BOUNCELOG_SOURCE");
	char dir[4096], path[8192];
	size_t files = 0;
	DIR *d;
	struct dirent *e;

	assert_non_null(root);
	snprintf(dir, sizeof dir, "%s/tests/classify", root);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n < 5 || strcmp(e->d_name + n - 4, ".tsv") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		assert_true(read_tsv(t, path) > 0);
		files++;
	}
	closedir(d);
	assert_true(files >= 3);
}

/* A deterministic generator of ids (xorshift64). */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* random_token - n characters from alphabet into buf */
static const char *
random_token(char *buf, size_t n, const char *alphabet)
{
	size_t k = strlen(alphabet);

	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[rng_next() % k];
	buf[n] = '\0';
	return buf;
}

/* Host labels that read as reason words, so that a cached result keyed
 * by masked text would show if the mask let them decide. */
static const char *const host_words[] = {
    "mx", "blocked", "spam", "quota", "mailbox-full", "unknown-user",
    "greylist", "relay", "dmarc", "timeout", "virus", "ratelimit",
};

/* random_host - a host name of three labels, the first a reason word */
static const char *
random_host(char *buf, size_t size)
{
	static const char *const tlds[] = {"com", "net", "de", "example",
					   "org", "io"};
	char id[16];

	snprintf(buf, size, "%s%u.%s.%s",
		 host_words[rng_next() % ARRAY_LEN(host_words)],
		 (unsigned)(rng_next() % 100),
		 random_token(id, 6, "abcdefghijklmnopqrstuvwxyz0123456789"),
		 tlds[rng_next() % ARRAY_LEN(tlds)]);
	return buf;
}

/* random_ipv4 - an address in a documentation range */
static const char *
random_ipv4(char *buf, size_t size)
{
	static const char *const nets[] = {"192.0.2", "198.51.100",
					   "203.0.113"};

	snprintf(buf, size, "%s.%u", nets[rng_next() % ARRAY_LEN(nets)],
		 (unsigned)(rng_next() % 256));
	return buf;
}

/*
 * Reply templates.  Conversion tokens mark the volatile parts: %H is a
 * host name and %I an IPv4 address, %6 an IPv6 address, %X a 12-digit
 * hex id, %Q a Postfix queue id, %B a base64 token, %T a timestamp, %U a
 * URL with an id and %A an address.
 */
static const char *const templates[] = {
    "host %H[%I] said: 550 5.1.1 <%A>: Recipient address rejected: User "
    "unknown in virtual mailbox table (in reply to RCPT TO command)",
    "host %H[%I] said: 550-5.1.1 The email account that you tried to reach "
    "does not exist. Please try 550-5.1.1 double-checking the recipient's "
    "email address. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser "
    "%X - gsmtp (in reply to RCPT TO command)",
    "host %H[%I] said: 452 4.2.2 The recipient's inbox is out of storage "
    "space. See https://support.google.com/mail/?p=OverQuotaTemp %X - gsmtp "
    "(in reply to RCPT TO command)",
    "host %H[%I] said: 550 5.5.0 Requested action not taken: mailbox "
    "unavailable (S2017) [%X.eurprd04.prod.outlook.com] (in reply to RCPT "
    "TO command)",
    "host %H[%I] said: 451 4.7.650 The mail server [%I] has been "
    "temporarily rate limited due to IP reputation. (S775) "
    "[%X.eurprd06.prod.outlook.com] (in reply to MAIL FROM command)",
    "554 5.7.1 Service unavailable; Client host [%I] blocked using "
    "zen.spamhaus.org; https://www.spamhaus.org/query/ip/%I",
    "550 5.7.1 Client host [%6] blocked using bl.spamcop.net; Blocked - see "
    "https://www.spamcop.net/bl.shtml?%6",
    "450 4.2.0 <%A>: Recipient address rejected: Greylisted, see "
    "http://postgrey.example.org/help/%H.html",
    "host %H[%I] said: 421 4.7.0 [TSS04] Messages from %I temporarily "
    "deferred due to unexpected volume or user complaints - 4.16.55.1; see "
    "%U (in reply to MAIL FROM command)",
    "SMTP error from remote mail server after end of data: 554 5.7.0 "
    "Reject, id=%X - INFECTED: Eicar-Signature",
    "Host or domain name not found. Name service error for name=%H type=MX: "
    "Host not found, try again",
    "connect to %H[%I]:25: Connection timed out",
    "lost connection with %H[%6] while receiving the initial server "
    "greeting",
    "host %H[%I] said: 550 5.7.1 Message %Q rejected as spam, queue %B at "
    "%T (in reply to end of DATA command)",
    "host %H[%I] said: 552 5.2.2 <%A> Mailbox full, id %B (in reply to "
    "RCPT TO command)",
    "JunkMail rejected - %H [%I] is in an RBL: Client host blocked using "
    "zen.spamhaus.org",
    "host %H[%I] said: 550 5.7.26 Unauthenticated email from %H is not "
    "accepted due to domain's DMARC policy. %U %X - gsmtp (in reply to end "
    "of DATA command)",
    "host %H[%I] said: 553 5.7.1 [BL21] Connections will not be accepted "
    "from %I, because the ip is in Spamhaus's list; see %U",
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not "
    "found' %X",
    "host %H[%I] said: 451 Temporary local problem %T, message %Q (in "
    "reply to RCPT TO command)",
};

/* expand - one reply of template tpl with fresh volatile parts */
static void
expand(const char *tpl, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = tpl; *p != '\0' && n + 1 < size; p++) {
		char part[256];
		const char *s = part;

		if (*p != '%' || p[1] == '\0') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'H':
			random_host(part, sizeof part);
			break;
		case 'I':
			random_ipv4(part, sizeof part);
			break;
		case '6':
			snprintf(part, sizeof part, "2001:db8:%x::%x",
				 (unsigned)(rng_next() % 0x10000),
				 (unsigned)(rng_next() % 0x1000));
			break;
		case 'X':
			random_token(part, 12, "0123456789abcdef");
			break;
		case 'Q':
			random_token(part, 10, "0123456789ABCDEF");
			break;
		case 'B':
			random_token(part, 16,
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				     "opqrstuvwxyz0123456789+/");
			break;
		case 'T':
			snprintf(part, sizeof part,
				 "2024-11-%02uT%02u:%02u:%02uZ",
				 (unsigned)(rng_next() % 28 + 1),
				 (unsigned)(rng_next() % 24),
				 (unsigned)(rng_next() % 60),
				 (unsigned)(rng_next() % 60));
			break;
		case 'U': {
			char host[128], id[32];

			snprintf(part, sizeof part, "https://%s/help?id=%s",
				 random_host(host, sizeof host),
				 random_token(id, 10, "0123456789abcdef"));
			break;
		}
		case 'A': {
			char host[128], id[16];

			snprintf(part, sizeof part, "%s@%s",
				 random_token(id, 8, "abcdefghijklmnop"),
				 random_host(host, sizeof host));
			break;
		}
		default:
			part[0] = *p;
			part[1] = '\0';
		}
		while (*s != '\0' && n + 1 < size)
			out[n++] = *s++;
	}
	out[n] = '\0';
}

/* generate_replies - VARIANTS replies per template */
static void
generate_replies(struct texts *t)
{
	char buf[2048];

	for (size_t i = 0; i < ARRAY_LEN(templates); i++)
		for (size_t v = 0; v < VARIANTS; v++) {
			expand(templates[i], buf, sizeof buf);
			texts_add(t, buf, strlen(buf));
		}
}

/* One result: the cause span points into the text, so it is kept as an
 * offset. */
struct result {
	struct classification c;
	long long cause_at; /* -1 when there is no cause */
};

/* classify_one - classify text in context x */
static void
classify_one(struct classify_rules *rules, const char *text,
	     const struct context *x, struct result *out)
{
	struct event ev;

	if (x->text_only) {
		classify_text(rules, text, strlen(text), &ev);
	} else {
		event_init(&ev, x->type);
		ev.status = x->status;
		ev.text = span_make(text, strlen(text));
		if (x->stage != NULL)
			ev.stage = span_make(x->stage, strlen(x->stage));
		if (x->host != NULL)
			ev.remote_host = span_make(x->host, strlen(x->host));
		if (x->dsn != NULL)
			(void)status_parse_enhanced(x->dsn, strlen(x->dsn),
						    &ev.enh);
		ev.temporary = x->temporary;
		ev.retry_expired = x->retry_expired;
		if (!x->no_reply)
			reply_analyze(&ev);
		classify_event_with(rules, &ev);
	}
	out->c = ev.classification;
	out->cause_at =
	    ev.classification.cause.ptr != NULL
		? (long long)(ev.classification.cause.ptr - text)
		: -1;
}

/* classify_all - every text in every context, forwards or backwards,
 * into out (t->count * ARRAY_LEN(contexts) entries in a fixed order) */
static void
classify_all(struct classify_rules *rules, const struct texts *t,
	     bool backwards, struct result *out)
{
	size_t n = t->count * ARRAY_LEN(contexts);

	for (size_t k = 0; k < n; k++) {
		size_t i = backwards ? n - 1 - k : k;

		classify_one(rules, t->items[i / ARRAY_LEN(contexts)],
			     &contexts[i % ARRAY_LEN(contexts)], &out[i]);
	}
}

/* compare - note every field of got that differs from want */
static void
compare(const char *name, const struct result *got, const struct result *want)
{
	check_int(name, "reason", got->c.reason, want->c.reason);
	check_int(name, "kind", got->c.kind, want->c.kind);
	check_int(name, "class", got->c.cls, want->c.cls);
	check_int(name, "mismatch", got->c.class_mismatch,
		  want->c.class_mismatch);
	check_int(name, "expired", got->c.expired, want->c.expired);
	check_int(name, "stage", got->c.stage, want->c.stage);
	check_str(name, "evidence", got->c.evidence, want->c.evidence);
	check_str(name, "provider", got->c.provider, want->c.provider);
	check_int(name, "cause at", got->cause_at, want->cause_at);
	check_int(name, "cause length", (long long)got->c.cause.len,
		  (long long)want->c.cause.len);
}

/* check_same_results - classify t with and without caches and compare */
static void
check_same_results(const struct texts *t)
{
	size_t n = t->count * ARRAY_LEN(contexts);
	struct result *plain = calloc(n, sizeof *plain);
	struct result *first = calloc(n, sizeof *first);
	struct result *again = calloc(n, sizeof *again);
	struct classify_rules *uncached, *cached;

	assert_int_equal(reasons_init(), 0);
	uncached = classify_rules_load(NULL, NULL);
	cached = classify_rules_load(NULL, NULL);
	assert_non_null(plain);
	assert_non_null(first);
	assert_non_null(again);
	assert_non_null(uncached);
	assert_non_null(cached);
	uncached->uncached = true;

	classify_all(uncached, t, false, plain);
	classify_all(cached, t, false, first);
	classify_all(cached, t, true, again);

	/* Both caches served some results, and the uncached set kept
	 * none. */
	assert_true(memo_hits(cached->decisions) > 0);
	assert_true(memo_hits(cached->generic) > 0);
	assert_true(memo_hits(cached->front) > 0);
	assert_null(uncached->generic);
	assert_null(uncached->front);

	for (size_t i = 0; i < n; i++) {
		char name[96];

		snprintf(name, sizeof name, "text %zu, context %zu",
			 i / ARRAY_LEN(contexts), i % ARRAY_LEN(contexts));
		compare(name, &first[i], &plain[i]);
		compare(name, &again[i], &plain[i]);
	}
	classify_rules_free(uncached);
	classify_rules_free(cached);
	free(plain);
	free(first);
	free(again);
	finish_cases();
}

/* test_labelled_sets - the rows of the labelled sets */
static void
test_labelled_sets(void **state)
{
	struct texts t = {0};

	(void)state;
	read_labelled_sets(&t);
	assert_true(t.count > 700);
	check_same_results(&t);
	texts_free(&t);
}

/* test_generated_ids - replies that differ only in volatile parts */
static void
test_generated_ids(void **state)
{
	struct texts t = {0};

	(void)state;
	generate_replies(&t);
	check_same_results(&t);
	texts_free(&t);
}

/* test_masked_key_shared - replies that differ only in host names, IPv4
 * addresses and URLs share one entry of the generic cache */
/*
 * test_reply_place_in_key - the cause is searched after the reply, so
 * two events with the same text and codes but the reply at another place
 * may differ.  Each is classified twice by a rule set with caches, in
 * both orders, and once without caches.
 */
static void
test_reply_place_in_key(void **state)
{
	static const char text[] =
	    "550 5.1.1 <a@example.com>: rejected (550 5.1.1 user unknown)";
	const size_t second = strlen("550 5.1.1 <a@example.com>: rejected (");
	struct classify_rules *cached, *uncached;
	struct result got[2][2], want[2];

	(void)state;
	assert_int_equal(reasons_init(), 0);
	cached = classify_rules_load(NULL, NULL);
	uncached = classify_rules_load(NULL, NULL);
	assert_non_null(cached);
	assert_non_null(uncached);
	uncached->uncached = true;

	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 2; k++) {
			int place = round == 0 ? k : 1 - k;
			struct classify_rules *sets[] = {cached, uncached};

			for (int s = 0; s < (round == 0 ? 2 : 1); s++) {
				struct event ev;
				struct result *r = s == 0 ? &got[round][place]
							  : &want[place];

				event_init(&ev, EVENT_DELIVERY);
				ev.status = STATUS_BOUNCED;
				ev.text = span_make(text, strlen(text));
				ev.reply_code = 550;
				(void)status_parse_enhanced("5.1.1", 5,
							    &ev.reply_enh);
				ev.reply = place == 0
					       ? ev.text
					       : span_make(text + second,
							   strlen(text) - second - 1);
				classify_event_with(sets[s], &ev);
				r->c = ev.classification;
				r->cause_at = ev.classification.cause.ptr
						  ? (long long)(ev.classification
									.cause.ptr -
								text)
						  : -1;
			}
		}
	}

	/* The two places give different causes, and the cached results
	 * follow them. */
	assert_true(want[0].cause_at != want[1].cause_at);
	for (int round = 0; round < 2; round++)
		for (int place = 0; place < 2; place++)
			compare(place == 0 ? "reply first" : "reply second",
				&got[round][place], &want[place]);
	assert_true(memo_hits(cached->front) > 0);
	classify_rules_free(cached);
	classify_rules_free(uncached);
	finish_cases();
}

static void
test_masked_key_shared(void **state)
{
	static const char *const replies[] = {
	    "host mx1.example.net[192.0.2.1] said: 554 5.7.1 Service "
	    "unavailable; Client host [192.0.2.7] blocked using "
	    "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7",
	    "host mx2.example.org[198.51.100.2] said: 554 5.7.1 Service "
	    "unavailable; Client host [203.0.113.9] blocked using "
	    "zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9",
	};
	struct classify_rules *rules;
	struct result got[2];

	(void)state;
	assert_int_equal(reasons_init(), 0);
	rules = classify_rules_load(NULL, NULL);
	assert_non_null(rules);
	for (size_t i = 0; i < ARRAY_LEN(replies); i++)
		classify_one(rules, replies[i], &contexts[2], &got[i]);
	assert_int_equal(memo_misses(rules->decisions), 2);
	assert_int_equal(memo_misses(rules->generic), 1);
	assert_int_equal(memo_hits(rules->generic), 1);
	compare("second reply", &got[1], &got[0]);
	classify_rules_free(rules);
	finish_cases();
}

/* A regular expression of a rule set and its literals. */
struct compiled {
	const pcre2_code *re;
	const struct classify_literals *lits;
};

/* rule_set_patterns - every regular expression of rules into out (room
 * for max); returns how many */
static size_t
rule_set_patterns(const struct classify_rules *rules, struct compiled *out,
		  size_t max)
{
	const struct rule_list *lists[] = {&rules->on, &rules->phrases};
	size_t n = 0;

	for (size_t i = 0; i < rules->ndetect && n < max; i++)
		out[n++] = (struct compiled){rules->detect[i].re,
					     &rules->detect[i].literals};
	for (size_t l = 0; l < ARRAY_LEN(lists); l++)
		for (size_t i = 0; i < lists[l]->count && n < max; i++)
			if (lists[l]->items[i].re != NULL)
				out[n++] = (struct compiled){
				    lists[l]->items[i].re,
				    &lists[l]->items[i].literals};
	return n;
}

/* mutate - a copy of text with a few bytes changed, case flipped or a
 * part cut out, into buf (size bytes) */
static void
mutate(const char *text, char *buf, size_t size)
{
	size_t n = strlen(text);

	if (n >= size)
		n = size - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	for (int k = 0; n > 0 && k < 3; k++) {
		size_t at = (size_t)(rng_next() % n);

		switch (rng_next() % 3) {
		case 0:
			buf[at] = (char)(rng_next() % 95 + 32);
			break;
		case 1:
			if (buf[at] >= 'a' && buf[at] <= 'z')
				buf[at] = (char)(buf[at] - 32);
			else if (buf[at] >= 'A' && buf[at] <= 'Z')
				buf[at] = (char)(buf[at] + 32);
			break;
		default: {
			size_t cut = (size_t)(rng_next() % 8) + 1;

			if (at + cut > n)
				cut = n - at;
			memmove(buf + at, buf + at + cut, n - at - cut + 1);
			n -= cut;
		}
		}
	}
}

/*
 * check_literals_sound - a pattern whose literals are all missing from
 * a text never matches it, for every pattern of the built-in rules and
 * every text of t, as it is and mutated.  The test with the text's pairs
 * of bytes gives the same result as the one without.
 */
static void
check_literals_sound(const struct texts *t, size_t *skipped,
		     size_t *matched)
{
	struct classify_rules *rules;
	struct compiled pats[1024];
	struct classify_pairs pairs;
	pcre2_match_data *md;
	size_t npats;
	char buf[4096];

	assert_int_equal(reasons_init(), 0);
	rules = classify_rules_load(NULL, NULL);
	assert_non_null(rules);
	npats = rule_set_patterns(rules, pats, ARRAY_LEN(pats));
	assert_true(npats > 200 && npats < ARRAY_LEN(pats));
	md = pcre2_match_data_create(CLASSIFY_GROUPS, NULL);
	assert_non_null(md);

	for (size_t i = 0; i < t->count; i++)
		for (int v = 0; v < 3; v++) {
			const char *s = t->items[i];

			if (v > 0) {
				mutate(t->items[i], buf, sizeof buf);
				s = buf;
			}
			classify_pairs_build(&pairs, s, strlen(s));
			for (size_t p = 0; p < npats; p++) {
				size_t len = strlen(s);
				bool may = classify_literals_may_match(
				    pats[p].lits, s, len, NULL);
				bool by_pairs = classify_literals_may_match(
				    pats[p].lits, s, len, &pairs);
				int rc = pcre2_match(pats[p].re, (PCRE2_SPTR)s,
						     len, 0, 0, md, NULL);
				char name[64];

				*skipped += !may;
				*matched += rc > 0;
				snprintf(name, sizeof name,
					 "text %zu, pattern %zu", i, p);
				check_int(name, "same with pairs", by_pairs,
					  may);
				if (!may && rc > 0)
					check_int(name, "matched", rc, 0);
			}
		}
	pcre2_match_data_free(md);
	classify_rules_free(rules);
	finish_cases();
}

/* test_literals_sound - check_literals_sound() on the labelled sets and
 * the generated replies */
static void
test_literals_sound(void **state)
{
	struct texts t = {0};
	size_t skipped = 0, matched = 0;

	(void)state;
	read_labelled_sets(&t);
	generate_replies(&t);
	check_literals_sound(&t, &skipped, &matched);

	/* Both sides of the test were taken many times. */
	assert_true(skipped > 1000);
	assert_true(matched > 1000);
	texts_free(&t);
}

/* literals_of - the texts that classify_literals_read() gives for re,
 * joined with "|", or "" when none */
static const char *
literals_of(const char *re, bool utf, char *buf, size_t size)
{
	struct classify_literals lits;
	size_t n = 0;

	classify_literals_read(&lits, re, strlen(re), utf);
	buf[0] = '\0';
	for (size_t k = 0; k < lits.count; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s%.*s",
				      k > 0 ? "|" : "", (int)lits.len[k],
				      lits.text[k]);
	return buf;
}

/* test_literals_read - what the reader takes from patterns of each
 * kind, and where it gives up */
static void
test_literals_read(void **state)
{
	static const struct {
		const char *re;
		bool utf;
		const char *want;
	} cases[] = {
	    {"\\?p=(NoSuchUser)\\b", false, "NoSuchUser"},
	    {"foo|bar", false, "foo|bar"},
	    {"foo|", false, ""},
	    {"(?:^|\\.)(?:gmail|google)\\.com\\.?$", false, "gmail|google"},
	    {"ab+cd", false, "ab"},
	    {"xa?bcd", false, "bcd"},
	    {"x(?:abc)?y", false, "x"},
	    {"x(?:abc)+y", false, "abc"},
	    {"\\d{3}_10[1-3]", false, "_10"},
	    {"\\(S\\d{3,5}\\)", false, "(S"},
	    {"(?!spam)ham", false, "ham"},
	    {"(?<!rate )quota", false, "quota"},
	    {"[)(|]abc", false, "abc"},
	    {"[]a]bc", false, "bc"},
	    {"[[:alpha:]]xy", false, ""},
	    {"[\\c]xyz]abc", false, "abc"},
	    {"x[\\E]abcd]", false, ""},
	    {"[\\E](]|zzz[\\E])]", false, ""},
	    {"(?:ab\\c(|cd\\c))efg", false, ""},
	    {"task", true, "ta"},
	    {"(?i)abc", false, ""},
	    {"\\Qabc\\E", false, ""},
	    {"a{x}", false, ""},
	    {"abc)", false, ""},
	    {"\\x41bc", false, ""},
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		check_str(cases[i].re, "literals",
			  literals_of(cases[i].re, cases[i].utf, buf,
				      sizeof buf),
			  cases[i].want);
	finish_cases();
}

/* utf8 - the UTF-8 bytes of code point cp into b; returns their count */
static size_t
utf8(unsigned cp, unsigned char *b)
{
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	b[0] = (unsigned char)(0xe0 | cp >> 12);
	b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

/*
 * test_literals_ascii_folds - in UTF mode a caseless ASCII letter
 * matches a character outside ASCII only for "k" and "s", the two that
 * the reader leaves out of literals there.  Every character of the Basic
 * Multilingual Plane is tried.
 */
static void
test_literals_ascii_folds(void **state)
{
	unsigned char *all = malloc(3 * 0x10000);
	size_t n = 0;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);

	(void)state;
	assert_non_null(all);
	assert_non_null(md);
	for (unsigned cp = 0x80; cp < 0x10000; cp++)
		if (cp < 0xd800 || cp >= 0xe000)
			n += utf8(cp, all + n);
	for (char c = 'A'; c <= 'z'; c++) {
		char name[2] = {c, '\0'}, lits[8];
		int err;
		PCRE2_SIZE at;
		pcre2_code *re;
		bool folds, left_out;

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			continue;
		re = pcre2_compile((PCRE2_SPTR)name, 1,
				   PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP |
				       PCRE2_MATCH_INVALID_UTF,
				   &err, &at, NULL);
		assert_non_null(re);
		folds = pcre2_match(re, all, n, 0, 0, md, NULL) > 0;
		left_out = strcmp(literals_of(name, true, lits, sizeof lits),
				  "") == 0;
		check_int(name, "folds outside ASCII", folds, left_out);
		pcre2_code_free(re);
	}
	pcre2_match_data_free(md);
	free(all);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_labelled_sets),
	    cmocka_unit_test(test_generated_ids),
	    cmocka_unit_test(test_masked_key_shared),
	    cmocka_unit_test(test_reply_place_in_key),
	    cmocka_unit_test(test_literals_sound),
	    cmocka_unit_test(test_literals_read),
	    cmocka_unit_test(test_literals_ascii_folds),
	    cmocka_unit_test(test_locale_applied),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("classify_cache", tests, ARRAY_LEN(tests));
}
