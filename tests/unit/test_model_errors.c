/*
 * Unit tests for model on invalid content: each test breaks the valid
 * knowledge base of model_fixture.h in one way and checks the exact
 * diagnostic (path, line, column, message) and that loading goes on with
 * the rest. Tests marked Regression guard bugs fixed since.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"
#include "model_fixture.h"

static int setup(void **state)
{
	kb_setup(state);
	kb_base();
	return 0;
}

#define ERR(path, line, col, msg) tu_expect_diag(K.d, DIAG_ERROR, path, line, col, msg)
#define WARN(path, line, col, msg) tu_expect_diag(K.d, DIAG_WARNING, path, line, col, msg)
#define ERRORS(n)                                                              \
	do {                                                                   \
		if (diag_errors(K.d) != (n)) {                                 \
			tu_dump_diags(K.d);                                    \
			fail_msg("expected %d errors, got %zu", (n),           \
				diag_errors(K.d));                             \
		}                                                              \
	} while (0)

/* A valid case study front matter after its title line (lines 3-6). */
#define CS_FRONT                                                               \
	"alliance: north-tsa\n"                                                \
	"theme: pedagogy\n"                                                    \
	"research_questions: [Q]\n"                                            \
	"claims: [pedagogy-1]\n"

/* ---- site.yaml ---- */

static void test_missing_site_yaml(void **state)
{
	(void)state;
	kb_remove("site.yaml");
	model *m = kb_load(0, 2);
	ERR("site.yaml", 0, 0,
		"missing site settings: every content root needs a 'site.yaml'");
	ERRORS(1);
	/* Defaults, and every claim set in claims/ loads, in name order. */
	assert_string_equal(m->site.title, "Untitled knowledge base");
	assert_string_equal(m->site.base_url, "/");
	assert_int_equal(m->nsets, 2);
	assert_string_equal(m->sets[0].id, "cpd");
	assert_int_equal(m->ndocs[DOC_CASE_STUDY], 4);
}

static void test_site_yaml_not_a_mapping(void **state)
{
	(void)state;
	kb_write("site.yaml", "- title\n- base_url\n");
	model *m = kb_load(0, 2);
	ERR("site.yaml", 1, 1, "site.yaml must be a mapping of fields, not a list");
	ERR("site.yaml", 1, 1, "missing required field 'title'");
	ERR("site.yaml", 1, 1, "missing required field 'base_url'");
	ERRORS(3);
	assert_string_equal(m->site.title, "Untitled knowledge base");
}

static void test_site_yaml_values(void **state)
{
	(void)state;
	kb_write("site.yaml",
		"title: T\n"
		"base_url: kb.example.org\n"
		"theme: ../evil\n"
		"unsafe_html: yes\n"
		"colour: blue\n");
	model *m = kb_load(0, 2);
	ERR("site.yaml", 2, 11, "'base_url' must be an absolute http(s) URL");
	ERR("site.yaml", 0, 0, "bad theme name '../evil'");
	ERR("site.yaml", 4, 14, "'unsafe_html' must be true or false");
	WARN("site.yaml", 5, 1, "unknown field 'colour'");
	ERRORS(3);
	assert_string_equal(m->site.base_url, "/");
	assert_string_equal(m->site.theme, "default");

	kb_write("site.yaml", "title: T\nbase_url: http://x.org/sub\n");
	m = kb_load(0, 2);
	WARN("site.yaml", 2, 11, "'base_url' should end with '/'");
	ERRORS(0);
	assert_string_equal(m->site.base_url, "http://x.org/sub/");
}

/* ---- claim sets ---- */

static void test_claim_set_id_must_match_file(void **state)
{
	(void)state;
	kb_write("claims/cpd.yaml",
		"id: cdp\n"
		"title: CPD\n"
		"claims:\n"
		"  - {number: 1, title: One}\n");
	model *m = kb_load(0, 2);
	ERR("claims/cpd.yaml", 1, 5,
		"claim set id 'cdp' must equal the file name 'cpd'");
	assert_int_equal(m->nsets, 1);
	assert_string_equal(m->sets[0].id, "pedagogy");
	/* Documents citing the set's claims now cite unknown claims. */
	ERR("enquiries/e-one.md", 10, 10, "unknown claim 'cpd-1'");
	ERR("case-studies/2014/beta.md", 8, 5, "unknown claim 'cpd-7'");
	ERRORS(3);
}

static void test_claim_set_bad_content(void **state)
{
	(void)state;
	kb_write("claims/pedagogy.yaml",
		"id: pedagogy\n"            /* 1 */
		"title: P\n"                /* 2 */
		"claims:\n"                 /* 3 */
		"  - number: 1\n"           /* 4 */
		"    title: A\n"            /* 5 */
		"  - number: 1\n"           /* 6 */
		"    title: B\n"            /* 7 */
		"  - number: 2\n"           /* 8 */
		"    title: C\n"            /* 9 */
		"  - number: 0\n"           /* 10 */
		"    title: Zero\n"         /* 11 */
		"  - title: No number\n"    /* 12 */
		"  - number: 4\n"           /* 13 */
		"  - just text\n"           /* 14 */
		"  - number: 4\n"           /* 15 */
		"    title: Four\n"         /* 16 */
		"    level: 3\n");          /* 17 */
	model *m = kb_load(0, 2);
	const char *p = "claims/pedagogy.yaml";
	ERR(p, 6, 13, "duplicate claim number 1 in 'pedagogy'");
	ERR(p, 10, 13, "'number' must be a whole number from 1 to 999");
	ERR(p, 12, 5, "missing required field 'number'");
	ERR(p, 13, 5, "missing required field 'title'");
	ERR(p, 14, 5, "a claim must be a mapping of fields, not a string");
	WARN(p, 17, 5, "unknown field 'level'");
	ERRORS(5);
	claim_set *s = &m->sets[0];
	assert_int_equal(s->nclaims, 3);
	assert_string_equal(s->claims[0].title, "A");
	assert_string_equal(s->claims[1].id, "pedagogy-2");
	assert_string_equal(s->claims[2].id, "pedagogy-4");
	assert_string_equal(s->claims[2].title, "Four");
}

static void test_claim_set_missing_parts(void **state)
{
	(void)state;
	kb_write("claims/cpd.yaml", "id: cpd\nclaims: {number: 1}\n");
	model *m = kb_load(0, 2);
	ERR("claims/cpd.yaml", 1, 1, "missing required field 'title'");
	ERR("claims/cpd.yaml", 2, 9, "'claims' must be a list");
	assert_int_equal(m->nsets, 1);
	kb_write("claims/cpd.yaml", "id: cpd\ntitle: CPD\n");
	m = kb_load(0, 2);
	ERR("claims/cpd.yaml", 1, 1, "missing required field 'claims'");
}

static void test_claim_sets_listed_and_present(void **state)
{
	(void)state;
	kb_write("site.yaml",
		"title: T\nbase_url: https://x.org/\nclaim_sets: [pedagogy, cpd, leadership]\n");
	kb_write("claims/maturity.yaml", "id: maturity\ntitle: M\nclaims: []\n");
	model *m = kb_load(0, 2);
	ERR("site.yaml", 0, 0, "claim set 'leadership' is listed in 'claim_sets' "
		"but 'claims/leadership.yaml' does not exist");
	WARN("claims/maturity.yaml", 0, 0,
		"claim set not listed in 'claim_sets' of site.yaml; not loaded");
	ERRORS(1);
	assert_int_equal(m->nsets, 2);
}

static void test_failed_claim_set_does_not_corrupt_the_next(void **state)
{
	(void)state;
	/* Regression: model_read_claim_sets (generator/model_config.c) reuses the (fixed). */
	kb_write("site.yaml",
		"title: T\nbase_url: https://x.org/\nclaim_sets: [cpd, pedagogy]\n");
	kb_write("claims/cpd.yaml",
		"id: cdp\ntitle: CPD\nclaims:\n"
		"  - {number: 1, title: a}\n"
		"  - {number: 2, title: b}\n"
		"  - {number: 3, title: c}\n");
	model *m = kb_load(0, 2);
	assert_int_equal(m->nsets, 1);
	assert_int_equal(m->sets[0].nclaims, 3);
	assert_string_equal(m->sets[0].claims[0].id, "pedagogy-1");
	assert_non_null(model_find_claim(m, "pedagogy-4"));
}

/* ---- alliances ---- */

static void test_alliance_errors(void **state)
{
	(void)state;
	kb_write("alliances/west.yaml",
		"name: West\n"                   /* 1 */
		"cohort: 0\n"                    /* 2 */
		"contact: [a]\n"                 /* 3 */
		"schools:\n"                     /* 4 */
		"  - name: W1\n"                 /* 5 */
		"    phase: nursery\n"           /* 6 */
		"    role: boss\n"               /* 7 */
		"  - phase: primary\n"           /* 8 */
		"  - Just a name\n");            /* 9 */
	model *m = kb_load(0, 2);
	const char *p = "alliances/west.yaml";
	ERR(p, 2, 9, "'cohort' must be a whole number from 1 to 99");
	ERR(p, 3, 10, "'contact' must be a mapping of fields, not a list");
	ERR(p, 6, 12, "unknown phase 'nursery' (expected early-years, primary, "
		"secondary, special, all-through or post-16)");
	ERR(p, 7, 11, "unknown role 'boss' (expected lead, teaching-school or partner)");
	ERR(p, 8, 5, "missing required field 'name'");
	ERR(p, 9, 5, "a school must be a mapping of fields, not a string");
	ERRORS(6);
	alliance *w = model_find_alliance(m, "west");
	assert_non_null(w);
	assert_int_equal(w->nschools, 1);
	assert_null(w->schools[0].phase);
}

static void test_duplicate_alliance_in_subfolder(void **state)
{
	(void)state;
	kb_write("alliances/old/north-tsa.yaml", "name: Old North\n");
	model *m = kb_load(0, 2);
	ERR("alliances/old/north-tsa.yaml", 0, 0,
		"duplicate alliance 'north-tsa' (also 'alliances/north-tsa.yaml')");
	ERRORS(1);
	assert_int_equal(m->nalliances, 2);
	assert_string_equal(model_find_alliance(m, "north-tsa")->name,
		"North Teaching School Alliance");
}

static void test_failed_alliance_does_not_leak_into_the_next(void **state)
{
	(void)state;
	/* Regression: model_read_alliances (generator/model_config.c) reuses the (fixed). */
	kb_write("alliances/a-bad.yaml",
		"region: x\ncontact: bad@x.org\nschools:\n  - name: S1\n  - name: S2\n");
	kb_write("alliances/b-good.yaml", "name: Good\n");
	model *m = kb_load(0, 2);
	ERR("alliances/a-bad.yaml", 1, 1, "missing required field 'name'");
	alliance *g = model_find_alliance(m, "b-good");
	assert_non_null(g);
	assert_int_equal(g->nschools, 0);
	assert_null(g->contact_email);
}

/* ---- file names and folders ---- */

static void test_bad_file_names(void **state)
{
	(void)state;
	kb_write("case-studies/Bad_Name.md", "---\ntitle: x\n---\n");
	kb_write("case-studies/two--hyphens.md", "---\ntitle: x\n---\n");
	kb_write("enquiries/-lead.md", "---\ntitle: x\n---\n");
	kb_write("alliances/North.yaml", "name: N\n");
	kb_write("claims/CPD2.yaml", "id: CPD2\n");
	kb_write("pages/about us.md", "---\ntitle: x\n---\n");
	model *m = kb_load(0, 2);
	ERR("case-studies/Bad_Name.md", 0, 0, "bad file name 'Bad_Name': use "
		"lowercase letters, digits and single hyphens");
	ERR("case-studies/two--hyphens.md", 0, 0, "bad file name 'two--hyphens'");
	ERR("enquiries/-lead.md", 0, 0, "bad file name '-lead'");
	ERR("alliances/North.yaml", 0, 0, "bad file name 'North'");
	ERR("claims/CPD2.yaml", 0, 0, "bad file name 'CPD2'");
	ERR("pages/about us.md", 0, 0, "bad file name 'about us'");
	ERRORS(6);
	/* None of them is read. */
	assert_int_equal(m->ndocs[DOC_CASE_STUDY], 4);
	assert_int_equal(m->ndocs[DOC_ENQUIRY], 3);
	assert_int_equal(m->ndocs[DOC_PAGE], 1);
	assert_int_equal(m->nalliances, 2);
}

static void test_ignored_files(void **state)
{
	(void)state;
	kb_write("case-studies/notes.txt", "notes");
	kb_write("claims/readme.md", "# claims");
	kb_write("alliances/x.yml", "name: X\n");
	kb_write("dissemination/poster.pdf", "%PDF");
	kb_write("README.md", "not content");
	model *m = kb_load(0, 2);
	ERRORS(0);
	WARN("case-studies/notes.txt", 0, 0,
		"ignored: only Markdown (.md) files are read in case-studies/");
	WARN("claims/readme.md", 0, 0, "ignored: claim sets are .yaml files in claims/");
	WARN("alliances/x.yml", 0, 0, "ignored: alliances are .yaml files in alliances/");
	WARN("dissemination/poster.pdf", 0, 0, "read in dissemination/");
	assert_int_equal(m->nalliances, 2);
}

/* ---- documents: references ---- */

static void test_duplicate_slug_in_subfolder(void **state)
{
	(void)state;
	kb_write("case-studies/2015/alpha.md",
		"---\ntitle: Another alpha\n" CS_FRONT "---\n" KB_PHASES);
	kb_load(0, 2);
	ERR("case-studies/alpha.md", 0, 0, "duplicate case study 'alpha' (also "
		"'case-studies/2015/alpha.md'): slugs must be unique even in subfolders");
	ERRORS(1);
}

static void test_unknown_and_bad_claims(void **state)
{
	(void)state;
	kb_write("case-studies/bad-claims.md",
		"---\n"                          /* 1 */
		"title: Bad claims\n"            /* 2 */
		"alliance: north-tsa\n"          /* 3 */
		"theme: pedagogy\n"              /* 4 */
		"research_questions: [Q]\n"      /* 5 */
		"claims:\n"                      /* 6 */
		"  - pedagogy-3\n"               /* 7 */
		"  - id: cpd-99\n"               /* 8 */
		"    strength: strong\n"         /* 9 */
		"  - pedagog\n"                  /* 10 */
		"  - nosuch-1\n"                 /* 11 */
		"  - pedagogy-1\n"               /* 12 */
		"  - pedagogy-1\n"               /* 13 */
		"  - {id: pedagogy-2, strength: very}\n" /* 14 */
		"  - {note: no id}\n"            /* 15 */
		"  - Pedagogy-1\n"               /* 16 */
		"---\n" KB_PHASES);
	kb_load(0, 2);
	const char *p = "case-studies/bad-claims.md";
	ERR(p, 7, 5, "unknown claim 'pedagogy-3'");
	ERR(p, 8, 9, "unknown claim 'cpd-99'");
	ERR(p, 10, 5, "bad claim id 'pedagog' (expected <set>-<number>, e.g. pedagogy-4)");
	ERR(p, 11, 5, "unknown claim 'nosuch-1'");
	WARN(p, 13, 5, "claim 'pedagogy-1' is listed twice");
	ERR(p, 14, 32, "unknown strength 'very' (expected strong or supporting)");
	ERR(p, 15, 5, "missing required field 'id'");
	ERR(p, 16, 5, "bad claim id 'Pedagogy-1'");
	ERRORS(7);
	doc *x = kb_doc(DOC_CASE_STUDY, "bad-claims");
	/* pedagogy-1, and pedagogy-2 (a bad strength is reported, the
	 * claim is kept as supporting). */
	assert_int_equal(x->nclaims, 2);
	assert_string_equal(x->claims[1].claim->id, "pedagogy-2");
	assert_int_equal(x->claims[1].strength, STRENGTH_SUPPORTING);
}

static void test_claims_shape(void **state)
{
	(void)state;
	kb_write("case-studies/no-claims.md",
		"---\ntitle: N\nalliance: north-tsa\ntheme: pedagogy\n"
		"research_questions: [Q]\nclaims: []\n---\n" KB_PHASES);
	kb_write("case-studies/scalar-claims.md",
		"---\ntitle: S\nalliance: north-tsa\ntheme: pedagogy\n"
		"research_questions: [Q]\nclaims: pedagogy-1\n---\n" KB_PHASES);
	kb_load(0, 2);
	ERR("case-studies/no-claims.md", 6, 9, "'claims' needs at least one claim");
	ERR("case-studies/scalar-claims.md", 6, 9, "'claims' must be a list");
	ERRORS(2);
}

static void test_unknown_alliance(void **state)
{
	(void)state;
	kb_write("case-studies/lost.md",
		"---\ntitle: Lost\nalliance: nowhere\ntheme: pedagogy\n"
		"research_questions: [Q]\nclaims: [pedagogy-1]\n---\n" KB_PHASES);
	kb_load(0, 2);
	ERR("case-studies/lost.md", 3, 11,
		"unknown alliance 'nowhere' (no alliances/nowhere.yaml)");
	ERRORS(1);
	assert_null(kb_doc(DOC_CASE_STUDY, "lost")->alliance);
}

static void test_unknown_case_studies(void **state)
{
	(void)state;
	kb_write("enquiries/e-bad.md",
		"---\n"
		"title: Bad link\n"
		"alliance: north-tsa\n"
		"question: Q?\n"
		"case_study: nope\n"
		"---\n");
	kb_write("dissemination/d-bad.md",
		"---\n"
		"title: Bad links\n"
		"kind: video\n"
		"date: 2014\n"
		"case_studies:\n"
		"  - alpha\n"
		"  - not-there\n"
		"---\n");
	kb_load(0, 2);
	ERR("enquiries/e-bad.md", 5, 13, "unknown case study 'nope'");
	ERR("dissemination/d-bad.md", 7, 5, "unknown case study 'not-there'");
	ERRORS(2);
	doc *x = kb_doc(DOC_DISSEMINATION, "d-bad");
	assert_int_equal(x->ncase_studies, 1);
	assert_null(kb_doc(DOC_ENQUIRY, "e-bad")->case_study);
}

/* ---- documents: fields ---- */

static void test_case_study_missing_required(void **state)
{
	(void)state;
	kb_write("case-studies/bare.md", "---\ndate: 2014\n---\n" KB_PHASES);
	kb_load(0, 2);
	const char *p = "case-studies/bare.md";
	ERR(p, 1, 1, "missing required field 'title'");
	ERR(p, 1, 1, "missing required field 'alliance'");
	ERR(p, 1, 1, "missing required field 'theme'");
	ERR(p, 1, 1, "missing required field 'research_questions'");
	ERR(p, 1, 1, "missing required field 'claims'");
	ERRORS(5);
	/* The title falls back to the slug so lists still show it. */
	assert_string_equal(kb_doc(DOC_CASE_STUDY, "bare")->title, "bare");
}

static void test_case_study_bad_values(void **state)
{
	(void)state;
	kb_write("case-studies/odd.md",
		"---\n"                              /* 1 */
		"title: Odd\n"                       /* 2 */
		"alliance: north-tsa\n"              /* 3 */
		"theme: maths\n"                     /* 4 */
		"research_questions: []\n"           /* 5 */
		"claims: [pedagogy-1]\n"             /* 6 */
		"date: 2014-02-29\n"                 /* 7 */
		"status: final\n"                    /* 8 */
		"visibility: secret\n"               /* 9 */
		"schools: [North Primary, Nowhere School]\n" /* 10 */
		"titel: typo\n"                      /* 11 */
		"---\n"                              /* 12 */
		"No phase headings here.\n");        /* 13 */
	kb_load(0, 2);
	const char *p = "case-studies/odd.md";
	ERR(p, 4, 8, "unknown theme 'maths' (expected pedagogy, "
		"professional-development or leadership)");
	ERR(p, 5, 21, "'research_questions' needs at least one item");
	ERR(p, 7, 7, "bad date '2014-02-29' in 'date'");
	ERR(p, 8, 9, "unknown status 'final' (expected draft or published)");
	ERR(p, 9, 13, "unknown visibility 'secret' (expected public or internal)");
	ERRORS(5);
	WARN(p, 10, 10, "school 'Nowhere School' is not in the schools of "
		"alliance 'north-tsa'");
	WARN(p, 11, 1, "unknown field 'titel'");
	WARN(p, 13, 1, "no 'Implementation', 'Innovation', 'Impact', "
		"'Conclusions' heading: readers get no phase navigation for it");
	assert_int_equal(tu_count_diag(K.d, DIAG_WARNING, "school '"), 1);
	assert_string_equal(kb_doc(DOC_CASE_STUDY, "odd")->date, "");
}

static void test_evidence_errors(void **state)
{
	(void)state;
	kb_write("case-studies/ev.md",
		"---\n"                                  /* 1 */
		"title: Ev\n"                            /* 2 */
		"alliance: north-tsa\n"                  /* 3 */
		"theme: pedagogy\n"                      /* 4 */
		"research_questions: [Q]\n"              /* 5 */
		"claims: [pedagogy-1]\n"                 /* 6 */
		"evidence:\n"                            /* 7 */
		"  - outcome: One\n"                     /* 8 */
		"    group: parents\n"                   /* 9 */
		"    measure: ratio\n"                   /* 10 */
		"    baseline: [1]\n"                    /* 11 */
		"    claims: [pedagogy-4, pedagogy-9]\n" /* 12 */
		"  - outcome: Two\n"                     /* 13 */
		"    series: {a: 1}\n"                   /* 14 */
		"    comparison: 69\n"                   /* 15 */
		"  - outcome: Three\n"                   /* 16 */
		"    result: 5\n"                        /* 17 */
		"    series:\n"                          /* 18 */
		"      - {label: a, value: 1}\n"         /* 19 */
		"      - {value: 2}\n"                   /* 20 */
		"      - {label: c}\n"                   /* 21 */
		"  - not a record\n"                     /* 22 */
		"---\n" KB_PHASES);
	kb_load(0, 2);
	const char *p = "case-studies/ev.md";
	ERR(p, 9, 12, "unknown group 'parents' (expected learners, staff or schools)");
	ERR(p, 10, 14, "unknown measure 'ratio'");
	ERR(p, 11, 15, "'baseline' must be a number or text");
	WARN(p, 12, 14, "evidence is linked to claim 'pedagogy-4', which the "
		"case study does not declare");
	ERR(p, 12, 26, "unknown claim 'pedagogy-9'");
	ERR(p, 14, 13, "'series' must be a list");
	ERR(p, 15, 17, "'comparison' must be a mapping of fields, not a number");
	WARN(p, 16, 5, "evidence has both a series and baseline/result");
	ERR(p, 20, 9, "missing required field 'label'");
	ERR(p, 21, 9, "a series point needs a 'value'");
	ERR(p, 22, 5, "an evidence entry must be a mapping of fields, not a string");
	ERRORS(9);
	doc *x = kb_doc(DOC_CASE_STUDY, "ev");
	assert_int_equal(x->nevidence, 3);
	assert_int_equal(x->evidence[0].nclaims, 1); /* the unknown one dropped */
	assert_null(x->evidence[0].baseline);
	assert_int_equal(x->evidence[1].nseries, 0);
	assert_null(x->evidence[1].comparison);
	assert_int_equal(x->evidence[2].nseries, 1);
	/* The evidence still links to the claim it names. */
	assert_int_equal(model_find_claim(K.m, "pedagogy-4")->nevidence, 1);
}

static void test_failed_evidence_does_not_leak_into_the_next(void **state)
{
	(void)state;
	/* Regression: read_evidence (generator/model_doc.c) reuses the slot (fixed). */
	kb_write("case-studies/ev.md",
		"---\ntitle: Ev\n" CS_FRONT
		"evidence:\n"
		"  - measure: mean\n"
		"    series: [{label: a, value: 1}, {label: b, value: 2}]\n"
		"    comparison: {label: national, value: 3}\n"
		"    claims: [pedagogy-1]\n"
		"  - outcome: Second\n"
		"    result: 5\n"
		"---\n" KB_PHASES);
	kb_load(0, 2);
	ERR("case-studies/ev.md", 8, 5, "missing required field 'outcome'");
	doc *x = kb_doc(DOC_CASE_STUDY, "ev");
	assert_int_equal(x->nevidence, 1);
	assert_string_equal(x->evidence[0].outcome, "Second");
	assert_int_equal(x->evidence[0].nseries, 0);
	assert_int_equal(x->evidence[0].nclaims, 0);
	assert_null(x->evidence[0].comparison);
}

static void test_enquiry_errors(void **state)
{
	(void)state;
	kb_write("enquiries/e-odd.md",
		"---\n"                          /* 1 */
		"title: Odd enquiry\n"           /* 2 */
		"alliance: north-tsa\n"          /* 3 */
		"status: ongoing\n"              /* 4 */
		"phase: reflection\n"            /* 5 */
		"started: 2014-13-01\n"          /* 6 */
		"ended: 2014-1-1\n"              /* 7 */
		"---\n");
	kb_write("enquiries/e-late.md",
		"---\n"                          /* 1 */
		"title: Late\n"                  /* 2 */
		"alliance: north-tsa\n"          /* 3 */
		"question: Q?\n"                 /* 4 */
		"status: stopped\n"              /* 5 */
		"started: 2014-05\n"             /* 6 */
		"ended: 2014-04-30\n"            /* 7 */
		"---\n");
	kb_write("enquiries/e-open.md",
		"---\ntitle: Open\nalliance: north-tsa\nquestion: Q?\n"
		"status: complete\n---\n");
	kb_load(0, 2);
	const char *p = "enquiries/e-odd.md";
	ERR(p, 1, 1, "missing required field 'question'");
	ERR(p, 4, 9, "unknown status 'ongoing' (expected planned, active, "
		"complete or stopped)");
	ERR(p, 5, 8, "unknown phase 'reflection' (expected implementation, "
		"innovation or impact)");
	ERR(p, 6, 10, "bad date '2014-13-01' in 'started'");
	ERR(p, 7, 8, "bad date '2014-1-1' in 'ended'");
	ERR("enquiries/e-late.md", 7, 8,
		"'ended' (2014-04-30) is before 'started' (2014-05)");
	WARN("enquiries/e-open.md", 5, 9, "a complete enquiry should say when it 'ended'");
	ERRORS(6);
}

static void test_dissemination_errors(void **state)
{
	(void)state;
	kb_write("dissemination/d-odd.md",
		"---\n"                                  /* 1 */
		"title: Odd\n"                           /* 2 */
		"kind: party\n"                          /* 3 */
		"files:\n"                               /* 4 */
		"  - static/summary.pdf\n"               /* 5 */
		"  - static/missing.pdf\n"               /* 6 */
		"  - site.yaml\n"                        /* 7 */
		"  - static/../site.yaml\n"              /* 8 */
		"---\n");
	kb_write("dissemination/d-bare.md", "---\ntitle: Bare\n---\n");
	kb_load(0, 2);
	const char *p = "dissemination/d-odd.md";
	ERR(p, 1, 1, "missing required field 'date'");
	ERR(p, 3, 7, "unknown kind 'party' (expected event, toolkit, presentation, "
		"publication, newsletter, video, resource or website)");
	ERR(p, 5, 3, "file 'static/missing.pdf' is not in the disk (files must be under static/)");
	ERR(p, 5, 3, "file 'site.yaml' is not in the disk");
	ERR(p, 5, 3, "file 'static/../site.yaml' is not in the disk");
	ERR("dissemination/d-bare.md", 1, 1, "missing required field 'kind'");
	ERR("dissemination/d-bare.md", 1, 1, "missing required field 'date'");
	ERRORS(7);
}

/* ---- documents: text and front matter ---- */

static void test_broken_files(void **state)
{
	(void)state;
	/* In enquiries and pages: see the regression test below for case studies. */
	kb_write("enquiries/no-front.md", "Just text\n");
	kb_write("enquiries/unclosed.md", "---\ntitle: x\n");
	kb_write("enquiries/bad-utf8.md", "---\ntitle: caf\xe9\n---\n");
	tu_write_n(K.root, "enquiries/nul.md", "---\ntitle: a\0b\n---\n", 19);
	kb_write("pages/bad-yaml.md", "---\ntitle: x\n  bad: [unclosed\n---\n");
	kb_write("pages/list.md", "---\n- a\n- b\n---\n");
	model *m = kb_load(0, 2);
	ERR("enquiries/no-front.md", 1, 1,
		"missing front matter (the file must start with a '---' line)");
	ERR("enquiries/unclosed.md", 1, 1,
		"front matter is not closed (no '---' line after it)");
	ERR("enquiries/bad-utf8.md", 2, 11, "invalid UTF-8 (save the file as UTF-8)");
	ERR("enquiries/nul.md", 2, 9, "NUL byte in a text file");
	ERR("pages/list.md", 2, 1, "front matter must be a mapping of fields, not a list");
	ERR("pages/list.md", 1, 1, "missing required field 'title'");
	const diag *y = tu_find_diag(K.d, DIAG_ERROR, "pages/bad-yaml.md", 0, 0, "");
	assert_non_null(y);
	assert_true(y->line >= 2 && y->line <= 4); /* a line of the file */
	ERRORS(7);
	/* Loading went on: the good documents are all there. */
	assert_int_equal(m->ndocs[DOC_CASE_STUDY], 4);
	assert_non_null(model_find_doc(m, DOC_ENQUIRY, "e-one"));
}

static void test_broken_case_study_among_others(void **state)
{
	(void)state;
	/* Regression: model_read_doc (generator/model_doc.c) returns true (keep) (fixed). */
	kb_write("case-studies/broken.md", "---\ntitle: [unclosed\n---\n");
	kb_write("dissemination/broken.md", "no front matter\n");
	model *m = kb_load(0, 2);
	assert_true(diag_errors(K.d) >= 2);
	assert_non_null(model_find_doc(m, DOC_CASE_STUDY, "alpha"));
}

static void test_too_large_file(void **state)
{
	(void)state;
	size_t n = SOURCE_MAX_FILE_SIZE + 1;
	char *big = xmalloc(n);
	memset(big, 'a', n);
	memcpy(big, "---\ntitle: big\n---\n", 19);
	tu_write_n(K.root, "pages/huge.md", big, n);
	free(big);
	kb_load(0, 2);
	ERR("pages/huge.md", 0, 0, "file is too large (10485761 bytes; the limit is 10 MB)");
	ERRORS(1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, kb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_missing_site_yaml),
		T(test_site_yaml_not_a_mapping),
		T(test_site_yaml_values),
		T(test_claim_set_id_must_match_file),
		T(test_claim_set_bad_content),
		T(test_claim_set_missing_parts),
		T(test_claim_sets_listed_and_present),
		T(test_failed_claim_set_does_not_corrupt_the_next),
		T(test_alliance_errors),
		T(test_duplicate_alliance_in_subfolder),
		T(test_failed_alliance_does_not_leak_into_the_next),
		T(test_bad_file_names),
		T(test_ignored_files),
		T(test_duplicate_slug_in_subfolder),
		T(test_unknown_and_bad_claims),
		T(test_claims_shape),
		T(test_unknown_alliance),
		T(test_unknown_case_studies),
		T(test_case_study_missing_required),
		T(test_case_study_bad_values),
		T(test_evidence_errors),
		T(test_failed_evidence_does_not_leak_into_the_next),
		T(test_enquiry_errors),
		T(test_dissemination_errors),
		T(test_broken_files),
		T(test_broken_case_study_among_others),
		T(test_too_large_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
