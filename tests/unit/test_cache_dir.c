/*
 * Unit tests for where a build keeps its cache: beside the output folder
 * (whatever slashes --out has), or $ENQUIRE_CACHE_DIR; none with
 * --no-cache or without an output folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "build.h"

static void expect_cache_dir(const char *out, const char *want)
{
	build_options o = BUILD_OPTIONS_INIT;
	o.out = out;
	char *dir = build_cache_dir(&o);
	assert_string_equal(dir, want);
	free(dir);
}

static void test_beside_output(void **state)
{
	(void)state;
	unsetenv("ENQUIRE_CACHE_DIR");
	expect_cache_dir("site", ".enquire-cache");
	expect_cache_dir("site/", ".enquire-cache");
	expect_cache_dir("build/site", "build/.enquire-cache");
	expect_cache_dir("build/site//", "build/.enquire-cache");
	expect_cache_dir("/site", "/.enquire-cache");
	expect_cache_dir("/tmp/a/site", "/tmp/a/.enquire-cache");
	expect_cache_dir("/", "/.enquire-cache");
}

static void test_environment_and_none(void **state)
{
	(void)state;
	setenv("ENQUIRE_CACHE_DIR", "/var/cache/kb", 1);
	expect_cache_dir("build/site", "/var/cache/kb");
	setenv("ENQUIRE_CACHE_DIR", "", 1); /* empty: as if unset */
	expect_cache_dir("build/site", "build/.enquire-cache");
	build_options o = BUILD_OPTIONS_INIT;
	o.out = "build/site";
	o.no_cache = true;
	assert_null(build_cache_dir(&o));
	o.no_cache = false;
	o.out = NULL;
	assert_null(build_cache_dir(&o));
	unsetenv("ENQUIRE_CACHE_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beside_output),
		cmocka_unit_test(test_environment_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
