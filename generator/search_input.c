/*
 * search_input: the search documents of a model, each with its weighted
 * text fields, its fragment (what a result shows) and its facet values.
 * A document's claims are indexed with it by title, and its alliance by
 * name and aliases, so "pupil voice" finds case studies that declare the
 * claim about pupil voice.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#include "pages_int.h" /* the labels pages show for enum values */
#include "util.h"

/* A facet value's label, kept per (facet, key): a facet file shows the
 * label of a value's first tag only, so each is made once, not once per
 * document (claim labels were an arena_printf per claim per case study). */
typedef struct {
	const char *key, *label;
	search_facet facet;
} label_slot;

/* Grows with arena copies: the inputs live as long as the arena. */
typedef struct {
	arena *a;
	search_field f[64];
	size_t nf;
	search_tag t[128];
	size_t nt;
	label_slot *ls;
	size_t lcap, ln;
} builder;

/* How a tag's label is made from its key (and arg). */
typedef enum { L_COPY, L_PAGES, L_THEME, L_CLAIM } label_how;

static uint32_t key_hash(search_facet f, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)f;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const char *make_label(builder *b, label_how how, const char *key,
	const char *arg)
{
	switch (how) {
	case L_PAGES:
		return arena_strdup(b->a, pages_label(key));
	case L_THEME:
		arg = pages_theme_label(key);
		return arena_strdup(b->a, arg ? arg : key);
	case L_CLAIM: {
		if (!arg)
			arg = "(null)"; /* as printf showed it */
		size_t nk = strlen(key), na = strlen(arg);
		char *s = arena_alloc(b->a, nk + na + 3);
		memcpy(s, key, nk);
		memcpy(s + nk, ": ", 2);
		memcpy(s + nk + 2, arg, na + 1);
		return s;
	}
	case L_COPY:
		break;
	}
	return arena_strdup(b->a, arg ? arg : key);
}

static const char *label_of(builder *b, search_facet f, const char *key,
	label_how how, const char *arg)
{
	if ((b->ln + 1) * 2 > b->lcap) {
		size_t cap = b->lcap ? b->lcap * 2 : 256;
		label_slot *ls = xcalloc(cap, sizeof *ls);
		for (size_t i = 0; i < b->lcap; i++)
			if (b->ls[i].key) {
				size_t j = key_hash(b->ls[i].facet, b->ls[i].key) &
					(cap - 1);
				while (ls[j].key)
					j = (j + 1) & (cap - 1);
				ls[j] = b->ls[i];
			}
		free(b->ls);
		b->ls = ls;
		b->lcap = cap;
	}
	size_t j = key_hash(f, key) & (b->lcap - 1);
	while (b->ls[j].key) {
		if (b->ls[j].facet == f && strcmp(b->ls[j].key, key) == 0)
			return b->ls[j].label;
		j = (j + 1) & (b->lcap - 1);
	}
	b->ls[j] = (label_slot){ key, make_label(b, how, key, arg), f };
	b->ln++;
	return b->ls[j].label;
}

static void field(builder *b, const char *s, unsigned weight)
{
	if (s && *s && b->nf < ARRAY_LEN(b->f))
		b->f[b->nf++] = (search_field){ s, strlen(s), weight };
}

static void field_list(builder *b, const strlist *l, unsigned weight)
{
	for (size_t i = 0; i < l->n; i++)
		field(b, l->items[i], weight);
}

static void tag_how(builder *b, search_facet f, const char *key,
	label_how how, const char *arg)
{
	if (key && *key && b->nt < ARRAY_LEN(b->t))
		b->t[b->nt++] = (search_tag){ f, key, label_of(b, f, key, how,
			arg) };
}

static void tag(builder *b, search_facet f, const char *key, const char *label)
{
	tag_how(b, f, key, L_COPY, label);
}

static void tag_list(builder *b, search_facet f, const strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		tag_how(b, f, l->items[i], L_PAGES, NULL);
}

static void finish(builder *b, search_input *in)
{
	in->nfields = b->nf;
	in->fields = arena_alloc(b->a, (b->nf + 1) * sizeof *in->fields);
	memcpy(in->fields, b->f, b->nf * sizeof *in->fields);
	in->ntags = b->nt;
	in->tags = arena_alloc(b->a, (b->nt + 1) * sizeof *in->tags);
	memcpy(in->tags, b->t, b->nt * sizeof *in->tags);
	b->nf = b->nt = 0;
}

static const char *const kind_keys[DOC_KIND_COUNT] = { "case-study",
	"enquiry", "dissemination", "page" };
static const char *const kind_labels[DOC_KIND_COUNT] = { "Case study",
	"Enquiry", "Dissemination", "Page" };

static const double kind_boost[DOC_KIND_COUNT] = { 1.0, 0.9, 0.85, 0.85 };

/* a, sep and b, one string in the arena (arena_printf costs more, and
 * this runs per document). */
static const char *join(arena *ar, const char *a, const char *sep,
	const char *b)
{
	size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
	char *s = arena_alloc(ar, na + ns + nb + 1);
	memcpy(s, a, na);
	memcpy(s + na, sep, ns);
	memcpy(s + na + ns, b, nb + 1);
	return s;
}

static void from_doc(builder *b, const doc *d, search_input *in)
{
	in->boost = kind_boost[d->kind];
	in->title = d->title;
	in->url = d->kind == DOC_PAGE ? arena_printf(b->a, "%s/", d->slug) :
		d->url;
	in->kind = d->kind == DOC_DISSEMINATION && d->kind_name ?
		arena_strdup(b->a, pages_label(d->kind_name)) :
		kind_labels[d->kind];
	in->excerpt = d->md.excerpt ? d->md.excerpt : "";
	in->meta = d->alliance ? (*d->date ? join(b->a, d->alliance->name,
		" · ", d->date) : d->alliance->name) : d->date;

	field(b, d->title, SEARCH_W_TITLE);
	field(b, d->question, SEARCH_W_TITLE);
	for (size_t i = 0; i < d->md.nheadings; i++)
		field(b, d->md.headings[i].text, SEARCH_W_HEADING);
	field(b, d->focus, SEARCH_W_META);
	field_list(b, &d->research_questions, SEARCH_W_META);
	field_list(b, &d->tags, SEARCH_W_META);
	field_list(b, &d->subjects, SEARCH_W_META);
	field_list(b, &d->key_stages, SEARCH_W_META);
	field_list(b, &d->schools, SEARCH_W_BODY);
	field_list(b, &d->authors, SEARCH_W_BODY);
	for (size_t i = 0; i < d->nclaims; i++)
		field(b, d->claims[i].claim->title, SEARCH_W_META);
	if (d->alliance) {
		field(b, d->alliance->name, SEARCH_W_META);
		field_list(b, &d->alliance->aliases, SEARCH_W_META);
	}
	field(b, d->md.text, SEARCH_W_BODY);

	tag(b, SEARCH_FACET_TYPE, kind_keys[d->kind], kind_labels[d->kind]);
	for (size_t i = 0; i < d->nclaims; i++)
		tag_how(b, SEARCH_FACET_CLAIM, d->claims[i].claim->id, L_CLAIM,
			d->claims[i].claim->title);
	tag_how(b, SEARCH_FACET_THEME, d->theme, L_THEME, NULL);
	tag_list(b, SEARCH_FACET_PHASE, &d->phases);
	tag_list(b, SEARCH_FACET_SUBJECT, &d->subjects);
	tag_list(b, SEARCH_FACET_KEY_STAGE, &d->key_stages);
	if (d->alliance)
		tag(b, SEARCH_FACET_ALLIANCE, d->alliance->slug, d->alliance->name);
	if (d->kind == DOC_ENQUIRY && d->c2l != C2L_NONE)
		tag_how(b, SEARCH_FACET_C2L, c2l_phase_name(d->c2l), L_PAGES,
			NULL);
	finish(b, in);
}

static void from_claim(builder *b, const claim *c, search_input *in)
{
	in->title = arena_printf(b->a, "%s: %s", c->id, c->title);
	in->url = arena_printf(b->a, "claims/%s/", c->id);
	in->kind = "Claim";
	in->boost = 0.75;
	in->excerpt = c->summary ? c->summary : "";
	in->meta = c->set->short_title ? c->set->short_title : c->set->title;
	field(b, c->title, SEARCH_W_TITLE);
	field(b, c->id, SEARCH_W_TITLE);
	field(b, c->summary, SEARCH_W_BODY);
	field_list(b, &c->keywords, SEARCH_W_META);
	tag(b, SEARCH_FACET_TYPE, "claim", "Claim");
	tag_how(b, SEARCH_FACET_CLAIM, c->id, L_CLAIM, c->title);
	finish(b, in);
}

static void from_alliance(builder *b, const alliance *al, search_input *in)
{
	in->title = al->name;
	in->url = al->url;
	in->kind = "Alliance";
	in->boost = 0.9;
	in->excerpt = al->context ? al->context : "";
	in->meta = al->region ? al->region : "";
	field(b, al->name, SEARCH_W_TITLE);
	field_list(b, &al->aliases, SEARCH_W_TITLE);
	field(b, al->region, SEARCH_W_META);
	field(b, al->hei_partner, SEARCH_W_META);
	field(b, al->context, SEARCH_W_BODY);
	for (size_t i = 0; i < al->nschools; i++)
		field(b, al->schools[i].name, SEARCH_W_BODY);
	tag(b, SEARCH_FACET_TYPE, "alliance", "Alliance");
	tag(b, SEARCH_FACET_ALLIANCE, al->slug, al->name);
	finish(b, in);
}

search_input *search_inputs_from_model(const model *m, arena *a, size_t *n)
{
	size_t total = m->nalliances;
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		total += m->ndocs[k];
	for (size_t s = 0; s < m->nsets; s++)
		total += m->sets[s].nclaims;
	search_input *in = arena_alloc(a, (total + 1) * sizeof *in);
	builder *b = xcalloc(1, sizeof *b);
	b->a = a;
	size_t at = 0;
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		for (size_t i = 0; i < m->ndocs[k]; i++)
			from_doc(b, &m->docs[k][i], &in[at++]);
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++)
			from_claim(b, &m->sets[s].claims[c], &in[at++]);
	for (size_t i = 0; i < m->nalliances; i++)
		from_alliance(b, &m->alliances[i], &in[at++]);
	free(b->ls);
	free(b);
	*n = at;
	return in;
}
