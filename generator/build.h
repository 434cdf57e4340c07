/*
 * build: the pipeline, stage by stage:
 *
 *   source (git commit) -> model (parse, validate, link) -> theme
 *   -> pages (plan, data) -> mustache (render) -> output (atomic swap)
 *
 * `check` runs the first two stages; `build` runs them all and writes
 * nothing unless every stage succeeded.
 */
#ifndef ENQUIRE_BUILD_H
#define ENQUIRE_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct {
	const char *root; /* the content root (a folder with site.yaml) */
	const char *out; /* the output folder */
	const char *ref; /* NULL: HEAD */
	const char *themes_dir; /* NULL: theme_default_dir() */
	bool worktree; /* read files on disk, not the commit */
	bool drafts; /* include status: draft */
	bool internal; /* include visibility: internal (--profile internal) */
	unsigned threads; /* 0: one per processor */
} build_options;

#define BUILD_OPTIONS_INIT { ".", "_site", NULL, NULL, false, false, false, 0 }

typedef struct {
	size_t pages; /* rendered pages */
	size_t files; /* copied files (static files and assets) */
	size_t bytes; /* bytes written */
	char *source; /* where the content came from (source_describe) */
} build_stats;

/* Loads and validates the content; every problem goes to d. Returns 0
 * when there were no errors. */
int build_check(const build_options *o, diag_list *d);
/* Builds the site into o->out. Returns 0 on success; on any error the
 * previous output is left as it was. Fills st (release with
 * build_stats_release). */
int build_site(const build_options *o, diag_list *d, build_stats *st);
void build_stats_release(build_stats *st);

#endif
