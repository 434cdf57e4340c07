/*
 * value: the small tree that YAML parses into and templates render from.
 *
 * Every node remembers the line and column it came from (1-based; 0 for
 * nodes made by code), so any diagnostic about a field can point at it.
 * Nodes live in an arena and are never freed one by one; a subtree may be
 * shared by several parents (a case study's summary appears on many list
 * pages), so treat a value as immutable once it is handed on.
 */
#ifndef ENQUIRE_VALUE_H
#define ENQUIRE_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef enum {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_NUMBER,
	VALUE_STRING,
	VALUE_LIST,
	VALUE_MAP,
} value_kind;

typedef struct value value;

typedef struct {
	const char *key; /* NUL-terminated */
	unsigned line, col; /* where the key stands */
	value *val;
} value_pair;

struct value {
	value_kind kind;
	unsigned line, col;
	bool quoted; /* a quoted or block YAML scalar: always a string */
	/* Set by value_freeze: value_set and value_push refuse it (assert). */
	bool frozen;
	/* Scalars (all kinds but LIST and MAP) keep their source text here,
	 * NUL-terminated: "12" for the number 12, "true" for a bool, "" or "~"
	 * for null. Content code reads fields through value_text, so a title
	 * that looks like a number stays exactly as written. */
	const char *str;
	union {
		size_t len; /* of str */
		/* A map only: the map this one was copied from (value_copy),
		 * whose pairs are this one's first, or NULL. Lets
		 * incremental.c resume from base's memoised hash instead of
		 * hashing those pairs again; it checks they are still the
		 * same pairs first, so it is a hint, never trusted blindly. */
		const struct value *base;
	};
	/* incremental.c's memo of a list's or map's hash (its pairs' or
	 * items' part), 0 until computed: a subtree shared by many pages
	 * (a card) is hashed once per build. So a list or map must not
	 * change once hashed (value_set and value_push assert it). On a
	 * string made by value_string_keyed, its key (never 0), which
	 * fingerprints it instead of its bytes. */
	_Atomic unsigned long long fingerprint;
	union {
		bool b;
		double num;
		struct {
			value **items;
			size_t n, cap;
		} list;
		struct {
			value_pair *pairs;
			size_t n, cap;
		} map;
	} u;
};

/* Constructors: all nodes come from arena a. value_string copies s;
 * value_string_ref points at s, which must outlive the value. */
value *value_null(arena *a);
value *value_bool(arena *a, bool b);
value *value_number(arena *a, double n);
value *value_string(arena *a, const char *s);
value *value_stringn(arena *a, const char *s, size_t n);
value *value_string_ref(arena *a, const char *s, size_t n);
value *value_list(arena *a);
value *value_map(arena *a);
/* A copy of s[0..n) that stands for the output of a pure function of
 * key (a hash of all its inputs): incremental.c fingerprints it by key
 * alone, so data built only to be fingerprinted may leave s empty and
 * skip the work. key 0 makes a plain string. */
value *value_string_keyed(arena *a, const char *s, size_t n,
	unsigned long long key);
/* Appends to a list or map (grows in the arena). value_set appends a pair
 * without looking for an earlier one with the same key; key is copied.
 * value_set_ref does not copy key, which must outlive the map (a string
 * literal). Both assert that the list or map is neither frozen nor
 * hashed yet. */
void value_push(arena *a, value *list, value *item);
void value_set(arena *a, value *map, const char *key, value *val);
void value_set_ref(arena *a, value *map, const char *key, value *val);
/* A shallow copy of map with room for extra more pairs, to add to
 * without changing map (keys and values are shared, not copied). */
value *value_copy(arena *a, const value *map, size_t extra);
/* Marks v and everything under it frozen: built once, shared by many
 * pages, never to change again. */
void value_freeze(value *v);
/* Shorthands for building template data. */
void value_set_str(arena *a, value *map, const char *key, const char *s);
void value_set_bool(arena *a, value *map, const char *key, bool b);
void value_set_int(arena *a, value *map, const char *key, long n);

/* The value under key in a map, or NULL (also when v is not a map). */
value *value_get(const value *map, const char *key);
const value_pair *value_get_pair(const value *map, const char *key);
/* The text of a scalar (never NULL for scalars; NULL for lists, maps and
 * a NULL v). A null scalar's text is "". */
const char *value_text(const value *v);
bool value_is_scalar(const value *v);
/* Mustache truthiness: null, false, "" and the empty list are false. */
bool value_truthy(const value *v);
size_t value_count(const value *v); /* items of a list, pairs of a map, else 0 */
const char *value_kind_name(value_kind k);

#endif
