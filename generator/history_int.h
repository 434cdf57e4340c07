/*
 * history_int: the raw state of the history walk (history_raw.c), shared
 * by the walk (source_history.c) and its cache (history_cache.c). Raw
 * means before .mailmap: the cache stays right when the mailmap changes.
 */
#ifndef ENQUIRE_HISTORY_INT_H
#define ENQUIRE_HISTORY_INT_H

#include <stdint.h>

#include "history.h"

/* A string -> index table (open addressing); keys are owned by the
 * caller's arrays. */
typedef struct {
	uint32_t *slots; /* index + 1; 0 is empty */
	size_t cap;
} strtab;

typedef struct {
	char *name, *email;
	char *key; /* "name\nemail", for people_tab */
} raw_person;

typedef struct {
	uint32_t person;
	int64_t first; /* first contribution */
} raw_author;

typedef struct {
	char *path;
	history_time first, last;
	raw_author *authors;
	size_t nauthors;
	unsigned char blob[20]; /* the blob at the last commit walked */
	bool present; /* false once deleted */
} raw_file;

typedef struct {
	char id[41];
	history_time time;
	uint32_t person;
	char *summary;
	char **paths;
	bool *deleted;
	size_t npaths;
} raw_commit;

typedef struct {
	char commit[41]; /* the last commit walked; "" before any */
	raw_person *people;
	size_t npeople;
	strtab people_tab; /* "name\nemail" -> index */
	raw_file *files;
	size_t nfiles;
	strtab files_tab; /* path -> index */
	raw_commit *recent; /* oldest first, at most `keep` */
	size_t nrecent, keep;
} raw_history;

uint32_t raw_person_id(raw_history *r, const char *name, const char *email);
/* The file at path, created (empty) when create is set; NULL if absent. */
raw_file *raw_file_at(raw_history *r, const char *path, bool create);
void raw_commit_release(raw_commit *c);
void raw_history_release(raw_history *r);

/* history_cache.c: 0 and *r filled, or -1 (no cache, corrupt, other
 * version or prefix): then *r is empty. */
int history_cache_read(raw_history *r, const char *file, const char *prefix);
/* Writes atomically (temp file + rename); failures are silent: a cache
 * is an optimisation. */
void history_cache_write(const raw_history *r, const char *file,
	const char *prefix);

/* 64-bit FNV-1a, for checksums and hash tables. */
uint64_t history_hash(const void *p, size_t n, uint64_t h);
#define HISTORY_HASH_INIT 0xcbf29ce484222325ULL

#endif
