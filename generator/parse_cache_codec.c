/*
 * parse_cache_codec: value trees and markdown_docs to bytes and back, for
 * the parse cache's entries (little-endian, fixed-width integers).
 *
 *     node     u8 kind, u8 quoted, u32 line, u32 col, str, then
 *              bool: u8; number: u64 (the double's bits);
 *              list: u32 n, n nodes; map: u32 n, n (str key, u32 line,
 *              u32 col, node)
 *     str      u32 length, the bytes, a NUL (length ~0: NULL, no bytes)
 *     markdown u64 words, u32 headings, i32 phase_heading[C2L_COUNT],
 *              str html, str text, str excerpt, then per heading
 *              u32 level, u32 line, u32 phase, str id, str text
 */
#include "parse_cache_int.h"

#include <stdint.h>
#include <string.h>

#include "cachefile.h"
#include "yamlparse.h"

#define NO_STRING UINT32_MAX
/* The fewest bytes a node, a map pair and a heading take. */
#define MIN_NODE (1 + 1 + 4 + 4 + 4 + 1)
#define MIN_PAIR (4 + 1 + 4 + 4 + MIN_NODE)
#define MIN_HEADING (4 + 4 + 4 + 5 + 5)

static void put_str(buf *b, const char *s, size_t n)
{
	if (!s || n >= NO_STRING) {
		cf_put_u32(b, NO_STRING);
		return;
	}
	cf_put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
	buf_putc(b, '\0');
}

static void encode_node(buf *b, const value *v)
{
	cf_put_u8(b, v->kind);
	cf_put_u8(b, v->quoted);
	cf_put_u32(b, v->line);
	cf_put_u32(b, v->col);
	put_str(b, v->str ? v->str : "", v->str ? v->len : 0);
	switch (v->kind) {
	case VALUE_BOOL:
		cf_put_u8(b, v->u.b);
		break;
	case VALUE_NUMBER: {
		uint64_t bits;
		memcpy(&bits, &v->u.num, sizeof bits);
		cf_put_u64(b, bits);
		break;
	}
	case VALUE_LIST:
		cf_put_u32(b, (uint32_t)v->u.list.n);
		for (size_t i = 0; i < v->u.list.n; i++)
			encode_node(b, v->u.list.items[i]);
		break;
	case VALUE_MAP:
		cf_put_u32(b, (uint32_t)v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			const value_pair *p = &v->u.map.pairs[i];
			put_str(b, p->key, strlen(p->key));
			cf_put_u32(b, p->line);
			cf_put_u32(b, p->col);
			encode_node(b, p->val);
		}
		break;
	default:
		break;
	}
}

void parse_cache_encode_value(buf *b, const value *v)
{
	encode_node(b, v);
}

void parse_cache_encode_markdown(buf *b, const markdown_doc *md)
{
	cf_put_u64(b, md->words);
	cf_put_u32(b, (uint32_t)md->nheadings);
	for (int p = 0; p < C2L_COUNT; p++)
		cf_put_u32(b, (uint32_t)md->phase_heading[p]);
	const char *s[3] = { md->html, md->text, md->excerpt };
	for (int i = 0; i < 3; i++)
		put_str(b, s[i], s[i] ? strlen(s[i]) : 0);
	for (size_t i = 0; i < md->nheadings; i++) {
		const markdown_heading *h = &md->headings[i];
		cf_put_u32(b, (uint32_t)h->level);
		cf_put_u32(b, h->line);
		cf_put_u32(b, (uint32_t)h->phase);
		put_str(b, h->id, h->id ? strlen(h->id) : 0);
		put_str(b, h->text, h->text ? strlen(h->text) : 0);
	}
}

/* The reads of decoding, inline (cachefile.c's are calls): a cached
 * document's front matter is some hundred of them. The same checks: after
 * the first read past the end every read gives 0 and the reader is bad. */
static inline const unsigned char *take(cf_reader *rd, size_t n)
{
	if (rd->bad || n > rd->n - rd->at) {
		rd->bad = true;
		return NULL;
	}
	const unsigned char *p = rd->p + rd->at;
	rd->at += n;
	return p;
}

static inline unsigned get_u8(cf_reader *rd)
{
	const unsigned char *x = take(rd, 1);
	return x ? x[0] : 0;
}

static inline uint32_t load_u32(const unsigned char *x)
{
	return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 |
		(uint32_t)x[3] << 24;
}

static inline uint32_t get_u32(cf_reader *rd)
{
	const unsigned char *x = take(rd, 4);
	return x ? load_u32(x) : 0;
}

static inline uint64_t get_u64(cf_reader *rd)
{
	const unsigned char *x = take(rd, 8);
	return x ? (uint64_t)load_u32(x) | (uint64_t)load_u32(x + 4) << 32 : 0;
}

/* A count of items of at least min bytes each that the rest can hold. */
static size_t get_count(cf_reader *rd, size_t min)
{
	return cf_fits(rd, get_u32(rd), min);
}

/* A stored string, NULL when none was stored (nullable) or on error.
 * Strings point into the file (hence the cast: the mapping is read-only
 * and nothing writes through a markdown_doc's strings). */
static char *get_str(cf_reader *rd, size_t *len, bool nullable)
{
	uint32_t n = get_u32(rd);
	if (n == NO_STRING) {
		if (!nullable)
			rd->bad = true;
		return NULL;
	}
	const unsigned char *s = take(rd, (size_t)n + 1);
	if (!s || s[n] != '\0') {
		rd->bad = true;
		return NULL;
	}
	if (len)
		*len = n;
	return (char *)(uintptr_t)s;
}

static value *decode_node(cf_reader *rd, arena *a, unsigned depth)
{
	unsigned kind = get_u8(rd), quoted = get_u8(rd);
	if (kind > VALUE_MAP || quoted > 1 || depth > YAML_MAX_DEPTH + 1)
		rd->bad = true;
	if (rd->bad)
		return NULL;
	value *v = arena_alloc(a, sizeof *v);
	v->kind = (value_kind)kind;
	v->quoted = quoted;
	v->line = get_u32(rd);
	v->col = get_u32(rd);
	v->str = get_str(rd, &v->len, false);
	if (!v->str)
		return NULL;
	switch (v->kind) {
	case VALUE_BOOL: {
		unsigned b = get_u8(rd);
		rd->bad |= b > 1;
		v->u.b = b;
		break;
	}
	case VALUE_NUMBER: {
		uint64_t bits = get_u64(rd);
		memcpy(&v->u.num, &bits, sizeof bits);
		break;
	}
	case VALUE_LIST: {
		size_t n = get_count(rd, MIN_NODE);
		v->u.list.items = arena_alloc(a, (n + 1) * sizeof(value *));
		for (size_t i = 0; i < n && !rd->bad; i++)
			v->u.list.items[v->u.list.n++] = decode_node(rd, a,
				depth + 1);
		v->u.list.cap = n;
		break;
	}
	case VALUE_MAP: {
		size_t n = get_count(rd, MIN_PAIR);
		v->u.map.pairs = arena_alloc(a, (n + 1) * sizeof(value_pair));
		for (size_t i = 0; i < n && !rd->bad; i++) {
			value_pair *p = &v->u.map.pairs[v->u.map.n++];
			size_t klen = 0;
			p->key = get_str(rd, &klen, false);
			if (p->key && memchr(p->key, '\0', klen))
				rd->bad = true; /* keys are C strings */
			p->line = get_u32(rd);
			p->col = get_u32(rd);
			p->val = decode_node(rd, a, depth + 1);
		}
		v->u.map.cap = n;
		break;
	}
	default:
		break;
	}
	if ((v->kind == VALUE_LIST || v->kind == VALUE_MAP) && v->len)
		rd->bad = true;
	return rd->bad ? NULL : v;
}

value *parse_cache_decode_value(arena *a, const unsigned char *p, size_t n)
{
	cf_reader rd = { p, n, 0, false };
	value *v = decode_node(&rd, a, 0);
	return rd.bad || rd.at != n ? NULL : v;
}

bool parse_cache_decode_markdown(arena *a, const unsigned char *p, size_t n,
	markdown_doc *out)
{
	cf_reader rd = { p, n, 0, false };
	memset(out, 0, sizeof *out);
	uint64_t words = get_u64(&rd);
	size_t nh = get_count(&rd, MIN_HEADING);
	for (int k = 0; k < C2L_COUNT; k++) {
		int32_t h = (int32_t)get_u32(&rd);
		if (h < -1 || (h >= 0 && (size_t)h >= nh))
			rd.bad = true;
		out->phase_heading[k] = h;
	}
	out->html = get_str(&rd, NULL, true);
	out->text = get_str(&rd, NULL, true);
	out->excerpt = get_str(&rd, NULL, true);
	out->headings = arena_alloc(a, (nh + 1) * sizeof *out->headings);
	for (size_t i = 0; i < nh && !rd.bad; i++) {
		markdown_heading *h = &out->headings[i];
		uint32_t level = get_u32(&rd), phase;
		h->level = (int)level;
		h->line = get_u32(&rd);
		phase = get_u32(&rd);
		h->phase = (c2l_phase)phase;
		h->id = get_str(&rd, NULL, false);
		h->text = get_str(&rd, NULL, false);
		if (level < 1 || level > 6 || phase >= C2L_COUNT)
			rd.bad = true;
	}
	if (rd.bad || rd.at != n || words > SIZE_MAX) {
		memset(out, 0, sizeof *out);
		return false;
	}
	out->words = (size_t)words;
	out->nheadings = nh;
	out->borrowed = true;
	return true;
}
