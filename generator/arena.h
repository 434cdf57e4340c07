/*
 * arena: bump allocation for data that lives as long as a build (or one
 * page render). Nothing allocated from an arena is freed on its own;
 * arena_release frees it all at once. An arena is not thread-safe: each
 * rendering thread owns its own scratch arena.
 */
#ifndef ENQUIRE_ARENA_H
#define ENQUIRE_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct {
	arena_block *head;
} arena;

#define ARENA_INIT ((arena){ NULL })

/* Zeroed, aligned for any type. Aborts on out of memory. */
void *arena_alloc(arena *a, size_t n);
/* The same, not zeroed: for memory the caller fills before reading. */
void *arena_alloc_raw(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every block but the first and rewinds it, for reuse per page. */
void arena_reset(arena *a);
void arena_release(arena *a);

#endif
