/*
 * fields: typed field getters over YAML mappings, reporting at the
 * position of the offending node.
 */
#include "fields.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void fields_begin(fields *f, arena *a, diag_list *d, const char *path,
	const value *map, unsigned line, unsigned col, const char *what)
{
	memset(f, 0, sizeof *f);
	f->a = a;
	f->d = d;
	f->path = path;
	f->line = line;
	f->col = col;
	if (map && map->kind == VALUE_MAP) {
		f->map = map;
	} else if (map && map->kind != VALUE_NULL) {
		diag_add(d, DIAG_ERROR, path, map->line, map->col,
			"%s must be a mapping of fields, not a %s", what,
			value_kind_name(map->kind));
	}
}

void fields_end(fields *f)
{
	if (!f->map)
		return;
	/* Fields are mostly written in the order the reader asks for them:
	 * each search starts after the last match, so a document's keys cost
	 * about one comparison each rather than half the known list. */
	size_t from = 0;
	for (size_t i = 0; i < f->map->u.map.n; i++) {
		const value_pair *p = &f->map->u.map.pairs[i];
		bool known = false;
		for (size_t j = 0; j < f->nknown && !known; j++) {
			size_t k = (from + j) % f->nknown;
			if (strcmp(f->known[k], p->key) == 0) {
				known = true;
				from = k + 1;
			}
		}
		if (!known)
			diag_add(f->d, DIAG_WARNING, f->path, p->line, p->col,
				"unknown field '%s'", p->key);
	}
}

void fields_report(fields *f, diag_level level, const value *v,
	const char *fmt, ...)
{
	unsigned line = f->line, col = f->col;
	if (v && v->line) {
		line = v->line;
		col = v->col;
	}
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(f->d, level, f->path, line, col, fmt, ap);
	va_end(ap);
}

const value *fields_get(fields *f, const char *key)
{
	if (f->nknown < FIELDS_MAX_KNOWN)
		f->known[f->nknown++] = key;
	const value *v = value_get(f->map, key);
	/* An empty field ("ended:") is the same as a missing one. */
	if (v && v->kind == VALUE_NULL)
		return NULL;
	return v;
}

static void missing(fields *f, const char *key)
{
	diag_add(f->d, DIAG_ERROR, f->path, f->line, f->col,
		"missing required field '%s'", key);
}

const char *fields_str(fields *f, const char *key, bool required)
{
	const value *v = fields_get(f, key);
	if (!v) {
		if (required)
			missing(f, key);
		return NULL;
	}
	if (!value_is_scalar(v)) {
		fields_report(f, DIAG_ERROR, v, "'%s' must be text, not a %s",
			key, value_kind_name(v->kind));
		return NULL;
	}
	const char *s = value_text(v);
	if (required && !*s) {
		fields_report(f, DIAG_ERROR, v, "'%s' must not be empty", key);
		return NULL;
	}
	return s;
}

bool fields_one_of(const char *s, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return true;
	return false;
}

static void put_choices(buf *b, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++) {
		if (i)
			buf_puts(b, allowed[i + 1] ? ", " : " or ");
		buf_puts(b, allowed[i]);
	}
}

const char *fields_enum(fields *f, const char *key, const char *const *allowed,
	bool required)
{
	const char *s = fields_str(f, key, required);
	if (!s || fields_one_of(s, allowed))
		return s;
	buf b = BUF_INIT;
	put_choices(&b, allowed);
	fields_report(f, DIAG_ERROR, value_get(f->map, key),
		"unknown %s '%s' (expected %s)", key, s, b.p);
	buf_release(&b);
	return NULL;
}

strlist fields_strlist(fields *f, const char *key, bool required)
{
	strlist out = { NULL, 0 };
	const value *v = fields_get(f, key);
	if (!v) {
		if (required)
			missing(f, key);
		return out;
	}
	if (value_is_scalar(v)) {
		out.items = arena_alloc(f->a, sizeof *out.items);
		out.items[0] = value_text(v);
		out.n = 1;
		return out;
	}
	if (v->kind != VALUE_LIST) {
		fields_report(f, DIAG_ERROR, v,
			"'%s' must be a list, not a mapping", key);
		return out;
	}
	out.items = arena_alloc(f->a, (v->u.list.n + 1) * sizeof *out.items);
	for (size_t i = 0; i < v->u.list.n; i++) {
		const value *item = v->u.list.items[i];
		if (!value_is_scalar(item) || item->kind == VALUE_NULL) {
			fields_report(f, DIAG_ERROR, item,
				"each item of '%s' must be text", key);
			continue;
		}
		out.items[out.n++] = value_text(item);
	}
	if (required && out.n == 0)
		fields_report(f, DIAG_ERROR, v, "'%s' needs at least one item",
			key);
	return out;
}

static int digits(const char *s, size_t n)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	return x;
}

bool fields_valid_date(const char *s)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return false;
	int year = digits(s, 4);
	if (year < 1000)
		return false;
	if (n == 4)
		return true;
	int month = s[4] == '-' ? digits(s + 5, 2) : -1;
	if (month < 1 || month > 12)
		return false;
	if (n == 7)
		return true;
	int day = s[7] == '-' ? digits(s + 8, 2) : -1;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = month == 2 && !leap ? 28 : days[month - 1];
	return day >= 1 && day <= max;
}

const char *fields_date(fields *f, const char *key, bool required)
{
	const char *s = fields_str(f, key, required);
	if (!s || fields_valid_date(s))
		return s;
	fields_report(f, DIAG_ERROR, value_get(f->map, key),
		"bad date '%s' in '%s' (expected YYYY-MM-DD, YYYY-MM or YYYY)",
		s, key);
	return NULL;
}

bool fields_bool(fields *f, const char *key, bool fallback)
{
	const value *v = fields_get(f, key);
	if (!v)
		return fallback;
	if (v->kind != VALUE_BOOL) {
		fields_report(f, DIAG_ERROR, v,
			"'%s' must be true or false", key);
		return fallback;
	}
	return v->u.b;
}

long fields_int(fields *f, const char *key, long lo, long hi, long fallback,
	bool required)
{
	const value *v = fields_get(f, key);
	if (!v) {
		if (required)
			missing(f, key);
		return fallback;
	}
	/* Range first: converting a huge or non-finite double to long is
	 * undefined behaviour. */
	if (v->kind != VALUE_NUMBER || !(v->u.num >= (double)lo &&
		v->u.num <= (double)hi) || v->u.num != (double)(long)v->u.num) {
		fields_report(f, DIAG_ERROR, v,
			"'%s' must be a whole number from %ld to %ld", key, lo,
			hi);
		return fallback;
	}
	return (long)v->u.num;
}

bool fields_valid_slug(const char *s, size_t n)
{
	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			(c == '-' && s[i + 1] != '-');
		if (!ok)
			return false;
	}
	return true;
}
