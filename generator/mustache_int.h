/*
 * mustache_int: what the Mustache parser (mustache_parse.c), renderer
 * (mustache_render.c) and template set (mustache.c) share. Not for other
 * modules.
 *
 * A template parses once into a tree of nodes that lives in its set's
 * arena. All whitespace decisions (standalone lines, partial indentation,
 * block re-indentation) are made at parse time, so rendering only walks the
 * tree: text nodes point into the template's own copy of its text, and a
 * node marked `bol` is the first output of a template line, where the
 * indentation of enclosing standalone partials goes.
 */
#ifndef ENQUIRE_MUSTACHE_INT_H
#define ENQUIRE_MUSTACHE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "mustache.h"

/* Deepest nesting of sections and blocks inside one template. */
#define MUSTACHE_MAX_NEST MUSTACHE_MAX_DEPTH

typedef enum {
	MN_TEXT,
	MN_VAR, /* {{name}}: HTML-escaped */
	MN_RAW, /* {{{name}}} and {{&name}} */
	MN_SECTION, /* {{#name}} */
	MN_INVERTED, /* {{^name}} */
	MN_PARTIAL, /* {{>name}} */
	MN_PARENT, /* {{<name}}: kids are the argument blocks only */
	MN_BLOCK, /* {{$name}}: kids are the default content */
} mnode_kind;

/* A name as written in a tag. For lookups in the data it is split at dots
 * into parts; "." (the implicit iterator) has no parts. */
typedef struct {
	const char *raw; /* NUL-terminated, trimmed */
	const char **parts;
	size_t nparts;
} mname;

typedef struct mtmpl mtmpl;
typedef struct mnode mnode;

struct mnode {
	unsigned char kind; /* mnode_kind */
	bool bol; /* first output of its template line: indent before it */
	bool standalone; /* partial, parent or block on a line of its own:
	                  * the first line of its content starts a line */
	bool force_nl; /* block whose end tag closed a standalone line: its
	                * content is whole lines, so it ends with a newline */
	bool dynamic; /* {{>*name}}: the template name comes from the data */
	unsigned line, col; /* of the opening tag */
	const char *text; /* MN_TEXT: the bytes (not NUL-terminated) */
	size_t len;
	const char *indent; /* partial, parent, block: added to every line */
	size_t indent_len;
	mname name;
	const mtmpl *target; /* static partial or parent, linked by compile */
	const char *path; /* of the template holding the tag, for errors */
	mnode *kids;
	size_t nkids;
};

struct mtmpl {
	char *name, *path, *text;
	size_t len;
	bool parsed; /* compiled since it was last added */
	bool ok; /* parsed without errors */
	mnode *root;
	size_t nroot;
};

struct mustache_set {
	mtmpl **t; /* sorted by name */
	size_t n, cap;
	bool compiled;
	arena a; /* every node and name of the compiled templates */
};

/* Parses t->text into t->root, allocating from a. Each syntax error is
 * added to d (which may be NULL); returns their number. */
int mustache_parse(mtmpl *t, arena *a, diag_list *d);

/* The template called name, or NULL. */
const mtmpl *mustache_find(const mustache_set *s, const char *name);

/* Renders a compiled template (see mustache_render). */
int mustache_render_tmpl(const mustache_set *s, const mtmpl *t,
	const value *data, buf *out, diag_list *d);

/* diag_add that tolerates a NULL list. */
void mustache_error(diag_list *d, const char *path, unsigned line,
	unsigned col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
