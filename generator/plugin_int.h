/*
 * plugin_int: what the plugin*.c files share; not for other modules.
 *
 *   plugin.c          finding plugins, running the hooks in order
 *   plugin_sandbox.c  the Lua state: safe libraries, memory and
 *                     instruction limits, protected calls -> diagnostics
 *   plugin_objects.c  one Lua table per object of the model, made on
 *                     first use; `data` tables
 *   plugin_docs.c     document tables (doc.front, doc.claims, ...)
 *   plugin_doctext.c  doc:find, doc:sub, doc:line_at, doc:numbered
 *   plugin_site.c     site, claim set, claim and alliance tables
 *   plugin_value.c    Lua values <-> value trees (value.h)
 *   plugin_api.c      diagnostic(), command(), site:add_page, the
 *                     enquire table; data back to the model
 *   plugin_text.c     the enquire.* text helpers (text.h in C)
 *   plugin_cli.c      `enquire NAME ...` for plugin commands
 */
#ifndef ENQUIRE_PLUGIN_INT_H
#define ENQUIRE_PLUGIN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#include "plugin.h"

#define ENQUIRE_PLUGIN_API_VERSION "1"
#define PLUGIN_MEMORY_MB 256 /* per plugin state */
#define PLUGIN_INSTRUCTIONS 200000000UL /* per call into a plugin */

typedef enum {
	PHASE_INIT, /* running the file's top level */
	PHASE_LOAD,
	PHASE_DOCUMENT,
	PHASE_PAGES,
	PHASE_COMMAND,
} plugin_phase;

/* The kinds of object tables (plugin_objects.c). */
enum { OBJ_DOC = 1, OBJ_CLAIM, OBJ_SET, OBJ_ALLIANCE, OBJ_SITE, OBJ_EVIDENCE,
	OBJ_COUNT };

typedef struct plugin {
	char *name; /* "claims" */
	char *path; /* for messages: "plugins/claims.lua" (site) or the
	               bundled file's path */
	lua_State *L;
	model *m; /* NULL in a command before enquire.open */
	diag_list *d;
	plugin_phase phase;
	bool failed; /* an error stopped it: no further hooks */

	/* Limits (plugin_sandbox.c). */
	size_t max_bytes, bytes;
	unsigned long max_instructions, instructions;
	bool over_memory; /* an allocation was refused during this call */
	unsigned mem_line; /* where the first refusal happened, 0 if unknown */
	unsigned err_line; /* the plugin's line where an error was raised */

	/* The metatables of the object tables (plugin_objects.c), by OBJ_*,
	 * as addresses: object_of compares them without a registry read. */
	const void *mt[OBJ_COUNT];

	/* Command mode (plugin_cli.c). */
	char **args; /* argv of the command, for enquire.read_file */
	int nargs;
	void *cli; /* plugin_cli's state, for enquire.open */
} plugin;

/* plugin.c */
/* Opens plugin name (the site's plugins/<name>.lua in src, else the
 * bundled dir/<name>.lua) and runs its top level; -1 when there is no
 * such plugin (reported). Close with plugin_close, also after -1. */
int plugin_open(plugin *p, const char *name, const source *src,
	const char *dir, model *m, diag_list *d);
void plugin_close(plugin *p);

/* plugin_sandbox.c */
/* Makes p->L: safe libraries only, limits from the environment
 * (ENQUIRE_PLUGIN_MEMORY in MB, ENQUIRE_PLUGIN_INSTRUCTIONS). */
void sandbox_open(plugin *p);
void sandbox_close(plugin *p);
/* Loads code (text only) as p's chunk and runs it. */
int sandbox_load(plugin *p, const char *code, size_t n);
/* lua_pcall with a traceback handler and a fresh instruction budget; on
 * failure reports an error at the plugin's file and line, marks p failed
 * and returns -1 (the stack is left as lua_pcall leaves it, minus the
 * error). */
int sandbox_call(plugin *p, int nargs, int nresults);
/* The plugin that owns L. */
plugin *sandbox_plugin(lua_State *L);

/* plugin_objects.c: the registry tables behind the object tables (keys
 * are the addresses of these variables). */
extern char reg_objects; /* lightuserdata ptr -> table */
extern char reg_ptrs; /* table -> lightuserdata ptr */
extern char reg_datas; /* ptr -> the plugin's data table */
extern char reg_dirty; /* ptr -> OBJ_* of data to copy back */
extern char reg_commands; /* name -> function */
extern char reg_mt[OBJ_COUNT];

static inline void getreg(lua_State *L, const char *key)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
}

/* t[k] = v on the table on top of the stack (a NULL v sets nothing). */
void set_str(lua_State *L, const char *k, const char *v);
void set_int(lua_State *L, const char *k, lua_Integer v);
/* Pushes the one table of ptr (an OBJ_* type), making it on first use. */
void push_object(plugin *p, const void *ptr, int type);
/* The object behind table idx, or NULL; its OBJ_* in *type. */
void *object_of(lua_State *L, int idx, int *type);
/* Pushes the plugin's data table of ptr, from the model's on first use. */
void push_data(plugin *p, void *ptr, int type);
value **data_slot(plugin *p, void *ptr, int type);
/* Makes the metatables and registry tables (inside a protected call). */
void objects_open(lua_State *L);

/* plugin_docs.c */
void make_doc(plugin *p, const doc *d);
int doc_index(lua_State *L);
int evidence_index(lua_State *L);
/* Pushes a list of the tables of docs[0..n). */
void push_doc_array(plugin *p, doc *docs, size_t n);

/* plugin_doctext.c: pushes doc method k (find, sub, ...) or returns
 * false. */
bool doc_method(lua_State *L, const char *k);

/* plugin_site.c */
void make_claim(plugin *p, const claim *c);
void make_set(plugin *p, const claim_set *s);
void fill_set(plugin *p, const claim_set *s);
void make_alliance(plugin *p, const alliance *al);
void make_site(plugin *p);
int claim_index(lua_State *L);
int site_index(lua_State *L);

/* plugin_counts.c: site:claim_counts() */
int claim_counts(lua_State *L);

/* plugin_value.c */
/* value -> Lua: maps become tables, lists sequences, scalars Lua values;
 * null is nil. */
void api_push_value(lua_State *L, const value *v, int depth);
void api_push_strlist(lua_State *L, const strlist *l);
/* Lua -> value in arena a; raises on what templates cannot show. */
value *api_to_value(lua_State *L, int idx, arena *a, int depth);
/* Keys of b over those of a, sorted; a may be NULL. */
value *api_merge_data(arena *ar, const value *a, value *b);

/* plugin_api.c */
int api_add_page(lua_State *L);
/* Registers diagnostic(), command() and the enquire table (with the text
 * helpers of plugin_text.c). */
void api_open(plugin *p);
/* Push the site table of p->m, or the table of one document; they may
 * raise (memory), so call them inside sandbox_call. */
void api_push_site(plugin *p);
void api_push_doc(plugin *p, doc *d);
/* Copies the data tables the plugin touched back to the model (merged
 * key by key into doc->data, claim->data, m->data). Returns -1 on error
 * (reported). */
int api_sync(plugin *p);
/* Pushes the function a plugin registered as command name, or returns
 * false (pushing nothing). */
bool api_push_command(plugin *p, const char *name);

/* plugin_text.c */
void text_api_open(lua_State *L); /* fills the table on top of the stack */

/* plugin_cli.c: enquire.open(root) and enquire.read_file(path), for
 * commands only. */
int cli_open_site(lua_State *L);
int cli_read_file(lua_State *L);

#endif
