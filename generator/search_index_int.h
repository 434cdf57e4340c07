/*
 * search_index_int: the indexer's tokenising state, shared by
 * search_index.c (tokenising, merging, postings), search_pairs.c and
 * search_index_cache.c (taking documents' tokens from the token cache and
 * saving them to it).
 */
#ifndef ENQUIRE_SEARCH_INDEX_INT_H
#define ENQUIRE_SEARCH_INDEX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "search_cache_int.h"
#include "search_int.h"
#include "text.h"

/* An open-addressing table from strings to dense ids. */
typedef struct {
	uint32_t *slot; /* id + 1, 0 for empty */
	size_t cap;
	const char **key;
	uint32_t *len;
	size_t n, kcap;
} strtab;

uint32_t strtab_intern(strtab *t, arena *a, const char *s, size_t n,
	bool *added);
void strtab_release(strtab *t);

#define NO_STEM UINT32_MAX

/* Per-thread tokenising state. */
typedef struct {
	arena a;
	text_stemmer *st;
	strtab words, stems;
	uint32_t *word_stem; /* per word: its stem id, or NO_STEM */
	uint32_t *word_count;
	size_t word_cap;
	uint32_t *stem_hash; /* per stem: search_stem_hash */
	size_t stem_cap;
	/* per document scratch: weighted tf by stem id */
	uint32_t *tf;
	size_t tf_cap;
	uint32_t *touched;
	size_t ntouched, touched_cap;
	uint32_t *pairs;
	size_t npairs, pairs_cap;
	/* With a token cache: each document's words are kept too (per word,
	 * its count in the document), and the cache's words and stems that
	 * the documents taken from it use are counted. */
	bool track;
	uint32_t *wdoc;
	uint32_t *wtouched;
	size_t nwtouched, wtouched_cap;
	uint8_t *cache_used; /* per cache stem */
	size_t misses;
	uint8_t *stem_used; /* the cache's worker: the stems in use */
} worker;

/* What a document's tokenising leaves for the merge. */
typedef struct {
	unsigned thread; /* the cache's tokens: the number of threads */
	uint32_t nterms, npairs;
	uint32_t *stem; /* thread-local stem ids */
	uint32_t *tf;
	/* or, taken from the cache (stem NULL): its stems and tfs as the
	 * store holds them (search_cache_tokens) */
	const unsigned char *rstem, *rtf;
	uint8_t ws, wt;
	uint32_t *pairs; /* pair hashes, with repeats */
	bool pairs_lazy; /* taken from the cache: pairs not read yet */
	uint32_t dl; /* weighted length */
	/* with a token cache: the key of the fields, and the words */
	uint64_t key;
	long rec; /* the cache's record it came from, or -1 */
	uint32_t nwords;
	uint32_t *word, *wcount;
} doc_terms;

typedef struct {
	worker *w;
	doc_terms *dt;
	uint32_t weight;
	uint32_t prev; /* stem of the previous word in the field, or NO_STEM */
	uint32_t dl;
} tok_ctx;

typedef struct {
	const search_input *in;
	worker *w;
	doc_terms *dt;
	bool caching; /* keys and words are recorded, for saving */
	search_cache *cache; /* NULL: nothing to reuse */
	unsigned threads;
} index_job;

/* Tokenises document i (a parallel_for body over an index_job), or takes
 * its tokens from the cache. */
void search_tokenise_doc(void *ctx, size_t i, unsigned thread);

/* search_index_cache.c */
/* Takes document dt's tokens from the cache; false for a miss. */
bool search_from_cache(index_job *j, worker *w, doc_terms *dt);
/* The cache's tables as one more worker (number `threads`), holding the
 * words and stems of the documents taken from it. False when the cache
 * turns out to be bad: then search_retokenise. */
bool search_cache_worker(worker *cw, const search_cache *c, worker *w,
	unsigned threads);
void search_retokenise(index_job *j, size_t n);
/* Reads the pairs of the documents taken from the cache; false when any
 * does not check (then search_retokenise). */
bool search_fill_pairs(index_job *j, size_t n);
/* Saves every document's tokens to file. */
void search_save_tokens(const char *file, search_cache *c,
	const uint32_t *cache_count, worker *w, unsigned threads,
	const doc_terms *dt, size_t n);

/* search_pairs.c: every document's pairs bucketed, in two steps. The
 * first partitions the pairs of dt (which may be freed after); the
 * second lays out the buckets and frees the job. */
typedef struct search_pair_job search_pair_job;
search_pair_job *search_partition_pairs(search_index *ix, const doc_terms *dt,
	size_t n, unsigned threads);
void search_bucket_pairs(search_pair_job *j, unsigned threads);

/* search_pairs_memo.c: the pairs of ix taken from the memo of the last
 * build (cache_file's, see search_int.h), patched with the documents
 * whose keys changed (their old pairs from the token cache c): true and
 * ix->pairs_memo, pair_bits, npairs and pair_total set; false when it
 * cannot be (no memo, another count of documents or bucket layout, too
 * many changes, anything that does not check): then bucket them all. */
bool search_pairs_patch(search_index *ix, const char *cache_file,
	const search_cache *c, const doc_terms *dt, size_t n);

#endif
