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
/* Swaps the new site in for the old and frees o. Returns 0 or -1. */
int output_commit(output *o, diag_list *d);
/* Removes the unfinished site and frees o (NULL is fine). */
void output_abort(output *o);

/* Is path a safe relative output path (no "..", no leading '/', no empty
 * or "." parts, no backslashes)? */
int output_path_ok(const char *path);

#endif
