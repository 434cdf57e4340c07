/*
 * output_update: committing a rebuild in place (update mode, output.h).
 *
 * The invariant: while the site lacks its seal, nothing trusts it (the
 * next build is a full one, which replaces it whole); so the seal goes
 * first and comes back last, and everything in between may be done in
 * any order and stop half way. The staging folder holds only the new
 * and changed files, so the commit costs what changed: a handful of
 * renames and unlinks after a one-file commit, where swapping the whole
 * site meant removing the old tree (50,000 unlinks on the 10,000-case
 * benchmark).
 *
 * The files that are gone are removed before the staged ones move in:
 * a folder that became a file (a/index.html gone, a new file a), or a
 * file that became a folder, needs the old one out of the way first.
 */
#define _XOPEN_SOURCE 700
#include "output_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Are a and b in the same folder? */
static bool same_folder(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	return sa && sb && sa - a == sb - b && memcmp(a, b, (size_t)(sa - a)) == 0;
}

/* Removes the site's files that the new build did not write, then their
 * folders that are left empty (rmdir fails on a folder that still holds
 * something, a file of the new site or one a user put there). Any order
 * works: each file's chain of folders is tried after every unlink, so
 * the last file of a folder to be looked at takes the folder. */
static int remove_gone(output *o, diag_list *d)
{
	int rc = 0;
	for (size_t i = 0; i < o->ngone; i++) {
		char *full = output_join(o->dir, o->gone[i], strlen(o->gone[i]));
		if (unlink(full) != 0 && errno != ENOENT) {
			diag_add(d, DIAG_ERROR, "", 0, 0, "cannot remove '%s': %s",
				full, strerror(errno));
			rc = -1;
		}
		free(full);
	}
	size_t nd = strlen(o->dir);
	for (size_t i = 0; i < o->ngone; i++) {
		/* The next file has the same folders (4,000 search shards of a
		 * renamed folder): its turn will do. */
		if (i + 1 < o->ngone && same_folder(o->gone[i], o->gone[i + 1]))
			continue;
		char *full = output_join(o->dir, o->gone[i], strlen(o->gone[i]));
		for (char *slash = strrchr(full, '/');
			slash && (size_t)(slash - full) > nd;
			slash = strrchr(full, '/')) {
			*slash = '\0';
			if (rmdir(full) != 0 && errno != ENOENT)
				break;
		}
		free(full);
	}
	return rc;
}

static int move_in(int from, int to, const char *rel, const char *skip,
	const char *site, unsigned depth, diag_list *d);

/* Merges the staged folder name (in from, at rel) into the site's
 * folder of that name (in to). */
static int merge(int from, int to, const char *name, const char *rel,
	const char *site, unsigned depth, diag_list *d)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int sub_from = depth < 200 ? openat(from, name, flags) : -1;
	int sub_to = sub_from >= 0 ? openat(to, name, flags) : -1;
	int rc = -1;
	if (sub_from >= 0 && sub_to >= 0)
		rc = move_in(sub_from, sub_to, rel, NULL, site, depth + 1, d);
	else
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot move '%s' into '%s': %s",
			rel, site, strerror(errno));
	if (sub_from >= 0)
		close(sub_from);
	if (sub_to >= 0)
		close(sub_to);
	return rc;
}

/* Moves what the staging folder from holds (at rel below the roots,
 * "" for the roots) into the site's folder to, leaving skip (the seal)
 * where it is. A staged folder that the site lacks moves in one rename;
 * one the site has already is merged entry by entry. Never follows a
 * symlink in the site: rename replaces a symlink itself, and a folder
 * is opened with O_NOFOLLOW. A file where a folder should go, or the
 * reverse (something no build wrote, the gone files being removed
 * already), is an error. */
static int move_in(int from, int to, const char *rel, const char *skip,
	const char *site, unsigned depth, diag_list *d)
{
	int dup_fd = dup(from);
	DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!dp) {
		if (dup_fd >= 0)
			close(dup_fd);
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read the staged '%s': %s",
			*rel ? rel : ".", strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	/* Entries are renamed away while the folder is read: each only
	 * after readdir returned it, which POSIX allows. */
	while (rc == 0 && (e = readdir(dp))) {
		const char *name = e->d_name;
		if (output_dot_or_dotdot(name) || (skip && strcmp(name, skip) == 0))
			continue;
		if (renameat(from, name, to, name) == 0)
			continue;
		int err = errno;
		char *path = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		if ((err == EEXIST || err == ENOTEMPTY) && output_is_dir_at(from, e)) {
			rc = merge(from, to, name, path, site, depth, d);
		} else {
			diag_add(d, DIAG_ERROR, "", 0, 0, "cannot move '%s' into '%s': %s",
				path, site, strerror(err));
			rc = -1;
		}
		free(path);
	}
	closedir(dp);
	return rc;
}

int output_commit_update(output *o, diag_list *d)
{
	int rc = -1, from = -1, to = -1;
	char *seal = output_join(o->dir, o->seal, strlen(o->seal));
	char *staged_seal = output_join(o->tmp, o->seal, strlen(o->seal));
	/* First of all: from here on, a crash means a full build next. */
	if (unlink(seal) != 0 && errno != ENOENT) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot remove '%s': %s", seal,
			strerror(errno));
		goto done;
	}
	if (remove_gone(o, d) != 0)
		goto done;
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	from = open(o->tmp, flags);
	to = open(o->dir, flags);
	if (from < 0 || to < 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot open '%s': %s",
			from < 0 ? o->tmp : o->dir, strerror(errno));
		goto done;
	}
	if (move_in(from, to, "", o->seal, o->dir, 0, d) != 0)
		goto done;
	/* Last: the site is whole again. */
	if (rename(staged_seal, seal) != 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot rename '%s' to '%s': %s",
			staged_seal, seal, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	free(seal);
	free(staged_seal);
	return rc;
}
