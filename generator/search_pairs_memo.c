/*
 * search_pairs_memo: the last build's pair shards, kept in the cache, so
 * a rebuild that changed a few documents re-encodes only the shards that
 * hold their pairs. Bucketing every document's pairs (millions of them)
 * was the most expensive part of a rebuild's index.
 *
 * The pair index is a set of (bucket, document) entries. A document's
 * pairs are a function of its key (the hash of its fields that keys the
 * token cache, search_cache.c), so with the last build's key of each
 * document number, a rebuild knows which documents changed; the old
 * pairs of those come from the token cache's record of their old key.
 * Each shard that held or will hold one of their pairs is decoded, the
 * changed documents taken out of its buckets and their new pairs put in,
 * and encoded again, byte for byte as search_write.c encodes a shard
 * (the unit tests compare both). Anything else keeps its bytes.
 *
 * That is the index of a full build only when the layout stays: the same
 * number of documents, the same bucket bits (from the count of pairs) and
 * shard bits (from the count of entries). Otherwise, or when anything
 * fails a check, every document's pairs are bucketed as in a full build.
 *
 * Stored in a kvstore (kvstore.h), validity: this file's version and the
 * token cache's (its tokenizer key: a changed tokenizer changes the pairs
 * of unchanged keys). Each shard under the 128-bit hash of its bytes, so
 * a save writes only new shards; and a manifest under a fixed key
 * (little-endian): u64 documents, u64 pairs with repeats, u64 entries,
 * u32 bucket bits, u32 shard bits, a u64 key per document, then per
 * shard u64 two halves of its store key and u64 its content hash.
 */
#include "search_index_int.h"

#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "kvstore.h"
#include "util.h"

#define MAGIC "ENQSPAIR"
#define VERSION 1u

/* Past this many changed documents, bucketing everything costs little
 * more than patching. */
#define MAX_CHANGED 512

static const kv_key manifest_key = { { 0x7061697273ull, 1 } };

typedef struct {
	kv_key k; /* in the store */
	uint64_t hash; /* content hash, as in the file's name */
	const unsigned char *data;
	size_t len;
	unsigned char *owned; /* bytes patched now (data points here) */
} memo_shard;

struct search_pairs_memo {
	kvstore *store; /* the shards' bytes point into it */
	size_t ndocs, total, npairs;
	unsigned pair_bits, shard_bits;
	uint64_t *key; /* per document */
	size_t nshards;
	memo_shard *sh;
	size_t changed; /* documents patched */
};

static uint64_t validity(void)
{
	return hash64(MAGIC, sizeof MAGIC, (VERSION ^ search_cache_validity()) +
		SEARCH_SHARD_BYTES);
}

static char *memo_file(const char *cache_file)
{
	return xasprintf("%s-pairs", cache_file);
}

void search_pairs_memo_free(search_pairs_memo *m)
{
	if (!m)
		return;
	for (size_t s = 0; s < m->nshards; s++)
		free(m->sh[s].owned);
	free(m->sh);
	free(m->key);
	kvstore_free(m->store);
	free(m);
}

const unsigned char *search_pairs_memo_shard(const search_pairs_memo *m,
	size_t s, size_t *len, uint64_t *hash)
{
	*len = m->sh[s].len;
	*hash = m->sh[s].hash;
	return m->sh[s].data;
}

/* The memo at file, every shard read (and so checked); NULL when it is
 * missing or anything in it does not check. */
static search_pairs_memo *memo_load(const char *file)
{
	kvstore *store = kvstore_open(file, validity());
	size_t len;
	const unsigned char *p = kvstore_get(store, manifest_key, &len);
	if (!p) {
		kvstore_free(store);
		return NULL;
	}
	search_pairs_memo *m = xcalloc(1, sizeof *m);
	m->store = store;
	cf_reader r = { p, len, 0, false };
	m->ndocs = (size_t)cf_get_u64(&r);
	m->total = (size_t)cf_get_u64(&r);
	m->npairs = (size_t)cf_get_u64(&r);
	m->pair_bits = cf_get_u32(&r);
	m->shard_bits = cf_get_u32(&r);
	bool ok = !r.bad && m->pair_bits >= 12 && m->pair_bits <= 24 &&
		m->shard_bits <= m->pair_bits &&
		cf_fits(&r, m->ndocs, 8) == m->ndocs;
	if (ok) {
		m->key = xmalloc((m->ndocs + 1) * sizeof *m->key);
		for (size_t i = 0; i < m->ndocs; i++)
			m->key[i] = cf_get_u64(&r);
		m->nshards = (size_t)1 << m->shard_bits;
		ok = cf_fits(&r, m->nshards, 24) == m->nshards;
	}
	if (ok) {
		m->sh = xcalloc(m->nshards, sizeof *m->sh);
		for (size_t s = 0; s < m->nshards && ok; s++) {
			memo_shard *sh = &m->sh[s];
			sh->k.k[0] = cf_get_u64(&r);
			sh->k.k[1] = cf_get_u64(&r);
			sh->hash = cf_get_u64(&r);
			sh->data = kvstore_get(store, sh->k, &sh->len);
			ok = sh->data != NULL;
		}
	}
	if (!ok || r.bad || r.at != r.n) {
		search_pairs_memo_free(m);
		return NULL;
	}
	return m;
}

typedef struct {
	uint64_t *v; /* bucket within the shard << 32 | document */
	size_t n, cap;
} entries;

static void push(entries *e, uint64_t x)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 1024;
		e->v = xrealloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = x;
}

/* Decodes shard bytes (per buckets, documents below ndocs) into e,
 * leaving out the documents marked in skip; *count is every entry.
 * False when the bytes are not a shard. */
static bool decode_shard(const unsigned char *p, size_t len, size_t per,
	size_t ndocs, const uint8_t *skip, entries *e, size_t *count)
{
	cf_reader r = { p, len, 0, false };
	size_t used = cf_fits(&r, cf_get_varint(&r), 2);
	uint64_t b = 0;
	*count = 0;
	for (size_t u = 0; u < used && !r.bad; u++) {
		uint64_t delta = cf_get_varint(&r);
		if ((u > 0 && delta == 0) || delta >= per - b)
			return false;
		b += delta;
		size_t cnt = cf_fits(&r, cf_get_varint(&r), 1);
		if (cnt == 0)
			return false;
		uint64_t d = 0;
		for (size_t k = 0; k < cnt; k++) {
			uint64_t x = cf_get_varint(&r);
			if ((k > 0 && x == 0) || x >= ndocs - d)
				return false;
			d += x;
			if (!skip[d])
				push(e, b << 32 | d);
		}
		*count += cnt;
	}
	return !r.bad && r.at == r.n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void put_v(buf *b, uint64_t v)
{
	unsigned char tmp[10];
	buf_put(b, tmp, search_put_varint(tmp, v));
}

/* Sorted unique entries as a shard, as search_write.c encodes one. */
static void encode_shard(const uint64_t *v, size_t n, buf *b)
{
	size_t used = 0;
	for (size_t k = 0; k < n; k++)
		used += k == 0 || v[k] >> 32 != v[k - 1] >> 32;
	put_v(b, used);
	uint64_t prev = 0;
	for (size_t k = 0; k < n;) {
		uint64_t bucket = v[k] >> 32;
		size_t end = k;
		while (end < n && v[end] >> 32 == bucket)
			end++;
		put_v(b, bucket - prev);
		prev = bucket;
		put_v(b, end - k);
		uint32_t last = 0;
		for (; k < end; k++) {
			put_v(b, (uint32_t)v[k] - last);
			last = (uint32_t)v[k];
		}
	}
}

static size_t shard_of(const search_pairs_memo *m, uint32_t h)
{
	return m->shard_bits ? h >> (32 - m->shard_bits) : 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The buckets of pairs p[0..n), sorted and unique, into a new array. */
static uint32_t *buckets_of(const uint32_t *p, size_t n, unsigned bshift,
	size_t *nb)
{
	uint32_t *b = xmalloc((n + 1) * sizeof *b);
	for (size_t x = 0; x < n; x++)
		b[x] = p[x] >> bshift;
	if (n)
		qsort(b, n, sizeof *b, cmp_u32);
	size_t u = 0;
	for (size_t x = 0; x < n; x++)
		if (u == 0 || b[x] != b[u - 1])
			b[u++] = b[x];
	*nb = u;
	return b;
}

/* Marks the shards of the buckets a document joins or leaves (old pairs
 * op[0..on), new np[0..nn)): where it stays, nothing changes (an edit
 * that adds a sentence touches a few shards, not all of the hundreds
 * its pairs are in). */
static void touch_changed(const search_pairs_memo *m, unsigned bshift,
	const uint32_t *op, size_t on, const uint32_t *np, size_t nn,
	uint8_t *touch)
{
	size_t a, b;
	uint32_t *ob = buckets_of(op, on, bshift, &a);
	uint32_t *nb = buckets_of(np, nn, bshift, &b);
	unsigned to_shard = m->pair_bits - m->shard_bits;
	size_t i = 0, j = 0;
	while (i < a || j < b) {
		if (j == b || (i < a && ob[i] < nb[j]))
			touch[ob[i++] >> to_shard] = 1;
		else if (i == a || nb[j] < ob[i])
			touch[nb[j++] >> to_shard] = 1;
		else
			i++, j++;
	}
	free(ob);
	free(nb);
}

/* Re-encodes the shards holding the pairs of the changed documents
 * chg[0..nchg) (old pairs op/on, new np/nn). */
static bool patch_shards(search_pairs_memo *m, const size_t *chg,
	size_t nchg, uint32_t *const *op, const size_t *on,
	uint32_t *const *np, const size_t *nn, const uint8_t *is_chg)
{
	uint8_t *touch = xcalloc(m->nshards, 1);
	unsigned bshift = 32 - m->pair_bits;
	for (size_t k = 0; k < nchg; k++)
		touch_changed(m, bshift, op[k], on[k], np[k], nn[k], touch);
	size_t per = (size_t)1 << (m->pair_bits - m->shard_bits);
	long long npairs = (long long)m->npairs;
	entries e = { 0 };
	bool ok = true;
	for (size_t s = 0; s < m->nshards && ok; s++) {
		if (!touch[s])
			continue;
		memo_shard *sh = &m->sh[s];
		size_t old;
		e.n = 0;
		if (!decode_shard(sh->data, sh->len, per, m->ndocs, is_chg, &e,
			&old)) {
			ok = false;
			break;
		}
		for (size_t k = 0; k < nchg; k++)
			for (size_t x = 0; x < nn[k]; x++)
				if (shard_of(m, np[k][x]) == s)
					push(&e, (uint64_t)((np[k][x] >> bshift) -
						s * per) << 32 | chg[k]);
		if (e.n)
			qsort(e.v, e.n, sizeof *e.v, cmp_u64);
		size_t u = 0;
		for (size_t k = 0; k < e.n; k++)
			if (u == 0 || e.v[k] != e.v[u - 1])
				e.v[u++] = e.v[k];
		npairs += (long long)u - (long long)old;
		buf b = BUF_INIT;
		encode_shard(e.v, u, &b);
		free(sh->owned);
		sh->len = b.len;
		sh->owned = (unsigned char *)buf_detach(&b);
		sh->data = sh->owned;
		sh->hash = hash64(sh->data, sh->len, HASH64_INIT);
	}
	free(e.v);
	free(touch);
	if (!ok || npairs < 0 || search_pair_shard_bits((size_t)npairs,
		m->pair_bits) != m->shard_bits)
		return false;
	m->npairs = (size_t)npairs;
	return true;
}

static bool patch(search_pairs_memo *m, const search_cache *c,
	const doc_terms *dt, size_t n)
{
	size_t nchg = 0;
	size_t *chg = xcalloc(MAX_CHANGED + 1, sizeof *chg);
	for (size_t i = 0; i < n && nchg <= MAX_CHANGED; i++)
		if (dt[i].key != m->key[i])
			chg[nchg++] = i;
	bool ok = nchg <= MAX_CHANGED;
	uint8_t *is_chg = xcalloc(n + 1, 1);
	uint32_t **op = xcalloc(nchg + 1, sizeof *op);
	uint32_t **np = xcalloc(nchg + 1, sizeof *np);
	size_t *on = xcalloc(nchg + 1, sizeof *on);
	size_t *nn = xcalloc(nchg + 1, sizeof *nn);
	arena a = ARENA_INIT;
	size_t total = m->total;
	for (size_t k = 0; k < nchg && ok; k++) {
		/* the old pairs: the token cache's record of the old key */
		const doc_terms *d = &dt[chg[k]];
		ok = search_cache_pairs(c, m->key[chg[k]], &a, &op[k], &on[k]) &&
			on[k] <= total;
		/* the new: tokenised now, or the cache's (not read yet) */
		np[k] = d->pairs;
		nn[k] = d->npairs;
		if (ok && d->pairs_lazy)
			ok = search_cache_rec_pairs(c, d->rec, &a, &np[k], &nn[k]);
		total = total - on[k] + nn[k];
		is_chg[chg[k]] = 1;
	}
	ok = ok && search_pair_bits(total, n) == m->pair_bits &&
		patch_shards(m, chg, nchg, op, on, np, nn, is_chg);
	if (ok) {
		for (size_t k = 0; k < nchg; k++)
			m->key[chg[k]] = dt[chg[k]].key;
		m->total = total;
		m->changed = nchg;
	}
	arena_release(&a);
	free(on);
	free(op);
	free(nn);
	free(np);
	free(is_chg);
	free(chg);
	return ok;
}

bool search_pairs_patch(search_index *ix, const char *cache_file,
	const search_cache *c, const doc_terms *dt, size_t n)
{
	if (!c)
		return false; /* no old pairs */
	char *file = memo_file(cache_file);
	search_pairs_memo *m = memo_load(file);
	free(file);
	if (!m || m->ndocs != n || !patch(m, c, dt, n)) {
		search_pairs_memo_free(m);
		return false;
	}
	ix->pairs_memo = m;
	ix->pair_bits = m->pair_bits;
	ix->npairs = m->npairs;
	ix->pair_total = m->total;
	return true;
}

void search_pairs_memo_save(const char *cache_file, const search_index *ix,
	const search_files *f)
{
	const search_pairs_memo *m = ix->pairs_memo;
	if (!cache_file || !ix->doc_key || (m && m->changed == 0))
		return; /* no cache, or the memo stands as it is */
	unsigned shard_bits = search_pair_shard_bits(ix->npairs, ix->pair_bits);
	size_t nshards = f->pairs_to - f->pairs_from;
	if (nshards != (size_t)1 << shard_bits)
		return;
	char *file = memo_file(cache_file);
	kvstore *store = kvstore_open(file, validity());
	free(file);
	buf b = BUF_INIT;
	cf_put_u64(&b, ix->ndocs);
	cf_put_u64(&b, ix->pair_total);
	cf_put_u64(&b, ix->npairs);
	cf_put_u32(&b, ix->pair_bits);
	cf_put_u32(&b, shard_bits);
	for (size_t i = 0; i < ix->ndocs; i++)
		cf_put_u64(&b, ix->doc_key[i]);
	for (size_t s = 0; s < nshards; s++) {
		const search_file *sf = &f->v[f->pairs_from + s];
		kv_key k;
		if (m && !m->sh[s].owned) {
			k = m->sh[s].k; /* unchanged: checked at load */
		} else {
			unsigned long long h[2];
			hash128(sf->data, sf->len, HASH64_INIT, h);
			k.k[0] = h[0];
			k.k[1] = h[1];
		}
		if (!kvstore_keep(store, k))
			kvstore_put(store, k, sf->data, sf->len);
		cf_put_u64(&b, k.k[0]);
		cf_put_u64(&b, k.k[1]);
		cf_put_u64(&b, sf->hash);
	}
	kvstore_put(store, manifest_key, b.p, b.len);
	kvstore_save(store);
	kvstore_free(store);
	buf_release(&b);
}
