/*
 * theme: the templates and assets a site is rendered with.
 *
 * A theme is a folder themes/<name>/ holding templates/NAME.mustache and
 * assets/. It is looked for first in the themes folder of the enquire
 * installation, then the site's own source may add or override any file
 * by committing one of the same name under its themes/<name>/ (or its
 * layouts/ folder, for templates). Site files come from the same commit
 * as the content.
 */
#ifndef ENQUIRE_THEME_H
#define ENQUIRE_THEME_H

#include <stddef.h>

#include "diag.h"
#include "mustache.h"
#include "source.h"

typedef struct {
	const char *path; /* published path: "assets/style.css" */
	const char *data;
	size_t size;
} theme_asset;

typedef struct theme theme;

/*
 * Loads theme name from themes_dir (may be NULL: only the site's own files)
 * and src, and compiles the templates. Returns NULL after adding errors to
 * d (unknown theme, template syntax errors). Free with theme_free.
 */
theme *theme_load(const char *themes_dir, const char *name,
	const source *src, diag_list *d);
void theme_free(theme *t);

const mustache_set *theme_templates(const theme *t);
size_t theme_asset_count(const theme *t);
const theme_asset *theme_asset_at(const theme *t, size_t i);

/* The themes folder of this installation: $ENQUIRE_THEMES, else the
 * "themes" folder beside the executable, its parent (a build folder in
 * the source tree) or ../share/enquire/. The
 * caller frees the result; NULL if none is found. */
char *theme_default_dir(void);

#endif
