/*
 * Unit tests for source, on what a commit's tree may hold: symlinks,
 * submodules, ignored and dot files, odd names, special files, deep
 * nesting, files too large, blob ids and order, excluded folders, and
 * the blob store that lets a rebuild skip reading known blobs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "source_fixture.h"

static void test_symlinks_skipped(void **state)
{
	git_init("r");
	put("r/real.md", "real\n");
	put("r/sub/inner.md", "inner\n");
	sh("cd r && ln -s real.md link.md && ln -s sub linkdir && ln -s /etc/passwd passwd");
	commit_all("r");
	for (int worktree = 0; worktree < 2; worktree++) {
		source_options opts = SOURCE_OPTIONS_INIT;
		opts.worktree = worktree;
		diag_list_free(d);
		d = diag_list_new();
		source *s = open_ok("r", &opts);
		assert_int_equal(source_count(s), 2);
		assert_string_equal(source_at(s, 0)->path, "real.md");
		assert_string_equal(source_at(s, 1)->path, "sub/inner.md");
		assert_int_equal(diag_warnings(d), 3);
		assert_true(has_diag(DIAG_WARNING, "skipping symlink 'link.md'"));
		assert_true(has_diag(DIAG_WARNING, "skipping symlink 'linkdir'"));
		assert_true(has_diag(DIAG_WARNING, "skipping symlink 'passwd'"));
		source_free(s);
	}
}

static void test_submodules_skipped(void **state)
{
	make_site();
	git_init("lib");
	put("lib/x.md", "lib\n");
	commit_all("lib");
	char *sha = sh_out("cd lib && git rev-parse HEAD");
	sh("cd r && git update-index --add --cacheinfo 160000,%s,content/vendor"
		" && git commit -q -m sub", sha);
	source *s = open_ok("r/content", NULL);
	assert_int_equal(source_count(s), 2);
	assert_true(has_diag(DIAG_WARNING, "skipping submodule 'vendor'"));
	source_free(s);
	/* On disk: a folder that is another repository's work tree. */
	sh("git clone -q lib r/content/vendor");
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	diag_list_free(d);
	d = diag_list_new();
	s = open_ok("r/content", &opts);
	assert_int_equal(source_count(s), 2);
	assert_null(source_find(s, "vendor/x.md"));
	assert_true(has_diag(DIAG_WARNING, "skipping submodule 'vendor'"));
	source_free(s);
	free(sha);
}

static void test_ignored_files(void **state)
{
	git_init("r");
	put("r/.gitignore", "*.log\nbuild/\n");
	put("r/content/keep.md", "keep\n");
	put("r/content/tracked.log", "tracked though ignored\n");
	put("r/content/gen/keep.md", "kept\n");
	put("r/content/gen/.gitignore", "*.tmp\n");
	sh("cd r && git add -A && git add -f content/tracked.log && git commit -q -m x");
	put("r/content/debug.log", "noise\n");
	put("r/content/build/out.html", "built\n");
	put("r/content/gen/scratch.tmp", "tmp\n");
	put("r/content/gen/new.md", "new\n");
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	source *s = open_ok("r/content", &opts);
	assert_int_equal(source_count(s), 4);
	assert_string_equal(source_at(s, 0)->path, "gen/keep.md");
	assert_string_equal(source_at(s, 1)->path, "gen/new.md");
	assert_string_equal(source_at(s, 2)->path, "keep.md");
	assert_string_equal(source_at(s, 3)->path, "tracked.log");
	assert_int_equal(diag_count(d), 0);
	source_free(s);
	/* A tracked file in an ignored folder is kept; its neighbours not. */
	sh("cd r && git add -f content/build/out.html && git commit -q -m built");
	put("r/content/build/other.html", "other\n");
	s = open_ok("r/content", &opts);
	assert_non_null(source_find(s, "build/out.html"));
	assert_null(source_find(s, "build/other.html"));
	source_free(s);
}

static void test_dot_names_skipped(void **state)
{
	git_init("r");
	put("r/site.yaml", "t\n");
	put("r/.hidden.md", "h\n");
	put("r/.github/workflows/x.yml", "w\n");
	put("r/pages/.draft.md.swp", "s\n");
	put("r/pages/about.md", "a\n");
	commit_all("r");
	for (int mode = 0; mode < 3; mode++) {
		source_options opts = SOURCE_OPTIONS_INIT;
		opts.worktree = mode == 1;
		if (mode == 2)
			sh("cp -R r plain && rm -rf plain/.git");
		source *s = open_ok(mode == 2 ? "plain" : "r", &opts);
		assert_int_equal(source_get_mode(s), (source_mode)mode);
		assert_int_equal(source_count(s), 2);
		assert_string_equal(source_at(s, 0)->path, "pages/about.md");
		assert_string_equal(source_at(s, 1)->path, "site.yaml");
		source_free(s);
	}
}

static void test_ids_match_git(void **state)
{
	git_init("r");
	put("r/a.md", "alpha\n");
	put_n("r/bin.dat", "\0\1\2\3\0", 5);
	put("r/dir/b.md", "beta\r\nwith crlf\r\n");
	put("r/empty", "");
	commit_all("r");
	const char *paths[] = { "a.md", "bin.dat", "dir/b.md", "empty" };
	source_options wt = SOURCE_OPTIONS_INIT;
	wt.worktree = true;
	source *c = open_ok("r", NULL), *w = open_ok("r", &wt);
	assert_int_equal(source_count(c), 4);
	assert_int_equal(source_count(w), 4);
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		char *id = sh_out("cd r && git hash-object '%s'", paths[i]);
		char *tree_id = sh_out("cd r && git rev-parse 'HEAD:%s'", paths[i]);
		assert_string_equal(id, tree_id);
		assert_string_equal(source_find(c, paths[i])->id, id);
		assert_string_equal(source_find(w, paths[i])->id, id);
		assert_int_equal(source_find(c, paths[i])->size, source_find(w, paths[i])->size);
		assert_memory_equal(source_find(c, paths[i])->data,
			source_find(w, paths[i])->data, source_find(c, paths[i])->size + 1);
		free(id);
		free(tree_id);
	}
	assert_int_equal(source_find(c, "bin.dat")->size, 5);
	source_free(c);
	source_free(w);
}

static void test_sorted_and_find(void **state)
{
	git_init("r");
	const char *names[] = { "b.md", "a.md", "a/z.md", "a-b.md", "A.md", "ab/c.md",
		"a0.md", "z/y/x.md", "\xc3\xa9t\xc3\xa9.md" };
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *p = xasprintf("r/%s", names[i]);
		put(p, names[i]);
		free(p);
	}
	commit_all("r");
	const char *sorted[] = { "A.md", "a-b.md", "a.md", "a/z.md", "a0.md", "ab/c.md",
		"b.md", "z/y/x.md", "\xc3\xa9t\xc3\xa9.md" };
	for (int worktree = 0; worktree < 2; worktree++) {
		source_options opts = SOURCE_OPTIONS_INIT;
		opts.worktree = worktree;
		source *s = open_ok("r", &opts);
		assert_int_equal(source_count(s), ARRAY_LEN(sorted));
		for (size_t i = 0; i < ARRAY_LEN(sorted); i++) {
			assert_string_equal(source_at(s, i)->path, sorted[i]);
			assert_ptr_equal(source_find(s, sorted[i]), source_at(s, i));
			assert_string_equal(source_at(s, i)->data, sorted[i]);
		}
		assert_null(source_find(s, ""));
		assert_null(source_find(s, "a"));
		assert_null(source_find(s, "z/y"));
		assert_null(source_find(s, "a.m"));
		assert_null(source_find(s, "a.md/"));
		assert_null(source_find(s, "zz"));
		assert_null(source_find(s, "/a.md"));
		source_free(s);
	}
}

static void test_exclude(void **state)
{
	git_init("r");
	put("r/content/site.yaml", "t\n");
	put("r/content/_site/index.html", "out\n");
	put("r/content/out/deep/x.html", "out\n");
	put("r/content/pages/_site/kept.md", "kept: not the excluded folder\n");
	const char *exclude[] = { "./_site/", "out", "", NULL };
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	opts.exclude = exclude;
	commit_all("r");
	for (int mode = 0; mode < 2; mode++) {
		if (mode == 1)
			sh("rm -rf r/.git");
		source *s = open_ok("r/content", &opts);
		assert_int_equal(source_count(s), 2);
		assert_string_equal(source_at(s, 0)->path, "pages/_site/kept.md");
		assert_string_equal(source_at(s, 1)->path, "site.yaml");
		source_free(s);
	}
}

static void test_too_large(void **state)
{
	git_init("r");
	put("r/small.md", "s\n");
	sh("cd r && truncate -s %u big.pdf && truncate -s %u edge.pdf",
		SOURCE_MAX_FILE_SIZE + 1, SOURCE_MAX_FILE_SIZE);
	commit_all("r");
	source_options wt = SOURCE_OPTIONS_INIT;
	wt.worktree = true;
	for (int worktree = 0; worktree < 2; worktree++) {
		source *s = open_ok("r", worktree ? &wt : NULL);
		const source_file *big = source_find(s, "big.pdf");
		assert_non_null(big);
		assert_true(big->too_large);
		assert_null(big->data);
		assert_int_equal(big->size, SOURCE_MAX_FILE_SIZE + 1);
		const source_file *edge = source_find(s, "edge.pdf");
		assert_false(edge->too_large);
		assert_int_equal(edge->size, SOURCE_MAX_FILE_SIZE);
		assert_int_equal(edge->data[SOURCE_MAX_FILE_SIZE - 1], 0);
		if (!worktree) {
			char *id = sh_out("cd r && git rev-parse HEAD:big.pdf");
			assert_string_equal(big->id, id);
			free(id);
		}
		source_free(s);
	}
}

/* Writes a tree object by hand (git mktree refuses these names) and
 * commits it on main. */
static void commit_odd_tree(void)
{
	git_init("r");
	char *blob = sh_out("cd r && printf 'hi\\n' | git hash-object -w --stdin");
	/* The shell cannot hold NUL bytes: write the tree in C. */
	unsigned char raw[20];
	for (int i = 0; i < 20; i++) {
		unsigned v;
		assert_int_equal(sscanf(blob + 2 * i, "%2x", &v), 1);
		raw[i] = (unsigned char)v;
	}
	buf t = BUF_INIT;
	const char *names[] = { "..", "dup.md", "dup.md", "x/y", "ok.md", "." };
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		buf_printf(&t, "100644 %s", names[i]);
		buf_putc(&t, '\0');
		buf_put(&t, raw, 20);
	}
	put_n("tree.bin", t.p, t.len);
	buf_release(&t);
	char *tree = sh_out("cd r && git hash-object -t tree --literally -w ../tree.bin");
	sh("cd r && git update-ref refs/heads/main \"$(git commit-tree %s -m odd)\"", tree);
	free(tree);
	free(blob);
}

static void test_odd_tree_names(void **state)
{
	commit_odd_tree();
	source *s = open_ok("r", NULL);
	assert_int_equal(source_count(s), 2);
	assert_string_equal(source_at(s, 0)->path, "dup.md");
	assert_string_equal(source_at(s, 1)->path, "ok.md");
	assert_string_equal(text(s, "ok.md"), "hi\n");
	assert_true(has_diag(DIAG_WARNING, "skipping invalid file name '..'"));
	assert_true(has_diag(DIAG_WARNING, "skipping invalid file name '.'"));
	assert_true(has_diag(DIAG_WARNING, "skipping invalid file name 'x/y'"));
	assert_true(has_diag(DIAG_WARNING, "skipping repeated file 'dup.md'"));
	assert_int_equal(diag_errors(d), 0);
	source_free(s);
}

static void test_special_files_on_disk(void **state)
{
	put("plain/a.md", "a\n");
	sh("mkfifo plain/pipe");
	source *s = open_ok("plain", NULL);
	assert_int_equal(source_count(s), 1);
	assert_true(has_diag(DIAG_WARNING, "skipping 'pipe': not a regular file"));
	source_free(s);
}

static void test_deep_nesting(void **state)
{
	buf p = BUF_INIT;
	buf_puts(&p, "plain");
	for (int i = 0; i < 102; i++)
		buf_puts(&p, "/d");
	buf_puts(&p, "/x.md");
	put(p.p, "deep\n");
	buf_release(&p);
	put("plain/top.md", "top\n");
	source *s = open_ok("plain", NULL);
	assert_int_equal(source_count(s), 1);
	assert_string_equal(source_at(s, 0)->path, "top.md");
	assert_int_equal(diag_warnings(d), 2);
	source_free(s);
}

/* Removes the loose object of blob rev (a fresh repository's objects are
 * loose): git can no longer read it. */
static void remove_object(const char *rev)
{
	char *id = sh_out("cd r && git rev-parse '%s'", rev);
	assert_int_equal(strlen(id), 40);
	sh("rm -f 'r/.git/objects/%.2s/%s'", id, id + 2);
	free(id);
}

static void test_blob_cache(void **state)
{
	make_site();
	char *cache = at("cache");
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.cache_dir = cache;
	source *s = open_ok("r/content", &opts);
	assert_string_equal(text(s, "site.yaml"), "title: committed\n");
	source_free(s);
	/* A blob git cannot read any more still comes from the cache, as
	 * the same bytes, and survives having its data released. */
	remove_object("HEAD:content/site.yaml");
	s = open_ok("r/content", &opts);
	const source_file *f = source_find(s, "site.yaml");
	assert_string_equal(f->data, "title: committed\n");
	assert_int_equal(f->size, 17);
	assert_int_equal(f->data[f->size], '\0');
	assert_string_equal(text(s, "case-studies/one.md"), "one\n");
	source_release_data(s, f);
	assert_null(f->data);
	source_free(s);
	/* Without the cache (--no-cache) git is asked, and fails. */
	open_fails("r/content", NULL);
	diag_list_free(d);
	d = diag_list_new();
	/* A damaged byte in the store: that blob misses, git is asked. */
	put("r/content/new.md", "new file\n");
	commit_all("r");
	s = open_ok("r/content", &opts); /* adds new.md to the store */
	source_free(s);
	char *name = NULL;
	{
		char *seg = sh_out("ls -t cache | grep '^blobs\\.' | head -1");
		name = xasprintf("cache/%s", seg);
		free(seg);
	}
	sh("printf 'X' | dd of='%s' bs=1 seek=33 conv=notrunc", name);
	s = open_ok("r/content", &opts);
	assert_string_equal(text(s, "new.md"), "new file\n");
	source_free(s);
	/* Worktree mode has no ids: it neither reads nor writes the store. */
	opts.worktree = true;
	sh("rm -rf cache");
	s = open_ok("r/content", &opts);
	source_free(s);
	char *store = at("cache/blobs");
	assert_int_equal(access(store, F_OK), -1);
	free(store);
	free(name);
	free(cache);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
static const struct CMUnitTest tree_tests[] = {
	T(test_symlinks_skipped),
	T(test_submodules_skipped),
	T(test_ignored_files),
	T(test_dot_names_skipped),
	T(test_ids_match_git),
	T(test_sorted_and_find),
	T(test_exclude),
	T(test_too_large),
	T(test_odd_tree_names),
	T(test_special_files_on_disk),
	T(test_deep_nesting),
	T(test_blob_cache),
};

int main(void)
{
	return cmocka_run_group_tests(tree_tests, group_setup, group_teardown);
}
