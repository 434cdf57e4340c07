/*
 * build: runs the stages of the pipeline in order and stops at the first
 * stage that reported an error, so a site is never half-written.
 */
#include "build.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "output.h"
#include "pages.h"
#include "parallel.h"
#include "source.h"
#include "theme.h"
#include "util.h"

/* With ENQUIRE_TIMING set, each stage prints how long it took: the
 * benchmark's way to see where a build's time goes. */
static void stage_done(const char *stage)
{
	static double last;
	static int on = -1;
	if (on < 0)
		on = getenv("ENQUIRE_TIMING") != NULL;
	if (!on)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (last > 0)
		fprintf(stderr, "enquire: timing: %-8s %.3f s\n", stage, now - last);
	last = now;
}

/* Everything a build holds; released in one place. */
typedef struct {
	source *src;
	model *m;
	theme *th;
	pages *pg;
	output *out;
	char *exclude;
} build_state;

static void release(build_state *s)
{
	output_abort(s->out);
	pages_free(s->pg);
	theme_free(s->th);
	model_free(s->m);
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
	if (source_open(&s->src, o->root, &so, d) != 0)
		return -1;
	stage_done("source");
	unsigned flags = (o->drafts ? MODEL_DRAFTS : 0) |
		(o->internal ? MODEL_INTERNAL : 0);
	s->m = model_load(s->src, flags, thread_count(o), d);
	stage_done("model");
	return diag_errors(d) ? -1 : 0;
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
	diag_list *d;
	scratch *scratch;
} render_job;

static void render_one(void *ctx, size_t i, unsigned thread)
{
	render_job *j = ctx;
	scratch *s = &j->scratch[thread];
	const page *pg = pages_at(j->pg, i);
	value *data = pages_data(j->pg, pg, &s->a);
	buf_clear(&s->html);
	if (mustache_render(j->templates, pg->template, data, &s->html, j->d) == 0 &&
		output_write(j->out, pg->file, s->html.p, s->html.len, j->d) == 0)
		s->bytes += s->html.len;
	arena_reset(&s->a);
}

static int render(build_state *s, unsigned threads, build_stats *st,
	diag_list *d)
{
	render_job j = { s->pg, theme_templates(s->th), s->out, d, NULL };
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
	st->pages = pages_count(s->pg);
	return diag_errors(d) ? -1 : 0;
}

/* static/x is published at x; theme assets at assets/...; a static file
 * may replace a theme asset of the same path. */
static int copy_files(build_state *s, build_stats *st, diag_list *d)
{
	const model *m = s->m;
	for (size_t i = 0; i < m->nstatics; i++) {
		const source_file *f = m->statics[i]; /* loaded: checked by model */
		if (output_write(s->out, f->path + strlen("static/"), f->data,
			f->size, d) == 0) {
			st->files++;
			st->bytes += f->size;
		}
	}
	for (size_t i = 0; i < theme_asset_count(s->th); i++) {
		const theme_asset *a = theme_asset_at(s->th, i);
		char *shadow = xasprintf("static/%s", a->path);
		bool shadowed = source_find(s->src, shadow) != NULL;
		free(shadow);
		if (shadowed)
			continue; /* the site's static file was copied above */
		if (output_write(s->out, a->path, a->data, a->size, d) == 0) {
			st->files++;
			st->bytes += a->size;
		}
	}
	return diag_errors(d) ? -1 : 0;
}

int build_site(const build_options *o, diag_list *d, build_stats *st)
{
	build_state s = { 0 };
	memset(st, 0, sizeof *st);
	int rc = -1;
	char *themes_dir = themes_dir_of(o);
	if (load(o, &s, d) != 0)
		goto done;
	st->source = xstrdup(source_describe(s.src));
	s.th = theme_load(themes_dir, s.m->site.theme, s.src, d);
	if (!s.th)
		goto done;
	s.out = output_open(o->out, d);
	if (!s.out)
		goto done;
	s.pg = pages_new(s.m);
	stage_done("plan");
	if (render(&s, thread_count(o), st, d) != 0)
		goto done;
	stage_done("render");
	if (copy_files(&s, st, d) != 0)
		goto done;
	rc = output_commit(s.out, d);
	s.out = NULL;
	stage_done("commit");
done:
	release(&s);
	free(themes_dir);
	return rc;
}

void build_stats_release(build_stats *st)
{
	free(st->source);
	st->source = NULL;
}
