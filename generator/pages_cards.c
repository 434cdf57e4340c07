/*
 * pages_cards: the shapes many pages share (docs/templates.md): a card per
 * document, a chip per claim reference, the data of each evidence record.
 * Built once per build, before rendering, and shared read-only (frozen:
 * value.h) by every page that lists them.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pages_int.h"
#include "parallel.h"
#include "util.h"

value *pages_copy(arena *a, const value *map)
{
	/* The pairs as they are, keys too (they live as long as map, which
	 * outlives the copy), with room for a few more. */
	return value_copy(a, map, 4);
}

void pages_set_ref(arena *a, value *map, const char *key, const char *s)
{
	value_set(a, map, key, s ? value_string_ref(a, s, strlen(s)) :
		value_null(a));
}

void pages_ref_pair(arena *a, value *map, const char *key, const char *s)
{
	value_set_ref(a, map, key, s ? value_string_ref(a, s, strlen(s)) :
		value_null(a));
}

value *pages_str(arena *a, const char *s)
{
	return s ? value_string(a, s) : value_null(a);
}

/* In read-only memory: frozen for good. */
static const value bools[2] = {
	{ .kind = VALUE_BOOL, .frozen = true, .str = "false", .len = 5,
		.u.b = false },
	{ .kind = VALUE_BOOL, .frozen = true, .str = "true", .len = 4,
		.u.b = true },
};

value *pages_bool(bool b)
{
	return (value *)(uintptr_t)&bools[b];
}

void pages_list_pair(arena *a, value *map, const char *key, const char *has,
	value *list)
{
	value_set_ref(a, map, key, list);
	value_set_ref(a, map, has, pages_bool(value_count(list) > 0));
}

value *pages_extend(arena *a, const value *map, const char *key, value *v)
{
	value *copy = pages_copy(a, map);
	value_set(a, copy, key, v);
	return copy;
}

value *pages_strlist(arena *a, const strlist *l)
{
	value *list = value_list(a);
	for (size_t i = 0; i < l->n; i++)
		value_push(a, list, value_string_ref(a, l->items[i],
			strlen(l->items[i])));
	return list;
}

/* prefix + key + suffix in out (of size n, cut to fit); returns out. */
static const char *join_key(char *out, size_t n, const char *prefix,
	const char *key, const char *suffix)
{
	size_t np = strlen(prefix), nk = strlen(key), ns = strlen(suffix);
	if (np + nk + ns >= n) {
		snprintf(out, n, "%s%s%s", prefix, key, suffix);
		return out;
	}
	memcpy(out, prefix, np);
	memcpy(out + np, key, nk);
	memcpy(out + np + nk, suffix, ns + 1);
	return out;
}

void pages_set_list(arena *a, value *map, const char *key, value *list)
{
	value_set(a, map, key, list);
	char has[64];
	value_set(a, map, join_key(has, sizeof has, "has_", key, ""),
		pages_bool(value_count(list) > 0));
}

/* Labels for the enum values of the contract; anything else is shown
 * with hyphens as spaces and a capital first letter. */
static const char *const labels[][2] = {
	{ "early-years", "Early years" }, { "post-16", "Post-16" },
	{ "all-through", "All-through" }, { "teaching-school", "Teaching school" },
	{ "lead", "Lead school" }, { "attainment-data", "Attainment data" },
	{ "pupil-voice", "Pupil voice" }, { "work-scrutiny", "Work scrutiny" },
	{ "professional-development", "Professional development" },
	{ "lesson-study", "Lesson study" }, { "ks1", "KS1" },
};

const char *pages_label(const char *slug)
{
	static __thread char out[128];
	if (!slug)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (strcmp(labels[i][0], slug) == 0)
			return labels[i][1];
	size_t n = strlen(slug);
	if (n >= sizeof out)
		return slug;
	for (size_t i = 0; i <= n; i++)
		out[i] = slug[i] == '-' ? ' ' : slug[i];
	out[0] = (char)toupper((unsigned char)out[0]);
	return out;
}

const char *pages_theme_label(const char *theme)
{
	if (!theme)
		return NULL;
	if (strcmp(theme, "pedagogy") == 0)
		return "Great pedagogy";
	if (strcmp(theme, "professional-development") == 0)
		return "Great professional development";
	if (strcmp(theme, "leadership") == 0)
		return "Leadership of alliances";
	return theme;
}

static void set_label(arena *a, value *map, const char *key,
	const char *slug)
{
	pages_set_ref(a, map, key, slug);
	if (slug) {
		char lk[64];
		value_set_str(a, map, join_key(lk, sizeof lk, "", key, "_label"),
			pages_label(slug));
	}
}

static value *chip(const pages *p, arena *a, const claim_ref *r)
{
	value *c = value_map(a);
	pages_put_ref(a, c, "id", r->claim->id);
	pages_put_ref(a, c, "title", r->claim->title);
	pages_put_ref(a, c, "url", pages_claim_url(p, r->claim));
	pages_put_bool(a, c, "strong", r->strength == STRENGTH_STRONG);
	pages_put_ref(a, c, "strength_label", r->strength == STRENGTH_STRONG ?
		"Strong element" : "Supporting");
	if (r->note)
		pages_put_ref(a, c, "note", r->note);
	pages_put_ref(a, c, "set_short_title", r->claim->set->short_title);
	pages_put_int(a, c, "number", r->claim->number);
	return c;
}

static value *card(const pages *p, arena *a, const doc *d)
{
	static const char *const kinds[] = { "case-study", "enquiry",
		"dissemination", "page" };
	static const char *const kind_labels[] = { "Case study", "Enquiry",
		"Dissemination", "Page" };
	value *c = value_map(a);
	pages_put_ref(a, c, "title", d->title);
	pages_put_ref(a, c, "slug", d->slug);
	pages_put_ref(a, c, "url", d->kind == DOC_PAGE ?
		arena_printf(a, "%s/", d->slug) : d->url);
	if (*d->date)
		pages_put_ref(a, c, "date", d->date);
	pages_put_ref(a, c, "kind", kinds[d->kind]);
	pages_put_str(a, c, "kind_label", d->kind == DOC_DISSEMINATION &&
		d->kind_name ? pages_label(d->kind_name) : kind_labels[d->kind]);
	if (d->md.excerpt && *d->md.excerpt)
		pages_put_ref(a, c, "excerpt", d->md.excerpt);
	if (d->alliance) {
		value *al = value_map(a);
		pages_put_ref(a, al, "name", d->alliance->name);
		pages_put_ref(a, al, "url", d->alliance->url);
		pages_put(a, c, "alliance", al);
	}
	if (d->theme) {
		pages_put_ref(a, c, "theme", d->theme);
		pages_put_ref(a, c, "theme_label", pages_theme_label(d->theme));
	}
	if (d->kind == DOC_ENQUIRY) {
		set_label(a, c, "status", d->status);
		if (d->c2l)
			set_label(a, c, "phase", c2l_phase_name(d->c2l));
	}
	value *claims = value_list(a);
	for (size_t i = 0; i < d->nclaims; i++)
		value_push(a, claims, chip(p, a, &d->claims[i]));
	pages_put_list(a, c, "claims", claims);
	return c;
}

/* A number as the reader should see it: "73%" for percentages. */
static value *point(arena *a, const evidence_point *pt, const char *measure)
{
	value *v = value_map(a);
	if (pt->label)
		pages_put_ref(a, v, "label", pt->label);
	bool pct = measure && strcmp(measure, "percent") == 0 &&
		!isnan(pt->value);
	const char *text = pt->text;
	if (pct) {
		size_t n = strlen(text);
		char *t = arena_alloc(a, n + 2);
		memcpy(t, text, n);
		t[n] = '%';
		text = t;
	}
	pages_put_ref(a, v, "text", text);
	return v;
}

static value *evidence_data(const pages *p, arena *a, const evidence *e)
{
	value *v = value_map(a);
	pages_put_ref(a, v, "anchor", arena_printf(a, "evidence-%zu",
		e->index + 1));
	pages_put_ref(a, v, "outcome", e->outcome);
	set_label(a, v, "group", e->group);
	set_label(a, v, "method", e->method);
	if (e->measure)
		pages_put_ref(a, v, "measure", e->measure);
	pages_put_bool(a, v, "lower_is_better", e->lower_is_better);
	pages_put_ref(a, v, "direction_label", e->lower_is_better ?
		"Lower is better" : "Higher is better");
	if (e->baseline)
		pages_put(a, v, "baseline", point(a, e->baseline, e->measure));
	if (e->result && !e->text)
		pages_put(a, v, "result", point(a, e->result, e->measure));
	if (e->comparison)
		pages_put(a, v, "comparison", point(a, e->comparison, e->measure));
	value *series = value_list(a);
	for (size_t i = 0; i < e->nseries; i++)
		value_push(a, series, point(a, &e->series[i], e->measure));
	pages_put_list(a, v, "series", series);
	if (e->n)
		pages_put_ref(a, v, "n", e->n);
	if (e->source)
		pages_put_ref(a, v, "source", e->source);
	if (e->text)
		pages_put_ref(a, v, "text", e->text);
	value *claims = value_list(a);
	for (size_t i = 0; i < e->nclaims; i++)
		value_push(a, claims, p->claim_refs[pages_claim_index(p,
			e->claims[i])]);
	pages_put_list(a, v, "claims", claims);
	value *d = value_map(a);
	pages_put_ref(a, d, "title", e->doc->title);
	pages_put_ref(a, d, "url", e->doc->url);
	pages_put(a, v, "doc", d);
	return v;
}

size_t pages_claim_index(const pages *p, const claim *c)
{
	return p->claim_first[c->set - p->m->sets] +
		(size_t)(c - c->set->claims);
}

const char *pages_claim_url(const pages *p, const claim *c)
{
	return p->claim_urls[pages_claim_index(p, c)];
}

value *pages_claim_link(const pages *p, const claim *c)
{
	return p->claim_links[pages_claim_index(p, c)];
}

value *pages_phase_labels(const pages *p, const doc *d)
{
	return p->phase_labels[d - p->m->docs[DOC_CASE_STUDY]];
}

/* Each claim's first case studies, for pages_related. */
static void claim_studies(pages *p, size_t nclaims)
{
	const model *m = p->m;
	arena *a = &p->arena;
	p->claim_studies = arena_alloc(a, (nclaims + 1) *
		sizeof *p->claim_studies);
	p->claim_nstudies = arena_alloc(a, (nclaims + 1) *
		sizeof *p->claim_nstudies);
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			size_t i = p->claim_first[s] + c, n = 0;
			uint32_t *list = arena_alloc_raw(a,
				(PAGES_RELATED_SCAN + 1) * sizeof *list);
			for (size_t r = 0; r < cl->nrefs &&
				n <= PAGES_RELATED_SCAN; r++) {
				const doc *o = cl->refs[r].doc;
				if (o->kind != DOC_CASE_STUDY)
					continue;
				list[n++] = (uint32_t)(o - m->docs[DOC_CASE_STUDY])
					<< 1 | (cl->refs[r].strength ==
					STRENGTH_STRONG);
			}
			p->claim_studies[i] = list;
			p->claim_nstudies[i] = (uint32_t)n;
		}
}

/* What pages say of every claim, and of every case study's phases. */
static void build_shared(pages *p)
{
	const model *m = p->m;
	arena *a = &p->arena;
	p->claim_first = arena_alloc(a, (m->nsets + 1) * sizeof *p->claim_first);
	for (size_t s = 0; s < m->nsets; s++)
		p->claim_first[s + 1] = p->claim_first[s] + m->sets[s].nclaims;
	size_t n = p->claim_first[m->nsets];
	p->claim_urls = arena_alloc(a, (n + 1) * sizeof *p->claim_urls);
	p->claim_links = arena_alloc(a, (n + 1) * sizeof *p->claim_links);
	p->claim_refs = arena_alloc(a, (n + 1) * sizeof *p->claim_refs);
	p->claim_jsonld = arena_alloc(a, (n + 1) * sizeof *p->claim_jsonld);
	p->claim_jsonld_key = arena_alloc(a, (n + 1) *
		sizeof *p->claim_jsonld_key);
	buf b = BUF_INIT;
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			size_t i = p->claim_first[s] + c;
			p->claim_urls[i] = arena_printf(a, "claims/%s/", cl->id);
			value *v = value_map(a);
			pages_put_ref(a, v, "id", cl->id);
			pages_put_ref(a, v, "title", cl->title);
			pages_put_ref(a, v, "url", p->claim_urls[i]);
			p->claim_links[i] = v;
			v = value_map(a);
			pages_put_ref(a, v, "id", cl->id);
			pages_put_ref(a, v, "url", p->claim_urls[i]);
			p->claim_refs[i] = v;
			value_freeze(p->claim_links[i]);
			value_freeze(v);
			buf_clear(&b);
			pages_claim_jsonld(&b, &m->site, cl);
			p->claim_jsonld[i] = arena_strndup(a, b.p, b.len);
			p->claim_jsonld_key[i] = hash64(b.p, b.len, HASH64_INIT);
		}
	buf_release(&b);
	claim_studies(p, n);
	size_t ncs = m->ndocs[DOC_CASE_STUDY];
	p->phase_labels = arena_alloc(a, (ncs + 1) * sizeof *p->phase_labels);
	for (size_t i = 0; i < ncs; i++) {
		const strlist *ph = &m->docs[DOC_CASE_STUDY][i].phases;
		value *list = value_list(a);
		for (size_t k = 0; k < ph->n; k++)
			value_push(a, list, value_string(a, pages_label(ph->items[k])));
		value_freeze(list);
		p->phase_labels[i] = list;
	}
}

const char *pages_concat(arena *a, const char *s, const char *t)
{
	size_t ns = strlen(s), nt = strlen(t);
	char *r = arena_alloc(a, ns + nt + 1);
	memcpy(r, s, ns);
	memcpy(r + ns, t, nt + 1);
	return r;
}

cite_info pages_cite_info(const pages *p, const doc *d, arena *a)
{
	const site_config *s = &p->m->site;
	return (cite_info){ d, pages_concat(a, s->base_url, d->url), s->title,
		s->language };
}

unsigned long long pages_cite_inputs(const pages *p, const doc *d)
{
	assert(d->kind == DOC_CASE_STUDY);
	return p->cite_inputs[d - p->m->docs[DOC_CASE_STUDY]];
}

/* Documents in site order, across kinds: the cards' work items. */
typedef struct {
	pages *p;
	size_t first[DOC_KIND_COUNT + 1]; /* the first item of each kind */
} cards_job;

static void build_card(void *ctx, size_t i, unsigned thread)
{
	cards_job *j = ctx;
	pages *p = j->p;
	int k = 0;
	while (i >= j->first[k + 1])
		k++;
	size_t di = i - j->first[k];
	const doc *d = &p->m->docs[k][di];
	arena *a = &p->thread_arenas[thread];
	p->cards[k][di] = card(p, a, d);
	value_freeze(p->cards[k][di]);
	if (k == DOC_CASE_STUDY) {
		cite_info ci = pages_cite_info(p, d, a);
		p->cite_inputs[di] = cite_inputs_key(&ci);
	}
	value **ev = p->evidence + p->evidence_start[k][di];
	for (size_t e = 0; e < d->nevidence; e++) {
		ev[e] = evidence_data(p, a, &d->evidence[e]);
		value_freeze(ev[e]);
	}
}

void pages_build_cards(pages *p, unsigned threads)
{
	const model *m = p->m;
	build_shared(p);
	/* Evidence in site order: case studies (newest first), then
	 * enquiries; evidence_start finds a document's first record. */
	cards_job j = { p, { 0 } };
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		p->cards[k] = xcalloc(m->ndocs[k] + 1, sizeof(value *));
		p->evidence_start[k] = xcalloc(m->ndocs[k] + 1, sizeof(size_t));
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			p->evidence_start[k][i] = p->nevidence;
			p->nevidence += m->docs[k][i].nevidence;
		}
		j.first[k + 1] = j.first[k] + m->ndocs[k];
	}
	p->evidence = xcalloc(p->nevidence + 1, sizeof(value *));
	p->cite_inputs = arena_alloc(&p->arena, (m->ndocs[DOC_CASE_STUDY] + 1) *
		sizeof *p->cite_inputs);
	/* Each card is written at its own index, from the arena of the
	 * thread that built it: the same cards whatever the threads. */
	p->nthread_arenas = threads ? threads : 1;
	p->thread_arenas = xcalloc(p->nthread_arenas, sizeof(arena));
	parallel_for(j.first[DOC_KIND_COUNT], p->nthread_arenas, build_card, &j);
}

value *pages_card(const pages *p, const doc *d)
{
	return p->cards[d->kind][d - p->m->docs[d->kind]];
}

value *pages_evidence(const pages *p, const evidence *e)
{
	const doc *d = e->doc;
	size_t i = (size_t)(d - p->m->docs[d->kind]);
	return p->evidence[p->evidence_start[d->kind][i] + e->index];
}

value *pages_card_list(const pages *p, arena *a, doc *const *docs, size_t n)
{
	value *list = value_list(a);
	for (size_t i = 0; i < n; i++)
		value_push(a, list, (value *)pages_card(p, docs[i]));
	return list;
}
