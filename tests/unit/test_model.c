/*
 * Unit tests for model on valid content: a knowledge base on disk (see
 * model_fixture.h) loaded through source_open and model_load. Checks the
 * typed fields of every content type, claim references and evidence, the
 * exclusion of drafts and internal documents, the cross-links between
 * documents and every back-link, and that the result does not depend on
 * the number of threads. Invalid input is in test_model_errors.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "model.h"
#include "model_fixture.h"

static int setup(void **state)
{
	kb_setup(state);
	kb_base();
	return 0;
}

static void assert_slugs(doc *const *docs, size_t n, const char *const *want,
	size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(docs[i]->slug, want[i]);
}

#define SLUGS(docs, n, ...)                                                    \
	do {                                                                   \
		static const char *const want_[] = { __VA_ARGS__ };            \
		assert_slugs((docs), (n), want_, ARRAY_LEN(want_));            \
	} while (0)

/* The slugs of m->docs[k], in the model's order. */
static void assert_kind_order(doc_kind k, const char *const *want, size_t n)
{
	assert_int_equal(K.m->ndocs[k], n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(K.m->docs[k][i].slug, want[i]);
}

#define ORDER(k, ...)                                                          \
	do {                                                                   \
		static const char *const want_[] = { __VA_ARGS__ };            \
		assert_kind_order((k), want_, ARRAY_LEN(want_));               \
	} while (0)

static void test_base_loads_clean(void **state)
{
	(void)state;
	kb_load(0, 2);
	tu_expect_no_errors(K.d);
	/* The only warning is the one about reading from disk. */
	if (diag_warnings(K.d) != 1) {
		tu_dump_diags(K.d);
		fail();
	}
}

static void test_site_settings(void **state)
{
	(void)state;
	const site_config *s = &kb_load(0, 2)->site;
	assert_string_equal(s->title, "Test Research Network");
	assert_string_equal(s->base_url, "https://kb.example.org/");
	assert_string_equal(s->description, "Enquiry by two alliances");
	assert_string_equal(s->licence, "OGL-3.0");
	assert_string_equal(s->contact, "research@example.org");
	/* Defaults for what is not given. */
	assert_string_equal(s->language, "en-GB");
	assert_string_equal(s->theme, "default");
	assert_false(s->unsafe_html);
	assert_int_equal(s->claim_sets.n, 2);
	assert_int_equal(s->plugins.n, 0);
}

static void test_claim_sets(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	assert_int_equal(m->nsets, 2);
	/* In the order site.yaml lists them. */
	claim_set *p = &m->sets[0], *c = &m->sets[1];
	assert_string_equal(p->id, "pedagogy");
	assert_string_equal(p->path, "claims/pedagogy.yaml");
	assert_string_equal(p->short_title, "Great pedagogy");
	assert_string_equal(p->source, "Husbands and Pearce (2012)");
	assert_int_equal(p->theme, 1);
	assert_int_equal(p->nclaims, 3);
	assert_string_equal(p->claims[0].id, "pedagogy-1");
	assert_string_equal(p->claims[1].id, "pedagogy-2");
	assert_string_equal(p->claims[2].id, "pedagogy-4");
	assert_int_equal(p->claims[2].number, 4);
	assert_ptr_equal(p->claims[2].set, p);
	assert_string_equal(p->claims[0].summary,
		"Effective pedagogies consider pupil voice.");
	assert_string_equal(p->claims[1].summary, ""); /* none given */
	assert_int_equal(p->claims[0].keywords.n, 2);
	assert_string_equal(p->claims[0].keywords.items[1], "student voice");
	assert_int_equal(p->claims[0].line, 8);
	/* Without short_title or source. */
	assert_string_equal(c->short_title, c->title);
	assert_string_equal(c->source, "");
	assert_int_equal(c->nclaims, 2);

	assert_ptr_equal(model_find_claim(m, "pedagogy-4"), &p->claims[2]);
	assert_ptr_equal(model_find_claim(m, "cpd-7"), &c->claims[1]);
	assert_null(model_find_claim(m, "pedagogy-3"));
	assert_null(model_find_claim(m, "pedagog-1"));
	assert_null(model_find_claim(m, "pedagogy"));
	assert_null(model_find_claim(m, "pedagogy-"));
	assert_null(model_find_claim(m, "cpd-07"));
	assert_null(model_find_claim(m, ""));
}

static void test_alliances(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	assert_int_equal(m->nalliances, 2);
	alliance *n = model_find_alliance(m, "north-tsa");
	assert_non_null(n);
	assert_string_equal(n->name, "North Teaching School Alliance");
	assert_string_equal(n->url, "alliances/north-tsa/");
	assert_string_equal(n->path, "alliances/north-tsa.yaml");
	assert_string_equal(n->region, "North West");
	assert_int_equal(n->cohort, 2);
	assert_string_equal(n->website, "https://north.example.org/");
	assert_string_equal(n->hei_partner, "North University");
	assert_string_equal(n->contact_name, "R. Lead");
	assert_string_equal(n->contact_email, "lead@north.example.org");
	assert_int_equal(n->aliases.n, 1);
	assert_int_equal(n->nschools, 2);
	assert_string_equal(n->schools[1].name, "North High");
	assert_string_equal(n->schools[1].phase, "secondary");
	assert_string_equal(n->schools[1].role, "partner");
	alliance *s = model_find_alliance(m, "south-tsa");
	assert_non_null(s);
	assert_null(s->contact_name);
	assert_string_equal(s->contact_email, "south@example.org");
	assert_int_equal(s->cohort, 0);
	assert_int_equal(s->nschools, 0);
	assert_null(model_find_alliance(m, "north"));
	assert_null(model_find_alliance(m, "North-tsa"));
}

/* Alliances keep their file order; lookups go by slug, whose order can
 * differ ("a-b.yaml" sorts before "a.yaml", slug "a" before "a-b"). */
static void test_alliance_lookup_by_slug(void **state)
{
	(void)state;
	static const char *const slugs[] = { "a", "a-b", "a2", "ab", "b",
		"north-tsa-2", "z" };
	for (size_t i = 0; i < ARRAY_LEN(slugs); i++) {
		char path[64], text[64];
		snprintf(path, sizeof path, "alliances/%s.yaml", slugs[i]);
		snprintf(text, sizeof text, "name: Alliance %s\n", slugs[i]);
		kb_write(path, text);
	}
	model *m = kb_load(0, 2);
	tu_expect_no_errors(K.d);
	assert_int_equal(m->nalliances, 2 + ARRAY_LEN(slugs));
	for (size_t i = 0; i < m->nalliances; i++)
		assert_ptr_equal(model_find_alliance(m, m->alliances[i].slug),
			&m->alliances[i]);
	for (size_t i = 0; i < ARRAY_LEN(slugs); i++)
		assert_string_equal(model_find_alliance(m, slugs[i])->slug,
			slugs[i]);
	assert_null(model_find_alliance(m, ""));
	assert_null(model_find_alliance(m, "a-"));
	assert_null(model_find_alliance(m, "zz"));
}

static void test_published_documents_and_order(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	/* Drafts and internal documents are gone; case studies newest
	 * first, undated last; the rest by path. */
	ORDER(DOC_CASE_STUDY, "epsilon", "alpha", "beta", "zeta");
	ORDER(DOC_ENQUIRY, "e-one", "e-three", "e-two");
	ORDER(DOC_DISSEMINATION, "toolkit", "conf");
	ORDER(DOC_PAGE, "about");
	assert_null(model_find_doc(m, DOC_CASE_STUDY, "gamma"));
	assert_null(model_find_doc(m, DOC_CASE_STUDY, "delta"));
	assert_null(model_find_doc(m, DOC_ENQUIRY, "alpha")); /* other kind */
	assert_ptr_equal(kb_doc(DOC_CASE_STUDY, "beta"),
		&m->docs[DOC_CASE_STUDY][2]);
	assert_int_equal(m->nstatics, 1);
	assert_string_equal(m->statics[0]->path, "static/summary.pdf");
	assert_int_equal(m->statics[0]->size, 11);
}

static void test_case_study_fields(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	doc *a = kb_doc(DOC_CASE_STUDY, "alpha");
	assert_int_equal(a->kind, DOC_CASE_STUDY);
	assert_string_equal(a->path, "case-studies/alpha.md");
	assert_string_equal(a->url, "case-studies/alpha/");
	assert_string_equal(a->title, "Alpha study");
	assert_string_equal(a->date, "2015-03-01");
	assert_string_equal(a->theme, "pedagogy");
	assert_string_equal(a->focus, "Pupil voice in writing");
	assert_string_equal(a->licence, "OGL-3.0"); /* the site's */
	assert_ptr_equal(a->alliance, model_find_alliance(m, "north-tsa"));
	assert_int_equal(a->research_questions.n, 1);
	assert_int_equal(a->authors.n, 2);
	assert_string_equal(a->authors.items[1], "B. Teacher");
	assert_string_equal(a->schools.items[0], "North Primary");
	assert_string_equal(a->key_stages.items[0], "KS2");
	assert_non_null(a->front);
	assert_string_equal(value_text(value_get(a->front, "focus")),
		"Pupil voice in writing");
	/* The body: after the front matter, rendered, phases found. */
	assert_int_equal(a->body_line, 38);
	assert_int_equal(strncmp(a->body.p, "Alpha is about", 14), 0);
	assert_non_null(a->md.html);
	assert_non_null(strstr(a->md.html, "<p>Alpha is about pupil voice.</p>"));
	for (int p = C2L_IMPLEMENTATION; p < C2L_COUNT; p++)
		assert_true(a->md.phase_heading[p] >= 0);

	/* In a subfolder: the slug and URL do not include it. */
	doc *b = kb_doc(DOC_CASE_STUDY, "beta");
	assert_string_equal(b->path, "case-studies/2014/beta.md");
	assert_string_equal(b->url, "case-studies/beta/");
	assert_string_equal(b->licence, "CC-BY-4.0");
	assert_string_equal(b->theme, "professional-development");
	/* Undated: "". */
	assert_string_equal(kb_doc(DOC_CASE_STUDY, "zeta")->date, "");
}

static void test_claim_refs(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	doc *a = kb_doc(DOC_CASE_STUDY, "alpha");
	assert_int_equal(a->nclaims, 2);
	assert_ptr_equal(a->claims[0].claim, model_find_claim(m, "pedagogy-1"));
	assert_int_equal(a->claims[0].strength, STRENGTH_SUPPORTING);
	assert_null(a->claims[0].note);
	assert_ptr_equal(a->claims[0].doc, a); /* points at the moved doc */
	assert_ptr_equal(a->claims[1].claim, model_find_claim(m, "pedagogy-2"));
	assert_int_equal(a->claims[1].strength, STRENGTH_STRONG);
	assert_string_equal(a->claims[1].note, "Revisited every half term");
	doc *b = kb_doc(DOC_CASE_STUDY, "beta");
	assert_int_equal(b->nclaims, 2);
	assert_int_equal(b->claims[0].strength, STRENGTH_STRONG);
	assert_string_equal(b->claims[1].claim->id, "cpd-7");
	doc *e3 = kb_doc(DOC_ENQUIRY, "e-three");
	assert_int_equal(e3->claims[0].strength, STRENGTH_SUPPORTING);
	assert_string_equal(e3->claims[0].note, "Enquiry note");
	assert_ptr_equal(e3->claims[0].doc, e3);
}

static void test_evidence(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	doc *a = kb_doc(DOC_CASE_STUDY, "alpha");
	assert_int_equal(a->nevidence, 2);
	evidence *e = &a->evidence[0];
	assert_ptr_equal(e->doc, a);
	assert_int_equal(e->index, 0);
	assert_int_equal(e->line, 18);
	assert_string_equal(e->outcome, "Pupils at or above target in writing");
	assert_string_equal(e->group, "learners");
	assert_string_equal(e->method, "attainment-data");
	assert_string_equal(e->measure, "percent");
	assert_false(e->lower_is_better);
	assert_non_null(e->baseline);
	assert_string_equal(e->baseline->label, "Baseline");
	assert_true(e->baseline->value == 73);
	assert_string_equal(e->baseline->text, "73");
	assert_non_null(e->result);
	assert_string_equal(e->result->label, "Result");
	assert_true(e->result->value == 93);
	assert_non_null(e->comparison);
	assert_string_equal(e->comparison->label, "national");
	assert_true(e->comparison->value == 69);
	assert_int_equal(e->nseries, 0);
	assert_string_equal(e->n, "120");
	assert_string_equal(e->source, "Alliance tracking data");
	assert_null(e->text);
	assert_int_equal(e->nclaims, 1);
	assert_ptr_equal(e->claims[0], model_find_claim(m, "pedagogy-1"));

	e = &a->evidence[1];
	assert_ptr_equal(e->doc, a);
	assert_int_equal(e->index, 1);
	assert_int_equal(e->line, 28);
	assert_string_equal(e->measure, "mean");
	assert_true(e->lower_is_better);
	assert_null(e->baseline);
	assert_null(e->result);
	assert_null(e->comparison);
	assert_int_equal(e->nseries, 2);
	assert_string_equal(e->series[0].label, "start");
	assert_true(fabs(e->series[0].value - 1.82) < 1e-12);
	assert_string_equal(e->series[1].text, "1.57");
	assert_string_equal(e->n, "30"); /* "sample" is another name for n */
	assert_null(e->method);
	assert_int_equal(e->nclaims, 0);
}

static void test_text_evidence_and_non_numbers(void **state)
{
	(void)state;
	kb_write("case-studies/words.md",
		"---\n"
		"title: Words\n"
		"alliance: north-tsa\n"
		"theme: pedagogy\n"
		"research_questions: [Q]\n"
		"claims: [pedagogy-1]\n"
		"evidence:\n"
		"  - outcome: What staff said\n"
		"    measure: text\n"
		"    result: Staff felt more confident\n"
		"  - outcome: Grades\n"
		"    measure: grade\n"
		"    baseline: C\n"
		"    result: B+\n"
		"---\n" KB_PHASES);
	kb_load(0, 2);
	tu_expect_no_errors(K.d);
	doc *w = kb_doc(DOC_CASE_STUDY, "words");
	assert_int_equal(w->nevidence, 2);
	assert_string_equal(w->evidence[0].text, "Staff felt more confident");
	assert_true(isnan(w->evidence[1].baseline->value));
	assert_string_equal(w->evidence[1].baseline->text, "C");
	assert_string_equal(w->evidence[1].result->text, "B+");
	assert_null(w->evidence[1].text);
}

static void test_enquiry_fields_and_link(void **state)
{
	(void)state;
	kb_load(0, 2);
	doc *e = kb_doc(DOC_ENQUIRY, "e-one");
	doc *a = kb_doc(DOC_CASE_STUDY, "alpha");
	assert_string_equal(e->url, "enquiries/e-one/");
	assert_string_equal(e->question, "Does pupil voice help?");
	assert_string_equal(e->status, "active");
	assert_int_equal(e->c2l, C2L_INNOVATION);
	assert_string_equal(e->started, "2013-09-01");
	assert_null(e->ended);
	assert_string_equal(e->lead, "R. Lead");
	assert_string_equal(e->methods.items[0], "pupil-voice");
	assert_string_equal(e->date, "");
	assert_ptr_equal(e->case_study, a);
	assert_int_equal(a->nenquiries, 1);
	assert_ptr_equal(a->enquiries[0], e);
	doc *e3 = kb_doc(DOC_ENQUIRY, "e-three");
	assert_string_equal(e3->ended, "2013-07");
	assert_int_equal(e3->c2l, C2L_NONE);
	assert_null(e3->case_study);
	/* A link to a draft is dropped, without an error. */
	assert_null(kb_doc(DOC_ENQUIRY, "e-two")->case_study);
	tu_expect_no_errors(K.d);
}

static void test_dissemination_links(void **state)
{
	(void)state;
	kb_load(0, 2);
	doc *conf = kb_doc(DOC_DISSEMINATION, "conf");
	doc *tk = kb_doc(DOC_DISSEMINATION, "toolkit");
	doc *a = kb_doc(DOC_CASE_STUDY, "alpha");
	doc *b = kb_doc(DOC_CASE_STUDY, "beta");
	assert_string_equal(conf->kind_name, "event");
	assert_string_equal(conf->link, "https://example.org/conf");
	assert_string_equal(conf->files.items[0], "static/summary.pdf");
	assert_int_equal(conf->audience.n, 2);
	/* gamma, a draft, is dropped without an error. */
	assert_int_equal(conf->ncase_studies, 2);
	assert_ptr_equal(conf->case_studies[0], a);
	assert_ptr_equal(conf->case_studies[1], b);
	/* A single slug counts as a list of one. */
	assert_int_equal(tk->ncase_studies, 1);
	assert_ptr_equal(tk->case_studies[0], a);
	assert_null(tk->alliance);
	/* Back-links, in the model's order (newest first). */
	SLUGS(a->disseminations, a->ndisseminations, "toolkit", "conf");
	SLUGS(b->disseminations, b->ndisseminations, "conf");
	assert_int_equal(kb_doc(DOC_CASE_STUDY, "zeta")->ndisseminations, 0);
	tu_expect_no_errors(K.d);
}

static void test_claim_back_links(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	/* Strong before supporting; case studies newest first, then
	 * enquiries and dissemination. */
	claim *c = model_find_claim(m, "pedagogy-1");
	assert_int_equal(c->nrefs, 4);
	assert_int_equal(c->nstrong, 2);
	assert_string_equal(c->refs[0].doc->slug, "epsilon");
	assert_string_equal(c->refs[1].doc->slug, "beta");
	assert_string_equal(c->refs[2].doc->slug, "alpha");
	assert_string_equal(c->refs[3].doc->slug, "e-three");
	for (size_t i = 0; i < c->nrefs; i++) {
		assert_ptr_equal(c->refs[i].claim, c);
		assert_int_equal(c->refs[i].strength, i < 2 ? STRENGTH_STRONG :
			STRENGTH_SUPPORTING);
	}
	assert_string_equal(c->refs[3].note, "Enquiry note");
	assert_int_equal(c->nevidence, 1);
	assert_ptr_equal(c->evidence[0],
		&kb_doc(DOC_CASE_STUDY, "alpha")->evidence[0]);

	c = model_find_claim(m, "pedagogy-2");
	assert_int_equal(c->nrefs, 2);
	assert_int_equal(c->nstrong, 1);
	assert_string_equal(c->refs[0].doc->slug, "alpha");
	assert_string_equal(c->refs[0].note, "Revisited every half term");
	assert_string_equal(c->refs[1].doc->slug, "conf");
	assert_int_equal(c->nevidence, 0);

	c = model_find_claim(m, "cpd-1");
	assert_int_equal(c->nrefs, 1);
	assert_string_equal(c->refs[0].doc->slug, "e-one");
	/* pedagogy-4: only zeta; delta is internal. */
	c = model_find_claim(m, "pedagogy-4");
	assert_int_equal(c->nrefs, 1);
	assert_string_equal(c->refs[0].doc->slug, "zeta");
}

static void test_alliance_back_links(void **state)
{
	(void)state;
	model *m = kb_load(0, 2);
	alliance *n = model_find_alliance(m, "north-tsa");
	alliance *s = model_find_alliance(m, "south-tsa");
	SLUGS(n->docs[DOC_CASE_STUDY], n->ndocs[DOC_CASE_STUDY], "epsilon", "alpha");
	SLUGS(n->docs[DOC_ENQUIRY], n->ndocs[DOC_ENQUIRY], "e-one", "e-two");
	SLUGS(n->docs[DOC_DISSEMINATION], n->ndocs[DOC_DISSEMINATION], "conf");
	assert_int_equal(n->ndocs[DOC_PAGE], 0);
	SLUGS(s->docs[DOC_CASE_STUDY], s->ndocs[DOC_CASE_STUDY], "beta", "zeta");
	SLUGS(s->docs[DOC_ENQUIRY], s->ndocs[DOC_ENQUIRY], "e-three");
	assert_int_equal(s->ndocs[DOC_DISSEMINATION], 0);
}

static void test_drafts_flag(void **state)
{
	(void)state;
	model *m = kb_load(MODEL_DRAFTS, 2);
	tu_expect_no_errors(K.d);
	ORDER(DOC_CASE_STUDY, "epsilon", "alpha", "beta", "gamma", "zeta");
	doc *g = kb_doc(DOC_CASE_STUDY, "gamma");
	assert_string_equal(g->status, "draft");
	assert_ptr_equal(kb_doc(DOC_ENQUIRY, "e-two")->case_study, g);
	assert_ptr_equal(g->enquiries[0], kb_doc(DOC_ENQUIRY, "e-two"));
	doc *conf = kb_doc(DOC_DISSEMINATION, "conf");
	SLUGS(conf->case_studies, conf->ncase_studies, "alpha", "gamma", "beta");
	claim *c = model_find_claim(m, "pedagogy-1");
	assert_int_equal(c->nrefs, 5);
	assert_string_equal(c->refs[3].doc->slug, "gamma");
	assert_null(model_find_doc(m, DOC_CASE_STUDY, "delta"));
}

static void test_internal_flag(void **state)
{
	(void)state;
	model *m = kb_load(MODEL_INTERNAL, 2);
	tu_expect_no_errors(K.d);
	ORDER(DOC_CASE_STUDY, "epsilon", "alpha", "beta", "delta", "zeta");
	assert_null(model_find_doc(m, DOC_CASE_STUDY, "gamma"));
	assert_int_equal(model_find_claim(m, "pedagogy-4")->nrefs, 2);
	m = kb_load(MODEL_INTERNAL | MODEL_DRAFTS, 2);
	assert_int_equal(m->ndocs[DOC_CASE_STUDY], 6);
}

static void test_excluded_documents_are_not_read(void **state)
{
	(void)state;
	/* A draft full of mistakes reports nothing unless drafts build. */
	kb_write("case-studies/gamma.md",
		"---\n"
		"status: draft\n"
		"alliance: nowhere\n"
		"theme: maths\n"
		"claims: [nosuch-1]\n"
		"---\n");
	kb_write("dissemination/secret.md",
		"---\n"
		"visibility: internal\n"
		"files: [static/missing.pdf]\n"
		"---\n");
	kb_load(0, 2);
	tu_expect_no_errors(K.d);
	assert_int_equal(diag_warnings(K.d), 1);
	kb_load(MODEL_DRAFTS | MODEL_INTERNAL, 2);
	tu_expect_diag(K.d, DIAG_ERROR, "case-studies/gamma.md", 3, 11,
		"unknown alliance 'nowhere'");
	tu_expect_diag(K.d, DIAG_ERROR, "dissemination/secret.md", 0, 0,
		"file 'static/missing.pdf' is not in the disk");
}

static void test_same_slug_in_other_kinds(void **state)
{
	(void)state;
	/* Slugs are unique per kind only. */
	kb_write("enquiries/alpha.md",
		"---\ntitle: A\nalliance: north-tsa\nquestion: Q?\n---\n");
	kb_write("pages/alpha.md", "---\ntitle: A page\n---\n");
	model *m = kb_load(0, 2);
	tu_expect_no_errors(K.d);
	assert_non_null(model_find_doc(m, DOC_ENQUIRY, "alpha"));
	assert_non_null(model_find_doc(m, DOC_PAGE, "alpha"));
	assert_ptr_not_equal(model_find_doc(m, DOC_PAGE, "alpha"),
		model_find_doc(m, DOC_CASE_STUDY, "alpha"));
}

/* Everything about a load that must not depend on the thread count:
 * documents in order, claim back-links, and the sorted diagnostics. */
static char *describe(const model *m, diag_list *d)
{
	buf b = BUF_INIT;
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			const doc *x = &m->docs[k][i];
			buf_printf(&b, "%s %s %s %zu %zu %zu\n", x->path, x->title,
				x->date, x->nclaims, x->nevidence,
				x->ndisseminations);
		}
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			buf_printf(&b, "%s:", cl->id);
			for (size_t r = 0; r < cl->nrefs; r++)
				buf_printf(&b, " %s", cl->refs[r].doc->slug);
			buf_putc(&b, '\n');
		}
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	assert_non_null(f);
	diag_print(d, f);
	assert_int_equal(fclose(f), 0);
	buf_puts(&b, text);
	free(text);
	return buf_detach(&b);
}

static void test_threads_do_not_change_the_result(void **state)
{
	(void)state;
	/* Many documents, with warnings, so their order is compared too. */
	for (int i = 0; i < 40; i++) {
		char path[64], text[256];
		snprintf(path, sizeof path, "case-studies/many/cs-%02d.md", i);
		snprintf(text, sizeof text,
			"---\ntitle: Case %d\nalliance: south-tsa\ntheme: pedagogy\n"
			"research_questions: [Q]\nclaims: [pedagogy-%d]\n"
			"date: 2014-01-%02d\nodd_%d: x\n---\nno phases\n",
			i, i % 2 ? 1 : 4, i % 7 + 1, i);
		kb_write(path, text);
	}
	kb_load(0, 1);
	assert_int_equal(K.m->ndocs[DOC_CASE_STUDY], 44);
	assert_int_equal(tu_count_diag(K.d, DIAG_WARNING, "unknown field 'odd_"), 40);
	char *one = describe(K.m, K.d);
	static const unsigned threads[] = { 2, 4, 8 };
	for (size_t t = 0; t < ARRAY_LEN(threads); t++) {
		kb_load(0, threads[t]);
		char *many = describe(K.m, K.d);
		assert_string_equal(many, one);
		free(many);
	}
	free(one);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, kb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_base_loads_clean),
		T(test_site_settings),
		T(test_claim_sets),
		T(test_alliances),
		T(test_alliance_lookup_by_slug),
		T(test_published_documents_and_order),
		T(test_case_study_fields),
		T(test_claim_refs),
		T(test_evidence),
		T(test_text_evidence_and_non_numbers),
		T(test_enquiry_fields_and_link),
		T(test_dissemination_links),
		T(test_claim_back_links),
		T(test_alliance_back_links),
		T(test_drafts_flag),
		T(test_internal_flag),
		T(test_excluded_documents_are_not_read),
		T(test_same_slug_in_other_kinds),
		T(test_threads_do_not_change_the_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
