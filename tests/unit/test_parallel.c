/*
 * Unit tests for parallel: every index in [0, n) is visited exactly once
 * whatever n and the number of threads, thread numbers stay in range and
 * name one OS thread each (so per-thread arenas are safe), and results
 * written by index do not depend on the number of threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "parallel.h"
#include "testutil.h"

#define MAX_THREADS 64

typedef struct {
	size_t n;
	unsigned threads;
	atomic_int *visits;
	atomic_int calls;
	atomic_int bad_thread; /* thread numbers outside [0, threads) */
	atomic_int wrong_self; /* one thread number seen on two OS threads */
	atomic_int used[MAX_THREADS];
	pthread_mutex_t lock;
	pthread_t self[MAX_THREADS];
	bool have_self[MAX_THREADS];
	bool slow;
} visit_ctx;

static void visit(void *ctx, size_t i, unsigned thread)
{
	visit_ctx *c = ctx;
	atomic_fetch_add(&c->calls, 1);
	if (i < c->n)
		atomic_fetch_add(&c->visits[i], 1);
	if (thread >= c->threads || thread >= MAX_THREADS) {
		atomic_fetch_add(&c->bad_thread, 1);
		return;
	}
	atomic_fetch_add(&c->used[thread], 1);
	pthread_mutex_lock(&c->lock);
	if (!c->have_self[thread]) {
		c->self[thread] = pthread_self();
		c->have_self[thread] = true;
	} else if (!pthread_equal(c->self[thread], pthread_self())) {
		atomic_fetch_add(&c->wrong_self, 1);
	}
	pthread_mutex_unlock(&c->lock);
	if (c->slow) {
		struct timespec ts = { 0, 50000 }; /* 50 us */
		nanosleep(&ts, NULL);
	}
}

/* Runs parallel_for over n items on threads threads and checks it; the
 * caller passes the thread count it expects the range check against. */
static void run_case(size_t n, unsigned threads, unsigned max_thread,
	bool slow, visit_ctx *out_used)
{
	visit_ctx *c = xcalloc(1, sizeof *c);
	c->n = n;
	c->threads = max_thread;
	c->slow = slow;
	c->visits = xcalloc(n + 1, sizeof *c->visits);
	pthread_mutex_init(&c->lock, NULL);
	parallel_for(n, threads, visit, c);
	assert_int_equal(atomic_load(&c->calls), (int)n);
	for (size_t i = 0; i < n; i++)
		if (atomic_load(&c->visits[i]) != 1)
			fail_msg("n=%zu threads=%u: index %zu visited %d times", n,
				threads, i, atomic_load(&c->visits[i]));
	assert_int_equal(atomic_load(&c->bad_thread), 0);
	assert_int_equal(atomic_load(&c->wrong_self), 0);
	/* One thread: the caller does all the work itself. */
	if (threads <= 1 && n > 0) {
		assert_true(c->have_self[0]);
		assert_true(pthread_equal(c->self[0], pthread_self()));
	}
	if (out_used)
		for (int t = 0; t < MAX_THREADS; t++)
			out_used->used[t] = atomic_load(&c->used[t]);
	pthread_mutex_destroy(&c->lock);
	free(c->visits);
	free(c);
}

static void test_every_index_once(void **state)
{
	(void)state;
	static const size_t ns[] = { 0, 1, 7, 1000 };
	static const unsigned threads[] = { 1, 2, 8 };
	for (size_t a = 0; a < ARRAY_LEN(ns); a++)
		for (size_t b = 0; b < ARRAY_LEN(threads); b++)
			run_case(ns[a], threads[b], threads[b], false, NULL);
}

static void test_odd_sizes_around_chunks(void **state)
{
	(void)state;
	/* Sizes around the chunk size and its multiples, and primes. */
	static const size_t ns[] = { 2, 8, 9, 15, 16, 17, 31, 33, 64, 65, 997,
		4096, 10007 };
	for (size_t a = 0; a < ARRAY_LEN(ns); a++) {
		run_case(ns[a], 3, 3, false, NULL);
		run_case(ns[a], 8, 8, false, NULL);
	}
}

static void test_one_thread_runs_on_caller(void **state)
{
	(void)state;
	visit_ctx used = { 0 };
	run_case(1000, 1, 1, false, &used);
	assert_int_equal(used.used[0], 1000);
	/* With n small, only the calling thread works whatever is asked. */
	memset(&used, 0, sizeof used);
	run_case(7, 8, 1, false, &used);
	assert_int_equal(used.used[0], 7);
}

static void test_thread_counts_clamped(void **state)
{
	(void)state;
	/* 0 threads means 1; more than 64 is capped at 64. */
	visit_ctx used = { 0 };
	run_case(500, 0, 1, false, &used);
	assert_int_equal(used.used[0], 500);
	run_case(5000, 1000, MAX_THREADS, false, NULL);
}

static void test_several_threads_share_slow_work(void **state)
{
	(void)state;
	/* 1000 items of 50 us: the helper threads start long before the
	 * caller could finish alone, so more than one thread works. */
	visit_ctx used = { 0 };
	run_case(1000, 4, 4, true, &used);
	int workers = 0, total = 0;
	for (int t = 0; t < 4; t++) {
		workers += used.used[t] > 0;
		total += used.used[t];
	}
	assert_int_equal(total, 1000);
	assert_true(workers >= 2);
}

typedef struct {
	unsigned long *out;
} square_ctx;

static void square(void *ctx, size_t i, unsigned thread)
{
	(void)thread;
	square_ctx *c = ctx;
	c->out[i] = (unsigned long)i * i + 1;
}

static void test_results_by_index_independent_of_threads(void **state)
{
	(void)state;
	size_t n = 3333;
	unsigned long *a = xcalloc(n, sizeof *a), *b = xcalloc(n, sizeof *b);
	square_ctx ca = { a }, cb = { b };
	parallel_for(n, 1, square, &ca);
	parallel_for(n, 8, square, &cb);
	assert_memory_equal(a, b, n * sizeof *a);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(a[i], (unsigned long)i * i + 1);
	free(a);
	free(b);
}

static void test_default_threads(void **state)
{
	(void)state;
	unsigned t = parallel_default_threads();
	assert_true(t >= 1);
	assert_true(t <= 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_index_once),
		cmocka_unit_test(test_odd_sizes_around_chunks),
		cmocka_unit_test(test_one_thread_runs_on_caller),
		cmocka_unit_test(test_thread_counts_clamped),
		cmocka_unit_test(test_several_threads_share_slow_work),
		cmocka_unit_test(test_results_by_index_independent_of_threads),
		cmocka_unit_test(test_default_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
