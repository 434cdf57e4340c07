/*
 * kvstore_int (internal to the store): the in-memory form of an open
 * store, shared by kvstore.c (opening, reading, writing the new segment)
 * and kvstore_save.c (the new index, compaction, removing old segments).
 */
#ifndef ENQUIRE_KVSTORE_INT_H
#define ENQUIRE_KVSTORE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kvstore.h"

#define KV_IDX_MAGIC "ENQKVIDX"
#define KV_SEG_MAGIC "ENQKVSEG"
#define KV_VERSION 1u
#define KV_IDX_HEADER 40
#define KV_IDX_SEG 16
#define KV_IDX_ENTRY 40
#define KV_SEG_HEADER 32
/* More segments than this and the smallest are folded into the new one. */
#define KV_MAX_SEGS 8

enum { KV_UNUSED, KV_KEPT, KV_BAD };

typedef struct {
	kv_key key;
	uint64_t off, sum;
	uint32_t size, seg;
} entry;

typedef struct {
	uint64_t id, size;
	const unsigned char *map; /* NULL when missing or not ours */
	uint64_t live; /* bytes of the entries the save keeps */
	size_t nlive; /* and how many there are (some may be empty) */
	bool fold; /* copy its live entries into the new segment */
} segment;

/* Open addressing over entries: slots hold an entry index + 1. */
typedef struct {
	uint32_t *slot;
	size_t cap;
} table;

struct kvstore {
	char *path;
	uint64_t validity;
	segment *segs;
	size_t nsegs;
	entry *old;
	size_t nold;
	table t;
	atomic_uchar *state; /* per old entry: KV_UNUSED, KV_KEPT or KV_BAD */
	pthread_mutex_t lock; /* guards everything below */
	FILE *fp; /* the new segment, a temporary file */
	char *tmp;
	uint64_t new_id, new_size;
	bool failed;
	entry *fresh;
	size_t nfresh, fresh_cap;
	table ft;
};

void kv_table_init(table *t, size_t n);
/* key's slot in t over entries e: its entry's, or the empty one. */
uint32_t *kv_table_slot(const table *t, const entry *e, kv_key key);
/* An entry's checksum: of its payload, seeded with its key. */
uint64_t kv_checksum(kv_key key, const void *p, size_t n);
/* The file of segment id of the store at path; the caller frees it. */
char *kv_seg_path(const char *path, uint64_t id);
/* Appends an entry to the new segment (under the lock); a key already
 * there keeps its first bytes. */
void kv_append(kvstore *s, kv_key key, const void *p, size_t n,
	uint64_t sum);
/* Closes and removes the new segment's temporary file, if any. */
void kv_drop_new_segment(kvstore *s);

#endif
