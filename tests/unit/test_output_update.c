/*
 * Unit tests for output's update mode (a rebuild committed in place):
 * unchanged files are not touched, staged files replace or join the
 * site's, gone files and the folders they leave empty are removed, a
 * file can become a folder and the reverse, the seal is off from the
 * first change to the last, an abort leaves the site exactly as it was,
 * and nothing outside the site is written or removed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unistd.h>

#include "output.h"
#include "testutil.h"
#include "output_fixture.h"

#define SEAL ".seal"


static int setup(void **state)
{
	(void)state;
	output_fixture_setup();
	/* A site an earlier build wrote whole. */
	tu_write(dir, "site/" OUTPUT_MARKER, "");
	tu_write(dir, "site/" SEAL, "old build");
	tu_write(dir, "site/index.html", "old home");
	tu_write(dir, "site/same.html", "same");
	tu_write(dir, "site/case-studies/a/index.html", "a");
	tu_write(dir, "site/case-studies/b/index.html", "b");
	tu_write(dir, "site/case-studies/b/cite.bib", "b bib");
	tu_write(dir, "site/search/post-1/0.bin", "shard 0");
	tu_write(dir, "site/search/post-1/1.bin", "shard 1");
	return 0;
}

static output *open_update(void)
{
	output *o = output_open(site, d);
	if (!o) {
		tu_dump_diags(d);
		fail_msg("output_open failed");
	}
	output_update(o, SEAL);
	return o;
}

static ino_t inode(const char *rel)
{
	char *path = tu_path(dir, rel);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	free(path);
	return st.st_ino;
}

static void assert_no_leftovers(void)
{
	assert_int_equal(tu_count_prefix(dir, "site.tmp-"), 0);
	assert_int_equal(tu_count_prefix(dir, "site.old-"), 0);
}

static void test_update_touches_only_what_changed(void **state)
{
	(void)state;
	ino_t same = inode("site/same.html"), marker = inode("site/" OUTPUT_MARKER);
	ino_t a = inode("site/case-studies/a/index.html");
	ino_t folder = inode("site/case-studies");
	output *o = open_update();
	assert_int_equal(output_link_old(o, "same.html"), 0);
	assert_int_equal(output_link_old(o, "case-studies/a/index.html"), 0);
	write_ok(o, "index.html", "new home");
	write_ok(o, "case-studies/c/index.html", "c");
	write_ok(o, "feeds/new/feed.xml", "feed");
	write_ok(o, SEAL, "new build");
	/* Before commit the site is as it was. */
	assert_file("site/index.html", "old home");
	assert_file("site/" SEAL, "old build");
	assert_false(tu_exists(dir, "site/case-studies/c"));
	assert_int_equal(output_commit(o, d), 0);
	assert_int_equal(diag_count(d), 0);
	assert_file("site/index.html", "new home");
	assert_file("site/case-studies/c/index.html", "c");
	assert_file("site/feeds/new/feed.xml", "feed");
	assert_file("site/" SEAL, "new build");
	/* Unchanged files, the marker and the folders are the same ones. */
	assert_int_equal(inode("site/same.html"), same);
	assert_int_equal(inode("site/case-studies/a/index.html"), a);
	assert_int_equal(inode("site/case-studies"), folder);
	assert_int_equal(inode("site/" OUTPUT_MARKER), marker);
	/* Not removed: nothing said they were gone. */
	assert_file("site/case-studies/b/index.html", "b");
	assert_no_leftovers();
}

static void test_gone_files_and_empty_folders_go(void **state)
{
	(void)state;
	tu_write(dir, "site/deep/x/y/z.html", "z");
	output *o = open_update();
	output_remove_old(o, "case-studies/b/index.html");
	output_remove_old(o, "case-studies/b/cite.bib");
	output_remove_old(o, "deep/x/y/z.html");
	output_remove_old(o, "search/post-1/0.bin");
	output_remove_old(o, "not/there.html"); /* already gone: fine */
	write_ok(o, SEAL, "new build");
	assert_file("site/case-studies/b/index.html", "b");
	assert_int_equal(output_commit(o, d), 0);
	assert_int_equal(diag_count(d), 0);
	assert_false(tu_exists(dir, "site/case-studies/b"));
	assert_false(tu_exists(dir, "site/deep"));
	assert_true(tu_is_dir(dir, "site/case-studies"));
	assert_false(tu_exists(dir, "site/search/post-1/0.bin"));
	assert_file("site/search/post-1/1.bin", "shard 1");
	assert_no_leftovers();
}

/* A renamed folder of search shards: each kept file is linked under its
 * new name, the old folder goes. */
static void test_link_old_as_moves_a_renamed_folder(void **state)
{
	(void)state;
	ino_t shard = inode("site/search/post-1/0.bin");
	output *o = open_update();
	assert_int_equal(output_link_old_as(o, "search/post-1/0.bin",
		"search/post-2/0.bin"), 0);
	assert_int_equal(output_link_old_as(o, "search/post-1/1.bin",
		"search/post-2/1.bin"), 0);
	assert_int_equal(output_link_old_as(o, "search/none.bin", "x/n"), -1);
	assert_int_equal(output_link_old_as(o, "../secret", "x/s"), -1);
	output_remove_old(o, "search/post-1/0.bin");
	output_remove_old(o, "search/post-1/1.bin");
	write_ok(o, SEAL, "new build");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("site/search/post-2/0.bin", "shard 0");
	assert_int_equal(inode("site/search/post-2/0.bin"), shard);
	assert_false(tu_exists(dir, "site/search/post-1"));
	assert_false(tu_exists(dir, "site/x"));
	assert_no_leftovers();
}

static void test_file_becomes_folder_and_back(void **state)
{
	(void)state;
	output *o = open_update();
	output_remove_old(o, "same.html");
	output_remove_old(o, "case-studies/a/index.html");
	write_ok(o, "same.html/index.html", "now a folder");
	write_ok(o, "case-studies/a", "now a file");
	write_ok(o, SEAL, "new build");
	assert_int_equal(output_commit(o, d), 0);
	assert_int_equal(diag_count(d), 0);
	assert_file("site/same.html/index.html", "now a folder");
	assert_file("site/case-studies/a", "now a file");
	assert_no_leftovers();
}

static void test_abort_leaves_the_site(void **state)
{
	(void)state;
	output *o = open_update();
	write_ok(o, "index.html", "new home");
	output_remove_old(o, "same.html");
	write_ok(o, SEAL, "new build");
	output_abort(o);
	assert_file("site/index.html", "old home");
	assert_file("site/same.html", "same");
	assert_file("site/" SEAL, "old build");
	assert_file("site/" OUTPUT_MARKER, "");
	assert_no_leftovers();
}

/* Something no build wrote in the way: the commit fails with the seal
 * off, so the next build does not trust the half-updated site. */
static void test_failed_commit_leaves_no_seal(void **state)
{
	(void)state;
	tu_write(dir, "site/late/stray.txt", "mine");
	output *o = open_update();
	write_ok(o, "late", "a file where a folder is");
	write_ok(o, SEAL, "new build");
	assert_int_equal(output_commit(o, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "cannot move 'late' into");
	assert_false(tu_exists(dir, "site/" SEAL));
	assert_file("site/late/stray.txt", "mine");
	assert_no_leftovers();
}

/* A symlink in the site where a staged folder goes is never followed:
 * the commit fails and the folder it names is untouched. */
static void test_symlink_in_site_not_followed(void **state)
{
	(void)state;
	tu_mkdir(dir, "outside");
	char *target = tu_path(dir, "outside");
	char *link_path = tu_path(dir, "site/feeds");
	assert_int_equal(symlink(target, link_path), 0);
	output *o = open_update();
	write_ok(o, "feeds/x.xml", "x");
	write_ok(o, SEAL, "new build");
	assert_int_equal(output_commit(o, d), -1);
	assert_false(tu_exists(dir, "outside/x.xml"));
	assert_no_leftovers();
	free(target);
	free(link_path);
}

static void test_remove_old_stays_inside(void **state)
{
	(void)state;
	tu_write(dir, "precious.txt", "mine");
	output *o = open_update();
	output_remove_old(o, "../precious.txt");
	output_remove_old(o, "/precious.txt");
	output_remove_old(o, "a/../../precious.txt");
	write_ok(o, SEAL, "new build");
	assert_int_equal(output_commit(o, d), 0);
	assert_file("precious.txt", "mine");
}

/* Update mode still refuses one path written twice. */
static void test_same_path_twice_fails(void **state)
{
	(void)state;
	output *o = open_update();
	write_ok(o, "index.html", "one");
	assert_int_equal(output_write(o, "index.html", "two", 3, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "two outputs want the same path");
	output_abort(o);
	assert_file("site/index.html", "old home");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_update_touches_only_what_changed),
		T(test_gone_files_and_empty_folders_go),
		T(test_link_old_as_moves_a_renamed_folder),
		T(test_file_becomes_folder_and_back),
		T(test_abort_leaves_the_site),
		T(test_failed_commit_leaves_no_seal),
		T(test_symlink_in_site_not_followed),
		T(test_remove_old_stays_inside),
		T(test_same_path_twice_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
