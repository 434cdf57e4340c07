/*
 * yamlparse: YAML text to a value tree, the first stage of reading any
 * content file. The only module that includes libyaml's <yaml.h>.
 *
 * Key invariants: every libyaml event is deleted by the function that
 * fetched it, so no error path leaks; the tree never contains a cycle,
 * because an anchor can be used only once its node is complete; and the
 * tree as seen through its aliases stays within YAML_MAX_EXPANDED_NODES
 * nodes and YAML_MAX_DEPTH levels, so code that walks it cannot be made
 * to run away by a small input.
 */
#include "yamlparse.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

#define CORE_TAG "tag:yaml.org,2002:"

/*
 * A small open-addressing hash table from (scope, string) to an index. It
 * keeps duplicate-key checks and alias look-ups linear in the input: a map
 * with 100,000 keys must not cost 10^10 comparisons.
 */
typedef struct {
	const void *scope; /* the map a key belongs to; NULL for anchors */
	const char *key; /* NULL for an empty slot; not owned */
	size_t hash;
	size_t val;
} slot;

typedef struct {
	slot *slots;
	size_t n, cap; /* cap is 0 or a power of two */
} table;

static size_t hash_of(const void *scope, const char *key)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	uintptr_t s = (uintptr_t)scope;
	for (size_t i = 0; i < sizeof s; i++) {
		h ^= (s >> (8 * i)) & 0xff;
		h *= 1099511628211u;
	}
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211u;
	}
	return (size_t)h;
}

/* The slot holding (scope, key), or the empty slot where it would go. */
static slot *table_slot(const table *t, const void *scope, const char *key,
	size_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		slot *s = &t->slots[i];
		if (!s->key || (s->hash == h && s->scope == scope &&
				strcmp(s->key, key) == 0))
			return s;
	}
}

static slot *table_find(const table *t, const void *scope, const char *key)
{
	if (!t->cap)
		return NULL;
	slot *s = table_slot(t, scope, key, hash_of(scope, key));
	return s->key ? s : NULL;
}

/* Inserts or overwrites; key must outlive the table. */
static void table_put(table *t, const void *scope, const char *key, size_t val)
{
	if (2 * (t->n + 1) > t->cap) {
		table old = *t;
		t->cap = old.cap ? old.cap * 2 : 64;
		t->slots = xcalloc(t->cap, sizeof *t->slots);
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i].key)
				*table_slot(t, old.slots[i].scope, old.slots[i].key,
					old.slots[i].hash) = old.slots[i];
		free(old.slots);
	}
	size_t h = hash_of(scope, key);
	slot *s = table_slot(t, scope, key, h);
	if (!s->key) {
		t->n++;
		s->scope = scope;
		s->key = key;
		s->hash = h;
	}
	s->val = val;
}

typedef struct {
	value *node; /* NULL while the anchored node is still being built */
	size_t size; /* nodes in its subtree, aliases expanded */
	unsigned height; /* levels of lists and maps in its subtree */
} anchor;

typedef struct {
	yaml_parser_t parser;
	arena *a;
	const char *text;
	size_t len;
	const char *path;
	unsigned first_line;
	diag_list *d;
	anchor *anchors; /* malloc'd */
	size_t nanchors, anchors_cap;
	table anchor_names; /* name -> index into anchors (the latest one) */
	table keys; /* (map, key) pairs seen so far */
	size_t total; /* nodes built so far, each alias counted as its target */
	bool aliased; /* has an alias added to total? */
	size_t errors; /* diagnostics added */
} ctx;

static void error_at(ctx *c, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static unsigned line_of(const ctx *c, yaml_mark_t m)
{
	size_t line = m.line + c->first_line;
	return line > UINT_MAX ? UINT_MAX : (unsigned)line;
}

static unsigned col_of(yaml_mark_t m)
{
	return m.column >= UINT_MAX ? UINT_MAX : (unsigned)m.column + 1;
}

static void error_at(ctx *c, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->errors++;
	diag_vadd(c->d, DIAG_ERROR, c->path, line_of(c, m), col_of(m), fmt, ap);
	va_end(ap);
}

/* Text fit for a one-line message: at most 40 bytes, cut at a character
 * boundary, control characters shown as spaces. */
static const char *shown(ctx *c, const char *s, size_t n)
{
	bool cut = n > 40;
	if (cut) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	char *p = arena_alloc(c->a, n + 4);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	memcpy(p + n, cut ? "..." : "", cut ? 4 : 1);
	return p;
}

/* "!!int" for libyaml's expanded "tag:yaml.org,2002:int". */
static const char *tag_shown(ctx *c, const char *tag)
{
	size_t n = strlen(CORE_TAG);
	if (strncmp(tag, CORE_TAG, n) == 0)
		return arena_printf(c->a, "!!%s", shown(c, tag + n, strlen(tag + n)));
	return shown(c, tag, strlen(tag));
}

/* Turns libyaml's error into a diagnostic: "yaml: <problem> <context>",
 * lowercased, at the problem's position. */
static void syntax_error(ctx *c)
{
	yaml_parser_t *p = &c->parser;
	if (p->error == YAML_MEMORY_ERROR) {
		fprintf(stderr, "enquire: out of memory (libyaml)\n");
		abort();
	}
	yaml_mark_t at = p->problem_mark;
	buf msg = BUF_INIT;
	buf_printf(&msg, "yaml: %s", p->problem ? p->problem : "syntax error");
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		at = (yaml_mark_t){ p->problem_offset, 0, 0 };
		for (size_t i = 0; i < p->problem_offset && i < c->len; i++) {
			if (c->text[i] == '\n') {
				at.line++;
				at.column = 0;
			} else if (((unsigned char)c->text[i] & 0xc0) != 0x80) {
				at.column++;
			}
		}
		if (p->problem_value != -1)
			buf_printf(&msg, " (0x%02x)", (unsigned)p->problem_value);
	}
	if (p->context) {
		buf_printf(&msg, " %s", p->context);
		if (p->context_mark.line != at.line)
			buf_printf(&msg, " that starts on line %u", line_of(c, p->context_mark));
	}
	for (size_t i = 0; i < msg.len; i++)
		if (msg.p[i] >= 'A' && msg.p[i] <= 'Z')
			msg.p[i] = (char)(msg.p[i] - 'A' + 'a');
	error_at(c, at, "%s", msg.p);
	buf_release(&msg);
}

/* Fetches the next event; on false a diagnostic was added and there is
 * no event to delete. */
static bool next_event(ctx *c, yaml_event_t *ev)
{
	if (yaml_parser_parse(&c->parser, ev))
		return true;
	syntax_error(c);
	return false;
}

/* Counts n more nodes against the alias-expansion budget. */
static bool count_nodes(ctx *c, size_t n, yaml_mark_t at)
{
	if (n > YAML_MAX_EXPANDED_NODES - c->total) {
		if (c->aliased)
			error_at(c, at, "too many alias expansions (possible alias bomb)");
		else
			error_at(c, at, "too many yaml nodes (more than %d)",
				YAML_MAX_EXPANDED_NODES);
		return false;
	}
	c->total += n;
	return true;
}

static value *new_node(ctx *c, value_kind kind, yaml_mark_t at)
{
	if (!count_nodes(c, 1, at))
		return NULL;
	value *v = arena_alloc(c->a, sizeof *v);
	v->kind = kind;
	v->str = "";
	v->line = line_of(c, at);
	v->col = col_of(at);
	return v;
}

/* Is s one of the space-separated words? */
static bool one_of(const char *s, const char *words)
{
	size_t n = strlen(s);
	for (const char *w = words;; w++) {
		size_t k = strcspn(w, " ");
		if (k == n && memcmp(w, s, n) == 0)
			return true;
		w += k;
		if (!*w)
			return false;
	}
}

static bool sign_at(const char *s)
{
	return s[0] == '+' || s[0] == '-';
}

static size_t digits(const char *s, int base)
{
	size_t i = 0;
	while ((base == 16 && s[i] && strchr("0123456789abcdefABCDEF", s[i])) ||
		(base == 10 && s[i] >= '0' && s[i] <= '9') ||
		(base == 8 && s[i] >= '0' && s[i] <= '7'))
		i++;
	return i;
}

/* YAML 1.2 core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. */
static bool core_int(const char *s, size_t n, double *out)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		int base = s[1] == 'o' ? 8 : 16;
		if (digits(s + 2, base) != n - 2)
			return false;
		double v = 0;
		for (size_t i = 2; i < n; i++) {
			int d = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
			v = v * base + d;
		}
		*out = v;
		return true;
	}
	size_t i = sign_at(s);
	if (i == n || digits(s + i, 10) != n - i)
		return false;
	*out = strtod(s, NULL);
	return true;
}

/* Core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?,
 * [-+]?.inf in three spellings, .nan in three spellings. */
static bool core_float(const char *s, size_t n, double *out)
{
	size_t i = sign_at(s);
	const char *r = s + i;
	if (one_of(r, ".inf .Inf .INF")) {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return true;
	}
	if (one_of(s, ".nan .NaN .NAN")) {
		*out = NAN;
		return true;
	}
	size_t whole = digits(s + i, 10), frac = 0;
	i += whole;
	if (s[i] == '.') {
		frac = digits(s + i + 1, 10);
		i += 1 + frac;
	}
	if (whole == 0 && frac == 0)
		return false;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1 + sign_at(s + i + 1);
		size_t e = digits(s + j, 10);
		if (e == 0)
			return false;
		i = j + e;
	}
	if (i != n)
		return false;
	*out = strtod(s, NULL);
	return true;
}

/* Resolves a plain scalar's text (v->str, NUL-terminated) by the core
 * schema; what matches nothing stays a string. */
static void resolve(value *v)
{
	const char *s = v->str;
	size_t n = v->len;
	double num;
	if (n == 0 || one_of(s, "~ null Null NULL")) {
		v->kind = VALUE_NULL;
	} else if (one_of(s, "true True TRUE false False FALSE")) {
		v->kind = VALUE_BOOL;
		v->u.b = s[0] == 't' || s[0] == 'T';
	} else if (core_int(s, n, &num) || core_float(s, n, &num)) {
		v->kind = VALUE_NUMBER;
		v->u.num = num;
	} else {
		v->kind = VALUE_STRING;
	}
}

/* Applies an explicit core tag (!!null, !!bool, !!int, !!float) to a
 * scalar: its text must resolve to that type. */
static bool apply_core_tag(ctx *c, value *v, const char *type, yaml_mark_t at,
	const char *tag)
{
	resolve(v);
	double ignored;
	bool ok = (!strcmp(type, "null") && v->kind == VALUE_NULL) ||
		(!strcmp(type, "bool") && v->kind == VALUE_BOOL) ||
		(!strcmp(type, "int") && core_int(v->str, v->len, &ignored)) ||
		(!strcmp(type, "float") && v->kind == VALUE_NUMBER);
	if (!ok)
		error_at(c, at, "invalid '%s' value '%s'", tag_shown(c, tag),
			shown(c, v->str, v->len));
	return ok;
}

static value *parse_scalar(ctx *c, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t n = ev->data.scalar.length;
	value *v = new_node(c, VALUE_STRING, ev->start_mark);
	if (!v)
		return NULL;
	v->str = arena_strndup(c->a, text, n);
	v->len = n;
	if (!tag && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		resolve(v);
		return v;
	}
	/* Quoted and block scalars, "! text" and "!!str text": the author
	 * asked for a string. */
	if (!tag || !strcmp(tag, "!") || !strcmp(tag, CORE_TAG "str")) {
		v->quoted = true;
		return v;
	}
	size_t pre = strlen(CORE_TAG);
	if (!strncmp(tag, CORE_TAG, pre) && one_of(tag + pre, "null bool int float"))
		return apply_core_tag(c, v, tag + pre, ev->start_mark, tag) ? v : NULL;
	error_at(c, ev->start_mark, "unsupported tag '%s'", tag_shown(c, tag));
	return NULL;
}

/* Lists and maps accept no tag, "!", or their own core tag. */
static bool collection_tag_ok(ctx *c, const yaml_event_t *ev, const char *tag,
	const char *own)
{
	if (!tag || !strcmp(tag, "!") || !strcmp(tag, own))
		return true;
	error_at(c, ev->start_mark, "unsupported tag '%s'", tag_shown(c, tag));
	return false;
}

static value *parse_node(ctx *c, const yaml_event_t *ev, unsigned depth,
	unsigned *height);

static value *parse_alias(ctx *c, const yaml_event_t *ev, unsigned depth,
	unsigned *height)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const slot *s = table_find(&c->anchor_names, NULL, name);
	if (!s) {
		error_at(c, ev->start_mark, "unknown alias '%s'",
			shown(c, name, strlen(name)));
		return NULL;
	}
	const anchor *an = &c->anchors[s->val];
	if (!an->node) {
		error_at(c, ev->start_mark, "alias '%s' refers to a node that contains it",
			shown(c, name, strlen(name)));
		return NULL;
	}
	if (an->height > YAML_MAX_DEPTH - depth) {
		error_at(c, ev->start_mark, "nesting deeper than %d levels (through alias '%s')",
			YAML_MAX_DEPTH, shown(c, name, strlen(name)));
		return NULL;
	}
	c->aliased = true;
	if (!count_nodes(c, an->size, ev->start_mark))
		return NULL;
	*height = an->height;
	return an->node;
}

static value *parse_list(ctx *c, const yaml_event_t *start, unsigned depth,
	unsigned *height)
{
	value *result = NULL;
	value *list = new_node(c, VALUE_LIST, start->start_mark);
	if (!list)
		goto done;
	*height = 1;
	for (;;) {
		yaml_event_t ev;
		if (!next_event(c, &ev))
			goto done;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		unsigned h = 0;
		value *item = parse_node(c, &ev, depth + 1, &h);
		yaml_event_delete(&ev);
		if (!item)
			goto done;
		value_push(c->a, list, item);
		if (h + 1 > *height)
			*height = h + 1;
	}
	result = list;
done:
	return result;
}

/* Reads one key (the event ev) of map; false after an error. */
static bool parse_key(ctx *c, value *map, const yaml_event_t *ev,
	unsigned depth, const char **key)
{
	if (ev->type == YAML_SEQUENCE_START_EVENT ||
		ev->type == YAML_MAPPING_START_EVENT) {
		error_at(c, ev->start_mark, "mapping key is not a scalar");
		return false;
	}
	/* A key is only text in the tree, so it does not count as a node. */
	unsigned h = 0;
	size_t before = c->total;
	value *k = parse_node(c, ev, depth + 1, &h);
	c->total = before;
	if (!k)
		return false;
	if (!value_is_scalar(k)) { /* an alias to a list or map */
		error_at(c, ev->start_mark, "mapping key is not a scalar");
		return false;
	}
	if (memchr(k->str, '\0', k->len)) {
		error_at(c, ev->start_mark, "mapping key '%s' contains a nul character",
			shown(c, k->str, strlen(k->str)));
		return false;
	}
	if (table_find(&c->keys, map, k->str)) {
		error_at(c, ev->start_mark, "duplicate key '%s'",
			shown(c, k->str, k->len));
		return false;
	}
	table_put(&c->keys, map, k->str, 0);
	*key = k->str;
	return true;
}

static value *parse_map(ctx *c, const yaml_event_t *start, unsigned depth,
	unsigned *height)
{
	value *result = NULL;
	value *map = new_node(c, VALUE_MAP, start->start_mark);
	if (!map)
		goto done;
	*height = 1;
	for (;;) {
		yaml_event_t ev;
		if (!next_event(c, &ev))
			goto done;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		const char *key = NULL;
		yaml_mark_t key_at = ev.start_mark;
		bool ok = parse_key(c, map, &ev, depth, &key);
		yaml_event_delete(&ev);
		if (!ok || !next_event(c, &ev))
			goto done;
		unsigned h = 0;
		value *val = parse_node(c, &ev, depth + 1, &h);
		yaml_event_delete(&ev);
		if (!val)
			goto done;
		value_set(c->a, map, key, val);
		value_pair *p = &map->u.map.pairs[map->u.map.n - 1];
		p->line = line_of(c, key_at);
		p->col = col_of(key_at);
		if (h + 1 > *height)
			*height = h + 1;
	}
	result = map;
done:
	return result;
}

/* Builds the node that starts with event ev (which the caller deletes),
 * nested inside depth lists and maps. *height gets its levels of lists
 * and maps (0 for a scalar). */
static value *parse_node(ctx *c, const yaml_event_t *ev, unsigned depth,
	unsigned *height)
{
	const yaml_char_t *name = NULL;
	*height = 0;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return parse_alias(c, ev, depth, height);
	case YAML_SCALAR_EVENT:
		name = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		name = ev->data.sequence_start.anchor;
		if (!collection_tag_ok(c, ev, (const char *)ev->data.sequence_start.tag,
				CORE_TAG "seq"))
			return NULL;
		break;
	case YAML_MAPPING_START_EVENT:
		name = ev->data.mapping_start.anchor;
		if (!collection_tag_ok(c, ev, (const char *)ev->data.mapping_start.tag,
				CORE_TAG "map"))
			return NULL;
		break;
	default: /* libyaml only yields nodes here */
		error_at(c, ev->start_mark, "yaml: unexpected event");
		return NULL;
	}
	if (ev->type != YAML_SCALAR_EVENT && depth >= YAML_MAX_DEPTH) {
		error_at(c, ev->start_mark, "nesting deeper than %d levels",
			YAML_MAX_DEPTH);
		return NULL;
	}
	/* The anchor is known from here on, but unusable until its node is
	 * complete: "&a [*a]" is an error, not a cycle. */
	size_t idx = 0, before = c->total;
	if (name) {
		if (c->nanchors == c->anchors_cap) {
			c->anchors_cap = c->anchors_cap ? c->anchors_cap * 2 : 16;
			c->anchors = xrealloc(c->anchors, c->anchors_cap * sizeof *c->anchors);
		}
		idx = c->nanchors++;
		c->anchors[idx] = (anchor){ NULL, 0, 0 };
		table_put(&c->anchor_names, NULL,
			arena_strdup(c->a, (const char *)name), idx);
	}
	value *v = ev->type == YAML_SCALAR_EVENT ? parse_scalar(c, ev) :
		ev->type == YAML_SEQUENCE_START_EVENT ? parse_list(c, ev, depth, height) :
		parse_map(c, ev, depth, height);
	if (v && name)
		c->anchors[idx] = (anchor){ v, c->total - before, *height };
	return v;
}

/* Reads the one document of the stream; the stream start event has been
 * read. Returns NULL after an error. */
static value *parse_stream(ctx *c)
{
	value *result = NULL, *root = NULL;
	yaml_event_t ev;
	if (!next_event(c, &ev))
		goto done;
	yaml_event_type_t type = ev.type;
	yaml_event_delete(&ev);
	if (type == YAML_STREAM_END_EVENT) { /* nothing but comments */
		result = new_node(c, VALUE_NULL, (yaml_mark_t){ 0, 0, 0 });
		goto done;
	}
	if (!next_event(c, &ev))
		goto done;
	unsigned height = 0;
	root = parse_node(c, &ev, 0, &height);
	yaml_event_delete(&ev);
	if (!root || !next_event(c, &ev)) /* the document end */
		goto done;
	yaml_event_delete(&ev);
	if (!next_event(c, &ev))
		goto done;
	type = ev.type;
	yaml_mark_t at = ev.start_mark;
	yaml_event_delete(&ev);
	if (type == YAML_DOCUMENT_START_EVENT) {
		error_at(c, at, "more than one yaml document");
		goto done;
	}
	result = root;
done:
	return result;
}

value *yaml_parse(arena *a, const char *text, size_t len, const char *path,
	unsigned first_line, diag_list *d)
{
	ctx c = { .a = a, .text = text ? text : "", .len = text ? len : 0,
		.path = path, .first_line = first_line ? first_line : 1, .d = d };
	value *result = NULL;
	/* libyaml counts a byte order mark as a column; authors cannot see it. */
	if (c.len >= 3 && memcmp(c.text, "\xef\xbb\xbf", 3) == 0) {
		c.text += 3;
		c.len -= 3;
	}
	if (!yaml_parser_initialize(&c.parser)) {
		fprintf(stderr, "enquire: out of memory (libyaml)\n");
		abort();
	}
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)c.text, c.len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);
	yaml_event_t ev;
	if (!next_event(&c, &ev)) /* the stream start */
		goto done;
	yaml_event_delete(&ev);
	result = parse_stream(&c);
done:
	if (c.errors)
		result = NULL; /* the contract the parse cache relies on */
	yaml_parser_delete(&c.parser);
	free(c.anchors);
	free(c.anchor_names.slots);
	free(c.keys.slots);
	return result;
}

const char *yaml_library_version(void)
{
	return yaml_get_version_string();
}
