/*
 * plugin: finds the plugins a site lists and runs their hooks in order:
 * every plugin's top level, then on_load(site) for each plugin, then
 * on_document(doc) for each plugin and document, then on_pages(site).
 * A plugin that fails is reported and skipped from then on; the others
 * go on, so an author sees every problem at once.
 */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

char *plugin_default_dir(void)
{
	return install_dir("ENQUIRE_PLUGINS", "plugins");
}

static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '-' || *s == '_'))
			return false;
	return true;
}

/*
 * Opens plugin name: the site's plugins/<name>.lua from src (may be NULL)
 * or else the bundled dir/<name>.lua, and runs its top level. Returns -1
 * with an error in d when there is no such plugin; a plugin whose code
 * fails is returned marked failed.
 */
int plugin_open(plugin *p, const char *name, const source *src,
	const char *dir, model *m, diag_list *d)
{
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->m = m;
	p->d = d;
	if (!good_name(name)) {
		diag_add(d, DIAG_ERROR, "site.yaml", 0, 0,
			"bad plugin name '%s' (expected [a-z0-9_-])", name);
		return -1;
	}
	char *site_path = xasprintf("plugins/%s.lua", name);
	const source_file *f = src ? source_find(src, site_path) : NULL;
	char *code = NULL;
	size_t n = 0;
	if (f && f->data) {
		p->path = site_path;
		site_path = NULL;
	} else if (dir) {
		char *file = xasprintf("%s/%s.lua", dir, name);
		if (read_file(file, &code, &n) == 0)
			p->path = xasprintf("enquire/plugins/%s.lua", name);
		free(file);
	}
	free(site_path);
	if (!p->path) {
		diag_add(d, DIAG_ERROR, "site.yaml", 0, 0, "unknown plugin '%s' "
			"(neither plugins/%s.lua nor a bundled plugin)", name, name);
		return -1;
	}
	sandbox_open(p);
	api_open(p);
	sandbox_load(p, f ? f->data : code, f ? f->size : n);
	free(code);
	return 0;
}

void plugin_close(plugin *p)
{
	sandbox_close(p);
	free(p->name);
	free(p->path);
	memset(p, 0, sizeof *p);
}

/* hook(name, doc or nil): calls the global function name, if any, with
 * the document's table or the site's. */
static int run_hook(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	if (lua_getglobal(L, lua_tostring(L, 1)) != LUA_TFUNCTION)
		return 0;
	if (lua_islightuserdata(L, 2))
		api_push_doc(p, lua_touserdata(L, 2));
	else
		api_push_site(p);
	lua_call(L, 1, 0);
	return 0;
}

static int has_hook(lua_State *L)
{
	lua_pushboolean(L, lua_getglobal(L, lua_tostring(L, 1)) ==
		LUA_TFUNCTION);
	return 1;
}

static int call(plugin *p, const char *hook, doc *d)
{
	lua_pushcfunction(p->L, run_hook);
	lua_pushstring(p->L, hook);
	if (d)
		lua_pushlightuserdata(p->L, d);
	else
		lua_pushnil(p->L);
	return sandbox_call(p, 2, 0);
}

static bool defines(plugin *p, const char *hook)
{
	lua_pushcfunction(p->L, has_hook);
	lua_pushstring(p->L, hook);
	if (sandbox_call(p, 1, 1) != 0)
		return false;
	bool yes = lua_toboolean(p->L, -1);
	lua_pop(p->L, 1);
	return yes;
}

static void run_phase(plugin *p, plugin_phase phase)
{
	static const char *const hooks[] = { [PHASE_LOAD] = "on_load",
		[PHASE_DOCUMENT] = "on_document", [PHASE_PAGES] = "on_pages" };
	if (p->failed || !defines(p, hooks[phase]))
		return;
	p->phase = phase;
	if (phase == PHASE_DOCUMENT) {
		/* One document at a time, in model order, in the plugin's one
		 * state (see docs/enquire-lua.7). */
		for (int k = 0; k < DOC_KIND_COUNT && !p->failed; k++)
			for (size_t i = 0; i < p->m->ndocs[k] && !p->failed; i++)
				call(p, hooks[phase], &p->m->docs[k][i]);
	} else {
		call(p, hooks[phase], NULL);
	}
	api_sync(p);
}

/* A plugins/<name>.lua the site commits but does not list is never run. */
static void warn_unlisted(const model *m, const source *src, diag_list *d)
{
	for (size_t i = 0; i < source_count(src); i++) {
		const char *path = source_at(src, i)->path;
		size_t n = strlen(path);
		if (strncmp(path, "plugins/", 8) != 0 || n < 12 ||
			strcmp(path + n - 4, ".lua") != 0 || strchr(path + 8, '/'))
			continue;
		bool listed = false;
		for (size_t j = 0; j < m->site.plugins.n && !listed; j++) {
			const char *name = m->site.plugins.items[j];
			listed = strlen(name) == n - 12 &&
				strncmp(path + 8, name, n - 12) == 0;
		}
		if (!listed)
			diag_add(d, DIAG_WARNING, path, 0, 0, "plugin not listed in "
				"site.yaml 'plugins', so it does not run");
	}
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int plugins_run(model *m, const source *src, const char *plugins_dir,
	diag_list *d)
{
	size_t errors = diag_errors(d);
	warn_unlisted(m, src, d);
	size_t n = m->site.plugins.n;
	if (n == 0 || errors)
		return errors ? -1 : 0;
	char *dir = plugins_dir ? xstrdup(plugins_dir) : plugin_default_dir();
	plugin *ps = xcalloc(n, sizeof *ps);
	for (size_t i = 0; i < n; i++)
		if (plugin_open(&ps[i], m->site.plugins.items[i], src, dir, m, d) != 0)
			ps[i].failed = true;
	/* With ENQUIRE_TIMING, each plugin's processor time (its hooks and
	 * the tables they read), for plugin authors. */
	double *cpu = xcalloc(n, sizeof *cpu);
	for (plugin_phase ph = PHASE_LOAD; ph <= PHASE_PAGES; ph++)
		for (size_t i = 0; i < n; i++)
			if (ps[i].L) {
				double t0 = cpu_now();
				run_phase(&ps[i], ph);
				cpu[i] += cpu_now() - t0;
			}
	bool timing = getenv("ENQUIRE_TIMING") != NULL;
	for (size_t i = 0; i < n; i++) {
		if (timing && ps[i].L)
			fprintf(stderr, "enquire: timing: plugin %s %.3f s cpu, "
				"%.1f MB\n", ps[i].name, cpu[i],
				(double)ps[i].bytes / 1e6);
		plugin_close(&ps[i]);
	}
	free(cpu);
	free(ps);
	free(dir);
	return diag_errors(d) > errors ? -1 : 0;
}
