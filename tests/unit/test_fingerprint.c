/*
 * Unit tests for incremental's page fingerprints: every byte of the data
 * counts, except in a keyed string, where the key stands for the bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "incremental.h"
#include "testutil.h"

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

/* {title, url, tags: [a, b], alliance: {name}}: a card's shape. */
static value *card(arena *a, const char *title)
{
	value *m = value_map(a);
	value_set_str(a, m, "title", title);
	value_set_str(a, m, "url", "case-studies/x/");
	value *tags = value_list(a);
	value_push(a, tags, value_string(a, "a"));
	value_push(a, tags, value_string(a, "b"));
	value_set(a, m, "tags", tags);
	value *al = value_map(a);
	value_set_str(a, al, "name", "North");
	value_set(a, m, "alliance", al);
	return m;
}

/* A copy (value_copy) is hashed from its base's memo, and comes out as
 * the same map built from nothing would: the fingerprint is the data's,
 * whatever is shared or was hashed before. */
static void test_copy_hashes_as_its_data(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	incr *c = incr_new(NULL, "out");
	value *base = card(&a, "A");
	value_freeze(base);
	/* Hashed first, so the copies below resume from its memo. */
	unsigned long long fb = fp_of(c, base);
	assert_int_equal(fp_of(c, card(&a, "A")), fb);
	assert_int_equal(fp_of(c, value_copy(&a, base, 0)), fb);

	value *copy = value_copy(&a, base, 2);
	value_set_str(&a, copy, "html", "<p>body</p>");
	value *plain = card(&a, "A");
	value_set_str(&a, plain, "html", "<p>body</p>");
	assert_int_equal(fp_of(c, copy), fp_of(c, plain));
	assert_int_not_equal(fp_of(c, copy), fb);

	/* A pair of the copy replaced in place: its base no longer holds. */
	value *changed = value_copy(&a, base, 1);
	changed->u.map.pairs[0].val = value_string(&a, "B");
	assert_int_equal(fp_of(c, changed), fp_of(c, card(&a, "B")));
	assert_int_not_equal(fp_of(c, changed), fb);

	/* Nested: a copy of a copy. */
	value *outer = value_copy(&a, copy, 1);
	value_set_str(&a, outer, "more", "x");
	plain = card(&a, "A");
	value_set_str(&a, plain, "html", "<p>body</p>");
	value_set_str(&a, plain, "more", "x");
	assert_int_equal(fp_of(c, outer), fp_of(c, plain));
	incr_free(c);
	arena_release(&a);
}

static void set_on_frozen_map(void)
{
	arena a = ARENA_INIT;
	value *m = card(&a, "A");
	value_freeze(m);
	value_set_str(&a, m, "late", "x");
}

static void push_on_frozen_inner_list(void)
{
	arena a = ARENA_INIT;
	value *m = card(&a, "A");
	value_freeze(m);
	value_push(&a, value_get(m, "tags"), value_string(&a, "c"));
}

static void set_on_hashed_map(void)
{
	arena a = ARENA_INIT;
	incr *c = incr_new(NULL, "out");
	value *m = card(&a, "A");
	fp_of(c, m);
	value_set_str(&a, value_get(m, "alliance"), "late", "x");
}

static void set_on_copy_of_frozen(void)
{
	arena a = ARENA_INIT;
	value *m = card(&a, "A");
	value_freeze(m);
	value_set_str(&a, value_copy(&a, m, 0), "late", "x");
	_exit(3); /* allowed: the copy is new */
}

/* A frozen or hashed list or map refuses to change: its memoised hash
 * would stand for data it no longer holds. */
static void test_frozen_refuses_change(void **state)
{
	(void)state;
	assert_true(tu_aborts(set_on_frozen_map));
	assert_true(tu_aborts(push_on_frozen_inner_list));
	assert_true(tu_aborts(set_on_hashed_map));
	assert_false(tu_aborts(set_on_copy_of_frozen));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_counts),
		cmocka_unit_test(test_key_stands_for_bytes),
		cmocka_unit_test(test_build_key_counts),
		cmocka_unit_test(test_copy_hashes_as_its_data),
		cmocka_unit_test(test_frozen_refuses_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
