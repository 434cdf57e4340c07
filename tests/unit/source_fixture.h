/*
 * source_fixture: what the source tests share: a folder per test under
 * one group folder (the git ceiling), git run through the shell with
 * fixed authors and dates, files written and read back, diagnostics
 * looked up, and a small committed site. Include once, after cmocka.h.
 */
#ifndef ENQUIRE_SOURCE_FIXTURE_H
#define ENQUIRE_SOURCE_FIXTURE_H

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

static inline void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void sh(const char *fmt, ...)
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

static inline void put_n(const char *rel, const char *data, size_t n)
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

static inline void put(const char *rel, const char *text)
{
	put_n(rel, text, strlen(text));
}

static inline void git_init(const char *repo)
{
	sh("git -c init.defaultBranch=main init -q '%s'", repo);
}

static inline void commit_all(const char *repo)
{
	sh("cd '%s' && git add -A && git commit -q -m change", repo);
}

static inline source *open_ok(const char *rel, const source_options *opts)
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

static inline void open_fails(const char *rel, const source_options *opts)
{
	source *s = (source *)&s; /* must be reset to NULL */
	char *root = at(rel);
	assert_int_equal(source_open(&s, root, opts, d), -1);
	assert_null(s);
	assert_true(diag_errors(d) > 0);
	free(root);
}

static inline bool has_diag(diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool has_diag(diag_level level, const char *fmt, ...)
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
static inline const char *text(const source *s, const char *path)
{
	const source_file *f = source_find(s, path);
	return f ? f->data : NULL;
}

static inline int group_setup(void **state)
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

static inline int group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", group_dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static inline int setup(void **state)
{
	char *tmpl = xasprintf("%s/t.XXXXXX", group_dir);
	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, sizeof dir, "%s", tmpl);
	free(tmpl);
	d = diag_list_new();
	return 0;
}

static inline int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	diag_list_free(d);
	d = NULL;
	return rc == 0 ? 0 : -1;
}

/* A repository "r" with content/ and a file outside it, committed. */
static inline void make_site(void)
{
	git_init("r");
	put("r/README.md", "outside the content\n");
	put("r/content/site.yaml", "title: committed\n");
	put("r/content/case-studies/one.md", "one\n");
	commit_all("r");
}

#endif
