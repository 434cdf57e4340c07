/*
 * Unit tests for the search token cache: an index built with the cache
 * (written fresh, then read back whole, after documents changed, were
 * added, removed or duplicated, and from a corrupt or truncated file) has
 * the same bytes as one built without it; a cache of another version is
 * not read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cachefile.h"
#include "search_cache_int.h"
#include "search_int.h"
#include "testutil.h"
#include "util.h"
#include "search_testutil.h"

/* n documents; version v changes the words of every seventh one. */
static search_input *corpus(arena *a, size_t n, unsigned v)
{
	search_input *in = arena_alloc(a, (n + 1) * sizeof *in);
	for (size_t i = 0; i < n; i++) {
		buf b = BUF_INIT;
		for (size_t k = 0; k < 40; k++)
			buf_printf(&b, "w%zux%zu teaching the pupils ",
				(i * 7 + k * 13) % 503, k % 4);
		if (i % 7 == 0)
			buf_printf(&b, "edition%u café naïve", v);
		in[i] = search_test_doc(a, arena_printf(a, "Document %zu", i),
			arena_strdup(a, b.p));
		buf_release(&b);
	}
	return in;
}

/* The index's files, as one buffer to compare. */
static void index_bytes(const search_input *in, size_t n, unsigned threads,
	const char *cache, buf *out)
{
	search_index *ix = search_index_build_cached(in, n, threads, cache);
	search_files fs = { 0 };
	search_encode(ix, in, n, threads, &fs);
	for (size_t i = 0; i < fs.n; i++) {
		buf_puts(out, fs.v[i].path);
		buf_put(out, fs.v[i].data, fs.v[i].len);
	}
	search_files_release(&fs);
	search_index_free(ix);
}

static void assert_same_index(const search_input *in, size_t n,
	const char *cache, unsigned threads)
{
	buf want = BUF_INIT, got = BUF_INIT;
	index_bytes(in, n, 1, NULL, &want);
	index_bytes(in, n, threads, cache, &got);
	assert_int_equal(want.len, got.len);
	assert_memory_equal(want.p, got.p, want.len);
	buf_release(&want);
	buf_release(&got);
}

static void test_cached_builds_match(void **state)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/search-tokens", dir);
	arena a = ARENA_INIT;
	size_t n = 200;
	search_input *v1 = corpus(&a, n, 1), *v2 = corpus(&a, n, 2);

	assert_same_index(v1, n, file, 2); /* no cache: written */
	struct stat st, st2;
	assert_int_equal(stat(file, &st), 0);
	assert_same_index(v1, n, file, 3); /* every document from it */
	assert_int_equal(stat(file, &st2), 0);
	assert_int_equal(st.st_ino, st2.st_ino); /* so not saved again */
	assert_same_index(v2, n, file, 2); /* a seventh changed */
	assert_same_index(v2, n - 30, file, 2); /* 30 removed */
	assert_same_index(v1, n, file, 1); /* back, and added again */

	/* two documents with the same fields, then one of them gone */
	search_input *dup = arena_alloc(&a, (n + 1) * sizeof *dup);
	memcpy(dup, v1, n * sizeof *dup);
	dup[5] = dup[6];
	assert_same_index(dup, n, file, 2);
	assert_same_index(dup, n, file, 2);
	assert_same_index(v1, n, file, 2);
	assert_same_index(dup, n, file, 2);

	arena_release(&a);
	assert_int_equal(tu_rmrf(dir), 0);
	free(file);
	free(dir);
}

/* Flips a byte of file at off (from the end when negative). */
static void damage(const char *file, long off, size_t *len)
{
	char *data;
	assert_int_equal(read_file(file, &data, len), 0);
	size_t at = off < 0 ? *len - (size_t)-off : (size_t)off;
	data[at] ^= 0x5a;
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, *len, f), *len);
	fclose(f);
	free(data);
}

static void test_damaged_cache_is_ignored(void **state)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/search-tokens", dir);
	arena a = ARENA_INIT;
	size_t n = 60, len;
	search_input *v1 = corpus(&a, n, 1), *v2 = corpus(&a, n, 2);
	assert_same_index(v1, n, file, 2);
	search_cache *c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, n);
	search_cache_free(c);

	long offsets[] = { 0, 9, 40, 200, -20, -1 };
	for (size_t k = 0; k < ARRAY_LEN(offsets); k++) {
		damage(file, offsets[k], &len);
		assert_null(search_cache_load(file));
		assert_same_index(v2, n, file, 2); /* and a new one is saved */
		assert_same_index(v1, n, file, 2);
	}
	/* a byte of the store's one segment (a record or the manifest) */
	long seg_offsets[] = { 0, 31, 32, 100, -1 };
	for (size_t k = 0; k < ARRAY_LEN(seg_offsets); k++) {
		assert_int_equal(tu_rmrf(dir), 0);
		assert_int_equal(mkdir(dir, 0755), 0);
		assert_same_index(v1, n, file, 2);
		char *name = tu_find_prefix(dir, "search-tokens.");
		assert_non_null(name);
		char *seg = tu_path(dir, name);
		damage(seg, seg_offsets[k], &len);
		assert_null(search_cache_load(file));
		assert_same_index(v2, n, file, 2);
		free(seg);
		free(name);
	}
	/* truncated */
	char *data;
	assert_int_equal(read_file(file, &data, &len), 0);
	FILE *f = fopen(file, "wb");
	assert_int_equal(fwrite(data, 1, len / 2, f), len / 2);
	fclose(f);
	free(data);
	assert_null(search_cache_load(file));
	assert_same_index(v1, n, file, 2);
	/* not a cache at all */
	f = fopen(file, "wb");
	fputs("ENQSTOK", f);
	fclose(f);
	assert_null(search_cache_load(file));
	assert_same_index(v2, n, file, 2);

	arena_release(&a);
	assert_int_equal(tu_rmrf(dir), 0);
	free(file);
	free(dir);
}

/* A file that passes its checksum but whose words do not decode: the
 * documents taken from it are tokenised again. */
static void test_bad_words_retokenise(void **state)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/search-tokens", dir);
	arena a = ARENA_INIT;
	size_t n = 20;
	search_input *v1 = corpus(&a, n, 1);
	buf b = BUF_INIT;
	search_cache_put_v(&b, 1); /* stems */
	search_cache_put_v(&b, 3);
	buf_puts(&b, "zzz");
	search_cache_put_v(&b, 1); /* words */
	search_cache_put_v(&b, 3);
	buf_puts(&b, "zzz");
	search_cache_put_v(&b, 1);
	search_cache_put_v(&b, 2);
	search_cache_put_v(&b, 1); /* one record, saved for two documents */
	cf_put_u64(&b, search_cache_doc_key(&v1[0]));
	search_cache_put_v(&b, 2);
	buf rec = BUF_INIT;
	search_cache_put_v(&rec, 4); /* dl, then one term: stem 0, tf 4 */
	search_cache_put_v(&rec, 1);
	buf_put(&rec, "\2\1\0\0\4", 5);
	search_cache_put_v(&rec, 1); /* a word past the table */
	search_cache_put_v(&rec, 7);
	search_cache_put_v(&rec, 1);
	search_cache_put_v(&b, rec.len);
	buf_put(&b, rec.p, rec.len);
	search_cache_put_v(&b, 0); /* no pairs */
	search_cache_save(file, &b);
	search_cache *c = search_cache_load(file);
	assert_non_null(c);
	search_cache_free(c);
	assert_same_index(v1, n, file, 2);
	assert_same_index(v1, n, file, 2);
	buf_release(&rec);
	buf_release(&b);
	arena_release(&a);
	assert_int_equal(tu_rmrf(dir), 0);
	free(file);
	free(dir);
}

/* A tokens body: no stems or words, and one record per (key, bytes). */
static void writer_tables(buf *t, size_t ndocs)
{
	search_cache_put_v(t, 0);
	search_cache_put_v(t, 0);
	search_cache_put_v(t, ndocs);
}

/* A record of dl alone, no terms, no words. */
static void small_record(buf *r, unsigned dl)
{
	buf_clear(r);
	search_cache_put_v(r, dl);
	search_cache_put_v(r, 0);
	buf_put(r, "\2\1", 2); /* stem and tf widths */
	search_cache_put_v(r, 0);
}

static void assert_record(search_cache *c, uint64_t key, unsigned dl)
{
	arena a = ARENA_INIT;
	search_cache_tokens t;
	uint8_t used[8] = { 0 };
	long d = search_cache_get(c, key, used, &t);
	assert_true(d >= 0);
	assert_int_equal(t.dl, dl);
	assert_int_equal(t.nterms, 0);
	uint32_t *p;
	size_t np;
	assert_true(search_cache_pairs(c, key, &a, &p, &np));
	assert_int_equal(np, dl == 22 ? 2 : 0);
	if (np)
		assert_int_equal(p[1], 0xdeadbeef);
	arena_release(&a);
}

/* The streamed save: a kept record (neither copied nor hashed again) is
 * still there after the save, beside a new one; one kept after its store
 * went away is written again from the bytes read at load. */
static void test_writer_keeps_records(void **state)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/search-tokens", dir);
	buf r = BUF_INIT;
	search_cache_writer *w = search_cache_writer_new(file);
	writer_tables(search_cache_writer_tables(w), 1);
	small_record(&r, 11);
	search_cache_writer_put(w, 1, 1, r.p, r.len, NULL, 0);
	search_cache_writer_finish(w, true);

	search_cache *c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, 1);
	w = search_cache_writer_new(file);
	writer_tables(search_cache_writer_tables(w), 2);
	search_cache_writer_keep(w, 1, 1, c, 0);
	small_record(&r, 22);
	static const uint32_t pairs[] = { 7, 0xdeadbeef };
	search_cache_writer_put(w, 2, 1, r.p, r.len, pairs, 2);
	search_cache_writer_finish(w, true);
	search_cache_free(c);

	c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, 2);
	assert_record(c, 1, 11);
	assert_record(c, 2, 22);
	/* the store removed under a loaded cache: keeping puts the bytes */
	assert_int_equal(tu_rmrf(dir), 0);
	assert_int_equal(mkdir(dir, 0777), 0);
	w = search_cache_writer_new(file);
	writer_tables(search_cache_writer_tables(w), 1);
	search_cache_writer_keep(w, 2, 1, c, 1);
	search_cache_writer_finish(w, true);
	search_cache_free(c);
	c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, 1);
	assert_record(c, 2, 22);
	search_cache_free(c);
	/* not ok: nothing saved */
	w = search_cache_writer_new(file);
	writer_tables(search_cache_writer_tables(w), 0);
	search_cache_writer_finish(w, false);
	c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, 1);
	search_cache_free(c);
	buf_release(&r);
	assert_int_equal(tu_rmrf(dir), 0);
	free(file);
	free(dir);
}

/* Records that pass their checksum but do not decode are misses: a
 * varint cut short, a count past the end, a stem past the table, a width
 * that is not one. */
static void test_bad_records_miss(void **state)
{
	char *dir = tu_mkdtemp();
	char *file = xasprintf("%s/search-tokens", dir);
	static const unsigned char bad[][8] = {
		{ 4, 0x80 }, /* dl cut short */
		{ 4, 9, 2, 1, 0, 0, 1 }, /* nine terms in three bytes */
		{ 4, 1, 2, 1, 5, 0, 1, 0 }, /* stem 5 of none */
		{ 4, 1, 2, 1, 0, 0 }, /* tf cut short */
		{ 4, 1, 3, 1, 0, 0, 0, 1 }, /* stems of three bytes */
		{ 4, 1, 2 }, /* no tf width */
	};
	static const size_t len[] = { 2, 7, 8, 6, 8, 3 };
	size_t n = sizeof len / sizeof *len;
	buf b = BUF_INIT;
	search_cache_put_v(&b, 0);
	search_cache_put_v(&b, 0);
	search_cache_put_v(&b, n);
	for (size_t i = 0; i < n; i++) {
		cf_put_u64(&b, 100 + i);
		search_cache_put_v(&b, 1);
		search_cache_put_v(&b, len[i]);
		buf_put(&b, bad[i], len[i]);
		search_cache_put_v(&b, 0); /* no pairs */
	}
	search_cache_save(file, &b);
	search_cache *c = search_cache_load(file);
	assert_non_null(c);
	assert_int_equal(c->ndocs, n);
	arena a = ARENA_INIT;
	search_cache_tokens t;
	uint8_t used[8] = { 0 };
	for (size_t i = 0; i < n; i++)
		assert_int_equal(search_cache_get(c, 100 + i, used, &t), -1);
	arena_release(&a);
	search_cache_free(c);
	buf_release(&b);
	assert_int_equal(tu_rmrf(dir), 0);
	free(file);
	free(dir);
}

static void test_doc_key(void **state)
{
	arena a = ARENA_INIT;
	search_input x = search_test_doc(&a, "Title", "body text");
	search_input y = search_test_doc(&a, "Title", "body text");
	assert_true(search_cache_doc_key(&x) == search_cache_doc_key(&y));
	y.fields[1].weight = SEARCH_W_META;
	assert_true(search_cache_doc_key(&x) != search_cache_doc_key(&y));
	search_input z = search_test_doc(&a, "Titleb", "ody text");
	assert_true(search_cache_doc_key(&x) != search_cache_doc_key(&z));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_builds_match),
		cmocka_unit_test(test_damaged_cache_is_ignored),
		cmocka_unit_test(test_bad_words_retokenise),
		cmocka_unit_test(test_writer_keeps_records),
		cmocka_unit_test(test_bad_records_miss),
		cmocka_unit_test(test_doc_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
