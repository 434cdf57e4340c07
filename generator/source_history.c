/*
 * source_history: the history of the content from one walk over the
 * commits (see history.h). The source module owns libgit2; this file is
 * part of it.
 *
 * The walk goes oldest first (topological, then by time) and compares
 * each commit's tree under the content root with its first parent's by
 * entry ids, descending only into folders whose id differs: a commit that
 * changes one file costs a few tree reads, whatever the size of the
 * content. For a merge, a path counts as changed only when it differs
 * from every parent (as `git log` shows merges), so work merged in is
 * credited to its own commits, not to the merge.
 *
 * Invariant: the raw state after walking commits A..C equals the state
 * of walking ..C from scratch, so the cache may stand in for the commits
 * it covers (it is used only when its commit is an ancestor of C).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "history_diff.h"
#include "history_int.h"
#include "source_internal.h"
#include "util.h"

/* Bytes of objects libgit2 may keep during the walk (see history_load). */
#define HISTORY_TREE_CACHE ((size_t)8 << 20)

/* ---- the walk --------------------------------------------------------- */

typedef struct {
	git_repository *repo;
	const char *prefix;
	raw_history raw;
	changes ch;
	size_t walked;
} walk;

/* The tree of commit c under the content root, or NULL when the root is
 * not in it. */
static git_tree *content_tree(walk *w, const git_commit *c)
{
	git_tree *top = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	if (git_commit_tree(&top, c) < 0)
		return NULL;
	if (!w->prefix[0])
		return top;
	if (git_tree_entry_bypath(&e, top, w->prefix) == 0 && history_is_tree(e))
		git_tree_lookup(&sub, w->repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(top);
	return sub;
}

/* Does the content tree of commit c hold exactly this state at path? */
static bool parent_has(walk *w, const git_commit *c, const change *ch)
{
	git_tree *t = content_tree(w, c);
	git_tree_entry *e = NULL;
	bool has = t && git_tree_entry_bypath(&e, t, ch->path) == 0 && history_is_file(e);
	bool same = ch->has_new ? has && git_oid_equal(git_tree_entry_id(e),
		&ch->new_id) : !has;
	git_tree_entry_free(e);
	git_tree_free(t);
	return same;
}

static void add_author(raw_file *f, uint32_t person, int64_t t)
{
	for (size_t k = 0; k < f->nauthors; k++) {
		if (f->authors[k].person == person) {
			if (t < f->authors[k].first)
				f->authors[k].first = t;
			return;
		}
	}
	f->authors = xrealloc(f->authors, (f->nauthors + 1) * sizeof *f->authors);
	f->authors[f->nauthors].person = person;
	f->authors[f->nauthors].first = t;
	f->nauthors++;
}

static bool fresh(const raw_file *f)
{
	return f->nauthors == 0;
}

/* A file whose history continues in another (a rename): the earlier
 * dates and authors join it. */
static void inherit(raw_file *to, const raw_file *from)
{
	if (fresh(to) || from->first.time < to->first.time)
		to->first = from->first;
	if (fresh(to) || from->last.time > to->last.time)
		to->last = from->last;
	for (size_t k = 0; k < from->nauthors; k++)
		add_author(to, from->authors[k].person, from->authors[k].first);
}

static void touch(raw_file *f, history_time t, uint32_t person)
{
	if (fresh(f) || t.time < f->first.time)
		f->first = t;
	if (fresh(f) || t.time >= f->last.time)
		f->last = t;
	add_author(f, person, t.time);
}

static void remember_commit(walk *w, const git_commit *c, history_time t,
	uint32_t person)
{
	raw_history *r = &w->raw;
	if (!r->keep)
		return;
	if (!r->recent)
		r->recent = xcalloc(r->keep + 1, sizeof *r->recent);
	if (r->nrecent == r->keep) {
		raw_commit_release(&r->recent[0]);
		memmove(r->recent, r->recent + 1, (r->nrecent - 1) * sizeof *r->recent);
		r->nrecent--;
	}
	raw_commit *rc = &r->recent[r->nrecent++];
	memset(rc, 0, sizeof *rc);
	git_oid_tostr(rc->id, sizeof rc->id, git_commit_id(c));
	rc->time = t;
	rc->person = person;
	const char *msg = git_commit_summary((git_commit *)(uintptr_t)c);
	rc->summary = xstrdup(msg ? msg : "");
	rc->paths = xcalloc(w->ch.n + 1, sizeof *rc->paths);
	rc->deleted = xcalloc(w->ch.n + 1, sizeof *rc->deleted);
	for (size_t i = 0; i < w->ch.n; i++) {
		rc->paths[i] = xstrdup(w->ch.items[i].path);
		rc->deleted[i] = !w->ch.items[i].has_new;
	}
	rc->npaths = w->ch.n;
}

/* Applies one commit's changes to the raw state. */
static void apply(walk *w, const git_commit *c)
{
	const git_signature *sig = git_commit_author(c);
	history_time t = { sig->when.time, sig->when.offset };
	uint32_t person = raw_person_id(&w->raw, sig->name ? sig->name : "",
		sig->email ? sig->email : "");
	changes *ch = &w->ch;
	/* Deletions first: an added blob that one of them removed is a
	 * rename. They are few; additions may be thousands. */
	size_t *dels = xcalloc(ch->n + 1, sizeof *dels), ndels = 0;
	for (size_t i = 0; i < ch->n; i++) {
		if (ch->items[i].has_new)
			continue;
		dels[ndels++] = i;
		raw_file *f = raw_file_at(&w->raw, ch->items[i].path, false);
		if (f)
			f->present = false;
	}
	for (size_t i = 0; i < ch->n; i++) {
		change *x = &ch->items[i];
		if (!x->has_new)
			continue;
		raw_file *f = raw_file_at(&w->raw, x->path, true);
		for (size_t k = 0; !x->has_old && k < ndels; k++) {
			const change *y = &ch->items[dels[k]];
			if (!git_oid_equal(&y->old_id, &x->new_id))
				continue;
			raw_file *from = raw_file_at(&w->raw, y->path, false);
			if (from)
				inherit(f, from);
			break;
		}
		touch(f, t, person);
		memcpy(f->blob, x->new_id.id, 20);
		f->present = true;
	}
	free(dels);
	remember_commit(w, c, t, person);
}

static int visit(walk *w, const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	buf path = BUF_INIT;
	int ret = -1;
	if (git_commit_lookup(&c, w->repo, id) < 0)
		goto done;
	tree = content_tree(w, c);
	unsigned nparents = git_commit_parentcount(c);
	if (nparents && git_commit_parent(&parent, c, 0) < 0)
		goto done;
	if (parent)
		ptree = content_tree(w, parent);
	w->walked++;
	ret = 0;
	if ((!tree && !ptree) || (tree && ptree &&
		git_oid_equal(git_tree_id(tree), git_tree_id(ptree))))
		goto done;
	history_changes_clear(&w->ch);
	history_diff_trees(&w->ch, ptree, tree, &path, 0);
	if (w->ch.error) {
		ret = -1;
		goto done;
	}
	/* A merge changed only what differs from every parent. */
	for (unsigned p = 1; p < nparents; p++) {
		git_commit *other = NULL;
		if (git_commit_parent(&other, c, p) < 0)
			continue;
		size_t out = 0;
		for (size_t i = 0; i < w->ch.n; i++) {
			if (parent_has(w, other, &w->ch.items[i]))
				free(w->ch.items[i].path);
			else
				w->ch.items[out++] = w->ch.items[i];
		}
		w->ch.n = out;
		git_commit_free(other);
	}
	if (w->ch.n)
		apply(w, c);
done:
	buf_release(&path);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(c);
	return ret;
}

/* ---- the result ------------------------------------------------------- */

struct history {
	arena a;
	history_file *files; /* sorted by path */
	size_t nfiles;
	history_commit *recent; /* newest first */
	size_t nrecent;
	size_t walked;
};

typedef struct {
	const char *name;
	int64_t first;
} named;

static int by_first(const void *pa, const void *pb)
{
	const named *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int by_path(const void *pa, const void *pb)
{
	return strcmp(((const history_file *)pa)->path,
		((const history_file *)pb)->path);
}

/* Resolves people through the mailmap into h's arena. */
static const char **resolve_people(history *h, const raw_history *r,
	git_mailmap *mm)
{
	const char **names = arena_alloc(&h->a, (r->npeople + 1) * sizeof *names);
	for (size_t i = 0; i < r->npeople; i++) {
		const char *name = NULL, *email = NULL;
		if (!mm || git_mailmap_resolve(&name, &email, mm,
			r->people[i].name, r->people[i].email) < 0)
			name = r->people[i].name;
		names[i] = arena_strdup(&h->a, name && *name ? name :
			r->people[i].email);
	}
	return names;
}

static void build_file(history *h, history_file *out, const raw_file *f,
	const char **names)
{
	out->path = arena_strdup(&h->a, f->path);
	out->first = f->first;
	out->last = f->last;
	named *list = xcalloc(f->nauthors + 1, sizeof *list);
	for (size_t k = 0; k < f->nauthors; k++) {
		list[k].name = names[f->authors[k].person];
		list[k].first = f->authors[k].first;
	}
	qsort(list, f->nauthors, sizeof *list, by_first);
	out->authors = arena_alloc(&h->a, (f->nauthors + 1) * sizeof(char *));
	for (size_t k = 0; k < f->nauthors; k++) {
		bool seen = false; /* two identities, one name after .mailmap */
		for (size_t m = 0; m < out->nauthors && !seen; m++)
			seen = strcmp(out->authors[m], list[k].name) == 0;
		if (!seen)
			out->authors[out->nauthors++] = list[k].name;
	}
	free(list);
}

static history *finish(const raw_history *r, git_mailmap *mm,
	const source *src, int64_t now)
{
	history *h = xcalloc(1, sizeof *h);
	const char **names = resolve_people(h, r, mm);
	h->files = xcalloc(r->nfiles + 1, sizeof *h->files);
	for (size_t i = 0; i < r->nfiles; i++) {
		const raw_file *f = &r->files[i];
		if (!f->present)
			continue;
		history_file *out = &h->files[h->nfiles++];
		build_file(h, out, f, names);
		/* A work tree file edited since HEAD changed "now". */
		if (src->mode == SOURCE_WORKTREE) {
			const source_file *sf = source_find(src, f->path);
			char hex[41];
			git_oid id;
			memcpy(id.id, f->blob, 20);
			git_oid_tostr(hex, sizeof hex, &id);
			if (sf && strcmp(sf->id, hex) != 0)
				out->last = (history_time){ now, 0 };
		}
	}
	qsort(h->files, h->nfiles, sizeof *h->files, by_path);
	h->recent = xcalloc(r->nrecent + 1, sizeof *h->recent);
	for (size_t i = r->nrecent; i-- > 0;) {
		const raw_commit *c = &r->recent[i];
		history_commit *out = &h->recent[h->nrecent++];
		memcpy(out->id, c->id, sizeof out->id);
		out->time = c->time;
		out->author = names[c->person];
		out->summary = arena_strdup(&h->a, c->summary);
		out->npaths = c->npaths;
		out->paths = arena_alloc(&h->a, (c->npaths + 1) * sizeof(char *));
		out->deleted = arena_alloc(&h->a, (c->npaths + 1) * sizeof(bool));
		for (size_t k = 0; k < c->npaths; k++) {
			out->paths[k] = arena_strdup(&h->a, c->paths[k]);
			out->deleted[k] = c->deleted[k];
		}
	}
	return h;
}

/* The cache file of this repository and content root. */
static char *cache_file(const char *dir, const source *src)
{
	if (!dir)
		return NULL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return NULL;
	uint64_t h = history_hash(src->gitdir, strlen(src->gitdir), HISTORY_HASH_INIT);
	h = history_hash(src->git_prefix, strlen(src->git_prefix) + 1, h);
	return xasprintf("%s/history-%016llx", dir, (unsigned long long)h);
}

/* Loads the cache when its commit is target or an ancestor of it. */
static void use_cache(walk *w, const char *file, const git_oid *target)
{
	git_oid cached;
	if (!file || history_cache_read(&w->raw, file, w->prefix) != 0)
		return;
	if (git_oid_fromstr(&cached, w->raw.commit) == 0 &&
		(git_oid_equal(&cached, target) ||
		git_graph_descendant_of(w->repo, target, &cached) == 1))
		return;
	size_t keep = w->raw.keep;
	raw_history_release(&w->raw); /* another branch, or rewritten history */
	w->raw.keep = keep;
}

history *history_load(const source *src, const history_options *o,
	diag_list *d)
{
	static const history_options defaults = HISTORY_OPTIONS_INIT;
	walk w = { 0 };
	git_revwalk *rw = NULL;
	git_mailmap *mm = NULL;
	char *file = NULL;
	history *h = NULL;
	git_oid target, id;
	ssize_t cache_used = 0, cache_max = 0; /* libgit2's, restored after */
	if (!o)
		o = &defaults;
	if (src->mode == SOURCE_DISK || !src->gitdir)
		return NULL;
	if (!src->has_commit) {
		diag_add(d, DIAG_WARNING, "", 0, 0,
			"no commits yet: dates come from front matter, and pages show no contributors");
		return NULL;
	}
	if (git_repository_open(&w.repo, src->gitdir) < 0)
		goto failed;
	if (git_repository_is_shallow(w.repo) == 1) {
		diag_add(d, DIAG_WARNING, "", 0, 0,
			"'%s' is a shallow clone: dates come from front matter, and pages show no contributors (fetch the whole history with 'git fetch --unshallow')",
			src->gitdir);
		goto done;
	}
	w.prefix = src->git_prefix;
	w.raw.keep = o->recent;
	w.ch.repo = w.repo;
	if (git_oid_fromstr(&target, src->commit_id) < 0)
		goto failed;
	file = cache_file(o->cache_dir, src);
	use_cache(&w, file, &target);
	/* Each folder's tree is read as a commit's and again as its child's
	 * parent's: let libgit2 keep big trees (by default it caches none
	 * over 4 KB, and a folder of 10,000 files is 400 KB). Nothing else
	 * uses libgit2 while the history loads. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
		(size_t)64 << 20);
	/* ...but only a few: the walk compares each commit with its parent,
	 * so the last trees read are the ones read again. libgit2's default
	 * (256 MB) kept every folder of every commit, 140 MB on the
	 * 10,000-case benchmark, with no gain in time. */
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cache_used, &cache_max);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)HISTORY_TREE_CACHE);
	/* Trees are read by id from our own object database; re-hashing
	 * each one (libgit2's default) was a third of the walk. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (strcmp(w.raw.commit, src->commit_id) != 0) {
		if (git_revwalk_new(&rw, w.repo) < 0 ||
			git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
				GIT_SORT_REVERSE) < 0 ||
			git_revwalk_push(rw, &target) < 0)
			goto failed;
		git_oid cached;
		if (w.raw.commit[0] && git_oid_fromstr(&cached, w.raw.commit) == 0 &&
			git_revwalk_hide(rw, &cached) < 0)
			goto failed;
		int rc;
		while ((rc = git_revwalk_next(&id, rw)) == 0)
			if (visit(&w, &id) < 0)
				goto failed;
		if (rc != GIT_ITEROVER)
			goto failed;
		memcpy(w.raw.commit, src->commit_id, sizeof w.raw.commit);
		if (file)
			history_cache_write(&w.raw, file, w.prefix);
	}
	if (git_mailmap_from_repository(&mm, w.repo) < 0)
		mm = NULL;
	h = finish(&w.raw, mm, src, o->now);
	h->walked = w.walked;
	goto done;
failed:
	diag_add(d, DIAG_WARNING, "", 0, 0,
		"cannot read the history: %s; dates come from front matter",
		source_git_message());
done:
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	if (cache_max > 0)
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, cache_max);
	history_changes_clear(&w.ch);
	free(w.ch.items);
	raw_history_release(&w.raw);
	git_mailmap_free(mm);
	git_revwalk_free(rw);
	git_repository_free(w.repo);
	free(file);
	return h;
}

void history_free(history *h)
{
	if (!h)
		return;
	free(h->files);
	free(h->recent);
	arena_release(&h->a);
	free(h);
}

const history_file *history_find(const history *h, const char *path)
{
	if (!h)
		return NULL;
	history_file key = { .path = path };
	return bsearch(&key, h->files, h->nfiles, sizeof *h->files, by_path);
}

size_t history_recent_count(const history *h)
{
	return h ? h->nrecent : 0;
}

const history_commit *history_recent_at(const history *h, size_t i)
{
	assert(h && i < h->nrecent);
	return &h->recent[i];
}

size_t history_walked(const history *h)
{
	return h ? h->walked : 0;
}

/* Civil time of t in its own zone, without the C library's TZ. */
static void civil(history_time t, struct tm *tm)
{
	time_t s = (time_t)(t.time + (int64_t)t.offset * 60);
	gmtime_r(&s, tm);
}

/* v as n decimal digits at p (v fits). */
static char *put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* Without printf: a feed formats one per entry, thousands a build. */
void history_rfc3339(history_time t, char *out)
{
	struct tm tm;
	civil(t, &tm);
	int off = t.offset < 0 ? -t.offset : t.offset;
	int year = tm.tm_year + 1900;
	if (year < 0 || year > 9999 || off / 60 > 99) { /* not from git */
		int n = snprintf(out, HISTORY_TIME_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d",
			year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec);
		if (n > 0 && n < HISTORY_TIME_SIZE)
			snprintf(out + n, (size_t)(HISTORY_TIME_SIZE - n),
				t.offset ? "%c%02d:%02d" : "Z",
				t.offset < 0 ? '-' : '+', off / 60, off % 60);
		return;
	}
	char *p = put_digits(out, year, 4);
	*p++ = '-';
	p = put_digits(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	if (t.offset == 0) {
		*p++ = 'Z';
	} else {
		*p++ = t.offset < 0 ? '-' : '+';
		p = put_digits(p, off / 60, 2);
		*p++ = ':';
		p = put_digits(p, off % 60, 2);
	}
	*p = '\0';
}

void history_date(history_time t, char *out)
{
	struct tm tm;
	civil(t, &tm);
	snprintf(out, HISTORY_TIME_SIZE, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday);
}
