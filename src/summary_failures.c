/* SPDX-License-Identifier: MIT */
/*
 * summary_failures.c - read the failure breakdowns of a JSON summary
 *
 * These are the failure_reasons[] array and the class objects of
 * outbound[] and inbound[], with their code lists, top-list summaries
 * and exact lists.  The counts that the schema ties together are checked.
 * A reason's count is the sum of its kinds, a class's subjects add up to
 * its count, a summary's total is the count it breaks down, and the
 * classes agree with the totals.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"
#include "summary_impl.h"

/* The rule that relates a summary's total to the count it breaks down. */
enum total_rule {
	TOTAL_EQUAL,   /* every failure names a key */
	TOTAL_AT_MOST, /* only failures that name a key count */
};

/* read_top_item - one {FIELD: key, count, error} of a summary's items */
static bool
read_top_item(struct loader *ld, const struct json_value *v, const char *field,
	      struct topk_item *item)
{
	const struct json_value *key;

	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	key = json_get(v, field);
	if (key == NULL)
		return summary_fail(ld, v, field, _("missing"));
	if (!summary_key(ld, key, field) ||
	    !summary_get_count(ld, v, "count", &item->count) ||
	    !summary_get_count(ld, v, "error", &item->error))
		return false;
	item->key = key->as.string;
	item->key_len = key->len;
	return true;
}

/* restore_top - a summary from its parts, with topk.h's checks */
static bool
restore_top(struct loader *ld, const struct json_value *obj,
	    const struct json_value *items_v, const char *field,
	    struct topk **out)
{
	struct topk_item *items = xcalloc(items_v->len + 1, sizeof *items);
	uint64_t capacity, total, floor;
	char error[TOPK_ERROR_MAX];
	size_t mark;
	bool ok;

	ok = summary_get_count(ld, obj, "capacity", &capacity) &&
	     summary_get_count(ld, obj, "total", &total) &&
	     summary_get_count(ld, obj, "unlisted_max", &floor);
	mark = summary_path_push(ld, "items", -1);
	for (size_t i = 0; i < items_v->len && ok; i++) {
		size_t item = summary_path_push(ld, NULL, (long)i);

		ok = read_top_item(ld, &items_v->as.items[i], field, &items[i]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);

	if (ok && capacity > TOPK_CAPACITY_MAX)
		ok = summary_fail(
		    ld, obj, "capacity", _("%llu is above the maximum %d"),
		    (unsigned long long)capacity, TOPK_CAPACITY_MAX);
	if (ok) {
		*out = topk_restore((size_t)capacity, total, floor, items,
				    items_v->len, error);
		if (*out == NULL)
			ok = summary_fail(ld, obj, NULL, "%s", error);
	}
	free(items);
	return ok;
}

/*
 * read_top - the top-list summary member of obj into *out, whose total
 * must relate to count by rule; *out is replaced
 */
static bool
read_top(struct loader *ld, const struct json_value *obj, const char *member,
	 const char *field, uint64_t count, enum total_rule rule,
	 struct topk **out)
{
	const struct json_value *top =
	    summary_get(ld, obj, member, JSON_OBJECT);
	const struct json_value *items;
	uint64_t total;
	size_t mark;
	bool ok;

	if (top == NULL)
		return false;
	mark = summary_path_push(ld, member, -1);
	items = summary_get(ld, top, "items", JSON_ARRAY);
	ok = items != NULL && restore_top(ld, top, items, field, out);
	summary_path_pop(ld, mark);
	if (!ok)
		return false;

	total = topk_total(*out);
	if (rule == TOTAL_EQUAL && total != count)
		return summary_fail(ld, top, member,
				    _("total %llu differs from the count "
				      "%llu it breaks down"),
				    (unsigned long long)total,
				    (unsigned long long)count);
	if (rule == TOTAL_AT_MOST && total > count)
		return summary_fail(ld, top, member,
				    _("total %llu is above the count %llu it "
				      "breaks down"),
				    (unsigned long long)total,
				    (unsigned long long)count);
	return true;
}

static const struct count_field reason_fields[] = {
    {"count", offsetof(struct reason_stat, count)},
    {"deferred", offsetof(struct reason_stat, deferred)},
    {"bounced", offsetof(struct reason_stat, bounced)},
    {"expired", offsetof(struct reason_stat, expired)},
    {"rejected", offsetof(struct reason_stat, rejected)},
};

/* read_reason - one object of failure_reasons[] */
static bool
read_reason(struct loader *ld, const struct json_value *v)
{
	const struct json_value *id;
	struct reason_stat *rs;
	enum reason r;

	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	id = summary_get(ld, v, "reason", JSON_STRING);
	if (id == NULL)
		return false;
	if (!reason_lookup(id->as.string, id->len, &r) || r == REASON_NONE)
		return summary_fail(ld, id, "reason",
				    _("\"%s\" is not a reason id of this "
				      "bouncelog"),
				    id->as.string);
	rs = &ld->t->reasons[r];
	if (rs->count > 0)
		return summary_fail(ld, id, "reason",
				    _("reason \"%s\" is listed twice"),
				    id->as.string);

	if (!summary_get_counts(ld, v, rs, reason_fields,
				sizeof reason_fields / sizeof reason_fields[0]))
		return false;
	if (rs->count == 0 || rs->count != rs->deferred + rs->bounced +
					       rs->expired + rs->rejected)
		return summary_fail(ld, v, "count",
				    _("not the sum of deferred, bounced, "
				      "expired and rejected, or 0"));
	tally_add_count(&ld->t->failures, rs->count);

	return read_top(ld, v, "domains", "domain", rs->count, TOTAL_EQUAL,
			&rs->domains) &&
	       read_top(ld, v, "hosts", "host", rs->count, TOTAL_AT_MOST,
			&rs->hosts) &&
	       read_top(ld, v, "clients", "host", rs->count, TOTAL_AT_MOST,
			&rs->clients) &&
	       summary_get_examples(ld, v, rs->examples, NULL, NULL);
}

bool
summary_read_reasons(struct loader *ld, const struct json_value *root)
{
	const struct json_value *list =
	    summary_get(ld, root, "failure_reasons", JSON_ARRAY);
	size_t mark;
	bool ok = true;

	if (list == NULL)
		return false;
	mark = summary_path_push(ld, "failure_reasons", -1);
	for (size_t i = 0; i < list->len && ok; i++) {
		size_t item = summary_path_push(ld, NULL, (long)i);

		ok = read_reason(ld, &list->as.items[i]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

/* subject_slot - the slot of a subjects key, or -1 */
static int
subject_slot(const char *key, size_t len)
{
	if (len == 3 && key[0] == 'X' && key[1] == '.' && key[2] >= '0' &&
	    key[2] <= '7')
		return key[2] - '0';
	if (len == 5 && memcmp(key, "other", 5) == 0)
		return SUBJECT_OTHER;
	if (len == 4 && memcmp(key, "none", 4) == 0)
		return SUBJECT_NONE;
	return -1;
}

/* read_subjects - the subjects object, which must add up to the count */
static bool
read_subjects(struct loader *ld, const struct json_value *cls,
	      struct class_stat *cs)
{
	const struct json_value *subjects =
	    summary_get(ld, cls, "subjects", JSON_OBJECT);
	uint64_t sum = 0;
	size_t mark;
	bool ok = true;

	if (subjects == NULL)
		return false;
	mark = summary_path_push(ld, "subjects", -1);
	for (size_t i = 0; i < subjects->len && ok; i++) {
		const struct json_member *m = &subjects->as.members[i];
		int slot = subject_slot(m->key, m->key_len);

		if (slot < 0)
			ok = summary_fail(ld, &m->value, NULL,
					  _("\"%s\" is not X.0 to X.7, other "
					    "or none"),
					  m->key);
		else
			ok = summary_count(ld, &m->value, m->key,
					   &cs->subjects[slot]);
		if (ok)
			tally_add_count(&sum, cs->subjects[slot]);
	}
	summary_path_pop(ld, mark);
	if (ok && sum != cs->count)
		return summary_fail(ld, subjects, "subjects",
				    _("they add up to %llu, not to the count "
				      "%llu"),
				    (unsigned long long)sum,
				    (unsigned long long)cs->count);
	return ok;
}

/* read_code - one {code, count, examples, example_reasons} */
static bool
read_code(struct loader *ld, const struct json_value *v, struct strmap *map)
{
	const struct json_value *key;
	struct code_stat *cs;
	uint64_t count;

	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	key = json_get(v, "code");
	if (key == NULL)
		return summary_fail(ld, v, "code", _("missing"));
	if (!summary_key(ld, key, "code") ||
	    !summary_get_count(ld, v, "count", &count))
		return false;
	if (!summary_code_key_valid(key->as.string, key->len))
		return summary_fail(ld, key, "code",
				    _("the key \"%.*s\" is not a reply "
				      "code or an enhanced status code"),
				    (int)key->len, key->as.string);
	if (strmap_get(map, key->as.string, key->len) != NULL)
		return summary_fail(ld, key, "code",
				    _("the code is listed twice"));

	cs = tally_slot(map, key->as.string, key->len);
	tally_add_count(&cs->count, count);
	return summary_get_examples(ld, v, cs->examples, cs->example_reasons,
				    "example_reasons");
}

/* read_count_row - one {FIELD: key, count} of an exact list */
static bool
read_count_row(struct loader *ld, const struct json_value *v, const char *field,
	       struct strmap *map)
{
	const struct json_value *key;
	uint64_t count;

	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	key = json_get(v, field);
	if (key == NULL)
		return summary_fail(ld, v, field, _("missing"));
	if (!summary_key(ld, key, field) ||
	    !summary_get_count(ld, v, "count", &count))
		return false;
	if (strmap_get(map, key->as.string, key->len) != NULL)
		return summary_fail(ld, key, field,
				    _("the key is listed twice"));
	tally_add_count(tally_slot(map, key->as.string, key->len), count);
	return true;
}

/* read_list - an array of code objects (field NULL) or of count rows */
static bool
read_list(struct loader *ld, const struct json_value *obj, const char *member,
	  const char *field, struct strmap *map)
{
	const struct json_value *list =
	    summary_get(ld, obj, member, JSON_ARRAY);
	size_t mark;
	bool ok = true;

	if (list == NULL)
		return false;
	mark = summary_path_push(ld, member, -1);
	for (size_t i = 0; i < list->len && ok; i++) {
		const struct json_value *v = &list->as.items[i];
		size_t item = summary_path_push(ld, NULL, (long)i);

		ok = field == NULL ? read_code(ld, v, map)
				   : read_count_row(ld, v, field, map);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

/* read_class - one class object; cls is 4 or 5 */
static bool
read_class(struct loader *ld, const struct json_value *v, int cls, bool inbound,
	   struct class_stat *cs)
{
	const struct json_value *name;
	char want[4] = {(char)('0' + cls), 'x', 'x', '\0'};

	if (v->type != JSON_OBJECT)
		return summary_fail(ld, v, NULL,
				    _("expected an object, got %s"),
				    json_type_name(v->type));
	name = summary_get(ld, v, "class", JSON_STRING);
	if (name == NULL)
		return false;
	if (strcmp(name->as.string, want) != 0)
		return summary_fail(ld, name, "class", _("expected \"%s\""),
				    want);

	return summary_get_count(ld, v, "count", &cs->count) &&
	       read_subjects(ld, v, cs) &&
	       read_list(ld, v, "reply_codes", NULL, cs->reply_codes) &&
	       read_list(ld, v, "enhanced_codes", NULL, cs->enh_codes) &&
	       read_top(ld, v, "domains", "domain", cs->count, TOTAL_EQUAL,
			&cs->domains) &&
	       read_top(ld, v, inbound ? "clients" : "hosts", "host", cs->count,
			TOTAL_EQUAL, &cs->hosts) &&
	       read_top(ld, v, "senders", "sender", cs->count, TOTAL_EQUAL,
			&cs->senders) &&
	       (!inbound || read_list(ld, v, "stages", "stage", cs->stages)) &&
	       read_list(ld, v, "components", "component", cs->components);
}

/* read_direction - the two class objects of outbound or inbound */
static bool
read_direction(struct loader *ld, const struct json_value *root,
	       const char *member, bool inbound, struct class_stat cs[2])
{
	const struct json_value *list =
	    summary_get(ld, root, member, JSON_ARRAY);
	size_t mark;
	bool ok = true;

	if (list == NULL)
		return false;
	if (list->len != 2)
		return summary_fail(ld, list, member,
				    _("expected the 4xx and the 5xx class, "
				      "got %zu items"),
				    list->len);
	mark = summary_path_push(ld, member, -1);
	for (size_t i = 0; i < 2 && ok; i++) {
		size_t item = summary_path_push(ld, NULL, (long)i);

		/* read_top() replaces a summary, so free the empty one. */
		topk_free(cs[i].domains);
		topk_free(cs[i].hosts);
		topk_free(cs[i].senders);
		cs[i].domains = cs[i].hosts = cs[i].senders = NULL;
		ok = read_class(ld, &list->as.items[i], 4 + (int)i, inbound,
				&cs[i]);
		summary_path_pop(ld, item);
	}
	summary_path_pop(ld, mark);
	return ok;
}

bool
summary_read_classes(struct loader *ld, const struct json_value *root)
{
	struct tally *t = ld->t;

	if (!read_direction(ld, root, "outbound", false, t->outbound) ||
	    !read_direction(ld, root, "inbound", true, t->inbound))
		return false;
	if (t->outbound[0].count != t->deferred ||
	    t->outbound[1].count != t->bounced)
		return summary_fail(ld, json_get(root, "outbound"), "outbound",
				    _("the class counts differ from "
				      "totals.deferred and totals.bounced"));
	if (t->inbound[0].count + t->inbound[1].count != t->rejected)
		return summary_fail(ld, json_get(root, "inbound"), "inbound",
				    _("the class counts do not add up to "
				      "totals.rejected"));
	return true;
}
