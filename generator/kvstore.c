/*
 * kvstore: see kvstore.h for the format and the guarantees.
 *
 * Invariant: an entry is handed out only from a segment whose header
 * matched the index, at bounds the index checked against the segment's
 * size, and only if its checksum matches its bytes now.
 */
#include "kvstore.h"

#include <dirent.h>
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

#define IDX_MAGIC "ENQKVIDX"
#define SEG_MAGIC "ENQKVSEG"
#define VERSION 1u
#define IDX_HEADER 40
#define IDX_SEG 16
#define IDX_ENTRY 40
#define SEG_HEADER 32
/* More segments than this and the smallest are folded into the new one. */
#define MAX_SEGS 8

enum { UNUSED, KEPT, BAD };

typedef struct {
	kv_key key;
	uint64_t off, sum;
	uint32_t size, seg;
} entry;

typedef struct {
	uint64_t id, size;
	const unsigned char *map; /* NULL when missing or not ours */
	uint64_t live; /* bytes of the entries the save keeps */
	size_t nlive; /* and how many there are (some may be empty) */
	bool fold; /* copy its live entries into the new segment */
} segment;

/* Open addressing over entries: slots hold an entry index + 1. */
typedef struct {
	uint32_t *slot;
	size_t cap;
} table;

struct kvstore {
	char *path;
	uint64_t validity;
	segment *segs;
	size_t nsegs;
	entry *old;
	size_t nold;
	table t;
	atomic_uchar *state; /* per old entry: UNUSED, KEPT or BAD */
	pthread_mutex_t lock; /* guards everything below */
	FILE *fp; /* the new segment, a temporary file */
	char *tmp;
	uint64_t new_id, new_size;
	bool failed;
	entry *fresh;
	size_t nfresh, fresh_cap;
	table ft;
};

static bool same(kv_key a, kv_key b)
{
	return a.k[0] == b.k[0] && a.k[1] == b.k[1];
}

static void table_init(table *t, size_t n)
{
	t->cap = 16;
	while (t->cap < 2 * n + 2)
		t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
}

/* key's slot in t over entries e: its entry's, or the empty one. */
static uint32_t *table_slot(const table *t, const entry *e, kv_key key)
{
	size_t i = (size_t)key.k[0] & (t->cap - 1);
	for (;; i = (i + 1) & (t->cap - 1)) {
		uint32_t *s = &t->slot[i];
		if (!*s || same(e[*s - 1].key, key))
			return s;
	}
}

static uint64_t checksum(kv_key key, const void *p, size_t n)
{
	return hash64(p, n, key.k[0] ^ key.k[1]);
}

static char *seg_path(const char *path, uint64_t id)
{
	return xasprintf("%s.%016llx", path, (unsigned long long)id);
}

static void put_seg_header(unsigned char *h, uint64_t validity, uint64_t id)
{
	buf b = BUF_INIT;
	buf_put(&b, SEG_MAGIC, 8);
	cf_put_u32(&b, VERSION);
	cf_put_u32(&b, 0);
	cf_put_u64(&b, validity);
	cf_put_u64(&b, id);
	memcpy(h, b.p, SEG_HEADER);
	buf_release(&b);
}

/* Maps segment g if its file is the one the index names. */
static void map_segment(kvstore *s, segment *g)
{
	char *p = seg_path(s->path, g->id);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		(uint64_t)st.st_size != g->size || g->size < SEG_HEADER ||
		g->size > SIZE_MAX) {
		close(fd);
		return;
	}
	void *m = mmap(NULL, (size_t)g->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	unsigned char want[SEG_HEADER];
	put_seg_header(want, s->validity, g->id);
	if (memcmp(m, want, SEG_HEADER) != 0) {
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
	bool ok = n >= IDX_HEADER + 8 &&
		memcmp(cf_take(&r, 8), IDX_MAGIC, 8) == 0 &&
		cf_get_u32(&r) == VERSION && cf_get_u32(&r) == 0 &&
		cf_get_u64(&r) == s->validity;
	uint64_t nsegs = cf_get_u64(&r), nent = cf_get_u64(&r);
	ok = ok && nsegs <= (n - IDX_HEADER) / IDX_SEG &&
		nent <= (n - IDX_HEADER) / IDX_ENTRY && nent < UINT32_MAX &&
		n == IDX_HEADER + nsegs * IDX_SEG + nent * IDX_ENTRY + 8 &&
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
		ok = e->seg < s->nsegs && e->off >= SEG_HEADER &&
			e->off <= s->segs[e->seg].size &&
			e->size <= s->segs[e->seg].size - e->off;
	}
	table_init(&s->t, s->nold);
	for (size_t i = 0; i < s->nold && ok; i++) {
		uint32_t *slot = table_slot(&s->t, s->old, s->old[i].key);
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

static void drop_new_segment(kvstore *s)
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
	drop_new_segment(s);
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
	uint32_t slot = *table_slot(&s->t, s->old, key);
	if (!slot || !s->segs[s->old[slot - 1].seg].map)
		return NULL;
	*i = slot - 1;
	return &s->old[*i];
}

const unsigned char *kvstore_get(kvstore *s, kv_key key, size_t *len)
{
	size_t i;
	const entry *e = find(s, key, &i);
	if (!e || atomic_load_explicit(&s->state[i], memory_order_relaxed) == BAD)
		return NULL;
	const unsigned char *p = s->segs[e->seg].map + e->off;
	if (checksum(key, p, e->size) != e->sum) {
		atomic_store_explicit(&s->state[i], BAD, memory_order_relaxed);
		return NULL;
	}
	atomic_store_explicit(&s->state[i], KEPT, memory_order_relaxed);
	*len = e->size;
	return p;
}

bool kvstore_keep(kvstore *s, kv_key key)
{
	size_t i;
	const entry *e = find(s, key, &i);
	if (!e || atomic_load_explicit(&s->state[i], memory_order_relaxed) == BAD)
		return false;
	atomic_store_explicit(&s->state[i], KEPT, memory_order_relaxed);
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
	unsigned char h[SEG_HEADER];
	put_seg_header(h, s->validity, s->new_id);
	if (!s->fp || fwrite(h, 1, SEG_HEADER, s->fp) != SEG_HEADER) {
		s->failed = true;
		return false;
	}
	s->new_size = SEG_HEADER;
	table_init(&s->ft, 1024);
	return true;
}

/* Appends an entry to the new segment (under the lock). */
static void append(kvstore *s, kv_key key, const void *p, size_t n,
	uint64_t sum)
{
	if (n > UINT32_MAX || !open_new_segment(s))
		return;
	uint32_t *slot = table_slot(&s->ft, s->fresh, key);
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
		table_init(&s->ft, 2 * s->nfresh);
		for (size_t i = 0; i < s->nfresh; i++)
			*table_slot(&s->ft, s->fresh, s->fresh[i].key) =
				(uint32_t)i + 1;
	}
}

void kvstore_put(kvstore *s, kv_key key, const void *p, size_t n)
{
	if (!s)
		return;
	uint64_t sum = checksum(key, p, n);
	pthread_mutex_lock(&s->lock);
	append(s, key, p, n, sum);
	pthread_mutex_unlock(&s->lock);
}

/* Saving. */

/* Does old entry i go into the new index as it is (not replaced)? */
static bool is_live(const kvstore *s, size_t i)
{
	const entry *e = &s->old[i];
	return atomic_load_explicit(&s->state[i], memory_order_relaxed) == KEPT &&
		s->segs[e->seg].map &&
		!(s->nfresh && *table_slot(&s->ft, s->fresh, e->key));
}

static bool stays(const segment *x)
{
	return x->map && x->nlive && !x->fold;
}

/* Marks the segments to copy from: those mostly dead, then the smallest
 * while there are too many. Returns how many stay as they are. */
static size_t choose_folds(kvstore *s)
{
	size_t nstay = 0;
	for (size_t g = 0; g < s->nsegs; g++) {
		segment *x = &s->segs[g];
		uint64_t payload = x->size - SEG_HEADER;
		x->fold = x->map && x->nlive && payload - x->live > payload / 2;
		nstay += stays(x);
	}
	while (nstay + 1 > MAX_SEGS) {
		segment *min = NULL;
		for (size_t g = 0; g < s->nsegs; g++) {
			segment *x = &s->segs[g];
			if (stays(x) && (!min || x->live < min->live))
				min = x;
		}
		min->fold = true;
		nstay--;
	}
	return nstay;
}

static void put_entry(buf *b, const entry *e, uint32_t seg)
{
	cf_put_u64(b, e->key.k[0]);
	cf_put_u64(b, e->key.k[1]);
	cf_put_u64(b, e->off);
	cf_put_u32(b, e->size);
	cf_put_u32(b, seg);
	cf_put_u64(b, e->sum);
}

/* The new index: the segments that stay, then the new one. */
static void make_index(kvstore *s, const bool *live, size_t nstay, buf *b)
{
	uint32_t *renum = xcalloc(s->nsegs + 1, sizeof *renum);
	size_t nent = s->nfresh;
	uint32_t k = 0;
	for (size_t g = 0; g < s->nsegs; g++)
		if (stays(&s->segs[g]))
			renum[g] = k++;
	for (size_t i = 0; i < s->nold; i++)
		nent += live[i] && stays(&s->segs[s->old[i].seg]);
	buf_put(b, IDX_MAGIC, 8);
	cf_put_u32(b, VERSION);
	cf_put_u32(b, 0);
	cf_put_u64(b, s->validity);
	cf_put_u64(b, nstay + (s->nfresh > 0));
	cf_put_u64(b, nent);
	for (size_t g = 0; g < s->nsegs; g++)
		if (stays(&s->segs[g])) {
			cf_put_u64(b, s->segs[g].id);
			cf_put_u64(b, s->segs[g].size);
		}
	if (s->nfresh) {
		cf_put_u64(b, s->new_id);
		cf_put_u64(b, s->new_size);
	}
	for (size_t i = 0; i < s->nold; i++)
		if (live[i] && stays(&s->segs[s->old[i].seg]))
			put_entry(b, &s->old[i], renum[s->old[i].seg]);
	for (size_t i = 0; i < s->nfresh; i++)
		put_entry(b, &s->fresh[i], (uint32_t)nstay);
	cf_put_u64(b, hash64(b->p, b->len, HASH64_INIT));
	free(renum);
}

/* Is name "<base>.<16 hex digits>" or that plus ".tmp"? Gives the id. */
static bool segment_name(const char *name, const char *base, uint64_t *id)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0 || name[n] != '.')
		return false;
	const char *h = name + n + 1;
	if (strspn(h, "0123456789abcdef") != 16 ||
		(h[16] && strcmp(h + 16, ".tmp") != 0))
		return false;
	*id = h[16] ? 0 : strtoull(h, NULL, 16);
	return true;
}

/* Removes the segments (and leftover temporary ones) the index does not
 * name: those of earlier saves, or of a save that crashed. */
static void remove_unnamed(const kvstore *s, const buf *index)
{
	char *dir = xstrdup(s->path), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	if (slash)
		*slash = '\0';
	DIR *d = opendir(slash ? (*dir ? dir : "/") : ".");
	uint64_t nsegs = cf_load_u64((const unsigned char *)index->p + 24);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		uint64_t id;
		if (!segment_name(de->d_name, base, &id))
			continue;
		bool named = false;
		for (uint64_t g = 0; g < nsegs && id && !named; g++)
			named = cf_load_u64((const unsigned char *)index->p +
				IDX_HEADER + g * IDX_SEG) == id;
		if (!named) {
			char *p = slash ? xasprintf("%s/%s", *dir ? dir : "",
				de->d_name) : xstrdup(de->d_name);
			remove(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

/* Closes the new segment and gives it its name; false on error. */
static bool finish_segment(kvstore *s)
{
	if (!s->fp)
		return true;
	bool ok = fclose(s->fp) == 0 && !s->failed;
	s->fp = NULL;
	char *final = seg_path(s->path, s->new_id);
	ok = ok && rename(s->tmp, final) == 0;
	free(final);
	if (ok) {
		free(s->tmp);
		s->tmp = NULL;
	}
	return ok;
}

int kvstore_save(kvstore *s)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&s->lock);
	bool *live = xcalloc(s->nold + 1, sizeof *live);
	size_t nlive = 0;
	for (size_t i = 0; i < s->nold; i++)
		if ((live[i] = is_live(s, i))) {
			s->segs[s->old[i].seg].live += s->old[i].size;
			s->segs[s->old[i].seg].nlive++;
			nlive++;
		}
	int rc = 0;
	if (!s->failed && !s->nfresh && nlive == s->nold)
		goto done; /* the index holds exactly what is live */
	size_t nstay = choose_folds(s);
	for (size_t i = 0; i < s->nold && !s->failed; i++) {
		const entry *e = &s->old[i];
		const unsigned char *p = s->segs[e->seg].map + e->off;
		if (live[i] && s->segs[e->seg].fold &&
			checksum(e->key, p, e->size) == e->sum)
			append(s, e->key, p, e->size, e->sum);
	}
	buf index = BUF_INIT;
	if (s->failed || !finish_segment(s)) {
		rc = -1;
	} else {
		make_index(s, live, nstay, &index);
		rc = cf_replace(s->path, index.p, index.len);
		if (rc == 0)
			remove_unnamed(s, &index);
		else if (s->nfresh) {
			char *final = seg_path(s->path, s->new_id);
			remove(final);
			free(final);
		}
	}
	buf_release(&index);
done:
	drop_new_segment(s);
	s->failed = true; /* saved: no more puts */
	free(live);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
