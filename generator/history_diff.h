/*
 * history_diff: which files differ between two trees, compared by entry
 * ids without reading equal subtrees (part of the source module: it
 * includes libgit2 through source_internal.h). Used by the history walk.
 */
#ifndef ENQUIRE_HISTORY_DIFF_H
#define ENQUIRE_HISTORY_DIFF_H

#include <stdbool.h>

#include "source_internal.h"
#include "util.h"

typedef struct {
	char *path;
	git_oid old_id, new_id;
	bool has_old, has_new;
} change;

typedef struct {
	git_repository *repo;
	change *items;
	size_t n, cap;
	int error;
} changes;

/* Adds the files that differ between trees o and n (either may be NULL)
 * below path (a buffer of the folder's path; depth 0 at the root). Equal
 * ids are skipped without reading them. Sets c->error on a read failure. */
void history_diff_trees(changes *c, const git_tree *o, const git_tree *n,
	buf *path, unsigned depth);
/* Forgets the changes found so far (keeps the allocation). */
void history_changes_clear(changes *c);
bool history_is_tree(const git_tree_entry *e);
bool history_is_file(const git_tree_entry *e);

#endif
