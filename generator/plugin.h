/*
 * plugin: Lua 5.4 plugins (the only modules that include <lua.h> are
 * plugin*.c). docs/enquire-lua.7 is the plugin author's manual.
 *
 * A site lists its plugins in site.yaml (`plugins: [claims]`); each name
 * is the site's own plugins/<name>.lua, read from the same commit as the
 * content, or else a bundled one from the installation's plugins folder.
 * Every plugin runs in its own sandboxed Lua state (safe libraries only,
 * an instruction budget per call and a memory limit per state), so a
 * failing plugin becomes a diagnostic naming its file and line, never a
 * crash. Hooks run in this order, each for every plugin in list order:
 * on_load(site), on_document(doc) per document, on_pages(site).
 *
 * What plugins leave in doc.data, claim.data and site.data, and the pages
 * they add, are stored in the model (model.h) for the pages stage.
 */
#ifndef ENQUIRE_PLUGIN_H
#define ENQUIRE_PLUGIN_H

#include "diag.h"
#include "model.h"
#include "source.h"

/* Runs the plugins m's site.yaml lists over m. plugins_dir is the bundled
 * plugins folder (NULL: plugin_default_dir()). Plugins run only on a
 * model without errors. Problems go to d; returns 0 when no error was
 * added. */
int plugins_run(model *m, const source *src, const char *plugins_dir,
	diag_list *d);

/* The bundled plugins folder: $ENQUIRE_PLUGINS, else "plugins" beside
 * the executable, its parent, or ../share/enquire/plugins. The caller
 * frees the result; NULL if none is found. */
char *plugin_default_dir(void);

/* `enquire NAME ARGS...` for a command a plugin registered with
 * command(NAME, fn). Returns the exit status; 2 when no plugin has NAME
 * (after printing usage to stderr). */
int plugin_command_main(int argc, char **argv, const char *usage);

#endif
