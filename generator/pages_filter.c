/*
 * pages_filter: the filter pages of the lists, which a static site
 * pre-generates instead of asking a server: one paginated page per value
 * of each facet, e.g. /case-studies/claim/pedagogy-4/,
 * /case-studies/subject/english/page/2/, /evidence/method/pupil-voice/.
 * Also the facet panels that link to them, related case studies,
 * citation files (cite.bib, cite.ris) and the theme's hashed asset names.
 *
 * Facets, by list:
 *   case studies   claim, theme, phase, subject, key-stage, alliance
 *   enquiries      claim, theme, status, stage (C2L phase), alliance
 *   dissemination  claim, kind, audience, alliance
 *   evidence       claim
 * A value's URL part is its slug (pages_slug), so "Art & design" and
 * "art-design" are one value.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "cite.h"
#include "pages_int.h"
#include "theme.h"
#include "util.h"

enum { L_CASE_STUDIES, L_ENQUIRIES, L_DISSEMINATION, L_EVIDENCE };

static const char *const list_dirs[PAGES_FILTER_LISTS] = { "case-studies",
	"enquiries", "dissemination", "evidence" };
static const char *const list_titles[PAGES_FILTER_LISTS] = { "Case studies",
	"Enquiries", "Resources and events", "Impact evidence" };

/* What a facet value of one item is: up to a few (slug source, label). */
#define MAX_VALUES 64
typedef struct {
	const char *raw[MAX_VALUES];
	const char *label[MAX_VALUES]; /* NULL: made from claim */
	const claim *claim[MAX_VALUES]; /* for claim facets */
	long rank[MAX_VALUES]; /* sorts before the slug: framework order */
	size_t n;
} values;

typedef void (*extract_fn)(const doc *d, const evidence *e, values *v,
	arena *a);

typedef struct {
	const char *key; /* URL part: "claim" */
	const char *label; /* "Claim" */
	extract_fn get;
	const char *more_url; /* where all values are listed, if too many */
} facet_def;

static void push(values *v, const char *raw, const char *label, long rank)
{
	if (!raw || !*raw || v->n == MAX_VALUES)
		return;
	v->raw[v->n] = raw;
	v->label[v->n] = label ? label : raw;
	v->claim[v->n] = NULL;
	v->rank[v->n] = rank;
	v->n++;
}

static void claim_values(claim_ref *refs, size_t n, claim **direct,
	size_t ndirect, values *v, arena *a)
{
	for (size_t i = 0; i < n + ndirect; i++) {
		const claim *c = i < n ? refs[i].claim : direct[i - n];
		/* Framework order: the set's place, then the claim number; the
		 * label is made once per value, by plan_facet. */
		/* (sets live in one array, so their addresses are in framework
		 * order) */
		push(v, c->id, NULL, (long)((uintptr_t)c->set /
			sizeof(claim_set)) * 10000 + c->number);
		if (v->n && v->raw[v->n - 1] == c->id)
			v->claim[v->n - 1] = c;
	}
}

static void f_claim(const doc *d, const evidence *e, values *v, arena *a)
{
	if (e)
		claim_values(NULL, 0, e->claims, e->nclaims, v, a);
	else
		claim_values(d->claims, d->nclaims, NULL, 0, v, a);
}

static void f_theme(const doc *d, const evidence *e, values *v, arena *a)
{
	push(v, d->theme, pages_theme_label(d->theme), 0);
}

static void strlist_values(const strlist *l, values *v, arena *a)
{
	for (size_t i = 0; i < l->n; i++)
		push(v, l->items[i], NULL, 0);
}

static void f_phase(const doc *d, const evidence *e, values *v, arena *a)
{
	strlist_values(&d->phases, v, a);
}

static void f_subject(const doc *d, const evidence *e, values *v, arena *a)
{
	strlist_values(&d->subjects, v, a);
}

static void f_key_stage(const doc *d, const evidence *e, values *v, arena *a)
{
	strlist_values(&d->key_stages, v, a);
}

static void f_alliance(const doc *d, const evidence *e, values *v, arena *a)
{
	if (d->alliance)
		push(v, d->alliance->slug, d->alliance->name, 0);
}

static void f_status(const doc *d, const evidence *e, values *v, arena *a)
{
	push(v, d->status, NULL, 0);
}

static void f_stage(const doc *d, const evidence *e, values *v, arena *a)
{
	if (d->c2l)
		push(v, c2l_phase_name(d->c2l), NULL, (long)d->c2l);
}

static void f_kind(const doc *d, const evidence *e, values *v, arena *a)
{
	push(v, d->kind_name, NULL, 0);
}

static void f_audience(const doc *d, const evidence *e, values *v, arena *a)
{
	strlist_values(&d->audience, v, a);
}

static const facet_def case_study_facets[] = {
	{ "claim", "Claim", f_claim, "claims/" },
	{ "theme", "Theme", f_theme, NULL },
	{ "phase", "Phase", f_phase, NULL },
	{ "subject", "Subject", f_subject, NULL },
	{ "key-stage", "Key stage", f_key_stage, NULL },
	{ "alliance", "Alliance", f_alliance, "alliances/" },
	{ NULL, NULL, NULL, NULL },
};
static const facet_def enquiry_facets[] = {
	{ "claim", "Claim", f_claim, "claims/" },
	{ "theme", "Theme", f_theme, NULL },
	{ "status", "Status", f_status, NULL },
	{ "stage", "Enquiry phase", f_stage, NULL },
	{ "alliance", "Alliance", f_alliance, "alliances/" },
	{ NULL, NULL, NULL, NULL },
};
static const facet_def dissemination_facets[] = {
	{ "claim", "Claim", f_claim, "claims/" },
	{ "kind", "Kind", f_kind, NULL },
	{ "audience", "Audience", f_audience, NULL },
	{ "alliance", "Alliance", f_alliance, "alliances/" },
	{ NULL, NULL, NULL, NULL },
};
/* Evidence by who and method would repeat every record once more each
 * (tens of megabytes on a large site); the table sorts by those columns
 * instead (assets/sort-table.js). */
static const facet_def evidence_facets[] = {
	{ "claim", "Claim", f_claim, "claims/" },
	{ NULL, NULL, NULL, NULL },
};
static const facet_def *const list_facets[PAGES_FILTER_LISTS] = {
	case_study_facets, enquiry_facets, dissemination_facets, evidence_facets
};

/* One filter page set: a facet value and the items that have it. */
typedef struct {
	int list;
	const facet_def *facet;
	const char *slug, *label;
	value **items;
	size_t n;
	const char *base; /* "case-studies/claim/pedagogy-4/" */
} filter;

/* Is s already a slug ([a-z0-9]+(-[a-z0-9]+)*)? Most values are. */
static bool is_slug(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			(*s == '-' && s[1] && s[1] != '-');
		if (!ok)
			return false;
	}
	return true;
}

const char *pages_slug(arena *a, const char *s)
{
	if (is_slug(s))
		return s;
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[k++] = (char)c;
		else if (k && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = '\0';
	return k ? out : "other";
}

typedef struct {
	const char *slug, *raw, *label; /* label NULL: from raw or claim */
	const claim *claim;
	long rank;
	size_t item; /* index into the list's items */
	size_t next; /* the next entry of its value, or NONE */
} entry;

#define NONE SIZE_MAX

/* The entries of one value (one slug), as a list through entry.next in
 * the order they were found: by item. */
typedef struct {
	size_t first, last, n;
	const char *slug; /* the first entry's, for sorting */
	const claim *claim;
	long rank;
} group;

/* Values in panel order: by rank (framework order for claims, the phase
 * for enquiry stages), then by slug. A value's entries all have one
 * rank, which makes this the order a sort of the entries by (rank, slug,
 * item) gave, without comparing the thousands of entries by string. */
static int by_value(const void *x, const void *y)
{
	const group *a = x, *b = y;
	int c = a->rank < b->rank ? -1 : a->rank > b->rank;
	/* Claims are told apart by rank alone. */
	if (!c && !a->claim)
		c = strcmp(a->slug, b->slug);
	return c;
}

/* Open addressing over groups by slug: slots hold a group index + 1. */
typedef struct {
	uint32_t *slot;
	size_t cap;
	group *g;
	size_t n, gcap;
} groups;

static size_t slug_hash(const char *s)
{
	return (size_t)hash64(s, strlen(s), HASH64_INIT);
}

static uint32_t *group_slot(const groups *gs, const char *slug)
{
	for (size_t i = slug_hash(slug) & (gs->cap - 1);;
		i = (i + 1) & (gs->cap - 1)) {
		uint32_t *s = &gs->slot[i];
		if (!*s || strcmp(gs->g[*s - 1].slug, slug) == 0)
			return s;
	}
}

/* Adds entry e (the last of es) to its value's group. */
static void group_add(groups *gs, entry *es, size_t e)
{
	uint32_t *slot = group_slot(gs, es[e].slug);
	if (*slot) {
		group *g = &gs->g[*slot - 1];
		es[g->last].next = e;
		g->last = e;
		g->n++;
		return;
	}
	if (gs->n == gs->gcap) {
		gs->gcap = gs->gcap ? 2 * gs->gcap : 64;
		gs->g = xrealloc(gs->g, gs->gcap * sizeof *gs->g);
	}
	gs->g[gs->n] = (group){ e, e, 1, es[e].slug, es[e].claim, es[e].rank };
	*slot = (uint32_t)++gs->n;
	if (2 * gs->n + 2 > gs->cap) { /* grow the table */
		free(gs->slot);
		gs->cap *= 2;
		gs->slot = xcalloc(gs->cap, sizeof *gs->slot);
		for (size_t i = 0; i < gs->n; i++)
			*group_slot(gs, gs->g[i].slug) = (uint32_t)i + 1;
	}
}

/* The items of a list (cards or evidence rows) with their doc and
 * evidence, in the list's order. */
typedef struct {
	value **v;
	const doc **d;
	const evidence **e;
	size_t n;
} items;

static items list_items(pages *p, int list)
{
	const model *m = p->m;
	items it = { 0 };
	if (list == L_EVIDENCE) {
		it.n = p->nevidence;
		it.v = p->evidence;
		it.d = arena_alloc(&p->arena, (it.n + 1) * sizeof *it.d);
		it.e = arena_alloc(&p->arena, (it.n + 1) * sizeof *it.e);
		size_t i = 0;
		for (int k = 0; k < DOC_KIND_COUNT; k++)
			for (size_t j = 0; j < m->ndocs[k]; j++)
				for (size_t x = 0; x < m->docs[k][j].nevidence; x++) {
					it.d[i] = &m->docs[k][j];
					it.e[i++] = &m->docs[k][j].evidence[x];
				}
		return it;
	}
	doc_kind k = list == L_CASE_STUDIES ? DOC_CASE_STUDY :
		list == L_ENQUIRIES ? DOC_ENQUIRY : DOC_DISSEMINATION;
	it.n = m->ndocs[k];
	it.v = p->cards[k];
	it.d = arena_alloc(&p->arena, (it.n + 1) * sizeof *it.d);
	for (size_t j = 0; j < it.n; j++)
		it.d[j] = &m->docs[k][j];
	return it;
}

/* Facet panels show at most this many values; the rest are reachable
 * from the facet's more_url (the claims or alliances directory). */
#define PANEL_MAX 30

static int by_count(const void *x, const void *y)
{
	const value *a = *(value *const *)x, *b = *(value *const *)y;
	long ca = strtol(value_text(value_get(a, "count")), NULL, 10);
	long cb = strtol(value_text(value_get(b, "count")), NULL, 10);
	return ca < cb ? 1 : ca > cb ? -1 : 0;
}

static void plan_facet(pages *p, int list, const facet_def *f, items *it,
	value *panel)
{
	arena *a = &p->arena;
	entry *es = NULL;
	size_t n = 0, cap = 0;
	groups gs = { xcalloc(64, sizeof(uint32_t)), 64, NULL, 0, 0 };
	values v;
	for (size_t i = 0; i < it->n; i++) {
		v.n = 0;
		f->get(it->d[i], it->e ? it->e[i] : NULL, &v, a);
		for (size_t j = 0; j < v.n; j++) {
			/* An item naming one value twice counts once. */
			bool dup = false;
			for (size_t k = 0; k < j && !dup; k++)
				dup = strcmp(v.raw[k], v.raw[j]) == 0;
			if (dup)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				es = xrealloc(es, cap * sizeof *es);
			}
			es[n] = (entry){ pages_slug(a, v.raw[j]), v.raw[j],
				v.label[j] == v.raw[j] ? NULL : v.label[j], v.claim[j],
				v.rank[j], i, NONE };
			group_add(&gs, es, n++);
		}
	}
	free(gs.slot);
	if (gs.n)
		qsort(gs.g, gs.n, sizeof *gs.g, by_value);
	value *options = value_list(a);
	for (size_t gi = 0; gi < gs.n; gi++) {
		const group *g = &gs.g[gi];
		const entry *first = &es[g->first];
		filter *fl = arena_alloc(a, sizeof *fl);
		fl->list = list;
		fl->facet = f;
		fl->slug = first->slug;
		if (first->claim) {
			const claim *c = first->claim;
			fl->label = arena_printf(a, "%s %d: %s", c->set->short_title ?
				c->set->short_title : c->set->id, c->number, c->title);
		} else {
			fl->label = first->label ? first->label :
				arena_strdup(a, pages_label(first->raw));
		}
		fl->n = g->n;
		fl->items = arena_alloc(a, fl->n * sizeof *fl->items);
		size_t k = 0;
		for (size_t e = g->first; e != NONE; e = es[e].next)
			fl->items[k++] = it->v[es[e].item];
		fl->base = arena_printf(a, "%s/%s/%s/", list_dirs[list], f->key,
			fl->slug);
		size_t per = list == L_EVIDENCE ? PAGES_PER_EVIDENCE :
			PAGES_PER_FILTER;
		size_t npages = (fl->n + per - 1) / per;
		struct paging *pp = pages_paging(p, fl->base, npages);
		for (size_t pg = 1; pg <= npages; pg++) {
			const char *url = pp ? pages_paging_url(pp, pg) : fl->base;
			page *x = pages_add(p, PAGE_FILTER, list_dirs[list], url, fl);
			x->pageno = pg;
			x->npages = npages;
			x->paging = pp;
		}
		value *o = value_map(a);
		pages_set_ref(a, o, "label", fl->label);
		pages_set_ref(a, o, "url", fl->base);
		value_set_int(a, o, "count", (long)fl->n);
		value_push(a, options, o);
	}
	free(gs.g);
	free(es);
	size_t nopt = value_count(options);
	if (!nopt)
		return;
	value *fv = value_map(a);
	pages_set_ref(a, fv, "key", f->key);
	pages_set_ref(a, fv, "label", f->label);
	value_set_int(a, fv, "count", (long)nopt);
	if (nopt > PANEL_MAX) {
		/* The most used values; the rest from the directory. */
		qsort(options->u.list.items, nopt, sizeof(value *), by_count);
		options->u.list.n = PANEL_MAX;
		value_set_int(a, fv, "more", (long)(nopt - PANEL_MAX));
		if (f->more_url)
			pages_set_ref(a, fv, "more_url", f->more_url);
	}
	pages_set_list(a, fv, "options", options);
	value_push(a, panel, fv);
}

/* A set of strings as 64 bits (one bit per string's hash): two sets
 * that share a string share a bit. A shared bit may also be chance, which
 * only makes a related case study look a little less different. */
static unsigned long long fingerprint(const strlist *l)
{
	unsigned long long bits = 0;
	for (size_t i = 0; i < l->n; i++) {
		unsigned h = 2166136261u;
		for (const char *s = l->items[i]; *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
		bits |= 1ULL << (h % 64);
	}
	return bits;
}

static void plan_fingerprints(pages *p)
{
	const model *m = p->m;
	size_t n = m->ndocs[DOC_CASE_STUDY];
	p->phase_bits = xcalloc(n + 1, sizeof *p->phase_bits);
	p->subject_bits = xcalloc(n + 1, sizeof *p->subject_bits);
	for (size_t i = 0; i < n; i++) {
		p->phase_bits[i] = fingerprint(&m->docs[DOC_CASE_STUDY][i].phases);
		p->subject_bits[i] = fingerprint(&m->docs[DOC_CASE_STUDY][i].subjects);
	}
}

void pages_plan_filters(pages *p)
{
	plan_fingerprints(p);
	for (int list = 0; list < PAGES_FILTER_LISTS; list++) {
		items it = list_items(p, list);
		value *panel = value_list(&p->arena);
		for (const facet_def *f = list_facets[list]; f->key; f++)
			plan_facet(p, list, f, &it, panel);
		p->facets[list] = value_count(panel) ? panel : NULL;
	}
}

value *pages_facets(const pages *p, doc_kind kind)
{
	int list = kind == DOC_CASE_STUDY ? L_CASE_STUDIES :
		kind == DOC_ENQUIRY ? L_ENQUIRIES : L_DISSEMINATION;
	return p->facets[list];
}

value *pages_facets_evidence(const pages *p)
{
	return p->facets[L_EVIDENCE];
}

/* The facet panel of a filter page: the shared panel with the applied
 * filter's facet open and its value marked current (copies of the maps
 * on that path; the shared panel is never changed). */
static value *panel_marking(arena *a, value *panel, const filter *f)
{
	value *out = value_list(a);
	for (size_t i = 0; i < panel->u.list.n; i++) {
		value *facet = panel->u.list.items[i];
		if (strcmp(value_text(value_get(facet, "key")), f->facet->key) != 0) {
			value_push(a, out, facet);
			continue;
		}
		const value *options = value_get(facet, "options");
		value *marked = value_list(a);
		for (size_t k = 0; k < value_count(options); k++) {
			value *o = options->u.list.items[k];
			if (strcmp(value_text(value_get(o, "url")), f->base) == 0) {
				o = pages_copy(a, o);
				value_set_bool(a, o, "current", true);
			}
			value_push(a, marked, o);
		}
		value *copy = pages_copy(a, facet);
		value_set_bool(a, copy, "open", true);
		/* the copy's own pairs: replacing a value there leaves facet as
		 * it was */
		for (size_t k = 0; k < copy->u.map.n; k++)
			if (strcmp(copy->u.map.pairs[k].key, "options") == 0)
				copy->u.map.pairs[k].val = marked;
		value_push(a, out, copy);
	}
	return out;
}

const char *pages_filter_title(const page *pg, arena *a)
{
	const filter *f = pg->subject;
	return arena_printf(a, "%s: %s %s", list_titles[f->list], f->facet->label,
		f->label);
}

void pages_filter_data(const pages *p, const page *pg, arena *a, value *data)
{
	const filter *f = pg->subject;
	size_t per = f->list == L_EVIDENCE ? PAGES_PER_EVIDENCE :
		PAGES_PER_FILTER;
	size_t start = (pg->pageno - 1) * per;
	size_t end = start + per < f->n ? start + per : f->n;
	value *list = value_list(a);
	for (size_t i = start; i < end; i++)
		value_push(a, list, f->items[i]);
	pages_set_list(a, data, f->list == L_EVIDENCE ? "rows" : "items", list);
	value *pag = pages_pagination(a, pg);
	if (pag)
		value_set(a, data, "pagination", pag);
	value_set_int(a, data, "total", (long)f->n);
	value *fv = value_map(a);
	pages_set_ref(a, fv, "facet", f->facet->key);
	pages_set_ref(a, fv, "facet_label", f->facet->label);
	pages_set_ref(a, fv, "value", f->slug);
	pages_set_ref(a, fv, "label", f->label);
	pages_set_ref(a, fv, "clear_url", arena_printf(a, "%s/",
		list_dirs[f->list]));
	value_set(a, data, "filter", fv);
	if (pg->pageno == 1 && p->facets[f->list])
		pages_set_list(a, data, "filters",
			panel_marking(a, p->facets[f->list], f));
}

/* ---- related work ---- */


/* The scores of case studies (by index) in a small open-addressing
 * table; slot[] lists the used slots in the order they were filled. */
typedef struct {
	uint32_t *key; /* index + 1; 0: empty */
	uint32_t *score;
	uint32_t *slot;
	size_t cap, n; /* cap: a power of two */
} score_table;

static uint32_t *score_of(score_table *t, size_t i)
{
	size_t h = (i * 0x9E3779B97F4A7C15ULL) >> 32 & (t->cap - 1);
	while (t->key[h] && t->key[h] != i + 1)
		h = (h + 1) & (t->cap - 1);
	if (!t->key[h]) {
		t->key[h] = (uint32_t)(i + 1);
		t->score[h] = 0;
		t->slot[t->n++] = (uint32_t)h;
	}
	return &t->score[h];
}

/* Does a (score, index) rank before b? Higher scores first; ties: the
 * newer (lower index). */
static bool ranks_before(uint32_t sa, size_t ia, uint32_t sb, size_t ib)
{
	return sa > sb || (sa == sb && ia < ib);
}

/* {id, title, url} of each claim d and o share, in d's order. */
static value *shared_claims(const pages *p, const doc *d, const doc *o,
	arena *a)
{
	value *shared = value_list(a);
	for (size_t c = 0; c < d->nclaims; c++)
		for (size_t r = 0; r < o->nclaims; r++)
			if (o->claims[r].claim == d->claims[c].claim)
				value_push(a, shared, pages_claim_link(p,
					d->claims[c].claim));
	return shared;
}

value *pages_related(const pages *p, const doc *d, arena *a, size_t max)
{
	const model *m = p->m;
	if (max > 8)
		max = 8;
	size_t bound = d->nclaims * PAGES_RELATED_SCAN;
	score_table tab = { .cap = 16 };
	while (tab.cap < bound * 2)
		tab.cap *= 2;
	/* Only the keys need zeroing: a score is set as its key is. */
	tab.key = arena_alloc(a, tab.cap * sizeof *tab.key);
	tab.score = arena_alloc_raw(a, tab.cap * sizeof *tab.score);
	tab.slot = arena_alloc_raw(a, (bound + 1) * sizeof *tab.slot);
	/* The claims' case studies, prebuilt (pages_cards.c): the first
	 * PAGES_RELATED_SCAN but d. */
	size_t self = (size_t)(d - m->docs[DOC_CASE_STUDY]);
	for (size_t c = 0; c < d->nclaims; c++) {
		size_t ci = pages_claim_index(p, d->claims[c].claim);
		const uint32_t *list = p->claim_studies[ci];
		size_t n = p->claim_nstudies[ci], seen = 0;
		uint32_t strong = d->claims[c].strength == STRENGTH_STRONG;
		for (size_t r = 0; r < n && seen < PAGES_RELATED_SCAN; r++) {
			size_t o = list[r] >> 1;
			if (o == self)
				continue;
			seen++;
			/* A shared claim counts most, more when both make it a
			 * strong element. */
			*score_of(&tab, o) += 4 + (strong & list[r]) * 2;
		}
	}
	/* Prefer other settings: a different phase or subject shows the idea
	 * travelling. The best max, in rank order, by insertion. */
	unsigned long long ph = p->phase_bits[self], sub = p->subject_bits[self];
	size_t best[8], nbest = 0;
	uint32_t best_score[8];
	for (size_t t = 0; t < tab.n; t++) {
		size_t h = tab.slot[t], i = tab.key[h] - 1;
		uint32_t sc = tab.score[h];
		/* The settings add at most 5: most candidates cannot reach
		 * the last of the best, and need no more look. */
		if (nbest == max && (!max || sc + 5 < best_score[max - 1]))
			continue;
		if (ph && p->phase_bits[i] && !(ph & p->phase_bits[i]))
			sc += 3;
		if (sub && p->subject_bits[i] && !(sub & p->subject_bits[i]))
			sc += 2;
		size_t k = nbest < max ? nbest++ : max;
		if (k == max && (!max || !ranks_before(sc, i, best_score[max - 1],
			best[max - 1])))
			continue;
		if (k == max)
			k = max - 1;
		while (k > 0 && ranks_before(sc, i, best_score[k - 1], best[k - 1])) {
			best[k] = best[k - 1];
			best_score[k] = best_score[k - 1];
			k--;
		}
		best[k] = i;
		best_score[k] = sc;
	}
	value *list = value_list(a);
	for (size_t k = 0; k < nbest; k++) {
		const doc *o = &m->docs[DOC_CASE_STUDY][best[k]];
		value *item = pages_copy(a, pages_card(p, o));
		pages_put_list(a, item, "shared_claims", shared_claims(p, d, o, a));
		pages_put_list(a, item, "phase_labels", pages_phase_labels(p, o));
		value_push(a, list, item);
	}
	return list;
}

/* ---- citation files ---- */

void pages_plan_cite(pages *p, const doc *d)
{
	pages_add(p, PAGE_CITE, "cite-bib", arena_printf(&p->arena,
		"%scite.bib", d->url), d);
	pages_add(p, PAGE_CITE, "cite-ris", arena_printf(&p->arena,
		"%scite.ris", d->url), d);
}

void pages_cite_data(const pages *p, const page *pg, arena *a, value *data,
	bool keyed)
{
	value *c = value_map(a);
	value_set(a, c, "text", pages_cite_text(p, pg->subject,
		strcmp(pg->template, "cite-ris") == 0 ? "ris" : "bibtex", a,
		keyed));
	value_set(a, data, "cite", c);
}

/* ---- assets ---- */

void pages_set_assets(pages *p, const struct theme *t)
{
	arena *a = &p->arena;
	value *assets = value_map(a);
	pages_set_ref(a, assets, "css", "assets/style.css");
	for (size_t i = 0; t && i < theme_asset_count(t); i++) {
		const theme_asset *as = theme_asset_at(t, i);
		const char *name = as->name ? as->name : as->path;
		if (strcmp(name, "assets/style.css") == 0) {
			/* replaces the default above: the first pair wins */
			assets->u.map.pairs[0].val = value_string(a, as->path);
			continue;
		}
		/* assets/sort-table.js -> assets.sort_table_js */
		const char *base = strrchr(name, '/');
		base = base ? base + 1 : name;
		char key[64];
		size_t k = 0;
		for (; base[k] && k < sizeof key - 1; k++)
			key[k] = (base[k] >= 'a' && base[k] <= 'z') ||
				(base[k] >= 'A' && base[k] <= 'Z') ||
				(base[k] >= '0' && base[k] <= '9') ? base[k] : '_';
		key[k] = '\0';
		pages_set_ref(a, assets, key, as->path);
	}
	p->assets = assets;
}
