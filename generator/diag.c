/*
 * diag: collecting, sorting and printing diagnostics.
 */
#include "diag.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct diag_list {
	pthread_mutex_t lock;
	diag *items;
	size_t n, cap, errors, warnings;
};

diag_list *diag_list_new(void)
{
	diag_list *d = xcalloc(1, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

void diag_list_free(diag_list *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].path);
		free(d->items[i].msg);
	}
	free(d->items);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void diag_vadd(diag_list *d, diag_level level, const char *path, unsigned line,
	unsigned col, const char *fmt, va_list ap)
{
	buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	pthread_mutex_lock(&d->lock);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	diag *g = &d->items[d->n];
	g->path = xstrdup(path ? path : "");
	g->line = line;
	g->col = col;
	g->level = level;
	g->msg = buf_detach(&msg);
	g->seq = d->n++;
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

void diag_add(diag_list *d, diag_level level, const char *path, unsigned line,
	unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, path, line, col, fmt, ap);
	va_end(ap);
}

size_t diag_count(const diag_list *d)
{
	return d->n;
}

size_t diag_errors(const diag_list *d)
{
	return d->errors;
}

size_t diag_warnings(const diag_list *d)
{
	return d->warnings;
}

const diag *diag_at(const diag_list *d, size_t i)
{
	return i < d->n ? &d->items[i] : NULL;
}

static int compare(const void *pa, const void *pb)
{
	const diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *level_name(diag_level level)
{
	switch (level) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "?";
}

char *diag_format(const diag *g)
{
	buf b = BUF_INIT;
	if (g->path[0]) {
		buf_puts(&b, g->path);
		if (g->line) {
			buf_printf(&b, ":%u", g->line);
			if (g->col)
				buf_printf(&b, ":%u", g->col);
		}
		buf_puts(&b, ": ");
	} else {
		buf_puts(&b, "enquire: ");
	}
	buf_printf(&b, "%s: %s", level_name(g->level), g->msg);
	return buf_detach(&b);
}

void diag_print(diag_list *d, FILE *out)
{
	diag_print_upto(d, DIAG_NOTE, out);
}

void diag_print_upto(diag_list *d, diag_level least, FILE *out)
{
	pthread_mutex_lock(&d->lock);
	if (d->n > 1)
		qsort(d->items, d->n, sizeof *d->items, compare);
	for (size_t i = 0; i < d->n; i++) {
		if (d->items[i].level > least)
			continue;
		char *line = diag_format(&d->items[i]);
		fprintf(out, "%s\n", line);
		free(line);
	}
	pthread_mutex_unlock(&d->lock);
}
