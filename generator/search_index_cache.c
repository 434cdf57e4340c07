/*
 * search_index_cache: the indexer's side of the token cache (the file is
 * search_cache.c's): documents whose fields did not change take their
 * tokens from it, the cache's stems and words join the merge as one more
 * worker, and every document's tokens are saved for the next build, the
 * records of unchanged documents kept in the store under their keys.
 */
#include "cachefile.h"
#include "search_index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "util.h"

/* Takes document dt's tokens from the cache; false for a miss. */
bool search_from_cache(index_job *j, worker *w, doc_terms *dt)
{
	search_cache *c = j->cache;
	search_cache_tokens t;
	if (c && !w->cache_used)
		w->cache_used = xcalloc(c->nstems + 1, 1);
	dt->rec = c ? search_cache_get(c, dt->key, w->cache_used, &t) : -1;
	if (dt->rec < 0)
		return false;
	dt->thread = j->threads;
	dt->dl = t.dl;
	dt->nterms = (uint32_t)t.nterms;
	dt->stem = dt->tf = NULL; /* read in place, not copied */
	dt->rstem = t.stems;
	dt->rtf = t.tfs;
	dt->ws = (uint8_t)t.ws;
	dt->wt = (uint8_t)t.wt;
	/* read only when needed: a patched rebuild needs none */
	dt->npairs = 0;
	dt->pairs = NULL;
	dt->pairs_lazy = true;
	return true;
}

/* The cache's tables as one more worker (number `threads`), holding the
 * words and stems of the documents taken from it. False when the cache
 * turns out to be bad. */
bool search_cache_worker(worker *cw, const search_cache *c, worker *w,
	unsigned threads)
{
	cw->words.key = c->word;
	cw->words.len = c->word_len;
	cw->words.n = c->nwords;
	cw->word_stem = c->word_stem;
	cw->stems.key = c->stem;
	cw->stems.len = c->stem_len;
	cw->stems.n = c->nstems;
	cw->word_count = xcalloc(c->nwords + 1, sizeof(uint32_t));
	cw->stem_used = xcalloc(c->nstems + 1, 1);
	for (unsigned t = 0; t < threads; t++)
		if (w[t].cache_used)
			for (size_t i = 0; i < c->nstems; i++)
				cw->stem_used[i] |= w[t].cache_used[i];
	return search_cache_word_counts(c, cw->word_count);
}

typedef struct {
	index_job *j;
	const size_t *doc;
} retok_job;

static void retokenise_one(void *ctx, size_t k, unsigned thread)
{
	retok_job *r = ctx;
	search_tokenise_doc(r->j, r->doc[k], thread);
}

/* Tokenises again the documents taken from a cache found bad late. */
void search_retokenise(index_job *j, size_t n)
{
	j->cache = NULL;
	size_t nhit = 0;
	size_t *hit = xcalloc(n + 1, sizeof *hit);
	for (size_t i = 0; i < n; i++)
		if (j->dt[i].rec >= 0)
			hit[nhit++] = i;
	retok_job r = { j, hit };
	parallel_for(nhit, j->threads, retokenise_one, &r);
	free(hit);
}

typedef struct {
	index_job *j;
	_Atomic int failed;
} fill_job;

static void fill_one(void *ctx, size_t i, unsigned thread)
{
	fill_job *f = ctx;
	doc_terms *dt = &f->j->dt[i];
	if (!dt->pairs_lazy)
		return;
	size_t n;
	if (!search_cache_rec_pairs(f->j->cache, dt->rec, &f->j->w[thread].a,
		&dt->pairs, &n))
		f->failed = 1;
	dt->npairs = (uint32_t)n;
	dt->pairs_lazy = false;
}

bool search_fill_pairs(index_job *j, size_t n)
{
	fill_job f = { j, 0 };
	parallel_for(n, j->threads, fill_one, &f);
	return !f.failed;
}

/* The numbering of the cache file to write: the old file's, then the
 * stems and words of the documents tokenised now. */
typedef struct {
	strtab stems, words;
	uint32_t *word_stem, *word_total;
	size_t cap;
	uint32_t **stem_map, **word_map; /* per thread */
	arena a;
} numbering;

static uint32_t number_word(numbering *nb, const char *s, size_t len,
	uint32_t stem)
{
	bool added;
	uint32_t id = strtab_intern(&nb->words, &nb->a, s, len, &added);
	if (added) {
		if (id >= nb->cap) {
			nb->cap = nb->cap ? nb->cap * 2 : 1024;
			nb->word_stem = xrealloc(nb->word_stem,
				nb->cap * sizeof(uint32_t));
			nb->word_total = xrealloc(nb->word_total,
				nb->cap * sizeof(uint32_t));
		}
		nb->word_stem[id] = stem;
		nb->word_total[id] = 0;
	}
	return id;
}

static void number(numbering *nb, const search_cache *c,
	const uint32_t *cache_count, worker *w, unsigned threads)
{
	bool added;
	if (c) {
		for (size_t i = 0; i < c->nstems; i++)
			strtab_intern(&nb->stems, &nb->a, c->stem[i],
				c->stem_len[i], &added);
		for (size_t i = 0; i < c->nwords; i++) {
			uint32_t id = number_word(nb, c->word[i], c->word_len[i],
				c->word_stem[i]);
			nb->word_total[id] += cache_count[i];
		}
	}
	nb->stem_map = xcalloc(threads, sizeof *nb->stem_map);
	nb->word_map = xcalloc(threads, sizeof *nb->word_map);
	for (unsigned t = 0; t < threads; t++) {
		nb->stem_map[t] = xcalloc(w[t].stems.n + 1, sizeof(uint32_t));
		for (size_t i = 0; i < w[t].stems.n; i++)
			nb->stem_map[t][i] = strtab_intern(&nb->stems, &nb->a,
				w[t].stems.key[i], w[t].stems.len[i], &added);
		nb->word_map[t] = xcalloc(w[t].words.n + 1, sizeof(uint32_t));
		for (size_t i = 0; i < w[t].words.n; i++) {
			uint32_t s = w[t].word_stem[i];
			uint32_t id = number_word(nb, w[t].words.key[i],
				w[t].words.len[i], s == NO_STEM ? NO_STEM :
				nb->stem_map[t][s]);
			nb->word_total[id] += w[t].word_count[i];
			nb->word_map[t][i] = id;
		}
	}
}

static void numbering_release(numbering *nb, unsigned threads)
{
	for (unsigned t = 0; t < threads; t++) {
		free(nb->stem_map[t]);
		free(nb->word_map[t]);
	}
	free(nb->stem_map);
	free(nb->word_map);
	free(nb->word_stem);
	free(nb->word_total);
	strtab_release(&nb->stems);
	strtab_release(&nb->words);
	arena_release(&nb->a);
}

static unsigned char *varint(unsigned char *p, uint32_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* v in w bytes, little-endian. */
static unsigned char *put_fixed(unsigned char *p, uint32_t v, unsigned w)
{
	for (unsigned i = 0; i < w; i++)
		*p++ = (unsigned char)(v >> 8 * i);
	return p;
}

/* A document tokenised now, as a record (written in place: there are
 * millions of numbers). */
static void put_record(buf *b, const doc_terms *d, const numbering *nb)
{
	buf_grow(b, 30 + (size_t)d->nterms * 8 + (size_t)d->nwords * 10);
	unsigned char *p = (unsigned char *)b->p + b->len;
	const uint32_t *sm = nb->stem_map[d->thread];
	const uint32_t *wm = nb->word_map[d->thread];
	uint32_t smax = 0, tmax = 0;
	for (uint32_t k = 0; k < d->nterms; k++) {
		smax = sm[d->stem[k]] > smax ? sm[d->stem[k]] : smax;
		tmax = d->tf[k] > tmax ? d->tf[k] : tmax;
	}
	unsigned ws = smax > 0xffff ? 4 : 2;
	unsigned wt = tmax > 0xffff ? 4 : tmax > 0xff ? 2 : 1;
	p = varint(p, d->dl);
	p = varint(p, d->nterms);
	*p++ = (unsigned char)ws;
	*p++ = (unsigned char)wt;
	for (uint32_t k = 0; k < d->nterms; k++)
		p = put_fixed(p, sm[d->stem[k]], ws);
	for (uint32_t k = 0; k < d->nterms; k++)
		p = put_fixed(p, d->tf[k], wt);
	p = varint(p, d->nwords);
	for (uint32_t k = 0; k < d->nwords; k++) {
		p = varint(p, wm[d->word[k]]);
		p = varint(p, d->wcount[k]);
	}
	b->len = (size_t)(p - (unsigned char *)b->p);
	b->p[b->len] = '\0';
}

/* Saves every document's tokens: the old records of documents taken from
 * the cache as they were, new ones for the others; one record per key. */
void search_save_tokens(const char *file, search_cache *c,
	const uint32_t *cache_count, worker *w, unsigned threads,
	const doc_terms *dt, size_t n)
{
	numbering nb = { 0 };
	nb.a = ARENA_INIT;
	number(&nb, c, cache_count, w, threads);
	/* Numbers of words no document uses any more stay; when they are
	 * most of them, start afresh: the next build tokenises everything. */
	size_t used = 0;
	for (size_t i = 0; i < nb.words.n; i++)
		used += nb.word_total[i] > 0;
	if (nb.words.n > 2 * used + 4096) {
		remove(file);
		numbering_release(&nb, threads);
		return;
	}
	search_cache_writer *cw = search_cache_writer_new(file);
	buf *t = search_cache_writer_tables(cw), rec = BUF_INIT;
	search_cache_put_v(t, nb.stems.n);
	for (size_t i = 0; i < nb.stems.n; i++) {
		search_cache_put_v(t, nb.stems.len[i]);
		buf_put(t, nb.stems.key[i], nb.stems.len[i]);
	}
	search_cache_put_v(t, nb.words.n);
	for (size_t i = 0; i < nb.words.n; i++) {
		search_cache_put_v(t, nb.words.len[i]);
		buf_put(t, nb.words.key[i], nb.words.len[i]);
		search_cache_put_v(t, nb.word_stem[i] == NO_STEM ? 0 :
			(uint64_t)nb.word_stem[i] + 1);
		search_cache_put_v(t, nb.word_total[i]);
	}
	/* one record per key, with how many documents have it */
	size_t cap = 16, nu = 0;
	while (cap < n * 2)
		cap *= 2;
	uint32_t *slot = xcalloc(cap, sizeof *slot);
	size_t *uniq = xcalloc(n + 1, sizeof *uniq);
	uint32_t *mult = xcalloc(n + 1, sizeof *mult);
	for (size_t i = 0; i < n; i++) {
		size_t s = (size_t)dt[i].key & (cap - 1);
		while (slot[s] && dt[uniq[slot[s] - 1]].key != dt[i].key)
			s = (s + 1) & (cap - 1);
		if (!slot[s]) {
			uniq[nu] = i;
			slot[s] = (uint32_t)++nu;
		}
		mult[slot[s] - 1]++;
	}
	search_cache_put_v(t, nu);
	for (size_t u = 0; u < nu; u++) {
		const doc_terms *d = &dt[uniq[u]];
		if (d->rec >= 0) {
			search_cache_writer_keep(cw, d->key, mult[u], c, d->rec);
			continue;
		}
		buf_clear(&rec);
		put_record(&rec, d, &nb);
		search_cache_writer_put(cw, d->key, mult[u], rec.p, rec.len,
			d->pairs, d->npairs);
	}
	search_cache_writer_finish(cw, true);
	free(slot);
	free(uniq);
	free(mult);
	buf_release(&rec);
	numbering_release(&nb, threads);
}

