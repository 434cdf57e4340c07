/*
 * kvstore: a content-addressed store of the caches: 128-bit key -> bytes,
 * on disk as immutable segment files and one small index, mapped
 * read-only, so a hit is borrowed, never copied, and a save writes only
 * what changed.
 *
 * On disk, for a store at PATH (little-endian):
 *
 *     PATH           the index: "ENQKVIDX", u32 version, u32 0, u64
 *                    validity, u64 nsegs, u64 nentries; per segment u64 id,
 *                    u64 size; per entry u64 key[2], u64 offset, u32 size,
 *                    u32 segment, u64 checksum; u64 checksum of all that
 *     PATH.<id>      a segment (16 hex digits): "ENQKVSEG", u32 version,
 *                    u32 0, u64 validity, u64 id, then payloads back to
 *                    back
 *
 * An entry's checksum covers its payload (seeded with its key), and is
 * checked when the entry is read, so a damaged payload is a miss for that
 * entry alone; a damaged index, or one that does not fit its segments, is
 * a miss for everything; a damaged segment header for its entries.
 * Nothing is trusted that was not checked.
 *
 * A save writes the entries put since open into one new segment, then a
 * new index (a temporary file renamed over the old), then removes the
 * segments the index no longer names: a crash at any point leaves the old
 * index and its segments, or the new ones. The new index holds the
 * entries put and those of the old ones that were read or kept; the
 * others are dropped. A segment whose dropped bytes exceed half its size,
 * or one of too many small segments, has its live entries copied into the
 * new segment (compaction), so a save costs about what changed.
 *
 * Ownership: bytes returned by kvstore_get point into the mapping and stay
 * valid until kvstore_free, saves included (segments are never written
 * in place: a removed one stays mapped).
 */
#ifndef ENQUIRE_KVSTORE_H
#define ENQUIRE_KVSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t k[2];
} kv_key;

typedef struct kvstore kvstore;

/* Opens the store at path for readers of validity (a hash of everything
 * the entries' meaning depends on: a store written for another validity
 * is empty). path NULL gives NULL, which every function below accepts
 * (finding nothing, saving nothing). Free the result with kvstore_free. */
kvstore *kvstore_open(const char *path, uint64_t validity);
void kvstore_free(kvstore *s);

/* The checked bytes of key (*len of them), kept for the next save, or
 * NULL. Thread-safe. */
const unsigned char *kvstore_get(kvstore *s, kv_key key, size_t *len);
/* Keeps key for the next save without reading it; false when the store
 * has no such entry. Thread-safe. */
bool kvstore_keep(kvstore *s, kv_key key);
/* Adds key -> p[0..n) to the next save (written to a temporary segment
 * now, so the caller need not keep p). A key put twice keeps the first
 * bytes; a key of the open store is replaced. Thread-safe. */
void kvstore_put(kvstore *s, kv_key key, const void *p, size_t n);
/* Writes the new segment and index as described above (nothing when
 * nothing changed). Returns 0, or -1 when they could not be written (the
 * old state then stays). Call at most once. */
int kvstore_save(kvstore *s);

/* Gives the memory of the pages of p[0..n) (bytes from kvstore_get no
 * longer read) back to the system: they and their neighbours stay valid,
 * read again from the file if touched. */
void kvstore_forget(const void *p, size_t n);

/* Entries found at open (after every check of the index). */
size_t kvstore_count(const kvstore *s);

#endif
