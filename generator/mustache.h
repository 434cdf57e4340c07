/*
 * mustache: the template engine (https://mustache.github.io/mustache.5.html)
 * over value trees. Passes the official spec: comments, delimiters,
 * interpolation, inverted sections, partials, sections, and the optional
 * inheritance ({{< parent}} {{$block}}) and dynamic names ({{>*name}})
 * modules. Lambdas are not supported.
 *
 * Templates are grouped in a set (a theme): partials and parents are looked
 * up by name in the same set. Templates are parsed once by
 * mustache_set_compile; after that, rendering is thread-safe.
 *
 * {{name}} is HTML-escaped; {{{name}}} and {{& name}} are not, and are
 * meant only for HTML the generator made itself (rendered Markdown).
 * Numbers print in their shortest form (1.210 prints "1.21").
 */
#ifndef ENQUIRE_MUSTACHE_H
#define ENQUIRE_MUSTACHE_H

#include <stddef.h>

#include "diag.h"
#include "util.h"
#include "value.h"

/* Guards against templates that include themselves without end. */
#define MUSTACHE_MAX_DEPTH 100
/* Guard against templates whose work grows exponentially (sections over
 * lists nested in sections over the same lists): one render stops with an
 * error after this many template nodes or bytes of output. */
#define MUSTACHE_MAX_STEPS 20000000UL
#define MUSTACHE_MAX_OUTPUT (256UL << 20)

typedef struct mustache_set mustache_set;

/* The caller must free the result with mustache_set_free. */
mustache_set *mustache_set_new(void);
void mustache_set_free(mustache_set *s);

/* Adds a template named name (copying text). Adding a name twice replaces
 * the earlier text: a site's own templates override its theme's. path is
 * used in diagnostics. */
void mustache_set_add(mustache_set *s, const char *name, const char *text,
	size_t len, const char *path);
int mustache_set_has(const mustache_set *s, const char *name);

/* Parses every template; each syntax error (unclosed tag or section,
 * mismatched section end, bad delimiter change) becomes a diagnostic at
 * path:line:col. Returns the number of errors. */
int mustache_set_compile(mustache_set *s, diag_list *d);

/* Renders template name with data, appending to out. Returns 0, or -1
 * after adding an error to d (unknown template, a template with syntax
 * errors, partials nested past MUSTACHE_MAX_DEPTH, the limits above), with
 * out as it was. A missing partial renders as nothing (the spec). d may
 * be NULL. */
int mustache_render(const mustache_set *s, const char *name,
	const value *data, buf *out, diag_list *d);

#endif
