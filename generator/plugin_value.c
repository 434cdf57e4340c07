/*
 * plugin_value: Lua values <-> value trees (value.h), the form templates
 * read. Front matter goes to Lua as plain tables; what plugins leave in
 * `data` and give to add_page comes back as maps and lists.
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

#define MAX_DEPTH 32 /* of data converted either way */

void api_push_strlist(lua_State *L, const strlist *l)
{
	lua_createtable(L, (int)l->n, 0);
	for (size_t i = 0; i < l->n; i++) {
		lua_pushstring(L, l->items[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* value -> Lua: maps become tables, lists sequences, scalars Lua values
 * (numbers as numbers); null is nil. */
void api_push_value(lua_State *L, const value *v, int depth)
{
	if (!v || depth > MAX_DEPTH) {
		lua_pushnil(L);
		return;
	}
	luaL_checkstack(L, 4, "data too deep");
	switch (v->kind) {
	case VALUE_NULL: lua_pushnil(L); break;
	case VALUE_BOOL: lua_pushboolean(L, v->u.b); break;
	case VALUE_NUMBER:
		if (v->u.num == (double)(lua_Integer)v->u.num)
			lua_pushinteger(L, (lua_Integer)v->u.num);
		else
			lua_pushnumber(L, v->u.num);
		break;
	case VALUE_STRING: lua_pushlstring(L, v->str, v->len); break;
	case VALUE_LIST: {
		lua_createtable(L, (int)v->u.list.n, 0);
		lua_Integer n = 0;
		for (size_t i = 0; i < v->u.list.n; i++) {
			api_push_value(L, v->u.list.items[i], depth + 1);
			if (lua_isnil(L, -1))
				lua_pop(L, 1);
			else
				lua_rawseti(L, -2, ++n);
		}
		break;
	}
	case VALUE_MAP:
		lua_createtable(L, 0, (int)v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			const value_pair *pr = &v->u.map.pairs[i];
			/* has_x is added for templates; not plugin data */
			if (strncmp(pr->key, "has_", 4) == 0 &&
				value_get(v, pr->key + 4))
				continue;
			api_push_value(L, pr->val, depth + 1);
			lua_setfield(L, -2, pr->key);
		}
		break;
	}
}

static int compare_pairs(const void *a, const void *b)
{
	return strcmp(((const value_pair *)a)->key, ((const value_pair *)b)->key);
}

/* Lua -> value, in arena a; raises on values templates cannot show. A
 * table with keys 1..n is a list; any other a map with its keys sorted
 * (pairs order is not stable between runs) and has_x beside each list. */
value *api_to_value(lua_State *L, int idx, arena *a, int depth)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNIL: return value_null(a);
	case LUA_TBOOLEAN: return value_bool(a, lua_toboolean(L, idx));
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			value *v = value_number(a, (double)lua_tointeger(L, idx));
			v->str = arena_printf(a, "%lld",
				(long long)lua_tointeger(L, idx));
			v->len = strlen(v->str);
			return v;
		}
		return value_number(a, lua_tonumber(L, idx));
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		return value_stringn(a, s, n);
	}
	case LUA_TTABLE: break;
	default:
		luaL_error(L, "data cannot hold a %s value", luaL_typename(L, idx));
		return NULL;
	}
	if (depth > MAX_DEPTH)
		luaL_error(L, "data nested deeper than %d tables", MAX_DEPTH);
	luaL_checkstack(L, 4, "data too deep");
	lua_Unsigned len = lua_rawlen(L, idx);
	size_t count = 0;
	bool seq = true;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
			(lua_Unsigned)lua_tointeger(L, -2) > len)
			seq = false;
		lua_pop(L, 1);
	}
	if (seq && count == len) {
		value *list = value_list(a);
		for (lua_Unsigned i = 1; i <= len; i++) {
			lua_rawgeti(L, idx, (lua_Integer)i);
			value_push(a, list, api_to_value(L, -1, a, depth + 1));
			lua_pop(L, 1);
		}
		return list;
	}
	value *map = value_map(a);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *key;
		if (lua_type(L, -2) == LUA_TSTRING)
			key = lua_tostring(L, -2);
		else if (lua_isinteger(L, -2))
			key = arena_printf(a, "%lld", (long long)lua_tointeger(L, -2));
		else
			return luaL_error(L, "data keys must be strings or integers"),
				NULL;
		value *v = api_to_value(L, -1, a, depth + 1);
		value_set(a, map, key, v);
		if (v->kind == VALUE_LIST)
			value_set(a, map, arena_printf(a, "has_%s", key),
				value_bool(a, v->u.list.n > 0));
		lua_pop(L, 1);
	}
	/* A has_x the plugin set itself wins over ours. */
	qsort(map->u.map.pairs, map->u.map.n, sizeof(value_pair), compare_pairs);
	size_t out = 0;
	for (size_t i = 0; i < map->u.map.n; i++) {
		if (out && strcmp(map->u.map.pairs[out - 1].key,
			map->u.map.pairs[i].key) == 0) {
			if (map->u.map.pairs[i].val->line == 0 &&
				map->u.map.pairs[i].val->kind == VALUE_BOOL)
				continue;
			out--;
		}
		map->u.map.pairs[out++] = map->u.map.pairs[i];
	}
	map->u.map.n = out;
	return map;
}

/* Keys of b over those of a, sorted; either may be NULL. */
value *api_merge_data(arena *ar, const value *a, value *b)
{
	if (!a)
		return b;
	value *m = value_map(ar);
	for (size_t i = 0; i < b->u.map.n; i++)
		value_set(ar, m, b->u.map.pairs[i].key, b->u.map.pairs[i].val);
	for (size_t i = 0; i < a->u.map.n; i++)
		if (!value_get(b, a->u.map.pairs[i].key))
			value_set(ar, m, a->u.map.pairs[i].key, a->u.map.pairs[i].val);
	qsort(m->u.map.pairs, m->u.map.n, sizeof(value_pair), compare_pairs);
	return m;
}
