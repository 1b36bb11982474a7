/* SPDX-License-Identifier: MIT */
/*
 * prom.c - the Prometheus text exposition format, version 0.0.4
 */
#include <assert.h>
#include <inttypes.h>

#include "bouncelog/ascii.h"
#include "bouncelog/escape.h"
#include "bouncelog/prom.h"

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

void
prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	assert(prom_valid_metric_name(name));

	fprintf(out, "# HELP %s ", name);
	for (const char *p = help; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			putc(*p, out);
	}
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

void
prom_label_value(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	putc('"', out);
	while (i < len) {
		size_t n = utf8_sequence_len(p + i, len - i);

		if (n == 0) {
			fputs(replacement, out);
			i++;
		} else if ((n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) ||
			   utf8_is_bidi_control(p + i, n)) {
			fputs(replacement, out);
			i += n;
		} else if (n > 1) {
			fwrite(p + i, 1, n, out);
			i += n;
		} else if (p[i] == '\\' || p[i] == '"') {
			putc('\\', out);
			putc(p[i++], out);
		} else if (p[i] == '\n') {
			fputs("\\n", out);
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fputs(replacement, out);
			i++;
		} else {
			putc(p[i++], out);
		}
	}
	putc('"', out);
}

/* write_labels - "{a="x",b="y"}", or nothing without labels */
static void
write_labels(FILE *out, const struct prom_label *labels, size_t n)
{
	if (n == 0)
		return;
	putc('{', out);
	for (size_t i = 0; i < n; i++) {
		assert(prom_valid_label_name(labels[i].name));
		fprintf(out, "%s%s=", i ? "," : "", labels[i].name);
		prom_label_value(out, labels[i].value, labels[i].len);
	}
	putc('}', out);
}

void
prom_sample(FILE *out, const char *name, const struct prom_label *labels,
	    size_t n, uint64_t value)
{
	assert(prom_valid_metric_name(name));

	fputs(name, out);
	write_labels(out, labels, n);
	fprintf(out, " %" PRIu64 "\n", value);
}

void
prom_sample_int(FILE *out, const char *name, const struct prom_label *labels,
		size_t n, int64_t value)
{
	assert(prom_valid_metric_name(name));

	fputs(name, out);
	write_labels(out, labels, n);
	fprintf(out, " %" PRId64 "\n", value);
}

/* name_char - whether c may appear in a name; first for its first byte */
static bool
name_char(unsigned char c, bool first, bool colon)
{
	if (ascii_isalpha(c) || c == '_' || (colon && c == ':'))
		return true;
	return !first && ascii_isdigit(c);
}

bool
prom_valid_metric_name(const char *name)
{
	if (name[0] == '\0')
		return false;
	for (size_t i = 0; name[i] != '\0'; i++)
		if (!name_char((unsigned char)name[i], i == 0, true))
			return false;
	return true;
}

bool
prom_valid_label_name(const char *name)
{
	if (name[0] == '\0' || (name[0] == '_' && name[1] == '_'))
		return false;
	for (size_t i = 0; name[i] != '\0'; i++)
		if (!name_char((unsigned char)name[i], i == 0, false))
			return false;
	return true;
}
