/*
 * parallel: run a loop body over [0, n) on several threads.
 *
 * Work is handed out in small chunks from a shared counter, so a slow item
 * does not hold up a whole share. Results must be written by index (never
 * appended in completion order): that keeps every build's output the same
 * whatever the number of threads.
 */
#ifndef ENQUIRE_PARALLEL_H
#define ENQUIRE_PARALLEL_H

#include <stddef.h>

/* thread is in [0, threads): index per-thread scratch (arenas) with it. */
typedef void (*parallel_fn)(void *ctx, size_t index, unsigned thread);

/* Calls fn(ctx, i, thread) for every i in [0, n), on up to threads threads
 * (the calling thread is one of them). Returns when all calls are done. */
void parallel_for(size_t n, unsigned threads, parallel_fn fn, void *ctx);

/* The number of online processors (at least 1, at most 64). */
unsigned parallel_default_threads(void);

#endif
