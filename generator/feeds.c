/*
 * feeds: Atom feeds (RFC 4287) of the case studies, newest change first,
 * so others can subscribe to and aggregate a knowledge base:
 *
 *   feed.xml                     the whole site
 *   claims/<id>/feed.xml         case studies declaring the claim
 *   alliances/<slug>/feed.xml    the alliance's case studies
 *   tags/<tag>/feed.xml          case studies with the tag (slugified)
 *
 * Ids are the absolute URLs of the feed and of each case study (under
 * site.base_url), so they stay the same from build to build. Times are
 * from git (history.h): <published> is the first commit, <updated> the
 * last change; without history the front matter date at midnight UTC.
 * Nothing here reads the clock, so a feed is the same for the same commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "pages_int.h"
#include "parallel.h"
#include "util.h"

#define FEED_ENTRIES 50

typedef enum { FEED_SITE, FEED_CLAIM, FEED_ALLIANCE, FEED_TAG } feed_kind;

typedef struct {
	feed_kind kind;
	const void *subject; /* claim or alliance */
	const char *tag; /* FEED_TAG: the slug */
	const char *title;
	const char *url; /* of the feed, site-relative */
	const char *alternate; /* the page it follows, site-relative */
} feed;

typedef struct {
	const doc *d;
	int64_t updated; /* seconds, for ordering */
	const char **tags; /* slugs of d's tags, NULL-terminated */
} dated;

struct feeds {
	feed *items;
	size_t n;
	dated *docs; /* case studies, last changed first */
	size_t ndocs;
	value *site_links; /* feeds_links of a page that has no feed */
	/* Per feed, its entries (at most FEED_ENTRIES, newest first), as
	 * indices into docs; per doc, its entry, shared by its feeds. */
	size_t *members; /* feed i's: members[i * FEED_ENTRIES ...] */
	size_t *nmembers;
	value **entries;
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* A front matter date (YYYY, YYYY-MM or YYYY-MM-DD) as a time at
 * midnight UTC; 0 when there is none. */
static history_time date_time(const char *date)
{
	unsigned y = 0, m = 1, d = 1;
	if (strlen(date) < 4 || sscanf(date, "%4u-%2u-%2u", &y, &m, &d) < 1 ||
		m < 1 || m > 12 || d < 1 || d > 31)
		return (history_time){ 0, 0 };
	return (history_time){ days_from_civil(y, m, d) * 86400, 0 };
}

static history_time doc_time(const model *m, const doc *d, bool last)
{
	const history_file *h = d->history; /* model_doc_history found it */
	if (h)
		return last ? h->last : h->first;
	return date_time(d->date);
}

static int by_updated(const void *pa, const void *pb)
{
	const dated *a = pa, *b = pb;
	if (a->updated != b->updated)
		return a->updated > b->updated ? -1 : 1;
	return strcmp(a->d->slug, b->d->slug);
}

typedef struct {
	const char *slug, *label;
} tag_name;

static int by_slug(const void *pa, const void *pb)
{
	const tag_name *a = pa, *b = pb;
	int c = strcmp(a->slug, b->slug);
	return c ? c : strcmp(a->label, b->label);
}

static int by_slug_only(const void *pa, const void *pb)
{
	return strcmp(((const tag_name *)pa)->slug, ((const tag_name *)pb)->slug);
}

/* Every tag of the case studies, one per slug, in slug order (the
 * slugs made by feeds_plan; the order the documents come in does not
 * matter: the sort is by slug, then label). */
static tag_name *collect_tags(const struct feeds *f, size_t *n)
{
	size_t cap = 0, count = 0;
	for (size_t i = 0; i < f->ndocs; i++)
		cap += f->docs[i].d->tags.n;
	tag_name *tags = xcalloc(cap + 1, sizeof *tags);
	for (size_t i = 0; i < f->ndocs; i++) {
		const strlist *t = &f->docs[i].d->tags;
		for (size_t k = 0; k < t->n; k++) {
			const char *slug = f->docs[i].tags[k];
			if (*slug && output_path_ok(slug)) {
				tags[count].slug = slug;
				tags[count++].label = t->items[k];
			}
		}
	}
	qsort(tags, count, sizeof *tags, by_slug);
	size_t out = 0;
	for (size_t i = 0; i < count; i++)
		if (!out || strcmp(tags[out - 1].slug, tags[i].slug) != 0)
			tags[out++] = tags[i];
	*n = out;
	return tags;
}

static void add_feed(pages *p, feed_kind kind, const void *subject,
	const char *tag, const char *title, const char *alternate)
{
	struct feeds *f = p->feeds;
	feed *fd = &f->items[f->n++];
	fd->kind = kind;
	fd->subject = subject;
	fd->tag = tag;
	fd->title = title;
	fd->alternate = alternate;
	fd->url = arena_printf(&p->arena, "%sfeed.xml", alternate);
	if (kind == FEED_TAG)
		fd->url = arena_printf(&p->arena, "tags/%s/feed.xml", tag);
	pages_add(p, PAGE_FEED, "feed", fd->url, fd);
}

static value *links(const pages *p, const page *pg, arena *a);
static value *entry(const pages *p, const doc *d, arena *a);

/* Adds docs[i] to feed k, unless it is full or has it already (a
 * document naming one claim or tag twice). */
static void add_member(struct feeds *f, size_t k, size_t i)
{
	size_t *n = &f->nmembers[k], *mem = &f->members[k * FEED_ENTRIES];
	if (*n < FEED_ENTRIES && (!*n || mem[*n - 1] != i))
		mem[(*n)++] = i;
}

/*
 * Which case studies each feed shows, from one pass over them newest
 * first (a feed per claim, alliance and tag would otherwise scan them
 * all), and the entry of each shown case study, built once for all the
 * feeds that show it. Feeds are in feeds_plan's order: the site's, then
 * one per claim, per alliance and per tag (tags: sorted by slug).
 */
typedef struct {
	pages *p;
	size_t *docs; /* indexes into feeds.docs */
	size_t n;
} entries_job;

static value *entry(const pages *p, const doc *d, arena *a);

static void build_entry(void *ctx, size_t i, unsigned thread)
{
	entries_job *j = ctx;
	struct feeds *f = j->p->feeds;
	size_t di = j->docs[i];
	f->entries[di] = entry(j->p, f->docs[di].d,
		&j->p->thread_arenas[thread]);
}

static void plan_entries(pages *p, const tag_name *tags, size_t ntags)
{
	const model *m = p->m;
	struct feeds *f = p->feeds;
	size_t nclaims = f->n - 1 - m->nalliances - ntags;
	size_t first_alliance = 1 + nclaims, first_tag = first_alliance +
		m->nalliances;
	f->members = arena_alloc(&p->arena, (f->n * FEED_ENTRIES + 1) *
		sizeof *f->members);
	f->nmembers = arena_alloc(&p->arena, (f->n + 1) * sizeof *f->nmembers);
	f->entries = arena_alloc(&p->arena, (f->ndocs + 1) * sizeof *f->entries);
	for (size_t i = 0; i < f->ndocs; i++) {
		const dated *x = &f->docs[i];
		const doc *d = x->d;
		add_member(f, 0, i);
		for (size_t c = 0; c < d->nclaims; c++)
			add_member(f, 1 + pages_claim_index(p, d->claims[c].claim), i);
		if (d->alliance)
			add_member(f, first_alliance +
				(size_t)(d->alliance - m->alliances), i);
		for (size_t k = 0; x->tags[k]; k++) {
			tag_name key = { x->tags[k], "" };
			const tag_name *t = bsearch(&key, tags, ntags, sizeof *tags,
				by_slug_only);
			if (t)
				add_member(f, first_tag + (size_t)(t - tags), i);
		}
	}
	/* The entries of the documents some feed shows, built on all
	 * threads, each at its own index. */
	entries_job j = { p, arena_alloc(&p->arena, (f->ndocs + 1) *
		sizeof *j.docs), 0 };
	bool *wanted = xcalloc(f->ndocs + 1, sizeof *wanted);
	for (size_t k = 0; k < f->n; k++)
		for (size_t e = 0; e < f->nmembers[k]; e++)
			wanted[f->members[k * FEED_ENTRIES + e]] = true;
	for (size_t i = 0; i < f->ndocs; i++)
		if (wanted[i])
			j.docs[j.n++] = i;
	free(wanted);
	parallel_for(j.n, p->nthread_arenas, build_entry, &j);
}

void feeds_plan(pages *p)
{
	const model *m = p->m;
	struct feeds *f = xcalloc(1, sizeof *f);
	p->feeds = f;
	size_t ncs = m->ndocs[DOC_CASE_STUDY];
	f->docs = xcalloc(ncs + 1, sizeof *f->docs);
	for (size_t i = 0; i < ncs; i++) {
		const doc *d = &m->docs[DOC_CASE_STUDY][i];
		dated *x = &f->docs[f->ndocs++];
		x->d = d;
		x->updated = doc_time(m, d, true).time;
		x->tags = arena_alloc(&p->arena, (d->tags.n + 1) * sizeof *x->tags);
		for (size_t k = 0; k < d->tags.n; k++) {
			char *slug = markdown_slugify(d->tags.items[k]);
			x->tags[k] = arena_strdup(&p->arena, slug);
			free(slug);
		}
	}
	qsort(f->docs, f->ndocs, sizeof *f->docs, by_updated);

	size_t nclaims = 0, ntags = 0;
	for (size_t s = 0; s < m->nsets; s++)
		nclaims += m->sets[s].nclaims;
	tag_name *tags = collect_tags(f, &ntags);
	/* Allocated once: pages point at the feeds. */
	f->items = xcalloc(1 + nclaims + m->nalliances + ntags, sizeof *f->items);
	add_feed(p, FEED_SITE, NULL, NULL, arena_printf(&p->arena,
		"%s: case studies", m->site.title), "");
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t c = 0; c < m->sets[s].nclaims; c++) {
			const claim *cl = &m->sets[s].claims[c];
			add_feed(p, FEED_CLAIM, cl, NULL, arena_printf(&p->arena,
				"%s: claim %d: %s", m->site.title, cl->number,
				cl->title), arena_printf(&p->arena, "claims/%s/",
				cl->id));
		}
	for (size_t i = 0; i < m->nalliances; i++) {
		const alliance *al = &m->alliances[i];
		add_feed(p, FEED_ALLIANCE, al, NULL, arena_printf(&p->arena,
			"%s: %s", m->site.title, al->name), al->url);
	}
	for (size_t i = 0; i < ntags; i++)
		add_feed(p, FEED_TAG, NULL, tags[i].slug, arena_printf(&p->arena,
			"%s: tagged '%s'", m->site.title, tags[i].label),
			"case-studies/");
	plan_entries(p, tags, ntags);
	free(tags);
	f->site_links = links(p, NULL, &p->arena);
}

void feeds_free(struct feeds *f)
{
	if (!f)
		return;
	free(f->items);
	free(f->docs);
	free(f);
}

static const char *rfc3339(arena *a, history_time t)
{
	char s[HISTORY_TIME_SIZE];
	history_rfc3339(t, s);
	return arena_strdup(a, s);
}

static value *entry(const pages *p, const doc *d, arena *a)
{
	const model *m = p->m;
	const char *base = m->site.base_url;
	value *e = value_map(a);
	const char *url = arena_printf(a, "%s%s", base, d->url);
	pages_set_ref(a, e, "id", url);
	pages_set_ref(a, e, "url", url);
	pages_set_ref(a, e, "title", d->title);
	/* With history, the model formatted these times already. */
	pages_set_ref(a, e, "published", d->history ? d->published :
		rfc3339(a, doc_time(m, d, false)));
	pages_set_ref(a, e, "updated", d->history ? d->updated :
		rfc3339(a, doc_time(m, d, true)));
	const strlist *who = d->authors.n ? &d->authors : &d->contributors;
	pages_set_list(a, e, "authors", pages_strlist(a, who));
	if (d->md.excerpt && *d->md.excerpt)
		pages_set_ref(a, e, "summary", d->md.excerpt);
	value *cats = value_list(a);
	for (size_t i = 0; i < d->nclaims; i++) {
		value *c = value_map(a);
		pages_set_ref(a, c, "term", d->claims[i].claim->id);
		pages_set_ref(a, c, "label", d->claims[i].claim->title);
		value_push(a, cats, c);
	}
	pages_set_list(a, e, "categories", cats);
	return e;
}

void feeds_data(const pages *p, const page *pg, arena *a, value *data)
{
	const feed *fd = pg->subject;
	const struct feeds *f = p->feeds;
	const char *base = p->m->site.base_url;
	value *v = value_map(a);
	pages_set_ref(a, v, "id", arena_printf(a, "%s%s", base, fd->url));
	pages_set_ref(a, v, "self", arena_printf(a, "%s%s", base, fd->url));
	pages_set_ref(a, v, "alternate", arena_printf(a, "%s%s", base,
		fd->alternate));
	pages_set_ref(a, v, "title", fd->title);
	value *entries = value_list(a);
	const char *updated = NULL;
	size_t k = (size_t)(fd - f->items);
	for (size_t j = 0; j < f->nmembers[k]; j++) {
		value *e = f->entries[f->members[k * FEED_ENTRIES + j]];
		if (!updated) /* the newest change is the feed's */
			updated = value_text(value_get(e, "updated"));
		value_push(a, entries, e);
	}
	if (!updated) /* no entries: the commit's time */
		updated = rfc3339(a, (history_time){ source_commit_time(p->m->src), 0 });
	pages_set_ref(a, v, "updated", updated);
	pages_set_list(a, v, "entries", entries);
	value_set(a, data, "feed", v);
}

/* The feeds pg links (pg NULL: a page with no feed of its own). */
static value *links(const pages *p, const page *pg, arena *a)
{
	const struct feeds *f = p->feeds;
	value *list = value_list(a);
	for (size_t i = 0; f && i < f->n; i++) {
		const feed *fd = &f->items[i];
		bool mine = fd->kind == FEED_SITE || (pg &&
			(pg->type == PAGE_CLAIM || pg->type == PAGE_ALLIANCE) &&
			fd->subject == pg->subject);
		if (!mine)
			continue;
		value *l = value_map(a);
		pages_set_ref(a, l, "title", fd->title);
		pages_set_ref(a, l, "url", fd->url);
		value_push(a, list, l);
	}
	return list;
}

value *feeds_links(const pages *p, const page *pg, arena *a)
{
	/* Most pages link the site's feed only: one list for all of them. */
	if (pg->type == PAGE_CLAIM || pg->type == PAGE_ALLIANCE)
		return links(p, pg, a);
	return p->feeds ? p->feeds->site_links : links(p, NULL, a);
}
