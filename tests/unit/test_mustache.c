/*
 * Unit tests for mustache: hand-written cases beside the official spec
 * (test_mustache_spec.c). Most are about bad templates and where their
 * errors are reported, and about the limits that stop runaway templates;
 * the rest pin down behaviour the spec leaves open (number formatting,
 * replacing templates, compile/render misuse, threads).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"
#include "value.h"
#include "yamlparse.h"

static arena A;

static int setup(void **state)
{
	A = ARENA_INIT;
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static value *data(const char *yaml)
{
	diag_list *d = diag_list_new();
	value *v = yaml_parse(&A, yaml, strlen(yaml), "data.yaml", 1, d);
	assert_int_equal(diag_count(d), 0);
	diag_list_free(d);
	assert_non_null(v);
	return v;
}

/* Every diagnostic of d, formatted, one per line. */
static char *all_diags(diag_list *d)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < diag_count(d); i++) {
		char *s = diag_format(diag_at(d, i));
		buf_puts(&b, s);
		buf_putc(&b, '\n');
		free(s);
	}
	return buf_detach(&b);
}

/* Adds the NULL-terminated name, text pairs in ap to s. */
static void add_pairs(mustache_set *s, va_list ap)
{
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *text = va_arg(ap, const char *);
		char *path = xasprintf("%s.mustache", name);
		mustache_set_add(s, name, text, strlen(text), path);
		free(path);
	}
}

/* Renders text (as template "main") with partials given as name, text
 * pairs ending in NULL. The template set must compile and render cleanly;
 * the caller frees the result. */
static char *render(const char *text, const value *v, ...)
{
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	va_list ap;
	va_start(ap, v);
	add_pairs(s, ap);
	va_end(ap);
	mustache_set_add(s, "main", text, strlen(text), "main.mustache");
	assert_int_equal(mustache_set_compile(s, d), 0);
	int rc = mustache_render(s, "main", v, &out, d);
	if (diag_count(d)) {
		char *msgs = all_diags(d);
		print_error("%s", msgs);
		free(msgs);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(diag_count(d), 0);
	diag_list_free(d);
	mustache_set_free(s);
	return buf_detach(&out);
}

#define assert_render(want, text, v, ...)                                  \
	do {                                                                 \
		char *got_ = render(text, v, __VA_ARGS__);                   \
		assert_string_equal(got_, want);                             \
		free(got_);                                                  \
	} while (0)

/* Compiles text as t.mustache; returns its diagnostics (the caller frees
 * them) and checks that compile counted exactly those. */
static char *compile_errors(const char *text)
{
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	mustache_set_add(s, "t", text, strlen(text), "t.mustache");
	int n = mustache_set_compile(s, d);
	assert_int_equal((size_t)n, diag_count(d));
	assert_int_equal(diag_errors(d), diag_count(d));
	char *msgs = all_diags(d);
	/* A template with errors never renders. */
	buf out = BUF_INIT;
	int rc = mustache_render(s, "t", NULL, &out, d);
	assert_int_equal(rc, n ? -1 : 0);
	if (n)
		assert_int_equal(out.len, 0);
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
	return msgs;
}

#define assert_errors(want, text)                                          \
	do {                                                                 \
		char *got_ = compile_errors(text);                           \
		assert_string_equal(got_, want);                             \
		free(got_);                                                  \
	} while (0)

/* Bad templates. */

static void unclosed_tags(void **state)
{
	assert_errors("t.mustache:1:7: error: unclosed tag '{{name'\n",
		"Hello {{name");
	assert_errors("t.mustache:2:3: error: unclosed tag '{{#list}'\n",
		"line\n  {{#list}\n}");
	assert_errors("t.mustache:1:1: error: unclosed tag '{{{raw}}'\n",
		"{{{raw}}");
	assert_errors("t.mustache:1:3: error: unclosed tag '{{! never ends'\n",
		"a {{! never ends");
	assert_errors("t.mustache:1:1: error: unclosed tag '{{'\n", "{{");
	/* A long tag is quoted in part, cut on a character boundary. */
	assert_errors("t.mustache:1:1: error: unclosed tag '{{ééééééééé'\n",
		"{{éééééééééééééééééé");
	/* Columns count characters, not bytes. */
	assert_errors("t.mustache:1:4: error: unclosed tag '{{x'\n", "éé {{x");
	/* With changed delimiters, the old ones are plain text. */
	assert_errors("t.mustache:1:16: error: unclosed tag '<%x'\n",
		"{{=<% %>=}}{{}}<%x");
}

static void unclosed_sections(void **state)
{
	assert_errors("t.mustache:1:1: error: unclosed section 'a'\n",
		"{{#a}}x");
	assert_errors("t.mustache:2:3: error: unclosed section 'b'\n"
		"t.mustache:1:1: error: unclosed section 'a'\n",
		"{{^a}}\n  {{#b}}\n");
	assert_errors("t.mustache:1:3: error: unclosed parent 'p'\n",
		"x {{<p}}{{$b}}{{/b}}");
	assert_errors("t.mustache:1:1: error: unclosed block 'b'\n",
		"{{$b}}default");
	assert_errors("t.mustache:1:1: error: unclosed section 'a.b'\n",
		"{{#a.b}}");
}

static void mismatched_ends(void **state)
{
	assert_errors("t.mustache:1:7: error: end tag 'b' does not match open "
		"section 'a'\n", "{{#a}}{{/b}}");
	/* After a mismatch the open section counts as closed, so the
	 * outer one is the one left open. */
	assert_errors("t.mustache:1:13: error: end tag 'a' does not match open "
		"section 'b'\n"
		"t.mustache:1:1: error: unclosed section 'a'\n",
		"{{#a}}{{#b}}{{/a}}");
	assert_errors("t.mustache:3:1: error: unexpected end tag 'x'\n",
		"a\nb\n{{/x}}\n");
	assert_errors("t.mustache:1:7: error: end tag 'q' does not match open "
		"parent 'p'\n", "{{<p}}{{/q}}");
	assert_errors("t.mustache:1:7: error: end tag 'c' does not match open "
		"block 'b'\n", "{{$b}}{{/c}}");
	/* Names compare as written, after trimming. */
	assert_errors("", "{{# a }}x{{/a}}{{^ b}}{{/b }}");
	assert_errors("t.mustache:1:7: error: end tag 'a.b' does not match "
		"open section 'a'\n", "{{#a}}{{/a.b}}");
}

static void bad_delimiters(void **state)
{
	assert_errors("t.mustache:1:1: error: bad set-delimiter tag "
		"'{{=<% =}}'\n", "{{=<% =}}");
	assert_errors("t.mustache:1:1: error: bad set-delimiter tag "
		"'{{=a b c=}}'\n", "{{=a b c=}}");
	assert_errors("t.mustache:1:1: error: bad set-delimiter tag "
		"'{{= =}}'\n", "{{= =}}");
	assert_errors("t.mustache:2:1: error: bad set-delimiter tag "
		"'{{=<% %>}}'\n", "x\n{{=<% %>}}");
	assert_errors("t.mustache:1:1: error: bad set-delimiter tag "
		"'{{=a= b=}}'\n", "{{=a= b=}}");
	assert_errors("t.mustache:1:1: error: unclosed tag '{{=<% %>'\n",
		"{{=<% %>");
	/* A bad change after a good one is reported where it stands. */
	assert_errors("t.mustache:1:12: error: bad set-delimiter tag "
		"'<%=x%>'\n", "{{=<% %>=}}<%=x%>");
	/* Good ones: the change holds for the rest of the template. */
	assert_errors("", "{{=<% %>=}}<%a%> {{b}} <%={{ }}=%>{{c}}");
}

static void bad_names(void **state)
{
	assert_errors("t.mustache:1:1: error: empty name in tag '{{}}'\n",
		"{{}}");
	assert_errors("t.mustache:1:3: error: empty name in tag '{{# }}'\n"
		"t.mustache:1:9: error: empty name in tag '{{/}}'\n",
		"x {{# }}{{/}}");
	assert_errors("t.mustache:1:1: error: whitespace in tag name "
		"'{{a b}}'\n", "{{a b}}");
	assert_errors("t.mustache:1:1: error: empty part in dotted name "
		"'{{a..b}}'\n", "{{a..b}}");
	assert_errors("t.mustache:1:1: error: empty part in dotted name "
		"'{{&.a}}'\n", "{{&.a}}");
	assert_errors("t.mustache:1:1: error: empty name in tag '{{>}}'\n",
		"{{>}}");
	assert_errors("t.mustache:1:1: error: empty name in tag '{{> * }}'\n",
		"{{> * }}");
	assert_errors("t.mustache:1:1: error: whitespace in tag name "
		"'{{>a b}}'\n", "{{>a b}}");
	/* Partial names are template names, not dotted paths. */
	assert_errors("", "{{>layout/head.html}}{{.}}{{a.b.c}}");
}

static void several_errors(void **state)
{
	/* Every error of every template is reported. */
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	const char *a = "{{#a}}{{/b}}\n{{c d}}\n";
	const char *b = "ok\n{{>x}}{{#y}}";
	mustache_set_add(s, "a", a, strlen(a), "theme/a.mustache");
	mustache_set_add(s, "b", b, strlen(b), "theme/b.mustache");
	assert_int_equal(mustache_set_compile(s, d), 3);
	char *msgs = all_diags(d);
	assert_string_equal(msgs,
		"theme/a.mustache:1:7: error: end tag 'b' does not match open "
		"section 'a'\n"
		"theme/a.mustache:2:1: error: whitespace in tag name '{{c d}}'\n"
		"theme/b.mustache:2:7: error: unclosed section 'y'\n");
	free(msgs);
	/* A template that includes a broken one still renders; the broken
	 * partial prints nothing (compile already reported it). */
	const char *c = "[{{>b}}]";
	mustache_set_add(s, "c", c, strlen(c), "theme/c.mustache");
	assert_int_equal(mustache_set_compile(s, d), 3);
	buf out = BUF_INIT;
	assert_int_equal(mustache_render(s, "c", NULL, &out, d), 0);
	assert_string_equal(out.p, "[]");
	assert_int_equal(mustache_render(s, "a", NULL, &out, d), -1);
	assert_string_equal(out.p, "[]");
	const diag *g = diag_at(d, diag_count(d) - 1);
	assert_string_equal(g->path, "theme/a.mustache");
	assert_string_equal(g->msg, "template 'a' has errors");
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
}

static void nesting_limit(void **state)
{
	buf t = BUF_INIT;
	for (int i = 0; i < MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&t, "{{#a}}");
	for (int i = 0; i < MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&t, "{{/a}}");
	assert_errors("", t.p);
	buf_clear(&t);
	for (int i = 0; i <= MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&t, "{{#a}}\n");
	char *want = xasprintf("t.mustache:%d:1: error: sections nested deeper "
		"than %d\n", MUSTACHE_MAX_DEPTH + 1, MUSTACHE_MAX_DEPTH);
	assert_errors(want, t.p);
	free(want);
	buf_release(&t);
}

/* Render-time errors. */

static void unknown_template(void **state)
{
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	buf_puts(&out, "kept");
	mustache_set_add(s, "page", "x", 1, "page.mustache");
	assert_int_equal(mustache_set_compile(s, d), 0);
	assert_int_equal(mustache_render(s, "pgae", NULL, &out, d), -1);
	assert_string_equal(out.p, "kept");
	assert_int_equal(diag_errors(d), 1);
	char *msgs = all_diags(d);
	assert_string_equal(msgs, "enquire: error: unknown template 'pgae'\n");
	free(msgs);
	/* A NULL diagnostics list is allowed. */
	assert_int_equal(mustache_render(s, "nope", NULL, &out, NULL), -1);
	assert_true(mustache_set_has(s, "page"));
	assert_false(mustache_set_has(s, "pgae"));
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
}

static void render_before_compile(void **state)
{
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	mustache_set_add(s, "a", "A", 1, "a.mustache");
	assert_int_equal(mustache_render(s, "a", NULL, &out, d), -1);
	assert_int_equal(mustache_set_compile(s, d), 0);
	assert_int_equal(mustache_render(s, "a", NULL, &out, d), 0);
	/* Adding a template makes the set need compiling again. */
	mustache_set_add(s, "b", "{{>a}}", 6, "b.mustache");
	assert_int_equal(mustache_render(s, "a", NULL, &out, d), -1);
	assert_int_equal(mustache_set_compile(s, d), 0);
	assert_int_equal(mustache_render(s, "b", NULL, &out, d), 0);
	assert_string_equal(out.p, "AA");
	assert_int_equal(diag_errors(d), 2);
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
}

/* Renders name from s, expecting failure; returns the last message. */
static char *render_fails(mustache_set *s, const char *name, const value *v)
{
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	assert_int_equal(mustache_set_compile(s, d), 0);
	assert_int_equal(mustache_render(s, name, v, &out, d), -1);
	/* Nothing half-rendered is left behind. */
	assert_int_equal(out.len, 0);
	assert_int_equal(diag_errors(d), 1);
	char *msg = all_diags(d);
	buf_release(&out);
	diag_list_free(d);
	return msg;
}

static void recursion_limit(void **state)
{
	mustache_set *s = mustache_set_new();
	const char *self = "x\n  {{>self}}\n";
	mustache_set_add(s, "self", self, strlen(self), "self.mustache");
	char *msg = render_fails(s, "self", NULL);
	assert_string_equal(msg, "self.mustache:2:3: error: partial 'self' "
		"nested deeper than 100 levels\n");
	free(msg);

	/* Two templates including each other, through a dynamic name. */
	const char *a = "{{>*next}}", *b = "{{>a}}";
	mustache_set_add(s, "a", a, strlen(a), "a.mustache");
	mustache_set_add(s, "b", b, strlen(b), "b.mustache");
	msg = render_fails(s, "a", data("next: b"));
	assert_true(strstr(msg, "nested deeper than 100 levels") != NULL);
	free(msg);

	/* A parent that is its own parent. */
	const char *p = "{{<p}}{{$x}}y{{/x}}{{/p}}";
	mustache_set_add(s, "p", p, strlen(p), "p.mustache");
	msg = render_fails(s, "p", NULL);
	assert_string_equal(msg, "p.mustache:1:1: error: parent 'p' nested "
		"deeper than 100 levels\n");
	free(msg);

	/* An argument block that contains the block it overrides. */
	const char *q = "{{$a}}{{/a}}";
	const char *r = "{{<q}}{{$a}}({{$a}}-{{/a}}){{/a}}{{/q}}";
	mustache_set_add(s, "q", q, strlen(q), "q.mustache");
	mustache_set_add(s, "r", r, strlen(r), "r.mustache");
	msg = render_fails(s, "r", NULL);
	assert_true(strstr(msg, "block 'a' nested deeper than 100") != NULL);
	free(msg);
	mustache_set_free(s);
}

static void exponential_work(void **state)
{
	/* Ten items, nine sections deep: 10^9 iterations, stopped early. */
	mustache_set *s = mustache_set_new();
	buf t = BUF_INIT;
	for (int i = 0; i < 9; i++)
		buf_puts(&t, "{{#l}}");
	buf_puts(&t, "\n  {{x}}");
	for (int i = 0; i < 9; i++)
		buf_puts(&t, "{{/l}}");
	mustache_set_add(s, "boom", t.p, t.len, "boom.mustache");
	char *msg = render_fails(s, "boom", data("l: [0, 1, 2, 3, 4, 5, 6, 7, "
		"8, 9]\n"));
	/* Reported at whichever node crossed the limit. */
	assert_true(strncmp(msg, "boom.mustache:", 14) == 0);
	assert_non_null(strstr(msg, ": error: template output too large (over "
		"20000000 nodes or 268435456 bytes)\n"));
	free(msg);
	buf_release(&t);
	mustache_set_free(s);
}

static void recursion_within_limit(void **state)
{
	/* Recursion that the data ends is fine, up to the limit. */
	buf y = BUF_INIT;
	for (int i = 0; i < MUSTACHE_MAX_DEPTH - 1; i++)
		buf_printf(&y, "%*s- n: %d\n%*s  kids:\n", 2 * i, "", i, 2 * i, "");
	value *v = data(y.p);
	value *top = value_map(&A);
	value_set(&A, top, "kids", v);
	char *out = render("{{>node}}", top, "node",
		"{{#kids}}{{n}},{{>node}}{{/kids}}", NULL);
	assert_int_equal(strlen(out), 10 * 2 + 89 * 3);
	assert_true(strncmp(out, "0,1,2,3,", 8) == 0);
	free(out);
	buf_release(&y);
}

/* Rendering. */

static void escaping(void **state)
{
	value *v = data("a: \"<b>&'\\\"\"\n");
	assert_render("&lt;b&gt;&amp;&#39;&quot; <b>&'\" <b>&'\"",
		"{{a}} {{{a}}} {{&a}}", v, NULL);
}

static void numbers_and_scalars(void **state)
{
	value *v = value_map(&A);
	value_set(&A, v, "a", value_number(&A, 1.21));
	value_set(&A, v, "b", value_number(&A, 3.0));
	value_set(&A, v, "c", value_number(&A, -0.5));
	value_set(&A, v, "d", value_number(&A, 0.1));
	value_set(&A, v, "e", value_number(&A, 1e20));
	value_set(&A, v, "f", value_number(&A, 1.0 / 3.0));
	value_set(&A, v, "g", value_bool(&A, true));
	value_set(&A, v, "h", value_null(&A));
	value_set_int(&A, v, "i", 2024);
	assert_render("1.21 3 -0.5 0.1 1e+20 0.3333333333333333 true  2024",
		"{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}}", v, NULL);
	/* From YAML: numbers print in shortest form, quoted ones as written,
	 * booleans as true/false. */
	v = data("n: 1.210\ns: '1.210'\nt: True\nl: [1, 2]\nm: {x: 1}\n");
	assert_render("1.21 1.210 true  ", "{{n}} {{s}} {{t}} {{l}} {{m}}", v,
		NULL);
}

static void sections_and_lookup(void **state)
{
	value *v = data("list: [a, b, c]\n"
		"people: [{name: Ann}, {name: Bo, role: x}]\n"
		"role: none\n"
		"empty: []\n"
		"map: {k: v, deep: {er: true}}\n"
		"zero: 0\n"
		"blank: ''\n");
	assert_render("a,b,c,", "{{#list}}{{.}},{{/list}}", v, NULL);
	assert_render("Ann(none) Bo(x) ",
		"{{#people}}{{name}}({{role}}) {{/people}}", v, NULL);
	assert_render("[none]", "{{#empty}}x{{/empty}}{{^empty}}[{{role}}]"
		"{{/empty}}", v, NULL);
	assert_render("v true true", "{{#map}}{{k}}{{/map}} {{map.deep.er}} "
		"{{#map.deep}}{{er}}{{/map.deep}}", v, NULL);
	assert_render("0!", "{{#zero}}{{.}}!{{/zero}}{{#blank}}no{{/blank}}", v,
		NULL);
	/* A broken chain does not fall back to outer contexts. */
	assert_render("[]", "{{#map}}[{{deep.k}}]{{/map}}", v, NULL);
	/* No data at all renders like an empty map. */
	assert_render("[]yes", "[{{x}}{{#x}}no{{/x}}]{{^x}}yes{{/x}}", NULL, NULL);
}

static void partials_and_indentation(void **state)
{
	value *v = data("items: [1, 2]\nname: X\n");
	assert_render("<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n",
		"<ul>\n  {{>items}}\n</ul>\n", v,
		"items", "{{#items}}\n<li>{{.}}</li>\n{{/items}}\n", NULL);
	/* Indentation adds up through nested standalone partials, but not
	 * into inline ones. */
	assert_render("<div>\n    a\n    b-c\nd\n</div>\n",
		"<div>\n  {{>outer}}\n</div>\n", v,
		"outer", "  {{>inner}}\n", "inner", "a\nb-{{>last}}\n",
		"last", "c\nd", NULL);
	/* A missing partial renders as nothing. */
	assert_render("[]", "[{{>missing}}]", v, NULL);
	/* A dynamic name that is not text renders nothing either. */
	assert_render("[]", "[{{>*items}}]", v, NULL);
	assert_render("X", "{{>*name}}", v, "X", "{{name}}", NULL);
}

static void replacing_templates(void **state)
{
	/* A site's own template replaces the theme's of the same name. */
	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	mustache_set_add(s, "head", "theme", 5, "theme/head.mustache");
	mustache_set_add(s, "page", "<{{>head}}>", 11, "theme/page.mustache");
	mustache_set_add(s, "head", "site{{", 6, "site/head.mustache");
	assert_int_equal(mustache_set_compile(s, d), 1);
	assert_string_equal(diag_at(d, 0)->path, "site/head.mustache");
	mustache_set_add(s, "head", "site", 4, "site/head.mustache");
	assert_int_equal(mustache_set_compile(s, d), 0);
	assert_int_equal(mustache_render(s, "page", NULL, &out, d), 0);
	assert_string_equal(out.p, "<site>");
	/* Text is copied, not referenced; length is honoured. */
	char text[] = "abcdef";
	mustache_set_add(s, "copy", text, 3, NULL);
	text[0] = 'X';
	assert_int_equal(mustache_set_compile(s, d), 0);
	buf_clear(&out);
	assert_int_equal(mustache_render(s, "copy", NULL, &out, d), 0);
	assert_string_equal(out.p, "abc");
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
	mustache_set_free(NULL);
}

static void inheritance(void **state)
{
	value *v = data("title: T\n");
	assert_render("<html>\n<title>T</title>\n<main>\n  body\n</main>\n",
		"{{<layout}}\n{{$content}}\nbody\n{{/content}}\n{{/layout}}\n", v,
		"layout", "<html>\n<title>{{$title}}{{title}}{{/title}}</title>\n"
		"<main>\n  {{$content}}{{/content}}\n</main>\n", NULL);
	/* A standalone block's content is whole lines even if the
	 * argument is inline. */
	assert_render("<main>\n  body\n</main>\n",
		"{{<layout}}{{$content}}body{{/content}}{{/layout}}", v,
		"layout", "<main>\n  {{$content}}{{/content}}\n</main>\n", NULL);
}

/* Threads rendering the same compiled set at once. */
typedef struct {
	const mustache_set *s;
	const value *v;
	char *out;
} job;

static void *render_job(void *arg)
{
	job *j = arg;
	buf out = BUF_INIT;
	for (int i = 0; i < 200; i++) {
		buf_clear(&out);
		if (mustache_render(j->s, "page", j->v, &out, NULL) < 0)
			break;
	}
	j->out = buf_detach(&out);
	return NULL;
}

static void threads(void **state)
{
	mustache_set *s = mustache_set_new();
	const char *page = "{{#items}}\n  {{>item}}\n{{/items}}\n";
	const char *item = "<li>{{name}}</li>\n{{>*kind}}\n";
	mustache_set_add(s, "page", page, strlen(page), NULL);
	mustache_set_add(s, "item", item, strlen(item), NULL);
	mustache_set_add(s, "k", "k{{n}}\n", 7, NULL);
	assert_int_equal(mustache_set_compile(s, NULL), 0);
	value *v = data("items: [{name: a, kind: k, n: 1.50}, {name: b}]\n");
	job j[2] = { { s, v, NULL }, { s, v, NULL } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render_job, &j[i]), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_string_equal(j[i].out, "  <li>a</li>\n  k1.5\n  <li>b</li>\n");
		free(j[i].out);
	}
	mustache_set_free(s);
}

/* Random templates from Mustache's alphabet must compile or fail
 * cleanly, and render without crashing or hanging. */
static void random_templates(void **state)
{
	static const char alphabet[] = "{{}}#^/!<>$&=*. \n\tab";
	value *v = data("a: [1, {b: a}]\nb: {a: x}\n");
	unsigned seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char text[48];
		size_t n = (size_t)(round % 47);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		mustache_set *s = mustache_set_new();
		diag_list *d = diag_list_new();
		buf out = BUF_INIT;
		mustache_set_add(s, "a", text, n, "a.mustache");
		mustache_set_add(s, "b", text, n / 2, "b.mustache");
		int errors = mustache_set_compile(s, d);
		int rc = mustache_render(s, "a", v, &out, d);
		assert_true(errors > 0 || rc == 0 || diag_errors(d) == 1);
		buf_release(&out);
		diag_list_free(d);
		mustache_set_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(unclosed_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(unclosed_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(mismatched_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_delimiters, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(several_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(nesting_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_template, setup, teardown),
		cmocka_unit_test_setup_teardown(render_before_compile, setup, teardown),
		cmocka_unit_test_setup_teardown(recursion_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(exponential_work, setup, teardown),
		cmocka_unit_test_setup_teardown(recursion_within_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(numbers_and_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(sections_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(partials_and_indentation, setup, teardown),
		cmocka_unit_test_setup_teardown(replacing_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(inheritance, setup, teardown),
		cmocka_unit_test_setup_teardown(threads, setup, teardown),
		cmocka_unit_test_setup_teardown(random_templates, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
