/*
 * pages_docs: the page of one document: a case study, an enquiry, a
 * dissemination item or a free page. Each starts from the document's card
 * (docs/templates.md) and adds what only its own page shows.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "cite.h"
#include "hashkey.h"
#include "pages_int.h"
#include "util.h"

static void set_strlist(arena *a, value *map, const char *key,
	const strlist *l)
{
	pages_set_list(a, map, key, pages_strlist(a, l));
}

/* The schools a document names, with phase and role from its alliance. */
static value *schools(arena *a, const doc *d)
{
	value *list = value_list(a);
	for (size_t i = 0; i < d->schools.n; i++) {
		value *s = value_map(a);
		pages_put_ref(a, s, "name", d->schools.items[i]);
		for (size_t k = 0; d->alliance && k < d->alliance->nschools; k++) {
			const school *sc = &d->alliance->schools[k];
			if (strcmp(sc->name, d->schools.items[i]) != 0)
				continue;
			if (sc->phase)
				pages_put_str(a, s, "phase_label",
					pages_label(sc->phase));
			if (sc->role)
				pages_put_str(a, s, "role_label",
					pages_label(sc->role));
		}
		value_push(a, list, s);
	}
	return list;
}

/* "evidence-<n>-chart" in id (of at least 48 bytes), without printf
 * (every case study's page, every rebuild). */
static void evidence_chart_id(char *id, size_t n)
{
	char digits[24], *p = digits + sizeof digits;
	*--p = '\0';
	do
		*--p = (char)('0' + n % 10);
	while (n /= 10);
	memcpy(id, "evidence-", 9);
	size_t nd = (size_t)(digits + sizeof digits - 1 - p);
	memcpy(id + 9, p, nd);
	memcpy(id + 9 + nd, "-chart", 7);
}

/* The document's evidence records, each with its chart (an SVG, drawn
 * here rather than shared: only the document's own page shows it). A
 * chart is a keyed string (incremental.h): with keyed set it is left
 * empty, its key standing for it, as only the fingerprint is wanted. */
static void evidence_list(const pages *p, const doc *d, arena *a, value *v,
	bool keyed)
{
	value *list = value_list(a);
	buf svg = BUF_INIT;
	bool any = false;
	for (size_t i = 0; i < d->nevidence; i++) {
		value *ev = pages_evidence(p, &d->evidence[i]);
		buf_clear(&svg);
		char id[48];
		evidence_chart_id(id, i + 1);
		unsigned long long key = chart_evidence_key(&d->evidence[i], id);
		if (key) {
			bool drawn = keyed ||
				chart_evidence(&svg, &d->evidence[i], id);
			assert(drawn); /* the key says there is a chart */
			(void)drawn;
			ev = pages_extend(a, ev, "chart", value_string_keyed(a,
				svg.p ? svg.p : "", svg.len, key));
			any = true;
		}
		value_push(a, list, ev);
	}
	buf_release(&svg);
	pages_put_list(a, v, "evidence", list);
	pages_put_bool(a, v, "has_charts", any);
}

static void write_cite(buf *b, const cite_info *ci, const char *format)
{
	if (strcmp(format, "harvard") == 0)
		cite_harvard_html(b, ci);
	else if (strcmp(format, "apa") == 0)
		cite_apa_html(b, ci);
	else if (strcmp(format, "ris") == 0)
		cite_ris(b, ci);
	else
		cite_bibtex(b, ci);
}

value *pages_cite_text(const pages *p, const doc *d, const char *format,
	arena *a, bool keyed)
{
	unsigned long long key = cite_format_key(pages_cite_inputs(p, d),
		format);
	if (keyed)
		return value_string_keyed(a, "", 0, key);
	cite_info ci = pages_cite_info(p, d, a);
	buf b = BUF_INIT;
	write_cite(&b, &ci, format);
	value *v = value_string_keyed(a, b.p ? b.p : "", b.len, key);
	buf_release(&b);
	return v;
}

/* How to cite a case study: formatted references and the record files. */
static value *cite(const pages *p, const doc *d, arena *a, bool keyed)
{
	value *c = value_map(a);
	pages_put(a, c, "harvard", pages_cite_text(p, d, "harvard", a, keyed));
	pages_put(a, c, "apa", pages_cite_text(p, d, "apa", a, keyed));
	pages_put_ref(a, c, "bibtex_url", pages_concat(a, d->url, "cite.bib"));
	pages_put_ref(a, c, "ris_url", pages_concat(a, d->url, "cite.ris"));
	return c;
}

static value *contact(arena *a, const alliance *al)
{
	value *c = value_map(a);
	pages_put_ref(a, c, "alliance", al->name);
	pages_put_ref(a, c, "alliance_url", al->url);
	if (al->contact_name)
		pages_put_ref(a, c, "name", al->contact_name);
	if (al->contact_email)
		pages_put_ref(a, c, "email", al->contact_email);
	if (al->website)
		pages_put_ref(a, c, "website", al->website);
	return c;
}

/* "key": "text", skipping empty text. */
static void json_field(buf *b, const char *key, const char *text)
{
	if (!text || !*text)
		return;
	buf_putc(b, ',');
	buf_put_json(b, key);
	buf_putc(b, ':');
	buf_put_json(b, text);
}

void pages_claim_jsonld(buf *b, const site_config *site, const claim *c)
{
	buf_puts(b, "{\"@type\":\"DefinedTerm\",\"termCode\":");
	buf_put_json(b, c->id);
	json_field(b, "name", c->title);
	char *curl = xasprintf("%sclaims/%s/", site->base_url, c->id);
	json_field(b, "url", curl);
	free(curl);
	buf_puts(b, ",\"inDefinedTermSet\":{\"@type\":\"DefinedTermSet\",\"name\":");
	buf_put_json(b, c->set->title);
	json_field(b, "citation", c->set->source);
	buf_puts(b, "}}");
}

/* Bump when json_ld writes anything differently (a keyed string). */
#define JSONLD_VERSION 1

/* Writes JSON into b (NULL: nothing) and each input it shows into k, in
 * order, with the counts of its lists and whether optional parts are
 * there: a key made by the very calls that write, so it cannot miss an
 * input. The literal JSON around them is the program's, which the build
 * key holds. */
typedef struct {
	buf *b;
	hashkey *k;
} json_writer;

static void jw_lit(json_writer *w, const char *s)
{
	if (w->b)
		buf_puts(w->b, s);
}

static void jw_str(json_writer *w, const char *s)
{
	hashkey_str(w->k, s);
	if (w->b)
		buf_put_json(w->b, s);
}

/* A list of n: n counts. */
static void jw_count(json_writer *w, size_t n)
{
	hashkey_u64(w->k, n);
}

/* "key": "text", skipping empty text (key is a literal). */
static void jw_field(json_writer *w, const char *key, const char *text)
{
	hashkey_str(w->k, text);
	if (!w->b || !text || !*text)
		return;
	buf_putc(w->b, ',');
	buf_put_json(w->b, key);
	buf_putc(w->b, ':');
	buf_put_json(w->b, text);
}

/* The same of s and t joined. */
static void jw_field2(json_writer *w, const char *key, const char *s,
	const char *t)
{
	hashkey_str(w->k, s);
	hashkey_str(w->k, t);
	if (!w->b || (!*s && !*t))
		return;
	buf st = BUF_INIT;
	buf_puts(&st, s);
	buf_puts(&st, t);
	buf_putc(w->b, ',');
	buf_put_json(w->b, key);
	buf_putc(w->b, ':');
	buf_put_json(w->b, st.p);
	buf_release(&st);
}

/* schema.org metadata of a case study: a ScholarlyArticle and
 * LearningResource whose claims are DefinedTerms of their framework's
 * DefinedTermSet, so search engines and repositories can index it. A
 * keyed string (incremental.h), left empty when keyed. */
static value *json_ld(const pages *p, const doc *d, arena *a, bool keyed)
{
	const site_config *site = &p->m->site;
	buf b = BUF_INIT;
	hashkey k;
	hashkey_init(&k, "jsonld");
	hashkey_u64(&k, JSONLD_VERSION);
	json_writer jw = { keyed ? NULL : &b, &k }, *w = &jw;
	jw_lit(w, "{\"@context\":\"https://schema.org\","
		"\"@type\":[\"ScholarlyArticle\",\"LearningResource\"]");
	jw_field(w, "headline", d->title);
	jw_field(w, "name", d->title);
	jw_field2(w, "url", site->base_url, d->url);
	jw_field(w, "datePublished", d->date);
	jw_field(w, "dateModified", d->updated);
	jw_field(w, "inLanguage", site->language);
	jw_field(w, "license", d->licence);
	jw_field(w, "abstract", d->md.excerpt);
	jw_field(w, "educationalUse", "professional development");
	jw_lit(w, ",\"author\":[");
	jw_count(w, d->authors.n);
	for (size_t i = 0; i < d->authors.n; i++) {
		jw_lit(w, i ? ",{\"@type\":\"Person\",\"name\":" :
			"{\"@type\":\"Person\",\"name\":");
		jw_str(w, d->authors.items[i]);
		jw_lit(w, "}");
	}
	jw_lit(w, "],\"publisher\":{\"@type\":\"Organization\",\"name\":");
	jw_str(w, site->title);
	jw_lit(w, "}");
	jw_count(w, d->alliance != NULL);
	if (d->alliance) {
		jw_lit(w, ",\"sourceOrganization\":{\"@type\":\"Organization\",\"name\":");
		jw_str(w, d->alliance->name);
		jw_lit(w, "}");
	}
	jw_lit(w, ",\"keywords\":[");
	jw_count(w, d->tags.n);
	for (size_t i = 0; i < d->tags.n; i++) {
		jw_lit(w, i ? "," : "");
		jw_str(w, d->tags.items[i]);
	}
	jw_lit(w, "],\"about\":[");
	jw_count(w, d->nclaims);
	for (size_t i = 0; i < d->nclaims; i++) {
		size_t c = pages_claim_index(p, d->claims[i].claim);
		jw_lit(w, i ? "," : "");
		jw_lit(w, p->claim_jsonld[c]);
		/* Its text's own key: one claim's JSON is in many pages. */
		hashkey_u64(&k, p->claim_jsonld_key[c]);
	}
	jw_lit(w, "]}");
	value *v = value_string_keyed(a, b.p ? b.p : "", b.len,
		hashkey_done(&k));
	buf_release(&b);
	return v;
}

static void case_study(const pages *p, const doc *d, arena *a, value *v,
	bool keyed)
{
	pages_put(a, v, "jsonld", json_ld(p, d, a, keyed));
	if (d->focus)
		pages_put_ref(a, v, "focus", d->focus);
	set_strlist(a, v, "research_questions", &d->research_questions);
	pages_put_list(a, v, "phases", pages_facet_values(p, a, "phase",
		&d->phases));
	pages_put_list(a, v, "subjects", pages_facet_values(p, a, "subject",
		&d->subjects));
	pages_put_list(a, v, "key_stages", pages_facet_values(p, a, "key-stage",
		&d->key_stages));
	if (d->theme)
		pages_put_ref(a, v, "theme_url", pages_concat(a, pages_concat(a,
			"case-studies/theme/", pages_slug(a, d->theme)), "/"));
	pages_put_list(a, v, "related", pages_related(p, d, a, 3));
	pages_put(a, v, "cite", cite(p, d, a, keyed));
	value *nav = value_list(a);
	for (int ph = C2L_IMPLEMENTATION; ph < C2L_COUNT; ph++) {
		int h = d->md.phase_heading[ph];
		if (h < 0)
			continue;
		value *item = value_map(a);
		pages_put_ref(a, item, "name", d->md.headings[h].text);
		pages_put_ref(a, item, "id", d->md.headings[h].id);
		value_push(a, nav, item);
	}
	pages_put_list(a, v, "phase_nav", nav);
	pages_put_list(a, v, "enquiries", pages_card_list(p, a, d->enquiries,
		d->nenquiries));
	pages_put_list(a, v, "dissemination", pages_card_list(p, a,
		d->disseminations, d->ndisseminations));
	if (d->alliance)
		pages_put(a, v, "contact", contact(a, d->alliance));
}

static void enquiry(const pages *p, const doc *d, arena *a, value *v)
{
	pages_put_ref(a, v, "question", d->question);
	if (d->lead)
		pages_put_ref(a, v, "lead", d->lead);
	if (d->started)
		pages_put_ref(a, v, "started", d->started);
	if (d->ended)
		pages_put_ref(a, v, "ended", d->ended);
	if (d->baseline)
		pages_put_ref(a, v, "baseline", d->baseline);
	set_strlist(a, v, "methods", &d->methods);
	if (d->case_study)
		pages_put(a, v, "case_study",
			pages_card(p, d->case_study));
	if (d->alliance)
		pages_put(a, v, "contact", contact(a, d->alliance));
}

static void dissemination(const pages *p, const doc *d, arena *a, value *v)
{
	if (d->link)
		pages_put_ref(a, v, "link", d->link);
	value *files = value_list(a);
	for (size_t i = 0; i < d->files.n; i++) {
		const char *path = d->files.items[i];
		const char *name = strrchr(path, '/');
		value *f = value_map(a);
		pages_put_ref(a, f, "name", name ? name + 1 : path);
		/* static/x is published at /x, as Hugo and Jekyll do. */
		pages_put_ref(a, f, "url", path + strlen("static/"));
		value_push(a, files, f);
	}
	pages_put_list(a, v, "files", files);
	set_strlist(a, v, "audience", &d->audience);
	pages_put_list(a, v, "case_studies", pages_card_list(p, a,
		d->case_studies, d->ncase_studies));
}

void pages_doc_data(const pages *p, const doc *d, arena *a, value *data,
	bool keyed)
{
	value *v = pages_copy(a, pages_card(p, d));
	pages_put_ref(a, v, "html", d->md.html ? d->md.html : "");
	pages_put_int(a, v, "words", (long)d->md.words);
	/* 200 words a minute, at least one minute. */
	pages_put_int(a, v, "reading_minutes", (long)(d->md.words + 199) / 200 ?
		(long)(d->md.words + 199) / 200 : 1);
	set_strlist(a, v, "authors", &d->authors);
	set_strlist(a, v, "tags", &d->tags);
	if (*d->licence)
		pages_put_ref(a, v, "licence", d->licence);
	pages_put_list(a, v, "schools", schools(a, d));
	evidence_list(p, d, a, v, keyed);
	pages_doc_history(d, a, v);
	switch (d->kind) {
	case DOC_CASE_STUDY: case_study(p, d, a, v, keyed); break;
	case DOC_ENQUIRY: enquiry(p, d, a, v); break;
	case DOC_DISSEMINATION: dissemination(p, d, a, v); break;
	default: break;
	}
	pages_put(a, data, "doc", v);
}
