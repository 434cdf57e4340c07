/*
 * Unit tests for the pair memo (search_pairs_memo.c): a rebuild that
 * patches the last build's pair shards gives the bytes of a build without
 * any cache, after a sentence is added, a document rewritten, documents
 * swapped or one made a copy of another; the patch is not taken (and the
 * index is still right) when the number of documents changes, the memo
 * or a shard of it is damaged, or the token cache is gone.
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

#include "search_int.h"
#include "testutil.h"
#include "util.h"
#include "search_testutil.h"

/* n documents of about 120 words, enough pairs for several shards. */
static search_input *corpus(arena *a, size_t n)
{
	search_input *in = arena_alloc(a, (n + 1) * sizeof *in);
	for (size_t i = 0; i < n; i++) {
		buf b = BUF_INIT;
		for (size_t k = 0; k < 40; k++)
			buf_printf(&b, "w%zux%zu teaching pupils%zu ",
				(i * 7 + k * 13) % 503, k % 4, (i + k) % 37);
		in[i] = search_test_doc(a, arena_printf(a, "Document %zu", i),
			arena_strdup(a, b.p));
		buf_release(&b);
	}
	return in;
}

/* The index's files as one buffer; with a cache, the memo saved as a
 * build saves it. *patched: whether the pairs came from the memo. */
static void index_bytes(const search_input *in, size_t n, const char *cache,
	buf *out, bool *patched)
{
	search_index *ix = search_index_build_cached(in, n, 2, cache);
	if (patched)
		*patched = ix->pairs_memo != NULL;
	search_files fs = { 0 };
	search_encode(ix, in, n, 2, &fs);
	search_pairs_memo_save(cache, ix, &fs);
	for (size_t i = 0; i < fs.n; i++) {
		buf_puts(out, fs.v[i].path);
		buf_put(out, fs.v[i].data, fs.v[i].len);
	}
	search_files_release(&fs);
	search_index_free(ix);
}

/* Builds in with the cache; asserts the bytes of a build without one
 * and whether the memo was patched. */
static void assert_build(const search_input *in, size_t n, const char *cache,
	bool want_patched)
{
	buf want = BUF_INIT, got = BUF_INIT;
	bool patched;
	index_bytes(in, n, NULL, &want, NULL);
	index_bytes(in, n, cache, &got, &patched);
	assert_int_equal(want.len, got.len);
	assert_memory_equal(want.p, got.p, want.len);
	assert_int_equal(patched, want_patched);
	buf_release(&want);
	buf_release(&got);
}

static void set_body(arena *a, search_input *in, const char *body)
{
	in->fields[1].text = body;
	in->fields[1].len = strlen(body);
}

typedef struct {
	char *dir, *file;
	arena a;
} fixture;

static int setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);
	f->dir = tu_mkdtemp();
	f->file = xasprintf("%s/search-tokens", f->dir);
	f->a = (arena)ARENA_INIT;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	arena_release(&f->a);
	tu_rmrf(f->dir);
	free(f->file);
	free(f->dir);
	free(f);
	return 0;
}

static void test_edits_patch(void **state)
{
	fixture *f = *state;
	size_t n = 200;
	search_input *in = corpus(&f->a, n);
	assert_build(in, n, f->file, false); /* no memo yet: saved */
	assert_build(in, n, f->file, true); /* nothing changed */

	/* a sentence added, as a one-line commit does */
	set_body(&f->a, &in[5], arena_printf(&f->a, "%s lesson study helps "
		"reluctant writers", in[5].fields[1].text));
	assert_build(in, n, f->file, true);
	/* a document rewritten, another's words cut */
	set_body(&f->a, &in[9], "an entirely new text about coaching and "
		"questioning in year six mathematics lessons");
	set_body(&f->a, &in[150], "");
	assert_build(in, n, f->file, true);
	/* two documents swapped; one a copy of another */
	search_input t = in[20];
	in[20] = in[21];
	in[21] = t;
	in[40] = in[41];
	assert_build(in, n, f->file, true);
	/* and back */
	in[21] = in[20];
	in[20] = t;
	assert_build(in, n, f->file, true);
}

static void test_layout_change_rebuckets(void **state)
{
	fixture *f = *state;
	size_t n = 120;
	search_input *in = corpus(&f->a, n);
	assert_build(in, n, f->file, false);
	/* one document fewer, then more: another count of documents */
	assert_build(in, n - 1, f->file, false);
	assert_build(in, n - 1, f->file, true);
	assert_build(in, n, f->file, false);
	/* most documents changed: not worth patching, or the bucket bits
	 * change; either way the right bytes */
	for (size_t i = 0; i < n; i++)
		set_body(&f->a, &in[i], "short");
	assert_build(in, n, f->file, false);
}

/* Flips a byte of file at off from the end. */
static void damage(const char *file, size_t from_end)
{
	char *data;
	size_t len;
	assert_int_equal(read_file(file, &data, &len), 0);
	data[len - from_end] ^= 0x5a;
	FILE *fp = fopen(file, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	free(data);
}

static void test_damaged_memo_is_a_miss(void **state)
{
	fixture *f = *state;
	size_t n = 100;
	search_input *in = corpus(&f->a, n);
	char *memo = xasprintf("%s-pairs", f->file);
	assert_build(in, n, f->file, false);
	set_body(&f->a, &in[3], "changed words about feedback");
	damage(memo, 1); /* the store's index */
	assert_build(in, n, f->file, false);
	set_body(&f->a, &in[4], "changed words about marking");
	assert_build(in, n, f->file, true); /* saved again */

	/* a byte of a shard in the segment: its checksum fails */
	char *name = tu_find_prefix(f->dir, "search-tokens-pairs.");
	assert_non_null(name);
	char *seg = tu_path(f->dir, name);
	damage(seg, 10);
	set_body(&f->a, &in[5], "changed words about reading");
	assert_build(in, n, f->file, false);
	assert_build(in, n, f->file, true);
	free(seg);
	free(name);

	/* no token cache: the old pairs are unknown */
	assert_int_equal(remove(f->file), 0);
	set_body(&f->a, &in[6], "changed words about writing");
	assert_build(in, n, f->file, false);
	assert_build(in, n, f->file, true);
	free(memo);
}

/* --no-cache (no cache file) neither reads nor writes a memo. */
static void test_no_cache_no_memo(void **state)
{
	fixture *f = *state;
	size_t n = 50;
	search_input *in = corpus(&f->a, n);
	buf b = BUF_INIT;
	bool patched = true;
	index_bytes(in, n, NULL, &b, &patched);
	assert_false(patched);
	char *name = tu_find_prefix(f->dir, "search-tokens");
	assert_null(name);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_edits_patch, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_layout_change_rebuckets,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_memo_is_a_miss,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_cache_no_memo, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
