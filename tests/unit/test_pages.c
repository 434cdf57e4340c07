/*
 * Unit tests for pages, the plan: every URL of the content contract with
 * its template and output file, pagination at PAGES_PER_LIST and
 * PAGES_PER_EVIDENCE (prev/next URLs, page titles), the `root` prefix at
 * every depth, the data every page shares (site, page, nav) and the
 * sitemap. Per-page data is in test_pages_data.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pages_fixture.h"

/* ---- the plan ---- */

static size_t feed_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < pages_count(P); i++)
		n += pages_at(P, i)->type == PAGE_FEED;
	return n;
}

static void test_plan_urls(void **state)
{
	(void)state;
	plan();
	static const struct {
		const char *url, *tmpl, *file;
		page_type type;
	} want[] = {
		{ "", "home", "index.html", PAGE_HOME },
		{ "case-studies/alpha/", "case-study",
			"case-studies/alpha/index.html", PAGE_DOC },
		{ "case-studies/beta/", "case-study", NULL, PAGE_DOC },
		{ "case-studies/epsilon/", "case-study", NULL, PAGE_DOC },
		{ "case-studies/zeta/", "case-study", NULL, PAGE_DOC },
		{ "enquiries/e-one/", "enquiry", "enquiries/e-one/index.html", PAGE_DOC },
		{ "enquiries/e-two/", "enquiry", NULL, PAGE_DOC },
		{ "enquiries/e-three/", "enquiry", NULL, PAGE_DOC },
		{ "dissemination/conf/", "dissemination-item", NULL, PAGE_DOC },
		{ "dissemination/toolkit/", "dissemination-item", NULL, PAGE_DOC },
		{ "about/", "page", "about/index.html", PAGE_DOC },
		{ "case-studies/", "case-studies", "case-studies/index.html",
			PAGE_CASE_STUDIES },
		{ "enquiries/", "enquiries", NULL, PAGE_ENQUIRIES },
		{ "dissemination/", "dissemination", NULL, PAGE_DISSEMINATION },
		{ "claims/", "claims", NULL, PAGE_CLAIMS },
		{ "claims/pedagogy-1/", "claim", "claims/pedagogy-1/index.html",
			PAGE_CLAIM },
		{ "claims/pedagogy-2/", "claim", NULL, PAGE_CLAIM },
		{ "claims/pedagogy-4/", "claim", NULL, PAGE_CLAIM },
		{ "claims/cpd-1/", "claim", NULL, PAGE_CLAIM },
		{ "claims/cpd-7/", "claim", NULL, PAGE_CLAIM },
		{ "alliances/", "alliances", NULL, PAGE_ALLIANCES },
		{ "alliances/north-tsa/", "alliance",
			"alliances/north-tsa/index.html", PAGE_ALLIANCE },
		{ "alliances/south-tsa/", "alliance", NULL, PAGE_ALLIANCE },
		{ "evidence/", "evidence", NULL, PAGE_EVIDENCE },
		{ "search/", "search", "search/index.html", PAGE_SEARCH },
		{ "404.html", "404", "404.html", PAGE_404 },
		{ "sitemap.xml", "sitemap", "sitemap.xml", PAGE_SITEMAP },
	};
	/* Filter pages and citation files are tested in test_pages_filter.c. */
	size_t nother = 0;
	for (size_t i = 0; i < pages_count(P); i++)
		nother += pages_at(P, i)->type == PAGE_FILTER ||
			pages_at(P, i)->type == PAGE_CITE;
	/* Atom feeds (feeds.c, tested end to end) come on top. */
	nother += feed_count();
	assert_int_equal(pages_count(P) - nother, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		const page *pg = find(want[i].url);
		assert_string_equal(pg->template, want[i].tmpl);
		assert_int_equal(pg->type, want[i].type);
		if (want[i].file)
			assert_string_equal(pg->file, want[i].file);
		assert_int_equal(pg->pageno, 1);
		assert_int_equal(pg->npages, 1);
	}
	/* Every output file is distinct and a safe relative path. */
	for (size_t i = 0; i < pages_count(P); i++)
		for (size_t k = i + 1; k < pages_count(P); k++)
			assert_string_not_equal(pages_at(P, i)->file,
				pages_at(P, k)->file);
	assert_null(pages_at(P, pages_count(P)));
	/* The home page comes first. */
	assert_int_equal(pages_at(P, 0)->type, PAGE_HOME);
}

static void test_plan_subjects(void **state)
{
	(void)state;
	plan();
	assert_ptr_equal(find("case-studies/alpha/")->subject,
		kb_doc(DOC_CASE_STUDY, "alpha"));
	assert_ptr_equal(find("about/")->subject, kb_doc(DOC_PAGE, "about"));
	assert_ptr_equal(find("claims/cpd-7/")->subject,
		model_find_claim(K.m, "cpd-7"));
	assert_ptr_equal(find("alliances/south-tsa/")->subject,
		model_find_alliance(K.m, "south-tsa"));
	assert_null(find("claims/")->subject);
	assert_null(find("")->subject);
}

static void test_drafts_have_no_pages(void **state)
{
	(void)state;
	plan();
	for (size_t i = 0; i < pages_count(P); i++) {
		assert_null(strstr(pages_at(P, i)->url, "gamma"));
		assert_null(strstr(pages_at(P, i)->url, "delta"));
	}
	const value *urls = tu_get(data("sitemap.xml"), "urls");
	for (size_t i = 0; i < value_count(urls); i++) {
		const char *loc = tu_text(urls->u.list.items[i], "loc");
		assert_null(strstr(loc, "gamma"));
		assert_null(strstr(loc, "delta"));
	}
	/* Nor are they counted or listed anywhere. */
	value *home = data("");
	tu_assert_text(home, "counts.case_studies", "4");
	value *cl = data("claims/pedagogy-1/");
	assert_int_equal(count(cl, "claim.supporting"), 1);
	tu_assert_text(cl, "claim.supporting.0.slug", "alpha");
	assert_int_equal(count(data("dissemination/conf/"),
		"doc.case_studies"), 2);
}

/* ---- data on every page ---- */

static void test_root_prefixes(void **state)
{
	(void)state;
	plan();
	tu_assert_text(data(""), "root", "");
	tu_assert_text(data("claims/"), "root", "../");
	tu_assert_text(data("about/"), "root", "../");
	tu_assert_text(data("case-studies/alpha/"), "root", "../../");
	tu_assert_text(data("alliances/north-tsa/"), "root", "../../");
	tu_assert_text(data("sitemap.xml"), "root", "");
	/* The 404 page is served at any depth: root is absolute. */
	tu_assert_text(data("404.html"), "root", "/");
	kb_write("site.yaml", "title: T\nbase_url: https://x.org/sub/dir/\n"
		"claim_sets: [pedagogy, cpd]\n");
	plan();
	tu_assert_text(data("404.html"), "root", "/sub/dir/");
	tu_assert_text(data("claims/"), "root", "../");
	tu_assert_text(data("claims/"), "page.canonical",
		"https://x.org/sub/dir/claims/");
}

static void test_common_keys(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/alpha/");
	tu_assert_text(v, "site.title", "Test Research Network");
	tu_assert_text(v, "site.description", "Enquiry by two alliances");
	tu_assert_text(v, "site.language", "en-GB");
	tu_assert_text(v, "site.base_url", "https://kb.example.org/");
	tu_assert_text(v, "site.licence", "OGL-3.0");
	tu_assert_text(v, "site.contact", "research@example.org");
	tu_assert_text(v, "page.title", "Alpha study");
	tu_assert_text(v, "page.url", "case-studies/alpha/");
	tu_assert_text(v, "page.canonical",
		"https://kb.example.org/case-studies/alpha/");
	/* A document's description is its excerpt. */
	tu_assert_text(v, "page.description", "Alpha is about pupil voice.");
	tu_assert_text(v, "page.type", "case-study");
	tu_assert_text(v, "assets.css", "assets/style.css");
	tu_assert_text(v, "generator", "enquire");
	/* Navigation: About is there because pages/about.md exists. */
	static const char *const nav[][2] = { { "Case studies", "case-studies/" },
		{ "Claims", "claims/" }, { "Evidence", "evidence/" },
		{ "Enquiries", "enquiries/" }, { "Alliances", "alliances/" },
		{ "Dissemination", "dissemination/" }, { "About", "about/" } };
	assert_int_equal(count(v, "nav"), ARRAY_LEN(nav));
	for (size_t i = 0; i < ARRAY_LEN(nav); i++) {
		char key[32];
		snprintf(key, sizeof key, "nav.%zu.title", i);
		tu_assert_text(v, key, nav[i][0]);
		snprintf(key, sizeof key, "nav.%zu.url", i);
		tu_assert_text(v, key, nav[i][1]);
		snprintf(key, sizeof key, "nav.%zu.current", i);
		tu_assert_bool(v, key, i == 0); /* in the case studies section */
	}
	v = data("");
	tu_assert_text(v, "page.title", "Test Research Network");
	tu_assert_text(v, "page.url", "");
	tu_assert_text(v, "page.description", "Enquiry by two alliances");
	tu_assert_text(v, "page.type", "home");
	for (size_t i = 0; i < ARRAY_LEN(nav); i++) {
		char key[32];
		snprintf(key, sizeof key, "nav.%zu.current", i);
		tu_assert_bool(v, key, false);
	}
	tu_assert_bool(data("alliances/north-tsa/"), "nav.4.current", true);
	tu_assert_text(data("404.html"), "page.title", "Page not found");
	tu_assert_text(data("evidence/"), "page.title", "Impact evidence");
	tu_assert_text(data("dissemination/conf/"), "page.type", "dissemination-item");
	tu_assert_text(data("about/"), "page.type", "page");
	tu_assert_text(data("search/"), "page.type", "search");
}

static void test_no_about_no_nav_item(void **state)
{
	(void)state;
	kb_remove("pages/about.md");
	plan();
	value *v = data("");
	assert_int_equal(count(v, "nav"), 6);
	tu_assert_text(v, "nav.5.title", "Dissemination");
}

static void test_sitemap(void **state)
{
	(void)state;
	plan();
	value *v = data("sitemap.xml");
	/* Every page but 404, search, citation files and the sitemap. */
	size_t ncite = 0;
	for (size_t i = 0; i < pages_count(P); i++)
		ncite += pages_at(P, i)->type == PAGE_CITE;
	assert_true(ncite > 0);
	assert_int_equal(count(v, "urls"), pages_count(P) - 3 - ncite -
		feed_count());
	tu_assert_text(v, "urls.0.loc", "https://kb.example.org/");
	size_t lastmod = 0;
	const value *urls = tu_get(v, "urls");
	for (size_t i = 0; i < value_count(urls); i++) {
		const value *u = urls->u.list.items[i];
		const char *loc = tu_text(u, "loc");
		assert_int_equal(strncmp(loc, "https://kb.example.org/", 23), 0);
		assert_null(strstr(loc, "404"));
		assert_null(strstr(loc, "search/"));
		assert_null(strstr(loc, "sitemap"));
		if (strcmp(loc, "https://kb.example.org/case-studies/beta/") == 0)
			tu_assert_text(u, "lastmod", "2014-06-01");
		lastmod += value_get(u, "lastmod") != NULL;
	}
	/* Only full dates: epsilon, alpha, beta, toolkit, conf. */
	assert_int_equal(lastmod, 5);
}

/* ---- pagination ---- */

/* A knowledge base of n tiny case studies (cs-000 oldest), each with one
 * evidence record, and no dissemination. */
static void many_case_studies(int n)
{
	kb_remove("case-studies");
	kb_remove("dissemination");
	kb_remove("enquiries");
	for (int i = 0; i < n; i++) {
		char path[64], text[512];
		snprintf(path, sizeof path, "case-studies/cs-%03d.md", i);
		snprintf(text, sizeof text,
			"---\ntitle: Case %03d\nalliance: south-tsa\ntheme: pedagogy\n"
			"research_questions: [Q]\nclaims: [pedagogy-1]\n"
			"date: %d\nevidence:\n  - outcome: O%d\n    result: %d\n"
			"---\n" KB_PHASES, i, 1000 + i, i, i);
		kb_write(path, text);
	}
}

static void test_pagination_of_120(void **state)
{
	(void)state;
	many_case_studies(120);
	plan();
	const page *p1 = find("case-studies/");
	const page *p2 = find("case-studies/page/2/");
	const page *p3 = find("case-studies/page/3/");
	assert_int_equal(p1->pageno, 1);
	assert_int_equal(p2->pageno, 2);
	assert_int_equal(p3->pageno, 3);
	assert_int_equal(p1->npages, 3);
	assert_int_equal(p3->npages, 3);
	assert_string_equal(p2->file, "case-studies/page/2/index.html");
	assert_int_equal(p2->type, PAGE_CASE_STUDIES);
	assert_string_equal(p2->template, "case-studies");
	for (size_t i = 0; i < pages_count(P); i++)
		assert_null(strstr(pages_at(P, i)->url, "case-studies/page/4/"));
	assert_int_equal(PAGES_PER_LIST, 50);

	value *v = pages_data(P, p1, &A);
	assert_int_equal(count(v, "items"), 50);
	tu_assert_text(v, "items.0.slug", "cs-119"); /* newest first */
	tu_assert_text(v, "total", "120");
	tu_assert_text(v, "pagination.current", "1");
	tu_assert_text(v, "pagination.total", "3");
	absent(v, "pagination.prev_url");
	tu_assert_text(v, "pagination.next_url", "case-studies/page/2/");
	assert_int_equal(count(v, "pagination.pages"), 3);
	tu_assert_text(v, "pagination.pages.0.number", "1");
	tu_assert_text(v, "pagination.pages.0.url", "case-studies/");
	tu_assert_bool(v, "pagination.pages.0.current", true);
	tu_assert_text(v, "pagination.pages.2.url", "case-studies/page/3/");
	tu_assert_bool(v, "pagination.pages.2.current", false);
	tu_assert_text(v, "page.title", "Case studies (page 1 of 3)");

	v = pages_data(P, p2, &A);
	assert_int_equal(count(v, "items"), 50);
	tu_assert_text(v, "items.0.slug", "cs-069");
	tu_assert_text(v, "pagination.current", "2");
	tu_assert_text(v, "pagination.prev_url", "case-studies/");
	tu_assert_text(v, "pagination.next_url", "case-studies/page/3/");
	tu_assert_bool(v, "pagination.pages.1.current", true);
	tu_assert_text(v, "page.title", "Case studies (page 2 of 3)");
	tu_assert_text(v, "page.url", "case-studies/page/2/");
	tu_assert_text(v, "root", "../../../");
	tu_assert_bool(v, "nav.0.current", true);

	v = pages_data(P, p3, &A);
	assert_int_equal(count(v, "items"), 20);
	tu_assert_text(v, "items.19.slug", "cs-000");
	tu_assert_text(v, "pagination.prev_url", "case-studies/page/2/");
	absent(v, "pagination.next_url");

	/* Evidence pages at PAGES_PER_EVIDENCE: 120 records, 2 pages. */
	assert_int_equal(find("evidence/")->npages, 2);
	v = data("evidence/page/2/");
	assert_int_equal(count(v, "rows"), 120 - PAGES_PER_EVIDENCE);
	tu_assert_text(v, "total", "120");
	tu_assert_text(v, "pagination.prev_url", "evidence/");
	tu_assert_text(v, "rows.0.outcome", "O19");

	/* An empty list still has its one page. */
	const page *d = find("dissemination/");
	assert_int_equal(d->npages, 1);
	v = pages_data(P, d, &A);
	tu_assert_bool(v, "has_items", false);
	tu_assert_text(v, "total", "0");
	absent(v, "pagination");
	tu_assert_text(v, "page.title", "Dissemination");
}

static void test_pagination_boundary(void **state)
{
	(void)state;
	many_case_studies(50);
	plan();
	assert_int_equal(find("case-studies/")->npages, 1);
	value *v = data("case-studies/");
	assert_int_equal(count(v, "items"), 50);
	absent(v, "pagination");
	tu_assert_text(v, "page.title", "Case studies");
	pages_free(P);
	P = NULL;
	many_case_studies(51);
	plan();
	assert_int_equal(find("case-studies/")->npages, 2);
	v = data("case-studies/page/2/");
	assert_int_equal(count(v, "items"), 1);
	tu_assert_text(v, "items.0.slug", "cs-000");
}

#define T(f) cmocka_unit_test_setup_teardown(f, pt_setup, pt_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plan_urls),
		T(test_plan_subjects),
		T(test_drafts_have_no_pages),
		T(test_root_prefixes),
		T(test_common_keys),
		T(test_no_about_no_nav_item),
		T(test_sitemap),
		T(test_pagination_of_120),
		T(test_pagination_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
