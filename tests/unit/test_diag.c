/*
 * Unit tests for diag: counts, formatting with and without path, line and
 * column, printing sorted by path, line, column and arrival, and adding
 * from several threads at once (every diagnostic kept, none torn).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "diag.h"
#include "testutil.h"

static diag_list *d;

static int setup(void **state)
{
	(void)state;
	d = diag_list_new();
	return d ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	diag_list_free(d);
	d = NULL;
	return 0;
}

/* Prints d into a string; the caller frees it. */
static char *print_all(diag_list *l)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	assert_non_null(f);
	diag_print(l, f);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void assert_format(const diag *g, const char *want)
{
	char *s = diag_format(g);
	assert_string_equal(s, want);
	free(s);
}

static void test_empty_list(void **state)
{
	(void)state;
	assert_int_equal(diag_count(d), 0);
	assert_int_equal(diag_errors(d), 0);
	assert_int_equal(diag_warnings(d), 0);
	assert_null(diag_at(d, 0));
	diag_list_free(NULL); /* accepts NULL */
}

static void test_print_empty_list(void **state)
{
	(void)state;
	/* Regression: diag_print (generator/diag.c) calls qsort(d->items, 0, ...) (fixed). */
	char *out = print_all(d);
	assert_string_equal(out, "");
	free(out);
}

static void test_counts_by_level(void **state)
{
	(void)state;
	diag_add(d, DIAG_ERROR, "a.md", 1, 1, "one");
	diag_add(d, DIAG_WARNING, "a.md", 2, 1, "two");
	diag_add(d, DIAG_NOTE, "a.md", 3, 1, "three");
	diag_add(d, DIAG_ERROR, "b.md", 0, 0, "four");
	diag_add(d, DIAG_WARNING, "", 0, 0, "five");
	diag_add(d, DIAG_WARNING, NULL, 0, 0, "six");
	assert_int_equal(diag_count(d), 6);
	assert_int_equal(diag_errors(d), 2);
	assert_int_equal(diag_warnings(d), 3);
	assert_null(diag_at(d, 6));
	assert_null(diag_at(d, (size_t)-1));
}

static void test_fields_in_arrival_order(void **state)
{
	(void)state;
	diag_add(d, DIAG_WARNING, "z.md", 9, 4, "unknown field '%s'", "titel");
	diag_add(d, DIAG_ERROR, NULL, 0, 0, "%d%% done, %s", 50, "stopping");
	const diag *g = diag_at(d, 0);
	assert_string_equal(g->path, "z.md");
	assert_int_equal(g->line, 9);
	assert_int_equal(g->col, 4);
	assert_int_equal(g->level, DIAG_WARNING);
	assert_string_equal(g->msg, "unknown field 'titel'");
	assert_int_equal(g->seq, 0);
	g = diag_at(d, 1);
	assert_string_equal(g->path, ""); /* NULL path becomes "" */
	assert_string_equal(g->msg, "50% done, stopping");
	assert_int_equal(g->seq, 1);
}

static void test_message_is_not_a_format(void **state)
{
	(void)state;
	/* An argument with % in it is copied as text, never re-formatted. */
	diag_add(d, DIAG_ERROR, "x.md", 1, 1, "bad value '%s'", "100%s%d%n");
	assert_string_equal(diag_at(d, 0)->msg, "bad value '100%s%d%n'");
	assert_format(diag_at(d, 0), "x.md:1:1: error: bad value '100%s%d%n'");
}

static void test_long_message(void **state)
{
	(void)state;
	char big[5001];
	memset(big, 'm', 5000);
	big[5000] = '\0';
	diag_add(d, DIAG_NOTE, "p", 1, 2, "<%s>", big);
	assert_int_equal(strlen(diag_at(d, 0)->msg), 5002);
	char *s = diag_format(diag_at(d, 0));
	assert_int_equal(strlen(s), strlen("p:1:2: note: ") + 5002);
	free(s);
}

static void vadd(diag_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void vadd(diag_list *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(l, DIAG_WARNING, "v.md", 5, 6, fmt, ap);
	va_end(ap);
}

static void test_vadd(void **state)
{
	(void)state;
	vadd(d, "claim '%s-%d'", "cpd", 3);
	assert_int_equal(diag_warnings(d), 1);
	assert_format(diag_at(d, 0), "v.md:5:6: warning: claim 'cpd-3'");
}

static void test_format_parts(void **state)
{
	(void)state;
	diag_add(d, DIAG_ERROR, "case-studies/x.md", 12, 5, "unknown claim '%s'",
		"pedagogy-12");
	diag_add(d, DIAG_WARNING, "site.yaml", 3, 0, "no column");
	diag_add(d, DIAG_NOTE, "site.yaml", 0, 0, "no line");
	diag_add(d, DIAG_ERROR, "site.yaml", 0, 7, "column without line");
	diag_add(d, DIAG_ERROR, "", 0, 0, "no path");
	diag_add(d, DIAG_WARNING, "", 4, 2, "no path but a line");
	assert_format(diag_at(d, 0),
		"case-studies/x.md:12:5: error: unknown claim 'pedagogy-12'");
	assert_format(diag_at(d, 1), "site.yaml:3: warning: no column");
	assert_format(diag_at(d, 2), "site.yaml: note: no line");
	assert_format(diag_at(d, 3), "site.yaml: error: column without line");
	assert_format(diag_at(d, 4), "enquire: error: no path");
	assert_format(diag_at(d, 5), "enquire: warning: no path but a line");
}

static void test_print_sorts(void **state)
{
	(void)state;
	diag_add(d, DIAG_ERROR, "b.md", 10, 1, "b10");
	diag_add(d, DIAG_ERROR, "a.md", 2, 9, "a2.9");
	diag_add(d, DIAG_WARNING, "b/c.md", 1, 1, "bc");
	diag_add(d, DIAG_ERROR, "a.md", 2, 3, "a2.3");
	diag_add(d, DIAG_NOTE, "b.md", 9, 50, "b9");
	diag_add(d, DIAG_ERROR, "", 0, 0, "run");
	diag_add(d, DIAG_ERROR, "a.md", 0, 0, "a-file");
	diag_add(d, DIAG_ERROR, "a.md", 10, 1, "a10"); /* 10 after 2: numeric */
	diag_add(d, DIAG_WARNING, "a.md", 2, 3, "a2.3-later");
	char *out = print_all(d);
	assert_string_equal(out,
		"enquire: error: run\n"
		"a.md: error: a-file\n"
		"a.md:2:3: error: a2.3\n"
		"a.md:2:3: warning: a2.3-later\n"
		"a.md:2:9: error: a2.9\n"
		"a.md:10:1: error: a10\n"
		"b.md:9:50: note: b9\n"
		"b.md:10:1: error: b10\n"
		"b/c.md:1:1: warning: bc\n"); /* bytewise: '.' < '/' */
	free(out);
	/* Sorting keeps every diagnostic and the counts. */
	assert_int_equal(diag_count(d), 9);
	assert_int_equal(diag_errors(d), 6);
	assert_int_equal(diag_warnings(d), 2);
	/* Printing again gives the same text. */
	out = print_all(d);
	assert_non_null(strstr(out, "a.md:2:3: error: a2.3\na.md:2:3: warning"));
	free(out);
}

static void test_print_ties_keep_arrival_order(void **state)
{
	(void)state;
	/* qsort is not stable: the arrival number must break ties. */
	for (int i = 0; i < 200; i++)
		diag_add(d, i % 3 ? DIAG_WARNING : DIAG_ERROR,
			i % 2 ? "same.md" : "other.md", 7, 7, "m%03d", i);
	char *out = print_all(d);
	int last_other = -1, last_same = -1;
	size_t lines = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		lines++;
		char *m = strstr(line, ": m");
		assert_non_null(m);
		int i = atoi(m + 3);
		if (strncmp(line, "other.md", 8) == 0) {
			assert_int_equal(last_same, -1); /* every other.md first */
			assert_true(i > last_other);
			last_other = i;
		} else {
			assert_true(i > last_same);
			last_same = i;
		}
	}
	assert_int_equal(lines, 200);
	assert_int_equal(last_other, 198);
	assert_int_equal(last_same, 199);
	free(out);
}

/* ---- threads ---- */

#define THREADS 8
#define PER_THREAD 1000

static void *adder(void *arg)
{
	int t = (int)(intptr_t)arg;
	for (int i = 0; i < PER_THREAD; i++)
		diag_add(d, i % 2 ? DIAG_WARNING : DIAG_ERROR, "t.md",
			(unsigned)t + 1, (unsigned)i + 1, "thread %d item %d", t, i);
	return NULL;
}

static void test_concurrent_adds(void **state)
{
	(void)state;
	pthread_t tids[THREADS];
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&tids[t], NULL, adder,
			(void *)(intptr_t)t), 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(tids[t], NULL);
	size_t total = THREADS * PER_THREAD;
	assert_int_equal(diag_count(d), total);
	assert_int_equal(diag_errors(d), total / 2);
	assert_int_equal(diag_warnings(d), total / 2);

	/* Every item exactly once, intact, its seq its arrival index, and
	 * each thread's items in the order that thread added them. */
	static unsigned char seen[THREADS][PER_THREAD];
	memset(seen, 0, sizeof seen);
	int last[THREADS];
	for (int t = 0; t < THREADS; t++)
		last[t] = -1;
	for (size_t k = 0; k < total; k++) {
		const diag *g = diag_at(d, k);
		assert_int_equal(g->seq, k);
		int t, i;
		assert_int_equal(sscanf(g->msg, "thread %d item %d", &t, &i), 2);
		assert_true(t >= 0 && t < THREADS && i >= 0 && i < PER_THREAD);
		assert_int_equal(g->line, (unsigned)t + 1);
		assert_int_equal(g->col, (unsigned)i + 1);
		assert_int_equal(g->level, i % 2 ? DIAG_WARNING : DIAG_ERROR);
		assert_string_equal(g->path, "t.md");
		assert_int_equal(seen[t][i], 0);
		seen[t][i] = 1;
		assert_true(i > last[t]);
		last[t] = i;
	}
	/* Printed, they come sorted by line (thread) then column (item). */
	char *out = print_all(d);
	char want[64];
	snprintf(want, sizeof want, "t.md:1:1: error: thread 0 item 0\n");
	assert_int_equal(strncmp(out, want, strlen(want)), 0);
	snprintf(want, sizeof want, "t.md:%d:%d: warning: thread %d item %d\n",
		THREADS, PER_THREAD, THREADS - 1, PER_THREAD - 1);
	size_t n = strlen(out), w = strlen(want);
	assert_true(n > w);
	assert_string_equal(out + n - w, want);
	free(out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty_list),
		T(test_print_empty_list),
		T(test_counts_by_level),
		T(test_fields_in_arrival_order),
		T(test_message_is_not_a_format),
		T(test_long_message),
		T(test_vadd),
		T(test_format_parts),
		T(test_print_sorts),
		T(test_print_ties_keep_arrival_order),
		T(test_concurrent_adds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
