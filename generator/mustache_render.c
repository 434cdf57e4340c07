/*
 * mustache_render: walks a compiled template tree over a value tree.
 *
 * Runs on several threads at once over the same set, so nothing here
 * writes to the set or its nodes. Per render, the only memory used besides
 * the output buffer is the C stack: the context stack and the chain of
 * parent-argument frames are linked lists of frames on it, and indentation
 * lives in a small array (moved to the heap only past INDENT_SMALL bytes).
 *
 * Indentation: `ind[base..len)` is prepended to each template line that
 * starts inside a standalone partial, parent or block. A partial that is
 * not standalone gets no indentation of its own (base moves up to len).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

#define INDENT_SMALL 256
/* Sections, partials and blocks open at once: bounds the C stack. */
#define MAX_NEST 1000

typedef struct ctx {
	const value *v;
	const struct ctx *up;
} ctx;

/* The parents being rendered, innermost first; their kids are the
 * argument blocks that override blocks of the same name. */
typedef struct env {
	const mnode *parent;
	const struct env *up;
} env;

typedef struct {
	const mustache_set *s;
	buf *out;
	diag_list *d;
	char *ind;
	size_t ind_len, ind_base, ind_cap;
	bool pending; /* the next output starts a line of a standalone include */
	unsigned depth; /* partials, parents and blocks open */
	unsigned nest; /* everything open, sections too */
	unsigned long steps; /* nodes rendered */
	size_t start; /* out->len when the render began */
	char small[INDENT_SMALL];
} rstate;

static int render_list(rstate *st, const mnode *kids, size_t n, const ctx *c,
	const env *e);

static void ind_push(rstate *st, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (st->ind_len + n > st->ind_cap) {
		size_t cap = st->ind_cap * 2;
		if (cap < st->ind_len + n)
			cap = st->ind_len + n;
		if (st->ind == st->small) {
			st->ind = xmalloc(cap);
			memcpy(st->ind, st->small, st->ind_len);
		} else {
			st->ind = xrealloc(st->ind, cap);
		}
		st->ind_cap = cap;
	}
	memcpy(st->ind + st->ind_len, s, n);
	st->ind_len += n;
}

/* Writes the indentation if the node starts a template line. */
static void line_start(rstate *st, const mnode *n)
{
	if (st->ind_len > st->ind_base && (n->bol || st->pending))
		buf_put(st->out, st->ind + st->ind_base, st->ind_len - st->ind_base);
	st->pending = false;
}

static void put_text(rstate *st, const mnode *n)
{
	size_t il = st->ind_len - st->ind_base;
	line_start(st, n);
	if (il == 0) {
		buf_put(st->out, n->text, n->len);
		return;
	}
	const char *p = n->text, *end = n->text + n->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl + 1 == end) {
			buf_put(st->out, p, (size_t)(end - p));
			break;
		}
		buf_put(st->out, p, (size_t)(nl + 1 - p));
		buf_put(st->out, st->ind + st->ind_base, il);
		p = nl + 1;
	}
}

/* Numbers in their shortest form that reads back the same: 1.210 -> 1.21,
 * 3.0 -> 3. */
static void put_number(buf *out, double x)
{
	char tmp[40];
	int n;
	if (x == floor(x) && fabs(x) < 1e17)
		n = snprintf(tmp, sizeof tmp, "%.0f", x);
	else
		for (int prec = 15; prec <= 17; prec++) {
			n = snprintf(tmp, sizeof tmp, "%.*g", prec, x);
			if (strtod(tmp, NULL) == x)
				break;
		}
	buf_put(out, tmp, (size_t)n);
}

static void put_value(buf *out, const value *v, bool escape)
{
	if (!v)
		return;
	switch (v->kind) {
	case VALUE_BOOL:
		buf_puts(out, v->u.b ? "true" : "false");
		return;
	case VALUE_NUMBER:
		put_number(out, v->u.num);
		return;
	case VALUE_STRING:
		if (escape)
			buf_put_html(out, v->str, v->len);
		else
			buf_put(out, v->str, v->len);
		return;
	default:
		/* null prints nothing; so do lists and maps, which have no
		 * text of their own */
		return;
	}
}

/* The first part of a dotted name is looked up through the whole context
 * stack; the rest only inside what the first part found. */
static const value *lookup(const ctx *c, const mname *nm)
{
	if (nm->nparts == 0)
		return c ? c->v : NULL;
	const value *v = NULL;
	for (; c && !v; c = c->up)
		if (c->v && c->v->kind == VALUE_MAP)
			v = value_get(c->v, nm->parts[0]);
	for (size_t i = 1; v && i < nm->nparts; i++)
		v = value_get(v, nm->parts[i]);
	return v;
}

static int section(rstate *st, const mnode *n, const ctx *c, const env *e)
{
	const value *v = lookup(c, &n->name);
	if (n->kind == MN_INVERTED)
		return value_truthy(v) ? 0 : render_list(st, n->kids, n->nkids, c, e);
	if (!value_truthy(v))
		return 0;
	if (v->kind != VALUE_LIST) {
		ctx inner = { v, c };
		return render_list(st, n->kids, n->nkids, &inner, e);
	}
	for (size_t i = 0; i < v->u.list.n; i++) {
		ctx inner = { v->u.list.items[i], c };
		if (render_list(st, n->kids, n->nkids, &inner, e) < 0)
			return -1;
	}
	return 0;
}

static int too_deep(rstate *st, const mnode *n, const char *what)
{
	mustache_error(st->d, n->path, n->line, n->col,
		"%s '%s' nested deeper than %d levels", what, n->name.raw,
		MUSTACHE_MAX_DEPTH);
	return -1;
}

/* {{>name}} and {{<name}}: renders another template of the set. */
static int include(rstate *st, const mnode *n, const ctx *c, const env *e)
{
	const mtmpl *t = n->target;
	if (n->dynamic) {
		/* A failed lookup, or a name that is not text, renders
		 * nothing, like a missing partial. */
		const char *name = value_text(lookup(c, &n->name));
		t = name ? mustache_find(st->s, name) : NULL;
	}
	/* A template that did not compile was reported by compile. */
	if (!t || !t->ok)
		return 0;
	if (st->depth >= MUSTACHE_MAX_DEPTH)
		return too_deep(st, n, n->kind == MN_PARENT ? "parent" : "partial");
	size_t len = st->ind_len, base = st->ind_base;
	if (n->standalone) {
		ind_push(st, n->indent, n->indent_len);
		st->pending = true;
	} else {
		line_start(st, n);
		st->ind_base = st->ind_len;
	}
	env inner = { n, e };
	st->depth++;
	int rc = render_list(st, t->root, t->nroot, c,
		n->kind == MN_PARENT ? &inner : e);
	st->depth--;
	st->ind_len = len;
	st->ind_base = base;
	st->pending = false;
	return rc;
}

/* {{$name}}: the outermost override wins (the spec's multi-level
 * inheritance); the content is rendered in the context of the block. */
static int block(rstate *st, const mnode *n, const ctx *c, const env *e)
{
	const mnode *body = n;
	for (const env *f = e; f; f = f->up)
		for (size_t i = 0; i < f->parent->nkids; i++)
			if (strcmp(f->parent->kids[i].name.raw, n->name.raw) == 0) {
				body = &f->parent->kids[i];
				break;
			}
	if (st->depth >= MUSTACHE_MAX_DEPTH)
		return too_deep(st, n, "block");
	size_t len = st->ind_len, start = st->out->len;
	ind_push(st, n->indent, n->indent_len);
	if (n->standalone)
		st->pending = true;
	st->depth++;
	int rc = render_list(st, body->kids, body->nkids, c, e);
	st->depth--;
	if (rc == 0 && n->force_nl && st->out->len > start &&
			st->out->p[st->out->len - 1] != '\n')
		buf_putc(st->out, '\n');
	st->ind_len = len;
	if (n->standalone)
		st->pending = false;
	return rc;
}

static int render_list(rstate *st, const mnode *kids, size_t n, const ctx *c,
	const env *e)
{
	if (++st->nest > MAX_NEST) {
		mustache_error(st->d, n ? kids[0].path : "", n ? kids[0].line : 0,
			n ? kids[0].col : 0, "templates nested deeper than %d levels",
			MAX_NEST);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const mnode *k = &kids[i];
		if (++st->steps > MUSTACHE_MAX_STEPS ||
				st->out->len - st->start > MUSTACHE_MAX_OUTPUT) {
			mustache_error(st->d, k->path, k->line, k->col,
				"template output too large (over %lu nodes or "
				"%lu bytes)", MUSTACHE_MAX_STEPS,
				MUSTACHE_MAX_OUTPUT);
			rc = -1;
			break;
		}
		switch ((mnode_kind)k->kind) {
		case MN_TEXT:
			put_text(st, k);
			break;
		case MN_VAR:
		case MN_RAW:
			line_start(st, k);
			put_value(st->out, lookup(c, &k->name), k->kind == MN_VAR);
			break;
		case MN_SECTION:
		case MN_INVERTED:
			rc = section(st, k, c, e);
			break;
		case MN_PARTIAL:
		case MN_PARENT:
			rc = include(st, k, c, e);
			break;
		case MN_BLOCK:
			rc = block(st, k, c, e);
			break;
		}
	}
	st->nest--;
	return rc;
}

/* The data is the bottom of the context stack; no parent is open. */
int mustache_render_tmpl(const mustache_set *s, const mtmpl *t,
	const value *data, buf *out, diag_list *d)
{
	rstate st;
	st.s = s;
	st.out = out;
	st.d = d;
	st.ind = st.small;
	st.ind_len = st.ind_base = 0;
	st.ind_cap = sizeof st.small;
	st.pending = false;
	st.depth = st.nest = 0;
	st.steps = 0;
	st.start = out->len;
	ctx root = { data, NULL };
	int rc = render_list(&st, t->root, t->nroot, &root, NULL);
	if (st.ind != st.small)
		free(st.ind);
	if (rc < 0)
		buf_truncate(out, st.start);
	return rc;
}
