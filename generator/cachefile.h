/*
 * cachefile: what enquire's cache files (history_cache.c, parse_cache.c,
 * search_cache.c, incremental.c) have in common: little-endian integers
 * written into a buf, a bounds-checked reader that never reads past the
 * end of a damaged file, and writing a file whole or not at all (a temp
 * file renamed into place), so a reader never sees half a cache.
 */
#ifndef ENQUIRE_CACHEFILE_H
#define ENQUIRE_CACHEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

uint32_t cf_load_u32(const unsigned char *p);
uint64_t cf_load_u64(const unsigned char *p);
void cf_store_u32(unsigned char *p, uint32_t v);
void cf_put_u8(buf *b, unsigned v);
void cf_put_u32(buf *b, uint32_t v);
void cf_put_u64(buf *b, uint64_t v);

/* Reads n bytes from p; after the first read past the end every read
 * gives zero (NULL for cf_take) and bad stays set. */
typedef struct {
	const unsigned char *p;
	size_t n, at;
	bool bad;
} cf_reader;

const unsigned char *cf_take(cf_reader *r, size_t n);
unsigned cf_get_u8(cf_reader *r);
uint32_t cf_get_u32(cf_reader *r);
uint64_t cf_get_u64(cf_reader *r);
/* A varint: 7 bits a byte, low first, the high bit set on all but the
 * last (the encoding of search_put_varint). */
uint64_t cf_get_varint(cf_reader *r);
/* n, when n items of at least min bytes each fit in what is left; else
 * 0 with bad set. Keeps a damaged count from allocating gigabytes. */
size_t cf_fits(cf_reader *r, uint64_t n, size_t min);

/* Writes path whole or not at all: the bytes go to a temp file beside it,
 * renamed over path by cf_writer_close when every write succeeded. */
typedef struct {
	FILE *fp;
	char *tmp, *path;
	bool ok;
} cf_writer;

void cf_writer_open(cf_writer *w, const char *path);
void cf_writer_put(cf_writer *w, const void *p, size_t n);
/* 0 once path holds the new bytes; -1 (and no temp file left) else. */
int cf_writer_close(cf_writer *w);
/* The same for bytes already in memory. */
int cf_replace(const char *path, const void *p, size_t n);

#endif
