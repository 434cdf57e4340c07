/*
 * kvstore: see kvstore.h for the format and the guarantees.
 *
 * Invariant: an entry is handed out only from a segment whose header
 * matched the index, at bounds the index checked against the segment's
 * size, and only if its checksum matches its bytes now.
 */
#include "kvstore_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cachefile.h"
#include "util.h"

static bool same(kv_key a, kv_key b)
{
	return a.k[0] == b.k[0] && a.k[1] == b.k[1];
}

void kv_table_init(table *t, size_t n)
{
	t->cap = 16;
	while (t->cap < 2 * n + 2)
		t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
}

uint32_t *kv_table_slot(const table *t, const entry *e, kv_key key)
{
	size_t i = (size_t)key.k[0] & (t->cap - 1);
	for (;; i = (i + 1) & (t->cap - 1)) {
		uint32_t *s = &t->slot[i];
		if (!*s || same(e[*s - 1].key, key))
			return s;
	}
}

uint64_t kv_checksum(kv_key key, const void *p, size_t n)
{
	return hash64(p, n, key.k[0] ^ key.k[1]);
}

char *kv_seg_path(const char *path, uint64_t id)
{
	return xasprintf("%s.%016llx", path, (unsigned long long)id);
}

static void put_seg_header(unsigned char *h, uint64_t validity, uint64_t id)
{
	buf b = BUF_INIT;
	buf_put(&b, KV_SEG_MAGIC, 8);
	cf_put_u32(&b, KV_VERSION);
	cf_put_u32(&b, 0);
	cf_put_u64(&b, validity);
	cf_put_u64(&b, id);
	memcpy(h, b.p, KV_SEG_HEADER);
	buf_release(&b);
}

/* Maps segment g if its file is the one the index names. */
static void map_segment(kvstore *s, segment *g)
{
	char *p = kv_seg_path(s->path, g->id);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		(uint64_t)st.st_size != g->size || g->size < KV_SEG_HEADER ||
		g->size > SIZE_MAX) {
		close(fd);
		return;
	}
	void *m = mmap(NULL, (size_t)g->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	unsigned char want[KV_SEG_HEADER];
	put_seg_header(want, s->validity, g->id);
	if (memcmp(m, want, KV_SEG_HEADER) != 0) {
		munmap(m, (size_t)g->size);
		return;
	}
	g->map = m;
}

static void unmap_all(kvstore *s)
{
	for (size_t i = 0; i < s->nsegs; i++)
		if (s->segs[i].map)
			munmap((void *)(uintptr_t)s->segs[i].map,
				(size_t)s->segs[i].size);
}

/* Reads and checks the index; false (and nothing kept) on any doubt. */
static bool load_index(kvstore *s)
{
	char *data = NULL;
	size_t n = 0;
	if (read_file(s->path, &data, &n) != 0)
		return false;
	cf_reader r = { (const unsigned char *)data, n, 0, false };
	bool ok = n >= KV_IDX_HEADER + 8 &&
		memcmp(cf_take(&r, 8), KV_IDX_MAGIC, 8) == 0 &&
		cf_get_u32(&r) == KV_VERSION && cf_get_u32(&r) == 0 &&
		cf_get_u64(&r) == s->validity;
	uint64_t nsegs = cf_get_u64(&r), nent = cf_get_u64(&r);
	ok = ok && nsegs <= 4 * KV_MAX_SEGS &&
		nent <= (n - KV_IDX_HEADER) / KV_IDX_ENTRY && nent < UINT32_MAX &&
		n == KV_IDX_HEADER + nsegs * KV_IDX_SEG + nent * KV_IDX_ENTRY + 8 &&
		cf_load_u64(r.p + n - 8) == hash64(data, n - 8, HASH64_INIT);
	if (!ok)
		goto done;
	s->nsegs = (size_t)nsegs;
	s->segs = xcalloc(s->nsegs + 1, sizeof *s->segs);
	for (size_t i = 0; i < s->nsegs; i++) {
		s->segs[i].id = cf_get_u64(&r);
		s->segs[i].size = cf_get_u64(&r);
		for (size_t j = 0; j < i; j++)
			ok = ok && s->segs[j].id != s->segs[i].id;
	}
	s->nold = (size_t)nent;
	s->old = xcalloc(s->nold + 1, sizeof *s->old);
	for (size_t i = 0; i < s->nold && ok; i++) {
		entry *e = &s->old[i];
		e->key.k[0] = cf_get_u64(&r);
		e->key.k[1] = cf_get_u64(&r);
		e->off = cf_get_u64(&r);
		e->size = cf_get_u32(&r);
		e->seg = cf_get_u32(&r);
		e->sum = cf_get_u64(&r);
		ok = e->seg < s->nsegs && e->off >= KV_SEG_HEADER &&
			e->off <= s->segs[e->seg].size &&
			e->size <= s->segs[e->seg].size - e->off;
	}
	kv_table_init(&s->t, s->nold);
	for (size_t i = 0; i < s->nold && ok; i++) {
		uint32_t *slot = kv_table_slot(&s->t, s->old, s->old[i].key);
		ok = !*slot; /* never written twice */
		*slot = (uint32_t)i + 1;
	}
	if (ok)
		for (size_t i = 0; i < s->nsegs; i++)
			map_segment(s, &s->segs[i]);
done:
	free(data);
	return ok && !r.bad;
}

kvstore *kvstore_open(const char *path, uint64_t validity)
{
	if (!path)
		return NULL;
	kvstore *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->validity = validity;
	pthread_mutex_init(&s->lock, NULL);
	if (!load_index(s)) {
		unmap_all(s);
		free(s->segs);
		free(s->old);
		free(s->t.slot);
		s->segs = NULL;
		s->old = NULL;
		s->nsegs = s->nold = 0;
		s->t = (table){ NULL, 0 };
	}
	s->state = xcalloc(s->nold + 1, sizeof *s->state);
	return s;
}

void kv_drop_new_segment(kvstore *s)
{
	if (s->fp)
		fclose(s->fp);
	if (s->tmp)
		remove(s->tmp);
	s->fp = NULL;
	free(s->tmp);
	s->tmp = NULL;
}

void kvstore_free(kvstore *s)
{
	if (!s)
		return;
	kv_drop_new_segment(s);
	unmap_all(s);
	free(s->segs);
	free(s->old);
	free(s->t.slot);
	free((void *)(uintptr_t)s->state);
	free(s->fresh);
	free(s->ft.slot);
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s);
}

size_t kvstore_count(const kvstore *s)
{
	return s ? s->nold : 0;
}

static const entry *find(const kvstore *s, kv_key key, size_t *i)
{
	if (!s || !s->nold)
		return NULL;
	uint32_t slot = *kv_table_slot(&s->t, s->old, key);
	if (!slot || !s->segs[s->old[slot - 1].seg].map)
		return NULL;
	*i = slot - 1;
	return &s->old[*i];
}

const unsigned char *kvstore_get(kvstore *s, kv_key key, size_t *len)
{
	size_t i;
	const entry *e = find(s, key, &i);
	if (!e || atomic_load_explicit(&s->state[i], memory_order_relaxed) == KV_BAD)
		return NULL;
	const unsigned char *p = s->segs[e->seg].map + e->off;
	if (kv_checksum(key, p, e->size) != e->sum) {
		atomic_store_explicit(&s->state[i], KV_BAD, memory_order_relaxed);
		return NULL;
	}
	atomic_store_explicit(&s->state[i], KV_KEPT, memory_order_relaxed);
	*len = e->size;
	return p;
}

bool kvstore_keep(kvstore *s, kv_key key)
{
	size_t i;
	const entry *e = find(s, key, &i);
	if (!e || atomic_load_explicit(&s->state[i], memory_order_relaxed) == KV_BAD)
		return false;
	atomic_store_explicit(&s->state[i], KV_KEPT, memory_order_relaxed);
	return true;
}

/* A segment id no other save picks: time, process and a counter. */
static uint64_t fresh_id(const kvstore *s)
{
	static atomic_ulong counter;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x[4] = { (uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec,
		(uint64_t)getpid(), atomic_fetch_add(&counter, 1) };
	return hash64(x, sizeof x, hash64(s->path, strlen(s->path),
		HASH64_INIT));
}

/* Starts the new segment (under the lock). */
static bool open_new_segment(kvstore *s)
{
	if (s->fp || s->failed)
		return !s->failed;
	char *dir = xstrdup(s->path), *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755); /* may exist already */
	}
	free(dir);
	s->new_id = fresh_id(s);
	s->tmp = xasprintf("%s.%016llx.tmp", s->path,
		(unsigned long long)s->new_id);
	s->fp = fopen(s->tmp, "wbx");
	unsigned char h[KV_SEG_HEADER];
	put_seg_header(h, s->validity, s->new_id);
	if (!s->fp || fwrite(h, 1, KV_SEG_HEADER, s->fp) != KV_SEG_HEADER) {
		s->failed = true;
		return false;
	}
	s->new_size = KV_SEG_HEADER;
	kv_table_init(&s->ft, 1024);
	return true;
}

void kv_append(kvstore *s, kv_key key, const void *p, size_t n,
	uint64_t sum)
{
	if (n > UINT32_MAX || !open_new_segment(s))
		return;
	uint32_t *slot = kv_table_slot(&s->ft, s->fresh, key);
	if (*slot)
		return; /* put twice: the first stays */
	if (n && fwrite(p, 1, n, s->fp) != n) {
		s->failed = true;
		return;
	}
	if (s->nfresh == s->fresh_cap) {
		s->fresh_cap = s->fresh_cap ? 2 * s->fresh_cap : 256;
		s->fresh = xrealloc(s->fresh, s->fresh_cap * sizeof *s->fresh);
	}
	s->fresh[s->nfresh] = (entry){ key, s->new_size, sum, (uint32_t)n, 0 };
	*slot = (uint32_t)++s->nfresh;
	s->new_size += n;
	if (2 * s->nfresh + 2 > s->ft.cap) { /* grow the table */
		free(s->ft.slot);
		kv_table_init(&s->ft, 2 * s->nfresh);
		for (size_t i = 0; i < s->nfresh; i++)
			*kv_table_slot(&s->ft, s->fresh, s->fresh[i].key) =
				(uint32_t)i + 1;
	}
}

void kvstore_put(kvstore *s, kv_key key, const void *p, size_t n)
{
	if (!s)
		return;
	uint64_t sum = kv_checksum(key, p, n);
	pthread_mutex_lock(&s->lock);
	kv_append(s, key, p, n, sum);
	pthread_mutex_unlock(&s->lock);
}

void kvstore_forget(const void *p, size_t n)
{
	/* The mapping is private, read-only and never written: a page
	 * dropped is read again from the file, the same bytes, so the pages
	 * shared with neighbouring entries can go too. */
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = (uintptr_t)p & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + n + page - 1) & ~(page - 1);
	if (p && n)
		madvise((void *)from, to - from, MADV_DONTNEED);
}
