/*
 * mustache_cli: one template, YAML data, partials from a folder.
 */
#include "mustache_cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"
#include "yamlparse.h"

/* The template name of a path: its base name up to the first '.'. */
static char *name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strchr(base, '.');
	return xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

/* Reads a text file for a template or data; NULL after an error. */
static char *read_text(const char *path, size_t *len, diag_list *d)
{
	char *text;
	if (read_file(path, &text, len) != 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			strerror(errno));
		return NULL;
	}
	size_t bad;
	if (!utf8_valid(text, *len, &bad)) {
		diag_add(d, DIAG_ERROR, path, 0, 0,
			"invalid UTF-8 at byte %zu", bad);
		free(text);
		return NULL;
	}
	return text;
}

static void add_partials(mustache_set *s, const char *dir, diag_list *d)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot open partials folder: %s",
			strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		size_t len;
		char *text = read_text(path, &len, d);
		if (text) {
			char *name = name_of(e->d_name);
			mustache_set_add(s, name, text, len, path);
			free(name);
			free(text);
		}
		free(path);
	}
	closedir(dp);
}

int mustache_command(int argc, char **argv)
{
	const char *tmpl = NULL, *data_path = NULL, *partials = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--partials") == 0 && i + 1 < argc) {
			partials = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "enquire: error: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (!tmpl) {
			tmpl = argv[i];
		} else if (!data_path) {
			data_path = argv[i];
		} else {
			fprintf(stderr, "enquire: error: too many arguments\n");
			return 2;
		}
	}
	if (!tmpl || !data_path) {
		fprintf(stderr, "usage: enquire mustache TEMPLATE DATA.yaml [--partials DIR]\n");
		return 2;
	}
	diag_list *d = diag_list_new();
	arena a = ARENA_INIT;
	mustache_set *s = mustache_set_new();
	buf out = BUF_INIT;
	char *name = name_of(tmpl);
	char *ttext = NULL, *dtext = NULL;
	size_t tlen, dlen;
	int rc = 1;
	if (partials)
		add_partials(s, partials, d);
	ttext = read_text(tmpl, &tlen, d);
	dtext = read_text(data_path, &dlen, d);
	if (!ttext || !dtext)
		goto done;
	value *data = yaml_parse(&a, dtext, dlen, data_path, 1, d);
	if (!data)
		goto done;
	mustache_set_add(s, name, ttext, tlen, tmpl);
	if (mustache_set_compile(s, d) != 0)
		goto done;
	if (mustache_render(s, name, data, &out, d) != 0)
		goto done;
	fwrite(out.p, 1, out.len, stdout);
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	diag_print(d, stderr);
	diag_list_free(d);
	buf_release(&out);
	mustache_set_free(s);
	arena_release(&a);
	free(name);
	free(ttext);
	free(dtext);
	return rc;
}
