/*
 * pages: which pages a site has, and the template data of each.
 *
 * pages_plan lists every page of the published site (URL, template and
 * what it shows); pages_data builds one page's data as a value tree for
 * the templates (the keys are documented in docs/templates.md). Planning
 * runs once; data is built per page on the rendering threads, each with
 * its own scratch arena, from the read-only model and the cards that
 * pages_new prepared once (a document's summary appears on many pages).
 */
#ifndef ENQUIRE_PAGES_H
#define ENQUIRE_PAGES_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "mustache.h"
#include "value.h"

#define PAGES_PER_LIST 50
#define PAGES_PER_EVIDENCE 100
/* Filter pages list compact one-line items, so they take more a page. */
#define PAGES_PER_FILTER 100
#define PAGES_MATRIX_ROWS 100
/* Case studies and evidence records a claim or alliance page shows before
 * linking to the full (filtered, paginated) list. */
#define PAGES_CLAIM_CARDS 20
#define PAGES_CLAIM_EVIDENCE 50

typedef enum {
	PAGE_HOME,
	PAGE_DOC, /* case study, enquiry, dissemination item or free page */
	PAGE_CASE_STUDIES,
	PAGE_ENQUIRIES,
	PAGE_DISSEMINATION,
	PAGE_CLAIMS,
	PAGE_CLAIM,
	PAGE_ALLIANCES,
	PAGE_ALLIANCE,
	PAGE_EVIDENCE,
	PAGE_SEARCH,
	PAGE_404,
	PAGE_SITEMAP,
	PAGE_CHANGES, /* recent changes from git (pages_history.c) */
	PAGE_FEED, /* an Atom feed (feeds.c) */
	PAGE_PLUGIN, /* added by a plugin: subject is its plugin_page */
	PAGE_FILTER, /* a list filtered by one facet value (pages_filter.c) */
	PAGE_CITE, /* a case study's citation file: cite.bib, cite.ris */
} page_type;

typedef struct {
	page_type type;
	const char *template; /* the template to render */
	const char *url; /* site-relative: "case-studies/x/" or "404.html" */
	const char *file; /* the output file: "case-studies/x/index.html" */
	const void *subject; /* doc, claim or alliance; NULL for others */
	size_t pageno, npages; /* 1-based, for paginated lists */
	/* The links to the pages of its list, shared by them; NULL for a
	 * single page (pages_index.c). */
	const struct paging *paging;
} page;

typedef struct pages pages;

/* Prepares the site's pages for m, which must outlive the result (the
 * caller frees it with pages_free), on up to threads threads (0: one);
 * the pages are the same whatever the threads. */
pages *pages_new(const model *m, unsigned threads);
void pages_free(pages *p);

size_t pages_count(const pages *p);
const page *pages_at(const pages *p, size_t i);

/* Adds the pages plugins made (m->plugin_pages); one whose URL another
 * page has, or whose template is not in templates (when not NULL), is an
 * error in d. Returns -1 after such an error. */
int pages_add_plugin_pages(pages *p, const mustache_set *templates,
	diag_list *d);
/* Tells the pages the published names of the theme's assets (hashed:
 * assets/style.<hash>.css), for the templates' assets.* keys. */
struct theme;
void pages_set_assets(pages *p, const struct theme *t);

/* The template data of one page, allocated from a. */
value *pages_data(const pages *p, const page *pg, arena *a);
/* The same data with its keyed strings (value_string_keyed) left empty:
 * cheaper, and with the same fingerprint (incremental.h), but not to be
 * rendered. */
value *pages_data_fingerprint(const pages *p, const page *pg, arena *a);

#endif
