/*
 * mustache: the template set (a theme) and its life cycle: add texts,
 * compile them all at once, then render from any number of threads.
 *
 * Invariant: after mustache_set_compile and until the next
 * mustache_set_add, the set and every node in it are read-only, which is
 * what makes rendering thread-safe. Static partial and parent names are
 * resolved to templates at compile time; dynamic ones ({{>*name}}) by a
 * binary search over the sorted template list at render time.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

mustache_set *mustache_set_new(void)
{
	mustache_set *s = xcalloc(1, sizeof *s);
	s->a = ARENA_INIT;
	return s;
}

static void tmpl_free(mtmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	free(t->text);
	free(t);
}

void mustache_set_free(mustache_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tmpl_free(s->t[i]);
	free(s->t);
	arena_release(&s->a);
	free(s);
}

/* Index of name in the sorted list, or where it would go (*found false). */
static size_t position(const mustache_set *s, const char *name, bool *found)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->t[mid]->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const mtmpl *mustache_find(const mustache_set *s, const char *name)
{
	bool found;
	size_t i = position(s, name, &found);
	return found ? s->t[i] : NULL;
}

int mustache_set_has(const mustache_set *s, const char *name)
{
	return mustache_find(s, name) != NULL;
}

void mustache_set_add(mustache_set *s, const char *name, const char *text,
	size_t len, const char *path)
{
	bool found;
	size_t i = position(s, name, &found);
	mtmpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->path = xstrdup(path ? path : name);
	t->text = xmalloc(len + 1);
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	t->len = len;
	if (found) {
		tmpl_free(s->t[i]);
	} else {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->t = xrealloc(s->t, s->cap * sizeof *s->t);
		}
		memmove(&s->t[i + 1], &s->t[i], (s->n - i) * sizeof *s->t);
		s->n++;
	}
	s->t[i] = t;
	s->compiled = false;
}

static void link_nodes(const mustache_set *s, mnode *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mnode *k = &kids[i];
		if ((k->kind == MN_PARTIAL || k->kind == MN_PARENT) && !k->dynamic)
			k->target = mustache_find(s, k->name.raw);
		link_nodes(s, k->kids, k->nkids);
	}
}

int mustache_set_compile(mustache_set *s, diag_list *d)
{
	int errors = 0;
	/* Recompiling parses everything again: nodes of replaced templates
	 * go with the old arena. */
	arena_release(&s->a);
	s->a = ARENA_INIT;
	for (size_t i = 0; i < s->n; i++) {
		mtmpl *t = s->t[i];
		int e = mustache_parse(t, &s->a, d);
		t->parsed = true;
		t->ok = e == 0;
		errors += e;
	}
	for (size_t i = 0; i < s->n; i++)
		link_nodes(s, s->t[i]->root, s->t[i]->nroot);
	s->compiled = true;
	return errors;
}

int mustache_render(const mustache_set *s, const char *name,
	const value *data, buf *out, diag_list *d)
{
	const mtmpl *t = mustache_find(s, name);
	if (!t) {
		mustache_error(d, "", 0, 0, "unknown template '%s'", name);
		return -1;
	}
	if (!s->compiled || !t->parsed) {
		mustache_error(d, t->path, 0, 0,
			"template '%s' rendered before the set was compiled", name);
		return -1;
	}
	if (!t->ok) {
		mustache_error(d, t->path, 0, 0, "template '%s' has errors",
			name);
		return -1;
	}
	return mustache_render_tmpl(s, t, data, out, d);
}

void mustache_error(diag_list *d, const char *path, unsigned line,
	unsigned col, const char *fmt, ...)
{
	va_list ap;
	if (!d)
		return;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, path, line, col, fmt, ap);
	va_end(ap);
}
