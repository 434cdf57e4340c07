/*
 * output: writing a site atomically.
 *
 * Files go into a fresh folder beside the output folder
 * ("_site.tmp-XXXXXX"); output_commit swaps it in only once the whole
 * build succeeded, so a failed build leaves the previous site as it was.
 * Paths are checked: nothing is ever written outside the output folder.
 * An existing output folder is replaced only if an earlier enquire build
 * made it (it holds the marker file OUTPUT_MARKER) or it is empty, so a
 * mistyped --out cannot wipe a folder of someone's files.
 *
 * A rebuild over a site the last build's manifest still describes runs
 * in update mode (output_update) instead: the staging folder receives
 * only new and changed files, unchanged files stay where they are, and
 * output_commit moves the staged files into the site one by one, so a
 * rebuild costs what changed, not the size of the site. The site's seal
 * file is removed before the first change and written back after the
 * last, so a build that dies in between leaves a site without a seal,
 * which the next build does not trust: it builds in full. Files in the
 * site that no build wrote are left alone in update mode.
 */
#ifndef ENQUIRE_OUTPUT_H
#define ENQUIRE_OUTPUT_H

#include <stddef.h>

#include "diag.h"

#define OUTPUT_MARKER ".enquire-site"

typedef struct output output;

/* Starts writing a site that will replace dir. Returns NULL after adding
 * an error to d (dir is not ours to replace, cannot create the folder). */
output *output_open(const char *dir, diag_list *d);
/* Writes data to path (relative, '/'-separated, no ".." parts), creating
 * folders as needed. Thread-safe. Returns 0, or -1 after an error. */
int output_write(output *o, const char *path, const void *data, size_t n,
	diag_list *d);
/* Puts the file at path of the site being replaced (the current dir)
 * into the new site as a hard link: same bytes, same inode, no write.
 * Thread-safe. Returns 0, or -1 (no such file, another file system) and
 * the caller writes the file instead. */
int output_link_old(output *o, const char *path);
/* The same, for the old site's file at old_path put at path. */
int output_link_old_as(output *o, const char *old_path, const char *path);
/* Update mode, for a site that an earlier build wrote whole and whose
 * file seal says so (the caller checked it): call before the first
 * write. From then on output_link_old leaves an unchanged file in the
 * site (0 if it is there as a regular file) and output_link_old_as with
 * another name links it into the staging folder. */
void output_update(output *o, const char *seal);
/* Update mode: the site's file at path is not part of the new site;
 * commit removes it, and its folders once empty. Not thread-safe. */
void output_remove_old(output *o, const char *path);
/* Swaps the new site in for the old (update mode: moves the staged files
 * into it) and frees o. Returns 0 or -1. A failed update-mode commit
 * may leave the site half updated, but without its seal. */
int output_commit(output *o, diag_list *d);
/* Removes the unfinished site and frees o (NULL is fine). */
void output_abort(output *o);

/* Removes the staging and old-site folders of dir ("<dir>.tmp-XXXXXX",
 * "<dir>.old-XXXXXX") that a build killed half way left behind. Only for
 * a caller that holds the cache lock (cachelock.h): no other build of dir
 * can then be writing them. */
void output_clean_leftovers(const char *dir);

/* Is path a safe relative output path (no "..", no leading '/', no empty
 * or "." parts, no backslashes)? */
int output_path_ok(const char *path);

#endif
