/*
 * model: loading a knowledge base from a source. Files are sorted into
 * their content types by folder; settings, claim sets and alliances load
 * first (documents refer to them), then documents parse on all threads,
 * then model_link ties them together.
 */
#include "model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "parallel.h"
#include "util.h"
#include "yamlparse.h"

static const char *const kind_dirs[DOC_KIND_COUNT] = { "case-studies",
	"enquiries", "dissemination", "pages" };
static const char *const kind_names[DOC_KIND_COUNT] = { "case study",
	"enquiry", "dissemination item", "page" };

const char *doc_kind_dir(doc_kind k)
{
	return kind_dirs[k];
}

const char *doc_kind_name(doc_kind k)
{
	return kind_names[k];
}

slice model_slug_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	return (slice){ base, dot ? (size_t)(dot - base) : strlen(base) };
}

/* Converts a byte offset into a 1-based line and column. */
static void offset_position(const char *s, size_t off, unsigned *line,
	unsigned *col)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Every file over the size limit is an error, content or static. */
static bool loaded(const source_file *f, diag_list *d)
{
	if (!f->too_large && f->data)
		return true;
	diag_add(d, DIAG_ERROR, f->path, 0, 0,
		"file is too large (%zu bytes; the limit is %u MB)", f->size,
		SOURCE_MAX_FILE_SIZE / (1024 * 1024));
	return false;
}

bool model_check_text(const source_file *f, diag_list *d)
{
	if (!loaded(f, d))
		return false;
	size_t bad;
	if (!utf8_valid(f->data, f->size, &bad)) {
		unsigned line, col;
		offset_position(f->data, bad, &line, &col);
		diag_add(d, DIAG_ERROR, f->path, line, col, "%s",
			f->data[bad] ? "invalid UTF-8 (save the file as UTF-8)"
				     : "NUL byte in a text file");
		return false;
	}
	return true;
}

const value *model_read_yaml(arena *a, parse_cache *pc, const source_file *f,
	diag_list *d)
{
	if (!model_check_text(f, d))
		return NULL;
	return parse_cache_yaml(pc, a, f->data, f->size, f->path, 1, d);
}

claim *model_find_claim(const model *m, const char *id)
{
	for (size_t s = 0; s < m->nsets; s++) {
		claim_set *set = &m->sets[s];
		size_t n = strlen(set->id);
		if (strncmp(id, set->id, n) != 0 || id[n] != '-')
			continue;
		for (size_t i = 0; i < set->nclaims; i++)
			if (strcmp(set->claims[i].id, id) == 0)
				return &set->claims[i];
	}
	return NULL;
}

static int alliance_by_slug(const void *key, const void *elem)
{
	return strcmp(key, (*(alliance *const *)elem)->slug);
}

/* Every document naming an alliance looks it up: by bisection, as a
 * linear scan of 400 alliances was 2.3M strcmp calls for 10,000 case
 * studies. */
alliance *model_find_alliance(const model *m, const char *slug)
{
	if (m->alliances_by_slug) {
		alliance **found = bsearch(slug, m->alliances_by_slug,
			m->nalliances, sizeof(alliance *), alliance_by_slug);
		return found ? *found : NULL;
	}
	for (size_t i = 0; i < m->nalliances; i++)
		if (strcmp(m->alliances[i].slug, slug) == 0)
			return &m->alliances[i];
	return NULL;
}

static int doc_by_slug(const void *key, const void *elem)
{
	return strcmp(key, (*(doc *const *)elem)->slug);
}

doc *model_find_doc(const model *m, doc_kind kind, const char *slug)
{
	doc **found = m->by_slug[kind] ? bsearch(slug, m->by_slug[kind],
		m->ndocs[kind], sizeof(doc *), doc_by_slug) : NULL;
	return found ? *found : NULL;
}

/* The files of the source, sorted by what they are. */
typedef struct {
	const source_file *site;
	const source_file **sets, **alliances, **docs[DOC_KIND_COUNT];
	size_t nsets, nalliances, ndocs[DOC_KIND_COUNT];
} sorted_files;

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static bool has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && strcmp(path + n - e, ext) == 0;
}

/* Checks a content file's name; false (after an error) if it is bad. */
static bool good_name(const source_file *f, diag_list *d)
{
	slice slug = model_slug_of(f->path);
	if (fields_valid_slug(slug.p, slug.n))
		return true;
	diag_add(d, DIAG_ERROR, f->path, 0, 0,
		"bad file name '%.*s': use lowercase letters, digits and single hyphens (like 'talk-for-writing')",
		(int)slug.n, slug.p);
	return false;
}

static void sort_files(model *m, sorted_files *sf, diag_list *d)
{
	size_t n = source_count(m->src);
	sf->sets = xcalloc(n + 1, sizeof *sf->sets);
	sf->alliances = xcalloc(n + 1, sizeof *sf->alliances);
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		sf->docs[k] = xcalloc(n + 1, sizeof *sf->docs[k]);
	m->statics = arena_alloc(&m->arena, (n + 1) * sizeof *m->statics);
	for (size_t i = 0; i < n; i++) {
		const source_file *f = source_at(m->src, i);
		const char *p = f->path;
		if (strcmp(p, "site.yaml") == 0) {
			sf->site = f;
		} else if (under(p, "static")) {
			if (loaded(f, d))
				m->statics[m->nstatics++] = f;
		} else if (under(p, "claims")) {
			if (has_ext(p, ".yaml") && !strchr(p + 7, '/') && good_name(f, d))
				sf->sets[sf->nsets++] = f;
			else if (!has_ext(p, ".yaml"))
				diag_add(d, DIAG_WARNING, p, 0, 0,
					"ignored: claim sets are .yaml files in claims/");
		} else if (under(p, "alliances")) {
			if (has_ext(p, ".yaml") && good_name(f, d))
				sf->alliances[sf->nalliances++] = f;
			else if (!has_ext(p, ".yaml"))
				diag_add(d, DIAG_WARNING, p, 0, 0,
					"ignored: alliances are .yaml files in alliances/");
		} else {
			for (int k = 0; k < DOC_KIND_COUNT; k++) {
				if (!under(p, kind_dirs[k]))
					continue;
				if (has_ext(p, ".md") && good_name(f, d))
					sf->docs[k][sf->ndocs[k]++] = f;
				else if (!has_ext(p, ".md"))
					diag_add(d, DIAG_WARNING, p, 0, 0,
						"ignored: only Markdown (.md) files are read in %s/",
						kind_dirs[k]);
			}
		}
	}
}

static void release_sorted(sorted_files *sf)
{
	free(sf->sets);
	free(sf->alliances);
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		free(sf->docs[k]);
}

/* The parallel document load: one slot per file, filled by index. */
typedef struct {
	model *m;
	unsigned flags;
	parse_cache *pc;
	diag_list *d;
	arena *arenas; /* one per thread */
	const source_file **files;
	doc_kind *kinds;
	doc *docs;
	bool *keep;
} doc_job;

static void load_one(void *ctx, size_t i, unsigned thread)
{
	doc_job *j = ctx;
	j->keep[i] = model_read_doc(j->m, j->kinds[i], j->files[i], j->flags,
		j->pc, &j->arenas[thread], j->d, &j->docs[i]);
}

/* Every slug of a kind, including documents left out of this build. */
static void collect_slugs(const sorted_files *sf, int k, strlist *slugs,
	arena *a, diag_list *d)
{
	size_t n = sf->ndocs[k];
	slugs->items = arena_alloc(a, (n + 1) * sizeof *slugs->items);
	for (size_t i = 0; i < n; i++) {
		slice s = model_slug_of(sf->docs[k][i]->path);
		slugs->items[slugs->n++] = arena_strndup(a, s.p, s.n);
	}
}

/* Newest first; undated last; then by slug, so the order is total. */
static int newest_first(const void *pa, const void *pb)
{
	const doc *a = pa, *b = pb;
	int c = strcmp(b->date, a->date);
	return c ? c : strcmp(a->slug, b->slug);
}

/* A document's parts point back at it; after it moves, point them at its
 * new place. */
static void fix_self_links(doc *d)
{
	for (size_t i = 0; i < d->nevidence; i++)
		d->evidence[i].doc = d;
	for (size_t i = 0; i < d->nclaims; i++)
		d->claims[i].doc = d;
}

model *model_load(const source *src, unsigned flags, unsigned threads,
	diag_list *d)
{
	return model_load_history(src, NULL, flags, threads, d);
}

static const history *given_history(void *ctx)
{
	return ctx;
}

model *model_load_history(const source *src, const history *h,
	unsigned flags, unsigned threads, diag_list *d)
{
	/* history.h has no const-free accessor: the pointer goes through
	 * ctx unchanged and comes back const. */
	return model_load_pending(src, given_history, (void *)(uintptr_t)h,
		NULL, flags, threads, d);
}

model *model_load_pending(const source *src, model_history_wait wait,
	void *ctx, parse_cache *pc, unsigned flags, unsigned threads,
	diag_list *d)
{
	model *m = xcalloc(1, sizeof *m);
	m->src = src;
	sorted_files sf = { 0 };
	sort_files(m, &sf, d);
	/* Settings, claim sets and alliances parse through the cache too:
	 * 400 alliance files were 79M instructions of a rebuild. */
	model_read_site(m, pc, sf.site, d);
	model_read_claim_sets(m, pc, sf.sets, sf.nsets, d);
	model_read_alliances(m, pc, sf.alliances, sf.nalliances, d);

	size_t total = 0;
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		total += sf.ndocs[k];
	doc_job j = { m, flags, pc, d, NULL, NULL, NULL, NULL, NULL };
	j.files = xcalloc(total + 1, sizeof *j.files);
	j.kinds = xcalloc(total + 1, sizeof *j.kinds);
	j.docs = xcalloc(total + 1, sizeof *j.docs);
	j.keep = xcalloc(total + 1, sizeof *j.keep);
	size_t at = 0;
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		for (size_t i = 0; i < sf.ndocs[k]; i++, at++) {
			j.files[at] = sf.docs[k][i];
			j.kinds[at] = (doc_kind)k;
		}
	}
	m->nthread_arenas = threads ? threads : 1;
	m->thread_arenas = xcalloc(m->nthread_arenas, sizeof(arena));
	j.arenas = m->thread_arenas;
	parallel_for(total, m->nthread_arenas, load_one, &j);
	/* Dates from git, before documents are sorted by date. */
	m->history = wait(ctx);
	history_memo *memo = xcalloc(1, sizeof *memo);
	for (size_t i = 0; i < total; i++)
		if (j.keep[i] && j.docs[i].front)
			model_doc_history(m, &j.docs[i], &m->arena, memo);
	free(memo);

	strlist all_slugs[DOC_KIND_COUNT] = { { 0 } };
	at = 0;
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		collect_slugs(&sf, k, &all_slugs[k], &m->arena, d);
		m->docs[k] = arena_alloc(&m->arena, (sf.ndocs[k] + 1) * sizeof(doc));
		for (size_t i = 0; i < sf.ndocs[k]; i++, at++)
			if (j.keep[at])
				m->docs[k][m->ndocs[k]++] = j.docs[at];
		if (k == DOC_CASE_STUDY || k == DOC_DISSEMINATION)
			qsort(m->docs[k], m->ndocs[k], sizeof(doc), newest_first);
		for (size_t i = 0; i < m->ndocs[k]; i++)
			fix_self_links(&m->docs[k][i]);
	}
	model_link(m, all_slugs, d);
	free(j.files);
	free(j.kinds);
	free(j.docs);
	free(j.keep);
	release_sorted(&sf);
	return m;
}

void model_free(model *m)
{
	if (!m)
		return;
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		for (size_t i = 0; i < m->ndocs[k]; i++)
			markdown_doc_release(&m->docs[k][i].md);
	for (unsigned t = 0; t < m->nthread_arenas; t++)
		arena_release(&m->thread_arenas[t]);
	free(m->thread_arenas);
	arena_release(&m->arena);
	free(m);
}
