/*
 * search_cache: each search document's tokens from the last build, so a
 * rebuild tokenises only the documents whose text changed.
 *
 * A document's tokens are a pure function of its fields (text and weight,
 * in order) and of the tokenizer: the key of a document is a hash of its
 * fields, and the file carries a version and a key for the tokenizer, so
 * a changed stop list or weighting is a miss. The index built from cached
 * tokens is the index built from fresh ones (the merge in search_index.c
 * sorts whatever the source).
 *
 * Stems and words are numbered once and keep their numbers from build to
 * build (new ones are added at the end), so the record of an unchanged
 * document is copied as it is, and saving costs little more than writing
 * the file. Each word carries its total count over the records (times
 * their multiplicity): a rebuild reads the words of only the documents
 * that changed or went.
 *
 * Body (little-endian; v = LEB128 varint), as search_index_cache.c
 * writes it: v nstems, per stem v length and bytes; v nwords, per word
 * v length, bytes, v stem + 1 (0: a stop word) and v total count; v ndocs,
 * per document u64 key, v multiplicity (documents with the same fields),
 * v record length, then the record: v dl, v nterms, a byte: how many
 * bytes a stem takes (2 or 4), a byte: how many a tf (1, 2 or 4), the
 * nterms stems, the nterms tfs (fixed widths, little-endian: a rebuild
 * reads millions of them), v nwords, per word v word and v count; then
 * v npairs and npairs u32 pair hashes.
 *
 * Stored in a kvstore (kvstore.h) whose validity is the version and the
 * tokenizer key: each record, and apart each document's pairs, under the
 * 128-bit hash of its bytes, so a save writes only entries not stored
 * yet, and a manifest under a fixed key: the body with each record and
 * its pairs replaced by their keys (u64 two halves each; a pairs key of
 * zeros: none). The pairs are read only when needed: a rebuild takes
 * them from the pair memo (search_pairs_memo.c), not from here, for all
 * but the documents that changed, so it neither reads nor checks the
 * millions of pair hashes of the others. Everything is checked before
 * it is used; a record that does not decode is a miss.
 */
#include "search_cache_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "kvstore.h"
#include "text.h"
#include "util.h"

#define MAGIC "ENQSTOK"
#define VERSION 4u

static const kv_key manifest_key = { { 0x6d616e6966657374ull, 1 } };

typedef struct {
	text_stemmer *st;
	uint64_t h;
} probe;

static void probe_word(void *ctx, const char *term, size_t len, uint32_t h)
{
	probe *p = ctx;
	p->h = hash64(term, len + 1, p->h);
	if (text_is_stopword(term, len)) {
		p->h = hash64("-", 1, p->h);
		return;
	}
	size_t sl;
	const char *s = text_stem(p->st, term, len, &sl);
	p->h = hash64(s, sl, p->h);
}

/* What the tokens depend on besides the text: the weights, and how the
 * tokenizer, stop list and stemmer treat a sample of words (a changed
 * library or list is then a miss, not a stale index). Bump VERSION for
 * any other change to tokenising. */
static uint64_t tokenizer_key(void)
{
	static const char sample[] = "The teachers' Café naïve CAFÉ don't "
		"running studies studied lesson-study KS2 pupils' voice and of "
		"to in is was be it this that with for on at by an or not but "
		"straße coaching questioning metacognition assessments enquiry "
		"enquiries generously relational formative summative 3rd 100%";
	char k[128];
	snprintf(k, sizeof k, "search-tokens max-word=%d w=%d,%d,%d,%d",
		TEXT_MAX_WORD, SEARCH_W_BODY, SEARCH_W_HEADING, SEARCH_W_META,
		SEARCH_W_TITLE);
	probe p = { text_stemmer_new(), hash64(k, strlen(k), HASH64_INIT) };
	search_tokenize(sample, sizeof sample - 1, probe_word, &p);
	text_stemmer_free(p.st);
	return p.h;
}

uint64_t search_cache_doc_key(const search_input *in)
{
	/* A field's weight and length go into the seed of its text's hash
	 * (one call per field, not two: this hashes every document's text
	 * on every build). */
	uint64_t h = HASH64_INIT;
	for (size_t f = 0; f < in->nfields; f++) {
		uint64_t head = ((uint64_t)in->fields[f].weight << 40 ^
			(uint64_t)in->fields[f].len) * 0x9e3779b97f4a7c15ull;
		h = hash64(in->fields[f].text, in->fields[f].len, h ^ head);
	}
	return hash64(&in->nfields, sizeof in->nfields, h);
}

/* cf_get_varint with the one-byte case inline. */
static inline uint64_t get_v(cf_reader *r)
{
	if (r->at < r->n && r->p[r->at] < 0x80)
		return r->p[r->at++];
	return cf_get_varint(r);
}

/* n little-endian u32s from p (unaligned) to v: one copy on a
 * little-endian host, as the pairs are millions a rebuild. */
static void load_u32s(uint32_t *v, const unsigned char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n)
		memcpy(v, p, n * sizeof *v);
#else
	for (size_t k = 0; k < n; k++)
		v[k] = cf_load_u32(p + 4 * k);
#endif
}

/* A count of items of at least min bytes each that fit in what is left. */
static size_t get_count(cf_reader *r, size_t min)
{
	return cf_fits(r, get_v(r), min);
}

/* A string, copied NUL-terminated into a (the table keys are C strings). */
static const char *get_str(cf_reader *r, arena *a, uint32_t *len)
{
	size_t n = get_count(r, 1);
	const unsigned char *s = cf_take(r, n);
	if (!s)
		return NULL;
	*len = (uint32_t)n;
	return arena_strndup(a, (const char *)s, n);
}

static bool parse_body(search_cache *c, cf_reader *r)
{
	c->nstems = get_count(r, 1);
	c->stem = xcalloc(c->nstems + 1, sizeof *c->stem);
	c->stem_len = xcalloc(c->nstems + 1, sizeof *c->stem_len);
	for (size_t i = 0; i < c->nstems && !r->bad; i++)
		c->stem[i] = get_str(r, &c->a, &c->stem_len[i]);
	c->nwords = get_count(r, 3);
	c->word = xcalloc(c->nwords + 1, sizeof *c->word);
	c->word_len = xcalloc(c->nwords + 1, sizeof *c->word_len);
	c->word_stem = xcalloc(c->nwords + 1, sizeof *c->word_stem);
	c->word_total = xcalloc(c->nwords + 1, sizeof *c->word_total);
	for (size_t i = 0; i < c->nwords && !r->bad; i++) {
		c->word[i] = get_str(r, &c->a, &c->word_len[i]);
		uint64_t s = cf_get_varint(r);
		if (s > c->nstems)
			r->bad = true;
		c->word_stem[i] = s ? (uint32_t)(s - 1) : SEARCH_CACHE_NO_STEM;
		c->word_total[i] = (uint32_t)cf_get_varint(r);
	}
	c->ndocs = get_count(r, 41);
	c->docs = xcalloc(c->ndocs + 1, sizeof *c->docs);
	c->hits = xcalloc(c->ndocs + 1, sizeof *c->hits);
	for (size_t i = 0; i < c->ndocs && !r->bad; i++) {
		c->docs[i].key = cf_get_u64(r);
		c->docs[i].mult = (uint32_t)cf_get_varint(r);
		kv_key rk;
		rk.k[0] = cf_get_u64(r);
		rk.k[1] = cf_get_u64(r);
		c->docs[i].rk = rk;
		c->docs[i].pk.k[0] = cf_get_u64(r);
		c->docs[i].pk.k[1] = cf_get_u64(r);
		c->docs[i].rec = r->bad ? NULL :
			kvstore_get(c->store, rk, &c->docs[i].len);
		if (!c->docs[i].rec)
			r->bad = true;
		c->len += c->docs[i].len;
	}
	if (r->bad || r->at != r->n)
		return false;
	/* key -> document, open addressing; keys are unique */
	c->cap = 16;
	while (c->cap < c->ndocs * 2)
		c->cap *= 2;
	c->slot = xcalloc(c->cap, sizeof *c->slot);
	for (size_t i = 0; i < c->ndocs; i++) {
		size_t j = (size_t)c->docs[i].key & (c->cap - 1);
		while (c->slot[j])
			j = (j + 1) & (c->cap - 1);
		c->slot[j] = (uint32_t)i + 1;
	}
	return true;
}

static uint64_t validity(void)
{
	return hash64(MAGIC, sizeof MAGIC, VERSION ^ tokenizer_key());
}

uint64_t search_cache_validity(void)
{
	return validity();
}

search_cache *search_cache_load(const char *file)
{
	kvstore *store = kvstore_open(file, validity());
	size_t len;
	const unsigned char *m = kvstore_get(store, manifest_key, &len);
	if (!m) {
		kvstore_free(store);
		return NULL;
	}
	search_cache *c = xcalloc(1, sizeof *c);
	c->a = ARENA_INIT;
	c->store = store;
	c->len = len;
	cf_reader r = { m, len, 0, false };
	if (!parse_body(c, &r)) {
		search_cache_free(c);
		return NULL;
	}
	return c;
}

void search_cache_free(search_cache *c)
{
	if (!c)
		return;
	kvstore_free(c->store);
	free(c->stem);
	free(c->stem_len);
	free(c->word);
	free(c->word_len);
	free(c->word_stem);
	free(c->word_total);
	free(c->docs);
	free((void *)(uintptr_t)c->hits);
	free(c->slot);
	arena_release(&c->a);
	free(c);
}

static long find(const search_cache *c, uint64_t key)
{
	if (!c || !c->ndocs)
		return -1;
	size_t j = (size_t)key & (c->cap - 1);
	while (c->slot[j]) {
		uint32_t d = c->slot[j] - 1;
		if (c->docs[d].key == key)
			return (long)d;
		j = (j + 1) & (c->cap - 1);
	}
	return -1;
}

/* One varint from p[0..end) into *v, as cf_get_varint reads it; the
 * rest, or NULL when it is short or over-long. On local pointers, so the
 * loop over a record's millions of numbers stays in registers. */
static inline const unsigned char *read_v(const unsigned char *p,
	const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
		unsigned b = *p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*v = x;
			return p;
		}
	}
	return NULL;
}

/* A count of items of at least min bytes each that fit in p[0..end). */
static inline const unsigned char *read_count(const unsigned char *p,
	const unsigned char *end, size_t min, size_t *n)
{
	uint64_t v;
	p = p ? read_v(p, end, &v) : NULL;
	if (!p || v > (uint64_t)(end - p) / min)
		return NULL;
	*n = (size_t)v;
	return p;
}

/* The head of a record's terms: their count and widths (a stem of ws
 * bytes, a tf of wt), checked to fit; the terms, or NULL. */
static const unsigned char *read_terms(const unsigned char *p,
	const unsigned char *end, size_t *n, unsigned *ws, unsigned *wt)
{
	uint64_t v;
	if (!p || !(p = read_v(p, end, &v)) || end - p < 2)
		return NULL;
	*ws = p[0];
	*wt = p[1];
	p += 2;
	if ((*ws != 2 && *ws != 4) || (*wt != 1 && *wt != 2 && *wt != 4) ||
		v > (uint64_t)(end - p) / (*ws + *wt))
		return NULL;
	*n = (size_t)v;
	return p;
}

/* The largest of n little-endian numbers of w bytes at p. One loop per
 * width, so each is plain. */
static uint32_t max_fixed(const unsigned char *p, size_t n, unsigned w)
{
	uint32_t max = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t x = w == 2 ? search_cache_term(p, 2, k) :
			search_cache_term(p, 4, k);
		max = x > max ? x : max;
	}
	return max;
}

long search_cache_get(search_cache *c, uint64_t key, uint8_t *used,
	search_cache_tokens *t)
{
	long d = find(c, key);
	if (d < 0)
		return -1;
	const unsigned char *p = c->docs[d].rec, *end = p + c->docs[d].len;
	uint64_t dl = 0;
	unsigned ws, wt;
	p = read_terms(read_v(p, end, &dl), end, &t->nterms, &ws, &wt);
	if (!p)
		return -1;
	t->dl = (uint32_t)dl;
	t->stems = p;
	t->tfs = p + t->nterms * ws;
	t->ws = ws;
	t->wt = wt;
	if (t->nterms && (ws == 2 ? max_fixed(p, t->nterms, 2) :
		max_fixed(p, t->nterms, 4)) >= c->nstems)
		return -1;
	if (ws == 2)
		for (size_t k = 0; k < t->nterms; k++)
			used[search_cache_term(p, 2, k)] = 1;
	else
		for (size_t k = 0; k < t->nterms; k++)
			used[search_cache_term(p, 4, k)] = 1;
	atomic_fetch_add(&c->hits[d], 1);
	return d;
}

static bool no_pairs(kv_key k)
{
	return k.k[0] == 0 && k.k[1] == 0;
}

bool search_cache_rec_pairs(const search_cache *c, long d, arena *a,
	uint32_t **pairs, size_t *n)
{
	const search_cache_doc *r = &c->docs[d];
	size_t len = 0;
	const unsigned char *p = no_pairs(r->pk) ? (const unsigned char *)"" :
		kvstore_get(c->store, r->pk, &len);
	if (!p || len % 4)
		return false;
	*n = len / 4;
	*pairs = arena_alloc(a, (*n + 1) * sizeof **pairs);
	load_u32s(*pairs, p, *n);
	return true;
}

bool search_cache_pairs(const search_cache *c, uint64_t key, arena *a,
	uint32_t **pairs, size_t *n)
{
	long d = find(c, key);
	return d >= 0 && search_cache_rec_pairs(c, d, a, pairs, n);
}

/* Adds times x the words of record d to count; false when it is bad. */
static bool add_words(const search_cache *c, size_t d, int64_t times,
	int64_t *count)
{
	const unsigned char *p = c->docs[d].rec, *end = p + c->docs[d].len;
	uint64_t dl = 0;
	size_t n;
	unsigned ws, wt;
	p = read_terms(read_v(p, end, &dl), end, &n, &ws, &wt);
	if (!p)
		return false;
	p += n * (ws + wt);
	cf_reader r = { p, (size_t)(end - p), 0, false };
	n = get_count(&r, 2);
	for (size_t k = 0; k < n && !r.bad; k++) {
		uint64_t w = get_v(&r), m = get_v(&r);
		if (w >= c->nwords)
			return false;
		count[w] += times * (int64_t)m;
	}
	return !r.bad;
}

bool search_cache_word_counts(const search_cache *c, uint32_t *count)
{
	int64_t *n = xcalloc(c->nwords + 1, sizeof *n);
	bool ok = true;
	for (size_t i = 0; i < c->nwords; i++)
		n[i] = c->word_total[i];
	for (size_t d = 0; d < c->ndocs && ok; d++)
		if (c->hits[d] != c->docs[d].mult)
			ok = add_words(c, d, (int64_t)c->hits[d] -
				(int64_t)c->docs[d].mult, n);
	for (size_t i = 0; i < c->nwords && ok; i++) {
		if (n[i] < 0 || n[i] > UINT32_MAX)
			ok = false;
		count[i] = (uint32_t)n[i];
	}
	free(n);
	return ok;
}

bool search_cache_unchanged(const search_cache *c)
{
	for (size_t d = 0; d < c->ndocs; d++)
		if (c->hits[d] != c->docs[d].mult)
			return false;
	return true;
}

/* Writing. */

void search_cache_put_v(buf *b, uint64_t v)
{
	unsigned char tmp[10];
	buf_put(b, tmp, search_put_varint(tmp, v));
}

/* Saving writes the manifest as it goes: a new record is hashed and put
 * in the store; an unchanged one keeps the key it was loaded under (it
 * was checked then), so a rebuild neither copies nor hashes the tens of
 * megabytes of records that did not change. */
struct search_cache_writer {
	kvstore *store;
	buf m; /* the manifest */
};

search_cache_writer *search_cache_writer_new(const char *file)
{
	search_cache_writer *w = xcalloc(1, sizeof *w);
	w->store = kvstore_open(file, validity());
	w->m = (buf)BUF_INIT;
	return w;
}

buf *search_cache_writer_tables(search_cache_writer *w)
{
	return &w->m;
}

static void store_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

static void put_rec_key(search_cache_writer *w, uint64_t key, uint32_t mult,
	kv_key rk, kv_key pk)
{
	/* in place: one row per document, every save */
	buf_grow(&w->m, 50);
	unsigned char *p = (unsigned char *)w->m.p + w->m.len;
	uint64_t v[5] = { key, rk.k[0], rk.k[1], pk.k[0], pk.k[1] };
	store_u64(p, v[0]);
	p += 8;
	p += search_put_varint(p, mult);
	for (int i = 1; i < 5; i++, p += 8)
		store_u64(p, v[i]);
	w->m.len = (size_t)(p - (unsigned char *)w->m.p);
	w->m.p[w->m.len] = '\0';
}

/* Puts p[0..n) in the store under the hash of its bytes: its key. */
static kv_key put_entry(search_cache_writer *w, const void *p, size_t n)
{
	unsigned long long k[2];
	hash128(p, n, HASH64_INIT, k);
	kv_key key = { { k[0], k[1] } };
	if (no_pairs(key))
		key.k[1] = 1; /* zeros mean no pairs */
	size_t len;
	if (!kvstore_get(w->store, key, &len)) /* checked, or written anew */
		kvstore_put(w->store, key, p, n);
	return key;
}

void search_cache_writer_put(search_cache_writer *w, uint64_t key,
	uint32_t mult, const void *rec, size_t n, const uint32_t *pairs,
	size_t npairs)
{
	kv_key rk = put_entry(w, rec, n), pk = { { 0, 0 } };
	if (npairs) {
		unsigned char *b = xmalloc(npairs * 4);
		for (size_t k = 0; k < npairs; k++)
			cf_store_u32(b + 4 * k, pairs[k]);
		pk = put_entry(w, b, npairs * 4);
		free(b);
	}
	put_rec_key(w, key, mult, rk, pk);
}

void search_cache_writer_keep(search_cache_writer *w, uint64_t key,
	uint32_t mult, search_cache *c, long d)
{
	const search_cache_doc *r = &c->docs[d];
	/* The store was read at load: keeping fails only when it changed
	 * under us since; then the bytes (checked at load) are put again. */
	if (!kvstore_keep(w->store, r->rk))
		kvstore_put(w->store, r->rk, r->rec, r->len);
	if (!no_pairs(r->pk) && !kvstore_keep(w->store, r->pk)) {
		/* the pairs were not read: read (and check) them now */
		size_t len;
		const unsigned char *p = kvstore_get(c->store, r->pk, &len);
		if (p)
			kvstore_put(w->store, r->pk, p, len);
	}
	put_rec_key(w, key, mult, r->rk, r->pk);
}

void search_cache_writer_finish(search_cache_writer *w, bool ok)
{
	if (!w)
		return;
	if (ok) {
		kvstore_put(w->store, manifest_key, w->m.p, w->m.len);
		kvstore_save(w->store);
	}
	kvstore_free(w->store);
	buf_release(&w->m);
	free(w);
}

/* Copies the stems and words of body to m; false when it is bad. */
static bool copy_tables(cf_reader *r, buf *m)
{
	size_t n = get_count(r, 1);
	for (size_t i = 0; i < n; i++)
		cf_take(r, get_count(r, 1));
	n = get_count(r, 3);
	for (size_t i = 0; i < n; i++) {
		cf_take(r, get_count(r, 1));
		cf_get_varint(r);
		cf_get_varint(r);
	}
	buf_put(m, r->p, r->at);
	return !r->bad;
}

void search_cache_save(const char *file, const buf *body)
{
	search_cache_writer *w = search_cache_writer_new(file);
	cf_reader r = { (const unsigned char *)body->p, body->len, 0, false };
	bool ok = copy_tables(&r, search_cache_writer_tables(w));
	size_t ndocs = get_count(&r, 10);
	search_cache_put_v(search_cache_writer_tables(w), ndocs);
	for (size_t i = 0; i < ndocs && !r.bad; i++) {
		uint64_t key = cf_get_u64(&r);
		uint32_t mult = (uint32_t)cf_get_varint(&r);
		size_t n = get_count(&r, 1);
		const unsigned char *rec = cf_take(&r, n);
		size_t np = get_count(&r, 4);
		const unsigned char *pp = cf_take(&r, 4 * np);
		if (!rec || !pp)
			break;
		uint32_t *pairs = xcalloc(np + 1, sizeof *pairs);
		load_u32s(pairs, pp, np);
		search_cache_writer_put(w, key, mult, rec, n, pairs, np);
		free(pairs);
	}
	search_cache_writer_finish(w, ok && !r.bad && r.at == r.n);
}
