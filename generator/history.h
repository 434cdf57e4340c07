/*
 * history: what git knows about each file of the content (when it was
 * first committed, when it last changed, who changed it) and the latest
 * commits that touched the content.
 *
 * It comes from ONE walk over the commits, oldest first, comparing trees
 * by their ids and descending only into folders whose id changed
 * (source_history.c; libgit2's general diff is many times slower on long
 * histories). The state of the walk is cached keyed by the last commit
 * walked, so the next build walks only the new commits. Renames (a blob
 * deleted and added under another path in one commit) carry a file's
 * history over; a file deleted and added again keeps its history, as
 * `git log -- path` shows it.
 *
 * Authors are the commits' authors, resolved through the repository's
 * .mailmap; times are author times with their time zone, so the same
 * commit always gives the same dates whatever the machine's clock or TZ.
 */
#ifndef ENQUIRE_HISTORY_H
#define ENQUIRE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "source.h"

typedef struct {
	int64_t time; /* seconds since the epoch */
	int offset; /* the author's time zone, minutes east of UTC */
} history_time;

typedef struct {
	const char *path; /* relative to the content root */
	history_time first, last;
	const char **authors; /* names after .mailmap, in order of first
	                         contribution (then by name) */
	size_t nauthors;
} history_file;

typedef struct {
	char id[41];
	history_time time;
	const char *author; /* name after .mailmap */
	const char *summary; /* first line of the message */
	const char **paths; /* content paths it changed, in tree order */
	bool *deleted; /* per path: removed by this commit */
	size_t npaths;
} history_commit;

typedef struct {
	/* Where to keep the cache (created if missing); NULL: no cache. */
	const char *cache_dir;
	size_t recent; /* how many recent commits to keep */
	/* For files of the work tree that differ from HEAD (--worktree):
	 * the time they count as changed (SOURCE_DATE_EPOCH or now). */
	int64_t now;
} history_options;

#define HISTORY_OPTIONS_INIT { NULL, 30, 0 }

typedef struct history history;

/*
 * Reads the history of src's commit (or HEAD, for --worktree) below its
 * root. Returns the history (free with history_free), or NULL when there
 * is none to read: a disk source, an unborn branch or a shallow clone
 * (with a warning in d: dates then come from front matter). A cache that
 * is corrupt, of another version or not an ancestor is ignored.
 */
history *history_load(const source *src, const history_options *o,
	diag_list *d);
void history_free(history *h);

/* The file at path (relative to the root), or NULL when git has no
 * history for it. Thread-safe (read-only). */
const history_file *history_find(const history *h, const char *path);
/* Commits that changed the content, newest first. */
size_t history_recent_count(const history *h);
const history_commit *history_recent_at(const history *h, size_t i);
/* How many commits this load walked (the rest came from the cache). */
size_t history_walked(const history *h);

/* Room for either format (far-off years take more digits). */
#define HISTORY_TIME_SIZE 64
/* "2024-03-01T10:00:00+01:00" (RFC 3339) into out[HISTORY_TIME_SIZE]. */
void history_rfc3339(history_time t, char *out);
/* "2024-03-01", in the author's time zone, into out[HISTORY_TIME_SIZE]. */
void history_date(history_time t, char *out);

#endif
