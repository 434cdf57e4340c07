/*
 * Unit tests for arena (alignment, zeroing, big allocations, reset and
 * release) and value (constructors, lookups, truthiness and the text of
 * scalars, which content code reads fields through).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>

#include "arena.h"
#include "value.h"
#include "testutil.h"

#define ALIGN alignof(max_align_t)

static bool aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- arena ---- */

static void test_arena_alignment_and_zeroing(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	for (size_t n = 0; n <= 200; n++) {
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_true(aligned(p));
		assert_true(all_zero(p, n));
		memset(p, 0xAB, n); /* the whole size is writable (ASan checks) */
	}
	arena_release(&a);
	assert_null(a.head);
}

static void test_arena_allocations_do_not_overlap(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	enum { N = 3000 };
	unsigned char *ptrs[N];
	size_t sizes[N];
	/* Sizes from 0 to a few KiB: many blocks get filled. */
	for (size_t i = 0; i < N; i++) {
		sizes[i] = (i * 37) % 1500;
		ptrs[i] = arena_alloc(&a, sizes[i]);
		memset(ptrs[i], (int)(i % 251) + 1, sizes[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(ptrs[i][k], (i % 251) + 1);
	/* Zero-size allocations are distinct too. */
	void *z1 = arena_alloc(&a, 0), *z2 = arena_alloc(&a, 0);
	assert_ptr_not_equal(z1, z2);
	arena_release(&a);
}

static void test_arena_big_allocations(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	/* As the first allocation, bigger than a whole block. */
	size_t big = 1024 * 1024 + 3;
	unsigned char *p = arena_alloc(&a, big);
	assert_true(aligned(p));
	assert_true(all_zero(p, big));
	memset(p, 1, big);
	/* Then small ones, then a big one between them. */
	unsigned char *s1 = arena_alloc(&a, 16);
	unsigned char *b2 = arena_alloc(&a, 100000);
	unsigned char *s2 = arena_alloc(&a, 16);
	assert_true(aligned(b2));
	assert_true(all_zero(b2, 100000));
	memset(b2, 2, 100000);
	memset(s1, 3, 16);
	memset(s2, 4, 16);
	/* A big allocation gets its own block, so the small block's free
	 * space stays in use: s2 follows s1. */
	assert_ptr_equal(s2, s1 + 16);
	for (size_t i = 0; i < big; i += 4099)
		assert_int_equal(p[i], 1);
	for (size_t i = 0; i < 100000; i += 97)
		assert_int_equal(b2[i], 2);
	assert_int_equal(s1[15], 3);
	arena_release(&a);
}

static void test_arena_reset_reuses_first_block(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	unsigned char *first = arena_alloc(&a, 64);
	memset(first, 0xFF, 64);
	/* Several blocks' worth of small allocations. */
	for (int i = 0; i < 1000; i++)
		memset(arena_alloc(&a, 1000), 0xEE, 1000);
	arena_reset(&a);
	assert_non_null(a.head);
	unsigned char *again = arena_alloc(&a, 64);
	assert_ptr_equal(again, first); /* rewound, not reallocated */
	assert_true(all_zero(again, 64)); /* and zeroed again */
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 300; i++) {
			unsigned char *p = arena_alloc(&a, 700);
			assert_true(all_zero(p, 700));
			memset(p, 0x5A, 700);
		}
		arena_reset(&a);
	}
	arena_release(&a);
	assert_null(a.head);
}

static void test_arena_reset_after_big_allocation(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	arena_alloc(&a, 10);
	memset(arena_alloc(&a, 50000), 7, 50000);
	memset(arena_alloc(&a, 200000), 8, 200000);
	arena_reset(&a);
	/* Whatever block was kept, allocations work and are zeroed. */
	for (int i = 0; i < 200; i++) {
		unsigned char *p = arena_alloc(&a, 3000);
		assert_true(aligned(p));
		assert_true(all_zero(p, 3000));
		memset(p, 9, 3000);
	}
	arena_release(&a);
}

static void test_arena_empty_reset_release(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	arena_reset(&a);
	assert_null(a.head);
	arena_release(&a);
	arena_release(&a); /* twice is fine: head is NULL again */
	assert_null(a.head);
}

static void test_arena_strings(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	char src[] = "pedagogy-4";
	char *s = arena_strdup(&a, src);
	src[0] = 'X';
	assert_string_equal(s, "pedagogy-4");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	char *withnul = arena_strndup(&a, "a\0b", 3);
	assert_memory_equal(withnul, "a\0b", 4);
	assert_string_equal(arena_strndup(&a, "", 0), "");
	assert_string_equal(arena_printf(&a, "%s-%d", "cpd", 7), "cpd-7");
	/* Around the size formatted on the stack first. */
	for (size_t n = 250; n < 260; n++) {
		char *s2 = arena_printf(&a, "%0*d", (int)n, 5);
		assert_int_equal(strlen(s2), n);
		assert_int_equal(s2[n - 1], '5');
		assert_int_equal(s2[0], '0');
	}
	char *empty = arena_printf(&a, "%s", "");
	assert_non_null(empty);
	assert_string_equal(empty, "");
	/* Longer than a block. */
	char *big = xmalloc(100001);
	memset(big, 'q', 100000);
	big[100000] = '\0';
	char *copy = arena_printf(&a, "<%s>", big);
	assert_int_equal(strlen(copy), 100002);
	assert_int_equal(copy[0], '<');
	assert_int_equal(copy[100001], '>');
	free(big);
	arena_release(&a);
}

/* ---- value ---- */

static arena va;

static int setup_value(void **state)
{
	(void)state;
	va = ARENA_INIT;
	return 0;
}

static int teardown_value(void **state)
{
	(void)state;
	arena_release(&va);
	return 0;
}

static void test_value_null(void **state)
{
	(void)state;
	value *v = value_null(&va);
	assert_int_equal(v->kind, VALUE_NULL);
	assert_string_equal(value_text(v), "");
	assert_true(value_is_scalar(v));
	assert_false(value_truthy(v));
	assert_int_equal(value_count(v), 0);
	assert_int_equal(v->line, 0); /* made by code */
	assert_int_equal(v->col, 0);
}

static void test_value_bools(void **state)
{
	(void)state;
	value *t = value_bool(&va, true), *f = value_bool(&va, false);
	assert_int_equal(t->kind, VALUE_BOOL);
	assert_string_equal(value_text(t), "true");
	assert_string_equal(value_text(f), "false");
	assert_int_equal(t->len, 4);
	assert_int_equal(f->len, 5);
	assert_true(value_truthy(t));
	assert_false(value_truthy(f));
	assert_true(value_is_scalar(f));
}

static void test_value_numbers(void **state)
{
	(void)state;
	static const struct {
		double n;
		const char *text;
	} cases[] = {
		{ 12, "12" }, { 0, "0" }, { -3, "-3" }, { 1.5, "1.5" },
		{ 0.1, "0.1" }, { 1e20, "1e+20" }, { 1234567, "1234567" },
		{ -0.25, "-0.25" }, { -0.0, "-0" }, { 999999999999999, "999999999999999" },
		{ -999999999999999, "-999999999999999" }, { 1e15, "1e+15" },
		{ 9007199254740993.0, "9.00719925474099e+15" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		value *v = value_number(&va, cases[i].n);
		assert_int_equal(v->kind, VALUE_NUMBER);
		assert_true(v->u.num == cases[i].n);
		assert_string_equal(value_text(v), cases[i].text);
		assert_int_equal(v->len, strlen(cases[i].text));
		assert_true(value_truthy(v)); /* numbers, even 0, are truthy */
	}
}

static void test_value_strings(void **state)
{
	(void)state;
	char src[] = "Talk for writing";
	value *v = value_string(&va, src);
	src[0] = 'W';
	assert_int_equal(v->kind, VALUE_STRING);
	assert_string_equal(value_text(v), "Talk for writing"); /* copied */
	assert_int_equal(v->len, 16);
	assert_true(v->quoted);
	assert_true(value_truthy(v));
	assert_true(value_is_scalar(v));

	assert_false(value_truthy(value_string(&va, "")));
	assert_true(value_truthy(value_string(&va, "0")));
	assert_true(value_truthy(value_string(&va, "false")));
	assert_true(value_truthy(value_string(&va, " ")));

	value *n = value_stringn(&va, "ab\0cd", 5);
	assert_int_equal(n->len, 5);
	assert_memory_equal(n->str, "ab\0cd", 6);

	static const char text[] = "shared bytes";
	value *r = value_string_ref(&va, text, 6);
	assert_ptr_equal(r->str, text); /* no copy */
	assert_int_equal(r->len, 6);
	assert_int_equal(r->kind, VALUE_STRING);
}

static void test_value_lists(void **state)
{
	(void)state;
	value *l = value_list(&va);
	assert_int_equal(l->kind, VALUE_LIST);
	assert_false(value_truthy(l)); /* the empty list is false */
	assert_null(value_text(l));
	assert_false(value_is_scalar(l));
	assert_int_equal(value_count(l), 0);
	value *items[100];
	for (int i = 0; i < 100; i++) {
		items[i] = value_number(&va, i);
		value_push(&va, l, items[i]);
		assert_int_equal(value_count(l), (size_t)i + 1);
	}
	assert_true(value_truthy(l));
	for (int i = 0; i < 100; i++)
		assert_ptr_equal(l->u.list.items[i], items[i]);
	/* NULL items are stored as given. */
	value_push(&va, l, NULL);
	assert_int_equal(value_count(l), 101);
	assert_null(l->u.list.items[100]);
}

static void test_value_maps(void **state)
{
	(void)state;
	value *m = value_map(&va);
	assert_int_equal(m->kind, VALUE_MAP);
	assert_true(value_truthy(m)); /* even empty: only lists can be empty-false */
	assert_null(value_text(m));
	assert_null(value_get(m, "x"));
	assert_null(value_get_pair(m, "x"));

	value *title = value_string(&va, "A title");
	title->line = 3;
	title->col = 8;
	char key[] = "title";
	value_set(&va, m, key, title);
	key[0] = 'X'; /* the key was copied */
	assert_ptr_equal(value_get(m, "title"), title);
	const value_pair *p = value_get_pair(m, "title");
	assert_non_null(p);
	assert_string_equal(p->key, "title");
	assert_int_equal(p->line, 3); /* from the value */
	assert_int_equal(p->col, 8);
	assert_null(value_get(m, "Xitle"));
	assert_null(value_get(m, "titl"));
	assert_null(value_get(m, "title "));

	/* Many keys: the pairs array grows and keeps order. */
	for (int i = 0; i < 50; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		value_set_int(&va, m, k, i * 10);
	}
	assert_int_equal(value_count(m), 51);
	assert_string_equal(value_text(value_get(m, "k37")), "370");
	assert_string_equal(m->u.map.pairs[50].key, "k49");

	/* value_set appends; lookups find the first pair of a key. */
	value_set_str(&va, m, "title", "second");
	assert_int_equal(value_count(m), 52);
	assert_ptr_equal(value_get(m, "title"), title);

	/* A NULL value is stored, with no position. */
	value_set(&va, m, "nothing", NULL);
	const value_pair *np = value_get_pair(m, "nothing");
	assert_non_null(np);
	assert_null(np->val);
	assert_int_equal(np->line, 0);
	assert_null(value_get(m, "nothing"));
}

static void test_value_shorthands(void **state)
{
	(void)state;
	value *m = value_map(&va);
	value_set_str(&va, m, "s", "text");
	value_set_str(&va, m, "none", NULL);
	value_set_bool(&va, m, "yes", true);
	value_set_bool(&va, m, "no", false);
	value_set_int(&va, m, "neg", -42);
	value_set_int(&va, m, "zero", 0);
	assert_int_equal(value_get(m, "s")->kind, VALUE_STRING);
	assert_string_equal(value_text(value_get(m, "s")), "text");
	assert_int_equal(value_get(m, "none")->kind, VALUE_NULL);
	assert_false(value_truthy(value_get(m, "none")));
	assert_int_equal(value_get(m, "yes")->kind, VALUE_BOOL);
	assert_true(value_truthy(value_get(m, "yes")));
	assert_false(value_truthy(value_get(m, "no")));
	assert_int_equal(value_get(m, "neg")->kind, VALUE_NUMBER);
	assert_string_equal(value_text(value_get(m, "neg")), "-42");
	assert_string_equal(value_text(value_get(m, "zero")), "0");
	assert_true(value_truthy(value_get(m, "zero")));
}

static void test_value_lookups_on_non_maps(void **state)
{
	(void)state;
	value *l = value_list(&va);
	value_push(&va, l, value_string(&va, "title"));
	assert_null(value_get(NULL, "title"));
	assert_null(value_get(l, "title"));
	assert_null(value_get(value_string(&va, "title"), "title"));
	assert_null(value_get(value_null(&va), "title"));
	assert_null(value_get_pair(NULL, "title"));
	assert_null(value_text(NULL));
	assert_false(value_is_scalar(NULL));
	assert_false(value_truthy(NULL));
	assert_int_equal(value_count(NULL), 0);
	assert_int_equal(value_count(value_string(&va, "abc")), 0);
}

static void test_value_scalar_text_is_source_text(void **state)
{
	(void)state;
	/* A parsed scalar keeps its text as written: "007" stays "007" even
	 * though it is the number 7 (the parser fills str; simulate it). */
	value *v = value_number(&va, 7);
	v->str = "007";
	v->len = 3;
	assert_string_equal(value_text(v), "007");
	/* A null scalar reads as "" whatever its source text ("~"). */
	value *n = value_null(&va);
	n->str = "~";
	n->len = 1;
	assert_string_equal(value_text(n), "");
}

static void test_value_kind_names(void **state)
{
	(void)state;
	assert_string_equal(value_kind_name(VALUE_NULL), "null");
	assert_string_equal(value_kind_name(VALUE_BOOL), "boolean");
	assert_string_equal(value_kind_name(VALUE_NUMBER), "number");
	assert_string_equal(value_kind_name(VALUE_STRING), "string");
	assert_string_equal(value_kind_name(VALUE_LIST), "list");
	assert_string_equal(value_kind_name(VALUE_MAP), "mapping");
	assert_string_equal(value_kind_name((value_kind)7), "?");
}

static void test_value_shared_subtree(void **state)
{
	(void)state;
	/* One card in two lists: both see the same node. */
	value *card = value_map(&va);
	value_set_str(&va, card, "title", "Shared");
	value *l1 = value_list(&va), *l2 = value_list(&va);
	value_push(&va, l1, card);
	value_push(&va, l2, card);
	assert_ptr_equal(l1->u.list.items[0], l2->u.list.items[0]);
	assert_string_equal(tu_text(l2, "0.title"), "Shared");
}

#define VT(f) cmocka_unit_test_setup_teardown(f, setup_value, teardown_value)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment_and_zeroing),
		cmocka_unit_test(test_arena_allocations_do_not_overlap),
		cmocka_unit_test(test_arena_big_allocations),
		cmocka_unit_test(test_arena_reset_reuses_first_block),
		cmocka_unit_test(test_arena_reset_after_big_allocation),
		cmocka_unit_test(test_arena_empty_reset_release),
		cmocka_unit_test(test_arena_strings),
		VT(test_value_null),
		VT(test_value_bools),
		VT(test_value_numbers),
		VT(test_value_strings),
		VT(test_value_lists),
		VT(test_value_maps),
		VT(test_value_shorthands),
		VT(test_value_lookups_on_non_maps),
		VT(test_value_scalar_text_is_source_text),
		VT(test_value_kind_names),
		VT(test_value_shared_subtree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
