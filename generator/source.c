/*
 * source: the first stage of a build. Finds the repository holding ROOT and
 * loads the files under ROOT into memory, from a commit's tree (default),
 * from the work tree (--worktree) or, outside any repository, from disk.
 *
 * Invariants: once source_open returns, nothing else touches libgit2 or the
 * disk for content; files are sorted bytewise by path, paths are relative
 * to ROOT with no "." or ".." component, and every name starting with "."
 * is left out.
 */
#include "source_internal.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static pthread_once_t git_once = PTHREAD_ONCE_INIT;

static void git_shutdown(void)
{
	git_libgit2_shutdown();
}

/* libgit2 stays initialised for the life of the process: sources may be
 * opened from several threads and at any time (enquire serve). */
static void git_init(void)
{
	git_libgit2_init();
	atexit(git_shutdown);
}

const char *source_git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

void source_add(source *s, const char *path, char *data, size_t size,
	const git_oid *id, bool too_large)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->files = xrealloc(s->files, s->cap * sizeof *s->files);
	}
	source_entry *e = &s->files[s->n];
	memset(e, 0, sizeof *e);
	e->f.path = xstrdup(path);
	e->f.data = data;
	e->f.size = size;
	e->f.too_large = too_large;
	if (id)
		git_oid_tostr(e->f.id, sizeof e->f.id, id);
	e->seq = s->n++;
}

static int cmp_entry(const void *a, const void *b)
{
	const source_entry *x = a, *y = b;
	int c = strcmp(x->f.path, y->f.path);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* source_file's pointers are const for its readers; s owns them. */
static void free_entry(source_entry *e)
{
	free((void *)(uintptr_t)e->f.path);
	if (!e->borrowed)
		free((void *)(uintptr_t)e->f.data);
}

/* Sorts the files and drops repeated paths, which only a hand-made tree
 * object can hold; the first one read wins. */
static void sort_files(source *s, diag_list *d)
{
	if (s->n > 1)
		qsort(s->files, s->n, sizeof *s->files, cmp_entry);
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (out && strcmp(s->files[out - 1].f.path, s->files[i].f.path) == 0) {
			diag_add(d, DIAG_WARNING, "", 0, 0,
				"skipping repeated file '%s'", s->files[i].f.path);
			free_entry(&s->files[i]);
			continue;
		}
		s->files[out++] = s->files[i];
	}
	s->n = out;
}

/* The rest of path below base, or NULL when path is not base or below it.
 * Both are real paths (absolute, no trailing '/' except for "/"). */
static const char *path_below(const char *base, const char *path)
{
	size_t n = strlen(base);
	if (strcmp(base, "/") == 0)
		return path + 1;
	if (strncmp(path, base, n) != 0)
		return NULL;
	if (path[n] == '\0')
		return path + n;
	return path[n] == '/' ? path + n + 1 : NULL;
}

/*
 * Splits ROOT into *real, the real path of its deepest folder that exists,
 * and *rest, the components below it that do not exist ("" when ROOT
 * exists), so that "site.git/content" can name a folder of a bare
 * repository's tree. Returns 0, or -1 after adding an error to d.
 */
static int resolve_root(const char *root, char **real, char **rest, diag_list *d)
{
	int ret = -1;
	char *dir = xstrdup(root);
	buf tail = BUF_INIT;
	size_t n = strlen(dir);
	*real = NULL;
	*rest = NULL;
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	for (;;) {
		char *r = realpath(dir[0] ? dir : ".", NULL);
		if (r) {
			struct stat st;
			if (stat(r, &st) != 0 || !S_ISDIR(st.st_mode)) {
				free(r);
				diag_add(d, DIAG_ERROR, "", 0, 0, tail.len
						? "'%s' does not exist" : "'%s' is not a folder", root);
				goto done;
			}
			*real = r;
			break;
		}
		if ((errno != ENOENT && errno != ENOTDIR) || dir[0] == '\0') {
			diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read '%s': %s", root,
				strerror(errno));
			goto done;
		}
		char *slash = strrchr(dir, '/');
		char *name = slash ? slash + 1 : dir;
		if (strcmp(name, "..") == 0 || (slash == dir && name[0] == '\0')) {
			diag_add(d, DIAG_ERROR, "", 0, 0, "'%s' does not exist", root);
			goto done;
		}
		if (name[0] && strcmp(name, ".") != 0) {
			buf next = BUF_INIT;
			buf_puts(&next, name);
			if (tail.len)
				buf_putc(&next, '/');
			buf_put(&next, tail.p, tail.len);
			buf_release(&tail);
			tail = next;
		}
		if (slash == dir)
			dir[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			dir[0] = '\0';
	}
	*rest = buf_detach(&tail);
	ret = 0;
done:
	buf_release(&tail);
	free(dir);
	return ret;
}

/* The repository's folder for messages: its work tree, or the repository
 * itself when bare, without the trailing '/'. The caller frees it. */
static char *repo_name(git_repository *repo)
{
	const char *p = git_repository_workdir(repo);
	if (!p)
		p = git_repository_path(repo);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	return xstrndup(p, n);
}

/* Finds the repository holding dir, searching upward the way git does
 * (honouring GIT_CEILING_DIRECTORIES). Returns 1 and *repo, 0 when there
 * is none, or -1 after adding an error to d. */
static int find_repo(git_repository **repo, const char *dir, const char *root,
	diag_list *d)
{
	int rc = git_repository_open_ext(repo, dir, 0,
		getenv("GIT_CEILING_DIRECTORIES"));
	if (rc == 0)
		return 1;
	*repo = NULL;
	if (rc == GIT_ENOTFOUND)
		return 0;
	diag_add(d, DIAG_ERROR, "", 0, 0, "cannot open the repository of '%s': %s",
		root, source_git_message());
	return -1;
}

/* Resolves ref (NULL: HEAD) to a commit. Returns 0, or -1 after adding an
 * error to d. */
static int resolve_commit(git_commit **out, git_repository *repo, const char *ref,
	diag_list *d)
{
	git_object *obj = NULL;
	int ret = -1;
	*out = NULL;
	if (!ref)
		ref = "HEAD";
	if (strcmp(ref, "HEAD") == 0 && git_repository_head_unborn(repo) == 1) {
		char *name = repo_name(repo);
		diag_add(d, DIAG_ERROR, "", 0, 0,
			"no commits yet in '%s'; commit the content or use --worktree", name);
		free(name);
		return -1;
	}
	int rc = git_revparse_single(&obj, repo, ref);
	if (rc == GIT_ENOTFOUND) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "unknown ref '%s'", ref);
		goto done;
	}
	if (rc == GIT_EAMBIGUOUS) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "ambiguous ref '%s'", ref);
		goto done;
	}
	if (rc == GIT_EINVALIDSPEC) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "invalid ref '%s'", ref);
		goto done;
	}
	if (rc < 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot resolve ref '%s': %s", ref,
			source_git_message());
		goto done;
	}
	if (git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT) < 0) {
		*out = NULL;
		diag_add(d, DIAG_ERROR, "", 0, 0, "ref '%s' does not name a commit", ref);
		goto done;
	}
	ret = 0;
done:
	git_object_free(obj);
	return ret;
}

typedef struct {
	source *s;
	git_repository *repo;
	diag_list *d;
	const char *short_id;
	int ret;
	source_blobs blobs; /* read once the walk is done */
} tree_walk;

static bool valid_name(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") != 0
		&& strcmp(name, "..") != 0;
}

/* Adds the blobs of tree below path (a buffer restored on return). */
static void walk_tree(tree_walk *w, const git_tree *tree, buf *path, unsigned depth)
{
	size_t count = git_tree_entrycount(tree);
	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		size_t mark = path->len;
		if (mark)
			buf_putc(path, '/');
		buf_puts(path, name);
		if (!valid_name(name)) {
			diag_add(w->d, DIAG_WARNING, "", 0, 0,
				"skipping invalid file name '%s'", path->p);
		} else if (name[0] == '.') {
			/* .git*, .github, editor files: never content */
		} else {
			switch (git_tree_entry_filemode(e)) {
			case GIT_FILEMODE_BLOB:
			case GIT_FILEMODE_BLOB_EXECUTABLE:
				source_blobs_add(&w->blobs, path->p,
					git_tree_entry_id(e));
				break;
			case GIT_FILEMODE_TREE: {
				git_tree *sub = NULL;
				if (depth >= SOURCE_MAX_DEPTH) {
					diag_add(w->d, DIAG_WARNING, "", 0, 0,
						"skipping '%s': folders nested more than %d deep",
						path->p, SOURCE_MAX_DEPTH);
				} else if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
					diag_add(w->d, DIAG_ERROR, "", 0, 0,
						"cannot read '%s' from commit %s: %s", path->p,
						w->short_id, source_git_message());
					w->ret = -1;
				} else {
					walk_tree(w, sub, path, depth + 1);
					git_tree_free(sub);
				}
				break;
			}
			case GIT_FILEMODE_LINK:
				diag_add(w->d, DIAG_WARNING, "", 0, 0, "skipping symlink '%s'", path->p);
				break;
			case GIT_FILEMODE_COMMIT:
				diag_add(w->d, DIAG_WARNING, "", 0, 0, "skipping submodule '%s'", path->p);
				break;
			default:
				diag_add(w->d, DIAG_WARNING, "", 0, 0,
					"skipping '%s': unknown file mode %o", path->p,
					(unsigned)git_tree_entry_filemode_raw(e));
				break;
			}
		}
		buf_truncate(path, mark);
	}
}

/* Reads the tree of the commit at ref under git_prefix. on_disk says
 * whether ROOT is a folder of the work tree (then --worktree could read it
 * even when it is not committed). */
static int read_commit(source *s, git_repository *repo, const char *root,
	const char *git_prefix, const char *ref, bool on_disk, diag_list *d)
{
	git_commit *commit = NULL;
	git_tree *top = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	buf path = BUF_INIT;
	tree_walk w = { s, repo, d, NULL, 0, { NULL, 0, 0 } };
	char short_id[8];
	int ret = -1;

	if (resolve_commit(&commit, repo, ref, d) < 0)
		goto done;
	s->has_commit = true;
	git_oid_tostr(s->commit_id, sizeof s->commit_id, git_commit_id(commit));
	s->commit_time = git_commit_time(commit);
	memcpy(short_id, s->commit_id, 7);
	short_id[7] = '\0';
	w.short_id = short_id;
	s->describe = xasprintf("commit %s (%s)", short_id, ref ? ref : "HEAD");

	if (git_commit_tree(&top, commit) < 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read commit %s: %s", short_id,
			source_git_message());
		goto done;
	}
	const git_tree *tree = top;
	if (git_prefix[0]) {
		int rc = git_tree_entry_bypath(&entry, top, git_prefix);
		if (rc == 0 && git_tree_entry_type(entry) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&sub, repo, git_tree_entry_id(entry));
		else if (rc == 0)
			rc = GIT_ENOTFOUND;
		if (rc == GIT_ENOTFOUND) {
			diag_add(d, DIAG_ERROR, "", 0, 0, on_disk
					? "'%s' is not in commit %s; commit it or use --worktree"
					: "'%s' is not in commit %s", root, short_id);
			goto done;
		}
		if (rc < 0) {
			diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read '%s' from commit %s: %s",
				root, short_id, source_git_message());
			goto done;
		}
		tree = sub;
	}
	walk_tree(&w, tree, &path, 0);
	if (source_blobs_read(s, repo, &w.blobs, short_id, d) != 0)
		w.ret = -1;
	ret = w.ret;
done:
	for (size_t i = 0; i < w.blobs.n; i++) /* left when reading failed early */
		free(w.blobs.items[i].path);
	free(w.blobs.items);
	buf_release(&path);
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(top);
	git_commit_free(commit);
	return ret;
}

/* Records HEAD's commit, if any, for worktree mode. */
static int read_head(source *s, git_repository *repo, diag_list *d)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int unborn = git_repository_head_unborn(repo);
	if (unborn == 1)
		return 0;
	if (unborn < 0 || git_revparse_single(&obj, repo, "HEAD") < 0
		|| git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "cannot read HEAD: %s",
			source_git_message());
		git_object_free(obj);
		return -1;
	}
	s->has_commit = true;
	git_oid_tostr(s->commit_id, sizeof s->commit_id, git_commit_id(commit));
	s->commit_time = git_commit_time(commit);
	git_commit_free(commit);
	git_object_free(obj);
	return 0;
}

/* Opens ROOT inside repo: works out its path in the repository's tree and
 * reads either the commit or the work tree. */
static int open_in_repo(source *s, git_repository *repo, const char *root,
	const char *real, const char *rest, const source_options *opts, diag_list *d)
{
	char *top = NULL, *name = repo_name(repo);
	buf prefix = BUF_INIT;
	int ret = -1;
	bool bare = git_repository_is_bare(repo);
	const char *dir = bare ? git_repository_path(repo) : git_repository_workdir(repo);

	top = realpath(dir, NULL);
	const char *below = top ? path_below(top, real) : NULL;
	if (!below) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "'%s' is not inside '%s'", root, name);
		goto done;
	}
	/* For a bare repository, the repository folder stands for the top of
	 * its tree ("site.git/content" names the tree's content/). */
	buf_puts(&prefix, below);
	if (rest[0]) {
		if (prefix.len)
			buf_putc(&prefix, '/');
		buf_puts(&prefix, rest);
	}
	s->gitdir = xstrdup(git_repository_path(repo));
	s->git_prefix = xstrdup(prefix.p);
	if (opts->worktree) {
		if (bare) {
			diag_add(d, DIAG_ERROR, "", 0, 0,
				"'%s' is a bare repository, which has no work tree to read", name);
			goto done;
		}
		if (rest[0]) {
			diag_add(d, DIAG_ERROR, "", 0, 0, "'%s' does not exist", root);
			goto done;
		}
		s->mode = SOURCE_WORKTREE;
		s->describe = xasprintf("work tree of %s", name);
		if (read_head(s, repo, d) < 0)
			goto done;
		ret = source_read_disk(s, real, repo, prefix.p, opts->exclude, d);
	} else {
		s->mode = SOURCE_COMMIT;
		if (opts->cache_dir)
			s->blobs = source_blob_store_open(opts->cache_dir);
		ret = read_commit(s, repo, root, prefix.p, opts->ref, !bare && !rest[0], d);
	}
done:
	buf_release(&prefix);
	free(top);
	free(name);
	return ret;
}

int source_open(source **out, const char *root, const source_options *opts,
	diag_list *d)
{
	static const source_options defaults = SOURCE_OPTIONS_INIT;
	source *s = xcalloc(1, sizeof *s);
	git_repository *repo = NULL;
	char *real = NULL, *rest = NULL;
	int ret = -1;

	assert(out && root && d);
	*out = NULL;
	if (!opts)
		opts = &defaults;
	pthread_once(&git_once, git_init);

	if (!root[0]) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "no content folder given");
		goto done;
	}
	if (resolve_root(root, &real, &rest, d) < 0)
		goto done;
	int found = find_repo(&repo, real, root, d);
	if (found < 0)
		goto done;
	if (found) {
		ret = open_in_repo(s, repo, root, real, rest, opts, d);
		goto done;
	}
	if (rest[0]) {
		diag_add(d, DIAG_ERROR, "", 0, 0, "'%s' does not exist", root);
		goto done;
	}
	if (!opts->worktree && opts->ref && strcmp(opts->ref, "HEAD") != 0) {
		diag_add(d, DIAG_ERROR, "", 0, 0,
			"'%s' is not in a git repository, so there is no ref '%s'", root,
			opts->ref);
		goto done;
	}
	diag_add(d, DIAG_WARNING, "", 0, 0,
		"'%s' is not in a git repository; reading files from disk", root);
	s->mode = SOURCE_DISK;
	s->describe = xstrdup("disk");
	ret = source_read_disk(s, real, NULL, "", opts->exclude, d);
done:
	git_repository_free(repo);
	free(real);
	free(rest);
	if (ret < 0) {
		source_free(s);
		return -1;
	}
	sort_files(s, d);
	/* Keeps the blobs of this commit (a failed save only costs reading
	 * them from git next time). */
	kvstore_save(s->blobs);
	*out = s;
	return 0;
}

void source_free(source *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free_entry(&s->files[i]);
	free(s->files);
	free(s->describe);
	free(s->gitdir);
	free(s->git_prefix);
	kvstore_free(s->blobs); /* after the files borrowing from it */
	free(s);
}

void source_release_data(source *s, const source_file *f)
{
	/* f is the first member of its entry in s->files. */
	uintptr_t at = (uintptr_t)f, first = (uintptr_t)s->files;
	if (!f || at < first || at >= first + s->n * sizeof *s->files ||
		(at - first) % sizeof *s->files)
		return; /* not a file of s */
	source_entry *e = &s->files[(at - first) / sizeof *s->files];
	if (e->borrowed)
		kvstore_forget(e->f.data, e->f.size);
	else
		free((void *)(uintptr_t)e->f.data);
	e->f.data = NULL;
}

source_mode source_get_mode(const source *s)
{
	return s->mode;
}

size_t source_count(const source *s)
{
	return s->n;
}

const source_file *source_at(const source *s, size_t i)
{
	assert(i < s->n);
	return &s->files[i].f;
}

const source_file *source_find(const source *s, const char *path)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->files[mid].f.path, path);
		if (c == 0)
			return &s->files[mid].f;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *source_commit_id(const source *s)
{
	return s->has_commit ? s->commit_id : NULL;
}

int64_t source_commit_time(const source *s)
{
	return s->commit_time;
}

const char *source_describe(const source *s)
{
	return s->describe;
}
