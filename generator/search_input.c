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

/* Grows with arena copies: the inputs live as long as the arena. */
typedef struct {
	arena *a;
	search_field f[64];
	size_t nf;
	search_tag t[128];
	size_t nt;
} builder;

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

static void tag(builder *b, search_facet f, const char *key, const char *label)
{
	if (key && *key && b->nt < ARRAY_LEN(b->t))
		b->t[b->nt++] = (search_tag){ f, key, arena_strdup(b->a,
			label ? label : key) };
}

static void tag_list(builder *b, search_facet f, const strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		tag(b, f, l->items[i], pages_label(l->items[i]));
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
	in->meta = d->alliance ? (*d->date ? arena_printf(b->a, "%s · %s",
		d->alliance->name, d->date) : d->alliance->name) : d->date;

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
		tag(b, SEARCH_FACET_CLAIM, d->claims[i].claim->id,
			arena_printf(b->a, "%s: %s", d->claims[i].claim->id,
				d->claims[i].claim->title));
	tag(b, SEARCH_FACET_THEME, d->theme, pages_theme_label(d->theme));
	tag_list(b, SEARCH_FACET_PHASE, &d->phases);
	tag_list(b, SEARCH_FACET_SUBJECT, &d->subjects);
	tag_list(b, SEARCH_FACET_KEY_STAGE, &d->key_stages);
	if (d->alliance)
		tag(b, SEARCH_FACET_ALLIANCE, d->alliance->slug, d->alliance->name);
	if (d->kind == DOC_ENQUIRY && d->c2l != C2L_NONE)
		tag(b, SEARCH_FACET_C2L, c2l_phase_name(d->c2l),
			pages_label(c2l_phase_name(d->c2l)));
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
	tag(b, SEARCH_FACET_CLAIM, c->id, arena_printf(b->a, "%s: %s", c->id,
		c->title));
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
	free(b);
	*n = at;
	return in;
}
