/*
 * incremental: builds across invocations that rewrite only what changed.
 *
 * The design. A page's bytes are a pure function of (the template set, the
 * page's template name, the page's data tree): the Mustache engine reads
 * nothing else. So each output file gets a fingerprint: a hash of its data
 * tree and template name (pages), or of its bytes (static files and
 * assets), combined with the build key (enquire's version and the
 * program's own bytes, so a new build of enquire renders everything once;
 * the theme's files, the options, and anything added with incr_key_add).
 * The manifest of the previous build (in the cache folder, keyed by the
 * output folder) maps each output file to its fingerprint. A file whose
 * fingerprint is unchanged is not rendered: the old file stays in the site
 * (update mode, output.h: same inode, same mtime, no write); every other
 * file is rendered and staged, and the files of the manifest no longer
 * written are removed, so an incremental build is byte for byte the full
 * build of the same commit. Nothing in the site changes before the whole
 * build succeeded.
 *
 * Trust. The manifest is used only when its checksum, version and build
 * key match AND the output folder still holds the build id it recorded
 * (INCR_ID_FILE): a site edited or replaced by anything else, a corrupt
 * or stale manifest, all mean a full build. --no-cache never reads or
 * writes it.
 *
 * Keyed strings. A string of page data that is a pure function of a few
 * inputs and costly to make (a chart's SVG) is made by value_string_keyed
 * with a key that hashes every one of those inputs (and a version of the
 * code that makes it); its fingerprint is that key, not its bytes. Safe
 * for the same reason as above: same key, same bytes. It lets a rebuild
 * fingerprint a page from data built without those strings
 * (pages_data_fingerprint) and build the full data only for the pages
 * whose fingerprint changed; a page the previous build did not write
 * (incr_known) is built once, in full: both trees have one fingerprint.
 *
 * Documents' parses (front matter trees, rendered Markdown) have a cache
 * of their own, keyed by their input bytes: parse_cache.h. It saves
 * parsing, not rendering, so nothing here depends on it.
 *
 * Other inputs join the cache by changing a page's data (then nothing is
 * needed) or, if they change bytes after rendering (an HTML post-process
 * plugin, a search index built from pages), through incr_key_add or by
 * fingerprinting their own output files with incr_fingerprint_bytes.
 */
#ifndef ENQUIRE_INCREMENTAL_H
#define ENQUIRE_INCREMENTAL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "value.h"

#define INCR_ID_FILE ".enquire-build"

typedef struct incr incr;

/* Starts an incremental build of out. cache_dir NULL: nothing is reused
 * or saved (a full build), but the calls below still work. */
incr *incr_new(const char *cache_dir, const char *out);
void incr_free(incr *c);

/* Adds an input to the build key; call before incr_load. */
void incr_key_add(incr *c, const void *data, size_t n);
/* Reads the previous manifest, if it can be trusted. */
void incr_load(incr *c);

unsigned long long incr_fingerprint_page(const incr *c, const char *tmpl,
	const value *data);
unsigned long long incr_fingerprint_bytes(const incr *c, const void *data,
	size_t n);
/* A fingerprint for a file known by a key of its own (a hash of what
 * makes its bytes) rather than by its bytes. */
unsigned long long incr_fingerprint_key(const incr *c, unsigned long long key);
/* Did the previous build write file with this fingerprint? Thread-safe. */
bool incr_same(const incr *c, const char *file, unsigned long long fp);
/* Did the previous build write file at all? Thread-safe. */
bool incr_known(const incr *c, const char *file);
/* The same, and with what fingerprint (in *fp): one look-up for both
 * questions. Thread-safe. */
bool incr_old_fingerprint(const incr *c, const char *file,
	unsigned long long *fp);
/* A file the previous build wrote with fingerprint fp, under any name,
 * or NULL; valid until c is freed. Thread-safe. */
const char *incr_old_file(incr *c, unsigned long long fp);
/* Records file's fingerprint for the next build. Thread-safe. */
void incr_record(incr *c, const char *file, unsigned long long fp);

/* Was the previous manifest read and trusted (incr_load)? Then the site
 * is exactly what it lists, and can be updated in place (output.h). */
bool incr_trusted(const incr *c);
/* The files recorded, written into a fresh folder, would have collided
 * (one path twice, a file where another's folder is)? Adds the error to
 * d and returns -1; else 0. Update mode needs it: an unchanged file is
 * not written again, so nothing else would notice. Call once every file
 * is recorded. */
int incr_check_paths(incr *c, diag_list *d);
/* Calls fn for each file of the previous manifest that was not recorded
 * this time (in path order). Call once every file is recorded. */
void incr_each_gone(incr *c, void (*fn)(void *ctx, const char *file),
	void *ctx);
/* The build id of the files recorded: the contents of INCR_ID_FILE. The
 * caller frees it. The same files give the same id, so a full and an
 * incremental build of one commit are identical. */
char *incr_build_id(incr *c);
/* Saves the manifest; call once the new site is in place. */
void incr_save(incr *c);
/* How many files were reused (linked) and written. */
void incr_count(incr *c, bool reused);
size_t incr_reused(const incr *c);

#endif
