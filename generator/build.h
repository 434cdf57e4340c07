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
#include <stdint.h>

#include "diag.h"

struct source;

typedef struct {
	const char *root; /* the content root (a folder with site.yaml) */
	const char *out; /* the output folder */
	const char *ref; /* NULL: HEAD */
	const char *themes_dir; /* NULL: theme_default_dir() */
	bool worktree; /* read files on disk, not the commit */
	bool drafts; /* include status: draft */
	bool internal; /* include visibility: internal (--profile internal) */
	unsigned threads; /* 0: one per processor */
	bool no_cache; /* --no-cache: neither read nor write the cache */
	bool progress; /* pages done / total on stderr (main: a terminal) */
	bool quiet; /* --quiet: diagnostics only (no "waiting" notice) */
} build_options;

#define ENQUIRE_VERSION "0.1.0"

#define BUILD_OPTIONS_INIT { ".", "_site", NULL, NULL, false, false, false, 0, false, false, \
	false }

typedef struct {
	size_t pages; /* rendered pages */
	size_t files; /* copied files (static files and assets) */
	size_t bytes; /* bytes written */
	size_t reused; /* files kept from the last build (incremental.h) */
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

/* The cache (history, incremental builds) lives in BUILD_CACHE_NAME beside
 * the output folder, or in $ENQUIRE_CACHE_DIR. The caller frees the
 * result; NULL with --no-cache. */
#define BUILD_CACHE_NAME ".enquire-cache"
char *build_cache_dir(const build_options *o);
/* The time a build stands at: the commit's time when reading a commit;
 * otherwise $SOURCE_DATE_EPOCH, else the clock (the only use of it). */
int64_t build_time(const struct source *src);

#endif
