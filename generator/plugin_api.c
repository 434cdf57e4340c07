/*
 * plugin_api: the functions plugins call (diagnostic, command,
 * site:add_page, the enquire table) and api_sync, which copies what
 * plugins left in `data` back to the model for the templates. The tables
 * themselves are plugin_objects.c, plugin_docs.c and plugin_site.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

/* ---- functions for plugins */

/* A page URL: "a/b/" or "a/b.ext", from [a-z0-9._-] segments; no "..",
 * no hidden names, nothing absolute. */
static bool good_url(const char *u)
{
	if (!*u || *u == '/')
		return false;
	const char *seg = u;
	for (const char *s = u;; s++) {
		if (*s == '/' || *s == '\0') {
			if (s == seg || *seg == '.')
				return *s == '\0' && s == seg && s > u && s[-1] == '/';
			if (*s == '\0')
				return strchr(seg, '.') != NULL;
			seg = s + 1;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '-' || *s == '_' || *s == '.'))
			return false;
	}
}

/* site:add_page{url=..., template=..., title=..., data={...}} */
int api_add_page(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (p->phase != PHASE_PAGES || !p->m)
		return luaL_error(L, "add_page is only available in on_pages");
	lua_getfield(L, 2, "url");
	const char *url = luaL_checkstring(L, -1);
	lua_getfield(L, 2, "template");
	const char *tmpl = luaL_checkstring(L, -1);
	lua_getfield(L, 2, "title");
	const char *title = lua_tostring(L, -1);
	if (!good_url(url))
		return luaL_error(L, "bad page url '%s' (relative, [a-z0-9._-] "
			"names, ending in / or a file extension)", url);
	for (const char *s = tmpl; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '-' || *s == '_'))
			return luaL_error(L, "bad template name '%s'", tmpl);
	model *m = p->m;
	for (size_t i = 0; i < m->nplugin_pages; i++)
		if (strcmp(m->plugin_pages[i].url, url) == 0)
			return luaL_error(L, "page '%s' added twice (by %s)", url,
				m->plugin_pages[i].plugin);
	lua_getfield(L, 2, "data");
	value *data = lua_isnil(L, -1) ? value_map(&m->arena) :
		api_to_value(L, -1, &m->arena, 0);
	/* Grows in the arena: a few pages, so the old copies cost little. */
	size_t n = m->nplugin_pages;
	if ((n & (n - 1)) == 0) {
		plugin_page *grown = arena_alloc(&m->arena,
			(n ? 2 * n : 4) * sizeof *grown);
		if (n)
			memcpy(grown, m->plugin_pages, n * sizeof *grown);
		m->plugin_pages = grown;
	}
	plugin_page *pg = &m->plugin_pages[m->nplugin_pages++];
	pg->url = arena_strdup(&m->arena, url);
	pg->template = arena_strdup(&m->arena, tmpl);
	pg->title = arena_strdup(&m->arena, title ? title : url);
	pg->plugin = arena_strdup(&m->arena, p->path);
	pg->data = data;
	return 0;
}

/* diagnostic(target, level, message [, line]): target is a document,
 * claim, claim set, alliance or site table, a path, or nil (the site). */
static int diagnostic(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	static const char *const levels[] = { "error", "warning", "note", NULL };
	int level = luaL_checkoption(L, 2, NULL, levels);
	const char *msg = luaL_checkstring(L, 3);
	unsigned line = (unsigned)luaL_optinteger(L, 4, 0);
	const char *path = "site.yaml";
	int type;
	const void *ptr = object_of(L, 1, &type);
	if (lua_type(L, 1) == LUA_TSTRING) {
		path = lua_tostring(L, 1);
	} else if (ptr) {
		switch (type) {
		case OBJ_DOC: path = ((const doc *)ptr)->path; break;
		case OBJ_CLAIM:
			path = ((const claim *)ptr)->set->path;
			if (!line)
				line = ((const claim *)ptr)->line;
			break;
		case OBJ_SET: path = ((const claim_set *)ptr)->path; break;
		case OBJ_ALLIANCE: path = ((const alliance *)ptr)->path; break;
		default: break;
		}
	} else if (!lua_isnoneornil(L, 1) && !lua_istable(L, 1)) {
		return luaL_argerror(L, 1, "a document, claim, path or nil");
	}
	static const diag_level dl[] = { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };
	diag_add(p->d, dl[level], path, line, 0, "%s [%s]", msg, p->name);
	return 0;
}

/* enquire.eprint(s): s and a newline on stderr (print writes stdout). */
static int eprint(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	fwrite(s, 1, n, stderr);
	fputc('\n', stderr);
	return 0;
}

/* command(name, fn): `enquire name ARGS...` calls fn(args). */
static int command(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	for (const char *s = name; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '-'))
			return luaL_argerror(L, 1, "a name of [a-z0-9-]");
	static const char *const core[] = { "build", "check", "mustache",
		"help", "version" };
	for (size_t i = 0; i < ARRAY_LEN(core); i++)
		if (strcmp(name, core[i]) == 0)
			return luaL_error(L, "'%s' is a command of enquire itself",
				name);
	getreg(L, &reg_commands);
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, name);
	return 0;
}

bool api_push_command(plugin *p, const char *name)
{
	getreg(p->L, &reg_commands);
	if (lua_getfield(p->L, -1, name) != LUA_TFUNCTION) {
		lua_pop(p->L, 2);
		return false;
	}
	lua_remove(p->L, -2);
	return true;
}

static int open_api(lua_State *L)
{
	objects_open(L);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &reg_commands);
	lua_register(L, "diagnostic", diagnostic);
	lua_register(L, "command", command);
	lua_newtable(L);
	text_api_open(L);
	lua_pushliteral(L, ENQUIRE_PLUGIN_API_VERSION);
	lua_setfield(L, -2, "api_version");
	lua_pushcfunction(L, cli_open_site);
	lua_setfield(L, -2, "open");
	lua_pushcfunction(L, eprint);
	lua_setfield(L, -2, "eprint");
	lua_pushcfunction(L, cli_read_file);
	lua_setfield(L, -2, "read_file");
	lua_setglobal(L, "enquire");
	return 0;
}

void api_open(plugin *p)
{
	lua_pushcfunction(p->L, open_api);
	if (lua_pcall(p->L, 0, 0, 0) != LUA_OK) {
		fprintf(stderr, "enquire: cannot open the plugin API\n");
		abort();
	}
}


/* ---- copying data back */

static int sync(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	getreg(L, &reg_dirty);
	int dirty = lua_gettop(L);
	getreg(L, &reg_datas);
	int datas = dirty + 1;
	lua_pushnil(L);
	while (lua_next(L, dirty)) {
		void *ptr = lua_touserdata(L, -2);
		int type = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_rawgetp(L, datas, ptr);
		value *v = api_to_value(L, -1, &p->m->arena, 0);
		lua_pop(L, 1);
		if (v->kind == VALUE_LIST && v->u.list.n == 0)
			v = value_map(&p->m->arena); /* {} reads as a list */
		if (v->kind != VALUE_MAP)
			return luaL_error(L, "data must be a table with string keys");
		value **slot = data_slot(p, ptr, type);
		*slot = api_merge_data(&p->m->arena, *slot, v);
	}
	/* Dirty stays dirty: a plugin may keep a data table in a local
	 * and change it in a later hook. */
	return 0;
}

int api_sync(plugin *p)
{
	if (p->failed || !p->m)
		return 0;
	lua_pushcfunction(p->L, sync);
	return sandbox_call(p, 0, 0);
}

