/*
 * model_fixture: a content root on disk for the model and pages tests,
 * in a temporary folder outside any git repository (the folder's parent
 * is made a GIT_CEILING_DIRECTORIES entry, so the source reads it from
 * disk, with its warning), loaded through source_open and model_load.
 *
 * kb_base writes a small, valid knowledge base whose every cross-link is
 * known (see the comments in it); tests add or overwrite files, then load.
 * Header-only; include after <cmocka.h>.
 */
#ifndef ENQUIRE_MODEL_FIXTURE_H
#define ENQUIRE_MODEL_FIXTURE_H

#include <libgen.h>

#include "model.h"
#include "source.h"
#include "testutil.h"

typedef struct {
	char *dir; /* the temporary folder */
	char *root; /* dir/kb: the content root */
	diag_list *d; /* diagnostics of the last load */
	source *src;
	model *m;
} kb_fixture;

static kb_fixture K;

static inline void kb_unload(void)
{
	model_free(K.m);
	source_free(K.src);
	diag_list_free(K.d);
	K.m = NULL;
	K.src = NULL;
	K.d = NULL;
}

static inline int kb_setup(void **state)
{
	(void)state;
	memset(&K, 0, sizeof K);
	K.dir = tu_mkdtemp();
	K.root = tu_path(K.dir, "kb");
	char *copy = xstrdup(K.dir);
	setenv("GIT_CEILING_DIRECTORIES", dirname(copy), 1);
	free(copy);
	tu_mkdir(K.dir, "kb");
	return 0;
}

static inline int kb_teardown(void **state)
{
	(void)state;
	kb_unload();
	int rc = tu_rmrf(K.dir);
	free(K.root);
	free(K.dir);
	memset(&K, 0, sizeof K);
	return rc;
}

static inline void kb_write(const char *rel, const char *text)
{
	tu_write(K.root, rel, text);
}

static inline void kb_remove(const char *rel)
{
	char *path = tu_path(K.root, rel);
	assert_int_equal(tu_rmrf(path), 0);
	free(path);
}

/* Opens the root from disk and loads it; the previous load is freed. */
static inline model *kb_load(unsigned flags, unsigned threads)
{
	kb_unload();
	K.d = diag_list_new();
	if (source_open(&K.src, K.root, NULL, K.d) != 0) {
		tu_dump_diags(K.d);
		fail_msg("source_open failed");
	}
	assert_int_equal(source_get_mode(K.src), SOURCE_DISK);
	tu_expect_diag(K.d, DIAG_WARNING, "", 0, 0,
		"is not in a git repository; reading files from disk");
	K.m = model_load(K.src, flags, threads, K.d);
	assert_non_null(K.m);
	return K.m;
}

/* The published document of kind with slug; fails the test if none. */
static inline doc *kb_doc(doc_kind kind, const char *slug)
{
	doc *x = model_find_doc(K.m, kind, slug);
	if (!x)
		fail_msg("no %s '%s'", doc_kind_name(kind), slug);
	return x;
}

#define KB_PHASES "## Implementation\n## Innovation\n## Impact\n## Conclusions\n"

/*
 * The base knowledge base. What the tests rely on:
 * - claims: pedagogy-1, -2, -4 (pedagogy.yaml), cpd-1, cpd-7 (cpd.yaml)
 * - alliances: north-tsa (2 schools, contact map), south-tsa (contact text)
 * - case studies, newest first: epsilon (2016, north, pedagogy-1 strong),
 *   alpha (2015, north, pedagogy-1 supporting, pedagogy-2 strong with a
 *   note, 2 evidence records), beta (2014, south, in a subfolder,
 *   pedagogy-1 strong, cpd-7), zeta (undated, south, pedagogy-4);
 *   gamma is a draft (north, 2013, pedagogy-1), delta internal
 *   (south, pedagogy-4)
 * - enquiries by path: e-one (active, -> alpha, cpd-1), e-three
 *   (complete, south, pedagogy-1 with a note), e-two (planned, -> gamma)
 * - dissemination, newest first: toolkit (2015, -> alpha), conf (2014,
 *   north, -> alpha, gamma, beta, pedagogy-2, a static file)
 * - pages: about; static: static/summary.pdf
 */
static inline void kb_base(void)
{
	kb_write("site.yaml",
		"title: Test Research Network\n"
		"base_url: https://kb.example.org/\n"
		"description: Enquiry by two alliances\n"
		"licence: OGL-3.0\n"
		"contact: research@example.org\n"
		"claim_sets: [pedagogy, cpd]\n");
	kb_write("claims/pedagogy.yaml",
		"id: pedagogy\n"
		"title: What makes great pedagogy?\n"
		"short_title: Great pedagogy\n"
		"source: Husbands and Pearce (2012)\n"
		"version: 1\n"
		"theme: 1\n"
		"claims:\n"
		"  - number: 1\n"
		"    title: Pupil voice\n"
		"    summary: Effective pedagogies consider pupil voice.\n"
		"    keywords: [pupil voice, student voice]\n"
		"  - number: 2\n"
		"    title: Long-term learning\n"
		"  - number: 4\n"
		"    title: Collaborative learning\n");
	kb_write("claims/cpd.yaml",
		"id: cpd\n"
		"title: What makes great professional development?\n"
		"claims:\n"
		"  - number: 1\n"
		"    title: Focus on pupil outcomes\n"
		"  - number: 7\n"
		"    title: Lesson study\n");
	kb_write("alliances/north-tsa.yaml",
		"name: North Teaching School Alliance\n"
		"aliases: [North TSA]\n"
		"region: North West\n"
		"cohort: 2\n"
		"context: Twelve schools in a coastal town\n"
		"website: https://north.example.org/\n"
		"contact: {name: R. Lead, email: lead@north.example.org}\n"
		"schools:\n"
		"  - name: North Primary\n"
		"    phase: primary\n"
		"    role: lead\n"
		"  - name: North High\n"
		"    phase: secondary\n"
		"    role: partner\n"
		"hei_partner: North University\n");
	kb_write("alliances/south-tsa.yaml",
		"name: South Alliance\n"
		"contact: south@example.org\n");
	kb_write("case-studies/alpha.md",
		"---\n"
		"title: Alpha study\n"
		"alliance: north-tsa\n"
		"theme: pedagogy\n"
		"research_questions:\n"
		"  - How can pupil voice improve writing?\n"
		"focus: Pupil voice in writing\n"
		"schools: [North Primary]\n"
		"phases: [primary]\n"
		"subjects: [english]\n"
		"key_stages: [KS2]\n"
		"claims:\n"
		"  - pedagogy-1\n"
		"  - id: pedagogy-2\n"
		"    strength: strong\n"
		"    note: Revisited every half term\n"
		"evidence:\n"
		"  - outcome: Pupils at or above target in writing\n"
		"    group: learners\n"
		"    method: attainment-data\n"
		"    measure: percent\n"
		"    baseline: 73\n"
		"    result: 93\n"
		"    comparison: {label: national, value: 69}\n"
		"    n: 120\n"
		"    source: Alliance tracking data\n"
		"    claims: [pedagogy-1]\n"
		"  - outcome: Reading age gap in months\n"
		"    group: learners\n"
		"    measure: mean\n"
		"    direction: lower-is-better\n"
		"    series: [{label: start, value: 1.82}, {label: end, value: 1.57}]\n"
		"    sample: 30\n"
		"authors: [A. Teacher, B. Teacher]\n"
		"date: 2015-03-01\n"
		"tags: [writing]\n"
		"---\n"
		"Alpha is about pupil voice.\n\n" KB_PHASES);
	kb_write("case-studies/2014/beta.md",
		"---\n"
		"title: Beta study\n"
		"alliance: south-tsa\n"
		"theme: professional-development\n"
		"research_questions: [Does lesson study work?]\n"
		"claims:\n"
		"  - {id: pedagogy-1, strength: strong}\n"
		"  - cpd-7\n"
		"date: 2014-06-01\n"
		"licence: CC-BY-4.0\n"
		"---\n" KB_PHASES);
	kb_write("case-studies/epsilon.md",
		"---\n"
		"title: Epsilon study\n"
		"alliance: north-tsa\n"
		"theme: leadership\n"
		"research_questions: [Q]\n"
		"claims: [{id: pedagogy-1, strength: strong}]\n"
		"date: 2016-01-10\n"
		"---\n" KB_PHASES);
	kb_write("case-studies/zeta.md",
		"---\n"
		"title: Zeta study\n"
		"alliance: south-tsa\n"
		"theme: pedagogy\n"
		"research_questions: [Q]\n"
		"claims: [pedagogy-4]\n"
		"---\n" KB_PHASES);
	kb_write("case-studies/gamma.md",
		"---\n"
		"title: Gamma draft\n"
		"status: draft\n"
		"alliance: north-tsa\n"
		"theme: pedagogy\n"
		"research_questions: [Q]\n"
		"claims: [pedagogy-1]\n"
		"date: 2013-01-01\n"
		"---\n" KB_PHASES);
	kb_write("case-studies/delta.md",
		"---\n"
		"title: Delta internal\n"
		"visibility: internal\n"
		"alliance: south-tsa\n"
		"theme: pedagogy\n"
		"research_questions: [Q]\n"
		"claims: [pedagogy-4]\n"
		"date: 2012-01-01\n"
		"---\n" KB_PHASES);
	kb_write("enquiries/e-one.md",
		"---\n"
		"title: Enquiry one\n"
		"alliance: north-tsa\n"
		"question: Does pupil voice help?\n"
		"status: active\n"
		"phase: innovation\n"
		"started: 2013-09-01\n"
		"lead: R. Lead\n"
		"methods: [pupil-voice]\n"
		"claims: [cpd-1]\n"
		"case_study: alpha\n"
		"---\n"
		"### 2014-01-15\n");
	kb_write("enquiries/e-two.md",
		"---\n"
		"title: Enquiry two\n"
		"alliance: north-tsa\n"
		"question: Will gamma work?\n"
		"status: planned\n"
		"case_study: gamma\n"
		"---\n");
	kb_write("enquiries/e-three.md",
		"---\n"
		"title: Enquiry three\n"
		"alliance: south-tsa\n"
		"question: What happened?\n"
		"status: complete\n"
		"started: 2012-01\n"
		"ended: 2013-07\n"
		"claims:\n"
		"  - {id: pedagogy-1, strength: supporting, note: Enquiry note}\n"
		"---\n");
	kb_write("dissemination/conf.md",
		"---\n"
		"title: Summer conference\n"
		"kind: event\n"
		"date: 2014-06-12\n"
		"alliance: north-tsa\n"
		"case_studies: [alpha, gamma, beta]\n"
		"claims: [pedagogy-2]\n"
		"files: [static/summary.pdf]\n"
		"url: https://example.org/conf\n"
		"audience: [teachers, leaders]\n"
		"---\n"
		"A day of talks.\n");
	kb_write("dissemination/toolkit.md",
		"---\n"
		"title: Toolkit\n"
		"kind: toolkit\n"
		"date: 2015-01-01\n"
		"case_studies: alpha\n"
		"---\n");
	kb_write("pages/about.md",
		"---\n"
		"title: About\n"
		"---\n"
		"About this site.\n");
	tu_write_n(K.root, "static/summary.pdf", "%PDF-1.4\n\0\x01", 11);
}

#endif
