/*
 * plugin_site: the site, its claim sets, claims and alliances as Lua
 * tables (site.claims, site.claim_by_id, site.case_studies, ...).
 */
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

/* ---- claims, sets, alliances */

void make_claim(plugin *p, const claim *c)
{
	lua_State *L = p->L;
	lua_createtable(L, 0, 8);
	set_str(L, "id", c->id);
	set_int(L, "number", c->number);
	set_str(L, "title", c->title);
	set_str(L, "summary", c->summary);
	set_str(L, "path", c->set->path);
	set_int(L, "line", c->line);
	api_push_strlist(L, &c->keywords);
	lua_setfield(L, -2, "keywords");
}

int claim_index(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	int type;
	claim *c = object_of(L, 1, &type);
	const char *k = lua_tostring(L, 2);
	if (!c || !k)
		return 0;
	if (strcmp(k, "data") == 0) {
		if (!p->m)
			return 0;
		push_data(p, c, OBJ_CLAIM);
		return 1;
	}
	if (strcmp(k, "set") != 0)
		return 0;
	push_object(p, c->set, OBJ_SET);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1); /* not through __newindex */
	return 1;
}

void make_set(plugin *p, const claim_set *s)
{
	lua_State *L = p->L;
	lua_createtable(L, 0, 9);
	set_str(L, "id", s->id);
	set_str(L, "path", s->path);
	set_str(L, "title", s->title);
	set_str(L, "short_title", s->short_title);
	set_str(L, "source", s->source);
	set_str(L, "version", s->version);
	if (s->theme)
		set_int(L, "theme", s->theme);
}

void fill_set(plugin *p, const claim_set *s)
{
	lua_State *L = p->L;
	lua_createtable(L, (int)s->nclaims, 0);
	for (size_t i = 0; i < s->nclaims; i++) {
		push_object(p, &s->claims[i], OBJ_CLAIM);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "claims");
}

void make_alliance(plugin *p, const alliance *al)
{
	lua_State *L = p->L;
	lua_createtable(L, 0, 10);
	set_str(L, "slug", al->slug);
	set_str(L, "path", al->path);
	set_str(L, "url", al->url);
	set_str(L, "name", al->name);
	set_str(L, "region", al->region);
	set_str(L, "context", al->context);
	set_str(L, "website", al->website);
	if (al->cohort)
		set_int(L, "cohort", al->cohort);
	api_push_strlist(L, &al->aliases);
	lua_setfield(L, -2, "aliases");
	lua_createtable(L, (int)al->nschools, 0);
	for (size_t i = 0; i < al->nschools; i++) {
		lua_createtable(L, 0, 3);
		set_str(L, "name", al->schools[i].name);
		set_str(L, "phase", al->schools[i].phase);
		set_str(L, "role", al->schools[i].role);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "schools");
}

/* ---- the site */


void make_site(plugin *p)
{
	lua_State *L = p->L;
	const site_config *s = &p->m->site;
	lua_createtable(L, 0, 20);
	set_str(L, "title", s->title);
	set_str(L, "base_url", s->base_url);
	set_str(L, "language", s->language);
	set_str(L, "description", s->description);
	set_str(L, "theme", s->theme);
	set_str(L, "licence", s->licence);
	set_str(L, "contact", s->contact);
	api_push_strlist(L, &s->plugins);
	lua_setfield(L, -2, "plugins");
	lua_pushcfunction(L, api_add_page);
	lua_setfield(L, -2, "add_page");
	lua_pushcfunction(L, claim_counts);
	lua_setfield(L, -2, "claim_counts");
}

int site_index(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	int type;
	model *m = object_of(L, 1, &type);
	const char *k = lua_tostring(L, 2);
	if (!m || !k)
		return 0;
	static const char *const kinds[] = { "case_studies", "enquiries",
		"dissemination", "pages" };
	if (strcmp(k, "data") == 0) {
		push_data(p, m, OBJ_SITE);
		return 1;
	}
	bool found = false;
	for (int i = 0; i < DOC_KIND_COUNT; i++)
		if (strcmp(k, kinds[i]) == 0) {
			push_doc_array(p, m->docs[i], m->ndocs[i]);
			found = true;
		}
	if (found) {
	} else if (strcmp(k, "docs") == 0) {
		lua_newtable(L);
		lua_Integer n = 0;
		for (int i = 0; i < DOC_KIND_COUNT; i++)
			for (size_t j = 0; j < m->ndocs[i]; j++) {
				push_object(p, &m->docs[i][j], OBJ_DOC);
				lua_rawseti(L, -2, ++n);
			}
	} else if (strcmp(k, "claim_sets") == 0) {
		lua_createtable(L, (int)m->nsets, 0);
		for (size_t i = 0; i < m->nsets; i++) {
			push_object(p, &m->sets[i], OBJ_SET);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else if (strcmp(k, "claims") == 0 || strcmp(k, "claim_by_id") == 0) {
		bool list = strcmp(k, "claims") == 0;
		lua_newtable(L);
		lua_Integer n = 0;
		for (size_t i = 0; i < m->nsets; i++)
			for (size_t c = 0; c < m->sets[i].nclaims; c++) {
				push_object(p, &m->sets[i].claims[c], OBJ_CLAIM);
				if (list)
					lua_rawseti(L, -2, ++n);
				else
					lua_setfield(L, -2, m->sets[i].claims[c].id);
			}
	} else if (strcmp(k, "alliances") == 0) {
		lua_createtable(L, (int)m->nalliances, 0);
		for (size_t i = 0; i < m->nalliances; i++) {
			push_object(p, &m->alliances[i], OBJ_ALLIANCE);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else {
		return 0;
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1); /* not through __newindex */
	return 1;
}

