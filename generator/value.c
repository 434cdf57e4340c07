/*
 * value: construction and lookup of value trees.
 */
#include "value.h"

#include <assert.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static value *node(arena *a, value_kind kind)
{
	/* Every page's data is made of these: one store per field beats
	 * zeroing the node first. */
	value *v = arena_alloc_raw(a, sizeof *v);
	*v = (value){ .kind = kind, .str = "" };
	return v;
}

value *value_null(arena *a)
{
	return node(a, VALUE_NULL);
}

value *value_bool(arena *a, bool b)
{
	value *v = node(a, VALUE_BOOL);
	v->u.b = b;
	v->str = b ? "true" : "false";
	v->len = b ? 4 : 5;
	return v;
}

/* "%.15g" of n, without printf for the whole numbers that template data
 * is mostly made of (counts, page numbers): their text is their digits. */
static const char *number_text(arena *a, double n, size_t *len)
{
	if (!(n > -1e15 && n < 1e15) || n != (double)(long long)n ||
		(n == 0 && signbit(n))) {
		const char *s = arena_printf(a, "%.15g", n);
		*len = strlen(s);
		return s;
	}
	char tmp[24], *end = tmp + sizeof tmp, *p = end;
	long long i = (long long)n;
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i :
		(unsigned long long)i;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (i < 0)
		*--p = '-';
	*len = (size_t)(end - p);
	return arena_strndup(a, p, *len);
}

value *value_number(arena *a, double n)
{
	value *v = node(a, VALUE_NUMBER);
	v->u.num = n;
	v->str = number_text(a, n, &v->len);
	return v;
}

value *value_string_ref(arena *a, const char *s, size_t n)
{
	value *v = node(a, VALUE_STRING);
	v->str = s;
	v->len = n;
	v->quoted = true;
	return v;
}

value *value_stringn(arena *a, const char *s, size_t n)
{
	return value_string_ref(a, arena_strndup(a, s, n), n);
}

value *value_string_keyed(arena *a, const char *s, size_t n,
	unsigned long long key)
{
	value *v = value_stringn(a, s, n);
	v->fingerprint = key; /* not yet shared: no other thread sees it */
	return v;
}

value *value_string(arena *a, const char *s)
{
	return value_stringn(a, s, strlen(s));
}

value *value_list(arena *a)
{
	return node(a, VALUE_LIST);
}

value *value_map(arena *a)
{
	return node(a, VALUE_MAP);
}

/* Grows an arena array of elem-sized items to hold one more. */
static void *grow(arena *a, void *items, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = arena_alloc_raw(a, ncap * elem); /* read up to n only */
	if (n)
		memcpy(p, items, n * elem);
	*cap = ncap;
	return p;
}

/* Lists and maps change only until frozen or hashed (value.h). */
static bool mutable(const value *v)
{
	return !v->frozen && atomic_load_explicit(
		(_Atomic unsigned long long *)(uintptr_t)&v->fingerprint,
		memory_order_relaxed) == 0;
}

void value_push(arena *a, value *list, value *item)
{
	assert(list->kind == VALUE_LIST && mutable(list));
	list->u.list.items = grow(a, list->u.list.items, list->u.list.n,
		&list->u.list.cap, sizeof(value *));
	list->u.list.items[list->u.list.n++] = item;
}

void value_set_ref(arena *a, value *map, const char *key, value *val)
{
	assert(map->kind == VALUE_MAP && mutable(map));
	map->u.map.pairs = grow(a, map->u.map.pairs, map->u.map.n,
		&map->u.map.cap, sizeof(value_pair));
	value_pair *p = &map->u.map.pairs[map->u.map.n++];
	p->key = key;
	p->line = val ? val->line : 0;
	p->col = val ? val->col : 0;
	p->val = val;
}

void value_set(arena *a, value *map, const char *key, value *val)
{
	value_set_ref(a, map, arena_strdup(a, key), val);
}

value *value_copy(arena *a, const value *map, size_t extra)
{
	value *copy = value_map(a);
	size_t n = map->u.map.n;
	copy->u.map.cap = n + extra;
	if (copy->u.map.cap)
		copy->u.map.pairs = arena_alloc_raw(a, copy->u.map.cap *
			sizeof(value_pair));
	if (n)
		memcpy(copy->u.map.pairs, map->u.map.pairs, n * sizeof(value_pair));
	copy->u.map.n = n;
	copy->base = map;
	return copy;
}

void value_freeze(value *v)
{
	if (!v || v->frozen)
		return;
	v->frozen = true;
	if (v->kind == VALUE_LIST)
		for (size_t i = 0; i < v->u.list.n; i++)
			value_freeze(v->u.list.items[i]);
	else if (v->kind == VALUE_MAP)
		for (size_t i = 0; i < v->u.map.n; i++)
			value_freeze(v->u.map.pairs[i].val);
}

void value_set_str(arena *a, value *map, const char *key, const char *s)
{
	value_set(a, map, key, s ? value_string(a, s) : value_null(a));
}

void value_set_bool(arena *a, value *map, const char *key, bool b)
{
	value_set(a, map, key, value_bool(a, b));
}

void value_set_int(arena *a, value *map, const char *key, long n)
{
	value_set(a, map, key, value_number(a, (double)n));
}

const value_pair *value_get_pair(const value *map, const char *key)
{
	if (!map || map->kind != VALUE_MAP)
		return NULL;
	/* Templates look names up through every map of their context, so
	 * most comparisons fail: the first two bytes settle those without a
	 * call. */
	for (size_t i = 0; i < map->u.map.n; i++) {
		const char *k = map->u.map.pairs[i].key;
		if (k[0] == key[0] && (!k[0] || (k[1] == key[1] &&
			strcmp(k, key) == 0)))
			return &map->u.map.pairs[i];
	}
	return NULL;
}

value *value_get(const value *map, const char *key)
{
	const value_pair *p = value_get_pair(map, key);
	return p ? p->val : NULL;
}

bool value_is_scalar(const value *v)
{
	return v && v->kind != VALUE_LIST && v->kind != VALUE_MAP;
}

const char *value_text(const value *v)
{
	if (!value_is_scalar(v))
		return NULL;
	if (v->kind == VALUE_NULL)
		return "";
	return v->str;
}

bool value_truthy(const value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VALUE_NULL: return false;
	case VALUE_BOOL: return v->u.b;
	case VALUE_STRING: return v->len > 0;
	case VALUE_LIST: return v->u.list.n > 0;
	default: return true;
	}
}

size_t value_count(const value *v)
{
	if (!v)
		return 0;
	if (v->kind == VALUE_LIST)
		return v->u.list.n;
	if (v->kind == VALUE_MAP)
		return v->u.map.n;
	return 0;
}

const char *value_kind_name(value_kind k)
{
	switch (k) {
	case VALUE_NULL: return "null";
	case VALUE_BOOL: return "boolean";
	case VALUE_NUMBER: return "number";
	case VALUE_STRING: return "string";
	case VALUE_LIST: return "list";
	case VALUE_MAP: return "mapping";
	}
	return "?";
}
