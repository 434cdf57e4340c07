/*
 * Unit tests for output: every write stays inside the output folder
 * (path checks), the new site is swapped in by rename only on commit, an
 * abort or a failed commit leaves the old site exactly as it was, and a
 * folder enquire did not make is never replaced. Each test works in its
 * own temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <unistd.h>

#include "output.h"
#include "parallel.h"
#include "testutil.h"
#include "output_fixture.h"

static int setup(void **state)
{
	(void)state;
	output_fixture_setup();
	return 0;
}

static output *open_ok(const char *path)
{
	output *o = output_open(path, d);
	if (!o) {
		tu_dump_diags(d);
		fail_msg("output_open failed");
	}
	return o;
}

/* An earlier site: made by enquire, so it holds the marker. */
static void old_site(void)
{
	tu_write(dir, "site/" OUTPUT_MARKER, "");
	tu_write(dir, "site/old.html", "old");
	tu_write(dir, "site/keep/deep.html", "deep");
}

static void assert_no_leftovers(void)
{
	assert_int_equal(tu_count_prefix(dir, "site.tmp-"), 0);
	assert_int_equal(tu_count_prefix(dir, "site.old-"), 0);
}

/* ---- path safety ---- */

static void test_path_ok_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "../x", "..", ".", "/x", "/",
		"a//b", "a/./b", "./a", "a/.", "a/..", "a/../b", "a/b/../../..",
		"a\\b", "\\x", "..\\x", "a/", "a/b/", "//x", "x//",
		"case-studies/../../etc/passwd" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (output_path_ok(bad[i]))
			fail_msg("'%s' should be rejected", bad[i]);
}

static void test_path_ok_accepts(void **state)
{
	(void)state;
	static const char *const good[] = { "index.html", "a/b/c.html",
		"case-studies/x/index.html", "404.html", "..a", "a..", "...",
		"a/...", ".enquire-site", "a/.hidden", "a/b..c/d", "sitemap.xml",
		"caf\xc3\xa9/index.html" };
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!output_path_ok(good[i]))
			fail_msg("'%s' should be accepted", good[i]);
}

static void test_write_refuses_unsafe_paths(void **state)
{
	(void)state;
	output *o = open_ok(site);
	static const char *const bad[] = { "../x", "/x", "a//b", "a/./b",
		"a\\b", "a/", "../site.html", "" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(output_write(o, bad[i], "x", 1, d), -1);
		char msg[80];
		snprintf(msg, sizeof msg, "refusing to write '%s' outside", bad[i]);
		tu_expect_diag(d, DIAG_ERROR, "", 0, 0, msg);
	}
	assert_int_equal(diag_errors(d), ARRAY_LEN(bad));
	/* Nothing landed beside the output folder. */
	assert_false(tu_exists(dir, "x"));
	assert_false(tu_exists(dir, "site.html"));
	assert_int_equal(output_commit(o, d), 0);
	/* The new site holds only the marker. */
	assert_int_equal(tu_count_prefix(site, ""), 1);
	assert_true(tu_exists(site, OUTPUT_MARKER));
}

/* ---- open, write, commit ---- */

static void test_commit_new_site(void **state)
{
	(void)state;
	output *o = open_ok(site);
	/* Nothing is visible under the final name before commit. */
	assert_false(tu_exists(dir, "site"));
	assert_int_equal(tu_count_prefix(dir, "site.tmp-"), 1);
	write_ok(o, "index.html", "<h1>home</h1>");
	write_ok(o, "case-studies/x/index.html", "case study");
	write_ok(o, "a/b/c/d/e.txt", "deep");
	assert_int_equal(output_write(o, "empty.txt", NULL, 0, d), 0);
	assert_int_equal(output_write(o, "bin.dat", "a\0b", 3, d), 0);
	assert_false(tu_exists(dir, "site"));
	assert_int_equal(output_commit(o, d), 0);
	assert_int_equal(diag_count(d), 0);
	assert_true(tu_is_dir(dir, "site"));
	assert_file("site/index.html", "<h1>home</h1>");
	assert_file("site/case-studies/x/index.html", "case study");
	assert_file("site/a/b/c/d/e.txt", "deep");
	assert_file("site/empty.txt", "");
	assert_file("site/" OUTPUT_MARKER, "");
	char *bin = tu_path(site, "bin.dat");
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(read_file(bin, &data, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "a\0b", 3);
	free(data);
	free(bin);
	assert_no_leftovers();
}

static void test_commit_is_a_rename_of_the_new_folder(void **state)
{
	(void)state;
	old_site();
	output *o = open_ok(site);
	write_ok(o, "new.html", "new");
	char *tmp_name = tu_find_prefix(dir, "site.tmp-");
	assert_non_null(tmp_name);
	char *tmp = tu_path(dir, tmp_name);
	struct stat before, after;
	assert_int_equal(stat(tmp, &before), 0);
	/* The old site is still complete while the new one is written. */
	assert_file("site/old.html", "old");
	assert_int_equal(output_commit(o, d), 0);
	assert_int_equal(stat(site, &after), 0);
	/* The very folder that was written is now the site (not a copy). */
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_dev, after.st_dev);
	assert_false(tu_exists(dir, tmp_name));
	free(tmp);
	free(tmp_name);
}

static void test_commit_replaces_old_site(void **state)
{
	(void)state;
	old_site();
	output *o = open_ok(site);
	write_ok(o, "index.html", "new");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/index.html", "new");
	assert_false(tu_exists(dir, "site/old.html"));
	assert_false(tu_exists(dir, "site/keep"));
	assert_true(tu_exists(dir, "site/" OUTPUT_MARKER));
	assert_no_leftovers();
	/* The new site has the marker, so the next build may replace it. */
	o = open_ok(site);
	write_ok(o, "index.html", "newer");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/index.html", "newer");
	assert_no_leftovers();
	assert_int_equal(diag_count(d), 0);
}

/* The old site is removed on several threads, level by level: deep
 * folders, many entries, empty folders all go, and a symlink planted in
 * it is removed, never followed (the folder it names keeps its files). */
static void test_commit_removes_big_old_site(void **state)
{
	(void)state;
	old_site();
	char rel[128];
	for (int i = 0; i < 300; i++) {
		snprintf(rel, sizeof rel, "site/many/p-%03d/index.html", i);
		tu_write(dir, rel, "x");
		snprintf(rel, sizeof rel, "site/top-%03d.html", i);
		tu_write(dir, rel, "x");
	}
	tu_write(dir, "site/a/b/c/d/e/f/deep.html", "deep");
	tu_mkdir(dir, "site/empty/again");
	tu_write(dir, "outside/precious.txt", "mine");
	char *target = tu_path(dir, "outside");
	char *link1 = tu_path(dir, "site/link");
	char *link2 = tu_path(dir, "site/many/link");
	assert_int_equal(symlink(target, link1), 0);
	assert_int_equal(symlink(target, link2), 0);
	output *o = open_ok(site);
	write_ok(o, "index.html", "new");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/index.html", "new");
	assert_false(tu_exists(dir, "site/many"));
	assert_false(tu_exists(dir, "site/a"));
	assert_false(tu_exists(dir, "site/link"));
	assert_file("outside/precious.txt", "mine");
	assert_no_leftovers();
	assert_int_equal(diag_count(d), 0);
	free(target);
	free(link1);
	free(link2);
}

static void test_abort_leaves_old_site(void **state)
{
	(void)state;
	old_site();
	output *o = open_ok(site);
	write_ok(o, "index.html", "new");
	write_ok(o, "old.html", "overwritten?");
	output_abort(o);
	assert_file("site/old.html", "old");
	assert_file("site/keep/deep.html", "deep");
	assert_false(tu_exists(dir, "site/index.html"));
	assert_no_leftovers();
	output_abort(NULL); /* accepts NULL */
	/* Aborting a first build leaves nothing at all. */
	char *other = tu_path(dir, "other");
	o = open_ok(other);
	write_ok(o, "x.html", "x");
	output_abort(o);
	assert_false(tu_exists(dir, "other"));
	assert_int_equal(tu_count_prefix(dir, "other.tmp-"), 0);
	free(other);
	assert_int_equal(diag_count(d), 0);
}

static void test_failed_commit_restores_old_site(void **state)
{
	(void)state;
	old_site();
	output *o = open_ok(site);
	write_ok(o, "index.html", "new");
	/* Make the final rename fail: the new folder disappears. */
	char *tmp_name = tu_find_prefix(dir, "site.tmp-");
	assert_non_null(tmp_name);
	char *tmp = tu_path(dir, tmp_name);
	assert_int_equal(tu_rmrf(tmp), 0);
	assert_int_equal(output_commit(o, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "cannot rename");
	assert_file("site/old.html", "old");
	assert_file("site/keep/deep.html", "deep");
	assert_no_leftovers();
	free(tmp);
	free(tmp_name);
}

/* ---- what may be replaced ---- */

static void test_refuses_foreign_folder(void **state)
{
	(void)state;
	tu_write(dir, "site/thesis.docx", "years of work");
	assert_null(output_open(site, d));
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0,
		"is not empty and was not made by enquire");
	assert_file("site/thesis.docx", "years of work");
	assert_int_equal(tu_count_prefix(dir, "site.tmp-"), 0);
	/* A hidden file is content too. */
	char *other = tu_path(dir, "hidden");
	tu_write(dir, "hidden/.gitkeep", "");
	assert_null(output_open(other, d));
	assert_int_equal(diag_errors(d), 2);
	assert_true(tu_exists(dir, "hidden/.gitkeep"));
	/* With a trailing slash it is the same folder. */
	char *slashed = xasprintf("%s/", site);
	assert_null(output_open(slashed, d));
	assert_int_equal(diag_errors(d), 3);
	free(slashed);
	free(other);
}

static void test_accepts_empty_folder(void **state)
{
	(void)state;
	tu_mkdir(dir, "site");
	output *o = open_ok(site);
	write_ok(o, "index.html", "home");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/index.html", "home");
	assert_no_leftovers();
	assert_int_equal(diag_count(d), 0);
}

static void test_trailing_slash_output(void **state)
{
	(void)state;
	char *slashed = xasprintf("%s//", site);
	output *o = open_ok(slashed);
	write_ok(o, "index.html", "home");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/index.html", "home");
	assert_no_leftovers();
	free(slashed);
}

static void test_refuses_file_and_symlink(void **state)
{
	(void)state;
	tu_write(dir, "site", "a file");
	assert_null(output_open(site, d));
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "exists and is not a folder");
	assert_file("site", "a file");
	/* A symlink to an empty folder is not followed. */
	tu_mkdir(dir, "real");
	char *link = tu_path(dir, "link");
	char *real = tu_path(dir, "real");
	assert_int_equal(symlink(real, link), 0);
	assert_null(output_open(link, d));
	assert_int_equal(tu_count_diag(d, DIAG_ERROR, "is not a folder"), 2);
	assert_true(tu_is_dir(dir, "real"));
	free(link);
	free(real);
}

static void test_makes_missing_parents(void **state)
{
	(void)state;
	char *deep = tu_path(dir, "no/such/parent/site");
	output *o = open_ok(deep);
	write_ok(o, "index.html", "home");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("no/such/parent/site/index.html", "home");
	free(deep);
}

static void test_cannot_create(void **state)
{
	(void)state;
	tu_write(dir, "a-file", "not a folder");
	char *under_file = tu_path(dir, "a-file/site");
	assert_null(output_open(under_file, d));
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "cannot create");
	free(under_file);
}

/* ---- writes ---- */

static void test_same_path_twice_fails(void **state)
{
	(void)state;
	output *o = open_ok(site);
	write_ok(o, "a/index.html", "first");
	assert_int_equal(output_write(o, "a/index.html", "second", 6, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "two outputs want the same path 'a/index.html'");
	/* The marker was written by open: writing it again fails too. */
	assert_int_equal(output_write(o, OUTPUT_MARKER, "", 0, d), -1);
	assert_int_equal(diag_errors(d), 2);
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/a/index.html", "first");
}

static void test_write_over_a_folder_fails(void **state)
{
	(void)state;
	output *o = open_ok(site);
	write_ok(o, "a/b/index.html", "x");
	/* "a/b" is a folder, and "a/b/index.html/c" needs a file as folder. */
	assert_int_equal(output_write(o, "a/b", "y", 1, d), -1);
	assert_int_equal(output_write(o, "a/b/index.html/c", "z", 1, d), -1);
	assert_int_equal(diag_errors(d), 2);
	output_abort(o);
	assert_no_leftovers();
}

typedef struct {
	output *o;
	diag_list *d;
	atomic_int failures;
} par_ctx;

static void par_write(void *ctx, size_t i, unsigned thread)
{
	(void)thread;
	par_ctx *c = ctx;
	/* Many files share folders, so threads race to create them. */
	char path[64], text[32];
	snprintf(path, sizeof path, "s%zu/t%zu/p%zu/index.html", i % 3, i % 7, i);
	snprintf(text, sizeof text, "page %zu", i);
	if (output_write(c->o, path, text, strlen(text), c->d) != 0)
		atomic_fetch_add(&c->failures, 1);
}

static void test_parallel_writes(void **state)
{
	(void)state;
	par_ctx c = { open_ok(site), d, 0 };
	parallel_for(600, 8, par_write, &c);
	assert_int_equal(atomic_load(&c.failures), 0);
	assert_int_equal(diag_count(d), 0);
	assert_int_equal(output_commit(c.o, d), 0);
	for (size_t i = 0; i < 600; i++) {
		char rel[80], want[32];
		snprintf(rel, sizeof rel, "site/s%zu/t%zu/p%zu/index.html", i % 3,
			i % 7, i);
		snprintf(want, sizeof want, "page %zu", i);
		assert_file(rel, want);
	}
}

/* A file of the old site can be linked into the new one under another
 * name (a renamed folder of search shards); never a symlink, never from
 * outside the site. */
static void test_link_old_as(void **state)
{
	(void)state;
	output *o = open_ok(site);
	write_ok(o, "search/post-1/0.bin", "shard");
	assert_int_equal(output_commit(o, d), 0);
	tu_mkdir(dir, "site/evil");
	char *target = tu_path(dir, "secret");
	tu_write(dir, "secret", "secret");
	char *link_path = tu_path(site, "evil/link");
	assert_int_equal(symlink(target, link_path), 0);
	o = open_ok(site);
	assert_int_equal(output_link_old_as(o, "search/post-1/0.bin",
		"search/post-2/0.bin"), 0);
	assert_int_equal(output_link_old_as(o, "evil/link", "x/link"), -1);
	assert_int_equal(output_link_old_as(o, "../secret", "x/s"), -1);
	assert_int_equal(output_link_old_as(o, "search/none.bin", "x/n"), -1);
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/search/post-2/0.bin", "shard");
	assert_false(tu_exists(dir, "site/search/post-1/0.bin"));
	assert_false(tu_exists(dir, "site/x/link"));
	free(target);
	free(link_path);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_path_ok_rejects),
		T(test_path_ok_accepts),
		T(test_write_refuses_unsafe_paths),
		T(test_commit_new_site),
		T(test_commit_is_a_rename_of_the_new_folder),
		T(test_commit_replaces_old_site),
		T(test_commit_removes_big_old_site),
		T(test_abort_leaves_old_site),
		T(test_failed_commit_restores_old_site),
		T(test_refuses_foreign_folder),
		T(test_accepts_empty_folder),
		T(test_trailing_slash_output),
		T(test_refuses_file_and_symlink),
		T(test_makes_missing_parents),
		T(test_cannot_create),
		T(test_same_path_twice_fails),
		T(test_write_over_a_folder_fails),
		T(test_parallel_writes),
		T(test_link_old_as),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
