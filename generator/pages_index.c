/*
 * pages_index: the pages that gather documents: paginated lists, the
 * enquiries by status, claims (overview, matrix and one page per claim),
 * alliances, the evidence table, home and the sitemap.
 */
#include <stdio.h>
#include <string.h>

#include "pages_int.h"
#include "util.h"

/* A paginated list's links: for page i, its URL and its item twice, as
 * it is on the other pages (current false) and on itself (true). */
struct paging {
	size_t npages;
	const char **urls;
	value **items; /* [2 * (i - 1) + current] */
};

struct paging *pages_paging(pages *p, const char *base, size_t npages)
{
	if (npages < 2)
		return NULL;
	arena *a = &p->arena;
	struct paging *pp = arena_alloc(a, sizeof *pp);
	pp->npages = npages;
	pp->urls = arena_alloc(a, npages * sizeof *pp->urls);
	pp->items = arena_alloc(a, 2 * npages * sizeof *pp->items);
	for (size_t i = 1; i <= npages; i++) {
		const char *url = i == 1 ? base :
			arena_printf(a, "%spage/%zu/", base, i);
		pp->urls[i - 1] = url;
		for (int current = 0; current < 2; current++) {
			value *item = value_map(a);
			value_set_int(a, item, "number", (long)i);
			pages_set_ref(a, item, "url", url);
			value_set_bool(a, item, "current", current);
			pp->items[2 * (i - 1) + (size_t)current] = item;
		}
	}
	return pp;
}

const char *pages_paging_url(const struct paging *pp, size_t i)
{
	return pp->urls[i - 1];
}

value *pages_pagination(arena *a, const page *pg)
{
	const struct paging *pp = pg->paging;
	if (!pp)
		return NULL;
	size_t pageno = pg->pageno;
	value *v = value_map(a);
	value_set_int(a, v, "current", (long)pageno);
	value_set_int(a, v, "total", (long)pp->npages);
	value *list = value_list(a);
	for (size_t i = 1; i <= pp->npages; i++) {
		value_push(a, list, pp->items[2 * (i - 1) + (i == pageno)]);
		if (i == pageno - 1)
			pages_set_ref(a, v, "prev_url", pp->urls[i - 1]);
		if (i == pageno + 1)
			pages_set_ref(a, v, "next_url", pp->urls[i - 1]);
	}
	value_set(a, v, "pages", list);
	return v;
}

static void paged(arena *a, value *data, const page *pg, size_t total)
{
	value *pag = pages_pagination(a, pg);
	if (pag)
		value_set(a, data, "pagination", pag);
	value_set_int(a, data, "total", (long)total);
}

void pages_list_data(const pages *p, const page *pg, arena *a, value *data)
{
	doc_kind k = pg->type == PAGE_CASE_STUDIES ? DOC_CASE_STUDY :
		DOC_DISSEMINATION;
	size_t n = p->m->ndocs[k];
	size_t start = (pg->pageno - 1) * PAGES_PER_LIST;
	size_t end = start + PAGES_PER_LIST < n ? start + PAGES_PER_LIST : n;
	value *items = value_list(a);
	for (size_t i = start; i < end; i++)
		value_push(a, items, p->cards[k][i]);
	pages_set_list(a, data, "items", items);
	paged(a, data, pg, n);
	/* The facet panel on the first page; later pages link back to it. */
	if (pg->pageno == 1 && pages_facets(p, k))
		pages_set_list(a, data, "filters", pages_facets(p, k));
}

void pages_enquiries_data(const pages *p, arena *a, value *data)
{
	static const char *const order[][2] = { { "active", "Active" },
		{ "planned", "Planned" }, { "complete", "Complete" },
		{ "stopped", "Stopped" }, { NULL, "Status not given" } };
	const model *m = p->m;
	value *groups = value_list(a);
	for (size_t g = 0; g < ARRAY_LEN(order); g++) {
		value *items = value_list(a);
		for (size_t i = 0; i < m->ndocs[DOC_ENQUIRY]; i++) {
			const char *st = m->docs[DOC_ENQUIRY][i].status;
			bool match = order[g][0] ? st && strcmp(st, order[g][0]) == 0
				: !st;
			if (match)
				value_push(a, items, p->cards[DOC_ENQUIRY][i]);
		}
		if (!value_count(items))
			continue;
		value *group = value_map(a);
		pages_set_ref(a, group, "status", order[g][0] ? order[g][0] : "");
		pages_set_ref(a, group, "label", order[g][1]);
		pages_set_list(a, group, "items", items);
		value_push(a, groups, group);
	}
	pages_set_list(a, data, "groups", groups);
	value_set_int(a, data, "total", (long)m->ndocs[DOC_ENQUIRY]);
	if (pages_facets(p, DOC_ENQUIRY))
		pages_set_list(a, data, "filters", pages_facets(p, DOC_ENQUIRY));
}

/* How many case studies declare c strongly and as supporting. */
static void case_study_counts(const claim *c, size_t *strong, size_t *support)
{
	*strong = *support = 0;
	for (size_t i = 0; i < c->nrefs; i++) {
		if (c->refs[i].doc->kind != DOC_CASE_STUDY)
			continue;
		if (c->refs[i].strength == STRENGTH_STRONG)
			(*strong)++;
		else
			(*support)++;
	}
}

static value *claim_row(const pages *p, arena *a, const claim *c)
{
	size_t strong, support;
	case_study_counts(c, &strong, &support);
	size_t total = p->m->ndocs[DOC_CASE_STUDY];
	value *r = value_map(a);
	pages_set_ref(a, r, "id", c->id);
	value_set_int(a, r, "number", c->number);
	pages_set_ref(a, r, "title", c->title);
	pages_set_ref(a, r, "summary", c->summary);
	pages_set_ref(a, r, "url", pages_claim_url(p, c));
	value_set_int(a, r, "nstrong", (long)strong);
	value_set_int(a, r, "nsupporting", (long)support);
	value_set_int(a, r, "ncase_studies", (long)(strong + support));
	value_set_int(a, r, "nevidence", (long)c->nevidence);
	value_set_int(a, r, "coverage_percent", total ?
		(long)((strong + support) * 100 / total) : 0);
	value_set_bool(a, r, "uncovered", strong + support == 0);
	return r;
}

/* The claims x case studies matrix of one set: a row per case study that
 * declares any claim of the set (the newest PAGES_MATRIX_ROWS; a matrix of
 * thousands of rows helps no reader, and each claim page lists them all),
 * a column per claim. */
static value *matrix(const pages *p, const claim_set *s, arena *a)
{
	const model *m = p->m;
	value *mx = value_map(a);
	value *cols = value_list(a);
	for (size_t c = 0; c < s->nclaims; c++) {
		value *col = value_map(a);
		pages_set_ref(a, col, "id", s->claims[c].id);
		value_set_int(a, col, "number", s->claims[c].number);
		pages_set_ref(a, col, "title", s->claims[c].title);
		pages_set_ref(a, col, "url", arena_printf(a, "claims/%s/",
			s->claims[c].id));
		value_push(a, cols, col);
	}
	value_set(a, mx, "columns", cols);
	value *rows = value_list(a);
	size_t total = 0;
	for (size_t i = 0; i < m->ndocs[DOC_CASE_STUDY]; i++) {
		const doc *d = &m->docs[DOC_CASE_STUDY][i];
		/* Rows past the limit are only counted: building their cells
		 * took 77 MB on the 10,000-case benchmark. */
		bool any = false;
		for (size_t c = 0; c < s->nclaims && !any; c++)
			for (size_t r = 0; r < d->nclaims && !any; r++)
				any = d->claims[r].claim == &s->claims[c];
		if (!any)
			continue;
		if (++total > PAGES_MATRIX_ROWS)
			continue; /* counted, not shown */
		value *cells = value_list(a);
		for (size_t c = 0; c < s->nclaims; c++) {
			const claim_ref *ref = NULL;
			for (size_t r = 0; r < d->nclaims && !ref; r++)
				if (d->claims[r].claim == &s->claims[c])
					ref = &d->claims[r];
			value *cell = value_map(a);
			bool strong = ref && ref->strength == STRENGTH_STRONG;
			value_set_bool(a, cell, "strong", strong);
			value_set_bool(a, cell, "supporting", ref && !strong);
			pages_set_ref(a, cell, "label", !ref ? "Not declared" :
				strong ? "Strong element" : "Supporting");
			value_push(a, cells, cell);
		}
		value *row = value_map(a);
		pages_set_ref(a, row, "title", d->title);
		pages_set_ref(a, row, "url", d->url);
		value_set(a, row, "cells", cells);
		value_push(a, rows, row);
	}
	pages_set_list(a, mx, "rows", rows);
	value_set_int(a, mx, "total", (long)total);
	value_set_int(a, mx, "shown", (long)value_count(rows));
	value_set_bool(a, mx, "truncated", total > value_count(rows));
	return mx;
}

value *pages_set_data(const pages *p, const claim_set *s, arena *a,
	bool with_matrix)
{
	value *v = value_map(a);
	pages_set_ref(a, v, "id", s->id);
	pages_set_ref(a, v, "title", s->title);
	pages_set_ref(a, v, "short_title", s->short_title);
	pages_set_ref(a, v, "source", s->source);
	value *claims = value_list(a);
	size_t covered = 0;
	for (size_t c = 0; c < s->nclaims; c++) {
		value_push(a, claims, claim_row(p, a, &s->claims[c]));
		covered += s->claims[c].nrefs > 0;
	}
	pages_set_list(a, v, "claims", claims);
	value_set_int(a, v, "ncovered", (long)covered);
	value_set_int(a, v, "nclaims", (long)s->nclaims);
	if (with_matrix)
		value_set(a, v, "matrix", matrix(p, s, a));
	return v;
}

void pages_claims_data(const pages *p, arena *a, value *data)
{
	value *sets = value_list(a);
	for (size_t s = 0; s < p->m->nsets; s++)
		value_push(a, sets, pages_set_data(p, &p->m->sets[s], a, true));
	pages_set_list(a, data, "sets", sets);
}

void pages_claim_data(const pages *p, const claim *c, arena *a, value *data)
{
	value *v = value_map(a);
	pages_set_ref(a, v, "id", c->id);
	value_set_int(a, v, "number", c->number);
	pages_set_ref(a, v, "title", c->title);
	pages_set_ref(a, v, "summary", c->summary);
	value *set = value_map(a);
	pages_set_ref(a, set, "id", c->set->id);
	pages_set_ref(a, set, "title", c->set->title);
	pages_set_ref(a, set, "short_title", c->set->short_title);
	pages_set_ref(a, set, "source", c->set->source);
	value_set(a, v, "set", set);
	value *strong = value_list(a), *supporting = value_list(a);
	value *enquiries = value_list(a), *diss = value_list(a);
	value *approaches = value_list(a);
	/* Each list shows the newest PAGES_CLAIM_CARDS and links to the full
	 * filter page, so a claim page stays small on a site of thousands of
	 * case studies. */
	size_t nstrong = 0, nsupport = 0, nenq = 0, ndiss = 0;
	for (size_t i = 0; i < c->nrefs; i++) {
		const claim_ref *r = &c->refs[i];
		size_t *count = r->doc->kind == DOC_CASE_STUDY ?
			(r->strength == STRENGTH_STRONG ? &nstrong : &nsupport) :
			r->doc->kind == DOC_ENQUIRY ? &nenq : &ndiss;
		bool shown = ++*count <= PAGES_CLAIM_CARDS;
		if (r->doc->kind == DOC_PAGE)
			continue;
		value *card = shown || r->note ? pages_card(p, r->doc) : NULL;
		value *item = shown && r->note ? pages_extend(a, card, "note",
			value_string(a, r->note)) : card;
		if (!shown) {
			/* counted, and its note may still list an approach */
		} else if (r->doc->kind == DOC_CASE_STUDY)
			value_push(a, r->strength == STRENGTH_STRONG ? strong :
				supporting, item);
		else if (r->doc->kind == DOC_ENQUIRY)
			value_push(a, enquiries, item);
		else if (r->doc->kind == DOC_DISSEMINATION)
			value_push(a, diss, item);
		if (r->note && value_count(approaches) < PAGES_CLAIM_CARDS) {
			value *ap = value_map(a);
			pages_set_ref(a, ap, "note", r->note);
			value_set(a, ap, "doc", card);
			value_push(a, approaches, ap);
		}
	}
	pages_set_list(a, v, "strong", strong);
	pages_set_list(a, v, "supporting", supporting);
	pages_set_list(a, v, "enquiries", enquiries);
	pages_set_list(a, v, "dissemination", diss);
	pages_set_list(a, v, "approaches", approaches);
	value *ev = value_list(a);
	for (size_t i = 0; i < c->nevidence && i < PAGES_CLAIM_EVIDENCE; i++)
		value_push(a, ev, pages_evidence(p, c->evidence[i]));
	pages_set_list(a, v, "evidence", ev);
	value_set_int(a, v, "nstrong", (long)nstrong);
	value_set_int(a, v, "nsupporting", (long)nsupport);
	value_set_int(a, v, "ncase_studies", (long)(nstrong + nsupport));
	value_set_int(a, v, "nenquiries", (long)nenq);
	value_set_int(a, v, "ndissemination", (long)ndiss);
	value_set_int(a, v, "nevidence", (long)c->nevidence);
	value_set_bool(a, v, "more_case_studies", nstrong > PAGES_CLAIM_CARDS ||
		nsupport > PAGES_CLAIM_CARDS);
	value_set_bool(a, v, "more_enquiries", nenq > PAGES_CLAIM_CARDS);
	value_set_bool(a, v, "more_dissemination", ndiss > PAGES_CLAIM_CARDS);
	value_set_bool(a, v, "more_evidence",
		c->nevidence > PAGES_CLAIM_EVIDENCE);
	value_set_int(a, v, "shown_cards", PAGES_CLAIM_CARDS);
	value_set_int(a, v, "shown_evidence", PAGES_CLAIM_EVIDENCE);
	pages_set_ref(a, v, "case_studies_url", arena_printf(a,
		"case-studies/claim/%s/", c->id));
	pages_set_ref(a, v, "enquiries_url", arena_printf(a,
		"enquiries/claim/%s/", c->id));
	pages_set_ref(a, v, "dissemination_url", arena_printf(a,
		"dissemination/claim/%s/", c->id));
	pages_set_ref(a, v, "evidence_url", arena_printf(a,
		"evidence/claim/%s/", c->id));
	value_set(a, data, "claim", v);
}

/* What both the directory and an alliance's own page show first. */
static value *alliance_summary(arena *a, const alliance *al)
{
	value *v = value_map(a);
	pages_set_ref(a, v, "name", al->name);
	pages_set_ref(a, v, "slug", al->slug);
	pages_set_ref(a, v, "url", al->url);
	if (al->region)
		pages_set_ref(a, v, "region", al->region);
	if (al->cohort)
		value_set_int(a, v, "cohort", al->cohort);
	if (al->context)
		pages_set_ref(a, v, "context", al->context);
	return v;
}

void pages_alliances_data(const pages *p, arena *a, value *data)
{
	const model *m = p->m;
	value *items = value_list(a);
	for (size_t i = 0; i < m->nalliances; i++) {
		const alliance *al = &m->alliances[i];
		value *v = alliance_summary(a, al);
		value_set_int(a, v, "nschools", (long)al->nschools);
		value_set_int(a, v, "ncase_studies",
			(long)al->ndocs[DOC_CASE_STUDY]);
		value_set_int(a, v, "nenquiries", (long)al->ndocs[DOC_ENQUIRY]);
		value_push(a, items, v);
	}
	pages_set_list(a, data, "items", items);
}

/* The claims an alliance's documents declare, with how many declare each,
 * in framework order. Counts from the alliance's own documents, so an
 * alliance page costs its documents, not the whole site's claims. */
static value *alliance_claims(const pages *p, const alliance *al, arena *a)
{
	const model *m = p->m;
	size_t *first = arena_alloc(a, (m->nsets + 1) * sizeof *first);
	for (size_t s = 0; s < m->nsets; s++)
		first[s + 1] = first[s] + m->sets[s].nclaims;
	long *count = arena_alloc(a, (first[m->nsets] + 1) * sizeof *count);
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		for (size_t i = 0; i < al->ndocs[k]; i++) {
			const doc *d = al->docs[k][i];
			for (size_t r = 0; r < d->nclaims; r++) {
				const claim *cl = d->claims[r].claim;
				size_t s = (size_t)(cl->set - m->sets);
				count[first[s] + (size_t)(cl - cl->set->claims)]++;
			}
		}
	}
	value *list = value_list(a);
	for (size_t s = 0; s < m->nsets; s++) {
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			if (!count[first[s] + c])
				continue;
			value *v = value_map(a);
			pages_set_ref(a, v, "id", cl->id);
			pages_set_ref(a, v, "title", cl->title);
			pages_set_ref(a, v, "url", pages_claim_url(p, cl));
			value_set_int(a, v, "count", count[first[s] + c]);
			value_push(a, list, v);
		}
	}
	return list;
}

/* The alliance's enquiries as a timeline: when each started (and
 * ended), its status and where it is in the C2L cycle. */
static value *timeline(const pages *p, const alliance *al, arena *a)
{
	static const char *const steps[] = { "Implementation", "Innovation",
		"Impact" };
	value *list = value_list(a);
	for (size_t i = 0; i < al->ndocs[DOC_ENQUIRY] && i < PAGES_CLAIM_CARDS;
		i++) {
		const doc *d = al->docs[DOC_ENQUIRY][i];
		value *item = pages_copy(a, pages_card(p, d));
		if (d->started)
			pages_set_ref(a, item, "started", d->started);
		if (d->ended)
			pages_set_ref(a, item, "ended", d->ended);
		bool finished = d->status && strcmp(d->status, "complete") == 0;
		value *st = value_list(a);
		for (int k = 0; k < 3; k++) {
			int ph = C2L_IMPLEMENTATION + k;
			value *s = value_map(a);
			pages_set_ref(a, s, "name", steps[k]);
			bool done = finished || (d->c2l && ph < (int)d->c2l);
			bool current = !finished && (int)d->c2l == ph;
			value_set_bool(a, s, "done", done);
			value_set_bool(a, s, "current", current);
			pages_set_ref(a, s, "state", done ? "done" : current ?
				"current phase" : "not started");
			value_push(a, st, s);
		}
		value_set(a, item, "steps", st);
		value_push(a, list, item);
	}
	return list;
}

void pages_alliance_data(const pages *p, const alliance *al, arena *a,
	value *data)
{
	value *v = alliance_summary(a, al);
	pages_set_list(a, v, "aliases", pages_strlist(a, &al->aliases));
	if (al->website)
		pages_set_ref(a, v, "website", al->website);
	if (al->hei_partner)
		pages_set_ref(a, v, "hei_partner", al->hei_partner);
	if (al->contact_name || al->contact_email) {
		value *c = value_map(a);
		if (al->contact_name)
			pages_set_ref(a, c, "name", al->contact_name);
		if (al->contact_email)
			pages_set_ref(a, c, "email", al->contact_email);
		value_set(a, v, "contact", c);
	}
	value *schools = value_list(a);
	for (size_t i = 0; i < al->nschools; i++) {
		value *s = value_map(a);
		pages_set_ref(a, s, "name", al->schools[i].name);
		if (al->schools[i].phase)
			value_set_str(a, s, "phase_label",
				pages_label(al->schools[i].phase));
		if (al->schools[i].role)
			value_set_str(a, s, "role_label",
				pages_label(al->schools[i].role));
		value_push(a, schools, s);
	}
	pages_set_list(a, v, "schools", schools);
	static const char *const keys[] = { "case_studies", "enquiries",
		"dissemination", "pages" };
	static const char *const dirs[] = { "case-studies", "enquiries",
		"dissemination", "" };
	for (int k = 0; k < DOC_KIND_COUNT - 1; k++) {
		size_t n = al->ndocs[k] < PAGES_CLAIM_CARDS ? al->ndocs[k] :
			PAGES_CLAIM_CARDS;
		pages_set_list(a, v, keys[k], pages_card_list(p, a, al->docs[k], n));
		char key[40];
		snprintf(key, sizeof key, "n%s", keys[k]);
		value_set_int(a, v, key, (long)al->ndocs[k]);
		snprintf(key, sizeof key, "more_%s", keys[k]);
		value_set_bool(a, v, key, al->ndocs[k] > n);
		snprintf(key, sizeof key, "%s_url", keys[k]);
		pages_set_ref(a, v, key, arena_printf(a, "%s/alliance/%s/", dirs[k],
			al->slug));
	}
	pages_set_list(a, v, "timeline", timeline(p, al, a));
	pages_set_list(a, v, "claims", alliance_claims(p, al, a));
	value_set(a, data, "alliance", v);
}

void pages_evidence_data(const pages *p, const page *pg, arena *a,
	value *data)
{
	size_t start = (pg->pageno - 1) * PAGES_PER_EVIDENCE;
	size_t end = start + PAGES_PER_EVIDENCE < p->nevidence ?
		start + PAGES_PER_EVIDENCE : p->nevidence;
	value *rows = value_list(a);
	for (size_t i = start; i < end; i++)
		value_push(a, rows, p->evidence[i]);
	pages_set_list(a, data, "rows", rows);
	paged(a, data, pg, p->nevidence);
	if (pg->pageno == 1 && pages_facets_evidence(p))
		pages_set_list(a, data, "filters", pages_facets_evidence(p));
}

void pages_home_data(const pages *p, arena *a, value *data)
{
	const model *m = p->m;
	size_t n = m->ndocs[DOC_CASE_STUDY] < 6 ? m->ndocs[DOC_CASE_STUDY] : 6;
	value *latest = value_list(a);
	for (size_t i = 0; i < n; i++)
		value_push(a, latest, p->cards[DOC_CASE_STUDY][i]);
	pages_set_list(a, data, "latest", latest);
	value *sets = value_list(a);
	for (size_t s = 0; s < m->nsets; s++)
		value_push(a, sets, pages_set_data(p, &m->sets[s], a, false));
	pages_set_list(a, data, "sets", sets);
	value *counts = value_map(a);
	value_set_int(a, counts, "case_studies", (long)m->ndocs[DOC_CASE_STUDY]);
	value_set_int(a, counts, "enquiries", (long)m->ndocs[DOC_ENQUIRY]);
	value_set_int(a, counts, "dissemination",
		(long)m->ndocs[DOC_DISSEMINATION]);
	value_set_int(a, counts, "alliances", (long)m->nalliances);
	value_set_int(a, counts, "evidence", (long)p->nevidence);
	value_set(a, data, "counts", counts);
}

static bool page_is_html(const page *pg)
{
	size_t n = strlen(pg->file);
	return n >= 5 && strcmp(pg->file + n - 5, ".html") == 0;
}

void pages_sitemap_data(const pages *p, arena *a, value *data)
{
	const char *base = p->m->site.base_url;
	value *urls = value_list(a);
	for (size_t i = 0; i < p->n; i++) {
		const page *pg = &p->items[i];
		if (pg->type == PAGE_404 || pg->type == PAGE_SITEMAP ||
			pg->type == PAGE_SEARCH || pg->type == PAGE_FEED ||
			pg->type == PAGE_CITE)
			continue;
		/* A plugin's x.json or report.csv is no page for search engines. */
		if (pg->type == PAGE_PLUGIN && !page_is_html(pg))
			continue;
		value *u = value_map(a);
		pages_set_ref(a, u, "loc", arena_printf(a, "%s%s", base, pg->url));
		if (pg->type == PAGE_DOC) {
			const doc *d = pg->subject;
			const char *date = *d->updated ? d->updated : d->date;
			if (strlen(date) >= 10)
				pages_set_ref(a, u, "lastmod", date);
		}
		value_push(a, urls, u);
	}
	pages_set_list(a, data, "urls", urls);
}
