/*
 * search_cache_int: the token cache's file (search_cache.c) as the
 * indexer (search_index.c) reads and writes it. A loaded cache is only
 * read, so threads share it.
 */
#ifndef ENQUIRE_SEARCH_CACHE_INT_H
#define ENQUIRE_SEARCH_CACHE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "kvstore.h"
#include "search_int.h"
#include "util.h"

#define SEARCH_CACHE_NO_STEM UINT32_MAX

typedef struct {
	uint64_t key;
	uint32_t mult; /* how many documents of the build had these fields */
	kv_key rk; /* the record's key in the store */
	kv_key pk; /* its pairs' (read when needed), zeros for none */
	const unsigned char *rec;
	size_t len;
} search_cache_doc;

struct search_cache {
	kvstore *store; /* the records point into it */
	size_t len; /* bytes of the manifest and records */
	arena a;
	size_t nstems;
	const char **stem;
	uint32_t *stem_len;
	size_t nwords;
	const char **word;
	uint32_t *word_len;
	uint32_t *word_stem; /* stem number or SEARCH_CACHE_NO_STEM */
	uint32_t *word_total; /* count over the records, times mult */
	size_t ndocs;
	search_cache_doc *docs;
	_Atomic uint32_t *hits; /* per record: documents of this build */
	uint32_t *slot; /* key -> record + 1 */
	size_t cap;
};

/* One document's cached tokens (in the cache's numbering), checked but
 * not copied: nterms stems of ws bytes at stems and tfs of wt bytes at
 * tfs, little-endian, in the store's memory (search_cache_term reads
 * them); its pairs are read apart (search_cache_rec_pairs). */
typedef struct {
	uint32_t dl;
	size_t nterms;
	const unsigned char *stems, *tfs;
	unsigned ws, wt;
} search_cache_tokens;

/* Number k of an array of w-byte little-endian numbers. */
static inline uint32_t search_cache_term(const unsigned char *p, unsigned w,
	size_t k)
{
	p += (size_t)w * k;
	return w == 1 ? p[0] : w == 2 ? (uint32_t)p[0] | (uint32_t)p[1] << 8 :
		(uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/* The key of a document's tokens: a hash of its fields. */
uint64_t search_cache_doc_key(const search_input *in);

/* Opens the store at file; NULL when it is missing, of another version
 * or tokenizer, or any of its entries fails its checksum or a bounds
 * check. Free with search_cache_free. */
search_cache *search_cache_load(const char *file);
void search_cache_free(search_cache *c);
/* The tokens of the document with key, checked and counted as a hit,
 * each of its stems marked in used (c->nstems of them): the record's
 * number, or -1 for a miss. Thread-safe. */
long search_cache_get(search_cache *c, uint64_t key, uint8_t *used,
	search_cache_tokens *t);
/* Once every document was looked up: each word's count over the hits.
 * False when a record's words do not decode (then trust nothing). */
bool search_cache_word_counts(const search_cache *c, uint32_t *count);
/* Was every record hit as many times as it was saved with? */
bool search_cache_unchanged(const search_cache *c);

/* What the store's entries depend on (its version and the tokenizer's):
 * for stores whose meaning rests on the tokens too. */
uint64_t search_cache_validity(void);
/* The pairs of record d, or of the record with key (not counted as a
 * hit), read from the store (and so checked) and copied into a: false
 * when there is none or they do not check. Thread-safe. */
bool search_cache_rec_pairs(const search_cache *c, long d, arena *a,
	uint32_t **pairs, size_t *n);
bool search_cache_pairs(const search_cache *c, uint64_t key, arena *a,
	uint32_t **pairs, size_t *n);

/* Writing a body (the format in search_cache.c), then saving it to the
 * store at file: only the records not there already are written (see
 * kvstore.h for what a save guarantees). */
void search_cache_put_v(buf *b, uint64_t v);
void search_cache_save(const char *file, const buf *body);

/* The same, streamed: the tables (and the count of documents) are
 * written to search_cache_writer_tables, then each document with _put
 * (a new record and its pairs) or _keep (record d of cache c and its
 * pairs, neither copied nor hashed again); _finish saves when ok, and
 * frees. */
typedef struct search_cache_writer search_cache_writer;
search_cache_writer *search_cache_writer_new(const char *file);
buf *search_cache_writer_tables(search_cache_writer *w);
void search_cache_writer_put(search_cache_writer *w, uint64_t key,
	uint32_t mult, const void *rec, size_t n, const uint32_t *pairs,
	size_t npairs);
void search_cache_writer_keep(search_cache_writer *w, uint64_t key,
	uint32_t mult, search_cache *c, long d);
void search_cache_writer_finish(search_cache_writer *w, bool ok);

#endif
