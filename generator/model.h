/*
 * model: the typed content of a knowledge base, loaded from a source and
 * validated against the content contract (shared design, content-model.md).
 *
 * Everything in a model is allocated from model->arena and lives until
 * model_free. Documents excluded from this build (drafts without --drafts,
 * internal ones without --profile internal) are dropped during loading:
 * nothing downstream ever sees them, so not a byte of them can be
 * published. After model_load the model is read-only, so page rendering
 * threads share it without locks.
 */
#ifndef ENQUIRE_MODEL_H
#define ENQUIRE_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "history.h"
#include "markdown.h"
#include "parse_cache.h"
#include "source.h"
#include "util.h"
#include "value.h"

typedef struct {
	const char **items;
	size_t n;
} strlist;

typedef enum {
	DOC_CASE_STUDY,
	DOC_ENQUIRY,
	DOC_DISSEMINATION,
	DOC_PAGE,
	DOC_KIND_COUNT
} doc_kind;

typedef struct claim_set claim_set;
typedef struct claim claim;
typedef struct alliance alliance;
typedef struct doc doc;

typedef enum { STRENGTH_SUPPORTING, STRENGTH_STRONG } claim_strength;

/* A document's claim and how strongly the enquiry bears on it. */
typedef struct {
	claim *claim;
	claim_strength strength;
	const char *note; /* may be NULL */
	doc *doc; /* the document declaring it */
} claim_ref;

typedef struct {
	const char *label;
	double value;
	const char *text; /* the value as written, e.g. "1.82" */
} evidence_point;

/* One impact evidence record of a case study or enquiry. */
typedef struct {
	doc *doc;
	size_t index; /* position in doc->evidence, for anchors (#evidence-2) */
	unsigned line; /* where the entry starts in doc->path */
	const char *outcome;
	const char *group; /* learners | staff | schools */
	const char *method;
	const char *measure; /* percent | count | mean | grade | text */
	bool lower_is_better;
	const evidence_point *baseline, *result; /* NULL when not given */
	evidence_point *series;
	size_t nseries;
	const evidence_point *comparison; /* NULL when not given */
	const char *n; /* sample size as reported, NULL if not given */
	const char *source;
	const char *text; /* for measure: text, the finding in words */
	claim **claims;
	size_t nclaims;
} evidence;

struct doc {
	doc_kind kind;
	const char *slug;
	const char *path; /* relative to the content root */
	const char *url; /* site-relative, e.g. "case-studies/x/" */
	const value *front; /* the front matter, for fields templates want */
	markdown_doc md;
	slice body;
	unsigned body_line;

	const char *title;
	const char *date; /* YYYY, YYYY-MM or YYYY-MM-DD; "" if none */
	const char *licence;
	strlist authors, tags, schools;
	alliance *alliance; /* NULL when none is named */
	claim_ref *claims;
	size_t nclaims;
	evidence *evidence;
	size_t nevidence;

	/* case studies */
	const char *theme; /* pedagogy | professional-development | leadership */
	strlist research_questions, phases, subjects, key_stages;
	const char *focus;

	/* enquiries */
	const char *question, *status, *lead, *started, *ended, *baseline;
	c2l_phase c2l; /* the enquiry's current phase */
	strlist methods;
	doc *case_study; /* the write-up, once there is one */

	/* dissemination */
	const char *kind_name; /* event | toolkit | ... */
	const char *link; /* url */
	strlist files, audience;
	doc **case_studies;
	size_t ncase_studies;

	/* From git (history.h, model_history.c): RFC 3339 times of the
	 * first commit and the last change, "" without history. */
	const char *published, *updated;
	strlist contributors; /* commit authors, after .mailmap */
	/* Its file's history (NULL without one), so readers of the times
	 * need not look the path up again. */
	const history_file *history;

	/* Back-links, built after loading: */
	doc **enquiries; /* case study: enquiries whose case_study is this */
	size_t nenquiries;
	doc **disseminations; /* case study: dissemination naming it */
	size_t ndisseminations;

	value *data; /* set by plugins (plugin.h): a map, or NULL */
};

struct claim {
	const char *id; /* "<set>-<number>" */
	claim_set *set;
	int number;
	const char *title, *summary;
	strlist keywords;
	unsigned line;
	/* Back-links: documents declaring the claim, strong ones first, each
	 * group in date order (newest first), and evidence linked to it. */
	claim_ref *refs;
	size_t nrefs, nstrong;
	evidence **evidence;
	size_t nevidence;

	value *data; /* set by plugins (plugin.h): a map, or NULL */
};

struct claim_set {
	const char *id, *path;
	const char *title, *short_title, *source, *version;
	int theme;
	claim *claims;
	size_t nclaims;
};

typedef struct {
	const char *name, *phase, *role;
} school;

struct alliance {
	const char *slug, *path, *url;
	const char *name, *region, *context, *website, *hei_partner;
	const char *contact_name, *contact_email;
	int cohort; /* 0 if not given */
	strlist aliases;
	school *schools;
	size_t nschools;
	/* Back-links: its documents of each kind, in the model's order. */
	doc **docs[DOC_KIND_COUNT];
	size_t ndocs[DOC_KIND_COUNT];
};

typedef struct {
	const char *title, *base_url, *language, *description, *theme;
	const char *licence, *contact;
	const char *primary_colour; /* "#1d70b8"; NULL: the theme's own */
	const char *logo; /* "static/logo.svg", in the source; NULL if none */
	strlist plugins, claim_sets;
	bool unsafe_html;
} site_config;

/* A page a plugin adds (plugin.h), rendered like the others. */
typedef struct {
	const char *url; /* site-relative: "claims/report/" or "x.json" */
	const char *template;
	const char *title; /* may be NULL */
	const char *plugin; /* the plugin's file, for messages */
	value *data; /* the template's `data` key */
} plugin_page;

typedef enum {
	MODEL_DRAFTS = 1 << 0, /* include status: draft */
	MODEL_INTERNAL = 1 << 1, /* include visibility: internal */
} model_flags;

typedef struct {
	arena arena;
	/* Documents are parsed on several threads, each allocating from its
	 * own arena; they live as long as the model. */
	arena *thread_arenas;
	unsigned nthread_arenas;
	const source *src;
	const history *history; /* NULL when git has none for this build */
	site_config site;
	claim_set *sets;
	size_t nsets;
	alliance *alliances;
	size_t nalliances;
	/* The same alliances by slug, for model_find_alliance. */
	alliance **alliances_by_slug;
	/* Published documents of each kind: case studies newest first, the
	 * rest by path. */
	doc *docs[DOC_KIND_COUNT];
	size_t ndocs[DOC_KIND_COUNT];
	/* The same documents by slug, for model_find_doc. */
	doc **by_slug[DOC_KIND_COUNT];
	/* Static files (under static/), in path order; all within the size
	 * limit (a larger one is an error of model_load). */
	const source_file **statics;
	size_t nstatics;
	/* What plugins added (plugin.h), allocated from arena. */
	value *data; /* site-level map, or NULL */
	plugin_page *plugin_pages;
	size_t nplugin_pages;
} model;

/*
 * Loads and validates the content of src. Every problem is added to d
 * (errors and warnings); threads is how many threads may parse at once.
 * Returns the model (the caller frees it with model_free) even when there
 * were errors, so `check` can go on; the caller decides from
 * diag_errors(d) whether to build. src must outlive the model.
 */
model *model_load(const source *src, unsigned flags, unsigned threads,
	diag_list *d);
/* The same with git history h (may be NULL; must outlive the model): a
 * document without a date in its front matter is dated by its first
 * commit, and gets published, updated and contributors. */
model *model_load_history(const source *src, const history *h,
	unsigned flags, unsigned threads, diag_list *d);
/* The same, with the history still loading on another thread: documents
 * are parsed meanwhile, then wait(ctx) returns the history (may be NULL)
 * before anything reads dates (the order of case studies, back-links).
 * The model is the same as model_load_history's with that history.
 * Documents' front matter and bodies come from pc when it has them
 * (parse_cache.h; NULL parses all): pc must outlive the model, and
 * parse_cache_save must run before model_free. */
typedef const history *(*model_history_wait)(void *ctx);
model *model_load_pending(const source *src, model_history_wait wait,
	void *ctx, parse_cache *pc, unsigned flags, unsigned threads,
	diag_list *d);
void model_free(model *m);

claim *model_find_claim(const model *m, const char *id);
alliance *model_find_alliance(const model *m, const char *slug);
doc *model_find_doc(const model *m, doc_kind kind, const char *slug);

const char *doc_kind_name(doc_kind k); /* "case study", ... */
const char *doc_kind_dir(doc_kind k); /* "case-studies", ... */

#endif
