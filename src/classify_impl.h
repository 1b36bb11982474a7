/* SPDX-License-Identifier: MIT */
/*
 * classify_impl.h - the rule set's layout, shared by the rule file parser
 * (classify_rules.c) and the classifier (classify.c)
 */
#ifndef BOUNCELOG_CLASSIFY_IMPL_H
#define BOUNCELOG_CLASSIFY_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

#include "bouncelog/classify.h"
#include "bouncelog/memo.h"
#include "regex_jit.h"

/* Codes in one "reply=" condition, providers in one rule set, and the
 * longest tag a provider rule may name. */
#define CLASSIFY_CODES_MAX 16
#define CLASSIFY_PROVIDERS_MAX 64
#define CLASSIFY_TAG_MAX 24

/* Limits of one match (see pcre2_set_match_limit(3)); subjects are at
 * most CLASSIFY_TEXT_MAX bytes, so fixed limits suffice. */
#define CLASSIFY_MATCH_LIMIT 1000000
#define CLASSIFY_DEPTH_LIMIT 10000

/*
 * Sizes of the caches of regular expression results (see memo.h): the
 * slots, the bytes of the arena of keys and values, and the longest key
 * kept.  Decisions are keyed by the evidence and the normalized text, and
 * longer texts are not cached.  Host matches are keyed by a remote host's
 * name and keep the first provider pattern that matches it.  Typical keys
 * are about 200 to 400 bytes for decisions and about 25 for host names,
 * so the arenas have room for about as many keys as there are slots.  Each cache is
 * allocated on first use, the arena and 32 bytes per slot.
 */
#define CLASSIFY_DECISION_SLOTS 4096
#define CLASSIFY_DECISION_ARENA (1280 * 1024)
#define CLASSIFY_DECISION_KEY_MAX 1024
#define CLASSIFY_HOST_SLOTS 4096
#define CLASSIFY_HOST_ARENA (256 * 1024)
#define CLASSIFY_HOST_KEY_MAX 255

/* Size of the cache of the levels after the provider's rules, keyed by
 * the codes, the stage and the text with names masked (about 150 to 250
 * bytes). */
#define CLASSIFY_GENERIC_SLOTS 1024
#define CLASSIFY_GENERIC_ARENA (256 * 1024)
#define CLASSIFY_GENERIC_KEY_MAX 1024

/* Bytes of a decision key before the normalized text. */
#define CLASSIFY_KEY_HEAD 32

/* Size of the cache of whole classifications, keyed by everything of an
 * event that classify_event_with() reads (see front_key() in
 * classify.c), about 200 to 400 bytes and the value.  A delivery's key
 * has its remote host and its text with the recipient, so a busy server
 * has tens of thousands of distinct keys a day.  Longer keys are not cached. */
#define CLASSIFY_FRONT_SLOTS 8192
#define CLASSIFY_FRONT_ARENA (3 * 1024 * 1024)
#define CLASSIFY_FRONT_KEY_MAX 768

/* Capture pairs kept per match: the whole match and group 1 are used. */
#define CLASSIFY_GROUPS 4

/* Texts of a pattern's literals: at most CLASSIFY_LITERALS_MAX of them,
 * each cut to CLASSIFY_LITERAL_LEN bytes (a part of a required text is
 * required too). */
#define CLASSIFY_LITERALS_MAX 12
#define CLASSIFY_LITERAL_LEN 24

/*
 * Texts of which every match of a pattern contains at least one,
 * compared without regard to ASCII case.  count is 0 when the pattern
 * has no such set, and the pattern then always runs.  The arrays are
 * plain, so that rules can be copied by value.
 */
struct classify_literals {
	size_t count;
	char text[CLASSIFY_LITERALS_MAX][CLASSIFY_LITERAL_LEN];
	unsigned char len[CLASSIFY_LITERALS_MAX];
	unsigned char anchor[CLASSIFY_LITERALS_MAX]; /* ascii_rare_index() */
};

/*
 * Pairs of adjacent bytes of a text as bits.  Each pair a, b sets bit
 * ((a | 0x20) & 0x7f) << 7 | ((b | 0x20) & 0x7f), so both cases of an
 * ASCII letter set the same bit.  A text where the bit of some pair of a
 * needle is clear cannot contain the needle.
 */
#define CLASSIFY_PAIR_WORDS (1u << 14 >> 6)

struct classify_pairs {
	uint64_t bits[CLASSIFY_PAIR_WORDS];
};

/* The form of a code pattern. */
enum code_form {
	CODE_ANY,   /* "*": any code, or none */
	CODE_REPLY, /* "550", "55x", "5xx" */
	CODE_ENH,   /* "5.7.1", "X.7.1", "5.7.606-649", "X.6.*" */
};

struct code_pattern {
	enum code_form form;
	unsigned char cls;    /* CODE_ENH: 2, 4, 5, or 0 for X */
	unsigned short lo[2]; /* CODE_ENH: subject, detail ranges;
			       * CODE_REPLY: lo[0]..hi[0] */
	unsigned short hi[2];
};

enum rule_type {
	RULE_PHRASE, /* phrase REASON LEVEL LANG REGEX */
	RULE_CODE,   /* code CODES REASON LEVEL [reply=] [stage=] */
	RULE_STAGE,  /* stage STAGE REASON LEVEL [reply=] */
	RULE_REPLY,  /* reply CODES REASON */
	RULE_ON,     /* on PROVIDER CODES REASON TAG [REGEX] */
};

struct rule {
	enum rule_type type;
	enum reason reason;
	bool strong;
	char lang[4];		  /* RULE_PHRASE */
	struct code_pattern code; /* RULE_CODE, RULE_REPLY, RULE_ON */
	struct code_pattern replies[CLASSIFY_CODES_MAX];
	size_t nreplies;	    /* a "reply=" condition, or 0 */
	unsigned stages;	    /* a "stage=" condition as bits of
				     * 1 << enum smtp_stage, or 0 */
	enum smtp_stage stage;	    /* RULE_STAGE */
	int provider;		    /* RULE_ON: index in providers */
	char tag[CLASSIFY_TAG_MAX]; /* RULE_ON: "-", "*" or a label */
	pcre2_code *re;		    /* NULL when the rule has none */
	enum regex_jit jit;	    /* of re, see regex_jit.h */
	struct classify_literals literals; /* of re */
	size_t order;		    /* position in the files read */
};

/* One way to recognise a provider. */
struct provider_match {
	int provider;
	bool by_host; /* matched on the remote host name, else
		       * on the reply text */
	pcre2_code *re;
	enum regex_jit jit; /* of re */
	struct classify_literals literals; /* of re */
};

struct rule_list {
	struct rule *items;
	size_t count;
};

struct classify_rules {
	char providers[CLASSIFY_PROVIDERS_MAX][CLASSIFY_PROVIDER_MAX];
	size_t nproviders;
	struct provider_match *detect;
	size_t ndetect;

	struct rule_list on;	  /* file order */
	struct rule_list phrases; /* by level, reason, then file order */
	struct rule_list codes;	  /* file order */
	struct rule_list stages;  /* file order */
	struct rule_list replies; /* file order */
	uint64_t content;	  /* bits of 1 << enum reason */
	size_t order;		  /* rules read so far */

	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	char text[CLASSIFY_TEXT_MAX + 1]; /* the normalized subject */
	char phrase_text[CLASSIFY_TEXT_MAX + 1]; /* text, names masked */
	size_t phrase_len;
	/* Pairs of bytes of the texts that patterns read, made before
	 * the patterns run: of the remote host name, of text on a miss of
	 * the decisions and of phrase_text in decide_generic(). */
	struct classify_pairs host_pairs;
	struct classify_pairs text_pairs;
	struct classify_pairs phrase_pairs;
	unsigned char key[CLASSIFY_KEY_HEAD + CLASSIFY_TEXT_MAX];
	unsigned char generic_key[CLASSIFY_GENERIC_KEY_MAX];
	unsigned char front_key[CLASSIFY_FRONT_KEY_MAX];

	/* Results of the regular expressions, made on first use and
	 * dropped when rules are added (see classify.c). */
	struct memo *decisions;	/* evidence and text -> reason */
	struct memo *generic;	/* codes, stage and phrase_text -> the
				 * reason of levels 2 to 9 */
	struct memo *host_matches; /* host name -> first host pattern */
	struct memo *front;	/* an event's inputs -> its classification */
	bool uncached;		/* classify without the caches, so that
				 * tests can compare both ways */
};

/* True when the code pattern p matches the reply code or the enhanced
 * code (either may be absent: 0 or class 0). */
bool code_pattern_matches(const struct code_pattern *p, int reply,
			  const struct enh_status *enh);

/*
 * Copy the text in (len bytes) to out with every control byte, DEL and
 * space turned into a space, runs of them into one, and none at the
 * start: the first step of the text that phrases see.  Stops after
 * CLASSIFY_TEXT_MAX bytes of out and adds a NUL (out has room for
 * CLASSIFY_TEXT_MAX + 1 bytes).  Returns the length.  With by_words, runs
 * that stay the same are copied 8 bytes at a time.  The result does not
 * change, and the unit tests compare both ways.
 */
size_t classify_squeeze(char *out, const char *in, size_t len, bool by_words);

/*
 * Return the index of the first "4" or "5" in s[from..len), or len when
 * there is none (also when from is past len).  With by_words, 8 bytes
 * are tested at a time; the result is the same.
 */
size_t classify_next_4_or_5(const char *s, size_t from, size_t len,
			    bool by_words);

/*
 * Read from the caseless pattern re (len bytes, compiled in UTF mode
 * when utf) a set of texts of which every match contains one, into out.
 * The reading gives up (count 0) on syntax it does not know.
 */
void classify_literals_read(struct classify_literals *out, const char *re,
			    size_t len, bool utf);

/* Set pairs to the pairs of adjacent bytes of s[0..len). */
void classify_pairs_build(struct classify_pairs *pairs, const char *s,
			  size_t len);

/*
 * Return false only when s[0..len) contains none of the texts, ignoring
 * ASCII case, so that the pattern cannot match it.  Return true when it
 * may, and always for an empty set.  pairs, when not NULL, must be those
 * of s, because they rule out most missing texts before a search.
 */
bool classify_literals_may_match(const struct classify_literals *lits,
				 const char *s, size_t len,
				 const struct classify_pairs *pairs);

/* Release what one rule owns. */
void rule_clear(struct rule *rule);

#endif
