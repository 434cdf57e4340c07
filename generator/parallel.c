/*
 * parallel: a minimal fork-join loop over pthreads.
 */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "util.h"

#define CHUNK 8
#define MAX_THREADS 64

typedef struct {
	size_t n;
	parallel_fn fn;
	void *ctx;
	atomic_size_t next;
} job;

typedef struct {
	job *j;
	unsigned thread;
} worker;

static void *run(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	for (;;) {
		size_t start = atomic_fetch_add(&j->next, CHUNK);
		if (start >= j->n)
			break;
		size_t end = start + CHUNK < j->n ? start + CHUNK : j->n;
		for (size_t i = start; i < end; i++)
			j->fn(j->ctx, i, w->thread);
	}
	return NULL;
}

void parallel_for(size_t n, unsigned threads, parallel_fn fn, void *ctx)
{
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads < 1)
		threads = 1;
	if (n < 2 * CHUNK)
		threads = 1;
	job j = { n, fn, ctx, 0 };
	worker workers[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	unsigned started = 1;
	for (unsigned t = 1; t < threads; t++) {
		workers[t] = (worker){ &j, t };
		if (pthread_create(&tids[t], NULL, run, &workers[t]) != 0)
			break; /* fewer threads is fine: the rest still runs */
		started++;
	}
	workers[0] = (worker){ &j, 0 };
	run(&workers[0]);
	for (unsigned t = 1; t < started; t++)
		pthread_join(tids[t], NULL);
}

unsigned parallel_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}
