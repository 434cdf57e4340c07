/*
 * Unit tests for pages_filter: the filter pages of the lists (one per
 * facet value, paginated, items in list order, drafts left out), the
 * facet panels, related case studies, citation files and hashed asset
 * names, on model_fixture.h's knowledge base.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pages_fixture.h"
#include "pages_int.h" /* pages_slug */

static void test_filter_pages_planned(void **state)
{
	(void)state;
	plan();
	/* pedagogy-1: epsilon, alpha and beta (gamma is a draft). */
	const page *pg = find("case-studies/claim/pedagogy-1/");
	assert_int_equal(pg->type, PAGE_FILTER);
	assert_string_equal(pg->template, "case-studies");
	assert_string_equal(pg->file, "case-studies/claim/pedagogy-1/index.html");
	value *v = data("case-studies/claim/pedagogy-1/");
	assert_int_equal(count(v, "items"), 3);
	tu_assert_text(v, "items.0.title", "Epsilon study");
	tu_assert_text(v, "items.1.title", "Alpha study");
	tu_assert_text(v, "items.2.title", "Beta study");
	tu_assert_text(v, "total", "3");
	tu_assert_text(v, "filter.facet", "claim");
	tu_assert_text(v, "filter.facet_label", "Claim");
	tu_assert_text(v, "filter.label", "Great pedagogy 1: Pupil voice");
	tu_assert_text(v, "filter.clear_url", "case-studies/");
	tu_assert_text(v, "page.title", "Case studies: Claim Great pedagogy 1: Pupil voice");
	absent(v, "pagination");
	/* Every facet of the contract has pages. */
	find("case-studies/theme/pedagogy/");
	find("case-studies/theme/professional-development/");
	find("case-studies/phase/primary/");
	find("case-studies/subject/english/");
	find("case-studies/key-stage/ks2/");
	find("case-studies/alliance/north-tsa/");
	find("enquiries/status/active/");
	find("enquiries/stage/innovation/");
	find("enquiries/claim/cpd-1/");
	find("dissemination/kind/event/");
	find("evidence/claim/pedagogy-1/");
	value *e = data("evidence/claim/pedagogy-1/");
	assert_int_equal(count(e, "rows"), 1);
	tu_assert_text(e, "rows.0.outcome", "Pupils at or above target in writing");
	/* Drafts and internal documents have no filter pages. */
	for (size_t i = 0; i < pages_count(P); i++)
		assert_null(strstr(pages_at(P, i)->url, "gamma"));
}

static void test_facet_panel(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/");
	tu_assert_text(v, "filters.0.key", "claim");
	tu_assert_text(v, "filters.0.label", "Claim");
	/* Claims in framework order: pedagogy-1, -2, -4, then cpd-7. */
	tu_assert_text(v, "filters.0.options.0.url", "case-studies/claim/pedagogy-1/");
	tu_assert_text(v, "filters.0.options.0.count", "3");
	tu_assert_text(v, "filters.0.options.1.url", "case-studies/claim/pedagogy-2/");
	tu_assert_text(v, "filters.0.options.3.url", "case-studies/claim/cpd-7/");
	tu_assert_text(v, "filters.1.key", "theme");
	tu_assert_text(v, "filters.1.options.0.label", "Leadership of alliances");
	/* A filter page's first page carries the panel too. */
	value *f = data("case-studies/theme/pedagogy/");
	tu_assert_text(f, "filters.0.key", "claim");
	value *e = data("evidence/");
	tu_assert_text(e, "filters.0.key", "claim");
}

static void test_filter_pagination(void **state)
{
	(void)state;
	for (int i = 0; i < 110; i++) {
		char path[64], body[256];
		snprintf(path, sizeof path, "case-studies/many-%03d.md", i);
		snprintf(body, sizeof body, "---\ntitle: Many %03d\nalliance: north-tsa\n"
			"theme: pedagogy\nresearch_questions: [Q]\nsubjects: [Art & design]\n"
			"claims: [pedagogy-4]\ndate: 2010-01-%02d\n---\n" KB_PHASES,
			i, i % 28 + 1);
		kb_write(path, body);
	}
	plan();
	const page *p2 = find("case-studies/subject/art-design/page/2/");
	assert_int_equal(p2->pageno, 2);
	assert_int_equal(p2->npages, 2);
	value *v = data("case-studies/subject/art-design/page/2/");
	assert_int_equal(count(v, "items"), 110 - PAGES_PER_FILTER);
	tu_assert_text(v, "total", "110");
	tu_assert_text(v, "pagination.prev_url", "case-studies/subject/art-design/");
	tu_assert_text(v, "filter.label", "Art & design");
	absent(v, "filters"); /* the panel is on page 1 only */
	/* Claim pages cap their lists and link to the full filter page. */
	value *c = data("claims/pedagogy-4/");
	assert_int_equal(count(c, "claim.supporting"), PAGES_CLAIM_CARDS);
	tu_assert_text(c, "claim.nsupporting", "111");
	tu_assert_bool(c, "claim.more_case_studies", true);
	tu_assert_text(c, "claim.case_studies_url", "case-studies/claim/pedagogy-4/");
	value *al = data("alliances/north-tsa/");
	assert_int_equal(count(al, "alliance.case_studies"), PAGES_CLAIM_CARDS);
	tu_assert_bool(al, "alliance.more_case_studies", true);
	tu_assert_text(al, "alliance.case_studies_url", "case-studies/alliance/north-tsa/");
}

static void test_slug(void **state)
{
	(void)state;
	arena a = ARENA_INIT;
	assert_string_equal(pages_slug(&a, "Art & design"), "art-design");
	assert_string_equal(pages_slug(&a, "KS2"), "ks2");
	assert_string_equal(pages_slug(&a, "--x--"), "x");
	assert_string_equal(pages_slug(&a, "\xC3\xA9t\xC3\xA9"), "t");
	assert_string_equal(pages_slug(&a, "!!"), "other");
	arena_release(&a);
}

static void test_related(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/beta/");
	/* beta shares pedagogy-1 with epsilon and alpha; both strong with
	 * epsilon, so epsilon comes first. */
	assert_int_equal(count(v, "doc.related"), 2);
	tu_assert_text(v, "doc.related.0.title", "Epsilon study");
	tu_assert_text(v, "doc.related.1.title", "Alpha study");
	tu_assert_text(v, "doc.related.0.shared_claims.0.id", "pedagogy-1");
	value *z = data("case-studies/zeta/");
	tu_assert_bool(z, "doc.has_related", false);
}

static void test_case_study_extras(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/alpha/");
	tu_assert_text(v, "doc.cite.bibtex_url", "case-studies/alpha/cite.bib");
	tu_assert_text(v, "doc.cite.ris_url", "case-studies/alpha/cite.ris");
	const char *h = value_text(tu_get(v, "doc.cite.harvard"));
	assert_non_null(strstr(h, "Teacher, A. and Teacher, B. (2015) <i>Alpha study</i>."));
	tu_assert_bool(v, "doc.has_charts", true);
	assert_non_null(strstr(value_text(tu_get(v, "doc.evidence.0.chart")), "<svg "));
	assert_non_null(strstr(value_text(tu_get(v, "doc.evidence.1.chart")), "axis inverted"));
	tu_assert_text(v, "doc.theme_url", "case-studies/theme/pedagogy/");
	/* Facet values link to their filter pages; KS2's slug is ks2. */
	tu_assert_text(v, "doc.phases.0.slug", "primary");
	tu_assert_text(v, "doc.phases.0.label", "Primary");
	tu_assert_text(v, "doc.phases.0.url", "case-studies/phase/primary/");
	tu_assert_text(v, "doc.subjects.0.url", "case-studies/subject/english/");
	tu_assert_text(v, "doc.key_stages.0.slug", "ks2");
	tu_assert_text(v, "doc.key_stages.0.label", "KS2");
	tu_assert_text(v, "doc.key_stages.0.url", "case-studies/key-stage/ks2/");
	tu_assert_bool(v, "doc.has_key_stages", true);
	/* Prebuilt once: a second page shows the same link. */
	assert_ptr_equal(tu_get(v, "doc.phases.0"),
		tu_get(data("case-studies/alpha/"), "doc.phases.0"));

	const page *bib = find("case-studies/alpha/cite.bib");
	assert_int_equal(bib->type, PAGE_CITE);
	assert_string_equal(bib->file, "case-studies/alpha/cite.bib");
	value *b = data("case-studies/alpha/cite.bib");
	assert_non_null(strstr(value_text(tu_get(b, "cite.text")), "@misc{alpha,"));
	value *r = data("case-studies/alpha/cite.ris");
	assert_non_null(strstr(value_text(tu_get(r, "cite.text")), "TY  - RPRT\r\n"));
}

static void test_enquiry_timeline(void **state)
{
	(void)state;
	plan();
	value *v = data("alliances/north-tsa/");
	/* e-one: active, in its innovation phase. */
	tu_assert_text(v, "alliance.timeline.0.title", "Enquiry one");
	tu_assert_text(v, "alliance.timeline.0.started", "2013-09-01");
	tu_assert_bool(v, "alliance.timeline.0.steps.0.done", true);
	tu_assert_bool(v, "alliance.timeline.0.steps.1.current", true);
	tu_assert_bool(v, "alliance.timeline.0.steps.2.done", false);
	tu_assert_text(v, "alliance.timeline.0.steps.1.state", "current phase");
	value *s = data("alliances/south-tsa/");
	/* e-three is complete: every phase done. */
	tu_assert_bool(s, "alliance.timeline.0.steps.2.done", true);
	tu_assert_text(s, "alliance.timeline.0.ended", "2013-07");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filter_pages_planned, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_facet_panel, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_filter_pagination, pt_setup, pt_teardown),
		cmocka_unit_test(test_slug),
		cmocka_unit_test_setup_teardown(test_related, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_case_study_extras, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_enquiry_timeline, pt_setup, pt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
