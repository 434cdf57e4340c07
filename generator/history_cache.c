/*
 * history_cache: the raw state of the history walk on disk, so the next
 * build walks only the commits made since.
 *
 * Format (little-endian): "ENQHIST" version, then the body (prefix, last
 * commit, people, files, recent commits), then the FNV-1a hash of the
 * body. Every read is bounds-checked: a truncated or corrupt file is
 * ignored as a whole, never half-trusted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "history_int.h"
#include "util.h"

#define MAGIC "ENQHIST"
#define VERSION 1u

uint64_t history_hash(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void put_str(buf *b, const char *s)
{
	size_t n = strlen(s);
	cf_put_u64(b, n);
	buf_put(b, s, n);
}

static void put_time(buf *b, history_time t)
{
	cf_put_u64(b, (uint64_t)t.time);
	cf_put_u64(b, (uint64_t)(int64_t)t.offset);
}

void history_cache_write(const raw_history *r, const char *file,
	const char *prefix)
{
	buf b = BUF_INIT;
	buf_puts(&b, MAGIC);
	cf_put_u64(&b, VERSION);
	size_t body = b.len;
	put_str(&b, prefix);
	put_str(&b, r->commit);
	cf_put_u64(&b, r->npeople);
	for (size_t i = 0; i < r->npeople; i++) {
		put_str(&b, r->people[i].name);
		put_str(&b, r->people[i].email);
	}
	cf_put_u64(&b, r->nfiles);
	for (size_t i = 0; i < r->nfiles; i++) {
		const raw_file *f = &r->files[i];
		put_str(&b, f->path);
		put_time(&b, f->first);
		put_time(&b, f->last);
		buf_put(&b, f->blob, 20);
		cf_put_u64(&b, f->present);
		cf_put_u64(&b, f->nauthors);
		for (size_t k = 0; k < f->nauthors; k++) {
			cf_put_u64(&b, f->authors[k].person);
			cf_put_u64(&b, (uint64_t)f->authors[k].first);
		}
	}
	cf_put_u64(&b, r->nrecent);
	for (size_t i = 0; i < r->nrecent; i++) {
		const raw_commit *c = &r->recent[i];
		put_str(&b, c->id);
		put_time(&b, c->time);
		cf_put_u64(&b, c->person);
		put_str(&b, c->summary);
		cf_put_u64(&b, c->npaths);
		for (size_t k = 0; k < c->npaths; k++) {
			put_str(&b, c->paths[k]);
			cf_put_u64(&b, c->deleted[k]);
		}
	}
	cf_put_u64(&b, history_hash(b.p + body, b.len - body, HISTORY_HASH_INIT));

	cf_replace(file, b.p, b.len);
	buf_release(&b);
}

/* A count of items of at least min bytes each that the rest can hold. */
static size_t get_count(cf_reader *rd, size_t min)
{
	return cf_fits(rd, cf_get_u64(rd), min);
}

static char *get_str(cf_reader *rd)
{
	size_t n = get_count(rd, 1);
	const unsigned char *s = rd->bad ? NULL : cf_take(rd, n);
	if (!s || memchr(s, '\0', n))
		rd->bad = true;
	return xstrndup(rd->bad ? "" : (const char *)s, rd->bad ? 0 : n);
}

static history_time get_time(cf_reader *rd)
{
	history_time t;
	t.time = (int64_t)cf_get_u64(rd);
	t.offset = (int)(int64_t)cf_get_u64(rd);
	if (t.offset < -24 * 60 || t.offset > 24 * 60)
		rd->bad = true;
	return t;
}

static void read_body(raw_history *r, cf_reader *rd, const char *prefix)
{
	char *pre = get_str(rd);
	if (strcmp(pre, prefix) != 0)
		rd->bad = true;
	free(pre);
	char *commit = get_str(rd);
	if (strlen(commit) != 40)
		rd->bad = true;
	else
		memcpy(r->commit, commit, 41);
	free(commit);
	size_t np = get_count(rd, 16);
	for (size_t i = 0; i < np && !rd->bad; i++) {
		char *name = get_str(rd), *email = get_str(rd);
		if (raw_person_id(r, name, email) != i)
			rd->bad = true; /* a repeated person */
		free(name);
		free(email);
	}
	size_t nf = get_count(rd, 8 + 32 + 20 + 16);
	for (size_t i = 0; i < nf && !rd->bad; i++) {
		char *path = get_str(rd);
		raw_file *f = raw_file_at(r, path, true);
		free(path);
		if (f->nauthors || f->present) {
			rd->bad = true; /* a repeated path */
			break;
		}
		f->first = get_time(rd);
		f->last = get_time(rd);
		const unsigned char *blob = cf_take(rd, 20);
		if (blob)
			memcpy(f->blob, blob, 20);
		f->present = cf_get_u64(rd) != 0;
		size_t na = get_count(rd, 16);
		f->authors = xcalloc(na + 1, sizeof *f->authors);
		for (size_t k = 0; k < na && !rd->bad; k++) {
			uint64_t p = cf_get_u64(rd);
			if (p >= r->npeople)
				rd->bad = true;
			f->authors[k].person = (uint32_t)p;
			f->authors[k].first = (int64_t)cf_get_u64(rd);
			f->nauthors++;
		}
	}
	size_t nc = get_count(rd, 8 + 16 + 8 + 8 + 8);
	if (nc > r->keep)
		rd->bad = true;
	r->recent = xcalloc(r->keep + 1, sizeof *r->recent);
	for (size_t i = 0; i < nc && !rd->bad; i++) {
		raw_commit *c = &r->recent[r->nrecent++];
		char *id = get_str(rd);
		snprintf(c->id, sizeof c->id, "%s", id);
		free(id);
		c->time = get_time(rd);
		uint64_t p = cf_get_u64(rd);
		if (p >= r->npeople)
			rd->bad = true;
		c->person = (uint32_t)p;
		c->summary = get_str(rd);
		size_t n = get_count(rd, 16);
		c->paths = xcalloc(n + 1, sizeof *c->paths);
		c->deleted = xcalloc(n + 1, sizeof *c->deleted);
		for (size_t k = 0; k < n && !rd->bad; k++) {
			c->paths[k] = get_str(rd);
			c->deleted[k] = cf_get_u64(rd) != 0;
			c->npaths++;
		}
	}
}

int history_cache_read(raw_history *r, const char *file, const char *prefix)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(file, &data, &len) != 0)
		return -1;
	cf_reader rd = { (const unsigned char *)data, len, 0, false };
	size_t magic = strlen(MAGIC);
	const unsigned char *m = cf_take(&rd, magic);
	if (!m || memcmp(m, MAGIC, magic) != 0 || cf_get_u64(&rd) != VERSION ||
		len < rd.at + 8)
		rd.bad = true;
	if (!rd.bad) {
		size_t body = rd.at;
		cf_reader sum = { rd.p, len, len - 8, false };
		if (cf_get_u64(&sum) != history_hash(rd.p + body, len - 8 - body,
			HISTORY_HASH_INIT))
			rd.bad = true;
		rd.n = len - 8;
	}
	if (!rd.bad)
		read_body(r, &rd, prefix);
	if (!rd.bad && rd.at != rd.n)
		rd.bad = true;
	free(data);
	if (rd.bad) {
		size_t keep = r->keep;
		raw_history_release(r);
		r->keep = keep;
		return -1;
	}
	return 0;
}
