/*
 * Unit tests for pages, the data of each page type against
 * docs/templates.md: cards, chips, evidence records, the document pages,
 * the enquiries groups, claims (rows, matrix, one claim) and alliances,
 * with the has_* booleans and the parts left out when missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "incremental.h"
#include "pages_fixture.h"

/* ---- per page ---- */

static void test_home(void **state)
{
	(void)state;
	plan();
	value *v = data("");
	assert_int_equal(count(v, "latest"), 4);
	tu_assert_bool(v, "has_latest", true);
	tu_assert_text(v, "latest.0.title", "Epsilon study");
	tu_assert_text(v, "latest.3.slug", "zeta");
	assert_int_equal(count(v, "sets"), 2);
	tu_assert_text(v, "sets.0.id", "pedagogy");
	assert_int_equal(count(v, "sets.0.claims"), 3);
	absent(v, "sets.0.matrix"); /* only on the claims page */
	tu_assert_text(v, "counts.case_studies", "4");
	tu_assert_text(v, "counts.enquiries", "3");
	tu_assert_text(v, "counts.dissemination", "2");
	tu_assert_text(v, "counts.alliances", "2");
	tu_assert_text(v, "counts.evidence", "2");
}

static void test_case_study_page(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/alpha/");
	/* The card. */
	tu_assert_text(v, "doc.title", "Alpha study");
	tu_assert_text(v, "doc.url", "case-studies/alpha/");
	tu_assert_text(v, "doc.date", "2015-03-01");
	tu_assert_text(v, "doc.kind", "case-study");
	tu_assert_text(v, "doc.kind_label", "Case study");
	tu_assert_text(v, "doc.excerpt", "Alpha is about pupil voice.");
	tu_assert_text(v, "doc.alliance.name", "North Teaching School Alliance");
	tu_assert_text(v, "doc.alliance.url", "alliances/north-tsa/");
	tu_assert_text(v, "doc.theme", "pedagogy");
	tu_assert_text(v, "doc.theme_label", "Great pedagogy");
	tu_assert_bool(v, "doc.has_claims", true);
	assert_int_equal(count(v, "doc.claims"), 2);
	tu_assert_text(v, "doc.claims.0.id", "pedagogy-1");
	tu_assert_text(v, "doc.claims.0.title", "Pupil voice");
	tu_assert_text(v, "doc.claims.0.url", "claims/pedagogy-1/");
	tu_assert_bool(v, "doc.claims.0.strong", false);
	tu_assert_text(v, "doc.claims.0.strength_label", "Supporting");
	tu_assert_text(v, "doc.claims.0.set_short_title", "Great pedagogy");
	absent(v, "doc.claims.0.note");
	tu_assert_bool(v, "doc.claims.1.strong", true);
	tu_assert_text(v, "doc.claims.1.strength_label", "Strong element");
	tu_assert_text(v, "doc.claims.1.note", "Revisited every half term");
	/* The page. */
	assert_non_null(strstr(tu_text(v, "doc.html"), "<p>Alpha is about"));
	tu_assert_text(v, "doc.reading_minutes", "1");
	assert_true(atoi(tu_text(v, "doc.words")) >= 5);
	assert_int_equal(count(v, "doc.authors"), 2);
	tu_assert_bool(v, "doc.has_authors", true);
	tu_assert_text(v, "doc.tags.0", "writing");
	tu_assert_text(v, "doc.licence", "OGL-3.0");
	tu_assert_text(v, "doc.focus", "Pupil voice in writing");
	tu_assert_text(v, "doc.research_questions.0",
		"How can pupil voice improve writing?");
	tu_assert_text(v, "doc.schools.0.name", "North Primary");
	tu_assert_text(v, "doc.schools.0.phase_label", "Primary");
	tu_assert_text(v, "doc.schools.0.role_label", "Lead school");
	/* Facet values as labels, each linking to its filter page. */
	tu_assert_text(v, "doc.phases.0.label", "Primary");
	tu_assert_text(v, "doc.phases.0.url", "case-studies/phase/primary/");
	tu_assert_text(v, "doc.subjects.0.label", "English");
	tu_assert_text(v, "doc.subjects.0.url", "case-studies/subject/english/");
	tu_assert_text(v, "doc.key_stages.0.label", "KS2");
	tu_assert_text(v, "doc.key_stages.0.url", "case-studies/key-stage/ks2/");
	assert_int_equal(count(v, "doc.phase_nav"), 4);
	tu_assert_text(v, "doc.phase_nav.0.name", "Implementation");
	tu_assert_text(v, "doc.phase_nav.0.id", "implementation");
	tu_assert_text(v, "doc.phase_nav.3.name", "Conclusions");
	tu_assert_bool(v, "doc.has_evidence", true);
	assert_int_equal(count(v, "doc.evidence"), 2);
	assert_int_equal(count(v, "doc.enquiries"), 1);
	tu_assert_text(v, "doc.enquiries.0.title", "Enquiry one");
	tu_assert_bool(v, "doc.has_enquiries", true);
	assert_int_equal(count(v, "doc.dissemination"), 2);
	tu_assert_text(v, "doc.dissemination.0.title", "Toolkit");
	tu_assert_text(v, "doc.dissemination.1.kind_label", "Event");
	tu_assert_text(v, "doc.contact.name", "R. Lead");
	tu_assert_text(v, "doc.contact.email", "lead@north.example.org");
	tu_assert_text(v, "doc.contact.website", "https://north.example.org/");
	tu_assert_text(v, "doc.contact.alliance", "North Teaching School Alliance");
}

static void test_case_study_page_empty_parts(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/zeta/");
	absent(v, "doc.date"); /* undated */
	absent(v, "doc.focus");
	absent(v, "doc.excerpt"); /* the body has only headings */
	tu_assert_bool(v, "doc.has_evidence", false);
	tu_assert_bool(v, "doc.has_enquiries", false);
	tu_assert_bool(v, "doc.has_dissemination", false);
	tu_assert_bool(v, "doc.has_authors", false);
	tu_assert_bool(v, "doc.has_schools", false);
	tu_assert_bool(v, "doc.has_research_questions", true);
	tu_assert_text(v, "doc.contact.email", "south@example.org");
	absent(v, "doc.contact.name");
	/* Its own licence wins over the site's. */
	tu_assert_text(data("case-studies/beta/"), "doc.licence", "CC-BY-4.0");
}

static void test_evidence_data(void **state)
{
	(void)state;
	plan();
	value *v = data("case-studies/alpha/");
	const value *e = tu_get(v, "doc.evidence.0");
	tu_assert_text(e, "anchor", "evidence-1");
	tu_assert_text(e, "outcome", "Pupils at or above target in writing");
	tu_assert_text(e, "group", "learners");
	tu_assert_text(e, "group_label", "Learners");
	tu_assert_text(e, "method", "attainment-data");
	tu_assert_text(e, "method_label", "Attainment data");
	tu_assert_text(e, "measure", "percent");
	tu_assert_bool(e, "lower_is_better", false);
	tu_assert_text(e, "direction_label", "Higher is better");
	tu_assert_text(e, "baseline.label", "Baseline");
	tu_assert_text(e, "baseline.text", "73%");
	tu_assert_text(e, "result.label", "Result");
	tu_assert_text(e, "result.text", "93%");
	tu_assert_text(e, "comparison.label", "national");
	tu_assert_text(e, "comparison.text", "69%");
	tu_assert_bool(e, "has_series", false);
	tu_assert_text(e, "n", "120");
	tu_assert_text(e, "source", "Alliance tracking data");
	absent(e, "text");
	tu_assert_text(e, "claims.0.id", "pedagogy-1");
	tu_assert_text(e, "claims.0.url", "claims/pedagogy-1/");
	tu_assert_text(e, "doc.title", "Alpha study");
	tu_assert_text(e, "doc.url", "case-studies/alpha/");

	e = tu_get(v, "doc.evidence.1");
	tu_assert_text(e, "anchor", "evidence-2");
	tu_assert_bool(e, "lower_is_better", true);
	tu_assert_text(e, "direction_label", "Lower is better");
	absent(e, "baseline");
	absent(e, "result");
	absent(e, "comparison");
	falsy(e, "method"); /* stored as a null value, not left out */
	absent(e, "method_label");
	tu_assert_bool(e, "has_series", true);
	assert_int_equal(count(e, "series"), 2);
	tu_assert_text(e, "series.0.label", "start");
	tu_assert_text(e, "series.0.text", "1.82"); /* mean: no % */
	tu_assert_text(e, "n", "30");
	tu_assert_bool(e, "has_claims", false);

	/* The evidence page lists the same records. */
	value *ev = data("evidence/");
	assert_int_equal(count(ev, "rows"), 2);
	tu_assert_text(ev, "total", "2");
	absent(ev, "pagination");
	/* (the document's own copy adds the chart) */
	tu_assert_text(ev, "rows.0.anchor",
		value_text(tu_get(v, "doc.evidence.0.anchor")));
	tu_assert_text(ev, "rows.0.outcome",
		value_text(tu_get(v, "doc.evidence.0.outcome")));
}

/* Every page has one fingerprint whether its data is built in full or
 * only to be fingerprinted, which leaves its charts empty (incremental.h). */
static void test_fingerprint_data(void **state)
{
	(void)state;
	plan();
	incr *c = incr_new(NULL, "out");
	size_t charts = 0;
	for (size_t i = 0; i < pages_count(P); i++) {
		const page *pg = pages_at(P, i);
		value *full = pages_data(P, pg, &A);
		value *keyed = pages_data_fingerprint(P, pg, &A);
		assert_int_equal(incr_fingerprint_page(c, pg->template, full),
			incr_fingerprint_page(c, pg->template, keyed));
		const value *ev = value_get(value_get(full, "doc"), "evidence");
		for (size_t k = 0; k < value_count(ev); k++) {
			const value *chart = value_get(ev->u.list.items[k], "chart");
			if (!chart)
				continue;
			charts++;
			assert_non_null(strstr(chart->str, "<svg"));
			const value *kev = value_get(value_get(keyed, "doc"),
				"evidence")->u.list.items[k];
			tu_assert_text(kev, "chart", "");
		}
	}
	assert_true(charts >= 2);
	incr_free(c);
}

/* The JSON-LD of a case study is a keyed string whose key is made by the
 * calls that write it: anything it shows changes the key, so a page
 * fingerprinted without it still changes when it would. */
static unsigned long long jsonld_key(const char *url, const char **text)
{
	const value *full = tu_get(pages_data(P, find(url), &A), "doc.jsonld");
	const value *keyed = tu_get(pages_data_fingerprint(P, find(url), &A),
		"doc.jsonld");
	assert_int_equal(keyed->len, 0);
	assert_int_equal(keyed->fingerprint, full->fingerprint);
	assert_int_not_equal(keyed->fingerprint, 0);
	if (text)
		*text = full->str;
	return keyed->fingerprint;
}

static void test_jsonld_key(void **state)
{
	(void)state;
	plan();
	const char *url = "case-studies/alpha/", *text;
	unsigned long long k = jsonld_key(url, &text);
	assert_non_null(strstr(text, "\"headline\":\"Alpha study\""));
	assert_int_equal(jsonld_key(url, NULL), k);
	doc *d = kb_doc(DOC_CASE_STUDY, "alpha");
	char other[] = "Other words.";
#define CHANGES(field, other) do { \
		__typeof__(field) was = (field); \
		(field) = (other); \
		assert_int_not_equal(jsonld_key(url, NULL), k); \
		(field) = was; \
		assert_int_equal(jsonld_key(url, NULL), k); \
	} while (0)
	CHANGES(d->title, "Alpha");
	CHANGES(d->url, "case-studies/alpha-2/");
	CHANGES(d->date, "2016-01-01");
	CHANGES(d->updated, "2016-01-02");
	CHANGES(d->licence, "CC-BY-SA-4.0");
	CHANGES(d->md.excerpt, other);
	CHANGES(d->alliance->name, "Other alliance");
	CHANGES(K.m->site.title, "Other site");
	CHANGES(K.m->site.language, "cy");
	CHANGES(K.m->site.base_url, "https://other.example/");
#undef CHANGES
	size_t n = d->nclaims;
	d->nclaims = n - 1;
	assert_int_not_equal(jsonld_key(url, NULL), k);
	d->nclaims = n;
	n = d->tags.n;
	d->tags.n = 0;
	assert_int_not_equal(jsonld_key(url, NULL), k);
	d->tags.n = n;
	assert_int_equal(jsonld_key(url, NULL), k);
}

/* Cards are built on several threads: the pages are the same whatever
 * their number. */
static void test_same_data_whatever_threads(void **state)
{
	(void)state;
	plan();
	incr *c = incr_new(NULL, "out");
	pages *one = pages_new(K.m, 1), *many = pages_new(K.m, 5);
	assert_int_equal(pages_count(one), pages_count(P));
	assert_int_equal(pages_count(many), pages_count(P));
	for (size_t i = 0; i < pages_count(P); i++) {
		const page *a = pages_at(one, i), *b = pages_at(many, i);
		assert_string_equal(a->file, b->file);
		assert_int_equal(incr_fingerprint_page(c, a->template,
			pages_data(one, a, &A)), incr_fingerprint_page(c,
			b->template, pages_data(many, b, &A)));
	}
	pages_free(one);
	pages_free(many);
	incr_free(c);
}

static void test_enquiry_pages(void **state)
{
	(void)state;
	plan();
	value *v = data("enquiries/e-one/");
	tu_assert_text(v, "doc.kind", "enquiry");
	tu_assert_text(v, "doc.kind_label", "Enquiry");
	tu_assert_text(v, "doc.status", "active");
	tu_assert_text(v, "doc.status_label", "Active");
	tu_assert_text(v, "doc.phase", "innovation");
	tu_assert_text(v, "doc.phase_label", "Innovation");
	tu_assert_text(v, "doc.question", "Does pupil voice help?");
	tu_assert_text(v, "doc.lead", "R. Lead");
	tu_assert_text(v, "doc.started", "2013-09-01");
	absent(v, "doc.ended");
	tu_assert_text(v, "doc.methods.0", "pupil-voice");
	tu_assert_text(v, "doc.case_study.title", "Alpha study");
	tu_assert_text(v, "doc.case_study.url", "case-studies/alpha/");
	tu_assert_text(v, "doc.contact.alliance", "North Teaching School Alliance");
	tu_assert_bool(v, "doc.has_evidence", false);
	v = data("enquiries/e-two/");
	absent(v, "doc.case_study"); /* its case study is a draft */
	absent(v, "doc.phase");
	tu_assert_text(data("enquiries/e-three/"), "doc.ended", "2013-07");

	v = data("enquiries/");
	tu_assert_text(v, "total", "3");
	assert_int_equal(count(v, "groups"), 3);
	tu_assert_text(v, "groups.0.status", "active");
	tu_assert_text(v, "groups.0.label", "Active");
	tu_assert_text(v, "groups.0.items.0.title", "Enquiry one");
	tu_assert_bool(v, "groups.0.has_items", true);
	tu_assert_text(v, "groups.1.status", "planned");
	tu_assert_text(v, "groups.1.items.0.title", "Enquiry two");
	tu_assert_text(v, "groups.2.status", "complete");
	tu_assert_text(v, "groups.2.label", "Complete");
}

static void test_dissemination_pages(void **state)
{
	(void)state;
	plan();
	value *v = data("dissemination/conf/");
	tu_assert_text(v, "doc.kind", "dissemination");
	tu_assert_text(v, "doc.kind_label", "Event");
	tu_assert_text(v, "doc.link", "https://example.org/conf");
	assert_int_equal(count(v, "doc.files"), 1);
	tu_assert_text(v, "doc.files.0.name", "summary.pdf");
	tu_assert_text(v, "doc.files.0.url", "summary.pdf"); /* static/ is the root */
	tu_assert_bool(v, "doc.has_files", true);
	tu_assert_text(v, "doc.audience.1", "leaders");
	assert_int_equal(count(v, "doc.case_studies"), 2);
	tu_assert_text(v, "doc.case_studies.0.slug", "alpha");
	tu_assert_text(v, "doc.case_studies.1.slug", "beta");
	tu_assert_bool(v, "doc.has_case_studies", true);
	v = data("dissemination/toolkit/");
	tu_assert_text(v, "doc.kind_label", "Toolkit");
	tu_assert_bool(v, "doc.has_files", false);
	absent(v, "doc.link");

	v = data("dissemination/");
	assert_int_equal(count(v, "items"), 2);
	tu_assert_text(v, "items.0.slug", "toolkit");
	tu_assert_text(v, "total", "2");
	absent(v, "pagination");
}

static void test_free_page(void **state)
{
	(void)state;
	plan();
	value *v = data("about/");
	tu_assert_text(v, "page.title", "About");
	tu_assert_text(v, "doc.title", "About");
	tu_assert_text(v, "doc.url", "about/");
	assert_non_null(strstr(tu_text(v, "doc.html"), "About this site."));
}

static void test_claims_page(void **state)
{
	(void)state;
	plan();
	value *v = data("claims/");
	assert_int_equal(count(v, "sets"), 2);
	tu_assert_bool(v, "has_sets", true);
	const value *s = tu_get(v, "sets.0");
	tu_assert_text(s, "id", "pedagogy");
	tu_assert_text(s, "title", "What makes great pedagogy?");
	tu_assert_text(s, "short_title", "Great pedagogy");
	tu_assert_text(s, "source", "Husbands and Pearce (2012)");
	const value *r = tu_get(s, "claims.0");
	tu_assert_text(r, "id", "pedagogy-1");
	tu_assert_text(r, "number", "1");
	tu_assert_text(r, "title", "Pupil voice");
	tu_assert_text(r, "summary", "Effective pedagogies consider pupil voice.");
	tu_assert_text(r, "url", "claims/pedagogy-1/");
	tu_assert_text(r, "nstrong", "2");
	tu_assert_text(r, "nsupporting", "1");
	tu_assert_text(r, "ncase_studies", "3");
	tu_assert_text(r, "nevidence", "1");
	tu_assert_text(r, "coverage_percent", "75");
	r = tu_get(s, "claims.2");
	tu_assert_text(r, "id", "pedagogy-4");
	tu_assert_text(r, "nsupporting", "1");
	tu_assert_text(r, "coverage_percent", "25");
	/* The matrix: a column per claim, a row per case study declaring
	 * any claim of the set, in the model's order. */
	assert_int_equal(count(s, "matrix.columns"), 3);
	tu_assert_text(s, "matrix.columns.2.id", "pedagogy-4");
	tu_assert_text(s, "matrix.columns.2.number", "4");
	tu_assert_text(s, "matrix.columns.2.url", "claims/pedagogy-4/");
	assert_int_equal(count(s, "matrix.rows"), 4);
	tu_assert_text(s, "matrix.rows.1.title", "Alpha study");
	tu_assert_text(s, "matrix.rows.1.url", "case-studies/alpha/");
	const value *cells = tu_get(s, "matrix.rows.1.cells");
	assert_int_equal(value_count(cells), 3);
	tu_assert_bool(cells, "0.supporting", true);
	tu_assert_bool(cells, "0.strong", false);
	tu_assert_text(cells, "0.label", "Supporting");
	tu_assert_bool(cells, "1.strong", true);
	tu_assert_text(cells, "1.label", "Strong element");
	tu_assert_bool(cells, "2.strong", false);
	tu_assert_bool(cells, "2.supporting", false);
	tu_assert_text(cells, "2.label", "Not declared");
	/* cpd: only beta declares one of its claims. */
	assert_int_equal(count(v, "sets.1.matrix.rows"), 1);
	tu_assert_text(v, "sets.1.matrix.rows.0.title", "Beta study");
}

static void test_claim_page(void **state)
{
	(void)state;
	plan();
	value *v = data("claims/pedagogy-1/");
	tu_assert_text(v, "page.title", "Claim 1: Pupil voice");
	tu_assert_text(v, "page.description",
		"Effective pedagogies consider pupil voice.");
	tu_assert_text(v, "claim.id", "pedagogy-1");
	tu_assert_text(v, "claim.number", "1");
	tu_assert_text(v, "claim.set.id", "pedagogy");
	tu_assert_text(v, "claim.set.short_title", "Great pedagogy");
	tu_assert_text(v, "claim.set.source", "Husbands and Pearce (2012)");
	assert_int_equal(count(v, "claim.strong"), 2);
	tu_assert_text(v, "claim.strong.0.slug", "epsilon");
	tu_assert_text(v, "claim.strong.1.slug", "beta");
	assert_int_equal(count(v, "claim.supporting"), 1);
	tu_assert_text(v, "claim.supporting.0.slug", "alpha");
	assert_int_equal(count(v, "claim.enquiries"), 1);
	tu_assert_text(v, "claim.enquiries.0.note", "Enquiry note");
	tu_assert_bool(v, "claim.has_dissemination", false);
	assert_int_equal(count(v, "claim.approaches"), 1);
	tu_assert_text(v, "claim.approaches.0.note", "Enquiry note");
	tu_assert_text(v, "claim.approaches.0.doc.title", "Enquiry three");
	assert_int_equal(count(v, "claim.evidence"), 1);
	tu_assert_text(v, "claim.evidence.0.doc.title", "Alpha study");
	tu_assert_text(v, "claim.nstrong", "2");
	tu_assert_text(v, "claim.nsupporting", "1");
	tu_assert_text(v, "claim.nevidence", "1");

	v = data("claims/pedagogy-2/");
	tu_assert_text(v, "claim.strong.0.slug", "alpha");
	tu_assert_text(v, "claim.strong.0.note", "Revisited every half term");
	tu_assert_text(v, "claim.dissemination.0.slug", "conf");
	tu_assert_text(v, "claim.summary", "");
	/* No summary: the site's description. */
	tu_assert_text(v, "page.description", "Enquiry by two alliances");
	/* A claim nobody cites. */
	v = data("claims/cpd-1/");
	tu_assert_bool(v, "claim.has_strong", false);
	tu_assert_bool(v, "claim.has_supporting", false);
	tu_assert_bool(v, "claim.has_enquiries", true);
}

static void test_alliance_pages(void **state)
{
	(void)state;
	plan();
	value *v = data("alliances/");
	assert_int_equal(count(v, "items"), 2);
	const value *n = tu_get(v, "items.0");
	tu_assert_text(n, "name", "North Teaching School Alliance");
	tu_assert_text(n, "url", "alliances/north-tsa/");
	tu_assert_text(n, "region", "North West");
	tu_assert_text(n, "cohort", "2");
	tu_assert_text(n, "context", "Twelve schools in a coastal town");
	tu_assert_text(n, "nschools", "2");
	tu_assert_text(n, "ncase_studies", "2");
	tu_assert_text(n, "nenquiries", "2");
	absent(v, "items.1.region");
	absent(v, "items.1.cohort");
	tu_assert_text(v, "items.1.nenquiries", "1");

	v = data("alliances/north-tsa/");
	tu_assert_text(v, "page.title", "North Teaching School Alliance");
	const value *a = tu_get(v, "alliance");
	tu_assert_text(a, "aliases.0", "North TSA");
	tu_assert_bool(a, "has_aliases", true);
	tu_assert_text(a, "website", "https://north.example.org/");
	tu_assert_text(a, "hei_partner", "North University");
	tu_assert_text(a, "contact.name", "R. Lead");
	tu_assert_text(a, "contact.email", "lead@north.example.org");
	tu_assert_text(a, "schools.1.name", "North High");
	tu_assert_text(a, "schools.1.phase_label", "Secondary");
	tu_assert_text(a, "schools.1.role_label", "Partner");
	assert_int_equal(count(a, "case_studies"), 2);
	tu_assert_text(a, "case_studies.0.slug", "epsilon");
	assert_int_equal(count(a, "enquiries"), 2);
	assert_int_equal(count(a, "dissemination"), 1);
	/* Claims its documents declare, with how many declare each. */
	assert_int_equal(count(a, "claims"), 3);
	tu_assert_text(a, "claims.0.id", "pedagogy-1");
	tu_assert_text(a, "claims.0.count", "2");
	tu_assert_text(a, "claims.0.url", "claims/pedagogy-1/");
	tu_assert_text(a, "claims.1.id", "pedagogy-2");
	tu_assert_text(a, "claims.1.count", "2");
	tu_assert_text(a, "claims.2.id", "cpd-1");
	tu_assert_text(a, "claims.2.count", "1");

	a = tu_get(data("alliances/south-tsa/"), "alliance");
	tu_assert_bool(a, "has_aliases", false);
	tu_assert_bool(a, "has_schools", false);
	tu_assert_bool(a, "has_dissemination", false);
	tu_assert_text(a, "contact.email", "south@example.org");
	absent(a, "contact.name");
	absent(a, "website");
}

#define T(f) cmocka_unit_test_setup_teardown(f, pt_setup, pt_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_home),
		T(test_case_study_page),
		T(test_case_study_page_empty_parts),
		T(test_evidence_data),
		T(test_jsonld_key),
		T(test_fingerprint_data),
		T(test_same_data_whatever_threads),
		T(test_enquiry_pages),
		T(test_dissemination_pages),
		T(test_free_page),
		T(test_claims_page),
		T(test_claim_page),
		T(test_alliance_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
