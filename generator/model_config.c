/*
 * model_config: site.yaml, claim frameworks (claims/<set>.yaml) and
 * alliances (alliances/<slug>.yaml).
 */
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "model_int.h"
#include "util.h"

/* primary_colour and logo: the theme's brand settings. A colour that
 * white text cannot be read on is reported (the theme puts white text on
 * it and uses it for links on white). */
static void read_brand(model *m, fields *r, const value *root)
{
	site_config *s = &m->site;
	const char *colour = fields_str(r, "primary_colour", false);
	int rgb[3];
	static const int white[3] = { 255, 255, 255 };
	if (colour && !colour_parse(colour, rgb)) {
		fields_report(r, DIAG_ERROR, value_get(root, "primary_colour"),
			"'primary_colour' must be a hex colour such as '#1d70b8', not '%s'",
			colour);
	} else if (colour && colour_contrast(rgb, white) < COLOUR_MIN_CONTRAST) {
		fields_report(r, DIAG_ERROR, value_get(root, "primary_colour"),
			"'primary_colour' %s has a contrast of %.2f:1 with white; "
			"links and white text on it need at least %.1f:1 (WCAG 2.2 AA): "
			"choose a darker colour", colour, colour_contrast(rgb, white),
			COLOUR_MIN_CONTRAST);
	} else {
		s->primary_colour = colour;
	}
	const char *logo = fields_str(r, "logo", false);
	if (logo && (strncmp(logo, "static/", 7) != 0 || strstr(logo, "..") ||
		!m->src || !source_find(m->src, logo))) {
		fields_report(r, DIAG_ERROR, value_get(root, "logo"),
			"'logo' file '%s' is not in the %s (it must be under static/)",
			logo, m->src ? source_describe(m->src) : "source");
	} else {
		s->logo = logo;
	}
}

void model_read_site(model *m, parse_cache *pc, const source_file *f,
	diag_list *d)
{
	site_config *s = &m->site;
	const value *root = f ? model_read_yaml(&m->arena, pc, f, d) : NULL;
	if (!f) {
		diag_add(d, DIAG_ERROR, "site.yaml", 0, 0,
			"missing site settings: every content root needs a 'site.yaml'");
	}
	fields r;
	fields_begin(&r, &m->arena, d, "site.yaml", root, 1, 1, "site.yaml");
	if (f && root)
		s->title = fields_str(&r, "title", true);
	s->base_url = fields_str(&r, "base_url", f && root);
	if (s->base_url && (strncmp(s->base_url, "https://", 8) != 0 &&
		strncmp(s->base_url, "http://", 7) != 0)) {
		fields_report(&r, DIAG_ERROR, value_get(root, "base_url"),
			"'base_url' must be an absolute http(s) URL");
		s->base_url = NULL;
	} else if (s->base_url && s->base_url[strlen(s->base_url) - 1] != '/') {
		fields_report(&r, DIAG_WARNING, value_get(root, "base_url"),
			"'base_url' should end with '/'");
		s->base_url = arena_printf(&m->arena, "%s/", s->base_url);
	}
	s->language = fields_str(&r, "language", false);
	s->description = fields_str(&r, "description", false);
	s->theme = fields_str(&r, "theme", false);
	s->licence = fields_str(&r, "licence", false);
	s->contact = fields_str(&r, "contact", false);
	s->plugins = fields_strlist(&r, "plugins", false);
	s->claim_sets = fields_strlist(&r, "claim_sets", false);
	s->unsafe_html = fields_bool(&r, "unsafe_html", false);
	read_brand(m, &r, root);
	fields_end(&r);
	if (!s->title)
		s->title = "Untitled knowledge base";
	if (!s->base_url)
		s->base_url = "/";
	if (!s->language)
		s->language = "en-GB";
	if (!s->theme)
		s->theme = "default";
	if (!s->licence)
		s->licence = "";
	if (!s->description)
		s->description = "";
	for (size_t i = 0; s->theme[i]; i++) {
		char c = s->theme[i];
		if (c == '/' || c == '.') {
			diag_add(d, DIAG_ERROR, "site.yaml", 0, 0,
				"bad theme name '%s'", s->theme);
			s->theme = "default";
			break;
		}
	}
}

static void read_claims(model *m, claim_set *set, const value *list,
	fields *r)
{
	if (!list)
		return;
	if (list->kind != VALUE_LIST) {
		fields_report(r, DIAG_ERROR, list, "'claims' must be a list");
		return;
	}
	set->claims = arena_alloc(&m->arena, list->u.list.n * sizeof(claim) + 1);
	for (size_t i = 0; i < list->u.list.n; i++) {
		const value *item = list->u.list.items[i];
		fields c;
		fields_begin(&c, &m->arena, r->d, set->path, item, item->line,
			item->col, "a claim");
		if (!c.map) {
			continue;
		}
		claim *cl = &set->claims[set->nclaims];
		memset(cl, 0, sizeof *cl);
		cl->set = set;
		cl->line = item->line;
		cl->number = (int)fields_int(&c, "number", 1, 999, 0, true);
		cl->title = fields_str(&c, "title", true);
		cl->summary = fields_str(&c, "summary", false);
		cl->keywords = fields_strlist(&c, "keywords", false);
		fields_get(&c, "levels"); /* maturity models; shown by plugins */
		fields_end(&c);
		if (!cl->number || !cl->title)
			continue;
		for (size_t k = 0; k < set->nclaims; k++) {
			if (set->claims[k].number == cl->number) {
				fields_report(&c, DIAG_ERROR, value_get(item, "number"),
					"duplicate claim number %d in '%s'",
					cl->number, set->id);
				cl = NULL;
				break;
			}
		}
		if (!cl)
			continue;
		if (!cl->summary)
			cl->summary = "";
		cl->id = arena_printf(&m->arena, "%s-%d", set->id, cl->number);
		set->nclaims++;
	}
}

static const source_file *find_set_file(const source_file **files, size_t n,
	const char *id)
{
	for (size_t i = 0; i < n; i++) {
		slice s = model_slug_of(files[i]->path);
		if (slice_eq(s, id))
			return files[i];
	}
	return NULL;
}

void model_read_claim_sets(model *m, parse_cache *pc,
	const source_file **files, size_t n, diag_list *d)
{
	/* Sets load in the order site.yaml lists them; without a list, every
	 * file in claims/ loads, in name order. */
	const strlist *want = &m->site.claim_sets;
	size_t max = want->n ? want->n : n;
	m->sets = arena_alloc(&m->arena, (max + 1) * sizeof(claim_set));
	for (size_t i = 0; i < max; i++) {
		const source_file *f = want->n ? find_set_file(files, n, want->items[i])
			: files[i];
		if (!f) {
			diag_add(d, DIAG_ERROR, "site.yaml", 0, 0,
				"claim set '%s' is listed in 'claim_sets' but 'claims/%s.yaml' does not exist",
				want->items[i], want->items[i]);
			continue;
		}
		const value *root = model_read_yaml(&m->arena, pc, f, d);
		if (!root)
			continue;
		claim_set *set = &m->sets[m->nsets];
		memset(set, 0, sizeof *set); /* the slot of a rejected set is reused */
		set->path = f->path;
		fields r;
		fields_begin(&r, &m->arena, d, f->path, root, 1, 1, "a claim set");
		set->id = fields_str(&r, "id", true);
		slice slug = model_slug_of(f->path);
		if (set->id && !slice_eq(slug, set->id)) {
			fields_report(&r, DIAG_ERROR, value_get(root, "id"),
				"claim set id '%s' must equal the file name '%.*s'",
				set->id, (int)slug.n, slug.p);
			set->id = NULL;
		}
		set->title = fields_str(&r, "title", true);
		set->short_title = fields_str(&r, "short_title", false);
		set->source = fields_str(&r, "source", false);
		set->version = fields_str(&r, "version", false);
		set->theme = (int)fields_int(&r, "theme", 0, 99, 0, false);
		fields_get(&r, "description");
		fields_get(&r, "levels");
		read_claims(m, set, fields_get(&r, "claims"), &r);
		if (!value_get(root, "claims"))
			diag_add(d, DIAG_ERROR, f->path, 1, 1,
				"missing required field 'claims'");
		fields_end(&r);
		if (!set->id || !set->title)
			continue;
		if (!set->short_title)
			set->short_title = set->title;
		if (!set->source)
			set->source = "";
		m->nsets++;
	}
	if (want->n) {
		for (size_t i = 0; i < n; i++) {
			slice s = model_slug_of(files[i]->path);
			bool listed = false;
			for (size_t k = 0; k < want->n && !listed; k++)
				listed = slice_eq(s, want->items[k]);
			if (!listed)
				diag_add(d, DIAG_WARNING, files[i]->path, 0, 0,
					"claim set not listed in 'claim_sets' of site.yaml; not loaded");
		}
	}
}

static const char *const school_phases[] = { "early-years", "primary",
	"secondary", "special", "all-through", "post-16", NULL };
static const char *const school_roles[] = { "lead", "teaching-school",
	"partner", NULL };

static void read_schools(model *m, alliance *al, const value *list, fields *r)
{
	if (!list)
		return;
	if (list->kind != VALUE_LIST) {
		fields_report(r, DIAG_ERROR, list, "'schools' must be a list");
		return;
	}
	al->schools = arena_alloc(&m->arena, list->u.list.n * sizeof(school) + 1);
	for (size_t i = 0; i < list->u.list.n; i++) {
		const value *item = list->u.list.items[i];
		fields s;
		fields_begin(&s, &m->arena, r->d, al->path, item, item->line,
			item->col, "a school");
		school sc = { 0 };
		sc.name = fields_str(&s, "name", s.map != NULL);
		sc.phase = fields_enum(&s, "phase", school_phases, false);
		sc.role = fields_enum(&s, "role", school_roles, false);
		fields_get(&s, "urn");
		fields_get(&s, "website");
		fields_end(&s);
		if (sc.name)
			al->schools[al->nschools++] = sc;
	}
}

static int by_slug(const void *pa, const void *pb)
{
	const alliance *a = *(alliance *const *)pa, *b = *(alliance *const *)pb;
	return strcmp(a->slug, b->slug);
}

/* model_find_alliance's index; the slugs are unique (a duplicate is an
 * error, and dropped). */
static void index_alliances(model *m)
{
	m->alliances_by_slug = arena_alloc(&m->arena,
		(m->nalliances + 1) * sizeof(alliance *));
	for (size_t i = 0; i < m->nalliances; i++)
		m->alliances_by_slug[i] = &m->alliances[i];
	qsort(m->alliances_by_slug, m->nalliances, sizeof(alliance *), by_slug);
}

void model_read_alliances(model *m, parse_cache *pc,
	const source_file **files, size_t n, diag_list *d)
{
	m->alliances = arena_alloc(&m->arena, (n + 1) * sizeof(alliance));
	for (size_t i = 0; i < n; i++) {
		const value *root = model_read_yaml(&m->arena, pc, files[i], d);
		if (!root)
			continue;
		alliance *al = &m->alliances[m->nalliances];
		memset(al, 0, sizeof *al); /* the slot of a rejected one is reused */
		slice slug = model_slug_of(files[i]->path);
		al->slug = arena_strndup(&m->arena, slug.p, slug.n);
		al->path = files[i]->path;
		al->url = arena_printf(&m->arena, "alliances/%s/", al->slug);
		fields r;
		fields_begin(&r, &m->arena, d, al->path, root, 1, 1, "an alliance");
		al->name = fields_str(&r, "name", true);
		al->aliases = fields_strlist(&r, "aliases", false);
		al->region = fields_str(&r, "region", false);
		al->cohort = (int)fields_int(&r, "cohort", 1, 99, 0, false);
		al->context = fields_str(&r, "context", false);
		al->website = fields_str(&r, "website", false);
		al->hei_partner = fields_str(&r, "hei_partner", false);
		const value *contact = fields_get(&r, "contact");
		if (contact && value_is_scalar(contact)) {
			al->contact_email = value_text(contact);
		} else if (contact) {
			fields c;
			fields_begin(&c, &m->arena, d, al->path, contact,
				contact->line, contact->col, "'contact'");
			al->contact_name = fields_str(&c, "name", false);
			al->contact_email = fields_str(&c, "email", false);
			fields_get(&c, "role");
			fields_get(&c, "phone");
			fields_end(&c);
		}
		read_schools(m, al, fields_get(&r, "schools"), &r);
		fields_end(&r);
		if (!al->name)
			continue;
		for (size_t k = 0; k < m->nalliances; k++) {
			if (strcmp(m->alliances[k].slug, al->slug) == 0) {
				diag_add(d, DIAG_ERROR, al->path, 0, 0,
					"duplicate alliance '%s' (also '%s')",
					al->slug, m->alliances[k].path);
				al = NULL;
				break;
			}
		}
		if (al)
			m->nalliances++;
	}
	index_alliances(m);
}
