/*
 * pages_int: what the pages_*.c files share; not for other modules.
 */
#ifndef ENQUIRE_PAGES_INT_H
#define ENQUIRE_PAGES_INT_H

#include <stdint.h>

#include "cite.h"
#include "pages.h"

/* How many references of each claim pages_related looks at: claims
 * list their documents newest first, so this prefers recent work and
 * bounds the cost per page on very large sites. */
#define PAGES_RELATED_SCAN 100

/* The lists that have filter pages: case studies, enquiries,
 * dissemination, evidence. */
#define PAGES_FILTER_LISTS 4

struct pages {
	const model *m;
	arena arena; /* the plan: lives as long as the pages */
	/* the cards and evidence data, built on several threads */
	arena *thread_arenas;
	unsigned nthread_arenas;
	page *items;
	size_t n, cap;
	value **cards[DOC_KIND_COUNT]; /* a card per document, by index */
	value **evidence; /* every evidence record's data, in site order */
	size_t nevidence;
	size_t *evidence_start[DOC_KIND_COUNT]; /* per document, by index */
	value *nav_items;
	/* pages.c: shared by the pages (share_common) */
	value *site; /* site, with site.data */
	value **nav; /* nav[i]: the navigation with item i current */
	bool has_about;
	struct feeds *feeds; /* feeds.c */
	/* pages_filter.c: facet panels of the lists, by list; NULL if none. */
	value *facets[PAGES_FILTER_LISTS];
	/* pages_filter.c: per case study (by index), a 64-bit fingerprint of
	 * its phases and of its subjects, for related case studies. */
	unsigned long long *phase_bits, *subject_bits;
	/* pages_cards.c: per claim (by pages_claim_index), its URL and
	 * {id, title, url}; per case study, the labels of its phases. */
	size_t *claim_first; /* per set, the index of its first claim */
	const char **claim_urls;
	value **claim_links;
	value **claim_refs; /* {id, url} */
	const char **claim_jsonld; /* pages_claim_jsonld */
	unsigned long long *claim_jsonld_key; /* the hash64 of each */
	value **phase_labels;
	/* per claim (by pages_claim_index), the first PAGES_RELATED_SCAN + 1
	 * case studies referring to it, in its order, each as index << 1 |
	 * strong: pages_related reads these instead of the documents */
	uint32_t **claim_studies;
	uint32_t *claim_nstudies;
	/* per case study, cite_inputs_key of its citation */
	unsigned long long *cite_inputs;
	struct facet_links *facet_links; /* pages_values.c */
	/* theme assets' published (hashed) paths: pages_set_assets. */
	value *assets;
};

/* pages.c: appends a page to the plan. */
page *pages_add(pages *p, page_type type, const char *tmpl, const char *url,
	const void *subject);

/* pages_filter.c: filter pages (case-studies/claim/<id>/, ...), citation
 * files, and the data of both; related case studies. */
void pages_plan_filters(pages *p);
void pages_plan_cite(pages *p, const doc *d);
void pages_filter_data(const pages *p, const page *pg, arena *a, value *data);
/* keyed: as for pages_data_fingerprint (the text left empty). */
void pages_cite_data(const pages *p, const page *pg, arena *a, value *data,
	bool keyed);
const char *pages_filter_title(const page *pg, arena *a);
/* The facet panel of a list page (page 1 of a list only); NULL if none. */
value *pages_facets(const pages *p, doc_kind kind);
value *pages_facets_evidence(const pages *p);
/* Case studies sharing claims with d, preferring other phases/subjects. */
value *pages_related(const pages *p, const doc *d, arena *a, size_t max);
/* pages_values.c: {slug, label, url} per value of a case study's facet
 * ("phase", "subject" or "key-stage"), prebuilt by pages_plan_facet_links
 * for the values case studies have. */
void pages_plan_facet_links(pages *p);
void pages_facet_links_free(struct facet_links *t);
value *pages_facet_values(const pages *p, arena *a, const char *facet,
	const strlist *l);
/* The URL slug of a facet value: "Art & design" -> "art-design". */
const char *pages_slug(arena *a, const char *s);

/* pages_cards.c: the shared shapes of docs/templates.md. */
/* On up to threads threads (0: one). */
void pages_build_cards(pages *p, unsigned threads);
value *pages_card(const pages *p, const doc *d);
/* The evidence data of e (prebuilt). */
value *pages_evidence(const pages *p, const evidence *e);
/* Claims by number across sets: 0 .. (all claims - 1). */
size_t pages_claim_index(const pages *p, const claim *c);
/* "claims/<id>/" and {id, title, url} of c (prebuilt, shared). */
const char *pages_claim_url(const pages *p, const claim *c);
value *pages_claim_link(const pages *p, const claim *c);
/* The labels of a case study's phases (prebuilt, shared). */
value *pages_phase_labels(const pages *p, const doc *d);
/* What the citations of case study d cite, and its cite_inputs_key
 * (prebuilt). */
cite_info pages_cite_info(const pages *p, const doc *d, arena *a);
unsigned long long pages_cite_inputs(const pages *p, const doc *d);
/* s and t joined, in a. */
const char *pages_concat(arena *a, const char *s, const char *t);
/* A list of the cards of docs[0..n). */
value *pages_card_list(const pages *p, arena *a, doc *const *docs, size_t n);
/* A shallow copy of map, to add to (shared maps are never mutated). */
value *pages_copy(arena *a, const value *map);
/* A copy of map with one more pair. */
value *pages_extend(arena *a, const value *map, const char *key, value *v);
value *pages_strlist(arena *a, const strlist *l);
/* The same for a key that is a string literal, which is not copied (the
 * macros refuse anything else), and "has_<key>" made by the compiler:
 * most pages are built only to be fingerprinted, so what they cost
 * counts. */
#define pages_put(a, map, key, v) value_set_ref(a, map, "" key, v)
#define pages_put_ref(a, map, key, s) pages_ref_pair(a, map, "" key, s)
#define pages_put_str(a, map, key, s) \
	value_set_ref(a, map, "" key, pages_str(a, s))
#define pages_put_bool(a, map, key, b) \
	value_set_ref(a, map, "" key, pages_bool(b))
#define pages_put_int(a, map, key, n) \
	value_set_ref(a, map, "" key, value_number(a, (double)(n)))
#define pages_put_list(a, map, key, list) \
	pages_list_pair(a, map, "" key, "has_" key, list)
void pages_ref_pair(arena *a, value *map, const char *key, const char *s);
void pages_list_pair(arena *a, value *map, const char *key, const char *has,
	value *list);
/* A copy of s, or null for NULL. */
value *pages_str(arena *a, const char *s);
/* true or false: one frozen node each, shared by every page. */
value *pages_bool(bool b);
/* Sets key to the string s, not copied: s must outlive the map (the
 * model's, a literal, or in the map's arena). NULL sets null. */
void pages_set_ref(arena *a, value *map, const char *key, const char *s);
/* Adds key to map, and "has_<key>" saying whether the list is non-empty. */
void pages_set_list(arena *a, value *map, const char *key, value *list);
const char *pages_label(const char *slug); /* "early-years" -> "Early years" */
const char *pages_theme_label(const char *theme);

/* pages_docs.c: the page of one document. */
/* A citation of case study d in format "harvard", "apa", "bibtex" or
 * "ris", as a keyed string (incremental.h), left empty when keyed. */
value *pages_cite_text(const pages *p, const doc *d, const char *format,
	arena *a, bool keyed);
/* Appends c as a schema.org DefinedTerm (JSON), as case studies show it. */
void pages_claim_jsonld(buf *b, const site_config *site, const claim *c);
/* keyed: as for pages_data_fingerprint (its charts left empty). */
void pages_doc_data(const pages *p, const doc *d, arena *a, value *data,
	bool keyed);

/* pages_index.c: lists, claims, alliances, evidence, home, sitemap. */
void pages_list_data(const pages *p, const page *pg, arena *a, value *data);
void pages_enquiries_data(const pages *p, arena *a, value *data);
void pages_claims_data(const pages *p, arena *a, value *data);
void pages_claim_data(const pages *p, const claim *c, arena *a, value *data);
void pages_alliances_data(const pages *p, arena *a, value *data);
void pages_alliance_data(const pages *p, const alliance *al, arena *a,
	value *data);
void pages_evidence_data(const pages *p, const page *pg, arena *a,
	value *data);
void pages_home_data(const pages *p, arena *a, value *data);
void pages_sitemap_data(const pages *p, arena *a, value *data);
/* The set data of the claims page (with coverage rows; matrix optional). */
value *pages_set_data(const pages *p, const claim_set *s, arena *a,
	bool matrix);
/* pages_history.c: git history on a document's page, and /changes/. */
void pages_doc_history(const doc *d, arena *a, value *v);
void pages_changes_data(const pages *p, arena *a, value *data);

/* feeds.c: Atom feeds (RFC 4287) of case studies, for the site, each
 * claim, alliance and tag. */
void feeds_plan(pages *p);
void feeds_free(struct feeds *f);
void feeds_data(const pages *p, const page *pg, arena *a, value *data);
/* The feeds a page links with <link rel="alternate">. */
value *feeds_links(const pages *p, const page *pg, arena *a);

/* The pages of a list of npages pages at base ("x/", "x/page/2/", ...),
 * with their links prebuilt for pages_pagination; NULL when npages < 2. */
struct paging *pages_paging(pages *p, const char *base, size_t npages);
/* The URL of page i (1-based) of a paging. */
const char *pages_paging_url(const struct paging *pp, size_t i);
/* The pagination data of pg (NULL for a single page). */
value *pages_pagination(arena *a, const page *pg);

/* pages_plugin.c: a plugin page's data; what plugins set on the page's
 * document, claim and site (doc.data, claim.data, site.data). */
void pages_plugin_data(const pages *p, const page *pg, arena *a, value *data);
void pages_plugin_extras(const pages *p, const page *pg, arena *a,
	value *data);

#endif
