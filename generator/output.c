/*
 * output: a temporary folder filled by many threads, then renamed into
 * place. The old site is moved aside first and removed last, so at every
 * moment either the old or the new site is complete on disk. (A rebuild
 * in update mode commits file by file instead: output_update.c.)
 */
#define _XOPEN_SOURCE 700
#include "output.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_int.h"
#include "parallel.h"
#include "util.h"

/* ---- removing a site ----
 *
 * A replaced site is tens of thousands of files: removing them was the
 * whole commit stage (0.4 s for 29,000 files on tmpfs with nftw, which
 * stats every entry). So entries are read by type from readdir, removed
 * relative to their folder's descriptor (unlinkat: no path lookups), and
 * the folders two levels down (case-studies/<slug>/, ...) are shared out
 * to all threads. Symlinks are removed, never followed. */

/* Is the entry at dirfd/name a folder? Uses d_type when the file system
 * gives it. */
bool output_is_dir_at(int dirfd, const struct dirent *e)
{
	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	struct stat st;
	return fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		S_ISDIR(st.st_mode);
}

bool output_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* Removes name (in dirfd) and everything below it. */
static int remove_at(int dirfd, const char *name, bool dir, unsigned depth)
{
	if (!dir)
		return unlinkat(dirfd, name, 0);
	int fd = depth > 200 ? -1 : openat(dirfd, name,
		O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dp) {
		if (fd >= 0)
			close(fd);
		return unlinkat(dirfd, name, AT_REMOVEDIR);
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		if (!output_dot_or_dotdot(e->d_name) && remove_at(fd, e->d_name,
			output_is_dir_at(fd, e), depth + 1) != 0)
			rc = -1;
	closedir(dp);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
		rc = -1;
	return rc;
}

/* The entries of the top two levels, removed on several threads. */
typedef struct {
	char *path; /* relative to the root */
	bool dir;
} doomed;

typedef struct {
	int root;
	doomed *items;
	size_t n, cap;
} removal;

static void doom(removal *r, const char *path, bool dir)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->items = xrealloc(r->items, r->cap * sizeof *r->items);
	}
	r->items[r->n++] = (doomed){ xstrdup(path), dir };
}

static void remove_one(void *ctx, size_t i, unsigned thread)
{
	(void)thread;
	removal *r = ctx;
	remove_at(r->root, r->items[i].path, r->items[i].dir, 2);
}

/* Lists what is in the folder fd (at rel below the root) into r; with
 * descend, a subfolder's entries instead of the subfolder itself. The
 * subfolders themselves go into dirs, to be removed once empty. */
static void list_level(removal *r, int fd, const char *rel, bool descend,
	removal *dirs)
{
	int dup_fd = dup(fd);
	DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!dp) {
		if (dup_fd >= 0)
			close(dup_fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (output_dot_or_dotdot(e->d_name))
			continue;
		bool dir = output_is_dir_at(fd, e);
		char *path = *rel ? xasprintf("%s/%s", rel, e->d_name) :
			xstrdup(e->d_name);
		int sub = dir && descend ? openat(fd, e->d_name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (sub >= 0) {
			list_level(r, sub, path, false, dirs);
			close(sub);
			doom(dirs, path, true);
		} else {
			doom(r, path, dir);
		}
		free(path);
	}
	closedir(dp);
}

int output_remove_tree(const char *path)
{
	removal r = { -1, NULL, 0, 0 }, dirs = { -1, NULL, 0, 0 };
	r.root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r.root < 0)
		return remove(path);
	list_level(&r, r.root, "", true, &dirs);
	parallel_for(r.n, parallel_default_threads(), remove_one, &r);
	for (size_t i = 0; i < dirs.n; i++)
		unlinkat(r.root, dirs.items[i].path, AT_REMOVEDIR);
	close(r.root);
	for (size_t i = 0; i < r.n; i++)
		free(r.items[i].path);
	for (size_t i = 0; i < dirs.n; i++)
		free(dirs.items[i].path);
	free(r.items);
	free(dirs.items);
	return rmdir(path);
}

/* May an existing dir be replaced? Only an earlier site or an empty dir. */
static int replaceable(const char *dir)
{
	char *marker = xasprintf("%s/%s", dir, OUTPUT_MARKER);
	int ok = access(marker, F_OK) == 0;
	free(marker);
	if (ok)
		return 1;
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	int empty = 1;
	struct dirent *e;
	while (empty && (e = readdir(dp)))
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(dp);
	return empty;
}

output *output_open(const char *dir, diag_list *d)
{
	struct stat st;
	if (lstat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_add(d, DIAG_ERROR, "", 0, 0,
				"output '%s' exists and is not a folder", dir);
			return NULL;
		}
		if (!replaceable(dir)) {
			diag_add(d, DIAG_ERROR, "", 0, 0,
				"output folder '%s' is not empty and was not made by enquire; choose another --out or empty it",
				dir);
			return NULL;
		}
	}
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	output *o = xcalloc(1, sizeof *o);
	o->dir = xstrndup(dir, n);
	o->tmp = xasprintf("%s.tmp-XXXXXX", o->dir);
	/* --out build/site with no build/ yet: make it, as mkdir -p would */
	char *slash = strrchr(o->tmp, '/');
	if (slash && slash > o->tmp) {
		*slash = '\0';
		make_folders(o->tmp, 0); /* a failure shows in mkdtemp's */
		*slash = '/';
	}
	if (!mkdtemp(o->tmp)) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot create '%s': %s",
			o->tmp, strerror(errno));
		free(o->dir);
		free(o->tmp);
		free(o);
		return NULL;
	}
	chmod(o->tmp, 0755);
	int rc = output_write(o, OUTPUT_MARKER, "", 0, d);
	if (rc != 0) {
		output_abort(o);
		return NULL;
	}
	return o;
}

int output_path_ok(const char *path)
{
	if (!*path || path[0] == '/' || strchr(path, '\\'))
		return 0;
	const char *p = path;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.') ||
			(len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!end)
			break;
		p = end + 1;
		if (!*p)
			return 0; /* a trailing slash names no file */
	}
	return 1;
}

/* dir + "/" + the first n bytes of path; the caller frees it. Pages go
 * through here tens of thousands of times a build: no printf. */
char *output_join(const char *dir, const char *path, size_t n)
{
	size_t nd = strlen(dir);
	char *s = xmalloc(nd + 1 + n + 1);
	memcpy(s, dir, nd);
	s[nd] = '/';
	memcpy(s + nd + 1, path, n);
	s[nd + 1 + n] = '\0';
	return s;
}

/* Makes the folders of path (relative) under base. */
int output_make_parents(const char *base, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	char *dir = output_join(base, path, (size_t)(slash - path));
	int rc = make_folders(dir, strlen(base));
	free(dir);
	return rc;
}

int output_write(output *o, const char *path, const void *data, size_t n,
	diag_list *d)
{
	if (!output_path_ok(path)) {
		diag_add(d, DIAG_ERROR, "", 0, 0,
			"refusing to write '%s' outside the output folder", path);
		return -1;
	}
	char *full = output_join(o->tmp, path, strlen(path));
	int rc = -1, fd = -1;
	/* O_EXCL: two things wanting the same path is an error, not a race.
	 * The folders are made only when the open says they are missing:
	 * most files go into a folder made already. */
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	fd = open(full, flags, 0644);
	if (fd < 0 && errno == ENOENT && output_make_parents(o->tmp, path) == 0)
		fd = open(full, flags, 0644);
	if (fd < 0)
		goto done;
	for (const char *p = data; n > 0;) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto done;
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto done;
	}
	fd = -1;
	rc = 0;
done:
	if (rc != 0)
		diag_add(d, DIAG_ERROR, "", 0, 0, errno == EEXIST ?
			"two outputs want the same path '%s' (a static file and a page?)" :
			"cannot write '%s': %s", errno == EEXIST ? path : full,
			strerror(errno));
	if (fd >= 0)
		close(fd);
	free(full);
	return rc;
}

int output_link_old(output *o, const char *path)
{
	return output_link_old_as(o, path, path);
}

/* Is the site's file at path a regular file? */
static bool in_site(const output *o, const char *path)
{
	char *full = output_join(o->dir, path, strlen(path));
	struct stat st;
	bool ok = lstat(full, &st) == 0 && S_ISREG(st.st_mode);
	free(full);
	return ok;
}

int output_link_old_as(output *o, const char *old_path, const char *path)
{
	if (!output_path_ok(old_path) || !output_path_ok(path))
		return -1;
	/* Update mode: a file kept under its name is left where it is,
	 * unlooked at. The seal vouches for the whole site, as it vouched
	 * for the bytes of the files hard-linked before; a stat of each
	 * (50,000 path lookups) was 0.09 s of CPU on the benchmark, a
	 * quarter of a rebuild's render stage. */
	if (o->seal && strcmp(old_path, path) == 0)
		return 0;
	char *from = output_join(o->dir, old_path, strlen(old_path));
	char *to = output_join(o->tmp, path, strlen(path));
	struct stat st;
	int rc = -1;
	/* Only a regular file: a symlink planted in the old site must not
	 * become part of the new one. */
	if (lstat(from, &st) == 0 && S_ISREG(st.st_mode) &&
		(link(from, to) == 0 || (errno == ENOENT &&
		output_make_parents(o->tmp, path) == 0 && link(from, to) == 0)))
		rc = 0;
	free(from);
	free(to);
	return rc;
}

void output_update(output *o, const char *seal)
{
	assert(!o->seal && output_path_ok(seal));
	o->seal = xstrdup(seal);
	/* output_open staged the marker; the site has one already. */
	if (in_site(o, OUTPUT_MARKER)) {
		char *marker = output_join(o->tmp, OUTPUT_MARKER,
			strlen(OUTPUT_MARKER));
		unlink(marker);
		free(marker);
	}
}

void output_remove_old(output *o, const char *path)
{
	if (!o->seal || !output_path_ok(path))
		return;
	if (o->ngone == o->gonecap) {
		o->gonecap = o->gonecap ? 2 * o->gonecap : 64;
		o->gone = xrealloc(o->gone, o->gonecap * sizeof *o->gone);
	}
	o->gone[o->ngone++] = xstrdup(path);
}

static void output_free(output *o)
{
	for (size_t i = 0; i < o->ngone; i++)
		free(o->gone[i]);
	free(o->gone);
	free(o->seal);
	free(o->dir);
	free(o->tmp);
	free(o);
}

int output_commit(output *o, diag_list *d)
{
	char *old = NULL;
	int rc = -1;
	if (o->seal) {
		rc = output_commit_update(o, d);
		output_remove_tree(o->tmp);
		output_free(o);
		return rc;
	}
	struct stat st;
	if (lstat(o->dir, &st) == 0) {
		old = xasprintf("%s.old-XXXXXX", o->dir);
		if (!mkdtemp(old) || rename(o->dir, old) != 0) {
			diag_add(d, DIAG_ERROR, "", 0, 0,
				"cannot move the old site '%s' aside: %s", o->dir,
				strerror(errno));
			goto done;
		}
	}
	if (rename(o->tmp, o->dir) != 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot rename '%s' to '%s': %s",
			o->tmp, o->dir, strerror(errno));
		if (old)
			rename(old, o->dir); /* put the old site back */
		goto done;
	}
	rc = 0;
done:
	if (old)
		output_remove_tree(old);
	if (rc != 0)
		output_remove_tree(o->tmp);
	free(old);
	output_free(o);
	return rc;
}

/* Is name base + ".tmp-" or ".old-" + mkdtemp's six characters? */
static bool leftover_name(const char *name, const char *base, size_t n)
{
	if (strncmp(name, base, n) != 0)
		return false;
	name += n;
	return (strncmp(name, ".tmp-", 5) == 0 || strncmp(name, ".old-", 5) == 0) &&
		strlen(name + 5) == 6 && !strchr(name + 5, '/');
}

void output_clean_leftovers(const char *dir)
{
	/* POSIX dirname and basename may modify their argument: a copy each. */
	char *copy1 = xstrdup(dir), *copy2 = xstrdup(dir);
	const char *parent = dirname(copy1), *base = basename(copy2);
	DIR *dp = opendir(parent);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		if (!leftover_name(e->d_name, base, strlen(base)))
			continue;
		char *full = xasprintf("%s/%s", parent, e->d_name);
		struct stat st;
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
			output_remove_tree(full);
		free(full);
	}
	if (dp)
		closedir(dp);
	free(copy1);
	free(copy2);
}

void output_abort(output *o)
{
	if (!o)
		return;
	output_remove_tree(o->tmp);
	output_free(o);
}
