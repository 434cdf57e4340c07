/*
 * Unit tests for incremental's part in updates in place: a manifest is
 * trusted only with the site's build id, the files of the last build not
 * recorded again are listed as gone, and paths that would collide in a
 * fresh folder (one path twice, a file where a folder is) are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "incremental.h"
#include "testutil.h"

static char *dir, *cache, *out;
static diag_list *d;

static int setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	cache = tu_path(dir, "cache");
	out = tu_path(dir, "site");
	tu_mkdir(dir, "site");
	d = diag_list_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rmrf(dir);
	free(cache);
	free(out);
	free(dir);
	diag_list_free(d);
	return rc;
}

/* A build that recorded files (NULL-terminated) and left its id in the
 * site, as build_site does. */
static void last_build(const char *const *files)
{
	incr *c = incr_new(cache, out);
	incr_load(c);
	for (size_t i = 0; files[i]; i++)
		incr_record(c, files[i], i + 1);
	char *id = incr_build_id(c);
	tu_write(dir, "site/" INCR_ID_FILE, id);
	free(id);
	incr_save(c);
	incr_free(c);
}

static void collect(void *ctx, const char *file)
{
	buf *b = ctx;
	buf_printf(b, "%s;", file);
}

static void test_trusted_only_with_the_site_id(void **state)
{
	(void)state;
	incr *c = incr_new(cache, out);
	incr_load(c);
	assert_false(incr_trusted(c)); /* no manifest yet */
	incr_free(c);
	static const char *const files[] = { "a.html", NULL };
	last_build(files);
	c = incr_new(cache, out);
	incr_load(c);
	assert_true(incr_trusted(c));
	incr_free(c);
	tu_write(dir, "site/" INCR_ID_FILE, "someone else");
	c = incr_new(cache, out);
	incr_load(c);
	assert_false(incr_trusted(c));
	incr_free(c);
	c = incr_new(NULL, out); /* --no-cache */
	incr_load(c);
	assert_false(incr_trusted(c));
	incr_free(c);
}

static void test_gone_files(void **state)
{
	(void)state;
	static const char *const files[] = { "a.html", "b/index.html",
		"b/cite.bib", "c.html", "z/index.html", NULL };
	last_build(files);
	incr *c = incr_new(cache, out);
	incr_load(c);
	assert_true(incr_trusted(c));
	incr_record(c, "c.html", 9);
	incr_record(c, "new.html", 9);
	incr_record(c, "a.html", 1);
	buf b = BUF_INIT;
	incr_each_gone(c, collect, &b);
	assert_string_equal(b.p, "b/cite.bib;b/index.html;z/index.html;");
	buf_release(&b);
	incr_free(c);
}

static void test_check_paths(void **state)
{
	(void)state;
	incr *c = incr_new(NULL, out);
	incr_record(c, "a/index.html", 1);
	incr_record(c, "a-b/index.html", 1);
	incr_record(c, "a.html", 1);
	incr_record(c, "x/y/z/index.html", 1);
	assert_int_equal(incr_check_paths(c, d), 0);
	assert_int_equal(diag_count(d), 0);
	incr_record(c, "x/y", 2); /* a file where a folder is */
	assert_int_equal(incr_check_paths(c, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0, "same path 'x/y'");
	incr_free(c);
	c = incr_new(NULL, out);
	incr_record(c, "404.html", 1);
	incr_record(c, "404.html", 2);
	assert_int_equal(incr_check_paths(c, d), -1);
	tu_expect_diag(d, DIAG_ERROR, "", 0, 0,
		"two outputs want the same path '404.html'");
	incr_free(c);
}

/* A path the manifest cannot hold: no manifest is saved, so the next
 * build is a full one (which would remove that file once it is gone). */
static void test_untracked_path_means_no_manifest(void **state)
{
	(void)state;
	static const char *const files[] = { "a.html", "tab\there.html", NULL };
	last_build(files);
	incr *c = incr_new(cache, out);
	incr_load(c);
	assert_false(incr_trusted(c));
	incr_free(c);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_trusted_only_with_the_site_id),
		T(test_gone_files),
		T(test_check_paths),
		T(test_untracked_path_means_no_manifest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
