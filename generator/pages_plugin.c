/*
 * pages_plugin: what plugins add to the site. Pages made in on_pages
 * (model's plugin_pages) join the plan as PAGE_PLUGIN, with the plugin's
 * data under `data`; what plugins leave in doc.data, claim.data and
 * site.data appears as `doc.data`, `claim.data` and `site.data` on the
 * pages that show them (docs/templates.md).
 */
#include <string.h>

#include "pages_int.h"
#include "util.h"

/* templates: the theme's (NULL: not checked); a page naming a template
 * the theme lacks fails here, naming the plugin, not later in render. */
int pages_add_plugin_pages(pages *p, const mustache_set *templates,
	diag_list *d)
{
	const model *m = p->m;
	int rc = 0;
	for (size_t i = 0; i < m->nplugin_pages; i++) {
		const plugin_page *pp = &m->plugin_pages[i];
		size_t n = strlen(pp->url);
		const char *file = pp->url[n - 1] == '/' ?
			arena_printf(&p->arena, "%sindex.html", pp->url) : pp->url;
		bool taken = false;
		for (size_t j = 0; j < p->n && !taken; j++)
			taken = strcmp(p->items[j].file, file) == 0;
		if (templates && !mustache_set_has(templates, pp->template)) {
			diag_add(d, DIAG_ERROR, pp->plugin, 0, 0, "page '%s' names "
				"template '%s', which the theme does not have", pp->url,
				pp->template);
			rc = -1;
			continue;
		}
		if (taken) {
			diag_add(d, DIAG_ERROR, pp->plugin, 0, 0, "page '%s' is "
				"already a page of the site", pp->url);
			rc = -1;
			continue;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 256;
			p->items = xrealloc(p->items, p->cap * sizeof *p->items);
		}
		page *pg = &p->items[p->n++];
		memset(pg, 0, sizeof *pg);
		pg->type = PAGE_PLUGIN;
		pg->template = pp->template;
		pg->url = pp->url;
		pg->file = file;
		pg->subject = pp;
		pg->pageno = pg->npages = 1;
	}
	return rc;
}

void pages_plugin_data(const pages *p, const page *pg, arena *a, value *data)
{
	const plugin_page *pp = pg->subject;
	value_set(a, data, "data", pp->data);
}

/* Adds key "data" to the map under key in data, when there is one. */
static void add_data(arena *a, value *data, const char *key, value *v)
{
	value *map = value_get(data, key);
	if (v && map && map->kind == VALUE_MAP)
		value_set(a, map, "data", v);
}

void pages_plugin_extras(const pages *p, const page *pg, arena *a,
	value *data)
{
	/* The maps under doc and claim are made per page, so adding to them
	 * changes no shared value; site.data is in the shared site map
	 * (pages.c). */
	if (pg->type == PAGE_DOC)
		add_data(a, data, "doc", ((const doc *)pg->subject)->data);
	else if (pg->type == PAGE_CLAIM)
		add_data(a, data, "claim", ((const claim *)pg->subject)->data);
}
