/*
 * pages: the plan of the site (every page, its URL and template) and the
 * data every page shares (site, page, root, nav).
 */
#include "pages.h"

#include <stdlib.h>
#include <string.h>

#include "pages_int.h"
#include "util.h"

static page *add(pages *p, page_type type, const char *tmpl, const char *url,
	const void *subject)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->items = xrealloc(p->items, p->cap * sizeof *p->items);
	}
	page *pg = &p->items[p->n++];
	memset(pg, 0, sizeof *pg);
	pg->type = type;
	pg->template = tmpl;
	pg->url = url;
	size_t n = strlen(url);
	pg->file = n == 0 || url[n - 1] == '/' ?
		arena_printf(&p->arena, "%sindex.html", url) : url;
	pg->subject = subject;
	pg->pageno = pg->npages = 1;
	return pg;
}

page *pages_add(pages *p, page_type type, const char *tmpl, const char *url,
	const void *subject)
{
	return add(p, type, tmpl, url, subject);
}

/* A list of n items split into pages of per: "x/", "x/page/2/", ... */
static void add_paged(pages *p, page_type type, const char *tmpl,
	const char *base, size_t n, size_t per)
{
	size_t npages = n ? (n + per - 1) / per : 1;
	struct paging *pp = pages_paging(p, base, npages);
	for (size_t i = 1; i <= npages; i++) {
		const char *url = pp ? pages_paging_url(pp, i) : base;
		page *pg = add(p, type, tmpl, url, NULL);
		pg->pageno = i;
		pg->npages = npages;
		pg->paging = pp;
	}
}

static const char *const doc_templates[DOC_KIND_COUNT] = { "case-study",
	"enquiry", "dissemination-item", "page" };

static void plan(pages *p)
{
	const model *m = p->m;
	add(p, PAGE_HOME, "home", "", NULL);
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			const doc *d = &m->docs[k][i];
			/* Free pages live at the top: /about/. */
			const char *url = k == DOC_PAGE ?
				arena_printf(&p->arena, "%s/", d->slug) : d->url;
			add(p, PAGE_DOC, doc_templates[k], url, d);
			if (k == DOC_CASE_STUDY)
				pages_plan_cite(p, d);
			if (k == DOC_PAGE && strcmp(d->slug, "about") == 0)
				p->has_about = true;
		}
	}
	add_paged(p, PAGE_CASE_STUDIES, "case-studies", "case-studies/",
		m->ndocs[DOC_CASE_STUDY], PAGES_PER_LIST);
	add(p, PAGE_ENQUIRIES, "enquiries", "enquiries/", NULL);
	add_paged(p, PAGE_DISSEMINATION, "dissemination", "dissemination/",
		m->ndocs[DOC_DISSEMINATION], PAGES_PER_LIST);
	add(p, PAGE_CLAIMS, "claims", "claims/", NULL);
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			add(p, PAGE_CLAIM, "claim",
				pages_claim_url(p, cl), cl);
		}
	add(p, PAGE_ALLIANCES, "alliances", "alliances/", NULL);
	for (size_t i = 0; i < m->nalliances; i++)
		add(p, PAGE_ALLIANCE, "alliance", m->alliances[i].url,
			&m->alliances[i]);
	add_paged(p, PAGE_EVIDENCE, "evidence", "evidence/", p->nevidence,
		PAGES_PER_EVIDENCE);
	pages_plan_filters(p);
	add(p, PAGE_SEARCH, "search", "search/", NULL);
	add(p, PAGE_404, "404", "404.html", NULL);
	add(p, PAGE_SITEMAP, "sitemap", "sitemap.xml", NULL);
	if (m->history)
		add(p, PAGE_CHANGES, "changes", "changes/", NULL);
	feeds_plan(p);
}

static void nav_item(pages *p, const char *title, const char *url)
{
	value *item = value_map(&p->arena);
	pages_set_ref(&p->arena, item, "title", title);
	pages_set_ref(&p->arena, item, "url", url);
	value_push(&p->arena, p->nav_items, item);
}

/* The site map every page shows, with what plugins left in site.data. */
static value *site_data(pages *p)
{
	arena *a = &p->arena;
	const site_config *s = &p->m->site;
	value *site = value_map(a);
	pages_set_ref(a, site, "title", s->title);
	pages_set_ref(a, site, "description", s->description);
	pages_set_ref(a, site, "language", s->language);
	pages_set_ref(a, site, "base_url", s->base_url);
	pages_set_ref(a, site, "licence", s->licence);
	pages_set_ref(a, site, "contact", s->contact);
	if (s->primary_colour)
		pages_set_ref(a, site, "primary_colour", s->primary_colour);
	if (s->logo) /* static/x is published at x */
		pages_set_ref(a, site, "logo", s->logo + strlen("static/"));
	if (p->m->data)
		value_set(a, site, "data", p->m->data);
	return site;
}

/*
 * What most pages share, built once: the site map, and the navigation as
 * it stands on a page of each section (nav[i]: item i is current;
 * nav[n]: none is). Shared subtrees cost each page a pointer, and are
 * fingerprinted once (incremental.c) instead of once a page.
 */
static void share_common(pages *p)
{
	arena *a = &p->arena;
	p->site = site_data(p);
	size_t n = value_count(p->nav_items);
	p->nav = arena_alloc(a, (n + 1) * sizeof *p->nav);
	for (size_t cur = 0; cur <= n; cur++) {
		value *nav = value_list(a);
		for (size_t i = 0; i < n; i++) {
			const value *item = p->nav_items->u.list.items[i];
			value_push(a, nav, pages_extend(a, item, "current",
				value_bool(a, i == cur)));
		}
		p->nav[cur] = nav;
	}
}

pages *pages_new(const model *m, unsigned threads)
{
	pages *p = xcalloc(1, sizeof *p);
	p->m = m;
	pages_build_cards(p, threads);
	pages_plan_facet_links(p);
	plan(p);
	p->nav_items = value_list(&p->arena);
	nav_item(p, "Case studies", "case-studies/");
	nav_item(p, "Claims", "claims/");
	nav_item(p, "Evidence", "evidence/");
	nav_item(p, "Enquiries", "enquiries/");
	nav_item(p, "Alliances", "alliances/");
	nav_item(p, "Dissemination", "dissemination/");
	if (p->has_about)
		nav_item(p, "About", "about/");
	share_common(p);
	return p;
}

void pages_free(pages *p)
{
	if (!p)
		return;
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		free(p->cards[k]);
		free(p->evidence_start[k]);
	}
	free(p->evidence);
	feeds_free(p->feeds);
	pages_facet_links_free(p->facet_links);
	free(p->phase_bits);
	free(p->subject_bits);
	free(p->items);
	for (unsigned t = 0; t < p->nthread_arenas; t++)
		arena_release(&p->thread_arenas[t]);
	free(p->thread_arenas);
	arena_release(&p->arena);
	free(p);
}

size_t pages_count(const pages *p)
{
	return p->n;
}

const page *pages_at(const pages *p, size_t i)
{
	return i < p->n ? &p->items[i] : NULL;
}

/* "../" once per folder level of url, so links work under any base. */
static const char *root_of(arena *a, const char *url)
{
	/* Shallow pages share the tail of one string. */
	static const char ups[] = "../../../../../../../../../../../../";
	size_t depth = 0;
	for (const char *s = url; *s; s++)
		depth += *s == '/';
	if (depth * 3 < sizeof ups)
		return ups + sizeof ups - 1 - depth * 3;
	char *r = arena_alloc(a, depth * 3 + 1);
	for (size_t i = 0; i < depth; i++)
		memcpy(r + 3 * i, "../", 3);
	return r;
}

/* The path part of base_url ("/" for https://x.org/), for the 404 page,
 * which a server shows at any depth. */
static const char *base_path(const char *base_url)
{
	const char *s = strstr(base_url, "://");
	if (!s)
		return "/";
	s = strchr(s + 3, '/');
	return s ? s : "/";
}

static const char *page_title(const pages *p, const page *pg, arena *a)
{
	static const char *const titles[] = {
		[PAGE_CASE_STUDIES] = "Case studies",
		[PAGE_ENQUIRIES] = "Enquiries",
		[PAGE_DISSEMINATION] = "Dissemination",
		[PAGE_CLAIMS] = "Claims",
		[PAGE_ALLIANCES] = "Alliances",
		[PAGE_EVIDENCE] = "Impact evidence",
		[PAGE_SEARCH] = "Search",
		[PAGE_404] = "Page not found",
		[PAGE_SITEMAP] = "Sitemap",
		[PAGE_CHANGES] = "Recent changes",
		[PAGE_FEED] = "Feed",
	};
	const char *t;
	switch (pg->type) {
	case PAGE_HOME: return p->m->site.title;
	case PAGE_DOC: return ((const doc *)pg->subject)->title;
	case PAGE_CLAIM: {
		const claim *c = pg->subject;
		return arena_printf(a, "Claim %d: %s", c->number, c->title);
	}
	case PAGE_ALLIANCE: return ((const alliance *)pg->subject)->name;
	case PAGE_PLUGIN: return ((const plugin_page *)pg->subject)->title;
	case PAGE_FILTER: t = pages_filter_title(pg, a); break;
	case PAGE_CITE: return "Citation";
	default: t = titles[pg->type]; break;
	}
	if (pg->npages > 1)
		return arena_printf(a, "%s (page %zu of %zu)", t, pg->pageno,
			pg->npages);
	return t;
}

static const char *const type_names[] = {
	[PAGE_HOME] = "home", [PAGE_CASE_STUDIES] = "case-studies",
	[PAGE_ENQUIRIES] = "enquiries", [PAGE_DISSEMINATION] = "dissemination",
	[PAGE_CLAIMS] = "claims", [PAGE_CLAIM] = "claim",
	[PAGE_ALLIANCES] = "alliances", [PAGE_ALLIANCE] = "alliance",
	[PAGE_EVIDENCE] = "evidence", [PAGE_SEARCH] = "search",
	[PAGE_404] = "404", [PAGE_SITEMAP] = "sitemap",
	[PAGE_CHANGES] = "changes", [PAGE_FEED] = "feed",
	[PAGE_PLUGIN] = "plugin",
	[PAGE_FILTER] = "filter", [PAGE_CITE] = "cite",
};

static value *nav_for(const pages *p, const page *pg, arena *a)
{
	size_t n = value_count(p->nav_items), cur = n, matches = 0;
	for (size_t i = 0; i < n; i++) {
		const value *item = p->nav_items->u.list.items[i];
		const char *url = value_text(value_get(item, "url"));
		if (strncmp(pg->url, url, strlen(url)) == 0) {
			cur = i;
			matches++;
		}
	}
	if (matches <= 1)
		return p->nav[cur];
	value *nav = value_list(a); /* two current items: not shared */
	for (size_t i = 0; i < n; i++) {
		const value *item = p->nav_items->u.list.items[i];
		const char *url = value_text(value_get(item, "url"));
		bool current = strncmp(pg->url, url, strlen(url)) == 0;
		value_push(a, nav, pages_extend(a, item, "current",
			value_bool(a, current)));
	}
	return nav;
}

static value *common(const pages *p, const page *pg, arena *a)
{
	const site_config *s = &p->m->site;
	value *data = value_map(a);
	pages_put(a, data, "site", p->site);

	/* The strings below outlive the data (the model's, the plan's or
	 * from a): not copied. */
	value *pv = value_map(a);
	pages_put_ref(a, pv, "title", page_title(p, pg, a));
	pages_put_ref(a, pv, "url", pg->url);
	pages_put_ref(a, pv, "canonical", pages_concat(a, s->base_url, pg->url));
	const char *desc = s->description;
	if (pg->type == PAGE_DOC && ((const doc *)pg->subject)->md.excerpt)
		desc = ((const doc *)pg->subject)->md.excerpt;
	else if (pg->type == PAGE_CLAIM && *((const claim *)pg->subject)->summary)
		desc = ((const claim *)pg->subject)->summary;
	pages_put_ref(a, pv, "description", desc);
	const char *type = pg->type == PAGE_DOC ?
		pg->template : type_names[pg->type];
	pages_put_ref(a, pv, "type", type);
	pages_put(a, data, "page", pv);

	pages_put_ref(a, data, "root", pg->type == PAGE_404 ?
		base_path(s->base_url) : root_of(a, pg->url));
	pages_put(a, data, "nav", nav_for(p, pg, a));
	if (p->assets) {
		pages_put(a, data, "assets", p->assets);
	} else {
		value *assets = value_map(a);
		pages_put_ref(a, assets, "css", "assets/style.css");
		pages_put(a, data, "assets", assets);
	}
	pages_put_ref(a, data, "generator", "enquire");
	pages_put_list(a, data, "feeds", feeds_links(p, pg, a));
	return data;
}

static value *data_of(const pages *p, const page *pg, arena *a, bool keyed)
{
	if (pg->type == PAGE_CITE) { /* a data file: no site, page or nav */
		value *data = value_map(a);
		pages_cite_data(p, pg, a, data, keyed);
		return data;
	}
	value *data = common(p, pg, a);
	switch (pg->type) {
	case PAGE_HOME: pages_home_data(p, a, data); break;
	case PAGE_DOC: pages_doc_data(p, pg->subject, a, data, keyed); break;
	case PAGE_CASE_STUDIES:
	case PAGE_DISSEMINATION: pages_list_data(p, pg, a, data); break;
	case PAGE_ENQUIRIES: pages_enquiries_data(p, a, data); break;
	case PAGE_CLAIMS: pages_claims_data(p, a, data); break;
	case PAGE_CLAIM: pages_claim_data(p, pg->subject, a, data); break;
	case PAGE_ALLIANCES: pages_alliances_data(p, a, data); break;
	case PAGE_ALLIANCE: pages_alliance_data(p, pg->subject, a, data); break;
	case PAGE_EVIDENCE: pages_evidence_data(p, pg, a, data); break;
	case PAGE_SITEMAP: pages_sitemap_data(p, a, data); break;
	case PAGE_CHANGES: pages_changes_data(p, a, data); break;
	case PAGE_FEED: feeds_data(p, pg, a, data); break;
	case PAGE_PLUGIN: pages_plugin_data(p, pg, a, data); break;
	case PAGE_FILTER: pages_filter_data(p, pg, a, data); break;
	case PAGE_CITE: pages_cite_data(p, pg, a, data, keyed); break;
	case PAGE_SEARCH:
	case PAGE_404: break;
	}
	pages_plugin_extras(p, pg, a, data);
	return data;
}

value *pages_data(const pages *p, const page *pg, arena *a)
{
	return data_of(p, pg, a, false);
}

value *pages_data_fingerprint(const pages *p, const page *pg, arena *a)
{
	return data_of(p, pg, a, true);
}
