/*
 * Unit tests for the plugin host (plugin*.c) with real Lua: the sandbox
 * (io, os, require, debug and binary chunks refused), the instruction and
 * memory limits stopping a plugin with its file and line, a Lua error as
 * a diagnostic with file, line and traceback, the order of the hooks,
 * data set in doc.data, claim.data and site.data reaching the model's
 * value trees, and the C helpers doc:numbered and site:claim_counts.
 *
 * Each test writes plugins/t.lua into the knowledge base of
 * model_fixture.h, lists it in site.yaml, loads the model and runs
 * plugins_run on it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model_fixture.h"
#include "plugin.h"

#define SITE_YAML \
	"title: Test Research Network\n" \
	"base_url: https://kb.example.org/\n" \
	"claim_sets: [pedagogy, cpd]\n" \
	"plugins: [t]\n"

static int setup(void **state)
{
	kb_setup(state);
	kb_base();
	kb_write("site.yaml", SITE_YAML);
	unsetenv("ENQUIRE_PLUGIN_INSTRUCTIONS");
	unsetenv("ENQUIRE_PLUGIN_MEMORY");
	return 0;
}

static int teardown(void **state)
{
	unsetenv("ENQUIRE_PLUGIN_INSTRUCTIONS");
	unsetenv("ENQUIRE_PLUGIN_MEMORY");
	return kb_teardown(state);
}

/* Loads the knowledge base with plugins/t.lua = code and runs it;
 * returns plugins_run's status. The diagnostics are K.d. */
static int run(const char *code)
{
	kb_write("plugins/t.lua", code);
	kb_load(0, 1);
	tu_expect_no_errors(K.d);
	/* No bundled plugins folder: only the site's own t.lua. */
	return plugins_run(K.m, K.src, K.dir, K.d);
}

static void expect_refused(const char *code, const char *name)
{
	assert_int_equal(run(code), -1);
	char *msg = xasprintf("'%s' is not available to plugins", name);
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 1, 0, msg);
	free(msg);
}

static void test_sandbox_refuses_io_os_require_debug(void **state)
{
	(void)state;
	expect_refused("io.open('/etc/passwd')", "io");
	expect_refused("os.execute('touch pwned')", "os");
	expect_refused("local ffi = require 'ffi'", "require");
	expect_refused("debug.sethook()", "debug");
	expect_refused("package.loadlib('x', 'y')", "package");
	assert_false(tu_exists(K.root, "pwned"));
}

static void test_sandbox_refuses_binary_chunks(void **state)
{
	(void)state;
	assert_int_equal(run(
		"local f, err = load('\\27LuaT\\0')\n"
		"assert(f == nil and err:find('binary'), 'binary chunk loaded')\n"
		"assert(string.dump == nil and rawget(_G, 'dofile') == nil)\n"
		"assert(rawget(_G, 'loadfile') == nil)\n"
		"assert(load('return 1 + 1')() == 2)\n"
		"error('all refused')\n"), -1);
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 6, 0, "all refused");
}

static void test_instruction_limit(void **state)
{
	(void)state;
	setenv("ENQUIRE_PLUGIN_INSTRUCTIONS", "2000000", 1);
	assert_int_equal(run(
		"function on_load(site)\n"
		"\twhile true do end\n"
		"end\n"), -1);
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 2, 0,
		"instruction limit exceeded");
}

static void test_memory_limit(void **state)
{
	(void)state;
	setenv("ENQUIRE_PLUGIN_MEMORY", "8", 1);
	assert_int_equal(run(
		"local t = {}\n"
		"function on_load(site)\n"
		"\tfor i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end\n"
		"end\n"), -1);
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 3, 0,
		"memory limit exceeded (8 MB per plugin)");
}

static void test_lua_error_is_a_diagnostic_with_traceback(void **state)
{
	(void)state;
	assert_int_equal(run(
		"local function deeper(x)\n"
		"\treturn x.field\n"
		"end\n"
		"function on_document(doc)\n"
		"\tdeeper(nil)\n"
		"end\n"), -1);
	/* The line of the plugin where the error was raised. */
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 2, 0,
		"attempt to index");
	tu_expect_diag(K.d, DIAG_ERROR, "plugins/t.lua", 2, 0,
		"stack traceback");
	/* A failed plugin runs no further hooks: one error only. */
	assert_int_equal(diag_errors(K.d), 1);
}

static void test_hooks_run_in_order(void **state)
{
	(void)state;
	assert_int_equal(run(
		"diagnostic(nil, 'note', 'top')\n"
		"function on_pages(site) diagnostic(nil, 'note', 'on_pages') end\n"
		"function on_document(doc)\n"
		"\tif doc.slug == 'alpha' then diagnostic(nil, 'note', 'on_document') end\n"
		"end\n"
		"function on_load(site) diagnostic(nil, 'note', 'on_load') end\n"), 0);
	const char *want[] = { "top", "on_load", "on_document", "on_pages" };
	size_t k = 0;
	for (size_t i = 0; i < diag_count(K.d); i++) {
		const diag *g = diag_at(K.d, i);
		if (g->level != DIAG_NOTE)
			continue;
		assert_true(k < ARRAY_LEN(want));
		char *msg = xasprintf("%s [t]", want[k++]);
		assert_string_equal(g->msg, msg);
		free(msg);
	}
	assert_int_equal(k, ARRAY_LEN(want));
}

static void test_data_reaches_the_model(void **state)
{
	(void)state;
	assert_int_equal(run(
		"function on_document(doc)\n"
		"\tif doc.slug == 'alpha' then\n"
		"\t\tdoc.data = { minutes = 7, tags = { 'a', 'b' } }\n"
		"\tend\n"
		"end\n"
		"function on_load(site)\n"
		"\tsite.claim_by_id['pedagogy-1'].data.flag = 'yes'\n"
		"\tsite.data.network = { name = 'North', ok = true }\n"
		"end\n"), 0);
	const doc *alpha = kb_doc(DOC_CASE_STUDY, "alpha");
	assert_non_null(alpha->data);
	tu_assert_text(alpha->data, "minutes", "7");
	tu_assert_text(alpha->data, "tags.1", "b");
	tu_assert_bool(alpha->data, "has_tags", true);
	assert_null(kb_doc(DOC_CASE_STUDY, "beta")->data);
	const claim *c = &K.m->sets[0].claims[0];
	assert_string_equal(c->id, "pedagogy-1");
	tu_assert_text(c->data, "flag", "yes");
	tu_assert_text(K.m->data, "network.name", "North");
	tu_assert_bool(K.m->data, "network.ok", true);
}

static void test_numbered_finds_citations(void **state)
{
	(void)state;
	kb_write("case-studies/cite.md",
		"---\n"
		"title: Cite\n"
		"alliance: south-tsa\n"
		"theme: pedagogy\n"
		"research_questions: [Q]\n"
		"claims: [pedagogy-4]\n"
		"---\n"
		"As claim 2 shows, and CPD Claims 1 and 7, see pedagogy-4.\n"
		"A claimed 3 and reclaim 5 and claim none are no citations.\n"
		KB_PHASES);
	assert_int_equal(run(
		"function on_document(doc)\n"
		"\tif doc.slug ~= 'cite' then return end\n"
		"\tfor _, h in ipairs(doc:numbered('claim', 'pedagogy')) do\n"
		"\t\tdiagnostic(doc, 'note', string.format('%s|%s|%s|%s|%s', h.match,\n"
		"\t\t\th.sep, table.concat(h.numbers, ','), h.before or '-',\n"
		"\t\t\tdoc:sub(h.pos, h.pos + #h.match - 1)), doc:line_at(h.pos))\n"
		"\tend\n"
		"\tassert(doc:numbered('nothing') == nil)\n"
		"end\n"), 0);
	tu_expect_diag(K.d, DIAG_NOTE, "case-studies/cite.md", 8, 0,
		"claim| |2|As|claim [t]");
	tu_expect_diag(K.d, DIAG_NOTE, "case-studies/cite.md", 8, 0,
		"Claim| |1,7|CPD|Claim [t]");
	tu_expect_diag(K.d, DIAG_NOTE, "case-studies/cite.md", 8, 0,
		"pedagogy|-|4|see|pedagogy [t]");
	assert_int_equal(tu_count_diag(K.d, DIAG_NOTE, "[t]"), 3);
}

static void test_claim_counts(void **state)
{
	(void)state;
	/* From the fixture (published documents only): pedagogy-1 is strong
	 * in epsilon and beta, supporting in alpha; alpha's first record
	 * links it; e-three names it; beta also declares cpd-7. */
	assert_int_equal(run(
		"function on_load(site)\n"
		"\tlocal counts = site:claim_counts()\n"
		"\tfor _, c in ipairs(site.claims) do\n"
		"\t\tlocal n = counts[c]\n"
		"\t\tlocal with = {}\n"
		"\t\tfor _, o in ipairs(site.claims) do\n"
		"\t\t\tif n.with[o] then with[#with + 1] = o.id .. ':' .. n.with[o] end\n"
		"\t\tend\n"
		"\t\tdiagnostic(nil, 'note', string.format('%s %d %d %d %d %d %s',\n"
		"\t\t\tc.id, n.strong, n.supporting, n.enquiries, n.dissemination,\n"
		"\t\t\tn.evidence, table.concat(with, ',')))\n"
		"\tend\n"
		"end\n"), 0);
	tu_expect_diag(K.d, DIAG_NOTE, "site.yaml", 0, 0,
		"pedagogy-1 2 1 1 0 1 pedagogy-2:1,cpd-7:1 [t]");
	tu_expect_diag(K.d, DIAG_NOTE, "site.yaml", 0, 0,
		"pedagogy-2 1 0 0 1 ");
	tu_expect_diag(K.d, DIAG_NOTE, "site.yaml", 0, 0,
		"cpd-1 0 0 1 0 0  [t]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_sandbox_refuses_io_os_require_debug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sandbox_refuses_binary_chunks,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_instruction_limit, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_lua_error_is_a_diagnostic_with_traceback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hooks_run_in_order, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_data_reaches_the_model, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_numbered_finds_citations, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_claim_counts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
