/*
 * output's internals, shared by output.c (writing, the fresh-folder swap)
 * and output_update.c (a rebuild committed in place).
 */
#ifndef ENQUIRE_OUTPUT_INT_H
#define ENQUIRE_OUTPUT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "output.h"

struct output {
	char *dir; /* the output folder as given */
	char *tmp; /* where this build writes */
	/* Update mode (output_update): the site's file that says it is
	 * whole; NULL in a full build. */
	char *seal;
	char **gone; /* update mode: the old site's files to remove */
	size_t ngone, gonecap;
};

struct dirent;

/* Is the entry e of the folder dirfd a folder (not a symlink to one)? */
bool output_is_dir_at(int dirfd, const struct dirent *e);
/* Is name "." or ".."? */
bool output_dot_or_dotdot(const char *name);
/* dir + "/" + the first n bytes of path; the caller frees it. */
char *output_join(const char *dir, const char *path, size_t n);
/* Makes the folders of path (relative) under base. Returns 0 or -1. */
int output_make_parents(const char *base, const char *path);
/* Removes path and everything below it (never following symlinks). */
int output_remove_tree(const char *path);
/* Update mode's commit: moves the staged files into the site, removes
 * the gone ones, puts the seal back last. Returns 0 or -1 after adding
 * an error to d. Does not free o. */
int output_commit_update(output *o, diag_list *d);

#endif
