/*
 * plugin_objects: one Lua table per document, claim, claim set, alliance
 * and the site, per plugin state (the same table wherever it appears, so
 * doc.claims[1].claim == site.claim_by_id["pedagogy-1"]). Cheap fields
 * are filled when the table is made (plugin_docs.c, plugin_site.c); the
 * rest on first use through __index. Tables are read-mostly: writes stay
 * in the plugin, except to `data`, whose contents reach the templates
 * (api_sync in plugin_api.c).
 */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

/* Registry keys (their addresses). */
char reg_objects; /* lightuserdata ptr -> table */
char reg_ptrs; /* table -> lightuserdata ptr */
char reg_datas; /* ptr -> the plugin's data table */
char reg_dirty; /* ptr -> OBJ_* of data to copy back */
char reg_commands; /* name -> function */
char reg_mt[OBJ_COUNT];

void set_str(lua_State *L, const char *k, const char *v)
{
	if (!v)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}


/* ---- data: the plugin's table for an object, copied back by api_sync */

value **data_slot(plugin *p, void *ptr, int type)
{
	switch (type) {
	case OBJ_DOC: return &((doc *)ptr)->data;
	case OBJ_CLAIM: return &((claim *)ptr)->data;
	default: return &p->m->data;
	}
}

static void mark_dirty(lua_State *L, const void *ptr, int type)
{
	getreg(L, &reg_dirty);
	lua_pushinteger(L, type);
	lua_rawsetp(L, -2, ptr);
	lua_pop(L, 1);
}

void push_data(plugin *p, void *ptr, int type)
{
	lua_State *L = p->L;
	getreg(L, &reg_datas);
	if (lua_rawgetp(L, -1, ptr) == LUA_TNIL) {
		lua_pop(L, 1);
		const value *v = *data_slot(p, ptr, type);
		if (v)
			api_push_value(L, v, 0);
		else
			lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, -3, ptr);
	}
	lua_remove(L, -2);
	/* Reading it may be the first step of changing it. */
	mark_dirty(L, ptr, type);
}

/* The object behind table idx, or NULL; its OBJ_* in *type. */
void *object_of(lua_State *L, int idx, int *type)
{
	*type = 0;
	if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
		return NULL;
	/* Tables never move, and the registry keeps the metatables. */
	const void *mt = lua_topointer(L, -1);
	lua_pop(L, 1);
	const plugin *p = sandbox_plugin(L);
	for (int t = 1; t < OBJ_COUNT; t++)
		if (p->mt[t] == mt) {
			*type = t;
			break;
		}
	if (!*type)
		return NULL;
	getreg(L, &reg_ptrs);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	void *ptr = lua_touserdata(L, -1);
	lua_pop(L, 2);
	return ptr;
}

static int object_newindex(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	int type;
	void *ptr = object_of(L, 1, &type);
	const char *k = lua_tostring(L, 2);
	if (ptr && k && strcmp(k, "data") == 0 &&
		(type == OBJ_DOC || type == OBJ_CLAIM || type == OBJ_SITE)) {
		luaL_argexpected(L, lua_istable(L, 3), 3, "table");
		if (!p->m)
			return 0;
		getreg(L, &reg_datas);
		lua_pushvalue(L, 3);
		lua_rawsetp(L, -2, ptr);
		mark_dirty(L, ptr, type);
		return 0;
	}
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

/* Pushes the one table of ptr, making it on first use. */
void push_object(plugin *p, const void *ptr, int type)
{
	lua_State *L = p->L;
	luaL_checkstack(L, 8, "too many nested objects");
	getreg(L, &reg_objects);
	if (lua_rawgetp(L, -1, ptr) != LUA_TNIL) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 2);
	switch (type) {
	case OBJ_DOC: make_doc(p, ptr); break;
	case OBJ_CLAIM: make_claim(p, ptr); break;
	case OBJ_SET: make_set(p, ptr); break;
	case OBJ_ALLIANCE: make_alliance(p, ptr); break;
	default: make_site(p); break;
	}
	getreg(L, &reg_mt[type]);
	lua_setmetatable(L, -2);
	getreg(L, &reg_objects);
	lua_pushvalue(L, -2);
	lua_rawsetp(L, -2, ptr);
	lua_pop(L, 1);
	getreg(L, &reg_ptrs);
	lua_pushvalue(L, -2);
	lua_pushlightuserdata(L, (void *)(uintptr_t)ptr); /* read-only */
	lua_rawset(L, -3);
	lua_pop(L, 1);
	/* Filled after registering: a set's claims point back at it. */
	if (type == OBJ_SET)
		fill_set(p, ptr);
}


void api_push_site(plugin *p)
{
	push_object(p, p->m, OBJ_SITE);
}

void api_push_doc(plugin *p, doc *d)
{
	push_object(p, d, OBJ_DOC);
}


void objects_open(lua_State *L)
{
	static const lua_CFunction index[OBJ_COUNT] = { NULL, doc_index,
		claim_index, NULL, NULL, site_index, evidence_index };
	for (int t = 1; t < OBJ_COUNT; t++) {
		lua_newtable(L);
		if (index[t]) {
			lua_pushcfunction(L, index[t]);
			lua_setfield(L, -2, "__index");
		}
		lua_pushcfunction(L, object_newindex);
		lua_setfield(L, -2, "__newindex");
		sandbox_plugin(L)->mt[t] = lua_topointer(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_mt[t]);
	}
	/* Sized for every document, claim and alliance, which a plugin
	 * reading the whole site makes: growing a table of ten thousand
	 * keys step by step rehashes it a dozen times. */
	const model *m = sandbox_plugin(L)->m;
	int hint = 0;
	if (m) {
		size_t n = m->nalliances + 16;
		for (int k = 0; k < DOC_KIND_COUNT; k++)
			n += m->ndocs[k];
		for (size_t i = 0; i < m->nsets; i++)
			n += m->sets[i].nclaims + 1;
		hint = n < 1000000 ? (int)n : 1000000;
	}
	lua_createtable(L, 0, hint);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_objects);
	/* Not weak: reg_objects keeps every table alive anyway, and a weak
	 * table of many thousand keys costs every collection cycle. */
	lua_createtable(L, 0, hint);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_ptrs);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_datas);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_dirty);
}
