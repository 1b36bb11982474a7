/* SPDX-License-Identifier: MIT */
/*
 * tally_merge.c - add one tally's counts to another
 *
 * The contract is in tally.h.  Exact maps are walked in a fixed order
 * (heaviest keys first, then by key) so that the keys that get a named
 * slot when dst fills up do not depend on the hash table's random order.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/escape.h"
#include "bouncelog/xalloc.h"
#include "tally_impl.h"

/* The kind of value an exact map holds. */
enum map_value {
	VALUE_COUNT,  /* uint64_t */
	VALUE_CODE,   /* struct code_stat */
	VALUE_DOMAIN, /* struct domain_stat */
};

/* An entry of an exact map with the weight it is sorted by. */
struct weighted {
	const char *key;
	size_t key_len;
	uint64_t weight;
	const void *value;
};

void
tally_add_count(uint64_t *dst, uint64_t n)
{
	*dst = *dst > UINT64_MAX - n ? UINT64_MAX : *dst + n;
}

/* weight_of - the number an entry of a kind of map is ranked by */
static uint64_t
weight_of(const void *value, enum map_value kind)
{
	const struct domain_stat *d = value;
	uint64_t sum = 0;

	switch (kind) {
	case VALUE_COUNT:
		return *(const uint64_t *)value;
	case VALUE_CODE:
		return ((const struct code_stat *)value)->count;
	case VALUE_DOMAIN:
		tally_add_count(&sum, d->delivered);
		tally_add_count(&sum, d->deferred);
		tally_add_count(&sum, d->bounced);
		tally_add_count(&sum, d->expired);
		tally_add_count(&sum, d->rejected);
		return sum;
	}
	return 0;
}

static int
weighted_compare(const void *a, const void *b)
{
	const struct weighted *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	c = memcmp(x->key, y->key, n);
	if (c != 0)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

/* sorted_entries - the entries of map, heaviest first, then by key */
static struct weighted *
sorted_entries(const struct strmap *map, enum map_value kind, size_t *n)
{
	struct strmap_entry *e = strmap_entries(map);
	struct weighted *w;

	*n = strmap_count(map);
	w = xcalloc(*n + 1, sizeof *w);
	for (size_t i = 0; i < *n; i++) {
		w[i].key = e[i].key;
		w[i].key_len = e[i].key_len;
		w[i].value = e[i].value;
		w[i].weight = weight_of(e[i].value, kind);
	}
	free(e);
	qsort(w, *n, sizeof *w, weighted_compare);
	return w;
}

bool
tally_same_example(const char *kept, const char *s, size_t len)
{
	return utf8_repaired_equal(kept, strlen(kept), s, len);
}

void
tally_copy_example(char *examples[TALLY_EXAMPLES],
		   unsigned char reasons[TALLY_EXAMPLES], const char *example,
		   enum reason reason)
{
	for (int k = 0; k < TALLY_EXAMPLES; k++) {
		if (examples[k] == NULL) {
			examples[k] = xstrdup(example);
			if (reasons != NULL)
				reasons[k] = (unsigned char)reason;
			return;
		}
		if (tally_same_example(examples[k], example, strlen(example)))
			return;
	}
}

/* merge_counts - add a map of uint64_t counts */
static void
merge_counts(struct strmap *dst, const struct strmap *src)
{
	size_t n;
	struct weighted *w = sorted_entries(src, VALUE_COUNT, &n);

	for (size_t i = 0; i < n; i++)
		tally_add_count(tally_slot(dst, w[i].key, w[i].key_len),
				w[i].weight);
	free(w);
}

/* merge_codes - add a map of struct code_stat, examples included */
static void
merge_codes(struct strmap *dst, const struct strmap *src)
{
	size_t n;
	struct weighted *w = sorted_entries(src, VALUE_CODE, &n);

	for (size_t i = 0; i < n; i++) {
		const struct code_stat *from = w[i].value;
		struct code_stat *to = tally_slot(dst, w[i].key, w[i].key_len);

		tally_add_count(&to->count, from->count);
		for (int k = 0; k < TALLY_EXAMPLES && from->examples[k]; k++)
			tally_copy_example(to->examples, to->example_reasons,
					   from->examples[k],
					   from->example_reasons[k]);
	}
	free(w);
}

/* merge_domains - add the per-domain table */
static void
merge_domains(struct strmap *dst, const struct strmap *src)
{
	size_t n;
	struct weighted *w = sorted_entries(src, VALUE_DOMAIN, &n);

	for (size_t i = 0; i < n; i++) {
		const struct domain_stat *from = w[i].value;
		struct domain_stat *to =
		    tally_slot(dst, w[i].key, w[i].key_len);

		/* Expiries found through the queue tracker are charged to
		 * this key. */
		if (to->name == NULL)
			to->name = strmap_key(dst, to, NULL);
		tally_add_count(&to->delivered, from->delivered);
		tally_add_count(&to->deferred, from->deferred);
		tally_add_count(&to->bounced, from->bounced);
		tally_add_count(&to->expired, from->expired);
		tally_add_count(&to->rejected, from->rejected);
	}
	free(w);
}

static void
merge_class(struct class_stat *dst, const struct class_stat *src)
{
	tally_add_count(&dst->count, src->count);
	for (int s = 0; s < SUBJECT_SLOTS; s++)
		tally_add_count(&dst->subjects[s], src->subjects[s]);
	merge_codes(dst->reply_codes, src->reply_codes);
	merge_codes(dst->enh_codes, src->enh_codes);
	topk_merge(dst->domains, src->domains);
	topk_merge(dst->hosts, src->hosts);
	topk_merge(dst->senders, src->senders);
	merge_counts(dst->stages, src->stages);
	merge_counts(dst->components, src->components);
}

/* merge_top - merge a reason's summary that either side may lack */
static void
merge_top(struct topk **dst, const struct topk *src)
{
	if (src == NULL)
		return;
	if (*dst == NULL)
		*dst = topk_new(TALLY_REASON_TOP_CAPACITY);
	topk_merge(*dst, src);
}

static void
merge_reason(struct reason_stat *dst, const struct reason_stat *src)
{
	tally_add_count(&dst->count, src->count);
	tally_add_count(&dst->deferred, src->deferred);
	tally_add_count(&dst->bounced, src->bounced);
	tally_add_count(&dst->expired, src->expired);
	tally_add_count(&dst->rejected, src->rejected);
	merge_top(&dst->domains, src->domains);
	merge_top(&dst->hosts, src->hosts);
	merge_top(&dst->clients, src->clients);
	for (int k = 0; k < TALLY_EXAMPLES && src->examples[k]; k++)
		tally_copy_example(dst->examples, NULL, src->examples[k],
				   REASON_NONE);
}

/* merge_totals - the counters of struct tally that are plain sums */
static void
merge_totals(struct tally *dst, const struct tally *src)
{
	tally_add_count(&dst->delivered, src->delivered);
	tally_add_count(&dst->forwarded, src->forwarded);
	tally_add_count(&dst->deferred, src->deferred);
	tally_add_count(&dst->deferred_unique, src->deferred_unique);
	tally_add_count(&dst->soft_bounced, src->soft_bounced);
	tally_add_count(&dst->bounced, src->bounced);
	tally_add_count(&dst->expired, src->expired);
	tally_add_count(&dst->expired_messages, src->expired_messages);
	tally_add_count(&dst->rejected, src->rejected);
	tally_add_count(&dst->reject_warnings, src->reject_warnings);
	tally_add_count(&dst->notifications, src->notifications);
	tally_add_count(&dst->probes_ok, src->probes_ok);
	tally_add_count(&dst->probes_failed, src->probes_failed);
	tally_add_count(&dst->code_mismatches, src->code_mismatches);
	tally_add_count(&dst->untracked, src->untracked);
	tally_add_count(&dst->failures, src->failures);
}

uint64_t
tally_queue_dropped(const struct tally *t, uint64_t *pending)
{
	uint64_t own_pending;
	uint64_t dropped = qtrack_dropped(t->queue, &own_pending);

	tally_add_count(&dropped, t->queue_dropped);
	tally_add_count(&own_pending, t->queue_dropped_pending);
	if (pending != NULL)
		*pending = own_pending;
	return dropped;
}

/* merge_dropped - add src's queue id drops, its tracker's and those it
 * took from summaries, since the trackers themselves are not merged */
static void
merge_dropped(struct tally *dst, const struct tally *src)
{
	uint64_t pending;
	uint64_t dropped = tally_queue_dropped(src, &pending);

	tally_add_count(&dst->queue_dropped, dropped);
	tally_add_count(&dst->queue_dropped_pending, pending);
}

void
tally_merge(struct tally *dst, const struct tally *src)
{
	merge_totals(dst, src);
	merge_dropped(dst, src);
	merge_counts(dst->reply_codes, src->reply_codes);
	merge_counts(dst->enh_codes, src->enh_codes);
	merge_domains(dst->domains, src->domains);
	for (int i = 0; i < 2; i++) {
		merge_class(&dst->outbound[i], &src->outbound[i]);
		merge_class(&dst->inbound[i], &src->inbound[i]);
	}
	for (int r = 0; r < REASON_COUNT; r++)
		merge_reason(&dst->reasons[r], &src->reasons[r]);

	/* The timeline first, so that an empty dst takes src's zone. */
	timeline_merge(&dst->timeline, &src->timeline);
	if (src->have_time) {
		tally_saw_time(dst, &src->first);
		tally_saw_time(dst, &src->last);
	}
	for (size_t i = 0; i < src->ninputs; i++)
		tally_add_input(dst, &src->inputs[i]);
}
