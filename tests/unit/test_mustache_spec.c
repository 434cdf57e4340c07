/*
 * The official Mustache spec as data: every case of the spec files (all
 * but ~lambdas, which enquire does not support) becomes its own cmocka
 * test named "file: case name". Each case's partials and template go into
 * a fresh template set, which is compiled and rendered over the case's
 * data.
 *
 * The spec lives outside the repository: $MUSTACHE_SPEC_DIR, or
 * ../shared/mustache-spec from the repository root (the tests' working
 * directory). A missing or unreadable spec fails the run: a spec suite
 * that silently runs nothing would hide every regression.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"
#include "value.h"
#include "yamlparse.h"

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections", "~dynamic-names", "~inheritance",
};

/* The template under test; partials cannot have this name in the spec. */
#define MAIN "__main"

static void print_escaped(const char *label, const char *s, size_t n)
{
	print_error("%s: \"", label);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			print_error("\\n");
		else if (c == '\r')
			print_error("\\r");
		else if (c == '\t')
			print_error("\\t");
		else if (c == '"' || c == '\\')
			print_error("\\%c", c);
		else if (c < 0x20)
			print_error("\\x%02x", c);
		else
			print_error("%c", c);
	}
	print_error("\"\n");
}

static void print_diags(diag_list *d)
{
	for (size_t i = 0; i < diag_count(d); i++) {
		char *s = diag_format(diag_at(d, i));
		print_error("%s\n", s);
		free(s);
	}
}

static void run_case(void **state)
{
	const value *tc = *state;
	const value *tmpl = value_get(tc, "template");
	const value *expected = value_get(tc, "expected");
	const value *partials = value_get(tc, "partials");
	assert_non_null(tmpl);
	assert_non_null(expected);
	assert_non_null(value_text(tmpl));
	assert_non_null(value_text(expected));

	mustache_set *s = mustache_set_new();
	diag_list *d = diag_list_new();
	buf out = BUF_INIT;
	for (size_t i = 0; partials && i < value_count(partials); i++) {
		const value_pair *p = &partials->u.map.pairs[i];
		const char *text = value_text(p->val);
		assert_non_null(text);
		mustache_set_add(s, p->key, text, strlen(text), p->key);
	}
	mustache_set_add(s, MAIN, tmpl->str, tmpl->len, "template");
	int errors = mustache_set_compile(s, d);
	int rc = errors ? -1 : mustache_render(s, MAIN, value_get(tc, "data"),
		&out, d);
	const char *want = value_text(expected);
	bool same = rc == 0 && out.len == strlen(want) &&
		memcmp(out.p, want, out.len) == 0;
	if (!same) {
		print_escaped("template", tmpl->str, tmpl->len);
		print_escaped("expected", want, strlen(want));
		print_escaped("rendered", out.p, out.len);
		print_diags(d);
	}
	buf_release(&out);
	diag_list_free(d);
	mustache_set_free(s);
	assert_int_equal(errors, 0);
	assert_int_equal(rc, 0);
	assert_true(same);
}

typedef struct {
	struct CMUnitTest *tests;
	size_t n, cap;
} test_list;

/* Adds one test per case of the file; returns -1 if the file cannot be
 * read or is not a spec file. */
static int load_file(arena *a, const char *dir, const char *name,
	test_list *tl)
{
	char *path = xasprintf("%s/%s.yml", dir, name);
	char *text = NULL;
	size_t len = 0;
	int rc = -1;
	diag_list *d = diag_list_new();
	if (read_file(path, &text, &len) < 0) {
		fprintf(stderr, "test_mustache_spec: cannot read '%s' (set "
			"MUSTACHE_SPEC_DIR to the spec's directory)\n", path);
		goto done;
	}
	/* The nodes point into the arena only, so text may go. */
	value *root = yaml_parse(a, text, len, path, 1, d);
	value *cases = root ? value_get(root, "tests") : NULL;
	if (!cases || cases->kind != VALUE_LIST || cases->u.list.n == 0) {
		fprintf(stderr, "test_mustache_spec: '%s' has no tests\n", path);
		for (size_t i = 0; i < diag_count(d); i++) {
			char *s = diag_format(diag_at(d, i));
			fprintf(stderr, "%s\n", s);
			free(s);
		}
		goto done;
	}
	for (size_t i = 0; i < cases->u.list.n; i++) {
		value *tc = cases->u.list.items[i];
		const char *cname = value_text(value_get(tc, "name"));
		if (tl->n == tl->cap) {
			tl->cap = tl->cap ? tl->cap * 2 : 64;
			tl->tests = xrealloc(tl->tests, tl->cap * sizeof *tl->tests);
		}
		struct CMUnitTest *t = &tl->tests[tl->n++];
		memset(t, 0, sizeof *t);
		t->name = arena_printf(a, "%s: %s", name, cname ? cname : "?");
		t->test_func = run_case;
		t->initial_state = tc;
	}
	rc = 0;
done:
	diag_list_free(d);
	free(text);
	free(path);
	return rc;
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	arena a = ARENA_INIT;
	test_list tl = { 0 };
	int rc = 1;
	if (!dir || !*dir)
		dir = "../shared/mustache-spec";
	for (size_t i = 0; i < ARRAY_LEN(spec_files); i++)
		if (load_file(&a, dir, spec_files[i], &tl) < 0)
			goto done;
	rc = _cmocka_run_group_tests("mustache_spec", tl.tests, tl.n, NULL,
		NULL);
done:
	free(tl.tests);
	arena_release(&a);
	return rc;
}
