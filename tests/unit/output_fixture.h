/*
 * output_fixture: what the output tests share: a temporary folder with
 * the site's path in it, a diagnostics list, and helpers that fail the
 * test with the diagnostics when a write does. Include once, after
 * cmocka.h and testutil.h; output_fixture_setup makes the folder and
 * output_fixture_teardown removes it.
 */
#ifndef ENQUIRE_OUTPUT_FIXTURE_H
#define ENQUIRE_OUTPUT_FIXTURE_H

#include "output.h"

static char *dir; /* this test's temporary folder */
static char *site; /* dir/site: the output folder */
static diag_list *d;

static void output_fixture_setup(void)
{
	dir = tu_mkdtemp();
	site = tu_path(dir, "site");
	d = diag_list_new();
}

static int teardown(void **state)
{
	(void)state;
	int rc = tu_rmrf(dir);
	free(site);
	free(dir);
	diag_list_free(d);
	return rc;
}

static void write_ok(output *o, const char *path, const char *text)
{
	if (output_write(o, path, text, strlen(text), d) != 0) {
		tu_dump_diags(d);
		fail_msg("output_write '%s' failed", path);
	}
}

/* dir/rel holds exactly want. */
static void assert_file(const char *rel, const char *want)
{
	char *got = tu_read(dir, rel);
	if (!got)
		fail_msg("'%s' does not exist", rel);
	assert_string_equal(got, want);
	free(got);
}

#endif
