/*
 * search_write: the index in memory to the files search.js reads (format:
 * docs/search.md). Keys are front-coded, document numbers delta-coded as
 * varints, and a file is gzipped when that saves a tenth or more (shards
 * when they are written, so a reused one is never compressed). Names
 * carry a hash of the contents, so a browser cache never mixes two
 * builds.
 * Shards are encoded and compressed on all threads, each into its own
 * slot, so the files are the same whatever the number of threads.
 */
#include "search_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <zlib.h>

#include "parallel.h"
#include "util.h"

size_t search_put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	do {
		unsigned char b = v & 0x7f;
		v >>= 7;
		p[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

/* One number written in place: most are below 128, one byte without the
 * loop. Returns the end. */
static inline unsigned char *put_v(unsigned char *p, uint64_t v)
{
	if (v < 0x80) {
		*p = (unsigned char)v;
		return p + 1;
	}
	return p + search_put_varint(p, v);
}

static void put_varint(buf *b, uint64_t v)
{
	unsigned char tmp[10];
	buf_put(b, tmp, search_put_varint(tmp, v));
}

/* Appends n ascending document numbers: the first absolute, then the
 * differences (written in place: these lists are most of the index). */
static void put_deltas(buf *b, const uint32_t *d, size_t n)
{
	buf_grow(b, n * 5);
	unsigned char *p = (unsigned char *)b->p + b->len;
	uint32_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		p = put_v(p, d[i] - prev);
		prev = d[i];
	}
	b->len = (size_t)(p - (unsigned char *)b->p);
	b->p[b->len] = '\0';
}

static void put_str(buf *b, const char *s, size_t n)
{
	put_varint(b, n);
	buf_put(b, s, n);
}

static size_t shared_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Front coding: how much of prev the key shares, then the rest. */
static void put_key(buf *b, const char *prev, const char *key)
{
	size_t s = prev ? shared_prefix(prev, key) : 0;
	put_varint(b, s);
	put_str(b, key + s, strlen(key + s));
}

/* The hash in file names (XXH3: the index is tens of megabytes). */
static uint64_t content_hash(const unsigned char *p, size_t n)
{
	return hash64(p, n, HASH64_INIT);
}

/* gzip with a fixed header (no name, no time), so the bytes depend only
 * on the input. Returns NULL when it would not save a tenth. */
static unsigned char *gzip(const unsigned char *p, size_t n, size_t *out_len)
{
	if (n < 256)
		return NULL;
	z_stream z = { 0 };
	if (deflateInit2(&z, 4, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, n);
	unsigned char *out = xmalloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || *out_len * 10 > n * 9) {
		free(out);
		return NULL;
	}
	return out;
}

/* Stores b in f, gzipped now when compress (and that pays); f->path is
 * set later, from the hashes. */
static void finish_file(search_file *f, buf *b, bool compress)
{
	size_t zl;
	unsigned char *z = compress ?
		gzip((const unsigned char *)b->p, b->len, &zl) : NULL;
	if (z) {
		f->data = z;
		f->len = zl;
		buf_release(b);
	} else {
		f->len = b->len;
		f->data = (unsigned char *)buf_detach(b);
	}
}

/* Stores b in f as it is, to be gzipped when written (if that pays):
 * a rebuild then compresses only the files whose contents changed. */
static void finish_file_later(search_file *f, buf *b)
{
	f->len = b->len;
	f->data = (unsigned char *)buf_detach(b);
	f->gzip = true;
}

/* What turns the data into the file's bytes, made once: this runs for
 * each of the tens of thousands of files. */
static char how_text[2][96];
static size_t how_len[2];

static void make_how(void)
{
	for (int z = 0; z < 2; z++) {
		snprintf(how_text[z], sizeof how_text[z], "search-file %d zlib %s",
			z ? 4 : 0, z ? zlibVersion() : "");
		how_len[z] = strlen(how_text[z]);
	}
}

uint64_t search_file_key(const search_file *f)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_how);
	int z = f->gzip ? 1 : 0;
	return hash64(how_text[z], how_len[z], f->hashed ? f->hash :
		content_hash(f->data, f->len));
}

const unsigned char *search_file_bytes(const search_file *f, size_t *len,
	unsigned char **owned)
{
	*owned = f->gzip ? gzip(f->data, f->len, len) : NULL;
	if (*owned)
		return *owned;
	*len = f->len;
	return f->data;
}

unsigned search_pair_shard_bits(size_t npairs, unsigned pair_bits)
{
	size_t pair_bytes = npairs * 2 + 16;
	unsigned shard_bits = 0;
	while (shard_bits < pair_bits &&
		(pair_bytes >> shard_bits) > SEARCH_SHARD_BYTES)
		shard_bits++;
	return shard_bits;
}

static unsigned long long short_hash(uint64_t h)
{
	return (unsigned long long)(h & 0xffffffffffffull);
}

/* A range of keys or buckets that becomes one file. */
typedef enum { JOB_WORDS, JOB_POSTINGS, JOB_PAIRS } job_kind;

typedef struct {
	job_kind kind;
	size_t from, to;
} shard_job;

typedef struct {
	const search_index *ix;
	shard_job *jobs;
	search_file *files;
	const uint32_t *term_shard; /* per term: its postings shard */
} encode_ctx;

static unsigned freq_class(uint32_t count)
{
	unsigned c = 0;
	while (count && c < 127) {
		c++;
		count >>= 1;
	}
	return c;
}

static void encode_words(const search_index *ix, const uint32_t *term_shard,
	size_t from, size_t to, buf *b)
{
	put_varint(b, to - from);
	for (size_t i = from; i < to; i++) {
		const search_word *w = &ix->words[i];
		put_key(b, i > from ? ix->words[i - 1].word : NULL, w->word);
		buf_putc(b, (char)(freq_class(w->count) << 1 | (w->stem ? 0 : 1)));
		if (w->stem) {
			put_key(b, w->word, w->stem);
			put_varint(b, term_shard[search_find_term(ix, w->stem) -
				ix->terms]);
		}
	}
}

static void encode_postings(const search_index *ix, size_t from, size_t to,
	buf *b)
{
	put_varint(b, to - from);
	for (size_t i = from; i < to; i++) {
		const search_term *t = &ix->terms[i];
		put_key(b, i > from ? ix->terms[i - 1].stem : NULL, t->stem);
		put_varint(b, t->df);
		put_deltas(b, ix->post_doc + t->start, t->df);
		buf_put(b, ix->post_impact + t->start, t->df);
	}
}

static void encode_pairs(const search_index *ix, size_t from, size_t to,
	buf *b)
{
	size_t used = 0;
	for (size_t k = from; k < to; k++)
		used += ix->pair_start[k + 1] > ix->pair_start[k];
	put_varint(b, used);
	/* written in place: millions of buckets, most with one document */
	buf_grow(b, (ix->pair_start[to] - ix->pair_start[from]) * 5 +
		used * 15);
	unsigned char *p = (unsigned char *)b->p + b->len;
	size_t prev = from;
	for (size_t k = from; k < to; k++) {
		uint32_t s = ix->pair_start[k], e = ix->pair_start[k + 1];
		if (s == e)
			continue;
		p = put_v(p, k - prev);
		prev = k;
		p = put_v(p, e - s);
		uint32_t last = 0;
		for (uint32_t i = s; i < e; i++) {
			p = put_v(p, ix->pair_doc[i] - last);
			last = ix->pair_doc[i];
		}
	}
	b->len = (size_t)(p - (unsigned char *)b->p);
	b->p[b->len] = '\0';
}

static void encode_one(void *ctx, size_t i, unsigned thread)
{
	encode_ctx *c = ctx;
	const shard_job *j = &c->jobs[i];
	buf b = BUF_INIT;
	switch (j->kind) {
	case JOB_WORDS:
		encode_words(c->ix, c->term_shard, j->from, j->to, &b);
		break;
	case JOB_POSTINGS:
		encode_postings(c->ix, j->from, j->to, &b);
		break;
	case JOB_PAIRS:
		if (c->ix->pairs_memo) {
			/* the memo's shard, patched: its hash is known */
			search_file *f = &c->files[i];
			size_t per = j->to - j->from;
			const unsigned char *p = search_pairs_memo_shard(
				c->ix->pairs_memo, j->from / per, &f->len, &f->hash);
			f->data = xmalloc(f->len + 1);
			memcpy(f->data, p, f->len);
			f->hashed = true;
			return;
		}
		encode_pairs(c->ix, j->from, j->to, &b);
		break;
	}
	/* Pair shards are document numbers only: gzip saves little. */
	if (j->kind == JOB_PAIRS)
		finish_file(&c->files[i], &b, false);
	else
		finish_file_later(&c->files[i], &b);
}

typedef struct {
	shard_job *v;
	size_t n, cap;
} job_list;

static void add_job(job_list *l, job_kind k, size_t from, size_t to)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (shard_job){ k, from, to };
}

/* Cuts [0, n) into shards of about SEARCH_SHARD_BYTES, given each item's
 * approximate size. */
static void split(job_list *l, job_kind k, size_t n,
	size_t (*size)(const search_index *, size_t), const search_index *ix,
	uint32_t *shard_of)
{
	size_t from = 0, bytes = 0, first = l->n;
	for (size_t i = 0; i < n; i++) {
		if (shard_of)
			shard_of[i] = (uint32_t)(l->n - first);
		bytes += size(ix, i);
		if (bytes >= SEARCH_SHARD_BYTES) {
			add_job(l, k, from, i + 1);
			from = i + 1;
			bytes = 0;
		}
	}
	if (from < n || n == 0)
		add_job(l, k, from, n);
}

static size_t word_size(const search_index *ix, size_t i)
{
	return strlen(ix->words[i].word) / 2 + 3;
}

static size_t term_size(const search_index *ix, size_t i)
{
	/* deltas of about a byte, an impact byte each */
	return strlen(ix->terms[i].stem) / 2 + 3 + ix->terms[i].df * 2;
}

/* The shortest prefix of key that still sorts after prev: the shard
 * boundaries the manifest lists. */
static void put_boundary(buf *b, const char *prev, const char *key)
{
	size_t n = prev ? shared_prefix(prev, key) + 1 : 0;
	size_t len = strlen(key);
	if (n > len)
		n = len;
	/* do not cut a UTF-8 sequence */
	while (n < len && ((unsigned char)key[n] & 0xc0) == 0x80)
		n++;
	char *k = xstrndup(key, n);
	buf_put_json(b, k);
	free(k);
}

static void put_jstr(buf *b, const char *s)
{
	buf_put_json(b, s ? s : "");
}

typedef struct {
	const search_input *in;
	search_file *files;
} fragment_ctx;

static void fragment_json(const search_input *in, buf *b)
{
	buf_puts(b, "{\"t\":");
	put_jstr(b, in->title);
	buf_puts(b, ",\"u\":");
	put_jstr(b, in->url);
	buf_puts(b, ",\"k\":");
	put_jstr(b, in->kind);
	buf_puts(b, ",\"m\":");
	put_jstr(b, in->meta);
	buf_puts(b, ",\"e\":");
	put_jstr(b, in->excerpt);
	buf_puts(b, "}\n");
}

static void fragment_one(void *ctx, size_t i, unsigned thread)
{
	fragment_ctx *c = ctx;
	buf b = BUF_INIT;
	fragment_json(&c->in[i], &b);
	c->files[i].len = b.len;
	c->files[i].data = (unsigned char *)buf_detach(&b);
}

typedef struct {
	search_doc_tag *tags; /* by facet, each in document order */
	size_t at[SEARCH_FACET_COUNT + 1]; /* facet k: tags[at[k], at[k + 1]) */
	search_file *files;
} facet_ctx;

static void facet_one(void *ctx, size_t k, unsigned thread)
{
	facet_ctx *c = ctx;
	buf b = BUF_INIT;
	search_encode_facet_tags(c->tags + c->at[k], c->at[k + 1] - c->at[k],
		&b);
	finish_file(&c->files[k], &b, true);
}

/* Every document's tags, grouped by facet in one pass. */
static void group_tags(const search_input *in, size_t n, facet_ctx *c)
{
	size_t next[SEARCH_FACET_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < in[i].ntags; j++)
			next[in[i].tags[j].facet]++;
	c->at[0] = 0;
	for (int k = 0; k < SEARCH_FACET_COUNT; k++) {
		c->at[k + 1] = c->at[k] + next[k];
		next[k] = c->at[k];
	}
	c->tags = xmalloc((c->at[SEARCH_FACET_COUNT] + 1) * sizeof *c->tags);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < in[i].ntags; j++)
			c->tags[next[in[i].tags[j].facet]++] = (search_doc_tag){
				(uint32_t)i, &in[i].tags[j] };
}

/* A set of files the client finds by number is split into at most
 * SEARCH_SET_FOLDERS folders of `per` (at least SEARCH_SET_MIN_PER) files,
 * each folder named by a hash of its files: "search/<prefix>-<hash>/<i>.bin".
 * One edit changes a handful of a set's thousands of shards, so a rebuild
 * renames the few folders holding them, not the whole set, and the
 * manifest stays small. */
#define SEARCH_SET_FOLDERS 32
#define SEARCH_SET_MIN_PER 64

typedef struct {
	size_t per;
	size_t n; /* folders */
	char dir[SEARCH_SET_FOLDERS][32];
} file_set;

/* "search/<dir>/<n>.bin" (xasprintf cost more than the rest of naming
 * the tens of thousands of files). */
static char *set_path(const char *dir, size_t n)
{
	char num[24];
	size_t k = sizeof num;
	do {
		num[--k] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	size_t nd = strlen(dir), nn = sizeof num - k;
	char *p = xmalloc(7 + nd + 1 + nn + 5);
	memcpy(p, "search/", 7);
	memcpy(p + 7, dir, nd);
	p[7 + nd] = '/';
	memcpy(p + 8 + nd, num + k, nn);
	memcpy(p + 8 + nd + nn, ".bin", 5);
	return p;
}

static void name_set(search_file *f, size_t from, size_t to,
	const char *prefix, file_set *set)
{
	size_t count = to - from;
	set->per = (count + SEARCH_SET_FOLDERS - 1) / SEARCH_SET_FOLDERS;
	if (set->per < SEARCH_SET_MIN_PER)
		set->per = SEARCH_SET_MIN_PER;
	set->n = (count + set->per - 1) / set->per;
	for (size_t g = 0; g < set->n; g++) {
		size_t first = from + g * set->per;
		size_t last = first + set->per < to ? first + set->per : to;
		/* the first number joins the hash: two folders of equal
		 * files hold different numbers, so must not share a name */
		uint64_t h = (14695981039346656037ull ^ (first - from)) *
			1099511628211ull;
		for (size_t i = first; i < last; i++) {
			if (!f[i].hashed)
				f[i].hash = content_hash(f[i].data, f[i].len);
			f[i].hashed = true;
			h = (h ^ f[i].hash) * 1099511628211ull;
		}
		snprintf(set->dir[g], sizeof set->dir[g], "%s-%012llx", prefix,
			short_hash(h));
		for (size_t i = first; i < last; i++)
			f[i].path = set_path(set->dir[g], i - from);
	}
}

/* "name":{"per":N,"dirs":["<prefix>-<hash>/",...]} */
static void put_set(buf *b, const char *name, const file_set *set)
{
	buf_printf(b, "\"%s\":{\"per\":%zu,\"dirs\":[", name, set->per);
	for (size_t g = 0; g < set->n; g++)
		buf_printf(b, "%s\"%s/\"", g ? "," : "", set->dir[g]);
	buf_puts(b, "]}");
}

static void name_one(search_file *f, const char *prefix)
{
	f->hash = content_hash(f->data, f->len);
	f->hashed = true;
	f->path = xasprintf("search/%s-%012llx.bin", prefix, short_hash(f->hash));
}

void search_encode(const search_index *ix, const search_input *in, size_t n,
	unsigned threads, search_files *out)
{
	job_list jobs = { 0 };
	uint32_t *term_shard = xcalloc(ix->nterms + 1, sizeof *term_shard);
	split(&jobs, JOB_POSTINGS, ix->nterms, term_size, ix, term_shard);
	size_t npost = jobs.n;
	split(&jobs, JOB_WORDS, ix->nwords, word_size, ix, NULL);
	size_t nwords = jobs.n - npost;
	/* Pair shards: a power of two of equal bucket ranges, so the client
	 * finds a bucket's shard with a shift. */
	size_t nb = (size_t)1 << ix->pair_bits;
	unsigned shard_bits = search_pair_shard_bits(ix->npairs, ix->pair_bits);
	size_t per = nb >> shard_bits;
	for (size_t s = 0; s < ((size_t)1 << shard_bits); s++)
		add_job(&jobs, JOB_PAIRS, s * per, (s + 1) * per);

	/* files: shards, the manifest, the facets, the fragments */
	size_t nfiles = jobs.n + 1 + SEARCH_FACET_COUNT + n;
	out->v = xcalloc(nfiles, sizeof *out->v);
	out->n = nfiles;
	out->pairs_from = npost + nwords;
	out->pairs_to = jobs.n;
	search_file *f = out->v;
	encode_ctx ec = { ix, jobs.v, f, term_shard };
	parallel_for(jobs.n, threads, encode_one, &ec);
	free(term_shard);
	search_timing("shards");

	file_set post_set, pair_set, facet_set, frag_set;
	name_set(f, 0, npost, "post", &post_set);
	for (size_t j = npost; j < npost + nwords; j++)
		name_one(&f[j], "words");
	name_set(f, npost + nwords, jobs.n, "pairs", &pair_set);

	size_t facets = jobs.n + 1, frags = facets + SEARCH_FACET_COUNT;
	facet_ctx fac = { .files = f + facets };
	group_tags(in, n, &fac);
	parallel_for(SEARCH_FACET_COUNT, threads, facet_one, &fac);
	free(fac.tags);
	name_set(f, facets, frags, "facets", &facet_set);
	search_timing("facets");

	fragment_ctx fc = { in, f + frags };
	parallel_for(n, threads, fragment_one, &fc);
	name_set(f, frags, nfiles, "docs", &frag_set);
	search_timing("docs");

	buf m = BUF_INIT;
	buf_printf(&m, "{\"version\":2,\"docs\":%zu,\"k1\":%g,\"b\":%g,"
		"\"pairBits\":%u,\"pairShardBits\":%u,\n", n, SEARCH_K1,
		SEARCH_B, ix->pair_bits, shard_bits);
	put_set(&m, "postings", &post_set);
	buf_puts(&m, ",\n");
	put_set(&m, "pairs", &pair_set);
	buf_puts(&m, ",\n");
	put_set(&m, "fragments", &frag_set);
	buf_puts(&m, ",\n");
	put_set(&m, "facets", &facet_set);
	buf_puts(&m, ",\n\"facetNames\":[");
	for (int k = 0; k < SEARCH_FACET_COUNT; k++) {
		if (k)
			buf_putc(&m, ',');
		put_jstr(&m, search_facet_name((search_facet)k));
	}
	/* their sizes: the client loads small ones with every query, the
	 * others when the reader opens or ticks them */
	buf_puts(&m, "],\"facetBytes\":[");
	for (int k = 0; k < SEARCH_FACET_COUNT; k++)
		buf_printf(&m, "%s%zu", k ? "," : "", f[facets + k].len);
	buf_putc(&m, ']');
	buf_puts(&m, ",\n\"words\":[");
	for (size_t j = 0; j < nwords; j++) {
		const shard_job *s = &jobs.v[npost + j];
		buf_puts(&m, j ? ",\n[" : "\n[");
		put_boundary(&m, j && s->from > 0 ? ix->words[s->from - 1].word :
			NULL, s->from < ix->nwords ? ix->words[s->from].word : "");
		buf_putc(&m, ',');
		put_jstr(&m, f[npost + j].path + strlen("search/"));
		buf_putc(&m, ']');
	}
	buf_puts(&m, "]}\n");
	search_file *mf = &f[jobs.n];
	mf->len = m.len;
	mf->data = (unsigned char *)buf_detach(&m);
	mf->path = xstrdup("search/manifest.json");
	free(jobs.v);
}

void search_files_release(search_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].data);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
