/*
 * parse_cache: document parses kept across builds, so a rebuild after a
 * one-file commit parses one document instead of every one.
 *
 * A front matter's value tree is a pure function of its bytes and first
 * line; a body's markdown_doc of its bytes and the Markdown flags; both of
 * enquire's and the libraries' versions (and of the program's bytes, so a
 * development build with changed parsers starts afresh). Each result is
 * stored under a 128-bit hash of those inputs (kept only if the parse
 * added no diagnostic), in a kvstore (kvstore.h) at
 * <cache dir>/parse-cache, whose validity is a hash of those versions and
 * of the program. Lookups take no lock and borrow from the mapped store;
 * a miss's result is encoded and put into the store's new segment as it
 * is made; parse_cache_save, after a successful build, writes the index:
 * only what this build used or made is kept, and the save costs about
 * what changed.
 *
 * Ownership: a hit's nodes and heading array come from the caller's arena,
 * but its strings (scalar text, map keys, the markdown_doc's strings, with
 * borrowed set) point into the mapped store, so the cache must be freed
 * after every value and markdown_doc it returned.
 */
#ifndef ENQUIRE_PARSE_CACHE_H
#define ENQUIRE_PARSE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "markdown.h"
#include "value.h"

#define PARSE_CACHE_FILE "parse-cache"

typedef struct parse_cache parse_cache;

/* Opens the cache of folder dir for a build of enquire version. dir NULL
 * (--no-cache) gives NULL, which every function below accepts: then they
 * parse as yaml_parse and markdown_render do, and save nothing. Free the
 * result with parse_cache_free. */
parse_cache *parse_cache_open(const char *dir, const char *version);
void parse_cache_free(parse_cache *pc);

/* yaml_parse, or its cached result. Thread-safe. */
value *parse_cache_yaml(parse_cache *pc, arena *a, const char *text,
	size_t len, const char *path, unsigned first_line, diag_list *d);
/* markdown_render, or its cached result. Thread-safe. */
void parse_cache_markdown(parse_cache *pc, arena *a, const char *text,
	size_t len, unsigned flags, markdown_doc *out);

/* Keeps the entries this build used or made, writing only what differs
 * from the store read. Returns 0, or -1 when it could not be written (the
 * old store then stays). Call once. */
int parse_cache_save(parse_cache *pc);

/* How many lookups were found and missed (for ENQUIRE_TIMING). */
void parse_cache_stats(const parse_cache *pc, size_t *hits, size_t *misses);

#endif
