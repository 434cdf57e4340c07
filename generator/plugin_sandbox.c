/*
 * plugin_sandbox: the Lua state a plugin runs in.
 *
 * Only the safe standard libraries are opened (base, string, table, math,
 * utf8, coroutine); dofile, loadfile and string.dump are removed, load
 * accepts text chunks only, and naming io, os, package, debug or require
 * raises "not available to plugins". Memory is counted by our allocator
 * (a limit per state) and instructions by a count hook (a budget per call
 * into the plugin), so a runaway plugin stops with an error at its file
 * and line instead of taking the build down.
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "plugin_int.h"
#include "util.h"

#define HOOK_EVERY 1000 /* instructions between two count hooks */

plugin *sandbox_plugin(lua_State *L)
{
	return *(plugin **)lua_getextraspace(L);
}

/* The line of the innermost Lua function running in L, or 0. Reads the
 * stack only, so it is safe inside the allocator and hooks. */
static unsigned current_line(lua_State *L)
{
	lua_Debug ar;
	for (int level = 0; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "l", &ar) && ar.currentline > 0)
			return (unsigned)ar.currentline;
	}
	return 0;
}

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	plugin *p = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		p->bytes -= old;
		return NULL;
	}
	if (nsize > old && p->bytes + (nsize - old) > p->max_bytes) {
		if (!p->over_memory && p->L)
			p->mem_line = current_line(p->L);
		p->over_memory = true;
		return NULL; /* Lua raises a memory error */
	}
	void *q = realloc(ptr, nsize);
	if (q)
		p->bytes = p->bytes - old + nsize;
	return q;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	plugin *p = sandbox_plugin(L);
	p->instructions += HOOK_EVERY;
	if (p->instructions <= p->max_instructions)
		return;
	(void)ar;
	lua_pushfstring(L, "instruction limit exceeded (%d million per call): "
		"an endless loop?", (int)(p->max_instructions / 1000000));
	lua_error(L);
}

static int forbidden_global(lua_State *L)
{
	static const char *const names[] = { "io", "os", "package", "debug",
		"require", "dofile", "loadfile", "loadlib", "ffi" };
	const char *k = lua_tostring(L, 2);
	for (size_t i = 0; k && i < ARRAY_LEN(names); i++)
		if (strcmp(k, names[i]) == 0)
			return luaL_error(L, "'%s' is not available to plugins "
				"(sandbox): use the enquire API", k);
	return 0;
}

/* load(chunk [, name [, mode [, env]]]) with the mode forced to text. */
static int text_load(lua_State *L)
{
	int n = lua_gettop(L);
	lua_settop(L, n < 3 ? 3 : n > 4 ? 4 : n);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static unsigned long env_number(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return def;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	return *end || v == 0 ? def : v;
}

static int open_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ LUA_COLIBNAME, luaopen_coroutine },
	};
	for (size_t i = 0; i < ARRAY_LEN(libs); i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	lua_pushnil(L);
	lua_setfield(L, -2, "dofile");
	lua_pushnil(L);
	lua_setfield(L, -2, "loadfile");
	lua_getfield(L, -1, "load");
	lua_pushcclosure(L, text_load, 1);
	lua_setfield(L, -2, "load");
	lua_getfield(L, -1, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	/* Globals stay open to plugins; only the forbidden names raise. */
	lua_newtable(L);
	lua_pushcfunction(L, forbidden_global);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);
	return 0;
}

void sandbox_open(plugin *p)
{
	p->max_bytes = (size_t)env_number("ENQUIRE_PLUGIN_MEMORY",
		PLUGIN_MEMORY_MB) * 1024 * 1024;
	p->max_instructions = env_number("ENQUIRE_PLUGIN_INSTRUCTIONS",
		PLUGIN_INSTRUCTIONS);
	p->L = lua_newstate(limited_alloc, p);
	if (!p->L) {
		fprintf(stderr, "enquire: out of memory\n");
		abort();
	}
	*(plugin **)lua_getextraspace(p->L) = p;
	lua_pushcfunction(p->L, open_libs);
	if (lua_pcall(p->L, 0, 0, 0) != LUA_OK) {
		fprintf(stderr, "enquire: cannot open the Lua libraries\n");
		abort();
	}
	lua_sethook(p->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	/* Plugins build tables that live until the end; collecting when the
	 * heap has grown 4x (not Lua's 2x) saves a fifth of their time,
	 * and the memory limit still holds (Lua collects fully first). */
	lua_gc(p->L, LUA_GCINC, 400, 0, 0);
}

void sandbox_close(plugin *p)
{
	if (p->L)
		lua_close(p->L);
	p->L = NULL;
}

/* The message handler: the error with a traceback, and the line of the
 * plugin's own code where it happened (in p->err_line). */
static int traceback(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)",
			luaL_typename(L, 1));
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 &&
			ar.source[0] == '@' && strcmp(ar.source + 1, p->path) == 0) {
			p->err_line = (unsigned)ar.currentline;
			break;
		}
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Drops the "file:line: " Lua puts before a message. */
static const char *strip_where(const char *msg, const char *path)
{
	size_t n = strlen(path);
	if (strncmp(msg, path, n) == 0 && msg[n] == ':') {
		const char *s = msg + n + 1;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s > msg + n + 1 && s[0] == ':' && s[1] == ' ')
			return s + 2;
	}
	return msg;
}

static void report(plugin *p, int status)
{
	lua_State *L = p->L;
	const char *msg = lua_tostring(L, -1);
	/* Lua retries a failed allocation after a full collection, so only
	 * a memory error that reached us counts (a plugin may have caught it
	 * with pcall and raised it again as a plain error). */
	if (status == LUA_ERRMEM || (p->over_memory && msg &&
		strstr(msg, "not enough memory"))) {
		diag_add(p->d, DIAG_ERROR, p->path, p->mem_line, 0,
			"memory limit exceeded (%zu MB per plugin)",
			p->max_bytes / (1024 * 1024));
	} else {
		char *text = xstrdup(msg ? strip_where(msg, p->path) : "error");
		/* The first line is the message; the traceback follows on
		 * lines of their own, as Lua prints it. */
		char *nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		diag_add(p->d, DIAG_ERROR, p->path, p->err_line, 0,
			"%s%s%s", text, nl ? "\n" : "", nl ? nl + 1 : "");
		free(text);
	}
	lua_pop(L, 1);
	p->failed = true;
}

int sandbox_call(plugin *p, int nargs, int nresults)
{
	lua_State *L = p->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	p->instructions = 0;
	p->over_memory = false;
	p->mem_line = p->err_line = 0;
	int status = lua_pcall(L, nargs, nresults, base);
	lua_remove(L, base);
	if (status == LUA_OK)
		return 0;
	report(p, status);
	return -1;
}

int sandbox_load(plugin *p, const char *code, size_t n)
{
	char *chunkname = xasprintf("@%s", p->path);
	int status = luaL_loadbufferx(p->L, code, n, chunkname, "t");
	free(chunkname);
	if (status != LUA_OK) {
		/* A syntax error: "path:line: message". */
		const char *msg = lua_tostring(p->L, -1);
		unsigned line = 0;
		size_t len = strlen(p->path);
		if (msg && strncmp(msg, p->path, len) == 0 && msg[len] == ':')
			line = (unsigned)strtoul(msg + len + 1, NULL, 10);
		diag_add(p->d, DIAG_ERROR, p->path, line, 0, "%s",
			msg ? strip_where(msg, p->path) : "cannot load");
		lua_pop(p->L, 1);
		p->failed = true;
		return -1;
	}
	p->phase = PHASE_INIT;
	return sandbox_call(p, 0, 0);
}
