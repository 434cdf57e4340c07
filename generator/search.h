/*
 * search: the site's full-text search index, built from the model during
 * the build and queried in the browser by the theme's search.js.
 *
 * Every published page that has content is a search document: case
 * studies, enquiries, dissemination items, free pages, claims and
 * alliances. The index is a set of static files under search/ (format in
 * docs/search.md): a small manifest, word shards (folded surface words to
 * stems), posting shards (stems to documents with a BM25 weight), pair
 * shards (adjacent stems, for phrase queries), the facet lists and one
 * small fragment per document. A query downloads only the shards of its
 * words and the fragments of the results it shows.
 *
 * The same model gives the same bytes, whatever the number of threads.
 */
#ifndef ENQUIRE_SEARCH_H
#define ENQUIRE_SEARCH_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

typedef struct {
	size_t docs; /* documents indexed */
	size_t files; /* files written */
	size_t bytes; /* their total size, before compression */
} search_stats;

/* Where the index's files go (paths relative to the site root). Both
 * are called from several threads at once. key identifies a file's
 * bytes before they are made (a hash of its contents and of how they are
 * compressed), so a file the last build wrote can be reused without
 * compressing it again. */
typedef struct {
	/* Writes a file. Returns 0, or -1 after adding an error to the
	 * build's diagnostics. */
	int (*put)(void *ctx, const char *path, const void *data, size_t n,
		unsigned long long key);
	/* Puts at path the file the last build wrote with the same key
	 * (under any name): 0 when it did, -1 to have put called. May be
	 * NULL. */
	int (*reuse)(void *ctx, const char *path, unsigned long long key);
	void *ctx;
} search_output;

/* Indexes m and hands every file of the index (under search/) to out.
 * cache_dir, unless NULL, holds the documents' tokens between builds
 * (created by the caller), so unchanged documents are not tokenised
 * again. Returns 0, or -1 when put failed or an error was added to d. */
int search_write_index(const model *m, const search_output *out,
	unsigned threads, const char *cache_dir, search_stats *st,
	diag_list *d);

#endif
