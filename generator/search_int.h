/*
 * search_int: what the search_*.c files share, and what the unit tests
 * reach: the indexer works on plain inputs (weighted text fields, fragment
 * strings, facet tags), so a test can index a small corpus without a
 * model.
 */
#ifndef ENQUIRE_SEARCH_INT_H
#define ENQUIRE_SEARCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"
#include "util.h"

/* Facets, in the order the client shows them. */
typedef enum {
	SEARCH_FACET_TYPE,
	SEARCH_FACET_CLAIM,
	SEARCH_FACET_THEME,
	SEARCH_FACET_PHASE,
	SEARCH_FACET_SUBJECT,
	SEARCH_FACET_KEY_STAGE,
	SEARCH_FACET_ALLIANCE,
	SEARCH_FACET_C2L,
	SEARCH_FACET_COUNT
} search_facet;

/* Field weights: a word in a title counts as four in the body. Headings
 * are in the body text already; their extra weight is added on top. */
enum {
	SEARCH_W_BODY = 1,
	SEARCH_W_HEADING = 2,
	SEARCH_W_META = 2, /* claim titles, alliance names and aliases, tags */
	SEARCH_W_TITLE = 4,
};

typedef struct {
	const char *text;
	size_t len;
	unsigned weight;
} search_field;

typedef struct {
	search_facet facet;
	const char *key, *label; /* key identifies the value; label is shown */
} search_tag;

/* One search document. */
typedef struct {
	search_field *fields;
	size_t nfields;
	const char *title, *url, *kind, *excerpt, *meta; /* the fragment */
	search_tag *tags;
	size_t ntags;
	/* A prior on the kind of document, at most 1: written case studies
	 * first, then enquiries, ...; short claim pages would otherwise
	 * outrank the case studies that discuss them. */
	double boost;
} search_input;

/* The search documents of a model, in a fixed order: case studies,
 * enquiries, dissemination, free pages, claims, alliances. */
search_input *search_inputs_from_model(const model *m, arena *a, size_t *n);

/* A folded surface word and the stem it is indexed under. */
typedef struct {
	const char *word;
	const char *stem; /* NULL for a stop word */
	uint32_t count; /* occurrences in the corpus */
} search_word;

/* A stem and its postings: post_doc/post_impact[start, start + df). */
typedef struct {
	const char *stem;
	size_t start, df;
} search_term;

typedef struct {
	size_t ndocs;
	double avgdl;
	search_word *words; /* sorted by word (bytes) */
	size_t nwords;
	search_term *terms; /* sorted by stem (bytes) */
	size_t nterms;
	uint32_t *post_doc; /* ascending within a term */
	uint8_t *post_impact; /* BM25 term weight, quantised to 1..255 */
	/* Adjacent stem pairs: bucket b (the top pair_bits bits of
	 * search_pair_hash) holds pair_doc[pair_start[b], pair_start[b + 1]),
	 * ascending. */
	unsigned pair_bits;
	uint32_t *pair_start;
	uint32_t *pair_doc;
	size_t npairs;
	/* With a token cache: each document's key (search_cache_doc_key)
	 * and the pairs counted with repeats (pair_bits comes from them),
	 * for the pair memo; and when the memo gave the pair shards (a
	 * rebuild that patched the last build's), the memo: then pair_start
	 * and pair_doc are NULL. */
	uint64_t *doc_key;
	size_t pair_total;
	struct search_pairs_memo *pairs_memo;
	arena a;
} search_index;

/* Cuts s[0..n) into folded words as text_tokenize does (text.h), with an
 * ASCII fast path; fn gets each word and its search_stem_hash. */
typedef void (*search_word_fn)(void *ctx, const char *term, size_t len,
	uint32_t hash);
void search_tokenize(const char *s, size_t n, search_word_fn fn, void *ctx);

search_index *search_index_build(const search_input *in, size_t n,
	unsigned threads);
/* The same index, taking the tokens of documents whose fields did not
 * change from the token cache cache_file (search_cache.c), then saving
 * every document's tokens there for the next build. cache_file NULL:
 * search_index_build. */
search_index *search_index_build_cached(const search_input *in, size_t n,
	unsigned threads, const char *cache_file);
typedef struct search_cache search_cache;
void search_index_free(search_index *ix);

/* BM25 parameters, and a term's weight in a document quantised to a byte
 * (1..255; the client multiplies it by the term's idf). */
#define SEARCH_K1 1.2
#define SEARCH_B 0.75
uint8_t search_impact(double tf, double dl, double avgdl, double boost);

/* The hash of a stem (FNV-1a over its bytes) and of two adjacent stems,
 * from theirs (then murmur3's final mix); search.js computes the same. */
uint32_t search_stem_hash(const char *s, size_t n);
uint32_t search_pair_hash(uint32_t a, uint32_t b);

/* The bucket bits for total pairs (with repeats) over ndocs documents,
 * and the shard bits for npairs bucket entries: one pair shard holds
 * 2^(pair_bits - shard_bits) buckets. */
unsigned search_pair_bits(size_t total, size_t ndocs);
unsigned search_pair_shard_bits(size_t npairs, unsigned pair_bits);

/* Index lookups, for tests and the writer. */
const search_term *search_find_term(const search_index *ix, const char *stem);
const search_word *search_find_word(const search_index *ix, const char *word);

/* The index as files (paths relative to the site root, under search/). */
typedef struct {
	char *path;
	unsigned char *data;
	size_t len;
	bool gzip; /* data is to be gzipped when written, if that pays */
	bool hashed; /* hash is the content hash of data (for its name) */
	uint64_t hash;
} search_file;

typedef struct {
	search_file *v;
	size_t n;
	size_t pairs_from, pairs_to; /* v[pairs_from, pairs_to): pair shards */
} search_files;

/* Shards hold about this many bytes before compression. */
#define SEARCH_SHARD_BYTES 6000

void search_encode(const search_index *ix, const search_input *in, size_t n,
	unsigned threads, search_files *out);
void search_files_release(search_files *f);
/* What identifies the bytes written for f: a hash of its data and of
 * how they are turned into the file (gzip, zlib's version). */
uint64_t search_file_key(const search_file *f);
/* The bytes to write for f: its data, or gzipped (then *owned is set to
 * them, for the caller to free). */
const unsigned char *search_file_bytes(const search_file *f, size_t *len,
	unsigned char **owned);

/* search_pairs_memo.c: the pair shards of the last build, kept in the
 * cache (file: the token cache's, with "-pairs"), so a rebuild that
 * changed a few documents patches the shards holding their pairs instead
 * of bucketing every document's pairs again. */
typedef struct search_pairs_memo search_pairs_memo;
/* Shard s as the memo has it: its bytes (owned by the memo) and their
 * content hash. */
const unsigned char *search_pairs_memo_shard(const search_pairs_memo *m,
	size_t s, size_t *len, uint64_t *hash);
void search_pairs_memo_free(search_pairs_memo *m);
/* Saves ix's pair shards (f[pairs_from, pairs_to), as encoded) and
 * document keys for the next build. */
void search_pairs_memo_save(const char *cache_file, const search_index *ix,
	const search_files *f);

/* search_facets.c: a facet's values with their documents; its name. */
void search_encode_facet(const search_input *in, size_t n, search_facet f,
	buf *b);
/* The same from the facet's tags alone, in document order (search_encode
 * sorts every document's tags by facet in one pass, not one per facet). */
typedef struct {
	uint32_t doc;
	const search_tag *tag;
} search_doc_tag;
void search_encode_facet_tags(const search_doc_tag *t, size_t nt, buf *b);
const char *search_facet_name(search_facet f);

/* With ENQUIRE_TIMING set, prints the time since the last call (part
 * NULL: just starts the clock). */
void search_timing(const char *part);

/* LEB128 varint, as every index file uses. */
size_t search_put_varint(unsigned char *p, uint64_t v);

#endif
