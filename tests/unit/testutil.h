/*
 * testutil: header-only helpers shared by the unit tests: temporary
 * folders, writing and reading files, recursive removal, looking
 * things up in diagnostics lists and value trees, and checking that
 * something aborts.
 *
 * Every helper fails the running cmocka test (never the whole program)
 * when the file system does not cooperate, so a test cannot pass by
 * accident on a half-written fixture. Include after <cmocka.h>.
 */
#ifndef ENQUIRE_TESTUTIL_H
#define ENQUIRE_TESTUTIL_H

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"
#include "value.h"

/* A fresh folder under $TMPDIR (or /tmp), as a real path (no symlinks),
 * so tests can compare paths. The caller frees it (after tu_rmrf). */
static inline char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/enquire-test-XXXXXX", tmp && *tmp ? tmp :
		"/tmp");
	assert_non_null(mkdtemp(tmpl));
	char real[PATH_MAX];
	assert_non_null(realpath(tmpl, real));
	free(tmpl);
	return xstrdup(real);
}

/* The caller frees the result. */
static inline char *tu_path(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

/* mkdir -p of every folder of rel (not the last part) under dir. */
static inline void tu_mkdirs(const char *dir, const char *rel)
{
	char *path = tu_path(dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) != 0)
			assert_int_equal(errno, EEXIST);
		*p = '/';
	}
	free(path);
}

static inline void tu_mkdir(const char *dir, const char *rel)
{
	char *path = tu_path(dir, rel);
	tu_mkdirs(dir, rel);
	if (mkdir(path, 0755) != 0)
		assert_int_equal(errno, EEXIST);
	free(path);
}

/* Writes n bytes to dir/rel, creating its folders; replaces a file. */
static inline void tu_write_n(const char *dir, const char *rel,
	const void *data, size_t n)
{
	tu_mkdirs(dir, rel);
	char *path = tu_path(dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static inline void tu_write(const char *dir, const char *rel,
	const char *text)
{
	tu_write_n(dir, rel, text, strlen(text));
}

/* The whole of dir/rel, NUL-terminated, or NULL when it cannot be read;
 * the caller frees it. */
static inline char *tu_read(const char *dir, const char *rel)
{
	char *path = tu_path(dir, rel);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return NULL;
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static inline bool tu_exists(const char *dir, const char *rel)
{
	struct stat st;
	char *path = tu_path(dir, rel);
	bool ok = lstat(path, &st) == 0;
	free(path);
	return ok;
}

static inline bool tu_is_dir(const char *dir, const char *rel)
{
	struct stat st;
	char *path = tu_path(dir, rel);
	bool ok = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return ok;
}

/* How many entries of dir (not "." or "..") start with prefix. */
static inline size_t tu_count_prefix(const char *dir, const char *prefix)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	}
	closedir(dp);
	return n;
}

/* The name of the one entry of dir starting with prefix, or NULL when
 * there is none or more than one; the caller frees it. */
static inline char *tu_find_prefix(const char *dir, const char *prefix)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	char *found = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
			n++;
			free(found);
			found = xstrdup(e->d_name);
		}
	}
	closedir(dp);
	if (n != 1) {
		free(found);
		found = NULL;
	}
	return found;
}

/* rm -rf path; symlinks are removed, never followed. Returns 0 or -1. */
static inline int tu_rmrf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	chmod(path, 0755); /* tests may have made it unreadable */
	DIR *dp = opendir(path);
	if (!dp)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *child = tu_path(path, e->d_name);
		if (tu_rmrf(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(dp);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

/* Prints every diagnostic (for a failing test's log). */
static inline void tu_dump_diags(const diag_list *d)
{
	for (size_t i = 0; i < diag_count(d); i++) {
		char *line = diag_format(diag_at(d, i));
		print_message("  diag: %s\n", line);
		free(line);
	}
}

/*
 * The first diagnostic of level whose message contains needle, at path
 * (NULL: any) and line:col (0: any), or NULL. Line and column are only
 * compared when given, so a test states exactly what it knows.
 */
static inline const diag *tu_find_diag(const diag_list *d, diag_level level,
	const char *path, unsigned line, unsigned col, const char *needle)
{
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *g = diag_at(d, i);
		if (g->level != level || !strstr(g->msg, needle))
			continue;
		if (path && strcmp(g->path, path) != 0)
			continue;
		if ((line && g->line != line) || (col && g->col != col))
			continue;
		return g;
	}
	return NULL;
}

/* How many diagnostics of level contain needle. */
static inline size_t tu_count_diag(const diag_list *d, diag_level level,
	const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *g = diag_at(d, i);
		n += g->level == level && strstr(g->msg, needle) != NULL;
	}
	return n;
}

/* Fails the test, showing every diagnostic, unless one matches. */
#define tu_expect_diag(d, level, path, line, col, needle)                      \
	do {                                                                   \
		if (!tu_find_diag((d), (level), (path), (line), (col),         \
			(needle))) {                                           \
			print_error("no diagnostic at %s:%u:%u containing '%s'\n", \
				(path) ? (path) : "*", (unsigned)(line),       \
				(unsigned)(col), (needle));                    \
			tu_dump_diags(d);                                      \
			fail();                                                \
		}                                                              \
	} while (0)

/* Fails the test, showing every diagnostic, when there is any error. */
#define tu_expect_no_errors(d)                                                 \
	do {                                                                   \
		if (diag_errors(d) != 0) {                                     \
			tu_dump_diags(d);                                      \
			fail_msg("expected no errors, got %zu",                \
				diag_errors(d));                               \
		}                                                              \
	} while (0)

/*
 * Follows a dotted path through maps and lists: "doc.claims.0.title"
 * (a number indexes a list). NULL when any step is missing.
 */
static inline const value *tu_get(const value *v, const char *path)
{
	char *copy = xstrdup(path);
	char *save = NULL;
	for (char *part = strtok_r(copy, ".", &save); part && v;
		part = strtok_r(NULL, ".", &save)) {
		if (v->kind == VALUE_LIST) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);
			v = *end == '\0' && i < v->u.list.n ? v->u.list.items[i]
				: NULL;
		} else {
			v = value_get(v, part);
		}
	}
	free(copy);
	return v;
}

/* The text of the scalar at path, or NULL when missing or not a scalar. */
static inline const char *tu_text(const value *v, const char *path)
{
	return value_text(tu_get(v, path));
}

/* Asserts that the scalar at path has exactly the text want. */
#define tu_assert_text(v, path, want)                                          \
	do {                                                                   \
		const char *got_ = tu_text((v), (path));                       \
		if (!got_)                                                     \
			fail_msg("no scalar at '%s'", (path));                 \
		assert_string_equal(got_, (want));                             \
	} while (0)

/* Asserts that path holds a boolean with the value want. */
#define tu_assert_bool(v, path, want)                                          \
	do {                                                                   \
		const value *b_ = tu_get((v), (path));                         \
		if (!b_ || b_->kind != VALUE_BOOL)                             \
			fail_msg("no boolean at '%s'", (path));                \
		assert_int_equal(b_->u.b, (want));                             \
	} while (0)

/* Runs fn in a child process (its stderr silenced): did it abort? For
 * checks that are policy, not error paths (assert, out of memory). */
static inline bool tu_aborts(void (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		fn();
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

#endif
