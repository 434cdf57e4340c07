/*
 * Unit tests for source: real repositories made with the git CLI in a
 * temporary folder, read back in commit, worktree and disk mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "source.h"
#include "util.h"

#define COMMIT_TIME 1500000000

static char group_dir[PATH_MAX]; /* the ceiling: holds every test's folder */
static char dir[PATH_MAX]; /* this test's folder (a real path) */
static diag_list *d;

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	va_list ap;
	buf cmd = BUF_INIT;
	buf_printf(&cmd, "cd '%s' && { ", dir);
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_puts(&cmd, "; } >/dev/null 2>&1");
	int rc = system(cmd.p);
	if (rc != 0)
		print_error("command failed (%d): %s\n", rc, cmd.p);
	buf_release(&cmd);
	assert_int_equal(rc, 0);
}

/* The first line a command prints; the caller frees it. */
static char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sh_out(const char *fmt, ...)
{
	va_list ap;
	buf cmd = BUF_INIT;
	char line[4096] = "";
	buf_printf(&cmd, "cd '%s' && ", dir);
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd.p, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	assert_int_equal(pclose(p), 0);
	buf_release(&cmd);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* The caller frees the result. */
static char *at(const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static void put_n(const char *rel, const char *data, size_t n)
{
	char *path = at(rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static void put(const char *rel, const char *text)
{
	put_n(rel, text, strlen(text));
}

static void git_init(const char *repo)
{
	sh("git -c init.defaultBranch=main init -q '%s'", repo);
}

static void commit_all(const char *repo)
{
	sh("cd '%s' && git add -A && git commit -q -m change", repo);
}

static source *open_ok(const char *rel, const source_options *opts)
{
	source *s = NULL;
	char *root = at(rel);
	int rc = source_open(&s, root, opts, d);
	if (rc != 0)
		diag_print(d, stderr);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	free(root);
	for (size_t i = 1; i < source_count(s); i++)
		assert_true(strcmp(source_at(s, i - 1)->path, source_at(s, i)->path) < 0);
	return s;
}

static void open_fails(const char *rel, const source_options *opts)
{
	source *s = (source *)&s; /* must be reset to NULL */
	char *root = at(rel);
	assert_int_equal(source_open(&s, root, opts, d), -1);
	assert_null(s);
	assert_true(diag_errors(d) > 0);
	free(root);
}

static bool has_diag(diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool has_diag(diag_level level, const char *fmt, ...)
{
	va_list ap;
	buf want = BUF_INIT;
	va_start(ap, fmt);
	buf_vprintf(&want, fmt, ap);
	va_end(ap);
	bool found = false;
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *g = diag_at(d, i);
		if (g->level == level && strcmp(g->msg, want.p) == 0 && g->path[0] == '\0')
			found = true;
	}
	if (!found) {
		print_error("missing diagnostic: %s\n", want.p);
		diag_print(d, stderr);
	}
	buf_release(&want);
	return found;
}

/* The text of the file at path, or NULL when it was not read. */
static const char *text(const source *s, const char *path)
{
	const source_file *f = source_find(s, path);
	return f ? f->data : NULL;
}

static int group_setup(void **state)
{
	char tmpl[] = "/tmp/enquire-source-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	/* /tmp may be a symlink; the repositories report real paths. */
	assert_non_null(realpath(tmpl, group_dir));
	setenv("HOME", group_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CEILING_DIRECTORIES", group_dir, 1);
	setenv("GIT_AUTHOR_NAME", "Test Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Test Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "1500000000 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "1500000000 +0000", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_CONFIG_GLOBAL");
	return 0;
}

static int group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", group_dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int setup(void **state)
{
	char *tmpl = xasprintf("%s/t.XXXXXX", group_dir);
	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, sizeof dir, "%s", tmpl);
	free(tmpl);
	d = diag_list_new();
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	diag_list_free(d);
	d = NULL;
	return rc == 0 ? 0 : -1;
}

/* A repository "r" with content/ and a file outside it, committed. */
static void make_site(void)
{
	git_init("r");
	put("r/README.md", "outside the content\n");
	put("r/content/site.yaml", "title: committed\n");
	put("r/content/case-studies/one.md", "one\n");
	commit_all("r");
}

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
	T(test_symlinks_skipped),
	T(test_submodules_skipped),
	T(test_ignored_files),
	T(test_dot_names_skipped),
	T(test_disk_outside_repository),
	T(test_ids_match_git),
	T(test_sorted_and_find),
	T(test_exclude),
	T(test_too_large),
	T(test_odd_tree_names),
	T(test_bad_roots),
	T(test_special_files_on_disk),
	T(test_deep_nesting),
	T(test_blob_cache),
	T(test_free_null),
};

int main(void)
{
	return cmocka_run_group_tests(source_tests, group_setup, group_teardown);
}
