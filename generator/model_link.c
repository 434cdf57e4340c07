/*
 * model_link: cross-references between documents (enquiry -> case study,
 * dissemination -> case studies) and the back-links pages need (claim ->
 * documents and evidence, alliance -> documents, case study -> enquiries
 * and dissemination). Runs once, single-threaded, after every document is
 * loaded; afterwards the model is read-only.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "util.h"

static int by_slug(const void *pa, const void *pb)
{
	const doc *a = *(doc *const *)pa, *b = *(doc *const *)pb;
	int c = strcmp(a->slug, b->slug);
	return c ? c : strcmp(a->path, b->path);
}

static void index_slugs(model *m, doc_kind k, diag_list *d)
{
	size_t n = m->ndocs[k];
	doc **idx = arena_alloc(&m->arena, (n + 1) * sizeof *idx);
	for (size_t i = 0; i < n; i++)
		idx[i] = &m->docs[k][i];
	qsort(idx, n, sizeof *idx, by_slug);
	for (size_t i = 1; i < n; i++)
		if (strcmp(idx[i]->slug, idx[i - 1]->slug) == 0)
			diag_add(d, DIAG_ERROR, idx[i]->path, 0, 0,
				"duplicate %s '%s' (also '%s'): slugs must be unique even in subfolders",
				doc_kind_name(k), idx[i]->slug, idx[i - 1]->path);
	m->by_slug[k] = idx;
}

static bool listed(const strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* Resolves a case study slug named in field key of d (at v). Returns NULL
 * when it is unknown (an error) or left out of this build (silently). */
static doc *resolve_case_study(model *m, const doc *d, const value *v,
	const strlist *all_slugs, diag_list *dl)
{
	const char *slug = value_text(v);
	if (!slug)
		return NULL;
	doc *cs = model_find_doc(m, DOC_CASE_STUDY, slug);
	if (!cs && !listed(&all_slugs[DOC_CASE_STUDY], slug))
		diag_add(dl, DIAG_ERROR, d->path, v->line, v->col,
			"unknown case study '%s'", slug);
	return cs;
}

/* Appends to an arena array that is grown by doubling. */
static void push_doc(arena *a, doc ***arr, size_t *n, doc *x)
{
	if ((*n & (*n - 1)) == 0) { /* n is 0 or a power of two: grow */
		doc **grown = arena_alloc(a, (*n ? *n * 2 : 1) * sizeof *grown);
		if (*n)
			memcpy(grown, *arr, *n * sizeof *grown);
		*arr = grown;
	}
	(*arr)[(*n)++] = x;
}

static void link_references(model *m, const strlist *all_slugs, diag_list *d)
{
	for (size_t i = 0; i < m->ndocs[DOC_ENQUIRY]; i++) {
		doc *e = &m->docs[DOC_ENQUIRY][i];
		const value *v = value_get(e->front, "case_study");
		if (v && value_is_scalar(v) && v->kind != VALUE_NULL) {
			e->case_study = resolve_case_study(m, e, v, all_slugs, d);
			if (e->case_study)
				push_doc(&m->arena, &e->case_study->enquiries,
					&e->case_study->nenquiries, e);
		}
	}
	for (size_t i = 0; i < m->ndocs[DOC_DISSEMINATION]; i++) {
		doc *x = &m->docs[DOC_DISSEMINATION][i];
		const value *list = value_get(x->front, "case_studies");
		if (!list || list->kind == VALUE_NULL)
			continue;
		size_t n = list->kind == VALUE_LIST ? list->u.list.n : 1;
		x->case_studies = arena_alloc(&m->arena, (n + 1) * sizeof(doc *));
		for (size_t k = 0; k < n; k++) {
			const value *v = list->kind == VALUE_LIST ?
				list->u.list.items[k] : list;
			doc *cs = resolve_case_study(m, x, v, all_slugs, d);
			if (!cs)
				continue;
			x->case_studies[x->ncase_studies++] = cs;
			push_doc(&m->arena, &cs->disseminations,
				&cs->ndisseminations, x);
		}
	}
}

static void link_alliances(model *m)
{
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		for (size_t i = 0; i < m->ndocs[k]; i++) {
			doc *x = &m->docs[k][i];
			if (x->alliance)
				push_doc(&m->arena, &x->alliance->docs[k],
					&x->alliance->ndocs[k], x);
		}
	}
}

/* Claims back-links: first count, then fill, so each array is allocated
 * once. Case studies come first (newest first, as the model keeps them),
 * then enquiries and dissemination; strong references before supporting. */
static void link_claims(model *m)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t s = 0; s < m->nsets; s++) {
			for (size_t c = 0; c < m->sets[s].nclaims; c++) {
				claim *cl = &m->sets[s].claims[c];
				if (pass == 1) {
					cl->refs = arena_alloc(&m->arena,
						(cl->nrefs + 1) * sizeof *cl->refs);
					cl->evidence = arena_alloc(&m->arena,
						(cl->nevidence + 1) * sizeof *cl->evidence);
				}
				cl->nrefs = cl->nstrong = cl->nevidence = 0;
			}
		}
		for (int strong = 1; strong >= 0; strong--) {
			for (int k = 0; k < DOC_KIND_COUNT; k++) {
				for (size_t i = 0; i < m->ndocs[k]; i++) {
					doc *x = &m->docs[k][i];
					for (size_t r = 0; r < x->nclaims; r++) {
						claim_ref *ref = &x->claims[r];
						if ((ref->strength == STRENGTH_STRONG) != strong)
							continue;
						claim *cl = ref->claim;
						if (pass == 1)
							cl->refs[cl->nrefs] = *ref;
						cl->nrefs++;
						cl->nstrong += strong;
					}
				}
			}
		}
		for (int k = 0; k < DOC_KIND_COUNT; k++) {
			for (size_t i = 0; i < m->ndocs[k]; i++) {
				doc *x = &m->docs[k][i];
				for (size_t e = 0; e < x->nevidence; e++) {
					evidence *ev = &x->evidence[e];
					for (size_t c = 0; c < ev->nclaims; c++) {
						claim *cl = ev->claims[c];
						if (pass == 1)
							cl->evidence[cl->nevidence] = ev;
						cl->nevidence++;
					}
				}
			}
		}
	}
}

void model_link(model *m, const strlist *all_slugs, diag_list *d)
{
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		index_slugs(m, (doc_kind)k, d);
	link_references(m, all_slugs, d);
	link_alliances(m);
	link_claims(m);
}
