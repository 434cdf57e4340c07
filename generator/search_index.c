/*
 * search_index: documents to an inverted index in memory.
 *
 * Documents are tokenised on all threads (text.h); each thread keeps its
 * own table of surface words and stems, so the stemmer runs once per
 * distinct word per thread, not once per token. The tables are then
 * merged, sorted, and the postings laid out in document order, so the
 * result does not depend on which thread read which document. With a
 * token cache (search_index_cache.c), documents whose fields did not
 * change take their tokens from it instead, and its stems and words join
 * the merge as one more worker: the same index either way.
 *
 * Phrase queries: instead of every word position (large for common
 * words), each document records the hashes of its adjacent stem pairs
 * (stop words are skipped, so "impact of coaching" pairs "impact" with
 * "coach"); a phrase matches a document holding every pair of the phrase.
 * Hash buckets are sized so a false match needs a collision of about one
 * in several thousand per document.
 */
#include "search_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "search_cache_int.h"
#include "search_index_int.h"
#include "text.h"
#include "util.h"

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void strtab_grow(strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	uint32_t *slot = xcalloc(cap, sizeof *slot);
	for (size_t i = 0; i < t->n; i++) {
		size_t j = hash_bytes(t->key[i], t->len[i]) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* The id of s[0..n) (h = hash_bytes(s, n)), adding a copy (from a) when
 * new; *added says so. */
static uint32_t strtab_intern_hashed(strtab *t, arena *a, const char *s,
	size_t n, uint32_t h, bool *added)
{
	if ((t->n + 1) * 2 > t->cap)
		strtab_grow(t);
	size_t j = h & (t->cap - 1);
	while (t->slot[j]) {
		uint32_t id = t->slot[j] - 1;
		if (t->len[id] == n && memcmp(t->key[id], s, n) == 0) {
			*added = false;
			return id;
		}
		j = (j + 1) & (t->cap - 1);
	}
	if (t->n == t->kcap) {
		t->kcap = t->kcap ? t->kcap * 2 : 1024;
		t->key = xrealloc(t->key, t->kcap * sizeof *t->key);
		t->len = xrealloc(t->len, t->kcap * sizeof *t->len);
	}
	t->key[t->n] = arena_strndup(a, s, n);
	t->len[t->n] = (uint32_t)n;
	t->slot[j] = (uint32_t)t->n + 1;
	*added = true;
	return (uint32_t)t->n++;
}

uint32_t strtab_intern(strtab *t, arena *a, const char *s, size_t n,
	bool *added)
{
	return strtab_intern_hashed(t, a, s, n, hash_bytes(s, n), added);
}

void strtab_release(strtab *t)
{
	free(t->slot);
	free(t->key);
	free(t->len);
}

static uint32_t word_id(worker *w, const char *term, size_t len, uint32_t h)
{
	bool added;
	uint32_t id = strtab_intern_hashed(&w->words, &w->a, term, len, h,
		&added);
	if (!added)
		return id;
	if (id >= w->word_cap) {
		w->word_cap = w->word_cap ? w->word_cap * 2 : 1024;
		w->word_stem = xrealloc(w->word_stem, w->word_cap * sizeof(uint32_t));
		w->word_count = xrealloc(w->word_count, w->word_cap * sizeof(uint32_t));
		if (w->track)
			w->wdoc = xrealloc(w->wdoc, w->word_cap * sizeof(uint32_t));
	}
	if (w->track)
		w->wdoc[id] = 0;
	w->word_count[id] = 0;
	w->word_stem[id] = NO_STEM;
	if (!text_is_stopword(term, len)) {
		size_t sl;
		const char *s = text_stem(w->st, term, len, &sl);
		uint32_t st = strtab_intern(&w->stems, &w->a, s, sl, &added);
		w->word_stem[id] = st;
		if (added) {
			if (st >= w->stem_cap) {
				w->stem_cap = w->stem_cap ? w->stem_cap * 2 : 1024;
				w->stem_hash = xrealloc(w->stem_hash,
					w->stem_cap * sizeof(uint32_t));
			}
			w->stem_hash[st] = search_stem_hash(s, sl);
		}
	}
	return id;
}

static void push_pair(worker *w, uint32_t h)
{
	if (w->npairs == w->pairs_cap) {
		w->pairs_cap = w->pairs_cap ? w->pairs_cap * 2 : 256;
		w->pairs = xrealloc(w->pairs, w->pairs_cap * sizeof *w->pairs);
	}
	w->pairs[w->npairs++] = h;
}

/* One folded word of a field (h = hash_bytes(term, len)). */
static void add_word(void *ctx, const char *term, size_t len, uint32_t h)
{
	tok_ctx *c = ctx;
	worker *w = c->w;
	uint32_t id = word_id(w, term, len, h);
	w->word_count[id]++;
	if (w->track && w->wdoc[id]++ == 0) {
		if (w->nwtouched == w->wtouched_cap) {
			w->wtouched_cap = w->wtouched_cap ? w->wtouched_cap * 2 : 256;
			w->wtouched = xrealloc(w->wtouched,
				w->wtouched_cap * sizeof *w->wtouched);
		}
		w->wtouched[w->nwtouched++] = id;
	}
	uint32_t s = w->word_stem[id];
	if (s == NO_STEM)
		return;
	if (s >= w->tf_cap) {
		size_t cap = w->tf_cap ? w->tf_cap : 1024;
		while (cap <= s)
			cap *= 2;
		w->tf = xrealloc(w->tf, cap * sizeof *w->tf);
		memset(w->tf + w->tf_cap, 0, (cap - w->tf_cap) * sizeof *w->tf);
		w->tf_cap = cap;
	}
	if (w->tf[s] == 0) {
		if (w->ntouched == w->touched_cap) {
			w->touched_cap = w->touched_cap ? w->touched_cap * 2 : 256;
			w->touched = xrealloc(w->touched,
				w->touched_cap * sizeof *w->touched);
		}
		w->touched[w->ntouched++] = s;
	}
	w->tf[s] += c->weight;
	c->dl += c->weight;
	if (c->prev != NO_STEM)
		push_pair(w, search_pair_hash(w->stem_hash[c->prev],
			w->stem_hash[s]));
	c->prev = s;
}

typedef struct {
	search_word_fn fn;
	void *ctx;
} slow_ctx;

static int on_token(void *ctx, const text_token *t)
{
	slow_ctx *c = ctx;
	c->fn(c->ctx, t->term, t->len, hash_bytes(t->term, t->len));
	return 0;
}

/* Byte classes for the ASCII fast path. */
enum { C_SEP, C_ALNUM, C_APOS, C_HIGH };

static const unsigned char byte_class[256] = {
	['0' ... '9'] = C_ALNUM, ['A' ... 'Z'] = C_ALNUM,
	['a' ... 'z'] = C_ALNUM, ['\''] = C_APOS, [0x80 ... 0xff] = C_HIGH,
};

/* Cuts s[0..n) into words exactly as text_tokenize does (text.h), calling
 * add_word for each. Nearly all of an English knowledge base is ASCII:
 * ASCII words are folded and hashed here in one pass; a word with any
 * other byte, and the rest of it up to the next ASCII separator (which
 * always ends a word), goes through text_tokenize. The same words as
 * text_tokenize, in the same order (a unit test compares them). */
void search_tokenize(const char *s, size_t n, search_word_fn fn, void *ctx)
{
	char term[TEXT_MAX_WORD + 1];
	size_t i = 0;
	while (i < n) {
		unsigned k = byte_class[(unsigned char)s[i]];
		if (k == C_SEP || k == C_APOS) {
			i++;
			continue;
		}
		size_t start = i, len = 0;
		uint32_t h = 2166136261u;
		if (k == C_HIGH)
			goto slow;
		for (;;) {
			unsigned char ch = (unsigned char)s[i];
			if (ch >= 'A' && ch <= 'Z')
				ch += 'a' - 'A';
			if (len < TEXT_MAX_WORD)
				term[len] = (char)ch;
			len++;
			h = (h ^ ch) * 16777619u;
			if (++i >= n)
				break;
			k = byte_class[(unsigned char)s[i]];
			if (k == C_ALNUM)
				continue;
			if (k == C_HIGH)
				goto slow;
			/* an apostrophe between two letters is dropped */
			if (k != C_APOS || i + 1 >= n)
				break;
			k = byte_class[(unsigned char)s[i + 1]];
			if (k == C_HIGH)
				goto slow;
			if (k != C_ALNUM)
				break;
			i++;
		}
		/* over-long words (data, URLs) are skipped, as text.c does */
		if (len <= TEXT_MAX_WORD) {
			term[len] = '\0';
			fn(ctx, term, len, h);
		}
		continue;
	slow:
		i = start;
		while (i < n && byte_class[(unsigned char)s[i]] != C_SEP)
			i++;
		slow_ctx sc = { fn, ctx };
		text_tokenize(s + start, i - start, on_token, &sc);
	}
}

void search_tokenise_doc(void *ctx, size_t i, unsigned thread)
{
	index_job *j = ctx;
	worker *w = &j->w[thread];
	doc_terms *dt = &j->dt[i];
	const search_input *in = &j->in[i];
	dt->rec = -1;
	if (j->caching) {
		dt->key = search_cache_doc_key(in);
		if (search_from_cache(j, w, dt))
			return;
		w->track = true;
		w->misses++;
	}
	if (!w->st)
		w->st = text_stemmer_new();
	w->ntouched = w->npairs = w->nwtouched = 0;
	tok_ctx c = { w, dt, 0, NO_STEM, 0 };
	for (size_t f = 0; f < in->nfields; f++) {
		c.weight = in->fields[f].weight;
		c.prev = NO_STEM;
		/* Headings repeat words of the body: pairs come from the body. */
		size_t npairs = w->npairs;
		search_tokenize(in->fields[f].text, in->fields[f].len, add_word,
			&c);
		if (c.weight == SEARCH_W_HEADING)
			w->npairs = npairs;
	}
	dt->thread = thread;
	dt->dl = c.dl;
	dt->nterms = (uint32_t)w->ntouched;
	dt->stem = arena_alloc(&w->a, (w->ntouched + 1) * sizeof(uint32_t));
	dt->tf = arena_alloc(&w->a, (w->ntouched + 1) * sizeof(uint32_t));
	for (size_t k = 0; k < w->ntouched; k++) {
		uint32_t s = w->touched[k];
		dt->stem[k] = s;
		dt->tf[k] = w->tf[s];
		w->tf[s] = 0;
	}
	/* Repeats are dropped when the pairs are bucketed. */
	dt->npairs = (uint32_t)w->npairs;
	dt->pairs = arena_alloc(&w->a, (w->npairs + 1) * sizeof(uint32_t));
	if (w->npairs)
		memcpy(dt->pairs, w->pairs, w->npairs * sizeof(uint32_t));
	if (!w->track)
		return;
	dt->nwords = (uint32_t)w->nwtouched;
	dt->word = arena_alloc(&w->a, (w->nwtouched + 1) * sizeof(uint32_t));
	dt->wcount = arena_alloc(&w->a, (w->nwtouched + 1) * sizeof(uint32_t));
	for (size_t k = 0; k < w->nwtouched; k++) {
		uint32_t id = w->wtouched[k];
		dt->word[k] = id;
		dt->wcount[k] = w->wdoc[id];
		w->wdoc[id] = 0;
	}
}

uint8_t search_impact(double tf, double dl, double avgdl, double boost)
{
	if (tf <= 0)
		return 0;
	double norm = SEARCH_K1 * (1 - SEARCH_B + SEARCH_B * dl /
		(avgdl > 0 ? avgdl : 1));
	double w = tf * (SEARCH_K1 + 1) / (tf + norm);
	double x = w * (boost > 0 && boost < 1 ? boost : 1) /
		(SEARCH_K1 + 1) * 254.0;
	/* lround for x >= 0 (half away from zero), without the libm call:
	 * this runs once per posting */
	long q = (long)x;
	q += x - (double)q >= 0.5;
	q += 1;
	return (uint8_t)(q < 1 ? 1 : q > 255 ? 255 : q);
}

uint32_t search_stem_hash(const char *s, size_t n)
{
	return hash_bytes(s, n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Merges the threads' stems into sorted terms; map[t][local] is the
 * term's index. */
static uint32_t **merge_stems(search_index *ix, worker *w, unsigned threads)
{
	strtab all = { 0 };
	uint32_t **map = xcalloc(threads, sizeof *map);
	for (unsigned t = 0; t < threads; t++) {
		map[t] = xcalloc(w[t].stems.n + 1, sizeof(uint32_t));
		for (size_t i = 0; i < w[t].stems.n; i++) {
			bool added;
			if (w[t].stem_used && !w[t].stem_used[i])
				continue; /* the cache's: no document uses it */
			map[t][i] = strtab_intern(&all, &ix->a, w[t].stems.key[i],
				w[t].stems.len[i], &added);
		}
	}
	const char **sorted = xcalloc(all.n + 1, sizeof *sorted);
	if (all.n) {
		memcpy(sorted, all.key, all.n * sizeof *sorted);
		qsort(sorted, all.n, sizeof *sorted, cmp_str);
	}
	/* rank of each id: look the sorted keys up again */
	uint32_t *rank = xcalloc(all.n + 1, sizeof *rank);
	for (size_t r = 0; r < all.n; r++) {
		bool added;
		uint32_t id = strtab_intern(&all, &ix->a, sorted[r],
			strlen(sorted[r]), &added);
		rank[id] = (uint32_t)r;
	}
	for (unsigned t = 0; t < threads; t++)
		for (size_t i = 0; i < w[t].stems.n; i++)
			map[t][i] = rank[map[t][i]];
	ix->nterms = all.n;
	ix->terms = arena_alloc(&ix->a, (all.n + 1) * sizeof *ix->terms);
	for (size_t r = 0; r < all.n; r++)
		ix->terms[r].stem = sorted[r];
	free(rank);
	free(sorted);
	strtab_release(&all);
	return map;
}

typedef struct {
	const char *word;
	uint32_t stem; /* term index or NO_STEM */
	uint32_t count;
} word_entry;

static int cmp_word_entry(const void *a, const void *b)
{
	return strcmp(((const word_entry *)a)->word, ((const word_entry *)b)->word);
}

/* Merges the threads' words into sorted words. */
static void merge_words(search_index *ix, worker *w, unsigned threads,
	uint32_t **stem_map)
{
	strtab all = { 0 };
	word_entry *e = NULL;
	size_t ecap = 0;
	for (unsigned t = 0; t < threads; t++) {
		for (size_t i = 0; i < w[t].words.n; i++) {
			bool added;
			if (w[t].word_count[i] == 0)
				continue; /* the cache's: no document uses it */
			uint32_t id = strtab_intern(&all, &ix->a, w[t].words.key[i],
				w[t].words.len[i], &added);

			if (added) {
				if (id >= ecap) {
					ecap = ecap ? ecap * 2 : 1024;
					e = xrealloc(e, ecap * sizeof *e);
				}
				uint32_t s = w[t].word_stem[i];
				e[id] = (word_entry){ all.key[id],
					s == NO_STEM ? NO_STEM : stem_map[t][s], 0 };
			}
			e[id].count += w[t].word_count[i];
		}
	}
	if (all.n)
		qsort(e, all.n, sizeof *e, cmp_word_entry);

	ix->nwords = all.n;
	ix->words = arena_alloc(&ix->a, (all.n + 1) * sizeof *ix->words);
	for (size_t i = 0; i < all.n; i++)
		ix->words[i] = (search_word){ e[i].word, e[i].stem == NO_STEM ?
			NULL : ix->terms[e[i].stem].stem, e[i].count };
	free(e);
	strtab_release(&all);
}

/* Counts the terms of a document taken from the cache (one loop per
 * width, so each is plain). */
static void count_cached(const doc_terms *d, const uint32_t *map,
	size_t *count)
{
	if (d->ws == 2)
		for (uint32_t k = 0; k < d->nterms; k++)
			count[map[search_cache_term(d->rstem, 2, k)]]++;
	else
		for (uint32_t k = 0; k < d->nterms; k++)
			count[map[search_cache_term(d->rstem, 4, k)]]++;
}

static void lay_out_postings(search_index *ix, const search_input *in,
	doc_terms *dt, size_t n, uint32_t **stem_map)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += dt[i].dl;
	ix->avgdl = n ? total / (double)n : 0;
	/* Each document's stems become term numbers (in place: the token
	 * cache was saved already), so the second pass reads them plainly. */
	size_t *count = xcalloc(ix->nterms + 1, sizeof *count);
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		const uint32_t *map = stem_map[dt[i].thread];
		uint32_t *stem = dt[i].stem;
		if (!stem) /* the cache's, read in place */
			count_cached(&dt[i], map, count);
		for (uint32_t k = 0; stem && k < dt[i].nterms; k++) {
			uint32_t t = map[stem[k]];
			stem[k] = t;
			count[t]++;
		}
		np += dt[i].nterms;
	}
	size_t at = 0;
	for (size_t t = 0; t < ix->nterms; t++) {
		ix->terms[t].start = at;
		ix->terms[t].df = count[t];
		at += count[t];
		count[t] = ix->terms[t].start; /* now the fill position */
	}
	/* every entry is written below */
	ix->post_doc = xmalloc((np + 1) * sizeof *ix->post_doc);
	ix->post_impact = xmalloc(np + 1);
	/* Within a document the impact depends on tf alone, and most terms
	 * have a small tf: each is computed once per document. */
	enum { MEMO = 64 };
	uint8_t memo[MEMO];
	for (size_t i = 0; i < n; i++) {
		memset(memo, 0, sizeof memo);
		const uint32_t *term = dt[i].stem, *tfs = dt[i].tf;
		const uint32_t *map = stem_map[dt[i].thread];
		for (uint32_t k = 0; k < dt[i].nterms; k++) {
			size_t p = count[term ? term[k] :
				map[search_cache_term(dt[i].rstem, dt[i].ws, k)]]++;
			uint32_t tf = tfs ? tfs[k] :
				search_cache_term(dt[i].rtf, dt[i].wt, k);
			uint8_t imp = tf < MEMO ? memo[tf] : 0;
			if (!imp) {
				imp = search_impact(tf, dt[i].dl, ix->avgdl,
					in[i].boost);
				if (tf < MEMO)
					memo[tf] = imp;
			}
			ix->post_doc[p] = (uint32_t)i;
			ix->post_impact[p] = imp;
		}
	}
	free(count);
}

search_index *search_index_build(const search_input *in, size_t n,
	unsigned threads)
{
	return search_index_build_cached(in, n, threads, NULL);
}

search_index *search_index_build_cached(const search_input *in, size_t n,
	unsigned threads, const char *cache_file)
{
	if (threads == 0)
		threads = 1;
	search_index *ix = xcalloc(1, sizeof *ix);
	ix->ndocs = n;
	search_cache *cache = search_cache_load(cache_file);
	index_job j = { in, xcalloc(threads + 1, sizeof(worker)),
		xcalloc(n + 1, sizeof(doc_terms)), cache_file != NULL, cache,
		threads };
	parallel_for(n, threads, search_tokenise_doc, &j);
	if (cache_file) {
		ix->doc_key = xmalloc((n + 1) * sizeof *ix->doc_key);
		for (size_t i = 0; i < n; i++)
			ix->doc_key[i] = j.dt[i].key;
	}
	/* The cache's words and stems join the merge as one more worker. A
	 * rebuild patches the last build's pair shards when it can; else the
	 * pairs of the documents taken from the cache are read. */
	unsigned nw = threads;
	bool patched = false;
	if (cache && search_cache_worker(&j.w[threads], cache, j.w, threads)) {
		patched = search_pairs_patch(ix, cache_file, cache, j.dt, n);
		if (patched || search_fill_pairs(&j, n))
			nw++;
		else
			search_retokenise(&j, n);
	} else if (cache) {
		search_retokenise(&j, n);
	}
	search_timing("tokens");
	size_t misses = 0;
	for (unsigned t = 0; t < threads; t++)
		misses += j.w[t].misses;
	if (cache_file && (!j.cache || misses > 0 ||
		!search_cache_unchanged(cache))) {
		search_save_tokens(cache_file, j.cache, j.w[threads].word_count, j.w,
			threads, j.dt, n);
		search_timing("cache");
	}
	uint32_t **stem_map = merge_stems(ix, j.w, nw);
	merge_words(ix, j.w, nw, stem_map);
	lay_out_postings(ix, in, j.dt, n, stem_map);
	search_timing("terms");
	/* the documents' terms and pairs are done with once partitioned */
	search_pair_job *pj = patched ? NULL :
		search_partition_pairs(ix, j.dt, n, threads);
	for (unsigned t = 0; t <= threads; t++) {
		worker *w = &j.w[t];
		free(stem_map && t < nw ? stem_map[t] : NULL);
		free(w->cache_used);
		if (t == threads) { /* the cache's tables */
			free(w->word_count);
			free(w->stem_used);
			continue;
		}
		text_stemmer_free(w->st);
		strtab_release(&w->words);
		strtab_release(&w->stems);
		free(w->word_stem);
		free(w->word_count);
		free(w->stem_hash);
		free(w->tf);
		free(w->touched);
		free(w->pairs);
		free(w->wdoc);
		free(w->wtouched);
		arena_release(&w->a);
	}
	free(stem_map);
	free(j.w);
	free(j.dt);
	search_cache_free(cache);
	if (pj)
		search_bucket_pairs(pj, threads);
	search_timing("pairs");
	return ix;
}

void search_index_free(search_index *ix)
{
	if (!ix)
		return;
	free(ix->post_doc);
	free(ix->post_impact);
	free(ix->pair_start);
	free(ix->pair_doc);
	free(ix->doc_key);
	search_pairs_memo_free(ix->pairs_memo);
	arena_release(&ix->a);
	free(ix);
}

const search_term *search_find_term(const search_index *ix, const char *stem)
{
	size_t lo = 0, hi = ix->nterms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->terms[mid].stem, stem);
		if (c == 0)
			return &ix->terms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const search_word *search_find_word(const search_index *ix, const char *word)
{
	size_t lo = 0, hi = ix->nwords;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->words[mid].word, word);
		if (c == 0)
			return &ix->words[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
