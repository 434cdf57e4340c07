/*
 * parse_cache: the cache file of document parses (format in
 * parse_cache.h): reading and checking it whole, lookups without locks,
 * and writing what a build used.
 *
 * Invariant: an entry is handed out only from a file whose every byte was
 * checked (magic, version, key, lengths, checksum, no repeated keys), and
 * only if its payload decodes exactly; anything else is a miss.
 */
#include "parse_cache.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachefile.h"
#include "parse_cache_int.h"
#include "util.h"
#include "yamlparse.h"

#define MAGIC "ENQPARSE"
#define FORMAT_VERSION 1u
#define HEADER_SIZE 24
#define ENTRY_HEADER 24
#define TRAILER_SIZE 8

enum { ENTRY_YAML = 1, ENTRY_MARKDOWN = 2 };

typedef struct {
	unsigned long long k[2];
} key128;

/* An entry of the file read: where its payload lies in the mapping. */
typedef struct {
	key128 key;
	unsigned char kind;
	size_t at, size; /* the whole entry, header included */
} old_entry;

/* A parse made by this build, written at save from the live result. */
typedef struct {
	key128 key;
	unsigned char kind;
	const value *v;
	markdown_doc md; /* a shallow copy: the strings stay the model's */
} new_entry;

/* Open addressing over key128: slots hold an entry index + 1, 0 empty. */
typedef struct {
	size_t *slots;
	size_t cap; /* a power of two, or 0 */
} key_index;

struct parse_cache {
	char *dir, *file;
	unsigned long long key; /* the versions: enquire, cmark-gfm, libyaml */
	const unsigned char *map;
	size_t map_size;
	old_entry *old;
	size_t nold;
	key_index index;
	atomic_uchar *used; /* per old entry: did this build use it? */
	pthread_mutex_t lock; /* guards fresh */
	new_entry *fresh;
	size_t nfresh, fresh_cap;
	atomic_size_t hits, misses;
};

static bool same_key(key128 a, key128 b)
{
	return a.k[0] == b.k[0] && a.k[1] == b.k[1];
}

static void index_init(key_index *x, size_t n)
{
	x->cap = 16;
	while (x->cap < 2 * n + 2)
		x->cap *= 2;
	x->slots = xcalloc(x->cap, sizeof *x->slots);
}

/* The slot of key in x: its entry's, or the empty one to fill. keys[i]
 * is the key of entry i (stride bytes apart, at offset 0). */
static size_t *index_slot(const key_index *x, const void *keys,
	size_t stride, key128 key)
{
	size_t i = (size_t)key.k[0] & (x->cap - 1);
	for (;; i = (i + 1) & (x->cap - 1)) {
		size_t *s = &x->slots[i];
		if (!*s)
			return s;
		const key128 *k = (const key128 *)(const void *)
			((const char *)keys + (*s - 1) * stride);
		if (same_key(*k, key))
			return s;
	}
}

static void put_header(buf *b, unsigned long long key)
{
	buf_put(b, MAGIC, 8);
	cf_put_u32(b, FORMAT_VERSION);
	cf_put_u32(b, 0);
	cf_put_u64(b, key);
}

static void forget_file(parse_cache *pc)
{
	if (pc->map)
		munmap((void *)(uintptr_t)pc->map, pc->map_size);
	pc->map = NULL;
	pc->map_size = 0;
	free(pc->old);
	pc->old = NULL;
	pc->nold = 0;
	free(pc->index.slots);
	pc->index = (key_index){ NULL, 0 };
}

/* Lists and checks the entries of the mapped file; false if any byte is
 * not as written by parse_cache_save. */
static bool read_entries(parse_cache *pc)
{
	const unsigned char *p = pc->map;
	size_t n = pc->map_size, end = n - TRAILER_SIZE, cap = 0;
	buf head = BUF_INIT;
	put_header(&head, pc->key);
	bool ok = memcmp(p, head.p, HEADER_SIZE) == 0;
	buf_release(&head);
	unsigned long long h = hash64(p, HEADER_SIZE, HASH64_INIT);
	size_t at = HEADER_SIZE;
	while (ok && at < end) {
		if (end - at < ENTRY_HEADER)
			return false;
		const unsigned char *e = p + at;
		size_t size = ENTRY_HEADER + (size_t)cf_load_u32(e + 4);
		if ((e[0] != ENTRY_YAML && e[0] != ENTRY_MARKDOWN) || e[1] ||
			e[2] || e[3] || size > end - at)
			return false;
		if (pc->nold == cap) {
			cap = cap ? 2 * cap : 1024;
			pc->old = xrealloc(pc->old, cap * sizeof *pc->old);
		}
		old_entry *o = &pc->old[pc->nold++];
		o->kind = e[0];
		o->key.k[0] = cf_load_u64(e + 8);
		o->key.k[1] = cf_load_u64(e + 16);
		o->at = at;
		o->size = size;
		h = hash64(e, size, h);
		at += size;
	}
	if (!ok || at != end || cf_load_u64(p + end) != h)
		return false;
	index_init(&pc->index, pc->nold);
	for (size_t i = 0; i < pc->nold; i++) {
		size_t *s = index_slot(&pc->index, pc->old, sizeof *pc->old,
			pc->old[i].key);
		if (*s)
			return false; /* never written twice */
		*s = i + 1;
	}
	return true;
}

/* Maps the file and checks it whole; on any doubt the cache starts empty. */
static void load(parse_cache *pc)
{
	int fd = open(pc->file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		st.st_size < HEADER_SIZE + TRAILER_SIZE ||
		(uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return;
	}
	int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE; /* every byte is read for the checksum */
#endif
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	pc->map = m;
	pc->map_size = (size_t)st.st_size;
	if (!read_entries(pc))
		forget_file(pc);
	pc->used = xcalloc(pc->nold + 1, sizeof *pc->used);
}

/* The bytes of the running program, where the system shows them: a
 * development build changes the parsers without changing the version
 * number, and must not be served its predecessor's HTML. */
static unsigned long long program_hash(unsigned long long h)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file("/proc/self/exe", &data, &len) == 0)
		h = hash64(data, len, h);
	free(data);
	return h;
}

parse_cache *parse_cache_open(const char *dir, const char *version)
{
	if (!dir)
		return NULL;
	parse_cache *pc = xcalloc(1, sizeof *pc);
	pc->dir = xstrdup(dir);
	pc->file = xasprintf("%s/%s", dir, PARSE_CACHE_FILE);
	pthread_mutex_init(&pc->lock, NULL);
	const char *parts[] = { "enquire parse cache", version,
		markdown_library_version(), yaml_library_version() };
	pc->key = HASH64_INIT;
	for (size_t i = 0; i < ARRAY_LEN(parts); i++)
		pc->key = hash64(parts[i], strlen(parts[i]) + 1, pc->key);
	pc->key = program_hash(pc->key);
	load(pc);
	return pc;
}

void parse_cache_free(parse_cache *pc)
{
	if (!pc)
		return;
	forget_file(pc);
	free((void *)(uintptr_t)pc->used);
	free(pc->fresh);
	pthread_mutex_destroy(&pc->lock);
	free(pc->dir);
	free(pc->file);
	free(pc);
}

/* The key of a parse: its kind, a number it depends on (a first line,
 * flags) and its input bytes. */
static key128 key_of(unsigned char kind, unsigned extra, const char *text,
	size_t len)
{
	unsigned long long head[3] = { kind, extra, len };
	key128 k;
	hash128(text ? text : "", len, hash64(head, sizeof head, HASH64_INIT),
		k.k);
	return k;
}

/* The payload of the old entry of kind and key, or NULL. Thread-safe. */
static const unsigned char *find(const parse_cache *pc, unsigned char kind,
	key128 key, size_t *i, size_t *size)
{
	if (!pc->nold)
		return NULL;
	size_t s = *index_slot(&pc->index, pc->old, sizeof *pc->old, key);
	if (!s || pc->old[s - 1].kind != kind)
		return NULL;
	*i = s - 1;
	*size = pc->old[*i].size - ENTRY_HEADER;
	return pc->map + pc->old[*i].at + ENTRY_HEADER;
}

static void hit(parse_cache *pc, size_t i)
{
	atomic_store_explicit(&pc->used[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&pc->hits, 1, memory_order_relaxed);
}

static void record(parse_cache *pc, const new_entry *e)
{
	pthread_mutex_lock(&pc->lock);
	if (pc->nfresh == pc->fresh_cap) {
		pc->fresh_cap = pc->fresh_cap ? 2 * pc->fresh_cap : 256;
		pc->fresh = xrealloc(pc->fresh, pc->fresh_cap * sizeof *pc->fresh);
	}
	pc->fresh[pc->nfresh++] = *e;
	pthread_mutex_unlock(&pc->lock);
}

value *parse_cache_yaml(parse_cache *pc, arena *a, const char *text,
	size_t len, const char *path, unsigned first_line, diag_list *d)
{
	if (!pc)
		return yaml_parse(a, text, len, path, first_line, d);
	key128 key = key_of(ENTRY_YAML, first_line, text, len);
	size_t i, size;
	const unsigned char *p = find(pc, ENTRY_YAML, key, &i, &size);
	value *v = p ? parse_cache_decode_value(a, p, size) : NULL;
	if (v) {
		hit(pc, i);
		return v;
	}
	atomic_fetch_add_explicit(&pc->misses, 1, memory_order_relaxed);
	v = yaml_parse(a, text, len, path, first_line, d);
	if (v) /* only a parse without diagnostics (yamlparse.h) */
		record(pc, &(new_entry){ .key = key, .kind = ENTRY_YAML, .v = v });
	return v;
}

void parse_cache_markdown(parse_cache *pc, arena *a, const char *text,
	size_t len, unsigned flags, markdown_doc *out)
{
	if (!pc) {
		markdown_render(text, len, flags, out);
		return;
	}
	key128 key = key_of(ENTRY_MARKDOWN, flags, text, len);
	size_t i, size;
	const unsigned char *p = find(pc, ENTRY_MARKDOWN, key, &i, &size);
	if (p && parse_cache_decode_markdown(a, p, size, out)) {
		hit(pc, i);
		return;
	}
	atomic_fetch_add_explicit(&pc->misses, 1, memory_order_relaxed);
	markdown_render(text, len, flags, out);
	record(pc, &(new_entry){ .key = key, .kind = ENTRY_MARKDOWN, .md = *out });
}

/* Writes bytes and chains them into the checksum. */
static bool emit(cf_writer *w, const void *p, size_t n, unsigned long long *h)
{
	*h = hash64(p, n, *h);
	cf_writer_put(w, p, n);
	return w->ok;
}

/* Writes every entry used or made by this build once; false on error. */
static bool write_entries(parse_cache *pc, cf_writer *w, unsigned long long *h)
{
	key_index written;
	index_init(&written, pc->nold + pc->nfresh);
	key128 *keys = xcalloc(pc->nold + pc->nfresh + 1, sizeof *keys);
	size_t nkeys = 0;
	bool ok = true;
	buf b = BUF_INIT;
	for (size_t i = 0; i < pc->nold && ok; i++) {
		if (!atomic_load_explicit(&pc->used[i], memory_order_relaxed))
			continue;
		keys[nkeys] = pc->old[i].key;
		size_t *slot = index_slot(&written, keys, sizeof *keys, keys[nkeys]);
		*slot = ++nkeys; /* the file had no key twice */
		ok = emit(w, pc->map + pc->old[i].at, pc->old[i].size, h);
	}
	for (size_t i = 0; i < pc->nfresh && ok; i++) {
		const new_entry *e = &pc->fresh[i];
		size_t *slot = index_slot(&written, keys, sizeof *keys, e->key);
		if (*slot)
			continue; /* two documents with the same front or body */
		buf_clear(&b);
		unsigned char head[ENTRY_HEADER] = { e->kind };
		buf_put(&b, head, ENTRY_HEADER);
		if (e->kind == ENTRY_YAML)
			parse_cache_encode_value(&b, e->v);
		else
			parse_cache_encode_markdown(&b, &e->md);
		size_t payload = b.len - ENTRY_HEADER;
		if (payload > UINT32_MAX)
			continue;
		unsigned char *p = (unsigned char *)b.p;
		cf_store_u32(p + 4, (uint32_t)payload);
		cf_store_u32(p + 8, (uint32_t)e->key.k[0]);
		cf_store_u32(p + 12, (uint32_t)(e->key.k[0] >> 32));
		cf_store_u32(p + 16, (uint32_t)e->key.k[1]);
		cf_store_u32(p + 20, (uint32_t)(e->key.k[1] >> 32));
		keys[nkeys] = e->key;
		*slot = ++nkeys;
		ok = emit(w, b.p, b.len, h);
	}
	buf_release(&b);
	free(keys);
	free(written.slots);
	return ok;
}

int parse_cache_save(parse_cache *pc)
{
	if (!pc)
		return 0;
	size_t used = 0;
	for (size_t i = 0; i < pc->nold; i++)
		used += atomic_load_explicit(&pc->used[i], memory_order_relaxed);
	if (!pc->nfresh && used == pc->nold)
		return 0; /* the file holds exactly what this build used */
	mkdir(pc->dir, 0755); /* may exist already */
	cf_writer w;
	cf_writer_open(&w, pc->file);
	buf head = BUF_INIT;
	put_header(&head, pc->key);
	unsigned long long h = HASH64_INIT;
	bool ok = emit(&w, head.p, head.len, &h) && write_entries(pc, &w, &h);
	buf_clear(&head);
	cf_put_u64(&head, h);
	if (ok)
		cf_writer_put(&w, head.p, head.len);
	ok = cf_writer_close(&w) == 0 && ok;
	buf_release(&head);
	return ok ? 0 : -1;
}

void parse_cache_stats(const parse_cache *pc, size_t *hits, size_t *misses)
{
	*hits = pc ? atomic_load(&((parse_cache *)(uintptr_t)pc)->hits) : 0;
	*misses = pc ? atomic_load(&((parse_cache *)(uintptr_t)pc)->misses) : 0;
}
