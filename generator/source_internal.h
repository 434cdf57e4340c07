/*
 * source (internal): what source.c (repositories and commits) and
 * source_disk.c (walking folders on disk) share. Only these two files
 * include it, and with it <git2.h>.
 *
 * Invariant: every path added with source_add is relative to the content
 * root, '/'-separated, with no empty, "." or ".." component.
 */
#ifndef ENQUIRE_SOURCE_INTERNAL_H
#define ENQUIRE_SOURCE_INTERNAL_H

#include <git2.h>

#include "kvstore.h"
#include "source.h"

/* Folders nested deeper than this are skipped with a warning: it bounds
 * the recursion (and the open folders of a disk walk). */
#define SOURCE_MAX_DEPTH 100

typedef struct {
	source_file f;
	size_t seq; /* order of arrival, so duplicates resolve the same way */
	bool borrowed; /* f.data points into the blob store: not freed */
} source_entry;

struct source {
	source_mode mode;
	source_entry *files;
	size_t n, cap;
	bool has_commit;
	char commit_id[GIT_OID_HEXSZ + 1];
	int64_t commit_time;
	char *describe;
	/* For the history walk (source_history.c): the repository's git
	 * folder and ROOT's path in its tree ("" for the top); NULL in disk
	 * mode. */
	char *gitdir, *git_prefix;
	/* The blob store (commit mode with a cache folder, else NULL): file
	 * data borrowed from it stays valid until source_free, which frees
	 * it last. */
	kvstore *blobs;
};

/* Takes ownership of data (malloc'd, NUL-terminated, or NULL when
 * too_large); copies path. id may be NULL (then the id is empty). */
void source_add(source *s, const char *path, char *data, size_t size,
	const git_oid *id, bool too_large);

/* Blobs found by the tree walk, read afterwards on all cores
 * (source_blobs.c): inflating thousands of objects is most of a source
 * stage's time. */
typedef struct {
	char *path;
	git_oid id;
} source_blob;

typedef struct {
	source_blob *items;
	size_t n, cap;
} source_blobs;

void source_blobs_add(source_blobs *b, const char *path, const git_oid *id);
/* Opens the blob store of cache folder dir. */
kvstore *source_blob_store_open(const char *dir);
/* Reads every blob of b into s (in b's order) and releases b: from the
 * blob store s->blobs when it has them (borrowed, no copy), else from
 * the object database (and put into the store). Returns 0, or -1 after
 * adding errors to d (describe names the commit in them). */
int source_blobs_read(source *s, git_repository *repo, source_blobs *b,
	const char *describe, diag_list *d);

/* The message of libgit2's last error, never NULL. */
const char *source_git_message(void);

/*
 * Adds every file below the folder dir (a real path: no symlinks) to s.
 * With repo (worktree mode), git_prefix is dir's path relative to the work
 * tree ("" for its top) and files git ignores are left out unless they
 * are tracked. exclude holds folders relative to dir (NULL-terminated, may
 * be NULL). Returns 0, or -1 after adding errors to d.
 */
int source_read_disk(source *s, const char *dir, git_repository *repo,
	const char *git_prefix, const char *const *exclude, diag_list *d);

#endif
