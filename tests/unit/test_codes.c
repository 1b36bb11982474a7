/* SPDX-License-Identifier: MIT */
/*
 * test_codes.c - unit tests of the SMTP code table
 *
 * The first tests check the built-in table from data/codes.tsv: key order,
 * texts in both languages, key forms, the 48 codes that common web lists
 * of SMTP codes carry, the IANA registry codes, the lookup fallbacks and
 * the corrected texts.  The last tests feed codes_load() broken tables and
 * assert the exact diagnostic line through a capturing sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/codes.h"
#include "bouncelog/diag.h"
#include "bouncelog/status.h"
#include "check.h"

#define ALIAS_SOURCE "web lists (dotless enhanced code)"

static const char *const kind_names[] = {
	[CODE_REPLY] = "reply",
	[CODE_ALIAS] = "alias",
	[CODE_CLASS] = "class",
	[CODE_SUBJECT] = "subject",
	[CODE_ENHANCED] = "enhanced",
};

/* Diagnostics captured during one codes_load() call. */
#define CAPTURE_MAX 32

struct capture {
	char lines[CAPTURE_MAX][DIAG_LINE_MAX];
	size_t count;
};

static struct capture captured;

/* capture_sink - keep each diagnostic line for the test to inspect */
static void
capture_sink(enum diag_level level, const char *line, void *arg)
{
	struct capture *cap = arg;

	(void)level;
	if (cap->count < CAPTURE_MAX)
		snprintf(cap->lines[cap->count], DIAG_LINE_MAX, "%s", line);
	cap->count++;
}

static int
setup_builtin(void **state)
{
	(void)state;
	if (codes_init() != 0)
		return -1;
	return 0;
}

static int
setup_capture(void **state)
{
	(void)state;
	memset(&captured, 0, sizeof captured);
	diag_set_sink(capture_sink, &captured);
	return 0;
}

static int
teardown_capture(void **state)
{
	(void)state;
	diag_set_sink(NULL, NULL);
	codes_free();
	return 0;
}

static int
teardown_group(void **state)
{
	(void)state;
	codes_free();
	return 0;
}

/* find_entry - codes_find() that fails the test when the key is missing */
static const struct code_entry *
find_entry(const char *key)
{
	const struct code_entry *e = codes_find(key);

	if (e == NULL)
		fail_msg("codes_find(\"%s\"): got NULL, want an entry", key);
	return e;
}

/* parse_code - parse an enhanced code written in a test case */
static struct enh_status
parse_code(const char *code)
{
	struct enh_status st;

	if (status_parse_enhanced(code, strlen(code), &st) != strlen(code))
		fail_msg("test case code \"%s\" does not parse", code);
	return st;
}

/*
 * enh_key_matches - does key parse as an enhanced code once each "X" part
 * is replaced by the class digit 4, with X exactly in the parts of
 * want_wild (bit 0 class, bit 1 subject, bit 2 detail)?
 */
static bool
enh_key_matches(const char *key, unsigned want_wild)
{
	char digits[16], formatted[ENH_STATUS_LEN];
	struct enh_status st;
	size_t len = strlen(key), part = 0, start = 0;
	unsigned wild = 0;

	if (len >= sizeof digits)
		return false;
	memcpy(digits, key, len + 1);
	for (size_t i = 0; i <= len; i++) {
		if (key[i] != '.' && key[i] != '\0')
			continue;
		if (i - start == 1 && key[start] == 'X') {
			digits[start] = '4';
			wild |= 1u << part;
		}
		part++;
		start = i + 1;
	}
	if (wild != want_wild)
		return false;
	if (status_parse_enhanced(digits, len, &st) != len)
		return false;
	status_format_enhanced(&st, formatted);
	return strcmp(formatted, digits) == 0;
}

/* reply_key_matches - a reply code such as 550, or a class such as 5yz */
static bool
reply_key_matches(const char *key)
{
	size_t len = strlen(key);

	if (len == 3 && key[0] >= '2' && key[0] <= '5' &&
	    strcmp(key + 1, "yz") == 0)
		return true;
	return len == 3 && status_parse_reply(key, len) != 0;
}

/* key_matches_kind - the key forms that codes.h gives for each kind */
static bool
key_matches_kind(const struct code_entry *e)
{
	switch (e->kind) {
	case CODE_REPLY:
		return reply_key_matches(e->key);
	case CODE_ALIAS:
		return strlen(e->key) == 3 &&
		       status_parse_reply(e->key, 3) != 0 && e->key[0] != '3';
	case CODE_CLASS:
		return enh_key_matches(e->key, 2u | 4u);
	case CODE_SUBJECT:
		return enh_key_matches(e->key, 1u | 4u);
	case CODE_ENHANCED:
		return enh_key_matches(e->key, 1u) ||
		       enh_key_matches(e->key, 0u);
	}
	return false;
}

static void
test_builtin_sorted_unique(void **state)
{
	(void)state;
	assert_true(codes_count() > 0);
	assert_null(codes_at(codes_count()));

	for (size_t i = 1; i < codes_count(); i++) {
		const char *prev = codes_at(i - 1)->key;
		const char *key = codes_at(i)->key;

		if (strcmp(prev, key) >= 0)
			fail_msg("entry %zu: got key \"%s\" after \"%s\", want "
				 "strictly increasing byte order",
				 i, key, prev);
	}
}

static void
test_builtin_texts_present(void **state)
{
	(void)state;
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_entry *e = codes_at(i);

		if (e->source[0] == '\0')
			fail_msg("%s: got empty source, want a document",
				 e->key);
		if (e->text[LANG_EN][0] == '\0')
			fail_msg("%s: got empty English text", e->key);
		if (e->text[LANG_TR][0] == '\0')
			fail_msg("%s: got empty Turkish text", e->key);

		/* Identical texts mean the Turkish column was not translated.
		 */
		if (strcmp(e->text[LANG_EN], e->text[LANG_TR]) == 0)
			fail_msg("%s: got the same English and Turkish text "
				 "\"%s\", want a translation",
				 e->key, e->text[LANG_EN]);
	}
}

static void
test_builtin_keys_parse(void **state)
{
	size_t kinds[ARRAY_LEN(kind_names)] = {0};

	(void)state;
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_entry *e = codes_at(i);

		if (!key_matches_kind(e))
			fail_msg("%s: got a key that does not parse for kind "
				 "%s",
				 e->key, kind_names[e->kind]);
		kinds[e->kind]++;
	}

	/* Three classes, eight subjects and fourteen dotless aliases. */
	assert_int_equal(kinds[CODE_CLASS], 3);
	assert_int_equal(kinds[CODE_SUBJECT], 8);
	assert_int_equal(kinds[CODE_ALIAS], 14);
	assert_true(kinds[CODE_ENHANCED] >= 81);
	assert_true(kinds[CODE_REPLY] >= 43);
}

/*
 * The 48 codes that common web lists of SMTP codes carry, with the
 * document that really defines each one.
 */
struct web_list_case {
	const char *key;
	enum code_kind want_kind;
	const char *want_source;
	const char *want_see;
};

static const struct web_list_case web_list_cases[] = {
	{"211", CODE_REPLY, "RFC 5321", ""},
	{"214", CODE_REPLY, "RFC 5321", ""},
	{"220", CODE_REPLY, "RFC 5321", ""},
	{"221", CODE_REPLY, "RFC 5321", ""},
	{"250", CODE_REPLY, "RFC 5321", ""},
	{"251", CODE_REPLY, "RFC 5321", ""},
	{"252", CODE_REPLY, "RFC 5321", ""},
	{"253", CODE_REPLY, "RFC 1985", ""},
	{"354", CODE_REPLY, "RFC 5321", ""},
	{"355", CODE_REPLY, "RFC 1845", ""},
	{"421", CODE_REPLY, "RFC 5321", ""},
	{"432", CODE_REPLY, "RFC 4954", "4.7.12"},
	{"450", CODE_REPLY, "RFC 5321", ""},
	{"451", CODE_REPLY, "RFC 5321", ""},
	{"452", CODE_REPLY, "RFC 5321", ""},
	{"453", CODE_REPLY, "RFC 2645", ""},
	{"454", CODE_REPLY, "RFC 4954, RFC 3207", "4.7.0"},
	{"458", CODE_REPLY, "RFC 1985", ""},
	{"459", CODE_REPLY, "RFC 1985", ""},
	{"500", CODE_REPLY, "RFC 5321", ""},
	{"501", CODE_REPLY, "RFC 5321", ""},
	{"502", CODE_REPLY, "RFC 5321", ""},
	{"503", CODE_REPLY, "RFC 5321", ""},
	{"504", CODE_REPLY, "RFC 5321", ""},
	{"510", CODE_ALIAS, ALIAS_SOURCE, "5.1.0"},
	{"512", CODE_ALIAS, ALIAS_SOURCE, "5.1.2"},
	{"515", CODE_ALIAS, ALIAS_SOURCE, "5.1.5"},
	{"517", CODE_ALIAS, ALIAS_SOURCE, "5.1.7"},
	{"521", CODE_REPLY, "RFC 7504", "5.3.2"},
	{"522", CODE_ALIAS, ALIAS_SOURCE, "5.2.2"},
	{"523", CODE_ALIAS, ALIAS_SOURCE, "5.2.3"},
	{"530", CODE_REPLY, "RFC 4954, RFC 3207", "5.7.0"},
	{"531", CODE_ALIAS, ALIAS_SOURCE, "5.3.1"},
	{"533", CODE_ALIAS, ALIAS_SOURCE, "5.3.3"},
	{"534", CODE_REPLY, "RFC 4954", "5.7.9"},
	{"535", CODE_REPLY, "RFC 4954", "5.7.8"},
	{"538", CODE_REPLY, "RFC 4954", "5.7.11"},
	{"540", CODE_ALIAS, ALIAS_SOURCE, "5.4.0"},
	{"541", CODE_ALIAS, ALIAS_SOURCE, "5.4.1"},
	{"542", CODE_ALIAS, ALIAS_SOURCE, "5.4.2"},
	{"543", CODE_ALIAS, ALIAS_SOURCE, "5.4.3"},
	{"546", CODE_ALIAS, ALIAS_SOURCE, "5.4.6"},
	{"547", CODE_ALIAS, ALIAS_SOURCE, "5.4.7"},
	{"550", CODE_REPLY, "RFC 5321", ""},
	{"551", CODE_REPLY, "RFC 5321", ""},
	{"552", CODE_REPLY, "RFC 5321", ""},
	{"553", CODE_REPLY, "RFC 5321", ""},
	{"554", CODE_REPLY, "RFC 5321", ""},
};

static void
test_web_list_codes_resolve(void **state)
{
	(void)state;
	assert_int_equal(ARRAY_LEN(web_list_cases), 48);

	for (size_t i = 0; i < ARRAY_LEN(web_list_cases); i++) {
		const struct web_list_case *c = &web_list_cases[i];
		const struct code_entry *e = find_entry(c->key);

		check_str(c->key, "kind", kind_names[e->kind],
			  kind_names[c->want_kind]);
		check_str(c->key, "source", e->source, c->want_source);
		check_str(c->key, "see", e->see, c->want_see);
		if (codes_text(e, LANG_EN)[0] == '\0' ||
		    codes_text(e, LANG_TR)[0] == '\0')
			fail_msg("%s: got an empty text, want English and "
				 "Turkish",
				 c->key);
	}
	finish_cases();
}

/* Codes that the table adds beyond the web lists, with their sources. */
static const struct web_list_case added_reply_cases[] = {
	{"235", CODE_REPLY, "RFC 4954", "2.7.0"},
	{"2yz", CODE_REPLY, "RFC 5321", ""},
	{"334", CODE_REPLY, "RFC 4954", ""},
	{"3yz", CODE_REPLY, "RFC 5321", ""},
	{"455", CODE_REPLY, "RFC 5321", ""},
	{"4yz", CODE_REPLY, "RFC 5321", ""},
	{"555", CODE_REPLY, "RFC 5321", ""},
	{"556", CODE_REPLY, "RFC 7504", "5.1.10"},
	{"5yz", CODE_REPLY, "RFC 5321", ""},
	{"2.X.X", CODE_CLASS, "RFC 3463", ""},
	{"4.X.X", CODE_CLASS, "RFC 3463", ""},
	{"5.X.X", CODE_CLASS, "RFC 3463", ""},
};

static void
test_added_codes_resolve(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(added_reply_cases); i++) {
		const struct web_list_case *c = &added_reply_cases[i];
		const struct code_entry *e = find_entry(c->key);

		check_str(c->key, "kind", kind_names[e->kind],
			  kind_names[c->want_kind]);
		check_str(c->key, "source", e->source, c->want_source);
		check_str(c->key, "see", e->see, c->want_see);
	}
	finish_cases();
}

/* Last detail of each subject in the IANA registry. */
static const unsigned registry_last_detail[] = {0, 10, 4, 6, 7, 6, 10, 30};

static void
test_registry_codes_resolve(void **state)
{
	char key[16];

	(void)state;
	for (unsigned s = 0; s < ARRAY_LEN(registry_last_detail); s++) {
		snprintf(key, sizeof key, "X.%u.X", s);
		check_str(key, "kind", kind_names[find_entry(key)->kind],
			  "subject");

		for (unsigned d = 0; d <= registry_last_detail[s]; d++) {
			snprintf(key, sizeof key, "X.%u.%u", s, d);
			check_str(key, "kind",
				  kind_names[find_entry(key)->kind],
				  "enhanced");
		}

		/* The registry stops there, so the next detail is absent. */
		snprintf(key, sizeof key, "X.%u.%u", s,
			 registry_last_detail[s] + 1);
		if (codes_find(key) != NULL)
			fail_msg("%s: got an entry, want none beyond the "
				 "registry",
				 key);
	}
	finish_cases();
}

struct title_case {
	const char *key;
	const char *want_en;
	const char *want_tr;
	const char *want_source;
};

static const struct title_case title_cases[] = {
	{"X.0.0", "Other undefined Status", "Diğer, tanımsız durum",
	 "RFC 3463"},
	{"X.1.1", "Bad destination mailbox address",
	 "Hatalı hedef posta kutusu adresi", "RFC 3463"},
	{"X.1.10", "Recipient address has null MX",
	 "Alıcı adresinin alan adında null MX kaydı var", "RFC 7505, RFC 7504"},
	{"X.2.2", "Mailbox full", "Posta kutusu dolu", "RFC 3463"},
	{"X.4.7", "Delivery time expired", "Teslim süresi doldu", "RFC 3463"},
	{"X.5.6", "Authentication Exchange line is too long",
	 "Kimlik doğrulama alışverişindeki satır çok uzun", "RFC 4954"},
	{"X.7.1", "Delivery not authorized, message refused",
	 "Teslimata yetki verilmedi, ileti reddedildi", "RFC 3463"},
	{"X.7.26", "Multiple authentication checks failed",
	 "Birden çok kimlik doğrulama denetimi başarısız oldu", "RFC 7372"},
	{"X.7.28", "Mail flood detected", "Posta seli algılandı",
	 "draft-levine-mailbomb-header"},
	{"X.7.30", "REQUIRETLS support required", "REQUIRETLS desteği gerekli",
	 "RFC 8689"},
	{"5.X.X", "Permanent Failure", "Kalıcı hata", "RFC 3463"},
	{"X.7.X", "Security or Policy Status", "Güvenlik veya ilke durumu",
	 "RFC 3463"},
};

static void
test_registry_titles(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(title_cases); i++) {
		const struct title_case *c = &title_cases[i];
		const struct code_entry *e = find_entry(c->key);

		check_str(c->key, "en", codes_text(e, LANG_EN), c->want_en);
		check_str(c->key, "tr", codes_text(e, LANG_TR), c->want_tr);
		check_str(c->key, "source", e->source, c->want_source);
	}
	finish_cases();
}

struct enhanced_case {
	const char *name;
	const char *code;
	const char *want_key;
	const char *want_class;
	const char *want_subject;
};

static const struct enhanced_case enhanced_cases[] = {
	{"class-specific entry", "2.7.0", "2.7.0", "2.X.X", "X.7.X"},
	{"any-class entry", "5.7.0", "X.7.0", "5.X.X", "X.7.X"},
	{"registry detail", "4.4.7", "X.4.7", "4.X.X", "X.4.X"},
	{"two-digit detail", "5.7.26", "X.7.26", "5.X.X", "X.7.X"},
	{"unknown detail", "5.1.99", "X.1.0", "5.X.X", "X.1.X"},
	{"unregistered detail", "4.4.8", "X.4.0", "4.X.X", "X.4.X"},
	{"largest detail", "4.7.999", "X.7.0", "4.X.X", "X.7.X"},
	{"unknown subject", "5.9.9", "X.0.0", "5.X.X", NULL},
	{"success class", "2.1.5", "X.1.5", "2.X.X", "X.1.X"},
};

static void
test_enhanced_fallback(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(enhanced_cases); i++) {
		const struct enhanced_case *c = &enhanced_cases[i];
		struct enh_status st = parse_code(c->code);
		const struct code_entry *e;

		e = codes_enhanced(&st);
		check_str(c->name, "codes_enhanced", e ? e->key : NULL,
			  c->want_key);
		e = codes_enh_class(&st);
		check_str(c->name, "codes_enh_class", e ? e->key : NULL,
			  c->want_class);
		e = codes_enh_subject(&st);
		check_str(c->name, "codes_enh_subject", e ? e->key : NULL,
			  c->want_subject);
	}
	finish_cases();
}

static void
test_enhanced_absent(void **state)
{
	struct enh_status none = {0, 1, 1};

	(void)state;
	assert_null(codes_enhanced(NULL));
	assert_null(codes_enhanced(&none));
	assert_null(codes_enh_class(&none));
	assert_null(codes_enh_subject(&none));
}

struct reply_case {
	const char *name;
	int code;
	const char *want_key;
};

static const struct reply_case reply_cases[] = {
	{"own entry", 550, "550"},
	{"authentication success", 235, "235"},
	{"unlisted 5xx", 599, "5yz"},
	{"unlisted 2xx", 299, "2yz"},
	{"unlisted 3xx", 300, "3yz"},
	{"unlisted 4xx", 471, "4yz"},
	{"alias skipped", 547, "5yz"},
	{"alias 510 skipped", 510, "5yz"},
	{"below range", 199, NULL},
	{"above range", 600, NULL},
	{"zero", 0, NULL},
	{"negative", -550, NULL},
};

static void
test_reply_fallback(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
		const struct reply_case *c = &reply_cases[i];
		const struct code_entry *e = codes_reply(c->code);

		check_str(c->name, "codes_reply", e ? e->key : NULL,
			  c->want_key);
	}
	finish_cases();
}

static void
test_aliases_link_real_codes(void **state)
{
	char want[16];

	(void)state;
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_entry *e = codes_at(i);
		struct enh_status st;
		const struct code_entry *target;

		if (e->kind != CODE_ALIAS)
			continue;
		check_str(e->key, "source", e->source, ALIAS_SOURCE);
		st = parse_code(e->see);

		/* The see code has the alias's digits and its own entry. */
		snprintf(want, sizeof want, "%c.%c.%c", e->key[0], e->key[1],
			 e->key[2]);
		check_str(e->key, "see", e->see, want);
		snprintf(want, sizeof want, "X.%c.%c", e->key[1], e->key[2]);
		target = codes_enhanced(&st);
		check_str(e->key, "target", target ? target->key : NULL, want);
	}
	finish_cases();
}

static void
test_see_links_resolve(void **state)
{
	(void)state;
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_entry *e = codes_at(i);
		struct enh_status st;
		const struct code_entry *target;

		if (e->see[0] == '\0' || codes_find(e->see) != NULL)
			continue;
		if (status_parse_enhanced(e->see, strlen(e->see), &st) !=
		    strlen(e->see))
			fail_msg(
			    "%s: got see \"%s\", want a code with an entry",
			    e->key, e->see);

		/* The link must hit "X.s.d", not a fallback entry. */
		target = codes_enhanced(&st);
		if (target == NULL || strcmp(target->key + 1, e->see + 1) != 0)
			fail_msg("%s: see \"%s\" resolves to \"%s\", want "
				 "X%s",
				 e->key, e->see,
				 target ? target->key : "(null)", e->see + 1);
	}
}

/* Texts that web lists get wrong and the table corrects. */
struct text_case {
	const char *key;
	const char *want_en;   /* substring of the English text */
	const char *want_tr;   /* substring of the Turkish text */
	const char *reject_en; /* wrong text that must be gone, or NULL */
};

static const struct text_case corrected_cases[] = {
	{"432", "password transition", "Parola geçişi",
	 "Service not available"},
	{"432", "4.3.2", "4.3.2", NULL},
	{"432", "Exchange", "Exchange", NULL},
	{"454", "Temporary authentication failure",
	 "Geçici kimlik doğrulama hatası", "Encryption required"},
	{"454", "TLS not available", "TLS geçici bir nedenle kullanılamıyor",
	 NULL},
	{"534", "mechanism is too weak", "mekanizması",
	 "weak. Message too big"},
	{"534", "too weak", "çok zayıf", NULL},
	{"535", "credentials invalid", "bilgileri geçersiz",
	 "Multiple servers"},
	{"515", "destination address valid", "hedef adres geçerli", NULL},
	{"515", "misdescribe", "yanlışlıkla", NULL},
	{"547", "delivery time expired", "teslim süresi doldu", NULL},
};

static void
test_corrected_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(corrected_cases); i++) {
		const struct text_case *c = &corrected_cases[i];
		const struct code_entry *e = find_entry(c->key);
		const char *en = codes_text(e, LANG_EN);
		const char *tr = codes_text(e, LANG_TR);

		if (strstr(en, c->want_en) == NULL)
			fail_msg("%s: got en \"%s\", want it to contain \"%s\"",
				 c->key, en, c->want_en);
		if (strstr(tr, c->want_tr) == NULL)
			fail_msg("%s: got tr \"%s\", want it to contain \"%s\"",
				 c->key, tr, c->want_tr);
		if (c->reject_en != NULL && strstr(en, c->reject_en) != NULL)
			fail_msg("%s: got en \"%s\", want no \"%s\"", c->key,
				 en, c->reject_en);
	}
}

static void
test_text_language(void **state)
{
	const struct code_entry *e;

	(void)state;
	e = find_entry("550");
	assert_ptr_equal(codes_text(e, LANG_EN), e->text[LANG_EN]);
	assert_ptr_equal(codes_text(e, LANG_TR), e->text[LANG_TR]);
	assert_ptr_equal(codes_text(e, LANG_COUNT), e->text[LANG_EN]);
	assert_string_equal(codes_text(NULL, LANG_TR), "");
}

static void
test_init_repeated(void **state)
{
	const struct code_entry *before, *after;

	(void)state;
	before = codes_find("550");
	assert_int_equal(codes_init(), 0);
	after = codes_find("550");
	assert_ptr_equal(before, after);

	codes_free();
	assert_int_equal(codes_count(), 0);
	assert_null(codes_find("550"));
	assert_null(codes_reply(550));
	assert_null(codes_at(0));

	assert_int_equal(codes_init(), 0);
	assert_non_null(codes_find("550"));
}

#define HEADER "key\tkind\tsource\tsee\ten\ttr\n"
#define LINE_250 "250\treply\tRFC 5321\t\tOK\tTamam\n"
#define LINE_251 "251\treply\tRFC 5321\t\tForward\tİletilecek\n"
#define EXPECT_REPLY \
	"expected a reply code such as 550 or a reply class such as 5yz"
#define EXPECT_ENH "expected an enhanced code such as X.1.1 or 4.4.7"
#define EXPECT_SEE \
	"expected an enhanced code such as 5.7.8 or a reply code such as 550"

struct load_case {
	const char *name;
	const char *tsv;
	size_t len; /* 0 for strlen(tsv) */
	int want_rc;
	const char *want_diag; /* NULL for none */
};

static const struct load_case load_cases[] = {
	{"valid",
	 HEADER LINE_250 LINE_251, 0, 0, NULL},
	{"no final newline",
	 HEADER "250\treply\tR\t\tOK\tTamam", 0, 0, NULL},
	{"comments and blank lines",
	 HEADER "# note\n\n" LINE_250 "\n", 0, 0, NULL},
	{"see through X key",
	 HEADER "535\treply\tRFC 4954\t5.7.8\tBad\tHatalı\n"
		"X.7.8\tenhanced\tRFC 4954\t\tInvalid\tGeçersiz\n",
	 0, 0, NULL},
	{"alias with target",
	 HEADER "510\talias\tweb\t5.1.0\tAddress\tAdres\n"
		"X.1.0\tenhanced\tRFC 3463\t\tOther\tDiğer\n",
	 0, 0, NULL},
	{"empty text",
	 "", 0, -1,
	 "bouncelog: t.tsv: missing header line"},
	{"header only",
	 HEADER, 0, -1,
	 "bouncelog: t.tsv: no entries in the table"},
	{"header five columns",
	 "key\tkind\tsource\tsee\ten\n" LINE_250, 0, -1,
	 "bouncelog: t.tsv:1: invalid header; expected the columns key, kind, "
	 "source, see, en and tr separated by tabs"},
	{"header with CR",
	 "key\tkind\tsource\tsee\ten\ttr\r\n" LINE_250, 0, -1,
	 "bouncelog: t.tsv:1: invalid header; expected the columns key, kind, "
	 "source, see, en and tr separated by tabs"},
	{"five columns",
	 HEADER "250\treply\tRFC 5321\t\tOK\n", 0, -1,
	 "bouncelog: t.tsv:2: expected 6 tab-separated columns, found 5"},
	{"seven columns",
	 HEADER "250\treply\tRFC 5321\t\tOK\tTamam\tx\n", 0, -1,
	 "bouncelog: t.tsv:2: expected 6 tab-separated columns, found 7"},
	{"unknown kind",
	 HEADER "250\tcode\tRFC 5321\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: unknown kind \"code\"; expected reply, alias, "
	 "class, subject or enhanced"},
	{"reply key with letter",
	 HEADER "25x\treply\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"25x\" for kind reply; "
	 EXPECT_REPLY},
	{"reply code 650",
	 HEADER "650\treply\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"650\" for kind reply; "
	 EXPECT_REPLY},
	{"reply class 6yz",
	 HEADER "6yz\treply\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"6yz\" for kind reply; "
	 EXPECT_REPLY},
	{"alias 3xx",
	 HEADER "310\talias\tR\t3.1.0\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"310\" for kind alias; expected "
	 "three digits such as 510, the first 2, 4 or 5"},
	{"class 3.X.X",
	 HEADER "3.X.X\tclass\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"3.X.X\" for kind class; expected "
	 "an enhanced class such as 5.X.X"},
	{"subject as class",
	 HEADER "X.1.X\tclass\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.1.X\" for kind class; expected "
	 "an enhanced class such as 5.X.X"},
	{"subject as enhanced",
	 HEADER "X.1.X\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.1.X\" for kind enhanced; "
	 EXPECT_ENH},
	{"leading zero",
	 HEADER "X.01.1\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.01.1\" for kind enhanced; "
	 EXPECT_ENH},
	{"X inside a part",
	 HEADER "X.1X.1\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.1X.1\" for kind enhanced; "
	 EXPECT_ENH},
	{"lower-case x",
	 HEADER "x.1.1\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"x.1.1\" for kind enhanced; "
	 EXPECT_ENH},
	{"four parts",
	 HEADER "X.1.1.1\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.1.1.1\" for kind enhanced; "
	 EXPECT_ENH},
	{"detail of four digits",
	 HEADER "X.1.1000\tenhanced\tR\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid key \"X.1.1000\" for kind enhanced; "
	 EXPECT_ENH},
	{"unsorted",
	 HEADER LINE_251 LINE_250, 0, -1,
	 "bouncelog: t.tsv:3: key \"250\" must come before \"251\"; keep the "
	 "entries sorted in byte order (LC_ALL=C sort)"},
	{"duplicate",
	 HEADER LINE_250 LINE_250, 0, -1,
	 "bouncelog: t.tsv:3: duplicate key \"250\"; first defined on line 2"},
	{"line count with comments",
	 HEADER "# note\n\n" LINE_250 LINE_250, 0, -1,
	 "bouncelog: t.tsv:5: duplicate key \"250\"; first defined on line 4"},
	{"empty source",
	 HEADER "250\treply\t\t\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: empty source column for key \"250\""},
	{"empty English",
	 HEADER "250\treply\tR\t\t\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: empty English text for key \"250\""},
	{"empty Turkish",
	 HEADER "250\treply\tR\t\tOK\t\n", 0, -1,
	 "bouncelog: t.tsv:2: empty Turkish text for key \"250\""},
	{"invalid UTF-8",
	 HEADER "250\treply\tR\t\tOK\tTama\xff\n", 0, -1,
	 "bouncelog: t.tsv:2:21: invalid UTF-8"},
	{"overlong UTF-8",
	 HEADER "250\treply\tR\t\tOK\t\xc0\xaf\n", 0, -1,
	 "bouncelog: t.tsv:2:17: invalid UTF-8"},
	{"UTF-16 surrogate",
	 HEADER "250\treply\tR\t\tOK\t\xed\xa0\x80\n", 0, -1,
	 "bouncelog: t.tsv:2:17: invalid UTF-8"},
	{"past U+10FFFF",
	 HEADER "250\treply\tR\t\tOK\t\xf4\x90\x80\x80\n", 0, -1,
	 "bouncelog: t.tsv:2:17: invalid UTF-8"},
	{"cut sequence",
	 HEADER "250\treply\tR\t\tOK\tTama\xc4", 0, -1,
	 "bouncelog: t.tsv:2:21: invalid UTF-8"},
	{"control character",
	 HEADER "250\treply\tR\t\tO\x01K\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2:15: invalid control character 0x01"},
	{"carriage return",
	 HEADER "250\treply\tR\t\tOK\tTamam\r\n", 0, -1,
	 "bouncelog: t.tsv:2:22: invalid control character 0x0d"},
	{"NUL byte",
	 HEADER "250\treply\tR\t\tO\0K\tTamam\n",
	 sizeof(HEADER "250\treply\tR\t\tO\0K\tTamam\n") - 1, -1,
	 "bouncelog: t.tsv:2:15: invalid control character 0x00"},
	{"bad byte in comment",
	 HEADER "# caf\xe9\n" LINE_250, 0, -1,
	 "bouncelog: t.tsv:2:6: invalid UTF-8"},
	{"alias without see",
	 HEADER "510\talias\tweb\t\tAddress\tAdres\n", 0, -1,
	 "bouncelog: t.tsv:2: empty see column for alias \"510\"; expected "
	 "5.1.0"},
	{"alias with other see",
	 HEADER "510\talias\tweb\t5.1.1\tAddress\tAdres\n", 0, -1,
	 "bouncelog: t.tsv:2: see column \"5.1.1\" does not match alias "
	 "\"510\"; expected 5.1.0"},
	{"see not a code",
	 HEADER "250\treply\tR\t5.1\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid see column \"5.1\"; " EXPECT_SEE},
	{"see with X",
	 HEADER "250\treply\tR\tX.1.1\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: invalid see column \"X.1.1\"; " EXPECT_SEE},
	{"see without entry",
	 HEADER "535\treply\tR\t5.7.8\tBad\tHatalı\n", 0, -1,
	 "bouncelog: t.tsv:2: see column \"5.7.8\" has no entry in the table"},
	{"see reply without entry",
	 HEADER "250\treply\tR\t251\tOK\tTamam\n", 0, -1,
	 "bouncelog: t.tsv:2: see column \"251\" has no entry in the table"},
};

static void
test_load_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(load_cases); i++) {
		const struct load_case *c = &load_cases[i];
		size_t len = c->len != 0 ? c->len : strlen(c->tsv);
		int rc;

		memset(&captured, 0, sizeof captured);
		rc = codes_load(c->tsv, len, "t.tsv");
		if (rc != c->want_rc)
			fail_msg(
			    "%s: got rc %d, want %d (first diagnostic: %s)",
			    c->name, rc, c->want_rc,
			    captured.count > 0 ? captured.lines[0] : "none");
		if (c->want_diag == NULL) {
			if (captured.count != 0)
				fail_msg("%s: got diagnostic \"%s\", want none",
					 c->name, captured.lines[0]);
			continue;
		}
		if (captured.count != 1)
			fail_msg("%s: got %zu diagnostics, want 1: \"%s\"",
				 c->name, captured.count, c->want_diag);
		check_str(c->name, "diagnostic", captured.lines[0],
			  c->want_diag);
	}
	finish_cases();
}

static void
test_load_lookup(void **state)
{
	char text[] = HEADER LINE_250 LINE_251;
	const struct code_entry *e;

	(void)state;
	assert_int_equal(codes_load(text, strlen(text), "t.tsv"), 0);
	assert_int_equal(captured.count, 0);

	/* The table keeps its own copy, so the caller may reuse the text. */
	memset(text, 'z', sizeof text - 1);
	assert_int_equal(codes_count(), 2);
	e = codes_reply(251);
	assert_non_null(e);
	assert_string_equal(e->key, "251");
	assert_int_equal(e->kind, CODE_REPLY);
	assert_string_equal(e->source, "RFC 5321");
	assert_string_equal(e->see, "");
	assert_string_equal(codes_text(e, LANG_EN), "Forward");
	assert_string_equal(codes_text(e, LANG_TR), "İletilecek");
	assert_null(codes_reply(550));
	assert_null(codes_reply(599));
}

static void
test_load_failure_keeps_table(void **state)
{
	(void)state;
	assert_int_equal(codes_load(HEADER LINE_250, strlen(HEADER LINE_250),
				    "t.tsv"),
			 0);
	assert_int_equal(codes_load(HEADER LINE_251 LINE_250,
				    strlen(HEADER LINE_251 LINE_250), "t.tsv"),
			 -1);
	assert_int_equal(captured.count, 1);
	assert_int_equal(codes_count(), 1);
	assert_non_null(codes_find("250"));
	assert_null(codes_find("251"));

	/* A successful load replaces the table. */
	assert_int_equal(codes_load(HEADER LINE_251, strlen(HEADER LINE_251),
				    "t.tsv"),
			 0);
	assert_null(codes_find("250"));
	assert_non_null(codes_find("251"));
}

static void
test_load_error_limit(void **state)
{
	char text[4096];
	size_t used;
	char want[DIAG_LINE_MAX];

	(void)state;
	used = (size_t)snprintf(text, sizeof text, "%s", HEADER);
	for (int i = 0; i < CODES_LOAD_ERRORS_MAX + 5; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "x\treply\tR\t\tOK\tTamam\n");
	assert_true(used < sizeof text);

	assert_int_equal(codes_load(text, used, "t.tsv"), -1);
	assert_int_equal(captured.count, CODES_LOAD_ERRORS_MAX + 1);
	assert_string_equal(captured.lines[0],
			    "bouncelog: t.tsv:2: invalid key \"x\" for kind "
			    "reply; expected a reply code such as 550 or a "
			    "reply class such as 5yz");
	snprintf(want, sizeof want,
		 "bouncelog: t.tsv: too many errors; stopped after %d",
		 CODES_LOAD_ERRORS_MAX);
	assert_string_equal(captured.lines[CODES_LOAD_ERRORS_MAX], want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_builtin_sorted_unique,
				       setup_builtin),
		cmocka_unit_test_setup(test_builtin_texts_present,
				       setup_builtin),
		cmocka_unit_test_setup(test_builtin_keys_parse, setup_builtin),
		cmocka_unit_test_setup(test_web_list_codes_resolve,
				       setup_builtin),
		cmocka_unit_test_setup(test_added_codes_resolve, setup_builtin),
		cmocka_unit_test_setup(test_registry_codes_resolve,
				       setup_builtin),
		cmocka_unit_test_setup(test_registry_titles, setup_builtin),
		cmocka_unit_test_setup(test_enhanced_fallback, setup_builtin),
		cmocka_unit_test_setup(test_enhanced_absent, setup_builtin),
		cmocka_unit_test_setup(test_reply_fallback, setup_builtin),
		cmocka_unit_test_setup(test_aliases_link_real_codes,
				       setup_builtin),
		cmocka_unit_test_setup(test_see_links_resolve, setup_builtin),
		cmocka_unit_test_setup(test_corrected_texts, setup_builtin),
		cmocka_unit_test_setup(test_text_language, setup_builtin),
		cmocka_unit_test_setup(test_init_repeated, setup_builtin),
		cmocka_unit_test_setup_teardown(test_load_cases, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_load_lookup, setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_load_failure_keeps_table,
						setup_capture,
						teardown_capture),
		cmocka_unit_test_setup_teardown(test_load_error_limit,
						setup_capture,
						teardown_capture),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, teardown_group);
}
