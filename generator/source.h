/*
 * source: the files of a knowledge base, read from a git commit (the only
 * module that includes <git2.h>).
 *
 * The default reads the tree of a commit under ROOT's path from the
 * object database, never from the disk, so what is published is exactly
 * what was committed. --worktree reads the files on disk instead
 * (uncommitted changes included, ignored files left out). A ROOT outside
 * any repository is read from disk with a warning. Symlinks and submodules
 * are skipped with a warning, never followed. Names starting with "." are
 * skipped (.git, .github, editor files).
 */
#ifndef ENQUIRE_SOURCE_H
#define ENQUIRE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum {
	SOURCE_COMMIT, /* a commit's tree, through libgit2 */
	SOURCE_WORKTREE, /* files on disk of a repository's work tree */
	SOURCE_DISK, /* files on disk, no repository */
} source_mode;

typedef struct {
	/* A ref, branch, tag or commit id; NULL means "HEAD". Ignored with
	 * worktree; outside a repository anything but NULL or "HEAD" is an
	 * error. */
	const char *ref;
	bool worktree; /* read the files on disk */
	/* Folders (relative to the root) not to read in the disk modes, for
	 * the output folder when it lies inside the root. NULL-terminated. */
	const char *const *exclude;
	/* The build's cache folder, or NULL (--no-cache, check): in commit
	 * mode the bytes of blobs are kept there by id, so a rebuild reads
	 * from the object database only the blobs it has not seen. */
	const char *cache_dir;
} source_options;

#define SOURCE_OPTIONS_INIT { NULL, false, NULL, NULL }

#define SOURCE_MAX_FILE_SIZE (10u * 1024 * 1024)

typedef struct {
	const char *path; /* relative to the root, '/'-separated: "case-studies/x.md" */
	const char *data; /* NUL-terminated (the NUL is not counted in size) */
	size_t size;
	char id[41]; /* the git blob id, hex; in the disk modes, the id git
	                would give these bytes ("" for a too_large file there:
	                it is not read) */
	bool too_large; /* over SOURCE_MAX_FILE_SIZE: data is NULL, size real */
} source_file;

typedef struct source source;

/*
 * Opens ROOT (a folder path) and reads every file below it into memory.
 * The repository is found by searching upward from ROOT, stopping at
 * GIT_CEILING_DIRECTORIES like git. In commit mode ROOT need not exist on
 * disk: "site.git" is the top of a bare repository's tree and
 * "site.git/content" its content/ folder; a folder that exists only at
 * --ref is read too.
 * Returns 0 and *out (the caller frees it with source_free), or -1 after
 * adding errors to d (no repository at --ref, a ROOT that is not in the
 * commit, I/O errors). Warnings (symlinks, no repository) go to d too.
 */
int source_open(source **out, const char *root, const source_options *opts,
	diag_list *d);
void source_free(source *s);

source_mode source_get_mode(const source *s);
/* Files sorted by path (bytewise), so every build sees the same order. */
size_t source_count(const source *s);
const source_file *source_at(const source *s, size_t i);
/* The file at exactly path, or NULL (a binary search). */
const source_file *source_find(const source *s, const char *path);
/* Frees the bytes of f (a file of s): its data becomes NULL. For memory:
 * once every stage that reads a file is done with it (build.c drops the
 * Markdown of documents after the plugins ran). */
void source_release_data(source *s, const source_file *f);
/* Hex id of the commit read (SOURCE_COMMIT mode) or of HEAD (worktree
 * mode; NULL for an unborn branch); NULL in disk mode. */
const char *source_commit_id(const source *s);
/* The commit's committer time in seconds since the epoch, or 0. */
int64_t source_commit_time(const source *s);
/* A human name for where files came from, for messages:
 * "commit 1a2b3c4 (HEAD)" (with the ref as given), "work tree of
 * /path/to/repo", "disk". */
const char *source_describe(const source *s);

#endif
