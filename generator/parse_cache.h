/*
 * parse_cache: document parses kept across builds, so a rebuild after a
 * one-file commit parses one document instead of every one.
 *
 * A front matter's value tree is a pure function of its bytes and first
 * line; a body's markdown_doc of its bytes and the Markdown flags; both of
 * enquire's and the libraries' versions (and of the program's bytes, so a
 * development build with changed parsers starts afresh). Each result is
 * stored under a 128-bit hash of those inputs (kept only if the parse
 * added no diagnostic), in one file, <cache dir>/parse-cache:
 *
 *     header   "ENQPARSE", u32 format version, u32 0, u64 key (versions,
 *              program)
 *     entries  u8 kind, 3 zero bytes, u32 payload size, u64 key[2], payload
 *     trailer  u64 checksum: hash64 chained over the header and entries
 *
 * (little-endian). It is mapped read-only; a short, corrupt or foreign
 * file is ignored whole (every document parses). Lookups take no lock;
 * results of misses are recorded under a mutex and written, with the hits,
 * by parse_cache_save after a successful build, to a temporary file
 * renamed over the old one: only what this build used is kept.
 *
 * Ownership: a hit's nodes and heading array come from the caller's arena,
 * but its strings (scalar text, map keys, the markdown_doc's strings, with
 * borrowed set) point into the mapped file, so the cache must be freed
 * after every value and markdown_doc it returned. What a miss returned
 * must stay alive until parse_cache_save: save before freeing the model.
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

/* Writes the entries this build used, if any differ from the file read.
 * Returns 0, or -1 when the file could not be written (the old one then
 * stays). */
int parse_cache_save(parse_cache *pc);

/* How many lookups were found and missed (for ENQUIRE_TIMING). */
void parse_cache_stats(const parse_cache *pc, size_t *hits, size_t *misses);

#endif
