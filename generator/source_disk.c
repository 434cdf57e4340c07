/*
 * source (disk): reads the files below a folder on disk, for --worktree and
 * for folders outside any repository.
 *
 * Invariant: symlinks are never followed. Every folder and file is opened
 * relative to its parent's descriptor with O_NOFOLLOW, so a link swapped
 * in during the walk cannot lead outside ROOT either.
 */
#include "source_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

typedef struct {
	source *s;
	git_repository *repo; /* NULL outside a repository */
	git_index *index;
	char **exclude; /* normalised: no "./" in front, no '/' at the end */
	size_t n_exclude;
	diag_list *d;
	size_t rel_off; /* where the path relative to ROOT starts in the path */
	int ret;
} disk_walk;

static void fail(disk_walk *w, const char *what, const char *path)
{
	diag_add(w->d, DIAG_ERROR, "", 0, 0, "cannot %s '%s': %s", what, path,
		strerror(errno));
	w->ret = -1;
}

static bool excluded(const disk_walk *w, const char *rel)
{
	for (size_t i = 0; i < w->n_exclude; i++)
		if (strcmp(w->exclude[i], rel) == 0)
			return true;
	return false;
}

/*
 * Does git ignore path (relative to the work tree)? Like `git add -A`, a
 * file that is already tracked is kept even when a rule matches it, and so
 * is an ignored folder holding tracked files. Sets *out; returns -1 on a
 * libgit2 error.
 */
static int ignored(disk_walk *w, const char *path, bool is_dir, bool *out)
{
	int ign = 0;
	*out = false;
	if (!w->repo)
		return 0;
	if (git_ignore_path_is_ignored(&ign, w->repo, path) < 0) {
		diag_add(w->d, DIAG_ERROR, "", 0, 0, "cannot read the ignore rules for '%s': %s",
			path + w->rel_off, source_git_message());
		w->ret = -1;
		return -1;
	}
	if (!ign)
		return 0;
	if (!is_dir) {
		*out = git_index_get_bypath(w->index, path, 0) == NULL;
		return 0;
	}
	char *dir = xasprintf("%s/", path);
	size_t pos;
	*out = git_index_find_prefix(&pos, w->index, dir) != 0;
	free(dir);
	return 0;
}

static void read_regular(disk_walk *w, int dfd, const char *name, const char *rel)
{
	struct stat st;
	char *data = NULL;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fail(w, "read", rel);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(w->d, DIAG_WARNING, "", 0, 0, "skipping '%s': not a regular file", rel);
		goto done;
	}
	if ((unsigned long long)st.st_size > SOURCE_MAX_FILE_SIZE) {
		/* No id: hashing a file this big only to reject it is waste. */
		source_add(w->s, rel, NULL, (size_t)st.st_size, NULL, true);
		goto done;
	}
	size_t want = (size_t)st.st_size, got = 0;
	data = xmalloc(want + 1);
	while (got < want) {
		ssize_t n = read(fd, data + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(w, "read", rel);
			goto done;
		}
		if (n == 0)
			break; /* shrank while we read: take what is there */
		got += (size_t)n;
	}
	data[got] = '\0';
	git_oid id;
	if (git_odb_hash(&id, data, got, GIT_OBJECT_BLOB) < 0) {
		diag_add(w->d, DIAG_ERROR, "", 0, 0, "cannot hash '%s': %s", rel,
			source_git_message());
		w->ret = -1;
		goto done;
	}
	source_add(w->s, rel, data, got, &id, false);
	data = NULL;
done:
	free(data);
	if (fd >= 0)
		close(fd);
}

/* Is the folder open at fd the work tree of another repository (a
 * submodule or a nested clone)? git records those as gitlinks. */
static bool nested_repo(int fd)
{
	struct stat st;
	return fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Adds the files of the folder open at dfd (taken over and closed) whose
 * path is in path (a buffer restored on return). */
static void walk_dir(disk_walk *w, int dfd, buf *path, unsigned depth)
{
	DIR *dir = fdopendir(dfd);
	if (!dir) {
		fail(w, "read", path->p + w->rel_off);
		close(dfd);
		return;
	}
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(dir);
		if (!de) {
			if (errno)
				fail(w, "read", path->p + w->rel_off);
			break;
		}
		const char *name = de->d_name;
		if (name[0] == '.')
			continue; /* ".", "..", .git, .gitignore, editor files */
		size_t mark = path->len;
		if (mark > w->rel_off)
			buf_putc(path, '/');
		buf_puts(path, name);
		const char *rel = path->p + w->rel_off;
		struct stat st;
		bool ign = false;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			fail(w, "read", rel);
		} else if (S_ISLNK(st.st_mode)) {
			diag_add(w->d, DIAG_WARNING, "", 0, 0, "skipping symlink '%s'", rel);
		} else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			diag_add(w->d, DIAG_WARNING, "", 0, 0,
				"skipping '%s': not a regular file", rel);
		} else if (excluded(w, rel) || ignored(w, path->p, S_ISDIR(st.st_mode), &ign) < 0
			|| ign) {
			/* left out on purpose */
		} else if (S_ISREG(st.st_mode)) {
			read_regular(w, dfd, name, rel);
		} else if (depth >= SOURCE_MAX_DEPTH) {
			diag_add(w->d, DIAG_WARNING, "", 0, 0,
				"skipping '%s': folders nested more than %d deep", rel,
				SOURCE_MAX_DEPTH);
		} else {
			int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				fail(w, "read", rel);
			} else if (w->repo && nested_repo(sub)) {
				diag_add(w->d, DIAG_WARNING, "", 0, 0, "skipping submodule '%s'", rel);
				close(sub);
			} else {
				walk_dir(w, sub, path, depth + 1);
			}
		}
		buf_truncate(path, mark);
	}
	closedir(dir);
}

static char *normalise_exclude(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (p[0] == '/')
		p++;
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	return n ? xstrndup(p, n) : NULL;
}

int source_read_disk(source *s, const char *dir, git_repository *repo,
	const char *git_prefix, const char *const *exclude, diag_list *d)
{
	disk_walk w = { s, repo, NULL, NULL, 0, d, 0, 0 };
	buf path = BUF_INIT;

	for (size_t i = 0; exclude && exclude[i]; i++) {
		char *e = normalise_exclude(exclude[i]);
		if (!e)
			continue;
		w.exclude = xrealloc(w.exclude, (w.n_exclude + 1) * sizeof *w.exclude);
		w.exclude[w.n_exclude++] = e;
	}
	if (repo && git_repository_index(&w.index, repo) < 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read the index: %s",
			source_git_message());
		w.ret = -1;
		goto done;
	}
	if (git_prefix[0]) {
		buf_puts(&path, git_prefix);
		buf_putc(&path, '/');
	}
	w.rel_off = path.len;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		fail(&w, "read", dir);
		goto done;
	}
	walk_dir(&w, fd, &path, 0);
done:
	for (size_t i = 0; i < w.n_exclude; i++)
		free(w.exclude[i]);
	free(w.exclude);
	git_index_free(w.index);
	buf_release(&path);
	return w.ret;
}
