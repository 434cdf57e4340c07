/*
 * Unit tests for incremental's page fingerprints: every byte of the data
 * counts, except in a keyed string, where the key stands for the bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "incremental.h"

static unsigned long long fp_of(const incr *c, const value *data)
{
	return incr_fingerprint_page(c, "page", data);
}

/* {title: title, chart: (a keyed string of text and key)} */
static value *page_data(arena *a, const char *title, const char *text,
	unsigned long long key)
{
	value *m = value_map(a);
	value_set_str(a, m, "title", title);
	value_set(a, m, "chart", value_string_keyed(a, text, strlen(text),
		key));
	return m;
}

static void test_every_byte_counts(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	incr *c = incr_new(NULL, "out");
	unsigned long long fp = fp_of(c, page_data(&a, "A", "<svg/>", 0));
	assert_int_equal(fp_of(c, page_data(&a, "A", "<svg/>", 0)), fp);
	assert_int_not_equal(fp_of(c, page_data(&a, "B", "<svg/>", 0)), fp);
	assert_int_not_equal(fp_of(c, page_data(&a, "A", "<svg />", 0)), fp);
	assert_int_not_equal(incr_fingerprint_page(c, "other",
		page_data(&a, "A", "<svg/>", 0)), fp);
	incr_free(c);
	arena_release(&a);
}

static void test_key_stands_for_bytes(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	incr *c = incr_new(NULL, "out");
	unsigned long long full = fp_of(c, page_data(&a, "A", "<svg/>", 42));
	/* Left empty, or made by other code: the key alone counts. */
	assert_int_equal(fp_of(c, page_data(&a, "A", "", 42)), full);
	assert_int_not_equal(fp_of(c, page_data(&a, "A", "", 43)), full);
	/* The rest of the page still counts. */
	assert_int_not_equal(fp_of(c, page_data(&a, "B", "", 42)), full);
	/* Keyed and plain strings never stand for each other. */
	assert_int_not_equal(fp_of(c, page_data(&a, "A", "<svg/>", 0)), full);
	incr_free(c);
	arena_release(&a);
}

/* The build key is in every fingerprint. */
static void test_build_key_counts(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	incr *c = incr_new(NULL, "out"), *d = incr_new(NULL, "out");
	incr_key_add(d, "theme", 5);
	value *v = page_data(&a, "A", "", 42);
	assert_int_not_equal(fp_of(c, v), fp_of(d, v));
	incr_free(c);
	incr_free(d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_counts),
		cmocka_unit_test(test_key_stands_for_bytes),
		cmocka_unit_test(test_build_key_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
