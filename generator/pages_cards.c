/*
 * pages_cards: the shapes many pages share (docs/templates.md): a card per
 * document, a chip per claim reference, the data of each evidence record.
 * Built once per build, before rendering, and shared read-only by every
 * page that lists them.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pages_int.h"
#include "util.h"

value *pages_copy(arena *a, const value *map)
{
	value *copy = value_map(a);
	for (size_t i = 0; i < map->u.map.n; i++)
		value_set(a, copy, map->u.map.pairs[i].key,
			map->u.map.pairs[i].val);
	return copy;
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

void pages_set_list(arena *a, value *map, const char *key, value *list)
{
	value_set(a, map, key, list);
	char has[64];
	snprintf(has, sizeof has, "has_%s", key);
	value_set_bool(a, map, has, value_count(list) > 0);
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
	value_set_str(a, map, key, slug);
	if (slug) {
		char lk[64];
		snprintf(lk, sizeof lk, "%s_label", key);
		value_set_str(a, map, lk, pages_label(slug));
	}
}

static value *chip(arena *a, const claim_ref *r)
{
	value *c = value_map(a);
	value_set_str(a, c, "id", r->claim->id);
	value_set_str(a, c, "title", r->claim->title);
	value_set_str(a, c, "url", arena_printf(a, "claims/%s/", r->claim->id));
	value_set_bool(a, c, "strong", r->strength == STRENGTH_STRONG);
	value_set_str(a, c, "strength_label", r->strength == STRENGTH_STRONG ?
		"Strong element" : "Supporting");
	if (r->note)
		value_set_str(a, c, "note", r->note);
	value_set_str(a, c, "set_short_title", r->claim->set->short_title);
	value_set_int(a, c, "number", r->claim->number);
	return c;
}

static value *card(arena *a, const doc *d)
{
	static const char *const kinds[] = { "case-study", "enquiry",
		"dissemination", "page" };
	static const char *const kind_labels[] = { "Case study", "Enquiry",
		"Dissemination", "Page" };
	value *c = value_map(a);
	value_set_str(a, c, "title", d->title);
	value_set_str(a, c, "slug", d->slug);
	value_set_str(a, c, "url", d->kind == DOC_PAGE ?
		arena_printf(a, "%s/", d->slug) : d->url);
	if (*d->date)
		value_set_str(a, c, "date", d->date);
	value_set_str(a, c, "kind", kinds[d->kind]);
	value_set_str(a, c, "kind_label", d->kind == DOC_DISSEMINATION &&
		d->kind_name ? pages_label(d->kind_name) : kind_labels[d->kind]);
	if (d->md.excerpt && *d->md.excerpt)
		value_set_str(a, c, "excerpt", d->md.excerpt);
	if (d->alliance) {
		value *al = value_map(a);
		value_set_str(a, al, "name", d->alliance->name);
		value_set_str(a, al, "url", d->alliance->url);
		value_set(a, c, "alliance", al);
	}
	if (d->theme) {
		value_set_str(a, c, "theme", d->theme);
		value_set_str(a, c, "theme_label", pages_theme_label(d->theme));
	}
	if (d->kind == DOC_ENQUIRY) {
		set_label(a, c, "status", d->status);
		if (d->c2l)
			set_label(a, c, "phase", c2l_phase_name(d->c2l));
	}
	value *claims = value_list(a);
	for (size_t i = 0; i < d->nclaims; i++)
		value_push(a, claims, chip(a, &d->claims[i]));
	pages_set_list(a, c, "claims", claims);
	return c;
}

/* A number as the reader should see it: "73%" for percentages. */
static value *point(arena *a, const evidence_point *pt, const char *measure)
{
	value *v = value_map(a);
	if (pt->label)
		value_set_str(a, v, "label", pt->label);
	bool pct = measure && strcmp(measure, "percent") == 0 &&
		!isnan(pt->value);
	value_set_str(a, v, "text", pct ? arena_printf(a, "%s%%", pt->text) :
		pt->text);
	return v;
}

static value *evidence_data(arena *a, const evidence *e)
{
	value *v = value_map(a);
	value_set_str(a, v, "anchor", arena_printf(a, "evidence-%zu",
		e->index + 1));
	value_set_str(a, v, "outcome", e->outcome);
	set_label(a, v, "group", e->group);
	set_label(a, v, "method", e->method);
	if (e->measure)
		value_set_str(a, v, "measure", e->measure);
	value_set_bool(a, v, "lower_is_better", e->lower_is_better);
	value_set_str(a, v, "direction_label", e->lower_is_better ?
		"Lower is better" : "Higher is better");
	if (e->baseline)
		value_set(a, v, "baseline", point(a, e->baseline, e->measure));
	if (e->result && !e->text)
		value_set(a, v, "result", point(a, e->result, e->measure));
	if (e->comparison)
		value_set(a, v, "comparison", point(a, e->comparison, e->measure));
	value *series = value_list(a);
	for (size_t i = 0; i < e->nseries; i++)
		value_push(a, series, point(a, &e->series[i], e->measure));
	pages_set_list(a, v, "series", series);
	if (e->n)
		value_set_str(a, v, "n", e->n);
	if (e->source)
		value_set_str(a, v, "source", e->source);
	if (e->text)
		value_set_str(a, v, "text", e->text);
	value *claims = value_list(a);
	for (size_t i = 0; i < e->nclaims; i++) {
		value *c = value_map(a);
		value_set_str(a, c, "id", e->claims[i]->id);
		value_set_str(a, c, "url", arena_printf(a, "claims/%s/",
			e->claims[i]->id));
		value_push(a, claims, c);
	}
	pages_set_list(a, v, "claims", claims);
	value *d = value_map(a);
	value_set_str(a, d, "title", e->doc->title);
	value_set_str(a, d, "url", e->doc->url);
	value_set(a, v, "doc", d);
	return v;
}

void pages_build_cards(pages *p)
{
	const model *m = p->m;
	size_t nev = 0;
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		p->cards[k] = xcalloc(m->ndocs[k] + 1, sizeof(value *));
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			p->cards[k][i] = card(&p->arena, &m->docs[k][i]);
			nev += m->docs[k][i].nevidence;
		}
	}
	/* Evidence in site order: case studies (newest first), then
	 * enquiries; evidence_start finds a document's first record. */
	p->evidence = xcalloc(nev + 1, sizeof(value *));
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		p->evidence_start[k] = xcalloc(m->ndocs[k] + 1, sizeof(size_t));
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			p->evidence_start[k][i] = p->nevidence;
			for (size_t e = 0; e < m->docs[k][i].nevidence; e++)
				p->evidence[p->nevidence++] = evidence_data(
					&p->arena, &m->docs[k][i].evidence[e]);
		}
	}
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
