/*
 * plugin_cli: `enquire NAME ARGS...` for commands plugins register with
 * command(NAME, fn).
 *
 * The command is looked for in the plugins the site lists (the site is
 * --root DIR when given, else the current folder when it holds a
 * site.yaml), then in the bundled plugin NAME.lua. fn(args) runs with
 * args = the words after NAME; it may open a site with enquire.open(root)
 * and read the files named on the command line with enquire.read_file
 * (nothing else on disk). Its return value is the exit status (nil: 0,
 * false: 1, a number: that number).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

typedef struct {
	char *root; /* the site opened, or NULL */
	bool pushed; /* a plugin holds its tables: it stays open */
	source *src;
	model *m;
	diag_list *load_diags; /* printed only when loading failed */
} cli_site;

static void site_release(cli_site *s)
{
	model_free(s->m);
	source_free(s->src);
	diag_list_free(s->load_diags);
	free(s->root);
	memset(s, 0, sizeof *s);
}

typedef struct {
	bool worktree, drafts, internal;
	const char *ref;
} open_options;

/* Loads root into s; 0 when the model has no errors. */
static int site_load(cli_site *s, const char *root, const open_options *o)
{
	s->root = xstrdup(root);
	s->load_diags = diag_list_new();
	source_options so = SOURCE_OPTIONS_INIT;
	so.ref = o->ref;
	so.worktree = o->worktree;
	if (source_open(&s->src, root, &so, s->load_diags) != 0)
		return -1;
	unsigned flags = (o->drafts ? MODEL_DRAFTS : 0) |
		(o->internal ? MODEL_INTERNAL : 0);
	s->m = model_load(s->src, flags, 0, s->load_diags);
	return diag_errors(s->load_diags) ? -1 : 0;
}

static cli_site *cli_of(plugin *p)
{
	return p->cli;
}

/* enquire.open([root [, {ref=, worktree=, drafts=, internal=}]]): the
 * site at root (default: the one the command was found in, or "."), or
 * nil and a message. One site per command. */
int cli_open_site(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	cli_site *s = cli_of(p);
	if (p->phase != PHASE_COMMAND || !s)
		return luaL_error(L, "enquire.open is only available in commands");
	const char *root = luaL_optstring(L, 1, s->root ? s->root : ".");
	open_options o = { false, false, false, NULL };
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "ref");
		o.ref = lua_tostring(L, -1);
		lua_getfield(L, 2, "worktree");
		o.worktree = lua_toboolean(L, -1);
		lua_getfield(L, 2, "drafts");
		o.drafts = lua_toboolean(L, -1);
		lua_getfield(L, 2, "internal");
		o.internal = lua_toboolean(L, -1);
	}
	if (s->root && strcmp(s->root, root) != 0) {
		if (s->pushed)
			return luaL_error(L, "enquire.open: a command opens one "
				"site ('%s' is open)", s->root);
		site_release(s); /* looked up in, but not used */
		p->m = NULL;
	}
	if (!s->root && site_load(s, root, &o) != 0) {
		diag_print(s->load_diags, stderr);
		lua_pushnil(L);
		lua_pushfstring(L, "cannot load the site at '%s' (%d errors)",
			root, (int)diag_errors(s->load_diags));
		return 2;
	}
	if (!s->m || diag_errors(s->load_diags)) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot load the site at '%s'", root);
		return 2;
	}
	p->m = s->m;
	s->pushed = true;
	api_push_site(p);
	return 1;
}

/* enquire.read_file(path): the bytes of a file named on the command line,
 * or nil and a message. */
int cli_read_file(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	const char *path = luaL_checkstring(L, 1);
	if (p->phase != PHASE_COMMAND)
		return luaL_error(L, "enquire.read_file is only available in "
			"commands");
	bool named = false;
	for (int i = 0; i < p->nargs && !named; i++)
		named = strcmp(p->args[i], path) == 0;
	if (!named)
		return luaL_error(L, "enquire.read_file: '%s' was not named on "
			"the command line", path);
	char *data;
	size_t n;
	if (read_file(path, &data, &n) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot read '%s'", path);
		return 2;
	}
	/* Copied into Lua after the read: pushing may raise, so free first
	 * through a buffer Lua owns. */
	luaL_Buffer b;
	char *dst = luaL_buffinitsize(L, &b, n);
	memcpy(dst, data, n);
	free(data);
	luaL_pushresultsize(&b, n);
	return 1;
}

static int run_command(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	const char *name = lua_tostring(L, 1);
	if (!api_push_command(p, name))
		return 0;
	lua_createtable(L, p->nargs, 0);
	for (int i = 0; i < p->nargs; i++) {
		lua_pushstring(L, p->args[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_call(L, 1, 1);
	if (lua_isnoneornil(L, -1))
		lua_pushinteger(L, 0);
	else if (lua_isboolean(L, -1))
		lua_pushinteger(L, lua_toboolean(L, -1) ? 0 : 1);
	else
		lua_pushinteger(L, luaL_checkinteger(L, -1));
	return 1;
}

static int has_command(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	bool yes = api_push_command(p, lua_tostring(L, 1));
	lua_pushboolean(L, yes);
	return 1;
}

/* Tries plugin name for command cmd: -1 not there, else an exit status. */
static int try_plugin(const char *plugin_name, const char *cmd,
	cli_site *site, const char *dir, char **args, int nargs,
	diag_list *d)
{
	plugin p;
	int rc = -1;
	if (plugin_open(&p, plugin_name, site->src, dir, site->m, d) != 0 ||
		p.failed)
		goto done;
	p.cli = site;
	p.args = args;
	p.nargs = nargs;
	p.phase = PHASE_COMMAND;
	lua_pushcfunction(p.L, has_command);
	lua_pushstring(p.L, cmd);
	if (sandbox_call(&p, 1, 1) != 0 || !lua_toboolean(p.L, -1))
		goto done;
	lua_pop(p.L, 1);
	lua_pushcfunction(p.L, run_command);
	lua_pushstring(p.L, cmd);
	rc = sandbox_call(&p, 1, 1) == 0 ? (int)lua_tointeger(p.L, -1) : 1;
done:
	plugin_close(&p);
	return rc;
}

/* The value of --root in args, or NULL. */
static const char *root_arg(int argc, char **argv)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], "--root") == 0)
			return argv[i + 1];
	return NULL;
}

int plugin_command_main(int argc, char **argv, const char *usage)
{
	const char *cmd = argv[1];
	cli_site site = { 0 };
	diag_list *d = diag_list_new();
	char *dir = plugin_default_dir();
	int rc = -1;
	const char *root = root_arg(argc, argv);
	open_options o = { false, false, false, NULL };
	if (root || access("site.yaml", F_OK) == 0) {
		if (site_load(&site, root ? root : ".", &o) != 0) {
			/* The bundled plugin may still have the command; its
			 * enquire.open reports the site's errors. */
			diag_print(site.load_diags, stderr);
		}
	}
	const strlist *listed = site.m ? &site.m->site.plugins : NULL;
	for (size_t i = 0; rc < 0 && listed && i < listed->n; i++)
		rc = try_plugin(listed->items[i], cmd, &site, dir, argv + 2,
			argc - 2, d);
	bool tried = false;
	for (size_t i = 0; listed && i < listed->n; i++)
		tried |= strcmp(listed->items[i], cmd) == 0;
	if (rc < 0 && !tried && dir) {
		char *file = xasprintf("%s/%s.lua", dir, cmd);
		bool exists = access(file, R_OK) == 0;
		free(file);
		if (exists)
			rc = try_plugin(cmd, cmd, &site, dir, argv + 2, argc - 2, d);
	}
	diag_print(d, stderr);
	if (rc < 0 && diag_errors(d) == 0) {
		fprintf(stderr, "enquire: error: unknown command '%s'\n%s", cmd,
			usage);
		rc = 2;
	} else if (rc < 0 || (rc == 0 && diag_errors(d))) {
		rc = 1;
	}
	site_release(&site);
	diag_list_free(d);
	free(dir);
	return rc;
}
