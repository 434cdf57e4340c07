/*
 * parse_cache_int (internal to the parse cache): the encoding of one
 * entry's payload, a value tree or a markdown_doc.
 *
 * Encoders append to a buf. Decoders read p[0..n) from an untrusted file:
 * every length and count is bounds-checked, and anything inconsistent
 * (a bad kind, a missing NUL, bytes left over) makes the whole entry a
 * miss. Decoded strings point into p (they are stored NUL-terminated);
 * nodes and arrays come from arena a.
 */
#ifndef ENQUIRE_PARSE_CACHE_INT_H
#define ENQUIRE_PARSE_CACHE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "markdown.h"
#include "util.h"
#include "value.h"

/* A value shared through a YAML alias is written once per use: the tree
 * read back is equal, not shared (values are immutable, so nothing can
 * tell but memory; yamlparse bounds the expansion). */
void parse_cache_encode_value(buf *b, const value *v);
void parse_cache_encode_markdown(buf *b, const markdown_doc *md);

value *parse_cache_decode_value(arena *a, const unsigned char *p, size_t n);
/* Fills out with borrowed set; false (out zeroed) on a bad payload. */
bool parse_cache_decode_markdown(arena *a, const unsigned char *p, size_t n,
	markdown_doc *out);

#endif
