/* SPDX-License-Identifier: MIT */
/*
 * extract_exim.c - Exim main, reject and panic log lines to events
 *
 * Exim writes its own log files, whose lines start with "YYYY-MM-DD
 * HH:MM:SS", then ".mmm" with log_selector +millisec, " +HHMM" with
 * log_timezone and " [pid]" with +pid.  The time is local time unless an
 * offset is given.  Exim can log through syslog instead, as program
 * "exim" or "exim4", where the same text follows the syslog header, with
 * Exim's own time or, with syslog_timestamp off, without it.  This file
 * removes that prefix, lets the rules in patterns/exim.pat find the line
 * shape, and turns their named captures into events.  Rule kinds and the
 * captures each one uses:
 *	arrival		id, flag, from, fields ("<=" and "(=")
 *	delivery	id, flag, to, orig, fields ("=>", "->", ">>", "*>")
 *	failed		id, to, orig, fields, text ("**")
 *	deferred	id, to, orig, errno, strerror, host, text ("==")
 *	removed		id ("Completed")
 *	host_failure	id, host, text (one host of a delivery failed)
 *	reject		id, fields, client, temp, stage, from, to, text
 *	header		(none; a reject-log header line)
 *	info		(none; the line is recognised and not counted)
 * "fields" contains the tags (H=, F=, R=, C=, ...) that the extractor reads
 * by name.
 *
 * Counting rules.  "<=" and "(=" name the sender; "<= <>" with R= is a
 * bounce message that Exim generated (EVENT_NOTIFICATION).  "=>", "->"
 * and ">>" (cutthrough) are deliveries; "*>" (suppressed by -N) is not.
 * Every "**" line of an address counts as bounced, "retry timeout
 * exceeded" included: Exim gave up on the address, and as a bounce its
 * cause stays in the code breakdown.  "==" lines with errno -52, -53 or
 * -54 (retry time not reached) are recognised but not counted, because
 * nothing was tried.
 * A "**" line whose reason has no reply code and no enhanced code (retry
 * timeout exceeded, Unrouteable address, all hosts have been failing)
 * takes the reason text and remote host of the last "==" line of the
 * same message id and recipient read before it in the same run, so that
 * rotated files given oldest first are joined.
 *
 * Exim sends a rejection to syslog twice by default (syslog_duplication),
 * as a main log and as a reject log line; the second copy is not counted.
 * The reject log file repeats the main log's rejections, so a run over
 * both files of the same days counts them twice.
 *
 * The state is bounded: at most EXIM_CAUSES_MAX deferral causes holding
 * EXIM_CAUSES_BYTES_MAX bytes for the whole run, the oldest dropped
 * first, and per input one remembered host and the last rejection of
 * EXIM_PENDING_REJECTS processes.  A reject-log header line counts as
 * recognised only right after a rejection; header folds and other lines
 * that start with a blank are continuation lines of the line before.
 * NOTE: syslog lines that Exim split into "[n/m]" or "[n\m]" pieces are
 * not joined again: the first piece is read as a line of its own, so a
 * reason cut after about 870 bytes loses its end, and later pieces count
 * as recognised continuation pieces.  Joining the pieces of one process
 * in the per-input state would keep the whole reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncelog/ascii.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/strmap.h"
#include "bouncelog/xalloc.h"
#include "extract_backends.h"
#include "extract_exim_impl.h"

extern const char exim_pat[];
extern const size_t exim_pat_len;

/* Deferral causes and bounce message marks kept per run, and the bytes
 * they may hold. */
#define EXIM_CAUSES_MAX 100000
#define EXIM_CAUSES_BYTES_MAX (16 * 1024 * 1024)

/* Counters of the cause table's filter by message id (a power of 2). */
#define EXIM_ID_BUCKETS 65536

/* Maximum bytes of a deferral's reason text kept; the rest is cut. */
#define EXIM_CAUSE_TEXT_MAX 1024

/* Maximum length of a host name or address kept. */
#define EXIM_HOST_MAX 255

/* Maximum length of a host_failure line's error text.  A host with a
 * longer error is not remembered. */
#define EXIM_HOST_ERROR_MAX 256

/* Exim processes whose last syslog rejection is remembered at a time. */
#define EXIM_PENDING_REJECTS 64

/* Maximum length of a key (message id, blank, recipient); longer keys
 * are not kept. */
#define EXIM_KEY_MAX 512

/* Maximum length of a message id: 23 characters since Exim 4.97. */
#define EXIM_ID_MAX 23

/* The rule kinds, in the order of kinds[]. */
enum exim_kind {
	KIND_ARRIVAL,
	KIND_DELIVERY,
	KIND_FAILED,
	KIND_DEFERRED,
	KIND_REMOVED,
	KIND_HOST_FAILURE,
	KIND_REJECT,
	KIND_HEADER,
	KIND_INFO,
	KIND_COUNT,
};

static const char *const kinds[KIND_COUNT] = {
	"arrival", "delivery", "failed", "deferred", "removed",
	"host_failure", "reject", "header", "info",
};

/* The named groups that the kinds read, in the order of group_names[]. */
enum exim_group {
	GROUP_ID,
	GROUP_FLAG,
	GROUP_FROM,
	GROUP_FIELDS,
	GROUP_TO,
	GROUP_ORIG,
	GROUP_TEXT,
	GROUP_ERRNO,
	GROUP_STRERROR,
	GROUP_HOST,
	GROUP_CLIENT,
	GROUP_TEMP,
	GROUP_STAGE,
	GROUP_COUNT,
};

static const char *const group_names[GROUP_COUNT] = {
	"id", "flag", "from", "fields", "to", "orig", "text", "errno",
	"strerror", "host", "client", "temp", "stage",
};

/* A rule's kind and the group numbers of each name, found once per
 * rule, so that a line's captures are read without comparing names. */
struct exim_rule {
	enum exim_kind kind;
	struct pattern_name groups[GROUP_COUNT];
};

/* One remembered deferral, or a mark for a bounce message's id. */
struct cause {
	char *data;		/* owned: key, text, host, addr back to back;
				 * NULL for a free slot */
	size_t key_len;
	size_t text_len;
	size_t host_len;
	size_t addr_len;
	bool has_host;
	bool has_addr;
	uint32_t bucket;	/* id_bucket() of the key */
	/* The entries stored before and after, or CAUSE_NONE.  In a free
	 * slot, newer is the next free slot. */
	uint32_t older;
	uint32_t newer;
};

/* No slot: the end of a list. */
#define CAUSE_NONE UINT32_MAX

/*
 * Deferral causes by "ID RECIPIENT", and bounce messages by "ID" alone
 * (text empty).  The entries form a list in insertion order, so the
 * oldest is evicted first, and a removed entry's slot goes to a free
 * list for the next one.
 *
 * Most delivery lines name an address that was never deferred, and a
 * lookup would make and hash its key for nothing.  by_id[b] counts the
 * entries whose key has id_bucket() b, kept in step by causes_put() and
 * cause_drop(), so a key whose bucket counts 0 is certainly absent.
 */
struct cause_table {
	struct strmap *index;	/* key -> uint32_t slot */
	struct cause *slots;	/* EXIM_CAUSES_MAX, made at first use */
	uint32_t *by_id;	/* EXIM_ID_BUCKETS counts, made with slots */
	uint32_t oldest;	/* CAUSE_NONE when empty */
	uint32_t newest;
	uint32_t free;		/* first freed slot, or CAUSE_NONE */
	uint32_t fresh;		/* slots from here on were never used */
	uint32_t count;		/* entries stored */
	size_t bytes;		/* data bytes held, keys counted twice */
};

/* The host named by the last host_failure line, and its error. */
struct last_host {
	char id[EXIM_ID_MAX];
	size_t id_len;		/* 0 when unset */
	char host[EXIM_HOST_MAX];
	size_t host_len;
	bool has_host;
	char addr[EXIM_HOST_MAX];
	size_t addr_len;
	bool has_addr;
	char error[EXIM_HOST_ERROR_MAX];
	size_t error_len;
};

/* The last rejection that one Exim process sent to syslog. */
struct pending_reject {
	uint64_t pid_hash;
	uint64_t line_hash;
	uint64_t stored;	/* pending_clock when it was stored */
	bool used;
};

/*
 * The cause table lives as long as the extractor, so that a deferral in
 * one rotated file and the final failure in the next are joined.  The
 * other parts belong to one input and are cleared before the next.
 */
struct exim_state {
	struct cause_table causes;
	struct last_host last_host;
	bool after_reject;	/* the last line read was a rejection or
				 * one of its header lines */

	/* Rejections read from syslog whose second copy may follow.  When
	 * all slots are taken, the oldest rejection is forgotten. */
	struct pending_reject pending[EXIM_PENDING_REJECTS];
	uint64_t pending_clock;

	/* The cause that the current event took, copied from the table. */
	char inherited[EXIM_CAUSE_TEXT_MAX + 2 * EXIM_HOST_MAX];

	/* Message ids name a message of one host only.  The first syslog
	 * host seen is kept with the causes.  host_tag is the host of the
	 * line being converted when it is another one, and cause_key()
	 * appends it.  It is empty for the first host and for a line
	 * without a host, such as one of Exim's own main log, which a host
	 * that logs both ways writes beside its syslog. */
	char first_host[EXIM_HOST_MAX];
	size_t first_host_len;
	bool have_first_host;
	struct span host_tag;

	/* One entry per rule of the extractor's set, in file order, made
	 * at the first line; rule is that of the line being converted. */
	struct exim_rule *rules;
	const struct exim_rule *rule;
};

static int
exim_check(const struct pattern_set *set)
{
	return pattern_set_check_kinds(set, "exim", kinds, KIND_COUNT);
}

/* --- The cause table. */

/* cause_key - "ID RECIPIENT" or "ID" into buf, then 0x01 and the host
 * when the line names a host other than the first (host_tag); 0 when too
 * long */
static size_t
cause_key(const struct exim_state *st, struct span id, struct span rcpt,
	  char buf[EXIM_KEY_MAX])
{
	struct span host = st->host_tag;
	size_t len = id.len + (span_present(rcpt) ? 1 + rcpt.len : 0);
	size_t full = len + (host.len > 0 ? 1 + host.len : 0);

	if (id.ptr == NULL || id.len == 0 || full > EXIM_KEY_MAX)
		return 0;
	memcpy(buf, id.ptr, id.len);
	if (span_present(rcpt)) {
		buf[id.len] = ' ';
		memcpy(buf + id.len + 1, rcpt.ptr, rcpt.len);
	}
	if (host.len > 0) {
		buf[len] = 0x01;
		memcpy(buf + len + 1, host.ptr, host.len);
	}
	return full;
}

/* set_host_tag - host_tag for the line's syslog host, hdr NULL without
 * one */
static void
set_host_tag(struct exim_state *st, const struct sysline *hdr)
{
	struct span host = hdr != NULL ? hdr->host : span_make(NULL, 0);

	st->host_tag = span_make(NULL, 0);
	if (host.ptr == NULL || host.len == 0 || host.len > EXIM_HOST_MAX)
		return;
	if (!st->have_first_host) {
		memcpy(st->first_host, host.ptr, host.len);
		st->first_host_len = host.len;
		st->have_first_host = true;
		return;
	}
	if (host.len != st->first_host_len ||
	    memcmp(host.ptr, st->first_host, host.len) != 0)
		st->host_tag = host;
}

/*
 * id_bucket - the filter bucket of a key that starts with id: a hash of
 * id up to its first blank.  A key is "ID RECIPIENT" or "ID", so two
 * keys that are the same bytes get the same bucket even when one id
 * contains a blank, which a user's pattern may allow.  The hash mixes 8
 * bytes at a time and is not the keyed hash of the index, because ids
 * chosen to share a bucket only keep its count above 0.  The index is
 * then searched as before, so a cheap hash cannot make lookups slower
 * than they were.
 */
static uint32_t
id_bucket(struct span id)
{
	const char *blank = memchr(id.ptr, ' ', id.len);
	size_t n = blank != NULL ? (size_t)(blank - id.ptr) : id.len, i = 0;
	uint64_t h = n, word;

	for (; i + 8 <= n; i += 8) {
		memcpy(&word, id.ptr + i, 8);
		h = (h ^ word) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	if (i < n) {
		word = 0;
		for (size_t k = 0; i + k < n; k++)
			word |= (uint64_t)(unsigned char)id.ptr[i + k] << (8 * k);
		h = (h ^ word) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	return (uint32_t)(h >> 40) & (EXIM_ID_BUCKETS - 1);
}

/*
 * causes_may_hold - false when the table certainly has no key that
 * starts with id, which is then not looked up.  The hash is computed
 * only when the table is not empty.
 */
static bool
causes_may_hold(const struct cause_table *t, struct span id)
{
	if (t->count == 0 || id.ptr == NULL || id.len == 0)
		return false;
	return t->by_id[id_bucket(id)] != 0;
}

/* cause_size - the bytes an entry is charged for */
static size_t
cause_size(const struct cause *c)
{
	return 2 * c->key_len + c->text_len + c->host_len + c->addr_len;
}

/* cause_drop - forget the entry in slot i and free the slot for reuse */
static void
cause_drop(struct cause_table *t, uint32_t i)
{
	struct cause *c = &t->slots[i];

	if (c->data == NULL)
		return;
	strmap_remove(t->index, c->data, c->key_len);
	t->by_id[c->bucket]--;
	t->bytes -= cause_size(c);
	free(c->data);

	if (c->older != CAUSE_NONE)
		t->slots[c->older].newer = c->newer;
	else
		t->oldest = c->newer;
	if (c->newer != CAUSE_NONE)
		t->slots[c->newer].older = c->older;
	else
		t->newest = c->older;
	t->count--;

	memset(c, 0, sizeof *c);
	c->newer = t->free;
	t->free = i;
}

/* cause_slot - take a free slot, which exists while the table has
 * fewer than EXIM_CAUSES_MAX entries */
static uint32_t
cause_slot(struct cause_table *t)
{
	uint32_t i = t->free;

	if (i == CAUSE_NONE)
		return t->fresh++;
	t->free = t->slots[i].newer;
	return i;
}

static void
causes_init(struct cause_table *t)
{
	memset(t, 0, sizeof *t);
	t->index = strmap_new(sizeof(uint32_t), EXIM_CAUSES_MAX);
	t->oldest = CAUSE_NONE;
	t->newest = CAUSE_NONE;
	t->free = CAUSE_NONE;
}

static void
causes_clear(struct cause_table *t)
{
	if (t->slots != NULL)
		for (uint32_t i = 0; i < t->fresh; i++)
			free(t->slots[i].data);
	free(t->slots);
	free(t->by_id);
	strmap_free(t->index);
}

/* causes_find - the entry for key, or NULL */
static struct cause *
causes_find(struct cause_table *t, const char *key, size_t key_len)
{
	uint32_t *slot;

	if (key_len == 0)
		return NULL;
	slot = strmap_get(t->index, key, key_len);
	return slot != NULL ? &t->slots[*slot] : NULL;
}

static void
causes_forget(struct cause_table *t, const char *key, size_t key_len)
{
	uint32_t *slot;

	if (key_len == 0)
		return;
	slot = strmap_get(t->index, key, key_len);
	if (slot != NULL)
		cause_drop(t, *slot);
}

/* causes_put - store key with text, host and addr, replacing an old
 * entry; key starts with the message id */
static void
causes_put(struct cause_table *t, const char *key, size_t key_len,
	   struct span text, struct span host, struct span addr)
{
	struct cause c = {0};
	uint32_t i, *slot;
	char *p;

	if (key_len == 0)
		return;
	causes_forget(t, key, key_len);
	if (t->slots == NULL) {
		t->slots = xcalloc(EXIM_CAUSES_MAX, sizeof *t->slots);
		t->by_id = xcalloc(EXIM_ID_BUCKETS, sizeof *t->by_id);
	}

	c.key_len = key_len;
	c.bucket = id_bucket(span_make(key, key_len));
	c.text_len = text.len > EXIM_CAUSE_TEXT_MAX ? EXIM_CAUSE_TEXT_MAX
						   : text.len;
	c.has_host = span_present(host) && host.len <= EXIM_HOST_MAX;
	c.host_len = c.has_host ? host.len : 0;
	c.has_addr = span_present(addr) && addr.len <= EXIM_HOST_MAX;
	c.addr_len = c.has_addr ? addr.len : 0;

	/* Evict the oldest entries until the new one fits. */
	while (t->count > 0 &&
	       (t->count == EXIM_CAUSES_MAX ||
		t->bytes + cause_size(&c) > EXIM_CAUSES_BYTES_MAX))
		cause_drop(t, t->oldest);

	slot = strmap_get_or_add(t->index, key, key_len);
	if (slot == NULL)
		return;
	i = cause_slot(t);
	*slot = i;
	c.data = p =
	    xmalloc(key_len + c.text_len + c.host_len + c.addr_len + 1);
	memcpy(p, key, key_len);
	p += key_len;
	if (c.text_len > 0)
		memcpy(p, text.ptr, c.text_len);
	p += c.text_len;
	if (c.host_len > 0)
		memcpy(p, host.ptr, c.host_len);
	p += c.host_len;
	if (c.addr_len > 0)
		memcpy(p, addr.ptr, c.addr_len);

	c.older = t->newest;
	c.newer = CAUSE_NONE;
	if (t->newest != CAUSE_NONE)
		t->slots[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
	t->slots[i] = c;
	t->by_id[c.bucket]++;
	t->count++;
	t->bytes += cause_size(&c);
}

/* --- Per-input state. */

static void *
exim_state_new(void)
{
	struct exim_state *st = xcalloc(1, sizeof *st);

	causes_init(&st->causes);
	return st;
}

/* exim_state_reset - forget the per-input state, but keep the causes */
static void
exim_state_reset(void *state)
{
	struct exim_state *st = state;

	memset(&st->last_host, 0, sizeof st->last_host);
	st->after_reject = false;
	memset(st->pending, 0, sizeof st->pending);
	st->pending_clock = 0;
}

static void
exim_state_free(void *state)
{
	struct exim_state *st = state;

	if (st == NULL)
		return;
	causes_clear(&st->causes);
	free(st->rules);
	free(st);
}

/* --- The line prefix. */

/* read_number - exactly n digits at s[*pos] */
static bool
read_number(const char *s, size_t len, size_t *pos, int n, int *value)
{
	int v = 0;

	if (*pos + (size_t)n > len)
		return false;
	for (int i = 0; i < n; i++) {
		char c = s[*pos + (size_t)i];

		if (!ascii_isdigit((unsigned char)c))
			return false;
		v = v * 10 + (c - '0');
	}
	*pos += (size_t)n;
	*value = v;
	return true;
}

static bool
read_char(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

/* read_fraction - ".d" to ".dddddd" (more digits are read and ignored) */
static void
read_fraction(const char *s, size_t len, size_t *pos, struct logtime *t)
{
	int digits = 0;
	int32_t usec = 0;

	if (*pos + 1 >= len || s[*pos] != '.' ||
	    !ascii_isdigit((unsigned char)s[*pos + 1]))
		return;
	(*pos)++;
	while (*pos < len && ascii_isdigit((unsigned char)s[*pos])) {
		if (digits < 6)
			usec = usec * 10 + (s[*pos] - '0');
		digits++;
		(*pos)++;
	}
	for (; digits < 6; digits++)
		usec *= 10;
	t->usec = usec;
}

/* read_offset - " +HHMM" or " -HHMM" (log_timezone), if present */
static void
read_offset(const char *s, size_t len, size_t *pos, struct logtime *t)
{
	size_t p = *pos + 2;
	int hh, mm;

	if (*pos + 6 > len || s[*pos] != ' ' ||
	    (s[*pos + 1] != '+' && s[*pos + 1] != '-'))
		return;
	if (!read_number(s, len, &p, 2, &hh) ||
	    !read_number(s, len, &p, 2, &mm) || hh > 23 || mm > 59 ||
	    (p < len && s[p] != ' '))
		return;
	t->has_offset = true;
	t->offset_min =
	    (int16_t)((s[*pos + 1] == '-' ? -1 : 1) * (hh * 60 + mm));
	*pos = p;
}

/* The bytes of the last stamp kept, lookahead included. */
#define STAMP_MEMO_MAX 48

/* The length of "YYYY-MM-DD HH:MM:", a stamp's date and minute. */
#define STAMP_MINUTE_LEN 17

/*
 * The last stamp read in this thread, with the bytes it depends on, and
 * the last valid date and minute, which a new stamp of the same minute
 * reuses.
 */
static _Thread_local struct {
	size_t n;			/* its length; 0 when none is kept */
	char bytes[STAMP_MEMO_MAX];
	struct logtime t;

	bool has_minute;
	char minute[STAMP_MINUTE_LEN];
	int64_t minute_wall;		/* its seconds since the epoch */
} stamp_memo;

/*
 * read_minute - "YYYY-MM-DD HH:MM:" at the start of s, as seconds since
 * the epoch of its wall clock.  Its result depends on these 17 bytes
 * only, so a minute with the same bytes as the last one reuses it.
 */
static bool
read_minute(const char *s, size_t len, int64_t *wall)
{
	size_t pos = SYSLINE_DATE_LEN;
	int64_t days;
	int hour, min;

	if (len >= STAMP_MINUTE_LEN && stamp_memo.has_minute &&
	    memcmp(s, stamp_memo.minute, STAMP_MINUTE_LEN) == 0) {
		*wall = stamp_memo.minute_wall;
		return true;
	}
	if (!sysline_date_days(s, len, &days) ||
	    !read_char(s, len, &pos, ' ') ||
	    !read_number(s, len, &pos, 2, &hour) ||
	    !read_char(s, len, &pos, ':') ||
	    !read_number(s, len, &pos, 2, &min) ||
	    !read_char(s, len, &pos, ':') || hour > 23 || min > 59)
		return false;
	*wall = days * 86400 + hour * 3600 + min * 60;
	memcpy(stamp_memo.minute, s, STAMP_MINUTE_LEN);
	stamp_memo.minute_wall = *wall;
	stamp_memo.has_minute = true;
	return true;
}

/*
 * parse_stamp - Exim's "YYYY-MM-DD HH:MM:SS[.mmm][ +HHMM]" at the start
 * of s, followed by the end or a blank.  Returns the bytes read, or 0.
 * A stamp of n bytes depends on no byte past s[n + STAMP_LOOKAHEAD - 1]
 * and, when len >= n + STAMP_LOOKAHEAD, not on len: the offset test
 * reads at most six bytes past the fraction, and the end test one more.
 */
#define STAMP_LOOKAHEAD 7

static size_t
parse_stamp(const char *s, size_t len, struct logtime *t)
{
	size_t pos = STAMP_MINUTE_LEN;
	int64_t minute;
	int sec;

	memset(t, 0, sizeof *t);
	if (!read_minute(s, len, &minute) ||
	    !read_number(s, len, &pos, 2, &sec))
		return 0;

	/* Second 60 is a leap second; it is read as 59, as for syslog. */
	if (sec > 60)
		return 0;
	if (sec == 60)
		sec = 59;
	t->wall = minute + sec;

	read_fraction(s, len, &pos, t);
	read_offset(s, len, &pos, t);
	if (pos < len && s[pos] != ' ')
		return 0;
	return pos;
}

/*
 * read_stamp - parse_stamp() with a memo of the last stamp.  Lines of
 * the same second repeat it, and each line is read twice, by exim_sniff()
 * and by the extractor.  A hit needs the same bytes that parse_stamp()
 * would read, so it gives the same result.
 */
static size_t
read_stamp(const char *s, size_t len, struct logtime *t)
{
	size_t n = stamp_memo.n;

	if (n > 0 && len >= n + STAMP_LOOKAHEAD &&
	    memcmp(s, stamp_memo.bytes, n + STAMP_LOOKAHEAD) == 0) {
		*t = stamp_memo.t;
		return n;
	}
	n = parse_stamp(s, len, t);
	if (n > 0 && n + STAMP_LOOKAHEAD <= STAMP_MEMO_MAX &&
	    len >= n + STAMP_LOOKAHEAD) {
		memcpy(stamp_memo.bytes, s, n + STAMP_LOOKAHEAD);
		stamp_memo.t = *t;
		stamp_memo.n = n;
	}
	return n;
}

/* skip_blank - one blank at the start of *s, if any */
static void
skip_blank(struct span *s)
{
	if (s->len > 0 && s->ptr[0] == ' ') {
		s->ptr++;
		s->len--;
	}
}

/* strip_pid - "[digits] " (log_selector +pid) at the start of *s */
static void
strip_pid(struct span *s)
{
	size_t pos = 1;

	if (s->len < 3 || s->ptr[0] != '[')
		return;
	while (pos < s->len && ascii_isdigit((unsigned char)s->ptr[pos]))
		pos++;
	if (pos == 1 || pos + 1 >= s->len || s->ptr[pos] != ']' ||
	    s->ptr[pos + 1] != ' ')
		return;
	s->ptr += pos + 2;
	s->len -= pos + 2;
}

/*
 * strip_piece - "[n/m] " or "[n\m] " at the start of a syslog message,
 * which Exim writes when it splits a long or multi-line entry.  Returns
 * n, or 0 when there is no such marker.
 */
static int
strip_piece(struct span *s)
{
	size_t pos = 1;
	int n = 0;

	if (s->len < 6 || s->ptr[0] != '[')
		return 0;
	while (pos < s->len && pos < 6 &&
	       ascii_isdigit((unsigned char)s->ptr[pos]))
		n = n * 10 + (s->ptr[pos++] - '0');
	if (n == 0 || pos >= s->len ||
	    (s->ptr[pos] != '/' && s->ptr[pos] != '\\'))
		return 0;
	pos++;
	if (pos >= s->len || !ascii_isdigit((unsigned char)s->ptr[pos]))
		return 0;
	while (pos < s->len && ascii_isdigit((unsigned char)s->ptr[pos]))
		pos++;
	if (pos + 1 >= s->len || s->ptr[pos] != ']' || s->ptr[pos + 1] != ' ')
		return 0;
	s->ptr += pos + 2;
	s->len -= pos + 2;
	return n;
}

/*
 * read_tag - "HOST PROGRAM[PID]: " at the start of s, as syslog daemons
 * that write no time or a time without "T" put before a message.  Returns
 * the bytes read and sets *program, or 0.
 */
static size_t
read_tag(const char *s, size_t len, struct span *program)
{
	const char *blank = memchr(s, ' ', len);
	size_t pos, start;

	/* The host ends at the first blank and contains no "[" or ":".
	 * Those two are looked for last, after the program name and pid,
	 * because most lines that reach here are Exim's own, whose second
	 * word is not a program name. */
	if (blank == NULL || blank == s)
		return 0;
	pos = (size_t)(blank - s);
	start = ++pos;
	while (pos < len && (ascii_isalnum((unsigned char)s[pos]) ||
			     s[pos] == '-' || s[pos] == '_' || s[pos] == '.' ||
			     s[pos] == '/'))
		pos++;
	if (pos == start || pos >= len || s[pos] != '[')
		return 0;
	*program = span_make(s + start, pos - start);
	pos++;
	start = pos;
	while (pos < len && ascii_isdigit((unsigned char)s[pos]))
		pos++;
	if (pos == start || pos + 2 > len || s[pos] != ']' || s[pos + 1] != ':')
		return 0;
	pos += 2;
	if (pos < len && s[pos] == ' ')
		pos++;
	if (memchr(s, '[', (size_t)(blank - s)) != NULL ||
	    memchr(s, ':', (size_t)(blank - s)) != NULL)
		return 0;
	return pos;
}

/* is_header_line - a line of the reject log's header dump */
static bool
is_header_line(const char *s, size_t len)
{
	static const char types[] = "BCFIPRST*";
	size_t pos = 2;

	if ((len >= 16 && memcmp(s, "Envelope-from: <", 16) == 0) ||
	    (len >= 14 && memcmp(s, "Envelope-to: <", 14) == 0) ||
	    (len == 17 && memcmp(s, "*** truncated ***", 17) == 0))
		return true;
	if (len < 4 || s[1] != ' ' ||
	    memchr(types, s[0], sizeof types - 1) == NULL)
		return false;

	/* A header name: printable ASCII except the colon. */
	while (pos < len && s[pos] > ' ' && s[pos] < 0x7f && s[pos] != ':')
		pos++;
	return pos > 2 && pos < len && s[pos] == ':';
}

/*
 * exim_sniff - a line of Exim's own log files: it starts with Exim's
 * time, or with "HOST PROGRAM[PID]: " and Exim's time (a journal or
 * syslog excerpt without a syslog time), or it is a reject-log header
 * line.
 */
static bool
exim_sniff(const char *text, size_t len)
{
	struct logtime t;
	struct span program;
	size_t n;

	if (read_stamp(text, len, &t) > 0 || is_header_line(text, len))
		return true;
	n = read_tag(text, len, &program);
	return n > 0 && read_stamp(text + n, len - n, &t) > 0;
}

/* --- Rules and their captures. */

/* kind_of - the kind of a rule.  exim_check() has rejected a set with
 * an unknown kind. */
static enum exim_kind
kind_of(const struct pattern_rule *rule)
{
	size_t k = pattern_rule_kind_index(rule, kinds, KIND_COUNT);

	return k < KIND_COUNT ? (enum exim_kind)k : KIND_INFO;
}

/* read_rules - the kind and groups of every rule of set, into st */
static void
read_rules(struct exim_state *st, const struct pattern_set *set)
{
	size_t n = pattern_set_rule_count(set);

	st->rules = xcalloc(n, sizeof *st->rules);
	for (size_t i = 0; i < n; i++) {
		const struct pattern_rule *rule = pattern_set_rule(set, i);
		struct exim_rule *r = &st->rules[i];

		r->kind = kind_of(rule);
		pattern_rule_names(rule, group_names, GROUP_COUNT, r->groups);
	}
}

/* capture - the group of the current rule named by g, as
 * pattern_capture() with its name would read it */
static struct span
capture(const struct exim_state *st, const struct pattern_match *m,
	enum exim_group g)
{
	return pattern_capture_by(m, st->rule->groups[g]);
}

/* --- Reading tag fields. */

/*
 * word_end - the end of the word at fields[i]: the next blank, or for a
 * quoted tag (NAME="..., as DN= and C=), just after the first quote that
 * ends the fields or comes before a blank.  Sets *quoted for a quoted
 * tag.
 * NOTE: Exim does not escape a quote inside a quoted value, so a peer
 * name or reply that contains a quote and a blank ends the value early.
 */
static size_t
word_end(struct span fields, size_t i, bool *quoted)
{
	size_t start = i;
	const char *blank;

	/* The alphanumeric run that starts a word names a quoted tag when
	 * "=\"" follows it.  Either way the run contains no blank. */
	while (i < fields.len && ascii_isalnum((unsigned char)fields.ptr[i]))
		i++;
	*quoted = i > start && i + 1 < fields.len && fields.ptr[i] == '=' &&
		  fields.ptr[i + 1] == '"';
	if (*quoted) {
		const char *end = fields.ptr + fields.len;
		const char *q = fields.ptr + i + 2;

		/* Quoted values (certificate names, replies) are long; only
		 * their quotes need a look. */
		while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
			if (q + 1 == end || q[1] == ' ')
				return (size_t)(q + 1 - fields.ptr);
			q++;
		}
		return fields.len;
	}
	blank = memchr(fields.ptr + i, ' ', fields.len - i);
	return blank != NULL ? (size_t)(blank - fields.ptr) : fields.len;
}

/* tag_at - does the word at fields[i] start with name (n bytes)? */
static bool
tag_at(struct span fields, size_t i, const char *name, size_t n)
{
	/* The first byte alone rules out most words. */
	return (n == 0 || fields.ptr[i] == name[0]) && i + n <= fields.len &&
	       memcmp(fields.ptr + i, name, n) == 0;
}

/* The maximum number of names that tag_values() looks for in one pass. */
#define TAG_NAMES_MAX 4

/*
 * tag_values - the values of count tag names, in one pass over the words
 * of fields.  values[k] gets the text after the first word that starts
 * with names[k], or an absent span; names past TAG_NAMES_MAX stay absent.
 * The first nlead names are leading tags: they are looked for only before
 * the first quoted tag, and their values end there.  The other names are
 * looked for in every word, and their values run to the end of fields.
 * On delivery lines Exim writes F=, R=, T= and H= before the quoted DN=
 * and C=, so a quote inside a peer's name cannot fake one of those tags.
 */
static void
tag_values(struct span fields, size_t nlead, const char *const *names,
	   struct span *values, size_t count)
{
	size_t at[TAG_NAMES_MAX], len[TAG_NAMES_MAX];
	size_t i = 0, lead_end = SIZE_MAX, found = 0, found_lead = 0;

	for (size_t k = 0; k < count; k++)
		values[k] = span_make(NULL, 0);
	if (count > TAG_NAMES_MAX)
		count = TAG_NAMES_MAX;
	if (nlead > count)
		nlead = count;
	for (size_t k = 0; k < count; k++) {
		at[k] = SIZE_MAX;
		len[k] = strlen(names[k]);
	}
	if (fields.ptr == NULL)
		return;
	while (i < fields.len) {
		bool quoted;
		size_t end = word_end(fields, i, &quoted);

		if (quoted && lead_end == SIZE_MAX)
			lead_end = i;
		for (size_t k = lead_end == SIZE_MAX ? 0 : nlead; k < count;
		     k++) {
			if (at[k] == SIZE_MAX &&
			    tag_at(fields, i, names[k], len[k])) {
				at[k] = i;
				found++;
				found_lead += k < nlead;
			}
		}
		/* Leading values need the end of the leading words. */
		if (found - found_lead == count - nlead &&
		    (nlead == 0 || lead_end != SIZE_MAX))
			break;
		i = end;
		while (i < fields.len && fields.ptr[i] == ' ')
			i++;
	}
	if (lead_end == SIZE_MAX)
		lead_end = i;

	for (size_t k = 0; k < count; k++) {
		size_t stop = k < nlead ? lead_end : fields.len;

		if (at[k] != SIZE_MAX && at[k] + len[k] <= stop)
			values[k] = span_make(fields.ptr + at[k] + len[k],
					      stop - at[k] - len[k]);
	}
}

/*
 * tag_value - the text after "NAME=" at the start of a word of fields,
 * to the end of fields; absent when there is none.  Quoted values are
 * skipped whole, so that a tag inside a certificate's name (DN="...")
 * or a server's reply (C="...") is not taken.
 */
static struct span
tag_value(struct span fields, const char *name)
{
	struct span value;

	tag_values(fields, 0, &name, &value, 1);
	return value;
}

/* Letters and digits, a bit for each byte value, for the loop below. */
static const uint64_t alnum_bits[4] = {
    UINT64_C(0x03ff000000000000), /* '0' to '9' */
    UINT64_C(0x07fffffe07fffffe), /* 'A' to 'Z', 'a' to 'z' */
    0, 0,
};

static bool
is_alnum(unsigned char c)
{
	return ((alnum_bits[c >> 6] >> (c & 63)) & 1) != 0;
}

/*
 * extract_exim_delivery_tags - what tag_values() gives for the names F=
 * and H= (leading) and, with reply, C=, in values[0] to values[2].
 * values[2] is absent without reply.  Every delivery, failure and deferral reads these tags,
 * so the loop of tag_values() is written out for them, with word_end()
 * inlined.  A word starts with one of the names when its run of letters
 * and digits is that one letter and "=" follows it.
 * tests/unit/test_extract_exim.c compares the two on real and damaged
 * fields.
 */
void
extract_exim_delivery_tags(struct span fields, bool reply, struct span values[3])
{
	const char *f = fields.ptr;
	size_t len = fields.len, i = 0, lead_end = SIZE_MAX;
	size_t at_f = SIZE_MAX, at_h = SIZE_MAX, at_c = SIZE_MAX;

	values[0] = values[1] = values[2] = span_make(NULL, 0);
	if (f == NULL)
		return;
	while (i < len) {
		size_t start = i;
		bool quoted;
		const char *end;

		while (i < len && is_alnum((unsigned char)f[i]))
			i++;
		quoted = i > start && i + 1 < len && f[i] == '=' &&
			 f[i + 1] == '"';
		if (quoted && lead_end == SIZE_MAX)
			lead_end = start;
		if (i == start + 1 && i < len && f[i] == '=') {
			if (lead_end == SIZE_MAX && f[start] == 'F' &&
			    at_f == SIZE_MAX)
				at_f = start;
			if (lead_end == SIZE_MAX && f[start] == 'H' &&
			    at_h == SIZE_MAX)
				at_h = start;
			if (reply && f[start] == 'C' && at_c == SIZE_MAX)
				at_c = start;
		}
		if (lead_end != SIZE_MAX && (!reply || at_c != SIZE_MAX))
			break;

		/* The end of the word, as word_end() finds it. */
		if (quoted) {
			const char *q = f + i + 2;

			end = f + len;
			while ((q = memchr(q, '"', (size_t)(f + len - q))) !=
			       NULL) {
				if (q + 1 == f + len || q[1] == ' ') {
					end = q + 1;
					break;
				}
				q++;
			}
		} else {
			end = memchr(f + i, ' ', len - i);
			if (end == NULL)
				end = f + len;
		}
		i = (size_t)(end - f);
		while (i < len && f[i] == ' ')
			i++;
	}
	if (lead_end == SIZE_MAX)
		lead_end = i;

	if (at_f != SIZE_MAX && at_f + 2 <= lead_end)
		values[0] = span_make(f + at_f + 2, lead_end - at_f - 2);
	if (at_h != SIZE_MAX && at_h + 2 <= lead_end)
		values[1] = span_make(f + at_h + 2, lead_end - at_h - 2);
	if (at_c != SIZE_MAX)
		values[2] = span_make(f + at_c + 2, len - at_c - 2);
}

void
extract_exim_tag_values(struct span fields, size_t nlead,
			const char *const *names, struct span *values,
			size_t count)
{
	tag_values(fields, nlead, names, values, count);
}

/* first_word - s up to its first blank */
static struct span
first_word(struct span s)
{
	const char *blank = s.ptr ? memchr(s.ptr, ' ', s.len) : NULL;

	if (blank != NULL)
		s.len = (size_t)(blank - s.ptr);
	return s;
}

/* address_value - "<a@b>..." or "a@b ..." to "a@b"; "<>" gives "" */
static struct span
address_value(struct span s)
{
	const char *close;

	if (s.ptr == NULL || s.len == 0 || s.ptr[0] != '<')
		return first_word(s);
	close = memchr(s.ptr, '>', s.len);
	if (close == NULL)
		return first_word(s);
	return span_make(s.ptr + 1, (size_t)(close - s.ptr - 1));
}

/* quoted_value - "\"text\" ..." to the text before the last quote */
static struct span
quoted_value(struct span s)
{
	if (s.ptr == NULL || s.len < 2 || s.ptr[0] != '"')
		return first_word(s);
	for (size_t i = s.len; i > 1; i--)
		if (s.ptr[i - 1] == '"')
			return span_make(s.ptr + 1, i - 2);
	return span_make(s.ptr + 1, s.len - 1);
}

/* A byte value repeated in the 8 bytes of a word. */
#define BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/* has_byte - not 0 when one of the 8 bytes of w is c.  A lane of w ^ c
 * is 0 only for c, and subtracting 1 sets its top bit only then or
 * after a lower lane that was 0. */
static uint64_t
has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ BYTES(c);

	return (x - BYTES(1)) & ~x & BYTES(0x80);
}

/* name_end - the first blank, "(" or "[" of p[0..end), or end.  Host
 * names are mostly longer than 8 bytes, so 8 bytes are tested at a
 * time. */
static const char *
name_end(const char *p, const char *end)
{
	uint64_t w;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if ((has_byte(w, ' ') | has_byte(w, '(') | has_byte(w, '[')) !=
		    0)
			break;
		p += 8;
	}
	while (p < end && *p != ' ' && *p != '(' && *p != '[')
		p++;
	return p;
}

/*
 * split_host - "name (helo) [addr]:port" into name and addr.  Each part
 * is optional: "[addr]" and "(helo) [addr]" give no name, and a HELO name
 * in parentheses may itself look like "[addr]".
 */
static void
split_host(struct span value, struct span *host, struct span *addr)
{
	const char *p = value.ptr;
	const char *end;
	const char *start;

	*host = span_make(NULL, 0);
	*addr = span_make(NULL, 0);
	if (p == NULL)
		return;
	end = value.ptr + value.len;

	start = p;
	p = name_end(p, end);
	if (p > start)
		*host = span_make(start, (size_t)(p - start));
	while (p < end && *p == ' ')
		p++;

	if (p < end && *p == '(') {
		while (p < end && *p != ')')
			p++;
		if (p < end)
			p++;
		while (p < end && *p == ' ')
			p++;
	}

	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close != NULL)
			*addr = span_make(p + 1, (size_t)(close - p - 1));
	}
}

/*
 * host_in_text - the host of old Exim's "SMTP error from remote mailer
 * after RCPT TO:<a@b>: host mx.example.net [192.0.2.7]: 550 ...", which
 * has no H= tag
 */
static void
host_in_text(struct span text, struct event *ev)
{
	static const char lead[] = ": host ";
	size_t n = sizeof lead - 1;
	const char *at;

	if (span_present(ev->remote_host) || span_present(ev->remote_addr) ||
	    text.ptr == NULL || text.len <= n)
		return;

	/* The lead must end before the text does.  memchr() looks for its
	 * "h". */
	at = ascii_find(text.ptr, text.len - 1, lead, n,
			(size_t)(strchr(lead, 'h') - lead));
	if (at == NULL)
		return;
	at += n;
	split_host(span_make(at, (size_t)(text.ptr + text.len - at)),
		   &ev->remote_host, &ev->remote_addr);
}

/* has_code - the reason text contains a reply code or an enhanced code */
static bool
has_code(struct span text)
{
	struct event probe;

	event_init(&probe, EVENT_DELIVERY);
	probe.text = text;
	reply_analyze(&probe);
	return probe.reply_code != 0 || enh_status_present(&probe.reply_enh);
}

/* --- Events. */

/* mark_null_sender - give a bounce message's own deliveries sender "" */
static void
mark_null_sender(struct exim_state *st, struct span id)
{
	char key[EXIM_KEY_MAX];

	causes_put(&st->causes, key, cause_key(st, id, span_make(NULL, 0), key),
		   span_make(NULL, 0), span_make(NULL, 0), span_make(NULL, 0));
}

/* join_null_sender - sender "" for a delivery of a bounce message */
static void
join_null_sender(struct exim_state *st, struct event *ev)
{
	char key[EXIM_KEY_MAX];
	size_t n;

	if (span_present(ev->sender))
		return;
	n = cause_key(st, ev->queue_id, span_make(NULL, 0), key);
	if (causes_find(&st->causes, key, n))
		ev->sender = span_make(ev->queue_id.ptr, 0);
}

static void
forget_cause(struct exim_state *st, struct span id, struct span rcpt)
{
	char key[EXIM_KEY_MAX];

	if (span_present(rcpt))
		causes_forget(&st->causes, key, cause_key(st, id, rcpt, key));
}

/*
 * last_host_apply - the host of the last host_failure line of ev's id,
 * for a failure that names no host and gives the same error.  Exim logs
 * a host's connection error once ("H=mx [addr] Connection refused") and
 * then the error alone for each address of the delivery ("defer (111):
 * Connection refused"), so the error ties them.  A failure with another
 * reason, such as a routing or local delivery failure of the same
 * message, did not involve that host.
 */
static void
last_host_apply(struct exim_state *st, struct event *ev)
{
	const struct last_host *h = &st->last_host;

	if (span_present(ev->remote_host) || span_present(ev->remote_addr) ||
	    h->id_len == 0 || h->id_len != ev->queue_id.len ||
	    memcmp(h->id, ev->queue_id.ptr, h->id_len) != 0)
		return;
	if (ev->text.ptr == NULL || ev->text.len != h->error_len ||
	    memcmp(ev->text.ptr, h->error, h->error_len) != 0)
		return;
	if (h->has_host)
		ev->remote_host = span_make(h->host, h->host_len);
	if (h->has_addr)
		ev->remote_addr = span_make(h->addr, h->addr_len);
}

/*
 * inherit_cause - a code-less final failure takes the text and remote
 * host of the recipient's last deferral.  The cause is copied into the
 * state, because it is forgotten before the event is counted.
 */
static void
inherit_cause(struct exim_state *st, struct event *ev)
{
	char key[EXIM_KEY_MAX];
	const struct cause *c;
	const char *data;
	char *p = st->inherited;

	c = causes_find(&st->causes, key,
			cause_key(st, ev->queue_id, ev->recipient, key));
	if (c == NULL || c->text_len == 0)
		return;
	data = c->data + c->key_len;
	memcpy(p, data, c->text_len);
	ev->text = span_make(p, c->text_len);
	p += c->text_len;
	data += c->text_len;
	if (span_present(ev->remote_host) || span_present(ev->remote_addr))
		return;

	memcpy(p, data, c->host_len);
	if (c->has_host)
		ev->remote_host = span_make(p, c->host_len);
	p += c->host_len;
	data += c->host_len;
	memcpy(p, data, c->addr_len);
	if (c->has_addr)
		ev->remote_addr = span_make(p, c->addr_len);
}

/* name_or_address - a remote host known only by its address is named
 * by it, as the other back ends do */
static void
name_or_address(struct event *ev)
{
	if ((!span_present(ev->remote_host) || ev->remote_host.len == 0) &&
	    span_present(ev->remote_addr))
		ev->remote_host = ev->remote_addr;
}

/* retry_gave_up - does a "**" reason state that Exim stopped retrying? */
static bool
retry_gave_up(struct span text)
{
	/* Each phrase with a byte of it that is rare in reasons, which
	 * ascii_contains() looks for first. */
	static const struct {
		const char *text;
		size_t rare;
	} phrases[] = {
		{"retry timeout exceeded", 15},
		{"have been failing for a long time", 2},
	};

	if (text.ptr == NULL)
		return false;
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		if (ascii_contains(text.ptr, text.len, phrases[i].text,
				   strlen(phrases[i].text), phrases[i].rare))
			return true;
	return false;
}

/*
 * delivery_fields - the tags every delivery line may carry; with reply,
 * also the value of C= (the remote server's reply), read in the same pass
 */
static void
delivery_fields(const struct exim_state *st, const struct pattern_match *m,
		struct event *ev, struct span *reply)
{
	struct span fields = capture(st, m, GROUP_FIELDS);
	struct span orig = capture(st, m, GROUP_ORIG);
	struct span values[3];

	extract_exim_delivery_tags(fields, reply != NULL, values);
	if (reply != NULL)
		*reply = values[2];
	ev->queue_id = capture(st, m, GROUP_ID);
	ev->recipient = capture(st, m, GROUP_TO);
	if (span_present(orig))
		ev->orig_recipient = orig;
	if (span_present(values[0]))
		ev->sender = address_value(values[0]);
	split_host(values[1], &ev->remote_host, &ev->remote_addr);
}

static enum extract_result
convert_arrival(struct exim_state *st, const struct pattern_match *m,
		struct event *ev)
{
	struct span from = capture(st, m, GROUP_FROM);
	struct span fields = capture(st, m, GROUP_FIELDS);
	struct span id = capture(st, m, GROUP_ID);

	if (span_equal(from, "<>"))
		from = span_make(from.ptr, 0);

	/* R= on an arrival names the message that the bounce is about. */
	if (from.len == 0 && span_equal(capture(st, m, GROUP_FLAG), "<=") &&
	    span_present(tag_value(fields, "R="))) {
		event_init(ev, EVENT_NOTIFICATION);
		ev->queue_id = id;
		mark_null_sender(st, id);
		return EXTRACT_EVENT;
	}
	event_init(ev, EVENT_SENDER);
	ev->queue_id = id;
	ev->sender = from;
	return EXTRACT_EVENT;
}

static enum extract_result
convert_delivery(struct exim_state *st, const struct pattern_match *m,
		 struct event *ev)
{
	struct span reply;

	if (span_equal(capture(st, m, GROUP_FLAG), "*>"))
		return EXTRACT_INFO;
	event_init(ev, EVENT_DELIVERY);
	ev->status = STATUS_SENT;
	delivery_fields(st, m, ev, &reply);
	if (span_present(reply))
		ev->text = quoted_value(reply);

	/* One test of the filter covers the three lookups. */
	if (causes_may_hold(&st->causes, ev->queue_id)) {
		join_null_sender(st, ev);
		forget_cause(st, ev->queue_id, ev->recipient);
		forget_cause(st, ev->queue_id, ev->orig_recipient);
	}
	name_or_address(ev);
	return EXTRACT_EVENT;
}

static enum extract_result
convert_failed(struct exim_state *st, const struct pattern_match *m,
	       struct event *ev)
{
	event_init(ev, EVENT_DELIVERY);
	ev->status = STATUS_BOUNCED;
	delivery_fields(st, m, ev, NULL);
	ev->text = capture(st, m, GROUP_TEXT);
	host_in_text(ev->text, ev);
	last_host_apply(st, ev);
	ev->retry_expired = retry_gave_up(ev->text);

	/* Without an entry for the id, none of these can change ev, and
	 * has_code() only reads the text. */
	if (causes_may_hold(&st->causes, ev->queue_id)) {
		if (!has_code(ev->text))
			inherit_cause(st, ev);
		join_null_sender(st, ev);
		forget_cause(st, ev->queue_id, ev->recipient);
	}
	name_or_address(ev);
	return EXTRACT_EVENT;
}

/* retry_not_reached - errno -52, -53, -54: nothing was tried */
static bool
retry_not_reached(struct span errno_text)
{
	return span_equal(errno_text, "-52") || span_equal(errno_text, "-53") ||
	       span_equal(errno_text, "-54");
}

static enum extract_result
convert_deferred(struct exim_state *st, const struct pattern_match *m,
		 struct event *ev)
{
	struct span host = capture(st, m, GROUP_HOST);
	char key[EXIM_KEY_MAX];

	if (retry_not_reached(capture(st, m, GROUP_ERRNO)))
		return EXTRACT_INFO;
	event_init(ev, EVENT_DELIVERY);
	ev->status = STATUS_DEFERRED;
	delivery_fields(st, m, ev, NULL);
	ev->text = capture(st, m, GROUP_TEXT);
	if (!span_present(ev->text))
		ev->text = capture(st, m, GROUP_STRERROR);

	/* " H=name [addr]" comes between the error and the message. */
	if (span_present(host) && host.len > 3)
		split_host(span_make(host.ptr + 3, host.len - 3),
			   &ev->remote_host, &ev->remote_addr);
	host_in_text(ev->text, ev);
	last_host_apply(st, ev);
	if (causes_may_hold(&st->causes, ev->queue_id))
		join_null_sender(st, ev);
	causes_put(&st->causes, key,
		   cause_key(st, ev->queue_id, ev->recipient, key), ev->text,
		   ev->remote_host, ev->remote_addr);
	name_or_address(ev);
	return EXTRACT_EVENT;
}

/* remember_host - keep a host_failure line's host for its message */
static enum extract_result
remember_host(struct exim_state *st, const struct pattern_match *m)
{
	struct last_host *h = &st->last_host;
	struct span id = capture(st, m, GROUP_ID);
	struct span error = capture(st, m, GROUP_TEXT);
	struct span host, addr;

	split_host(capture(st, m, GROUP_HOST), &host, &addr);
	memset(h, 0, sizeof *h);
	if (id.len == 0 || id.len > EXIM_ID_MAX || host.len > EXIM_HOST_MAX ||
	    addr.len > EXIM_HOST_MAX || error.len > EXIM_HOST_ERROR_MAX)
		return EXTRACT_INFO;
	memcpy(h->id, id.ptr, id.len);
	h->id_len = id.len;
	if (error.len > 0)
		memcpy(h->error, error.ptr, error.len);
	h->error_len = error.len;
	if (span_present(host)) {
		memcpy(h->host, host.ptr, host.len);
		h->host_len = host.len;
		h->has_host = true;
	}
	if (span_present(addr)) {
		memcpy(h->addr, addr.ptr, addr.len);
		h->addr_len = addr.len;
		h->has_addr = true;
	}
	return EXTRACT_INFO;
}

static enum extract_result
convert_reject(const struct exim_state *st, const struct pattern_match *m,
	       struct event *ev)
{
	struct span fields = capture(st, m, GROUP_FIELDS);
	struct span client = capture(st, m, GROUP_CLIENT);
	struct span from = capture(st, m, GROUP_FROM);

	event_init(ev, EVENT_REJECT);
	ev->queue_id = capture(st, m, GROUP_ID);
	ev->temporary = span_present(capture(st, m, GROUP_TEMP));
	ev->stage = capture(st, m, GROUP_STAGE);
	ev->text = capture(st, m, GROUP_TEXT);
	ev->recipient = capture(st, m, GROUP_TO);

	/* The daemon's "Connection from ... refused" starts a sentence. */
	if (span_equal(ev->stage, "Connection"))
		ev->stage = span_make("connection", 10);

	if (!span_present(from) && span_present(tag_value(fields, "F=")))
		from = address_value(tag_value(fields, "F="));
	ev->sender = from;
	if (!span_present(client))
		client = tag_value(fields, "H=");
	split_host(client, &ev->client_host, &ev->client_addr);
	return EXTRACT_EVENT;
}

static enum extract_result
exim_convert(struct exim_state *st, const struct pattern_match *m,
	     struct event *ev)
{
	char key[EXIM_KEY_MAX];

	switch (st->rule->kind) {
	case KIND_ARRIVAL:
		return convert_arrival(st, m, ev);
	case KIND_DELIVERY:
		return convert_delivery(st, m, ev);
	case KIND_FAILED:
		return convert_failed(st, m, ev);
	case KIND_DEFERRED:
		return convert_deferred(st, m, ev);
	case KIND_REJECT:
		return convert_reject(st, m, ev);
	case KIND_HOST_FAILURE:
		return remember_host(st, m);
	case KIND_REMOVED:
		event_init(ev, EVENT_REMOVED);
		ev->queue_id = capture(st, m, GROUP_ID);
		if (causes_may_hold(&st->causes, ev->queue_id))
			causes_forget(&st->causes, key,
				      cause_key(st, ev->queue_id,
						span_make(NULL, 0), key));
		return EXTRACT_EVENT;
	case KIND_HEADER:
	case KIND_INFO:
	case KIND_COUNT:
		break;
	}
	return EXTRACT_INFO;
}

/* --- Lines. */

/*
 * strip_prefix - remove "HOST PROGRAM[PID]: " wrappers, Exim's time and
 * "[pid] " from *rest, and set in->time from Exim's time.  Returns false
 * when a wrapper names a program that is not Exim's.
 */
static bool
strip_prefix(struct extractor *x, struct extract_line *in, struct span *rest,
	     bool *stamped)
{
	struct logtime t;
	struct span program;
	size_t n, stamp = read_stamp(rest->ptr, rest->len, &t);

	/* A journal excerpt: "HOST exim[PID]: 2024-03-04 10:00:01 ...".  A
	 * line that starts with Exim's time cannot be one, because the
	 * clock after its date never reads as "PROGRAM[PID]: ". */
	if (in->hdr == NULL && stamp == 0 &&
	    (n = read_tag(rest->ptr, rest->len, &program)) > 0 &&
	    (stamp = read_stamp(rest->ptr + n, rest->len - n, &t)) > 0) {
		if (!pattern_set_program_matches(extractor_patterns(x),
						 program))
			return false;
		rest->ptr += n;
		rest->len -= n;
	}

	/* A syslog time with an offset is kept over Exim's time without one;
	 * otherwise Exim's time wins, because it has the year. */
	*stamped = false;
	n = stamp;
	if (n > 0) {
		*stamped = true;
		if (in->hdr == NULL || !in->hdr->time.has_offset ||
		    t.has_offset) {
			in->has_time = true;
			in->time = t;
		}
		rest->ptr += n;
		rest->len -= n;
		skip_blank(rest);
	}

	/* syslog-ng with a time without "T": "2024-03-04 10:00:01 HOST
	 * exim[PID]: [pid] ..." */
	if (*stamped && in->hdr == NULL &&
	    (n = read_tag(rest->ptr, rest->len, &program)) > 0) {
		if (!pattern_set_program_matches(extractor_patterns(x),
						 program))
			return false;
		rest->ptr += n;
		rest->len -= n;
	}
	strip_pid(rest);
	return true;
}

/* fnv1a - FNV-1a over n bytes, continuing from h */
static uint64_t
fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
	return h;
}

/* pending_slot - the slot of the process pid_hash, else a free one, else
 * the one with the oldest rejection */
static struct pending_reject *
pending_slot(struct exim_state *st, uint64_t pid_hash)
{
	struct pending_reject *oldest = &st->pending[0];

	for (size_t i = 0; i < EXIM_PENDING_REJECTS; i++)
		if (st->pending[i].used && st->pending[i].pid_hash == pid_hash)
			return &st->pending[i];
	for (size_t i = 0; i < EXIM_PENDING_REJECTS; i++) {
		if (!st->pending[i].used)
			return &st->pending[i];
		if (st->pending[i].stored < oldest->stored)
			oldest = &st->pending[i];
	}
	return oldest;
}

/*
 * syslog_duplicate - true for the second copy of a rejection in syslog.
 * With syslog_duplication (on by default) Exim sends a rejection to
 * syslog twice, as a main log line and as a reject log line, from the
 * same process and with the same text.  Other processes may log between
 * the two copies, so the last rejection of each process is remembered,
 * for up to EXIM_PENDING_REJECTS processes at a time.
 * NOTE: with syslog_duplication off, two identical rejections in a row
 * from one process (a client that repeats a refused RCPT) count once.
 * The syslog priority, which would distinguish the two copies, is not in the
 * text of most syslog files.
 */
static bool
syslog_duplicate(struct exim_state *st, const struct sysline *hdr,
		 struct span logged)
{
	uint64_t basis = 0xcbf29ce484222325u;
	uint64_t pid_hash = fnv1a(basis, hdr->pid.ptr, hdr->pid.len);
	uint64_t line_hash = fnv1a(basis, logged.ptr, logged.len);
	struct pending_reject *slot = pending_slot(st, pid_hash);

	if (slot->used && slot->pid_hash == pid_hash &&
	    slot->line_hash == line_hash) {
		slot->used = false;
		return true;
	}
	slot->pid_hash = pid_hash;
	slot->line_hash = line_hash;
	slot->stored = ++st->pending_clock;
	slot->used = true;
	return false;
}

/* classify_header - a reject-log header line counts only after a rejection */
static enum extract_result
classify_header(struct exim_state *st, struct extract_line *in, bool stamped)
{
	if (stamped || !st->after_reject) {
		in->note = _("reject-log header line without a rejection "
			     "before it");
		return EXTRACT_UNKNOWN;
	}
	return EXTRACT_INFO;
}

static enum extract_result
exim_line(struct extractor *x, struct extract_line *in, struct event *ev)
{
	struct exim_state *st = extractor_state(x);
	struct span rest = span_make(in->text, in->len);
	struct span daemon = span_make("exim", 4);
	struct span logged;
	struct pattern_match m;
	enum extract_result result;
	bool stamped;

	if (in->hdr != NULL) {
		rest = in->hdr->message;
		daemon = in->hdr->daemon;
		if (strip_piece(&rest) > 1)
			return EXTRACT_INFO;
	} else if (rest.len > 0 && ascii_isblank((unsigned char)rest.ptr[0])) {
		/* A header fold or an Exim continuation line. */
		return EXTRACT_INFO;
	}
	logged = rest;
	if (!strip_prefix(x, in, &rest, &stamped))
		return EXTRACT_FOREIGN;

	switch (pattern_set_match(extractor_patterns(x), daemon, rest.ptr,
				  rest.len, &m)) {
	case PATTERN_NOMATCH:
		st->after_reject = false;
		return EXTRACT_UNKNOWN;
	case PATTERN_LIMIT:
		st->after_reject = false;
		return EXTRACT_LIMIT;
	case PATTERN_MATCH:
		break;
	}
	if (st->rules == NULL)
		read_rules(st, extractor_patterns(x));
	st->rule = &st->rules[pattern_rule_index(m.rule)];
	if (st->rule->kind == KIND_HEADER)
		return classify_header(st, in, stamped);

	set_host_tag(st, in->hdr);
	result = exim_convert(st, &m, ev);
	st->after_reject = result == EXTRACT_EVENT && ev->type == EVENT_REJECT;
	if (st->after_reject && in->hdr != NULL &&
	    syslog_duplicate(st, in->hdr, logged))
		return EXTRACT_INFO;
	if (result == EXTRACT_EVENT && stamped) {
		ev->time = in->time;
		ev->has_time = true;
	}
	return result;
}

const struct extractor_backend extract_exim = {
	.name = "exim",
	.builtin = exim_pat,
	.builtin_len = &exim_pat_len,
	.syslog = true,
	.sniff = exim_sniff,
	.whole_input = false,
	.check = exim_check,
	.keeps_state = true,
	.state_new = exim_state_new,
	.state_reset = exim_state_reset,
	.state_free = exim_state_free,
	.line = exim_line,
};
