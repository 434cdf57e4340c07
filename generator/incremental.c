/*
 * incremental: the manifest of output fingerprints (see incremental.h for
 * the design and why it is safe).
 *
 * Manifest format (text): a header line "enquire-incremental VERSION KEY
 * ID", one line "FINGERPRINT\tPATH" per file in path order, and a last
 * line "end CHECKSUM" (the hash of everything before it). Any deviation
 * and the manifest is ignored.
 */
#include "incremental.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachefile.h"
#include "util.h"

/* 3: fingerprints by fp_bytes, subtrees hashed on their own
 * 4: long strings by XXH3
 * 5: keyed strings (value_string_keyed) by their key
 * 6: one tag per node; a map resumes from the map it copies */
#define VERSION 6

typedef struct {
	char *path;
	unsigned long long fp;
} entry;

struct incr {
	char *manifest; /* NULL: no cache */
	char *out;
	unsigned long long key;
	entry *old; /* sorted by path */
	size_t nold, oldcap;
	entry **by_fp; /* old, sorted by fingerprint; made when first asked */
	entry *now;
	size_t nnow, cap;
	bool trusted; /* the manifest was read and matches the site */
	bool sorted; /* now is sorted by path */
	/* A file was written whose path the manifest cannot hold: an update
	 * in place would not know to remove it once it is gone. */
	bool untracked;
	pthread_mutex_t lock;
	atomic_size_t reused;
};

static unsigned long long hash_str(const char *s, unsigned long long h)
{
	return hash64(s, strlen(s) + 1, h);
}

incr *incr_new(const char *cache_dir, const char *out)
{
	incr *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->out = xstrdup(out);
	c->key = hash_str("enquire-incremental", HASH64_INIT);
	if (!cache_dir || (mkdir(cache_dir, 0755) != 0 && access(cache_dir, W_OK) != 0))
		return c;
	char cwd[PATH_MAX];
	unsigned long long h = HASH64_INIT;
	if (out[0] != '/' && getcwd(cwd, sizeof cwd))
		h = hash_str(cwd, h);
	h = hash_str(out, h);
	c->manifest = xasprintf("%s/pages-%016llx", cache_dir, h);
	return c;
}

void incr_free(incr *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nold; i++)
		free(c->old[i].path);
	for (size_t i = 0; i < c->nnow; i++)
		free(c->now[i].path);
	free(c->old);
	free(c->by_fp);
	free(c->now);
	free(c->manifest);
	free(c->out);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void incr_key_add(incr *c, const void *data, size_t n)
{
	c->key = hash64(data, n, hash64(&n, sizeof n, c->key));
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* The build id the output folder holds, or NULL. */
static char *site_id(const char *out)
{
	char *file = xasprintf("%s/%s", out, INCR_ID_FILE), *data = NULL;
	size_t len;
	if (read_file(file, &data, &len) != 0)
		data = NULL;
	free(file);
	return data;
}

/* Parses the manifest text; false when anything is off. */
static bool parse(incr *c, char *text, size_t len, const char *id)
{
	char *end = text + len;
	char *last = NULL;
	for (char *p = end - 1; p > text; p--)
		if (p[-1] == '\n') {
			last = p;
			break;
		}
	unsigned long long sum;
	if (!last || sscanf(last, "end %llx\n", &sum) != 1 ||
		sum != hash64(text, (size_t)(last - text), HASH64_INIT))
		return false;
	*last = '\0';
	char *line = text, *nl = strchr(line, '\n');
	if (!nl)
		return false;
	*nl = '\0';
	int version;
	unsigned long long key;
	char mid[64];
	if (sscanf(line, "enquire-incremental %d %llx %63s", &version, &key,
		mid) != 3 || version != VERSION || key != c->key ||
		strcmp(mid, id) != 0)
		return false;
	for (line = nl + 1; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		char *tab = strchr(line, '\t');
		if (!nl || !tab || tab > nl)
			return false;
		*nl = *tab = '\0';
		char *e;
		unsigned long long fp = strtoull(line, &e, 16);
		if (e != tab)
			return false;
		if (c->nold == c->oldcap) {
			c->oldcap = c->oldcap ? c->oldcap * 2 : 1024;
			c->old = xrealloc(c->old, c->oldcap * sizeof *c->old);
		}
		c->old[c->nold].path = xstrdup(tab + 1);
		c->old[c->nold++].fp = fp;
	}
	for (size_t i = 1; i < c->nold; i++)
		if (strcmp(c->old[i - 1].path, c->old[i].path) >= 0)
			return false; /* must be sorted, for bsearch */
	return true;
}

void incr_load(incr *c)
{
	char *text = NULL, *id = NULL;
	size_t len;
	if (!c->manifest || !(id = site_id(c->out)) ||
		read_file(c->manifest, &text, &len) != 0 || len == 0)
		goto done;
	c->trusted = parse(c, text, len, id);
	if (!c->trusted) {
		for (size_t i = 0; i < c->nold; i++)
			free(c->old[i].path);
		free(c->old);
		c->old = NULL;
		c->nold = 0;
	}
done:
	free(text);
	free(id);
}

/*
 * Fingerprints hash every byte of every page's data tree and of every
 * file written (hundreds of MB on the 10,000-case benchmark): short
 * strings 8 bytes a step, long ones by XXH3 (hash64), which is canonical
 * across machines. Words are read little-endian whatever the machine, so
 * the same data gives the same fingerprint (and build id) everywhere.
 */
#define FP_MUL 0x9E3779B97F4A7C15ULL
/* Marks a keyed string's tag, so its key is never read as a string's
 * bytes (a plain string's tag has its length above bit 16). */
#define FP_KEYED_TAG (1ULL << 9)

static uint64_t fp_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * FP_MUL;
	return h ^ (h >> 29);
}

/* Written out so compilers make them one load on little-endian
 * machines. */
static uint64_t load4_le(const unsigned char *s)
{
	return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
		(uint64_t)s[3] << 24;
}

static uint64_t load8_le(const unsigned char *s)
{
	return load4_le(s) | load4_le(s + 4) << 32;
}

/* The n (1 to 7) bytes at s as a little-endian number, without a loop
 * (most keys and many values end in such a tail): two loads that overlap
 * put the shared bytes at the same place, so or-ing them is exact. */
static uint64_t load_le(const unsigned char *s, size_t n)
{
	if (n >= 4)
		return load4_le(s) | load4_le(s + n - 4) << (8 * (n - 4));
	return (uint64_t)s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
		(uint64_t)s[n - 1] << (8 * (n - 1));
}

/* Long runs (a page's HTML, a chart, a search shard) go to XXH3, which
 * takes many bytes a step; short ones, most keys and values, stay here,
 * where a call costs less than XXH3's setup. */
#define FP_LONG 64

/* n bytes (n > 0) whose length h already holds. */
static uint64_t fp_words(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	if (n >= FP_LONG)
		return fp_mix(h, hash64(s, n, h));
	for (; n > 8; s += 8, n -= 8)
		h = fp_mix(h, load8_le(s));
	return fp_mix(h, n == 8 ? load8_le(s) : load_le(s, n));
}

static uint64_t fp_bytes(const void *p, size_t n, uint64_t h)
{
	h = fp_mix(h, n);
	return n ? fp_words(p, n, h) : h;
}

static uint64_t fp_str(const char *s, uint64_t h)
{
	return fp_bytes(s, strlen(s), h);
}

static uint64_t subtree_chain(const value *v);

/* A node: one mix of a tag (its kind, a bool's truth, a string's length)
 * before its bytes; a list or map as its own hash (subtree_hash). */
static uint64_t hash_value(const value *v, uint64_t h);

/* A list's or map's own hash (never 0): its items' or pairs' chain, then
 * their count. */
static uint64_t subtree_hash(const value *v)
{
	size_t n = v->kind == VALUE_LIST ? v->u.list.n : v->u.map.n;
	return fp_mix(subtree_chain(v), n) | 1;
}

static uint64_t hash_value(const value *v, uint64_t h)
{
	if (!v)
		return fp_mix(h, 0);
	switch (v->kind) {
	case VALUE_LIST:
	case VALUE_MAP:
		return fp_mix(h, subtree_hash(v));
	default: {
		/* A keyed string: its key stands for its bytes (value.h),
		 * which may not even have been made. */
		uint64_t key = atomic_load_explicit(
			(_Atomic unsigned long long *)(uintptr_t)&v->fingerprint,
			memory_order_relaxed);
		uint64_t tag = (uint64_t)v->kind + 1;
		if (key)
			return fp_mix(fp_mix(h, tag | FP_KEYED_TAG), key);
		/* A bool made by code has no text; its truth is what counts. */
		size_t n = v->str ? v->len : 0;
		tag |= (uint64_t)(v->kind == VALUE_BOOL && v->u.b) << 8;
		h = fp_mix(h, tag | (uint64_t)n << 16);
		return n ? fp_words(v->str, n, h) : h;
	}
	}
}

/* The pairs' hash chain of a map, from the start or from where its base
 * (value_copy) ends, when its first pairs are still base's. */
static uint64_t map_chain(const value *v)
{
	const value *b = v->u.map.n ? v->base : NULL;
	size_t i = 0;
	uint64_t h = fp_mix(FP_MUL, VALUE_MAP);
	if (b && b->kind == VALUE_MAP && b->u.map.n <= v->u.map.n) {
		const value_pair *p = v->u.map.pairs, *q = b->u.map.pairs;
		size_t n = b->u.map.n;
		while (i < n && p[i].key == q[i].key && p[i].val == q[i].val)
			i++;
		if (i == n)
			h = subtree_chain(b);
		else
			i = 0;
	}
	for (; i < v->u.map.n; i++) {
		h = fp_str(v->u.map.pairs[i].key, h);
		h = hash_value(v->u.map.pairs[i].val, h);
	}
	return h;
}

/* A list's or map's chain, computed once: values do not change once
 * hashed (value.h), and cards, navigation and site data are shared by
 * thousands of pages. Threads computing it at once store the same
 * number. A chain that comes out 0 is not memoised, only computed again. */
static uint64_t subtree_chain(const value *v)
{
	_Atomic unsigned long long *memo =
		(_Atomic unsigned long long *)(uintptr_t)&v->fingerprint;
	uint64_t h = atomic_load_explicit(memo, memory_order_relaxed);
	if (h)
		return h;
	if (v->kind == VALUE_LIST) {
		h = fp_mix(FP_MUL, VALUE_LIST);
		for (size_t i = 0; i < v->u.list.n; i++)
			h = hash_value(v->u.list.items[i], h);
	} else {
		h = map_chain(v);
	}
	atomic_store_explicit(memo, h, memory_order_relaxed);
	return h;
}

unsigned long long incr_fingerprint_page(const incr *c, const char *tmpl,
	const value *data)
{
	return hash_value(data, fp_str(tmpl, fp_str("page", c->key)));
}

unsigned long long incr_fingerprint_bytes(const incr *c, const void *data,
	size_t n)
{
	return fp_bytes(data, n, fp_str("bytes", c->key));
}

unsigned long long incr_fingerprint_key(const incr *c, unsigned long long key)
{
	return fp_mix(fp_str("key", c->key), key);
}

static int by_fp(const void *a, const void *b)
{
	unsigned long long x = (*(entry *const *)a)->fp;
	unsigned long long y = (*(entry *const *)b)->fp;
	return x < y ? -1 : x > y;
}

const char *incr_old_file(incr *c, unsigned long long fp)
{
	if (!c->nold)
		return NULL;
	pthread_mutex_lock(&c->lock);
	if (!c->by_fp) {
		c->by_fp = xcalloc(c->nold, sizeof *c->by_fp);
		for (size_t i = 0; i < c->nold; i++)
			c->by_fp[i] = &c->old[i];
		qsort(c->by_fp, c->nold, sizeof *c->by_fp, by_fp);
	}
	pthread_mutex_unlock(&c->lock);
	entry key = { NULL, fp }, *k = &key;
	entry **e = bsearch(&k, c->by_fp, c->nold, sizeof *c->by_fp, by_fp);
	return e ? (*e)->path : NULL;
}

static const entry *old_entry(const incr *c, const char *file)
{
	entry key = { (char *)(uintptr_t)file, 0 };
	return c->nold ? bsearch(&key, c->old, c->nold, sizeof *c->old,
		by_path) : NULL;
}

bool incr_same(const incr *c, const char *file, unsigned long long fp)
{
	const entry *e = old_entry(c, file);
	return e && e->fp == fp;
}

bool incr_known(const incr *c, const char *file)
{
	return old_entry(c, file) != NULL;
}

bool incr_old_fingerprint(const incr *c, const char *file,
	unsigned long long *fp)
{
	const entry *e = old_entry(c, file);
	if (e)
		*fp = e->fp;
	return e != NULL;
}

void incr_record(incr *c, const char *file, unsigned long long fp)
{
	pthread_mutex_lock(&c->lock);
	if (strpbrk(file, "\t\n")) {
		/* Not representable: no manifest is saved (incr_save). */
		c->untracked = true;
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (c->nnow == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->now = xrealloc(c->now, c->cap * sizeof *c->now);
	}
	c->now[c->nnow].path = xstrdup(file);
	c->now[c->nnow++].fp = fp;
	c->sorted = false;
	pthread_mutex_unlock(&c->lock);
}

static void sort_now(incr *c)
{
	if (!c->sorted)
		qsort(c->now, c->nnow, sizeof *c->now, by_path);
	c->sorted = true;
}

bool incr_trusted(const incr *c)
{
	return c->trusted;
}

static bool recorded(const incr *c, const char *file)
{
	entry key = { (char *)(uintptr_t)file, 0 };
	return bsearch(&key, c->now, c->nnow, sizeof *c->now, by_path) != NULL;
}

/* A file recorded twice, or a file recorded where another one's folder
 * is: what writing them all into a fresh folder would have refused. A
 * file's folders are looked up only when they differ from the previous
 * file's (sorted, files of one folder mostly come together). */
int incr_check_paths(incr *c, diag_list *d)
{
	sort_now(c);
	const char *last = NULL; /* the previous file's folders */
	size_t nlast = 0;
	buf prefix = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < c->nnow && rc == 0; i++) {
		const char *p = c->now[i].path;
		if (i > 0 && strcmp(c->now[i - 1].path, p) == 0) {
			diag_add(d, DIAG_ERROR, "", 0, 0,
				"two outputs want the same path '%s' (a static file and a page?)",
				p);
			rc = -1;
			break;
		}
		const char *slash = strrchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : 0;
		if (!slash || (last && n == nlast && memcmp(p, last, n) == 0))
			continue;
		last = p;
		nlast = n;
		for (const char *s = p; (s = strchr(s, '/')) && s <= slash; s++) {
			buf_clear(&prefix);
			buf_put(&prefix, p, (size_t)(s - p));
			if (recorded(c, prefix.p)) {
				diag_add(d, DIAG_ERROR, "", 0, 0,
					"two outputs want the same path '%s' (a file, and the folder of '%s')",
					prefix.p, p);
				rc = -1;
				break;
			}
		}
	}
	buf_release(&prefix);
	return rc;
}

void incr_each_gone(incr *c, void (*fn)(void *ctx, const char *file),
	void *ctx)
{
	sort_now(c);
	/* Both lists sorted by path: one walk. */
	size_t j = 0;
	for (size_t i = 0; i < c->nold; i++) {
		int cmp = 1;
		while (j < c->nnow &&
			(cmp = strcmp(c->now[j].path, c->old[i].path)) < 0)
			j++;
		if (j == c->nnow || cmp != 0)
			fn(ctx, c->old[i].path);
	}
}

char *incr_build_id(incr *c)
{
	sort_now(c);
	unsigned long long h = c->key;
	for (size_t i = 0; i < c->nnow; i++) {
		h = hash_str(c->now[i].path, h);
		h = hash64(&c->now[i].fp, sizeof c->now[i].fp, h);
	}
	return xasprintf("%016llx", h);
}

void incr_save(incr *c)
{
	if (!c->manifest)
		return;
	if (c->untracked) { /* the next build is a full one */
		unlink(c->manifest);
		return;
	}
	char *id = incr_build_id(c);
	buf b = BUF_INIT;
	buf_printf(&b, "enquire-incremental %d %016llx %s\n", VERSION, c->key, id);
	for (size_t i = 0; i < c->nnow; i++)
		buf_printf(&b, "%016llx\t%s\n", c->now[i].fp, c->now[i].path);
	buf_printf(&b, "end %016llx\n", hash64(b.p, b.len, HASH64_INIT));
	cf_replace(c->manifest, b.p, b.len);
	free(id);
	buf_release(&b);
}

void incr_count(incr *c, bool reused)
{
	if (reused)
		atomic_fetch_add(&c->reused, 1);
}

size_t incr_reused(const incr *c)
{
	return atomic_load(&((incr *)(uintptr_t)c)->reused);
}
