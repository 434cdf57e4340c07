/*
 * Unit tests for source: real repositories made with the git CLI in a
 * temporary folder, read back in commit, worktree and disk mode: refs,
 * roots, bare and empty repositories. What a tree may hold is in
 * test_source_tree.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "source_fixture.h"

static void test_commit_reads_committed_bytes(void **state)
{
	make_site();
	put("r/content/site.yaml", "title: changed on disk\n");
	put("r/content/untracked.md", "new\n");
	source *s = open_ok("r/content", NULL);
	assert_int_equal(source_get_mode(s), SOURCE_COMMIT);
	assert_int_equal(source_count(s), 2);
	assert_string_equal(source_at(s, 0)->path, "case-studies/one.md");
	assert_string_equal(source_at(s, 1)->path, "site.yaml");
	assert_string_equal(text(s, "site.yaml"), "title: committed\n");
	assert_int_equal(source_find(s, "site.yaml")->size, 17);
	assert_false(source_find(s, "site.yaml")->too_large);
	assert_null(source_find(s, "untracked.md"));
	assert_null(source_find(s, "README.md"));
	char *head = sh_out("cd r && git rev-parse HEAD");
	assert_string_equal(source_commit_id(s), head);
	char *want = xasprintf("commit %.7s (HEAD)", head);
	assert_string_equal(source_describe(s), want);
	assert_int_equal(source_commit_time(s), COMMIT_TIME);
	assert_int_equal(diag_count(d), 0);
	free(want);
	free(head);
	source_free(s);
}

static void test_worktree_reads_disk(void **state)
{
	make_site();
	put("r/content/site.yaml", "title: changed on disk\n");
	put("r/content/untracked.md", "new\n");
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	source *s = open_ok("r/content", &opts);
	assert_int_equal(source_get_mode(s), SOURCE_WORKTREE);
	assert_int_equal(source_count(s), 3);
	assert_string_equal(text(s, "site.yaml"), "title: changed on disk\n");
	assert_string_equal(text(s, "untracked.md"), "new\n");
	assert_string_equal(text(s, "case-studies/one.md"), "one\n");
	char *head = sh_out("cd r && git rev-parse HEAD");
	assert_string_equal(source_commit_id(s), head);
	assert_int_equal(source_commit_time(s), COMMIT_TIME);
	char *want = xasprintf("work tree of %s/r", dir);
	assert_string_equal(source_describe(s), want);
	assert_int_equal(diag_count(d), 0);
	free(want);
	free(head);
	source_free(s);
}

static void test_refs(void **state)
{
	make_site();
	char *first = sh_out("cd r && git rev-parse HEAD");
	sh("cd r && git tag -a v1 -m 'first release' && git branch old");
	put("r/content/site.yaml", "title: second\n");
	sh("cd r && git add -A && GIT_COMMITTER_DATE='1600000000 +0000' git commit -q -m two");
	const char *refs[] = { "v1", "old", "HEAD~1", "main~1", first, "refs/tags/v1" };
	for (size_t i = 0; i < ARRAY_LEN(refs); i++) {
		source_options opts = SOURCE_OPTIONS_INIT;
		opts.ref = refs[i];
		source *s = open_ok("r/content", &opts);
		assert_string_equal(text(s, "site.yaml"), "title: committed\n");
		assert_string_equal(source_commit_id(s), first);
		assert_int_equal(source_commit_time(s), COMMIT_TIME);
		char *want = xasprintf("commit %.7s (%s)", first, refs[i]);
		assert_string_equal(source_describe(s), want);
		free(want);
		source_free(s);
	}
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.ref = "main";
	source *s = open_ok("r/content", &opts);
	assert_string_equal(text(s, "site.yaml"), "title: second\n");
	assert_int_equal(source_commit_time(s), 1600000000);
	source_free(s);
	/* A short id works too. */
	char short_id[8];
	snprintf(short_id, sizeof short_id, "%.7s", first);
	opts.ref = short_id;
	s = open_ok("r/content", &opts);
	assert_string_equal(text(s, "site.yaml"), "title: committed\n");
	source_free(s);
	assert_int_equal(diag_errors(d), 0);
	free(first);
}

static void test_unknown_ref(void **state)
{
	make_site();
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.ref = "no-such-branch";
	open_fails("r/content", &opts);
	assert_true(has_diag(DIAG_ERROR, "unknown ref 'no-such-branch'"));
}

static void test_ref_not_a_commit(void **state)
{
	make_site();
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.ref = "HEAD^{tree}";
	open_fails("r/content", &opts);
	assert_true(has_diag(DIAG_ERROR, "ref 'HEAD^{tree}' does not name a commit"));
}

static void test_bad_ref_syntax(void **state)
{
	make_site();
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.ref = "main@{";
	open_fails("r/content", &opts);
	assert_int_equal(diag_errors(d), 1);
	assert_true(has_diag(DIAG_ERROR, "invalid ref 'main@{'"));
}

static void test_root_is_work_tree_top(void **state)
{
	make_site();
	source *s = open_ok("r", NULL);
	assert_int_equal(source_count(s), 3);
	assert_string_equal(source_at(s, 0)->path, "README.md");
	assert_string_equal(source_at(s, 1)->path, "content/case-studies/one.md");
	assert_string_equal(source_at(s, 2)->path, "content/site.yaml");
	source_free(s);
	/* A deeper folder, given with a trailing slash. */
	s = open_ok("r/content/case-studies/", NULL);
	assert_int_equal(source_count(s), 1);
	assert_string_equal(source_at(s, 0)->path, "one.md");
	source_free(s);
}

static void test_root_through_symlink_and_relative(void **state)
{
	make_site();
	sh("ln -s r link");
	source *s = open_ok("link/content", NULL);
	assert_int_equal(source_count(s), 2);
	source_free(s);
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	s = open_ok("link/content/../content", &opts);
	assert_int_equal(source_count(s), 2);
	source_free(s);

	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	source *rel = NULL;
	int rc = source_open(&rel, "r/content", NULL, d);
	source *dot = NULL;
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(chdir("r/content"), 0);
	int rc2 = source_open(&dot, ".", NULL, d);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(rc2, 0);
	assert_int_equal(source_count(rel), 2);
	assert_int_equal(source_count(dot), 2);
	assert_string_equal(text(dot, "site.yaml"), "title: committed\n");
	source_free(rel);
	source_free(dot);
}

static void test_bare_clone(void **state)
{
	make_site();
	sh("git clone -q --bare r site.git");
	source *s = open_ok("site.git", NULL);
	assert_int_equal(source_get_mode(s), SOURCE_COMMIT);
	assert_int_equal(source_count(s), 3);
	assert_string_equal(text(s, "content/site.yaml"), "title: committed\n");
	assert_string_equal(text(s, "README.md"), "outside the content\n");
	char *head = sh_out("cd r && git rev-parse HEAD");
	assert_string_equal(source_commit_id(s), head);
	free(head);
	source_free(s);
	/* A folder of the tree, which does not exist on disk. */
	s = open_ok("site.git/content", NULL);
	assert_int_equal(source_count(s), 2);
	assert_string_equal(text(s, "site.yaml"), "title: committed\n");
	source_free(s);
	assert_int_equal(diag_count(d), 0);
}

static void test_bare_errors(void **state)
{
	make_site();
	sh("git clone -q --bare r site.git");
	open_fails("site.git/nothing/here", NULL);
	char *head = sh_out("cd r && git rev-parse --short=7 HEAD");
	char *root = at("site.git/nothing/here");
	assert_true(has_diag(DIAG_ERROR, "'%s' is not in commit %s", root, head));
	free(root);
	free(head);
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	open_fails("site.git", &opts);
	char *repo = at("site.git");
	assert_true(has_diag(DIAG_ERROR,
		"'%s' is a bare repository, which has no work tree to read", repo));
	free(repo);
}

static void test_missing_root_read_from_other_branch(void **state)
{
	make_site();
	sh("cd r && git checkout -q -b draft && mkdir later && echo x > later/a.md"
		" && git add -A && git commit -q -m later && git checkout -q main");
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.ref = "draft";
	source *s = open_ok("r/later", &opts);
	assert_int_equal(source_count(s), 1);
	assert_string_equal(text(s, "a.md"), "x\n");
	source_free(s);
	/* Not on main, and not on disk: an error, and so for --worktree. */
	open_fails("r/later", NULL);
	char *root = at("r/later");
	char *head = sh_out("cd r && git rev-parse --short=7 HEAD");
	assert_true(has_diag(DIAG_ERROR, "'%s' is not in commit %s", root, head));
	opts.ref = NULL;
	opts.worktree = true;
	open_fails("r/later", &opts);
	assert_true(has_diag(DIAG_ERROR, "'%s' does not exist", root));
	free(head);
	free(root);
}

static void test_root_not_committed(void **state)
{
	make_site();
	put("r/draft/a.md", "draft\n");
	open_fails("r/draft", NULL);
	char *root = at("r/draft");
	char *head = sh_out("cd r && git rev-parse --short=7 HEAD");
	assert_true(has_diag(DIAG_ERROR,
		"'%s' is not in commit %s; commit it or use --worktree", root, head));
	free(head);
	free(root);
	/* ROOT a committed file rather than a folder of the commit. */
	diag_list_free(d);
	d = diag_list_new();
	sh("cd r && rm README.md && mkdir README.md");
	open_fails("r/README.md", NULL);
	assert_int_equal(diag_errors(d), 1);
}

static void test_empty_repository(void **state)
{
	git_init("e");
	put("e/site.yaml", "title: x\n");
	open_fails("e", NULL);
	char *repo = at("e");
	assert_true(has_diag(DIAG_ERROR,
		"no commits yet in '%s'; commit the content or use --worktree", repo));
	free(repo);
	/* The work tree of an empty repository reads fine, with no commit. */
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	source *s = open_ok("e", &opts);
	assert_null(source_commit_id(s));
	assert_int_equal(source_commit_time(s), 0);
	assert_int_equal(source_count(s), 1);
	assert_string_equal(text(s, "site.yaml"), "title: x\n");
	source_free(s);
	/* A named ref in an empty repository is merely unknown. */
	opts.worktree = false;
	opts.ref = "main";
	open_fails("e", &opts);
	assert_true(has_diag(DIAG_ERROR, "unknown ref 'main'"));
}

static void test_disk_outside_repository(void **state)
{
	put("plain/site.yaml", "title: plain\n");
	put("plain/static/logo.png", "\x89PNG\r\n\x1a\n");
	put_n("plain/static/zero.bin", "a\0b", 3);
	put("plain/empty.md", "");
	source *s = open_ok("plain", NULL);
	assert_int_equal(source_get_mode(s), SOURCE_DISK);
	assert_string_equal(source_describe(s), "disk");
	assert_null(source_commit_id(s));
	assert_int_equal(source_commit_time(s), 0);
	char *root = at("plain");
	assert_int_equal(diag_count(d), 1);
	assert_true(has_diag(DIAG_WARNING,
		"'%s' is not in a git repository; reading files from disk", root));
	free(root);
	assert_int_equal(source_count(s), 4);
	const source_file *z = source_find(s, "static/zero.bin");
	assert_int_equal(z->size, 3);
	assert_memory_equal(z->data, "a\0b", 4);
	const char *paths[] = { "site.yaml", "static/logo.png", "static/zero.bin", "empty.md" };
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		char *id = sh_out("git hash-object 'plain/%s'", paths[i]);
		assert_string_equal(source_find(s, paths[i])->id, id);
		free(id);
	}
	assert_string_equal(text(s, "empty.md"), "");
	source_free(s);
	/* --worktree changes nothing outside a repository. */
	source_options opts = SOURCE_OPTIONS_INIT;
	opts.worktree = true;
	s = open_ok("plain", &opts);
	assert_int_equal(source_get_mode(s), SOURCE_DISK);
	assert_int_equal(source_count(s), 4);
	source_free(s);
	/* But a ref cannot be read without a repository. */
	opts.worktree = false;
	opts.ref = "main";
	open_fails("plain", &opts);
}

static void test_bad_roots(void **state)
{
	put("file.txt", "x\n");
	open_fails("file.txt", NULL);
	char *root = at("file.txt");
	assert_true(has_diag(DIAG_ERROR, "'%s' is not a folder", root));
	free(root);
	open_fails("missing", NULL);
	root = at("missing");
	assert_true(has_diag(DIAG_ERROR, "'%s' does not exist", root));
	free(root);
	open_fails("file.txt/below", NULL);
	open_fails("missing/../also-missing", NULL);
	source *s = (source *)&s;
	assert_int_equal(source_open(&s, "", NULL, d), -1);
	assert_null(s);
	s = (source *)&s;
	assert_int_equal(source_open(&s, "/no/such/folder/anywhere", NULL, d), -1);
	assert_null(s);
	/* A missing folder in a repository is looked up in the commit. */
	make_site();
	open_fails("r/content/nope", NULL);
}

static void test_free_null(void **state)
{
	source_free(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
static const struct CMUnitTest source_tests[] = {
	T(test_commit_reads_committed_bytes),
	T(test_worktree_reads_disk),
	T(test_refs),
	T(test_unknown_ref),
	T(test_ref_not_a_commit),
	T(test_bad_ref_syntax),
	T(test_root_is_work_tree_top),
	T(test_root_through_symlink_and_relative),
	T(test_bare_clone),
	T(test_bare_errors),
	T(test_missing_root_read_from_other_branch),
	T(test_root_not_committed),
	T(test_empty_repository),
	T(test_disk_outside_repository),
	T(test_bad_roots),
	T(test_free_null),
};

int main(void)
{
	return cmocka_run_group_tests(source_tests, group_setup, group_teardown);
}
