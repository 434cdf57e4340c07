/*
 * Unit tests for the search index: words to stems (stemming, stop words),
 * BM25 weights ordering a small known corpus (term frequency, length,
 * title weight, kind prior), phrase pairs, shard boundaries (every term in
 * exactly one posting shard, in order, and the word shards pointing at
 * it), facets, the ASCII fast path of the tokenizer (the same words as
 * text_tokenize), and the same bytes whatever the number of threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "search_int.h"
#include "text.h"
#include "util.h"
#include "search_testutil.h"

static const char *stem_of(const search_index *ix, const char *word)
{
	const search_word *w = search_find_word(ix, word);
	return w ? w->stem : NULL;
}

/* The impact of stem in doc d, 0 if absent. */
static unsigned impact(const search_index *ix, const char *stem, uint32_t d)
{
	const search_term *t = search_find_term(ix, stem);
	if (!t)
		return 0;
	for (size_t k = 0; k < t->df; k++)
		if (ix->post_doc[t->start + k] == d)
			return ix->post_impact[t->start + k];
	return 0;
}

static void test_words_map_to_stems(void **state)
{
	arena a = ARENA_INIT;
	search_input in[] = {
		search_test_doc(&a, "Teachers teaching", "The teacher's questions, a teacher and questioning."),
	};
	search_index *ix = search_index_build(in, 1, 1);
	assert_string_equal(stem_of(ix, "teachers"), "teacher");
	assert_string_equal(stem_of(ix, "teachers"), stem_of(ix, "teacher"));
	assert_string_equal(stem_of(ix, "teaching"), "teach");
	assert_string_equal(stem_of(ix, "questions"), "question");
	assert_string_equal(stem_of(ix, "questioning"), "question");
	/* a stop word is in the dictionary, marked (no stem), not indexed */
	const search_word *the = search_find_word(ix, "the");
	assert_non_null(the);
	assert_null(the->stem);
	assert_null(search_find_term(ix, "the"));
	assert_int_equal(search_find_word(ix, "and")->count, 1);
	search_index_free(ix);
	arena_release(&a);
}

static void test_bm25_orders_a_known_corpus(void **state)
{
	arena a = ARENA_INIT;
	search_input in[] = {
		search_test_doc(&a, "Reading", "coaching once among many other words here "
			"about reading and writing and other things entirely"),
		search_test_doc(&a, "Reading", "coaching coaching coaching in reading"),
		search_test_doc(&a, "Coaching", "reading"),
		search_test_doc(&a, "Reading", "coaching coaching coaching in reading"),
	};
	in[3].boost = 0.75; /* a claim page, say */
	search_index *ix = search_index_build(in, 4, 2);
	/* more occurrences in a shorter document weigh more */
	assert_true(impact(ix, "coach", 1) > impact(ix, "coach", 0));
	/* a title counts as four body words */
	assert_true(impact(ix, "coach", 2) > impact(ix, "coach", 0));
	/* the kind prior scales the weight */
	assert_true(impact(ix, "coach", 3) < impact(ix, "coach", 1));
	assert_int_equal(search_find_term(ix, "coach")->df, 4);
	assert_int_equal(impact(ix, "read", 0) > 0, 1);
	/* weights are capped to a byte, and a term absent from a document
	 * has none */
	assert_int_equal(search_impact(0, 10, 10, 1), 0);
	assert_true(search_impact(1000, 1, 10, 1) <= 255);
	assert_true(search_impact(2, 5, 10, 1) > search_impact(2, 20, 10, 1));
	search_index_free(ix);
	arena_release(&a);
}

/* Is pair (a, b) recorded for document d? */
static bool has_pair(const search_index *ix, const char *a, const char *b,
	uint32_t d)
{
	uint32_t h = search_pair_hash(search_stem_hash(a, strlen(a)),
		search_stem_hash(b, strlen(b)));
	uint32_t bucket = h >> (32 - ix->pair_bits);
	for (uint32_t i = ix->pair_start[bucket]; i < ix->pair_start[bucket + 1]; i++)
		if (ix->pair_doc[i] == d)
			return true;
	return false;
}

static void test_phrase_pairs(void **state)
{
	arena a = ARENA_INIT;
	search_input in[] = {
		search_test_doc(&a, "One", "We used lesson study in maths."),
		search_test_doc(&a, "Two", "A study of one lesson."),
		search_test_doc(&a, "Three", "The impact of coaching; lesson-study."),
	};
	search_index *ix = search_index_build(in, 3, 1);
	assert_true(has_pair(ix, "lesson", "studi", 0));
	assert_false(has_pair(ix, "lesson", "studi", 1));
	assert_false(has_pair(ix, "studi", "lesson", 0));
	/* stop words between two words are skipped */
	assert_true(has_pair(ix, "impact", "coach", 2));
	/* a hyphen separates words, so "lesson-study" is the phrase */
	assert_true(has_pair(ix, "lesson", "studi", 2));
	/* pairs do not cross fields: title "Three" and body "impact" */
	assert_false(has_pair(ix, "three", "impact", 2));
	search_index_free(ix);
	arena_release(&a);
}

/* Reading the encoded files back. */
typedef struct {
	const unsigned char *p, *end;
} reader;

static uint64_t rd_varint(reader *r)
{
	uint64_t v = 0;
	unsigned s = 0;
	while (r->p < r->end) {
		unsigned char b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << s;
		s += 7;
		if (!(b & 0x80))
			break;
	}
	return v;
}

/* A front-coded key into key (shares some bytes of it already). */
static void rd_key(reader *r, char *key)
{
	size_t shared = rd_varint(r), n = rd_varint(r);
	assert_true(shared + n < 256);
	memcpy(key + shared, r->p, n);
	key[shared + n] = '\0';
	r->p += n;
}

static void rd_str(reader *r, char *out)
{
	size_t n = rd_varint(r);
	assert_true(n < 256);
	memcpy(out, r->p, n);
	out[n] = '\0';
	r->p += n;
}

/* The bytes of a file, gunzipped when it is gzip. */
static unsigned char *contents(const search_file *f, size_t *len)
{
	if (f->len > 2 && f->data[0] == 0x1f && f->data[1] == 0x8b) {
		size_t cap = f->len * 20 + 1024;
		unsigned char *out = xmalloc(cap);
		z_stream z = { 0 };
		assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
		z.next_in = f->data;
		z.avail_in = (uInt)f->len;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
		*len = z.total_out;
		inflateEnd(&z);
		return out;
	}
	*len = f->len;
	unsigned char *out = xmalloc(f->len + 1);
	memcpy(out, f->data, f->len);
	return out;
}

static const search_file *file_named(const search_files *fs, const char *path)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].path, path) == 0)
			return &fs->v[i];
	return NULL;
}

/* A corpus with many distinct terms, so the postings need many shards. */
static search_input *big_corpus(arena *a, size_t n)
{
	search_input *in = arena_alloc(a, n * sizeof *in);
	for (size_t i = 0; i < n; i++) {
		buf b = BUF_INIT;
		for (size_t k = 0; k < 60; k++)
			buf_printf(&b, "w%zux%zu common ", (i * 7 + k * 13) % 997, k % 5);
		char *body = arena_strdup(a, b.p);
		buf_release(&b);
		in[i] = search_test_doc(a, arena_printf(a, "Document %zu", i), body);
		in[i].tags = arena_alloc(a, 2 * sizeof *in[i].tags);
		in[i].tags[0] = (search_tag){ SEARCH_FACET_CLAIM,
			i % 3 ? "gp-2" : "gp-10", i % 3 ? "Two" : "Ten" };
		in[i].tags[1] = (search_tag){ SEARCH_FACET_CLAIM, "gp-2", "Two" };
		in[i].ntags = 2;
	}
	return in;
}

/* The path the manifest man gives file i of a numbered set, as search.js
 * finds it: "<set>":{"per":N,"dirs":["d0/","d1/",...]} puts it in
 * dirs[i / per]. False when there is no such folder. */
static bool set_path(const char *man, const char *set, size_t i, char *out,
	size_t size)
{
	char head[64];
	snprintf(head, sizeof head, "\"%s\":{\"per\":", set);
	const char *p = strstr(man, head);
	assert_non_null(p);
	char *end;
	size_t per = strtoul(p + strlen(head), &end, 10);
	assert_true(per > 0);
	assert_true(strncmp(end, ",\"dirs\":[", 9) == 0);
	p = end + 9;
	for (size_t g = i / per; g > 0; g--) {
		p = strchr(p, ',');
		const char *close = strchr(end, ']');
		if (!p || p > close)
			return false;
		p++;
	}
	if (*p != '"')
		return false;
	p++;
	snprintf(out, size, "search/%.*s%zu.bin", (int)strcspn(p, "\""), p, i);
	return true;
}

static void test_shard_boundaries(void **state)
{
	arena a = ARENA_INIT;
	size_t n = 300;
	search_input *in = big_corpus(&a, n);
	search_index *ix = search_index_build(in, n, 2);
	search_files fs = { 0 };
	search_encode(ix, in, n, 2, &fs);
	const search_file *m = file_named(&fs, "search/manifest.json");
	assert_non_null(m);
	char *man = xstrndup((const char *)m->data, m->len);

	/* Every term in exactly one shard, shards in key order. */
	char prev[256] = "", key[256];
	size_t seen = 0, shards = 0;
	uint32_t *shard_of = xcalloc(ix->nterms, sizeof *shard_of);
	for (;; shards++) {
		char path[128];
		/* past the last shard: no folder, or none of that number */
		const search_file *f = set_path(man, "postings", shards, path,
			sizeof path) ? file_named(&fs, path) : NULL;
		if (!f)
			break;
		size_t len;
		unsigned char *u = contents(f, &len);
		reader r = { u, u + len };
		size_t count = rd_varint(&r);
		assert_true(count > 0);
		for (size_t k = 0; k < count; k++) {
			rd_key(&r, key);
			assert_true(strcmp(prev, key) < 0);
			strcpy(prev, key);
			const search_term *t = search_find_term(ix, key);
			assert_non_null(t);
			shard_of[t - ix->terms] = (uint32_t)shards;
			size_t df = rd_varint(&r);
			assert_int_equal(df, t->df);
			uint64_t d = 0;
			for (size_t j = 0; j < df; j++) {
				d = j ? d + rd_varint(&r) : rd_varint(&r);
				assert_int_equal(d, ix->post_doc[t->start + j]);
			}
			assert_memory_equal(r.p, ix->post_impact + t->start, df);
			r.p += df;
			seen++;
		}
		assert_ptr_equal(r.p, r.end);
		free(u);
	}
	assert_true(shards > 3);
	assert_int_equal(seen, ix->nterms);

	/* The word shards point each word at its stem's shard. */
	size_t words = 0;
	for (size_t i = 0; i < fs.n; i++) {
		if (strncmp(fs.v[i].path, "search/words-", 13) != 0)
			continue;
		assert_non_null(strstr(man, fs.v[i].path + strlen("search/")));
		size_t len;
		unsigned char *u = contents(&fs.v[i], &len);
		reader r = { u, u + len };
		size_t count = rd_varint(&r);
		char word[256] = "", stem[256];
		for (size_t k = 0; k < count; k++) {
			rd_key(&r, word);
			unsigned flags = *r.p++;
			if (flags & 1)
				continue;
			strcpy(stem, word);
			rd_key(&r, stem);
			const search_term *t = search_find_term(ix, stem);
			assert_non_null(t);
			assert_int_equal(rd_varint(&r), shard_of[t - ix->terms]);
			words++;
		}
		free(u);
	}
	assert_int_equal(words, ix->nwords);
	free(shard_of);
	free(man);
	search_files_release(&fs);
	search_index_free(ix);
	arena_release(&a);
}

/* The folder of the files i of a set: what follows "search/" up to '/'. */
static void folder_of(const char *man, const char *set, size_t i, char *out,
	size_t size)
{
	char path[128];
	assert_true(set_path(man, set, i, path, sizeof path));
	snprintf(out, size, "%.*s", (int)strcspn(path + 7, "/"), path + 7);
}

/* A set of files found by number is split into folders named by their
 * files: every file is where the manifest says, and changing one
 * document's fragment renames only the folder that holds it. */
static void test_set_folders(void **state)
{
	arena a = ARENA_INIT;
	size_t n = 300, changed = 200;
	search_input *in = big_corpus(&a, n);
	search_files before = { 0 }, after = { 0 };
	for (int round = 0; round < 2; round++) {
		if (round)
			in[changed].title = "A new title";
		search_index *ix = search_index_build(in, n, 2);
		search_encode(ix, in, n, 2, round ? &after : &before);
		search_index_free(ix);
	}
	const search_file *mb = file_named(&before, "search/manifest.json");
	const search_file *ma = file_named(&after, "search/manifest.json");
	char *man_b = xstrndup((const char *)mb->data, mb->len);
	char *man_a = xstrndup((const char *)ma->data, ma->len);
	char path[128], fb[64], fa[64];
	size_t folders = 0;
	for (size_t d = 0; d < n; d++) {
		assert_true(set_path(man_a, "fragments", d, path, sizeof path));
		assert_non_null(file_named(&after, path));
		folder_of(man_b, "fragments", d, fb, sizeof fb);
		folder_of(man_a, "fragments", d, fa, sizeof fa);
		bool same_folder = d / 64 == changed / 64;
		if (same_folder)
			assert_string_not_equal(fb, fa);
		else
			assert_string_equal(fb, fa);
		if (d % 64 == 0)
			folders++;
	}
	assert_int_equal(folders, 5); /* 300 files, 64 a folder */
	assert_false(set_path(man_a, "fragments", n + 64, path, sizeof path));
	free(man_b);
	free(man_a);
	search_files_release(&before);
	search_files_release(&after);
	arena_release(&a);
}

static void test_facets(void **state)
{
	arena a = ARENA_INIT;
	search_input *in = big_corpus(&a, 9);
	buf b = BUF_INIT;
	search_encode_facet(in, 9, SEARCH_FACET_CLAIM, &b);
	reader r = { (const unsigned char *)b.p, (const unsigned char *)b.p + b.len };
	assert_int_equal(rd_varint(&r), 2);
	char key[256] = "";
	rd_str(&r, key);
	/* natural order: gp-2 before gp-10 */
	assert_string_equal(key, "gp-2");
	rd_str(&r, key);
	assert_string_equal(key, "Two");
	/* every document has gp-2 (one counted once though tagged twice) */
	assert_int_equal(rd_varint(&r), 9);
	for (int k = 0; k < 9; k++)
		assert_int_equal(rd_varint(&r), k ? 1 : 0);
	rd_str(&r, key);
	assert_string_equal(key, "gp-10");
	rd_str(&r, key);
	assert_int_equal(rd_varint(&r), 3);
	assert_int_equal(rd_varint(&r), 0);
	assert_int_equal(rd_varint(&r), 3);
	assert_int_equal(rd_varint(&r), 3);
	buf_release(&b);
	arena_release(&a);
}

static void test_same_bytes_whatever_the_threads(void **state)
{
	arena a = ARENA_INIT;
	size_t n = 120;
	search_input *in = big_corpus(&a, n);
	search_files one = { 0 }, four = { 0 };
	search_index *ix1 = search_index_build(in, n, 1);
	search_encode(ix1, in, n, 1, &one);
	search_index *ix4 = search_index_build(in, n, 4);
	search_encode(ix4, in, n, 4, &four);
	assert_int_equal(one.n, four.n);
	for (size_t i = 0; i < one.n; i++) {
		assert_string_equal(one.v[i].path, four.v[i].path);
		assert_int_equal(one.v[i].len, four.v[i].len);
		assert_memory_equal(one.v[i].data, four.v[i].data, one.v[i].len);
	}
	search_files_release(&one);
	search_files_release(&four);
	search_index_free(ix1);
	search_index_free(ix4);
	arena_release(&a);
}

/* Words as "a|b|c|", with their hashes checked. */
static void collect_fast(void *ctx, const char *term, size_t len, uint32_t h)
{
	buf *b = ctx;
	assert_int_equal(h, search_stem_hash(term, len));
	assert_int_equal(strlen(term), len);
	buf_put(b, term, len);
	buf_putc(b, '|');
}

static int collect_slow(void *ctx, const text_token *t)
{
	buf *b = ctx;
	buf_put(b, t->term, t->len);
	buf_putc(b, '|');
	return 0;
}

static void assert_same_words(const char *s, size_t n)
{
	buf fast = BUF_INIT, slow = BUF_INIT;
	search_tokenize(s, n, collect_fast, &fast);
	text_tokenize(s, n, collect_slow, &slow);
	assert_string_equal(fast.p, slow.p);
	buf_release(&fast);
	buf_release(&slow);
}

static void test_fast_tokenizer_agrees(void **state)
{
	static const char *const cases[] = {
		"", "a", "KS2 and P-levels", "don't stop", "pupils' voice",
		"'quoted' words''here", "x'", "'", "a''b", "it's a don’t",
		"Café naïve CAFÉ", "don’t", "ab'é", "é'ab", "straße",
		"mid\xc3word", "bad \xff\xfe bytes", "e\xcc\x81t\xc3\xa9",
		"lesson-study, year 3: 100% (KS1/KS2)!",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa c",
		"a'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa d",
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		assert_same_words(cases[i], strlen(cases[i]));
	/* random mixes of the characters that matter */
	static const char *const bits[] = { "a", "Z", "9", "'", " ", "-", "\xc3\xa9",
		"\xe2\x80\x99", "\xff", "\xcc\x81", "\n", "_" };
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		buf b = BUF_INIT;
		int len = (int)(seed % 40);
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&b, bits[(seed >> 16) % ARRAY_LEN(bits)]);
		}
		seed = seed * 1103515245u + 12345u;
		assert_same_words(b.p, b.len);
		/* and cut at any byte, as a field may end anywhere */
		assert_same_words(b.p, b.len / 2);
		buf_release(&b);
	}
}

static void test_empty_corpus(void **state)
{
	search_index *ix = search_index_build(NULL, 0, 2);
	search_files fs = { 0 };
	search_encode(ix, NULL, 0, 2, &fs);
	assert_non_null(file_named(&fs, "search/manifest.json"));
	search_files_release(&fs);
	search_index_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_map_to_stems),
		cmocka_unit_test(test_bm25_orders_a_known_corpus),
		cmocka_unit_test(test_phrase_pairs),
		cmocka_unit_test(test_shard_boundaries),
		cmocka_unit_test(test_set_folders),
		cmocka_unit_test(test_facets),
		cmocka_unit_test(test_same_bytes_whatever_the_threads),
		cmocka_unit_test(test_fast_tokenizer_agrees),
		cmocka_unit_test(test_empty_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
