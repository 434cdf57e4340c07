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
	const char *path; /* published path: "assets/style.3f2a9c01d4.css" */
	const char *data;
	size_t size;
	const char *name; /* path in the theme: "assets/style.css" */
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
/* Stylesheets and scripts are published with a hash of their content in
 * the name (assets/style.<hash>.css), so browsers may cache them for
 * ever; other assets (images, fonts a CSS file may refer to) keep their
 * names. */
size_t theme_asset_count(const theme *t);
const theme_asset *theme_asset_at(const theme *t, size_t i);
/* A hash of every template and asset loaded, for the build cache. */
unsigned long long theme_hash(const theme *t);

/* The themes folder of this installation: $ENQUIRE_THEMES, else the
 * "themes" folder beside the executable, its parent (a build folder in
 * the source tree) or ../share/enquire/. The
 * caller frees the result; NULL if none is found. */
char *theme_default_dir(void);

#endif
