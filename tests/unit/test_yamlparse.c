/*
 * Unit tests for yamlparse: scalar resolution, positions, anchors and
 * aliases, and above all the ways YAML can be wrong or hostile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontmatter.h"
#include "util.h"
#include "yamlparse.h"

static arena A;
static diag_list *D;

static int setup(void **state)
{
	A = ARENA_INIT;
	D = diag_list_new();
	return 0;
}

static int teardown(void **state)
{
	diag_list_free(D);
	D = NULL;
	arena_release(&A);
	return 0;
}

static value *parse_at(const char *text, unsigned first_line)
{
	diag_list_free(D);
	D = diag_list_new();
	value *v = yaml_parse(&A, text, strlen(text), "t.yaml", first_line, D);
	/* The contract: NULL exactly when an error was added. */
	assert_true((v == NULL) == (diag_errors(D) > 0));
	return v;
}

static value *parse(const char *text)
{
	return parse_at(text, 1);
}

/* Parses text expecting one error at line:col whose message contains
 * want. */
static void fails_at(const char *text, unsigned first_line, unsigned line,
	unsigned col, const char *want)
{
	diag_list_free(D);
	D = diag_list_new();
	value *v = yaml_parse(&A, text, strlen(text), "t.yaml", first_line, D);
	assert_null(v);
	assert_int_equal(diag_errors(D), 1);
	const diag *g = diag_at(D, 0);
	if (!strstr(g->msg, want) || g->line != line || g->col != col)
		fail_msg("%s\n got %u:%u: %s\n want %u:%u: ...%s...", text, g->line,
			g->col, g->msg, line, col, want);
	assert_string_equal(g->path, "t.yaml");
}

static void fails(const char *text, unsigned line, unsigned col, const char *want)
{
	fails_at(text, 1, line, col, want);
}

/* The value of key in a map, which must be there. */
static value *get(value *map, const char *key)
{
	value *v = value_get(map, key);
	if (!v)
		fail_msg("no key '%s'", key);
	return v;
}

static void is_number(value *v, double n, const char *text)
{
	assert_int_equal(v->kind, VALUE_NUMBER);
	assert_false(v->quoted);
	assert_string_equal(v->str, text);
	assert_true(v->u.num == n);
}

static void is_string(value *v, const char *s, bool quoted)
{
	assert_int_equal(v->kind, VALUE_STRING);
	assert_string_equal(v->str, s);
	assert_int_equal(v->len, strlen(s));
	assert_int_equal(v->quoted, quoted);
}

static void test_numbers(void **state)
{
	value *m = parse("a: 12\nb: -3\nc: +12\nd: 0o17\ne: 0x1F\nf: 1.5\n"
			 "g: 1e3\nh: .5\ni: 1.\nj: -2.5E-2\nk: 007\nl: 0xff\n"
			 "m: 0\nn: 123456789012\n");
	assert_non_null(m);
	is_number(get(m, "a"), 12, "12");
	is_number(get(m, "b"), -3, "-3");
	is_number(get(m, "c"), 12, "+12");
	is_number(get(m, "d"), 15, "0o17");
	is_number(get(m, "e"), 31, "0x1F");
	is_number(get(m, "f"), 1.5, "1.5");
	is_number(get(m, "g"), 1000, "1e3");
	is_number(get(m, "h"), 0.5, ".5");
	is_number(get(m, "i"), 1, "1.");
	is_number(get(m, "j"), -0.025, "-2.5E-2");
	is_number(get(m, "k"), 7, "007");
	is_number(get(m, "l"), 255, "0xff");
	is_number(get(m, "m"), 0, "0");
	is_number(get(m, "n"), 123456789012.0, "123456789012");
}

static void test_special_floats(void **state)
{
	value *m = parse("a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\n"
			 "f: .NAN\ng: -.nan\nh: .infinity\n");
	assert_non_null(m);
	assert_true(isinf(get(m, "a")->u.num) && get(m, "a")->u.num > 0);
	assert_true(isinf(get(m, "b")->u.num) && get(m, "b")->u.num < 0);
	assert_true(isinf(get(m, "c")->u.num) && get(m, "c")->u.num > 0);
	assert_true(isnan(get(m, "d")->u.num));
	assert_true(isnan(get(m, "e")->u.num));
	assert_true(isnan(get(m, "f")->u.num));
	assert_string_equal(get(m, "d")->str, ".nan");
	is_string(get(m, "g"), "-.nan", false);
	is_string(get(m, "h"), ".infinity", false);
}

static void test_not_numbers(void **state)
{
	const char *texts[] = { "1e", "0x", "0o", "0o8", "0xg", "1_000", "1.2.3",
		"12abc", "+", ".", "1e+", "0b101", "-0x1", "1,5", "2014-06-12",
		"12:30", "inf", "nan", "Infinity", "e5", "--1", "1 2" };
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		char *t = arena_printf(&A, "v: %s\n", texts[i]);
		value *m = parse(t);
		assert_non_null(m);
		value *v = get(m, "v");
		if (v->kind != VALUE_STRING)
			fail_msg("'%s' is a %s", texts[i], value_kind_name(v->kind));
		is_string(v, texts[i], false);
	}
}

static void test_booleans(void **state)
{
	const char *yes[] = { "true", "True", "TRUE" };
	const char *no[] = { "false", "False", "FALSE" };
	const char *neither[] = { "yes", "Yes", "no", "on", "off", "y", "n",
		"tRUE", "falsE", "truee" };
	for (size_t i = 0; i < 3; i++) {
		value *v = get(parse(arena_printf(&A, "v: %s", yes[i])), "v");
		assert_int_equal(v->kind, VALUE_BOOL);
		assert_true(v->u.b);
		assert_string_equal(v->str, yes[i]);
		v = get(parse(arena_printf(&A, "v: %s", no[i])), "v");
		assert_int_equal(v->kind, VALUE_BOOL);
		assert_false(v->u.b);
		assert_string_equal(v->str, no[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(neither); i++)
		is_string(get(parse(arena_printf(&A, "v: %s", neither[i])), "v"),
			neither[i], false);
}

static void test_nulls(void **state)
{
	value *m = parse("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n"
			 "g: [~, null, '~']\n");
	assert_non_null(m);
	const char *keys[] = { "a", "b", "c", "d", "e" };
	const char *texts[] = { "~", "null", "Null", "NULL", "" };
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		value *v = get(m, keys[i]);
		assert_int_equal(v->kind, VALUE_NULL);
		assert_string_equal(v->str, texts[i]);
		assert_string_equal(value_text(v), "");
	}
	is_string(get(m, "f"), "nULL", false);
	value *g = get(m, "g");
	assert_int_equal(value_count(g), 3);
	assert_int_equal(g->u.list.items[0]->kind, VALUE_NULL);
	assert_int_equal(g->u.list.items[1]->kind, VALUE_NULL);
	is_string(g->u.list.items[2], "~", true);
}

static void test_quoted_vs_plain(void **state)
{
	value *m = parse("a: \"12\"\nb: '12'\nc: \"true\"\nd: ''\ne: \"\"\n"
			 "f: 'null'\ng: plain\nh: \"it's \\\"x\\\"\\n\"\n"
			 "i: 'it''s'\nj: \"\\u00e9\\t\"\n");
	assert_non_null(m);
	is_string(get(m, "a"), "12", true);
	is_string(get(m, "b"), "12", true);
	is_string(get(m, "c"), "true", true);
	is_string(get(m, "d"), "", true);
	is_string(get(m, "e"), "", true);
	is_string(get(m, "f"), "null", true);
	is_string(get(m, "g"), "plain", false);
	is_string(get(m, "h"), "it's \"x\"\n", true);
	is_string(get(m, "i"), "it's", true);
	is_string(get(m, "j"), "\xc3\xa9\t", true);
	assert_false(value_truthy(get(m, "d")));
	assert_true(value_truthy(get(m, "g")));
}

static void test_block_scalars(void **state)
{
	value *m = parse("lit: |\n  line 1\n    indented\n  line 3\n"
			 "fold: >\n  folded\n  text\n\n  para\n"
			 "strip: |-\n  no newline\n"
			 "keep: |+\n  kept\n\n"
			 "num: |\n  12\n"
			 "last: end\n");
	assert_non_null(m);
	is_string(get(m, "lit"), "line 1\n  indented\nline 3\n", true);
	is_string(get(m, "fold"), "folded text\npara\n", true);
	is_string(get(m, "strip"), "no newline", true);
	is_string(get(m, "keep"), "kept\n\n", true);
	is_string(get(m, "num"), "12\n", true);
	is_string(get(m, "last"), "end", false);
}

static void test_multiline_plain_and_quoted(void **state)
{
	value *m = parse("a: one\n  two\n\n  three\nb: \"x\n  y\"\n");
	assert_non_null(m);
	is_string(get(m, "a"), "one two\nthree", false);
	is_string(get(m, "b"), "x y", true);
}

static void test_tags(void **state)
{
	value *m = parse("a: !!str 12\nb: ! 12\nc: !!int \"12\"\nd: !!float 1\n"
			 "e: !!bool true\nf: !!null ~\ng: !!seq [1]\nh: !!map {x: 1}\n"
			 "i: !!str\nj: !!float .inf\n");
	assert_non_null(m);
	is_string(get(m, "a"), "12", true);
	is_string(get(m, "b"), "12", true);
	is_number(get(m, "c"), 12, "12");
	is_number(get(m, "d"), 1, "1");
	assert_int_equal(get(m, "e")->kind, VALUE_BOOL);
	assert_int_equal(get(m, "f")->kind, VALUE_NULL);
	assert_int_equal(get(m, "g")->kind, VALUE_LIST);
	assert_int_equal(get(m, "h")->kind, VALUE_MAP);
	is_string(get(m, "i"), "", true);
	assert_true(isinf(get(m, "j")->u.num));
}

static void test_bad_tags(void **state)
{
	fails("a: !!int abc\n", 1, 4, "invalid '!!int' value 'abc'");
	fails("a: !!int 1.5\n", 1, 4, "invalid '!!int' value '1.5'");
	fails("a: !!bool yes\n", 1, 4, "invalid '!!bool' value 'yes'");
	fails("a: !!null 0\n", 1, 4, "invalid '!!null' value '0'");
	fails("a: !!float x\n", 1, 4, "invalid '!!float' value 'x'");
	fails("a: !foo 1\n", 1, 4, "unsupported tag '!foo'");
	fails("a: !!binary aGk=\n", 1, 4, "unsupported tag '!!binary'");
	fails("a: !!map [1]\n", 1, 4, "unsupported tag '!!map'");
	fails("a: !!seq {b: 1}\n", 1, 4, "unsupported tag '!!seq'");
	fails("a:\n  - !!set {b: 1}\n", 2, 5, "unsupported tag '!!set'");
	fails("a: !<tag:example.com,2000:x> 1\n", 1, 4,
		"unsupported tag 'tag:example.com,2000:x'");
}

static void test_positions(void **state)
{
	value *m = parse_at("title: Hello\nlist:\n  - a\n  - {k: v, n: [1, 2]}\n"
			    "ind:\n- x\n\"q\": 'y'\n", 10);
	assert_non_null(m);
	assert_int_equal(m->line, 10);
	assert_int_equal(m->col, 1);
	const value_pair *p = value_get_pair(m, "title");
	assert_int_equal(p->line, 10);
	assert_int_equal(p->col, 1);
	assert_int_equal(p->val->line, 10);
	assert_int_equal(p->val->col, 8);
	value *list = get(m, "list");
	assert_int_equal(list->line, 12);
	assert_int_equal(list->col, 3);
	value *a = list->u.list.items[0];
	assert_int_equal(a->line, 12);
	assert_int_equal(a->col, 5);
	value *fm = list->u.list.items[1];
	assert_int_equal(fm->kind, VALUE_MAP);
	assert_int_equal(fm->line, 13);
	assert_int_equal(fm->col, 5);
	p = value_get_pair(fm, "n");
	assert_int_equal(p->line, 13);
	assert_int_equal(p->col, 12);
	value *n = p->val;
	assert_int_equal(n->col, 15);
	assert_int_equal(n->u.list.items[1]->col, 19);
	value *ind = get(m, "ind");
	assert_int_equal(ind->line, 15);
	assert_int_equal(ind->col, 1);
	p = value_get_pair(m, "q");
	assert_int_equal(p->line, 16);
	assert_int_equal(p->col, 1);
	assert_int_equal(p->val->col, 6);
}

static void test_first_line_zero_is_one(void **state)
{
	value *m = parse_at("a: 1\nb: 2\n", 0);
	assert_int_equal(value_get_pair(m, "b")->line, 2);
	fails_at("a: 1\na: 2\n", 0, 2, 1, "duplicate key 'a'");
}

static void test_unicode(void **state)
{
	value *m = parse("ü: ñandú “quotes”\nk: 日本語 text\nz: \"\\u263A\"\n");
	assert_non_null(m);
	is_string(get(m, "ü"), "ñandú “quotes”", false);
	is_string(get(m, "k"), "日本語 text", false);
	is_string(get(m, "z"), "\xe2\x98\xba", true);
	/* Columns count characters, not bytes. */
	assert_int_equal(get(m, "ü")->col, 4);
	fails("日本語: 1\n日本語: 2\n", 2, 1, "duplicate key '日本語'");
	fails("x: 日本語\ny: [a\n", 3, 1, "did not find expected ',' or ']'");
	fails("ü: ñ: x\n", 1, 5, "mapping values are not allowed");
}

static void test_empty_documents(void **state)
{
	const char *texts[] = { "", "\n\n", "# only a comment\n", "   \n# c\n  ",
		"---\n", "---\n...\n", "--- ~\n" };
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		value *v = parse_at(texts[i], 3);
		assert_non_null(v);
		assert_int_equal(v->kind, VALUE_NULL);
		assert_true(v->line >= 3);
	}
	value *v = yaml_parse(&A, NULL, 0, "t.yaml", 1, D);
	assert_non_null(v);
	assert_int_equal(v->kind, VALUE_NULL);
}

static void test_root_kinds(void **state)
{
	is_string(parse("hello\n"), "hello", false);
	is_string(parse("--- |\n  text\n"), "text\n", true);
	is_number(parse("42"), 42, "42");
	value *l = parse("- a\n- b\n");
	assert_int_equal(l->kind, VALUE_LIST);
	assert_int_equal(l->u.list.n, 2);
	value *m = parse("%YAML 1.2\n---\na: 1\n...\n");
	assert_int_equal(m->kind, VALUE_MAP);
	assert_int_equal(value_get_pair(m, "a")->line, 3);
}

static void test_structures(void **state)
{
	value *m = parse("a:\n  b:\n    c: [1, {d: e}]\n  f: []\n  g: {}\n"
			 "h:\n  -\n  - - x\n    - y\n");
	assert_non_null(m);
	value *c = get(get(get(m, "a"), "b"), "c");
	assert_int_equal(c->kind, VALUE_LIST);
	assert_int_equal(value_count(c), 2);
	is_string(get(c->u.list.items[1], "d"), "e", false);
	assert_int_equal(value_count(get(get(m, "a"), "f")), 0);
	assert_int_equal(get(get(m, "a"), "f")->kind, VALUE_LIST);
	assert_int_equal(get(get(m, "a"), "g")->kind, VALUE_MAP);
	value *h = get(m, "h");
	assert_int_equal(value_count(h), 2);
	assert_int_equal(h->u.list.items[0]->kind, VALUE_NULL);
	assert_int_equal(value_count(h->u.list.items[1]), 2);
	/* Keys keep their order. */
	assert_string_equal(m->u.map.pairs[0].key, "a");
	assert_string_equal(m->u.map.pairs[1].key, "h");
}

static void test_keys(void **state)
{
	value *m = parse("1: a\ntrue: b\n~: c\n\"q k\": d\nkey with spaces: e\n"
			 "<<: {x: 1}\n");
	assert_non_null(m);
	is_string(get(m, "1"), "a", false);
	is_string(get(m, "true"), "b", false);
	is_string(get(m, "~"), "c", false);
	is_string(get(m, "q k"), "d", false);
	is_string(get(m, "key with spaces"), "e", false);
	assert_int_equal(get(m, "<<")->kind, VALUE_MAP);
	assert_null(value_get(m, "x")); /* no merging */
}

static void test_anchors_and_aliases(void **state)
{
	value *m = parse("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n"
			 "s: &s text\nt: *s\nlist: [*s, *b]\n");
	assert_non_null(m);
	value *b = get(m, "base");
	assert_ptr_equal(get(m, "copy"), b); /* shared, not copied */
	assert_ptr_equal(get(m, "t"), get(m, "s"));
	value *list = get(m, "list");
	assert_ptr_equal(list->u.list.items[0], get(m, "s"));
	assert_ptr_equal(list->u.list.items[1], b);
	/* The alias's pair is where the alias stands. */
	assert_int_equal(value_get_pair(m, "copy")->line, 2);
	assert_int_equal(b->line, 1);
}

static void test_anchor_redefined(void **state)
{
	value *m = parse("a: &x 1\nb: &x 2\nc: *x\n");
	assert_non_null(m);
	assert_ptr_equal(get(m, "c"), get(m, "b"));
}

static void test_anchored_and_aliased_keys(void **state)
{
	value *m = parse("&k name: v\nother: *k\nmap: {*k : 3}\n");
	assert_non_null(m);
	is_string(get(m, "other"), "name", false);
	is_number(get(get(m, "map"), "name"), 3, "3");
	fails("&k name: v\n*k : 3\n", 2, 1, "duplicate key 'name'");
	fails("a: &l [1]\n*l : 2\n", 2, 1, "mapping key is not a scalar");
	fails("a: &m {b: 1}\n? *m\n: 2\n", 2, 3, "mapping key is not a scalar");
}

static void test_unknown_alias(void **state)
{
	fails("a: *nope\n", 1, 4, "unknown alias 'nope'");
	fails_at("a: 1\nb: [x, *y]\n", 7, 8, 8, "unknown alias 'y'");
	/* An alias before its anchor is unknown too. */
	fails("a: *x\nb: &x 1\n", 1, 4, "unknown alias 'x'");
}

static void test_recursive_alias(void **state)
{
	fails("a: &x [1, *x]\n", 1, 11, "alias 'x' refers to a node that contains it");
	fails("a: &x {b: {c: *x}}\n", 1, 15, "refers to a node that contains it");
}

/* The classic "billion laughs": nine levels, 10^9 nodes if expanded. */
static void test_alias_bomb(void **state)
{
	const char *t =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	clock_t start = clock();
	/* Up to "e" 74,733 nodes; the first *e in "f" passes 100,000. */
	fails(t, 6, 8, "too many alias expansions (possible alias bomb)");
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 1.0);
	/* Four levels are fine: the budget is not too tight. */
	value *m = parse("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			 "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n");
	assert_non_null(m);
	assert_int_equal(value_count(get(m, "c")), 9);
}

static void test_too_many_nodes(void **state)
{
	buf b = BUF_INIT;
	buf_puts(&b, "[");
	for (int i = 0; i < YAML_MAX_EXPANDED_NODES; i++)
		buf_puts(&b, "1,");
	buf_puts(&b, "1]");
	/* The list itself plus 100,001 items. */
	fails(b.p, 1, 2 + 2 * (YAML_MAX_EXPANDED_NODES - 1), "too many yaml nodes");
	buf_release(&b);
}

static char *nested(const char *open, const char *close, int n)
{
	buf b = BUF_INIT;
	for (int i = 0; i < n; i++)
		buf_puts(&b, open);
	for (int i = 0; i < n; i++)
		buf_puts(&b, close);
	return buf_detach(&b);
}

static void test_deep_nesting(void **state)
{
	char *t = nested("[", "]", 10000);
	fails(t, 1, YAML_MAX_DEPTH + 1, "nesting deeper than 200 levels");
	free(t);
	t = nested("{a: ", "}", 10000);
	fails(t, 1, 4 * YAML_MAX_DEPTH + 1, "nesting deeper than 200 levels");
	free(t);
	t = nested("[", "]", YAML_MAX_DEPTH);
	value *v = parse(t);
	assert_non_null(v);
	free(t);
	t = nested("[", "]", YAML_MAX_DEPTH + 1);
	fails(t, 1, YAML_MAX_DEPTH + 1, "nesting deeper");
	free(t);
}

static void test_deep_block_nesting(void **state)
{
	buf b = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		for (int j = 0; j < i; j++)
			buf_putc(&b, ' ');
		buf_puts(&b, "k:\n");
	}
	/* The 201st map starts on line 201 (the value of the 200th key). */
	fails(b.p, 201, 201, "nesting deeper than 200 levels");
	buf_release(&b);
}

/* "a: &a [[...]]" (150 levels), then "b: [[... *a ...]]" (extra levels). */
static char *alias_depth(int extra)
{
	buf b = BUF_INIT;
	buf_puts(&b, "a: &a ");
	for (int i = 0; i < 150; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 150; i++)
		buf_putc(&b, ']');
	buf_puts(&b, "\nb: ");
	for (int i = 0; i < extra; i++)
		buf_putc(&b, '[');
	buf_puts(&b, "*a");
	for (int i = 0; i < extra; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '\n');
	return buf_detach(&b);
}

static void test_deep_through_alias(void **state)
{
	/* The root map, 49 lists and the alias's 150 levels: 200, fine. */
	char *t = alias_depth(49);
	assert_non_null(parse(t));
	free(t);
	t = alias_depth(50);
	fails(t, 2, 54, "nesting deeper than 200 levels (through alias 'a')");
	free(t);
}

static void test_duplicate_keys(void **state)
{
	fails("title: a\ntheme: b\ntitle: c\n", 3, 1, "duplicate key 'title'");
	fails_at("a:\n  b: 1\n  c: 2\n  b: 3\n", 2, 5, 3, "duplicate key 'b'");
	fails("{a: 1, a: 2}\n", 1, 8, "duplicate key 'a'");
	fails("1: a\n\"1\": b\n", 2, 1, "duplicate key '1'");
	fails("'x': 1\nx: 2\n", 2, 1, "duplicate key 'x'");
	/* Same key in different maps is fine. */
	value *m = parse("a: {k: 1}\nb: {k: 2}\nk: 3\n");
	assert_non_null(m);
}

static void test_duplicate_key_message_is_one_line(void **state)
{
	fails("\"a\\nb\": 1\n\"a\\nb\": 2\n", 2, 1, "duplicate key 'a b'");
	char *longkey = arena_printf(&A, "%s: 1\n%s: 2\n",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
	fails(longkey, 2, 1, "duplicate key 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'");
}

/* Seconds to parse a map of n keys whose last key repeats the one before. */
static double time_duplicate(int n)
{
	buf b = BUF_INIT;
	for (int i = 0; i < n; i++)
		buf_printf(&b, "key%d: v\n", i);
	buf_printf(&b, "key%d: again\n", n - 1);
	diag_list_free(D);
	D = diag_list_new();
	clock_t start = clock();
	value *v = yaml_parse(&A, b.p, b.len, "t.yaml", 1, D);
	double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	buf_release(&b);
	assert_null(v);
	assert_int_equal(diag_errors(D), 1);
	assert_int_equal(diag_at(D, 0)->line, (unsigned)n + 1);
	assert_string_equal(diag_at(D, 0)->msg,
		arena_printf(&A, "duplicate key 'key%d'", n - 1));
	return secs;
}

static void test_duplicate_in_big_map(void **state)
{
	/* Ten times the keys must cost about ten times as much, not a
	 * hundred: the duplicate check is not quadratic. A ratio rather than
	 * a time limit, so that the test holds under valgrind too. */
	double small = time_duplicate(9000);
	double big = time_duplicate(90000);
	if (big > 30 * small + 0.1)
		fail_msg("9,000 keys: %.3fs, 90,000 keys: %.3fs", small, big);
}

static void test_non_scalar_keys(void **state)
{
	fails("? [a, b]\n: 1\n", 1, 3, "mapping key is not a scalar");
	fails("{[a]: 1}\n", 1, 2, "mapping key is not a scalar");
	fails("x: 1\n? {a: 1}\n: 2\n", 2, 3, "mapping key is not a scalar");
	fails("x:\n  ? - a\n  : 2\n", 2, 5, "mapping key is not a scalar");
}

static void test_nul_in_key(void **state)
{
	fails("ok: 1\n\"k\\0z\": 1\n", 2, 1, "mapping key 'k' contains a nul character");
	/* In a value, a NUL is kept and counted. */
	value *m = parse("a: \"x\\0y\"\n");
	assert_non_null(m);
	assert_int_equal(get(m, "a")->len, 3);
	assert_memory_equal(get(m, "a")->str, "x\0y", 3);
}

static void test_second_document(void **state)
{
	fails("a: 1\n---\nb: 2\n", 2, 1, "more than one yaml document");
	fails_at("a: 1\n--- \n", 2, 3, 1, "more than one yaml document");
	fails("---\na: 1\n---\n", 3, 1, "more than one yaml document");
	fails("a: 1\n...\n---\nb: 2\n", 3, 1, "more than one yaml document");
	fails("- 1\n--- x\n", 2, 1, "more than one yaml document");
	/* "..." alone ends the document; what follows must start a new one. */
	fails("a: 1\n...\nb: 2\n", 3, 1, "yaml: did not find expected <document start>");
}

static void test_syntax_errors(void **state)
{
	fails("a: b: c\n", 1, 5, "yaml: mapping values are not allowed in this context");
	fails_at("x: 1\na: b: c\n", 2, 3, 5, "yaml: mapping values are not allowed");
	fails("a: \"unclosed\nb: 2\n", 3, 1,
		"yaml: found unexpected end of stream while scanning a quoted scalar"
		" that starts on line 1");
	fails("a: 'unclosed\n", 2, 1, "while scanning a quoted scalar");
	fails("a: [1, 2\n", 2, 1, "yaml: did not find expected ',' or ']'"
		" while parsing a flow sequence that starts on line 1");
	fails("a: {b: 1\n", 2, 1, "did not find expected ',' or '}'");
	fails("x: [a, b]]\n", 1, 10, "yaml: did not find expected key while parsing a block mapping");
	fails("- a\nb: 1\n", 2, 1, "did not find expected '-' indicator");
	fails("a: @x\n", 1, 4, "yaml: found character that cannot start any token");
	fails("a: `x\n", 1, 4, "found character that cannot start any token");
	fails("a: &\n", 1, 5, "while scanning an anchor");
	fails("a: *\n", 1, 5, "while scanning an alias");
	fails("a: \"\\q\"\n", 1, 5, "found unknown escape character");
	fails("...\n", 1, 1, "did not find expected node content");
}

static void test_bad_indentation(void **state)
{
	fails("a:\n  b: 1\n c: 2\n", 3, 2,
		"yaml: did not find expected key while parsing a block mapping"
		" that starts on line 1");
	fails("a:\n  b\n   c: 1\n", 3, 5, "mapping values are not allowed");
	fails("  a: 1\nb: 2\n", 2, 1, "did not find expected <document start>");
	fails("list:\n  - a\n - b\n", 3, 2, "did not find expected key");
}

static void test_tabs(void **state)
{
	fails("a:\n\tb: 1\n", 2, 1, "found character that cannot start any token");
	fails_at("x: 1\n\ty: 2\n", 4, 5, 1,
		"found a tab character that violates indentation");
	/* A tab inside a value is fine. */
	value *m = parse("a: x\ty\nb: \"\t\"\n");
	assert_non_null(m);
	is_string(get(m, "a"), "x\ty", false);
}

static void test_control_characters(void **state)
{
	fails("a: 1\nb: x\x01y\n", 2, 5, "yaml: control characters are not allowed (0x01)");
	fails("a: \x7f\n", 1, 4, "control characters are not allowed");
	fails("a: 1\nb: \xef\xbf\xbe\n", 2, 4, "control characters are not allowed (0xfffe)");
}

static void test_messages_are_lowercase(void **state)
{
	fails("%YAML 2.0\n---\na: 1\n", 1, 1, "yaml: found incompatible yaml document");
	const diag *g = diag_at(D, 0);
	for (const char *p = g->msg; *p; p++)
		assert_false(*p >= 'A' && *p <= 'Z');
}

static void test_bom_is_invisible(void **state)
{
	value *m = parse("\xef\xbb\xbf" "a: 1\n");
	assert_non_null(m);
	assert_int_equal(value_get_pair(m, "a")->col, 1);
	assert_int_equal(get(m, "a")->col, 4);
}

static void test_only_len_bytes(void **state)
{
	const char *t = "a: 1\nb: [";
	value *m = yaml_parse(&A, t, 4, "t.yaml", 1, D);
	assert_non_null(m);
	is_number(get(m, "a"), 1, "1");
	assert_int_equal(value_count(m), 1);
}

static void test_with_frontmatter(void **state)
{
	const char *t = "---\ntitle: x\ntitle: y\n---\nbody\n";
	frontmatter fm;
	assert_int_equal(frontmatter_split(t, strlen(t), &fm), 0);
	value *v = yaml_parse(&A, fm.front.p, fm.front.n, "case-studies/x.md",
		fm.front_line, D);
	assert_null(v);
	char *s = diag_format(diag_at(D, 0));
	assert_string_equal(s, "case-studies/x.md:3:1: error: duplicate key 'title'");
	free(s);
}

/* Every prefix of a document that uses most features either parses or
 * fails with a diagnostic (parse_at checks which), and never crashes or
 * leaks; the sanitizer and valgrind runs make that a real check. */
static void test_every_prefix(void **state)
{
	const char *t = "%YAML 1.2\n---\ntitle: \"Caf\\u00e9\" # c\nlist:\n"
		"  - &a {x: [1, 'two', !!str 3]}\n  - *a\n  - |\n    block\n"
		"  - >-\n    fold\nflow: {a: *a, b: [~, .inf, 0x1F]}\n? k\n: v\n...\n";
	size_t n = strlen(t);
	for (size_t i = 0; i <= n; i++) {
		diag_list_free(D);
		D = diag_list_new();
		value *v = yaml_parse(&A, t, i, "t.yaml", 1, D);
		assert_true((v == NULL) == (diag_errors(D) > 0));
		for (size_t j = 0; j < diag_count(D); j++)
			assert_true(diag_at(D, j)->line >= 1 && diag_at(D, j)->col >= 1);
	}
}

/* Random byte flips into a valid document: same contract as above. */
static void test_mutations(void **state)
{
	const char *t = "a: &x [1, {b: \"c\"}]\nd: *x\ne: |\n  f\ng: [h, 'i']\n";
	size_t n = strlen(t);
	const char alphabet[] = ":-[]{},&*!|>'\"#?%@` \t\n\\~.0aé";
	unsigned seed = 12345;
	char *copy = malloc(n + 1);
	for (int round = 0; round < 3000; round++) {
		memcpy(copy, t, n + 1);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			copy[at] = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
		}
		diag_list_free(D);
		D = diag_list_new();
		value *v = yaml_parse(&A, copy, n, "t.yaml", 1, D);
		assert_true((v == NULL) == (diag_errors(D) > 0));
	}
	free(copy);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_numbers),
		T(test_special_floats),
		T(test_not_numbers),
		T(test_booleans),
		T(test_nulls),
		T(test_quoted_vs_plain),
		T(test_block_scalars),
		T(test_multiline_plain_and_quoted),
		T(test_tags),
		T(test_bad_tags),
		T(test_positions),
		T(test_first_line_zero_is_one),
		T(test_unicode),
		T(test_empty_documents),
		T(test_root_kinds),
		T(test_structures),
		T(test_keys),
		T(test_anchors_and_aliases),
		T(test_anchor_redefined),
		T(test_anchored_and_aliased_keys),
		T(test_unknown_alias),
		T(test_recursive_alias),
		T(test_alias_bomb),
		T(test_too_many_nodes),
		T(test_deep_nesting),
		T(test_deep_block_nesting),
		T(test_deep_through_alias),
		T(test_duplicate_keys),
		T(test_duplicate_key_message_is_one_line),
		T(test_duplicate_in_big_map),
		T(test_non_scalar_keys),
		T(test_nul_in_key),
		T(test_second_document),
		T(test_syntax_errors),
		T(test_bad_indentation),
		T(test_tabs),
		T(test_control_characters),
		T(test_messages_are_lowercase),
		T(test_bom_is_invisible),
		T(test_only_len_bytes),
		T(test_with_frontmatter),
		T(test_every_prefix),
		T(test_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
