/* SPDX-License-Identifier: MIT */
/*
 * html.c - a structure check of the HTML report, for the fuzz targets
 */
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "html.h"

/* The check is the harness's own code, not code under test: clang leaves
 * it without coverage instrumentation, which would slow every run and
 * give libFuzzer features that tell nothing about the library. */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

/* Maximum nesting depth: the report's own, with room to spare. */
#define DEPTH_MAX 32

/* Maximum length of an element name of the report, with its NUL. */
#define NAME_MAX_LEN 16

/* The elements the report writes; written apart from src/report_html*.c
 * so that a new element there has to be added here on purpose. */
static const char *const elements[] = {
	"a", "article", "body", "caption", "circle", "code", "dd",
	"defs", "desc", "details", "div", "dl", "dt", "figcaption",
	"figure", "footer", "g", "h1", "h2", "h3", "h4", "head", "header",
	"html", "li", "line", "main", "meta", "nav", "p", "path", "pattern",
	"pre", "rect", "section", "strong", "style", "summary", "svg",
	"table", "tbody", "td", "text", "tfoot", "th", "thead", "time",
	"title", "tr", "tspan", "ul",
};

static const char *const references[] = {
	"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
};

NO_COVERAGE static bool
known_element(const char *name)
{
	for (size_t i = 0; i < sizeof elements / sizeof elements[0]; i++)
		if (strcmp(elements[i], name) == 0)
			return true;
	return false;
}

/* check_reference - the "&" at s[i] starts a reference html_escape()
 * writes */
NO_COVERAGE static void
check_reference(const char *what, const char *s, size_t len, size_t i)
{
	for (size_t r = 0; r < sizeof references / sizeof references[0]; r++) {
		size_t n = strlen(references[r]);

		if (len - i >= n && memcmp(s + i, references[r], n) == 0)
			return;
	}
	fuzz_fail("%s: byte %zu: \"&\" starts no known reference", what, i);
}

/*
 * read_tag - the tag at s[i] ("<name ...>", "</name>" or "<name .../>"):
 * its name, whether it closes or is self-closed, and the index after it
 */
NO_COVERAGE static size_t
read_tag(const char *what, const char *s, size_t len, size_t i,
	 char name[NAME_MAX_LEN], bool *closing, bool *self_closed)
{
	size_t n = 0;
	bool quoted = false;

	i++;
	*closing = i < len && s[i] == '/';
	i += *closing;
	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {
		FUZZ_CHECK(n + 1 < NAME_MAX_LEN, "%s: byte %zu: element name "
			   "too long", what, i);
		name[n++] = s[i++];
	}
	name[n] = '\0';
	FUZZ_CHECK(n > 0 && known_element(name),
		   "%s: byte %zu: \"<\" starts no element of the report", what,
		   i);
	for (; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		FUZZ_CHECK(s[i] != '<', "%s: byte %zu: \"<\" inside a tag",
			   what, i);
		if (!quoted && s[i] == '>')
			break;
	}
	FUZZ_CHECK(i < len, "%s: tag <%s> not ended", what, name);
	*self_closed = s[i - 1] == '/';
	return i + 1;
}

NO_COVERAGE void
fuzz_check_html(const char *what, const char *s, size_t len)
{
	static const char doctype[] = "<!DOCTYPE html>\n";
	char stack[DEPTH_MAX][NAME_MAX_LEN];
	size_t depth = 0, i = sizeof doctype - 1;

	FUZZ_CHECK(len >= i && memcmp(s, doctype, i) == 0,
		   "%s: no doctype", what);
	while (i < len) {
		char name[NAME_MAX_LEN];
		bool closing, self_closed;

		if (s[i] == '&')
			check_reference(what, s, len, i);
		FUZZ_CHECK(s[i] != '>', "%s: byte %zu: \">\" outside a tag",
			   what, i);
		if (s[i] != '<') {
			i++;
			continue;
		}
		i = read_tag(what, s, len, i, name, &closing, &self_closed);
		if (closing) {
			FUZZ_CHECK(depth > 0 && strcmp(stack[depth - 1], name) == 0,
				   "%s: byte %zu: </%s> closes <%s>", what, i,
				   name, depth > 0 ? stack[depth - 1] : "");
			depth--;
		} else if (!self_closed && strcmp(name, "meta") != 0) {
			FUZZ_CHECK(depth < DEPTH_MAX, "%s: nesting too deep",
				   what);
			memcpy(stack[depth++], name, NAME_MAX_LEN);
		}
	}
	FUZZ_CHECK(depth == 0, "%s: <%s> not closed", what,
		   depth > 0 ? stack[depth - 1] : "");
}
