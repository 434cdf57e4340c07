/*
 * kvstore_save: writing a store's new state (see kvstore.h): the new
 * segment closed and named, segments mostly dead or too many folded into
 * it, a new index renamed over the old, then the segments it does not
 * name removed.
 */
#include "kvstore_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "util.h"


/* Does old entry i go into the new index as it is (not replaced)? */
static bool is_live(const kvstore *s, size_t i)
{
	const entry *e = &s->old[i];
	return atomic_load_explicit(&s->state[i], memory_order_relaxed) == KV_KEPT &&
		s->segs[e->seg].map &&
		!(s->nfresh && *kv_table_slot(&s->ft, s->fresh, e->key));
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
		uint64_t payload = x->size - KV_SEG_HEADER;
		x->fold = x->map && x->nlive && payload - x->live > payload / 2;
		nstay += stays(x);
	}
	while (nstay + 1 > KV_MAX_SEGS) {
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
	buf_put(b, KV_IDX_MAGIC, 8);
	cf_put_u32(b, KV_VERSION);
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
				KV_IDX_HEADER + g * KV_IDX_SEG) == id;
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
	char *final = kv_seg_path(s->path, s->new_id);
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
			kv_checksum(e->key, p, e->size) == e->sum)
			kv_append(s, e->key, p, e->size, e->sum);
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
			char *final = kv_seg_path(s->path, s->new_id);
			remove(final);
			free(final);
		}
	}
	buf_release(&index);
done:
	kv_drop_new_segment(s);
	s->failed = true; /* saved: no more puts */
	free(live);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
