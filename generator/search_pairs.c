/*
 * search_pairs: the phrase index, documents' adjacent stem pairs bucketed
 * by hash (see search_index.c for why pairs and not positions). A rebuild
 * may patch the last build's buckets instead (search_pairs_memo.c).
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "search_index_int.h"
#include "util.h"

uint32_t search_pair_hash(uint32_t a, uint32_t b)
{
	uint32_t h = a * 0x9e3779b1u + b;
	/* murmur3's finaliser: FNV's high bits mix poorly on their own */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Bucket bits: about 4096 buckets per pair of an average document, so a
 * phrase's pair collides with one of a document's pairs about once in
 * four thousand documents. */
unsigned search_pair_bits(size_t total_pairs, size_t ndocs)
{
	double per_doc = ndocs ? (double)total_pairs / (double)ndocs : 0;
	unsigned bits = 12;
	while (bits < 24 && (double)(1u << bits) < 4096.0 * per_doc)
		bits++;
	return bits;
}

/* Pairs are bucketed in two steps, so that no step writes all over the
 * 2^pair_bits buckets (tens of megabytes; scattered writes there were the
 * slowest part of indexing): first the (pair, document) entries are
 * partitioned by the top PAIR_PART_BITS of the hash, chunk by chunk of
 * documents, each chunk writing its own precomputed range, so every
 * partition lists its entries in document order; then each partition is
 * counted and laid out on its own, its buckets fitting in cache. */
#define PAIR_PART_BITS 8
#define PAIR_PARTS (1u << PAIR_PART_BITS)
#define PAIR_CHUNKS 64

struct search_pair_job {
	search_index *ix;
	const doc_terms *dt;
	size_t n;
	size_t *chunk_doc; /* chunk c: documents [chunk_doc[c], chunk_doc[c + 1]) */
	size_t *at; /* [chunk][part]: counts, then where the chunk writes */
	size_t *part_start; /* [part], PAIR_PARTS + 1 */
	/* the entries, partitioned: a pair's bucket within its partition
	 * (pair_bits is at most 24, so 16 bits), and its document */
	uint16_t *sub;
	uint32_t *doc;
	unsigned sub_shift; /* hash >> sub_shift & sub_mask: the bucket within */
	uint32_t sub_mask;
};

static void pair_count(void *ctx, size_t c, unsigned thread)
{
	search_pair_job *j = ctx;
	size_t *at = j->at + c * PAIR_PARTS;
	for (size_t i = j->chunk_doc[c]; i < j->chunk_doc[c + 1]; i++)
		for (uint32_t k = 0; k < j->dt[i].npairs; k++)
			at[j->dt[i].pairs[k] >> (32 - PAIR_PART_BITS)]++;
}

static void pair_scatter(void *ctx, size_t c, unsigned thread)
{
	search_pair_job *j = ctx;
	size_t *at = j->at + c * PAIR_PARTS;
	for (size_t i = j->chunk_doc[c]; i < j->chunk_doc[c + 1]; i++)
		for (uint32_t k = 0; k < j->dt[i].npairs; k++) {
			uint32_t h = j->dt[i].pairs[k];
			size_t p = at[h >> (32 - PAIR_PART_BITS)]++;
			j->sub[p] = (uint16_t)(h >> j->sub_shift & j->sub_mask);
			j->doc[p] = (uint32_t)i;
		}
}

/* Counts each document once per bucket into pair_start[b + 1]. */
static void pair_bucket_count(void *ctx, size_t part, unsigned thread)
{
	search_pair_job *j = ctx;
	search_index *ix = j->ix;
	size_t sub = (size_t)1 << (ix->pair_bits - PAIR_PART_BITS);
	uint32_t *count = ix->pair_start + part * sub + 1;
	uint32_t *last = xmalloc(sub * sizeof *last);
	memset(last, 0xff, sub * sizeof *last);
	for (size_t e = j->part_start[part]; e < j->part_start[part + 1]; e++) {
		uint32_t b = j->sub[e], d = j->doc[e];
		if (last[b] != d) {
			last[b] = d;
			count[b]++;
		}
	}
	free(last);
}

/* Writes each bucket's documents, ascending and once each. */
static void pair_bucket_fill(void *ctx, size_t part, unsigned thread)
{
	search_pair_job *j = ctx;
	search_index *ix = j->ix;
	size_t sub = (size_t)1 << (ix->pair_bits - PAIR_PART_BITS);
	const uint32_t *start = ix->pair_start + part * sub;
	uint32_t *next = xmalloc(sub * sizeof *next);
	memcpy(next, start, sub * sizeof *next);
	for (size_t e = j->part_start[part]; e < j->part_start[part + 1]; e++) {
		uint32_t b = j->sub[e], d = j->doc[e];
		uint32_t at = next[b];
		if (at > start[b] && ix->pair_doc[at - 1] == d)
			continue;
		ix->pair_doc[at] = d;
		next[b] = at + 1;
	}
	free(next);
}

search_pair_job *search_partition_pairs(search_index *ix, const doc_terms *dt,
	size_t n, unsigned threads)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += dt[i].npairs;
	ix->pair_bits = search_pair_bits(total, n);
	ix->pair_total = total;
	size_t nb = (size_t)1 << ix->pair_bits;
	ix->pair_start = xcalloc(nb + 1, sizeof *ix->pair_start);

	/* chunks of documents with about the same number of pairs */
	search_pair_job *jp = xmalloc(sizeof *jp);
	search_pair_job j = { ix, dt, n, xcalloc(PAIR_CHUNKS + 1, sizeof(size_t)),
		xcalloc(PAIR_CHUNKS * PAIR_PARTS, sizeof(size_t)),
		xcalloc(PAIR_PARTS + 1, sizeof(size_t)),
		xmalloc((total + 1) * sizeof(uint16_t)),
		xmalloc((total + 1) * sizeof(uint32_t)), 32 - ix->pair_bits,
		(uint32_t)(nb / PAIR_PARTS - 1) };
	size_t c = 0, seen = 0;
	for (size_t i = 0; i < n; i++) {
		while (c + 1 < PAIR_CHUNKS && seen >= total / PAIR_CHUNKS * (c + 1))
			j.chunk_doc[++c] = i;
		seen += dt[i].npairs;
	}
	while (c < PAIR_CHUNKS)
		j.chunk_doc[++c] = n;
	parallel_for(PAIR_CHUNKS, threads, pair_count, &j);
	size_t at = 0;
	for (size_t p = 0; p < PAIR_PARTS; p++) {
		j.part_start[p] = at;
		for (size_t k = 0; k < PAIR_CHUNKS; k++) {
			size_t count = j.at[k * PAIR_PARTS + p];
			j.at[k * PAIR_PARTS + p] = at;
			at += count;
		}
	}
	j.part_start[PAIR_PARTS] = at;
	parallel_for(PAIR_CHUNKS, threads, pair_scatter, &j);
	free(j.chunk_doc);
	free(j.at);
	j.chunk_doc = NULL;
	j.at = NULL;
	*jp = j;
	return jp;
}

void search_bucket_pairs(search_pair_job *jp, unsigned threads)
{
	search_pair_job j = *jp;
	free(jp);
	search_index *ix = j.ix;
	size_t nb = (size_t)1 << ix->pair_bits;
	parallel_for(PAIR_PARTS, threads, pair_bucket_count, &j);
	for (size_t b = 0; b < nb; b++)
		ix->pair_start[b + 1] += ix->pair_start[b];
	ix->npairs = ix->pair_start[nb];
	ix->pair_doc = xmalloc((ix->npairs + 1) * sizeof *ix->pair_doc);
	parallel_for(PAIR_PARTS, threads, pair_bucket_fill, &j);
	free(j.part_start);
	free(j.sub);
	free(j.doc);
}
