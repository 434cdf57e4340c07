/*
 * build: runs the stages of the pipeline in order and stops at the first
 * stage that reported an error, so a site is never half-written.
 */
#include "build.h"

#include <assert.h>
#include <errno.h>
#include <libgen.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cachelock.h"
#include "history.h"
#include "incremental.h"
#include "model.h"
#include "output.h"
#include "pages.h"
#include "parse_cache.h"
#include "parallel.h"
#include "search.h"
#include "plugin.h"
#include "source.h"
#include "theme.h"
#include "util.h"

/* A memory figure of /proc/self/status ("VmRSS:", "VmHWM:") in MB, or
 * -1 where there is none. */
static long proc_status_mb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0) {
			kb = strtol(line + n, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

/* With ENQUIRE_TIMING set, each stage prints how long it took: the
 * benchmark's way to see where a build's time goes. */
static bool timing_on(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("ENQUIRE_TIMING") != NULL;
	return on;
}

/* CPU seconds of all threads so far (user and system). */
static double cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Wall time, CPU time (which says how well a stage uses the cores, and
 * which other work on the machine does not inflate) and memory. */
static void stage_done(const char *stage)
{
	static double last, last_cpu;
	if (!timing_on())
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	double cpu = cpu_seconds();
	if (last > 0)
		fprintf(stderr, "enquire: timing: %-8s %.3f s  (cpu %.3f s, rss %ld MB, peak %ld MB)\n",
			stage, now - last, cpu - last_cpu, proc_status_mb("VmRSS:"),
			proc_status_mb("VmHWM:"));
	last = now;
	last_cpu = cpu;
}

/* Everything a build holds; released in one place. */
typedef struct {
	source *src;
	history *hist;
	model *m;
	theme *th;
	pages *pg;
	output *out;
	incr *inc;
	parse_cache *pc; /* freed after the model, which points into it */
	char *exclude;
} build_state;

static void release(build_state *s)
{
	output_abort(s->out);
	incr_free(s->inc);
	pages_free(s->pg);
	theme_free(s->th);
	model_free(s->m);
	parse_cache_free(s->pc);
	history_free(s->hist);
	source_free(s->src);
	free(s->exclude);
}

/* When the output folder lies inside the root, the disk modes must not
 * read it (an earlier site is not content). Returns it relative to root,
 * or NULL. */
static char *out_inside_root(const char *root, const char *out)
{
	char r[PATH_MAX], o[PATH_MAX];
	if (!realpath(root, r))
		return NULL;
	/* out may not exist yet: resolve its parent. */
	char *parent = xstrdup(out);
	char *slash = strrchr(parent, '/');
	const char *base = slash ? out + (slash - parent) + 1 : out;
	if (slash)
		*slash = '\0';
	bool ok = realpath(slash ? (*parent ? parent : "/") : ".", o) != NULL;
	free(parent);
	if (!ok)
		return NULL;
	char *full = xasprintf("%s/%s", o, base);
	size_t n = strlen(r);
	char *rel = NULL;
	if (strncmp(full, r, n) == 0 && full[n] == '/')
		rel = xstrdup(full + n + 1);
	free(full);
	return rel;
}

/* The cache folder of o's output, whether or not it is used. */
static char *cache_dir_of(const build_options *o)
{
	if (!o->out)
		return NULL;
	const char *env = getenv("ENQUIRE_CACHE_DIR");
	if (env && *env)
		return xstrdup(env);
	char *copy = xstrdup(o->out);
	const char *parent = dirname(copy); /* POSIX: may point into copy */
	size_t n = strlen(parent);
	char *dir = strcmp(parent, ".") == 0 ? xstrdup(BUILD_CACHE_NAME) :
		xasprintf("%s%s%s", parent, parent[n - 1] == '/' ? "" : "/",
			BUILD_CACHE_NAME);
	free(copy);
	return dir;
}

char *build_cache_dir(const build_options *o)
{
	return o->no_cache ? NULL : cache_dir_of(o);
}

int64_t build_time(const source *src)
{
	if (source_get_mode(src) == SOURCE_COMMIT)
		return source_commit_time(src);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t = sde ? strtoll(sde, &end, 10) : 0;
	if (sde && *sde && !*end && t >= 0)
		return (int64_t)t;
	return (int64_t)time(NULL);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The history load on its own thread (load below). */
typedef struct {
	const source *src;
	history_options o;
	diag_list *d;
	history *h;
	pthread_t thread;
	bool started, joined;
	double seconds;
	char *cache;
} history_job;

static void *history_run(void *p)
{
	history_job *j = p;
	double start = seconds();
	j->h = history_load(j->src, &j->o, j->d);
	j->seconds = seconds() - start;
	return NULL;
}

/* model_history_wait: the history, once its thread is done. */
static const history *history_wait(void *p)
{
	history_job *j = p;
	if (j->started && !j->joined)
		pthread_join(j->thread, NULL);
	j->joined = true;
	return j->h;
}

static unsigned thread_count(const build_options *o)
{
	return o->threads ? o->threads : parallel_default_threads();
}

static int load(const build_options *o, build_state *s, diag_list *d)
{
	source_options so = SOURCE_OPTIONS_INIT;
	so.ref = o->ref;
	so.worktree = o->worktree;
	const char *exclude[2] = { NULL, NULL };
	if (o->out && (s->exclude = out_inside_root(o->root, o->out))) {
		exclude[0] = s->exclude;
		so.exclude = exclude;
	}
	stage_done("start");
	char *cache = build_cache_dir(o);
	so.cache_dir = cache;
	int src = source_open(&s->src, o->root, &so, d);
	free(cache);
	if (src != 0)
		return -1;
	stage_done("source");
	unsigned flags = (o->drafts ? MODEL_DRAFTS : 0) |
		(o->internal ? MODEL_INTERNAL : 0);
	if (!o->out) { /* check needs no history */
		s->m = model_load(s->src, flags, thread_count(o), d);
		stage_done("model");
	} else {
		/* The history walk is one thread's work: it runs while the
		 * documents parse on all threads. */
		history_job hj = { .src = s->src, .o = HISTORY_OPTIONS_INIT,
			.d = d };
		hj.cache = build_cache_dir(o);
		hj.o.cache_dir = hj.cache;
		hj.o.now = build_time(s->src);
		hj.started = pthread_create(&hj.thread, NULL, history_run, &hj) == 0;
		if (!hj.started)
			history_run(&hj);
		s->pc = parse_cache_open(hj.cache, ENQUIRE_VERSION);
		s->m = model_load_pending(s->src, history_wait, &hj, s->pc,
			flags, thread_count(o), d);
		history_wait(&hj); /* joined already; no-op */
		s->hist = hj.h;
		free(hj.cache);
		stage_done("model");
		if (timing_on()) { /* part of model's time, not added to it */
			size_t hits, misses;
			parse_cache_stats(s->pc, &hits, &misses);
			fprintf(stderr, "enquire: timing: history  %.3f s  (on its own thread, within model)\n",
				hj.seconds);
			if (s->pc)
				fprintf(stderr, "enquire: timing: parses   %zu from the cache, %zu parsed\n",
					hits, misses);
		}
	}
	plugins_run(s->m, s->src, NULL, d);
	stage_done("plugins");
	return diag_errors(d) ? -1 : 0;
}

/* Once the plugins ran, nothing reads a document's Markdown again (pages
 * use its HTML, search its text): its bytes go, 80 MB of the 10,000-case
 * benchmark's peak. */
static void drop_markdown(build_state *s)
{
	for (int k = 0; k < DOC_KIND_COUNT; k++)
		for (size_t i = 0; i < s->m->ndocs[k]; i++) {
			doc *d = &s->m->docs[k][i];
			d->body = (slice){ NULL, 0 };
			source_release_data(s->src, source_find(s->src, d->path));
		}
#ifdef __GLIBC__
	/* The freed blocks lie amid other threads' heaps, where the stages
	 * to come would not reuse them: hand their pages back. */
	malloc_trim(0);
#endif
}

/* The installation's themes folder, or the one the options name. */
static char *themes_dir_of(const build_options *o)
{
	return o->themes_dir ? xstrdup(o->themes_dir) : theme_default_dir();
}

int build_check(const build_options *o, diag_list *d)
{
	build_state s = { 0 };
	char *themes_dir = themes_dir_of(o);
	load(o, &s, d);
	/* Templates are checked too: a site's own overrides are content. */
	if (s.m)
		s.th = theme_load(themes_dir, s.m->site.theme, s.src, d);
	release(&s);
	free(themes_dir);
	return diag_errors(d) ? -1 : 0;
}

/* Per-thread scratch for rendering. */
typedef struct {
	arena a;
	buf html;
	size_t bytes;
} scratch;

typedef struct {
	const pages *pg;
	const mustache_set *templates;
	output *out;
	incr *inc;
	diag_list *d;
	scratch *scratch;
	bool progress;
	atomic_size_t done;
	double start, shown;
} render_job;

/* Pages done / total on stderr, for builds that take over a second; only
 * thread 0 prints, at most ten times a second. */
static void show_progress(render_job *j, unsigned thread)
{
	size_t done = atomic_fetch_add(&j->done, 1) + 1;
	if (!j->progress || thread != 0 || (done & 63))
		return;
	double now = seconds();
	if (now - j->start < 1.0 || now - j->shown < 0.1)
		return;
	j->shown = now;
	fprintf(stderr, "\renquire: rendering %zu/%zu pages", done,
		pages_count(j->pg));
}

static void render_one(void *ctx, size_t i, unsigned thread)
{
	render_job *j = ctx;
	scratch *s = &j->scratch[thread];
	const page *pg = pages_at(j->pg, i);
	/* Same data and templates as the last build: the same bytes. A page
	 * the last build wrote is first fingerprinted from its data without
	 * its keyed strings (incremental.h), which most pages of a rebuild
	 * need no more than. */
	unsigned long long fp = 0, old;
	bool known = incr_old_fingerprint(j->inc, pg->file, &old);
	if (known) {
		fp = incr_fingerprint_page(j->inc, pg->template,
			pages_data_fingerprint(j->pg, pg, &s->a));
		if (fp == old && output_link_old(j->out, pg->file) == 0) {
			incr_record(j->inc, pg->file, fp);
			incr_count(j->inc, true);
			goto done;
		}
	}
	value *data = pages_data(j->pg, pg, &s->a);
	unsigned long long full = incr_fingerprint_page(j->inc, pg->template,
		data);
	assert(!known || full == fp); /* a key stands for its string */
	incr_record(j->inc, pg->file, full);
	buf_clear(&s->html);
	if (mustache_render(j->templates, pg->template, data, &s->html, j->d) == 0 &&
		output_write(j->out, pg->file, s->html.p, s->html.len, j->d) == 0)
		s->bytes += s->html.len;
done:
	arena_reset(&s->a);
	show_progress(j, thread);
}

static int render(build_state *s, const build_options *o, build_stats *st,
	diag_list *d)
{
	unsigned threads = thread_count(o);
	render_job j = { s->pg, theme_templates(s->th), s->out, s->inc, d, NULL,
		o->progress, 0, seconds(), 0 };
	j.scratch = xcalloc(threads, sizeof *j.scratch);
	for (unsigned t = 0; t < threads; t++)
		j.scratch[t].html = BUF_INIT;
	parallel_for(pages_count(s->pg), threads, render_one, &j);
	for (unsigned t = 0; t < threads; t++) {
		st->bytes += j.scratch[t].bytes;
		arena_release(&j.scratch[t].a);
		buf_release(&j.scratch[t].html);
	}
	free(j.scratch);
	if (j.shown > 0)
		fputs("\r\033[K", stderr); /* clear the progress line */
	st->pages = pages_count(s->pg);
	return diag_errors(d) ? -1 : 0;
}

/* Writes a file, or links the last build's when its fingerprint is the
 * same. Thread-safe. Returns how many bytes were written, or -1 on error. */
static long long put_fingerprinted(build_state *s, const char *path,
	unsigned long long fp, const void *data, size_t size, diag_list *d)
{
	incr_record(s->inc, path, fp);
	if (incr_same(s->inc, path, fp) && output_link_old(s->out, path) == 0) {
		incr_count(s->inc, true);
		return 0;
	}
	if (output_write(s->out, path, data, size, d) != 0)
		return -1;
	return (long long)size;
}

/* The same, fingerprinted by its bytes. */
static long long put_bytes(build_state *s, const char *path, const void *data,
	size_t size, diag_list *d)
{
	return put_fingerprinted(s, path, incr_fingerprint_bytes(s->inc, data,
		size), data, size, d);
}

static int put_file(build_state *s, const char *path, const char *data,
	size_t size, build_stats *st, diag_list *d)
{
	long long written = put_bytes(s, path, data, size, d);
	if (written < 0)
		return -1;
	st->bytes += (size_t)written;
	st->files++;
	return 0;
}

/* The search index's files go through the same cache as every other
 * output, fingerprinted by the key the index gives them (a hash of their
 * contents before compression), so an unchanged file is linked before it
 * is compressed, even when its folder was renamed (a set of shards is
 * named by a hash of them all). They are written on several threads, so
 * the totals are added under a lock. */
typedef struct {
	build_state *s;
	build_stats *st;
	diag_list *d;
	pthread_mutex_t lock;
} search_put;

static void count_search_file(search_put *p, size_t written)
{
	pthread_mutex_lock(&p->lock);
	p->st->bytes += written;
	p->st->files++;
	pthread_mutex_unlock(&p->lock);
}

static int put_search_file(void *ctx, const char *path, const void *data,
	size_t size, unsigned long long key)
{
	search_put *p = ctx;
	long long written = put_fingerprinted(p->s, path,
		incr_fingerprint_key(p->s->inc, key), data, size, p->d);
	if (written < 0)
		return -1;
	count_search_file(p, (size_t)written);
	return 0;
}

static int reuse_search_file(void *ctx, const char *path,
	unsigned long long key)
{
	search_put *p = ctx;
	unsigned long long fp = incr_fingerprint_key(p->s->inc, key);
	const char *old = incr_same(p->s->inc, path, fp) ? path :
		incr_old_file(p->s->inc, fp);
	if (!old || output_link_old_as(p->s->out, old, path) != 0)
		return -1;
	incr_record(p->s->inc, path, fp);
	incr_count(p->s->inc, true);
	count_search_file(p, 0);
	return 0;
}

/* static/x is published at x; theme assets at assets/...; a static file
 * may replace a theme asset of the same path. */
static int copy_files(build_state *s, build_stats *st, diag_list *d)
{
	const model *m = s->m;
	for (size_t i = 0; i < m->nstatics; i++) {
		const source_file *f = m->statics[i]; /* loaded: checked by model */
		put_file(s, f->path + strlen("static/"), f->data, f->size, st, d);
	}
	for (size_t i = 0; i < theme_asset_count(s->th); i++) {
		const theme_asset *a = theme_asset_at(s->th, i);
		char *shadow = xasprintf("static/%s", a->path);
		bool shadowed = source_find(s->src, shadow) != NULL;
		free(shadow);
		if (shadowed)
			continue; /* the site's static file was copied above */
		put_file(s, a->path, a->data, a->size, st, d);
	}
	return diag_errors(d) ? -1 : 0;
}

static void remove_old(void *out, const char *file)
{
	output_remove_old(out, file);
}

/* Update mode: the site keeps its unchanged files, so the paths are
 * checked here (a fresh folder would have refused a collision), and the
 * files of the last build that this one did not make are to go. */
static int commit_prepare(build_state *s, diag_list *d)
{
	if (!incr_trusted(s->inc))
		return 0;
	if (incr_check_paths(s->inc, d) != 0)
		return -1;
	incr_each_gone(s->inc, remove_old, s->out);
	return 0;
}

int build_site(const build_options *o, diag_list *d, build_stats *st)
{
	build_state s = { 0 };
	memset(st, 0, sizeof *st);
	int rc = -1;
	char *themes_dir = themes_dir_of(o);
	/* before any cache is read; --no-cache makes no lock, but waits on
	 * one that exists: its swap must not meet an update in place */
	char *lock_dir = cache_dir_of(o);
	int lock = cache_lock(lock_dir, !o->no_cache, o->quiet);
	free(lock_dir);
	if (lock >= 0) /* no build of this site can be running: a crash's */
		output_clean_leftovers(o->out);
	if (load(o, &s, d) != 0)
		goto done;
	st->source = xstrdup(source_describe(s.src));
	drop_markdown(&s);
	s.th = theme_load(themes_dir, s.m->site.theme, s.src, d);
	if (!s.th)
		goto done;
	s.out = output_open(o->out, d);
	if (!s.out)
		goto done;
	char *cache = build_cache_dir(o);
	s.inc = incr_new(cache, o->out);
	free(cache);
	incr_key_add(s.inc, ENQUIRE_VERSION, strlen(ENQUIRE_VERSION));
	/* Pages are fingerprinted by their data, charts and citations by
	 * their inputs (hashkey.h): code that draws them differently must
	 * not reuse the old files, and a development build keeps the
	 * version number. */
	unsigned long long code = program_hash();
	incr_key_add(s.inc, &code, sizeof code);
	unsigned long long th = theme_hash(s.th);
	incr_key_add(s.inc, &th, sizeof th);
	incr_load(s.inc);
	if (incr_trusted(s.inc)) /* the site is what the manifest says */
		output_update(s.out, INCR_ID_FILE);
	s.pg = pages_new(s.m, thread_count(o));
	if (pages_add_plugin_pages(s.pg, theme_templates(s.th), d) != 0)
		goto done;
	pages_set_assets(s.pg, s.th);
	stage_done("plan");
	if (render(&s, o, st, d) != 0)
		goto done;
	stage_done("render");
	search_put sp = { &s, st, d, PTHREAD_MUTEX_INITIALIZER };
	search_output so = { put_search_file, reuse_search_file, &sp };
	/* incr_new made the cache folder (or found it unusable: the token
	 * cache then fails to save, and is a miss next time) */
	cache = build_cache_dir(o);
	int src = search_write_index(s.m, &so, thread_count(o), cache, NULL,
		d);
	free(cache);
	if (src != 0)
		goto done;
	stage_done("search");
	if (copy_files(&s, st, d) != 0)
		goto done;
	if (commit_prepare(&s, d) != 0)
		goto done;
	char *id = incr_build_id(s.inc);
	int idrc = output_write(s.out, INCR_ID_FILE, id, strlen(id), d);
	free(id);
	if (idrc != 0)
		goto done;
	rc = output_commit(s.out, d);
	s.out = NULL;
	if (rc == 0) {
		incr_save(s.inc);
		/* The model still holds what the new entries are written from. */
		parse_cache_save(s.pc);
	}
	st->reused = incr_reused(s.inc);
	stage_done("commit");
done:
	release(&s);
	cache_unlock(lock);
	free(themes_dir);
	return rc;
}

void build_stats_release(build_stats *st)
{
	free(st->source);
	st->source = NULL;
}
