/*
 * pages_values: the values of a case study's facets (phase, subject, key
 * stage) as links to their filter pages, {slug, label, url}. A site has
 * few such values and thousands of case studies naming them: each link
 * is built once, at planning, and shared by every page that shows it.
 */
#include <stdlib.h>
#include <string.h>

#include "pages_int.h"
#include "util.h"

typedef struct {
	const char *raw; /* NULL: an empty slot */
	size_t facet; /* index into facets */
	value *link;
} slot;

struct facet_links {
	slot *slots;
	size_t cap, n; /* cap: a power of two, at most half full */
};

static const char *const facets[] = { "phase", "subject", "key-stage" };

static const strlist *facet_list(const doc *d, size_t f)
{
	return f == 0 ? &d->phases : f == 1 ? &d->subjects : &d->key_stages;
}

static size_t facet_index(const char *facet)
{
	for (size_t f = 0; f < ARRAY_LEN(facets); f++)
		if (strcmp(facets[f], facet) == 0)
			return f;
	return ARRAY_LEN(facets);
}

static size_t slot_of(const struct facet_links *t, size_t facet,
	const char *raw)
{
	size_t i = (size_t)hash64(raw, strlen(raw), facet) & (t->cap - 1);
	while (t->slots[i].raw && (t->slots[i].facet != facet ||
		strcmp(t->slots[i].raw, raw) != 0))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static value *link_of(arena *a, const char *facet, const char *raw)
{
	value *v = value_map(a);
	const char *slug = pages_slug(a, raw);
	pages_put_ref(a, v, "slug", slug);
	pages_put_str(a, v, "label", pages_label(raw));
	pages_put_ref(a, v, "url", arena_printf(a, "case-studies/%s/%s/",
		facet, slug));
	return v;
}

static void put(struct facet_links *t, arena *a, size_t facet,
	const char *raw)
{
	if (2 * (t->n + 1) > t->cap) {
		struct facet_links big = { NULL, t->cap ? 2 * t->cap : 64, 0 };
		big.slots = xcalloc(big.cap, sizeof *big.slots);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].raw)
				big.slots[slot_of(&big, t->slots[i].facet,
					t->slots[i].raw)] = t->slots[i];
		big.n = t->n;
		free(t->slots);
		*t = big;
	}
	size_t i = slot_of(t, facet, raw);
	if (t->slots[i].raw)
		return;
	value *link = link_of(a, facets[facet], raw);
	value_freeze(link);
	t->slots[i] = (slot){ raw, facet, link };
	t->n++;
}

void pages_plan_facet_links(pages *p)
{
	const model *m = p->m;
	struct facet_links *t = xcalloc(1, sizeof *t);
	p->facet_links = t;
	for (size_t i = 0; i < m->ndocs[DOC_CASE_STUDY]; i++)
		for (size_t f = 0; f < ARRAY_LEN(facets); f++) {
			const strlist *l = facet_list(&m->docs[DOC_CASE_STUDY][i], f);
			for (size_t k = 0; k < l->n; k++)
				put(t, &p->arena, f, l->items[k]);
		}
}

void pages_facet_links_free(struct facet_links *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

value *pages_facet_values(const pages *p, arena *a, const char *facet,
	const strlist *l)
{
	const struct facet_links *t = p->facet_links;
	size_t f = facet_index(facet);
	value *list = value_list(a);
	for (size_t i = 0; i < l->n; i++) {
		value *link = NULL;
		if (t && t->cap && f < ARRAY_LEN(facets)) {
			const slot *s = &t->slots[slot_of(t, f, l->items[i])];
			link = s->raw ? s->link : NULL;
		}
		value_push(a, list, link ? link : link_of(a, facet, l->items[i]));
	}
	return list;
}
