/*
 * output: a temporary folder filled by many threads, then renamed into
 * place. The old site is moved aside first and removed last, so at every
 * moment either the old or the new site is complete on disk.
 */
#define _XOPEN_SOURCE 700
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct output {
	char *dir; /* the output folder as given */
	char *tmp; /* where this build writes */
};

static int remove_entry(const char *path, const struct stat *st, int flag,
	struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int remove_tree(const char *path)
{
	return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
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

/* mkdir -p for the folders of path under base. Safe when threads race. */
static int make_parents(const char *base, const char *path)
{
	buf b = BUF_INIT;
	buf_puts(&b, base);
	buf_putc(&b, '/');
	size_t start = b.len;
	buf_puts(&b, path);
	int rc = 0;
	for (char *p = b.p + start; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(b.p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
		if (rc)
			break;
	}
	buf_release(&b);
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
	char *full = xasprintf("%s/%s", o->tmp, path);
	int rc = -1, fd = -1;
	if (make_parents(o->tmp, path) != 0)
		goto done;
	/* O_EXCL: two things wanting the same path is an error, not a race. */
	fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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

static void output_free(output *o)
{
	free(o->dir);
	free(o->tmp);
	free(o);
}

int output_commit(output *o, diag_list *d)
{
	char *old = NULL;
	int rc = -1;
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
		remove_tree(old);
	if (rc != 0)
		remove_tree(o->tmp);
	free(old);
	output_free(o);
	return rc;
}

void output_abort(output *o)
{
	if (!o)
		return;
	remove_tree(o->tmp);
	output_free(o);
}
