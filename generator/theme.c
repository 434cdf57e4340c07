/*
 * theme: reading a theme's files from disk (the installation's themes)
 * and from the source (the site's overrides).
 */
#include "theme.h"

#include <dirent.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct theme {
	mustache_set *templates;
	theme_asset *assets;
	size_t nassets, cap;
	char **owned; /* file contents read from disk */
	size_t nowned;
	unsigned long long hash; /* of every file added, in any order */
};

/* Adds a file to the theme's hash (a sum, so the order files are found
 * in does not matter). */
static void mix(theme *t, const char *name, const char *data, size_t len)
{
	unsigned long long h = hash64(name, strlen(name) + 1, HASH64_INIT);
	t->hash += hash64(data, len, h);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Adds or replaces the asset at path (a site file overrides the theme's). */
static void add_asset(theme *t, const char *path, const char *data,
	size_t size)
{
	for (size_t i = 0; i < t->nassets; i++) {
		if (strcmp(t->assets[i].path, path) == 0) {
			t->assets[i].data = data;
			t->assets[i].size = size;
			return;
		}
	}
	if (t->nassets == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->assets = xrealloc(t->assets, t->cap * sizeof *t->assets);
	}
	t->assets[t->nassets++] = (theme_asset){ xstrdup(path), data, size,
		NULL };
}

/* 64-bit FNV-1a: a content hash for cache-busting names, not security. */
/* assets/style.css -> assets/style.<hash>.css, for .css and .js. */
static void hash_names(theme *t)
{
	for (size_t i = 0; i < t->nassets; i++) {
		theme_asset *a = &t->assets[i];
		a->name = a->path;
		const char *dot = strrchr(a->path, '.');
		const char *slash = strrchr(a->path, '/');
		if (!dot || (slash && dot < slash) ||
			(strcmp(dot, ".css") != 0 && strcmp(dot, ".js") != 0))
			continue;
		a->path = xasprintf("%.*s.%010llx%s", (int)(dot - a->path), a->path,
			hash64(a->data, a->size, HASH64_INIT) & 0xffffffffffULL, dot);
	}
}

static void keep(theme *t, char *data)
{
	t->owned = xrealloc(t->owned, (t->nowned + 1) * sizeof *t->owned);
	t->owned[t->nowned++] = data;
}

/* The template name of a file: its base name without ".mustache". */
static char *template_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return xstrndup(base, strlen(base) - strlen(".mustache"));
}

/* Walks dir on disk; rel is the path below the theme folder. */
static void walk_disk(theme *t, const char *dir, const char *rel,
	diag_list *d)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	for (size_t i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", dir, names[i]);
		char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) :
			xstrdup(names[i]);
		struct stat st;
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk_disk(t, full, sub, d);
		} else if (lstat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			char *data;
			size_t len;
			if (read_file(full, &data, &len) != 0) {
				diag_add(d, DIAG_ERROR, full, 0, 0, "cannot read theme file");
			} else {
				keep(t, data);
				if (strncmp(sub, "templates/", 10) == 0 &&
					ends_with(sub, ".mustache")) {
					char *name = template_name(sub);
					mustache_set_add(t->templates, name, data, len, full);
					mix(t, sub, data, len);
					free(name);
				} else if (strncmp(sub, "assets/", 7) == 0) {
					add_asset(t, sub, data, len);
					mix(t, sub, data, len);
				}
			}
		}
		free(full);
		free(sub);
		free(names[i]);
	}
	free(names);
}

/* The site's own theme files, committed with the content. */
static int from_source(theme *t, const source *src, const char *name)
{
	char *prefix = xasprintf("themes/%s/", name);
	size_t plen = strlen(prefix);
	int found = 0;
	for (size_t i = 0; i < source_count(src); i++) {
		const source_file *f = source_at(src, i);
		const char *rel = NULL;
		if (strncmp(f->path, prefix, plen) == 0)
			rel = f->path + plen;
		else if (strncmp(f->path, "layouts/", 8) == 0)
			rel = f->path; /* layouts/x.mustache: a template */
		if (!rel || !f->data)
			continue;
		found = 1;
		if (ends_with(rel, ".mustache") && (strncmp(rel, "templates/", 10) == 0 ||
			strncmp(rel, "layouts/", 8) == 0)) {
			char *tn = template_name(rel);
			mustache_set_add(t->templates, tn, f->data, f->size, f->path);
			mix(t, f->path, f->data, f->size);
			free(tn);
		} else if (strncmp(rel, "assets/", 7) == 0) {
			add_asset(t, rel, f->data, f->size);
			mix(t, f->path, f->data, f->size);
		}
	}
	free(prefix);
	return found;
}

theme *theme_load(const char *themes_dir, const char *name,
	const source *src, diag_list *d)
{
	theme *t = xcalloc(1, sizeof *t);
	t->templates = mustache_set_new();
	int found = 0;
	if (themes_dir) {
		char *dir = xasprintf("%s/%s", themes_dir, name);
		struct stat st;
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk_disk(t, dir, "", d);
			found = 1;
		}
		free(dir);
	}
	if (src)
		found |= from_source(t, src, name);
	if (!found) {
		diag_add(d, DIAG_ERROR, "site.yaml", 0, 0,
			"unknown theme '%s' (not in '%s' nor the site's themes/ folder)",
			name, themes_dir ? themes_dir : "(no themes folder)");
		theme_free(t);
		return NULL;
	}
	if (mustache_set_compile(t->templates, d) != 0) {
		theme_free(t);
		return NULL;
	}
	hash_names(t);
	return t;
}

void theme_free(theme *t)
{
	if (!t)
		return;
	mustache_set_free(t->templates);
	for (size_t i = 0; i < t->nassets; i++) {
		if (t->assets[i].name && t->assets[i].name != t->assets[i].path)
			free((char *)(uintptr_t)t->assets[i].name);
		free((char *)(uintptr_t)t->assets[i].path);
	}
	free(t->assets);
	for (size_t i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t);
}

const mustache_set *theme_templates(const theme *t)
{
	return t->templates;
}

size_t theme_asset_count(const theme *t)
{
	return t->nassets;
}

const theme_asset *theme_asset_at(const theme *t, size_t i)
{
	return i < t->nassets ? &t->assets[i] : NULL;
}

char *theme_default_dir(void)
{
	return install_dir("ENQUIRE_THEMES", "themes");
}

unsigned long long theme_hash(const theme *t)
{
	return t->hash;
}
