/*
 * parse_cache: document parses kept in a kvstore (format in
 * parse_cache.h): lookups without locks, and each miss's result put into
 * the store as it is made, so a save writes only what changed.
 *
 * Invariant: an entry is handed out only if the store checked its bytes
 * and its payload decodes exactly; anything else is a miss.
 */
#include "parse_cache.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kvstore.h"
#include "parse_cache_int.h"
#include "util.h"
#include "yamlparse.h"

/* Bump for any change to the payloads' encoding. */
#define FORMAT_VERSION "2"

enum { ENTRY_YAML = 1, ENTRY_MARKDOWN = 2 };

struct parse_cache {
	kvstore *store;
	atomic_size_t hits, misses;
};

parse_cache *parse_cache_open(const char *dir, const char *version)
{
	if (!dir)
		return NULL;
	parse_cache *pc = xcalloc(1, sizeof *pc);
	const char *parts[] = { "enquire parse cache " FORMAT_VERSION, version,
		markdown_library_version(), yaml_library_version() };
	unsigned long long key = HASH64_INIT;
	for (size_t i = 0; i < ARRAY_LEN(parts); i++)
		key = hash64(parts[i], strlen(parts[i]) + 1, key);
	char *file = xasprintf("%s/%s", dir, PARSE_CACHE_FILE);
	/* a development build changes the parsers, not the version */
	unsigned long long code = program_hash();
	pc->store = kvstore_open(file, hash64(&code, sizeof code, key));
	free(file);
	return pc;
}

void parse_cache_free(parse_cache *pc)
{
	if (!pc)
		return;
	kvstore_free(pc->store);
	free(pc);
}

/* The key of a parse: its kind, a number it depends on (a first line,
 * flags) and its input bytes. */
static kv_key key_of(unsigned char kind, unsigned extra, const char *text,
	size_t len)
{
	unsigned long long head[3] = { kind, extra, len }, k[2];
	hash128(text ? text : "", len, hash64(head, sizeof head,
		HASH64_INIT), k);
	return (kv_key){ { k[0], k[1] } };
}

static void count(atomic_size_t *n)
{
	atomic_fetch_add_explicit(n, 1, memory_order_relaxed);
}

value *parse_cache_yaml(parse_cache *pc, arena *a, const char *text,
	size_t len, const char *path, unsigned first_line, diag_list *d)
{
	if (!pc)
		return yaml_parse(a, text, len, path, first_line, d);
	kv_key key = key_of(ENTRY_YAML, first_line, text, len);
	size_t size;
	const unsigned char *p = kvstore_get(pc->store, key, &size);
	value *v = p ? parse_cache_decode_value(a, p, size) : NULL;
	if (v) {
		count(&pc->hits);
		return v;
	}
	count(&pc->misses);
	v = yaml_parse(a, text, len, path, first_line, d);
	if (v) { /* only a parse without diagnostics (yamlparse.h) */
		buf b = BUF_INIT;
		parse_cache_encode_value(&b, v);
		kvstore_put(pc->store, key, b.p, b.len);
		buf_release(&b);
	}
	return v;
}

void parse_cache_markdown(parse_cache *pc, arena *a, const char *text,
	size_t len, unsigned flags, markdown_doc *out)
{
	if (!pc) {
		markdown_render(text, len, flags, out);
		return;
	}
	kv_key key = key_of(ENTRY_MARKDOWN, flags, text, len);
	size_t size;
	const unsigned char *p = kvstore_get(pc->store, key, &size);
	if (p && parse_cache_decode_markdown(a, p, size, out)) {
		count(&pc->hits);
		return;
	}
	count(&pc->misses);
	markdown_render(text, len, flags, out);
	buf b = BUF_INIT;
	parse_cache_encode_markdown(&b, out);
	kvstore_put(pc->store, key, b.p, b.len);
	buf_release(&b);
}

int parse_cache_save(parse_cache *pc)
{
	return pc ? kvstore_save(pc->store) : 0;
}

void parse_cache_stats(const parse_cache *pc, size_t *hits, size_t *misses)
{
	*hits = pc ? atomic_load(&((parse_cache *)(uintptr_t)pc)->hits) : 0;
	*misses = pc ? atomic_load(&((parse_cache *)(uintptr_t)pc)->misses) : 0;
}
