/*
 * fields: typed reading of YAML mappings with diagnostics, so each content
 * type is read declaratively: ask for each field with its type, then
 * fields_end warns about every key nobody asked for (a misspelt field is
 * a warning, never silently ignored).
 *
 * Every getter returns NULL (or an empty list) when the field is missing
 * or malformed, after reporting an error if it was required or malformed.
 */
#ifndef ENQUIRE_FIELDS_H
#define ENQUIRE_FIELDS_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "value.h"

#define FIELDS_MAX_KNOWN 64

typedef struct {
	arena *a;
	diag_list *d;
	const char *path;
	const value *map; /* NULL when the document had no mapping */
	unsigned line, col; /* where to report missing fields */
	const char *known[FIELDS_MAX_KNOWN];
	size_t nknown;
} fields;

/* Starts reading map (reported at line:col when a field is missing). A map
 * that is not a mapping is an error; then every getter finds nothing. */
void fields_begin(fields *f, arena *a, diag_list *d, const char *path,
	const value *map, unsigned line, unsigned col, const char *what);
/* Warns about keys no getter asked for. */
void fields_end(fields *f);

const value *fields_get(fields *f, const char *key);
const char *fields_str(fields *f, const char *key, bool required);
/* Like fields_str, but the text must be one of allowed (NULL-terminated). */
const char *fields_enum(fields *f, const char *key, const char *const *allowed,
	bool required);
/* A list of scalars; a single scalar counts as a list of one. */
strlist fields_strlist(fields *f, const char *key, bool required);
/* YYYY, YYYY-MM or YYYY-MM-DD with a real month and day. */
const char *fields_date(fields *f, const char *key, bool required);
bool fields_bool(fields *f, const char *key, bool fallback);
/* A whole number in [lo, hi]; fallback when missing or malformed. */
long fields_int(fields *f, const char *key, long lo, long hi, long fallback,
	bool required);

/* Reports an error or warning at v's position (or the map's if v has
 * none). */
void fields_report(fields *f, diag_level level, const value *v,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Is s one of the NULL-terminated allowed? */
bool fields_one_of(const char *s, const char *const *allowed);
/* Is s a valid date as fields_date accepts it? */
bool fields_valid_date(const char *s);
/* Is s a valid slug: [a-z0-9]+(-[a-z0-9]+)* ? */
bool fields_valid_slug(const char *s, size_t n);

#endif
