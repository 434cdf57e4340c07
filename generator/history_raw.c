/*
 * history_raw: the raw state of the history walk (people, files, recent
 * commits, before .mailmap) and its string tables; see history_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "history_int.h"
#include "util.h"

static size_t strtab_find(const strtab *t, const char *key,
	const char *(*key_of)(const void *, uint32_t), const void *ctx, bool *found)
{
	size_t mask = t->cap - 1;
	size_t i = (size_t)history_hash(key, strlen(key), HISTORY_HASH_INIT) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t s = t->slots[i];
		if (!s) {
			*found = false;
			return i;
		}
		if (strcmp(key_of(ctx, s - 1), key) == 0) {
			*found = true;
			return i;
		}
	}
}

/* Makes room for one more key (load factor under 1/2). */
static void strtab_grow(strtab *t, size_t count,
	const char *(*key_of)(const void *, uint32_t), const void *ctx)
{
	if (t->cap && (count + 1) * 2 <= t->cap)
		return;
	strtab old = *t;
	t->cap = old.cap ? old.cap * 2 : 64;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slots[i])
			continue;
		bool found;
		size_t at = strtab_find(t, key_of(ctx, old.slots[i] - 1), key_of,
			ctx, &found);
		t->slots[at] = old.slots[i];
	}
	free(old.slots);
}

static const char *key_of_person(const void *ctx, uint32_t i)
{
	return ((const raw_history *)ctx)->people[i].key;
}

uint32_t raw_person_id(raw_history *r, const char *name, const char *email)
{
	char *key = xasprintf("%s\n%s", name, email);
	bool found = false;
	size_t at = 0;
	strtab_grow(&r->people_tab, r->npeople, key_of_person, r);
	at = strtab_find(&r->people_tab, key, key_of_person, r, &found);
	if (found) {
		free(key);
		return r->people_tab.slots[at] - 1;
	}
	if ((r->npeople & (r->npeople - 1)) == 0)
		r->people = xrealloc(r->people, (r->npeople ? r->npeople * 2 : 1) *
			sizeof *r->people);
	r->people[r->npeople].name = xstrdup(name);
	r->people[r->npeople].email = xstrdup(email);
	r->people[r->npeople].key = key;
	r->people_tab.slots[at] = (uint32_t)++r->npeople;
	return (uint32_t)(r->npeople - 1);
}

static const char *key_of_file(const void *ctx, uint32_t i)
{
	return ((const raw_history *)ctx)->files[i].path;
}

raw_file *raw_file_at(raw_history *r, const char *path, bool create)
{
	bool found = false;
	size_t at = 0;
	if (r->files_tab.cap)
		at = strtab_find(&r->files_tab, path, key_of_file, r, &found);
	if (found)
		return &r->files[r->files_tab.slots[at] - 1];
	if (!create)
		return NULL;
	strtab_grow(&r->files_tab, r->nfiles, key_of_file, r);
	at = strtab_find(&r->files_tab, path, key_of_file, r, &found);
	if ((r->nfiles & (r->nfiles - 1)) == 0)
		r->files = xrealloc(r->files, (r->nfiles ? r->nfiles * 2 : 1) *
			sizeof *r->files);
	raw_file *f = &r->files[r->nfiles];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	r->files_tab.slots[at] = (uint32_t)++r->nfiles;
	return f;
}

void raw_commit_release(raw_commit *c)
{
	free(c->summary);
	for (size_t k = 0; k < c->npaths; k++)
		free(c->paths[k]);
	free(c->paths);
	free(c->deleted);
}

void raw_history_release(raw_history *r)
{
	for (size_t i = 0; i < r->npeople; i++) {
		free(r->people[i].name);
		free(r->people[i].email);
		free(r->people[i].key);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].authors);
	}
	for (size_t i = 0; i < r->nrecent; i++)
		raw_commit_release(&r->recent[i]);
	free(r->people);
	free(r->people_tab.slots);
	free(r->files);
	free(r->files_tab.slots);
	free(r->recent);
	memset(r, 0, sizeof *r);
}
