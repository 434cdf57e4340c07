/*
 * pages_int: what the pages_*.c files share; not for other modules.
 */
#ifndef ENQUIRE_PAGES_INT_H
#define ENQUIRE_PAGES_INT_H

#include "pages.h"

struct pages {
	const model *m;
	arena arena; /* plan and cards: lives as long as the pages */
	page *items;
	size_t n, cap;
	value **cards[DOC_KIND_COUNT]; /* a card per document, by index */
	value **evidence; /* every evidence record's data, in site order */
	size_t nevidence;
	size_t *evidence_start[DOC_KIND_COUNT]; /* per document, by index */
	value *nav_items;
	bool has_about;
};

/* pages_cards.c: the shared shapes of docs/templates.md. */
void pages_build_cards(pages *p);
value *pages_card(const pages *p, const doc *d);
/* The evidence data of e (prebuilt). */
value *pages_evidence(const pages *p, const evidence *e);
/* A list of the cards of docs[0..n). */
value *pages_card_list(const pages *p, arena *a, doc *const *docs, size_t n);
/* A shallow copy of map, to add to (shared maps are never mutated). */
value *pages_copy(arena *a, const value *map);
/* A copy of map with one more pair. */
value *pages_extend(arena *a, const value *map, const char *key, value *v);
value *pages_strlist(arena *a, const strlist *l);
/* Adds key to map, and "has_<key>" saying whether the list is non-empty. */
void pages_set_list(arena *a, value *map, const char *key, value *list);
const char *pages_label(const char *slug); /* "early-years" -> "Early years" */
const char *pages_theme_label(const char *theme);

/* pages_docs.c: the page of one document. */
void pages_doc_data(const pages *p, const doc *d, arena *a, value *data);

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
value *pages_pagination(arena *a, const char *base_url, size_t pageno,
	size_t npages);

#endif
