/* SPDX-License-Identifier: MIT */
/*
 * cli.c - the command line
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bouncelog/cli.h"
#include "bouncelog/diag.h"
#include "bouncelog/extract.h"
#include "bouncelog/i18n.h"
#include "bouncelog/reader.h"
#include "bouncelog/report.h"
#include "bouncelog/run.h"

/* Largest --top value; beyond it a table is no longer a summary. */
#define CLI_TOP_MAX 100000

enum {
	OPT_FORMAT = 256,
	OPT_LOG_FORMAT,
	OPT_LANG,
	OPT_PATTERNS,
	OPT_TOP,
	OPT_YEAR,
	OPT_CLASSIFY,
	/* Outputs (output.h). */
	OPT_OUTPUT,
	OPT_REPORT,
	OPT_CSV_TABLE,
	OPT_CSV_EXCEL,
	OPT_EVENTS,
	OPT_PSEUDONYM_KEY,
	OPT_SHOW_ADDRESSES,
	OPT_MERGE,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_FAIL_ON,
	OPT_COLOR,
	OPT_DETAIL,
};

/* The short options, for both passes over argv: GNU getopt_long()
 * permutes argv, so a pass that did not know that -d and -j take an
 * argument would move that argument behind the next option. */
#define SHORT_OPTIONS ":hVvqj:d:"

static const struct option long_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"log-format", required_argument, NULL, OPT_LOG_FORMAT},
	{"lang", required_argument, NULL, OPT_LANG},
	{"patterns", required_argument, NULL, OPT_PATTERNS},
	{"top", required_argument, NULL, OPT_TOP},
	{"detail", required_argument, NULL, OPT_DETAIL},
	{"year", required_argument, NULL, OPT_YEAR},
	{"jobs", required_argument, NULL, 'j'},
	{"classify", no_argument, NULL, OPT_CLASSIFY},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"report", required_argument, NULL, OPT_REPORT},
	{"csv-table", required_argument, NULL, OPT_CSV_TABLE},
	{"csv-excel", no_argument, NULL, OPT_CSV_EXCEL},
	{"events", required_argument, NULL, OPT_EVENTS},
	{"pseudonym-key", required_argument, NULL, OPT_PSEUDONYM_KEY},
	{"show-addresses", no_argument, NULL, OPT_SHOW_ADDRESSES},
	{"merge", no_argument, NULL, OPT_MERGE},
	{"day", required_argument, NULL, 'd'},
	{"since", required_argument, NULL, OPT_SINCE},
	{"until", required_argument, NULL, OPT_UNTIL},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"color", required_argument, NULL, OPT_COLOR},
	{"verbose", no_argument, NULL, 'v'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* list_formats - "postfix, exim, ..." from the extractor registry */
static void
list_formats(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; extractor_backends[i] != NULL && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "",
					 extractor_backends[i]->name);
}

/*
 * print_help - the usage text.  Each paragraph and option is one
 * message, so that translators can align the option column and wrap the
 * text to 80 columns themselves.
 */
static void
print_help(void)
{
	char format_list[256];

	list_formats(format_list, sizeof format_list);
	fputs(_("Usage: bouncelog [OPTION]... [FILE]...\n"
		"  or:  bouncelog --merge [OPTION]... FILE.json...\n"
		"  or:  bouncelog --classify [OPTION]... [TEXT]...\n"
		"Report which mail failed, where and why, from mail server "
		"logs.\n"),
	      stdout);
	putchar('\n');
	printf(_("FILE is a plain or gzip-compressed log; - reads standard "
		 "input.\n"
		 "With no FILE, read %s.\n"),
	       CLI_DEFAULT_INPUT);
	putchar('\n');
	fputs(_("  --format=FORMAT      report format: text (default), json, "
		"html, csv or\n"
		"                       prometheus; csv.TABLE picks a CSV "
		"table\n"),
	      stdout);
	fputs(_("  --output=FILE        write the report to FILE, replacing "
		"it atomically,\n"
		"                       instead of to standard output\n"),
	      stdout);
	fputs(_("  --report=FORMAT:FILE also write the report in FORMAT to "
		"FILE (repeatable;\n"
		"                       FILE - is standard output)\n"),
	      stdout);
	fputs(_("  --csv-table=TABLE    CSV table: codes (default), reasons, "
		"domains, hosts,\n"
		"                       senders or events\n"),
	      stdout);
	fputs(_("  --csv-excel          CSV for Excel: ';' separator and a "
		"UTF-8 byte order mark\n"),
	      stdout);
	fputs(_("  --events=FILE        write one JSON object per failure to "
		"FILE (- is\n"
		"                       standard output)\n"),
	      stdout);
	fputs(_("  --pseudonym-key=FILE derive the pseudonyms of addresses in "
		"events from the\n"
		"                       secret in FILE (default: a random "
		"key for each run)\n"),
	      stdout);
	fputs(_("  --show-addresses     write addresses and reply texts in "
		"events in clear\n"),
	      stdout);
	printf(_("  --log-format=FORMAT  input format: auto (default: each "
		 "line's own), or one of\n"
		 "                       %s\n"),
	       format_list);
	fputs(_("  --lang=LANG          report language: en or tr (default: "
		"from the locale)\n"),
	      stdout);
	fputs(_("  --color=WHEN         colour the text report: auto (default: "
		"on a terminal,\n"
		"                       unless NO_COLOR is set), always or "
		"never\n"),
	      stdout);
	fputs(_("  --patterns=DIR       read FORMAT.pat extractor patterns "
		"and the reasons.pat\n"
		"                       and providers.pat rules from DIR "
		"instead of the\n"
		"                       built-in ones\n"),
	      stdout);
	fputs(_("  --classify           classify each TEXT, or each line of "
		"standard input,\n"
		"                       as an SMTP response: print reply "
		"code, enhanced code,\n"
		"                       reason, kind and evidence, "
		"tab-separated (one JSON\n"
		"                       object per line with --format=json)\n"),
	      stdout);
	fputs(_("  --merge              read each FILE as a JSON summary "
		"(--format=json output,\n"
		"                       plain or gzip) and report their sum; "
		"top lists merge\n"
		"                       with a known error bound (see "
		"doc/json-schema.md)\n"),
	      stdout);
	printf(_("  --top=N              rows in each top table (default "
		 "%d)\n"),
	       REPORT_TOP_DEFAULT);
	fputs(_("  --detail=LEVEL       how much the text report shows: "
		"summary (the totals\n"
		"                       and the reasons), normal (default) "
		"or full (every kept\n"
		"                       example, and --top domains and hosts "
		"per reason)\n"),
	      stdout);
	fputs(_("  --year=YEAR          read timestamps without a year (\"Dec  "
		"4 06:25:01\")\n"
		"                       as dated in the 12 months up to the "
		"end of YEAR\n"
		"                       (default: from each file's "
		"modification time)\n"),
	      stdout);
	fputs(_("  -d, --day=DAY        count only lines of one local day, "
		"midnight to midnight:\n"
		"                       today, yesterday or YYYY-MM-DD\n"),
	      stdout);
	fputs(_("  --since=TIME         count only lines logged at TIME or "
		"later; TIME is\n"
		"                       YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]' "
		"(local time, see TZ)\n"
		"                       or RFC 3339 with an offset\n"),
	      stdout);
	fputs(_("  --until=TIME         count only lines logged before "
		"TIME\n"),
	      stdout);
	fputs(_("  --fail-on=CONDITION  exit with status 3 after the report "
		"when CONDITION is\n"
		"                       met, such as bounce-rate>5%, "
		"deferred>1000 or\n"
		"                       reason:blocked>0; repeat it or "
		"separate conditions\n"
		"                       with commas\n"),
	      stdout);
	fputs(_("  -j, --jobs=N         parse up to N files at once, and "
		"tally in another\n"
		"                       thread (default: the number of "
		"processors; 1 uses\n"
		"                       one thread); the report is the same "
		"for any N\n"),
	      stdout);
	fputs(_("  -v, --verbose        also show unrecognized lines "
		"(repeat for more)\n"),
	      stdout);
	fputs(_("  -q, --quiet          do not show warnings or the progress "
		"line\n"),
	      stdout);
	fputs(_("  -h, --help           show this help and exit\n"), stdout);
	fputs(_("  -V, --version        show the version and exit\n"), stdout);
	putchar('\n');
	fputs(_("Exit status: 0 report written; 1 an input could not be read "
		"or was\n"
		"damaged (the report covers the rest), or the report could "
		"not be written;\n"
		"2 invalid command line; 3 report written and a --fail-on "
		"condition is met\n"
		"(1 takes precedence over 3).\n"),
	      stdout);
}

/* report_bad_option - an unknown option or one missing its argument */
static void
report_bad_option(int c, const char *arg)
{
	char shortopt[3] = {'-', (char)optopt, '\0'};
	bool is_short = c == '?' && optopt > 0 && optopt < 128;
	const char *name = is_short ? shortopt : arg;

	if (c == ':')
		diag_error(_("option '%s' requires an argument"), name);
	else
		diag_error(_("unrecognized option '%s'"), name);
}

static enum cli_result
usage_error(void)
{
	fputs(_("Try 'bouncelog --help' for more information.\n"), stderr);
	return CLI_ERROR;
}

/* parse_number - a decimal number from min to max */
static bool
parse_number(const char *s, unsigned long min, unsigned long max,
	     unsigned long *out)
{
	unsigned long value = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		value = value * 10 + (unsigned long)(*s - '0');
		if (value > max)
			return false;
	}
	*out = value;
	return value >= min;
}

static bool
valid_log_format(const char *name)
{
	return strcmp(name, "auto") == 0 || extractor_find(name) != NULL;
}

/* nonempty_file - whether a FILE argument is usable; else a diagnostic */
static bool
nonempty_file(const char *option, const char *arg)
{
	if (arg[0] != '\0')
		return true;
	diag_error(_("invalid %s value ''; give a file name, or - for "
		     "standard output"), option);
	return false;
}

/* apply_output_option - an option of output.h; false after a usage
 * error */
static bool
apply_output_option(int c, const char *arg, struct options *opts)
{
	enum report_csv_table table;

	switch (c) {
	case OPT_OUTPUT:
		opts->output = arg;
		return nonempty_file("--output", arg);
	case OPT_REPORT:
		if (opts->nreports == OUTPUT_REPORTS_MAX) {
			diag_error(_("too many --report options; at most %d"),
				   OUTPUT_REPORTS_MAX);
			return false;
		}
		return output_parse_report(arg,
					   &opts->reports[opts->nreports++]);
	case OPT_CSV_TABLE:
		if (!report_csv_table_find(arg, strlen(arg), &table)) {
			diag_error(_("invalid --csv-table value '%s'; use "
				     "codes, reasons, domains, hosts, senders "
				     "or events"),
				   arg);
			return false;
		}
		opts->csv_table = table;
		return true;
	case OPT_CSV_EXCEL:
		opts->csv_excel = true;
		return true;
	case OPT_EVENTS:
		opts->events = arg;
		return nonempty_file("--events", arg);
	case OPT_PSEUDONYM_KEY:
		opts->pseudonym_key = arg;
		return nonempty_file("--pseudonym-key", arg);
	case OPT_SHOW_ADDRESSES:
		opts->show_addresses = true;
		return true;
	}
	return false;
}

/* parse_fail_on - one --fail-on value, added to the list */
static bool
parse_fail_on(const char *arg, struct threshold_list *list)
{
	char error[THRESHOLD_MESSAGE_MAX];

	if (!threshold_parse(arg, list, error, sizeof error)) {
		diag_error(_("invalid --fail-on %s"), error);
		return false;
	}
	return true;
}

/* parse_bound - a --since or --until value */
static bool
parse_bound(const char *option, const char *arg, struct timerange_bound *bound,
	    bool *has_bound)
{
	const char *error;

	if (!timerange_parse_bound(arg, bound, &error)) {
		diag_error(_("invalid %s value '%s': %s"), option, arg,
			   _(error));
		return false;
	}
	*has_bound = true;
	return true;
}

/*
 * finish_range - turn -d into a range once all options are read, because
 * it cannot be combined with --since or --until.  Also reject an empty
 * range.
 */
static bool
finish_range(struct options *opts)
{
	struct timerange *range = &opts->range;
	char since[TIMERANGE_TEXT_MAX], until[TIMERANGE_TEXT_MAX];
	const char *error;

	if (opts->day != NULL) {
		if (timerange_active(range)) {
			diag_error(_("-d cannot be combined with --since or "
				     "--until; give one day or a range"));
			return false;
		}
		if (!timerange_parse_day(opts->day, time(NULL), range, &error)) {
			diag_error(_("invalid -d value '%s': %s"), opts->day,
				   _(error));
			return false;
		}
	}
	if (range->has_since && range->has_until &&
	    range->since.utc_us >= range->until.utc_us) {
		diag_error(_("empty time range: --since %s is not before "
			     "--until %s"),
			   timerange_format(&range->since, since, sizeof since),
			   timerange_format(&range->until, until, sizeof until));
		return false;
	}
	return true;
}

/* apply_option - one parsed option; false after a usage error */
static bool
apply_option(int c, const char *arg, struct options *opts)
{
	unsigned long value;

	switch (c) {
	case OPT_FORMAT: {
		struct output_format f;

		if (!output_parse_format(arg, &f))
			return false;
		opts->format = f.writer;
		opts->format_table = f.csv_table;
		return true;
	}
	case OPT_LOG_FORMAT:
		if (!valid_log_format(arg)) {
			char format_list[256];

			list_formats(format_list, sizeof format_list);
			diag_error(_("invalid log format '%s'; use auto or one "
				     "of: %s"),
				   arg, format_list);
			return false;
		}
		opts->log_format = arg;
		return true;
	case OPT_LANG:
		if (!lang_parse_code(arg, &opts->lang)) {
			diag_error(_("invalid language '%s'; use en or tr"),
				   arg);
			return false;
		}
		return true;
	case OPT_PATTERNS:
		if (arg[0] == '\0') {
			diag_error(_("invalid --patterns value ''; give a "
				     "directory that holds FORMAT.pat files"));
			return false;
		}
		opts->pattern_dir = arg;
		return true;
	case OPT_TOP:
		if (!parse_number(arg, 1, CLI_TOP_MAX, &value)) {
			diag_error(_("invalid --top value '%s'; use a number "
				     "from 1 to %d"),
				   arg, CLI_TOP_MAX);
			return false;
		}
		opts->top = (unsigned)value;
		return true;
	case OPT_DETAIL:
		if (!report_detail_find(arg, &opts->detail)) {
			diag_error(_("invalid --detail value '%s'; use "
				     "summary, normal or full"),
				   arg);
			return false;
		}
		return true;
	case OPT_YEAR:
		if (!parse_number(arg, 1970, 9999, &value)) {
			diag_error(_("invalid --year value '%s'; use a year "
				     "from 1970 to 9999"),
				   arg);
			return false;
		}
		opts->year = (int)value;
		return true;
	case OPT_CLASSIFY:
		opts->classify = true;
		return true;
	case OPT_MERGE:
		opts->merge = true;
		return true;
	case OPT_OUTPUT:
	case OPT_REPORT:
	case OPT_CSV_TABLE:
	case OPT_CSV_EXCEL:
	case OPT_EVENTS:
	case OPT_PSEUDONYM_KEY:
	case OPT_SHOW_ADDRESSES:
		return apply_output_option(c, arg, opts);
	case 'j':
		if (!parse_number(arg, 0, RUN_JOBS_MAX, &value)) {
			diag_error(_("invalid --jobs value '%s'; use a number "
				     "from 0 (the number of processors) to %d"),
				   arg, RUN_JOBS_MAX);
			return false;
		}
		opts->jobs = (int)value;
		return true;
	case 'd':
		opts->day = arg;
		return true;
	case OPT_FAIL_ON:
		return parse_fail_on(arg, &opts->fail_on);
	case OPT_COLOR:
		if (!color_parse(arg, &opts->color)) {
			diag_error(_("invalid --color value '%s'; use auto, "
				     "always or never"),
				   arg);
			return false;
		}
		return true;
	case OPT_SINCE:
	case OPT_UNTIL:
		return parse_bound(c == OPT_SINCE ? "--since" : "--until", arg,
				   c == OPT_SINCE ? &opts->range.since
						  : &opts->range.until,
				   c == OPT_SINCE ? &opts->range.has_since
						  : &opts->range.has_until);
	case 'v':
		opts->verbosity++;
		return true;
	case 'q':
		opts->verbosity = -1;
		return true;
	}
	return false;
}

/* check_merge_options - --merge takes summaries, not logs or texts; a
 * summary keeps no times of its lines, so a time range cannot cut it */
static bool
check_merge_options(const struct options *opts)
{
	const char *log_option = NULL;

	if (opts->classify)
		log_option = "--classify";
	else if (opts->year != 0)
		log_option = "--year";
	else if (opts->pattern_dir != NULL)
		log_option = "--patterns";
	else if (strcmp(opts->log_format, "auto") != 0)
		log_option = "--log-format";
	else if (opts->events != NULL)
		log_option = "--events";
	else if (opts->day != NULL)
		log_option = "--day";
	else if (opts->range.has_since)
		log_option = "--since";
	else if (opts->range.has_until)
		log_option = "--until";
	if (log_option != NULL) {
		diag_error(_("%s cannot be used with --merge, which reads JSON "
			     "summaries instead of logs"),
			   log_option);
		return false;
	}
	if (opts->nfiles == 0) {
		diag_error(_("--merge needs at least one FILE.json; use - for "
			     "standard input"));
		return false;
	}
	return true;
}

enum cli_result
cli_parse(int argc, char **argv, enum lang env_lang, struct options *opts)
{
	static char *default_files[] = {CLI_DEFAULT_INPUT, NULL};
	int c;

	memset(opts, 0, sizeof *opts);
	opts->format = "text";
	opts->log_format = "auto";
	opts->lang = env_lang;
	opts->top = REPORT_TOP_DEFAULT;
	opts->format_table = -1;
	opts->csv_table = CSV_TABLE_CODES;

	/* Report bad options ourselves, so the message names "bouncelog"
	 * and not the path the program was started by. */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, long_options,
				NULL)) != -1) {
		if (c == 'h') {
			print_help();
			return CLI_DONE;
		}
		if (c == 'V') {
			printf("bouncelog %s\n", BOUNCELOG_VERSION);
			printf(_("gzip inflate: %s\n"),
			       reader_inflate_engine());
			return CLI_DONE;
		}
		if (c == '?' || c == ':') {
			report_bad_option(c, argv[optind - 1]);
			return usage_error();
		}
		if (!apply_option(c, optarg, opts))
			return usage_error();
	}

	if (!finish_range(opts))
		return usage_error();

	opts->files = argv + optind;
	opts->nfiles = argc - optind;
	if (opts->merge && !check_merge_options(opts))
		return usage_error();
	if (opts->nfiles == 0 && !opts->classify) {
		opts->files = default_files;
		opts->nfiles = 1;
	}
	if (!output_check(opts))
		return usage_error();
	return CLI_RUN;
}

/* is_c_locale - a locale name under which gettext translates nothing */
static bool
is_c_locale(const char *name)
{
	return strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

enum lang
cli_lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *locale = "C";
	const char *list = getenv("LANGUAGE");
	enum lang lang;

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0') {
			locale = v;
			break;
		}
	}
	if (is_c_locale(locale))
		return LANG_EN;

	/* LANGUAGE is a list such as "de:tr:en"; its first language that
	 * bouncelog has text in wins. */
	while (list != NULL && list[0] != '\0') {
		size_t len = strcspn(list, ":");

		if (lang_parse_locale(list, len, &lang))
			return lang;
		list += len + (list[len] == ':');
	}
	if (lang_parse_locale(locale, strlen(locale), &lang))
		return lang;
	return LANG_EN;
}

enum lang
cli_lang_from_args(int argc, char **argv, enum lang env_lang)
{
	enum lang lang = env_lang;
	enum lang chosen;
	int c;

	/* The same parser as cli_parse(), so that abbreviations and
	 * "--lang tr" count; errors are left to cli_parse(). */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, long_options,
				NULL)) != -1)
		if (c == OPT_LANG && lang_parse_code(optarg, &chosen))
			lang = chosen;
	return lang;
}
